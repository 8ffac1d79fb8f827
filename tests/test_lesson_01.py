"""Lesson 01 (compare command and commitment): every number its prose states, and every
behaviour it teaches, held by the model.

The lesson, its exercise and its checked questions quote these numbers; if the model is
recalibrated, this file says which sentences to rewrite.
"""

import ast
import math

import nbformat
import numpy as np
import pytest

from senge_course.course.checks import ___
from senge_course.course.lessons import get_lesson
from senge_course.course.questions import get_exercise, lesson_01
from senge_course.course.questions.lesson_01 import mean_between, overtake_week
from senge_course.models.capability import (
    COMMAND,
    COMMITMENT,
    HOURS_PER_WEEK,
    TRAP_MARGIN,
    equilibrium,
    performance_path,
    simulate,
    steady_states,
)
from senge_course.models.claims import for_lesson, get
from senge_course.models.loops import capability_trap, find_loops
from senge_course.paths import course_root
from senge_course.style import OKABE_ITO, series_style

ROOT = course_root()


@pytest.fixture(scope="module")
def command():
    return simulate(COMMAND, target_change=0.2)


@pytest.fixture(scope="module")
def commitment():
    return simulate(COMMITMENT, target_change=0.2)


def at(run, week):
    return int(round(week / run.dt))


def first_week(run, condition, after):
    """First week after `after` at which the boolean series `condition` holds."""
    hits = np.flatnonzero(condition & (run.week > after))
    return float(run.week[hits[0]])


# ----------------------------------------------------------------- section 2: the model


def test_the_model_as_described():
    eq = equilibrium(COMMAND)
    assert (eq.hours_working, eq.hours_improving) == (32.0, 8.0)  # "32 working and 8 improving"
    assert COMMAND.overtime_cap * HOURS_PER_WEEK == 5.0  # "at most 5 hours a week"
    assert COMMAND.improvement_delay == 8.0  # "about 8 weeks to become capability"
    assert COMMAND.climate_threshold == COMMITMENT.climate_threshold == 0.35
    # "trapped when its capability ends at its floor (0.30 output per hour, within a tenth ...)"
    assert COMMAND.basic_capability == 0.3 and TRAP_MARGIN == 0.1
    # "switched off, and lesson 06 switches it on"; R4 is switchable through pressure_drain
    assert COMMAND.attribution == COMMITMENT.attribution == 0.0


def test_the_two_regimes_levers_and_starting_points():
    assert (COMMAND.work_harder, COMMAND.work_smarter, COMMAND.control, COMMAND.autonomy) == (
        4.0,
        0.0,
        0.8,
        0.2,
    )
    assert (
        COMMITMENT.work_harder,
        COMMITMENT.work_smarter,
        COMMITMENT.control,
        COMMITMENT.autonomy,
    ) == (0.25, 0.5, 0.1, 0.9)
    # "a 10% gap demands 16 extra hours of work a week ... overtime is capped at 5 hours a week"
    demand = COMMAND.work_harder * 0.10 * HOURS_PER_WEEK
    cap = COMMAND.overtime_cap * HOURS_PER_WEEK
    improving = COMMAND.improvement_share * HOURS_PER_WEEK
    assert (demand, cap) == pytest.approx((16.0, 5.0))
    # "the other 11 hours from improvement, which has only 8 to give; the last 3 are never worked,
    # and people end up working 45 hours a week and improving none"
    assert (demand - cap, improving, demand - cap - improving) == pytest.approx((11.0, 8.0, 3.0))
    left = max(improving - (demand - cap), 0.0)  # hours still improving (the model's clip at 0)
    assert (left, HOURS_PER_WEEK - left + cap) == pytest.approx((0.0, 45.0))
    text = "\n".join(c.source for c in _text("notebooks").cells)
    for phrase in (
        "16 extra hours",
        "capped at 5 hours",
        "the other 11 hours",
        "only 8 to give",
        "the last 3 are never worked",
        "working 45 hours a week and improving none",
    ):
        assert phrase in text, phrase
    a, b = equilibrium(COMMAND), equilibrium(COMMITMENT)
    assert (round(a.climate, 2), round(b.climate, 2)) == (0.76, 0.99)
    assert (round(a.capability, 2), round(b.capability, 2)) == (0.98, 1.00)
    assert round(1 - a.capability / b.capability, 2) == 0.02  # "only 2% of capability"


