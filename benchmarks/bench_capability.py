"""Benchmark the capability-trap model and its integrator.

Run ``python benchmarks/bench_capability.py``: it times each case (median of
repeated runs after a warm-up), prints a table of name, median, target and
pass/fail, and writes the numbers to ``benchmarks/results/capability.json``.
It exits with status 1 if a case misses its target.

The target that matters to learners is the first: one 300-week run must take
at most 5 ms, so that a widget can rerun the model on every slider move (the
course's widgets must answer within 100 ms, drawing included).
"""

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

from senge_course.capability import (
    COMMAND,
    COMMITMENT,
    equilibrium,
    simulate,
    smallest_tipping_surge,
    steady_states,
)

RESULTS = Path(__file__).resolve().parent / "results" / "capability.json"

# name, function, target in milliseconds, share of --repeat to use (slow cases run fewer times)
CASES = (
    (
        "simulate(COMMAND), 300 weeks, dt=0.25, 20% surge",
        lambda: simulate(COMMAND, weeks=300, dt=0.25, target_change=0.2, surge_weeks=8),
        5.0,
        1.0,
    ),
    (
        "simulate(COMMITMENT), 300 weeks, dt=0.25, permanent 20%",
        lambda: simulate(COMMITMENT, weeks=300, dt=0.25, target_change=0.2),
        5.0,
        1.0,
    ),
    (
        "simulate(COMMAND, method='rk4'), 300 weeks, dt=0.25",
        lambda: simulate(COMMAND, weeks=300, dt=0.25, target_change=0.2, method="rk4"),
        20.0,
        0.2,
    ),
    ("equilibrium(COMMAND)", lambda: equilibrium(COMMAND), 1.0, 1.0),
    ("steady_states(COMMAND)", lambda: steady_states(COMMAND), 50.0, 0.2),
    (
        "smallest_tipping_surge(COMMAND), 8 weeks",
        lambda: smallest_tipping_surge(COMMAND),
        150.0,
        0.1,
    ),
)


def main(argv=None):
    """Time every case, print the table, write the JSON; return 0 if all pass, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="timed runs of the fast cases")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be a whole number >= 1, got --repeat={args.repeat}")

    results = []
    for name, run, target_ms, share in CASES:
        repeats = max(3, round(args.repeat * share))
        median_ms = _median_ms(run, repeats)
        results.append(
            {
                "name": name,
                "median_ms": round(median_ms, 3),
                "target_ms": target_ms,
                "passed": median_ms <= target_ms,
                "repeats": repeats,
            }
        )
    print(_table(results))
    report = {
        "benchmark": "capability",
        "python": platform.python_version(),
        "machine": platform.platform(),
        "passed": all(r["passed"] for r in results),
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0 if report["passed"] else 1


def _median_ms(run, repeats, warmup=3):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def _table(results):
    width = max(len(r["name"]) for r in results)
    lines = [f"{'case':<{width}}  {'median':>10}  {'target':>10}  result"]
    lines.append("-" * len(lines[0]))
    for r in results:
        lines.append(
            f"{r['name']:<{width}}  {r['median_ms']:>7.2f} ms  {r['target_ms']:>7.1f} ms  "
            f"{'pass' if r['passed'] else 'FAIL'}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
