"""Issue 17, item 3: the presentation server and the apps' file buttons are locked down.

`senge-course present` runs Voila behind a token, answers only local Host headers (unless
the instructor names more with ``--allow-host``) and starts at most ``--max-kernels`` kernels;
the apps' Save, Load and Export use files only inside the course's working folder
(`senge_course.files.check_inside`).
"""

import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from senge_course import files
from senge_course.cli import main, present_command
from senge_course.views import CapstoneDashboard, IntegrationPlanner, LeaderNetworkBuilder

# ---------------------------------------------------------------- the command line


def _dry_run(capsys, *args):
    assert main(["present", "00", "--dry-run", *args]) == 0
    cmd = capsys.readouterr().out.strip()
    return cmd, json.loads(shlex.split(cmd)[3])  # the settings: the one JSON argument


def test_present_has_token_host_and_kernel_options_with_safe_defaults(capsys):
    cmd, settings = _dry_run(capsys)
    assert settings == {"hosts": [], "any_host": False, "max_kernels": 4, "cull_idle": 600}
    assert "--Voila.ip=127.0.0.1" in cmd and "notebooks/00_start_here.ipynb" in cmd
    assert "token" not in cmd.lower()  # the token travels in the environment, not in argv


def test_present_passes_its_options_and_voilas_own(capsys):
    cmd, settings = _dry_run(
        capsys,
        "--allow-host",
        "Classroom.Example.org",
        "--allow-host=tunnel",
        "--max-kernels",
        "2",
        "--cull-idle=30",
        "--no-browser",
        "--port",
        "8877",
        "--Voila.log_level=DEBUG",
    )
    assert settings == {
        "hosts": ["classroom.example.org", "tunnel"],
        "any_host": False,
        "max_kernels": 2,
        "cull_idle": 30,
    }
    assert "--port 8877" in cmd and "--no-browser" in cmd and "--Voila.log_level=DEBUG" in cmd


