"""Every solution notebook runs under nbval in smoke mode on CPU, and nbval catches a broken one.

Each solution notebook is run by `python -m pytest --nbval-lax` in a subprocess with
COURSE_SMOKE=1, COURSE_DEVICE=cpu and COURSE_HEADLESS=1 in the environment: every cell must run
without error, and the cells with a `# NBVAL_CHECK_OUTPUT` comment line must print what the
notebook stores.
The fixture tests prove that this check fails when a notebook breaks.
"""
from __future__ import annotations

import copy
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_NOTEBOOK = ROOT / "tests" / "fixture_course" / "solutions" / "1-fixture" / "01-fixture.ipynb"
SMOKE_ENV = {"COURSE_SMOKE": "1", "COURSE_DEVICE": "cpu", "COURSE_HEADLESS": "1"}


def solution_notebooks() -> list[Path]:
    from autograder.course import Course
    solutions = ROOT / "solutions"
    if not solutions.is_dir():
        return []
    course = Course(ROOT)
    return [solutions / unit / name for unit in course.units() for name in course.notebooks(unit)]


def run_nbval(notebooks: list[Path], junit: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """`python -m pytest --nbval-lax NOTEBOOKS` in smoke mode on CPU, headless."""
    env = {**os.environ, **SMOKE_ENV}
    cmd = [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=300",
           "-p", "no:cacheprovider", "-q", "-o", "addopts=", *map(str, notebooks)]
    if junit is not None:
        cmd.append(f"--junitxml={junit}")
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


NOTEBOOKS = solution_notebooks()


@pytest.mark.parametrize(
    "notebook",
    [pytest.param(nb, id=f"{nb.parent.name}/{nb.name}") for nb in NOTEBOOKS]
    or [pytest.param(None, id="none", marks=pytest.mark.skip(reason="no solution notebooks yet"))],
)
def test_solution_notebook_passes_nbval_in_smoke_mode(notebook):
    result = run_nbval([notebook])
    assert result.returncode == 0, (
        f"nbval --nbval-lax failed on {notebook.relative_to(ROOT)} (smoke mode, CPU):\n"
        f"{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


# ---------------------------------------------------------------- the check has teeth (fixture)

def _with_cell(nb, source: str, output_text: str):
    nb = copy.deepcopy(nb)
    cell = nbformat.v4.new_code_cell(source, execution_count=1)  # nbval: a never-run cell has no outputs
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output_text)]
    nb.cells.append(cell)
    return nb


def test_nbval_passes_a_good_notebook_and_fails_broken_ones(tmp_path):
    nb = nbformat.read(FIXTURE_NOTEBOOK, as_version=4)
    env_check = ('# NBVAL_CHECK_OUTPUT\nimport os\n'
                 'print(*(os.environ.get(k) for k in ("COURSE_SMOKE", "COURSE_DEVICE", "COURSE_HEADLESS")))')
    check = "# NBVAL_CHECK_OUTPUT\nprint(mean_square([1.0, 3.0]))"

    # good: runs cleanly, sees the smoke environment, and its checked outputs match.
    nbformat.write(_with_cell(_with_cell(nb, env_check, "1 cpu 1\n"), check, "5.0\n"), tmp_path / "case_good.ipynb")
    # broken solution: the graded test cell raises.
    broken = copy.deepcopy(nb)
    solution = next(c for c in broken.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "add")
    assert "np.asarray(a) + np.asarray(b)" in solution.source
    solution.source = solution.source.replace("np.asarray(a) + np.asarray(b)", "np.asarray(a) - np.asarray(b)")
    nbformat.write(broken, tmp_path / "case_broken_solution.ipynb")
    # drifted output: a cell marked to check its output now prints something else.
    nbformat.write(_with_cell(nb, check, "6.0\n"), tmp_path / "case_drifted_output.ipynb")
    # unmarked cells are not compared (--nbval-lax): a stale stored output is fine.
    nbformat.write(_with_cell(nb, "print(mean_square([1.0, 3.0]))", "stale\n"), tmp_path / "case_unmarked.ipynb")

    junit = tmp_path / "nbval.xml"
    result = run_nbval(sorted(tmp_path.glob("*.ipynb")), junit=junit, timeout=300)
    assert result.returncode != 0, result.stdout

    # Which notebooks failed, by name: junit's `file`/`classname` are relative to pytest's rootdir,
    # which depends on where the repo and the temp dir are, so look for the names themselves.
    # (The "case_" prefix keeps a name from matching pytest's temp folder, e.g. "..._a_good_n0".)
    stems = {"case_good", "case_broken_solution", "case_drifted_output", "case_unmarked"}
    failed_files = set()
    for case in ET.parse(junit).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            where = " ".join(filter(None, (case.get("file"), case.get("classname"), case.get("name"))))
            failed_files |= {stem for stem in stems if stem in where}
    assert failed_files == {"case_broken_solution", "case_drifted_output"}, (failed_files, result.stdout[-4000:])
    assert "AssertionError" in result.stdout
