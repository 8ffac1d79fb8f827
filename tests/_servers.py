"""Servers the browser tests and the browser benchmark drive: JupyterLab and `senge-course present`.

Each runs on 127.0.0.1 with a free port and a fresh token, serves a temporary copy of the
course (JupyterLab autosaves open notebooks: the committed ones must stay clean), and is
stopped with every kernel it started (its own process group).  A server that exits or does not
answer while starting raises RuntimeError.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: What a lesson needs of the course: `senge_course.paths.course_root` looks for both.
COURSE = ("notebooks", "solutions")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(proc):
    """Stop a server started with start_new_session=True, with every kernel it started."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # kernels that outlived the server
        os.killpg(proc.pid, signal.SIGKILL)


def wait_answering(url, proc, what, seconds=120):
    """Wait until `url` answers (any HTTP status is an answer); RuntimeError if `proc` exits."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # a 404 is an answer: the server is up
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited while starting") from None
            time.sleep(0.5)
    raise RuntimeError(f"{what} did not answer within {seconds} s")


def _start(cmd, env, cwd=None):
    env = dict(env)
    env.pop("MPLBACKEND", None)  # kernels would inherit it and inline figures would vanish
    return subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        start_new_session=True,  # its own process group: stop_group stops it and its kernels
    )


@contextlib.contextmanager
def jupyterlab(folders=(*COURSE, "jupyter-config", "examples")):
    """JupyterLab serving a copy of the course's `folders` with the course's settings;
    yields ``(base_url, token, served_folder)``."""
    home = Path(tempfile.mkdtemp(prefix="senge-lab-"))
    served = home / "course"
    served.mkdir()
    for folder in folders:
        shutil.copytree(ROOT / folder, served / folder)
    port, token = free_port(), secrets.token_hex(16)
    proc = _start(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={served}",
            f"--LabApp.app_settings_dir={ROOT / 'jupyter-config'}",
            f"--LabApp.user_settings_dir={home / 'user-settings'}",
        ],
        dict(os.environ, JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces")),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_answering(f"{base}/api/status?token={token}", proc, "JupyterLab")
        yield base, token, served
    finally:
        stop_group(proc)
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def presentation(lesson):
    """``senge-course present LESSON`` (Voila behind a token) on a copy of the course; yields
    the URL to open, token included."""
    home = Path(tempfile.mkdtemp(prefix="senge-present-"))
    served = home / "course"
    for folder in COURSE:
        shutil.copytree(ROOT / folder, served / folder)
    port, token = free_port(), secrets.token_urlsafe(16)
    env = dict(os.environ, SENGE_COURSE_ROOT=str(served), SENGE_COURSE_PRESENT_TOKEN=token)
    cmd = [sys.executable, "-m", "senge_course.cli", "present", lesson, "--no-browser"]
    proc = _start([*cmd, f"--port={port}"], env, cwd=served)
    try:
        wait_answering(
            f"http://127.0.0.1:{port}/static/does-not-exist", proc, "senge-course present"
        )
        yield f"http://127.0.0.1:{port}/?token={token}"
    finally:
        stop_group(proc)
        shutil.rmtree(home, ignore_errors=True)
