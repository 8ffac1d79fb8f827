"""Exercise checks: ``q1.check()``, ``q1.hint()``, ``q1.hint(2)``, ``q1.solution()``.

An exercise notebook binds its questions to its own variables::

    from senge_course.course import ___, exercise
    q1, q2, q3 = exercise("00", globals())

The learner replaces the placeholder ``___`` with an answer and calls ``q1.check()``, which
ends in one of five outcomes: ``correct`` (numbers within a stated tolerance); ``incorrect``
(what is wrong and, for a number, the direction and size of the miss, never the expected value:
``solution()`` is the way to see it); ``not attempted`` (still ``___``, or the variable is
missing); ``submitted`` (a reflection, prediction or concept check, recorded for a person);
``error`` (the learner's function raised: the input and the exception are reported).

Every question says what `kind` of item it is (`KINDS`): ``recall``, ``read-off``,
``procedure``, ``reasoning``, ``design`` or ``reflection``, or an unscored record,
``prediction`` or ``concept``.

``check()`` never raises for anything a learner can cause.  Its output is deterministic text and
HTML (a text label as well as colour, contrast at least 4.5:1) and carries the outcome as data in
the display metadata under the key ``"senge_course"``, for tools reading an executed notebook.
Each question separates *collecting* the answer (in the learner's kernel) from *judging* it
(against the expected answer), so the grader can judge in its own process, out of reach of the
learner's code.

A value question with a tolerance, judged against a learner's namespace:

>>> q = Value("density", 0.25, prompt="What is the density?", atol=0.01)
>>> q.evaluate({"density": 0.251}).status
'correct'
>>> q.evaluate({"density": ___}).status
'not attempted'
>>> print(q.evaluate({"density": 0.4}).message)
density = 0.4 is far too high.
>>> print(q.evaluate({"density": "a quarter"}).message)
Expected a number, but density is a str: 'a quarter'.
"""

import ast
import html
import json
import math
import re
import textwrap
from dataclasses import KW_ONLY, asdict, dataclass, field, fields, replace
from numbers import Integral, Real
from typing import ClassVar

from . import _remembered

__all__ = [
    "___",
    "Choice",
    "Classification",
    "Exercise",
    "MISSING",
    "Function",
    "GraphProperty",
    "KINDS",
    "Outcome",
    "Prediction",
    "Question",
    "Reflection",
    "Value",
    "is_placeholder",
    "needs",
    "describe_type",
    "option_key",
]

CORRECT = "correct"
INCORRECT = "incorrect"
NOT_ATTEMPTED = "not attempted"
SUBMITTED = "submitted"
ERROR = "error"
STATUSES = (CORRECT, INCORRECT, NOT_ATTEMPTED, SUBMITTED, ERROR)

#: What an item asks of a learner; the last two are records, never scored.
KINDS = (
    "recall",
    "read-off",
    "procedure",
    "reasoning",
    "design",
    "reflection",
    "prediction",
    "concept",
)
#: Kinds whose outcome scores no automatic points (a person reads them, or nobody judges them).
UNSCORED = ("reflection", "prediction", "concept")

#: Display metadata key under which every outcome is published.
METADATA_KEY = "senge_course"

# Text label and colour per outcome.  Every colour has a contrast of at least
# 4.5:1 on white (tests/test_checks.py computes it with the WCAG formula).
_LOOK = {
    CORRECT: ("Correct", "#1B5E20"),
    INCORRECT: ("Not yet", "#B3261E"),
    NOT_ATTEMPTED: ("Not attempted", "#4D4D4D"),
    SUBMITTED: ("Submitted", "#0D47A1"),
    ERROR: ("Error in your code", "#7B1FA2"),
}


