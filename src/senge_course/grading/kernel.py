"""Run one notebook in a fresh kernel with time and memory limits (the grader's engine room).

How the limits work
-------------------
*Memory.*  Each submission gets a temporary kernelspec folder whose ``kernel.json`` starts
the kernel through a six-line wrapper (`WRAPPER`, passed to ``python -c``): it calls
``resource.setrlimit(RLIMIT_AS, (limit, limit))`` and then starts ipykernel in the same
process, so the limit binds the kernel and every process it starts.  A jupyter_client
``AsyncKernelManager`` is pointed at that folder with a ``KernelSpecManager(kernel_dirs=[...])``:
no global kernelspec is installed and nothing outlives the run.  The kernel's environment sets
``MALLOC_ARENA_MAX=2`` (glibc otherwise reserves 64 MB of address space per thread, about
0.5 GB for an idle kernel) and one thread for BLAS/OpenMP, so the limit measures what the
learner's code allocates and parallel workers do not oversubscribe the cores.  An allocation
past the limit raises ``MemoryError`` in the cell (status ``memory``; the kernel lives on and
later cells still run).  If the kernel dies instead, its stderr (kept in a file) is searched
for the signs of running out of memory.  The limit is enforced on Linux (JupyterHub servers);
on macOS and Windows ``RLIMIT_AS`` is not available and the wrapper says so on the kernel's stderr.

*Time.*  Every cell has a limit (``cell_timeout``) and the learner's cells together have a
total (``timeout``).  A cell over its limit is interrupted (SIGINT, as the stop button does);
if the kernel answers a probe within a few seconds, the next cells run as usual, so one runaway
loop costs only its own question.  If the kernel does not answer (a loop in C code, a handler
that swallows ``KeyboardInterrupt``), nothing more can be read from it.  Once the total is used
up, the remaining cells are skipped and the answers are collected.  The collection cell has its
own limit, and each call of a learner's function within it a short one.

*Kernel death.*  nbclient notices a kernel that exits (``os._exit``, a crash) within about a
second; the exit code and any memory error on stderr say why.

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
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["KERNEL_NAME", "WRAPPER", "Execution", "Kernels", "kernel_spec", "run_notebook"]

KERNEL_NAME = "senge-grader"

#: The kernel launcher: set the address-space limit, then start ipykernel in this process.
WRAPPER = """\
import sys
limit = int(sys.argv.pop(1))
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit)) if limit > 0 else None
except (ImportError, ValueError, OSError) as exc:
    sys.stderr.write(f"senge-grader: memory limit not set: {exc}\\n")
if sys.path and sys.path[0] == "":
    del sys.path[0]
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""

# Environment variables the learner's kernel may see: enough to run Python, never the
# grader's tokens or secrets (JupyterHub API tokens, cloud keys, ...).
_ENV_KEEP = {
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "LANGUAGE",
    "TZ",
    "SYSTEMROOT",
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "LD_LIBRARY_PATH",
    "SENGE_COURSE_ROOT",
    "MPLCONFIGDIR",
    "IPYTHONDIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_PATH",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
}

_TIMEOUT_NAME = "SengeGraderTimeout"
_PROBE_SECONDS = 5
_MEMORY_SIGNS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")

_log = logging.getLogger("senge_course.grading.run.kernel")
_log.addHandler(logging.NullHandler())
_log.propagate = False


@dataclass
class Execution:
    """What running a notebook produced (plain data for the grader to judge).

    Attributes
    ----------
    payloads : list of str
        The collection cell's outputs of the grader's MIME type (exactly one if all went well).
    incidents : list of (status, detail)
        Time limits, memory errors and kernel deaths, in the order they happened.
    cell_errors : int
        How many of the learner's cells raised.
    collected : bool
        Whether the collection cell ran to its end.
    where : str
        The cell running last (named in the detail when the kernel dies).
    """

    payloads: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    cell_errors: int = 0
    collected: bool = False
    where: str = ""


def kernel_spec(memory_mb):
    """The ``kernel.json`` content that starts a kernel limited to `memory_mb` megabytes."""
    limit = int(memory_mb) * 1024 * 1024 if memory_mb else 0
    return {
        "argv": [sys.executable, "-c", WRAPPER, str(limit), "-f", "{connection_file}"],
        "display_name": "senge-course grader",
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }


