"""Tests for senge_course.models.contagion: known answers, theory vs simulation, properties, validation."""

from collections import deque
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from senge_course.models.cascades import cascade_probability, cascade_window, final_size
from senge_course.models.contagion import (
    BatchResult,
    ContagionResult,
    PreparedNetwork,
    RandomStarters,
    prepare,
    simulate,
    simulate_many,
)
from senge_course.models.crowd import granovetter_equilibrium

# ----------------------------------------------------------------------------- a reference


def reference_final(G, thresholds, starters, *, absolute=False, weight=None):
    """Final committed set by a plain queue, in exact rational arithmetic.

    Irreversible threshold dynamics reach the same final set under any update order, so this
    one-person-at-a-time version must agree with the engine's synchronous rounds.  Thresholds
    are read as the decimals they were written as (0.8 is 4/5), as a learner means them.
    """
    nodes = list(G)
    thr = dict(zip(nodes, thresholds, strict=True))
    into = G.pred if G.is_directed() else G.adj
    out = G.succ if G.is_directed() else G.adj

    def w(u, v):
        return Fraction(1) if weight is None else Fraction(G.edges[u, v].get(weight, 1))

    total = {v: sum((w(u, v) for u in into[v]), Fraction(0)) for v in nodes}
    committed = set(starters)

    def ready(v):
        if v in committed or total[v] == 0:
            return False
        t = Fraction(str(thr[v]))
        if not absolute and t > 1:
            return False
        need = t if absolute else t * total[v]
        return sum((w(u, v) for u in into[v] if u in committed), Fraction(0)) >= need

    queue = deque(nodes)
    while queue:
        v = queue.popleft()
        if ready(v):
            committed.add(v)
            queue.extend(out[v])
    return committed


def committed_set(result):
    return {u for u, c in zip(result.nodes, result.committed, strict=True) if c}


# ----------------------------------------------------------------------------- known answers


def test_path_spreads_one_person_per_round():
    r = simulate(nx.path_graph(5), 0.5, [0])
    assert r.adoption_round.tolist() == [0, 1, 2, 3, 4]
    assert r.rounds == 4
    assert r.committed_by_round.tolist() == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    assert r.final_fraction == 1.0
    assert r.committed.tolist() == [True] * 5


def test_path_stalls_above_one_half():
    r = simulate(nx.path_graph(5), 0.6, [0])
    assert r.committed.tolist() == [True, False, False, False, False]
    assert r.rounds == 0
    assert r.committed_by_round.tolist() == [0.2]


@pytest.mark.parametrize(
    ("starters", "threshold", "expected_rounds", "expected_final"),
    [
        ([0], 1.0, [0, 1, 1, 1, 1, 1], 1.0),  # the hub convinces every leaf at once
        ([1], 0.2, [1, 0, 2, 2, 2, 2], 1.0),  # one leaf of five is 0.2 of the hub's contacts
        ([1], 0.21, [-1, 0, -1, -1, -1, -1], 1 / 6),  # ... and just too little for 0.21
    ],
)
def test_star(starters, threshold, expected_rounds, expected_final):
    r = simulate(nx.star_graph(5), threshold, starters)
    assert r.adoption_round.tolist() == expected_rounds
    assert r.final_fraction == pytest.approx(expected_final)


def test_fraction_meets_threshold_exactly_despite_rounding():
    # 3 committed of 10 neighbours is 0.3, though 0.3 * 10 == 3.0000000000000004 in floats
    G = nx.star_graph(10)
    thresholds = [0.3] + [1.0] * 10
    r = simulate(G, thresholds, [1, 2, 3])
    assert r.adoption_round[0] == 1
    assert simulate(G, thresholds, [1, 2]).adoption_round[0] == -1


@pytest.mark.parametrize(
    ("threshold", "absolute", "starters", "expected"),
    [
        (2, True, [0, 1], 1.0),  # everyone has two committed contacts at once
        (2, True, [0], 0.2),
        (0.5, False, [0, 1], 1.0),  # 2 of 4 contacts is a half
        (0.5, False, [0], 0.2),
        (0.25, False, [0], 1.0),
    ],
)
def test_complete_graph(threshold, absolute, starters, expected):
    r = simulate(nx.complete_graph(5), threshold, starters, absolute=absolute)
    assert r.final_fraction == pytest.approx(expected)
    assert r.rounds == (1 if expected == 1.0 else 0)


@pytest.mark.parametrize("n", [4, 5, 8])
def test_cycle_needs_half_the_neighbours(n):
    r = simulate(nx.cycle_graph(n), 0.5, [0])
    assert r.final_fraction == 1.0
    assert r.rounds == n // 2
    # a complex practice (two contacts) never leaves a lone seed on a ring
    assert simulate(nx.cycle_graph(n), 2, [0], absolute=True).final_fraction == 1 / n


def test_absolute_and_fractional_differ_on_hubs():
    # the hub of a 10-leaf star with two committed leaves: 2 contacts, but only 20% of them
    G = nx.star_graph(10)
    assert simulate(G, 2, [1, 2], absolute=True).committed[0]
    assert not simulate(G, 0.5, [1, 2]).committed[0]


