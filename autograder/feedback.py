"""Per-student feedback: `grading/feedback/<student_id>/<unit>/index.html`.

`autograder feedback UNIT [--db-url URL]`

A report shows the unit, the submission time (and whether it was late), the total, and for each
notebook its state and, per graded question, points/max, passed or failed and the failure message
(the failing test's `ename: evalue`) with the traceback of that test cell from the autograded
notebook. Scores come from `export.load_unit` (the gradebook, else the results JSON).

What never reaches a student:
- the autograded notebook itself (it holds the hidden tests), and any output of a cell other
  than a graded test's error (a submission's own prints are not shown: it could print anything);
- any line of hidden test source or of the reference solution: `Redactor` collects, from the
  solution notebooks, every line between `### BEGIN HIDDEN TESTS` / `### END HIDDEN TESTS` and
  between `### BEGIN SOLUTION` / `### END SOLUTION`, and every line of the answer variants
  (`*.answers.py`, never released). Every line of a message or traceback that contains one of
  them -- whitespace ignored, also after undoing Python string escapes (a repr'd source with
  literal `\\n`), ANSI colours stripped -- is replaced by "[hidden test]". A traceback's source
  listing line (`----> 5 code`) whose code is a hidden line is redacted whatever its length;
  elsewhere hidden lines shorter than 6 non-blank characters (`)`, `else:`) are not matched,
  as they carry nothing and would blank out innocent text.
  Limit: a submission that encodes what it read (base64, reversed) before raising defeats any
  text matching; the sandbox (no access to the instructor's files) is the defence for that, and
  the hook trick (an IPython `pre_run_cell` hook that copies the running test cell's source into
  an exception message) is caught because the copied text is verbatim.
"""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

from .course import Course
from .export import UnitScores, load_unit

REDACTED = "[hidden test]"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_BLOCKS = (("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"), ("### BEGIN SOLUTION", "### END SOLUTION"))
_LISTING = re.compile(r"^\s*(?:-*>\s*)?\d+\s(?P<code>.*)$")  # IPython traceback source line: "---> 5 code"
MIN_MATCH = 6
MAX_TRACEBACK_CHARS = 6000


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _unescape(text: str) -> str:
    return (text.replace("\\\\", "\x00").replace("\\n", "\n").replace("\\t", "\t").replace("\\'", "'")
            .replace('\\"', '"').replace("\x00", "\\"))


