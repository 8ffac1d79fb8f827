"""Threshold contagion: how a new practice spreads (or stalls) through a network of people.

Every person has a *threshold*: how much of their network must be committed before they commit
too, as a share of their neighbours' weight (**fractional**, Watts 2002) or as a number or weight
of committed neighbours (``absolute=True``, Centola & Macy 2007).  The committed stay committed,
so the final adopters do not depend on the order of updates: everyone updates at once, one
sparse matrix product per round.  Conventions (every function here):

* **Directed graphs**: an edge ``u -> v`` means ``u`` influences ``v`` (a line leader's edges to
  the team may weigh more than the team's on the leader); undirected ties count both ways.
  **Multigraphs** (collapse them with ``nx.Graph(G)``) and **self-loops** are refused.
* A person with no in-neighbours (or only ties of weight 0) never commits unless started
  committed.  Threshold 0 with an in-neighbour commits in round 1 (Watts's innovator, as in
  NDlib's ``ThresholdModel``); fractional thresholds above 1, and ``inf``, mean never; NaN and
  negative thresholds are refused.
* Comparisons have a relative tolerance of 1e-12: 3 committed of 10 neighbours meets a
  threshold of 0.3 although ``0.3 * 10`` is ``3.0000000000000004`` in floating point.

Commitment versus compliance (the leadership lessons): people in ``compliant=`` start
*compliant* (adopted under a mandate) and send a weak signal (``compliant_weight``); they still
commit when the signal reaches their threshold.  After ``mandate_rounds`` rounds each compliant
person reverts to not adopted with probability ``revert_probability`` per round; the committed
never revert.  With ``internalise_probability`` above 0, each compliant person also commits, in
every round, with that probability: compliance becomes internalisation (Kelman 1958).  The analytics: `senge_course.models.crowd` (Granovetter) and `.cascades`.

References
----------
Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9), 5766-5771.
Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. AJS 113(3).
"""

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
    "side_by_side",
    "simulate_many",
    "threshold_array",
]

# relative slack in "signal >= threshold": absorbs floating-point rounding (see module docstring)
THRESHOLD_SLACK = 1.0 - 1e-12


