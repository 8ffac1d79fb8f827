"""Threshold contagion: how a new practice spreads (or stalls) through a network of people.

Every person has a *threshold*: how much of their network must already be committed to the
practice before they commit too.  Once committed, they stay committed (the dynamics are
*irreversible*), so the final set of adopters does not depend on the order in which people are
updated, and the engine updates everyone at once in synchronous rounds with one sparse
matrix-vector product per round.

Two threshold conventions are supported:

* **fractional** (``absolute=False``, Watts 2002): a person commits when the committed share of
  their neighbours' weight reaches the threshold (a number in [0, 1]);
* **absolute** (``absolute=True``, Centola & Macy 2007): a person commits when the number (or
  total weight) of committed neighbours reaches the threshold.

Conventions (the same in every function of this module):

* **Directed graphs**: influence flows along an edge ``u -> v``: ``u`` influences ``v``.  A line
  leader's influence on their team can outweigh the team's on the leader by giving the edges
  ``leader -> member`` a larger weight.  Undirected ties count both ways.
* **Multigraphs** are refused with a `TypeError`: collapse parallel ties first (``nx.Graph(G)``).
* **Self-loops** are refused with a `ValueError` naming the nodes: nobody persuades themselves.
* **Nobody to hear it from**: a person with no in-neighbours (or only ties of weight 0) never
  commits unless seeded, whatever their threshold.
* **Threshold 0**: a person with threshold 0 and at least one in-neighbour commits in round 1
  (Watts's convention: an innovator who needs no persuasion), as in NDlib's ``ThresholdModel``.
* **Fractional thresholds above 1** (and ``inf`` in either convention) mean a person who never
  commits unless seeded.  Thresholds must not be NaN or negative.
* Comparisons use a relative tolerance of 1e-12, so that 3 committed of 10 neighbours meets a
  threshold of 0.3 although ``0.3 * 10`` is ``3.0000000000000004`` in floating point.

Commitment versus compliance (for the leadership lessons): people in ``compliant=`` start
*compliant* (they adopted under a mandate).  Compliant neighbours send only a weak signal
(``compliant_weight``); a compliant person still commits when the signal reaches their threshold.
The mandate lasts ``mandate_rounds`` rounds; after it, each compliant person reverts to not
adopted with probability ``revert_probability`` per round.  Committed people never revert.

Analytics: `granovetter_equilibrium` (Granovetter 1978), `cascade_window` and
`cascade_probability` (Watts 2002) and `final_size` (Gleeson & Cahalane 2007).

References
----------
Granovetter, M. (1978). Threshold models of collective behavior. AJS 83(6), 1420-1443.
Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9), 5766-5771.
Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. AJS 113(3).
Gleeson, J. P., & Cahalane, D. J. (2007). Seed size strongly affects cascades on random
networks. Physical Review E 75, 056103.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from types import MappingProxyType

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .._validate import check_fraction, check_integer, check_number, check_seed, check_thresholds
from ._arrays import readonly

__all__ = [
    "BatchResult",
    "ContagionResult",
    "PreparedNetwork",
    "RandomStarters",
    "prepare",
    "simulate",
    "simulate_many",
    "threshold_array",
]

# relative slack in "signal >= threshold": absorbs floating-point rounding (see module docstring)
THRESHOLD_SLACK = 1.0 - 1e-12


@dataclass(frozen=True, eq=False)
class PreparedNetwork:
    """A network converted once for fast simulation (build it with `prepare`).

    Attributes
    ----------
    nodes : tuple
        The people, in ``list(G)`` order: every per-person array uses this order.
    index : Mapping
        Node -> position in `nodes` (read-only).
    matrix : scipy.sparse.csr_array
        Influence matrix, shape (n, n): ``matrix[v, u]`` is the weight of the tie through which
        ``u`` influences ``v`` (rows receive influence).
    in_weight : numpy.ndarray
        Total weight of each person's in-ties (their neighbours' weight).
    degree : numpy.ndarray
        Number of each person's in-neighbours (neighbours, for an undirected graph).
    directed : bool
        Whether influence is one-way (from a directed graph).
    weight : str or None
        The edge attribute read as tie weight (None: every tie weighs 1).
    """

    nodes: tuple = field(repr=False)
    index: Mapping = field(repr=False)
    matrix: sp.csr_array = field(repr=False)
    in_weight: np.ndarray = field(repr=False)
    degree: np.ndarray = field(repr=False)
    directed: bool = False
    weight: object = None

    @property
    def n(self):
        """Number of people."""
        return len(self.nodes)

    def __len__(self):
        return len(self.nodes)

    def __repr__(self):
        return (
            f"PreparedNetwork(n={self.n}, ties={self.matrix.nnz}, directed={self.directed}, "
            f"weight={self.weight!r})"
        )


@dataclass(frozen=True)
class RandomStarters:
    """Seeds (or mandated people) drawn at random for each run: a count or a fraction of people.

    Pass it as ``starters=`` (or ``compliant=``) to `simulate` or `simulate_many`; the draw uses the
    run's random generator, so the same ``seed`` gives the same people.  A fraction is turned into
    a count with ``round(fraction * n)`` (halves round up), drawn without replacement.

    Parameters
    ----------
    count : int, optional
        How many people to draw.
    fraction : float, optional
        Which share of people to draw, in [0, 1].  Give exactly one of `count` and `fraction`.

    Examples
    --------
    One percent of a 10,000-person network is 100 people.

    >>> RandomStarters(fraction=0.01).size(10_000)
    100
    """

    count: int | None = None
    fraction: float | None = None

    def __post_init__(self):
        if (self.count is None) == (self.fraction is None):
            raise ValueError(
                "RandomStarters needs exactly one of count= or fraction=, got "
                f"count={self.count!r}, fraction={self.fraction!r}"
            )
        if self.count is not None:
            check_integer("count", self.count, low=0)
        else:
            check_fraction("fraction", self.fraction)

    def size(self, n):
        """Return how many people are drawn from a network of `n` people."""
        if self.count is not None:
            if self.count > n:
                raise ValueError(
                    f"count must be at most the number of people n={n}, got count={self.count}"
                )
            return int(self.count)
        return int(math.floor(self.fraction * n + 0.5))

    def draw(self, n, rng):
        """Return the positions (0..n-1) of the people drawn, using the Generator `rng`."""
        return rng.choice(n, size=self.size(n), replace=False)


@dataclass(frozen=True, eq=False)
class ContagionResult:
    """The outcome of one run of `simulate` (arrays are read-only).

    Attributes
    ----------
    nodes : tuple
        The people, in ``list(G)`` order; every per-person array uses this order.
    committed : numpy.ndarray of bool
        Who is committed at the end.
    compliant : numpy.ndarray of bool
        Who is compliant (adopted under the mandate, not committed) at the end.
    adoption_round : numpy.ndarray of int
        The round in which each person committed: 0 for starters, -1 for never.
    committed_by_round : numpy.ndarray of float
        Committed share of all people after each round; index 0 is the starters.
    compliant_by_round : numpy.ndarray of float
        Compliant share of all people after each round.
    rounds : int
        Rounds until the final state (the last round in which anything changed, or `max_rounds`).
    """

    nodes: tuple = field(repr=False)
    committed: np.ndarray = field(repr=False)
    compliant: np.ndarray = field(repr=False)
    adoption_round: np.ndarray = field(repr=False)
    committed_by_round: np.ndarray = field(repr=False)
    compliant_by_round: np.ndarray = field(repr=False)
    rounds: int = 0

    @property
    def adopted(self):
        """Who adopted the practice for good: the same as `committed`."""
        return self.committed

    @property
    def fraction_by_round(self):
        """Committed share after each round (index 0 = the starters): the adoption curve."""
        return self.committed_by_round

    @property
    def final_fraction(self):
        """Committed share of all people at the end."""
        return float(self.committed_by_round[-1])

    def __repr__(self):
        return (
            f"ContagionResult(n={len(self.nodes)}, final_fraction={self.final_fraction:.4g}, "
            f"rounds={self.rounds})"
        )


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The outcome of many runs from `simulate_many` (arrays are read-only).

    Attributes
    ----------
    nodes : tuple
        The people, in ``list(G)`` order.
    committed : numpy.ndarray of bool, shape (runs, n)
        Who is committed at the end of each run.
    committed_by_round : numpy.ndarray of float, shape (runs, rounds + 1)
        Committed share per run and round, padded with each run's final value.
    compliant_by_round : numpy.ndarray of float, shape (runs, rounds + 1)
        Compliant share per run and round, padded likewise.
    rounds : numpy.ndarray of int
        Rounds each run took to reach its final state.
    run_seeds : numpy.ndarray of int
        Replay run ``i`` alone with ``simulate(..., seed=int(run_seeds[i]))``.
    """

    nodes: tuple = field(repr=False)
    committed: np.ndarray = field(repr=False)
    committed_by_round: np.ndarray = field(repr=False)
    compliant_by_round: np.ndarray = field(repr=False)
    rounds: np.ndarray = field(repr=False)
    run_seeds: np.ndarray = field(repr=False)

    @property
    def runs(self):
        """Number of runs."""
        return self.committed_by_round.shape[0]

    @property
    def fraction_by_round(self):
        """Committed share per run and round (runs x rounds), padded with the final value."""
        return self.committed_by_round

    @property
    def final_fraction(self):
        """Committed share at the end of each run."""
        return self.committed_by_round[:, -1]

    @property
    def mean(self):
        """Mean committed share across runs, per round."""
        return self.committed_by_round.mean(axis=0)

    def band(self, low=5, high=95):
        """Return the `low` and `high` percentiles of the committed share across runs, per round.

        Parameters
        ----------
        low, high : float
            Percentiles in [0, 100], ``low <= high``.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            The lower and upper edges of the band, one value per round.
        """
        low = check_number("low", low, low=0, high=100)
        high = check_number("high", high, low=0, high=100)
        if low > high:
            raise ValueError(f"low must be at most high, got low={low:g}, high={high:g}")
        lo, hi = np.percentile(self.committed_by_round, [low, high], axis=0)
        return lo, hi

    def __repr__(self):
        return (
            f"BatchResult(runs={self.runs}, n={len(self.nodes)}, "
            f"mean_final_fraction={float(self.final_fraction.mean()):.4g})"
        )


