"""Benchmark the grader: ``python benchmarks/bench_grading.py [--quick] [--workers N]``.

Forty submissions of lesson 00's exercise (variants made from the solution: right, partly
right, untouched, a failing cell) are graded with ``senge_course.grading.grade`` on two workers,
and compared with plain nbclient executing the same notebooks (fresh kernel each, the same two
threads), which is the floor any notebook grader stands on.  Measured:

* the grading run: wall time, time per submission (wall / count), and the median of each
  submission's own time (``Result.seconds``: kernel start, cells, collection, judging);
* plain nbclient on the same notebooks, the same way: wall time and time per notebook;
* the overhead per submission (grader minus plain nbclient), and one notebook alone, graded
  and executed plainly (median of repeats), to see it without contention;
* a rerun over the finished gradebook (every submission skipped);
* the grader's own cost per submission, measured directly (issue 16, item 7: under 0.1 s):
  the grader's work outside the kernel (reading and checking the file, the answer key, the
  temporary folder, judging: ``Result.seconds`` minus the kernel's run, timed around
  ``run_notebook``), writing the gradebook, reflections and class file after each result, and
  the collection cell inside the kernel (timed by nbclient on the solution).  The subtraction
  above (grader minus plain nbclient) is shown too, but two kernels' start-up noise (0.1-0.3 s)
  swamps a 0.1 s difference; the direct timing does not.

``--lessons`` grades each lesson's solution alone (``--repeat`` times, default 3; the medians):
its time, plain nbclient's time for the same notebook (target: under 10 s each), the grader's
own cost (as above) and the answer key's (made once per grading run).  ``--debrief`` grades a
class of 40 of ``--lesson`` (default 05: designs to replay; solution, partly right, wrong
choices, blank) and times ``build_debrief(..., html=True)`` (target: under 60 s).

Prints a table and writes ``benchmarks/results/grading.json`` (``grading_lessons.json``,
``grading_debrief.json``).  ``--quick`` grades 8 submissions and repeats less, as a smoke test.
``main`` returns 0 when every target is met.
"""

import argparse
import contextlib
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from _common import exit_status, median_seconds, print_table, row, write_results

from senge_course.course.exercises import exercise_source
from senge_course.grading import grade, grade_notebook
from senge_course.grading import run as grading_run
from senge_course.paths import course_root

SOLUTION = course_root() / "solutions" / "00_start_here.ipynb"
EXERCISE = course_root() / "exercises" / "00_start_here.ipynb"