class _Placeholder:
    """The blank a learner replaces with an answer.  There is exactly one."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "___"

    def __bool__(self):
        return False

    def __reduce__(self):
        return (_Placeholder, ())


#: Replace ``___`` with your answer.
___ = _Placeholder()


def is_placeholder(value):
    """Return True if `value` is the placeholder ``___`` (or holds it, in a list or dict).

    >>> is_placeholder(___), is_placeholder(3), is_placeholder([1, ___])
    (True, False, True)
    """
    if isinstance(value, dict):
        value = list(value.values())
    containers = (list, tuple, set, frozenset)
    return value is ___ or isinstance(value, containers) and any(map(is_placeholder, value))


def needs(value, question):
    """Return True if `value` is ready to use; otherwise show "complete `question` first" (so a
    helper building on an earlier answer shows a friendly note instead of an error).

    >>> needs(___, "question 2")
    Complete question 2 first: its answer is still ___.
    False
    >>> needs(0.3, "question 2")
    True
    """
    if is_placeholder(value):
        _show(_Text(f"Complete {question} first: its answer is still ___."))
        return False
    return True


@dataclass(frozen=True)
class Outcome:
    """The result of checking one question: its `status` (one of `STATUSES`), the `message` the
    learner reads (what was expected and what was received), the points earned and available
    (`score`, `max_score`: partial credit for classifications), the `question` label (``"q1"``),
    the variable `name` it reads and the `lesson` number."""

    status: str
    message: str
    score: float = 0.0
    max_score: float = 1.0
    question: str = ""
    name: str = ""
    lesson: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got status={self.status!r}")

    @property
    def label(self):
        """The outcome's text label, such as ``"Correct"``."""
        return _LOOK[self.status][0]

    def __str__(self):
        head = f"{self.question}: " if self.question else ""
        return f"{head}{self.label}. {self.message}".rstrip()

    def _repr_html_(self):
        label, colour = _LOOK[self.status]
        head = f"{html.escape(self.question)}: " if self.question else ""
        body = html.escape(self.message).replace("\n", "<br>")
        return (
            f'<div class="senge-check senge-check-{self.status.replace(" ", "-")}" '
            f'style="border-left:4px solid {colour};padding:2px 8px;color:#1a1a1a;'
            f'background:#ffffff">'
            f'<strong style="color:{colour}">{head}{label}.</strong> {body}</div>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": str(self), "text/html": self._repr_html_()}
        return data, {METADATA_KEY: asdict(self)}


@dataclass(frozen=True)
class _Text:
    """A short note shown as plain text (hints, solutions, notes)."""

    text: str
    kind: str = "note"

    def __str__(self):
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        body = html.escape(self.text).replace("\n", "<br>")
        if self.kind == "solution":
            body = f"<pre>{html.escape(self.text)}</pre>"
        return (
            {"text/plain": self.text, "text/html": f'<div class="senge-{self.kind}">{body}</div>'},
            {METADATA_KEY: {"kind": self.kind}},
        )


def _show(obj):
    """Display `obj` in a notebook, or print it as text elsewhere."""
    from IPython import get_ipython

    if get_ipython() is not None:
        from IPython.display import display

        display(obj)
    else:
        print(str(obj))


class _Missing:
    def __repr__(self):
        return "<missing>"


#: What `Question.collect` returns for a variable the learner has not defined.
MISSING = _Missing()


@dataclass(frozen=True, eq=False)
class Question:
    """A question that reads the learner's variable `name` (such as ``"density"``) and judges it.

    `prompt` is the question as the notebook asks it (one sentence); ``hint()``, ``hint(2)``, ...
    show the `hints` one at a time and ``solution()`` the `solution` (code or text); a full answer
    earns `points`.  Subclasses define `judge` (compares collected data with the answer) and, to
    read more than a variable's value, `collect` (runs where the learner's variables live) and
    `spec`.  `kind` is one of `KINDS`: what the item asks of a learner.  Subclasses whose judge
    runs a model on the answer set `remembers`: each distinct answer is then judged once per
    process (judges are deterministic: the models run with fixed seeds).
    """

    remembers: ClassVar[bool] = False

    name: str
    _: KW_ONLY
    prompt: str = ""
    hints: tuple = ()
    solution: str = ""
    points: float = 1.0
    kind: str = ""

    @property
    def scored(self):
        """True if the automatic check awards points (not a reflection, prediction or record)."""
        return self.kind not in UNSCORED

    @property
    def auto_points(self):
        """The points the automatic check can award (0 for an unscored kind)."""
        return float(self.points) if self.scored else 0.0

    def collect(self, namespace):
        """Return the learner's answer as data, `___` if unanswered, or `MISSING`."""
        return _to_data(namespace.get(self.name, MISSING))

    def spec(self):
        """What the grader's collector reads for this question: a value, calls on test cases
        (`Function`) or a graph (`GraphProperty`).

        >>> Value("density", 0.25).spec()
        {'kind': 'value', 'name': 'density'}
        """
        return {"kind": "value", "name": self.name}

    def judge(self, answer):  # pragma: no cover - abstract
        """Return an `Outcome` for the collected `answer`."""
        raise NotImplementedError

    def settled(self):
        """This question with what its judge needs worked out once (expected answers, test
        cases), so the grader computes them once per run, not per notebook.

        >>> Value("people", lambda: 6 * 8).settled().expected
        48
        """
        return self

    def prepare(self):
        """Judge this question's own `solution` once, when it is one assignment of a literal,
        and discard the outcome: what judging every answer shares (a network, a prepared
        organisation, its runs' draws and networker placements) is then built before the first
        learner's answer.  The grader calls it once per run, when it makes the answer key.

        >>> Choice("pick", {"a": "Yes.", "b": "No."}, answer="a").prepare()  # 'pick = "a"' judged
        """
        try:
            tree = ast.parse(textwrap.dedent(self.solution))
            (line,) = tree.body
            if not isinstance(line, ast.Assign) or [t.id for t in line.targets] != [self.name]:
                return
            value = ast.literal_eval(line.value)
        except (SyntaxError, ValueError, TypeError, AttributeError, MemoryError, RecursionError):
            return
        try:  # as the grader's collection cell delivers it: JSON data (tuples become lists)
            value = json.loads(json.dumps(value))
        except (TypeError, ValueError):
            pass
        self.assess(value)

    def evaluate(self, namespace, *, question="", lesson=""):
        """Collect and judge the answer in `namespace`; never raises."""
        try:
            answer = self.collect(namespace)
        except Exception as exc:  # a learner must never see a traceback from a check
            return self._finish(self._failed(exc), question, lesson)
        return self.assess(answer, question=question, lesson=lesson)

    def assess(self, answer, *, question="", lesson=""):
        """Judge collected `answer` data (what `collect` returns; the grader's half of
        `evaluate`); never raises.

        >>> q = Value("density", 0.25)
        >>> q.assess(0.25, question="q1").status, q.assess(___).status
        ('correct', 'not attempted')
        """
        try:
            if answer is MISSING:
                outcome = self._outcome(
                    NOT_ATTEMPTED,
                    f"There is no variable called {self.name} yet: run the cell that defines it.",
                )
            elif is_placeholder(answer):
                outcome = self._outcome(
                    NOT_ATTEMPTED, f"Replace ___ with your answer in {self.name}, then check again."
                )
            else:
                outcome = self._judged(answer)
        except Exception as exc:  # a learner must never see a traceback from a check
            outcome = self._failed(exc)
        return self._finish(outcome, question, lesson)

    def _judged(self, answer):
        """`judge(answer)`, kept per answer when the question `remembers`."""
        if not self.remembers:
            return self.judge(answer)
        return _remembered.judged(self, answer)

    def _failed(self, exc):
        return self._outcome(ERROR, f"Checking {self.name} failed: {type(exc).__name__}: {exc}")

    def _finish(self, outcome, question, lesson):
        question, lesson = question or outcome.question, lesson or outcome.lesson
        score = outcome.score if self.scored else 0.0
        message = outcome.message
        if outcome.status == INCORRECT and self.hints and "hint" not in message:
            ask = f" with {question}.hint()" if question else ""
            message = f"{message} Stuck? Ask for a hint{ask}."
        return replace(
            outcome,
            message=message,
            score=score,
            max_score=self.auto_points,
            question=question,
            name=self.name,
            lesson=lesson,
        )

    def _outcome(self, status, message, score=None):
        if score is None:
            score = self.points if status in (CORRECT, SUBMITTED) else 0.0
        return Outcome(status, message, float(score), float(self.points), name=self.name)

    def _not_yet(self, problem):
        """An *incorrect* outcome for `problem` (`evaluate` adds a pointer to the hints)."""
        return self._outcome(INCORRECT, problem)


@dataclass(frozen=True, eq=False)
class Value(Question):
    """A value answer: a number (within a tolerance), a string, a boolean, or a list of them;
    `expected` may be a function of no arguments, computed when first judged (from the models).

    A wrong number is told its direction and size, never the expected value; ``share=True``
    also accepts a percentage (``87``, ``"87%"``) for a share such as 0.87.

    >>> q = Value("people", 48, prompt="How many people?")
    >>> print(q.evaluate({"people": 50}).message)
    people = 50 is a little too high.
    >>> q.evaluate({"people": 48.0}).status
    'correct'
    >>> share = Value("committed", 0.87, atol=0.01, share=True)
    >>> print(share.evaluate({"committed": "87%"}).message)
    committed = 0.87 (read 87% as 0.87).
    """

    expected: object = None
    _: KW_ONLY
    rtol: float = 1e-6
    atol: float = 0.0
    explanation: str = ""
    share: bool = False

    def expected_value(self):
        """The expected answer (computed if `expected` is a function)."""
        return self.expected() if callable(self.expected) else self.expected

    def settled(self):
        try:
            return replace(self, expected=_to_data(self.expected_value()))
        except Exception:  # left to fail when judged, where the learner is told
            return self

    def judge(self, answer):
        expected = _to_data(self.expected_value())
        answer, note = _forgiving_number(answer, expected, self.share)
        problem = _compare(answer, expected, self.rtol, self.atol, self.name)
        if problem is None:
            said = self.explanation or f"{self.name} = {_short(answer)}{note}."
            return self._outcome(CORRECT, said)
        return self._not_yet(problem)


@dataclass(frozen=True, eq=False)
class Choice(Question):
    """Pick one option.  `options` maps each option to the feedback it earns; the `solution`
    defaults to assigning the `answer`.

    >>> q = Choice("pick", options={"a": "Compliance is not commitment.", "b": "Yes."}, answer="b")
    >>> print(q.evaluate({"pick": "a"}).message)
    You chose 'a'. Compliance is not commitment.
    >>> print(q.evaluate({"pick": "z"}).message)
    'z' is not one of the options: choose one of 'a', 'b'.
    >>> q.evaluate({"pick": " B "}).status
    'correct'
    >>> print(q.solution)
    pick = "b"
    """

    options: dict = field(default_factory=dict)
    answer: object = None

    def __post_init__(self):
        if not self.solution and isinstance(self.answer, str):
            object.__setattr__(self, "solution", f'{self.name} = "{self.answer}"')

    def judge(self, answer):
        keys = list(self.options)
        answer = option_key(answer, keys) or answer
        if answer not in keys:
            choices = ", ".join(repr(k) for k in keys)
            return self._outcome(
                INCORRECT, f"{_short(answer)} is not one of the options: choose one of {choices}."
            )
        feedback = self.options[answer]
        status = CORRECT if answer == self.answer else INCORRECT
        return self._outcome(status, f"You chose {answer!r}. {feedback}".strip())


@dataclass(frozen=True, eq=False)
class Classification(Question):
    """Label several items; one share of the points per item labelled right.  The `solution`
    defaults to the answer dictionary, one item a line.

    >>> q = Classification("kinds", items={"pilot": "line", "mentor": "exec"}, labels=("line", "exec"))
    >>> out = q.evaluate({"kinds": {"pilot": "line", "mentor": "line"}})
    >>> out.status, out.score
    ('incorrect', 0.5)
    >>> print(out.message)
    1 of 2 right. Not yet: mentor (you said 'line').
    >>> print(q.solution)
    kinds = {
        'pilot': 'line',
        'mentor': 'exec',
    }
    """

    items: dict = field(default_factory=dict)
    labels: tuple = ()
    #: item -> other labels that are also defensible (they earn full credit).
    alternatives: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.solution:
            lines = [f"    {k!r}: {v!r}," for k, v in self.items.items()]
            object.__setattr__(self, "solution", "\n".join([f"{self.name} = {{", *lines, "}"]))

    def judge(self, answer):
        if not isinstance(answer, dict):
            example = {k: self.labels[0] if self.labels else "..." for k in list(self.items)[:2]}
            return self._outcome(
                INCORRECT,
                f"Expected a dictionary from each item to a label, such as {example!r}, "
                f"but {self.name} is a {_type_name(answer)}.",
            )
        wrong, unknown, right = [], [], 0
        for item, label in self.items.items():
            given = answer.get(item, MISSING)
            if isinstance(given, str):
                given = option_key(given, self.labels) or given.strip()
            if given == label or given in self.alternatives.get(item, ()):
                right += 1
            elif given is MISSING or is_placeholder(given):
                wrong.append(f"{item} (no label yet)")
            else:
                if self.labels and given not in self.labels:
                    unknown.append(repr(given))
                wrong.append(f"{item} (you said {given!r})")
        extra = sorted(set(map(str, answer)) - set(map(str, self.items)))
        total = len(self.items)
        score = self.points * right / total if total else 0.0
        if right == total:
            also = [i for i in self.alternatives if answer.get(i) != self.items[i]]
            note = " (" + ", ".join(also) + ": also defensible)" if also else ""
            return self._outcome(CORRECT, f"All {total} right{note}.", score)
        parts = [f"{right} of {total} right.", "Not yet: " + ", ".join(wrong) + "."]
        if unknown:
            parts.append("Use only these labels: " + ", ".join(repr(x) for x in self.labels) + ".")
        if extra:
            parts.append("Not items of this question: " + ", ".join(extra) + ".")
        return self._outcome(INCORRECT, " ".join(parts), score)


@dataclass(frozen=True, eq=False)
class Function(Question):
    """A function answer, exercised on test `cases`: a tuple of argument tuples (or a function of
    no arguments returning one, for inputs such as graphs built when needed); the expected result
    of each comes from `reference` (the solution function), computed in the judge's process.

    >>> q = Function("double", cases=((1,), (2.5,)), reference=lambda x: 2 * x)
    >>> q.evaluate({"double": lambda x: x + x}).status
    'correct'
    >>> print(q.evaluate({"double": lambda x: x + 1}).message)
    For double(2.5): got 3.5, which is too low.
    >>> print(q.evaluate({"double": lambda x: 1 / 0}).message)
    double(1) raised ZeroDivisionError: division by zero
    double(2.5) raised ZeroDivisionError: division by zero
    """

    cases: object = ()
    reference: object = None
    rtol: float = 1e-6
    atol: float = 1e-9
    #: The expected result of each case, as data (None: computed from `reference` when judged).
    expected_results: tuple = None

    def test_cases(self):
        """The argument tuples the function is called with."""
        return tuple(self.cases() if callable(self.cases) else self.cases)

    def settled(self):
        try:
            cases = self.test_cases()
            results = tuple(_to_data(self.reference(*args)) for args in cases)
        except Exception:  # left to fail when judged, where the learner is told
            return self
        return replace(self, cases=cases, expected_results=results)

    def spec(self):
        """Call the learner's function on every test case (the cases are Python objects)."""
        return {"kind": "function", "name": self.name, "cases": self.test_cases()}

    def collect(self, namespace):
        fn = namespace.get(self.name, MISSING)
        if fn is MISSING or is_placeholder(fn):
            return fn
        if not callable(fn):
            return {"not_callable": _type_name(fn)}
        results = []
        for args in self.test_cases():
            try:
                value = fn(*args)
            except Exception as exc:
                results.append({"error": f"{type(exc).__name__}: {exc}"})
            else:
                results.append({"value": _to_data(value)})
        return {"results": results}

    def judge(self, answer):
        if "not_callable" in answer:
            return self._outcome(
                INCORRECT,
                f"Expected {self.name} to be a function (def {self.name}(...):), "
                f"but it is a {answer['not_callable']}.",
            )
        cases = self.test_cases()
        problems, errors = [], []
        known = self.expected_results
        for index, (args, got) in enumerate(zip(cases, answer["results"], strict=True)):
            call = f"{self.name}({', '.join(_short(a) for a in args)})"
            if "error" in got:
                errors.append(f"{call} raised {got['error']}")
                continue
            if is_placeholder(got["value"]):
                return self._outcome(
                    NOT_ATTEMPTED, f"{self.name} still returns ___: write its body, then check."
                )
            expected = known[index] if known is not None else _to_data(self.reference(*args))
            problem = _compare(got["value"], expected, self.rtol, self.atol, call)
            if problem is not None:
                problems.append(f"For {call}: {_function_miss(got['value'], expected, problem)}")
        if errors:
            return self._outcome(ERROR, "\n".join(errors))
        if problems:
            return self._not_yet("\n".join(problems))
        return self._outcome(CORRECT, f"{self.name} passed all {len(cases)} test cases.")


@dataclass(frozen=True, eq=False)
class GraphProperty(Question):
    """A graph answer that must have some `properties`: ``(description, predicate)`` pairs, each
    predicate taking a networkx graph and returning True or False.  The graph is collected as
    node-link data, so it can be judged outside the learner's kernel.

    >>> import networkx as nx
    >>> q = GraphProperty("G", properties=(("has 4 people", lambda G: len(G) == 4),
    ...                                    ("is connected", nx.is_connected)))
    >>> print(q.evaluate({"G": nx.path_graph(3)}).message)
    Not yet: has 4 people.
    >>> q.evaluate({"G": nx.path_graph(4)}).status
    'correct'
    """

    properties: tuple = ()

    def spec(self):
        """Read the learner's graph as node-link data."""
        return {"kind": "graph", "name": self.name}

    def collect(self, namespace):
        G = namespace.get(self.name, MISSING)
        if G is MISSING or is_placeholder(G):
            return G
        import networkx as nx

        if not isinstance(G, nx.Graph):
            return {"not_graph": _type_name(G)}
        return {"graph": _to_data(nx.node_link_data(G, edges="edges"))}

    def judge(self, answer):
        import networkx as nx

        if "not_graph" in answer:
            return self._outcome(
                INCORRECT, f"Expected a networkx graph, but {self.name} is a {answer['not_graph']}."
            )
        G = nx.node_link_graph(answer["graph"], edges="edges")
        failed = [text for text, predicate in self.properties if not predicate(G)]
        if failed:
            return self._outcome(INCORRECT, "Not yet: " + "; ".join(failed) + ".")
        summary = "; ".join(text for text, _ in self.properties)
        return self._outcome(CORRECT, f"Your graph {summary}.")


@dataclass(frozen=True, eq=False)
class Reflection(Question):
    """A free-text reflection: *submitted* once it is long enough (no automatic points); the
    instructor scores it against its `criteria` (3-4 short phrases the learner also sees).

    >>> q = Reflection("thoughts", min_words=5, criteria=("uses the article", "names a case"))
    >>> print(q.evaluate({"thoughts": "Too short."}).message)
    Write at least 5 words; you have written 2 so far.
    >>> out = q.evaluate({"thoughts": "Our pilot team shared what it learned widely."})
    >>> out.status, out.score, out.max_score
    ('submitted', 0.0, 0.0)
    >>> print(out)
    Submitted. 8 words for your instructor, who scores them on: uses the article; names a case.
    """

    min_words: int = 25
    criteria: tuple = ()

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "reflection")

    def judge(self, answer):
        if not isinstance(answer, str):
            return self._outcome(
                INCORRECT,
                f"Write your reflection as text in quotes; {self.name} is a {_type_name(answer)}.",
            )
        if answer.strip() in ("", "___"):
            return self._outcome(
                NOT_ATTEMPTED,
                f"Write your reflection in place of ___ in {self.name}, then check again.",
            )
        words = len(answer.split())
        if words < self.min_words:
            return self._outcome(
                INCORRECT,
                f"Write at least {self.min_words} words; you have written {words} so far.",
            )
        on = f", who scores them on: {'; '.join(self.criteria)}" if self.criteria else ""
        return self._outcome(SUBMITTED, f"{words} words for your instructor{on}.")


