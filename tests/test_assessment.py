"""Assessment that teaches (issue 13), checked across every lesson.

Every item says what kind it is; at least 40% of each exercise's scored items (lessons 01-08) are
reasoning or design; a numeric "Not yet" never states the expected value; the right option of a
choice is the longest in at most a third of a lesson's choices; no notebook states a question's
expected value before the question asks for it; every prediction a lesson asks for is read back
and recorded; plumbing lives in the first code cell; the concept check runs before and after.
"""

import math
import re
from functools import cache

import nbformat
import pytest

from senge_course.course.checks import KINDS, Choice, Prediction, Value
from senge_course.course.lessons import LESSONS
from senge_course.course.questions import get_exercise
from senge_course.course.questions.concepts import CONCEPTS, ConceptCheck
from senge_course.paths import course_root

ROOT = course_root()
NUMBERS = [lesson.number for lesson in LESSONS]
PARTS = [(n, part) for n in NUMBERS for part in ("exercise", "lesson")]


@cache
def _questions(number, part):
    try:
        return get_exercise(number, part).settled().questions
    except ValueError:  # this lesson has no such part
        return ()


def _notebook(folder, number):
    (path,) = (ROOT / folder).glob(f"{number}_*.ipynb")
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize(("number", "part"), PARTS)
def test_every_item_says_what_kind_it_is(number, part):
    for q in _questions(number, part):
        assert q.kind in KINDS, f"lesson {number} {part}: {q.name} has kind {q.kind!r}"


@pytest.mark.parametrize("number", NUMBERS[1:])
def test_at_least_two_in_five_scored_items_are_reasoning_or_design(number):
    scored = [q for q in _questions(number, "exercise") if q.scored]
    thinking = [q for q in scored if q.kind in ("reasoning", "design")]
    assert scored and len(thinking) / len(scored) >= 0.4, (
        f"lesson {number}: {len(thinking)} of {len(scored)} scored items are reasoning or design"
    )


def _spoilers(value):
    """The ways a prose or code cell could state `value`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return set()
    if float(value).is_integer():
        return {f"{int(value)}"} if abs(value) >= 10 else set()
    forms = {f"{value:.2f}", f"{value:.3f}", f"{value:g}"}
    if 0 < abs(value) < 1:
        forms.add(f"{100 * value:.0f}%")
    return {form for form in forms if not re.fullmatch(r"-?0?\.?0*%?", form)}


def _wrong_answers(value):
    return (value * 1.5 + 0.1, value * 0.5 - 0.1, value + 1000)


NUMERIC = [
    pytest.param(number, part, q, id=f"{number}-{part}-{q.name}")
    for number, part in PARTS
    for q in _questions(number, part)
    if isinstance(q, Value) and _spoilers(q.expected)
]


@pytest.mark.parametrize(("number", "part", "question"), NUMERIC)
def test_a_wrong_number_is_never_told_the_expected_value(number, part, question):
    for wrong in _wrong_answers(question.expected):
        out = question.assess(wrong)
        assert out.status == "incorrect", (question.name, wrong)
        for form in _spoilers(question.expected):
            assert not re.search(rf"(?<![\d.]){re.escape(form)}(?!\d)", out.message), (
                f"{question.name}: 'Not yet' for {wrong} says {form}: {out.message}"
            )


@pytest.mark.parametrize("number", NUMBERS)
def test_the_right_option_is_rarely_the_longest(number):
    choices = [
        q
        for part in ("exercise", "lesson")
        for q in _questions(number, part)
        if isinstance(q, Choice) and q.kind != "concept"
    ]
    longest = [
        q.name
        for q in choices
        if all(
            len(str(q.options[q.answer])) > len(str(t))
            for k, t in q.options.items()
            if k != q.answer
        )
    ]
    assert len(longest) <= len(choices) / 3, f"lesson {number}: the answer is longest in {longest}"


def _cells(nb):
    return [c for c in nb.cells if c.cell_type in ("markdown", "code")]


@pytest.mark.parametrize(("folder", "part"), [("notebooks", "lesson"), ("exercises", "exercise")])
@pytest.mark.parametrize("number", NUMBERS)
def test_no_answer_appears_before_its_question(folder, part, number):
    cells = _cells(_notebook(folder, number))
    for q in _questions(number, part):
        if not isinstance(q, Value):
            continue
        asked = next(
            (i for i, c in enumerate(cells) if re.search(rf"^\s*{q.name}\s*=", c.source, re.M)),
            None,
        )
        assert asked is not None, f"{folder}/{number}: nothing asks for {q.name}"
        before = "\n".join(c.source for c in cells[:asked])
        for form in _spoilers(q.expected):
            pattern = rf"(?<![\d.\w]){re.escape(form)}(?![\d])"
            assert not re.search(pattern, before), (
                f"{folder}/{number}: {form} (the answer to {q.name}) appears before it is asked"
            )


PREDICTION = re.compile(r"^\s*((?:my_)?\w*predict\w*)\s*=\s*(?:___|\"\"|'')", re.M)


@pytest.mark.parametrize("number", NUMBERS)
def test_every_prediction_is_read_back(number):
    cells = _cells(_notebook("notebooks", number))
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        for name in PREDICTION.findall(cell.source):
            later = [c.source for c in cells[i + 1 :] if c.cell_type == "code"]
            assert any(name in s and "predicted" in s for s in later), (
                f"lesson {number}: nothing reads back {name}"
            )


@pytest.mark.parametrize("number", NUMBERS)
def test_the_exercise_records_predictions_under_fixed_names(number):
    recorded = [q for q in _questions(number, "exercise") if isinstance(q, Prediction)]
    assert recorded, f"exercise {number} records no prediction"
    assert all(q.name.startswith("prediction_") for q in recorded)


@pytest.mark.parametrize("folder", ["notebooks", "solutions", "exercises"])
@pytest.mark.parametrize("number", NUMBERS)
def test_plumbing_lives_in_the_first_code_cell(folder, number):
    code = [c.source for c in _notebook(folder, number).cells if c.cell_type == "code"]
    late = [s for s in code[1:] if re.search(r"\bexercise\(|^\s*(from|import) ", s, re.M)]
    late = [s for s in late if "for those who program" not in s.lower()]
    assert not [s for s in late if "exercise(" in s], f"{folder}/{number}: exercise() after cell 1"


@pytest.mark.parametrize("number", NUMBERS)
def test_no_code_placeholder_above_a_reflection(number):
    for cell in _notebook("exercises", number).cells:
        if '"""___"""' in cell.source:
            assert "# Your code here" not in cell.source


@pytest.mark.parametrize(("number", "graded"), [("00", False), ("08", True)])
def test_the_concept_check_runs_before_and_after(number, graded):
    (check,) = [q for q in _questions(number, "exercise") if isinstance(q, ConceptCheck)]
    assert check.graded is graded and check.name == (
        "concepts_after" if graded else "concepts_before"
    )
    text = "\n".join(c.source for c in _notebook("exercises", number).cells)
    for question, _, _ in CONCEPTS.values():
        assert question in text
