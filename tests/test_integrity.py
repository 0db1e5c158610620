"""Grading integrity: tampering from inside the student's kernel never changes how a result is judged.

Graded test cells run in the checker, a separate sandboxed process that never runs student code
(autograder/checker.py, bridge.py). One module-scoped run grades, in one batch with the honest
class (each honest submission also graded alone), every attack twice: attached to wrong answers
(it must score 0) and attached to the right answers (it must keep full marks) where the attack
leaves the student's own kernel able to answer at all. Attacks on the protocol itself (a lying or
broken probe) can only be tried with wrong answers: they must get nothing and crash nothing.
"""
from __future__ import annotations

import base64
import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import sandbox as sb
from autograder.course import Course
from conftest import course_files_hash
from autograder.examples import make_examples, with_extra_cell
from autograder.feedback import feedback
from autograder.grade import grade_unit

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT, NB = "1-fixture", "01-fixture.ipynb"
HONEST = ("perfect", "partial", "unanswered")
FULL = 3.0

pytestmark = pytest.mark.skipif(sb.bwrap_path() is None, reason="bubblewrap (bwrap) is not installed")

LIMITS = sb.Limits(memory_gib=2.0, timeout_cell=30, timeout_notebook=90, nproc=128, file_gib=0.25, disk_gib=0.5)

WRONG_ADD = "def add(a, b):\n    return np.asarray(a) - np.asarray(b)\n"
WRONG_MEAN_SQUARE = "def mean_square(x):\n    return float(np.mean(np.asarray(x, dtype=float))) ** 2\n"

# Attacks that leave the kernel able to answer: with wrong answers 0, with right answers full marks.
ATTACKS = {
    "patched-comparisons": (
        "import numpy as _np, torch as _t\n"
        "_np.testing.assert_allclose = lambda *a, **k: None\n"
        "_np.allclose = lambda *a, **k: True\n"
        "_t.testing.assert_close = lambda *a, **k: None\n"
        "_t.allclose = lambda *a, **k: True\n"),
    "run-cell-hooks": (
        "ip = get_ipython()\n"
        "ip.events.register('pre_run_cell', lambda info: None)\n"
        "def _ok(result):\n"
        "    result.error_in_exec = None\n"
        "ip.events.register('post_run_cell', _ok)\n"),
    "input-transformers": (
        "import ast\n"
        "class _NoAsserts(ast.NodeTransformer):\n"
        "    def visit_Assert(self, node):\n"
        "        return ast.Pass()\n"
        "ip = get_ipython()\n"
        "ip.ast_transformers.append(_NoAsserts())\n"
        "ip.input_transformers_cleanup.append(lambda lines: [l.replace('assert ', 'pass # ') for l in lines])\n"
        "ip.input_transformers_post.append(lambda lines: [l.replace('np.testing', 'None and np.testing') for l in lines])\n"),
    "replaced-run-cell": (
        "ip = get_ipython()\n"
        "_orig = ip.run_cell\n"
        "def _run_cell(raw_cell, *a, **k):\n"
        "    return _orig('pass' if 'assert' in raw_cell else raw_cell, *a, **k)\n"
        "ip.run_cell = _run_cell\n"),
    "settrace": (
        "import sys, threading\n"
        "def _tracer(frame, event, arg):\n"
        "    if event == 'line' and 'assert' in (frame.f_code.co_name or ''):\n"
        "        return None\n"
        "    return _tracer\n"
        "sys.settrace(_tracer)\n"
        "threading.settrace(_tracer)\n"),
    "guard-off": (
        "import coursekit.testing as _ct\n"
        "_ct.Guard.__enter__ = lambda self: self\n"
        "_ct.Guard.__exit__ = lambda self, *exc: True\n"
        "_ct.apply_probes = lambda *a, **k: __import__('contextlib').nullcontext()\n"),
    "redefined-helpers": (
        "import numpy as _real\n"
        "class _FakeNumpy:\n"
        "    class testing:\n"
        "        @staticmethod\n"
        "        def assert_allclose(*a, **k):\n"
        "            return None\n"
        "    def __getattr__(self, name):\n"
        "        return getattr(_real, name)\n"
        "np = _FakeNumpy()\n"
        "assert_close = assert_allclose = lambda *a, **k: None\n"),
    "nan-result": (
        "from IPython.display import display\n"
        "get_ipython().events.register('post_run_cell', lambda r: display(float('nan')))\n"),
    "score-above-points": (
        "from IPython.display import display\n"
        "get_ipython().events.register('post_run_cell', lambda r: display(1e9))\n"
        "get_ipython().events.register('post_execute', lambda: display(''))\n"),
    "source-leak": (
        "import base64\n"
        "def _leak(info):\n"
        "    src = info.raw_cell\n"
        "    print('B64', base64.b64encode(src.encode()).decode())\n"
        "    print('REV', src[::-1])\n"
        "    print(src)\n"
        "get_ipython().events.register('pre_run_cell', _leak)\n"),
    "output-floods": (
        "from IPython.display import display\n"
        "for _ in range(40):\n"
        "    display({'text/plain': 'x'}, metadata={'pad': 'y' * 2 ** 20}, raw=True)\n"
        "import ipywidgets\n"
        "_w = [ipywidgets.IntSlider(description='z' * 2000) for _ in range(3000)]\n"
        "try:\n"
        "    raise ValueError('e' * 2 ** 23)\n"
        "except ValueError:\n"
        "    get_ipython().showtraceback()\n"),
}

