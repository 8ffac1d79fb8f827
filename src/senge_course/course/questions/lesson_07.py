"""Lesson 07's questions: research, capacity building and practice in one cycle.

A plan is judged by the knowledge-cycle model; expected numbers come from the model, computed
when first judged.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from ...models.diagnosis import MODES
from ...models.knowledge import ALL_PRACTICE, best_allocation, simulate
from ...models.plan import INITIATIVES, Plan
from .. import checks
from ..checks import Choice, Classification, Exercise, Function, Prediction, Reflection, Value
from .assumptions import BreakClaim

__all__ = [
    "BeatsFirefighting",
    "DEFENSIBLE_ACTIVITIES",
    "EXERCISE",
    "INITIATIVE_ACTIVITIES",
    "INITIATIVE_LEADERS",
    "LESSON",
    "PLANS",
    "SCENARIOS",
    "ShallowDip",
    "beats_firefighting",
    "lowest_integration",
    "switch_year",
]

#: The puzzle: integration at most this, results at least this many times all practice's.
MAX_INTEGRATION = 0.7
MARGIN = 1.2

#: The exercise's design item: results never below this a quarter, at least this over 10 years.
DIP_FLOOR = 0.85
DIP_GOAL = 45.0

#: The four plans of the lesson's prediction (section 4), as the options the learner picks from.
PLANS = {
    "a": "all practice",
    "b": "all research",
    "c": "balanced, integration 0.25",
    "d": "balanced, integration 1.00",
}


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
    """The shortest horizon in whole years for which the best plan is not all practice (None if
    all practice is best over every horizon up to `max_years`).

    Fully integrated the switch comes after 3 years; at integration 0.75, a year later:

    >>> switch_year(), switch_year(0.75), switch_year(0.5)
    (3, 4, None)
    """
    return next(
        (
            years
            for years in range(1, max_years + 1)
            if best_allocation(4 * years, integration) != ALL_PRACTICE
        ),
        None,
    )


def _plan_from(answer, example="my_plan = puzzle.plan.to_dict()"):
    """(allocation, integration) from a Plan.to_dict() or {"allocation": ..., "integration": ...}."""
    if not isinstance(answer, Mapping):
        raise ValueError(f"expected a plan as a dictionary (run {example}), got {answer!r}")
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

    remembers = True  # the judge runs a model: each distinct answer once

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


@dataclass(frozen=True, eq=False)
class ShallowDip(checks.Question):
    """A plan whose dip the board can live with: results never below `floor` a quarter, and at
    least `goal` over 10 years; judged by running the knowledge-cycle model on it.

    The answer is a plan as for `BeatsFirefighting`.  The balanced plan fully integrated pays
    well but dips too deep; a lighter plan, integrated, meets both goals:

    >>> q = ShallowDip("gentle")
    >>> balanced = {"allocation": (0.2, 0.2, 0.6), "integration": 1.0}
    >>> print(q.evaluate({"gentle": balanced}).message.split(" at integration 1.00 ")[1])
    dips to 0.73 a quarter in quarter 1, below the board's floor of 0.85.
    >>> q.evaluate({"gentle": {"allocation": (0.1, 0.1, 0.8), "integration": 1.0}}).status
    'correct'
    """

    remembers = True  # the judge runs a model: each distinct answer once

    floor: float = DIP_FLOOR
    goal: float = DIP_GOAL

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "design")

    def judge(self, answer):
        try:
            allocation, integration, consultants = _plan_from(
                answer, f"{self.name} = planner.plan.to_dict()"
            )
            run = simulate(allocation, integration)
        except (ValueError, TypeError) as exc:
            return self._outcome(checks.INCORRECT, f"That plan cannot be simulated: {exc}.")
        r, c, p = (round(100 * s) for s in run.allocation)
        plan = f"Research {r}%, capacity building {c}%, practice {p}% at integration {run.integration:.2f}"
        lowest, when = float(run.results.min()), int(run.results.argmin()) + 1
        problems = []
        if lowest < self.floor - 1e-9:
            problems.append(
                f"dips to {lowest:.2f} a quarter in quarter {when}, below the board's floor of "
                f"{self.floor:.2f}"
            )
        if run.total < self.goal - 1e-9:
            problems.append(
                f"delivers {run.total:.1f} over 10 years, short of the goal of {self.goal:.0f} "
                f"(all practice: {run.baseline_total:.0f})"
            )
        if problems:
            return self._not_yet(f"{plan} {' and '.join(problems)}.")
        note = " (consultants are left out)" if consultants is not None else ""
        return self._outcome(
            checks.CORRECT,
            f"{plan} dips no lower than {lowest:.2f} a quarter (quarter {when}) and delivers "
            f"{run.total:.1f} over 10 years, {run.total / run.baseline_total:.2f} times all "
            f"practice{note}.",
        )


#: Exercise question 3: each initiative of the catalogue and its activity (the catalogue's label).
INITIATIVE_ACTIVITIES = {i.name: i.activity for i in INITIATIVES.values()}
#: The kind of leader each initiative needs most (the catalogue's label; lesson 08 uses them).
INITIATIVE_LEADERS = {i.name: i.leader for i in INITIATIVES.values()}
#: Other activities that are defensible for an initiative, with the reason (they earn full marks):
#: the lesson's own Kolb table puts reflecting on experience under research.
DEFENSIBLE_ACTIVITIES = {
    "After-action reviews": {
        "research": "a review reflects on experience and draws lessons from it: Kolb's reflective "
        "observation, which the lesson's table maps to research",
    },
    "Community of practice": {
        "practice": "its members share know-how while doing similar work, which is how Wenger's "
        "communities of practice learn",
    },
    "Internal networkers' forum": {
        "capacity building": "carrying practices from team to team builds other teams' "
        "capabilities",
    },
}

#: Exercise question 4: stories, the plan each describes (allocation, integration, consultants as
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


#: Each option of `PLANS` as (allocation, integration): lesson 07, section 4.
PLAN_SETTINGS = {
    "a": ((0.0, 0.0, 1.0), 1.0),
    "b": ((1.0, 0.0, 0.0), 1.0),
    "c": ((0.2, 0.2, 0.6), 0.25),
    "d": ((0.2, 0.2, 0.6), 1.0),
}


def best_plan(quarters):
    """The model's answer to a prediction of `PLANS`: the plan whose cumulative results over
    the first `quarters` quarters are the largest (40 quarters = 10 years)."""
    totals = {
        key: float(simulate(allocation, integration).cumulative[quarters - 1])
        for key, (allocation, integration) in PLAN_SETTINGS.items()
    }
    return max(totals, key=totals.get)


def _predict(name, horizon, quarters):
    return Prediction(
        name,
        options=PLANS,
        prompt=f"Before you look again: which of the four plans delivers the most over {horizon}?",
        hints=("Think about what happens at once when effort leaves practice, and what later.",),
        outcome=lambda: best_plan(quarters),
        followup="answer_q9",  # the horizon at which the best plan stops being all practice
    )


EXERCISE = Exercise(
    "07",
    [
        _predict("prediction_best_10_years", "10 years", 40),
        _predict("prediction_best_1_year", "the first year", 4),
        Classification(
            "answer_q3",
            items=INITIATIVE_ACTIVITIES,
            labels=("research", "capacity building", "practice"),
            alternatives={k: tuple(v) for k, v in DEFENSIBLE_ACTIVITIES.items()},
            kind="recall",
            prompt="Which activity does each initiative belong to: research, capacity building "
            "or practice? Where two answers are defensible, both earn the mark.",
            hints=(
                "Research turns experience into theory; capacity building turns theory into "
                "people's skills; practice is the work itself, done in a new way.",
                "The initiatives' descriptions are printed above the question. Ask of each: does "
                "it produce theory, skill, or results in the real work?",
            ),
        ),
        Classification(
            "answer_q4",
            items=STORIES,
            labels=tuple(MODES),
            kind="recall",
            prompt="Diagnose each organisation: ivory tower, consulting dependency, firefighting, "
            "fragmented or integrated?",
            hints=(
                "Ask first which activity is missing (research, capacity building or practice), "
                "then whether the three are coupled, then who does the work.",
                "You can check any of them in the planner: set its shares, integration and "
                "consultants, and read the diagnosis.",
            ),
        ),
        Choice(
            "answer_q5",
            kind="recall",
            prompt="In Nonaka's SECI spiral, which mode of knowledge conversion is closest to "
            "capacity building (turning theory into people's own skill)?",
            options={
                "a": "Not quite: socialisation shares tacit knowledge directly, person to person, "
                "as in an apprenticeship or a pilot team working side by side: that is closer to "
                "practice done together.",
                "b": "Not quite: externalisation turns tacit know-how into explicit concepts, "
                "models and metaphors: that is closer to research drawing on experience.",
                "c": "Not quite: combination recombines explicit knowledge into new explicit "
                "knowledge, as in a report or a theory: research and theory building.",
                "d": "Yes: internalisation turns explicit knowledge into tacit know-how, by "
                "training and by doing.",
            },
            answer="d",
            hints=(
                "Capacity building goes from theory (explicit) to skill (tacit).",
                "Which mode goes from explicit to tacit knowledge?",
            ),
            solution='answer_q5 = "d"  # internalisation: explicit to tacit',
        ),
        BreakClaim(
            "answer_q6",
            claim="cycle.consultants-leave-below-start",
            changes=1,
            kind="reasoning",
            prompt="The firm that only firefights and rents consultants for two years ends below "
            "where it started once they leave. With ONE change to the setting, make it end at or "
            "above where it started (the lesson needed two changes).",
            hints=(
                "The lesson's diagnosis suggests a remedy: build your own capacity while the "
                "consultants are there. Which assumption of the setting is the firm's own plan?",
                "Capacity building turns theory into skill, and only research makes theory: what "
                "happens to a firm that trains but never researches?",
            ),
            solution="answer_q6 = {'allocation': (0.1, 0.1, 0.8)}  # research 10%, capacity "
            "building 10%: results after they leave stay at 1.09 or more",
        ),
        BreakClaim(
            "answer_q7",
            claim="cycle.integration-pays",
            changes=1,
            keep=("max_capability",),
            kind="reasoning",
            prompt="The lesson broke 'integration pays' by lowering max_capability. Leave "
            "max_capability at 3 and break the result with one change to another of its "
            "assumptions.",
            hints=(
                "The loop's gain is the product of its three links. Which of the claim's other "
                "assumptions sets the strength of a link?",
                "Capacity building's link grows with the teaching rate and with integration: "
                "weaken one of them until the dip no longer pays back within 10 years.",
            ),
            solution="answer_q7 = {'teaching_rate': 0.9}  # or {'integration': 0.45}: 38.3 "
            "against 40 at teaching rate 0.9",
        ),
        ShallowDip(
            "answer_q8",
            prompt="Design a plan whose results never fall below 0.85 a quarter and that "
            "delivers at least 45 over 10 years (any integration up to 1).",
            hints=(
                "The dip comes from effort leaving practice at once: the more you move into "
                "learning, the deeper it is. The balanced plan dips to 0.73.",
                "Keep both research and capacity building (one without the other cannot feed the "
                "loop), but smaller, and couple them fully.",
            ),
            solution="answer_q8 = {'allocation': (0.1, 0.1, 0.8), 'integration': 1.0}  "
            "# lowest 0.86, 50.4 over 10 years",
        ),
        Choice(
            "answer_q9",
            kind="reasoning",
            prompt="Fully integrated, the best plan stops being all practice once the horizon "
            "reaches a few years. At integration 0.75 instead, when does it?",
            options={
                "a": "Not quite: the first-year dip is about as deep at 0.75 (the effort leaves "
                "practice all the same), and the weaker loop repays it more slowly, not sooner.",
                "b": "Not quite: the delays of theory and skill are the same, but they are not all "
                "that sets the crossover: each round of a weaker loop returns less.",
                "c": "Yes: a weaker loop returns less each round, so the same dip takes longer "
                "to repay: a year later, at 4 years.",
                "d": "Not quite: at 0.75 the loop's gain is still above 1 (1.08), so learning "
                "still pays within the decade; below about 0.5 it never does.",
            },
            answer="c",
            hints=(
                "Integration scales the research and capacity-building links; what does a weaker "
                "loop do to how fast the dip is repaid?",
                "In the planner, set integration to 0.75 and the horizon to 3, then 4 years: can "
                "any shares beat all practice? (In code: best_allocation(4 * years, 0.75).)",
            ),
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
            kind="procedure",
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
            "reflection_q11",
            min_words=30,
            criteria=(
                "says where research, capacity building and practice are done, and by whom",
                "names the failure mode it comes closest to, with a reason",
                "proposes an initiative that would couple the three, and who would lead it",
                "uses a result of the model or names an assumption it rests on",
            ),
            prompt="Where are research, capacity building and practice done for your "
            "organisation, and by whom? Which failure mode does it come closest to, and which "
            "initiative would couple the three more tightly?",
            hints=(
                "Name the institutions (a university, a consultancy, a training department, "
                "the line) and what passes between them.",
            ),
            solution="An example (yours is about your own organisation): our research happens "
            "at a university, training is bought in and the wards practise, and nothing the wards "
            "learn reaches the researchers: fragmented. A learning history written by our "
            "internal networkers with the university would couple them. The model says loose "
            "coupling costs more than it returns, but only while skills erode within a year.",
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
            kind="read-off",
            prompt="What is the shortest planning horizon, in whole years, for which the best "
            "plan is not all practice?",
            hints=(
                "Read the table of the best plan for each horizon: in which row does the best "
                "plan first put effort into research and capacity building?",
                "Over 2 years the balanced plan delivers 7.87 against 8 for all practice.",
            ),
            solution="switch_year = 3  # over 1 or 2 years nothing beats firefighting",
            explanation="3 years: over 1 or 2 years all practice is best (4.00 and 8.00); over 3, "
            "a balanced plan delivers 13.5 against 12.",
        ),
        BeatsFirefighting(
            "my_plan",
            kind="design",
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
            kind="recall",
            prompt="Why does the balanced, integrated plan first deliver less than firefighting?",
            options={
                "a": "Not quite: research and capacity building are not wasteful; they pay back "
                "from quarter 5, and by quarter 9 the plan has caught up in total.",
                "b": "Yes: effort leaves practice at once, but theory and capability build up "
                "only over quarters, so results dip before the loop pays back.",
                "c": "Not quite: there are no consultants in this plan; it is the firm's own "
                "effort that moves, and the dip comes from where it moves to and when it pays.",
                "d": "Not quite: integration raises results in the long run; it does not lower "
                "them at the start (a fragmented plan dips too, even deeper, and never "
                "recovers).",
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
