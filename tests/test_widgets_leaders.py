"""Widget apps of lessons 04 and 05, without a browser: set a control's value, assert on the result.

Covers `LeaderNetworkBuilder` (senge_course.views.leaders), `BridgeExplorer` and
`LongTieExplorer` (senge_course.views.bridges) and their pure helpers: results, summaries and
figures (``figure_state()``) follow the controls; the layout is cached; bad input leaves a message
and the network untouched; files round trip and hostile files are refused; above the drawing limit
the shares replace the drawing.  Render counts and speed are in benchmarks/bench_widgets_leaders.py.
"""

import html
import json

import ipywidgets as widgets
import networkx as nx
import numpy as np
import pytest

from senge_course import files
from senge_course.models import brokerage, claims, leadership, org
from senge_course.models.bridges import (
    P_GRID,
    PLACEMENTS,
    bridge_outcome,
    bridge_ties,
    long_tie_sweep,
    two_teams,
)
from senge_course.models.org import hierarchy_layout
from senge_course.views import BridgeExplorer, LeaderNetworkBuilder, LongTieExplorer
from senge_course.views.leaders import DRAW_LIMIT, MY_LEVERS, person_label


@pytest.fixture(autouse=True)
def _working_folder_is_tmp_path(tmp_path, monkeypatch):
    """The apps' file buttons write only inside the course's working folder: here, the test's."""
    monkeypatch.setenv("SENGE_COURSE_WORKING_FOLDER", str(tmp_path))


APPS = (LeaderNetworkBuilder, BridgeExplorer, LongTieExplorer)
RUN, MEASURE, BUILD, COMPARE = 2, 1, 0, 3


@pytest.fixture
def app():
    return LeaderNetworkBuilder()


def _error(app):
    return "Cannot do that" in app.message.value


def _said(app):
    """The message area's text (HTML entities unescaped)."""
    return html.unescape(app.message.value)


def _network(app):
    """What the builder's network figure shows: the drawing's axes and the run's curves."""
    state = app.figure_state()["network_view"]
    return state["summary"], *state["axes"]


def _in_range(app):
    for name, control in app.controls.items():
        if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            assert control.min <= control.value <= control.max, name


# ----------------------------------------------------------------------------- pure helpers


def test_registered_in_the_widgets_package():
    import senge_course.views as package

    for cls in APPS:
        assert cls.__name__ in package.__all__
        assert getattr(package, cls.__name__) is cls


def test_hierarchy_layout_puts_executives_on_top_and_teams_under_their_leader():
    G = org.organisation(seed=1)
    xy = hierarchy_layout(G)
    assert xy.shape == (51, 2) and not xy.flags.writeable
    executives = [v for v, r in G.nodes(data="role") if r == "executive"]
    assert xy[executives, 1].min() > np.delete(xy, executives, axis=0)[:, 1].max()
    for t in range(6):
        leader = 3 + 8 * t
        members = list(range(leader + 1, leader + 8))
        assert xy[leader, 1] > xy[members, 1].max()
        # team t's people sit left of team t + 1's
        if t < 5:
            assert xy[[leader, *members], 0].max() < xy[leader + 8 : leader + 16, 0].min()
    np.testing.assert_array_equal(xy, hierarchy_layout(G))  # deterministic
    assert len({tuple(p) for p in xy}) == 51  # nobody on top of anybody


def test_hierarchy_layout_bands_many_teams_and_refuses_non_organisations():
    xy = hierarchy_layout(org.organisation(teams=25, team_size=5, seed=1))
    assert len(np.unique(np.round(xy[xy[:, 1] < 1, 1], 3))) > 3  # several bands
    with pytest.raises(ValueError, match="G.graph"):
        hierarchy_layout(nx.path_graph(3))


def test_person_label_names_role_and_team():
    G = org.set_role(org.organisation(seed=1), 10, "networker")
    assert person_label(G, 10) == "T0-7 (networker, team 0)"
    assert person_label(G, 2) == "E3 (executive)"


def test_two_teams_is_an_organisation_of_two_rings():
    G = two_teams()
    org.validate_organisation(G)
    assert [G.degree(v) for v in G] == [4] * 20
    assert not any((u < 10) != (v < 10) for u, v in G.edges())
    with pytest.raises(ValueError, match="k must be an even"):
        two_teams(10, 3)


