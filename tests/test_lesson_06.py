"""Lesson 06 (escape the capability trap): every number its prose states, and every behaviour
it teaches, held by the model.

The lesson, its exercise and its checked questions quote these numbers; if the model is
recalibrated, this file says which sentences to rewrite.
"""

import math

import pytest

from senge_course.course.checks import ___
from senge_course.course.lessons import get_lesson
from senge_course.course.questions import get_exercise
from senge_course.course.questions.assumptions import BreakClaim
from senge_course.course.questions.lesson_06 import (
    AFTER_THE_SURGE,
    BIGGER_RISE,
    LOOP_POLARITIES,
    SurvivingPolicy,
    survives,
)
from senge_course.models.capability import (
    COMMAND,
    COMMITMENT,
    climate_outcome,
    edge_sweep,
    simulate,
    smallest_tipping_surge,
    steady_states,
)
from senge_course.models.claims import for_lesson, get
from senge_course.models.loops import (
    capability_trap,
    find_loops,
    fixes_that_fail,
    shifting_the_burden,
    shifting_the_burden_to_the_intervenor,
)
from senge_course.models.regime import REGIME_PARAMETERS

SURGE = {"target_change": 0.2, "surge_weeks": 8}

#: The single-lever variants of the lesson's table: (8-week edge to 2 decimals, survives 20%).
VARIANTS = {
    "command": (COMMAND, "0.15", False),
    "weaker reflex: work harder 2": (COMMAND.replace(work_harder=2), "0.08", False),
    "no reflex: work harder 0": (COMMAND.replace(work_harder=0), "0.02", False),
    "work smarter 0.5": (COMMAND.replace(work_smarter=0.5), "0.14", False),
    "control 0.4": (COMMAND.replace(control=0.4), "0.29", True),
    "control 0.3": (COMMAND.replace(control=0.3), "0.47", True),
    "autonomy 0.5": (COMMAND.replace(autonomy=0.5), "0.21", True),
    "autonomy 0.8": (COMMAND.replace(autonomy=0.8), "0.33", True),
    "stronger reflex: work harder 8": (COMMAND.replace(work_harder=8), "0.29", True),
}


# ----------------------------------------------------------------- section 2: archetypes


@pytest.mark.parametrize(
    ("diagram", "expected"),
    [
        (
            shifting_the_burden,
            [("B1", "symptomatic solution"), ("B2", "fundamental solution"), ("R3", "side effect")],
        ),
        (
            shifting_the_burden_to_the_intervenor,
            [("B1", "intervention"), ("B2", "own problem solving"), ("R3", "dependence")],
        ),
        (
            capability_trap,
            [
                ("B1", "work harder"),
                ("B2", "work smarter"),
                ("R3", "capability erosion"),
                ("R4", "climate erosion (our extension)"),
            ],
        ),
        (fixes_that_fail, [("B1", "fix"), ("R2", "unintended consequences")]),
    ],
)
def test_archetype_loop_polarities(diagram, expected):
    assert [(loop.label, loop.name) for loop in find_loops(diagram())] == expected


def test_the_fundamental_solution_and_the_dependence_act_after_a_delay():
    loops = {loop.name: loop for loop in find_loops(shifting_the_burden())}
    assert loops["fundamental solution"].delayed and not loops["symptomatic solution"].delayed
    loops = {loop.name: loop for loop in find_loops(shifting_the_burden_to_the_intervenor())}
    assert loops["dependence"].delayed and not loops["intervention"].delayed


def test_exercise_loop_polarities_match_the_archetypes_they_describe():
    """Each item of exercise question 1 is a loop of one of the lesson's diagrams."""
    source = {
        "overtime clears": (shifting_the_burden, "symptomatic solution"),
        "improvement removes": (shifting_the_burden, "fundamental solution"),
        "hours taken from improvement": (capability_trap, "capability erosion"),
        "consultants fix": (shifting_the_burden_to_the_intervenor, "intervention"),
        "each consulting project": (shifting_the_burden_to_the_intervenor, "dependence"),
        "pressure under tight control": (capability_trap, "climate erosion (our extension)"),
    }
    assert len(source) == len(LOOP_POLARITIES)
    for item, letter in LOOP_POLARITIES.items():
        (diagram, name) = next(v for k, v in source.items() if item.startswith(k))
        loop = next(loop for loop in find_loops(diagram()) if loop.name == name)
        assert loop.label[0] == letter, item


