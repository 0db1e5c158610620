"""The box a submission's kernel runs in: bubblewrap, an unprivileged uid, rlimits and a watchdog.

One `Slot` per grading worker. A slot owns a scratch folder and, when the grader runs as root, a
uid of its own (61000 and up, locked so two grading runs never share one). Per submission:

    slot.reset()                                 # fresh scratch, nothing left of the last student
    km = SandboxKernelManager(slot=slot, limits=limits, box=box)   # nbclient starts it
    with Watchdog(slot, limits, km) as dog: ...  # whole-notebook time, memory and disk limits

The kernel command jupyter_client builds (`python -m ipykernel_launcher -f kernel.json`) is wrapped,
outermost first, in:

    bwrap --unshare-ipc --unshare-pid --unshare-net --unshare-uts --unshare-cgroup-try
          --die-with-parent --new-session --clearenv --setenv ... (only the variables we choose)
          --ro-bind /usr, /etc/<the few files the loader needs>, the Python installation, the
          venv, the coursekit package, data/   (all at their own paths)
          --proc /proc --dev /dev --bind <slot>/tmp /tmp --bind <slot>/shm /dev/shm
          --bind <slot> <slot> --chdir <slot>/home
      prlimit --data=<memory> --nproc=<n> --fsize=<file> --nofile=1024 --core=0 --
      setpriv --reuid=<slot uid> --regid=<slot uid> --clear-groups --no-new-privs
              --inh-caps=-all --bounding-set=-all --
      python -m ipykernel_launcher -f <slot>/kernel/kernel-<random>.json

so inside there is no network (a fresh network namespace: loopback only), no view of the
solutions, the gradebook, the course folder, other submissions or the instructor's home (they
are simply not mounted), no other process (own pid namespace), no capability and no way back to
root. Why each limit is the one it is:

- memory: RLIMIT_DATA, not RLIMIT_AS: `import torch` alone maps ~3 GiB of address space (so an
  AS limit of a few GiB breaks honest notebooks) but only ~0.8 GiB of data. A process that
  allocates past it gets MemoryError in its cell. Several processes together (fork + allocate)
  are caught by the watchdog, which sums the proportional resident memory (PSS: pages shared
  after a fork count once) of every process of the slot's uid, plus the shared memory the box
  holds that no PSS shows (see `shared_memory`: memfds, SysV segments, POSIX shared memory in
  its /dev/shm -- written to, not mapped, or detached, it is in no process's PSS), and kills
  the box past memory + 0.5 GiB (the slack is one process's shared libraries). The box's
  /dev/shm is the slot's shm/ folder and its SysV segments live in its own IPC namespace, so
  both go when the slot is reset; without bubblewrap the slot uid's segments and /dev/shm
  files are removed at each reset.
- processes: RLIMIT_NPROC counts processes *per real uid* and the kernel ignores it for root,
  which is why the kernel runs as the slot's own uid: a fork bomb exhausts its own slot's count
  and never another worker's.
- disk: RLIMIT_FSIZE caps any one file; the watchdog caps the scratch folder's total size and
  file count. Only the scratch folder and /tmp (which lives inside it) are writable.
- time: the per-cell limit is nbclient's `timeout`; the whole-notebook limit is the watchdog,
  which kills the box (the kernel, every child, the pid namespace) when time is up.

ipykernel's parent poller is switched off (no JPY_PARENT_PID, since --clearenv): in a pid
namespace its parent is pid 1 and it would exit at once. `--die-with-parent` replaces it: if
the grader dies, so does the box.

Without bubblewrap (`--no-sandbox`), the same prlimit/setpriv wrapper runs the kernel directly:
limits and the unprivileged uid still apply (when root), but the files are the instructor's.
The slot uid must then reach the interpreter, the venv, coursekit and data/ through the real
folders; a course or venv under a private folder (a 0700 home, a `mktemp -d` checkout) is not
reachable, so `Box.for_course` checks that once with a uid that owns nothing and, when it
fails, runs the kernels as the invoking user instead (with a warning naming the folder).
"""
from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any as AnyTrait

