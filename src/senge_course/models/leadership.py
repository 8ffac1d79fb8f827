"""Three kinds of leader as levers on the spread of a new practice (Senge 1997).

Senge (1997): no one kind of leader spreads a new practice alone.  Local line leaders introduce
and implement new ideas, executive leaders mentor them and invest in knowledge infrastructure
(learning laboratories), and internal networkers carry new practices between teams.  Here each
kind of leader is a lever on a threshold contagion (`senge_course.models.contagion`) on an
organisation (`senge_course.models.org`).  The model is calibrated, not estimated: its constants
are the rows of `ASSUMPTIONS`, documented and changeable (``simulate(..., assumptions=...)``).

The model (deliberate choices)
------------------------------
Who listens to whom (`influence_network`)
    Every tie (formal, informal, bridge) counts both ways with weight 1, except that a line leader
    weighs ``leader_weight`` with their own team.  Formal ties count too: informal ties alone
    would cut line leaders off from their teams.
Thresholds
    Fractional (Watts 2002): a person commits once the committed share of their ties' weight
    reaches their threshold, drawn per person from a normal distribution (``threshold_mean``,
    ``threshold_sd``, clipped to `THRESHOLD_RANGE`), high enough that nothing spreads by itself.
Line leaders (``pilot_teams``, ``pilot_share``)
    In each pilot team (chosen at random) the line leader and `pilot_share` of the others start
    committed: a cluster of people who know each other, not a lone champion (pilot groups come
    from Senge's later writing, 1996 and 1999, not from the 1997 article).
Executives (``mentoring``; or ``mandate``, ``mandate_rounds``)
    Mentoring (0 to 1) lowers thresholds, in the pilot teams by up to ``pilot_mentoring`` (a share
    of each threshold, at ``mentoring=1``), elsewhere by up to ``infrastructure`` (learning
    laboratories and tools for everybody); executives who mentor start committed.  Executives
    have only formal ties unless the organisation gives them informal ones
    (``org.organisation(executive_ties=k)``).  A mandate (0 to 1) makes that share of everyone
    *compliant* for `mandate_rounds` rounds: a weak signal (``compliant_weight`` of a committed
    person's); each round a compliant person commits with probability ``internalisation``
    (Kelman 1958: compliance can become internalisation), and after the mandate reverts with
    probability ``revert_probability``.  Top-down directives breed fear and distrust: a mandate
    raises everyone's threshold by ``resentment * mandate``.
Internal networkers (``networkers``, ``bridge_width``, ``teams_spanned``)
    `senge_course.models.org.add_networkers` turns members into networkers, each with a wide
    bridge (Centola & Macy 2007) into each of `teams_spanned` other teams: `bridge_width` ties of
    weight 1 from the networker and their neighbouring teammates to neighbouring people there,
    zig-zag.  A networker whose team, or a team their bridges reach, is a pilot team starts
    committed (a rule: they carry a practice they have seen work); without a pilot, a networker
    is an ordinary person with more ties, so networkers alone commit nobody.
Why the three together spread the practice further
    Pilots make committed clusters, but the practice stops at their edge.  Networkers carry it
    out over wide bridges, but rarely tip a team whose thresholds are untouched.  Mentoring lowers
    those thresholds enough for the bridges to tip whole teams.  A mandate buys fast compliance,
    which wears off, little commitment, and resentment that makes commitment harder.
Leaders' time (`senge_course.models.leader_time`)
    Levers cost leader-weeks, so the kinds of leader can be compared at equal time.
Calibration (chosen, not estimated from data; every row of `ASSUMPTIONS` can be changed)
    Thresholds around 0.45 (sd 0.08) are high enough that nothing spreads alone and a pilot team
    with its line leader commits as a whole; mentoring removes up to half of a pilot team's
    thresholds and 30% of everyone else's.  On the default organisation (3 executives, 6 teams of
    8; seeds 1-3, 50 runs) the scenarios' mean final committed shares are about 0.32 for the line
    leaders alone, 0.06 for the executives alone (themselves), 0 for the networkers alone,
    0.38-0.40 for line leaders with either other kind, and 0.79 for all three.  At equal leaders'
    time (36 leader-weeks, `leader_time.best_at_budget`), line leaders alone (4 pilot teams) commit about
    0.66 and all three about 0.9; with a mean threshold of 0.2 line leaders alone reach 0.95
    (`leader_time.synergy_map` draws the region).  Internalisation 0.01 per round (about one compliant person
    in ten over a 10-round mandate) leaves a mandate alone about 0.13 committed; 0.05 leaves 0.7.

Everything random (thresholds, the order in which pilots are picked, who is mandated, where
networkers go, who internalises or reverts) comes from ``seed``, drawn in the same order whatever
the levers: two lever settings with the same seed see the same people (*common random numbers*).

Examples
--------
The two executive levers: a mandate makes 80% of people compliant at once, and compliance wears
off after it; mentoring alone commits only the executives.

>>> from senge_course.models.org import organisation
>>> G = organisation(seed=1)
>>> mandate = simulate(G, "executives only (mandate)", seed=1)
>>> round(float(mandate.compliant_by_round[0]), 2), mandate.final_compliant < 0.1
(0.8, True)
>>> round(simulate(G, "executives only (mentoring)", seed=1).final_committed, 3)
0.059

References
----------
Senge, P. M. (1997). Communities of leaders and learners. Harvard Business Review 75(5), 30-32.
Kelman, H. C. (1958). Compliance, identification, and internalization. J. Conflict Resol. 2(1).
Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9).
Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. AJS 113(3).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from numbers import Integral
from types import MappingProxyType

import networkx as nx
import numpy as np

from .._validate import check_integer, check_seed
from . import contagion, org
from ._arrays import ReadOnlyMapping, readonly
from ._draws import (
    THRESHOLD_RANGE,
    BatchDraws,
    RunDraw,
    from_normal,
    networker_reach,
    raw_draws,
    reach_arrays,
)
from .parameters import Parameters, param

__all__ = [
    "ASSUMPTIONS",
    "COMBINATIONS",
    "DEFAULT_ROUNDS",
    "LEVERS",
    "SCENARIOS",
    "THRESHOLD_RANGE",
    "Comparison",
    "LeadershipResult",
    "Levers",
    "ScenarioStats",
    "check_assumptions",
    "check_levers",
    "compare",
    "default_thresholds",
    "draw_run",
    "influence_network",
    "prepare_organisation",
    "scenario",
    "simulate",
]

#: Rounds simulated by default (each result has ``rounds + 1`` values, index 0 = the start).
DEFAULT_ROUNDS = 30

_MAX_ROUNDS = 1000

#: The model's assumptions (calibrated, not estimated): default, range, label and meaning.
#: ``simulate(..., assumptions={"threshold_mean": 0.3})`` changes any of them for a run.
ASSUMPTIONS = Parameters(
    threshold_mean=param(
        0.45, "[0, 1]", 0.01, "Mean threshold", "mean threshold: share of tie weight committed"
    ),
    threshold_sd=param(
        0.08, "[0, 0.5]", 0.01, "Threshold spread", "thresholds' standard deviation"
    ),
    leader_weight=param(
        1.5, "[0, 5]", 0.1, "Leader's weight", "a line leader's weight with their own team"
    ),
    pilot_mentoring=param(
        0.5, "[0, 1]", 0.05, "Mentoring in pilots", "share of pilot thresholds mentoring 1 removes"
    ),
    infrastructure=param(
        0.3, "[0, 1]", 0.05, "Infrastructure", "share of other thresholds mentoring 1 removes"
    ),
    resentment=param(
        0.25, "[0, 1]", 0.05, "Resentment", "threshold a mandate on everyone adds to everyone's"
    ),
    compliant_weight=param(
        0.25, "[0, 1]", 0.05, "Compliant signal", "a compliant person's signal (committed: 1)"
    ),
    revert_probability=param(
        0.2, "[0, 1]", 0.05, "Reverting", "chance per round after a mandate of stopping to comply"
    ),
    internalisation=param(
        0.01, "[0, 1]", 0.01, "Internalisation", "chance per round a compliant person commits"
    ),
)

#: The levers of the three kinds of leader: default, range, control step, label and meaning.
LEVERS = Parameters(
    pilot_teams=param(
        0, "[0, inf) int", None, "Pilot teams", "line leaders: pilot teams", control_high=6
    ),
    pilot_share=param(
        0.3, "[0, 1]", 0.05, "Share of team", "line leaders: share of each pilot team starting"
    ),
    mentoring=param(
        0.0, "[0, 1]", 0.1, "Mentoring", "executives: mentoring and infrastructure lower thresholds"
    ),
    mandate=param(
        0.0, "[0, 1]", 0.1, "Mandate", "executives: the share of everyone ordered to adopt"
    ),
    mandate_rounds=param(
        10, "[0, 1000] int", None, "Mandate rounds", "mandate's length", control_high=DEFAULT_ROUNDS
    ),
    networkers=param(
        0, "[0, inf) int", None, "Networkers", "members who bridge teams", control_high=20
    ),
    bridge_width=param(
        3, "[1, 10] int", None, "Ties per bridge", "into each team; 1 is a long tie", control_high=6
    ),
    teams_spanned=param(
        2, "[1, inf) int", None, "Teams reached", "other teams each reaches", control_high=5
    ),
)


@dataclass(frozen=True)
class Levers:
    """The levers the three kinds of leader pull (all off by default: no leadership at all).

    The fields, their defaults and allowed ranges are the rows of `LEVERS`; a value out of range
    is refused naming the field (limits that depend on the organisation are checked by `simulate`).

    Examples
    --------
    Two pilot teams with mentoring: the line leaders and the executives, no networkers.

    >>> levers = Levers(pilot_teams=2, mentoring=0.6)
    >>> levers.leaders
    ('line leaders', 'executives')
    >>> print(levers.describe())
    2 pilot teams (line leader + 30% of the team); mentoring 0.6
    >>> Levers(mentoring=1.5)
    Traceback (most recent call last):
    ...
    ValueError: mentoring must be a number in [0, 1], got mentoring=1.5
    """

    pilot_teams: int = 0
    pilot_share: float = 0.3
    mentoring: float = 0.0
    mandate: float = 0.0
    mandate_rounds: int = 10
    networkers: int = 0
    bridge_width: int = 3
    teams_spanned: int = 2

    def __post_init__(self):
        LEVERS.check_fields(self)

    @property
    def leaders(self):
        """The kinds of leader at work: a tuple of ``"line leaders"``, ``"executives"``, ``"networkers"``."""
        pulled = (self.pilot_teams, self.mentoring or self.mandate, self.networkers)
        kinds = ("line leaders", "executives", "networkers")
        return tuple(kind for kind, on in zip(kinds, pulled, strict=True) if on)

    def replace(self, **changes):
        """Return a copy with some levers changed (``levers.replace(bridge_width=1)``)."""
        return replace(self, **changes)

    def describe(self):
        """Return the levers in words, one clause per lever pulled ("no levers" when none)."""
        parts = []
        if self.pilot_teams:
            team = _plural(self.pilot_teams, "pilot team")
            parts.append(f"{team} (line leader + {self.pilot_share:.0%} of the team)")
        if self.mentoring:
            parts.append(f"mentoring {self.mentoring:g}")
        if self.mandate:
            parts.append(
                f"mandate on {self.mandate:.0%} of people for {self.mandate_rounds} rounds"
            )
        if self.networkers:
            width = "a single tie" if self.bridge_width == 1 else f"{self.bridge_width} ties wide"
            parts.append(
                f"{_plural(self.networkers, 'networker')}, bridges {width} into "
                f"{_plural(self.teams_spanned, 'other team')} each"
            )
        return "; ".join(parts) if parts else "no levers"


# The levers each kind of leader pulls in the named scenarios.
_LINE = {"pilot_teams": 2, "pilot_share": 0.3}
_MENTOR = {"mentoring": 0.8}
_NETWORK = {"networkers": 3, "bridge_width": 3, "teams_spanned": 2}
_MANDATE = {"mandate": 0.8, "mandate_rounds": 10}

#: The seven combinations of the three kinds of leader (executives mentoring), plus "none".
COMBINATIONS = MappingProxyType(
    {
        "none": Levers(),
        "line leaders": Levers(**_LINE),
        "executives": Levers(**_MENTOR),
        "networkers": Levers(**_NETWORK),
        "line leaders + executives": Levers(**_LINE, **_MENTOR),
        "line leaders + networkers": Levers(**_LINE, **_NETWORK),
        "executives + networkers": Levers(**_MENTOR, **_NETWORK),
        "all three": Levers(**_LINE, **_MENTOR, **_NETWORK),
    }
)

#: Named scenarios for the lessons: each kind of leader alone, all three, and a mandate.
SCENARIOS = MappingProxyType(
    {
        "none": Levers(),
        "line leaders only": Levers(**_LINE),
        "executives only (mentoring)": Levers(**_MENTOR),
        "executives only (mandate)": Levers(**_MANDATE),
        "networkers only": Levers(**_NETWORK),
        "all three": Levers(**_LINE, **_MENTOR, **_NETWORK),
    }
)


def scenario(name):
    """Return the `Levers` of a named scenario (a key of `SCENARIOS` or `COMBINATIONS`).

    An unknown name is refused with a message listing the names.

    >>> scenario("line leaders only").pilot_teams
    2
    """
    if isinstance(name, str) and (name in SCENARIOS or name in COMBINATIONS):
        return SCENARIOS.get(name) or COMBINATIONS[name]
    names = ", ".join(repr(k) for k in dict.fromkeys([*SCENARIOS, *COMBINATIONS]))
    raise ValueError(f"scenario must be one of {names}, got scenario={name!r}")


def check_levers(levers):
    """Return `levers` as `Levers`: a `Levers` as it is, a scenario name as that scenario's levers.

    Raises TypeError if `levers` is neither a `Levers` nor text, ValueError for an unknown name.

    >>> check_levers("networkers only") == Levers(networkers=3)
    True
    """
    if isinstance(levers, str):
        return scenario(levers)
    if not isinstance(levers, Levers):
        raise TypeError(
            f"levers must be a Levers(...) or a scenario name, got levers={levers!r} "
            f"({type(levers).__name__})"
        )
    return levers


def check_assumptions(assumptions):
    """Return every assumption's value: the `ASSUMPTIONS` defaults changed by `assumptions`.

    `assumptions` is None (the defaults) or a mapping of some rows of `ASSUMPTIONS` to new
    values; an unknown name or a value out of range is refused naming it.

    >>> check_assumptions({"threshold_mean": 0.3})["threshold_mean"]
    0.3
    >>> check_assumptions({"charisma": 1})
    Traceback (most recent call last):
    ...
    ValueError: unknown input 'charisma': the inputs are threshold_mean, threshold_sd, leader_weight, pilot_mentoring, infrastructure, resentment, compliant_weight, revert_probability, internalisation
    """
    if assumptions is None:
        return ASSUMPTIONS.defaults()
    if not isinstance(assumptions, Mapping):
        raise TypeError(
            f"assumptions must be a dict such as {{'threshold_mean': 0.4}}, got "
            f"assumptions={assumptions!r}"
        )
    return {**ASSUMPTIONS.defaults(), **ASSUMPTIONS.check(assumptions)}


@dataclass(frozen=True, eq=False)
class LeadershipResult:
    """One run of `simulate` (arrays are read-only; per-person arrays follow ``nodes``).

    ``levers`` pulled; ``graph``, the organisation simulated (with the networkers added), and
    ``nodes``, its people in ``list(graph)`` order.  ``committed_by_round`` and
    ``compliant_by_round`` (adopted under the mandate, not committed): shares of everyone after
    each round, index 0 the start, ``rounds + 1`` values (the last repeats once the run settles).
    Per person: final ``state`` (``"committed"``, ``"compliant"`` or ``"none"``, the keys of
    `senge_course.style.STATE_STYLE`), ``adoption_round`` (0: started committed, -1: never), and
    ``thresholds`` after mentoring and resentment.  Tuples: ``pilot_teams``; ``starters``, all
    committed at the start (pilots, mentoring executives, networkers who span a pilot team, the
    ``starters`` given to `simulate`); the internal ``networkers``; the ``mandated`` (made
    compliant).  ``settled``: the round after which nothing changed (at most the rounds run).
    ``left``: the networker who left partway through (``leaves`` in `simulate`), or None; they
    count as not committed from the round they left (shares stay shares of everyone at the start).
    """

    levers: Levers
    graph: nx.Graph = field(repr=False)
    nodes: tuple = field(repr=False)
    committed_by_round: np.ndarray = field(repr=False)
    compliant_by_round: np.ndarray = field(repr=False)
    state: np.ndarray = field(repr=False)
    adoption_round: np.ndarray = field(repr=False)
    thresholds: np.ndarray = field(repr=False)
    pilot_teams: tuple = field(repr=False)
    starters: tuple = field(repr=False)
    networkers: tuple = field(repr=False)
    mandated: tuple = field(repr=False)
    settled: int = field(repr=False)
    left: int | None = field(default=None, repr=False)

    @property
    def final_committed(self):
        """Committed share of everyone at the end."""
        return float(self.committed_by_round[-1])

    @property
    def final_compliant(self):
        """Compliant share of everyone at the end."""
        return float(self.compliant_by_round[-1])

    def committed_at(self, t):
        """Return who is committed after round `t` (a bool array in ``nodes`` order)."""
        t = check_integer("t", t, low=0, high=len(self.committed_by_round) - 1)
        return (self.adoption_round >= 0) & (self.adoption_round <= t)

    @property
    def summary(self):
        """One sentence saying how far the practice spread (a figure's text summary)."""
        peak = float(self.compliant_by_round.max())
        text = (
            f"With {self.levers.describe()}, {self.final_committed:.0%} of the "
            f"{len(self.nodes)} people are committed after {len(self.committed_by_round) - 1} rounds"
        )
        if peak > 0:
            text += f" (compliance peaked at {peak:.0%} and ends at {self.final_compliant:.0%})"
        return text + "."

    def __repr__(self):
        return (
            f"LeadershipResult(n={len(self.nodes)}, final_committed={self.final_committed:.3g}, "
            f"final_compliant={self.final_compliant:.3g})"
        )


@dataclass(frozen=True, eq=False)
class ScenarioStats:
    """Many runs of one scenario (``name``, ``levers``), as `compare` returns them (read-only arrays).

    ``committed_by_round`` and ``compliant_by_round`` hold each run's shares by round, shape
    ``(runs, rounds + 1)``; ``committed_mean``, ``committed_low`` and ``committed_high`` the mean
    and the 5th and 95th percentiles across runs, per round (and the same for ``compliant``);
    ``simulate(G, levers, seed=int(run_seeds[i]))`` replays run ``i``.
    """

    name: str
    levers: Levers
    committed_by_round: np.ndarray = field(repr=False)
    compliant_by_round: np.ndarray = field(repr=False)
    run_seeds: np.ndarray = field(repr=False)
    committed_mean: np.ndarray = field(init=False, repr=False)
    committed_low: np.ndarray = field(init=False, repr=False)
    committed_high: np.ndarray = field(init=False, repr=False)
    compliant_mean: np.ndarray = field(init=False, repr=False)
    compliant_low: np.ndarray = field(init=False, repr=False)
    compliant_high: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        for kind in ("committed", "compliant"):
            by_round = getattr(self, f"{kind}_by_round")
            low, high = np.percentile(by_round, [5, 95], axis=0)
            for stat, values in {"mean": by_round.mean(axis=0), "low": low, "high": high}.items():
                object.__setattr__(self, f"{kind}_{stat}", values)
        readonly(*(getattr(self, f.name) for f in fields(self) if f.repr is False))

    @property
    def final_committed(self):
        """Committed share at the end of each run."""
        return self.committed_by_round[:, -1]

    @property
    def final_compliant(self):
        """Compliant share at the end of each run."""
        return self.compliant_by_round[:, -1]

    @property
    def summary(self):
        """One sentence: the mean final committed share and its 5-95% band over the runs."""
        return f"{self.name}: {_band(self)} over {self.committed_by_round.shape[0]} runs."

    def __repr__(self):
        runs, mean = self.committed_by_round.shape[0], float(self.final_committed.mean())
        return f"ScenarioStats({self.name!r}, runs={runs}, mean_final_committed={mean:.3g})"


@dataclass(frozen=True, eq=False)
class Comparison(ReadOnlyMapping, over="scenarios"):
    """Scenarios compared by `compare`: a read-only mapping of name -> `ScenarioStats`, in order.

    ``runs`` is the runs per scenario, ``rounds`` the rounds per run.
    """

    scenarios: Mapping = field(repr=False)
    runs: int = 0
    rounds: int = 0

    @property
    def names(self):
        """The scenario names, in order."""
        return tuple(self.scenarios)

    def final_means(self):
        """Return name -> mean final committed share."""
        return {k: float(s.final_committed.mean()) for k, s in self.scenarios.items()}

    @property
    def summary(self):
        """One sentence: each scenario's mean final committed share and 5-95% band."""
        said = "; ".join(f"{k}: {_band(s)}" for k, s in self.scenarios.items())
        return f"{self.runs} runs of each scenario: {said}."

    def table(self):
        """Return one line per scenario: mean final committed share and its 5-95% band."""
        width = max(len(k) for k in self.scenarios)
        return "\n".join(
            f"{k.ljust(width)}  committed {float(s.committed_mean[-1]):.0%} "
            f"(5-95%: {float(s.committed_low[-1]):.0%}-{float(s.committed_high[-1]):.0%})"
            for k, s in self.scenarios.items()
        )

    def __repr__(self):
        return f"Comparison(scenarios={list(self.scenarios)!r}, runs={self.runs}, rounds={self.rounds})"


def default_thresholds(n, *, seed=None, assumptions=None):
    """Return `n` thresholds (n >= 1) drawn from the model's distribution, with randomness `seed`.

    A normal distribution with mean ``threshold_mean`` and standard deviation ``threshold_sd``
    (`ASSUMPTIONS`, changed by `assumptions`), clipped to `THRESHOLD_RANGE`.  `simulate` draws
    exactly these (before the levers change them) when ``thresholds=None``.

    Examples
    --------
    On average, a person commits once 45% of the weight of their ties is committed; almost
    everyone needs between 29% and 61% (two standard deviations either side).

    >>> t = default_thresholds(10_000, seed=1)
    >>> round(float(t.mean()), 2)
    0.45
    >>> float(np.mean((t > 0.29) & (t < 0.61))) > 0.95
    True
    """
    n = check_integer("n", n, low=1)
    return from_normal(check_seed(seed).standard_normal(n), check_assumptions(assumptions))


def influence_network(G, *, assumptions=None):
    """Return who listens to whom in organisation `G`: a weighted directed network (`networkx.DiGraph`).

    Every tie counts both ways with weight 1, except that a line leader weighs ``leader_weight``
    (`ASSUMPTIONS`, changed by `assumptions`) with the people of their own team.  An edge
    ``u -> v`` means ``u`` influences ``v`` (as in `senge_course.models.contagion`); it carries
    ``weight`` (how much) and the tie's ``kind``.

    Examples
    --------
    Line leader 3 (L0) weighs 1.5 with member 4 of their team, who weighs 1 with them.

    >>> from senge_course.models.org import organisation
    >>> D = influence_network(organisation(seed=1))
    >>> D.edges[3, 4]["weight"], D.edges[4, 3]["weight"]
    (1.5, 1.0)

    A networker's bridge ties weigh 1, like any other tie.

    >>> from senge_course.models.org import add_networkers
    >>> H = add_networkers(organisation(seed=1), count=1, seed=1)
    >>> {D["weight"] for *_, D in influence_network(H).edges(data=True) if D["kind"] == "bridge"}
    {1.0}
    """
    _check_organisation(G)
    weight = check_assumptions(assumptions)["leader_weight"]
    D = nx.DiGraph()
    D.add_nodes_from(sorted(G.nodes(data=True)))  # position i is person i
    for u, v, kind in G.edges(data="kind"):
        D.add_edge(u, v, weight=_arc_weight(G.nodes, u, v, weight), kind=kind)
        D.add_edge(v, u, weight=_arc_weight(G.nodes, v, u, weight), kind=kind)
    return D


def simulate(
    G,
    levers,
    *,
    seed=None,
    rounds=DEFAULT_ROUNDS,
    thresholds=None,
    starters=(),
    assumptions=None,
    leaves=None,
):
    """Return one run of the leadership model (`LeadershipResult`): how far the levers spread a practice.

    `G` is an organisation (`senge_course.models.org.organisation`; it is not changed); `levers`
    a `Levers` or a scenario name (`SCENARIOS`, `COMBINATIONS`); `seed` the randomness of the
    whole run (the same seed, the same result); `rounds` the rounds to simulate (1 to 1000).
    `thresholds` are everyone's thresholds before the levers change them (shares of tie weight):
    None draws `default_thresholds`; a number for everyone; one per person (an array, or a dict
    person -> threshold); or a function ``rng -> thresholds``, drawn after the model's own draws.
    `starters` also start committed (executives, or the brokers
    `senge_course.models.brokerage.suggest_networkers` finds).  `assumptions` changes rows of
    `ASSUMPTIONS` for this run (a dict such as ``{"internalisation": 0.1}``).  `leaves` (None, or
    a round from 0 to `rounds`) is a shock: at that round the best-placed of the placed
    networkers (the one with the most bridge ties) leaves the organisation with their ties;
    everyone keeps the state they had reached, and the run goes on without them (a mandate's
    remaining rounds too).  With no networkers placed, or ``leaves == rounds``, nobody leaves.

    Raises TypeError or ValueError if `G` is not an organisation, a lever does not fit it (more
    pilot teams than teams, more networkers than members, ...), a threshold is NaN or negative, a
    starter is not a person in `G`, an assumption is unknown or out of range, or a scenario name
    is unknown.

    Examples
    --------
    With no levers nothing moves: the thresholds are too high for the practice to start alone.

    >>> from senge_course.models.org import organisation
    >>> G = organisation(seed=1)
    >>> simulate(G, Levers(), seed=1).final_committed
    0.0

    Two pilot teams (their line leaders and a third of their people) commit as whole teams, but
    the practice stops at the edge of the pilots.

    >>> r = simulate(G, "line leaders only", seed=1)
    >>> r.committed_by_round[0] < r.final_committed < 0.4
    True

    All three kinds of leader together can carry it to everyone (in this run; `compare` runs many).

    >>> simulate(G, "all three", seed=3).final_committed
    1.0

    A mandate makes most people compliant at once, and compliance wears off after it ends; if
    compliance internalised far more often, it would leave commitment behind.

    >>> r = simulate(G, "executives only (mandate)", seed=1)
    >>> float(r.compliant_by_round[1]) > 0.7, r.final_compliant < 0.1
    (True, True)
    >>> often = simulate(G, "executives only (mandate)", seed=1, assumptions={"internalisation": 0.2})
    >>> often.final_committed > 0.5
    True
    """
    levers = check_levers(levers)
    rounds = check_integer("rounds", rounds, low=1, high=_MAX_ROUNDS)
    leaves = _check_leaves(leaves, rounds)
    base = PreparedOrganisation(G, starters, check_assumptions(assumptions))
    _check_fit(base, levers)
    return _run(base, levers, check_seed(seed), rounds, thresholds, leaves=leaves)


def compare(
    G,
    scenarios=None,
    *,
    runs=50,
    seed=None,
    rounds=DEFAULT_ROUNDS,
    thresholds=None,
    starters=(),
    assumptions=None,
    progress=False,
    leaves=None,
):
    """Return many runs of each scenario: mean and 5-95% band of the shares by round (`Comparison`).

    Every scenario gets the same run seeds, so run ``i`` of every scenario sees the same
    thresholds, order of picking pilots and mandated people, and networker placements: differences
    between scenarios come from the levers (common random numbers).  Networkers are placed afresh
    in each run, so the band includes good and bad placements.  Scenarios without networkers run
    all together (`senge_course.models.contagion.simulate_many`).

    `G` is an organisation, or `prepare_organisation`'s result to reuse its checks and networker
    placements from call to call (its `starters`; `assumptions` then change its own).
    `scenarios` (default `SCENARIOS`) maps names to `Levers` (or scenario names), or lists
    scenario names; `runs` (at least 1) are the runs per scenario; `seed`, `rounds`, `thresholds`,
    `starters`, `assumptions` and `leaves` are as in `simulate` (a function ``rng -> thresholds``
    is called once per run; with `leaves`, each run's best-placed networker leaves at that
    round); `progress` shows a tqdm progress bar.  ``comparison[name]`` is a
    `ScenarioStats`; ``comparison.summary`` says it in a sentence, ``comparison.table()`` line by
    line.

    Examples
    --------
    Line leaders alone against all three (50 runs each): all three spread the practice further.

    >>> from senge_course.models.org import organisation
    >>> result = compare(organisation(seed=1), ["line leaders only", "all three"], seed=1)
    >>> means = result.final_means()
    >>> means["all three"] > means["line leaders only"] + 0.2
    True

    Any run can be replayed alone for a closer look:

    >>> stats = result["all three"]
    >>> again = simulate(organisation(seed=1), "all three", seed=int(stats.run_seeds[3]))
    >>> bool(again.final_committed == stats.final_committed[3])
    True
    """
    named = _check_scenarios(scenarios)
    runs = check_integer("runs", runs, low=1)
    rounds = check_integer("rounds", rounds, low=1, high=_MAX_ROUNDS)
    leaves = _check_leaves(leaves, rounds)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got progress={progress!r}")
    base = _prepared(G, starters, assumptions)
    for levers in named.values():
        _check_fit(base, levers)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=runs * len(named), unit="run", desc="compare")
    try:
        out = _compare(base, named, seed, runs, rounds, thresholds, bar, leaves)
    finally:
        if bar is not None:
            bar.close()
    return Comparison(scenarios=MappingProxyType(out), runs=runs, rounds=rounds)


