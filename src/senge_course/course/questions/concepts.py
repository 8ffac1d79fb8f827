"""The concept check: ten questions on the article and the models, asked in lesson 00 (before)
and again in lesson 08 (after), so that a learner, and the class debrief, can see the gain.

Before, answers are recorded, not judged (the learner sees no right or wrong, so the check
stays a fair measure after); after, the score is the share right, without saying which answer
is right.  `CONCEPTS` holds the items; `concept_check_markdown` writes them for a notebook.

>>> from senge_course.course.checks import ___
>>> before = ConceptCheck("concepts_before", graded=False)
>>> out = before.evaluate({"concepts_before": {k: "a" for k in CONCEPTS}})
>>> out.status, out.score, "right" in out.message
('submitted', 0.0, False)
>>> after = ConceptCheck("concepts_after", graded=True)
>>> after.evaluate({"concepts_after": ANSWERS}).status
'correct'
"""

from dataclasses import dataclass

from .. import checks

__all__ = ["ANSWERS", "CONCEPTS", "ConceptCheck", "concept_check_markdown"]

#: Item key -> (question, {option: text}, answer).  Distractors are misconceptions a manager
#: (or a reader of a simulation) could hold.
CONCEPTS = {
    "c1": (
        "What does Senge (1997) say top-down directives produce, even when they are carried out?",
        {
            "a": "Fast, lasting adoption, because people follow those with authority",
            "b": "Compliance rather than commitment, and more fear and distrust",
            "c": "Commitment, as long as the directive is explained clearly enough",
            "d": "Nothing at all, because people ignore directives from the top",
        },
        "b",
    ),
    "c2": (
        "In the article, which kind of leader invests in learning laboratories and other "
        "knowledge infrastructure?",
        {
            "a": "Local line leaders, who run the experiments in their own units",
            "b": "Internal networkers, who carry practices from one group to another",
            "c": "Executive leaders, who use their authority to invest in infrastructure",
            "d": "Outside consultants, hired to design and run the laboratories",
        },
        "c",
    ),
    "c3": (
        "Who are internal networkers in Senge's sense?",
        {
            "a": "People, often without formal authority, who spread commitment across groups",
            "b": "The IT staff who run the organisation's collaboration software",
            "c": "Executives who keep in touch with every unit through regular visits",
            "d": "Line leaders who manage teams in more than one location",
        },
        "a",
    ),
    "c4": (
        "Granovetter's threshold model shows that two crowds with almost the same thresholds...",
        {
            "a": "always behave the same way, so the outcome reveals the crowd's attitudes",
            "b": "behave the same unless one of them has a leader with authority",
            "c": "differ only in how fast they reach the same final share",
            "d": "can behave completely differently, so outcomes mislead about attitudes",
        },
        "d",
    ),
    "c5": (
        "A practice people adopt only once two colleagues have (a complex contagion) crosses "
        "from one team to another most reliably over...",
        {
            "a": "one long tie from a well-connected person to the other team",
            "b": "several ties landing on people in the other team who know each other",
            "c": "an announcement from an executive to everyone at once",
            "d": "ties spread thinly, one to each person in the other team",
        },
        "b",
    ),
    "c6": (
        "In Repenning and Sterman's capability trap, what does working harder do under pressure?",
        {
            "a": "Output rises at once, but capability erodes, so it is worse later",
            "b": "Output falls at first, then rises above where it started",
            "c": "Output and capability both rise, as long as people are motivated",
            "d": "Nothing changes, because effort has no effect on output",
        },
        "a",
    ),
    "c7": (
        "Why is working smarter (improving the process) often abandoned?",
        {
            "a": "It never improves results, so managers are right to drop it",
            "b": "It needs executives' approval, which is rarely given",
            "c": "Its results come first as a dip and only later as a gain",
            "d": "It works only in organisations that have no time pressure",
        },
        "c",
    ),
    "c8": (
        "Senge's three activities of a learning community are...",
        {
            "a": "planning, execution and control, best kept in separate departments",
            "b": "research, capacity building and practice, today fragmented",
            "c": "hiring, training and appraisal, led by human resources",
            "d": "strategy, structure and systems, set by the top team",
        },
        "b",
    ),
    "c9": (
        "A model in this course is 'calibrated, not estimated'. What does that mean?",
        {
            "a": "Its constants were measured in many organisations, so its numbers are forecasts",
            "b": "It was checked against one real company's data before use",
            "c": "Its numbers are exact for a typical firm of about 50 people",
            "d": "Its constants were chosen to show behaviours; its numbers are not measurements",
        },
        "d",
    ),
    "c10": (
        "A simulation shows a result. What makes it a finding rather than something built in?",
        {
            "a": "That it appears in every run of the simulation, whatever the seed",
            "b": "That it can be broken by changing a documented assumption of the model",
            "c": "That the simulation draws it in a clear chart with error bands",
            "d": "That the numbers agree with what the article says",
        },
        "b",
    ),
}

#: The right option of each item.
ANSWERS = {key: answer for key, (_, _, answer) in CONCEPTS.items()}


def concept_check_markdown():
    """The ten items as Markdown (question, then options as a list), for a notebook cell."""
    parts = []
    for i, (key, (question, options, _)) in enumerate(CONCEPTS.items(), start=1):
        lines = [f'**{i}. (`"{key}"`)** {question}', ""]
        lines += [f'- `"{option}"`: {text}' for option, text in options.items()]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


@dataclass(frozen=True, eq=False)
class ConceptCheck(checks.Question):
    """The ten concept items, answered as a dict ``{"c1": "b", ...}``.

    ``graded=False`` (lesson 00): recorded, never judged, 0 points.  ``graded=True`` (lesson
    08): one share of the points per item right; the message says how many are right, not which.
    """

    graded: bool = False

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "concept")
        if not self.solution:
            lines = [f"    {k!r}: {v!r}," for k, v in ANSWERS.items()]
            object.__setattr__(self, "solution", "\n".join([f"{self.name} = {{", *lines, "}"]))

    @property
    def scored(self):
        return self.graded

    def judge(self, answer):
        if not isinstance(answer, dict):
            return self._outcome(
                checks.INCORRECT,
                f'Give a dictionary such as {{"c1": "b", "c2": "a", ...}}; {self.name} is a '
                f"{type(answer).__name__}.",
            )
        given = {k: checks.option_key(answer.get(k), CONCEPTS[k][1]) for k in CONCEPTS}
        blank = [k for k, v in given.items() if v is None]
        if blank:
            return self._outcome(
                checks.INCORRECT,
                f"Answer every item with one of its letters; not yet: {', '.join(blank)}.",
            )
        if not self.graded:
            return self._outcome(
                checks.SUBMITTED,
                f"Recorded your {len(given)} answers. You will meet the same questions in "
                "lesson 08, and see how your answers changed.",
                score=0.0,
            )
        right = sum(given[k] == ANSWERS[k] for k in CONCEPTS)
        status = checks.CORRECT if right == len(CONCEPTS) else checks.INCORRECT
        return self._outcome(
            status,
            f"{right} of {len(CONCEPTS)} right. Your lesson 00 answers are in that exercise; "
            "revisit the lesson of any item you are unsure of.",
            score=self.points * right / len(CONCEPTS),
        )