# ----------------------------------------------------------------- section 4: the crisis


def test_an_8_week_crisis_tips_command_for_good_and_commitment_recovers():
    command = simulate(COMMAND, **SURGE)
    assert command.trapped and command.climate_collapsed
    assert (round(command.climate[0], 2), round(command.climate[-1], 2)) == (0.76, 0.05)
    assert (round(command.capability[0], 2), round(command.capability[-1], 2)) == (0.98, 0.30)
    assert COMMAND.basic_capability == 0.3  # "its floor of 0.30"
    assert round(command.relative("performance")[-1], 2) == 0.43
    assert command.target[-1] == command.target[0]  # the target returned ...
    assert command.surge_start + command.surge_weeks == 28  # ... at week 28
    commitment = simulate(COMMITMENT, **SURGE)
    assert commitment.recovered and climate_outcome(commitment) == "dips, then recovers"
    assert round(commitment.climate.min(), 2) == 0.77
    assert round(commitment.week[commitment.climate.argmin()]) == 35
    assert round(commitment.climate[-1], 2) == 0.99


def test_command_has_two_stable_states_and_a_tipping_point_commitment_one():
    high, edge, trap = steady_states(COMMAND)
    assert (high.stable, edge.stable, trap.stable) == (True, False, True)
    assert (round(high.climate, 2), round(high.capability, 2)) == (0.76, 0.98)
    assert (round(edge.climate, 2), round(edge.capability, 2)) == (0.54, 0.90)
    assert (round(trap.climate, 2), round(trap.capability, 2)) == (0.05, 0.30)
    assert (round(trap.hours_working), round(trap.hours_improving)) == (45, 0)
    assert round(trap.performance / trap.target, 2) == 0.43
    assert len(steady_states(COMMITMENT)) == 1


@pytest.mark.parametrize(
    ("surge", "outcome"),
    [
        (0.05, "stays about the same"),
        (0.10, "dips, then recovers"),
        (0.14, "dips, then recovers"),
        (0.15, "collapses"),
        (0.20, "collapses"),
        (0.25, "collapses"),
    ],
)
def test_the_sweep_of_the_surge(surge, outcome):
    run = simulate(COMMAND, target_change=surge, surge_weeks=8)
    assert climate_outcome(run) == outcome
    assert run.trapped == (surge >= 0.15)  # "at 15% and above, command falls into the trap"


def test_whose_loop_makes_the_trap():
    no_r4 = COMMAND.replace(pressure_drain=0)
    run = simulate(no_r4, **SURGE)
    assert not run.trapped and run.recovered and round(run.capability[-1], 2) == 0.98
    # "no 8-week surge, not even a tripling of the target (a surge of 200%), traps it"
    assert smallest_tipping_surge(no_r4, high=2.0, tolerance=0.01) == math.inf
    lasting = simulate(no_r4, target_change=0.2)
    assert lasting.trapped and round(lasting.capability[-1], 2) == 0.31
    assert round(lasting.climate[-1], 2) == 0.76 and not lasting.climate_collapsed
    claim = get("trap.temporary-surge")
    assert claim.holds() and not claim.holds(pressure_drain=0.0)


def test_a_5_percent_surge_is_absorbed_by_overtime_alone():
    run = simulate(COMMAND, target_change=0.05, surge_weeks=8)
    assert run.hours_improving.min() == 8.0 and run.hours_working.max() > 32.0
    assert round(run.relative("performance")[-1], 2) == 1.00


# ----------------------------------------------------------------- section 5: puzzle 1


def test_the_edge_lies_between_14_and_15_percent_in_our_model():
    edge = smallest_tipping_surge(COMMAND, surge_weeks=8)
    assert round(edge, 3) == 0.149 and 0.14 < edge <= 0.15  # "to three decimals (0.149)"


@pytest.fixture(scope="module")
def sweep():
    return edge_sweep(COMMAND)


def test_the_sweep_of_the_invented_tolerance(sweep):
    assert sweep.values[0] == 0.01 and sweep.values[-1] == 0.1 and 0.025 in sweep.values
    assert sweep.vary == ("pressure_drain", "climate_loss_time", "climate_threshold")
    assert sweep.spread == 0.25
    # "the edge goes from 0.05 to 0.64, and the band runs from 0.04 to 0.82"
    assert (f"{sweep.edge[0]:.2f}", f"{sweep.edge[-1]:.2f}") == ("0.05", "0.64")
    assert (f"{min(sweep.low):.2f}", f"{max(sweep.high):.2f}") == ("0.04", "0.82")
    assert list(sweep.edge) == sorted(sweep.edge)
    assert f"{sweep.edge[sweep.values.index(0.025)]:.2f}" == "0.15"


