import json
import re

import networkx as nx
import pytest

from senge_course.course import checks
from senge_course.course.checks import (
    Choice,
    Classification,
    Exercise,
    Function,
    GraphProperty,
    Outcome,
    Prediction,
    Reflection,
    Value,
    ___,
    is_placeholder,
    needs,
    outcome_from_metadata,
)
from senge_course.course.questions import exercise, get_exercise


def _contrast(hex_colour, background="#ffffff"):
    def lum(h):
        rgb = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((lum(hex_colour), lum(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("status", checks.STATUSES)
def test_every_outcome_has_a_text_label_and_contrast_at_least_4_5(status):
    outcome = Outcome(status, "msg", question="q1")
    label, html = outcome.label, outcome._repr_html_()
    assert label and label[0].isupper()
    colours = set(re.findall(r"color:(#[0-9A-Fa-f]{6})", html)) - {"#1a1a1a"}
    assert len(colours) == 1 and _contrast(colours.pop()) >= 4.5
    assert f"{label}." in html and "border-left:4px solid" in html


def test_contrast_helper_can_fail():
    assert _contrast("#AAAAAA") < 4.5


def test_output_is_deterministic_and_machine_readable():
    out = Outcome("incorrect", "Expected 1, got <2> & more.", 0.0, 1.0, "q1", "x", "00")
    data, meta = out._repr_mimebundle_()
    again = Outcome("incorrect", "Expected 1, got <2> & more.", 0.0, 1.0, "q1", "x", "00")
    assert data == again._repr_mimebundle_()[0]
    assert "<script" not in data["text/html"] and " id=" not in data["text/html"]
    assert "&lt;2&gt; &amp;" in data["text/html"]  # escaped, never injected
    assert meta["senge_course"]["status"] == "incorrect"
    assert json.loads(json.dumps(meta)) == meta
    assert outcome_from_metadata(meta) == out
    assert outcome_from_metadata({"other": 1}) is None


def test_outcome_refuses_unknown_status():
    with pytest.raises(ValueError, match="status must be one of"):
        Outcome("great", "")


def test_placeholder_is_a_falsy_singleton():
    assert type(___)() is ___
    assert not ___ and repr(___) == "___"
    assert is_placeholder({"a": [1, ___]}) and not is_placeholder({"a": 1})


class TestValue:
    q = Value("x", 0.25, atol=0.01, explanation="A quarter.")

    @pytest.mark.parametrize(
        ("answer", "status"),
        [(0.25, "correct"), (0.259, "correct"), (0.3, "incorrect"), (___, "not attempted")],
    )
    def test_outcomes(self, answer, status):
        assert self.q.evaluate({"x": answer}).status == status

    def test_missing_variable_is_not_attempted(self):
        out = self.q.evaluate({})
        assert out.status == "not attempted" and "no variable called x" in out.message

    @pytest.mark.parametrize(
        ("answer", "fragment"),
        [
            ("a quarter", "Expected a number, but x is a str"),
            (True, "is a bool"),
            (None, "NoneType"),
        ],
    )
    def test_wrong_type_is_incorrect_with_an_explanation(self, answer, fragment):
        out = self.q.evaluate({"x": answer})
        assert out.status == "incorrect"
        assert fragment in out.message

    def test_nan_is_incorrect(self):
        assert "nan" in self.q.evaluate({"x": float("nan")}).message

    def test_expected_can_be_computed(self):
        q = Value("n", lambda: 2 + 2)
        assert q.evaluate({"n": 4}).status == "correct"

    def test_lists_strings_and_numpy(self):
        np = pytest.importorskip("numpy")
        q = Value("xs", [1, 2.5])
        assert q.evaluate({"xs": np.array([1, 2.5])}).status == "correct"
        assert "Expected 2 items" in q.evaluate({"xs": [1]}).message
        assert Value("s", "Compliance").evaluate({"s": " compliance "}).status == "correct"


def test_choice_feedback_and_unknown_option():
    q = Choice("c", options={"a": "No.", "b": "Yes."}, answer="b")
    assert q.evaluate({"c": "b"}).status == "correct"
    wrong = q.evaluate({"c": "a"})
    assert wrong.status == "incorrect" and "No." in wrong.message
    assert "choose one of 'a', 'b'" in q.evaluate({"c": 3}).message


def test_classification_gives_partial_credit():
    q = Classification(
        "k", items={"a": "x", "b": "y", "c": "x", "d": "y"}, labels=("x", "y"), points=2
    )
    out = q.evaluate({"k": {"a": "x", "b": "y", "c": "y", "d": "z", "e": "x"}})
    assert out.status == "incorrect"
    assert out.score == pytest.approx(1.0) and out.max_score == 2
    assert "2 of 4 right" in out.message and "Use only these labels" in out.message
    assert "Not items of this question: e" in out.message
    assert q.evaluate({"k": {"a": "x", "b": "y", "c": "x", "d": "y"}}).score == 2
    assert q.evaluate({"k": {"a": ___, "b": "y", "c": "x", "d": "y"}}).status == "not attempted"
    assert "Expected a dictionary" in q.evaluate({"k": ["x"]}).message


class TestFunction:
    q = Function("f", cases=((2,), (0,)), reference=lambda n: n * n)

    def test_correct(self):
        assert self.q.evaluate({"f": lambda n: n**2}).status == "correct"

    def test_incorrect_names_input_and_received_but_not_expected(self):
        out = self.q.evaluate({"f": lambda n: n + n + 1})
        assert out.status == "incorrect"
        assert "For f(2): got 5, which is too high." in out.message
        assert "expected" not in out.message

    def test_a_raising_function_is_an_error_and_check_does_not_raise(self):
        def f(n):
            raise KeyError("boom")

        out = self.q.evaluate({"f": f})
        assert out.status == "error"
        assert "f(2) raised KeyError: 'boom'" in out.message

    def test_not_a_function(self):
        assert "to be a function" in self.q.evaluate({"f": 3}).message

    def test_stub_returning_placeholder_is_not_attempted(self):
        assert self.q.evaluate({"f": lambda n: ___}).status == "not attempted"

    def test_cases_can_be_built_lazily(self):
        q = Function("size", cases=lambda: ((nx.path_graph(3),),), reference=len)
        assert q.evaluate({"size": lambda G: G.number_of_nodes()}).status == "correct"


def test_graph_property():
    q = GraphProperty("G", properties=(("has 3 people", lambda G: len(G) == 3),))
    assert q.evaluate({"G": nx.path_graph(3)}).status == "correct"
    assert q.evaluate({"G": nx.path_graph(2)}).status == "incorrect"
    assert "networkx graph" in q.evaluate({"G": [1, 2]}).message


def test_reflection_outcomes():
    q = Reflection("r", min_words=3)
    assert q.evaluate({"r": "one two three"}).status == "submitted"
    out = q.evaluate({"r": "one two three"})
    assert out.score == 0 and out.max_score == 0  # the instructor's rubric gives the points
    assert q.evaluate({"r": "one"}).status == "incorrect"
    assert q.evaluate({"r": "___"}).status == "not attempted"
    assert q.evaluate({"r": 42}).status == "incorrect"


def test_a_judge_that_crashes_is_reported_never_raised():
    q = GraphProperty("G", properties=(("explodes", lambda G: 1 / 0),))
    out = q.evaluate({"G": nx.path_graph(2)})
    assert out.status == "error" and "ZeroDivisionError" in out.message


def test_bound_questions_check_hint_and_solution(capsys):
    ns = {}
    ex = Exercise("00", [Value("x", 1, hints=("first", "second"), solution="x = 1")])
    (q1,) = ex.bind(ns)
    q1.check()
    assert "q1: Not attempted" in capsys.readouterr().out
    ns["x"] = 1
    q1.check()
    assert "q1: Correct" in capsys.readouterr().out
    q1.hint()
    assert "Hint 1 of 2" in capsys.readouterr().out
    q1.hint(2)
    assert "second" in capsys.readouterr().out
    q1.hint(5)
    assert "has 2 hints" in capsys.readouterr().out
    q1.solution()
    assert "x = 1" in capsys.readouterr().out
    assert "answer in x" in repr(q1)


def test_exercise_binds_the_lesson_questions():
    qs = exercise("00", {})
    assert len(qs) == len(get_exercise("00").questions) >= 5
    with pytest.raises(TypeError, match="pass globals"):
        exercise("00", [])
    with pytest.raises(ValueError, match="unknown lesson"):
        exercise("42", {})


def test_needs_prints_a_friendly_note(capsys):
    assert not needs(___, "question 2")
    assert "Complete question 2 first" in capsys.readouterr().out
    assert needs(3, "question 2")


def test_lesson_00_answers():
    from senge_course.course.questions.lesson_00 import EXERCISE, committed_share

    assert committed_share([]) == 0.0
    assert committed_share(["committed", "not yet"]) == 0.5
    assert EXERCISE.max_score == sum(q.points for q in EXERCISE.questions if q.scored)
    assert re.fullmatch(r"q\d", EXERCISE.items()[0][0])


def test_settled_questions_work_out_expected_answers_once():
    calls = []

    def expected():
        calls.append("value")
        return 0.25

    def reference(x):
        calls.append("reference")
        return 2 * x

    exercise = Exercise(
        "00", [Value("x", expected), Function("f", cases=((1,), (2,)), reference=reference)]
    )
    settled = exercise.settled()
    assert calls == ["value", "reference", "reference"]
    for _ in range(3):
        outcomes = settled.evaluate({"x": 0.25, "f": lambda x: x + x})
        assert [o.status for o in outcomes] == ["correct", "correct"]
    assert len(calls) == 3  # judging many answers computes nothing again
    assert settled.evaluate({"x": 0.3, "f": lambda x: 1})[1].message == (
        "For f(1): got 1, which is too low.\nFor f(2): got 1, which is far too low."
    )
    assert exercise.evaluate({"x": 0.25})[0].status == "correct" and len(calls) == 4


def test_a_failing_expected_answer_is_reported_when_judged():
    q = Value("x", lambda: 1 / 0).settled()
    out = q.evaluate({"x": 1})
    assert out.status == "error" and "ZeroDivisionError" in out.message


# ------------------------------------------------------------------ checks that teach (issue 13)


@pytest.mark.parametrize(
    ("answer", "words"),
    [(0.26, "a little too high"), (0.3, "too high"), (0.6, "far too high"), (0.2, "too low")],
)
def test_a_wrong_number_hears_direction_and_size_never_the_value(answer, words):
    q = Value("x", 0.25, atol=0.005, hints=("Count the committed people.",))
    out = q.evaluate({"x": answer})
    assert out.status == "incorrect" and f"is {words}." in out.message
    assert "0.25" not in out.message and "Ask for a hint" in out.message


@pytest.mark.parametrize("answer", [87, "87%", " 87 % ", 0.87, "0.87"])
def test_a_share_accepts_a_percentage(answer):
    q = Value("share", 0.8676, atol=0.01, share=True)
    out = q.evaluate({"share": answer})
    assert out.status == "correct", out.message


def test_a_share_is_not_guessed_where_it_is_not_one():
    assert Value("n", 48).evaluate({"n": "48"}).status == "correct"
    assert Value("x", 0.87, atol=0.01).evaluate({"x": 87}).status == "incorrect"


@pytest.mark.parametrize("answer", ["b", "B", " b ", "(b)", "b."])
def test_choices_are_forgiving(answer):
    q = Choice("pick", options={"a": "No.", "b": "Yes."}, answer="b")
    assert q.evaluate({"pick": answer}).status == "correct"


def test_a_classification_accepts_every_defensible_label():
    q = Classification(
        "kinds",
        items={"after-action review": "research", "pilot": "practice"},
        labels=("research", "practice"),
        alternatives={"after-action review": ("practice",)},
    )
    out = q.evaluate({"kinds": {"after-action review": "Practice", "pilot": "practice"}})
    assert out.status == "correct" and "also defensible" in out.message


def test_reflections_show_their_rubric_and_score_no_automatic_points():
    q = Reflection("r", min_words=3, criteria=("uses the article", "names an assumption"))
    out = q.evaluate({"r": "one two three four"})
    assert out.status == "submitted" and "uses the article; names an assumption" in out.message
    assert (out.score, out.max_score) == (0, 0) and q.kind == "reflection"
    assert Exercise("00", [q, Value("x", 1)]).max_score == 1


def test_predictions_are_recorded_not_judged():
    q = Prediction("prediction_share", low=0, high=1, share=True)
    assert (
        q.evaluate({"prediction_share": "40%"}).message
        == "Recorded your prediction: 0.4 (read 40% as 0.4)."
    )
    assert q.evaluate({"prediction_share": 3}).status == "submitted"  # read as 3%
    out = q.evaluate({"prediction_share": "most"})
    assert out.status == "incorrect" and out.max_score == 0
    pick = Prediction("prediction_who", options={"a": "line leaders", "b": "executives"})
    assert pick.evaluate({"prediction_who": "c"}).status == "incorrect"
    assert pick.evaluate({"prediction_who": "A"}).score == 0


def test_every_kind_is_known():
    with pytest.raises(ValueError, match="kind must be one of"):
        Exercise("00", [Value("x", 1, kind="trivia")])
    assert Exercise("00", [Value("x", 1, kind="reasoning")]).kinds() == {"q1": "reasoning"}


def test_a_forgotten_pair_of_quotes_gets_a_friendly_message():
    from senge_course.course.questions import friendly_name_error

    text = friendly_name_error(NameError("name 'b' is not defined", name="b"))
    assert 'put it in quotes: "b"' in text and "run the cell that defines it" in text


def test_the_friendly_message_replaces_the_traceback_in_ipython():
    from IPython.testing.globalipapp import get_ipython

    from senge_course.course.questions import install_friendly_errors

    shell = get_ipython()
    install_friendly_errors()
    result = shell.run_cell("answer = b_undefined_option")
    assert isinstance(result.error_in_exec, NameError)  # the cell still fails: Run All stops


def test_prepare_judges_a_literal_solution_once_and_ignores_the_rest():
    judged = []

    class Counting(checks.Value):
        def judge(self, answer):
            judged.append(answer)
            return super().judge(answer)

    Counting("x", 3, solution="x = {'a': [1, 2]}").prepare()
    Counting("x", 3, solution="y = 3").prepare()  # another name
    Counting("x", 3, solution="x = compute()").prepare()  # not a literal
    Counting("x", 3, solution="for i in range(3):\n    x = i").prepare()
    Counting("x", 3, solution="A prediction has no right answer.").prepare()
    assert judged == [{"a": [1, 2]}]


def test_a_question_that_remembers_judges_each_distinct_answer_once():
    judged = []

    class Simulating(checks.Value):
        remembers = True

        def judge(self, answer):
            judged.append(answer)
            return super().judge(answer)

    q = Simulating("x", [1, 2])
    for answer in ([1, 2], [1, 2], (1, 2), [1.0, 2], {"a": 1}, {"a": 1}):
        q.assess(answer)
    assert judged == [[1, 2], (1, 2), [1.0, 2], {"a": 1}]  # types tell answers apart
    outcome = q.assess([1, 2], question="q1")
    assert outcome.question == "q1" and outcome.status == "correct"  # labels are the caller's
    checks.Value("y", 1).assess(1)
    assert not checks.Value.remembers
    import numpy as np

    q.assess(np.arange(2))  # not plain data: judged afresh each time
    q.assess(np.arange(2))
    assert len(judged) == 6
