"""The class's predictions against the model's answers (issue 16, item 2).

Every prediction of the exercises carries the model's answer (`Prediction.outcome`) and, where a
later question tests the same idea, a follow-up; `ClassDebrief.prediction_results` counts the
wrong predictions and, among them, those corrected later; the debrief states it and draws it.
"""

import json
import re

import nbformat
import pytest

from senge_course.course.checks import Choice, Exercise, Prediction, Reflection, Value
from senge_course.course.debrief import ClassDebrief, PredictionResult, build_debrief
from senge_course.course.questions import get_exercise
from senge_course.views.debrief import show_predictions

LESSONS = ("00", "01", "02", "03", "04", "05", "06", "07", "08")
PREDICTIONS = [
    (lesson, label, q)
    for lesson in LESSONS
    for label, q in get_exercise(lesson).items()
    if isinstance(q, Prediction)
]
IDS = [f"{lesson}-{q.name}" for lesson, _, q in PREDICTIONS]


# -- every prediction's model answer and follow-up ---------------------------------------------


def test_every_exercise_prediction_is_counted():
    assert len(PREDICTIONS) == 15


@pytest.mark.parametrize(("lesson", "label", "q"), PREDICTIONS, ids=IDS)
def test_outcome_is_one_of_the_options_or_in_range(lesson, label, q):
    if q.outcome is None:
        pytest.skip(f"{q.name} has no model answer")
    value = q.outcome()
    if q.options:
        assert value in q.options
    else:
        assert isinstance(value, int | float) and not isinstance(value, bool)
        assert q.low <= value <= q.high
        assert q.tolerance is not None
    assert q.model_answer() == value


@pytest.mark.parametrize(("lesson", "label", "q"), PREDICTIONS, ids=IDS)
def test_followup_exists_comes_later_and_is_scored(lesson, label, q):
    exercise = get_exercise(lesson)
    if q.followup is None:
        pytest.skip(f"{q.name} has no follow-up")
    labels = [lab for lab, _ in exercise.items()]
    names = {other.name: (lab, other) for lab, other in exercise.items()}
    assert q.followup in names
    follow_label, follow = names[q.followup]
    assert labels.index(follow_label) > labels.index(label)
    assert follow.scored
    assert q.followup_label(exercise) == follow_label


def test_every_prediction_has_a_model_answer_and_two_no_follow_up():
    assert all(q.outcome is not None for _, _, q in PREDICTIONS)
    without = sorted(q.name for _, _, q in PREDICTIONS if q.followup is None)
    assert without == ["prediction_leader", "prediction_together"]


@pytest.mark.parametrize(("lesson", "label", "q"), PREDICTIONS, ids=IDS)
def test_feedback_never_shows_the_models_answer(lesson, label, q):
    model = q.model_answer()
    if q.options:
        other = next(k for k in q.options if k != model)
        out = q.evaluate({q.name: other})
        # the learner's own choice, recorded: nothing of the model's answer
        assert out.message == f"Recorded your prediction: {other!r} ({q.options[other]})."
        assert q.options[model] not in out.message
    else:
        other = q.low if abs(model - q.low) > abs(model - q.high) else q.high
        out = q.evaluate({q.name: other})
        assert out.message == f"Recorded your prediction: {other:g}."
    assert out.status == "submitted"
    assert q.evaluate({q.name: model}).message.startswith("Recorded your prediction")


# -- the model's answers agree with what the lessons say ---------------------------------------


def _text_of(path):
    nb = nbformat.read(path, as_version=4)
    return " ".join(" ".join(c.source.split()) for c in nb.cells)