GiB = 1024 ** 3
UID_RANGE = range(61000, 61999)
UID_LOCK_DIR = Path(tempfile.gettempdir()) / "autograder-uids"

BWRAP_MISSING = ("bubblewrap (bwrap) not found: install it (apt-get install bubblewrap) or pass "
                 "--no-sandbox to run student code with your own rights")

# What a graded kernel sees of /etc: the dynamic loader's cache and little else (no passwd,
# no hosts, no instructor configuration).
ETC_FILES = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "fonts",
             "mime.types", "nsswitch.conf"]


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Times in seconds, sizes in GiB."""
    memory_gib: float = 4.0
    timeout_cell: float = 60.0
    timeout_notebook: float = 600.0
    nproc: int = 256          # processes + threads of the slot's uid (torch starts a few threads)
    file_gib: float = 1.0     # largest single file
    disk_gib: float = 2.0     # the whole scratch folder
    max_files: int = 20_000
    nofile: int = 1024

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_gib * GiB)


@dataclass
class Box:
    """Where the sandbox's read-only view comes from (one per grading run)."""
    sandbox: bool = True                      # False: --no-sandbox (no bwrap)
    ro_paths: list[Path] = field(default_factory=list)   # bound read-only at the same path
    env: dict[str, str] = field(default_factory=dict)    # the kernel's whole environment (minus HOME etc.)
    mpl_cache: Path | None = None             # a prebuilt matplotlib font cache, copied per submission
    as_invoker: bool = False                  # --no-sandbox only: kernels run as us, not the slot uid

    @classmethod
    def for_course(cls, course_root: Path, sandbox: bool = True, extra_env: dict | None = None) -> "Box":
        """The read-only view a course's kernels need: Python, the venv, coursekit and data/."""
        import importlib.util
        ro = [Path(sys.base_prefix), Path(sys.prefix)]
        spec = importlib.util.find_spec("coursekit")  # found, not imported (it imports torch)
        kit = Path(spec.origin).resolve().parent
        ro.append(kit)
        # coursekit.data's own rule: $COURSE_DATA_DIR, else the course's data/, else the one
        # beside the coursekit package.
        if os.environ.get("COURSE_DATA_DIR"):
            data_dir = Path(os.environ["COURSE_DATA_DIR"])
        else:
            candidates = [Path(course_root) / "data", kit.parent / "data"]
            data_dir = next((c for c in candidates if c.is_dir()), candidates[-1])
        data_dir.mkdir(parents=True, exist_ok=True)  # grade builds the sets into it before any kernel starts
        ro.append(data_dir.resolve())
        env = {
            "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "USER": "student", "LOGNAME": "student",
            "VIRTUAL_ENV": sys.prefix, "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
            # The grading switch and determinism (the common brief's list).
            "COURSE_GRADING": "1", "COURSE_SMOKE": "1", "COURSE_DEVICE": "cpu", "COURSE_HEADLESS": "1",
            "COURSE_SEED": "0", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
            "CUDA_VISIBLE_DEVICES": "",
            "PYTHONFAULTHANDLER": "1",  # a crashing kernel leaves its traceback in the kernel log
            "COURSE_DATA_DIR": str(data_dir.resolve()),
        }
        env.update(extra_env or {})
        box = cls(sandbox=sandbox, ro_paths=_dedupe(ro), env=env)
        box.mpl_cache = _matplotlib_cache()
        if not sandbox and is_root():
            problem = unreachable_for_others(box)
            if problem:
                box.as_invoker = True
                print(f"WARNING: --no-sandbox: {problem}; the grading kernels run as you (uid {os.getuid()}), "
                      "without a uid of their own. Make the folder enterable by other users (chmod o+x) "
                      "or install bubblewrap to keep student code off your uid.", file=sys.stderr)
        return box

    def kernel_uid(self, slot: "Slot") -> int | None:
        """The uid the kernel runs as: the slot's, or None (ours) when the slot uid cannot run it."""
        return None if self.as_invoker else slot.uid


NOBODY = 65534


