"""The capstone's three models coupled: a mandate undermines the climate, a trap starves learning.

:func:`senge_course.models.capstone.assess` runs the course's three simulations side by side,
each driven only by its own part of the design.  Here the parts act on each other through five
named **couplings** (`COUPLINGS`), each one number with an origin tag (`COUPLING_ORIGINS`:
``"structure"`` or ``"calibration"``, as in the claims registry) and a mechanism
(`MECHANISMS`); a coupling at 0 is switched off, and with every coupling off (`OFF`)
:func:`assess_coupled` reproduces :func:`~senge_course.models.capstone.assess` exactly.

The order is one way: **leaders -> regime -> knowledge**.  The leader network runs first
(:func:`~senge_course.models.leadership.compare` on the capstone's organisation), then the
regime meets the capstone's surge (:func:`~senge_course.models.capability.simulate`), then the
knowledge plan is projected and diagnosed (:func:`~senge_course.models.knowledge.simulate`,
:func:`~senge_course.models.diagnosis.diagnose`).  A coupling reads either the design's own
levers (the mandate, the regime's control: inputs, known before anything runs) or the *result*
of a model that ran earlier in the order; no result ever flows back to a model that ran before
it (commitment cannot rebuild the climate, a trapped regime cannot change who committed).

The five couplings, by what they change (`s` is the coupling's value):

``control_raises_thresholds`` (design -> leaders)
    The regime's control `k` (as designed) raises the leader network's mean threshold
    (``threshold_mean`` of `~senge_course.models.leadership.ASSUMPTIONS`, 0.45) by ``s * k``.
    A mandate's own effect on thresholds is already in the leader model (``resentment``), so
    it is not counted again here.
``mandate_drains_climate`` (design -> regime)
    A mandate on a share `m` of people raises the regime's control to ``min(1, control + s *
    m)``: more control means a lower starting climate for improvement and a stronger drain on
    it under pressure.
``trap_starves_learning`` (regime run -> knowledge)
    If the regime ends its run having lost a share `F` of its improvement hours (1 in the
    trap, where nobody improves; 0 if it recovered), research and capacity building each lose
    the share ``s * F`` of their effort, which moves to practice.
``commitment_scales_integration`` (leaders run -> knowledge)
    With a share `c` of people committed (the mean over the runs), the plan's integration is
    multiplied by ``1 - s * (1 - c)``: the uncommitted do not take part in coupling research,
    training and practice.
``capability_feeds_practice`` (regime run -> knowledge)
    Practice turns people's capability into results only as far as the work process allows:
    with the regime's process capability ending at a share `rho` of its start (at most 1), the most
    capability capacity building can reach (the knowledge model's ``max_capability``, 3) keeps
    only ``rho ** s`` of its headroom above today's capability, ``1 + 2 * rho ** s``.  All
    practice never rises above today's capability, so the baseline (1 a quarter) is unchanged.

Every coupling is illustrative, like the models it joins: its form is a modelling choice and
its value is either the natural one (1: proportional, `"structure"`) or chosen to show the
behaviour (`"calibration"`).  Switch one off to see what it carries.

Examples
--------
The lesson's integrated design (all three kinds of leader, commitment, a balanced integrated
plan) still meets the three goals when the models are coupled.  The same leaders and plan under
command meet none: its tight control stalls commitment, and its trap starves the learning:

>>> from senge_course.models.knowledge import BALANCED
>>> assess_coupled("all three", "commitment", BALANCED, 1.0).passed
True
>>> report = assess_coupled("all three", "command", BALANCED, 1.0)
>>> report.verdicts
{'commitment spreads': False, 'no capability trap': False, 'integrated cycle': False}
>>> report.effects["trap_starves_learning"].coupled
(0.0, 0.0, 1.0)
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType

from .._validate import check_fraction, check_integer
from .capability import POLICY_LEVERS, as_regime
from .capstone import (
    COMMITTED_GOAL,
    DEFAULT_RUNS,
    DEFAULT_SEED,
    GOALS,
    CapstoneReport,
    as_levers,
    check_goals,
    default_organisation,
    leaders_run,
    regime_run,
)
from .diagnosis import diagnose
from .knowledge import CALIBRATION, check_allocation, check_consultants
from .knowledge import simulate as simulate_knowledge
from .leadership import ASSUMPTIONS
from .parameters import Parameters, param

__all__ = [
    "COUPLINGS",
    "COUPLING_ORIGINS",
    "MECHANISMS",
    "OFF",
    "ORDER",
    "CoupledReport",
    "Effect",
    "assess_coupled",
    "check_couplings",
    "runners_for",
]

#: The order the models run in; a coupling only ever feeds a model later in it.
ORDER = ("leaders", "regime", "knowledge")

#: The couplings between the three models: default, range, control step, label and meaning.
#: 0 switches a coupling off; `COUPLING_ORIGINS` says where each default comes from.
COUPLINGS = Parameters(
    control_raises_thresholds=param(
        0.1,
        "[0, 0.5]",
        0.01,
        "Control raises thresholds",
        "mean threshold the regime's full control adds in the leader network",
        unit="threshold per unit of control",
    ),
    mandate_drains_climate=param(
        0.5,
        "[0, 1]",
        0.05,
        "Mandate drains climate",
        "control a mandate on everyone adds to the regime's",
        unit="control per unit of mandate",
    ),
    trap_starves_learning=param(
        1.0,
        "[0, 1]",
        0.05,
        "Trap starves learning",
        "share of research and capacity building lost per share of improvement hours lost",
        unit="0 to 1",
    ),
    commitment_scales_integration=param(
        0.5,
        "[0, 1]",
        0.05,
        "Commitment scales integration",
        "share of the plan's integration that needs committed people",
        unit="0 to 1",
    ),
    capability_feeds_practice=param(
        1.0,
        "[0, 2]",
        0.1,
        "Capability feeds practice",
        "exponent of process capability on capacity building's headroom",
        unit="exponent",
    ),
)

#: Where each coupling's default comes from: ``"structure"`` (the natural, proportional value
#: of a rule written into the coupling) or ``"calibration"`` (chosen to show the behaviour).
COUPLING_ORIGINS = MappingProxyType(
    {
        "control_raises_thresholds": "calibration",
        "mandate_drains_climate": "calibration",
        "trap_starves_learning": "structure",
        "commitment_scales_integration": "calibration",
        "capability_feeds_practice": "structure",
    }
)

#: What each coupling does, and why its default is what it is (one paragraph each).
MECHANISMS = MappingProxyType(
    {
        "control_raises_thresholds": (
            "Design -> leaders: the regime's control k raises the leader network's mean "
            "threshold by s * k (a mandate's own effect is the leader model's resentment). "
            "Calibrated: at 0.1, command's control (0.8) adds 0.08, one standard deviation of "
            "the thresholds."
        ),
        "mandate_drains_climate": (
            "Design -> regime: a mandate on a share m of people raises the regime's control to "
            "min(1, control + s * m). Senge (1997): top-down directives breed fear and distrust. "
            "Calibrated: at 0.5 a mandate on 80% of people takes commitment's control (0.1) to "
            "0.5, the middle of its range."
        ),
        "trap_starves_learning": (
            "Regime run -> knowledge: if the regime ends having lost a share F of its "
            "improvement hours, research and capacity building each lose s * F of their effort "
            "to practice. Structure: at 1, the share of learning effort lost is the share of "
            "improvement hours lost (in the trap, all of it)."
        ),
        "commitment_scales_integration": (
            "Leaders run -> knowledge: with a share c committed, integration is multiplied by "
            "1 - s * (1 - c). Calibrated: at 0.5, half of the integration rests on committed "
            "people and half on structures (learning laboratories, shared problems)."
        ),
        "capability_feeds_practice": (
            "Regime run -> knowledge: with process capability ending at a share rho of its "
            "start, the knowledge model's max_capability keeps rho ** s of its headroom above "
            "today's capability. Structure: at 1, the headroom is proportional to the process "
            "capability kept."
        ),
    }
)

#: Every coupling switched off: `assess_coupled` then reproduces `capstone.assess` exactly.
OFF = MappingProxyType(dict.fromkeys(COUPLINGS, 0.0))

# A max_capability this close to 1 is the knowledge model's open lower end; stay above it.
_LEAST_HEADROOM = 1e-6


@dataclass(frozen=True)
class Effect:
    """What one coupling changed in one run of :func:`assess_coupled`.

    `name` is the coupling (a row of `COUPLINGS`) and `strength` its value; `model` the model
    whose input it changed (one of `ORDER`) and `input` that input's name; `uncoupled` the value
    the model would have received with the coupling off, `coupled` the value it received;
    `driver` the number that drove the change (the mandate, the regime's control, the share of
    improvement hours lost, the share committed, the capability kept), and `sentence` says it
    all in words.
    """

    name: str
    strength: float
    model: str
    input: str
    uncoupled: object
    coupled: object
    driver: float
    sentence: str = field(repr=False)

    @property
    def changed(self):
        """True if the coupling changed what its model received."""
        return self.uncoupled != self.coupled

    @property
    def summary(self):
        """One sentence: what the coupling changed, or why it changed nothing."""
        return self.sentence


@dataclass(frozen=True, eq=False)
class CoupledReport:
    """What the three coupled models predict for one design (see :func:`assess_coupled`).

    It holds the design as the learner set it (`levers`, `regime`, `allocation`,
    `integration`, `consultants`), the `couplings` used (name -> value), the `effects` (name ->
    `Effect`, in the order the couplings act) and `report`, the
    `~senge_course.models.capstone.CapstoneReport` of the three runs *as the models received
    them* (its regime, allocation and integration are the coupled ones).  The goals and their
    verdicts are the capstone's.
    """

    levers: object
    regime: object
    allocation: tuple
    integration: float
    consultants: object
    couplings: Mapping = field(repr=False)
    effects: Mapping = field(repr=False)
    report: CapstoneReport = field(repr=False)

    @property
    def committed(self):
        """Share of people committed at the end, averaged over the runs."""
        return self.report.committed

    @property
    def verdicts(self):
        """Goal -> met?, for the capstone's three goals (`~senge_course.models.capstone.GOALS`)."""
        return self.report.verdicts

    @property
    def passed(self):
        """True if the design meets the goals set (by default all three) under the coupled models."""
        return self.report.passed

    @property
    def changed(self):
        """The names of the couplings that changed what a model received, in order."""
        return tuple(name for name, effect in self.effects.items() if effect.changed)

    @property
    def summary(self):
        """The three predictions, the verdict and what each coupling changed: short paragraphs."""
        r = self.report
        verdict = "Under the coupled models y" + r.verdict[1:]
        on = [e.sentence for e in self.effects.values() if e.strength > 0]
        off = [name.replace("_", " ") for name, e in self.effects.items() if e.strength == 0]
        couplings = "The models run in the order leaders, regime, knowledge. " + (
            " ".join(on) if on else "Every coupling is off: the three models run separately."
        )
        if on and off:
            couplings += f" Switched off: {_join(off)}."
        return "\n\n".join([r.leaders_text, r.regime_text, r.knowledge_text, verdict, couplings])

    def to_markdown(self, name="My design", *, reflections=None):
        """Return one page of Markdown for an instructor: the design as the learner set it, what
        the coupled models predict, what each coupling changed, and the reflections.

        The page states the learner's own inputs (not the ones the couplings passed on) and says
        in its "Couplings" section what each coupling changed.

        >>> from senge_course.models.knowledge import BALANCED
        >>> from senge_course.models.leadership import SCENARIOS
        >>> page = assess_coupled(SCENARIOS["all three"].replace(mandate=0.8), "commitment",
        ...                       BALANCED, 1.0).to_markdown("Ours")
        >>> "control 0.1" in page and "## Couplings" in page
        True
        """
        report = replace(
            self.report,
            regime=self.regime,
            allocation=self.allocation,
            integration=self.integration,
        )
        if report.diagnosis.explanation.endswith(".)"):  # the coupled ceiling is not the learner's
            cut = report.diagnosis.explanation.rfind(" (Constants changed from their calibration")
            if cut > 0:
                diagnosis = replace(
                    report.diagnosis, explanation=report.diagnosis.explanation[:cut]
                )
                report = replace(report, diagnosis=diagnosis)
        lines = [
            "The models ran one way, leaders, then the regime, then knowledge, through five "
            "named couplings; the predictions above are the coupled ones.",
            "",
            *[
                f"- **{name.replace('_', ' ')}** ({e.strength:g}): {e.sentence}"
                if e.strength > 0
                else f"- **{name.replace('_', ' ')}**: switched off."
                for name, e in self.effects.items()
            ],
        ]
        return report.to_markdown(name, reflections=reflections, extra={"Couplings": lines})

    def to_dict(self):
        """Return the design, the couplings, their effects and the predictions as plain JSON data."""
        effects = {
            name: {
                "strength": e.strength,
                "model": e.model,
                "input": e.input,
                "uncoupled": list(e.uncoupled) if isinstance(e.uncoupled, tuple) else e.uncoupled,
                "coupled": list(e.coupled) if isinstance(e.coupled, tuple) else e.coupled,
                "driver": e.driver,
                "changed": e.changed,
            }
            for name, e in self.effects.items()
        }
        return {
            "design": {
                "levers": asdict(self.levers),
                "regime": {lever: getattr(self.regime, lever) for lever in POLICY_LEVERS},
                "allocation": list(self.allocation),
                "integration": self.integration,
                "consultants": None if self.consultants is None else asdict(self.consultants),
            },
            "couplings": dict(self.couplings),
            "effects": effects,
            "run": self.report.to_dict(),
            "verdicts": self.verdicts,
            "passed": self.passed,
        }

    def __repr__(self):
        return (
            f"CoupledReport(committed={self.committed:.2f}, "
            f"trapped={self.report.capability.trapped}, mode={self.report.diagnosis.mode!r}, "
            f"passed={self.passed}, changed={list(self.changed)!r})"
        )


