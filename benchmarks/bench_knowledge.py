"""Benchmark the knowledge-cycle model and the integration planner: ``python benchmarks/bench_knowledge.py``.

Model cases time one call (median of repeated runs after a warm-up): the target that matters
is a 10-year projection (40 quarters) in at most 5 ms, so that the planner can rerun the model
on every control change.  Planner cases time a control change to a rendered figure at the
default size: set the control's ``.value`` and time until the app's `FigureView` holds the new
image (the observers run synchronously, so that is the time the assignment takes); each change
cycles through a few values, so every one is a real change; median, target <= 100 ms.  A
change whose figure did not update fails.

Prints a table (case, median, target, pass) and writes ``benchmarks/results/knowledge.json``.
``--quick`` runs fewer repeats, as a smoke test.  ``main`` returns 0 when every target is met,
else 1.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

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

WIDGET_TARGET_MS = 100.0


def _model_cases():
    """(name, function, target in ms, share of the repeats): the model and the plan file."""
    from senge_course.models.diagnosis import diagnose
    from senge_course.models.knowledge import (
        ALL_PRACTICE,
        BALANCED,
        Consultants,
        best_allocation,
        payoff_sweep,
        simulate,
    )
    from senge_course.models.plan import INITIATIVES, Plan

    plan = Plan(
        "Benchmark plan 🌱",
        allocation=BALANCED,
        integration=0.8,
        consultants=Consultants(0.5, stop_at=8),
        initiatives=list(INITIATIVES),
    )
    folder = Path(tempfile.mkdtemp())

    def round_trip():
        plan.save(folder / "plan.json")
        return Plan.load(folder / "plan.json")

    return [
        (
            "simulate: 10-year projection (40 quarters, dt=0.25)",
            lambda: simulate(BALANCED, 1.0),
            5.0,
            1.0,
        ),
        (
            "simulate: 10 years with consultants",
            lambda: simulate(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=8)),
            5.0,
            1.0,
        ),
        (
            "simulate: 10 years, dt=0.0625 (4x the steps)",
            lambda: simulate(BALANCED, 1.0, dt=0.0625),
            20.0,
            0.5,
        ),
        (
            "diagnose: balanced plan with consultants",
            lambda: diagnose(BALANCED, 0.3, consultants=Consultants(0.5, stop_at=8)),
            20.0,
            0.5,
        ),
        ("best_allocation: 231 plans over 10 years", lambda: best_allocation(40), 1000.0, 0.05),
        (
            "payoff_sweep: max_capability, 41 values and the edge",
            lambda: payoff_sweep("max_capability"),
            200.0,
            0.1,
        ),
        ("Plan: save and load (JSON, atomic)", round_trip, 20.0, 0.5),
        ("Plan: to_markdown (projection and diagnosis)", plan.to_markdown, 20.0, 0.5),
    ]


def _widget_cases():
    """(control, values to cycle through) on the planner's default plan.

    The horizon cycles through 8 values, more than the planner's cache of drawn axes
    (6), so every horizon change redraws the whole figure: the worst case.
    """
    return [
        ("research", (25, 20)),
        ("capacity building", (30, 20)),
        ("practice", (50, 60)),
        ("integration", (0.9, 0.25)),
        ("horizon", (3, 4, 5, 6, 7, 8, 9, 10)),
        ("consultants", (True, False)),
        ("max_capability", (1.5, 3.0)),  # the Assumptions section's constants
        ("practice_returns", (0.8, 0.6)),
    ]


def main(argv=None):
    """Time every case, print the table, write the JSON; return 0 if all pass, else 1."""
    args, repeat = arguments(argv, __doc__, quick=10, full=100, what="timed runs of the fast cases")

    rows = []
    for name, run, target, share in _model_cases():
        repeats = max(3, round(repeat * share))
        median = 1000 * median_seconds(run, repeats, warmup=3)
        rows.append(ms_row(name, median, target, repeats=repeats))

    from senge_course.models.plan import Plan
    from senge_course.views import IntegrationPlanner

    start = time.perf_counter()
    app = IntegrationPlanner()
    rows.append(ms_row("planner: build and first draw", 1000 * (time.perf_counter() - start), None))
    # a share or integration redraws the curves alone; new axis limits draw the whole figure
    draws = app.figure_view.full_draws
    app.controls["integration"].value = 0.3
    app.controls["research"].value = 25
    full = app.figure_view.full_draws - draws
    rows.append(row("planner: full draws for two moves", full, "0", full == 0, unit="draws"))
    app.controls["horizon"].value = 3
    full = app.figure_view.full_draws - draws
    rows.append(row("planner: full draws for a new horizon", full, "1", full == 1, unit="draws"))
    app.set_plan(Plan("My plan", allocation=(0.2, 0.2, 0.6), integration=0.25))
    changes = 6 if args.quick else 30
    for control, values in _widget_cases():
        rows.append(
            _control_row(
                app, f"planner: {control} -> figure", app.controls[control], values, changes
            )
        )
    app.controls["consultants"].value = True
    for control, values in (("spend", (1.0, 0.5)), ("stop at", (12, 8))):
        rows.append(
            _control_row(
                app,
                f"planner: consultants' {control} -> figure",
                app.controls[control],
                values,
                changes,
            )
        )
    app.controls["consultants"].value = False
    rows.append(_initiative_row(app, changes))
    rows.append(_claim_row(app, changes))

    print_table(rows, CASE_HEADER, digits=2, align=">")
    write_results("knowledge", rows, output=args.output, quick=args.quick)
    return exit_status(rows)


def _control_row(app, name, widget, values, changes):
    def move(i):
        value = values[i % len(values)]
        widget.value = values[(i + 1) % len(values)] if widget.value == value else value

    return _timed_row(app, name, move, changes)


def _initiative_row(app, changes):
    def add(_):
        app.add_initiative("learning-laboratory")
        return lambda: app.remove_initiative(0)  # undone after the timing

    return _timed_row(app, "planner: add an initiative -> figure", add, changes)


def _claim_row(app, changes):
    """The Assumptions view's buttons: a claim's counterexample, then the lesson's setting."""
    view = app.assumptions

    def press(i):
        view.show_counterexample("cycle.integration-pays") if i % 2 == 0 else view.show_default()

    name = "planner: Assumptions 'show where it fails' -> figure"
    return _timed_row(app, name, press, changes)


def _timed_row(app, name, change, changes):
    """Time `change(i)` to a rendered figure, `changes` times; it may return an undo, run after."""
    times, stale = [], 0
    for i in range(changes):
        renders = app.figure_view.renders
        start = time.perf_counter()
        undo = change(i)
        times.append(time.perf_counter() - start)
        stale += app.figure_view.renders == renders
        if undo is not None:
            undo()
    median = 1000 * statistics.median(times)
    row = ms_row(name, median, WIDGET_TARGET_MS, median <= WIDGET_TARGET_MS and stale == 0)
    row.update(max_ms=round(1000 * max(times), 3), changes=len(times), stale=stale)
    return row


if __name__ == "__main__":
    sys.exit(main())
