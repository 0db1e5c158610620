"""Export a unit's grades: `grading/exports/<unit>/grades.csv`, `summary.csv`, `histogram.png`.

`autograder export UNIT [--db-url URL] [--late-penalty F] [--format csv|canvas|moodle] [--missing empty|zero]`

Where the numbers come from (`load_unit`, shared with `feedback`):
- the questions are the graded cells of the unit's solution notebooks, named
  `<notebook_stem>:<grade_id>` (e.g. `01-tensors:test_add`), with their points;
- a question's score is the gradebook's (nbgrader `Grade.score`: the manual score when an
  instructor set one, else the auto score) -- the gradebook is the record. When the gradebook
  has no such grade (not graded into it yet, or no gradebook) the `grade` results JSON is used;
- the notebook's state and reason ("timed_out", "crashed", "invalid") and the failure messages
  come from the results JSON;
- students: everyone in the collect manifest, in the results and, when collect had a roster,
  everyone on the roster (a student without a submission gets an empty row: total 0).

grades.csv: one row per student: `student_id, name, <question>..., total, max, late_days,
late_penalty, final, notes`. A question of a notebook that was never submitted is left empty
(counts 0). notes lists notebooks that are missing, not graded yet or not "graded"
(e.g. `01-tensors: timed_out (cell exceeded 60 s)`).

Late penalty (`--late-penalty F`, default 0): a submission's time is the newest of its notebooks'
times (collect's manifest); lateness counts started days after the due date (`collect --due`,
or the gradebook assignment's duedate): late_days = ceil((time - due) / 24 h). When there is no
due date but the LMS marked a file late (Canvas `late_`), late_days = 1.
late_penalty = min(1, F * late_days) * total, rounded to 2 decimals; final = total - late_penalty.

summary.csv: one row per question: `question, notebook, grade_id, max_points, submissions,
passed, pass_rate, mean_points`. A submission counts every submitted notebook (timed out, crashed
and invalid ones included: they scored 0); passed = full points for that question.

histogram.png: the distribution of final scores of the students who submitted something.

LMS files (`--format canvas|moodle`, `lms_export`): the final score (after the late penalty) of
each student, keyed by what the LMS knows them by (collect's manifest: the ids in the LMS zip's
names, and the roster's lms_id, email, login, section and sis_user_id columns). A student with no
submission gets an empty grade (`--missing empty`, the default: the LMS leaves it ungraded) or 0.
- canvas: `canvas-gradebook.csv`, Canvas's gradebook import CSV: `Student, ID, SIS User ID, SIS
  Login ID, Section`, then one assignment column `Name (assignment id)` (`--assignment`,
  `--assignment-id`; without an id Canvas creates a new assignment), and Canvas's "Points
  Possible" row. ID is the Canvas user id; SIS Login ID the roster login, else the student id
  (which collect took from the Canvas login).
- moodle: `moodle-grading-worksheet.csv`, the columns of Moodle's offline grading worksheet
  (`Identifier` "Participant NNN", `Full name`, `Email address`, `Status`, `Grade`, `Maximum
  Grade`, ...), grades with two decimals. A student without a Moodle participant id cannot be
  matched by Moodle: left out, with a warning.

Every CSV cell is written through `csv_cell`: a text cell that a spreadsheet would run as a
formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return: a student's name or id,
a note quoting a notebook's error) gets a leading `'` (OWASP's CSV injection advice). Numbers,
and text that is exactly a number (`-1`, `0.500`), are left alone: they are not formulas.
"""
from __future__ import annotations