@pytest.mark.parametrize(
    ("placement", "practice", "committed"),
    [
        ("wide bridge", "complex", 10),
        ("two on one, one far", "complex", 1),
        ("spread out", "complex", 0),
        ("one long tie", "complex", 0),
        ("wide bridge", "simple", 10),
        ("two on one, one far", "simple", 10),
        ("spread out", "simple", 10),
        ("one long tie", "simple", 10),
    ],
)
def test_bridge_outcomes(placement, practice, committed):
    out = bridge_outcome(bridge_ties(placement), practice)
    assert out.team_b_committed == committed
    assert out.crossed == (committed == 10)
    assert out.committed[:10].all()  # team A is the committed pilot team


@pytest.mark.parametrize(
    ("ties", "match"),
    [
        ([("A1", "B1")] * 2, "appears twice"),
        ([("A1", "B1"), ("A2", "B2"), ("A3", "B3"), ("A4", "B4")], "budget is 3"),
        ([("A1", "A2")], "join a person of team A to one of team B"),
        ([("A1", "B11")], "A1 to A10 and B1 to B10"),
        ([("A1",)], "pair"),
        (["A1B1"], "pair"),
    ],
)
def test_bridge_outcome_refuses_bad_ties(ties, match):
    with pytest.raises(ValueError, match=match):
        bridge_outcome(ties)


def test_bridge_outcome_accepts_numbers_and_either_order():
    a = bridge_outcome([(0, 10), ("B1", "A2"), ("a2", "b2")])
    assert a.ties == (("A1", "B1"), ("A2", "B1"), ("A2", "B2")) and a.crossed


def test_long_tie_sweep_simple_speeds_up_complex_stalls():
    sweep = long_tie_sweep()
    simple, complex_ = sweep.final["simple"], sweep.final["complex"]
    assert np.all(simple == 1.0)
    assert complex_[0] == 1.0 and complex_[-1] < 0.05
    assert np.all(np.diff(complex_) <= 1e-12)
    times = sweep.rounds_to_90["simple"]
    assert np.all(np.diff(times) <= 0) and times[0] == 45 and times[-1] == 5
    assert np.isnan(sweep.rounds_to_90["complex"][-1])
    assert not sweep.final["simple"].flags.writeable
    with pytest.raises(ValueError, match=r"p must be a number in \[0, 1\], got p=1.5"):
        long_tie_sweep((1.5,))
    assert "at p = 0, the simple practice reaches 100% of people, 90% within 45 rounds" in (
        sweep.summary
    )
    assert "at p = 1, the simple practice reaches 100% of people, 90% within 5 rounds" in (
        sweep.summary
    )


# ----------------------------------------------------------------------------- builder: basics


def test_builder_default(app):
    assert app.graph.number_of_nodes() == 51 and app.drawn
    assert app.levers == leadership.SCENARIOS["all three"]
    assert app.controls["preset"].value == "all three"
    assert isinstance(app.result, leadership.LeadershipResult)
    again = leadership.simulate(app.graph, app.levers, seed=1)
    np.testing.assert_array_equal(app.result.adoption_round, again.adoption_round)
    assert app.round == app.ROUNDS
    assert "51 people (3 executives, 6 line leaders" in app.figure_view.summary
    assert app.figure_view.value.startswith("<img")
    assert app.message.value == ""
    summary, drawing, curve = _network(app)
    assert summary == app.figure_view.summary
    assert (
        drawing["legend"][-1] == "dotted: tie to add or remove" and "Roles" in drawing["texts"][0]
    )
    assert "team 5" in drawing["texts"]
    x, committed = curve["lines"]["committed"]
    assert committed == app.result.committed_by_round.tolist() and x[-1] == 30
    _in_range(app)


def test_builder_tabs_switch_what_the_drawing_shows(app):
    app.tabs.selected_index = RUN
    assert app.figure_view.summary.startswith("Round 30 of 30:")
    summary, drawing, _ = _network(app)
    assert app.result.summary in summary
    assert drawing["legend"][-2:] == ["not yet", "committed"]  # nobody compliant: no mandate
    assert "Round 30 of 30" in drawing["texts"]
    app.tabs.selected_index = MEASURE
    assert "Ringed: the suggested internal networkers" in app.figure_view.summary
    assert {"1. T3-2", "2. T2-7", "3. T1-4"} <= set(_network(app)[1]["texts"])
    app.tabs.selected_index = COMPARE
    assert app.network_view.layout.display == "none"
    app.tabs.selected_index = BUILD
    assert app.network_view.layout.display == ""
    assert _network(app)[1]["legend"][0] == "executive leader"


# ----------------------------------------------------------------------------- builder: legend


def _legend_names_every_mark(app):
    """Every kind of mark the drawing shows is in its legend (and the legend shows no more)."""
    legend = _network(app)[1]["legend"]
    marks = app.drawn_marks
    assert marks, "the drawing shows nothing"
    assert not [m for m in marks if m.startswith("unnamed")], marks
    assert set(marks) <= set(legend), f"drawn but not in the legend: {set(marks) - set(legend)}"
    assert set(legend) <= set(marks), f"in the legend but not drawn: {set(legend) - set(marks)}"
    return marks


