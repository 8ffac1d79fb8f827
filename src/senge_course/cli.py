"""The ``senge-course`` command: ``list``, ``init [DIR]``, ``lab [LESSON]``, ``present LESSON``,
``build-exercises [--check]``, ``grade SUBMISSIONS --out CSV`` and ``check NOTEBOOK``
(``senge-course COMMAND --help`` says more; the README shows each in use).

``lab`` and ``present`` serve on localhost only, behind a token, and pass any other arguments
to JupyterLab or Voila (``present`` has its own: ``--allow-host``, ``--max-kernels``, ...).
They serve the course folder the current folder is in, else (outside a clone) the installed
course, copied by ``init`` into ``./senge-course``.  Mistakes (an unknown command or lesson, a
missing folder, a missing extra) print one line and exit with status 2.  ``check`` exits with
1 for a notebook that cannot be graded, 0 otherwise (wrong answers included).
"""

import argparse
import json
import os
import shlex
import subprocess
import sys

from .course.lessons import LESSONS, get_lesson

__all__ = ["main"]

COMMANDS = (
    "list",
    "init",
    "lab",
    "present",
    "build-exercises",
    "grade",
    "check",
    "export",
    "debrief",
    "feedback",
    "responses",
    "slides",
    "rubrics",
    "release",
    "site",
    "lite",
)