def test_weights_change_who_is_convinced():
    G = nx.Graph()
    G.add_edge("boss", "ann", weight=3)
    G.add_edge("bob", "ann", weight=1)
    thr = {"boss": 2.0, "ann": 0.5, "bob": 2.0}  # only ann can be convinced
    assert simulate(G, thr, ["boss"], weight="weight").committed.tolist() == [True, True, False]
    assert simulate(G, thr, ["bob"], weight="weight").committed.tolist() == [False, False, True]
    assert simulate(G, thr, ["bob"]).committed.tolist() == [False, True, True]  # unweighted
    absolute = {"boss": 9, "ann": 2, "bob": 9}
    assert simulate(G, absolute, ["boss"], absolute=True, weight="weight").committed[1]
    assert not simulate(G, absolute, ["bob"], absolute=True, weight="weight").committed[1]


def test_missing_weight_attribute_counts_as_one():
    G = nx.Graph()
    G.add_edge(0, 1, weight=2)
    G.add_edge(1, 2)
    net = prepare(G, weight="weight")
    assert net.in_weight.tolist() == [2.0, 3.0, 1.0]


def test_directed_influence_flows_along_edges():
    G = nx.DiGraph([("lead", "ann")])
    assert simulate(G, 0.5, ["lead"]).committed.tolist() == [True, True]
    assert simulate(G, 0.5, ["ann"]).committed.tolist() == [False, True]


def test_directed_leader_weight_above_one():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("lead", "ann", 2.0), ("bob", "ann", 1.0), ("ann", "lead", 1.0)])
    r = simulate(G, 0.6, ["lead"], weight="weight")
    assert r.committed.tolist() == [True, True, False]  # 2 of 3 >= 0.6
    assert not simulate(G, 0.6, ["bob"], weight="weight").committed[1]  # 1 of 3


def test_undirected_counts_both_ways():
    G = nx.Graph([("a", "b")])
    assert simulate(G, 1.0, ["a"]).final_fraction == 1.0
    assert simulate(G, 1.0, ["b"]).final_fraction == 1.0


@pytest.mark.parametrize("absolute", [False, True])
def test_threshold_zero_adopts_in_round_one_but_isolated_never(absolute):
    G = nx.Graph([(0, 1), (1, 2)])
    G.add_node(3)  # nobody to hear it from
    r = simulate(G, 0, [], absolute=absolute)
    assert r.adoption_round.tolist() == [1, 1, 1, -1]
    assert simulate(G, 0, [3], absolute=absolute).adoption_round.tolist() == [1, 1, 1, 0]


def test_directed_source_never_adopts_unless_seeded():
    G = nx.DiGraph([(0, 1)])
    assert simulate(G, 0.0, []).committed.tolist() == [False, True]


@pytest.mark.parametrize("threshold", [1.01, 5.0, np.inf])
def test_fractional_threshold_above_one_never_adopts(threshold):
    r = simulate(nx.complete_graph(4), [0, 0, 0, threshold], [0])
    assert r.committed.tolist() == [True, True, True, False]


def test_absolute_infinite_threshold_never_adopts():
    r = simulate(nx.complete_graph(4), [0, 0, 0, np.inf], [0], absolute=True)
    assert r.committed.tolist() == [True, True, True, False]


def test_thresholds_as_dict_and_seeds_as_any_iterable():
    G = nx.path_graph(["a", "b", "c"])
    by_dict = simulate(G, {"a": 0.5, "b": 0.5, "c": 1.0}, iter(["a"]))
    by_list = simulate(G, [0.5, 0.5, 1.0], {"a"})
    by_array = simulate(G, np.array([0.5, 0.5, 1.0]), np.array(["a"]))
    for r in (by_dict, by_list, by_array):
        assert r.committed.tolist() == [True, True, True]
        assert r.nodes == ("a", "b", "c")


def test_numpy_integer_seeds_are_nodes():
    r = simulate(nx.path_graph(3), 0.5, np.array([0]))
    assert r.final_fraction == 1.0


def test_max_rounds_stops_early():
    G = nx.path_graph(6)
    assert simulate(G, 0.5, [0], max_rounds=0).committed_by_round.tolist() == [1 / 6]
    r = simulate(G, 0.5, [0], max_rounds=2)
    assert r.rounds == 2
    assert r.committed.tolist() == [True, True, True, False, False, False]
    assert r.adoption_round.tolist() == [0, 1, 2, -1, -1, -1]


def test_prepared_network():
    G = nx.karate_club_graph()
    net = prepare(G)
    assert isinstance(net, PreparedNetwork)
    assert prepare(net) is net  # no reconversion
    assert net.n == len(net) == 34
    assert net.nodes == tuple(G)
    assert net.degree.tolist() == [d for _, d in G.degree()]
    assert net.in_weight.tolist() == [float(d) for _, d in G.degree()]
    dense = nx.to_numpy_array(G, weight=None)
    np.testing.assert_array_equal(net.matrix.toarray(), dense)
    weighted = prepare(G, weight="weight")  # the karate club records how often pairs met
    np.testing.assert_array_equal(weighted.matrix.toarray(), nx.to_numpy_array(G))
    assert "n=34" in repr(net)
    with pytest.raises(ValueError):
        net.in_weight[0] = 5  # read-only


def test_prepared_directed_weighted_matrix_is_transposed_adjacency():
    G = nx.gnp_random_graph(30, 0.2, seed=3, directed=True)
    rng = np.random.default_rng(0)
    for u, v in G.edges:
        G.edges[u, v]["w"] = float(rng.integers(1, 4))
    G = nx.relabel_nodes(G, {i: f"p{i}" for i in G})
    net = prepare(G, weight="w")
    dense = nx.to_numpy_array(G, weight="w")
    np.testing.assert_array_equal(net.matrix.toarray(), dense.T)
    np.testing.assert_array_equal(net.in_weight, dense.sum(axis=0))
    assert net.directed


