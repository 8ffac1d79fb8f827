"""`senge-course slides`: every lesson runs and exports as a deck without code (issue 15, item 6)."""

import html
import re

import pytest

from senge_course.cli import main
from senge_course.course.lessons import LESSONS
from senge_course.course.slides import REVEAL_URL, build_slides, slide_notebook
from senge_course.models import claims


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def words(text):
    return re.sub(r" ([,.;:])", r"\1", " ".join(text.replace("*", "").split()))


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.number for lesson in LESSONS])
def test_every_lesson_builds_a_deck(lesson, tmp_path):
    path = build_slides(lesson.number, tmp_path / "deck", reveal_prefix="reveal.js")
    assert path == tmp_path / "deck" / f"{lesson.stem}.slides.html"
    body = path.read_text(encoding="utf-8")
    # offline: reveal.js comes from the local copy named, never from the CDN
    assert REVEAL_URL not in body and 'href="reveal.js/dist/reveal.css"' in body
    slides = [chunk for chunk in re.split(r"<section\b[^>]*>", body)[1:] if chunk.strip()]
    title = words(text_of(slides[0]))
    assert words(lesson.title) in title
    for objective in lesson.objectives:  # the title slide says what the lesson teaches
        assert words(objective) in title, objective
    everything = words(text_of(body))
    assert "What our model assumes" in everything and "Key points" in everything
    for claim in claims.for_lesson(lesson.number):
        assert claim.key in everything
    # no code: no code cell's input, no note about a blank answer, no check's outcome
    assert "hl-ipython3" not in body and "its answer is still ___" not in everything
    # apps show their figures as images, not live widgets (no widget state to load)
    assert "application/vnd.jupyter.widget-state+json" not in body
    # every figure is an image with its text summary as alt text
    images = re.findall(r"<img\b[^>]*>", body)
    for image in images:
        alt = re.search(r'alt="([^"]*)"', image)
        assert alt and len(alt.group(1).split()) >= 5, image[:120]
    if lesson.number != "00":
        assert images, "a lesson with a model shows at least one figure"
    # no widget shown as its Python repr
    assert "children=(" not in body


def test_the_claims_slide_comes_before_the_key_points():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("answer = ___"),
        nbformat.v4.new_markdown_cell("## Key points\n\n- one"),
    ]
    deck = slide_notebook(nb, "05")
    sources = [c.source.splitlines()[0] for c in deck.cells]
    assert sources == ["# Title", "## What our model assumes", "## Key points"]
    assert [c.metadata["slideshow"]["slide_type"] for c in deck.cells] == ["slide"] * 3


def test_a_printed_summary_becomes_a_figures_alt_text():
    import nbformat

    cell = nbformat.v4.new_code_cell("plt.show(); print(summary)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="}),
        nbformat.v4.new_output("stream", name="stdout", text="Three loops: R1 and B1.\n"),
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), cell]
    (out,) = slide_notebook(nb, "01").cells[1].outputs
    assert 'alt="Three loops: R1 and B1."' in out["data"]["text/html"]


def test_the_command_line_names_a_bad_lesson(capsys):
    assert main(["slides", "99", "--out", "nowhere"]) == 2
    assert "99" in capsys.readouterr().err
