"""The sandbox on its own (what a process inside sees and may do) and `grade` without bubblewrap."""
from __future__ import annotations

import json
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
    root = shutil.copytree(FIXTURE, tmp_path / "course")
    (root / "data").mkdir()
    (root / "data" / "digits.safetensors").write_bytes(b"data")
    return Course.at(root)


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
def test_inside_the_box(course, tmp_path, monkeypatch):
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
    student's data-loading tests would fail alike."""
    data_dir = Path(tempfile.mkdtemp(prefix="fresh-data-"))  # empty and private (0700), as mkdtemp makes it
    monkeypatch.setenv("COURSE_DATA_DIR", str(data_dir))
    # A perfect submission with one more graded-looking use of the data: loading digits must work inside.
    examples = make_examples(course, UNIT, tmp_path / "examples")
    nb = nbformat.read(examples["perfect"] / NB, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("from coursekit import data\nX, y = data.digits('test')\nprint('digits', tuple(X.shape))"))
    folder = course.workspace / "submitted" / "reader" / UNIT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NB)
    [record] = grade_unit(course, UNIT, workers=1, memory_gib=3, progress=False)
    assert (data_dir / "manifest.json").exists(), (record, sorted(p.name for p in data_dir.iterdir()) if data_dir.exists() else None)
    assert (record["state"], record["total"]) == ("graded", 3.0)
    executed = nbformat.read(course.workspace / "autograded" / "reader" / UNIT / NB, as_version=4)
    printed = "".join(o.get("text", "") for o in executed.cells[2].get("outputs", []))
    assert "digits (270, 1, 8, 8)" in printed, executed.cells[2].get("outputs")
    shutil.rmtree(data_dir)