@pytest.mark.parametrize(
    "view",
    [
        lambda G: G.subgraph(range(10, 30)),
        lambda G: G.reverse(copy=False),
        lambda G: nx.subgraph_view(G, filter_edge=lambda u, v: u < v),
    ],
)
def test_prepare_reads_graph_views(view):
    H = view(nx.gnp_random_graph(30, 0.2, seed=1, directed=True))
    net = prepare(H)
    np.testing.assert_array_equal(net.matrix.toarray(), nx.to_numpy_array(H, weight=None).T)


def test_prepared_and_unprepared_agree():
    G = nx.watts_strogatz_graph(300, 6, 0.2, seed=4)
    thr = np.random.default_rng(5).uniform(0, 0.5, 300)
    a = simulate(G, thr, [0, 1, 2])
    b = simulate(prepare(G), thr, [0, 1, 2])
    np.testing.assert_array_equal(a.adoption_round, b.adoption_round)
    np.testing.assert_array_equal(a.committed_by_round, b.committed_by_round)


def test_results_are_frozen_and_read_only():
    r = simulate(nx.path_graph(3), 0.5, [0])
    assert isinstance(r, ContagionResult)
    with pytest.raises(AttributeError):
        r.rounds = 3
    with pytest.raises(ValueError):
        r.committed[0] = False
    assert "final_fraction=1" in repr(r)


# ----------------------------------------------------------------------------- mandates


def test_compliant_neighbours_send_a_weak_signal():
    G = nx.star_graph(4)  # the hub hears four leaves
    # four compliant leaves at 0.25 each make a signal of 1: enough for an absolute threshold 1
    r = simulate(
        G, [1, 9, 9, 9, 9], [], absolute=True, compliant=[1, 2, 3, 4], revert_probability=0.0
    )
    assert r.committed.tolist() == [True, False, False, False, False]
    assert r.compliant.tolist() == [False, True, True, True, True]
    weak = simulate(
        G, [1, 9, 9, 9, 9], [], absolute=True, compliant=[1, 2, 3, 4], compliant_weight=0.2
    )
    assert not weak.committed[0]


def test_compliant_person_can_still_commit():
    G = nx.path_graph(3)
    r = simulate(G, 0.5, [0], compliant=[1, 2], revert_probability=0.0)
    assert r.committed.tolist() == [True, True, True]
    assert r.compliant_by_round.tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])


def test_seed_in_both_lists_is_committed():
    r = simulate(nx.path_graph(2), 1.0, [0], compliant=[0], max_rounds=0)
    assert r.committed.tolist() == [True, False]
    assert r.compliant.tolist() == [False, False]


def test_everyone_reverts_the_round_after_the_mandate_with_probability_one():
    G = nx.complete_graph(6)
    r = simulate(G, 0.99, [], compliant=range(6), mandate_rounds=3, revert_probability=1.0)
    assert r.compliant_by_round.tolist() == [1, 1, 1, 1, 0]
    assert r.rounds == 4
    assert not r.compliant.any() and not r.committed.any()


def test_nobody_reverts_with_probability_zero():
    G = nx.complete_graph(6)
    r = simulate(G, 0.99, [], compliant=range(6), mandate_rounds=3, revert_probability=0.0)
    assert r.compliant.all()
    assert r.rounds == 0
    assert r.compliant_by_round.tolist() == [1.0]


def test_compliance_falls_after_the_mandate():
    G = nx.random_regular_graph(4, 400, seed=1)
    r = simulate(
        G,
        0.9,
        [],
        compliant=RandomStarters(fraction=0.5),
        mandate_rounds=5,
        revert_probability=0.3,
        seed=2,
    )
    by = r.compliant_by_round
    assert by[0] == pytest.approx(0.5)
    assert np.all(by[:6] == by[0])  # nothing happens during the mandate
    assert by[6] < by[5]
    assert np.all(np.diff(by[5:]) <= 0)
    assert by[-1] == 0.0
    assert r.final_fraction == 0.0


def test_mandate_with_max_rounds_during_mandate():
    G = nx.complete_graph(4)
    r = simulate(
        G, 0.99, [], compliant=range(4), mandate_rounds=10, revert_probability=0.5, max_rounds=3
    )
    assert r.rounds == 3
    assert r.compliant_by_round.tolist() == [1, 1, 1, 1]


def test_internalisation_turns_compliance_into_commitment():
    # Kelman (1958): each round each compliant person commits with the given probability
    G = nx.complete_graph(6)
    always = simulate(G, 0.99, [], compliant=range(6), internalise_probability=1.0)
    assert always.committed.all() and not always.compliant.any()
    assert always.adoption_round.tolist() == [1] * 6
    never = simulate(G, 0.99, [], compliant=range(6), revert_probability=0.0)
    assert not never.committed.any()
    # a quarter per round during a long mandate: the compliant share decays as 0.75 ** t
    big = nx.random_regular_graph(4, 2000, seed=1)
    r = simulate(
        big,
        2.0,
        [],
        compliant=range(2000),
        mandate_rounds=50,
        internalise_probability=0.25,
        max_rounds=4,
        seed=3,
    )
    np.testing.assert_allclose(r.compliant_by_round, 0.75 ** np.arange(5), atol=0.03)
    np.testing.assert_allclose(r.committed_by_round + r.compliant_by_round, 1.0)


