"""Organisation networks: the formal chart, the informal network, and the people who bridge teams.

Senge (1997) describes three kinds of leader: executive leaders, local line leaders and internal
networkers, who have no formal authority but move about the organisation spreading new
practices.  This module builds, edits, checks, lays out and saves the organisations the course
simulates (`senge_course.models.brokerage` measures who is placed to broker between teams).

Conventions (every function here follows them; those that change an organisation return a new
graph and leave their input untouched):

* People are whole numbers ``0 .. n-1``: :func:`organisation` numbers the executives first, then
  each team in turn, its line leader, then its members.
* Node attributes: ``role``, one of :data:`ROLES`; ``team``, ``0 .. teams-1``, or ``-1``
  (:data:`NO_TEAM`, not ``None``, which GraphML cannot store) for executives, who belong to no
  team; ``level``, 0 for executives, 1 for line leaders, 2 for members and networkers
  (:data:`ROLE_LEVEL`); ``label``, ``"E1"``, ... for executives, ``"L3"`` for the line leader
  of team 3 and ``"T3-1"``, ... for its members (kept when their role changes).
* Edge attribute ``kind``, one of :data:`KINDS`: ``"formal"`` (the chart: reporting lines and
  the executive group), ``"informal"`` (who actually works with whom) or ``"bridge"`` (laid by
  internal networkers or :func:`add_bridge`; in the topologies, a long tie made by rewiring).
  Two people share at most one tie.  ``G.graph["teams"]`` is the number of teams (may be empty).

A small organisation: 3 executives and 6 teams of 8 (a line leader and 7 members).

>>> G = organisation(seed=1)
>>> G.number_of_nodes(), G.graph["teams"]
(51, 6)
>>> G.nodes[3]
{'role': 'line_leader', 'team': 0, 'level': 1, 'label': 'L0'}
"""

import codecs
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from numbers import Integral, Real
from pathlib import Path
from types import MappingProxyType
from xml.parsers.expat import ExpatError

import defusedxml
import defusedxml.ElementTree
import networkx as nx
import numpy as np

from .. import files
from .._validate import check_graph, check_integer, check_one_of, check_seed
from .parameters import Parameters, param

