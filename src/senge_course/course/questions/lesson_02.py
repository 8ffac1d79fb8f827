"""Lesson 02's questions: thresholds, Granovetter's riot and the tipping point of a crowd.

Expected numbers come from the models, computed when first judged.  The mentoring design and the
assumption hunt are judged by running the models on the learner's answer, so any design that
works is accepted and the feedback reports what the model did, never the expected answer.
"""

from dataclasses import dataclass

from ...models import crowd
from .. import checks
from ..checks import Choice, Classification, Exercise, Function, Prediction, Reflection, Value
from .assumptions import BreakClaim

__all__ = [
    "EXERCISE",
    "LESSON",
    "MENTORING_BUDGET",
    "MENTORING_LOWERS",
    "TEAM",
    "MentoringDesign",
    "mentored_team",
    "riot_size",
]


def crowd_b_riot():
    """The model's answer to ``prediction_crowd_b``: how many of crowd B riot (lesson 02,
    section 3: the person with threshold 1 moved to 2)."""
    return crowd.granovetter_equilibrium(crowd.riot_crowd(100, person=1, threshold=2))


def cautious_spread():
    """The model's answer to ``prediction_cautious``: does a crowd of 100 with mean threshold
    30 need a wider (``"a"``), narrower (``"b"``) or about the same (``"c"``, within 5%) spread
    to tip as the crowd with mean 25?"""
    cautious, usual = crowd.tipping_sd(30, 100), crowd.tipping_sd(25, 100)
    if abs(cautious - usual) <= 0.05 * usual:
        return "c"
    return "a" if cautious > usual else "b"


def riot_size(thresholds):
    """How many join a crowd with these thresholds (Granovetter's equilibrium), by a plain loop."""
    joined = 0
    while True:
        ready = sum(1 for t in thresholds if t <= joined)
        if ready == joined:
            return joined
        joined = ready


#: A team of ten deciding whether to take up a new practice: each person's threshold is how many
#: colleagues must commit first.  With nobody mentored the chain stops at 2.
TEAM = {
    "Ana": 0,
    "Ben": 1,
    "Cai": 3,
    "Dee": 3,
    "Eli": 4,
    "Fay": 5,
    "Gus": 7,
    "Hal": 7,
    "Ivy": 8,
    "Jo": 9,
}
#: How many people leaders can mentor, and how far mentoring lowers each one's threshold (the
#: course's assumption that mentoring lowers thresholds, made concrete).
MENTORING_BUDGET, MENTORING_LOWERS = 2, 2


def mentored_team(names):
    """The team's thresholds after mentoring `names` (each lowered by `MENTORING_LOWERS`, not
    below 0).

    >>> mentored_team(["Cai"])["Cai"], mentored_team(["Ben"])["Ben"]
    (1, 0)
    """
    return {p: max(0, t - MENTORING_LOWERS) if p in names else t for p, t in TEAM.items()}


@dataclass(frozen=True, eq=False)
class MentoringDesign(checks.Question):
    """Whom to mentor, within the budget, so that the whole `TEAM` commits.

    The answer is a list of names (``["Ana", "Ben"]``; case and spaces forgiven).  It is judged by
    running Granovetter's equilibrium on the mentored team; the feedback says where the chain
    stops, not whom to mentor.
    """

    remembers = True  # the judge runs a model: each distinct answer once

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "design")

    def judge(self, answer):
        if isinstance(answer, str):
            answer = [answer]
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return self._outcome(
                checks.INCORRECT,
                f'Give a list of names in quotes, such as ["Ana", "Ben"]; {self.name} is '
                f"{answer!r}.",
            )
        by_lower = {p.lower(): p for p in TEAM}
        unknown = [a for a in answer if a.strip().lower() not in by_lower]
        if unknown:
            return self._outcome(
                checks.INCORRECT,
                f"{', '.join(map(repr, unknown))} is not in the team: choose from "
                f"{', '.join(TEAM)}.",
            )
        names = list(dict.fromkeys(by_lower[a.strip().lower()] for a in answer))
        if len(names) > MENTORING_BUDGET:
            return self._outcome(
                checks.INCORRECT,
                f"You chose {len(names)} people; the budget is {MENTORING_BUDGET}: choose at most "
                f"{MENTORING_BUDGET}.",
            )
        joined = riot_size(list(mentored_team(names).values()))
        who = " and ".join(names) if names else "nobody"
        if joined == len(TEAM):
            return self._outcome(
                checks.CORRECT,
                f"With {who} mentored, all {len(TEAM)} commit: each gap in the chain now has "
                "someone ready to fill it.",
            )
        return self._not_yet(
            f"With {who} mentored, the chain stops at {joined} of {len(TEAM)}: once {joined} "
            f"have committed, nobody still out has a threshold of {joined} or less."
        )


