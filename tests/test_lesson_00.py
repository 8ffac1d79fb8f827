"""Lesson 00 (start here): its prediction read back, its exercise's kinds and answers, the three
voices item, the recorded prediction and the concept check before the course (not graded)."""

import re

import nbformat
import pytest

from senge_course.course.checks import ___
from senge_course.course.lessons import get_lesson
from senge_course.course.questions import get_exercise
from senge_course.course.questions.concepts import ANSWERS, CONCEPTS, concept_check_markdown
from senge_course.course.questions.lesson_00 import LEADERS, VOICES
from senge_course.models.leadership import ASSUMPTIONS
from senge_course.paths import course_root

ROOT = course_root()


def _cells(folder):
    (path,) = (ROOT / folder).glob("00_*.ipynb")
    return nbformat.read(path, as_version=4).cells


def _questions(part="exercise"):
    return {q.name: q for q in get_exercise("00", part).questions}


def test_every_item_has_its_kind():
    assert get_exercise("00").kinds() == {
        "q1": "recall",
        "q2": "recall",
        "q3": "procedure",
        "q4": "procedure",
        "q5": "reflection",
        "q6": "reasoning",
        "q7": "prediction",
        "q8": "concept",
    }
    assert get_exercise("00", "lesson").kinds() == {"q1": "read-off"}


def test_the_first_five_questions_keep_their_places():
    """The grader's tests (tests/test_grading.py) tamper with q1, q3 and q4 by position."""
    names = [q.name for q in get_exercise("00").questions]
    assert names[:5] == ["answer_q1", "answer_q2", "answer_q3", "committed_share", "reflection_q5"]
    assert get_exercise("00").max_score == 5


def test_the_lesson_reads_its_prediction_back():
    code = [c.source for c in _cells("notebooks") if c.cell_type == "code"]
    asked = next(i for i, s in enumerate(code) if re.search(r"^my_prediction = ___$", s, re.M))
    later = "\n".join(code[asked + 1 :])
    assert "You predicted {my_prediction!r}" in later and "needs(my_prediction" in later
    for option in LEADERS:  # the same options as lesson 05's my_prediction_alone
        assert f'"{option}"' in later
    text = "\n".join(c.source for c in _cells("notebooks") if c.cell_type == "markdown")
    for option in LEADERS:
        assert f'`"{option}"`' in text


def test_the_lesson_plumbing_is_in_the_first_code_cell():
    code = [c.source for c in _cells("notebooks") if c.cell_type == "code"]
    assert 'exercise("00", globals(), part="lesson")' in code[0]
    assert "check_install()" in code[0]
    assert not any(re.search(r"^\s*(from|import) ", s, re.M) for s in code[1:])


@pytest.mark.parametrize("answer", ["04", " 04 "])
def test_the_tour_puzzle(answer):
    q = _questions("lesson")["lesson_for_networkers"]
    assert q.evaluate({"lesson_for_networkers": answer}).status == "correct"
    assert q.evaluate({"lesson_for_networkers": "05"}).status == "incorrect"


@pytest.mark.parametrize("answer", [0.25, 2 / 8, 25, "25%"])
def test_a_share_is_forgiving(answer):
    assert _questions()["answer_q3"].evaluate({"answer_q3": answer}).status == "correct"


def test_the_three_voices_item():
    q = _questions()["answer_q6"]
    assert q.evaluate({"answer_q6": dict(VOICES)}).status == "correct"
    assert sorted(set(VOICES.values())) == ["model", "research", "senge"]
    assert q.evaluate({"answer_q6": dict.fromkeys(VOICES, "senge")}).status == "incorrect"
    # the model sentences state the model's own constants
    assert ASSUMPTIONS["threshold_mean"].default == pytest.approx(0.45)
    assert ASSUMPTIONS["pilot_mentoring"].default == pytest.approx(0.5)


def test_the_prediction_is_recorded_under_a_fixed_name():
    q = _questions()["prediction_leader"]
    out = q.evaluate({"prediction_leader": " Networkers "})
    assert (out.status, out.score) == ("submitted", 0.0)
    assert q.evaluate({"prediction_leader": "heroes"}).status == "incorrect"


def test_the_concept_check_before_is_recorded_not_judged():
    q = _questions()["concepts_before"]
    assert not q.graded and not q.scored
    wrong = dict.fromkeys(CONCEPTS, "a")
    for answers in (wrong, dict(ANSWERS)):
        out = q.evaluate({"concepts_before": answers})
        assert (out.status, out.score) == ("submitted", 0.0)
        assert "right" not in out.message
    assert q.evaluate({"concepts_before": ___}).status == "not attempted"


def test_the_exercise_shows_the_concept_check_exactly():
    text = [c.source for c in _cells("exercises") if c.cell_type == "markdown"]
    assert any(concept_check_markdown() in s for s in text)
    code = "\n".join(c.source for c in _cells("exercises") if c.cell_type == "code")
    assert "concepts_before = {" in code and '"c10": ___' in code


def test_the_reflection_shows_its_criteria():
    q = _questions()["reflection_q5"]
    assert 3 <= len(q.criteria) <= 4
    text = "\n".join(c.source for c in _cells("exercises") if c.cell_type == "markdown")
    assert all(criterion in text for criterion in q.criteria)


def test_manifest_entry():
    assert get_lesson("00").stem == "00_start_here"