def prepare_organisation(G, *, starters=(), assumptions=None):
    """Return organisation `G` checked and prepared once for many `draw_run` calls.

    What every run on `G` shares: its influence network (`influence_network`) as a
    `senge_course.models.contagion.PreparedNetwork` (``.net``), its number of people (``.n``)
    and of teams (``.teams``), the `assumptions` checked (``.assumptions``, a dict), and a cache
    of networker placements, kept from one `compare` to the next when it is passed as `G` (a
    widget or a grader comparing many designs places each run's networkers once).  `starters`
    and `assumptions` are as in `simulate`; the same errors.  `G` must not change afterwards.

    >>> from senge_course.models.org import organisation
    >>> prepared = prepare_organisation(organisation(seed=1))
    >>> prepared.n, prepared.teams, prepared.net.n
    (51, 6, 51)
    """
    return PreparedOrganisation(G, starters, check_assumptions(assumptions))


def _prepared(G, starters, assumptions):
    """The `PreparedOrganisation` of `compare`: `G`'s own, or a prepared one with `assumptions` changed."""
    if not isinstance(G, PreparedOrganisation):
        return PreparedOrganisation(G, starters, check_assumptions(assumptions))
    if _check_people("starters", starters, G.n).any():
        raise ValueError(
            "starters must be given to prepare_organisation when G is prepared, got "
            f"starters={starters!r}"
        )
    if assumptions is None:
        return G
    check_assumptions(assumptions)
    return G.changed({**G.assumptions, **assumptions})


