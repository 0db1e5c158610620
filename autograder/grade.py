"""`autograder grade UNIT`: autograde every collected submission of a unit, in parallel, sandboxed.

    from autograder.grade import grade_unit
    records = grade_unit(course, "1-pytorch-basics", workers=2, memory_gib=4.0)

Three stages, layered like nbgrader's autograde but with every step made safe for a class:

1. prepare (main thread): read `grading/submitted/<student>/<unit>/<nb>.ipynb`; not JSON or not
   a notebook -> "invalid". Otherwise repair it the way nbgrader's own preprocessors do, against
   the gradebook: OverwriteCells restores every locked cell (the tests, hidden part included),
   cell types and points; graded cells the student deleted are added back (nbgrader's
   `add_missing_cells`); a grade_id seen twice keeps its first cell; damaged nbgrader metadata
   is dropped (the cell then counts as missing and is restored); the kernelspec is forced to
   python3 (the kernel is ours). Every repair is written down in the record's "notes".
2. execute (worker threads, one sandboxed kernel each; see sandbox.py): nbclient runs the
   prepared notebook with a per-cell timeout, the watchdog enforces the whole-notebook time,
   memory and disk limits; output beyond 1 MiB per cell / 16 MiB per notebook is dropped.
   Workers only compute; they never touch the gradebook or the course folder. What a worker
   gets is a `Task` (the prepared notebook and the student's files, as data) and what it gives
   back is the executed notebook and its state: `SlotPool.run` does it, in a local thread or,
   with `scheduler=`, in a Dask task on a cluster's worker (cluster.py).
3. record (main thread, serially): `grading/results/<unit>/<student>/<stem>.json`, the executed
   notebook in `grading/autograded/<student>/<unit>/`, and the auto scores in the gradebook.

Scores: a graded test cell earns its points unless its output holds an error (nbgrader's rule,
minus one thing: nbgrader also fails a cell that wrote to stderr, which would make a torch
warning cost points; here only errors count). States: graded, timed_out (a cell or the whole
notebook ran out of time), crashed (the kernel died: sys/os exit, out of memory, a full scratch
disk), invalid (not a notebook, or not submitted). A non-graded state scores 0 everywhere.
Re-running resumes: a (student, notebook) whose results file has the same submission and source
hashes is not run again (its scores are re-applied to the gradebook, which may be new).
"""
from __future__ import annotations

import atexit
import copy
import dataclasses
import hashlib
import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .bridge import CheckerError, CheckerProcess, StudentListener, execute_scratch, is_graded_test, run_graded_cell
from .course import Course, gradebook_url
from . import sandbox as sb

STATES = ("graded", "timed_out", "crashed", "invalid")
MAX_NOTEBOOK_BYTES = 100 * 1024 ** 2      # a submitted file larger than this is not graded
# ... and one with more cells than this: every cell costs the main thread (nbformat's schema, and a
# cell with nbgrader metadata nbgrader's validator and a gradebook query: ~10 ms), before any
# grading. 1.3 million tiny cells fit in 100 MB: hours with the batch waiting. The course's longest
# notebook has 69 cells.
MAX_CELLS = 2000
MAX_EXTRA_BYTES = 50 * 1024 ** 2          # files copied beside the notebook into the scratch
MAX_CELL_OUTPUT = 1024 ** 2               # output kept per cell ...
MAX_NOTEBOOK_OUTPUT = 16 * 1024 ** 2      # ... and per notebook
# Seeds, run when the kernel starts. (The probe that answers the checker is imported by the first
# graded cell, not here: it brings torch, which a notebook without torch should not pay for in memory.)
SEED_LINES = ("import random as _r; _r.seed(0); del _r\n"
              "try:\n    import numpy as _n; _n.random.seed(0); del _n\nexcept ImportError:\n    pass\n")

log = logging.getLogger("autograder.grade")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.encode("utf-8", "replace").decode("utf-8")  # no lone surrogate (see _atomic_write)


# --------------------------------------------------------------------------------------------
# Stage 1: prepare (main thread; reads the gradebook)
# --------------------------------------------------------------------------------------------

@dataclass
class Job:
    student: str
    unit: str
    notebook: str                   # file name, e.g. "01-fixture.ipynb"
    path: Path | None               # the submitted file (None: not submitted)
    source_sha256: str
    grade_cells: list[tuple[str, float]]   # (grade_id, max points) in source order
    submission_sha256: str = ""
    timestamp: str = ""
    nb: object | None = None        # the prepared notebook
    invalid: str | None = None      # reason, when it cannot be run
    notes: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return Path(self.notebook).stem


def read_timestamp(folder: Path) -> str:
    """nbgrader's timestamp.txt (ISO 8601 UTC), else the notebook's mtime."""
    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        text = stamp.read_text().strip()
        if text:
            return text
    files = sorted(folder.glob("*.ipynb"))
    mtime = files[0].stat().st_mtime if files else time.time()
    return datetime.fromtimestamp(mtime, timezone.utc).isoformat()


