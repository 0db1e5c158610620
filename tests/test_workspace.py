"""The student's workspace (autograder.workspace): work/ is a copy of units/ that a course fix
updates without losing answers; plus the release's raises-exception tags that let Run All finish."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import workspace
from autograder.release import RAISES, tag_cells_that_fail_unanswered
from autograder.workspace import Workspace, sha256

NB = "1-unit/01-first.ipynb"


def answer(grade_id: str, source: str = "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()"):
    return new_code_cell(source, metadata={"nbgrader": {"grade": False, "grade_id": grade_id, "locked": False,
                                                        "solution": True, "schema_version": 3}})


def graded_cell(grade_id: str, source: str):
    return new_code_cell(source, metadata={"nbgrader": {"grade": True, "grade_id": grade_id, "locked": True,
                                                        "points": 1, "solution": False, "schema_version": 3}})


def release_v1():
    return new_notebook(cells=[
        new_markdown_cell("# First"),
        answer("f"),
        graded_cell("test_f", "assert f() == 1"),
        new_code_cell("print('demo', f())"),
        answer("g", "def g():\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
        graded_cell("test_g", "assert g() == 2"),
    ])


def write(path: Path, nb) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def setup_course(tmp_path):
    units, work = tmp_path / "units", tmp_path / "work"
    write(units / NB, release_v1())
    return Workspace(units, work)


def fix_release(ws: Workspace):
    """A course fix: a corrected test and a new hint cell, keeping the other cells' ids."""
    nb = nbformat.read(ws.units / NB, as_version=4)
    nb.cells[2].source = "assert f() == 1, 'f must return 1'"
    nb.cells.insert(4, new_markdown_cell("Hint: g returns 2."))
    write(ws.units / NB, nb)


def answer_in_work(ws: Workspace):
    """The student answers f and g and adds two cells of their own."""
    path = ws.work / NB
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = "def f():\n    return 1"
    nb.cells[4].source = "def g():\n    return 2"
    nb.cells.insert(2, new_code_cell("f()  # my check"))      # after answer f
    nb.cells.insert(5, new_markdown_cell("my notes on the demo"))  # after the demo cell
    nbformat.write(nb, path)
    return path


def test_first_run_copies_the_release_and_records_its_hashes(tmp_path):
    ws = setup_course(tmp_path)
    before = (ws.units / NB).read_bytes()
    assert ws.sync() == []
    assert (ws.work / NB).read_bytes() == before == (ws.units / NB).read_bytes()
    manifest = json.loads((ws.work / workspace.MANIFEST).read_text())
    assert manifest["files"][NB]["sha256"] == sha256(ws.units / NB)
    assert manifest["files"][NB]["cell_ids"] == [c.id for c in release_v1_read(ws)]


def release_v1_read(ws):
    return nbformat.read(ws.units / NB, as_version=4).cells


def test_a_changed_release_is_named_and_the_students_file_left_alone(tmp_path, capsys):
    ws = setup_course(tmp_path)
    ws.sync()
    mine = answer_in_work(ws).read_bytes()
    assert ws.sync() == []
    fix_release(ws)
    assert ws.sync() == [NB]
    assert (ws.work / NB).read_bytes() == mine
    workspace.main(["status", "--course", str(tmp_path)])
    out = capsys.readouterr().out
    assert NB in out and "make update-work" in out


def test_new_release_notebooks_are_copied(tmp_path):
    ws = setup_course(tmp_path)
    ws.sync()
    write(ws.units / "2-next/01-more.ipynb", release_v1())
    assert ws.sync() == []
    assert (ws.work / "2-next/01-more.ipynb").exists()


def test_update_takes_the_fix_and_keeps_answers_and_added_cells(tmp_path):
    ws = setup_course(tmp_path)
    ws.sync()
    before = answer_in_work(ws).read_bytes()
    fix_release(ws)
    assert ws.update() == [NB]
    [backup] = (ws.work / "1-unit").glob("01-first.backup-*.ipynb")
    assert backup.read_bytes() == before
    merged = [c.source for c in nbformat.read(ws.work / NB, as_version=4).cells]
    assert merged == [
        "# First",
        "def f():\n    return 1",                     # the student's answer
        "f()  # my check",                            # their cell, after the same answer
        "assert f() == 1, 'f must return 1'",         # the fixed test
        "print('demo', f())",
        "my notes on the demo",
        "Hint: g returns 2.",                         # the release's new cell
        "def g():\n    return 2",
        "assert g() == 2",
    ]
    assert ws.changed() == [] and ws.sync() == []


