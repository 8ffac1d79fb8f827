"""Cascades: when does a new practice go global on a network, and how should it start?

Watts (2002) asked when one person can set off a *global cascade* on a random network where
everyone needs a share `phi` of their contacts committed: only inside a *window* of mean degree
(`cascade_window`): too few contacts and the network falls apart, too many and one committed
contact is too small a share of anyone's network.  `cascade_probability` is the chance one random
person sets one off; `final_size` the share reached from a seed fraction (Gleeson & Cahalane 2007).

Simulations: `simulated_cascades` (and `cascade_runs`, what `CascadeExplorer` shows) on
Erdos-Renyi networks (`random_network`), started by a lone champion, a pilot group (a connected
group, `cluster_starters`) or scattered champions; and `pilot_runs` (what `PilotExplorer`
shows): the three starts in an organisation of teams, where a pilot group is a line leader and
members of one team (`pilot_group_starters`).  Their inputs are the tables `CASCADES` and
`PILOTS` (`CASCADE_CONTROLS`: the app's narrower ranges).  Batches are cached per session.

References
----------
Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9), 5766-5771.
Gleeson, J. P., & Cahalane, D. J. (2007). Seed size strongly affects cascades on random
networks. Physical Review E 75, 056103.
"""

import math
from collections import deque
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache

import networkx as nx
import numpy as np
from scipy import optimize, special

from .._validate import check_fraction, check_integer, check_number, check_one_of, check_seed
from ._arrays import frozen
from .contagion import THRESHOLD_SLACK, RandomStarters, prepare, simulate, simulate_many
from .crowd import smallest_fixed_point
from .parameters import Parameters, param

__all__ = [
    "CASCADES",
    "CASCADE_CONTROLS",
    "GLOBAL_SHARE",
    "PEOPLE_OPTIONS",
    "PILOTS",
    "RUN_OPTIONS",
    "STARTS",
    "TEAMS",
    "TEAM_SIZE",
    "TEAM_WON",
    "CascadeResult",
    "PilotResult",
    "cascade_network",
    "cascade_probability",
    "cascade_probability_curve",
    "cascade_runs",
    "cascade_window",
    "cluster_starters",
    "final_size",
    "pilot_batch",
    "pilot_group_starters",
    "pilot_organisation",
    "pilot_runs",
    "random_network",
    "simulated_cascades",
    "vulnerable_degree",
]

#: A run is a *global cascade* when at least this share of people end up committed.
GLOBAL_SHARE = 0.1

#: A team is *won over* when at least this share of its people (leader and members) commit.
TEAM_WON = 0.8

#: The ways to start a practice, as the apps name them.
STARTS = ("lone champion", "pilot group", "scattered")

#: Network sizes and batch sizes `CascadeExplorer` offers.
PEOPLE_OPTIONS = (2000, 5000, 10000)
RUN_OPTIONS = (50, 100, 200)

#: `pilot_organisation`: 3 executives and `TEAMS` teams of `TEAM_SIZE` (a line leader and
#: members), half the pairs in a team tied.
TEAMS, TEAM_SIZE, EXECUTIVES, P_IN = 12, 10, 3, 0.5

_PHI = param(
    0.18,
    "(0, 1]",
    0.01,
    "Threshold φ",
    "share of a person's contacts who must be committed before they commit",
    unit="share of contacts",
)
_SEED = param(1, "[0, inf) int", None, "", "seed of the network and the runs")

#: `cascade_window`: above this K* the lower edge is 1.0 to float precision (a shortcut).
_WINDOW_DIRECT_K = 10**6
#: `cascade_window`: above this K* - 1 the upper edge is the Poisson tail's normal limit.
_NORMAL_TAIL_K = 1e20
#: `cascade_probability` sums over at most about 94,000 degrees: up to this mean degree.
_MAX_SUMMED_Z = 90_000

