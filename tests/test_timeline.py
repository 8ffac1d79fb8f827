"""The capstone's one timeline in quarters, and a networker leaving partway through a run."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course.models.capstone import assess, default_organisation
from senge_course.models.coupled import OFF, assess_coupled
from senge_course.models.knowledge import BALANCED, Consultants
from senge_course.models.leadership import compare, simulate
from senge_course.models.timeline import (
    QUARTERS,
    ROUNDS_PER_QUARTER,
    WEEKS_PER_QUARTER,
    quarters_of_rounds,
    quarters_of_weeks,
    round_of_quarter,
    timeline,
)

G = default_organisation()


def test_the_conversions_are_stated_constants():
    assert (WEEKS_PER_QUARTER, ROUNDS_PER_QUARTER, QUARTERS) == (13.0, 3, 40)
    assert quarters_of_weeks(300) == pytest.approx(23.08, abs=0.01)
    assert quarters_of_rounds(30) == 10.0
    assert list(quarters_of_rounds(np.arange(4))) == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert [round_of_quarter(q) for q in (0, 1, 2.5, 10)] == [0, 3, 8, 30]
    with pytest.raises(ValueError, match="quarter must be a number in"):
        round_of_quarter(11)


def test_the_timeline_puts_each_run_on_the_axis_without_stretching_it():
    report = assess("executives only (mandate)", "command", BALANCED, 1.0)
    line = timeline(report)
    assert line.ends == {"leaders": 10.0, "regime": pytest.approx(300 / 13), "knowledge": 40.0}
    assert list(line.committed) == list(report.diffusion.committed_mean)
    assert line.results[0] == 1.0 and list(line.results[1:]) == list(report.knowledge.results)
    assert line.climate[0] == 1.0
    names = [e.name for e in line.events]
    assert names == ["mandate", "surge"]
    mandate = line.events[0]
    assert (mandate.start, mandate.end) == (0.0, pytest.approx(10 / 3))
    assert "a mandate on 80% of people to quarter 3.3" in line.summary
    assert "a 20% surge in the target from quarter 1.5 to 2.2" in line.summary


def test_a_coupled_report_and_its_events():
    plan = Consultants(0.5, start=0, stop_at=8)
    report = assess_coupled("all three", "commitment", BALANCED, 1.0, consultants=plan, leaves=6)
    line = timeline(report)  # a coupled report: its .report is used
    assert [e.name for e in line.events] == ["consultants", "surge", "networker leaves"]
    assert line.events[-1].start == 2.0


def test_nobody_leaving_is_the_same_run_as_before():
    for seed in range(4):
        a = simulate(G, "all three", seed=seed)
        for leaves in (None, 30):
            b = simulate(G, "all three", seed=seed, leaves=leaves)
            assert (a.committed_by_round == b.committed_by_round).all() and b.left is None


def test_the_best_placed_networker_leaves_and_stays_out():
    r = simulate(G, "all three", seed=0, leaves=3)
    assert r.left in r.networkers
    assert r.state[r.left] == "none" and r.adoption_round[r.left] == -1
    kept = simulate(G, "all three", seed=0)
    # the first three rounds are the same run
    assert (r.committed_by_round[:3] == kept.committed_by_round[:3]).all()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), leaves=st.integers(0, 29))
def test_a_departure_never_adds_commitment_before_it(seed, leaves):
    a = simulate(G, "all three", seed=seed)
    b = simulate(G, "all three", seed=seed, leaves=leaves)
    assert (b.committed_by_round[:leaves] == a.committed_by_round[:leaves]).all()
    assert len(b.committed_by_round) == 31
    if b.left is not None:
        # everyone committed before the departure (but the one who left) stays committed
        before = a.adoption_round
        stayed = (before >= 0) & (before < leaves)
        stayed[b.left] = False
        assert (b.state[stayed] == "committed").all()


def test_an_early_departure_costs_more_than_a_late_one():
    means = [
        compare(G, {"x": "all three"}, runs=50, seed=1, leaves=r)["x"].final_committed.mean()
        for r in (0, 3, 30)
    ]
    assert means[0] < means[1] < means[2]


def test_without_networkers_nobody_leaves():
    r = simulate(G, "line leaders only", seed=1, leaves=2)
    assert r.left is None
    with pytest.raises(ValueError, match="leaves must be"):
        simulate(G, "all three", leaves=31)


def test_couplings_off_reproduces_assess_with_a_surge_and_goals():
    args = ("all three", "commitment", BALANCED, 1.0)
    kw = {"surge": (0.4, 12), "leaves": 3, "committed_goal": 0.9, "required": ["integrated cycle"]}
    a, b = assess(*args, **kw), assess_coupled(*args, couplings=OFF, **kw).report
    assert a.committed == b.committed and a.passed == b.passed
    assert (a.capability.climate == b.capability.climate).all()
    assert a.surge == (0.4, 12.0) and a.required == ("integrated cycle",)
    assert not a.verdicts["commitment spreads"] and a.passed
