"""Lesson 07's questions: research, capacity building and practice in one cycle.

A plan is judged by the knowledge-cycle model; expected numbers come from the model, computed
when first judged.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from ...models.diagnosis import MODES
from ...models.knowledge import ALL_PRACTICE, best_allocation, simulate
from ...models.plan import INITIATIVES, Plan
from .. import checks
from ..checks import Choice, Classification, Exercise, Function, Reflection, Value

__all__ = [
    "BeatsFirefighting",
    "EXERCISE",
    "INITIATIVE_ACTIVITIES",
    "INITIATIVE_LEADERS",
    "LESSON",
    "SCENARIOS",
    "beats_firefighting",
    "lowest_integration",
    "switch_year",
]

#: The puzzle: integration at most this, results at least this many times all practice's.
MAX_INTEGRATION = 0.7
MARGIN = 1.2


def beats_firefighting(allocation, integration, years):
    """True if the plan delivers more than all practice over `years` years (the reference)."""
    run = simulate(allocation, integration, quarters=4 * years)
    return run.total > run.baseline_total + 1e-9


def lowest_integration(allocation=(0.2, 0.2, 0.6), *, step=None):
    """The lowest integration at which `allocation` beats all practice over 10 years.

    With `step` (0.05: the planner's slider), the lowest multiple of `step` that
    does; without, the exact value by bisection (to 1e-6).
    """

    def beats(g):
        return beats_firefighting(allocation, g, 10)

    if step is not None:
        n = round(1 / step)
        return next(round(i * step, 10) for i in range(n + 1) if beats(i * step))
    low, high = 0.0, 1.0
    while high - low > 1e-6:
        middle = (low + high) / 2
        low, high = (low, middle) if beats(middle) else (middle, high)
    return high


def switch_year(integration=1.0, *, max_years=10):
    """The shortest horizon in whole years for which the best plan is not all practice."""
    return next(
        years
        for years in range(1, max_years + 1)
        if best_allocation(4 * years, integration) != ALL_PRACTICE
    )


def _plan_from(answer):
    """(allocation, integration) from a Plan.to_dict() or {"allocation": ..., "integration": ...}."""
    if not isinstance(answer, Mapping):
        raise ValueError(
            f"expected a plan as a dictionary (run my_plan = puzzle.plan.to_dict()), got {answer!r}"
        )
    if "schema" in answer:
        plan = Plan.from_dict(answer)
        return plan.allocation, plan.integration, plan.consultants
    missing = [key for key in ("allocation", "integration") if key not in answer]
    if missing:
        raise ValueError(
            "expected a plan with 'allocation' and 'integration' (or puzzle.plan.to_dict()); "
            f"it has no {' or '.join(repr(m) for m in missing)}"
        )
    allocation = answer["allocation"]
    if isinstance(allocation, Mapping):
        allocation = [allocation.get(k, 0.0) for k in ("research", "capacity_building", "practice")]
    return allocation, answer["integration"], None


@dataclass(frozen=True, eq=False)
class BeatsFirefighting(checks.Question):
    """A plan that beats all practice over 10 years by a margin, with integration capped: judged
    by the model.

    The answer is a plan as a dictionary: what ``IntegrationPlanner.plan.to_dict()``
    returns, or ``{"allocation": (r, c, p), "integration": g}``.  The judge runs the
    knowledge-cycle model on it (without consultants) and marks it correct if
    integration is at most `max_integration` and its results over 10 years are at
    least `margin` times all practice's.

    The balanced plan at integration 0.7 beats firefighting by 22%; at 0.6 it does not
    reach 20%, and fully integrated plans are outside the puzzle:

    >>> q = BeatsFirefighting("my_plan")
    >>> q.evaluate({"my_plan": {"allocation": (0.2, 0.2, 0.6), "integration": 0.7}}).status
    'correct'
    >>> out = q.evaluate({"my_plan": {"allocation": (0.2, 0.2, 0.6), "integration": 0.6}})
    >>> out.status, out.message.split(",")[3]
    ('incorrect', ' 1.11 times all practice (40); the goal is 48 (1.2 times).')
    >>> print(q.evaluate({"my_plan": {"allocation": (0.2, 0.2, 0.6),
    ...                               "integration": 1.0}}).message.split(";")[0])
    Integration is 1.00, above this puzzle's limit of 0.70
    """

    max_integration: float = MAX_INTEGRATION
    margin: float = MARGIN

    def judge(self, answer):
        try:
            allocation, integration, consultants = _plan_from(answer)
            run = simulate(allocation, integration)
        except (ValueError, TypeError) as exc:
            return self._outcome(checks.INCORRECT, f"That plan cannot be simulated: {exc}.")
        r, c, p = (round(100 * s) for s in run.allocation)
        shares = f"research {r}%, capacity building {c}%, practice {p}%"
        goal = self.margin * run.baseline_total
        if run.integration > self.max_integration + 1e-9:
            return self._outcome(
                checks.INCORRECT,
                f"Integration is {run.integration:.2f}, above this puzzle's limit of "
                f"{self.max_integration:.2f}; set it to {self.max_integration:.2f} or less and "
                "look for shares that still beat firefighting.",
            )
        note = (
            " (consultants are left out: the puzzle is about your own effort)"
            if consultants is not None
            else ""
        )
        ratio = run.total / run.baseline_total
        if run.total + 1e-9 < goal:
            return self._outcome(
                checks.INCORRECT,
                f"{shares.capitalize()} at integration {run.integration:.2f} delivers "
                f"{run.total:.1f} over 10 years, {ratio:.2f} times all practice ({run.baseline_total:.0f}); "
                f"the goal is {goal:.0f} ({self.margin:.1f} times){note}.",
            )
        return self._outcome(
            checks.CORRECT,
            f"{shares.capitalize()} at integration {run.integration:.2f} delivers {run.total:.1f} "
            f"over 10 years, {ratio:.2f} times all practice, after a dip to "
            f"{run.results.min():.2f} a quarter; its cumulative results overtake firefighting's "
            f"in quarter {run.payback_quarter}{note}.",
        )


#: Exercise questions 1 and 2: each initiative of the catalogue, its activity and the kind of
#: leader it needs most.
INITIATIVE_ACTIVITIES = {i.name: i.activity for i in INITIATIVES.values()}
INITIATIVE_LEADERS = {i.name: i.leader for i in INITIATIVES.values()}

#: Exercise question 3: stories, the plan each describes (allocation, integration, consultants as
#: (capability rented, quarter they stop) or None) and its diagnosis.
SCENARIOS = {
    "Everyone works on this quarter's orders; the training and research budgets were cut to zero": (
        (0.0, 0.0, 1.0),
        0.5,
        None,
        "firefighting",
    ),
    "A university team studies the firm with its own methods (research 60%), the firm keeps "
    "working (practice 40%), and nobody is trained in what the researchers find": (
        (0.6, 0.0, 0.4),
        0.5,
        None,
        "ivory tower",
    ),
    "Research 20%, capacity building 20% and practice 60%, but researchers, trainers and "
    "practitioners sit in different buildings and never meet (integration 0.2)": (
        (0.2, 0.2, 0.6),
        0.2,
        None,
        "fragmented",
    ),
    "Consultants worth half the firm's own capability do the work for two years while the "
    "firm does nothing else differently, then leave": (
        (0.0, 0.0, 1.0),
        1.0,
        (0.5, 8),
        "consulting dependency",
    ),
    "Research 20%, capacity building 20% and practice 60%, all working on the same problems in "
    "learning laboratories (integration 0.9)": ((0.2, 0.2, 0.6), 0.9, None, "integrated"),
}


STORIES = {story: mode for story, (*_, mode) in SCENARIOS.items()}


EXERCISE = Exercise(
    "07",
    [
        Classification(
            "answer_q1",
            items=INITIATIVE_ACTIVITIES,
            labels=("research", "capacity building", "practice"),
            prompt="Which activity does each initiative belong to: research, capacity building "
            "or practice?",
            hints=(
                "Research turns experience into theory; capacity building turns theory into "
                "people's skills; practice is the work itself, done in a new way.",
                "The initiatives' descriptions are in the planner's Initiative list (and in "
                "senge_course.models.plan.INITIATIVES): three belong to each activity.",
            ),
        ),
        Classification(
            "answer_q2",
            items=INITIATIVE_LEADERS,
            labels=("local line leader", "executive leader", "internal networker"),
            prompt="Which kind of leader does each initiative need most?",
            hints=(
                "Line leaders run things in their own teams; executives fund, protect and mentor; "
                "networkers carry knowledge between teams without formal authority.",
                "Each kind of leader leads three of the nine initiatives.",
            ),
        ),
        Classification(
            "answer_q3",
            items=STORIES,
            labels=tuple(MODES),
            prompt="Diagnose each organisation: ivory tower, consulting dependency, firefighting, "
            "fragmented or integrated?",
            hints=(
                "Ask first which activity is missing (research, capacity building or practice), "
                "then whether the three are coupled, then who does the work.",
                "You can check any of them in the planner: set its shares, integration and "
                "consultants, and read the diagnosis.",
            ),
        ),
        Value(
            "answer_q4",
            expected=partial(lowest_integration, step=0.05),
            atol=0.01,
            prompt="In the planner, with research 20%, capacity building 20% and practice 60%: "
            "what is the lowest integration on the slider at which the plan delivers more than "
            "all practice over 10 years?",
            hints=(
                "Move the integration slider one step at a time and compare the two lines of "
                "the cumulative results (or the totals in the summary under the figure).",
                "It is above 0.5: at 0.50 the plan delivers 39.9, just short of all practice's 40.",
            ),
            solution="answer_q4 = 0.55  # 39.9 at 0.50, 42.2 at 0.55",
            explanation="From 0.55 on the slider (42.2 against 40); at 0.50 the balanced plan "
            "delivers 39.9. Below that, fragmented learning costs more than it returns.",
        ),
        Choice(
            "answer_q5",
            prompt="In Nonaka's SECI spiral, which mode of knowledge conversion is closest to "
            "capacity building (turning theory into people's own skill)?",
            options={
                "a": "Not quite: socialisation shares tacit knowledge directly, person to person, "
                "as in an apprenticeship: closer to practice together.",
                "b": "Not quite: externalisation turns tacit knowledge into explicit concepts: "
                "closer to research drawing on experience.",
                "c": "Not quite: combination recombines explicit knowledge into new explicit "
                "knowledge: research and theory building.",
                "d": "Yes: internalisation embodies explicit knowledge in people's tacit "
                "know-how (learning by doing, training, rehearsal in a learning laboratory).",
            },
            answer="d",
            hints=(
                "Capacity building goes from theory (explicit) to skill (tacit).",
                "Which mode goes from explicit to tacit knowledge?",
            ),
            solution='answer_q5 = "d"  # internalisation: explicit to tacit',
        ),
        Value(
            "answer_q6",
            expected=lambda: round(lowest_integration(), 4),
            atol=0.01,
            prompt="Code: find, to 0.01, the lowest integration at which the balanced plan "
            "(research 20%, capacity building 20%, practice 60%) delivers more than all practice "
            "over 10 years.",
            hints=(
                "simulate(BALANCED, g).total is the plan's total over 10 years; all practice "
                "delivers 40.",
                "Loop g over 0.40, 0.41, ... and stop at the first whose total exceeds 40.",
            ),
            solution="""
            answer_q6 = None
            for step in range(101):
                g = step / 100
                if simulate(BALANCED, g).total > 40:
                    answer_q6 = g  # 0.51 (exactly about 0.502)
                    break
            """,
            explanation="About 0.502: at 0.50 the balanced plan delivers 39.92, at 0.51 just over 40.",
        ),
        Function(
            "beats_firefighting",
            cases=(
                ((0.2, 0.2, 0.6), 1.0, 1),
                ((0.2, 0.2, 0.6), 1.0, 2),
                ((0.2, 0.2, 0.6), 1.0, 3),
                ((0.2, 0.2, 0.6), 0.5, 10),
                ((0.2, 0.2, 0.6), 0.55, 10),
                ((1 / 3, 1 / 3, 1 / 3), 0.75, 10),
                ((0.0, 0.0, 1.0), 1.0, 10),
                ((1.0, 0.0, 0.0), 1.0, 5),
            ),
            reference=beats_firefighting,
            prompt="Code: write beats_firefighting(allocation, integration, years): True if the "
            "plan delivers more results than all practice over that many years.",
            hints=(
                "run = simulate(allocation, integration, quarters=4 * years): a year is 4 quarters.",
                "Compare run.total with run.baseline_total (what all practice delivers); all "
                "practice itself does not beat itself.",
            ),
            solution="""
            def beats_firefighting(allocation, integration, years):
                run = simulate(allocation, integration, quarters=4 * years)
                return run.total > run.baseline_total + 1e-9
            """,
        ),
        Reflection(
            "reflection_q8",
            min_words=30,
            prompt="Where are research, capacity building and practice done for your "
            "organisation, and by whom? Which failure mode does it come closest to, and which "
            "initiative would couple the three more tightly?",
            hints=(
                "Name the institutions (a university, a consultancy, a training department, "
                "the line) and what passes between them.",
            ),
        ),
    ],
)

#: The checked questions inside lesson 07 itself.
LESSON = Exercise(
    "07",
    [
        Value(
            "switch_year",
            expected=switch_year,
            prompt="What is the shortest planning horizon, in whole years, for which the best "
            "plan is not all practice?",
            hints=(
                "Read the table of the best plan for each horizon.",
                "Over 2 years the balanced plan delivers 7.87 against 8 for all practice.",
            ),
            solution="switch_year = 3  # over 1 or 2 years nothing beats firefighting",
            explanation="3 years: over 1 or 2 years all practice is best (4.00 and 8.00); over 3, "
            "a balanced plan delivers 13.5 against 12.",
        ),
        BeatsFirefighting(
            "my_plan",
            prompt="With integration at most 0.7, find shares of effort that deliver at least "
            "20% more than all practice over 10 years (48 or more).",
            hints=(
                "Set integration to 0.70 first: at 0.65 or less no shares reach 48.",
                "Give research and capacity building about 20% each, then move one slider a few "
                "points at a time, watching the total in the summary under the figure.",
            ),
            solution="my_plan = {'allocation': (0.2, 0.25, 0.55), 'integration': 0.7}  "
            "# 48.8 over 10 years",
        ),
        Choice(
            "why_dip",
            prompt="Why does the balanced, integrated plan first deliver less than firefighting?",
            options={
                "a": "Not quite: research and capacity building are not wasteful; they pay back "
                "from quarter 5, and by quarter 9 the plan has caught up in total.",
                "b": "Yes: effort leaves practice at once, but theory and capability build up "
                "only over quarters (the delays on the research and capacity-building links), so "
                "results dip before the reinforcing loop pays back: worse before better.",
                "c": "Not quite: there are no consultants in this plan.",
                "d": "Not quite: integration raises results in the long run; it does not lower "
                "them at the start (a fragmented plan dips too, and never recovers).",
            },
            answer="b",
            hints=(
                "What happens at once when effort moves out of practice, and what happens only "
                "later?",
                "Look for the delay marks (||) on the cycle's links.",
            ),
        ),
    ],
)
