"""The capability trap: why working harder under command erodes the capability it needs.

Repenning and Sterman (2001, "Nobody ever gets credit for fixing problems that never happened",
California Management Review 43(4); 2002, "Capability traps and self-confirming attribution
errors", Administrative Science Quarterly 47:265) found that organisations under pressure to
perform take time from improvement to put into production.  Performance rises at once, but the
process erodes, so performance later falls, which raises the pressure: a reinforcing loop that can
lock an organisation into permanent firefighting, with "conflict, mistrust, and control
structures" (Repenning & Sterman 2002).  This module is a small system dynamics model of that
trap, in weeks; its inputs, a `Regime` and the shock to the target, are described in
:mod:`senge_course.models.regime`.

The stocks are ``capability`` (output per working hour, scaled so that the normal improvement
share, done with full trust, sustains capability 1), ``pipeline`` (improvement in progress, in
capability units: a first-order delay, which is what makes "work smarter" slow), ``pressure`` (the
perceived gap ``1 - performance / target``: 0.1 = performing 10% below target) and ``trust``
(commitment and psychological safety, 0 to 1: autonomy rebuilds it; control drains it, a little
all the time and much more under pressure above ``pressure_tolerance``).

Equations (``P+ = max(pressure, 0)``, ``H`` = 40 normal hours a week)
----------------------------------------------------------------------
* work harder: extra hours demanded ``E = work_harder * P+ * H``, met first by overtime (up to
  ``overtime_cap * H``), then by taking hours from improvement;
* work smarter: ``work_smarter * P+ * H`` extra hours move into improvement;
* hours improving ``= improvement_share * H + work_smarter * P+ * H - (E - overtime)`` (within 0
  and H); hours working ``= H - hours improving + overtime``;
* performance ``= capability * hours working`` (units a week);
* effective improvement ``= hours improving * effectiveness(trust)``, where ``effectiveness =
  T^4 (1 + θ^4) / (T^4 + θ^4)`` with ``θ = trust_threshold``: near 1 while trust is well above
  θ, collapsing below it (compliance delivers hours, not learning);
* d pipeline/dt = productivity * effective improvement - pipeline / improvement_delay, with
  ``productivity = (1 - basic_capability) / (erosion_time * improvement_share * H)``;
* d capability/dt = pipeline / improvement_delay - (capability - basic_capability) / erosion_time;
* d pressure/dt = (1 - performance / target - pressure) / pressure_time;
* d trust/dt = autonomy * (1 - trust) / trust_build_time
  - control * (control_drain + pressure_drain * D(P+)) * trust / trust_loss_time, with
  ``D(P) = P^6 / (P^6 + pressure_tolerance^6)`` (0 for tolerable pressure, 1 for heavy).

Every regime starts at its own equilibrium (pressure 0, performance on target; :func:`equilibrium`);
the target is that starting performance, and ``target_change`` raises it for a while or for good.
Two reinforcing loops make the command regime bistable (:func:`steady_states`): taking hours from
improvement erodes capability, which widens the gap; and heavy pressure under tight control drains
the trust that makes improvement effective.  Overtime absorbs a small surge, so nothing else moves;
a larger one forces hours out of improvement and drains trust, and the regime falls into a trap
where nobody improves, everyone works the maximum overtime and trust is gone.  The parameter values
are illustrative, not estimated from data: they are calibrated so that these behaviours hold with a
margin (``tests/test_capability.py`` checks them, for several step sizes and both integration
methods).

Examples
--------
A 20% target surge lasting 8 weeks tips the command regime into the trap (still there at week
300); the commitment regime absorbs it:

>>> simulate(COMMAND, target_change=0.2, surge_weeks=8).tipped
True
>>> simulate(COMMITMENT, target_change=0.2, surge_weeks=8).recovered
True
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import brentq

from .._validate import check_number
from .dynamics import StockFlow, integrate
from .regime import (
    COMMAND,
    COMMITMENT,
    POLICY_LEVERS,
    PRESETS,
    REGIME_PARAMETERS,
    SHOCK_PARAMETERS,
    Regime,
    as_regime,
    preset_name,
)

__all__ = [
    "COMMAND",
    "COMMITMENT",
    "HOURS_PER_WEEK",
    "MODEL",
    "POLICY_LEVERS",
    "PRESETS",
    "REGIME_PARAMETERS",
    "SHOCK_PARAMETERS",
    "TRUST_OUTCOMES",
    "CapabilityRun",
    "Equilibrium",
    "Regime",
    "as_regime",
    "check_runs",
    "describe_run",
    "describe_runs",
    "describe_shock",
    "equilibrium",
    "performance_path",
    "preset_name",
    "simulate",
    "smallest_tipping_surge",
    "steady_states",
    "trust_outcome",
]

#: Normal working week, in hours.
HOURS_PER_WEEK = 40.0
#: Steepness (Hill exponent) of improvement effectiveness in trust.
TRUST_STEEPNESS = 4
#: Steepness (Hill exponent) of pressure's drain on trust.
PRESSURE_STEEPNESS = 6


@dataclass(frozen=True)
class Equilibrium:
    """A steady state of the model: every stock constant, for a constant target.

    Attributes
    ----------
    capability, pipeline, pressure, trust : float
        The stocks.
    performance, target : float
        Output per week and the target it is measured against.
    hours_working, hours_improving : float
        Hours a week, working (including overtime) and improving.
    effectiveness : float
        Share of improvement hours that turn into learning (from trust).
    stable : bool
        Whether small disturbances die out (every eigenvalue of the model's Jacobian has a
        negative real part).
    """

    capability: float
    pipeline: float
    pressure: float
    trust: float
    performance: float
    target: float
    hours_working: float
    hours_improving: float
    effectiveness: float
    stable: bool

    @property
    def summary(self):
        """The steady state in one sentence, for captions and alt text.

        >>> print(equilibrium(COMMITMENT).summary)
        A stable steady state: trust 0.99, capability 1.00 output per hour, pressure 0.00; \
