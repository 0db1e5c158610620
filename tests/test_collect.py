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


def test_unsafe_zip_members_are_skipped_and_the_rest_collected(course, student_nb, tmp_path, capsys):
    """One bad member (a `..` path, an absolute path, a symlink) no longer costs the honest
    students of the same zip their submission; nothing is written outside the workspace."""
    z = tmp_path / "subs.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(f"alice/{NB}", answered(student_nb, "alice"))
        zf.writestr(f"bob/{NB}", answered(student_nb, "bob"))
        zf.writestr("../escaped.ipynb", answered(student_nb, "evil"))
        zf.writestr(f"/abs/{NB}", answered(student_nb, "evil"))
        link = zipfile.ZipInfo(f"mallory/{NB}")
        link.create_system, link.external_attr = 3, (0o120777 << 16)  # a symlink to /etc/shadow
        zf.writestr(link, "/etc/shadow")
    report = collect(course, UNIT, z)
    report.print()
    out = capsys.readouterr().out
    assert sorted(manifest(course)["students"]) == ["alice", "bob"]
    assert b"# alice" in submitted(course, "alice").read_bytes() and b"# bob" in submitted(course, "bob").read_bytes()
    reasons = {r["member"]: r["reason"] for r in report.refused}
    assert reasons == {"../escaped.ipynb": "a path that leaves its folder (..)", f"/abs/{NB}": "an absolute path",
                       f"mallory/{NB}": "a symbolic link"}
    assert len(manifest(course)["refused"]) == 3 and out.count("REFUSED:") == 3
    assert not (tmp_path / "escaped.ipynb").exists() and not (course.workspace / "submitted" / "mallory").exists()


def test_zip_bomb_is_stopped_while_unpacking(course, student_nb, tmp_path, monkeypatch):
    """A highly compressed member is stopped at the ratio limit after about a chunk, whatever its
    header claims; a member or a source past the size limits is skipped too; the rest is collected."""
    import tracemalloc

    from autograder import collect as collect_mod

    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"alice/{NB}", answered(student_nb, "alice"))
        with zf.open(f"bomb/{NB}", "w", force_zip64=True) as f:  # 256 MiB of zeros, ~256 KiB packed
            block = bytes(64 << 20)
            for _ in range(4):
                f.write(block)
    assert z.stat().st_size < 1 << 20
    tracemalloc.start()
    report = collect(course, UNIT, z)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # at most MAX_RATIO times what was unpacked so far (plus a chunk), not the 256 MiB it holds
    assert peak < collect_mod.MAX_RATIO * z.stat().st_size + (16 << 20) < 128 << 20, peak
    assert [(r["member"], "zip bomb" in r["reason"]) for r in report.refused] == [(f"bomb/{NB}", True)]
    assert sorted(manifest(course)["students"]) == ["alice"]

    # a header that lies about the size does not help: the bytes are counted as they come
    monkeypatch.setattr(collect_mod, "MAX_FILE_BYTES", 20_000)
    big = make_zip(tmp_path / "big.zip", {f"carol/{NB}": (answered(student_nb, "carol") + b" " * 30_000, (2025, 3, 1, 8, 0, 0)),
                                          f"dave/{NB}": (answered(student_nb, "dave"), (2025, 3, 1, 8, 0, 0))})
    report = collect(course, UNIT, big)
    assert [r["member"] for r in report.refused] == [f"carol/{NB}"]
    assert "per file" in report.refused[0]["reason"]
    monkeypatch.setattr(collect_mod, "MAX_FILE_BYTES", 1 << 20)
    monkeypatch.setattr(collect_mod, "MAX_TOTAL_BYTES", len(answered(student_nb, "erin")) + 100)
    two = make_zip(tmp_path / "two.zip", {f"erin/{NB}": (answered(student_nb, "erin"), (2025, 3, 1, 8, 0, 0)),
                                          f"fay/{NB}": (answered(student_nb, "fay"), (2025, 3, 1, 8, 0, 0))})
    report = collect(course, UNIT, two)
    assert [r["member"] for r in report.refused] == [f"fay/{NB}"] and "in all" in report.refused[0]["reason"]
    assert submitted(course, "erin").is_file()