def draw_run(prepared, levers, *, seed=None):
    """Return one run's random draws for `levers` on a `prepare_organisation` result.

    Exactly the draws ``simulate(G, levers, seed=seed)`` makes before it spreads the practice,
    in the same fixed order whatever the levers (common random numbers), with the default
    thresholds; a Generator `seed` is drawn from, and can go on to the spreading.  Attributes:
    ``net``, the `senge_course.models.contagion.PreparedNetwork` with the placed networkers'
    bridge ties; ``thresholds`` after mentoring and resentment; ``starters`` and ``mandated``,
    boolean arrays over the people; ``pilot_teams``; ``networkers`` (everyone who carries a
    practice by bridge); ``ties``, the bridge ties placed.  Spreading the practice from them with
    `senge_course.models.contagion.simulate` (the same generator; a mandate's options from
    `ASSUMPTIONS`) is `simulate`'s run.  Raises ValueError if the levers do not fit the
    organisation (more pilot teams than teams, ...) or a networker's bridge cannot be laid.

    >>> import numpy as np
    >>> from senge_course.models import contagion
    >>> from senge_course.models.org import organisation
    >>> G = organisation(seed=1)
    >>> d = draw_run(prepare_organisation(G), "all three", seed=3)
    >>> r = contagion.simulate(d.net, d.thresholds, np.flatnonzero(d.starters), max_rounds=30)
    >>> r.final_fraction == simulate(G, "all three", seed=3).final_committed
    True
    """
    if not isinstance(prepared, PreparedOrganisation):
        raise TypeError(
            f"prepared must be what prepare_organisation(G) returns, got prepared={prepared!r}"
        )
    levers = check_levers(levers)
    _check_fit(prepared, levers)
    return RunDraw(prepared, levers, check_seed(seed), None)