performance 1.00 of the target, with 32.0 hours a week working and 8.0 improving.
        """
        kind = "stable" if self.stable else "unstable"
        return (
            f"A {kind} steady state: trust {self.trust:.2f}, capability {self.capability:.2f} "
            f"output per hour, pressure {self.pressure:.2f}; performance "
            f"{self.performance / self.target:.2f} of the target, with {self.hours_working:.1f} "
            f"hours a week working and {self.hours_improving:.1f} improving."
        )


@dataclass(frozen=True, eq=False)
class CapabilityRun:
    """One run of the capability-trap model (see :func:`simulate`).

    Attributes
    ----------
    regime : Regime
        The regime simulated.
    target_change, surge_start, surge_weeks, weeks, dt : float or None
        The run's inputs (``surge_weeks=None``: a permanent change).
    start : Equilibrium
        The regime's starting equilibrium.
    week : numpy.ndarray
        The time axis in weeks, ``0, dt, ..., weeks``.
    capability, pipeline, pressure, trust : numpy.ndarray
        The stocks over time.
    performance, target, hours_working, hours_improving, effectiveness : numpy.ndarray
        Output per week, the target, hours a week working (with overtime) and improving, and the
        effectiveness of improvement hours.
    """

    regime: Regime
    target_change: float
    surge_start: float
    surge_weeks: float | None
    weeks: float
    dt: float
    start: Equilibrium
    week: np.ndarray
    capability: np.ndarray
    pipeline: np.ndarray
    pressure: np.ndarray
    trust: np.ndarray
    performance: np.ndarray
    target: np.ndarray
    hours_working: np.ndarray
    hours_improving: np.ndarray
    effectiveness: np.ndarray

    @property
    def tipped(self):
        """True if the run ends in the trap: low capability and low trust.

        At the last week, capability has lost more than half the way from its start to
        `basic_capability`, and trust is below half its start.
        """
        floor = self.regime.basic_capability
        low_capability = self.capability[-1] - floor < 0.5 * (self.start.capability - floor)
        return bool(low_capability and self.trust[-1] < 0.5 * self.start.trust)

    @property
    def summary(self):
        """What happened in the run, in one or two sentences (`describe_runs`).

        >>> print(simulate(COMMAND).summary)
        With no change in the target: command stays where it started: trust 0.76, capability 0.98.
        """
        name = preset_name(self.regime)
        return describe_runs({"the custom regime" if name == "custom" else name: self})

    @property
    def recovered(self):
        """True if capability and trust end within 2% of their starting values."""
        return bool(
            abs(self.capability[-1] / self.start.capability - 1) < 0.02
            and abs(self.trust[-1] / self.start.trust - 1) < 0.02
        )

    def relative(self, name):
        """Return a series divided by its starting value (1 = where the regime started).

        Pressure starts at 0 and has no relative value; every other series does.

        >>> run = simulate(COMMITMENT, target_change=0.2)
        >>> float(run.relative("performance")[0])
        1.0
        """
        if name not in MODEL.names:
            allowed = ", ".join(repr(n) for n in MODEL.names)
            raise ValueError(f"name must be one of {allowed}, got name={name!r}")
        values = getattr(self, name)
        if values[0] == 0.0:
            raise ValueError(f"{name} starts at 0, so it has no value relative to its start")
        return values / values[0]


def equilibrium(regime):
    """Return the regime's starting steady state (an `Equilibrium`): on target, no pressure.

    With pressure 0 nobody works overtime or shifts hours, so trust settles where autonomy's
    rebuilding balances control's standing drain, ``trust = a / (a + c)`` with ``a = autonomy /
    trust_build_time`` and ``c = control * control_drain / trust_loss_time``; capability settles
    at ``basic_capability + (1 - basic_capability) * effectiveness(trust)``; and the target is
    defined as the performance this gives.

    Examples
    --------
    Command's standing control costs some trust (0.76) but, with trust still well above the
    threshold, only 2% of capability; commitment keeps nearly full trust:

    >>> eq = equilibrium(COMMAND)
    >>> round(eq.trust, 3), round(eq.capability, 3), eq.stable
    (0.758, 0.98, True)
    >>> round(equilibrium(COMMITMENT).trust, 3)
    0.991
    """
    _check_regime(regime)
    q = _prepare_regime(regime)
    return _equilibrium_at(q, (q["capability0"], q["pipeline0"], 0.0, q["trust0"]), q["target0"])


def steady_states(regime, *, target_change=0.0):
    """Return every steady state (`Equilibrium`) for a constant target, by decreasing performance.

    The command regime has two stable states, on target and in the trap, with an unstable one
    between them: a disturbance that pushes it past the unstable state tips it.  Steady states are
    found on the curve where the pressure a state produces equals the pressure that sustains it,
    then checked for stability with the model's Jacobian.  `target_change` (in `SHOCK_PARAMETERS`)
    changes the target for good.

    Examples
    --------
    Command is bistable: a high state, a tipping point, and the trap, where nobody improves,
    everyone works the maximum overtime and trust is gone:

    >>> states = steady_states(COMMAND)
    >>> [s.stable for s in states]
    [True, False, True]
    >>> trap = states[-1]
    >>> trap.hours_improving, round(trap.capability, 2), round(trap.trust, 2)
    (0.0, 0.3, 0.05)

    Commitment has a single steady state for the same target:

    >>> len(steady_states(COMMITMENT))
    1
    """
    _check_regime(regime)
    change = SHOCK_PARAMETERS["target_change"].check("target_change", target_change)
    q = _prepare_regime(regime)
    target = q["target0"] * (1.0 + change)
    gap = lambda p: _sustained_gap(q, p, target) - p  # noqa: E731
    grid = np.linspace(0.0, 1.0, 2001)
    mismatch = np.array([gap(p) for p in grid])
    mismatch[np.abs(mismatch) < 1e-12] = 0.0
    baseline_gap = 1.0 - q["target0"] / target  # the gap when nobody responds to pressure
    roots = [baseline_gap] if baseline_gap <= 0.0 else []  # on or above target: nobody responds
    for i in np.flatnonzero((mismatch[1:] == 0.0) | (mismatch[:-1] * mismatch[1:] < 0.0)):
        a, b = grid[i], grid[i + 1]
        roots.append(float(b) if mismatch[i + 1] == 0.0 else brentq(gap, a, b, xtol=1e-12))
    states = [_equilibrium_at(q, _state_for_pressure(q, p), target) for p in roots]
    return tuple(sorted(states, key=lambda s: -s.performance))


def simulate(
    regime,
    *,
    weeks=300,
    dt=0.25,
    target_change=0.0,
    surge_start=20.0,
    surge_weeks=None,
    method="euler",
):
    """Simulate a regime from its equilibrium, with an optional change in the target.

    Parameters
    ----------
    regime : Regime
        For example `COMMAND`, `COMMITMENT` or ``COMMAND.replace(control=0.3)``.
    weeks : float, optional
        Length of the run (> 0, a whole number of steps; default 300).
    dt : float, optional
        Time step in weeks (default 0.25); at most a quarter of the regime's shortest time
        constant.
    target_change, surge_start, surge_weeks : optional
        The shock, as in `SHOCK_PARAMETERS`; `surge_start` must fall within the run if the target
        changes, and ``surge_weeks=None`` (the default) makes the change permanent.
    method : {"euler", "rk4"}, optional
        Integration method (default Euler, as in system dynamics tools).

    Returns
    -------
    CapabilityRun

    Raises
    ------
    ValueError
        If an input is not finite or out of range, or `dt` is too large.

    Examples
    --------
    Better before worse: raising command's target 20% for good first lifts performance
    (overtime, less improvement), then capability erodes and performance ends far below where it
    started:

    >>> run = simulate(COMMAND, target_change=0.2)
    >>> rel = run.relative("performance")
    >>> round(float(rel.max()), 2), round(float(rel[-1]), 2)
    (1.16, 0.43)

    Worse before better: commitment first dips (hours move into improvement), then ends above its
    start:

    >>> rel = simulate(COMMITMENT, target_change=0.2).relative("performance")
    >>> round(float(rel.min()), 3), round(float(rel[-1]), 2)
    (0.955, 1.08)
    """
    _check_regime(regime)
    weeks = check_number("weeks", weeks, low=0.0, low_open=True)
    dt = check_number("dt", dt, low=0.0, high=weeks, low_open=True)
    if abs(round(weeks / dt) * dt - weeks) > 1e-9 * weeks:
        raise ValueError(
            f"weeks must be a whole number of steps of dt, got weeks={weeks:g} and dt={dt:g}"
        )
    change = SHOCK_PARAMETERS["target_change"].check("target_change", target_change)
    # a change must start within the run; without one, the start does not matter
    surge_start = check_number("surge_start", surge_start, low=0.0, high=weeks if change else None)
    if surge_weeks is not None:
        surge_weeks = SHOCK_PARAMETERS["surge_weeks"].check("surge_weeks", surge_weeks)
    start = equilibrium(regime)
    shock = {"target_change": change, "surge_start": surge_start, "surge_weeks": surge_weeks}
    lasts = weeks + 1.0 if surge_weeks is None else surge_weeks  # None: for good
    params = asdict(regime) | shock | {"surge_weeks": lasts}
    initial = (start.capability, start.pipeline, start.pressure, start.trust)
    run = integrate(MODEL, initial, duration=weeks, dt=dt, params=params, method=method)
    series = {name: run[name] for name in MODEL.names}
    return CapabilityRun(
        regime, **shock, weeks=weeks, dt=run.dt, start=start, week=run.time, **series
    )


def smallest_tipping_surge(regime, *, surge_weeks=8.0, high=1.0, tolerance=0.001, **run):
    """Return the smallest target surge that tips the regime into the trap, by bisection.

    The surge lasts `surge_weeks` (default 8; None: for good).  Surges up to `high` (in (0, 2];
    default 1, a doubling of the target) are tried, to within `tolerance` (default 0.001);
    ``surge_start``, ``weeks``, ``dt`` and ``method`` in `run` are passed to :func:`simulate`.
    The result is ``math.inf`` if even a surge of `high` does not tip the regime.

    Examples
    --------
    Command tips between a 14% and a 15% surge of 8 weeks; commitment does not tip even when the
    target doubles for 8 weeks:

    >>> round(smallest_tipping_surge(COMMAND), 2)
    0.15
    >>> smallest_tipping_surge(COMMITMENT)
    inf
    """
    _check_regime(regime)
    high = check_number("high", high, low=0.0, high=2.0, low_open=True)
    tolerance = check_number("tolerance", tolerance, low=0.0, high=high, low_open=True)

    def tips(change):
        return simulate(regime, target_change=change, surge_weeks=surge_weeks, **run).tipped

    if not tips(high):
        return math.inf
    low = 0.0
    while high - low > tolerance:
        middle = 0.5 * (low + high)
        low, high = (low, middle) if tips(middle) else (middle, high)
    return high


# --------------------------------------------------------------------------- model


def _rates(t, y, q):
    """Rates of change of (capability, pipeline, pressure, trust), then the auxiliaries."""
    (hours, normal_improving, harder, smarter, overtime_max, productivity, floor, per_delay,
     per_erosion, per_pressure_time, tolerance6, heavy_drain, standing_drain, rebuild, loss,
     threshold4, full_trust, target0, surged_target, surge_start, surge_end) = q  # fmt: skip
    capability, pipeline, pressure, trust = y
    felt = pressure if pressure > 0.0 else 0.0
    demand = harder * felt * hours
    overtime = demand if demand < overtime_max else overtime_max
    improving = normal_improving + smarter * felt * hours - (demand - overtime)
    if improving < 0.0:
        improving = 0.0
    elif improving > hours:
        improving = hours
    working = hours - improving + overtime
    performance = capability * working
    target = surged_target if surge_start <= t < surge_end else target0
    t4 = trust * trust if trust > 0.0 else 0.0
    t4 *= t4
    effectiveness = full_trust * t4 / (t4 + threshold4)
    p6 = felt * felt * felt
    p6 *= p6
    drain = standing_drain + heavy_drain * p6 / (p6 + tolerance6)
    return (
        pipeline * per_delay - (capability - floor) * per_erosion,
        productivity * improving * effectiveness - pipeline * per_delay,
        (1.0 - performance / target - pressure) * per_pressure_time,
        rebuild * (1.0 - trust) - loss * drain * trust,
        performance,
        target,
        working,
        improving,
        effectiveness,
    )


def _prepare(p):
    """Precompute the floats `_rates` reads, once per run (see StockFlow.prepare)."""
    q = _prepare_regime(p)
    start, end = p["surge_start"], p["surge_start"] + p["surge_weeks"]
    return q["constants"] + (q["target0"], q["target0"] * (1.0 + p["target_change"]), start, end)


def _prepare_regime(p):
    """Derived constants and the closed-form starting equilibrium of a regime."""
    p = asdict(p) if isinstance(p, Regime) else p
    hours = HOURS_PER_WEEK
    normal_improving = p["improvement_share"] * hours
    floor = p["basic_capability"]
    theta4 = p["trust_threshold"] ** TRUST_STEEPNESS
    # productivity: the normal share, done with full trust, sustains capability 1
    productivity = (1.0 - floor) / (p["erosion_time"] * normal_improving)
    rebuild = p["autonomy"] / p["trust_build_time"]
    loss = p["control"] / p["trust_loss_time"]
    trust0 = rebuild / (rebuild + loss * p["control_drain"])
    effectiveness0 = _effectiveness(trust0, theta4)
    capability0 = floor + (1.0 - floor) * effectiveness0
    constants = (hours, normal_improving, p["work_harder"], p["work_smarter"])
    constants += (p["overtime_cap"] * hours, productivity, floor, 1.0 / p["improvement_delay"])
    constants += (1.0 / p["erosion_time"], 1.0 / p["pressure_time"])
    constants += (p["pressure_tolerance"] ** PRESSURE_STEEPNESS, p["pressure_drain"])
    # the last, 1 + theta4, scales effectiveness to 1 at full trust
    constants += (p["control_drain"], rebuild, loss, theta4, 1.0 + theta4)
    return {
        "constants": constants,
        # the target is the starting performance, computed the way _rates computes it
        "target0": capability0 * (hours - normal_improving),
        "capability0": capability0,
        "pipeline0": p["improvement_delay"] * productivity * normal_improving * effectiveness0,
        "trust0": trust0,
    }


def _time_constants(p):
    """The model's time constants (weeks); the fastest trust adjustment is at full drain."""
    rebuild = p["autonomy"] / p["trust_build_time"]
    loss = p["control"] / p["trust_loss_time"] * (p["control_drain"] + p["pressure_drain"])
    times = {name: p[name] for name in ("pressure_time", "improvement_delay", "erosion_time")}
    return times | {"trust_adjustment_time": 1.0 / (rebuild + loss)}


