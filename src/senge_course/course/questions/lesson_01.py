"""Lesson 01's questions: command and commitment under a rising target.

Expected numbers come from `senge_course.models.capability`, computed when first judged; the
assumption-hunting item reruns the claim `trap.better-before-worse` of
`senge_course.models.claims`, and the design item runs the model on the learner's levers.
"""

from dataclasses import dataclass

from ...models.capability import COMMAND, COMMITMENT, simulate
from ...models.regime import POLICY_LEVERS as LEVERS
from .. import checks
from ..checks import (
    Choice,
    Classification,
    Exercise,
    Function,
    Prediction,
    Reflection,
    Value,
)
from .assumptions import BreakClaim

__all__ = ["EXERCISE", "LESSON", "RescueCommand", "mean_between"]


def mean_between(weeks, values, start, end):
    """Mean of `values` over the weeks `start` <= week < `end` (None if there are none)."""
    chosen = [v for w, v in zip(weeks, values, strict=True) if start <= w < end]
    return sum(chosen) / len(chosen) if chosen else None


def _runs():
    """Command and commitment after a permanent 20% rise in the target."""
    return simulate(COMMAND, target_change=0.2), simulate(COMMITMENT, target_change=0.2)


def overtake_week():
    """First week after the permanent 20% rise at which commitment outperforms command."""
    command, commitment = _runs()
    a, b = command.relative("performance"), commitment.relative("performance")
    later = (command.week > command.surge_start) & (b > a)
    return float(command.week[later.argmax()]) if later.any() else None


def ahead_at_weeks():
    """The model's answer to ``prediction_weeks``: the option of `PREDICTED_WEEKS` saying which
    regime is ahead (relative to its start) at week 30 and at week 200 after the permanent 20%
    rise at week 20, as lesson 01's section 4 reads it."""
    command, commitment = _runs()
    ahead = []
    for week in (30, 200):
        i = int(round(week / command.dt))
        a, b = command.relative("performance")[i], commitment.relative("performance")[i]
        ahead.append("command" if a > b else "commitment")
    return {
        ("command", "command"): "a",
        ("command", "commitment"): "b",
        ("commitment", "command"): "c",
        ("commitment", "commitment"): "d",
    }[tuple(ahead)]


#: Each option of `ONE_LEVER` as one lever of command pushed to the end of its range.
ONE_LEVER_CHANGES = {
    "a": {"work_harder": 0.0},
    "b": {"work_smarter": 1.0},
    "c": {"control": 0.0},
    "d": {"autonomy": 1.0},
}


def one_lever_escape():
    """The model's answer to ``prediction_one_lever``: the first option whose one lever, pushed
    to the end of its range, keeps command out of the trap after a permanent 20% rise, or
    ``"e"`` if none does."""
    for key, change in ONE_LEVER_CHANGES.items():
        if not simulate(COMMAND.replace(**change), target_change=0.2).trapped:
            return key
    return "e"


def _early_gap():
    command, commitment = _runs()
    weeks = command.week.tolist()
    early = mean_between(weeks, command.relative("performance").tolist(), 20, 50)
    late = mean_between(weeks, commitment.relative("performance").tolist(), 20, 50)
    return round(early - late, 4)


def _function_cases():
    command, commitment = _runs()
    weeks = command.week.tolist()
    return (
        ([0, 1, 2, 3], [1.0, 2.0, 3.0, 4.0], 1, 3),
        ([0, 1, 2, 3], [1.0, 2.0, 3.0, 4.0], 0, 10),
        ([0.0, 0.5, 1.0, 1.5, 2.0], [2.0, 2.0, 5.0, 5.0, 9.0], 0.5, 2.0),
        ([0, 1, 2], [1.0, 1.0, 1.0], 5, 9),
        (weeks, command.relative("performance").tolist(), 20, 50),
        (weeks, commitment.relative("performance").tolist(), 100, 300),
    )


def _climate_path(run):
    low, start = float(run.climate.min()), float(run.climate[0])
    return f"falls as low as {low:.2f}" if low < start - 0.005 else f"holds at {start:.2f}"


