"""Tests for senge_course.models.org: organisation networks, networkers, brokerage, files and topologies."""

import copy
import json
import math
import os
from collections import Counter

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course import files
from senge_course.models import org
from senge_course.models.brokerage import brokerage, suggest_networkers
from senge_course.models.org import (
    KINDS,
    NO_TEAM,
    ROLE_LEVEL,
    ROLES,
    add_bridge,
    add_networkers,
    add_tie,
    from_json,
    informal_layers,
    load,
    organisation,
    read_graphml,
    remove_tie,
    save,
    set_role,
    to_json,
    validate_organisation,
    write_graphml,
)
from senge_course.models.topologies import clustered_lattice, random_regular, rewired, ring_lattice

# ----------------------------------------------------------------------------- helpers


def _committed(G, starters, thresholds=None, default=2):
    """People committed at the end of an irreversible threshold contagion (absolute counts)."""
    thresholds = thresholds or {}
    done = set(starters)
    changed = True
    while changed:
        changed = False
        for v in G:
            if v not in done and sum(w in done for w in G[v]) >= thresholds.get(v, default):
                done.add(v)
                changed = True
    return done


def _team(G, t):
    return [v for v, team in G.nodes(data="team") if team == t]


def _ties(G, kind):
    return [(u, v) for u, v, k in G.edges(data="kind") if k == kind]


def _snapshot(G):
    return copy.deepcopy((dict(G.graph), list(G.nodes(data=True)), list(G.edges(data=True))))


@pytest.fixture
def org_graph():
    return organisation(seed=11)


# ----------------------------------------------------------------------------- organisation


@pytest.mark.parametrize("teams", [1, 4])
@pytest.mark.parametrize("team_size", [2, 6])
@pytest.mark.parametrize("executives", [1, 3])
def test_organisation_counts_order_and_labels(teams, team_size, executives):
    G = organisation(teams=teams, team_size=team_size, executives=executives, seed=0)
    validate_organisation(G)
    assert list(G) == list(range(executives + teams * team_size))
    roles = Counter(role for _, role in G.nodes(data="role"))
    assert roles == Counter(executive=executives, line_leader=teams, member=teams * (team_size - 1))
    assert G.graph["teams"] == teams
    for e in range(executives):
        assert G.nodes[e] == {
            "role": "executive",
            "team": NO_TEAM,
            "level": 0,
            "label": f"E{e + 1}",
        }
    for t in range(teams):
        leader = executives + t * team_size
        assert G.nodes[leader] == {"role": "line_leader", "team": t, "level": 1, "label": f"L{t}"}
        for k in range(1, team_size):
            assert G.nodes[leader + k] == {
                "role": "member",
                "team": t,
                "level": 2,
                "label": f"T{t}-{k}",
            }


def test_organisation_formal_chart(org_graph):
    G = org_graph
    E, size, teams = G.graph["executives"], G.graph["team_size"], G.graph["teams"]
    formal = {frozenset(tie) for tie in _ties(G, "formal")}
    expected = {frozenset((a, b)) for a in range(E) for b in range(a + 1, E)}
    for t in range(teams):
        leader = E + t * size
        expected.add(frozenset((t % E, leader)))
        expected |= {frozenset((leader, leader + k)) for k in range(1, size)}
    assert formal == expected
    # every member has a formal tie to their own line leader
    for v, data in G.nodes(data=True):
        if data["role"] == "member":
            leader = E + data["team"] * size
            assert G.edges[v, leader]["kind"] == "formal"
    # executives have no informal ties
    assert all(G.edges[e, w]["kind"] == "formal" for e in range(E) for w in G[e])


def test_organisation_informal_density_inside_teams_far_above_across():
    G = organisation(teams=30, team_size=10, seed=3)
    assert G.number_of_nodes() == 303
    validate_organisation(G)
    informal = _ties(G, "informal")
    inside = sum(G.nodes[u]["team"] == G.nodes[v]["team"] for u, v in informal)
    across = len(informal) - inside
    pairs_inside = 30 * 45
    pairs_across = 300 * 299 // 2 - pairs_inside
    assert inside / pairs_inside > 20 * (across / pairs_across)
    # the default p_out gives about half a tie outside one's team per person
    assert across / 300 == pytest.approx(0.25, abs=0.1)  # 0.5 ends per person = 0.25 ties
    assert G.graph["p_out"] == pytest.approx(0.5 / 290)


@pytest.mark.parametrize("p_in, p_out", [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)])
def test_organisation_extreme_probabilities(p_in, p_out):
    G = organisation(teams=3, team_size=4, executives=2, p_in=p_in, p_out=p_out, seed=1)
    people = [v for v in G if G.nodes[v]["team"] != NO_TEAM]
    same = [
        (u, v)
        for i, u in enumerate(people)
        for v in people[i + 1 :]
        if G.nodes[u]["team"] == G.nodes[v]["team"]
    ]
    other = [
        (u, v)
        for i, u in enumerate(people)
        for v in people[i + 1 :]
        if G.nodes[u]["team"] != G.nodes[v]["team"]
    ]
    assert all(
        G.has_edge(u, v) == (p_in == 1.0) or G.edges[u, v]["kind"] == "formal" for u, v in same
    )
    assert all(G.has_edge(u, v) == (p_out == 1.0) for u, v in other)


def test_organisation_same_seed_same_graph_and_other_seed_differs():
    a, b = organisation(seed=5), organisation(seed=5)
    assert nx.utils.graphs_equal(a, b)
    assert list(a.edges(data=True)) == list(b.edges(data=True))
    assert not nx.utils.graphs_equal(a, organisation(seed=6))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"teams": 0}, ValueError, r"teams must be a whole number in \[1, 1000\], got teams=0"),
        ({"teams": 2.5}, TypeError, "teams must be a whole number"),
        ({"team_size": 1}, ValueError, "team_size must be a whole number >= 2"),
        ({"executives": 0}, ValueError, "executives must be a whole number >= 1"),
        ({"p_in": 1.5}, ValueError, r"p_in must be a number in \[0, 1\], got p_in=1.5"),
        ({"p_out": -0.1}, ValueError, "p_out must be a number"),
        ({"p_out": "rare"}, TypeError, "p_out must be a number"),
        ({"seed": -1}, ValueError, "seed must be None"),
        ({"teams": 1000, "team_size": 6}, ValueError, "at most 5000 are allowed"),
    ],
)
def test_organisation_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        organisation(**kwargs)


