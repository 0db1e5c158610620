"""`autograder check`: prove that the release is right and that its tests have teeth.

For every notebook of the selected units:
  1. units/ is exactly what `release` makes from solutions/ (byte for byte);
  2. nothing of a solution or a hidden test leaks into units/ (no markers, no solution lines,
     no private files, no outputs);
  3. the solution notebook, run in smoke mode on CPU (parameters injected by papermill), runs
     every cell without error and passes every graded test cell twice: through the checker (as
     when grading) and then in its own kernel (as Validate runs it, which also fails a cell that
     wrote to stderr); in the same kernel, right
     after each exercise's tests, every WRONG answer of its `.answers.py` must fail one of them
     and every RIGHT answer must pass them all (through the checker). This run is also the
     course's "every solution notebook executes" check, and step 5 shares it: its mutants run
     in the same kernel right after each exercise's answer variants, so check executes each
     solution notebook once;
  4. the released notebook, autograded unanswered, scores 0 on every graded cell;
  5. every mutant of every solution (`autograder mutate`) is killed by its exercise's graded
     tests or listed with a reason in EQUIVALENT, and no EQUIVALENT entry is stale; each WRONG
     answer listed in WARNED (a trap the exercise text warns about) is caught by the visible part
     of the tests alone. The table shows the share of all WRONG answers the visible part catches.
It prints one row per notebook and exits non-zero on any failure, naming the cell and why.
"""
from __future__ import annotations

import ast
import copy
import filecmp
import os
import re
import runpy
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.utils import determine_grade, is_grade, is_solution
from jupyter_core.utils import run_sync

from .bridge import CheckerProcess, StudentListener, execute_scratch, is_graded_test, run_graded_cell
from .course import Course
from .release import PRIVATE_PATTERNS, generate, parse_source

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "AUTOTEST", "BEGIN MARK SCHEME", "END MARK SCHEME")
BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)
# Environment every check kernel gets: smoke mode, CPU, static figures, fixed seed.
# One thread, as in the grading sandbox: what check runs is mostly small tensors and round trips
# to the checker, which threads do not speed up, and `--jobs N` then shares the cores fairly.
CHECK_ENV = {"COURSE_SMOKE": "1", "COURSE_DEVICE": "cpu", "COURSE_HEADLESS": "1",
             "COURSE_SEED": "0", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1"}


@dataclass
class NotebookReport:
    name: str                      # "1-pytorch-basics/01-tensors-autograd.ipynb"
    graded_cells: int = 0
    points: float = 0.0
    solution_score: float = 0.0
    release_score: float = 0.0
    wrong_failed: int = 0
    wrong_total: int = 0
    right_passed: int = 0
    right_total: int = 0
    mutants_killed: int = 0        # killed or reviewed as equivalent (step 5)
    mutants_total: int = 0
    mutants_skipped: bool = False  # `--no-mutants`: a quick run, not a full check
    visible_caught: int = 0        # WRONG answers the visible part of the tests alone catches
    visible_total: int = 0
    mutation_seconds: float = 0.0  # beyond the notebook's own cells: answers, mutants, kernel start
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------- 1 and 2: the release itself

def compare_release(committed: Path, fresh: Path) -> list[str]:
    """Differences between the committed units/<unit> and a fresh release of it."""
    problems = []
    names = lambda d: {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()} if d.is_dir() else set()
    have, want = names(committed), names(fresh)
    problems += [f"units/: {n} is missing (run `autograder release`)" for n in sorted(want - have)]
    problems += [f"units/: {n} is not made by the release (remove it)" for n in sorted(have - want)]
    for n in sorted(have & want):
        if not filecmp.cmp(committed / n, fresh / n, shallow=False):
            problems.append(f"units/: {n} differs from a fresh release of solutions/ (run `autograder release`)")
    return problems


def private_lines(source_nb) -> set[str]:
    """Lines that exist only inside solution / hidden-test blocks of a source notebook."""
    inside, outside = set(), set()
    for cell in source_nb.cells:
        text = cell.source
        for match in BLOCK.finditer(text):
            inside.update(line.strip() for line in match.group(2).splitlines())
        outside.update(line.strip() for line in BLOCK.sub("", text).splitlines())
    # Short lines ("return x", "pass", "])") say nothing about the answer.
    return {line for line in inside - outside if len(line) >= 12 and not line.startswith("#")}


def find_leaks(source_nb, released_nb, released_dir: Path) -> list[str]:
    problems = []
    secret = private_lines(source_nb)
    for index, cell in enumerate(released_nb.cells):
        for marker in MARKERS:
            if marker in cell.source:
                problems.append(f"leak: released cell {index} contains the marker '{marker}'")
        for line in cell.source.splitlines():
            if line.strip() in secret:
                problems.append(f"leak: released cell {index} contains a solution/hidden line: {line.strip()[:60]!r}")
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"released cell {index} has outputs or an execution count")
    for pattern in PRIVATE_PATTERNS:
        problems += [f"leak: private file {p.name} in units/" for p in released_dir.glob(pattern)]
    return problems


