"""Tests for senge_course.models.coupled: the capstone's three models coupled, one way."""

import json

import numpy as np
import pytest

from senge_course.models.capability import COMMAND, COMMITMENT
from senge_course.models.capstone import GOALS, assess
from senge_course.models.claims.core import ORIGINS
from senge_course.models.coupled import (
    COUPLING_ORIGINS,
    COUPLINGS,
    MECHANISMS,
    OFF,
    ORDER,
    CoupledReport,
    assess_coupled,
    check_couplings,
)
from senge_course.models.knowledge import ALL_PRACTICE, BALANCED, CALIBRATION, Consultants
from senge_course.models.leadership import ASSUMPTIONS, SCENARIOS
from senge_course.models.org import organisation

ALL_THREE = SCENARIOS["all three"]

#: Designs the uncoupled capstone must be reproduced on (name -> assess's arguments, keywords).
DESIGNS = {
    "the firm as it is": (("executives only (mandate)", "command", ALL_PRACTICE, 0.25), {}),
    "the lesson's worked design": (("all three", "commitment", BALANCED, 1.0), {}),
    "leaders changed, command": (("all three", "command", ALL_PRACTICE, 0.25), {}),
    "a mandate next to commitment": (
        (ALL_THREE.replace(mandate=0.8), COMMITMENT, (0.1, 0.3, 0.6), 0.8),
        {},
    ),
    "line leaders, custom regime, consultants": (
        ({"pilot_teams": 3}, {"control": 0.3, "autonomy": 0.6}, BALANCED, 0.9),
        {"consultants": Consultants(0.5, stop_at=8)},
    ),
    "another organisation and seed": (
        ("all three", "commitment", (0.25, 0.25, 0.5), 0.7),
        {"G": organisation(seed=2), "runs": 7, "seed": 3},
    ),
}

#: Where each coupling, alone, shows its effect (name -> design and keywords).
ALONE = {
    # command's control (0.8) stalls the spread of all three kinds of leader below the goal
    "control_raises_thresholds": ("all three", "command", ALL_PRACTICE, 0.25),
    # a gentler command regime (control 0.3) absorbs the surge, until a mandate tightens control
    "mandate_drains_climate": (
        ALL_THREE.replace(mandate=0.8),
        COMMAND.replace(control=0.3),
        BALANCED,
        1.0,
    ),
    # command falls into the trap, which moves all research and capacity building to practice
    "trap_starves_learning": ("all three", "command", BALANCED, 1.0),
    # line leaders alone commit about a third of people: too few to carry full integration
    "commitment_scales_integration": ("line leaders only", "commitment", BALANCED, 1.0),
    # the trap leaves a third of the process capability: capacity building's headroom shrinks
    "capability_feeds_practice": ("all three", "command", BALANCED, 1.0),
}


def only(name, value=None):
    """Every coupling off but `name` (at its default, or `value`)."""
    return {**OFF, name: COUPLINGS[name].default if value is None else value}


@pytest.fixture(scope="module")
def alone():
    """name -> (report with that coupling alone, report with every coupling off)."""
    return {
        name: (
            assess_coupled(*design, couplings=only(name)),
            assess_coupled(*design, couplings=OFF),
        )
        for name, design in ALONE.items()
    }


# ----------------------------------------------------------------- the table of couplings


def test_every_coupling_has_an_origin_a_mechanism_and_can_be_switched_off():
    assert set(COUPLINGS) == set(COUPLING_ORIGINS) == set(MECHANISMS) == set(OFF)
    assert len(COUPLINGS) == 5
    for name, spec in COUPLINGS.items():
        assert COUPLING_ORIGINS[name] in ("structure", "calibration")
        assert COUPLING_ORIGINS[name] in ORIGINS  # the claims registry's tags
        assert spec.default > 0 and spec.check(name, 0) == 0.0  # on by default; 0 is allowed
        assert spec.label and spec.description and spec.unit
        low, high, step = spec.control_range()  # a slider can be built from it
        assert low == 0 and high > low and step > 0
        assert MECHANISMS[name].count("->") == 1
    # the origins follow the defaults: the natural value 1 is structure, the others calibration
    assert all(
        (COUPLING_ORIGINS[n] == "structure") == (s.default == 1.0) for n, s in COUPLINGS.items()
    )


