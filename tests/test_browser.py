"""Every lesson in real JupyterLab in a real browser (Debian's chromium driven by Playwright).

nbval proves the kernel side runs; these tests open each notebook of ``notebooks/`` and
``solutions/`` in JupyterLab, run all cells, and check what a learner sees: no error output,
every widget rendered (no "Error displaying widget", no widget errors in the console), each
widget app answering a control change with a visible change, and no accessibility violations
(axe-core) in the course's own widgets.  The time from Run All to all widgets rendered is
reported per notebook at the end of the run.

Without a browser the tests skip with a one-line reason, except under CI (``CI=true``), where
a missing browser fails.  On failure a screenshot and the console log are saved under
``test-artifacts/browser/``.
"""

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import _servers
from senge_course.course.lessons import LESSONS
from senge_course.paths import course_root

pytestmark = pytest.mark.browser

ROOT = course_root()
CHROMIUM = next(
    (
        p
        for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "")
        if p and Path(p).exists()
    ),
    None,
)
ARTIFACTS = ROOT / "test-artifacts" / "browser"
NOTEBOOKS = [p for lesson in LESSONS for p in (lesson.notebook, lesson.solution)]
NOTEBOOKS.append("examples/debrief/debrief-00.ipynb")  # a class debrief (issue 16)
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


def _unavailable():
    if CHROMIUM is None:
        return "chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


def _need_browser():
    """Skip (fail under CI) when there is no browser to drive."""
    reason = _unavailable()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests need a browser under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def lab():
    """A JupyterLab server on 127.0.0.1 with a free port and a random token, serving a copy of
    the course (`_servers.jupyterlab`); yields ``(base_url, token)``."""
    _need_browser()
    with _servers.jupyterlab() as (base, token, _):
        yield base, token


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, chromium_sandbox=False)
        yield b
        b.close()


@pytest.fixture(scope="module")
def axe_source():
    """axe-core's script, installed from the npm registry at test time (never committed)."""
    cache = Path(tempfile.gettempdir()) / "senge-course-axe"
    script = cache / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail("npm is needed to install axe-core under CI")
            pytest.skip("npm is not installed: cannot fetch axe-core")
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(cache),
                "axe-core@4",
            ],
            check=True,
            timeout=300,
            capture_output=True,
        )
    return script.read_text(encoding="utf-8")


def _run_all(page):
    """Run > Run All Cells, and make sure it started.

    Now and then JupyterLab starts a notebook's kernel twice and keeps talking to the one whose
    connection closed: Run All then runs nothing.  If no cell starts within 15 s, reload the page
    (a fresh kernel connection) and run all again.
    """
    for attempt in range(3):
        if attempt:
            page.reload(timeout=60_000)
            page.wait_for_selector(
                ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook", timeout=60_000
            )
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
        # make the notebook the current document, so Run All runs it
        page.click(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell >> nth=0")
        page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=20_000)
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=20_000)
        for _ in range(60):
            if _started(page):
                return
            time.sleep(0.25)


def _wait_idle(page, timeout=180_000):
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def _started(page):
    """True once any code cell has run or is running (an execution count or ``[*]``)."""
    return page.evaluate(
        r"""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                 .some(p => /\[(\d+|\*)\]/.test(p.textContent))"""
    )


def _stalled(page):
    """True when the kernel is idle, no cell is running or queued, and some cell never ran."""
    return page.evaluate(
        r"""() => {
            const idle = document.querySelector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']") !== null;
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return idle && !prompts.some(p => p.textContent.includes('*'))
                && prompts.some(p => !/\[\d+\]/.test(p.textContent));
        }"""
    )


def _executed_all(page):
    """True when every code cell shows an execution count (no '[ ]' or '[*]' left)."""
    return page.evaluate(
        r"""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                 .every(p => /\[\d+\]/.test(p.textContent))"""
    )


