"""The knowledge cycle: research, capacity building and practice, integrated or fragmented.

Senge (1997) argues that enduring learning comes only from three interrelated
activities: **research** (discovery that leads to generalisable theory),
**capacity building** (people's capabilities and knowledge) and **practice**
(people achieving practical outcomes together).  Split across universities,
consulting firms and businesses they fail in typical ways: "ivory-tower research
that is rarely applied", consulting that solves problems but builds no capacity,
and "nonstop fire fighting".  This module is a small system dynamics model of
that cycle (after Senge & Scharmer 2001, "Community Action Research"), built on
:mod:`senge_course.models.dynamics`.

Time is in **quarters** (three months): a 10-year projection is 40 quarters.
Quarter ``k`` runs from time ``k - 1`` to time ``k``.

Decisions
---------
``allocation``
    The shares of the organisation's effort for research, capacity building and
    practice, ``(r, c, p)``, each in [0, 1] and summing to 1.
``integration``
    ``g`` in [0, 1]: how tightly the three communities are coupled.  Research
    turns the practice's experience into theory only as far as they are
    integrated, and capacity building teaches research's theory only as far as
    they are integrated.
``consultants``
    Optionally, capability rented from consultants (:class:`Consultants`).

Stocks (all start where a firm that has only firefought for years settles)
--------------------------------------------------------------------------
``theory`` (head)
    Generalisable theory and method the organisation can draw on; starts at 0.
``capability`` (heart)
    The firm's own skills, tools and personal mastery; starts at 1.
``experience`` (hand)
    The experience and results base: practical know-how from recent practice;
    starts at 1.
``consultant``
    Capability rented from consultants; starts at 0.

Equations (``C_tot = capability + consultant``, ``own = capability / C_tot``)
------------------------------------------------------------------------------
* results per quarter ``R = p**practice_returns * C_tot``: practice with
  capability produces results; doubling practice less than doubles them
  (diminishing returns: the last hours of firefighting go to the least valuable work);
* d theory/dt = ``research_rate * r * (ungrounded_research + g * experience)
  - theory / theory_time``: research draws on the practice's experience only as
  far as the communities are integrated (with ``g = 0`` it studies only its own
  agenda, ``ungrounded_research``);
* d capability/dt = ``teaching_rate * c * (generic_training + g * theory)
  * (1 - capability / max_capability) + learning_on_the_job * p * own
  - (capability - basic_capability) / capability_time``: capacity building turns
  theory into capability, with diminishing returns as capability approaches its
  maximum; practice maintains skills ("use it or lose it"), but only the share
  of the work the firm's own people do; skills erode towards basic capability;
* d experience/dt = ``p * capability / experience_time - experience / experience_time``:
  practice with the firm's own capability builds experience, which fades;
* d consultant/dt = ``(spend(t) - consultant) / consultant_time``: rented
  capability arrives while the firm pays and leaves when it stops.

``learning_on_the_job = (1 - basic_capability) / capability_time``, so a firm
doing only practice keeps capability 1, experience 1 and results 1 a quarter
for ever: every plan starts from that steady state, and its results are
measured against it (1 a quarter is "today's results", the **all-practice
baseline**).

The reinforcing loop research -> capacity building -> practice -> research has
the gain (:func:`loop_gain`, at the starting capability 1)

    ``G = (research_rate * theory_time * r * g)
    * (teaching_rate * capability_time * c * g * (1 - 1 / max_capability)) * p``

It is 0 unless every share is positive and the communities are coupled, and
it grows as ``g**2``.  While ``G < 1`` the loop only amplifies what training
and practice do anyway; above 1 it feeds on itself until capability nears its
maximum.

Calibration
-----------
The values (``MODEL.parameters`` holds each one's range, unit and meaning):
theory_time 8 quarters, research_rate 1.25, ungrounded_research 0.25,
capability_time 4 quarters, basic_capability 0.2, max_capability 3,
teaching_rate 3, generic_training 0.05, experience_time 4 quarters,
consultant_time 1 quarter, practice_returns 0.6.  They are illustrative, not
estimated from data: they are calibrated so that the behaviours the lessons
teach hold with a margin (see ``tests/test_knowledge.py``, which checks them for
several step sizes):

* all practice, ``(0, 0, 1)``, has the best results over the first year of any
  plan, and never grows (1 a quarter, for ever);
* all research, ``(1, 0, 0)``, produces no results;
* with full integration the balanced plan `BALANCED` (research 20%, capacity
  building 20%, practice 60%: the best 10-year plan on a 5-point grid) first
  dips to 0.73 a quarter, is back above the starting level from quarter 5 and
  delivers about 1.5 times as much as all practice over 10 years, more than any
  plan that starves one of the three activities;
* with integration 0.25 the same plan delivers far less, and less than all practice;
* consultants lift results while the firm pays them, but the firm's own
  capability withers; when they leave, results fall below where they started;
* the best plan for a horizon of a year or two is all practice; for 3 years or
  more it is balanced and integrated (:func:`best_allocation`).

Examples
--------
All practice holds today's results, 1 a quarter; the balanced, integrated plan
delivers about half as much again over 10 years, after a dip:

>>> firefighting = simulate(ALL_PRACTICE, integration=1.0)
>>> round(firefighting.total, 1)
40.0
>>> learning = simulate(BALANCED, integration=1.0)
>>> round(learning.total, 1), round(float(learning.results[0]), 2), learning.break_even_quarter
(59.9, 0.73, 5)
>>> diagnose(BALANCED, integration=0.25).mode
'fragmented'
"""