#: The capability-trap model as a :class:`~senge_course.models.dynamics.StockFlow`.
MODEL = StockFlow(
    stocks=("capability", "pipeline", "pressure", "trust"),
    rates=_rates,
    parameters={**REGIME_PARAMETERS, **SHOCK_PARAMETERS},
    auxiliaries=("performance", "target", "hours_working", "hours_improving", "effectiveness"),
    time_constants=_time_constants,
    prepare=_prepare,
    description="The capability trap (Repenning & Sterman 2001, 2002), in weeks.",
)


def _check_regime(regime):
    if not isinstance(regime, Regime):
        raise TypeError(
            "regime must be a Regime such as COMMAND, COMMITMENT or "
            f"COMMAND.replace(control=0.3), got {type(regime).__name__}"
        )


def _effectiveness(trust, theta4):
    t4 = max(trust, 0.0) ** TRUST_STEEPNESS
    return (1.0 + theta4) * t4 / (t4 + theta4)


def _sustained_gap(q, pressure, target):
    """Gap produced at steady state if the perceived pressure stayed at `pressure`."""
    out = _rates(0.0, _state_for_pressure(q, pressure), q["constants"] + (target, target, 0, 0))
    return 1.0 - out[4] / target


def _state_for_pressure(q, pressure):
    """Stocks at rest for a constant pressure: trust, then pipeline and capability."""
    (hours, normal, harder, smarter, overtime_max, productivity, floor, per_delay, per_erosion,
     _, tolerance6, heavy, standing, rebuild, loss, theta4, _) = q["constants"]  # fmt: skip
    felt = max(pressure, 0.0)
    p6 = felt**PRESSURE_STEEPNESS
    trust = rebuild / (rebuild + loss * (standing + heavy * p6 / (p6 + tolerance6)))
    demand = harder * felt * hours
    overtime = min(demand, overtime_max)
    improving = min(max(normal + smarter * felt * hours - (demand - overtime), 0.0), hours)
    inflow = productivity * improving * _effectiveness(trust, theta4)
    return (floor + inflow / per_erosion, inflow / per_delay, float(pressure), trust)