def prepare(G, *, weight=None):
    """Return `G` converted once into a `PreparedNetwork` for fast, repeated simulation.

    Convert once, then pass the result to `simulate` or `simulate_many` as often as you like (a
    widget does this when the network is built, not on every slider move).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.  In a directed graph, an edge ``u -> v`` means ``u`` influences ``v``.
    weight : str, optional
        Edge attribute holding the tie weight (a number >= 0; missing means 1).  None (default):
        every tie weighs 1.

    Returns
    -------
    PreparedNetwork

    Raises
    ------
    TypeError
        If `G` is not a networkx graph, or is a multigraph.
    ValueError
        If `G` has no nodes, has self-loops, or a tie weight is negative or not a finite number.

    Examples
    --------
    A path a - b - c: b has two neighbours, the ends one each.

    >>> import networkx as nx
    >>> net = prepare(nx.path_graph(["a", "b", "c"]))
    >>> net
    PreparedNetwork(n=3, ties=4, directed=False, weight=None)
    >>> net.degree.tolist()
    [1, 2, 1]

    In a directed graph only in-ties count: the leader hears nobody, each member hears the leader.

    >>> net = prepare(nx.DiGraph([("leader", "ann"), ("leader", "bob")]))
    >>> net.degree.tolist()
    [0, 1, 1]
    """
    if isinstance(G, PreparedNetwork):
        if weight is not None and weight != G.weight:
            raise ValueError(
                f"G was prepared with weight={G.weight!r}; prepare the graph again with "
                f"weight={weight!r} instead"
            )
        return G
    if not isinstance(G, nx.Graph):
        raise TypeError(
            f"G must be a networkx graph or a PreparedNetwork, got G of type {type(G).__name__}"
        )
    if G.is_multigraph():
        raise TypeError(
            f"G must not be a multigraph, got a {type(G).__name__}: collapse parallel ties "
            "first, e.g. G = nx.Graph(G) (or nx.DiGraph(G) for a directed one)"
        )
    n = G.number_of_nodes()
    if n == 0:
        raise ValueError("G must have at least one person (node), got an empty graph")
    loops = list(nx.nodes_with_selfloops(G))
    if loops:
        shown = ", ".join(repr(u) for u in loops[:5]) + (", ..." if len(loops) > 5 else "")
        raise ValueError(
            f"G must not have self-loops (nobody influences themselves), got self-loops at "
            f"nodes {shown}: remove them with G.remove_edges_from(nx.selfloop_edges(G))"
        )
    nodes = tuple(G)
    directed = G.is_directed()
    # rows receive influence: in a DiGraph G.pred[v] are the u with u -> v.  The views' plain
    # dicts (G._pred, G._adj) are read directly: the public views cost 0.3 s at 100k nodes.
    adj = getattr(G, "_pred" if directed else "_adj", None)
    if adj is None:  # pragma: no cover - every networkx graph class has them
        adj = G.pred if directed else G.adj
    rows = [adj[v] for v in nodes]
    counts = np.fromiter(map(len, rows), dtype=np.int64, count=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    nnz = int(indptr[-1])
    index = {u: i for i, u in enumerate(nodes)}
    sources = chain.from_iterable(rows)
    if nodes == tuple(range(n)):
        indices = np.fromiter(sources, dtype=np.int64, count=nnz)
    else:
        indices = np.fromiter(map(index.__getitem__, sources), dtype=np.int64, count=nnz)
    if weight is None:
        data = np.ones(nnz)
    else:
        values = [d.get(weight, 1) for r in rows for d in r.values()]
        try:
            data = np.asarray(values, dtype=float)
            bad = np.flatnonzero(~np.isfinite(data) | (data < 0))
        except (TypeError, ValueError):
            bad = np.array([i for i, w in enumerate(values) if not _is_weight(w)])
        if bad.size:
            pos = int(bad[0])
            v = int(np.searchsorted(indptr, pos, side="right") - 1)
            u = nodes[indices[pos]]
            value = G.edges[u, nodes[v]].get(weight, 1)
            arrow = "->" if directed else "-"
            raise ValueError(
                f"tie weights ({weight!r}) must be finite numbers >= 0, got {weight}={value!r} "
                f"on the tie {u!r} {arrow} {nodes[v]!r}"
            )
    if max(n, nnz) < 2**31 - 1:
        indices, indptr = indices.astype(np.int32), indptr.astype(np.int32)
    matrix = sp.csr_array((data, indices, indptr), shape=(n, n))
    in_weight = matrix @ np.ones(n)
    degree = counts
    readonly(in_weight, degree)
    return PreparedNetwork(
        nodes=nodes,
        index=MappingProxyType(index),
        matrix=matrix,
        in_weight=in_weight,
        degree=degree,
        directed=directed,
        weight=weight,
    )


def simulate(
    G,
    thresholds,
    starters,
    *,
    absolute=False,
    weight=None,
    max_rounds=None,
    compliant=(),
    compliant_weight=0.25,
    mandate_rounds=10,
    revert_probability=0.2,
    seed=None,
):
    """Return how a practice spreads from `starters` through `G`: one run of threshold contagion.

    In each round everyone who is not yet committed compares their *signal* (the weight of
    committed in-neighbours, plus `compliant_weight` times that of compliant ones) with their
    threshold, all at once; those who reach it commit for good.  The run stops when nothing can
    change any more (or after `max_rounds`).

    Parameters
    ----------
    G : networkx.Graph, networkx.DiGraph or PreparedNetwork
        The network (see `prepare` for the conventions: directed ties ``u -> v`` mean ``u``
        influences ``v``; no multigraphs, no self-loops).
    thresholds : float, array, dict or callable
        One threshold for everyone, one per person (an array in ``list(G)`` order or a dict
        node -> threshold), or a function ``rng -> thresholds`` drawn with this run's generator.
        Fractional (default): share of neighbours' weight, 0..1 (above 1: never commits).
        Absolute: number or weight of committed neighbours.
    starters : iterable of nodes, RandomStarters or callable
        Who is committed at the start (round 0): nodes, `RandomStarters`, or ``rng -> nodes``.
    absolute : bool, default False
        Read thresholds as counts (Centola & Macy) instead of fractions (Watts).
    weight : str, optional
        Edge attribute holding tie weights (default: every tie weighs 1).  A PreparedNetwork
        keeps the weights it was prepared with: leave `weight` as None for it.
    max_rounds : int, optional
        Stop after this many rounds (default: run until nothing changes).
    compliant : iterable of nodes, RandomStarters or callable, default ()
        People made compliant by a mandate at the start (starters among them are committed).
    compliant_weight : float in [0, 1], default 0.25
        Strength of a compliant neighbour's signal relative to a committed one's.
    mandate_rounds : int >= 0, default 10
        Rounds the mandate lasts; reversion starts in round ``mandate_rounds + 1``.
    revert_probability : float in [0, 1], default 0.2
        Chance per round, after the mandate, that a compliant person reverts to not adopted.
    seed : None, int or numpy.random.Generator
        Randomness for callables, `RandomStarters` and reversion, used in that order.

    Returns
    -------
    ContagionResult
        ``.adopted`` / ``.committed`` and ``.compliant`` (final states, bool arrays in
        ``list(G)`` order), ``.final_fraction``, ``.fraction_by_round`` (committed share after
        each round, index 0 = the starters; also called ``.committed_by_round``),
        ``.compliant_by_round`` (compliant share), ``.adoption_round`` (-1 = never), ``.rounds``
        and ``.nodes``.

    Raises
    ------
    TypeError
        If `G` is not a graph, is a multigraph, or an option has the wrong type.
    ValueError
        If a threshold is NaN or negative or the thresholds do not fit the graph, a seed is not
        in the graph, or an option is out of range.

    Examples
    --------
    On a path 0 - 1 - 2 - 3 with threshold 0.5, one committed neighbour is half of an inner
    person's neighbours, so the practice walks down the line one person per round.

    >>> import networkx as nx
    >>> result = simulate(nx.path_graph(4), 0.5, [0])
    >>> result.adoption_round.tolist()
    [0, 1, 2, 3]
    >>> result.fraction_by_round.tolist()
    [0.25, 0.5, 0.75, 1.0]

    With threshold 0.6, one committed neighbour of two is not enough for person 1 (person 0
    has one neighbour, but is already committed): the practice never leaves the seed.

    >>> simulate(nx.path_graph(4), 0.6, [0]).adopted.tolist()
    [True, False, False, False]

    A *complex* practice needs two committed contacts (an absolute threshold of 2): a lone
    champion on a ring convinces nobody, two neighbouring champions convince everyone.

    >>> ring = nx.circulant_graph(10, [1, 2])  # everyone knows two people on each side
    >>> simulate(ring, 2, [0], absolute=True).final_fraction
    0.1
    >>> simulate(ring, 2, [0, 1], absolute=True).final_fraction
    1.0

    On a directed network a line leader can weigh more: Ann listens to her leader (weight 2)
    and two peers (weight 1 each) and commits at half of that weight, so the leader alone
    convinces her, while one peer alone does not (and nobody influences the others here).

    >>> team = nx.DiGraph()
    >>> team.add_weighted_edges_from([("lead", "ann", 2), ("bob", "ann", 1), ("cy", "ann", 1)])
    >>> simulate(team, 0.5, ["lead"], weight="weight").adopted.tolist()
    [True, True, False, False]
    >>> simulate(team, 0.5, ["bob"], weight="weight").adopted.tolist()
    [False, False, True, False]

    A mandate makes people compliant at once; when it ends after 2 rounds, everyone still only
    compliant reverts (probability 1), so compliance collapses in round 3.

    >>> r = simulate(nx.complete_graph(5), 0.9, [], compliant=[0, 1, 2, 3, 4],
    ...              mandate_rounds=2, revert_probability=1.0)
    >>> r.compliant_by_round.tolist()
    [1.0, 1.0, 1.0, 0.0]
    """
    absolute, max_rounds, cw, mandate_rounds, p = _check_options(
        absolute, max_rounds, compliant_weight, mandate_rounds, revert_probability
    )
    net = prepare(G, weight=weight)
    rng = check_seed(seed)
    thr = threshold_array(net, thresholds, rng)
    committed = _members(net, starters, "starters", rng)
    mandated = _members(net, compliant, "compliant", rng)
    eff = _effective(thr, net.in_weight, absolute)[:, None]
    out = _spread(
        net.matrix,
        eff,
        committed[:, None],
        mandated[:, None],
        cw=cw,
        mandate_rounds=mandate_rounds,
        p=p,
        max_rounds=max_rounds,
        rngs=[rng],
        track=True,
        progress=False,
    )
    c, m, c_by, m_by, rounds, adoption = out
    T = int(rounds[0])
    c_by = c_by[: T + 1, 0] / net.n
    m_by = m_by[: T + 1, 0] / net.n
    committed, compliant_end, adoption = c[:, 0].copy(), m[:, 0].copy(), adoption[:, 0].copy()
    readonly(committed, compliant_end, adoption, c_by, m_by)
    return ContagionResult(
        nodes=net.nodes,
        committed=committed,
        compliant=compliant_end,
        adoption_round=adoption,
        committed_by_round=c_by,
        compliant_by_round=m_by,
        rounds=T,
    )


def simulate_many(
    G,
    thresholds,
    starters,
    *,
    runs,
    absolute=False,
    weight=None,
    max_rounds=None,
    compliant=(),
    compliant_weight=0.25,
    mandate_rounds=10,
    revert_probability=0.2,
    seed=None,
    progress=False,
):
    """Return many runs of `simulate` computed together, for averages and uncertainty bands.

    All runs advance together: each round is one sparse matrix times an (n x runs) matrix.
    Runs differ through whatever is random: thresholds drawn per run (a function
    ``rng -> thresholds``, or a (runs x n) array), random starters (`RandomStarters` or a function
    ``rng -> nodes``) and the reversion of compliant people.  Run ``i`` uses the generator
    ``numpy.random.default_rng(result.run_seeds[i])`` in the same order as `simulate`, so
    ``simulate(..., seed=int(result.run_seeds[i]))`` replays it exactly.

    Parameters
    ----------
    G, thresholds, starters
        As in `simulate`; `thresholds` may also be a 2-D array with one row per run.
    runs : int >= 1
        Number of runs.
    absolute, weight, max_rounds, compliant, compliant_weight, mandate_rounds, revert_probability
        As in `simulate`.
    seed : None, int or numpy.random.Generator
        Randomness for the whole batch (same seed, same batch).
    progress : bool, default False
        Show a tqdm progress bar over rounds.

    Returns
    -------
    BatchResult
        ``.fraction_by_round`` (runs x rounds, padded with each run's final value),
        ``.final_fraction`` per run, ``.mean`` and ``.band(low=5, high=95)`` per round.

    Raises
    ------
    TypeError, ValueError
        As in `simulate`, and if `runs` is not a whole number >= 1.

    Examples
    --------
    On a 20-person ring with a threshold of one neighbour in two, any single random seed takes
    the whole ring; the 100 runs all end at 1.0.

    >>> import networkx as nx
    >>> batch = simulate_many(nx.cycle_graph(20), 0.5, RandomStarters(count=1), runs=100, seed=1)
    >>> float(batch.final_fraction.min())
    1.0

    With thresholds drawn uniformly in [0, 1] for each run, some runs stall and some spread:
    the band holds the middle 90% of runs in each round.

    >>> G = nx.watts_strogatz_graph(200, 6, 0.1, seed=1)
    >>> def uniform(rng):
    ...     return rng.uniform(0, 1, 200)
    >>> batch = simulate_many(G, uniform, [0, 1, 2], runs=50, seed=2)
    >>> low, high = batch.band(5, 95)
    >>> bool(low[-1] < batch.mean[-1] < high[-1])
    True

    Any run can be replayed alone, for a closer look, from its seed:

    >>> r7 = simulate(G, uniform, [0, 1, 2], seed=int(batch.run_seeds[7]))
    >>> bool(r7.final_fraction == batch.final_fraction[7])
    True
    """
    runs = check_integer("runs", runs, low=1)
    absolute, max_rounds, cw, mandate_rounds, p = _check_options(
        absolute, max_rounds, compliant_weight, mandate_rounds, revert_probability
    )
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got progress={progress!r}")
    net = prepare(G, weight=weight)
    rng = check_seed(seed)
    n = net.n
    run_seeds = rng.integers(0, 2**63 - 1, size=runs, dtype=np.int64)
    rngs = [np.random.default_rng(int(s)) for s in run_seeds]

    table = None
    if not callable(thresholds) and not isinstance(thresholds, Mapping):
        try:
            if np.ndim(thresholds) == 2:
                table = _threshold_table(net, thresholds, runs)
        except ValueError as err:  # a ragged nested list
            if "thresholds" in str(err):
                raise
    per_run_thr = callable(thresholds) or table is not None
    if per_run_thr:
        eff = np.empty((n, runs))
    else:
        eff = _effective(threshold_array(net, thresholds, None), net.in_weight, absolute)[:, None]
    random_starters = isinstance(starters, RandomStarters) or callable(starters)
    random_mandate = isinstance(compliant, RandomStarters) or callable(compliant)
    C = np.empty((n, runs), dtype=bool)
    M = np.empty((n, runs), dtype=bool)
    if not random_starters:
        C[:] = _members(net, starters, "starters", None)[:, None]
    if not random_mandate:
        M[:] = _members(net, compliant, "compliant", None)[:, None]
    for i, g in enumerate(rngs):  # draw per-run inputs in the same order as simulate
        if callable(thresholds):
            eff[:, i] = _effective(threshold_array(net, thresholds, g), net.in_weight, absolute)
        elif per_run_thr:
            eff[:, i] = _effective(table[i], net.in_weight, absolute)
        if random_starters:
            C[:, i] = _members(net, starters, "starters", g)
        if random_mandate:
            M[:, i] = _members(net, compliant, "compliant", g)
    c, _, c_by, m_by, rounds, _ = _spread(
        net.matrix,
        eff,
        C,
        M,
        cw=cw,
        mandate_rounds=mandate_rounds,
        p=p,
        max_rounds=max_rounds,
        rngs=rngs,
        track=False,
        progress=progress,
    )
    T = int(rounds.max())
    c_by = np.ascontiguousarray(c_by[: T + 1].T) / n
    m_by = np.ascontiguousarray(m_by[: T + 1].T) / n
    committed = np.ascontiguousarray(c.T)
    readonly(committed, c_by, m_by, rounds, run_seeds)
    return BatchResult(
        nodes=net.nodes,
        committed=committed,
        committed_by_round=c_by,
        compliant_by_round=m_by,
        rounds=rounds,
        run_seeds=run_seeds,
    )


# --------------------------------------------------------------------------- private helpers


def _is_weight(w):
    try:
        return math.isfinite(float(w)) and float(w) >= 0
    except (TypeError, ValueError):
        return False


def _check_options(absolute, max_rounds, compliant_weight, mandate_rounds, revert_probability):
    if not isinstance(absolute, (bool, np.bool_)):
        raise TypeError(f"absolute must be True or False, got absolute={absolute!r}")
    if max_rounds is not None:
        max_rounds = check_integer("max_rounds", max_rounds, low=0)
    cw = check_fraction("compliant_weight", compliant_weight)
    mandate_rounds = check_integer("mandate_rounds", mandate_rounds, low=0)
    p = check_fraction("revert_probability", revert_probability)
    return bool(absolute), max_rounds, cw, mandate_rounds, p


def threshold_array(net, thresholds, rng=None):
    """Return `thresholds` (a number, array, dict or ``rng -> thresholds``) as one float per person of
    the prepared network `net`, in node order, validated (what `simulate` runs with)."""
    if callable(thresholds):
        if rng is None:  # pragma: no cover - callers always pass a generator with callables
            rng = np.random.default_rng()
        thresholds = thresholds(rng)
        if callable(thresholds):
            raise TypeError("thresholds(rng) must return thresholds, got another function")
    n = net.n
    if isinstance(thresholds, Mapping):
        missing = [u for u in net.nodes if u not in thresholds]
        if missing:
            shown = ", ".join(repr(u) for u in missing[:3]) + (", ..." if len(missing) > 3 else "")
            raise ValueError(f"thresholds must give every person a threshold, got none for {shown}")
        extra = [u for u in thresholds if u not in net.index]
        if extra:
            raise ValueError(
                f"thresholds must only name people in the graph, got {extra[0]!r}, who is not"
            )
        values = [thresholds[u] for u in net.nodes]
    else:
        values = thresholds
    if isinstance(values, (bool, np.bool_, str, bytes)):
        raise TypeError(f"thresholds must be numbers, got thresholds={thresholds!r}")
    try:
        t = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"thresholds must be a number, an array of numbers or a dict of numbers, got "
            f"{type(thresholds).__name__}"
        ) from None
    if t.ndim == 0:
        t = np.full(n, float(t))
    elif t.ndim != 1 or t.size != n:
        raise ValueError(
            f"thresholds must have one value per person (n={n}), got an array of shape {t.shape}"
        )
    check_thresholds(t, lambda i: f"person {net.nodes[i]!r}")
    return t


