"""Damaged and hostile submissions, graded in one batch beside honest ones (the fixture course).

One module-scoped run grades the honest class alone, then the same honest class together with
every damaged and hostile submission, in parallel, sandbox on, small limits. Each test then
checks one case: its recorded state, its score, its reason or notes; plus that the honest
submissions got exactly the scores they get alone, that the gradebook holds exactly the recorded
scores (the snooper's UPDATE did not land) and that no course file changed.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import sandbox as sb
from autograder.course import Course
from conftest import course_files_hash
from autograder.examples import make_examples, with_extra_cell
from autograder.grade import grade_unit

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT = "1-fixture"
NB = "01-fixture.ipynb"
HONEST = ("perfect", "partial", "unanswered")

pytestmark = pytest.mark.skipif(sb.bwrap_path() is None, reason="bubblewrap (bwrap) is not installed")

# Limits small enough that the hostile cases end in a minute or two, and far enough above the honest
# ones (about 4 s of kernel start and cells when idle) that a loaded machine still grades them.
LIMITS = sb.Limits(memory_gib=1.5, timeout_cell=30, timeout_notebook=90, nproc=64,
                   file_gib=0.25, disk_gib=0.5)


def _cell(nb, gid):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def _hostile(perfect, release) -> dict[str, object]:
    """student id -> notebook (or raw text). Built from the perfect and the release notebook."""
    out: dict[str, object] = {}

    nb = copy.deepcopy(perfect)  # exercise 2 and its test deleted: the test comes back and fails
    del nb.cells[_cell(nb, "test_mean_square")]
    del nb.cells[_cell(nb, "mean_square")]
    out["deleted-cells"] = nb

    nb = copy.deepcopy(perfect)  # answer and test of exercise 1 twice
    i = _cell(nb, "test_add")
    nb.cells[i + 1:i + 1] = [copy.deepcopy(nb.cells[i - 1]), copy.deepcopy(nb.cells[i])]
    for c in nb.cells:
        c.pop("id", None)
    nb.nbformat_minor = 4
    out["duplicated-cells"] = nb

    nb = copy.deepcopy(perfect)  # a test cell re-typed to markdown
    i = _cell(nb, "test_add")
    nb.cells[i] = nbformat.v4.new_markdown_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    nb.cells[i].pop("id", None)
    nb.nbformat_minor = 4
    out["retyped-cells"] = nb

    nb = copy.deepcopy(perfect)  # test_add moved before the answer it tests: it fails there
    i = _cell(nb, "test_add")
    test = nb.cells.pop(i)
    nb.cells.insert(_cell(nb, "add"), test)
    out["reordered-cells"] = nb

    nb = copy.deepcopy(release)  # stubs left, but the locked tests "edited" to pass
    nb.cells[_cell(nb, "test_add")].source = "assert True"
    nb.cells[_cell(nb, "test_mean_square")].source = "pass"
    out["edited-tests"] = nb

    out["invalid-json"] = nbformat.writes(perfect)[:500]

    # stubs left, and IPython told to show no traceback: the failing tests must still fail
    out["silenced-errors"] = with_extra_cell(release, "get_ipython().showtraceback = lambda *a, **k: None")

    nb = copy.deepcopy(perfect)
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    out["wrong-kernelspec"] = nb

    out["huge-output"] = with_extra_cell(perfect, "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 2 ** 20)\n")

    nb = copy.deepcopy(perfect)  # a real torch warning and a stderr line, inside the graded test
    nb.cells[_cell(nb, "add")].source = (
        "import sys, warnings, torch\n"
        "def add(a, b):\n"
        "    torch.tensor(torch.ones(1))  # UserWarning: To copy construct from a tensor...\n"
        "    warnings.warn('deprecated, but fine')\n"
        "    print('debug: adding', file=sys.stderr)\n"
        "    return np.asarray(a) + np.asarray(b)\n")
    out["torch-warnings"] = nb

    out["sys-exit"] = with_extra_cell(perfect, "import sys\nsys.exit(3)")
    out["os-exit"] = with_extra_cell(perfect, "import os\nos._exit(0)")
    out["kill-parent"] = with_extra_cell(perfect, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    out["endless-loop"] = with_extra_cell(perfect, "while True:\n    pass")
    nb = perfect
    for _ in range(4):  # four cells of 25 s: each under the cell limit, together over the notebook limit
        nb = with_extra_cell(nb, "import time\ntime.sleep(25)")
    out["slow-notebook"] = nb
    out["memory-bomb"] = with_extra_cell(perfect, "hog = [bytearray(2 ** 26) for _ in range(10 ** 6)]")
    out["fork-memory-bomb"] = with_extra_cell(perfect, (
        "import os, time\n"
        "for _ in range(6):\n"
        "    if os.fork() == 0:\n"
        "        block = b'x' * 2 ** 30  # 1 GiB each, touched\n"
        "        time.sleep(3600)\n"
        "time.sleep(30)"))
    out["fork-bomb"] = with_extra_cell(perfect, (
        "import os, time\n"
        "n = 0\n"
        "while True:\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(3600)\n"
        "            os._exit(0)\n"
        "        n += 1\n"
        "    except OSError as e:\n"
        "        print('fork refused after', n, 'children:', e)\n"
        "        break"))
    out["disk-filler"] = with_extra_cell(perfect, (
        "for i in range(40):\n"
        "    with open(f'/tmp/fill{i}', 'wb') as f:\n"
        "        f.write(b'0' * 200 * 2 ** 20)"))
    out["big-file"] = with_extra_cell(perfect, "with open('big', 'wb') as f:\n    f.write(b'0' * 2 ** 30)")
    out["network"] = with_extra_cell(perfect, (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=3)\n"
        "    print('NETWORK: connected')\n"
        "except OSError as e:\n"
        "    print('NETWORK:', e)"))
    return out


def _submit(course: Course, student: str, nb) -> None:
    folder = course.workspace / "submitted" / student / UNIT
    folder.mkdir(parents=True, exist_ok=True)
    text = nb if isinstance(nb, str) else nbformat.writes(nb)
    (folder / NB).write_text(text)
    (folder / "timestamp.txt").write_text("2026-03-01T12:00:00+00:00")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("grade")
    alone = Course.at(shutil.copytree(FIXTURE, base / "alone"))
    batch = Course.at(shutil.copytree(FIXTURE, base / "batch"))
    examples = make_examples(alone, UNIT, base / "examples")
    perfect = nbformat.read(examples["perfect"] / NB, as_version=4)
    release = nbformat.read(examples["unanswered"] / NB, as_version=4)
    for student in HONEST:
        nb = nbformat.read(examples[student] / NB, as_version=4)
        _submit(alone, student, nb)
        _submit(batch, student, nb)
    hostile = _hostile(perfect, release)
    hostile["snooper"] = nbformat.read(examples["snooper"] / NB, as_version=4)
    for student, nb in hostile.items():
        _submit(batch, student, nb)
    os.environ["AUTOGRADER_TEST_SECRET"] = "hunter2"  # the instructor's environment must not leak
    alone_records = grade_unit(alone, UNIT, workers=2, limits=LIMITS, progress=False)
    before = course_files_hash(batch.root)
    try:
        batch_records = grade_unit(batch, UNIT, workers=2, limits=LIMITS, progress=False)
    finally:
        del os.environ["AUTOGRADER_TEST_SECRET"]
    return {
        "alone": {r["student"]: r for r in alone_records},
        "batch": {r["student"]: r for r in batch_records},
        "course": batch, "before": before, "after": course_files_hash(batch.root),
    }


def _autograded(runs, student):
    return nbformat.read(runs["course"].workspace / "autograded" / student / UNIT / NB, as_version=4)


def _outputs_text(nb) -> str:
    return "".join(o.get("text", "") + str(o.get("evalue", "")) for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)


def test_honest_scores_equal_alone(runs):
    for student in HONEST:
        alone, batch = runs["alone"][student], runs["batch"][student]
        assert batch["state"] == alone["state"] == "graded"
        assert batch["scores"] == alone["scores"], student
    assert [runs["batch"][s]["total"] for s in HONEST] == [3.0, 1.0, 0.0]


def test_every_submission_recorded_once(runs):
    records = runs["batch"]
    assert len(records) == len(HONEST) + 22
    for student, r in records.items():
        path = runs["course"].workspace / "results" / UNIT / student / "01-fixture.json"
        assert json.loads(path.read_text())["state"] == r["state"]
        assert r["state"] in ("graded", "timed_out", "crashed", "invalid")
        assert (r["reason"] == "") == (r["state"] == "graded"), student
        assert "\n" not in r["reason"]


def test_course_files_unchanged(runs):
    assert runs["after"] == runs["before"]


def test_gradebook_holds_exactly_the_recorded_scores(runs):
    course = runs["course"]
    with Gradebook(course.db_url) as gb:
        for student, r in runs["batch"].items():
            sub = gb.find_submission(UNIT, student)
            scores = {g.name: g.auto_score for g in sub.notebooks[0].grades}
            assert scores == {gid: s["points"] for gid, s in r["scores"].items()}, student
        # the hidden tests in the gradebook are still the instructor's
        cell = gb.find_source_cell("test_mean_square", "01-fixture", UNIT)
        assert "### BEGIN HIDDEN TESTS" in cell.source


@pytest.mark.parametrize("student, state, total, words", [
    ("deleted-cells", "graded", 1.0, "test_mean_square was deleted: added back"),
    ("duplicated-cells", "graded", 3.0, "second copy of graded cell"),
    ("retyped-cells", "graded", 3.0, "test_add was turned into markdown"),
    ("reordered-cells", "graded", 2.0, ""),
    ("edited-tests", "graded", 0.0, "locked cell test_add was edited: restored"),
    ("invalid-json", "invalid", 0.0, "not valid JSON"),
    ("silenced-errors", "graded", 0.0, ""),
    ("wrong-kernelspec", "graded", 3.0, "kernelspec 'ir' replaced by python3"),
    ("huge-output", "graded", 3.0, "output truncated"),
    ("torch-warnings", "graded", 3.0, ""),
    ("sys-exit", "graded", 3.0, ""),
    ("os-exit", "crashed", 0.0, "kernel exited with status 0"),
    ("kill-parent", "graded", 3.0, ""),
    ("endless-loop", "timed_out", 0.0, "ran longer than 30 s (per-cell limit)"),
    ("slow-notebook", "timed_out", 0.0, "longer than 90 s (whole-notebook limit)"),
    ("memory-bomb", "graded", 3.0, "ran out of memory (MemoryError at the 1.5 GiB limit)"),
    ("fork-memory-bomb", "crashed", 0.0, "out of memory"),
    ("fork-bomb", "graded", 3.0, ""),
    ("disk-filler", "crashed", 0.0, "filled its scratch disk"),
    ("big-file", "graded", 3.0, ""),
    ("network", "graded", 3.0, ""),
    ("snooper", "graded", 3.0, ""),
])
def test_damaged_or_hostile(runs, student, state, total, words):
    r = runs["batch"][student]
    assert r["state"] == state, r
    assert r["total"] == total, r
    assert words in r["reason"] + " | ".join(r["notes"]), r
    if state != "graded":
        assert all(s["points"] == 0 and s["error"] == f"not run: {state}" for s in r["scores"].values())


def test_a_whole_notebook_time_out_names_the_cell(runs):
    # the cell the watchdog stopped: one of the four slow ones
    import re
    reason = runs["batch"]["slow-notebook"]["reason"]
    m = re.search(r", in cell (\d+)$", reason)
    assert m, reason
    assert "time.sleep(25)" in _autograded(runs, "slow-notebook").cells[int(m[1])].source, reason


def test_edited_tests_ran_the_instructors_hidden_tests(runs):
    nb = _autograded(runs, "edited-tests")
    assert "### BEGIN HIDDEN TESTS" in nb.cells[_cell(nb, "test_mean_square")].source
    assert runs["batch"]["edited-tests"]["scores"]["test_add"]["error"].startswith("NotImplementedError")


def test_torch_warning_on_stderr_costs_nothing(runs):
    nb = _autograded(runs, "torch-warnings")
    test = nb.cells[_cell(nb, "test_add")]
    # The test ran in the checker: what the student's code wrote to stderr while the checker called
    # it stays in the student's kernel and costs nothing (plain nbgrader gives 0 here).
    assert not any(o.output_type == "stream" and o.name == "stderr" for o in test.outputs)
    assert runs["batch"]["torch-warnings"]["scores"]["test_add"]["passed"]


def test_huge_output_is_capped(runs):
    path = runs["course"].workspace / "autograded" / "huge-output" / UNIT / NB
    assert path.stat().st_size < 4 * 2 ** 20


def test_fork_bomb_hit_the_process_limit(runs):
    text = _outputs_text(_autograded(runs, "fork-bomb"))
    assert "fork refused after" in text and "Resource temporarily unavailable" in text
    n = int(text.split("fork refused after")[1].split()[0])
    assert 0 < n < LIMITS.nproc


def test_big_file_stopped_by_the_file_size_limit(runs):
    assert "File too large" in _outputs_text(_autograded(runs, "big-file"))


def test_no_network(runs):
    text = _outputs_text(_autograded(runs, "network"))
    assert "NETWORK:" in text and "NETWORK: connected" not in text


def test_snooper_found_nothing(runs):
    text = _outputs_text(_autograded(runs, "snooper"))
    root = str(runs["course"].root)
    for line in text.splitlines():
        if line.startswith("read "):
            assert line.endswith("FileNotFoundError"), line
        if line.startswith("listdir " + root):
            assert line.endswith("FileNotFoundError"), line
    assert "gradebook UPDATE OperationalError" in text
    assert "COURSE_GRADING" in text and "AUTOGRADER_TEST_SECRET" not in text


def test_resume_grades_only_what_changed(runs, tmp_path):
    course = runs["course"]
    before = {r["student"]: r for r in grade_unit(course, UNIT, workers=2, limits=LIMITS, progress=False)}
    assert before == runs["batch"]  # nothing changed: nothing ran, same records
    perfect = (course.workspace / "submitted" / "perfect" / UNIT / NB).read_text()
    (course.workspace / "submitted" / "partial" / UNIT / NB).write_text(perfect)
    after = {r["student"]: r for r in grade_unit(course, UNIT, workers=2, limits=LIMITS, progress=False)}
    assert after["partial"]["total"] == 3.0
    assert {s: r for s, r in after.items() if s != "partial"} == {s: r for s, r in before.items() if s != "partial"}


def test_a_notebook_timed_out_in_the_batch_is_graded_again_alone(runs):
    notes = " | ".join(runs["batch"]["endless-loop"]["notes"])
    assert "graded again alone: timed_out" in notes, notes
    assert runs["batch"]["endless-loop"]["state"] == "timed_out"


def test_graded_cells_ran_in_the_checker_not_in_the_students_kernel(runs):
    nb = _autograded(runs, "perfect")
    verdicts = [c.metadata.get("autograder", {}) for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                and not c.metadata["nbgrader"].get("solution")]
    assert verdicts and all(v.get("checker") and v.get("status") == "ok" for v in verdicts), verdicts


def test_what_the_batch_may_have_caused_is_graded_again_alone():
    from autograder.grade import alone_note, maybe_slowed_by_others
    starved = {"state": "crashed", "reason": "kernel did not start: Kernel didn't respond in 120 seconds"}
    no_checker = {"state": "crashed", "reason": "grader error: the checker did not start within 180 s: ..."}
    assert maybe_slowed_by_others({"state": "timed_out", "reason": "cell 3 ran longer than 60 s (per-cell limit)"})
    assert maybe_slowed_by_others(starved) and maybe_slowed_by_others(no_checker)
    for own_fault in ({"state": "crashed", "reason": "exit code 1 in cell 2"}, {"state": "graded", "reason": ""},
                      {"state": "crashed", "reason": "grader error: the checker failed: ProtocolError: bad frame"},
                      {"state": "invalid", "reason": "not a notebook"}):
        assert not maybe_slowed_by_others(own_fault), own_fault
    assert alone_note(4, starved, "graded").startswith("did not start while 4 notebooks ran at once (kernel did not")