import csv
import json
import math
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .collect import SAFE_ID
from .course import Course, gradebook_url

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def csv_cell(value):
    """One CSV cell, made inert for spreadsheets (see the module docstring)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


@dataclass(frozen=True)
class Question:
    notebook: str  # file name, e.g. 01-tensors.ipynb
    grade_id: str
    max_points: float

    @property
    def key(self) -> str:
        return f"{Path(self.notebook).stem}:{self.grade_id}"


@dataclass
class NotebookResult:
    state: str  # graded | timed_out | crashed | invalid | not graded | missing
    reason: str = ""
    timestamp: str | None = None
    late: bool = False
    scores: dict[str, dict] = field(default_factory=dict)  # grade_id -> {points, max_points, passed, error}


@dataclass
class StudentRow:
    student: str
    name: str = ""
    notebooks: dict[str, NotebookResult] = field(default_factory=dict)
    points: dict[str, float | None] = field(default_factory=dict)  # question key -> points (None: not submitted)
    total: float = 0.0
    max_total: float = 0.0
    late_days: int = 0
    late_penalty: float = 0.0
    final: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return any(r.state != "missing" for r in self.notebooks.values())


@dataclass
class UnitScores:
    unit: str
    questions: list[Question]
    students: dict[str, StudentRow]
    due: datetime | None = None
    source: str = "results"  # where the scores came from: results, gradebook, or both


def questions(course: Course, unit: str) -> list[Question]:
    """The graded cells of the unit's solution notebooks, in notebook order."""
    out = []
    for name in course.notebooks(unit):
        nb = json.loads((course.solutions / unit / name).read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and meta.get("grade_id"):
                out.append(Question(name, meta["grade_id"], float(meta.get("points", 0))))
    return out


def load_results(course: Course, unit: str) -> dict[tuple[str, str], dict]:
    """(student, notebook file name) -> the results JSON `grade` wrote. Unreadable files are skipped."""
    out = {}
    base = course.workspace / "results" / unit
    for path in sorted(base.glob("*/*.json")) if base.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            print(f"warning: skipping unreadable results file {path}: {err}", file=sys.stderr)
            continue
        notebook = data.get("notebook") or f"{path.stem}.ipynb"
        out[(data.get("student") or path.parent.name, notebook)] = data
    return out


def load_manifest(course: Course, unit: str) -> dict:
    path = course.workspace / "collect" / f"{unit}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def gradebook_scores(course: Course, unit: str, db_url: str | None = None):
    """({(student, notebook, grade_id): score}, duedate or None) from the gradebook; ({}, None) when
    there is no gradebook (a missing SQLite file is not created) or it does not know the unit."""
    url = db_url or course.db_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        return {}, None
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(gradebook_url(url)) as gb:
        try:
            assignment = gb.find_assignment(unit)
        except MissingEntry:
            return {}, None
        due = assignment.duedate
        for sub in assignment.submissions:
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.score is not None and (grade.auto_score is not None or grade.manual_score is not None):
                        scores[(sub.student.id, f"{nb.name}.ipynb", grade.name)] = float(grade.score)
    return scores, (due.replace(tzinfo=timezone.utc) if due else None)


def _parse(ts: str | None) -> datetime | None:
    if not ts:
        return None
    t = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t


def load_unit(course: Course, unit_key: str, db_url: str | None = None, late_penalty: float = 0.0) -> UnitScores:
    """Everything export and feedback need about a unit's grades, merged (see the module docstring)."""
    unit = course.unit(unit_key)
    qs = questions(course, unit)
    notebooks = course.notebooks(unit)
    manifest = load_manifest(course, unit)
    results = load_results(course, unit)
    gb_scores, gb_due = gradebook_scores(course, unit, db_url)
    due = _parse(manifest.get("due")) or gb_due

    ids = set(manifest.get("students", {})) | {s for s, _ in results} | {s for s, _, _ in gb_scores}
    ids |= set(manifest.get("roster", {}))
    for sid in sorted(s for s in ids if not (isinstance(s, str) and SAFE_ID.match(s))):
        # ids name folders (feedback/<id>/...): one from an edited file or another tool must not leave them
        print(f"warning: skipping student id {sid!r}: not a safe file name", file=sys.stderr)
        ids.discard(sid)
    names = {sid: e.get("name", "") for sid, e in manifest.get("students", {}).items()}
    names.update({sid: n for sid, n in manifest.get("roster", {}).items() if n})

    rows = {}
    for sid in sorted(ids):
        row = StudentRow(sid, names.get(sid, ""))
        files = manifest.get("students", {}).get(sid, {}).get("files", {})
        for nbname in notebooks:
            res, info = results.get((sid, nbname)), files.get(nbname)
            in_gb = any((sid, nbname, q.grade_id) in gb_scores for q in qs if q.notebook == nbname)
            if res is not None:
                r = NotebookResult(res.get("state", "crashed"), res.get("reason", ""), res.get("timestamp"),
                                   scores=res.get("scores", {}))
            elif in_gb:
                r = NotebookResult("graded")
            elif info is not None:
                r = NotebookResult("not graded", "collected, not graded yet")
            else:
                r = NotebookResult("missing", "not submitted")
            if info is not None:
                r.timestamp, r.late = info.get("timestamp") or r.timestamp, bool(info.get("late"))
            row.notebooks[nbname] = r
            if r.state not in ("graded",):
                row.notes.append(f"{Path(nbname).stem}: {r.state}" + (f" ({r.reason})" if r.reason else ""))
        for q in qs:
            r = row.notebooks[q.notebook]
            points = gb_scores.get((sid, q.notebook, q.grade_id))
            if points is None and q.grade_id in r.scores:
                points = float(r.scores[q.grade_id].get("points") or 0.0)
            if points is None and r.state not in ("missing", "not graded"):
                points = 0.0
            row.points[q.key] = points
        row.total = round(sum(p for p in row.points.values() if p), 4)
        row.max_total = sum(q.max_points for q in qs)
        row.late_days = late_days(row, due)
        row.late_penalty = round(min(1.0, late_penalty * row.late_days) * row.total, 2)
        row.final = round(row.total - row.late_penalty, 4)
        rows[sid] = row
    source = "both" if gb_scores and results else ("gradebook" if gb_scores else "results")
    return UnitScores(unit, qs, rows, due, source)


def late_days(row: StudentRow, due: datetime | None) -> int:
    """Started days after the due date (see the module docstring)."""
    times = [_parse(r.timestamp) for r in row.notebooks.values() if r.state != "missing" and r.timestamp]
    if due is not None and times:
        late = (max(times) - due).total_seconds()
        return math.ceil(late / 86400) if late > 0 else 0
    return 1 if any(r.late for r in row.notebooks.values()) else 0


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.4g}"