def main(argv=None):
    """Run the benchmark; return 0 if every target passes, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 submissions, fewer repeats")
    parser.add_argument("--workers", type=int, default=2, help="parallel workers (default 2)")
    parser.add_argument(
        "--lessons",
        action="store_true",
        help="grade each lesson's solution alone and report its time (issue 16, item 7)",
    )
    parser.add_argument(
        "--debrief",
        action="store_true",
        help="grade a class of 40 and time its debrief with HTML (issue 16, item 2)",
    )
    parser.add_argument(
        "--lesson",
        default=None,
        help="the lesson of --debrief (default 05), or the only one of --lessons",
    )
    parser.add_argument("--repeat", type=int, default=None, help="timed runs (default 3)")
    args = parser.parse_args(argv)
    repeats = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    if repeats < 1:
        parser.error(f"--repeat must be a whole number >= 1, got --repeat={repeats}")
    if args.lessons:
        return _per_lesson(repeats, args.lesson)
    if args.debrief:
        return _debrief(args.lesson or "05", 8 if args.quick else 40, args.workers, repeats)
    count = 8 if args.quick else 40
    repeats = args.repeat or (3 if args.quick else 7)
    rows = []

    def add(name, value, unit, target="", passed=None):
        rows.append(row(name, value, target, passed, unit=unit))

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        folder = Path(tmp) / "submissions"
        paths = _make_submissions(folder, count)
        print(f"{count} submissions of lesson 00, {args.workers} workers", flush=True)

        _plain(paths[0])  # warm caches (imports, font cache) before timing
        start = time.perf_counter()
        with _Phases() as phases:
            run = grade(folder, Path(tmp) / "gradebook.csv", workers=args.workers, progress=False)
        t_grade = time.perf_counter() - start
        statuses = run.counts()
        own = statistics.median(r.seconds for r in run.results)

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            list(pool.map(_plain, paths))
        t_plain = time.perf_counter() - start

        per_grade, per_plain = t_grade / count, t_plain / count
        add(f"grade {count} submissions, {args.workers} workers (wall)", t_grade, "s")
        add("  per submission (wall / count)", per_grade, "s", "<= 2.0 s", per_grade <= 2.0)
        add("  median of each submission's own time", own, "s")
        add(f"plain nbclient, same {count} notebooks, {args.workers} threads (wall)", t_plain, "s")
        add("  per notebook (wall / count)", per_plain, "s")
        overhead = per_grade - per_plain
        add("overhead per submission (grader - plain; noisy)", overhead, "s")
        add("overhead ratio (grader / plain)", per_grade / per_plain, "x")
        rows.extend(_grader_cost(phases, run.results, SOLUTION, "00", repeats))

        one = paths[0]
        t_one = median_seconds(lambda: grade_notebook(one), repeats)
        t_one_plain = median_seconds(lambda: _plain(one), repeats)
        add("one notebook alone: grade_notebook", t_one, "s")
        add("one notebook alone: plain nbclient", t_one_plain, "s")
        add("one notebook alone: overhead", t_one - t_one_plain, "s")

        start = time.perf_counter()
        again = grade(folder, Path(tmp) / "gradebook.csv", workers=args.workers, progress=False)
        t_rerun = time.perf_counter() - start
        skipped_all = len(again.skipped) == count and not again.results
        add(f"rerun, all {count} finished (skipped)", t_rerun, "s", "<= 1.0 s", t_rerun <= 1.0)
        add(
            "statuses as expected (all ok)",
            float(statuses == {"ok": count}),
            "bool",
            "yes",
            statuses == {"ok": count} and skipped_all,
        )

    print_table(rows, digits=0)
    write_results(
        "grading",
        rows,
        quick=args.quick,
        submissions=count,
        workers=args.workers,
        statuses=statuses,
    )
    return exit_status(rows)


def _per_lesson(repeats, only=None):
    """Grade each lesson's solution alone (or lesson `only`), `repeats` times (at least twice):
    its time, plain nbclient's, and the grader's own cost (outside the kernel, answer key
    apart, plus the collection cell): the first time (the notebook's answers new to this
    process), and again (answers seen before: judged once per process); then judging answers
    that are all new (`_new_answers_seconds`) added to the second, or the first if more: the
    cost of a submission whose every answer is new."""
    from senge_course.course.lessons import LESSONS, get_lesson

    rows = []
    for lesson in LESSONS if only is None else [get_lesson(only)]:
        number, path = lesson.number, course_root() / lesson.solution
        key = _answer_key_seconds(number)  # the first in this process: nothing cached yet
        _plain(path)  # warm: imports, font cache
        graded, plain, outside, ok = [], [], [], True
        for _ in range(max(2, repeats)):
            with _Phases() as phases:
                start = time.perf_counter()
                result = grade_notebook(path)
                graded.append(time.perf_counter() - start)
            ok = ok and result.status == "ok" and result.score == result.max_score
            outside.append(result.seconds - phases.kernel[result.student] - phases.key)
            start = time.perf_counter()
            _plain(path)
            plain.append(time.perf_counter() - start)
        collector = _collector_seconds(path, number)
        first, seen = outside[0] + collector, statistics.median(outside[1:]) + collector
        fresh, slowest = _new_answers_seconds(number)
        new = max(first, seen + fresh)  # the solution's own answers were new the first time
        print(f"lesson {number}: the slowest new answers to judge: {slowest or 'none'}", flush=True)
        t_graded, t_plain = statistics.median(graded), statistics.median(plain)
        name = f"lesson {number}:"
        rows += [
            row(f"{name} grade the solution", t_graded, "full marks", ok, unit="s"),
            row(f"{name} plain nbclient", t_plain, "<= 10 s", t_plain <= 10, unit="s"),
            row(f"{name} answer key (once per run)", key, "", None, unit="s"),
            row(f"{name} own cost, the solution first", first, "", None, unit="s"),
            row(f"{name} own cost, answers seen before", seen, "", None, unit="s"),
            row(f"{name} judging new answers", fresh, "", None, unit="s", note=slowest),
            row(f"{name} own cost, all answers new", new, "<= 0.1 s", new <= 0.1, unit="s"),
        ]
    print(f"medians of {max(2, repeats)} runs; the grader's own cost: outside the kernel")
    print("(answer key apart) plus the collection cell; judging new answers: per question,")
    print(f"the median of {NEW_ANSWERS} new answers, summed; all answers new: that added to")
    print("answers seen before, or the solution first if more")
    print_table(rows, digits=0)
    name = "grading_lessons" if only is None else f"grading_lesson_{get_lesson(only).number}"
    write_results(name, rows, quick=False, repeats=repeats)
    return exit_status(rows)


def _debrief(lesson, count, workers, repeats):
    """Grade a class of `count` notebooks of `lesson`, then time its debrief (with HTML)."""
    from senge_course.course.debrief import build_debrief
    from senge_course.course.lessons import get_lesson

    lesson = get_lesson(lesson)
    solution = course_root() / lesson.solution
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-debrief-") as tmp:
        folder, out = Path(tmp) / "submissions", Path(tmp) / "graded" / "gradebook.csv"
        _class_of(folder, lesson, count)
        print(f"{count} submissions of lesson {lesson.number}, {workers} workers", flush=True)
        _plain(solution)  # warm
        start = time.perf_counter()
        with _Phases() as phases:
            run = grade(folder, out, workers=workers, progress=False)
        t_grade = time.perf_counter() - start
        rows.append(row(f"grade {count} submissions (wall)", t_grade, "", None, unit="s"))
        rows.extend(_grader_cost(phases, run.results, solution, lesson.number, repeats))
        times = []
        for i in range(repeats):
            start = time.perf_counter()
            paths = build_debrief(out.parent, Path(tmp) / f"debrief{i}", html=True)
            times.append(time.perf_counter() - start)
        t_debrief = statistics.median(times)
        rows.append(
            row(
                f"build_debrief, html=True (median of {repeats})",
                t_debrief,
                "<= 60 s",
                t_debrief <= 60 and len(paths) == 2,
                unit="s",
                max=max(times),
            )
        )
        statuses = run.counts()
    print_table(rows, ("measurement", "measured", "max", "target", "pass"), more=("max",), digits=0)
    write_results(
        "grading_debrief",
        rows,
        lesson=lesson.number,
        submissions=count,
        workers=workers,
        repeats=repeats,
        statuses=statuses,
    )
    return exit_status(rows)


def _grader_cost(phases, results, solution, lesson, repeats):
    """Rows: the grader's own cost per submission of a class, measured directly."""
    outside = [  # the answer key included (in the first submissions)
        r.seconds - phases.kernel[r.student] for r in results if r.student in phases.kernel
    ]
    median, most = statistics.median(outside), max(outside)
    saves = phases.save / max(1, phases.saves)
    collector = statistics.median(_collector_seconds(solution, lesson) for _ in range(repeats))
    mean = statistics.fmean(outside) + saves + collector
    return [
        row("grader outside the kernel, per submission (median)", median, "", None, max=most),
        row("  answer key (made once per run, in the mean below)", phases.key, "", None),
        row("  gradebook, reflections and class file, per result", saves, "", None),
        row(f"  collection cell in the kernel (median of {repeats})", collector, "", None),
        row("grader's own cost per submission (mean)", mean, "<= 0.1 s", mean <= 0.1),
    ]


