"""mutate: the operator families on small functions, then the runner and check's survivor and
WARNED rules on the fixture course."""
from __future__ import annotations

import re
import textwrap

import nbformat
import pytest

from autograder import check, mutate
from autograder.course import Course
from autograder.release import release

UNIT = "1-fixture"
NB = "01-fixture.ipynb"
KEY = re.compile(r"^[a-z]+@\d+:\d+#\d+$")


def cell(body: str, signature: str = "def f(x, y, model):") -> str:
    """A solution cell: `signature`, a docstring, then `body` between the solution markers."""
    body = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    return f'import torch\n\n{signature}\n    """Doc."""\n    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION\n'


def mutated_bodies(source: str) -> dict[str, str]:
    """Mutant key -> the mutated function's body (the lines after the docstring), one string."""
    found = {}
    for m in mutate.mutants(source, "f"):
        lines = m.source.splitlines()
        found[m.key] = "\n".join(line.strip() for line in lines[lines.index('    """Doc."""') + 1:] if line.strip() and not line.strip().startswith("#"))
    return found


# ------------------------------------------------------------------ the generator

@pytest.mark.parametrize("body, expected", [
    # dim changed and keepdim dropped, from one call
    ("return x.sum(dim=1, keepdim=True)", ["x.sum(dim=0, keepdim=True)", "x.sum(dim=-1, keepdim=True)",
                                           "x.sum(dim=1)", "x.mean(dim=1, keepdim=True)"]),
    ("return x.amax(-1) - x.argmax(1)", ["x.amax(-2) - x.argmax(1)", "x.amin(-1) - x.argmax(1)",
                                         "x.amax(-1) - x.argmax(0)", "x.amax(-1) - x.argmin(1)", "x.amax(-1) + x.argmax(1)"]),
    ("return x.log_softmax(dim=dim)", ["x.log_softmax(dim=-1)"]),
    ("return max(x, y) * 2 ** x", ["min(x, y) * 2 ** x", "max(x, y) / 2 ** x", "max(x, y) * (2 * x)",
                                   "max(x, y) * 3 ** x", "max(x, y) * 1 ** x"]),
    ("return x @ y.T", ["x * y.T"]),
    ("return -x", ["return x"]),
    ("return x.clamp_min(0)", ["x.clamp_max(0)", "x.clamp_min(1)", "x.clamp_min(-1)"]),
    ("return x < y or not x", ["x <= y or not x", "x >= y or not x", "x < y and (not x)", "x < y or x"]),
    ("return x if x is None else y", ["x if x is not None else y"]),
    ("return x + 1e-8", ["x + 0.0", "x + 1e-05", "x - 1e-08"]),
    ("return x * 0.5", ["x * 0.0", "x * 1.0"]),
    ("return x[1:y + 1]", ["x[0:y + 1]", "x[2:y + 1]", "x[1:y + 0]", "x[1:y - 1]"]),
    ("return [x[i:i + y] for i in range(y)]", ["range(y + 1)", "range(y - 1)", "x[i:i + y + 1]", "x[i:i + y - 1]"]),
    ("z = x.detach().clone()\nz.add_(y)\nreturn z", ["z = x.clone()", "z = x.detach()", "z.clone().add_(y)",
                                                     "return z.detach()", "pass\nz.add_(y)"]),
    ("return torch.where(x > 0, x, y)", ["torch.where(x, x > 0, y)", "torch.where(x > 0, y, x)"]),
    ("model.train()\nreturn model(x)", ["model.eval()\nreturn model(x)", "pass\nreturn model(x)"]),
    ("with torch.no_grad():\n    x.sub_(y)", ["x.sub_(y)"]),
])
def test_each_family_makes_its_mutants(body, expected):
    bodies = mutated_bodies(cell(body))
    for want in expected:
        assert any(want in b for b in bodies.values()), (want, bodies)


