"""The course as a static website, built offline: ``senge-course site --out DIR``.

`build_site` runs each lesson top to bottom in a fresh kernel (nbclient, two at a time, each in
a scratch folder so that nothing it saves lands in the course), then builds one HTML site with
Sphinx, myst-nb and sphinx-book-theme from a source folder it generates in a temporary folder:

* a home page with the course map (generated from `senge_course.course.lessons.LESSONS`), each
  lesson linked;
* every lesson, executed: a widget app shows its figures as they are when the lesson has run,
  each an ``<img>`` whose alt text is the figure's text summary, with the summary as caption
  (the app's ``text/html`` static fallback, see `senge_course.views`); the widget view itself
  is left out (``nb_mime_priority_overrides``), and so are the widgets' saved state and the
  scripts that would load a widget manager from a CDN (``nb_ipywidgets_js``);  a figure drawn
  with ``plt.show()`` takes the text its cell prints as alt text;
* the instructors' pages (``instructors/**/*.md`` and ``rubrics.json``; they hold the answer
  keys, so ``instructors=False`` leaves them out of a site for learners); a link from them to a
  file the site does not hold (the README, an exercise, a solution, the source) points to that
  file in the course's repository (`REPOSITORY_URL`) instead.

The build runs ``python -m sphinx -W --keep-going -n``: any warning (a broken cross-reference,
a missing document, an anchor that does not exist) fails it, and `broken_links` then checks that
every local ``href`` and ``src`` of the built site names a file that exists.  No step uses the
network: Sphinx, the theme and its fonts and scripts are pip packages, and the pages load no
script or style sheet from another site (`remote_assets` lists any).

A partial build (``lessons=["00", "05"]``) executes only those lessons; every other lesson gets
a short page with its title and objectives that says it was left out, so every link still
resolves.

>>> [lesson.number for lesson in chosen_lessons(["5", "start-here"])]
['00', '05']
"""

import asyncio
import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

from .. import __version__, files
from ..paths import course_root
from .lessons import LESSONS, get_lesson

__all__ = ["REPOSITORY_URL", "broken_links", "build_site", "chosen_lessons", "remote_assets"]

#: Where a link from the instructors' pages to a file the site does not hold points to.
REPOSITORY_URL = "https://github.com/senge-course/senge-course/blob/main"

_TOOLS = {  # distribution -> module
    "sphinx": "sphinx",
    "myst-nb": "myst_nb",
    "sphinx-book-theme": "sphinx_book_theme",
    "nbclient": "nbclient",
    "ipykernel": "ipykernel",
}
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LINK = re.compile(r"(\]\()(<?)([^)\s>]+)(>?)((?:\s+\"[^\"]*\")?\))")