def _gid(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


class _Overwrite:
    """nbgrader's OverwriteCells, driven cell by cell with the run's open gradebook."""

    def __init__(self, gb, unit: str, stem: str):
        from nbgrader.preprocessors import OverwriteCells
        self.pre = OverwriteCells()
        self.pre.log.setLevel(logging.ERROR)
        self.pre.gradebook, self.pre.notebook_id, self.pre.assignment_id = gb, stem, unit
        self.source_nb = gb.find_notebook(stem, unit)

    def cell(self, cell, index: int):
        return self.pre.preprocess_cell(cell, {}, index)[0]

    def missing(self, nb, present: set[str]) -> list[str]:
        """Add back the graded cells the student deleted, after the nearest earlier source cell."""
        source_cells = self.source_nb.source_cells
        order = [c.name for c in source_cells]
        solution_ids = {c.name for c in self.source_nb.solution_cells}
        added = []
        for grade_cell in sorted(self.source_nb.grade_cells, key=lambda c: order.index(c.name)):
            if grade_cell.name in present:
                continue
            idx = order.index(grade_cell.name)
            new = self.pre.missing_cell_transform(source_cells[idx], grade_cell.max_score,
                                                  is_solution=grade_cell.name in solution_ids)
            new["id"] = f"restored-{len(nb.cells)}"
            where = len(nb.cells)  # nothing earlier survives: at the end
            for earlier in reversed(order[:idx]):
                pos = next((i for i, c in enumerate(nb.cells) if _gid(c) == earlier), None)
                if pos is not None:
                    where = pos + 1
                    break
            nb.cells.insert(where, new)
            present.add(grade_cell.name)
            added.append(grade_cell.name)
        return added


def _visible(source: str) -> str:
    """What a student sees of a cell: hidden tests removed, trailing space ignored.

    A block runs from a line that starts (after spaces) with `### BEGIN HIDDEN TESTS` to the next
    that starts with `### END HIDDEN TESTS`; a block that never ends is kept. One pass over the
    lines: it reads the student's own source of every graded cell, in the main thread, before
    any grading (the regex it replaces, `BEGIN.*?^END`, took quadratic time on a cell of
    BEGIN lines without an END: 184 KB, 26 s; a few MB held up the whole batch for hours)."""
    kept: list[str] = []
    block: list[str] | None = None   # the lines of an open hidden block
    for line in source.split("\n"):
        start = line.lstrip(" \t")
        if block is None:
            if start.startswith("### BEGIN HIDDEN TESTS"):
                block = [line]
            else:
                kept.append(line)
        else:
            block.append(line)
            if start.startswith("### END HIDDEN TESTS"):
                block = None
    kept += block or []
    return "\n".join(line.rstrip() for line in "\n".join(kept).strip().splitlines())


def _repair_schema(nb) -> None:
    """Fill what nbformat requires and sloppy editors leave out (outputs, metadata, cell ids)."""
    # Everything becomes nbformat 4.5 with unique cell ids: nbgrader's OverwriteCells validates
    # a restored cell against the 4.5 schema, which wants an id.
    nb["nbformat_minor"] = max(5, int(nb.get("nbformat_minor") or 0))
    ids: set[str] = set()
    for n, cell in enumerate(nb.get("cells", [])):
        cid = cell.get("id")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", cid) or cid in ids:
            cell["id"] = cid = f"cell-{n}"
        ids.add(cid)
        cell.setdefault("metadata", {})
        if not isinstance(cell["metadata"], dict):
            cell["metadata"] = {}
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        cell.setdefault("source", "")
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)


