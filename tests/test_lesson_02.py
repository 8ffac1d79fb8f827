"""Lesson 02 (thresholds): every number its prose states, and every behaviour it teaches.

Each claim pairs a phrase of the lesson notebook with the model computation behind it: the test
fails if the phrase leaves the lesson (update the claim) or the model stops agreeing with it.
"""

import nbformat
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from senge_course.course.checks import ___
from senge_course.course.lessons import get_lesson
from senge_course.course.questions import lesson_02
from senge_course.models import claims
from senge_course.models.crowd import (
    crowd_equilibrium,
    granovetter_equilibrium,
    riot_crowd,
    riot_rounds,
    tipping_sd,
    tipping_shift,
)
from senge_course.paths import course_root

ROOT = course_root()
LESSON = get_lesson("02")


def _text(path):
    return "\n".join(c.source for c in nbformat.read(ROOT / path, as_version=4).cells)


LESSON_TEXT = _text(LESSON.notebook)
CROWD_A = riot_crowd(100)
CROWD_B = riot_crowd(100, person=1, threshold=2)


def _joined(mean, sd, n=100, shift=0.0):
    return crowd_equilibrium(mean, sd, n, shift=shift).joined


CLAIMS = {
    # the riot
    "everyone joins, one more person per round, for 100 rounds": lambda: (
        granovetter_equilibrium(CROWD_A) == 100
        and riot_rounds(CROWD_A).tolist() == list(range(101))
    ),
    "person with threshold 1 has been replaced by someone with threshold 2": lambda: (
        CROWD_B[:3] == [0, 2, 2] and granovetter_equilibrium(CROWD_B) == 1
    ),
    "with average thresholds of 49.50 and 49.51": lambda: (
        f"{np.mean(CROWD_A):.2f} {np.mean(CROWD_B):.2f}" == "49.50 49.51"
    ),
    "differ by one person and by 0.01 in average threshold": lambda: (
        round(np.mean(CROWD_B) - np.mean(CROWD_A), 2) == 0.01
        and sum(a != b for a, b in zip(CROWD_A, CROWD_B, strict=True)) == 1
    ),
    "Two crowds alike on average can end completely differently: one missing early joiner breaks "
    "the chain (100 riot or 1)": lambda: (
        (
            granovetter_equilibrium(CROWD_A),
            granovetter_equilibrium(CROWD_B),
        )
        == (100, 1)
    ),
    # the normal crowd
    "only 0.8 of 100 people join on average": lambda: f"{_joined(25, 10):.1f}" == "0.8",
    "At sd 12 about 4 people join; at sd 13 all 100 do.": lambda: (
        round(_joined(25, 12)) == 4 and _joined(25, 13) == pytest.approx(100, abs=0.01)
    ),
    "with sd 12 a crowd of 100 stalls at about 4, while a crowd of 200 tips": lambda: (
        round(_joined(25, 12, 100)) == 4
        and crowd_equilibrium(25, 12, 200).tipped
        and not crowd_equilibrium(25, 12, 100).tipped
    ),
    'tips at a spread of "about 12.2"; the exact value is 12.2221': lambda: (
        round(tipping_sd(25, 100), 4) == 12.2221
    ),
    "a crowd of 200 with the same mean tips at a spread of about 10.2": lambda: (
        round(tipping_sd(25, 200), 1) == 10.2
        and not claims.get("thresholds.tipping-spread").holds(n=200)
    ),
    "the blue curve touches the diagonal near 6 people": lambda: (
        round(_joined(25, tipping_sd(25, 100) - 1e-4)) == 6
    ),
    "jumps from about 6 to nearly everyone as the spread passes 12.2": lambda: (
        _joined(25, 12.2) < 6.3 and _joined(25, 12.3) > 99.9
    ),
    "only a handful join (at most about 6)": lambda: (
        5.5 < max(_joined(25, sd) for sd in np.linspace(5, tipping_sd(25, 100) - 1e-6, 80)) < 6.3
    ),
    # leaders shift thresholds
    "move the shift left until the crowd tips: about **-3.6** is enough": lambda: (
        round(tipping_shift(25, 10, 100), 1) == -3.6
        and crowd_equilibrium(25, 10, shift=-3.6).tipped
        and not crowd_equilibrium(25, 10, shift=-3.5).tipped
    ),
    "raising every threshold by about **1.2** stalls it again": lambda: (
        round(tipping_shift(25, 13, 100), 1) == 1.2
        and not crowd_equilibrium(25, 13, shift=1.2).tipped
        and crowd_equilibrium(25, 13).tipped
    ),
    "leaders would have to lower every threshold by about 12.7 before the crowd tips": lambda: (
        round(tipping_shift(25, 5, 100), 1) == -12.7
    ),
    "it holds for Granovetter's crowd at sd 10, near its tipping point, and fails for the "
    "sceptics at sd 5": lambda: (
        claims.get("thresholds.leaders-shift").holds()
        and not claims.get("thresholds.leaders-shift").holds(sd=5.0)
    ),
    "give person 50 the threshold 51 and 50 people riot, not 1": lambda: (
        granovetter_equilibrium(riot_crowd(100, person=50, threshold=51)) == 50
        and not claims.get("thresholds.riot").holds(person=50, threshold=51)
    ),
}