def test_internalised_people_persuade_others_and_settle_the_run():
    # the compliant hub internalises in round 1; its two leaves (threshold 1) follow in round 2
    r = simulate(nx.star_graph(2), 1.0, [], compliant=[0], internalise_probability=1.0)
    assert r.adoption_round.tolist() == [1, 2, 2] and r.rounds == 2


@pytest.mark.parametrize("q", [0.0, 0.1])
def test_internalisation_replays_run_by_run(q):
    G = nx.watts_strogatz_graph(150, 6, 0.1, seed=1)
    kwargs = dict(
        compliant=RandomStarters(fraction=0.3),
        mandate_rounds=3,
        revert_probability=0.3,
        internalise_probability=q,
    )
    b = simulate_many(G, 0.6, RandomStarters(count=2), runs=8, seed=5, **kwargs)
    for i in range(8):
        r = simulate(G, 0.6, RandomStarters(count=2), seed=int(b.run_seeds[i]), **kwargs)
        np.testing.assert_array_equal(r.committed, b.committed[i])
        np.testing.assert_allclose(r.compliant_by_round, b.compliant_by_round[i, : r.rounds + 1])
    if q:
        assert b.final_fraction.mean() > 0.1
    again = simulate_many(G, 0.6, RandomStarters(count=2), runs=8, seed=5, **kwargs)
    np.testing.assert_array_equal(again.committed_by_round, b.committed_by_round)


def test_same_seed_same_result():
    G = nx.watts_strogatz_graph(200, 6, 0.1, seed=1)

    def run(seed):
        return simulate(
            G,
            lambda rng: rng.uniform(0, 0.6, 200),
            RandomStarters(count=3),
            compliant=RandomStarters(fraction=0.3),
            mandate_rounds=2,
            revert_probability=0.4,
            seed=seed,
        )

    a, b, c = run(7), run(7), run(np.random.default_rng(7))
    for other in (b, c):
        np.testing.assert_array_equal(a.adoption_round, other.adoption_round)
        np.testing.assert_array_equal(a.compliant_by_round, other.compliant_by_round)
    assert not np.array_equal(run(8).compliant_by_round, a.compliant_by_round)


# ----------------------------------------------------------------------------- batches


def test_simulate_many_shapes_mean_and_band():
    G = nx.watts_strogatz_graph(200, 6, 0.1, seed=1)
    b = simulate_many(G, lambda rng: rng.uniform(0, 1, 200), [0, 1, 2], runs=30, seed=3)
    assert isinstance(b, BatchResult)
    assert b.runs == 30
    assert b.committed_by_round.shape == (30, int(b.rounds.max()) + 1)
    assert b.committed.shape == (30, 200)
    np.testing.assert_array_equal(b.final_fraction, b.committed.mean(axis=1))
    for i in range(30):  # padded with the final value
        assert np.all(b.committed_by_round[i, b.rounds[i] :] == b.final_fraction[i])
    np.testing.assert_allclose(b.mean, b.committed_by_round.mean(axis=0))
    low, high = b.band(low=10, high=90)
    assert np.all(low <= b.mean + 1e-12) and np.all(b.mean <= high + 1e-12)
    np.testing.assert_allclose(low, np.percentile(b.committed_by_round, 10, axis=0))
    assert "runs=30" in repr(b)


@pytest.mark.parametrize("revert_probability", [0.0, 0.3, 1.0])
def test_simulate_many_run_equals_simulate_with_its_seed(revert_probability):
    G = nx.watts_strogatz_graph(150, 6, 0.1, seed=1)
    kwargs = dict(
        compliant=RandomStarters(fraction=0.2),
        mandate_rounds=3,
        revert_probability=revert_probability,
    )

    def draw(rng):
        return rng.uniform(0, 0.7, 150)

    b = simulate_many(G, draw, RandomStarters(count=2), runs=12, seed=11, **kwargs)
    for i in range(12):
        r = simulate(G, draw, RandomStarters(count=2), seed=int(b.run_seeds[i]), **kwargs)
        assert r.rounds == b.rounds[i]
        np.testing.assert_array_equal(r.committed, b.committed[i])
        np.testing.assert_allclose(r.committed_by_round, b.committed_by_round[i, : r.rounds + 1])
        np.testing.assert_allclose(r.compliant_by_round, b.compliant_by_round[i, : r.rounds + 1])


@pytest.mark.parametrize("revert_probability", [0.0, 0.3])
def test_simulate_many_arcs_equal_simulate_on_the_graph_with_them(revert_probability):
    # each run's own extra ties: run i equals simulate on G plus run i's arcs, including runs
    # that settle early (they leave the working arrays) and a mandate that draws from the run
    G = nx.watts_strogatz_graph(80, 4, 0.05, seed=3)
    kwargs = dict(
        compliant=RandomStarters(fraction=0.2),
        mandate_rounds=3,
        revert_probability=revert_probability,
        compliant_weight=0.3,
    )

    def arcs(rng):
        u = rng.choice(80, size=int(rng.integers(0, 12)), replace=False)
        return [(int(a), int((a + 40) % 80), 0.7) for a in u]

    def draw(rng):
        return rng.uniform(0.1, 0.6, 80)

    b = simulate_many(G, draw, [0, 1], runs=16, seed=5, arcs=arcs, **kwargs)
    assert len(set(b.rounds.tolist())) > 1  # some runs finish before others
    for i in range(16):
        rng = np.random.default_rng(int(b.run_seeds[i]))
        thresholds = draw(rng)
        compliant = RandomStarters(fraction=0.2).draw(80, rng)
        H = nx.DiGraph(G)
        for u, v, w in arcs(rng):
            H.add_edge(u, v, weight=w + (H.edges[u, v]["weight"] if H.has_edge(u, v) else 0))
        for u, v in H.edges:
            H.edges[u, v].setdefault("weight", 1.0)
        extra = {k: v for k, v in kwargs.items() if k != "compliant"}
        r = simulate(H, thresholds, [0, 1], weight="weight", compliant=compliant, seed=rng, **extra)
        assert r.rounds == b.rounds[i]
        np.testing.assert_array_equal(r.committed, b.committed[i])
        np.testing.assert_allclose(r.committed_by_round, b.committed_by_round[i, : r.rounds + 1])


