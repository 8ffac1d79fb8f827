"""Lesson 05's class as one organisation: every student's design leads one division.

The debrief of lesson 05 (`senge_course.course.debrief`) shows what the class achieved
*together*: each student's design (their levers: pilot teams, mentoring, networkers, ...) leads
one division of a single organisation, the divisions are joined by a few ties, and the practice
spreads through the whole of it in one history (`senge_course.models.divisions`), against every
division led with the best single design.  This is OUR MODEL's way of merging the class's
designs, not Senge's and not evidence: the debrief says so, and its numbers are the model's.

Which design counts: a student's answer to ``answer_q6`` (the design at 30 leader-weeks, so
every division spends at most the same leaders' time), else their answer to ``answer_q5`` (one
pilot team, at most 3 networkers), the first that is a dictionary of levers within its
question's rules (no mandate, the question's limits on pilot teams, networkers and leaders'
time).  Students with neither are listed as skipped, with the reason.  The best design is the
one the lesson's own judge (`senge_course.course.questions.lesson_05.mean_committed`: 50 runs
on lesson 05's organisation) scores highest.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import nbformat

from ..models import divisions, leader_time, leadership, org
from .questions import get_exercise, lesson_05

__all__ = [
    "CROSS_TIES",
    "DESIGN_QUESTIONS",
    "RUNS",
    "SEED",
    "ClassOrganisation",
    "class_designs",
    "class_organisation",
    "organisation_cells",
]

#: The design questions whose answer leads a student's division, first choice first.
DESIGN_QUESTIONS = ("answer_q6", "answer_q5")
#: The width of the bridge each division lays into another (`divisions.class_history`).
CROSS_TIES = 3
#: Runs of the whole organisation, and their seed: the debrief's numbers are reproducible.
RUNS = 20
SEED = 1


@dataclass(frozen=True)
class ClassOrganisation:
    """The class of lesson 05 run as one organisation (`class_organisation`).

    ``history``: the model's `senge_course.models.divisions.ClassHistory`; ``questions``: the
    question label (``"q6"``, ``"q5"``) whose answer leads each student's division; ``skipped``:
    every student left out, with the reason (no usable design, or the model could not run it).
    """

    history: divisions.ClassHistory
    questions: MappingProxyType = field(repr=False)
    skipped: MappingProxyType = field(repr=False)

    @property
    def summary(self):
        """The model's summary sentence (a figure's text summary)."""
        return self.history.summary


def class_designs(debrief):
    """Return each student's design and each skipped student's reason, from a lesson-05 debrief.

    `debrief` is a `senge_course.course.debrief.ClassDebrief` of lesson 05.  Returns
    ``(designs, questions, skipped)``: ``{student: levers dict}``, ``{student: question label}``
    and ``{student: reason}`` (see the module for which design counts).  Raises ValueError if
    the debrief is not of lesson 05.

    Ada's budget design fits 30 leader-weeks; Bo's four pilot teams cost 32, and Bo gave no
    one-pilot design either, so Bo's division is left out.

    >>> from senge_course.course.debrief import ClassDebrief
    >>> debrief = ClassDebrief("05", {
    ...     "ada": {"answers": {"answer_q6": {"pilot_teams": 2, "mentoring": 1.0}}},
    ...     "bo": {"answers": {"answer_q6": {"pilot_teams": 4}}}})
    >>> designs, questions, skipped = class_designs(debrief)
    >>> questions
    {'ada': 'q6'}
    >>> print(skipped["bo"])
    q6: costs 32 leader-weeks, more than the question's 30; q5: no answer
    """
    if getattr(debrief, "lesson", None) != "05":
        raise ValueError(
            "debrief must be a class debrief of lesson 05, got lesson "
            f"{getattr(debrief, 'lesson', None)!r}"
        )
    questions = {q.name: (label, q) for label, q in get_exercise("05").items()}
    designs, chosen, skipped = {}, {}, {}
    for student, record in debrief.students.items():
        answers = record.get("answers", {})
        reasons = []
        for name in DESIGN_QUESTIONS:
            label, question = questions[name]
            reason = _unusable(answers.get(name), question) if name in answers else "no answer"
            if not reason:
                designs[student], chosen[student] = dict(answers[name]), label
                break
            reasons.append(f"{label}: {reason}")
        else:
            skipped[student] = "; ".join(reasons)
    return designs, chosen, skipped


def class_organisation(debrief, *, cross_ties=CROSS_TIES, runs=RUNS, seed=SEED):
    """Return lesson 05's class run as one organisation (`ClassOrganisation`).

    Each student's design (`class_designs`) leads a division, a copy of lesson 05's organisation
    (``org.organisation(seed=lesson_05.ORG_SEED)``); `cross_ties`, `runs` and `seed` are those
    of `senge_course.models.divisions.class_history`.  The best design is the one
    `lesson_05.mean_committed` scores highest (each different design judged once).  Raises
    ValueError if no student has a design that can lead a division.
    """
    designs, questions, skipped = class_designs(debrief)
    if not designs:
        said = "; ".join(sorted(set(skipped.values()))) or "the class file holds no students"
        raise ValueError(f"no student of the class has a design that can lead a division ({said})")
    history = divisions.class_history(
        designs,
        judge=_judge,
        cross_ties=cross_ties,
        runs=runs,
        seed=seed,
        division=org.organisation(seed=lesson_05.ORG_SEED),
    )
    skipped = {**skipped, **history.skipped}
    used = {s: questions[s] for s in history.students}
    return ClassOrganisation(history, MappingProxyType(used), MappingProxyType(skipped))


def organisation_cells(debrief):
    """Return the debrief notebook's cells (Markdown and code) for lesson 05's class as one
    organisation: what the class achieved together against the best single design, in words
    with the model's numbers, and a figure (`senge_course.views.debrief.show_class_history`).

    The code cells expect ``debrief`` (the `ClassDebrief`) defined by an earlier cell; they run
    `class_organisation` again with the same seed, so the figure shows the numbers stated.
    """
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    title = "## One organisation, the whole class"
    try:
        result = class_organisation(debrief)
    except ValueError as exc:
        said = _clean(exc)
        return [md(f"{title}\n\nThe class's designs could not be run as one organisation: {said}.")]
    h = result.history
    used = Counter(result.questions.values())
    sources = " and ".join(
        f"{n} from {label}" for label, n in sorted(used.items(), key=lambda kv: -kv[1])
    )
    best_score = h.scores[h.best]
    gap = 100 * (h.best_final - h.together_final)
    lines = [
        title,
        "",
        "**Our model assumes** (a teaching device, not Senge's proposal and not evidence): "
        f"each student's design leads one division, a copy of lesson 05's organisation of "
        f"{h.people} people, and each division lays one bridge of "
        f"{_plural(h.cross_ties, 'informal tie')} into another division chosen at random.",
        "The practice spreads through the whole organisation in one history, so it can spill "
        "from a strong division into a weak one.",
        f"A student's design is their answer to q6 ({lesson_05.BUDGET} leader-weeks), else to "
        f"q5 (one pilot team): {sources}.",
        "",
        f"**The model's numbers** ({h.runs} runs, seed {SEED}, {h.rounds} rounds): the class's "
        f"{h.divisions} divisions together commit **{h.together_final:.0%}** of all "
        f"{h.people * h.divisions:,} people.",
        f"Every division led with the best single design of the class (a {result.questions[h.best]} "
        f"design: {h.best_levers.describe()}; {leader_time.cost(h.best_levers):g} leader-weeks; "
        f"the lesson's judge gives it {best_score:.0%}) commits "
        f"**{h.best_final:.0%}**: {abs(gap):.0f} points {'more' if gap >= 0 else 'less'}.",
        f"Apart, with no ties between divisions, the class's designs commit "
        f"{h.apart_final:.0%}; joined, {_count(h.spillover >= 0.05)} of {h.divisions} divisions "
        f"commit 5 points or more above what they commit apart, "
        f"{_count(h.spillover <= -0.05)} 5 points or more below.",
    ]
    if result.skipped:
        reasons = Counter(_short(why) for why in result.skipped.values())
        lines += ["", f"Left out ({_plural(len(result.skipped), 'student')}):"]
        lines += [f"- {n} × {_clean(why)}" for why, n in reasons.most_common()]
    lines += [
        "",
        "Ask the class: which divisions gained from their neighbours, and what did they have "
        "that the others lacked?",
        "(In our model a bridge rarely tips a team whose thresholds mentoring has not lowered.)",
    ]
    return [
        md("\n".join(lines)),
        code(
            "from senge_course.course.class_organisation import class_organisation\n"
            "from senge_course.views.debrief import show_class_history\n\n"
            "whole_class = class_organisation(debrief)\n"
            "show_class_history(whole_class.history)"
        ),
    ]


@lru_cache(maxsize=512)
def _judge(levers):
    """The lesson's own judge of `levers` (deterministic: each design is judged once)."""
    return lesson_05.mean_committed(levers)


def _unusable(answer, question):
    """Why `answer` cannot lead a division under `question`'s rules ('' if it can)."""
    try:
        levers = divisions.design_levers(answer)
    except (TypeError, ValueError) as exc:
        return str(exc)
    if levers.pilot_teams > question.max_pilot_teams:
        return (
            f"{levers.pilot_teams} pilot teams, more than the question's {question.max_pilot_teams}"
        )
    if levers.networkers > question.max_networkers:
        return f"{levers.networkers} networkers, more than the question's {question.max_networkers}"
    if question.budget is not None:
        usual = leadership.Levers()
        if (levers.pilot_share, levers.bridge_width) != (usual.pilot_share, usual.bridge_width):
            return "pilot_share or bridge_width changed, which the question's prices fix"
        spent = leader_time.cost(levers)
        if spent > question.budget + 1e-9:
            return f"costs {spent:g} leader-weeks, more than the question's {question.budget:g}"
    return ""


def _short(why):
    """A skipped student's reason, at most 160 characters."""
    return why if len(why) <= 160 else why[:157] + "..."


def _clean(text):
    """Text that cannot open Markdown structure or HTML (learners wrote some of it)."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def _count(mask):
    return int(mask.sum())


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"
