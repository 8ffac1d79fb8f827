"""Every committed notebook: present in the manifest, titled as it says, and without outputs."""

import json
from pathlib import Path

import nbformat
import pytest

from senge_course.course.lessons import LESSONS
from senge_course.paths import course_root

ROOT = course_root()
NOTEBOOKS = sorted(
    p.relative_to(ROOT)
    for folder in ("notebooks", "exercises", "solutions")
    for p in (ROOT / folder).glob("*.ipynb")
)


def _title(path):
    nb = nbformat.read(ROOT / path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown", f"{path}: the first cell must be the title"
    return first.source.splitlines()[0].removeprefix("# ").strip()


def test_there_are_notebooks():
    assert len(NOTEBOOKS) == 3 * len(LESSONS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_committed_without_outputs_or_execution_counts(path):
    nb = json.loads((ROOT / path).read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"]) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{path}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_valid_nbformat_4_with_lesson_metadata(path):
    nb = nbformat.read(ROOT / path, as_version=4)
    nbformat.validate(nb)
    meta = nb.metadata["senge_course"]
    assert meta["lesson"] == Path(path).name[:2]
    assert (
        meta["kind"]
        == {"notebooks": "lesson", "exercises": "exercise", "solutions": "solution"}[
            Path(path).parent.name
        ]
    )
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_manifest_files_exist_and_titles_match(lesson):
    for path in (lesson.notebook, lesson.exercise, lesson.solution):
        assert (ROOT / path).is_file(), f"lesson {lesson.number}: {path} is missing"
    assert _title(lesson.notebook) == lesson.title
    for path in (lesson.exercise, lesson.solution):
        assert _title(path) == f"Exercise {lesson.number}: {lesson.title}"


def test_every_notebook_is_in_the_manifest():
    listed = {p for lesson in LESSONS for p in (lesson.notebook, lesson.exercise, lesson.solution)}
    assert {str(p) for p in NOTEBOOKS} == listed


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_lesson_follows_the_template(lesson):
    text = "\n".join(c.source for c in nbformat.read(ROOT / lesson.notebook, as_version=4).cells)
    for heading in (
        "What you'll do",
        "What you'll learn",
        "What you'll need",
        "Predict",
        "Explore",
        "Puzzle",
        "Reflect",
        "Key points",
        "Further reading",
    ):
        assert heading in text, f"{lesson.notebook} has no {heading!r} section"
    assert ".check()" in text, "a lesson has a checked question"
