"""Organisation networks: the formal chart, the informal network, and the people who bridge teams.

Senge (1997) describes three kinds of leader: executive leaders, local line
leaders and internal networkers, who have no formal authority but move about the
organisation spreading new practices.  This module builds the organisations the
course simulates and measures who is positioned to broker between teams.

Conventions (every function here follows them)
----------------------------------------------
People
    Nodes are whole numbers ``0 .. n-1``.  :func:`organisation` numbers the
    executives first, then each team in turn: its line leader, then its members.
Node attributes
    ``role``: one of :data:`ROLES` (``"executive"``, ``"line_leader"``,
    ``"networker"``, ``"member"``); ``team``: the team index ``0 .. teams-1``,
    or ``-1`` (:data:`NO_TEAM`) for executives, who belong to no team (``-1``
    rather than ``None`` so that GraphML files can store it); ``level``: ``0``
    for executives, ``1`` for line leaders, ``2`` for members and networkers
    (:data:`ROLE_LEVEL`); ``label``: ``"E1"``, ``"E2"``, ... for executives,
    ``"L3"`` for the line leader of team 3 and ``"T3-1"``, ``"T3-2"``, ... for
    its members.  Team numbers in labels are the ``team`` attribute (from 0);
    a person keeps their label when their role changes.
Edge attribute
    ``kind``: one of :data:`KINDS`: ``"formal"`` (the chart: reporting lines and
    the executive group), ``"informal"`` (who actually works with whom) and
    ``"bridge"`` (ties laid by internal networkers or :func:`add_bridge`; in the
    topology helpers, a long tie made by rewiring).  Two people share at most one tie.
Graph attribute
    ``G.graph["teams"]``: the number of teams (teams may be empty).

Every function that changes an organisation returns a new graph and leaves its
input untouched.

Examples
--------
A small organisation: 3 executives and 6 teams of 8 (a line leader and 7 members).

>>> G = organisation(seed=1)
>>> G.number_of_nodes(), G.graph["teams"]
(51, 6)
>>> G.nodes[3]
{'role': 'line_leader', 'team': 0, 'level': 1, 'label': 'L0'}

Internal networkers add wide bridges between teams (`senge_course.models.brokerage` finds the
people best placed to be networkers, by their reach rather than their rank):

>>> H = add_networkers(G, count=3, seed=1)
>>> sum(1 for _, _, kind in H.edges(data="kind") if kind == "bridge")
12
"""

import json
import math
import os
import tempfile
import xml.etree.ElementTree as ET
from numbers import Integral, Real

import networkx as nx
import numpy as np

from .._validate import check_fraction, check_graph, check_integer, check_one_of, check_seed

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "KINDS",
    "MAX_FILE_CHARS",
    "MAX_PEOPLE",
    "MAX_TIES",
    "NETWORK_ROLES",
    "NO_TEAM",
    "ROLES",
    "ROLE_LEVEL",
    "add_bridge",
    "add_networkers",
    "add_tie",
    "from_json",
    "informal_layers",
    "organisation",
    "read_graphml",
    "remove_tie",
    "set_role",
    "to_json",
    "validate_organisation",
    "write_graphml",
]

#: The roles a person can have, from the top of the chart down.
ROLES = ("executive", "line_leader", "networker", "member")
#: The level on the formal chart that goes with each role (0 is the top).
ROLE_LEVEL = {"executive": 0, "line_leader": 1, "networker": 2, "member": 2}
#: The kinds of tie between two people.
KINDS = ("formal", "informal", "bridge")
#: The ``team`` value of a person in no team (the executives).
NO_TEAM = -1
#: Cross & Prusak's (2002) roles in an informal network, as :func:`brokerage` assigns them.
NETWORK_ROLES = (
    "boundary spanner",
    "information broker",
    "central connector",
    "peripheral specialist",
)
#: The most people an organisation (built, loaded or edited) may have.
MAX_PEOPLE = 5000
#: The most ties a loaded organisation may have.
MAX_TIES = 250_000
#: The longest JSON text or GraphML file (characters or bytes) the readers accept.
MAX_FILE_CHARS = 20_000_000
#: The ``format`` and ``version`` keys written by :func:`to_json`.
FORMAT = "senge-course/organisation"
FORMAT_VERSION = 1

# The expected number of informal ties outside one's team that organisation() gives by default.
_TIES_OUTSIDE_TEAM = 0.5
# How many random walks the search for a chain of neighbouring people tries.
_CHAIN_TRIES = 200
# Trust: the chance that two people trust each other, by (same team?, same level?).
_TRUST_P = {(True, True): 0.4, (True, False): 0.15, (False, True): 0.03, (False, False): 0.005}
# Advice: each person asks this many others, chosen with weight experience ** _ADVICE_POWER.
_ADVISERS = 2
_ADVICE_POWER = 3
_RESERVED_NODE_KEYS = ("id",)
_RESERVED_EDGE_KEYS = ("source", "target")