#: Inputs of `simulated_cascades` and `cascade_runs` (a random network and how it starts).
CASCADES = Parameters(
    phi=_PHI,
    z=param(4.0, "[0, 50]", 0.1, "Mean degree z", "contacts per person"),
    size=param(10, "[1, inf) int", None, "Group size", "people who start", control_high=50),
    n=param(2000, "[10, 100000] int", None, "People", unit="people"),
    runs=param(100, "[1, inf) int", None, "Runs", "runs per batch"),
    seed=_SEED,
)

#: Inputs of `pilot_runs` (the organisation of teams, and the three starts in it): the ranges
#: `PilotExplorer` offers.
PILOTS = Parameters(
    phi=replace(_PHI, default=0.3, low=0.05, high=0.5, low_open=False),
    size=param(4, f"[2, {TEAM_SIZE}] int", None, "Group size", "people who start"),
    outside_ties=param(1.0, "[0, 3]", 0.5, "Ties outside own team", "mean per person"),
    runs=param(200, "[1, 2000] int", None, "", "runs per start"),
    seed=_SEED,
)

#: The ranges `CascadeExplorer` offers (a test holds them inside the model's).
CASCADE_CONTROLS = Parameters(
    phi=replace(_PHI, low=0.05, high=0.4, low_open=False),
    z=replace(CASCADES["z"], low=0.5, high=12.0),
    size=replace(CASCADES["size"], low=2, high=50),
)


def cascade_window(phi):
    """Return the range of mean degree z in which one seed can set off a global cascade.

    Watts (2002): on a Poisson (Erdos-Renyi) random network where everyone has threshold `phi`
    in (0, 1], a person with k neighbours is *vulnerable* (one committed neighbour suffices) when
    ``k <= K* = floor(1/phi)``.  Cascades need the vulnerable to percolate: the window's edges
    solve ``sum_{2<=k<=K*} k (k - 1) P_k = z``, for a Poisson graph ``z * P(Poisson(z) <= K* -
    2) = 1``.  Returns ``(z_low, z_high)``, or None when no mean degree allows cascades.  For
    phi = 0.18 (K* = 5) the window runs from about 1.02 to 5.76; lower thresholds widen it;
    above 1/4 it closes.

    Any phi in (0, 1] returns at once: the work is a bounded number of root-finding steps
    (scipy's ``brentq``, at most 100 iterations each, and no loop over degrees), whatever K*.
    As phi shrinks the lower edge tends to 1 and the upper edge grows like 1/phi: from K* above
    a million the lower edge is 1.0 to float precision, from K* above 1e20 the upper edge is
    ``K* - 1 + t sqrt(K* - 1)`` with ``t`` the normal quantile of ``1/z`` (the Poisson tail's
    normal limit, equal to float precision there), and when the upper edge is larger than the
    largest float (phi below about 5.6e-309) it is ``math.inf``.

    >>> [round(z, 3) for z in cascade_window(0.18)], [round(z, 2) for z in cascade_window(0.1)]
    ([1.021, 5.765], [1.0, 13.66])
    >>> cascade_window(0.3) is None
    True

    A threshold of one in a billion: anyone with up to a billion contacts is vulnerable, so the
    window runs from 1 to just above a billion.

    >>> z_low, z_high = cascade_window(1e-9)
    >>> z_low, round(z_high / 1e9, 4)
    (1.0, 1.0002)
    """
    phi = CASCADES["phi"].check("phi", phi)
    k = vulnerable_degree(phi)
    if k < 2:
        return None
    if k > _WINDOW_DIRECT_K:
        return 1.0, _upper_edge(k - 1)
    a, m = k - 1, k - 2  # P(Poisson(z) <= m) = gammaincc(m + 1, z)

    def excess(z):
        return z * special.gammaincc(a, z) - 1.0

    # the maximum of z * P(Poisson(z) <= m) solves P(Poisson(z) <= m) = z * P(Poisson(z) = m)
    def slope(z):
        return special.gammaincc(a, z) - z * math.exp(m * math.log(z) - z - math.lgamma(m + 1))

    zmax = optimize.brentq(slope, 1e-9, k + 10.0 * math.sqrt(k) + 10.0, xtol=1e-14)
    if excess(zmax) <= 0:
        return None
    z_low = optimize.brentq(excess, 1e-9, zmax, xtol=1e-14)
    top = 2.0 * zmax + 10.0
    while excess(top) > 0:  # pragma: no cover - the bracket above always suffices
        top *= 2
    return float(z_low), float(optimize.brentq(excess, zmax, top, xtol=1e-14))


