import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from senge_course.cli import lab_command, main
from senge_course.course.lessons import LESSONS


def test_list_prints_every_lesson(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for lesson in LESSONS:
        assert lesson.number in out and lesson.title in out and lesson.notebook in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["teach"], "unknown command 'teach'"),
        (["lab", "42", "--dry-run"], "unknown lesson '42'"),
        (["list", "--bogus"], "unrecognised arguments: --bogus"),
        ([], "required"),
    ],
)
def test_mistakes_give_one_line_and_status_2(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1


def test_lab_serves_localhost_only_and_passes_arguments_through(capsys):
    assert main(["lab", "--dry-run", "--port", "9999"]) == 0
    out = capsys.readouterr().out
    assert "--ServerApp.ip=127.0.0.1" in out and "--port 9999" in out
    assert out.strip().endswith("notebooks/00_start_here.ipynb")
    cmd, root = lab_command("start-here")
    settings = [a for a in cmd if a.startswith("--LabApp.app_settings_dir=")]
    assert settings and (root / "jupyter-config" / "overrides.json").is_file()
    assert (root / cmd[-1].split("/lab/tree/")[1]).is_file()


def test_build_exercises_check_reports_up_to_date(capsys):
    assert main(["build-exercises", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "senge-course")
    run = subprocess.run([script, "list"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "00" in run.stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_lab_really_serves_lesson_00():
    port, token = _free_port(), secrets.token_hex(16)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "senge_course.cli",
            "lab",
            "--no-browser",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/contents/notebooks/00_start_here.ipynb?content=0"
        ex_url = f"http://127.0.0.1:{port}/api/contents/exercises/00_start_here.ipynb?content=0"
        for _ in range(120):
            try:
                req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(req, timeout=2) as resp:
                    assert resp.status == 200
                req = urllib.request.Request(ex_url, headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(req, timeout=2) as resp:
                    assert resp.status == 200  # the whole course folder is served
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        with pytest.raises(OSError):  # not served on other interfaces
            host = socket.gethostbyname(socket.gethostname())
            if host.startswith("127."):
                raise OSError("only loopback here")
            urllib.request.urlopen(f"http://{host}:{port}/api/status", timeout=2)
    finally:
        import signal

        os.killpg(proc.pid, signal.SIGTERM)  # the command became JupyterLab (exec): stop its group
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        assert proc.poll() is not None


def test_present_runs_voila_on_localhost_and_passes_arguments_through(capsys):
    assert main(["present", "00", "--dry-run", "--port", "8877"]) == 0
    out = capsys.readouterr().out
    assert "serve_presentation()" in out and "notebooks/00_start_here.ipynb" in out
    assert "--Voila.ip=127.0.0.1" in out and "--strip_sources=True" in out and "--port 8877" in out


def test_present_shows_a_notebook_file_from_its_own_folder(tmp_path, capsys):
    from senge_course.cli import present_command

    notebook = tmp_path / "debrief" / "debrief-05.ipynb"
    notebook.parent.mkdir()
    notebook.write_text("{}")
    cmd, root = present_command(str(notebook))
    assert cmd[4] == "debrief-05.ipynb" and root == notebook.parent  # class.json reads from there
    assert main(["present", str(tmp_path / "missing.ipynb"), "--dry-run"]) == 2
    assert "no notebook" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [(["present"], "present needs a lesson"), (["present", "42"], "unknown lesson '42'")],
)
def test_present_mistakes_give_one_line_and_status_2(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1
