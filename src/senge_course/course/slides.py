"""A lesson as a reveal.js slide deck for the classroom: ``senge-course slides LESSON --out DIR``.

`build_slides` runs the lesson top to bottom in a fresh kernel (nbclient), in a scratch folder so
that nothing it saves lands in the course, then turns the executed notebook into slides with
nbconvert's `~nbconvert.exporters.SlidesExporter`:

* no code: inputs are left out, and so are cells that only hold a learner's answer (``___``)
  or run a check (``.check()``, ``.hint()``);
* a slide per ``#`` or ``##`` heading (the title slide is the lesson's title, with what it
  teaches), a vertical sub-slide for each further cell of a section;
* every figure as a static image with its text summary as alt text and caption: a widget app
  shows its figures as they are when the lesson has run (its static fallback, see
  `senge_course.views`), and a diagram drawn with ``plt.show()`` takes the summary the cell
  prints as its alt text;
* one slide, before the key points, on what the lesson's models assume: each of its registered
  claims (`senge_course.models.claims`) with its origin.

The deck is one HTML file with its images inside.  It is built without a network; reveal.js
itself (its script and styles) loads from `REVEAL_URL` when the deck is opened, unless
``reveal_prefix`` names a local copy of reveal.js 4 (a folder holding ``dist/`` and
``plugin/``), for a classroom without internet.
"""

import base64
import html
import re
import tempfile
from pathlib import Path

import nbformat

from .. import files
from ..models import claims
from ..paths import course_root
from .lessons import get_lesson

__all__ = ["REVEAL_URL", "build_slides", "slide_notebook"]

#: Where the deck loads reveal.js from by default (nbconvert's own default).
REVEAL_URL = "https://unpkg.com/reveal.js@4.0.2"

_ANSWER = re.compile(r"(^|[^\w])___([^\w]|$)")
_CHECK = re.compile(r"\.(check|hint|solution)\(\)")
_HEADING = re.compile(r"^(#{1,3}) ", re.MULTILINE)


def build_slides(lesson, out, *, reveal_prefix=None, timeout=300):
    """Build lesson `lesson`'s slide deck in folder `out`; return the deck's path.

    `lesson` is a number (``"05"`` or ``5``) or a slug; `out` is created if needed; the deck is
    ``NN_slug.slides.html``, written atomically.  `reveal_prefix` is a URL or folder of
    reveal.js (default `REVEAL_URL`); `timeout` the seconds a cell may run.

    Raises ValueError for an unknown lesson and RuntimeError, naming the cell, if the lesson
    fails to run.
    """
    from ..install import require

    for module in ("nbclient", "nbconvert"):
        require(module, "present", purpose="senge-course slides")
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import SlidesExporter

    lesson = get_lesson(lesson)
    source = course_root() / lesson.notebook
    nb = nbformat.read(source, as_version=4)
    with tempfile.TemporaryDirectory(prefix="senge-slides-") as scratch:
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": scratch}}
        )
        try:
            client.execute()
        except CellExecutionError as error:
            raise RuntimeError(f"lesson {lesson.number} did not run to the end: {error}") from None
    deck = slide_notebook(nb, lesson.number)
    exporter = SlidesExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        reveal_url_prefix=str(reveal_prefix or REVEAL_URL),
        reveal_scroll=True,
    )
    body, _ = exporter.from_notebook_node(deck)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{lesson.stem}.slides.html"
    files.write_text(path, body, what="the slide deck")
    return path


def slide_notebook(nb, lesson):
    """Return a copy of executed notebook `nb` marked up as slides (see the module).

    Cells are kept, dropped or re-marked; the claims slide of lesson `lesson` goes before
    "Key points" (or at the end).
    """
    # without the widgets' saved state every app shows its static fallback (its figures)
    metadata = {k: v for k, v in nb.metadata.items() if k != "widgets"}
    deck = nbformat.v4.new_notebook(metadata=metadata)
    for cell in nb.cells:
        if cell.cell_type == "code":
            if _ANSWER.search(cell.source) or _CHECK.search(cell.source):
                continue
            cell = nbformat.from_dict(dict(cell))
            cell.outputs = [o for o in cell.outputs if not _noise(o)]
            cell = _with_alt_text(cell)
            if not cell.outputs:
                continue
        elif cell.cell_type != "markdown" or not cell.source.strip():
            continue
        cell = nbformat.from_dict(dict(cell))
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Key points"):
            deck.cells.append(_assumptions_cell(lesson))
        deck.cells.append(cell)
    if not any(c.metadata.get("senge_slide") == "assumptions" for c in deck.cells):
        deck.cells.append(_assumptions_cell(lesson))
    previous = None
    for cell in deck.cells:
        heading = _HEADING.match(cell.source.lstrip()) if cell.cell_type == "markdown" else None
        if heading and len(heading.group(1)) <= 2:
            kind = "slide"
        elif heading or previous is not None:
            kind = "subslide"
        else:
            kind = "slide"
        cell.metadata["slideshow"] = {"slide_type": kind}
        previous = cell
    return deck


def _noise(output):
    """True for outputs a deck leaves out: warnings, and "complete question N first" notes."""
    if output.get("name") == "stderr":
        return True
    text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
    return "its answer is still ___" in "".join(text)


def _with_alt_text(cell):
    """A code cell whose figure is a bare PNG takes its printed summary as alt text.

    The PNG and the summary (the cell's printed text) become one HTML output; other outputs
    stay as they are.
    """
    pngs = [
        o
        for o in cell.outputs
        if "image/png" in o.get("data", {}) and "text/html" not in o.get("data", {})
    ]
    if not pngs:
        return cell
    text = " ".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    summary = " ".join(text.split()) or "A figure from the lesson (no summary printed)."
    outputs = []
    for output in cell.outputs:
        if output in pngs:
            data = output["data"]["image/png"]
            png = data if isinstance(data, str) else base64.b64encode(data).decode()
            alt = html.escape(summary, quote=True)
            figure = (
                f'<figure><img src="data:image/png;base64,{png.strip()}" alt="{alt}">'
                f"<figcaption>{html.escape(summary)}</figcaption></figure>"
            )
            outputs.append(nbformat.v4.new_output("display_data", data={"text/html": figure}))
        elif output.get("output_type") != "stream":
            outputs.append(output)
    cell = nbformat.from_dict(dict(cell))
    cell.outputs = outputs
    return cell


def _assumptions_cell(lesson):
    """The slide on what the lesson's models assume: its registered claims and their origins."""
    found = claims.for_lesson(lesson)
    lines = ["## What our model assumes", ""]
    if found:
        lines += [
            "The models are calibrated, not estimated. Each claim below is one of the lesson's, "
            "with where it comes from:",
            "",
        ]
        lines += [f"- **{c.origin}**: {c.sentence} (`{c.key}`)" for c in found]
    else:
        lines.append(
            "This lesson states no model result of its own: the models it shows are those of "
            "the lessons that follow, calibrated, not estimated."
        )
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    cell.metadata["senge_slide"] = "assumptions"
    return cell