import math
from dataclasses import dataclass, field
from numbers import Real
from types import MappingProxyType

import numpy as np

from .._validate import check_fraction, check_integer, check_number
from .dynamics import StockFlow, integrate
from .parameters import Parameter

__all__ = [
    "check_allocation",
    "check_consultants",
    "ACTIVITIES",
    "ALL_PRACTICE",
    "ALL_RESEARCH",
    "BALANCED",
    "EQUAL",
    "MAX_PERIODS",
    "MAX_SPEND",
    "MODEL",
    "MODES",
    "START",
    "Consultants",
    "Diagnosis",
    "KnowledgeRun",
    "best_allocation",
    "diagnose",
    "loop_gain",
    "normalise",
    "simulate",
]

#: The three activities, in the order of an allocation's shares.
ACTIVITIES = ("research", "capacity building", "practice")
#: Nonstop firefighting: everything into practice.
ALL_PRACTICE = (0.0, 0.0, 1.0)
#: The ivory tower: everything into research.
ALL_RESEARCH = (1.0, 0.0, 0.0)
#: The best plan over 10 years with full integration, on a grid of 5-point steps.
BALANCED = (0.2, 0.2, 0.6)
#: A third each.
EQUAL = (1 / 3, 1 / 3, 1 / 3)
#: Longest projection, in quarters (100 years).
MAX_PERIODS = 400
#: Most capability a firm can rent, as a multiple of its own starting capability.
MAX_SPEND = 5.0
#: The diagnoses, mode -> title.
MODES = MappingProxyType(
    {
        "ivory tower": "Ivory tower: theory that never reaches practice",
        "consulting dependency": "Consulting dependency: the burden shifts to the consultants",
        "firefighting": "Firefighting: practice that never renews itself",
        "fragmented": "Fragmented: three communities that do not learn from each other",
        "integrated": "Integrated: head, heart and hand in one cycle",
    }
)

#: A share below this (5 points) counts as starving the activity, in `diagnose`.
STARVED = 0.05
#: Quarters a diagnosis looks ahead (10 years), at least.
DIAGNOSIS_PERIODS = 40
_SUM_TOLERANCE = 1e-6
# A share this close below 0 is round-off (1 - 0.7 - 0.3 < 0), taken as 0.
_ROUND_OFF = 1e-12

# The calibrated constants: one source for each default, range, unit and meaning.
_CALIBRATION = {
    "theory_time": Parameter(
        8.0,
        low=1.0,
        high=80.0,
        unit="quarters",
        description="time constant over which theory is forgotten or overtaken",
    ),
    "research_rate": Parameter(
        1.25,
        low=0.0,
        high=20.0,
        unit="theory per quarter per unit of research and experience",
        description="how fast research turns experience into theory",
    ),
    "ungrounded_research": Parameter(
        0.25,
        low=0.0,
        high=5.0,
        unit="experience-equivalents",
        description="what research studies without the practice's experience (its own agenda)",
    ),
    "capability_time": Parameter(
        4.0,
        low=1.0,
        high=80.0,
        unit="quarters",
        description="time constant over which unused skills erode towards basic capability",
    ),
    "basic_capability": Parameter(
        0.2,
        low=0.0,
        high=1.0,
        high_open=True,
        unit="capability",
        description="capability left when nobody practises or learns",
    ),
    "max_capability": Parameter(
        3.0,
        low=1.0,
        high=20.0,
        low_open=True,
        unit="capability",
        description="most capability capacity building can reach (3 times today's)",
    ),
    "teaching_rate": Parameter(
        3.0,
        low=0.0,
        high=50.0,
        unit="capability per quarter per unit of capacity building and theory",
        description="how fast capacity building turns theory into capability",
    ),
    "generic_training": Parameter(
        0.05,
        low=0.0,
        high=5.0,
        unit="theory-equivalents",
        description="what capacity building teaches without research's theory",
    ),
    "experience_time": Parameter(
        4.0,
        low=1.0,
        high=80.0,
        unit="quarters",
        description="time constant over which experience fades and practice renews it",
    ),
    "consultant_time": Parameter(
        1.0,
        low=0.25,
        high=20.0,
        unit="quarters",
        description="time for consultants to arrive after hiring and to leave after the last payment",
    ),
    "practice_returns": Parameter(
        0.6,
        low=0.0,
        high=1.0,
        low_open=True,
        unit="exponent",
        description="returns to practice effort: results grow as practice**practice_returns",
    ),
}
# The run's decisions, as the integrator sees them (simulate checks them more strictly).
_INPUTS = {
    "research": Parameter(0.0, low=0.0, high=1.0, description="share of effort for research"),
    "capacity_building": Parameter(
        0.0, low=0.0, high=1.0, description="share of effort for capacity building"
    ),
    "practice": Parameter(1.0, low=0.0, high=1.0, description="share of effort for practice"),
    "integration": Parameter(
        1.0, low=0.0, high=1.0, description="how tightly the three communities are coupled"
    ),
    "consultant_spend": Parameter(
        0.0, low=0.0, high=MAX_SPEND, unit="capability", description="capability rented"
    ),
    "consultant_start": Parameter(
        0.0, low=0.0, unit="quarters", description="time the consultants are hired"
    ),
    "consultant_quarters": Parameter(
        0.0,
        low=0.0,
        unit="quarters",
        description="how long the firm pays them; 0 means to the end of the run",
    ),
}
#: The stocks' values for a firm that has only firefought for years (every run starts here).
START = MappingProxyType(
    {"theory": 0.0, "capability": 1.0, "experience": 1.0, "consultant": 0.0, "delivered": 0.0}
)


