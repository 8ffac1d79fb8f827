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
from scipy import optimize, special

from .._validate import check_fraction, check_integer, check_number, check_seed

__all__ = [
    "BatchResult",
    "ContagionResult",
    "PreparedNetwork",
    "RandomSeeds",
    "cascade_probability",
    "cascade_window",
    "final_size",
    "granovetter_equilibrium",
    "prepare",
    "simulate",
    "simulate_many",
]

# relative slack in "signal >= threshold": absorbs floating-point rounding (see module docstring)
_SLACK = 1.0 - 1e-12


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
class RandomSeeds:
    """Seeds (or mandated people) drawn at random for each run: a count or a fraction of people.

    Pass it as ``seeds=`` (or ``compliant=``) to `simulate` or `simulate_many`; the draw uses the
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

    >>> RandomSeeds(fraction=0.01).size(10_000)
    100
    """

    count: int | None = None
    fraction: float | None = None

    def __post_init__(self):
        if (self.count is None) == (self.fraction is None):
            raise ValueError(
                "RandomSeeds needs exactly one of count= or fraction=, got "
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


def _readonly(*arrays):
    for a in arrays:
        a.setflags(write=False)


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
        The round in which each person committed: 0 for seeds, -1 for never.
    committed_by_round : numpy.ndarray of float
        Committed share of all people after each round; index 0 is the seeds.
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
        """Committed share after each round (index 0 = the seeds): the adoption curve."""
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
    _readonly(in_weight, degree)
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
    seeds,
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
    """Return how a practice spreads from `seeds` through `G`: one run of threshold contagion.

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
    seeds : iterable of nodes, RandomSeeds or callable
        Who is committed at the start (round 0): nodes, `RandomSeeds`, or ``rng -> nodes``.
    absolute : bool, default False
        Read thresholds as counts (Centola & Macy) instead of fractions (Watts).
    weight : str, optional
        Edge attribute holding tie weights (default: every tie weighs 1).  A PreparedNetwork
        keeps the weights it was prepared with: leave `weight` as None for it.
    max_rounds : int, optional
        Stop after this many rounds (default: run until nothing changes).
    compliant : iterable of nodes, RandomSeeds or callable, default ()
        People made compliant by a mandate at the start (seeds among them are committed).
    compliant_weight : float in [0, 1], default 0.25
        Strength of a compliant neighbour's signal relative to a committed one's.
    mandate_rounds : int >= 0, default 10
        Rounds the mandate lasts; reversion starts in round ``mandate_rounds + 1``.
    revert_probability : float in [0, 1], default 0.2
        Chance per round, after the mandate, that a compliant person reverts to not adopted.
    seed : None, int or numpy.random.Generator
        Randomness for callables, `RandomSeeds` and reversion, used in that order.

    Returns
    -------
    ContagionResult
        ``.adopted`` / ``.committed`` and ``.compliant`` (final states, bool arrays in
        ``list(G)`` order), ``.final_fraction``, ``.fraction_by_round`` (committed share after
        each round, index 0 = the seeds; also called ``.committed_by_round``),
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
    thr = _thresholds(net, thresholds, rng)
    committed = _members(net, seeds, "seeds", rng)
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
    _readonly(committed, compliant_end, adoption, c_by, m_by)
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
    seeds,
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
    ``rng -> thresholds``, or a (runs x n) array), random seeds (`RandomSeeds` or a function
    ``rng -> nodes``) and the reversion of compliant people.  Run ``i`` uses the generator
    ``numpy.random.default_rng(result.run_seeds[i])`` in the same order as `simulate`, so
    ``simulate(..., seed=int(result.run_seeds[i]))`` replays it exactly.

    Parameters
    ----------
    G, thresholds, seeds
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
    >>> batch = simulate_many(nx.cycle_graph(20), 0.5, RandomSeeds(count=1), runs=100, seed=1)
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
        eff = _effective(_thresholds(net, thresholds, None), net.in_weight, absolute)[:, None]
    random_seeds = isinstance(seeds, RandomSeeds) or callable(seeds)
    random_mandate = isinstance(compliant, RandomSeeds) or callable(compliant)
    C = np.empty((n, runs), dtype=bool)
    M = np.empty((n, runs), dtype=bool)
    if not random_seeds:
        C[:] = _members(net, seeds, "seeds", None)[:, None]
    if not random_mandate:
        M[:] = _members(net, compliant, "compliant", None)[:, None]
    for i, g in enumerate(rngs):  # draw per-run inputs in the same order as simulate
        if callable(thresholds):
            eff[:, i] = _effective(_thresholds(net, thresholds, g), net.in_weight, absolute)
        elif per_run_thr:
            eff[:, i] = _effective(table[i], net.in_weight, absolute)
        if random_seeds:
            C[:, i] = _members(net, seeds, "seeds", g)
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
    _readonly(committed, c_by, m_by, rounds, run_seeds)
    return BatchResult(
        nodes=net.nodes,
        committed=committed,
        committed_by_round=c_by,
        compliant_by_round=m_by,
        rounds=rounds,
        run_seeds=run_seeds,
    )


def granovetter_equilibrium(thresholds, *, n=None):
    """Return how many people join a crowd at equilibrium (Granovetter 1978).

    Each person joins once at least their threshold number of *others* have joined.  Starting
    from nobody, those with threshold 0 join, which may push others over their thresholds, and so
    on: the equilibrium is the first fixed point of ``r -> number of people with threshold <= r``.

    Parameters
    ----------
    thresholds : array of numbers >= 0, or a frozen scipy.stats distribution
        Per-person thresholds as counts of others, or a distribution of thresholds (also as counts
        of people, like Granovetter's normal example) over a crowd of size `n`.  For a
        distribution the equilibrium is the first fixed point of the continuous map
        ``r -> n * F(r)`` (F the distribution's CDF), found by root-finding.
    n : int, optional
        Crowd size: required for a distribution; for an array it must be None or its length.

    Returns
    -------
    int or float
        The number who join: an int for an array, a float for a distribution.

    Raises
    ------
    ValueError
        If a threshold is NaN or negative, or `n` is missing for a distribution.

    Examples
    --------
    Granovetter's riot: thresholds 0, 1, ..., 99.  The instigator (0) joins, which is enough for
    the person with threshold 1, and so on: all 100 riot.

    >>> granovetter_equilibrium(range(100))
    100

    Replace the person with threshold 1 by one with threshold 2: after the instigator nobody
    else is ready, and a crowd that looks almost the same stays quiet.

    >>> granovetter_equilibrium([0, 2, *range(2, 100)])
    1

    Granovetter's normal example: a crowd of 100 with thresholds normally distributed with mean
    25.  With a standard deviation of 12 only about 4 join; at 13 nearly everyone does.

    >>> from scipy.stats import norm
    >>> round(granovetter_equilibrium(norm(25, 12), n=100), 2)
    4.02
    >>> round(granovetter_equilibrium(norm(25, 13), n=100), 2)
    100.0

    The jump happens at a critical standard deviation of 12.2221 (Granovetter reports "about
    12.2"), which bisection on the standard deviation finds:

    >>> lo, hi = 10.0, 15.0
    >>> for _ in range(40):
    ...     mid = (lo + hi) / 2
    ...     lo, hi = (lo, mid) if granovetter_equilibrium(norm(25, mid), n=100) > 50 else (mid, hi)
    >>> round(hi, 4)
    12.2221
    """
    if hasattr(thresholds, "cdf") and hasattr(thresholds, "dist"):
        if n is None:
            raise ValueError(
                "n (the crowd size) is required when thresholds is a distribution, got n=None"
            )
        size = check_integer("n", n, low=1)
        cdf = thresholds.cdf

        def step(r):
            return size * cdf(r)

        return float(_smallest_fixed_point(step, 0.0, float(size)))
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise TypeError(
            "thresholds must be an array of numbers or a frozen scipy.stats distribution, got "
            f"thresholds={thresholds!r}"
        )
    try:
        t = np.asarray(list(thresholds), dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"thresholds must contain only numbers, got thresholds={thresholds!r}"
        ) from None
    if t.ndim != 1:
        raise ValueError(f"thresholds must be a flat list of numbers, got shape {t.shape}")
    if n is not None and check_integer("n", n, low=0) != t.size:
        raise ValueError(
            f"n must be None or the number of thresholds ({t.size}) for an array, got n={n}"
        )
    _check_values(t, lambda i: f"person {i}")
    t = np.sort(t)
    r = 0
    while True:
        joined = int(np.searchsorted(t, r, side="right"))
        if joined == r:
            return r
        r = joined


def cascade_window(phi):
    """Return the range of mean degree z in which one seed can set off a global cascade.

    Watts (2002): on a Poisson (Erdos-Renyi) random network where everyone has threshold `phi`,
    a person with k neighbours is *vulnerable* (one committed neighbour suffices) when
    ``k <= K* = floor(1/phi)``.  A global cascade is possible when the vulnerable people
    percolate: ``sum_k k (k - 1) P_k = z`` over ``2 <= k <= K*`` marks the edges of the window.
    For a Poisson graph that sum is ``z**2 * P(Poisson(z) <= K* - 2)``, so the edges solve
    ``z * P(Poisson(z) <= K* - 2) = 1`` (solved with brentq).

    Parameters
    ----------
    phi : float in (0, 1]
        Everyone's fractional threshold.

    Returns
    -------
    (float, float) or None
        ``(z_low, z_high)``, or None when no mean degree allows cascades (phi > 1/4 here).

    Raises
    ------
    ValueError
        If `phi` is not in (0, 1].

    Examples
    --------
    For Watts's phi = 0.18 (K* = 5) cascades are possible for mean degrees between about 1.02
    and 5.76: too sparse and the network falls apart, too dense and one neighbour is too small a
    share of anyone's network.

    >>> z_low, z_high = cascade_window(0.18)
    >>> round(z_low, 3), round(z_high, 3)
    (1.021, 5.765)

    Lower thresholds widen the window (z_low creeps towards 1), and above 1/4 it closes.

    >>> [round(z, 2) for z in cascade_window(0.1)]
    [1.0, 13.66]
    >>> cascade_window(0.3) is None
    True
    """
    phi = check_number("phi", phi, low=0, high=1, low_open=True)
    k = _vulnerable_degree(phi)
    if k < 2:
        return None
    a = k - 1  # P(Poisson(z) <= k - 2) = gammaincc(k - 1, z)

    def excess(z):
        return z * special.gammaincc(a, z) - 1.0

    # the maximum of z * P(Poisson(z) <= m) solves P(Poisson(z) <= m) = z * P(Poisson(z) = m)
    m = k - 2

    def slope(z):
        return special.gammaincc(a, z) - z * math.exp(m * math.log(z) - z - math.lgamma(m + 1))

    hi = k + 10.0 * math.sqrt(k) + 10.0
    zmax = optimize.brentq(slope, 1e-9, hi, xtol=1e-14)
    if excess(zmax) <= 0:
        return None
    z_low = optimize.brentq(excess, 1e-9, zmax, xtol=1e-14)
    top = 2.0 * zmax + 10.0
    while excess(top) > 0:  # pragma: no cover - the bracket above always suffices
        top *= 2
    z_high = optimize.brentq(excess, zmax, top, xtol=1e-14)
    return float(z_low), float(z_high)


def cascade_probability(z, phi):
    """Return the chance that one random seed sets off a global cascade (Watts 2002).

    On a Poisson random network with mean degree `z` and threshold `phi` for everyone, a global
    cascade happens when the seed touches the giant cluster of *vulnerable* people (those with
    at most ``K* = floor(1/phi)`` neighbours, whom one committed neighbour convinces).  With
    ``G1(x) = sum_{k<=K*} k P_k x**(k-1) / z``, the chance ``u`` that an edge does *not* lead
    into that cluster solves ``u = 1 - G1(1) + G1(u)`` (Watts's H1 self-consistency, smallest
    root).  Watts's size of the vulnerable cluster is ``S = 1 - H0(1) = G0(1) - G0(u)``; the seed
    itself need not be vulnerable, so a seed triggers a cascade when any of its neighbours leads
    into the cluster: ``1 - sum_k P_k u**k = 1 - exp(z (u - 1))``, which is what simulation
    measures and what this function returns (it is slightly above S).

    Parameters
    ----------
    z : float >= 0
        Mean degree.
    phi : float in (0, 1]
        Everyone's fractional threshold.

    Returns
    -------
    float
        Probability in [0, 1]; 0 outside the cascade window.

    Raises
    ------
    ValueError
        If `z` is negative or `phi` is not in (0, 1].

    Examples
    --------
    Inside Watts's window for phi = 0.18, at z = 4 about 87% of single seeds start a global
    cascade (10,000-node simulations give 0.88); past the upper edge (z = 6) none can.

    >>> round(cascade_probability(4, 0.18), 3)
    0.865
    >>> cascade_probability(6, 0.18)
    0.0
    """
    z = check_number("z", z, low=0)
    phi = check_number("phi", phi, low=0, high=1, low_open=True)
    k_star = _vulnerable_degree(phi)
    if z == 0 or k_star < 2:
        return 0.0
    k = np.arange(k_star + 1, dtype=float)
    pk = np.exp(k * math.log(z) - z - special.gammaln(k + 1))  # Poisson P_k, k <= K*
    coef = k * pk / z  # coefficients of G1, by power k - 1

    def g1(u):
        return np.sum(coef[1:] * np.power.outer(np.atleast_1d(u), k[1:] - 1), axis=-1)

    def g(u):
        return 1.0 - coef.sum() + g1(u) - u

    # g is convex with g(1) = 0; a root below 1 exists iff g'(1) = G1'(1) - 1 > 0
    slope1 = float(np.sum(coef[2:] * (k[2:] - 1)))
    if slope1 <= 1.0:
        return 0.0
    # the minimum of g is where G1'(u) = 1
    umin = optimize.brentq(
        lambda u: float(np.sum(coef[2:] * (k[2:] - 1) * u ** (k[2:] - 2))) - 1.0, 0.0, 1.0
    )
    if float(g(0.0)[0]) <= 0:
        u = 0.0
    else:
        u = optimize.brentq(lambda x: float(g(x)[0]), 0.0, umin, xtol=1e-15)
    return float(-math.expm1(z * (u - 1.0)))


def final_size(z, phi, seed_fraction):
    """Return the expected final committed share when a random share of people start committed.

    Gleeson & Cahalane (2007): on a Poisson random network with mean degree `z`, everyone with
    fractional threshold `phi`, and a random seed fraction ``rho0``, iterate

    ``q <- rho0 + (1 - rho0) sum_k (k P_k / z) P(Binomial(k - 1, q) >= k phi)``

    from ``q = rho0`` to its first fixed point, then the committed share is

    ``rho = rho0 + (1 - rho0) sum_k P_k P(Binomial(k, q) >= k phi)``

    (people with no neighbours commit only if seeded).  Seeds matter even outside Watts's
    window: a large enough seed can tip a dense network a lone seed never could.

    Parameters
    ----------
    z : float >= 0
        Mean degree.
    phi : float in (0, 1]
        Everyone's fractional threshold.
    seed_fraction : float in [0, 1]
        Share of people committed at the start (``rho0``).

    Returns
    -------
    float
        Expected committed share at the end, in [seed_fraction, 1].

    Raises
    ------
    ValueError
        If `z` is negative, `phi` is not in (0, 1], or `seed_fraction` is not in [0, 1].

    Examples
    --------
    Dense network (z = 10), phi = 0.18: outside the single-seed window.  A 1% seed only
    doubles, but a 3% seed tips nearly everyone: the seed size decides.

    >>> round(final_size(10, 0.18, 0.01), 3)
    0.02
    >>> round(final_size(10, 0.18, 0.03), 3)
    1.0
    """
    z = check_number("z", z, low=0)
    phi = check_number("phi", phi, low=0, high=1, low_open=True)
    rho0 = check_fraction("seed_fraction", seed_fraction)
    if z == 0 or rho0 in (0.0, 1.0):
        return rho0
    kmax = int(math.ceil(z + 12.0 * math.sqrt(z) + 30.0))
    k = np.arange(1, kmax + 1)
    pk = np.exp(k * math.log(z) - z - special.gammaln(k + 1.0))
    need = np.ceil(phi * k * _SLACK)  # committed neighbours needed by a person of degree k
    edge_weight = k * pk / z

    def at_least(m, trials, q):
        # P(Binomial(trials, q) >= m) for m >= 1 (bdtrc(j, ...) = P(X > j))
        out = special.bdtrc(m - 1, trials, q)
        return np.where(m > trials, 0.0, out)

    def step(q):
        q = np.atleast_1d(q)[:, None]
        s = np.sum(edge_weight * at_least(need, k - 1, q), axis=1)
        return rho0 + (1.0 - rho0) * s

    q = float(_smallest_fixed_point(lambda x: step(x), rho0, 1.0))
    rho = rho0 + (1.0 - rho0) * float(np.sum(pk * at_least(need, k, q)))
    return min(max(rho, rho0), 1.0)


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


def _check_values(t, name_of):
    """Raise if any threshold in the 1-D float array `t` is NaN or negative."""
    bad = np.flatnonzero(np.isnan(t))
    if bad.size:
        raise ValueError(f"thresholds must be numbers >= 0, got NaN for {name_of(int(bad[0]))}")
    bad = np.flatnonzero(t < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"thresholds must be numbers >= 0, got {t[i]:g} for {name_of(i)}")


def _thresholds(net, thresholds, rng):
    """Return the per-person thresholds as a float array in node order, validated."""
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
    _check_values(t, lambda i: f"person {net.nodes[i]!r}")
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
    _check_values(flat, lambda i: f"person {net.nodes[i % net.n]!r} in run {i // net.n}")
    return t


def _effective(thr, in_weight, absolute):
    """Return the signal each person needs: inf for those who can never commit."""
    if absolute:
        eff = thr * _SLACK
    else:
        eff = np.where(thr > 1.0, np.inf, thr * in_weight * _SLACK)
    eff[in_weight <= 0] = np.inf  # nobody to hear it from
    return eff


def _members(net, nodes, name, rng):
    """Return a bool mask (node order) of `nodes`: an iterable, RandomSeeds or rng -> nodes."""
    mask = np.zeros(net.n, dtype=bool)
    if isinstance(nodes, RandomSeeds):
        mask[nodes.draw(net.n, rng)] = True
        return mask
    if callable(nodes):
        nodes = nodes(rng)
    if isinstance(nodes, (str, bytes)) or not isinstance(nodes, Iterable):
        raise TypeError(
            f"{name} must be a collection of nodes such as [{nodes!r}], RandomSeeds(...) or a "
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


def _vulnerable_degree(phi):
    """Largest degree k at which one committed neighbour meets threshold phi (k * phi <= 1)."""
    k = int(math.floor(1.0 / phi))
    while (k + 1) * phi * _SLACK <= 1.0:
        k += 1
    while k > 0 and k * phi * _SLACK > 1.0:
        k -= 1
    return k


def _smallest_fixed_point(f, lo, hi, grid=4097):
    """Return the smallest x in [lo, hi] with f(x) = x, for f nondecreasing with f(lo) >= lo.

    This is where iterating x <- f(x) from lo converges.  The map is scanned on a grid (f must
    accept arrays) and the first sign change of f(x) - x is refined with brentq; local minima of
    f(x) - x between grid points are checked so that a near-tangent crossing is not missed.
    """

    def g(x):
        return float(np.asarray(f(np.atleast_1d(float(x))))[0]) - float(x)

    x = np.linspace(lo, hi, grid)
    gx = np.asarray(f(x), dtype=float) - x
    if gx[0] <= 0:
        return lo
    below = np.flatnonzero(gx <= 0)
    first = int(below[0]) if below.size else grid - 1
    # local minima of the sampled curve before the first sign change may hide a dip below 0
    inner = np.arange(1, first)
    minima = inner[(gx[inner] <= gx[inner - 1]) & (gx[inner] <= gx[inner + 1])]
    for j in minima:
        res = optimize.minimize_scalar(
            g, bounds=(x[j - 1], x[j + 1]), method="bounded", options={"xatol": 1e-12}
        )
        if res.fun <= 0:
            if res.fun == 0:
                return float(res.x)
            return optimize.brentq(g, x[j - 1], res.x, xtol=1e-14)
    if not below.size:  # pragma: no cover - f(hi) <= hi for every caller
        return hi
    return optimize.brentq(g, x[first - 1], x[first], xtol=1e-14)
