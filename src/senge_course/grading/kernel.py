"""Run one notebook in a fresh kernel with time and memory limits (the grader's engine room).

*Memory.*  A temporary kernelspec starts the kernel through `WRAPPER`, which sets ``RLIMIT_AS``
and then starts ipykernel in the same process, so the limit binds the kernel and all it starts
(Linux only; elsewhere the wrapper says so on stderr).  ``MALLOC_ARENA_MAX=2`` (glibc otherwise
reserves 64 MB of address space per thread) and one BLAS/OpenMP thread make the limit measure
what the learner's code allocates.  Past it a cell raises ``MemoryError`` and the kernel lives
on; a kernel that dies of it is told apart by the memory errors on its stderr.

*Time.*  A cell over ``cell_timeout`` is interrupted (SIGINT, as the stop button does); if the
kernel then answers a probe within a few seconds the next cells run, so a runaway loop costs only
its own question; if not (a loop in C, a handler that swallows ``KeyboardInterrupt``), nothing
more can be read.  Once the cells use up ``timeout`` the rest are skipped and the answers
collected, under limits of their own.  What goes wrong is reported as `Incident` objects.

*Isolation.*  With ``sandbox="bwrap"`` (`SANDBOXES`) the kernel runs under bubblewrap
(`sandbox_command`): its own PID, IPC, network, UTS and user namespaces (no network at all), the
system, Python and the course package read-only, and nothing else of the machine: a private
``/tmp``, and one writable folder holding only its copy of the notebook.  It talks to the grader
over ``ipc`` sockets in a folder only the two share; every process it starts dies with it
(``--die-with-parent`` and its PID namespace), even one in a session of its own.  It cannot see
other submissions, the solutions, the gradebook, the grader's environment, home or processes.
The grader reads at most `MAX_MESSAGE_MB` per message from it and the tail of its stderr.
``"none"`` runs the kernel as the grader's own user with only the limits above; ``"auto"``
(`resolve_sandbox`) takes bubblewrap where it works here and otherwise says so loudly.

Examples
--------
>>> spec = kernel_spec(512)
>>> spec["argv"][1], spec["argv"][3], spec["argv"][-2:]
('-c', '536870912', ['-f', '{connection_file}'])
"""

import asyncio
import contextlib
import functools
import inspect
import json
import logging
import math
import os
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_text
from .status import Incident

__all__ = [
    "MAX_MESSAGE_MB",
    "SANDBOXES",
    "WRAPPER",
    "Execution",
    "Kernels",
    "Limits",
    "kernel_death",
    "kernel_spec",
    "resolve_sandbox",
    "run_notebook",
    "sandbox_command",
]

_KERNEL_NAME = "senge-grader"

#: How a submission's kernel may be isolated (`resolve_sandbox`).
SANDBOXES = ("auto", "bwrap", "none")
#: The largest message (megabytes) the grader reads from a kernel; a larger one is dropped.
MAX_MESSAGE_MB = 16
#: The largest file (megabytes) a kernel may write.
MAX_FILE_MB = 512

#: The kernel launcher: set the address-space and file-size limits, then start ipykernel in
#: this process.
WRAPPER = """\
import sys
limit = int(sys.argv.pop(1))
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit)) if limit > 0 else None
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
except (ImportError, ValueError, OSError) as exc:
    sys.stderr.write(f"senge-grader: memory limit not set: {exc}\\n")
if sys.path and sys.path[0] == "":
    del sys.path[0]
from ipykernel import kernelapp
kernelapp.launch_new_instance()
""".replace("FILE_LIMIT", str(MAX_FILE_MB * 2**20))