class _Phases(contextlib.AbstractContextManager):
    """Time the grader's phases by wrapping the functions `senge_course.grading.run` calls: the
    kernel's run (`run_notebook`, per notebook file name), the answer key (`make_key`) and the
    files written after each result (gradebook, reflections, class file)."""

    NAMES = ("run_notebook", "make_key", "write_gradebook", "write_reflections", "write_class")

    def __init__(self):
        self.kernel, self.key, self.save, self.saves = {}, 0.0, 0.0, 0
        self._lock, self._saved = threading.Lock(), {}

    def __enter__(self):
        self._saved = {name: getattr(grading_run, name) for name in self.NAMES}
        for name, fn in self._saved.items():
            setattr(grading_run, name, getattr(self, f"_{name}")(fn))
        return self

    def __exit__(self, *exc):
        for name, fn in self._saved.items():
            setattr(grading_run, name, fn)
        return False

    def _run_notebook(self, fn):
        def timed(nb, workdir, **kwargs):
            (copy,) = Path(workdir).glob("*.ipynb")
            start = time.perf_counter()
            try:
                return fn(nb, workdir, **kwargs)
            finally:
                with self._lock:
                    self.kernel[copy.stem] = time.perf_counter() - start

        return timed

    def _make_key(self, fn):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self.key += time.perf_counter() - start

        return timed

    def _write(self, fn, counts=False):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.save += time.perf_counter() - start  # save() holds the grader's lock
                self.saves += counts

        return timed

    def _write_gradebook(self, fn):
        return self._write(fn, counts=True)

    def _write_reflections(self, fn):
        return self._write(fn)

    def _write_class(self, fn):
        return self._write(fn)


