"""Benchmark the CapstoneDashboard app: ``python benchmarks/bench_widgets_capstone.py [--quick]``.

Times control-to-figure latency: set a control's ``.value`` and wait until the app's
figure view holds the new image (in plain Python, observers run synchronously, so the
assignment returns once the changed simulation has rerun, the report is rebuilt and the PNG
is in the widget).  Each control cycles through values it has not visited before, with the
dashboard's caches cleared, so every move reruns its simulation; one case moves a lever back
and forth between values already seen (cached).  Each case reports the median over repeated
moves after a warm-up, against the course's 100 ms target for widgets.  It also times
building the app and one :func:`senge_course.models.capstone.assess` (all three simulations), for
reference.

Prints a table and writes ``benchmarks/results/widgets_capstone.json``; exits with status 1
if a case misses its target.  ``--quick`` runs a few repeats, as a smoke test.
"""

import sys

from _common import (
    CASE_HEADER,
    arguments,
    exit_status,
    median_seconds,
    ms_row,
    print_table,
    row,
    write_results,
)

from senge_course.models.capstone import assess
from senge_course.models.coupled import assess_coupled
from senge_course.models.knowledge import BALANCED
from senge_course.views.capstone import CACHE_SIZE, CapstoneDashboard


def _fresh(app, control, values, part=None, dashboard=None):
    """Move `control` through `values` in turn; clear the dashboard's cache of `part` first.

    With `dashboard`, `app` is its Assumptions view: alternate a claim's counterexample and the
    lesson's setting.
    """
    state = {"i": 0}

    def move():
        state["i"] += 1
        for name in (part,) if isinstance(part, str) else part or ():
            (dashboard or app)._runners[name].cache_clear()
        if dashboard is not None:
            if state["i"] % 2:
                app.show_counterexample("cycle.capstone-goals")
            else:
                app.show_default()
            return
        control.value = values[state["i"] % len(values)]

    return move


def main(argv=None):
    """Time every case, print the table, write the JSON; return 0 if all pass, else 1."""
    args, repeats = arguments(argv, __doc__, quick=5, full=30, what="timed moves per case")

    app = CapstoneDashboard()
    app.set_levers("all three")  # networkers on: the slowest diffusion (a network per run)
    app.controls["preset"].value = "commitment"
    app.controls["research"].value = 20
    app.controls["capacity building"].value = 20
    app.controls["integration"].value = 1.0
    draws = app.view.full_draws
    c = app.controls
    cases = (
        (
            "CapstoneDashboard: a leaders' lever (20 diffusion runs with networkers)",
            _fresh(app, c["networkers"], (2, 3, 4, 5), "leaders"),
            100.0,
        ),
        (
            "CapstoneDashboard: a leaders' lever, setting seen before (cached)",
            _fresh(app, c["pilot_teams"], (2, 3)),
            100.0,
        ),
        (
            "CapstoneDashboard: a regime lever other than control (capability-trap run)",
            _fresh(app, c["autonomy"], (0.6, 0.7, 0.8, 0.9), "regime"),
            100.0,
        ),
        (
            "CapstoneDashboard: control (coupled: the diffusion and the trap both rerun)",
            _fresh(app, c["control"], (0.1, 0.2, 0.3, 0.4), ("leaders", "regime")),
            100.0,
        ),
        (
            "CapstoneDashboard: a coupling switched on or off",
            _fresh(app, c["mandate_drains_climate"], (False, True)),
            100.0,
        ),
        (
            "CapstoneDashboard: a share (linked sliders; 10-year knowledge run and diagnosis)",
            _fresh(app, c["research"], (18, 20, 22, 24), "knowledge"),
            100.0,
        ),
        (
            "CapstoneDashboard: integration",
            _fresh(app, c["integration"], (0.8, 0.85, 0.9, 1.0), "knowledge"),
            100.0,
        ),
        (
            "CapstoneDashboard: Assumptions 'show where it fails' (a claim's setting)",
            _fresh(app.assumptions, None, None, "leaders", dashboard=app),
            100.0,
        ),
        (
            "assess(): all three simulations, 20 diffusion runs (reference)",
            lambda: assess("all three", "commitment", BALANCED, 1.0),
            150.0,
        ),
        (
            "assess_coupled(): the three models coupled (reference)",
            lambda: assess_coupled("all three", "commitment", BALANCED, 1.0),
            150.0,
        ),
        ("CapstoneDashboard(): build and first draw", CapstoneDashboard, 1500.0),
    )
    rows = []
    for name, run, target_ms in cases:
        n = max(3, repeats // 6) if "build" in name else repeats
        median_ms = 1000 * median_seconds(run, n, warmup=2)
        rows.append(ms_row(name, median_ms, target_ms, repeats=n))
    print(
        f"full figure draws during the control cases: {app.view.full_draws - draws} "
        "(only when the knowledge axis must grow)"
    )
    # the caches stay bounded: CACHE_SIZE results of each simulation at most
    for i in range(CACHE_SIZE + 5):
        c["control"].value = round(0.1 + 0.01 * (i % 80), 2)
    kept = app._runners["regime"].cache_info().currsize
    rows.append(
        row(
            "results kept in the regime cache",
            kept,
            f"<= {CACHE_SIZE}",
            kept <= CACHE_SIZE,
            unit="",
        )
    )
    print_table(rows, CASE_HEADER, digits=2, align=">")
    write_results("widgets_capstone", rows, output=args.output, quick=args.quick)
    return exit_status(rows)


if __name__ == "__main__":
    sys.exit(main())
