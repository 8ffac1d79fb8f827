"""Tests for senge_course.models.dynamics: the stock-and-flow integrator."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course.models.dynamics import StockFlow, Trajectory, integrate
from senge_course.models.parameters import Parameter

POSITIVE = {"low": 0.0, "low_open": True}


def decay_model(max_step_fraction=0.25):
    return StockFlow(
        stocks=("S",),
        rates=lambda t, y, p: (-y[0] / p["tau"],),
        parameters={"tau": Parameter(2.0, **POSITIVE, unit="weeks")},
        time_constants=lambda p: {"tau": p["tau"]},
        max_step_fraction=max_step_fraction,
    )


def logistic_model():
    def rates(t, y, p):
        growth = p["r"] * y[0] * (1.0 - y[0] / p["K"])
        return (growth, growth, y[0] / p["K"])

    return StockFlow(
        stocks=("N",),
        rates=rates,
        parameters={"r": Parameter(0.5, **POSITIVE), "K": Parameter(100.0, **POSITIVE)},
        auxiliaries=("growth", "share"),
        time_constants=lambda p: {"growth_time": 1.0 / p["r"]},
    )


# --------------------------------------------------------------- known answers


@pytest.mark.parametrize("method", ["euler", "rk4"])
@pytest.mark.parametrize("tau", [0.5, 2.0, 10.0])
def test_exponential_decay_matches_exp(method, tau):
    run = integrate(
        decay_model(), [3.0], duration=3 * tau, dt=tau / 100, params={"tau": tau}, method=method
    )
    exact = 3.0 * np.exp(-run.time / tau)
    tolerance = 0.02 if method == "euler" else 1e-8
    assert run["S"] == pytest.approx(exact, rel=tolerance)


def test_euler_is_first_order_and_rk4_fourth_order():
    def error(method, dt):
        run = integrate(decay_model(), [1.0], duration=2.0, dt=dt, method=method)
        return abs(run["S"][-1] - math.exp(-1.0))

    assert error("euler", 0.05) / error("euler", 0.025) == pytest.approx(2.0, rel=0.05)
    assert error("rk4", 0.1) / error("rk4", 0.05) == pytest.approx(16.0, rel=0.1)


def test_euler_on_decay_is_the_geometric_sequence():
    # S_{n+1} = S_n (1 - dt/tau): Euler's exact answer, known in closed form
    run = integrate(decay_model(), [1.0], duration=4.0, dt=0.5)
    assert run["S"] == pytest.approx((1 - 0.5 / 2.0) ** np.arange(9))


def test_linear_growth_is_exact_for_any_step():
    model = StockFlow(("S",), lambda t, y, p: (2.0,))
    run = integrate(model, [1.0], duration=3.0, dt=0.75, start=10.0)
    assert run.time.tolist() == [10.0, 10.75, 11.5, 12.25, 13.0]
    assert run["S"] == pytest.approx([1.0, 2.5, 4.0, 5.5, 7.0])


def test_time_dependent_rates_see_the_time():
    model = StockFlow(("S",), lambda t, y, p: (1.0 if t >= 1.0 else 0.0,))
    run = integrate(model, [0.0], duration=2.0, dt=0.5)
    assert run["S"].tolist() == [0.0, 0.0, 0.0, 0.5, 1.0]


def test_auxiliaries_are_recorded_at_every_point():
    run = integrate(logistic_model(), {"N": 10.0}, duration=20.0, dt=0.1)
    assert run.names == ("N", "growth", "share")
    assert len(run["growth"]) == len(run.time) == 201
    assert run["share"] == pytest.approx(run["N"] / 100.0)
    assert run["growth"][0] == pytest.approx(0.5 * 10 * 0.9)
    assert run["N"][-1] == pytest.approx(100.0, rel=0.01)  # logistic growth saturates at K


def test_two_stocks_and_parameters_from_defaults_and_overrides():
    # predator-free exchange: A flows to B at rate k*A; the total is conserved
    model = StockFlow(
        ("A", "B"),
        lambda t, y, p: (-p["k"] * y[0], p["k"] * y[0]),
        {"k": Parameter(0.1, low=0.0)},
    )
    default = integrate(model, {"A": 1.0, "B": 0.0}, duration=10.0, dt=0.1)
    faster = integrate(model, {"B": 0.0, "A": 1.0}, duration=10.0, dt=0.1, params={"k": 0.3})
    assert default.params["k"] == 0.1 and faster.params["k"] == 0.3
    for run in (default, faster):
        assert run["A"] + run["B"] == pytest.approx(np.ones(101))
    assert faster["A"][-1] < default["A"][-1]


def test_prepare_turns_parameters_into_what_rates_reads():
    seen = []

    def prepare(p):
        return (1.0 / p["tau"],)

    def rates(t, y, q):
        seen.append(q)
        return (-y[0] * q[0],)

    model = StockFlow(("S",), rates, {"tau": Parameter(4.0, **POSITIVE)}, prepare=prepare)
    run = integrate(model, [1.0], duration=1.0, dt=0.5)
    assert set(seen) == {(0.25,)}
    assert run["S"].tolist() == [1.0, 0.875, 0.765625]


def test_trajectory_is_frozen_and_read_only():
    run = integrate(decay_model(), [1.0], duration=1.0, dt=0.25)
    assert isinstance(run, Trajectory)
    with pytest.raises(ValueError, match="read-only"):
        run["S"][0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        run.time[0] = 5.0
    with pytest.raises(TypeError):
        run.stocks["S"] = np.zeros(5)
    with pytest.raises(AttributeError):
        run.dt = 1.0


def test_trajectory_lookup_and_final_state():
    run = integrate(logistic_model(), [10.0], duration=1.0, dt=0.5)
    assert "N" in run and "growth" in run and "nothing" not in run
    assert set(run.final) == {"N"}
    with pytest.raises(KeyError, match="no stock or auxiliary named 'M'"):
        run["M"]
    again = integrate(logistic_model(), run.final, duration=1.0, dt=0.5)
    assert again["N"][0] == run["N"][-1]


def test_stockflow_names_and_defaults():
    model = logistic_model()
    assert model.names == ("N", "growth", "share")
    assert model.defaults() == {"r": 0.5, "K": 100.0}
    with pytest.raises(TypeError):
        model.parameters["r"] = Parameter(1.0)


@settings(max_examples=60, deadline=None)
@given(
    tau=st.floats(0.5, 50.0),
    fraction=st.floats(0.01, 1.0),
    method=st.sampled_from(["euler", "rk4"]),
)
def test_any_allowed_step_decays_monotonically_towards_zero(tau, fraction, method):
    dt = fraction * 0.25 * tau
    steps = 40
    run = integrate(
        decay_model(), [1.0], duration=steps * dt, dt=dt, params={"tau": tau}, method=method
    )
    assert np.all(np.diff(run["S"]) < 0)
    assert np.all(run["S"] > 0)
    assert run["S"][-1] == pytest.approx(math.exp(-steps * dt / tau), abs=0.05)


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"duration": 0.0, "dt": 0.1}, r"duration must be a number > 0, got duration=0"),
        ({"duration": -5.0, "dt": 0.1}, r"duration must be a number > 0, got duration=-5"),
        ({"duration": math.nan, "dt": 0.1}, r"duration must be a finite number"),
        ({"duration": math.inf, "dt": 0.1}, r"duration must be a finite number"),
        ({"duration": 1.0, "dt": 0.0}, r"dt must be a number > 0, got dt=0"),
        ({"duration": 1.0, "dt": -0.1}, r"dt must be a number > 0"),
        (
            {"duration": 1.0, "dt": 2.0},
            r"dt must be a number in \(0, duration\], got dt=2 with duration=1",
        ),
        ({"duration": 1.0, "dt": 0.3}, r"duration must be a whole number of steps of dt"),
        ({"duration": 1.0, "dt": 0.25, "start": math.nan}, r"start must be a finite number"),
        (
            {"duration": 1.0, "dt": 0.25, "method": "midpoint"},
            r"method must be one of 'euler', 'rk4'",
        ),
    ],
)
def test_bad_durations_and_steps_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        integrate(StockFlow(("S",), lambda t, y, p: (0.0,)), [1.0], **kwargs)


@pytest.mark.parametrize(
    ("tau", "dt", "allowed"),
    [(1.0, 0.5, "0.25"), (2.0, 1.0, "0.5"), (0.4, 0.2, "0.1")],
)
def test_a_step_too_large_for_stability_is_refused_with_the_allowed_maximum(tau, dt, allowed):
    message = (
        rf"dt={dt:g} is too large for a stable integration: dt must be at most 0.25 x the "
        rf"shortest time constant \(tau={tau:g}\), so dt <= {allowed}"
    )
    with pytest.raises(ValueError, match=message):
        integrate(decay_model(), [1.0], duration=10 * dt, dt=dt, params={"tau": tau})


def test_the_step_limit_follows_the_models_fraction():
    integrate(decay_model(max_step_fraction=1.0), [1.0], duration=2.0, dt=1.0, params={"tau": 1.0})
    with pytest.raises(ValueError, match=r"at most 1 x the shortest"):
        integrate(
            decay_model(max_step_fraction=1.0), [1.0], duration=3.0, dt=1.5, params={"tau": 1.0}
        )


def test_a_non_positive_time_constant_is_refused():
    model = StockFlow(("S",), lambda t, y, p: (0.0,), time_constants=lambda p: {"delay": 0.0})
    with pytest.raises(ValueError, match=r"time constant delay must be a number > 0, got delay=0"):
        integrate(model, [1.0], duration=1.0, dt=0.5)


@pytest.mark.parametrize(
    ("initial", "error", "match"),
    [
        ([math.nan], ValueError, r"initial S must be a finite number, got S=nan"),
        ([math.inf], ValueError, r"initial S must be a finite number, got S=inf"),
        (["1"], TypeError, r"initial S must be a number, got S='1'"),
        ([True], TypeError, r"initial S must be a number"),
        ([1.0, 2.0], ValueError, r"initial must give 1 values, one per stock \['S'\], got 2"),
        ({"T": 1.0}, ValueError, r"missing \['S'\] and unknown \['T'\]"),
    ],
)
def test_bad_initial_values_are_refused(initial, error, match):
    with pytest.raises(error, match=match):
        integrate(decay_model(), initial, duration=1.0, dt=0.25)


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"tau": math.nan}, ValueError, r"tau must be a finite number > 0, got tau=nan"),
        ({"tau": math.inf}, ValueError, r"tau must be a finite number > 0, got tau=inf"),
        ({"tau": -1.0}, ValueError, r"tau must be a number > 0, got tau=-1"),
        ({"tau": "2"}, TypeError, r"tau must be a number, got tau='2'"),
        ({"rate": 1.0}, TypeError, r"unknown parameter\(s\) rate; the parameters are tau"),
    ],
)
def test_bad_parameters_are_refused(params, error, match):
    with pytest.raises(error, match=match):
        integrate(decay_model(), [1.0], duration=1.0, dt=0.25, params=params)


def test_a_parameter_range_names_both_bounds():
    model = StockFlow(("S",), lambda t, y, p: (0.0,), {"share": Parameter(0.5, 0.0, 1.0)})
    with pytest.raises(ValueError, match=r"share must be a number in \[0, 1\], got share=1.5"):
        integrate(model, [0.0], duration=1.0, dt=0.5, params={"share": 1.5})


def test_rates_of_the_wrong_length_are_reported():
    model = StockFlow(("A", "B"), lambda t, y, p: (0.0,))
    with pytest.raises(ValueError, match=r"rates must return a tuple of 2 rates and 0 auxiliaries"):
        integrate(model, [0.0, 0.0], duration=1.0, dt=0.5)


@pytest.mark.parametrize(
    "rates",
    [
        lambda t, y, p: (y[0] ** 3,),  # blows up to inf, then overflows
        lambda t, y, p: (math.inf * 0.0,),  # nan
    ],
)
def test_a_diverging_run_is_reported(rates):
    with pytest.raises(ValueError, match=r"try a smaller dt"):
        integrate(StockFlow(("S",), rates), [10.0], duration=10.0, dt=0.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"stocks": ()}, ValueError, r"stocks must name at least one stock"),
        ({"stocks": ("S", "S")}, ValueError, r"names must be unique, got repeated \['S'\]"),
        ({"auxiliaries": ("S",)}, ValueError, r"names must be unique"),
        ({"stocks": ("",)}, ValueError, r"names must be non-empty strings"),
        ({"rates": 3}, TypeError, r"rates must be a function rates\(t, y, p\)"),
        ({"time_constants": 3}, TypeError, r"time_constants must be None or a function"),
        ({"prepare": "fast"}, TypeError, r"prepare must be None or a function"),
        ({"parameters": {"k": 1.0}}, TypeError, r"parameters must map names to Parameter objects"),
        ({"max_step_fraction": 0.0}, ValueError, r"max_step_fraction must be a number in \(0, 1\]"),
        ({"max_step_fraction": 2.0}, ValueError, r"max_step_fraction must be a number in \(0, 1\]"),
    ],
)
def test_bad_models_are_refused(kwargs, error, match):
    arguments = {"stocks": ("S",), "rates": lambda t, y, p: (0.0,), **kwargs}
    with pytest.raises(error, match=match):
        StockFlow(**arguments)


def test_a_parameter_default_out_of_range_is_refused():
    with pytest.raises(ValueError, match=r"default must be a number in \[0, 1\], got default=2"):
        Parameter(2.0, 0.0, 1.0)


def test_integrate_needs_a_stockflow():
    with pytest.raises(TypeError, match=r"model must be a StockFlow, got function"):
        integrate(lambda t, y, p: (0.0,), [1.0], duration=1.0, dt=0.5)
