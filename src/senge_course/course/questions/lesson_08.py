"""Lesson 08's questions: the capstone design (judged by the coupled models and the budget),
designs under a constraint and a shock, reasoning about the models and their couplings, the
design memo's threats to validity, the reflections (read by an instructor) and the course's
concept check, after the course (graded).

Expected numbers come from the models, computed when first judged.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from ...models.assignment import DEFAULT
from ...models.capstone import COMMITTED_GOAL, Design, assess
from ...models.leadership import SCENARIOS
from ...models.plan import Plan
from .. import checks
from ..checks import Choice, Classification, Exercise, Prediction, Reflection, Value
from ..memo import MemoCheck
from .concepts import ConceptCheck

__all__ = [
    "COMMUNITY",
    "COMMUNITY_ALTERNATIVES",
    "EXERCISE",
    "LEAVING",
    "LESSON",
    "CapstoneGoals",
    "as_design",
    "fewest_networkers",
]

#: Question 6's assignment: the course's settings, with the best-placed networker leaving at
#: the start (quarter 0).
LEAVING = DEFAULT.replace(shock={"kind": "networker_leaves", "quarter": 0})


def as_design(answer):
    """The capstone `Design` of a design dictionary (`Design.to_dict()`, or its four parts)."""
    if not isinstance(answer, Mapping):
        raise ValueError(
            "expected a design as a dictionary (run my_design = dashboard.design.to_dict()), "
            f"got {answer!r}"
        )
    if "schema" in answer:
        return Design.from_dict(answer)
    needed = ("levers", "regime", "allocation", "integration")
    missing = [key for key in needed if key not in answer]
    if missing:
        raise ValueError(
            f"expected a design with {', '.join(needed)} (or dashboard.design.to_dict()); "
            f"it has no {', '.join(repr(m) for m in missing)}"
        )
    plan = Plan("My design", allocation=answer["allocation"], integration=answer["integration"])
    return Design(plan, levers=answer["levers"], regime=answer["regime"])


@dataclass(frozen=True, eq=False)
class CapstoneGoals(checks.Question):
    """A design that meets the capstone's goals under the coupled models, within the budget.

    The answer is a design as a dictionary: what ``CapstoneDashboard.design.to_dict()``
    returns, or ``{"levers": ..., "regime": ..., "allocation": ..., "integration": ...}``
    with the levers and regime as dictionaries of their fields (or names, such as
    ``"all three"`` and ``"commitment"``).  The judge runs the coupled models under
    `assignment` (None: the course's settings, `senge_course.models.assignment.DEFAULT`),
    as the dashboard does, and prices the design at its prices: it is correct if the design
    meets every goal and fits the available budget.  The feedback names the goals not met and
    how far over budget the design is, never a design.

    >>> q = CapstoneGoals("my_design")
    >>> good = {"levers": {"pilot_teams": 1, "mentoring": 1.0, "networkers": 3},
    ...         "regime": "commitment", "allocation": (0.2, 0.2, 0.6), "integration": 1.0}
    >>> q.evaluate({"my_design": good}).status
    'correct'
    >>> out = q.evaluate({"my_design": {**good, "levers": "all three"}})
    >>> out.status, out.message.split(":")[0]
    ('incorrect', 'Your design meets all three goals but costs 54.4 budget points')
    """

    remembers = True  # the judge runs a model: each distinct answer once

    #: Constraints the design must keep as well: pairs ``(what it says, predicate on the
    #: Design)``, such as ``("at most one pilot team", lambda d: d.levers.pilot_teams <= 1)``.
    limits: tuple = ()
    #: The assignment the design is judged under (None: the course's settings).
    assignment: object = None

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "design")

    def judge(self, answer):
        assignment = DEFAULT if self.assignment is None else self.assignment
        try:
            design = as_design(answer)
            coupled = assignment.assess(design)
            price = assignment.cost(design)
        except (ValueError, TypeError) as exc:
            return self._outcome(checks.INCORRECT, f"That design cannot be simulated: {exc}.")
        broken = [text for text, keeps in self.limits if not keeps(design)]
        if broken:
            return self._not_yet(
                f"Your design does not keep to the constraint: {', '.join(broken)}. Change it "
                "there first, then meet the goals within it."
            )
        report = coupled.report
        budget = assignment.available_budget
        detail = (
            f"under the coupled models {report.committed:.0%} of people are committed on "
            f"average; the regime {'falls into' if report.capability.trapped else 'stays out of'} "
            f"the trap under the surge; the knowledge plan is diagnosed {report.diagnosis.mode} "
            f"({report.knowledge.total:.1f} over 10 years against 40); it costs "
            f"{round(price.total, 2):g} of {budget:g} budget points"
        )
        fits = price.within(budget)
        if coupled.passed and fits:
            return self._outcome(
                checks.CORRECT, f"Your design meets all three goals within the budget: {detail}."
            )
        if coupled.passed:
            over = round(price.total - budget, 2)
            return self._outcome(
                checks.INCORRECT,
                f"Your design meets all three goals but costs {round(price.total, 2):g} budget "
                f"points: {over:g} over the budget of {budget:g}. Find what it can do without. "
                f"{detail[0].upper()}{detail[1:]}.",
            )
        met = sum(coupled.verdicts.values())
        missed = [goal for goal, ok in coupled.verdicts.items() if not ok]
        return self._outcome(
            checks.INCORRECT,
            f"Your design meets {met} of the 3 goals; not yet: {', '.join(missed)}"
            f"{'' if fits else ', and it is over budget'}. {detail[0].upper()}{detail[1:]}.",
        )


def one_pilot_share():
    """The model's answer to ``prediction_one_pilot``: the share committed with one pilot team
    (the other levers as in "all three"), the commitment regime and the balanced, integrated
    plan, the models run separately (as the exercise's next cell runs it)."""
    levers = SCENARIOS["all three"].replace(pilot_teams=1)
    return float(assess(levers, "commitment", (0.2, 0.2, 0.6), 1.0).committed)


def fewest_networkers(max_networkers=10, *, pilot_teams=2):
    """The fewest networkers that spread commitment to the goal, with `pilot_teams` pilot teams and
    mentoring 0.8 (the other levers as in the "all three" scenario), or None."""
    base = SCENARIOS["all three"].replace(pilot_teams=pilot_teams)
    for n in range(max_networkers + 1):
        report = assess(base.replace(networkers=n), "commitment", (0.2, 0.2, 0.6), 1.0)
        if report.committed >= COMMITTED_GOAL:
            return n
    return None


#: Exercise question 1: the older model of community and the article's head, heart and hand.
#: Senge gives the first row (theory, personal development, practical results); the rest is the
#: lesson's reading, "one you may dispute".
COMMUNITY = {
    "elders, honoured for their wisdom": "head: research",
    "teachers, honoured for helping people grow": "heart: capacity building",
    "warriors, weavers and growers, honoured for their life skills": "hand: practice",
    "theory": "head: research",
    "personal development": "heart: capacity building",
    "practical results": "hand: practice",
}
#: Other defensible labels for the items the lesson calls "our reading": wisdom is not only
#: theory (it can be read as the heart's), and a teacher passes on knowledge (the head's).
COMMUNITY_ALTERNATIVES = {
    "elders, honoured for their wisdom": ("heart: capacity building",),
    "teachers, honoured for helping people grow": ("head: research",),
}

_DESIGN = "{'levers': %s, 'regime': 'commitment', 'allocation': %s, 'integration': %s}"

EXERCISE = Exercise(
    "08",
    [
        Classification(
            "answer_q1",
            items=COMMUNITY,
            labels=("head: research", "heart: capacity building", "hand: practice"),
            alternatives=COMMUNITY_ALTERNATIVES,
            kind="recall",
            prompt="Map the older model of community, and the three things Senge wants "
            "integrated, to head, heart and hand (for the older model, any defensible reading "
            "counts).",
            hints=(
                "Head is understanding, heart is growth of the person, hand is getting things "
                "done. The lesson's table puts the three things Senge wants integrated in its "
                "first row.",
                "Matching the older model of community is a reading: the check accepts the "
                "lesson's and the other defensible one; say why in your reflection.",
            ),
        ),
        Choice(
            "answer_q2",
            prompt="Which two challenges does Senge name at the end of the article?",
            options={
                "a": "Not quite: the article does not ask for faster decisions at the top; it "
                "says hierarchy alone is not enough for deep problems.",
                "b": "Yes: deep problems hierarchy alone cannot solve, and drawing on the "
                "intelligence and spirit of people at every level.",
                "c": "Not quite: leaning on cost cuts and consultants is what the article warns "
                "against (firefighting, consulting that builds no capacity).",
                "d": "Not quite: technology is not the article's subject; how people lead, "
                "learn and share knowledge together is.",
            },
            answer="b",
            kind="recall",
            hints=(
                "Reread the paraphrase of the article's closing paragraph in the lesson.",
                "One challenge is about the limits of hierarchy, the other about people at all "
                "levels.",
            ),
        ),
        Prediction(
            "prediction_one_pilot",
            low=0,
            high=1,
            share=True,
            prompt="Predict: with one pilot team instead of two (mentoring 0.8, 3 networkers, no "
            "mandate), what share of people end up committed on average (0 to 1)?",
            hints=("There is no wrong prediction: the next cell runs the model on it.",),
            outcome=one_pilot_share,
            tolerance=0.1,
            followup="answer_q4",  # why one pilot team fewer costs so much
        ),
        Choice(
            "answer_q4",
            prompt="Why does one pilot team fewer cost so much more than one team's people?",
            options={
                "a": "Not quite: if each team added a fixed share, one team fewer would cost "
                "about 8 of 51 people; the model loses far more than that.",
                "b": "Not quite: a pilot team with its line leader commits as a whole; the "
                "practice stops at the edge of the pilot, not inside it.",
                "c": "Not quite: mentoring stays at 0.8 with one pilot, and it still lowers "
                "thresholds in the pilot team and, a little, everywhere.",
                "d": "Yes: a networker carries only a practice they have seen piloted, so "
                "fewer bridges start committed and fewer teams tip.",
            },
            answer="d",
            kind="reasoning",
            hints=(
                "Compare the loss with the size of one team (8 of 51 people): is the loss "
                "proportional, or bigger?",
                "Lesson 05 (and the Assumptions of the dashboard) say when a networker starts "
                "committed.",
            ),
        ),
        CapstoneGoals(
            "answer_q5",
            limits=(
                ("at most one pilot team", lambda d: d.levers.pilot_teams <= 1),
                ("no mandate", lambda d: d.levers.mandate == 0),
            ),
            prompt="Only one line leader will pilot, and the executives will not mandate. Design "
            "a community that meets all three goals under the coupled models, within the budget "
            "of 50 points, with at most one pilot team and no mandate.",
            hints=(
                "One pilot team stalls short of the goal: strengthen what carries the practice "
                "out of it (the executives' and the networkers' levers), and read the budget "
                "line after each change.",
                "Full mentoring costs 8 points and each networker 2 per team spanned: compare "
                "what each buys in commitment. Keep the regime that stays out of the trap, and "
                "pay for the leaders with the learning shares, not with integration (it is free).",
            ),
            solution="answer_q5 = "
            + _DESIGN
            % ("{'pilot_teams': 1, 'mentoring': 1.0, 'networkers': 3}", "(0.2, 0.2, 0.6)", "1.0")
            + "  # 48 points; also research 15% and capacity building 20% (45.5)",
        ),
        CapstoneGoals(
            "answer_q6",
            assignment=LEAVING,
            prompt="Your instructor sets a shock: the best-placed networker leaves at the start "
            "(quarter 0). Design a community that still meets all three goals under the coupled "
            "models within the budget of 50 points (any number of pilot teams).",
            hints=(
                "Start from a design that meets the goals without the shock and read what the "
                "leaving costs it: which goal does it miss, and by how much?",
                "Losing a networker's bridges costs commitment, and less commitment loosens the "
                "plan's integration too: add a carrier of the practice, and pay for it by moving "
                "a little research or capacity building into practice.",
            ),
            solution="answer_q6 = "
            + _DESIGN
            % ("{'pilot_teams': 1, 'mentoring': 1.0, 'networkers': 4}", "(0.15, 0.2, 0.65)", "1.0")
            + "  # 49.5 points; or two pilot teams, full mentoring, 2 networkers",
        ),
        Choice(
            "answer_q7",
            prompt="A hospital case: which claim of the capstone run separately does it "
            "question, and which coupling now models it?",
            options={
                "a": "Yes: run separately, a mandate cannot touch the climate; the mandate "
                "coupling lets it, as on the ordered wards.",
                "b": "Not quite: the case does not test the 60% goal; the two pilot wards kept "
                "the checklist, but nothing says how far it spread from them, or how fast.",
                "c": "Not quite: the case says nothing of research or capacity building, so it "
                "cannot show whether the plan dips before it pays back, coupled or not.",
                "d": "Not quite: the surge did harm here, as the trap predicts for command; the "
                "case is about which wards it harmed, and why: what the order did to them.",
            },
            answer="a",
            kind="reasoning",
            hints=(
                "Which part of the design (leaders, pressure, learning) did the mandate belong "
                "to, and which goal did the wards miss?",
                "Look for the claim that is true by construction when the models run "
                "separately (cycle.capstone-separate), and the coupling table's first rows.",
            ),
        ),
        Choice(
            "answer_q8",
            prompt="All three kinds of leader, command and the balanced plan integrated: with "
            "trap_starves_learning switched off the plan keeps its effort, yet the cycle is "
            "still not integrated. Why?",
            options={
                "a": "Not quite: switching a coupling off reruns all three models from the "
                "start; nothing keeps the diagnosis the plan had with the coupling on.",
                "b": "Yes: two couplings still act: the trap's lost capability caps capacity "
                "building, and fewer committed loosen integration.",
                "c": "Not quite: run separately, the regime never moves effort in the knowledge "
                "model; only the trap_starves_learning coupling does that, and it is off here.",
                "d": "Not quite: no coupling caps integration by regime; what integration the "
                "plan gets depends on how many people are committed, whatever the regime.",
            },
            answer="b",
            kind="reasoning",
            hints=(
                "Read the coupling sentences in the dashboard's report with the coupling off: "
                "which of them still change what the knowledge model receives?",
                "Two couplings feed the knowledge model from the models before it: one from "
                "the regime's capability, one from the share committed.",
            ),
        ),
        Value(
            "answer_q9",
            expected=lambda: fewest_networkers(pilot_teams=1),
            kind="procedure",
            prompt="Code: with ONE pilot team and mentoring 0.8 (the other levers as in the "
            "'all three' scenario), what is the fewest internal networkers that spread "
            "commitment to at least 60% of people, with the models run separately?",
            hints=(
                "SCENARIOS['all three'].replace(pilot_teams=1, networkers=n) gives the levers; "
                "assess(levers, 'commitment', BALANCED, 1.0).committed the share committed.",
                "Loop n over 0, 1, 2, ... and stop at the first whose share reaches 0.6, as the "
                "lesson's sweep does with two pilot teams.",
            ),
            solution="""
            answer_q9 = None
            for n in range(11):
                levers = SCENARIOS["all three"].replace(pilot_teams=1, networkers=n)
                if assess(levers, "commitment", BALANCED, 1.0).committed >= 0.6:
                    answer_q9 = n  # 5 (0.70 committed; 4 networkers give 0.57)
                    break
            """,
            explanation="5 networkers (0.70 committed); with 4 the practice reaches 0.57. With "
            "one pilot team it takes more than twice the networkers that two pilot teams need.",
        ),
        MemoCheck(
            "memo_q10",
            kind="reasoning",
            prompt="Your design memo: name at least two claims of the registry your design "
            "relies on, each with a reason it may be an artefact of the models, and write the "
            "trade-offs you chose to stay within the budget.",
            hints=(
                'The claims are in the claims tables of lessons 05-08 (claims_table("08") '
                "lists the couplings' and the budget's); use their keys, such as the one in "
                "the lesson's coupling comparison.",
                "A reason says which assumption or constant the claim rests on and what would "
                "happen if it were different; the trade-offs say what the design gave up, why, "
                "and which goal suffers first if the budget shrinks.",
            ),
            solution='memo_q10 = {"threats": {"capstone.control-stalls-commitment": "...", '
            '"cycle.capstone-goals": "..."}, "trade_offs": "..."}  # reasons of 8+ words, '
            "trade-offs of 30+",
        ),
        Reflection(
            "reflection_q11",
            min_words=40,
            criteria=(
                "names an initiative for head, one for heart and one for hand",
                "says which kind of leader leads each",
                "links them: how one feeds the next",
                "uses a result of the capstone's models, and says it is the model's",
            ),
            prompt="Head, heart and hand: how does your design integrate theory, personal "
            "development and practical results? Name one initiative for each and who leads it.",
            hints=(
                "Use the initiatives of lesson 07 (learning laboratory, action research, "
                "pilot groups, ...) and the three kinds of leader.",
            ),
        ),
        Reflection(
            "reflection_q12",
            min_words=40,
            criteria=(
                "names who plays elders, teachers, and warriors, weavers and growers",
                "says whether each is honoured, with evidence",
                "names one of the two challenges and how the design answers it",
                "looks beyond the organisation (an institution that would have to change)",
            ),
            prompt="Senge's older model of community honoured elders, teachers, and warriors, "
            "weavers and growers equally. Who plays each part in your organisation, and is each "
            "honoured? Which of his two challenges does your design answer, and how?",
            hints=("Think of whose work is rewarded and whose is invisible (the teachers?).",),
        ),
        Reflection(
            "reflection_q13",
            min_words=40,
            criteria=(
                "states the critique fairly (what it says, after Caldwell or Gourlay)",
                "says where it hits the design or an assumption of the models",
                "names what to look for in a real organisation to test the design",
                "says what the idea still gets right",
            ),
            prompt="Pick one critique (power and practice, after Caldwell; or evidence, after "
            "Gourlay). What does it say, where does it hit your design or the course's models, "
            "and what would you look for in a real organisation to test your design?",
            hints=("A fair critique says what the idea gets right as well as what it leaves out.",),
        ),
        ConceptCheck(
            "concepts_after",
            graded=True,
            prompt="The course's concept check, after the course: the same ten questions as in "
            "exercise 00, now marked.",
            hints=(
                "The items follow the course: directives (lessons 00 and 01), kinds of leader "
                "(05), thresholds (02), bridges (04), the trap (06), the three activities (07), "
                "and how to read a model (every lesson's claims table).",
                "The check says how many are right, not which: revisit the lessons of the "
                "items you are unsure of.",
            ),
        ),
    ],
)

#: The checked questions inside lesson 08 itself.
LESSON = Exercise(
    "08",
    [
        CapstoneGoals(
            "my_design",
            prompt="Design a community that meets all three goals under the coupled models "
            "(commitment spreads to 60% of people, no capability trap under a 20% surge, an "
            "integrated knowledge cycle) within the budget of 50 points.",
            hints=(
                "The lesson's worked design meets the three goals but is over budget: read the "
                "budget line and look for the levers that buy the most for their points.",
                "Compare what full mentoring (8 points) and each networker (2 points per team "
                "spanned) buy in commitment, and keep research and capacity building near 15-20% "
                "each, fully integrated: integration and the regime are free.",
            ),
            solution="my_design = {'levers': {'pilot_teams': 2, 'mentoring': 1.0, "
            "'networkers': 2}, 'regime': 'commitment', 'allocation': (0.15, 0.2, 0.65), "
            "'integration': 1.0}  # budget.FEASIBLE: 49.5 points",
        ),
        Choice(
            "what_models_show",
            kind="reasoning",
            prompt="The course's models are calibrated, not estimated from data. Which claim can "
            "your capstone report support?",
            options={
                "a": "Not quite: the numbers are not forecasts; nothing in the models was "
                "measured in your firm, or in any firm, so no number is a prediction for it.",
                "b": "Not quite: the models show that a structure can produce these patterns, "
                "not that it is the only one that could; and they leave out power, politics and "
                "people's own goals.",
                "c": "Yes: if the models' causal structures hold, designs like yours behave in "
                "these ways (worse before better, tipping points): claims to test at home.",
                "d": "Not quite: precision is not accuracy; two decimals from a calibrated "
                "model say how it was run, not how close it comes to any real organisation.",
            },
            answer="c",
            hints=(
                "What were the models' numbers calibrated to do?",
                "A model can support an 'if ..., then ...' claim about a structure.",
            ),
        ),
    ],
)