def check_couplings(couplings):
    """Return every coupling's value: the `COUPLINGS` defaults changed by `couplings`.

    `couplings` is None (the defaults), `OFF`, or a mapping of some couplings to new values;
    an unknown name or a value out of range is refused naming it.

    >>> check_couplings({"trap_starves_learning": 0})["trap_starves_learning"]
    0.0
    >>> check_couplings({"mandate_drains_climate": 2})
    Traceback (most recent call last):
    ...
    ValueError: mandate_drains_climate must be a number in [0, 1], got mandate_drains_climate=2
    """
    if couplings is None:
        return COUPLINGS.defaults()
    if not isinstance(couplings, Mapping):
        raise TypeError(
            "couplings must be None or a dict such as {'trap_starves_learning': 0}, got "
            f"couplings={couplings!r}"
        )
    values = {**COUPLINGS.defaults(), **COUPLINGS.check(couplings)}
    return {name: float(value) for name, value in values.items()}


def assess_coupled(
    levers,
    regime,
    allocation,
    integration,
    *,
    couplings=None,
    consultants=None,
    G=None,
    runs=DEFAULT_RUNS,
    seed=DEFAULT_SEED,
    surge=None,
    leaves=None,
    committed_goal=COMMITTED_GOAL,
    required=GOALS,
    runners=None,
):
    """Run the three models coupled, in the order leaders -> regime -> knowledge, on one design.

    The inputs are those of :func:`senge_course.models.capstone.assess`; `couplings` sets the
    couplings (None: the defaults of `COUPLINGS`; `OFF`: none; a dict changes some).  The
    models run one way, each fed by the design and by the models before it, never after it:

    1. **leaders**: the levers on `G` (default the capstone's organisation), `runs` runs with
       randomness `seed`; the mean threshold is raised by ``control_raises_thresholds`` times
       the regime's control;
    2. **regime**: the regime, its control raised by ``mandate_drains_climate`` times the
       mandate, meets the capstone's surge (20% for 8 weeks);
    3. **knowledge**: the plan, its research and capacity building cut by
       ``trap_starves_learning`` times the share of improvement hours the regime lost, its
       integration scaled by the share committed (``commitment_scales_integration``) and the
       most capability it can build scaled by the capability the regime kept
       (``capability_feeds_practice``), is projected over 10 years and diagnosed.

    Parameters
    ----------
    levers : Levers, str or mapping
        The leaders' levers (see :func:`senge_course.models.capstone.as_levers`).
    regime : Regime, str or mapping
        How the organisation responds to pressure (``"command"``, ``"commitment"``, ...).
    allocation : tuple of float
        ``(research, capacity building, practice)``, summing to 1.
    integration : float
        How tightly the three communities are coupled, 0 to 1.
    couplings : mapping or None, optional
        Coupling name -> value (rows of `COUPLINGS`); None for the defaults.
    consultants : Consultants or None, optional
        Capability rented for the knowledge plan.
    G : networkx.Graph, optional
        The organisation (default `~senge_course.models.capstone.default_organisation`).
    runs : int, optional
        Runs of the leader network (1 to 500; default 20).
    seed : int, optional
        Randomness of the leader network's runs (default 1).
    surge, leaves, committed_goal, required : optional
        What an assignment sets, as in :func:`senge_course.models.capstone.assess`: the surge
        ``(size, weeks)``, the round the best-placed networker leaves, the share committed
        that counts as spreading and the goals a design must meet.
    runners : mapping or None, optional
        For apps that cache results (the capstone dashboard): ``"leaders"``, a function
        ``(levers, threshold_mean) -> ScenarioStats``; ``"regime"``, ``regime -> CapabilityRun``;
        ``"knowledge"``, ``(allocation, integration, consultants, max_capability) ->
        (KnowledgeRun, Diagnosis)``.  Each must compute what the default does for the same
        `G`, `runs`, `seed`, `leaves` and `surge` (see `runners_for`); None builds them.

    Returns
    -------
    CoupledReport
        The verdicts on the capstone's three goals, the runs and what each coupling changed.

    Raises
    ------
    TypeError, ValueError
        If an input is of the wrong type or out of range, naming it (as `capstone.assess`
        does), or a coupling is unknown or out of range.

    Examples
    --------
    A mandate next to a regime of commitment: the mandate raises the regime's control from 0.1
    to 0.5, and a climate that started at 0.99 collapses under the surge (the uncoupled
    capstone keeps it):

    >>> from senge_course.models.knowledge import BALANCED
    >>> from senge_course.models.leadership import SCENARIOS
    >>> mandate = SCENARIOS["all three"].replace(mandate=0.8)
    >>> report = assess_coupled(mandate, "commitment", BALANCED, 1.0)
    >>> effect = report.effects["mandate_drains_climate"]
    >>> effect.uncoupled, effect.coupled
    (0.1, 0.5)
    >>> round(float(report.report.capability.climate[-1]), 2)
    0.26
    >>> off = assess_coupled(mandate, "commitment", BALANCED, 1.0, couplings=OFF)
    >>> round(float(off.report.capability.climate[-1]), 2)
    0.99
    """
    levers, regime = as_levers(levers), as_regime(regime)
    allocation = check_allocation(allocation)
    integration = check_fraction("integration", integration)
    consultants = check_consultants(consultants, 40)
    s = check_couplings(couplings)
    runs = check_integer("runs", runs, low=1, high=500)
    goals = check_goals(surge, leaves, committed_goal, required)
    G = default_organisation() if G is None else G
    run = runners_for(G, runs=runs, seed=seed, leaves=goals["leaves"], surge=goals["surge"])
    if runners is not None:
        run |= dict(runners)
    effects = {}

    # 1. leaders: the regime's designed control raises thresholds
    base = float(ASSUMPTIONS["threshold_mean"].default)
    raised = min(1.0, base + s["control_raises_thresholds"] * regime.control)
    effects["control_raises_thresholds"] = _effect(
        "control_raises_thresholds", s, "leaders", "threshold_mean", base, raised, regime.control
    )
    diffusion = run["leaders"](levers, raised)
    committed = float(diffusion.committed_mean[-1])

    # 2. regime: the mandate raises control
    control = min(1.0, regime.control + s["mandate_drains_climate"] * levers.mandate)
    effects["mandate_drains_climate"] = _effect(
        "mandate_drains_climate", s, "regime", "control", regime.control, control, levers.mandate
    )
    ran = regime if control == regime.control else regime.replace(control=control)
    capability = run["regime"](ran)

    # 3. knowledge: the trap starves learning; commitment scales integration; capability
    # feeds practice
    lost = min(max(1.0 - capability.hours_improving[-1] / capability.hours_improving[0], 0.0), 1.0)
    cut = s["trap_starves_learning"] * float(lost)
    plan = allocation
    if cut > 0.0:
        r, c, p = allocation
        plan = (r * (1.0 - cut), c * (1.0 - cut), p + (r + c) * cut)
    effects["trap_starves_learning"] = _effect(
        "trap_starves_learning", s, "knowledge", "allocation", allocation, plan, float(lost)
    )
    scale = 1.0 - s["commitment_scales_integration"] * (1.0 - committed)
    coupled_integration = integration * scale if scale != 1.0 else integration
    effects["commitment_scales_integration"] = _effect(
        "commitment_scales_integration",
        s,
        "knowledge",
        "integration",
        integration,
        coupled_integration,
        committed,
    )
    # capability above its start adds nothing: the ceiling is calibrated for a healthy process
    kept = min(float(capability.capability[-1] / capability.capability[0]), 1.0)
    most = float(CALIBRATION["max_capability"].default)
    headroom = (most - 1.0) * kept ** s["capability_feeds_practice"]
    ceiling = most if headroom == most - 1.0 else 1.0 + max(headroom, _LEAST_HEADROOM)
    effects["capability_feeds_practice"] = _effect(
        "capability_feeds_practice", s, "knowledge", "max_capability", most, ceiling, kept
    )
    knowledge, diagnosis = run["knowledge"](plan, coupled_integration, consultants, ceiling)
    report = CapstoneReport(
        levers=levers,
        regime=ran,
        allocation=plan,
        integration=coupled_integration,
        consultants=consultants,
        diffusion=diffusion,
        capability=capability,
        knowledge=knowledge,
        diagnosis=diagnosis,
        people=G.number_of_nodes(),
        **goals,
    )
    order = tuple(COUPLINGS)
    return CoupledReport(
        levers=levers,
        regime=regime,
        allocation=allocation,
        integration=integration,
        consultants=consultants,
        couplings=MappingProxyType(s),
        effects=MappingProxyType({name: effects[name] for name in order}),
        report=report,
    )


