"""The claims of lessons 07 and 08 (senge_course.models.claims.cycle): each holds at the lesson's
setting and fails at its documented counterexample, or is true by construction whatever the
constants; the apps that list them can move to every setting and show what the check says."""

import pytest

from senge_course.models.claims import CLAIMS, for_app, for_lesson
from senge_course.models.claims.cycle import CLAIMS as CYCLE
from senge_course.models.knowledge import CALIBRATION

BY_KEY = {c.key: c for c in CYCLE}
BREAKABLE = [c for c in CYCLE if c.counterexample is not None]
BUILT_IN = [c for c in CYCLE if c.by_construction and "IntegrationPlanner" in c.apps]


def test_every_claim_is_registered_and_prefixed():
    assert [c.key for c in CYCLE] == [k for k in CLAIMS if k.startswith("cycle.")]
    assert {c.key for c in for_lesson("07")} >= {
        "cycle.firefighting-never-grows",
        "cycle.firefighting-wins-short-run",
        "cycle.ivory-tower",
        "cycle.fragmented-poor",
        "cycle.integration-pays",
        "cycle.consultants-leave-below-start",
        "cycle.horizon-decides",
    }
    assert {c.key for c in for_lesson("08") if c.key.startswith("cycle.")} == {
        "cycle.integration-pays",
        "cycle.capstone-goals",
        "cycle.capstone-separate",
    }
    assert {c.origin for c in CYCLE} == {"structure", "calibration", "research"}
    assert BY_KEY["cycle.horizon-decides"].source.startswith("March (1991)")


@pytest.mark.parametrize("claim", CYCLE, ids=lambda c: c.key)
def test_each_claim_holds_at_the_lessons_setting(claim):
    verdict = claim.evaluate()
    assert verdict.holds, verdict.summary
    assert claim.assumption and verdict.evidence


@pytest.mark.parametrize("claim", BREAKABLE, ids=lambda c: c.key)
def test_each_breakable_claim_fails_at_its_counterexample(claim):
    verdict = claim.evaluate(**claim.counterexample)
    assert not verdict.holds, verdict.summary
    assert claim.why_fails and not claim.by_construction


@pytest.mark.parametrize("claim", BUILT_IN, ids=lambda c: c.key)
@pytest.mark.parametrize(
    "constants",
    [
        {"max_capability": 1.5, "practice_returns": 1.0},
        {"max_capability": 6.0, "practice_returns": 0.05},
        {"max_capability": 1.1, "practice_returns": 0.3},
    ],
)
def test_claims_true_by_construction_hold_whatever_the_constants(claim, constants):
    assert claim.counterexample is None
    assert claim.holds(**constants)


@pytest.mark.parametrize(
    ("key", "default", "counter"),
    [
        (
            "cycle.firefighting-wins-short-run",
            "over 1 year all practice (4.00) beats every other plan",
            "the plan 35/35/30 delivers 4.15, more than all practice (4.00)",
        ),
        (
            "cycle.fragmented-poor",
            "loop gain is 0.12 and it delivers 29.8 over 10 years, 75% of all practice",
            "loop gain is 0.48 and it delivers 43.4 over 10 years, 109% of all practice",
        ),
        (
            "cycle.integration-pays",
            "dips to 0.73 a quarter, is back above today's from quarter 5, and delivers 59.9 over "
            "10 years against 40 (1.50 times)",
            "dips to 0.71 a quarter, is never back above today's, and delivers 36.8 over 10 "
            "years against 40 (0.92 times)",
        ),
        (
            "cycle.consultants-leave-below-start",
            "falls from 1.00 to 0.74 while the consultants work; after they leave results go no "
            "lower than 0.832",
            "falls from 1.00 to 0.86 while the consultants work; after they leave results go no "
            "lower than 1.001",
        ),
        (
            "cycle.horizon-decides",
            "over 2 years is 0/0/100 (8.00; all practice 8.00), over 10 years 20/20/60 (59.9",
            "over 10 years 0/0/100 (40.0; all practice 40)",
        ),
    ],
)
def test_the_knowledge_claims_numbers(key, default, counter):
    claim = BY_KEY[key]
    assert default in claim.evaluate().evidence
    assert counter in claim.evaluate(**claim.counterexample).evidence