@dataclass(frozen=True)
class Consultants:
    """Capability rented from consultants: how much, from when, until when.

    Consultants bring capability that works like the firm's own while the firm
    pays them, and leaves (over `consultant_time`, a quarter) when it stops.
    While they work, the firm's own people do less of the work, so they keep up
    fewer of their own skills and gain less experience.

    Parameters
    ----------
    spend : float, in (0, 5]
        Capability rented, as a multiple of the firm's own starting capability
        (0.5: consultants worth half of the firm's own people).  Fees are not
        subtracted from results: they come from another budget.
    start : int, optional
        Quarters elapsed when they are hired (default 0: from the first quarter).
    stop_at : int or None, optional
        Quarters elapsed when the firm stops paying (8: they work through
        quarter 8); None (default) keeps paying to the end of the run.

    Raises
    ------
    ValueError, TypeError
        If `spend` is not in (0, 5], `start` not a whole number >= 0 or
        `stop_at` not a whole number after `start`.

    Examples
    --------
    Consultants worth half the firm's capability for the first two years:

    >>> Consultants(0.5, stop_at=8)
    Consultants(spend=0.5, start=0, stop_at=8)
    >>> Consultants(0.5, start=4, stop_at=2)
    Traceback (most recent call last):
    ...
    ValueError: stop_at must be a whole number of quarters after start=4 (or None: never), \
got stop_at=2
    """

    spend: float
    start: int = 0
    stop_at: int | None = None

    def __post_init__(self):
        spend = check_number("spend", self.spend, low=0.0, high=MAX_SPEND, low_open=True)
        start = check_integer("start", self.start, low=0, high=MAX_PERIODS)
        stop_at = self.stop_at
        if stop_at is not None:
            if (
                isinstance(stop_at, bool)
                or not isinstance(stop_at, Real)
                or stop_at != int(stop_at)
            ):
                raise TypeError(
                    f"stop_at must be a whole number of quarters or None, got stop_at={stop_at!r}"
                )
            stop_at = int(stop_at)
            if stop_at <= start:
                raise ValueError(
                    f"stop_at must be a whole number of quarters after start={start} "
                    f"(or None: never), got stop_at={self.stop_at!r}"
                )
        object.__setattr__(self, "spend", spend)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "stop_at", stop_at)

    @property
    def quarters(self):
        """How many quarters the firm pays (None: to the end of the run)."""
        return None if self.stop_at is None else self.stop_at - self.start


@dataclass(frozen=True, eq=False)
class KnowledgeRun:
    """One projection of the knowledge cycle (see :func:`simulate`).

    Every series has one value per quarter: index ``i`` is quarter ``i + 1``
    (the stocks at its end, the results during it).

    Attributes
    ----------
    allocation : tuple of float
        ``(research, capacity building, practice)`` shares.
    integration : float
    periods : int
        Quarters projected.
    consultants : Consultants or None
    dt : float
        Time step, in quarters.
    quarter : numpy.ndarray
        ``1, 2, ..., periods``.
    theory, capability, experience, consultant : numpy.ndarray
        The stocks at the end of each quarter (``consultant``: rented capability).
    results : numpy.ndarray
        Results delivered in each quarter (1 = today's results, a quarter of
        all practice).
    cumulative : numpy.ndarray
        Results delivered up to the end of each quarter.
    initial : mapping
        The stocks at time 0.
    baseline : float
        Results per quarter of the all-practice plan (and of the firm before
        the plan starts): 1.
    """

    allocation: tuple
    integration: float
    periods: int
    consultants: Consultants | None
    dt: float
    quarter: np.ndarray = field(repr=False)
    theory: np.ndarray = field(repr=False)
    capability: np.ndarray = field(repr=False)
    experience: np.ndarray = field(repr=False)
    consultant: np.ndarray = field(repr=False)
    results: np.ndarray = field(repr=False)
    cumulative: np.ndarray = field(repr=False)
    initial: dict = field(repr=False)
    baseline: float = 1.0

    @property
    def total(self):
        """Results delivered over the whole projection."""
        return float(self.cumulative[-1])

    @property
    def baseline_total(self):
        """What all practice delivers over the same quarters."""
        return self.baseline * self.periods

    @property
    def break_even_quarter(self):
        """First quarter from which results stay at or above the starting level (None: never).

        All practice breaks even at once (quarter 1); a balanced plan after its dip.
        """
        below = np.flatnonzero(self.results < self.baseline * (1 - 1e-9))
        if below.size == 0:
            return 1
        last = int(below[-1]) + 1  # the last quarter below, 1-based
        return None if last == self.periods else last + 1

    @property
    def payback_quarter(self):
        """First quarter from which cumulative results stay at or above all practice's (None: never)."""
        behind = np.flatnonzero(self.cumulative < self.baseline * self.quarter * (1 - 1e-9))
        if behind.size == 0:
            return 1
        last = int(behind[-1]) + 1
        return None if last == self.periods else last + 1

    @property
    def summary(self):
        """One or two sentences on what the projection shows, for captions and alt text.

        >>> print(simulate(ALL_PRACTICE, integration=0.5, periods=8).summary)
        Research 0%, capacity building 0%, practice 100%, integration 0.50: over 8 quarters \
results total 8.0, the same as all practice (8.0). Results stay at 1.00 a quarter.
        """
        r, c, p = (round(100 * s) for s in self.allocation)
        total, base = self.total, self.baseline_total
        if abs(total - base) <= 0.005 * base:
            versus = f"the same as all practice ({base:.1f})"
        elif total > base:
            versus = f"{total / base:.2f} times all practice ({base:.1f})"
        else:
            versus = f"{total / base:.0%} of all practice ({base:.1f})"
        first, low, last = self.results[0], self.results.min(), self.results[-1]
        if np.ptp(self.results) < 0.005:
            shape = f"Results stay at {last:.2f} a quarter."
        elif low < first - 0.005 and last > low + 0.005:
            q = int(np.argmin(self.results)) + 1
            shape = (
                f"Results start at {first:.2f} a quarter, dip to {low:.2f} in quarter {q} "
                f"and end at {last:.2f}."
            )
        else:
            shape = f"Results go from {first:.2f} to {last:.2f} a quarter."
        return (
            f"Research {r}%, capacity building {c}%, practice {p}%, integration "
            f"{self.integration:.2f}: over {self.periods} quarters results total {total:.1f}, "
            f"{versus}. {shape}"
        )


