"""Leaders' time: what the three kinds of leader's levers cost, and comparisons at equal cost.

Comparing "line leaders alone" with "all three" as `senge_course.models.leadership` scenarios
compares different amounts of effort: two pilot teams against two pilot teams plus mentoring plus
three networkers.  Here every lever costs leaders' time (`COSTS`, in leader-weeks), and
`best_at_budget` compares, for one budget, the best use of it by each kind of leader alone and by
each combination: leaders' time is the resource held equal.  `synergy_map` says where "all three
beat the best single kind at equal time" holds, over the mean threshold and the strength of
mentoring (the lesson draws it as a map).  The costs are illustrative, not measured: change them
(``costs=``) and see what moves.

>>> cost("all three")
34.4
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from types import MappingProxyType

import numpy as np

from .._validate import check_integer, check_number
from ._arrays import frozen, readonly
from .leadership import (
    ASSUMPTIONS,
    COMBINATIONS,
    DEFAULT_ROUNDS,
    Comparison,
    Levers,
    PreparedOrganisation,
    ScenarioStats,
    check_assumptions,
    check_levers,
    compare,
    prepare_organisation,
)
from .parameters import Parameters, param

__all__ = [
    "BUDGET_GRID",
    "COSTS",
    "BudgetComparison",
    "SynergyMap",
    "best_at_budget",
    "cost",
    "synergy_map",
]

#: What each lever costs in leaders' time, in leader-weeks: weeks of a leader's working time over
#: the change's first half year (26 weeks).  Illustrative, not measured: a line leader runs a pilot
#: group at a third of their time (8 per pilot team); three executives mentor line leaders and
#: sponsor learning laboratories at a tenth of their time, at full strength (8, in proportion to
#: ``mentoring``); a networker builds a bridge into another team in two weeks (2 per networker
#: per team spanned); an order to adopt takes a week to write and announce, whatever its reach.
COSTS = Parameters(
    pilot_team=param(8.0, "[0, inf)", 0.5, "A pilot team", "per pilot team", unit="leader-weeks"),
    mentoring=param(8.0, "[0, inf)", 0.5, "Mentoring", "at mentoring 1", unit="leader-weeks"),
    networker_team=param(
        2.0, "[0, inf)", 0.5, "A bridge", "per networker per team spanned", unit="leader-weeks"
    ),
    mandate=param(1.0, "[0, inf)", 0.5, "A mandate", "any mandate", unit="leader-weeks"),
)

#: The levers `best_at_budget` tries: pilot teams (of 30%), mentoring in quarters, networkers
#: with bridges 3 ties wide into 2 or 3 other teams (a grid small enough to search in a second).
BUDGET_GRID = MappingProxyType(
    {
        "pilot_teams": tuple(range(1, 7)),
        "mentoring": (0.25, 0.5, 0.75, 1.0),
        "networkers": tuple(range(1, 7)),
        "teams_spanned": (2, 3),
    }
)

_SINGLE = ("line leaders", "executives", "networkers")


@dataclass(frozen=True, eq=False)
class BudgetComparison(Comparison, over="scenarios"):
    """The best use of one budget of leaders' time by each kind of leader and combination
    (`best_at_budget`): a `~senge_course.models.leadership.Comparison` whose scenario names are
    the combinations and whose ``levers`` are the best found; ``budget`` in leader-weeks,
    ``costs`` maps each name to its levers' cost."""

    budget: float = 0.0
    costs: Mapping = field(default_factory=dict, repr=False)

    @property
    def summary(self):
        """One sentence per combination: its best levers, their cost and the share committed."""
        said = "; ".join(
            f"{k}: {s.levers.describe()} ({self.costs[k]:g} leader-weeks), committed "
            f"{float(s.committed_mean[-1]):.0%}"
            for k, s in self.scenarios.items()
        )
        return f"The best use of {self.budget:g} leader-weeks ({self.runs} runs each): {said}."


@dataclass(frozen=True, eq=False)
class SynergyMap:
    """Where all three kinds of leader beat the best single kind at equal time (`synergy_map`).

    ``threshold_means`` (rows) by ``mentoring_scales`` (columns: ``pilot_mentoring`` and
    ``infrastructure`` of `~senge_course.models.leadership.ASSUMPTIONS` times the scale); per
    cell, ``together`` (the mean committed share of all three's best levers), ``best_single``
    (the best single kind's), ``best_kind`` (which kind), and ``holds``: ``together >=
    best_single + margin``.  ``budget`` (leader-weeks), ``margin``, ``runs``, ``seed`` as given.
    """

    threshold_means: np.ndarray = field(repr=False)
    mentoring_scales: np.ndarray = field(repr=False)
    together: np.ndarray = field(repr=False)
    best_single: np.ndarray = field(repr=False)
    best_kind: np.ndarray = field(repr=False)
    holds: np.ndarray = field(repr=False)
    budget: float = 0.0
    margin: float = 0.0
    runs: int = 0
    seed: int = 0

    @property
    def summary(self):
        """Two sentences: how many settings the synergy holds in, and where it fails."""
        cells, held = self.holds.size, int(self.holds.sum())
        fails = [
            f"mean threshold {t:g}, mentoring x{m:g} ({self.best_kind[i, j]} alone "
            f"{self.best_single[i, j]:.0%}, all three {self.together[i, j]:.0%})"
            for i, t in enumerate(self.threshold_means)
            for j, m in enumerate(self.mentoring_scales)
            if not self.holds[i, j]
        ]
        where = f" It fails at {'; '.join(fails)}." if fails else ""
        return (
            f"At {self.budget:g} leader-weeks, all three kinds of leader beat the best single "
            f"kind by at least {self.margin:.0%} in {held} of {cells} settings.{where}"
        )