@pytest.mark.parametrize(
    ("tab", "ring"),
    [
        (None, "ringed: person picked"),  # the default: the Build tab
        ("Measure", "ringed: suggested networker"),  # lesson 04's first view
        ("Levers & run", "ringed: internal networker"),  # lesson 05's first view
    ],
)
def test_every_mark_on_the_first_view_is_in_the_legend(tab, ring):
    app = LeaderNetworkBuilder() if tab is None else LeaderNetworkBuilder(tab=tab)
    assert app.tabs.selected_index == (0 if tab is None else app.tabs.titles.index(tab))
    marks = _legend_names_every_mark(app)
    assert ring in marks
    previews = "dotted: tie to add or remove" in marks
    assert previews == (tab is None)  # the Build tab's previews only while it is open
    if tab == "Measure":  # lesson 04: "the suggested networkers are ringed", and only they
        assert app.figure_view.summary.endswith(
            "Ringed: the suggested internal networkers T3-2, T2-7, T1-4."
        )
        assert "Suggested internal networkers, ringed" in _network(app)[1]["texts"]


def test_every_mark_stays_in_the_legend_as_the_learner_works(app):
    app.add_bridge(0, 1)  # a bridge tie: dashed, now drawn and in the legend
    assert "bridge tie (dashed)" in _legend_names_every_mark(app)
    app.set_role("T3-2", "networker")
    assert "internal networker" in _legend_names_every_mark(app)
    app.set_levers("executives only (mandate)")
    app.tabs.selected_index = RUN
    app.show_round(5)
    assert {"compliant", "not yet"} <= set(_legend_names_every_mark(app))
    for index in (MEASURE, BUILD, 4, 5):  # the Assumptions and Save & load tabs too
        app.tabs.selected_index = index
        _legend_names_every_mark(app)


def test_a_legend_seen_before_reuses_its_drawing_and_draws_the_same_pixels(app):
    """A first networker adds a legend entry (a full draw); taking them away and naming them
    again reuses the two layers already drawn, pixel for pixel."""
    view = app.network_view
    app.controls["tie_to"].value = app.controls["tie_from"].value  # no tie preview: same marks
    without = view.value
    app.set_role("T3-2", "networker")
    with_one, draws = view.value, view.full_draws
    for _ in range(3):
        app.set_role("T3-2", "member")
        assert view.value == without
        app.set_role("T3-2", "networker")
        assert view.value == with_one
    assert view.full_draws == draws
    assert "internal networker" in _legend_names_every_mark(app)


def test_build_previews_are_drawn_said_and_explained_only_in_the_build_tab(app):
    said = app.figure_view.summary
    assert "Ringed: T0-1, the person picked (Build)." in said
    assert "Dotted: the tie to add or remove, between T0-1 and T5-7." in said
    assert "the person picked is ringed" in _network(app)[1]["texts"][0]
    app.controls["tie_to"].value = app.controls["tie_from"].value  # no tie to preview
    assert "dotted: tie to add or remove" not in app.drawn_marks
    assert "Dotted:" not in app.figure_view.summary
    for index in (MEASURE, RUN, 4, 5):
        app.tabs.selected_index = index
        assert "ringed: person picked" not in app.drawn_marks
        assert "person picked" not in app.figure_view.summary


def test_the_builder_opens_on_the_tab_asked_for_and_refuses_an_unknown_one():
    assert LeaderNetworkBuilder(tab="Compare").network_view.layout.display == "none"
    bad = LeaderNetworkBuilder(tab="Networkers")
    assert bad.tabs.selected_index == BUILD and "tab must be one of" in _said(bad)
    assert "got tab='Networkers'" in _said(bad)


def test_the_spread_plot_names_its_round_marker(app):
    assert _network(app)[2]["legend"] == ["committed", "compliant", "round shown"]


def test_round_slider_play_step_and_reset(app):
    app.tabs.selected_index = RUN
    app.controls["round"].value = 0
    starters = len(app.result.starters)
    assert f"Round 0 of 30: {starters} of 51 people committed" in app.figure_view.summary
    app.buttons["step"].click()
    assert app.round == 1
    committed = int(app.result.committed_at(1).sum())
    assert f"Round 1 of 30: {committed} of 51" in app.figure_view.summary
    assert "Round 1 of 30" in _network(app)[1]["texts"]
    app.buttons["reset"].click()
    assert app.round == 0 and "Round 0 of 30" in _network(app)[1]["texts"]
    app.controls["round"].value = 30
    app.buttons["step"].click()  # the last round stays the last
    assert app.round == 30 and not _error(app)
    assert isinstance(app.controls["play"], widgets.Play)


