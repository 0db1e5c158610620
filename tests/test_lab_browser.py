"""The student's JupyterLab, driven by headless Chromium: started exactly as `make lab` starts it
(autograder.workspace.lab_command, as root when we are root) on a temporary workspace copy of
units/, with COURSE_SMOKE=1 for the kernels.

Unanswered notebook: Run All gets past the failing graded cells, Validate lists the failures.
The same notebook with the solutions' answers pasted in: Validate says Success!, an explorer's
slider redraws its figure, the saved file keeps that figure as a plain image and no widget views,
so the notebook reopened with a fresh kernel shows no "model not found". No instructor tool
is reachable. Screenshots go to build/screenshots/ (printed at the end of each test).

Needs Debian's `chromium` and `chromium-driver` (`make system-deps`); installed here when missing
and root, skipped (with the reason) when missing and not root.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder.workspace import Workspace, lab_command

REPO = Path(__file__).resolve().parents[1]
NB = "1-pytorch-basics/01-tensors-autograd.ipynb"
COMPLETE = "1-pytorch-basics/01-tensors-autograd.complete.ipynb"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = REPO / "build" / "screenshots"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the active tab (others stay in the DOM)
START_S, RUN_ALL_S, VALIDATE_S, UI_S = 180, 600, 600, 60  # generous: two shared CPUs suffice


def _browser_installed() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@pytest.fixture(scope="module")
def chromium():
    if not _browser_installed():
        if os.geteuid() != 0:
            pytest.skip("chromium/chromedriver missing and not root: run `sudo make system-deps` "
                        "(or `sudo apt-get install chromium chromium-driver`)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"], check=True, env=env)
        assert _browser_installed(), "apt-get install chromium chromium-driver left no /usr/bin/chromium{,driver}"
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)  # --no-sandbox: Chromium's own sandbox refuses to run as root
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _solution_answers() -> dict[str, str]:
    """grade_id -> the solution notebook's answer, markers removed (what a student would write)."""
    nb = nbformat.read(REPO / "solutions" / NB, as_version=4)
    return {c.metadata.nbgrader["grade_id"]: "\n".join(line for line in c.source.splitlines()
                                                        if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab`'s server on a temporary workspace; yields (base url, token, work folder)."""
    work = tmp_path_factory.mktemp("lab") / "work"
    Workspace(REPO / "units", work).sync()
    nb = nbformat.read(work / NB, as_version=4)
    answers = _solution_answers()
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            gid = cell.metadata.nbgrader["grade_id"]
            assert gid in answers, f"{gid} is in units/ but not in solutions/: run `autograder release`"
            cell.source = answers[gid]
    nbformat.write(nb, work / COMPLETE)

    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_HEADLESS", "COURSE_GRADING")}
    env.update(COURSE_SMOKE="1", COURSE_DEVICE="cpu")
    log = open(work.parent / "lab.log", "w")
    # cwd = the course root, as under `make lab` (nbgrader's Validate reads nbgrader_config.py there)
    proc = subprocess.Popen(lab_command(work, port=port, token=token, browser=False),
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_S
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not answer within {START_S}s (exit {proc.poll()}):\n"
                            + (work.parent / "lab.log").read_text()[-3000:])
            time.sleep(1)
    yield base, token, work
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def wait_for(what: str, seconds: float, check, driver=None, shot: str | None = None):
    """Poll check() until it returns something truthy; fail naming `what` and the limit."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
        except Exception:  # the page is still changing under us (stale elements)
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            if driver is not None and shot:
                screenshot(driver, shot)
            pytest.fail(f"timed out after {seconds}s waiting for {what}")
        time.sleep(0.5)


def screenshot(driver, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


def by_css(driver, css):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, css)


def menu(driver, top: str, item: str):
    """Click a main-menu entry, e.g. menu(driver, "Run", "Run All Cells")."""
    [bar] = [e for e in by_css(driver, ".lm-MenuBar-itemLabel") if e.text == top]
    bar.click()
    entry = wait_for(f"menu item {top} > {item}", UI_S, lambda: [e for e in by_css(driver, ".lm-Menu-itemLabel")
                                                                   if e.text == item])
    entry[0].click()


def open_notebook(driver, lab, path: str):
    base, token, _ = lab
    driver.get(f"{base}/lab/tree/{path}?token={token}")
    wait_for(f"{path} to open with an idle kernel", START_S,
             lambda: by_css(driver, f"{PANEL} .jp-Cell") and
             "| Idle" in by_css(driver, "#jp-main-statusbar")[0].text,
             driver, "open-timeout")


def run_all_and_save(driver, lab, path: str) -> nbformat.NotebookNode:
    """Run All, wait until every code cell has run, save; returns the saved notebook."""
    work = lab[2]
    n_code = sum(c.cell_type == "code" for c in nbformat.read(work / path, as_version=4).cells)
    menu(driver, "Run", "Run All Cells")

    def all_ran():
        prompts = [e.text for e in by_css(driver, f"{PANEL} .jp-CodeCell .jp-InputPrompt")]
        return len(prompts) == n_code and all(p.strip("[]: ").isdigit() for p in prompts)
    wait_for(f"Run All to finish all {n_code} code cells of {path}", RUN_ALL_S, all_ran, driver, "run-all-timeout")
    saved_before = (work / path).stat().st_mtime
    menu(driver, "File", "Save Notebook")
    wait_for(f"{path} to be saved", UI_S, lambda: (work / path).stat().st_mtime > saved_before)
    return nbformat.read(work / path, as_version=4)


def validate(driver) -> str:
    """Press Validate; returns the dialog's text (the dialog is closed)."""
    buttons = [b for b in by_css(driver, f"{PANEL} .validate-button")]  # the toolbar's jp-button
    assert buttons, "no Validate button in the notebook toolbar"
    buttons[0].click()
    dialog = wait_for("the Validate dialog", VALIDATE_S,
                      lambda: [d for d in by_css(driver, ".jp-Dialog") if d.text.strip()], driver, "validate-timeout")
    text = dialog[0].text
    return text


def close_dialog(driver):
    by_css(driver, ".jp-Dialog .jp-mod-accept, .jp-Dialog button")[-1].click()
    wait_for("the dialog to close", UI_S, lambda: not by_css(driver, ".jp-Dialog"))


def test_unanswered_notebook_runs_all_and_validate_lists_failures(chromium, lab):
    driver = chromium
    open_notebook(driver, lab, NB)
    screenshot(driver, "01-opened")
    nb = run_all_and_save(driver, lab, NB)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first_test = next(i for i, c in enumerate(code) if c.metadata.get("nbgrader", {}).get("grade"))
    assert any(o.output_type == "error" for o in code[first_test].outputs), "the first graded cell should fail unanswered"
    ran_after = [c for c in code[first_test + 1:] if c.execution_count]
    assert len(ran_after) == len(code) - first_test - 1, "Run All stopped after the first graded test cell"
    assert any(o.output_type != "error" for c in ran_after for o in c.outputs), "no cell after the first test produced output"
    screenshot(driver, "02-unanswered-run-all")
    text = validate(driver)
    screenshot(driver, "03-unanswered-validate")
    close_dialog(driver)
    assert "Success" not in text and "failed" in text.lower(), text[:2000]
    assert "NotImplementedError" in text, text[:2000]


def test_answered_notebook_validates_and_explorer_redraws(chromium, lab):
    from selenium.webdriver.common.action_chains import ActionChains
    driver = chromium
    open_notebook(driver, lab, COMPLETE)
    nb = run_all_and_save(driver, lab, COMPLETE)
    assert not [c.source[:60] for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]

    text = validate(driver)
    screenshot(driver, "04-answered-validate")
    close_dialog(driver)
    assert "Success! Your notebook passes all the tests." in text, text[:2000]

    # The explorer: a widget with the sliders, then the figure as a plain image output.
    cells = [c for c in by_css(driver, f"{PANEL} .jp-CodeCell") if "coursekit.explore(" in c.text]
    assert cells, "no explorer cell on the page"
    cell = cells[0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)

    def figure():
        imgs = [i for i in cell.find_elements("css selector", ".jp-OutputArea-output img")
                if not i.find_elements("xpath", "ancestor::*[contains(@class,'jupyter-widgets')]")]
        return imgs[-1].get_attribute("src") if imgs else None
    before = wait_for("the explorer's figure", UI_S, figure, driver, "explorer-timeout")
    assert "<function" not in cell.text, "explore printed its return value"
    handle = wait_for("the explorer's slider", UI_S, lambda: cell.find_elements("css selector", ".noUi-handle"))
    screenshot(driver, "05-explorer-before")
    ActionChains(driver).drag_and_drop_by_offset(handle[0], 60, 0).perform()
    after = wait_for("the figure to change after moving the slider", UI_S,
                     lambda: (figure() or before) != before and figure(), driver, "explorer-no-redraw")
    assert after != before
    screenshot(driver, "06-explorer-after")

    saved_before = (lab[2] / COMPLETE).stat().st_mtime
    menu(driver, "File", "Save Notebook")
    wait_for("the notebook to be saved", UI_S, lambda: (lab[2] / COMPLETE).stat().st_mtime > saved_before)
    saved = nbformat.read(lab[2] / COMPLETE, as_version=4)
    [explorer] = [c for c in saved.cells if "coursekit.explore(" in c.source]
    images = [o for o in explorer.outputs if "image/png" in o.get("data", {})]
    assert images, "the saved explorer cell keeps no plain image output"
    assert not any("<function" in o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for o in explorer.outputs), "a stray <function ...> output"
    views = [c.source[:40] for c in saved.cells for o in c.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert not views, f"the saved file keeps widget views (dead after a reopen): {views}"

    # Reopened with a fresh kernel: the figure is still there, and no widget error (the saved file
    # has no widget views; the controls come back when the cell runs again).
    base, token, _ = lab
    for kernel in json.load(urllib.request.urlopen(f"{base}/api/kernels?token={token}")):
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}",
                                                      method="DELETE"))
    open_notebook(driver, lab, COMPLETE)
    cell = wait_for("the reopened explorer cell", UI_S, lambda: [c for c in by_css(driver, f"{PANEL} .jp-CodeCell")
                                                                 if "coursekit.explore(" in c.text])[0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    wait_for("the reopened explorer's figure", UI_S, figure, driver, "reopen-timeout")
    screenshot(driver, "07-explorer-reopened")
    page = driver.find_element("css selector", PANEL).get_attribute("innerText")
    assert "model not found" not in page and "Error displaying widget" not in page, "a dead widget on reopen"


def test_no_instructor_tool_is_reachable(chromium, lab):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    driver = chromium
    base, token, _ = lab
    for url in ("/formgrader", "/formgrader/api/assignments", "/assignments", "/courses"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{base}{url}?token={token}", timeout=30)
        assert e.value.code == 404, f"{url} answered {e.value.code}"
    open_notebook(driver, lab, NB)
    menus = [e.text for e in by_css(driver, ".lm-MenuBar-itemLabel")]
    assert "Nbgrader" not in menus, menus
    # the command palette, searched for every instructor tool
    ActionChains(driver).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("c") \
        .key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    wait_for("the command palette", UI_S, lambda: [e for e in by_css(driver, ".lm-CommandPalette-input")
                                                  if e.is_displayed()], driver, "palette-timeout")
    for word in ("Run All Cells", "Formgrader", "Create Assignment", "Assignment List", "Course List", "nbgrader"):
        # typed into the focused search box (the modal palette closes when it loses focus)
        ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL) \
            .send_keys(Keys.BACKSPACE).send_keys(word).perform()
        time.sleep(0.5)
        items = [e.text for e in by_css(driver, ".lm-CommandPalette-item") if e.is_displayed()]
        screenshot(driver, "08-palette")
        offered = [i for i in items if word.lower() in i.lower()]
        if word == "Run All Cells":  # the search itself works: a student command is found
            assert offered, f"the palette search found no {word!r}: {items}"
        else:
            assert not offered, f"palette offers {word}: {items}"
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    page = driver.find_element("css selector", "body").get_attribute("innerText")
    for word in ("Formgrader", "Create Assignment", "Error fetching courses", "exchange directory"):
        assert word not in page, f"{word!r} is on the page"
    assert by_css(driver, ".validate-button"), "the Validate button is missing"
    screenshot(driver, "09-student-lab")
    print(f"screenshots in {SHOTS}")
