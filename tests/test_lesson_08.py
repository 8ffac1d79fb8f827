"""Lesson 08 (the capstone): every number its prose states, and every behaviour it teaches, held
by the models.

The lesson, its exercise and its checked questions quote these numbers; if a model is
recalibrated, this file says which sentences to rewrite.  The numbers that come from the
leadership and capability models (lessons 01-06) are recomputed here and looked for in the
lesson's text, so a change in those models fails the sentence that states them.
"""

import re

import nbformat
import pytest

from senge_course.course.checks import ___
from senge_course.course.lessons import get_lesson
from senge_course.course.questions import get_exercise
from senge_course.course.questions.lesson_08 import COMMUNITY, CapstoneGoals, fewest_networkers
from senge_course.models.capability import COMMAND, COMMITMENT
from senge_course.models.capstone import (
    COMMITTED_GOAL,
    GOALS,
    SURGE,
    SURGE_WEEKS,
    assess,
    default_organisation,
)
from senge_course.models.knowledge import ALL_PRACTICE, BALANCED, simulate
from senge_course.models.leadership import COMBINATIONS, SCENARIOS, Levers
from senge_course.paths import course_root

AS_IT_IS = ("executives only (mandate)", "command", ALL_PRACTICE, 0.25)
GOOD = ("all three", "commitment", BALANCED, 1.0)


def said(phrase):
    """True if the lesson's Markdown says `phrase` (line breaks and blockquote marks ignored)."""
    cells = nbformat.read(course_root() / get_lesson("08").notebook, as_version=4).cells
    text = " ".join(c.source for c in cells if c.cell_type == "markdown")
    return phrase in re.sub(r"\s*\n>?\s*", " ", text)


def networkers(n):
    return assess(SCENARIOS["all three"].replace(networkers=n), "commitment", BALANCED, 1.0)


@pytest.fixture(scope="module")
def as_it_is():
    return assess(*AS_IT_IS)


@pytest.fixture(scope="module")
def good():
    return assess(*GOOD)


# ----------------------------------------------------------------- section 1


def test_the_three_goals_as_the_lesson_states_them():
    assert COMMITTED_GOAL == 0.6 and SURGE == 0.2 and SURGE_WEEKS == 8
    assert default_organisation().number_of_nodes() == 51
    assert GOALS == ("commitment spreads", "no capability trap", "integrated cycle")


# ----------------------------------------------------------------- section 2: predict


def test_the_firm_as_it_is(as_it_is):
    levers = SCENARIOS["executives only (mandate)"]
    assert (levers.mandate, levers.mandate_rounds, levers.pilot_teams, levers.networkers) == (
        0.8,
        10,
        0,
        0,
    )
    assert as_it_is.regime == COMMAND and as_it_is.integration == 0.25
    assert as_it_is.verdicts == dict.fromkeys(GOALS, False)
    stats = as_it_is.diffusion
    assert round(float(stats.compliant_mean.max()), 2) == 0.8  # "80% of people compliant"
    assert said("The mandate makes 80% of people compliant at once")
    end = float(stats.compliant_mean[-1])
    assert said(
        f"but only {as_it_is.committed:.0%} of people end up committed, and compliance wears off "
        f"to {end:.0%} once the mandate ends"
    )
    run = as_it_is.capability
    assert run.trapped
    assert said(
        f"capability falls from {run.capability[0]:.2f} to {run.capability[-1]:.2f}, near its "
        f"floor, the climate for improvement from {run.climate[0]:.2f} to {run.climate[-1]:.2f}, "
        f"and performance ends at {run.relative('performance')[-1]:.2f} times its start"
    )
    assert round(as_it_is.knowledge.total, 1) == 40.0 and as_it_is.diagnosis.mode == "firefighting"
    assert said("40 over 10 years, the same as ever")


# ----------------------------------------------------------------- section 3: explore


def test_the_dashboard_instructions_lead_to_the_all_three_levers():
    # "set the mandate to 0, pilot teams to 2, mentoring to 0.8 and networkers to 3"
    assert (
        SCENARIOS["executives only (mandate)"].replace(
            mandate=0.0, pilot_teams=2, mentoring=0.8, networkers=3
        )
        == SCENARIOS["all three"]
    )


@pytest.mark.parametrize(
    ("design", "spreads", "trapped", "mode", "total", "met"),
    [
        (AS_IT_IS, False, True, "firefighting", 40.0, 0),
        (("all three", "command", ALL_PRACTICE, 0.25), True, True, "firefighting", 40.0, 1),
        (("all three", "commitment", ALL_PRACTICE, 0.25), True, False, "firefighting", 40.0, 2),
        (("all three", "commitment", BALANCED, 0.25), True, False, "fragmented", 29.8, 2),
        (GOOD, True, False, "integrated", 59.9, 3),
    ],
)
def test_one_column_at_a_time(design, spreads, trapped, mode, total, met, good):
    report = assess(*design)
    assert report.spreads is spreads
    if design[0] == "all three":  # the same levers: the same spread, whatever the other parts
        assert report.committed == good.committed
    assert report.capability.trapped is trapped
    assert report.diagnosis.mode == mode
    assert round(report.knowledge.total, 1) == total
    assert sum(report.verdicts.values()) == met