def test_lever_controls_rerun_the_model(app):
    before = app.result
    app.controls["mentoring"].value = 0.0
    assert app.result is not before and app.result.levers.mentoring == 0.0
    assert app.controls["preset"].value == "line leaders + networkers"
    app.controls["preset"].value = "executives only (mandate)"
    assert app.levers == leadership.SCENARIOS["executives only (mandate)"]
    assert app.result.compliant_by_round[0] == pytest.approx(41 / 51)
    assert app.result.final_committed < 0.3 and app.result.final_compliant < 0.1
    app.set_levers(pilot_teams=3, mentoring=1.0, networkers=4, mandate=0.0)
    assert app.levers == leadership.Levers(pilot_teams=3, mentoring=1.0, networkers=4)
    assert app.controls["preset"].value == "(my own levers)"
    assert leadership.Levers(**app.lever_values) == app.levers
    app.controls["run_seed"].value = 2
    again = leadership.simulate(app.graph, app.levers, seed=2)
    np.testing.assert_array_equal(app.result.adoption_round, again.adoption_round)


def test_run_view_draws_the_simulated_network_with_its_networkers(app):
    app.tabs.selected_index = RUN
    assert sum(1 for *_, k in app.result.graph.edges(data="kind") if k == "bridge") == 3 * 3 * 2
    said = "Ringed: the 3 internal networkers; the 18 bridge ties are dashed."
    assert said in app.figure_view.summary
    app.tabs.selected_index = BUILD  # the organisation as built: no networkers yet
    assert "informal, 0 bridge)" in app.figure_view.summary


def test_mandate_compliance_is_drawn_hatched(app):
    app.set_levers("executives only (mandate)")
    app.tabs.selected_index = RUN
    app.show_round(5)
    compliant = float(app.result.compliant_by_round[5])
    committed = int(app.result.committed_at(5).sum())
    assert round(compliant * 51) > 30 and committed < 10  # internalised by round 5
    said = f"{committed} of 51 people committed ({committed / 51:.0%}), {compliant:.0%} compliant"
    assert said in app.figure_view.summary
    assert "compliant" in _network(app)[1]["legend"]


def test_assumptions_tab_changes_the_model_and_shows_the_claims(app):
    assert app.tabs.titles[4] == "Assumptions"
    assert set(leadership.ASSUMPTIONS) <= set(app.controls)
    assert app.assumption_values == leadership.ASSUMPTIONS.defaults()
    row = leadership.ASSUMPTIONS["threshold_mean"]
    slider = app.controls["threshold_mean"]
    assert (slider.min, slider.max, slider.step) == row.control_range()
    app.tabs.selected_index = RUN
    slider.value = 0.3
    lower = leadership.simulate(app.graph, app.levers, seed=1, assumptions={"threshold_mean": 0.3})
    np.testing.assert_array_equal(app.result.adoption_round, lower.adoption_round)
    assert "(assumptions changed: mean threshold 0.3)" in app.figure_view.summary
    keys = [c.key for c in claims.for_app("LeaderNetworkBuilder")]
    assert list(app.assumptions.claims) == keys and "leaders.mandate" in keys


def test_assumptions_view_moves_the_builder_to_each_counterexample(app):
    view = app.assumptions
    view.show_counterexample("leaders.mandate")
    assert app.assumption_values["internalisation"] == 0.05 and view.result.holds is False
    assert app.assumption_values["threshold_mean"] == 0.45  # the others back to their defaults
    view.show_counterexample("leaders.rank-not-reach")
    assert app.graph.graph["executive_ties"] == 6 and app.controls["executive_ties"].value == 6
    execs = [v for v, r in app.graph.nodes(data="role") if r == "executive"]
    assert all(
        any(app.graph.edges[e, w]["kind"] == "informal" for w in app.graph[e]) for e in execs
    )
    assert app.assumption_values["threshold_mean"] == 0.3
    view.show_counterexample("leaders.pilots-or-champions")
    assert app.levers.mentoring == 0.8
    view.show_default()
    assert (
        "executive_ties" not in app.graph.graph and app.assumption_values["threshold_mean"] == 0.45
    )
    with pytest.raises(ValueError, match="the builder has no control for budget"):
        app.apply({"budget": 10})
    with pytest.raises(ValueError, match=r"executive_ties must be a whole number in \[0, 6\]"):
        app.apply({"executive_ties": 9})
    assert "executive_ties" not in app.graph.graph