def _answer_key_seconds(lesson):
    """Seconds to make `lesson`'s answer key (settled exercise, its solutions judged once,
    collector spec), as a grading run does once."""
    start = time.perf_counter()
    grading_run.make_key(lesson)
    return time.perf_counter() - start


#: New answers judged per question by `_new_answers_seconds`.
NEW_ANSWERS = 8


def _new_answers_seconds(lesson, count=NEW_ANSWERS, seed=1):
    """Judging a submission whose every answer is new: for each question whose solution is a
    literal, `count` new answers near it (`_new_answer`), each judged once (nothing cached:
    no answer repeats one judged before); the sum over questions of each one's median, and the
    slowest question in words."""
    import random

    rng = random.Random(seed)
    key = grading_run.make_key(lesson)  # the solutions judged, as a grading run does
    total, slowest = 0.0, (0.0, "")
    for question in key.exercise.questions:
        solution = _literal(question)
        if solution is None:
            continue
        seen, times = {repr(solution)}, []
        for _ in range(count * 20):
            answer = _new_answer(question, solution, rng)
            if repr(answer) in seen:
                continue
            seen.add(repr(answer))
            start = time.perf_counter()
            question.assess(answer)
            times.append(time.perf_counter() - start)
            if len(times) == count:
                break
        if not times:  # a choice or a label: nothing new to give
            continue
        median = statistics.median(times)
        total += median
        slowest = max(slowest, (median, f"{question.name} {median * 1000:.0f} ms"))
    return total, slowest[1]


def _literal(question):
    import ast
    import textwrap

    try:
        (line,) = ast.parse(textwrap.dedent(question.solution)).body
        return ast.literal_eval(line.value)
    except (SyntaxError, ValueError, TypeError, AttributeError):
        return None