#: The options ``grade`` and ``check`` share: flag, type, default, metavar, help.
_LIMITS = (
    ("--lesson", None, None, None, "judge as this lesson (default: the lesson the notebook names)"),
    ("--timeout", float, 600, "SECONDS", "time for all of one notebook's cells (default 600)"),
    (
        "--cell-timeout",
        float,
        None,
        "SECONDS",
        "time for any one cell (default: min(120, --timeout))",
    ),
    ("--memory-mb", int, 2048, "MB", "each kernel's memory limit (default 2048; Linux only)"),
    (
        "--sandbox",
        str,
        "auto",
        "auto|bwrap|none",
        "isolate each kernel with bubblewrap: where it works (auto, the default; otherwise a "
        "loud warning), always (bwrap), or never (none); the README says what each protects",
    ),
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit with status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser():
    parser = _Parser(
        prog="senge-course",
        description="An interactive course on Senge's 'Communities of Leaders and Learners'.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"senge-course {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    sub.add_parser("list", help="print the lessons")
    init = sub.add_parser(
        "init",
        help="copy the course (lessons, exercises, settings) into a folder of your own",
        description="Copy the course the package carries (notebooks/, exercises/, "
        "jupyter-config/, examples/assignments/, LICENSE) into DIR, stamping the package "
        "version into each notebook. Run again (for example after an upgrade), it copies what is missing and updates what "
        "you have not edited; it never overwrites a notebook you edited, and says which it kept.",
    )
    init.add_argument(
        "folder", nargs="?", default="senge-course", metavar="DIR", help="default: ./senge-course"
    )
    lab = sub.add_parser(
        "lab",
        help="open JupyterLab on a lesson (localhost only); other arguments go to JupyterLab",
    )
    lab.add_argument("lesson", nargs="?", default="00", help="lesson number or slug (default 00)")
    present = sub.add_parser(
        "present",
        help="show a lesson's widgets as an app without code (Voila, localhost only, behind a "
        "token); other arguments go to Voila",
        description="Serve a lesson as an app without code (Voila) on 127.0.0.1. Every start "
        "makes a new token and prints the address with it (http://127.0.0.1:PORT/?token=...); "
        "a request without it is sent to a login page, and a request whose Host header is not "
        "localhost, 127.0.0.1 or [::1] (or an --allow-host name) is refused (403). Each open "
        "page runs its own kernel (about 170 MB); past --max-kernels a new page gets an error "
        "page 'the presentation is full' (HTTP 503) until a page is closed or an idle kernel "
        "is shut down. The apps' Save and Load use files inside the lesson's folder only.",
    )
    present.add_argument("lesson", help="lesson number or slug")
    _add_present_options(present)
    for serve in (lab, present):
        serve.add_argument("--dry-run", action="store_true", help="print the command, not run it")
    build = sub.add_parser("build-exercises", help="write exercises/ from solutions/")
    build.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if exercises/ is out of date"
    )
    grade = sub.add_parser(
        "grade", help="grade a folder of submissions into a gradebook (CSV) and feedback"
    )
    grade.add_argument(
        "submissions", help="folder with <student>.ipynb files or one folder per student"
    )
    grade.add_argument("--out", required=True, help="the gradebook CSV to write (and resume)")
    grade.add_argument("--feedback", metavar="DIR", help="write one Markdown file per student here")
    _add_limits(grade)
    grade.add_argument(
        "--workers", type=int, help="submissions graded at once (default: the number of cores)"
    )
    grade.add_argument(
        "--force", action="store_true", help="regrade everything; replace an unreadable gradebook"
    )
    grade.add_argument(
        "--roster", metavar="CSV", help="the class roster (id,name,email,section): students by id"
    )
    grade.add_argument(
        "--rubric",
        action="store_true",
        help="write or extend manual-scores.csv beside the gradebook (reflections by hand); "
        "scores in it are merged on every run",
    )
    check = sub.add_parser("check", help="grade one notebook and print each question's outcome")
    check.add_argument("notebook", help="the exercise notebook to check")
    _add_limits(check)
    export = sub.add_parser(
        "export", help="write a gradebook in an LMS's import format (Canvas, Moodle) or as CSV"
    )
    export.add_argument("gradebook", help="the gradebook CSV (or the folder that holds it)")
    export.add_argument("--to", required=True, choices=("canvas", "moodle", "csv"))
    export.add_argument("--assignment", required=True, help='the column, e.g. "Exercise 05"')
    export.add_argument("--roster", metavar="CSV", help="the class roster (Moodle needs it)")
    export.add_argument("--points", type=float, help="points possible (default: max_score)")
    export.add_argument("--out", help="the file to write (default: <to>-import.csv beside it)")
    debrief = sub.add_parser(
        "debrief", help="a class debrief notebook (and its HTML) from a graded lesson's class.json"
    )
    debrief.add_argument("graded", help="the folder holding gradebook.csv and class.json")
    debrief.add_argument("--out", required=True, help="folder for the debrief")
    debrief.add_argument("--no-html", action="store_true", help="write the notebook only")
    debrief.add_argument(
        "--before", metavar="GRADED00", help="lesson 00's graded folder: the concept check's gain"
    )
    feedback = sub.add_parser(
        "feedback",
        help="write every student's feedback again from the gradebook, class.json and the "
        "manual scores (nothing is run)",
    )
    feedback.add_argument("gradebook", help="the gradebook CSV (or the folder that holds it)")
    feedback.add_argument("--out", help="folder for the pages (default: feedback/ beside it)")
    responses = sub.add_parser(
        "responses", help="one HTML page per reflection with every student's answer"
    )
    responses.add_argument("gradebook", help="the gradebook CSV (or the folder that holds it)")
    responses.add_argument("--out", required=True, help="folder for the pages")
    responses.add_argument(
        "--names", action="store_true", help="show students' names (default: anonymised)"
    )
    slides = sub.add_parser(
        "slides", help="run a lesson and export it as a reveal.js slide deck without code"
    )
    slides.add_argument("lesson", help="lesson number or slug")
    slides.add_argument("--out", default="slides", help="folder for the deck (default: slides)")
    slides.add_argument(
        "--reveal-prefix",
        metavar="URL",
        help="where the deck loads reveal.js from (default: a public CDN; a local copy of "
        "reveal.js 4 for a room without internet)",
    )
    rubrics = sub.add_parser(
        "rubrics", help="write the reflection and memo rubrics (rubrics.json, rubrics.md)"
    )
    rubrics.add_argument("folder", nargs="?", default="instructors", help="default: instructors")
    release = sub.add_parser(
        "release",
        help="write what students get (lessons, graded exercises with solutions off, settings, "
        "a README; no solutions/) into a folder to push to the branch nbgitpuller pulls",
    )
    release.add_argument("--out", required=True, metavar="DIR", help="a new or empty folder")
    release.add_argument(
        "--force", action="store_true", help="replace the release in a non-empty DIR"
    )
    site = sub.add_parser(
        "site", help="run the lessons and build the course website (static HTML, offline)"
    )
    site.add_argument("--out", default="site", help="folder for the site (default: site)")
    site.add_argument(
        "--lessons",
        nargs="+",
        metavar="LESSON",
        help="only these lessons (numbers or slugs); the others get a page saying so",
    )
    site.add_argument(
        "--no-execute",
        action="store_true",
        help="publish the lessons as committed, without running them (no figures)",
    )
    site.add_argument(
        "--no-instructors",
        action="store_true",
        help="leave out the instructors' pages (they hold the answer keys): a site for learners",
    )
    lite = sub.add_parser(
        "lite",
        help="build the course as a JupyterLite site: Python in the browser, no server",
    )
    lite.add_argument(
        "--out", required=True, metavar="DIR", help="a new or empty folder, or an earlier site"
    )
    lite.add_argument(
        "--wheel", metavar="WHEEL", help="the course wheel the site installs (default: build one)"
    )
    return parser


#: ``present``'s own options (the rest go to Voila): flag, keywords of ``add_argument``.
_PRESENT_OPTIONS = (
    ("--port", {"type": int, "help": "the port (default 8866, or the next free one)"}),
    (
        "--no-browser",
        {"action": "store_true", "help": "print the address with its token; open no browser"},
    ),
    (
        "--allow-host",
        {
            "action": "append",
            "default": [],
            "metavar": "NAME",
            "help": "also answer requests for the host NAME (repeatable; for a tunnel or proxy "
            "by name); by default only localhost, 127.0.0.1 and [::1] are answered, so a web "
            "page using DNS rebinding gets 403; '*' turns the check off",
        },
    ),
    (
        "--max-kernels",
        {
            "type": int,
            "default": 4,
            "metavar": "N",
            "help": "pages open at once, one kernel each (default 4); past N a new page gets "
            "'the presentation is full' (HTTP 503) until a page is closed or an idle kernel is "
            "shut down",
        },
    ),
    (
        "--cull-idle",
        {
            "type": int,
            "default": 600,
            "metavar": "SECONDS",
            "help": "shut down a kernel idle this long with no page connected (default 600; 0: "
            "never)",
        },
    ),
)


def _add_present_options(parser):
    for flag, options in _PRESENT_OPTIONS:
        parser.add_argument(flag, **options)


def _add_limits(parser):
    for flag, kind, default, metavar, text in _LIMITS:
        parser.add_argument(flag, type=kind, default=default, metavar=metavar, help=text)


def _limits(args):
    """The `_LIMITS` options of ``grade`` and ``check``, as keyword arguments."""
    names = (flag[2:].replace("-", "_") for flag, *_ in _LIMITS)
    return {name: getattr(args, name) for name in names}


def main(argv=None):
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        return _error(f"unknown command {argv[0]!r} (choose from {', '.join(COMMANDS)})")
    commands = {
        "list": _list,
        "init": _init,
        "build-exercises": _build,
        "grade": _grade,
        "check": _check,
        "export": _export,
        "debrief": _debrief,
        "feedback": _feedback,
        "responses": _responses,
        "slides": _slides,
        "rubrics": _rubrics,
        "release": _release,
        "site": _site,
        "lite": _lite,
    }
    try:
        if argv and argv[0] in ("lab", "present") and not {"-h", "--help"} & set(argv):
            return _serve(argv[0], argv[1:])
        args, extra = _parser().parse_known_args(argv)
        if extra:
            return _error(f"unrecognised arguments: {' '.join(extra)}")
        return commands[args.command](args)
    except SystemExit as exc:  # argparse's --help, --version and errors
        return exc.code if isinstance(exc.code, int) else 2
    except (ValueError, FileNotFoundError, ImportError) as exc:  # ImportError: a missing extra
        return _error(exc)


def _gradebook_path(given):
    from pathlib import Path

    path = Path(given)
    path = path / "gradebook.csv" if path.is_dir() else path
    if not path.is_file():
        raise FileNotFoundError(f"gradebook not found: {path}")
    return path


def _debrief(args):
    from .course.debrief import build_debrief

    for path in build_debrief(args.graded, args.out, before=args.before, html=not args.no_html):
        print(f"wrote {path}")
    return 0


def _feedback(args):
    from .grading.rebuild import rebuild_feedback

    written = rebuild_feedback(_gradebook_path(args.gradebook), args.out)
    print(f"wrote {len(written)} feedback file(s) in {written[0].parent if written else args.out}")
    return 0


def _responses(args):
    from .grading import read_gradebook
    from .grading.gradebook import read_reflections
    from .grading.manual import write_response_pack

    path = _gradebook_path(args.gradebook)
    lessons = sorted({r["lesson"] for r in read_gradebook(path) if r.get("lesson")})
    if len(lessons) != 1:
        raise ValueError(f"the gradebook must be of one lesson, got lessons {lessons}")
    texts = read_reflections(path.with_name("reflections.csv"))
    pack = write_response_pack(texts, args.out, lessons[0], anonymise=not args.names)
    print(pack.summary)
    return 0


def _export(args):
    from pathlib import Path

    from .grading import read_gradebook
    from .grading.export import export_gradebook
    from .grading.roster import Roster

    path = _gradebook_path(args.gradebook)
    roster = Roster.load(args.roster) if args.roster else None
    out = Path(args.out) if args.out else path.with_name(f"{args.to}-import.csv")
    report = export_gradebook(
        read_gradebook(path),
        out,
        to=args.to,
        assignment=args.assignment,
        roster=roster,
        points_possible=args.points,
    )
    print(report.summary)
    return 0


def _slides(args):
    from .course.slides import build_slides

    try:
        path = build_slides(args.lesson, args.out, reveal_prefix=args.reveal_prefix)
    except (RuntimeError, OSError) as exc:
        return _error(exc)
    print(f"wrote {path}")
    return 0


def _rubrics(args):
    from .course.rubrics import write_rubrics

    try:
        paths = write_rubrics(args.folder)
    except OSError as exc:
        return _error(exc)
    print("wrote " + " and ".join(str(p) for p in paths))
    return 0


def _release(args):
    from .course.release import build_release

    try:
        release = build_release(args.out, force=args.force)
    except OSError as exc:
        return _error(exc)
    print(release.summary)
    return 0


def _site(args):
    from .course.site import build_site

    try:
        path = build_site(
            args.out,
            lessons=args.lessons,
            execute=not args.no_execute,
            instructors=not args.no_instructors,
        )
    except (RuntimeError, OSError) as exc:
        return _error(exc)
    print(f"wrote {path}")
    return 0


def _lite(args):
    import warnings

    from .course.lite import build_lite

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            site = build_lite(args.out, wheel=args.wheel)
    except (RuntimeError, OSError) as exc:
        return _error(exc)
    for warning in caught:
        print(f"senge-course: warning: {warning.message}", file=sys.stderr)
    print(f"wrote the JupyterLite site in {site}; serve it with: python -m http.server -d {site}")
    return 0


def _error(message):
    print(f"senge-course: error: {message}", file=sys.stderr)
    return 2


def _list(args):
    width = max(len(lesson.title) for lesson in LESSONS)
    print(f"{'#':<3} {'title':<{width}}  {'min':>3}  notebook")
    for lesson in LESSONS:
        print(f"{lesson.number:<3} {lesson.title:<{width}}  {lesson.minutes:>3}  {lesson.notebook}")
    return 0


def _init(args):
    from .install import init_course

    try:
        copy = init_course(args.folder)
    except OSError as exc:
        return _error(exc)
    print(copy.summary)
    return 0


def _course_to_serve():
    """The course folder ``lab`` and ``present`` serve: ``$SENGE_COURSE_ROOT``, else the one the
    current folder is in, else a clone beside the package (an editable install), else the
    installed course copied (or brought up to date) by ``init`` into ``./senge-course``."""
    from .paths import course_root, local_course

    if os.environ.get("SENGE_COURSE_ROOT"):
        return course_root()
    here = local_course()
    if here is not None:
        return here
    try:
        return course_root()
    except FileNotFoundError:
        from .install import init_course

        copy = init_course("senge-course")
        kept = f"; kept {len(copy.kept)} file(s) you edited" if copy.kept else ""
        print(
            f"No course folder here: serving the installed course, copied into {copy.folder} "
            f"(senge-course init{kept})",
            file=sys.stderr,
        )
        return copy.folder


def lab_command(lesson="00", extra=()):
    """The JupyterLab command line that `senge-course lab` runs, and the folder it runs in.

    >>> cmd, root = lab_command("00")
    >>> "--ServerApp.ip=127.0.0.1" in cmd and cmd[-1].endswith("notebooks/00_start_here.ipynb")
    True
    """
    lesson, root = get_lesson(lesson), _course_to_serve()
    # Serve the whole course folder (so exercises/ is one click away) and open the lesson.
    cmd = [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1"]
    cmd.append(f"--ServerApp.root_dir={root}")
    if not any(arg.startswith("--LabApp.app_settings_dir") for arg in extra):
        # jupyter-config/overrides.json: start the notebook's kernel without a "Select Kernel"
        # dialog, and no news pop-ups over the lesson
        cmd.append(f"--LabApp.app_settings_dir={root / 'jupyter-config'}")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        cmd.append("--allow-root")  # containers and CI machines run as root
    cmd.extend(extra)
    cmd.append(f"--LabApp.default_url=/lab/tree/{lesson.notebook}")
    return cmd, root


def present_command(lesson, extra=(), *, options=None):
    """The command line that `senge-course present` runs (Voila behind a token, through
    `serve_presentation`), and the folder it runs in.

    Voila runs the lesson in a fresh kernel and shows its Markdown, outputs and widgets
    without the code: an app an instructor can show in class.  `options` are ``present``'s own
    (``port``, ``no_browser``, ``allow_host``, ``max_kernels``, ``cull_idle``; the defaults of
    ``senge-course present --help``); they travel as one JSON argument, the token in the
    environment (never on the command line, which every user of the machine can read).

    `lesson` is a lesson's number or slug, or the path of a notebook (``debrief/debrief-05.ipynb``,
    which `senge-course debrief` writes): Voila then runs in that notebook's folder, so paths in
    it (the class file) read as they do in JupyterLab.

    >>> cmd, root = present_command("00")
    >>> cmd[4] == "notebooks/00_start_here.ipynb" and "--Voila.ip=127.0.0.1" in cmd
    True
    >>> json.loads(cmd[3])
    {'hosts': [], 'any_host': False, 'max_kernels': 4, 'cull_idle': 600}
    """

    given = vars(_present_parser().parse_args([])) | dict(options or {})
    hosts = _allowed_hosts(given["allow_host"])
    max_kernels, cull_idle = given["max_kernels"], given["cull_idle"]
    if not isinstance(max_kernels, int) or not 1 <= max_kernels <= 64:
        raise ValueError(f"--max-kernels must be a whole number from 1 to 64, got {max_kernels}")
    if not isinstance(cull_idle, int) or cull_idle < 0:
        raise ValueError(f"--cull-idle must be a whole number of seconds >= 0, got {cull_idle}")
    settings = {
        "hosts": [h for h in hosts if h != "*"],
        "any_host": "*" in hosts,
        "max_kernels": max_kernels,
        "cull_idle": cull_idle,
    }
    code = "from senge_course.cli import serve_presentation; serve_presentation()"
    notebook, root = _presented(lesson)
    cmd = [sys.executable, "-c", code, json.dumps(settings), notebook]
    cmd += ["--Voila.ip=127.0.0.1", "--strip_sources=True", "--theme=light"]
    if given["port"] is not None:
        cmd += ["--port", str(given["port"])]
    if given["no_browser"]:
        cmd.append("--no-browser")
    return [*cmd, *extra], root


def _presented(lesson):
    """``(notebook relative to the folder Voila runs in, that folder)`` for `present`."""
    from pathlib import Path

    if str(lesson).endswith(".ipynb"):
        path = Path(lesson).expanduser().resolve()
        if not path.is_file():
            raise ValueError(f"no notebook {lesson}: give a lesson (such as 03) or a notebook file")
        return path.name, path.parent
    return get_lesson(lesson).notebook, _course_to_serve()


def serve_presentation(argv=None):
    """Run Voila as `present_command` asks (in the server's own process).

    ``argv`` (default ``sys.argv[1:]``): the settings' JSON, then Voila's arguments.  The token
    comes from ``$SENGE_COURSE_PRESENT_TOKEN`` (a new one if unset) and is taken out of the
    environment before any kernel starts.  The server refuses a foreign Host header (403),
    sends a request without the token to its login page, prints the address with the token
    (and opens it unless ``--no-browser``), and starts at most ``max_kernels`` kernels, shutting
    down those idle for ``cull_idle`` seconds with no page connected.
    """
    import secrets
    import webbrowser

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado import web
    from tornado.ioloop import IOLoop
    from traitlets.config import Config
    from voila.app import Voila

    argv = list(sys.argv[1:] if argv is None else argv)
    settings = json.loads(argv.pop(0))
    token = os.environ.pop(_TOKEN_VARIABLE, "") or secrets.token_urlsafe(32)
    limit = settings["max_kernels"]

    class PresentationKernels(AsyncMappingKernelManager):
        """Kernels of one presentation: at most `limit` at once (503 past it)."""

        _starting = 0

        async def start_kernel(self, *, kernel_id=None, **kwargs):
            if kernel_id is not None and kernel_id in self:
                return await super().start_kernel(kernel_id=kernel_id, **kwargs)
            if len(self) + self._starting >= limit:
                full = (
                    f"The presentation is full: {limit} of {limit} kernels in use, one per open "
                    "page; close a page, or wait until an idle kernel is shut down, and reload"
                )
                raise web.HTTPError(503, full, reason=full)
            self._starting += 1
            try:
                return await super().start_kernel(kernel_id=kernel_id, **kwargs)
            finally:
                self._starting -= 1

    class Presentation(Voila):
        """Voila that prints (and opens) its address with the token, as JupyterLab does."""

        @property
        def address(self):  # the token in force (a --Voila.token=... given by hand wins)
            given = self.identity_provider.token
            return f"{self.connection_url}?token={given}" if given else self.connection_url

        def listen(self):  # binds the port, then runs the server until it stops
            IOLoop.current().add_callback(
                lambda: print(f"Presentation: {self.address}", flush=True)
            )
            super().listen()

        def launch_browser(self):
            try:
                webbrowser.get(self.browser or None).open(self.address)
            except webbrowser.Error as error:
                self.log.warning("No web browser found: %s.", error)

    config = Config()
    config.Voila.token = token
    config.Voila.port_retries = 50
    config.Voila.tornado_settings = {
        "allow_remote_access": settings["any_host"],
        "local_hostnames": ["localhost", *settings["hosts"]],
    }
    config.VoilaConfiguration.multi_kernel_manager_class = PresentationKernels
    config.MappingKernelManager.cull_idle_timeout = settings["cull_idle"]
    config.MappingKernelManager.cull_interval = max(1, min(60, settings["cull_idle"] or 60))
    Presentation.launch_instance(argv=argv, config=config)


#: Where `_serve` hands the presentation's token to `serve_presentation`.
_TOKEN_VARIABLE = "SENGE_COURSE_PRESENT_TOKEN"


def _present_parser():
    parser = _Parser(prog="senge-course present", add_help=False)
    _add_present_options(parser)
    return parser


def _allowed_hosts(names):
    """The ``--allow-host`` names, checked: host names (or ``*``), not other addresses."""
    import ipaddress
    import re

    hosts = []
    for name in names:
        name = name.strip().lower().strip("[]")
        try:
            loopback = ipaddress.ip_address(name).is_loopback
        except ValueError:
            if name != "*" and not re.fullmatch(
                r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*", name
            ):
                raise ValueError(
                    f"--allow-host must be a host name such as myhost.local (or '*' to answer "
                    f"every host), got --allow-host {name!r}"
                ) from None
            hosts.append(name)
        else:
            if not loopback:
                raise ValueError(
                    "--allow-host takes a host name, not an address: the server answers an "
                    f"address only if it is a loopback one, got --allow-host {name} (use a "
                    "name for it, or '*' to answer every host)"
                )
    return hosts


def _serve(command, rest):
    """``lab`` or ``present``: all but a leading lesson and ``--dry-run`` go to JupyterLab or Voila
    (``present`` keeps its own options, `_PRESENT_OPTIONS`)."""
    if rest and not rest[0].startswith("-"):
        lesson = rest.pop(0)
    elif command == "present":
        return _error("present needs a lesson, e.g. senge-course present 03")
    else:
        lesson = "00"
    dry_run, rest = "--dry-run" in rest, [a for a in rest if a != "--dry-run"]
    from .install import require

    for module in ("jupyterlab",) if command == "lab" else ("voila",):
        require(module, command, purpose=f"senge-course {command}")
    require("ipykernel", command, purpose=f"senge-course {command}")
    if command == "lab":
        cmd, root = lab_command(lesson, rest)
    else:
        options, rest = _present_parser().parse_known_args(rest)
        cmd, root = present_command(lesson, rest, options=vars(options))
    if dry_run:
        print(shlex.join(cmd))
        return 0
    if command == "lab":
        what = "JupyterLab (localhost only"
    else:
        # a new token each time (unless $SENGE_COURSE_PRESENT_TOKEN chooses one), handed
        # over in the environment, never in argv (see serve_presentation)
        import secrets

        os.environ[_TOKEN_VARIABLE] = os.environ.get(_TOKEN_VARIABLE) or secrets.token_urlsafe(32)
        what = "presentation mode (Voila, localhost only, the address below has its token"
    shown = lesson if lesson.endswith(".ipynb") else get_lesson(lesson).notebook
    print(f"Opening {shown} in {what}; Ctrl-C stops it)")
    sys.stdout.flush()
    if os.name == "posix":
        # Become the server: signals (Ctrl-C, a stop from a test or a hub) reach it directly,
        # and no server is left running when this command is stopped.
        os.chdir(root)
        os.execv(cmd[0], cmd)
    try:
        return subprocess.call(cmd, cwd=root)
    except KeyboardInterrupt:
        return 0


def _build(args):
    from .course.exercises import build_exercises

    changed = build_exercises(check=args.check)
    if args.check:
        for path in changed:
            print(f"out of date: {path}")
        print("exercises/ is up to date" if not changed else "run: senge-course build-exercises")
        return 1 if changed else 0
    for path in changed:
        print(f"wrote {path}")
    print(f"{len(changed)} exercise notebook(s) written" if changed else "exercises/ is up to date")
    return 0


def _grade(args):
    from .grading import grade

    options = {"feedback": args.feedback, "workers": args.workers, "force": args.force}
    options["rubric"] = args.rubric
    if args.roster:
        from .grading.roster import Roster

        options["roster"] = Roster.load(args.roster)
    try:
        run = grade(args.submissions, args.out, **options, **_limits(args))
    except KeyboardInterrupt:
        print(
            f"senge-course: interrupted: every finished submission is saved in {args.out}; "
            "run the same command again to grade the rest",
            file=sys.stderr,
        )
        return 130
    counts = ", ".join(f"{status} {n}" for status, n in sorted(run.counts().items()))
    print(f"graded {len(run.results)} submission(s)" + (f": {counts}" if counts else ""))
    if run.skipped:
        print(
            f"skipped {len(run.skipped)} already in {run.gradebook} with an unchanged notebook "
            "(--force regrades them)"
        )
    print(f"gradebook: {run.gradebook}\nreflections: {run.reflections}")
    if run.feedback is not None:
        print(f"feedback: {run.feedback}/ (one Markdown file per student graded in this run)")
    return 0


def _check(args):
    from pathlib import Path

    from .grading import STATUSES, grade_notebook
    from .grading.feedback import points

    path = Path(args.notebook)
    if not path.is_file():
        raise FileNotFoundError(f"notebook not found: {path}")
    print(f"Checking {path} in a fresh kernel ...", flush=True)
    result = grade_notebook(path, **_limits(args))
    if not result.graded:
        reason = result.detail or STATUSES[result.status]
        print(f"senge-course: cannot grade {path}: {result.status}: {reason}", file=sys.stderr)
        return 1
    print(*result.outcomes, sep="\n")
    if result.detail:
        print(f"Note: {result.detail}")
    print(
        f"Total: {points(result.score, 2)} of {points(result.max_score, 2)} points "
        f"(lesson {result.lesson}, status {result.status})"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