def test_check_couplings_fills_the_defaults():
    assert check_couplings(None) == COUPLINGS.defaults()
    assert check_couplings(OFF) == dict(OFF)
    assert check_couplings({"trap_starves_learning": 0.5})["trap_starves_learning"] == 0.5
    assert check_couplings({"trap_starves_learning": 0.5})["mandate_drains_climate"] == 0.5


@pytest.mark.parametrize(
    ("couplings", "error", "match"),
    [
        ({"charisma": 1}, ValueError, "unknown input 'charisma'"),
        ({"mandate_drains_climate": 1.5}, ValueError, r"mandate_drains_climate must be a number in \[0, 1\], got mandate_drains_climate=1.5"),
        ({"control_raises_thresholds": -0.1}, ValueError, "control_raises_thresholds must be a number"),
        ({"capability_feeds_practice": "high"}, TypeError, "capability_feeds_practice must be a number"),
        ([("trap_starves_learning", 0)], TypeError, "couplings must be None or a dict"),
    ],
)  # fmt: skip
def test_bad_couplings_are_refused_naming_them(couplings, error, match):
    with pytest.raises(error, match=match):
        check_couplings(couplings)
    with pytest.raises(error, match=match):
        assess_coupled("all three", "commitment", BALANCED, 1.0, couplings=couplings, runs=1)


@pytest.mark.parametrize(
    ("args", "kw", "error", "match"),
    [
        (("all three", "laissez-faire", BALANCED, 1.0), {}, ValueError, "regime must be a Regime"),
        (("everyone", "command", BALANCED, 1.0), {}, ValueError, "scenario must be one of"),
        (("all three", "command", (0.5, 0.5, 0.5), 1.0), {}, ValueError, "allocation shares must sum to 1"),
        (("all three", "command", BALANCED, 1.5), {}, ValueError, r"integration must be a number in \[0, 1\], got integration=1.5"),
        (("all three", "command", BALANCED, 1.0), {"runs": 0}, ValueError, "runs must be a whole number"),
        (("all three", "command", BALANCED, 1.0), {"consultants": 0.5}, TypeError, "consultants must be None or Consultants"),
    ],
)  # fmt: skip
def test_bad_designs_are_refused_naming_the_input(args, kw, error, match):
    with pytest.raises(error, match=match):
        assess_coupled(*args, **kw)


# ----------------------------------------------------------------- off: the capstone exactly


@pytest.mark.parametrize("name", list(DESIGNS))
def test_with_every_coupling_off_it_reproduces_the_capstone_exactly(name):
    args, kw = DESIGNS[name]
    coupled, alone = assess_coupled(*args, couplings=OFF, **kw), assess(*args, **kw)
    run = coupled.report
    assert run.to_dict() == alone.to_dict()
    assert run.summary == alone.summary
    assert coupled.verdicts == alone.verdicts and coupled.passed == alone.passed
    assert run.regime == alone.regime and run.allocation == alone.allocation
    assert run.integration == alone.integration and run.diagnosis == alone.diagnosis
    for kind in ("committed_by_round", "compliant_by_round", "run_seeds"):
        assert np.array_equal(getattr(run.diffusion, kind), getattr(alone.diffusion, kind))
    for stock in ("capability", "climate", "pressure", "performance", "hours_improving"):
        assert np.array_equal(getattr(run.capability, stock), getattr(alone.capability, stock))
    for series in ("results", "cumulative", "theory", "capability", "experience"):
        assert np.array_equal(getattr(run.knowledge, series), getattr(alone.knowledge, series))
    assert not coupled.changed
    assert "Every coupling is off" in coupled.summary


# ----------------------------------------------------------------- each coupling alone


def test_control_raises_thresholds_stalls_commitment_under_command(alone):
    on, off = alone["control_raises_thresholds"]
    effect = on.effects["control_raises_thresholds"]
    assert effect.model == "leaders" and effect.input == "threshold_mean"
    assert effect.uncoupled == ASSUMPTIONS["threshold_mean"].default == 0.45
    assert effect.coupled == pytest.approx(0.45 + 0.1 * 0.8)
    assert effect.driver == COMMAND.control
    assert on.committed < off.committed - 0.1
    assert off.verdicts["commitment spreads"] and not on.verdicts["commitment spreads"]
    assert on.changed == ("control_raises_thresholds",)