#: What each leadership behaviour does to people's thresholds in our model: the course's
#: assumption (Senge 1997 supports only that directives breed fear and distrust).
LEADER_ACTIONS = {
    "an executive mentors a line leader as a thinking partner": "lowers",
    "a local pilot group shows its results to colleagues": "lowers",
    "a mandate with a deadline and penalties for not complying": "raises",
    "a manager publicly blames a team for a failed experiment": "raises",
    "a learning laboratory where people can practise without risk": "lowers",
    "targets handed down with no say in how to meet them": "raises",
}

EXERCISE = Exercise(
    "02",
    [
        Prediction(
            "prediction_crowd_b",
            low=0,
            high=100,
            prompt="Your prediction in the lesson (section 2): how many of the 100 people in "
            "crowd B riot?",
            hints=("Give the number you wrote in the lesson, not the one the model gave.",),
            outcome=crowd_b_riot,
            tolerance=0,  # a count of people: right only if exact
            followup="answer_q2",  # a second instigator in crowd B
        ),
        Choice(
            "answer_q2",
            kind="reasoning",
            prompt="In crowd B (thresholds 0, 2, 2, 3, ..., 99) the most cautious person "
            "(threshold 99) is replaced by a second instigator (threshold 0). How many of the "
            "100 riot?",
            options={
                "a": "Not quite: nobody has threshold 1, but nobody needs to. Two instigators "
                "join in the first round, so 2 have joined: who is ready once 2 have joined?",
                "b": "Not quite: the two people with threshold 2 do join, making 4. Keep "
                "going: who is ready once 4 have joined, and after that?",
                "c": "Yes: the two instigators make 2, enough for both people with threshold 2; "
                "from there every threshold is met in turn.",
                "d": "Not quite: the chain of crowd A breaks at 50 only when the person with "
                "threshold 50 is missing; here nobody in the middle has moved.",
            },
            answer="c",
            hints=(
                "Follow the chain round by round: after the first round, how many have joined? "
                "Whose thresholds are now met?",
                "Once k have joined, count the people whose threshold is k or less; stop when "
                "that count stops growing.",
            ),
        ),
        MentoringDesign(
            "answer_q3",
            kind="design",
            prompt=f"Leaders can mentor {MENTORING_BUDGET} people in a team of {len(TEAM)}; "
            f"mentoring lowers a threshold by {MENTORING_LOWERS}. Whom do you mentor so that the "
            "whole team commits?",
            hints=(
                "First find where the chain stops with nobody mentored: after Ana and Ben, is "
                "anyone ready once 2 have committed?",
                "Mentoring must fill each gap in the chain: the chain breaks in two places, so "
                "each mentored person must close one of them. Mentoring the most resistant "
                "people fills no gap.",
            ),
            solution='answer_q3 = ["Cai", "Gus"]  # also Dee or Eli for the first gap, Hal or '
            "Ivy for the second",
        ),
        Function(
            "riot_size",
            kind="procedure",
            cases=(
                (list(range(100)),),
                ([0, 2, *range(2, 100)],),
                ([],),
                ([1, 1, 1],),
                ([0, 0, 0],),
                ([0, 1, 1, 5],),
                ([3, 0, 1, 2],),
                ([0.5, 0, 2.5],),
            ),
            reference=riot_size,
            prompt="Write riot_size(thresholds): how many join, starting from nobody, when each "
            "person joins once at least their threshold of others have joined.",
            hints=(
                "Keep a count `joined`, starting at 0. In a loop, count the people whose "
                "threshold is at most `joined`.",
                "If that count equals `joined`, nobody new joined: return it. Otherwise update "
                "`joined` and go round again.",
            ),
            solution="""
            def riot_size(thresholds):
                joined = 0
                while True:
                    ready = sum(1 for t in thresholds if t <= joined)
                    if ready == joined:
                        return joined
                    joined = ready
            """,
        ),
        Prediction(
            "prediction_cautious",
            options={
                "a": "a wider spread than the crowd with mean 25",
                "b": "a narrower spread than the crowd with mean 25",
                "c": "about the same spread as the crowd with mean 25",
            },
            prompt="A crowd of 100 whose mean threshold is 30, not 25: to tip, does it need a "
            "wider, a narrower or the same spread?",
            outcome=cautious_spread,
            followup="answer_q7",  # why the crowd with mean 30 needs a wider spread
        ),
        Value(
            "answer_q6",
            kind="procedure",
            expected=lambda: round(crowd.tipping_sd(30, 100), 4),
            atol=0.1,
            prompt="A crowd of 100 has thresholds spread normally around a mean of 30. Find the "
            "smallest sd at which more than half the crowd joins (to 0.1).",
            hints=(
                "In the ThresholdExplorer set the mean to 30 and raise the spread a step at a "
                "time until the summary says the crowd tips. In code, loop "
                "granovetter_equilibrium(norm(30, sd), n=100) over numpy.arange(10, 20, 0.1).",
                "Keep the first sd at which more than 50 join: it lies between 15 and 16.",
            ),
            solution="""
            from scipy.stats import norm
            from senge_course.models.crowd import granovetter_equilibrium

            for sd in np.arange(10, 20, 0.1):
                if granovetter_equilibrium(norm(30, sd), n=100) > 50:
                    answer_q6 = round(float(sd), 1)
                    break
            """,
            explanation="A more cautious crowd (mean 30) needs a wider spread, about 15.7, than "
            "the crowd with mean 25 before it has enough early joiners to start the chain.",
        ),
        Choice(
            "answer_q7",
            kind="reasoning",
            prompt="Why does the crowd with mean 30 need a wider spread to tip than the crowd "
            "with mean 25?",
            options={
                "a": "Yes: with the bell centred further from 0, a wider spread is needed before "
                "enough people sit near 0 to start and carry the chain.",
                "b": "Not quite: the spread does not change the average at all; both crowds keep "
                "their mean whatever the sd. Think about who sits near threshold 0.",
                "c": "Not quite: the crowd size is the same (100), yet the tipping spread moved. "
                "Size matters, but it is not the only thing that does: look at the mean.",
            },
            answer="a",
            hints=(
                "Tipping needs people with thresholds near 0 (instigators and early joiners).",
                "Picture the bell curve moved 5 to the right: how much of it is left near 0, and "
                "what does a wider bell do to that part?",
            ),
        ),
        Classification(
            "answer_q8",
            kind="recall",
            items=LEADER_ACTIONS,
            labels=("lowers", "raises"),
            prompt="In our model (the course's assumption, not a research finding), does each "
            "leadership behaviour lower or raise people's thresholds for committing to a new "
            "practice?",
            hints=(
                "A threshold is how much evidence and safety a person needs before joining.",
                "Senge (1997): directives breed fear and distrust (raise). The course assumes "
                "mentoring, pilots and learning laboratories build confidence (lower).",
            ),
        ),
        BreakClaim(
            "answer_q9",
            kind="reasoning",
            claim="thresholds.leaders-shift",
            keep=("sd", "shift"),
            prompt="The claim thresholds.leaders-shift says a push of -3.6 tips a stalled crowd "
            "(mean 25, sd 10, 100 people). Keeping sd 10 and the shift -3.6, change one other "
            "assumption so that the claim fails.",
            hints=(
                "The claim holds only if the crowd stalls without the push and tips with it. "
                "Which other property of a crowd did the lesson show moves its tipping point?",
                "Two assumptions are left: the mean threshold (how cautious people are on "
                "average) and the crowd size n. How far is this crowd from its tipping point, "
                "and which way would a small change of either move it?",
            ),
            solution='answer_q9 = {"mean": 26}  # a unit a little more cautious stalls even with '
            'the push; {"n": 90} (smaller) or {"n": 300} (tips without it) also break it',
        ),
        Reflection(
            "reflection_q10",
            kind="reflection",
            min_words=40,
            criteria=(
                "names a practice and the first people to take it up (the lowest thresholds)",
                "uses a result of the lesson (a gap in the chain, the tipping spread or a "
                "leaders' shift)",
                "names one leadership action and whether it lowered or raised thresholds",
                "says whether the practice tipped or stalled, and why",
            ),
            prompt="Think of a new practice in an organisation you know. Who had the lowest "
            "thresholds (the first to try it)? What did leaders do that lowered or raised other "
            "people's thresholds, and did the practice tip or stall?",
            hints=("Name the practice, the first people to adopt it, and one leadership action.",),
        ),
    ],
)