@pytest.mark.parametrize(
    ("lesson", "name", "path", "phrase", "expected"),
    [
        ("02", "prediction_crowd_b", "notebooks/02_thresholds.ipynb",
         "Why did only one person riot in crowd B?", 1),
        ("04", "prediction_networker", "notebooks/04_networkers_and_bridges.ipynb",
         "for the best networker; the model says 'c'", "c"),
        ("04", "prediction_bridge", "notebooks/04_networkers_and_bridges.ipynb",
         "for the bridge; the model says 'c'", "c"),
        ("05", "prediction_alone", "notebooks/05_leading_together.ipynb",
         "Line leaders alone commit 32%", "line leaders"),
        ("07", "prediction_best_1_year", "notebooks/07_learning_cycle.ipynb",
         "Over the first year nothing beats firefighting", "a"),
        ("07", "prediction_best_10_years", "notebooks/07_learning_cycle.ipynb",
         "Over 10 years the balanced, integrated plan delivers 59.9", "d"),
    ],
)  # fmt: skip
def test_model_answer_agrees_with_the_lesson(lesson, name, path, phrase, expected):
    assert phrase in _text_of(path)
    q = next(q for _, _, q in PREDICTIONS if q.name == name)
    assert q.model_answer() == expected


def test_together_share_agrees_with_lesson_05():
    text = _text_of("notebooks/05_leading_together.ipynb")
    stated = re.search(r"all three together commit (\d+)% on average", text)
    assert stated is not None
    q = next(q for _, _, q in PREDICTIONS if q.name == "prediction_together")
    assert round(q.model_answer() * 100) == int(stated.group(1))


def test_lesson_00_prediction_is_lesson_05s():
    leader = next(q for _, _, q in PREDICTIONS if q.name == "prediction_leader")
    alone = next(q for _, _, q in PREDICTIONS if q.name == "prediction_alone")
    assert leader.options.keys() == alone.options.keys()
    assert leader.model_answer() == alone.model_answer()


# -- Prediction's new fields: validation --------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"options": {"a": "x"}, "outcome": "a"}, TypeError, "outcome must be a function"),
        ({"options": {"a": "x"}, "followup": 3}, TypeError, "followup must be the name"),
        ({"options": {"a": "x"}, "followup": ""}, TypeError, "followup must be the name"),
        ({"options": {"a": "x"}, "tolerance": 0.1}, ValueError, "numeric prediction only"),
        ({"low": 0, "high": 1, "tolerance": -0.1}, ValueError, "tolerance=-0.1"),
        ({"low": 0, "high": 1, "tolerance": True}, ValueError, "at least 0"),
    ],
)
def test_prediction_rejects_bad_fields(kwargs, error, match):
    with pytest.raises(error, match=match):
        Prediction("p", **kwargs)


def _exercise(followup):
    return Exercise(
        "99",
        [
            Value("before", 1),
            Prediction("p", options={"a": "x", "b": "y"}, outcome=lambda: "a", followup=followup),
            Choice("later", options={"a": "x", "b": "y"}, answer="a"),
            Reflection("thoughts"),
        ],
    )


@pytest.mark.parametrize(
    ("followup", "match"),
    [
        ("nowhere", "followup='nowhere' names no question of exercise 99"),
        ("before", r"must come after the prediction"),
        ("p", r"must come after the prediction"),
        ("thoughts", "must be a scored question, not a reflection"),
    ],
)
def test_followup_must_name_a_later_scored_question(followup, match):
    with pytest.raises(ValueError, match=match):  # refused when the exercise is built
        _exercise(followup)


def test_followup_label_of_a_good_followup():
    exercise = _exercise("later")
    assert exercise.questions[1].followup_label(exercise) == "q3"


def test_model_answer_must_be_a_possible_answer():
    wrong_option = Prediction("p", options={"a": "x"}, outcome=lambda: "z")
    with pytest.raises(ValueError, match="must be one of 'a', got 'z'"):
        wrong_option.model_answer()
    out_of_range = Prediction("p", low=0, high=1, outcome=lambda: 1.5, tolerance=0.1)
    with pytest.raises(ValueError, match="from 0 to 1, got 1.5"):
        out_of_range.model_answer()
    assert Prediction("p", low=0, high=1).model_answer() is None