class Redactor:
    """Replaces every line that shows hidden test or solution source by "[hidden test]"."""

    def __init__(self, hidden_lines: set[str]):
        self.exact = {_squash(line) for line in hidden_lines if _squash(line)}
        self.snippets = sorted((s for s in self.exact if len(s) >= MIN_MATCH), key=len, reverse=True)

    @classmethod
    def for_unit(cls, course: Course, unit: str) -> "Redactor":
        lines: set[str] = set()
        folder = course.solutions / unit
        for path in sorted(folder.glob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb.get("cells", []):
                src = cell.get("source", "")
                lines |= hidden_lines("".join(src) if isinstance(src, list) else src)
        for path in sorted(folder.glob("*.answers.py")):
            lines |= {line for line in path.read_text(encoding="utf-8").splitlines()
                      if not line.lstrip().startswith("#") and _squash(line) not in ('"""', "'''")}
        return cls(lines)

    def _hidden(self, line: str) -> bool:
        squashed = _squash(line)
        if not squashed:
            return False
        m = _LISTING.match(line)
        if m and _squash(m["code"]) in self.exact:
            return True
        return any(s in squashed for s in self.snippets)

    def redact(self, text: str) -> str:
        out = []
        for line in ANSI.sub("", text).splitlines():
            pieces = [line] + (_unescape(line).splitlines() if "\\" in line else [])
            out.append(REDACTED if any(self._hidden(p) for p in pieces) else line)
        # collapse runs of redacted lines into one marker
        squeezed = [line for i, line in enumerate(out) if not (line == REDACTED and i and out[i - 1] == REDACTED)]
        return "\n".join(squeezed)


def hidden_lines(source: str) -> set[str]:
    """Lines of a cell inside hidden-test or solution blocks (markers included)."""
    found, inside = set(), None
    for line in source.splitlines():
        stripped = line.strip()
        if inside is None:
            for begin, end in _BLOCKS:
                if stripped.startswith(begin):
                    inside = end
                    found.add(line)
        else:
            found.add(line)
            if stripped.startswith(inside):
                inside = None
    return found


def error_tracebacks(path: Path) -> dict[str, str]:
    """grade_id -> the traceback text of that graded cell's error, from an autograded notebook."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not (meta.get("grade") and meta.get("grade_id")):
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                tb = "\n".join(o.get("traceback") or []) or f"{o.get('ename')}: {o.get('evalue')}"
                out[meta["grade_id"]] = tb
    return out


CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.passed{color:#17702f}.failed{color:#b00020}
pre{background:#f7f7f7;padding:.5rem;overflow-x:auto;white-space:pre-wrap;font-size:.85rem}.state{font-weight:bold}"""


def render(scores: UnitScores, sid: str, redactor: Redactor, autograded: Path) -> str:
    row = scores.students[sid]
    e = html.escape
    r = redactor.redact
    title = f"Feedback: {scores.unit} \u2014 {sid}" + (f" ({row.name})" if row.name else "")
    times = [nb.timestamp for nb in row.notebooks.values() if nb.timestamp and nb.state != "missing"]
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(title)}</title>"
             f"<style>{CSS}</style></head><body>", f"<h1>{e(title)}</h1>"]
    info = [f"Score: <b>{e(_num(row.total))} / {e(_num(row.max_total))}</b>"]
    if row.late_penalty:
        info.append(f"late penalty \u2212{e(_num(row.late_penalty))}, final <b>{e(_num(row.final))}</b>")
    if times:
        info.append(f"submitted {e(max(times))}" + (f" ({row.late_days} day(s) late)" if row.late_days else ""))
    parts.append(f"<p>{'; '.join(info)}</p>")
    for nbname, res in row.notebooks.items():
        parts.append(f"<h2>{e(nbname)}</h2>")
        if res.state != "graded":
            reason = f": {e(r(res.reason))}" if res.reason else ""
            parts.append(f"<p class=\"state\">{e(res.state.replace('_', ' '))}{reason}</p>")
        if res.state in ("missing", "not graded"):
            continue
        tracebacks = error_tracebacks(autograded / nbname)
        parts.append("<table><tr><th>question</th><th>points</th><th>result</th><th>message</th></tr>")
        details = []
        for q in scores.questions:
            if q.notebook != nbname:
                continue
            pts = row.points.get(q.key) or 0.0
            passed = pts >= q.max_points - 1e-9
            error = (res.scores.get(q.grade_id) or {}).get("error", "") if not passed else ""
            cls, word = ("passed", "passed") if passed else ("failed", "failed")
            parts.append(f"<tr><td>{e(q.grade_id)}</td><td>{e(_num(pts))} / {e(_num(q.max_points))}</td>"
                         f"<td class=\"{cls}\">{word}</td><td><pre>{e(r(error))}</pre></td></tr>")
            if not passed and q.grade_id in tracebacks and res.state == "graded":
                tb = r(tracebacks[q.grade_id])
                if len(tb) > MAX_TRACEBACK_CHARS:
                    tb = "[...]\n" + tb[-MAX_TRACEBACK_CHARS:]
                details.append(f"<h3>{e(q.grade_id)}: traceback</h3><pre>{e(tb)}</pre>")
        parts.append("</table>")
        parts.extend(details)
    parts.append("<p><small>Hidden parts of the tests are shown as \u201c[hidden test]\u201d.</small></p></body></html>\n")
    return "\n".join(parts)


def _num(x: float | None) -> str:
    x = x or 0.0
    return str(int(x)) if float(x).is_integer() else f"{x:.3g}"


def feedback(course: Course, unit_key: str, db_url: str | None = None, late_penalty: float = 0.0) -> list[Path]:
    """Write one report per student who submitted something; returns their paths."""
    scores = load_unit(course, unit_key, db_url, late_penalty)
    redactor = Redactor.for_unit(course, scores.unit)
    written = []
    for sid, row in scores.students.items():
        if not row.submitted:
            continue
        autograded = course.workspace / "autograded" / sid / scores.unit
        page = render(scores, sid, redactor, autograded)
        path = course.workspace / "feedback" / sid / scores.unit / "index.html"
        if not path.resolve().is_relative_to((course.workspace / "feedback").resolve()):
            print(f"warning: no feedback for {sid!r}: its folder would leave feedback/", file=sys.stderr)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8", errors="replace")  # a lone surrogate must not stop the class's feedback
        written.append(path)
    return written


def main(course: Course, args) -> int:
    written = feedback(course, args.unit, getattr(args, "db_url", None), getattr(args, "late_penalty", 0.0) or 0.0)
    for path in written:
        print(f"  {path}")
    print(f"feedback: {len(written)} report(s) in {course.workspace / 'feedback'}", file=sys.stdout)
    return 0
