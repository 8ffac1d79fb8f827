"""Widget apps of lessons 02 and 03, without a browser: set a control's value, assert on the result.

Covers RiotExplorer and ThresholdExplorer (senge_course.views.thresholds), CascadeExplorer and
PilotExplorer (senge_course.views.cascades) and the blitting figure view they share: results,
summaries and figures follow the controls; bad values leave a message and keep every control in
range; caches mean a control that does not change the network never rebuilds it.  How often the
figures are redrawn in full is checked by ``benchmarks/bench_widgets_contagion.py``.
"""

import subprocess
import sys

import ipywidgets as widgets
import networkx as nx
import numpy as np
import pytest

from senge_course.models import cascades, crowd
from senge_course.models.cascades import cascade_probability, cascade_window
from senge_course.models.crowd import granovetter_equilibrium
from senge_course.views import (
    CascadeExplorer,
    PilotExplorer,
    RiotExplorer,
    ThresholdExplorer,
)
from senge_course.views.cascades import organisation_layout

APPS = (RiotExplorer, ThresholdExplorer, CascadeExplorer, PilotExplorer)


@pytest.fixture(scope="module")
def cascade_app():
    return CascadeExplorer()


@pytest.fixture(scope="module")
def pilot_app():
    return PilotExplorer()


def _message(app):
    return app.message.value


def _in_range(app):
    for control in app.controls.values():
        if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            assert control.min <= control.value <= control.max, control.description
        if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons)):
            assert control.value in control.options


# ----------------------------------------------------------------------------- common to all


def test_registered_in_the_widgets_package():
    import senge_course.views as package

    for app in APPS:
        assert app.__name__ in package.__all__
        assert getattr(package, app.__name__) is app