def _plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}"


def _band(s):
    return (
        f"committed {float(s.committed_mean[-1]):.0%} on average at the end (5-95%: "
        f"{float(s.committed_low[-1]):.0%} to {float(s.committed_high[-1]):.0%})"
    )


def _check_organisation(G):
    try:
        org.validate_organisation(G)
    except (TypeError, ValueError) as err:
        raise type(err)(
            f"G must be an organisation such as senge_course.models.org.organisation() returns: {err}"
        ) from None


def _check_scenarios(scenarios):
    if scenarios is None:
        return dict(SCENARIOS)
    if isinstance(scenarios, str):
        return {scenarios: scenario(scenarios)}
    if isinstance(scenarios, Mapping):
        for name in scenarios:
            if not isinstance(name, str):
                raise TypeError(f"scenario names must be text, got {name!r}")
        named = {name: check_levers(levers) for name, levers in scenarios.items()}
    elif isinstance(scenarios, Iterable):
        named = {name: scenario(name) for name in scenarios}
    else:
        raise TypeError(
            "scenarios must be a dict of name -> Levers or a list of scenario names, got "
            f"scenarios={scenarios!r}"
        )
    if not named:
        raise ValueError("scenarios must name at least one scenario, got none")
    return named


def _arc_weight(nodes, a, b, leader_weight):
    """Weight of the influence of `a` on `b` (`nodes`: G.nodes)."""
    if nodes[a]["role"] == "line_leader" and nodes[a]["team"] == nodes[b]["team"]:
        return leader_weight
    return 1.0