def cascade_probability(z, phi):
    """Return the chance that one random seed sets off a global cascade (Watts 2002).

    On a Poisson random network with mean degree `z` >= 0 and threshold `phi` for everyone, a
    global cascade happens when the seed touches the giant cluster of *vulnerable* people (at
    most ``K* = floor(1/phi)`` neighbours).  With ``G1(x) = sum_{k<=K*} k P_k x**(k-1) / z``, the
    chance ``u`` that an edge does *not* lead into it is the smallest root of ``u = 1 - G1(1) +
    G1(u)`` (Watts's H1); the seed triggers a cascade when any neighbour does: ``1 - exp(z (u -
    1))``, what simulation measures.  For phi = 0.18, at z = 4 about 87% of single starters set
    one off (10,000-node simulations give 0.88); past the window (z = 6) none can.

    >>> round(cascade_probability(4, 0.18), 3), cascade_probability(6, 0.18)
    (0.865, 0.0)

    The work is bounded whatever `phi`: degrees more than 12 standard deviations (plus 30) above
    `z` have Poisson chances below 1e-30 and are left out of the sums, so a tiny `phi` costs no
    more than ``phi = 1 / (z + 12 sqrt(z) + 30)``.  With a threshold of one in a billion everyone
    is vulnerable and the answer is the giant component's share (98% at z = 4).

    >>> round(cascade_probability(4, 1e-9), 3)
    0.98

    Raises ValueError naming `z` in the one case it cannot compute quickly: a mean degree above
    90,000 with ``K*`` within 12 standard deviations (plus 30) of it.
    """
    z = check_number("z", z, low=0)
    phi = CASCADES["phi"].check("phi", phi)
    if z > _MAX_SUMMED_Z:  # only the cases that need no sum over degrees are quick
        low, high = _degree_span(z)
        k_star = vulnerable_degree(phi)
        if k_star < low:  # nearly nobody is vulnerable: no cluster of them
            return 0.0
        if k_star >= high:  # nearly everyone is: the giant component, all but e**-z of them
            return 1.0
        raise ValueError(
            f"z must be at most {_MAX_SUMMED_Z:,} contacts when phi={phi!r} makes people "
            f"with up to {k_star:,} contacts vulnerable (so close to z that every degree near z "
            f"counts), got z={z!r}"
        )
    return float(cascade_probability_curve([z], phi)[0])


def cascade_probability_curve(zs, phi):
    """`cascade_probability(z, phi)` for every z in `zs` at once (for drawing the curve).

    Newton's method from u = 0 on the convex ``g(u) = 1 - G1(1) + G1(u) - u`` climbs to its
    smallest root, for all z together.
    """
    zs = np.asarray(zs, dtype=float)
    out = np.zeros(zs.shape)
    k_star = vulnerable_degree(phi)
    live = zs > 0
    if k_star < 2 or not live.any():
        return out
    top = float(zs[live].max())
    if math.isfinite(top):  # degrees past the span have Poisson chances below 1e-30
        k_star = min(k_star, _degree_span(top)[1])
    z = zs[live][:, None]
    k = np.arange(k_star + 1, dtype=float)
    pk = np.exp(k * np.log(z) - z - special.gammaln(k + 1))
    coef = k * pk / z  # coefficients of G1, by power k - 1
    g1_at_1 = coef.sum(axis=1)
    slope_at_1 = (coef[:, 2:] * (k[2:] - 1)).sum(axis=1)  # a root below 1 iff G1'(1) > 1
    u = np.zeros(z.shape[0])
    for _ in range(200):
        powers = u[:, None] ** (k[1:] - 1)
        g = 1.0 - g1_at_1 + (coef[:, 1:] * powers).sum(axis=1) - u
        dg = (coef[:, 2:] * (k[2:] - 1) * u[:, None] ** np.maximum(k[2:] - 2, 0)).sum(axis=1) - 1
        step = np.where((g > 0) & (dg < 0), g / np.where(dg < 0, dg, -1.0), 0.0)
        u = np.minimum(u - step, 1.0)
        if np.all(np.abs(step) < 1e-14):
            break
    out[live] = np.where(slope_at_1 > 1.0, -np.expm1(z[:, 0] * (u - 1.0)), 0.0)
    return out