# ----------------------------------------------------------------------------- networkers and bridges


@pytest.mark.parametrize("count", [1, 4])
@pytest.mark.parametrize("bridge_width", [1, 2, 3])
@pytest.mark.parametrize("teams_spanned", [1, 3])
def test_add_networkers_adds_count_x_teams_spanned_x_width_bridges(
    count, bridge_width, teams_spanned
):
    G = organisation(p_out=0, seed=2)
    before = _snapshot(G)
    H = add_networkers(
        G, count=count, bridge_width=bridge_width, teams_spanned=teams_spanned, seed=4
    )
    assert _snapshot(G) == before  # the input is never changed
    validate_organisation(H)
    bridges = _ties(H, "bridge")
    assert len(bridges) == count * teams_spanned * bridge_width
    assert H.number_of_edges() == G.number_of_edges() + len(bridges)
    networkers = [v for v, role in H.nodes(data="role") if role == "networker"]
    assert len(networkers) == count
    # drawn from members, of different teams while there are enough teams
    assert all(G.nodes[v]["role"] == "member" for v in networkers)
    assert len({H.nodes[v]["team"] for v in networkers}) == count
    assert all(H.nodes[v]["level"] == ROLE_LEVEL["networker"] for v in networkers)
    homes = {H.nodes[v]["team"] for v in networkers}
    for u, v in bridges:  # every bridge joins a networker's team to another team
        assert H.nodes[u]["team"] != H.nodes[v]["team"]
        assert {H.nodes[u]["team"], H.nodes[v]["team"]} & homes
    for v in networkers:  # each networker holds a tie of each of their bridges
        reached = {H.nodes[w]["team"] for w in H[v] if H.edges[v, w]["kind"] == "bridge"}
        assert len(reached) >= teams_spanned  # (more if another's bridge includes them)


@pytest.mark.parametrize("bridge_width", [1, 2, 3, 4])
@pytest.mark.parametrize("teams_spanned", [1, 2, 5])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_networker_lays_a_zig_zag_bridge_from_their_team_into_each_team_spanned(
    bridge_width, teams_spanned, seed
):
    # Centola & Macy's wide bridge: the networker and the teammates next to them on one side,
    # neighbouring people on the other, tied a1-b1, a2-b1, a2-b2, ... (the networker is a1)
    G = organisation(seed=seed)
    H = add_networkers(
        G, count=1, bridge_width=bridge_width, teams_spanned=teams_spanned, seed=seed
    )
    (person,) = [v for v, role in H.nodes(data="role") if role == "networker"]
    home = H.nodes[person]["team"]
    far_teams = {H.nodes[w]["team"] for w in H[person] if H.edges[person, w]["kind"] == "bridge"}
    assert len(far_teams) == teams_spanned and home not in far_teams
    for t in far_teams:
        ties = [
            (u, v) if H.nodes[u]["team"] == home else (v, u)
            for u, v in _ties(H, "bridge")
            if {H.nodes[u]["team"], H.nodes[v]["team"]} == {home, t}
        ]
        assert len(ties) == bridge_width and not any(G.has_edge(u, v) for u, v in ties)
        near, far = {u for u, _ in ties}, {v for _, v in ties}
        assert person in near
        assert len(near) == bridge_width // 2 + 1 and len(far) == (bridge_width + 1) // 2
        assert nx.is_connected(G.subgraph(near)) and nx.is_connected(G.subgraph(far))
        assert max(Counter(v for _, v in ties).values()) <= 2  # no one is reached thrice


def test_add_networkers_same_seed_same_graph(org_graph):
    a = add_networkers(org_graph, seed=9)
    assert nx.utils.graphs_equal(a, add_networkers(org_graph, seed=9))
    assert list(a.edges(data=True)) == list(add_networkers(org_graph, seed=9).edges(data=True))


def test_add_networkers_zero_returns_an_equal_copy(org_graph):
    H = add_networkers(org_graph, count=0)
    assert H is not org_graph
    assert nx.utils.graphs_equal(H, org_graph)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_wide_networker_bridge_carries_a_complex_contagion(seed):
    """From the networker's team, all committed, a practice needing two committed contacts
    crosses a bridge 3 ties wide into the whole other team; a single tie carries nothing."""
    G = organisation(teams=2, team_size=8, executives=1, p_in=0.7, p_out=0, seed=seed)
    spread = {}
    for width in (1, 3):
        H = add_networkers(G, count=1, bridge_width=width, teams_spanned=1, seed=seed)
        (person,) = [v for v, role in H.nodes(data="role") if role == "networker"]
        home = H.nodes[person]["team"]
        done = _committed(H, _team(H, home))
        spread[width] = sum(1 for v in done if H.nodes[v]["team"] == 1 - home)
    assert spread == {1: 0, 3: 8}


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"count": -1}, ValueError, "count must be a whole number >= 0, got count=-1"),
        ({"count": 43}, ValueError, r"count must be at most the number of members .*\(42\)"),
        ({"count": 1.0}, TypeError, "count must be a whole number"),
        ({"bridge_width": 0}, ValueError, "bridge_width must be a whole number >= 1"),
        (
            {"bridge_width": 17},
            ValueError,
            "no chains of neighbouring people can carry a bridge of bridge_width=17",
        ),
        ({"teams_spanned": 0}, ValueError, r"teams_spanned must be a whole number in \[1, 5\]"),
        ({"teams_spanned": 6}, ValueError, "teams_spanned must be a whole number"),
        ({"seed": "x"}, ValueError, "seed must be None"),
    ],
)
def test_add_networkers_rejects_bad_input(org_graph, kwargs, error, match):
    with pytest.raises(error, match=match):
        add_networkers(org_graph, **kwargs)


