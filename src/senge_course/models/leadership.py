"""Three kinds of leader as levers on the spread of a new practice (Senge 1997).

Senge (1997) argues that no one kind of leader can spread a new practice alone: local line
leaders introduce it in pilot groups, executive leaders mentor them and invest in the
infrastructure for learning, and internal networkers carry it between teams.  This module turns
each kind of leader into a lever on a threshold contagion (`senge_course.models.contagion`) on
an organisation (`senge_course.models.org`), and compares what the levers achieve alone and
together.

The model (every choice below is deliberate; the numbers are the module constants)
--------------------------------------------------------------------------------------
Who listens to whom
    Every tie of the organisation counts (formal, informal and bridge), both ways, with weight
    1, except two directed weights: a line leader weighs `LEADER_WEIGHT` with the people of
    their own team, and an internal networker weighs `NETWORKER_WEIGHT` with the people their
    bridge ties reach (they come to help, and stay a while); see `influence_network`.  All ties
    count because leader-member ties are formal: informal ties alone would cut line leaders off
    from their teams.
Thresholds
    Fractional (Watts 2002): a person commits once the committed share of the weight of their
    ties reaches their threshold, drawn by default per person from a normal distribution
    (`THRESHOLD_MEAN`, `THRESHOLD_SD`, clipped to `THRESHOLD_RANGE`): high enough that the
    practice does not spread by itself.  Fractional thresholds let one number work for line
    leaders with a whole team around them and for members with a handful of ties.
Line leaders (``pilot_teams``, ``pilot_share``)
    In each pilot team (chosen at random), the line leader and `pilot_share` of the other people
    start committed: a cluster of people who know each other, not a lone champion.
Executives (``mentoring``; or ``mandate``, ``mandate_rounds``)
    Mentoring (0 to 1) lowers thresholds: in the pilot teams by up to `PILOT_MENTORING` (a share
    of each threshold, at ``mentoring=1``), elsewhere by up to `INFRASTRUCTURE` (learning
    laboratories and tools everybody can use); executives who mentor start committed.  A mandate
    (0 to 1) instead makes that share of everyone *compliant* for `mandate_rounds` rounds:
    compliant people send a weak signal (`COMPLIANT_WEIGHT` of a committed person's) and, after
    the mandate, each reverts with probability `REVERT_PROBABILITY` per round.  Top-down
    directives breed fear and distrust: a mandate raises everyone's threshold by ``RESENTMENT *
    mandate``.
Internal networkers (``networkers``, ``bridge_width``, ``teams_spanned``)
    `senge_course.models.org.add_networkers` turns members into networkers, each laying
    `bridge_width` ties into each of `teams_spanned` other teams, on a chain of neighbouring
    people.  A networker whose own team, or a team their bridges reach, is a pilot team starts
    committed (they carry a practice they have seen work); without a pilot to learn from, a
    networker is an ordinary person with many ties.  Their weight with the people they reach is
    what lets a wide bridge tip a chain of neighbours, who then reinforce each other.

Why only the three together spread the practice widely
    Pilots make committed clusters, but the practice stops at the edge of the pilot teams.
    Networkers carry it out of the pilots over wide bridges; but in a team whose thresholds are
    untouched even that rarely tips anyone.  Mentoring and infrastructure lower those thresholds
    just enough for the bridges to tip whole teams, and a line leader who commits brings their
    team along.  A mandate does the opposite: fast compliance, which wears off, and resentment
    that makes commitment harder.

Calibration
    The constants were chosen on the default organisation (3 executives, 6 teams of 8) by
    comparing the seven combinations of the three kinds of leader over 50 runs, 6 organisations
    and 2 seeds: mean final committed share about 0.32 for the line leaders alone, 0.06 for the
    executives alone (themselves), 0 for the networkers alone, 0.40-0.48 for any two, and 0.84
    (0.79-0.88) for all three.  Larger teams need stronger levers.

Everything random (thresholds, the order in which teams and members are picked as pilots, who is
mandated, where networkers go, who reverts) is driven by ``seed``, and a run draws the same
random numbers in the same order whatever the levers: two lever settings run with the same seed
see the same people (*common random numbers*), so their difference is the levers', not luck's.

Examples
--------
The two executive levers, side by side: a mandate makes 80% of people compliant at once, but
nobody is committed, and after the mandate compliance wears off; mentoring alone commits only
the executives themselves.

>>> from senge_course.models.org import organisation
>>> G = organisation(seed=1)
>>> mandate = simulate(G, "executives only (mandate)", seed=1)
>>> round(float(mandate.compliant_by_round[0]), 2), mandate.final_committed
(0.8, 0.0)
>>> mandate.final_compliant < 0.1
True
>>> round(simulate(G, "executives only (mentoring)", seed=1).final_committed, 3)
0.059

References
----------
Senge, P. M. (1997). Communities of leaders and learners. Harvard Business Review 75(5), 30-32.
Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9).
Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. AJS 113(3).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from numbers import Integral
from types import MappingProxyType

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .._validate import check_integer, check_seed
from . import contagion, org
from ._arrays import readonly
from .parameters import Parameter, Parameters

__all__ = [
    "COMBINATIONS",
    "LEVERS",
    "COMPLIANT_WEIGHT",
    "DEFAULT_ROUNDS",
    "INFRASTRUCTURE",
    "LEADER_WEIGHT",
    "NETWORKER_WEIGHT",
    "PILOT_MENTORING",
    "RESENTMENT",
    "REVERT_PROBABILITY",
    "SCENARIOS",
    "THRESHOLD_MEAN",
    "THRESHOLD_RANGE",
    "THRESHOLD_SD",
    "Comparison",
    "LeadershipResult",
    "Levers",
    "ScenarioStats",
    "check_levers",
    "compare",
    "default_thresholds",
    "influence_network",
    "scenario",
    "simulate",
]

#: Mean of the default threshold distribution (a share of a person's tie weight).
THRESHOLD_MEAN = 0.45
#: Standard deviation of the default threshold distribution.
THRESHOLD_SD = 0.08
#: The default thresholds are clipped to this range.
THRESHOLD_RANGE = (0.05, 0.95)
#: A line leader's weight with the people of their own team (everyone else's ties weigh 1).
LEADER_WEIGHT = 1.5
#: An internal networker's weight with the people their bridge ties reach.
NETWORKER_WEIGHT = 2.0
#: Share by which ``mentoring=1`` lowers the thresholds of everyone in the pilot teams.
PILOT_MENTORING = 0.5
#: Share by which ``mentoring=1`` lowers everyone else's thresholds (knowledge infrastructure).
INFRASTRUCTURE = 0.3
#: Threshold added to everyone by a mandate on everyone (``mandate=1``); in proportion below.
RESENTMENT = 0.25
#: A compliant person's signal, relative to a committed person's.
COMPLIANT_WEIGHT = 0.25
#: Chance per round, once the mandate has ended, that a compliant person stops complying.
REVERT_PROBABILITY = 0.2
#: Rounds simulated by default (each result has ``rounds + 1`` values, index 0 = the start).
DEFAULT_ROUNDS = 30

_MAX_ROUNDS = 1000
_MAX_BRIDGE_WIDTH = 10


#: The levers of the three kinds of leader: default, range, control step, label and meaning.
LEVERS = Parameters(
    pilot_teams=Parameter(
        0,
        low=0,
        integer=True,
        control_high=6,
        label="Pilot teams",
        description="line leaders: how many teams run a pilot group (up to the number of teams)",
    ),
    pilot_share=Parameter(
        0.3,
        low=0.0,
        high=1.0,
        step=0.05,
        label="Share of team",
        description="line leaders: share of a pilot team, besides its leader, who start committed",
    ),
    mentoring=Parameter(
        0.0,
        low=0.0,
        high=1.0,
        step=0.1,
        label="Mentoring",
        description="executives: mentoring and infrastructure lower everyone's threshold",
    ),
    mandate=Parameter(
        0.0,
        low=0.0,
        high=1.0,
        step=0.1,
        label="Mandate",
        description="executives: the share of everyone ordered to adopt (made compliant)",
    ),
    mandate_rounds=Parameter(
        10,
        low=0,
        high=_MAX_ROUNDS,
        integer=True,
        control_high=DEFAULT_ROUNDS,
        label="Mandate rounds",
        description="executives: how many rounds the mandate lasts",
    ),
    networkers=Parameter(
        0,
        low=0,
        integer=True,
        control_high=20,
        label="Networkers",
        description="internal networkers: how many members bridge teams",
    ),
    bridge_width=Parameter(
        3,
        low=1,
        high=_MAX_BRIDGE_WIDTH,
        integer=True,
        control_high=6,
        label="Ties per bridge",
        description="internal networkers: ties each lays into each team they reach (1: one long tie)",
    ),
    teams_spanned=Parameter(
        2,
        low=1,
        integer=True,
        control_high=5,
        label="Teams reached",
        description="internal networkers: how many other teams each reaches",
    ),
)


@dataclass(frozen=True)
class Levers:
    """The levers the three kinds of leader pull (all off by default: no leadership at all).

    Parameters
    ----------
    {levers}

    Raises
    ------
    TypeError
        If a count is not a whole number or a share not a number.
    ValueError
        If a value is out of range (limits that depend on the organisation are checked by
        `simulate`).

    Examples
    --------
    Two pilot teams with mentoring: the line leaders and the executives, no networkers.

    >>> levers = Levers(pilot_teams=2, mentoring=0.6)
    >>> levers.leaders
    ('line leaders', 'executives')
    >>> print(levers.describe())
    2 pilot teams (line leader + 30% of the team); mentoring 0.6

    A share outside 0 to 1 is refused, naming the field and the allowed range.

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
        active = []
        if self.pilot_teams:
            active.append("line leaders")
        if self.mentoring or self.mandate:
            active.append("executives")
        if self.networkers:
            active.append("networkers")
        return tuple(active)

    def replace(self, **changes):
        """Return a copy with some levers changed (``levers.replace(bridge_width=1)``)."""
        return replace(self, **changes)

    def describe(self):
        """Return the levers in words, one clause per lever pulled ("no levers" when none)."""
        parts = []
        if self.pilot_teams:
            plural = "s" if self.pilot_teams > 1 else ""
            parts.append(
                f"{self.pilot_teams} pilot team{plural} (line leader + "
                f"{self.pilot_share:.0%} of the team)"
            )
        if self.mentoring:
            parts.append(f"mentoring {self.mentoring:g}")
        if self.mandate:
            parts.append(
                f"mandate on {self.mandate:.0%} of people for {self.mandate_rounds} rounds"
            )
        if self.networkers:
            plural = "s" if self.networkers > 1 else ""
            width = "a single tie" if self.bridge_width == 1 else f"{self.bridge_width} ties wide"
            parts.append(
                f"{self.networkers} networker{plural}, bridges {width} into "
                f"{self.teams_spanned} other team{'s' if self.teams_spanned > 1 else ''} each"
            )
        return "; ".join(parts) if parts else "no levers"