# ----------------------------------------------------------------------------- building


def organisation(*, teams=6, team_size=8, executives=3, p_in=0.5, p_out=None, seed=None):
    """Return an organisation: a formal chart plus an informal network.

    The formal chart (ties of kind ``"formal"``): the executives are all tied to
    each other (the executive group); the line leader of team ``t`` reports to
    executive ``t % executives``; every member reports to their line leader.

    The informal network (kind ``"informal"``) is a stochastic block model over
    the people in teams: two people in the same team are tied with probability
    `p_in`, two people in different teams with probability `p_out` (rare).  A
    pair already tied on the chart keeps its formal tie.  Executives have only
    their formal ties.  By default `p_out` gives each person half an informal
    tie outside their team on average, at any size, so teams stay
    recognisable as the organisation grows.

    Parameters
    ----------
    teams : int, default 6
        Number of teams (1 to 1000).
    team_size : int, default 8
        People per team, counting its line leader (at least 2).
    executives : int, default 3
        Size of the executive group (at least 1).
    p_in : float, default 0.5
        Chance of an informal tie between two people in the same team.
    p_out : float, optional
        Chance of an informal tie between two people in different teams.  The
        default is ``0.5 / (people in teams - team_size)``: 0.0125 with the
        other defaults (0.5 expected ties outside one's team per person).
    seed : None, int or numpy Generator
        Randomness; the same seed gives the same organisation.

    Returns
    -------
    networkx.Graph
        ``executives + teams * team_size`` people, numbered executives first,
        then team by team (line leader, then members); attributes as in the
        module conventions.  ``G.graph`` holds ``teams``, ``team_size``,
        ``executives``, ``p_in`` and ``p_out``.

    Raises
    ------
    TypeError
        If a size is not a whole number or a probability not a number.
    ValueError
        If a value is out of range, or the organisation would have more than
        :data:`MAX_PEOPLE` people.

    Examples
    --------
    With the defaults there are 3 executives, 6 line leaders and 6 x 7 = 42 members.

    >>> G = organisation(seed=7)
    >>> from collections import Counter
    >>> sorted(Counter(role for _, role in G.nodes(data="role")).items())
    [('executive', 3), ('line_leader', 6), ('member', 42)]

    Person 4 is the first member of team 0, and reports to its line leader, person 3.

    >>> G.nodes[4]["label"], G.edges[3, 4]["kind"]
    ('T0-1', 'formal')

    The same seed gives the same organisation.

    >>> nx.utils.graphs_equal(G, organisation(seed=7))
    True
    """
    teams = check_integer("teams", teams, low=1, high=1000)
    team_size = check_integer("team_size", team_size, low=2)
    executives = check_integer("executives", executives, low=1)
    p_in = check_fraction("p_in", p_in)
    n = executives + teams * team_size
    if n > MAX_PEOPLE:
        raise ValueError(
            f"the organisation would have executives + teams * team_size = {n} people; "
            f"at most {MAX_PEOPLE} are allowed, got executives={executives}, teams={teams}, "
            f"team_size={team_size}"
        )
    outsiders = (teams - 1) * team_size
    if p_out is None:
        p_out = min(1.0, _TIES_OUTSIDE_TEAM / outsiders) if outsiders else 0.0
    p_out = check_fraction("p_out", p_out)
    rng = check_seed(seed)
    G = nx.Graph(
        name="organisation",
        teams=teams,
        team_size=team_size,
        executives=executives,
        p_in=p_in,
        p_out=p_out,
    )
    for e in range(executives):
        G.add_node(e, role="executive", team=NO_TEAM, level=0, label=f"E{e + 1}")
    for t in range(teams):
        leader = executives + t * team_size
        G.add_node(leader, role="line_leader", team=t, level=1, label=f"L{t}")
        for k in range(1, team_size):
            G.add_node(leader + k, role="member", team=t, level=2, label=f"T{t}-{k}")
    for a in range(executives):
        for b in range(a + 1, executives):
            G.add_edge(a, b, kind="formal")
    for t in range(teams):
        leader = executives + t * team_size
        G.add_edge(t % executives, leader, kind="formal")
        for k in range(1, team_size):
            G.add_edge(leader, leader + k, kind="formal")

    team = np.array([G.nodes[v]["team"] for v in range(n)])

    def chance(ti, tj):
        p = np.where(ti == tj, p_in, p_out)
        return np.where((ti == NO_TEAM) | (tj == NO_TEAM), 0.0, p)

    for u, v in _random_pairs(rng, team, chance):
        if not G.has_edge(u, v):
            G.add_edge(u, v, kind="informal")
    return G