def test_add_networkers_needs_two_teams():
    with pytest.raises(ValueError, match="at least 2 teams to bridge, got teams=1"):
        add_networkers(organisation(teams=1, seed=1), count=1)


def test_add_networkers_validates_the_organisation():
    with pytest.raises(TypeError, match="G must be a networkx Graph"):
        add_networkers("not a graph")
    with pytest.raises(ValueError, match=r'G.graph\["teams"\] is missing'):
        add_networkers(nx.path_graph(3))


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5])
def test_add_bridge_zig_zags_between_chains_of_neighbours(width):
    G = organisation(p_out=0, seed=1)
    before = _snapshot(G)
    H = add_bridge(G, 1, 4, width=width, seed=2)
    assert _snapshot(G) == before
    validate_organisation(H)
    bridges = _ties(H, "bridge")
    assert len(bridges) == width
    B = nx.Graph(bridges)
    assert nx.is_connected(B) and max(d for _, d in B.degree()) <= 2  # one zig-zag path
    side_a = [v for v in B if H.nodes[v]["team"] == 1]
    side_b = [v for v in B if H.nodes[v]["team"] == 4]
    assert len(side_a) + len(side_b) == width + 1
    assert (len(side_a), len(side_b)) == (width // 2 + 1, (width + 1) // 2)
    assert nx.is_connected(G.subgraph(side_a)) and nx.is_connected(G.subgraph(side_b))


def test_bridge_width_decides_whether_a_threshold_two_practice_crosses():
    """Centola & Macy (2007): one long tie never carries a complex contagion; a wide bridge does."""
    G = organisation(teams=2, team_size=8, executives=1, p_in=0.7, p_out=0, seed=0)
    crossed = {}
    for width in (1, 2, 3, 4):
        H = add_bridge(G, 0, 1, width=width, seed=0)
        done = _committed(H, _team(H, 0))
        crossed[width] = len(set(done) & set(_team(H, 1)))
    assert crossed == {1: 0, 2: 1, 3: 8, 4: 8}


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((0, 0), {}, ValueError, "team_a and team_b must be two different teams"),
        ((0, 6), {}, ValueError, r"team_b must be a whole number in \[0, 5\], got team_b=6"),
        ((-1, 2), {}, ValueError, "team_a must be a whole number"),
        (("0", 2), {}, TypeError, "team_a must be a whole number"),
        ((0, 1), {"width": 0}, ValueError, "width must be a whole number >= 1"),
        ((0, 1), {"width": 20}, ValueError, "could not find chains of neighbouring people"),
    ],
)
def test_add_bridge_rejects_bad_input(org_graph, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        add_bridge(org_graph, *args, **kwargs)


# ----------------------------------------------------------------------------- editing


def test_set_role_returns_a_new_graph_with_level_to_match(org_graph):
    before = _snapshot(org_graph)
    H = set_role(org_graph, 10, "line_leader")
    assert H.nodes[10] | {} == {"role": "line_leader", "team": 0, "level": 1, "label": "T0-7"}
    assert _snapshot(org_graph) == before
    H = set_role(org_graph, 10, "executive")
    assert (H.nodes[10]["team"], H.nodes[10]["level"]) == (NO_TEAM, 0)
    H = set_role(H, 10, "member", team=4)
    assert (H.nodes[10]["team"], H.nodes[10]["level"]) == (4, 2)
    validate_organisation(H)


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        (
            (51, "member"),
            {},
            ValueError,
            r"person must be a whole number in \[0, 50\], got person=51",
        ),
        (("E1", "member"), {}, TypeError, "person must be a whole number"),
        (
            (5, "boss"),
            {},
            ValueError,
            "role must be one of 'executive', 'line_leader', 'networker', 'member', got role='boss'",
        ),
        ((5, "executive"), {"team": 2}, ValueError, "executives belong to no team"),
        ((5, "member"), {"team": 6}, ValueError, r"team must be a whole number in \[0, 5\]"),
        ((0, "member"), {}, ValueError, "person 0 is an executive with no team: give team="),
    ],
)
def test_set_role_rejects_bad_input(org_graph, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        set_role(org_graph, *args, **kwargs)


def test_add_and_remove_tie(org_graph):
    before = _snapshot(org_graph)
    H = add_tie(org_graph, 4, 50, kind="bridge")
    assert H.edges[4, 50] == {"kind": "bridge"}
    H = remove_tie(H, 50, 4)
    assert nx.utils.graphs_equal(H, org_graph)
    assert _snapshot(org_graph) == before


@pytest.mark.parametrize(
    "func, args, kwargs, error, match",
    [
        (add_tie, (4, 4), {}, ValueError, "u and v must be two different people, got u=4, v=4"),
        (add_tie, (4, 99), {}, ValueError, r"v must be a whole number in \[0, 50\], got v=99"),
        (add_tie, (None, 4), {}, TypeError, "u must be a whole number"),
        (add_tie, (3, 4), {}, ValueError, r"u=3 and v=4 are already tied \(kind='formal'\)"),
        (
            add_tie,
            (4, 50),
            {"kind": "friendly"},
            ValueError,
            "kind must be one of 'formal', 'informal', 'bridge', got kind='friendly'",
        ),
        (remove_tie, (0, 50), {}, ValueError, "there is no tie between u=0 and v=50 to remove"),
        (remove_tie, (0, -1), {}, ValueError, "v must be a whole number"),
    ],
)
def test_tie_helpers_reject_bad_input(org_graph, func, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(org_graph, *args, **kwargs)


# ----------------------------------------------------------------------------- validation


def _broken(change):
    G = organisation(teams=2, team_size=3, executives=1, seed=1)
    change(G)
    return G


@pytest.mark.parametrize(
    "G, error, match",
    [
        ("graph", TypeError, "G must be a networkx Graph"),
        (nx.DiGraph(), ValueError, "G must be an undirected graph .* got a DiGraph"),
        (nx.MultiGraph(), ValueError, "got a MultiGraph"),
        (nx.Graph(teams=1), ValueError, "at least one person"),
        (_broken(lambda G: G.graph.pop("teams")), ValueError, r'G.graph\["teams"\] is missing'),
        (
            _broken(lambda G: G.graph.update(teams="2")),
            ValueError,
            r"must be a whole number >= 0, got teams='2'",
        ),
        (_broken(lambda G: G.graph.update(teams=-1)), ValueError, "teams=-1"),
        (
            _broken(lambda G: nx.relabel_nodes(G, {6: "x"}, copy=False)),
            ValueError,
            "people must be numbered 0 to 6 .* got person 'x'",
        ),
        (_broken(lambda G: nx.relabel_nodes(G, {6: 9}, copy=False)), ValueError, "got person 9"),
        (_broken(lambda G: G.nodes[2].pop("label")), ValueError, "person 2 has no 'label'"),
        (_broken(lambda G: G.nodes[2].pop("role")), ValueError, "person 2 has no 'role' attribute"),
        (
            _broken(lambda G: G.add_edge(2, 2, kind="informal")),
            ValueError,
            "person 2 is tied to themselves",
        ),
        (_broken(lambda G: G.edges[1, 2].pop("kind")), ValueError, "between 1 and 2 has kind=None"),
    ],
)
def test_validate_organisation_names_the_first_problem(G, error, match):
    with pytest.raises(error, match=match):
        validate_organisation(G)


@pytest.mark.parametrize(
    ("person", "change", "match"),
    [
        (2, {"role": "boss"}, "person 2 has role='boss'; role must be one of"),
        (2, {"team": "A"}, "person 2 has team='A'; team must be a whole number"),
        (2, {"team": None}, "person 2 has team=None"),
        (0, {"team": 0}, "person 0 is an executive with team=0; executives have team=-1"),
        (2, {"team": 2}, "person 2 is a member with team=2; team must be from 0 to 1"),
        (2, {"team": -1}, "person 2 is a member with team=-1"),
        (1, {"level": 2}, "person 1 is a line_leader with level=2; a line_leader has level=1"),
        (2, {"level": True}, "level=True"),
        (2, {"label": 7}, "person 2 has label=7; label must be text"),
        ((1, 2), {"kind": "friendship"}, "the tie between 1 and 2 has kind='friendship'"),
    ],
)
def test_validate_organisation_names_the_person_or_tie_and_the_value(person, change, match):
    G = _broken(lambda G: None)
    (G.edges if isinstance(person, tuple) else G.nodes)[person].update(change)
    with pytest.raises(ValueError, match=match):
        validate_organisation(G)


def test_validate_organisation_caps_the_number_of_people(monkeypatch):
    G = organisation(seed=1)
    monkeypatch.setattr(org, "MAX_PEOPLE", 10)
    with pytest.raises(ValueError, match="G may have at most 10 people, got 51"):
        validate_organisation(G)


@pytest.mark.parametrize(
    "G",
    [
        organisation(seed=1),
        add_networkers(organisation(seed=1), seed=1),
        ring_lattice(10, 4),
        clustered_lattice(3, 4),
        random_regular(10, 3, seed=1),
        rewired(ring_lattice(20, 4), 0.5, seed=1),
    ],
)
def test_every_builder_returns_a_valid_organisation(G):
    validate_organisation(G)
    assert {role for _, role in G.nodes(data="role")} <= set(ROLES)
    assert {kind for _, _, kind in G.edges(data="kind")} <= set(KINDS)


# ----------------------------------------------------------------------------- brokerage


def test_brokerage_star_known_answers():
    rows = brokerage(nx.star_graph(4))
    centre, leaves = rows[0], rows[1:]
    assert (centre.degree, centre.betweenness) == (4, pytest.approx(1.0))
    assert centre.constraint == pytest.approx(1 / 4)  # four contacts, 1/16 each
    assert centre.effective_size == pytest.approx(4.0)  # no redundancy among contacts
    assert centre.network_role == "information broker"
    for leaf in leaves:
        assert (leaf.degree, leaf.betweenness) == (1, 0.0)
        assert leaf.constraint == pytest.approx(1.0)
        assert leaf.effective_size == pytest.approx(1.0)
        assert leaf.network_role == "peripheral specialist"
        assert (leaf.team, leaf.role, leaf.label) == (NO_TEAM, None, str(leaf.person))


def test_brokerage_barbell_bridge_people_are_the_brokers():
    rows = brokerage(nx.barbell_graph(5, 0))
    bridge, inner = rows[4], rows[0]
    # the bridge person: 5 contacts, 4 of them one closed clique
    assert bridge.constraint == pytest.approx(4 * 0.35**2 + 0.2**2)  # 0.53
    assert bridge.effective_size == pytest.approx(5 - 2 * 6 / 5)  # 2.6
    assert bridge.betweenness == pytest.approx(20 / 36)  # 4 x 5 of the 36 pairs of others
    assert inner.constraint == pytest.approx(3 * 0.425**2 + 0.4375**2)
    assert inner.effective_size == pytest.approx(1.0)
    assert [r.person for r in rows if r.network_role == "information broker"] == [4, 5]
    assert all(r.network_role is None for r in rows if r.person not in (4, 5))


def test_brokerage_roles_on_two_named_teams():
    """Two teams of five: in each, one person (0 and 5) is tied to all four team-mates;
    people 4 and 8 each have two ties into the other team; person 10 hangs off person 9."""
    G = nx.Graph()
    for v in range(11):
        G.add_node(v, team=min(v // 5, 1), role="member", label=f"P{v}")
    for base in (0, 5):
        G.add_edges_from((base, base + i) for i in range(1, 5))
        G.add_edges_from([(base + 1, base + 2), (base + 3, base + 4), (base + 2, base + 3)])
    G.add_edges_from([(3, 8), (4, 9), (4, 8), (9, 10)])
    rows = brokerage(G)
    roles = {r.person: r.network_role for r in rows if r.network_role}
    assert roles == {
        0: "central connector",  # most ties inside team 0
        5: "central connector",
        4: "boundary spanner",  # ties to 8 and 9 in team 1
        8: "boundary spanner",  # ties to 3 and 4 in team 0
        10: "peripheral specialist",  # a single tie
    }
    assert [(r.team_ties, r.cross_team_ties, r.teams_reached) for r in rows[3:5]] == [
        (3, 1, 1),
        (2, 2, 1),
    ]


def test_brokerage_networkers_are_boundary_spanners_and_kinds_filter():
    G = add_networkers(organisation(p_out=0, seed=1), count=3, seed=1)
    rows = brokerage(G)
    assert len(rows) == G.number_of_nodes()
    for row in rows:
        if row.role == "networker":
            assert row.network_role == "boundary spanner"
            # the first tie of each bridge (into 2 teams), plus any other bridge they share
            assert row.cross_team_ties >= 2 and row.teams_reached >= 2
    # the formal chart alone: members hang off their leader
    formal = brokerage(G, kinds=("formal",))
    assert all(r.degree == 1 for r in formal if r.role in ("member", "networker"))
    # the informal layer alone: executives have no ties (constraint undefined)
    informal = brokerage(G, kinds=("informal", "bridge"))
    for row in informal:
        if row.role == "executive":
            assert row.degree == 0 and math.isnan(row.constraint)
            assert row.network_role == "peripheral specialist"
    one, listed = brokerage(G, kinds="bridge"), brokerage(G, kinds=["bridge"])
    assert [(r.degree, r.network_role) for r in one] == [(r.degree, r.network_role) for r in listed]
    assert sum(r.degree for r in one) == 2 * 12


def test_brokerage_matches_networkx(org_graph):
    rows = brokerage(org_graph)
    between = nx.betweenness_centrality(org_graph)
    constraint = nx.constraint(org_graph)
    effective = nx.effective_size(org_graph)
    for row in rows:
        assert row.betweenness == pytest.approx(between[row.person])
        assert row.constraint == pytest.approx(constraint[row.person])
        assert row.effective_size == pytest.approx(effective[row.person])
        assert row.label == org_graph.nodes[row.person]["label"]


def test_brokerage_samples_betweenness_above_the_limit_with_a_seed(monkeypatch):
    monkeypatch.setattr("senge_course.models.brokerage.EXACT_BETWEENNESS_UP_TO", 10)
    G = ring_lattice(40, 4)
    assert brokerage(G, seed=3) == brokerage(G, seed=3)
    assert all(r.betweenness > 0 for r in brokerage(G, seed=3))


def test_brokerage_of_an_empty_graph_is_empty():
    assert brokerage(nx.Graph()) == []


@pytest.mark.parametrize(
    "G, kwargs, error, match",
    [
        ([1, 2], {}, TypeError, "G must be a networkx Graph"),
        (nx.DiGraph([(0, 1)]), {}, ValueError, "undirected"),
        (nx.Graph([(0, 0)]), {}, ValueError, "person 0 is tied to themselves"),
        (
            nx.path_graph(3),
            {"kinds": ("informal", "chat")},
            ValueError,
            "kinds must be one of 'formal', 'informal', 'bridge', got kinds='chat'",
        ),
        (nx.path_graph(3), {"seed": 1.5}, ValueError, "seed must be None"),
    ],
)
def test_brokerage_rejects_bad_input(G, kwargs, error, match):
    with pytest.raises(error, match=match):
        brokerage(G, **kwargs)


# ----------------------------------------------------------------------------- suggestions


def test_suggest_networkers_finds_a_planted_broker():
    G = organisation(p_out=0, seed=4)
    planted = 5  # T0-2, a member of team 0
    for other in (14, 22, 30, 38):  # members of teams 1 to 4
        G = add_tie(G, planted, other)
    best = suggest_networkers(G, k=3)
    assert best[0].person == planted
    assert best[0].teams_reached == 4
    assert best[0].reason.startswith("T0-2 (member, team 0): ties into 4 other teams (1, 2, 3, 4)")


def test_suggest_networkers_leaves_executives_out_rank_is_not_reach():
    """On the full chart an executive is the best-placed broker, yet never suggested."""
    G = organisation(teams=4, team_size=3, executives=1, p_in=0, p_out=0, seed=1)
    assert brokerage(G)[0].betweenness == max(r.betweenness for r in brokerage(G))
    suggested = suggest_networkers(G, k=100, kinds=None)
    assert len(suggested) == G.number_of_nodes() - 1
    assert all(s.role != "executive" for s in suggested)
    assert [s.role for s in suggested[:4]] == ["line_leader"] * 4


def test_suggest_networkers_on_plain_graphs():
    best = suggest_networkers(nx.barbell_graph(5, 0), k=2)
    assert [s.person for s in best] == [4, 5]
    assert "no team" in best[0].reason and "no ties into other teams" in best[0].reason
    assert suggest_networkers(nx.empty_graph(2), k=3)[0].reason.endswith("constraint nan")


@pytest.mark.parametrize(
    "k, error, match",
    [
        (0, ValueError, "k must be a whole number >= 1, got k=0"),
        (2.0, TypeError, "k must be a whole number"),
    ],
)
def test_suggest_networkers_rejects_bad_k(k, error, match):
    with pytest.raises(error, match=match):
        suggest_networkers(nx.path_graph(3), k=k)


# ----------------------------------------------------------------------------- informal layers


def test_informal_layers_rules():
    G = organisation(teams=8, team_size=10, seed=2)
    before = _snapshot(G)
    layers = informal_layers(G, seed=2)
    assert _snapshot(G) == before
    assert set(layers) == {"advice", "trust", "communication"}
    for name, H in layers.items():
        validate_organisation(H)
        assert H.graph["layer"] == name
        assert list(H) == list(G)
        for v in G:
            assert {k: H.nodes[v][k] for k in G.nodes[v]} == G.nodes[v]
        for u, v, kind in H.edges(data="kind"):
            assert kind == (G.edges[u, v]["kind"] if G.has_edge(u, v) else "informal")
    communication = layers["communication"]
    assert {frozenset(e) for e in communication.edges()} == {frozenset(e) for e in G.edges()}
    # advice: everyone asks two people, and the askers favour the experienced
    advice = layers["advice"]
    n = G.number_of_nodes()
    asked = Counter(adviser for _, _, adviser in advice.edges(data="adviser"))
    assert n <= advice.number_of_edges() <= 2 * n
    experience = nx.get_node_attributes(advice, "experience")
    mean_adviser = sum(experience[a] * c for a, c in asked.items()) / sum(asked.values())
    assert mean_adviser > 0.7 > sum(experience.values()) / n
    formal = sum(1 for _, _, kind in advice.edges(data="kind") if kind == "formal")
    assert formal < advice.number_of_edges() / 4  # the chart misses most advice
    # trust: far denser among peers in a team than across teams and levels
    trust = layers["trust"]
    peers_in_team = sum(
        1
        for u, v in trust.edges()
        if G.nodes[u]["team"] == G.nodes[v]["team"] and G.nodes[u]["level"] == G.nodes[v]["level"]
    )
    assert peers_in_team > trust.number_of_edges() / 2


def test_informal_layers_same_seed_same_layers(org_graph):
    a, b = informal_layers(org_graph, seed=1), informal_layers(org_graph, seed=1)
    for name in a:
        assert nx.utils.graphs_equal(a[name], b[name])


def test_informal_layers_validates_input():
    with pytest.raises(ValueError, match="teams"):
        informal_layers(nx.path_graph(3))


# ----------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    "G",
    [
        organisation(seed=1),
        add_networkers(organisation(seed=1), seed=1),
        informal_layers(organisation(seed=1), seed=1)["advice"],
        clustered_lattice(3, 3),
    ],
)
def test_json_and_graphml_round_trips(G, tmp_path):
    text = to_json(G)
    back = from_json(text)
    assert nx.utils.graphs_equal(back, G)
    assert list(back.nodes(data=True)) == list(G.nodes(data=True))
    assert from_json(text.encode("utf-8")).graph == G.graph
    data = json.loads(text)
    assert list(data)[:2] == ["schema", "version"]
    assert (data["schema"], data["version"]) == ("senge-course/organisation", 1)
    assert nx.utils.graphs_equal(nx.node_link_graph(data, edges="edges"), G)
    path = tmp_path / "org.graphml"
    write_graphml(G, path)
    back = read_graphml(path)
    assert nx.utils.graphs_equal(back, G)
    assert list(back.nodes(data=True)) == list(G.nodes(data=True))
    assert os.listdir(tmp_path) == ["org.graphml"]  # no temporary file left behind


def _document(**changes):
    data = json.loads(to_json(organisation(teams=2, team_size=3, executives=1, seed=1)))
    data.update(changes)
    return json.dumps(data)


def _edit(change):
    data = json.loads(to_json(organisation(teams=2, team_size=3, executives=1, seed=1)))
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    "text, match",
    [
        ("{not json", "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": NaN}', "NaN is not allowed"),
        ("[1, 2]", "expected a JSON object"),
        (
            _document(schema="networkx"),
            "it is a 'networkx' file, not a 'senge-course/organisation' file",
        ),
        (_document(version=2), "it has version 2; this course reads version 1"),
        (_document(version=True), "version True"),
        (_document(directed=True), "must have directed=false"),
        (_document(graph=[1]), '"graph" must be a JSON object'),
        (
            _document(graph={"teams": [2]}),
            r"\"graph\" has teams=\[2\]; attribute values must be text",
        ),
        (_document(nodes={}), 'needs a "nodes" list and an "edges" list'),
        (_edit(lambda d: d.pop("edges")), 'needs a "nodes" list'),
        (
            _edit(lambda d: d["nodes"][2].pop("id")),
            'node 2 in the file must be an object with a whole-number "id"',
        ),
        (_edit(lambda d: d["nodes"][2].update(id="2")), "whole-number"),
        (_edit(lambda d: d["nodes"].__setitem__(2, 5)), "node 2 in the file"),
        (_edit(lambda d: d["nodes"][2].update(id=1)), "person 1 appears twice"),
        (_edit(lambda d: d["nodes"][2].update(role={"a": 1})), "person 2 has role={'a': 1}"),
        (_edit(lambda d: d["nodes"][2].update(team=None)), "person 2 has team=None"),
        (_edit(lambda d: d["nodes"][2].pop("role")), "person 2 has no 'role' attribute"),
        (_edit(lambda d: d["nodes"][2].update(role="owner")), "role='owner'"),
        (_edit(lambda d: d["edges"].__setitem__(0, [0, 1])), "tie 0 in the file must be an object"),
        (
            _edit(lambda d: d["edges"][0].update(target=99)),
            "tie 0 in the file must join two people .* target=99",
        ),
        (_edit(lambda d: d["edges"].append(dict(d["edges"][0]))), "appears twice in the file"),
        (_edit(lambda d: d["edges"][0].update(weight=[1])), r"weight=\[1\]"),
        (_edit(lambda d: d["edges"][0].update(kind="gossip")), "kind='gossip'"),
        (_edit(lambda d: d["nodes"].pop()), "tie .* must join two people listed in the file"),
    ],
)
def test_from_json_refuses_malformed_or_hostile_text(text, match):
    with pytest.raises(ValueError, match=match):
        from_json(text)


def test_from_json_limits(monkeypatch):
    text = to_json(organisation(seed=1))
    monkeypatch.setattr(files, "MAX_BYTES", 100)
    with pytest.raises(ValueError, match=f"too long \\({len(text):,} characters, at most 100\\)"):
        from_json(text)
    with pytest.raises(ValueError, match="too long"):
        from_json(text.encode())
    monkeypatch.setattr(files, "MAX_BYTES", 10**7)
    monkeypatch.setattr(org, "MAX_PEOPLE", 50)
    with pytest.raises(ValueError, match="at most 50 people, got 51"):
        from_json(text)
    monkeypatch.setattr(org, "MAX_PEOPLE", 5000)
    monkeypatch.setattr(org, "MAX_TIES", 10)
    with pytest.raises(ValueError, match="at most 10 ties"):
        from_json(text)


def test_to_json_writes_numpy_numbers_as_plain_numbers():
    G = organisation(seed=1)
    G.nodes[4]["skill"] = np.int64(3)
    G.graph["p_in"] = np.float64(0.5)
    back = from_json(to_json(G))
    assert back.nodes[4]["skill"] == 3 and type(back.nodes[4]["skill"]) is int
    assert back.graph["p_in"] == 0.5


def test_a_one_person_organisation_works_everywhere():
    G = nx.Graph(teams=0)
    G.add_node(0, role="executive", team=NO_TEAM, level=0, label="E1")
    validate_organisation(G)
    assert nx.utils.graphs_equal(from_json(to_json(G)), G)
    assert all(H.number_of_edges() == 0 for H in informal_layers(G, seed=1).values())
    (row,) = brokerage(G)
    assert (row.degree, row.network_role) == (0, "peripheral specialist")
    assert suggest_networkers(G) == []


def test_from_json_reads_files_written_before_the_schema_key_and_checks_types():
    old = json.loads(to_json(organisation(seed=1)))
    old = {"format": old.pop("schema"), **old}
    assert nx.utils.graphs_equal(from_json(json.dumps(old)), organisation(seed=1))
    with pytest.raises(TypeError, match="text must be JSON text"):
        from_json({"format": "senge-course/organisation"})
    with pytest.raises(ValueError, match="not UTF-8"):
        from_json(b"\xff\xfe{")


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda G: G.nodes[3].update(skills=["a"]), r"person 3 has skills=\['a'\]"),
        (
            lambda G: G.nodes[3].update(id=7),
            "person 3 has an attribute named 'id', which files reserve",
        ),
        (lambda G: G.edges[0, 1].update(source=1), "attribute named 'source'"),
        (lambda G: G.graph.update(p_in=math.nan), "numbers must be finite"),
        (lambda G: G.graph.update({1: 2}), "attribute name 1 that is not text"),
    ],
)
def test_to_json_refuses_attributes_files_cannot_hold(change, match):
    G = organisation(seed=1)
    change(G)
    with pytest.raises(ValueError, match=match):
        to_json(G)