def test_update_replaces_an_untouched_copy_without_backup(tmp_path):
    ws = setup_course(tmp_path)
    ws.sync()
    fix_release(ws)
    assert ws.update() == [NB]
    assert (ws.work / NB).read_bytes() == (ws.units / NB).read_bytes()
    assert list((ws.work / "1-unit").glob("*.backup-*")) == []


def test_lab_command_is_local_with_a_token_and_student_tools_only(tmp_path):
    cmd = workspace.lab_command(tmp_path, port=8888, token="t0k", browser=False)
    assert "--ServerApp.ip=127.0.0.1" in cmd and "--IdentityProvider.token=t0k" in cmd
    assert ("--allow-root" in cmd) == (os.geteuid() == 0)
    for ext in ("formgrader", "assignment_list", "course_list"):
        assert f"--ServerApp.jpserver_extensions=nbgrader.server_extensions.{ext}=False" in cmd
    page = json.loads((tmp_path / workspace.LAB_CONFIG / "page_config.json").read_text())
    assert set(page["disabledExtensions"]) == {f"@jupyter/nbgrader:{p}" for p in
                                               ("create-assignment", "formgrader", "assignment-list", "course-list", "menu")}
    assert "@jupyter/nbgrader:validate-assignment" not in page["disabledExtensions"]


def test_saved_notebooks_keep_no_widget_views_but_keep_figures_and_text(tmp_path):
    """The lab's pre-save hook: widget views (their models die with the kernel) leave the saved
    file, so a reopened notebook shows no "model not found"; images, text and other files stay."""
    assert "--ContentsManager.pre_save_hook=autograder.workspace.drop_widget_views" in workspace.lab_command(tmp_path)
    view = {"output_type": "display_data", "metadata": {},
            "data": {"text/plain": "interactive(...)", workspace.WIDGET_VIEW: {"model_id": "abc", "version_major": 2}}}
    image = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}}
    text = {"output_type": "stream", "name": "stdout", "text": "loss 0.1\n"}
    model = {"type": "notebook", "content": {"cells": [
        {"cell_type": "code", "source": "explore()", "outputs": [view, image, text]},
        {"cell_type": "markdown", "source": "# x"}]}}
    workspace.drop_widget_views(model=model, path="a.ipynb")
    assert model["content"]["cells"][0]["outputs"] == [image, text]
    assert model["content"]["cells"][1] == {"cell_type": "markdown", "source": "# x"}
    other = {"type": "file", "content": "text", "format": "text"}
    workspace.drop_widget_views(model=other, path="a.txt")
    assert other == {"type": "file", "content": "text", "format": "text"}


def test_the_plugin_ids_exist_in_the_installed_nbgrader():
    """The ids we disable are nbgrader's real ones (the old `nbgrader:*` names matched nothing)."""
    static = Path(sys.prefix) / "share/jupyter/labextensions/@jupyter/nbgrader/static"
    code = "".join(p.read_text(errors="ignore") for p in static.glob("*.js"))
    for plugin in workspace.LAB_DISABLED + ["@jupyter/nbgrader:validate-assignment"]:
        assert f'"{plugin}"' in code, f"{plugin} is not a plugin of the installed nbgrader labextension"


def test_workspace_module_does_not_import_torch():
    code = "import sys, autograder.workspace; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_release_tags_the_cells_that_fail_while_unanswered(tmp_path):
    nb = release_v1()
    nb.cells += [new_code_cell("table = {'f': f}"),          # uses an answer
                 new_code_cell("table['f']()"),               # through the cell above
                 new_code_cell("x = 1 + 1  # f is not called")]
    path = write(tmp_path / "nb.ipynb", nb)
    tag_cells_that_fail_unanswered(path)
    tagged = [RAISES in c.metadata.get("tags", []) for c in nbformat.read(path, as_version=4).cells]
    assert tagged == [False, False, True, True, False, True, True, True, False]


def test_a_student_file_of_the_same_name_gets_the_release_beside_it(tmp_path):
    ws = setup_course(tmp_path)
    mine = write(ws.work / NB, new_notebook(cells=[new_code_cell("my own work")])).read_bytes()
    assert ws.sync() == [NB]
    assert ws.update() == [NB]
    assert (ws.work / NB).read_bytes() == mine
    assert (ws.work / "1-unit/01-first.updated.ipynb").read_bytes() == (ws.units / NB).read_bytes()
