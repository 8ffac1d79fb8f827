"""Tests for senge_course.models.budget: one budget for the whole capstone design."""

import pytest

from senge_course.models import leader_time
from senge_course.models.budget import (
    BUDGET,
    FEASIBLE,
    HORIZON_QUARTERS,
    ITEMS,
    PRICES,
    REASONS,
    Cost,
    cost,
    within_budget,
)
from senge_course.models.capability import COMMAND, COMMITMENT
from senge_course.models.capstone import Design, assess
from senge_course.models.coupled import assess_coupled
from senge_course.models.knowledge import ALL_PRACTICE, BALANCED, Consultants
from senge_course.models.leadership import LEVERS, SCENARIOS, Levers
from senge_course.models.plan import Plan

#: The capstone dashboard's starting design (``views/capstone.py``, ``CapstoneDashboard``: "the
#: firm as it is": a mandate, command, all practice, integration 0.25).
DASHBOARD_DEFAULT = ("executives only (mandate)", "command", ALL_PRACTICE, 0.25)
#: The lesson's worked design (lesson 08, "3. and learning, integrated"), which meets the three
#: goals in the uncoupled capstone.
WORKED = ("all three", "commitment", BALANCED, 1.0)


def _maxed_levers():
    """Every leader lever at the top of its control (`LEVERS`)."""
    tops = {name: spec.control_range()[1] for name, spec in LEVERS.items()}
    return Levers(**tops)


def _coupled(design):
    plan = design.plan
    return assess_coupled(
        design.levers,
        design.regime,
        plan.allocation,
        plan.integration,
        consultants=plan.consultants,
    )


# ----------------------------------------------------------------- the tables


def test_the_leaders_prices_are_lesson_05s_leader_weeks():
    for name, spec in leader_time.COSTS.items():
        assert PRICES[name].default == spec.default
        assert PRICES[name].label == spec.label
    assert all(spec.unit == "budget points" for spec in PRICES.values())
    assert set(PRICES) == set(REASONS) == set(ITEMS)
    assert all(reason.endswith(".") and "\n" not in reason for reason in REASONS.values())
    assert BUDGET == 50.0 and HORIZON_QUARTERS == 40


@pytest.mark.parametrize(
    "levers",
    [
        Levers(),
        Levers(pilot_teams=3, mentoring=0.4),
        SCENARIOS["all three"],
        SCENARIOS["executives only (mandate)"],
        Levers(networkers=4, teams_spanned=3, mandate=0.2),
    ],
)
def test_the_leaders_items_add_up_to_leader_time_cost(levers):
    points = cost(levers, ALL_PRACTICE).points
    leaders = sum(points[name] for name in leader_time.COSTS)
    assert leaders == pytest.approx(leader_time.cost(levers))
    assert cost(levers, ALL_PRACTICE).total == pytest.approx(leader_time.cost(levers))


def test_cost_is_itemised():
    c = cost(FEASIBLE.levers, FEASIBLE.plan.allocation)
    assert isinstance(c, Cost)
    assert dict(c.points) == {
        "pilot_team": 16.0,
        "mentoring": 8.0,
        "networker_team": 8.0,
        "mandate": 0.0,
        "research": 7.5,
        "capacity_building": 10.0,
        "consultants": 0.0,
    }
    assert dict(c.quantities)["networker_team"] == 4 and c.total == 49.5
    assert c.summary == (
        "The design costs 49.5 budget points: pilot teams 16, mentoring 8, networkers 8, "
        "research 7.5 and capacity building 10."
    )
    assert cost(Levers(), ALL_PRACTICE).summary == "The design costs 0 budget points."


@pytest.mark.parametrize(
    ("consultants", "points"),
    [
        (None, 0.0),
        (Consultants(0.5, stop_at=8), 20.0),  # lesson 07's two years at spend 0.5
        (Consultants(1.0, start=4, stop_at=6), 10.0),
        (Consultants(0.5, start=4), 0.5 * 36 * 5),  # never stopped: paid to the 10th year
    ],
)
def test_consultants_cost_by_the_quarter(consultants, points):
    assert cost(Levers(), ALL_PRACTICE, consultants).points["consultants"] == points


def test_prices_can_be_changed():
    assert cost("all three", BALANCED, prices={"research": 0, "capacity_building": 0}).total == 34.4
    assert cost({"pilot_teams": 2}, ALL_PRACTICE, prices={"pilot_team": 3}).total == 6.0


# ----------------------------------------------------------------- the budget's tests