Levers.__doc__ = (Levers.__doc__ or "").replace("    {levers}", LEVERS.numpydoc())


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
    if isinstance(name, str):
        if name in SCENARIOS:
            return SCENARIOS[name]
        if name in COMBINATIONS:
            return COMBINATIONS[name]
    names = ", ".join(repr(k) for k in dict.fromkeys([*SCENARIOS, *COMBINATIONS]))
    raise ValueError(f"scenario must be one of {names}, got scenario={name!r}")


def check_levers(levers):
    """Return `levers` as `Levers`: a `Levers` as it is, a scenario name as that scenario's levers.

    Raises
    ------
    TypeError
        If `levers` is neither a `Levers` nor text.
    ValueError
        If there is no scenario of that name.

    Examples
    --------
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


@dataclass(frozen=True, eq=False)
class LeadershipResult:
    """One run of `simulate` (arrays are read-only; per-person arrays follow ``nodes``).

    Attributes
    ----------
    levers, graph, nodes
        The levers pulled; the organisation actually simulated (with the networkers added); its
        people, in ``list(graph)`` order.
    committed_by_round, compliant_by_round : numpy.ndarray of float
        Committed share, and compliant share (adopted under the mandate, not committed), of
        everyone after each round: index 0 is the start, ``rounds + 1`` values (once the run
        settles the last value repeats).
    state : numpy.ndarray of str
        Each person's final state: ``"committed"``, ``"compliant"`` or ``"none"`` (the keys of
        `senge_course.style.STATE_STYLE`).
    adoption_round : numpy.ndarray of int
        The round in which each person committed: 0 for those who started committed, -1 never.
    thresholds : numpy.ndarray of float
        Each person's threshold, after mentoring and resentment.
    pilot_teams, starters, networkers, mandated : tuple
        The pilot teams; everyone committed at the start (pilots, mentoring executives, networkers
        who span a pilot team, the ``starters`` given to `simulate`); the internal networkers; the
        people made compliant by the mandate.
    settled : int
        The round after which nothing changed any more (at most the rounds simulated).
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
    committed_mean: np.ndarray = field(repr=False)
    committed_low: np.ndarray = field(repr=False)
    committed_high: np.ndarray = field(repr=False)
    compliant_mean: np.ndarray = field(repr=False)
    compliant_low: np.ndarray = field(repr=False)
    compliant_high: np.ndarray = field(repr=False)
    run_seeds: np.ndarray = field(repr=False)

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
        return (
            f"ScenarioStats({self.name!r}, runs={self.committed_by_round.shape[0]}, "
            f"mean_final_committed={float(self.final_committed.mean()):.3g})"
        )