def prepare(job: Job, gb) -> Job:
    """Read and repair one submission (see module docstring). Sets job.nb, or job.invalid."""
    from nbgrader.nbgraderformat import MetadataValidator
    from nbgrader.utils import is_locked

    if job.path is None or not job.path.is_file():
        job.invalid = "notebook not submitted"
        return job
    job.submission_sha256 = sha256_file(job.path)
    size = job.path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        job.invalid = f"invalid notebook: the file is {size / 1024 ** 2:.0f} MB (limit {MAX_NOTEBOOK_BYTES // 1024 ** 2} MB)"
        return job
    try:
        text = job.path.read_bytes().decode("utf-8")
        raw = json.loads(text)
    except (UnicodeDecodeError, ValueError) as e:
        job.invalid = f"invalid notebook: not valid JSON ({_one_line(e, 120)})"
        return job
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list) or raw.get("nbformat") != 4:
        job.invalid = "invalid notebook: not an nbformat 4 notebook (no list of cells)"
        return job
    if len(raw["cells"]) > MAX_CELLS:
        job.invalid = f"invalid notebook: {len(raw['cells'])} cells (limit {MAX_CELLS})"
        return job
    try:
        nb = nbformat.from_dict(raw)
        _repair_schema(nb)
        nbformat.validate(nb)
    except Exception as e:  # nbformat's ValidationError and anything odd in the structure
        job.invalid = f"invalid notebook: {_one_line(getattr(e, 'message', e), 160)}"
        return job

    notes = job.notes
    spec = nb.metadata.get("kernelspec", {})
    if not isinstance(spec, dict) or spec.get("name") != "python3":
        name = spec.get("name") if isinstance(spec, dict) else spec
        # the name is the student's: capped like every message (a 90 MB name went into the record)
        notes.append(f"kernelspec {_one_line(repr(name), 80)} replaced by python3")
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}

    validator = MetadataValidator()
    tests = {gid for gid, _ in job.grade_cells}   # the source's graded test cells (locked)
    seen: set[str] = set()
    overwrite = _Overwrite(gb, job.unit, job.stem)
    for i, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.metadata:
            continue
        before = (cell.cell_type, _visible(cell.source))
        # nbgrader's OverwriteCells writes the instructor's source (hidden tests included) into the cell
        # before it finds a flag it objects to: a cell it rejects goes back to the student's own copy
        students = copy.deepcopy(cell)
        try:  # OverwriteCells first: it restores the cell type the validator would trip on
            cell = validator.upgrade_cell_metadata(cell)
            gid = _gid(cell)
            if gid in seen:
                notes.append(f"cell {i}: second copy of graded cell {gid} not graded")
                del cell.metadata["nbgrader"]
                continue
            cell = overwrite.cell(cell, i)
            validator.validate_cell(cell)
        except Exception as e:  # damaged metadata: a plain cell from now on (a test then comes back)
            notes.append(f"cell {i}: damaged nbgrader metadata ignored ({_one_line(e, 80)})")
            students.metadata.pop("nbgrader", None)
            nb.cells[i] = students
            continue
        gid = _gid(cell)  # None when the gradebook does not know it
        if gid is not None and is_graded_test(cell) and gid not in tests:
            # A graded cell of the gradebook that is not one of its (locked) test cells, flagged as a
            # test by the student: an autograded-answer cell (grade + solution, unlocked, so nbgrader
            # keeps the student's source) with `solution` turned off would run the student's code in
            # the checker, which judges this notebook and the next ones. Plain cell; it comes back.
            notes.append(f"cell {i}: graded cell {gid} flagged as a test: not run as one")
            students.metadata.pop("nbgrader", None)
            nb.cells[i] = students
            continue
        nb.cells[i] = cell
        if gid is None:
            continue
        seen.add(gid)
        if before[0] != cell.cell_type:
            notes.append(f"graded cell {gid} was turned into {before[0]}: restored as {cell.cell_type}")
        elif is_locked(cell) and before[1] != _visible(cell.source):
            notes.append(f"locked cell {gid} was edited: restored")
    for gid in overwrite.missing(nb, seen):
        notes.append(f"graded cell {gid} was deleted: added back")
    job.nb = nb
    return job


# --------------------------------------------------------------------------------------------
# Stage 2: execute (worker threads; no gradebook, no course files)
# --------------------------------------------------------------------------------------------