def final_size(z, phi, seed_fraction):
    """Return the expected final committed share when a random share of people start committed.

    Gleeson & Cahalane (2007): on a Poisson random network with mean degree `z`, everyone with
    fractional threshold `phi`, and a random share ``rho0`` = `seed_fraction` started, iterate

    ``q <- rho0 + (1 - rho0) sum_k (k P_k / z) P(Binomial(k - 1, q) >= k phi)``

    from ``q = rho0`` to its first fixed point; the committed share is then
    ``rho = rho0 + (1 - rho0) sum_k P_k P(Binomial(k, q) >= k phi)``, in [rho0, 1].  Seeds matter
    even outside Watts's window: in a dense network (z = 10, phi = 0.18) a 1% seed only doubles,
    but a 3% seed tips nearly everyone.

    >>> round(final_size(10, 0.18, 0.01), 3), round(final_size(10, 0.18, 0.03), 3)
    (0.02, 1.0)
    """
    z = check_number("z", z, low=0)
    phi = CASCADES["phi"].check("phi", phi)
    rho0 = check_fraction("seed_fraction", seed_fraction)
    if z == 0 or rho0 in (0.0, 1.0):
        return rho0
    k = np.arange(1, int(math.ceil(z + 12.0 * math.sqrt(z) + 30.0)) + 1)
    pk = np.exp(k * math.log(z) - z - special.gammaln(k + 1.0))
    need = np.ceil(phi * k * THRESHOLD_SLACK)  # committed neighbours needed by a person of degree k

    def at_least(trials, q):  # P(Binomial(trials, q) >= need), need >= 1
        return np.where(need > trials, 0.0, special.bdtrc(need - 1, trials, q))

    def step(q):
        return rho0 + (1.0 - rho0) * np.sum(k * pk / z * at_least(k - 1, q[:, None]), axis=1)

    q = float(smallest_fixed_point(lambda x: step(np.atleast_1d(x)), rho0, 1.0))
    rho = rho0 + (1.0 - rho0) * float(np.sum(pk * at_least(k, q)))
    return min(max(rho, rho0), 1.0)


def vulnerable_degree(phi):
    """Largest degree k at which one committed neighbour meets threshold phi (k * phi <= 1).

    Constant time for any phi > 0: the search starts next to the answer, and past 2**52 (where
    floats no longer tell k from k + 1) the answer is counted exactly with fractions; it is a
    Python int, larger than any float for subnormal phi.
    """
    guess = 1.0 / (phi * THRESHOLD_SLACK)  # inf for subnormal phi
    if guess >= 2.0**52:
        return int(1 / (Fraction(phi) * Fraction(THRESHOLD_SLACK)))
    k = int(guess)
    while (k + 1) * phi * THRESHOLD_SLACK <= 1.0:
        k += 1
    while k > 0 and k * phi * THRESHOLD_SLACK > 1.0:
        k -= 1
    return k