def test_write_graphml_leaves_an_existing_file_untouched_on_failure(tmp_path):
    path = tmp_path / "org.graphml"
    path.write_text("the previous save")
    bad = organisation(seed=1)
    bad.nodes[4]["role"] = "boss"
    with pytest.raises(ValueError, match="person 4 has role='boss'"):
        write_graphml(bad, path)
    unstorable = organisation(seed=1)
    unstorable.nodes[4]["skills"] = ["facilitation"]
    with pytest.raises(ValueError, match="G cannot be saved as GraphML"):
        write_graphml(unstorable, path)
    assert path.read_text() == "the previous save"
    assert os.listdir(tmp_path) == ["org.graphml"]


@pytest.mark.parametrize("name", ["ours.json", "ours.GraphML"])
def test_save_and_load_by_suffix(tmp_path, name):
    G = add_networkers(organisation(seed=1), seed=1)
    save(G, tmp_path / name)
    assert nx.utils.graphs_equal(load(str(tmp_path / name)), G)
    with pytest.raises(ValueError, match="must end in .json or .graphml, got 'ours.txt'"):
        save(G, tmp_path / "ours.txt")
    with pytest.raises(ValueError, match="must end in .json or .graphml"):
        load(tmp_path / "ours.txt")
    with pytest.raises(FileNotFoundError, match="no such file"):
        load(tmp_path / "missing.json")
    with pytest.raises(OSError, match="there is no folder"):
        save(G, tmp_path / "missing" / "ours.json")
    (tmp_path / "bad.json").write_text('{"schema": "senge-course/plan", "version": 1}')
    with pytest.raises(ValueError, match="cannot load the network .*bad.json: it is a 'senge"):
        load(tmp_path / "bad.json")


