"""Collect a class's submissions of one unit into the grading workspace.

`autograder collect UNIT SOURCE [--roster roster.csv] [--due ISO]`

SOURCE is a folder or a zip:
- a folder (or zip) with one subfolder per student (`alice/01-tensors.ipynb`), or one file per
  student at the top (`alice.ipynb`);
- Moodle's "download all submissions" zip: folders `Full Name_12345_assignsubmission_file_/...`
  (12345 is Moodle's participant id);
- Canvas's "download submissions" zip: flat files `login_userid_submissionid_name.ipynb`, late
  ones `late_login_...` or `login_LATE_userid_...` (Canvas renames resubmissions `name-1.ipynb`).
A zip whose entries all sit in one wrapper folder (`submissions/alice/...`) is unwrapped;
`__MACOSX/`, `.ipynb_checkpoints/` and dotfiles are skipped (and recorded as extra files).
A zip member that is unsafe (a symbolic link, an absolute path, a `..` path), damaged, or that
unpacks past a limit (`MAX_FILE_BYTES` per file, `MAX_TOTAL_BYTES` per source, `MAX_RATIO`
times its packed size: counted while it unpacks, never taken from the zip's headers) is
refused: reported, left in the archive, never unpacked; the other members are collected.

What happens, in this order (nothing is written before the whole source has been read and
judged, so a wrong source -- not a zip, an empty one, one with no notebook of this unit --
fails with a clear message and leaves the workspace as it was):
1. Every file is attributed to a student (see `Roster`) and, for notebooks, to one notebook of
   the unit: by the nbgrader `grade_id`s it contains (so "01-tensors (1).ipynb", "Copy of
   01-tensors.ipynb" or "homework.ipynb" are all recognised), falling back to the file name
   (Canvas/"Copy of"/" (1)"/"-1" decorations stripped, then the `NN-` number, then "the unit's
   only notebook") only when the file has no grade_id at all (broken JSON, metadata stripped).
   A notebook whose grade_ids belong to no notebook of this unit is not graded (extra file).
2. Submission time: the zip member's date as the LMS wrote it (zip dates carry no zone: read as
   UTC) or a folder file's mtime. Never a file inside a submission: a student's own
   `timestamp.txt` is an extra file (collect writes `timestamp.txt` itself, step 5). Late: Canvas's
   `late_`/`_LATE_` mark, or a time after `--due` (stored in the manifest and as the gradebook
   assignment's duedate; `export --late-penalty` turns lateness into a penalty).
3. Two files for the same student and notebook in one source: the newest is kept, the other
   reported under "duplicates".
4. The original SOURCE is copied, unmodified, to `grading/archive/<unit>/` (a different file
   with the same name gets a `-<collection time>` suffix; nothing there is ever overwritten).
5. Each kept notebook is written, byte for byte (a broken notebook is collected as is: `grade`
   marks it invalid), to `grading/submitted/<id>/<unit>/<canonical name>.ipynb`, with
   `timestamp.txt` (the newest of the student's notebook times, nbgrader's convention; only
   collect writes it: nothing but the unit's notebooks, under their canonical names, is ever
   copied from a submission).
   Re-collecting never silently overwrites a newer submission: an older file never replaces a
   newer one ("kept newer submission from <time> for <id>"), the same content is left alone,
   and a newer file replaces an older one (reported; the older stays in its archive).
6. `grading/collect/<unit>.json` (the manifest) is updated: students, unmatched files,
   duplicates and extra files accumulate over collections.

Extra files (data, images, .py files, a zip a student attached -- a zip inside a submission is not
unpacked): recorded in the manifest with their
sha256 and kept in the archive, never graded and never copied into `submitted/` (so never into
the sandbox). The course's notebooks build every dataset offline through `coursekit.data`, so a
submission needs no file of its own, and a copied `coursekit.py` or `numpy.py` would shadow the
real module inside the grading kernel.

Students: with `--roster` (CSV, columns id,name,email,login and optionally lms_id, and for
`export --format canvas` section and sis_user_id; all kept in the manifest; id is the
student id used everywhere) a Canvas file or Moodle folder whose LMS id (Canvas user id, Moodle
participant id) is a roster lms_id belongs to that student; else a Canvas file matches a roster
login, or its user id / login matches a roster id; a Moodle folder matches its participant id to
a roster id, else its full name to a roster name (case and spacing ignored: a display name is
the student's to change); a plain folder or file name matches a roster id, login or email. A
match to a roster student whose lms_id is a different LMS id is no match. When two different LMS
ids reach one student and one of them only by name (or a name match disagrees with the LMS id an
earlier collection recorded), the name-matched files are a conflict: reported, collected for
nobody, never settled by which file is newer.
A file that matches no roster entry is reported as unmatched, kept in the archive, not graded.
Without a roster the id derived from the source is used as is: the Canvas login, the Moodle
participant id, the folder or file name. An id must be a safe file name
(letters, digits, `._@+-`); anything else is reported as unmatched.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from .course import Course, gradebook_url

MOODLE_DIR = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assign(?:submission|feedback)_[a-z]+_?$", re.I)
CANVAS_FILE = re.compile(
    r"^(?P<late1>late_)?(?P<login>.+?)_(?P<late2>late_)?(?P<userid>\d+)_(?P<subid>\d+)_(?P<name>.+)$", re.I
)
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")   # a file name on every filesystem
SKIPPED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
# Zip bombs: every file is read in chunks and counted as it unpacks (a zip header's sizes are
# whatever its maker wrote), so a bomb costs at most one chunk past a limit. A file past a limit
# is skipped and reported; the rest of the source is still collected.
MAX_FILE_BYTES = 256 << 20   # one file (a notebook with its outputs is a few MiB)
MAX_TOTAL_BYTES = 2 << 30    # all files of one source together (they are held in memory)
MAX_RATIO = 200              # unpacked / packed size, checked once a file is past RATIO_FLOOR
RATIO_FLOOR = 1 << 20        # small files compress well for honest reasons
CHUNK = 1 << 20


class CollectError(Exception):
    """A source that cannot be collected at all; nothing has been written."""


# Control characters (C0, DEL, C1) and Unicode format characters (bidi overrides): a path from a
# student's zip (`alice/\x1b]2;...\x07\x1b[2Jhw.ipynb`) must not drive the instructor's terminal.
# Lone surrogates (a folder name that is not UTF-8) too: printing one would raise.
_UNPRINTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control or format character written as an escape (`\\x1b`)."""
    return _UNPRINTABLE.sub(lambda m: ascii(m[0])[1:-1], str(text))


