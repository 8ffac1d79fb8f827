"""Tests for senge_course.models.loops: signed causal loop diagrams, archetypes and drawing."""

import math
import subprocess
import sys

import matplotlib
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course.models.loops import (
    Loop,
    capability_trap,
    causal_graph,
    eroding_goals,
    find_loops,
    fixes_that_fail,
    limits_to_growth,
    loop_summary,
    shifting_the_burden,
    shifting_the_burden_to_the_intervenor,
)
from senge_course.style import OKABE_ITO
from senge_course.views.diagrams import draw_loops, layout_problems

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ARCHETYPES = {
    # builder: (variables, links, reinforcing, balancing, labels)
    shifting_the_burden: (4, 6, 1, 2, ["B1", "B2", "R3"]),
    shifting_the_burden_to_the_intervenor: (4, 6, 1, 2, ["B1", "B2", "R3"]),
    fixes_that_fail: (3, 4, 1, 1, ["B1", "R2"]),
    limits_to_growth: (4, 5, 1, 1, ["R1", "B2"]),
    eroding_goals: (5, 6, 0, 2, ["B1", "B2"]),
    capability_trap: (10, 13, 2, 2, ["B1", "B2", "R3", "R4"]),
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------- known answers


@pytest.mark.parametrize("builder", list(ARCHETYPES), ids=lambda f: f.__name__)
def test_archetypes_have_the_documented_loops(builder):
    variables, links, reinforcing, balancing, labels = ARCHETYPES[builder]
    G = builder()
    loops = find_loops(G)
    assert (G.number_of_nodes(), G.number_of_edges()) == (variables, links)
    assert sum(loop.reinforcing for loop in loops) == reinforcing
    assert sum(not loop.reinforcing for loop in loops) == balancing
    assert [loop.label for loop in loops] == labels
    assert all(loop.name and loop.description for loop in loops)
    assert len(loops) == len(list(nx.simple_cycles(G)))


def test_shifting_the_burden_loops():
    b1, b2, r3 = find_loops(shifting_the_burden())
    assert (b1.label, b1.name, b1.nodes) == (
        "B1",
        "symptomatic solution",
        ("problem symptom", "symptomatic solution"),
    )
    assert (b2.label, b2.name, b2.delayed) == ("B2", "fundamental solution", True)
    assert (r3.label, r3.name, r3.polarity) == ("R3", "side effect", "reinforcing")
    assert r3.nodes == (
        "problem symptom",
        "symptomatic solution",
        "side effect",
        "fundamental solution",
    )
    assert r3.signs == (1, 1, -1, -1)
    assert not b1.delayed


def test_capability_trap_loops():
    loops = {loop.name: loop for loop in find_loops(capability_trap())}
    assert loops["work harder"].label == "B1" and not loops["work harder"].delayed
    assert loops["work smarter"].label == "B2" and loops["work smarter"].delayed
    assert loops["capability erosion"].polarity == "reinforcing"
    assert ("time spent working", "time spent improving") in loops["capability erosion"].links
    climate = loops["climate erosion (our extension)"]
    assert "climate for improvement" in climate.nodes and climate.reinforcing
    assert "the course's extension of Repenning & Sterman" in climate.description


def test_capability_trap_says_whose_each_loop_is():
    sources = capability_trap().graph["sources"]
    assert sources == {
        "work harder": "Repenning & Sterman (2001)",
        "work smarter": "Repenning & Sterman (2001)",
        "capability erosion": "Repenning & Sterman (2001)",
        "climate erosion (our extension)": "the course",
    }


def test_capability_trap_with_the_attribution_loops():
    G = capability_trap(attribution=True)
    loops = {loop.name: loop for loop in find_loops(G)}
    assert len(loops) == len(list(nx.simple_cycles(G))) == 8  # every loop is named
    confirm = loops["self-confirming attribution"]
    assert confirm.polarity == "balancing" and "attribution to effort" in confirm.nodes
    assert loops["attribution tightens control"].reinforcing
    assert ("attribution to effort", "control") in loops["attribution tightens control"].links
    assert G.graph["sources"]["attribution tightens control"] == "Repenning & Sterman (2002)"
    assert G.graph["sources"]["attribution drains the climate"] == "the course"
    assert set(capability_trap()) < set(G) and G.graph["name"].endswith("with attribution")


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ([("a", "b", 1), ("b", "a", 1)], [("R1", ("a", "b"))]),
        ([("a", "b", -1), ("b", "a", -1)], [("R1", ("a", "b"))]),
        ([("a", "b", 1), ("b", "c", -1), ("c", "a", 1)], [("B1", ("a", "b", "c"))]),
        ([("a", "a", -1)], [("B1", ("a",))]),
        ([("a", "b", 1), ("b", "c", 1)], []),
        (
            [("x", "y", 1), ("y", "x", -1), ("y", "z", 1), ("z", "x", 1)],
            [("B1", ("x", "y")), ("R2", ("x", "y", "z"))],
        ),
    ],
    ids=["positive pair", "two negatives", "one negative", "self loop", "chain", "two loops"],
)
def test_loops_of_tiny_graphs(links, expected):
    assert [(loop.label, loop.nodes) for loop in find_loops(causal_graph(links))] == expected