# ---------------------------------------------------------------- 3 and 4: running notebooks

def load_answers(path: Path, *extra: str) -> tuple[dict, ...]:
    """WRONG and RIGHT variants from NN-name.answers.py, then the optional tables named in `extra`
    ("EQUIVALENT": reviewed surviving mutants, "WARNED": WRONG names the visible tests must catch),
    in that order; each is {} when the file or the table is missing."""
    names = ("WRONG", "RIGHT", *extra)
    namespace = runpy.run_path(str(path)) if path.exists() else {}
    return tuple(namespace.get(name, {}) for name in names)


def _error_of(cell) -> str | None:
    """'Ename: evalue' of the first error output of an executed cell, else None."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}".strip()[:300]
    return None


class _Kernel:
    """One kernel running a notebook cell by cell, able to run extra cells in between.

    Use as a context manager: the kernel starts on entry and is shut down on exit.
    """

    def __init__(self, nb, workdir: str, cell_timeout: int, checker: bool = False):
        # Graded test cells run in a checker process, as when grading (bridge.py), when `checker`.
        self.checker = self.listener = None
        if checker:
            self.checker = CheckerProcess(Path(workdir) / "checker", [], {**os.environ, **CHECK_ENV})
            self.listener = StudentListener(Path(workdir) / "probe.sock")
        self.cell_timeout = cell_timeout
        # IPC sockets in the private work dir: no TCP port open to other users of the machine.
        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(workdir, "kernel"),
                                connection_file=os.path.join(workdir, "kernel.json"))
        self.client = NotebookClient(nb, km=self.km, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                                     interrupt_on_timeout=True, resources={"metadata": {"path": workdir}})

    def __enter__(self):
        self._setup = self.client.setup_kernel(env={**os.environ, **CHECK_ENV})
        self._setup.__enter__()
        if self.checker is not None:
            self.checker.reset()
        return self

    def __exit__(self, *exc):
        try:
            self._setup.__exit__(*exc)
        finally:
            if self.checker is not None:
                self.checker.stop()
                self.listener.close()
            # nbclient leaves a kernel manager it was handed running: shut the kernel down here.
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
            # nbclient stops the client's channels only for a kernel manager it made itself, and the
            # client's own zmq context would close only when garbage collected: 12 descriptors and
            # a heartbeat thread per kernel otherwise, and mutate starts many kernels in one process.
            kc = getattr(self.client, "kc", None)
            if kc is not None:
                kc.stop_channels()
                if not kc.context.closed:
                    kc.context.destroy(linger=0)

    def run(self, cell, index: int) -> str | None:
        """Execute `cell` (outputs stored on it); return its error or None."""
        try:
            if self.checker is not None and is_graded_test(cell):
                run_sync(run_graded_cell)(self.client, cell, index, self.checker, self.listener, self.cell_timeout,
                                          lambda c: execute_scratch(self.client, c))
            elif index < 0:  # a cell that is not part of the notebook (an answer variant, a test re-run)
                run_sync(execute_scratch)(self.client, cell)
            else:
                self.client.execute_cell(cell, index)
        except CellTimeoutError as exc:
            return f"timed out: {str(exc).splitlines()[0]}"
        return _error_of(cell)

    def run_in_kernel(self, cell) -> str | None:
        """Run a copy of a graded `cell` in the notebook's own kernel, as Validate does; its error or
        None. Validate (nbgrader's determine_grade) also fails a graded cell that wrote to stderr (a
        warning), which grading does not: so a student's right answer would fail Validate."""
        cell = copy.deepcopy(cell)
        try:
            run_sync(execute_scratch)(self.client, cell)
        except CellTimeoutError as exc:
            return f"timed out: {str(exc).splitlines()[0]}"
        stderr = "".join(out.get("text", "") for out in cell.get("outputs", [])
                         if out.get("output_type") == "stream" and out.get("name") == "stderr")
        if stderr.strip() and not _error_of(cell):
            return f"it wrote to stderr, which Validate counts as a failure: {stderr.strip()[:300]}"
        return _error_of(cell)


