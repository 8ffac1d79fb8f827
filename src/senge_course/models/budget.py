"""One budget for the whole capstone design: leaders' time and money for learning are limited.

In :mod:`senge_course.models.capstone` every lever can be maxed at no cost.  Here each part of a
design that takes leaders' time or money has a price (`PRICES`), in **budget points**: one
point is one leader-week (a week of a leader's working time, the unit of
`senge_course.models.leader_time`) or the money that buys as much.  The budget (`BUDGET`)
covers the change's first half year, the period `leader_time.COSTS` counts:

* the leaders' levers cost what lesson 05 says they cost in leaders' time (`leader_time.COSTS`:
  8 per pilot team, 8 for mentoring at full strength, 2 per networker per team spanned, 1 for
  a mandate);
* research and capacity building cost money beyond the firm's ordinary work (researchers and a
  learning laboratory; trainers, courses and people's time away from work), in proportion to
  their share of the effort, priced for the same half year: what the plan commits up front;
* consultants cost by the quarter, for every quarter of their contract (hiring them commits
  the money; without an end they are paid to the end of the capstone's 10 years);
* practice, integration and the regime cost nothing here: practice is the firm's ordinary
  work, and integration and the regime are ways of working (a simplification: in a real firm
  raising integration takes leaders' time too).

Every price is illustrative, not measured: `REASONS` gives the reasoning for each, and
``prices=`` changes them.  `cost` itemises a design's cost (`Cost`), `within_budget` says
whether it fits.  `FEASIBLE` is a documented design that meets the capstone's three goals
under the coupled models (:func:`senge_course.models.coupled.assess_coupled`, default
couplings) within `BUDGET`; maxing every lever is far over it, and the lesson's worked design
(all three kinds of leader as in lesson 05, a balanced plan) costs 54.4 points, more than the
budget.

Examples
--------
The lesson's worked design, against the documented feasible one:

>>> from senge_course.models.knowledge import BALANCED
>>> cost("all three", BALANCED).total, within_budget("all three", BALANCED)
(54.4, False)
>>> plan = FEASIBLE.plan
>>> cost(FEASIBLE.levers, plan.allocation, plan.consultants).total, BUDGET
(49.5, 50.0)
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from .._validate import check_number
from .capability import COMMITMENT
from .capstone import Design, as_levers
from .knowledge import check_allocation, check_consultants
from .leader_time import COSTS
from .leadership import Levers
from .parameters import Parameters, param
from .plan import Plan

__all__ = [
    "BUDGET",
    "FEASIBLE",
    "HORIZON_QUARTERS",
    "ITEMS",
    "PRICES",
    "REASONS",
    "Cost",
    "cost",
    "within_budget",
]

#: The quarters consultants hired without an end are paid for: the capstone's 10 years.
HORIZON_QUARTERS = 40

_POINTS = "budget points"

#: The price of each item, in budget points (one point: one leader-week, or the money that buys
#: as much).  The leaders' levers are `leader_time.COSTS` (leader-weeks over the first half
#: year); `REASONS` gives the reasoning for every row.
PRICES = Parameters(
    **{name: replace(spec, unit=_POINTS) for name, spec in COSTS.items()},
    research=param(
        50.0,
        "[0, inf)",
        1.0,
        "Research",
        "for all of the effort, in proportion to its share",
        unit=_POINTS,
    ),
    capacity_building=param(
        50.0,
        "[0, inf)",
        1.0,
        "Capacity building",
        "for all of the effort, in proportion to its share",
        unit=_POINTS,
    ),
    consultants=param(
        5.0,
        "[0, inf)",
        0.5,
        "Consultants",
        "per unit of capability rented, per quarter paid",
        unit=_POINTS,
    ),
)

#: Why each price is what it is (one line each).
REASONS = MappingProxyType(
    {
        "pilot_team": "A line leader runs a pilot group at a third of their time for the half "
        "year: 8 leader-weeks (leader_time.COSTS).",
        "mentoring": "Three executives mentor line leaders and sponsor learning laboratories at "
        "a tenth of their time: 8 leader-weeks at full strength, in proportion to mentoring "
        "(leader_time.COSTS).",
        "networker_team": "A networker builds a bridge into another team in two weeks: 2 per "
        "networker per team spanned (leader_time.COSTS).",
        "mandate": "An order to adopt takes a week to write and announce, whatever its reach: 1 "
        "(leader_time.COSTS); its real cost shows in the models, not in the budget.",
        "research": "Researchers' time and a learning laboratory: a research share of 0.2 costs "
        "10 points, about ten leader-weeks' worth of money over the half year.",
        "capacity_building": "Trainers, courses and people's time away from work: a share of 0.2 "
        "costs 10 points, as research does.",
        "consultants": "Consultants bill by the quarter: capability worth the firm's own (spend "
        "1) costs 5 points a quarter, so lesson 07's two years at spend 0.5 cost 20.",
    }
)

#: The budget, in budget points: about a fifth of the 9 leaders' working time over the half
#: year (9 x 26 = 234 leader-weeks; a fifth is 47), rounded up to 50; the money for research,
#: capacity building and consultants comes out of the same points.
BUDGET = 50.0

#: The items of a design's cost, in the order of `PRICES`, as a learner reads them.
ITEMS = MappingProxyType(
    {
        "pilot_team": "pilot teams",
        "mentoring": "mentoring",
        "networker_team": "networkers",
        "mandate": "mandate",
        "research": "research",
        "capacity_building": "capacity building",
        "consultants": "consultants",
    }
)

#: A design that meets the capstone's three goals under the coupled models (default couplings)
#: within `BUDGET`: 49.5 points.  Two pilot teams, full mentoring and two networkers bridging
#: into two teams each (32 points; about 78% committed), the commitment regime (free), and a
#: plan with research 15%, capacity building 20% and practice 65% (17.5 points), fully
#: integrated (the coupling with commitment brings integration to 0.89; the loop's gain is 1.23).
#: It trades the lesson's networkers and research for full mentoring.
FEASIBLE = Design(
    Plan("Within budget", allocation=(0.15, 0.2, 0.65), integration=1.0),
    levers=Levers(pilot_teams=2, mentoring=1.0, networkers=2),
    regime=COMMITMENT,
)


@dataclass(frozen=True)
class Cost:
    """What a design costs, item by item (see :func:`cost`).

    `quantities` (item -> how much of it the design buys: pilot teams, mentoring strength,
    networker-teams spanned, 1 for any mandate, the research and capacity-building shares,
    spend-quarters of consultants) and `points` (item -> its cost in budget points), for every
    item of `PRICES`, in its order; `total` is their sum.
    """

    quantities: Mapping = field(repr=False)
    points: Mapping = field(repr=False)
    total: float = 0.0

    def within(self, budget=BUDGET):
        """True if the total fits in `budget` (budget points, at least 0)."""
        budget = check_number("budget", budget, low=0)
        return self.total <= budget + 1e-9

    @property
    def summary(self):
        """One sentence: the total and each item that costs anything.

        >>> print(cost({"pilot_teams": 2}, (0.1, 0.1, 0.8)).summary)
        The design costs 26 budget points: pilot teams 16, research 5 and capacity building 5.
        """
        parts = [f"{ITEMS[k]} {round(v, 2):g}" for k, v in self.points.items() if v > 0]
        said = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
        return f"The design costs {round(self.total, 2):g} budget points" + (
            f": {said}." if parts else "."
        )


def cost(levers, allocation, consultants=None, *, prices=None):
    """Return what a design costs, item by item, in budget points (a `Cost`).

    Parameters
    ----------
    levers : Levers, str or mapping
        The leaders' levers (as in :func:`senge_course.models.capstone.as_levers`).
    allocation : tuple of float
        ``(research, capacity building, practice)``, summing to 1.
    consultants : Consultants or None, optional
        Capability rented: ``spend`` times the quarters paid (to `HORIZON_QUARTERS` if they
        never stop).
    prices : mapping or None, optional
        Rows of `PRICES` to change (``{"research": 40}``).

    Returns
    -------
    Cost
        Each item's quantity and points, and the total.

    Raises
    ------
    TypeError, ValueError
        If an input is of the wrong type or out of range, naming it.

    Examples
    --------
    Two pilot teams with half mentoring, and a plan with 10% research and 10% capacity
    building: 16 + 4 for the leaders, 5 + 5 for the learning.

    >>> c = cost({"pilot_teams": 2, "mentoring": 0.5}, (0.1, 0.1, 0.8))
    >>> c.total, dict(c.points)["mentoring"]
    (30.0, 4.0)
    >>> cost("all three", (0.2, 0.2, 0.6), prices={"research": -1})
    Traceback (most recent call last):
    ...
    ValueError: research must be a number >= 0, got research=-1
    """
    levers = as_levers(levers)
    r, c, _ = check_allocation(allocation)
    consultants = check_consultants(consultants, HORIZON_QUARTERS)
    if prices is not None and not isinstance(prices, Mapping):
        raise TypeError(
            f"prices must be None or a dict such as {{'research': 40}}, got prices={prices!r}"
        )
    price = {**PRICES.defaults(), **PRICES.check(prices or {})}
    rented = 0.0
    if consultants is not None:
        stop = HORIZON_QUARTERS if consultants.stop_at is None else consultants.stop_at
        rented = consultants.spend * (min(stop, HORIZON_QUARTERS) - consultants.start)
    quantities = {
        "pilot_team": levers.pilot_teams,
        "mentoring": levers.mentoring,
        "networker_team": levers.networkers * levers.teams_spanned,
        "mandate": 1 if levers.mandate > 0 else 0,
        "research": r,
        "capacity_building": c,
        "consultants": rented,
    }
    points = {item: round(price[item] * q, 9) for item, q in quantities.items()}
    return Cost(
        quantities=MappingProxyType(quantities),
        points=MappingProxyType(points),
        total=round(sum(points.values()), 9),
    )


def within_budget(levers, allocation, consultants=None, *, budget=BUDGET, prices=None):
    """Return True if the design's `cost` fits in `budget` (budget points, default `BUDGET`).

    The inputs are those of :func:`cost`; `budget` must be a number at least 0.

    >>> within_budget({"pilot_teams": 6}, (0.0, 0.0, 1.0))
    True
    >>> within_budget({"pilot_teams": 6}, (0.0, 0.0, 1.0), budget=40)
    False
    """
    budget = check_number("budget", budget, low=0)
    return cost(levers, allocation, consultants, prices=prices).within(budget)