class PreparedOrganisation:
    """What every run on one organisation shares, checked and built once (and the placements
    of networkers, cached by run seed and networker levers)."""

    def __init__(self, G, starters, assumptions):
        D = influence_network(G, assumptions=assumptions)  # checks G
        n = G.number_of_nodes()
        self.G, self.n, self.teams = G, n, G.graph["teams"]
        self.assumptions = assumptions
        self.starters = _check_people("starters", starters, n)
        role = np.array([G.nodes[v]["role"] for v in range(n)])
        self.team = np.array([G.nodes[v]["team"] for v in range(n)], dtype=np.int64)
        self.executive = role == "executive"
        self.leader = role == "line_leader"
        self.members = int(np.count_nonzero(role == "member"))
        # people of each team who may join a pilot besides its line leader
        self.others = [np.flatnonzero((self.team == t) & ~self.leader) for t in range(self.teams)]
        # G's own networkers (a graph may come with some): they too carry a piloted practice
        self.networkers = networker_reach(G, np.flatnonzero(role == "networker"))
        self.own_reach = reach_arrays(self.networkers, self.teams)
        self.net = contagion.prepare(D, weight="weight")
        self.placements, self.raw = {}, {}  # kept by `senge_course.models._draws`

    def changed(self, assumptions):
        """The same organisation and placements under other `assumptions` (checked)."""
        a = check_assumptions(assumptions)
        other = copy.copy(self)
        other.assumptions = a
        if a["leader_weight"] != self.assumptions["leader_weight"]:
            D = influence_network(self.G, assumptions=a)
            other.net = contagion.prepare(D, weight="weight")
        return other

    @property
    def layout(self):
        """`G` checked once for placing networkers (`senge_course.models.org.team_layout`)."""
        if "layout" not in self.__dict__:
            self.__dict__["layout"] = org.team_layout(self.G)
        return self.__dict__["layout"]