# Run in the kernel once an exercise's tests pass (SAVE), and with the real solution when it is put
# back after each variant or mutant (RESTORE): the global state a variant may change (a patched
# library function, a helper name left behind, the RNG, torch's defaults, autograd switched off by a
# plain torch.set_grad_enabled(False)) goes back to what it was, see variant_state.py.
SAVE = "__import__('autograder.variant_state').variant_state.save(globals())\n"
RESTORE = "__import__('autograder.variant_state').variant_state.restore(globals())\n"


def _scratch_cell(source: str):
    return nbformat.v4.new_code_cell(source)


def _bound_names(source: str) -> list[str]:
    """Names the cell's top-level statements define (def, class, `name = ...`) without reading them."""
    try:
        tree = parse_source(source)
    except SyntaxError:
        return []
    bound, read = [], set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.append(stmt.name)
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        read |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        bound += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    return [n for n in dict.fromkeys(bound) if n not in read]


def replacing(solution_source: str, source: str) -> str:
    """`source` run in place of the solution cell: first the names the solution defines are removed,
    so an answer that forgets one fails as it would in a fresh kernel instead of passing on the
    solution's value left in this one."""
    names = _bound_names(solution_source)
    if not names:
        return source
    return f"for _name in {names!r}:\n    globals().pop(_name, None)\ndel _name\n\n" + source


class StopNotebook(Exception):
    """Raised by a watcher of a run to end it (the notebook's time limit is reached)."""


class SolutionWatcher:
    """Step 3, watching the one run of the solution notebook that step 5's mutation analysis makes
    (`mutate.analyse_notebook(..., watcher=)`): every code cell must run without error and every
    graded cell pass through the checker and again in the notebook's own kernel (as Validate
    runs it); once an exercise's graded cells pass, its WRONG and RIGHT answers run against them."""

    def __init__(self, wrong: dict, right: dict, report: NotebookReport, budget: float):
        self.wrong, self.right, self.report = wrong, right, report
        self.budget, self.spent = budget, 0.0  # seconds the notebook's own cells may take, and took

    def cell_ran(self, kernel: _Kernel, index: int, cell, error: str | None, seconds: float) -> None:
        report = self.report
        if is_grade(cell):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            points = float(cell.metadata["nbgrader"].get("points", 0))
            report.graded_cells += 1
            report.points += points
            if error:
                report.problems.append(f"solution: graded cell {grade_id} fails: {error}")
            else:
                report.solution_score += points
                in_kernel = kernel.run_in_kernel(cell)  # the same source in the student's kernel (Validate)
                if in_kernel:
                    report.problems.append(f"solution: graded cell {grade_id} passes in the checker but "
                                           f"fails in the notebook's own kernel (as Validate runs it): {in_kernel}")
        elif error:
            report.problems.append(f"solution: cell {index} raised {error}")
        self.spent += seconds
        if self.spent > self.budget:
            report.problems.append(f"solution: notebook time limit ({self.budget:.0f} s) reached at cell {index}")
            raise StopNotebook

    def exercise_passed(self, kernel: _Kernel, grade_id: str, solution_cell, tests: list) -> None:
        run_variants(kernel, grade_id, solution_cell, tests, self.wrong.get(grade_id, {}), self.right.get(grade_id, {}),
                     self.report)


