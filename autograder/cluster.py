"""Grade a cohort on a Dask cluster: `autograder grade UNIT --scheduler ADDRESS`, `autograder worker`.

    autograder worker tcp://head:8786          # on each grading machine, in its checkout of the course
    autograder grade 1 --scheduler tcp://head:8786

Each (student, notebook) is one Dask task. The instructor's process prepares the notebook as for
local grading (grade.py) and sends it as data (`grade.Task`: the prepared notebook and the
student's files); the worker grades it with the same sandbox, limits and checker as local
grading (`grade.SlotPool.run`) and sends back the executed notebook and its state. Only the
instructor's process writes results, autograded notebooks and the gradebook.

Workers are Dask workers started with this module as their preload (`autograder worker` does it;
by hand: `dask worker ADDRESS --preload autograder.cluster --course PATH [--slots N]`). At start
the preload builds or verifies the datasets, and hashes what grading depends on, per unit
(`course_hashes`): the release and the solution notebooks (tests, hidden ones included), the
coursekit and autograder code, and the data manifest. The worker then offers `--slots` (default:
the cores it may use) of one Dask resource named after each unit's hash, and every task asks for
one of the resource named after the instructor's hash: a worker whose files differ never gets a
task, and the instructor is told which worker differs and in what. Each task checks the hash
again on the worker (the checkout may have changed since) and refuses, with the reason, when it
differs: such a task is not recorded, and a re-run grades it.

Faults are the scheduler's: a worker that dies mid-task (the machine, the process, its nanny's
memory limit) has its task run again on another worker; after `distributed.scheduler.allowed-
failures` such deaths (default 3) the task fails with KilledWorker and is recorded `crashed` with
that reason. Each task's result is recorded once, when it arrives, and a re-run resumes as local
grading does. A task never raises for a student's sake: a kernel that crashes or hangs is
recorded as locally.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from pathlib import Path

import click

from . import sandbox as sb
from .course import Course
from .grade import (Job, SlotPool, Task, alone_note, ensure_data, make_task, maybe_slowed_by_others,
                    progress_bar, record_result)

# Dask's housekeeping timers are tuned for tasks of milliseconds. A grading task takes seconds
# and its kernel needs every core, so they run less often here: with Dask's defaults an idle
# scheduler, two nannies and two workers of one machine burn 4.4 CPU-seconds per 30 s (7 % of two
# cores: the 20 ms event-loop tick, the 10 ms statistical profiler, 100 ms memory polls); with
# these, 0.4. Applied by `autograder worker`, and meant for the scheduler too
# (`grading_dask_env()` as its environment; README).
QUIET_DASK = {
    "distributed.admin.tick.interval": "1s",               # event-loop health check (default 20 ms)
    "distributed.worker.profile.enabled": False,           # statistical profiler (samples every 10 ms)
    "distributed.worker.memory.monitor-interval": "1s",    # nanny/worker memory polls (default 100 ms)
    "distributed.admin.system-monitor.interval": "2s",     # dashboard's CPU/memory samples (default 500 ms)
}


def grading_dask_env() -> dict[str, str]:
    """QUIET_DASK as the DASK_* environment variables a Dask process reads at start."""
    return {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value) for key, value in QUIET_DASK.items()}


RESOURCE_PREFIX = "autograder-"
SERVICE_ATTR = "autograder_service"
WAIT_FOR_WORKERS = 60.0      # seconds the instructor's process waits for a first grading worker
PREFERRED_WORKER_CMD = "autograder worker ADDRESS (or dask worker ADDRESS --preload autograder.cluster --course PATH)"


class WorkerRefused(Exception):
    """A worker that must not grade this task (other course files, no sandbox, no preload)."""


# --------------------------------------------------------------------------------------------
# What grading depends on
# --------------------------------------------------------------------------------------------

def _files_digest(files: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f"{f.relative_to(root).as_posix()}\0".encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _package_dir(name: str) -> Path:
    import importlib.util
    return Path(importlib.util.find_spec(name).origin).resolve().parent


def course_hashes(course: Course, unit: str, data_dir: Path) -> dict[str, str]:
    """sha256 per part of what grading `unit` depends on (the parts name what differs)."""
    manifest = json.loads((data_dir / "manifest.json").read_text()) if (data_dir / "manifest.json").is_file() else {}
    sets = {name: (e.get("sha256"), e.get("recipe")) for name, e in manifest.get("sets", {}).items()}
    kit, grader = _package_dir("coursekit"), _package_dir("autograder")
    return {
        "release": _files_digest(list((course.units_dir / unit).glob("*.ipynb")), course.root),
        "tests": _files_digest(list((course.solutions / unit).glob("*.ipynb")), course.root),
        "coursekit": _files_digest(list(kit.rglob("*.py")), kit.parent),
        "autograder": _files_digest(list(grader.rglob("*.py")), grader.parent),
        "data": hashlib.sha256(json.dumps(sets, sort_keys=True).encode()).hexdigest(),
    }


def resource_name(hashes: dict[str, str]) -> str:
    """The Dask resource a worker with these course files offers, and a task for them asks for."""
    return RESOURCE_PREFIX + hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:16]


def differences(mine: dict[str, str], theirs: dict[str, str]) -> list[str]:
    return sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))


def default_slots() -> int:
    """One sandbox slot (a student's kernel and its checker, one thread each) per core this
    process may use: the affinity mask, which SLURM and cgroup cpusets set, not the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------------------------
# The worker side
# --------------------------------------------------------------------------------------------

class GradingService:
    """What a grading worker holds: its course, slots, and a slot pool per sandbox setting."""

    def __init__(self, course: Course, slots: int):
        self.course, self.slots = course, slots
        self.box = sb.Box.for_course(course.root, sandbox=True)
        self.data_dir = Path(self.box.env["COURSE_DATA_DIR"])
        ensure_data(self.data_dir)  # built or verified now: a worker with broken data fails to start
        self.pools: dict[bool, SlotPool] = {}
        self.lock = threading.Lock()
        # The hashes the worker's resources are named after: fixed at start (a resource cannot be
        # renamed); `check` compares the files as they are when a task comes.
        self.started = {unit: self.hashes(unit) for unit in self.course.units()}

    def hashes(self, unit: str) -> dict[str, str]:
        return course_hashes(self.course, unit, self.data_dir)

    def resources(self) -> dict[str, float]:
        return {resource_name(hashes): self.slots for hashes in self.started.values()}

    def check(self, unit: str, expected: dict[str, str], sandbox: bool) -> None:
        if unit not in self.course.units():
            raise WorkerRefused(f"the course at {self.course.root} has no unit {unit}")
        differ = differences(self.hashes(unit), expected)
        if differ:
            raise WorkerRefused(f"this worker's course files differ from the instructor's in: {', '.join(differ)} "
                                f"(course at {self.course.root}); update its checkout and data, then restart it")
        if sandbox and sb.bwrap_path() is None:
            raise WorkerRefused(sb.BWRAP_MISSING)

    def pool(self, sandbox: bool) -> SlotPool:
        with self.lock:
            if sandbox not in self.pools:
                box = self.box if sandbox else sb.Box.for_course(self.course.root, sandbox=False)
                self.pools[sandbox] = SlotPool(box)
            return self.pools[sandbox]

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()


@click.command()
@click.option("--course", default=None, help="the course checkout this worker grades with (default: the nearest)")
@click.option("--slots", type=int, default=None, help="notebooks graded at once (default: one per usable core)")
def dask_setup(worker, course, slots):
    """Preload of a Dask worker: verify the course and offer its grading slots (see the module doc)."""
    import logging
    # As in `grade`: nbclient leaves an output-polling task pending after a cell timeout, which
    # asyncio would report at exit; nothing is lost.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    service = GradingService(Course.at(course), slots or default_slots())
    # Set before the worker registers (preloads run first), so the scheduler learns them at once.
    for name, amount in service.resources().items():
        worker.state.total_resources[name] = amount
        worker.state.available_resources[name] = amount
    setattr(worker, SERVICE_ATTR, service)
    if sb.bwrap_path() is None:
        print(f"autograder worker: WARNING: {sb.BWRAP_MISSING}", file=sys.stderr)
    print(f"autograder worker: course {service.course.root}, {service.slots} slot(s), units "
          f"{', '.join(service.course.units())}", file=sys.stderr)


def dask_teardown(worker):
    service = getattr(worker, SERVICE_ATTR, None)
    if service is not None:
        service.close()


def grade_task(task: Task, unit: str, hashes: dict[str, str], limits: sb.Limits, sandbox: bool) -> dict:
    """The Dask task: grade one prepared notebook on this worker; {state, reason, notes, nb (JSON), seconds, worker}."""
    import nbformat
    from distributed import get_worker
    worker = get_worker()
    service = getattr(worker, SERVICE_ATTR, None)
    if service is None:
        raise WorkerRefused(f"worker {worker.address} was not started for grading: start it with {PREFERRED_WORKER_CMD}")
    service.check(unit, hashes, sandbox)
    out = service.pool(sandbox).run(task, limits)
    out["nb"] = nbformat.writes(out["nb"]) if out["nb"] is not None else None
    out["worker"] = worker.address
    return out


def _report(unit: str, dask_worker=None) -> dict | None:
    """What a worker says about itself to the instructor's process (run by client.run)."""
    service = getattr(dask_worker, SERVICE_ATTR, None)
    if service is None:
        return None
    return {"slots": service.slots, "hashes": service.started.get(unit)}


# --------------------------------------------------------------------------------------------
# The instructor's side
# --------------------------------------------------------------------------------------------

def usable_workers(client, unit: str, hashes: dict[str, str]) -> dict[str, int]:
    """{worker address: slots} of the workers that grade with these course files; the others are
    named on stderr with what differs. No usable worker: SystemExit with the reasons."""
    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
    except Exception:  # dask raises its own TimeoutError
        raise SystemExit(f"no worker joined the scheduler {client.scheduler.address} within {WAIT_FOR_WORKERS:g} s: "
                         f"start them with {PREFERRED_WORKER_CMD}") from None
    good, problems = {}, []
    for address, report in sorted(client.run(_report, unit).items()):
        if report is None:
            problems.append(f"{address}: not started for grading (use {PREFERRED_WORKER_CMD})")
        elif report["hashes"] is None:
            problems.append(f"{address}: its course has no unit {unit}")
        elif differences(report["hashes"], hashes):
            problems.append(f"{address}: its course files differ in {', '.join(differences(report['hashes'], hashes))} "
                            f"(as they were when it started: update its checkout and restart it)")
        else:
            good[address] = report["slots"]
    for problem in problems:
        print(f"grade: worker {problem}; it gets no task", file=sys.stderr)
    if not good:
        raise SystemExit(f"grade: no worker of {client.scheduler.address} can grade {unit} with this course's files")
    return good


def task_key(job: Job, attempt: str = "") -> str:
    return f"grade-{job.unit}-{job.student}-{job.stem}-{job.submission_sha256[:12]}{attempt}"


def run_on_cluster(course: Course, unit: str, todo: list[Job], scheduler: str, limits: sb.Limits, sandbox: bool,
                   recorder, records: dict, progress: bool) -> None:
    """Grade the prepared jobs on the Dask cluster at `scheduler`; record each result as it comes."""
    from distributed import Client, KilledWorker, as_completed
    from distributed.client import CancelledError  # asyncio's: not an Exception

    data_dir = Path(sb.Box.for_course(course.root).env["COURSE_DATA_DIR"])
    ensure_data(data_dir)  # the instructor's hash covers the data manifest as built here
    hashes = course_hashes(course, unit, data_dir)
    resource = resource_name(hashes)
    refused: list[str] = []
    try:
        client = Client(scheduler, timeout="60s")
    except (OSError, TimeoutError, ValueError) as e:  # unreachable, or not an address
        raise SystemExit(f"grade: cannot reach the Dask scheduler at {scheduler!r}: {e}") from None
    with client:
        print(f"grade: {len(todo)} notebook(s) on {scheduler}; dashboard: {client.dashboard_link}", file=sys.stderr)
        slots = usable_workers(client, unit, hashes)

        def free_slots() -> int:
            """The slots the cluster offers for these course files now (workers come and go)."""
            workers = client.scheduler_info(n_workers=-1)["workers"].values()
            return max(1, int(sum(w.get("resources", {}).get(resource, 0) for w in workers)))

        def submit(job: Job, amount: int = 1, attempt: str = ""):
            # Files are read as the task is submitted: the client holds about one task's per slot.
            future = client.submit(grade_task, make_task(job), unit, hashes, limits, sandbox, key=task_key(job, attempt),
                                   resources={resource: amount}, pure=False)
            jobs[future.key] = job
            return future

        def outcome(future) -> tuple[Job, dict | None]:
            """(job, the task's result), or a crashed result for a task whose workers kept dying, or
            None (refused or lost: not recorded, graded by a re-run)."""
            job = jobs.pop(future.key)
            try:
                return job, future.result()
            except KilledWorker as e:
                reason = (f"the grading worker died each time it had this notebook ({e.allowed_failures + 1} tries; "
                          f"KilledWorker, last on {e.last_worker.address})")
            except WorkerRefused as e:
                refused.append(f"{job.student}/{job.notebook}: {e}")
                return job, None
            except (CancelledError, Exception) as e:  # lost (scheduler gone, client cut off) or the
                # grader's own failure outside the sandbox: not the student's, so not recorded
                refused.append(f"{job.student}/{job.notebook}: lost by the cluster ({type(e).__name__}: {e})")
                return job, None
            finally:
                future.release()
            return job, {"state": "crashed", "reason": reason, "notes": list(job.notes), "nb": None, "seconds": 0.0}

        def record(job: Job, out: dict) -> dict:
            import nbformat
            if isinstance(out.get("nb"), str):
                out["nb"] = nbformat.reads(out["nb"], as_version=4)
            return record_result(job, out, recorder, records)

        jobs: dict[str, Job] = {}
        queue = list(reversed(todo))
        bar = progress_bar(len(todo), unit, progress)
        slowed: list[tuple[Job, int]] = []
        try:
            # Only as many tasks as there are slots are out at once: Dask counts a worker's death
            # against every task it holds, queued ones too, so a worker should hold only what it runs.
            pending = as_completed([submit(queue.pop()) for _ in range(min(free_slots(), len(queue)))])
            for future in pending:
                for _ in range(min(len(queue), free_slots() - pending.count())):
                    pending.add(submit(queue.pop()))
                job, out = outcome(future)
                if out is not None:
                    rec = record(job, out)
                    ran_with = slots.get(out.get("worker"), 1)
                    if maybe_slowed_by_others(rec) and ran_with > 1:
                        slowed.append((job, ran_with))
                    state = rec["state"]
                else:
                    state = "refused"
                if bar is not None:
                    bar.set_postfix_str(f"{job.student}: {state}", refresh=False)
                    bar.update(1)
            # As locally: a notebook that timed out (or did not start) beside others is graded once more, alone: it
            # asks for every slot of the largest worker, so nothing else runs there meanwhile.
            most = max(slots.values())
            again = {submit(job, most, "-alone"): (job, ran_with) for job, ran_with in slowed}
            for future in as_completed(list(again)):
                job, ran_with = again[future]
                first = records[(job.student, job.notebook)]
                job, out = outcome(future)
                if out is not None:
                    out["notes"] = list(out["notes"]) + [alone_note(ran_with, first, out["state"])]
                    record(job, out)
        finally:
            if bar is not None:
                bar.close()
    if refused:
        print(f"grade: {len(refused)} notebook(s) refused by their worker or lost, not recorded (run grade again):",
              file=sys.stderr)
        for line in refused:
            print(f"  {line}", file=sys.stderr)
