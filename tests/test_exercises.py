import json
import shutil

import nbformat
import pytest

from senge_course.course.exercises import (
    ExerciseBuildError,
    build_exercise,
    build_exercises,
    exercise_source,
)
from senge_course.paths import course_root

ROOT = course_root()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 0.25  # SOLUTION", "x = ___"),
        ("    total_share = a / b  # SOLUTION: ratio", "    total_share = ___"),
        ('d = {\n    "a": "line",  # SOLUTION\n}', 'd = {\n    "a": ___,\n}'),
        ("print(1)", "print(1)"),
        (
            "def f(x):\n    # BEGIN SOLUTION\n    # EXERCISE: return ___\n    return x\n    # END SOLUTION",
            "def f(x):\n    # Your code here\n    return ___",
        ),
        ("# BEGIN SOLUTION\ny = 2\n# END SOLUTION\nz = 3", "# Your code here\nz = 3"),
    ],
)
def test_markers(source, expected):
    assert exercise_source(source) == expected


@pytest.mark.parametrize(
    ("source", "match"),
    [
        ("# BEGIN SOLUTION\nx = 1", "line 1: BEGIN SOLUTION without END"),
        ("x = 1\n# END SOLUTION", "line 2: END SOLUTION without BEGIN"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside another block"),
        ("print(1)  # SOLUTION", "must end an assignment"),
    ],
)
def test_bad_markers_name_the_line(source, match):
    with pytest.raises(ExerciseBuildError, match=match):
        exercise_source(source, where="sol.ipynb: cell 3")


def _notebook(*sources, tags=()):
    nb = nbformat.v4.new_notebook()
    for i, src in enumerate(sources):
        cell = nbformat.v4.new_code_cell(src)
        cell.id = f"c{i}"
        if tags and tags[i]:
            cell.metadata["tags"] = [tags[i]]
        nb.cells.append(cell)
    return nb


def test_solution_only_cells_are_dropped_and_outputs_cleared():
    nb = _notebook("a = 1  # SOLUTION", "secret()", tags=(None, "solution-only"))
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="hi")]
    nb.cells[0].execution_count = 3
    out = build_exercise(nb)
    assert [c.source for c in out.cells] == ["a = ___"]
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None
    assert out.metadata["senge_course"]["kind"] == "exercise"


def test_unbalanced_solution_writes_nothing_and_names_file_and_cell(tmp_path):
    sol, ex = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    nbformat.write(_notebook("a = 1  # SOLUTION"), sol / "00_good.ipynb")
    nbformat.write(_notebook("x = 1", "# BEGIN SOLUTION\ny = 2"), sol / "01_bad.ipynb")
    with pytest.raises(ExerciseBuildError, match=r"01_bad.ipynb: cell 1 \(id c1\), line 1"):
        build_exercises(sol, ex)
    assert not ex.exists() or not list(ex.iterdir())


def test_corrupted_notebook_gives_a_clear_error_and_keeps_the_old_exercise(tmp_path):
    sol, ex = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    ex.mkdir()
    (ex / "00_x.ipynb").write_text("old exercise", encoding="utf-8")
    (sol / "00_x.ipynb").write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(ExerciseBuildError, match="00_x.ipynb: not a readable notebook"):
        build_exercises(sol, ex)
    assert (ex / "00_x.ipynb").read_text(encoding="utf-8") == "old exercise"
    assert [p.name for p in ex.iterdir()] == ["00_x.ipynb"]  # no temporary file left behind


def test_rebuilding_is_byte_identical(tmp_path):
    sol, ex = tmp_path / "solutions", tmp_path / "exercises"
    shutil.copytree(ROOT / "solutions", sol)
    first = build_exercises(sol, ex)
    assert first, "the first build writes every exercise"
    snapshot = {p.name: p.read_bytes() for p in ex.iterdir()}
    assert build_exercises(sol, ex) == []
    assert {p.name: p.read_bytes() for p in ex.iterdir()} == snapshot


def test_committed_exercises_are_exactly_what_the_generator_makes():
    stale = build_exercises(ROOT / "solutions", ROOT / "exercises", check=True)
    assert stale == [], f"run `senge-course build-exercises`: out of date: {stale}"
    names = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    assert names == sorted(p.name for p in (ROOT / "solutions").glob("*.ipynb"))


def test_exercises_keep_no_solution_markers():
    for path in (ROOT / "exercises").glob("*.ipynb"):
        text = json.dumps(json.loads(path.read_text(encoding="utf-8"))["cells"])
        for marker in ("# SOLUTION", "BEGIN SOLUTION", "END SOLUTION", "EXERCISE:"):
            assert marker not in text, f"{path.name} still contains {marker!r}"


def test_check_outcomes_item_fails_on_a_wrong_solution(tmp_path):
    """The notebook check-outcome test is real: a wrong answer in a solution fails it."""
    import subprocess
    import sys

    sol = tmp_path / "solutions"
    sol.mkdir()
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    nb = nbformat.read(ROOT / "solutions" / "00_start_here.ipynb", as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace('answer_q1 = "b"', 'answer_q1 = "a"')
    nbformat.write(nb, sol / "00_start_here.ipynb")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval",
            "-q",
            "--rootdir",
            str(tmp_path),
            str(sol),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout[-2000:]
    assert "q1: incorrect" in run.stdout
    assert "1 failed" in run.stdout
