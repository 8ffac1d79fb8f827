"""Lesson 06's questions: firefighting, shifting the burden and the capability trap.

A policy is judged by running the capability-trap model on it; an assumption-hunting item reruns
a claim of the registry (`senge_course.models.claims`, the ``trap.*`` keys) at the learner's
setting, under a rule that rules out the counterexamples the lesson already prints.
"""

from dataclasses import dataclass, field

from ...models.capability import COMMAND, simulate, smallest_tipping_surge
from ...models.regime import POLICY_LEVERS as LEVERS
from .. import checks
from ..checks import Choice, Classification, Exercise, Function, Prediction, Reflection
from .assumptions import BreakClaim

__all__ = ["EXERCISE", "LESSON", "SurvivingPolicy", "survives"]


def survives(control, autonomy):
    """True if command with this control and autonomy is not trapped by a 20% surge of 8 weeks."""
    regime = COMMAND.replace(control=control, autonomy=autonomy)
    return not simulate(regime, target_change=0.2, surge_weeks=8).trapped


def after_the_surge():
    """The model's answer to ``prediction_surge``: the option of `AFTER_THE_SURGE` for which
    regimes are trapped after the 8-week 20% surge (lesson 06, section 3)."""
    from ...models.capability import COMMITMENT

    trapped = tuple(
        simulate(r, target_change=0.2, surge_weeks=8).trapped for r in (COMMAND, COMMITMENT)
    )
    return {(False, False): "a", (True, False): "b", (True, True): "c", (False, True): "d"}[trapped]


def doubled_target():
    """The model's answer to ``prediction_rise``: commitment under a permanent 100% rise,
    trapped with its climate collapsed (``"a"``) or held (``"b"``), or not trapped and ending
    with more capability than it started with (``"c"``); raise if no option fits."""
    from ...models.capability import COMMITMENT

    run = simulate(COMMITMENT, target_change=1.0)
    if run.trapped:
        return "a" if run.climate_collapsed else "b"
    if run.capability[-1] > run.capability[0]:
        return "c"
    raise ValueError("prediction_rise: commitment is not trapped but ends below its start")