def run_notebook(
    nb,
    workdir,
    *,
    collector,
    timeout,
    cell_timeout,
    collect_timeout,
    memory_mb,
    scratch,
    running=None,
):
    """Run `nb`'s code cells in a fresh limited kernel in `workdir`, then the `collector` cell.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The learner's notebook (version 4); it is not changed.
    workdir : path
        The kernel's working folder (holding only the notebook).
    collector : str
        The collection cell's source.
    timeout, cell_timeout, collect_timeout : float
        Seconds for all of the learner's cells, for one cell, and for the collection cell.
    memory_mb : int
        The kernel's address-space limit.
    scratch : path
        A private folder for the kernelspec, the kernel's stderr and its temporary files.
    running : Kernels, optional
        Where the kernel registers while it runs (an interrupted run kills them all).

    Returns
    -------
    Execution
    """
    return asyncio.run(
        _run(
            nb,
            Path(workdir),
            collector=collector,
            timeout=timeout,
            cell_timeout=cell_timeout,
            collect_timeout=collect_timeout,
            memory_mb=memory_mb,
            scratch=Path(scratch),
            running=running,
        )
    )


class Kernels:
    """The kernels of one grading run, so that an interrupted run can stop them all at once.

    `run_notebook` adds each kernel's process group once it has started and removes it when
    done; after `kill_all`, every kernel still running is killed and any kernel that starts
    later is killed as soon as it registers.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._groups = set()
        self.cancelled = False

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


@functools.cache
def _client_class():
    from nbclient import NotebookClient

    class GradingClient(NotebookClient):
        """Keeps no output of the learner's cells (huge outputs cost nothing); keeps the
        collection cell's outputs of the grader's MIME type only."""

        collector_index = -1
        payloads = None

        def output(self, outs, msg, display_id, cell_index):
            from .collect import MIME

            if cell_index != self.collector_index or msg["msg_type"] != "display_data":
                return None
            data = msg["content"].get("data") or {}
            if isinstance(data.get(MIME), str) and len(self.payloads) < 10:
                self.payloads.append(data[MIME])
            return None

    return GradingClient


def _killpg(pgid):
    with contextlib.suppress(OSError, AttributeError):
        os.killpg(pgid, signal.SIGKILL)


def _environment(scratch):
    env = {k: v for k, v in os.environ.items() if k in _ENV_KEEP or k.startswith(("LC_", "SENGE_"))}
    tmp = scratch / "tmp"
    tmp.mkdir(exist_ok=True)
    env.update(
        {
            "MALLOC_ARENA_MAX": "2",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "TMPDIR": str(tmp),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _describe(cell, number):
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    if len(first) > 40:
        first = first[:37] + "..."
    return f"code cell {number} ({first})" if first else f"code cell {number}"


async def _run(
    nb, workdir, *, collector, timeout, cell_timeout, collect_timeout, memory_mb, scratch, running
):
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import DeadKernelError

    if running is not None and running.cancelled:
        return Execution(incidents=[("kernel died", "the grading run was interrupted")])
    spec_dir = scratch / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(kernel_spec(memory_mb)), encoding="utf-8")
    ksm = KernelSpecManager(kernel_dirs=[str(spec_dir.parent)])
    km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=ksm, log=_log)

    run_nb = nbformat.v4.new_notebook(metadata=nb.metadata)
    code = [c for c in nb.cells if c.cell_type == "code"]
    numbers = [n for n, c in enumerate(code, start=1) if c.source.strip()]
    learner = [c for c in code if c.source.strip()]
    run_nb.cells = [nbformat.v4.new_code_cell(c.source, metadata=dict(c.metadata)) for c in learner]
    probe = nbformat.v4.new_code_cell("pass")
    run_nb.cells.append(probe)
    run_nb.cells.append(nbformat.v4.new_code_cell(collector))
    collector_index = len(learner) + 1

    result = Execution()
    replies = {}

    def on_cell_executed(cell, cell_index, execute_reply):
        replies[cell_index] = (execute_reply or {}).get("content") or {}

    client = _client_class()(
        run_nb,
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
        on_cell_executed=on_cell_executed,
    )
    client.collector_index = collector_index
    client.payloads = result.payloads
    stderr_path = scratch / "kernel-stderr.txt"
    stage = "starting the kernel"
    registered = None
    try:
        with open(stderr_path, "wb") as err:
            try:
                async with client.async_setup_kernel(
                    cwd=str(workdir),
                    env=_environment(scratch),
                    stdout=err,
                    stderr=err,
                    cleanup_kc=True,
                ):
                    stage = "running the notebook"
                    registered = getattr(km.provisioner, "pgid", None)
                    if running is not None and registered:
                        running.add(registered)
                    await _learner_cells(
                        client, run_nb, learner, numbers, replies, result, timeout, cell_timeout
                    )
                    if any(s == "stuck" for s, _ in result.incidents):
                        return result
                    stage = "collecting the answers"
                    await _collect(
                        client, run_nb, collector_index, replies, result, collect_timeout
                    )
            except DeadKernelError:
                result.incidents.append(_death(km, stderr_path, stage, memory_mb, result.where))
            except RuntimeError:  # the kernel did not start, or died before replying
                if stage != "starting the kernel":
                    raise
                result.incidents.append(_death(km, stderr_path, stage, memory_mb, ""))
    finally:
        await _kill(km)
        if running is not None:
            running.discard(registered)
    return result


async def _learner_cells(client, run_nb, learner, numbers, replies, result, timeout, cell_timeout):
    deadline = time.monotonic() + timeout
    probe_index = len(learner)
    for index, (cell, number) in enumerate(zip(learner, numbers, strict=True)):
        where = _describe(cell, number)
        remaining = deadline - time.monotonic()
        if remaining < 0.5:
            result.incidents.append(
                (
                    "timeout",
                    f"the notebook's cells used up their {timeout:g} s: "
                    f"{len(learner) - index} code cell(s) from {where} on were not run",
                )
            )
            return
        limit = max(1, math.ceil(min(cell_timeout, remaining)))
        client.timeout = limit
        client.iopub_timeout = 1  # the learner's outputs are not kept: do not wait for them
        result.where = where
        await client.async_execute_cell(run_nb.cells[index], index, store_history=True)
        ename = replies.get(index, {}).get("ename")
        status = replies.get(index, {}).get("status")
        if ename == _TIMEOUT_NAME:
            result.incidents.append(
                ("timeout", f"{where} ran longer than {limit:g} s and was stopped")
            )
            if not await _responsive(client, run_nb, probe_index, replies):
                result.incidents.append(
                    (
                        "stuck",
                        f"{where} could not be interrupted, so no answer could be read",
                    )
                )
                return
        elif status == "error":
            result.cell_errors += 1
            if ename == "MemoryError":
                result.incidents.append(("memory", f"{where} ran out of memory (MemoryError)"))


async def _responsive(client, run_nb, probe_index, replies):
    """Whether the kernel runs a trivial cell within a few seconds after an interrupt."""
    client.timeout = _PROBE_SECONDS
    client.iopub_timeout = 1
    replies.pop(probe_index, None)
    await client.async_execute_cell(run_nb.cells[probe_index], probe_index, store_history=False)
    return replies.get(probe_index, {}).get("ename") != _TIMEOUT_NAME


async def _collect(client, run_nb, collector_index, replies, result, collect_timeout):
    client.timeout = max(1, math.ceil(collect_timeout))
    client.iopub_timeout = 10  # the answers arrive on iopub: wait for them
    await client.async_execute_cell(
        run_nb.cells[collector_index], collector_index, store_history=False
    )
    reply = replies.get(collector_index, {})
    if reply.get("ename") == _TIMEOUT_NAME:
        result.incidents.append(
            ("timeout", f"reading the answers took longer than {client.timeout:g} s")
        )
    elif reply.get("status") == "ok":
        result.collected = True


def _death(km, stderr_path, stage, memory_mb, where):
    code = None
    with contextlib.suppress(Exception):
        process = getattr(km.provisioner, "process", None)
        if process is not None:
            code = process.poll()
    try:
        text = stderr_path.read_text(encoding="utf-8", errors="replace")[-20000:]
    except OSError:
        text = ""
    how = f" (exit code {code})" if code is not None else ""
    if where and stage == "running the notebook":
        stage = f"running {where}"
    if any(sign in text for sign in _MEMORY_SIGNS):
        return ("memory", f"the kernel ran out of memory ({memory_mb} MB) while {stage}{how}")
    if stage == "starting the kernel":
        return (
            "kernel died",
            f"the kernel did not start{how}: is --memory-mb {memory_mb} too low?",
        )
    return ("kernel died", f"the kernel stopped while {stage}{how}")


async def _kill(km):
    with contextlib.suppress(Exception):
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    with contextlib.suppress(Exception):
        pending = km.cleanup_resources()
        if inspect.isawaitable(pending):
            await pending