def build_site(out, *, lessons=None, execute=True, instructors=True, timeout=300, workers=2):
    """Build the course website in folder `out`; return the path of its ``index.html``.

    Parameters
    ----------
    out : str or Path
        The folder for the site: a new or empty folder, or the folder of an earlier build (its
        files are removed first, so nothing of an earlier build stays behind).
    lessons : iterable of str or int, optional
        Numbers or slugs of the lessons to execute and publish (default: all); every other
        lesson gets a page that says it was left out of this build.
    execute : bool
        Run the lessons first (default).  ``False`` publishes them as committed, without
        outputs: quick, but no figures.
    instructors : bool
        Include the instructors' pages (default).  They hold the answer keys: ``False`` builds
        a site for learners.
    timeout : int
        Seconds a cell may run.
    workers : int
        Lessons executed at the same time (each in its own kernel).

    Returns
    -------
    Path
        ``out/index.html``.

    Raises
    ------
    ValueError
        For an unknown lesson, an empty choice, a `timeout` or `workers` below 1, or an `out`
        that is a file or a folder holding something other than a site.
    TypeError
        If `execute` or `instructors` is not a bool.
    RuntimeError
        If a lesson fails to run (naming it), if Sphinx warns (its warnings are listed), or if
        a local link of the built site is broken.
    ModuleNotFoundError
        If Sphinx, myst-nb, sphinx-book-theme, nbclient or ipykernel is not installed (the
        ``site`` extra).
    """
    chosen = chosen_lessons(lessons)
    for name, flag in (("execute", execute), ("instructors", instructors)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {name}={flag!r}")
    timeout = _whole(timeout, "timeout", 1)
    workers = _whole(workers, "workers", 1)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder, got out={str(out)!r}, which is a file")
    earlier = out.is_dir() and any(out.iterdir())
    if earlier and not (out / ".buildinfo").is_file():
        raise ValueError(
            f"out must be a new or empty folder or an earlier site, got out={str(out)!r}, which "
            "holds other files: choose another folder"
        )
    _require_tools()
    root = course_root()
    with tempfile.TemporaryDirectory(prefix="senge-site-") as scratch:
        source = Path(scratch) / "source"
        notebooks = {lesson.number: nbformat.read(root / lesson.notebook, 4) for lesson in chosen}
        if execute:
            _execute_all(notebooks, Path(scratch) / "run", timeout=timeout, workers=workers)
        for lesson in LESSONS:
            if lesson.number in notebooks:
                nb = site_notebook(notebooks[lesson.number])
                _write(source / lesson.notebook, nbformat.writes(nb), what="a lesson")
            else:
                stub = source / lesson.notebook.replace(".ipynb", ".md")
                _write(stub, _left_out_page(lesson), what="a lesson's page")
        built = {lesson.number for lesson in chosen}
        pages = _copy_instructors(root, source, built) if instructors else []
        _write(source / "index.md", _home_page(pages, chosen), what="the home page")
        _write(source / "conf.py", _conf(), what="the Sphinx configuration")
        if earlier:  # an earlier build: nothing of it may stay (such as the instructors' pages)
            shutil.rmtree(out)
        _sphinx(source, Path(scratch) / "doctrees", out)
    broken = broken_links(out)
    if broken:
        raise RuntimeError("the site has broken local links:\n" + "\n".join(broken))
    return out / "index.html"


def chosen_lessons(lessons=None):
    """The `LESSONS` named by `lessons` (numbers or slugs; ``None``: all), in course order.

    >>> [lesson.number for lesson in chosen_lessons()][:2]
    ['00', '01']
    >>> chosen_lessons([])
    Traceback (most recent call last):
    ...
    ValueError: lessons must name at least one lesson (or be None for all), got lessons=[]
    """
    if lessons is None:
        return LESSONS
    if isinstance(lessons, str | int):
        lessons = [lessons]
    numbers = {get_lesson(key).number for key in lessons}
    if not numbers:
        raise ValueError(
            f"lessons must name at least one lesson (or be None for all), got lessons={lessons!r}"
        )
    return tuple(lesson for lesson in LESSONS if lesson.number in numbers)


def site_notebook(nb):
    """Return a copy of executed notebook `nb` ready for the site.

    Without the widgets' saved state; every output that is only a PNG (a figure drawn with
    ``plt.show()``) takes the text its cell prints as alt text (cell metadata
    ``mystnb.image.alt``); a thematic break (``---``) in a Markdown output, such as the
    capstone's design memo, becomes ``<hr>`` (docutils allows a transition only between
    sections, not inside an output).

    >>> nb = nbformat.v4.new_notebook(metadata={"widgets": {}})
    >>> cell = nbformat.v4.new_code_cell("plt.show()")
    >>> cell.outputs = [nbformat.v4.new_output("stream", text="Two lines cross.\\n"),
    ...     nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]
    >>> nb.cells.append(cell)
    >>> out = site_notebook(nb)
    >>> "widgets" in out.metadata, out.cells[0].metadata["mystnb"]["image"]["alt"]
    (False, 'Two lines cross.')
    >>> cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "A\\n\\n---\\n"})]
    >>> site_notebook(nb).cells[0].outputs[0].data["text/markdown"]
    'A\\n\\n<hr>\\n'
    """
    nb = nbformat.from_dict(dict(nb))
    nb.metadata = {k: v for k, v in nb.metadata.items() if k != "widgets"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if "text/markdown" in output.get("data", {}):
                output.data["text/markdown"] = _without_breaks(output.data["text/markdown"])
        bare = any(
            "image/png" in o.get("data", {}) and "text/html" not in o.get("data", {})
            for o in cell.outputs
        )
        if bare:
            text = " ".join(
                o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream"
            )
            alt = " ".join(text.split()) or "A figure from the lesson (no summary printed)."
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt
    return nb


def _without_breaks(markdown):
    """`markdown` with each thematic break (a line of three or more ``-``, ``*`` or ``_`` after a
    blank line) written as ``<hr>``."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if (i == 0 or not lines[i - 1].strip()) and _BREAK.match(line):
            lines[i] = "<hr>"
    return "\n".join(lines)


def broken_links(site):
    """Local ``href``/``src`` targets of the HTML files in `site` that do not exist, one line each.

    A link to another page's anchor (``page.html#part``) also needs that ``id`` on the page.
    Links to other sites, ``mailto:`` and ``data:`` URLs are not checked.
    """
    site = Path(site).resolve()
    pages = {page: _Links.parse(page) for page in _pages(site)}
    problems = []
    for page, found in pages.items():
        for url in found.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            where = f"{page.relative_to(site)}: {url}"
            if site not in (target, *target.parents):
                problems.append(f"{where} (outside the site)")
            elif not target.exists():
                problems.append(f"{where} (no such file)")
            elif target.is_dir() and not (target / "index.html").exists():
                problems.append(f"{where} (a folder without index.html)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _Links.parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where} (no id {parts.fragment!r} on that page)")
    return problems


def remote_assets(site):
    """Scripts, style sheets, fonts and images the pages of `site` load from another site.

    One line per page and URL: ``page.html: https://...``.  An ``<a href>`` to another site is
    a link, not an asset, and is not listed.
    """
    site = Path(site)
    return [
        f"{page.relative_to(site)}: {url}"
        for page in _pages(site)
        for url in _Links.parse(page).assets
        if re.match(r"(https?:)?//", url)
    ]


def _pages(site):
    """The site's HTML pages (not the theme's templates copied into ``_static/``)."""
    return [p for p in sorted(site.rglob("*.html")) if "_static" not in p.relative_to(site).parts]


class _Links(HTMLParser):
    """The links (``urls``), loaded assets (``assets``) and ``ids`` of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls, self.assets, self.ids = [], [], set()

    @classmethod
    def parse(cls, page):
        parser = cls()
        parser.feed(Path(page).read_text(encoding="utf-8"))
        return parser

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name in ("href", "src"):
            url = (attrs.get(name) or "").strip()
            if not url or url.startswith(("data:", "mailto:", "tel:", "javascript:")):
                continue
            self.urls.append(url)
            if name == "src" or tag == "link":
                self.assets.append(url)


def _require_tools():
    missing = [name for name in _TOOLS if importlib.util.find_spec(_TOOLS[name]) is None]
    if missing:
        raise ModuleNotFoundError(
            f"the course website needs {', '.join(missing)}: "
            "pip install -e '.[site]' from a clone (or pip install " + " ".join(missing) + ")"
        )


def _write(path, text, *, what):
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(path, text, what=what)


def _whole(value, name, low):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {name}={value!r}")
    return value


def _execute_all(notebooks, scratch, *, timeout, workers):
    """Run each notebook of `notebooks` (number -> notebook, changed in place) in its own kernel."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    def run(number):
        folder = scratch / number
        folder.mkdir(parents=True)
        client = NotebookClient(
            notebooks[number],
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
        )
        try:
            asyncio.run(client.async_execute())
        except CellExecutionError as error:
            raise RuntimeError(f"lesson {number} did not run to the end: {error}") from None

    with ThreadPoolExecutor(max_workers=min(workers, len(notebooks)) or 1) as pool:
        for future in [pool.submit(run, number) for number in notebooks]:
            future.result()


def _left_out_page(lesson):
    objectives = "\n".join(f"- {objective}" for objective in lesson.objectives)
    return (
        f"# Lesson {lesson.number}: {lesson.title}\n\n"
        "This lesson was left out of this build of the site (a partial build); "
        "`senge-course site` without `--lessons` builds every lesson.\n\n"
        f"What you will be able to do after it ({lesson.minutes} minutes):\n\n{objectives}\n"
    )


def _lesson_page(lesson, built):
    """The site's source of `lesson`: its notebook, or the page that says it was left out."""
    return lesson.notebook if lesson.number in built else lesson.notebook[: -len(".ipynb")] + ".md"


def _copy_instructors(root, source, built):
    """Copy the instructors' pages into `source`; return their document names, in order.

    `built` holds the numbers of the lessons the site executes and shows.
    """
    folder = root / "instructors"
    if not folder.is_dir():
        return []
    on_site = {lesson.notebook: _lesson_page(lesson, built) for lesson in LESSONS}
    markdown = sorted(folder.rglob("*.md"))
    others = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in (".json",)]
    on_site |= {p.relative_to(root).as_posix(): p.relative_to(root).as_posix() for p in markdown}
    on_site |= {p.relative_to(root).as_posix(): p.relative_to(root).as_posix() for p in others}
    for path in others:
        text = files.read_text(path, what="an instructors' file")
        _write(source / path.relative_to(root), text, what="an instructors' file")
    docs = []
    for page in markdown:
        relative = page.relative_to(root)
        text = files.read_text(page, what="an instructors' page")
        text = _relink(text, relative.parent, on_site)
        _write(source / relative, text, what="an instructors' page")
        docs.append(relative.with_suffix("").as_posix())
    readme = "instructors/README"
    return sorted(docs, key=lambda d: (d != readme, d.count("/"), d))


