"""The repository launches on mybinder.org (repo2docker) as it is.

repo2docker cannot run here (no Docker engine), so these tests check what can be checked:
the files it reads are present and consistent, and ``binder/postBuild`` does its job when
run the way repo2docker runs it (from the repository folder, in a fresh Python 3.11+).
"""

import os
import re
import subprocess
import sys
import tomllib

import pytest

from senge_course.paths import course_root

ROOT = course_root()
BINDER = ROOT / "binder"


def test_repo2docker_reads_the_binder_folder():
    # A binder/ folder makes repo2docker ignore configuration files at the top level.
    assert sorted(p.name for p in BINDER.iterdir()) == [
        "postBuild",
        "requirements.in",
        "requirements.txt",
        "runtime.txt",
    ]
    runtime = (BINDER / "runtime.txt").read_text().strip()
    version = tuple(int(x) for x in re.fullmatch(r"python-(\d+)\.(\d+)", runtime).groups())
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    minimum = tuple(
        int(x) for x in meta["project"]["requires-python"].removeprefix(">=").split(".")
    )
    assert version >= minimum
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK) and post.read_text().startswith("#!/usr/bin/env bash")


def test_readme_has_a_binder_badge_opening_lesson_00():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"\[!\[Binder\]\(https://mybinder.org/badge_logo.svg\)\]\((\S+)\)", readme)
    assert badge, "README has no Binder badge"
    assert badge.group(1).startswith("https://mybinder.org/v2/gh/")
    assert "urlpath=lab/tree/notebooks/00_start_here.ipynb" in badge.group(1)
    assert "git-pull?repo=" in readme  # the nbgitpuller recipe for a JupyterHub class


@pytest.mark.slow
def test_post_build_installs_the_course_and_its_lab_settings(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", PIP_NO_DEPS="1")
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        ["bash", str(BINDER / "postBuild")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    settings = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert settings.read_text() == (ROOT / "jupyter-config" / "overrides.json").read_text()
    check = subprocess.run(
        [str(python), "-c", "import senge_course; print(senge_course.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(ROOT / "src") in check.stdout


def test_the_zero_to_jupyterhub_values_name_the_course_image_of_this_version():
    import yaml

    import senge_course

    values = yaml.safe_load((ROOT / "instructors" / "z2jh-values.yaml").read_text())
    image = values["singleuser"]["image"]
    assert image["tag"] == senge_course.__version__  # one image per course version
    assert image["name"].endswith("/senge-course")
    command = values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[0] == "gitpuller" and command[-1] == "senge-course"
    assert values["singleuser"]["defaultUrl"].endswith("notebooks/00_start_here.ipynb")
    assert values["singleuser"]["extraEnv"]["SENGE_COURSE_GRADED"] == "1"
    notes = (ROOT / "instructors" / "README.md").read_text(encoding="utf-8")
    assert "z2jh-values.yaml" in notes and "repo2docker" in notes


def _pins(path):
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_binder_installs_the_lock_and_the_course_without_dependencies():
    lock, binder = _pins(ROOT / "requirements-lock.txt"), _pins(BINDER / "requirements.txt")
    assert {"numpy", "jupyterlab", "voila", "ipykernel", "pytest"} <= set(lock)
    # binder's file is compiled against the lock: every package both name has the lock's version
    assert {n: v for n, v in binder.items() if n in lock} == {
        n: lock[n] for n in binder if n in lock
    }
    assert {"jupyterlab", "voila", "nbgitpuller"} <= set(binder)
    assert "senge-course" not in binder  # postBuild installs the course itself, --no-deps
    assert "--no-deps" in (BINDER / "postBuild").read_text()
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "uv pip compile" in contributing and "requirements-lock.txt" in contributing
