"""Tests for the ScenarioComparer app and its helpers (lessons 01 and 06), without a browser."""

import math

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

from senge_course.models.capability import (
    CLIMATE_OUTCOMES,
    COMMAND,
    COMMITMENT,
    POLICY_LEVERS,
    Regime,
    climate_outcome,
    describe_run,
    describe_runs,
    describe_shock,
    performance_path,
    simulate,
)
from senge_course.models.claims import for_app
from senge_course.style import series_style
from senge_course.views import ScenarioComparer as Exported
from senge_course.views import scenarios
from senge_course.views.scenarios import ScenarioComparer, plot_runs

SURGE = {"target_change": 0.2, "surge_weeks": 8}


@pytest.fixture
def app():
    return ScenarioComparer(predict=False)


def image(app):
    return app.view.value.split('alt="')[0]


def panel(app, name):
    """What the figure's panel `name` shows (`App.figure_state`)."""
    return app.figure_state()["axes"][list(scenarios.PANELS).index(name)]


# ----------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("regime", "kwargs", "expected"),
    [
        (COMMAND, SURGE, "collapses"),
        (COMMITMENT, SURGE, "dips, then recovers"),
        (COMMAND, {"target_change": 0.05, "surge_weeks": 8}, "stays about the same"),
        (COMMAND, {"target_change": 0.0}, "stays about the same"),
        (COMMITMENT, {"target_change": 0.2}, "ends lower"),
        (COMMITMENT.replace(work_harder=4), {"target_change": 0.2}, "ends lower"),  # trapped
        (COMMAND, {"target_change": 0.2}, "collapses"),
    ],
)
def test_climate_outcome(regime, kwargs, expected):
    assert climate_outcome(simulate(regime, **kwargs)) == expected
    assert expected in CLIMATE_OUTCOMES


def test_performance_path_better_before_worse_and_worse_before_better():
    command = performance_path(simulate(COMMAND, target_change=0.2))
    assert command["shape"] == "better before worse"
    assert round(command["peak"], 2) == 1.16 and round(command["peak_week"]) == 24
    assert round(command["end"], 2) == 0.43
    commitment = performance_path(simulate(COMMITMENT, target_change=0.2))
    assert commitment["shape"] == "worse before better"
    assert round(commitment["low"], 2) == 0.96 and round(commitment["low_week"]) == 28
    assert round(commitment["end"], 2) == 1.08
    assert performance_path(simulate(COMMAND))["shape"] == "steady"


def test_describe_shock_in_words():
    assert describe_shock(simulate(COMMAND, target_change=0.08, surge_weeks=4)) == (
        "an 8% surge in the target for 4 weeks from week 20"
    )
    assert describe_shock(simulate(COMMAND, target_change=-0.1, surge_start=30)) == (
        "a permanent 10% cut in the target from week 30"
    )


def test_describe_run_names_the_numbers():
    text = describe_run("Command", simulate(COMMAND, **SURGE))
    assert text.startswith(
        "Command tips into the trap: capability falls from 0.98 to 0.30 (its floor is 0.30) "
        "and the climate collapses from 0.76 to 0.05"
    )
    text = describe_run("Commitment", simulate(COMMITMENT, target_change=0.2))
    assert "settles at a new level: climate 0.99 to 0.64" in text
    assert "dips to 0.96x its start (week 28), then rises to 1.10x and ends at 1.08x" in text
    assert describe_run("x", simulate(COMMAND)) == (
        "x stays where it started: climate 0.76, capability 0.98."
    )
    small = describe_run("x", simulate(COMMAND, target_change=0.05, surge_weeks=8))
    assert small.startswith("x absorbs it: the climate stays at 0.76")
    stuck = describe_run("x", simulate(COMMITMENT.replace(work_harder=4), target_change=0.2))
    assert stuck.startswith("x tips into the trap: capability falls from 1.00 to 0.31")
    assert "the climate falls only from 0.99 to 0.64" in stuck