def _relink(text, folder, on_site):
    """Point each relative link of Markdown `text` (a page in `folder`) that leaves the site to
    the repository, and each link to a lesson left out of the site to its page (`on_site` maps
    a course path to its path on the site)."""

    def replace(match):
        target = match.group(3)
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = os.path.normpath((folder / unquote(path)).as_posix()).replace(os.sep, "/")
        if resolved.startswith(".."):
            return match.group(0)
        if resolved in on_site:
            if on_site[resolved] == resolved:
                return match.group(0)
            relative = os.path.relpath(on_site[resolved], folder.as_posix()).replace(os.sep, "/")
            return f"{match.group(1)}{relative}" + (f"#{anchor}" if anchor else "") + match.group(5)
        url = f"{REPOSITORY_URL}/{resolved}" + (f"#{anchor}" if anchor else "")
        return f"{match.group(1)}{url}{match.group(5)}"

    return _LINK.sub(replace, text)


def _home_page(instructor_pages, chosen):
    built = {lesson.number for lesson in chosen}
    rows = ["| Lesson | Title | What you will be able to do | Minutes |", "|---|---|---|---|"]
    for lesson in LESSONS:
        objectives = "; ".join(o.replace("|", "\\|") for o in lesson.objectives)
        rows.append(
            f"| {lesson.number} | [{lesson.title}]({_lesson_page(lesson, built)}) | {objectives} "
            f"| {lesson.minutes} |"
        )
    lessons_toc = "\n".join(lesson.notebook.removesuffix(".ipynb") for lesson in LESSONS)
    parts = [
        "# Communities of Leaders and Learners: an interactive course",
        "",
        "An interactive course on Peter Senge's *Communities of Leaders and Learners* "
        "(Harvard Business Review, 1997), taught through simulations.",
        "These pages are the lessons as they run with their default settings: every widget app "
        "shows its figures as a static image with a text summary.",
        "To move the controls, open the lessons in JupyterLab (`senge-course lab`).",
        f"Built from senge-course {html.escape(__version__)}.",
        "",
        "## Course map",
        "",
        *rows,
        "",
        "```{toctree}",
        ":caption: Lessons",
        ":maxdepth: 1",
        "",
        lessons_toc,
        "```",
    ]
    groups = [
        ("For instructors", [d for d in instructor_pages if d.count("/") == 1]),
        ("Teaching notes", [d for d in instructor_pages if d.startswith("instructors/notes/")]),
        ("Cases", [d for d in instructor_pages if d.startswith("instructors/cases/")]),
    ]
    listed = {d for _, docs in groups for d in docs}
    groups.append(("More for instructors", [d for d in instructor_pages if d not in listed]))
    for caption, docs in groups:
        if docs:
            parts += ["", "```{toctree}", f":caption: {caption}", ":maxdepth: 1", "", *docs, "```"]
    return "\n".join(parts) + "\n"