def test_executives_informal_ties_from_the_build_tab():
    app = LeaderNetworkBuilder(executive_ties=2)
    G = org.organisation(seed=1, executive_ties=2)
    assert nx.utils.graphs_equal(app.graph, G) and app.controls["executive_ties"].value == 2
    app.controls["executive_ties"].value = 0
    assert "Press Generate" in app.generate_note.value
    app.buttons["generate"].click()
    assert nx.utils.graphs_equal(app.graph, org.organisation(seed=1))


# ----------------------------------------------------------------------------- builder: editing


def test_role_edit_keeps_the_layout_and_updates_labels(app):
    positions = app.positions
    app.controls["person"].value = 10
    app.controls["role"].value = "networker"
    app.buttons["set_role"].click()
    assert app.graph.nodes[10]["role"] == "networker"
    assert app.positions is positions
    assert dict(app.controls["person"].options)["T0-7 (networker, team 0)"] == 10
    assert app.controls["person"].value == 10
    assert "role changed" in app.message.value
    assert "1 internal networkers" in app.figure_view.summary


def test_generate_recomputes_the_layout(app):
    positions, computed = app.positions, app.layouts_computed
    app.controls["teams"].value = 3
    assert "Press Generate" in app.generate_note.value
    assert app.graph.graph["teams"] == 6  # nothing happens until Generate
    app.buttons["generate"].click()
    assert app.graph.graph["teams"] == 3 and app.graph.number_of_nodes() == 27
    assert app.positions is not positions and app.layouts_computed == computed + 1
    assert app.generate_note.value == ""
    assert app.controls["pilot_teams"].max == 3 and app.controls["teams_spanned"].max == 2
    _in_range(app)


def test_add_and_remove_a_tie_from_the_controls(app):
    app.controls["tie_from"].value = 4
    app.controls["tie_to"].value = 44
    app.controls["tie_kind"].value = "bridge"
    app.buttons["add_tie"].click()
    assert app.graph.edges[4, 44]["kind"] == "bridge"
    assert "Added a bridge tie between T0-1 and T5-1" in app.message.value
    app.buttons["remove_tie"].click()
    assert not app.graph.has_edge(4, 44)


def test_add_bridge_between_teams(app):
    before = app.graph.number_of_edges()
    app.controls["bridge_team_a"].value = 0
    app.controls["bridge_team_b"].value = 3
    app.controls["bridge_ties"].value = 3
    app.buttons["add_bridge"].click()
    assert app.graph.number_of_edges() == before + 3
    assert "informal, 3 bridge)" in app.figure_view.summary


def test_people_can_be_named_by_label(app):
    app.add_tie("T0-1", "t5-1")
    assert app.graph.has_edge(4, 44)
    app.set_role("L2 (line leader, team 2)", "member")
    assert app.graph.nodes[19]["role"] == "member"


@pytest.mark.parametrize(
    ("action", "match"),
    [
        (lambda a: a.set_role(10, "boss"), "role must be one of"),
        (lambda a: a.set_role(99, "member"), "person must be a person in the network"),
        (lambda a: a.set_role("Z9", "member"), "got person='Z9'"),
        (lambda a: a.set_role(0, "member"), "give team="),
        (lambda a: a.remove_tie(4, 44), "there is no tie between u=4 and v=44"),
        (lambda a: a.add_tie(3, 4), "already tied"),
        (lambda a: a.add_tie(4, 4), "two different people"),
        (lambda a: a.add_tie(4, 5, kind="rumour"), "kind must be one of"),
        (lambda a: a.add_bridge(0, 0), "two different teams"),
        (lambda a: a.add_bridge(0, 9), "team_b must be a whole number"),
        (lambda a: a.set_levers(mentoring=1.5), "mentoring must be a number in"),
        (lambda a: a.set_levers(pilot_teams=9), "pilot_teams must be from 0 to 6"),
        (lambda a: a.set_levers(charisma=1), "charisma"),
        (lambda a: a.set_levers("nope"), "scenario must be one of"),
        (lambda a: a.generate(teams=500), "teams must be a whole number in"),
        (lambda a: a.show_round(31), "t must be a whole number in"),
        (lambda a: a.set_graph(nx.path_graph(3)), "G.graph"),
        (lambda a: a.compare(["nope"]), "scenario must be one of"),
    ],
)
def test_bad_input_shows_a_message_and_leaves_the_network_untouched(app, action, match):
    graph, levers, result = app.graph, app.levers, app.result
    snapshot = nx.node_link_data(graph, edges="edges")
    action(app)
    assert _error(app) and match in _said(app), _said(app)
    assert app.graph is graph and nx.node_link_data(graph, edges="edges") == snapshot
    assert app.levers == levers and app.result is result
    _in_range(app)


