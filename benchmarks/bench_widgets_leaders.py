"""Benchmark the leader-network widgets (lessons 04 and 05): ``python benchmarks/bench_widgets_leaders.py``.

Control-to-figure latency: set a control's ``.value`` (or click a button, as a learner does) and
time until the app's `FigureView` holds the new image (observers run synchronously, so that is
the time the change takes).  Median over the changes (``time.perf_counter``); a change whose
figure did not update fails.  Measured for `LeaderNetworkBuilder` at its default size (51 people)
and at 300 people drawn one by one (3 executives, 27 teams of 11: the drawing limit):

* a round change (the slider, the *Step* button or the Play widget): people recoloured in place,
  target <= 100 ms;
* a role edit (choose a person and a role, click *Set role*): the model reruns, the layout and
  the brokerage measures are kept, target <= 100 ms;
* a lever change (mentoring): the model reruns, target <= 100 ms;
* adding or removing a tie: the model reruns and the figure is redrawn, target <= 100 ms; then
  the brokerage measures are recomputed for the table (the "callback" column: about 0.35 s at
  300 people, after the figure is shown);
* a 50-run comparison of the four scenarios of lesson 05 (the *Compare* button): target <= 1 s
  at the default size (reported without a target at 300 people).

Also, for `BridgeExplorer` (placement) and `LongTieExplorer` (rewiring probability), the same
control-to-figure latency (target <= 100 ms), and each app's build and first draw (no target).

Checked on the way (rows that fail like a missed target): every change renders exactly one new
image; a round change redraws only the people (no full figure draw: blitting); a role edit keeps
the brokerage measures (no call to `senge_course.models.brokerage.brokerage`), and a tie edit
recomputes them once.

Prints a table and writes ``benchmarks/results/widgets_leaders.json``.  ``--quick`` makes fewer
changes per control, as a smoke test.  ``main`` returns 0 when every target is met, else 1.
"""

import argparse
import statistics
import sys
import time

from _common import exit_status, print_table, row, write_results

TARGET = 0.100  # seconds, median latency per control
COMPARE_TARGET = 1.0  # seconds, a 50-run comparison at the default size
SIZES = {"n=51": {}, "n=300": {"teams": 27, "team_size": 11}}
FOUR = ["line leaders only", "line leaders + executives", "line leaders + networkers", "all three"]


