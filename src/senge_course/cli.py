"""The ``senge-course`` command.

``senge-course list``
    print the lessons (the manifest);
``senge-course lab [LESSON] [JUPYTERLAB ARGS...]``
    open JupyterLab on a lesson (lesson 00 by default), serving on localhost only;
``senge-course present LESSON [VOILA ARGS...]``
    show a lesson's widgets as an app without code (Voila), for instructors in class;
``senge-course build-exercises [--check]``
    write ``exercises/`` from ``solutions/`` (``--check``: report drift, write nothing);
``senge-course grade SUBMISSIONS --out gradebook.csv [--feedback DIR] [--lesson ID] ...``
    grade a class's notebooks into a gradebook, reflections and feedback files;
``senge-course check NOTEBOOK [--lesson ID] ...``
    grade one notebook the same way and print each question's outcome and the total.

Mistakes (an unknown command or lesson, a missing folder) print one line and exit with
status 2.  ``check`` exits with 1 for a notebook that cannot be graded, 0 otherwise (wrong
answers included).
"""

import argparse
import os
import subprocess
import sys

from .course.lessons import LESSONS, get_lesson

__all__ = ["main"]

COMMANDS = ("list", "lab", "present", "build-exercises", "grade", "check")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit with status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser():
    parser = _Parser(
        prog="senge-course",
        description="An interactive course on Senge's 'Communities of Leaders and Learners'.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    sub.add_parser("list", help="print the lessons")
    lab = sub.add_parser(
        "lab",
        help="open JupyterLab on a lesson (localhost only); other arguments go to JupyterLab",
    )
    lab.add_argument("lesson", nargs="?", default="00", help="lesson number or slug (default 00)")
    lab.add_argument(
        "--dry-run", action="store_true", help="print the command instead of running it"
    )
    present = sub.add_parser(
        "present",
        help="show a lesson's widgets as an app without code (Voila, localhost only); "
        "other arguments go to Voila",
    )
    present.add_argument("lesson", help="lesson number or slug")
    present.add_argument(
        "--dry-run", action="store_true", help="print the command instead of running it"
    )
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
    _limit_arguments(grade)
    grade.add_argument(
        "--workers", type=int, help="submissions graded at once (default: the number of cores)"
    )
    grade.add_argument(
        "--force", action="store_true", help="regrade everything; replace an unreadable gradebook"
    )
    check = sub.add_parser("check", help="grade one notebook and print each question's outcome")
    check.add_argument("notebook", help="the exercise notebook to check")
    _limit_arguments(check)
    return parser


def _limit_arguments(parser):
    parser.add_argument(
        "--lesson", help="judge as this lesson (default: the lesson the notebook names)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600,
        metavar="SECONDS",
        help="time for all of one notebook's cells (default 600)",
    )
    parser.add_argument(
        "--cell-timeout",
        type=float,
        metavar="SECONDS",
        help="time for any one cell (default: 120, or --timeout if smaller)",
    )
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=2048,
        metavar="MB",
        help="memory limit of each notebook's kernel (default 2048; Linux only)",
    )


def _limits(args):
    """The grading options shared by ``grade`` and ``check``, as keyword arguments."""
    names = ("lesson", "timeout", "cell_timeout", "memory_mb")
    return {name: getattr(args, name) for name in names}


