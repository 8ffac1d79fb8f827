"""Who is placed to broker between teams: network measures mapped to informal roles.

Krackhardt & Hanson (1993) and Cross & Prusak (2002) found that the people who carry knowledge
across an organisation are often invisible on the formal chart.  `brokerage` measures everyone's
position (degree, betweenness, Burt's (2004) constraint and effective size, via networkx) and names
the role it suggests (central connector, boundary spanner, information broker, peripheral
specialist); `suggest_networkers` ranks candidate internal networkers by reach, not rank.

>>> from senge_course.models.org import add_networkers, organisation
>>> H = add_networkers(organisation(seed=1), count=3, seed=1)
>>> [s.label for s in suggest_networkers(H, k=3)]
['T1-6', 'L4', 'T1-4']
>>> print(suggest_networkers(H, k=3)[0].reason)
T1-6 (member, team 1): ties into 3 other teams (0, 2, 3); betweenness 0.15, effective size 5.7, constraint 0.20

None of the three is one of the networkers placed (T0-4, T2-3, T4-7): a wide bridge joins
several people on each side, and their ties, with everyday informal ones, reach other teams too.
"""

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from .._validate import check_graph, check_integer, check_one_of, check_seed
from .org import KINDS, NO_TEAM

__all__ = ["BrokerageRow", "NetworkerSuggestion", "brokerage", "suggest_networkers"]


#: Betweenness is exact up to this many people; above it, it is estimated from this many sampled
#: source people (networkx's ``k``, seeded), so a widget stays responsive.
EXACT_BETWEENNESS_UP_TO = 500


@dataclass(frozen=True)
class BrokerageRow:
    """One person's network measures, as :func:`brokerage` returns them.

    ``person``, ``label`` (the node as text if none), formal ``role`` (None if none) and
    ``team`` (-1, `NO_TEAM`, if none); ``degree``, the people they are tied to; ``betweenness``,
    the share of shortest paths between others through them (networkx, normalized, 0 to 1);
    Burt's ``constraint`` (high when their contacts are tied to each other, a closed circle; low
    on structural holes) and ``effective_size`` (contacts less the redundancy among them), NaN
    without ties; ``team_ties`` inside their own team (executives: to other executives; without
    teams: all), ``cross_team_ties`` to other teams, ``teams_reached``, how many other teams;
    ``network_role``, Cross & Prusak's role (`senge_course.models.org.NETWORK_ROLES`) or None.
    """

    person: int
    label: str
    role: str | None
    team: int
    degree: int
    betweenness: float
    constraint: float
    effective_size: float
    team_ties: int
    cross_team_ties: int
    teams_reached: int
    network_role: str | None


@dataclass(frozen=True)
class NetworkerSuggestion(BrokerageRow):
    """A person who could be an internal networker, as :func:`suggest_networkers` returns them.

    Their `BrokerageRow` measures (on the ties ranked on) and ``reason``: a sentence saying why.
    """

    reason: str = ""


def brokerage(G, *, kinds=None, seed=None):
    """Return every person's brokerage measures and Cross & Prusak role: a `BrokerageRow` each.

    The measures (degree, betweenness, Burt's constraint and effective size, ties to other
    teams) are computed on the ties whose ``kind`` is in `kinds` (default all;
    ``("informal", "bridge")`` is the informal network alone; ties without a kind always count,
    so any undirected graph works).  Each person gets the first of Cross & Prusak's (2002) roles
    whose rule holds:

    1. ``"boundary spanner"``: ties to at least 2 people in other teams;
    2. ``"information broker"``: betweenness above 0 and at least twice the average, with
       constraint at or below the median (they link people not otherwise linked);
    3. ``"central connector"``: the most ties inside their own group (their team; the
       executives form one group), and more than the group's median;
    4. ``"peripheral specialist"``: degree at most 1, or below half the median degree.

    `seed` is used only above `EXACT_BETWEENNESS_UP_TO` people, where betweenness is estimated.

    In a star, the centre lies on every path between the 4 others and their
    contacts are not tied to each other: constraint 1/4 and effective size 4.
    The leaves depend on one contact (constraint 1).

    >>> rows = brokerage(nx.star_graph(4))
    >>> centre, leaf = rows[0], rows[1]
    >>> centre.betweenness, centre.constraint, centre.effective_size, centre.network_role
    (1.0, 0.25, 4.0, 'information broker')
    >>> leaf.constraint, leaf.effective_size, leaf.network_role
    (1.0, 1.0, 'peripheral specialist')

    Two cliques joined by one tie: the two people holding the tie are the brokers.

    >>> [row.person for row in brokerage(nx.barbell_graph(5, 0)) if row.network_role]
    [4, 5]
    """
    check_graph(G)
    return _brokerage(G, _kinds(kinds), check_seed(seed))[0]


