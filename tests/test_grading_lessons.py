"""The grader and every lesson's questions agree: each solution earns full marks, each untouched
exercise earns nothing, and every question of an exercise is "not attempted" (one class run).

This holds the custom question kinds of the lessons (puzzles whose answers the judge simulates)
to the grader's collect-then-judge path, not only to `q.check()` in the kernel.  The class is
graded in a process of its own, which must judge every lesson without loading matplotlib or the
widget libraries (the kernels are separate processes: only the grader's own process counts).
"""

import json
import shutil
import subprocess
import sys

import pytest

from senge_course.course.lessons import LESSONS
from senge_course.paths import course_root

ROOT = course_root()
DRAWING = ("matplotlib", "ipywidgets", "anywidget")

GRADE_THE_CLASS = f"""
import json, sys
from senge_course.grading import grade

from pathlib import Path

results = {{}}
for folder in sorted(Path(sys.argv[1]).iterdir()):  # one folder, one gradebook per lesson
    out = Path(sys.argv[2]) / folder.name / "gradebook.csv"
    run = grade(folder, out, workers=2, timeout=300, progress=False)
    results |= {{
        r.student: {{
            "status": r.status, "detail": r.detail, "score": r.score, "max_score": r.max_score,
            "outcomes": [(o.question, o.status, o.score, o.max_score, o.message) for o in r.outcomes],
        }}
        for r in run.results
    }}
loaded = [name for name in {DRAWING!r} if name in sys.modules]
with open(sys.argv[3], "w", encoding="utf-8") as fh:
    json.dump({{"results": results, "loaded": loaded}}, fh)
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    for lesson in LESSONS:  # a folder per lesson: a gradebook's columns are one lesson's
        (folder / lesson.number).mkdir()
        shutil.copy(
            ROOT / lesson.solution, folder / lesson.number / f"solution-{lesson.number}.ipynb"
        )
        shutil.copy(
            ROOT / lesson.exercise, folder / lesson.number / f"exercise-{lesson.number}.ipynb"
        )
    out = tmp_path_factory.mktemp("out")
    report = out / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            GRADE_THE_CLASS,
            str(folder),
            str(out),
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(report.read_text(encoding="utf-8"))


def test_the_grader_loads_no_drawing_or_widget_library(graded):
    assert graded["loaded"] == []


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_solution_earns_full_marks_and_exercise_nothing(graded, lesson):
    solution = graded["results"][f"solution-{lesson.number}"]
    assert solution["status"] == "ok", solution["detail"]
    assert solution["max_score"] and solution["score"] == pytest.approx(solution["max_score"]), [
        (question, status, message)
        for question, status, score, most, message in solution["outcomes"]
        if score < most
    ]
    exercise = graded["results"][f"exercise-{lesson.number}"]
    assert exercise["status"] == "ok", exercise["detail"]
    assert exercise["score"] == 0
    assert {status for _, status, *_ in exercise["outcomes"]} == {"not attempted"}
