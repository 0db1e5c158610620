"""Every real notebook, graded the way a class is graded (collected, sandboxed, in parallel):
the solutions score full marks and the unanswered release scores 0, graded cell by graded cell."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import sandbox as sb
from autograder.course import Course
from autograder.demo import DemoCourse
from autograder.examples import make_examples
from autograder.grade import grade_unit

REPO = Path(__file__).resolve().parents[1]
REAL = Course.at(REPO)

pytestmark = pytest.mark.skipif(sb.bwrap_path() is None, reason="bubblewrap (bwrap) is not installed")


def graded_points(unit: str, name: str) -> float:
    nb = nbformat.read(REAL.solutions / unit / name, as_version=4)
    return sum(float(c.metadata["nbgrader"].get("points", 0)) for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade"))


@pytest.mark.parametrize("unit", REAL.units())
def test_perfect_scores_full_marks_and_unanswered_zero_in_the_sandbox(unit, tmp_path):
    course = DemoCourse(REAL.root, demo_workspace=tmp_path / "grading")
    examples = make_examples(REAL, unit, tmp_path / "class")
    for kind in ("perfect", "unanswered"):
        folder = course.workspace / "submitted" / kind / unit
        folder.mkdir(parents=True)
        for name in REAL.notebooks(unit):
            shutil.copy(examples[kind] / name, folder / name)
    records = grade_unit(course, unit, progress=False)
    got = {(r["student"], r["notebook"]): (r["state"], r["total"], r["reason"]) for r in records}
    for name in REAL.notebooks(unit):
        top = graded_points(unit, name)
        assert got[("perfect", name)][:2] == ("graded", top), got[("perfect", name)]
        assert got[("unanswered", name)][:2] == ("graded", 0), got[("unanswered", name)]
    for name in REAL.notebooks(unit):
        # The whole notebook runs clean in the sandbox, demos included (they use the data and the
        # student's code): an error anywhere means a student's run differs from the solution's.
        executed = nbformat.read(course.workspace / "autograded" / "perfect" / unit / name, as_version=4)
        errors = [(i, o["ename"], o["evalue"][:120]) for i, c in enumerate(executed.cells)
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, (name, errors)
