"""release and check: on the fixture course (every way the check must fail), then on the real course."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import check
from autograder.course import Course
from autograder.release import release

REPO = Path(__file__).resolve().parents[1]
REAL = Course.at(REPO)
UNIT = "1-fixture"
NB = "01-fixture.ipynb"


@pytest.fixture
def course(released_fixture_course) -> Course:
    return released_fixture_course


def edit_cell(path: Path, grade_id: str, edit) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = edit(cell.source)
    nbformat.write(nb, path)


def problems(course: Course) -> list[str]:
    return [p for r in check.run(course, UNIT, timeout=60) for p in r.problems]


def test_fixture_course_passes_and_table_shows_it(course, capsys):
    [report] = check.run(course, UNIT, timeout=60)
    assert report.ok, report.problems
    assert (report.graded_cells, report.points, report.solution_score, report.release_score) == (2, 3, 3, 0)
    assert (report.wrong_failed, report.wrong_total, report.right_passed, report.right_total) == (2, 2, 1, 1)
    assert check.main(course, type("Args", (), {"unit": UNIT, "timeout": 60, "jobs": 1})()) == 0
    assert "01-fixture.ipynb" in capsys.readouterr().out


def test_release_strips_solutions_hidden_tests_and_private_files(course):
    released = (course.units_dir / UNIT / NB).read_text()
    assert "raise NotImplementedError()" in released
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "np.asarray(a) + np.asarray(b)", "default_rng(1)"):
        assert secret not in released
    assert sorted(p.name for p in (course.units_dir / UNIT).iterdir()) == [NB]


def test_stale_units_are_reported(course):
    edit_cell(course.solutions / UNIT / NB, "add", lambda s: s.replace("Elementwise sum", "Sum"))
    assert any("differs from a fresh release" in p for p in problems(course))


def test_extra_file_in_units_is_reported(course):
    (course.units_dir / UNIT / "notes.txt").write_text("hello")
    assert any("notes.txt is not made by the release" in p for p in problems(course))


def test_leaked_solution_line_is_reported(course):
    edit_cell(course.units_dir / UNIT / NB, "add", lambda s: s + "\nreturn np.asarray(a) + np.asarray(b)")
    found = problems(course)
    assert any("leak" in p and "np.asarray(a) + np.asarray(b)" in p for p in found), found


def test_wrong_answer_that_passes_is_reported(course):
    answers = course.solutions / UNIT / "01-fixture.answers.py"
    text = answers.read_text().replace(
        'WRONG = {\n    "mean_square": {',
        'WRONG = {\n    "mean_square": {\n        "actually right": "def mean_square(x):\\n    return float(np.mean(np.square(x)))\\n",')
    answers.write_text(text)
    found = problems(course)
    assert any("WRONG mean_square / 'actually right' passes every graded test" in p for p in found), found


def test_no_mutants_runs_the_answers_but_no_mutant(course, capsys):
    """`check --no-mutants`, the quick run while writing answers: a passing WRONG answer is still
    reported; no mutant runs, so an EQUIVALENT key cannot be judged stale; the table says skipped."""
    answers = course.solutions / UNIT / "01-fixture.answers.py"
    answers.write_text(answers.read_text().replace(
        'WRONG = {\n    "mean_square": {',
        'WRONG = {\n    "mean_square": {\n        "actually right": "def mean_square(x):\\n    return float(np.mean(np.square(x)))\\n",')
        + '\nEQUIVALENT = {"mean_square": {"no-such-mutant": "stale in a full check"}}\n')
    [full] = check.run(course, UNIT, timeout=60)
    assert any("'no-such-mutant'] is stale" in p for p in full.problems), full.problems
    [quick] = check.run(course, UNIT, timeout=60, make_mutants=False)
    assert quick.mutants_skipped and quick.mutants_total == 0
    assert quick.problems == ["WRONG mean_square / 'actually right' passes every graded test of its exercise: "
                              "the tests lack teeth"], quick.problems
    args = type("Args", (), {"unit": UNIT, "timeout": 60, "jobs": 1, "no_mutants": True})()
    assert check.main(course, args) == 1
    out = capsys.readouterr().out
    assert "skipped" in out and "mutants skipped (--no-mutants)" in out


def test_right_answer_that_fails_is_reported(course):
    answers = course.solutions / UNIT / "01-fixture.answers.py"
    answers.write_text(answers.read_text() + '\nRIGHT["add"] = {"off by one": "def add(a, b):\\n    return a + b + 1\\n"}\n')
    found = problems(course)
    assert any("RIGHT add / 'off by one' should pass but fails test_add" in p for p in found), found


def test_failing_solution_names_the_cell(course):
    edit_cell(course.solutions / UNIT / NB, "mean_square", lambda s: s.replace("(x ** 2).mean()", "x.mean()"))
    release(course, UNIT)
    found = problems(course)
    assert any(p.startswith("solution: graded cell test_mean_square fails: AssertionError") for p in found), found


def test_graded_cell_that_passes_only_in_the_checker_is_reported(course):
    """Validate runs the tests in the student's kernel: a test source that works only in the checker is a bug."""
    edit_cell(course.solutions / UNIT / NB, "test_add", lambda s: s + "\nimport coursekit.testing\nassert coursekit.testing.REMOTE")
    release(course, UNIT)
    found = problems(course)
    assert any("test_add passes in the checker but fails in the notebook's own kernel" in p for p in found), found