@pytest.mark.parametrize(
    ("answer", "agrees"),
    [(0.5, True), ("60%", True), (62, True), (0.63, False), ("0.4", False), ("many", None)],
)
def test_numeric_agreement_within_tolerance(answer, agrees):
    q = Prediction("p", low=0, high=1, share=True, outcome=lambda: 0.52, tolerance=0.1)
    assert q.agrees(answer, q.model_answer()) is agrees


# -- a hand-built class ------------------------------------------------------------------------


def _outcome(label, name, kind, status):
    return {
        "question": label,
        "name": name,
        "kind": kind,
        "status": status,
        "score": float(status == "correct"),
        "max_score": 0.0 if kind == "prediction" else 1.0,
        "message": "",
    }


def _class_file(folder, lesson, students):
    """Write a class file: `students` maps an id to ``{name: (answer, status)}``."""
    exercise = get_exercise(lesson)
    records = {}
    for student, given in students.items():
        outcomes, answers = [], {}
        for label, q in exercise.items():
            answer, status = given.get(q.name, (None, "not attempted"))
            outcomes.append(_outcome(label, q.name, q.kind, status))
            if answer is not None:
                answers[q.name] = answer
        records[student] = {
            "lesson": lesson,
            "status": "ok",
            "outcomes": outcomes,
            "answers": answers,
        }
    data = {"schema": "senge-course/class", "version": 1, "students": records}
    path = folder / "class.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _other(q, model):
    return next(k for k in q.options if k != model)


@pytest.fixture
def lesson_01_class(tmp_path):
    """Five students of lesson 01; the wrong predictions are built against the model's answers.

    prediction_weeks (q1, follow-up answer_q8): ada right; bo wrong and q8 correct; cy wrong and
    q8 incorrect; di wrong (written "A)"-style) and q8 not attempted; ed left it blank.
    -> 4 answered, 3 wrong (75%), 1 of the 3 corrected.
    prediction_one_lever (q5, follow-up answer_q6): ed wrong and q6 correct; nobody else.
    -> 1 answered, 1 wrong, 1 corrected.
    """
    exercise = get_exercise("01")
    weeks, lever = exercise.questions[0], exercise.questions[4]
    w, other = weeks.model_answer(), _other(weeks, weeks.model_answer())
    lever_wrong = _other(lever, lever.model_answer())
    students = {
        "ada": {"prediction_weeks": (w, "submitted"), "answer_q8": ("d", "correct")},
        "bo": {"prediction_weeks": (other, "submitted"), "answer_q8": ("d", "correct")},
        "cy": {"prediction_weeks": (other, "submitted"), "answer_q8": ("a", "incorrect")},
        "di": {"prediction_weeks": (f" {other.upper()}) ", "submitted")},
        "ed": {
            "prediction_weeks": ("___", "not attempted"),
            "prediction_one_lever": (lever_wrong, "submitted"),
            "answer_q6": ("a", "correct"),
        },
    }
    return _class_file(tmp_path, "01", students)


def test_prediction_results_of_a_known_class(lesson_01_class):
    results = ClassDebrief.load(lesson_01_class).prediction_results()
    assert list(results) == ["q1", "q5"]
    q1, q5 = results["q1"], results["q5"]
    assert (q1.answered, q1.wrong, q1.corrected, q1.right) == (4, 3, 1, 1)
    assert q1.share_wrong == pytest.approx(0.75)
    assert q1.share_corrected == pytest.approx(1 / 3)
    assert q1.followup == "q8" and q1.name == "prediction_weeks"
    weeks = get_exercise("01").questions[0]
    assert q1.model_answer == weeks.describe(weeks.model_answer())
    assert sum(q1.counts.values()) == 4
    assert (q5.answered, q5.wrong, q5.corrected) == (1, 1, 1)
    assert q5.share_corrected == 1.0 and q5.followup == "q6"


