"""Lesson 01's questions: command and commitment under a rising target.

Expected numbers come from `senge_course.models.capability`, computed when first judged.
"""

from ...models.capability import COMMAND, COMMITMENT, simulate
from ..checks import Choice, Classification, Exercise, Function, Reflection, Value

__all__ = ["EXERCISE", "LESSON", "mean_between"]


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

EXERCISE = Exercise(
    "01",
    [
        Choice(
            "answer_q1",
            prompt="Walton (1985) contrasted two workplace strategies. Which describes the "
            "commitment strategy?",
            options={
                "a": "Not quite: narrow jobs, close supervision and individual accountability "
                "are Walton's control strategy.",
                "b": "Yes: broader jobs, teams responsible for results, fewer layers and a voice "
                "in decisions are how Walton describes the commitment strategy.",
                "c": "Not quite: pay for output alone still treats people as a cost to control; "
                "Walton's commitment strategy rests on shared goals and responsibility.",
            },
            answer="b",
            hints=(
                "Reread the lesson's paragraph on Walton (1985).",
                "Commitment gives people responsibility and a voice; control specifies and "
                "supervises.",
            ),
            solution='answer_q1 = "b"  # broad jobs, teams, fewer layers, a voice in decisions',
        ),
        Classification(
            "answer_q2",
            items=REGIME_TRAITS,
            labels=("command", "commitment"),
            prompt="Does each trait belong to the command regime or the commitment regime?",
            hints=(
                "Command: high control, low autonomy, a strong work-harder reflex.",
                "Commitment: little control, high autonomy, and some of the pressure turned into "
                "improvement (work smarter).",
            ),
        ),
        Choice(
            "answer_q3",
            prompt="Edmondson (1999) found that psychological safety lets teams learn. How does "
            "our model capture this?",
            options={
                "a": "Not quite: the climate for improvement does not change how many hours "
                "people work in the model; pressure and the work-harder reflex do.",
                "b": "Not quite: the target is set from outside; the climate does not move it.",
                "c": "Yes, roughly: improvement hours become capability only when the climate for "
                "improvement is well above a threshold; in a poor climate people put in the hours "
                "but little learning comes of them. The climate is one stock that lumps together "
                "trust, psychological safety and commitment, which Edmondson separates.",
            },
            answer="c",
            hints=(
                "Which flow in the model does the climate for improvement multiply?",
                "Look at the trap: everyone works 45 hours, nobody improves, and the climate is "
                "0.05.",
            ),
            solution='answer_q3 = "c"  # the climate makes improvement hours effective',
        ),
        Value(
            "answer_q4",
            expected=lambda: round(float(_runs()[0].relative("performance").max()), 4),
            atol=0.01,
            prompt="After a permanent 20% rise in the target, what is command's highest "
            "performance, relative to its start? Read it off the ScenarioComparer.",
            hints=(
                "Tick 'Permanent change' with the target change at 20%, then read the summary "
                "under the figure.",
                "The summary says 'performance first rises to ...x its start'.",
            ),
            solution="answer_q4 = 1.16  # command's peak, around week 24",
            explanation="Command peaks at 1.16 times its starting performance around week 24: "
            "overtime and hours taken from improvement, before capability erodes.",
        ),
        Value(
            "answer_q5",
            expected=lambda: round(float(_runs()[1].climate[-1]), 4),
            atol=0.01,
            prompt="Code: simulate COMMITMENT with a permanent 20% rise in the target. What is "
            "its climate for improvement at the end of the run (week 300), to 0.01?",
            hints=(
                "run = simulate(COMMITMENT, target_change=0.2); the climate series is run.climate.",
                "The last value of an array is run.climate[-1].",
            ),
            solution="""
            run = simulate(COMMITMENT, target_change=0.2)
            answer_q5 = round(float(run.climate[-1]), 2)  # 0.64
            """,
            explanation="In our model commitment never quite meets a target 20% higher, so some "
            "pressure lasts and costs climate (0.99 to 0.64), but the climate stays well above "
            "the threshold (0.35) where improvement stops working.",
        ),
        Function(
            "mean_between",
            cases=_function_cases,
            reference=mean_between,
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
            "answer_q7",
            expected=_early_gap,
            atol=0.005,
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
            answer_q7 = mean_between(a.week, a.relative("performance"), 20, 50) - mean_between(
                b.week, b.relative("performance"), 20, 50
            )  # about 0.14
            """,
            explanation="Over the first 30 weeks command averages about 0.14 (14% of its "
            "starting performance) more than commitment: a manager who judges then picks the "
            "policy that ends in the trap.",
        ),
        Reflection(
            "reflection_q8",
            min_words=30,
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
            prompt="Why does command's performance rise at first after the target rises, and "
            "then collapse?",
            options={
                "a": "Yes: people work overtime and take hours from improvement, so output rises "
                "at once; capability erodes after a delay (R3), and in our model pressure under "
                "tight control also drains the climate that improvement needs (R4, the course's "
                "extension).",
                "b": "Not quite: the target stays 20% higher for good; nothing about it falls.",
                "c": "Not quite: both regimes start with the same capability; what differs is how "
                "they respond to pressure.",
                "d": "Not quite: hours do not run out; command ends working the most hours of "
                "all (45 a week).",
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