@dataclass(frozen=True, eq=False)
class Prediction(Question):
    """A prediction recorded under a fixed name (no points; the grader collects it for the class
    debrief): one of `options` (``{"a": "text", ...}``) or a number from `low` to `high`
    (``share=True`` also reads ``40`` or ``"40%"`` as 0.4).

    >>> q = Prediction("prediction_alone", options={"a": "line leaders", "b": "executives"})
    >>> out = q.evaluate({"prediction_alone": "B"})
    >>> out.status, out.score, out.message
    ('submitted', 0.0, "Recorded your prediction: 'b' (executives).")
    >>> print(Prediction("share", low=0, high=1).evaluate({"share": 2}).message)
    Give a number from 0 to 1; share is 2.

    For the class debrief a prediction may also carry the model's answer and a follow-up:
    `outcome`, a function of no arguments that runs the model and returns its answer (an option
    key, or a number from `low` to `high`, judged right within `tolerance`), and `followup`, the
    name of a later scored question of the same exercise that tests the same idea (a learner
    whose prediction was wrong and whose follow-up is correct "corrected it later").  The
    learner's own feedback never shows the model's answer: a prediction is recorded, not marked.

    Here the model's share is 0.53; a prediction of 0.6 is within 0.1 of it, 40% is not:

    >>> q = Prediction("together", low=0, high=1, share=True, outcome=lambda: 0.53, tolerance=0.1)
    >>> q.model_answer(), q.agrees(0.6, 0.53), q.agrees("40%", 0.53), q.agrees("many", 0.53)
    (0.53, True, False, None)
    >>> q.evaluate({"together": 0.6}).message
    'Recorded your prediction: 0.6.'
    """

    options: dict = field(default_factory=dict)
    low: float = None
    high: float = None
    share: bool = False
    outcome: object = None
    tolerance: float = None
    followup: str = None

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "prediction")
        if not self.solution:
            object.__setattr__(self, "solution", "A prediction has no right answer: make yours.")
        if self.outcome is not None and not callable(self.outcome):
            raise TypeError(
                f"{self.name}: outcome must be a function of no arguments that runs the model, "
                f"or None, got outcome={self.outcome!r}"
            )
        if self.followup is not None and (not isinstance(self.followup, str) or not self.followup):
            raise TypeError(
                f"{self.name}: followup must be the name of a later question (text) or None, "
                f"got followup={self.followup!r}"
            )
        tolerance = self.tolerance
        if tolerance is not None:
            if self.options:
                raise ValueError(
                    f"{self.name}: tolerance applies to a numeric prediction only, got "
                    f"tolerance={tolerance!r} for a prediction with options"
                )
            if (
                isinstance(tolerance, bool)
                or not isinstance(tolerance, Real)
                or not math.isfinite(tolerance)
                or tolerance < 0
            ):
                raise ValueError(
                    f"{self.name}: tolerance must be a number of at least 0, "
                    f"got tolerance={tolerance!r}"
                )

    def model_answer(self):
        """Run the model (`outcome`) and return its answer: an option key or a number (None
        without an `outcome`); raise ValueError if the model's answer is not a possible one."""
        if self.outcome is None:
            return None
        value = self.outcome()
        if self.options:
            if value not in self.options:
                keys = ", ".join(repr(k) for k in self.options)
                raise ValueError(
                    f"{self.name}: the model's answer must be one of {keys}, got {value!r}"
                )
            return value
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(f"{self.name}: the model's answer must be a number, got {value!r}")
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise ValueError(
                f"{self.name}: the model's answer must lie from {self.low:g} to {self.high:g}, "
                f"got {value:g}"
            )
        return float(value)

    def reading(self, answer):
        """A learner's prediction as this question reads it: its option key or its number, or
        None if `answer` is not a prediction it accepts (blank, unknown option, out of range).

        >>> Prediction("p", low=0, high=1, share=True).reading("40%")
        0.4
        >>> Prediction("p", options={"a": "yes", "b": "no"}).reading(" B ")
        'b'
        """
        if self.options:
            return option_key(answer, list(self.options))
        value, _ = _forgiving_number(answer, 0.5, self.share)
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            return None
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            return None
        return float(value)

    def agrees(self, answer, model):
        """True if the learner's `answer` matches the `model`'s answer (the same option, or a
        number within `tolerance`, 0 if unset), False if not, None if `answer` is no valid
        prediction or there is no model answer."""
        said = self.reading(answer)
        if said is None or model is None:
            return None
        if self.options:
            return said == model
        return abs(said - model) <= (self.tolerance or 0.0) + 1e-12

    def describe(self, value):
        """A prediction or model answer as text: ``'b' (its option text)`` or the number."""
        if value is None:
            return "none"
        if self.options:
            return f"{value!r} ({self.options.get(value, '?')})"
        return f"{value:.0%}" if self.share else f"{value:g}"

    def followup_label(self, exercise):
        """The label (``"q6"``) of this prediction's `followup` in `exercise` (None without a
        follow-up); raise ValueError unless it names a later, scored question of `exercise`."""
        if self.followup is None:
            return None
        labels = {q.name: (i, label, q) for i, (label, q) in enumerate(exercise.items())}
        mine = next((i for i, (_, q) in enumerate(exercise.items()) if q is self), None)
        if self.followup not in labels:
            names = ", ".join(sorted(labels))
            raise ValueError(
                f"{self.name}: followup={self.followup!r} names no question of exercise "
                f"{exercise.lesson}; its questions are {names}"
            )
        index, label, question = labels[self.followup]
        if mine is not None and index <= mine:
            raise ValueError(
                f"{self.name}: followup={self.followup!r} ({label}) must come after the "
                "prediction in the exercise"
            )
        if not question.scored:
            raise ValueError(
                f"{self.name}: followup={self.followup!r} ({label}) must be a scored question, "
                f"not a {question.kind}"
            )
        return label

    def judge(self, answer):
        if self.options:
            key = option_key(answer, list(self.options))
            if key is None:
                keys = ", ".join(repr(k) for k in self.options)
                return self._outcome(INCORRECT, f"Choose one of {keys} (in quotes).")
            said = f"{key!r} ({self.options[key]})"
        else:
            value, note = _forgiving_number(answer, 0.5, self.share)
            low, high = self.low, self.high
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return self._outcome(INCORRECT, f"Give a number; {self.name} is {_short(answer)}.")
            if (low is not None and value < low) or (high is not None and value > high):
                return self._outcome(
                    INCORRECT, f"Give a number from {low:g} to {high:g}; {self.name} is {value:g}."
                )
            said = f"{value:g}{note}"
        return self._outcome(SUBMITTED, f"Recorded your prediction: {said}.", score=0.0)


