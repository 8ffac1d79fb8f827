"""The knowledge cycle: research, capacity building and practice, integrated or fragmented.

Senge (1997) argues that enduring learning comes only from three interrelated activities:
**research** (discovery that leads to generalisable theory), **capacity building** (people's
capabilities and knowledge) and **practice** (people achieving practical outcomes together).
Split across universities, consulting firms and businesses they fail in typical ways:
"ivory-tower research that is rarely applied", consulting that solves problems but builds no
capacity, and "nonstop fire fighting".  This is a small system dynamics model of that cycle
(after Senge & Scharmer 2001, "Community Action Research") in **quarters** (quarter ``k`` runs
from time ``k - 1`` to ``k``; 10 years are 40 quarters).  A plan decides (`DECISIONS`) the
shares of effort ``(r, c, p)`` for research, capacity building and practice (summing to 1),
the integration ``g`` (research turns the practice's experience into theory, and capacity
building teaches research's theory, only as far as the three communities are integrated) and,
optionally, capability rented from `Consultants`.  :mod:`senge_course.models.diagnosis` names
what a plan suffers from (firefighting, the ivory tower, ...).

Stocks and equations
--------------------
Every plan starts where a firm that has only firefought for years settles (`START`): theory
(head) 0, the firm's own capability (heart: skills, tools, personal mastery) 1, experience
(hand: practical know-how from recent practice) 1 and rented (consultant) capability 0.  With
``C_tot = capability + consultant`` and ``own = capability / C_tot``:

* results per quarter ``R = p**practice_returns * C_tot``: doubling practice less than doubles
  them (diminishing returns: the last hours of firefighting go to the least valuable work);
* d theory/dt = ``research_rate * r * (ungrounded_research + g * experience)
  - theory / theory_time``: with ``g = 0`` research studies only its own agenda;
* d capability/dt = ``teaching_rate * c * (generic_training + g * theory)
  * (1 - capability / max_capability) + learning_on_the_job * p * own
  - (capability - basic_capability) / capability_time``: capacity building turns theory into
  capability, with diminishing returns near the maximum; practice maintains skills ("use it or
  lose it"), but only the share of the work the firm's own people do; skills erode towards
  basic capability;
* d experience/dt = ``(p * capability - experience) / experience_time``: practice with the
  firm's own capability builds experience, which fades;
* d consultant/dt = ``(spend(t) - consultant) / consultant_time``: rented capability arrives
  while the firm pays and leaves when it stops.

``learning_on_the_job = (1 - basic_capability) / capability_time``, so a firm doing only
practice keeps capability 1, experience 1 and results 1 a quarter for ever: every plan's
results are measured against that, "today's results", the **all-practice baseline**.

The reinforcing loop research -> capacity building -> practice -> research has a gain
(:func:`loop_gain`, the product of :func:`link_strengths`) that is 0 unless every share is
positive and the communities are coupled, and grows as ``g**2``.  While it is below 1 the loop
only amplifies what training and practice do anyway; above 1 it feeds on itself until
capability nears its maximum.

Calibration
-----------
`CALIBRATION` holds each constant's value, range, unit and meaning.  The values are
illustrative, not estimated from data: calibrated so that the behaviours the lessons teach hold
with a margin (``tests/test_knowledge.py`` checks them for several step sizes):

* all practice, ``(0, 0, 1)``, has the best results over the first year of any plan, and never
  grows (1 a quarter, for ever); all research, ``(1, 0, 0)``, produces no results;
* with full integration the balanced plan `BALANCED` (research 20%, capacity building 20%,
  practice 60%: the best 10-year plan on a 5-point grid) first dips to 0.73 a quarter, is back
  above the starting level from quarter 5 and delivers about 1.5 times as much as all practice
  over 10 years, more than any plan that starves one of the three activities; with integration
  0.25 it delivers far less, and less than all practice;
* consultants lift results while the firm pays them, but the firm's own capability withers;
  when they leave, results fall below where they started;
* the best plan for a horizon of a year or two is all practice; for 3 years or more it is
  balanced and integrated (:func:`best_allocation`).

Examples
--------
>>> round(simulate(ALL_PRACTICE, integration=1.0).total, 1)
40.0
>>> learning = simulate(BALANCED, integration=1.0)
>>> round(learning.total, 1), round(float(learning.results[0]), 2), learning.break_even_quarter
(59.9, 0.73, 5)
"""

import math
from dataclasses import dataclass, field, replace
from numbers import Real
from types import MappingProxyType

