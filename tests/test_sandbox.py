"""The sandbox on its own (what a process inside sees and may do) and `grade` without bubblewrap."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from autograder import cli
from autograder import sandbox as sb
from autograder.course import Course
from autograder.examples import make_examples
from autograder.grade import grade_unit

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT = "1-fixture"
NB = "01-fixture.ipynb"
needs_bwrap = pytest.mark.skipif(sb.bwrap_path() is None, reason="bubblewrap (bwrap) is not installed")
needs_root = pytest.mark.skipif(not sb.is_root(), reason="the per-slot uid needs root")

PROBE = r'''
import json, os, resource, socket, sys
out = {"uid": os.getuid(), "pid": os.getpid(), "env": sorted(os.environ),
       "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0], "data": resource.getrlimit(resource.RLIMIT_DATA)[0],
       "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0]}
course = sys.argv[1]
out["sees_course"] = os.path.exists(course)
out["sees_solutions"] = os.path.exists(os.path.join(course, "solutions"))
out["sees_data"] = os.path.isdir(os.path.join(course, "data"))
out["sees_root_home"] = sorted(os.listdir("/root"))
out["processes"] = sorted(p for p in os.listdir("/proc") if p.isdigit())
writes = {}
for path in ["/tmp/ok", os.path.join(os.environ["HOME"], "ok"), "/usr/evil", "/etc/evil", sys.prefix + "/evil",
             os.path.join(course, "data", "evil")]:
    try:
        open(path, "w").write("x")
        writes[path] = "written"
    except OSError as e:
        writes[path] = type(e).__name__
out["writes"] = writes
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
    out["network"] = "connected"
except OSError as e:
    out["network"] = str(e)
print(json.dumps(out))
'''


@pytest.fixture()
def course(tmp_path):
    """The fixture course, without a data/ of its own: its kernels read the course's built sets
    (a data/ here would be the course's data dir, and grade would build every set into it)."""
    return Course.at(shutil.copytree(FIXTURE, tmp_path / "course"))


@pytest.fixture()
def course_with_data(course):
    """The fixture course with a data/ folder of its own, for what the box mounts (nothing grades it)."""
    (course.root / "data").mkdir()
    (course.root / "data" / "digits.safetensors").write_bytes(b"data")
    return course


def _run_in_box(course: Course, code: str, args: list[str], limits: sb.Limits, tmp_path: Path):
    box = sb.Box.for_course(course.root)
    slot = sb.Slot(tmp_path / "slots", 0)
    try:
        slot.reset()
        cmd = sb.bwrap_command(slot, box, sb.kernel_env(slot, box)) + sb.limit_command(limits, slot.uid)
        cmd += [sys.executable, "-c", code, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120), slot.uid
    finally:
        slot.close()


@needs_bwrap
@needs_root
def test_inside_the_box(course_with_data, tmp_path, monkeypatch):
    course = course_with_data
    monkeypatch.setenv("INSTRUCTOR_SECRET", "hunter2")
    limits = sb.Limits(memory_gib=1.5, nproc=50, file_gib=0.5)
    proc, uid = _run_in_box(course, PROBE, [str(course.root)], limits, tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["uid"] == uid and uid >= 61000                  # not root
    assert out["pid"] < 10 and len(out["processes"]) <= 3     # its own pid namespace
    assert "INSTRUCTOR_SECRET" not in out["env"] and "COURSE_GRADING" in out["env"]
    assert (out["nproc"], out["data"], out["fsize"]) == (50, int(1.5 * 2 ** 30), 2 ** 29)
    assert not out["sees_solutions"]                           # the course is not mounted...
    assert out["sees_data"]                                    # ...except data/, read-only
    assert out["sees_root_home"] == [".pyenv"] or not str(sys.base_prefix).startswith("/root")
    w = out["writes"]
    assert w["/tmp/ok"] == "written" and w[str(tmp_path / "slots" / "slot0" / "home" / "ok")] == "written"
    assert all(v in ("PermissionError", "OSError", "FileNotFoundError") for k, v in w.items() if "evil" in k), w
    assert "unreachable" in out["network"].lower()
    assert not (course.root / "data" / "evil").exists()


@needs_root
def test_kill_uid_kills_everything_of_the_uid():
    lease = sb.UidLease()
    try:
        procs = [subprocess.Popen(["setpriv", f"--reuid={lease.uid}", f"--regid={lease.uid}", "--clear-groups",
                                   "--", "sh", "-c", "sleep 300 & sleep 300 & wait"]) for _ in range(3)]
        time.sleep(0.5)
        assert len(sb.processes_of_uid(lease.uid)) >= 9
        sb.kill_uid(lease.uid)
        for p in procs:
            p.wait(timeout=10)
        assert sb.processes_of_uid(lease.uid) == []
    finally:
        lease.release()


@needs_root
def test_two_leases_never_share_a_uid():
    a, b = sb.UidLease(), sb.UidLease()
    try:
        assert a.uid != b.uid
    finally:
        a.release()
        b.release()


def test_scratch_usage(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 100_000)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b").write_bytes(b"y" * 50_000)
    used, files = sb.scratch_usage(tmp_path, 100)
    assert used >= 150_000 and files == 3


def test_exit_reasons():
    assert sb.exit_reason(137) == "kernel killed by SIGKILL (out of memory?)"
    assert sb.exit_reason(-11) == "kernel killed by SIGSEGV"
    assert "status 3" in sb.exit_reason(3)


def _submit_examples(course: Course, tmp_path: Path, kinds=("perfect", "partial")) -> None:
    examples = make_examples(course, UNIT, tmp_path / "examples")
    for kind in kinds:
        folder = course.workspace / "submitted" / kind / UNIT
        folder.mkdir(parents=True)
        shutil.copy(examples[kind] / NB, folder / NB)


def test_grade_refuses_without_bwrap(course, tmp_path, monkeypatch, capsys):
    _submit_examples(course, tmp_path, ("perfect",))
    monkeypatch.setattr(sb, "bwrap_path", lambda: None)
    with pytest.raises(SystemExit) as e:
        cli.main(["--course", str(course.root), "grade", "1"])
    assert "bubblewrap (bwrap) not found" in str(e.value.code)
    assert "--no-sandbox" in str(e.value.code)
    assert not (course.workspace / "results").exists()  # nothing was run


def test_no_sandbox_grades_and_warns(course, tmp_path, monkeypatch, capsys):
    _submit_examples(course, tmp_path)
    monkeypatch.setattr(sb, "bwrap_path", lambda: None)  # --no-sandbox must not need it
    code = cli.main(["--course", str(course.root), "grade", "1", "--no-sandbox", "--workers", "2",
                     "--memory", "1.5", "--timeout-cell", "30"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "WARNING: --no-sandbox" in err
    results = {p.parent.name: json.loads(p.read_text()) for p in (course.workspace / "results" / UNIT).glob("*/*.json")}
    assert {k: (r["state"], r["total"]) for k, r in results.items()} == {"perfect": ("graded", 3.0), "partial": ("graded", 1.0)}
    assert "perfect" in out and "3/3" in out and "1/3" in out  # the table
    nb = nbformat.read(course.workspace / "autograded" / "perfect" / UNIT / NB, as_version=4)
    assert any("### BEGIN HIDDEN TESTS" in c.source for c in nb.cells)  # graded with the hidden tests


@needs_bwrap
def test_grade_builds_the_datasets_before_the_read_only_sandbox_needs_them(course, tmp_path, monkeypatch):
    """data/ is read-only in the sandbox: grade must build (or verify) the sets first, or every
    student's data-loading tests would fail alike.

    The fresh data dir holds copies of every built set but digits (the trained weights take
    minutes to build; the rule is the same for every set): grade must build digits there and
    leave the verified others as they are."""
    from coursekit import data

    built = data.data_dir()
    data.build(built)  # a no-op once the course's sets are built
    data_dir = Path(tempfile.mkdtemp(prefix="fresh-data-"))  # private (0700), as mkdtemp makes it
    for path in built.iterdir():
        if path.name == "manifest.json" or (path.suffix == ".safetensors" and path.stem != "digits"):
            shutil.copy2(path, data_dir / path.name)
    copied = {p.name: p.stat().st_mtime_ns for p in data_dir.iterdir()}
    monkeypatch.setenv("COURSE_DATA_DIR", str(data_dir))
    # A perfect submission with one more graded-looking use of the data: loading digits must work inside.
    examples = make_examples(course, UNIT, tmp_path / "examples")
    nb = nbformat.read(examples["perfect"] / NB, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("from coursekit import data\nX, y = data.digits('test')\nprint('digits', tuple(X.shape))"))
    folder = course.workspace / "submitted" / "reader" / UNIT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NB)
    [record] = grade_unit(course, UNIT, workers=1, memory_gib=3, progress=False)
    assert (data_dir / "digits.safetensors").exists(), (record, sorted(p.name for p in data_dir.iterdir()) if data_dir.exists() else None)
    assert (record["state"], record["total"]) == ("graded", 3.0)
    executed = nbformat.read(course.workspace / "autograded" / "reader" / UNIT / NB, as_version=4)
    printed = "".join(o.get("text", "") for o in executed.cells[2].get("outputs", []))
    assert "digits (270, 1, 8, 8)" in printed, executed.cells[2].get("outputs")
    kept = {name: (data_dir / name).stat().st_mtime_ns for name in copied if name != "manifest.json"}
    assert kept == {name: t for name, t in copied.items() if name != "manifest.json"}, "a valid set was rebuilt"
    assert data_dir.stat().st_mode & 0o755 == 0o755  # enterable by the kernels' uids
    shutil.rmtree(data_dir)


# --------------------------------------------------------------------------- shared memory

HOLD = 1536 << 20  # 1.5 GiB, held under a 0.5 GiB limit (the watchdog's cap: limit + 0.5 GiB)
HOGS = {
    # written into a memfd: never mapped, so in no process's PSS
    "memfd": "import os\nfd = os.memfd_create('hog')\nblock = b'x' * (64 << 20)\n"
             "for _ in range(HOLD // len(block)):\n    os.write(fd, block)\n",
    # a SysV segment filled, then detached: it stays, attached to nobody
    "sysv": "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]\n"
            "libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]\n"
            "libc.shmat.restype = ctypes.c_void_p\nlibc.shmdt.argtypes = [ctypes.c_void_p]\n"
            "sid = libc.shmget(0, HOLD, 0o1000 | 0o600)\nassert sid >= 0, ctypes.get_errno()\n"
            "addr = libc.shmat(sid, None, 0)\nfor i in range(0, HOLD, 64 << 20):\n"
            "    ctypes.memset(addr + i, 1, min(64 << 20, HOLD - i))\nlibc.shmdt(addr)\n",
    # POSIX shared memory (what shm_open names /hog), written and closed
    "posix": "block = b'x' * (64 << 20)\nwith open('/dev/shm/hog', 'wb') as f:\n"
             "    for _ in range(HOLD // len(block)):\n        f.write(block)\n",
}


class _Kernel:
    """What the Watchdog needs of a SandboxKernelManager, for a plain command in the box."""

    def __init__(self, proc, slot, box):
        self.proc, self.slot, self.box = proc, slot, box
        self.kernel_uid = box.kernel_uid(slot)

    @property
    def box_pid(self):
        return self.proc.pid

    def kill_box(self):
        for p in reversed(sb._tree(self.proc.pid)):
            try:
                p.kill()
            except sb.psutil.Error:
                pass
        sb.kill_uid(self.slot.uid)
        self.proc.wait(timeout=10)


@needs_bwrap
@needs_root
@pytest.mark.parametrize("how", sorted(HOGS))
def test_shared_memory_counts_against_the_memory_limit(course, tmp_path, how):
    """Memory held through a memfd, a detached SysV segment or a /dev/shm file is in no PSS; the
    watchdog still sees it and kills the box with an out-of-memory reason."""
    limits = sb.Limits(memory_gib=0.5, file_gib=2, disk_gib=4)
    box = sb.Box.for_course(course.root)
    slot = sb.Slot(tmp_path / "slots", 0)
    code = f"HOLD = {HOLD}\n" + HOGS[how] + "print('held', flush=True)\nimport time\ntime.sleep(120)\n"
    try:
        slot.reset()
        cmd = sb.bwrap_command(slot, box, sb.kernel_env(slot, box)) + sb.limit_command(limits, slot.uid)
        proc = subprocess.Popen(cmd + [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        km = _Kernel(proc, slot, box)
        with sb.Watchdog(slot, limits, km, interval=0.1) as dog:
            proc.wait(timeout=120)
        assert dog.verdict is not None, proc.stderr.read().decode()
        state, reason = dog.verdict
        assert state == "crashed" and reason.startswith("out of memory"), reason
        assert "shared memory" in reason, reason
        assert proc.returncode != 0
        assert sb.sysv_segments() == [] or all(s["uid"] != slot.uid for s in sb.sysv_segments())
    finally:
        slot.close()


@needs_root
def test_reset_removes_the_slot_uids_sysv_segments_and_shm_files(tmp_path):
    """Without bubblewrap a SysV segment outlives the process that made it (and a /dev/shm file
    stays): the next reset of the slot removes the slot uid's, and only those."""
    slot = sb.Slot(tmp_path / "slots", 0)
    try:
        slot.reset()
        code = (f"HOLD = {1 << 20}\n" + HOGS["sysv"]
                + f"open('/dev/shm/autograder-test-{slot.uid}', 'w').write('x')\n")
        subprocess.run(["setpriv", f"--reuid={slot.uid}", f"--regid={slot.uid}", "--clear-groups", "--",
                        sys.executable, "-c", code], check=True, cwd="/")
        mine = [s for s in sb.sysv_segments() if s["uid"] == slot.uid]
        assert len(mine) == 1 and mine[0]["bytes"] >= 1 << 20
        assert (sb.HOST_SHM / f"autograder-test-{slot.uid}").exists()
        slot.reset()
        assert [s for s in sb.sysv_segments() if s["uid"] == slot.uid] == []
        assert not (sb.HOST_SHM / f"autograder-test-{slot.uid}").exists()
    finally:
        slot.close()


@needs_bwrap
@needs_root
def test_grade_kills_a_kernel_holding_sysv_memory(course, tmp_path):
    """End to end: a submission whose cell fills and detaches a SysV segment is recorded
    crashed, out of memory, and an honest one graded beside it is unaffected."""
    from autograder.examples import with_extra_cell

    examples = make_examples(course, UNIT, tmp_path / "examples")
    perfect = nbformat.read(examples["perfect"] / NB, as_version=4)
    # The graded cells talk to the checker through the probe, which imports torch in the kernel:
    # the limit leaves room for that (1.5 GiB), and the hog holds well past limit + slack.
    hog = with_extra_cell(perfect, f"HOLD = {3 * HOLD // 2 + HOLD}\n" + HOGS["sysv"] + "import time\ntime.sleep(30)\n")
    for sid, nb in (("hog", hog), ("perfect", perfect)):
        folder = course.workspace / "submitted" / sid / UNIT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NB)
    limits = sb.Limits(memory_gib=1.5, timeout_cell=60, timeout_notebook=120, file_gib=0.5, disk_gib=1)
    records = {r["student"]: r for r in grade_unit(course, UNIT, workers=1, limits=limits, progress=False)}
    assert records["hog"]["state"] == "crashed" and "out of memory" in records["hog"]["reason"], records["hog"]
    assert (records["perfect"]["state"], records["perfect"]["total"]) == ("graded", 3.0)


@needs_root
def test_no_sandbox_grades_a_course_and_venv_in_a_private_folder(tmp_path):
    """A checkout (venv included) in a private 0700 folder, as `mktemp -d` or a home makes it:
    the slot uid cannot enter it, so --no-sandbox runs the kernels as the invoking user (and
    says so, naming the folder) instead of recording every submission crashed."""
    private = Path(tempfile.mkdtemp(prefix="private-checkout-"))  # 0700, like mktemp -d
    try:
        assert private.stat().st_mode & 0o777 == 0o700
        venv = private / "venv"  # a venv inside it that sees this venv's packages
        subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        [site] = venv.glob("lib/python*/site-packages")
        here = next(p for p in map(Path, sys.path) if p.name == "site-packages" and str(p).startswith(sys.prefix))
        (site / "outer.pth").write_text(f"import site; site.addsitedir({str(here)!r})\n")
        root = shutil.copytree(FIXTURE, private / "course")
        course = Course.at(root)
        _submit_examples(course, tmp_path)
        env = {k: v for k, v in os.environ.items() if k != "COURSE_DATA_DIR"}
        code = "import sys\nfrom autograder import cli\nsys.exit(cli.main(sys.argv[1:]))"
        proc = subprocess.run([str(venv / "bin" / "python"), "-c", code, "--course", str(root), "grade", "1",
                               "--no-sandbox", "--workers", "1", "--memory", "1.5", "--timeout-cell", "30"],
                              capture_output=True, text=True, timeout=600, cwd=private, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert f"the grading uid cannot enter {private}" in proc.stderr, proc.stderr[-3000:]
        results = {p.parent.name: json.loads(p.read_text()) for p in (course.workspace / "results" / UNIT).glob("*/*.json")}
        assert {k: (r["state"], r["total"]) for k, r in results.items()} == \
            {"perfect": ("graded", 3.0), "partial": ("graded", 1.0)}, results
    finally:
        shutil.rmtree(private, ignore_errors=True)