def main(argv=None):
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        print(
            f"senge-course: error: unknown command {argv[0]!r} (choose from {', '.join(COMMANDS)})",
            file=sys.stderr,
        )
        return 2
    if argv and argv[0] in ("lab", "present"):
        # Everything after the command goes to JupyterLab (or Voila), except a leading lesson
        # and --dry-run.
        command, rest = argv[0], argv[1:]
        if any(a in ("-h", "--help") for a in rest):
            try:
                parser.parse_args([command, "--help"])
            except SystemExit as exc:
                return exc.code if isinstance(exc.code, int) else 0
        if rest and not rest[0].startswith("-"):
            lesson = rest.pop(0)
        elif command == "lab":
            lesson = "00"
        else:
            print(
                "senge-course: error: present needs a lesson, e.g. senge-course present 03",
                file=sys.stderr,
            )
            return 2
        dry_run = "--dry-run" in rest
        rest = [a for a in rest if a != "--dry-run"]
        try:
            make = lab_command if command == "lab" else present_command
            return _serve(make, lesson, rest, dry_run=dry_run)
        except (ValueError, FileNotFoundError) as exc:
            print(f"senge-course: error: {exc}", file=sys.stderr)
            return 2
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit as exc:  # argparse's --help, --version and errors
        return exc.code if isinstance(exc.code, int) else 2
    if extra:
        print(f"senge-course: error: unrecognised arguments: {' '.join(extra)}", file=sys.stderr)
        return 2
    try:
        if args.command == "list":
            return _list()
        if args.command == "build-exercises":
            return _build_exercises(check=args.check)
        if args.command == "grade":
            return _grade(args)
        if args.command == "check":
            return _check(args)
    except (ValueError, FileNotFoundError) as exc:
        print(f"senge-course: error: {exc}", file=sys.stderr)
        return 2
    return 2  # pragma: no cover - argparse enforces a known command


def _version():
    from . import __version__

    return f"senge-course {__version__}"


def _list():
    width = max(len(lesson.title) for lesson in LESSONS)
    print(f"{'#':<3} {'title':<{width}}  {'min':>3}  notebook")
    for lesson in LESSONS:
        print(f"{lesson.number:<3} {lesson.title:<{width}}  {lesson.minutes:>3}  {lesson.notebook}")
    return 0


def lab_command(lesson="00", extra=()):
    """The JupyterLab command line that `senge-course lab` runs, and the folder it runs in.

    >>> cmd, root = lab_command("00")
    >>> "--ServerApp.ip=127.0.0.1" in cmd and cmd[-1].endswith("notebooks/00_start_here.ipynb")
    True
    """
    from .paths import course_root

    lesson = get_lesson(lesson)
    root = course_root()
    # Serve the whole course folder (so exercises/ is one click away) and open the lesson.
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
    ]
    if not any(arg.startswith("--LabApp.app_settings_dir") for arg in extra):
        # jupyter-config/overrides.json: start the notebook's kernel without a "Select Kernel"
        # dialog, and no news pop-ups over the lesson
        cmd.append(f"--LabApp.app_settings_dir={root / 'jupyter-config'}")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        cmd.append("--allow-root")  # containers and CI machines run as root
    cmd.extend(extra)
    cmd.append(f"--LabApp.default_url=/lab/tree/{lesson.notebook}")
    return cmd, root


def present_command(lesson, extra=()):
    """The Voila command line that `senge-course present` runs, and the folder it runs in.

    Voila runs the lesson in a fresh kernel and shows its Markdown, outputs and widgets
    without the code: an app an instructor can show in class.

    >>> cmd, root = present_command("00")
    >>> cmd[2:4] == ["voila", "notebooks/00_start_here.ipynb"] and "--Voila.ip=127.0.0.1" in cmd
    True
    """
    from .paths import course_root

    lesson = get_lesson(lesson)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        lesson.notebook,
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--theme=light",
    ]
    cmd.extend(extra)
    return cmd, course_root()


def _serve(make, lesson, extra, *, dry_run):
    cmd, root = make(lesson, extra)
    if dry_run:
        print(" ".join(cmd))
        return 0
    what = "JupyterLab" if make is lab_command else "presentation mode (Voila)"
    print(f"Opening {get_lesson(lesson).notebook} in {what} (localhost only; Ctrl-C stops it)")
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


def _build_exercises(*, check):
    from .course.exercises import build_exercises

    changed = build_exercises(check=check)
    if check:
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
        f"Total: {result.score:g} of {result.max_score:g} points "
        f"(lesson {result.lesson}, status {result.status})"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