import numpy as np

from .._validate import check_fraction, check_integer, check_number
from ._arrays import frozen
from .dynamics import StockFlow, integrate
from .parameters import Parameters, param

__all__ = [
    "ACTIVITIES",
    "ALL_PRACTICE",
    "ALL_RESEARCH",
    "BALANCED",
    "CALIBRATION",
    "CONSULTANTS",
    "DECISIONS",
    "EQUAL",
    "MAX_QUARTERS",
    "MODEL",
    "START",
    "Consultants",
    "KnowledgeRun",
    "PayoffSweep",
    "best_allocation",
    "check_allocation",
    "check_consultants",
    "link_strengths",
    "loop_gain",
    "normalise",
    "payoff_sweep",
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
_SUM_TOLERANCE = 1e-6
# A share this close below 0 is round-off (1 - 0.7 - 0.3 < 0), taken as 0.
_ROUND_OFF = 1e-12

_CONSTANTS = Parameters(
    theory_time=param(
        8.0, "[1, 80]", None, "", "time over which theory fades or is overtaken", unit="quarters"
    ),
    research_rate=param(
        1.25, "[0, 20]", None, "", "theory a quarter per unit of research and experience"
    ),
    ungrounded_research=param(
        0.25, "[0, 5]", None, "", "research on its own agenda", unit="experience-equivalents"
    ),
    capability_time=param(
        4.0, "[1, 80]", None, "", "time over which unused skills erode", unit="quarters"
    ),
    basic_capability=param(
        0.2, "[0, 1)", None, "", "capability left with no practice or learning", unit="capability"
    ),
    max_capability=param(
        3.0, "(1, 20]", None, "", "most capability capacity building can reach", unit="capability"
    ),
    teaching_rate=param(
        3.0, "[0, 50]", None, "", "capability a quarter per unit of capacity building and theory"
    ),
    generic_training=param(
        0.05, "[0, 5]", None, "", "what training teaches without theory", unit="theory-equivalents"
    ),
    experience_time=param(
        4.0, "[1, 80]", None, "", "time over which experience fades unless renewed", unit="quarters"
    ),
    consultant_time=param(
        1.0, "[0.25, 20]", None, "", "time for consultants to arrive and to leave", unit="quarters"
    ),
    practice_returns=param(
        0.6, "(0, 1]", None, "", "results grow as practice**practice_returns", unit="exponent"
    ),
)
# Labels, steps and tops of sliders (the planner's Assumptions section, `payoff_sweep`'s range):
# the tops keep the runs plausible and stable at dt = 0.25.
_SLIDERS = {
    "research_rate": ("Research rate", 0.05, 5.0),
    "teaching_rate": ("Teaching rate", 0.1, 10.0),
    "max_capability": ("Max capability", 0.1, 6.0),
    "practice_returns": ("Practice returns", 0.05, None),
    "capability_time": ("Skills last", 0.5, 40.0),
    "consultant_time": ("Consultants leave in", 0.25, 12.0),
}
#: The calibrated constants (`simulate`'s `params` may change them, for experiments).
_SLIDER_FIELDS = ("label", "step", "control_high")
CALIBRATION = Parameters(
    **{
        name: replace(spec, **dict(zip(_SLIDER_FIELDS, _SLIDERS[name], strict=True)))
        if name in _SLIDERS
        else spec
        for name, spec in _CONSTANTS.items()
    }
)
#: A plan's decisions besides consultants: the shares of effort (summing to 1) and the coupling.
DECISIONS = Parameters(
    research=param(0.0, "[0, 1]", 0.01, "Research", "share of effort"),
    capacity_building=param(0.0, "[0, 1]", 0.01, "Capacity building", "share of effort"),
    practice=param(1.0, "[0, 1]", 0.01, "Practice", "share of effort"),
    integration=param(
        1.0, "[0, 1]", 0.05, "Integration", "how tightly the three communities are coupled"
    ),
)
#: The fields of `Consultants` (``stop_at`` may also be None: to the end of the run).
CONSULTANTS = Parameters(
    spend=param(
        0.5, "(0, 5]", 0.1, "Capability rented", "a multiple of the firm's own (1: as much again)"
    ),
    start=param(
        0,
        f"[0, {MAX_QUARTERS}] int",
        label="Hired after quarter",
        unit="quarters",
        description="quarters elapsed when the consultants are hired",
    ),
    stop_at=param(
        8,
        f"[1, {MAX_QUARTERS}] int",
        label="Stop paying after quarter",
        unit="quarters",
        description="quarters elapsed when the firm stops paying them",
    ),
)
# The consultants as the integrator sees them: none is spend 0, to the end is quarters 0.
_RENTED = {
    "consultant_spend": param(0.0, "[0, 5]"),
    "consultant_start": param(0.0, "[0, inf)"),
    "consultant_quarters": param(0.0, "[0, inf)"),
}
#: The stocks' values for a firm that has only firefought for years (every run starts here).
START = MappingProxyType(
    {"theory": 0.0, "capability": 1.0, "experience": 1.0, "consultant": 0.0, "delivered": 0.0}
)


@dataclass(frozen=True)
class Consultants:
    """Capability rented from consultants (`CONSULTANTS`): how much, from when, until when.

    Consultants bring capability that works like the firm's own while the firm pays them, and
    leaves (over `consultant_time`, a quarter) when it stops.  While they work, the firm's own
    people do less of the work, so they keep up fewer of their own skills and gain less
    experience.  Fees are not subtracted from results: they come from another budget.
    `stop_at` None (the default) keeps paying to the end of the run.  Worth half the firm's
    capability for the first two years (through quarter 8):

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
        object.__setattr__(self, "spend", CONSULTANTS["spend"].check("spend", self.spend))
        object.__setattr__(self, "start", CONSULTANTS["start"].check("start", self.start))
        stop_at = self.stop_at
        if stop_at is None:
            return
        if isinstance(stop_at, bool) or not isinstance(stop_at, Real) or stop_at != int(stop_at):
            raise TypeError(
                f"stop_at must be a whole number of quarters or None, got stop_at={stop_at!r}"
            )
        if stop_at <= self.start:
            raise ValueError(
                f"stop_at must be a whole number of quarters after start={self.start} "
                f"(or None: never), got stop_at={stop_at!r}"
            )
        object.__setattr__(self, "stop_at", int(stop_at))

    @property
    def quarters(self):
        """How many quarters the firm pays (None: to the end of the run)."""
        return None if self.stop_at is None else self.stop_at - self.start


@dataclass(frozen=True, eq=False)
class KnowledgeRun:
    """One projection of the knowledge cycle (see :func:`simulate`).

    It holds the plan projected (`allocation`, `integration`, `quarters`, `consultants`, `dt`),
    the stocks at time 0 (`initial`) and arrays with one value per quarter: index ``i`` is
    quarter ``i + 1`` (`quarter`: 1, 2, ...).  The stocks `theory`, `capability`, `experience`
    and `consultant` (rented capability) are at the end of each quarter; `results` are delivered
    during it (1 = today's results: `baseline`, what all practice and the firm before the plan
    deliver a quarter), `cumulative` up to its end.
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
        return self._first_quarter_clear(self.results < self.baseline * (1 - 1e-9))

    @property
    def payback_quarter(self):
        """First quarter from which cumulative results stay at or above all practice's (None: never)."""
        return self._first_quarter_clear(
            self.cumulative < self.baseline * self.quarter * (1 - 1e-9)
        )

    def _first_quarter_clear(self, behind):
        """The quarter after the last one `behind` (1 if none is; None if the last quarter is)."""
        late = np.flatnonzero(behind)
        if late.size == 0:
            return 1
        return None if late[-1] == self.quarters - 1 else int(late[-1]) + 2

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


def simulate(allocation, integration, *, quarters=40, consultants=None, dt=None, params=None):
    """Project a plan: how theory, capability, experience and results evolve, quarter by quarter.

    Every plan starts from the same firm (`START`): one that has done nothing but practice for
    years, at its steady state (results 1 a quarter).  `allocation` ``(research, capacity
    building, practice)`` and `integration` are the plan's `DECISIONS` (the shares must sum to
    1: they are not rescaled for you, see :func:`normalise`); `consultants`, if any, must start
    within the run.  `quarters` (default 40: 10 years) is 1 to 400; the time step `dt` is at
    most 0.25 and divides a quarter into whole steps (default None: 0.25 quarters, about three
    weeks, halved until it is at most a quarter of the shortest time constant); `params` changes
    the `CALIBRATION` constants (``{"theory_time": 12}``), for experiments.
    Returns a `KnowledgeRun`; a value out of range or of the wrong type raises ValueError or
    TypeError naming it.

    Examples
    --------
    All research produces theory but no results at all:

    >>> run = simulate(ALL_RESEARCH, integration=1.0)
    >>> run.total, round(float(run.theory[-1]), 2)
    (0.0, 2.5)

    Consultants worth half the firm's capability for two years: results rise while the firm
    pays, then fall below where they started (1 a quarter), because the firm's own capability
    withered meanwhile:

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
got 0.5 + 0.3 + 0.3 = 1.1; write 20% as 0.2, or rescale them with knowledge.normalise((0.5, 0.3, 0.3))
    """
    shares = check_allocation(allocation)
    integration = check_fraction("integration", integration)
    quarters = check_integer("quarters", quarters, low=1, high=MAX_QUARTERS)
    consultants = check_consultants(consultants, quarters)
    given = {} if params is None else dict(params)
    if dt is None:
        dt = _stable_step(given)
    dt = check_number("dt", dt, low=0.0, high=0.25, low_open=True)
    per = round(1.0 / dt)
    if abs(per * dt - 1.0) > 1e-9:
        raise ValueError(
            f"dt must divide a quarter into whole steps (0.25, 0.125, 0.0625, ...), got dt={dt:g}"
        )
    clash = sorted(set(given) & {*DECISIONS, *_RENTED})
    if clash:
        raise TypeError(
            f"params may change only the calibrated constants, not the decisions {clash}: "
            "pass allocation, integration and consultants as arguments"
        )
    values = {**given, **dict(zip(DECISIONS, (*shares, integration), strict=True))}
    if consultants is not None:
        values.update(
            consultant_spend=consultants.spend,
            consultant_start=float(consultants.start),
            consultant_quarters=float(consultants.quarters or 0),
        )
    traj = integrate(MODEL, dict(START), duration=float(quarters), dt=1.0 / per, params=values)
    ends = slice(per, None, per)  # the points at the end of each quarter
    delivered = np.asarray(traj["delivered"])
    stocks = ("theory", "capability", "experience", "consultant")
    return KnowledgeRun(
        allocation=shares,
        integration=integration,
        quarters=quarters,
        consultants=consultants,
        dt=1.0 / per,
        quarter=frozen(np.arange(1, quarters + 1), dtype=int),
        **{name: frozen(traj[name][ends]) for name in stocks},
        results=frozen(np.diff(delivered[::per])),
        cumulative=frozen(delivered[ends]),
        initial=MappingProxyType({name: START[name] for name in stocks}),
    )


def loop_gain(allocation, integration, *, params=None):
    """Return the gain of the reinforcing loop research -> capacity building -> practice -> research.

    Going once round the loop at the starting capability, the gain is the product of what each
    link adds (:func:`link_strengths`).  Above 1 the loop feeds on itself (until capability
    nears its maximum); below 1 it dies out.  `params` changes constants, as in
    :func:`simulate`.

    Examples
    --------
    The balanced plan's loop grows when fully integrated (gain 1.92), not at integration 0.5 (a
    quarter of that, 0.48); starving any activity breaks it:

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
    q = {name: float(spec.default) for name, spec in CALIBRATION.items()}
    given = {} if params is None else dict(params)
    unknown = sorted(set(given) - set(q))
    if unknown:
        raise TypeError(
            f"unknown constant(s) {', '.join(unknown)}; the constants are {', '.join(q)}"
        )
    q |= CALIBRATION.check(given)
    capacity = q["teaching_rate"] * q["capability_time"] * c * g
    return {
        "research": q["research_rate"] * q["theory_time"] * r * g,
        "capacity building": capacity * (1.0 - 1.0 / q["max_capability"]),
        "practice": p,
    }


def best_allocation(quarters=40, integration=1.0, *, step=0.05, consultants=None, params=None):
    """Return the allocation ``(research, capacity building, practice)`` with the most results.

    Tries every allocation on a grid of `step` (0.05: 231 plans; 1/step a whole number from 2
    to 100) over `quarters` quarters at `integration`, with `consultants` if given and the
    constants `params` changes (as in :func:`simulate`), and keeps the first best (research,
    then capacity building, in increasing order).

    Examples
    --------
    The planning horizon changes the best choice: over one year nothing beats firefighting;
    over ten, a balanced and integrated plan does, by far:

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
            run = simulate(
                shares, integration, quarters=quarters, consultants=consultants, params=params
            )
            total = run.total
            if total > best_total + 1e-9:
                best, best_total = shares, total
    return best


def normalise(shares):
    """Return three non-negative, finite shares (not all 0) rescaled to sum to 1.

    >>> normalise((2, 1, 1))
    (0.5, 0.25, 0.25)
    """
    values = _three_shares(shares, "shares")
    total = sum(values)
    if total <= 0.0:
        raise ValueError(f"shares must not all be 0, got shares={tuple(shares)!r}")
    return tuple(v / total for v in values)


@dataclass(frozen=True, eq=False)
class PayoffSweep:
    """How a plan's payoff against firefighting moves with one calibrated constant.

    See :func:`payoff_sweep`.  It holds the plan (`allocation`, `integration`, `quarters`), the
    swept `constant`, its calibrated value `default`, the other constants changed (`params`),
    the `values` tried (ascending) and the plan's results over the horizon at each (`totals`),
    against all practice's `baseline_total` (the same at every value: all practice delivers 1 a
    quarter whatever the constants).  `edges` are the values at which the plan's total crosses
    all practice's, to within a millionth of the range swept.
    """

    constant: str
    default: float
    allocation: tuple
    integration: float
    quarters: int
    params: dict = field(repr=False)
    values: np.ndarray = field(repr=False)
    totals: np.ndarray = field(repr=False)
    baseline_total: float = 0.0
    edges: tuple = ()

    @property
    def ratio(self):
        """The plan's total over all practice's, at each value (above 1: it pays)."""
        return self.totals / self.baseline_total

    @property
    def edge(self):
        """The edge nearest the calibrated value (None: the plan pays, or not, at every value)."""
        return min(self.edges, key=lambda e: abs(e - self.default), default=None)

    @property
    def summary(self):
        """One or two sentences: over which range of the constant the plan pays.

        >>> print(payoff_sweep("max_capability", [1.5, 3.0]).summary)
        Research 20%, capacity building 20%, practice 60%, integration 1.00, over 10 years: as \
max_capability goes from 1.5 to 3, the plan delivers 0.92 to 1.50 times all practice. It stops \
paying below max_capability 1.69 (calibrated: 3).
        """
        r, c, p = (round(100 * s) for s in self.allocation)
        name, low, high = self.constant, self.values[0], self.values[-1]
        text = (
            f"Research {r}%, capacity building {c}%, practice {p}%, integration "
            f"{self.integration:.2f}, over {_years(self.quarters)}: as {name} goes from {low:.3g} "
            f"to {high:.3g}, the plan delivers {self.ratio.min():.2f} to {self.ratio.max():.2f} "
            "times all practice."
        )
        edge = self.edge
        if edge is None:
            return (
                text + f" It {'pays at every' if self.ratio[0] > 1 else 'pays at no'} value tried."
            )
        pays = self._pays_at(self.default)
        side = "below" if edge < self.default else "above"
        verb = "stops paying" if pays else "starts paying"
        return text + f" It {verb} {side} {name} {edge:.3g} (calibrated: {self.default:g})."

    def _pays_at(self, value):
        return self.totals[int(np.argmin(np.abs(self.values - value)))] > self.baseline_total


def payoff_sweep(
    constant,
    values=None,
    *,
    allocation=BALANCED,
    integration=1.0,
    quarters=40,
    params=None,
    points=41,
):
    """Sweep one calibrated constant and find where a plan stops paying against firefighting.

    The knowledge model's constants are calibrated, not estimated: this shows which of them
    carry a result.  For each of `values` (default: `points` evenly spaced values over the
    constant's control range in `CALIBRATION`, and its calibrated value) the plan `allocation`
    at `integration` is projected over `quarters` (10 years) with the other constants at their
    calibrated values or as `params` changes them; where its total crosses all practice's, the
    edge is found by bisection.  Returns a `PayoffSweep`; the inputs are checked as in
    :func:`simulate`.

    Examples
    --------
    The balanced, integrated plan pays because capacity building can triple capability: if it
    could raise capability by only 50% (max_capability 1.5), the plan would deliver 36.8
    against 40 and never pay back.  It stops paying below about 1.69:

    >>> sweep = payoff_sweep("max_capability", [1.5, 2.0, 3.0])
    >>> [round(float(t), 1) for t in sweep.totals], round(sweep.edge, 2)
    ([36.8, 45.2, 59.9], 1.69)

    Diminishing returns to practice do not carry the payoff: the plan pays at every value:

    >>> payoff_sweep("practice_returns", points=5).edges
    ()
    """
    if constant not in CALIBRATION:
        raise ValueError(
            f"constant must be one of {', '.join(CALIBRATION)}, got constant={constant!r}"
        )
    spec = CALIBRATION[constant]
    given = {} if params is None else dict(params)
    if constant in given:
        raise ValueError(f"params must not set the swept constant {constant!r}")
    if values is None:
        points = check_integer("points", points, low=2, high=400)
        low, high, _ = spec.control_range()
        values = [*np.linspace(low, high, points), spec.default]
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise TypeError(f"values must be a list of numbers, got values={values!r}")
    values = np.unique([spec.check(constant, v) for v in values])
    if values.size == 0:
        raise ValueError("values must hold at least one value of the constant")
    plan = {"allocation": check_allocation(allocation), "quarters": quarters}
    plan["integration"] = check_fraction("integration", integration)

    def total(value):
        run = simulate(plan["allocation"], plan["integration"], quarters=quarters,
                       params={**given, constant: float(value)})  # fmt: skip
        return run.total, run.baseline_total

    totals, (_, baseline) = np.array([total(v)[0] for v in values]), total(values[0])
    edges = []
    for i in np.flatnonzero(np.diff(np.sign(totals - baseline)) != 0):
        low, high = values[i], values[i + 1]
        low_pays = totals[i] > baseline
        while high - low > 1e-6 * (values[-1] - values[0]):
            middle = (low + high) / 2
            low, high = (
                (middle, high) if (total(middle)[0] > baseline) == low_pays else (low, middle)
            )
        edges.append(float((low + high) / 2))
    return PayoffSweep(
        constant=constant,
        default=float(spec.default),
        allocation=plan["allocation"],
        integration=plan["integration"],
        quarters=quarters,
        params=MappingProxyType(given),
        values=frozen(values),
        totals=frozen(totals),
        baseline_total=baseline,
        edges=tuple(edges),
    )


def _years(quarters):
    return f"{quarters // 4} years" if quarters % 4 == 0 else f"{quarters} quarters"


def _stable_step(given):
    """The time step `simulate` uses by default: 0.25, halved until the time constants allow."""
    times = [CALIBRATION[n].default for n in CALIBRATION if n.endswith("_time")]
    times += [v for n, v in given.items() if n.endswith("_time") and isinstance(v, Real) and v > 0]
    dt = 0.25
    while dt > 0.25 * min(times) and dt > 1 / 64:
        dt /= 2
    return dt


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
    """The floats `_rates` reads, computed once per run (see StockFlow.prepare)."""
    practice, start = p["practice"], p["consultant_start"]
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


#: The knowledge cycle as a :class:`~senge_course.models.dynamics.StockFlow` (time in quarters).
MODEL = StockFlow(
    stocks=("theory", "capability", "experience", "consultant", "delivered"),
    rates=_rates,
    parameters={**CALIBRATION, **DECISIONS, **_RENTED},
    auxiliaries=("results", "own_share"),
    time_constants=lambda p: {name: p[name] for name in CALIBRATION if name.endswith("_time")},
    prepare=_prepare,
    description="The knowledge cycle: research, capacity building and practice (in quarters).",
)


# --------------------------------------------------------------------------- checks


def _three_shares(shares, name):
    """Three finite, non-negative floats (round-off below 0 taken as 0), or raise naming `name`."""
    what = f"{name} must be three numbers (research, capacity building, practice)"
    if isinstance(shares, str | bytes) or not hasattr(shares, "__len__"):
        raise TypeError(f"{what}, got {name}={shares!r}")
    values = list(shares)
    if len(values) != 3:
        raise ValueError(f"{what}, got {len(values)}: {name}={tuple(values)!r}")
    checked = []
    for activity, value in zip(ACTIVITIES, values, strict=True):
        label = activity.replace(" ", "_")
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"the {activity} share must be a number, got {label}={value!r}")
        if not math.isfinite(float(value)):
            raise ValueError(f"the {activity} share must be a finite number, got {label}={value!r}")
        if value < -_ROUND_OFF:
            raise ValueError(f"the {activity} share must not be negative, got {label}={value!r}")
        checked.append(max(float(value), 0.0))
    return checked


def check_allocation(allocation):
    """Return `allocation` as three shares (research, capacity building, practice) summing to 1, or raise."""
    values = _three_shares(allocation, "allocation")
    total = sum(values)
    if abs(total - 1.0) > _SUM_TOLERANCE:
        shown = [f"{x:g}" for x in values]
        raise ValueError(
            "allocation shares must sum to 1 (research + capacity building + practice), "
            f"got {' + '.join(shown)} = {total:g}; write 20% as 0.2, or rescale them with "
            f"knowledge.normalise(({', '.join(shown)}))"
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
