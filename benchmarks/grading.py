"""Grading throughput: plain serial `nbgrader autograde` against `autograder grade` (sandbox on).

    .venv/bin/python benchmarks/grading.py [--n 40] [--workers N] [--notebook 1-pytorch-basics/01-tensors-autograd.ipynb]

Builds one class of N submissions (perfect and partial answers, alternating) of a unit I
notebook (solutions/1-pytorch-basics/01-tensors-autograd.ipynb; a tiny torch notebook made on
the fly when that is missing), in two temporary copies of a course that holds just that
notebook. Each copy gets the assignment recorded in its gradebook first (nbgrader's
generate_assignment; not timed: an instructor does it once). Then, timed, as an instructor
would type them:

    nbgrader autograde UNIT                    (serial; one kernel after another)
    autograder grade UNIT [--workers N]        (parallel, every kernel in bubblewrap)

Both runs get the same environment for the notebooks (COURSE_SMOKE=1, COURSE_DEVICE=cpu,
COURSE_GRADING=1). It prints submissions per minute for both, their ratio, and whether both
gave every submission the same total (they must: only nbgrader's stderr rule differs, and
these notebooks write nothing to stderr in their tests).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder.course import Course  # noqa: E402
from autograder.examples import make_examples  # noqa: E402

DEFAULT_NOTEBOOK = "1-pytorch-basics/01-tensors-autograd.ipynb"
BIN = Path(sys.executable).parent
NOTEBOOK_ENV = {"COURSE_SMOKE": "1", "COURSE_DEVICE": "cpu", "COURSE_GRADING": "1", "COURSE_HEADLESS": "1",
                "MPLBACKEND": "Agg"}


def tiny_torch_notebook() -> nbformat.NotebookNode:
    """A stand-in unit I notebook: import torch, two exercises with visible and hidden tests."""
    def meta(gid, solution=False, grade=False, points=0):
        m = {"grade": grade, "grade_id": gid, "locked": not solution, "schema_version": 3, "solution": solution}
        if grade:
            m["points"] = points
        return {"nbgrader": m}
    cells = [
        nbformat.v4.new_markdown_cell("# Tensors (benchmark stand-in)"),
        nbformat.v4.new_code_cell("import torch"),
        nbformat.v4.new_code_cell("def double(x):\n    \"\"\"2 * x for a tensor x.\"\"\"\n    ### BEGIN SOLUTION\n"
                                  "    return 2 * x\n    ### END SOLUTION", metadata=meta("double", solution=True)),
        nbformat.v4.new_code_cell("assert torch.equal(double(torch.ones(2)), torch.full((2,), 2.0))\n"
                                  "### BEGIN HIDDEN TESTS\nx = torch.randn(5, generator=torch.Generator().manual_seed(1))\n"
                                  "torch.testing.assert_close(double(x), x + x)\n### END HIDDEN TESTS",
                                  metadata=meta("test_double", grade=True, points=1)),
        nbformat.v4.new_code_cell("def grad_of_square(x):\n    \"\"\"d/dx sum(x**2) by autograd.\"\"\"\n"
                                  "    ### BEGIN SOLUTION\n    x = x.clone().requires_grad_(True)\n"
                                  "    (x ** 2).sum().backward()\n    return x.grad\n    ### END SOLUTION",
                                  metadata=meta("grad_of_square", solution=True)),
        nbformat.v4.new_code_cell("torch.testing.assert_close(grad_of_square(torch.tensor([1.0, -2.0])), torch.tensor([2.0, -4.0]))",
                                  metadata=meta("test_grad_of_square", grade=True, points=2)),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def build_course(root: Path, source_course: Course, notebook: str | None) -> tuple[Course, str, str]:
    """A course at root holding one notebook; returns (course, unit, notebook file name)."""
    if notebook and (source_course.solutions / notebook).is_file():
        unit, name = notebook.split("/")
        (root / "solutions" / unit).mkdir(parents=True)
        shutil.copy(source_course.solutions / notebook, root / "solutions" / unit / name)
    else:
        unit, name = "1-bench", "01-tensors.ipynb"
        (root / "solutions" / unit).mkdir(parents=True)
        nbformat.write(tiny_torch_notebook(), root / "solutions" / unit / name)
    (root / "nbgrader_config.py").write_text(
        "from autograder.course import Course\n"
        "c = get_config()  # noqa: F821\n"
        f"c.merge(Course.at({str(root)!r}).nbgrader_config())\n")
    return Course.at(root), unit, name


def submit(course: Course, unit: str, name: str, examples: dict[str, Path], n: int) -> None:
    for i in range(n):
        kind = "perfect" if i % 2 == 0 else "partial"
        folder = course.workspace / "submitted" / f"student{i:03d}" / unit
        folder.mkdir(parents=True)
        shutil.copy(examples[kind] / name, folder / name)
        (folder / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")


def totals_from_gradebook(course: Course, unit: str) -> dict[str, float]:
    from nbgrader.api import Gradebook
    with Gradebook(course.db_url) as gb:
        return {s.student.id: float(s.score) for s in gb.find_assignment(unit).submissions}


def run(cmd: list[str], cwd: Path, env: dict) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="submissions (default 40)")
    parser.add_argument("--workers", type=int, default=None, help="autograder workers (default: one per core)")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK, help=f"unit/notebook (default {DEFAULT_NOTEBOOK})")
    parser.add_argument("--memory", type=float, default=4.0, help="GiB per submission for autograder (default 4)")
    args = parser.parse_args(argv)

    from autograder.grade import ensure_assignment
    from autograder.release import generate

    source = Course.at(REPO)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = Path(tmp)
        plain, unit, name = build_course(tmp / "plain", source, args.notebook)
        ours, _, _ = build_course(tmp / "ours", source, args.notebook)
        examples = make_examples(plain, unit, tmp / "examples", notebook=name)
        for course in (plain, ours):
            submit(course, unit, name, examples, args.n)
        # Recorded in each gradebook beforehand (untimed), as an instructor's release does.
        generate(plain, unit, plain.units_dir, db_url=plain.db_url)
        ensure_assignment(ours, unit, ours.db_url)

        env = dict(os.environ, **NOTEBOOK_ENV)
        cores = os.cpu_count()
        print(f"{args.n} submissions of {unit}/{name} on {cores} cores")
        t_plain = run([str(BIN / "nbgrader"), "autograde", unit], plain.root, env)
        grade_cmd = [str(BIN / "autograder"), "--course", str(ours.root), "grade", unit, "--memory", str(args.memory)]
        if args.workers:
            grade_cmd += ["--workers", str(args.workers)]
        t_ours = run(grade_cmd, ours.root, env)

        results = [json.loads(p.read_text()) for p in (ours.workspace / "results" / unit).glob("*/*.json")]
        states = {s: sum(r["state"] == s for r in results) for s in ("graded", "timed_out", "crashed", "invalid")}
        for r in results:
            if r["state"] != "graded":
                print(f"  {r['student']}: {r['state']}: {r['reason']}")
        a, b = totals_from_gradebook(plain, unit), totals_from_gradebook(ours, unit)
        same = a == b and len(a) == args.n

    rate_plain, rate_ours = args.n / t_plain * 60, args.n / t_ours * 60
    workers = args.workers or cores
    print(f"plain nbgrader autograde (serial):        {t_plain:7.1f} s  {rate_plain:6.1f} submissions/min")
    print(f"autograder grade ({workers} workers, sandbox): {t_ours:7.1f} s  {rate_ours:6.1f} submissions/min")
    print(f"ratio: {rate_ours / rate_plain:.2f}x   states: {states}   same totals as nbgrader: {same}")
    if not same:
        diff = {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}
        print(f"totals differ (nbgrader, autograder): {diff}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
