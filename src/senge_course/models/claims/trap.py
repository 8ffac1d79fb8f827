"""Claims of lessons 01 and 06: command, commitment and the capability trap.

Two results are *research* the capability-trap model reproduces: working harder is better before
worse, working smarter worse before better (Repenning & Sterman 2001).  The rest are *our
model's*: the trap a temporary surge opens runs through R4, the course's own climate loop; that
commitment never falls into it, that a stronger work-harder reflex makes command sturdier and
that the tipping edge is about 15% hold at the calibrated constants and fail elsewhere; that
compliance delivers hours, not learning, is written into the model.  Each claim's settings are
what the ScenarioComparer can show: regime fields for every scenario (``pressure_drain``, ...),
a field of commitment's (``commitment_work_harder``, scenario B) and the shock
(``target_change``, ``surge_weeks``, ``permanent``).  At the lesson's setting every field has its
documented value, so the settings of all the claims together are one scene: the lesson's.

>>> [claim.holds() for claim in CLAIMS]
[True, True, True, True, True, True, True]
>>> surge = CLAIMS[0]
>>> print(surge.evaluate(**surge.counterexample).summary)
Fails: after an 8-week 20% surge, command's capability ends at 0.98 (floor 0.30, recovered; \
climate 0.76) and commitment's at 1.00 (recovered)
"""

from ..capability import (
    COMMAND,
    COMMITMENT,
    performance_path,
    simulate,
    smallest_tipping_surge,
    steady_states,
)
from .core import Claim, Verdict

__all__ = ["CLAIMS"]

RS_2001 = "Repenning & Sterman (2001), California Management Review 43(4)"
RS_2002 = "Repenning & Sterman (2002), Administrative Science Quarterly 47(2)"
APPS = ("ScenarioComparer",)


def _run(regime, *, target_change, surge_weeks=8, permanent=False):
    weeks = None if permanent else surge_weeks
    return simulate(regime, target_change=target_change, surge_weeks=weeks)


def _end(run):
    """Where a run's capability and climate end, in words."""
    state = "trapped" if run.trapped else "recovered" if run.recovered else "not trapped"
    return (
        f"capability ends at {run.capability[-1]:.2f} (floor {run.regime.basic_capability:.2f}, "
        f"{state}; climate {run.climate[-1]:.2f})"
    )


def _shock(*, target_change, surge_weeks=8, permanent=False):
    size = f"{target_change:.0%}"
    return f"a permanent {size} rise" if permanent else f"an {surge_weeks:g}-week {size} surge"


def _temporary_surge(*, pressure_drain, target_change, surge_weeks, permanent):
    shock = {"target_change": target_change, "surge_weeks": surge_weeks, "permanent": permanent}
    command, commitment = (
        _run(r.replace(pressure_drain=pressure_drain), **shock) for r in (COMMAND, COMMITMENT)
    )
    return Verdict(
        command.trapped and commitment.recovered,
        f"after {_shock(**shock)}, command's {_end(command)} and "
        f"commitment's at {commitment.capability[-1]:.2f} "
        f"({'recovered' if commitment.recovered else 'not recovered'})",
    )


def _commitment_never_trapped(*, commitment_work_harder, **shock):
    regime = COMMITMENT.replace(work_harder=commitment_work_harder)
    run = _run(regime, **shock)
    return Verdict(
        not run.trapped,
        f"under {_shock(**shock)}, commitment with work harder "
        f"{commitment_work_harder:g}: {_end(run)}",
    )


def _better_before_worse(*, overtime_cap, pressure_drain, **shock):
    regime = COMMAND.replace(overtime_cap=overtime_cap, pressure_drain=pressure_drain)
    path = performance_path(_run(regime, **shock))
    return Verdict(
        path["shape"] == "better before worse",
        f"under {_shock(**shock)} command's performance peaks at "
        f"{path['peak']:.2f}x its start (week {path['peak_week']:.0f}) and ends at "
        f"{path['end']:.2f}x ({path['shape']})",
    )


