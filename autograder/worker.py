"""`autograder worker ADDRESS [--slots N] [--name NAME]`: a Dask worker that grades (see cluster.py).

It replaces itself with `dask worker ADDRESS --nworkers 1 --nthreads N --preload autograder.cluster
--course ROOT --slots N`: the preload builds or verifies the datasets, hashes the course files and
offers N grading slots (default: one per core this process may use). Dask's housekeeping timers
run less often than by default (`cluster.QUIET_DASK`), leaving the cores to the kernels.
"""
from __future__ import annotations

import os
import sys

from .cluster import default_slots, grading_dask_env
from .course import Course


def worker_command(course: Course, scheduler: str, slots: int | None, name: str | None = None) -> list[str]:
    slots = slots or default_slots()
    return [sys.executable, "-m", "distributed.cli.dask_worker", scheduler, "--nworkers", "1",
            "--nthreads", str(slots), *(["--name", name] if name else []), "--preload", "autograder.cluster",
            "--course", str(course.root), "--slots", str(slots)]


def main(course: Course, args) -> int:
    if args.slots is not None and args.slots < 1:
        print(f"worker: error: --slots must be at least 1, not {args.slots}", file=sys.stderr)
        return 2
    cmd = worker_command(course, args.scheduler, args.slots, args.name)
    print("autograder worker: " + " ".join(cmd), file=sys.stderr, flush=True)
    os.execve(cmd[0], cmd, {**grading_dask_env(), **os.environ})  # the user's DASK_* settings win
    return 0  # not reached: execv replaced this process
