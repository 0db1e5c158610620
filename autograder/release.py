"""solutions/ -> units/: nbgrader generate_assignment, one unit at a time.

nbgrader does the real work (clear solutions, remove hidden tests, lock cells, checksums);
this module only points it at the course's folders and writes into a given release folder,
so `check` can generate a fresh copy beside the committed one and compare.
"""
from __future__ import annotations

import ast
import logging
import re
import shutil
import tempfile
import threading
from pathlib import Path

import nbformat
from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory

from .course import Course, gradebook_url

# Files that sit beside the solution notebooks but must never reach students.
PRIVATE_PATTERNS = ["*.answers.py"]
# JupyterLab's Run All (and nbclient) carry on past a failing cell that has this tag.
RAISES = "raises-exception"
# CPython 3.11's conversion of a syntax tree to Python objects keeps one recursion counter per
# interpreter, not per thread: two notebooks' threads (`check --jobs`) parsing at once can fail with
# "SystemError: AST constructor recursion depth mismatch" (fixed in later CPythons). One at a time.
_AST_LOCK = threading.Lock()


def parse_source(source: str) -> ast.Module:
    with _AST_LOCK:
        return ast.parse(source)


def uses_answers(source: str, answers: set[str]) -> bool:
    """Whether a cell reads a name in `answers`. If it does, every name it binds joins `answers`:
    the cell stops at its first failing line, so what it binds later is never defined."""
    try:
        nodes = list(ast.walk(parse_source(source)))
    except SyntaxError:  # IPython magics and the like: any mention counts
        return bool(answers & set(re.findall(r"\w+", source)))
    if not answers & {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}:
        return False
    answers |= {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    answers |= {n.name for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return True


def tag_cells_that_fail_unanswered(path: Path) -> None:
    """Tag the cells that raise until the student answers: the graded test cells and every code
    cell that uses, directly or through an earlier such cell (ACTIVATIONS = {"relu": relu, ...}),
    a name an exercise defines: the demos that call the student's function. (A graded cell's
    own names stay out: tests are self-contained.)

    In an unanswered notebook they raise NotImplementedError, and without the tag Run All stops
    at the first one. Grading is unaffected: nbgrader executes with allow_errors=True and scores a
    graded cell by its error output, whatever its tags (nbgrader's checksums do not cover tags).
    """
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    answers = {name for c in cells if c.metadata.get("nbgrader", {}).get("solution")
               for name in re.findall(r"^(?:def|class)\s+(\w+)", c.source, re.M)}
    changed = False
    for cell in cells:
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("solution"):
            continue
        if nbg.get("grade") or uses_answers(cell.source, answers):
            tags = cell.metadata.setdefault("tags", [])
            if RAISES not in tags:
                tags.append(RAISES)
                changed = True
    if changed:
        nbformat.write(nb, path)


def generate(course: Course, unit: str, release_dir: Path, db_url: str | None = None) -> list[Path]:
    """Generate the student version of `unit` into release_dir/unit; returns the notebooks written."""
    config = course.nbgrader_config(db_url)
    config.CourseDirectory.ignore = list(config.CourseDirectory.ignore) + PRIVATE_PATTERNS
    config.GenerateAssignment.force = True
    config.GenerateAssignment.create_assignment = True
    target = Path(release_dir) / unit
    with tempfile.TemporaryDirectory(prefix="release-") as scratch:
        # Generate beside the target, then swap it in, so a failed run leaves units/ as it was.
        config.CourseDirectory.release_directory = scratch
        # nbgrader records every release in a gradebook; a release on its own gets a throwaway one.
        config.CourseDirectory.db_url = gradebook_url(db_url) if db_url else f"sqlite:///{scratch}/gradebook.db"
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id = unit
        converter = GenerateAssignment(coursedir=coursedir, config=config)
        converter.log.setLevel(logging.WARNING)
        converter.start()
        for notebook in (Path(scratch) / unit).glob("*.ipynb"):
            tag_cells_that_fail_unanswered(notebook)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(scratch) / unit), str(target))
    return sorted(target.glob("*.ipynb"))


def release(course: Course, unit_key: str | None = None, notebook: str | None = None) -> None:
    """Regenerate units/<unit> for one or every unit; with `notebook`, only that notebook's file."""
    for unit in course.select_units(unit_key):
        if notebook is None:
            written = generate(course, unit, course.units_dir)
            print(f"released {unit}: {len(written)} notebook(s) -> {course.units_dir / unit}")
            continue
        names = course.select_notebooks(unit, notebook)
        if not names:
            raise SystemExit(f"no notebook {notebook!r} in {course.solutions / unit}")
        # nbgrader releases a whole assignment; the other notebooks of the unit are left as they
        # are in units/, so authors working on different notebooks do not overwrite each other.
        fresh, tmp = generate_to_temp(course, unit)
        with tmp:
            (course.units_dir / unit).mkdir(parents=True, exist_ok=True)
            for name in names:
                shutil.copyfile(fresh / name, course.units_dir / unit / name)
        print(f"released {unit}/{names[0]} -> {course.units_dir / unit}")


def generate_to_temp(course: Course, unit: str) -> tuple[Path, tempfile.TemporaryDirectory]:
    """A fresh release of `unit` in a temporary folder (caller keeps the handle alive)."""
    tmp = tempfile.TemporaryDirectory(prefix="release-")
    generate(course, unit, Path(tmp.name))
    return Path(tmp.name) / unit, tmp
