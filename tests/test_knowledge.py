"""Tests for senge_course.models.knowledge: the research, capacity building and practice cycle."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course.models.diagnosis import MODES, Diagnosis, diagnose
from senge_course.models.dynamics import integrate
from senge_course.models.knowledge import (
    ALL_PRACTICE,
    ALL_RESEARCH,
    BALANCED,
    CALIBRATION,
    EQUAL,
    MODEL,
    START,
    Consultants,
    KnowledgeRun,
    best_allocation,
    loop_gain,
    normalise,
    payoff_sweep,
    simulate,
)

STEPS = pytest.mark.parametrize("dt", [0.25, 0.125, 0.0625])


def grid(step):
    """Every allocation on a grid of `step`, as exact fractions i/n."""
    n = round(1 / step)
    return [(i / n, j / n, (n - i - j) / n) for i in range(n + 1) for j in range(n + 1 - i)]


def starves_one(shares):
    return min(shares) == 0.0


# ------------------------------------------------------------------ the starting firm


@STEPS
@pytest.mark.parametrize("integration", [0.0, 0.5, 1.0])
def test_all_practice_holds_todays_results_for_ever(dt, integration):
    run = simulate(ALL_PRACTICE, integration, dt=dt, quarters=80)
    assert run.results == pytest.approx(np.ones(80), abs=1e-12)
    assert run.capability == pytest.approx(np.ones(80), abs=1e-12)
    assert run.experience == pytest.approx(np.ones(80), abs=1e-12)
    assert np.all(run.theory == 0.0)
    assert run.total == pytest.approx(80.0)
    assert run.break_even_quarter == 1 and run.payback_quarter == 1


def test_every_plan_starts_from_the_same_firm():
    run = simulate(BALANCED, 0.7)
    assert dict(run.initial) == {
        "theory": 0.0,
        "capability": 1.0,
        "experience": 1.0,
        "consultant": 0.0,
    }
    assert run.baseline == 1.0 and run.baseline_total == 40.0


def test_the_documented_calibration_is_the_models():
    documented = {
        "theory_time": 8.0, "research_rate": 1.25, "ungrounded_research": 0.25,
        "capability_time": 4.0, "basic_capability": 0.2, "max_capability": 3.0,
        "teaching_rate": 3.0, "generic_training": 0.05, "experience_time": 4.0,
        "consultant_time": 1.0, "practice_returns": 0.6,
    }  # fmt: skip
    defaults = MODEL.defaults()
    assert {name: defaults[name] for name in documented} == documented


def test_the_model_runs_through_the_shared_integrator():
    params = {"research": 0.2, "capacity_building": 0.2, "practice": 0.6, "integration": 1.0}
    traj = integrate(MODEL, dict(START), duration=40.0, dt=0.25, params=params)
    run = simulate(BALANCED, 1.0)
    assert float(traj["delivered"][-1]) == pytest.approx(run.total)
    assert traj["capability"][4::4] == pytest.approx(run.capability)
    assert set(MODEL.stocks) == set(START)


# ------------------------------------------------------------------ the lessons' behaviours


@pytest.mark.parametrize("integration", [0.0, 0.5, 1.0])
def test_all_practice_wins_the_first_year_against_every_plan(integration):
    # over the first 4 quarters all practice (4.0) beats every other plan on a 5-point grid
    others = [
        simulate(shares, integration, quarters=4).total
        for shares in grid(0.05)
        if shares != ALL_PRACTICE
    ]
    assert simulate(ALL_PRACTICE, integration, quarters=4).total == pytest.approx(4.0)
    assert max(others) < 0.98 * 4.0  # with a margin of more than 2%


@STEPS
def test_all_research_produces_no_results(dt):
    run = simulate(ALL_RESEARCH, 1.0, dt=dt)
    assert np.all(run.results == 0.0) and run.total == 0.0
    assert run.theory[-1] > 2.0  # theory piles up, unused
    assert run.capability[-1] < 0.25  # skills erode towards basic capability (0.2)
    assert run.break_even_quarter is None and run.payback_quarter is None


@STEPS
def test_balanced_and_integrated_beats_every_plan_that_starves_an_activity(dt):
    balanced = simulate(BALANCED, 1.0, dt=dt).total
    starved = [simulate(s, 1.0, dt=dt).total for s in grid(0.05) if starves_one(s)]
    assert balanced > 1.4 * max(starved)
    assert max(starved) == pytest.approx(40.0)  # the best of them is all practice


def test_balanced_is_the_best_ten_year_plan_and_a_third_each_beats_firefighting():
    assert best_allocation(40) == BALANCED
    assert simulate(EQUAL, 1.0).total > 1.15 * 40.0


@STEPS
def test_balanced_and_integrated_is_worse_before_better(dt):
    run = simulate(BALANCED, 1.0, dt=dt)
    firefighting = simulate(ALL_PRACTICE, 1.0, dt=dt).results
    # worse: the first quarters fall below the starting level and below all practice
    assert np.all(run.results[:3] < 0.95 * firefighting[:3])
    assert run.results.min() < 0.75
    assert int(np.argmin(run.results)) == 0
    # better: from quarter 5 on, above both, rising to 1.7 a quarter
    assert run.break_even_quarter == 5
    assert np.all(run.results[4:] > firefighting[4:])
    assert run.results[-1] > 1.65
    assert np.all(np.diff(run.results) > 0)  # it only grows once the plan starts
    assert run.payback_quarter == 9  # cumulative results overtake firefighting's
    assert run.total == pytest.approx(59.9, abs=0.2)


@STEPS
@pytest.mark.parametrize("low", [0.0, 0.25, 0.4])
def test_low_integration_cripples_a_balanced_plan(dt, low):
    integrated = simulate(BALANCED, 1.0, dt=dt).total
    fragmented = simulate(BALANCED, low, dt=dt).total
    assert fragmented < 0.65 * integrated
    assert fragmented < 0.9 * 40.0  # below all practice over 10 years
    assert simulate(EQUAL, low, dt=dt).total < 0.85 * 40.0


def test_integration_helps_only_when_every_activity_gets_effort():
    for shares in [(0.0, 0.4, 0.6), (0.4, 0.0, 0.6)]:
        low, high = simulate(shares, 0.0).total, simulate(shares, 1.0).total
        assert high < 40.0 and high - low < 0.05 * 40.0
    assert simulate(BALANCED, 1.0).total > 1.5 * simulate(BALANCED, 0.0).total


@STEPS
@pytest.mark.parametrize("spend", [0.25, 0.5, 1.0])
@pytest.mark.parametrize("stop", [4, 8, 12])
def test_stopping_consultants_leaves_results_below_the_start(dt, spend, stop):
    # Shifting the Burden to the Intervenor, on the firm that only practises
    run = simulate(ALL_PRACTICE, 1.0, consultants=Consultants(spend, stop_at=stop), dt=dt)
    paying, after = slice(0, stop), slice(stop, stop + 8)
    # while paying, results rise above the start ...
    assert np.all(run.results[1:stop] > 1.0 + 0.3 * spend)
    # ... the firm's own capability withers ...
    assert np.all(np.diff(run.capability[paying]) < 0)
    assert run.capability[stop - 1] < 1.0 - 0.25 * spend * min(stop, 8) / 8
    # ... and after they leave, results fall below where they started, for years
    assert np.all(run.results[stop + 1 : stop + 8] < 1.0)
    assert run.results[after].min() < 1.0 - 0.2 * spend * min(stop, 8) / 8
    assert run.consultant[stop + 7] < 0.01 * spend  # the rented capability has gone
    assert run.break_even_quarter is None or run.break_even_quarter > stop + 8


def test_consultants_that_never_leave_still_hollow_out_the_firm():
    run = simulate(ALL_PRACTICE, 1.0, consultants=Consultants(0.5))
    assert np.all(run.results > 1.1)  # results stay up while the firm pays ...
    assert run.results[-1] < run.results.max() - 0.2  # ... but sag as its own people lose skill
    assert run.capability[-1] < 0.75
    assert run.experience[-1] < 0.75


def test_consultants_start_when_hired():
    run = simulate(ALL_PRACTICE, 1.0, consultants=Consultants(1.0, start=4, stop_at=8))
    assert run.results[:4] == pytest.approx(np.ones(4))
    assert run.results[4] > 1.3


@pytest.mark.parametrize(("quarters", "best"), [(4, ALL_PRACTICE), (8, ALL_PRACTICE)])
def test_a_short_horizon_makes_firefighting_the_best_choice(quarters, best):
    assert best_allocation(quarters, 1.0) == best
    assert best_allocation(quarters, 0.0) == best


@pytest.mark.parametrize("quarters", [12, 16, 40, 80])
def test_a_long_horizon_makes_balanced_and_integrated_the_best_choice(quarters):
    shares = best_allocation(quarters, 1.0)
    assert min(shares) >= 0.15 and shares[2] >= 0.5
    best_by_integration = {
        g: simulate(best_allocation(quarters, g, step=0.1), g, quarters=quarters).total
        for g in (0.0, 0.5, 1.0)
    }
    assert max(best_by_integration, key=best_by_integration.get) == 1.0
    assert best_by_integration[1.0] > 1.1 * best_by_integration[0.0]


# ------------------------------------------------------------------ loop gain


def test_loop_gain_is_the_product_of_the_three_links():
    # (research_rate 1.25 * theory_time 8 * r * g) * (teaching_rate 3 * capability_time 4 * c
    #  * g * (1 - 1/3)) * p
    r, c, p, g = 0.3, 0.25, 0.45, 0.8
    expected = (1.25 * 8 * r * g) * (3 * 4 * c * g * (2 / 3)) * p
    assert loop_gain((r, c, p), g) == pytest.approx(expected)
    assert loop_gain(BALANCED, 1.0) == pytest.approx(1.92)
    assert loop_gain(BALANCED, 0.5) == pytest.approx(1.92 / 4)


@pytest.mark.parametrize("shares", [ALL_PRACTICE, ALL_RESEARCH, (0.5, 0.5, 0.0), (0.0, 0.3, 0.7)])
def test_the_loop_is_broken_when_any_activity_is_starved(shares):
    assert loop_gain(shares, 1.0) == 0.0


def test_loop_gain_follows_changed_constants():
    assert loop_gain(BALANCED, 1.0, params={"theory_time": 16}) == pytest.approx(3.84)
    with pytest.raises(TypeError, match="unknown constant"):
        loop_gain(BALANCED, 1.0, params={"speed": 1})


# ------------------------------------------------------------------ diagnosis


@pytest.mark.parametrize(
    ("shares", "integration", "consultants", "mode"),
    [
        (ALL_PRACTICE, 1.0, None, "firefighting"),
        ((0.0, 0.5, 0.5), 1.0, None, "firefighting"),
        ((0.1, 0.1, 0.8), 1.0, None, "firefighting"),
        (ALL_RESEARCH, 1.0, None, "ivory tower"),
        ((0.0, 1.0, 0.0), 1.0, None, "ivory tower"),
        ((0.5, 0.0, 0.5), 1.0, None, "ivory tower"),
        ((0.45, 0.45, 0.1), 1.0, None, "ivory tower"),
        (EQUAL, 0.2, None, "fragmented"),
        (BALANCED, 0.0, None, "fragmented"),
        (BALANCED, 0.5, None, "fragmented"),
        (ALL_PRACTICE, 1.0, Consultants(0.5, stop_at=8), "consulting dependency"),
        (ALL_PRACTICE, 0.0, Consultants(1.0), "consulting dependency"),
        ((0.1, 0.1, 0.8), 0.5, Consultants(0.5, stop_at=12), "consulting dependency"),
        (BALANCED, 1.0, None, "integrated"),
        (EQUAL, 1.0, None, "integrated"),
        (BALANCED, 0.8, None, "integrated"),
        (BALANCED, 1.0, Consultants(0.5, stop_at=8), "integrated"),
    ],
)
def test_diagnose_names_each_mode(shares, integration, consultants, mode):
    d = diagnose(shares, integration, consultants=consultants)
    assert isinstance(d, Diagnosis)
    assert d.mode == mode and d.title == MODES[mode]
    assert len(d.explanation) > 200 and "To change it" in d.explanation or mode == "integrated"
    assert "\n" not in d.explanation


def test_every_mode_is_reachable():
    plans = [
        (ALL_PRACTICE, 1.0, None),
        (ALL_RESEARCH, 1.0, None),
        (EQUAL, 0.2, None),
        (ALL_PRACTICE, 1.0, Consultants(0.5, stop_at=8)),
        (BALANCED, 1.0, None),
    ]
    assert {diagnose(s, g, consultants=k).mode for s, g, k in plans} == set(MODES)


def test_fragmented_says_how_much_integration_is_needed():
    d = diagnose(BALANCED, 0.3)
    assert d.needed_integration == pytest.approx(1 / math.sqrt(1.92))
    assert "raise integration to at least 0.73" in d.explanation
    assert d.loop_gain == pytest.approx(1.92 * 0.09)
    assert d.total < d.baseline_total == 40.0


def test_the_integrated_explanation_reports_the_dip_and_the_payback():
    text = diagnose(BALANCED, 1.0).explanation
    assert "dip (to 0.73 a quarter in quarter 1)" in text
    assert "from quarter 5" in text and "in quarter 9" in text
    assert "gain of 1.92" in text and "59.9" in text


def test_the_dependency_explanation_reports_the_burden_shifting():
    text = diagnose(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=8)).explanation
    assert "Shifting the Burden to the Intervenor" in text
    assert "from 1.00 to 0.74" in text and "fall to 0.83" in text


def test_a_late_stop_or_start_extends_the_diagnosis():
    d = diagnose(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=60))
    assert d.mode == "consulting dependency" and d.baseline_total == 68.0
    d = diagnose(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, start=50))
    assert d.mode == "consulting dependency" and d.baseline_total == 58.0


def test_firefighting_and_ivory_tower_name_the_broken_link():
    assert "Research is starved" in diagnose(ALL_PRACTICE, 1.0).explanation
    assert "too thin" in diagnose((0.05, 0.05, 0.9), 1.0).explanation
    assert "Practice is starved" in diagnose(ALL_RESEARCH, 1.0).explanation
    assert "Capacity building is starved" in diagnose((0.5, 0.0, 0.5), 1.0).explanation


# ------------------------------------------------------------------ the run object


def test_a_run_holds_its_inputs_and_read_only_series():
    k = Consultants(0.5, start=2, stop_at=6)
    run = simulate(BALANCED, 0.9, quarters=12, consultants=k, dt=0.125)
    assert isinstance(run, KnowledgeRun)
    assert (run.allocation, run.integration, run.quarters, run.consultants, run.dt) == (
        BALANCED,
        0.9,
        12,
        k,
        0.125,
    )
    assert run.quarter.tolist() == list(range(1, 13))
    for name in ("theory", "capability", "experience", "consultant", "results", "cumulative"):
        series = getattr(run, name)
        assert series.shape == (12,) and not series.flags.writeable
    assert run.cumulative == pytest.approx(np.cumsum(run.results))
    with pytest.raises(AttributeError):
        run.integration = 0.5


def test_the_summary_describes_the_projection():
    text = simulate(BALANCED, 1.0).summary
    assert text.startswith("Research 20%, capacity building 20%, practice 60%, integration 1.00")
    assert "1.50 times all practice (40.0)" in text
    assert "0% of all practice" in simulate(ALL_RESEARCH, 1.0).summary


def test_constants_can_be_changed_for_experiments():
    slow = simulate(BALANCED, 1.0, params={"theory_time": 4.0})
    assert slow.total < simulate(BALANCED, 1.0).total
    assert simulate(ALL_PRACTICE, 1.0, params={"basic_capability": 0.5}).total == pytest.approx(40)


@settings(max_examples=60, deadline=None)
@given(
    a=st.integers(0, 100),
    b=st.integers(0, 100),
    integration=st.floats(0.0, 1.0),
    spend=st.none() | st.floats(0.01, 5.0),
)
def test_any_plan_gives_finite_non_negative_results(a, b, integration, spend):
    low, high = sorted((a, b))
    shares = (low / 100, (high - low) / 100, 1.0 - low / 100 - (high - low) / 100)
    consultants = None if spend is None else Consultants(spend, stop_at=10)
    run = simulate(shares, integration, quarters=20, consultants=consultants)
    for series in (run.theory, run.capability, run.experience, run.results):
        assert np.all(np.isfinite(series)) and np.all(series >= 0.0)
    assert np.all(run.capability <= 3.0) and np.all(np.diff(run.cumulative) >= 0.0)
    assert diagnose(shares, integration, consultants=consultants).mode in MODES


# ------------------------------------------------------------------ normalise


def test_normalise_rescales_and_refuses_nonsense():
    assert normalise((20, 20, 60)) == pytest.approx(BALANCED)
    assert sum(normalise((1, 1, 1))) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="must not all be 0"):
        normalise((0, 0, 0))
    with pytest.raises(ValueError, match="research share must not be negative"):
        normalise((-1, 1, 1))


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("allocation", "error", "match"),
    [
        (
            (0.5, 0.3, 0.3),
            ValueError,
            r"must sum to 1 .* = 1\.1; write 20% as 0.2, or rescale them with knowledge\.normalise",
        ),
        ((0.2, 0.2, 0.2), ValueError, r"must sum to 1"),
        ((-0.1, 0.5, 0.6), ValueError, r"research share must not be negative, got research=-0.1"),
        ((0.5, -0.5, 1.0), ValueError, r"capacity building share must not be negative"),
        ((float("nan"), 0.5, 0.5), ValueError, r"research share must be a finite number"),
        ((0.0, 0.0, float("inf")), ValueError, r"practice share must be a finite number"),
        ((0.0, 1.5, -0.5), ValueError, r"practice share must not be negative"),
        ((1.5, 0.0, 0.0), ValueError, r"must sum to 1 .* got 1.5 \+ 0 \+ 0 = 1.5"),
        ((0.5, 0.5), ValueError, r"must be three numbers .* got 2"),
        ((0.2, 0.2, 0.2, 0.4), ValueError, r"must be three numbers .* got 4"),
        ("abc", TypeError, r"must be three numbers"),
        (0.5, TypeError, r"must be three numbers"),
        ((0.5, "0.25", 0.25), TypeError, r"capacity building share must be a number"),
        ((True, 0.0, 0.0), TypeError, r"research share must be a number"),
    ],
)
def test_bad_allocations_are_refused(allocation, error, match):
    with pytest.raises(error, match=match):
        simulate(allocation, 1.0)
    with pytest.raises(error, match=match):
        diagnose(allocation, 1.0)
    with pytest.raises(error, match=match):
        loop_gain(allocation, 1.0)


def test_round_off_below_zero_counts_as_zero():
    run = simulate((0.68, 0.32, 1 - 0.68 - 0.32), 1.0, quarters=4)
    assert run.allocation == (0.68, 0.32, 0.0) and run.total == 0.0


def test_shares_are_not_rescaled_silently():
    with pytest.raises(ValueError, match=r"got 20 \+ 20 \+ 60 = 100"):
        simulate((20, 20, 60), 1.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"integration": 1.5}, ValueError, r"integration must be a number in \[0, 1\]"),
        ({"integration": -0.1}, ValueError, r"integration must be a number in \[0, 1\]"),
        ({"integration": float("nan")}, ValueError, r"integration must be a finite number"),
        ({"integration": "high"}, TypeError, r"integration must be a number"),
        (
            {"quarters": 0},
            ValueError,
            r"quarters must be a whole number in \[1, 400\], got quarters=0",
        ),
        ({"quarters": -4}, ValueError, r"quarters must be a whole number"),
        ({"quarters": 401}, ValueError, r"quarters must be a whole number in \[1, 400\]"),
        ({"quarters": 10.5}, TypeError, r"quarters must be a whole number"),
        ({"dt": 0.3}, ValueError, r"dt must be a number in \(0, 0.25\]"),
        ({"dt": 0.15}, ValueError, r"dt must divide a quarter into whole steps"),
        ({"dt": 0}, ValueError, r"dt must be a number in \(0, 0.25\]"),
        ({"consultants": 0.5}, TypeError, r"consultants must be None or Consultants"),
        ({"consultants": Consultants(0.5, start=40)}, ValueError, r"must start within the run"),
        ({"params": {"practice": 0.5}}, TypeError, r"not the decisions \['practice'\]"),
        ({"params": {"speed": 2}}, TypeError, r"unknown parameter\(s\) speed"),
        (
            {"params": {"theory_time": 0.5}},
            ValueError,
            r"theory_time must be a number in \[1, 80\]",
        ),
    ],
)
def test_bad_settings_are_refused(kwargs, error, match):
    args = {"integration": 1.0, **kwargs}
    integration = args.pop("integration")
    with pytest.raises(error, match=match):
        simulate(BALANCED, integration, **args)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"spend": 0}, ValueError, r"spend must be a number in \(0, 5\], got spend=0"),
        ({"spend": -1}, ValueError, r"spend must be a number in \(0, 5\]"),
        ({"spend": 6}, ValueError, r"spend must be a number in \(0, 5\]"),
        ({"spend": float("nan")}, ValueError, r"spend must be a finite number"),
        ({"spend": "a lot"}, TypeError, r"spend must be a number"),
        ({"spend": 1, "start": -1}, ValueError, r"start must be a whole number in \[0, 400\]"),
        ({"spend": 1, "start": 1.5}, TypeError, r"start must be a whole number"),
        (
            {"spend": 1, "stop_at": 0},
            ValueError,
            r"stop_at must be a whole number of quarters after",
        ),
        ({"spend": 1, "start": 4, "stop_at": 4}, ValueError, r"after start=4"),
        ({"spend": 1, "stop_at": 2.5}, TypeError, r"stop_at must be a whole number of quarters"),
        ({"spend": 1, "stop_at": "soon"}, TypeError, r"stop_at must be a whole number"),
    ],
)
def test_bad_consultant_settings_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        Consultants(**kwargs)


def test_consultants_accept_whole_floats_and_know_their_length():
    k = Consultants(1, start=2, stop_at=10.0)
    assert (k.spend, k.start, k.stop_at, k.quarters) == (1.0, 2, 10, 8)
    assert Consultants(1).quarters is None


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"quarters": 0}, ValueError, r"quarters must be a whole number"),
        ({"integration": 2}, ValueError, r"integration must be a number in \[0, 1\]"),
        ({"step": 0.3}, ValueError, r"step must divide 1 into whole steps"),
        ({"step": 0.001}, ValueError, r"step must be a number in \[0.01, 0.5\]"),
    ],
)
def test_best_allocation_refuses_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        best_allocation(**kwargs)


def test_diagnose_refuses_bad_consultants_and_integration():
    with pytest.raises(TypeError, match="consultants must be None or Consultants"):
        diagnose(BALANCED, 1.0, consultants={"spend": 1})
    with pytest.raises(ValueError, match="integration must be"):
        diagnose(BALANCED, 1.1)


# ------------------------------------------------------------------ which constants carry the payoff


def test_payoff_sweep_finds_where_integration_stops_paying():
    sweep = payoff_sweep("max_capability", [1.5, 2.0, 3.0])
    assert [round(float(t), 1) for t in sweep.totals] == [36.8, 45.2, 59.9]
    assert sweep.baseline_total == 40.0 and sweep.default == 3.0
    assert len(sweep.edges) == 1 and sweep.edge == pytest.approx(1.685, abs=0.001)
    # at the edge the plan delivers exactly what all practice does
    at_edge = simulate(BALANCED, 1.0, params={"max_capability": sweep.edge}).total
    assert at_edge == pytest.approx(40.0, abs=1e-3)
    assert "stops paying below max_capability 1.69 (calibrated: 3)" in sweep.summary
    assert list(sweep.ratio) == pytest.approx([t / 40 for t in sweep.totals])


def test_payoff_sweep_default_range_and_other_plans():
    sweep = payoff_sweep("max_capability", points=11)
    low, high, _ = CALIBRATION["max_capability"].control_range()
    assert sweep.values[0] == low and sweep.values[-1] == high and 3.0 in sweep.values
    assert len(sweep.values) == 12  # 11 points and the calibrated value
    assert payoff_sweep("practice_returns", points=5).edge is None
    assert "pays at every value tried" in payoff_sweep("practice_returns", points=5).summary
    # a fragmented plan never pays over the swept range of teaching rates
    fragmented = payoff_sweep("teaching_rate", [1.0, 3.0, 6.0], integration=0.25)
    assert fragmented.edges == () and "pays at no value tried" in fragmented.summary
    # a plan that does not pay at the calibrated value *starts* paying beyond an edge
    weak = payoff_sweep("max_capability", [3.0, 6.0], integration=0.5)
    assert "starts paying above max_capability" in weak.summary
    # params change the other constants; the horizon changes the comparison
    assert payoff_sweep("max_capability", [3.0], params={"practice_returns": 1.0}).totals[0] < 59.9
    assert payoff_sweep("max_capability", [3.0], quarters=8).baseline_total == 8.0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("speed",), {}, ValueError, r"constant must be one of theory_time"),
        (
            ("max_capability", [0.5]),
            {},
            ValueError,
            r"max_capability must be a number in \(1, 20\]",
        ),
        (("max_capability", 3.0), {}, TypeError, r"values must be a list of numbers"),
        (("max_capability", []), {}, ValueError, r"values must hold at least one value"),
        (("max_capability",), {"points": 1}, ValueError, r"points must be a whole number"),
        (("max_capability",), {"params": {"max_capability": 2}}, ValueError, "must not set the"),
        (("max_capability",), {"integration": 2}, ValueError, r"integration must be a number"),
        (("max_capability",), {"allocation": (1, 1, 1)}, ValueError, r"must sum to 1"),
    ],
)
def test_payoff_sweep_refuses_bad_settings(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        payoff_sweep(*args, **kwargs)


def test_the_time_step_shrinks_for_short_time_constants():
    assert simulate(BALANCED, 1.0).dt == 0.25
    quick = simulate(BALANCED, 1.0, params={"consultant_time": 0.25})
    assert quick.dt == 0.0625  # no consultants: the same as the default constants at that step
    assert quick.total == pytest.approx(simulate(BALANCED, 1.0, dt=0.0625).total)
    with pytest.raises(ValueError, match="dt=0.25 is too large for a stable integration"):
        simulate(BALANCED, 1.0, dt=0.25, params={"consultant_time": 0.25})


def test_best_allocation_and_diagnose_take_changed_constants():
    weak = {"max_capability": 1.5}
    assert best_allocation(40, params=weak) == ALL_PRACTICE
    d = diagnose(BALANCED, 1.0, params=weak)
    assert d.loop_gain == pytest.approx(0.96) and round(d.total, 1) == 36.8
    assert d.explanation.endswith("(Constants changed from their calibration: max_capability 1.5.)")
    stuck = diagnose(ALL_PRACTICE, 1.0, params=weak).explanation
    assert "but with these constants even that never gets back above today's results" in stuck
    assert (
        "Constants changed"
        not in diagnose(BALANCED, 1.0, params={"max_capability": 3.0}).explanation
    )