def test_the_loops_drawn():
    loops = [(loop.label, loop.name) for loop in find_loops(capability_trap())]
    assert loops == [
        ("B1", "work harder"),
        ("B2", "work smarter"),
        ("R3", "capability erosion"),
        ("R4", "climate erosion (our extension)"),
    ]
    sources = capability_trap().graph["sources"]
    assert sources["capability erosion"] == "Repenning & Sterman (2001)"
    assert sources["climate erosion (our extension)"] == "the course"


def test_scenario_styles_as_named_in_the_lesson():
    a, b = series_style(0), series_style(1)
    assert (a["color"], a["linestyle"], a["marker"]) == (OKABE_ITO["blue"], "-", "o")
    assert (b["color"], b["linestyle"], b["marker"]) == (OKABE_ITO["vermillion"], "--", "s")


# ----------------------------------------------------------------- sections 4 and 5


def test_the_predictions_compared_at_weeks_30_and_200(command, commitment):
    a, b = command.relative("performance"), commitment.relative("performance")
    assert (round(a[at(command, 30)], 2), round(b[at(command, 30)], 2)) == (1.15, 0.96)
    assert (round(a[at(command, 200)], 2), round(b[at(command, 200)], 2)) == (0.45, 1.08)


def test_command_is_better_before_worse(command):
    path = performance_path(command)
    assert path["shape"] == "better before worse"
    assert round(path["peak"], 2) == 1.16
    # "about four weeks after the rise ... (week 24)"
    assert round(path["peak_week"]) == 24 and round(path["peak_week"] - 20) == 4
    assert round(path["end"], 2) == 0.43
    rel = command.relative("performance")
    # "falls back below its start by week 57"
    assert math.ceil(first_week(command, rel < 1.0, after=path["peak_week"])) == 57
    # how: overtime first, then hours from improvement; trust and capability collapse
    assert command.hours_working.max() == pytest.approx(45.0)
    assert command.hours_improving[-1] == 0.0 and command.hours_working[-1] == pytest.approx(45.0)
    assert (round(command.climate[0], 2), round(command.climate[-1], 2)) == (0.76, 0.05)
    assert (round(command.capability[0], 2), round(command.capability[-1], 2)) == (0.98, 0.30)
    assert command.trapped  # "command is trapped"


def test_commitment_is_worse_before_better(command, commitment):
    path = performance_path(commitment)
    assert path["shape"] == "worse before better"
    assert round(path["low"], 2) == 0.96 and round(path["low_week"]) == 28
    assert round(path["peak"], 2) == 1.10 and round(path["peak_week"] / 10) * 10 == 70
    assert round(path["end"], 2) == 1.08 and path["end"] < 1.2  # never reaches the target
    rel = commitment.relative("performance")
    # "back above its start by week 40"
    assert math.ceil(first_week(commitment, rel > 1.0, after=path["low_week"])) == 40
    # hours move into improvement: from 8 to about 12
    assert commitment.hours_improving[0] == 8.0
    assert round(commitment.hours_improving.max()) == 12
    assert (round(commitment.climate[0], 2), round(commitment.climate[-1], 2)) == (0.99, 0.64)
    assert commitment.climate.min() > 0.35 + 0.25  # "well above the threshold"
    assert not commitment.trapped


# ----------------------------------------------------------------- section 6: the sweep


@pytest.mark.parametrize(
    ("rise", "command_peak", "command_end", "commitment_low", "commitment_end"),
    [
        (0.05, 1.04, 1.04, 0.99, 1.01),
        (0.10, 1.08, 0.43, 0.98, 1.03),
        (0.20, 1.16, 0.43, 0.96, 1.08),
        (0.30, 1.24, 0.43, 0.94, 1.12),
        (0.40, 1.31, 0.43, 0.92, 1.16),
    ],
)
def test_the_sweep_of_the_rise(rise, command_peak, command_end, commitment_low, commitment_end):
    a = simulate(COMMAND, target_change=rise)
    b = simulate(COMMITMENT, target_change=rise)
    pa, pb = performance_path(a), performance_path(b)
    assert (round(pa["peak"], 2), round(pa["end"], 2)) == (command_peak, command_end)
    assert (round(pb["low"], 2), round(pb["end"], 2)) == (commitment_low, commitment_end)
    assert a.trapped == (rise >= 0.10)  # "a 5% rise is small enough to absorb"
    assert not b.trapped