def test_maxing_every_lever_is_over_budget():
    maxed = _maxed_levers()
    assert maxed.pilot_teams == 6 and maxed.networkers == 20 and maxed.mentoring == 1.0
    full = (0.5, 0.5, 0.0)  # all effort into research and capacity building
    for consultants in (None, Consultants(5.0)):
        assert not within_budget(maxed, full, consultants)
    assert cost(maxed, full, Consultants(5.0)).total > 10 * BUDGET
    # the leaders' levers maxed are over budget alone, and so is any one of them but mandate
    assert not within_budget(maxed, ALL_PRACTICE)
    assert not within_budget(Levers(networkers=20, teams_spanned=5), ALL_PRACTICE)
    assert not within_budget(Levers(pilot_teams=6, mentoring=1.0), ALL_PRACTICE)


def test_maxing_every_lever_does_not_meet_the_goals_either():
    # all effort in research and capacity building starves practice: an ivory tower (bridges
    # 6 ties wide cannot be laid in the capstone's teams of 8, and width costs nothing: 3 wide)
    maxed = _maxed_levers().replace(bridge_width=3)
    report = assess_coupled(maxed, "commitment", (0.5, 0.5, 0.0), 1.0)
    assert report.report.diagnosis.mode == "ivory tower"
    assert not report.verdicts["integrated cycle"]


def test_the_defaults_fail_a_goal_under_the_coupled_model():
    # the models' Design defaults: no levers, command, all practice, integration 0.25
    plain = _coupled(Design(Plan("My design")))
    assert plain.committed == 0.0 and not any(plain.verdicts.values())
    # the capstone dashboard's starting design: it fails all three goals (uncoupled too) and
    # is within budget (a mandate costs 1 point)
    report = assess_coupled(*DASHBOARD_DEFAULT)
    assert not any(report.verdicts.values())
    assert not any(assess(*DASHBOARD_DEFAULT).verdicts.values())
    assert cost(DASHBOARD_DEFAULT[0], ALL_PRACTICE).total == 1.0


def test_the_lessons_worked_design_meets_the_goals_but_is_over_budget():
    assert assess(*WORKED).passed and assess_coupled(*WORKED).passed
    assert cost(WORKED[0], WORKED[2]).total == 54.4 > BUDGET
    assert not within_budget(WORKED[0], WORKED[2])


def test_the_feasible_design_meets_all_three_goals_within_budget():
    plan = FEASIBLE.plan
    assert within_budget(FEASIBLE.levers, plan.allocation, plan.consultants)
    report = _coupled(FEASIBLE)
    assert report.passed, report.summary
    assert report.committed > 0.7 and report.report.diagnosis.loop_gain > 1.2
    assert FEASIBLE.regime == COMMITMENT and plan.integration == 1.0
    # it holds for other seeds of the leader network too
    for seed in (2, 3):
        again = assess_coupled(
            FEASIBLE.levers, FEASIBLE.regime, plan.allocation, plan.integration, seed=seed
        )
        assert again.passed


def test_the_feasible_design_needs_the_commitment_regime():
    plan = FEASIBLE.plan
    report = assess_coupled(FEASIBLE.levers, COMMAND, plan.allocation, plan.integration)
    assert not report.passed


# ----------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        ({"prices": {"research": -1}}, ValueError, "research must be a number >= 0, got research=-1"),
        ({"prices": {"coffee": 1}}, ValueError, "unknown input 'coffee'"),
        ({"prices": [("research", 1)]}, TypeError, "prices must be None or a dict"),
        ({"allocation": (0.5, 0.5, 0.5)}, ValueError, "allocation shares must sum to 1"),
        ({"levers": 3}, TypeError, "levers must be Levers"),
        ({"levers": {"charisma": 1}}, ValueError, "levers has no field"),
        ({"consultants": 0.5}, TypeError, "consultants must be None or Consultants"),
        ({"consultants": Consultants(0.5, start=40)}, ValueError, "start must be below quarters=40"),
    ],
)  # fmt: skip
def test_bad_inputs_are_refused_naming_them(kw, error, match):
    args = {"levers": "all three", "allocation": BALANCED, **kw}
    with pytest.raises(error, match=match):
        cost(**args)


@pytest.mark.parametrize(
    ("budget", "error", "match"),
    [
        (-1, ValueError, "budget must be a number >= 0, got budget=-1"),
        ("lots", TypeError, "budget must be a number"),
        (float("nan"), ValueError, "budget must be a finite number"),
    ],
)
def test_a_bad_budget_is_refused(budget, error, match):
    with pytest.raises(error, match=match):
        within_budget("all three", BALANCED, budget=budget)


def test_a_design_that_costs_exactly_the_budget_is_within_it():
    assert within_budget(Levers(), (0.5, 0.5, 0.0))  # 25 + 25 = 50
    assert cost(Levers(), (0.5, 0.5, 0.0)).within(BUDGET)
    assert not cost(Levers(), (0.5, 0.5, 0.0)).within(49.9)