def test_describe_runs_marks_scenarios_with_another_shock():
    runs = {
        "a": simulate(COMMAND, **SURGE),
        "b": simulate(COMMAND, target_change=0.1, surge_weeks=8),
    }
    text = describe_runs(runs)
    assert text.startswith("After a 20% surge in the target for 8 weeks from week 20: a tips")
    assert "b (after a 10% surge in the target for 8 weeks from week 20) recovers" in text
    assert describe_runs({}) == "No scenarios to show."
    assert describe_runs({"a": simulate(COMMAND)}).startswith("With no change in the target: a")


@pytest.mark.parametrize(
    "call",
    [
        lambda: climate_outcome("run"),
        lambda: describe_run("x", 3),
        lambda: describe_runs([simulate(COMMAND)]),
        lambda: plot_runs({"a": "run"}),
    ],
)
def test_helpers_refuse_what_is_not_a_run(call):
    with pytest.raises(TypeError, match="CapabilityRun|dict of name"):
        call()


def test_plot_runs_draws_every_panel_with_styles_and_a_summary():
    runs = {"command": simulate(COMMAND, **SURGE), "commitment": simulate(COMMITMENT, **SURGE)}
    drawn, summary = plot_runs(runs)
    assert sorted(drawn["axes"]) == ["capability", "climate", "hours", "performance"]
    assert drawn["axes"]["climate"].get_title(loc="left").startswith("Climate for improvement")
    for i, name in enumerate(runs):
        line = drawn["lines"][name]["climate"]
        style = series_style(i)
        assert line.get_color() == style["color"] and line.get_marker() == style["marker"]
        assert np.allclose(line.get_ydata(), runs[name].climate)
    assert [t.get_text() for t in drawn["legend"].get_texts()][:2] == ["command", "commitment"]
    assert summary == describe_runs(runs)
    # the surge is shaded from week 20 to 28
    patch = drawn["surge"]["climate"]
    assert (patch.get_x(), patch.get_width()) == (20.0, 8.0)
    matplotlib.pyplot.close("all")


def test_plot_runs_checks_its_inputs():
    one = simulate(COMMAND)
    drawn, _ = plot_runs(one)
    assert list(drawn["lines"]) == ["scenario"]
    with pytest.raises(ValueError, match="at least one scenario"):
        plot_runs({})
    with pytest.raises(ValueError, match="at most 7 scenarios"):
        plot_runs({str(i): one for i in range(8)})
    with pytest.raises(ValueError, match="axes must be 4"):
        plot_runs(one, axes=[drawn["axes"]["climate"]])
    matplotlib.pyplot.close("all")


# ----------------------------------------------------------------------------- the app


def test_is_exported_and_a_course_app(app):
    assert Exported is ScenarioComparer
    assert app.figure_state()["summary"] == app.summary


def test_default_runs_command_and_commitment_after_a_20_percent_surge(app):
    assert list(app.result) == ["A", "B"]
    assert app.result["A"].regime == COMMAND and app.result["B"].regime == COMMITMENT
    assert app.result["A"].trapped and app.result["B"].recovered
    assert app.summary.startswith(
        "After a 20% surge in the target for 8 weeks from week 20: A (command) tips into the trap: "
        "capability falls from 0.98 to 0.30"
    )
    assert "B (commitment) recovers" in app.summary
    assert app.view.summary == app.summary and f'alt="{app.summary}' in app.view.value


