"""The grader's side of the checker: start it, and run each graded test cell through it.

    checker = CheckerProcess(folder, command_prefix, env)   # once per worker, reused across notebooks
    checker.start(); checker.reset()                         # reset: a new notebook
    listener = StudentListener(folder / "probe.sock", uid)   # once per notebook
    await run_graded_cell(client, cell, index, checker, listener, timeout)   # per graded cell

A graded test cell never runs in the student's kernel. `run_graded_cell` starts
`coursekit.probe.serve` there (an ordinary execute request), sends the cell's source to the
checker, and relays frames between the two until the checker says "done"; the cell then gets the
checker's outputs (its stdout and its error, traceback included) and
`metadata.autograder = {"status", "checker": true, "partial"}`, from which the grade is computed.
Nothing the student's kernel prints or displays reaches the cell.

The relay reads each frame with the size limits of coursekit.wire and only looks at its header:
a student who closes the socket, sends garbage or answers out of turn is cut off, and every
request the checker still waits on gets an error reply, so the test fails with that reason.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import selectors
import socket
import subprocess
import threading
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError

from coursekit import wire

START_TIMEOUT = 180   # seconds for the checker to start (it imports torch)


def is_graded_test(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (cell.get("cell_type") == "code" and isinstance(meta, dict) and bool(meta.get("grade"))
            and not meta.get("solution"))


class CheckerError(RuntimeError):
    """The checker itself failed (not the student): it is restarted for the next notebook."""


def _listen(path: Path, uid: int | None) -> socket.socket:
    if path.exists():
        path.unlink()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(1)
    if uid is not None:
        os.chown(path, uid, uid)
    os.chmod(path, 0o600)
    return sock


def _readable(socks: list, timeout: float) -> list:
    """The sockets of `socks` with data (or a peer gone) within `timeout` seconds. A selector, not
    select.select: that one refuses descriptors past 1024, which a long-running grader reaches."""
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        return [key.fileobj for key, _ in selector.select(timeout)]


def _accept(listener: socket.socket, timeout: float, stop=None) -> socket.socket | None:
    """The next connection, or None after `timeout` or once `stop()` is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (stop is not None and stop()):
        if _readable([listener], 0.2):
            conn, _ = listener.accept()
            conn.setblocking(True)
            return conn
    return None


class CheckerProcess:
    """One checker process (python -m autograder.checker), sandboxed by `command_prefix`."""

    def __init__(self, folder: Path, command_prefix: list[str], env: dict[str, str], uid: int | None = None,
                 python: str | None = None):
        import sys
        self.folder, self.prefix, self.env, self.uid = Path(folder), command_prefix, env, uid
        self.python = python or sys.executable
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.listener: socket.socket | None = None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.sock is not None

    def start(self) -> None:
        self.stop()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "checker.sock"
        self.listener = _listen(path, self.uid)
        log = open(self.folder / "checker.log", "ab")
        cmd = self.prefix + [self.python, "-m", "autograder.checker", str(path)]
        self.proc = subprocess.Popen(cmd, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     cwd=str(self.folder))
        log.close()
        self.sock = _accept(self.listener, START_TIMEOUT, lambda: self.proc.poll() is not None)
        if self.sock is None:
            self.stop()
            raise CheckerError(f"the checker did not start within {START_TIMEOUT} s: {self._log_tail()}")
        header, _ = wire.recv_frame(self.sock)
        if header.get("kind") != "ready":
            raise CheckerError("the checker did not say ready")

    def _log_tail(self) -> str:
        try:
            return (self.folder / "checker.log").read_text(errors="replace")[-500:]
        except OSError:
            return ""

    def reset(self) -> None:
        """A new notebook: fresh names and seeds (restarted if it died or was left mid-cell, or if it
        answers anything but this reset's own "done": a stale answer must never pass for the next's)."""
        if not self.alive:
            self.start()
        for _ in range(2):
            run_id = next_run_id()
            try:
                wire.send_frame(self.sock, {"kind": "reset", "id": run_id})
                if _readable([self.sock], START_TIMEOUT):
                    header, _ = wire.recv_frame(self.sock)
                    if header.get("kind") == "done" and header.get("id") == run_id:
                        return
            except (OSError, ConnectionError, ValueError, wire.ProtocolError):
                pass
            self.start()
        raise CheckerError("the checker did not acknowledge a reset")

    def stop(self) -> None:
        for s in (self.sock, self.listener):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass
        self.sock = self.listener = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.proc = None