def run_variants(kernel: _Kernel, grade_id: str, solution_cell, tests: list, wrong: dict, right: dict,
                 report: NotebookReport) -> None:
    """Run each answer variant of one exercise against that exercise's graded tests."""
    for expect_pass, variants in ((False, wrong), (True, right)):
        for name, source in variants.items():
            label = f"{'RIGHT' if expect_pass else 'WRONG'} {grade_id} / {name!r}"
            if not tests:
                report.problems.append(f"{label}: the exercise has no graded test cell")
                continue
            definition_error = kernel.run(_scratch_cell(replacing(solution_cell.source, source)), -1)
            if definition_error:
                report.problems.append(f"{label}: the variant itself raised {definition_error}")
            else:
                failures = [(t.metadata["nbgrader"]["grade_id"], kernel.run(copy.deepcopy(t), -1)) for t in tests]
                failures = [(g, e) for g, e in failures if e]
                if expect_pass:
                    report.right_total += 1
                    if failures:
                        report.problems.append(f"{label} should pass but fails {failures[0][0]}: {failures[0][1]}")
                    else:
                        report.right_passed += 1
                else:
                    report.wrong_total += 1
                    if failures:
                        report.wrong_failed += 1
                    else:
                        report.problems.append(f"{label} passes every graded test of its exercise: the tests lack teeth")
            # Put the real solution back before anything else runs.
            restore_error = kernel.run(_scratch_cell(RESTORE + solution_cell.source), -1)
            if restore_error:
                report.problems.append(f"{grade_id}: re-running the solution after {name!r} raised {restore_error}")


def autograde_unanswered(nb, report: NotebookReport, cell_timeout: int) -> None:
    """Step 4: run the released notebook as a student would hand it in unanswered; every graded cell must score 0."""
    with tempfile.TemporaryDirectory(prefix="check-release-") as workdir:
        with _Kernel(nb, workdir, cell_timeout) as kernel:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    kernel.run(cell, index)
    for cell in nb.cells:
        if is_grade(cell):
            score, _ = determine_grade(cell)
            report.release_score += float(score or 0)
            if score:
                report.problems.append(f"release: graded cell {cell.metadata['nbgrader']['grade_id']} scores {score} unanswered")


# ---------------------------------------------------------------- 5: mutants, and what the visible tests catch

def run_solution_and_mutants(source_path: Path, report: NotebookReport, cell_timeout: int, budget: float,
                             make_mutants: bool = True) -> None:
    """Steps 3 and 5 in one run of the solution notebook: the mutation analysis runs it exercise by
    exercise, and step 3 (SolutionWatcher) checks each cell and runs the answer variants on the way.
    Then: no unreviewed surviving mutant, no stale EQUIVALENT key; the visible tests catch every
    WARNED answer."""
    from . import mutate  # imported here: mutate imports this module
    wrong, right, equivalent, warned = load_answers(source_path.with_name(source_path.stem + ".answers.py"),
                                                    "EQUIVALENT", "WARNED")
    nb = nbformat.read(source_path, as_version=4)
    exercises = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.cell_type == "code" and is_solution(c)]
    for key in sorted(set(wrong) | set(right)):
        if key not in exercises:
            report.problems.append(f"answers: no solution cell with grade_id {key!r} (have {exercises})")
    watcher = SolutionWatcher(wrong, right, report, budget)
    started = time.monotonic()
    result = mutate.analyse_notebook(source_path, report.name, wrong, equivalent, cell_timeout=cell_timeout,
                                     watcher=watcher, make_mutants=make_mutants)
    report.mutants_skipped = not make_mutants
    report.mutants_total = result.total
    report.mutants_killed = result.count("killed") + result.equivalent
    # Time beyond the notebook's own cells: the variants, the mutants, the kernel start.
    report.mutation_seconds = time.monotonic() - started - watcher.spent
    report.problems += [f"mutants: {problem}" for problem in result.failures]
    caught = {e.grade_id: e.visible_caught for e in result.exercises}  # grade_id -> {WRONG name: caught}
    report.visible_total = sum(len(names) for names in caught.values())
    report.visible_caught = sum(sum(names.values()) for names in caught.values())
    for grade_id, names in warned.items():
        for name in names:
            if name not in wrong.get(grade_id, {}):
                report.problems.append(f"WARNED {grade_id} / {name!r}: no WRONG answer of that name")
            elif not caught.get(grade_id, {}).get(name):
                report.problems.append(f"WARNED {grade_id} / {name!r}: the visible tests alone do not catch it, "
                                       "though the exercise text warns about this trap")


# ---------------------------------------------------------------- putting it together