class Exercise:
    """The `questions` of a `lesson` (its number, such as ``"00"``), labelled ``q1``, ``q2``, ...

    >>> ex = Exercise("00", [Value("x", 1), Value("y", 2)])
    >>> [label for label, _ in ex.items()]
    ['q1', 'q2']
    >>> [o.status for o in ex.evaluate({"x": 1, "y": ___})]
    ['correct', 'not attempted']
    """

    def __init__(self, lesson, questions):
        self.lesson = lesson
        self.questions = tuple(questions)
        for q in self.questions:
            if not isinstance(q, Question):
                raise TypeError(f"questions must be Question objects, got {q!r}")
            if q.kind and q.kind not in KINDS:
                raise ValueError(f"{q.name}: kind must be one of {KINDS}, got kind={q.kind!r}")
        for q in self.questions:  # a prediction's follow-up: a later, scored question here
            if isinstance(q, Prediction):
                q.followup_label(self)

    def items(self):
        """Pairs ``(label, question)``."""
        return [(f"q{i}", q) for i, q in enumerate(self.questions, start=1)]

    @property
    def max_score(self):
        """Points the automatic check can award in the whole exercise."""
        return float(sum(q.auto_points for q in self.questions))

    def kinds(self):
        """``{label: kind}`` for every question (what each item asks of a learner)."""
        return {label: q.kind for label, q in self.items()}

    def evaluate(self, namespace):
        """Outcomes of every question for the answers in `namespace`."""
        return [
            q.evaluate(namespace, question=label, lesson=self.lesson) for label, q in self.items()
        ]

    def settled(self):
        """This exercise with every question `Question.settled` (to judge a class's answers)."""
        return Exercise(self.lesson, [q.settled() for q in self.questions])

    def bind(self, namespace, *, graded=False, labelled=True):
        """Questions bound to `namespace`, ready for ``q1.check()``; with `graded`, their
        ``solution()`` says that the instructor has turned solutions off (hints still work).

        An exercise's outcomes start with their label (``q1: Correct.``); a lesson's checked
        questions are bound to names of their own (``overtake.check()``), so with `labelled`
        False they show no label:

        >>> (q,) = Exercise("01", [Value("x", 1)]).bind({"x": 1}, labelled=False)
        >>> q.check()
        Correct. x = 1.
        >>> q.hint()
        This question has no hints: reread the question, then try solution().
        """
        if not isinstance(graded, bool):
            raise TypeError(f"graded must be True or False, got graded={graded!r}")
        if not isinstance(labelled, bool):
            raise TypeError(f"labelled must be True or False, got labelled={labelled!r}")
        return tuple(
            _Bound(q, label if labelled else "", self.lesson, namespace, graded=graded)
            for label, q in self.items()
        )