class GradingClient(NotebookClient):
    """nbclient that runs graded test cells in the checker (bridge.py), caps every kind of output
    the student's kernel sends (streams, display data and their metadata, errors, widget state),
    and records which cell was running."""

    def __init__(self, *args, checker=None, listener=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checker, self.listener = checker, listener
        self.current_index = -1
        self.total_output = 0
        self.cell_output: dict[int, int] = {}
        self.truncated: set[int] = set()
        self.on_cell_executed = self._record_status

    on_first_cell = None  # called once, when the kernel is up and the first cell starts

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.current_index = cell_index
        if self.on_first_cell is not None:
            self.on_first_cell()
        if self.checker is not None and is_graded_test(cell):
            await run_graded_cell(self, cell, cell_index, self.checker, self.listener, self.timeout,
                                  lambda c: execute_scratch(self, c))
            self.current_index = cell_index
            return cell
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    async def _record_status(self, cell, cell_index, execute_reply) -> None:
        # The kernel's own verdict on the cell, kept beside its outputs: a student's code that
        # silences IPython's traceback display still leaves status "error" in the reply.
        status = (execute_reply or {}).get("content", {}).get("status")
        cell.metadata.setdefault("autograder", {})["status"] = status

    def _fits(self, cell_index: int, size: int) -> bool:
        used = self.cell_output.get(cell_index, 0)
        if used + size > MAX_CELL_OUTPUT or self.total_output + size > MAX_NOTEBOOK_OUTPUT:
            return False
        self.cell_output[cell_index] = used + size
        self.total_output += size
        return True

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if msg["msg_type"] == "error":  # shortened; its status is also in the reply
            content["traceback"] = [str(line)[:2000] for line in list(content.get("traceback", []))[-30:]]
            content["evalue"] = str(content.get("evalue", ""))[:4000]
            content["ename"] = str(content.get("ename", ""))[:200]
        size = len(json.dumps(content, default=str))  # text, data, metadata, traceback: all of it
        if not self._fits(cell_index, size):
            if cell_index not in self.truncated:
                self.truncated.add(cell_index)
                outs.append(nbformat.v4.new_output(
                    "stream", name="stdout",
                    text=f"\n[output truncated by the grader: more than {MAX_CELL_OUTPUT // 1024} KiB]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)

    def handle_comm_msg(self, outs, msg, cell_index):
        # Widget state ends up in the saved notebook's metadata: it counts against the same caps,
        # its binary buffers too (nbclient keeps them, base64, in the notebook's widget state: 8
        # buffers of 16 MiB made a 170 MiB notebook).
        size = len(json.dumps(msg.get("content", {}), default=str))
        size += sum(4 * memoryview(b).nbytes // 3 + 4 for b in msg.get("buffers") or [])
        if not self._fits(cell_index, size):
            self.truncated.add(cell_index)
            return None
        return super().handle_comm_msg(outs, msg, cell_index)

    def _update_display_id(self, display_id, msg):
        # An update (update_display_data, or a display_data with the same display_id) rewrites every
        # earlier output with that id, in whichever cell it was shown, outside `output` and its caps:
        # 300 one-character displays updated with 1 MiB each made a 300 MiB notebook. Each update is
        # charged in full to each cell it rewrites, as if it were new output.
        size = len(json.dumps(msg.get("content", {}), default=str))
        for cell_idx, indices in self._display_id_map.get(display_id, {}).items():
            if not self._fits(cell_idx, size * len(indices)):
                self.truncated.add(cell_idx)
                return None
        return super()._update_display_id(display_id, msg)


def cell_result(cell) -> tuple[float, str]:
    """(fraction of points, error) of an executed graded test cell, from the checker's verdict.

    A cell earns all its points when the checker ran it without error, none otherwise, unless the
    test itself returned a `coursekit.testing.partial_credit` fraction: nothing the student's
    kernel printed or returned is read as a score. A verdict that is not a finite fraction in
    [0, 1] is 0 points with the reason."""
    if cell.cell_type != "code":
        return 0.0, "not run: not a code cell"
    verdict = cell.metadata.get("autograder", {})
    if not verdict.get("checker"):
        return 0.0, "not run by the checker"
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            return 0.0, _one_line(f"{out.get('ename', 'Error')}: {out.get('evalue', '')}")
    if verdict.get("status") != "ok":
        return 0.0, "error"
    partial = verdict.get("partial")
    if partial is None:
        return 1.0, ""
    if not isinstance(partial, (int, float)) or isinstance(partial, bool) or not math.isfinite(partial) \
            or not 0.0 <= partial <= 1.0:
        return 0.0, f"partial credit {str(partial)[:40]} is not a fraction in [0, 1]"
    return float(partial), ""


def score(nb, grade_cells: list[tuple[str, float]], state: str) -> dict:
    by_id = {}
    for cell in nb.cells if nb is not None else []:
        gid = _gid(cell)
        if gid and gid not in by_id:
            by_id[gid] = cell
    scores = {}
    for gid, max_points in grade_cells:
        if state != "graded":
            scores[gid] = {"points": 0.0, "max_points": max_points, "passed": False, "error": f"not run: {state}"}
            continue
        cell = by_id.get(gid)
        if cell is None:
            fraction, error = 0.0, "not run: cell missing"
        elif cell.cell_type == "code" and cell.get("execution_count") is None and not cell.get("outputs"):
            fraction, error = 0.0, "not run"
        else:
            fraction, error = cell_result(cell)
        points = round(fraction * max_points, 6)
        scores[gid] = {"points": points, "max_points": max_points, "passed": points >= max_points and not error,
                       "error": error}
    return scores


def _memory_notes(nb, limits: sb.Limits) -> list[str]:
    notes = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.output_type == "error" and out.get("ename") == "MemoryError":
                notes.append(f"cell {i} ran out of memory (MemoryError at the {limits.memory_gib:g} GiB limit)")
    return notes


def _last_line(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, f.seek(0, 2) - 4096))
            lines = [l for l in f.read().decode("utf-8", "replace").splitlines() if l.strip()]
        return f": {_one_line(lines[-1], 200)}" if lines else ""
    except OSError:
        return ""


CHECKER_LIMITS = sb.Limits(memory_gib=6.0, nproc=256)   # the checker runs only the course's own tests


class Worker:
    """One grading worker: a slot for the student's kernel, and a slot of its own (another uid,
    another box) for the checker that runs the graded test cells. The checker process is kept
    for the worker's next notebook and reset between them (bridge.CheckerProcess.reset)."""

    def __init__(self, base: Path, index: int, box: sb.Box):
        import autograder
        self.slot = sb.Slot(base, index)
        self.checker_slot = sb.Slot(base, f"{index}-checker")
        self.checker_slot.reset(box.mpl_cache)
        checker_box = dataclasses.replace(box, ro_paths=sb._dedupe(box.ro_paths + [Path(autograder.__file__).parent]))
        prefix = sb.box_command(self.checker_slot, checker_box, CHECKER_LIMITS)
        self.checker = CheckerProcess(self.checker_slot.dir / "checker", prefix, dict(os.environ),
                                      uid=checker_box.kernel_uid(self.checker_slot))

    def close(self) -> None:
        self.checker.stop()
        self.checker_slot.close()
        self.slot.close()


@dataclass
class Task:
    """One prepared notebook and the student's files: all that grading it needs, as plain data, so
    it runs the same in a local worker thread and in a Dask task on another machine (cluster.py)."""
    notebook: str                   # file name, e.g. "01-fixture.ipynb"
    nb: str                         # the prepared notebook (JSON): locked cells restored, hidden tests in
    files: dict[str, bytes]         # the student's folder as sent: their notebook, the unit's others
    notes: list[str]


def make_task(job: Job) -> Task:
    """The Task of a prepared job: its notebook as JSON and the student's files, read here."""
    files: dict[str, bytes] = {}
    if job.path is not None:
        budget = MAX_EXTRA_BYTES  # the student's own files beside the notebook (data they made, helpers)
        for f in sorted(job.path.parent.iterdir()):
            if f.is_file() and not f.is_symlink() and f.name != "timestamp.txt" and f.stat().st_size <= budget:
                budget -= f.stat().st_size
                files[f.name] = f.read_bytes()
        files[job.notebook] = job.path.read_bytes()  # their notebook as sent (never the one with hidden tests)
    return Task(job.notebook, nbformat.writes(job.nb), files, list(job.notes))


def execute(task: Task, slot: sb.Slot, box: sb.Box, limits: sb.Limits, checker: CheckerProcess) -> dict:
    """Run one prepared task in the slot's box, its graded cells in the checker; returns {state, reason, notes, nb}."""
    checker.reset()  # before the student's box starts: a checker failure is ours, not theirs
    slot.reset(box.mpl_cache)
    for name, data in task.files.items():
        (slot.home / Path(name).name).write_bytes(data)
    slot.give_to_uid(slot.home)

    nb = nbformat.reads(task.nb, as_version=4)
    km = sb.SandboxKernelManager(slot=slot, limits=limits, box=box)
    listener = StudentListener(slot.kernel_dir / "probe.sock", box.kernel_uid(slot))
    client = GradingClient(
        nb, km=km, checker=checker, listener=listener, timeout=int(limits.timeout_cell), startup_timeout=120, allow_errors=True,
        interrupt_on_timeout=False, shutdown_kernel="immediate", record_timing=False,
        coalesce_streams=True, kernel_name="python3",
        extra_arguments=[f"--IPKernelApp.exec_lines={SEED_LINES}"],
        resources={"metadata": {"path": str(slot.home)}})
    client.log.setLevel(logging.CRITICAL)
    log_path = slot.dir / "kernel.log"
    state, reason = "graded", ""
    with open(log_path, "wb") as kernel_log, sb.Watchdog(slot, limits, km) as dog:
        client.on_first_cell = dog.start_clock
        try:
            client.execute(stdout=kernel_log, stderr=kernel_log)
        except CellTimeoutError:
            state, reason = "timed_out", f"cell {client.current_index} ran longer than {limits.timeout_cell:g} s (per-cell limit)"
        except DeadKernelError:
            state, reason = "crashed", None
        except CheckerError as e:  # the grader's own failure: said as such (before RuntimeError, its base class)
            state, reason = "crashed", f"grader error: {_one_line(e, 200)}"
        except RuntimeError as e:  # "Kernel died before replying to kernel_info" and the like
            state, reason = "crashed", None if "died" in str(e) else f"kernel did not start: {_one_line(e, 150)}{_last_line(log_path)}"
        except Exception as e:  # anything else nbclient raises is about this submission
            state, reason = "crashed", f"kernel failed: {type(e).__name__}: {_one_line(e, 150)}"
        finally:
            # nbclient leaves a kernel it does not own running (and its atexit hook armed when the
            # start failed): the box is ours to end, the client's sockets too.
            atexit.unregister(client._cleanup_kernel)
            process = getattr(km.provisioner, "process", None)
            code = process.poll() if process is not None else None
            km.kill_box()
            if client.kc is not None:
                try:
                    client.kc.stop_channels()
                except Exception:
                    pass
                client.kc.context.destroy(linger=0)   # the client's own context, not km's
            # Close every socket now, dropping what is queued for the dead kernel: left to the
            # garbage collector, zmq's Context.term() would wait forever on those messages.
            km.context.destroy(linger=0)
            listener.close()
    if dog.verdict is not None:  # the watchdog's word wins: it knows why the kernel died
        state, reason = dog.verdict
        if client.current_index >= 0:  # and the cell it stopped (a whole-notebook time-out named none)
            reason += f", in cell {client.current_index}"
    elif state == "crashed" and reason is None:
        where = f" in cell {client.current_index}" if client.current_index >= 0 else " before the first cell"
        mem = " (near its memory limit)" if dog.peak_rss > 0.9 * limits.memory_bytes else ""
        reason = sb.exit_reason(code) + where + mem
        if client.current_index < 0:  # it never started: the kernel's own last words say why
            reason += _last_line(log_path)
    notes = list(task.notes) + _memory_notes(nb, limits)
    if client.truncated:
        notes.append(f"output truncated in cell(s) {sorted(client.truncated)}")
    return {"state": state, "reason": reason, "notes": notes, "nb": nb}


# --------------------------------------------------------------------------------------------
# Stage 3: record (main thread)
# --------------------------------------------------------------------------------------------

def make_record(job: Job, state: str, reason: str, notes: list[str], seconds: float, nb=None) -> dict:
    scores = score(nb, job.grade_cells, state)
    return {
        "student": job.student, "unit": job.unit, "notebook": job.notebook, "state": state,
        "reason": "" if state == "graded" else _one_line(reason or state),
        "submission_sha256": job.submission_sha256, "source_sha256": job.source_sha256,
        "timestamp": job.timestamp, "seconds": round(seconds, 3), "scores": scores,
        "total": round(sum(s["points"] for s in scores.values()), 6),
        "max_total": round(sum(s["max_points"] for s in scores.values()), 6),
        "notes": notes,
    }


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    # A graded notebook holds what a student's kernel sent: JSON may carry a lone surrogate
    # ("\\ud800"), which UTF-8 cannot encode; a strict write raised here, in the main thread,
    # and stopped the whole batch. It is written as "?".
    tmp.write_bytes(text.encode("utf-8", "replace"))
    os.replace(tmp, path)


class Recorder:
    """Writes results, autograded notebooks and gradebook scores; main thread only."""

    def __init__(self, course: Course, unit: str, gb):
        self.course, self.unit, self.gb = course, unit, gb
        self.results = course.workspace / "results" / unit

    def result_path(self, student: str, notebook: str) -> Path:
        return self.results / student / f"{Path(notebook).stem}.json"

    def write(self, record: dict, nb=None) -> None:
        _atomic_write(self.result_path(record["student"], record["notebook"]), json.dumps(record, indent=1))
        if nb is not None:
            target = self.course.workspace / "autograded" / record["student"] / self.unit / record["notebook"]
            _atomic_write(target, nbformat.writes(nb))
        self.to_gradebook(record)

    def to_gradebook(self, record: dict) -> None:
        import warnings
        from sqlalchemy.exc import SAWarning
        with warnings.catch_warnings():  # nbgrader's own add_submission trips SQLAlchemy's autoflush warnings
            warnings.simplefilter("ignore", SAWarning)
            self._to_gradebook(record)

    def _to_gradebook(self, record: dict) -> None:
        from nbgrader.utils import parse_utc
        gb, student = self.gb, record["student"]
        gb.update_or_create_student(student)
        kwargs = {}
        if record.get("timestamp"):
            try:
                kwargs["timestamp"] = parse_utc(record["timestamp"])
            except Exception:
                pass
        gb.update_or_create_submission(self.unit, student, **kwargs)
        stem = Path(record["notebook"]).stem
        for gid, s in record["scores"].items():
            try:
                grade = gb.find_grade(gid, stem, self.unit, student)
            except Exception:
                continue
            grade.auto_score = s["points"]
        gb.db.commit()


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------

def ensure_assignment(course: Course, unit: str, db_url: str) -> None:
    """Record the unit (notebooks, source and grade cells, hidden tests included) in the gradebook.

    nbgrader's generate_assignment does it (into a throwaway release folder); it is skipped when
    this gradebook already holds the unit as it is now (a stamp of the solution notebooks'
    hashes per gradebook, in grading/.recorded.json).
    """
    from nbgrader.api import Gradebook, MissingEntry
    from .release import generate
    names = course.notebooks(unit)
    digest = hashlib.sha256("".join(f"{n}:{sha256_file(course.solutions / unit / n)};" for n in names).encode()).hexdigest()
    key = hashlib.sha256(f"{db_url}#{unit}".encode()).hexdigest()  # no password in the stamp file
    stamp_file = course.workspace / ".recorded.json"
    try:
        stamps = json.loads(stamp_file.read_text())
    except (OSError, ValueError):
        stamps = {}
    if stamps.get(key) == digest:
        try:
            with Gradebook(gradebook_url(db_url)) as gb:
                recorded = sorted(nb.name for nb in gb.find_assignment(unit).notebooks)
            if recorded == sorted(Path(n).stem for n in names):
                return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory(prefix="grade-release-") as tmp:
        generate(course, unit, Path(tmp), db_url=db_url)
    stamps[key] = digest
    _atomic_write(stamp_file, json.dumps(stamps, indent=1))


def source_grade_cells(solution: Path) -> list[tuple[str, float]]:
    nb = nbformat.read(solution, as_version=4)
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            out.append((meta["grade_id"], float(meta.get("points", 0))))
    return out


def find_jobs(course: Course, unit: str) -> list[Job]:
    submitted = course.workspace / "submitted"
    notebooks = course.notebooks(unit)
    sources = {nb: sha256_file(course.solutions / unit / nb) for nb in notebooks}
    cells = {nb: source_grade_cells(course.solutions / unit / nb) for nb in notebooks}
    jobs = []
    students = sorted(p.name for p in submitted.iterdir() if (p / unit).is_dir()) if submitted.is_dir() else []
    for student in students:
        folder = submitted / student / unit
        stamp = read_timestamp(folder)
        for nb in notebooks:
            path = folder / nb
            jobs.append(Job(student, unit, nb, path if path.is_file() else None, sources[nb], cells[nb],
                            timestamp=stamp))
    return jobs


def _is_done(record_path: Path, job: Job) -> dict | None:
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        return None
    sha = sha256_file(job.path) if job.path is not None else ""
    if (record.get("state") in STATES and record.get("submission_sha256") == sha
            and record.get("source_sha256") == job.source_sha256):
        return record
    return None


def check_sandbox(sandbox: bool) -> None:
    if sandbox and sb.bwrap_path() is None:
        raise SystemExit(sb.BWRAP_MISSING)
    if not sandbox:
        print("WARNING: --no-sandbox: student code runs WITHOUT bubblewrap: it can read the solutions, the "
              "gradebook and every file your user can read (only the rlimits and time limits apply)",
              file=sys.stderr)


def grade_unit(course: Course, unit: str, workers: int | None = None, timeout_cell: float = 60,
               timeout_notebook: float = 600, memory_gib: float = 4.0, db_url: str | None = None,
               sandbox: bool = True, progress: bool = True, force: bool = False,
               limits: sb.Limits | None = None, scheduler: str | None = None) -> list[dict]:
    """Grade every collected submission of `unit`; returns one record per (student, notebook).

    scheduler: a Dask scheduler's address: each notebook is graded by a task on that cluster's
    workers (cluster.py) instead of by local worker threads; the records are the same."""
    from nbgrader.api import Gradebook

    unit = course.unit(unit)
    if scheduler is None:  # on a cluster, each worker checks its own sandbox
        check_sandbox(sandbox)
    db_url = db_url or course.db_url
    course.workspace.mkdir(parents=True, exist_ok=True)
    limits = limits or sb.Limits(memory_gib=memory_gib, timeout_cell=timeout_cell,
                                 timeout_notebook=timeout_notebook)
    workers = max(1, workers or os.cpu_count() or 1)
    ensure_assignment(course, unit, db_url)
    jobs = find_jobs(course, unit)
    records: dict[tuple[str, str], dict] = {}

    with Gradebook(gradebook_url(db_url)) as gb:
        recorder = Recorder(course, unit, gb)
        todo: list[Job] = []
        for job in jobs:
            done = None if force else _is_done(recorder.result_path(job.student, job.notebook), job)
            if done is not None:
                recorder.to_gradebook(done)
                records[(job.student, job.notebook)] = done
                continue
            t0 = time.monotonic()
            try:
                prepare(job, gb)
            except Exception as e:  # a grader bug must not stop the batch: record it
                job.invalid = f"invalid notebook: could not be prepared ({type(e).__name__}: {_one_line(e, 100)})"
            if job.invalid:
                record = make_record(job, "invalid", job.invalid, job.notes, time.monotonic() - t0)
                recorder.write(record)
                records[(job.student, job.notebook)] = record
            else:
                todo.append(job)

        if todo and scheduler is not None:
            from .cluster import run_on_cluster
            run_on_cluster(course, unit, todo, scheduler, limits, sandbox, recorder, records, progress)
        elif todo:
            _run_jobs(course, unit, todo, workers, limits, sandbox, recorder, records, progress)
    # On a cluster, a notebook its worker refused (other course files) or the cluster lost is not
    # recorded: it has no record here, and a re-run grades it.
    return [records[(j.student, j.notebook)] for j in jobs if (j.student, j.notebook) in records]


def ensure_data(data_dir: Path) -> None:
    """Build the course's datasets, as trusted code outside the sandbox, before any kernel runs.

    Inside the sandbox data/ is read-only: a set missing or changed there would fail every
    student's tests alike, so it is built (or verified against its manifest) here first.
    """
    from coursekit import data
    data.build(data_dir)
    # Kernels run as unprivileged uids: the folder must be enterable by them (a private 0700 one,
    # e.g. made by mkdtemp, would fail every student alike). Its contents are public course data.
    data_dir.chmod(data_dir.stat().st_mode | 0o755)


class SlotPool:
    """Grading workers (slot + checker), made on first use and reused; any thread may take one.

    The local pool's threads and a Dask worker's task threads (cluster.py) both grade through it."""

    def __init__(self, box: sb.Box):
        self.box = box
        self.base = Path(tempfile.mkdtemp(prefix="autograder-"))
        os.chmod(self.base, 0o711)  # the slots' uids may pass through (needed without bwrap), not list it
        self.free: list[Worker] = []
        self.made: list[Worker] = []
        self.handed_out = 0  # worker numbers given so far (a number is never reused: one slot dir each)
        self.lock = threading.Lock()

    def run(self, task: Task, limits: sb.Limits) -> dict:
        """Grade one task on a free worker: {state, reason, notes, nb, seconds}. Never raises for
        the task's sake: the grader's own failure on it is recorded as crashed, with the reason."""
        with self.lock:
            worker = self.free.pop() if self.free else None
            if worker is None:
                index, self.handed_out = self.handed_out, self.handed_out + 1
        t0 = time.monotonic()
        try:
            if worker is None:
                worker = Worker(self.base, index, self.box)
                with self.lock:
                    self.made.append(worker)
            out = execute(task, worker.slot, self.box, limits, worker.checker)
        except Exception as e:  # the grader's own failure on this one: record, carry on
            out = {"state": "crashed", "reason": f"grader error: {type(e).__name__}: {_one_line(e, 150)}",
                   "notes": list(task.notes), "nb": None}
        finally:
            if worker is not None:
                with self.lock:
                    self.free.append(worker)
        out["seconds"] = time.monotonic() - t0
        return out

    def close(self) -> None:
        for worker in self.made:
            worker.close()
        shutil.rmtree(self.base, ignore_errors=True)


def record_result(job: Job, out: dict, recorder: "Recorder", records: dict) -> dict:
    """The record of one graded job, written (results, autograded notebook, gradebook): main process only."""
    rec = make_record(job, out["state"], out["reason"], out["notes"], out["seconds"], out["nb"])
    recorder.write(rec, out["nb"])
    records[(job.student, job.notebook)] = rec
    return rec


def progress_bar(total: int, unit: str, show: bool):
    if not show:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, unit="nb", desc=f"grading {unit}", dynamic_ncols=True)


def maybe_slowed_by_others(rec: dict) -> bool:
    """A result the other notebooks of the batch may have caused by taking the CPU: a time-out, or
    a kernel or checker that did not start in time (a neighbour's process storm starves them too)."""
    reason = rec.get("reason") or ""
    return rec["state"] == "timed_out" or (rec["state"] == "crashed" and (
        reason.startswith("kernel did not start") or reason.startswith("grader error: the checker did not start")))


def alone_note(workers: int, first: dict, state: str) -> str:
    what = "timed out" if first["state"] == "timed_out" else "did not start"
    return f"{what} while {workers} notebooks ran at once ({first['reason']}); graded again alone: {state}"


def _run_jobs(course, unit, todo, workers, limits, sandbox, recorder, records, progress) -> None:
    box = sb.Box.for_course(course.root, sandbox=sandbox)
    ensure_data(Path(box.env["COURSE_DATA_DIR"]))
    pool = SlotPool(box)
    workers = min(workers, len(todo))

    def work(job: Job) -> tuple[Job, dict]:
        return job, pool.run(make_task(job), limits)

    bar = progress_bar(len(todo), unit, progress)
    slowed: list[Job] = []
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grader") as executor:
            futures = [executor.submit(work, job) for job in todo]
            for future in as_completed(futures):
                job, out = future.result()
                rec = record_result(job, out, recorder, records)
                if maybe_slowed_by_others(rec) and workers > 1:
                    slowed.append(job)
                if bar is not None:
                    bar.set_postfix_str(f"{job.student}: {rec['state']}", refresh=False)
                    bar.update(1)
        # A notebook that ran out of time (or whose kernel or checker did not start) while others
        # shared the CPU may only have been slowed down by them: it is graded once more, alone.
        for job in slowed:
            first = records[(job.student, job.notebook)]
            _, out = work(job)
            out["notes"] = list(out["notes"]) + [alone_note(workers, first, out["state"])]
            record_result(job, out, recorder, records)
    finally:
        if bar is not None:
            bar.close()
        pool.close()


def print_table(records: list[dict], file=None) -> None:
    file = file or sys.stdout
    rows = [("student", "notebook", "state", "score", "seconds", "reason")]
    for r in records:
        rows.append((r["student"], r["notebook"], r["state"], f"{r['total']:g}/{r['max_total']:g}",
                     f"{r['seconds']:.1f}", r["reason"] or "; ".join(r.get("notes", []))[:100]))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths)) + "  " + row[5], file=file)
    counts = {s: sum(r["state"] == s for r in records) for s in STATES}
    print(", ".join(f"{n} {s}" for s, n in counts.items()), file=file)


def main(course: Course, args) -> int:
    # nbclient leaves an output-polling task pending after a cell timeout; asyncio would print
    # "Task was destroyed but it is pending!" at exit for each. Nothing is lost: keep it quiet.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    records = grade_unit(course, args.unit, workers=args.workers, timeout_cell=args.timeout_cell,
                         timeout_notebook=args.timeout_notebook, memory_gib=args.memory,
                         db_url=args.db_url, sandbox=not args.no_sandbox,
                         force=getattr(args, "force", False), scheduler=getattr(args, "scheduler", None))
    if not records:
        print(f"no submissions of {course.unit(args.unit)} in {course.workspace / 'submitted'} "
              f"(run `autograder collect` first)")
        return 0
    print_table(records)
    expected = len(find_jobs(course, course.unit(args.unit)))
    if len(records) < expected:
        print(f"{expected - len(records)} notebook(s) not recorded (see above): run grade again", file=sys.stderr)
        return 1
    return 0 if all(r["state"] in STATES for r in records) else 1
