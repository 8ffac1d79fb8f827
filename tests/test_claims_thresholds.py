"""Claims of lessons 02 and 03 (models/claims/thresholds.py): each holds at the lesson's setting
with the model's numbers, fails at its counterexample, and its app can show both."""

import pytest

from senge_course.models import claims
from senge_course.models.claims import thresholds
from senge_course.views import CascadeExplorer, PilotExplorer, RiotExplorer, ThresholdExplorer

CLAIMS = {c.key: c for c in thresholds.CLAIMS}

#: key -> (words of the verdict at the lesson's setting, words at the counterexample)
EVIDENCE = {
    "thresholds.riot": (
        "now at 2, 1 of the 100 riot (the uniform crowd: all 100)",
        "now at 51, 50 of the 100 riot",
    ),
    "thresholds.tipping-spread": (
        "a crowd of 100 with mean threshold 25 tips at a spread of 12.22",
        "a crowd of 200 with mean threshold 25 tips at a spread of 10.23",
    ),
    "thresholds.leaders-shift": (
        "at sd 10, 0.8 of 100 join without a shift (stalls); with every threshold shifted by "
        "-3.6, 100 join (tips)",
        "at sd 5, 0.0 of 100 join without a shift (stalls); with every threshold shifted by "
        "-3.6, 0.0 join (stalls)",
    ),
    "thresholds.cascade-window": (
        "the window runs from z = 1.02 to 5.76; inside it (z = 3.4) theory gives 88% and 92 of "
        "100 simulated runs go global; above it (z = 8) 0 of 100 do",
        "for threshold 0.3 there is no window",
    ),
    "thresholds.group-beats-lone": (
        "mean degree 6.8, a lone champion went global in 1 of 100 runs and a pilot group of 10 "
        "in 76 of 100",
        "mean degree 8, a lone champion went global in 0 of 100 runs and a pilot group of 10 in "
        "0 of 100",
    ),
    "thresholds.seed-size": (
        "a random start of 3% ends at 100% committed",
        "at mean degree 20 and threshold 0.18 a lone champion goes global with chance 0%; a "
        "random start of 3% ends at 4% committed",
    ),
    "thresholds.pilot-vs-scattered": (
        "pilot group of 4 1.00, 4 scattered champions 0.40, lone champion 0.03",
        "pilot group of 4 1.14, 4 scattered champions 5.21, lone champion 0.33",
    ),
}


def test_the_claims_are_registered_for_lessons_02_and_03():
    assert list(CLAIMS) == list(EVIDENCE)
    for claim in thresholds.CLAIMS:
        assert claims.get(claim.key) is claim
        assert claim.key.startswith("thresholds.") and set(claim.lessons) <= {"02", "03"}
        assert claim.origin in ("research", "calibration") and claim.assumption
    assert [c.key for c in claims.for_lesson("02")] == [
        "thresholds.riot",
        "thresholds.tipping-spread",
        "thresholds.leaders-shift",
    ]
    research = [c for c in thresholds.CLAIMS if c.origin == "research"]
    assert all("19" in c.source or "20" in c.source for c in research)  # cited with a year


@pytest.mark.parametrize("key", list(EVIDENCE))
def test_holds_at_the_lessons_setting_and_fails_at_its_counterexample(key):
    claim = CLAIMS[key]
    at_default, at_counter = claim.evaluate(), claim.evaluate(**claim.counterexample)
    assert at_default.holds and not at_counter.holds
    said, broken = EVIDENCE[key]
    assert said in at_default.evidence and broken in at_counter.evidence
    assert claim.why_fails and claim.by_construction == ""
    # a counterexample is a full setting of the same documented parameters
    assert set(claim.counterexample) == set(claim.default)


def test_other_plausible_settings_break_the_claims_too():
    """The lessons mention more places where a claim fails than its one counterexample."""
    assert not CLAIMS["thresholds.riot"].holds(person=0, threshold=1)  # nobody riots
    assert not CLAIMS["thresholds.tipping-spread"].holds(mean=30.0)  # tips at 15.67
    assert not CLAIMS["thresholds.leaders-shift"].holds(shift=3.6)  # the opposite sign
    assert not CLAIMS["thresholds.group-beats-lone"].holds(z=4.0)  # inside: lone succeeds too
    assert not CLAIMS["thresholds.seed-size"].holds(share=0.01)  # 1% only doubles
    assert CLAIMS["thresholds.cascade-window"].holds(phi=0.15)  # a wider window, still holds


APPS = {
    "RiotExplorer": RiotExplorer,
    "ThresholdExplorer": ThresholdExplorer,
    "CascadeExplorer": CascadeExplorer,
    "PilotExplorer": PilotExplorer,
}


@pytest.mark.parametrize("app_name", list(APPS))
def test_each_app_shows_its_claims_where_they_hold_and_where_they_fail(app_name):
    app = APPS[app_name]()
    shown = claims.for_app(app_name)
    assert shown and list(app.assumptions.claims) == [c.key for c in shown]
    for claim in shown:
        app.assumptions.show_counterexample(claim.key)
        assert app.assumptions.result.holds is False
        for name, value in claim.counterexample.items():
            assert app.controls[name].value == value, (claim.key, name)
        assert "where it fails" in app.assumptions.status.value.lower()
        assert app.message.value == ""
    app.assumptions.show_default()
    assert app.assumptions.result.holds is True
    first = next(c for c in shown if c.default)
    assert all(app.controls[n].value == v for n, v in first.default.items())


def test_an_app_shows_its_claims_model_numbers():
    riot = RiotExplorer()
    riot.assumptions.show_counterexample("thresholds.riot")
    assert riot.result.joined == 50 and riot.result.person == 50
    riot.assumptions.show_default()
    assert riot.result.joined == 1
    crowd = ThresholdExplorer()
    crowd.set(shift=5.0)  # a learner's move: the claim's setting starts from the lesson's
    crowd.assumptions.show_counterexample("thresholds.leaders-shift")
    assert (crowd.result.sd, crowd.result.shift, crowd.result.tipped) == (5.0, -3.6, False)
    pilots = PilotExplorer()
    pilots.assumptions.show_counterexample("thresholds.pilot-vs-scattered")
    won = pilots.result.teams_won
    assert won["scattered"] > won["pilot group"]