def _equilibrium_at(q, state, target):
    """The `Equilibrium` at `state`, its stability from a finite-difference Jacobian."""
    constants = q["constants"] + (target, target, 0.0, 0.0)
    out = _rates(0.0, state, constants)
    jacobian = np.empty((4, 4))
    for j in range(4):
        step = 1e-7 * max(1.0, abs(state[j]))
        moved = list(state)
        moved[j] += step
        jacobian[:, j] = (np.array(_rates(0.0, tuple(moved), constants)[:4]) - out[:4]) / step
    values = (*state, out[4], target, *out[6:9])  # the stocks, then the fields in their order
    return Equilibrium(*map(float, values), bool(np.all(np.linalg.eigvals(jacobian).real < 0.0)))


# --------------------------------------------------------------------------- in words

#: What can happen to trust after a shock, as `trust_outcome` names it.
TRUST_OUTCOMES = (
    "stays about the same",
    "dips, then recovers",
    "ends lower",
    "falls into the trap",
)


def trust_outcome(run):
    """Return what happened to trust in a `CapabilityRun`, as one of `TRUST_OUTCOMES`.

    ``"falls into the trap"`` if the run tipped (`CapabilityRun.tipped`); ``"dips, then
    recovers"`` if trust ends within 2% of its start after falling more than 5% below it;
    ``"stays about the same"`` if it ends within 2% and never fell more than 5%; ``"ends lower"``
    otherwise.

    Examples
    --------
    Under a permanent 20% rise, commitment never closes the gap: the lasting pressure costs it
    some trust, but it stays out of the trap:

    >>> trust_outcome(simulate(COMMITMENT, target_change=0.2))
    'ends lower'
    """
    _check_run(run)
    start, end, low = float(run.trust[0]), float(run.trust[-1]), float(run.trust.min())
    if run.tipped:
        return "falls into the trap"
    if abs(end / start - 1.0) < 0.02:
        return "dips, then recovers" if low < 0.95 * start else "stays about the same"
    return "ends lower"