def main(argv=None):
    """Run the benchmark; return 0 if every target passes, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer changes per control")
    args = parser.parse_args(argv)
    from senge_course.models import brokerage
    from senge_course.models.bridges import P_GRID, PLACEMENTS
    from senge_course.views import BridgeExplorer, LeaderNetworkBuilder, LongTieExplorer

    measured = brokerage.brokerage
    calls = [0]

    def counted(*args, **kwargs):
        calls[0] += 1
        return measured(*args, **kwargs)

    brokerage.brokerage = counted  # counts the brokerage measures the builder computes

    k = 4 if args.quick else 15
    rows = []
    for size, kwargs in SIZES.items():
        start = time.perf_counter()
        app = LeaderNetworkBuilder(**kwargs)
        rows.append(
            _row(f"builder {size}: build and first draw", time.perf_counter() - start, None)
        )
        assert app.drawn, f"{size} must be drawn person by person"
        view = app.network_view
        app.tabs.selected_index = 2  # Levers & run: people coloured by state

        def round_change(i, app=app):
            app.controls["round"].value = (app.round + 7) % (app.ROUNDS + 1)

        full = view.full_draws
        rows.append(_measure(f"builder {size}: round", view, round_change, k))

        def step(i, app=app):  # Reset after the last round
            app.buttons["reset" if app.round == app.ROUNDS else "step"].click()

        rows.append(_measure(f"builder {size}: Step button", view, step, k))
        full = view.full_draws - full
        rows.append(_count(f"builder {size}: full figure draws on round changes", full, 0))
        mentoring = [round(0.1 * (i % 10), 1) for i in range(1, k + 2)]

        def lever(i, app=app, values=mentoring):
            app.controls["mentoring"].value = values[i]

        rows.append(_measure(f"builder {size}: lever (mentoring)", view, lever, k))
        app.tabs.selected_index = 0  # Build: people coloured by role
        people = [v for v in app.graph if app.graph.nodes[v]["role"] == "member"]

        def pick_role(i, app=app, people=people):
            app.controls["person"].value = people[i // 2]
            app.controls["role"].value = "networker" if i % 2 == 0 else "member"

        def role_edit(i, app=app):
            app.buttons["set_role"].click()

        positions, calls[0], full = app.positions, 0, view.full_draws
        name = f"builder {size}: role edit (Set role)"
        rows.append(_measure(name, view, role_edit, k, prepare=pick_role))
        full = view.full_draws - full  # a legend seen before is a cached layer
        name = f"builder {size}: full figure draws on role edits"
        rows.append(row(name, full, "<= 2", full <= 2, unit="times"))
        assert app.positions is positions, "a role edit must keep the layout"
        rows.append(_count(f"builder {size}: brokerage measured on role edits", calls[0], 0))
        ties = _free_pairs(app.graph, k)

        def pick_tie(i, app=app, ties=ties):
            app.controls["tie_from"].value, app.controls["tie_to"].value = ties[i // 2]

        def tie_edit(i, app=app):
            app.buttons["add_tie" if i % 2 == 0 else "remove_tie"].click()

        edits, calls[0] = 2 * (k // 2), 0
        name = f"builder {size}: add or remove a tie"
        rows.append(_measure(name, view, tie_edit, edits, prepare=pick_tie))
        rows.append(_count(f"builder {size}: brokerage measured on tie edits", calls[0], edits))
        app.compare(FOUR)  # warm up
        times = []
        for _ in range(3 if args.quick else 5):
            start = time.perf_counter()
            app.buttons["compare"].click()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        target = COMPARE_TARGET if size == "n=51" else None
        compared = _row(
            f"builder {size}: compare 4 scenarios x 50 runs",
            median,
            None if target is None else median <= target,
            target=target,
        )
        compared.update(max=max(times), changes=len(times), stale=0)
        rows.append(compared)

    start = time.perf_counter()
    bridges = BridgeExplorer()
    rows.append(_row("BridgeExplorer: build and first draw", time.perf_counter() - start, None))
    placements = [PLACEMENTS[i % 4] for i in range(1, k + 2)]

    def placement(i):
        bridges.controls["placement"].value = placements[i]

    rows.append(_measure("BridgeExplorer: placement", bridges.figure_view, placement, k))
    start = time.perf_counter()
    long_ties = LongTieExplorer()
    rows.append(
        _row(
            "LongTieExplorer: build (10 networks x 8 p) and first draw",
            time.perf_counter() - start,
            None,
        )
    )
    grid = [P_GRID[i % len(P_GRID)] for i in range(1, k + 2)]

    def rewiring(i):
        long_ties.controls["p"].value = grid[i]

    rows.append(_measure("LongTieExplorer: p", long_ties.figure_view, rewiring, k))
    brokerage.brokerage = measured

    print_table(
        rows,
        ("control change -> figure", "median", "max", "callback", "target", "pass"),
        more=("max", "total"),
    )
    write_results(
        "widgets_leaders",
        rows,
        quick=args.quick,
        target_seconds=TARGET,
        compare_target_seconds=COMPARE_TARGET,
    )
    return exit_status(rows)


def _measure(name, view, change, count, target=TARGET, prepare=None):
    """Median time from each of `count` changes to the new figure in `view` (its first render).

    Also kept: the whole callback's time (``total``), which includes work done after the figure
    is shown (the builder's brokerage table after a tie edit).  A change that does not redraw
    `view` counts as stale, one that renders more than one image as ``repeated``; either fails
    the row.  `prepare(i)`, if given, runs before each change, untimed (choosing the person
    or the tie before the button is clicked).
    """
    times, totals, stale, repeated = [], [], 0, 0
    rendered = []
    original = view.render

    def timed_render(summary):
        original(summary)
        rendered.append(time.perf_counter())

    view.render = timed_render
    try:
        for i in range(count):
            if prepare is not None:
                prepare(i)
            rendered.clear()
            start = time.perf_counter()
            change(i)
            end = time.perf_counter()
            totals.append(end - start)
            repeated += len(rendered) > 1
            if rendered:
                times.append(rendered[0] - start)
            else:
                stale += 1
                times.append(end - start)
    finally:
        del view.render  # back to the class's method
    median = statistics.median(times)
    passed = None if target is None else median <= target and stale == repeated == 0
    row = _row(name, median, passed, target=target)
    row.update(max=max(times), total=statistics.median(totals), changes=len(times), stale=stale)
    row.update(repeated=repeated)
    return row


def _count(name, counted, expected):
    """A row that checks a count (draws, calls) rather than a time."""
    return row(name, counted, f"= {expected}", counted == expected, unit="times")


def _free_pairs(G, count):
    """`count` pairs of members of different teams who are not tied (deterministic)."""
    members = [v for v in sorted(G) if G.nodes[v]["role"] == "member"]
    pairs = []
    for i, u in enumerate(members):
        v = members[-1 - i]
        if G.nodes[u]["team"] != G.nodes[v]["team"] and not G.has_edge(u, v):
            pairs.append((u, v))
        if len(pairs) == count:
            break
    return pairs


def _row(name, seconds, passed, target=TARGET):
    return row(name, seconds, "" if passed is None else _target(target), passed)


def _target(seconds):
    return f"<= {seconds * 1000:.0f} ms" if seconds < 1 else f"<= {seconds:g} s"


if __name__ == "__main__":
    sys.exit(main())