@dataclass(frozen=True, eq=False)
class RescueCommand(checks.Question):
    """Change at most `changes` of command's four levers so that, after a permanent rise in the
    target of `target_change`, it is not trapped and ends at least `goal` times its starting
    performance: judged by running the capability-trap model on the learner's levers.

    The answer is a dictionary of levers (``work_harder``, ``work_smarter``, ``control``,
    ``autonomy``); levers left out keep command's values, so ``app.policy("A")`` works too.
    The feedback names the loop that traps a failed design: the climate collapsed (R4), or the
    climate held and the reflex took the improvement hours (R3).

    Dropping control and adding commitment's work-smarter share rescues command; dropping the
    reflex alone does not:

    >>> q = RescueCommand("levers")
    >>> q.evaluate({"levers": {"control": 0, "work_smarter": 0.5}}).status
    'correct'
    >>> out = q.evaluate({"levers": {"work_harder": 0}})
    >>> out.status, "climate" in out.message
    ('incorrect', True)
    """

    remembers = True  # the judge runs a model: each distinct answer once

    changes: int = 2
    target_change: float = 0.2
    goal: float = 1.05

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "design")

    def judge(self, answer):
        levers = ", ".join(LEVERS)
        if not isinstance(answer, dict):
            return self._outcome(
                checks.INCORRECT,
                f"Give a dictionary of the levers you change, such as {{'control': 0.4}}; "
                f"{self.name} is a {type(answer).__name__}. The levers are: {levers}.",
            )
        unknown = sorted(str(k) for k in answer if k not in LEVERS)
        if unknown:
            return self._outcome(
                checks.INCORRECT,
                f"{' and '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not among "
                f"command's levers: use {levers}.",
            )
        try:
            regime = COMMAND.replace(**answer)
        except (TypeError, ValueError) as exc:
            return self._outcome(checks.INCORRECT, f"The model cannot run those levers: {exc}")
        changed = [k for k in LEVERS if getattr(regime, k) != getattr(COMMAND, k)]
        said = ", ".join(f"{k} {getattr(COMMAND, k):g} to {getattr(regime, k):g}" for k in changed)
        if not changed:
            return self._outcome(
                checks.INCORRECT, "That is command itself: change one or two of its levers."
            )
        if len(changed) > self.changes:
            return self._outcome(
                checks.INCORRECT,
                f"You changed {len(changed)} levers ({said}): the plant can change at most "
                f"{self.changes}.",
            )
        run = simulate(regime, target_change=self.target_change)
        end = float(run.relative("performance")[-1])
        shock = f"a permanent {self.target_change:.0%} rise"
        if run.trapped:
            if run.climate_collapsed:
                why = (
                    f"the climate for improvement fell to {run.climate[-1]:.2f}, so the "
                    "improvement hours left built nothing (R4)"
                )
            else:
                why = (
                    f"the climate held ({run.climate[-1]:.2f}), but improvement fell to "
                    f"{run.hours_improving[-1]:.0f} hours a week: the reflex took them (R3)"
                )
            return self._not_yet(
                f"You changed {said}. After {shock} this design is still trapped: capability "
                f"ends at {run.capability[-1]:.2f}, its floor, because {why}."
            )
        if end < self.goal:
            return self._not_yet(
                f"You changed {said}. After {shock} this design is not trapped, but it ends at "
                f"{end:.2f}x its start (the goal is at least {self.goal:.2f}x); its climate "
                f"{_climate_path(run)}."
            )
        return self._outcome(
            checks.CORRECT,
            f"You changed {said}. After {shock} this design ends at {end:.2f}x its start, "
            f"with {run.hours_improving[-1]:.0f} hours a week improving and a climate that "
            f"never falls below {run.climate.min():.2f}. It had to deal with both loops: the "
            "reflex that empties improvement (R3) and the control that, under a lasting gap, "
            "drains the climate (R4). With command's autonomy (0.2), even light control lets a "
            "lasting gap wear the climate down in our model; commitment keeps its climate with "
            "light control because its autonomy (0.9) rebuilds it: a third lever.",
        )