def test_numeric_prediction_results(tmp_path):
    q = get_exercise("08").questions[2]
    model = q.model_answer()
    near, far = round(model + 0.05, 2), round(min(model + 0.4, 1.0), 2)
    students = {
        "a": {"prediction_one_pilot": (near, "submitted")},
        "b": {"prediction_one_pilot": (f"{far * 100:g}%", "submitted"), "answer_q4": ("d", "correct")},
        "c": {"prediction_one_pilot": (far, "submitted"), "answer_q4": ("a", "incorrect")},
        "d": {"prediction_one_pilot": ("lots", "incorrect")},
    }  # fmt: skip
    results = ClassDebrief.load(_class_file(tmp_path, "08", students)).prediction_results()
    r = results["q3"]
    assert (r.answered, r.wrong, r.corrected, r.followup) == (3, 2, 1, "q4")
    assert r.tolerance == 0.1
    assert r.model_answer == f"{model:.0%}"


def test_a_class_without_predictions_still_debriefs(tmp_path):
    students = {"ada": {"answer_q3": ("c", "correct")}, "bo": {"answer_q3": ("a", "incorrect")}}
    path = _class_file(tmp_path, "01", students)
    results = ClassDebrief.load(path).prediction_results()
    for r in results.values():
        assert r.answered == 0 and r.wrong == 0
        assert r.share_wrong is None and r.share_corrected is None
    figure = show_predictions(results)
    assert figure.summary == (
        "Predictions against the model's answers: q1 no predictions; q5 no predictions."
    )
    (notebook,) = build_debrief(tmp_path, tmp_path / "out", html=False)
    text = _text_of(notebook)
    assert text.count("Nobody in the class file recorded this prediction.") == 2
    assert "show_predictions(debrief.prediction_results())" in text


def test_debrief_notebook_states_the_results(lesson_01_class, tmp_path):
    (notebook,) = build_debrief(lesson_01_class, tmp_path / "out", html=False)
    text = _text_of(notebook)
    weeks = get_exercise("01").questions[0]
    assert "What the class predicted, against the model" in text
    assert "the model's answer, not Senge's and not evidence" in text
    said = weeks.describe(weeks.model_answer()).replace("<", "&lt;")
    assert f"The model's answer, at the lesson's settings: {said}." in text
    assert "3 of 4 (75%) predicted otherwise; of those, 1 (33%) answered the follow-up, q8" in text
    assert (
        "1 of 1 (100%) predicted otherwise; of those, 1 (100%) answered the follow-up, q6" in text
    )


def test_show_predictions_bars_and_summary(lesson_01_class):
    results = ClassDebrief.load(lesson_01_class).prediction_results()
    figure = show_predictions(results)
    assert figure.summary == (
        "Predictions against the model's answers: q1 3 of 4 wrong (75%), 1 of them corrected "
        "in q8; q5 1 of 1 wrong (100%), 1 of them corrected in q6."
    )
    (ax,) = figure.figure.axes
    # four parts per bar (right, corrected, not corrected, no follow-up), two bars each
    widths = [round(p.get_width(), 4) for p in ax.patches]
    assert len(widths) == 8
    # bars are drawn bottom-up: q5 first, then q1
    assert widths[0::2] == [0.0, 1.0, 0.0, 0.0]
    assert widths[1::2] == [0.25, 0.25, 0.5, 0.0]
    hatches = {p.get_hatch() for p in ax.patches}
    assert {"//", "xx", ".."} <= hatches
    assert 'alt="Predictions against the model' in figure._repr_html_()


def test_show_predictions_without_follow_up_and_without_model_answer():
    results = {
        "q1": PredictionResult("q1", "p", "", 5, 2, None, "'a' (x)", None),
        "q2": PredictionResult("q2", "r", "", 3, None, None, None, None),
    }
    figure = show_predictions(results)
    assert figure.summary == (
        "Predictions against the model's answers: q1 2 of 5 wrong (40%), no follow-up "
        "question. No model answer for q2."
    )
    widths = [round(p.get_width(), 4) for p in figure.figure.axes[0].patches]
    assert widths == [0.6, 0.0, 0.0, 0.4]