def test_each_part_moves_its_own_goal(good):
    low, high = good.committed_band
    assert said(
        f"the three kinds of leader together commit {good.committed:.0%} of people (5-95% of "
        f"runs: {low:.0%} to {high:.0%})"
    )
    run = good.capability
    assert said(
        f"the climate for improvement dips to {run.climate.min():.2f} and recovers to "
        f"{run.climate[-1]:.2f}"
    )
    assert said("(29.8 fragmented, 59.9 integrated)")
    assert said(f"the three kinds of leader commit {good.committed:.0%} of people, the commitment")
    # the three models are separate: changing one part leaves the other two results unchanged
    other = assess("all three", "command", BALANCED, 1.0)
    assert other.committed == good.committed and other.knowledge.total == good.knowledge.total
    # "with one networker instead of three, the same design commits ...% and misses the goal"
    one = networkers(1)
    assert not one.spreads and said(f"the same design commits {one.committed:.0%} of people")


def test_the_networkers_sweep():
    shares = [networkers(n).committed for n in range(6)]
    assert shares == sorted(shares)  # each networker carries it further
    assert said(
        f"stops at the edge of the pilot teams ({shares[0]:.0%}); one networker carries it to "
        f"{shares[1]:.0%}, two to {shares[2]:.0%}, three to {shares[3]:.0%}"
    )


def test_the_dashboard_follows_the_instructions():
    from senge_course.views import CapstoneDashboard

    app = CapstoneDashboard()
    assert app.result.verdicts == dict.fromkeys(GOALS, False)
    for name, value in (
        ("mandate", 0.0),
        ("pilot_teams", 2),
        ("mentoring", 0.8),
        ("networkers", 3),
    ):
        app.controls[name].value = value
    assert app.result.levers == SCENARIOS["all three"]
    assert app.result.committed == assess(*GOOD).committed
    app.controls["preset"].value = "commitment"
    app.controls["research"].value = 20
    app.controls["capacity building"].value = 20
    assert app.result.allocation == pytest.approx(BALANCED)
    assert sum(app.result.verdicts.values()) == 2
    app.controls["integration"].value = 1.0
    assert app.result.passed


# ----------------------------------------------------------------- section 4: the puzzle


def test_the_puzzle_judge_runs_the_three_simulations():
    from senge_course.views import CapstoneDashboard

    question = get_exercise("08", "lesson").questions[0]
    assert isinstance(question, CapstoneGoals)
    app = CapstoneDashboard()
    assert question.evaluate({"my_design": app.design.to_dict()}).status == "incorrect"
    app.set_levers("all three")
    app.controls["preset"].value = "commitment"
    app.controls["research"].value = 20
    app.controls["capacity building"].value = 20
    app.controls["integration"].value = 1.0
    outcome = question.evaluate({"my_design": app.design.to_dict()})
    assert outcome.status == "correct"
    assert f"{assess(*GOOD).committed:.0%} of people committed on average" in outcome.message
    assert question.evaluate({"my_design": ___}).status == "not attempted"


@pytest.mark.parametrize(
    ("answer", "status", "text"),
    [
        (
            {
                "levers": "all three",
                "regime": "commitment",
                "allocation": (0.2, 0.2, 0.6),
                "integration": 1.0,
            },
            "correct",
            "meets all three goals",
        ),
        (
            {
                "levers": "all three",
                "regime": "command",
                "allocation": (0.2, 0.2, 0.6),
                "integration": 1.0,
            },
            "incorrect",
            "meets 2 of the 3 goals; not yet: no capability trap",
        ),
        (
            {
                "levers": {"pilot_teams": 2},
                "regime": "commitment",
                "allocation": (0.2, 0.2, 0.6),
                "integration": 1.0,
            },
            "incorrect",
            "not yet: commitment spreads. ",
        ),
        (
            {
                "levers": "all three",
                "regime": {"work_harder": 4, "work_smarter": 0, "control": 0.4, "autonomy": 0.2},
                "allocation": (0.2, 0.25, 0.55),
                "integration": 0.75,
            },
            "correct",
            "diagnosed integrated",
        ),
        (
            {"levers": "all three", "regime": "commitment", "allocation": (0.2, 0.2, 0.6)},
            "incorrect",
            "it has no 'integration'",
        ),
        (
            {
                "levers": "all three",
                "regime": "anarchy",
                "allocation": (0.2, 0.2, 0.6),
                "integration": 1.0,
            },
            "incorrect",
            "cannot be simulated: regime must be",
        ),
        ("all three", "incorrect", "expected a design as a dictionary"),
    ],
)
def test_the_puzzle_judge_explains_itself(answer, status, text):
    outcome = CapstoneGoals("my_design").evaluate({"my_design": answer})
    assert outcome.status == status and text in outcome.message