@dataclass(frozen=True)
class Diagnosis:
    """What a plan's knowledge cycle suffers from, or that it is healthy (see :func:`diagnose`).

    Attributes
    ----------
    mode : str
        One of ``"ivory tower"``, ``"consulting dependency"``, ``"firefighting"``,
        ``"fragmented"`` or ``"integrated"`` (the keys of `MODES`).
    title : str
        The mode's title, for a heading.
    explanation : str
        A paragraph for the learner: which loop is broken and what to change.
    loop_gain : float
        The reinforcing loop's gain (:func:`loop_gain`); the loop grows above 1.
    needed_integration : float or None
        The least integration at which this allocation's loop grows (gain 1),
        or None if it cannot grow even fully integrated.
    total, baseline_total : float
        Results over the diagnosis's projection (at least 10 years), and what
        all practice delivers over the same quarters.
    """

    mode: str
    title: str
    explanation: str = field(repr=False)
    loop_gain: float = 0.0
    needed_integration: float | None = None
    total: float = 0.0
    baseline_total: float = 0.0


def simulate(allocation, integration, *, periods=40, consultants=None, dt=0.25, params=None):
    """Project a plan: how theory, capability, experience and results evolve, quarter by quarter.

    Every plan starts from the same firm: one that has done nothing but
    practice for years, at its steady state (no theory, capability 1,
    experience 1, results 1 a quarter).

    Parameters
    ----------
    allocation : sequence of 3 float
        Shares of effort for ``(research, capacity building, practice)``, each
        in [0, 1], summing to 1 (they are not rescaled for you: see :func:`normalise`).
    integration : float, in [0, 1]
        How tightly the three communities are coupled.
    periods : int, optional
        Quarters to project (default 40: 10 years), 1 to 400.
    consultants : Consultants or None, optional
        Capability rented from consultants (default None: none).
    dt : float, optional
        Time step in quarters (default 0.25, about three weeks); it must divide
        a quarter into whole steps (1/dt a whole number) and be at most 0.25.
    params : mapping of str to float, optional
        Changes to the calibrated constants (names and ranges in
        ``MODEL.parameters``, e.g. ``{"theory_time": 12}``), for experiments.

    Returns
    -------
    KnowledgeRun

    Raises
    ------
    ValueError
        If a share is negative, not finite or the shares do not sum to 1; if
        `integration` is outside [0, 1], `periods` is not 1 to 400, `dt` does
        not divide a quarter, or the consultants start after the run ends.
    TypeError
        If a value has the wrong type, or `params` names an unknown constant.

    Examples
    --------
    All research produces theory but no results at all:

    >>> run = simulate(ALL_RESEARCH, integration=1.0)
    >>> run.total, round(float(run.theory[-1]), 2)
    (0.0, 2.5)

    Consultants worth half the firm's capability for two years: results rise
    while the firm pays, then fall below where they started (1 a quarter),
    because the firm's own capability withered meanwhile:

    >>> run = simulate(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=8))
    >>> round(float(run.results[:8].max()), 2), round(float(run.capability[7]), 2)
    (1.38, 0.74)
    >>> round(float(run.results[8:].min()), 2)
    0.83

    Shares must add up to 1:

    >>> simulate((0.5, 0.3, 0.3), integration=1.0)
    Traceback (most recent call last):
    ...
    ValueError: allocation shares must sum to 1 (research + capacity building + practice), \
got 0.5 + 0.3 + 0.3 = 1.1; to rescale them, use normalise((0.5, 0.3, 0.3))
    """
    shares = check_allocation(allocation)
    integration = check_fraction("integration", integration)
    periods = check_integer("periods", periods, low=1, high=MAX_PERIODS)
    consultants = check_consultants(consultants, periods)
    dt = _check_dt(dt)
    given = {} if params is None else dict(params)
    clash = sorted(set(given) & set(_INPUTS))
    if clash:
        raise TypeError(
            f"params may change only the calibrated constants, not the decisions {clash}: "
            "pass allocation, integration and consultants as arguments"
        )
    values = dict(given)
    values.update(
        research=shares[0],
        capacity_building=shares[1],
        practice=shares[2],
        integration=integration,
    )
    if consultants is not None:
        values.update(
            consultant_spend=consultants.spend,
            consultant_start=float(consultants.start),
            consultant_quarters=float(consultants.quarters or 0),
        )
    initial = dict(START)
    traj = integrate(MODEL, initial, duration=float(periods), dt=dt, params=values)
    per = round(1.0 / dt)
    ends = slice(per, None, per)  # the points at the end of each quarter
    delivered = np.asarray(traj["delivered"])
    cumulative = _frozen(delivered[ends])
    results = _frozen(np.diff(delivered[::per]))
    return KnowledgeRun(
        allocation=shares,
        integration=integration,
        periods=periods,
        consultants=consultants,
        dt=dt,
        quarter=_frozen(np.arange(1, periods + 1), dtype=int),
        theory=_frozen(traj["theory"][ends]),
        capability=_frozen(traj["capability"][ends]),
        experience=_frozen(traj["experience"][ends]),
        consultant=_frozen(traj["consultant"][ends]),
        results=results,
        cumulative=cumulative,
        initial=MappingProxyType({k: v for k, v in initial.items() if k != "delivered"}),
    )