# ----------------------------------------------------------------- section 7: the puzzle


def test_commitment_overtakes_command_at_week_52(command, commitment):
    assert overtake_week() == 51.75
    assert round(overtake_week() - 20) == 32  # "about 32 weeks after the rise"
    a, b = command.relative("performance"), commitment.relative("performance")
    # the hint's numbers: command ahead at week 40 (1.125x against 1.004x) and at week 50
    assert (round(a[at(command, 40)], 3), round(b[at(command, 40)], 3)) == (1.125, 1.004)
    assert a[at(command, 50)] > b[at(command, 50)] and a[at(command, 30)] > b[at(command, 30)]
    assert b[at(command, 60)] > a[at(command, 60)]
    # the app's week readout shows 3 decimals: at week 51 command leads, at week 52 commitment
    assert a[at(command, 51)] > b[at(command, 51)] and b[at(command, 52)] > a[at(command, 52)]


def test_the_lesson_checks_show_no_exercise_label(capsys):
    """In a lesson, overtake.check() shows its outcome without the exercise's "q1:" label."""
    from senge_course.course import exercise

    overtake, explain = exercise("01", {"overtake_week": 52}, part="lesson")
    overtake.check()
    explain.check()
    shown = capsys.readouterr().out
    assert shown.startswith("Correct.") and "Not attempted." in shown
    assert "q1" not in shown and "q2" not in shown
    explain.hint(99)
    assert capsys.readouterr().out.startswith("This question has")
    # the exercise keeps its labels: they name the variables the grader reads
    q1, *_ = exercise("01", {})
    q1.check()
    assert capsys.readouterr().out.startswith("q1: ")


def test_the_trap_is_defined_before_the_app_that_names_it():
    cells = [c.source for c in _text("notebooks").cells]
    app = next(i for i, s in enumerate(cells) if "ScenarioComparer(" in s and "app" in s)
    defined = next(i for i, s in enumerate(cells) if "- The **trap**:" in s)
    assert defined < app and "*falls into the trap*" in cells[defined]


def test_the_lesson_checks_accept_the_puzzle_answer_and_the_explanation():
    overtake, explain = get_exercise("01", "lesson").questions
    assert overtake.evaluate({"overtake_week": 52}).status == "correct"
    assert overtake.evaluate({"overtake_week": 54}).status == "incorrect"
    assert overtake.evaluate({"overtake_week": ___}).status == "not attempted"
    assert explain.evaluate({"why_command_fades": "a"}).status == "correct"
    for wrong in "bcd":
        assert explain.evaluate({"why_command_fades": wrong}).status == "incorrect"
    # option d's feedback: commitment meets the same rise and ends above its start
    assert round(simulate(COMMITMENT, target_change=0.2).relative("performance")[-1], 2) > 1


# ----------------------------------------------------------------- section 9: the trap


def test_compliance_delivers_hours_not_learning(commitment):
    trap = steady_states(COMMAND)[-1]
    assert (round(trap.hours_working), round(trap.hours_improving)) == (45, 0)
    assert (round(trap.climate, 2), round(trap.capability, 2)) == (0.05, 0.30)
    assert round(trap.performance / trap.target, 2) == 0.43
    assert trap.stable
    end = commitment
    assert (round(end.hours_working[-1]), round(end.hours_improving[-1])) == (31, 10)
    assert (round(end.climate[-1], 2), round(end.capability[-1], 2)) == (0.64, 1.11)
    assert round(end.relative("performance")[-1], 2) == 1.08


def test_commitment_with_commands_reflex_is_trapped_with_its_climate_intact():
    stuck = simulate(COMMITMENT.replace(work_harder=4), target_change=0.2)
    assert stuck.trapped and not stuck.climate_collapsed
    assert round(stuck.capability[-1], 2) == 0.31 and stuck.regime.basic_capability == 0.3
    assert round(stuck.hours_improving[-1]) == 0
    assert round(stuck.climate[-1], 2) == 0.64
    assert round(stuck.relative("performance")[-1], 2) == 0.43


# ----------------------------------------------------------------- the three voices and claims