def performance_path(run):
    """Return how performance moved after the shock in a `CapabilityRun`: shape and turning points.

    Returns
    -------
    dict
        ``shape``: ``"better before worse"`` (performance first rises above its start, then
        falls), ``"worse before better"`` (first dips, then rises), or ``"steady"``; ``peak`` and
        ``peak_week``, ``low`` and ``low_week`` (the highest and lowest performance relative to
        the start, from the week the target changes on); ``end`` (relative, at the last week).

    Examples
    --------
    Raising command's target for good: better before worse.

    >>> path = performance_path(simulate(COMMAND, target_change=0.2))
    >>> path["shape"], round(path["peak"], 2), path["peak_week"], round(path["end"], 2)
    ('better before worse', 1.16, 24.25, 0.43)
    """
    _check_run(run)
    relative = run.performance / run.performance[0]
    after = run.week >= (run.surge_start if run.target_change else 0.0)
    times, values = run.week[after], relative[after]
    i_peak, i_low = int(np.argmax(values)), int(np.argmin(values))
    peak, low, end = float(values[i_peak]), float(values[i_low]), float(relative[-1])
    if peak > 1.01 and i_peak < i_low and end < peak - 0.02:
        shape = "better before worse"
    elif low < 0.99 and i_low < i_peak and peak > low + 0.02:
        shape = "worse before better"
    else:
        shape = "steady"
    peak_week, low_week = float(times[i_peak]), float(times[i_low])
    return dict(shape=shape, peak=peak, peak_week=peak_week, low=low, low_week=low_week, end=end)