def loop_gain(allocation, integration, *, params=None):
    """Return the gain of the reinforcing loop research -> capacity building -> practice -> research.

    Going once round the loop at the starting capability: research turns a
    unit of experience into ``research_rate * theory_time * r * g`` theory;
    capacity building turns that into ``teaching_rate * capability_time * c * g
    * (1 - 1 / max_capability)`` capability; practice turns capability into
    ``p`` experience.  The gain is their product.  Above 1 the loop feeds on
    itself (until capability nears its maximum); below 1 it dies out.

    Parameters
    ----------
    allocation : sequence of 3 float
        ``(research, capacity building, practice)``, summing to 1.
    integration : float, in [0, 1]
    params : mapping, optional
        Changes to the calibrated constants, as in :func:`simulate`.

    Returns
    -------
    float

    Examples
    --------
    The balanced plan's loop grows when fully integrated (gain 1.92), not at
    integration 0.5 (a quarter of that, 0.48); starving any activity breaks it:

    >>> round(loop_gain(BALANCED, 1.0), 2), round(loop_gain(BALANCED, 0.5), 2)
    (1.92, 0.48)
    >>> loop_gain((0.0, 0.4, 0.6), 1.0)
    0.0
    """
    r, c, p = check_allocation(allocation)
    g = check_fraction("integration", integration)
    q = _constants(params)
    to_theory = q["research_rate"] * q["theory_time"] * r * g
    to_capability = q["teaching_rate"] * q["capability_time"] * c * g
    to_capability *= 1.0 - 1.0 / q["max_capability"]
    return to_theory * to_capability * p


def diagnose(allocation, integration, *, consultants=None):
    """Name what a plan's knowledge cycle suffers from, or say that it is healthy.

    The rules, in order (a share below 5% counts as starving an activity):

    1. **consulting dependency**: consultants are hired and the firm's own
       capability when they leave (or at the end) is below where it started and
       below where it would be without them;
    2. **ivory tower**: practice is starved, or research gets effort while
       capacity building is starved (theory never becomes skill);
    3. **firefighting**: research is starved (nothing new to learn: practice,
       perhaps with training in what is already known);
    4. all three get effort, but the loop's gain (:func:`loop_gain`) is below 1:
       **fragmented** if full integration would make it grow, otherwise
       **firefighting** if practice has the largest share (research and
       capacity building are too thin for any loop) or **ivory tower** if not;
    5. the loop grows: **ivory tower** if results after 10 years are still below
       the starting level (too little practice to use what is learned),
       otherwise **integrated**.

    The projection behind the explanation covers 10 years, or longer when
    consultants are hired or stop later (until 8 quarters after that).

    Parameters
    ----------
    allocation : sequence of 3 float
        ``(research, capacity building, practice)``, summing to 1.
    integration : float, in [0, 1]
    consultants : Consultants or None, optional

    Returns
    -------
    Diagnosis

    Examples
    --------
    Each failure mode, and health:

    >>> diagnose(ALL_PRACTICE, 1.0).mode
    'firefighting'
    >>> diagnose(ALL_RESEARCH, 1.0).mode
    'ivory tower'
    >>> diagnose(EQUAL, 0.2).mode
    'fragmented'
    >>> diagnose(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=8)).mode
    'consulting dependency'
    >>> d = diagnose(BALANCED, 1.0)
    >>> d.title
    'Integrated: head, heart and hand in one cycle'
    >>> print(d.explanation[:60])
    Research gets 20%, capacity building 20% and practice 60% of
    """
    shares = check_allocation(allocation)
    integration = check_fraction("integration", integration)
    consultants = check_consultants(consultants, MAX_PERIODS)
    periods = DIAGNOSIS_PERIODS
    if consultants is not None:
        last = consultants.start if consultants.stop_at is None else consultants.stop_at
        periods = min(max(periods, last + 8), MAX_PERIODS)
    consultants = check_consultants(consultants, periods)
    run = simulate(shares, integration, periods=periods, consultants=consultants)
    gain = loop_gain(shares, integration)
    full = loop_gain(shares, 1.0)
    needed = 1.0 / math.sqrt(full) if full >= 1.0 else None
    r, c, p = shares

    mode = None
    if consultants is not None:
        without = simulate(shares, integration, periods=periods)
        at = (consultants.stop_at or periods) - 1
        own, own_without = float(run.capability[at]), float(without.capability[at])
        if own < run.initial["capability"] and own < own_without - 1e-6:
            mode = "consulting dependency"
    if mode is None:
        if p < STARVED or (r >= STARVED and c < STARVED):
            mode = "ivory tower"
        elif r < STARVED:
            mode = "firefighting"
        elif gain < 1.0:
            if full >= 1.0:
                mode = "fragmented"
            else:
                mode = "firefighting" if p >= max(r, c) else "ivory tower"
        elif run.results[DIAGNOSIS_PERIODS - 1] < run.baseline:
            mode = "ivory tower"
        else:
            mode = "integrated"
    explanation = _EXPLAIN[mode](run, gain, full, needed, c < STARVED)
    return Diagnosis(
        mode=mode,
        title=MODES[mode],
        explanation=explanation,
        loop_gain=gain,
        needed_integration=needed,
        total=run.total,
        baseline_total=run.baseline_total,
    )