@dataclass(frozen=True, eq=False)
class Comparison:
    """Scenarios compared by `compare`: a read-only mapping of name -> `ScenarioStats`, in order.

    ``runs`` is the runs per scenario, ``rounds`` the rounds per run.
    """

    scenarios: Mapping = field(repr=False)
    runs: int = 0
    rounds: int = 0

    def __getitem__(self, name):
        return self.scenarios[name]

    def __iter__(self):
        return iter(self.scenarios)

    def __len__(self):
        return len(self.scenarios)

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
        lines = []
        for k, s in self.scenarios.items():
            lines.append(
                f"{k.ljust(width)}  committed {float(s.committed_mean[-1]):.0%} "
                f"(5-95%: {float(s.committed_low[-1]):.0%}-{float(s.committed_high[-1]):.0%})"
            )
        return "\n".join(lines)

    def __repr__(self):
        return f"Comparison(scenarios={list(self.scenarios)!r}, runs={self.runs}, rounds={self.rounds})"


# ----------------------------------------------------------------------------- public functions


def default_thresholds(n, *, seed=None):
    """Return `n` thresholds (n >= 1) drawn from the default distribution, with randomness `seed`.

    A normal distribution with mean `THRESHOLD_MEAN` and standard deviation `THRESHOLD_SD`, clipped
    to `THRESHOLD_RANGE`: the practice does not spread on its own in the default organisation, yet
    a pilot team with its line leader commits as a whole.  `simulate` draws exactly these (before
    the levers change them) when ``thresholds=None``.

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
    return _from_normal(check_seed(seed).standard_normal(n))


def influence_network(G):
    """Return who listens to whom in organisation `G`: a weighted directed network (`networkx.DiGraph`).

    Every tie counts both ways with weight 1, except that a line leader weighs `LEADER_WEIGHT` with
    the people of their own team, and an internal networker weighs `NETWORKER_WEIGHT` with the
    people their bridge ties reach.  An edge ``u -> v`` means ``u`` influences ``v`` (the convention
    of `senge_course.models.contagion`); it carries ``weight`` (how much) and the tie's ``kind``.

    Examples
    --------
    Line leader 3 (L0) weighs one and a half times with member 4 of their team, who weighs 1 with
    them.

    >>> from senge_course.models.org import organisation
    >>> D = influence_network(organisation(seed=1))
    >>> D.edges[3, 4]["weight"], D.edges[4, 3]["weight"]
    (1.5, 1.0)

    A networker's bridge tie weighs 2 with the person it reaches, 1 the other way.

    >>> from senge_course.models.org import add_networkers
    >>> H = add_networkers(organisation(seed=1), count=1, seed=1)
    >>> nw = next(v for v, role in H.nodes(data="role") if role == "networker")
    >>> far = next(w for w in H[nw] if H.edges[nw, w]["kind"] == "bridge")
    >>> D = influence_network(H)
    >>> D.edges[nw, far]["weight"], D.edges[far, nw]["weight"]
    (2.0, 1.0)
    """
    _check_organisation(G)
    D = nx.DiGraph()
    D.add_nodes_from(G.nodes(data=True))
    D.add_edges_from((u, v, {"weight": w, "kind": kind}) for u, v, w, kind in _weighted_arcs(G))
    return D


def simulate(G, levers, *, seed=None, rounds=DEFAULT_ROUNDS, thresholds=None, starters=()):
    """Return one run of the leadership model: how far the levers spread a practice in `G`.

    Parameters
    ----------
    G : networkx.Graph
        An organisation (`senge_course.models.org.organisation`); it is not changed.
    levers : Levers or str
        The levers, or the name of a scenario (`SCENARIOS`, `COMBINATIONS`).
    seed : None, int or numpy.random.Generator
        Randomness for everything random in the run; the same seed gives the same result.
    rounds : int, default DEFAULT_ROUNDS
        Rounds to simulate (1 to 1000).
    thresholds : None, float, array, dict or callable, optional
        Everyone's threshold before the levers change it (a share of tie weight): None draws
        `default_thresholds`; a number for everyone; one per person (an array by person, or a
        dict person -> threshold); or a function ``rng -> thresholds``, drawn with the run's
        generator after the model's own draws.
    starters : iterable of people, default ()
        People who also start committed (executives, or the brokers
        `senge_course.models.brokerage.suggest_networkers` finds).

    Returns
    -------
    LeadershipResult

    Raises
    ------
    TypeError, ValueError
        If `G` is not an organisation, a lever does not fit it (more pilot teams than teams, more
        networkers than members, ...), a threshold is NaN or negative, a starter is not a person
        in `G`, or a scenario name is unknown.

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

    All three kinds of leader together carry it much further.

    >>> simulate(G, "all three", seed=1).final_committed > 0.5
    True

    A mandate makes most people compliant at once, and compliance wears off after it ends.

    >>> r = simulate(G, "executives only (mandate)", seed=1)
    >>> float(r.compliant_by_round[1]) > 0.7, r.final_compliant < 0.1
    (True, True)
    """
    levers = check_levers(levers)
    rounds = check_integer("rounds", rounds, low=1, high=_MAX_ROUNDS)
    base = _Base(G, starters)
    _check_fit(base, levers)
    return _run(base, levers, check_seed(seed), rounds, thresholds)


def compare(
    G,
    scenarios=None,
    *,
    runs=50,
    seed=None,
    rounds=DEFAULT_ROUNDS,
    thresholds=None,
    starters=(),
    progress=False,
):
    """Return many runs of each scenario: mean and 5-95% band of the shares by round (`Comparison`).

    Every scenario gets the same `runs` run seeds, so run ``i`` of every scenario sees the same
    thresholds, the same order of picking pilots and mandated people and the same networker
    placements: differences between scenarios come from the levers (common random numbers).
    Networkers are placed afresh in each run, so the band includes good and bad placements.
    Scenarios without networkers run all together (`senge_course.models.contagion.simulate_many`).

    Parameters
    ----------
    G : networkx.Graph
        An organisation.
    scenarios : Mapping of name -> Levers (or scenario name), or iterable of names, optional
        What to compare; default `SCENARIOS`.
    runs : int, default 50
        Runs per scenario (at least 1).
    seed, rounds, thresholds, starters
        As in `simulate` (a function ``rng -> thresholds`` is called once per run).
    progress : bool, default False
        Show a tqdm progress bar over the runs.

    Returns
    -------
    Comparison
        ``comparison[name]`` is a `ScenarioStats`; ``comparison.summary`` says it in a sentence,
        ``comparison.table()`` line by line.

    Examples
    --------
    Each kind of leader alone against all three (50 runs each): only all three spread the
    practice widely.

    >>> from senge_course.models.org import organisation
    >>> result = compare(organisation(seed=1), ["line leaders only", "all three"], seed=1)
    >>> means = result.final_means()
    >>> means["all three"] > 2 * means["line leaders only"]
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
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got progress={progress!r}")
    base = _Base(G, starters)
    for levers in named.values():
        _check_fit(base, levers)
    batch_seed = int(check_seed(seed).integers(0, 2**63 - 1))
    run_seeds = _run_seeds(batch_seed, runs)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=runs * len(named), unit="run", desc="compare")
    out = {}
    placements = {}  # scenarios with the same networker levers share each run's placement
    try:
        for name, levers in named.items():
            if levers.networkers:
                c_by = np.empty((runs, rounds + 1))
                m_by = np.empty((runs, rounds + 1))
                for i, s in enumerate(run_seeds):
                    rng = np.random.default_rng(int(s))
                    r = _run(base, levers, rng, rounds, thresholds, placements)
                    c_by[i], m_by[i] = r.committed_by_round, r.compliant_by_round
                    if bar is not None:
                        bar.update(1)
            else:
                c_by, m_by = _batch(base, levers, batch_seed, runs, rounds, thresholds)
                if bar is not None:
                    bar.update(runs)
            out[name] = _stats(name, levers, c_by, m_by, run_seeds)
    finally:
        if bar is not None:
            bar.close()
    return Comparison(scenarios=MappingProxyType(out), runs=runs, rounds=rounds)


