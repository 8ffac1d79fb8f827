"""Lesson 06's questions: firefighting, shifting the burden and the capability trap.

A policy is judged by running the capability-trap model on it; expected numbers come from the
model, computed when first judged.
"""

from dataclasses import dataclass
from functools import partial

from ...models.capability import COMMAND, simulate, smallest_tipping_surge
from ...models.regime import POLICY_LEVERS as LEVERS
from .. import checks
from ..checks import Choice, Classification, Exercise, Function, Reflection, Value

__all__ = ["EXERCISE", "LESSON", "SurvivingPolicy", "survives"]


def survives(control, autonomy):
    """True if command with this control and autonomy does not tip under a 20% surge of 8 weeks."""
    regime = COMMAND.replace(control=control, autonomy=autonomy)
    return not simulate(regime, target_change=0.2, surge_weeks=8).tipped


@dataclass(frozen=True, eq=False)
class SurvivingPolicy(checks.Question):
    """A policy, given as its four levers, that must not tip under a surge: judged by the model.

    The answer is a dictionary ``{"work_harder": ..., "work_smarter": ..., "control": ...,
    "autonomy": ...}`` (what ``ScenarioComparer.policy`` returns).  The judge builds the
    regime (the organisation's other parameters as in `COMMAND`), runs it through the surge
    and marks it correct if it does not tip into the trap.

    Easing command's control to 0.4 survives; command itself tips:

    >>> q = SurvivingPolicy("policy")
    >>> q.evaluate({"policy": {"work_harder": 4, "work_smarter": 0, "control": 0.4,
    ...                        "autonomy": 0.2}}).status
    'correct'
    >>> out = q.evaluate({"policy": {"work_harder": 4, "work_smarter": 0, "control": 0.8,
    ...                              "autonomy": 0.2}})
    >>> out.status, out.message.split(" (")[0]
    ('incorrect', 'This policy tips into the trap after a 20% surge for 8 weeks')
    """

    target_change: float = 0.2
    surge_weeks: float = 8.0

    def judge(self, answer):
        example = "{'work_harder': 4.0, 'work_smarter': 0.0, 'control': 0.4, 'autonomy': 0.2}"
        if not isinstance(answer, dict):
            return self._outcome(
                checks.INCORRECT,
                f"Expected a dictionary of the four levers, such as {example}, "
                f"but {self.name} is a {type(answer).__name__}.",
            )
        missing = [lever for lever in LEVERS if lever not in answer]
        extra = sorted(str(key) for key in answer if key not in LEVERS)
        if missing or extra:
            parts = ["it has no " + ", ".join(map(repr, missing))] if missing else []
            if extra:
                parts.append("only the four levers count, so remove " + ", ".join(map(repr, extra)))
            levers = ", ".join(LEVERS)
            message = (
                f"{self.name} must give exactly the four levers ({levers}): {'; '.join(parts)}."
            )
            return self._outcome(checks.INCORRECT, message)
        try:
            regime = COMMAND.replace(**{lever: answer[lever] for lever in LEVERS})
        except (TypeError, ValueError) as exc:
            return self._outcome(checks.INCORRECT, f"That policy cannot be simulated: {exc}.")
        surge = f"a {self.target_change:.0%} surge for {self.surge_weeks:g} weeks"
        run = simulate(regime, target_change=self.target_change, surge_weeks=self.surge_weeks)
        changed = [
            f"{lever} {getattr(COMMAND, lever):g} to {getattr(regime, lever):g}"
            for lever in LEVERS
            if getattr(regime, lever) != getattr(COMMAND, lever)
        ]
        changes = ("You changed " + ", ".join(changed) + ".") if changed else "That is command."
        if run.tipped:
            return self._outcome(
                checks.INCORRECT,
                f"This policy tips into the trap after {surge} (trust falls from "
                f"{run.trust[0]:.2f} to {run.trust[-1]:.2f}). {changes}",
            )
        threshold = smallest_tipping_surge(regime, surge_weeks=self.surge_weeks)
        margin = f"it tips only from about a {threshold:.0%} surge"
        if threshold == float("inf"):
            margin = "it does not tip even when the target doubles for that long"
        note = ""
        if regime.control >= 0.5 and regime.autonomy < 0.5 and regime.work_harder > 4:
            note = (
                " It survives by closing the gap faster with a stronger reflex, not by "
                "protecting trust: try it under a permanent rise."
            )
        return self._outcome(
            checks.CORRECT,
            f"Your policy survives {surge}: trust falls no lower than {run.trust.min():.2f} "
            f"and ends at {run.trust[-1]:.2f}; {margin}. {changes}{note}",
        )


