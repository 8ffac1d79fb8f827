"""A small stock-and-flow integrator: named stocks, a rates function, fixed steps.

System dynamics models (Forrester, Sterman) describe an organisation as *stocks* (things that
accumulate: capability, trust, theory) changed by *flows* (rates per unit of time: improvement,
erosion, forgetting).  A model is a frozen :class:`StockFlow`; :func:`integrate` runs it with
Euler's method (or classical RK4) and returns every stock and every auxiliary variable the model
reports (performance, hours, ...) as a numpy array over time, in a frozen :class:`Trajectory`.
The loop runs over plain Python floats, so a few thousand steps of a small model take a few
milliseconds.

Examples
--------
Exponential decay, dS/dt = -S / tau, halves the stock every tau * ln 2 time units; after 3 time
constants about 5% (e^-3) is left, and Euler with a small step is close to the exact answer:

>>> import math
>>> decay = StockFlow(
...     stocks=("S",),
...     rates=lambda t, y, p: (-y[0] / p["tau"],),
...     parameters={"tau": Parameter(2.0, low=0.0, low_open=True, unit="weeks")},
...     time_constants=lambda p: {"tau": p["tau"]},
... )
>>> run = integrate(decay, {"S": 1.0}, duration=6.0, dt=0.01)
>>> round(float(run["S"][-1]), 3), round(math.exp(-3), 3)
(0.049, 0.05)
>>> run.time[:3]
array([0.  , 0.01, 0.02])
"""

import math
from dataclasses import dataclass, field
from itertools import chain, repeat
from numbers import Real
from operator import add, mul
from types import MappingProxyType

import numpy as np

from .._validate import check_number, check_one_of
from .parameters import Parameter

__all__ = ["StockFlow", "Trajectory", "integrate"]

METHODS = ("euler", "rk4")


@dataclass(frozen=True)
class StockFlow:
    """A stock-and-flow model: stock names, a rates function and its parameters.

    Parameters
    ----------
    stocks : tuple of str
        Stock names, in the order ``rates`` reads and returns them.
    rates : callable
        ``rates(t, y, p) -> tuple``: the rate of change of each stock (per unit of time), then the
        value of each auxiliary variable.  ``y`` is a tuple of floats in stock order; ``p`` a
        read-only mapping of floats (or what ``prepare`` returns).
    parameters : mapping of str to Parameter, optional
        Every parameter ``rates`` reads, with default and allowed range, checked before each run.
    auxiliaries : tuple of str, optional
        Names of the auxiliary variables ``rates`` returns after the rates.
    time_constants : callable, optional
        ``time_constants(p) -> {name: time}``: the model's characteristic times; a step larger
        than ``max_step_fraction`` (default 0.25) times the shortest is refused, because Euler's
        method is then inaccurate or unstable.
    prepare : callable, optional
        ``prepare(p) -> object``: computed once per run from the checked parameters (e.g. a
        tuple of precomputed floats); ``rates`` then receives its result instead of ``p``.
    description : str, optional
        What the model describes.

    Raises
    ------
    ValueError, TypeError
        If stock or auxiliary names are empty, repeated or shared, or a function is not callable.

    Examples
    --------
    Logistic growth has one stock and reports its growth rate as an auxiliary:

    >>> def logistic(t, y, p):
    ...     growth = p["r"] * y[0] * (1 - y[0] / p["K"])
    ...     return (growth, growth)
    >>> model = StockFlow(("N",), logistic, auxiliaries=("growth",),
    ...                   parameters={"r": Parameter(0.5), "K": Parameter(100.0)})
    >>> model.names
    ('N', 'growth')
    """

    stocks: tuple
    rates: object
    parameters: dict = field(default_factory=dict)
    auxiliaries: tuple = ()
    time_constants: object = None
    max_step_fraction: float = 0.25
    prepare: object = None
    description: str = ""

    def __post_init__(self):
        stocks, auxiliaries = tuple(self.stocks), tuple(self.auxiliaries)
        if not stocks:
            raise ValueError("stocks must name at least one stock, got stocks=()")
        names = stocks + auxiliaries
        for name in names:
            if not isinstance(name, str) or not name:
                raise ValueError(
                    f"stock and auxiliary names must be non-empty strings, got {name!r}"
                )
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"stock and auxiliary names must be unique, got repeated {repeated}")
        if not callable(self.rates):
            raise TypeError(f"rates must be a function rates(t, y, p), got {self.rates!r}")
        if self.prepare is not None and not callable(self.prepare):
            raise TypeError(f"prepare must be None or a function prepare(p), got {self.prepare!r}")
        if self.time_constants is not None and not callable(self.time_constants):
            raise TypeError(
                "time_constants must be None or a function time_constants(p) -> dict, "
                f"got {self.time_constants!r}"
            )
        for name, spec in dict(self.parameters).items():
            if not isinstance(spec, Parameter):
                raise TypeError(
                    f"parameters must map names to Parameter objects, got {name}={spec!r}"
                )
        check_number("max_step_fraction", self.max_step_fraction, low=0.0, high=1.0, low_open=True)
        object.__setattr__(self, "stocks", stocks)
        object.__setattr__(self, "auxiliaries", auxiliaries)
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    @property
    def names(self):
        """All recorded names: the stocks, then the auxiliaries."""
        return self.stocks + self.auxiliaries

    def defaults(self):
        """Return a dict of every parameter's default value.

        >>> StockFlow(("S",), lambda t, y, p: (0.0,), {"k": Parameter(1.5)}).defaults()
        {'k': 1.5}
        """
        return {name: float(spec.default) for name, spec in self.parameters.items()}