def question_stats(scores: UnitScores) -> list[dict]:
    out = []
    for q in scores.questions:
        got = [row.points[q.key] for row in scores.students.values()
               if row.notebooks[q.notebook].state not in ("missing", "not graded") and row.points[q.key] is not None]
        passed = sum(1 for p in got if p >= q.max_points - 1e-9)
        out.append({"question": q.key, "notebook": q.notebook, "grade_id": q.grade_id, "max_points": _fmt(q.max_points),
                    "submissions": len(got), "passed": passed,
                    "pass_rate": f"{passed / len(got):.3f}" if got else "",
                    "mean_points": f"{sum(got) / len(got):.3f}" if got else ""})
    return out


def export(course: Course, unit_key: str, db_url: str | None = None, late_penalty: float = 0.0) -> dict[str, Path]:
    """Write grades.csv, summary.csv and histogram.png; returns their paths."""
    if not 0 <= late_penalty <= 1:
        raise ValueError(f"--late-penalty must be a fraction between 0 and 1, not {late_penalty}")
    return write_exports(course, load_unit(course, unit_key, db_url, late_penalty))


def write_exports(course: Course, scores: UnitScores) -> dict[str, Path]:
    out_dir = course.workspace / "exports" / scores.unit
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"grades": out_dir / "grades.csv", "summary": out_dir / "summary.csv", "histogram": out_dir / "histogram.png"}

    with open(paths["grades"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(csv_row(["student_id", "name", *(q.key for q in scores.questions), "total", "max", "late_days",
                    "late_penalty", "final", "notes"]))
        for row in scores.students.values():
            w.writerow(csv_row([row.student, row.name, *(_fmt(row.points[q.key]) for q in scores.questions),
                        _fmt(row.total), _fmt(row.max_total), row.late_days, _fmt(row.late_penalty),
                        _fmt(row.final), "; ".join(row.notes)]))

    stats = question_stats(scores)
    with open(paths["summary"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        fields = list(stats[0]) if stats else ["question"]
        w.writerow(csv_row(fields))
        w.writerows(csv_row(s[k] for k in fields) for s in stats)

    histogram(scores, paths["histogram"])
    return paths


def histogram(scores: UnitScores, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    finals = [row.final for row in scores.students.values() if row.submitted]
    top = sum(q.max_points for q in scores.questions) or 1.0
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    if top <= 40:  # one bar per whole point, centred on it
        bins = [i - 0.5 for i in range(int(math.ceil(top)) + 2)]
    else:
        bins = [top * i / 20 for i in range(21)]
    ax.hist(finals, bins=bins, color="#4c72b0", edgecolor="white")
    mean = sum(finals) / len(finals) if finals else 0.0
    ax.set_title(f"{scores.unit}: final scores of {len(finals)} student(s), mean {mean:.2f} / {_fmt(top)}")
    ax.set_xlabel("final score (points)")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# --------------------------------------------------------------------------------------------
# The LMS files: Canvas's gradebook import CSV, Moodle's grading worksheet
# --------------------------------------------------------------------------------------------

CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "    Points Possible"  # Canvas's own export writes the row's label so, indented
MOODLE_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                  "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]


@dataclass
class Person:
    """What the LMS knows a student by (collect's manifest: the LMS zip's ids and the roster)."""
    name: str = ""
    lms_id: str = ""       # Canvas user id / Moodle participant id
    email: str = ""
    login: str = ""
    section: str = ""
    sis_user_id: str = ""


def people(course: Course, unit: str) -> dict[str, Person]:
    manifest = load_manifest(course, unit)
    out: dict[str, Person] = {}
    for sid, entry in manifest.get("students", {}).items():
        out[sid] = Person(entry.get("name", ""), entry.get("lms_id", ""))
    for sid, row in manifest.get("people", {}).items():
        p = out.setdefault(sid, Person())
        for key in ("name", "lms_id", "email", "login", "section", "sis_user_id"):
            if row.get(key) and not (key == "lms_id" and p.lms_id):  # the LMS's own id wins
                setattr(p, key, row[key])
    for sid, name in manifest.get("roster", {}).items():
        p = out.setdefault(sid, Person())
        p.name = p.name or name
    return out


def _lms_grade(row: StudentRow, missing: str, decimals: int | None = None) -> str:
    """The grade an LMS gets: the final score after the late penalty; no submission: "" or 0."""
    if not row.submitted and missing == "empty":
        return ""
    final = row.final if row.submitted else 0.0
    return f"{final:.{decimals}f}" if decimals is not None else _fmt(final)


def _moodle_time(ts: str | None) -> str:
    t = _parse(ts)
    if t is None:
        return "-"
    return f"{t:%A}, {t.day} {t:%B %Y}, {t.hour % 12 or 12}:{t:%M %p}"  # Moodle's strftimedatetime, in UTC


def lms_export(course: Course, scores: UnitScores, fmt: str, missing: str = "empty",
               assignment: str | None = None, assignment_id: str | None = None) -> tuple[Path, list[str]]:
    """Write the Canvas or Moodle import file; returns its path and warnings (students left out)."""
    if missing not in ("empty", "zero"):
        raise ValueError(f"missing must be 'empty' or 'zero', not {missing!r}")
    who = people(course, scores.unit)
    max_total = sum(q.max_points for q in scores.questions)
    out_dir = course.workspace / "exports" / scores.unit
    out_dir.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    name = assignment or scores.unit
    if fmt == "canvas":
        path = out_dir / "canvas-gradebook.csv"
        column = f"{name} ({assignment_id})" if assignment_id else name
        rows = [CANVAS_ID_COLUMNS + [column], [CANVAS_POINTS_ROW, "", "", "", "", _fmt(max_total)]]
        for sid, row in scores.students.items():
            p = who.get(sid, Person(row.name))
            # Canvas finds the student by ID (its user id), else SIS User ID, else SIS Login ID;
            # without a roster the collected id of a Canvas zip is the student's login.
            rows.append([*map(csv_cell, [p.name or row.name, p.lms_id, p.sis_user_id, p.login or sid, p.section]),
                         _lms_grade(row, missing)])
    elif fmt == "moodle":
        path = out_dir / "moodle-grading-worksheet.csv"
        rows = [list(MOODLE_COLUMNS)]
        for sid, row in scores.students.items():
            p = who.get(sid, Person(row.name))
            if not p.lms_id.isdigit():
                warnings.append(f"{sid}: no Moodle participant id (collect from Moodle's zip, or give the roster "
                                f"an lms_id column): left out of the worksheet")
                continue
            times = [r.timestamp for r in row.notebooks.values() if r.state != "missing" and r.timestamp]
            rows.append([f"Participant {p.lms_id}", csv_cell(p.name or row.name), csv_cell(p.email),
                         "Submitted for grading" if row.submitted else "No submission",
                         _lms_grade(row, missing, 2), f"{max_total:.2f}", "Yes",
                         _moodle_time(max(times, key=_parse) if times else None), "-", ""])
    else:
        raise ValueError(f"unknown LMS format {fmt!r} (canvas or moodle)")
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)  # what a student controls went through csv_cell above; Moodle's "-" stays
    return path, warnings


def main(course: Course, args) -> int:
    rate = getattr(args, "late_penalty", 0.0) or 0.0
    if not 0 <= rate <= 1:
        print(f"export: error: --late-penalty must be a fraction between 0 and 1, not {rate}", file=sys.stderr)
        return 2
    scores = load_unit(course, args.unit, getattr(args, "db_url", None), rate)
    fmt = getattr(args, "format", "csv") or "csv"
    if fmt != "csv":
        path, warnings = lms_export(course, scores, fmt, getattr(args, "missing", "empty") or "empty",
                                    getattr(args, "assignment", None), getattr(args, "assignment_id", None))
        for w in warnings:
            print(f"export: warning: {w}", file=sys.stderr)
        print(f"export {scores.unit}: {len(scores.students) - len(warnings)} student(s) for {fmt}: {path}")
        return 0
    paths = write_exports(course, scores)
    print(f"export {scores.unit}: {len(scores.students)} student(s), scores from {scores.source}")
    for s in question_stats(scores):
        print(f"  {s['question']:<40} max {s['max_points']:>4}  pass rate {s['pass_rate'] or '-':>6} "
              f"({s['passed']}/{s['submissions']})  mean {s['mean_points'] or '-'}")
    for name, path in paths.items():
        print(f"  {name}: {path}")
    return 0