def runners_for(G=None, *, runs=DEFAULT_RUNS, seed=DEFAULT_SEED, leaves=None, surge=None):
    """The three runs `assess_coupled` makes, as functions of what the couplings change.

    ``"leaders"``: ``(levers, threshold_mean) -> ScenarioStats`` (`capstone.leaders_run` on `G`
    with `runs`, `seed`, `leaves`, the mean threshold changed only if it differs from the
    default); ``"regime"``: ``regime -> CapabilityRun`` (`capstone.regime_run` under `surge`);
    ``"knowledge"``: ``(allocation, integration, consultants, max_capability) ->
    (KnowledgeRun, Diagnosis)`` (the knowledge model's ceiling changed only if it differs from
    the default).  Every argument is hashable, so an app can wrap each in a cache.
    """
    G = default_organisation() if G is None else G
    base = float(ASSUMPTIONS["threshold_mean"].default)
    most = float(CALIBRATION["max_capability"].default)

    def leaders(levers, threshold_mean):
        assumptions = None if threshold_mean == base else {"threshold_mean": threshold_mean}
        return leaders_run(
            levers, G=G, runs=runs, seed=seed, leaves=leaves, assumptions=assumptions
        )

    def knowledge(allocation, integration, consultants, ceiling):
        params = None if ceiling == most else {"max_capability": ceiling}
        run = simulate_knowledge(allocation, integration, consultants=consultants, params=params)
        return run, diagnose(allocation, integration, consultants=consultants, params=params)

    return {
        "leaders": leaders,
        "regime": lambda regime: regime_run(regime, surge=surge),
        "knowledge": knowledge,
    }