def test_levers_that_do_not_fit_show_a_message(app):
    app.generate(teams=2, team_size=3)
    app.set_levers(networkers=2, bridge_width=6, teams_spanned=1)
    assert "do not fit" in app.message.value and app.result is None
    app.tabs.selected_index = RUN
    assert "nothing was run" in app.figure_view.summary
    app.set_levers(bridge_width=1)
    assert app.result is not None


# ----------------------------------------------------------------------------- builder: measure


def test_brokerage_table_and_suggestions(app):
    table = app.brokerage_table.value
    assert table.count("<tr>") == 1 + 8
    assert "Cross &amp; Prusak role" in table and "<caption" in table
    rows = app.brokerage
    assert [r.label for r in rows[:3]] == ["L4", "T3-2", "E3"]
    suggested = [s.label for s in app.suggestions]
    assert suggested == [s.label for s in brokerage.suggest_networkers(app.graph, k=3)]
    assert suggested == ["T3-2", "T2-7", "T1-4"]
    app.controls["measure_on"].value = "informal"
    assert "informal and bridge ties only" in app.brokerage_table.value
    assert all(r.role == "member" for r in app.brokerage[:8])


# ----------------------------------------------------------------------------- builder: compare


def test_compare_matches_leadership_compare(app):
    comparison = app.compare(["line leaders only", "all three"])
    assert comparison is app.comparison and comparison.names == ("line leaders only", "all three")
    whole = leadership.compare(app.graph, ["line leaders only", "all three"], runs=50, seed=1)
    for name in whole:
        np.testing.assert_array_equal(
            comparison[name].committed_by_round, whole[name].committed_by_round
        )
    assert app.progress.value == app.progress.max == 100
    assert app.progress.layout.visibility == "hidden"
    state = app.figure_state()["compare_view"]
    assert state["summary"].startswith(comparison.summary)
    assert "all three: committed 79% on average" in state["summary"]
    assert list(state["axes"][0]["lines"]) == ["line leaders only", "all three"]


def test_overlapping_compare_bands_are_told_apart_without_colour(app):
    """Each band has its own hatching and its line's outline style: readable in greyscale."""
    from matplotlib.collections import PolyCollection

    names = ["line leaders only", "line leaders + executives", "line leaders + networkers"]
    app.compare([*names, "all three"])
    assert "hatched in its own pattern" in app.compare_view.summary
    ax = app.compare_view.figure.axes[0]
    hatched = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_hatch()]
    assert len(hatched) == 4
    hatches = [c.get_hatch() for c in hatched]
    assert len(set(hatches)) == 4, hatches
    # no band's hatch is two others drawn over each other ("//" and "\\\\" would read as "xx")
    assert "xx" not in hatches and "x" not in hatches
    dashes = [tuple(map(tuple, [c.get_linestyle()[0][1] or ()])) for c in hatched]
    assert len(set(dashes)) == 4  # the outlines: solid, dashed, dash-dot, dotted
    # the bands overlap here (line leaders + executives inside line leaders + networkers)
    low = {n: app.comparison[n].committed_low[-1] for n in names}
    high = {n: app.comparison[n].committed_high[-1] for n in names}
    assert low[names[2]] < high[names[1]] and low[names[1]] < high[names[2]]


def test_compare_my_levers_and_the_button(app):
    app.set_levers(pilot_teams=2, mentoring=1.0, networkers=2, teams_spanned=3)
    for name, box in app.scenario_boxes.items():
        box.value = name == MY_LEVERS
    app.buttons["compare"].click()
    stats = app.comparison[MY_LEVERS]
    assert stats.levers == app.levers
    from senge_course.course.questions.lesson_05 import mean_committed

    assert float(stats.final_committed.mean()) == pytest.approx(mean_committed(app.levers))


def test_compare_needs_a_ticked_scenario(app):
    for box in app.scenario_boxes.values():
        box.value = False
    app.buttons["compare"].click()
    assert "tick at least one scenario" in app.message.value and app.comparison is None


# ----------------------------------------------------------------------------- builder: files


@pytest.mark.parametrize("name", ["net.json", "net.graphml"])
def test_save_and_load_round_trip(app, tmp_path, name):
    app.set_role(10, "networker")
    app.add_tie(4, 44)
    path = tmp_path / name
    app.controls["filename"].value = str(path)
    app.buttons["save"].click()
    assert path.exists() and "Saved 51 people" in app.message.value
    saved = app.graph
    app.generate(teams=3)
    app.buttons["load"].click()
    assert nx.utils.graphs_equal(app.graph, saved)
    assert "Loaded 51 people" in app.message.value
    assert app.graph.nodes[10]["role"] == "networker"
    assert app.positions.shape == (51, 2)


