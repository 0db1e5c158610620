"""Run the solution notebooks with papermill and record what they cost and what they reach.

    autograder execute [--unit N] [--notebook STEM] [--smoke|--full] [--device auto|cpu|cuda] [--jobs N] [--out DIR]

Each notebook runs in its own child process (`python -m autograder.execute --one SPEC`), which
runs papermill, so that

- the whole-notebook time limit is enforced by killing the child and its kernel (status
  "timed_out"), whatever the kernel is doing;
- a kernel that died before it answered (two kernels started at once can race for one TCP port)
  is started again, up to three tries;
- the host peak memory is exact: the kernel is a waited child of that process, so
  `getrusage(RUSAGE_CHILDREN).ru_maxrss` there is the kernel's peak resident set size.

The parameters SMOKE and DEVICE (and SEED when given) are injected into the notebook's
`parameters` cell, and COURSE_SMOKE / COURSE_DEVICE / COURSE_HEADLESS=1 are set in the kernel's
environment so code that reads them agrees. A probe cell appended to the notebook copy reports,
from inside the kernel, the device the notebook ran on, its GPU peak memory and the python /
torch / torchvision versions; the probe cell is removed from the executed notebook again, so an
executed notebook has the source's cells plus papermill's injected-parameters cell (and, when a
cell failed, papermill's error markers).

Metrics are the records `coursekit.report_metric` displays (MIME type coursekit.METRIC_MIME),
collected from the executed notebook's outputs. Statuses: "ok"; "failed" (names the cell and the
error); "timed_out"; "missed_target" (full mode: metrics missed their targets; names each one;
the notebook still ran to its end, since report_metric never raises). A metric that misses its
target in smoke mode is only reported.

Writes DIR/<unit>/<notebook>.ipynb (executed) and DIR/metrics.json, prints a table, and `main`
returns non-zero when any notebook is not "ok".
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata as _metadata
from pathlib import Path

from .course import Course

METRIC_MIME = "application/vnd.coursekit.metric+json"  # = coursekit.METRIC_MIME (no torch import here)
PROBE_MIME = "application/vnd.autograder.probe+json"
PROBE_TAG = "autograder-probe"
# Kernels started at once pick their TCP ports before binding them, so two can race for one port
# (seen with --jobs 16 on a 16-core machine: "Address already in use", then nbclient's message
# below). No cell has run then, so the notebook is simply started again.
KERNEL_NEVER_STARTED = "Kernel died before replying to kernel_info"
KERNEL_START_TRIES = 3
INJECTED_TAG = "injected-parameters"  # papermill's tag on the cell it inserts
ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill's tag on its error-marker cells
KERNEL = "python3"
DEFAULT_TIMEOUT = {True: 300, False: 1800}  # seconds per notebook: smoke, full
STATUSES = ("ok", "failed", "timed_out", "missed_target")

# Runs as the last cell of the notebook copy, inside the kernel. It imports nothing heavy that
# the notebook did not import already: CUDA statistics only when the notebook used CUDA.
PROBE_SOURCE = '''\
def _autograder_probe():
    import json, os, platform, sys
    from importlib import metadata
    from IPython.display import display

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    def cpu_name():
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith("model name"):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or platform.machine()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    record = {"python": platform.python_version(), "torch": version("torch"),
              "torchvision": version("torchvision"), "device": "cpu",
              "device_name": f"{cpu_name()} ({cores} cores)", "peak_gpu_mib": None}
    torch = sys.modules.get("torch")
    coursekit = sys.modules.get("coursekit")
    if torch is not None:
        record["torch"] = torch.__version__
        tv = sys.modules.get("torchvision")
        if tv is not None:
            record["torchvision"] = tv.__version__
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            record["device"] = "cuda"
            record["device_name"] = torch.cuda.get_device_name()
            record["peak_gpu_mib"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
        elif coursekit is not None and str(coursekit.current().device).startswith("mps"):
            record["device"] = "mps"
            record["device_name"] = "Apple MPS"
    display({"%s": record, "text/plain": json.dumps(record)}, raw=True)

_autograder_probe()
del _autograder_probe
''' % PROBE_MIME


# ----------------------------------------------------------------------------------- parent side

def _select_units(course: Course, units) -> list[str]:
    if units is None:
        return course.units()
    if isinstance(units, (str, int)):
        units = [units]
    return [course.unit(u) for u in units]


def execute(course: Course, units=None, smoke: bool = True, device: str = "auto", jobs: int = 1,
            out: Path | str = Path("executed"), timeout: float | None = None, seed: int | None = None,
            progress=print, notebook: str | None = None) -> list[dict]:
    """Run the solution notebooks of `units` (default: all) and write `out`/metrics.json.

    `units`: None, a unit key ("1", "1-pytorch-basics") or a list of them. `timeout`: seconds per
    notebook (default 300 in smoke mode, 1800 in full mode). `jobs`: notebooks run at once.
    `progress`: a print-like callable told about each finished notebook (None: quiet).
    `notebook`: only the notebook with this file name or stem.
    Returns one record per notebook (the "notebooks" list of metrics.json). On an interrupt
    (KeyboardInterrupt, SystemExit) every running notebook and its kernel are killed first.
    """
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    timeout = DEFAULT_TIMEOUT[bool(smoke)] if timeout is None else timeout
    todo = [(unit, name) for unit in _select_units(course, units) for name in course.select_notebooks(unit, notebook)]
    parameters = {"SMOKE": bool(smoke), "DEVICE": device}
    if seed is not None:
        parameters["SEED"] = int(seed)

    started = _dt.datetime.now(_dt.timezone.utc)
    lock = threading.Lock()
    done = [0]
    children = _Children()

    def one(item):
        unit, name = item
        if children.stopping:
            return None
        record = _run_child(course, unit, name, out, parameters, smoke, device, timeout, children)
        with lock:
            done[0] += 1
            if progress and not children.stopping:
                progress(f"[{done[0]}/{len(todo)}] {record['notebook']}: {_status_text(record)}"
                         f" ({record['wall_seconds']:.1f} s)", flush=True)
        return record

    with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
        futures = [pool.submit(one, item) for item in todo]
        try:
            records = [future.result() for future in futures]
        except BaseException:
            children.stop()  # the kernels run in sessions of their own: no signal reaches them
            raise

    report = {
        "created": started.isoformat(timespec="seconds"),
        "mode": "smoke" if smoke else "full",
        "device": device,
        "device_resolved": _resolve(device),
        "jobs": int(jobs),
        "timeout_seconds": timeout,
        "host": _host_info(),
        "notebooks": records,
    }
    (out / "metrics.json").write_text(json.dumps(report, indent=2) + "\n")
    return records


class _Children:
    """The running notebook processes, so that an interrupt can kill them all."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.stopping = False

    def add(self, child: subprocess.Popen) -> None:
        with self._lock:
            self._running.add(child)
            late = self.stopping  # started just as everything was being stopped
        if late:
            _kill_tree(child)

    def discard(self, child: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(child)

    def stop(self) -> None:
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for child in running:
            _kill_tree(child)


def _run_child(course, unit, name, out, parameters, smoke, device, timeout, children: _Children) -> dict:
    source = course.solutions / unit / name
    target = out / unit / name
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in (target, target.with_suffix(".log")):
        stale.unlink(missing_ok=True)
    result_file = target.with_name(f".{target.stem}.result.json")
    result_file.unlink(missing_ok=True)
    spec = {"input": str(source), "output": str(target), "result": str(result_file),
            "parameters": parameters, "cwd": str(source.parent), "smoke": bool(smoke),
            "cell_timeout": timeout}

    env = dict(os.environ)
    env.update(COURSE_SMOKE="1" if smoke else "0", COURSE_DEVICE=device, COURSE_HEADLESS="1")
    # The child (and the kernel it starts) import autograder/coursekit from this very checkout.
    here = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    env.setdefault("PYTHONUNBUFFERED", "1")

    record = {"notebook": f"{unit}/{name}", "unit": unit, "mode": "smoke" if smoke else "full",
              "status": None, "error": None, "wall_seconds": None, "cells_seconds": None,
              "peak_host_mib": None, "peak_gpu_mib": None, "device": None, "device_name": None,
              "versions": {}, "metrics": [], "executed": str(target.relative_to(out)),
              "log": str(target.with_suffix(".log").relative_to(out))}
    t0 = time.perf_counter()
    with open(target.with_suffix(".log"), "w") as log:
        child = subprocess.Popen([sys.executable, "-m", "autograder.execute", "--one", json.dumps(spec)],
                                 stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        children.add(child)
        try:
            child.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_tree(child)
        finally:
            children.discard(child)
    record["wall_seconds"] = round(time.perf_counter() - t0, 2)

    result = {}
    if result_file.exists():
        result = json.loads(result_file.read_text())
        result_file.unlink()
    record.update({k: v for k, v in result.items() if k in record})
    if timed_out:
        record["status"] = "timed_out"
        record["error"] = {"message": f"time limit of {timeout:g} s per notebook reached; "
                                      f"the notebook and its kernel were killed"}
    elif not result:
        record["status"] = "failed"
        record["error"] = {"message": f"the runner exited with code {child.returncode} without a result; "
                                      f"see {record['log']}"}
    if not record["versions"]:
        record["versions"] = _versions()
    if target.exists() and not result:
        # A killed run: papermill saved the notebook after each cell; collect what it reached.
        try:
            record["metrics"] = _metrics_of(_read(target))
        except Exception:  # a half-written file
            pass
    return record


def _kill_tree(child: subprocess.Popen) -> None:
    """Kill the child and every descendant; the kernel runs in a session of its own."""
    import psutil  # a dependency of jupyter's kernel machinery

    try:
        procs = psutil.Process(child.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        procs = []
    child.kill()  # first, so it cannot react to its kernel's death
    child.wait()
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=10)


def _resolve(device: str) -> str:
    """What "auto" means on this machine (what coursekit.setup picks), for notebooks that failed early."""
    if device != "auto":
        return device
    try:
        from coursekit import resolve_device
        return resolve_device("auto").type
    except Exception:  # torch missing or broken: the notebooks will say so
        return "unknown"


def _versions() -> dict:
    def version(name):
        try:
            return _metadata.version(name)
        except _metadata.PackageNotFoundError:
            return None
    return {"python": platform.python_version(), "torch": version("torch"), "torchvision": version("torchvision")}


def _host_info() -> dict:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"platform": platform.platform(), "cpu_cores": cores, "python": platform.python_version()}


def _status_text(record: dict) -> str:
    error = record.get("error") or {}
    if record["status"] == "ok":
        return "ok"
    if record["status"] == "missed_target":
        return f"missed_target: {error.get('message', error.get('metric'))}"
    if "ename" in error:
        where = f"cell {error['cell_index']}" if error.get("cell_index") is not None else "a cell"
        if error.get("execution_count") is not None:
            where += f" (In [{error['execution_count']}])"
        head = next((line.strip() for line in (error.get("source") or "").splitlines() if line.strip()), "")
        if head:
            where += f" `{head[:60]}`"
        return f"{record['status']}: {where}: {error['ename']}: {error['evalue']}"
    return f"{record['status']}: {error.get('message', '')}"


def format_table(records: list[dict]) -> str:
    """A plain-text table: notebook, status, seconds, peak host MiB, peak GPU MiB, metrics."""
    def num(value, fmt):
        return "-" if value is None else format(value, fmt)

    def metrics(record):
        parts = []
        for m in record.get("metrics", []):
            text = f"{m['name']}={m['value']:.4g}"
            if m.get("target") is not None:
                text += f" ({'>=' if m['direction'] == 'max' else '<='}{m['target']:g}{'' if m['passed'] else ' MISSED'})"
            parts.append(text)
        return ", ".join(parts) or "-"

    header = ["notebook", "status", "seconds", "cells s", "host MiB", "GPU MiB", "device", "metrics"]
    rows = [[r["notebook"], r["status"], num(r["wall_seconds"], ".1f"), num(r["cells_seconds"], ".1f"),
             num(r["peak_host_mib"], ".0f"), num(r["peak_gpu_mib"], ".0f"), r.get("device") or "-", metrics(r)]
            for r in records]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    problems = [f"  {r['notebook']}: {_status_text(r)}" for r in records if r["status"] != "ok"]
    if problems:
        lines += ["", "not ok:", *problems]
    return "\n".join(lines)


def _exit_on_sigterm() -> None:
    import signal

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def main(course: Course, args: argparse.Namespace) -> int:
    """`autograder execute`: run, print the table, return 1 when any notebook is not ok."""
    if args.jobs < 1:
        raise SystemExit("--jobs must be at least 1")
    _exit_on_sigterm()  # a cancelled CI job sends SIGTERM: kill the kernels on the way out
    units = None if args.unit is None else [args.unit]
    try:
        records = execute(course, units=units, smoke=args.smoke, device=args.device, jobs=args.jobs,
                          out=Path(args.out), timeout=args.timeout, seed=getattr(args, "seed", None),
                          notebook=getattr(args, "notebook", None))
    except KeyboardInterrupt:
        print("interrupted: the running notebooks and their kernels were stopped", file=sys.stderr)
        return 130
    out = Path(args.out)
    if not records:
        print(f"no solution notebooks to run in {course.solutions}")
        return 0
    print()
    print(format_table(records))
    print(f"\nexecuted notebooks and metrics.json in {out}/")
    return 0 if all(r["status"] == "ok" for r in records) else 1


# ------------------------------------------------------------------------------------ child side

def _read(path):
    import nbformat
    return nbformat.read(str(path), as_version=4)


def _metrics_of(nb) -> list[dict]:
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if METRIC_MIME in data:
                record = data[METRIC_MIME]
                found.append(dict(json.loads(record) if isinstance(record, str) else record))
    return found


def _source_index(nb, index: int) -> int:
    """The index, in the source notebook, of cell `index` of the executed notebook."""
    skip = (INJECTED_TAG, ERROR_MARKER_TAG)
    return sum(1 for cell in nb.cells[:index] if not any(t in cell.metadata.get("tags", []) for t in skip))


def _pin_kernel(folder: Path) -> None:
    """Make kernel "python3" this very interpreter, whatever kernelspecs the user or runner has
    installed (a ~/.local python3 kernel would otherwise win): JUPYTER_PATH is searched first."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (autograder execute)", "language": "python"}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(folder), os.environ.get("JUPYTER_PATH")) if p)


def run_one(spec: dict) -> dict:
    """Child process: execute one notebook with papermill and describe the run."""
    import resource

    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = nbformat.read(spec["input"], as_version=4)
    source.cells.append(nbformat.v4.new_code_cell(PROBE_SOURCE, metadata={"tags": [PROBE_TAG]}))
    error = None
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(spec["input"]).name
        nbformat.write(source, str(copy))
        _pin_kernel(Path(tmp))
        for attempt in range(1, KERNEL_START_TRIES + 1):
            try:
                papermill.execute_notebook(
                    str(copy), spec["output"], parameters=spec["parameters"], kernel_name=KERNEL,
                    cwd=spec["cwd"], progress_bar=False, log_output=True,
                    execution_timeout=spec.get("cell_timeout"))
                error = None
            except PapermillExecutionError as e:
                error = {"cell_index": e.cell_index, "execution_count": e.exec_count, "ename": e.ename,
                         "evalue": e.evalue, "source": e.source}
            except Exception as e:  # the kernel died, could not start, ...
                error = {"cell_index": None, "execution_count": None, "ename": type(e).__name__,
                         "evalue": str(e).strip().splitlines()[-1] if str(e).strip() else "", "source": None}
                if KERNEL_NEVER_STARTED in str(e) and attempt < KERNEL_START_TRIES:
                    print(f"the kernel did not start ({error['evalue']}); try {attempt + 1} of {KERNEL_START_TRIES}",
                          flush=True)
                    continue
            break
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KiB on Linux, bytes on macOS
    peak_host = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale

    result = {"status": "ok", "error": None, "peak_host_mib": round(peak_host, 1), "metrics": []}
    output = Path(spec["output"])
    if output.exists():
        nb = nbformat.read(str(output), as_version=4)
        if error is not None and error["cell_index"] is not None:
            # papermill's index counts its injected-parameters cell and the error markers it added
            # after raising; name the cell as the source notebook numbers it (0-based).
            anchor = next((i for i, c in enumerate(nb.cells) if ERROR_MARKER_TAG in c.metadata.get("tags", [])
                           and 'id="papermill-error-cell"' in c.source), None)
            failing = anchor + 1 if anchor is not None else error["cell_index"]
            error["cell_index"] = _source_index(nb, failing)
        probe = None
        for cell in [c for c in nb.cells if PROBE_TAG in c.metadata.get("tags", [])]:
            for o in cell.get("outputs", []):
                if PROBE_MIME in o.get("data", {}):
                    probe = o["data"][PROBE_MIME]
            nb.cells.remove(cell)
        nb.metadata.setdefault("papermill", {})["input_path"] = spec["input"]
        nbformat.write(nb, str(output))
        result["metrics"] = _metrics_of(nb)
        durations = [c.metadata.get("papermill", {}).get("duration") for c in nb.cells]
        result["cells_seconds"] = round(sum(d for d in durations if d), 2)
        if probe:
            result["device"] = probe["device"]
            result["device_name"] = probe["device_name"]
            result["peak_gpu_mib"] = probe["peak_gpu_mib"]
            result["versions"] = {k: probe[k] for k in ("python", "torch", "torchvision")}

    missed = [m for m in result["metrics"] if not m.get("passed", True)]
    if missed and not spec["smoke"]:
        m = missed[0]
        result["status"] = "missed_target"
        result["error"] = {"metric": m["name"], "value": m["value"], "target": m.get("target"),
                           "metrics": [m["name"] for m in missed],
                           "message": "; ".join(f"metric {m['name']} = {m['value']:.4g} missed its target "
                                                f"{'>=' if m.get('direction') == 'max' else '<='} {m.get('target')}"
                                                for m in missed)}
        if error is not None:
            result["error"].update({k: error[k] for k in ("cell_index", "execution_count")})
    elif error is not None:
        result["status"] = "failed"
        result["error"] = error
    return result


def _child_main(argv: list[str]) -> int:
    spec = json.loads(argv[argv.index("--one") + 1])
    result = run_one(spec)
    Path(spec["result"]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    if "--one" in sys.argv:
        sys.exit(_child_main(sys.argv))
    # `python -m autograder.execute [--course DIR] ARGS` = `autograder [--course DIR] execute ARGS`
    from .cli import main as cli_main
    argv, course_args = sys.argv[1:], []
    for flag in [a for a in argv if a == "--course" or a.startswith("--course=")]:
        i = argv.index(flag)
        course_args, argv = argv[i:i + (1 if "=" in flag else 2)], argv[:i] + argv[i + (1 if "=" in flag else 2):]
    sys.exit(cli_main([*course_args, "execute", *argv]))
