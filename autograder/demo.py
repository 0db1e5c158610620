"""`autograder demo` (`make demo`): the course proves itself, then grades a made-up class.

1. `release`: the student notebooks (units/) are generated from solutions/.
2. `check`: units/ is the release of solutions/ and every test has teeth (its table is printed).
3. A class of example submissions (`examples.make_examples`) is made from the first unit's
   first notebook: perfect, partial, unanswered, invalid JSON, endless loop, memory hog and a
   snooper that hunts for the hidden tests.
4. That class is collected, graded (sandboxed when bubblewrap is installed, else with a warning),
   exported and given feedback in a workspace of its own, `grading/demo/` (wiped at the start of
   each demo), so the instructor's real `grading/` -- gradebook, submissions, grades -- is never
   touched. `DemoCourse` is the same course with that workspace and, so that the demo stays
   within a few minutes on 2 cores, only the one notebook.
5. The results table is printed: student, notebook, state, score, reason; then where the
   exports and the feedback are.

Returns 0 when check passed and every example got the state and score it is built to get
(perfect/snooper full marks, unanswered 0, partial in between, invalid JSON "invalid", endless
loop "timed_out", memory hog stopped by the memory limit -- its other cells graded as earned),
else 1. Whatever happens to one example, the others are graded (a batch never stops).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from argparse import Namespace
from dataclasses import dataclass
from pathlib import Path

from .course import Course

DEMO_TIMEOUT_CELL = 30  # the endless loop costs this much
DEMO_TIMEOUT_NOTEBOOK = 300
DEMO_MEMORY_GIB = 4.0  # grade's default: what the memory hog runs into


@dataclass(frozen=True)
class DemoCourse(Course):
    """The course with its grading workspace elsewhere and (optionally) only some notebooks."""
    demo_workspace: Path = None  # type: ignore[assignment]
    only_notebooks: tuple[str, ...] = ()

    @property
    def workspace(self) -> Path:
        return self.demo_workspace

    def notebooks(self, unit: str) -> list[str]:
        names = super().notebooks(unit)
        return [n for n in names if n in self.only_notebooks] if self.only_notebooks else names

    def nbgrader_config(self, db_url: str | None = None):
        c = super().nbgrader_config(db_url)
        rel = os.path.relpath(self.workspace, self.root)
        c.CourseDirectory.submitted_directory = f"{rel}/submitted"
        c.CourseDirectory.autograded_directory = f"{rel}/autograded"
        c.CourseDirectory.feedback_directory = f"{rel}/feedback"
        return c


def expected(kind: str, record: dict) -> str | None:
    """None when the example got what it is built to get, else what went wrong."""
    state, total, top = record["state"], record["total"], record["max_total"]
    ok = {
        "perfect": state == "graded" and total == top,
        "snooper": state == "graded" and total == top,
        "unanswered": state == "graded" and total == 0,
        "partial": state == "graded" and 0 < total < top,
        "invalid-json": state == "invalid",
        "endless-loop": state == "timed_out",
        "memory-hog": state in ("graded", "crashed")
        and "memory" in " ".join([record.get("reason") or "", *record.get("notes", [])]).lower(),
    }.get(kind, True)
    return None if ok else f"{kind}: unexpected {state} {total:g}/{top:g}"


def print_results(records: list[dict], file=None) -> None:
    file = file or sys.stdout
    rows = [("student", "notebook", "state", "score", "reason")]
    for r in sorted(records, key=lambda r: (r["student"], r["notebook"])):
        reason = r["reason"] or "; ".join(r.get("notes", []))
        rows.append((r["student"], r["notebook"], r["state"], f"{r['total']:g}/{r['max_total']:g}",
                     reason if len(reason) <= 90 else reason[:89] + "…"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4], file=file)


def run_check(course: Course) -> bool:
    from .check import main as check_main
    return check_main(course, Namespace(unit=None, timeout=300, jobs=1)) == 0


def main(course: Course, args) -> int:
    from .collect import collect
    from .examples import make_examples
    from .export import export
    from .feedback import feedback
    from .grade import grade_unit
    from . import sandbox as sb

    from .release import release

    t0 = time.monotonic()
    print("== 1. release: generate the student notebooks (units/) from solutions/")
    release(course)
    print("\n== 2. check: units/ is the release of solutions/, and the tests have teeth")
    check_ok = run_check(course)

    unit = course.units()[0]
    notebook = course.notebooks(unit)[0]
    demo = DemoCourse(course.root, demo_workspace=course.workspace / "demo", only_notebooks=(notebook,))
    if demo.workspace.exists():
        shutil.rmtree(demo.workspace)
    print(f"\n== 3. example submissions of {unit}/{notebook}, collected into {demo.workspace}")
    with tempfile.TemporaryDirectory(prefix="demo-class-") as tmp:
        source = Path(tmp) / "class"
        kinds = make_examples(course, unit, source, notebook=notebook)
        collect(demo, unit, source).print()

    sandbox = sb.bwrap_path() is not None
    if not sandbox:
        print("WARNING: bubblewrap (bwrap) is not installed: grading the demo WITHOUT the sandbox "
              "(`make system-deps` installs it)", file=sys.stderr)
    print(f"\n== 4. grade (sandbox {'on' if sandbox else 'OFF'}; {DEMO_TIMEOUT_CELL} s per cell)")
    records = grade_unit(demo, unit, timeout_cell=DEMO_TIMEOUT_CELL, timeout_notebook=DEMO_TIMEOUT_NOTEBOOK,
                         memory_gib=DEMO_MEMORY_GIB, sandbox=sandbox, progress=sys.stderr.isatty())
    paths = export(demo, unit)
    reports = feedback(demo, unit)

    print(f"\n== 5. results ({unit}/{notebook})")
    print_results(records)
    problems = [p for r in records if (p := expected(r["student"], r))]
    problems += [f"{k}: no result" for k in kinds if not any(r["student"] == k for r in records)]
    print(f"\ngrades: {paths['grades']}\nsummary: {paths['summary']}\nhistogram: {paths['histogram']}")
    print(f"feedback: {len(reports)} report(s) under {demo.workspace / 'feedback'}")
    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    verdict = "ok" if check_ok and not problems else "FAILED"
    print(f"demo {verdict} in {time.monotonic() - t0:.0f} s")
    return 0 if verdict == "ok" else 1