# Environment variables the learner's kernel may see (and any LC_* or SENGE_*): enough to run
# Python, never the grader's tokens or secrets (JupyterHub API tokens, cloud keys, ...).
_ENV_KEEP = set(
    """PATH HOME USER LOGNAME LANG LANGUAGE TZ SYSTEMROOT PYTHONPATH PYTHONHOME VIRTUAL_ENV
    CONDA_PREFIX CONDA_DEFAULT_ENV LD_LIBRARY_PATH SENGE_COURSE_ROOT MPLCONFIGDIR IPYTHONDIR
    JUPYTER_CONFIG_DIR JUPYTER_DATA_DIR JUPYTER_PATH XDG_CACHE_HOME XDG_CONFIG_HOME XDG_DATA_HOME
    SSL_CERT_FILE SSL_CERT_DIR""".split()
)
_ENV_SET = {
    "MALLOC_ARENA_MAX": "2",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "PYTHONUNBUFFERED": "1",
}

_TIMEOUT_NAME = "SengeGraderTimeout"
_PROBE_SECONDS = 5
_MEMORY_SIGNS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")

_log = logging.getLogger("senge_course.grading.kernel")
_log.addHandler(logging.NullHandler())
_log.propagate = False


@dataclass(frozen=True)
class Limits:
    """A submission's limits, checked: seconds for all its cells and for any one cell (by default
    the smaller of 120 and `timeout`), and the kernel's memory in megabytes.

    >>> Limits(timeout=60, memory_mb=1024)
    Limits(timeout=60.0, cell_timeout=60.0, memory_mb=1024)
    >>> Limits().call_seconds  # reading one answer, or one call of a learner's function
    10.0
    """

    timeout: float = 600.0
    cell_timeout: float | None = None
    memory_mb: int = 2048

    def __post_init__(self):
        from .._validate import check_integer, check_number

        timeout = check_number("timeout", self.timeout, low=1)
        cell = min(120.0, timeout) if self.cell_timeout is None else self.cell_timeout
        cell = min(check_number("cell_timeout", cell, low=1), timeout)
        memory = check_integer("memory_mb", self.memory_mb, low=256, high=machine_memory_mb())
        for name, value in (("timeout", timeout), ("cell_timeout", cell), ("memory_mb", memory)):
            object.__setattr__(self, name, value)

    @property
    def call_seconds(self):
        """Seconds for reading one answer or one call of a learner's function (1 to 10)."""
        return max(1.0, min(10.0, self.cell_timeout / 2))


@dataclass
class Execution:
    """What running a notebook produced: the collection cell's `MIME` outputs (one if all went
    well), the incidents in order, whether the collection cell finished, and the last cell run."""

    payloads: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    collected: bool = False
    where: str = ""

    @property
    def stopped(self):
        """Whether a fatal incident stopped the kernel (no answer can be read)."""
        return any(i.fatal for i in self.incidents)

    def add(self, kind, detail, *, fatal=False, cell=None, error=""):
        """Record an `Incident` (`cell`: the code cell's number, `error`: the exception's name)."""
        self.incidents.append(Incident(kind, fatal, detail, cell, error))


def kernel_spec(memory_mb, sandbox=()):
    """The ``kernel.json`` content that starts a kernel limited to `memory_mb` megabytes, inside
    the `sandbox` command line (`sandbox_command`; empty: none).  A sandboxed kernel is
    interrupted by a message, since it has a PID namespace and a session of its own."""
    limit = int(memory_mb) * 1024 * 1024 if memory_mb else 0
    return {
        "argv": [*sandbox, sys.executable, "-c", WRAPPER, str(limit), "-f", "{connection_file}"],
        "display_name": "senge-course grader",
        "language": "python",
        "interrupt_mode": "message" if sandbox else "signal",
        "metadata": {"debugger": False},
    }