def _worse_before_better(*, improvement_delay, **shock):
    regime = COMMITMENT.replace(improvement_delay=improvement_delay)
    path = performance_path(_run(regime, **shock))
    return Verdict(
        path["shape"] == "worse before better",
        f"under {_shock(**shock)} commitment's performance first "
        f"dips to {path['low']:.2f}x its start (week {path['low_week']:.0f}), then ends at "
        f"{path['end']:.2f}x ({path['shape']})",
    )


def _edge(regime, high=2.0):
    return smallest_tipping_surge(regime, tolerance=0.005, high=high)


def _trapped_from(edge, high=2.0):
    if edge == float("inf"):
        return f"is never trapped by an 8-week surge (tried up to {high:.0%})"
    return f"is trapped from an 8-week surge of {edge:.2f}"


def _stronger_reflex(*, pressure_drain, attribution, overtime_cap):
    base = COMMAND.replace(
        pressure_drain=pressure_drain, attribution=attribution, overtime_cap=overtime_cap
    )
    edges = [_edge(base), _edge(base.replace(work_harder=STRONGER))]
    return Verdict(
        edges[1] > edges[0],
        f"command (work harder {COMMAND.work_harder:g}) {_trapped_from(edges[0])}; with work "
        f"harder {STRONGER:g} it {_trapped_from(edges[1])}",
    )


def _edge_about_15(*, pressure_tolerance, **shock):
    regime = COMMAND.replace(pressure_tolerance=pressure_tolerance)
    edge = _edge(regime, high=1.0)
    run = _run(regime, **shock)
    return Verdict(
        0.10 <= edge <= 0.20,
        f"with pressure tolerance {pressure_tolerance:g}, command {_trapped_from(edge, 1.0)}; "
        f"{_shock(**shock)} "
        f"{'traps' if run.trapped else 'does not trap'} it",
    )


def _compliance(*, climate_threshold):
    trap = steady_states(COMMAND.replace(climate_threshold=climate_threshold))[-1]
    return Verdict(
        trap.hours_improving == 0.0 and trap.effectiveness < 0.05,
        f"in command's trap people work {trap.hours_working:.0f} hours a week and improve "
        f"{trap.hours_improving:.0f}; the climate ({trap.climate:.2f}) leaves improvement "
        f"{trap.effectiveness:.0%} effective",
    )


#: The stronger work-harder reflex `trap.reflex-sturdier` compares with command's (4).
STRONGER = 8.0
SURGE = {"target_change": 0.2, "surge_weeks": 8, "permanent": False}
RISE = {"target_change": 0.2, "surge_weeks": 8, "permanent": True}
R4 = {"pressure_drain": COMMAND.pressure_drain}
REFLEX = {"pressure_drain": COMMAND.pressure_drain, "attribution": 0.0, "overtime_cap": 0.125}

