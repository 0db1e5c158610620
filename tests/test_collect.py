"""collect: folders, Moodle and Canvas zips, rosters, renamed notebooks, re-collection, bad sources."""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from autograder import cli
from autograder.collect import CollectError, collect
from autograder.course import Course
from autograder.release import generate

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT = "1-fixture"
NB = "01-fixture.ipynb"


@pytest.fixture
def course(tmp_path) -> Course:
    shutil.copytree(FIXTURE / "solutions", tmp_path / "course" / "solutions")
    return Course.at(tmp_path / "course")


@pytest.fixture(scope="module")
def student_nb(tmp_path_factory) -> bytes:
    """The released (student) notebook of the fixture unit, as bytes."""
    tmp = tmp_path_factory.mktemp("release")
    shutil.copytree(FIXTURE / "solutions", tmp / "solutions")
    [path] = generate(Course.at(tmp), UNIT, tmp / "units")
    return path.read_bytes()


def answered(student_nb: bytes, marker: str) -> bytes:
    """A student notebook with a distinct answer (so each file has its own sha)."""
    nb = nbformat.reads(student_nb.decode(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "add":
            cell.source = f"# {marker}\ndef add(a, b):\n    return np.asarray(a) + np.asarray(b)\n"
    return nbformat.writes(nb).encode()


def write(path: Path, data: bytes, when: datetime | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if when:
        os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def make_zip(path: Path, members: dict[str, tuple[bytes, tuple]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, (data, date_time) in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=date_time), data)
    return path


def manifest(course: Course) -> dict:
    return json.loads((course.workspace / "collect" / f"{UNIT}.json").read_text())


def submitted(course: Course, sid: str) -> Path:
    return course.workspace / "submitted" / sid / UNIT / NB


T1 = datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)
T2 = datetime(2025, 3, 2, 10, 0, tzinfo=timezone.utc)


def test_folder_with_renamed_notebooks_and_extra_files(course, student_nb, tmp_path):
    src = tmp_path / "class"
    a = write(src / "alice" / NB, answered(student_nb, "alice"), T1)
    b = write(src / "bob" / "Copy of 01-fixture (1).ipynb", answered(student_nb, "bob"), T1)
    c = write(src / "carol" / "my homework.ipynb", answered(student_nb, "carol"), T2)  # found by grade_ids
    write(src / "carol" / "data.csv", b"1,2\n")
    write(src / "carol" / ".ipynb_checkpoints" / "my homework-checkpoint.ipynb", b"{}")
    write(src / "dave.ipynb", b"{ this is not json", T1)  # one file per student; broken: collected as is

    report = collect(course, "1", src)

    for sid, original in (("alice", a), ("bob", b), ("carol", c)):
        assert submitted(course, sid).read_bytes() == original.read_bytes()
    assert submitted(course, "dave").read_bytes() == b"{ this is not json"
    assert (course.workspace / "submitted" / "carol" / UNIT / "timestamp.txt").read_text().strip() == \
        "2025-03-02T10:00:00+00:00"
    m = manifest(course)
    assert sorted(m["students"]) == ["alice", "bob", "carol", "dave"]
    assert m["students"]["carol"]["files"][NB]["identified_by"] == "grade_ids"
    assert m["students"]["dave"]["files"][NB]["identified_by"].startswith("unreadable JSON")
    assert m["students"]["alice"]["files"][NB]["timestamp"] == "2025-03-01T10:00:00+00:00"
    assert m["students"]["alice"]["files"][NB]["source"] == f"archive/{UNIT}/class/alice/{NB}"
    extras = {e["source"].split("/", 3)[-1]: e for e in m["extra_files"]}
    assert extras["carol/data.csv"]["student"] == "carol" and "not a notebook" in extras["carol/data.csv"]["reason"]
    assert not list((course.workspace / "submitted").rglob("*.csv"))  # extra files never reach submitted/
    assert (course.workspace / "archive" / UNIT / "class" / "carol" / "data.csv").is_file()
    assert not report.unmatched and not report.duplicates


def test_moodle_zip_with_roster(course, student_nb, tmp_path):
    roster = write(tmp_path / "roster.csv", b"id,name,email,login\n101,Alice Smith,a@x.org,asmith\n"
                                            b"s202,Bob Jones,b@x.org,bjones\n")
    z = make_zip(tmp_path / "moodle.zip", {
        f"Alice Smith_101_assignsubmission_file_/{NB}": (answered(student_nb, "a"), (2025, 3, 1, 9, 30, 0)),
        # participant id 555 is not a roster id, but the full name matches (case and spacing ignored)
        "bob  JONES_555_assignsubmission_file_/01-fixture (2).ipynb": (answered(student_nb, "b"), (2025, 3, 1, 9, 0, 0)),
        f"Eve Unknown_999_assignsubmission_file_/{NB}": (answered(student_nb, "e"), (2025, 3, 1, 9, 0, 0)),
    })
    report = collect(course, UNIT, z, roster=roster)
    assert sorted(manifest(course)["students"]) == ["101", "s202"]
    assert manifest(course)["students"]["101"]["name"] == "Alice Smith"
    assert manifest(course)["students"]["101"]["files"][NB]["timestamp"] == "2025-03-01T09:30:00+00:00"
    [unmatched] = report.unmatched
    assert "Eve Unknown" in unmatched["reason"] and "not in the roster" in unmatched["reason"]
    assert not (course.workspace / "submitted" / "999").exists()
    archived = course.workspace / "archive" / UNIT / "moodle.zip"
    assert archived.read_bytes() == z.read_bytes()  # the original archive, unmodified
    assert manifest(course)["unmatched"][0]["source"].startswith(f"archive/{UNIT}/moodle.zip/Eve Unknown_999")


def test_canvas_zip_late_and_duplicates(course, student_nb, tmp_path):
    roster = write(tmp_path / "roster.csv", b"id,name,email,login\ns1,Alice,a@x.org,alicea\ns2,Bob,b@x.org,bobb\n")
    z = make_zip(tmp_path / "canvas.zip", {
        f"alicea_1001_5001_{NB}": (answered(student_nb, "old"), (2025, 3, 1, 8, 0, 0)),
        "alicea_1001_5002_01-fixture-1.ipynb": (answered(student_nb, "new"), (2025, 3, 1, 12, 0, 0)),
        f"late_bobb_1002_5003_{NB}": (answered(student_nb, "bob"), (2025, 3, 3, 8, 0, 0)),
        "alicea_1001_5002_notes.txt": (b"my notes", (2025, 3, 1, 12, 0, 0)),
    })
    report = collect(course, UNIT, z, roster=roster)
    m = manifest(course)
    assert b"# new" in submitted(course, "s1").read_bytes()  # the newest of the two files is kept
    [dup] = report.duplicates
    assert dup["student"] == "s1" and dup["dropped"].endswith(f"alicea_1001_5001_{NB}")
    assert m["students"]["s2"]["files"][NB]["late"] is True
    assert m["students"]["s1"]["files"][NB]["late"] is False
    assert [e["student"] for e in m["extra_files"]] == ["s1"]


def test_recollect_never_replaces_newer_submission(course, student_nb, tmp_path, capsys):
    first = tmp_path / "first"
    write(first / "alice" / NB, answered(student_nb, "v2"), T2)
    write(first / "bob" / NB, answered(student_nb, "bob"), T1)
    collect(course, UNIT, first)

    second = tmp_path / "second"
    write(second / "alice" / NB, answered(student_nb, "v1"), T1)  # older than what we have
    write(second / "bob" / NB, answered(student_nb, "bob"), T2)  # same content
    write(second / "carol" / NB, answered(student_nb, "carol"), T1)
    report = collect(course, UNIT, second)
    actions = {(s, a) for s, _nb, a, _d in report.actions}
    assert actions == {("alice", "kept"), ("bob", "unchanged"), ("carol", "new")}
    assert b"# v2" in submitted(course, "alice").read_bytes()
    report.print()
    assert "kept newer submission from 2025-03-02T10:00:00+00:00 for alice" in capsys.readouterr().out

    third = tmp_path / "third"
    write(third / "alice" / NB, answered(student_nb, "v3"), datetime(2025, 3, 4, tzinfo=timezone.utc))
    report = collect(course, UNIT, third)
    assert [a for _s, _nb, a, _d in report.actions] == ["replaced"]
    assert b"# v3" in submitted(course, "alice").read_bytes()
    m = manifest(course)
    assert sorted(m["students"]) == ["alice", "bob", "carol"]
    assert len(m["collections"]) == 3
    # every source is archived under its own name, nothing overwritten
    assert sorted(p.name for p in (course.workspace / "archive" / UNIT).iterdir()) == ["first", "second", "third"]


def test_same_zip_name_twice_is_archived_twice(course, student_nb, tmp_path):
    z = make_zip(tmp_path / "subs.zip", {f"alice/{NB}": (answered(student_nb, "1"), (2025, 3, 1, 8, 0, 0))})
    collect(course, UNIT, z)
    collect(course, UNIT, z)  # identical: reused, not copied again
    make_zip(z, {f"alice/{NB}": (answered(student_nb, "2"), (2025, 3, 1, 9, 0, 0))})
    collect(course, UNIT, z)  # different content, same name: a second archive file
    names = {p.name for p in (course.workspace / "archive" / UNIT).iterdir()}
    [second] = names - {"subs.zip"}
    assert len(names) == 2 and second.startswith("subs-") and second.endswith(".zip")
    assert b"# 2" in submitted(course, "alice").read_bytes()
    assert manifest(course)["students"]["alice"]["files"][NB]["source"] == f"archive/{UNIT}/{second}/alice/{NB}"


def test_wrapper_folder_in_zip_is_unwrapped(course, student_nb, tmp_path):
    z = make_zip(tmp_path / "w.zip", {f"submissions/alice/{NB}": (answered(student_nb, "a"), (2025, 3, 1, 8, 0, 0)),
                                      f"submissions/bob/{NB}": (answered(student_nb, "b"), (2025, 3, 1, 8, 0, 0)),
                                      "__MACOSX/submissions/._bob": (b"junk", (2025, 3, 1, 8, 0, 0))})
    collect(course, UNIT, z)
    assert sorted(manifest(course)["students"]) == ["alice", "bob"]


def test_due_date_marks_late_and_reaches_gradebook(course, student_nb, tmp_path):
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "a"), T1)
    write(src / "bob" / NB, answered(student_nb, "b"), T2)
    collect(course, UNIT, src, due="2025-03-01T12:00")
    m = manifest(course)
    assert m["due"] == "2025-03-01T12:00:00+00:00"
    assert (m["students"]["alice"]["files"][NB]["late"], m["students"]["bob"]["files"][NB]["late"]) == (False, True)
    from nbgrader.api import Gradebook
    with Gradebook(course.db_url) as gb:
        assert gb.find_assignment(UNIT).duedate == datetime(2025, 3, 1, 12, 0)