def machine_memory_mb():
    """The machine's memory in megabytes (the largest ``memory_mb`` a kernel may have)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):  # not POSIX: no bound known
        return 2**31


def resolve_sandbox(mode):
    """The sandbox a grading run uses for `mode` (one of `SANDBOXES`), and a warning.

    Returns ``(level, warning)``: level ``"bwrap"`` or ``"none"``; `warning` is "" or the
    sentence to show in the output and the gradebook (``"auto"`` without a working bubblewrap).

    Raises
    ------
    ValueError
        For an unknown mode, or ``"bwrap"`` where bubblewrap does not work (saying why).
    """
    if mode not in SANDBOXES:
        raise ValueError(f"sandbox must be one of {', '.join(SANDBOXES)}, got sandbox={mode!r}")
    if mode == "none":
        return "none", ""
    problem = bwrap_problem()
    if problem is None:
        return "bwrap", ""
    if mode == "bwrap":
        raise ValueError(f"--sandbox bwrap: {problem}")
    return "none", (
        f"NOT SANDBOXED: {problem}; students' code ran as the grader's own user (install "
        "bubblewrap, or see the README's table of what each sandbox level protects)"
    )


@functools.cache
def bwrap_problem():
    """None if bubblewrap runs a process here with all its namespaces; else why not."""
    import subprocess

    if sys.platform != "linux":
        return f"bubblewrap needs Linux, this is {sys.platform}"
    exe = shutil.which("bwrap")
    if exe is None:
        return "bubblewrap (bwrap) is not installed"
    probe = [exe, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev"]
    probe += ["--proc", "/proc", "--", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap does not run here ({exc})"
    if done.returncode:
        why = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        return f"bubblewrap does not work here ({why[0][:200]})"
    return None


def sandbox_command(workdir, ipc, *, env=None):
    """The bubblewrap command line (before the kernel's own) for a kernel working in `workdir`
    and talking to the grader through sockets in `ipc`; `env`: the kernel's environment (its
    PYTHONPATH decides which folders Python needs).

    Read-only: ``/usr`` (and the ``/bin``, ``/lib`` links), the few ``/etc`` files programs need,
    Python and the folders on its path.  Writable: `workdir`, `ipc` and a private ``/tmp``.
    """
    argv = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent"]
    argv += ["--new-session", "--unsetenv", "JPY_PARENT_PID", "--dev", "/dev", "--proc", "/proc"]
    argv += ["--tmpfs", "/tmp"]
    for top in ("bin", "lib", "lib32", "lib64", "libx32", "sbin"):
        path = Path("/") / top
        if path.is_symlink():
            argv += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            argv += ["--ro-bind", str(path), str(path)]
    for path in _readonly_paths(tuple(sorted((env or {}).items()))):
        argv += ["--ro-bind", path, path]
    for path in (Path(workdir), Path(ipc)):
        argv += ["--bind", str(path), str(path)]
    return [*argv, "--chdir", str(workdir), "--"]


_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "mime.types")


@functools.cache
def _readonly_paths(env_items):
    """The folders a kernel reads: /usr, some of /etc, Python's prefixes and its path."""
    import subprocess

    wanted = ["/usr", *(f"/etc/{name}" for name in _ETC)]
    wanted += [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    wanted.append(os.path.dirname(os.path.realpath(sys.executable)))
    code = "import sys, json; print(json.dumps(sys.path))"
    try:  # Python's own path, as the kernel will see it (site-packages, .pth files, PYTHONPATH)
        done = subprocess.run(
            [sys.executable, "-c", code], env=dict(env_items) or None, cwd="/",
            capture_output=True, timeout=60, check=True,
        )  # fmt: skip
        wanted += json.loads(done.stdout)
    except (OSError, ValueError, subprocess.SubprocessError):
        wanted += sys.path
    found = []
    for path in wanted:
        if path and os.path.isabs(path) and os.path.exists(path):
            real = os.path.realpath(path)
            found += [real] if real == path else [real, path]
    kept = []
    for path in sorted(set(found), key=lambda p: (p.count(os.sep), p)):
        if not any(path == k or path.startswith(k.rstrip(os.sep) + os.sep) for k in kept):
            kept.append(path)
    return tuple(kept)


def kernel_death(stderr, *, stage, memory_mb, code=None):
    """The `Incident` of a kernel that died while `stage`, told from its `stderr` text.

    >>> kernel_death("...MemoryError", stage="running code cell 3 (x = 1)", memory_mb=512).kind
    'memory'
    >>> print(kernel_death("", stage="running code cell 3 (x = 1)", memory_mb=512, code=3).detail)
    the kernel stopped while running code cell 3 (x = 1) (exit code 3)
    """
    how = f" (exit code {code})" if code is not None else ""
    if any(sign in stderr for sign in _MEMORY_SIGNS):
        detail = f"the kernel ran out of memory ({memory_mb} MB) while {stage}{how}"
        return Incident("memory", True, detail)
    if stage == "starting the kernel":
        detail = f"the kernel did not start{how}: is --memory-mb {memory_mb} too low?"
        return Incident("kernel died", True, detail)
    return Incident("kernel died", True, f"the kernel stopped while {stage}{how}")


def run_notebook(
    nb, workdir, *, collector, limits, collect_timeout, scratch, running=None, sandbox="none"
):
    """Run `nb`'s code cells (`nb` is not changed) in a fresh kernel in `workdir`, within
    `limits`, then the `collector` cell within `collect_timeout` seconds; return the `Execution`.
    `scratch` is a private folder for the kernelspec, stderr and temporary files; the kernel
    registers in `running` (`Kernels`) while it runs; `sandbox` is ``"bwrap"`` or ``"none"``
    (`resolve_sandbox` turns ``"auto"`` into one of them)."""
    if sandbox not in ("bwrap", "none"):
        raise ValueError(f"sandbox must be 'bwrap' or 'none' here, got sandbox={sandbox!r}")
    running = Kernels() if running is None else running
    run = _Run(nb, Path(workdir), collector, limits, collect_timeout, Path(scratch), running)
    run.sandbox = sandbox
    return asyncio.run(run.execute())


class Kernels:
    """The kernels (process groups) of one grading run, so that an interrupted run can stop them
    all at once: after `kill_all`, a kernel that registers later is killed at once."""

    def __init__(self):
        self._lock, self._groups, self.cancelled = threading.Lock(), set(), False

    def add(self, pgid):
        with self._lock:
            if self.cancelled:
                _killpg(pgid)
            else:
                self._groups.add(pgid)

    def discard(self, pgid):
        with self._lock:
            self._groups.discard(pgid)

    def kill_all(self):
        """Kill every registered kernel's process group, and any kernel registered later."""
        with self._lock:
            self.cancelled = True
            for pgid in self._groups:
                _killpg(pgid)
            self._groups.clear()


# ---------------------------------------------------------------- helpers


def _killpg(pgid):
    with contextlib.suppress(OSError, AttributeError):
        os.killpg(pgid, signal.SIGKILL)


@functools.cache
def _manager_class():
    from ..install import require

    require("jupyter_client", "grade", purpose="grading (senge-course grade, check)")
    import zmq
    import zmq.asyncio
    from jupyter_client.manager import AsyncKernelManager

    class GradingKernelManager(AsyncKernelManager):
        """Its clients drop any message over `MAX_MESSAGE_MB` (ZeroMQ's ``MAXMSGSIZE``), so a
        notebook that prints a gigabyte costs the grader nothing."""

        def client(self, **kwargs):
            context = zmq.asyncio.Context()
            context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_MB * 2**20)
            kc = super().client(context=context, **kwargs)
            kc._created_context = True  # closed with the client
            return kc

    return GradingKernelManager