def test_the_claims_the_lesson_names():
    keys = {c.key for c in for_lesson("01")}
    assert keys == {
        "trap.commitment-never-trapped",
        "trap.better-before-worse",
        "trap.worse-before-better",
        "trap.compliance-hours",
    }
    # better before worse breaks "with 10 hours of overtime a week and without our R4"
    better = get("trap.better-before-worse")
    assert dict(better.counterexample) == {
        "overtime_cap": 0.25,
        "pressure_drain": 0.0,
        "target_change": 0.2,
        "surge_weeks": 8,
        "permanent": True,
    }
    assert 0.25 * HOURS_PER_WEEK == 10.0 and not better.holds(**better.counterexample)
    assert get("trap.worse-before-better").by_construction
    assert get("trap.compliance-hours").by_construction


# ----------------------------------------------------------------- the exercise

EXERCISE = {q.name: q for q in get_exercise("01").questions}


def _text(folder):
    path = ROOT / folder / f"{get_lesson('01').stem}.ipynb"
    return nbformat.read(path, as_version=4)


def _solution_value(question):
    """The answer a one-line `solution` assigns (``name = literal  # comment``); a prediction's
    solution says it has no right answer, so any of its options will do."""
    if question.kind == "prediction":
        return next(iter(question.options))
    line = question.solution.strip().split("  #")[0]
    name, _, value = line.partition(" = ")
    assert name == question.name, question.solution
    return ast.literal_eval(value)


def test_exercise_items_their_kinds_and_the_reasoning_share():
    assert get_exercise("01").kinds() == {
        "q1": "prediction",
        "q2": "recall",
        "q3": "recall",
        "q4": "reasoning",
        "q5": "prediction",
        "q6": "reasoning",
        "q7": "design",
        "q8": "reasoning",
        "q9": "procedure",
        "q10": "procedure",
        "q11": "reflection",
    }
    scored = [q for q in EXERCISE.values() if q.scored]
    thinking = [q for q in scored if q.kind in ("reasoning", "design")]
    assert (len(thinking), len(scored)) == (4, 8)
    assert {q.kind for q in get_exercise("01", "lesson").questions} == {"read-off", "recall"}


def test_exercise_expected_answers_and_their_stated_numbers():
    assert round(EXERCISE["answer_q10"].expected_value(), 2) == 0.14  # "about 0.14"
    for q in EXERCISE.values():
        assert len(q.hints) >= 1 and q.prompt
        if q.scored:
            assert len(q.hints) == 2 and q.solution


@pytest.mark.parametrize(
    "name",
    ["prediction_weeks", "answer_q3", "answer_q4", "prediction_one_lever"]
    + ["answer_q6", "answer_q7", "answer_q8"],
)
def test_each_one_line_solution_earns_its_marks(name):
    q = EXERCISE[name]
    out = q.evaluate({name: _solution_value(q)})
    assert out.status == ("submitted" if q.kind == "prediction" else "correct"), out.message
    assert out.score == q.auto_points
    assert q.evaluate({name: ___}).status == "not attempted"


def test_predictions_are_recorded_not_marked():
    weeks, lever = EXERCISE["prediction_weeks"], EXERCISE["prediction_one_lever"]
    for option in "abcd":
        out = weeks.evaluate({"prediction_weeks": f" {option.upper()} "})
        assert (out.status, out.score, out.max_score) == ("submitted", 0.0, 0.0)
    assert lever.evaluate({"prediction_one_lever": "e"}).status == "submitted"
    assert lever.evaluate({"prediction_one_lever": "control"}).status == "incorrect"
    # the options the exercise shows are the options recorded
    text = "\n".join(c.source for c in _text("exercises").cells)
    for option in (*lesson_01.PREDICTED_WEEKS.values(), *lesson_01.ONE_LEVER.values()):
        assert f"{option}." in text


# question 4: the lesson breaks better-before-worse with two changes; one is enough, but not
# either of the lesson's


@pytest.mark.parametrize(
    ("answer", "status", "said"),
    [
        ({"target_change": 0.05}, "correct", "ends at 1.04x (steady)"),
        ({"target_change": 0.06}, "correct", "(steady)"),
        ({"target_change": 0.0625}, "incorrect", "still holds"),
        ({"overtime_cap": 0.25}, "incorrect", "ends at 0.48x (better before worse)"),
        ({"overtime_cap": 0.5}, "incorrect", "still holds"),
        ({"pressure_drain": 0}, "incorrect", "ends at 0.44x (better before worse)"),
        ({"permanent": False}, "incorrect", "still holds"),
        ({"overtime_cap": 0.25, "pressure_drain": 0.0}, "incorrect", "at most one change"),
        ({"target_change": 0}, "incorrect", "removes the rise altogether"),
        ({"target_change": -0.2}, "incorrect", "removes the rise altogether"),
        ({"charisma": 2}, "incorrect", "not an assumption"),
    ],
)
def test_question_4_breaks_better_before_worse_with_one_change(answer, status, said):
    out = EXERCISE["answer_q4"].evaluate({"answer_q4": answer})
    assert out.status == status and said in out.message, out.message