@pytest.mark.parametrize(
    "arcs, error, match",
    [
        ([(0, 1, 1.0)], TypeError, "function rng -> arcs"),
        (lambda rng: 5, TypeError, r"\(u, v, weight\) triples"),
        (lambda rng: [(0, 99, 1.0)], ValueError, "nodes of the graph"),
        (lambda rng: [(0, 1)], ValueError, "triples of nodes"),
        (lambda rng: [(0, 1, -1.0)], ValueError, "finite number >= 0"),
    ],
)
def test_simulate_many_bad_arcs(arcs, error, match):
    with pytest.raises(error, match=match):
        simulate_many(nx.path_graph(4), 0.5, [0], runs=2, seed=1, arcs=arcs)


def test_simulate_many_with_a_table_of_thresholds():
    G = nx.cycle_graph(10)
    table = np.array([[0.5] * 10, [0.6] * 10, [0.0] * 10])
    b = simulate_many(G, table, [0], runs=3)
    assert b.final_fraction.tolist() == [1.0, 0.1, 1.0]
    assert b.rounds.tolist() == [5, 0, 1]
    for i in range(3):
        r = simulate(G, table[i], [0])
        np.testing.assert_array_equal(b.committed_by_round[i, : r.rounds + 1], r.committed_by_round)


def test_simulate_many_deterministic_runs_are_identical():
    b = simulate_many(nx.path_graph(5), 0.5, [0], runs=4, progress=True)
    assert np.all(b.committed_by_round == b.committed_by_round[0])
    b2 = simulate_many(nx.path_graph(5), 0.5, [0], runs=4, seed=1)
    np.testing.assert_array_equal(b.committed_by_round, b2.committed_by_round)


def test_simulate_many_seeds_callable_and_random_seeds():
    G = nx.path_graph(10)
    b = simulate_many(G, 1.1, lambda rng: [int(rng.integers(10))], runs=20, seed=1)
    assert np.all(b.committed.sum(axis=1) == 1)
    assert len({int(np.flatnonzero(row)[0]) for row in b.committed}) > 1
    b = simulate_many(G, 1.1, RandomStarters(fraction=0.25), runs=5, seed=1)
    assert np.all(b.committed.sum(axis=1) == 3)  # round(2.5) rounds half up


def test_simulate_many_same_seed_same_batch():
    G = nx.watts_strogatz_graph(100, 4, 0.2, seed=1)
    args = (G, lambda rng: rng.uniform(0, 0.6, 100), RandomStarters(count=2))
    a = simulate_many(*args, runs=8, seed=5)
    b = simulate_many(*args, runs=8, seed=5)
    np.testing.assert_array_equal(a.committed_by_round, b.committed_by_round)
    np.testing.assert_array_equal(a.run_seeds, b.run_seeds)


# ----------------------------------------------------------------------------- properties


@st.composite
def contagion_cases(draw):
    n = draw(st.integers(1, 12))
    directed = draw(st.booleans())
    G = nx.gnp_random_graph(
        n,
        draw(st.sampled_from([0.15, 0.3, 0.5])),
        seed=draw(st.integers(0, 10_000)),
        directed=directed,
    )
    weighted = draw(st.booleans())
    if weighted:
        for u, v in G.edges:
            G.edges[u, v]["w"] = draw(st.integers(0, 3))
    absolute = draw(st.booleans())
    grid = [0, 0.5, 1, 1.5, 2, 3, 5] if absolute else [i / 10 for i in range(13)]
    thresholds = draw(st.lists(st.sampled_from(grid), min_size=n, max_size=n))
    starters = draw(st.sets(st.integers(0, n - 1), max_size=n))
    return G, thresholds, starters, absolute, ("w" if weighted else None)


@settings(max_examples=150, deadline=None)
@given(contagion_cases())
def test_equals_queue_reference(case):
    G, thresholds, starters, absolute, weight = case
    r = simulate(G, thresholds, starters, absolute=absolute, weight=weight)
    assert committed_set(r) == reference_final(
        G, thresholds, starters, absolute=absolute, weight=weight
    )
    # adoption rounds are consistent: whoever committed in round t was pushed by rounds < t
    net = prepare(G, weight=weight)
    W = net.matrix.toarray()
    thr = np.asarray(thresholds, dtype=float)
    need = thr if absolute else thr * net.in_weight
    for v, t in enumerate(r.adoption_round):
        if t > 0:
            before = (r.adoption_round >= 0) & (r.adoption_round < t)
            assert W[v] @ before >= need[v] - 1e-9
            earlier = (r.adoption_round >= 0) & (r.adoption_round < t - 1)
            assert t == 1 or W[v] @ earlier < need[v] - 1e-9 or thr[v] == 0