def test_loops_start_at_the_first_variable_and_are_ordered_deterministically():
    links = [("c", "a", 1), ("a", "b", 1), ("b", "c", 1), ("b", "a", 1)]
    G = causal_graph(links)
    first = find_loops(G)
    # shortest first, each rotated to start at the variable added first ("c")
    assert [loop.nodes for loop in first] == [("a", "b"), ("c", "a", "b")]
    assert find_loops(causal_graph(links)) == first


def test_named_loops_come_first_in_the_given_order():
    links = [("a", "b", 1), ("b", "a", -1), ("b", "c", 1), ("c", "a", 1)]
    G = causal_graph(
        links, loops=[(("c", "a", "b"), "long way", "around three"), (("b", "a"), "short", "")]
    )
    loops = find_loops(G)
    assert [(loop.label, loop.name) for loop in loops] == [("R1", "long way"), ("B2", "short")]
    assert loops[0].nodes == ("a", "b", "c")  # rotation does not matter when naming


def test_a_loop_knows_its_links():
    loop = find_loops(fixes_that_fail())[1]
    assert isinstance(loop, Loop)
    assert loop.links == (
        ("problem symptom", "fix"),
        ("fix", "unintended consequences"),
        ("unintended consequences", "problem symptom"),
    )


def test_signs_given_as_text_are_stored_as_numbers():
    G = causal_graph([("a", "b", "+"), ("b", "a", "-", True)], labels={"a": "A\nvariable"})
    assert G.edges["a", "b"] == {"sign": 1, "delay": False}
    assert G.edges["b", "a"] == {"sign": -1, "delay": True}
    assert G.nodes["a"]["label"] == "A\nvariable"


def test_find_loops_accepts_any_signed_digraph():
    G = nx.DiGraph()
    G.add_edge("births", "population", sign=1)
    G.add_edge("population", "births", sign=1)
    G.add_edge("population", "deaths", sign=1)
    G.add_edge("deaths", "population", sign=-1)
    assert [(loop.label, loop.delayed) for loop in find_loops(G)] == [("R1", False), ("B2", False)]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from([1, -1])),
        max_size=14,
        unique_by=lambda link: link[:2],
    )
)
def test_every_cycle_is_found_once_with_the_polarity_of_its_signs(links):
    G = causal_graph(links)
    loops = find_loops(G)
    assert len(loops) == len(list(nx.simple_cycles(G)))
    assert len({frozenset(loop.links) for loop in loops}) == len(loops)
    for number, loop in enumerate(loops, start=1):
        product = math.prod(G.edges[u, v]["sign"] for u, v in loop.links)
        assert loop.polarity == ("reinforcing" if product == 1 else "balancing")
        assert loop.label == f"{'R' if product == 1 else 'B'}{number}"
    assert find_loops(G) == loops


def test_loop_summary_is_one_sentence():
    summary = loop_summary(shifting_the_burden())
    assert summary == (
        "Shifting the burden: 4 variables, 6 links and 3 feedback loops: "
        "B1 symptomatic solution (balancing), B2 fundamental solution (balancing, delayed) "
        "and R3 side effect (reinforcing, delayed)."
    )
    assert loop_summary(causal_graph([("a", "b", 1)])) == (
        "This diagram: 2 variables, 1 link and 0 feedback loops: none."
    )


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("sign", [0, 2, 0.5, True, "plus", None, [1]])
def test_a_sign_other_than_plus_or_minus_one_is_refused(sign):
    with pytest.raises(
        ValueError, match=r"the sign of link 'a' -> 'b' must be \+1 or -1 \(or '\+' or '-'\)"
    ):
        causal_graph([("a", "b", sign)])