def _moved(name):
    value = getattr(COMMAND, name)
    return [
        smallest_tipping_surge(COMMAND.replace(**{name: value * f}), tolerance=0.005)
        for f in (0.75, 1.25)
    ]


def test_which_invented_constant_moves_the_edge_most():
    moves = {
        name: _moved(name)
        for name in (
            "pressure_tolerance",
            "climate_threshold",
            "climate_loss_time",
            "pressure_drain",
            "erosion_time",
            "improvement_delay",
        )
    }
    # "a 25% change in the tolerance alone moves the edge from about 0.11 to 0.20"
    assert [f"{x:.2f}" for x in moves["pressure_tolerance"]] == ["0.11", "0.20"]
    spans = {name: abs(b - a) for name, (a, b) in moves.items()}
    assert max(spans, key=spans.get) == "pressure_tolerance"
    # "the erosion time or the improvement delay hardly move it"
    assert spans["erosion_time"] < 0.01 and spans["improvement_delay"] < 0.01


@pytest.mark.parametrize("tolerance", [0.01, 0.025, 0.05, 0.1])
def test_the_shape_survives_the_sweep(tolerance):
    """Option b of the puzzle: an edge for command, longer crises tip at smaller surges, none
    for commitment, at every tolerance of the sweep."""
    regime = COMMAND.replace(pressure_tolerance=tolerance)
    edges = [smallest_tipping_surge(regime, surge_weeks=w, tolerance=0.005) for w in (4, 8, 16)]
    assert edges[1] < 1.0 and edges == sorted(edges, reverse=True)
    commitment = COMMITMENT.replace(pressure_tolerance=tolerance)
    assert smallest_tipping_surge(commitment, tolerance=0.01) == math.inf


def test_the_puzzle_asks_for_reasoning_not_a_number():
    robust, _, _ = get_exercise("06", "lesson").questions
    assert robust.name == "robust_finding"
    assert robust.evaluate({"robust_finding": "b"}).status == "correct"
    for wrong in "acd":
        assert robust.evaluate({"robust_finding": wrong}).status == "incorrect"
    assert robust.evaluate({"robust_finding": ___}).status == "not attempted"
    claim = get("trap.edge-about-15")
    assert claim.holds() and not claim.holds(pressure_tolerance=0.1)


# ----------------------------------------------------------------- section 6: puzzle 2


@pytest.mark.parametrize(
    ("policy", "status"),
    [
        ({"work_harder": 4.0, "work_smarter": 0.0, "control": 0.8, "autonomy": 0.2}, "incorrect"),
        ({"work_harder": 2.0, "work_smarter": 0.0, "control": 0.8, "autonomy": 0.2}, "incorrect"),
        ({"work_harder": 4.0, "work_smarter": 0.0, "control": 0.4, "autonomy": 0.2}, "correct"),
        ({"work_harder": 4.0, "work_smarter": 0.0, "control": 0.8, "autonomy": 0.5}, "correct"),
        ({"work_harder": 0.25, "work_smarter": 0.5, "control": 0.1, "autonomy": 0.9}, "correct"),
    ],
)
def test_the_policy_puzzle_runs_the_model_on_the_learners_policy(policy, status):
    question = get_exercise("06", "lesson").questions[1]
    assert isinstance(question, SurvivingPolicy)
    assert question.evaluate({"my_policy": policy}).status == status


