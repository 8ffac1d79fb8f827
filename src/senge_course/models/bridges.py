"""Bridges between teams: why a complex practice needs wide bridges, and long ties block it.

Centola & Macy (2007) and Centola (2010) distinguished *simple* contagions (one contact is
enough, like news) from *complex* ones (a person needs several committed contacts, like a costly
or risky practice).  Long ties that make a network a small world speed simple contagions and
block complex ones; a complex practice crosses between groups only over a *wide bridge*: several
ties landing on people who are neighbours, so that they reinforce each other.

Two experiments: `bridge_outcome` (team A, all committed, and team B, `two_teams`, joined by a few
ties, `bridge_ties` naming the placements: how many of team B commit?) and `long_tie_sweep`
(rings rewired into long ties with probability p, `topologies.rewired`: how far do a simple and a
complex practice spread?).

Three ties placed as a wide bridge (two of them on B1, one on her neighbour B2) carry a practice
that needs two committed contacts into the whole of team B; spread out, they carry nothing.

>>> bridge_outcome(bridge_ties("wide bridge")).team_b_committed
10
>>> bridge_outcome(bridge_ties("spread out")).team_b_committed
0

References
----------
Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. AJS 113(3).
Centola, D. (2010). The spread of behavior in an online social network experiment. Science 329.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from numbers import Integral
from types import MappingProxyType

import networkx as nx
import numpy as np

from .._validate import check_fraction, check_integer, check_one_of
from . import contagion, topologies
from ._arrays import ReadOnlyMapping, frozen

__all__ = [
    "PLACEMENTS",
    "PRACTICES",
    "P_GRID",
    "BridgeOutcome",
    "LongTieOutcome",
    "LongTieSweep",
    "bridge_outcome",
    "bridge_pairs",
    "bridge_ties",
    "long_tie_sweep",
    "person_index",
    "rewired_ring",
    "two_teams",
]

#: The ways `BridgeExplorer` can place its three ties.
PLACEMENTS = ("wide bridge", "two on one, one far", "spread out", "one long tie", "your own")
#: Rewiring probabilities `LongTieExplorer` offers (and `long_tie_sweep` measures by default).
P_GRID = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: The two practices of the bridge and long-tie apps: committed contacts each person needs.
PRACTICES = MappingProxyType({"complex": 2, "simple": 1})


def two_teams(size=10, k=4):
    """Return two teams of `size` (5 to 50) people, A and B, each a ring of `k` ties per person.

    In each team everyone is tied to the k/2 nearest colleagues on either side (a ring lattice,
    as in Centola & Macy 2007): neighbours share neighbours.  No tie joins the teams.  People
    ``0 .. size-1`` are team A (team 0, labels ``"A1"``...), the rest team B (``"B1"``...); all
    are members, ties ``"informal"``: an organisation (`senge_course.models.org`).

    >>> G = two_teams()
    >>> G.number_of_nodes(), G.number_of_edges(), G.nodes[12]["label"]
    (20, 40, 'B3')
    """
    size = check_integer("size", size, low=5, high=50)
    ring = topologies.ring_lattice(size, k)
    G = nx.disjoint_union(ring, ring)
    G.graph.update(name="two teams", teams=2)
    for v in G:
        G.nodes[v].update(team=v // size, label=f"{'AB'[v // size]}{v % size + 1}")
    return G


def bridge_ties(placement, size=10):
    """Return the ties of a named placement between the two teams of `two_teams`, as label pairs.

    ``"wide bridge"``: A1-B1, A2-B1, A2-B2 (B1 hears from two people, her neighbour B2 from one
    and from B1); ``"two on one, one far"``: A1-B1, A2-B1, A3-B6; ``"spread out"``: A1-B1,
    A4-B4, A7-B7 (three different, distant people); ``"one long tie"``: A1-B1.  Labels count
    from 1 (``B6`` is the sixth person of team B); `size` is at least 7.

    >>> bridge_ties("wide bridge")
    [('A1', 'B1'), ('A2', 'B1'), ('A2', 'B2')]
    """
    check_one_of("placement", placement, PLACEMENTS[:-1])
    far = check_integer("size", size, low=7, high=50) // 2 + 1
    return {
        "wide bridge": [("A1", "B1"), ("A2", "B1"), ("A2", "B2")],
        "two on one, one far": [("A1", "B1"), ("A2", "B1"), ("A3", f"B{far}")],
        "spread out": [("A1", "B1"), ("A4", "B4"), ("A7", "B7")],
        "one long tie": [("A1", "B1")],
    }[placement]


@dataclass(frozen=True)
class BridgeOutcome:
    """What happens when team A (all committed) is joined to team B by some ties.

    ``ties`` are (person in A, person in B) labels, ``practice`` is ``"complex"`` or ``"simple"``,
    ``graph`` the two teams with the ties (kind ``"bridge"``); per person, ``committed`` at the
    end and ``adoption_round`` (0 for team A, -1 never); ``team_b_committed`` how many of team B
    commit, ``size`` the team size, ``rounds`` the rounds until nothing changed.
    """

    ties: tuple
    practice: str
    graph: nx.Graph = field(repr=False, compare=False)
    committed: np.ndarray = field(repr=False, compare=False)
    adoption_round: np.ndarray = field(repr=False, compare=False)
    team_b_committed: int
    size: int
    rounds: int

    @property
    def crossed(self):
        """True when all of team B committed."""
        return self.team_b_committed == self.size

    @property
    def summary(self):
        """One or two sentences saying where the practice went."""
        need, n, size = PRACTICES[self.practice], len(self.ties), self.size
        what = f"A {self.practice} practice (each person needs {need} committed contact"
        what += f"{'s' if need > 1 else ''})"
        ties = ", ".join(f"{a}-{b}" for a, b in self.ties)
        ties = f"{n} tie{'s' if n > 1 else ''}: {ties}" if n else "no ties between the teams"
        labels = self.graph.nodes(data="label")
        who = ", ".join(labels[v] for v in range(size, 2 * size) if self.committed[v])
        if self.crossed:
            verdict = f"crossed: all {size} people of team B committed within {self.rounds} rounds."
        elif self.team_b_committed:
            verdict = (
                f"did not cross: only {self.team_b_committed} of {size} people of team B "
                f"committed ({who}), and the rest never heard it from two colleagues."
            )
        else:
            verdict = f"did not cross: nobody in team B committed (0 of {size})."
        return f"With {ties}. {what} {verdict}"


def bridge_outcome(ties, practice="complex", size=10):
    """Return what happens (a `BridgeOutcome`) when team A, all committed, is joined to team B by `ties`.

    The teams are `two_teams(size)`; team A has piloted the practice and is all committed.  Each
    person of team B commits once `PRACTICES[practice]` of their contacts are (absolute
    thresholds, Centola & Macy 2007): 2 for a ``"complex"`` practice, 1 for a ``"simple"`` one.
    `ties` are at most 3 pairs (see `bridge_pairs`), each joining a person of team A to one of B.

    Two ties on one person commit only her; a simple practice crosses even one long tie.

    >>> bridge_outcome(bridge_ties("two on one, one far")).team_b_committed
    1
    >>> bridge_outcome(bridge_ties("one long tie"), practice="simple").crossed
    True
    """
    practice = check_one_of("practice", practice, tuple(PRACTICES))
    G = two_teams(size)
    pairs = bridge_pairs(ties, size)
    G.add_edges_from(pairs, kind="bridge")
    r = contagion.simulate(G, PRACTICES[practice], list(range(size)), absolute=True)
    committed = np.array(r.committed)
    labels = tuple((G.nodes[a]["label"], G.nodes[b]["label"]) for a, b in pairs)
    b_committed = int(committed[size:].sum())
    adoption = np.array(r.adoption_round)
    return BridgeOutcome(labels, practice, G, committed, adoption, b_committed, size, int(r.rounds))


@dataclass(frozen=True)
class LongTieSweep:
    """Simple and complex practices on a rewired ring, for each rewiring probability.

    ``p`` holds the rewiring probabilities; ``n``, ``k``, ``networks``, ``seed`` the ring size,
    ties per person, networks per probability and seed.  Per practice (``"simple"``,
    ``"complex"``), one value per p: ``final`` the mean share adopting at the end,
    ``rounds_to_90`` the mean rounds until 90% adopt, over the networks where that happened
    (NaN where it never did), ``reached_90`` the share of the networks where it did.
    """

    p: np.ndarray = field(repr=False)
    n: int = 200
    k: int = 4
    networks: int = 10
    seed: int = 1
    final: dict = field(default_factory=dict, repr=False)
    rounds_to_90: dict = field(default_factory=dict, repr=False)
    reached_90: dict = field(default_factory=dict, repr=False)

    def at(self, p):
        """Return the `LongTieOutcome` at probability `p` (one of ``self.p``)."""
        i = int(np.flatnonzero(np.isclose(self.p, check_fraction("p", p)))[0])
        shares = {n: (float(self.final[n][i]), float(self.rounds_to_90[n][i])) for n in PRACTICES}
        return LongTieOutcome(float(self.p[i]), MappingProxyType(shares), self.networks)

    @property
    def summary(self):
        """One sentence: both practices with no long ties and with every tie rewired."""
        ends = [self.at(p) for p in (self.p[0], self.p[-1])]
        said = "; ".join(f"at p = {end.p:g}, {end.said()}" for end in ends)
        return f"Averaged over {self.networks} networks of {self.n} people: {said}."


@dataclass(frozen=True, eq=False)
class LongTieOutcome(ReadOnlyMapping, over="shares"):
    """Both practices at one rewiring probability: practice -> (mean final share, rounds to 90%).

    A read-only mapping (``outcome["complex"]``); ``rounds to 90%`` is NaN where 90% of people
    never adopted.  ``p`` is the probability, ``networks`` the networks averaged over.

    >>> long_tie_sweep((0.0,)).at(0.0)["simple"]
    (1.0, 45.0)
    """

    p: float
    shares: Mapping = field(repr=False)
    networks: int = 10

    def said(self):
        """Return how far and how fast each practice spread, in words."""
        parts = []
        for name in ("simple", "complex"):
            share, rounds = self.shares[name]
            when = "never 90%" if math.isnan(rounds) else f"90% within {rounds:.0f} rounds"
            parts.append(f"the {name} practice reaches {share:.0%} of people, {when}")
        return ", and ".join(parts)

    @property
    def summary(self):
        """One sentence: how far and how fast each practice spread, on average."""
        return f"With p = {self.p:g}, on average over {self.networks} networks {self.said()}."


def long_tie_sweep(p_values=P_GRID, *, n=200, k=4, networks=10, seed=1):
    """Return how far and how fast a simple and a complex practice spread on rewired rings.

    For each probability p in `p_values`, `networks` rings (`topologies.ring_lattice(n, k)`) are
    rewired (network i: `topologies.rewired(ring, p, seed=seed + i)`), and on each a practice
    starts from two neighbouring people (0 and 1): a *simple* practice needs one committed
    contact, a *complex* one two.  Long ties shorten every path, which speeds the simple
    practice; but every rewired tie is a local tie lost, and the complex practice, which needs
    two committed contacts among one's neighbours, stalls (Centola & Macy 2007).

    With no long ties both practices reach everyone, the simple one twice as fast; with every
    tie rewired the simple one is fast and the complex one barely leaves its start.

    >>> sweep = long_tie_sweep((0.0, 1.0))
    >>> dict(sweep.at(0.0))
    {'complex': (1.0, 89.0), 'simple': (1.0, 45.0)}
    >>> sweep.at(1.0)["complex"][0] < 0.05, sweep.at(1.0)["simple"]
    (True, (1.0, 5.0))
    """
    p_values = tuple(check_fraction("p", p) for p in p_values)
    return _sweep(p_values, n, k, check_integer("networks", networks, low=1, high=100), seed)


@lru_cache(maxsize=16)
def _sweep(p_values, n, k, networks, seed):
    final, rounds, reached = ({name: [] for name in PRACTICES} for _ in range(3))
    for p in p_values:
        # the networks side by side: one run spreads the practice on all of them at once
        net = contagion.side_by_side(
            [contagion.prepare(rewired_ring(n, k, p, seed + i)) for i in range(networks)]
        )
        starts = [i * n + j for i in range(networks) for j in (0, 1)]
        for name, need in PRACTICES.items():
            adoption = contagion.simulate(net, need, starts, absolute=True).adoption_round
            adoption = adoption.reshape(networks, n)
            last = int(adoption.max())
            by_round = (
                np.stack(
                    [
                        np.count_nonzero((adoption >= 0) & (adoption <= t), axis=1)
                        for t in range(last + 1)
                    ],
                    axis=1,
                )
                / n
            )
            hits = [np.flatnonzero(row >= 0.9 - 1e-12) for row in by_round]
            times = [int(hit[0]) for hit in hits if hit.size]
            final[name].append(float(np.mean(by_round[:, -1])))
            rounds[name].append(float(np.mean(times)) if times else math.nan)
            reached[name].append(len(times) / networks)
    final, rounds, reached = (
        {m: frozen(v) for m, v in d.items()} for d in (final, rounds, reached)
    )
    return LongTieSweep(frozen(p_values), n, k, networks, seed, final, rounds, reached)


@lru_cache(maxsize=256)
def rewired_ring(n, k, p, seed):
    """Return ``topologies.rewired(topologies.ring_lattice(n, k), p, seed=seed)``, cached: read only."""
    return topologies.rewired(_ring(n, k), p, seed=seed)


@lru_cache(maxsize=8)
def _ring(n, k):
    """`topologies.ring_lattice(n, k)`, built once (`topologies.rewired` copies it)."""
    return topologies.ring_lattice(n, k)


def person_index(person, size=10):
    """Return the person number of a label ("A1" .. "B10") or a number (0 .. 2*size-1) in `two_teams(size)`."""
    if isinstance(person, str):
        text = person.strip().upper()
        if len(text) >= 2 and text[0] in "AB" and text[1:].isdigit() and 1 <= int(text[1:]) <= size:
            return (0 if text[0] == "A" else size) + int(text[1:]) - 1
        raise ValueError(
            f"people in the two teams are A1 to A{size} and B1 to B{size}, got {person!r}"
        )
    if isinstance(person, Integral) and not isinstance(person, bool) and 0 <= person < 2 * size:
        return int(person)
    raise ValueError(
        f"people in the two teams are A1 to A{size} and B1 to B{size} (or numbers 0 to "
        f"{2 * size - 1}), got {person!r}"
    )


def bridge_pairs(ties, size=10, *, budget=3):
    """Return `ties` (pairs of labels such as ``("A1", "B1")`` or numbers) as (A, B) person numbers.

    Raises naming the problem: more ties than the `budget`, a tie within one team, a person who is
    not in the two teams of `two_teams(size)`, or the same tie twice.

    >>> bridge_pairs([("A1", "B1"), ("b2", "a2")])
    [(0, 10), (1, 11)]
    """
    if isinstance(ties, (str, bytes)) or not hasattr(ties, "__iter__"):
        raise TypeError(f"ties must be a list of (A person, B person) pairs, got {ties!r}")
    ties = list(ties)
    if len(ties) > budget:
        raise ValueError(f"the budget is {budget} ties, got {len(ties)}")
    pairs = []
    for tie in ties:
        if isinstance(tie, (str, bytes)) or not hasattr(tie, "__len__") or len(tie) != 2:
            raise ValueError(f"each tie must be a pair such as ('A1', 'B1'), got {tie!r}")
        a, b = sorted(person_index(x, size) for x in tie)
        if a >= size or b < size:
            raise ValueError(
                f"each tie must join a person of team A to one of team B, got {tuple(tie)!r}"
            )
        if (a, b) in pairs:
            raise ValueError(
                f"the tie A{a + 1}-B{b - size + 1} appears twice: two people share at most one tie"
            )
        pairs.append((a, b))
    return pairs