def _tipping(surge_weeks=8.0, **changes):
    """The smallest `surge_weeks`-week surge that tips command with some `changes`, to 4 places."""
    return round(smallest_tipping_surge(COMMAND.replace(**changes), surge_weeks=surge_weeks), 4)


#: Firefighting and consulting, loop by loop: reinforcing (R) or balancing (B)?
LOOP_POLARITIES = {
    "overtime clears the backlog, so the pressure to work overtime eases": "B",
    "improvement removes the causes of the backlog, after a delay": "B",
    "hours taken from improvement let the process erode, so there are more fires to fight": "R",
    "consultants fix the problem, so there is less call for consultants": "B",
    "each consulting project leaves the firm's own skills weaker, so it calls the consultants "
    "sooner next time": "R",
    "pressure under tight control drains trust, so improvement works less and the gap grows": "R",
}

#: A plant's story mapped onto Shifting the Burden.
BURDEN_PARTS = {
    "orders shipped late and quality complaints": "problem symptom",
    "overtime, expediting and skipped maintenance to ship this week's orders": "symptomatic solution",
    "fixing the root causes of defects and breakdowns": "fundamental solution",
    "less time, money and goodwill left for improvement work": "side effect",
}

EXERCISE = Exercise(
    "06",
    [
        Classification(
            "answer_q1",
            items=LOOP_POLARITIES,
            labels=("R", "B"),
            prompt="Is each loop reinforcing (R) or balancing (B)?",
            hints=(
                "A balancing loop counteracts the change that started it; a reinforcing loop "
                "feeds it.",
                "Ask: does the loop end up making the starting problem smaller (B) or bigger (R)?",
            ),
        ),
        Classification(
            "answer_q2",
            items=BURDEN_PARTS,
            labels=(
                "problem symptom",
                "symptomatic solution",
                "fundamental solution",
                "side effect",
            ),
            prompt="A plant fights fires. Which part of Shifting the Burden is each element of its "
            "story?",
            hints=(
                "The symptomatic solution is quick; the fundamental solution is slow but lasting.",
                "The side effect is what the quick fix does to the fundamental solution.",
            ),
        ),
        Choice(
            "answer_q3",
            prompt="Senge writes of consulting projects that solve problems but rarely build "
            "people's ability to stop creating them. Which archetype is this?",
            options={
                "a": "Not quite: in Fixes that Fail the fix itself makes the problem worse; here "
                "the consultants do fix it, but the firm's own capability withers.",
                "b": "Not quite: Limits to Growth is a reinforcing growth loop meeting a limit.",
                "c": "Yes: Shifting the Burden to the Intervenor. The outside helper relieves "
                "the symptom, and the firm's own ability to solve it weakens, so it needs the "
                "helper more.",
                "d": "Not quite: in Eroding Goals the goal drifts down; here the goal stays.",
            },
            answer="c",
            hints=(
                "Who carries the burden of solving the problem: the firm or someone else?",
                "Look at the second diagram in the lesson.",
            ),
            solution='answer_q3 = "c"  # shifting the burden to the intervenor',
        ),
        Value(
            "answer_q4",
            expected=partial(_tipping, 4.0),
            atol=0.01,
            prompt="With the ScenarioComparer, set the surge to last 4 weeks. What is the "
            "smallest surge (as a fraction, such as 0.15) that tips command into the trap?",
            hints=(
                "Set 'Surge lasts (weeks)' to 4, then raise 'Target change (%)' one step at a "
                "time until the summary says A tips into the trap.",
                "It is larger than the 8-week answer (about 0.15): a shorter surge must be "
                "bigger to tip.",
            ),
            solution="answer_q4 = 0.23  # a 4-week surge tips command from about 23%",
            explanation="A 4-week surge tips command from about 23% (an 8-week one from 15%): "
            "the longer the crisis lasts, the smaller the surge that tips.",
        ),
        Choice(
            "answer_q5",
            prompt="Which response to repeated missed targets is double-loop learning, in "
            "Argyris's sense?",
            options={
                "a": "Not quite: more overtime is single-loop: it corrects the gap within the "
                "same policy.",
                "b": "Not quite: a tighter target with closer monitoring is still the same "
                "governing policy, enforced harder.",
                "c": "Yes: questioning the policy itself (how much control, how much autonomy, "
                "whether improvement time is protected) changes the governing variables.",
                "d": "Not quite: hiring consultants to fix this quarter's problem corrects the "
                "error without changing what produces it.",
            },
            answer="c",
            hints=(
                "Single-loop learning corrects errors within the existing rules; double-loop "
                "learning changes the rules.",
                "Which option changes the policy that keeps producing the gap?",
            ),
            solution='answer_q5 = "c"  # change the governing variables, not only the effort',
        ),
        Value(
            "answer_q6",
            expected=partial(_tipping, control=0.5),
            atol=0.01,
            prompt="Code: for command with control eased to 0.5, find the smallest 8-week surge "
            "that tips it, to 0.01 (loop over surge sizes, or use smallest_tipping_surge).",
            hints=(
                "regime = COMMAND.replace(control=0.5); simulate(regime, target_change=s, "
                "surge_weeks=8).tipped says whether a surge s tips it.",
                "Loop s over 0.01, 0.02, ... and stop at the first that tips; or call "
                "smallest_tipping_surge(regime, surge_weeks=8).",
            ),
            solution="""
            regime = COMMAND.replace(control=0.5)
            answer_q6 = None
            for percent in range(1, 101):
                if simulate(regime, target_change=percent / 100, surge_weeks=8).tipped:
                    answer_q6 = percent / 100  # 0.21
                    break
            """,
            explanation="With control 0.5 command tips only from about a 21% surge (0.15 at "
            "control 0.8).",
        ),
        Function(
            "survives",
            cases=((0.8, 0.2), (0.6, 0.2), (0.4, 0.2), (0.8, 0.5), (0.8, 0.3), (0.3, 0.3)),
            reference=survives,
            prompt="Code: write survives(control, autonomy): True if command with that control "
            "and autonomy does not tip under a 20% surge lasting 8 weeks.",
            hints=(
                "Build the regime with COMMAND.replace(control=control, autonomy=autonomy).",
                "Run simulate(regime, target_change=0.2, surge_weeks=8) and return not run.tipped.",
            ),
            solution="""
            def survives(control, autonomy):
                regime = COMMAND.replace(control=control, autonomy=autonomy)
                return not simulate(regime, target_change=0.2, surge_weeks=8).tipped
            """,
        ),
        Reflection(
            "reflection_q8",
            min_words=30,
            prompt="Describe firefighting you have seen (or done). What was the quick fix, what "
            "did it crowd out, and what would a double-loop response have changed?",
            hints=("Name the symptom, the quick fix, the fundamental solution and who decided.",),
        ),
    ],
)