def add_networkers(G, *, count=3, bridge_width=2, teams_spanned=2, seed=None):
    """Return a copy of `G` in which `count` members become internal networkers.

    Networkers are drawn from the members (never executives or line leaders:
    they have no formal authority), one team after another in a random order so
    they come from different teams.  Each networker reaches `teams_spanned`
    other teams, chosen at random; into each, they get `bridge_width` ties of
    kind ``"bridge"`` landing on a chain of neighbouring people (each tied to the
    next one inside that team, none tied to the networker before).  So once
    one person reached commits, the next one hears from both the networker and
    that neighbour: a wide bridge a complex contagion can cross (Centola & Macy
    2007), where a single long tie cannot.

    Exactly ``count * teams_spanned * bridge_width`` bridge ties are added.

    Parameters
    ----------
    G : networkx.Graph
        An organisation (see :func:`validate_organisation`); it is not changed.
    count : int, default 3
        Number of networkers (0 up to the number of members).
    bridge_width : int, default 2
        Ties each networker lays into each team they reach (at least 1).
    teams_spanned : int, default 2
        Other teams each networker reaches (1 up to teams - 1).
    seed : None, int or numpy Generator
        Randomness; the same seed gives the same networkers and ties.

    Returns
    -------
    networkx.Graph
        A new organisation; the networkers have role ``"networker"`` and level 2.

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation, a value is out of range, or a team
        has no chain of `bridge_width` neighbouring people left to reach.

    Examples
    --------
    Three networkers, each reaching 2 other teams with 2 ties per team, lay
    3 x 2 x 2 = 12 bridge ties; the input organisation keeps its members.

    >>> G = organisation(seed=2)
    >>> H = add_networkers(G, count=3, bridge_width=2, teams_spanned=2, seed=2)
    >>> sum(1 for _, _, kind in H.edges(data="kind") if kind == "bridge")
    12
    >>> sum(1 for _, role in H.nodes(data="role") if role == "networker")
    3
    >>> sum(1 for _, role in G.nodes(data="role") if role == "networker")
    0
    """
    validate_organisation(G)
    count = check_integer("count", count, low=0)
    bridge_width = check_integer("bridge_width", bridge_width, low=1)
    teams = G.graph["teams"]
    if teams < 2:
        raise ValueError(
            f"add_networkers needs an organisation with at least 2 teams to bridge, got teams={teams}"
        )
    teams_spanned = check_integer("teams_spanned", teams_spanned, low=1, high=teams - 1)
    rng = check_seed(seed)
    people = _people_by_team(G)
    members = {t: [v for v in vs if G.nodes[v]["role"] == "member"] for t, vs in people.items()}
    available = sum(len(vs) for vs in members.values())
    if count > available:
        raise ValueError(
            f"count must be at most the number of members who could become networkers "
            f"({available}), got count={count}"
        )
    # Round robin over the teams in a random order, a random member from each.
    queues = [list(rng.permutation(members.get(t, []))) for t in rng.permutation(teams)]
    chosen = []
    while len(chosen) < count:
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(int(queue.pop()))
    H = G.copy()
    for person in chosen:
        H.nodes[person]["role"] = "networker"
        H.nodes[person]["level"] = ROLE_LEVEL["networker"]
        home = H.nodes[person]["team"]
        others = [t for t in range(teams) if t != home]
        for t in sorted(int(x) for x in rng.choice(others, size=teams_spanned, replace=False)):
            avoid = set(H[person]) | {person}
            chain = _neighbour_chain(H, people.get(t, []), bridge_width, rng, avoid=avoid)
            if chain is None:
                raise ValueError(
                    f"team {t} has no chain of bridge_width={bridge_width} neighbouring people "
                    f"not yet tied to networker {person} ({H.nodes[person]['label']}); "
                    "choose a smaller bridge_width"
                )
            H.add_edges_from(((person, v) for v in chain), kind="bridge")
    return H


