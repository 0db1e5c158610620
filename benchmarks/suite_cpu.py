"""CPU seconds per test: a pytest plugin that prints where the suite's time goes, load or not.

    PYTHONPATH=benchmarks python -m pytest -p suite_cpu [pytest args]

Wall-clock durations (`--durations`) swell when the machine is shared; CPU seconds do not. Each
test's setup, call and teardown is charged the CPU time of the pytest process plus that of every
child process reaped meanwhile (kernels, checkers, sandboxes, Dask workers, each with its own
children). A child still running when a phase ends is charged to the phase that reaps it, so a
module-scoped fixture's processes show up in its teardown. At the end it prints the most
expensive phases, the total per test file, and the sum; SUITE_CPU_JSON=path also writes them.
"""
from __future__ import annotations

import json
import os
import resource
from collections import defaultdict

import pytest

_phases: dict[tuple[str, str], float] = {}
TOP = int(os.environ.get("SUITE_CPU_TOP", "30"))


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _measure(item, phase):
    start = _cpu()
    yield
    _phases[(item.nodeid, phase)] = _phases.get((item.nodeid, phase), 0.0) + _cpu() - start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from _measure(item, "setup")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from _measure(item, "call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    yield from _measure(item, "teardown")


def pytest_terminal_summary(terminalreporter):
    write = terminalreporter.write_line
    total = sum(_phases.values())
    per_file = defaultdict(float)
    for (nodeid, _), seconds in _phases.items():
        per_file[nodeid.split("::")[0]] += seconds
    write("")
    write(f"CPU seconds (this process + reaped children), {len(_phases)} phases, total {total:.0f} s "
          f"= {total / 60:.1f} CPU-min (/{os.cpu_count()} cores = {total / 60 / os.cpu_count():.1f} min at best)")
    for (nodeid, phase), seconds in sorted(_phases.items(), key=lambda kv: -kv[1])[:TOP]:
        write(f"{seconds:8.1f} {phase:<8} {nodeid}")
    write("per file:")
    for path, seconds in sorted(per_file.items(), key=lambda kv: -kv[1]):
        write(f"{seconds:8.1f} {path}")
    if os.environ.get("SUITE_CPU_JSON"):
        with open(os.environ["SUITE_CPU_JSON"], "w") as f:
            json.dump({"total_cpu_s": total, "per_file": per_file,
                       "phases": [{"test": n, "phase": p, "cpu_s": s} for (n, p), s in _phases.items()]}, f, indent=1)
