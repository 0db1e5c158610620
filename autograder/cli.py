"""The `autograder` command: a thin layer over the Python API in the sibling modules."""
from __future__ import annotations

import argparse
import importlib
import sys

from .course import Course


def _unit_arg(p: argparse.ArgumentParser, required: bool = False) -> None:
    if required:
        p.add_argument("unit", help='unit number or folder name, e.g. "1" or "1-pytorch-basics"')
    else:
        p.add_argument("--unit", help="only this unit (number or folder name)")


def _notebook_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--notebook", help='only this notebook (file name or stem, e.g. "01-tensors-autograd")')


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    parser.add_argument("--course", help="course root (default: the nearest folder with solutions/)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="regenerate units/ from solutions/ (nbgrader generate_assignment)")
    _unit_arg(p)
    _notebook_arg(p)

    p = sub.add_parser("check", help="prove units/ is the release of solutions/ and that its tests have teeth")
    _unit_arg(p)
    _notebook_arg(p)
    p.add_argument("--timeout", type=int, default=300, help="seconds per notebook (default 300)")
    p.add_argument("--jobs", type=int, default=None,
                   help="notebooks checked at once (default: one per usable core; each kernel uses one thread)")
    p.add_argument("--no-mutants", action="store_true",
                   help="run the answers only, not the mutants: a quick run while writing tests, not a full check")

    p = sub.add_parser("mutate", help="mutation testing: do the graded tests kill machine-made wrong solutions?")
    _unit_arg(p)
    _notebook_arg(p)
    p.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    p.add_argument("--timeout", type=int, default=10, help="seconds per cell a mutant may take at least (default 10)")

    p = sub.add_parser("execute", help="run solution notebooks with papermill and write metrics.json")
    _unit_arg(p)
    _notebook_arg(p)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--smoke", dest="smoke", action="store_true", default=True, help="smoke mode (default)")
    mode.add_argument("--full", dest="smoke", action="store_false", help="full mode: targets must be met")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"])
    p.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    p.add_argument("--out", default="executed", help="output folder (default executed/)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per notebook (default 300 in smoke mode, 1800 in full mode)")
    p.add_argument("--seed", type=int, default=None, help="inject SEED (default: the notebook's own)")

    p = sub.add_parser("collect", help="collect a class's submissions (folder or LMS zip)")
    _unit_arg(p, required=True)
    p.add_argument("source", help="folder with one subfolder or file per student, or an LMS zip")
    p.add_argument("--roster", help="roster.csv (columns: id, name, email, login)")
    p.add_argument("--due", help="due date, ISO 8601 (naive = UTC), e.g. 2025-03-01T23:59; stored for late penalties")
    p.add_argument("--db-url", help="gradebook URL that receives the due date (default: SQLite in grading/)")

    p = sub.add_parser("grade", help="autograde every collected submission of a unit, in parallel, sandboxed")
    _unit_arg(p, required=True)
    p.add_argument("--workers", type=int, default=None, help="parallel kernels (default: one per core)")
    p.add_argument("--timeout-cell", type=int, default=60, help="seconds per cell (default 60)")
    p.add_argument("--timeout-notebook", type=int, default=600, help="seconds per notebook (default 600)")
    p.add_argument("--memory", type=float, default=4.0, help="GiB per submission (default 4)")
    p.add_argument("--db-url", help="gradebook URL (default: SQLite in grading/; postgresql://... works)")
    p.add_argument("--no-sandbox", action="store_true", help="run student code without bubblewrap (unsafe)")
    p.add_argument("--force", action="store_true", help="grade every submission again, changed or not")
    p.add_argument("--scheduler", help="grade on this Dask cluster (e.g. tcp://head:8786), one task per notebook, "
                   "on workers started with `autograder worker`")

    p = sub.add_parser("worker", help="a Dask worker that grades: checks its course files, offers one slot per core")
    p.add_argument("scheduler", help="the Dask scheduler's address, e.g. tcp://head:8786")
    p.add_argument("--slots", type=int, default=None, help="notebooks graded at once (default: one per usable core)")
    p.add_argument("--name", help="the worker's name on the dashboard")

    p = sub.add_parser("feedback", help="one HTML report per student, hidden tests redacted")
    _unit_arg(p, required=True)
    p.add_argument("--db-url", help="gradebook URL (default: SQLite in grading/)")
    p.add_argument("--late-penalty", type=float, default=0.0, help="as for export: shown in the report")

    p = sub.add_parser("export", help="grades.csv, per-question pass rates and a score histogram")
    _unit_arg(p, required=True)
    p.add_argument("--db-url", help="gradebook URL (default: SQLite in grading/)")
    p.add_argument("--late-penalty", type=float, default=0.0,
                   help="fraction of the total taken off per started day late (default 0), e.g. 0.1")
    p.add_argument("--format", default="csv", choices=["csv", "canvas", "moodle"],
                   help="csv (default: grades.csv, summary.csv, histogram.png), canvas (gradebook import CSV) "
                        "or moodle (grading worksheet CSV)")
    p.add_argument("--missing", default="empty", choices=["empty", "zero"],
                   help="grade of a student with no submission in the LMS file: empty (default) or zero")
    p.add_argument("--assignment", help="the LMS assignment's name (default: the unit's folder name)")
    p.add_argument("--assignment-id", help="Canvas: the assignment's id, so the column updates it (else Canvas "
                   "creates a new assignment)")

    sub.add_parser("demo", help="release, check, and grade the bundled example submissions")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    course = Course.at(args.course)
    if args.command == "release":
        from .release import release
        release(course, args.unit, args.notebook)
        return 0
    # Imported per command: each module pulls in only what its job needs.
    module = importlib.import_module(f".{args.command}", __package__)
    return module.main(course, args)


if __name__ == "__main__":
    sys.exit(main())
