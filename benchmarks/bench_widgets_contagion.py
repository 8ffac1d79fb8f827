"""Benchmark the contagion widgets (lessons 02 and 03): ``python benchmarks/bench_widgets_contagion.py``.

For each app at its default size (`RiotExplorer`, `ThresholdExplorer`, `CascadeExplorer`,
`PilotExplorer`) and each of its controls, the latency from a control change to a rendered figure:
set the control's ``.value`` and time until the app's `FigureView` holds the new image (the
observers run synchronously, so that is the time the assignment takes).  Every change is to a
value not visited before, so caches of simulated batches do not help; for `CascadeExplorer`'s
mean degree this includes building a new 2000-person network.  Median over the changes
(``time.perf_counter``); target <= 100 ms each.  A change whose figure did not update fails.

Then how often each app redraws its whole figure rather than blitting the data (moves that keep
the axes must not redraw everything; a new crowd size or a far-out spread redraws once; networks
and organisations are built only for new settings), and `BlitFigureView` itself (one background
for three renders).

Prints a table and writes ``benchmarks/results/widgets_contagion.json``.  ``--quick`` makes fewer
changes per control, as a smoke test.  ``main`` returns 0 when every target is met, else 1.
"""

import argparse
import statistics
import sys
import time

from _common import exit_status, print_table, row, write_results

TARGET = 0.100  # seconds, median latency per control


def _cases(quick):
    """(app name, factory, control, values[, start]): each value differs from the one before."""
    from senge_course.views import CascadeExplorer, PilotExplorer, RiotExplorer, ThresholdExplorer

    k = 4 if quick else 12

    def alternate(a, b, count):
        return [a if i % 2 == 0 else b for i in range(count)]

    return [
        ("RiotExplorer", RiotExplorer, "threshold", [2 + (i % 40) for i in range(k)]),
        ("RiotExplorer", RiotExplorer, "person", [3 + 5 * i for i in range(k)]),
        ("RiotExplorer", RiotExplorer, "n", alternate(150, 100, k)),
        ("ThresholdExplorer", ThresholdExplorer, "sd", [10.3 + 0.4 * i for i in range(k)]),
        ("ThresholdExplorer", ThresholdExplorer, "mean", [20.5 + 1.5 * i for i in range(k)]),
        ("ThresholdExplorer", ThresholdExplorer, "n", [110 + 40 * i for i in range(k)]),
        ("ThresholdExplorer", ThresholdExplorer, "shift", [-6.3 + 0.9 * i for i in range(k)]),
        ("CascadeExplorer", CascadeExplorer, "z", [round(1.1 + 0.9 * i, 1) for i in range(k)]),
        ("CascadeExplorer", CascadeExplorer, "phi", [round(0.06 + 0.02 * i, 2) for i in range(k)]),
        ("CascadeExplorer", CascadeExplorer, "start", _starts(k)),
        ("CascadeExplorer", CascadeExplorer, "size", [3 + 3 * i for i in range(k)], "pilot group"),
        ("PilotExplorer", PilotExplorer, "phi", [round(0.12 + 0.03 * i, 2) for i in range(k)]),
        ("PilotExplorer", PilotExplorer, "size", [2 + (i % 9) for i in range(k)]),
        ("PilotExplorer", PilotExplorer, "outside_ties", [0.5 * (i % 7) for i in range(k)]),
        ("PilotExplorer", PilotExplorer, "start", _starts(k)),
    ]


def _starts(count):
    order = ["pilot group", "scattered", "lone champion"]
    return [order[i % 3] for i in range(count)]