@pytest.mark.parametrize("kind", ["not_a_zip", "empty_zip", "other_unit", "missing", "empty_folder", "only_junk"])
def test_wrong_source_is_a_clear_error_and_writes_nothing(course, student_nb, tmp_path, kind, capsys):
    if kind == "not_a_zip":
        src = write(tmp_path / "subs.zip", b"PK this is not really a zip")
    elif kind == "empty_zip":
        src = make_zip(tmp_path / "subs.zip", {})
    elif kind == "other_unit":
        nb = nbformat.reads(student_nb.decode(), as_version=4)
        for cell in nb.cells:
            if "nbgrader" in cell.metadata:
                cell.metadata.nbgrader["grade_id"] = "unit2_" + cell.metadata.nbgrader["grade_id"]
        src = make_zip(tmp_path / "subs.zip", {"alice/02-other.ipynb": (nbformat.writes(nb).encode(), (2025, 3, 1, 8, 0, 0))})
    elif kind == "missing":
        src = tmp_path / "nowhere.zip"
    elif kind == "empty_folder":
        src = tmp_path / "empty"
        src.mkdir()
    else:
        src = make_zip(tmp_path / "subs.zip", {"__MACOSX/._x": (b"x", (2025, 3, 1, 8, 0, 0))})
    with pytest.raises(CollectError):
        collect(course, UNIT, src)
    rc = cli.main(["--course", str(course.root), "collect", UNIT, str(src)])
    assert rc == 2
    err = capsys.readouterr().err
    assert err.startswith("collect: error: ") and str(src.name) in err
    assert not course.workspace.exists()  # nothing written