def _hostile(tmp_path):
    good = json.loads(org.to_json(org.organisation(seed=2)))
    missing = json.loads(json.dumps(good))
    del missing["nodes"][5]["role"]
    unknown = json.loads(json.dumps(good))
    unknown["nodes"][5]["role"] = "boss"
    files = {
        "not-json.json": "this is not JSON",
        "other-format.json": json.dumps({"format": "something else", "version": 1}),
        "missing-role.json": json.dumps(missing),
        "unknown-role.json": json.dumps(unknown),
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "entity.graphml": (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected">'
            '<node id="&lol;"/></graph></graphml>'
        ),
        "not-xml.graphml": "<graphml",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00junk")
    return sorted([*files, "binary.json"])


def test_hostile_or_malformed_files_leave_the_network_untouched(app, tmp_path):
    graph = app.graph
    for name in _hostile(tmp_path):
        app.message.value = ""
        app.load(tmp_path / name)
        assert _error(app), name
        assert app.graph is graph, name


def test_huge_files_are_refused_before_reading(app, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    path = tmp_path / "huge.json"
    path.write_text(" " * 2000)
    graph = app.graph
    app.load(path)
    assert "too large" in app.message.value and app.graph is graph


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("notes.txt", "must end in .json or .graphml"),
        ("", "type a file name"),
        ("missing-folder/x.json", "cannot save the network to"),
    ],
)
def test_bad_file_names(app, tmp_path, name, match):
    target = str(tmp_path / name) if name else "  "
    app.controls["filename"].value = target
    app.buttons["save"].click()
    assert _error(app) and match in _said(app)


def test_load_a_missing_file(app, tmp_path):
    graph = app.graph
    app.load(tmp_path / "nowhere.json")
    assert "there is no such file" in app.message.value and app.graph is graph


def test_a_failed_save_keeps_the_old_file(app, tmp_path, monkeypatch):
    path = tmp_path / "keep.json"
    path.write_text("old")

    def broken(G):
        raise ValueError("cannot write this organisation")

    monkeypatch.setattr(org, "to_json", broken)
    app.save(path)
    assert _error(app) and path.read_text() == "old"


# ----------------------------------------------------------------------------- builder: large


def test_above_the_drawing_limit_shares_replace_the_drawing(app):
    app.generate(teams=40, team_size=10)
    n = app.graph.number_of_nodes()
    assert n == 403 > DRAW_LIMIT and not app.drawn
    assert app.figure_view is app.aggregate_view
    assert app.network_view.layout.display == "none" and app.aggregate_view.layout.display == ""
    assert f"this organisation has {n} people, more than the {DRAW_LIMIT}" in app.limit_note.value
    assert "too many to draw one by one" in app.aggregate_view.summary
    assert app.positions is None
    app.tabs.selected_index = RUN
    app.show_round(2)
    assert "Round 2 of 30" in app.aggregate_view.summary
    assert "Press <strong>Measure brokerage</strong>" in app.brokerage_table.value
    assert app.buttons["measure"].layout.display == ""
    app.set_role(10, "networker")  # editing still works
    assert app.graph.nodes[10]["role"] == "networker"
    app.generate(teams=6, team_size=8)
    assert app.drawn and app.limit_note.value == ""
    assert app.buttons["measure"].layout.display == "none"


def test_constructor_arguments(tmp_path):
    G = org.add_networkers(org.organisation(teams=4, seed=3), count=2, seed=3)
    app = LeaderNetworkBuilder(graph=G, levers=leadership.Levers(pilot_teams=1), run_seed=4)
    assert nx.utils.graphs_equal(app.graph, G) and app.graph is not G
    assert app.levers == leadership.Levers(pilot_teams=1)
    bad = LeaderNetworkBuilder(teams=0)
    assert bad.graph.number_of_nodes() == 51 and "teams must be" in bad.message.value


# ----------------------------------------------------------------------------- BridgeExplorer


def test_bridge_explorer_default_and_presets():
    app = BridgeExplorer()
    assert app.result.crossed and app.ties == [("A1", "B1"), ("A2", "B1"), ("A2", "B2")]
    assert "crossed: all 10 people of team B committed within 6 rounds" in app.figure_view.summary
    state = app.figure_state()
    assert state["summary"] == app.result.summary
    assert "Crossed: all 10 of team B committed" in state["axes"][0]["texts"]
    for placement in PLACEMENTS[:-1]:
        app.controls["placement"].value = placement
        assert app.ties == bridge_ties(placement)
        assert (
            app.result.team_b_committed == bridge_outcome(bridge_ties(placement)).team_b_committed
        )
    app.controls["practice"].value = "simple"
    assert app.result.crossed and app.result.practice == "simple"


