"""Three voices (issue 12): every lesson keeps apart what Senge (1997) says, what research says
and what our models assume, prints its claims, quotes Senge a sentence at most, and never
teaches that line leaders run learning laboratories (the article gives them to executives)."""

import re

import nbformat
import pytest

from senge_course.course.lessons import LESSONS, get_lesson
from senge_course.paths import course_root
from senge_course.views.tour import IDEAS

ROOT = course_root()
LABELS = ("> **Senge (1997) says.**", "> **Research says.**", "> **Our model assumes.**")
#: The lessons where each model first appears say "calibrated, not estimated".
FIRST_SHOWN = ("01", "02", "05", "07")
QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")
SENTENCE_BREAK = re.compile(r"[.!?][\"')]?\s+[\"'(*_]*[A-Z]")


def _cells(path, kind):
    return [c.source for c in nbformat.read(ROOT / path, as_version=4).cells if c.cell_type == kind]


def _markdown(number):
    return "\n\n".join(_cells(get_lesson(number).notebook, "markdown"))


def senge_quotes(text):
    """Passages in quotation marks followed, in the same paragraph, by "(Senge, 1997"."""
    for paragraph in re.split(r"\n\s*\n", text):
        joined = " ".join(line.lstrip("> ").strip() for line in paragraph.splitlines())
        yield from QUOTE.findall(joined[: max(0, joined.rfind("(Senge, 1997"))])


def line_leaders_with_laboratories(text):
    """Sentences that name line leaders and learning laboratories without the executives."""
    sentences = re.split(r"(?<=[.!?])\s+|\n", text)
    return [
        s
        for s in sentences
        if "line leader" in s.lower()
        and "learning laborator" in s.lower()
        and "executive" not in s.lower()
    ]


MODEL_LESSONS = [f"{i:02d}" for i in range(1, 9)]


@pytest.mark.parametrize("number", MODEL_LESSONS)
def test_lesson_keeps_the_three_voices_apart(number):
    lines = [line.strip() for line in _markdown(number).splitlines()]
    for label in LABELS:
        assert any(line.startswith(label) for line in lines), f"lesson {number}: no {label!r}"


@pytest.mark.parametrize("number", MODEL_LESSONS)
def test_lesson_prints_its_claims_table(number):
    code = _cells(get_lesson(number).notebook, "code")
    assert any(f'claims_table("{number}")' in source for source in code)


@pytest.mark.parametrize("number", FIRST_SHOWN)
def test_lesson_that_first_shows_a_model_says_calibrated_not_estimated(number):
    assert "calibrated, not estimated" in _markdown(number).lower()


@pytest.mark.parametrize("number", [lesson.number for lesson in LESSONS])
def test_senge_is_quoted_a_sentence_at_most(number):
    long = [q for q in senge_quotes(_markdown(number)) if SENTENCE_BREAK.search(q)]
    assert not long, f"lesson {number} quotes Senge more than a sentence at a time: {long}"


def test_lesson_00_introduces_the_three_voices_and_the_claims():
    text = _markdown("00")
    for label in LABELS:
        assert label in text
    assert "calibrated, not estimated" in text
    assert "claims registry" in text and "Show where it fails" in text
    assert not _cells(get_lesson("00").notebook, "code")[-1].count("claims_table")


def test_the_helpers_find_what_they_look_for():
    text = 'He says "One. Two." (Senge, 1997, HBR 75(5)).\n\nAnd "not Senge. Here."'
    assert list(senge_quotes(text)) == ["One. Two."]
    assert SENTENCE_BREAK.search("One. Two.") and not SENTENCE_BREAK.search("foster compliance")
    wrong = "Line leaders run pilot groups and learning laboratories."
    assert line_leaders_with_laboratories(wrong) == [wrong]
    right = "Executives, not line leaders, invest in learning laboratories."
    assert line_leaders_with_laboratories(right) == []


NOTEBOOKS = sorted(
    p.relative_to(ROOT)
    for folder in ("notebooks", "solutions", "exercises")
    for p in (ROOT / folder).glob("*.ipynb")
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_no_notebook_says_line_leaders_run_learning_laboratories(path):
    cells = nbformat.read(ROOT / path, as_version=4).cells
    text = "\n".join(c.source for c in cells)
    assert not line_leaders_with_laboratories(text)


# ----------------------------------------------------------------------------- lesson 00's tour


@pytest.mark.parametrize("name", list(IDEAS))
def test_tour_cards_keep_the_article_apart_from_the_course(name):
    idea = IDEAS[name]
    assert set(idea) == {"lesson", "senge", "model"}
    assert idea["lesson"] in {lesson.number for lesson in LESSONS}
    # the article's voice: paraphrase, a few words at most quoted, no course concepts
    for quoted in QUOTE.findall(idea["senge"]):
        assert not SENTENCE_BREAK.search(quoted) and len(quoted.split()) <= 12, quoted
    course_words = re.compile(r"threshold|tipping|cascade|bridge|capability trap", re.I)
    assert not course_words.search(idea["senge"]), f"{name}: a course concept in Senge's voice"
    # where the course's line names a research concept it says whose it is
    if course_words.search(idea["model"]):
        assert re.search(r"research|not the article|our assumption", idea["model"]), name
    assert not line_leaders_with_laboratories(f"{name}: {idea['senge']} {idea['model']}")


def test_the_tour_covers_the_article_and_keeps_the_puzzle_true():
    from senge_course.views import ArticleTour

    assert IDEAS["Internal networkers"]["lesson"] == "04"  # lesson 00's puzzle
    text = " ".join(idea["senge"] for idea in IDEAS.values()).lower()
    for idea in ("competitive", "myth", "teams", "learning laboratories", "society", "pilot"):
        assert idea in text, idea
    tour = ArticleTour("Executive leaders")
    card = tour.card.value
    assert "Senge (1997) says." in card and "Our model:" in card
    assert "calibrated, not estimated" in card and "(Senge, 1997, HBR 75(5))" in card
    assert tour.result["name"] == "Executive leaders" and tour.result["lesson"] == "05"
    tour.choose("Two challenges")
    assert "calibrated" not in tour.card.value  # no model, so nothing calibrated