class StudentListener:
    """The socket the student's kernel connects to when a graded cell runs (one per notebook)."""

    def __init__(self, path: Path, uid: int | None = None):
        self.path = Path(path)
        self.sock = _listen(self.path, uid)

    def serve_source(self) -> str:
        return f'__import__("coursekit.probe").probe.serve({str(self.path)!r}, globals())'

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class _UntilDeadline:
    """The student's socket for reading one frame: every read gets only the time the cell has left,
    so a frame sent a byte at a time cannot hold the cell past its own limit."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock, self.deadline = sock, deadline

    def recv_into(self, view, n: int) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the cell's time ran out while a frame was arriving")
        self.sock.settimeout(left)
        try:
            return self.sock.recv_into(view, n)
        finally:
            self.sock.settimeout(None)


def _send_within(sock: socket.socket, data: bytes, deadline: float) -> None:
    """sendall, but never past the cell's deadline: a peer that does not read (a checker busy on a
    student's value while the student floods it with frames, a kernel that never reads) must not
    hold the relay, and with it the worker and the batch, past the per-cell limit."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise CellTimeoutError("a graded test cell ran past the per-cell time limit")
    sock.settimeout(left)
    try:
        sock.sendall(data)
    except TimeoutError:
        raise CellTimeoutError("a graded test cell ran past the per-cell time limit (a frame could not be "
                               "delivered)") from None
    finally:
        sock.settimeout(None)


_run_ids = itertools.count(1)


def next_run_id() -> int:
    """Tags each run and reset; the checker's "done" carries it back."""
    return next(_run_ids)


def _error_reply(seq, reason: str) -> bytes:
    head = json.dumps({"kind": "reply", "seq": seq, "ok": False,
                       "error": {"type": "StudentKernelError", "message": reason}}).encode()
    return wire.pack_raw(head, [])


def relay_cell(checker: CheckerProcess, listener: StudentListener, source: str, deadline: float,
               serve_done: threading.Event) -> dict:
    """Run one test cell in the checker, relaying frames to and from the student (blocking)."""
    student = _accept(listener.sock, max(0.0, deadline - time.monotonic()), serve_done.is_set)
    why_gone = "the student's kernel did not answer (it failed before it could serve the test)"
    waiting: list = []   # sequence numbers of the checker's requests the student has not answered
    run_id = next_run_id()
    end = {"kind": "end"}
    wire.send_frame(checker.sock, {"kind": "run", "source": source, "id": run_id})

    def drop_student(reason: str) -> None:
        nonlocal student, why_gone
        if student is not None:
            try:
                student.close()
            except OSError:
                pass
        student, why_gone = None, reason
        while waiting:
            _send_within(checker.sock, _error_reply(waiting.pop(), reason), deadline)

    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CellTimeoutError("a graded test cell ran past the per-cell time limit")
            ready = _readable([checker.sock] + ([student] if student is not None else []), min(left, 1.0))
            # the student's frames first: what a kernel sent before it hung up explains why it is gone
            if student is not None and student in ready:
                try:
                    head, buffers = wire.recv_raw(_UntilDeadline(student, deadline))
                    header = json.loads(head)
                    kind = header.get("kind")
                    if kind == "reply":
                        if not waiting or header.get("seq") != waiting[-1]:
                            raise wire.ProtocolError("a reply to a request that was not asked")
                        waiting.pop()
                    elif kind != "request":
                        raise wire.ProtocolError(f"unexpected frame {kind!r}")
                    _send_within(checker.sock, wire.pack_raw(head, buffers), deadline)
                except TimeoutError:
                    raise CellTimeoutError("a graded test cell ran past the per-cell time limit") from None
                except Exception as e:  # noqa: BLE001 (anything the student sends, e.g. JSON nested past the recursion limit)
                    drop_student(f"the student's kernel broke the grading protocol ({type(e).__name__}: {str(e)[:120]})")
            if checker.sock in ready:
                head, buffers = wire.recv_raw(checker.sock)
                header = json.loads(head)
                if header.get("kind") == "done":
                    if header.get("id") != run_id:
                        raise wire.ProtocolError("the checker answered another run (out of step)")
                    if isinstance(header.get("seed"), int):
                        end["seed"] = header["seed"]  # a manual_seed of the cell's that no call took
                    return header
                if header.get("kind") == "request":
                    if student is None:
                        _send_within(checker.sock, _error_reply(header.get("seq"), why_gone), deadline)
                        continue
                    waiting.append(header.get("seq"))
                try:
                    if student is None:
                        raise OSError("gone")
                    _send_within(student, wire.pack_raw(head, buffers), deadline)
                except CellTimeoutError:
                    raise
                except OSError:
                    drop_student("the student's kernel closed the connection")
    finally:
        if student is not None:
            try:
                student.settimeout(1.0)   # a kernel that does not read gets no "end"
                wire.send_frame(student, end)
                student.close()
            except OSError:
                pass