# ----------------------------------------------------------------------------- private helpers


def _band(s):
    return (
        f"committed {float(s.committed_mean[-1]):.0%} on average at the end (5-95%: "
        f"{float(s.committed_low[-1]):.0%} to {float(s.committed_high[-1]):.0%})"
    )


def _from_normal(z):
    low, high = THRESHOLD_RANGE
    return np.clip(THRESHOLD_MEAN + THRESHOLD_SD * z, low, high)


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


def _arc_weight(nodes, a, b, kind):
    """Weight of the influence of `a` on `b` across a tie of `kind` (`nodes`: G.nodes)."""
    role, team = nodes[a]["role"], nodes[a]["team"]
    if role == "line_leader" and team == nodes[b]["team"]:
        return LEADER_WEIGHT
    if role == "networker" and kind == "bridge" and team != nodes[b]["team"]:
        return NETWORKER_WEIGHT
    return 1.0


def _weighted_arcs(G):
    """Yield (u, v, weight, kind) for both directions of every tie of organisation `G`."""
    nodes = G.nodes
    for u, v, kind in G.edges(data="kind"):
        yield u, v, _arc_weight(nodes, u, v, kind), kind
        yield v, u, _arc_weight(nodes, v, u, kind), kind


class _Base:
    """What every run on one organisation shares, checked and built once."""

    def __init__(self, G, starters):
        _check_organisation(G)
        n = G.number_of_nodes()
        self.G = G
        self.n = n
        self.teams = G.graph["teams"]
        self.starters = _check_people("starters", starters, n)
        role = np.array([G.nodes[v]["role"] for v in range(n)])
        self.team = np.array([G.nodes[v]["team"] for v in range(n)], dtype=np.int64)
        self.executive = role == "executive"
        self.leader = role == "line_leader"
        self.members = int(np.count_nonzero(role == "member"))
        # people of each team who may join a pilot besides its line leader
        self.others = [np.flatnonzero((self.team == t) & ~self.leader) for t in range(self.teams)]
        # G's own networkers (a graph may come with some): they too carry a piloted practice
        self.networkers = _networker_reach(G, np.flatnonzero(role == "networker"))
        self.net = _prepare(G)


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