def test_moving_a_lever_reruns_only_that_scenario_and_redraws(app):
    before, runs = image(app), dict(app.result)
    app.controls["A"]["control"].value = 0.4
    assert app.result["A"].regime == COMMAND.replace(control=0.4)
    assert app.result["B"] is runs["B"]
    assert app.controls["A"]["preset"].value == "custom"
    assert not app.result["A"].trapped
    assert app.summary.startswith(
        "After a 20% surge in the target for 8 weeks from week 20: A (custom) recovers"
    )
    assert image(app) != before
    x, y = panel(app, "climate")["lines"]["A (custom)"]
    assert np.array_equal(y, app.result["A"].climate) and np.array_equal(x, app.result["A"].week)
    app.controls["B"]["autonomy"].value = 0.5
    assert app.result["B"].regime == COMMITMENT.replace(autonomy=0.5)
    assert app.result["A"].regime == COMMAND.replace(control=0.4)


def test_the_shock_reruns_every_live_scenario_but_not_kept_ones(app):
    app.keep("command, 20%")
    kept = app.result["command, 20%"]
    app.controls["target_change"].value = 14
    assert {run.target_change for run in (app.result["A"], app.result["B"])} == {0.14}
    assert app.result["command, 20%"] is kept
    assert not app.result["A"].trapped and kept.trapped
    assert "command, 20% (kept) (after a 20% surge" in app.summary


def test_permanent_change_and_surge_length(app):
    app.controls["permanent"].value = True
    assert app.controls["surge_weeks"].disabled
    assert app.result["A"].surge_weeks is None
    assert "a permanent 20% rise" in app.summary
    app.controls["permanent"].value = False
    app.controls["surge_weeks"].value = 4
    assert app.result["A"].surge_weeks == 4.0 and not app.result["A"].trapped


def test_choosing_a_preset_sets_the_levers(app):
    app.controls["A"]["preset"].value = "commitment"
    assert app.result["A"].regime == COMMITMENT
    assert [app.controls["A"][lever].value for lever in POLICY_LEVERS] == [0.25, 0.5, 0.1, 0.9]
    run = app.result["A"]
    app.controls["A"]["preset"].value = "custom"  # nothing to rerun
    assert app.result["A"] is run


def test_moving_levers_back_to_a_preset_names_it(app):
    app.controls["A"]["control"].value = 0.5
    assert app.controls["A"]["preset"].value == "custom"
    app.controls["A"]["control"].value = 0.8
    assert app.controls["A"]["preset"].value == "command"


def test_policy_and_set_policy(app):
    assert app.policy("A") == {
        "work_harder": 4.0,
        "work_smarter": 0.0,
        "control": 0.8,
        "autonomy": 0.2,
    }
    app.set_policy("A", control=0.4, autonomy=0.5)
    assert app.policy("A")["control"] == 0.4 and app.policy("A")["autonomy"] == 0.5
    assert app.result["A"].regime == COMMAND.replace(control=0.4, autonomy=0.5)
    app.set_policy("B", preset="command")
    assert app.result["B"].regime == COMMAND and app.controls["B"]["preset"].value == "command"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda a: a.set_policy("A", control=1.5),
            "control must be a number in [0, 1], got control=1.5",
        ),
        (lambda a: a.set_policy("A", autonomy=0), "autonomy must be a number in (0, 1]"),
        (lambda a: a.set_policy("A", autonomy=0.01), "the autonomy slider goes from 0.05 to 1"),
        (lambda a: a.set_policy("A", speed=2), "set_policy takes the levers"),
        (lambda a: a.set_policy("A", preset="chaos"), "preset must be one of command, commitment"),
        (
            lambda a: a.set_policy("C", control=0.5),
            "scenario must be one of A, B, got scenario='C'",
        ),
        (lambda a: a.keep("  "), "give the scenario a name first"),
        (lambda a: a.keep("B"), "'B' is the name of a live scenario"),
        (lambda a: a.keep("x" * 41), "at most 40 characters"),
        (lambda a: a.remove("nothing"), "there is no kept scenario called 'nothing'"),
    ],
)
def test_bad_inputs_show_a_message_and_change_nothing(app, call, message):
    before = dict(app.result)
    levers = {letter: app.policy(letter) for letter in "AB"}
    call(app)
    assert "Cannot do that:" in app.message.value
    assert message.replace("'", "&#x27;") in app.message.value
    assert app.result == before
    assert {letter: app.policy(letter) for letter in "AB"} == levers


