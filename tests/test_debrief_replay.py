"""The debrief replays the class's best and worst designs in the lesson's app, with one call."""

import json
from pathlib import Path

import pytest

from senge_course.course.debrief import ClassDebrief, _notebook
from senge_course.course.lessons import get_lesson
from senge_course.course.questions import get_exercise
from senge_course.views.replay import replay


def _class(tmp_path, lesson, label, name, designs):
    """A class file: one student per design, the first correct, the others incorrect."""
    students = {}
    for i, design in enumerate(designs):
        status = "correct" if i == 0 else "incorrect"
        outcome = {
            "question": label, "name": name, "kind": "design", "status": status,
            "score": float(i == 0), "max_score": 1.0, "message": "",
        }  # fmt: skip
        students[f"s{i}"] = {
            "lesson": lesson,
            "status": "ok",
            "outcomes": [outcome],
            "answers": {name: design},
        }
    path = tmp_path / "class.json"
    path.write_text(
        json.dumps({"schema": "senge-course/class", "version": 1, "students": students})
    )
    return ClassDebrief.load(path)


def test_lesson_05_best_and_worst_levers_open_in_the_builder(tmp_path):
    best = {"pilot_teams": 2, "mentoring": 1.0, "networkers": 1, "teams_spanned": 3}
    debrief = _class(tmp_path, "05", "q6", "answer_q6", [best, {"pilot_teams": 1}])
    app = replay(debrief, "q6", "best")
    assert app.lever_values == {**app.lever_values, **best}
    worst = replay(debrief, "q6", "worst")
    # levers the learner left out are the judge's defaults (off), not the builder's scenario
    assert worst.lever_values["pilot_teams"] == 1 and worst.lever_values["mentoring"] == 0
    assert "worst design for q6" in worst.message.value


def test_lesson_07_plan_opens_in_the_planner(tmp_path):
    plan = {"allocation": [0.1, 0.1, 0.8], "integration": 1.0}
    debrief = _class(tmp_path, "07", "q8", "answer_q8", [plan])
    app = replay(debrief, "q8")
    assert app.plan.allocation == pytest.approx((0.1, 0.1, 0.8))
    assert app.plan.integration == 1.0


def test_lesson_03_start_opens_in_the_cascade_explorer_at_the_exercise_setting(tmp_path):
    debrief = _class(tmp_path, "03", "q3", "start_q3", [{"start": "scattered", "size": 25}])
    app = replay(debrief, "q3")
    values = {name: app.controls[name].value for name in ("z", "phi", "start", "size")}
    assert values == {"z": 9.0, "phi": 0.18, "start": "scattered", "size": 25}


def test_a_p_off_the_explorers_grid_says_which_p_it_shows(tmp_path):
    debrief = _class(tmp_path, "04", "q9", "answer_q9", [0.14])
    app = replay(debrief, "q9")
    assert app.controls["p"].value == 0.1
    assert "0.1 is nearest" in app.message.value


def test_a_design_no_app_replays_is_refused_with_the_reason_and_the_notebook_says_so(tmp_path):
    debrief = _class(tmp_path, "03", "q7", "G_q7", ["<Graph>"])
    with pytest.raises(ValueError, match="no app of lesson 03 replays q7"):
        debrief.replay_setting("q7")
    cells = _notebook(debrief, tmp_path / "class.json", get_lesson("03")).cells
    text = "\n".join(c.source for c in cells)
    assert "is not replayed" in text and "replay(debrief" not in text


def test_a_malformed_worst_design_is_not_offered_but_the_best_is(tmp_path):
    best = {"allocation": [0.2, 0.25, 0.55], "integration": 0.7}
    debrief = _class(tmp_path, "07", "q8", "answer_q8", [best, "all practice"])
    with pytest.raises(ValueError, match="worst design for q8 cannot be replayed"):
        debrief.replay_setting("q8", "worst")
    cells = _notebook(debrief, tmp_path / "class.json", get_lesson("07")).cells
    calls = [c.source for c in cells if c.cell_type == "code" and "replay(debrief" in c.source]
    assert calls == ["replay(debrief, 'q8', 'best')"]


@pytest.mark.parametrize("lesson", ["03", "04", "05", "07"])
def test_every_replayed_question_is_a_design_question_of_its_lesson(lesson):
    from senge_course.course.debrief import _REPLAYS

    names = {
        q.name
        for part in ("exercise", "lesson")
        for q in (q for _, q in get_exercise(lesson, part).items())
    }
    designs = {
        q.name
        for part in ("exercise", "lesson")
        for q in (q for _, q in get_exercise(lesson, part).items())
        if q.kind == "design"
    }
    for key_lesson, name in _REPLAYS:
        if key_lesson == lesson:
            assert name in names and name in designs


def test_a_wrong_answer_is_explained_by_the_notes_or_else_by_its_options_feedback(monkeypatch):
    from senge_course import paths
    from senge_course.course.debrief import misconception

    from_notes = misconception("05", "q3", "a")
    assert from_notes.startswith('Option `"a"` reveals')
    assert misconception("05", "q3", "b") == ""  # the right answer reveals no misconception
    monkeypatch.setattr(paths, "course_root", lambda: Path("/nowhere"))  # an install without notes
    option = dict(get_exercise("05").items())["q3"].options["a"]
    assert misconception("05", "q3", "a") == option and option.startswith("Not quite")