def unreachable_for_others(box: Box) -> str | None:
    """Why a uid that owns nothing cannot run this box's kernels without bubblewrap, or None.

    Tried for real (as `nobody`, no groups: what a slot uid is to the instructor's files): the
    interpreter must start in its venv and find ipykernel and coursekit, and data/ must be
    listable. A failure names the first folder on the way that others may not enter."""
    probe = ("import importlib.util, os, sys\n"
             "assert sys.prefix == sys.argv[1], sys.prefix\n"
             "for m in ('ipykernel_launcher', 'coursekit'):\n"
             "    assert importlib.util.find_spec(m), m\n"
             "os.listdir(sys.argv[2])\n")
    cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--",
           sys.executable, "-c", probe, sys.prefix, box.env["COURSE_DATA_DIR"]]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd="/",
                              env={"PATH": box.env["PATH"], "LANG": "C.UTF-8"})
    except (OSError, subprocess.SubprocessError) as err:
        return f"could not check what the grading uid reaches ({err})"
    if proc.returncode == 0:
        return None
    for path in [Path(sys.executable), *box.ro_paths]:
        for folder in [*reversed(path.parents), path]:
            try:
                mode = folder.stat().st_mode
            except OSError:
                break
            if folder.is_dir() and not mode & 0o001:
                return f"the grading uid cannot enter {folder} (mode {mode & 0o777:o})"
    last = (proc.stderr.strip().splitlines() or ["?"])[-1]
    return f"the grading uid cannot run {sys.executable} with the course ({last})"


def _dedupe(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in sorted({Path(p).resolve() for p in paths if Path(p).exists()}, key=lambda p: len(p.parts)):
        if not any(p == q or q in p.parents for q in out):
            out.append(p)
    return out


_MPL_LOCK = threading.Lock()


def _matplotlib_cache() -> Path | None:
    """matplotlib's font cache, built once per machine and matplotlib version (a fresh HOME would
    rebuild it in every kernel: seconds each) and copied into each scratch. Built by our own,
    trusted Python, outside any sandbox; None when matplotlib is not installed."""
    try:
        from importlib.metadata import version
        mpl_version = version("matplotlib")
    except Exception:
        return None
    folder = Path(tempfile.gettempdir()) / f"autograder-mpl-{mpl_version}-{os.getuid()}"
    with _MPL_LOCK:
        if not any(folder.glob("fontlist-*.json")):
            folder.mkdir(mode=0o755, exist_ok=True)
            env = dict(os.environ, MPLCONFIGDIR=str(folder), MPLBACKEND="Agg")
            try:
                subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                               check=True, capture_output=True, timeout=300)
            except (subprocess.SubprocessError, OSError):
                return None
        return folder


class UidLease:
    """An unprivileged uid for one worker slot, held with a lock file for the life of the run."""

    def __init__(self):
        self.uid: int | None = None
        self._fd: int | None = None
        if not is_root():
            return  # not root: the kernel runs as us; nproc then counts all our processes
        UID_LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
        for uid in UID_RANGE:
            fd = os.open(UID_LOCK_DIR / f"{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.uid, self._fd = uid, fd
            kill_uid(uid)  # leftovers of a crashed earlier run
            return
        raise RuntimeError(f"no free sandbox uid in {UID_RANGE.start}..{UID_RANGE.stop - 1}")

    def release(self) -> None:
        if self._fd is not None:
            kill_uid(self.uid)
            os.close(self._fd)
            self._fd = None


def kill_uid(uid: int | None) -> None:
    """SIGKILL every process of `uid` (as that uid: kill(-1) cannot miss a fork bomb's children)."""
    if uid is None or not is_root():
        return
    deadline = time.monotonic() + 10  # a big process takes a moment to die; its slot waits
    while time.monotonic() < deadline:
        if not processes_of_uid(uid):
            return
        # kill(-1) from a shell running as the uid (no fork of this threaded process: a
        # fork-without-exec could deadlock in an at-fork handler of some library).
        try:
            subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--",
                            "/bin/sh", "-c", "kill -9 -1"], timeout=10,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            pass
        time.sleep(0.1)