def test_keys_are_stable_unique_and_mutants_distinct_and_valid():
    source = cell("s = x.sum(dim=1, keepdim=True)\nreturn (s - y).clamp_min(0)")
    first, second = mutate.mutants(source, "f"), mutate.mutants(source, "f")
    assert [m.key for m in first] == [m.key for m in second]
    assert all(KEY.match(m.key) for m in first)
    assert len({m.key for m in first}) == len(first)
    assert len({m.source for m in first}) == len(first)  # duplicates dropped
    for m in first:
        compile(m.source, m.key, "exec")
        assert m.source.startswith("import torch\n\n")  # the cell's other text is kept
        assert m.diff.startswith("--- f\n+++ f [")
    # The key names the family and where the change is in the original cell: line 6 is `s = x.sum(...)`.
    by_description = {m.description: m.key for m in first}
    assert by_description["keepdim=True dropped"] == "keepdim@6:8#0"
    assert by_description["dim=1 -> dim=0"] == "dim@6:14#0" and by_description["dim=1 -> dim=-1"] == "dim@6:14#1"


def test_only_the_solution_lines_are_mutated():
    source = cell("return x + y", signature="def f(x, y, model, eps=1e-6):\n    x = x * 2")
    found = mutate.mutants(source)
    assert found and all("eps=1e-06" in m.source and "x = x * 2" in m.source for m in found)
    assert any("return x - y" in m.source for m in found)


def test_statement_deletion_keeps_the_code_valid():
    bodies = mutated_bodies(cell("if x:\n    return y\nreturn x"))
    assert "if x:\npass\nreturn x" in bodies.values()
    assert "pass\nreturn x" in bodies.values()


def test_visible_part_drops_the_hidden_tests():
    source = "assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 2\n### END HIDDEN TESTS\nprint('done')"
    assert mutate.visible_part(source) == "assert f(1) == 1\nprint('done')"


# ------------------------------------------------------------------ the runner on the fixture course

@pytest.fixture
def course(released_fixture_course) -> Course:
    return released_fixture_course


def edit_cell(course: Course, grade_id: str, edit) -> None:
    path = course.solutions / UNIT / NB
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            c.source = edit(c.source)
    nbformat.write(nb, path)
    release(course, UNIT)


def add_to_answers(course: Course, text: str) -> None:
    answers = course.solutions / UNIT / "01-fixture.answers.py"
    answers.write_text(answers.read_text() + "\n" + textwrap.dedent(text))


def args(**kw):
    return type("Args", (), {"unit": UNIT, "notebook": None, "jobs": 1, "timeout": 10, **kw})()


def check_problems(course: Course) -> list[str]:
    [report] = check.run(course, UNIT, timeout=60)
    return report.problems


def test_mutate_scores_the_fixture_course(course, capsys):
    assert mutate.main(course, args(notebook="01-fixture")) == 0
    out = capsys.readouterr().out
    assert re.search(r"add\s+3/3 killed \(100\.0%\), 0 survived", out), out
    assert re.search(r"notebook\s+10/10 killed \(100\.0%\)", out), out
    assert "mutation score: 10/10 killed (100.0%)" in out


def test_weak_test_leaves_a_survivor_that_check_names(course, capsys):
    # test_add no longer looks at the value: `+ -> -` survives.
    edit_cell(course, "test_add", lambda s: "assert add(1, 2) is not None\n")
    assert mutate.main(course, args()) == 1
    out = capsys.readouterr().out
    assert re.search(r"add\s+2/3 killed \(66\.7%\), 1 survived", out), out
    assert "SURVIVED add arith@4:11#0 (+ -> -)" in out
    assert "-    return np.asarray(a) + np.asarray(b)\n" in out and "+    return np.asarray(a) - np.asarray(b)\n" in out
    [report] = check.run(course, UNIT, timeout=60)
    assert not report.ok and (report.mutants_killed, report.mutants_total) == (9, 10)
    assert any(p.startswith("mutants: mutant add arith@4:11#0 (+ -> -) survives every graded test") for p in report.problems)
    assert "9/10" in check.format_table([report])


def test_equivalent_listing_makes_check_pass(course):
    # `* 1` makes an equivalent mutant (`/ 1`) that no test can kill.
    edit_cell(course, "mean_square", lambda s: s.replace("dtype=float)", "dtype=float) * 1"))
    found = check_problems(course)
    assert any("mean_square arith@4:8#0 (* -> /) survives" in p for p in found), found
    add_to_answers(course, 'EQUIVALENT = {"mean_square": {"arith@4:8#0": "x / 1 is x"}}\n')
    [report] = check.run(course, UNIT, timeout=60)
    assert report.ok, report.problems
    assert (report.mutants_killed, report.mutants_total) == (13, 13)