def _prepare(G):
    """Return the influence network of `G` prepared for `contagion` (position i = person i)."""
    D = nx.DiGraph()
    D.add_nodes_from(range(G.number_of_nodes()))
    D.add_weighted_edges_from((u, v, w) for u, v, w, _ in _weighted_arcs(G))
    return contagion.prepare(D, weight="weight")


def _networker_reach(H, networkers):
    """Return {networker: the teams they belong to or reach by bridge ties}."""
    reach = {}
    for v in networkers:
        v = int(v)
        teams = {H.nodes[v]["team"]}
        teams.update(H.nodes[w]["team"] for w, kind in H[v].items() if kind.get("kind") == "bridge")
        reach[v] = teams
    return reach


def _placement(base, levers, seed, cache):
    """Return (graph, prepared network, networker reach) with `levers.networkers` placed."""
    if not levers.networkers:
        return base.G, base.net, base.networkers
    key = (seed, levers.networkers, levers.bridge_width, levers.teams_spanned)
    if cache is not None and key in cache:
        return cache[key]
    G = base.G
    H = org.add_networkers(
        G,
        count=levers.networkers,
        bridge_width=levers.bridge_width,
        teams_spanned=levers.teams_spanned,
        seed=seed,
    )
    added = [
        v for v, role in H.nodes(data="role") if role == "networker" and v not in base.networkers
    ]
    # add_networkers only adds ties (from each new networker) and changes their roles, which
    # changes no weight of an existing tie: add the new ties' two arcs to the prepared matrix
    arcs = []
    nodes = H.nodes
    new = set(added)
    for v in added:
        for w in H[v]:
            if not G.has_edge(v, w) and not (w in new and w < v):  # each new tie once
                kind = H.edges[v, w]["kind"]
                arcs.append((v, w, _arc_weight(nodes, v, w, kind)))
                arcs.append((w, v, _arc_weight(nodes, w, v, kind)))
    net = _with_arcs(base.net, arcs)
    reach = {**base.networkers, **_networker_reach(H, added)}
    out = (H, net, reach)
    if cache is not None:
        cache[key] = out
    return out