def test_a_regime_error_from_the_model_is_shown_not_raised(app, monkeypatch):
    def broken(regime, **kwargs):
        raise ValueError("dt must be at most a quarter of the shortest time constant")

    monkeypatch.setattr(scenarios, "simulate", broken)
    app.controls["A"]["control"].value = 0.3
    assert "Cannot do that:" in app.message.value and "dt must be" in app.message.value


def test_controls_stay_in_range(app):
    app.controls["A"]["control"].value = 5.0
    app.controls["target_change"].value = 500
    app.controls["A"]["autonomy"].value = 0.0
    assert app.controls["A"]["control"].value == 1.0
    assert app.controls["target_change"].value == 100
    assert app.controls["A"]["autonomy"].value == 0.05
    assert app.result["A"].regime.autonomy == 0.05 and app.result["A"].target_change == 1.0


def test_every_control_has_a_description(app):
    named = [c for key, c in app.controls.items() if key not in ("A", "B")]
    named += [c for letter in "AB" for c in app.controls[letter].values()]
    for control in named:
        assert control.description, control


def test_the_y_range_grows_for_a_large_target_and_shrinks_back(app):
    app.controls["target_change"].value = 80
    assert panel(app, "performance")["ylim"][1] >= 1.8
    app.controls["target_change"].value = 20
    assert panel(app, "performance")["ylim"] == (0.0, 1.6)


def test_prediction_first_then_shown_against_the_result():
    app = ScenarioComparer()
    assert app.controls["prediction"].value == ""
    assert app.figure_state()["summary"] == "" and app.view.value == ""  # nothing drawn yet
    assert app.result["A"].trapped  # the model has run; only the figure waits
    app.controls["prediction"].value = "dips, then recovers"
    # nothing is revealed before the run, but moving a control says what is ready
    assert "Ready: a 20% surge in the target for 8 weeks from week 20" in app.feedback.value
    assert "falls" not in app.feedback.value and "trap" not in app.feedback.value
    app.controls["target_change"].value = 22
    assert "Ready: a 22% surge" in app.feedback.value and app.view.value == ""
    app.controls["target_change"].value = 20
    run = app.controls["run"]
    assert run.layout.display != "none" and not run.disabled  # a learner can press it
    run.click()
    assert run.layout.display == "none"  # the figure shows: nothing left to press
    assert app.figure_state()["summary"] == app.summary and app.summary in app.view.value
    feedback = app.feedback.value
    assert "You predicted that the climate in A (command) dips, then recovers" in feedback
    assert "the simulation shows it collapses (0.76 at the start, 0.05 at its lowest" in feedback
    assert "Not what you expected" in feedback
    assert "Capability ends at its floor: A (command) is trapped." in feedback
    app.controls["prediction"].value = "collapses"
    assert "Your prediction matches." in app.feedback.value
    app.controls["A"]["control"].value = 0.4
    assert "shows it dips, then recovers" in app.feedback.value


def test_no_prediction_is_said_in_words():
    app = ScenarioComparer()
    app.controls["run"].click()
    assert "You made no prediction." in app.feedback.value


