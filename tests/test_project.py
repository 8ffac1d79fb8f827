"""The package, the README and CI agree with one another."""

import re
import subprocess
import sys
import tomllib

import pytest

from senge_course import check_install
from senge_course.course.lessons import LESSONS, course_map_markdown, get_lesson
from senge_course.paths import course_root

ROOT = course_root()
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_import_is_cheap():
    heavy = ("matplotlib", "ipywidgets", "scipy", "networkx")
    code = "import sys, senge_course; senge_course.course.lessons; senge_course.course.checks; "
    code += f"print([m for m in {heavy!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_readme_course_map_equals_the_manifest():
    block = re.search(r"<!-- course-map.*?-->\n(.*?)\n<!-- end course-map -->", README, re.S)
    assert block, "README lost its course-map markers"
    assert block.group(1).strip() == course_map_markdown(), (
        "README's course map differs from the manifest; paste this:\n" + course_map_markdown()
    )


def _quick_start():
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", README, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands():
    lab, tests = _quick_start()
    assert lab.startswith('pip install -e ".[all]"') and lab.endswith("senge-course lab")
    # CI installs what a class installs: the lock file as constraints
    assert tests.startswith('pip install -c requirements-lock.txt -e ".[test]"')
    assert tests.endswith("pytest")


def test_ci_runs_the_readme_test_command_in_a_fresh_venv():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv" in script and "mktemp -d" in script
    assert "## Quick start" in script  # reads the command from the README, so they cannot drift
    assert "exit 5" in script or '"$status" -eq 5' in script


def test_pyproject_metadata():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = meta["project"]
    assert project["name"] == "senge-course" and project["requires-python"] == ">=3.11"
    deps = " ".join(project["dependencies"])
    for dep in ("ipywidgets", "networkx", "matplotlib", "numpy", "scipy"):
        assert dep in deps
    assert "jupyterlab" not in deps and "voila" not in deps  # the core runs in any kernel
    extras = project["optional-dependencies"]
    assert any(d.startswith("jupyterlab") for d in extras["lab"])
    assert any(d.startswith("voila") for d in extras["present"])
    assert extras["all"] == ["senge-course[lab,present,grade,site]"]
    assert "senge-course[all]" in extras["test"]  # every test runs every feature
    test = " ".join(extras["test"])
    for dep in ("pytest", "nbval", "nbclient", "nbformat", "hypothesis"):
        assert dep in test
    assert project["scripts"]["senge-course"] == "senge_course.cli:main"


def test_check_install_reports_everything_and_finds_problems(monkeypatch):
    report = check_install(import_modules=True)
    assert report.ok, str(report)
    assert "All set" in str(report)
    from senge_course import install

    monkeypatch.setattr(
        install, "REQUIREMENTS", install.REQUIREMENTS + (("no-such-pkg", "x", "1.0", "test"),)
    )
    bad = install.check_install()
    assert not bad.ok and "no-such-pkg is missing" in str(bad)
    with pytest.raises(TypeError, match="import_modules"):
        check_install(import_modules="yes")


def test_manifest_is_consistent():
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for lesson in LESSONS:
        # measured minutes (CONTRIBUTING.md): a lesson fits a 90-minute session with time left for
        # a debrief (at most 60); the capstone does not (115: started in class, finished alone)
        cap = 120 if lesson.slug == "capstone" else 60
        assert 3 <= len(lesson.objectives) <= 5 and 10 <= lesson.minutes <= cap
        # an exercise took reviewers 30 to 50 minutes
        assert 30 <= lesson.exercise_minutes <= 50
        assert get_lesson(lesson.slug) is lesson and get_lesson(int(lesson.number)) is lesson


def test_every_lesson_states_the_manifests_minutes():
    """The notebook's "What you'll need" gives the lesson's and its exercise's minutes, and
    CONTRIBUTING.md says how they were measured."""
    import nbformat

    for lesson in LESSONS:
        first = nbformat.read(ROOT / lesson.notebook, as_version=4).cells[0].source
        need = re.search(r"\*\*What you'll need:\*\* about (\d+) minutes \((.*?)\)", first)
        assert need, lesson.number
        assert int(need.group(1)) == lesson.minutes, lesson.number
        assert f"about {lesson.exercise_minutes} more for its exercise" in need.group(2)
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "### How the minutes were measured" in contributing
    assert "exercise_minutes" in contributing


def test_every_lesson_says_what_you_will_learn_in_the_manifests_words():
    """The notebook's "What you'll learn" list is the manifest's objectives, word for word."""
    import re

    import nbformat

    for lesson in LESSONS:
        first = nbformat.read(ROOT / lesson.notebook, as_version=4).cells[0].source
        block = re.search(r"\*\*What you'll learn:\*\*(.*?)\*\*What you'll need", first, re.S)
        assert block, lesson.number
        items = [
            " ".join(re.sub(r"^\s*\d+\.\s*", "", line).split()).rstrip(".")
            for line in block.group(1).splitlines()
            if re.match(r"\s*\d+\.\s", line)
        ]
        assert items == [" ".join(o.split()).rstrip(".") for o in lesson.objectives], lesson.number