def test_stale_equivalent_key_is_reported(course, capsys):
    add_to_answers(course, 'EQUIVALENT = {"add": {"arith@9:9#0": "no longer there"}, "nope": {}}\n')
    found = check_problems(course)
    assert any("EQUIVALENT['add']['arith@9:9#0'] is stale" in p for p in found), found
    assert any("EQUIVALENT: no solution cell with grade_id 'nope'" in p for p in found), found
    assert mutate.main(course, args()) == 1
    assert "PROBLEM EQUIVALENT['add']['arith@9:9#0'] is stale" in capsys.readouterr().out


def test_warned_answers_must_be_caught_by_the_visible_tests(course):
    # The visible test of mean_square uses [3.0]: neither WRONG answer differs there.
    add_to_answers(course, 'WARNED = {"mean_square": ["sign kept (x * |x|)", "no such answer"]}\n')
    [report] = check.run(course, UNIT, timeout=60)
    assert (report.visible_caught, report.visible_total) == (0, 2)
    assert any("WARNED mean_square / 'sign kept (x * |x|)': the visible tests alone do not catch it" in p
               for p in report.problems), report.problems
    assert any("WARNED mean_square / 'no such answer': no WRONG answer of that name" in p for p in report.problems)
    # A visible example with a negative entry catches both.
    edit_cell(course, "test_mean_square", lambda s: s.replace("mean_square([3.0]) == 9.0", "mean_square([-1.0, 3.0]) == 5.0"))
    answers = course.solutions / UNIT / "01-fixture.answers.py"
    answers.write_text(answers.read_text().replace(', "no such answer"', ""))
    [report] = check.run(course, UNIT, timeout=60)
    assert report.ok, report.problems
    assert (report.visible_caught, report.visible_total) == (2, 2)
    assert "2/2" in check.format_table([report])


def test_timeouts_and_dead_kernels_count_as_killed(tmp_path):
    solution = nbformat.v4.new_code_cell(textwrap.dedent('''\
        def count_to(x):
            """Counts up to x."""
            ### BEGIN SOLUTION
            n = 0
            while n < x:
                n += 1
            if x == -7:
                os._exit(1)
            return n
            ### END SOLUTION
        '''), metadata={"nbgrader": {"grade": False, "grade_id": "count_to", "locked": False,
                                     "schema_version": 3, "solution": True}})
    test = nbformat.v4.new_code_cell("assert count_to(3) == 3", metadata={"nbgrader": {
        "grade": True, "grade_id": "test_count_to", "locked": True, "points": 1, "schema_version": 3, "solution": False}})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os"),
                                         nbformat.v4.new_code_cell("SMOKE = False", metadata={"tags": ["parameters"]}),
                                         solution, test])
    path = tmp_path / "loop.ipynb"
    nbformat.write(nb, path)
    result = mutate.analyse_notebook(path, "loop.ipynb", mutant_timeout=2)
    [exercise] = result.exercises
    details = {m.key: exercise.outcomes[m.key].detail for m in exercise.mutants}
    assert details["delete@6:8#0"].startswith("timed out"), details      # `n += 1` deleted: loops forever
    assert details["compare@7:7#0"] == "kernel died", details             # `x != -7`: os._exit
    # Every mutant ran, also those after the dead kernel (a fresh one went on); the survivors change
    # nothing the test sees (`n = 1`, the `os._exit` branch that is never taken).
    assert not [key for key, o in exercise.outcomes.items() if o.status == "not run"], exercise.outcomes
    assert {"delete@8:8#0", "const@4:8#1"} <= {m.key for m in exercise.survivors}, exercise.outcomes
    assert result.problems == []


def test_an_answer_that_defines_nothing_fails_instead_of_using_the_solutions_value(course):
    """Answers and mutants replace the solution cell in a kernel where it already ran: the names the
    solution defines are removed first, so a deleted `answer = ...` or def fails as in a fresh kernel."""
    assert check._bound_names("def f(x):\n    return x\nanswer = 3\nx = x + 1\na, (b, c) = 1, (2, 3)") == \
        ["f", "answer", "a", "b", "c"]  # x is read before it is bound: the cell updates it, keep it
    add_to_answers(course, 'WRONG["mean_square"]["defines nothing"] = "pass\\n"\n')
    [report] = check.run(course, UNIT, timeout=60)
    assert report.ok, report.problems
    assert (report.wrong_failed, report.wrong_total) == (3, 3)