def main(argv=None):
    """Run the benchmark; return 0 if every target passes, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer changes per control")
    args = parser.parse_args(argv)
    rows = []
    apps = {}
    for name, factory, control, values, *start_with in _cases(args.quick):
        if name not in apps:
            start = time.perf_counter()
            apps[name] = factory()
            rows.append(_row(f"{name}: build and first draw", time.perf_counter() - start, None))
        app = apps[name]
        if start_with:  # e.g. the group size only matters for a pilot group
            app.controls["start"].value = start_with[0]
        times, stale = [], 0
        for value in values:
            renders = app.figure_view.renders
            widget = app.controls[control]
            if widget.value == value:  # not a change: skip
                continue
            start = time.perf_counter()
            widget.value = value
            times.append(time.perf_counter() - start)
            stale += app.figure_view.renders == renders  # the figure was not redrawn
        median = statistics.median(times)
        passed = median <= TARGET and stale == 0
        rows.append(
            _row(
                f"{name}: {control}",
                median,
                passed,
                max=max(times),
                changes=len(times),
                stale=stale,
            )
        )
        if name == "RiotExplorer" and control == "n":
            app.controls["n"].value = 100  # back to the default size for the next rows
    rows.extend(_redraw_rows())
    print_table(
        rows, ("control change -> figure", "median", "max", "target", "pass"), more=("max",)
    )
    write_results("widgets_contagion", rows, quick=args.quick, target_seconds=TARGET)
    return exit_status(rows)


def _full_draws(app, moves):
    """Full redraws of `app`'s figure while making `moves` ((control, value), ...)."""
    before = app.figure_view.full_draws
    for name, value in moves:
        app.controls[name].value = value
    return app.figure_view.full_draws - before


def _redraw_rows():
    """Rows counting full redraws (and networks built) against what each move needs."""
    from senge_course.views import CascadeExplorer, PilotExplorer, RiotExplorer, ThresholdExplorer
    from senge_course.views._blit import BlitFigureView

    riot, crowd = RiotExplorer(), ThresholdExplorer()
    cascade, pilot = CascadeExplorer(), PilotExplorer()
    net, (G, _) = cascade.network(), pilot.organisation()
    checks = [
        (
            "RiotExplorer: threshold moves",
            _full_draws(riot, [("threshold", v) for v in (2, 3, 1)]),
            0,
        ),
        ("RiotExplorer: a new crowd size", _full_draws(riot, [("n", 150)]), 1),
        (
            "ThresholdExplorer: sd, mean, n, shift moves",
            _full_draws(crowd, [("sd", 12), ("mean", 30), ("n", 500), ("shift", -3)]),
            0,
        ),
        ("ThresholdExplorer: a far-out spread", _full_draws(crowd, [("sd", 30)]), 1),
        (
            "CascadeExplorer: phi, start, size moves",
            _full_draws(
                cascade, [("phi", 0.1), ("start", "pilot group"), ("size", 20), ("phi", 0.3)]
            ),
            0,
        ),
        ("CascadeExplorer: networks rebuilt for them", int(cascade.network() is not net), 0),
        (
            "PilotExplorer: every control and another run",
            _full_draws(
                pilot, [("phi", 0.2), ("size", 6), ("start", "scattered"), ("outside_ties", 2.0)]
            ),
            0,
        ),
        (
            "PilotExplorer: organisations rebuilt for the first",
            int(pilot.organisation(1.0)[0] is not G),
            0,
        ),
    ]
    pilot.controls["another"].click()
    checks.append(("PilotExplorer: another run", pilot.figure_view.full_draws - 1, 0))
    view = BlitFigureView(3, 2)
    (line,) = view.figure.add_subplot().plot([0, 1], [0, 1])
    view.animate(line)
    for y in ([0, 1], [1, 0], [0.5, 0.5]):
        line.set_ydata(y)
        view.render(f"line {y}")
    checks.append(("BlitFigureView: three renders", view.full_draws, 1))
    return [row(name, n, f"{want}", n == want, unit="draws") for name, n, want in checks]


def _row(name, seconds, passed, **extra):
    target = "" if passed is None else f"<= {TARGET * 1000:.0f} ms"
    return row(name, seconds, target, passed, **extra)


if __name__ == "__main__":
    sys.exit(main())
