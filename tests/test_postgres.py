"""The gradebook on a real PostgreSQL server (tests/conftest.py starts one): the due date from
collect, grades from `grade` with parallel workers equal to the SQLite run's, and export/feedback
reading them back."""
from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from autograder.collect import collect
from autograder.course import Course
from autograder.examples import make_examples
from autograder.export import export, gradebook_scores

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT = "1-fixture"
KINDS = ("perfect", "partial", "unanswered", "invalid-json")  # quick ones: no timeouts in this test


def fresh_course(root: Path) -> Course:
    shutil.copytree(FIXTURE / "solutions", root / "solutions")
    return Course.at(root)


def test_postgres_due_date_and_export(postgres_url, tmp_path):
    from nbgrader.api import Gradebook

    from autograder.course import gradebook_url
    from autograder.release import generate

    course = fresh_course(tmp_path / "course")
    generate(course, UNIT, tmp_path / "release", db_url=postgres_url)  # records the unit's cells
    src = tmp_path / "class"
    examples = make_examples(course, UNIT, src)
    for kind in set(examples) - {"perfect", "unanswered"}:
        shutil.rmtree(examples[kind])
    collect(course, UNIT, src, due="2025-03-01T12:00:00Z", db_url=postgres_url)
    with Gradebook(gradebook_url(postgres_url)) as gb:
        assert gb.find_assignment(UNIT).duedate == datetime(2025, 3, 1, 12, 0)
        for sid, pts in (("perfect", 1.0), ("unanswered", 0.0)):
            gb.update_or_create_student(sid)
            gb.update_or_create_submission(UNIT, sid, timestamp="2025-03-01T11:00:00")
            gb.find_grade("test_add", "01-fixture", UNIT, sid).auto_score = pts
            gb.find_grade("test_mean_square", "01-fixture", UNIT, sid).auto_score = 2 * pts
        gb.db.commit()
    assert not (course.workspace / "gradebook.db").exists()  # nothing went to SQLite
    paths = export(course, UNIT, db_url=postgres_url)
    rows = {r["student_id"]: r for r in csv.DictReader(paths["grades"].open())}
    assert (rows["perfect"]["total"], rows["unanswered"]["total"]) == ("3", "0")
    with Gradebook(gradebook_url(postgres_url)) as gb:  # leave the shared database as we found it
        gb.remove_assignment(UNIT)


def test_grade_with_parallel_workers_postgres_equals_sqlite(postgres_url, tmp_path):
    grade = pytest.importorskip("autograder.grade", reason="autograder.grade not written yet")
    sandbox = shutil.which("bwrap") is not None
    by_backend = {}
    for backend in ("sqlite", "postgres"):
        course = fresh_course(tmp_path / backend)
        src = tmp_path / f"class-{backend}"
        examples = make_examples(course, UNIT, src)
        for kind in set(examples) - set(KINDS):
            shutil.rmtree(examples[kind])
        collect(course, UNIT, src)
        db_url = postgres_url if backend == "postgres" else None
        results = grade.grade_unit(course, UNIT, workers=2, timeout_cell=30, timeout_notebook=120,
                                   db_url=db_url, sandbox=sandbox, progress=False)
        states = {r["student"]: r["state"] for r in results}
        assert states == {"perfect": "graded", "partial": "graded", "unanswered": "graded", "invalid-json": "invalid"}
        scores, _due = gradebook_scores(course, UNIT, db_url)
        by_backend[backend] = scores
        if backend == "postgres":
            assert not (course.workspace / "gradebook.db").exists()
    assert by_backend["postgres"] == by_backend["sqlite"]
    s = by_backend["postgres"]
    nb = "01-fixture.ipynb"
    assert (s[("perfect", nb, "test_add")], s[("perfect", nb, "test_mean_square")]) == (1.0, 2.0)
    assert (s[("partial", nb, "test_add")], s[("partial", nb, "test_mean_square")]) == (1.0, 0.0)
    assert (s[("unanswered", nb, "test_add")], s[("unanswered", nb, "test_mean_square")]) == (0.0, 0.0)
    assert s.get(("invalid-json", nb, "test_add"), 0.0) == 0.0