@pytest.mark.parametrize("where", ["folder", "moodle"])
def test_a_students_timestamp_file_never_sets_the_time(course, student_nb, tmp_path, where):
    """A timestamp.txt the student uploads beside the notebook is an extra file; submitted/'s
    timestamp.txt is collect's own, from the zip entry date (the LMS) or the file's mtime."""
    fake = b"2020-01-01T00:00:00+00:00\n"  # "submitted" long before the due date
    if where == "folder":
        src = tmp_path / "class"
        write(src / "alice" / NB, answered(student_nb, "a"), T2)
        write(src / "alice" / "timestamp.txt", fake)
        sid = "alice"
    else:
        folder = "Alice Smith_101_assignsubmission_file_"
        src = make_zip(tmp_path / "moodle.zip", {f"{folder}/{NB}": (answered(student_nb, "a"), (2025, 3, 2, 10, 0, 0)),
                                                 f"{folder}/timestamp.txt": (fake, (2025, 3, 2, 10, 0, 0))})
        sid = "101"
    collect(course, UNIT, src, due="2025-03-01T12:00")
    m = manifest(course)
    assert m["students"][sid]["files"][NB]["timestamp"] == "2025-03-02T10:00:00+00:00"
    assert m["students"][sid]["files"][NB]["late"] is True
    stamp = course.workspace / "submitted" / sid / UNIT / "timestamp.txt"
    assert stamp.read_text().strip() == "2025-03-02T10:00:00+00:00"
    [extra] = [e for e in m["extra_files"] if e["source"].endswith("timestamp.txt")]
    assert extra["student"] == sid and "ignored" in extra["reason"]
    assert sorted(p.name for p in stamp.parent.iterdir()) == [NB, "timestamp.txt"]


def test_moodle_renamed_display_name_cannot_take_a_submission(course, student_nb, tmp_path):
    """"alice   VICTIM" (participant 666) matches "Alice Victim" by name only; the real Alice is
    participant 101. Without lms_id in the roster: a conflict, collected for neither, whatever
    the times; with lms_id: each folder goes to its own LMS id and the impostor is unmatched."""
    victim, impostor = "Alice Victim_101_assignsubmission_file_", "alice   VICTIM_666_assignsubmission_file_"
    members = {f"{victim}/{NB}": (answered(student_nb, "real"), (2025, 3, 1, 9, 0, 0)),
               f"{impostor}/{NB}": (answered(student_nb, "fake"), (2025, 3, 1, 11, 0, 0)),  # newer
               f"Bob Jones_202_assignsubmission_file_/{NB}": (answered(student_nb, "bob"), (2025, 3, 1, 9, 0, 0))}
    z = make_zip(tmp_path / "moodle.zip", members)
    roster = write(tmp_path / "roster.csv", b"id,name,email,login\nav,Alice Victim,,\nbj,Bob Jones,,\n")
    report = collect(course, UNIT, z, roster=roster)
    assert sorted(manifest(course)["students"]) == ["bj"]
    assert not (course.workspace / "submitted" / "av").exists()
    conflicts = sorted(u["reason"] for u in report.unmatched)
    assert len(conflicts) == 2 and all(r.startswith("conflict:") and "av" in r for r in conflicts)
    assert not report.duplicates  # not settled by time

    course2 = Course.at(tmp_path / "course2")
    shutil.copytree(FIXTURE / "solutions", course2.root / "solutions")
    roster = write(tmp_path / "roster2.csv", b"id,name,email,login,lms_id\nav,Alice Victim,,,101\nbj,Bob Jones,,,202\n")
    report = collect(course2, UNIT, z, roster=roster)
    m = json.loads((course2.workspace / "collect" / f"{UNIT}.json").read_text())
    assert sorted(m["students"]) == ["av", "bj"] and m["students"]["av"]["lms_id"] == "101"
    assert b"# real" in (course2.workspace / "submitted" / "av" / UNIT / NB).read_bytes()
    [unmatched] = report.unmatched
    assert "666" in unmatched["reason"] and "LMS id is 101" in unmatched["reason"]

    # a later download where the impostor is alone still cannot take her place (the manifest
    # remembers Alice's participant id), even with the old roster that has no lms_id
    later = make_zip(tmp_path / "later.zip", {f"{impostor}/{NB}": (answered(student_nb, "fake2"), (2025, 3, 5, 9, 0, 0))})
    report = collect(course2, UNIT, later, roster=tmp_path / "roster.csv")
    assert [u["reason"].startswith("conflict:") for u in report.unmatched] == [True]
    assert b"# real" in (course2.workspace / "submitted" / "av" / UNIT / NB).read_bytes()