def test_bad_roster_is_a_clear_error(course, student_nb, tmp_path, capsys):
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "a"), T1)
    roster = write(tmp_path / "roster.csv", b"student,name\nalice,Alice\n")
    assert cli.main(["--course", str(course.root), "collect", UNIT, str(src), "--roster", str(roster)]) == 2
    assert "no 'id' column" in capsys.readouterr().err
    assert not course.workspace.exists()


def test_missing_roster_entry_loses_nothing(course, student_nb, tmp_path, capsys):
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "a"), T1)
    write(src / "mallory" / NB, answered(student_nb, "m"), T1)
    roster = write(tmp_path / "roster.csv", b"id,name,email,login\nalice,Alice,,\n")
    assert cli.main(["--course", str(course.root), "collect", UNIT, str(src), "--roster", str(roster)]) == 0
    out = capsys.readouterr().out
    assert "UNMATCHED" in out and "mallory" in out
    assert submitted(course, "alice").is_file() and not (course.workspace / "submitted" / "mallory").exists()
    assert (course.workspace / "archive" / UNIT / "class" / "mallory" / NB).is_file()
    assert manifest(course)["unmatched"][0]["notebook"] == NB


def test_unsafe_student_ids_are_unmatched(course, student_nb, tmp_path):
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "a"), T1)
    write(src / "-rf" / NB, answered(student_nb, "x"), T1)
    report = collect(course, UNIT, src)
    assert [u["reason"] for u in report.unmatched] == ["folder '-rf' is not a usable student id"]
    assert sorted(manifest(course)["students"]) == ["alice"]