@dataclass(frozen=True, eq=False)
class PreparedNetwork:
    """A network converted once for fast simulation (build it with `prepare`).

    ``nodes``: the people in ``list(G)`` order (every per-person array's order), ``index`` maps a
    node to its position (read-only); ``matrix[v, u]`` (a sparse n x n array) is the weight of the
    tie through which ``u`` influences ``v``; ``in_weight`` and ``degree``: total weight and number
    of each person's in-ties; ``directed``: whether influence is one-way; ``weight``: the edge
    attribute read as tie weight (None: every tie weighs 1).
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
    run's random generator, so the same ``seed`` gives the same people.  Give exactly one of
    `count` (how many) and `fraction` (which share, in [0, 1]; ``round(fraction * n)``, halves
    rounding up).  One percent of a 10,000-person network is 100 people:

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
    """The outcome of one run of `simulate` (read-only arrays, in ``nodes`` order: ``list(G)``).

    ``committed``, ``compliant``: who is committed, and who compliant (adopted under the mandate,
    not committed), at the end; ``adoption_round``: the round each person committed (0 for
    starters, -1 for never); ``committed_by_round``, ``compliant_by_round``: shares of all people
    after each round (index 0: the start); ``rounds``: rounds until the final state (the last
    round in which anything changed, or `max_rounds`).
    """

    nodes: tuple = field(repr=False)
    committed: np.ndarray = field(repr=False)
    compliant: np.ndarray = field(repr=False)
    adoption_round: np.ndarray = field(repr=False)
    committed_by_round: np.ndarray = field(repr=False)
    compliant_by_round: np.ndarray = field(repr=False)
    rounds: int = 0

    @property
    def final_fraction(self):
        """Committed share of all people at the end."""
        return float(self.committed_by_round[-1])

    @property
    def summary(self):
        """One sentence: how far the practice spread, and in how many rounds.

        >>> import networkx as nx
        >>> simulate(nx.path_graph(4), 0.5, [0]).summary
        'From 25% of 4 people committed at the start, 100% are committed after 3 rounds.'
        """
        text = (
            f"From {self.committed_by_round[0]:.0%} of {len(self.nodes)} people committed at the "
            f"start, {self.final_fraction:.0%} are committed after {self.rounds} "
            f"round{'' if self.rounds == 1 else 's'}"
        )
        if self.compliant_by_round.max() > 0:
            text += f" ({self.compliant_by_round[-1]:.0%} compliant)"
        return text + "."

    def __repr__(self):
        return (
            f"ContagionResult(n={len(self.nodes)}, final_fraction={self.final_fraction:.4g}, "
            f"rounds={self.rounds})"
        )


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The outcome of many runs from `simulate_many` (read-only arrays, people in ``nodes`` order).

    ``committed`` (runs x n): who is committed at the end of each run; ``committed_by_round``,
    ``compliant_by_round`` (runs x rounds + 1): shares per run and round, padded with each run's
    final value; ``rounds``: rounds each run took to its final state; ``run_seeds``: replay run
    ``i`` alone with ``simulate(..., seed=int(run_seeds[i]))``.
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
    def final_fraction(self):
        """Committed share at the end of each run."""
        return self.committed_by_round[:, -1]

    @property
    def mean(self):
        """Mean committed share across runs, per round."""
        return self.committed_by_round.mean(axis=0)

    @property
    def summary(self):
        """One sentence: how far the practice spread on average, and how much runs differed.

        >>> import networkx as nx
        >>> simulate_many(nx.path_graph(4), 0.5, [0], runs=3).summary
        'Over 3 runs, 100% of 4 people are committed at the end on average (5% to 95% of runs: 100% to 100%), after at most 3 rounds.'
        """
        low, high = np.percentile(self.final_fraction, [5, 95])
        return (
            f"Over {self.runs} runs, {self.final_fraction.mean():.0%} of {len(self.nodes)} people "
            f"are committed at the end on average (5% to 95% of runs: {low:.0%} to {high:.0%}), "
            f"after at most {int(self.rounds.max())} rounds."
        )

    def band(self, low=5, high=95):
        """Return the `low` and `high` percentiles (0 to 100) of the committed share, per round:
        the lower and upper edges of the band across runs."""
        low = check_number("low", low, low=0, high=100)
        high = check_number("high", high, low=0, high=100)
        if low > high:
            raise ValueError(f"low must be at most high, got low={low:g}, high={high:g}")
        return tuple(np.percentile(self.committed_by_round, [low, high], axis=0))

    def __repr__(self):
        return (
            f"BatchResult(runs={self.runs}, n={len(self.nodes)}, "
            f"mean_final_fraction={float(self.final_fraction.mean()):.4g})"
        )


def prepare(G, *, weight=None):
    """Return `G` converted once into a `PreparedNetwork` for fast, repeated simulation.

    Convert once, then pass it to `simulate` or `simulate_many` as often as you like (a widget
    does this when the network is built, not on every slider move).  `weight` names the edge
    attribute holding tie weights (numbers >= 0; missing means 1; None: every tie weighs 1).
    Raises `TypeError` if `G` is not a networkx graph or is a multigraph, `ValueError` if it has
    no nodes or has self-loops, or a tie weight is negative or not a finite number.

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
            good = bool(np.isfinite(data).all() and (data >= 0).all())
        except (TypeError, ValueError):
            good = False
        if not good:
            u, v, value = next(e for e in G.edges(data=weight, default=1) if not _is_weight(e[2]))
            raise ValueError(
                f"tie weights ({weight!r}) must be finite numbers >= 0, got {weight}={value!r} "
                f"on the tie {u!r} {'->' if directed else '-'} {v!r}"
            )
    if max(n, nnz) < 2**31 - 1:
        indices, indptr = indices.astype(np.int32), indptr.astype(np.int32)
    matrix = sp.csr_array((data, indices, indptr), shape=(n, n))
    in_weight = matrix @ np.ones(n)
    readonly(in_weight, counts)
    index = MappingProxyType(index)
    return PreparedNetwork(nodes, index, matrix, in_weight, counts, directed, weight)