@settings(max_examples=100, deadline=None)
@given(contagion_cases(), st.data())
def test_more_seeds_or_lower_thresholds_never_fewer_adopters(case, data):
    G, thresholds, starters, absolute, weight = case
    n = len(thresholds)
    base = committed_set(simulate(G, thresholds, starters, absolute=absolute, weight=weight))
    more = starters | data.draw(st.sets(st.integers(0, n - 1), max_size=3))
    assert base <= committed_set(simulate(G, thresholds, more, absolute=absolute, weight=weight))
    cut = data.draw(st.lists(st.sampled_from([0, 0.1, 0.5]), min_size=n, max_size=n))
    lower = [max(0.0, t - c) for t, c in zip(thresholds, cut, strict=True)]
    assert base <= committed_set(simulate(G, lower, starters, absolute=absolute, weight=weight))


@settings(max_examples=40, deadline=None)
@given(contagion_cases(), st.integers(0, 2**32 - 1))
def test_batch_of_fixed_inputs_equals_single_run(case, seed):
    G, thresholds, starters, absolute, weight = case
    r = simulate(G, thresholds, starters, absolute=absolute, weight=weight)
    b = simulate_many(G, thresholds, starters, runs=3, absolute=absolute, weight=weight, seed=seed)
    for i in range(3):
        np.testing.assert_array_equal(b.committed[i], r.committed)
        np.testing.assert_array_equal(b.committed_by_round[i], r.committed_by_round)


# ----------------------------------------------------------------------------- Granovetter


def test_granovetter_riot():
    assert granovetter_equilibrium(range(100)) == 100
    assert granovetter_equilibrium([0, 2, *range(2, 100)]) == 1
    assert granovetter_equilibrium(np.arange(100.0), n=100) == 100


@pytest.mark.parametrize(
    ("thresholds", "expected"),
    [([], 0), ([1, 1, 1], 0), ([0, 0, 0], 3), ([0, 1, 1, 5], 3), ([0.5, 0, 2.5], 2)],
)
def test_granovetter_small_crowds(thresholds, expected):
    assert granovetter_equilibrium(thresholds) == expected


def _critical_sd():
    lo, hi = 10.0, 15.0
    for _ in range(45):
        mid = (lo + hi) / 2
        if granovetter_equilibrium(stats.norm(25, mid), n=100) > 50:
            hi = mid
        else:
            lo = mid
    return lo, hi


def test_granovetter_normal_tipping_at_critical_sd():
    lo, hi = _critical_sd()
    assert hi == pytest.approx(12.2221, abs=1e-4)  # Granovetter (1978): "about 12.2"
    assert granovetter_equilibrium(stats.norm(25, lo), n=100) < 7
    assert granovetter_equilibrium(stats.norm(25, hi), n=100) > 99.9
    assert granovetter_equilibrium(stats.norm(25, 12), n=100) == pytest.approx(4.02, abs=0.01)


def test_granovetter_distribution_is_a_fixed_point():
    dist = stats.norm(25, 10)
    r = granovetter_equilibrium(dist, n=100)
    assert 100 * dist.cdf(r) == pytest.approx(r, abs=1e-9)
    # nobody with a threshold of 0 or less: nobody starts
    assert granovetter_equilibrium(stats.uniform(1, 10), n=50) == 0.0


# ----------------------------------------------------------------------------- Watts


def test_cascade_window_for_watts_threshold():
    z_low, z_high = cascade_window(0.18)
    assert z_low == pytest.approx(1.0207, abs=1e-4)
    assert z_high == pytest.approx(5.7647, abs=1e-4)
    for z in (z_low, z_high):  # the edges solve z P(Poisson(z) <= K* - 2) = 1, K* = 5
        assert z * stats.poisson.cdf(3, z) == pytest.approx(1.0, abs=1e-10)


@pytest.mark.parametrize(
    ("phi", "expected"),
    [
        (0.05, (1.0, 27.52)),
        (0.1, (1.0, 13.66)),
        (0.2, (1.021, 5.765)),  # K* = 5 as for 0.18
        (0.25, (1.114, 3.863)),
        (0.26, None),
        (0.5, None),
        (1.0, None),
    ],
)
def test_cascade_window_shape(phi, expected):
    window = cascade_window(phi)
    if expected is None:
        assert window is None
    else:
        assert window == pytest.approx(expected, abs=2e-3 * max(expected))


def test_cascade_window_matches_simulation_edges():
    # z_low is near 1 for every threshold with a window; narrower for higher thresholds
    highs = [cascade_window(phi)[1] for phi in (0.1, 0.15, 0.18, 0.24)]
    assert highs == sorted(highs, reverse=True)
    assert all(0.99 < cascade_window(phi)[0] < 1.2 for phi in (0.01, 0.1, 0.18, 0.25))


def test_cascade_probability_outside_window_is_zero():
    assert cascade_probability(0, 0.18) == 0.0
    assert cascade_probability(0.8, 0.18) == 0.0
    assert cascade_probability(6.0, 0.18) == 0.0
    assert cascade_probability(4.0, 0.3) == 0.0
    assert cascade_probability(4.0, 0.18) == pytest.approx(0.8653, abs=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("z", [2.0, 4.0, 5.0])
def test_cascade_probability_against_simulation(z):
    n, runs = 10_000, 300
    G = nx.fast_gnp_random_graph(n, z / (n - 1), seed=3)
    b = simulate_many(G, 0.18, RandomStarters(count=1), runs=runs, seed=5)
    frequency = np.mean(b.final_fraction > 0.05)
    assert frequency == pytest.approx(cascade_probability(z, 0.18), abs=0.07)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("z", "phi", "rho0"),
    [
        (4, 0.18, 0.01),  # inside the window: global
        (10, 0.18, 0.01),  # outside: the seed only doubles
        (10, 0.18, 0.03),  # outside, but a bigger seed tips it
        (10, 0.3, 0.05),
        (20, 0.3, 0.1),
    ],
)
def test_final_size_against_simulation(z, phi, rho0):
    n = 10_000
    G = nx.fast_gnp_random_graph(n, z / (n - 1), seed=3)
    b = simulate_many(G, phi, RandomStarters(fraction=rho0), runs=5, seed=5)
    assert b.final_fraction.mean() == pytest.approx(final_size(z, phi, rho0), abs=0.03)