def test_question_4_is_not_the_lesson_s_counterexample_and_states_its_settings():
    claim = get("trap.better-before-worse")
    shown = {k: v for k, v in claim.counterexample.items() if claim.default[k] != v}
    assert len(shown) == 2  # "two changes at once: 10 hours of overtime a week and R4 switched off"
    assert shown == {"overtime_cap": 0.25, "pressure_drain": 0.0}
    # "now 0.125, that is 5 hours", "now 1.25", "now 0.2, that is 20%", "for good"
    assert dict(claim.default) == {
        "overtime_cap": 0.125,
        "pressure_drain": 1.25,
        "target_change": 0.2,
        "surge_weeks": 8,
        "permanent": True,
    }
    assert 0.125 * HOURS_PER_WEEK == 5.0
    # only a small rise breaks it on its own: overtime then carries the whole rise
    assert not claim.holds(**{**claim.default, "target_change": 0.06})
    assert claim.holds(**{**claim.default, "target_change": 0.0625})


# questions 5 to 7: no single lever rescues command; two can


@pytest.mark.parametrize(
    ("lever", "value", "climate", "improving", "end"),
    [
        ("work_harder", 0.0, 0.05, 8, 0.31),  # "drains the climate to 0.05 ... 8 improvement hours"
        ("control", 0.0, 1.00, 0, 0.44),  # "the climate holds at 1.00 ... every improvement hour"
        ("work_smarter", 1.0, 0.05, 0, 0.43),
        ("autonomy", 1.0, 0.20, 0, 0.42),
    ],
)
def test_question_6_no_single_lever_keeps_command_out_of_the_trap(
    lever, value, climate, improving, end
):
    run = simulate(COMMAND.replace(**{lever: value}), target_change=0.2)
    assert run.trapped
    assert round(run.climate[-1], 2) == climate
    assert round(run.hours_improving[-1]) == improving
    assert round(run.relative("performance")[-1], 2) == end
    # "performance ends even lower" than command's 0.43 without a reflex
    assert round(simulate(COMMAND, target_change=0.2).relative("performance")[-1], 2) == 0.43


@pytest.mark.parametrize("lever", ["work_harder", "work_smarter", "control", "autonomy"])
def test_question_6_holds_over_each_lever_s_whole_slider(lever):
    low, high = {"work_harder": (0, 10), "work_smarter": (0, 1), "control": (0, 1)}.get(
        lever, (0.05, 1)
    )
    for value in np.linspace(low, high, 9):
        assert simulate(COMMAND.replace(**{lever: float(value)}), target_change=0.2).trapped


@pytest.mark.parametrize(
    ("answer", "status", "said"),
    [
        ({"control": 0, "work_smarter": 0.5}, "correct", "ends at 1.17x"),
        ({"control": 0, "work_harder": 1}, "correct", "ends at 1.10x"),
        ({"work_harder": 4, "work_smarter": 0.5, "control": 0, "autonomy": 0.2}, "correct", ""),
        ({"control": 0, "work_harder": 0}, "incorrect", "ends at 1.00x"),
        ({"control": 0.05, "work_harder": 0.5}, "incorrect", "ends at 0.93x"),
        ({"work_harder": 0}, "incorrect", "fell to 0.05, so the improvement hours left"),
        ({"control": 0}, "incorrect", "the climate held (1.00), but improvement fell to 0"),
        ({"control": 0, "work_harder": 0, "autonomy": 0.9}, "incorrect", "changed 3 levers"),
        ({"work_harder": 4}, "incorrect", "That is command itself"),
        ({"charisma": 1}, "incorrect", "not among command's levers"),
        ({"control": 2}, "incorrect", "cannot run those levers"),
        ("control 0", "incorrect", "Give a dictionary"),
    ],
)
def test_question_7_design_is_judged_by_the_model(answer, status, said):
    out = EXERCISE["answer_q7"].evaluate({"answer_q7": answer})
    assert out.status == status and said in out.message, out.message


