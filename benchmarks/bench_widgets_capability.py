"""Benchmark the ScenarioComparer app: ``python benchmarks/bench_widgets_capability.py [--quick]``.

Times control-to-figure latency: set a control's ``.value`` and wait until the app's
figure view holds the new image (in plain Python, observers run synchronously, so the
assignment returns once the model has rerun, the lines are updated and the PNG is in the
widget).  Each case reports the median over repeated moves after a warm-up, against the
course's 100 ms target for widgets.  It also times building the app (a full figure draw)
and one 300-week model run, for reference, and the Assumptions view: applying a claim's setting
is a control change (100 ms); showing where a claim fails also runs the claim's check, which for
the tipping-edge claims is a bisection over many runs (500 ms).

Prints a table and writes ``benchmarks/results/widgets_capability.json``; exits with
status 1 if a case misses its target.  ``--quick`` runs a few repeats, as a smoke test.
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

from senge_course.models.capability import COMMAND, simulate
from senge_course.views.scenarios import ScenarioComparer


def _claims(app, keys):
    """Show, in turn, where each claim in `keys` fails (the Assumptions view's buttons)."""
    state = {"i": 0}

    def show():
        state["i"] += 1
        app.assumptions.show_counterexample(keys[state["i"] % len(keys)])

    return show


def _lever(app):
    return _cycle(app.controls["A"]["control"], (0.75, 0.7, 0.65, 0.6, 0.8), app)


def _cycle(control, values, app):
    """Move `control` through `values` in turn; count the moves that left the image unchanged."""
    state = {"i": 0}

    def move():
        state["i"] += 1
        before = app.view.renders
        control.value = values[state["i"] % len(values)]
        STALE[0] += app.view.renders == before

    return move


def _cycle_settings(app, settings):
    """Apply `settings` in turn, as the Assumptions view does."""
    state = {"i": 0}

    def move():
        state["i"] += 1
        app.apply(settings[state["i"] % len(settings)])

    return move


#: Moves that rendered no new image (each must render one).
STALE = [0]


def main(argv=None):
    """Time every case, print the table, write the JSON; return 0 if all pass, else 1."""
    args, repeats = arguments(argv, __doc__, quick=5, full=40, what="timed moves per case")

    app = ScenarioComparer(predict=False)
    kept = ScenarioComparer(predict=False)
    claims = ScenarioComparer(predict=False)
    settings = [{}, {"pressure_drain": 0.0}, {"commitment_work_harder": 4.0, "permanent": True}]
    apply = _cycle_settings(claims, settings)
    slowest = ["trap.reflex-sturdier", "trap.edge-about-15"]
    for name in ("kept 1", "kept 2", "kept 3"):
        kept.keep(name)
    cases = (
        ("ScenarioComparer: lever slider (reruns 1 scenario, redraws)", _lever(app), 100.0),
        (
            "ScenarioComparer: target-change slider (reruns 2 scenarios)",
            _cycle(app.controls["target_change"], (14, 15, 16, 20), app),
            100.0,
        ),
        (
            "ScenarioComparer: week readout slider (no rerun)",
            _cycle(app.controls["week"], (30, 40, 52, 60), app),
            100.0,
        ),
        (
            "ScenarioComparer with 3 kept scenarios: lever slider",
            _lever(kept),
            100.0,
        ),
        ("Assumptions: apply a claim's setting (reruns 2 scenarios)", apply, 100.0),
        (
            "Assumptions: show where an edge claim fails (with its check)",
            _claims(claims, slowest),
            500.0,
        ),
        (
            "simulate(COMMAND), 300 weeks (reference)",
            lambda: simulate(COMMAND, target_change=0.2, surge_weeks=8),
            5.0,
        ),
        (
            "ScenarioComparer(): build and first draw",
            lambda: ScenarioComparer(predict=False),
            1500.0,
        ),
    )
    rows = []
    for name, run, target_ms in cases:
        n = max(3, repeats // 8) if "build" in name else repeats
        median_ms = 1000 * median_seconds(run, n, warmup=2)
        rows.append(ms_row(name, median_ms, target_ms, repeats=n))
    # a slider move redraws only the lines (blitting), never the whole figure, and always
    # renders a new image
    full = app.view.full_draws - 1  # the first draw, when the app was built
    rows.append(
        row("full figure draws during the slider cases", full, "0", full == 0, unit="draws")
    )
    rows.append(
        row("slider moves that rendered no image", STALE[0], "0", STALE[0] == 0, unit="moves")
    )
    print_table(rows, CASE_HEADER, digits=2, align=">")
    write_results("widgets_capability", rows, output=args.output, quick=args.quick)
    return exit_status(rows)


if __name__ == "__main__":
    sys.exit(main())