def _with_arcs(net, arcs):
    """Return PreparedNetwork `net` with new arcs (u, v, weight): u influences v."""
    if not arcs:
        return net
    u, v, w = (np.array(x) for x in zip(*arcs, strict=True))
    extra = sp.csr_array((w.astype(float), (v, u)), shape=net.matrix.shape)
    matrix = (net.matrix + extra).tocsr()
    in_weight = matrix @ np.ones(net.n)
    degree = np.diff(matrix.indptr).astype(np.int64)
    in_weight.setflags(write=False)
    degree.setflags(write=False)
    return replace(net, matrix=matrix, in_weight=in_weight, degree=degree)


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


def _round_half_up(x):
    return int(math.floor(x + 0.5))


class _Draw:
    """One run's random draws, in a fixed order whatever the levers (common random numbers).

    Thresholds, team order, pilot members, the mandate, a networker seed; then `thresholds`.
    """

    def __init__(self, base, levers, rng, thresholds, cache=None):
        n = base.n
        z = rng.standard_normal(n)
        team_order = rng.permutation(base.teams)
        member_u = rng.random(n)
        mandate_u = rng.random(n)
        placement = int(rng.integers(0, 2**63 - 1))
        if thresholds is None:
            base_thr = _from_normal(z)
        else:
            base_thr = contagion.threshold_array(base.net, thresholds, rng)
        self.graph, self.net, reach = _placement(base, levers, placement, cache)
        # line leaders: a pilot group in each pilot team
        pilot_teams = np.sort(team_order[: levers.pilot_teams])
        in_pilot = np.isin(base.team, pilot_teams)
        starters = base.starters | (in_pilot & base.leader)
        for t in pilot_teams:
            people = base.others[t]
            k = _round_half_up(levers.pilot_share * people.size)
            starters[people[np.argsort(member_u[people], kind="stable")[:k]]] = True
        # executives who mentor practise what they mentor
        if levers.mentoring > 0:
            starters |= base.executive
        # networkers who belong to or reach a pilot team carry the practice from the start
        piloted = set(pilot_teams.tolist())
        for v, teams in reach.items():
            if teams & piloted:
                starters[v] = True
        # the mandate: the k people with the smallest draws, so a larger mandate adds people
        k = _round_half_up(levers.mandate * n)
        mandated = np.zeros(n, dtype=bool)
        mandated[np.argsort(mandate_u, kind="stable")[:k]] = True
        # thresholds: mentoring lowers them (a share), resentment raises them
        m = levers.mentoring
        scale = np.where(in_pilot, 1.0 - PILOT_MENTORING * m, 1.0 - INFRASTRUCTURE * m)
        self.thresholds = base_thr * scale + RESENTMENT * levers.mandate
        self.pilot_teams = tuple(pilot_teams.tolist())
        self.starters = starters
        self.mandated = mandated
        self.networkers = tuple(sorted(reach))


