"""Where a course's files are, and the nbgrader configuration that ties them together.

A course root holds `solutions/` (nbgrader source: solutions + hidden tests), `units/` (the
release students get), `data/` (built datasets) and `grading/` (the instructor's workspace:
gradebook, collected submissions, autograded notebooks, feedback, exports; never committed).
A unit is a folder `N-name` (e.g. `1-pytorch-basics`); it is nbgrader's "assignment".
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

UNIT_PATTERN = re.compile(r"^(\d+)-[a-z0-9-]+$")
# nbgrader's Gradebook() defaults to this course id; nbgrader's CourseDirectory defaults to "",
# for which it creates no course row: SQLite lets that pass, PostgreSQL's foreign key does not.
COURSE_ID = "default_course"


def gradebook_url(db_url: str) -> str:
    """`postgresql://...` -> `postgresql+psycopg2://...`: SQLAlchemy 2.1 reads a bare `postgresql://`
    as psycopg 3, but the pinned driver is psycopg2-binary. Other URLs are returned unchanged."""
    for bare in ("postgresql://", "postgres://"):
        if db_url.startswith(bare):
            return "postgresql+psycopg2://" + db_url[len(bare):]
    return db_url


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: cwd) that has a `solutions/` folder."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "solutions").is_dir():
            return folder
    raise SystemExit(f"no course here: no folder at or above {here} has a solutions/ folder")


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def at(cls, root: str | Path | None = None) -> "Course":
        return cls(Path(root).resolve() if root else find_root())

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def units_dir(self) -> Path:
        return self.root / "units"

    @property
    def workspace(self) -> Path:
        return self.root / "grading"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.workspace / 'gradebook.db'}"

    def units(self) -> list[str]:
        """Unit folder names in solutions/, in numeric order."""
        names = [p.name for p in self.solutions.iterdir() if p.is_dir() and UNIT_PATTERN.match(p.name)]
        return sorted(names, key=lambda n: int(UNIT_PATTERN.match(n).group(1)))

    def unit(self, key: str | int) -> str:
        """Resolve "1", 1 or "1-pytorch-basics" to the unit folder name."""
        key = str(key)
        for name in self.units():
            if key == name or key == UNIT_PATTERN.match(name).group(1):
                return name
        raise SystemExit(f"no unit {key!r} in {self.solutions} (units: {', '.join(self.units()) or 'none'})")

    def select_units(self, key: str | int | None) -> list[str]:
        return self.units() if key is None else [self.unit(key)]

    def notebooks(self, unit: str) -> list[str]:
        """Notebook file names of a unit, e.g. ["01-tensors-autograd.ipynb", ...]."""
        return sorted(p.name for p in (self.solutions / unit).glob("*.ipynb"))

    def select_notebooks(self, unit: str, key: str | None) -> list[str]:
        """The unit's notebooks, or only the one named `key` (file name or stem); none if no match."""
        return [n for n in self.notebooks(unit) if key is None or key in (n, Path(n).stem)]

    def nbgrader_config(self, db_url: str | None = None) -> Config:
        """nbgrader's view of this course: solutions/ is the source, units/ the release."""
        c = Config()
        c.CourseDirectory.root = str(self.root)
        c.CourseDirectory.source_directory = "solutions"
        c.CourseDirectory.release_directory = "units"
        c.CourseDirectory.submitted_directory = "grading/submitted"
        c.CourseDirectory.autograded_directory = "grading/autograded"
        c.CourseDirectory.feedback_directory = "grading/feedback"
        c.CourseDirectory.db_url = gradebook_url(db_url or self.db_url)
        c.CourseDirectory.course_id = COURSE_ID
        # Never copy anything but notebooks and what they need into the release.
        c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]
        c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
        c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
        return c
