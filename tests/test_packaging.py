"""The package as a learner installs it: the wheel carries the course, ``senge-course init``
copies it, the core imports without any server package, and the extras say what they are for.

The slow tests build the wheel once (``pip wheel . --no-deps``), read its file list and
metadata, install it with ``--no-deps`` into a fresh virtual environment that sees this one's
packages through a ``.pth`` file (no downloads), and, outside any clone, run
``senge-course init x && cd x && senge-course lab`` until lesson 00 is served.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import textwrap
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from senge_course import __version__
from senge_course.cli import main
from senge_course.install import check_install, init_course, require, version_note
from senge_course.paths import MARKER, course_root, is_course, local_course, packaged_course

ROOT = course_root()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
COURSE = [
    *(f"notebooks/{p.name}" for p in sorted((ROOT / "notebooks").glob("*.ipynb"))),
    *(f"exercises/{p.name}" for p in sorted((ROOT / "exercises").glob("*.ipynb"))),
    "jupyter-config/overrides.json",
    *(
        f"examples/assignments/{p.name}"
        for p in sorted((ROOT / "examples/assignments").glob("*.json"))
    ),
    "LICENSE",
]
#: Server and notebook-running packages: none of them may be needed by a learner's kernel.
SERVER_PACKAGES = (
    "jupyterlab",
    "jupyter_server",
    "voila",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "jupyter_client",
    "notebook",
)


# --- the declared dependencies ------------------------------------------------------------


def test_core_has_no_server_and_every_extra_is_declared():
    project = PYPROJECT["project"]
    core = {_name(dep) for dep in project["dependencies"]}
    assert core == {
        "numpy",
        "scipy",
        "networkx",
        "matplotlib",
        "ipywidgets",
        "anywidget",
        "nbformat",
        "tqdm",
        "pillow",
        "defusedxml",
    }
    extras = {
        name: {_name(dep) for dep in deps}
        for name, deps in project["optional-dependencies"].items()
    }
    assert {"jupyterlab", "ipykernel"} <= extras["lab"]
    assert {"voila", "ipykernel"} <= extras["present"]
    assert {"nbclient", "ipykernel"} <= extras["grade"]
    assert project["optional-dependencies"]["all"] == ["senge-course[lab,present,grade,site]"]
    assert "senge-course[all]" in project["optional-dependencies"]["test"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    setuptools = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    assert setuptools == ["setuptools>=77"]  # the first to read an SPDX license expression


@pytest.mark.parametrize(
    ("package", "lowest"),
    [("networkx", "3.4"), ("matplotlib", "3.10"), ("ipywidgets", "8.1"), ("pillow", "9.3")],
)
def test_lower_bounds_are_the_ones_that_work(package, lowest):
    deps = {_name(d): d for d in PYPROJECT["project"]["dependencies"]}
    assert deps[package] == f"{package}>={lowest}"


def test_ipykernel_bound_is_a_kernel_that_starts_without_setuptools():
    for extra in ("lab", "present", "grade"):
        deps = PYPROJECT["project"]["optional-dependencies"][extra]
        assert "ipykernel>=6.12" in deps, extra  # 6.11 imports pkg_resources at start


def test_check_install_reads_the_installed_metadata(monkeypatch):
    from senge_course import install

    names = [row[0] for row in install.REQUIREMENTS]
    assert names[:3] == ["numpy", "scipy", "networkx"]
    assert "pillow" in names and "jupyterlab" in names and "pytest" not in names
    extras = {row[0]: row[4] for row in install.REQUIREMENTS}
    assert extras["numpy"] == () and extras["jupyterlab"] == ("lab",)
    assert set(extras["ipykernel"]) == {"lab", "present", "grade"}
    row = ("no-such-extra-package", "x", "1.0", "for a test", ("present",))
    monkeypatch.setattr(install, "REQUIREMENTS", (*install.REQUIREMENTS, row))
    report = check_install()
    assert report.ok, str(report)  # an extra's package may be missing: only its command needs it
    assert "no-such-extra-package MISSING" in str(report)
    assert "needed only by senge-course present" in str(report)
    core = ("no-such-core-package", "x", "1.0", "for a test", ())
    monkeypatch.setattr(install, "REQUIREMENTS", (*install.REQUIREMENTS, core))
    assert "no-such-core-package is missing" in str(check_install())


def test_require_names_the_extra_to_install():
    with pytest.raises(
        ModuleNotFoundError,
        match=r'its \[present\] extra \(from a clone: pip install -e "\.\[present\]"\)',
    ):
        require("no_such_voila", "present", purpose="senge-course present")


def test_learner_modules_import_with_only_the_core_installed():
    """Every module a learner's kernel loads imports with every server package refused; the
    commands that need one say which extra to install (one line, status 2)."""
    code = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        BLOCKED = {SERVER_PACKAGES!r}

        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)

        sys.meta_path.insert(0, Refuse())
        import senge_course
        names = ["senge_course.install", "senge_course.paths", "senge_course.files"]
        for package in ("models", "views", "course"):
            module = importlib.import_module(f"senge_course.{{package}}")
            names += [m.name for m in pkgutil.walk_packages(module.__path__, module.__name__ + ".")]
        for name in names:
            importlib.import_module(name)
        from senge_course.views import *  # the apps, as the lessons import them
        from senge_course.course import exercise
        q = exercise("00", {{}})
        leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        assert not leaked, leaked
        assert senge_course.check_install().ok
        from senge_course.cli import main
        print("imported", len(names))
        print("lab", main(["lab", "--dry-run"]))
        print("present", main(["present", "03", "--dry-run"]))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert int(lines[0].split()[1]) > 40
    assert lines[1:] == ["lab 2", "present 2"]
    errors = run.stderr.strip().splitlines()
    assert errors == [
        "senge-course: error: senge-course lab needs jupyterlab, which the core install leaves "
        'out: install the course with its [lab] extra (from a clone: pip install -e ".[lab]")',
        "senge-course: error: senge-course present needs voila, which the core install leaves "
        'out: install the course with its [present] extra (from a clone: pip install -e ".[present]")',
    ]


# --- init, the learner's copy ---------------------------------------------------------------


def test_init_copies_the_course_and_stamps_the_version(tmp_path, capsys):
    assert main(["init", str(tmp_path / "mine")]) == 0
    out = capsys.readouterr().out
    assert f"copied {len(COURSE)} new file(s)" in out and "senge-course lab" in out
    folder = tmp_path / "mine"
    for relative in COURSE:
        assert (folder / relative).is_file(), relative
    assert not (folder / "solutions").exists() and not (folder / "instructors").exists()
    nb = nbformat.read(folder / "notebooks" / "00_start_here.ipynb", as_version=4)
    assert nb.metadata.senge_course.version == __version__
    assert nb.metadata.senge_course.lesson == "00"  # the notebook's own metadata is kept
    original = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    assert [c.source for c in nb.cells] == [c.source for c in original.cells]
    manifest = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert (
        manifest["schema"] == "senge-course/folder" and manifest["package_version"] == __version__
    )
    assert sorted(manifest["files"]) == sorted(COURSE)
    assert is_course(folder) and local_course(folder / "exercises") == folder


def test_init_again_keeps_edited_notebooks_and_updates_the_rest(tmp_path):
    source = tmp_path / "package"  # a newer version of the course the package carries
    for relative in COURSE:
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged_course() / relative, source / relative)
    folder = tmp_path / "mine"
    first = init_course(folder, source=source)
    assert sorted(first.copied) == sorted(COURSE) and not first.kept

    edited, ran, deleted, changed = (
        "exercises/00_start_here.ipynb",  # the learner wrote an answer
        "notebooks/02_thresholds.ipynb",  # the learner only ran it: outputs, no edits
        "notebooks/03_cascades.ipynb",  # the learner deleted it
        "notebooks/01_command_to_commitment.ipynb",  # the new version changed it
    )
    nb = nbformat.read(folder / edited, as_version=4)
    nb.cells[-1].source += "\nmy_answer = 42"
    nbformat.write(nb, folder / edited)
    nb = nbformat.read(folder / ran, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    nbformat.write(nb, folder / ran)
    (folder / deleted).unlink()
    for relative in (edited, changed):  # the newer version changes both
        nb = nbformat.read(source / relative, as_version=4)
        nb.cells[0].source += "\n\nNew in this version."
        nbformat.write(nb, source / relative)

    again = init_course(folder, source=source)
    assert again.kept == (edited,)
    assert set(again.updated) == {changed} and again.copied == (deleted,)
    assert len(again.unchanged) == len(COURSE) - 3 and ran in again.unchanged
    assert "my_answer = 42" in (folder / edited).read_text(encoding="utf-8")
    assert "New in this version." in (folder / changed).read_text(encoding="utf-8")
    assert f"Kept 1 file(s) you edited (this version's copy was not written): {edited}" in (
        again.summary
    )
    # still the learner's the next time, even with the manifest gone
    assert init_course(folder, source=source).kept == (edited,)
    (folder / MARKER).unlink()
    assert init_course(folder, source=source).kept == (edited,)


@pytest.mark.parametrize("where", ["a file", "the clone"])
def test_init_refuses_a_file_or_the_clone_in_one_line(where, tmp_path, capsys):
    target = ROOT if where == "the clone" else tmp_path / "notes.txt"
    if where == "a file":
        target.write_text("mine", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert ("it is a file" if where == "a file" else "has solutions/") in err[0]


def test_a_notebook_copied_by_another_version_says_so(tmp_path, capsys):
    folder = init_course(tmp_path / "mine").folder
    path = folder / "notebooks" / "00_start_here.ipynb"
    assert version_note({"__session__": str(path)}, {}) is None  # same version: nothing
    nb = nbformat.read(path, as_version=4)
    nb.metadata.senge_course.version = "0.0.1"
    nbformat.write(nb, path)
    note = version_note({}, {"JPY_SESSION_NAME": str(path)})
    assert note.startswith(
        f"Note: this notebook was copied by senge-course 0.0.1, but its kernel runs senge-course {__version__}"
    )
    assert note.endswith(f"senge-course init {folder}")
    assert note in capsys.readouterr().out
    # the lessons' and exercises' first cell calls exercise(), which prints the note
    from senge_course.course import exercise

    exercise("00", {"__session__": str(path)}, part="lesson")
    assert "copied by senge-course 0.0.1" in capsys.readouterr().out
    assert version_note({"__session__": str(ROOT / "notebooks" / path.name)}, {}) is None


def test_lab_serves_the_current_folders_course(tmp_path, monkeypatch, capsys):
    folder = init_course(tmp_path / "mine").folder
    monkeypatch.chdir(folder / "notebooks")
    monkeypatch.delenv("SENGE_COURSE_ROOT", raising=False)
    assert main(["lab", "--dry-run"]) == 0
    assert f"--ServerApp.root_dir={folder} " in capsys.readouterr().out


# --- the wheel ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built from a copy of the clone's files (setuptools builds in the source tree:
    a copy keeps the clone's build/ folder out of it, and out of the way of other builds)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE"):
        shutil.copyfile(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")
    for name in ("src", "notebooks", "exercises", "jupyter-config", "examples", "solutions"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    (path,) = out.glob("senge_course-*.whl")
    return path


@pytest.mark.slow
def test_wheel_carries_the_course_and_no_solutions(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.split("/_course/", 1)[1] for n in names if "/_course/" in n)
    assert shipped == sorted(COURSE)  # the course, and nothing else of the clone's folders
    assert not [n for n in names if "solutions" in n.split("/") or "instructors" in n.split("/")]
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "examples/"))]
    dist_info = f"senge_course-{__version__}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    requires = [
        line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist")
    ]
    core = [r for r in requires if ";" not in r]
    assert "pillow>=9.3" in core and not [r for r in core if _name(r) in SERVER_PACKAGES]
    assert 'jupyterlab>=4; extra == "lab"' in requires


@pytest.mark.slow
def test_installed_wheel_outside_a_clone_inits_and_serves_lesson_00(wheel, tmp_path):
    """``pip install senge_course-*.whl && senge-course init x && cd x && senge-course lab``."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # this environment's packages, after the new one's own (no downloads; not the editable
    # install of the clone, whose .pth files a .pth line does not read)
    (site / "here.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run([*install, "--no-deps", str(wheel)], check=True, timeout=120)
    home = tmp_path / "home"
    home.mkdir()
    shared = Path(sys.prefix) / "share" / "jupyter"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENGE_COURSE", "JUPYTER", "JPY_", "PYTHON", "VIRTUAL_ENV"))
    }
    env |= {
        "HOME": str(home),
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        # JupyterLab's pages and the widget extensions are in this environment's share/
        "JUPYTERLAB_DIR": str(shared / "lab"),
        "JUPYTER_PATH": str(shared),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    where = subprocess.run(
        [python, "-c", "import senge_course; print(senge_course.__file__)"],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), "imported the clone, not the wheel"
    script = str(venv / "bin" / "senge-course")
    run = subprocess.run(
        [script, "init", "x"], env=env, cwd=home, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert f"copied {len(COURSE)} new file(s)" in run.stdout
    folder = home / "x"
    assert not (folder / "solutions").exists()
    stamped = json.loads((folder / "notebooks" / "00_start_here.ipynb").read_text("utf-8"))
    assert stamped["metadata"]["senge_course"]["version"] == __version__

    # outside any course folder, lab copies the installed course into ./senge-course first
    dry = subprocess.run(
        [script, "lab", "--dry-run"], env=env, cwd=home, capture_output=True, text=True, timeout=60
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stderr.startswith("No course folder here: serving the installed course, copied")
    assert f"--ServerApp.root_dir={home / 'senge-course'} " in dry.stdout

    token, port = secrets.token_hex(16), _free_port()
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [script, "lab", "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}"],
            env=env,
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/lab/tree/notebooks/00_start_here.ipynb?token={token}"
        status = _wait_for(url, server, log, seconds=60)
        assert status == 200
        api = f"http://127.0.0.1:{port}/api/contents/notebooks/00_start_here.ipynb?token={token}"
        with urllib.request.urlopen(api, timeout=10) as response:
            model = json.load(response)
        assert model["content"]["metadata"]["senge_course"]["version"] == __version__
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- helpers --------------------------------------------------------------------------------


def _name(requirement):
    """``"networkx>=3.4"`` gives ``"networkx"``."""
    from packaging.requirements import Requirement

    return Requirement(requirement).name.lower()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, server, log, *, seconds):
    """The HTTP status of `url` once the server answers (it must not exit before)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            text = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"JupyterLab exited ({server.returncode}): {text}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer within {seconds} s")