def test_write_graphml_keeps_the_file_mode(tmp_path):
    path = tmp_path / "org.graphml"
    path.write_text("old")
    os.chmod(path, 0o600)
    write_graphml(organisation(seed=1), path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    fresh = tmp_path / "fresh.graphml"
    write_graphml(organisation(seed=1), fresh)
    assert os.stat(fresh).st_mode & 0o777 == 0o644


_GRAPHML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
)


@pytest.mark.parametrize(
    "content, match",
    [
        ("not xml at all", "is not a GraphML organisation file"),
        ("", "the file is empty"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            "<graphml>&lol2;</graphml>",
            "declares a DTD or entities",
        ),
        (
            _GRAPHML_HEAD + '<graph edgedefault="undirected"><node id="a"/></graph></graphml>',
            "is not a GraphML organisation file",
        ),
        (
            _GRAPHML_HEAD + '<graph edgedefault="undirected"><node id="0"/></graph></graphml>',
            r'is not a valid organisation: G.graph\["teams"\] is missing',
        ),
        (
            _GRAPHML_HEAD + '<graph edgedefault="directed"><node id="0"/></graph></graphml>',
            "is not a valid organisation: G must be an undirected graph",
        ),
    ],
)
def test_read_graphml_refuses_bad_files(tmp_path, content, match):
    path = tmp_path / "bad.graphml"
    path.write_text(content)
    with pytest.raises(ValueError, match=match):
        read_graphml(path)