def test_test_that_ignores_the_student_is_reported(course):
    edit_cell(course.solutions / UNIT / NB, "test_add", lambda s: "assert 1 + 2 == 3")
    release(course, UNIT)
    found = problems(course)
    assert any("release: graded cell test_add scores 1" in p for p in found), found


def test_answers_for_unknown_exercise_are_reported(course):
    answers = course.solutions / UNIT / "01-fixture.answers.py"
    answers.write_text(answers.read_text() + '\nWRONG["no_such_exercise"] = {"x": "pass"}\n')
    assert any("no solution cell with grade_id 'no_such_exercise'" in p for p in problems(course))


def test_a_variant_cannot_change_what_later_variants_and_cells_see(course):
    """Variants run one after another in the solution's kernel: a wrong answer that patches a library
    function or leaves a helper behind must not make later answers, mutants or cells pass or fail."""
    answers = course.solutions / UNIT / "01-fixture.answers.py"
    answers.write_text(answers.read_text() + '''
WRONG["add"] = {
    "patches numpy for everyone": "import numpy\\nnumpy.asarray = lambda *a, **k: numpy.zeros(1)\\n"
                                  "def add(a, b):\\n    return 0\\n",
    "leaves a helper behind": "def _sum(a, b):\\n    return np.add(a, b)\\n\\ndef add(a, b):\\n    return 0\\n",
}
RIGHT["add"] = {"calls a helper it never defines": "def add(a, b):\\n    return _sum(a, b)\\n"}
''')
    found = problems(course)
    # The patched np.asarray would fail mean_square's solution and RIGHT answer; the helper would
    # let the last answer pass though it cannot run in a fresh kernel.
    assert len(found) == 1 and found[0].startswith(
        "RIGHT add / 'calls a helper it never defines' should pass but fails test_add: NameError"), found


# ------------------------------------------------------------------ the real course

@pytest.mark.parametrize("unit", REAL.units())
def test_units_folder_is_exactly_the_release_of_solutions(unit, tmp_path):
    from autograder.release import generate
    generate(REAL, unit, tmp_path)
    assert check.compare_release(REAL.units_dir / unit, tmp_path / unit) == []


@pytest.mark.parametrize("unit", REAL.units())
def test_every_exercise_has_wrong_and_right_answers(unit):
    for name in REAL.notebooks(unit):
        nb = nbformat.read(REAL.solutions / unit / name, as_version=4)
        exercises = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                     if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
        wrong, right = check.load_answers((REAL.solutions / unit / name).with_suffix(".answers.py"))
        for grade_id in exercises:
            assert len(wrong.get(grade_id, {})) >= 2, f"{name}: exercise {grade_id} needs >= 2 wrong answers"
            assert len(right.get(grade_id, {})) >= 1, f"{name}: exercise {grade_id} needs >= 1 right answer"


@pytest.fixture(scope="module")
def real_course_checked():
    """`autograder check` on the whole course, as many notebooks at once as there are cores."""
    reports = check.run(REAL, jobs=check.default_jobs())
    print(check.format_table(reports))
    return reports


@pytest.mark.parametrize("unit", REAL.units())
def test_check_passes_on_the_real_course(unit, real_course_checked):
    reports = [r for r in real_course_checked if r.name.startswith(f"{unit}/")]
    assert len([r for r in reports if r.name.endswith(".ipynb")]) == len(REAL.notebooks(unit)), [r.name for r in reports]
    assert all(r.ok for r in reports), [p for r in reports for p in r.problems]


def test_one_notebook_is_released_and_checked_alone(course):
    """`--notebook`: authors of different notebooks of one unit do not overwrite or fail each other."""
    second = course.solutions / UNIT / "02-second.ipynb"
    shutil.copyfile(course.solutions / UNIT / NB, second)
    shutil.copyfile(course.solutions / UNIT / "01-fixture.answers.py", second.with_name("02-second.answers.py"))
    edit_cell(course.solutions / UNIT / NB, "add", lambda s: s.replace("Elementwise sum", "Sum"))
    release(course, UNIT, "02-second")  # 02 is new in units/; 01 stays as it was released (now stale)
    assert "Elementwise sum" in (course.units_dir / UNIT / NB).read_text()
    [report] = check.run(course, UNIT, timeout=60, notebook="02-second")
    assert report.name.endswith("02-second.ipynb") and report.ok, report.problems
    stale = [p for r in check.run(course, UNIT, timeout=60) for p in r.problems]
    assert any(NB in p and "differs" in p for p in stale), stale


def test_graded_cell_that_warns_in_the_students_kernel_is_reported(course):
    """nbgrader's Validate fails a graded cell that wrote to stderr (here a warning the test itself
    raises): the student's right answer would fail Validate, so check reports the solution's cell."""
    edit_cell(course.solutions / UNIT / NB, "test_add",
              lambda s: s + "\nimport warnings\nwarnings.warn('float() of a tensor that requires grad')")
    release(course, UNIT)
    found = problems(course)
    assert any("test_add passes in the checker but fails in the notebook's own kernel" in p
               and "wrote to stderr" in p and "requires grad" in p for p in found), found
