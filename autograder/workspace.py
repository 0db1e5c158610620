"""The student's workspace: `make lab` works on a copy of the release, never on units/ itself.

    python -m autograder.workspace lab      # copy units/ -> work/ once, then JupyterLab on work/
    python -m autograder.workspace status   # which release notebooks changed since the copy
    python -m autograder.workspace update   # take the changed ones, keeping the student's answers

Opening a notebook rewrites its metadata and autosave writes outputs, so working inside the
committed units/ turns the next `git pull` into a conflict. The first `lab` copies every file of
units/ into work/ (git-ignored) and records each file's sha256 and the release's cell ids in
work/.release.json. When a later release changes a notebook, `lab` and `status` name it; `update`
writes the new release notebook with the student's answers carried over (solution cells matched
by nbgrader grade_id, cells the student added put back after the same cell) and keeps the
student's previous file beside it as NN-name.backup-<time>.ipynb. New release files are copied.

JupyterLab runs with nbgrader's student tool only (Validate): see LAB_DISABLED and
SERVER_EXTENSIONS_OFF. Nothing here imports torch, so `make lab` starts fast.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MANIFEST = ".release.json"
LAB_CONFIG = ".lab-config"  # inside work/: hidden from the file browser, rewritten at each launch

# nbgrader 0.9's JupyterLab plugins (ids from its labextension's package, `@jupyter/nbgrader:*`;
# the old `nbgrader:*` names match nothing). Students keep validate-assignment (the Validate
# button). Off: the instructor tools, the assignment list and course list (hand-in goes through
# the LMS; without an exchange folder they only show "Error fetching courses!"), and the Nbgrader
# menu, which would offer nothing but those.
LAB_DISABLED = [
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:menu",
]
# The matching server extensions (their HTTP handlers, /formgrader among them).
SERVER_EXTENSIONS_OFF = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
]
# Setting defaults: no news/update prompt on a student's screen (and no requests to the web).
# (Widget saveState stays off. It would bring bars and controls back after a reopen, but as dead
# copies, a slider that redraws nothing until its cell runs again, and it puts every widget's
# state into each submission. drop_widget_views keeps widget views out of saved files instead.)
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_files(units: Path) -> list[str]:
    """Every file of the release, as paths relative to units/ (hidden files and checkpoints skipped)."""
    return sorted(p.relative_to(units).as_posix() for p in units.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(units).parts))


def cell_ids(path: Path) -> list[str]:
    return [c.get("id", "") for c in nbformat.read(path, as_version=4).cells]


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def is_answer(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


@dataclass
class Workspace:
    units: Path
    work: Path
    log: list[str] = field(default_factory=list)

    @property
    def manifest_path(self) -> Path:
        return self.work / MANIFEST

    def manifest(self) -> dict:
        if self.manifest_path.exists():
            return json.loads(self.manifest_path.read_text())
        return {"files": {}}

    def save_manifest(self, manifest: dict) -> None:
        self.manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")

    def _record(self, manifest: dict, rel: str) -> None:
        src = self.units / rel
        entry = {"sha256": sha256(src), "copied": time.strftime("%Y-%m-%dT%H:%M:%S")}
        if src.suffix == ".ipynb":
            entry["cell_ids"] = cell_ids(src)  # which cells were the release's, for update
        manifest["files"][rel] = entry

    def _copy(self, manifest: dict, rel: str) -> None:
        dest = self.work / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.units / rel, dest)
        self._record(manifest, rel)

    def changed(self) -> list[str]:
        """Release files whose content differs from what was copied into work/."""
        files = self.manifest()["files"]
        return [rel for rel in release_files(self.units)
                if rel in files and files[rel]["sha256"] != sha256(self.units / rel)]

    def sync(self) -> list[str]:
        """Copy what the student does not have yet (everything, the first time; later, new release
        files and ones the student deleted). Never touches an existing file. Returns the changed
        release files the student still has an older copy of."""
        self.work.mkdir(parents=True, exist_ok=True)
        manifest = self.manifest()
        copied = []
        for rel in release_files(self.units):
            if not (self.work / rel).exists():
                self._copy(manifest, rel)
                copied.append(rel)
            elif rel not in manifest["files"]:  # the student has a file of that name already
                self.log.append(f"{rel}: you have your own file of that name; `update` writes the release's beside it")
                manifest["files"][rel] = {"sha256": "", "cell_ids": []}
        self.save_manifest(manifest)
        if copied:
            self.log.append(f"copied {len(copied)} file(s) of the release into {self.work}")
        return self.changed()

    def update(self) -> list[str]:
        """Take every changed release file; returns what was written."""
        manifest = self.manifest()
        written = []
        for rel in self.changed():
            mine = self.work / rel
            if not mine.exists() or sha256(mine) == manifest["files"][rel]["sha256"]:
                shutil.copy2(self.units / rel, mine)  # untouched copy: nothing of the student's to keep
                self.log.append(f"{rel}: replaced by the new release (you had not changed it)")
            elif mine.suffix == ".ipynb" and manifest["files"][rel].get("cell_ids"):  # a copy of ours
                backup = mine.with_name(f"{mine.stem}.backup-{time.strftime('%Y%m%d-%H%M%S')}{mine.suffix}")
                shutil.copy2(mine, backup)
                merged, answers, added = merge(nbformat.read(self.units / rel, as_version=4),
                                               nbformat.read(mine, as_version=4),
                                               manifest["files"][rel].get("cell_ids", []))
                nbformat.write(merged, mine)
                self.log.append(f"{rel}: new release with your {answers} answer cell(s) and {added} cell(s) "
                                f"you added; your previous file is {backup.name}")
            else:
                beside = mine.with_name(f"{mine.stem}.updated{mine.suffix}")
                shutil.copy2(self.units / rel, beside)
                self.log.append(f"{rel}: you changed it, so the new release is beside it as {beside.name}")
            self._record(manifest, rel)
            written.append(rel)
        self.save_manifest(manifest)
        return written


def merge(release, mine, release_ids: list[str]):
    """The new release notebook with the student's work carried over.

    Answer cells (nbgrader solution cells) take the student's source, matched by grade_id.
    Cells the student added (ids not in the release they copied, `release_ids`) are inserted
    after the cell they followed (matched by id, or by grade_id for answer cells), or at the end
    when that cell is gone. Returns (notebook, answers carried, added cells carried).
    """
    theirs = {grade_id(c): c for c in mine.cells if is_answer(c) and grade_id(c)}
    answers = 0
    for cell in release.cells:
        if is_answer(cell) and grade_id(cell) in theirs:
            cell.source = theirs[grade_id(cell)].source
            answers += 1

    known = set(release_ids)
    def key(cell):
        return ("grade_id", grade_id(cell)) if is_answer(cell) and grade_id(cell) else ("id", cell.get("id"))
    position = {key(c): i for i, c in enumerate(release.cells)}
    inserts: dict[int, list] = {}  # index in release.cells -> added cells that go after it (-1: top)
    anchor, added = -1, 0
    for cell in mine.cells:
        if cell.get("id") in known or (is_answer(cell) and grade_id(cell)):
            anchor = position.get(key(cell), anchor)  # a release cell that is gone: keep the last one
            continue
        inserts.setdefault(anchor, []).append(cell)
        added += 1
    cells = list(inserts.get(-1, []))
    for i, cell in enumerate(release.cells):
        cells.append(cell)
        cells.extend(inserts.get(i, []))
    release.cells = cells
    return release, answers, added


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_widget_views(model: dict, **_) -> None:
    """The student lab's pre-save hook: a saved notebook keeps no widget views (explorer controls,
    tqdm bars). A widget's model lives in the kernel, so after a reopen JupyterLab can only show
    "Error displaying widget: model not found" where they were; the explorer's figure is a plain
    image output of its own and stays. The open document keeps its live widgets; only the file
    on disk loses them."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells", []):
        if cell.get("outputs"):
            cell["outputs"] = [o for o in cell["outputs"] if WIDGET_VIEW not in (o.get("data") or {})]