@dataclass(frozen=True, eq=False)
class Trajectory:
    """The result of :func:`integrate`: time and a read-only array per stock and auxiliary.

    Attributes
    ----------
    time : numpy.ndarray
        Times of the recorded points, ``start, start + dt, ..., start + duration``.
    stocks, auxiliaries : mapping of str to numpy.ndarray
        Each stock's and each auxiliary variable's value at each time.
    params : mapping of str to float
        The parameters of the run (defaults filled in).
    dt : float
        The time step.
    method : str
        ``"euler"`` or ``"rk4"``.

    Examples
    --------
    Index a trajectory by name; ``final`` gives the last state, ready to continue a run:

    >>> model = StockFlow(("S",), lambda t, y, p: (1.0,))
    >>> run = integrate(model, [0.0], duration=2.0, dt=0.5)
    >>> run["S"].tolist()
    [0.0, 0.5, 1.0, 1.5, 2.0]
    >>> run.final
    {'S': 2.0}
    """

    time: np.ndarray
    stocks: dict
    auxiliaries: dict
    params: dict
    dt: float
    method: str = "euler"

    def __getitem__(self, name):
        if name in self.stocks:
            return self.stocks[name]
        if name in self.auxiliaries:
            return self.auxiliaries[name]
        known = ", ".join(repr(n) for n in self.names)
        raise KeyError(f"no stock or auxiliary named {name!r}; the names are {known}")

    def __contains__(self, name):
        return name in self.stocks or name in self.auxiliaries

    @property
    def names(self):
        """All recorded names: the stocks, then the auxiliaries."""
        return tuple(self.stocks) + tuple(self.auxiliaries)

    @property
    def final(self):
        """The stocks' values at the last time, as a dict of floats."""
        return {name: float(values[-1]) for name, values in self.stocks.items()}


