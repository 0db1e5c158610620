"""CPU that Dask's own housekeeping takes from the grading kernels, with Dask's default timers
and with `autograder.cluster.QUIET_DASK` (what `autograder worker` runs with).

    .venv/bin/python benchmarks/dask_idle.py [--seconds 30]

A LocalCluster like the grading benchmark's (scheduler and two nannies in this process, two
one-slot worker processes with the grading preload) runs one task per worker that waits on a
subprocess for SECONDS, as a grading task waits on its sandboxed kernel. It prints the
CPU-seconds the Dask processes used meanwhile, and their share of the machine's cores. CPU time,
not wall time, so the figures hold on a busy machine too.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def wait(seconds: float) -> None:
    subprocess.run(["sleep", str(seconds)], check=True)


def measure(config: dict, seconds: float) -> tuple[float, float, float]:
    """(CPU-seconds of scheduler and nannies, of the worker processes, wall seconds) over one waiting task per worker."""
    import dask
    import psutil
    from distributed import Client, LocalCluster

    def cpu(p) -> float:
        t = p.cpu_times()
        return t.user + t.system

    with dask.config.set(config), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                         preload=["autograder.cluster"], preload_argv=["--course", str(REPO), "--slots", "1"]) as cluster, \
            Client(cluster) as client:
        me = psutil.Process()
        workers = me.children(recursive=False)
        before_me, before, started = cpu(me), {w.pid: cpu(w) for w in workers}, time.monotonic()
        client.gather([client.submit(wait, seconds, pure=False) for _ in range(2)])
        main = cpu(me) - before_me
        worker = sum(cpu(w) - before[w.pid] for w in workers if w.is_running())  # `sleep` children excluded
        wall = time.monotonic() - started
    return main, worker, wall


def main() -> int:
    from autograder.cluster import QUIET_DASK
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"Dask housekeeping over {args.seconds:.0f} s of waiting tasks, 2 workers, {cores} cores")
    for label, config in (("Dask defaults", {}), ("QUIET_DASK", QUIET_DASK)):
        main_cpu, worker_cpu, wall = measure(config, args.seconds)
        total = main_cpu + worker_cpu
        share = total / (wall * cores) * 100
        print(f"{label:14s} scheduler+nannies {main_cpu:5.2f} cpu-s  workers {worker_cpu:5.2f} cpu-s  "
              f"total {total:5.2f} cpu-s  ({share:.1f} % of the machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