@pytest.mark.parametrize(
    ("links", "kwargs", "match"),
    [
        (
            [("a", "b", 1, "yes")],
            {},
            r"the delay of link 'a' -> 'b' must be True or False, got delay='yes'",
        ),
        ([("a", "b")], {}, r"each link must be \(cause, effect, sign\)"),
        (["ab"], {}, r"each link must be \(cause, effect, sign\)"),
        ([("a", "b", 1), ("a", "b", -1)], {}, r"link 'a' -> 'b' is given twice"),
        (
            [("a", "b", 1)],
            {"loops": [(("a", "b"), "back", "")]},
            r"named loop 'back' is not a closed chain of links: there is no link 'b' -> 'a'",
        ),
        ([("a", "b", 1)], {"labels": {"c": "C"}}, r"labels names 'c', which is not a variable"),
        (
            [("a", "b", 1), ("b", "a", 1)],
            {"loops": [("a", "b")]},
            r"each named loop must be \(nodes, name, description\), got \('a', 'b'\)",
        ),
        (
            [("a", "b", 1)],
            {"pos": {"a": (0, 0)}},
            r"pos must give a position for every variable, missing \['b'\]",
        ),
    ],
)
def test_malformed_diagrams_are_refused(links, kwargs, match):
    with pytest.raises(ValueError, match=match):
        causal_graph(links, **kwargs)


@pytest.mark.parametrize(
    "graph", [nx.Graph(), nx.MultiDiGraph(), {"a": "b"}], ids=["undirected", "multi", "dict"]
)
def test_find_loops_needs_a_digraph(graph):
    with pytest.raises(TypeError, match=r"G must be a networkx DiGraph with signed links"):
        find_loops(graph)


@pytest.mark.parametrize(
    ("attributes", "match"),
    [
        ({}, r"link 'a' -> 'b' has no sign; give it sign=\+1 or sign=-1"),
        ({"sign": 2}, r"the sign of link 'a' -> 'b' must be \+1 or -1, got sign=2"),
        ({"sign": True}, r"must be \+1 or -1, got sign=True"),
        (
            {"sign": 1, "delay": 1},
            r"the delay of link 'a' -> 'b' must be True or False, got delay=1",
        ),
    ],
)
def test_find_loops_checks_every_edge(attributes, match):
    G = nx.DiGraph()
    G.add_edge("a", "b", **attributes)
    with pytest.raises(ValueError, match=match):
        find_loops(G)


def test_draw_loops_checks_the_layout():
    with pytest.raises(
        ValueError, match=r"pos must give a position for every variable, missing \['fix'"
    ):
        draw_loops(fixes_that_fail(), pos={"problem symptom": (0, 0)})


# --------------------------------------------------------------------- drawing