def suggest_networkers(G, k=5, *, kinds=("informal", "bridge"), seed=None):
    """Return the `k` people best placed to act as internal networkers: `NetworkerSuggestion`s.

    Rank is not reach: networkers have no formal authority, so people are ranked on the
    informal network by default (see :func:`brokerage` for `kinds` and `seed`) and executives
    are left out.  People whose ties reach more other teams come first; then higher
    betweenness, lower constraint, and the graph's node order.

    In two cliques joined by one tie, the two people holding the tie are suggested first.

    >>> [s.person for s in suggest_networkers(nx.barbell_graph(5, 0), k=2)]
    [4, 5]

    A member of team 0 who has informal ties into three other teams is the first suggestion.

    >>> from senge_course.models.org import add_tie, organisation
    >>> G = organisation(p_out=0, seed=4)
    >>> for other in (12, 20, 28):
    ...     G = add_tie(G, 5, other)
    >>> print(suggest_networkers(G, k=1)[0].reason)
    T0-2 (member, team 0): ties into 3 other teams (1, 2, 3); betweenness 0.22, effective size 4.6, constraint 0.25
    """
    check_graph(G)
    k = check_integer("k", k, low=1)
    rows, reached = _brokerage(G, _kinds(kinds), check_seed(seed))
    candidates = [row for row in rows if row.role != "executive"]
    # a stable sort: people who tie on everything stay in node order (no ties: constraint NaN)
    candidates.sort(
        key=lambda r: (-r.teams_reached, -r.betweenness, np.nan_to_num(r.constraint, nan=math.inf))
    )
    suggestions = []
    for row in candidates[:k]:
        where = f"team {row.team}" if row.team != NO_TEAM else "no team"
        who = f"{row.role}, {where}" if row.role else where
        teams = reached[row.person]
        listed, plural = ", ".join(map(str, teams)), "s" if len(teams) > 1 else ""
        teams_text = f"ties into {len(teams)} other team{plural} ({listed})"
        teams_text = teams_text if teams else "no ties into other teams"
        reason = (
            f"{row.label} ({who}): {teams_text}; betweenness {row.betweenness:.2f}, "
            f"effective size {row.effective_size:.1f}, constraint {row.constraint:.2f}"
        )
        suggestions.append(NetworkerSuggestion(**vars(row), reason=reason))
    return suggestions


def _brokerage(G, kinds, rng):
    """The rows of :func:`brokerage`, and per person the other teams their ties reach."""
    H = _tie_subgraph(G, kinds)
    n = H.number_of_nodes()
    if n == 0:
        return [], {}
    if n > EXACT_BETWEENNESS_UP_TO:
        sample_seed = int(rng.integers(2**31))
        between = nx.betweenness_centrality(H, k=EXACT_BETWEENNESS_UP_TO, seed=sample_seed)
    else:
        between = nx.betweenness_centrality(H)
    constraint = nx.constraint(H)
    effective = nx.effective_size(H)
    team = {v: _team_of(G, v) for v in H}
    degree = dict(H.degree())
    inside = {v: sum(1 for w in H[v] if team[w] == team[v]) for v in H}
    cross = {
        v: [team[w] for w in H[v] if team[w] != team[v] and NO_TEAM not in (team[v], team[w])]
        for v in H
    }

    mean_between = sum(between.values()) / n
    finite_constraint = [c for c in constraint.values() if not math.isnan(c)]
    median_constraint = float(np.median(finite_constraint)) if finite_constraint else math.nan
    median_degree = float(np.median(list(degree.values())))
    group_ties = {}
    for v in H:
        group_ties.setdefault(team[v], []).append(inside[v])
    # a central connector has the group's most inside ties, and more than its median
    connector_bar = {t: (max(ties), float(np.median(ties))) for t, ties in group_ties.items()}

    rows = []
    for v in H:
        deg = degree[v]
        b = float(between[v])
        c = float(constraint[v])
        most, median = connector_bar[team[v]]
        if len(cross[v]) >= 2:
            role = "boundary spanner"
        elif b > 0 and b >= 2 * mean_between and c <= median_constraint:
            role = "information broker"
        elif inside[v] == most and inside[v] > median:
            role = "central connector"
        elif deg <= 1 or deg < median_degree / 2:
            role = "peripheral specialist"
        else:
            role = None
        who = (v, str(G.nodes[v].get("label", v)), G.nodes[v].get("role"), team[v], int(deg))
        measures = (b, c, float(effective[v]), inside[v], len(cross[v]), len(set(cross[v])))
        rows.append(BrokerageRow(*who, *measures, network_role=role))
    return rows, {v: sorted(set(cross[v])) for v in H}


def _tie_subgraph(G, kinds):
    H = nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, kind in G.edges(data="kind") if kind is None or kind in kinds)
    return H


def _kinds(kinds):
    if kinds is None:
        return set(KINDS)
    if isinstance(kinds, str):
        kinds = (kinds,)
    return {check_one_of("kinds", kind, KINDS) for kind in kinds}


def _team_of(G, v):
    team = G.nodes[v].get("team", NO_TEAM)
    return NO_TEAM if team is None else team