def test_canvas_user_id_is_matched_to_roster_lms_id(course, student_nb, tmp_path):
    roster = write(tmp_path / "roster.csv", b"id,name,email,login,lms_id\ns1,Alice,,alicea,1001\ns2,Bob,,bobb,1002\n")
    z = make_zip(tmp_path / "canvas.zip", {
        f"alice_new_login_1001_5001_{NB}": (answered(student_nb, "alice"), (2025, 3, 1, 8, 0, 0)),  # by user id
        f"bobb_1999_5002_{NB}": (answered(student_nb, "impostor"), (2025, 3, 1, 9, 0, 0)),  # bob's login, not his id
    })
    report = collect(course, UNIT, z, roster=roster)
    assert sorted(manifest(course)["students"]) == ["s1"]
    assert manifest(course)["students"]["s1"]["files"][NB]["identified_by"] == "grade_ids"
    [u] = report.unmatched
    assert "1999" in u["reason"] and "LMS id is 1002" in u["reason"]


# --------------------------------------------------------------------------- hostile inputs (red team)

def _files_outside(root: Path, *inside: Path) -> set[str]:
    """Every file and link under root that is not under one of `inside` (what collect may touch)."""
    out = set()
    for p in root.rglob("*"):
        if any(p == i or i in p.parents for i in inside):
            continue
        if p.is_file() or p.is_symlink():
            out.add(p.relative_to(root).as_posix())
    return out


def test_hostile_member_names_backslash_drive_unc_controls_are_refused(course, student_nb, tmp_path, capsys):
    """Windows-style traversal (`..\\..\\x`), drive letters (`C:\\`, `c:x`), UNC paths, control
    characters and a `..` hidden behind `./` are refused; the honest student is collected and
    nothing is written outside the workspace."""
    z = tmp_path / "subs.zip"
    evil = answered(student_nb, "evil")
    hostile = ["..\\..\\escaped.ipynb", "alice\\..\\..\\escaped2.ipynb", f"C:\\Users\\prof\\{NB}", "c:escaped3.ipynb",
               f"\\\\server\\share\\{NB}", f"bob/\x01{NB}", f"carol/\x1b[2J{NB}", f"dave/./../../{NB}"]
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(f"alice/{NB}", answered(student_nb, "alice"))
        for name in hostile:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2025, 3, 1, 8, 0, 0)), evil)
    before = _files_outside(tmp_path, course.workspace)
    report = collect(course, UNIT, z)
    report.print()
    out = capsys.readouterr().out
    assert sorted(manifest(course)["students"]) == ["alice"]
    assert sorted(r["member"] for r in report.refused) == sorted(hostile)
    assert out.count("REFUSED:") == len(hostile) and "\x1b" not in out and "\x01" not in out
    assert _files_outside(tmp_path, course.workspace) == before  # nothing escaped the workspace
    assert not [p for p in course.workspace.rglob("*.ipynb") if b"# evil" in p.read_bytes()
                and "archive" not in p.relative_to(course.workspace).parts]


def test_printed_report_does_not_pass_terminal_controls_through(course, student_nb, tmp_path, capsys):
    """C1 controls (U+009B is a CSI on 8-bit terminals), DEL and bidi overrides are not below 32,
    so unsafe_member lets them through; the instructor's terminal report must not print them raw
    (a student's file name must not be able to repaint or reorder what the instructor reads)."""
    names = [f"mallory\u009b2J/{NB}", f"alice/notes\u202egnp.py", f"alice/x\x7f.txt"]
    z = make_zip(tmp_path / "subs.zip", {f"alice/{NB}": (answered(student_nb, "a"), (2025, 3, 1, 8, 0, 0)),
                                         **{n: (b"x", (2025, 3, 1, 8, 0, 0)) for n in names}})
    report = collect(course, UNIT, z)
    report.print()
    out = capsys.readouterr().out
    assert sorted(manifest(course)["students"]) == ["alice"]
    for ch in ("\u009b", "\u202e", "\x7f"):
        assert ch not in out, (ch, out)