# Attacks on the protocol: the student's side of it is replaced. Tried with wrong answers only.
PROTOCOL_ATTACKS = {
    "lying-probe": (
        "import coursekit.probe as _p\n"
        "_orig_handle = _p.handle\n"
        "def _lie(header, buffers):\n"
        "    return {'ok': True, 'value': 3}, []\n"
        "_p.handle = _lie\n"),
    "garbage-probe": (
        "import coursekit.probe as _p, socket as _s\n"
        "def _serve(path, ns):\n"
        "    c = _s.socket(_s.AF_UNIX, _s.SOCK_STREAM); c.connect(path)\n"
        "    c.sendall(b'\\xff' * 64 + b'{not json')\n"
        "    c.close()\n"
        "_p.serve = _serve\n"),
    "huge-frame-claim": (
        "import coursekit.probe as _p, socket as _s, struct as _st\n"
        "def _serve(path, ns):\n"
        "    c = _s.socket(_s.AF_UNIX, _s.SOCK_STREAM); c.connect(path)\n"
        "    c.recv(4096)\n"
        "    c.sendall(_st.pack('<I', 2 ** 31))\n"
        "    import time; time.sleep(2)\n"
        "_p.serve = _serve\n"),
    "forged-tags": (
        "import coursekit.probe as _p\n"
        "def _forge(header, buffers):\n"
        "    return {'ok': True, 'value': {'$t': 'module', 'name': 'antigravity'}}, []\n"
        "_p.handle = _forge\n"),
    "no-serve": "import coursekit.probe as _p\n_p.serve = lambda path, ns: None\n",
}


def _cell(nb, gid):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def _wrong(perfect):
    nb = copy.deepcopy(perfect)
    nb.cells[_cell(nb, "add")].source = WRONG_ADD
    nb.cells[_cell(nb, "mean_square")].source = WRONG_MEAN_SQUARE
    return nb


def _submit(course: Course, student: str, nb) -> None:
    folder = course.workspace / "submitted" / student / UNIT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NB).write_text(nbformat.writes(nb))