def _compare(base, named, seed, runs, rounds, thresholds, bar, leaves=None):
    """{name: ScenarioStats} for the `named` levers, `runs` runs each, common random numbers."""
    batch_seed = int(check_seed(seed).integers(0, 2**63 - 1))
    # the run seeds contagion.simulate_many derives from batch_seed (checked by a test)
    run_seeds = np.random.default_rng(batch_seed).integers(0, 2**63 - 1, size=runs, dtype=np.int64)
    out = {}
    for name, levers in named.items():
        if levers.networkers and leaves is not None:  # two spreads a run: one run at a time
            results = []
            for s in run_seeds:
                g = np.random.default_rng(int(s))
                results.append(_run(base, levers, g, rounds, thresholds, False, leaves))
                if bar is not None:
                    bar.update(1)
            c_by = np.array([r.committed_by_round for r in results])
            m_by = np.array([r.compliant_by_round for r in results])
        else:
            c_by, m_by = _batch(base, levers, batch_seed, run_seeds, rounds, thresholds)
            if bar is not None:
                bar.update(runs)
        out[name] = ScenarioStats(name, levers, c_by, m_by, np.array(run_seeds))
    return out


def _check_leaves(leaves, rounds):
    """`leaves` checked: None, or the round (0 to `rounds`) at which a networker leaves."""
    if leaves is None:
        return None
    return check_integer("leaves", leaves, low=0, high=rounds)