def add_bridge(G, team_a, team_b, *, width=3, seed=None):
    """Return a copy of `G` with a bridge of `width` ties between two teams.

    The ties zig-zag between a chain of neighbouring people on each side (each
    tied to the next inside their team): ``a1-b1, a2-b1, a2-b2, a3-b2, ...``.
    So from width 2, a person in `team_b` hears from two committed neighbours in
    `team_a` (enough for a threshold of 2), and from width 3 on the bridge
    carries a complex contagion both ways and lands on two neighbouring people,
    who reinforce each other (a wide bridge: Centola & Macy 2007).  Width 1 is a
    single long tie.

    Parameters
    ----------
    G : networkx.Graph
        An organisation; it is not changed.
    team_a, team_b : int
        Two different teams (0 to teams - 1).
    width : int, default 3
        Number of ties (at least 1).
    seed : None, int or numpy Generator
        Randomness; the same seed gives the same ties.

    Returns
    -------
    networkx.Graph
        A new organisation with `width` more ties of kind ``"bridge"``.

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation, a team or width is out of range, or
        no chain of neighbouring people can carry the bridge.

    Examples
    --------
    A bridge of width 3 lands on 2 neighbouring people in each team.

    >>> G = organisation(p_out=0, seed=3)
    >>> H = add_bridge(G, 0, 1, width=3, seed=3)
    >>> ties = [(u, v) for u, v, kind in H.edges(data="kind") if kind == "bridge"]
    >>> len(ties)
    3
    >>> sorted({H.nodes[v]["team"] for tie in ties for v in tie})
    [0, 1]
    """
    validate_organisation(G)
    teams = G.graph["teams"]
    team_a = check_integer("team_a", team_a, low=0, high=teams - 1)
    team_b = check_integer("team_b", team_b, low=0, high=teams - 1)
    if team_a == team_b:
        raise ValueError(
            f"team_a and team_b must be two different teams, got team_a={team_a}, team_b={team_b}"
        )
    width = check_integer("width", width, low=1)
    rng = check_seed(seed)
    people = _people_by_team(G)
    n_a, n_b = width // 2 + 1, (width + 1) // 2
    for _ in range(_CHAIN_TRIES):
        side_a = _neighbour_chain(G, people.get(team_a, []), n_a, rng)
        side_b = _neighbour_chain(G, people.get(team_b, []), n_b, rng)
        if side_a is None or side_b is None:
            break
        pairs = [(side_a[(i + 1) // 2], side_b[i // 2]) for i in range(width)]
        if not any(G.has_edge(u, v) for u, v in pairs):
            H = G.copy()
            H.add_edges_from(pairs, kind="bridge")
            return H
    raise ValueError(
        f"could not find chains of neighbouring people in team_a={team_a} and team_b={team_b} "
        f"to carry a bridge of width={width} (each side needs {n_a} and {n_b} people tied one "
        "to the next, not yet tied across); choose a smaller width"
    )


# ----------------------------------------------------------------------------- editing


def set_role(G, person, role, *, team=None):
    """Return a copy of `G` in which `person` has a new `role` (and level to match).

    Parameters
    ----------
    G : networkx.Graph
        An organisation; it is not changed.
    person : int
        The person (0 to n - 1).
    role : str
        One of :data:`ROLES`.  An executive's team becomes -1.
    team : int, optional
        Move the person to this team (0 to teams - 1).  Needed when an executive
        takes a role in a team; not allowed with ``role="executive"``.

    Returns
    -------
    networkx.Graph
        A new organisation.

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation, or the person, role or team is not allowed.

    Examples
    --------
    Person 10 is a member of team 0; making them a networker keeps their team and level.

    >>> G = organisation(seed=1)
    >>> H = set_role(G, 10, "networker")
    >>> H.nodes[10]["role"], H.nodes[10]["team"], H.nodes[10]["level"], G.nodes[10]["role"]
    ('networker', 0, 2, 'member')
    """
    validate_organisation(G)
    person = check_integer("person", person, low=0, high=G.number_of_nodes() - 1)
    role = check_one_of("role", role, ROLES)
    if role == "executive":
        if team is not None:
            raise ValueError(
                f"executives belong to no team: leave team out for role='executive', got team={team!r}"
            )
        new_team = NO_TEAM
    elif team is not None:
        new_team = check_integer("team", team, low=0, high=G.graph["teams"] - 1)
    else:
        new_team = G.nodes[person]["team"]
        if new_team == NO_TEAM:
            raise ValueError(
                f"person {person} is an executive with no team: give team=... "
                f"(0 to {G.graph['teams'] - 1}) to make them a {role}"
            )
    H = G.copy()
    H.nodes[person].update(role=role, team=new_team, level=ROLE_LEVEL[role])
    return H


def add_tie(G, u, v, *, kind="informal"):
    """Return a copy of `G` with a new tie between `u` and `v`.

    Parameters
    ----------
    G : networkx.Graph
        An organisation; it is not changed.
    u, v : int
        Two different people who are not yet tied.
    kind : str, default "informal"
        One of :data:`KINDS`.

    Returns
    -------
    networkx.Graph
        A new organisation.

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation, a person or kind is not allowed, or
        the two are already tied.

    Examples
    --------
    Tie a member of team 0 (person 4) to a member of team 5 (person 44).

    >>> G = organisation(p_out=0, seed=1)
    >>> add_tie(G, 4, 44).edges[4, 44]["kind"]
    'informal'
    >>> G.has_edge(4, 44)
    False
    """
    validate_organisation(G)
    u, v = _check_pair(G, u, v)
    kind = check_one_of("kind", kind, KINDS)
    if G.has_edge(u, v):
        raise ValueError(
            f"u={u} and v={v} are already tied (kind={G.edges[u, v]['kind']!r}); "
            "use remove_tie first to change the tie"
        )
    H = G.copy()
    H.add_edge(u, v, kind=kind)
    return H


def remove_tie(G, u, v):
    """Return a copy of `G` without the tie between `u` and `v`.

    Parameters
    ----------
    G : networkx.Graph
        An organisation; it is not changed.
    u, v : int
        Two people who are tied.

    Returns
    -------
    networkx.Graph
        A new organisation.

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation, a person is not allowed, or the two
        are not tied.

    Examples
    --------
    Executive 0 (E1) manages line leader 3 (L0); removing the tie leaves L0 without a boss.

    >>> G = organisation(seed=1)
    >>> remove_tie(G, 0, 3).has_edge(0, 3), G.has_edge(0, 3)
    (False, True)
    """
    validate_organisation(G)
    u, v = _check_pair(G, u, v)
    if not G.has_edge(u, v):
        raise ValueError(f"there is no tie between u={u} and v={v} to remove")
    H = G.copy()
    H.remove_edge(u, v)
    return H


# ----------------------------------------------------------------------------- checking and files


def validate_organisation(G):
    """Check that `G` is an organisation this course can use; raise on the first problem.

    An organisation is an undirected ``networkx.Graph`` with at most
    :data:`MAX_PEOPLE` people numbered ``0 .. n-1``, a whole number
    ``G.graph["teams"] >= 0``, and for every person a ``role`` in :data:`ROLES`,
    a ``team`` (``-1`` for executives, ``0 .. teams-1`` for everyone else), the
    ``level`` that goes with the role and a text ``label``; every tie has a
    ``kind`` in :data:`KINDS` and joins two different people.  Other attributes
    are allowed.

    Parameters
    ----------
    G : networkx.Graph
        The graph to check (for example one loaded from a file).

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If `G` is not a networkx graph.
    ValueError
        Naming the first problem found: the person or tie, the attribute and its value.

    Examples
    --------
    An organisation passes; a person with an unknown role is named.

    >>> G = organisation(seed=1)
    >>> validate_organisation(G)
    >>> G.nodes[5]["role"] = "boss"
    >>> validate_organisation(G)
    Traceback (most recent call last):
    ...
    ValueError: person 5 has role='boss'; role must be one of 'executive', 'line_leader', 'networker', 'member'
    """
    check_graph(G)
    n = G.number_of_nodes()
    if n == 0:
        raise ValueError("G must have at least one person, got an empty graph")
    if n > MAX_PEOPLE:
        raise ValueError(f"G may have at most {MAX_PEOPLE} people, got {n}")
    if "teams" not in G.graph:
        raise ValueError(
            'G.graph["teams"] is missing: it must hold the number of teams (a whole number >= 0)'
        )
    teams = G.graph["teams"]
    if isinstance(teams, bool) or not isinstance(teams, Integral) or teams < 0:
        raise ValueError(f'G.graph["teams"] must be a whole number >= 0, got teams={teams!r}')
    for v in G:
        if isinstance(v, bool) or not isinstance(v, Integral) or not 0 <= v < n:
            raise ValueError(
                f"people must be numbered 0 to {n - 1} (whole numbers), got person {v!r}"
            )
    choices = ", ".join(repr(r) for r in ROLES)
    for v in sorted(G):
        data = G.nodes[v]
        for key in ("role", "team", "level", "label"):
            if key not in data:
                raise ValueError(f"person {v} has no {key!r} attribute")
        role, team, level, label = data["role"], data["team"], data["level"], data["label"]
        if role not in ROLES:
            raise ValueError(f"person {v} has role={role!r}; role must be one of {choices}")
        if isinstance(team, bool) or not isinstance(team, Integral):
            raise ValueError(f"person {v} has team={team!r}; team must be a whole number")
        if role == "executive" and team != NO_TEAM:
            raise ValueError(
                f"person {v} is an executive with team={team!r}; executives have team={NO_TEAM}"
            )
        if role != "executive" and not 0 <= team < teams:
            raise ValueError(
                f"person {v} is a {role} with team={team!r}; team must be from 0 to {teams - 1} "
                f'(G.graph["teams"]={teams})'
            )
        if isinstance(level, bool) or level != ROLE_LEVEL[role]:
            raise ValueError(
                f"person {v} is a {role} with level={level!r}; a {role} has level={ROLE_LEVEL[role]}"
            )
        if not isinstance(label, str):
            raise ValueError(f"person {v} has label={label!r}; label must be text")
    for u, v, kind in G.edges(data="kind"):
        if u == v:
            raise ValueError(f"person {u} is tied to themselves; ties join two different people")
        if kind not in KINDS:
            raise ValueError(
                f"the tie between {u} and {v} has kind={kind!r}; kind must be one of "
                + ", ".join(repr(k) for k in KINDS)
            )


def to_json(G):
    """Return `G` as JSON text (node-link data with a ``format`` and ``version`` key).

    The text reads back with :func:`from_json`, and with networkx as
    ``nx.node_link_graph(json.loads(text), edges="edges")``.

    Parameters
    ----------
    G : networkx.Graph
        An organisation.

    Returns
    -------
    str

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation, or an attribute is not text, a
        number or true/false, or uses a reserved name (``id`` for people,
        ``source``/``target`` for ties).

    Examples
    --------
    Saving and loading gives back the same organisation.

    >>> G = organisation(seed=1)
    >>> text = to_json(G)
    >>> json.loads(text)["format"]
    'senge-course/organisation'
    >>> nx.utils.graphs_equal(from_json(text), G)
    True
    """
    validate_organisation(G)
    _check_scalars("G.graph", G.graph)
    nodes = []
    for v in sorted(G):
        data = G.nodes[v]
        _check_scalars(f"person {v}", data, reserved=_RESERVED_NODE_KEYS)
        nodes.append({"id": int(v), **data})
    edges = []
    for u, v, data in G.edges(data=True):
        _check_scalars(f"the tie between {u} and {v}", data, reserved=_RESERVED_EDGE_KEYS)
        edges.append({"source": int(u), "target": int(v), **data})
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "directed": False,
        "multigraph": False,
        "graph": dict(G.graph),
        "nodes": nodes,
        "edges": edges,
    }
    return json.dumps(document, allow_nan=False, separators=(",", ":"), default=_plain_number)


def from_json(text):
    """Return the organisation stored in JSON `text` written by :func:`to_json`.

    The text is treated as untrusted: it must be at most :data:`MAX_FILE_CHARS`
    long, carry ``"format": "senge-course/organisation"`` and ``"version": 1``,
    hold at most :data:`MAX_PEOPLE` people and :data:`MAX_TIES` ties with
    plain attribute values (text, numbers, true/false), and describe a valid
    organisation (:func:`validate_organisation`).

    Parameters
    ----------
    text : str or bytes
        The JSON text (bytes are read as UTF-8).

    Returns
    -------
    networkx.Graph

    Raises
    ------
    TypeError
        If `text` is not text.
    ValueError
        Naming the problem, if the text is too long, not JSON, in another format,
        or not a valid organisation.

    Examples
    --------
    Text in another format is refused, with the reason.

    >>> from_json('{"format": "something else", "version": 1}')
    Traceback (most recent call last):
    ...
    ValueError: this is not an organisation file: format must be 'senge-course/organisation', got format='something else'
    """
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_FILE_CHARS:
            raise ValueError(_too_long(len(text)))
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"the organisation text is not UTF-8: {exc}") from None
    if not isinstance(text, str):
        raise TypeError(f"text must be JSON text (a str), got {type(text).__name__}")
    if len(text) > MAX_FILE_CHARS:
        raise ValueError(_too_long(len(text)))
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"the organisation text is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(
            f"this is not an organisation file: expected a JSON object, got {type(data).__name__}"
        )
    if data.get("format") != FORMAT:
        raise ValueError(
            f"this is not an organisation file: format must be {FORMAT!r}, "
            f"got format={data.get('format')!r}"
        )
    version = data.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ValueError(
            f"this organisation file has version={version!r}; this course reads version "
            f"{FORMAT_VERSION}"
        )
    for key in ("directed", "multigraph"):
        if data.get(key, False) is not False:
            raise ValueError(f"an organisation must have {key}=false, got {key}={data[key]!r}")
    graph, nodes, edges = data.get("graph", {}), data.get("nodes"), data.get("edges")
    if not isinstance(graph, dict):
        raise ValueError(f'"graph" must be a JSON object, got {type(graph).__name__}')
    _check_scalars('"graph"', graph)
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise ValueError('an organisation file needs a "nodes" list and an "edges" list')
    if len(nodes) > MAX_PEOPLE:
        raise ValueError(f"an organisation may have at most {MAX_PEOPLE} people, got {len(nodes)}")
    if len(edges) > MAX_TIES:
        raise ValueError(f"an organisation may have at most {MAX_TIES} ties, got {len(edges)}")
    people = {}
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not _is_int(node.get("id")):
            raise ValueError(f'node {i} in the file must be an object with a whole-number "id"')
        attrs = {k: v for k, v in node.items() if k != "id"}
        _check_scalars(f"person {node['id']}", attrs)
        if node["id"] in people:
            raise ValueError(f"person {node['id']} appears twice in the file")
        people[node["id"]] = attrs
    G = nx.Graph()
    G.graph.update(graph)
    G.add_nodes_from(sorted(people.items()))
    for i, edge in enumerate(edges):
        if not isinstance(edge, dict):
            raise ValueError(f"tie {i} in the file must be an object")
        u, v = edge.get("source"), edge.get("target")
        if not (_is_int(u) and _is_int(v) and u in people and v in people):
            raise ValueError(
                f"tie {i} in the file must join two people listed in the file, got "
                f"source={u!r}, target={v!r}"
            )
        if G.has_edge(u, v):
            raise ValueError(f"the tie between {u} and {v} appears twice in the file")
        attrs = {k: val for k, val in edge.items() if k not in _RESERVED_EDGE_KEYS}
        _check_scalars(f"the tie between {u} and {v}", attrs)
        G.add_edge(u, v, **attrs)
    validate_organisation(G)
    return G