@pytest.fixture
def page(browser, lab, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    console = []
    pg.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    pg.console_log = console
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        except Exception:  # a crashed page cannot be photographed; keep the log anyway
            pass
        (ARTIFACTS / f"{stem}.console.log").write_text("\n".join(console), encoding="utf-8")
    context.close()


def _open(page, lab, path):
    base, token = lab
    workspace = secrets.token_hex(4)  # a fresh workspace: no tabs restored from earlier tests
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?token={token}&reset", timeout=60_000)
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    _wait_idle(page)


def _widget_errors(page):
    bad = page.locator("text=Error displaying widget").count()
    logs = [
        line
        for line in page.console_log
        if line.startswith(("error", "pageerror")) and "widget" in line.lower()
    ]
    return bad, logs


def _app_state(page, index):
    return page.evaluate(
        """(i) => { const app = document.querySelectorAll('.senge-app')[i];
                    return app ? app.innerText + [...app.querySelectorAll('img')].map(
                        im => im.src.length + ':' + im.src.slice(-64)).join('|') : null; }""",
        index,
    )


def _live(page, index):
    """App `index`'s polite live region text (None if it has none) and its figures' summaries."""
    return tuple(
        page.evaluate(
            """(i) => {
                const app = document.querySelectorAll('.senge-app')[i];
                const live = app.querySelector('.senge-live[aria-live="polite"]');
                const summaries = [...app.querySelectorAll('.senge-summary')]
                    .map((p) => p.textContent.trim());
                return [live ? live.textContent : null, summaries];
            }""",
            index,
        )
    )


def _poke(page, index, skip=0):
    """Change one control of app `index` the way a learner would (the `skip`-th kind of control
    on the open tab, in the order below); return what was changed, or None if none is left."""
    app = page.locator(".senge-app").nth(index)
    app.scroll_into_view_if_needed()
    kinds = [
        ("slider", app.locator(".noUi-handle:visible")),  # a control on the tab that is open
        ("toggle button", app.locator(".widget-toggle-button:not(.mod-active):visible")),
        ("checkbox", app.locator("input[type=checkbox]:visible")),
        ("dropdown", app.locator("select:visible")),
        ("button", app.locator("button:not([disabled]):visible")),
    ]
    present = [(how, found) for how, found in kinds if found.count()]
    if skip >= len(present):
        return None
    how, found = present[skip]
    if how == "slider":
        found.first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
    elif how == "dropdown":
        options = found.first.locator("option").all_inner_texts()
        current = found.first.input_value()
        labels = found.first.locator("option").evaluate_all("os => os.map(o => o.value)")
        other = next(o for o, v in zip(options, labels, strict=True) if v != current)
        found.first.select_option(label=other)
    else:
        found.first.click()
    return how


_WIDGET_VIEWS = (
    'div.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]'
)


def _widgets_rendered(page):
    """(views, rendered): widget outputs, and how many hold a rendered widget."""
    return page.evaluate(
        """(sel) => { const views = [...document.querySelectorAll(sel)];
                      return [views.length, views.filter(v => v.querySelector('.jupyter-widgets')).length]; }""",
        _WIDGET_VIEWS,
    )


def _shutdown_kernels(lab):
    base, token = lab
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(
        urllib.request.Request(f"{base}/api/kernels", headers=headers)
    ) as r:
        kernels = json.load(r)
    for kernel in kernels:
        req = urllib.request.Request(
            f"{base}/api/kernels/{kernel['id']}", headers=headers, method="DELETE"
        )
        urllib.request.urlopen(req).close()


@pytest.fixture
def lab_page(page, lab):
    yield page
    _shutdown_kernels(lab)  # one kernel at a time: each notebook test stops the kernels it started


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_runs_and_every_widget_renders_and_responds(
    lab_page, lab, axe_source, path, request
):
    page = lab_page
    _open(page, lab, path)
    start = time.perf_counter()
    _run_all(page)
    deadline, stalled_since, retries = time.time() + 240, None, 2
    while time.time() < deadline and not _executed_all(page):
        # JupyterLab now and then loses Run All (sent before the kernel was connected) or the
        # rest of its queue after a cell (two kernels started, one connection closed): the
        # kernel idle, no cell queued, some never run; send it again
        stalled_since = (stalled_since or time.time()) if _stalled(page) else None
        if stalled_since and time.time() - stalled_since > 20 and retries:
            _run_all(page)
            stalled_since, retries = None, retries - 1
        time.sleep(0.25)
    assert _executed_all(page), f"{path}: not every cell ran within 240 s"
    while time.time() < deadline:
        views, rendered = _widgets_rendered(page)
        if views == rendered:
            break
        time.sleep(0.1)
    rendered_after = time.perf_counter() - start
    request.node.user_properties.append(("browser_seconds", round(rendered_after, 2)))
    _wait_idle(page)

    errors = page.evaluate(
        """() => [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                 .map(e => e.innerText).filter(t => /Traceback|Error/.test(t))"""
    )
    assert not errors, f"{path}: error output:\n" + "\n---\n".join(errors)[:3000]
    views, rendered = _widgets_rendered(page)
    assert views == rendered, f"{path}: {views - rendered} of {views} widget(s) did not render"
    bad, logs = _widget_errors(page)
    assert bad == 0, f"{path}: {bad} widget(s) show 'Error displaying widget'"
    assert not logs, f"{path}: widget errors in the console: {logs[:5]}"

    apps = page.locator(".senge-app").count()
    if views:
        assert apps, f"{path}: shows widgets but none of the course's apps"
    for i in range(apps):
        before, (_, summaries_before) = _app_state(page, i), _live(page, i)
        tried = []
        for skip in range(5):  # a control whose change shows nothing here: try the next kind
            how = _poke(page, i, skip)
            if how is None:
                break
            tried.append(how)
            for _ in range(100):
                time.sleep(0.1)
                if _app_state(page, i) != before:
                    break
            if _app_state(page, i) != before:
                break
        assert tried, f"{path}: widget app {i} has no control a learner can change"
        assert _app_state(page, i) != before, (
            f"{path}: app {i} did not change after its {' or '.join(tried)} moved"
        )
        _wait_idle(page)
        # screen readers: the changed summaries are read from the app's polite live region
        for _ in range(30):
            live, summaries = _live(page, i)
            changed = [t for t, old in zip(summaries, summaries_before, strict=False) if t != old]
            if not changed or live == " ".join(changed):
                break
            time.sleep(0.1)
        if summaries_before:  # an app that draws figures reads them out (lesson 00's tour has none)
            assert live is not None, f"{path}: app {i} has no aria-live region"
        if changed:
            assert live == " ".join(changed), f"{path}: app {i}'s live region says {live!r}"

    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => {
            const apps = [...document.querySelectorAll('.senge-app, .senge-check')];
            if (!apps.length) return [];
            const r = await axe.run(apps, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
            return r.violations.map(v => ({id: v.id, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}));
        }"""
    )
    assert not result, f"{path}: accessibility violations in course widgets:\n" + json.dumps(
        result, indent=1
    )


@pytest.fixture
def presented(request):
    """`senge-course present LESSON` serving on 127.0.0.1 with a free port; yields its URL."""
    _need_browser()
    with _servers.presentation(request.param) as url:
        yield url


@pytest.mark.parametrize("presented", [lesson.number for lesson in LESSONS], indirect=True)
def test_presentation_mode_shows_the_lesson_widgets_without_code(page, presented, request):
    start = time.perf_counter()
    page.goto(presented, timeout=120_000)
    page.wait_for_selector("body", timeout=60_000)
    deadline = time.time() + 180
    # Voila shows a spinner while the kernel runs the notebook, then the page
    while time.time() < deadline and page.locator("#loading, .voila-spinner-color1").count():
        time.sleep(0.2)
    page.wait_for_selector(".jp-OutputArea, .jp-RenderedMarkdown", timeout=180_000)
    # every lesson shows at least one of the course's apps; Voila renders cell by cell
    page.wait_for_selector(".senge-app", timeout=180_000)
    while time.time() < deadline:
        views, rendered = _widgets_rendered(page)
        if views == rendered:
            break
        time.sleep(0.1)
    request.node.user_properties.append(("browser_seconds", round(time.perf_counter() - start, 2)))
    assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor").count() == 0, "code is shown"
    views, rendered = _widgets_rendered(page)
    assert views == rendered, f"{views - rendered} of {views} widget(s) did not render"
    assert page.locator("text=Error displaying widget").count() == 0
    errors = page.evaluate(
        """() => [...document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
                 .map(e => e.innerText).filter(t => /Traceback|Error/.test(t))"""
    )
    assert not errors, "error output:\n" + "\n---\n".join(errors)[:3000]
    apps = page.locator(".senge-app").count()
    assert apps >= 1, "the presentation shows none of the course's widget apps"
    before, tried = _app_state(page, 0), []
    for skip in range(5):  # a control whose change shows nothing here: try the next kind
        how = _poke(page, 0, skip)
        if how is None:
            break
        tried.append(how)
        for _ in range(100):
            time.sleep(0.1)
            if _app_state(page, 0) != before:
                break
        if _app_state(page, 0) != before:
            break
    assert _app_state(page, 0) != before, (
        f"the first app did not change after its {' or '.join(tried)} moved"
    )