def _run(base, levers, rng, rounds, thresholds, cache=None):
    d = _Draw(base, levers, rng, thresholds, cache)
    r = contagion.simulate(
        d.net,
        d.thresholds,
        np.flatnonzero(d.starters),
        max_rounds=rounds,
        compliant=np.flatnonzero(d.mandated),
        compliant_weight=COMPLIANT_WEIGHT,
        mandate_rounds=levers.mandate_rounds,
        revert_probability=REVERT_PROBABILITY,
        seed=rng,
    )
    committed = _pad(r.committed_by_round, rounds)
    compliant = _pad(r.compliant_by_round, rounds)
    state = np.where(r.committed, "committed", np.where(r.compliant, "compliant", "none"))
    adoption = r.adoption_round.copy()
    thr = d.thresholds.copy()
    readonly(committed, compliant, state, adoption, thr)
    return LeadershipResult(
        levers=levers,
        graph=d.graph,
        nodes=tuple(range(base.n)),
        committed_by_round=committed,
        compliant_by_round=compliant,
        state=state,
        adoption_round=adoption,
        thresholds=thr,
        pilot_teams=d.pilot_teams,
        starters=tuple(np.flatnonzero(d.starters).tolist()),
        networkers=d.networkers,
        mandated=tuple(np.flatnonzero(d.mandated).tolist()),
        settled=int(r.rounds),
    )