@dataclass(frozen=True, eq=False)
class SurvivingPolicy(checks.Question):
    """A policy, given as its four levers, that must not be trapped by a surge: judged by the model.

    The answer is a dictionary ``{"work_harder": ..., "work_smarter": ..., "control": ...,
    "autonomy": ...}`` (what ``ScenarioComparer.policy`` returns).  The judge builds the
    regime (the organisation's other parameters as in `COMMAND`), runs it through the surge
    (`target_change` for `surge_weeks` weeks) and marks it correct if it does not tip into the
    trap (`CapabilityRun.trapped`).  A design under a constraint adds `max_changes` (how many of
    command's levers may change) and `limits` (``{lever: (low, high)}``: the lever must stay
    within them, ends included), with `rule` saying so in words.

    Easing command's control to 0.4 survives; command itself tips:

    >>> q = SurvivingPolicy("policy")
    >>> q.evaluate({"policy": {"work_harder": 4, "work_smarter": 0, "control": 0.4,
    ...                        "autonomy": 0.2}}).status
    'correct'
    >>> out = q.evaluate({"policy": {"work_harder": 4, "work_smarter": 0, "control": 0.8,
    ...                              "autonomy": 0.2}})
    >>> out.status, out.message.split(" (")[0]
    ('incorrect', 'This policy tips into the trap after a 20% surge for 8 weeks')

    With one lever and no stronger reflex allowed, a 30% surge needs more than control 0.4:

    >>> hard = SurvivingPolicy("policy", target_change=0.3, max_changes=1,
    ...                        limits={"work_harder": (0, 4)}, rule="One lever, no harder push.")
    >>> hard.assess({"work_harder": 4, "work_smarter": 0, "control": 0.4, "autonomy": 0.2}).status
    'incorrect'
    >>> print(hard.assess({"work_harder": 8, "work_smarter": 0, "control": 0.8,
    ...                    "autonomy": 0.2}).message)
    One lever, no harder push. You have work_harder = 8.
    """

    remembers = True  # the judge runs a model: each distinct answer once

    target_change: float = 0.2
    surge_weeks: float = 8.0
    max_changes: int = len(LEVERS)
    limits: dict = field(default_factory=dict)
    rule: str = ""

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "design")

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
        moved = [lever for lever in LEVERS if getattr(regime, lever) != getattr(COMMAND, lever)]
        for lever, (low, high) in self.limits.items():
            value = getattr(regime, lever)
            if not low <= value <= high:
                return self._outcome(checks.INCORRECT, f"{self.rule} You have {lever} = {value:g}.")
        if len(moved) > self.max_changes:
            return self._outcome(
                checks.INCORRECT,
                f"{self.rule} You changed {len(moved)} levers ({', '.join(moved)}).",
            )
        surge = f"a {self.target_change:.0%} surge for {self.surge_weeks:g} weeks"
        run = simulate(regime, target_change=self.target_change, surge_weeks=self.surge_weeks)
        changed = [
            f"{lever} {getattr(COMMAND, lever):g} to {getattr(regime, lever):g}" for lever in moved
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

#: What a learner can predict in lesson 06, section 3: after the 8-week surge is over, ...
AFTER_THE_SURGE = {
    "a": "both regimes get back to where they started",
    "b": "command stays trapped, commitment gets back",
    "c": "both regimes stay trapped",
    "d": "commitment stays trapped, command gets back",
}

#: What a learner can predict for commitment under a permanent rise five times the lesson's.
BIGGER_RISE = {
    "a": "trapped: its climate collapses, as command's does",
    "b": "trapped: capability sinks while its climate holds",
    "c": "not trapped: capability ends above where it started",
}

#: The crisis of the lesson's claims: kept as it is in the assumption-hunting items.
SHOCK = ("target_change", "surge_weeks", "permanent")

#: What the instructor scores the reflection on (shown to the learner above it).
REFLECTION_CRITERIA = (
    "names the quick fix and what it crowded out",
    "maps the case to a loop or archetype of the lesson",
    "names an assumption of the model and says whether the case fits it",
    "proposes a double-loop change (a policy, not more effort)",
)

EXERCISE = Exercise(
    "06",
    [
        Prediction(
            "prediction_surge",
            options=AFTER_THE_SURGE,
            prompt="What did you predict in lesson 06, section 3, before running the app: after "
            "the 8-week 20% surge is over, which regime gets back to where it started?",
            hints=("Give the prediction you made, not the model's answer: it is not marked.",),
            outcome=after_the_surge,
            followup="break_surge",  # what makes the surge trap command for good
        ),
        Classification(
            "answer_loops",
            items=LOOP_POLARITIES,
            labels=("R", "B"),
            kind="recall",
            prompt="Is each loop reinforcing (R) or balancing (B)?",
            hints=(
                "A balancing loop counteracts the change that started it; a reinforcing loop "
                "feeds it.",
                "Ask: does the loop end up making the starting problem smaller (B) or bigger (R)?",
            ),
            solution="answer_loops = " + repr(LOOP_POLARITIES),
        ),
        Choice(
            "answer_intervenor",
            kind="recall",
            prompt="Senge writes of consulting projects that solve problems but rarely build "
            "people's ability to stop creating them. Which archetype is this?",
            options={
                "a": "Not quite: in Fixes that Fail the fix itself, after a delay, makes the "
                "problem worse; here the consultants' fixes work, and what withers is the firm's "
                "own ability to solve the problem.",
                "b": "Not quite: Limits to Growth is a reinforcing growth loop that meets a limit "
                "and slows; nothing here grows until it stalls, and the helper is what the firm "
                "comes to depend on.",
                "c": "Yes: Shifting the Burden to the Intervenor. The outside helper relieves the "
                "symptom while the firm's own ability weakens, so it needs the helper more.",
                "d": "Not quite: in Eroding Goals the standard drifts down to meet performance; "
                "here the goal stays where it was, and the firm keeps calling for outside help "
                "instead.",
            },
            answer="c",
            hints=(
                "Who carries the burden of solving the problem: the firm or someone else?",
                "Look at the second diagram in the lesson.",
            ),
            solution='answer_intervenor = "c"  # shifting the burden to the intervenor',
        ),
        BreakClaim(
            "break_surge",
            claim="trap.temporary-surge",
            keep=SHOCK,
            within={"pressure_drain": (0.0, 10.0)},
            rule="Keep the crisis as it is (20% for 8 weeks) and keep R4 on (pressure_drain "
            "above 0): switching R4 off is the lesson's own counterexample.",
            prompt="The 8-week 20% surge traps command for good. With the crisis unchanged and "
            "R4 still on, change one assumption so that command gets back instead.",
            hints=(
                "Which loop lets a short crisis do lasting damage? The lesson's table says what "
                "the claim rests on; its strength is pressure_drain (1.25).",
                "Try {'pressure_drain': 1.0}, read what the check says command's capability and "
                "climate do, and keep weakening R4 until command recovers.",
            ),
            solution="break_surge = {'pressure_drain': 0.5}  # R4 at less than half its strength",
        ),
        BreakClaim(
            "break_reflex",
            claim="trap.reflex-sturdier",
            changes=2,
            within={"pressure_drain": (0.0, 10.0), "overtime_cap": (0.0, 0.5)},
            rule="Keep R4 on (pressure_drain above 0) and some overtime (overtime_cap above 0): "
            "the lesson's table already shows what switching either off does.",
            prompt="In our model a stronger work-harder reflex makes command sturdier. Keeping "
            "R4 on and some overtime, change at most two assumptions so that a stronger reflex "
            "makes command more fragile, as Repenning & Sterman argue.",
            hints=(
                "The claim rests on two things: overtime that absorbs small surges, and R4, "
                "which makes the length of the pressure decide the trap. Weaken both.",
                "overtime_cap is a share of a 40-hour week (0.125: 5 hours); pressure_drain is "
                "R4's strength (1.25). Cut R4 to a fifth of its strength or less and leave about "
                "2 hours of overtime (0.05).",
            ),
            solution="break_reflex = {'pressure_drain': 0.25, 'overtime_cap': 0.05}  "
            "# R4 weak, 2 hours of overtime",
        ),
        Prediction(
            "prediction_rise",
            options=BIGGER_RISE,
            prompt="Commitment faces a permanent rise of 100% (the target doubles for good), "
            "five times the lesson's. What happens to it?",
            hints=("Any answer is fine: it is a prediction, recorded for the class debrief.",),
            outcome=doubled_target,
            followup="break_commitment",  # what it takes to trap commitment
        ),
        BreakClaim(
            "break_commitment",
            claim="trap.commitment-never-trapped",
            changes=2,
            within={"commitment_work_harder": (0.0, 2.0)},
            rule="Keep commitment's work-harder reflex at most 2, half of command's: the "
            "lesson's table already gives commitment command's reflex (4).",
            prompt="Commitment never falls into the trap under a permanent 20% rise. Keeping its "
            "reflex at most 2 (half of command's), change at most two assumptions so that it "
            "does.",
            hints=(
                "Try a bigger rise alone, then a stronger reflex alone: what does each do to the "
                "hours left for improvement while the gap lasts?",
                "The reflex sets how hard a lasting gap pulls hours from improvement; the size "
                "of the rise sets how large that gap is. Move both.",
            ),
            solution="break_commitment = {'commitment_work_harder': 2.0, 'target_change': 0.3}",
        ),
        SurvivingPolicy(
            "design_policy",
            target_change=0.3,
            max_changes=1,
            limits={"work_harder": (0.0, 4.0)},
            rule="Change one lever only, and no stronger work-harder reflex than command's 4 "
            "(pushing people harder is off the table).",
            prompt="A bigger crisis: a 30% surge lasting 8 weeks. Change ONE of command's "
            "levers, without strengthening the work-harder reflex, so that command is not "
            "trapped.",
            hints=(
                "The lesson's table gives each single lever's edge: the smallest 8-week surge "
                "that traps it. Which edges lie above 0.30?",
                "The lesson's puzzle answer (control 0.4) is not enough here: ease control "
                "further, or grant much more autonomy.",
            ),
            solution="design_policy = {'work_harder': 4.0, 'work_smarter': 0.0, 'control': 0.3, "
            "'autonomy': 0.2}",
        ),
        Choice(
            "answer_double_loop",
            kind="recall",
            prompt="Targets are missed month after month. Which response is double-loop "
            "learning, in Argyris's sense?",
            options={
                "a": "Not quite: more overtime until the gap closes is single-loop learning: it "
                "corrects the error by working harder within the same policy, the reflex the "
                "model calls B1.",
                "b": "Not quite: a tighter target with closer monitoring changes the numbers but "
                "keeps the governing policy (control from the top), enforced harder: single-loop.",
                "c": "Yes: questioning the policy itself (how much control, how much autonomy, "
                "whether improvement time is protected) changes the governing variables.",
                "d": "Not quite: consultants who fix this quarter's problem correct the error "
                "without changing what produces it, and can shift the burden onto themselves, as "
                "in question 3.",
            },
            answer="c",
            hints=(
                "Single-loop learning corrects errors within the existing rules; double-loop "
                "learning changes the rules.",
                "Which option changes the policy that keeps producing the gap?",
            ),
            solution='answer_double_loop = "c"  # change the governing variables, not the effort',
        ),
        Function(
            "survives",
            cases=((0.8, 0.2), (0.6, 0.2), (0.4, 0.2), (0.8, 0.5), (0.8, 0.3), (0.3, 0.3)),
            reference=survives,
            kind="procedure",
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
            "reflection_firefighting",
            min_words=40,
            criteria=REFLECTION_CRITERIA,
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
            kind="reasoning",
            prompt="Our model says an 8-week surge of about 15% tips command into the trap. "
            "What does the sweep of the invented pressure tolerance show about that finding?",
            options={
                "a": "Not quite: the model can compute the edge to three decimals (0.149), but "
                "that precision is arithmetic; as the tolerance moves from 0.01 to 0.1 the edge "
                "moves from about 0.05 to 0.64.",
                "b": "Yes: 'about 15%' is a property of one constant nobody measured; what "
                "survives the sweep is the shape: command has an edge, commitment has none.",
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
                "whether B still tips. Then run my_policy = designer.policy('B').",
                "Which part of the trap does each lever act on: the hours (B1, R3) or the "
                "climate for improvement (R4)? Try the levers that protect the climate.",
            ),
            solution="my_policy = {'work_harder': 4.0, 'work_smarter': 0.0, 'control': 0.4, "
            "'autonomy': 0.2}",
        ),
        Choice(
            "why_not_effort",
            kind="reasoning",
            prompt="Weakening command's work-harder reflex alone (from 4 to 2) makes it tip "
            "from a smaller surge (0.08 instead of 0.15). Why?",
            options={
                "a": "Not quite: with a weaker reflex fewer hours are taken from improvement, so "
                "capability erodes more slowly, not faster; the answer lies in another loop of "
                "the model.",
                "b": "Yes: the gap closes more slowly, so pressure lasts longer, and under tight "
                "control lasting pressure drains the climate that improvement needs (R4).",
                "c": "Not quite: the model has no backlog that piles up; a weaker reflex means "
                "fewer extra hours while the gap lasts, and the two runs differ in how long that "
                "gap, and so the pressure, lasts.",
                "d": "Not quite: the target never moves in response to performance in this "
                "model (there is no Eroding Goals loop); only the reflex differs between the two "
                "rows of the table.",
            },
            answer="b",
            hints=(
                "Compare the two runs: in which does the gap, and so the pressure, last longer?",
                "Control multiplies pressure's drain on the climate.",
            ),
            solution='why_not_effort = "b"  # a slower reflex keeps the pressure on for longer',
        ),
    ],
)
