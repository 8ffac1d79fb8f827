"""What every ``benchmarks/bench_NAME.py`` shares: the timer, the rows, the table and the JSON.

A benchmark times its cases with `median_seconds`, records each as a `row` (name, measured value
and unit, target label, pass), prints them with `print_table`, saves them with `write_results`
(``benchmarks/results/NAME.json``) and returns `exit_status` from ``main(argv)``.

The scripts import it as ``_common``: ``python benchmarks/bench_NAME.py`` puts ``benchmarks/`` on
``sys.path``, and ``benchmarks/run.py`` does so before loading them.
"""

import json
import platform
import statistics
import time
from pathlib import Path

__all__ = [
    "RESULTS",
    "arguments",
    "CASE_HEADER",
    "exit_status",
    "median_seconds",
    "ms_row",
    "print_table",
    "row",
    "write_results",
]

RESULTS = Path(__file__).resolve().parent / "results"
HEADER = ("measurement", "measured", "target", "pass")
# for ms_row tables: print_table(rows, CASE_HEADER, digits=2, align=">")
CASE_HEADER = ("case", "median", "target", "result")
VERDICTS = {True: "pass", False: "FAIL", None: "-"}


def arguments(argv, doc, *, quick, full, what="timed runs per case"):
    """Parse ``--quick``, ``--repeat`` and ``--output``; return ``(args, repeats)``.

    `repeats` is ``--repeat`` if given, else `quick` with ``--quick`` and `full` without.
    """
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats, as a smoke test")
    parser.add_argument("--repeat", type=int, default=None, help=what)
    parser.add_argument("--output", type=Path, default=None, help="where to write the JSON")
    args = parser.parse_args(argv)
    repeats = args.repeat if args.repeat is not None else (quick if args.quick else full)
    if repeats < 1:
        parser.error(f"--repeat must be a whole number >= 1, got --repeat={repeats}")
    return args, repeats


def median_seconds(fn, repeats, *, warmup=0):
    """Median wall time, in seconds, of `repeats` calls of `fn` after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name, measured, target, passed, *, unit="s", **extra):
    """One line of results: `measured` in `unit` against the `target` label ("" for none).

    `passed` is True, False or None (a reference measurement without a target); `extra` items
    (repeats, max, ...) are kept in the JSON.
    """
    return {
        "name": name,
        "value": measured,
        "unit": unit,
        "target": target,
        "passed": passed,
        **extra,
    }


def ms_row(name, median_ms, target_ms, passed=None, **extra):
    """A row for a median in milliseconds against the ceiling `target_ms` (None: no target).

    `passed` defaults to ``median_ms <= target_ms`` (None without a target).
    """
    if target_ms is None:
        return row(name, round(median_ms, 3), "", None, unit="ms", **extra)
    if passed is None:
        passed = median_ms <= target_ms
    return row(name, round(median_ms, 3), f"{target_ms:.1f} ms", passed, unit="ms", **extra)


def print_table(rows, header=HEADER, *, more=(), digits=1, align="<"):
    """Print `rows` as a table: name, measured value, the `more` keys, target and verdict.

    Times in seconds show in ms below one second (`digits` decimals, as do values in ms),
    "bool" values as yes/no, anything else to three significant digits with its unit.
    The `more` keys (such as "max") are shown in the row's unit, "-" where a row lacks them.
    ``align=">"`` right-aligns the measured and target columns.
    """
    lines = [
        (
            r["name"],
            _shown(r["value"], r["unit"], digits),
            *(_shown(r[key], r["unit"], digits) if key in r else "-" for key in more),
            r["target"] or "-",
            VERDICTS[r["passed"]],
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    for line in [header, tuple("-" * w for w in widths), *lines]:
        middle = [
            cell.rjust(w) if align == ">" else cell.ljust(w)
            for cell, w in zip(line[1:-1], widths[1:-1], strict=True)
        ]
        print("  ".join([line[0].ljust(widths[0]), *middle, line[-1]]).rstrip())


def write_results(name, rows, *, output=None, **extra):
    """Write `rows` and `extra` items to `output` (default ``results/NAME.json``); return the path."""
    path = RESULTS / f"{name}.json" if output is None else Path(output)
    report = {
        "benchmark": name,
        **extra,
        "python": platform.python_version(),
        "machine": platform.platform(),
        "passed": exit_status(rows) == 0,
        "rows": rows,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results written to {path}")
    return path


def exit_status(rows):
    """0 when no row failed its target (rows without a target do not count), else 1."""
    return 0 if all(r["passed"] is not False for r in rows) else 1


def _shown(value, unit, digits):
    if unit == "s":
        return f"{value * 1000:.{digits}f} ms" if abs(value) < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.{digits}f} ms"
    if unit == "bool":
        return "yes" if value else "no"
    return f"{value:.3g} {unit}"