def _conf():
    """The Sphinx configuration (``conf.py``) of the generated source folder."""
    settings = {
        "project": "Communities of Leaders and Learners",
        "author": "senge-course developers",
        "release": __version__,
        "extensions": ["myst_nb"],
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "nitpicky": True,
        # the notebooks are executed before the build (build_site), never by myst-nb
        "nb_execution_mode": "off",
        # a widget app's static fallback (text/html: an <img alt> and its summary), never the
        # widget view, which would need a widget manager loaded from a CDN
        "nb_mime_priority_overrides": [(b, _WIDGET_VIEW, None) for b in _HTML_BUILDERS],
        "nb_ipywidgets_js": {},
        "nb_output_stderr": "remove",
        "myst_heading_anchors": 3,
        "html_theme": "sphinx_book_theme",
        "html_title": "Communities of Leaders and Learners",
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_theme_options": {"show_toc_level": 2, "use_download_button": False},
    }
    lines = ['"""Generated by senge_course.course.site; edit that module, not this file."""']
    lines += [f"{name} = {value!r}" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


def _sphinx(source, doctrees, out):
    """Run Sphinx's HTML builder, warnings as errors; raise RuntimeError listing the warnings."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", "-n"]
    command += ["-E", "-d", str(doctrees), str(source), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        shown = "\n".join(line.replace(str(source) + os.sep, "") for line in lines[-40:])
        raise RuntimeError(f"Sphinx could not build the site (exit {done.returncode}):\n{shown}")
