"""Grading throughput: plain serial `nbgrader autograde` against `autograder grade` (sandbox on),
locally and on a Dask cluster of the same machine.

    .venv/bin/python benchmarks/grading.py [--n 40] [--workers N] [--notebook 1-pytorch-basics/01-tensors-autograd.ipynb]
                                           [--no-cluster] [--no-nbgrader]

Builds one class of N submissions (perfect and partial answers, alternating) of a unit I
notebook (solutions/1-pytorch-basics/01-tensors-autograd.ipynb; a tiny torch notebook made on
the fly when that is missing), in two temporary copies of a course that holds just that
notebook. Each copy gets the assignment recorded in its gradebook first (nbgrader's
generate_assignment; not timed: an instructor does it once). Then, timed, as an instructor
would type them:

    nbgrader autograde UNIT                    (serial; one kernel after another)
    autograder grade UNIT [--workers N]        (parallel, every kernel in bubblewrap)
    autograder grade UNIT --scheduler ADDRESS  (the same, one Dask task per notebook, on a
                                                LocalCluster of N worker processes of one slot)

The cluster column measures what Dask costs over local threads on the same cores: the cluster
(its workers started, their course check done) is up before the clock starts, as an
instructor's cluster is; the grading run then pays the client's connection, the per-task
transfer of notebooks and the per-worker checker start, like the local run does.

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
    parser.add_argument("--no-cluster", action="store_true", help="skip the Dask LocalCluster column")
    parser.add_argument("--no-nbgrader", action="store_true", help="skip the plain nbgrader column")
    args = parser.parse_args(argv)

    from autograder.grade import ensure_assignment
    from autograder.release import generate

    source = Course.at(REPO)
    cores = os.cpu_count()
    workers = args.workers or cores
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = Path(tmp)
        plain, unit, name = build_course(tmp / "plain", source, args.notebook)
        ours, _, _ = build_course(tmp / "ours", source, args.notebook)
        dasked, _, _ = build_course(tmp / "dask", source, args.notebook)
        examples = make_examples(plain, unit, tmp / "examples", notebook=name)
        for course in (plain, ours, dasked):
            submit(course, unit, name, examples, args.n)
        # Recorded in each gradebook beforehand (untimed), as an instructor's release does.
        generate(plain, unit, plain.units_dir, db_url=plain.db_url)
        ensure_assignment(ours, unit, ours.db_url)
        ensure_assignment(dasked, unit, dasked.db_url)

        env = dict(os.environ, **NOTEBOOK_ENV)
        print(f"{args.n} submissions of {unit}/{name} on {cores} cores")
        t_plain = None if args.no_nbgrader else run([str(BIN / "nbgrader"), "autograde", unit], plain.root, env)
        grade_cmd = [str(BIN / "autograder"), "--course", str(ours.root), "grade", unit, "--memory", str(args.memory)]
        if args.workers:
            grade_cmd += ["--workers", str(args.workers)]
        t_ours = run(grade_cmd, ours.root, env)
        t_dask = None if args.no_cluster else run_cluster(dasked, unit, workers, args.memory, env)

        totals = {"autograder": totals_from_gradebook(ours, unit)}
        if t_plain is not None:
            totals["nbgrader"] = totals_from_gradebook(plain, unit)
        if t_dask is not None:
            totals["cluster"] = totals_from_gradebook(dasked, unit)
        results = [json.loads(p.read_text()) for p in (ours.workspace / "results" / unit).glob("*/*.json")]
        states = {s: sum(r["state"] == s for r in results) for s in ("graded", "timed_out", "crashed", "invalid")}
        for r in results:
            if r["state"] != "graded":
                print(f"  {r['student']}: {r['state']}: {r['reason']}")

    def line(label: str, seconds: float) -> str:
        return f"{label:<58} {seconds:7.1f} s  {args.n / seconds * 60:6.1f} submissions/min"

    if t_plain is not None:
        print(line("plain nbgrader autograde (serial):", t_plain))
    print(line(f"autograder grade ({workers} workers, sandbox):", t_ours))
    if t_dask is not None:
        print(line(f"autograder grade --scheduler (LocalCluster, {workers} workers):", t_dask))
        print(f"cluster overhead vs local threads: {(t_dask / t_ours - 1) * 100:+.1f} %")
    if t_plain is not None:
        print(f"ratio to nbgrader: {t_plain / t_ours:.2f}x")
    reference = totals["autograder"]
    same = len(reference) == args.n and all(t == reference for t in totals.values())
    print(f"states: {states}   same totals in every column: {same}")
    if not same:
        for label, got in totals.items():
            diff = {k: (reference.get(k), got.get(k)) for k in sorted(set(reference) | set(got)) if reference.get(k) != got.get(k)}
            if diff:
                print(f"totals differ ({label} vs autograder): {diff}")
    return 0 if same else 1


def run_cluster(course: Course, unit: str, workers: int, memory: float, env: dict) -> float:
    """Seconds `autograder grade --scheduler` takes on a LocalCluster of `workers` one-slot worker
    processes of this machine, started (and their course checked) before the clock starts."""
    import dask
    from distributed import LocalCluster

    from autograder.cluster import QUIET_DASK

    # As `autograder worker` runs its workers (and the README its scheduler).
    with dask.config.set({**QUIET_DASK, "distributed.comm.timeouts.connect": "300s"}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                         preload=["autograder.cluster"], preload_argv=["--course", str(course.root), "--slots", "1"],
                         env={k: env[k] for k in NOTEBOOK_ENV}) as cluster:
        return run([str(BIN / "autograder"), "--course", str(course.root), "grade", unit, "--memory", str(memory),
                    "--scheduler", cluster.scheduler_address], course.root, env)


if __name__ == "__main__":
    sys.exit(main())