def processes_of_uid(uid: int) -> list[psutil.Process]:
    out = []
    for p in psutil.process_iter(["uids", "status"]):
        try:
            if p.info["uids"] and p.info["uids"].real == uid and p.info["status"] != psutil.STATUS_ZOMBIE:
                out.append(p)
        except (psutil.Error, TypeError):
            pass
    return out


def _pss(p: psutil.Process) -> int:
    try:
        with open(f"/proc/{p.pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return p.memory_info().rss
    except psutil.Error:
        return 0


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


# ------------------------------------------------------------------ shared memory outside PSS

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWIPC = 0x08000000
IPC_RMID = 0
HOST_SHM = Path("/dev/shm")


def _ipc_namespace(pid: int | str) -> int:
    return os.stat(f"/proc/{pid}/ns/ipc").st_ino


def _read_sysvipc(pid: int | None = None) -> str:
    """/proc/sysvipc/shm as seen from the IPC namespace of `pid` (ours when None). The file shows
    the reader's namespace, so this thread joins the box's for the read and goes back (setns of
    an IPC namespace changes only the calling thread)."""
    path = "/proc/sysvipc/shm"
    if pid is None:
        return Path(path).read_text()
    own = os.open("/proc/thread-self/ns/ipc", os.O_RDONLY)
    try:
        target = os.open(f"/proc/{pid}/ns/ipc", os.O_RDONLY)
        try:
            if _libc.setns(target, CLONE_NEWIPC) != 0:
                raise OSError(ctypes.get_errno(), "setns into the box's IPC namespace")
        finally:
            os.close(target)
        try:
            return Path(path).read_text()
        finally:
            if _libc.setns(own, CLONE_NEWIPC) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(own)


def sysv_segments(pid: int | None = None) -> list[dict]:
    """SysV shared memory segments of pid's IPC namespace (ours when None): shmid, uid, cpid and
    bytes (resident plus swapped when the kernel says, else the segment's size)."""
    try:
        lines = _read_sysvipc(pid).splitlines()
    except OSError:
        return []
    if not lines:
        return []
    head, out = lines[0].split(), []
    for line in lines[1:]:
        row = dict(zip(head, line.split()))
        try:
            used = int(row["rss"]) + int(row.get("swap", 0)) if "rss" in row else int(row["size"])
            out.append({"shmid": int(row["shmid"]), "uid": int(row["uid"]), "cpid": int(row["cpid"]),
                        "bytes": used})
        except (KeyError, ValueError):
            continue
    return out


def shared_memory(procs: list[psutil.Process], shm_dir: Path | None, uid: int | None) -> int:
    """Bytes of shared memory the box holds that its processes' PSS may not show, each object once:
    memfds and /dev/shm files its processes hold open, the files in its /dev/shm (`shm_dir`; only
    those of `uid` when that is the host's /dev/shm), and the SysV segments of its IPC namespace
    (without bubblewrap, the host's: those of `uid`, or created by one of `procs`). A page that a
    process also maps is in its PSS too: counted twice, which only ever errs towards the limit."""
    seen: dict[tuple[int, int], int] = {}
    for p in procs:
        fd_dir = f"/proc/{p.pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"{fd_dir}/{fd}").startswith(("/memfd:", "/dev/shm/")):
                    st = os.stat(f"{fd_dir}/{fd}")
                    seen[st.st_dev, st.st_ino] = st.st_blocks * 512
            except OSError:
                continue
    if shm_dir is not None:
        for folder, dirs, files in os.walk(shm_dir):
            for name in files:
                try:
                    st = os.lstat(os.path.join(folder, name))
                except OSError:
                    continue
                if shm_dir != HOST_SHM or st.st_uid == uid:
                    seen[st.st_dev, st.st_ino] = st.st_blocks * 512
    total = sum(seen.values())
    try:
        ours = _ipc_namespace("thread-self")
    except OSError:
        return total
    pids = {p.pid for p in procs}
    for pid in pids:  # inside bubblewrap: every segment of the box's own namespace is the box's
        try:
            if _ipc_namespace(pid) != ours:
                return total + sum(seg["bytes"] for seg in sysv_segments(pid))
        except OSError:
            continue
    return total + sum(seg["bytes"] for seg in sysv_segments()
                       if (uid is not None and seg["uid"] == uid) or seg["cpid"] in pids)


def release_shared_memory(uid: int | None) -> None:
    """Remove what a slot uid left in the host's shared memory (without bubblewrap): its SysV
    segments (they outlive every process) and its /dev/shm files. Inside bubblewrap both die with
    the box (its own IPC namespace, its /dev/shm in the scratch)."""
    if uid is None or not is_root():
        return
    for seg in sysv_segments():
        if seg["uid"] == uid:
            _libc.shmctl(seg["shmid"], IPC_RMID, None)
    try:
        entries = list(os.scandir(HOST_SHM))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_uid == uid:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
        except OSError:
            continue


class Slot:
    """A worker's scratch folder (and uid). Layout, all inside `dir` (root-owned, 0755):
    home/ (the kernel's cwd and HOME), tmp/ (its /tmp), kernel/ (connection file, ipc sockets),
    shm/ (its /dev/shm inside bubblewrap)."""

    def __init__(self, base: Path, index: int):
        self.index = index
        self.dir = Path(base) / f"slot{index}"
        self.lease = UidLease()
        self.uid = self.lease.uid

    @property
    def home(self) -> Path:
        return self.dir / "home"

    @property
    def tmp(self) -> Path:
        return self.dir / "tmp"

    @property
    def kernel_dir(self) -> Path:
        return self.dir / "kernel"

    @property
    def shm(self) -> Path:
        return self.dir / "shm"

    def reset(self, mpl_cache: Path | None = None) -> None:
        """Kill what is left of the last submission and give the next one an empty scratch."""
        kill_uid(self.uid)
        release_shared_memory(self.uid)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, mode=0o755)
        os.chmod(self.dir, 0o755)
        for sub in (self.home, self.tmp, self.kernel_dir, self.shm):
            sub.mkdir(mode=0o700)
        if mpl_cache is not None:
            shutil.copytree(mpl_cache, self.home / ".config" / "matplotlib")
        self.give_to_uid(self.dir, top=False)

    def give_to_uid(self, path: Path, top: bool = True) -> None:
        """chown everything under path (not path itself unless top) to the slot's uid."""
        if self.uid is None:
            return
        for folder, dirs, files in os.walk(path):
            for name in dirs + files:
                os.lchown(os.path.join(folder, name), self.uid, self.uid)
        if top:
            os.lchown(path, self.uid, self.uid)

    def close(self) -> None:
        kill_uid(self.uid)
        release_shared_memory(self.uid)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.lease.release()