def side_by_side(networks):
    """Return prepared `networks` side by side as one `PreparedNetwork`, with no ties between them.

    Person j of the i-th network is person ``offset_i + j`` (offsets: the sizes before it).  One
    `simulate` on it runs every network at once; its ``adoption_round`` splits back by network.
    Tie weights, directedness and `weight` are kept (`weight` is None if the networks differ).

    >>> import networkx as nx
    >>> both = side_by_side([prepare(nx.path_graph(3)), prepare(nx.cycle_graph(4))])
    >>> both
    PreparedNetwork(n=7, ties=12, directed=False, weight=None)
    >>> simulate(both, 0.5, [0, 3]).adoption_round.tolist()
    [0, 1, 2, 0, 1, 2, 1]
    """
    networks = [prepare(net) for net in networks]
    if not networks:
        raise ValueError("networks must hold at least one network, got none")
    sizes = np.array([net.n for net in networks], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    nnz = np.array([net.matrix.nnz for net in networks], dtype=np.int64)
    entries = np.concatenate([[0], np.cumsum(nnz)[:-1]])
    matrices = [net.matrix for net in networks]
    data = np.concatenate([m.data for m in matrices])
    indices = np.concatenate(
        [m.indices.astype(np.int64) + k for m, k in zip(matrices, starts, strict=True)]
    )
    indptr = np.concatenate(
        [[0]] + [m.indptr[1:].astype(np.int64) + e for m, e in zip(matrices, entries, strict=True)]
    )
    N = int(sizes.sum())
    matrix = sp.csr_array((data, indices, indptr), shape=(N, N))
    in_weight = np.concatenate([net.in_weight for net in networks])
    degree = np.concatenate([net.degree for net in networks])
    readonly(in_weight, degree)
    nodes = tuple(range(N))
    weights = {net.weight for net in networks}
    return PreparedNetwork(
        nodes,
        MappingProxyType(dict(zip(nodes, nodes, strict=True))),
        matrix,
        in_weight,
        degree,
        any(net.directed for net in networks),
        weights.pop() if len(weights) == 1 else None,
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
    internalise_probability=0.0,
    seed=None,
):
    """Return how a practice spreads from `starters` through `G`: one run of threshold contagion.

    In each round everyone not yet committed compares their *signal* (the weight of committed
    in-neighbours, plus `compliant_weight` times that of compliant ones) with their threshold,
    all at once; those who reach it commit for good.  The run stops when nothing can change any
    more (or after `max_rounds`).

    Parameters
    ----------
    G : networkx.Graph, networkx.DiGraph or PreparedNetwork
        The network (see `prepare`; a PreparedNetwork keeps the `weight` it was prepared with).
    thresholds : float, array, dict or callable
        One for everyone, one per person (in ``list(G)`` order, or a dict node -> threshold), or
        ``rng -> thresholds`` drawn with this run's generator.  Fractional (default): share of
        neighbours' weight, 0..1; `absolute`: number or weight (Centola & Macy).
    starters : iterable of nodes, RandomStarters or callable
        Who is committed at the start (round 0): nodes, `RandomStarters`, or ``rng -> nodes``.
    compliant, compliant_weight, mandate_rounds, revert_probability, internalise_probability
        A mandate: who is compliant at the start (like `starters`; starters among them are
        committed), the strength of their signal against a committed person's (0 to 1), the
        rounds it lasts, the chance per round after it that a compliant person reverts, and the
        chance per round that a compliant person commits (internalises the practice; each round
        first decides who internalises, then who reverts).
    seed : None, int or numpy.random.Generator
        Randomness for callables, `RandomStarters`, internalisation and reversion, in that order.

    Returns
    -------
    ContagionResult
        A `TypeError` or `ValueError` names a wrong graph, threshold, starter or option.

    Examples
    --------
    On a path 0 - 1 - 2 - 3 with threshold 0.5, one committed neighbour is half of an inner
    person's neighbours, so the practice walks down the line one person per round.

    >>> import networkx as nx
    >>> result = simulate(nx.path_graph(4), 0.5, [0])
    >>> result.adoption_round.tolist()
    [0, 1, 2, 3]
    >>> result.committed_by_round.tolist()
    [0.25, 0.5, 0.75, 1.0]

    With threshold 0.6 one committed neighbour of two is not enough: the practice stays put.

    >>> simulate(nx.path_graph(4), 0.6, [0]).committed.tolist()
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
    convinces her, while one peer alone does not.

    >>> team = nx.DiGraph()
    >>> team.add_weighted_edges_from([("lead", "ann", 2), ("bob", "ann", 1), ("cy", "ann", 1)])
    >>> simulate(team, 0.5, ["lead"], weight="weight").committed.tolist()
    [True, True, False, False]
    >>> simulate(team, 0.5, ["bob"], weight="weight").committed.tolist()
    [False, False, True, False]

    A mandate makes people compliant at once; when it ends after 2 rounds, everyone still only
    compliant reverts (probability 1), so compliance collapses in round 3.

    >>> r = simulate(nx.complete_graph(5), 0.9, [], compliant=[0, 1, 2, 3, 4],
    ...              mandate_rounds=2, revert_probability=1.0)
    >>> r.compliant_by_round.tolist()
    [1.0, 1.0, 1.0, 0.0]

    If every compliant person internalises the practice in the first round, all five commit.

    >>> simulate(nx.complete_graph(5), 0.9, [], compliant=range(5),
    ...          internalise_probability=1.0).committed_by_round.tolist()
    [0.0, 1.0]
    """
    options = _options(
        absolute,
        max_rounds,
        compliant_weight,
        mandate_rounds,
        revert_probability,
        internalise_probability,
    )
    net = prepare(G, weight=weight)
    out = _run(net, thresholds, starters, compliant, options, [check_seed(seed)], track=True)
    c, m, c_by, m_by, rounds, adoption = (a[0] for a in out)
    readonly(c, m, adoption, c_by, m_by)
    return ContagionResult(net.nodes, c, m, adoption, c_by, m_by, int(rounds))


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
    internalise_probability=0.0,
    seed=None,
    progress=False,
    arcs=None,
):
    """Return many runs of `simulate` computed together, for averages and uncertainty bands.

    All runs advance together (each round, one sparse matrix times an n x runs matrix) and differ
    through whatever is random: thresholds drawn per run (``rng -> thresholds``, or a 2-D array,
    one row per run), random starters and reversion.  Run ``i`` draws from
    ``default_rng(run_seeds[i])`` in `simulate`'s order, so it can be replayed alone.  The other
    arguments are those of `simulate` (`seed`: the whole batch's randomness), plus `runs` (>= 1)
    and `progress` (True: a tqdm progress bar over rounds).  `starters` and `compliant` may also
    be boolean arrays of shape (runs, n): row i says who, in node order, in run i.  `arcs`
    (None, or ``rng -> arcs``,
    called after the run's other draws) gives each run its own extra ties: ``(u, v, weight)``
    triples, u influencing v, added to that run's network only, as if `G` had them (new
    networkers' bridges, say); tie weights add where an arc repeats a tie.  Returns a
    `BatchResult`.

    On a 20-person ring with a threshold of one neighbour in two, any single random starter
    takes the whole ring; the 100 runs all end at 1.0.

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
    options = _options(
        absolute,
        max_rounds,
        compliant_weight,
        mandate_rounds,
        revert_probability,
        internalise_probability,
    )
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got progress={progress!r}")
    net = prepare(G, weight=weight)
    run_seeds = check_seed(seed).integers(0, 2**63 - 1, size=runs, dtype=np.int64)
    rngs = [np.random.default_rng(int(s)) for s in run_seeds]
    table = _threshold_table(net, thresholds, runs)
    if arcs is not None and not callable(arcs):
        raise TypeError(f"arcs must be None or a function rng -> arcs, got arcs={arcs!r}")
    c, _, c_by, m_by, rounds, _ = _run(
        net,
        thresholds,
        starters,
        compliant,
        options,
        rngs,
        table=table,
        progress=progress,
        arcs=arcs,
    )
    readonly(c, c_by, m_by, rounds, run_seeds)
    return BatchResult(net.nodes, c, c_by, m_by, rounds, run_seeds)


def _is_weight(w):
    try:
        return math.isfinite(float(w)) and float(w) >= 0
    except (TypeError, ValueError):
        return False


def _options(absolute, max_rounds, compliant_weight, mandate_rounds, revert_probability, q):
    if not isinstance(absolute, (bool, np.bool_)):
        raise TypeError(f"absolute must be True or False, got absolute={absolute!r}")
    if max_rounds is not None:
        max_rounds = check_integer("max_rounds", max_rounds, low=0)
    cw = check_fraction("compliant_weight", compliant_weight)
    mandate_rounds = check_integer("mandate_rounds", mandate_rounds, low=0)
    p = check_fraction("revert_probability", revert_probability)
    q = check_fraction("internalise_probability", q)
    return bool(absolute), max_rounds, cw, mandate_rounds, p, q


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
    """A (runs x n) array of per-run thresholds, validated; None if `thresholds` is not 2-D."""
    if callable(thresholds) or isinstance(thresholds, Mapping):
        return None
    try:
        if np.ndim(thresholds) != 2:
            return None
    except ValueError:  # a ragged nested list: threshold_array explains
        return None
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


def _is_table(nodes):
    """Whether `nodes` is a boolean array with a row per run."""
    return isinstance(nodes, np.ndarray) and nodes.dtype == bool and nodes.ndim == 2


def _arcs(net, arcs):
    """Arrays (u, v, weight) of extra arcs ``(u, v, weight)``, nodes turned into positions."""
    if isinstance(arcs, (str, bytes)) or not isinstance(arcs, Iterable):
        raise TypeError(f"arcs(rng) must return (u, v, weight) triples, got {arcs!r}")
    arcs = list(arcs)
    try:
        u, v, w = (list(x) for x in zip(*arcs, strict=True)) if arcs else ([], [], [])
        index = net.index
        u, v = [index[a] for a in u], [index[b] for b in v]
        w = np.array(w, dtype=float)
    except (TypeError, ValueError, KeyError):
        raise ValueError(
            f"arcs(rng) must return (u, v, weight) triples of nodes of the graph, got {arcs!r}"
        ) from None
    bad = ~(np.isfinite(w) & (w >= 0))
    if bad.any():
        raise ValueError(
            f"an arc's weight must be a finite number >= 0, got {arcs[np.argmax(bad)]!r}"
        )
    return np.array(u, dtype=np.intp), np.array(v, dtype=np.intp), w


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


def _run(net, thresholds, starters, compliant, options, rngs, *, table=None, arcs=None, **kw):
    """Draw each run's thresholds, starters and compliant people (and `arcs`) with its generator,
    then spread; return per run: the final committed and compliant, their shares by round,
    rounds, adoption."""
    n, runs, absolute = net.n, len(rngs), options[0]
    per_run = callable(thresholds) or table is not None or arcs is not None
    extra = []
    if per_run:
        eff = np.empty((n, runs))
    else:
        eff = _effective(threshold_array(net, thresholds), net.in_weight, absolute)[:, None]
    C, M = np.empty((n, runs), dtype=bool), np.empty((n, runs), dtype=bool)
    people = [(C, starters, "starters"), (M, compliant, "compliant")]
    drawn = [isinstance(nodes, RandomStarters) or callable(nodes) for _, nodes, _ in people]
    for (mask, nodes, name), random in zip(people, drawn, strict=True):
        if _is_table(nodes):  # one row per run
            if nodes.shape != (runs, n):
                raise ValueError(
                    f"{name} as a 2-D array must have shape (runs, n) = ({runs}, {n}), got "
                    f"shape {nodes.shape}"
                )
            mask[:] = nodes.T
        elif not random:
            mask[:] = _members(net, nodes, name, None)[:, None]
    for i, g in enumerate(rngs):  # each run draws in the same order as a lone `simulate`
        if per_run:
            thr = table[i] if table is not None else threshold_array(net, thresholds, g)
        for (mask, nodes, name), random in zip(people, drawn, strict=True):
            if random:
                mask[:, i] = _members(net, nodes, name, g)
        in_weight = net.in_weight
        if arcs is not None:
            u, v, w = _arcs(net, arcs(g))
            extra.append((u, v, w, np.full(u.size, i)))
            in_weight = in_weight + np.bincount(v, w, minlength=n)
        if per_run:
            eff[:, i] = _effective(thr, in_weight, absolute)
    if extra:
        kw["extra"] = tuple(np.concatenate(a) for a in zip(*extra, strict=True))
    c, m, c_by, m_by, rounds, adoption = _spread(net.matrix, eff, C, M, options, rngs, **kw)
    T = int(rounds.max())
    by_run = [np.ascontiguousarray(a.T) for a in (c, m, c_by[: T + 1] / n, m_by[: T + 1] / n)]
    return (*by_run, rounds, None if adoption is None else np.ascontiguousarray(adoption.T))


def _spread(W, eff, C, M, options, rngs, *, track=False, progress=False, extra=None):
    """Spread on the columns (runs) of C (committed) and M (compliant), in place; `eff` (n x runs
    or n x 1) is the signal each person needs.  Per round, one sparse product over the runs still
    moving; finished runs leave the working arrays once a quarter of them are done.  `extra`:
    arcs of single runs, arrays (u, v, weight, run), added to that run's signal."""
    _, max_rounds, cw, mandate_rounds, p, q = options
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
    if progress:
        from tqdm.auto import tqdm
    bar = tqdm(total=max_rounds, unit="round", desc="contagion") if progress else None
    if extra is not None:
        extra = tuple(np.asarray(a) for a in extra)
    t = 0
    while not done.all() and (max_rounds is None or t < max_rounds):
        t += 1
        k = act.size
        Cf, Mf, Xf, Ef = Ca.reshape(-1), Ma.reshape(-1), Xa.reshape(-1), Ea.reshape(-1)
        S = W @ Xf if k == 1 else (W @ Xa).reshape(-1)
        if extra is not None:
            eu, ev, ew, col = extra  # col: the run's column in the working arrays
            S += np.bincount(ev * k + col, ew * Xf[eu * k + col], minlength=S.size)
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
        revert = t > mandate_rounds and p > 0
        if (q > 0 or revert) and m_count.any():
            for j in np.flatnonzero(m_count[act]):
                r = act[j]
                idx = np.flatnonzero(Ma[:, j])
                if q > 0:  # compliance internalised: these commit
                    take = idx[rngs[r].random(idx.size) < q]
                    idx = np.setdiff1d(idx, take, assume_unique=True)
                    Ma[take, j], Ca[take, j], Xa[take, j], Ea[take, j] = False, True, 1.0, np.inf
                    if track:
                        adoption[take, act[j]] = t
                    c_count[r] += take.size
                    m_count[r] -= take.size
                    changed[r] |= take.size > 0
                drop = idx[rngs[r].random(idx.size) < p] if revert else idx[:0]
                if drop.size:
                    Ma[drop, j] = False
                    Xa[drop, j] = 0.0
                    m_count[r] -= drop.size
                    changed[r] = True
        c_counts.append(c_count)
        m_counts.append(m_count)
        fixed = ~changed & ~((m_count > 0) & ((p > 0) | (q > 0)))
        rounds[fixed & ~done] = t - 1
        done |= fixed
        if bar is not None:
            bar.update(1)
        if not changed.any() and t < mandate_rounds and not done.all() and q == 0:
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
            if extra is not None:
                column = np.cumsum(keep) - 1  # old working column -> new one
                alive = keep[extra[3]]
                extra = (*(a[alive] for a in extra[:3]), column[extra[3][alive]])
    rounds[~done] = t
    if Ca is not C:
        C[:, act] = Ca
        M[:, act] = Ma
    if bar is not None:
        bar.close()
    return C, M, np.array(c_counts), np.array(m_counts), rounds, adoption