def test_final_size_edges():
    assert final_size(4, 0.18, 0.0) == 0.0
    assert final_size(4, 0.18, 1.0) == 1.0
    assert final_size(0, 0.18, 0.3) == 0.3
    assert final_size(10, 0.18, 0.01) == pytest.approx(0.0197, abs=1e-3)
    assert final_size(10, 0.18, 0.03) == pytest.approx(1.0, abs=1e-3)
    # bigger starters never shrink the outcome
    sizes = [final_size(10, 0.3, r) for r in (0.01, 0.05, 0.08, 0.1, 0.2)]
    assert sizes == sorted(sizes)


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("thresholds", "error", "match"),
    [
        (np.nan, ValueError, "thresholds must be numbers >= 0, got NaN for person 0"),
        ([0.5, np.nan, 0.5], ValueError, "got NaN for person 1"),
        (-0.1, ValueError, r"got -0\.1 for person 0"),
        ([0.5, 0.5], ValueError, r"one value per person \(n=3\), got an array of shape \(2,\)"),
        ([[0.5] * 3], ValueError, "one value per person"),
        ({0: 0.5, 1: 0.5}, ValueError, "got none for 2"),
        ({0: 0.5, 1: 0.5, 2: 0.5, 9: 0.1}, ValueError, "got 9, who is not"),
        ("high", TypeError, "thresholds must be numbers"),
        (True, TypeError, "thresholds must be numbers"),
        ([0.5, "x", 0.5], TypeError, "thresholds must be a number, an array"),
        (lambda rng: lambda r: 0, TypeError, "another function"),
    ],
)
def test_bad_thresholds(thresholds, error, match):
    with pytest.raises(error, match=match):
        simulate(nx.path_graph(3), thresholds, [0])


@pytest.mark.parametrize(
    ("starters", "error", "match"),
    [
        ([0, 7], ValueError, "starters must be nodes of the graph, got 7, which is not"),
        (0, TypeError, r"starters must be a collection of nodes such as \[0\]"),
        ("ab", TypeError, "starters must be a collection of nodes"),
        ([[0]], TypeError, "starters must be a collection of nodes"),
        (RandomStarters(count=4), ValueError, "count must be at most the number of people n=3"),
    ],
)
def test_bad_seeds(starters, error, match):
    with pytest.raises(error, match=match):
        simulate(nx.path_graph(3), 0.5, starters)


def test_bad_compliant():
    with pytest.raises(ValueError, match="compliant must be nodes of the graph, got 'x'"):
        simulate(nx.path_graph(3), 0.5, [0], compliant=["x"])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"max_rounds": -1},
            ValueError,
            "max_rounds must be a whole number >= 0, got max_rounds=-1",
        ),
        ({"max_rounds": 2.5}, TypeError, "max_rounds must be a whole number"),
        ({"compliant_weight": 1.5}, ValueError, r"compliant_weight must be a number in \[0, 1\]"),
        ({"compliant_weight": -0.1}, ValueError, "compliant_weight"),
        (
            {"revert_probability": 1.2},
            ValueError,
            r"revert_probability must be a number in \[0, 1\]",
        ),
        ({"revert_probability": -0.5}, ValueError, "revert_probability=-0.5"),
        (
            {"internalise_probability": 1.5},
            ValueError,
            r"internalise_probability must be a number in \[0, 1\], got internalise_probability=1.5",
        ),
        ({"mandate_rounds": -1}, ValueError, "mandate_rounds must be a whole number >= 0"),
        ({"absolute": "yes"}, TypeError, "absolute must be True or False"),
        ({"seed": -3}, ValueError, "seed must be None"),
        ({"weight": "w"}, ValueError, "prepared with weight=None"),
    ],
)
def test_bad_options(kwargs, error, match):
    net = prepare(nx.path_graph(3))
    with pytest.raises(error, match=match):
        simulate(net, 0.5, [0], **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"runs": 0}, ValueError, "runs must be a whole number >= 1, got runs=0"),
        ({"runs": 2.0}, TypeError, "runs must be a whole number"),
        ({"runs": 2, "progress": "no"}, TypeError, "progress must be True or False"),
        ({"runs": 2, "revert_probability": 2}, ValueError, "revert_probability"),
    ],
)
def test_bad_batch_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_many(nx.path_graph(3), 0.5, [0], **kwargs)


def test_bad_threshold_table():
    with pytest.raises(ValueError, match=r"shape \(runs, n\) = \(2, 3\), got shape \(3, 3\)"):
        simulate_many(nx.path_graph(3), np.zeros((3, 3)), [0], runs=2)
    table = np.zeros((2, 3))
    table[1, 2] = -1
    with pytest.raises(ValueError, match="got -1 for person 2 in run 1"):
        simulate_many(nx.path_graph(3), table, [0], runs=2)


