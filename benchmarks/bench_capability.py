"""Benchmark the capability-trap model and its integrator.

Run ``python benchmarks/bench_capability.py [--quick]``: it times each case
(median of repeated runs after a warm-up), prints a table of name, median,
target and pass/fail, and writes the numbers to
``benchmarks/results/capability.json``.  It exits with status 1 if a case
misses its target.  ``--quick`` runs fewer repeats, as a smoke test.

The target that matters to learners is the first: one 300-week run must take
at most 5 ms, so that a widget can rerun the model on every slider move (the
course's widgets must answer within 100 ms, drawing included).  The claims of
lessons 01 and 06 (`models.claims.trap`) are checked in the lessons' claims
tables and the app's Assumptions view: all of them, at the lesson's setting and
at the counterexample, must take at most 2 s.
"""

import sys

from _common import (
    CASE_HEADER,
    arguments,
    exit_status,
    median_seconds,
    ms_row,
    print_table,
    write_results,
)

from senge_course.models.capability import (
    COMMAND,
    COMMITMENT,
    equilibrium,
    simulate,
    smallest_tipping_surge,
    steady_states,
)
from senge_course.models.claims.trap import CLAIMS


def _every_claim():
    """Check every claim of lessons 01 and 06 where it holds and where it fails."""
    for claim in CLAIMS:
        claim.evaluate()
        if claim.counterexample is not None:
            claim.evaluate(**claim.counterexample)


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
    (
        "simulate(COMMITMENT, attribution=2), permanent 20%",
        lambda: simulate(COMMITMENT.replace(attribution=2.0), target_change=0.2),
        5.0,
        1.0,
    ),
    ("every trap claim, at its setting and counterexample", _every_claim, 2000.0, 0.05),
)


def main(argv=None):
    """Time every case, print the table, write the JSON; return 0 if all pass, else 1."""
    args, repeat = arguments(argv, __doc__, quick=10, full=100, what="timed runs of the fast cases")

    rows = []
    for name, run, target_ms, share in CASES:
        repeats = max(3, round(repeat * share))
        median_ms = 1000 * median_seconds(run, repeats, warmup=3)
        rows.append(ms_row(name, median_ms, target_ms, repeats=repeats))
    print_table(rows, CASE_HEADER, digits=2, align=">")
    write_results("capability", rows, output=args.output, quick=args.quick)
    return exit_status(rows)


if __name__ == "__main__":
    sys.exit(main())