def test_keep_remove_and_clear_named_scenarios(app):
    kept_controls = [app.controls[name] for name in ("kept", "remove", "clear")]
    assert all(c.disabled for c in kept_controls)  # nothing kept: no Tab stops to nowhere
    app.keep("command, 20%")
    assert not any(c.disabled for c in kept_controls)
    app.controls["A"]["control"].value = 0.4
    app.keep("control 0.4", "A")
    assert list(app.result) == ["A", "B", "command, 20%", "control 0.4"]
    assert app.result["control 0.4"].regime.control == 0.4
    assert app.controls["kept"].options == ("command, 20%", "control 0.4")
    shown = [name for name in panel(app, "climate")["lines"] if not name.startswith("week")]
    assert shown == ["A (custom)", "B (commitment)", "command, 20% (kept)", "control 0.4 (kept)"]
    app.keep("control 0.4", "B")  # the same name replaces the old copy
    assert app.result["control 0.4"].regime == COMMITMENT and "Replaced" in app.message.value
    app.remove("command, 20%")
    assert list(app.result) == ["A", "B", "control 0.4"]
    app.clear_kept()
    assert list(app.result) == ["A", "B"] and app.controls["kept"].options == ()
    assert all(c.disabled for c in kept_controls)
    assert sorted(panel(app, "climate")["lines"]) == ["A (custom)", "B (commitment)", "week 300"]


def test_keep_through_the_controls(app):
    app.controls["name"].value = "first try"
    app.controls["source"].value = "B"
    app.controls["keep"].click()
    assert app.result["first try"].regime == COMMITMENT and app.controls["name"].value == ""
    app.controls["remove"].click()
    assert "first try" not in app.result


def test_at_most_seven_scenarios(app):
    for i in range(5):
        app.keep(f"copy {i}")
    app.keep("one more")
    assert "at most 7 scenarios" in app.message.value and "one more" not in app.result


def test_readout_at_a_week(app):
    app.controls["permanent"].value = True
    app.controls["week"].value = 52
    readout = app.readout.value
    a, b = app.result["A"], app.result["B"]
    i = int(52 / a.dt)
    assert "Values at week 52" in readout
    assert f"{a.performance[i] / a.performance[0]:.3f}x" in readout
    assert f"{b.performance[i] / b.performance[0]:.3f}x" in readout
    assert panel(app, "climate")["lines"]["week 52"][0] == [52.0, 52.0]
    assert "<th scope='col' style='padding:1px 0.9em;text-align:right'>climate</th>" in readout


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"regimes": ()}, ValueError, "1 to 4 regimes"),
        ({"regimes": ("command", "boss")}, ValueError, "a preset must be one of"),
        ({"regimes": (3,)}, TypeError, "preset names or Regime objects"),
        ({"target_change": 1.5}, ValueError, "target_change must be a number in"),
        ({"surge_weeks": 0}, ValueError, "surge_weeks must be a whole number"),
        ({"weeks": 50}, ValueError, "weeks must be a whole number"),
        ({"predict": "yes"}, TypeError, "predict must be True or False"),
    ],
)
def test_bad_construction_is_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        ScenarioComparer(**kwargs)


def test_custom_regimes_keep_their_other_fields_and_one_scenario_works():
    regime = Regime(
        work_harder=2.0, work_smarter=0.2, control=0.5, autonomy=0.5, climate_threshold=0.3
    )
    app = ScenarioComparer(regimes=(regime,), surge_weeks=None, predict=False)
    assert list(app.result) == ["A"] and app.result["A"].regime == regime
    assert app.controls["A"]["preset"].value == "custom"
    app.controls["A"]["control"].value = 0.3
    assert app.result["A"].regime.climate_threshold == 0.3
    assert math.isclose(app.result["A"].regime.control, 0.3)


def test_without_prediction_the_figure_shows_at_once(app):
    assert app.figure_state()["summary"] == app.summary != ""
    assert app.children[0].layout.display == "none"  # the prediction row is hidden
    assert app.feedback.value == ""
    app.controls["A"]["control"].value = 0.4
    assert app.feedback.value == ""


# ----------------------------------------------------------------------------- assumptions