@pytest.mark.parametrize("phrase", list(CLAIMS))
def test_every_number_the_lesson_states(phrase):
    assert phrase in LESSON_TEXT, f"the lesson no longer says {phrase!r}: update this claim"
    assert CLAIMS[phrase](), phrase


@pytest.mark.parametrize("claim", claims.for_lesson("02"), ids=lambda c: c.key)
def test_the_lesson_names_each_of_its_claims(claim):
    assert f"`{claim.key}`" in LESSON_TEXT


# ----------------------------------------------------------------------------- behaviours


def test_raising_the_spread_past_the_critical_value_jumps_the_equilibrium():
    critical = tipping_sd(25, 100)
    below = [_joined(25, sd) for sd in np.linspace(5, critical - 1e-3, 40)]
    above = [_joined(25, sd) for sd in np.linspace(critical + 1e-3, 25, 40)]
    assert max(below) < 6.3 and min(above) > 99
    assert below == sorted(below), "below the tipping point a wider spread adds a few joiners"


def test_the_critical_spread_rises_with_the_mean_and_falls_with_the_crowd():
    sds = [tipping_sd(mean, 100) for mean in (20, 25, 30)]
    assert sds == sorted(sds)
    assert tipping_sd(25, 200) < tipping_sd(25, 100)


@settings(max_examples=40, deadline=None)
@given(
    sd=st.floats(3, 25),
    shift=st.floats(-10, 10),
    lower=st.floats(0.1, 5),
)
def test_lowering_thresholds_never_reduces_who_joins(sd, shift, lower):
    assert _joined(25, sd, shift=shift - lower) >= _joined(25, sd, shift=shift) - 1e-6


def test_the_equilibrium_is_a_fixed_point_reached_from_nobody():
    r = crowd_equilibrium(25, 12, 100)
    assert 100 * norm(25, 12).cdf(r.joined) == pytest.approx(r.joined, abs=1e-6)
    assert r.joined_by_round[0] == 0 and np.all(np.diff(r.joined_by_round) >= -1e-12)
    assert r.instigators == pytest.approx(100 * norm(25, 12).cdf(0))


@pytest.mark.parametrize(
    ("person", "threshold", "expected"),
    [(1, 1, 100), (1, 2, 1), (1, 0, 100), (50, 51, 50), (99, 99, 100), (0, 1, 0), (2, 3, 2)],
)
def test_riot_chain_breaks_at_the_first_gap(person, threshold, expected):
    crowd = riot_crowd(100, person=person, threshold=threshold)
    assert granovetter_equilibrium(crowd) == riot_rounds(crowd)[-1] == expected


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 1}, "n must be"),
        ({"person": 100}, "person must be"),
        ({"threshold": -1}, "threshold must be"),
        ({"threshold": 2.5}, "threshold must be a whole number"),
    ],
)
def test_riot_crowd_validates(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        riot_crowd(**{"n": 100, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"sd": 0}, "sd must be"), ({"n": 1}, "n must be"), ({"mean": -5}, "mean must be")],
)
def test_crowd_equilibrium_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        crowd_equilibrium(**{"mean": 25, "sd": 10, "n": 100, **kwargs})


def test_tipping_sd_needs_a_bracket():
    with pytest.raises(ValueError, match="must stall at sd=13 and tip at sd=20"):
        tipping_sd(25, 100, low=13, high=20)