def _check_fit(base, levers):
    """Raise if `levers` ask for more than the organisation has."""
    teams = base.teams
    if levers.pilot_teams > teams:
        raise ValueError(
            f"pilot_teams must be at most the number of teams in G ({teams}), got "
            f"pilot_teams={levers.pilot_teams}"
        )
    if not levers.networkers:
        return
    if levers.networkers > base.members:
        raise ValueError(
            f"networkers must be at most the number of members in G ({base.members}), got "
            f"networkers={levers.networkers}"
        )
    if teams < 2:
        raise ValueError(
            f"networkers need at least 2 teams to bridge, but G has teams={teams}; "
            f"got networkers={levers.networkers}"
        )
    if levers.teams_spanned > teams - 1:
        raise ValueError(
            f"teams_spanned must be at most the number of other teams in G ({teams - 1}), "
            f"got teams_spanned={levers.teams_spanned}"
        )


def _check_people(name, people, n):
    if isinstance(people, (str, bytes)) or not isinstance(people, Iterable):
        raise TypeError(f"{name} must be a list of people, got {name}={people!r}")
    mask = np.zeros(n, dtype=bool)
    for v in people:
        if isinstance(v, bool) or not isinstance(v, Integral) or not 0 <= v < n:
            raise ValueError(
                f"{name} must be people in G (whole numbers 0 to {n - 1}), got {v!r} in {name}"
            )
        mask[int(v)] = True
    return mask


def _mandate(levers, a):
    """The mandate's arguments of `contagion.simulate` and `contagion.simulate_many`."""
    return {
        "compliant_weight": a["compliant_weight"],
        "mandate_rounds": levers.mandate_rounds,
        "revert_probability": a["revert_probability"],
        "internalise_probability": a["internalisation"],
    }