def cost(levers, costs=None):
    """Return what `levers` (a `Levers` or a scenario name) cost in leaders' time, in leader-weeks.

    The rows of `COSTS` (changed by `costs`, a dict): each pilot team, mentoring in proportion to
    its strength, each networker per team spanned, and any mandate.

    >>> cost("executives only (mandate)"), cost(Levers(pilot_teams=2), {"pilot_team": 3})
    (1.0, 6.0)
    """
    levers = check_levers(levers)
    c = {**COSTS.defaults(), **COSTS.check(_mapping("costs", costs))}
    spent = (
        c["pilot_team"] * levers.pilot_teams
        + c["mentoring"] * levers.mentoring
        + c["networker_team"] * levers.networkers * levers.teams_spanned
        + c["mandate"] * (levers.mandate > 0)
    )
    return round(spent, 9)


def best_at_budget(
    G, budget, *, kinds=None, runs=20, seed=1, assumptions=None, costs=None, rounds=DEFAULT_ROUNDS
):
    """Return the best use of one budget of leaders' time by each kind of leader, and together.

    Leaders' time is the resource held equal (in leader-weeks, `COSTS`).  For each combination
    of kinds of leader in `kinds` (keys of `~senge_course.models.leadership.COMBINATIONS` other
    than ``"none"``; default all seven), every lever setting on `BUDGET_GRID` that pulls exactly
    those kinds, fits in `budget` and leaves no room for one more step of a lever it pulls runs
    `runs` times on organisation `G` (`~senge_course.models.leadership.compare`: common random
    numbers, `seed`, `rounds`), and the setting with the highest mean final committed share is
    kept; `G` may be `~senge_course.models.leadership.prepare_organisation`'s result, whose
    networker placements are then kept for the next call.  `assumptions` and `costs` change rows of `ASSUMPTIONS` and `COSTS`.  Returns a
    `BudgetComparison`; a combination the budget cannot pay for is left out.

    Examples
    --------
    With 36 leader-weeks, line leaders alone run 4 pilot teams (the 4 weeks left buy no fifth);
    all three share the time out, and commit more.

    >>> from senge_course.models.org import organisation
    >>> best = best_at_budget(organisation(seed=1), 36, kinds=["line leaders", "all three"])
    >>> best["line leaders"].levers.pilot_teams, best.costs["line leaders"]
    (4, 32.0)
    >>> means = best.final_means()
    >>> means["all three"] > means["line leaders"] + 0.1
    True
    """
    budget = check_number("budget", budget, low=0)
    names = _check_kinds(kinds)
    runs = check_integer("runs", runs, low=1)
    costs = _mapping("costs", costs)
    check_assumptions(assumptions)
    best = _best(_prepare(G), names, budget, costs, runs, seed, assumptions, rounds)
    stats = {
        name: ScenarioStats(name, s.levers, s.committed_by_round, s.compliant_by_round, s.run_seeds)
        for name, s in best.items()
    }
    spent = MappingProxyType({name: cost(s.levers, costs) for name, s in stats.items()})
    return BudgetComparison(MappingProxyType(stats), runs, rounds, budget, spent)