def test_overlong_student_id_is_unmatched_not_a_crash(course, student_nb, tmp_path):
    """A folder name of 300 characters is a SAFE_ID but not a usable file name (ENAMETOOLONG):
    it must be reported, not crash half-way through the writes (others collected, manifest written)."""
    long_id = "a" * 300
    z = make_zip(tmp_path / "subs.zip", {f"{long_id}/{NB}": (answered(student_nb, "long"), (2025, 3, 1, 8, 0, 0)),
                                         f"alice/{NB}": (answered(student_nb, "alice"), (2025, 3, 1, 8, 0, 0)),
                                         f"bob/{NB}": (answered(student_nb, "bob"), (2025, 3, 1, 8, 0, 0))})
    report = collect(course, UNIT, z)
    assert sorted(manifest(course)["students"]) == ["alice", "bob"]
    assert submitted(course, "alice").is_file() and submitted(course, "bob").is_file()
    assert [u["source"].endswith(f"{long_id}/{NB}") for u in report.unmatched] == [True]


def test_impossible_zip_date_refuses_one_member_not_the_class(course, student_nb, tmp_path):
    """A member whose DOS date is 2025-00-00 (a damaged or crafted header) must not make the whole
    collection fail with a bare datetime error: that member is refused (or dated otherwise), the
    others are collected."""
    z = make_zip(tmp_path / "subs.zip", {f"alice/{NB}": (answered(student_nb, "a"), (2025, 3, 1, 8, 0, 0)),
                                         f"mallory/{NB}": (answered(student_nb, "m"), (2025, 0, 0, 0, 0, 0))})
    report = collect(course, UNIT, z)
    assert "alice" in manifest(course)["students"] and submitted(course, "alice").is_file()
    assert "mallory" in manifest(course)["students"] or [r["member"] for r in report.refused] == [f"mallory/{NB}"]


def test_duplicate_member_names_keep_the_newest_and_lose_nothing(course, student_nb, tmp_path):
    import warnings

    z = tmp_path / "dup.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"
        with zipfile.ZipFile(z, "w") as zf:
            zf.writestr(zipfile.ZipInfo(f"alice/{NB}", date_time=(2025, 3, 2, 8, 0, 0)), answered(student_nb, "new"))
            zf.writestr(zipfile.ZipInfo(f"alice/{NB}", date_time=(2025, 3, 1, 8, 0, 0)), answered(student_nb, "old"))
    report = collect(course, UNIT, z)
    assert b"# new" in submitted(course, "alice").read_bytes()
    assert len(report.duplicates) == 1
    assert (course.workspace / "archive" / UNIT / "dup.zip").read_bytes() == z.read_bytes()  # both kept there


def test_nested_zip_is_an_extra_file_never_unpacked(course, student_nb, tmp_path):
    inner = io_zip({f"bob/{NB}": answered(student_nb, "smuggled"), "coursekit.py": b"import os\n"})
    z = make_zip(tmp_path / "subs.zip", {f"alice/{NB}": (answered(student_nb, "a"), (2025, 3, 1, 8, 0, 0)),
                                         "alice/more.zip": (inner, (2025, 3, 1, 8, 0, 0))})
    collect(course, UNIT, z)
    m = manifest(course)
    assert sorted(m["students"]) == ["alice"]
    assert [e["source"].endswith("alice/more.zip") for e in m["extra_files"]] == [True]
    assert sorted(p.name for p in (course.workspace / "submitted").rglob("*") if p.is_file()) == [NB, "timestamp.txt"]