def best_allocation(periods=40, integration=1.0, *, step=0.05, consultants=None):
    """Return the allocation with the most cumulative results over `periods` quarters.

    Tries every allocation on a grid of `step` (0.05: 231 plans) and keeps the
    first best (research, then capacity building, in increasing order).

    Parameters
    ----------
    periods : int, optional
        The planning horizon in quarters (default 40).
    integration : float, in [0, 1], optional
        Integration for every plan tried (default 1).
    step : float, optional
        Grid step, 1/step a whole number from 2 to 100 (default 0.05).
    consultants : Consultants or None, optional

    Returns
    -------
    tuple of float
        ``(research, capacity building, practice)``.

    Examples
    --------
    The planning horizon changes the best choice: over one year nothing beats
    firefighting; over ten, a balanced and integrated plan does, by far:

    >>> best_allocation(4)
    (0.0, 0.0, 1.0)
    >>> best_allocation(40)
    (0.2, 0.2, 0.6)
    """
    periods = check_integer("periods", periods, low=1, high=MAX_PERIODS)
    integration = check_fraction("integration", integration)
    step = check_number("step", step, low=0.01, high=0.5)
    n = round(1.0 / step)
    if abs(n * step - 1.0) > 1e-9:
        raise ValueError(f"step must divide 1 into whole steps (0.1, 0.05, ...), got step={step:g}")
    consultants = check_consultants(consultants, periods)
    best, best_total = None, -math.inf
    for i in range(n + 1):
        for j in range(n + 1 - i):
            shares = (i / n, j / n, (n - i - j) / n)
            total = simulate(shares, integration, periods=periods, consultants=consultants).total
            if total > best_total + 1e-9:
                best, best_total = shares, total
    return best


def normalise(shares):
    """Return three non-negative shares rescaled to sum to 1.

    Parameters
    ----------
    shares : sequence of 3 float
        Non-negative, finite, not all 0 (e.g. percentages or person-weeks).

    Returns
    -------
    tuple of float

    Raises
    ------
    ValueError, TypeError
        If a share is negative or not a finite number, or all are 0.

    Examples
    --------
    >>> normalise((2, 1, 1))
    (0.5, 0.25, 0.25)
    """
    values = _three_shares(shares, "shares")
    total = sum(values)
    if total <= 0.0:
        raise ValueError(f"shares must not all be 0, got shares={tuple(shares)!r}")
    return tuple(v / total for v in values)


# --------------------------------------------------------------------------- model


def _rates(t, y, q):
    """Rates of theory, capability, experience, consultant and delivered results, then auxiliaries."""
    (
        r,
        c,
        p,
        g,
        returns,
        research,
        ungrounded,
        per_theory,
        teaching,
        generic,
        per_max,
        on_the_job,
        floor,
        per_capability,
        per_experience,
        per_consultant,
        spend,
        hired,
        leave,
    ) = q
    theory, capability, experience, consultant, _ = y
    total = capability + consultant
    own = capability / total if total > 0.0 else 1.0
    renting = spend if hired <= t < leave else 0.0
    results = returns * total
    return (
        research * r * (ungrounded + g * experience) - theory * per_theory,
        teaching * c * (generic + g * theory) * (1.0 - capability * per_max)
        + on_the_job * p * own
        - (capability - floor) * per_capability,
        (p * capability - experience) * per_experience,
        (renting - consultant) * per_consultant,
        results,
        results,
        own,
    )


def _prepare(p):
    """Precompute the floats `_rates` reads, once per run (see StockFlow.prepare)."""
    practice = p["practice"]
    start = p["consultant_start"]
    end = start + p["consultant_quarters"] if p["consultant_quarters"] > 0 else math.inf
    return (
        p["research"],
        p["capacity_building"],
        practice,
        p["integration"],
        practice ** p["practice_returns"] if practice > 0.0 else 0.0,
        p["research_rate"],
        p["ungrounded_research"],
        1.0 / p["theory_time"],
        p["teaching_rate"],
        p["generic_training"],
        1.0 / p["max_capability"],
        (1.0 - p["basic_capability"]) / p["capability_time"],
        p["basic_capability"],
        1.0 / p["capability_time"],
        1.0 / p["experience_time"],
        1.0 / p["consultant_time"],
        p["consultant_spend"],
        start - 1e-9,  # hired at `start`, robust to rounding in t = i * dt
        end - 1e-9,
    )