def synergy_map(
    G,
    budget,
    *,
    threshold_means=(0.3, 0.35, 0.4, 0.45, 0.5),
    mentoring_scales=(0.5, 1.0, 1.5, 2.0),
    margin=0.1,
    runs=10,
    seed=1,
    assumptions=None,
):
    """Return where all three kinds of leader beat the best single kind at equal time (`SynergyMap`).

    For each mean threshold in `threshold_means` and each scale in `mentoring_scales` (applied to
    ``pilot_mentoring`` and ``infrastructure``, capped at 1), `best_at_budget` finds the best use
    of `budget` leader-weeks on `G` by line leaders alone, executives alone, networkers alone and
    all three (`runs` runs each, `seed`); the synergy *holds* where all three beat the best
    single kind by at least `margin`.  `assumptions` changes the other rows of `ASSUMPTIONS`.

    Examples
    --------
    At 36 leader-weeks, the synergy holds at the calibrated mean threshold (0.45), but not for a
    practice people take up once a fifth of their contacts have (0.2): line leaders suffice.

    >>> from senge_course.models.org import organisation
    >>> m = synergy_map(organisation(seed=1), 36, threshold_means=(0.2, 0.45),
    ...                 mentoring_scales=(1.0,))
    >>> m.holds[:, 0].tolist(), m.best_kind[0, 0]
    ([False, True], 'line leaders')
    """
    budget = check_number("budget", budget, low=0)
    margin = check_number("margin", margin, low=0, high=1)
    row = ASSUMPTIONS["threshold_mean"]
    means = frozen([row.check("threshold_means", t) for t in threshold_means])
    scales = frozen([check_number("mentoring_scales", x, low=0) for x in mentoring_scales])
    runs = check_integer("runs", runs, low=1)
    a = check_assumptions(assumptions)
    G = _prepare(G)  # the grid's runs place each run's networkers once
    shape = (len(means), len(scales))
    together, single = np.zeros(shape), np.zeros(shape)
    best_kind = np.empty(shape, dtype=object)
    for (i, t), (j, x) in product(enumerate(means), enumerate(scales)):
        changed = {
            **a,
            "threshold_mean": float(t),
            "pilot_mentoring": min(1.0, a["pilot_mentoring"] * x),
            "infrastructure": min(1.0, a["infrastructure"] * x),
        }
        best = _best(G, [*_SINGLE, "all three"], budget, {}, runs, seed, changed, DEFAULT_ROUNDS)
        mean = {name: float(s.final_committed.mean()) for name, s in best.items()}
        together[i, j] = mean.get("all three", 0.0)
        best_kind[i, j] = max(_SINGLE, key=lambda k: mean.get(k, 0.0))
        single[i, j] = mean.get(best_kind[i, j], 0.0)
    holds = together >= single + margin - 1e-12
    readonly(together, single, best_kind, holds)
    return SynergyMap(means, scales, together, single, best_kind, holds, budget, margin, runs, seed)


def _best(G, names, budget, costs, runs, seed, assumptions, rounds):
    """{name: the ScenarioStats of its best affordable levers}, in the order of `names`."""
    candidates = {
        (name, i): levers
        for name in names
        for i, levers in enumerate(_affordable(G, COMBINATIONS[name].leaders, budget, costs))
    }
    if not candidates:
        return {}
    named = {f"{name} {i}": levers for (name, i), levers in candidates.items()}
    found = compare(G, named, runs=runs, seed=seed, rounds=rounds, assumptions=assumptions)
    best = {}
    for (name, _), stats in zip(candidates, found.values(), strict=True):
        if name not in best or stats.final_committed.mean() > best[name].final_committed.mean():
            best[name] = stats
    return {name: best[name] for name in names if name in best}


def _prepare(G):
    """`G` as a `PreparedOrganisation` (checked), to share networker placements between calls."""
    return G if isinstance(G, PreparedOrganisation) else prepare_organisation(G)


def _mapping(name, value):
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict, got {name}={value!r}")
    return dict(value)


def _check_kinds(kinds):
    allowed = [k for k in COMBINATIONS if k != "none"]
    if kinds is None:
        return allowed
    for k in [kinds] if isinstance(kinds, str) else kinds:
        if k not in allowed:
            raise ValueError(
                f"kinds must be combinations of leaders ({', '.join(map(repr, allowed))}), "
                f"got {k!r}"
            )
    return list(dict.fromkeys([kinds] if isinstance(kinds, str) else kinds))


def _affordable(G, leaders, budget, costs):
    """The lever settings on `BUDGET_GRID` that pull exactly `leaders`, fit organisation `G` (a
    `PreparedOrganisation`) and `budget`, and leave no room for one more step of a lever they
    pull."""
    c = {**COSTS.defaults(), **COSTS.check(costs)}
    return _affordable_on(G.teams, G.members, tuple(leaders), budget, tuple(sorted(c.items())))


@lru_cache(maxsize=256)
def _affordable_on(teams, members, leaders, budget, costs):
    """`_affordable` for an organisation of `teams` teams and `members` members (cached)."""
    costs = dict(costs)
    most = {"pilot_teams": teams, "networkers": members if teams >= 2 else 0}
    most["teams_spanned"] = teams - 1
    pulls = {"pilot_teams": "line leaders", "mentoring": "executives"}
    pulls.update(networkers="networkers", teams_spanned="networkers")
    levels = {
        name: [v for v in values if v <= most.get(name, 1)] if pulls[name] in leaders else [0]
        for name, values in BUDGET_GRID.items()
    }
    if "networkers" not in leaders:
        levels["teams_spanned"] = [2]
    fits = {}
    for values in product(*levels.values()):
        levers = Levers(**dict(zip(levels, values, strict=True)), bridge_width=3)
        if all(levels.values()) and cost(levers, costs) <= budget + 1e-9:
            fits[values] = levers
    out = []
    for values, levers in fits.items():
        ups = []
        for i, options in enumerate(levels.values()):
            later = [v for v in options if v > values[i]]
            if later:
                ups.append((*values[:i], later[0], *values[i + 1 :]))
        if not any(up in fits for up in ups):
            out.append(levers)
    return tuple(out)