def test_importing_senge_course_and_its_widgets_package_stays_cheap():
    code = (
        "import sys, senge_course, senge_course.views;"
        "print([m for m in ('matplotlib', 'ipywidgets', 'senge_course.views.thresholds',"
        " 'senge_course.views.cascades') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("factory", APPS, ids=lambda a: a.__name__)
def test_every_control_has_a_description_and_the_figure_a_summary(factory):
    app = factory()
    for name, control in app.controls.items():
        assert control.description.strip(), f"{factory.__name__}.{name} has no description"
    view = app.figure_view
    assert view.summary and f'alt="{view.summary}"' in view.value.replace("&#x27;", "'")
    assert 'class="senge-summary"' in view.value
    assert "senge-app" in app._dom_classes
    assert _message(app) == ""
    assert app.figure_state()["summary"] == view.summary == app.result.summary


TABLES = {
    RiotExplorer: (crowd.RIOT_CONTROLS, crowd.RIOT),
    ThresholdExplorer: (crowd.CROWD_CONTROLS, crowd.CROWD),
    CascadeExplorer: (cascades.CASCADE_CONTROLS, cascades.CASCADES),
    PilotExplorer: (cascades.PILOTS, cascades.PILOTS),
}


@pytest.mark.parametrize("factory", APPS, ids=lambda a: a.__name__)
def test_sliders_come_from_the_models_parameter_tables(factory):
    controls, model = TABLES[factory]
    app = factory()
    kinds = (widgets.IntSlider, widgets.FloatSlider)
    sliders = [name for name, control in app.controls.items() if isinstance(control, kinds)]
    assert set(sliders) == set(controls) - {"runs", "seed"}
    for name in sliders:
        spec = controls[name]
        low, high, step = spec.control_range()
        model[name].check(name, low), model[name].check(name, high)  # inside the model's range
        assert (spec.label, spec.description) == (model[name].label, model[name].description)
        slider = app.controls[name]
        assert (slider.min, slider.max, slider.step) == (low, high, step)
        assert slider.description == f"{spec.label}:" and slider.value == model[name].default
    if factory is CascadeExplorer:
        assert app.controls["n"].options == cascades.PEOPLE_OPTIONS
        assert app.controls["runs"].options == cascades.RUN_OPTIONS


@pytest.mark.parametrize("factory", APPS, ids=lambda a: a.__name__)
def test_set_rejects_unknown_and_out_of_range_values_with_a_message(factory):
    app = factory()
    before = app.result
    app.set(no_such_control=1)
    assert "Cannot do that" in _message(app) and "no_such_control" in _message(app)
    assert app.result is before
    bad = {
        RiotExplorer: {"threshold": 500},
        ThresholdExplorer: {"sd": -2},
        CascadeExplorer: {"phi": 0.9},
        PilotExplorer: {"size": 99},
    }[factory]
    app.set(**bad)
    (name,) = bad
    assert f"{name} must be" in _message(app)
    assert app.result is before
    _in_range(app)


@pytest.mark.parametrize("factory", APPS, ids=lambda a: a.__name__)
def test_every_app_carries_an_assumptions_section_and_apply_checks_settings(factory):
    app = factory()
    (folded,) = [c for c in app.children if isinstance(c, widgets.Accordion)]
    assert folded.titles == ("Assumptions",) and folded.children == (app.assumptions,)
    assert folded.selected_index is None  # folded until the learner opens it
    assert app.assumptions.claims, "every app lists the claims it shows"
    before = app.result
    with pytest.raises(ValueError, match="it has no rounds"):
        app.apply({"rounds": 3})
    name = next(iter(app.controls))
    with pytest.raises((ValueError, TypeError), match=f"{name} must be"):
        app.apply({name: -99})
    assert app.result is before
    _in_range(app)


@pytest.mark.parametrize(
    ("factory", "kwargs", "words"),
    [
        (RiotExplorer, {"n": 5000}, "n must be"),
        (ThresholdExplorer, {"mean": "high"}, "mean must be a number"),
        (CascadeExplorer, {"start": "everyone"}, "start must be one of"),
        (CascadeExplorer, {"seed": -1}, "seed must be"),
        (PilotExplorer, {"runs": 0}, "runs must be"),
    ],
)
def test_bad_constructor_arguments_give_a_message_and_defaults(factory, kwargs, words):
    app = factory(**kwargs)
    assert words in _message(app)
    assert app.result is not None
    _in_range(app)


def test_a_library_error_in_a_callback_becomes_a_message(monkeypatch):
    app = ThresholdExplorer()
    before = app.result

    def broken(*args, **kwargs):
        raise ValueError("sd must be a number in [0.1, 500], got sd=0")

    monkeypatch.setattr("senge_course.views.thresholds.crowd_equilibrium", broken)
    app.controls["sd"].value = 11  # must not raise
    assert "sd must be a number" in _message(app)
    assert app.result is before


# ----------------------------------------------------------------------------- RiotExplorer


def test_riot_explorer_one_changed_threshold():
    app = RiotExplorer()
    assert app.result.joined == 100 and app.result.rounds == 100
    assert "everyone, after 100 rounds" in app.figure_view.summary
    image = app.figure_view.value
    app.controls["threshold"].value = 2
    r = app.result
    assert (r.person, r.threshold, r.joined) == (1, 2, 1)
    assert r.thresholds == (0, 2, *range(2, 100))
    assert r.mean_threshold == pytest.approx(49.51)
    assert "1 person joins, after 1 round" in app.figure_view.summary
    assert app.figure_view.value != image


def test_riot_explorer_choosing_a_person_starts_at_their_own_threshold():
    app = RiotExplorer()
    app.controls["person"].value = 50
    assert app.controls["threshold"].value == 50 and app.result.joined == 100
    app.controls["threshold"].value = 51
    assert app.result.joined == granovetter_equilibrium(app.result.thresholds) == 50
    app.controls["reset"].click()
    assert app.result.joined == 100 and app.controls["threshold"].value == 50


def test_riot_explorer_crowd_size_keeps_the_sliders_in_range():
    app = RiotExplorer()
    app.set(person=90, threshold=95)
    app.controls["n"].value = 50
    _in_range(app)
    assert app.controls["person"].max == app.controls["threshold"].max == 49
    assert app.result.n == 50 and len(app.result.thresholds) == 50
    app.set(n=200, person=150, threshold=160)
    assert (app.result.person, app.result.threshold, app.result.joined) == (150, 160, 150)


def test_riot_explorer_figure_follows_the_crowd():
    app = RiotExplorer()
    app.controls["threshold"].value = 3
    crowd, chain = app.figure_state()["axes"]
    assert chain["lines"]["this crowd"] == ([0.0, 1.0], [0.0, 1.0])
    assert chain["lines"]["where it stops"] == ([1.0], [1.0])
    assert "Stops after 1 round:\n1 of 100 joined" in chain["texts"]
    assert chain["xlim"] == (0, 101) and crowd["title"] == "The crowd, by original threshold"
    app.controls["n"].value = 150
    chain = app.figure_state()["axes"][1]
    assert (
        chain["xlim"] == (0, 151) and chain["lines"]["uniform crowd (0, 1, 2, ...)"][0][-1] == 150
    )


def test_riot_explorer_crowd_size_by_one_redraws_only_what_changed():
    """An arrow key on the crowd size (100, 101, 100, ...) keeps both panels' axes: the crowd
    fills the same square whatever its size, and the rounds panel's limits move in steps."""
    app = RiotExplorer()
    view = app.figure_view
    first = view.value
    app.controls["n"].value = 101
    draws = view.full_draws  # 101 needs the rounds panel's next step (125): one full draw
    for n in (100, 101, 102, 100, 103):
        app.controls["n"].value = n
    assert view.full_draws == draws
    app.controls["n"].value = 100
    assert view.value == first  # the layer reused is the one drawn for 100
    crowd, chain = app.figure_state()["axes"]
    assert crowd["xlim"] == crowd["ylim"] == pytest.approx((-0.08, 1.08))
    assert chain["xlim"] == (0, 101)
    app.controls["n"].value = 103
    assert app.figure_state()["axes"][1]["xlim"] == (0, 126)
    offsets = np.concatenate([app._joined.get_offsets(), app._out.get_offsets()])
    assert len(offsets) == 103 and offsets.min() >= 0 and offsets.max() <= 1


# ----------------------------------------------------------------------------- ThresholdExplorer


def test_threshold_explorer_default_and_sweep():
    app = ThresholdExplorer()
    r = app.result
    assert (r.mean, r.sd, r.n, r.shift) == (25, 10, 100, 0)
    assert r.joined == pytest.approx(0.77, abs=0.01) and not r.tipped
    assert app.figure_view.summary == (
        "With mean 25 and sd 10, 0.8 of 100 people join on average: the crowd stalls."
    )
    image = app.figure_view.value
    app.controls["sd"].value = 13
    assert app.result.tipped and app.result.joined == pytest.approx(100, abs=0.01)
    assert app.figure_view.summary.endswith(
        "100 of 100 people join: the crowd tips: nearly everyone joins."
    )
    assert app.figure_view.value != image


def test_threshold_explorer_leaders_shift():
    app = ThresholdExplorer()
    app.controls["shift"].value = -4
    assert app.result.tipped
    assert "leaders lowering every threshold by 4" in app.figure_view.summary
    app.set(sd=13, shift=1.2)
    assert not app.result.tipped and app.result.joined == pytest.approx(6.15, abs=0.01)
    assert "leaders raising every threshold by 1.2" in app.figure_view.summary


def test_threshold_explorer_result_is_the_model():
    app = ThresholdExplorer()
    app.set(mean=30, sd=14, n=300, shift=-2)
    expected = crowd.crowd_equilibrium(30, 14, 300, shift=-2)
    assert app.result.joined == pytest.approx(expected.joined)
    np.testing.assert_allclose(app.result.joined_by_round, expected.joined_by_round)
    # the cobweb starts at nobody and ends at the equilibrium
    path = app.result.joined_by_round
    assert path[0] == 0 and path[-1] == pytest.approx(expected.joined, abs=1e-3)
    ready = app.figure_state()["axes"][1]
    share = 100 * expected.joined / 300
    assert ready["lines"]["equilibrium"] == ([share], [share])
    assert ready["lines"]["steps from nobody"][0][0] == 0


def test_threshold_explorer_keeps_its_axes_for_ordinary_moves():
    app = ThresholdExplorer()
    for name, value in (("sd", 12), ("mean", 30), ("n", 500), ("shift", -3)):
        app.controls[name].value = value
        assert app.figure_state()["axes"][0]["xlim"] == (-40, 80)
    assert "before leaders' shift" in app.figure_state()["axes"][0]["lines"]
    app.controls["sd"].value = 30  # a far-out spread widens the axis
    assert app.figure_state()["axes"][0]["xlim"] == (-40, 160)


# ----------------------------------------------------------------------------- CascadeExplorer


def test_cascade_explorer_default(cascade_app):
    app = cascade_app
    app.set(phi=0.18, z=4, start="lone champion", n=2000, runs=100)
    r = app.result
    assert r.window == pytest.approx(cascade_window(0.18)) and r.position == "inside"
    assert r.theory == pytest.approx(cascade_probability(4, 0.18))
    assert r.global_runs == 83 and r.frequency == 0.83
    assert r.global_size == pytest.approx(0.98, abs=0.005)
    assert r.final_fraction.shape == (100,)
    np.testing.assert_array_equal(r.final_fraction, cascades.simulated_cascades(4))
    assert (
        r.summary
        == app.figure_state()["summary"]
        == (
            "For threshold 0.18 the cascade window runs from mean degree 1.02 to 5.76; z = 4.0 is "
            "inside it. A lone champion set off a global cascade in 83 of 100 runs (theory for a "
            "lone champion: 87%); those cascades reached 98% of people."
        )
    )


def test_cascade_explorer_moves_follow_the_window(cascade_app):
    app = cascade_app
    app.set(phi=0.18, z=8, start="lone champion")
    assert app.result.position == "above" and app.result.global_runs == 0
    assert "z = 8.0 is above it" in app.figure_view.summary
    app.set(phi=0.3)
    assert app.result.window is None and app.result.position == "closed"
    assert "there is no cascade window" in app.figure_view.summary
    app.set(phi=0.18, z=0.8)
    assert app.result.position == "below"


def test_cascade_explorer_pilot_group_beats_lone_champion_above_the_window(cascade_app):
    app = cascade_app
    app.set(phi=0.18, z=6.8, start="lone champion")
    lone = app.result.global_runs
    app.set(start="pilot group", size=10)
    pilot = app.result.global_runs
    assert (lone, pilot) == (1, 76)
    assert "A pilot group of 10 set off a global cascade in 76 of 100 runs" in (
        app.figure_view.summary
    )
    assert not app.controls["size"].disabled
    app.set(start="lone champion")
    assert app.controls["size"].disabled and app.result.size == 1


def test_cascade_explorer_caches_networks_per_n_z_seed():
    app = CascadeExplorer()
    net = app.network()
    for name, value in (
        ("phi", 0.2),
        ("start", "pilot group"),
        ("size", 20),
        ("runs", 50),
        ("start", "scattered"),
        ("phi", 0.15),
    ):
        app.controls[name].value = value
    assert app.network() is net, "only n, z and the seed change the network"
    app.controls["z"].value = 6
    assert app.network() is not net and app.network() is app.network(z=6)
    app.controls["z"].value = 4
    assert app.network() is net
    app.controls["n"].value = 5000
    assert app.network().n == 5000 and app.network(n=2000) is net


def test_cascade_explorer_caches_batches_and_draws_every_z_visited():
    app = CascadeExplorer()
    app.controls["z"].value = 3
    first = app.result.final_fraction
    app.controls["z"].value = 4
    app.controls["z"].value = 3
    assert app.result.final_fraction is first, "a visited setting reuses its batch"
    for value in (0.1, 0.25, 0.3):
        app.controls["phi"].value = value
        window = app.figure_state()["axes"][0]
        assert window["lines"]["theory: lone champion"][1] == pytest.approx(
            [cascade_probability(z, value) for z in window["lines"]["theory: lone champion"][0]]
        )
    # every visited z with these settings is drawn as a simulated point
    app.set(phi=0.18)
    for z in (2, 5, 7):
        app.controls["z"].value = z
    xs, ys = app.figure_state()["axes"][0]["lines"]["simulated (z visited)"]
    assert set(xs) >= {2.0, 3.0, 4.0, 5.0, 7.0}
    assert ys[xs.index(7.0)] == app.result.frequency
    assert sum(app.figure_state()["axes"][1]["bars"]) == pytest.approx(1.0)


def test_probability_curve_equals_the_engine():
    grid = np.linspace(0.05, 12, 120)
    for phi in (0.05, 0.1, 0.15, 0.18, 0.2, 0.25, 0.3):
        expected = [cascade_probability(z, phi) for z in grid]
        np.testing.assert_allclose(
            cascades.cascade_probability_curve(grid, phi), expected, atol=1e-9
        )


# ----------------------------------------------------------------------------- PilotExplorer


def test_pilot_explorer_default(pilot_app):
    app = pilot_app
    app.set(phi=0.3, size=4, start="pilot group", outside_ties=1.0)
    r = app.result
    assert r.teams_won == pytest.approx(
        {"lone champion": 0.025, "pilot group": 1.0, "scattered": 0.395}
    )
    assert r.mean_final["pilot group"] > r.mean_final["scattered"] > r.mean_final["lone champion"]
    G, net = app.organisation()
    roles = [G.nodes[u]["role"] for u in r.starters]
    assert sorted(roles) == ["line_leader", "member", "member", "member"]
    assert len({G.nodes[u]["team"] for u in r.starters}) == 1
    assert r.committed.sum() == 11
    summary = app.figure_view.summary
    assert "1 tie per person outside their team" in summary
    assert "pilot group of 4 1.00" in summary and "11 of 123 people committed" in summary
    assert summary == r.summary
    bars = app.figure_state()["axes"][1]["bars"]
    assert bars == pytest.approx([r.teams_won[s] for s in cascades.STARTS])


def test_pilot_explorer_another_run_and_start(pilot_app):
    app = pilot_app
    app.set(phi=0.3, size=4, start="pilot group", outside_ties=1.0)
    starters = app.result.starters
    app.controls["another"].click()
    assert app.result.run == 1 and app.result.starters != starters
    app.controls["start"].value = "lone champion"
    assert app.result.run == 0 and len(app.result.starters) == 1
    app.controls["start"].value = "scattered"
    assert len(app.result.starters) == 4
    assert "run 1 of 4 scattered champions" in app.figure_view.summary


def test_pilot_explorer_rebuilds_the_organisation_only_for_outside_ties():
    app = PilotExplorer()
    G, _ = app.organisation()
    for name, value in (("phi", 0.2), ("size", 6), ("start", "scattered"), ("phi", 0.35)):
        app.controls[name].value = value
    app.controls["another"].click()
    assert app.organisation()[0] is G and app.result.run == 1
    app.controls["outside_ties"].value = 2.0
    other = app.organisation()[0]
    assert other is not G and other.number_of_edges() > G.number_of_edges()
    app.controls["outside_ties"].value = 1.0
    assert app.organisation()[0] is G and app.result.run == 0
    with pytest.raises(nx.NetworkXError):  # shared by every app: read-only
        G.add_edge(0, 1)


# ----------------------------------------------------------------------------- pure helpers


def test_cluster_starters_are_connected_groups():
    G = nx.fast_gnp_random_graph(300, 4 / 299, seed=3)
    draw = cascades.cluster_starters(G, 10)
    rng = np.random.default_rng(0)
    giant = max(nx.connected_components(G), key=len)
    for _ in range(20):
        group = draw(rng)
        assert len(group) == len(set(group)) == 10
        if group[0] in giant:
            assert nx.is_connected(G.subgraph(group))
    # a piece too small continues from another person
    tiny = nx.Graph([(0, 1), (2, 3), (4, 5)])
    assert sorted(cascades.cluster_starters(tiny, 6)(rng)) == [0, 1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="size must be"):
        cascades.cluster_starters(tiny, 7)


def test_pilot_group_starters_and_layout():
    from senge_course.models.org import organisation

    G = organisation(teams=5, team_size=6, seed=2)
    draw = cascades.pilot_group_starters(G, 6)
    group = draw(np.random.default_rng(1))
    assert G.nodes[group[0]]["role"] == "line_leader"
    assert len({G.nodes[v]["team"] for v in group}) == 1 and len(group) == 6
    with pytest.raises(ValueError, match="size must be"):
        cascades.pilot_group_starters(G, 7)
    with pytest.raises(ValueError, match="line leaders"):
        cascades.pilot_group_starters(nx.path_graph(4), 2)
    with pytest.raises(TypeError, match="organisation graph"):
        cascades.pilot_group_starters("G", 2)
    pos = organisation_layout(G)
    assert set(pos) == set(G) and len(set(pos.values())) == len(G)


def test_random_network_and_simulated_cascades_validate():
    G = cascades.random_network(500, 3, seed=4)
    assert nx.utils.graphs_equal(G, nx.fast_gnp_random_graph(500, 3 / 499, seed=4))
    with pytest.raises(ValueError, match="n must be"):
        cascades.random_network(5, 3)
    with pytest.raises(ValueError, match="start must be one of"):
        cascades.simulated_cascades(4, start="all")


def test_models_check_their_inputs_against_the_tables_and_cache_batches():
    with pytest.raises(ValueError, match=r"phi must be a number in \(0, 1\]"):
        cascades.simulated_cascades(4, phi=0)
    with pytest.raises(ValueError, match=r"outside_ties must be a number in \[0, 3\]"):
        cascades.pilot_runs(outside_ties=5)
    with pytest.raises(ValueError, match=r"sd must be a number in \[0.1, 500\]"):
        crowd.crowd_equilibrium(sd=0)
    with pytest.raises(TypeError, match="n must be a whole number"):
        crowd.riot(n=50.5)
    # the same settings are simulated once (the lesson 03 puzzle is judged from this cache)
    assert cascades.simulated_cascades(6.8) is cascades.simulated_cascades(6.80001)
    assert cascades.simulated_cascades(6.8, size=3) is cascades.simulated_cascades(6.8)
    assert cascades.pilot_batch(0.3, 4) is cascades.pilot_batch(0.3, 4)
    summary = crowd.riot(100, person=1, threshold=2).summary
    assert summary.startswith("With the person whose threshold was 1 now at 2")