def _time_constants(p):
    return {
        name: p[name]
        for name in ("theory_time", "capability_time", "experience_time", "consultant_time")
    }


#: The knowledge cycle as a :class:`~senge_course.models.dynamics.StockFlow` (time in quarters).
MODEL = StockFlow(
    stocks=("theory", "capability", "experience", "consultant", "delivered"),
    rates=_rates,
    parameters={**_CALIBRATION, **_INPUTS},
    auxiliaries=("results", "own_share"),
    time_constants=_time_constants,
    prepare=_prepare,
    description="The knowledge cycle: research, capacity building and practice (in quarters).",
)


# --------------------------------------------------------------------------- explanations


def _shares_text(run):
    r, c, p = (round(100 * s) for s in run.allocation)
    return f"research gets {r}%, capacity building {c}% and practice {p}% of the effort"


def _span(periods):
    return f"{periods // 4} years" if periods % 4 == 0 else f"{periods} quarters"


def _versus(run):
    return (
        f"Over {_span(run.periods)} the plan delivers {run.total:.1f} in results, "
        f"against {run.baseline_total:.0f} for all practice"
    )


def _explain_firefighting(run, gain, full, needed, _):
    r, c, p = run.allocation
    if r < STARVED:
        broken = (
            f"Research is starved: {_shares_text(run)}. With no new theory, capacity building "
            "can only teach what is already known, and nothing renews the capability practice "
            "uses up, so the reinforcing loop research \u2192 capacity building \u2192 practice "
            f"\u2192 research never turns (its gain is {gain:.2f}; it grows only above 1)."
        )
    else:
        broken = (
            f"Practice crowds out learning: {_shares_text(run)}. Research and capacity building "
            "are too thin for the reinforcing loop research \u2192 capacity building \u2192 "
            f"practice \u2192 research to grow: its gain is {gain:.2f}, and even fully "
            f"integrated it would be {full:.2f} (it grows only above 1)."
        )
    return (
        f"{broken} Results never grow ({run.results[0]:.2f} a quarter at first, "
        f"{run.results[-1]:.2f} at the end). {_versus(run)}. This is nonstop firefighting: "
        "putting everything into practice wins the short run, which is why so many firms are "
        "stuck in it. To change it, move effort into research and capacity building (for "
        f"example research {_pct(BALANCED[0])} and capacity building {_pct(BALANCED[1])}), "
        "couple them tightly to practice (integration 0.75 or more), and hold on through a dip "
        f"of about {_balanced_break_even() - 1} quarters before results overtake firefighting."
    )


def _explain_ivory_tower(run, gain, full, needed, capacity_starved):
    r, c, p = run.allocation
    if p < STARVED:
        broken = (
            f"Practice is starved: {_shares_text(run)}. Theory and skills pile up "
            f"(theory {run.theory[-1]:.2f} after {_span(run.periods)}), but almost nobody "
            "applies them, so the loop breaks where capability should turn into results and "
            "experience."
        )
    elif capacity_starved:
        broken = (
            f"Capacity building is starved: {_shares_text(run)}. Research produces theory "
            f"({run.theory[-1]:.2f} after {_span(run.periods)}) that is never turned into "
            "people's skills, so it stays on the shelf: the loop breaks between research and "
            "practice."
        )
    else:
        broken = (
            f"Practice is too thin for what is learned: {_shares_text(run)}. The loop turns "
            f"(gain {gain:.2f}), but there is too little practice to turn the theory and skills "
            "into results."
        )
    return (
        f"{broken} This is the ivory tower: research that is rarely applied. {_versus(run)}. "
        "To change it, give practice most of the effort and capacity "
        "building a real share, so that theory becomes skill and skill becomes results, and "
        "let research draw on what practice learns (raise integration)."
    )


def _explain_fragmented(run, gain, full, needed, _):
    full_total = simulate(run.allocation, 1.0, periods=run.periods).total
    return (
        f"All three activities get effort ({_shares_text(run)}), but integration is only "
        f"{run.integration:.2f}: research hardly draws on what practice learns, and capacity "
        "building hardly teaches what research finds. The reinforcing loop research \u2192 "
        f"capacity building \u2192 practice \u2192 research has a gain of {gain:.2f}, and it "
        f"grows only above 1. {_versus(run)}; fully integrated, "
        f"the same shares would deliver {full_total:.1f}. To change it, raise integration to at least "
        f"{math.ceil(needed * 100) / 100:.2f}: put researchers, trainers and practitioners to "
        "work on the same problems (action research, learning laboratories, communities of "
        "practice, internal networkers who carry lessons between them)."
    )


def _explain_dependency(run, gain, full, needed, _):
    k = run.consultants
    peak = float(run.results[k.start : k.stop_at or run.periods].max())
    if k.stop_at is not None and k.stop_at < run.periods:
        own = float(run.capability[k.stop_at - 1])
        after = float(run.results[k.stop_at :].min())
        fate = (
            f"By the time they leave after quarter {k.stop_at}, the firm's own capability has "
            f"fallen from {run.initial['capability']:.2f} to {own:.2f}, and results fall to "
            f"{after:.2f} a quarter, below the {run.baseline:.2f} they started at."
        )
    else:
        own = float(run.capability[-1])
        fate = (
            f"The firm's own capability falls from {run.initial['capability']:.2f} to "
            f"{own:.2f}, so the day the consultants leave, results will fall below the "
            f"{run.baseline:.2f} a quarter they started at."
        )
    return (
        f"Consultants add capability while the firm pays them, so results rise (up to "
        f"{peak:.2f} a quarter). But they do the work the firm's own people would have learned "
        f"from, so those people keep up fewer skills and gain less experience. {fate} This is "
        "Shifting the Burden to the Intervenor: the quick fix weakens the firm's own ability "
        "to solve its problems. To change it, build your own capacity while the consultants "
        "are there: put effort into research and capacity building, integrate them with "
        "practice, and ask the consultants to teach rather than to do."
    )


