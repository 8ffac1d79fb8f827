"""Benchmark control-to-pixels latency in a real browser: ``python benchmarks/bench_browser.py``.

The in-kernel benchmarks time a control change to the new PNG in the widget; a learner waits
longer: the PNG travels over the widget comm, the browser decodes and paints it.  This script
drives Debian's chromium through Playwright (never a downloaded browser).  For each app of the
lessons at its default size (built as its lesson builds it, in one JupyterLab notebook), it
focuses the control a learner moves most (a slider, or a dropdown) and moves it 20 times with
the arrow keys, back and forth (so each change draws a figure unlike the one before).  In the
page, a keydown listener notes the time, a MutationObserver sees a figure's ``<img>`` get a
``src`` it did not have at the key press, and after the image is decoded the next
``requestAnimationFrame`` notes the paint.  It reports the median and maximum of the 20
latencies (target <= 150 ms) and the median PNG size per update (target <= 60 KiB), with the
machine's load average (the numbers are from a shared 2-core machine: compare runs under a
similar load).

``--present`` measures the apps of lessons 03 and 05 in presentation mode instead
(``senge-course present``, Voila, with its token).  ``--quick`` makes 5 changes per app.
Prints a table and writes ``benchmarks/results/browser.json`` (``browser_present.json``);
exits with status 1 if an app misses a target.
"""

import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

from _common import print_table, row, write_results

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import _servers  # noqa: E402  (the servers the browser tests drive)