def test_bad_band():
    b = simulate_many(nx.path_graph(3), 0.5, [0], runs=2)
    with pytest.raises(ValueError, match="low must be at most high, got low=90, high=10"):
        b.band(90, 10)
    with pytest.raises(ValueError, match=r"high must be a number in \[0, 100\]"):
        b.band(5, 101)


def test_bad_graphs():
    with pytest.raises(TypeError, match="G must be a networkx graph or a PreparedNetwork"):
        simulate([(0, 1)], 0.5, [0])
    with pytest.raises(TypeError, match="G must not be a multigraph, got a MultiGraph"):
        simulate(nx.MultiGraph([(0, 1), (0, 1)]), 0.5, [0])
    with pytest.raises(TypeError, match="got a MultiDiGraph"):
        prepare(nx.MultiDiGraph([(0, 1)]))
    with pytest.raises(ValueError, match="G must have at least one person"):
        simulate(nx.Graph(), 0.5, [])
    G = nx.path_graph(8)
    G.add_edges_from([(2, 2), (5, 5)])
    with pytest.raises(ValueError, match="got self-loops at nodes 2, 5"):
        simulate(G, 0.5, [0])
    G = nx.Graph()
    G.add_edges_from((i, i) for i in range(7))
    with pytest.raises(ValueError, match=r"self-loops at nodes 0, 1, 2, 3, 4, \.\.\."):
        prepare(G)


@pytest.mark.parametrize("bad", [-1, np.nan, np.inf, "heavy"])
def test_bad_weights(bad):
    G = nx.path_graph(["a", "b", "c"])
    G.edges["b", "c"]["w"] = bad
    with pytest.raises(ValueError, match=r"tie weights \('w'\) must be finite numbers >= 0"):
        prepare(G, weight="w")
    with pytest.raises(ValueError, match="on the tie '[bc]' - '[bc]'"):
        prepare(G, weight="w")
    D = nx.DiGraph([("a", "b")])
    D.edges["a", "b"]["w"] = bad
    with pytest.raises(ValueError, match="on the tie 'a' -> 'b'"):
        prepare(D, weight="w")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "RandomStarters needs exactly one of count= or fraction="),
        ({"count": 1, "fraction": 0.1}, "exactly one of"),
        ({"count": -1}, "count must be a whole number >= 0"),
        ({"fraction": 1.5}, r"fraction must be a number in \[0, 1\]"),
    ],
)
def test_bad_random_seeds(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RandomStarters(**kwargs)


def test_bad_granovetter_inputs():
    with pytest.raises(ValueError, match="n .the crowd size. is required"):
        granovetter_equilibrium(stats.norm(25, 10))
    with pytest.raises(ValueError, match="n must be a whole number >= 1, got n=0"):
        granovetter_equilibrium(stats.norm(25, 10), n=0)
    with pytest.raises(ValueError, match="got NaN for person 1"):
        granovetter_equilibrium([0, np.nan])
    with pytest.raises(ValueError, match="got -2 for person 0"):
        granovetter_equilibrium([-2, 1])
    with pytest.raises(ValueError, match="n must be None or the number of thresholds .3."):
        granovetter_equilibrium([0, 1, 2], n=5)
    with pytest.raises(TypeError, match="thresholds must be an array of numbers or a frozen"):
        granovetter_equilibrium(5)
    with pytest.raises(TypeError, match="thresholds must contain only numbers"):
        granovetter_equilibrium(["a"])
    with pytest.raises(ValueError, match="flat list"):
        granovetter_equilibrium([[1, 2]])


@pytest.mark.parametrize("phi", [0, -0.1, 1.5, np.nan])
@pytest.mark.parametrize(
    "call",
    [
        lambda phi: cascade_window(phi),
        lambda phi: cascade_probability(4, phi),
        lambda phi: final_size(4, phi, 0.1),
    ],
)
def test_bad_phi(call, phi):
    with pytest.raises(ValueError, match=r"phi must be a .*number in \(0, 1\]"):
        call(phi)


def test_bad_z_and_seed_fraction():
    with pytest.raises(ValueError, match="z must be a number >= 0, got z=-1"):
        cascade_probability(-1, 0.18)
    with pytest.raises(ValueError, match="z must be a number >= 0, got z=-2"):
        final_size(-2, 0.18, 0.1)
    with pytest.raises(
        ValueError, match=r"seed_fraction must be a number in \[0, 1\], got seed_fraction=1.5"
    ):
        final_size(4, 0.18, 1.5)
    with pytest.raises(ValueError, match="seed_fraction=-0.1"):
        final_size(4, 0.18, -0.1)
    with pytest.raises(TypeError, match="phi must be a number"):
        cascade_window("0.18")


def test_side_by_side_runs_each_network_as_alone():
    from senge_course.models.contagion import side_by_side

    nets = [nx.watts_strogatz_graph(30 + 5 * i, 4, 0.2, seed=i) for i in range(3)]
    both = side_by_side(nets)
    assert both.n == 30 + 35 + 40 and both.matrix.nnz == sum(2 * G.number_of_edges() for G in nets)
    offsets = [0, 30, 65]
    starters = [o + j for o in offsets for j in (0, 1)]
    together = simulate(both, 0.3, starters).adoption_round
    for G, o in zip(nets, offsets, strict=True):
        alone = simulate(G, 0.3, [0, 1]).adoption_round
        np.testing.assert_array_equal(together[o : o + G.number_of_nodes()], alone)
    with pytest.raises(ValueError, match="at least one network"):
        side_by_side([])
