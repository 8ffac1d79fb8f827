"""The ``senge-course`` command.

``senge-course list``
    print the lessons (the manifest);
``senge-course lab [LESSON] [JUPYTERLAB ARGS...]``
    open JupyterLab on a lesson (lesson 00 by default), serving on localhost only;
``senge-course build-exercises [--check]``
    write ``exercises/`` from ``solutions/`` (``--check``: report drift, write nothing).

Mistakes (an unknown command or lesson) print one line and exit with status 2.
"""

import argparse
import os
import subprocess
import sys

from .lessons import LESSONS, get_lesson

__all__ = ["main"]

COMMANDS = ("list", "lab", "build-exercises")


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
    build = sub.add_parser("build-exercises", help="write exercises/ from solutions/")
    build.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if exercises/ is out of date"
    )
    return parser


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
    if argv and argv[0] == "lab":
        # Everything after `lab` goes to JupyterLab, except a leading lesson and --dry-run.
        rest = argv[1:]
        lesson = rest.pop(0) if rest and not rest[0].startswith("-") else "00"
        dry_run = "--dry-run" in rest
        rest = [a for a in rest if a != "--dry-run"]
        if any(a in ("-h", "--help") for a in rest):
            parser.parse_args(["lab", "--help"])
        try:
            return _lab(lesson, rest, dry_run=dry_run)
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


def _lab(lesson, extra, *, dry_run):
    cmd, root = lab_command(lesson, extra)
    if dry_run:
        print(" ".join(cmd))
        return 0
    print(f"Opening {get_lesson(lesson).notebook} in JupyterLab (localhost only; Ctrl-C stops it)")
    try:
        return subprocess.call(cmd, cwd=root)
    except KeyboardInterrupt:
        return 0


def _build_exercises(*, check):
    from .exercises import build_exercises

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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