def utc_iso(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_time(text: str) -> datetime:
    """ISO 8601 (a naive time is UTC) -> aware UTC datetime."""
    text = text.strip().replace("Z", "+00:00")
    ts = datetime.fromisoformat(text) if "T" in text or "-" in text else None
    if ts is None:
        raise ValueError(f"not an ISO 8601 time: {text!r}")
    return ts.replace(tzinfo=timezone.utc) if ts.tzinfo is None else ts.astimezone(timezone.utc)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- roster

@dataclass
class Roster:
    """roster.csv: columns id,name,email,login,lms_id (only id is required). lms_id is the
    student's participant id in the LMS (Moodle's participant id, Canvas's user id): the LMS's
    own key, which a student cannot change, unlike the display name."""
    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> "Roster":
        path = Path(path)
        if not path.is_file():
            raise CollectError(f"roster {path} does not exist")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise CollectError(f"roster {path} is not UTF-8 text: {err}") from None
        reader = csv.DictReader(io.StringIO(text))
        fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
        if "id" not in fields:
            raise CollectError(f"roster {path} has no 'id' column (columns: id,name,email,login,lms_id)")
        roster = cls()
        for lineno, raw in enumerate(reader, start=2):
            row = {k: (raw.get(f) or "").strip() for k, f in fields.items()}
            sid = row["id"]
            if not sid:
                continue
            if not SAFE_ID.match(sid):
                raise CollectError(f"roster {path} line {lineno}: id {sid!r} is not a safe file name")
            if sid in roster.rows:
                raise CollectError(f"roster {path} line {lineno}: id {sid!r} appears twice")
            roster.rows[sid] = {"name": row.get("name", ""), "email": row.get("email", ""),
                                "login": row.get("login", ""), "lms_id": row.get("lms_id", ""),
                                # only for `export --format canvas`: the LMS's own columns
                                "section": row.get("section", ""), "sis_user_id": row.get("sis_user_id", "")}
        if not roster.rows:
            raise CollectError(f"roster {path} lists no student")
        return roster

    def _find(self, column: str, value: str) -> str | None:
        value = _norm(value)
        if not value:
            return None
        hits = [sid for sid, row in self.rows.items() if _norm(row.get(column, "")) == value]
        return hits[0] if len(hits) == 1 else None

    def match(self, who: "Who") -> tuple[str | None, str]:
        """(student id, how it matched), or (None, why not)."""
        lms = who.lms_id
        if lms:
            sid = self._find("lms_id", lms)
            if sid:
                return sid, "lms_id"
        if who.kind == "canvas":
            sid, how = (self._find("login", who.login) or (who.userid if who.userid in self.rows else None)
                        or (who.login if who.login in self.rows else None)), "login"
        elif who.kind == "moodle":
            sid, how = (who.pid, "id") if who.pid in self.rows else (self._find("name", who.name), "name")
        else:
            key = who.key
            sid, how = (key, "id") if key in self.rows else (self._find("login", key) or self._find("email", key), "login")
        if sid is None:
            return None, f"{who.describe()} is not in the roster"
        theirs = self.rows[sid].get("lms_id", "")
        if lms and theirs and theirs != lms:  # the roster knows this student under another LMS id
            return None, (f"{who.describe()} matches roster student {sid} by {how}, but {sid}'s LMS id is "
                          f"{theirs}, not {lms}")
        return sid, how


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Who:
    """Who a source file says it belongs to, before the roster is consulted."""
    kind: str  # canvas | moodle | folder | file
    key: str  # the id used without a roster
    login: str = ""
    userid: str = ""
    pid: str = ""
    name: str = ""
    late: bool = False

    @property
    def lms_id(self) -> str:
        """The LMS's own id of the participant ("" for a plain folder or file)."""
        return self.userid if self.kind == "canvas" else self.pid if self.kind == "moodle" else ""

    def describe(self) -> str:
        if self.kind == "canvas":
            return f"Canvas login {self.login!r} (user id {self.userid})"
        if self.kind == "moodle":
            return f"Moodle participant {self.name!r} (id {self.pid})"
        return f"{self.kind} {self.key!r}"


# --------------------------------------------------------------------------- reading a source

@dataclass
class SourceFile:
    rel: str  # path inside the source (posix)
    data: bytes
    mtime: datetime


class TooBig(Exception):
    """A file that unpacks past a limit (its reason is the message)."""


def _read_limited(f, packed: int | None, budget: int) -> bytes:
    """Read a file object in chunks, stopping as soon as a size or ratio limit is passed."""
    chunks, n = [], 0
    while chunk := f.read(CHUNK):
        n += len(chunk)
        if n > MAX_FILE_BYTES:
            raise TooBig(f"unpacks to more than {MAX_FILE_BYTES >> 20} MiB (limit per file)")
        if n > budget:
            raise TooBig(f"the source unpacks to more than {MAX_TOTAL_BYTES >> 20} MiB in all (limit per source)")
        # packed bytes consumed so far (zipfile's own count; else the member's whole packed
        # size), so a bomb is caught after its first MiB, not after MAX_RATIO times its size
        used = packed - getattr(f, "_compress_left", 0) if packed is not None else None
        if used is not None and n > RATIO_FLOOR and n > MAX_RATIO * max(used, 1):
            raise TooBig(f"unpacks more than {MAX_RATIO} times its packed size (zip bomb)")
        chunks.append(chunk)
    return b"".join(chunks)


def unsafe_member(name: str, mode: int) -> str | None:
    """Why a zip member must not be unpacked, or None."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "a path that leaves its folder (..)"
    if any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or unicodedata.category(c) == "Cf" for c in name):
        return "a name with control or formatting characters"  # they would reach the instructor's terminal
    return None


def read_source(source: Path) -> tuple[list[SourceFile], str, list[dict]]:
    """All files of a folder or zip, as (files, kind, refused). A file that is unsafe (symlink,
    `..`, absolute path), damaged or too big is not read: it is listed in refused as
    {member, reason} and the others are still read. Raises CollectError on a wrong source."""
    if not source.exists():
        raise CollectError(f"{source} does not exist")
    files: list[SourceFile] = []
    refused: list[dict] = []
    budget = MAX_TOTAL_BYTES
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source).as_posix()
            if path.is_symlink():
                refused.append({"member": rel, "reason": "a symbolic link"})
            elif path.is_file():
                try:
                    with open(path, "rb") as f:
                        data = _read_limited(f, None, budget)
                except TooBig as err:
                    refused.append({"member": rel, "reason": str(err)})
                    continue
                budget -= len(data)
                mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
                files.append(SourceFile(rel, data, mtime))
        if not files and not refused:
            raise CollectError(f"{source} is an empty folder: nothing to collect")
        return files, "folder", refused
    if not zipfile.is_zipfile(source):
        raise CollectError(f"{source} is neither a folder nor a zip file")
    try:
        with zipfile.ZipFile(source) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            for m in members:
                name = m.filename.replace("\\", "/")
                why = unsafe_member(name, m.external_attr >> 16)
                if why is None:
                    try:
                        with zf.open(m) as f:
                            data = _read_limited(f, m.compress_size, budget)
                    except TooBig as err:
                        why = str(err)
                    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
                            ValueError) as err:  # bad CRC, unknown compression, encrypted
                        why = f"cannot be unpacked: {err}"
                if why is not None:
                    refused.append({"member": m.filename, "reason": why})
                    continue
                try:
                    mtime = datetime(*m.date_time, tzinfo=timezone.utc)
                except ValueError as err:  # a damaged date (month 0): this member only, not the class
                    refused.append({"member": m.filename, "reason": f"a damaged date ({err})"})
                    continue
                budget -= len(data)
                files.append(SourceFile(name, data, mtime))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as err:
        raise CollectError(f"{source} is a damaged zip file: {err}") from None
    if not files and not refused:
        raise CollectError(f"{source} is an empty zip file: nothing to collect")
    return files, "zip", refused


def _skipped(rel: str) -> bool:
    return any(p in SKIPPED_PARTS or p.startswith(".") for p in rel.split("/"))


def _unwrap(rels: list[str]) -> int:
    """How many leading folders all files share that are only wrappers (not student folders)."""
    depth = 0
    while True:
        parts = [r.split("/") for r in rels]
        if any(len(p) <= depth + 2 for p in parts):
            # a file (or a student's file) sits at this level: nothing more to unwrap
            return depth
        tops = {p[depth] for p in parts}
        if len(tops) != 1 or MOODLE_DIR.match(next(iter(tops))):
            return depth
        depth += 1


def whose(rel: str) -> tuple[Who, str, str]:
    """(Who, the student's own file name, student folder or "") for a path relative to the source."""
    parts = rel.split("/")
    if len(parts) >= 2:
        top, inner = parts[0], "/".join(parts[1:])
        m = MOODLE_DIR.match(top)
        if m:
            return Who("moodle", m["pid"], pid=m["pid"], name=m["name"]), inner, top
        return Who("folder", top), inner, top
    m = CANVAS_FILE.match(parts[0])
    if m:
        late = bool(m["late1"] or m["late2"])
        return Who("canvas", m["login"], login=m["login"], userid=m["userid"], late=late), m["name"], ""
    return Who("file", PurePosixPath(parts[0]).stem), parts[0], ""


# --------------------------------------------------------------------------- which notebook

def grade_ids(nb: dict) -> set[str]:
    ids = set()
    # a submission is any JSON: `{"cells": null}` or `{"cells": 5}` must not stop the collection
    cells = nb.get("cells") if isinstance(nb, dict) else None
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        gid = meta.get("nbgrader", {}).get("grade_id") if isinstance(meta, dict) and isinstance(meta.get("nbgrader"), dict) else None
        if isinstance(gid, str):
            ids.add(gid)
    return ids


def unit_signatures(course: Course, unit: str) -> dict[str, set[str]]:
    """Notebook name -> the nbgrader grade_ids of its solution notebook."""
    sigs = {}
    for name in course.notebooks(unit):
        with open(course.solutions / unit / name, encoding="utf-8") as f:
            sigs[name] = grade_ids(json.load(f))
    if not sigs:
        raise CollectError(f"unit {unit} has no notebook in {course.solutions / unit}")
    return sigs


_DECORATIONS = [re.compile(p, re.I) for p in (r"^(copy of |copy_of_)+", r"\s*\(\d+\)$", r"-\d+$", r"[ _-]copy$")]


def _clean_stem(filename: str) -> str:
    stem = PurePosixPath(filename).stem.strip()
    changed = True
    while changed:
        changed = False
        for pattern in _DECORATIONS:
            new = pattern.sub("", stem).strip()
            if new != stem and new:
                stem, changed = new, True
    return stem.lower()


def identify(filename: str, data: bytes, sigs: dict[str, set[str]]) -> tuple[str | None, str]:
    """(unit notebook name or None, how it was decided)."""
    try:
        ids = grade_ids(json.loads(data.decode("utf-8-sig")))
    except (UnicodeDecodeError, ValueError, RecursionError):
        ids, how = set(), "unreadable JSON, "
    else:
        how = ""
    if ids:
        scores = {name: len(ids & sig) for name, sig in sigs.items()}
        best = max(scores.values())
        if best == 0:
            return None, "its nbgrader grade_ids belong to no notebook of this unit"
        tied = [name for name, s in scores.items() if s == best]
        if len(tied) == 1:
            return tied[0], "grade_ids"
        by_name = identify_by_name(filename, tied)
        return (by_name, "grade_ids + name") if by_name else (None, "grade_ids match several notebooks")
    name = identify_by_name(filename, list(sigs))
    if name:
        return name, how + "file name"
    if len(sigs) == 1:
        return next(iter(sigs)), how + "the unit's only notebook"
    return None, how + "no grade_ids and no notebook of this unit has its name"


def identify_by_name(filename: str, names: list[str]) -> str | None:
    stem = _clean_stem(filename)
    for name in names:
        if stem == PurePosixPath(name).stem.lower():
            return name
    number = re.match(r"^(\d+)\b", stem)
    if number:
        hits = [n for n in names if re.match(rf"^0*{int(number[1])}\b", n)]
        if len(hits) == 1:
            return hits[0]
    return None


# --------------------------------------------------------------------------- collecting

@dataclass
class Candidate:
    student: str
    notebook: str
    source: str  # path in the archive, relative to the workspace
    data: bytes
    timestamp: datetime
    late: bool
    how: str
    name: str = ""
    lms_id: str = ""

    @property
    def sha(self) -> str:
        return sha256(self.data)


@dataclass
class Report:
    unit: str
    archive: Path | None = None
    actions: list[tuple[str, str, str, str]] = field(default_factory=list)  # student, notebook, action, detail
    unmatched: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    extra_files: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # unsafe, damaged or too big: never unpacked
    manifest: Path | None = None

    def print(self, out=None) -> None:
        write = (out or sys.stdout).write
        w = lambda line: write(printable(line[:-1]) + "\n")  # noqa: E731 (every line ends in "\n")
        for student, notebook, action, detail in self.actions:
            w(f"  {student:<20} {notebook:<32} {action:<10} {detail}\n")
        for d in self.duplicates:
            w(f"  duplicate: {d['student']} {d['notebook']}: kept {d['kept']}, not {d['dropped']} ({d['reason']})\n")
        for u in self.unmatched:  # !r: a name from a student's zip never reaches the terminal raw
            w(f"  UNMATCHED: {u['source']!r}: {u['reason']} (kept in the archive, not graded)\n")
        for e in self.extra_files:
            w(f"  extra file: {e['source']!r}: {e['reason']} (kept in the archive, not graded)\n")
        for r in self.refused:
            w(f"  REFUSED: {r['member']!r}: {r['reason']} (kept in the archive, not unpacked)\n")
        counts = {}
        for *_, action, _detail in self.actions:
            counts[action] = counts.get(action, 0) + 1
        summary = ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) or "no notebook"
        w(f"collect {self.unit}: {summary}; {len(self.unmatched)} unmatched, "
          f"{len(self.duplicates)} duplicate(s), {len(self.extra_files)} extra file(s), "
          f"{len(self.refused)} refused; "
          f"archive {self.archive}; manifest {self.manifest}\n")


def manifest_path(course: Course, unit: str) -> Path:
    return course.workspace / "collect" / f"{unit}.json"


def load_manifest(course: Course, unit: str) -> dict:
    path = manifest_path(course, unit)
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"unit": unit, "students": {}, "unmatched": [], "duplicates": [], "extra_files": []}


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _archive_target(source: Path, unit_archive: Path, stamp: str) -> Path:
    """Where SOURCE goes in the archive: its own name, or a new name when a different file has it."""
    target = unit_archive / source.name
    if not target.exists() or (source.is_file() and target.is_file()
                               and sha256(source.read_bytes()) == sha256(target.read_bytes())):
        return target  # free, or an identical copy of this very zip (collected again)
    base = f"{source.stem}-{stamp}{source.suffix}" if source.is_file() else f"{source.name}-{stamp}"
    target, n = unit_archive / base, 1
    while target.exists():
        target, n = unit_archive / f"{n}-{base}", n + 1
    return target


