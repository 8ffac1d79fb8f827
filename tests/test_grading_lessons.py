"""The grader and every lesson's questions agree: each solution earns full marks, each untouched
exercise earns nothing, and every question of an exercise is "not attempted" (one class run).

This holds the custom question kinds of the lessons (puzzles whose answers the judge simulates)
to the grader's collect-then-judge path, not only to `q.check()` in the kernel.
"""

import shutil

import pytest

from senge_course.course.lessons import LESSONS
from senge_course.grading.run import grade
from senge_course.paths import course_root

ROOT = course_root()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    for lesson in LESSONS:
        shutil.copy(ROOT / lesson.solution, folder / f"solution-{lesson.number}.ipynb")
        shutil.copy(ROOT / lesson.exercise, folder / f"exercise-{lesson.number}.ipynb")
    run = grade(
        folder,
        tmp_path_factory.mktemp("out") / "gradebook.csv",
        workers=2,
        timeout=300,
        progress=False,
    )
    return {result.student: result for result in run.results}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_solution_earns_full_marks_and_exercise_nothing(graded, lesson):
    solution = graded[f"solution-{lesson.number}"]
    assert solution.status == "ok", solution.detail
    assert solution.max_score and solution.score == pytest.approx(solution.max_score), [
        (o.question, o.status, o.message) for o in solution.outcomes if o.score < o.max_score
    ]
    exercise = graded[f"exercise-{lesson.number}"]
    assert exercise.status == "ok", exercise.detail
    assert exercise.score == 0
    assert {o.status for o in exercise.outcomes} == {"not attempted"}