def test_the_policy_check_explains_itself():
    q = SurvivingPolicy("my_policy")
    good = q.evaluate(
        {"my_policy": {"work_harder": 4, "work_smarter": 0, "control": 0.4, "autonomy": 0.2}}
    )
    assert "it tips only from about a 29% surge" in good.message
    assert "You changed control 0.8 to 0.4." in good.message
    bad = q.evaluate(
        {"my_policy": {"work_harder": 4, "work_smarter": 0, "control": 0.8, "autonomy": 0.2}}
    )
    assert bad.message.startswith("This policy tips into the trap after a 20% surge for 8 weeks")
    assert "(capability falls from 0.98 to 0.30, its floor; the climate from 0.76" in bad.message
    assert "That is command." in bad.message
    reflex = q.evaluate(
        {"my_policy": {"work_harder": 8, "work_smarter": 0, "control": 0.8, "autonomy": 0.2}}
    )
    assert reflex.status == "correct" and "try it under a permanent rise" in reflex.message
    never = q.evaluate(
        {"my_policy": {"work_harder": 0.25, "work_smarter": 0.5, "control": 0.1, "autonomy": 0.9}}
    )
    assert "does not tip even when the target doubles" in never.message


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([4, 0, 0.4, 0.2], "Expected a dictionary of the four levers"),
        ({"control": 0.4}, "it has no 'work_harder', 'work_smarter', 'autonomy'"),
        (
            {
                "work_harder": 4,
                "work_smarter": 0,
                "control": 0.4,
                "autonomy": 0.2,
                "pressure_drain": 0,
            },
            "only the four levers count, so remove 'pressure_drain'",
        ),
        (
            {"work_harder": 4, "work_smarter": 0, "control": 1.4, "autonomy": 0.2},
            "control must be a number in [0, 1], got control=1.4",
        ),
        (
            {"work_harder": "a lot", "work_smarter": 0, "control": 0.4, "autonomy": 0.2},
            "work_harder must be a number",
        ),
    ],
)
def test_the_policy_check_refuses_bad_answers_with_a_message(answer, message):
    outcome = SurvivingPolicy("my_policy").evaluate({"my_policy": answer})
    assert outcome.status == "incorrect" and message in outcome.message


def test_the_widget_policy_feeds_the_check():
    from senge_course.views import ScenarioComparer

    designer = ScenarioComparer(("command", "command"), predict=False)
    question = SurvivingPolicy("my_policy")
    assert question.evaluate({"my_policy": designer.policy("B")}).status == "incorrect"
    designer.controls["B"]["control"].value = 0.4
    assert question.evaluate({"my_policy": designer.policy("B")}).status == "correct"
    assert not designer.result["B"].trapped and designer.result["A"].trapped


# ----------------------------------------------------------------- section 7: effort or structure


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_single_lever_table(name):
    regime, edge, survives_surge = VARIANTS[name]
    assert f"{smallest_tipping_surge(regime, surge_weeks=8):.2f}" == edge
    assert simulate(regime, **SURGE).trapped != survives_surge
    # every single-lever variant is still trapped when the target rises 20% for good
    assert simulate(regime, target_change=0.2).trapped
    # and keeps its trap: changing one lever never removes it
    assert len(steady_states(regime)) == 3


def test_weakening_the_reflex_alone_makes_command_more_fragile():
    edges = [smallest_tipping_surge(COMMAND.replace(work_harder=w)) for w in (0, 0.5, 1, 2, 3, 4)]
    assert edges == sorted(edges) and edges[-1] == smallest_tipping_surge(COMMAND)
    assert 0.02 <= edges[0] < edges[-2] <= 0.12


def test_easing_control_or_granting_autonomy_makes_command_sturdier():
    controls = [smallest_tipping_surge(COMMAND.replace(control=c)) for c in (0.8, 0.6, 0.4, 0.3)]
    assert controls == sorted(controls)
    autonomy = [smallest_tipping_surge(COMMAND.replace(autonomy=a)) for a in (0.2, 0.5, 0.8)]
    assert autonomy == sorted(autonomy)


def test_commitment_survives_everything_in_the_table():
    assert smallest_tipping_surge(COMMITMENT, surge_weeks=8) == math.inf
    assert not simulate(COMMITMENT, **SURGE).trapped
    assert not simulate(COMMITMENT, target_change=0.2).trapped


#: The structures of the reflex table: (edge at work harder 4, at 8), as the lesson prints them.
STRUCTURES = {
    "ours": ({}, "0.15", "0.29"),
    "no overtime": ({"overtime_cap": 0.0}, "0.01", "0.00"),
    "R4 off, 2 hours of overtime": ({"pressure_drain": 0.0, "overtime_cap": 0.05}, "0.54", "0.34"),
    "theirs": ({"pressure_drain": 0.0, "attribution": 2.0}, "0.65", "0.50"),
    "attribution with R4": ({"attribution": 2.0}, "0.13", "0.26"),
}