def test_read_graphml_reads_utf16_text_as_what_it_is(tmp_path):
    # once refused (a byte search could not see a DTD in it); now decoded, then checked for a
    # DTD in any encoding (tests/test_security_inputs.py), so a UTF-16 export loads
    path = tmp_path / "org.graphml"
    G = organisation(seed=1)
    write_graphml(G, path)
    text = path.read_text(encoding="utf-8").replace("utf-8", "utf-16")
    path.write_text(text, encoding="utf-16")
    assert sorted(read_graphml(path).edges) == sorted(G.edges)


def test_read_graphml_refuses_a_graphml_file_with_a_bad_attribute(tmp_path):
    G = organisation(seed=1)
    path = tmp_path / "org.graphml"
    nx.write_graphml(nx.relabel_nodes(G, {0: 99}), path)
    with pytest.raises(ValueError, match="people must be numbered 0 to 50"):
        read_graphml(path)
    G.nodes[7]["level"] = 5
    nx.write_graphml(G, path)
    with pytest.raises(ValueError, match="person 7 is a member with level=5"):
        read_graphml(path)


def test_read_graphml_size_limit_and_missing_file(tmp_path, monkeypatch):
    path = tmp_path / "org.graphml"
    write_graphml(organisation(seed=1), path)
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    with pytest.raises(ValueError, match="is too large"):
        read_graphml(path)
    with pytest.raises(FileNotFoundError):
        read_graphml(tmp_path / "missing.graphml")