class _Bound:
    """A question bound to the learner's variables: what ``q1`` is in a notebook.

    In a graded exercise (`graded`) the solution is off and the hints stay:

    >>> q1, _ = Exercise("00", [Value("x", 1, hints=("Count.",)), Value("y", 2)]).bind(
    ...     {}, graded=True
    ... )
    >>> q1.solution()
    Solutions are turned off for q1: your instructor is grading this exercise. Try q1.hint() for a nudge, and q1.check() to see whether your answer is right.
    >>> q1.hint()
    Hint 1 of 1: Count.
    """

    def __init__(self, question, label, lesson, namespace, *, graded=False):
        self._question, self._label, self._lesson = question, label, lesson
        self._namespace = namespace
        self.graded = graded

    def __repr__(self):
        prompt = f": {self._question.prompt}" if self._question.prompt else ""
        which = f"Question {self._label[1:]}" if self._label else "A checked question"
        return f"{which} (answer in {self._question.name}){prompt}"

    def outcome(self):
        """The `Outcome` of checking the current answer (without displaying it)."""
        return self._question.evaluate(self._namespace, question=self._label, lesson=self._lesson)

    def check(self):
        """Check your answer and show the outcome."""
        _show(self.outcome())

    def hint(self, n=1):
        """Show hint number `n` (1 first)."""
        hints, label = self._question.hints, self._label or "This question"
        if not hints:
            then = "and the lesson" if self.graded else "then try solution()"
            text = f"{label} has no hints: reread the question, {then}."
        elif isinstance(n, bool) or not isinstance(n, Integral) or not 1 <= n <= len(hints):
            plural = "s" if len(hints) > 1 else ""
            text = f"{label} has {len(hints)} hint{plural}: ask for hint(1) to hint({len(hints)})."
        else:
            more = f" (hint({n + 1}) gives another)" if n < len(hints) else ""
            text = f"Hint {n} of {len(hints)}{more}: {hints[n - 1]}"
        _show(_Text(text, "hint"))

    def solution(self):
        """Show the solution (in a graded exercise: say that solutions are off)."""
        if self.graded:
            label = self._label
            name, call = (label, f"{label}.") if label else ("this question", "")
            text = (
                f"Solutions are turned off for {name}: your instructor is grading this exercise. "
                f"Try {call}hint() for a nudge, and {call}check() to see whether your answer "
                "is right."
            )
            _show(_Text(text, "note"))
            return
        text = self._question.solution or "This question has no single solution."
        head = f"Solution to {self._label}:" if self._label else "Solution:"
        text = f"{head}\n{textwrap.dedent(text).strip()}"
        _show(_Text(text, "solution"))