async def execute_scratch(client, cell, **kwargs):
    """Execute a cell that is not part of the notebook. nbclient stores an executed cell back at
    `nb.cells[index]`, so the cell is appended for the run and removed after it (an index of -1
    would overwrite the notebook's last cell)."""
    client.nb.cells.append(cell)
    try:
        return await client.async_execute_cell(cell, len(client.nb.cells) - 1, store_history=False, **kwargs)
    finally:
        if client.nb.cells and client.nb.cells[-1] is cell:
            client.nb.cells.pop()


async def run_graded_cell(client, cell, index: int, checker: CheckerProcess, listener: StudentListener,
                          timeout: float, execute_in_student) -> None:
    """Run one graded test cell through the checker; the cell gets the checker's outputs.

    `execute_in_student(cell)` is the client's own coroutine that executes a cell in the student's
    kernel (here: the one line that starts coursekit.probe.serve)."""
    deadline = time.monotonic() + timeout
    serve_done = threading.Event()
    serve = nbformat.v4.new_code_cell(listener.serve_source())
    serve_task = asyncio.ensure_future(execute_in_student(serve))
    # (the exception of a serve the student's kernel died in is retrieved here: it is the cell's, not the loop's)
    serve_task.add_done_callback(lambda t: (serve_done.set(), t.cancelled() or t.exception()))
    # The relay blocks on sockets: it runs in a thread of its own while this loop keeps the
    # student's serve request going (polled: the event loops nbclient runs us in vary).
    outcome: dict = {}

    def relay():
        try:
            outcome["result"] = relay_cell(checker, listener, cell.source, deadline, serve_done)
        except BaseException as e:  # noqa: BLE001 (re-raised below, in the loop's thread)
            outcome["error"] = e

    thread = threading.Thread(target=relay, name="relay", daemon=True)
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.005)
    try:
        if "error" in outcome:
            raise outcome["error"]
        result = outcome["result"]
    except CellTimeoutError:
        checker.stop()  # left mid-cell: the next notebook gets a fresh one
        serve_task.cancel()
        raise
    except Exception as e:  # noqa: BLE001 (whatever went wrong, the checker may be mid-cell: never reuse it)
        checker.stop()
        serve_task.cancel()
        raise CheckerError(f"the checker failed: {type(e).__name__}: {e}") from e
    try:
        await asyncio.wait_for(asyncio.shield(serve_task), timeout=max(5.0, deadline - time.monotonic()))
    except asyncio.TimeoutError:
        raise CellTimeoutError("the student's kernel did not finish serving a graded cell in time") from None
    apply_result(cell, result)


def _text(value, limit: int) -> str:
    """A string of the checker's verdict as it may go into the notebook: capped, and with any lone
    surrogate ("\\ud800", which a student's value quoted in a test's message can carry through the
    JSON of the wire) replaced, since UTF-8 cannot encode one: writing the notebook would fail in
    the grader's main thread and stop the whole batch."""
    return str(value)[:limit].encode("utf-8", "replace").decode("utf-8")


def apply_result(cell, result: dict) -> None:
    outputs = []
    stdout = result.get("stdout")
    if isinstance(stdout, str) and stdout:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=_text(stdout, 64 * 1024)))
    status = result.get("status") if result.get("status") in ("ok", "error") else "error"
    if status == "error":
        # capped here too (the per-cell output caps of grade.py only see the student's kernel)
        outputs.append(nbformat.v4.new_output("error", ename=_text(result.get("ename", "Error"), 200),
                                              evalue=_text(result.get("evalue", ""), 4000),
                                              traceback=[_text(l, 4000) for l in result.get("traceback", [])][-40:]))
    partial = result.get("partial")
    cell.outputs = outputs
    cell.execution_count = cell.get("execution_count") or 1
    cell.metadata.setdefault("autograder", {}).update(
        {"status": status, "checker": True, "partial": partial if isinstance(partial, float) else None})