@pytest.mark.parametrize("name", list(STRUCTURES))
def test_what_a_stronger_reflex_does_depends_on_the_structure(name):
    fields, four, eight = STRUCTURES[name]
    edges = [
        smallest_tipping_surge(COMMAND.replace(work_harder=w, **fields), high=2.0) for w in (4, 8)
    ]
    assert [f"{e:.2f}" for e in edges] == [four, eight]
    assert (edges[1] > edges[0]) == (name in ("ours", "attribution with R4"))
    if name == "no overtime":  # "(0.01 to 0.00: almost any surge traps it)"
        assert edges[0] < 0.01
    claim = get("trap.reflex-sturdier")
    assert claim.holds(**fields) == (edges[1] > edges[0])


def test_the_attribution_loop():
    blamed = simulate(COMMITMENT.replace(attribution=2), target_change=0.2)
    assert blamed.trapped and blamed.climate_collapsed
    assert (round(blamed.control[0], 1), round(blamed.control[-1], 1)) == (0.1, 1.0)
    assert round(blamed.climate[-1], 2) == 0.15 and round(blamed.capability[-1], 2) == 0.33
    assert round(blamed.relative("performance")[-1], 2) == 0.39
    eased = COMMAND.replace(control=0.4)
    assert f"{smallest_tipping_surge(eased):.2f}" == "0.29"
    assert f"{smallest_tipping_surge(eased.replace(attribution=2)):.2f}" == "0.20"
    # "with attribution on, commitment too has a trap to fall into"
    assert len(steady_states(COMMITMENT.replace(attribution=2))) == 3
    names = [loop.name for loop in find_loops(capability_trap(attribution=True))]
    assert "self-confirming attribution" in names and "attribution tightens control" in names


# ----------------------------------------------------------------- section 8: double loop


def test_only_the_whole_policy_change_removes_the_trap():
    assert len(steady_states(COMMAND)) == 3
    assert len(steady_states(COMMAND.replace(control=0.4))) == 3
    assert len(steady_states(COMMITMENT)) == 1


def test_the_explain_question():
    explain = get_exercise("06", "lesson").questions[2]
    assert explain.evaluate({"why_not_effort": "b"}).status == "correct"
    assert explain.evaluate({"why_not_effort": "a"}).status == "incorrect"
    # its numbers: the reflex halved tips from 0.08 instead of 0.15
    assert round(smallest_tipping_surge(COMMAND.replace(work_harder=2)), 2) == 0.08


# ----------------------------------------------------------------- the exercise


def _exercise():
    return {q.name: q for q in get_exercise("06").questions}


def test_the_exercise_items_and_their_kinds():
    kinds = {q.name: q.kind for q in get_exercise("06").questions}
    assert kinds == {
        "prediction_surge": "prediction",
        "answer_loops": "recall",
        "answer_intervenor": "recall",
        "break_surge": "reasoning",
        "break_reflex": "reasoning",
        "prediction_rise": "prediction",
        "break_commitment": "reasoning",
        "design_policy": "design",
        "answer_double_loop": "recall",
        "survives": "procedure",
        "reflection_firefighting": "reflection",
    }
    scored = [q for q in get_exercise("06").questions if q.scored]
    thinking = [q for q in scored if q.kind in ("reasoning", "design")]
    assert (len(thinking), len(scored)) == (4, 8)  # half the scored items
    for q in get_exercise("06").questions:
        assert q.prompt
        if q.kind not in ("reflection", "prediction"):
            assert len(q.hints) == 2 and q.solution


def test_the_lessons_checked_questions_say_what_kind_they_are():
    kinds = [q.kind for q in get_exercise("06", "lesson").questions]
    assert kinds == ["reasoning", "design", "reasoning"]


def test_the_lessons_prediction_and_what_the_model_says():
    """Section 3's options; the read-back cell maps the 8-week surge to option b."""
    command, commitment = (simulate(r, **SURGE) for r in (COMMAND, COMMITMENT))
    assert (command.trapped, commitment.trapped) == (True, False)
    assert AFTER_THE_SURGE["b"] == "command stays trapped, commitment gets back"
    assert round(command.capability[-1], 2) == 0.30 and round(commitment.capability[-1], 2) == 1.00
    prediction = _exercise()["prediction_surge"]
    assert prediction.options == AFTER_THE_SURGE
    assert prediction.evaluate({"prediction_surge": " B "}).status == "submitted"
    assert prediction.evaluate({"prediction_surge": ___}).status == "not attempted"


