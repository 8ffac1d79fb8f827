"""The claims of lessons 01 and 06 (senge_course.models.claims.trap): each holds at the lesson's
setting with the numbers the lessons state, and fails at its documented counterexample (or says
why it cannot fail)."""

import pytest

from senge_course.models.claims import for_app, for_lesson, get
from senge_course.models.claims.trap import CLAIMS

#: key -> (evidence at the lesson's setting, evidence at the counterexample or None).
EVIDENCE = {
    "trap.temporary-surge": (
        "command's capability ends at 0.30 (floor 0.30, trapped; climate 0.05) and commitment's "
        "at 1.00 (recovered)",
        "command's capability ends at 0.98 (floor 0.30, recovered; climate 0.76)",
    ),
    "trap.commitment-never-trapped": (
        "capability ends at 1.11 (floor 0.30, not trapped; climate 0.64)",
        "commitment with work harder 4: capability ends at 0.31 (floor 0.30, trapped; climate "
        "0.64)",
    ),
    "trap.better-before-worse": (
        "peaks at 1.16x its start (week 24) and ends at 0.43x (better before worse)",
        "ends at 1.16x (steady)",
    ),
    "trap.worse-before-better": (
        "first dips to 0.96x its start (week 28), then ends at 1.08x (worse before better)",
        None,
    ),
    "trap.reflex-sturdier": (
        "command (work harder 4) is trapped from an 8-week surge of 0.15; with work harder 8 it "
        "is trapped from an 8-week surge of 0.29",
        "command (work harder 4) is trapped from an 8-week surge of 0.65; with work harder 8 it "
        "is trapped from an 8-week surge of 0.50",
    ),
    "trap.edge-about-15": (
        "command is trapped from an 8-week surge of 0.15; an 8-week 20% surge traps it",
        "command is trapped from an 8-week surge of 0.64; an 8-week 20% surge does not trap it",
    ),
    "trap.compliance-hours": (
        "people work 45 hours a week and improve 0; the climate (0.05) leaves improvement 0% "
        "effective",
        None,
    ),
}


def test_every_claim_is_registered_for_its_lessons_and_the_app():
    assert [c.key for c in CLAIMS] == list(EVIDENCE)
    assert all(get(c.key) is c for c in CLAIMS)
    assert {c.key for c in for_lesson("01")} >= {
        "trap.commitment-never-trapped",
        "trap.better-before-worse",
        "trap.worse-before-better",
        "trap.compliance-hours",
    }
    assert {c.key for c in for_lesson("06")} >= {
        "trap.temporary-surge",
        "trap.reflex-sturdier",
        "trap.edge-about-15",
    }
    assert list(for_app("ScenarioComparer")) == list(CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.key)
def test_holds_at_the_lessons_setting_with_the_lessons_numbers(claim):
    verdict = claim.evaluate()
    assert verdict.holds, verdict.summary
    assert EVIDENCE[claim.key][0] in verdict.evidence


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.key)
def test_fails_at_its_counterexample_or_says_why_it_cannot(claim):
    if claim.counterexample is None:
        assert claim.by_construction and EVIDENCE[claim.key][1] is None
        return
    verdict = claim.evaluate(**claim.counterexample)
    assert not verdict.holds, verdict.summary
    assert EVIDENCE[claim.key][1] in verdict.evidence
    assert claim.why_fails and set(claim.counterexample) == set(claim.default)


def test_origins_and_sources():
    origins = {c.key: c.origin for c in CLAIMS}
    assert origins["trap.better-before-worse"] == origins["trap.worse-before-better"] == "research"
    assert "Repenning & Sterman (2001)" in get("trap.better-before-worse").source
    assert origins["trap.compliance-hours"] == "structure"
    assert "R4, the course's extension" in get("trap.temporary-surge").assumption
    # the done-when of issue 12: commitment with command's reflex under a permanent 20% rise
    counter = dict(get("trap.commitment-never-trapped").counterexample)
    assert counter == {
        "commitment_work_harder": 4.0,
        "target_change": 0.2,
        "surge_weeks": 8,
        "permanent": True,
    }


def test_the_lessons_settings_make_one_scene():
    """Every field at its documented value: all the defaults together are the lesson's setting."""
    merged = {}
    for claim in CLAIMS:
        for key, value in claim.default.items():
            if key != "permanent":
                assert merged.setdefault(key, value) == value, key


def test_worse_before_better_is_built_in_even_with_fast_improvement():
    claim = get("trap.worse-before-better")
    fast = claim.evaluate(improvement_delay=1.0)
    assert fast.holds and "dips to 0.97x" in fast.evidence  # shallower, never absent


def test_the_reflex_result_also_flips_without_overtime_or_without_r4():
    claim = get("trap.reflex-sturdier")
    assert not claim.holds(overtime_cap=0.0)  # no overtime to absorb small surges
    assert not claim.holds(pressure_drain=0.0, overtime_cap=0.05)  # R4 off, 2 hours of overtime
    assert claim.holds(attribution=2.0)  # with R4 on, attribution alone does not flip it
