"""Shared fixtures: a released copy of the fixture course; a throwaway PostgreSQL server.

`released_fixture_course`: a private copy of tests/fixture_course's solutions, released into its
units/ (a test may edit it freely).

`course_files_hash(root)`: sha256 of every file of a course outside grading/ (the grader's own
workspace), to prove that grading a batch changed none of them.

Collection puts the longest files first (LONGEST_FIRST): `make test` runs two files at a time
(pytest-xdist, `--dist loadfile`), and a long file started last would run alone at the end.

`postgres_url` (session scope) installs the Debian `postgresql` package when its binaries are
missing and we are root (CI; `make system-deps` normally did it already), initialises a cluster
in a fresh temporary folder owned by the `postgres` user (the server refuses to run as root, so
every server command runs through `runuser -u postgres` when we are root), starts it on
127.0.0.1 with a free port, creates a database and yields its URL. The server is stopped and its
folder removed at the end of the session. Skipped, with the reason, only when the binaries are
missing and we are not root.
"""
from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


LONGEST_FIRST = ("test_release_check.py", "test_grade_real_course.py", "test_mutate.py", "test_cluster.py")


def pytest_collection_modifyitems(items):
    def rank(item):
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank)  # stable: the order within a file and among the others stays


def course_files_hash(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "grading" not in p.relative_to(root).parts}


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    root = os.geteuid() == 0
    bindir = _pg_bin()
    if bindir is None:
        if not root:
            pytest.skip("PostgreSQL server binaries missing and not root: run `sudo apt-get install postgresql`")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
        bindir = _pg_bin()
        assert bindir is not None, "apt-get install postgresql left no /usr/lib/postgresql/*/bin/initdb"

    folder = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
    as_user: list[str] = []
    if root:
        user = pwd.getpwnam("postgres")  # created by the Debian package
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*cmd: str) -> None:
        proc = subprocess.run([*as_user, *cmd], capture_output=True, text=True, cwd=folder)
        if proc.returncode:
            server_log = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}{server_log}")

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "gradebook")
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def released_fixture_course(tmp_path):
    from autograder.course import Course
    from autograder.release import release
    shutil.copytree(Path(__file__).parent / "fixture_course" / "solutions", tmp_path / "solutions")
    course = Course.at(tmp_path)
    release(course, "1-fixture")
    return course