def _hidden_lines(course: Course) -> list[str]:
    nb = nbformat.read(course.solutions / UNIT / NB, as_version=4)
    lines = []
    for cell in nb.cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            lines += [l.strip() for l in hidden.splitlines() if len(l.strip()) >= 12]
    assert lines, "the fixture has hidden tests"
    return lines


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("integrity")
    alone = Course.at(shutil.copytree(FIXTURE, base / "alone"))
    batch = Course.at(shutil.copytree(FIXTURE, base / "batch"))
    examples = make_examples(alone, UNIT, base / "examples")
    perfect = nbformat.read(examples["perfect"] / NB, as_version=4)
    for student in HONEST:
        nb = nbformat.read(examples[student] / NB, as_version=4)
        _submit(alone, student, nb)
        _submit(batch, student, nb)
    wrong = _wrong(perfect)
    _submit(batch, "wrong-plain", wrong)
    for name, source in ATTACKS.items():
        _submit(batch, f"{name}-wrong", with_extra_cell(wrong, source))
        _submit(batch, f"{name}-right", with_extra_cell(perfect, source))
    for name, source in PROTOCOL_ATTACKS.items():
        _submit(batch, f"{name}-wrong", with_extra_cell(wrong, source))
    alone_records = grade_unit(alone, UNIT, workers=1, limits=LIMITS, progress=False)
    before = course_files_hash(batch.root)
    batch_records = grade_unit(batch, UNIT, workers=2, limits=LIMITS, progress=False)
    feedback(batch, UNIT)
    return {"alone": {r["student"]: r for r in alone_records}, "batch": {r["student"]: r for r in batch_records},
            "course": batch, "before": before, "after": course_files_hash(batch.root)}


def test_honest_grades_equal_their_solo_grades(runs):
    for student in HONEST:
        assert runs["batch"][student]["scores"] == runs["alone"][student]["scores"], student
    assert [runs["batch"][s]["total"] for s in HONEST] == [FULL, 1.0, 0.0]


def test_wrong_answers_alone_score_zero(runs):
    assert runs["batch"]["wrong-plain"]["total"] == 0.0


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_with_wrong_answers_scores_zero(runs, attack):
    r = runs["batch"][f"{attack}-wrong"]
    assert r["total"] == 0.0, r


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_with_right_answers_keeps_full_marks(runs, attack):
    r = runs["batch"][f"{attack}-right"]
    assert r["state"] == "graded" and r["total"] == FULL, r


@pytest.mark.parametrize("attack", sorted(PROTOCOL_ATTACKS))
def test_protocol_attack_gets_nothing_and_crashes_nothing(runs, attack):
    r = runs["batch"][f"{attack}-wrong"]
    assert r["total"] == 0.0, r
    assert all(not s["passed"] for s in r["scores"].values()), r


def test_every_submission_has_one_record(runs):
    expected = len(HONEST) + 1 + 2 * len(ATTACKS) + len(PROTOCOL_ATTACKS)
    assert len(runs["batch"]) == expected
    assert all(r["state"] in ("graded", "timed_out", "crashed", "invalid") for r in runs["batch"].values())


def test_course_files_unchanged(runs):
    assert runs["after"] == runs["before"]


def test_no_hidden_test_line_reaches_feedback_or_the_students_outputs(runs):
    course = runs["course"]
    hidden = _hidden_lines(course)
    encoded = hidden + [base64.b64encode(l.encode()).decode()[:16] for l in hidden] + [l[::-1] for l in hidden]
    feedback = "".join(p.read_text(errors="replace") for p in (course.workspace / "feedback").rglob("*.html"))
    assert "source-leak" in feedback or (course.workspace / "feedback" / "source-leak-right").exists()
    for text in encoded:
        assert text not in feedback, text
    # The student's own outputs (everything but the checker's test cells) never saw a test cell.
    nb = nbformat.read(course.workspace / "autograded" / "source-leak-right" / UNIT / NB, as_version=4)
    student_text = "".join(json.dumps(c.get("outputs", [])) for c in nb.cells
                           if c.cell_type == "code" and not c.metadata.get("autograder", {}).get("checker"))
    assert "B64" not in student_text or all(t not in student_text for t in encoded)
    for text in encoded:
        assert text not in student_text, text


def test_output_floods_are_capped(runs):
    path = runs["course"].workspace / "autograded" / "output-floods-right" / UNIT / NB
    assert path.stat().st_size < 20 * 2 ** 20, path.stat().st_size
    assert "output truncated" in " ".join(runs["batch"]["output-floods-right"]["notes"])


def test_protocol_failures_are_explained(runs):
    errors = " ".join(s["error"] for s in runs["batch"]["garbage-probe-wrong"]["scores"].values())
    assert "protocol" in errors or "did not answer" in errors, errors