__all__ = [
    "KINDS",
    "MAX_PEOPLE",
    "MAX_TIES",
    "NETWORK_ROLES",
    "NO_TEAM",
    "ORGANISATION",
    "ROLES",
    "ROLE_LEVEL",
    "SCHEMA",
    "VERSION",
    "add_bridge",
    "add_networkers",
    "add_tie",
    "describe",
    "find_person",
    "from_json",
    "hierarchy_layout",
    "informal_layers",
    "load",
    "TeamLayout",
    "networker_bridges",
    "organisation",
    "read_graphml",
    "remove_tie",
    "save",
    "set_role",
    "team_layout",
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
#: The ``schema`` and ``version`` of the organisation files :func:`to_json` and :func:`save` write.
SCHEMA = "senge-course/organisation"
VERSION = 1

#: The inputs of :func:`organisation`: default, range, control and meaning (the builder's sliders).
ORGANISATION = Parameters(
    teams=param(6, "[1, 1000] int", None, "Teams", "teams", control_high=50),
    team_size=param(
        8, "[2, inf) int", None, "People per team", "counting its line leader", control_high=30
    ),
    executives=param(
        3, "[1, inf) int", None, "Executives", "size of the executive group", control_high=6
    ),
    p_in=param(0.5, "[0, 1]", 0.05, "Ties in a team", "chance of an informal tie inside a team"),
    p_out=param(
        0.0125,
        "[0, 1]",
        0.0025,
        "Ties across teams",
        "chance of an informal tie between teams (None: half a tie outside one's team per person)",
    ),
    executive_ties=param(
        0,
        "[0, 1000] int",
        None,
        "Executives' informal ties",
        "informal ties from each executive to members of different teams (at most the teams)",
        control_high=6,
    ),
)

_TIES_OUTSIDE_TEAM = 0.5  # informal ties outside one's team per person, by default
_CHAIN_TRIES = 200  # random walks the search for a chain of neighbouring people tries
# Trust: the chance that two people trust each other, by (same team?, same level?).
_TRUST_P = {(True, True): 0.4, (True, False): 0.15, (False, True): 0.03, (False, False): 0.005}
_ADVISERS, _ADVICE_POWER = 2, 3  # advice: each asks 2 others, weighted by experience ** 3
_ENDS = ("source", "target")  # a tie's reserved attribute names in files


def organisation(
    *, teams=6, team_size=8, executives=3, p_in=0.5, p_out=None, executive_ties=0, seed=None
):
    """Return an organisation: a formal chart plus an informal network.

    The formal chart (ties of kind ``"formal"``): the executives are all tied to each other; the
    line leader of team ``t`` reports to executive ``t % executives``; every member reports to
    their line leader.  The informal network (kind ``"informal"``) is a stochastic block model over
    the people in teams: two people in the same team are tied with probability `p_in`, two in
    different teams with probability `p_out` (rare); a pair tied on the chart keeps its formal tie.
    By default `p_out` gives each person half an informal tie outside their team on average, at
    any size, so teams stay recognisable.  Executives have only their formal ties unless
    `executive_ties` is above 0: then each executive also gets that many informal ties, to members
    of as many different teams (chosen at random, drawn after everything else, so the rest of the
    organisation is the same as without them).

    The inputs are the rows of :data:`ORGANISATION`; `seed` is the randomness.  Returns a
    ``networkx.Graph`` of ``executives + teams * team_size`` people (at most :data:`MAX_PEOPLE`)
    as in the module conventions; ``G.graph`` holds the inputs (``executive_ties`` only if above 0).

    With the defaults there are 3 executives, 6 line leaders and 6 x 7 = 42 members; person 4 is
    the first member of team 0 and reports to its line leader, person 3.

    >>> G = organisation(seed=7)
    >>> from collections import Counter
    >>> sorted(Counter(role for _, role in G.nodes(data="role")).items())
    [('executive', 3), ('line_leader', 6), ('member', 42)]
    >>> G.nodes[4]["label"], G.edges[3, 4]["kind"]
    ('T0-1', 'formal')
    >>> nx.utils.graphs_equal(G, organisation(seed=7))  # the same seed, the same organisation
    True

    With two informal ties each, the executives reach members of two teams, and nothing else
    changes.

    >>> H = organisation(executive_ties=2, seed=7)
    >>> added = [(u, v) for u, v, kind in H.edges(range(3), data="kind") if kind == "informal"]
    >>> len(added), sorted({H.nodes[v]["role"] for _, v in added})
    (6, ['member'])
    >>> H.remove_edges_from(added)
    >>> H.graph.pop("executive_ties"), nx.utils.graphs_equal(H, G)
    (2, True)
    """
    given = {"teams": teams, "team_size": team_size, "executives": executives, "p_in": p_in}
    inputs = ORGANISATION.check(given)
    teams, team_size, executives, p_in = inputs.values()
    ties = ORGANISATION["executive_ties"].check("executive_ties", executive_ties)
    if ties > teams:
        raise ValueError(
            f"executive_ties must be at most the number of teams ({teams}): each tie goes to a "
            f"different team, got executive_ties={ties}"
        )
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
    p_out = ORGANISATION["p_out"].check("p_out", p_out)
    rng = check_seed(seed)
    G = nx.Graph(name="organisation", **inputs, p_out=p_out)
    for e in range(executives):
        G.add_node(e, role="executive", team=NO_TEAM, level=0, label=f"E{e + 1}")
    G.add_edges_from(combinations(range(executives), 2), kind="formal")
    for t in range(teams):
        leader = executives + t * team_size
        G.add_node(leader, role="line_leader", team=t, level=1, label=f"L{t}")
        G.add_edge(t % executives, leader, kind="formal")
        for k in range(1, team_size):
            G.add_node(leader + k, role="member", team=t, level=2, label=f"T{t}-{k}")
            G.add_edge(leader, leader + k, kind="formal")

    team = np.array([G.nodes[v]["team"] for v in range(n)])

    def chance(ti, tj):
        p = np.where(ti == tj, p_in, p_out)
        return np.where((ti == NO_TEAM) | (tj == NO_TEAM), 0.0, p)

    for u, v in _random_pairs(rng, team, chance):
        if not G.has_edge(u, v):
            G.add_edge(u, v, kind="informal")
    if ties:  # drawn last: the organisation without them is unchanged
        G.graph["executive_ties"] = ties
        members = (np.arange(1, team_size) + executives + t * team_size for t in range(teams))
        members = list(members)
        for e in range(executives):
            for t in rng.choice(teams, size=ties, replace=False):
                G.add_edge(e, int(rng.choice(members[t])), kind="informal")
    return G


def add_networkers(G, *, count=3, bridge_width=2, teams_spanned=2, seed=None):
    """Return a copy of `G` in which `count` members become internal networkers.

    Networkers are drawn from the members (never executives or line leaders: networkers have no
    formal authority), one team after another in a random order, so they come from different
    teams.  Each reaches `teams_spanned` other teams (1 to teams - 1) chosen at random, with a
    *wide bridge* into each, in Centola & Macy's (2007) sense: `bridge_width` ties of kind
    ``"bridge"`` from the networker and the teammates next to them (a chain of neighbouring people
    starting at the networker) to a chain of neighbouring people in the other team, zig-zag as in
    :func:`add_bridge` (networker-b1, a2-b1, a2-b2, ...).  Several adopters on each side reinforce
    each other, so a practice that needs several committed contacts can cross, where one long
    tie cannot; the networker brings the bridge about, their teammates share it.  Exactly
    ``count * teams_spanned * bridge_width`` bridge ties are added; the same `seed` gives the
    same ones (:func:`networker_bridges` lists them without copying `G`).  Raises if no such
    chains can carry a bridge of `bridge_width`.

    Three networkers, each reaching 2 other teams with 2 ties per team, lay 3 x 2 x 2 = 12 bridge
    ties; the input organisation keeps its members.

    >>> G = organisation(seed=2)
    >>> H = add_networkers(G, count=3, bridge_width=2, teams_spanned=2, seed=2)
    >>> sum(1 for _, _, kind in H.edges(data="kind") if kind == "bridge")
    12
    >>> [sum(1 for _, role in g.nodes(data="role") if role == "networker") for g in (H, G)]
    [3, 0]
    """
    chosen, ties = networker_bridges(
        G, count=count, bridge_width=bridge_width, teams_spanned=teams_spanned, seed=seed
    )
    H = G.copy()
    for person in chosen:
        H.nodes[person].update(role="networker", level=ROLE_LEVEL["networker"])
    H.add_edges_from(ties, kind="bridge")
    return H


def networker_bridges(G, *, count=3, bridge_width=2, teams_spanned=2, seed=None):
    """Return where :func:`add_networkers` places networkers, without copying `G`.

    Returns ``(networkers, ties)``: the members who become networkers, and the bridge ties as
    (person in the networker's team, person in the other team) pairs, in the order they are laid.
    The arguments and errors are those of :func:`add_networkers`; `G` may also be a
    `TeamLayout` (`team_layout`), checked once for many placements.

    >>> people, ties = networker_bridges(organisation(seed=2), count=1, bridge_width=3, seed=2)
    >>> len(people), len(ties), people[0] == ties[0][0]
    (1, 6, True)
    """
    layout = G if isinstance(G, TeamLayout) else team_layout(G)
    count = check_integer("count", count, low=0)
    bridge_width = check_integer("bridge_width", bridge_width, low=1)
    teams = layout.teams
    if teams < 2:
        raise ValueError(
            f"add_networkers needs an organisation with at least 2 teams to bridge, got teams={teams}"
        )
    teams_spanned = check_integer("teams_spanned", teams_spanned, low=1, high=teams - 1)
    rng = check_seed(seed)
    people, members = layout.people, layout.members
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
    ties = []
    laid = set()  # bridge ties always join two teams: chains inside a team never use them
    for person in chosen:
        home = layout.team[person]
        others = [t for t in range(teams) if t != home]
        for t in sorted(int(x) for x in rng.choice(others, size=teams_spanned, replace=False)):
            pairs = _zigzag(
                layout.neighbours,
                people[home],
                people.get(t, []),
                bridge_width,
                rng,
                start=person,
                laid=laid,
            )
            if pairs is None:
                raise ValueError(
                    f"no chains of neighbouring people can carry a bridge of "
                    f"bridge_width={bridge_width} from networker {person} "
                    f"({layout.labels[person]}) into team {t}; choose a smaller bridge_width"
                )
            ties += pairs
            laid.update(frozenset(pair) for pair in pairs)
    return tuple(chosen), ties


@dataclass(frozen=True, eq=False)
class TeamLayout:
    """An organisation checked once, for placing networkers again and again (`team_layout`).

    ``teams``: the number of teams; ``team`` and ``labels``: each person's team and label;
    ``people`` and ``members``: each team's people (executives excluded) and its members, in
    person order; ``neighbours``: each person's neighbours, in person order.  Read-only mappings.
    """

    teams: int
    team: Mapping = field(repr=False)
    labels: Mapping = field(repr=False)
    people: Mapping = field(repr=False)
    members: Mapping = field(repr=False)
    neighbours: Mapping = field(repr=False)


def team_layout(G):
    """Return organisation `G` checked, as a `TeamLayout` for `networker_bridges` (the same errors
    as `validate_organisation`).  It is a snapshot: change `G` and make a new one.

    >>> layout = team_layout(organisation(seed=1))
    >>> layout.teams, len(layout.members[0]), layout.neighbours[3][:3]
    (6, 7, (0, 4, 5))
    """
    validate_organisation(G)
    people = _people_by_team(G)
    nodes = G.nodes
    members = {t: [v for v in vs if nodes[v]["role"] == "member"] for t, vs in people.items()}
    return TeamLayout(
        teams=G.graph["teams"],
        team=MappingProxyType({v: nodes[v]["team"] for v in G}),
        labels=MappingProxyType({v: nodes[v]["label"] for v in G}),
        people=MappingProxyType({t: tuple(vs) for t, vs in people.items()}),
        members=MappingProxyType({t: tuple(vs) for t, vs in members.items()}),
        neighbours=_neighbours(G),
    )


def _neighbours(G):
    """Each person's neighbours, in person order (read-only)."""
    return MappingProxyType({v: tuple(sorted(G[v])) for v in G})


def add_bridge(G, team_a, team_b, *, width=3, seed=None):
    """Return a copy of `G` with a bridge of `width` ties between two different teams.

    The ties zig-zag between a chain of neighbouring people on each side (each tied to the next
    inside their team): ``a1-b1, a2-b1, a2-b2, a3-b2, ...``.  From width 2 a person in `team_b`
    hears from two committed neighbours in `team_a` (enough for a threshold of 2); from width 3 the
    bridge carries a complex contagion both ways and lands on two neighbouring people, who
    reinforce each other (a wide bridge: Centola & Macy 2007).  Width 1 is a single long tie.
    Raises if no chains of neighbouring people can carry the bridge.

    A bridge of width 3 between teams 0 and 1:

    >>> H = add_bridge(organisation(p_out=0, seed=3), 0, 1, width=3, seed=3)
    >>> ties = [(u, v) for u, v, kind in H.edges(data="kind") if kind == "bridge"]
    >>> len(ties), sorted({H.nodes[v]["team"] for tie in ties for v in tie})
    (3, [0, 1])
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
    people = _people_by_team(G)
    side_a, side_b = people.get(team_a, []), people.get(team_b, [])
    pairs = _zigzag(_neighbours(G), side_a, side_b, width, check_seed(seed))
    if pairs is None:
        raise ValueError(
            f"could not find chains of neighbouring people in team_a={team_a} and "
            f"team_b={team_b} to carry a bridge of width={width} (each side needs "
            f"{width // 2 + 1} and {(width + 1) // 2} people tied one to the next, not yet tied "
            "across); choose a smaller width"
        )
    H = G.copy()
    H.add_edges_from(pairs, kind="bridge")
    return H


def set_role(G, person, role, *, team=None):
    """Return a copy of `G` in which `person` has a new `role` (one of :data:`ROLES`) and its level.

    An executive's team becomes -1; `team` moves the person to that team, which an executive who
    takes a role in a team needs (and ``role="executive"`` refuses).

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
    """Return a copy of `G` with a new tie of `kind` (one of :data:`KINDS`) between `u` and `v`.

    Tie a member of team 0 (person 4) to a member of team 5 (person 44); `G` is unchanged.

    >>> G = organisation(p_out=0, seed=1)
    >>> add_tie(G, 4, 44).edges[4, 44]["kind"], G.has_edge(4, 44)
    ('informal', False)
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


def find_person(G, person, name="person"):
    """Return the number of `person` in organisation `G`: a number, or a label such as ``"T0-1"``.

    A label may carry the role after it, as the apps show it (``"L2 (line leader, team 2)"``);
    case does not matter.

    >>> find_person(organisation(seed=1), "t0-1 (member, team 0)")
    4
    """
    n = G.number_of_nodes()
    if isinstance(person, str):
        key = person.split(" (", 1)[0].strip().lower()
        found = [v for v in range(n) if str(G.nodes[v]["label"]).lower() == key]
        if found:
            return found[0]
    elif isinstance(person, Integral) and not isinstance(person, bool) and 0 <= person < n:
        return int(person)
    raise ValueError(
        f"{name} must be a person in the network (a number from 0 to {n - 1} or a label such as "
        f"{G.nodes[0]['label']!r}), got {name}={person!r}"
    )


def describe(G):
    """Return who is in organisation `G` and how they are tied, in words.

    >>> print(describe(organisation(teams=2, team_size=3, executives=1, seed=1)))
    7 people (1 executives, 2 line leaders, 0 internal networkers, 4 team members) in 2 teams, with 7 ties (6 formal, 1 informal, 0 bridge)
    """
    roles = Counter(role for _, role in G.nodes(data="role"))
    kinds = Counter(kind for *_, kind in G.edges(data="kind"))
    return (
        f"{G.number_of_nodes()} people ({roles['executive']} executives, {roles['line_leader']} "
        f"line leaders, {roles['networker']} internal networkers, {roles['member']} team "
        f"members) in {G.graph['teams']} teams, with {G.number_of_edges()} ties "
        f"({kinds['formal']} formal, {kinds['informal']} informal, {kinds['bridge']} bridge)"
    )


def hierarchy_layout(G):
    """Return positions for drawing an organisation as a chart: executives on top, teams below.

    Executives sit in a row at the top; each team's line leader below them, the team's other
    people in a small grid under their leader; teams side by side, ten to a band.  Computed
    directly (no force-directed layout): the same picture every time, fast.  Returns a read-only
    array: row ``v`` is person ``v``'s (x, y).  Here the three executives are above everyone,
    line leader L0 (person 3) above the members of team 0:

    >>> xy = hierarchy_layout(organisation(seed=1))
    >>> xy.shape, bool(xy[:3, 1].min() > xy[3:, 1].max())
    ((51, 2), True)
    >>> bool(xy[3, 1] > xy[4:10, 1].max())
    True
    """
    validate_organisation(G)
    n, teams = G.number_of_nodes(), int(G.graph["teams"])
    executives = [v for v in range(n) if G.nodes[v]["role"] == "executive"]
    people = _people_by_team(G)
    leaders, others = ({t: [] for t in range(teams)} for _ in range(2))
    for t, vs in people.items():
        for v in vs:
            (leaders if G.nodes[v]["role"] == "line_leader" else others)[t].append(v)
    biggest = max([len(vs) for vs in others.values()] + [1])
    cols = max(2, math.ceil(math.sqrt(biggest * 1.5)))
    rows = max(1, math.ceil(biggest / cols))
    per_band = max(1, min(teams, 10))
    team_width = cols + 1.6
    xy = np.zeros((n, 2))
    for t in range(teams):
        band, slot = divmod(t, per_band)
        left = slot * team_width
        top = -band * (1.9 + 0.8 * rows)
        for i, v in enumerate(leaders[t]):
            xy[v] = (left + (cols - 1) / 2 + (i - (len(leaders[t]) - 1) / 2) * 0.9, top)
        for i, v in enumerate(others[t]):
            r, c = divmod(i, cols)
            # rows offset by half a place and columns staggered, so that ties between people
            # in the same row (and between teams) do not run along a row of people
            xy[v] = (left + c + 0.5 * (r % 2), top - 1.1 - 0.8 * r - 0.25 * ((c + t) % 2))
    width = max(per_band * team_width - 1.4, 1.0)
    for i, v in enumerate(executives):
        xy[v] = ((i + 1) * width / (len(executives) + 1) - 0.5, 1.6)
    xy.setflags(write=False)
    return xy


def validate_organisation(G):
    """Check that `G` is an organisation this course can use; raise on the first problem.

    An organisation is an undirected ``networkx.Graph`` of at most :data:`MAX_PEOPLE` people
    numbered ``0 .. n-1`` with a whole number ``G.graph["teams"] >= 0``, whose people and ties carry
    the attributes of the module conventions (others are allowed).  The error names the person or
    tie, the attribute and its value:

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
    """Return `G` as JSON text: a ``senge-course/organisation`` document of node-link data.

    It reads back with :func:`from_json`, and with networkx as
    ``nx.node_link_graph(json.loads(text), edges="edges")``.  Attributes must be text, numbers or
    true/false, and not use a reserved name (``id`` for people, ``source``/``target`` for ties).

    Saving and loading gives back the same organisation.

    >>> G = organisation(seed=1)
    >>> text = to_json(G)
    >>> text[:47]
    '{"schema":"senge-course/organisation","version"'
    >>> nx.utils.graphs_equal(from_json(text), G)
    True
    """
    validate_organisation(G)
    nodes = [{"id": int(v), **_plain(f"person {v}", G.nodes[v], ("id",))} for v in sorted(G)]
    edges = [
        {"source": int(u), "target": int(v), **_plain(f"the tie between {u} and {v}", data, _ENDS)}
        for u, v, data in G.edges(data=True)
    ]
    document = {"directed": False, "multigraph": False, "graph": _plain("G.graph", G.graph)}
    document.update(nodes=nodes, edges=edges)
    return files.dumps(document, schema=SCHEMA, version=VERSION, compact=True)


def from_json(text, *, where=None):
    """Return the organisation stored in JSON `text` (str or bytes) written by :func:`to_json`.

    The text is treated as untrusted: it must be at most `senge_course.files.MAX_BYTES` long, be a
    ``senge-course/organisation`` document of version 1 (older files say ``format`` instead of
    ``schema``), hold at most :data:`MAX_PEOPLE` people and :data:`MAX_TIES` ties with plain
    attribute values, and describe a valid organisation.  `where` starts error messages.

    Text of another schema is refused, with the reason.

    >>> from_json('{"schema": "something else", "version": 1}')
    Traceback (most recent call last):
    ...
    ValueError: cannot read the network: it is a 'something else' file, not a 'senge-course/organisation' file
    """
    data = files.loads(text, schema=SCHEMA, version=VERSION, what="network", where=where)
    for key in ("directed", "multigraph"):
        if data.get(key, False) is not False:
            raise ValueError(f"an organisation must have {key}=false, got {key}={data[key]!r}")
    graph, nodes, edges = data.get("graph", {}), data.get("nodes"), data.get("edges")
    if not isinstance(graph, dict):
        raise ValueError(f'"graph" must be a JSON object, got {type(graph).__name__}')
    _plain('"graph"', graph)
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
        _plain(f"person {node['id']}", attrs)
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
        attrs = {k: val for k, val in edge.items() if k not in _ENDS}
        G.add_edge(u, v, **_plain(f"the tie between {u} and {v}", attrs))
    validate_organisation(G)
    return G


def write_graphml(G, path):
    """Save organisation `G` as a GraphML file at `path`, atomically (`senge_course.files`).

    Raises ValueError if `G` holds an attribute GraphML cannot store, OSError if the file cannot be
    written; a file already at `path` is then left as it was.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "org.graphml"
    >>> G = organisation(seed=1)
    >>> write_graphml(G, path)
    >>> nx.utils.graphs_equal(read_graphml(path), G)
    True
    """
    validate_organisation(G)
    try:
        lines = ["<?xml version='1.0' encoding='utf-8'?>", *nx.generate_graphml(G)]
    except (nx.NetworkXError, TypeError, ValueError) as exc:
        raise ValueError(f"G cannot be saved as GraphML: {exc}") from None
    files.write_text(path, "\n".join(lines) + "\n", what="the network")


def read_graphml(path):
    """Return the organisation stored in the GraphML file at `path`.

    The file is treated as untrusted: it must be at most `senge_course.files.MAX_BYTES` bytes of
    XML text in the encoding its byte-order mark or XML declaration names (UTF-8 when it names
    none; UTF-16 and UTF-32 from Gephi or yEd load too), declare no DTD or entities, parse as
    GraphML with people numbered 0 to n-1, and describe a valid organisation; the error says which
    is not so.  The text is decoded first and `defusedxml` checks that same text, so a DTD is
    refused in every encoding (billion laughs, external entities), and networkx parses only text
    that passed.

    >>> import pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.graphml"
    >>> _ = bad.write_text("not xml")
    >>> read_graphml(bad)
    Traceback (most recent call last):
    ...
    ValueError: ...bad.graphml is not a GraphML organisation file: ...
    """
    text = _xml_text(path)
    try:
        defusedxml.ElementTree.fromstring(text, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise ValueError(
            f"{path} declares a DTD or entities (<!DOCTYPE ...>), which organisation files never "
            "need: export it again as plain GraphML"
        ) from None
    except (ET.ParseError, ExpatError, RecursionError) as e:
        raise ValueError(f"{path} is not a GraphML organisation file: {e}") from None
    try:
        G = nx.parse_graphml(text, node_type=int)
    except (ET.ParseError, nx.NetworkXError, ValueError, KeyError, TypeError, RecursionError) as e:
        raise ValueError(f"{path} is not a GraphML organisation file: {e}") from None
    # networkx records the GraphML key defaults here; they are not part of the organisation
    G.graph.pop("node_default", None)
    G.graph.pop("edge_default", None)
    try:
        validate_organisation(G)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path} is not a valid organisation: {exc}") from None
    return G


def save(G, path):
    """Save organisation `G` to `path`: ``.json`` (:func:`to_json`) or ``.graphml`` (Gephi, yEd).

    The write is atomic: a failed save (OSError naming `path`: no folder, a full disk) leaves a file
    already there as it was.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ours.json"
    >>> save(organisation(seed=1), path)
    >>> load(path).number_of_nodes()
    51
    """
    path = _file_path(path)
    if path.suffix.lower() == ".graphml":
        write_graphml(G, path)
    else:
        files.write_text(path, to_json(G), what="the network")


def load(path):
    """Return the organisation in the file at `path` (``.json`` or ``.graphml``; see :func:`save`).

    Raises FileNotFoundError if there is no such file, ValueError naming the file and the problem
    (a folder, too large, not text, not a valid organisation: :func:`from_json`,
    :func:`read_graphml`).
    """
    path = _file_path(path)
    if path.suffix.lower() == ".graphml":
        return read_graphml(path)
    text = files.read_text(path, what="network", max_bytes=files.MAX_BYTES)
    return from_json(text, where=f"cannot load the network {path}")


def informal_layers(G, *, seed=None):
    """Return Krackhardt & Hanson's (1993) advice, trust and communication networks over `G`'s people.

    The chart shows who reports to whom; these layers, made by simple rules with randomness from
    `seed`, show how work gets done.  ``"communication"`` (who talks to whom about work) is every
    tie of `G`.  ``"advice"``: everyone gets an ``experience`` between 0 and 1 (independent of
    rank) and asks 2 others, chosen with weight ``experience ** 3``, so advice flows to a few
    experienced people, mostly in other teams (a tie's ``adviser`` is the person asked, the first
    one when two ask each other).  ``"trust"`` (who confides in whom): each pair with probability
    0.4 in the same team (the executives count as one) at the same level, 0.15 in the same team at
    different levels, 0.03 across teams at the same level and 0.005 otherwise.

    Each layer is an organisation with the same people (``G.graph["layer"]`` names it); a tie's
    ``kind`` is its kind in `G` if the pair is tied there, else ``"informal"``, so the share of
    ``"formal"`` ties is how much of a layer the chart shows.  Most advice ties are off the chart:

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

    def kind(u, v):
        return G.edges[u, v]["kind"] if G.has_edge(u, v) else "informal"

    def layer(name, pairs):
        H = nx.Graph()
        H.graph.update(G.graph, layer=name)
        H.add_nodes_from((v, dict(G.nodes[v])) for v in sorted(G))
        H.add_edges_from((u, v, {"kind": kind(u, v)}) for u, v in pairs)
        return H

    communication = layer("communication", G.edges())

    experience = rng.random(n)
    weights = experience**_ADVICE_POWER
    advice = layer("advice", [])
    nx.set_node_attributes(advice, dict(enumerate(experience.tolist())), "experience")
    for v in range(n if n > 1 else 0):
        w = weights.copy()
        w[v] = 0.0
        for adviser in rng.choice(n, size=min(_ADVISERS, n - 1), replace=False, p=w / w.sum()):
            adviser = int(adviser)
            if not advice.has_edge(v, adviser):
                advice.add_edge(v, adviser, kind=kind(v, adviser), adviser=adviser)

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


def _check_pair(G, u, v):
    last = G.number_of_nodes() - 1
    u = check_integer("u", u, low=0, high=last)
    v = check_integer("v", v, low=0, high=last)
    if u == v:
        raise ValueError(f"u and v must be two different people, got u={u}, v={v}")
    return u, v


def _plain(where, data, reserved=()):
    """Return `data` (attributes) with numpy numbers as plain ones; raise if a file cannot hold it."""
    out = {}
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
        out[key] = value.item() if isinstance(value, np.generic) else value
    return out


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _file_path(path):
    path = Path(path)
    if path.suffix.lower() not in (".json", ".graphml"):
        raise ValueError(f"the file name must end in .json or .graphml, got {path.name!r}")
    return path


#: Byte-order marks, longest first (a UTF-32-LE mark starts like a UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: "<" or "<?" without a byte-order mark in the encodings XML 1.0 (appendix F) tells apart by it.
_MARKLESS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED_ENCODING = re.compile(
    rb"<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']"
)


def _xml_text(path):
    """The text of the XML file at `path`: its bytes (size-capped) decoded in the encoding its
    byte-order mark, first bytes or XML declaration name (UTF-8 if none)."""
    path = Path(path)
    where = f"cannot load the network {path}"
    if not path.exists():
        raise FileNotFoundError(f"{where}: there is no such file")
    if path.is_dir():
        raise ValueError(f"{where}: it is a folder, not a file")
    with open(path, "rb") as fh:
        raw = fh.read(files.MAX_BYTES + 1)
    if len(raw) > files.MAX_BYTES:
        raise ValueError(f"{where}: it is too large (over {files.MAX_BYTES:,} bytes)")
    mark, encoding = next(((bom, enc) for bom, enc in _BOMS if raw.startswith(bom)), (b"", None))
    raw = raw[len(mark) :]
    if encoding is None:
        encoding = next((enc for start, enc in _MARKLESS if raw.startswith(start)), None)
    if encoding is None:
        declared = _DECLARED_ENCODING.match(raw[:1024])
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        text = raw.decode(encoding)
    except LookupError:
        raise ValueError(
            f"{where}: it declares the encoding {encoding!r}, which is not a text encoding Python "
            "knows; save it as UTF-8"
        ) from None
    except UnicodeDecodeError:
        raise ValueError(f"{where}: it is not a network file (not {encoding} text)") from None
    if not text.strip():
        raise ValueError(f"{where}: the file is empty")
    return text


def _people_by_team(G):
    """Map each team to its people (executives excluded), in person order."""
    people = {}
    for v in sorted(G):
        team = G.nodes[v]["team"]
        if team != NO_TEAM:
            people.setdefault(team, []).append(v)
    return people


def _neighbour_chain(neighbours, people, length, rng, *, start=None):
    """`length` of `people`, each tied to the next (random walks from `start`, or from a random
    one of them); None if there is none.  `neighbours`: each person's, in person order."""
    pool = set(people)
    if len(pool) < length:
        return None
    starts = sorted(pool)
    for _ in range(_CHAIN_TRIES):
        chain = [start if start is not None else starts[int(rng.integers(len(starts)))]]
        while len(chain) < length:
            options = [w for w in neighbours[chain[-1]] if w in pool and w not in chain]
            if not options:
                break
            chain.append(options[int(rng.integers(len(options)))])
        if len(chain) == length:
            return [int(v) for v in chain]
    return None


def _zigzag(neighbours, side_a, side_b, width, rng, *, start=None, laid=()):
    """The `width` ties of a bridge zig-zagging between chains of neighbouring people of `side_a`
    (from `start`, if given) and `side_b`: a1-b1, a2-b1, a2-b2, ...; none of them already a tie
    (`neighbours`: each person's) or in `laid` (frozensets of pairs); None if none can be found."""
    for _ in range(_CHAIN_TRIES):
        a = _neighbour_chain(neighbours, side_a, width // 2 + 1, rng, start=start)
        b = _neighbour_chain(neighbours, side_b, (width + 1) // 2, rng)
        if a is None or b is None:
            return None
        pairs = [(a[(i + 1) // 2], b[i // 2]) for i in range(width)]
        if not any(v in neighbours[u] or frozenset((u, v)) in laid for u, v in pairs):
            return pairs
    return None


def _random_pairs(rng, groups, chance, *, block=128):
    """Pairs (u, v), u < v, each drawn with probability ``chance(groups[u], groups[v])``, by blocks."""
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