#: The checked questions inside lesson 02: why the riot stopped, and the tipping puzzle.
LESSON = Exercise(
    "02",
    [
        Choice(
            "why_it_stopped",
            kind="reasoning",
            prompt="Why did only one person riot in the second crowd?",
            options={
                "a": "Not quite: the average threshold rose only from 49.50 to 49.51, far too "
                "little to make the crowd as a whole more cautious. Look at who is ready once "
                "one person has joined.",
                "b": "Yes: after the instigator joined, nobody had threshold 1, so nobody else "
                "was ready and the chain reaction never started.",
                "c": "Not quite: both crowds had exactly 100 people; only one person's threshold "
                "changed, from 1 to 2, so the size of the crowd cannot explain why it stopped.",
            },
            answer="b",
            hints=(
                "Look at who is ready to join once exactly one person has joined.",
                "Compare the averages the widget reports: did the crowd really change?",
            ),
        ),
        Value(
            "critical_sd",
            kind="procedure",
            expected=lambda: round(crowd.tipping_sd(25, 100), 4),
            atol=0.1,
            prompt="With mean 25, a crowd of 100 and no shift, what is the smallest spread (sd) "
            "at which the crowd tips? (To 0.1.)",
            hints=(
                "Start the ThresholdExplorer at sd 12 and raise it a step (0.1) at a time; watch "
                "the equilibrium in the right-hand plot.",
                "The jump happens between 12 and 13: the summary under the plot says when the "
                "crowd tips.",
            ),
            solution="critical_sd = 12.3  # Granovetter: about 12.2",
            explanation="At a spread of about 12.2 (12.2221 exactly) the curve of people ready to "
            "join stops touching the diagonal near the bottom, and the equilibrium jumps from "
            "about 6 to nearly everyone.",
        ),
    ],
)
