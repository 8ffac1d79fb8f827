"""Cascades: when does a new practice go global on a network, and how should it start?

Watts (2002) asked when one person can set off a *global cascade* on a random network where
everyone needs a share `phi` of their contacts committed: only inside a *window* of mean degree
(`cascade_window`): too few contacts and the network falls apart, too many and one committed
contact is too small a share of anyone's network.  `cascade_probability` is the chance one random
person sets one off; `final_size` the share reached from a seed fraction (Gleeson & Cahalane 2007).

Simulations to compare with the analytics: `random_network` (Erdos-Renyi) and
`simulated_cascades`, started by a lone champion, a pilot group (`cluster_starters`, a connected
group; `pilot_group_starters`, a line leader and members of one team) or scattered champions.

Examples
--------
A pilot group is a connected group: a person, their contacts, their contacts' contacts...

>>> import networkx as nx
>>> draw = cluster_starters(nx.path_graph(10), 3)
>>> sorted(draw(np.random.default_rng(0)))
[7, 8, 9]

References
----------
Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9), 5766-5771.
Gleeson, J. P., & Cahalane, D. J. (2007). Seed size strongly affects cascades on random
networks. Physical Review E 75, 056103.
"""

import math
from collections import deque

import networkx as nx
import numpy as np
from scipy import optimize, special

from .._validate import check_fraction, check_integer, check_number, check_one_of, check_seed
from .contagion import THRESHOLD_SLACK, PreparedNetwork, RandomStarters, prepare, simulate_many
from .crowd import smallest_fixed_point