CHROMIUM = "/usr/lib/chromium/chromium"
LATENCY_MS, PAYLOAD_KIB = 150.0, 60.0
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every app of the lessons, built as its lesson builds it: (name, lesson, code, the control a
# learner moves most, by its label; a prediction to make first, if any: the dropdown's label and
# the button that then shows the figure).  The control is a slider or
# a dropdown; it is moved back and forth, so every change draws a figure unlike the one before.
APPS = [
    (
        "ScenarioComparer",
        "01",
        "ScenarioComparer(surge_weeks=None)",
        "Control:",
        ("Climate in A will", "Show the simulation"),
    ),
    ("RiotExplorer", "02", "RiotExplorer()", "Their new threshold:", None),
    ("RiotExplorer (crowd size)", "02", "RiotExplorer()", "Crowd size:", None),
    ("ThresholdExplorer", "02", "ThresholdExplorer()", "Mean threshold:", None),
    ("CascadeExplorer", "03", "CascadeExplorer()", "Threshold φ:", None),
    ("PilotExplorer", "03", "PilotExplorer()", "Group size:", None),
    (
        "LeaderNetworkBuilder (round)",
        "04, 05",
        'LeaderNetworkBuilder(tab="Levers & run")',
        "Round:",
        None,
    ),
    (
        "LeaderNetworkBuilder (a lever)",
        "05",
        'LeaderNetworkBuilder(tab="Levers & run")',
        "Mentoring:",
        None,
    ),
    ("BridgeExplorer", "04", "BridgeExplorer()", "Tie 1 from:", None),
    ("LongTieExplorer", "04", "LongTieExplorer()", "Rewiring probability p:", None),
    (
        "ScenarioComparer (designer)",
        "06",
        'ScenarioComparer(("command", "command"), predict=False)',
        "Control:",
        None,
    ),
    ("IntegrationPlanner", "07", "IntegrationPlanner()", "Integration:", None),
    ("CapstoneDashboard", "08", "CapstoneDashboard()", "Mentoring:", None),
]
# In presentation mode, each app is found by its class and moved by the same control.
PRESENTED = {
    "senge-cascade-explorer": ("CascadeExplorer", "Threshold φ:"),
    "senge-pilot-explorer": ("PilotExplorer", "Group size:"),
    "senge-leader-builder": ("LeaderNetworkBuilder", "Mentoring:"),
}
IMPORTS = (
    "%matplotlib inline\n"
    "from senge_course.views import (BridgeExplorer, CapstoneDashboard, CascadeExplorer,\n"
    "    IntegrationPlanner, LeaderNetworkBuilder, LongTieExplorer, PilotExplorer,\n"
    "    RiotExplorer, ScenarioComparer, ThresholdExplorer)"
)

# Install the probe on app i: times from each keydown to the next new figure image painted.
_PROBE = r"""(i) => {
  const app = document.querySelectorAll('.senge-app')[i];
  const shown = () => new Set([...app.querySelectorAll('.senge-figure img')].map(im => im.src));
  const probe = {t0: null, times: [], bytes: [], before: shown()};
  window.__sengeProbe = probe;
  app.addEventListener('keydown', () => { probe.t0 = performance.now(); probe.before = shown(); }, true);
  new MutationObserver(() => {
    if (probe.t0 === null) return;
    const fresh = [...app.querySelectorAll('.senge-figure img')].filter(im => !probe.before.has(im.src));
    if (!fresh.length) return;
    const t0 = probe.t0;
    probe.t0 = null;
    const bytes = fresh.reduce((n, im) => n + Math.floor((im.src.length - im.src.indexOf(',') - 1) * 3 / 4), 0);
    Promise.all(fresh.map(im => im.decode().catch(() => null))).then(() =>
      requestAnimationFrame(() => { probe.times.push(performance.now() - t0); probe.bytes.push(bytes); }));
  }).observe(app, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  return probe.before.size;
}"""


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 changes per app, as a smoke test")
    parser.add_argument("--present", action="store_true", help="lessons 03 and 05 in Voila")
    parser.add_argument("--repeat", type=int, default=None, help="changes per app (default 20)")
    parser.add_argument("--output", type=Path, default=None, help="where to write the JSON")
    args = parser.parse_args(argv)
    changes = args.repeat or (5 if args.quick else 20)
    if changes < 1:
        parser.error(f"--repeat must be a whole number >= 1, got --repeat={changes}")
    if not Path(CHROMIUM).exists():
        print(f"chromium is not installed ({CHROMIUM}): apt-get install chromium")
        return 1
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=LAUNCH_ARGS, chromium_sandbox=False
        )
        try:
            if args.present:
                for lesson in ("03", "05"):
                    with _servers.presentation(lesson) as url:
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        page.goto(url, timeout=180_000)
                        _wait_rendered(page)
                        for i in range(page.locator(".senge-app").count()):
                            classes = page.locator(".senge-app").nth(i).get_attribute("class")
                            app, label = next(
                                (PRESENTED[c] for c in classes.split() if c in PRESENTED),
                                (f"app {i}", None),
                            )
                            name = f"{app} (lesson {lesson}, presented)"
                            rows += _measure(page, i, name, changes, label=label)
                        page.close()
            else:
                with _lab() as (base, token, served):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    _run_notebook(page, base, token, served)
                    for i, (name, lesson, _, label, press) in enumerate(APPS):
                        name = f"{name} (lesson {lesson})"
                        rows += _measure(page, i, name, changes, label=label, press=press)
                    page.close()
        finally:
            browser.close()
    load = [round(v, 2) for v in os.getloadavg()]
    print_table(rows, ("measurement", "measured", "max", "target", "pass"), more=("max",))
    print(f"load average before {[round(v, 2) for v in load_before]}, after {load} (2 cores)")
    name = "browser_present" if args.present else "browser"
    write_results(
        name,
        rows,
        output=args.output,
        quick=args.quick,
        changes=changes,
        load_average_before=[round(v, 2) for v in load_before],
        load_average_after=load,
        cores=os.cpu_count(),
    )
    return 0 if all(r["passed"] is not False for r in rows) else 1