def test_mandate_drains_climate_tips_a_gentler_command_regime(alone):
    on, off = alone["mandate_drains_climate"]
    effect = on.effects["mandate_drains_climate"]
    assert effect.model == "regime" and effect.input == "control" and effect.driver == 0.8
    assert (effect.uncoupled, effect.coupled) == (0.3, pytest.approx(0.7))
    assert on.report.regime.control == pytest.approx(0.7) and on.regime.control == 0.3
    # more control: a lower climate from the start, and the surge now tips the regime
    assert on.report.capability.climate[0] < off.report.capability.climate[0]
    assert off.verdicts["no capability trap"] and not on.verdicts["no capability trap"]
    assert on.changed == ("mandate_drains_climate",)


def test_trap_starves_learning_turns_an_integrated_plan_into_firefighting(alone):
    on, off = alone["trap_starves_learning"]
    effect = on.effects["trap_starves_learning"]
    assert effect.model == "knowledge" and effect.input == "allocation"
    assert effect.driver == 1.0  # the trap: every improvement hour lost
    assert effect.uncoupled == BALANCED and effect.coupled == (0.0, 0.0, 1.0)
    assert off.report.diagnosis.mode == "integrated" and on.report.diagnosis.mode == "firefighting"
    assert on.report.knowledge.total < off.report.knowledge.total
    assert off.verdicts["integrated cycle"] and not on.verdicts["integrated cycle"]


def test_trap_starves_learning_in_proportion_to_its_strength():
    half = assess_coupled(
        "all three", "command", BALANCED, 1.0, couplings=only("trap_starves_learning", 0.5)
    )
    assert half.effects["trap_starves_learning"].coupled == pytest.approx((0.1, 0.1, 0.8))
    assert sum(half.report.allocation) == pytest.approx(1.0)


def test_commitment_scales_integration_fragments_a_plan_few_are_committed_to(alone):
    on, off = alone["commitment_scales_integration"]
    effect = on.effects["commitment_scales_integration"]
    assert effect.model == "knowledge" and effect.input == "integration"
    assert effect.driver == pytest.approx(off.committed) and off.committed < 0.4
    assert effect.coupled == pytest.approx(1.0 - 0.5 * (1.0 - off.committed))
    assert on.report.diagnosis.loop_gain < off.report.diagnosis.loop_gain
    assert off.report.diagnosis.mode == "integrated" and on.report.diagnosis.mode == "fragmented"
    assert not on.verdicts["integrated cycle"]


def test_capability_feeds_practice_lowers_results_after_the_trap(alone):
    on, off = alone["capability_feeds_practice"]
    effect = on.effects["capability_feeds_practice"]
    assert effect.model == "knowledge" and effect.input == "max_capability"
    kept = off.report.capability.capability[-1] / off.report.capability.capability[0]
    assert effect.driver == pytest.approx(kept) and kept < 0.35
    assert effect.uncoupled == CALIBRATION["max_capability"].default == 3.0
    assert effect.coupled == pytest.approx(1.0 + 2.0 * kept)
    assert on.report.knowledge.total < off.report.knowledge.total - 15
    # the baseline is untouched, and this plan still grows: the goal itself does not move
    assert on.report.knowledge.baseline_total == off.report.knowledge.baseline_total
    assert on.verdicts == off.verdicts


def test_a_stronger_coupling_has_at_least_as_strong_an_effect():
    design = ALONE["control_raises_thresholds"]
    committed = [
        assess_coupled(*design, couplings=only("control_raises_thresholds", s), runs=10).committed
        for s in (0.0, 0.05, 0.1)
    ]
    assert committed[0] > committed[1] > committed[2]


def test_a_coupling_without_a_driver_changes_nothing():
    # no mandate, a regime that recovers and keeps its capability: only commitment acts
    report = assess_coupled("all three", COMMITMENT.replace(control=0.0), BALANCED, 1.0)
    assert report.changed == ("commitment_scales_integration",)
    assert report.report.regime is report.regime
    assert report.report.allocation is report.allocation
    for name in (
        "control_raises_thresholds",
        "mandate_drains_climate",
        "capability_feeds_practice",
    ):
        assert report.effects[name].uncoupled == report.effects[name].coupled