#: Walton's (1985) control and commitment strategies as workplace practice, with the model's
#: levers (work harder and work smarter are Repenning & Sterman's, 2001).
REGIME_TRAITS = {
    "a strong work-harder reflex: overtime first, then hours taken from improvement": "command",
    "part of the pressure goes into improvement time": "commitment",
    "managers direct and monitor the work closely": "command",
    "people decide how to do their work": "commitment",
    "narrow, fixed jobs and individual accountability": "command",
    "teams responsible for results, with a say in how to reach them": "commitment",
}

#: What a learner predicted in lesson 01, section 3: who is ahead at week 30 and at week 200.
PREDICTED_WEEKS = {
    "a": "command ahead at week 30 and at week 200",
    "b": "command ahead at week 30, commitment at week 200",
    "c": "commitment ahead at week 30, command at week 200",
    "d": "commitment ahead at week 30 and at week 200",
}

#: Which one of command's levers, changed alone, keeps it out of the trap (a prediction).
ONE_LEVER = {
    "a": "a much weaker work-harder reflex",
    "b": "a strong work-smarter response",
    "c": "little or no control",
    "d": "high autonomy",
    "e": "none of them alone",
}

#: What the instructor scores the reflection on (shown to the learner above the cell).
REFLECTION_CRITERIA = (
    "names a raised target and what people did first: work harder, work smarter or both",
    "says when the result was judged and what a later look showed, or would show",
    "uses a result of lesson 01's model (better before worse, the overtake week, the climate)",
    "names one assumption of the model that may not fit the case",
)