@pytest.mark.parametrize("module", ["loops", "cycle"])
def test_importing_the_diagram_models_does_not_import_matplotlib(module):
    code = (
        f"import sys, senge_course.models.{module};"
        "print([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("builder", list(ARCHETYPES), ids=lambda f: f.__name__)
def test_draw_loops_draws_every_link_sign_delay_and_loop(builder):
    G = builder()
    drawn, summary = draw_loops(G)
    assert summary == loop_summary(G)
    assert set(drawn["links"]) == set(G.edges)
    assert set(drawn["nodes"]) == set(drawn["boxes"]) == set(G.nodes)
    assert {edge: text.get_text() for edge, text in drawn["signs"].items()} == {
        (u, v): "+" if d["sign"] > 0 else "\N{MINUS SIGN}" for u, v, d in G.edges(data=True)
    }
    assert set(drawn["delays"]) == {(u, v) for u, v, d in G.edges(data=True) if d["delay"]}
    assert all(text.get_text() == "||" for text in drawn["delays"].values())
    assert list(drawn["loops"]) == [loop.label for loop in find_loops(G)]
    for loop in find_loops(G):
        colour = OKABE_ITO["vermillion"] if loop.reinforcing else OKABE_ITO["blue"]
        assert matplotlib.colors.same_color(drawn["loops"][loop.label].get_color(), colour)
    assert drawn["legend"] is not None
    assert drawn["ax"].get_title() == G.graph["name"]


def test_draw_loops_uses_the_given_axes_and_colour_blind_safe_colours():
    fig, ax = plt.subplots()
    drawn, _ = draw_loops(fixes_that_fail(), ax=ax, legend=False)
    assert drawn["ax"] is ax and drawn["legend"] is None
    positive = drawn["links"]["problem symptom", "fix"]
    negative = drawn["links"]["fix", "problem symptom"]
    assert matplotlib.colors.same_color(positive.get_edgecolor(), OKABE_ITO["blue"])
    assert matplotlib.colors.same_color(negative.get_edgecolor(), OKABE_ITO["vermillion"])
    fig.canvas.draw()  # renders without error


def test_draw_loops_without_a_layout_uses_a_circle_and_puts_boxes_apart():
    G = causal_graph([("a", "b", 1), ("b", "c", -1), ("c", "a", 1), ("c", "c", -1)])
    drawn, summary = draw_loops(G, loop_pos={"B1": (0.0, 0.0)})
    assert drawn["loops"]["B1"].get_position() == (0.0, 0.0)
    assert set(drawn["links"]) == {
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
    }  # self-loop listed, not drawn
    assert "B2 (balancing)" in summary
    radius = {round(math.hypot(*p), 6) for p in drawn["pos"].values()}
    assert radius == {1.0}


# ----------------------------------------------------------------- layout: nothing crosses or overlaps

CLEAN = {"crossings": [], "overlaps": [], "covers": [], "unclear": []}


@pytest.mark.parametrize(
    "builder", [b for b in ARCHETYPES if b is not capability_trap], ids=lambda f: f.__name__
)
def test_archetypes_are_drawn_with_no_crossing_arrow_and_no_overlapping_label(builder):
    """Lesson 06's archetypes: e.g. the signs near "fundamental solution" each clear of the rest."""
    drawn, _ = draw_loops(builder())
    drawn["ax"].figure.canvas.draw()
    assert layout_problems(drawn) == CLEAN


def test_the_layout_check_finds_crossing_arrows_and_overlapping_labels():
    """The check can fail: two diagonals of a square cross, a loop label put on a box overlaps."""
    square = {"a": (0, 0), "b": (1, 1), "c": (1, 0), "d": (0, 1)}
    G = causal_graph(
        [("a", "b", 1), ("c", "d", -1)], pos=square, curves={("a", "b"): 0, ("c", "d"): 0}
    )
    drawn, _ = draw_loops(G)
    assert layout_problems(drawn)["crossings"] == [(("a", "b"), ("c", "d"))]
    G = causal_graph([("a", "b", 1), ("b", "a", 1)], pos={"a": (0, 0), "b": (1, 0)})
    drawn, _ = draw_loops(G, loop_pos={"R1": (0, 0)})  # right on top of variable a
    assert ("box a", "loop R1") in layout_problems(drawn)["overlaps"]


def test_two_signs_at_one_variable_are_placed_apart_and_each_by_its_own_arrow():
    """Three arrows into one variable: their three signs neither overlap nor sit on another arrow."""
    pos = {"x": (0, 0), "a": (-1, 1), "b": (0, 1.2), "c": (1, 1)}
    G = causal_graph([("a", "x", 1), ("b", "x", -1), ("c", "x", 1)], pos=pos)
    drawn, _ = draw_loops(G)
    problems = layout_problems(drawn)
    assert not [pair for pair in problems["overlaps"] if pair[0].startswith("sign")]
    assert problems["covers"] == [] and problems["unclear"] == []


def test_the_capability_trap_cannot_be_drawn_without_a_crossing():
    """Its links form a non-planar graph: any layout has a crossing; each is drawn with a halo."""
    for attribution in (False, True):
        G = capability_trap(attribution=attribution)
        assert not nx.check_planarity(G.to_undirected())[0]
        drawn, _ = draw_loops(G)
        for pair in layout_problems(drawn)["crossings"]:
            for link in pair:  # a white halo: one arrow visibly passes over the other
                effects = drawn["links"][link].get_path_effects()
                assert effects and effects[0]._gc["foreground"] == "white"


def loop_labels_on_arrows(drawn):
    """The loop labels whose circle touches a drawn arrow (layout_problems checks only signs)."""
    from matplotlib.path import Path

    ax = drawn["ax"]
    ax.figure.canvas.draw()
    lines = [Path(ax.transData.transform(points)) for points in drawn["paths"].values()]
    return [
        label
        for label, text in drawn["loops"].items()
        if any(
            line.intersects_bbox(text.get_bbox_patch().get_window_extent(), filled=False)
            for line in lines
        )
    ]


@pytest.mark.parametrize("attribution", [False, True], ids=["lesson 01", "with attribution"])
def test_the_capability_trap_has_one_crossing_and_no_overlapping_label(attribution):
    """Lessons 01 and 06: the one crossing its non-planar graph needs, every label clear."""
    drawn, _ = draw_loops(capability_trap(attribution=attribution))
    problems = layout_problems(drawn)
    assert len(problems["crossings"]) <= 1
    assert problems | {"crossings": []} == CLEAN
    assert loop_labels_on_arrows(drawn) == []