# ----------------------------------------------------------------- one way: leaders -> regime -> knowledge


def test_the_order_is_one_way():
    assert ORDER == ("leaders", "regime", "knowledge")
    design = ALONE["trap_starves_learning"]
    base = assess_coupled(*design, couplings=OFF, runs=5)
    # couplings into the knowledge plan change neither the leaders' run nor the regime's
    downstream = {
        "trap_starves_learning": 1.0,
        "commitment_scales_integration": 1.0,
        "capability_feeds_practice": 2.0,
    }
    later = assess_coupled(*design, couplings={**OFF, **downstream}, runs=5)
    assert np.array_equal(
        base.report.diffusion.committed_by_round, later.report.diffusion.committed_by_round
    )
    assert np.array_equal(base.report.capability.climate, later.report.capability.climate)
    assert later.report.knowledge.total < base.report.knowledge.total
    # a coupling into the regime leaves the leaders' run alone
    mandate = ALONE["mandate_drains_climate"]
    a = assess_coupled(*mandate, couplings=OFF, runs=5)
    b = assess_coupled(*mandate, couplings=only("mandate_drains_climate", 1.0), runs=5)
    assert np.array_equal(
        a.report.diffusion.committed_by_round, b.report.diffusion.committed_by_round
    )
    # each coupling feeds a model later in the order than where its driver comes from
    models = {name: e.model for name, e in b.effects.items()}
    assert models == {
        "control_raises_thresholds": "leaders",
        "mandate_drains_climate": "regime",
        "trap_starves_learning": "knowledge",
        "commitment_scales_integration": "knowledge",
        "capability_feeds_practice": "knowledge",
    }
    assert list(b.effects) == list(COUPLINGS)


# ----------------------------------------------------------------- the report


def test_the_report_says_what_each_coupling_changed():
    report = assess_coupled("all three", "command", BALANCED, 1.0)
    assert isinstance(report, CoupledReport)
    assert report.verdicts == dict.fromkeys(GOALS, False) and not report.passed
    text = report.summary
    assert "leaders, regime, knowledge" in text and "meets 0 of the 3 goals" in text
    assert "20%/20%/60% becomes 0%/0%/100%" in text
    assert "mean threshold from 0.45 to 0.53" in text
    for effect in report.effects.values():
        assert effect.sentence in text and effect.summary == effect.sentence
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["effects"]["trap_starves_learning"]["coupled"] == [0.0, 0.0, 1.0]
    assert data["design"]["allocation"] == list(BALANCED)
    assert data["run"]["allocation"] == [0.0, 0.0, 1.0]
    assert "passed=False" in repr(report)


def test_switched_off_couplings_are_named_in_the_summary():
    report = assess_coupled(
        "all three", "commitment", BALANCED, 1.0, couplings=only("trap_starves_learning"), runs=5
    )
    assert "Switched off:" in report.summary and "mandate drains climate" in report.summary
    assert report.effects["mandate_drains_climate"].sentence == "Mandate drains climate is off."


def test_the_lessons_worked_design_still_meets_the_goals_when_coupled():
    report = assess_coupled("all three", "commitment", BALANCED, 1.0)
    assert report.passed
    assert report.changed == ("control_raises_thresholds", "commitment_scales_integration")
    assert report.report.integration < 1.0


def test_with_every_coupling_off_each_part_is_the_lessons_own_model():
    """Off, the capstone runs lesson 05's, 06's and 07's models as those lessons call them."""
    from senge_course.models import capability, knowledge, leadership
    from senge_course.models.capstone import default_organisation

    levers = leadership.SCENARIOS["all three"]
    run = assess_coupled(levers, "command", BALANCED, 0.7, couplings=OFF).report
    lesson05 = leadership.compare(default_organisation(), {"x": levers}, runs=20, seed=1)["x"]
    assert np.array_equal(run.diffusion.committed_by_round, lesson05.committed_by_round)
    lesson06 = capability.simulate(capability.COMMAND, target_change=0.2, surge_weeks=8)
    assert np.array_equal(run.capability.climate, lesson06.climate) and lesson06.trapped
    lesson07 = knowledge.simulate(BALANCED, 0.7)
    assert np.array_equal(run.knowledge.results, lesson07.results)
    assert run.knowledge.total == lesson07.total
