"""`autograder execute` on the fixture course, and the README table made from its metrics.json."""
from __future__ import annotations

import contextlib
import io
import json
import platform
import shutil
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from autograder import metrics_table
from autograder.cli import main as cli_main
from autograder.course import Course
from autograder.execute import PROBE_TAG, execute

FIXTURE = Path(__file__).resolve().parent / "fixture_course"


def _notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for cell in cells:
        tag, source = cell if isinstance(cell, tuple) else (None, cell)
        new = nbformat.v4.new_code_cell(source)
        if tag:
            new.metadata.tags = [tag]
        nb.cells.append(new)
    return nb


PARAMETERS = ("parameters", 'SMOKE = False\nDEVICE = "auto"\nSEED = 0')


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """The fixture course plus a notebook that reports metrics, a broken one and an endless one."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE / "solutions", root / "solutions")
    unit = root / "solutions" / "1-fixture"
    nbformat.write(_notebook(
        "import coursekit", PARAMETERS,
        "run = coursekit.setup(seed=SEED, smoke=SMOKE, device=DEVICE, plots=False)\n"
        "import os\nprint(SMOKE, DEVICE, run.smoke, run.device, os.environ['COURSE_HEADLESS'])",
        'coursekit.report_metric("loss", 0.1, target=0.2, direction="min")\n'
        'coursekit.report_metric("accuracy", 0.5, target=0.9)',
        "print('after the metrics')\n"
        'coursekit.report_metric("recall", 0.25, target=0.5)',
    ), unit / "02-metrics.ipynb")
    nbformat.write(_notebook(
        PARAMETERS, "x = 1", "def f():\n    raise ValueError('boom')\n\nf()", "print('never runs')",
    ), unit / "03-broken.ipynb")
    (root / "solutions" / "2-endless").mkdir()
    nbformat.write(_notebook("import time\nprint('started')", "while True:\n    time.sleep(0.05)"),
                   root / "solutions" / "2-endless" / "01-endless.ipynb")
    return Course(root)


@pytest.fixture(scope="module")
def smoke(course):
    """`autograder execute --unit 1 --smoke --device cpu --jobs 2` through the CLI."""
    out = course.root / "executed-smoke"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = cli_main(["--course", str(course.root), "execute", "--unit", "1", "--smoke", "--device", "cpu",
                         "--jobs", "2", "--out", str(out)])
    report = json.loads((out / "metrics.json").read_text())
    return code, stdout.getvalue(), report, {r["notebook"].split("/")[-1]: r for r in report["notebooks"]}, out


@pytest.fixture(scope="module")
def full(course):
    """The same unit in full mode, through the Python API."""
    out = course.root / "executed-full"
    records = execute(course, units="1", smoke=False, device="cpu", jobs=2, out=out, progress=None)
    return {r["notebook"].split("/")[-1]: r for r in records}, out


def test_metrics_json_fields_are_present_and_sane(smoke):
    code, _, report, records, out = smoke
    assert report["mode"] == "smoke" and report["device"] == "cpu"
    assert set(records) == {"01-fixture.ipynb", "02-metrics.ipynb", "03-broken.ipynb"}
    for name in ("01-fixture.ipynb", "02-metrics.ipynb"):
        r = records[name]
        assert r["status"] == "ok" and r["error"] is None, r
        assert 0 < r["cells_seconds"] < r["wall_seconds"] < 120
        assert 20 < r["peak_host_mib"] < 16 * 1024  # a python kernel: tens of MiB at least
        assert r["peak_gpu_mib"] is None  # CPU run
        assert r["device"] == "cpu" and "cores" in r["device_name"]
        assert r["versions"]["python"] == platform.python_version()
        assert r["versions"]["torch"].split("+")[0] == metadata.version("torch").split("+")[0]
        assert r["versions"]["torchvision"].split("+")[0] == metadata.version("torchvision").split("+")[0]
        executed = nbformat.read(out / r["executed"], as_version=4)
        assert not any(PROBE_TAG in c.metadata.get("tags", []) for c in executed.cells), "probe cell left behind"
        assert all(c.execution_count for c in executed.cells if c.cell_type == "code")  # every cell ran
    # the torch notebook needs more memory than the numpy-only one
    assert records["02-metrics.ipynb"]["peak_host_mib"] > records["01-fixture.ipynb"]["peak_host_mib"]


def test_parameters_and_environment_reach_the_kernel(smoke):
    *_, out = smoke
    executed = nbformat.read(out / "1-fixture" / "02-metrics.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "SMOKE = True" in injected[0].source and 'DEVICE = "cpu"' in injected[0].source
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "True cpu True cpu 1" in printed


def test_a_failing_notebook_names_cell_and_error_and_the_others_still_run(smoke):
    code, stdout, _, records, out = smoke
    assert code != 0
    broken = records["03-broken.ipynb"]
    assert broken["status"] == "failed"
    error = broken["error"]
    assert error["ename"] == "ValueError" and error["evalue"] == "boom"
    assert error["cell_index"] == 2  # counted in the source notebook (papermill's injected cell excluded)
    assert "raise ValueError('boom')" in error["source"]
    assert (out / "1-fixture" / "03-broken.ipynb").exists()  # papermill's error cell is in there
    assert "cell 2" in stdout and "ValueError: boom" in stdout and "03-broken.ipynb" in stdout
    assert records["01-fixture.ipynb"]["status"] == records["02-metrics.ipynb"]["status"] == "ok"


def test_a_missed_target_is_only_reported_in_smoke_mode(smoke):
    *_, records, _ = smoke
    r = records["02-metrics.ipynb"]
    metrics = {m["name"]: m for m in r["metrics"]}
    assert r["status"] == "ok"
    assert metrics["accuracy"] == {"name": "accuracy", "value": 0.5, "target": 0.9, "direction": "max",
                                   "passed": False, "smoke": True}
    assert metrics["loss"]["passed"] is True and metrics["loss"]["direction"] == "min"


def test_a_missed_target_fails_full_mode_naming_every_missed_metric(full):
    records, out = full
    r = records["02-metrics.ipynb"]
    assert r["status"] == "missed_target"
    assert r["error"]["metric"] == "accuracy" and r["error"]["metrics"] == ["accuracy", "recall"]
    assert "accuracy = 0.5 missed its target >= 0.9" in r["error"]["message"]
    assert "recall = 0.25 missed its target >= 0.5" in r["error"]["message"]
    # the first miss did not stop the notebook: the cells after it ran and reported too
    assert [m["name"] for m in r["metrics"]] == ["loss", "accuracy", "recall"]
    executed = nbformat.read(out / r["executed"], as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "after the metrics" in printed and not any(o.get("output_type") == "error"
                                                      for c in executed.cells for o in c.get("outputs", []))
    assert all(m["smoke"] is False for m in r["metrics"])
    assert records["01-fixture.ipynb"]["status"] == "ok"
    assert records["03-broken.ipynb"]["status"] == "failed"
    assert json.loads((out / "metrics.json").read_text())["mode"] == "full"


def _spec(course, tmp_path) -> dict:
    source = course.solutions / "1-fixture" / "03-broken.ipynb"
    return {"input": str(source), "output": str(tmp_path / "out.ipynb"), "parameters": {"SMOKE": True, "DEVICE": "cpu"},
            "cwd": str(source.parent), "smoke": True, "cell_timeout": 60}


def test_a_kernel_that_did_not_start_is_started_again(course, tmp_path, monkeypatch):
    """Kernels started at once can race for a TCP port; the notebook is run again, up to three tries."""
    import papermill

    from autograder import execute as execute_module

    calls = []

    def flaky(input_path, output_path, **kwargs):
        calls.append(input_path)
        if len(calls) == 1:
            raise RuntimeError(execute_module.KERNEL_NEVER_STARTED)
        nbformat.write(nbformat.read(input_path, as_version=4), output_path)   # "ran": nothing failed

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    result = execute_module.run_one(_spec(course, tmp_path))
    assert len(calls) == 2, f"expected a second try after the kernel failed to start, got {len(calls)} call(s)"
    assert result["status"] == "ok" and result["error"] is None, result

    def always(message):
        def fail(input_path, output_path, **kwargs):
            calls.append(input_path)
            raise RuntimeError(message)
        return fail

    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", always(execute_module.KERNEL_NEVER_STARTED))
    result = execute_module.run_one(_spec(course, tmp_path))
    assert len(calls) == execute_module.KERNEL_START_TRIES, f"expected {execute_module.KERNEL_START_TRIES} tries, got {len(calls)}"
    assert result["status"] == "failed" and result["error"]["evalue"] == execute_module.KERNEL_NEVER_STARTED, result

    calls.clear()   # any other failure is not retried: the notebook may have run cells already
    monkeypatch.setattr(papermill, "execute_notebook", always("Kernel died"))
    result = execute_module.run_one(_spec(course, tmp_path))
    assert len(calls) == 1 and result["status"] == "failed" and result["error"]["evalue"] == "Kernel died", result


def test_the_time_limit_kills_an_endless_notebook(course):
    import psutil
    out = course.root / "executed-endless"
    before = {p.pid for p in psutil.process_iter()}
    [r] = execute(course, units="2", smoke=True, device="cpu", out=out, timeout=6, progress=None)
    assert r["status"] == "timed_out"
    assert "6 s" in r["error"]["message"]
    assert 6 <= r["wall_seconds"] < 30
    # nothing it started is left running (the kernel runs in a session of its own)
    leftover = [p for p in psutil.process_iter(["cmdline"]) if p.pid not in before
                and "ipykernel_launcher" in " ".join(p.info["cmdline"] or []) and p.status() != psutil.STATUS_ZOMBIE]
    assert not [p for p in leftover if any(str(out) in c or "01-endless" in c for c in p.info["cmdline"] or [])]
    assert json.loads((out / "metrics.json").read_text())["notebooks"][0]["status"] == "timed_out"


# -------------------------------------------------------------------------------- metrics table

def _run(mode, device, notebooks, created="2026-01-02T03:04:05+00:00"):
    return {"created": created, "mode": mode, "device": device, "notebooks": notebooks}


def _rec(notebook, mode, device, device_name, seconds, status="ok", metrics=()):
    return {"notebook": notebook, "mode": mode, "status": status, "cells_seconds": seconds,
            "wall_seconds": seconds + 3, "device": device, "device_name": device_name,
            "versions": {"python": "3.11.7", "torch": "2.11.0", "torchvision": "0.26.0"}, "metrics": list(metrics)}


ACC = {"name": "test_accuracy", "value": 0.981, "target": 0.97, "direction": "max", "passed": True, "smoke": False}


def test_metrics_table_renders_one_row_per_notebook_with_the_machines():
    cpu = "AMD EPYC (2 cores)"
    runs = [
        _run("smoke", "cpu", [_rec("1-a/01-x.ipynb", "smoke", "cpu", cpu, 4.2), _rec("1-a/02-y.ipynb", "smoke", "cpu", cpu, 7.0)]),
        _run("full", "cpu", [_rec("1-a/01-x.ipynb", "full", "cpu", cpu, 120.5, metrics=[ACC]),
                             _rec("1-a/02-y.ipynb", "full", "cpu", cpu, 301.0, status="timed_out")]),
        _run("full", "cuda", [_rec("1-a/01-x.ipynb", "full", "cuda", "NVIDIA H100 80GB HBM3", 11.25, metrics=[ACC])]),
    ]
    runs[2]["jobs"] = 4   # four notebooks shared the GPU: the note says so
    table = metrics_table.render(runs)
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows[0] == ("| `1-a/01-x.ipynb` | 4.2 | 120.5 | test_accuracy = 0.981 (target ≥ 0.97) | 11.2 | "
                       "test_accuracy = 0.981 (target ≥ 0.97) |")
    assert rows[1] == "| `1-a/02-y.ipynb` | 7.0 | 301.0 (timed out) | – | – | – |"
    assert "full on GPU: NVIDIA H100 80GB HBM3 (up to 4 notebooks at once)" in table
    assert "smoke on CPU: AMD EPYC (2 cores);" in table


def test_metrics_table_updates_only_the_marked_readme_section(smoke, tmp_path):
    *_, out = smoke
    before = "# Course\n\nIntro text.\n\n## Measured\n\n"
    after = "\n\n## Dependencies\n\nUntouched | text | with pipes.\n"
    readme = tmp_path / "README.md"
    readme.write_text(before + f"{metrics_table.BEGIN}\nstale table\n{metrics_table.END}" + after)
    assert metrics_table.main([str(out / "metrics.json"), "--readme", str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith(before) and text.endswith(after)
    section = text[text.index(metrics_table.BEGIN):text.index(metrics_table.END)]
    assert "stale table" not in section
    assert "| `1-fixture/01-fixture.ipynb` |" in section
    assert "(failed)" in section.split("1-fixture/03-broken.ipynb")[1].splitlines()[0]
    assert "accuracy = 0.5 (target ≥ 0.9, missed)" not in section  # smoke runs have no metric column
    # idempotent: a second run leaves the file as it is
    metrics_table.main([str(out / "metrics.json"), "--readme", str(readme)])
    assert readme.read_text() == text


def test_metrics_table_appends_a_section_to_a_readme_without_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Course\n\nNo table yet.\n")
    metrics = tmp_path / "metrics.json"
    metrics.write_text(json.dumps(_run("smoke", "cpu", [_rec("1-a/01-x.ipynb", "smoke", "cpu", "cpu (2 cores)", 1.0)])))
    metrics_table.main([str(metrics), "--readme", str(readme)])
    text = readme.read_text()
    assert text.startswith("# Course\n\nNo table yet.\n\n## Measured\n\n" + metrics_table.BEGIN)
    assert text.rstrip().endswith(metrics_table.END)


def test_sigterm_stops_the_run_and_kills_the_kernels(course):
    """A cancelled CI job sends SIGTERM: no kernel may outlive the run (it would hold the GPU)."""
    import signal
    import subprocess
    import sys
    import time

    import psutil
    proc = subprocess.Popen([sys.executable, "-m", "autograder.execute", "--course", str(course.root), "--unit", "2",
                             "--timeout", "120", "--out", str(course.root / "executed-sigterm")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    kernels = []
    while time.time() < deadline and not kernels:
        time.sleep(0.2)
        kernels = [p for p in psutil.Process(proc.pid).children(recursive=True)
                   if "ipykernel_launcher" in " ".join(p.cmdline())]
    assert kernels, "the kernel never started"
    descendants = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGTERM)
    try:  # generous: on a loaded machine the kernels' shutdown can take a while
        out, _ = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("autograder.execute did not exit within 120 s of SIGTERM") from None
    assert proc.returncode == 128 + signal.SIGTERM, out
    gone, alive = psutil.wait_procs(descendants, timeout=30)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], out


REAL = Course.at(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("name", [f"{u}/{n}" for u in REAL.units() for n in REAL.notebooks(u)])
def test_every_parameter_of_a_real_notebook_is_seen_by_papermill(name):
    """A parameter line papermill's parser cannot read (a comment holding `=` or a quote) is
    silently left out of `papermill --help-notebook`, where an instructor looks up what a run
    can set (`papermill -p EPOCHS 40 ...`)."""
    import ast

    from papermill.translators import PythonTranslator

    nb = nbformat.read(REAL.solutions / name, as_version=4)
    [cell] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assigned = {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    seen = {p.name for p in PythonTranslator.inspect(cell)}
    assert assigned <= seen, f"{name}: papermill cannot parse the line of {sorted(assigned - seen)} (rewrite its comment)"