def option_key(answer, keys):
    """The option of `keys` a learner meant by `answer` (``"B"``, ``" b "``, ``"(b)"``), or None.

    >>> option_key(" B) ", ["a", "b"]), option_key("z", ["a", "b"])
    ('b', None)
    >>> option_key("Line leaders", ["line", "executive"]), option_key("ivory-tower", ["ivory tower"])
    ('line', 'ivory tower')
    >>> option_key(4, ["2", "4", "10"])
    '4'
    """
    if answer in keys:
        return answer
    if isinstance(answer, Real) and not isinstance(answer, bool):
        answer = f"{answer:g}"  # the option "4" read from the number 4
    if not isinstance(answer, str):
        return None
    cleaned = _words(answer.strip().strip("()[].:'\"").strip())
    for key in keys:
        if isinstance(key, str) and cleaned in _forms(_words(key)):
            return key
    return None


def _words(text):
    """`text` lower-cased, with hyphens and underscores read as spaces."""
    return " ".join(re.sub(r"[-_]", " ", text.lower()).split())


def _forms(label):
    """What a learner may write for `label`: itself, a plural, or the label with "leader(s)"
    ("line" -> "line leaders", "executive" -> "executives")."""
    if len(label) < 2:
        return {label}
    return {label, f"{label}s", f"{label} leader", f"{label} leaders"}


