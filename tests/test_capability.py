"""Tests for senge_course.models.capability: the capability-trap model and its lessons' behaviours."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course.models.capability import (
    COMMAND,
    COMMITMENT,
    HOURS_PER_WEEK,
    MODEL,
    TRAP_MARGIN,
    CapabilityRun,
    Regime,
    as_regime,
    edge_sweep,
    equilibrium,
    simulate,
    smallest_tipping_surge,
    steady_states,
)
from senge_course.models.dynamics import integrate

STOCKS = ("capability", "pipeline", "pressure", "climate", "blame")
SERIES = STOCKS + (
    "performance",
    "target",
    "hours_working",
    "hours_improving",
    "effectiveness",
    "control",
)
PRESETS = pytest.mark.parametrize("regime", [COMMAND, COMMITMENT], ids=["command", "commitment"])


def first_index(condition):
    """Index of the first True in a boolean array (len if none)."""
    hits = np.flatnonzero(condition)
    return int(hits[0]) if hits.size else len(condition)


# ------------------------------------------------------------------ equilibria


@PRESETS
def test_each_regime_stays_at_its_equilibrium_without_a_shock(regime):
    run = simulate(regime, weeks=300)
    for name in SERIES:
        values = getattr(run, name)
        scale = max(abs(values[0]), 1.0)
        assert np.max(np.abs(values - values[0])) <= 1e-9 * scale, name


@settings(max_examples=40, deadline=None)
@given(
    work_harder=st.floats(0.0, 10.0),
    work_smarter=st.floats(0.0, 1.0),
    control=st.floats(0.0, 1.0),
    autonomy=st.floats(0.01, 1.0),
    overtime_cap=st.floats(0.0, 0.5),
)
def test_any_policy_starts_at_its_equilibrium(
    work_harder, work_smarter, control, autonomy, overtime_cap
):
    regime = Regime(work_harder, work_smarter, control, autonomy, overtime_cap=overtime_cap)
    run = simulate(regime, weeks=100, dt=0.25)
    for name in STOCKS + ("performance",):
        values = getattr(run, name)
        assert np.max(np.abs(values - values[0])) <= 1e-9 * max(abs(values[0]), 1.0), name


def test_command_equilibrium_in_closed_form():
    # climate = a / (a + c): a = 0.2 / 20 weeks, c = 0.8 * 0.02 / 5 weeks
    eq = equilibrium(COMMAND)
    assert eq.climate == pytest.approx(0.01 / (0.01 + 0.0032))
    theta4 = 0.35**4
    effectiveness = (1 + theta4) * eq.climate**4 / (eq.climate**4 + theta4)
    assert eq.effectiveness == pytest.approx(effectiveness)
    assert eq.capability == pytest.approx(0.3 + 0.7 * effectiveness)
    assert eq.pipeline == pytest.approx(8.0 * 0.7 / 40.0 * effectiveness)
    assert (eq.pressure, eq.blame, eq.hours_working, eq.hours_improving) == (0.0, 0.0, 32.0, 8.0)
    assert eq.control == COMMAND.control
    assert eq.performance == eq.target == pytest.approx(eq.capability * 32.0)
    assert eq.stable


@pytest.mark.parametrize(
    ("regime", "climate", "capability"),
    [(COMMAND, 0.758, 0.980), (COMMITMENT, 0.991, 1.000)],
    ids=["command", "commitment"],
)
def test_starting_equilibria(regime, climate, capability):
    eq = equilibrium(regime)
    assert eq.climate == pytest.approx(climate, abs=5e-4)
    assert eq.trust == eq.climate  # the deprecated name still reads the climate
    assert eq.capability == pytest.approx(capability, abs=5e-4)


def test_a_full_climate_and_no_control_sustain_capability_one():
    eq = equilibrium(COMMAND.replace(control=0.0))
    assert (eq.climate, eq.capability, eq.effectiveness) == pytest.approx((1.0, 1.0, 1.0))


def test_command_is_bistable_and_commitment_is_not():
    high, tipping_point, trap = steady_states(COMMAND)
    assert [high.stable, tipping_point.stable, trap.stable] == [True, False, True]
    assert high.capability == pytest.approx(equilibrium(COMMAND).capability)
    assert 0.0 < tipping_point.pressure < trap.pressure
    # in the trap nobody improves, everyone works the maximum overtime, the climate is gone
    assert trap.hours_improving == 0.0
    assert trap.hours_working == pytest.approx(HOURS_PER_WEEK * (1 + COMMAND.overtime_cap))
    assert trap.capability == pytest.approx(COMMAND.basic_capability)
    assert trap.climate < 0.1
    (only,) = steady_states(COMMITMENT)
    assert only.stable and only.pressure == 0.0


@pytest.mark.parametrize(
    "regime",
    [COMMAND, COMMITMENT, COMMITMENT.replace(attribution=2.0)],
    ids=["command", "commitment", "commitment with attribution"],
)
@pytest.mark.parametrize("change", [-0.2, 0.0, 0.05, 0.2])
def test_steady_states_are_steady(regime, change):
    params = dataclasses.asdict(regime) | {
        "target_change": change,
        "surge_start": 0.0,
        "surge_weeks": 21.0,  # the whole run
    }
    for state in steady_states(regime, target_change=change):
        initial = [getattr(state, name) for name in STOCKS]
        run = integrate(MODEL, initial, duration=20.0, dt=0.25, params=params)
        for name, value in zip(STOCKS, initial, strict=True):
            assert run[name] == pytest.approx(np.full(81, value), rel=1e-6, abs=1e-9), name


def test_a_permanent_rise_removes_commands_high_state():
    assert len(steady_states(COMMAND, target_change=0.05)) == 3  # still bistable
    (trap,) = steady_states(COMMAND, target_change=0.2)  # only the trap is left
    assert trap.hours_improving == 0.0 and trap.stable


# ------------------------------------------------- better-before-worse and back


def test_work_harder_is_better_before_worse():
    # COMMAND (work_harder=4, work_smarter=0): a permanent 20% rise in the target
    run = simulate(COMMAND, target_change=0.2, surge_start=20.0)
    rel = run.relative("performance")
    after = run.week >= 20.0
    rise = first_index(after & (rel > 1.05))
    fall = first_index(after & (rel < 0.95))
    assert rise < fall < len(rel)  # first better, then worse
    assert run.week[rise] < 25.0
    assert rel.max() > 1.12
    assert rel[-1] < 0.5 and run.trapped


def test_work_smarter_is_worse_before_better():
    # COMMITMENT (work_harder=0.25, work_smarter=0.5): the same permanent 20% rise
    run = simulate(COMMITMENT, target_change=0.2, surge_start=20.0)
    rel = run.relative("performance")
    after = run.week >= 20.0
    dip = first_index(after & (rel < 0.97))
    rise = first_index(after & (rel > 1.03))
    assert dip < rise < len(rel)  # first worse, then better
    assert run.week[dip] < 30.0
    assert rel.min() < 0.96
    assert rel[-1] > 1.05
    assert run.capability[-1] > 1.1 * run.capability[0]
    assert not run.trapped


@pytest.mark.parametrize(
    ("regime", "more"), [(COMMAND, "hours_working"), (COMMITMENT, "hours_improving")]
)
def test_the_reflex_moves_hours_where_the_policy_says(regime, more):
    run = simulate(regime, target_change=0.2, surge_start=20.0, weeks=40)
    week_25 = int(25 / run.dt)
    assert getattr(run, more)[week_25] > getattr(run, more)[0] + 1.0


# ------------------------------------------------------------- temporary surges


def test_a_small_surge_lets_command_recover():
    run = simulate(COMMAND, target_change=0.1, surge_weeks=8)
    assert run.recovered and not run.trapped
    assert run.capability[-1] == pytest.approx(run.capability[0], rel=0.01)
    assert run.climate[-1] == pytest.approx(run.climate[0], rel=0.01)
    assert run.climate.min() < 0.95 * run.climate[0]  # it was shaken, and came back


@pytest.mark.parametrize("change", [0.2, 0.3])
def test_a_larger_surge_tips_command_for_good(change):
    run = simulate(COMMAND, target_change=change, surge_weeks=8)
    assert run.trapped and run.climate_collapsed and not run.recovered
    late = run.week >= 200.0  # still low long after the surge ended at week 28
    assert np.all(run.capability[late] < 0.5 * run.capability[0])
    assert np.all(run.climate[late] < 0.2 * run.climate[0])
    assert np.all(run.hours_improving[late] < 0.5)
    assert np.all(run.target[late] == run.target[0])


@pytest.mark.parametrize("change", [0.1, 0.2, 0.4])
def test_commitment_absorbs_the_surges_that_tip_command(change):
    run = simulate(COMMITMENT, target_change=change, surge_weeks=8)
    assert run.recovered and not run.trapped


@pytest.mark.parametrize("method", ["euler", "rk4"])
@pytest.mark.parametrize("dt", [0.125, 0.25, 0.5, 1.0])
def test_the_surge_behaviours_do_not_depend_on_the_step(dt, method):
    kwargs = {"dt": dt, "method": method, "surge_weeks": 8}
    assert simulate(COMMAND, target_change=0.1, **kwargs).recovered
    assert simulate(COMMAND, target_change=0.2, **kwargs).trapped
    assert simulate(COMMITMENT, target_change=0.2, **kwargs).recovered


def test_tipping_is_monotone_in_the_surge_and_every_run_ends_in_one_state():
    surges = np.round(np.arange(0.02, 0.62, 0.02), 2)
    runs = [simulate(COMMAND, target_change=s, surge_weeks=8) for s in surges]
    trapped = [run.trapped for run in runs]
    assert trapped == sorted(trapped)  # False ... False, True ... True
    assert all(run.trapped != run.recovered for run in runs)  # never stuck in between


def test_smallest_tipping_surge_for_command():
    threshold = smallest_tipping_surge(COMMAND, surge_weeks=8)
    assert 0.13 < threshold < 0.17  # well between the 10% that recovers and the 20% that tips
    assert simulate(COMMAND, target_change=threshold, surge_weeks=8).trapped
    assert simulate(COMMAND, target_change=threshold - 0.005, surge_weeks=8).recovered


def test_longer_surges_tip_command_sooner():
    thresholds = [
        smallest_tipping_surge(COMMAND, surge_weeks=w, tolerance=0.005) for w in (4, 8, 16)
    ]
    assert thresholds == sorted(thresholds, reverse=True)
    assert smallest_tipping_surge(COMMAND, surge_weeks=None, tolerance=0.005) < thresholds[-1]


def test_commitment_never_tips_within_the_range_tried():
    assert smallest_tipping_surge(COMMITMENT, surge_weeks=8) == math.inf
    assert smallest_tipping_surge(COMMITMENT, surge_weeks=None, high=0.5) == math.inf


@pytest.mark.parametrize(
    "changes",
    [{"control": 0.3}, {"autonomy": 0.8}, {"control": 0.5, "autonomy": 0.5}],
    ids=["less control", "more autonomy", "both halfway"],
)
def test_control_and_autonomy_levers_make_command_survive_a_20_percent_surge(changes):
    # the lesson's puzzle: design a policy that survives a 20% surge of 8 weeks
    regime = COMMAND.replace(**changes)
    assert simulate(regime, target_change=0.2, surge_weeks=8).recovered
    assert smallest_tipping_surge(regime, tolerance=0.005) > 0.3


def test_working_smarter_under_command_control_is_not_enough():
    # compliance delivers hours, not learning: commitment's time policy with command's
    # control and autonomy tips at a far smaller surge than command itself
    hybrid = COMMAND.replace(
        work_harder=COMMITMENT.work_harder, work_smarter=COMMITMENT.work_smarter
    )
    assert smallest_tipping_surge(hybrid, tolerance=0.002) < 0.05
    assert simulate(hybrid, target_change=0.1, surge_weeks=8).trapped


PURE_HARDER = COMMITMENT.replace(work_harder=4.0, work_smarter=0.0)
PURE_SMARTER = COMMITMENT.replace(work_harder=0.0, work_smarter=0.5)


def test_pure_work_harder_is_trapped_with_the_climate_intact():
    # Shifting the Burden through capability alone: low control keeps the climate, yet
    # time taken from improvement erodes capability to its floor: trapped, whatever the climate
    run = simulate(PURE_HARDER, target_change=0.2)
    rel = run.relative("performance")
    assert first_index(rel > 1.05) < first_index(rel < 0.95) < len(rel)
    assert rel[-1] < 0.5
    assert run.capability[-1] == pytest.approx(PURE_HARDER.basic_capability, abs=0.01)
    assert run.climate[-1] > 0.5 and not run.climate_collapsed
    assert run.trapped and run.tipped  # tipped is the deprecated name of trapped


def test_pure_work_smarter_is_worse_before_better():
    run = simulate(PURE_SMARTER, target_change=0.2)
    rel = run.relative("performance")
    assert first_index(rel < 0.95) < first_index(rel > 1.03) < len(rel)
    assert rel[-1] > 1.04


# ---------------------------------------------------------------- the result


def test_the_run_records_inputs_and_series():
    run = simulate(COMMAND, weeks=60, dt=0.5, target_change=0.1, surge_start=10, surge_weeks=5)
    assert isinstance(run, CapabilityRun)
    assert (run.weeks, run.dt, run.target_change, run.surge_start, run.surge_weeks) == (
        60,
        0.5,
        0.1,
        10,
        5,
    )
    assert run.regime is COMMAND and run.start == equilibrium(COMMAND)
    assert run.week[0] == 0.0 and run.week[-1] == 60.0 and len(run.week) == 121
    for name in SERIES:
        assert getattr(run, name).shape == run.week.shape
    surge = (run.week >= 10) & (run.week < 15)
    assert run.target[surge] == pytest.approx(1.1 * run.start.target)
    assert run.target[~surge] == pytest.approx(run.start.target)
    assert run.performance == pytest.approx(run.capability * run.hours_working)
    with pytest.raises(ValueError, match="read-only"):
        run.climate[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.weeks = 10


def test_hours_stay_within_the_week_and_the_climate_within_zero_and_one():
    run = simulate(COMMAND, target_change=0.5)
    assert np.all(run.hours_improving >= 0) and np.all(run.hours_improving <= HOURS_PER_WEEK)
    assert np.all(run.hours_working <= HOURS_PER_WEEK * (1 + COMMAND.overtime_cap) + 1e-9)
    assert np.all((run.climate > 0) & (run.climate <= 1))
    assert run.trust is run.climate  # the deprecated name still reads the climate


def test_model_parameters_are_the_regime_fields_and_the_inputs():
    fields = [f.name for f in dataclasses.fields(Regime)]
    assert list(MODEL.parameters) == fields + ["target_change", "surge_start", "surge_weeks"]
    assert MODEL.stocks == STOCKS
    for f in dataclasses.fields(Regime):
        if f.default is not dataclasses.MISSING:
            assert MODEL.parameters[f.name].default == f.default


def test_replace_returns_a_checked_copy():
    custom = COMMAND.replace(control=0.3, autonomy=0.7)
    assert (custom.control, custom.autonomy, custom.work_harder) == (0.3, 0.7, 4.0)
    assert COMMAND.control == 0.8
    assert dataclasses.replace(COMMAND, control=0.3) == custom.replace(autonomy=0.2)


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("work_harder", -1.0, r"in \[0, 10\]"),
        ("work_harder", 11.0, r"in \[0, 10\]"),
        ("work_smarter", 1.5, r"in \[0, 1\]"),
        ("control", -0.1, r"in \[0, 1\]"),
        ("autonomy", 0.0, r"in \(0, 1\]"),
        ("overtime_cap", 0.6, r"in \[0, 0.5\]"),
        ("improvement_share", 0.0, r"in \(0, 0.5\]"),
        ("improvement_delay", 0.5, r"in \[1, 104\]"),
        ("erosion_time", 1000.0, r"in \[4, 520\]"),
        ("basic_capability", 1.0, r"in \[0, 1\)"),
        ("pressure_time", 0.1, r"in \[0.5, 52\]"),
        ("pressure_tolerance", 0.0, r"in \(0, 1\]"),
        ("pressure_drain", 20.0, r"in \[0, 10\]"),
        ("control_drain", 2.0, r"in \[0, 1\]"),
        ("climate_build_time", 0.5, r"in \[1, 520\]"),
        ("climate_loss_time", 0.1, r"in \[0.5, 520\]"),
        ("climate_threshold", 1.0, r"in \(0, 1\)"),
        ("attribution", -0.5, r"in \[0, 5\]"),
        ("attribution_time", 0.5, r"in \[1, 104\]"),
    ],
)
def test_out_of_range_regime_fields_are_refused(field, value, allowed):
    with pytest.raises(
        ValueError, match=rf"{field} must be a number {allowed}, got {field}={value!r}"
    ):
        COMMAND.replace(**{field: value})


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_regime_fields_are_refused(value):
    with pytest.raises(
        ValueError, match=r"control must be a finite number in \[0, 1\], got control="
    ):
        COMMAND.replace(control=value)


def test_non_numbers_are_refused():
    with pytest.raises(TypeError, match=r"work_harder must be a number, got work_harder='strong'"):
        Regime(work_harder="strong", work_smarter=0.0, control=0.5, autonomy=0.5)
    with pytest.raises(TypeError, match=r"regime must be a Regime such as COMMAND"):
        simulate("command")
    with pytest.raises(TypeError, match=r"regime must be a Regime"):
        equilibrium({"control": 0.8})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weeks": 0}, r"weeks must be a number > 0, got weeks=0"),
        ({"weeks": -10}, r"weeks must be a number > 0, got weeks=-10"),
        ({"weeks": math.nan}, r"weeks must be a finite number > 0"),
        ({"dt": 0}, r"dt must be a number in \(0, 300\], got dt=0"),
        ({"dt": 400}, r"dt must be a number in \(0, 300\], got dt=400"),
        ({"dt": 0.7}, r"weeks must be a whole number of steps of dt, got weeks=300 and dt=0.7"),
        (
            {"target_change": 3.0},
            r"target_change must be a number in \[-0.5, 2\], got target_change=3",
        ),
        ({"target_change": math.nan}, r"target_change must be a finite number"),
        (
            {"surge_start": 400, "target_change": 0.2},
            r"surge_start must be a number in \[0, 300\], got surge_start=400",
        ),
        ({"surge_start": -1, "target_change": 0.2}, r"surge_start must be a number in \[0, 300\]"),
        ({"surge_start": -1}, r"surge_start must be a number >= 0, got surge_start=-1"),
        ({"surge_weeks": 0}, r"surge_weeks must be a number > 0, got surge_weeks=0"),
        ({"method": "heun"}, r"method must be one of 'euler', 'rk4'"),
    ],
)
def test_bad_run_inputs_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate(COMMAND, **kwargs)


@pytest.mark.parametrize(
    ("regime", "dt", "limit"),
    [
        (COMMAND, 2.0, r"pressure_time=4\), so dt <= 1"),
        (COMMAND.replace(improvement_delay=1.0), 0.5, r"improvement_delay=1\), so dt <= 0.25"),
    ],
)
def test_a_step_too_large_for_stability_is_refused(regime, dt, limit):
    with pytest.raises(
        ValueError, match=rf"dt={dt:g} is too large for a stable integration: .*{limit}"
    ):
        simulate(regime, dt=dt)


def test_fast_climate_loss_limits_the_step():
    fast = COMMAND.replace(control=1.0, pressure_drain=10.0, climate_loss_time=0.5)
    with pytest.raises(ValueError, match=r"climate_adjustment_time=0.0.*so dt <= 0.0"):
        simulate(fast)
    assert simulate(fast, dt=0.01, weeks=10, surge_start=0).climate[0] == equilibrium(fast).climate


def test_the_attribution_time_limits_the_step_only_when_the_loop_is_on():
    quick = COMMAND.replace(attribution_time=1.0)
    assert simulate(quick, dt=0.5, weeks=10).weeks == 10  # off: its time does not matter
    with pytest.raises(ValueError, match=r"attribution_time=1\), so dt <= 0.25"):
        simulate(quick.replace(attribution=1.0), dt=0.5)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"high": 0.0}, r"high must be a number in \(0, 2\], got high=0"),
        ({"high": 3.0}, r"high must be a number in \(0, 2\]"),
        ({"tolerance": 0.0}, r"tolerance must be a number in \(0, 1\], got tolerance=0"),
        ({"surge_weeks": -8}, r"surge_weeks must be a number > 0"),
    ],
)
def test_bad_bisection_inputs_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        smallest_tipping_surge(COMMAND, **kwargs)


def test_relative_needs_a_series_that_starts_above_zero():
    run = simulate(COMMAND, weeks=10)
    assert run.relative("climate")[0] == 1.0
    for name in ("pressure", "blame"):
        with pytest.raises(ValueError, match=rf"{name} starts at 0, so it has no value relative"):
            run.relative(name)
    with pytest.raises(ValueError, match=r"name must be one of 'capability', .*got name='time'"):
        run.relative("time")


def test_steady_states_check_the_target_change():
    with pytest.raises(
        ValueError, match=r"target_change must be a number in \[-0.5, 2\], got target_change=-1"
    ):
        steady_states(COMMAND, target_change=-1)


# ------------------------------------------- trapped, the climate, R4 and attribution


def test_trapped_means_capability_at_its_floor_whatever_the_climate_does():
    # the done-when: commitment's levers with command's reflex, a permanent 20% rise
    run = simulate(COMMITMENT.replace(work_harder=4.0), target_change=0.2)
    floor = run.regime.basic_capability
    assert run.capability[-1] - floor < TRAP_MARGIN * (run.capability[0] - floor)
    assert run.trapped and run.hours_improving[-1] == 0.0
    assert round(run.relative("performance")[-1], 2) == 0.43
    assert round(run.climate[-1], 2) == 0.64 and not run.climate_collapsed
    command = simulate(COMMAND, target_change=0.2, surge_weeks=8)
    assert command.trapped and command.climate_collapsed


def test_a_collapsed_climate_needs_a_start_above_the_threshold():
    low = COMMAND.replace(autonomy=0.05, control=1.0, control_drain=0.2)
    run = simulate(low, weeks=100)
    assert run.climate[0] < low.climate_threshold and not run.climate_collapsed


def test_without_r4_no_8_week_surge_traps_command_but_a_lasting_rise_does():
    no_r4 = COMMAND.replace(pressure_drain=0.0)
    assert smallest_tipping_surge(no_r4, high=2.0, tolerance=0.01) == math.inf
    lasting = simulate(no_r4, target_change=0.2)
    assert lasting.trapped and not lasting.climate_collapsed  # R3 alone, the climate intact


def test_the_attribution_loop_is_off_by_default_and_changes_nothing():
    run = simulate(COMMAND, target_change=0.2, surge_weeks=8)
    assert COMMAND.attribution == 0.0
    assert np.all(run.blame == 0.0) and np.all(run.control == COMMAND.control)
    slower = simulate(COMMAND.replace(attribution_time=52.0), target_change=0.2, surge_weeks=8)
    for name in SERIES:
        assert np.array_equal(getattr(run, name), getattr(slower, name)), name


def test_attribution_raises_blame_and_control_with_a_lasting_gap():
    regime = COMMITMENT.replace(attribution=2.0)
    run = simulate(regime, target_change=0.2)
    assert run.blame[0] == 0.0 and run.blame[-1] > 0.5
    assert run.control[0] == regime.control and run.control[-1] == 1.0  # tightened fully
    assert run.trapped and run.climate_collapsed  # even commitment falls in
    assert not simulate(COMMITMENT, target_change=0.2).trapped
    (trap,) = steady_states(regime, target_change=0.2)
    assert trap.blame == pytest.approx(2.0 * trap.pressure) and trap.control == 1.0


def test_with_attribution_and_without_r4_a_stronger_reflex_is_more_fragile():
    # Repenning & Sterman's structure: the opposite of the calibrated result
    def edge(**fields):
        return smallest_tipping_surge(COMMAND.replace(**fields), tolerance=0.01, high=2.0)

    assert edge(work_harder=8) > edge(work_harder=4)
    theirs = {"pressure_drain": 0.0, "attribution": 2.0}
    assert edge(work_harder=8, **theirs) < edge(work_harder=4, **theirs) < 1.0


def test_old_field_names_still_load():
    old = {"work_harder": 4.0, "trust_threshold": 0.3, "trust_loss_time": 6.0}
    assert as_regime(old) == COMMAND.replace(climate_threshold=0.3, climate_loss_time=6.0)


def test_edge_sweep_moves_with_the_invented_tolerance_and_brackets_the_edge():
    sweep = edge_sweep(COMMAND, values=(0.015, 0.025, 0.05), vary=("pressure_drain",))
    assert list(sweep.edge) == sorted(sweep.edge)  # a more tolerant climate tips later
    assert all(lo <= e <= hi for lo, e, hi in zip(sweep.low, sweep.edge, sweep.high, strict=True))
    assert round(sweep.edge[1], 2) == 0.15 and sweep.edge[-1] > 2 * sweep.edge[1]
    assert sweep.summary.startswith("As pressure tolerance goes from 0.015 to 0.05")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"parameter": "speed"}, r"parameter must be a field of Regime, got parameter='speed'"),
        ({"vary": ("pressure_tolerance",)}, r"vary must name other fields of Regime"),
        ({"values": ()}, r"values must hold at least one value"),
        ({"values": (0.0,)}, r"pressure_tolerance must be a number in \(0, 1\]"),
        ({"spread": 1.0}, r"spread must be a number in \[0, 1\)"),
    ],
)
def test_edge_sweep_checks_its_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        edge_sweep(COMMAND, **kwargs)