def _new_answer(question, solution, rng):
    """An answer a learner might give instead of `solution`: designs redrawn within the
    question's limits, numbers moved a little (shares kept in [0, 1]), choices kept."""
    kind = type(question).__name__
    if kind in ("LeversChallenge", "CapstoneGoals"):
        levers = {
            "pilot_teams": rng.randint(0, 3),
            "mentoring": rng.choice((0.0, 0.25, 0.5, 0.75, 1.0)),
            "networkers": rng.randint(0, 6),
            "teams_spanned": rng.randint(1, 3),
        }
        return levers if kind == "LeversChallenge" else {**solution, "levers": levers}
    if kind == "StartDesign":
        return {"start": rng.choice(("pilot group", "scattered")), "size": rng.randint(2, 25)}
    return _moved(solution, rng)


def _moved(value, rng):
    if isinstance(value, bool) or not isinstance(value, (int, float, dict, list, tuple)):
        return value
    if isinstance(value, int):
        return max(0, value + rng.choice((-1, 1)))
    if isinstance(value, float):
        moved = round(value * rng.uniform(0.85, 1.15), 3)
        return min(moved, 1.0) if 0 <= value <= 1 else moved
    if isinstance(value, dict):
        return {k: _moved(v, rng) for k, v in value.items()}
    return type(value)(_moved(v, rng) for v in value)


def _collector_seconds(path, lesson):
    """Seconds the grader's collection cell takes in the kernel after the notebook at `path`
    (nbclient's cell timing: from the cell's start to the kernel's reply)."""
    from datetime import datetime

    from nbclient import NotebookClient

    from senge_course.course.questions import get_exercise
    from senge_course.grading.collect import collector_source, collector_spec

    nb = nbformat.read(path, as_version=4)
    spec = collector_spec(get_exercise(lesson).settled().questions)
    nb.cells.append(nbformat.v4.new_code_cell(collector_source(spec, secrets.token_hex(8))))
    client = NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3")
    client.execute(cwd=str(path.parent), stderr=subprocess.DEVNULL)
    timing = nb.cells[-1].metadata["execution"]
    start, end = (
        datetime.fromisoformat(timing[k]) for k in ("iopub.execute_input", "shell.execute_reply")
    )
    return (end - start).total_seconds()


def _class_of(folder, lesson, count):
    """`count` notebooks of `lesson`, cycling: the solution, partly right (every other answer
    cell as the exercise has it), wrong choices (each multiple-choice answer a wrong option),
    and the blank exercise."""
    import re

    from senge_course.course.checks import Choice
    from senge_course.course.questions import get_exercise

    folder.mkdir(parents=True)
    solution = course_root() / lesson.solution
    exercise = course_root() / lesson.exercise
    choices = [
        q
        for q in get_exercise(lesson.number).questions
        if isinstance(q, Choice) and q.answer in q.options and len(q.options) > 1
    ]
    for i in range(count):
        kind = i % 4
        nb = nbformat.read(exercise if kind == 3 else solution, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code" and "SOLUTION" in c.source]
        if kind == 1:
            for cell in code[1::2]:
                cell.source = exercise_source(cell.source)
        if kind == 2:
            for q in choices:
                wrong = next(k for k in q.options if k != q.answer)
                line = re.compile(rf"^{re.escape(q.name)}\s*=.*$", re.M)
                for cell in nb.cells:
                    if cell.cell_type == "code":
                        cell.source = line.sub(f"{q.name} = {wrong!r}", cell.source)
        nbformat.write(nb, folder / f"student{i:02d}.ipynb")


def _make_submissions(folder, count):
    """`count` notebooks cycling through four kinds of answer (all run to the end)."""
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        kind = i % 4
        nb = nbformat.read(EXERCISE if kind == 2 else SOLUTION, as_version=4)
        for cell in nb.cells:
            if kind == 1 and cell.source.startswith("answer_q3"):
                cell.source = "answer_q3 = 0.3"
            if kind == 3 and cell.source.startswith("answer_q1"):
                cell.source = "answer_q1 = undefined_name  # raises NameError"
        path = folder / f"student{i:02d}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def _plain(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3").execute(
        cwd=str(path.parent), stderr=subprocess.DEVNULL
    )


if __name__ == "__main__":
    sys.exit(main())
