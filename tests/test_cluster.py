"""Grading on a Dask cluster (cluster.py): a LocalCluster of separate worker processes, the fixture course.

One module-scoped run grades a small class locally and the same class on the cluster, in two
batches, while a thread kills the worker process that has a chosen submission. Batch 1: the
honest class and `killed-once`, whose worker is killed once (it must be graded again elsewhere,
with the same record as locally). Batch 2, a re-run after `killed-always` was handed in: only it
is sent, and its worker is killed each time (after allowed-failures + 1 tries it must be recorded
crashed, with KilledWorker as the reason). It is alone in its batch because Dask counts a worker's
death against every task that worker holds. Then: the records equal the local ones, each
submission was recorded exactly once, and a worker whose course files differ from the
instructor's gets no task and refuses one sent to it.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import nbformat
import pytest

from autograder import grade as grade_module
from autograder import sandbox as sb
from autograder.course import Course
from autograder.examples import make_examples, with_extra_cell
from autograder.grade import grade_unit

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402  (after the skip: dask comes with distributed)

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT = "1-fixture"
NB = "01-fixture.ipynb"
HONEST = ("perfect", "partial", "unanswered")
# Generous limits: the machine may be busy, and no case here is about a limit.
LIMITS = sb.Limits(memory_gib=2.0, timeout_cell=180, timeout_notebook=400, nproc=64)
ALLOWED_FAILURES = 1          # so `killed-always` is given up after 2 deaths
CLUSTER_START = "120s"        # worker processes import torch (the data check) on a busy machine
SLEEP = 4                     # seconds the killed submissions sleep: time for the killer to see them run

pytestmark = pytest.mark.skipif(sb.bwrap_path() is None, reason="bubblewrap (bwrap) is not installed")


def _submit(course: Course, student: str, nb) -> None:
    folder = course.workspace / "submitted" / student / UNIT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NB).write_text(nbformat.writes(nb))
    (folder / "timestamp.txt").write_text("2026-03-01T12:00:00+00:00")


class Killer(threading.Thread):
    """Kills the worker process that runs a chosen task: `once` keys the first time, `always` keys each time."""

    def __init__(self, address: str, once: str, always: str):
        super().__init__(daemon=True)
        self.client = distributed.Client(address, timeout="60s")
        self.once, self.always = once, always
        self.kills: list[str] = []
        self.log: list[tuple] = []  # (marker, worker, pid, time) of each kill, for failure messages
        self.done = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        killed = set()  # (marker, worker address): a worker is killed at most once per marker
        try:
            while not self.done.is_set():
                for worker, keys in self.client.processing().items():
                    for key in keys:
                        marker = next((m for m in (self.once, self.always) if m in str(key)), None)
                        if marker is None or (marker, worker) in killed:
                            continue
                        if marker == self.once and any(m == self.once for m, _ in killed):
                            continue
                        pid = self.client.run(os.getpid, workers=[worker]).get(worker)
                        if pid:
                            os.kill(pid, signal.SIGKILL)
                            killed.add((marker, worker))
                            self.kills.append(marker)
                            self.log.append((marker, worker, pid, time.monotonic()))
                time.sleep(0.2)
        except Exception as e:  # reported by the test, not lost in a thread
            self.errors.append(f"{type(e).__name__}: {e}")
        finally:
            self.client.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("cluster")
    local = Course.at(shutil.copytree(FIXTURE, base / "local"))
    remote = Course.at(shutil.copytree(FIXTURE, base / "remote"))
    examples = make_examples(local, UNIT, base / "examples")
    perfect = nbformat.read(examples["perfect"] / NB, as_version=4)
    slow = with_extra_cell(perfect, f"import time\ntime.sleep({SLEEP})")
    for course in (local, remote):
        for student in HONEST:
            _submit(course, student, nbformat.read(examples[student] / NB, as_version=4))
        _submit(course, "killed-once", slow)

    local_records = grade_unit(local, UNIT, workers=2, limits=LIMITS, progress=False)

    writes: list[tuple[str, str]] = []
    original_write = grade_module.Recorder.write

    def counting_write(self, record, nb=None):
        writes.append((record["student"], record["notebook"]))
        return original_write(self, record, nb)

    def batch(address: str, once: str, always: str) -> tuple[list[dict], Killer]:
        killer = Killer(address, once, always)
        killer.start()
        grade_module.Recorder.write = counting_write
        try:
            return grade_unit(remote, UNIT, limits=LIMITS, progress=False, scheduler=address), killer
        finally:
            grade_module.Recorder.write = original_write
            killer.done.set()
            killer.join(timeout=60)

    from autograder.cluster import QUIET_DASK

    with dask.config.set({**QUIET_DASK, "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                          "distributed.comm.timeouts.connect": CLUSTER_START,
                          # LocalCluster closes a worker that has not come back within this time
                          # after dying; a restart imports torch (the data check): slow when busy.
                          "distributed.deploy.lost-worker-timeout": CLUSTER_START}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
            preload=["autograder.cluster"], preload_argv=["--course", str(remote.root), "--slots", "1"])
        try:
            address = cluster.scheduler_address
            first, killer1 = batch(address, "-killed-once-", "-nothing-")
            first_writes = list(writes)
            _submit(remote, "killed-always", slow)
            second, killer2 = batch(address, "-nothing-", "-killed-always-")
            yield {"local": {r["student"]: r for r in local_records},
                   "first": {r["student"]: r for r in first},
                   "cluster": {r["student"]: r for r in second},
                   "first_writes": first_writes, "second_writes": writes[len(first_writes):],
                   "kills": killer1.kills + killer2.kills, "kill_log": killer1.log + killer2.log, "killer_errors": killer1.errors + killer2.errors,
                   "remote": remote, "base": base, "address": address}
        finally:
            cluster.close()


def _without_time(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "seconds"}


def test_cluster_records_equal_local_records(runs):
    for student in (*HONEST, "killed-once"):
        assert _without_time(runs["cluster"][student]) == _without_time(runs["local"][student]), student
    assert [runs["cluster"][s]["total"] for s in HONEST] == [3.0, 1.0, 0.0]


def test_killed_workers_lose_nothing_and_record_nothing_twice(runs):
    assert not runs["killer_errors"], runs["killer_errors"]
    # killed-once died once and was graded elsewhere; killed-always died on every try.
    assert runs["kills"].count("-killed-once-") == 1, runs["kills"]
    assert runs["kills"].count("-killed-always-") == ALLOWED_FAILURES + 1, (runs["kill_log"], runs["cluster"]["killed-always"])
    assert runs["cluster"]["killed-once"]["state"] == "graded"
    assert runs["cluster"]["killed-once"]["total"] == 3.0
    crashed = runs["cluster"]["killed-always"]
    assert crashed["state"] == "crashed" and "KilledWorker" in crashed["reason"], crashed
    assert f"{ALLOWED_FAILURES + 1} tries" in crashed["reason"], crashed
    # Each submission written exactly once: batch 1 wrote its four, batch 2 only the new one.
    assert sorted(s for s, _ in runs["first_writes"]) == sorted((*HONEST, "killed-once"))
    assert runs["second_writes"] == [("killed-always", NB)]
    results = runs["remote"].workspace / "results" / UNIT
    for student, record in runs["cluster"].items():
        assert json.loads((results / student / "01-fixture.json").read_text()) == record


def test_rerun_resumes(runs):
    # Batch 2 was a re-run: what batch 1 graded came back unchanged, without being sent again.
    assert {s: r for s, r in runs["cluster"].items() if s != "killed-always"} == runs["first"]


def test_a_worker_with_other_course_files_refuses(runs, capsys):
    from autograder.cluster import WorkerRefused, course_hashes, grade_task, resource_name
    # The instructor's course has one hidden test changed; the workers still have the old one.
    other = Course.at(shutil.copytree(runs["remote"].root, runs["base"] / "other"))
    source = other.solutions / UNIT / NB
    nb = nbformat.read(source, as_version=4)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_add")
    test.source += "\nassert True  # changed after the workers started"
    nbformat.write(nb, source)
    shutil.rmtree(other.workspace / "results")
    with pytest.raises(SystemExit, match="no worker of .* can grade"):
        grade_unit(other, UNIT, limits=LIMITS, progress=False, scheduler=runs["address"])
    assert "course files differ in tests" in capsys.readouterr().err

    # Sent to such a worker anyway (with the resource it offers), the task refuses and says why.
    data_dir = Path(sb.Box.for_course(other.root).env["COURSE_DATA_DIR"])
    mine, theirs = course_hashes(other, UNIT, data_dir), course_hashes(runs["remote"], UNIT, data_dir)
    task = grade_module.Task(NB, nbformat.writes(nb), {}, [])
    with distributed.Client(runs["address"], timeout="60s") as client:
        future = client.submit(grade_task, task, UNIT, mine, LIMITS, True, resources={resource_name(theirs): 1},
                               pure=False)
        with pytest.raises(WorkerRefused, match="differ from the instructor's in: tests"):
            future.result(timeout=300)


def test_autograder_worker_command_joins_with_its_course_slots(tmp_path):
    """`autograder worker ADDRESS` (what the README tells a grading machine to run) starts a Dask
    worker whose slots are offered under the resource named after its course's hashes."""
    import subprocess
    import sys

    from autograder.cluster import QUIET_DASK, course_hashes, resource_name

    course = Course.at(shutil.copytree(FIXTURE, tmp_path / "course"))
    data_dir = Path(sb.Box.for_course(course.root).env["COURSE_DATA_DIR"])
    expected = resource_name(course_hashes(course, UNIT, data_dir))
    with distributed.LocalCluster(n_workers=0, dashboard_address=":0") as cluster, \
            distributed.Client(cluster.scheduler_address, timeout="60s") as client:
        log = open(tmp_path / "worker.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "autograder.cli", "--course", str(course.root), "worker",
                                 cluster.scheduler_address, "--slots", "2", "--name", "grader-1"],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 300  # a worker start imports torch (the data check)
            workers = {}
            while time.monotonic() < deadline and proc.poll() is None and not workers:
                workers = {w["name"]: w for w in client.scheduler_info()["workers"].values()}
                time.sleep(1)
            assert workers, f"no worker joined within 300 s; its log: {(tmp_path / 'worker.log').read_text()[-2000:]}"
            assert workers["grader-1"]["resources"] == {expected: 2}
            # It runs with Dask's housekeeping timers slowed (QUIET_DASK), leaving the cores to kernels.
            settings = client.run(lambda: {key: dask.config.get(key) for key in QUIET_DASK})
            assert list(settings.values()) == [QUIET_DASK], settings
        finally:
            proc.terminate()
            proc.wait(timeout=120)
            log.close()


def test_grade_with_a_bad_scheduler_address_says_so(tmp_path):
    from autograder.cluster import run_on_cluster

    course = Course.at(shutil.copytree(FIXTURE, tmp_path / "course"))
    with pytest.raises(SystemExit, match="cannot reach the Dask scheduler at 'not a scheduler'"):
        run_on_cluster(course, UNIT, [], "not a scheduler", LIMITS, True, None, {}, False)