_PERCENT = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*(%?)\s*$")


def _forgiving_number(answer, expected, share):
    """Read `answer` as the number a learner meant: ``"0.25"`` as 0.25, and for a share
    (`share`) ``87`` or ``"87%"`` as 0.87.  Returns the answer and a note for the learner."""
    if not isinstance(expected, (int, float)) or isinstance(expected, bool):
        return answer, ""
    percent = False
    if isinstance(answer, str) and (match := _PERCENT.match(answer)):
        answer, percent = float(match.group(1)), bool(match.group(2))
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if percent or (share and 1 < abs(answer) <= 100):
            return answer / 100, f" (read {answer:g}% as {answer / 100:g})"
    return answer, ""


def _miss(got, expected, tolerance):
    """The direction and size of a numeric miss in words: "a little too high", "far too low"."""
    direction = "too high" if got > expected else "too low"
    gap = abs(got - expected)
    scale = max(abs(expected), tolerance, 1e-12)
    if gap <= max(3 * tolerance, 0.1 * scale):
        return f"a little {direction}"
    if gap <= 0.5 * scale:
        return direction
    return f"far {direction}"


def _function_miss(got, expected, problem):
    if isinstance(got, (int, float)) and isinstance(expected, (int, float)):
        if not isinstance(got, bool) and not isinstance(expected, bool) and not math.isnan(got):
            return f"got {_short(got)}, which is {_miss(got, expected, 0.0)}."
    if problem.endswith("is not it."):
        return f"got {_short(got)}, which is not it."
    return f"got {_short(got)}: {problem[0].lower()}{problem[1:]}"