def integrate(model, initial, *, duration, dt, params=None, start=0.0, method="euler"):
    """Integrate a stock-and-flow model with a fixed time step; return a `Trajectory`.

    Parameters
    ----------
    model : StockFlow
        The model to run.
    initial : mapping or sequence of float
        Initial stock values, by name or in stock order.
    duration, dt : float
        Length of the run (> 0, a whole number of steps) and the time step, at most
        ``model.max_step_fraction`` times the model's shortest time constant.
    params : mapping of str to float, optional
        Parameter values; missing ones take their defaults.
    start : float, optional
        Time of the first point (default 0).
    method : {"euler", "rk4"}, optional
        Euler's method (default; what system dynamics tools use) or classical fourth-order
        Runge-Kutta (four rate evaluations per step, more accurate).

    Returns
    -------
    Trajectory
        ``duration / dt + 1`` points, including the start and the end.

    Raises
    ------
    ValueError, TypeError
        If an input is not a finite number in its range, ``params`` names an unknown parameter,
        ``dt`` is too large for a stable integration, or the run produces non-finite values.

    Examples
    --------
    With dt = tau = 1, Euler's method is too coarse for a decay with a time constant of 1, so the
    step is refused, with the largest one allowed:

    >>> decay = StockFlow(("S",), lambda t, y, p: (-y[0] / p["tau"],),
    ...                   {"tau": Parameter(1.0, low=0.0, low_open=True)},
    ...                   time_constants=lambda p: {"tau": p["tau"]})
    >>> integrate(decay, [1.0], duration=10, dt=1.0)
    Traceback (most recent call last):
    ...
    ValueError: dt=1 is too large for a stable integration: dt must be at most 0.25 x the \
shortest time constant (tau=1), so dt <= 0.25
    >>> run = integrate(decay, [1.0], duration=1, dt=0.25, method="rk4")
    >>> round(float(run["S"][-1]), 4)  # exp(-1) = 0.36788
    0.3679
    """
    if not isinstance(model, StockFlow):
        raise TypeError(f"model must be a StockFlow, got {type(model).__name__}")
    method = check_one_of("method", method, METHODS)
    duration = check_number("duration", duration, low=0.0, low_open=True)
    dt = check_number("dt", dt, low=0.0, low_open=True)
    start = check_number("start", start)
    if dt > duration:
        raise ValueError(
            f"dt must be a number in (0, duration], got dt={dt:g} with duration={duration:g}"
        )
    steps = round(duration / dt)
    if abs(steps * dt - duration) > 1e-9 * duration:
        raise ValueError(
            f"duration must be a whole number of steps of dt, got duration={duration:g} and "
            f"dt={dt:g} ({duration / dt:g} steps); try dt={duration / max(steps, 1):g}"
        )
    p = _checked_params(model, params)
    y0 = _checked_initial(model, initial)
    _check_step(model, p, dt)

    q = p if model.prepare is None else model.prepare(p)
    ns, na = len(model.stocks), len(model.auxiliaries)
    first = model.rates(start, y0, q)
    if not isinstance(first, tuple | list) or len(first) != ns + na:
        got = len(first) if isinstance(first, tuple | list) else repr(first)
        raise ValueError(
            f"rates must return a tuple of {ns} rates and {na} auxiliaries ({ns + na} numbers), "
            f"got {got}"
        )
    try:
        states, outputs = _run(model.rates, y0, start, dt, steps, q, rk4=method == "rk4")
        states, outputs = _to_array(states, ns), _to_array(outputs, ns + na)
    except (OverflowError, ZeroDivisionError) as error:
        raise ValueError(
            f"the run diverged ({error}); try a smaller dt than dt={dt:g} or check the parameters"
        ) from error
    if not (np.isfinite(states).all() and np.isfinite(outputs).all()):
        bad = int(np.argmin(np.isfinite(np.hstack([states, outputs])).all(axis=1)))
        raise ValueError(
            f"the run produced a non-finite value at t={start + bad * dt:g}; "
            f"try a smaller dt than dt={dt:g} or check the parameters"
        )
    stocks = {name: _frozen(states[:, i]) for i, name in enumerate(model.stocks)}
    aux = {name: _frozen(outputs[:, ns + i]) for i, name in enumerate(model.auxiliaries)}
    return Trajectory(
        time=_frozen(start + dt * np.arange(steps + 1)),
        stocks=MappingProxyType(stocks),
        auxiliaries=MappingProxyType(aux),
        params=p,
        dt=dt,
        method=method,
    )


