"""Every app operated with the keyboard alone, in JupyterLab and in Voila (issue 19).

In JupyterLab, a gallery notebook shows every app of the course once (`senge_course.views`,
each at its defaults: the lessons build the same classes with other settings); in Voila,
lessons 03 and 05 as `senge-course present` shows them.

For each app: focus its first control, press Tab until focus leaves the app and record the order
(every control is reached, in the visual order: top to bottom, left to right, a column to the
right after the one before it); the focused element always shows a focus ring (a non-none
outline or box-shadow in its computed style); then each control is changed with the keys a
learner would use (the first slider: End, Home, PageUp and an arrow key, each replaced by its
opposite where the handle cannot move that way; other sliders: an arrow key; buttons: Enter;
toggle buttons: Enter on an option not chosen; checkboxes: Space; dropdowns: an arrow key; tab
bars: an arrow key, then Enter) and the app's figure, text or a control's readout must change,
with its polite live region repeating any changed summary.  In JupyterLab, the keys must not
move, add or remove a notebook cell (its command-mode bindings; `senge_course.views._a11y`).

Reuses `test_browser`'s server, browser and helpers: one JupyterLab server per module.
"""

import json
import time
import urllib.request

import nbformat
import pytest

import test_browser
from test_browser import _live, _open, _run_all, _wait_idle

# test_browser's fixtures, by name: one JupyterLab server and one browser for this module
lab, browser, page, lab_page, presented = (
    test_browser.lab,
    test_browser.browser,
    test_browser.page,
    test_browser.lab_page,
    test_browser.presented,
)

pytestmark = pytest.mark.browser

# Every element a learner can reach with Tab inside an app, tagged with its position and kind.
_FOCUSABLES = r"""(i) => {
  const app = document.querySelectorAll('.senge-app')[i];
  const sel = 'button, input, select, textarea, a[href], [tabindex], [contenteditable], .widget-readout';
  const out = [];
  let n = 0;
  for (const el of app.querySelectorAll(sel)) {
    const editable = el.isContentEditable;  // a slider's readout: focusable, tabIndex -1
    if (el.disabled || (el.tabIndex < 0 && !editable)) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest('.lm-mod-hidden, [hidden]')) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (!el.dataset.sengeKey) el.dataset.sengeKey = 'k' + i + '-' + (n++) + '-' + Math.random().toString(36).slice(2, 6);
    const kind = el.classList.contains('noUi-handle') ? 'slider'
      : el.classList.contains('widget-readout') ? 'readout'
      : el.classList.contains('lm-TabBar-tab') ? 'tab'
      : el.closest('.widget-play') ? 'play'
      : el.tagName === 'SELECT' ? 'select'
      : el.type === 'checkbox' ? 'checkbox'
      : el.closest('.widget-toggle-buttons') ? 'toggle'
      : el.classList.contains('widget-toggle-button') ? 'toggle'
      : el.tagName === 'BUTTON' ? 'button' : 'text';
    out.push({key: el.dataset.sengeKey, kind, top: r.top + scrollY, left: r.left, right: r.right,
              bottom: r.bottom + scrollY, label: (el.getAttribute('aria-label') || el.textContent
              || el.getAttribute('title') || el.value || '').trim().slice(0, 40)});
  }
  return out;
}"""

# The focused element's key (if it is inside app i) and whether its focus ring shows.
_FOCUSED = r"""(i) => {
  const el = document.activeElement;
  const app = document.querySelectorAll('.senge-app')[i];
  if (!el || !app.contains(el)) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== 'none');
  return {key: el.dataset.sengeKey || null, ring, tag: el.tagName, cls: el.className};
}"""

_STATE = r"""(i) => { const app = document.querySelectorAll('.senge-app')[i];
  return [...app.querySelectorAll('.senge-figure img')].map(im => im.src.length + ':' + im.src.slice(-48)).join('|')
    + '#' + [...app.querySelectorAll('.senge-summary, .senge-message, .widget-html-content')]
      .map(p => p.textContent).join('|')
    + '#' + [...app.querySelectorAll('.widget-readout')].map(r => r.textContent).join('|')
    + '#' + [...app.querySelectorAll('.noUi-handle, select, input, .widget-toggle-button, .lm-TabBar-tab')]
      .map(e => (e.getAttribute('aria-valuenow') || '') + (e.value || '') + (e.className || '')).join('|'); }"""

# JupyterLab: how many cells, and whether the active one holds app i (Voila: no cells, null).
_CELLS = r"""(i) => { const cells = document.querySelectorAll('.jp-Notebook .jp-Cell');
  const active = document.querySelector('.jp-Notebook .jp-Cell.jp-mod-active');
  if (!active) return null;  // Voila: cells, but no active one (and no cell commands)
  return [cells.length, active.contains(document.querySelectorAll('.senge-app')[i])]; }"""

