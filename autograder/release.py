"""solutions/ -> units/: nbgrader generate_assignment, one unit at a time.

nbgrader does the real work (clear solutions, remove hidden tests, lock cells, checksums);
this module only points it at the course's folders and writes into a given release folder,
so `check` can generate a fresh copy beside the committed one and compare.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory

from .course import Course, gradebook_url

# Files that sit beside the solution notebooks but must never reach students.
PRIVATE_PATTERNS = ["*.answers.py"]


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
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(scratch) / unit), str(target))
    return sorted(target.glob("*.ipynb"))


def release(course: Course, unit_key: str | None = None) -> None:
    """Regenerate units/<unit> for one or every unit."""
    for unit in course.select_units(unit_key):
        written = generate(course, unit, course.units_dir)
        print(f"released {unit}: {len(written)} notebook(s) -> {course.units_dir / unit}")


def generate_to_temp(course: Course, unit: str) -> tuple[Path, tempfile.TemporaryDirectory]:
    """A fresh release of `unit` in a temporary folder (caller keeps the handle alive)."""
    tmp = tempfile.TemporaryDirectory(prefix="release-")
    generate(course, unit, Path(tmp.name))
    return Path(tmp.name) / unit, tmp