def test_the_assumptions_view_lists_the_apps_claims(app):
    keys = [c.key for c in for_app("ScenarioComparer")]
    assert sorted(app.assumptions.claims) == sorted(keys) and len(keys) == 7
    folded = [c for c in app.children if isinstance(c, widgets.Accordion)]
    assert [f.get_title(0) for f in folded] == ["Assumptions"]
    assert folded[0].children == (app.assumptions,)
    # the claims of the app's own kind of shock come first (the lesson's setting is theirs)
    assert next(iter(app.assumptions.claims)) == "trap.temporary-surge"
    lasting = ScenarioComparer(surge_weeks=None, predict=False)
    assert next(iter(lasting.assumptions.claims)) == "trap.commitment-never-trapped"


@pytest.mark.parametrize("claim", for_app("ScenarioComparer"), ids=lambda c: c.key)
def test_each_counterexample_can_be_shown_and_undone(app, claim):
    if claim.counterexample is None:
        app.apply(claim.default)
    else:
        app.assumptions.show_counterexample(claim.key)
        assert app.assumptions.result.holds is False
        setting = claim.counterexample
        assert app.result["A"].target_change == setting.get("target_change", 0.2)
        assert (app.result["A"].surge_weeks is None) == setting.get("permanent", False)
    app.assumptions.show_default()
    assert app.result["A"].regime == COMMAND and app.result["B"].regime == COMMITMENT
    assert app.result["A"].surge_weeks == 8.0 and app.result["A"].target_change == 0.2
    assert app.result["A"].trapped and app.result["B"].recovered


def test_back_to_the_lesson_keeps_custom_scenarios():
    designer = ScenarioComparer(("command", "command"), predict=False)
    designer.assumptions.show_counterexample("trap.commitment-never-trapped")
    assert designer.result["B"].regime == COMMITMENT.replace(work_harder=4.0)
    designer.assumptions.show_default()
    assert designer.result["A"].regime == designer.result["B"].regime == COMMAND


def test_apply_sets_scenarios_and_the_shock(app):
    app.apply({"commitment_work_harder": 4.0, "target_change": 0.2, "permanent": True})
    assert app.result["B"].regime == COMMITMENT.replace(work_harder=4.0)
    assert app.result["B"].trapped and not app.result["B"].climate_collapsed
    assert app.controls["permanent"].value and app.result["A"].surge_weeks is None
    assert app.controls["B"]["preset"].value == "custom"
    app.apply({"command_work_harder": 8.0, "pressure_drain": 0.0, "attribution": 2.0})
    a, b = app.result["A"], app.result["B"]
    assert (a.regime.work_harder, a.regime.attribution, b.regime.pressure_drain) == (8.0, 2.0, 0.0)
    assert app.controls["A"]["work_harder"].value == 8.0 and not app.controls["permanent"].value
    app.apply({"pressure_drain": 1.25, "commitment_work_harder": 0.25})  # the documented values
    assert app.result["A"].regime == COMMAND and app.result["B"].regime == COMMITMENT


def test_apply_refuses_what_the_app_cannot_show(app):
    before = dict(app.result)
    for setting, message in (
        ({"speed": 2}, "the ScenarioComparer has no setting 'speed'"),
        ({"pressure_drain": 20}, "pressure_drain must be a number in [0, 10]"),
        ({"command_autonomy": 0.01}, "the autonomy slider goes from 0.05 to 1"),
    ):
        with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
            app.apply(setting)
    assert app.result == before
    one = ScenarioComparer(("command",), predict=False)
    with pytest.raises(ValueError, match="no scenario B"):
        one.apply({"commitment_work_harder": 4.0})
    view = one.assumptions
    view.show_counterexample("trap.commitment-never-trapped")
    assert "no scenario B" in view.status.value and view.result is None


def test_a_permanent_app_shows_a_temporary_claim():
    app = ScenarioComparer(surge_weeks=None, predict=False)
    app.apply({"pressure_drain": 0.0, "target_change": 0.2, "surge_weeks": 8})
    assert app.result["A"].surge_weeks == 8.0 and not app.controls["permanent"].value
    app.apply({})
    assert app.result["A"].surge_weeks is None and app.controls["permanent"].value