#: The keys the first slider of an app is moved with, in turn (each replaced by its opposite when
#: the handle cannot move that way); every other slider gets one arrow key.
SLIDER_KEYS = ("End", "Home", "PageUp", "ArrowRight")


def _in_visual_order(a, b):
    """True if `b` comes after `a` reading top to bottom, left to right (or in a column to the right)."""
    tolerance = 8
    if b["top"] >= a["bottom"] - tolerance:  # below
        return True
    if abs(b["top"] - a["top"]) <= tolerance:  # same row
        return b["left"] >= a["left"] - tolerance
    return b["left"] >= a["right"] - tolerance  # the next column


def _walk(page, i, first_key):
    """Press Tab from the element `first_key` until focus leaves app `i`; return the keys reached."""
    page.locator(f'[data-senge-key="{first_key}"]').focus()
    order, unringed = [], []
    for _ in range(200):
        focused = page.evaluate(_FOCUSED, i)
        if focused is None:
            break
        if focused["key"] is None:
            unringed.append(f"untracked {focused['tag']}.{focused['cls']}")
        elif focused["key"] in order:
            break
        else:
            order.append(focused["key"])
            if not focused["ring"]:
                unringed.append(focused["key"])
        page.keyboard.press("Tab")
    return order, unringed


def _changed(page, i, before, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.evaluate(_STATE, i) != before:
            return True
        time.sleep(0.05)
    return False


_OPPOSITE = {"End": "Home", "PageUp": "PageDown", "ArrowRight": "ArrowLeft"}
_OPPOSITE.update({v: k for k, v in _OPPOSITE.items()})


def _slider_key(handle, key):
    """`key`, or its opposite if `key` cannot move the slider `handle` from where it is now."""
    now, low, high = (
        float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")
    )
    moves = now < high if key in ("End", "PageUp", "ArrowRight") else now > low
    return key if moves else _OPPOSITE[key]


def _steps(page, control, first_slider):
    """The key presses that change `control`, one step at a time (each step's keys, then a check).

    Read lazily: a slider's next key depends on where the step before left it.
    """
    kind = control["kind"]
    handle = page.locator(f'[data-senge-key="{control["key"]}"]')
    handle.focus()
    if kind == "slider":
        for key in SLIDER_KEYS if first_slider else ("ArrowRight",):
            handle.focus()
            yield (_slider_key(handle, key),)
    elif kind == "toggle" and "mod-active" in (handle.get_attribute("class") or ""):
        return  # the option already chosen: Enter on another one changes the choice
    elif kind in ("button", "toggle", "play"):
        yield ("Enter",)
    elif kind == "checkbox":
        yield ("Space",)
    elif kind == "select":
        chosen, options = handle.evaluate("s => [s.selectedIndex, s.options.length]")
        if options < 2:
            return  # nothing else to choose (an empty list of kept scenarios)
        yield ("ArrowUp" if chosen == options - 1 else "ArrowDown",)
    elif kind == "tab":
        yield ("ArrowRight", "Enter")  # Lumino: arrows move along the tabs, Enter selects


def _check_app(page, i, where):
    """Walk app `i` with Tab, then change every control with the keyboard; return problems found."""
    problems = []
    app = page.locator(".senge-app").nth(i)
    app.scroll_into_view_if_needed()
    controls = page.evaluate(_FOCUSABLES, i)
    if not controls:
        return [f"{where} app {i}: nothing to focus"]
    order, unringed = _walk(page, i, controls[0]["key"])
    by_key = {c["key"]: c for c in controls}
    missed = [by_key[k]["label"] or by_key[k]["kind"] for k in by_key if k not in order]
    if missed:
        problems.append(f"{where} app {i}: Tab never reaches {missed}")
    reached = [by_key[k] for k in order if k in by_key]
    for a, b in zip(reached, reached[1:], strict=False):
        if not _in_visual_order(a, b):
            problems.append(
                f"{where} app {i}: Tab goes from {a['label'] or a['kind']!r} to "
                f"{b['label'] or b['kind']!r}, against the visual order"
            )
    if unringed:
        names = [by_key[k]["label"] or by_key[k]["kind"] if k in by_key else k for k in unringed]
        problems.append(f"{where} app {i}: no visible focus ring on {names}")
    cells = page.evaluate(_CELLS, i)
    cells = cells and [cells[0], True]  # after the changes: as many cells, app i's cell active
    first_slider = True
    # buttons last (a reset button changes nothing before other controls moved), tabs at the end
    rank = {"button": 1, "play": 1, "tab": 2}
    for control in sorted(controls, key=lambda c: rank.get(c["kind"], 0)):
        if page.locator(f'[data-senge-key="{control["key"]}"]').count() == 0:
            continue  # redrawn by an earlier change (a tab switched, a box rebuilt)
        for step in _steps(page, control, first_slider):
            summaries_before = _live(page, i)[1]
            before = page.evaluate(_STATE, i)
            for key in step:
                page.keyboard.press(key)
            said = "+".join(step)
            if not _changed(page, i, before):
                problems.append(
                    f"{where} app {i}: {said} on {control['kind']} "
                    f"{control['label']!r} changed nothing"
                )
                continue
            if control["kind"] == "play":
                page.keyboard.press(step[-1])  # pause again
            _wait_idle_any(page)
            live, summaries = _live(page, i)
            changed = [t for t, o in zip(summaries, summaries_before, strict=False) if t != o]
            for _ in range(30):
                if not changed or live == " ".join(changed):
                    break
                time.sleep(0.1)
                live, summaries = _live(page, i)
            if changed and live != " ".join(changed):
                problems.append(f"{where} app {i}: live region says {live!r} after {said}")
        first_slider = first_slider and control["kind"] != "slider"
    if page.evaluate(_CELLS, i) != cells:  # JupyterLab's command-mode keys (jupyter-config)
        problems.append(f"{where} app {i}: the keys moved, added or removed notebook cells")
    return problems


def _wait_idle_any(page):
    """JupyterLab: the kernel indicator goes idle; Voila has none (a short settle instead)."""
    if page.locator(".jp-Notebook-ExecutionIndicator").count():
        _wait_idle(page)
    else:
        time.sleep(0.2)


def _ready(page, apps=None, timeout=180):
    """Wait until every app has rendered (its live region is there: `AriaLabels` comes last), no
    cell runs, and that has held for three looks in a row; `apps`, how many apps to expect."""
    deadline, last, steady = time.time() + timeout, None, 0
    while time.time() < deadline and steady < 3:
        now = page.evaluate(
            """() => { const apps = [...document.querySelectorAll('.senge-app')];
                return [apps.length, apps.filter(a => a.querySelector('.senge-live')).length,
                  [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                    .some(p => p.textContent.includes('*'))]; }"""
        )
        count, rendered, busy = now
        done = count and rendered == count and not busy and apps in (None, count)
        steady = steady + 1 if done and now == last else 0
        last = now
        time.sleep(0.3)


#: The apps the gallery shows, each at its defaults (`senge_course.views`).
GALLERY_APPS = (
    "ArticleTour",
    "RiotExplorer",
    "ThresholdExplorer",
    "CascadeExplorer",
    "PilotExplorer",
    "LeaderNetworkBuilder",
    "BridgeExplorer",
    "LongTieExplorer",
    "ScenarioComparer",
    "IntegrationPlanner",
    "CapstoneDashboard",
)


def _gallery(lab):
    """Write the gallery notebook into the server's folder (contents API); return its path."""
    base, token = lab
    cells = [nbformat.v4.new_code_cell("import senge_course.views as views")]
    cells += [nbformat.v4.new_code_cell(f"views.{name}()") for name in GALLERY_APPS]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    request = urllib.request.Request(
        f"{base}/api/contents/keyboard-gallery.ipynb",
        data=body,
        method="PUT",
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=30).read()
    return "keyboard-gallery.ipynb"


@pytest.fixture(scope="module")
def gallery(browser, lab):
    """JupyterLab showing the gallery notebook, every cell run: one page for the module."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_log = []
    _open(page, lab, _gallery(lab))
    _run_all(page)
    _ready(page, apps=len(GALLERY_APPS))
    _wait_idle(page)
    yield page
    context.close()
    test_browser._shutdown_kernels(lab)


@pytest.mark.parametrize("name", GALLERY_APPS)
def test_every_app_works_from_the_keyboard_alone(gallery, name):
    apps = gallery.locator(".senge-app").count()
    assert apps == len(GALLERY_APPS), f"the gallery shows {apps} apps, not {len(GALLERY_APPS)}"
    problems = _check_app(gallery, GALLERY_APPS.index(name), name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("presented", ["03", "05"], indirect=True)
def test_presentation_mode_works_from_the_keyboard_alone(page, presented):
    page.goto(presented, timeout=120_000)
    page.wait_for_selector(".senge-app", timeout=180_000)
    _ready(page)
    time.sleep(1.0)
    problems = []
    for i in range(page.locator(".senge-app").count()):
        problems += _check_app(page, i, f"present app {i}")
    assert not problems, "\n".join(problems)