EXERCISE = Exercise(
    "01",
    [
        Prediction(
            "prediction_weeks",
            options=PREDICTED_WEEKS,
            prompt="What did you predict in lesson 01, section 3, before running the model: "
            "which regime is ahead ten weeks after the rise (week 30), and which long after "
            "(week 200)?",
            hints=("Give the prediction you made, not the model's answer: it is not marked.",),
            outcome=ahead_at_weeks,
            followup="answer_q8",  # the gain at the first review that will not last
        ),
        Classification(
            "answer_q2",
            items=REGIME_TRAITS,
            labels=("command", "commitment"),
            kind="recall",
            prompt="Does each trait belong to the command regime or the commitment regime?",
            hints=(
                "Command: high control, low autonomy, a strong work-harder reflex.",
                "Commitment: little control, high autonomy, and some of the pressure turned into "
                "improvement (work smarter).",
            ),
        ),
        Choice(
            "answer_q3",
            kind="recall",
            prompt="Edmondson (1999) found that psychological safety lets teams learn. How does "
            "our model capture this?",
            options={
                "a": "Not quite: in the model the climate does not set the hours; pressure and "
                "the work-harder reflex do, and in the trap people work the most hours of all.",
                "b": "Not quite: the target is set from outside the organisation, and no stock of "
                "the model moves it; a better climate makes it easier to meet, not higher.",
                "c": "Yes: improvement hours turn into capability only while the climate is well "
                "above its threshold. The climate lumps together what Edmondson separates.",
                "d": "Not quite: capability depends on the climate only through improvement; a "
                "team with a poor climate still produces with the capability it has.",
            },
            answer="c",
            hints=(
                "Which flow in the model does the climate for improvement multiply?",
                "Look at the trap: everyone works 45 hours, nobody improves, and the climate is "
                "0.05.",
            ),
            solution='answer_q3 = "c"  # the climate makes improvement hours effective',
        ),
        BreakClaim(
            "answer_q4",
            claim="trap.better-before-worse",
            changes=1,
            within={"target_change": (0, 10)},
            rule="That removes the rise altogether: keep a rise in the target (above 0) and ask "
            "what else the result rests on.",
            kind="reasoning",
            prompt="Better before worse breaks with 10 hours of overtime and R4 off: two changes "
            "at once. Break it with ONE change of its assumptions (overtime_cap, pressure_drain, "
            "target_change, surge_weeks, permanent), keeping a rise in the target.",
            hints=(
                "Try each of the two changes alone first: {'overtime_cap': 0.25}, then "
                "{'pressure_drain': 0}. The check tells you what the model does there.",
                "The result rests on hours leaving improvement: overtime first, then hours taken "
                "from improvement. When would the 5 hours of overtime be enough on their own? "
                "Look again at the sweep in lesson 01, section 6.",
            ),
            solution='answer_q4 = {"target_change": 0.05}  # small enough for overtime alone',
        ),
        Prediction(
            "prediction_one_lever",
            options=ONE_LEVER,
            prompt="Before you try it: which ONE of command's four levers, changed alone, keeps "
            "command out of the trap after a permanent 20% rise?",
            hints=("Any answer is fine: it is a prediction, recorded for the class debrief.",),
            outcome=one_lever_escape,
            followup="answer_q6",  # each lever alone, and why
        ),
        Choice(
            "answer_q6",
            kind="reasoning",
            prompt="Try each of command's levers alone in scenario A. What do you find, and why?",
            options={
                "a": "Yes: the reflex empties improvement (R3) and control drains the climate "
                "(R4); either loop traps command on its own, so one lever cannot cut both.",
                "b": "Not quite: with no work-harder reflex at all the gap lasts for good, and "
                "under command's tight control that lasting pressure drains the climate to 0.05: "
                "the 8 improvement hours build nothing and performance ends even lower.",
                "c": "Not quite: with no control the climate holds at 1.00, but the reflex still "
                "takes every improvement hour to meet the target, so capability sinks to its "
                "floor all the same.",
                "d": "Not quite: a work-smarter response moves hours into improvement, but the "
                "reflex of 4 takes them straight back out, and tight control drains the climate "
                "meanwhile.",
            },
            answer="a",
            hints=(
                "In the app, set scenario A's work harder to 0 and read its climate at the end; "
                "then put work harder back to 4, set control to 0 and read its hours improving.",
                "A trap has two doors in this model: improvement hours can run out (R3), or the "
                "climate can collapse so that the hours build nothing (R4).",
            ),
            solution='answer_q6 = "a"  # two loops, each able to trap command alone',
        ),
        RescueCommand(
            "answer_q7",
            prompt="Design: change at most two of command's levers so that, after a permanent "
            "20% rise, it is not trapped and ends at least 1.05 times its starting performance.",
            hints=(
                "You must cut both loops of question 6 with two levers. One of them has to "
                "protect the climate against a pressure that never ends.",
                "Set control to 0 in scenario A; then either weaken the work-harder reflex or "
                "add a work-smarter response, and watch where performance ends.",
            ),
            solution='answer_q7 = {"control": 0, "work_smarter": 0.5}  # ends at 1.17x',
        ),
        Choice(
            "answer_q8",
            kind="reasoning",
            prompt="A plant run by command raised its target 20% for good; at the first "
            "quarterly review output is well up. In our model, which one measure, tracked "
            "since the rise, has by then moved furthest the wrong way, warning that the gain "
            "will not last?",
            options={
                "a": "Not quite: output is still near its peak a quarter after the rise (1.15x "
                "at week 33) and falls below its start only around week 57: it warns last.",
                "b": "Not quite: improvement hours fall slowly at first (from 8 to about 7 a "
                "week by week 33); they reach zero only around week 50.",
                "c": "Not quite: capability is a slow stock; it has lost only about 4% by week "
                "33 and reaches its floor only years later.",
                "d": "Yes: in our model (R4, the course's extension) the climate falls below its "
                "threshold within six weeks of the rise, while output is at its peak.",
            },
            answer="d",
            hints=(
                "In the app, move 'Read values at week' to 33 and compare each of command's "
                "series with where it started.",
                "Which of the four panels has already moved a long way while performance is "
                "still near its peak? A fast stock warns before a slow one.",
            ),
            solution='answer_q8 = "d"  # the climate collapses within weeks; output much later',
        ),
        Function(
            "mean_between",
            cases=_function_cases,
            reference=mean_between,
            kind="procedure",
            prompt="Code: write mean_between(weeks, values, start, end), the mean of the values "
            "whose week is at least start and less than end (None if there are none).",
            hints=(
                "Loop over zip(weeks, values) and keep the values whose week is in range.",
                "If you kept nothing, return None; otherwise sum(kept) / len(kept).",
            ),
            solution="""
            def mean_between(weeks, values, start, end):
                chosen = [v for w, v in zip(weeks, values) if start <= w < end]
                if not chosen:
                    return None
                return sum(chosen) / len(chosen)
            """,
        ),
        Value(
            "answer_q10",
            expected=_early_gap,
            atol=0.005,
            kind="procedure",
            prompt="Code: with mean_between, compare the mean relative performance of command and "
            "commitment over weeks 20 to 50 (the 30 weeks after a permanent 20% rise). By how "
            "much is command's mean higher? (command minus commitment)",
            hints=(
                "Simulate both regimes with target_change=0.2; use run.week and "
                "run.relative('performance').",
                "mean_between(a.week, a.relative('performance'), 20, 50) minus the same for "
                "commitment.",
            ),
            solution="""
            a = simulate(COMMAND, target_change=0.2)
            b = simulate(COMMITMENT, target_change=0.2)
            answer_q10 = mean_between(a.week, a.relative("performance"), 20, 50) - mean_between(
                b.week, b.relative("performance"), 20, 50
            )  # about 0.14
            """,
            explanation="Over the first 30 weeks command averages about 0.14 (14% of its "
            "starting performance) more than commitment: a manager who judges then picks the "
            "policy that ends in the trap.",
        ),
        Reflection(
            "reflection_q11",
            min_words=30,
            criteria=REFLECTION_CRITERIA,
            prompt="Think of a time a target was raised in an organisation you know. Did people "
            "work harder, work smarter, or both? When was the result judged, and would a later "
            "judgement have told a different story?",
            hints=(
                "Name the target, what people did in the first weeks, and what happened months "
                "later.",
            ),
        ),
    ],
)

