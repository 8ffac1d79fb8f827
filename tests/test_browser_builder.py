"""Lesson 04's leader network builder on first view, in real JupyterLab (issue 20).

A learner who runs lesson 04 sees the builder open on the tab the lesson uses first (Measure),
with the suggested internal networkers ringed, and every kind of mark the drawing shows named in
its legend.  The DOM shows the tab and the figure's text summary; what the PNG draws is asked of
the kernel (`LeaderNetworkBuilder.drawn_marks` against the legend of ``figure_state()``) from a
cell added at the end of the served copy of the notebook.  The pure-Python test of the same
property, which fails fast, is in tests/test_widgets_leaders.py.

Reuses the JupyterLab server, browser and page fixtures of tests/test_browser.py; skips as they
do when no browser is installed.
"""

import json
import time

import pytest

from test_browser import (  # noqa: F401  (fixtures are used by name)
    _executed_all,
    _open,
    _run_all,
    _wait_idle,
    browser,
    lab,
    lab_page,
    page,
)

pytestmark = pytest.mark.browser

LESSON = "notebooks/04_networkers_and_bridges.ipynb"
MARKER = "BUILDER-FIRST-VIEW "
ASK = (
    "import json as _json\n"
    "_drawing = builder.figure_state()['network_view']['axes'][0]\n"
    f"print({MARKER!r} + _json.dumps({{'tab': builder.tabs.titles[builder.tabs.selected_index], "
    "'marks': builder.drawn_marks, 'legend': _drawing['legend'], "
    "'summary': builder.figure_view.summary}))"
)


def _builder_dom(pg):
    """The builder's open tab and its figures' text summaries, as the learner's page shows them."""
    return pg.evaluate(
        """() => {
            const app = document.querySelector('.senge-leader-builder');
            if (!app) return null;
            const tab = app.querySelector('.lm-TabBar-tab.lm-mod-current, .p-TabBar-tab.p-mod-current');
            const summaries = [...app.querySelectorAll('.senge-summary')]
                .filter((p) => p.offsetParent !== null).map((p) => p.textContent.trim());
            return {tab: tab ? tab.textContent.trim() : null, summaries};
        }"""
    )


def _ask_the_kernel(pg, code):
    """Add a cell at the end of the open notebook, run `code` in it and return its output text."""
    cells = pg.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    cells.last.scroll_into_view_if_needed()
    cells.last.locator(".jp-InputPrompt").click()  # select the last cell, in command mode
    pg.keyboard.press("Escape")
    pg.keyboard.press("b")  # a new code cell below it
    pg.keyboard.press("Enter")  # edit it
    pg.keyboard.insert_text(code)  # inserted as is: no auto-closed brackets
    pg.keyboard.press("Shift+Enter")
    for _ in range(300):
        text = pg.evaluate(
            """(marker) => [...document.querySelectorAll('.jp-OutputArea-output')]
                .map((o) => o.innerText).filter((t) => t.includes(marker)).pop() || null""",
            MARKER,
        )
        if text:
            return text
        time.sleep(0.2)
    return None


def test_lesson_04_builder_first_view_names_every_mark_in_its_legend(lab_page, lab):  # noqa: F811
    pg = lab_page
    _open(pg, lab, LESSON)
    _run_all(pg)
    deadline = time.time() + 240
    while time.time() < deadline and not _executed_all(pg):
        time.sleep(0.25)
    assert _executed_all(pg), f"{LESSON}: not every cell ran within 240 s"
    _wait_idle(pg)

    # what the learner's pg shows: the Measure tab, the suggested networkers ringed
    dom = _builder_dom(pg)
    assert dom is not None, "lesson 04 shows no leader network builder"
    assert dom["tab"] == "Measure", dom
    said = " ".join(dom["summaries"])
    assert "Ringed: the suggested internal networkers T3-2, T2-7, T1-4." in said, said
    assert "person picked" not in said and "Dotted:" not in said  # no Build previews

    # what the drawing draws, asked of the kernel: every kind of mark is in the legend
    out = _ask_the_kernel(pg, ASK)
    assert out, "the kernel did not answer the added cell"
    state = json.loads(out[out.index(MARKER) + len(MARKER) :].strip().splitlines()[0])
    assert state["tab"] == "Measure"
    marks, legend = state["marks"], state["legend"]
    assert "ringed: suggested networker" in marks
    assert not [m for m in marks if m.startswith("unnamed")], marks
    assert set(marks) <= set(legend), f"drawn but not in the legend: {set(marks) - set(legend)}"
    assert "dotted: tie to add or remove" not in marks and "ringed: person picked" not in marks
    assert state["summary"] in said
