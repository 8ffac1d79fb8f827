"""Lesson 08's questions: the capstone design (judged by the three simulations) and the
reflections on it, three of them read by an instructor.

Expected numbers come from the models, computed when first judged.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from ...models.capstone import COMMITTED_GOAL, Design, assess
from ...models.leadership import SCENARIOS
from .. import checks
from ..checks import Choice, Classification, Exercise, Reflection, Value

__all__ = ["COMMUNITY", "EXERCISE", "LESSON", "CapstoneGoals", "fewest_networkers"]


def _assess(answer):
    """The capstone report on a design dictionary (`Design.to_dict()`, or its four parts)."""
    if not isinstance(answer, Mapping):
        raise ValueError(
            "expected a design as a dictionary (run my_design = dashboard.design.to_dict()), "
            f"got {answer!r}"
        )
    if "schema" in answer:
        return Design.from_dict(answer).assess()
    needed = ("levers", "regime", "allocation", "integration")
    missing = [key for key in needed if key not in answer]
    if missing:
        raise ValueError(
            f"expected a design with {', '.join(needed)} (or dashboard.design.to_dict()); "
            f"it has no {', '.join(repr(m) for m in missing)}"
        )
    return assess(*(answer[key] for key in needed))


@dataclass(frozen=True, eq=False)
class CapstoneGoals(checks.Question):
    """A design that meets the capstone's three goals: judged by running the three simulations.

    The answer is a design as a dictionary: what ``CapstoneDashboard.design.to_dict()``
    returns, or ``{"levers": ..., "regime": ..., "allocation": ..., "integration": ...}``
    with the levers and regime as dictionaries of their fields (or names, such as
    ``"all three"`` and ``"commitment"``).  The judge runs
    :func:`senge_course.models.capstone.assess` on it, with the same organisation, runs and seed
    the dashboard uses, and marks it correct if all three goals are met.

    >>> q = CapstoneGoals("my_design")
    >>> good = {"levers": "all three", "regime": "commitment",
    ...         "allocation": (0.2, 0.2, 0.6), "integration": 1.0}
    >>> q.evaluate({"my_design": good}).status
    'correct'
    >>> out = q.evaluate({"my_design": {**good, "regime": "command"}})
    >>> out.status, out.message.split(";")[0]
    ('incorrect', 'Your design meets 2 of the 3 goals')
    """

    def judge(self, answer):
        try:
            report = _assess(answer)
        except (ValueError, TypeError) as exc:
            return self._outcome(checks.INCORRECT, f"That design cannot be simulated: {exc}.")
        detail = (
            f"{report.committed:.0%} of people committed on average; the regime "
            f"{'falls into' if report.capability.trapped else 'stays out of'} the trap under the "
            f"surge; the knowledge plan is diagnosed {report.diagnosis.mode} "
            f"({report.knowledge.total:.1f} over 10 years against 40)"
        )
        if report.passed:
            return self._outcome(checks.CORRECT, f"Your design meets all three goals: {detail}.")
        met = sum(report.verdicts.values())
        missed = [goal for goal, ok in report.verdicts.items() if not ok]
        return self._outcome(
            checks.INCORRECT,
            f"Your design meets {met} of the 3 goals; not yet: {', '.join(missed)}. {detail}.",
        )


def fewest_networkers(max_networkers=10):
    """The fewest networkers that spread commitment to the goal, with 2 pilot teams and mentoring
    0.8 (the other levers as in the "all three" scenario)."""
    base = SCENARIOS["all three"]
    for n in range(max_networkers + 1):
        report = assess(base.replace(networkers=n), "commitment", (0.2, 0.2, 0.6), 1.0)
        if report.committed >= COMMITTED_GOAL:
            return n
    return None


#: Exercise question 1: the older model of community and the article's head, heart and hand.
COMMUNITY = {
    "elders, honoured for their wisdom": "head: research",
    "teachers, honoured for helping people grow": "heart: capacity building",
    "warriors, weavers and growers, honoured for their life skills": "hand: practice",
    "theory": "head: research",
    "personal development": "heart: capacity building",
    "practical results": "hand: practice",
}

EXERCISE = Exercise(
    "08",
    [
        Classification(
            "answer_q1",
            items=COMMUNITY,
            labels=("head: research", "heart: capacity building", "hand: practice"),
            prompt="Map the older model of community, and the three things Senge wants "
            "integrated, to head, heart and hand.",
            hints=(
                "Head is understanding, heart is growth of the person, hand is getting things "
                "done.",
                "Each of head, heart and hand gets two items.",
            ),
        ),
        Choice(
            "answer_q2",
            prompt="Which two challenges does Senge name at the end of the article?",
            options={
                "a": "Not quite: the article does not argue for faster decisions at the top; it "
                "argues that hierarchy alone is not enough.",
                "b": "Yes: deep problems that hierarchical leadership alone cannot solve, and "
                "harnessing the intelligence and spirit of people at all levels to keep building "
                "and sharing knowledge.",
                "c": "Not quite: cutting costs and hiring consultants are what the article warns "
                "against leaning on (firefighting and consulting without capacity).",
                "d": "Not quite: technology is not the article's subject; people and how they "
                "lead and learn are.",
            },
            answer="b",
            hints=(
                "Reread the paraphrase of the article's closing paragraph in the lesson.",
                "One challenge is about the limits of hierarchy, the other about people at all "
                "levels.",
            ),
        ),
        Value(
            "answer_q3",
            expected=lambda: round(
                assess("all three", "command", (0.0, 0.0, 1.0), 0.25).committed, 4
            ),
            atol=0.01,
            prompt="In the dashboard, set the leaders' levers to 2 pilot teams, mentoring 0.8, no "
            "mandate and 3 networkers (bridges 3 ties wide into 2 teams). What share of people "
            "end up committed on average (a fraction such as 0.5)?",
            hints=(
                "Read the first panel or the first line of the report under the figure.",
                "It is well above the goal of 0.6.",
            ),
            solution="answer_q3 = 0.75  # all three kinds of leader together",
            explanation="0.75: together, the three kinds of leader carry the practice to most "
            "of the organisation (in the model, any two stay well short of the goal of 0.6).",
        ),
        CapstoneGoals(
            "answer_q4",
            prompt="Design a community of leaders and learners that meets all three goals, and "
            "submit it as answer_q4 = dashboard.design.to_dict().",
            hints=(
                "Work one column at a time: leaders (all three kinds, no mandate), then the "
                "regime (try the commitment preset), then learning (about 20% research, 20% "
                "capacity building, integration 0.75 or more).",
                "The report under the figure says which goal is not met yet, and why.",
            ),
            solution="answer_q4 = {'levers': 'all three', 'regime': 'commitment', "
            "'allocation': (0.2, 0.2, 0.6), 'integration': 1.0}",
        ),
        Value(
            "answer_q5",
            expected=fewest_networkers,
            prompt="Code: with 2 pilot teams and mentoring 0.8 (the other levers as in the "
            "'all three' scenario), what is the fewest internal networkers that spread "
            "commitment to at least 60% of people?",
            hints=(
                "SCENARIOS['all three'].replace(networkers=n) gives the levers; "
                "assess(levers, 'commitment', BALANCED, 1.0).committed the share committed.",
                "Loop n over 0, 1, 2, ... and stop at the first whose share reaches 0.6.",
            ),
            solution="""
            answer_q5 = None
            for n in range(11):
                levers = SCENARIOS["all three"].replace(networkers=n)
                if assess(levers, "commitment", BALANCED, 1.0).committed >= 0.6:
                    answer_q5 = n  # 2 (0.69 committed; 1 networker gives 0.55)
                    break
            """,
            explanation="2 networkers (0.69 committed); with 1 the practice reaches 0.55, and "
            "with none it stops at the pilot teams' edge (0.38).",
        ),
        Reflection(
            "reflection_q6",
            min_words=40,
            prompt="Head, heart and hand: how does your design integrate theory, personal "
            "development and practical results? Name one initiative for each and who leads it.",
            hints=(
                "Use the initiatives of lesson 07 (learning laboratory, action research, "
                "pilot groups, ...) and the three kinds of leader.",
            ),
        ),
        Reflection(
            "reflection_q7",
            min_words=40,
            prompt="Senge's older model of community honoured elders, teachers, and warriors, "
            "weavers and growers equally. Who plays each part in your organisation, and is each "
            "honoured? Which of his two challenges does your design answer, and how?",
            hints=("Think of whose work is rewarded and whose is invisible (the teachers?).",),
        ),
        Reflection(
            "reflection_q8",
            min_words=40,
            prompt="Pick one critique (power and practice, after Caldwell; or evidence, after "
            "Gourlay). What does it say, where does it hit your design or the course's models, "
            "and what would you look for in a real organisation to test your design?",
            hints=("A fair critique says what the idea gets right as well as what it leaves out.",),
        ),
    ],
)

#: The checked questions inside lesson 08 itself.
LESSON = Exercise(
    "08",
    [
        CapstoneGoals(
            "my_design",
            prompt="Design a community that meets all three goals: commitment spreads to 60% "
            "of people, no capability trap under a 20% surge, and an integrated knowledge cycle.",
            hints=(
                "Change one column of the dashboard at a time and read which goal is met.",
                "All three kinds of leader without a mandate; a regime with light control and "
                "real autonomy; research and capacity building around 20% each, integration "
                "0.75 or more.",
            ),
            solution="my_design = {'levers': 'all three', 'regime': 'commitment', "
            "'allocation': (0.2, 0.2, 0.6), 'integration': 1.0}",
        ),
        Choice(
            "what_models_show",
            prompt="The course's models are calibrated, not estimated from data. Which claim can "
            "your capstone report support?",
            options={
                "a": "Not quite: the numbers are not forecasts; nothing in the models was "
                "measured in your firm (or any firm).",
                "b": "Not quite: the models show that the structure can produce these patterns, "
                "not that it is the only structure that could; and they leave out power, "
                "politics and people's own goals.",
                "c": "Yes: if the causal structures in the models hold (thresholds for "
                "commitment, a climate for improvement that pressure drains, a cycle whose links "
                "need effort and "
                "integration), then these kinds of design behave in these ways: worse before "
                "better, tipping points, no lone kind of leader. Those are claims to test in "
                "your own setting.",
                "d": "Not quite: a model's precision (two decimals) says nothing about its "
                "accuracy.",
            },
            answer="c",
            hints=(
                "What were the models' numbers calibrated to do?",
                "A model can support an 'if ..., then ...' claim about a structure.",
            ),
        ),
    ],
)
