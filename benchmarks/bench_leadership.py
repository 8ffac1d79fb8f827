"""Benchmark the leadership model: ``python benchmarks/bench_leadership.py [--quick]``.

Measured (median of repeats, ``time.perf_counter``), on ``org.organisation()`` (3 executives,
6 teams of 8: 51 people) and on an organisation of 300 people in teams (3 executives, 30 teams
of 10: 303 people):

* one ``simulate`` of "all three" (what a widget runs when a lever moves; target <= 50 ms);
* a 50-run ``compare`` of the default scenarios (``SCENARIOS``, 6 of them; target <= 1 s) and
  of all eight ``COMBINATIONS``;
* the same at 303 people (target <= 3 s for the default scenarios).

It also records each scenario's final committed share (mean and 5-95% band over the runs) at
the default size, so the calibration can be read next to the speed.  Prints a table and writes
``benchmarks/results/leadership.json``.  ``--quick`` uses fewer repeats, as a smoke test.
``main`` returns 0 when every target is met, else 1.
"""

import argparse
import sys

from _common import exit_status, median_seconds, print_table, row, write_results

from senge_course.models import org
from senge_course.models.leadership import COMBINATIONS, SCENARIOS, compare, simulate

RUNS = 50


def main(argv=None):
    """Run the benchmark; return 0 if every target passes, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7
    rows = []

    def add(name, value, unit, target, passed):
        rows.append(row(name, value, target, passed, unit=unit))

    sizes = {
        "n=51": org.organisation(seed=1),
        "n=303": org.organisation(teams=30, team_size=10, seed=1),
    }
    targets = {"n=51": (0.05, 1.0), "n=303": (None, 3.0)}
    shares = {}
    for size, G in sizes.items():
        simulate_target, compare_target = targets[size]
        compare(G, runs=2, seed=0)  # warm up imports and caches
        t_sim = median_seconds(lambda G=G: simulate(G, "all three", seed=1), repeats)
        if simulate_target is None:
            add(f"simulate 'all three', {size}", t_sim, "s", "", None)
        else:
            label = f"<= {simulate_target * 1000:.0f} ms"
            add(f"simulate 'all three', {size}", t_sim, "s", label, t_sim <= simulate_target)
        t_cmp = median_seconds(lambda G=G: compare(G, runs=RUNS, seed=2), repeats)
        add(
            f"compare {len(SCENARIOS)} scenarios x {RUNS} runs, {size}",
            t_cmp,
            "s",
            f"<= {compare_target:g} s",
            t_cmp <= compare_target,
        )
        t_all = median_seconds(lambda G=G: compare(G, COMBINATIONS, runs=RUNS, seed=2), repeats)
        add(f"compare {len(COMBINATIONS)} combinations x {RUNS} runs, {size}", t_all, "s", "", None)
        if size == "n=51":
            result = compare(G, {**SCENARIOS, **COMBINATIONS}, runs=RUNS, seed=2)
            shares = {
                name: {
                    "final_committed_mean": float(s.committed_mean[-1]),
                    "final_committed_5": float(s.committed_low[-1]),
                    "final_committed_95": float(s.committed_high[-1]),
                    "peak_compliant_mean": float(s.compliant_mean.max()),
                }
                for name, s in result.scenarios.items()
            }

    print_table(rows)
    print(f"\nfinal committed share, {RUNS} runs, n=51 (mean, 5-95% band):")
    width = max(len(k) for k in shares)
    for name, s in shares.items():
        print(
            f"  {name.ljust(width)}  {s['final_committed_mean']:.2f}  "
            f"({s['final_committed_5']:.2f}-{s['final_committed_95']:.2f})"
        )
    write_results("leadership", rows, quick=args.quick, runs=RUNS, final_shares_n51=shares)
    return exit_status(rows)


if __name__ == "__main__":
    sys.exit(main())
