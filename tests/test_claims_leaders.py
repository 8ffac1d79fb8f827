"""The claims of lessons 04 and 05: each holds at the lesson's setting and fails where it says."""

import nbformat
import pytest

from senge_course.course.lessons import get_lesson
from senge_course.models.claims import for_app, for_lesson, leaders
from senge_course.paths import course_root

CLAIMS = {c.key: c for c in leaders.CLAIMS}
CHECKED = [c for c in leaders.CLAIMS if c.check is not None]


def _lesson(number):
    path = course_root() / get_lesson(number).notebook
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)


def test_the_claims_are_registered_for_their_lessons_and_apps():
    assert [c.key for c in for_lesson("04")] == [
        "leaders.informal-brokers",
        "leaders.wide-bridges",
        "leaders.long-ties",
    ]
    assert {c.key for c in for_lesson("05")} >= {
        "leaders.none-alone",
        "leaders.networkers-alone",
        "leaders.executives-alone",
        "leaders.mandate",
        "leaders.mandate-costs",
        "leaders.rank-not-reach",
        "leaders.pilots-or-champions",
    }
    assert [c.key for c in for_app("BridgeExplorer")] == ["leaders.wide-bridges"]
    assert [c.key for c in for_app("LongTieExplorer")] == ["leaders.long-ties"]
    assert len(for_app("LeaderNetworkBuilder")) == 8
    assert all(c.key.startswith("leaders.") for c in leaders.CLAIMS)


@pytest.mark.parametrize("claim", CHECKED, ids=lambda c: c.key)
def test_holds_at_the_lessons_setting(claim):
    verdict = claim.evaluate()
    assert verdict.holds, verdict.summary


@pytest.mark.parametrize("claim", [c for c in CHECKED if c.counterexample], ids=lambda c: c.key)
def test_fails_at_its_counterexample(claim):
    verdict = claim.evaluate(**claim.counterexample)
    assert not verdict.holds, verdict.summary
    assert claim.why_fails and claim.assumption


@pytest.mark.parametrize(
    ("key", "default", "counterexample"),
    [
        ("leaders.none-alone", "all three commit 93%", "line leaders: 4 pilot teams"),
        ("leaders.mandate", "and 13% committed", "and 70% committed"),
        ("leaders.mandate-costs", "with a mandate on 80% 73%", "with a mandate on 80% 100%"),
        ("leaders.rank-not-reach", "3 executives commit 7%", "3 executives commit 55%"),
        ("leaders.informal-brokers", "first T3-2", "first E2 (executive"),
        ("leaders.long-ties", "complex one to 8%", "complex one to 100%"),
        ("leaders.pilots-or-champions", "commit 32%, 6 scattered champions 12%", "champions 53%"),
    ],
)
def test_the_evidence_gives_the_models_numbers(key, default, counterexample):
    claim = CLAIMS[key]
    assert default in claim.evaluate().evidence
    assert counterexample in claim.evaluate(**claim.counterexample).evidence


def test_claims_true_by_construction_say_why_and_the_lessons_say_so():
    built_in = [c for c in leaders.CLAIMS if c.by_construction]
    assert {c.key for c in built_in} == {"leaders.wide-bridges", "leaders.networkers-alone"}
    assert "by construction" in _lesson("04") and "rules of the model" in _lesson("05")


def test_senge_says_none_alone_without_a_model_check():
    claim = CLAIMS["leaders.senge-none-alone"]
    assert claim.origin == "senge" and claim.check is None and "Senge (1997)" in claim.source