# ----------------------------------------------------------------------------- questions


def test_lesson_questions():
    explain, puzzle = lesson_02.LESSON.questions
    assert (explain.kind, puzzle.kind) == ("reasoning", "procedure")
    assert explain.evaluate({"why_it_stopped": "b"}).status == "correct"
    assert explain.evaluate({"why_it_stopped": " B "}).status == "correct"
    assert explain.evaluate({"why_it_stopped": "a"}).status == "incorrect"
    for answer, status in (
        (12.3, "correct"),
        (12.2, "correct"),
        (12.0, "incorrect"),
        (13, "incorrect"),
    ):
        assert puzzle.evaluate({"critical_sd": answer}).status == status, answer
    assert puzzle.evaluate({"critical_sd": ___}).status == "not attempted"
    assert "12.2" not in puzzle.evaluate({"critical_sd": 13}).message


def test_the_lesson_asks_for_the_tipping_spread_before_it_shows_it():
    cells = [c.source for c in nbformat.read(ROOT / LESSON.notebook, as_version=4).cells]
    asked = next(i for i, s in enumerate(cells) if s.startswith("critical_sd = ___"))
    before = "\n".join(cells[:asked])
    assert "12.2" not in before and "tipping_sd(25, 100)" not in before
    assert "tipping_sd(25, 100)" in "\n".join(cells[asked:])  # the sweep comes after the puzzle


def test_the_lesson_reads_back_the_prediction_beside_the_model():
    text = LESSON_TEXT
    assert "Replace `___` with a number from 0 to 100" in text
    assert 'print(f"You predicted {my_prediction} for crowd B; the model says "' in text
    assert granovetter_equilibrium(CROWD_B) == 1


SOLUTION_ANSWERS = {
    "prediction_crowd_b": 1,
    "answer_q2": "c",
    "answer_q3": ["Cai", "Gus"],
    "riot_size": lesson_02.riot_size,
    "prediction_cautious": "a",
    "answer_q6": 15.7,
    "answer_q7": "a",
    "answer_q8": dict(lesson_02.LEADER_ACTIONS),
    "answer_q9": {"mean": 26},
    "reflection_q10": " ".join(["word"] * 40),
}


def test_exercise_answers():
    ex = lesson_02.EXERCISE
    assert list(ex.kinds().values()) == [
        "prediction",
        "reasoning",
        "design",
        "procedure",
        "prediction",
        "procedure",
        "reasoning",
        "recall",
        "reasoning",
        "reflection",
    ]
    statuses = [o.status for o in ex.evaluate(SOLUTION_ANSWERS)]
    assert statuses == ["submitted"] + ["correct"] * 3 + ["submitted"] + ["correct"] * 4 + [
        "submitted"
    ]
    assert sum(o.score for o in ex.evaluate(SOLUTION_ANSWERS)) == ex.max_score == 7
    assert [o.status for o in ex.evaluate({})] == ["not attempted"] * 10
    # the expected values come from the models, and say what the prompts and solutions say
    q6 = ex.questions[5]
    assert q6.expected_value() == pytest.approx(15.668, abs=1e-3)
    assert not crowd_equilibrium(30, 15.6).tipped and crowd_equilibrium(30, 15.7).tipped
    for wrong in (0.2 * i for i in range(1, 5)):
        assert ex.questions[3].evaluate({"riot_size": lambda t, w=wrong: w}).status == "incorrect"


def test_question_2_a_second_instigator_repairs_the_chain():
    crowd = list(CROWD_B)
    crowd[crowd.index(99)] = 0
    assert granovetter_equilibrium(crowd) == 100  # option "c"
    assert sorted(crowd)[:4] == [0, 0, 2, 2]


def _team_joined(names):
    return granovetter_equilibrium(list(lesson_02.mentored_team(names).values()))