def io_zip(members: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("claimed", [10, 50 << 20])
def test_central_directory_lying_about_size_never_truncates(course, student_nb, tmp_path, claimed):
    """A member whose headers claim a wrong uncompressed size is refused (bad CRC) or unpacked
    whole: never a silently truncated notebook in submitted/."""
    import struct

    real = answered(student_nb, "mallory")
    data = bytearray(io_zip({f"alice/{NB}": answered(student_nb, "alice"), f"mallory/{NB}": real}))
    cd = data.rfind(b"PK\x01\x02")  # the last central directory record: mallory's
    struct.pack_into("<I", data, cd + 24, claimed)
    lh = data.rfind(b"PK\x03\x04")
    struct.pack_into("<I", data, lh + 22, claimed)
    z = tmp_path / "lying.zip"
    z.write_bytes(bytes(data))
    report = collect(course, UNIT, z)
    assert submitted(course, "alice").is_file()
    target = submitted(course, "mallory")
    if target.exists():
        assert target.read_bytes() == real
    else:
        assert [r["member"] for r in report.refused] == [f"mallory/{NB}"]


def test_symlinks_in_a_folder_source_are_refused(course, student_nb, tmp_path):
    """`unzip` keeps a zip's symlinks: a folder source may hold a student's link to the
    instructor's files (a file link, or a whole folder link). Nothing behind a link is collected."""
    secret = tmp_path / "secret"
    write(secret / NB, (course.solutions / UNIT / NB).read_bytes())  # the instructor's solution
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "alice"), T1)
    (src / "mallory").mkdir()
    (src / "mallory" / NB).symlink_to(secret / NB)
    (src / "trudy").symlink_to(secret, target_is_directory=True)
    report = collect(course, UNIT, src)
    assert sorted(manifest(course)["students"]) == ["alice"]
    assert not (course.workspace / "submitted" / "mallory").exists()
    assert not (course.workspace / "submitted" / "trudy").exists()
    assert {r["member"] for r in report.refused} >= {f"mallory/{NB}"}
    for p in (course.workspace / "submitted").rglob("*.ipynb"):
        assert p.read_bytes() != (secret / NB).read_bytes()


def test_oversized_notebook_in_a_folder_source_is_refused(course, student_nb, tmp_path, monkeypatch):
    from autograder import collect as collect_mod

    monkeypatch.setattr(collect_mod, "MAX_FILE_BYTES", 20_000)
    src = tmp_path / "class"
    write(src / "carol" / NB, answered(student_nb, "carol") + b" " * 30_000, T1)
    write(src / "dave" / NB, answered(student_nb, "dave"), T1)
    report = collect(course, UNIT, src)
    assert sorted(manifest(course)["students"]) == ["dave"]
    assert [r["member"] for r in report.refused] == [f"carol/{NB}"] and "per file" in report.refused[0]["reason"]
    assert (course.workspace / "archive" / UNIT / "class" / "carol" / NB).is_file()  # kept in the archive


def test_ids_differing_in_case_or_unicode_normalisation(course, student_nb, tmp_path):
    """"Alice" and "alice" are two folders, two students, each with their own notebook (no
    overwriting); "José" (NFC) and "José" (NFD) are not safe ids: unmatched, archived, not lost."""
    import unicodedata

    nfc, nfd = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
    z = make_zip(tmp_path / "subs.zip", {f"Alice/{NB}": (answered(student_nb, "upper"), (2025, 3, 1, 8, 0, 0)),
                                         f"alice/{NB}": (answered(student_nb, "lower"), (2025, 3, 1, 8, 0, 0)),
                                         f"{nfc}/{NB}": (answered(student_nb, "nfc"), (2025, 3, 1, 8, 0, 0)),
                                         f"{nfd}/{NB}": (answered(student_nb, "nfd"), (2025, 3, 1, 8, 0, 0))})
    report = collect(course, UNIT, z)
    assert sorted(manifest(course)["students"]) == ["Alice", "alice"]
    assert b"# upper" in submitted(course, "Alice").read_bytes() and b"# lower" in submitted(course, "alice").read_bytes()
    assert len(report.unmatched) == 2 and not report.duplicates


def test_many_tiny_entries_are_collected(course, student_nb, tmp_path):
    """A zip of 20 000 empty entries (a cheap way to slow the harness): the real notebook is still
    collected and nothing else is (no timing asserted: a loaded machine may be slow)."""
    z = tmp_path / "many.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(f"alice/{NB}", answered(student_nb, "alice"))
        for i in range(20_000):
            zf.writestr(f"mallory/f{i}.txt", b"")
    collect(course, UNIT, z)
    assert sorted(manifest(course)["students"]) == ["alice"]