# --------------------------------------------------------------------------- in words


def _effect(name, s, model, what, uncoupled, coupled, driver):
    """The `Effect` of coupling `name` (strength ``s[name]``), with its sentence."""
    strength = s[name]
    sentence = _SENTENCES[name](uncoupled, coupled, driver)
    if strength == 0.0:
        sentence = f"{name.replace('_', ' ').capitalize()} is off."
    return Effect(name, strength, model, what, uncoupled, coupled, float(driver), sentence)


def _shares(allocation):
    return "/".join(f"{round(100 * x)}%" for x in allocation)


def _mandate_sentence(before, after, mandate):
    if mandate == 0:
        return f"There is no mandate, so the regime's control stays at {before:.2f}."
    return (
        f"The mandate (on {mandate:.0%} of people) raises the regime's control from "
        f"{before:.2f} to {after:.2f}, lowering its climate for improvement."
    )


def _threshold_sentence(before, after, control):
    if after == before:
        return f"The regime's control is 0, so the mean threshold stays at {before:g}."
    return (
        f"The regime's control ({control:.2f}) raises the leader network's mean threshold from "
        f"{before:g} to {round(after, 3):g}."
    )


def _trap_sentence(before, after, lost):
    if after == before:
        if lost > 0:
            return (
                f"The regime ends with {lost:.0%} of its improvement hours lost, but the plan has "
                "no research or capacity building to lose."
            )
        return (
            "The regime keeps its improvement hours, so research and capacity building keep "
            f"their effort ({_shares(before)})."
        )
    return (
        f"The regime ends with {lost:.0%} of its improvement hours lost, so effort moves from "
        f"research and capacity building to practice: {_shares(before)} becomes "
        f"{_shares(after)}."
    )


def _integration_sentence(before, after, committed):
    return (
        f"With {committed:.0%} of people committed, the plan's integration goes from "
        f"{before:.2f} to {after:.2f}."
    )


def _capability_sentence(before, after, kept):
    if math.isclose(after, before):
        return (
            f"The regime keeps its process capability ({kept:.2f} of its start), so capacity "
            f"building can still reach {before:g} times today's capability."
        )
    return (
        f"The regime's process capability ends at {kept:.2f} of its start, so the most "
        f"capability capacity building can reach goes from {before:g} to {after:.2f} times "
        "today's."
    )


_SENTENCES = {
    "mandate_drains_climate": _mandate_sentence,
    "control_raises_thresholds": _threshold_sentence,
    "trap_starves_learning": _trap_sentence,
    "commitment_scales_integration": _integration_sentence,
    "capability_feeds_practice": _capability_sentence,
}


def _join(items):
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