@functools.cache
def _client_class():
    from ..install import require

    require("nbclient", "grade", purpose="grading (senge-course grade, check)")
    from nbclient import NotebookClient

    from .collect import MIME

    class GradingClient(NotebookClient):
        """Keeps only the collection cell's `MIME` outputs (huge outputs cost nothing)."""

        collector_index = -1
        payloads = None

        def output(self, outs, msg, display_id, cell_index):
            if cell_index != self.collector_index or msg["msg_type"] != "display_data":
                return None
            data = msg["content"].get("data") or {}
            if isinstance(data.get(MIME), str) and len(self.payloads) < 10:
                self.payloads.append(data[MIME])
            return None

    return GradingClient


class _Run:
    """One notebook's run: the cells to run, the kernel's replies, and what they report."""

    def __init__(self, nb, workdir, collector, limits, collect_timeout, scratch, running):
        import nbformat

        self.workdir, self.limits, self.scratch, self.running = workdir, limits, scratch, running
        self.sandbox = "none"
        self.collect_timeout, self.replies, self.result = collect_timeout, {}, Execution()
        code = [c for c in nb.cells if c.cell_type == "code"]
        self.learner = [(n, c) for n, c in enumerate(code, start=1) if c.source.strip()]
        cells = [
            nbformat.v4.new_code_cell(c.source, metadata=dict(c.metadata)) for _, c in self.learner
        ]
        cells += [nbformat.v4.new_code_cell("pass"), nbformat.v4.new_code_cell(collector)]
        self.nb = nbformat.v4.new_notebook(metadata=nb.metadata, cells=cells)
        self.probe, self.collector = len(self.learner), len(self.learner) + 1

    async def execute(self):
        from jupyter_client.kernelspec import KernelSpecManager
        from nbclient.exceptions import DeadKernelError

        result, running = self.result, self.running
        if running.cancelled:
            result.add("kernel died", "the grading run was interrupted", fatal=True)
            return result
        spec_dir = self.scratch / "kernels" / _KERNEL_NAME
        spec_dir.mkdir(parents=True, exist_ok=True)
        env, wrap, where = self._environment(), (), {}
        if self.sandbox == "bwrap":  # sockets in a folder only the grader and this kernel share
            ipc = self.scratch / "ipc"
            ipc.mkdir(mode=0o700)
            wrap = sandbox_command(self.workdir, ipc, env=env)
            where = {"transport": "ipc", "ip": str(ipc / "kernel")}
            where["connection_file"] = str(ipc / "connection.json")
        spec = kernel_spec(self.limits.memory_mb, wrap)
        write_text(spec_dir / "kernel.json", json.dumps(spec))
        ksm = KernelSpecManager(kernel_dirs=[str(spec_dir.parent)])
        km = _manager_class()(kernel_name=_KERNEL_NAME, kernel_spec_manager=ksm, log=_log, **where)
        client = _client_class()(
            self.nb,
            km=km,
            log=_log,
            allow_errors=True,
            interrupt_on_timeout=True,
            error_on_timeout={"ename": _TIMEOUT_NAME, "evalue": "", "traceback": []},
            raise_on_iopub_timeout=False,
            iopub_timeout=4,
            startup_timeout=60,
            shutdown_kernel="immediate",
            record_timing=False,
            on_cell_executed=self._on_cell_executed,
        )
        client.collector_index, client.payloads = self.collector, result.payloads
        stderr_path = self.scratch / "kernel-stderr.txt"
        stage, registered = "starting the kernel", None
        try:
            with open(stderr_path, "wb") as err:
                try:
                    async with client.async_setup_kernel(
                        cwd=str(self.workdir), env=env, stdout=err, stderr=err, cleanup_kc=True
                    ):
                        stage = "running the notebook"
                        registered = getattr(km.provisioner, "pgid", None)
                        if registered:
                            running.add(registered)
                        await self._learner_cells(client)
                        if not result.stopped:
                            stage = "collecting the answers"
                            await self._collect(client)
                except (DeadKernelError, RuntimeError) as exc:
                    # RuntimeError: the kernel did not start, or died before replying
                    if not isinstance(exc, DeadKernelError) and stage != "starting the kernel":
                        raise
                    result.incidents.append(self._death(km, stderr_path, stage))
        finally:
            await _kill(km)
            running.discard(registered)
        return result

    def _on_cell_executed(self, cell, cell_index, execute_reply):
        self.replies[cell_index] = (execute_reply or {}).get("content") or {}

    async def _execute(self, client, index, seconds, *, iopub=1, history=False):
        """Run cell `index` within `seconds` (`iopub`: seconds to wait for outputs after the
        reply; the learner's are not kept, so 1); return its reply."""
        client.timeout, client.iopub_timeout = seconds, iopub
        self.replies.pop(index, None)
        await client.async_execute_cell(self.nb.cells[index], index, store_history=history)
        return self.replies.get(index, {})

    async def _learner_cells(self, client):
        result, total = self.result, self.limits.timeout
        deadline = time.monotonic() + total
        for index, (number, cell) in enumerate(self.learner):
            where = result.where = _describe(cell, number)
            remaining = deadline - time.monotonic()
            if remaining < 0.5:
                left = len(self.learner) - index
                return result.add(
                    "timeout",
                    f"the notebook's cells used up their {total:g} s: "
                    f"{left} code cell(s) from {where} on were not run",
                )
            limit = max(1, math.ceil(min(self.limits.cell_timeout, remaining)))
            reply = await self._execute(client, index, limit, history=True)
            if reply.get("ename") == _TIMEOUT_NAME:
                detail = f"{where} ran longer than {limit:g} s and was stopped"
                result.add("timeout", detail, cell=number)
                # does the kernel run a trivial cell within a few seconds of the interrupt?
                probe = await self._execute(client, self.probe, _PROBE_SECONDS)
                if probe.get("ename") == _TIMEOUT_NAME:
                    detail = f"{where} could not be interrupted, so no answer could be read"
                    return result.add("timeout", detail, fatal=True)
            elif reply.get("status") == "error":
                result.add("cell error", where, cell=number, error=str(reply.get("ename", "")))
                if reply.get("ename") == "MemoryError":
                    result.add("memory", f"{where} ran out of memory (MemoryError)")

    async def _collect(self, client):
        seconds = max(1, math.ceil(self.collect_timeout))
        reply = await self._execute(client, self.collector, seconds, iopub=10)  # answers: iopub
        if reply.get("ename") == _TIMEOUT_NAME:
            self.result.add("timeout", f"reading the answers took longer than {seconds:g} s")
        elif reply.get("status") == "ok":
            self.result.collected = True

    def _environment(self):
        keep = {
            k: v for k, v in os.environ.items() if k in _ENV_KEEP or k.startswith(("LC_", "SENGE_"))
        }
        if self.sandbox == "bwrap":  # a private /tmp is all the kernel has to write in
            home = {"TMPDIR": "/tmp", "HOME": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib"}
            return keep | _ENV_SET | home | {"IPYTHONDIR": "/tmp/ipython"}
        tmp = self.scratch / "tmp"
        tmp.mkdir(exist_ok=True)
        return keep | _ENV_SET | {"TMPDIR": str(tmp)}

    def _death(self, km, stderr_path, stage):
        code = None
        with contextlib.suppress(Exception):
            code = km.provisioner.process.poll()
        try:  # the tail only: a kernel may have written gigabytes
            with open(stderr_path, "rb") as err:
                err.seek(max(0, err.seek(0, os.SEEK_END) - 20000))
                text = err.read().decode("utf-8", errors="replace")
        except OSError:
            text = ""
        if stage == "running the notebook" and self.result.where:
            stage = f"running {self.result.where}"
        return kernel_death(text, stage=stage, memory_mb=self.limits.memory_mb, code=code)


def _describe(cell, number):
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    if len(first) > 40:
        first = first[:37] + "..."
    return f"code cell {number} ({first})" if first else f"code cell {number}"


async def _kill(km):
    with contextlib.suppress(Exception):
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    with contextlib.suppress(Exception):
        pending = km.cleanup_resources()
        if inspect.isawaitable(pending):
            await pending
