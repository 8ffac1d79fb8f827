"""The capability trap: why working harder under command erodes the capability it needs.

Repenning and Sterman (2001, "Nobody ever gets credit for fixing problems that never happened",
California Management Review 43(4); 2002, "Capability traps and self-confirming attribution
errors", Administrative Science Quarterly 47:265) found that organisations under pressure to
perform take time from improvement to put into production.  Performance rises at once, but the
process erodes, so performance later falls, which raises the pressure: a reinforcing loop that can
lock an organisation into permanent firefighting, with "conflict, mistrust, and control
structures" (Repenning & Sterman 2002).  This module is a small system dynamics model of that
trap, in weeks; its inputs, a `Regime` and the shock to the target, are described in
:mod:`senge_course.models.regime`.  It is calibrated, not estimated: its constants are
illustrative, chosen so that the lessons' behaviours hold with a margin.

The stocks are ``capability`` (output per working hour, scaled so that the normal improvement
share, done in a full climate, sustains capability 1), ``pipeline`` (improvement in progress, in
capability units: a first-order delay, which is what makes "work smarter" slow), ``pressure`` (the
perceived gap ``1 - performance / target``: 0.1 = performing 10% below target), ``climate`` (the
climate for improvement, 0 to 1: one stock that lumps together what makes discretionary
improvement effective, which Edmondson (1999) separates into trust, psychological safety and
commitment) and ``blame`` (the part of the gap managers put down to low effort; 0 unless the
attribution loop is switched on).

Equations (``P+ = max(pressure, 0)``, ``W = P+ + blame`` the pressure to do work, ``H`` = 40
normal hours a week)
---------------------------------------------------------------------------------------------
* work harder: extra hours demanded ``E = work_harder * W * H``, met first by overtime (up to
  ``overtime_cap * H``), then by taking hours from improvement;
* work smarter: ``work_smarter * P+ * H`` extra hours move into improvement;
* hours improving ``= improvement_share * H + work_smarter * P+ * H - (E - overtime)`` (within 0
  and H); hours working ``= H - hours improving + overtime``;
* performance ``= capability * hours working`` (units a week);
* effective improvement ``= hours improving * effectiveness(climate)``, where ``effectiveness =
  C^4 (1 + θ^4) / (C^4 + θ^4)`` with ``θ = climate_threshold``: near 1 while the climate is well
  above θ, collapsing below it (compliance delivers hours, not learning: true by construction);
* d pipeline/dt = productivity * effective improvement - pipeline / improvement_delay, with
  ``productivity = (1 - basic_capability) / (erosion_time * improvement_share * H)``;
* d capability/dt = pipeline / improvement_delay - (capability - basic_capability) / erosion_time;
* d pressure/dt = (1 - performance / target - pressure) / pressure_time;
* d climate/dt = autonomy * (1 - climate) / climate_build_time
  - K * (control_drain + pressure_drain * D(W)) * climate / climate_loss_time, with the control
  ``K = min(control + blame, 1)`` and ``D(W) = W^6 / (W^6 + pressure_tolerance^6)`` (0 for
  tolerable pressure, 1 for heavy);
* d blame/dt = (attribution * P+ - blame) / attribution_time.

Every regime starts at its own equilibrium (pressure 0, performance on target; :func:`equilibrium`);
the target is that starting performance, and ``target_change`` raises it for a while or for good.
Working harder closes the gap fast (B1), working smarter slowly (B2); taking hours from
improvement erodes capability, which widens the gap (R3, Repenning & Sterman's); and heavy
pressure under tight control drains the climate that makes improvement effective (R4, the
course's extension of Repenning & Sterman: ``pressure_drain=0`` switches it off).  R3 and R4 make
the command regime bistable (:func:`steady_states`).  Overtime absorbs a small surge, so nothing
else moves; a larger one forces hours out of improvement and drains the climate, and the regime
falls into a trap where nobody improves, everyone works the maximum overtime and capability sits
at its floor (`CapabilityRun.trapped`).  Without R4 no 8-week surge tips command: R3 alone acts
too slowly.  Repenning & Sterman's attribution loop (managers who see low performance blame low
effort, push for work and tighten control, which seems to confirm their view) is off by default
(``attribution=0``); switched on, pressure to do work and control rise with a lasting gap.
``tests/test_capability.py`` checks these behaviours for several step sizes and both integration
methods; `senge_course.models.claims.trap` says where each headline result fails.

Examples
--------
A 20% target surge lasting 8 weeks traps the command regime (still there at week 300); the
commitment regime absorbs it:

>>> simulate(COMMAND, target_change=0.2, surge_weeks=8).trapped
True
>>> simulate(COMMITMENT, target_change=0.2, surge_weeks=8).recovered
True
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import NamedTuple

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
    "CLIMATE_OUTCOMES",
    "COMMAND",
    "COMMITMENT",
    "HOURS_PER_WEEK",
    "MODEL",
    "POLICY_LEVERS",
    "PRESETS",
    "REGIME_PARAMETERS",
    "SHOCK_PARAMETERS",
    "TRAP_MARGIN",
    "CapabilityRun",
    "EdgeSweep",
    "Equilibrium",
    "Regime",
    "as_regime",
    "check_runs",
    "climate_outcome",
    "describe_run",
    "describe_runs",
    "describe_shock",
    "edge_sweep",
    "equilibrium",
    "performance_path",
    "preset_name",
    "simulate",
    "smallest_tipping_surge",
    "steady_states",
]

#: Normal working week, in hours.
HOURS_PER_WEEK = 40.0
#: Steepness (Hill exponent) of improvement effectiveness in the climate.
CLIMATE_STEEPNESS = 4
#: Steepness (Hill exponent) of pressure's drain on the climate.
PRESSURE_STEEPNESS = 6
#: "Near its floor": a run is trapped if capability ends within this share of the way from
#: `basic_capability` to where it started (0.1: the last tenth).
TRAP_MARGIN = 0.1


@dataclass(frozen=True)
class Equilibrium:
    """A steady state of the model: every stock constant, for a constant target.

    Attributes
    ----------
    capability, pipeline, pressure, climate, blame : float
        The stocks.
    performance, target : float
        Output per week and the target it is measured against.
    hours_working, hours_improving : float
        Hours a week, working (including overtime) and improving.
    effectiveness : float
        Share of improvement hours that turn into learning (from the climate).
    control : float
        Control in force (the regime's, plus what managers add when they blame effort).
    stable : bool
        Whether small disturbances die out (every eigenvalue of the model's Jacobian has a
        negative real part).
    """

    capability: float
    pipeline: float
    pressure: float
    climate: float
    blame: float
    performance: float
    target: float
    hours_working: float
    hours_improving: float
    effectiveness: float
    control: float
    stable: bool

    @property
    def trust(self):
        """Deprecated alias of `climate` (the stock was called trust before issue 12)."""
        return self.climate

    @property
    def summary(self):
        """The steady state in one sentence, for captions and alt text.

        >>> print(equilibrium(COMMITMENT).summary)
        A stable steady state: climate 0.99, capability 1.00 output per hour, pressure 0.00; \
performance 1.00 of the target, with 32.0 hours a week working and 8.0 improving.
        """
        kind = "stable" if self.stable else "unstable"
        return (
            f"A {kind} steady state: climate {self.climate:.2f}, capability "
            f"{self.capability:.2f} output per hour, pressure {self.pressure:.2f}; performance "
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
    capability, pipeline, pressure, climate, blame : numpy.ndarray
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
    climate: np.ndarray
    blame: np.ndarray
    performance: np.ndarray
    target: np.ndarray
    hours_working: np.ndarray
    hours_improving: np.ndarray
    effectiveness: np.ndarray

    @property
    def control(self):
        """The control in force each week: the regime's, plus managers' blame, up to 1."""
        return np.minimum(self.regime.control + self.blame, 1.0)

    @property
    def trapped(self):
        """True if capability ends at its floor, whatever the climate does.

        "At its floor": at the last week, capability is within `TRAP_MARGIN` (a tenth) of the way
        from `basic_capability` to where it started.

        >>> simulate(COMMITMENT.replace(work_harder=4), target_change=0.2).trapped
        True
        """
        floor = self.regime.basic_capability
        return bool(self.capability[-1] - floor < TRAP_MARGIN * (self.start.capability - floor))

    @property
    def climate_collapsed(self):
        """True if the climate ends below `climate_threshold` (improvement less than half as
        effective), having started above it."""
        threshold = self.regime.climate_threshold
        return bool(self.climate[-1] < threshold <= self.climate[0])

    @property
    def tipped(self):
        """Deprecated alias of `trapped`."""
        return self.trapped

    @property
    def trust(self):
        """Deprecated alias of `climate` (the stock was called trust before issue 12)."""
        return self.climate

    @property
    def summary(self):
        """What happened in the run, in one or two sentences (`describe_runs`).

        >>> print(simulate(COMMAND).summary)
        With no change in the target: command stays where it started: climate 0.76, capability \
0.98.
        """
        name = preset_name(self.regime)
        return describe_runs({"the custom regime" if name == "custom" else name: self})

    @property
    def recovered(self):
        """True if capability and the climate end within 2% of their starting values."""
        return bool(
            abs(self.capability[-1] / self.start.capability - 1) < 0.02
            and abs(self.climate[-1] / self.start.climate - 1) < 0.02
        )

    def relative(self, name):
        """Return a series divided by its starting value (1 = where the regime started).

        Pressure and blame start at 0 and have no relative value; every other series does.

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


@dataclass(frozen=True)
class EdgeSweep:
    """How the tipping edge (`smallest_tipping_surge`) moves with one parameter (`edge_sweep`).

    Attributes
    ----------
    parameter : str
        The regime field swept.
    values, edge, low, high : tuple of float
        The values tried; the edge at each; and the band, the lowest and highest edge when each
        of `vary` moves by `spread` either way (``inf``: no surge up to 1 traps the regime).
    vary : tuple of str
        The other invented constants moved to draw the band.
    spread : float
        How far they move (0.25: 25% down and up).
    """

    parameter: str
    values: tuple
    edge: tuple
    low: tuple
    high: tuple
    vary: tuple
    spread: float

    @property
    def summary(self):
        """The sweep in one sentence.

        >>> print(edge_sweep(COMMAND, values=(0.025, 0.1), vary=()).summary)
        As pressure tolerance goes from 0.025 to 0.1, the smallest 8-week surge that traps the \
regime goes from 0.15 to 0.64 (band 0.15 to 0.64).
        """
        finite = [x for x in self.low + self.high if math.isfinite(x)]
        band = f"{min(finite):.2f} to {max(finite):.2f}" if finite else "none traps it"
        return (
            f"As {self.parameter.replace('_', ' ')} goes from {self.values[0]:g} to "
            f"{self.values[-1]:g}, the smallest 8-week surge that traps the regime goes from "
            f"{self.edge[0]:.2f} to {self.edge[-1]:.2f} (band {band})."
        )


def equilibrium(regime):
    """Return the regime's starting steady state (an `Equilibrium`): on target, no pressure.

    With pressure 0 nobody works overtime or shifts hours and managers blame nobody, so the
    climate settles where autonomy's rebuilding balances control's standing drain, ``climate = a
    / (a + c)`` with ``a = autonomy / climate_build_time`` and ``c = control * control_drain /
    climate_loss_time``; capability settles at ``basic_capability + (1 - basic_capability) *
    effectiveness(climate)``; and the target is defined as the performance this gives.

    Examples
    --------
    Command's standing control costs some of the climate (0.76) but, with the climate still well
    above the threshold, only 2% of capability; commitment keeps nearly all of it:

    >>> eq = equilibrium(COMMAND)
    >>> round(eq.climate, 3), round(eq.capability, 3), eq.stable
    (0.758, 0.98, True)
    >>> round(equilibrium(COMMITMENT).climate, 3)
    0.991
    """
    _check_regime(regime)
    q = _prepare_regime(regime)
    start = (q["capability0"], q["pipeline0"], 0.0, q["climate0"], 0.0)
    return _equilibrium_at(q, start, q["target0"])


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
    everyone works the maximum overtime and the climate is gone:

    >>> states = steady_states(COMMAND)
    >>> [s.stable for s in states]
    [True, False, True]
    >>> trap = states[-1]
    >>> trap.hours_improving, round(trap.capability, 2), round(trap.climate, 2)
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
    initial = (start.capability, start.pipeline, start.pressure, start.climate, start.blame)
    run = integrate(MODEL, initial, duration=weeks, dt=dt, params=params, method=method)
    series = {name: run[name] for name in MODEL.names}
    return CapabilityRun(
        regime, **shock, weeks=weeks, dt=run.dt, start=start, week=run.time, **series
    )


def smallest_tipping_surge(regime, *, surge_weeks=8.0, high=1.0, tolerance=0.001, **run):
    """Return the smallest target surge that tips the regime into the trap, by bisection.

    "Into the trap" means `CapabilityRun.trapped`: capability ends at its floor.  The surge lasts
    `surge_weeks` (default 8; None: for good).  Surges up to `high` (in (0, 2]; default 1, a
    doubling of the target) are tried, to within `tolerance` (default 0.001); ``surge_start``,
    ``weeks``, ``dt`` and ``method`` in `run` are passed to :func:`simulate`.  The result is
    ``math.inf`` if even a surge of `high` does not trap the regime.  The edge rests on invented
    constants (see `edge_sweep`): read it as "about 15%", not as a measured number.

    Examples
    --------
    Command tips from about a 15% surge of 8 weeks; commitment does not tip even when the target
    doubles for 8 weeks:

    >>> round(smallest_tipping_surge(COMMAND), 2)
    0.15
    >>> smallest_tipping_surge(COMMITMENT)
    inf
    """
    _check_regime(regime)
    high = check_number("high", high, low=0.0, high=2.0, low_open=True)
    tolerance = check_number("tolerance", tolerance, low=0.0, high=high, low_open=True)

    def tips(change):
        return simulate(regime, target_change=change, surge_weeks=surge_weeks, **run).trapped

    if not tips(high):
        return math.inf
    low = 0.0
    while high - low > tolerance:
        middle = 0.5 * (low + high)
        low, high = (low, middle) if tips(middle) else (middle, high)
    return high


#: The invented constants of the climate loop that `edge_sweep` moves to draw its band.
BAND_CONSTANTS = ("pressure_drain", "climate_loss_time", "climate_threshold")


def edge_sweep(
    regime,
    parameter="pressure_tolerance",
    values=(0.01, 0.015, 0.02, 0.025, 0.035, 0.05, 0.075, 0.1),
    *,
    vary=BAND_CONSTANTS,
    spread=0.25,
    surge_weeks=8.0,
    tolerance=0.005,
):
    """Return how the tipping edge moves with one invented constant, with a band (`EdgeSweep`).

    For each of `values` of the regime field `parameter` (default ``pressure_tolerance``, the gap
    at which R4 drains the climate at half strength), the smallest `surge_weeks` surge that traps
    the regime (`smallest_tipping_surge`, to `tolerance`); and a band: the lowest and highest
    edge when each field in `vary` is moved `spread` down and up (one at a time, within its
    range).  A finding that moves this much with a constant nobody measured is a property of the
    calibration, not of organisations.

    Examples
    --------
    >>> sweep = edge_sweep(COMMAND, values=(0.025,), vary=("pressure_drain",))
    >>> round(sweep.edge[0], 2), round(sweep.low[0], 2) <= round(sweep.high[0], 2)
    (0.15, True)
    """
    _check_regime(regime)
    if parameter not in REGIME_PARAMETERS:
        raise ValueError(f"parameter must be a field of Regime, got parameter={parameter!r}")
    unknown = [name for name in vary if name not in REGIME_PARAMETERS or name == parameter]
    if unknown:
        raise ValueError(f"vary must name other fields of Regime, got {unknown[0]!r}")
    spread = check_number("spread", spread, low=0.0, high=1.0, high_open=True)
    values = tuple(REGIME_PARAMETERS[parameter].check(parameter, v) for v in values)
    if not values:
        raise ValueError("values must hold at least one value")

    def edge(r):
        return smallest_tipping_surge(r, surge_weeks=surge_weeks, tolerance=tolerance)

    edges, lows, highs = [], [], []
    for value in values:
        base = regime.replace(**{parameter: value})
        found = [edge(base)]
        for name in vary:
            spec, now = REGIME_PARAMETERS[name], getattr(base, name)
            for factor in (1.0 - spread, 1.0 + spread):
                moved = min(max(now * factor, spec.low or 0.0), spec.high or math.inf)
                try:
                    found.append(edge(base.replace(**{name: moved})))
                except ValueError:  # an open end of the range: skip it
                    continue
        edges.append(found[0])
        lows.append(min(found))
        highs.append(max(found))
    return EdgeSweep(
        parameter, values, tuple(edges), tuple(lows), tuple(highs), tuple(vary), spread
    )


# --------------------------------------------------------------------------- model


class _Constants(NamedTuple):
    """The floats `_rates` reads, computed once per regime (`_prepare_regime`)."""

    hours: float
    normal_improving: float
    harder: float
    smarter: float
    overtime_max: float
    productivity: float
    floor: float
    per_delay: float
    per_erosion: float
    per_pressure_time: float
    tolerance6: float
    heavy_drain: float
    standing_drain: float
    rebuild: float
    loss: float  # control / climate_loss_time: the drain's scale with no blame
    per_loss: float
    control: float
    threshold4: float
    full_climate: float  # 1 + threshold4 scales effectiveness to 1 in a full climate
    attribution: float
    per_attribution: float


def _rates(t, y, q):
    """Rates of change of (capability, pipeline, pressure, climate, blame), then the auxiliaries."""
    (hours, normal_improving, harder, smarter, overtime_max, productivity, floor, per_delay,
     per_erosion, per_pressure_time, tolerance6, heavy_drain, standing_drain, rebuild, loss,
     per_loss, control, threshold4, full_climate, attribution, per_attribution, target0,
     surged_target, surge_start, surge_end) = q  # fmt: skip
    capability, pipeline, pressure, climate, blame = y
    felt = pressure if pressure > 0.0 else 0.0
    push = felt + blame  # pressure to do work: the gap, and what managers blame on effort
    demand = harder * push * hours
    overtime = demand if demand < overtime_max else overtime_max
    improving = normal_improving + smarter * felt * hours - (demand - overtime)
    if improving < 0.0:
        improving = 0.0
    elif improving > hours:
        improving = hours
    working = hours - improving + overtime
    performance = capability * working
    target = surged_target if surge_start <= t < surge_end else target0
    c4 = climate * climate if climate > 0.0 else 0.0
    c4 *= c4
    effectiveness = full_climate * c4 / (c4 + threshold4)
    p6 = push * push * push
    p6 *= p6
    drain = standing_drain + heavy_drain * p6 / (p6 + tolerance6)
    if blame > 0.0:  # managers who blame effort tighten control, up to full control
        loss = (control + blame if control + blame < 1.0 else 1.0) * per_loss
    return (
        pipeline * per_delay - (capability - floor) * per_erosion,
        productivity * improving * effectiveness - pipeline * per_delay,
        (1.0 - performance / target - pressure) * per_pressure_time,
        rebuild * (1.0 - climate) - loss * drain * climate,
        (attribution * felt - blame) * per_attribution,
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
    theta4 = p["climate_threshold"] ** CLIMATE_STEEPNESS
    # productivity: the normal share, done in a full climate, sustains capability 1
    productivity = (1.0 - floor) / (p["erosion_time"] * normal_improving)
    rebuild = p["autonomy"] / p["climate_build_time"]
    loss = p["control"] / p["climate_loss_time"]
    climate0 = rebuild / (rebuild + loss * p["control_drain"])
    effectiveness0 = _effectiveness(climate0, theta4)
    capability0 = floor + (1.0 - floor) * effectiveness0
    constants = _Constants(
        hours,
        normal_improving,
        p["work_harder"],
        p["work_smarter"],
        p["overtime_cap"] * hours,
        productivity,
        floor,
        1.0 / p["improvement_delay"],
        1.0 / p["erosion_time"],
        1.0 / p["pressure_time"],
        p["pressure_tolerance"] ** PRESSURE_STEEPNESS,
        p["pressure_drain"],
        p["control_drain"],
        rebuild,
        loss,
        1.0 / p["climate_loss_time"],
        p["control"],
        theta4,
        1.0 + theta4,
        p["attribution"],
        1.0 / p["attribution_time"],
    )
    return {
        "constants": constants,
        # the target is the starting performance, computed the way _rates computes it
        "target0": capability0 * (hours - normal_improving),
        "capability0": capability0,
        "pipeline0": p["improvement_delay"] * productivity * normal_improving * effectiveness0,
        "climate0": climate0,
    }


def _time_constants(p):
    """The model's time constants (weeks); the fastest climate adjustment is at full drain."""
    control = 1.0 if p["attribution"] > 0.0 else p["control"]  # blame can tighten it fully
    rebuild = p["autonomy"] / p["climate_build_time"]
    loss = control / p["climate_loss_time"] * (p["control_drain"] + p["pressure_drain"])
    times = {name: p[name] for name in ("pressure_time", "improvement_delay", "erosion_time")}
    if p["attribution"] > 0.0:
        times["attribution_time"] = p["attribution_time"]
    return times | {"climate_adjustment_time": 1.0 / (rebuild + loss)}


#: The capability-trap model as a :class:`~senge_course.models.dynamics.StockFlow`.
MODEL = StockFlow(
    stocks=("capability", "pipeline", "pressure", "climate", "blame"),
    rates=_rates,
    parameters={**REGIME_PARAMETERS, **SHOCK_PARAMETERS},
    auxiliaries=(
        "performance",
        "target",
        "hours_working",
        "hours_improving",
        "effectiveness",
    ),
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


def _effectiveness(climate, theta4):
    c4 = max(climate, 0.0) ** CLIMATE_STEEPNESS
    return (1.0 + theta4) * c4 / (c4 + theta4)


def _sustained_gap(q, pressure, target):
    """Gap produced at steady state if the perceived pressure stayed at `pressure`."""
    out = _rates(0.0, _state_for_pressure(q, pressure), q["constants"] + (target, target, 0, 0))
    return 1.0 - out[5] / target


def _state_for_pressure(q, pressure):
    """Stocks at rest for a constant pressure: blame and the climate, then pipeline, capability."""
    c = q["constants"]
    felt = max(pressure, 0.0)
    blame = c.attribution * felt
    push = felt + blame
    p6 = push**PRESSURE_STEEPNESS
    loss = c.loss if blame == 0.0 else min(c.control + blame, 1.0) * c.per_loss
    drain = c.standing_drain + c.heavy_drain * p6 / (p6 + c.tolerance6)
    climate = c.rebuild / (c.rebuild + loss * drain)
    demand = c.harder * push * c.hours
    overtime = min(demand, c.overtime_max)
    improving = c.normal_improving + c.smarter * felt * c.hours - (demand - overtime)
    improving = min(max(improving, 0.0), c.hours)
    inflow = c.productivity * improving * _effectiveness(climate, c.threshold4)
    return (c.floor + inflow / c.per_erosion, inflow / c.per_delay, float(pressure), climate, blame)


def _equilibrium_at(q, state, target):
    """The `Equilibrium` at `state`, its stability from a finite-difference Jacobian."""
    constants = q["constants"] + (target, target, 0.0, 0.0)
    out = _rates(0.0, state, constants)
    n = len(state)
    jacobian = np.empty((n, n))
    for j in range(n):
        step = 1e-7 * max(1.0, abs(state[j]))
        moved = list(state)
        moved[j] += step
        jacobian[:, j] = (np.array(_rates(0.0, tuple(moved), constants)[:n]) - out[:n]) / step
    control = min(q["constants"].control + state[4], 1.0)
    values = (*state, out[n], target, *out[n + 2 :], control)  # the fields in their order
    return Equilibrium(*map(float, values), bool(np.all(np.linalg.eigvals(jacobian).real < 0.0)))


# --------------------------------------------------------------------------- in words

#: What can happen to the climate for improvement after a shock, as `climate_outcome` names it.
CLIMATE_OUTCOMES = (
    "stays about the same",
    "dips, then recovers",
    "ends lower",
    "collapses",
)


def climate_outcome(run):
    """Return what happened to the climate in a `CapabilityRun`, as one of `CLIMATE_OUTCOMES`.

    ``"collapses"`` if the climate ends below its threshold, having started above it
    (`CapabilityRun.climate_collapsed`); ``"dips, then recovers"`` if it ends within 2% of its
    start after falling more than 5% below it; ``"stays about the same"`` if it ends within 2% and
    never fell more than 5%; ``"ends lower"`` otherwise.  Whether the run is trapped (capability
    at its floor) is a separate question: `CapabilityRun.trapped`.

    Examples
    --------
    Under a permanent 20% rise, commitment never closes the gap: the lasting pressure costs it
    some of its climate, but the climate does not collapse:

    >>> climate_outcome(simulate(COMMITMENT, target_change=0.2))
    'ends lower'
    """
    _check_run(run)
    start, end, low = float(run.climate[0]), float(run.climate[-1]), float(run.climate.min())
    if run.climate_collapsed:
        return "collapses"
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
    commitment recovers: the climate dips to 0.77 (week 35) and returns to 0.99; performance \
first dips to 0.96x its start (week 28), then rises to 1.04x and ends at 1.00x.
    """
    _check_run(run)
    climate, capability = run.climate, run.capability
    t0, t_end, c0, c_end = climate[0], climate[-1], capability[0], capability[-1]
    if run.target_change == 0:
        return f"{name} stays where it started: climate {t0:.2f}, capability {c0:.2f}."
    outcome = climate_outcome(run)
    if run.trapped:
        held = "collapses" if outcome == "collapses" else "falls only"
        head = (
            f"{name} tips into the trap: capability falls from {c0:.2f} to {c_end:.2f} (its "
            f"floor is {run.regime.basic_capability:.2f}) and the climate {held} from "
            f"{t0:.2f} to {t_end:.2f}"
        )
    elif outcome == "dips, then recovers":
        week = run.week[int(np.argmin(climate))]
        head = (
            f"{name} recovers: the climate dips to {climate.min():.2f} (week {week:.0f}) "
            f"and returns to {t_end:.2f}"
        )
    elif outcome == "stays about the same":
        head = f"{name} absorbs it: the climate stays at {t0:.2f}"
    else:
        head = (
            f"{name} settles at a new level: climate {t0:.2f} to {t_end:.2f}, "
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