def describe_shock(run):
    """Return the shock to the target in a `CapabilityRun`, in words (no final full stop).

    Examples
    --------
    >>> describe_shock(simulate(COMMAND, target_change=0.2, surge_weeks=8))
    'a 20% surge in the target for 8 weeks from week 20'
    >>> describe_shock(simulate(COMMAND, target_change=0.2))
    'a permanent 20% rise in the target from week 20'
    >>> describe_shock(simulate(COMMAND))
    'no change in the target'
    """
    _check_run(run)
    change = run.target_change
    if change == 0:
        return "no change in the target"
    size = f"{abs(change) * 100:.3g}%"
    article = "an" if size.startswith(("8", "11", "18")) and not size.startswith("1.") else "a"
    if run.surge_weeks is None:
        kind = "rise in" if change > 0 else "cut in"
        return f"a permanent {size} {kind} the target from week {run.surge_start:g}"
    kind = "surge in" if change > 0 else "cut in"
    lasting = f"for {run.surge_weeks:g} weeks from week {run.surge_start:g}"
    return f"{article} {size} {kind} the target {lasting}"


def describe_run(name, run):
    """Return one sentence saying what happened to scenario `name` (a `CapabilityRun`).

    Examples
    --------
    Commitment recovers from an 8-week 20% surge, after a worse-before-better dip:

    >>> print(describe_run("commitment", simulate(COMMITMENT, target_change=0.2, surge_weeks=8)))
    commitment recovers: trust dips to 0.77 (week 35) and returns to 0.99; performance first \
dips to 0.96x its start (week 28), then rises to 1.04x and ends at 1.00x.
    """
    _check_run(run)
    trust, capability = run.trust, run.capability
    t0, t_end, c0, c_end = trust[0], trust[-1], capability[0], capability[-1]
    if run.target_change == 0:
        return f"{name} stays where it started: trust {t0:.2f}, capability {c0:.2f}."
    outcome = trust_outcome(run)
    if outcome == "falls into the trap":
        head = (
            f"{name} tips into the trap: trust falls from {t0:.2f} to {t_end:.2f} "
            f"and capability from {c0:.2f} to {c_end:.2f}"
        )
    elif outcome == "dips, then recovers":
        week = run.week[int(np.argmin(trust))]
        head = (
            f"{name} recovers: trust dips to {trust.min():.2f} (week {week:.0f}) "
            f"and returns to {t_end:.2f}"
        )
    elif outcome == "stays about the same":
        head = f"{name} absorbs it: trust stays at {t0:.2f}"
    else:
        head = (
            f"{name} settles at a new level: trust {t0:.2f} to {t_end:.2f}, "
            f"capability {c0:.2f} to {c_end:.2f}"
        )
    return f"{head}; {_path_words(performance_path(run))}."


