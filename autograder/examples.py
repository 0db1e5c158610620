"""Example submissions built from a unit's own notebooks: the demo's and the benchmark's class.

    paths = make_examples(course, "1-pytorch-basics", Path("examples"))
    # {"perfect": examples/perfect, "partial": ..., "unanswered": ..., "invalid-json": ...,
    #  "endless-loop": ..., "memory-hog": ..., "snooper": ...}

Contract: `make_examples(course, unit, dest_dir, notebook=None) -> dict[str, Path]` writes, under
`dest_dir`, a collect SOURCE folder: one subfolder per (made-up) student id, each holding the
unit's notebook(s) under their canonical names (or only `notebook` when given). It returns
{student_id: that student's folder}. Every example is derived from the release notebook
(units/<unit>/, or a fresh release when units/ lacks it) and the solution notebook:

- perfect      release notebook with every solution body put back: full marks.
- partial      every other exercise solved (the 1st, 3rd, ...), the rest left as stubs.
- unanswered   the release notebook as is: zero.
- invalid-json a truncated file that is not JSON: state "invalid".
- endless-loop perfect answers, plus a cell `while True: pass` after the first code cell:
               state "timed_out".
- memory-hog   perfect answers, plus a cell that allocates without bound (one process): it hits
               the memory limit (MemoryError in that cell) and the rest is graded as earned.
- snooper      perfect answers, plus a cell that hunts for the hidden tests: lists the parent
               folders, opens the solution notebooks, the gradebook and another student's
               submission by their real paths, prints what it found, tries to raise its grade in
               the gradebook and to reach the network. In the sandbox every attempt fails and it
               gets exactly the perfect score; the cell's output is the evidence.

Nothing here runs student code: it only writes files.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from .course import Course

KINDS = ("perfect", "partial", "unanswered", "invalid-json", "endless-loop", "memory-hog", "snooper")

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def solution_body(source: str) -> str:
    """A solution cell's source without its BEGIN/END SOLUTION marker lines."""
    return "\n".join(line for line in source.splitlines() if not _MARKER.match(line))


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _is_solution(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def answered(release_nb, solution_nb, which: set[str] | None = None):
    """A copy of the release notebook with the solution bodies of `which` grade_ids (all: None) put back."""
    solutions = {_grade_id(c): c.source for c in solution_nb.cells if _is_solution(c)}
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        gid = _grade_id(cell)
        if _is_solution(cell) and gid in solutions and (which is None or gid in which):
            cell.source = solution_body(solutions[gid])
    return nb


def solution_ids(nb) -> list[str]:
    return [_grade_id(c) for c in nb.cells if _is_solution(c)]


def with_extra_cell(nb, source: str):
    """A copy of nb with a new code cell right after its first code cell."""
    nb = copy.deepcopy(nb)
    first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), -1)
    cell = nbformat.v4.new_code_cell(source)
    if nb.get("nbformat_minor", 0) < 5:  # cell ids exist from nbformat 4.5 on
        cell.pop("id", None)
    nb.cells.insert(first + 1, cell)
    return nb


def snooper_source(course: Course, unit: str, notebook: str) -> str:
    """A cell that tries every way out of the sandbox we can think of, and prints what it finds."""
    root = course.root
    targets = [
        root / "solutions" / unit / notebook,
        root / "grading" / "gradebook.db",
        root / "grading" / "submitted" / "perfect" / unit / notebook,
        Path("../../solutions") / unit / notebook,
        Path("/root/.bash_history"),
        Path("/etc/shadow"),
    ]
    return f'''# Looking for the hidden tests (the grader must make every attempt below fail).
import os, socket, sqlite3
found = []
for folder in ["..", "../..", "/", {str(root)!r}, {str(root / "grading")!r}, "/root", "/home"]:
    try:
        found.append(("listdir", folder, sorted(os.listdir(folder))[:20]))
    except Exception as e:
        found.append(("listdir", folder, type(e).__name__))
for path in {[str(p) for p in targets]!r}:
    try:
        with open(path, "rb") as f:
            found.append(("read", path, f.read(200)))
    except Exception as e:
        found.append(("read", path, type(e).__name__))
try:
    db = sqlite3.connect({str(root / "grading" / "gradebook.db")!r})
    db.execute("UPDATE grade SET auto_score = 100")
    db.commit()
    found.append(("gradebook", "UPDATE", "succeeded"))
except Exception as e:
    found.append(("gradebook", "UPDATE", type(e).__name__))
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
    found.append(("network", "1.1.1.1:80", "connected"))
except Exception as e:
    found.append(("network", "1.1.1.1:80", type(e).__name__))
found.append(("environ", "keys", sorted(os.environ)))
for item in found:
    print(*item)
'''


ENDLESS_LOOP = "# An endless loop (the per-cell time limit must stop it).\nwhile True:\n    pass\n"
MEMORY_HOG = ("# Allocates without bound: the memory limit must stop it.\n"
              "hog = [bytearray(2 ** 26) for _ in range(10 ** 6)]\n")


def _release_dir(course: Course, unit: str, notebooks: list[str]):
    """units/<unit> when it holds the notebooks, else a fresh release (caller keeps the handle)."""
    folder = course.units_dir / unit
    if all((folder / nb).is_file() for nb in notebooks):
        return folder, None
    from .release import generate_to_temp
    return generate_to_temp(course, unit)


def make_examples(course: Course, unit: str, dest_dir: Path, notebook: str | None = None) -> dict[str, Path]:
    """Write the example class under dest_dir (one folder per student id); returns {id: folder}."""
    unit = course.unit(unit)
    notebooks = [notebook] if notebook else course.notebooks(unit)
    release_dir, handle = _release_dir(course, unit, notebooks)
    dest_dir = Path(dest_dir)
    out = {kind: dest_dir / kind for kind in KINDS}
    try:
        for name in notebooks:
            release_nb = nbformat.read(release_dir / name, as_version=4)
            solution_nb = nbformat.read(course.solutions / unit / name, as_version=4)
            perfect = answered(release_nb, solution_nb)
            ids = solution_ids(release_nb)
            notebooks_by_kind = {
                "perfect": perfect,
                "partial": answered(release_nb, solution_nb, set(ids[::2])),
                "unanswered": release_nb,
                "endless-loop": with_extra_cell(perfect, ENDLESS_LOOP),
                "memory-hog": with_extra_cell(perfect, MEMORY_HOG),
                "snooper": with_extra_cell(perfect, snooper_source(course, unit, name)),
            }
            for kind, nb in notebooks_by_kind.items():
                out[kind].mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, out[kind] / name)
            out["invalid-json"].mkdir(parents=True, exist_ok=True)
            text = nbformat.writes(release_nb)
            (out["invalid-json"] / name).write_text(text[: len(text) // 3])  # cut short: not JSON
    finally:
        if handle is not None:
            handle.cleanup()
    return out
