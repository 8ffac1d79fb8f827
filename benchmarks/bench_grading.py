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
* a rerun over the finished gradebook (every submission skipped).

Prints a table and writes ``benchmarks/results/grading.json``.  ``--quick`` grades 8
submissions and repeats less, as a smoke test.  ``main`` returns 0 when every target is met.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from _common import exit_status, median_seconds, print_table, row, write_results

from senge_course.grading import grade, grade_notebook
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
        help="only grade each lesson's solution once and report its time (issue 16, item 7)",
    )
    args = parser.parse_args(argv)
    if args.lessons:
        return _per_lesson()
    count = 8 if args.quick else 40
    repeats = 3 if args.quick else 7
    rows = []

    def add(name, value, unit, target="", passed=None):
        rows.append(row(name, value, target, passed, unit=unit))

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        folder = Path(tmp) / "submissions"
        paths = _make_submissions(folder, count)
        print(f"{count} submissions of lesson 00, {args.workers} workers", flush=True)

        _plain(paths[0])  # warm caches (imports, font cache) before timing
        start = time.perf_counter()
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
        add("overhead per submission (grader - plain)", overhead, "s", "<= 0.5 s", overhead <= 0.5)
        add("overhead ratio (grader / plain)", per_grade / per_plain, "x")

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


def _per_lesson():
    """Grade each lesson's solution once, alone: its time, and how much of it is the grader's.

    The grader's own cost is the notebook's graded time minus plain nbclient running it.
    """
    from senge_course.course.lessons import LESSONS

    rows = []
    for lesson in LESSONS:
        path = course_root() / lesson.solution
        _plain(path)  # warm: imports, font cache
        start = time.perf_counter()
        result = grade_notebook(path)
        graded = time.perf_counter() - start
        start = time.perf_counter()
        _plain(path)
        plain = time.perf_counter() - start
        ok = result.status == "ok" and result.score == result.max_score
        rows.append(
            row(f"lesson {lesson.number}: grade the solution", graded, "full marks", ok, unit="s")
        )
        rows.append(row(f"lesson {lesson.number}: plain nbclient", plain, "", None, unit="s"))
    print_table(rows, digits=1)
    write_results("grading_lessons", rows, quick=False)
    return exit_status(rows)


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