def check_notebook(course: Course, unit: str, name: str, fresh_dir: Path, timeout: int,
                   make_mutants: bool = True) -> NotebookReport:
    report = NotebookReport(name=f"{unit}/{name}")
    start = time.monotonic()
    source_path = course.solutions / unit / name
    try:
        source_nb = nbformat.read(source_path, as_version=4)
        released_nb = nbformat.read(fresh_dir / name, as_version=4)
    except Exception as exc:  # a broken source notebook is a finding, not a crash
        report.problems.append(f"cannot read notebook: {exc}")
        return report
    committed = course.units_dir / unit / name  # what students get; a missing one is reported by step 1
    shipped = nbformat.read(committed, as_version=4) if committed.exists() else released_nb
    report.problems += find_leaks(source_nb, shipped, course.units_dir / unit)
    cell_timeout = max(10, timeout // 2)
    # `timeout` bounds the notebook's own cells; its mutants and answer variants come on top.
    run_solution_and_mutants(source_path, report, cell_timeout, budget=timeout, make_mutants=make_mutants)
    try:
        autograde_unanswered(released_nb, report, cell_timeout)
    except DeadKernelError as exc:
        report.problems.append(f"release: the kernel died: {exc}")
    report.seconds = time.monotonic() - start
    return report


def released_for_check(course: Course, unit: str, tmp: Path, notebook: str | None) -> tuple[list[str], Path, list[str]]:
    """Steps 1 and 2's input: (notebooks to check, a fresh release of the unit, release problems)."""
    names = course.select_notebooks(unit, notebook)
    generate(course, unit, tmp)
    fresh = tmp / unit
    problems = compare_release(course.units_dir / unit, fresh)
    if notebook is not None:  # only this notebook's file is under review
        problems = [p for p in problems if any(f" {n} " in p for n in names)]
    return names, fresh, problems


def format_table(reports: list[NotebookReport]) -> str:
    header = ("notebook", "graded", "points", "solution", "release", "wrong fail", "right pass", "mutants",
              "visible catches", "seconds", "answers+mutants s", "result")
    rows = [header]
    for r in reports:
        rows.append((r.name, str(r.graded_cells), f"{r.points:g}", f"{r.solution_score:g}/{r.points:g}",
                     f"{r.release_score:g}/{r.points:g}", f"{r.wrong_failed}/{r.wrong_total}",
                     f"{r.right_passed}/{r.right_total}",
                     "skipped" if r.mutants_skipped else f"{r.mutants_killed}/{r.mutants_total}",
                     f"{r.visible_caught}/{r.visible_total}", f"{r.seconds:.1f}", f"{r.mutation_seconds:.1f}",
                     "ok" if r.ok else "FAIL"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(course: Course, unit_key: str | None = None, timeout: int = 300, jobs: int = 1,
        notebook: str | None = None, make_mutants: bool = True) -> list[NotebookReport]:
    """Check the selected notebooks, `jobs` at once across units; per unit, its release problems
    (a report of their own) come before its notebooks' reports."""
    with tempfile.TemporaryDirectory(prefix="check-release-") as tmp:
        units = [(unit, *released_for_check(course, unit, Path(tmp), notebook)) for unit in course.select_units(unit_key)]
        work = [(unit, name, fresh) for unit, names, fresh, _ in units for name in names]
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            checked = iter(pool.map(lambda w: check_notebook(course, w[0], w[1], w[2], timeout, make_mutants), work))
            reports = []
            for unit, names, _, release_problems in units:
                if release_problems:
                    reports.append(NotebookReport(name=f"{unit}/ (release)", problems=release_problems))
                reports += [next(checked) for _ in names]
    return reports


def default_jobs() -> int:
    """One notebook per core this process may use (each check kernel and checker use one thread)."""
    return max(1, len(os.sched_getaffinity(0)))


def main(course: Course, args) -> int:
    reports = run(course, getattr(args, "unit", None), getattr(args, "timeout", 300),
                  getattr(args, "jobs", None) or default_jobs(), getattr(args, "notebook", None),
                  not getattr(args, "no_mutants", False))
    print(format_table(reports))
    failed = [r for r in reports if not r.ok]
    for r in failed:
        print(f"\n{r.name}:")
        for problem in r.problems:
            print(f"  - {problem}")
    if not reports:
        print("no notebooks to check")
        return 1
    print(f"\n{len(reports) - len(failed)}/{len(reports)} notebooks pass the check")
    if getattr(args, "no_mutants", False):
        print("mutants skipped (--no-mutants): the answers were checked, the mutants were not")
    return 1 if failed else 0