#: The checked questions inside lesson 06 itself.
LESSON = Exercise(
    "06",
    [
        Value(
            "smallest_surge",
            expected=_tipping,
            atol=0.01,
            prompt="What is the smallest surge in the target, lasting 8 weeks, that tips command "
            "into the capability trap? (A fraction, such as 0.25.)",
            hints=(
                "Keep the surge at 8 weeks and move 'Target change (%)' down from 20 one step "
                "at a time, reading the summary: does A still tip?",
                "It is between 0.10 and 0.20.",
            ),
            solution="smallest_surge = 0.15  # 14% recovers, 15% tips",
            explanation="Command tips from a surge of about 0.149: at 14% it recovers, at 15% "
            "it falls into the trap for good.",
        ),
        SurvivingPolicy(
            "my_policy",
            prompt="Design a policy (the four levers) that does not tip under a 20% surge "
            "lasting 8 weeks.",
            hints=(
                "Set scenario B to the command preset, then move one lever at a time and watch "
                "whether B still tips. Then run my_policy = app.policy('B').",
                "Try easing control (0.4 or less) or granting more autonomy (0.5 or more); "
                "weakening the work-harder reflex alone does not help.",
            ),
            solution="my_policy = {'work_harder': 4.0, 'work_smarter': 0.0, 'control': 0.4, "
            "'autonomy': 0.2}",
        ),
        Choice(
            "why_not_effort",
            prompt="Weakening command's work-harder reflex alone (from 4 to 2) makes it tip "
            "from a smaller surge (0.08 instead of 0.15). Why?",
            options={
                "a": "Not quite: with a weaker reflex fewer hours are taken from improvement, "
                "so capability erodes more slowly, not faster.",
                "b": "Yes: the gap now closes more slowly, so pressure stays high for longer, and "
                "under tight control that pressure drains the trust improvement needs. The "
                "trap runs through trust and control, not only through effort.",
                "c": "Not quite: the target is the same in both runs.",
                "d": "Not quite: overtime is capped at 5 hours in both; the difference is how "
                "long the pressure lasts.",
            },
            answer="b",
            hints=(
                "Compare the pressure and trust in the two runs: which lasts longer?",
                "Control multiplies pressure's drain on trust.",
            ),
        ),
    ],
)