def test_question_7_success_message_states_the_model():
    out = EXERCISE["answer_q7"].evaluate({"answer_q7": {"control": 0, "work_smarter": 0.5}})
    assert "never falls below 1.00" in out.message
    assert "(0.2)" in out.message and "(0.9)" in out.message
    assert (COMMAND.autonomy, COMMITMENT.autonomy) == (0.2, 0.9)
    # "even light control lets a lasting gap wear the climate down"
    light = simulate(COMMAND.replace(control=0.05, work_harder=0.5), target_change=0.2)
    assert round(light.climate.min(), 2) == 0.44 and not light.trapped


# question 8: the climate warns first


def test_question_8_the_climate_warns_before_output_hours_or_capability(command):
    rel = command.relative("performance")
    assert round(rel[at(command, 33)], 2) == 1.15  # "1.15x at week 33"
    assert math.ceil(first_week(command, rel < 1.0, after=25)) == 57  # "around week 57"
    # "from 8 to about 7 a week by week 33"; "reach zero only around week 50"
    assert command.hours_improving[at(command, 20)] == 8.0
    assert round(command.hours_improving[at(command, 33)]) == 7
    assert 49 < first_week(command, command.hours_improving < 0.5, after=20) <= 51
    # "lost only about 4% by week 33"
    assert round(1 - command.capability[at(command, 33)] / command.capability[0], 2) == 0.04
    # by week 33 the climate has moved furthest the wrong way from where it started
    i = at(command, 33)
    moved = {
        "hours improving": 1 - command.hours_improving[i] / command.hours_improving[0],
        "capability": 1 - command.capability[i] / command.capability[0],
        "climate": 1 - command.climate[i] / command.climate[0],
    }
    assert max(moved, key=moved.get) == "climate" and rel[i] > 1
    assert moved["climate"] > 0.8 and moved["hours improving"] < 0.15
    # "falls below its threshold within six weeks of the rise"
    below = first_week(command, command.climate < command.regime.climate_threshold, after=20)
    assert below - 20 <= 6


def test_exercise_choices_rewarded_as_the_notebook_lists_them():
    answers = {"answer_q3": "c", "answer_q6": "a", "answer_q8": "d"}
    for name, right in answers.items():
        q = EXERCISE[name]
        for option in q.options:
            out = q.evaluate({name: option})
            assert out.status == ("correct" if option == right else "incorrect")


def test_the_reflection_shows_its_criteria():
    q = EXERCISE["reflection_q11"]
    assert len(q.criteria) == 4 and q.min_words == 30
    text = "\n".join(c.source for c in _text("exercises").cells)
    for criterion in q.criteria:
        assert f"- it {criterion}" in text
    cell = next(c.source for c in _text("exercises").cells if "reflection_q11 =" in c.source)
    assert "# Your code here" not in cell


def test_the_lesson_reads_back_its_predictions_as_fixed_options():
    cells = [c.source for c in _text("notebooks").cells if c.cell_type == "code"]
    assert 'predict_week_30 = ___  # "command" or "commitment"' in "\n".join(cells)
    readback = next(s for s in cells if "You predicted" in s)
    assert "needs(guess" in readback and "predict_week_200" in readback
    assert 'exercise("01", globals(), part="lesson")' in cells[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (([0, 1, 2, 3], [1.0, 2.0, 3.0, 4.0], 1, 3), 2.5),
        (([0, 1, 2, 3], [1.0, 2.0, 3.0, 4.0], 0, 10), 2.5),
        (([0, 1, 2], [1.0, 1.0, 1.0], 5, 9), None),
    ],
)
def test_mean_between(args, expected):
    assert mean_between(*args) == expected


def test_the_reference_solution_passes_the_function_question():
    question = EXERCISE["mean_between"]
    assert question.evaluate({"mean_between": mean_between}).status == "correct"
    wrong = question.evaluate({"mean_between": lambda w, v, s, e: sum(v) / len(v)})
    assert wrong.status == "incorrect"


def test_manifest_entry():
    lesson = get_lesson("01")
    assert lesson.stem == "01_command_to_commitment"
    assert (lesson.minutes, lesson.exercise_minutes) == (50, 40)  # measured: CONTRIBUTING.md
    assert len(lesson.objectives) == 4