def write_graphml(G, path):
    """Save organisation `G` as a GraphML file at `path`, atomically.

    The graph is checked first, then written to a temporary file in the same
    folder, which replaces `path` only once it is complete: a failed save leaves
    an existing file untouched.

    Parameters
    ----------
    G : networkx.Graph
        An organisation.
    path : str or os.PathLike
        Where to save (the folder must exist).

    Returns
    -------
    None

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation or holds an attribute GraphML cannot store.

    Examples
    --------
    Save and read back.

    >>> import pathlib, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> G = organisation(seed=1)
    >>> write_graphml(G, pathlib.Path(folder) / "org.graphml")
    >>> nx.utils.graphs_equal(read_graphml(pathlib.Path(folder) / "org.graphml"), G)
    True
    """
    validate_organisation(G)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".org-", suffix=".graphml.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            try:
                nx.write_graphml(G, handle)
            except (nx.NetworkXError, TypeError, ValueError) as exc:
                raise ValueError(f"G cannot be saved as GraphML: {exc}") from None
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_graphml(path):
    """Return the organisation stored in the GraphML file at `path`.

    The file is treated as untrusted: it must be UTF-8 text of at most
    :data:`MAX_FILE_CHARS` bytes, contain no DTD or entity declarations, parse as GraphML with people
    numbered 0 to n-1, and describe a valid organisation.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.

    Returns
    -------
    networkx.Graph

    Raises
    ------
    FileNotFoundError
        If there is no file at `path`.
    ValueError
        Naming the problem, if the file is not a valid organisation.

    Examples
    --------
    A file that is not GraphML is refused.

    >>> import pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.graphml"
    >>> _ = bad.write_text("not xml")
    >>> read_graphml(bad)
    Traceback (most recent call last):
    ...
    ValueError: ...bad.graphml is not a GraphML organisation file: ...
    """
    path = os.fspath(path)
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_CHARS + 1)
    if len(data) > MAX_FILE_CHARS:
        raise ValueError(
            f"{path} is too large: an organisation file may have at most {MAX_FILE_CHARS} bytes"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text, as organisation files are") from None
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ValueError(f"{path} declares a DTD or entities, which organisation files never need")
    try:
        G = nx.parse_graphml(data, node_type=int)
    except (
        ET.ParseError,
        nx.NetworkXError,
        ValueError,
        KeyError,
        TypeError,
        RecursionError,
    ) as exc:
        raise ValueError(f"{path} is not a GraphML organisation file: {exc}") from None
    # networkx records the GraphML key defaults here; they are not part of the organisation
    G.graph.pop("node_default", None)
    G.graph.pop("edge_default", None)
    try:
        validate_organisation(G)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path} is not a valid organisation: {exc}") from None
    return G