def _run(base, levers, rng, rounds, thresholds, graph=True, leaves=None):
    """One run; `graph`: build the organisation with its networkers (`compare` needs none).

    `leaves`: the round at which the best-placed networker leaves (None: nobody leaves; see
    `simulate`).  The run is then two runs of `contagion.simulate` on the same generator: up
    to that round on the whole organisation, and from there, with everyone's state carried
    over, on the organisation without the networker and their ties.
    """
    d = RunDraw(base, levers, rng, thresholds)
    mandate = _mandate(levers, base.assumptions)
    left = _departing(d) if leaves is not None and leaves < rounds else None
    first = rounds if left is None else leaves
    r = contagion.simulate(
        d.net,
        d.thresholds,
        np.flatnonzero(d.starters),
        max_rounds=first,
        compliant=np.flatnonzero(d.mandated),
        seed=rng,
        **mandate,
    )
    committed_by, compliant_by = (
        _pad(r.committed_by_round, first),
        _pad(r.compliant_by_round, first),
    )
    committed, compliant, adoption, settled = r.committed, r.compliant, r.adoption_round, r.rounds
    if left is not None:
        stay = np.ones(base.n, dtype=bool)
        stay[left] = False
        rest = rounds - leaves
        after = contagion.simulate(
            _without(d.net, left),
            d.thresholds,
            np.flatnonzero(committed & stay),
            max_rounds=rest,
            compliant=np.flatnonzero(compliant & stay),
            seed=rng,
            **mandate | {"mandate_rounds": max(levers.mandate_rounds - leaves, 0)},
        )
        committed_by = np.concatenate([committed_by[:leaves], _pad(after.committed_by_round, rest)])
        compliant_by = np.concatenate([compliant_by[:leaves], _pad(after.compliant_by_round, rest)])
        joined = (after.adoption_round > 0) & (adoption < 0)
        adoption = np.where(joined, after.adoption_round + leaves, adoption)
        adoption[left] = -1
        committed, compliant = after.committed, after.compliant
        settled = leaves + int(after.rounds)
    state = np.where(committed, "committed", np.where(compliant, "compliant", "none"))
    arrays = dict(
        committed_by_round=np.array(committed_by),
        compliant_by_round=np.array(compliant_by),
        state=state,
        adoption_round=np.array(adoption),
        thresholds=d.thresholds.copy(),
    )
    readonly(*arrays.values())
    G = base.G
    if graph and d.ties:
        G = G.copy()
        for v in set(d.networkers) - set(base.networkers):
            G.nodes[v].update(role="networker", level=org.ROLE_LEVEL["networker"])
        G.add_edges_from(d.ties, kind="bridge")
    return LeadershipResult(
        levers=levers,
        graph=G,
        nodes=tuple(range(base.n)),
        pilot_teams=d.pilot_teams,
        starters=tuple(np.flatnonzero(d.starters).tolist()),
        networkers=d.networkers,
        mandated=tuple(np.flatnonzero(d.mandated).tolist()),
        settled=int(settled),
        left=left,
        **arrays,
    )


def _departing(d):
    """The best-placed networker of a run: the placed one with the most bridge ties (None if none).

    Ties in the count go to the lowest-numbered person.
    """
    placed = set(d.networkers)
    counts = Counter(v for tie in d.ties for v in tie if v in placed)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def _without(net, v):
    """Return PreparedNetwork `net` without person `v`'s ties (they neither hear nor are heard)."""
    matrix = net.matrix.copy()
    matrix.data[matrix.indptr[v] : matrix.indptr[v + 1]] = 0.0  # what v hears
    matrix.data[matrix.indices == v] = 0.0  # what others hear from v
    matrix.eliminate_zeros()
    in_weight = matrix @ np.ones(net.n)
    degree = np.diff(matrix.indptr).astype(np.int64)
    readonly(in_weight, degree)
    return replace(net, matrix=matrix, in_weight=in_weight, degree=degree)


def _batch(base, levers, batch_seed, run_seeds, rounds, thresholds):
    """All runs at once on the shared network, each with its own bridges (`contagion.simulate_many`
    with ``arcs``; it calls the functions below run by run, in order).

    With the model's own thresholds, every run's draws come at once from the lever-free draws
    `base` keeps (`BatchDraws`): as tables, or, when someone is mandated (spreading then draws
    from each run's generator), run by run with the generator moved on to where the run's own
    draws leave it.  With `thresholds` given, each run draws alone (`RunDraw`)."""
    runs = len(run_seeds)
    if thresholds is None:
        batch = BatchDraws(base, levers, raw_draws(base, run_seeds))
        step, draws = iter(range(runs)), {}

        def run(g):  # the run of generator g, moved on to where the run's draws leave it
            if id(g) not in draws:
                draws[id(g)] = i = next(step)
                g.bit_generator.state = batch.states[i]
            return draws[id(g)]

        arcs = iter(batch.arcs)
        inputs = {"arcs": (lambda g: next(arcs)) if levers.networkers else None}
        if not batch.mandated.any():
            inputs.update(thresholds=batch.thresholds, starters=batch.starters)
        else:
            inputs.update(
                thresholds=lambda g: batch.thresholds[run(g)],
                starters=lambda g: np.flatnonzero(batch.starters[run(g)]),
                compliant=lambda g: np.flatnonzero(batch.mandated[run(g)]),
            )
    else:
        draws = {}

        def draw(g):
            if id(g) not in draws:
                draws[id(g)] = RunDraw(base, levers, g, thresholds)
            return draws[id(g)]

        inputs = {
            "thresholds": lambda g: draw(g).thresholds,
            "starters": lambda g: np.flatnonzero(draw(g).starters),
            "compliant": lambda g: np.flatnonzero(draw(g).mandated),
            "arcs": (lambda g: draw(g).arcs) if levers.networkers else None,
        }
    b = contagion.simulate_many(
        base.net,
        runs=runs,
        max_rounds=rounds,
        seed=batch_seed,
        **inputs,
        **_mandate(levers, base.assumptions),
    )
    return _pad(b.committed_by_round, rounds), _pad(b.compliant_by_round, rounds)


def _pad(by_round, rounds):
    """Pad (or cut) shares by round along the last axis to rounds + 1 values."""
    by_round = np.asarray(by_round, dtype=float)
    have = by_round.shape[-1]
    if have >= rounds + 1:
        return np.array(by_round[..., : rounds + 1])
    tail = np.repeat(by_round[..., -1:], rounds + 1 - have, axis=-1)
    return np.concatenate([by_round, tail], axis=-1)