def _threshold_table(net, thresholds, runs):
    """Validate a (runs x n) array of per-run thresholds."""
    t = np.asarray(thresholds, dtype=float)
    if t.shape != (runs, net.n):
        raise ValueError(
            f"thresholds as a 2-D array must have shape (runs, n) = ({runs}, {net.n}), got "
            f"shape {t.shape}"
        )
    flat = t.ravel()
    check_thresholds(flat, lambda i: f"person {net.nodes[i % net.n]!r} in run {i // net.n}")
    return t


def _effective(thr, in_weight, absolute):
    """Return the signal each person needs: inf for those who can never commit."""
    if absolute:
        eff = thr * THRESHOLD_SLACK
    else:
        eff = np.where(thr > 1.0, np.inf, thr * in_weight * THRESHOLD_SLACK)
    eff[in_weight <= 0] = np.inf  # nobody to hear it from
    return eff


def _members(net, nodes, name, rng):
    """Return a bool mask (node order) of `nodes`: an iterable, RandomStarters or rng -> nodes."""
    mask = np.zeros(net.n, dtype=bool)
    if isinstance(nodes, RandomStarters):
        mask[nodes.draw(net.n, rng)] = True
        return mask
    if callable(nodes):
        nodes = nodes(rng)
    if isinstance(nodes, (str, bytes)) or not isinstance(nodes, Iterable):
        raise TypeError(
            f"{name} must be a collection of nodes such as [{nodes!r}], RandomStarters(...) or a "
            f"function rng -> nodes, got {name}={nodes!r}"
        )
    index = net.index
    try:
        positions = [index[u] for u in nodes]
    except KeyError as err:
        raise ValueError(
            f"{name} must be nodes of the graph, got {err.args[0]!r}, which is not in the graph"
        ) from None
    except TypeError as err:  # an unhashable element
        raise TypeError(f"{name} must be a collection of nodes, got {name}={nodes!r}") from err
    mask[positions] = True
    return mask