#: The checked questions inside lesson 01 itself.
LESSON = Exercise(
    "01",
    [
        Value(
            "overtake_week",
            expected=overtake_week,
            atol=2.0,
            kind="read-off",
            prompt="After a permanent 20% rise in the target, at which week does commitment's "
            "performance first overtake command's?",
            hints=(
                "Tick 'Permanent change', then move 'Read values at week' and compare the two "
                "performance values in the table under the figure.",
                "Command is ahead at week 40 (1.125x against 1.004x); commitment is ahead at "
                "week 60. Narrow it down one week at a time.",
            ),
            solution="overtake_week = 52  # commitment overtakes command at week 51.75",
            explanation="Commitment overtakes command at about week 52, some 32 weeks after the "
            "target rose: a manager who judges earlier sees command winning.",
        ),
        Choice(
            "why_command_fades",
            kind="recall",
            prompt="Why does command's performance rise at first after the target rises, and "
            "then collapse?",
            options={
                "a": "Yes: overtime and hours taken from improvement lift output at once; "
                "capability erodes after a delay (R3), and pressure under tight control drains "
                "the climate (R4, our extension).",
                "b": "Not quite: the model has no fatigue. Command ends working the most hours of "
                "all (45 a week, the most overtime allowed) and still produces less than before "
                "the rise: its process, not its people, has worn out.",
                "c": "Not quite: that is the attribution error Repenning & Sterman describe, "
                "blaming effort for what the system does. In the trap people work 45 hours; it "
                "is the process that has eroded, and closer supervision drains the climate more.",
                "d": "Not quite: commitment faces the same permanent 20% rise and ends above "
                "its start; what brings command down is how it responds to the pressure, not "
                "the size of the stretch.",
            },
            answer="a",
            hints=(
                "Look at the hours panel: which lines move first, and which later?",
                "Working harder is a fast balancing loop; capability erosion and climate erosion "
                "are slower reinforcing loops.",
            ),
        ),
    ],
)