def limit_command(limits: Limits, uid: int | None) -> list[str]:
    """prlimit (and setpriv when root) around the kernel: the part that also runs without bwrap."""
    cmd = ["prlimit", f"--data={limits.memory_bytes}", f"--fsize={int(limits.file_gib * GiB)}",
           f"--nofile={limits.nofile}", "--core=0"]
    if uid is not None:
        cmd.append(f"--nproc={limits.nproc}")
    cmd.append("--")
    if uid is not None:
        cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all", "--bounding-set=-all", "--"]
    return cmd


def bwrap_command(slot: Slot, box: Box, env: dict[str, str]) -> list[str]:
    """The bubblewrap part: namespaces, the read-only view, the writable scratch, the environment."""
    cmd = [bwrap_path() or "bwrap",
           "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
           "--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
    if not is_root():
        cmd.append("--unshare-user")  # unprivileged bwrap needs a user namespace
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    made: set[str] = set()  # parent folders already created 0755

    def bind(kind: str, path: Path) -> None:
        # bwrap creates missing parent folders of a mount point 0700 (root's), which the slot's
        # uid could not traverse (/etc, /root above the Python installation): make them 0755 first.
        for parent in reversed(Path(path).parents):
            if str(parent) != "/" and str(parent) not in made:
                made.add(str(parent))
                cmd.extend(["--perms", "0755", "--dir", str(parent)])
        cmd.extend([kind, str(path), str(path)])

    # /tmp first: a read-only path that lives under /tmp (a course in a temp folder) must be
    # mounted on top of it, not hidden by it.
    # /dev/shm is the slot's shm/ folder, not a tmpfs of bwrap's: the watchdog counts what is
    # in it as the box's memory, and the next reset empties it.
    cmd += ["--proc", "/proc", "--dev", "/dev", "--bind", str(slot.shm), "/dev/shm", "--bind", str(slot.tmp), "/tmp"]
    made.add("/tmp")
    bind("--ro-bind", Path("/usr"))
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / top
        if path.is_symlink():
            cmd += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            bind("--ro-bind", path)
    for name in ETC_FILES:
        if (Path("/etc") / name).exists():
            bind("--ro-bind", Path("/etc") / name)
    for path in box.ro_paths:
        bind("--ro-bind", path)
    # The scratch is bound at its own path (the connection file and the ipc sockets name it).
    bind("--bind", slot.dir)
    cmd += ["--chdir", str(slot.home), "--"]
    return cmd


def kernel_env(slot: Slot, box: Box) -> dict[str, str]:
    env = dict(box.env)
    env.update({"HOME": str(slot.home), "TMPDIR": "/tmp" if box.sandbox else str(slot.tmp),
                "MPLCONFIGDIR": str(slot.home / ".config" / "matplotlib"),
                "IPYTHONDIR": str(slot.home / ".ipython")})
    return env


def box_command(slot: Slot, box: Box, limits: Limits) -> list[str]:
    """What runs a command in the slot's box: bwrap (or, with --no-sandbox, only our environment
    through `env -i`), then the limits and the slot's uid. Used for the student's kernel and for
    the grading checker, each in a slot of its own."""
    env = kernel_env(slot, box)
    prefix = limit_command(limits, box.kernel_uid(slot))
    if box.sandbox:
        return bwrap_command(slot, box, env) + prefix
    return ["env", "-i", *[f"{k}={v}" for k, v in env.items()]] + prefix


class SandboxKernelManager(AsyncKernelManager):
    """A KernelManager whose kernel command runs inside the slot's box (see module docstring).

    jupyter_client's LocalProvisioner asks `format_kernel_cmd` for the command and writes the
    connection file just before; both are hooked here. Transport is ipc: the sockets live in
    the slot's kernel/ folder, the only channel between the box and the grader.
    """
    slot = AnyTrait()
    limits = AnyTrait()
    box = AnyTrait()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        # Fresh names per kernel: a client of an earlier kernel that has not let go of its
        # sockets must never reach this one, and an earlier KernelManager's __del__ (which
        # deletes *its* connection file whenever the garbage collector gets to it) must never
        # delete this kernel's file before the kernel has read it (the kernel would then invent
        # a TCP connection nobody can reach, and never answer).
        tag = os.urandom(4).hex()
        self.ip = str(self.slot.kernel_dir / f"ipc-{tag}")
        self.connection_file = str(self.slot.kernel_dir / f"kernel-{tag}.json")

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.slot.uid is not None:  # the kernel (slot uid) must read it; nobody else can
            os.chown(self.connection_file, self.slot.uid, self.slot.uid)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return box_command(self.slot, self.box, self.limits) + super().format_kernel_cmd(extra_arguments)

    @property
    def kernel_uid(self) -> int | None:
        return self.box.kernel_uid(self.slot)

    @property
    def box_pid(self) -> int | None:
        proc = getattr(self.provisioner, "process", None)
        return None if proc is None else proc.pid

    def kill_box(self) -> None:
        """Kill the whole box now: bwrap (its pid namespace dies with it) and every process of the uid."""
        pid = self.box_pid
        if pid is not None:
            for p in reversed(_tree(pid)):
                try:
                    p.kill()
                except psutil.Error:
                    pass
        kill_uid(self.slot.uid)
        proc = getattr(self.provisioner, "process", None)
        if proc is not None:  # reap bwrap: no zombie per submission
            try:
                proc.wait(timeout=10)
            except Exception:
                pass


def scratch_usage(folder: Path, max_files: int) -> tuple[int, int]:
    """(bytes on disk, files) under folder, counting stops a little past max_files."""
    total = count = 0
    stack = [str(folder)]
    while stack and count <= max_files:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    count += 1
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    total += st.st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            continue
    return total, count


class Watchdog(threading.Thread):
    """Watches one running submission: whole-notebook time, total memory, scratch size.

    On a breach it kills the box and records (state, reason); nbclient then sees the kernel die.
    """

    def __init__(self, slot: Slot, limits: Limits, km: SandboxKernelManager, interval: float = 0.25):
        super().__init__(daemon=True, name=f"watchdog-{slot.index}")
        self.slot, self.limits, self.km, self.interval = slot, limits, km, interval
        self.verdict: tuple[str, str] | None = None
        self._stop_event = threading.Event()
        self.clock_started_at: float | None = None
        self.peak_rss = 0

    def __enter__(self) -> "Watchdog":
        self.start()
        return self

    def start_clock(self) -> None:
        """The whole-notebook clock starts with the first cell (kernel start has its own limit)."""
        if self.clock_started_at is None:
            self.clock_started_at = time.monotonic()

    def __exit__(self, *exc) -> None:
        self._stop_event.set()
        self.join(timeout=5)

    def _processes(self) -> list[psutil.Process]:
        uid = self.km.kernel_uid
        if uid is not None:
            return processes_of_uid(uid)
        pid = self.km.box_pid
        return _tree(pid) if pid else []

    def _memory(self) -> tuple[int, int]:
        """(total, shared): the proportional set size of all the box's processes (pages shared
        after a fork are counted once: summing RSS would count them per process and kill honest
        forks) plus the shared memory no PSS shows (`shared_memory`)."""
        procs = self._processes()
        uid = self.km.kernel_uid
        if self.km.box.sandbox:
            shm_dir = self.slot.shm
        else:
            shm_dir = HOST_SHM if uid is not None else None  # as us: no telling our files from its
        shared = shared_memory(procs, shm_dir, uid)
        return sum(_pss(p) for p in procs) + shared, shared

    def _breach(self, state: str, reason: str) -> None:
        if self.verdict is None:
            self.verdict = (state, reason)
        self.km.kill_box()

    def run(self) -> None:
        lim = self.limits
        memory_cap = lim.memory_bytes + GiB // 2  # slack: one process's shared libraries
        tick = 0
        while not self._stop_event.wait(self.interval):
            tick += 1
            started = self.clock_started_at
            if started is not None and time.monotonic() - started > lim.timeout_notebook:
                self._breach("timed_out", f"the notebook ran longer than {lim.timeout_notebook:g} s (whole-notebook limit)")
                return
            rss, shared = self._memory()
            self.peak_rss = max(self.peak_rss, rss)
            if rss > memory_cap:
                held = f", {shared / GiB:.1f} GiB of it shared memory (memfd, SysV, /dev/shm)" if shared > GiB // 8 else ""
                self._breach("crashed", f"out of memory: its processes used {rss / GiB:.1f} GiB{held} "
                                        f"(limit {lim.memory_gib:g} GiB)")
                return
            if tick % 4 == 0:  # the folder walk costs more: once a second
                used, files = scratch_usage(self.slot.dir, lim.max_files)
                if used > lim.disk_gib * GiB or files > lim.max_files:
                    self._breach("crashed", f"filled its scratch disk: {used / GiB:.2f} GiB in {files} files "
                                            f"(limit {lim.disk_gib:g} GiB, {lim.max_files} files)")
                    return


def exit_reason(code: int | None) -> str:
    """Words for a dead kernel's exit status (bwrap passes the kernel's status through)."""
    if code is None:
        return "kernel died"
    if code < 0:
        sig = -code
    elif code > 128:
        sig = code - 128
    else:
        return f"kernel exited with status {code} (sys.exit/os._exit or a fatal error)"
    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
    hint = " (out of memory?)" if sig == signal.SIGKILL else ""
    return f"kernel killed by {name}{hint}"


__all__ = ["Limits", "Box", "Slot", "SandboxKernelManager", "box_command", "Watchdog", "bwrap_path", "BWRAP_MISSING",
           "kill_uid", "exit_reason", "scratch_usage"]