def _explain_integrated(run, gain, full, needed, _):
    low = float(run.results.min())
    when = int(np.argmin(run.results)) + 1
    even = run.break_even_quarter
    payback = run.payback_quarter
    end = float(run.results[DIAGNOSIS_PERIODS - 1])
    dip = (
        f"Results first dip (to {low:.2f} a quarter in quarter {when}), because effort moves "
        f"from practice into learning, and are back above the starting level from quarter "
        f"{even}; "
        if low < run.baseline and even is not None
        else ""
    )
    catch_up = (
        f" (its cumulative results overtake firefighting's in quarter {payback})"
        if payback is not None and payback > 1
        else ""
    )
    return (
        f"{_shares_text(run)[0].upper()}{_shares_text(run)[1:]}, and integration is "
        f"{run.integration:.2f}, so the reinforcing loop research \u2192 capacity building "
        f"\u2192 practice \u2192 research has a gain of {gain:.2f}: above 1, it grows. {dip}"
        f"after 10 years results are {end:.2f} a quarter. {_versus(run)}{catch_up}. "
        "Head, heart and hand work as one cycle. Keep the coupling, and resist the pressure "
        "to cut research and capacity building during the dip: that is how firms slide back "
        "into firefighting."
    )


_EXPLAIN = {
    "firefighting": _explain_firefighting,
    "ivory tower": _explain_ivory_tower,
    "fragmented": _explain_fragmented,
    "consulting dependency": _explain_dependency,
    "integrated": _explain_integrated,
}


def _pct(share):
    return f"{round(100 * share)}%"


_BREAK_EVEN = []


def _balanced_break_even():
    if not _BREAK_EVEN:
        _BREAK_EVEN.append(simulate(BALANCED, 1.0).break_even_quarter)
    return _BREAK_EVEN[0]


# --------------------------------------------------------------------------- checks


def _three_shares(shares, name):
    if isinstance(shares, str | bytes) or not hasattr(shares, "__len__"):
        raise TypeError(
            f"{name} must be three numbers (research, capacity building, practice), "
            f"got {name}={shares!r}"
        )
    values = list(shares)
    if len(values) != 3:
        raise ValueError(
            f"{name} must be three numbers (research, capacity building, practice), "
            f"got {len(values)}: {name}={tuple(values)!r}"
        )
    checked = []
    for activity, value in zip(ACTIVITIES, values, strict=True):
        label = activity.replace(" ", "_")
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"the {activity} share must be a number, got {label}={value!r}")
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"the {activity} share must be a finite number, got {label}={value!r}")
        if x < -_ROUND_OFF:
            raise ValueError(f"the {activity} share must not be negative, got {label}={value!r}")
        checked.append(max(x, 0.0))  # 1 - 0.7 - 0.3 is -5.6e-17: round-off, not a choice
    return checked


def check_allocation(allocation):
    """Return `allocation` as three shares (research, capacity building, practice) summing to 1, or raise."""
    values = _three_shares(allocation, "allocation")
    total = sum(values)
    if abs(total - 1.0) > _SUM_TOLERANCE:
        shown = " + ".join(f"{x:g}" for x in values)
        raise ValueError(
            "allocation shares must sum to 1 (research + capacity building + practice), "
            f"got {shown} = {total:g}; to rescale them, use normalise(({', '.join(f'{x:g}' for x in values)}))"
        )
    return tuple(values)


def check_consultants(consultants, periods):
    """Return `consultants` (a `Consultants` or None) checked against a horizon of `periods`, or raise."""
    if consultants is None:
        return None
    if not isinstance(consultants, Consultants):
        raise TypeError(
            "consultants must be None or Consultants(spend, start=0, stop_at=None), "
            f"got {type(consultants).__name__}"
        )
    if consultants.start >= periods:
        raise ValueError(
            f"the consultants must start within the run: start must be below periods={periods}, "
            f"got start={consultants.start}"
        )
    return consultants


def _check_dt(dt):
    dt = check_number("dt", dt, low=0.0, high=0.25, low_open=True)
    per = round(1.0 / dt)
    if abs(per * dt - 1.0) > 1e-9:
        raise ValueError(
            f"dt must divide a quarter into whole steps (0.25, 0.125, 0.0625, ...), got dt={dt:g}"
        )
    return 1.0 / per


def _constants(params):
    values = {name: float(spec.default) for name, spec in _CALIBRATION.items()}
    given = {} if params is None else dict(params)
    unknown = sorted(set(given) - set(values))
    if unknown:
        raise TypeError(
            f"unknown constant(s) {', '.join(unknown)}; the constants are {', '.join(values)}"
        )
    for name, value in given.items():
        values[name] = _CALIBRATION[name].check(name, value)
    return values


def _frozen(array, dtype=float):
    array = np.array(array, dtype=dtype)
    array.setflags(write=False)
    return array