def _archive(source: Path, target: Path) -> None:
    if target.exists():
        return  # the identical zip is already there
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target)


def collect(course: Course, unit_key: str, source: str | Path, roster: str | Path | None = None,
            due: str | datetime | None = None, db_url: str | None = None) -> Report:
    """Collect SOURCE (folder or zip) for the unit; see the module docstring for the rules."""
    unit = course.unit(unit_key)
    source = Path(source).resolve()
    sigs = unit_signatures(course, unit)
    roster_obj = Roster.read(roster) if roster else None
    due_ts = (parse_time(due) if isinstance(due, str) else due) if due else None
    manifest = load_manifest(course, unit)
    if due_ts is None and manifest.get("due"):
        due_ts = parse_time(manifest["due"])

    files, kind, refused = read_source(source)
    now = datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    archive_dir = course.workspace / "archive" / unit
    # Where the source will sit in the archive (decided now, written later).
    planned = _archive_target(source, archive_dir, stamp)
    arch_rel = planned.relative_to(course.workspace).as_posix()

    report = Report(unit)
    report.refused = [{"source": f"{arch_rel}/{r['member']}", **r} for r in refused]
    kept = [f for f in files if not _skipped(f.rel)]
    for f in files:
        if _skipped(f.rel):
            report.extra_files.append({"student": None, "source": f"{arch_rel}/{f.rel}", "sha256": sha256(f.data),
                                       "bytes": len(f.data), "reason": "skipped (system or hidden file)"})
    if not kept:
        if refused:
            raise CollectError(f"{source} holds no file that can be collected: "
                               + "; ".join(f"{r['member']!r}: {r['reason']}" for r in refused))
        raise CollectError(f"{source} holds only system or hidden files: nothing to collect")
    depth = _unwrap([f.rel for f in kept])

    # Who each file belongs to. Identity comes only from the LMS's naming and the roster.
    placed = []
    for f in kept:
        who, filename, folder = whose("/".join(f.rel.split("/")[depth:]))
        if roster_obj:
            sid, how = roster_obj.match(who)
        else:
            sid, how = who.key, "id"
        placed.append((f, who, filename, sid, how))
    conflicts = _name_conflicts(placed, manifest)

    candidates: list[Candidate] = []
    unit_notebooks_seen = 0
    for f, who, filename, sid, how_matched in placed:
        src = f"{arch_rel}/{f.rel}"
        is_notebook = filename.lower().endswith(".ipynb")
        notebook, how = identify(PurePosixPath(filename).name, f.data, sigs) if is_notebook else (None, "")
        if notebook:
            unit_notebooks_seen += 1
        reason = None
        if sid is None:
            reason = how_matched
        elif not SAFE_ID.match(sid):
            reason = f"{who.describe()} is not a usable student id"
        elif (sid, who.lms_id) in conflicts:
            reason = conflicts[sid, who.lms_id]
        if reason:
            report.unmatched.append({"source": src, "sha256": sha256(f.data), "reason": reason,
                                     "notebook": notebook})
            continue
        if not notebook:
            if PurePosixPath(filename).name.lower() == "timestamp.txt":
                # The submission time is the LMS's (zip entry date) or the collection's, never
                # the student's: collect writes submitted/.../timestamp.txt itself.
                reason = "a timestamp.txt inside a submission is ignored (the time comes from the LMS)"
            elif is_notebook:
                reason = f"not a notebook of {unit}: {how}"
            else:
                reason = "not a notebook (not graded, not copied)"
            report.extra_files.append({"student": sid, "source": src, "sha256": sha256(f.data),
                                       "bytes": len(f.data), "reason": reason})
            continue
        late = who.late or (due_ts is not None and f.mtime > due_ts)
        name = roster_obj.rows[sid]["name"] if roster_obj else (who.name or "")
        candidates.append(Candidate(sid, notebook, src, f.data, f.mtime, late, how, name, who.lms_id))

    if unit_notebooks_seen == 0:
        raise CollectError(
            f"{source} holds no notebook of unit {unit} ({', '.join(sigs)}): wrong unit or wrong file? "
            "Nothing was written.")

    # Duplicates in this source: keep the newest (then the largest source path, for determinism).
    chosen: dict[tuple[str, str], Candidate] = {}
    for c in sorted(candidates, key=lambda c: (c.timestamp, c.source)):
        key = (c.student, c.notebook)
        if key in chosen:
            old = chosen[key]
            reason = "newer" if c.timestamp > old.timestamp else "same time; later path"
            report.duplicates.append({"student": c.student, "notebook": c.notebook, "kept": c.source,
                                      "dropped": old.source, "reason": f"kept the {reason} file"})
        chosen[key] = c

    # From here on we write: archive first, then the submissions, then the manifest.
    _archive(source, planned)
    report.archive = planned
    students = manifest.setdefault("students", {})
    touched: set[str] = set()
    for (sid, notebook), c in sorted(chosen.items()):
        entry = students.setdefault(sid, {"files": {}})
        if c.name and not entry.get("name"):
            entry["name"] = c.name
        if c.lms_id and not entry.get("lms_id"):
            entry["lms_id"] = c.lms_id  # a later name match from another LMS id is a conflict
        target = course.workspace / "submitted" / sid / unit / notebook
        old = entry["files"].get(notebook) if target.is_file() else None
        if old is None and target.is_file():
            old = _unrecorded(target)  # put there by hand: judged like any earlier submission
        when = utc_iso(c.timestamp)
        if old and old.get("sha256") == c.sha:
            report.actions.append((sid, notebook, "unchanged", f"same content as {old['source']}"))
            continue
        if old and parse_time(old["timestamp"]) >= c.timestamp:
            newer = "newer" if parse_time(old["timestamp"]) > c.timestamp else "equally old, earlier collected"
            report.actions.append((sid, notebook, "kept", f"kept {newer} submission from {old['timestamp']} "
                                   f"for {sid} (not replaced by {c.source} from {when})"))
            continue
        _write_atomic(target, c.data)
        action = "replaced" if old else "new"
        detail = f"{when}{' LATE' if c.late else ''} ({c.how}) from {c.source}"
        if old:
            detail += f"; older submission from {old['timestamp']} stays in {old['source']}"
        report.actions.append((sid, notebook, action, detail))
        entry["files"][notebook] = {"source": c.source, "sha256": c.sha, "timestamp": when, "late": c.late,
                                    "identified_by": c.how, "collected_at": utc_iso(now)}
        touched.add(sid)
    for sid in touched:
        times = [parse_time(f["timestamp"]) for f in students[sid]["files"].values()]
        _write_atomic(course.workspace / "submitted" / sid / unit / "timestamp.txt",
                      (utc_iso(max(times)) + "\n").encode())

    # Manifest: lists accumulate over collections (the same source path is listed once).
    for key, new in (("unmatched", report.unmatched), ("duplicates", report.duplicates),
                     ("extra_files", report.extra_files), ("refused", report.refused)):
        have = manifest.setdefault(key, [])
        known = {json.dumps(x, sort_keys=True) for x in have}
        have.extend(x for x in new if json.dumps(x, sort_keys=True) not in known)
    if due_ts is not None:
        manifest["due"] = utc_iso(due_ts)
    if roster_obj:
        manifest["roster"] = {sid: row["name"] for sid, row in roster_obj.rows.items()}
        # What the LMS knows each student by, for `export --format canvas|moodle`.
        manifest["people"] = {sid: {k: v for k, v in row.items() if v} for sid, row in roster_obj.rows.items()}
    manifest.setdefault("collections", []).append(
        {"archive": report.archive.relative_to(course.workspace).as_posix(), "kind": kind,
         "collected_at": utc_iso(now), "roster": str(Path(roster).resolve()) if roster else None})
    report.manifest = manifest_path(course, unit)
    _write_atomic(report.manifest, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    if due is not None:
        record_duedate(course, unit, due_ts, db_url)
    return report


def _name_conflicts(placed: list, manifest: dict) -> dict[tuple[str, str], str]:
    """{(student, LMS id): reason} for roster matches by name that more than one LMS id reaches.

    A display name is the student's to change ("alice   VICTIM"); the LMS id is not. When files
    of two different LMS ids land on one student and at least one got there by name only, or a
    name match disagrees with the LMS id an earlier collection recorded for that student, the
    name-matched files are collected for nobody (reported), never settled by which is newer."""
    reached: dict[str, set[str]] = {}
    for _f, who, _filename, sid, _how in placed:
        if sid and who.lms_id:
            reached.setdefault(sid, set()).add(who.lms_id)
    out = {}
    for _f, who, _filename, sid, how in placed:
        if sid is None or how != "name" or not who.lms_id:
            continue
        known = manifest.get("students", {}).get(sid, {}).get("lms_id")
        others = sorted((reached[sid] | ({known} if known else set())) - {who.lms_id})
        if others:
            out[sid, who.lms_id] = (f"conflict: {who.describe()} matches roster student {sid} by name only, "
                                    f"and LMS id {', '.join(others)} also reaches {sid}: not collected "
                                    f"(an lms_id column in the roster tells them apart)")
    return out


def _unrecorded(target: Path) -> dict:
    """A submitted notebook the manifest does not know: its time from timestamp.txt, else its mtime."""
    stamp_file = target.parent / "timestamp.txt"
    try:
        ts = parse_time(stamp_file.read_text())
    except (OSError, ValueError):
        ts = datetime.fromtimestamp(target.stat().st_mtime, tz=timezone.utc)
    return {"source": str(target), "sha256": sha256(target.read_bytes()), "timestamp": utc_iso(ts)}


def record_duedate(course: Course, unit: str, due_ts: datetime, db_url: str | None = None) -> None:
    """Store the due date as the gradebook assignment's duedate (naive UTC, nbgrader's convention)."""
    from nbgrader.api import Gradebook

    course.workspace.mkdir(parents=True, exist_ok=True)
    with Gradebook(gradebook_url(db_url or course.db_url)) as gb:
        gb.update_or_create_assignment(unit, duedate=due_ts.astimezone(timezone.utc).replace(tzinfo=None))


def main(course: Course, args) -> int:
    try:
        report = collect(course, args.unit, args.source, roster=getattr(args, "roster", None),
                         due=getattr(args, "due", None), db_url=getattr(args, "db_url", None))
    except CollectError as err:
        print(f"collect: error: {err}", file=sys.stderr)
        return 2
    except ValueError as err:  # a malformed --due
        print(f"collect: error: {err}", file=sys.stderr)
        return 2
    report.print()
    return 0