def _batch(base, levers, batch_seed, runs, rounds, thresholds):
    """All runs at once on the shared network (no networkers to place); draws keyed by generator."""
    draws = {}

    def draw(g):
        if id(g) not in draws:
            draws[id(g)] = _Draw(base, levers, g, thresholds)
        return draws[id(g)]

    b = contagion.simulate_many(
        base.net,
        lambda g: draw(g).thresholds,
        lambda g: np.flatnonzero(draw(g).starters),
        runs=runs,
        max_rounds=rounds,
        compliant=lambda g: np.flatnonzero(draw(g).mandated),
        compliant_weight=COMPLIANT_WEIGHT,
        mandate_rounds=levers.mandate_rounds,
        revert_probability=REVERT_PROBABILITY,
        seed=batch_seed,
    )
    return _pad(b.committed_by_round, rounds), _pad(b.compliant_by_round, rounds)


def _run_seeds(batch_seed, runs):
    """The run seeds `contagion.simulate_many` derives from `batch_seed` (checked by a test)."""
    rng = np.random.default_rng(batch_seed)
    return rng.integers(0, 2**63 - 1, size=runs, dtype=np.int64)


def _pad(by_round, rounds):
    """Pad (or cut) shares by round along the last axis to rounds + 1 values."""
    by_round = np.asarray(by_round, dtype=float)
    have = by_round.shape[-1]
    if have >= rounds + 1:
        return np.array(by_round[..., : rounds + 1])
    tail = np.repeat(by_round[..., -1:], rounds + 1 - have, axis=-1)
    return np.concatenate([by_round, tail], axis=-1)


def _stats(name, levers, c_by, m_by, run_seeds):
    c_low, c_high = np.percentile(c_by, [5, 95], axis=0)
    m_low, m_high = np.percentile(m_by, [5, 95], axis=0)
    arrays = dict(
        committed_by_round=c_by,
        compliant_by_round=m_by,
        committed_mean=c_by.mean(axis=0),
        committed_low=c_low,
        committed_high=c_high,
        compliant_mean=m_by.mean(axis=0),
        compliant_low=m_low,
        compliant_high=m_high,
        run_seeds=np.array(run_seeds),
    )
    readonly(*arrays.values())
    return ScenarioStats(name=name, levers=levers, **arrays)