def test_the_hints_numbers():
    # "integration 0.75 or more" with research and capacity building around 20% each
    assert assess("all three", "commitment", BALANCED, 0.75).passed
    assert not assess("all three", "commitment", BALANCED, 0.5).passed


# ----------------------------------------------------------------- section 5: explain


def test_the_explain_question():
    explain = get_exercise("08", "lesson").questions[1]
    assert explain.evaluate({"what_models_show": "c"}).status == "correct"
    for wrong in "abd":
        assert explain.evaluate({"what_models_show": wrong}).status == "incorrect"


# ----------------------------------------------------------------- section 6: critics


@pytest.mark.parametrize(
    ("rate", "total", "even", "payback"),
    [(1.5, 47.0, 9, 19), (3.0, 59.9, 5, 9), (6.0, 70.5, 4, 5)],
)
def test_one_constant_moves_the_numbers_but_not_the_shape(rate, total, even, payback):
    run = simulate(BALANCED, 1.0, params={"teaching_rate": rate})
    assert round(run.total, 1) == total
    assert run.break_even_quarter == even and run.payback_quarter == payback
    # the shape survives: worse before better, then ahead of firefighting over 10 years
    assert run.results[0] < 1 and run.total > 40


def test_where_the_shape_stops_surviving():
    # "at a third of the calibrated teaching rate (1.0) the plan only just matches all practice"
    third = simulate(BALANCED, 1.0, params={"teaching_rate": 1.0})
    assert round(third.total, 1) == 40.0 and third.payback_quarter is None
    assert said("at a third of the calibrated teaching rate (1.0) the plan only just matches")
    weak = simulate(BALANCED, 1.0, params={"max_capability": 1.5})
    assert round(weak.total, 1) == 36.8 and said("it would never pay back (36.8 against 40)")


def test_power_appears_twice_in_the_models():
    """The critics' section: power is the executives' mandate and the regime's control."""
    assert "mandate" in Levers.__dataclass_fields__ and COMMAND.control > COMMITMENT.control


# ----------------------------------------------------------------- the exercise


def test_exercise_numbers():
    questions = {q.name: q for q in get_exercise("08").questions}
    assert len(questions) == 8
    q3 = questions["answer_q3"]
    expected = round(q3.expected_value(), 2)
    assert q3.solution.startswith(f"answer_q3 = {expected}  #")
    assert q3.explanation.startswith(f"{expected}: together")
    assert q3.evaluate({"answer_q3": expected}).status == "correct"
    assert fewest_networkers() == 2
    assert questions["answer_q5"].evaluate({"answer_q5": 2}).status == "correct"
    assert questions["answer_q5"].evaluate({"answer_q5": 3}).status == "incorrect"
    # q5's explanation and solution: the shares with two networkers, one and none
    two, one, none = (round(networkers(n).committed, 2) for n in (2, 1, 0))
    explanation = questions["answer_q5"].explanation
    assert explanation.startswith(
        f"2 networkers ({two:.2f} committed); with 1 the practice reaches {one:.2f}"
    )
    assert explanation.endswith(f"({none:.2f}).")
    assert (
        f"# 2 ({two:.2f} committed; 1 networker gives {one:.2f})" in questions["answer_q5"].solution
    )
    # q3's explanation: "in the model, any two stay well short of the goal of 0.6"
    pairs = [k for k in COMBINATIONS if k.count("+") == 1]
    assert len(pairs) == 3
    assert all(assess(COMBINATIONS[k], "commitment", BALANCED, 1.0).committed < 0.5 for k in pairs)


def test_community_mapping_gives_each_of_head_heart_hand_two_items():
    values = list(COMMUNITY.values())
    assert {v: values.count(v) for v in values} == {
        "head: research": 2,
        "heart: capacity building": 2,
        "hand: practice": 2,
    }


def test_exercise_shape():
    questions = get_exercise("08").questions
    reflections = [q for q in questions if type(q).__name__ == "Reflection"]
    assert len(reflections) == 3 and all(q.min_words == 40 for q in reflections)
    for q in questions:
        assert q.prompt
        if q not in reflections:
            assert len(q.hints) == 2 and q.solution
    for q in get_exercise("08", "lesson").questions:
        assert q.prompt and len(q.hints) == 2 and q.solution


def test_manifest_entry():
    lesson = get_lesson("08")
    assert lesson.stem == "08_capstone" and lesson.minutes == 60
    assert 3 <= len(lesson.objectives) <= 5
    assert lesson.title == "Design a community of leaders and learners: the capstone"


def test_the_default_organisation_as_the_lesson_describes_it():
    from collections import Counter

    G = default_organisation()
    roles = Counter(role for _, role in G.nodes(data="role"))
    assert (G.number_of_nodes(), G.graph["teams"], G.graph["team_size"]) == (51, 6, 8)
    assert (roles["executive"], roles["line_leader"], roles["member"]) == (3, 6, 42)