def write_lab_config(work: Path) -> Path:
    """JupyterLab's app settings folder for the student lab: page_config.json (plugins off) and
    overrides.json (setting defaults). Passed with --LabApp.app_settings_dir, so the venv and
    the user's own ~/.jupyter stay untouched, and anything they set explicitly still wins."""
    folder = work / LAB_CONFIG
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page_config.json").write_text(json.dumps({"disabledExtensions": {i: True for i in LAB_DISABLED}}, indent=1))
    (folder / "overrides.json").write_text(json.dumps(LAB_SETTINGS, indent=1))
    return folder


def lab_command(work: Path, port: int | None = None, token: str | None = None,
                browser: bool = True) -> list[str]:
    """The `jupyter lab` command line `make lab` runs (the browser test runs the same one)."""
    cmd = [sys.executable, "-m", "jupyterlab",
           f"--ServerApp.root_dir={work}",
           "--ServerApp.ip=127.0.0.1",  # this machine only; the token (random unless given) guards it
           f"--LabApp.app_settings_dir={write_lab_config(work)}"]
    # A command-line entry wins over the venv's jupyter_server_config.d (nbgrader enables all four).
    cmd += [f"--ServerApp.jpserver_extensions={name}=False" for name in SERVER_EXTENSIONS_OFF]
    cmd.append("--ContentsManager.pre_save_hook=autograder.workspace.drop_widget_views")
    if port is not None:
        cmd.append(f"--ServerApp.port={port}")
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if not browser:
        cmd.append("--no-browser")
    if os.geteuid() == 0:  # containers and CI run as root; Jupyter refuses that without the flag
        cmd.append("--allow-root")
    return cmd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.workspace", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["lab", "status", "update"])
    parser.add_argument("--course", default=".", help="course root (default: here)")
    parser.add_argument("--work", help="workspace folder (default: <course>/work)")
    parser.add_argument("--no-browser", action="store_true")
    args, lab_args = parser.parse_known_args(argv)
    root = Path(args.course).resolve()
    ws = Workspace(root / "units", Path(args.work).resolve() if args.work else root / "work")
    if args.command == "update":
        ws.sync()
        written = ws.update()
        for line in ws.log:
            print(line)
        print(f"updated {len(written)} file(s)" if written else "work/ already has the current release")
        return 0
    changed = ws.sync()
    for line in ws.log:
        print(line)
    if changed:
        print("The release changed since your copy (a course fix): " + ", ".join(changed))
        print("Run `make update-work` to take it: your answers are carried over and your file is backed up first.")
    elif args.command == "status":
        print(f"{ws.work} has the current release")
    if args.command == "lab":
        cmd = lab_command(ws.work, browser=not args.no_browser) + lab_args
        os.execv(cmd[0], cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