# ----------------------------------------------------------------------------- topologies


@pytest.mark.parametrize("n, k", [(10, 2), (10, 4), (30, 6)])
def test_ring_lattice(n, k):
    G = ring_lattice(n, k)
    assert G.number_of_nodes() == n and G.number_of_edges() == n * k // 2
    assert {d for _, d in G.degree()} == {k}
    assert all(G.has_edge(v, (v + j) % n) for v in G for j in range(1, k // 2 + 1))
    assert G.nodes[0] == {"role": "member", "team": 0, "level": 2, "label": "P1"}
    assert nx.average_clustering(G) == pytest.approx(3 * (k - 2) / (4 * (k - 1)))


@pytest.mark.parametrize(
    "n, k, error, match",
    [
        (2, 2, ValueError, "n must be a whole number in"),
        (
            10,
            3,
            ValueError,
            r"k must be an even whole number \(k/2 neighbours on each side\), got k=3",
        ),
        (10, 10, ValueError, r"k must be a whole number in \[2, 9\]"),
        (10, 0, ValueError, "k must be a whole number"),
        (10.0, 2, TypeError, "n must be a whole number"),
    ],
)
def test_ring_lattice_rejects_bad_input(n, k, error, match):
    with pytest.raises(error, match=match):
        ring_lattice(n, k)


def test_rewired_keeps_degrees_marks_long_ties_and_never_mutates():
    G = ring_lattice(50, 4)
    before = _snapshot(G)
    H = rewired(G, 0.3, seed=1)
    assert _snapshot(G) == before
    assert dict(H.degree()) == dict(G.degree())
    new = {frozenset(e) for e in H.edges()} - {frozenset(e) for e in G.edges()}
    assert new and {frozenset(e) for e in _ties(H, "bridge")} == new
    assert nx.utils.graphs_equal(rewired(G, 0.0, seed=1), G)
    assert nx.utils.graphs_equal(rewired(G, 0.3, seed=1), H)
    assert nx.average_clustering(rewired(G, 1.0, seed=1)) < nx.average_clustering(G) / 3


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(5, 40),
    half_k=st.integers(1, 3),
    p=st.floats(0, 1),
    seed=st.integers(0, 1000),
)
def test_rewired_never_changes_anyones_degree(n, half_k, p, seed):
    k = min(2 * half_k, n - 1 - (n - 1) % 2)
    G = ring_lattice(n, k)
    H = rewired(G, p, seed=seed)
    assert dict(H.degree()) == dict(G.degree())
    assert nx.number_of_selfloops(H) == 0
    validate_organisation(H)


@pytest.mark.parametrize(
    "G, p, error, match",
    [
        (ring_lattice(10, 2), 1.5, ValueError, r"p must be a number in \[0, 1\]"),
        (ring_lattice(10, 2), None, TypeError, "p must be a number"),
        (nx.DiGraph([(0, 1)]), 0.5, ValueError, "undirected"),
        ("ring", 0.5, TypeError, "G must be a networkx Graph"),
    ],
)
def test_rewired_rejects_bad_input(G, p, error, match):
    with pytest.raises(error, match=match):
        rewired(G, p)


def test_clustered_lattice_and_random_regular_share_a_degree_not_clustering():
    C = clustered_lattice(8, 9)
    R = random_regular(72, 6, seed=2)
    assert {d for _, d in C.degree()} == {d for _, d in R.degree()} == {6}
    assert nx.average_clustering(C) == pytest.approx(0.4)
    assert nx.average_clustering(R) < 0.2
    assert (C.nodes[10]["row"], C.nodes[10]["col"]) == (1, 1)
    assert nx.utils.graphs_equal(R, random_regular(72, 6, seed=2))


@pytest.mark.parametrize(
    "func, args, error, match",
    [
        (clustered_lattice, (2, 5), ValueError, "rows must be a whole number >= 3"),
        (clustered_lattice, (5, 2), ValueError, "cols must be a whole number >= 3"),
        (clustered_lattice, (100, 100), ValueError, "rows \\* cols must be at most 5000 people"),
        (random_regular, (9, 3), ValueError, r"n \* degree must be even .* got n=9, degree=3"),
        (random_regular, (10, 10), ValueError, r"degree must be a whole number in \[1, 9\]"),
        (random_regular, (1, 1), ValueError, "n must be a whole number"),
    ],
)
def test_topologies_reject_bad_input(func, args, error, match):
    with pytest.raises(error, match=match):
        func(*args)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_networker_bridges_on_a_team_layout_equal_those_on_the_graph(seed):
    G = org.organisation(seed=seed, executive_ties=1)
    layout = org.team_layout(G)
    for count, width, spanned in ((1, 2, 2), (6, 3, 3), (12, 1, 5)):
        args = dict(count=count, bridge_width=width, teams_spanned=spanned, seed=seed)
        assert org.networker_bridges(layout, **args) == org.networker_bridges(G, **args)
    assert layout.teams == G.graph["teams"]
    assert all(layout.neighbours[v] == tuple(sorted(G[v])) for v in G)
    with pytest.raises(TypeError):
        layout.people[0] = ()  # read-only


def test_team_layout_checks_the_organisation():
    with pytest.raises((TypeError, ValueError)):
        org.team_layout(nx.path_graph(3))
