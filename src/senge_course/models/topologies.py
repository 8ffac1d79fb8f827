"""Network topologies for the lessons on complex contagion: lattices, rewiring, random regular.

Centola & Macy (2007) and Centola (2010) compared a clustered network (neighbours share
neighbours) with a random one of the same degree: a practice that needs two contacts spreads
along the first and stalls on the second.  Each function returns an organisation of one team of
members (``role="member"``, ``team=0``, ties ``kind="informal"``; a rewired long tie has
``kind="bridge"``), so every model of the course runs on it.

>>> G = ring_lattice(20, 4)
>>> G.number_of_nodes(), G.number_of_edges()
(20, 40)
"""

import networkx as nx
import numpy as np

from .._validate import check_fraction, check_graph, check_integer, check_seed
from .org import MAX_PEOPLE

__all__ = ["clustered_lattice", "random_regular", "rewired", "ring_lattice"]


def ring_lattice(n, k):
    """Return a ring of `n` people (3 to `MAX_PEOPLE`), each tied to the `k` nearest, k/2 a side.

    A ring lattice is highly clustered: neighbours share neighbours, so a practice that needs two
    contacts (a complex contagion) can spread along it.  `k` is even, 2 to n - 1; people are
    labelled ``"P1"``, ``"P2"``, ...

    In a ring of 10 with 4 ties each, half the pairs of a person's contacts are tied.

    >>> G = ring_lattice(10, 4)
    >>> G.number_of_edges(), nx.average_clustering(G)
    (20, 0.5)
    """
    n = check_integer("n", n, low=3, high=MAX_PEOPLE)
    k = check_integer("k", k, low=2, high=n - 1)
    if k % 2:
        raise ValueError(f"k must be an even whole number (k/2 neighbours on each side), got k={k}")
    return _peer_organisation(nx.circulant_graph(n, range(1, k // 2 + 1)), "ring lattice")


def rewired(G, p, *, seed=None):
    """Return a copy of `G` in which a share `p` (0 to 1) of the ties is rewired, keeping degrees.

    Each tie is chosen with probability `p`; chosen ties are swapped in pairs (``a-b`` and
    ``c-d`` become ``a-d`` and ``c-b``, or ``a-c`` and ``b-d``) when that creates no self-tie or
    duplicate, so everyone keeps their number of ties (Watts & Strogatz's rewiring, in the
    degree-keeping form of Centola & Macy 2007); a chosen tie with no valid partner stays.  New
    ties have kind ``"bridge"``: long ties.  `G` is any undirected graph without self-ties; the
    same `seed` gives the same graph.

    Rewiring every tie of a ring lattice keeps every degree at 4 but makes the
    network far less clustered.

    >>> G = ring_lattice(60, 4)
    >>> H = rewired(G, 1.0, seed=1)
    >>> sorted({d for _, d in H.degree()}), nx.average_clustering(H) < 0.2
    ([4], True)
    """
    check_graph(G)
    p = check_fraction("p", p)
    rng = check_seed(seed)
    H = G.copy()
    edges = list(G.edges())
    pool = [edges[i] for i in np.flatnonzero(rng.random(len(edges)) < p)]
    pool = [pool[i] for i in rng.permutation(len(pool))]
    while len(pool) >= 2:
        a, b = pool.pop()
        for index in rng.permutation(len(pool)):
            c, d = pool[index]
            if len({a, b, c, d}) < 4:
                continue
            options = [((a, d), (c, b)), ((a, c), (b, d))]
            if rng.random() < 0.5:
                options.reverse()
            for (x1, y1), (x2, y2) in options:
                if not H.has_edge(x1, y1) and not H.has_edge(x2, y2):
                    H.remove_edges_from([(a, b), (c, d)])
                    H.add_edges_from([(x1, y1), (x2, y2)], kind="bridge")
                    break
            else:
                continue
            pool.pop(int(index))
            break
    return H


def clustered_lattice(rows=10, cols=10):
    """Return a clustered lattice: a triangular grid on a torus, everyone with 6 neighbours.

    Centola (2010) compared clustered lattices with random networks in which everyone had as
    many contacts (:func:`random_regular`): a behaviour that needs reinforcement spread further
    in the clustered one.  Person ``r * cols + c`` (attributes ``row``, ``col``; `rows` and
    `cols` at least 3) is tied left and right, above and below and on one diagonal, wrapping
    around the edges.

    Everyone has 6 contacts, 6 of the 15 pairs of which are tied (clustering 0.4).

    >>> G = clustered_lattice(10, 10)
    >>> sorted({d for _, d in G.degree()}), round(nx.average_clustering(G), 3)
    ([6], 0.4)
    """
    rows = check_integer("rows", rows, low=3)
    cols = check_integer("cols", cols, low=3)
    if rows * cols > MAX_PEOPLE:
        raise ValueError(
            f"rows * cols must be at most {MAX_PEOPLE} people, got rows={rows}, cols={cols}"
        )
    H = nx.Graph()
    H.add_nodes_from(range(rows * cols))
    for r in range(rows):
        for c in range(cols):
            v = r * cols + c
            for dr, dc in ((0, 1), (1, 0), (1, 1)):
                H.add_edge(v, ((r + dr) % rows) * cols + (c + dc) % cols)
    G = _peer_organisation(H, "clustered lattice")
    for v in G:
        G.nodes[v].update(row=v // cols, col=v % cols)
    return G


def random_regular(n, degree=6, *, seed=None):
    """Return a random network of `n` people, each with exactly `degree` contacts (1 to n - 1).

    The random counterpart of :func:`clustered_lattice` (Centola 2010): as many contacts each,
    but contacts rarely know each other.  ``n * degree`` must be even (every tie has two ends).

    Same degree as the 10 x 10 clustered lattice, far less clustering.

    >>> G = random_regular(100, 6, seed=1)
    >>> sorted({d for _, d in G.degree()}), nx.average_clustering(G) < 0.15
    ([6], True)
    """
    n = check_integer("n", n, low=2, high=MAX_PEOPLE)
    degree = check_integer("degree", degree, low=1, high=n - 1)
    if n * degree % 2:
        raise ValueError(
            f"n * degree must be even (every tie has two ends), got n={n}, degree={degree}"
        )
    rng = check_seed(seed)
    H = nx.random_regular_graph(degree, n, seed=int(rng.integers(2**31)))
    return _peer_organisation(H, "random regular")


def _peer_organisation(H, name):
    """Give a plain graph the attributes of an organisation of one team of members."""
    G = nx.Graph(name=name, teams=1)
    G.add_nodes_from(
        (int(v), {"role": "member", "team": 0, "level": 2, "label": f"P{i + 1}"})
        for i, v in enumerate(sorted(H))
    )
    G.add_edges_from(((int(u), int(v)) for u, v in H.edges()), kind="informal")
    return G