def test_bridge_explorer_your_own_ties():
    app = BridgeExplorer()
    app.controls["tie2_a"].value = "A3"
    assert app.controls["placement"].value == "your own"
    assert app.ties == [("A1", "B1"), ("A3", "B1"), ("A2", "B2")] and app.result.crossed
    app.controls["tie3_b"].value = "B6"
    assert app.result.team_b_committed == 1
    assert app.figure_view.summary == app.result.summary
    app.controls["tie3_a"].value = ""
    assert app.ties == [("A1", "B1"), ("A3", "B1")]
    app.controls["tie3_a"].value = "A1"
    app.controls["tie3_b"].value = "B1"
    assert "chosen twice" in app.message.value and len(app.result.ties) == 2


def test_bridge_explorer_set_and_bad_values():
    app = BridgeExplorer(placement="spread out", practice="simple")
    assert app.controls["placement"].value == "spread out" and app.result.crossed
    app.set(ties=[("B1", "A1"), (1, 10), ("A3", "B2")])
    assert app.ties == [("A1", "B1"), ("A2", "B1"), ("A3", "B2")]
    before = app.result
    app.set(ties=[("A1", "A2")])
    assert "join a person of team A" in app.message.value and app.result is before
    app.set(practice="viral")
    assert "practice must be one of" in app.message.value


# ----------------------------------------------------------------------------- LongTieExplorer


def test_long_tie_explorer():
    app = LongTieExplorer()
    assert app.result == {"complex": (1.0, 89.0), "simple": (1.0, 45.0)}
    assert "the simple practice reaches 100% of people, 90% within 45 rounds" in (
        app.figure_view.summary
    )
    assert app.figure_view.summary.startswith(app.result.summary)
    app.controls["p"].value = 1.0
    assert app.result["simple"] == (1.0, 5.0) and app.result["complex"][0] < 0.05
    assert "never 90%" in app.figure_view.summary
    long_ties = sum(1 for *_, kind in app.graph.edges(data="kind") if kind == "bridge")
    assert long_ties > 300 and f"({long_ties} long ties)" in app.figure_view.summary
    app.controls["practice"].value = "simple"
    drawing, share, time = app.figure_state()["axes"]
    assert "p = 1: the simple practice reached 100%" in drawing["texts"]
    assert share["lines"]["simple practice"][1] == app.sweep.final["simple"].tolist()
    assert time["xlabel"] == "share of ties rewired into long ties, p"
    app.set(p=0.5)
    assert "p must be one of" in app.message.value
    assert app.controls["p"].value == 1.0
    assert list(P_GRID) == [v for _, v in app.controls["p"].options]


def test_long_tie_explorer_ties_per_person_and_assumptions():
    # Centola & Macy: with more overlap between neighbours' circles, long ties stop blocking
    app = LongTieExplorer(p=0.1)
    assert app.result["complex"][0] < 0.1 and "With 4 ties per person." in app.figure_view.summary
    app.controls["ties_per_person"].value = 6
    assert app.sweep.k == 6 and app.graph.number_of_edges() == 200 * 3
    assert app.result == long_tie_sweep(P_GRID, k=6).at(0.1) and app.result["complex"][0] == 1.0
    _, share, time = app.figure_state()["axes"]
    assert share["lines"]["complex practice"][1] == app.sweep.final["complex"].tolist()
    assert time["lines"]["simple practice"][1][0] == 30.0
    view = app.assumptions
    assert list(view.claims) == ["leaders.long-ties"]
    view.show_default()
    assert app.controls["ties_per_person"].value == 4 and view.result.holds
    view.show_counterexample("leaders.long-ties")
    assert app.controls["ties_per_person"].value == 6 and not view.result.holds
    with pytest.raises(ValueError, match="it has no budget"):
        app.apply({"budget": 1})
    with pytest.raises(ValueError, match="ties_per_person must be one of"):
        app.apply({"ties_per_person": 5})


def test_bridge_explorer_assumptions():
    app = BridgeExplorer(practice="simple")
    view = app.assumptions
    assert (
        list(view.claims) == ["leaders.wide-bridges"]
        and not view.claims["leaders.wide-bridges"].counterexample
    )
    view.show_default()
    assert app.controls["practice"].value == "complex" and view.result.holds
    with pytest.raises(ValueError, match="it has no width"):
        app.apply({"width": 2})