# ----------------------------------------------------------------------------- measures


def informal_layers(G, *, seed=None):
    """Return Krackhardt & Hanson's (1993) advice, trust and communication networks over `G`'s people.

    The formal chart shows who reports to whom; these three layers show how
    work really gets done.  They are generated by simple, documented rules:

    ``"communication"``
        Who talks to whom about work: every tie of `G` (the formal chart plus
        the informal and bridge ties).
    ``"advice"``
        Who goes to whom for advice.  Every person gets an ``experience``
        between 0 and 1 (independent of rank) and asks 2 others, chosen with
        weight ``experience ** 3`` from the whole organisation: advice flows
        to a few experienced people, mostly in other teams, whatever their rank.
        Each tie has an ``adviser`` attribute: the person asked (the first
        one asked, when two people ask each other).
    ``"trust"``
        Who confides in whom: each pair trusts each other with probability 0.4
        when in the same team (the executives count as one team) and at the
        same level, 0.15 in the same team at different levels, 0.03 across
        teams at the same level (peers) and 0.005 otherwise.

    Every layer is an organisation with the same people and attributes (and
    ``G.graph["layer"]`` naming it); a tie's ``kind`` is its kind in `G` when
    the pair is tied there, ``"informal"`` otherwise, so the share of a
    layer's ties of kind ``"formal"`` is how much of it the chart shows.

    Parameters
    ----------
    G : networkx.Graph
        An organisation; it is not changed.
    seed : None, int or numpy Generator
        Randomness; the same seed gives the same layers.

    Returns
    -------
    dict of str to networkx.Graph
        Keys ``"advice"``, ``"trust"``, ``"communication"``.

    Raises
    ------
    TypeError, ValueError
        If `G` is not a valid organisation.

    Examples
    --------
    Most advice ties do not follow the formal chart.

    >>> layers = informal_layers(organisation(seed=5), seed=5)
    >>> sorted(layers)
    ['advice', 'communication', 'trust']
    >>> advice = layers["advice"]
    >>> formal = sum(1 for _, _, kind in advice.edges(data="kind") if kind == "formal")
    >>> formal < advice.number_of_edges() / 4
    True
    """
    validate_organisation(G)
    rng = check_seed(seed)
    n = G.number_of_nodes()

    def layer(name, pairs):
        H = nx.Graph()
        H.graph.update(G.graph, layer=name)
        H.add_nodes_from((v, dict(G.nodes[v])) for v in sorted(G))
        for u, v in pairs:
            H.add_edge(u, v, kind=G.edges[u, v]["kind"] if G.has_edge(u, v) else "informal")
        return H

    communication = layer("communication", G.edges())

    experience = rng.random(n)
    weights = experience**_ADVICE_POWER
    advice = layer("advice", [])
    for v in range(n):
        advice.nodes[v]["experience"] = float(experience[v])
    for v in range(n if n > 1 else 0):
        w = weights.copy()
        w[v] = 0.0
        for adviser in rng.choice(n, size=min(_ADVISERS, n - 1), replace=False, p=w / w.sum()):
            adviser = int(adviser)
            if not advice.has_edge(v, adviser):
                kind = G.edges[v, adviser]["kind"] if G.has_edge(v, adviser) else "informal"
                advice.add_edge(v, adviser, kind=kind, adviser=adviser)

    team = np.array([G.nodes[v]["team"] for v in range(n)])
    level = np.array([G.nodes[v]["level"] for v in range(n)])
    group = (team + 1) * 4 + level  # one number per (team, level) pair

    def trust_chance(ki, kj):
        same_team = (ki // 4) == (kj // 4)
        same_level = (ki % 4) == (kj % 4)
        return np.select(
            [same_team & same_level, same_team, same_level],
            [_TRUST_P[True, True], _TRUST_P[True, False], _TRUST_P[False, True]],
            _TRUST_P[False, False],
        )

    trust = layer("trust", _random_pairs(rng, group, trust_chance))
    return {"advice": advice, "trust": trust, "communication": communication}


# ----------------------------------------------------------------------------- topologies


# ----------------------------------------------------------------------------- private helpers


def _check_pair(G, u, v):
    last = G.number_of_nodes() - 1
    u = check_integer("u", u, low=0, high=last)
    v = check_integer("v", v, low=0, high=last)
    if u == v:
        raise ValueError(f"u and v must be two different people, got u={u}, v={v}")
    return u, v


def _check_scalars(where, data, reserved=()):
    for key, value in data.items():
        if key in reserved:
            raise ValueError(f"{where} has an attribute named {key!r}, which files reserve")
        if not isinstance(key, str):
            raise ValueError(f"{where} has an attribute name {key!r} that is not text")
        if value is None or not isinstance(value, str | bool | Integral | Real):
            raise ValueError(
                f"{where} has {key}={value!r}; attribute values must be text, numbers or true/false"
            )
        if isinstance(value, Real) and not isinstance(value, Integral) and not math.isfinite(value):
            raise ValueError(f"{where} has {key}={value!r}; numbers must be finite")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _plain_number(value):
    """Let json write numpy numbers (``np.int64(3)`` as ``3``)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) as JSON")


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed in an organisation file (numbers must be finite)")


def _too_long(size):
    return f"the organisation text is too long: {size} characters, at most {MAX_FILE_CHARS} allowed"


def _people_by_team(G):
    """Map each team to its people (executives excluded), in person order."""
    people = {}
    for v in sorted(G):
        team = G.nodes[v]["team"]
        if team != NO_TEAM:
            people.setdefault(team, []).append(v)
    return people


def _neighbour_chain(G, people, length, rng, *, avoid=()):
    """Return `length` of `people`, each tied to the next, none in `avoid`; None if none found.

    Random self-avoiding walks inside `people`, from random starting people.
    """
    pool = set(people) - set(avoid)
    if len(pool) < length:
        return None
    starts = sorted(pool)
    for _ in range(_CHAIN_TRIES):
        chain = [starts[int(rng.integers(len(starts)))]]
        while len(chain) < length:
            options = sorted(w for w in G[chain[-1]] if w in pool and w not in chain)
            if not options:
                break
            chain.append(options[int(rng.integers(len(options)))])
        if len(chain) == length:
            return [int(v) for v in chain]
    return None


def _random_pairs(rng, groups, chance, *, block=128):
    """Return pairs (u, v), u < v, each drawn with probability ``chance(groups[u], groups[v])``.

    Works in blocks of rows, so memory stays small at a few thousand people.
    """
    n = len(groups)
    pairs = []
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n))
        cols = np.arange(start, n)
        p = chance(groups[rows][:, None], groups[cols][None, :])
        keep = (rng.random((len(rows), len(cols))) < p) & (cols[None, :] > rows[:, None])
        r, c = np.nonzero(keep)
        pairs.extend(zip(rows[r].tolist(), cols[c].tolist(), strict=True))
    return pairs
