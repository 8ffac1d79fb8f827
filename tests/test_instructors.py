"""The instructors' notes say what the models say: every number and table is held here."""

import re
from pathlib import Path

import pytest

from senge_course.models.assignment import DEFAULT, Assignment
from senge_course.models.budget import BUDGET, FEASIBLE, PRICES, cost
from senge_course.models.capability import COMMITMENT
from senge_course.models.capstone import Design, assess
from senge_course.models.coupled import COUPLING_ORIGINS, COUPLINGS, OFF, assess_coupled
from senge_course.models.knowledge import ALL_PRACTICE, BALANCED
from senge_course.models.leadership import Levers
from senge_course.models.memo import RUBRIC
from senge_course.models.plan import Plan

ROOT = Path(__file__).resolve().parents[1]
CAPSTONE = (ROOT / "instructors" / "capstone.md").read_text(encoding="utf-8")


def test_the_rubric_is_the_lessons_rubric_word_for_word():
    for criterion, strong in RUBRIC.items():
        assert f"| {criterion} | {strong} |" in CAPSTONE


def test_the_couplings_table_is_the_models_table():
    for name in COUPLINGS:
        value = f"{COUPLINGS[name].default:g}"
        assert re.search(
            rf"\| `{name}` \| [^|]+ \| {COUPLING_ORIGINS[name]} \| {value} \|", CAPSTONE
        )


def test_the_prices_and_the_budget():
    p = PRICES.defaults()
    assert (p["pilot_team"], p["mentoring"], p["networker_team"], p["mandate"]) == (8, 8, 2, 1)
    assert (p["research"], p["capacity_building"], p["consultants"], BUDGET) == (50, 50, 5, 50)
    assert "against a budget of 50" in CAPSTONE


def test_the_numbers_under_the_course_settings():
    firm = assess("executives only (mandate)", "command", ALL_PRACTICE, 0.25)
    assert not any(firm.verdicts.values())
    assert cost("all three", BALANCED).total == pytest.approx(54.4)
    assert assess_coupled("all three", "commitment", BALANCED, 1.0).passed
    plan = FEASIBLE.plan
    assert cost(FEASIBLE.levers, plan.allocation).total == pytest.approx(49.5)
    assert DEFAULT.assess(FEASIBLE).passed
    for text in ("costs 54.4 points", "at 49.5 points", "costs 307 points", "1,307 with"):
        assert text in CAPSTONE


def test_the_departure_numbers():
    said = {None: 0.78, 1: 0.75, 0: 0.67}
    for quarter, share in said.items():
        a = (
            DEFAULT
            if quarter is None
            else DEFAULT.replace(shock={"kind": "networker_leaves", "quarter": quarter})
        )
        assert round(a.assess(FEASIBLE).committed, 2) == share
    assert "78% committed if nobody leaves, 75%" in CAPSTONE and "67% if they leave" in CAPSTONE


def test_the_tight_example_as_described():
    tight = Assignment.load(ROOT / "examples" / "assignments" / "exec-tight-budget.json")
    assert tight.budget == 60 and tight.available_budget == 48
    assert tight.cost(FEASIBLE).total == pytest.approx(51)
    design = Design(
        Plan("Tight", allocation=(0.15, 0.2, 0.65), integration=1.0),
        levers=Levers(pilot_teams=2, mentoring=1.0, networkers=1),
        regime=COMMITMENT,
    )
    assert tight.cost(design).total == pytest.approx(47) and tight.assess(design).passed
    assert "a budget of 60 cut by 20% to 48" in CAPSTONE and "at 47 points" in CAPSTONE


def test_every_coupling_off_reproduces_the_separate_models():
    coupled = assess_coupled("all three", "command", BALANCED, 1.0, couplings=OFF).report
    alone = assess("all three", "command", BALANCED, 1.0)
    assert coupled.committed == alone.committed and coupled.verdicts == alone.verdicts


def test_the_readme_links_the_instructors_notes():
    assert "instructors/capstone.md" in (ROOT / "README.md").read_text(encoding="utf-8")