def _solution(question):
    namespace = {}
    exec(question.solution.strip(), namespace)  # noqa: S102 - our own solution line
    return namespace[question.name]


@pytest.mark.parametrize("name", ["break_surge", "break_reflex", "break_commitment"])
def test_each_assumption_hunt_is_solved_by_its_own_solution(name):
    question = _exercise()[name]
    assert isinstance(question, BreakClaim) and question.kind == "reasoning"
    answer = _solution(question)
    assert question.evaluate({name: answer}).status == "correct"
    # the answer is not the counterexample the lesson's claims table prints
    claim = get(question.claim)
    assert answer != {k: v for k, v in claim.counterexample.items() if claim.default[k] != v}


@pytest.mark.parametrize(
    ("name", "answer", "says"),
    [
        # the claims table's own counterexamples are ruled out, with the rule in words
        ("break_surge", {"pressure_drain": 0.0}, "keep R4 on"),
        ("break_reflex", {"overtime_cap": 0.0}, "some overtime"),
        ("break_reflex", {"pressure_drain": 0.0, "attribution": 2.0}, "Keep R4 on"),
        ("break_commitment", {"commitment_work_harder": 4.0}, "at most 2"),
        # a smaller crisis is not an assumption of the model
        ("break_surge", {"target_change": 0.1}, "You changed target_change"),
    ],
)
def test_the_lessons_counterexamples_do_not_count(name, answer, says):
    outcome = _exercise()[name].evaluate({name: answer})
    assert outcome.status == "incorrect" and says in outcome.message


def test_break_surge_a_weaker_r4_is_enough():
    """R4 need not be off: below about 0.7 the 8-week 20% surge no longer traps command."""
    claim = get("trap.temporary-surge")
    assert not claim.holds(pressure_drain=0.5) and not claim.holds(pressure_drain=0.7)
    assert claim.holds(pressure_drain=0.8) and claim.holds(pressure_drain=1.0)
    # the first try the question suggests still holds, and the check says so
    out = _exercise()["break_surge"].evaluate({"break_surge": {"pressure_drain": 1.0}})
    assert out.status == "incorrect" and "still holds" in out.message


def test_break_reflex_needs_r4_and_overtime_weakened_together():
    claim = get("trap.reflex-sturdier")
    assert claim.default["pressure_drain"] == 1.25 and claim.default["overtime_cap"] == 0.125
    assert 0.125 * 40 == 5 and 0.05 * 40 == 2  # "0.125 is 5 hours", "2 hours of overtime"
    assert REGIME_PARAMETERS["attribution"].high == 5  # "attribution ... at most 5"
    # one of them weakened alone is not enough
    assert claim.holds(pressure_drain=0.25) and claim.holds(overtime_cap=0.05)
    assert claim.holds(attribution=2.0) and claim.holds(attribution=5.0)
    # hint 2: R4 at a fifth of its strength or less, with 2 hours of overtime
    for drain in (0.25, 0.1):
        assert not claim.holds(pressure_drain=drain, overtime_cap=0.05)
    assert not claim.holds(pressure_drain=0.1, attribution=2.0)  # another way
    question = _exercise()["break_reflex"]
    assert question.changes == 2
    out = question.evaluate({"break_reflex": {"pressure_drain": 0.25, "overtime_cap": 0.05}})
    assert "trapped from an 8-week surge of 0.34; with work harder 8" in out.message


def test_break_commitment_needs_a_stronger_reflex_and_a_bigger_rise():
    claim = get("trap.commitment-never-trapped")
    assert claim.default["commitment_work_harder"] == COMMITMENT.work_harder == 0.25
    # a bigger rise alone never traps commitment: its capability ends higher (question 6)
    for rise in (0.3, 1.0, 2.0):
        assert claim.holds(target_change=rise)
    # nor does a reflex of 2 alone (half of command's); commitment is trapped from about 3.3
    assert claim.holds(commitment_work_harder=2.0) and claim.holds(commitment_work_harder=3.2)
    assert not claim.holds(commitment_work_harder=3.3)
    # together they do
    assert not claim.holds(commitment_work_harder=2.0, target_change=0.3)
    assert not claim.holds(commitment_work_harder=1.0, target_change=0.75)
    out = _exercise()["break_commitment"].evaluate({"break_commitment": {"target_change": 1.0}})
    assert out.status == "incorrect" and "capability ends at 1.49" in out.message


