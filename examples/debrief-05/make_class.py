"""Write examples/debrief-05/class.json: a made-up class of 12 for lesson 05's debrief.

The answers are invented (a spread of the misconceptions the teaching notes name); every
outcome is the exercise's own judge run on them, exactly as the grader would record it.
Run ``python examples/debrief-05/make_class.py`` to write it again.
"""

from pathlib import Path

from senge_course.course.checks import ___
from senge_course.course.classfile import json_safe, outcome_data, write_class
from senge_course.course.questions import get_exercise

FOLDER = Path(__file__).resolve().parent
BEST = {"pilot_teams": 2, "mentoring": 1.0, "networkers": 1, "teams_spanned": 3}
STRONG = {
    "pilot_teams": 1,
    "mentoring": 1.0,
    "networkers": 3,
    "bridge_width": 3,
    "teams_spanned": 3,
}
REFLECTION = (
    "I predicted the executives would matter most, because in my firm nothing moves without the "
    "board. The model disagreed: executives alone committed only themselves, since they have no "
    "informal ties in it. That assumption may not hold where I work, where our CFO coaches "
    "several teams directly; even so, the pilot teams were what started anything at all."
)
# student -> answers (left out: not attempted)
ANSWERS = {
    "s01": dict(
        prediction_alone="executives",
        prediction_together=0.5,
        answer_q3="b",
        answer_q5=STRONG,
        answer_q6=BEST,
        answer_q7="b",
        answer_q8={"threshold_mean": 0.45},
        answer_q9={"threshold_mean": 0.6},
        reflection_q10=REFLECTION,
    ),
    "s02": dict(
        prediction_alone="line leaders",
        prediction_together=0.8,
        answer_q3="b",
        answer_q5=STRONG,
        answer_q6={"pilot_teams": 3, "networkers": 1},
        answer_q7="d",
    ),
    "s03": dict(
        prediction_alone="networkers",
        prediction_together=0.6,
        answer_q3="a",
        answer_q5={"pilot_teams": 1, "mentoring": 0.5, "networkers": 3},
        answer_q6={"pilot_teams": 2, "mentoring": 0.5, "networkers": 2, "teams_spanned": 2},
        answer_q7="a",
    ),
    "s04": dict(
        prediction_alone="executives",
        prediction_together=0.9,
        answer_q3="b",
        answer_q6={"pilot_teams": 3, "mentoring": 0.5},
        answer_q7="b",
    ),
    "s05": dict(
        prediction_alone="executives",
        prediction_together=0.4,
        answer_q3="c",
        answer_q5={"pilot_teams": 1, "networkers": 3, "teams_spanned": 3},
        answer_q6={"pilot_teams": 1, "mentoring": 1.0, "networkers": 3, "teams_spanned": 3},
        answer_q7="c",
    ),
    "s06": dict(
        prediction_alone="line leaders",
        prediction_together=0.75,
        answer_q3="b",
        answer_q5=STRONG,
        answer_q6=BEST,
        answer_q7="b",
    ),
    "s07": dict(
        prediction_alone="networkers",
        prediction_together=0.7,
        answer_q3="b",
        answer_q6={"pilot_teams": 2, "mentoring": 1.0, "networkers": 1, "teams_spanned": 2},
        answer_q7="d",
    ),
    "s08": dict(
        prediction_alone="executives",
        prediction_together=0.6,
        answer_q3="a",
        answer_q6={"pilot_teams": 2, "mandate": 0.5},
        answer_q7="a",
    ),
    "s09": dict(
        prediction_alone="line leaders",
        prediction_together=0.85,
        answer_q3="b",
        answer_q5=STRONG,
        answer_q6={
            "pilot_teams": 2,
            "mentoring": 1.0,
            "networkers": 1,
            "teams_spanned": 3,
            "bridge_width": 2,
        },
        answer_q7="b",
    ),
    "s10": dict(
        prediction_alone="executives",
        prediction_together=0.3,
        answer_q3="c",
        answer_q6={"mentoring": 1.0, "networkers": 4, "teams_spanned": 3},
        answer_q7="c",
    ),
    "s11": dict(
        prediction_alone="networkers",
        prediction_together=0.65,
        answer_q3="b",
        answer_q6={"pilot_teams": 1, "mentoring": 1.0, "networkers": 2, "teams_spanned": 3},
        answer_q7="b",
    ),
    "s12": dict(prediction_alone="executives", prediction_together=0.5),
}


def record(answers, exercise):
    outcomes, kept = [], {}
    kinds = exercise.kinds()
    for label, question in exercise.items():
        answer = answers.get(question.name, ___)
        outcome = question.assess(answer, question=label, lesson=exercise.lesson)
        outcomes.append(outcome_data(outcome, kinds[label]))
        if question.name in answers:
            kept[question.name] = json_safe(answer)
    return {"lesson": exercise.lesson, "status": "ok", "outcomes": outcomes, "answers": kept}


def main():
    exercise = get_exercise("05").settled()
    students = {s: record(a, exercise) for s, a in ANSWERS.items()}
    write_class(FOLDER / "class.json", students)


if __name__ == "__main__":
    main()
