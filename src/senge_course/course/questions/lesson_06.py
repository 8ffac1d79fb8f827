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
    """True if command with this control and autonomy is not trapped by a 20% surge of 8 weeks."""
    regime = COMMAND.replace(control=control, autonomy=autonomy)
    return not simulate(regime, target_change=0.2, surge_weeks=8).trapped


@dataclass(frozen=True, eq=False)
class SurvivingPolicy(checks.Question):
    """A policy, given as its four levers, that must not be trapped by a surge: judged by the model.

    The answer is a dictionary ``{"work_harder": ..., "work_smarter": ..., "control": ...,
    "autonomy": ...}`` (what ``ScenarioComparer.policy`` returns).  The judge builds the
    regime (the organisation's other parameters as in `COMMAND`), runs it through the surge
    and marks it correct if it does not tip into the trap (`CapabilityRun.trapped`).

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
        if run.trapped:
            return self._outcome(
                checks.INCORRECT,
                f"This policy tips into the trap after {surge} (capability falls from "
                f"{run.capability[0]:.2f} to {run.capability[-1]:.2f}, its floor; the climate "
                f"from {run.climate[0]:.2f} to {run.climate[-1]:.2f}). {changes}",
            )
        threshold = smallest_tipping_surge(regime, surge_weeks=self.surge_weeks)
        margin = f"it tips only from about a {threshold:.0%} surge"
        if threshold == float("inf"):
            margin = "it does not tip even when the target doubles for that long"
        note = ""
        if regime.control >= 0.5 and regime.autonomy < 0.5 and regime.work_harder > 4:
            note = (
                " It survives by closing the gap faster with a stronger reflex, not by "
                "protecting the climate: try it under a permanent rise."
            )
        return self._outcome(
            checks.CORRECT,
            f"Your policy survives {surge}: the climate falls no lower than "
            f"{run.climate.min():.2f} and ends at {run.climate[-1]:.2f}; {margin}. "
            f"{changes}{note}",
        )


def _tipping(surge_weeks=8.0, **changes):
    """The smallest `surge_weeks`-week surge that tips command with some `changes`, to 4 places."""
    return round(smallest_tipping_surge(COMMAND.replace(**changes), surge_weeks=surge_weeks), 4)


def _edge_ratio():
    """How many times larger command's 8-week edge is when the pressure tolerance doubles."""
    return round(_tipping(pressure_tolerance=0.05) / _tipping(), 4)


#: Firefighting and consulting, loop by loop: reinforcing (R) or balancing (B)?
LOOP_POLARITIES = {
    "overtime clears the backlog, so the pressure to work overtime eases": "B",
    "improvement removes the causes of the backlog, after a delay": "B",
    "hours taken from improvement let the process erode, so there are more fires to fight": "R",
    "consultants fix the problem, so there is less call for consultants": "B",
    "each consulting project leaves the firm's own skills weaker, so it calls the consultants "
    "sooner next time": "R",
    "pressure under tight control drains the climate for improvement, so improvement works less "
    "and the gap grows": "R",
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
            explanation="In our model a 4-week surge tips command from about 23% (an 8-week one "
            "from about 15%): the longer the crisis lasts, the smaller the surge that tips. The "
            "sizes rest on the invented pressure tolerance; the order (longer crises tip at "
            "smaller surges) holds across the lesson's sweep.",
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
            expected=_edge_ratio,
            atol=0.1,
            prompt="Code: the pressure tolerance (0.025) is an invented constant. Find command's "
            "smallest 8-week surge that tips it with the tolerance doubled to 0.05, and divide "
            "it by the edge at 0.025. How many times larger is it (to 0.1)?",
            hints=(
                "regime = COMMAND.replace(pressure_tolerance=0.05); simulate(regime, "
                "target_change=s, surge_weeks=8).trapped says whether a surge s traps it.",
                "Loop s over 0.01, 0.02, ... and stop at the first that traps, for both "
                "tolerances; or call smallest_tipping_surge(regime, surge_weeks=8).",
            ),
            solution="""
            def edge(tolerance):
                regime = COMMAND.replace(pressure_tolerance=tolerance)
                for percent in range(1, 101):
                    if simulate(regime, target_change=percent / 100, surge_weeks=8).trapped:
                        return percent / 100
                return None

            answer_q6 = edge(0.05) / edge(0.025)  # about 2.3: 0.35 against 0.15
            """,
            explanation="Doubling one invented constant more than doubles the edge (about 0.35 "
            "against 0.15): the model's 15% is a property of its calibration, not a measured "
            "fact about organisations.",
        ),
        Function(
            "survives",
            cases=((0.8, 0.2), (0.6, 0.2), (0.4, 0.2), (0.8, 0.5), (0.8, 0.3), (0.3, 0.3)),
            reference=survives,
            prompt="Code: write survives(control, autonomy): True if command with that control "
            "and autonomy is not trapped by a 20% surge lasting 8 weeks.",
            hints=(
                "Build the regime with COMMAND.replace(control=control, autonomy=autonomy).",
                "Run simulate(regime, target_change=0.2, surge_weeks=8) and return not "
                "run.trapped.",
            ),
            solution="""
            def survives(control, autonomy):
                regime = COMMAND.replace(control=control, autonomy=autonomy)
                return not simulate(regime, target_change=0.2, surge_weeks=8).trapped
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
        Choice(
            "robust_finding",
            prompt="Our model says an 8-week surge of about 15% tips command into the trap. "
            "What does the sweep of the invented pressure tolerance show about that finding?",
            options={
                "a": "Not quite: the model can compute the edge to three decimals (0.149), but "
                "that precision is arithmetic; as the tolerance moves from 0.01 to 0.1 the edge "
                "moves from about 0.05 to 0.64.",
                "b": "Yes: 'about 15%' is a property of one constant nobody measured. What "
                "survives the sweep is the shape of the result: command has an edge, longer "
                "crises tip it at smaller surges, and commitment has none.",
                "c": "Not quite: changing the erosion time by 25% moves the edge by less than "
                "0.01; the pressure tolerance moves it most (from about 0.11 to 0.20 for a "
                "change of 25%).",
                "d": "Not quite: the model is calibrated, not estimated; it cannot tell a manager "
                "how large a surge their organisation can take.",
            },
            answer="b",
            hints=(
                "Read the sweep: how far does the edge move as the tolerance goes from 0.01 to "
                "0.1, and how wide is the band?",
                "Which statements stay true at every tolerance in the sweep?",
            ),
            solution='robust_finding = "b"  # the number is calibration; the shape is robust',
        ),
        SurvivingPolicy(
            "my_policy",
            prompt="Design a policy (the four levers) that does not tip under a 20% surge "
            "lasting 8 weeks.",
            hints=(
                "Set scenario B to the command preset, then move one lever at a time and watch "
                "whether B still tips. Then run my_policy = app.policy('B').",
                "Try easing control (0.4 or less) or granting more autonomy (0.5 or more); "
                "weakening the work-harder reflex alone does not help in our model.",
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
                "under tight control that pressure drains the climate improvement needs (R4, "
                "the course's extension). In our model the trap runs through the climate and "
                "control, not only through effort.",
                "c": "Not quite: the target is the same in both runs.",
                "d": "Not quite: overtime is capped at 5 hours in both; the difference is how "
                "long the pressure lasts.",
            },
            answer="b",
            hints=(
                "Compare the pressure and the climate in the two runs: which lasts longer?",
                "Control multiplies pressure's drain on the climate.",
            ),
        ),
    ],
)