def _spread(W, eff, C, M, *, cw, mandate_rounds, p, max_rounds, rngs, track, progress):
    """Run threshold contagion on the columns (runs) of C (committed) and M (compliant).

    `eff` (n x runs, or n x 1 when shared) is the signal each person needs.  C and M are updated
    in place.  Returns (C, M, committed counts by round, compliant counts by round, rounds per
    run, adoption round per person (runs == 1 only) or None).

    Per round: one sparse product over the runs still moving, one comparison and one scan; the
    updates touch only the people who changed.  Finished runs are dropped from the working
    arrays once a quarter of them are done.
    """
    n, runs = C.shape
    C, M = np.ascontiguousarray(C), np.ascontiguousarray(M)  # flat views below must be views
    M &= ~C
    # working arrays hold the columns of the runs still moving; act maps them to run numbers
    act = np.arange(runs)
    Ca, Ma = C, M
    Xa = C.astype(np.float64)
    if cw and M.any():
        Xa[M] = cw
    if eff.shape == (n, runs) and eff.dtype == np.float64 and eff.flags.c_contiguous:
        Ea = eff  # the callers' private array: updated in place
    else:
        Ea = np.array(np.broadcast_to(eff, (n, runs)), dtype=np.float64)
    Ea[C] = np.inf  # the committed never commit again
    c_count = np.count_nonzero(C, axis=0)
    m_count = np.count_nonzero(M, axis=0)
    c_counts, m_counts = [c_count], [m_count]
    adoption = np.where(C, 0, -1).astype(np.int32) if track else None
    done = np.zeros(runs, dtype=bool)
    rounds = np.zeros(runs, dtype=np.int64)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=max_rounds, unit="round", desc="contagion")
    t = 0
    while not done.all() and (max_rounds is None or t < max_rounds):
        t += 1
        k = act.size
        Cf, Mf, Xf, Ef = Ca.reshape(-1), Ma.reshape(-1), Xa.reshape(-1), Ea.reshape(-1)
        S = W @ Xf if k == 1 else (W @ Xa).reshape(-1)
        flat = np.flatnonzero(S >= Ef)
        cols = flat % k if k > 1 else np.zeros(flat.size, dtype=np.intp)
        n_new = np.bincount(cols, minlength=k)
        changed = np.zeros(runs, dtype=bool)
        changed[act] = n_new > 0
        c_count = c_count.copy()
        m_count = m_count.copy()
        if flat.size:
            Cf[flat] = True
            Xf[flat] = 1.0
            Ef[flat] = np.inf
            if track:
                adoption.reshape(-1)[flat] = t
            c_count[act] += n_new
            if m_count.any():
                was = Mf[flat]
                if was.any():
                    Mf[flat] = False
                    m_count[act] -= np.bincount(cols[was], minlength=k)
        if t > mandate_rounds and p > 0 and m_count.any():
            for j in np.flatnonzero(m_count[act]):
                r = act[j]
                idx = np.flatnonzero(Ma[:, j])
                drop = idx[rngs[r].random(idx.size) < p]
                if drop.size:
                    Ma[drop, j] = False
                    Xa[drop, j] = 0.0
                    m_count[r] -= drop.size
                    changed[r] = True
        c_counts.append(c_count)
        m_counts.append(m_count)
        fixed = ~changed & ~((m_count > 0) & (p > 0))
        rounds[fixed & ~done] = t - 1
        done |= fixed
        if bar is not None:
            bar.update(1)
        if not changed.any() and t < mandate_rounds and not done.all():
            # nothing moves until the mandate ends: skip ahead to its last round
            stop = mandate_rounds if max_rounds is None else min(mandate_rounds, max_rounds)
            c_counts.extend([c_count] * (stop - t))
            m_counts.extend([m_count] * (stop - t))
            if bar is not None:
                bar.update(stop - t)
            t = stop
        finished = done[act]
        if k > 1 and finished.sum() * 4 >= k and not finished.all():
            # drop finished runs from the working arrays (their final state goes back to C, M)
            C[:, act[finished]] = Ca[:, finished]
            M[:, act[finished]] = Ma[:, finished]
            keep = ~finished
            Ca, Ma = np.ascontiguousarray(Ca[:, keep]), np.ascontiguousarray(Ma[:, keep])
            Xa, Ea = np.ascontiguousarray(Xa[:, keep]), np.ascontiguousarray(Ea[:, keep])
            act = act[keep]
    rounds[~done] = t
    if Ca is not C:
        C[:, act] = Ca
        M[:, act] = Ma
    if bar is not None:
        bar.close()
    return C, M, np.array(c_counts), np.array(m_counts), rounds, adoption