#: This group of lessons' claims, in the order the lessons state them.
CLAIMS: tuple[Claim, ...] = (
    Claim(
        "trap.temporary-surge",
        ("06",),
        "A temporary 8-week 20% surge in the target tips command into the trap for good; "
        "commitment absorbs it.",
        "calibration",
        assumption="R4, the course's extension of Repenning & Sterman: heavy pressure under "
        "tight control drains the climate for improvement (pressure drain 1.25, tolerance "
        "0.025, invented), together with the calibrated regimes",
        check=_temporary_surge,
        default={**R4, **SURGE},
        counterexample={**R4, **SURGE, "pressure_drain": 0.0},
        why_fails="Without R4 only capability erosion (R3) can trap command, and it acts too "
        "slowly: no 8-week surge, however large, traps command",
        apps=APPS,
    ),
    Claim(
        "trap.commitment-never-trapped",
        ("01", "06"),
        "Commitment never falls into the trap: its capability stays far above its floor, even "
        "under a permanent 20% rise.",
        "calibration",
        assumption="commitment's weak work-harder reflex (0.25) keeps its improvement hours, and "
        "its light control keeps the climate (0.64 at worst) above the threshold (0.35)",
        check=_commitment_never_trapped,
        default={"commitment_work_harder": COMMITMENT.work_harder, **RISE},
        counterexample={"commitment_work_harder": 4.0, **RISE},
        why_fails="With command's reflex (work harder 4) commitment takes every improvement hour "
        "under a lasting gap: capability sinks to its floor while the climate stays at 0.64, "
        "so it is trapped without the climate ever collapsing",
        apps=APPS,
    ),
    Claim(
        "trap.better-before-worse",
        ("01", "06"),
        "Working harder is better before worse: after a permanent 20% rise command's "
        "performance first climbs (1.16x its start), then falls far below it (0.43x).",
        "research",
        source=RS_2001 + "; reproduced by our model",
        assumption="overtime first (up to 5 hours a week), then hours taken from improvement, so "
        "capability erodes (R3) and, through R4, the climate drains",
        check=_better_before_worse,
        default={"overtime_cap": COMMAND.overtime_cap, **R4, **RISE},
        counterexample={"overtime_cap": 0.25, "pressure_drain": 0.0, **RISE},
        why_fails="With 10 hours of overtime a week and without R4, overtime carries the whole "
        "rise for good: no hours leave improvement, so there is no worse",
        apps=APPS,
    ),
    Claim(
        "trap.worse-before-better",
        ("01", "06"),
        "Working smarter is worse before better: after a permanent 20% rise commitment first "
        "dips (0.96x its start), then ends above it (1.08x).",
        "research",
        source=RS_2001 + "; reproduced by our model",
        assumption="hours moved into improvement leave production at once and turn into "
        "capability only through the improvement delay (8 weeks) and the capability stock",
        check=_worse_before_better,
        default={"improvement_delay": COMMITMENT.improvement_delay, **RISE},
        by_construction="output falls as soon as hours move into improvement, and capability "
        "can only rise later, through the delay and the stock; a shorter delay (1 week) makes "
        "the dip shallower (0.97x), never absent",
        apps=APPS,
    ),
    Claim(
        "trap.reflex-sturdier",
        ("06",),
        "A stronger work-harder reflex makes command sturdier: with work harder 8 it is trapped "
        "only from an 8-week surge of about 0.29, against 0.15 at 4.",
        "calibration",
        assumption="overtime (5 hours a week) absorbs small surges, and R4, our extension, makes "
        "the length of the pressure, not the hours taken from improvement, decide the trap; the "
        "attribution loop is off",
        check=_stronger_reflex,
        default=REFLEX,
        counterexample={**REFLEX, "pressure_drain": 0.0, "attribution": 2.0},
        why_fails="In Repenning & Sterman's own structure (no R4, managers who blame effort push "
        "for work) a stronger reflex takes more hours from improvement, so command is trapped "
        "from a smaller surge: the opposite of the calibrated result",
        apps=APPS,
    ),
    Claim(
        "trap.edge-about-15",
        ("06",),
        "Command tips into the trap from an 8-week surge of about 15%.",
        "calibration",
        assumption="the pressure tolerance 0.025 (the gap at which R4 drains at half strength): "
        "an invented constant nobody has measured",
        check=_edge_about_15,
        default={"pressure_tolerance": COMMAND.pressure_tolerance, **SURGE},
        counterexample={"pressure_tolerance": 0.1, **SURGE},
        why_fails="With a tolerance of 0.1 command is trapped only from a surge of about 64%: "
        "the edge is a property of one invented constant, not of organisations",
        apps=APPS,
    ),
    Claim(
        "trap.compliance-hours",
        ("01",),
        "Compliance delivers hours, not learning: in command's trap people work the most hours "
        "(45 a week) and nothing they do improves the process.",
        "structure",
        assumption="improvement hours count only in proportion to an effectiveness that falls "
        "with the climate for improvement (half at the threshold 0.35)",
        check=_compliance,
        default={"climate_threshold": COMMAND.climate_threshold},
        by_construction="effectiveness multiplies every improvement hour and collapses with the "
        "climate: the model is written so that hours without the climate build nothing",
        apps=APPS,
    ),
)