def describe_runs(runs):
    """Return a text summary of scenarios (name -> `CapabilityRun`): the shock, one sentence each.

    Scenarios whose shock differs from the first one's say so in brackets.

    Examples
    --------
    >>> runs = {"small": simulate(COMMAND, target_change=0.14, surge_weeks=8),
    ...         "large": simulate(COMMAND, target_change=0.15, surge_weeks=8)}
    >>> print(describe_runs(runs).split(": ")[0])
    After a 14% surge in the target for 8 weeks from week 20
    >>> "(after a 15% surge" in describe_runs(runs)
    True
    """
    runs = check_runs(runs)
    if not runs:
        return "No scenarios to show."
    first = next(iter(runs.values()))
    parts = []
    for name, run in runs.items():
        sentence = describe_run(name, run)
        if _shock_key(run) != _shock_key(first):
            sentence = f"{name} (after {describe_shock(run)})" + sentence[len(name) :]
        parts.append(sentence)
    lead = "With no change in the target" if first.target_change == 0 else "After"
    lead += f" {describe_shock(first)}" if first.target_change else ""
    return f"{lead}: " + " ".join(parts)


def check_runs(runs):
    """Return `runs` as a dict of name -> `CapabilityRun`, or raise naming what is wrong."""
    if not isinstance(runs, Mapping):
        raise TypeError(f"runs must be a dict of name -> CapabilityRun, got {type(runs).__name__}")
    for run in runs.values():
        _check_run(run)
    return {str(name): run for name, run in runs.items()}


def _path_words(path):
    peak, low, end = path["peak"], path["low"], path["end"]
    if path["shape"] == "better before worse":
        return (
            f"performance first rises to {peak:.2f}x its start (week {path['peak_week']:.0f}), "
            f"then falls to {end:.2f}x"
        )
    if path["shape"] == "worse before better":
        words = f"performance first dips to {low:.2f}x its start (week {path['low_week']:.0f}), "
        words += f"then rises to {peak:.2f}x"
        return words + (f" and ends at {end:.2f}x" if abs(end - peak) >= 0.005 else "")
    return f"performance ends at {end:.2f}x its start"


def _shock_key(run):
    return (run.target_change, run.surge_start if run.target_change else 0.0, run.surge_weeks)


def _check_run(run):
    if not isinstance(run, CapabilityRun):
        raise TypeError(
            f"run must be a CapabilityRun from capability.simulate, got {type(run).__name__}"
        )