def test_question_3_accepts_every_pair_that_closes_both_gaps():
    from itertools import combinations

    q = lesson_02.EXERCISE.questions[2]
    team = lesson_02.TEAM
    assert _team_joined([]) == 2
    works = {pair for pair in combinations(team, 2) if _team_joined(pair) == len(team)}
    assert works == {(a, b) for a in ("Cai", "Dee", "Eli") for b in ("Gus", "Hal", "Ivy")}
    for pair in combinations(team, 2):
        out = q.evaluate({"answer_q3": list(pair)})
        assert out.status == ("correct" if pair in works else "incorrect"), pair
    # the tempting designs fail, and the feedback says where the chain stops, not whom to mentor
    ivy_jo = q.evaluate({"answer_q3": ["Ivy", "Jo"]})
    assert "stops at 2 of 10" in ivy_jo.message
    cai_dee = q.evaluate({"answer_q3": ["cai", " DEE "]})
    assert cai_dee.status == "incorrect" and "stops at 6 of 10" in cai_dee.message
    assert not any(name in cai_dee.message for name in ("Gus", "Hal", "Ivy"))


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (["Cai", "Gus", "Hal"], "the budget is 2"),
        (["Zed"], "'Zed' is not in the team"),
        (3, "Give a list of names in quotes"),
    ],
)
def test_question_3_explains_a_malformed_design(answer, match):
    out = lesson_02.EXERCISE.questions[2].evaluate({"answer_q3": answer})
    assert out.status == "incorrect" and match in out.message


def test_question_3_table_is_the_team():
    sol = _text(LESSON.solution)
    assert "| person | " + " | ".join(lesson_02.TEAM) + " |" in sol
    assert "| threshold | " + " | ".join(map(str, lesson_02.TEAM.values())) + " |" in sol
    assert (lesson_02.MENTORING_BUDGET, lesson_02.MENTORING_LOWERS) == (2, 2)
    assert "mentor **two** people" in sol and "by **2** (never below 0)" in sol


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ({"mean": 26}, "correct"),  # a little more cautious: the push no longer tips it
        ({"mean": 20}, "correct"),  # tips without the push
        ({"n": 90}, "correct"),
        ({"n": 300}, "correct"),
        ({"mean": 24}, "incorrect"),  # still stalls without the push and tips with it
        ({"n": 200}, "incorrect"),
        ({"sd": 5.0}, "incorrect"),  # the lesson's own counterexample: kept
        ({"shift": -3.0}, "incorrect"),  # the lever itself: kept
        ({"mean": 26, "n": 90}, "incorrect"),  # two changes
        ({"charisma": 2}, "incorrect"),
    ],
)
def test_question_9_hunts_an_assumption_the_lesson_did_not_show(answer, status):
    q = lesson_02.EXERCISE.questions[8]
    out = q.evaluate({"answer_q9": answer})
    assert out.status == status, out.message
    assert "sd 5" not in out.message and "12.7" not in out.message  # never the counterexample


def test_question_9_agrees_with_the_claims_registry():
    claim = claims.get("thresholds.leaders-shift")
    assert not claim.holds(mean=26.0) and not claim.holds(n=90) and claim.holds(mean=24.0)
    assert dict(claim.default) == {"mean": 25.0, "sd": 10.0, "n": 100, "shift": -3.6}


def test_the_exercise_states_the_lesson_s_numbers():
    sol = _text(LESSON.solution)
    assert (
        "tipped once the spread passed about 12.2" in sol and round(tipping_sd(25, 100), 1) == 12.2
    )
    assert "lower every threshold by about 3.6" in sol and round(tipping_shift(25, 10), 1) == -3.6
    assert "Write at least 40 words" in sol and lesson_02.EXERCISE.questions[-1].min_words == 40
    for criterion in lesson_02.EXERCISE.questions[-1].criteria:
        assert criterion[1:] in sol


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=40))
def test_riot_size_reference_equals_granovetter(thresholds):
    assert lesson_02.riot_size(thresholds) == granovetter_equilibrium(thresholds)


def test_lesson_cells_and_manifest():
    nb = nbformat.read(ROOT / LESSON.notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert 15 <= len(code) <= 35
    assert code[0].source.startswith("%matplotlib inline")
    assert LESSON.slug == "thresholds"
    assert (LESSON.minutes, LESSON.exercise_minutes) == (50, 40)  # measured: CONTRIBUTING.md
    for objective in LESSON.objectives:  # "What you'll learn" lists the manifest's objectives
        assert f"{objective}." in LESSON_TEXT
    for reference in ("83(6), 1420-1443", "75(5)"):
        assert reference in LESSON_TEXT