def test_the_capstone_claims_say_what_the_models_predict():
    from senge_course.models.capstone import assess
    from senge_course.models.knowledge import BALANCED
    from senge_course.models.leadership import SCENARIOS

    goals = BY_KEY["cycle.capstone-goals"]
    good = assess("all three", "commitment", BALANCED, 1.0)
    one = assess(SCENARIOS["all three"].replace(networkers=1), "commitment", BALANCED, 1.0)
    assert good.passed and not one.passed and one.committed < 0.6
    assert f"{good.committed:.0%} committed on average" in goals.evaluate().evidence
    assert f"{one.committed:.0%} committed" in goals.evaluate(**goals.counterexample).evidence
    assert "leaves each result as it was" in BY_KEY["cycle.capstone-separate"].evaluate().evidence


def test_a_by_construction_claim_notices_a_broken_construction():
    # the checks compute, they do not assert: an all-practice plan that grew would fail
    verdict = BY_KEY["cycle.firefighting-never-grows"].evaluate(max_capability=3.0)
    assert verdict.holds and "1.00 in each of 40 quarters" in verdict.evidence


# ----------------------------------------------------------------- the apps


def test_the_planner_shows_every_setting_of_its_claims():
    from senge_course.views import IntegrationPlanner

    app = IntegrationPlanner()
    claims = for_app("IntegrationPlanner")
    assert {c.key for c in claims} == {c.key for c in for_lesson("07")}
    for claim in claims:
        for setting in (claim.default, claim.counterexample):
            if setting is not None:
                app.apply(setting)
                assert "Cannot do that" not in app.message.value, (claim.key, setting)


@pytest.mark.parametrize(
    ("key", "total"), [("cycle.integration-pays", 36.8), ("cycle.fragmented-poor", 43.4)]
)
def test_the_planner_shows_a_counterexample_as_the_check_computes_it(key, total):
    from senge_course.views import IntegrationPlanner

    app = IntegrationPlanner()
    claim = BY_KEY[key]
    app.assumptions.show_counterexample(key)
    assert app.assumptions.result.holds is False
    assert round(app.result.total, 1) == total
    assert f"{total}" in claim.evaluate(**claim.counterexample).evidence
    changed = [n for n in claim.counterexample if n in CALIBRATION]
    assert all(f"{n} " in app.figure_state()["summary"] for n in changed)
    app.assumptions.show_default()  # back to the opening plan and the calibration
    assert round(app.result.total, 1) == 29.8 and app.constants()["max_capability"] == 3.0


def test_the_planner_refuses_a_setting_it_cannot_show():
    from senge_course.views import IntegrationPlanner

    app = IntegrationPlanner()
    with pytest.raises(ValueError, match="the planner has no control for networkers"):
        app.apply({"networkers": 3})
    with pytest.raises(ValueError, match="max_capability must be a number"):
        app.apply({"max_capability": 0.5})
    assert round(app.result.total, 1) == 29.8


def test_the_dashboard_shows_its_claims_settings():
    from senge_course.views import CapstoneDashboard

    app = CapstoneDashboard()
    assert {c.key for c in for_app("CapstoneDashboard")} == {
        "cycle.capstone-goals",
        "cycle.capstone-separate",
    }
    app.assumptions.show_default()
    assert app.result.passed and app.assumptions.result.holds
    app.assumptions.show_counterexample("cycle.capstone-goals")
    assert not app.result.verdicts["commitment spreads"]
    assert app.result.levers.networkers == 1 and app.assumptions.result.holds is False
    with pytest.raises(ValueError, match="the dashboard has no control for max_capability"):
        app.apply({"max_capability": 1.5})
