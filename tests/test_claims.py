"""The claims registry: every headline result of lessons 01-08 is a claim that holds at the
lesson's setting and, unless it is true by construction, fails at its documented counterexample."""

import pytest

from senge_course.course.lessons import LESSONS
from senge_course.models.claims import CLAIMS, Claim, Verdict, for_app, for_lesson, get
from senge_course.views.assumptions import AssumptionsView, claims_table

CHECKED = [c for c in CLAIMS.values() if c.check is not None]
BREAKABLE = [c for c in CHECKED if c.counterexample is not None]


@pytest.mark.parametrize("claim", CHECKED, ids=lambda c: c.key)
def test_claim_holds_at_the_lessons_setting(claim):
    verdict = claim.evaluate()
    assert isinstance(verdict, Verdict) and verdict.evidence
    assert verdict.holds, f"{claim.key}: {verdict.summary}"


@pytest.mark.parametrize("claim", BREAKABLE, ids=lambda c: c.key)
def test_claim_fails_at_its_counterexample(claim):
    verdict = claim.evaluate(**claim.counterexample)
    assert not verdict.holds, (
        f"{claim.key} still holds at {dict(claim.counterexample)}: {verdict.summary}"
    )
    assert claim.why_fails


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=lambda c: c.key)
def test_claim_says_where_it_comes_from(claim):
    assert claim.sentence.endswith(".") and claim.lessons
    assert all(lesson in {x.number for x in LESSONS} for lesson in claim.lessons)
    if claim.origin in ("structure", "calibration"):
        assert claim.check is not None, f"{claim.key}: a model claim needs a check"
    if claim.by_construction:
        assert claim.counterexample is None


@pytest.mark.parametrize("lesson", [f"0{i}" for i in range(1, 9)])
def test_every_lesson_with_models_has_claims(lesson):
    assert for_lesson(lesson), f"lesson {lesson} states results but registers no claims"


def test_registry_lookups():
    some = next(iter(CLAIMS.values()))
    assert get(some.key) is some
    with pytest.raises(ValueError, match="there is no claim 'nope'"):
        get("nope")
    assert all(some in for_app(app) for app in some.apps)


def test_claims_table_lists_each_claim_with_its_numbers():
    table = claims_table("05")
    assert len(table.rows) == len(for_lesson("05"))
    for claim, _, _ in table.rows:
        assert claim.sentence.replace("|", "/") in table.text
    assert table._repr_markdown_() == table.text


def test_a_claim_must_be_breakable_or_built_in():
    def check(**_):
        return Verdict(True, "always")

    with pytest.raises(ValueError, match="needs a counterexample, or by_construction"):
        Claim("x.y", ("01",), "X.", "calibration", assumption="a", check=check)
    with pytest.raises(ValueError, match="give its source"):
        Claim("x.y", ("01",), "X.", "research")
    with pytest.raises(ValueError, match="origin must be one of"):
        Claim("x.y", ("01",), "X.", "folklore")
    claim = Claim(
        "x.y",
        ("01",),
        "X.",
        "structure",
        assumption="a",
        check=check,
        default={"k": 1},
        by_construction="the rule says so",
    )
    with pytest.raises(ValueError, match="has no setting 'z'"):
        claim.evaluate(z=2)


def test_assumptions_view_moves_the_app_and_reports_what_it_cannot_show():
    shown = []
    claim = Claim(
        "x.y",
        ("01",),
        "X grows.",
        "calibration",
        assumption="x is 2",
        check=lambda *, x: Verdict(x > 1, f"x is {x}"),
        default={"x": 2},
        counterexample={"x": 0},
        why_fails="x is 0",
    )
    view = AssumptionsView([claim], apply=shown.append)
    view.show_counterexample("x.y")
    assert shown == [{"x": 0}] and view.result.holds is False and "x is 0" in view.status.value
    view.show_default()
    assert shown[-1] == {"x": 2} and view.result.holds

    def refuse(setting):
        raise ValueError("this app has no control for x")

    view = AssumptionsView([claim], apply=refuse)
    view.show_counterexample("x.y")
    assert "no control for x" in view.status.value and view.result is None


def test_a_verdict_is_computed_once_per_setting():
    calls = []

    def check(*, x, names):
        calls.append(x)
        return Verdict(x < 1, f"x is {x}")

    claim = Claim(
        "test.cached",
        ("05",),
        "A test claim.",
        "calibration",
        assumption="x is small",
        check=check,
        default={"x": 0.5, "names": ("a",)},
        counterexample={"x": 2},
    )
    assert claim.evaluate(x=0.25) is claim.evaluate(x=0.25)
    assert claim.evaluate(x=0.25) is not claim.evaluate(x=0.3)
    assert calls == [0.25, 0.3]
    claim.evaluate(x=1)  # 1 and 1.0 are two settings: types are part of the key
    claim.evaluate(x=1.0)
    assert calls == [0.25, 0.3, 1, 1.0]
    claim.evaluate(names=["b"])  # a list cannot be a key: the check runs each time
    claim.evaluate(names=["b"])
    assert calls[-2:] == [0.5, 0.5]