def test_allow_host_star_turns_the_host_check_off_and_loopback_addresses_are_local(capsys):
    _, settings = _dry_run(capsys, "--allow-host", "*", "--allow-host", "[::1]")
    assert settings["any_host"] is True and settings["hosts"] == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--max-kernels", "0"], "--max-kernels must be a whole number from 1 to 64, got 0"),
        (["--max-kernels", "100"], "got 100"),
        (["--max-kernels", "many"], "argument --max-kernels: invalid int value: 'many'"),
        (["--cull-idle", "-1"], "--cull-idle must be a whole number of seconds >= 0, got -1"),
        (["--allow-host", "192.168.1.5"], "takes a host name, not an address"),
        (["--allow-host", "evil host"], "must be a host name such as myhost.local"),
        (["--allow-host", "host:8866"], "got --allow-host 'host:8866'"),
    ],
)
def test_bad_present_options_give_one_line_and_status_2(args, fragment, capsys):
    assert main(["present", "00", "--dry-run", *args]) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_present_help_says_what_happens_past_the_kernel_limit(capsys):
    assert main(["present", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--allow-host NAME", "--max-kernels N", "--cull-idle SECONDS", "--no-browser"):
        assert option in text
    assert "token" in text and "403" in text
    assert "the presentation is full' (HTTP 503) until a page is closed" in text


# ---------------------------------------------------------------- a real server


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port, path, host=None):
    """GET `path` on 127.0.0.1:`port` with the Host header `host`: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=40)
    try:
        connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{port}"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def _kernels(pid):
    """The kernels the server at `pid` runs: its child processes running ipykernel."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and b"ipykernel" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.fixture
def server(tmp_path):
    """`present_command`'s server (max 1 kernel, one allowed name) on a tiny notebook."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3"}
    notebook.cells = [
        nbformat.v4.new_code_cell('print("presented-" + "ok")'),
        # what a kernel sees: its folder (the apps' working folder) and no token in its env
        nbformat.v4.new_code_cell(
            "import os\n"
            'print("kernel-cwd:", os.getcwd())\n'
            'print("kernel-has-token:", "SENGE_COURSE_PRESENT_TOKEN" in os.environ)'
        ),
    ]
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    port, token = _free_port(), "the-token-for-this-test"
    options = {"port": port, "no_browser": True, "max_kernels": 1, "allow_host": ["classroom"]}
    cmd, _ = present_command("00", ["--Voila.port_retries=0"], options=options)
    cmd[cmd.index("notebooks/00_start_here.ipynb")] = "tiny.ipynb"
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["SENGE_COURSE_PRESENT_TOKEN"] = token
    proc = subprocess.Popen(
        cmd,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # the teardown stops Voila and its kernels together
    )
    try:
        line = proc.stdout.readline()  # printed once the port is bound
        yield proc, port, token, line, tmp_path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()


@pytest.mark.slow
def test_the_server_refuses_no_token_a_wrong_token_and_a_foreign_host(server):
    start = time.monotonic()
    proc, port, token, line, folder = server
    assert line.strip() == f"Presentation: http://127.0.0.1:{port}/?token={token}"
    # no token, a wrong token: the login page, and no kernel
    for path in ("/", "/?token=wrong"):
        status, headers, _ = _get(port, path)
        assert status == 302 and headers["Location"].startswith("/login?next=")
    status, _, body = _get(port, "/login")
    assert status == 200 and "presented-ok" not in body
    # DNS rebinding: a name that resolves to 127.0.0.1, with the right token: refused
    for host in (f"evil.example:{port}", "attacker.test", f"127.0.0.1.evil.example:{port}"):
        assert _get(port, f"/?token={token}", host=host)[0] == 403
    assert _get(port, "/", host="evil.example")[0] == 403
    assert _kernels(proc.pid) == []
    # an --allow-host name gets the login page like localhost, not a 403
    assert _get(port, "/", host=f"classroom:{port}")[0] == 302
    # the token: the page, run in one kernel
    status, _, body = _get(port, f"/?token={token}", host=f"localhost:{port}")
    assert status == 200 and "presented-ok" in body
    assert "kernel-has-token: False" in body  # out of the environment kernels inherit
    # (Voila itself hands a kernel the URL of its page, token included: QUERY_STRING)
    assert f"kernel-cwd: {folder}" in body  # the apps' working folder: the notebook's own
    assert len(_kernels(proc.pid)) == 1
    # past --max-kernels (1 here): an error page that says why, and no second kernel
    status, _, body = _get(port, f"/?token={token}", host=f"[::1]:{port}")
    assert status == 503 and "The presentation is full: 1 of 1 kernels in use" in body
    assert len(_kernels(proc.pid)) == 1
    assert time.monotonic() - start < 60


@pytest.mark.slow
def test_senge_course_present_makes_a_new_token_and_keeps_it_off_the_command_line(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "SENGE_COURSE_PRESENT_TOKEN"}
    cmd = [sys.executable, "-m", "senge_course.cli", "present", "00", "--no-browser"]
    proc = subprocess.Popen(
        [*cmd, f"--port={port}", "--Voila.port_retries=0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        with proc.stdout:
            opening, address = proc.stdout.readline(), proc.stdout.readline().strip()
            assert "00_start_here.ipynb in presentation mode" in opening
            prefix = f"Presentation: http://127.0.0.1:{port}/?token="
            assert address.startswith(prefix)
            token = address.removeprefix(prefix)
            assert len(token) >= 40  # secrets.token_urlsafe(32)
            # the command became the server (exec): its command line does not hold the token
            assert token.encode() not in Path(f"/proc/{proc.pid}/cmdline").read_bytes()
            assert _get(port, "/")[0] == 302 and _get(port, "/?token=x" + token)[0] == 302
            assert _get(port, f"/login?token={token}", host="evil.example")[0] == 403
            assert _kernels(proc.pid) == []
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ---------------------------------------------------------------- the file buttons


def _message(app):
    return app.message.value


def _make(kind):
    if kind == "planner":
        return IntegrationPlanner()
    if kind == "capstone":
        return CapstoneDashboard()
    return LeaderNetworkBuilder()


APPS = ["planner", "capstone", "leaders"]


def _click(app, name):
    """Click the app's `name` button (the leader builder keeps its buttons apart)."""
    buttons = getattr(app, "buttons", app.controls)
    buttons[name].click()


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A working folder (the kernel's current folder) with a folder `outside` beside it."""
    inside, outside = tmp_path / "course", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    monkeypatch.chdir(inside)
    monkeypatch.delenv(files.WORKING_FOLDER_VARIABLE, raising=False)
    return inside, outside


def _escapes(inside, outside):
    """Paths that leave the working folder: absolute, ``..``, a linked folder, a linked file."""
    (inside / "linked").symlink_to(outside, target_is_directory=True)
    (inside / "trap.json").symlink_to(outside / "target.json")
    return [
        outside / "x.json",
        "../outside/x.json",
        "sub/../../outside/x.json",
        "linked/x.json",
        "trap.json",
        "/etc/x.json",
    ]


def _everything(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*"))


@pytest.mark.parametrize("kind", APPS)
def test_save_and_load_inside_the_working_folder_work(kind, course):
    inside, _ = course
    (inside / "plans").mkdir()
    app = _make(kind)
    app.save("plans/mine.json")
    assert (inside / "plans" / "mine.json").is_file(), _message(app)
    app.load(inside / "plans" / "mine.json")
    assert "outside" not in _message(app) and "Cannot" not in _message(app)


@pytest.mark.parametrize("kind", APPS)
def test_save_outside_the_working_folder_is_refused_and_writes_nothing(kind, course):
    inside, outside = course
    app = _make(kind)
    for path in _escapes(inside, outside):
        before = _everything(outside)
        assert app.save(path) is None
        said = _message(app)
        assert "outside the course folder" in said and str(inside) in said, (path, said)
        assert "save inside that folder" in said
        assert _everything(outside) == before, path
    assert not (outside / "target.json").exists() and not Path("/etc/x.json").exists()


@pytest.mark.parametrize("kind", APPS)
def test_the_filename_box_and_its_buttons_follow_the_same_rule(kind, course):
    inside, outside = course
    app = _make(kind)
    app.controls["filename"].value = "../outside/boxed.json"
    _click(app, "save")
    assert "outside the course folder" in _message(app)
    assert not (outside / "boxed.json").exists()
    (outside / "theirs.json").write_text("{}")
    _click(app, "load")  # the box still names a path outside
    assert "cannot load" in _message(app) and "load inside that folder" in _message(app)


@pytest.mark.parametrize("kind", APPS)
def test_load_outside_the_working_folder_is_refused(kind, course):
    inside, outside = course
    other = _make(kind)
    other.save("good.json")
    (outside / "target.json").write_bytes((inside / "good.json").read_bytes())
    app = _make(kind)
    for path in _escapes(inside, outside):
        app.load(path)
        said = _message(app)
        assert "cannot load" in said and "outside the course folder" in said, (path, said)


@pytest.mark.parametrize("kind", ["planner", "capstone"])
def test_exports_follow_the_same_rule(kind, course):
    inside, outside = course
    app = _make(kind)
    assert app.export_markdown(outside / "page.md") is None
    assert "cannot export" in _message(app) and not (outside / "page.md").exists()
    app.controls["filename"].value = "../outside/page.json"
    _click(app, "export")
    assert "outside the course folder" in _message(app)
    assert not (outside / "page.md").exists()
    assert app.export_markdown("page.md") == Path("page.md") and (inside / "page.md").is_file()


def test_the_capstone_memo_export_follows_the_same_rule(course):
    _, outside = course
    app = CapstoneDashboard()
    threats = {"x.y": "z"}
    assert app.export_memo(outside / "memo.md", trade_offs="x", threats=threats) is None
    assert "outside the course folder" in _message(app)
    assert not (outside / "memo.md").exists()


def test_a_configured_working_folder_replaces_the_current_one(course, monkeypatch):
    inside, outside = course
    monkeypatch.setenv(files.WORKING_FOLDER_VARIABLE, str(outside))
    app = IntegrationPlanner()
    assert app.save(outside / "plan.json") == outside / "plan.json"
    assert app.save(inside / "plan.json") is None
    assert f"outside the course folder {outside}" in _message(app)


# ---------------------------------------------------------------- the rule itself


def test_check_inside_resolves_dots_and_links_before_deciding(tmp_path):
    root, elsewhere = tmp_path / "root", tmp_path / "rootless"
    root.mkdir()
    elsewhere.mkdir()
    (root / "link").symlink_to(elsewhere, target_is_directory=True)
    (root / "back").symlink_to(root, target_is_directory=True)
    assert files.check_inside(root / "a" / "b.json", root) == root / "a" / "b.json"
    assert files.check_inside(root / "back" / "c.json", root) == root / "back" / "c.json"
    assert files.check_inside(root / "a" / ".." / "c.json", root) == root / "a" / ".." / "c.json"
    assert files.check_inside(root, root) == root  # the folder itself: opening it fails later
    for path in (elsewhere / "x.json", root / "link" / "x.json", root / ".." / "x.json"):
        with pytest.raises(ValueError, match="outside the course folder"):
            files.check_inside(path, root)


@pytest.mark.parametrize(
    ("action", "start"),
    [
        ("save", "cannot save the plan to "),
        ("load", "cannot load the plan from "),
        ("export", "cannot export the plan to "),
    ],
)
def test_check_inside_names_the_path_the_folder_and_what_to_do(tmp_path, action, start):
    with pytest.raises(ValueError) as caught:
        files.check_inside("/etc/passwd", tmp_path, action=action, what="the plan")
    message = str(caught.value)
    assert message.startswith(f"{start}/etc/passwd: it is outside the course folder")
    assert f"{tmp_path.resolve()}; {action} inside that folder (for example passwd)" in message


def test_the_working_folder_is_the_current_one_unless_configured(tmp_path, monkeypatch):
    monkeypatch.delenv(files.WORKING_FOLDER_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    assert files.working_folder() == tmp_path.resolve()
    monkeypatch.setenv(files.WORKING_FOLDER_VARIABLE, str(tmp_path / ".." / tmp_path.name))
    assert files.working_folder() == tmp_path.resolve()


def test_serve_presentation_is_importable_without_starting_anything():
    # the server process runs `python -c "from senge_course.cli import serve_presentation; ..."`
    code = "import senge_course.cli as c; print(callable(c.serve_presentation))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
