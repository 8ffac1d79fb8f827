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

:mod:`senge_course.models.diagnosis` names what a plan suffers from (firefighting, the ivory
tower, ...).
"""

import math
from dataclasses import dataclass, field
from numbers import Real
from types import MappingProxyType

import numpy as np

from .._validate import check_fraction, check_integer, check_number
from .dynamics import StockFlow, integrate
from .parameters import Parameter, Parameters

__all__ = [
    "check_allocation",
    "check_consultants",
    "ACTIVITIES",
    "ALL_PRACTICE",
    "ALL_RESEARCH",
    "BALANCED",
    "EQUAL",
    "MAX_QUARTERS",
    "MAX_SPEND",
    "MODEL",
    "START",
    "Consultants",
    "KnowledgeRun",
    "best_allocation",
    "link_strengths",
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
MAX_QUARTERS = 400
#: Most capability a firm can rent, as a multiple of its own starting capability.
MAX_SPEND = 5.0
_SUM_TOLERANCE = 1e-6
# A share this close below 0 is round-off (1 - 0.7 - 0.3 < 0), taken as 0.
_ROUND_OFF = 1e-12

#: The calibrated constants: default, range, unit and meaning of each (`simulate`'s `params`).
CALIBRATION = Parameters(
    theory_time=Parameter(
        8.0,
        low=1.0,
        high=80.0,
        unit="quarters",
        description="time constant over which theory is forgotten or overtaken",
    ),
    research_rate=Parameter(
        1.25,
        low=0.0,
        high=20.0,
        unit="theory per quarter per unit of research and experience",
        description="how fast research turns experience into theory",
    ),
    ungrounded_research=Parameter(
        0.25,
        low=0.0,
        high=5.0,
        unit="experience-equivalents",
        description="what research studies without the practice's experience (its own agenda)",
    ),
    capability_time=Parameter(
        4.0,
        low=1.0,
        high=80.0,
        unit="quarters",
        description="time constant over which unused skills erode towards basic capability",
    ),
    basic_capability=Parameter(
        0.2,
        low=0.0,
        high=1.0,
        high_open=True,
        unit="capability",
        description="capability left when nobody practises or learns",
    ),
    max_capability=Parameter(
        3.0,
        low=1.0,
        high=20.0,
        low_open=True,
        unit="capability",
        description="most capability capacity building can reach (3 times today's)",
    ),
    teaching_rate=Parameter(
        3.0,
        low=0.0,
        high=50.0,
        unit="capability per quarter per unit of capacity building and theory",
        description="how fast capacity building turns theory into capability",
    ),
    generic_training=Parameter(
        0.05,
        low=0.0,
        high=5.0,
        unit="theory-equivalents",
        description="what capacity building teaches without research's theory",
    ),
    experience_time=Parameter(
        4.0,
        low=1.0,
        high=80.0,
        unit="quarters",
        description="time constant over which experience fades and practice renews it",
    ),
    consultant_time=Parameter(
        1.0,
        low=0.25,
        high=20.0,
        unit="quarters",
        description="time for consultants to arrive after hiring and to leave after the last payment",
    ),
    practice_returns=Parameter(
        0.6,
        low=0.0,
        high=1.0,
        low_open=True,
        unit="exponent",
        description="returns to practice effort: results grow as practice**practice_returns",
    ),
)
#: A plan's decisions besides consultants: the shares of effort (summing to 1) and the coupling.
DECISIONS = Parameters(
    research=Parameter(
        0.0, low=0.0, high=1.0, step=0.01, label="Research", description="share of effort"
    ),
    capacity_building=Parameter(
        0.0, low=0.0, high=1.0, step=0.01, label="Capacity building", description="share of effort"
    ),
    practice=Parameter(
        1.0, low=0.0, high=1.0, step=0.01, label="Practice", description="share of effort"
    ),
    integration=Parameter(
        1.0,
        low=0.0,
        high=1.0,
        step=0.05,
        label="Integration",
        description="how tightly research, capacity building and practice are coupled",
    ),
)
#: The fields of `Consultants` (``stop_at`` may also be None: to the end of the run).
CONSULTANTS = Parameters(
    spend=Parameter(
        0.5,
        low=0.0,
        high=MAX_SPEND,
        low_open=True,
        step=0.1,
        label="Capability rented",
        description="consultants' capability, as a multiple of the firm's own (1: as much again)",
    ),
    start=Parameter(
        0,
        low=0,
        high=MAX_QUARTERS,
        integer=True,
        label="Hired after quarter",
        unit="quarters",
        description="quarters elapsed when the consultants are hired",
    ),
    stop_at=Parameter(
        8,
        low=1,
        high=MAX_QUARTERS,
        integer=True,
        label="Stop paying after quarter",
        unit="quarters",
        description="quarters elapsed when the firm stops paying them",
    ),
)
# The consultants as the integrator sees them: none is spend 0, to the end is quarters 0.
_RENTED = {
    "consultant_spend": Parameter(0.0, low=0.0, high=MAX_SPEND),
    "consultant_start": Parameter(0.0, low=0.0),
    "consultant_quarters": Parameter(0.0, low=0.0),
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
        spend = CONSULTANTS["spend"].check("spend", self.spend)
        start = CONSULTANTS["start"].check("start", self.start)
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
    quarters : int
        Quarters projected.
    consultants : Consultants or None
    dt : float
        Time step, in quarters.
    quarter : numpy.ndarray
        ``1, 2, ..., quarters``.
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
    quarters: int
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
        return self.baseline * self.quarters

    @property
    def break_even_quarter(self):
        """First quarter from which results stay at or above the starting level (None: never).

        All practice breaks even at once (quarter 1); a balanced plan after its dip.
        """
        below = np.flatnonzero(self.results < self.baseline * (1 - 1e-9))
        if below.size == 0:
            return 1
        last = int(below[-1]) + 1  # the last quarter below, 1-based
        return None if last == self.quarters else last + 1

    @property
    def payback_quarter(self):
        """First quarter from which cumulative results stay at or above all practice's (None: never)."""
        behind = np.flatnonzero(self.cumulative < self.baseline * self.quarter * (1 - 1e-9))
        if behind.size == 0:
            return 1
        last = int(behind[-1]) + 1
        return None if last == self.quarters else last + 1

    @property
    def summary(self):
        """One or two sentences on what the projection shows, for captions and alt text.

        >>> print(simulate(ALL_PRACTICE, integration=0.5, quarters=8).summary)
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
            f"{self.integration:.2f}: over {self.quarters} quarters results total {total:.1f}, "
            f"{versus}. {shape}"
        )


def simulate(allocation, integration, *, quarters=40, consultants=None, dt=0.25, params=None):
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
    quarters : int, optional
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
        `integration` is outside [0, 1], `quarters` is not 1 to 400, `dt` does
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
    quarters = check_integer("quarters", quarters, low=1, high=MAX_QUARTERS)
    consultants = check_consultants(consultants, quarters)
    dt = _check_dt(dt)
    given = {} if params is None else dict(params)
    clash = sorted(set(given) & {*DECISIONS, *_RENTED})
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
    traj = integrate(MODEL, initial, duration=float(quarters), dt=dt, params=values)
    per = round(1.0 / dt)
    ends = slice(per, None, per)  # the points at the end of each quarter
    delivered = np.asarray(traj["delivered"])
    cumulative = _frozen(delivered[ends])
    results = _frozen(np.diff(delivered[::per]))
    return KnowledgeRun(
        allocation=shares,
        integration=integration,
        quarters=quarters,
        consultants=consultants,
        dt=dt,
        quarter=_frozen(np.arange(1, quarters + 1), dtype=int),
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
    return math.prod(link_strengths(allocation, integration, params=params).values())


def link_strengths(allocation, integration, *, params=None):
    """Return the factors of `loop_gain`: what each activity's link adds, at the start.

    Research (experience -> theory) ``research_rate * theory_time * r * g``, capacity building
    (theory -> capability) ``teaching_rate * capability_time * c * g * (1 - 1 / max_capability)``
    and practice (capability -> experience) ``p``, by activity (`ACTIVITIES`).

    >>> {a: round(s, 2) for a, s in link_strengths(BALANCED, 0.5).items()}
    {'research': 1.0, 'capacity building': 0.8, 'practice': 0.6}
    """
    r, c, p = check_allocation(allocation)
    g = check_fraction("integration", integration)
    q = _constants(params)
    capacity = q["teaching_rate"] * q["capability_time"] * c * g
    return {
        "research": q["research_rate"] * q["theory_time"] * r * g,
        "capacity building": capacity * (1.0 - 1.0 / q["max_capability"]),
        "practice": p,
    }


def best_allocation(quarters=40, integration=1.0, *, step=0.05, consultants=None):
    """Return the allocation with the most cumulative results over `quarters` quarters.

    Tries every allocation on a grid of `step` (0.05: 231 plans) and keeps the
    first best (research, then capacity building, in increasing order).

    Parameters
    ----------
    quarters : int, optional
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
    quarters = check_integer("quarters", quarters, low=1, high=MAX_QUARTERS)
    integration = check_fraction("integration", integration)
    step = check_number("step", step, low=0.01, high=0.5)
    n = round(1.0 / step)
    if abs(n * step - 1.0) > 1e-9:
        raise ValueError(f"step must divide 1 into whole steps (0.1, 0.05, ...), got step={step:g}")
    consultants = check_consultants(consultants, quarters)
    best, best_total = None, -math.inf
    for i in range(n + 1):
        for j in range(n + 1 - i):
            shares = (i / n, j / n, (n - i - j) / n)
            total = simulate(shares, integration, quarters=quarters, consultants=consultants).total
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
    (r, c, p, g, returns, research, ungrounded, per_theory, teaching, generic, per_max, on_the_job,
     floor, per_capability, per_experience, per_consultant, spend, hired, leave) = q  # fmt: skip
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
    parameters={**CALIBRATION, **DECISIONS, **_RENTED},
    auxiliaries=("results", "own_share"),
    time_constants=_time_constants,
    prepare=_prepare,
    description="The knowledge cycle: research, capacity building and practice (in quarters).",
)


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


def check_consultants(consultants, quarters):
    """Return `consultants` (a `Consultants` or None) checked against a horizon of `quarters`, or raise."""
    if consultants is None:
        return None
    if not isinstance(consultants, Consultants):
        raise TypeError(
            "consultants must be None or Consultants(spend, start=0, stop_at=None), "
            f"got {type(consultants).__name__}"
        )
    if consultants.start >= quarters:
        raise ValueError(
            f"the consultants must start within the run: start must be below quarters={quarters}, "
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
    values = {name: float(spec.default) for name, spec in CALIBRATION.items()}
    given = {} if params is None else dict(params)
    unknown = sorted(set(given) - set(values))
    if unknown:
        raise TypeError(
            f"unknown constant(s) {', '.join(unknown)}; the constants are {', '.join(values)}"
        )
    return values | {name: CALIBRATION[name].check(name, v) for name, v in given.items()}


def _frozen(array, dtype=float):
    array = np.array(array, dtype=dtype)
    array.setflags(write=False)
    return array