__all__ = [
    "GLOBAL_SHARE",
    "STARTS",
    "TEAM_WON",
    "cascade_probability",
    "cascade_probability_curve",
    "cascade_window",
    "cluster_starters",
    "final_shares",
    "final_size",
    "pilot_group_starters",
    "random_network",
    "simulated_cascades",
    "vulnerable_degree",
]


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
    k = vulnerable_degree(phi)
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
    Inside Watts's window for phi = 0.18, at z = 4 about 87% of single starters set off a global
    cascade (10,000-node simulations give 0.88); past the upper edge (z = 6) none can.

    >>> round(cascade_probability(4, 0.18), 3)
    0.865
    >>> cascade_probability(6, 0.18)
    0.0
    """
    z = check_number("z", z, low=0)
    phi = check_number("phi", phi, low=0, high=1, low_open=True)
    k_star = vulnerable_degree(phi)
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
    need = np.ceil(phi * k * THRESHOLD_SLACK)  # committed neighbours needed by a person of degree k
    edge_weight = k * pk / z

    def at_least(m, trials, q):
        # P(Binomial(trials, q) >= m) for m >= 1 (bdtrc(j, ...) = P(X > j))
        out = special.bdtrc(m - 1, trials, q)
        return np.where(m > trials, 0.0, out)

    def step(q):
        q = np.atleast_1d(q)[:, None]
        s = np.sum(edge_weight * at_least(need, k - 1, q), axis=1)
        return rho0 + (1.0 - rho0) * s

    q = float(smallest_fixed_point(lambda x: step(x), rho0, 1.0))
    rho = rho0 + (1.0 - rho0) * float(np.sum(pk * at_least(need, k, q)))
    return min(max(rho, rho0), 1.0)


def vulnerable_degree(phi):
    """Largest degree k at which one committed neighbour meets threshold phi (k * phi <= 1)."""
    k = int(math.floor(1.0 / phi))
    while (k + 1) * phi * THRESHOLD_SLACK <= 1.0:
        k += 1
    while k > 0 and k * phi * THRESHOLD_SLACK > 1.0:
        k -= 1
    return k


#: A run is a *global cascade* when at least this share of people end up committed.
GLOBAL_SHARE = 0.1


#: A team is *won over* when at least this share of its people (leader and members) commit.
TEAM_WON = 0.8


#: The ways to start a practice, as the apps name them.
STARTS = ("lone champion", "pilot group", "scattered")


def random_network(n=2000, z=4.0, *, seed=1):
    """Return an Erdos-Renyi random network of `n` people with mean degree `z`.

    The network Watts (2002) analysed: every pair is tied with probability ``z / (n - 1)``.
    It is ``nx.fast_gnp_random_graph(n, z / (n - 1), seed=seed)``, so code can rebuild exactly
    the network an app shows.

    Parameters
    ----------
    n : int, default 2000
        Number of people (10 to 100,000).
    z : float, default 4
        Mean number of contacts (0 to 50).
    seed : int, default 1
        Randomness (a whole number >= 0): the same seed gives the same network.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> G = random_network(2000, 4, seed=1)
    >>> round(2 * G.number_of_edges() / len(G), 1)
    4.0
    """
    n = check_integer("n", n, low=10, high=100_000)
    z = check_number("z", z, low=0, high=50)
    seed = check_integer("seed", seed, low=0)
    return nx.fast_gnp_random_graph(n, z / (n - 1), seed=seed)


def simulated_cascades(z, phi=0.18, *, start="lone champion", size=10, n=2000, runs=100, seed=1):
    """Return the committed share at the end of each run, exactly as `CascadeExplorer` runs them.

    The network is ``random_network(n, round(z, 2), seed=seed)``; the batch is
    ``simulate_many(network, phi, starters, runs=runs, seed=seed)`` with the starters drawn
    afresh in every run: one random person (``"lone champion"``), a connected group of `size`
    (``"pilot group"``, `cluster_starters`) or `size` random people (``"scattered"``).

    Parameters
    ----------
    z : float
        Mean degree (0 to 50; rounded to 2 decimals, as the app does).
    phi : float, default 0.18
        Everyone's threshold, in (0, 1].
    start : str, default "lone champion"
        One of `STARTS`.
    size : int, default 10
        Group size for a pilot group or scattered champions (ignored for a lone champion).
    n, runs, seed : int
        People, runs and the seed of the network and the batch.

    Returns
    -------
    numpy.ndarray
        One committed share per run; a run is a global cascade when it is at least
        `GLOBAL_SHARE`.

    Examples
    --------
    Above the window (z = 6.8 for phi = 0.18) a lone champion almost never goes global, a pilot
    group of 10 usually does:

    >>> lone = simulated_cascades(6.8)
    >>> pilot = simulated_cascades(6.8, start="pilot group")
    >>> int((lone >= GLOBAL_SHARE).sum()), int((pilot >= GLOBAL_SHARE).sum())
    (1, 76)
    """
    start = check_one_of("start", start, STARTS)
    runs = check_integer("runs", runs, low=1)
    z = round(check_number("z", z, low=0, high=50), 2)
    net = prepare(random_network(n, z, seed=seed))
    return final_shares(net, phi, start, size, runs, seed)


def cluster_starters(G, size):
    """Return a function ``rng -> people``: a connected group of `size` people (a pilot group).

    The group is a random person, then their contacts, then their contacts' contacts, and so
    on (breadth first), until it has `size` people; if that person's part of the network is too
    small, it continues from another random person.  Pass the function as ``starters=`` to
    `senge_course.models.contagion.simulate` or `simulate_many`: each run draws its own group.

    Parameters
    ----------
    G : networkx.Graph or PreparedNetwork
        The network.
    size : int
        People in the group (1 to the number of people).

    Returns
    -------
    callable
        ``draw(rng)`` returns a list of `size` nodes of `G`.

    Raises
    ------
    TypeError, ValueError
        If `G` is not a network or `size` is out of range.

    Examples
    --------
    On a star, a group of 4 grown from a leaf takes the leaf, the hub, then two more leaves.

    >>> import networkx as nx
    >>> import numpy as np
    >>> draw = cluster_starters(nx.star_graph(6), 4)
    >>> group = draw(np.random.default_rng(3))
    >>> len(group), 0 in group
    (4, True)
    """
    net = prepare(G) if not isinstance(G, PreparedNetwork) else G
    size = check_integer("size", size, low=1, high=net.n)
    indptr, indices = net.matrix.indptr, net.matrix.indices
    if net.directed:  # grow along ties either way
        sym = (net.matrix + net.matrix.T).tocsr()
        indptr, indices = sym.indptr, sym.indices
    nodes, n = net.nodes, net.n

    def draw(rng):
        rng = check_seed(rng) if not isinstance(rng, np.random.Generator) else rng
        seen = np.zeros(n, dtype=bool)
        chosen = []
        while len(chosen) < size:
            start = int(rng.integers(n))
            if seen[start]:
                continue
            seen[start] = True
            queue = deque([start])
            while queue and len(chosen) < size:
                v = queue.popleft()
                chosen.append(v)
                for u in indices[indptr[v] : indptr[v + 1]]:
                    if not seen[u]:
                        seen[u] = True
                        queue.append(int(u))
        return [nodes[i] for i in chosen]

    return draw


def pilot_group_starters(G, size):
    """Return a function ``rng -> people``: a line leader and ``size - 1`` members of their team.

    A pilot group in the organisation `G` (built by `senge_course.models.org.organisation`): a team is
    drawn at random, its line leader joins, and ``size - 1`` of its members drawn at random.

    Parameters
    ----------
    G : networkx.Graph
        An organisation: nodes with ``role`` and ``team`` attributes.
    size : int
        People in the pilot group (1 to the smallest team's size).

    Returns
    -------
    callable
        ``draw(rng)`` returns a list of `size` people.

    Raises
    ------
    ValueError
        If `G` has no teams with a line leader, or `size` exceeds a team's size.

    Examples
    --------
    >>> from senge_course.models.org import organisation
    >>> G = organisation(teams=4, team_size=6, seed=1)
    >>> group = pilot_group_starters(G, 3)(np.random.default_rng(0))
    >>> [G.nodes[v]["role"] for v in group], len({G.nodes[v]["team"] for v in group})
    (['line_leader', 'member', 'member'], 1)
    """
    if not isinstance(G, nx.Graph):
        raise TypeError(f"G must be an organisation graph, got G of type {type(G).__name__}")
    teams = {}
    for v, data in G.nodes(data=True):
        if data.get("role") == "line_leader":
            teams.setdefault(data.get("team"), [None, []])[0] = v
    for v, data in G.nodes(data=True):
        if data.get("role") == "member" and data.get("team") in teams:
            teams[data["team"]][1].append(v)
    teams = [(leader, members) for leader, members in teams.values() if leader is not None]
    if not teams:
        raise ValueError(
            "G must be an organisation with line leaders (org.organisation builds one)"
        )
    smallest = min(len(members) + 1 for _, members in teams)
    size = check_integer("size", size, low=1, high=smallest)

    def draw(rng):
        leader, members = teams[int(rng.integers(len(teams)))]
        picked = rng.choice(len(members), size=size - 1, replace=False)
        return [leader, *(members[i] for i in sorted(picked.tolist()))]

    return draw


def cascade_probability_curve(zs, phi):
    """`cascade_probability(z, phi)` for every z in `zs` at once (for drawing the curve).

    The same quantity as `senge_course.models.contagion.cascade_probability` (the tests hold them
    equal), vectorised over z: Newton's method from u = 0 on the convex function
    ``g(u) = 1 - G1(1) + G1(u) - u`` climbs to its smallest root, for all z together.
    """
    zs = np.asarray(zs, dtype=float)
    out = np.zeros(zs.shape)
    k_star = vulnerable_degree(phi)
    live = zs > 0
    if k_star < 2 or not live.any():
        return out
    z = zs[live][:, None]
    k = np.arange(k_star + 1, dtype=float)
    pk = np.exp(k * np.log(z) - z - special.gammaln(k + 1))
    coef = k * pk / z  # coefficients of G1, by power k - 1
    g1_at_1 = coef.sum(axis=1)
    slope_at_1 = (coef[:, 2:] * (k[2:] - 1)).sum(axis=1)
    u = np.zeros(z.shape[0])
    for _ in range(200):
        powers = u[:, None] ** (k[1:] - 1)
        g = 1.0 - g1_at_1 + (coef[:, 1:] * powers).sum(axis=1) - u
        dg = (coef[:, 2:] * (k[2:] - 1) * u[:, None] ** np.maximum(k[2:] - 2, 0)).sum(axis=1) - 1
        step = np.where((g > 0) & (dg < 0), g / np.where(dg < 0, dg, -1.0), 0.0)
        u = np.minimum(u - step, 1.0)
        if np.all(np.abs(step) < 1e-14):
            break
    probability = -np.expm1(z[:, 0] * (u - 1.0))
    out[live] = np.where(slope_at_1 > 1.0, probability, 0.0)
    return out


def final_shares(net, phi, start, size, runs, seed):
    """Committed share at the end of each run (read-only): the batch both apps and tests share."""
    if start == "lone champion":
        starters = RandomStarters(count=1)
    elif start == "scattered":
        starters = RandomStarters(count=size)
    else:
        starters = cluster_starters(net, size)
    finals = np.array(simulate_many(net, phi, starters, runs=runs, seed=seed).final_fraction)
    finals.setflags(write=False)
    return finals