def _measure(page, i, name, changes, label=None, press=None):
    """Move app `i`'s control `label` (default: its first slider that redraws a figure) back and
    forth `changes` times with arrow keys; two rows (latency, payload).

    `press` is (a dropdown's label, a button's label): a prediction the app asks for before it
    shows its figure (the dropdown's first choice, then the button).
    """
    app = page.locator(".senge-app").nth(i)
    app.scroll_into_view_if_needed()
    if press is not None:
        question, show = press
        _labelled(page, app, question).select_option(index=1)
        app.get_by_role("button", name=show).click()
        time.sleep(1.0)
    handle = _labelled(page, app, label) if label else _slider_that_redraws(page, i, app)
    if handle is None:
        return [row(f"{name}: no control redraws a figure", float("nan"), "", False, unit="ms")]
    page.evaluate(_PROBE, i)
    handle.focus()
    if handle.evaluate("e => e.tagName") == "SELECT":
        last = handle.evaluate("s => s.selectedIndex === s.options.length - 1")
        keys = ("ArrowUp", "ArrowDown") if last else ("ArrowDown", "ArrowUp")
    else:
        keys = ("ArrowLeft", "ArrowRight") if _at_top(handle) else ("ArrowRight", "ArrowLeft")
    for n in range(changes):
        page.keyboard.press(keys[n % 2])
        deadline = time.time() + 10
        while time.time() < deadline:
            if page.evaluate("() => window.__sengeProbe.times.length") > n:
                break
            time.sleep(0.01)
        else:
            break  # no new image within 10 s: report what was measured
        time.sleep(0.05)  # let the kernel finish its reply before the next change
    probe = page.evaluate("() => window.__sengeProbe")
    times, sizes = probe["times"], probe["bytes"]
    if not times:
        return [
            row(f"{name}: no new image after {changes} changes", float("nan"), "", False, unit="ms")
        ]
    median = statistics.median(times)
    kib = statistics.median(sizes) / 1024
    return [
        row(
            f"{name}: key press to new figure painted",
            round(median, 1),
            f"{LATENCY_MS:.0f} ms",
            median <= LATENCY_MS and len(times) == changes,
            unit="ms",
            max=round(max(times), 1),
            changes=len(times),
        ),
        row(
            f"{name}: PNG per update",
            round(kib, 1),
            f"{PAYLOAD_KIB:.0f} KiB",
            kib <= PAYLOAD_KIB,
            unit="KiB",
            max=round(max(sizes) / 1024, 1),
        ),
    ]


def _labelled(page, app, label):
    """The slider handle or dropdown of app `app` whose label reads `label` (None if absent)."""
    import re

    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    box = app.locator(".widget-slider, .widget-dropdown").filter(
        has=page.locator(".widget-label", has_text=exact)
    )
    if not box.count():
        return None
    control = box.first.locator(".noUi-handle, select").first
    control.scroll_into_view_if_needed()
    return control


def _slider_that_redraws(page, i, app):
    """The first visible slider of app `i` whose change draws a new figure (None if none does)."""
    if not app.locator(".senge-figure img").count():
        return None
    for k in range(app.locator(".noUi-handle").count()):
        handle = app.locator(".noUi-handle").nth(k)
        if not handle.is_visible():
            continue
        page.evaluate(_PROBE, i)
        handle.focus()
        page.keyboard.press("ArrowLeft" if _at_top(handle) else "ArrowRight")
        deadline = time.time() + 4
        while time.time() < deadline:
            if page.evaluate("() => window.__sengeProbe.times.length"):
                time.sleep(0.3)
                return handle
            time.sleep(0.05)
    return None


def _at_top(handle):
    return float(handle.get_attribute("aria-valuenow")) >= float(
        handle.get_attribute("aria-valuemax")
    )


@contextlib.contextmanager
def _lab():
    """JupyterLab (`tests/_servers.py`) serving a folder with one notebook of every app."""
    import nbformat

    with _servers.jupyterlab(folders=()) as (base, token, served):
        cells = [nbformat.v4.new_code_cell(IMPORTS)]
        cells += [nbformat.v4.new_code_cell(code) for _, _, code, _, _ in APPS]
        kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebook = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernel})
        nbformat.write(notebook, served / "apps.ipynb")
        yield base, token, served


def _run_notebook(page, base, token, served):
    page.goto(f"{base}/lab/tree/apps.ipynb?token={token}&reset", timeout=120_000)
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    from test_browser import _run_all  # Run All, with its retry when JupyterLab runs nothing

    _run_all(page)
    _wait_rendered(page, apps=len(APPS))
    errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    if page.locator(".senge-app").count() < len(APPS):
        raise RuntimeError(f"the apps did not all render: {' '.join(errors)[:2000]}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=300_000)


def _wait_rendered(page, apps=1, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.locator(".senge-app .senge-figure img").count() and (
            page.locator(".senge-app").count() >= apps
        ):
            break
        time.sleep(0.25)
    time.sleep(1.0)


if __name__ == "__main__":
    sys.exit(main())