def test_moodle_display_name_cannot_forge_a_participant_id(course, student_nb, tmp_path):
    """A display name written to look like another participant's folder
    ("Alice_101_assignsubmission_file_") still lands on its own participant id (555)."""
    z = make_zip(tmp_path / "moodle.zip", {
        f"Alice_101_assignsubmission_file_/{NB}": (answered(student_nb, "real"), (2025, 3, 1, 8, 0, 0)),
        f"Alice_101_assignsubmission_file__555_assignsubmission_file_/{NB}": (answered(student_nb, "fake"),
                                                                             (2025, 3, 1, 9, 0, 0))})
    collect(course, UNIT, z)
    assert sorted(manifest(course)["students"]) == ["101", "555"]
    assert b"# real" in submitted(course, "101").read_bytes() and b"# fake" in submitted(course, "555").read_bytes()


@pytest.mark.parametrize("bad_id", ["../x", "a/b", ".", "..", "-rf", "=cmd|'/C calc'!A0", "@SUM(1)", " ", "a b",
                                    "a\\b", "alice\x00"])
def test_roster_with_an_unsafe_id_is_a_clear_error(course, student_nb, tmp_path, capsys, bad_id):
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "a"), T1)
    import csv as _csv
    import io as _io

    buf = _io.StringIO()
    _csv.writer(buf).writerows([["id", "name"], ["alice", "Alice"], [bad_id, "Mallory"]])
    roster = write(tmp_path / "roster.csv", buf.getvalue().encode())
    rc = cli.main(["--course", str(course.root), "collect", UNIT, str(src), "--roster", str(roster)])
    err = capsys.readouterr().err
    if bad_id.strip():
        assert rc == 2 and "line 3" in err and "not a safe file name" in err, err
        assert not course.workspace.exists()
    else:  # a blank id is a blank row: skipped
        assert rc == 0 and sorted(manifest(course)["students"]) == ["alice"]


def test_roster_duplicate_id_is_a_clear_error_and_writes_nothing(course, student_nb, tmp_path, capsys):
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "a"), T1)
    roster = write(tmp_path / "roster.csv", b"id,name\nalice,Alice One\n alice ,Alice Two\n")
    assert cli.main(["--course", str(course.root), "collect", UNIT, str(src), "--roster", str(roster)]) == 2
    assert "appears twice" in capsys.readouterr().err
    assert not course.workspace.exists()


def test_roster_bom_extra_columns_quotes_and_formula_names(course, student_nb, tmp_path):
    """A BOM, reordered and extra columns, quoted fields with commas, quotes and newlines, and a
    formula-like name: ids are read right, names kept verbatim (export neutralises them)."""
    text = ('\ufeff"Email", ID ,Name,Favourite colour,login\n'
            'a@x.org,alice,"Smith, Alice ""Al""\nthe second",blue,asmith\n'
            'b@x.org,bob,"=HYPERLINK(""http://evil"",""x"")",red,bbob\n')
    roster = write(tmp_path / "roster.csv", text.encode("utf-8"))
    src = tmp_path / "class"
    write(src / "alice" / NB, answered(student_nb, "a"), T1)
    write(src / "bbob" / NB, answered(student_nb, "b"), T1)  # by login
    collect(course, UNIT, src, roster=roster)
    m = manifest(course)
    assert sorted(m["students"]) == ["alice", "bob"]
    assert m["roster"] == {"alice": 'Smith, Alice "Al"\nthe second', "bob": '=HYPERLINK("http://evil","x")'}
    assert m["people"]["alice"]["email"] == "a@x.org"


def test_roster_shared_login_gives_the_file_to_nobody(course, student_nb, tmp_path):
    """Two roster entries with the same login (or email): a file under that login is ambiguous and
    goes to neither student; it is reported and archived."""
    roster = write(tmp_path / "roster.csv", b"id,name,email,login\ns1,One,same@x.org,twin\ns2,Two,same@x.org,twin\n"
                                            b"s3,Three,c@x.org,carol\n")
    src = tmp_path / "class"
    write(src / "twin" / NB, answered(student_nb, "twin"), T1)
    write(src / "same@x.org" / NB, answered(student_nb, "twin2"), T1)
    write(src / "carol" / NB, answered(student_nb, "carol"), T1)
    report = collect(course, UNIT, src, roster=roster)
    assert sorted(manifest(course)["students"]) == ["s3"]
    assert len(report.unmatched) == 2
    assert (course.workspace / "archive" / UNIT / "class" / "twin" / NB).is_file()