def _type_name(value):
    return type(value).__name__


def describe_type(value):
    """`value`'s type with its article, for messages: ``"an int"``, ``"a str"``.

    >>> describe_type(3), describe_type("x")
    ('an int', 'a str')
    """
    name = _type_name(value)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_data(value):
    """Convert an answer to plain JSON-able data (numbers, strings, lists, dicts)."""
    if value is ___ or value is MISSING or value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):  # numpy's str_ as a plain str, so messages never show np.str_('b')
        return value if type(value) is str else str(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value)
    if isinstance(value, dict):
        return {_key(k): _to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_data(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_to_data(v) for v in value), key=repr)
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    return _to_data(tolist()) if callable(tolist) else value


def _key(k):
    return k if isinstance(k, (str, int, float, bool)) or k is None else str(k)


def _compare(got, expected, rtol, atol, name):
    """Return None if `got` matches `expected`, else a message for the learner."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        if isinstance(got, str) and isinstance(expected, str):
            if got.strip().lower() == expected.strip().lower():
                return None
        elif got == expected and type(got) is type(expected):
            return None
        if isinstance(expected, bool) and not isinstance(got, bool):
            return f"Expected True or False, but {name} is a {_type_name(got)}: {_short(got)}."
        return f"{name} = {_short(got)} is not it."
    if isinstance(expected, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return f"Expected a number, but {name} is a {_type_name(got)}: {_short(got)}."
        if math.isnan(got):
            return f"{name} is nan (not a number): give a number."
        if math.isclose(got, expected, rel_tol=rtol, abs_tol=atol):
            return None
        return f"{name} = {_short(got)} is {_miss(got, expected, max(atol, rtol * abs(expected)))}."
    if isinstance(expected, list):
        if not isinstance(got, list):
            return f"Expected a list of {len(expected)} items, but {name} is a {_type_name(got)}."
        if len(got) != len(expected):
            return f"Expected {len(expected)} items, but {name} has {len(got)}."
        parts = [(g, e, f"{name}[{i}]") for i, (g, e) in enumerate(zip(got, expected, strict=True))]
    elif isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"Expected a dictionary, but {name} is a {_type_name(got)}."
        missing = [k for k in expected if k not in got]
        if missing:
            return f"{name} is missing the key {missing[0]!r}."
        parts = [(got[k], e, f"{name}[{k!r}]") for k, e in expected.items()]
    elif got == expected:
        return None
    else:
        return f"{name} = {_short(got)} is not it."
    problems = (_compare(g, e, rtol, atol, where) for g, e, where in parts)
    return next((problem for problem in problems if problem is not None), None)


def outcome_from_metadata(metadata):
    """Rebuild an `Outcome` from an output's display metadata, or None if it has none.

    >>> out = Outcome("correct", "Well done.", 1.0, 1.0, "q1", "x", "00")
    >>> outcome_from_metadata(out._repr_mimebundle_()[1]) == out
    True
    """
    data = (metadata or {}).get(METADATA_KEY)
    if not isinstance(data, dict) or "status" not in data:
        return None
    return Outcome(**{f.name: data[f.name] for f in fields(Outcome) if f.name in data})