def test_the_exercises_prediction_read_back():
    """Question 6's model answer: a permanent 100% rise leaves commitment untrapped (c)."""
    rise = simulate(COMMITMENT, target_change=1.0)
    assert not rise.trapped and rise.capability[-1] > rise.capability[0]
    assert round(rise.capability[-1], 2) == 1.49
    assert set(BIGGER_RISE) == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("policy", "status", "says"),
    [
        ({"work_harder": 4.0, "work_smarter": 0.0, "control": 0.3, "autonomy": 0.2}, "correct", ""),
        ({"work_harder": 4.0, "work_smarter": 0.0, "control": 0.8, "autonomy": 0.8}, "correct", ""),
        # the lesson's puzzle answer is not enough for a 30% surge: its edge is 0.29
        (
            {"work_harder": 4.0, "work_smarter": 0.0, "control": 0.4, "autonomy": 0.2},
            "incorrect",
            "tips",
        ),
        (
            {"work_harder": 4.0, "work_smarter": 0.0, "control": 0.8, "autonomy": 0.5},
            "incorrect",
            "tips",
        ),
        # commitment's policy changes four levers; a stronger reflex is ruled out
        (
            {"work_harder": 0.25, "work_smarter": 0.5, "control": 0.1, "autonomy": 0.9},
            "incorrect",
            "You changed 4 levers",
        ),
        (
            {"work_harder": 9.0, "work_smarter": 0.0, "control": 0.8, "autonomy": 0.2},
            "incorrect",
            "You have work_harder = 9",
        ),
    ],
)
def test_the_design_item_runs_the_model_under_its_constraint(policy, status, says):
    question = _exercise()["design_policy"]
    assert question.kind == "design" and question.target_change == 0.3
    outcome = question.evaluate({"design_policy": policy})
    assert outcome.status == status and says in outcome.message


def test_the_design_items_single_levers():
    """Which single levers survive a 30% 8-week surge: control 0.35 or less, autonomy 0.75 or
    more; the stronger reflexes that would also survive are ruled out."""

    def survives_30(**lever):
        return not simulate(COMMAND.replace(**lever), target_change=0.3, surge_weeks=8).trapped

    assert survives_30(control=0.35) and not survives_30(control=0.4)
    assert survives_30(autonomy=0.75) and not survives_30(autonomy=0.7)
    assert not any(survives_30(work_smarter=w) for w in (0.25, 0.5, 1.0))
    assert survives_30(work_harder=9.0) and not survives_30(work_harder=4.0)
    assert f"{smallest_tipping_surge(COMMAND.replace(control=0.4)):.2f}" == "0.29"


def test_the_choices_and_the_reflection():
    questions = _exercise()
    assert questions["answer_intervenor"].evaluate({"answer_intervenor": "C"}).status == "correct"
    assert questions["answer_double_loop"].evaluate({"answer_double_loop": "a"}).status == (
        "incorrect"
    )
    reflection = questions["reflection_firefighting"]
    assert len(reflection.criteria) == 4 and reflection.min_words == 40
    assert reflection.evaluate({"reflection_firefighting": "Overtime."}).status == "incorrect"


def test_the_loops_item():
    question = _exercise()["answer_loops"]
    assert question.evaluate({"answer_loops": dict(LOOP_POLARITIES)}).status == "correct"


def test_the_claims_the_lesson_names():
    keys = {c.key for c in for_lesson("06")}
    assert keys >= {
        "trap.temporary-surge",
        "trap.reflex-sturdier",
        "trap.edge-about-15",
        "trap.commitment-never-trapped",
    }


def test_longer_crises_tip_at_smaller_surges():
    edges = [smallest_tipping_surge(COMMAND, surge_weeks=w) for w in (4, 8, 16)]
    assert edges == sorted(edges, reverse=True)


def test_survives_reference_and_its_cases():
    question = next(q for q in get_exercise("06").questions if q.name == "survives")
    results = [survives(*case) for case in question.test_cases()]
    assert True in results and False in results  # the cases test both answers
    assert question.evaluate({"survives": survives}).status == "correct"
    assert question.evaluate({"survives": lambda c, a: True}).status == "incorrect"


def test_manifest_entry():
    lesson = get_lesson("06")
    assert lesson.stem == "06_capability_trap"
    assert (lesson.minutes, lesson.exercise_minutes) == (60, 40)  # measured: CONTRIBUTING.md
    assert len(lesson.objectives) == 4
