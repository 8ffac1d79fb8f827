"""Lesson 02's questions: thresholds, Granovetter's riot and the tipping point of a crowd.

Expected numbers come from the models, computed when first judged.
"""

from ...models import crowd
from ..checks import Choice, Classification, Exercise, Function, Reflection, Value

__all__ = ["EXERCISE", "LESSON", "riot_size"]


def riot_size(thresholds):
    """How many join a crowd with these thresholds (Granovetter's equilibrium), by a plain loop."""
    joined = 0
    while True:
        ready = sum(1 for t in thresholds if t <= joined)
        if ready == joined:
            return joined
        joined = ready


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
        Choice(
            "answer_q1",
            prompt="In Granovetter's riot crowd (thresholds 0 to 99), the person with threshold "
            "50 is replaced by someone with threshold 51. How many people riot?",
            options={
                "a": "Not quite: the chain needs someone with threshold 50 once 50 have joined.",
                "b": "Not quite: count again who is ready once 50 have joined.",
                "c": "Yes: thresholds 0 to 49 bring 50 people, and then nobody has threshold 50.",
                "d": "Not quite: only the first link matters when it is person 1; here the chain "
                "runs for a while first.",
            },
            answer="c",
            hints=(
                "Follow the chain: after k people have joined, the person with threshold k joins.",
                "Where is the first gap in the thresholds 0, 1, 2, ...? Try it in the "
                "RiotExplorer: person 50, new threshold 51.",
            ),
            solution='answer_q1 = "c"  # 50 riot: the chain breaks where the gap is',
        ),
        Value(
            "answer_q2",
            expected=lambda: round(crowd.crowd_equilibrium(25, 12, 100).joined, 4),
            atol=0.5,
            prompt="With mean 25, a crowd of 100 and no shift, how many people join when the "
            "spread (sd) is 12? Give the number the ThresholdExplorer shows.",
            hints=(
                "Set the ThresholdExplorer's spread to 12.0 and read the summary under the plot.",
                "It is a handful: the crowd stalls just below the critical spread.",
            ),
            solution="answer_q2 = 4  # 4.0 of 100 join: the crowd stalls",
            explanation="About 4 of 100 join at sd 12: the crowd stalls just below the tipping "
            "point.",
        ),
        Classification(
            "answer_q3",
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
        Value(
            "answer_q4",
            expected=lambda: round(crowd.tipping_shift(25, 10, 100), 4),
            atol=0.1,
            prompt="With mean 25, sd 10 and a crowd of 100 the crowd stalls. How far must leaders "
            "shift everyone's threshold for it to tip? (A negative number, to 0.1.)",
            hints=(
                "Move the ThresholdExplorer's 'Leaders' shift' slider left, a step "
                "at a time, until the summary says the crowd tips.",
                "It is between -3 and -4.",
            ),
            solution="answer_q4 = -3.6  # lowering every threshold by about 3.6 tips the crowd",
            explanation="Lowering everyone's threshold by about 3.6 (a mean of 21.4) tips the "
            "crowd: a small shift near the tipping point has a huge effect.",
        ),
        Function(
            "riot_size",
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
        Value(
            "answer_q6",
            expected=lambda: round(crowd.tipping_sd(30, 100), 4),
            atol=0.1,
            prompt="A crowd of 100 has thresholds spread normally around a mean of 30. Sweep the "
            "sd and find the smallest one at which more than half the crowd joins (to 0.1).",
            hints=(
                "granovetter_equilibrium(norm(30, sd), n=100) gives how many join; loop over "
                "sd values such as numpy.arange(10, 20, 0.1).",
                "Keep the first sd at which the result is above 50.",
            ),
            solution="""
            from scipy.stats import norm
            from senge_course.models.crowd import granovetter_equilibrium

            for sd in np.arange(10, 20, 0.1):
                if granovetter_equilibrium(norm(30, sd), n=100) > 50:
                    answer_q6 = round(float(sd), 1)
                    break
            """,
            explanation="A higher mean threshold needs a wider spread (about 15.7) before enough "
            "early joiners exist to start the chain.",
        ),
        Choice(
            "answer_q7",
            prompt="A change programme spread through unit A and stalled in unit B. A survey "
            "finds the people in the two units equally open to it on average. What is the most "
            "reasonable conclusion?",
            options={
                "a": "Not quite: the averages are the same, so B's people are not more resistant "
                "on the whole.",
                "b": "Yes: as in Granovetter's riot, a few early joiners (the low thresholds) can "
                "decide the outcome, so two units alike on average can end very differently.",
                "c": "Not necessarily: the outcome may hinge on the distribution of thresholds, "
                "not on anyone's competence.",
            },
            answer="b",
            hints=(
                "Remember the two riot crowds: their average thresholds were 49.50 and 49.51.",
                "What did the one changed person do to the chain reaction?",
            ),
        ),
        Reflection(
            "reflection_q8",
            min_words=30,
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
            prompt="Why did only one person riot in the second crowd?",
            options={
                "a": "Not quite: the average threshold rose only from 49.50 to 49.51.",
                "b": "Yes: after the instigator joined, nobody had threshold 1, so nobody else "
                "was ready and the chain reaction never started.",
                "c": "Not quite: both crowds had 100 people.",
            },
            answer="b",
            hints=(
                "Look at who is ready to join once exactly one person has joined.",
                "Compare the averages the widget reports: did the crowd really change?",
            ),
        ),
        Value(
            "critical_sd",
            expected=lambda: round(crowd.tipping_sd(25, 100), 4),
            atol=0.1,
            prompt="With mean 25, a crowd of 100 and no shift, what is the smallest spread (sd) "
            "at which the crowd tips? (To 0.1.)",
            hints=(
                "Start the ThresholdExplorer at sd 10 and raise it a step at a time; watch the "
                "equilibrium in the right-hand plot.",
                "The jump happens between 12 and 13.",
            ),
            solution="critical_sd = 12.3  # Granovetter: about 12.2",
            explanation="At a spread of about 12.2 (12.2221 exactly) the curve of people ready to "
            "join stops touching the diagonal near the bottom, and the equilibrium jumps from "
            "about 6 to nearly everyone.",
        ),
    ],
)