def _upper_edge(a):
    """The root z > a of ``z * P(Poisson(z) <= a - 1) = 1`` for a whole number a > 10**6 - 1."""
    if a > _NORMAL_TAIL_K:  # z = a + t sqrt(a), P(N(0, 1) > t) = 1 / z; float(a) may overflow
        if a >= 2**1024:
            return math.inf
        a = float(a)
        z = a
        for _ in range(3):  # a fixed point: t barely moves with z
            z = a - float(special.ndtri(1.0 / z)) * math.sqrt(a)
        return z
    a = float(a)

    def excess(z):
        return z * special.gammaincc(a, z) - 1.0

    # excess(a) is about a / 2 - 1 > 0; past a + 10 sqrt(a log a) the tail is far below 1 / z
    return float(optimize.brentq(excess, a, a + 10.0 * math.sqrt(a * math.log(a)) + 10.0))


def _degree_span(z):
    """Degrees ``(low, high)`` outside which a Poisson(z) degree has a chance below 1e-30."""
    spread = 12.0 * math.sqrt(z) + 30.0
    return max(0, math.floor(z - spread)), math.ceil(z + spread)


def cluster_starters(G, size):
    """Return a function ``rng -> people``: a connected group of `size` people (a pilot group).

    The group is a random person, then their contacts, their contacts' contacts and so on
    (breadth first) until it has `size` people (1 to n), continuing from another random person if
    that part of the network is too small.  `G` is a networkx graph or a `PreparedNetwork`; pass
    the function as ``starters=`` to `contagion.simulate` or `simulate_many`: each run draws its
    own group.

    On a star, a group of 4 grown from a leaf takes the leaf, the hub, then two more leaves.

    >>> draw = cluster_starters(nx.star_graph(6), 4)
    >>> group = draw(np.random.default_rng(3))
    >>> len(group), 0 in group
    (4, True)
    """
    net = prepare(G)
    size = check_integer("size", size, low=1, high=net.n)
    matrix = (net.matrix + net.matrix.T).tocsr() if net.directed else net.matrix  # ties both ways
    indptr, indices, nodes, n = matrix.indptr, matrix.indices, net.nodes, net.n

    def draw(rng):
        rng = rng if isinstance(rng, np.random.Generator) else check_seed(rng)
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

    A pilot group in the organisation `G` (`senge_course.models.org.organisation`): a random
    team's line leader and ``size - 1`` of its members at random (`size`: 1 to the smallest team).

    >>> from senge_course.models.org import organisation
    >>> G = organisation(teams=4, team_size=6, seed=1)
    >>> group = pilot_group_starters(G, 3)(np.random.default_rng(0))
    >>> [G.nodes[v]["role"] for v in group], len({G.nodes[v]["team"] for v in group})
    (['line_leader', 'member', 'member'], 1)
    """
    if not isinstance(G, nx.Graph):
        raise TypeError(f"G must be an organisation graph, got G of type {type(G).__name__}")
    leaders = {d.get("team"): v for v, d in G.nodes(data=True) if d.get("role") == "line_leader"}
    if not leaders:
        raise ValueError(
            "G must be an organisation with line leaders (org.organisation builds one)"
        )
    people = [(v, d.get("team")) for v, d in G.nodes(data=True) if d.get("role") == "member"]
    teams = [(leader, [v for v, t in people if t == team]) for team, leader in leaders.items()]
    size = check_integer("size", size, low=1, high=min(len(members) + 1 for _, members in teams))

    def draw(rng):
        leader, members = teams[int(rng.integers(len(teams)))]
        picked = rng.choice(len(members), size=size - 1, replace=False)
        return [leader, *(members[i] for i in sorted(picked.tolist()))]

    return draw


def _starters(start, size, pilot_group):
    """Who starts: one random person, `size` random people, or ``pilot_group(size)``."""
    if start == "pilot group":
        return pilot_group(size)
    return RandomStarters(count=1 if start == "lone champion" else size)


def random_network(n=2000, z=4.0, *, seed=1):
    """Return an Erdos-Renyi random network of `n` people with mean degree `z`.

    The network Watts (2002) analysed: every pair is tied with probability ``z / (n - 1)``.
    It is ``nx.fast_gnp_random_graph(n, z / (n - 1), seed=seed)``, so code can rebuild exactly
    the network an app shows.  `n` is 10 to 100,000, `z` 0 to 50, `seed` a whole number >= 0.

    >>> G = random_network(2000, 4, seed=1)
    >>> round(2 * G.number_of_edges() / len(G), 1)
    4.0
    """
    z, n, seed = CASCADES.check(dict(n=n, z=z, seed=seed)).values()
    return nx.fast_gnp_random_graph(n, z / (n - 1), seed=seed)


def cascade_network(n=2000, z=4.0, seed=1):
    """Return `random_network` prepared for simulation, built once per (n, z, seed)."""
    return _network(*CASCADES.check(dict(n=n, z=z, seed=seed)).values())


@lru_cache(maxsize=16)
def _network(z, n, seed):
    return prepare(random_network(n, z, seed=seed))


def simulated_cascades(z, phi=0.18, *, start="lone champion", size=10, n=2000, runs=100, seed=1):
    """Return the committed share at the end of each run, exactly as `CascadeExplorer` runs them.

    ``simulate_many(random_network(n, round(z, 2), seed=seed), phi, starters, runs=runs,
    seed=seed)``, the starters drawn afresh in every run: one random person (``"lone
    champion"``), a connected group of `size` (``"pilot group"``, `cluster_starters`) or `size`
    random people (``"scattered"``); the arguments as in `CASCADES`.  Returns one committed share
    per run (read-only, cached).  Above the window (z = 6.8 for phi = 0.18) a lone champion almost
    never goes global, a pilot group of 10 usually does:

    >>> lone = simulated_cascades(6.8)
    >>> pilot = simulated_cascades(6.8, start="pilot group")
    >>> int((lone >= GLOBAL_SHARE).sum()), int((pilot >= GLOBAL_SHARE).sum())
    (1, 76)
    """
    start = check_one_of("start", start, STARTS)
    values = CASCADES.check(dict(z=z, phi=phi, size=size, n=n, runs=runs, seed=seed))
    phi, z, size, n, runs, seed = values.values()
    return _finals(round(z, 2), phi, start, 1 if start == "lone champion" else size, n, runs, seed)


@lru_cache(maxsize=1024)
def _finals(z, phi, start, size, n, runs, seed):
    net = _network(z, n, seed)
    starters = _starters(start, size, lambda size: cluster_starters(net, size))
    return frozen(simulate_many(net, phi, starters, runs=runs, seed=seed).final_fraction)


@dataclass(frozen=True)
class CascadeResult:
    """A batch of runs on a random network, with Watts's theory beside it (from `cascade_runs`).

    ``phi`` ... ``seed`` as in `cascade_runs` (``size`` is 1 for a lone champion); ``window``
    and ``theory``: `cascade_window` (or None) and `cascade_probability` for a lone champion;
    ``final_fraction``: the committed share at the end of each run.
    """

    phi: float
    z: float
    start: str
    size: int
    n: int
    runs: int
    seed: int
    window: tuple | None
    theory: float
    final_fraction: np.ndarray = field(repr=False, compare=False)

    @property
    def global_runs(self):
        """Number of runs that went global (at least `GLOBAL_SHARE` of people committed)."""
        return int(np.count_nonzero(self.final_fraction >= GLOBAL_SHARE))

    @property
    def frequency(self):
        """Share of the runs that went global."""
        return self.global_runs / self.runs

    @property
    def mean_final(self):
        """Mean committed share at the end, over all runs."""
        return float(self.final_fraction.mean())

    @property
    def global_size(self):
        """Mean committed share in the runs that went global (nan if none did)."""
        big = self.final_fraction[self.final_fraction >= GLOBAL_SHARE]
        return float(big.mean()) if big.size else float("nan")

    @property
    def position(self):
        """Where `z` is relative to the window: ``"inside"``, ``"below"``, ``"above"`` or ``"closed"``."""
        if self.window is None:
            return "closed"
        low, high = self.window
        return "below" if self.z < low else "above" if self.z > high else "inside"

    @property
    def summary(self):
        """Two sentences: the window and where z is, and how many runs went global.

        >>> print(cascade_runs(z=8).summary)
        For threshold 0.18 the cascade window runs from mean degree 1.02 to 5.76; z = 8.0 is above it. A lone champion set off a global cascade in 0 of 100 runs (theory for a lone champion: 0%).
        """
        if self.window is None:
            where = (
                f"For threshold {self.phi:.2f} there is no cascade window: a lone champion can "
                "never set off a global cascade on a random network."
            )
        else:
            where = (
                f"For threshold {self.phi:.2f} the cascade window runs from mean degree "
                f"{self.window[0]:.2f} to {self.window[1]:.2f}; z = {self.z:.1f} is "
                f"{self.position} it."
            )
        who = {
            "lone champion": "A lone champion",
            "pilot group": f"A pilot group of {self.size}",
            "scattered": f"{self.size} scattered champions",
        }[self.start]
        theory = f" (theory for a lone champion: {self.theory:.0%})" if self.size == 1 else ""
        runs = f"{who} set off a global cascade in {self.global_runs} of {self.runs} runs{theory}"
        if self.global_runs:
            return f"{where} {runs}; those cascades reached {self.global_size:.0%} of people."
        return f"{where} {runs}."


def cascade_runs(phi=0.18, z=4.0, *, start="lone champion", size=10, n=2000, runs=100, seed=1):
    """Return the `CascadeResult` `CascadeExplorer` shows: `simulated_cascades` and the theory.

    `phi` is rounded to 4 decimals and `z` to 2, as the app shows them; the rest is as in
    `simulated_cascades`.

    >>> r = cascade_runs(0.18, 4)
    >>> r.position, r.global_runs, round(r.theory, 2)
    ('inside', 83, 0.87)
    """
    phi, z = round(CASCADES["phi"].check("phi", phi), 4), round(check_number("z", z), 2)
    finals = simulated_cascades(z, phi, start=start, size=size, n=n, runs=runs, seed=seed)
    size = 1 if start == "lone champion" else int(size)
    window, theory = cascade_window(phi), cascade_probability(z, phi)
    return CascadeResult(phi, z, start, size, int(n), int(runs), int(seed), window, theory, finals)


def pilot_organisation(outside_ties=1.0, seed=1):
    """Return ``(G, prepared network)``: the organisation `PilotExplorer` shows, built once.

    `senge_course.models.org.organisation` with 3 executives and `TEAMS` teams of `TEAM_SIZE`,
    half the pairs in a team tied and `outside_ties` informal ties per person outside their
    team on average.  ``G`` is frozen (read-only): it is shared by everyone who asks.
    """
    return _organisation(*PILOTS.check(dict(outside_ties=outside_ties, seed=seed)).values())


@lru_cache(maxsize=32)
def _organisation(outside_ties, seed):
    from .org import organisation

    p_out = min(1.0, outside_ties / ((TEAMS - 1) * TEAM_SIZE))
    G = organisation(
        teams=TEAMS, team_size=TEAM_SIZE, executives=EXECUTIVES, p_in=P_IN, p_out=p_out, seed=seed
    )
    return nx.freeze(G), prepare(G)


def pilot_batch(phi=0.3, size=4, outside_ties=1.0, start="pilot group", runs=200, seed=1):
    """Return the `BatchResult` of `runs` runs of `start` in `pilot_organisation`, built once.

    >>> round(float(pilot_batch().final_fraction.mean()), 3)
    0.082
    """
    start = check_one_of("start", start, STARTS)
    values = PILOTS.check(dict(phi=phi, size=size, outside_ties=outside_ties, runs=runs, seed=seed))
    phi, size, outside_ties, runs, seed = values.values()
    size = 1 if start == "lone champion" else size  # one batch for every group size
    return _pilot_batch(start, phi, size, outside_ties, runs, seed)


@lru_cache(maxsize=256)
def _pilot_batch(start, phi, size, outside_ties, runs, seed):
    G, net = _organisation(outside_ties, seed)
    starters = _starters(start, size, lambda size: pilot_group_starters(G, size))
    return simulate_many(net, phi, starters, runs=runs, seed=seed)


@dataclass(frozen=True)
class PilotResult:
    """Lone champion, pilot group and scattered champions in an organisation (from `pilot_runs`).

    ``phi``, ``size``, ``outside_ties``, ``start``, ``run`` (the run drawn, 0 first), ``runs``,
    ``seed`` as in `pilot_runs`; per start, ``teams_won`` (mean number of teams won over: at least
    `TEAM_WON` of the team committed at the end) and ``mean_final`` (mean committed share of the
    organisation at the end); ``committed`` (in node order) and ``starters`` of the run drawn.
    """

    phi: float
    size: int
    outside_ties: float
    start: str
    teams_won: dict
    mean_final: dict
    committed: np.ndarray = field(repr=False, compare=False)
    starters: tuple = field(repr=False)
    run: int = 0
    runs: int = 200
    seed: int = 1

    @property
    def summary(self):
        """Three sentences: the settings, teams won over and people committed per start, the run drawn."""
        t, m, size = self.teams_won, self.mean_final, self.size
        who = {
            "lone champion": "a lone champion",
            "pilot group": f"a pilot group of {size} (a line leader and {size - 1} members)",
            "scattered": f"{size} scattered champions",
        }[self.start]
        ties = "tie" if self.outside_ties == 1 else "ties"
        return (
            f"Threshold {self.phi:.2f}, {self.outside_ties:g} {ties} per person outside their "
            f"team, {self.runs} runs each: teams won over on average (of {TEAMS}): lone champion "
            f"{t['lone champion']:.2f}, pilot group of {size} {t['pilot group']:.2f}, {size} "
            f"scattered champions {t['scattered']:.2f}; share of everyone committed "
            f"{m['lone champion']:.0%}, {m['pilot group']:.0%} and {m['scattered']:.0%}. "
            f"The drawing shows run {self.run + 1} of {who}: {int(self.committed.sum())} of "
            f"{self.committed.size} people committed."
        )


def pilot_runs(phi=0.3, size=4, outside_ties=1.0, *, start="pilot group", run=0, runs=200, seed=1):
    """Return the `PilotResult` `PilotExplorer` shows: the three starts compared over `runs` runs.

    Each start is a `pilot_batch`; run `run` of `start` is replayed to know who started it.

    >>> r = pilot_runs()
    >>> {k: round(v, 2) for k, v in r.teams_won.items()}
    {'lone champion': 0.03, 'pilot group': 1.0, 'scattered': 0.4}
    """
    batches = {s: pilot_batch(phi, size, outside_ties, s, runs, seed) for s in STARTS}
    start = check_one_of("start", start, STARTS)
    run = check_integer("run", run, low=0, high=int(runs) - 1)
    G, net = pilot_organisation(outside_ties, seed)
    batch = batches[start]
    starters = _starters(start, int(size), lambda size: pilot_group_starters(G, size))
    replay = simulate(net, phi, starters, seed=int(batch.run_seeds[run]))
    starters = tuple(u for u, r in zip(net.nodes, replay.adoption_round, strict=True) if r == 0)
    team = np.array([G.nodes[u]["team"] for u in net.nodes])

    won = {
        s: sum(b.committed[:, team == t].mean(axis=1) >= TEAM_WON for t in range(TEAMS))
        for s, b in batches.items()
    }  # teams with TEAM_WON committed, per run
    teams_won = {s: float(w.mean()) for s, w in won.items()}
    mean_final = {s: float(b.final_fraction.mean()) for s, b in batches.items()}
    committed = np.array(batch.committed[run])
    settings = (float(phi), int(size), float(outside_ties), start, teams_won, mean_final)
    return PilotResult(*settings, committed, starters, run, int(runs), int(seed))