def _run(rates, y, t0, dt, steps, p, *, rk4):
    """Fixed steps over plain floats: the states and, at each step's start, rates + auxiliaries.

    ``map(add, y, map(mul, repeat(h), k))`` is ``y + h * k`` stock by stock (the fastest way in
    plain Python); it stops with the stocks, before the auxiliaries.
    """
    states, outputs = [], []
    half, sixth = 0.5 * dt, dt / 6.0
    for i in range(steps):
        t = t0 + i * dt
        k1 = rates(t, y, p)
        states.append(y)
        outputs.append(k1)
        if not rk4:
            y = tuple(map(add, y, map(mul, repeat(dt), k1)))
            continue
        k2 = rates(t + half, tuple(map(add, y, map(mul, repeat(half), k1))), p)
        k3 = rates(t + half, tuple(map(add, y, map(mul, repeat(half), k2))), p)
        k4 = rates(t + dt, tuple(map(add, y, map(mul, repeat(dt), k3))), p)
        steps4 = zip(y, k1, k2, k3, k4, strict=False)
        y = tuple([a + sixth * (b1 + 2.0 * b2 + 2.0 * b3 + b4) for a, b1, b2, b3, b4 in steps4])
    states.append(y)
    outputs.append(rates(t0 + steps * dt, y, p))
    return states, outputs


def _checked_params(model, params):
    """Fill in defaults, refuse unknown names and check each value against its range."""
    values = model.defaults()
    given = {} if params is None else dict(params)
    unknown = sorted(set(given) - set(values))
    if unknown:
        known = ", ".join(sorted(values)) or "none"
        raise TypeError(f"unknown parameter(s) {', '.join(unknown)}; the parameters are {known}")
    for name, value in given.items():
        values[name] = model.parameters[name].check(name, value)
    return MappingProxyType(values)


def _checked_initial(model, initial):
    """Return the initial stocks as a tuple of finite floats in stock order."""
    names = model.stocks
    if hasattr(initial, "keys"):
        missing = [n for n in names if n not in initial]
        extra = sorted(set(initial) - set(names))
        if missing or extra:
            raise ValueError(
                f"initial must give a value for each stock {list(names)}, "
                f"got missing {missing} and unknown {extra}"
            )
        values = [initial[n] for n in names]
    else:
        values = list(np.ravel(initial)) if isinstance(initial, np.ndarray) else list(initial)
        if len(values) != len(names):
            raise ValueError(
                f"initial must give {len(names)} values, one per stock {list(names)}, "
                f"got {len(values)}"
            )
    for name, value in zip(names, values, strict=True):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"initial {name} must be a number, got {name}={value!r}")
        if not math.isfinite(float(value)):
            raise ValueError(f"initial {name} must be a finite number, got {name}={value!r}")
    return tuple(float(value) for value in values)


def _check_step(model, p, dt):
    """Refuse a step larger than max_step_fraction x the shortest time constant."""
    constants = dict(model.time_constants(p)) if model.time_constants else {}
    for name, tau in constants.items():
        if not (isinstance(tau, Real) and math.isfinite(tau) and tau > 0):
            raise ValueError(f"time constant {name} must be a number > 0, got {name}={tau!r}")
    if not constants:
        return
    name, tau = min(constants.items(), key=lambda item: item[1])
    limit = model.max_step_fraction * tau
    if dt > limit * (1 + 1e-12):
        raise ValueError(
            f"dt={dt:g} is too large for a stable integration: dt must be at most "
            f"{model.max_step_fraction:g} x the shortest time constant ({name}={tau:g}), "
            f"so dt <= {limit:g}"
        )


def _to_array(rows, width):
    """Stack equal-length tuples of floats into a 2-D array (faster than np.array on tuples)."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=float, count=len(rows) * width)
    return flat.reshape(len(rows), width)


def _frozen(array):
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array
