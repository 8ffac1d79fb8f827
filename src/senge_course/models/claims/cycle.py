"""Claims of lessons 07 and 08: the knowledge cycle and the capstone (see `.core`).

The knowledge-cycle model (:mod:`senge_course.models.knowledge`) is calibrated, not estimated.
Its headline results are claims here: two are true by construction (all practice never grows,
all research delivers nothing), the others hold at the calibrated constants and fail at a
documented, plausible setting.  A setting names only what differs from the integration
planner's opening plan (research 20%, capacity building 20%, practice 60%, integration 0.25,
10 years, no consultants, the calibrated constants), so the planner can show it:
``allocation`` (the three shares), ``integration``, ``years`` (the horizon), ``consultants``
(the capability rented, a multiple of the firm's own) and ``stop_at`` (the quarter the firm
stops paying), and the constants of `~senge_course.models.knowledge.CALIBRATION` by name.
The capstone's claims use its design: ``levers`` (a scenario of
`senge_course.models.leadership.SCENARIOS`), ``networkers``, ``regime``, ``allocation``,
``integration``.

Examples
--------
>>> claim = next(c for c in CLAIMS if c.key == "cycle.integration-pays")
>>> claim.holds(), claim.holds(**claim.counterexample)
(True, False)
"""

import functools

from ..capstone import assess
from ..knowledge import (
    ALL_PRACTICE,
    ALL_RESEARCH,
    BALANCED,
    Consultants,
    best_allocation,
    loop_gain,
    simulate,
)
from ..leadership import SCENARIOS
from .core import Claim, Verdict

__all__ = ["CLAIMS"]

PLANNER, DASHBOARD = ("IntegrationPlanner",), ("CapstoneDashboard",)
_GOOD = {"levers": "all three", "networkers": 3, "regime": "commitment"}
_GOOD |= {"allocation": BALANCED, "integration": 1.0}


def _plan(shares):
    return "/".join(str(round(100 * s)) for s in shares)


def _best(quarters, integration, params):
    best = best_allocation(quarters, integration, params=params)
    return best, simulate(best, integration, quarters=quarters, params=params).total


def _never_grows(**constants):
    run = simulate(ALL_PRACTICE, 1.0, params=constants)
    flat = bool(abs(run.results - 1.0).max() < 1e-9 and abs(run.capability - 1.0).max() < 1e-9)
    if flat:
        return Verdict(
            True, "all practice delivers 1.00 in each of 40 quarters; capability stays 1.00"
        )
    return Verdict(False, f"all practice's results range from {run.results.min():.2f} to "
                   f"{run.results.max():.2f} a quarter")  # fmt: skip


def _short_run(*, years, integration, practice_returns):
    best, total = _best(4 * years, integration, {"practice_returns": practice_returns})
    span = f"{years} year{'s' if years > 1 else ''}"
    if best == ALL_PRACTICE:
        return Verdict(True, f"over {span} all practice ({total:.2f}) beats every other plan")
    return Verdict(
        False,
        f"over {span} the plan {_plan(best)} delivers {total:.2f}, more than all practice "
        f"({4 * years:.2f})",
    )


def _ivory_tower(**constants):
    run = simulate(ALL_RESEARCH, 1.0, params=constants)
    return Verdict(
        run.total == 0.0,
        f"all research delivers {run.total:.1f} over 10 years while theory reaches "
        f"{run.theory[-1]:.2f}",
    )


def _fragmented(*, integration, capability_time):
    params = {"capability_time": capability_time}
    run = simulate(BALANCED, integration, params=params)
    return Verdict(
        run.total < run.baseline_total,
        f"at integration {integration:.2f} the balanced plan's loop gain is "
        f"{loop_gain(BALANCED, integration, params=params):.2f} and it delivers "
        f"{run.total:.1f} over 10 years, {run.total / run.baseline_total:.0%} of all practice",
    )


def _integration_pays(*, integration, max_capability, teaching_rate):
    params = {"max_capability": max_capability, "teaching_rate": teaching_rate}
    run = simulate(BALANCED, integration, params=params)
    even = run.break_even_quarter
    grows = bool(run.results[0] < 1.0) and even is not None and run.total > run.baseline_total
    back = "never back above today's" if even is None else f"back above today's from quarter {even}"
    close = abs(run.total - run.baseline_total) < 0.05  # say 39.98, not 40.0, against 40
    return Verdict(
        grows,
        f"the balanced plan dips to {run.results.min():.2f} a quarter, is {back}, and "
        f"delivers {run.total:.{2 if close else 1}f} over 10 years against "
        f"{run.baseline_total:.0f} ({run.total / run.baseline_total:.{3 if close else 2}f} times)",
    )


def _consultants(*, allocation, consultants, stop_at, consultant_time, capability_time):
    params = {"consultant_time": consultant_time, "capability_time": capability_time}
    if not 1 <= stop_at < 40:
        raise ValueError(f"stop_at must be a quarter from 1 to 39 (of 40), got stop_at={stop_at!r}")
    rented = Consultants(consultants, stop_at=stop_at)
    run = simulate(allocation, 1.0, consultants=rented, params=params)
    lowest = float(run.results[stop_at:].min())
    own = run.capability[stop_at - 1]
    moves = "falls" if own < 1.0 else "rises" if own > 1.0 else "stays"
    return Verdict(
        lowest < run.baseline,
        f"the firm's own capability {moves} from 1.00 to {own:.2f} while "
        f"the consultants work; after they leave results go no lower than {lowest:.3f} a "
        f"quarter (the start: {run.baseline:.2f})",
    )


def _horizon(*, integration, max_capability):
    params = {"max_capability": max_capability}
    (short, short_total), (long, long_total) = (_best(q, integration, params) for q in (8, 40))
    return Verdict(
        short == ALL_PRACTICE and long != ALL_PRACTICE,
        f"the best plan over 2 years is {_plan(short)} ({short_total:.2f}; all practice 8.00), "
        f"over 10 years {_plan(long)} ({long_total:.1f}; all practice 40)",
    )


@functools.lru_cache(maxsize=32)
def _assessed(levers, networkers, regime, allocation, integration):
    """The capstone's report on a design named by a claim's setting (kept: the same setting is
    checked again each time an Assumptions view shows it)."""
    return assess(SCENARIOS[levers].replace(networkers=networkers), regime, allocation, integration)


def _capstone(*, levers, networkers, regime, allocation, integration):
    report = _assessed(levers, networkers, regime, tuple(allocation), integration)
    return Verdict(
        report.passed,
        f"{report.committed:.0%} committed on average (goal 60%); the regime "
        f"{'tips into' if report.capability.trapped else 'stays out of'} the trap; the plan is "
        f"diagnosed {report.diagnosis.mode} ({report.knowledge.total:.1f} over 10 years)",
    )


def _separate(*, levers, networkers, regime, allocation, integration):
    design = SCENARIOS[levers].replace(networkers=networkers)
    other = {"command": "commitment"}.get(regime, "command")
    base = _assessed(levers, networkers, regime, tuple(allocation), integration)
    moved = (
        assess(design, other, ALL_PRACTICE, 0.25).committed == base.committed,
        assess("none", regime, ALL_PRACTICE, 0.25).capability.trapped == base.capability.trapped,
        assess("none", other, allocation, integration).knowledge.total == base.knowledge.total,
    )
    return Verdict(
        all(moved),
        "changing the other two parts leaves each result as it was: "
        f"{base.committed:.0%} committed, the regime "
        f"{'falls into' if base.capability.trapped else 'stays out of'} the trap, "
        f"{base.knowledge.total:.1f} over 10 years",
    )


#: The claims of lessons 07 and 08, in the order the lessons state them.
CLAIMS: tuple[Claim, ...] = (
    Claim(
        "cycle.firefighting-never-grows",
        ("07",),
        "All practice (nonstop firefighting) never grows: it delivers today's results, 1 a "
        "quarter, for ever.",
        "structure",
        assumption="practice maintains skills but only research and capacity building raise "
        "them; the firm starts where years of firefighting have settled it",
        check=_never_grows,
        default={"max_capability": 3.0, "practice_returns": 0.6},
        by_construction="with no research or capacity building, learning on the job is defined "
        "to replace exactly the skills that erode, so capability and results stay at their "
        "starting values whatever the constants",
        apps=PLANNER,
    ),
    Claim(
        "cycle.firefighting-wins-short-run",
        ("07",),
        "Over the first year all practice delivers more than any plan that moves effort into "
        "research or capacity building.",
        "calibration",
        assumption="learning takes quarters to pay while effort leaves practice at once, and "
        "practice has moderately diminishing returns (practice_returns 0.6)",
        check=_short_run,
        default={"years": 1, "integration": 1.0, "practice_returns": 0.6},
        counterexample={"years": 1, "integration": 1.0, "practice_returns": 0.2},
        why_fails="with strongly diminishing returns the last hours of firefighting are worth "
        "little, so moving them into learning costs almost nothing even in the first year",
        apps=PLANNER,
    ),
    Claim(
        "cycle.ivory-tower",
        ("07",),
        "All research (the ivory tower) produces no results.",
        "structure",
        assumption="results come only from practice: its share to the power practice_returns, "
        "times capability",
        check=_ivory_tower,
        default={"max_capability": 3.0, "practice_returns": 0.6},
        by_construction="results are the practice share to the power practice_returns times "
        "capability, so with no practice there are none, whatever the constants",
        apps=PLANNER,
    ),
    Claim(
        "cycle.fragmented-poor",
        ("07",),
        "A balanced plan whose communities are loosely coupled (integration 0.25) delivers less "
        "than all practice over 10 years.",
        "calibration",
        assumption="integration scales both couplings (research drawing on practice, capacity "
        "building teaching research's theory), and unused skills erode over 4 quarters",
        check=_fragmented,
        default={"integration": 0.25, "capability_time": 4.0},
        counterexample={"integration": 0.25, "capability_time": 16.0},
        why_fails="if skills last four years instead of one, even weakly coupled training "
        "accumulates enough capability to repay the effort taken from practice",
        apps=PLANNER,
    ),
    Claim(
        "cycle.integration-pays",
        ("07", "08"),
        "A balanced, fully integrated plan dips first, is back above today's results within "
        "two years, and beats all practice over 10 years.",
        "calibration",
        assumption="capacity building can raise capability to three times today's "
        "(max_capability 3) at the calibrated teaching rate (3)",
        check=_integration_pays,
        default={"integration": 1.0, "max_capability": 3.0, "teaching_rate": 3.0},
        counterexample={"integration": 1.0, "max_capability": 1.5},
        why_fails="if capacity building can raise capability by only 50%, the dip never pays "
        "back within 10 years",
        apps=PLANNER,
    ),
    Claim(
        "cycle.consultants-leave-below-start",
        ("07",),
        "A firm that only firefights and rents consultants for two years ends up, after they "
        "leave, with results below where it started (Shifting the Burden to the Intervenor).",
        "structure",
        assumption="the consultants do a share of the work, the firm's people learn on the job "
        "only from the share they do, and the consultants leave within about a quarter",
        check=_consultants,
        default={"allocation": ALL_PRACTICE, "consultants": 0.5, "stop_at": 8}
        | {"consultant_time": 1.0, "capability_time": 4.0},
        counterexample={"allocation": ALL_PRACTICE, "consultants": 0.5, "stop_at": 8}
        | {"consultant_time": 12.0, "capability_time": 2.0},
        why_fails="consultants who hand over slowly, to people who relearn fast, leave no dip: "
        "the firm's skills come back as fast as the consultants go",
        apps=PLANNER,
    ),
    Claim(
        "cycle.horizon-decides",
        ("07",),
        "The planning horizon changes the best plan: over two years it is all practice, over "
        "ten a balanced, integrated plan.",
        "research",
        source="March (1991): exploitation's returns are nearer and surer than exploration's, "
        "so short-horizon learning drives out exploration",
        assumption="the calibrated constants give the crossover (three years); the argument is "
        "March's",
        check=_horizon,
        default={"integration": 1.0, "max_capability": 3.0},
        counterexample={"integration": 1.0, "max_capability": 1.5},
        why_fails="if capacity building can raise capability by only 50%, all practice is the "
        "best plan over every horizon, so the horizon no longer matters",
        apps=PLANNER,
    ),
    Claim(
        "cycle.capstone-goals",
        ("08",),
        "All three kinds of leader (3 networkers, no mandate), the commitment regime and the "
        "balanced plan fully integrated meet all three of the capstone's goals.",
        "calibration",
        assumption="the three models' calibrated constants, and goals we set (60% committed, "
        "no trap under a 20% surge of 8 weeks, a diagnosis of integrated)",
        check=_capstone,
        default=_GOOD,
        counterexample=_GOOD | {"networkers": 1},
        why_fails="with one networker instead of three the practice stops short of the 60% "
        "goal: the spread has a tipping point, and the design sits close to it",
        apps=DASHBOARD,
    ),
    Claim(
        "cycle.capstone-separate",
        ("08",),
        "Each part of a capstone design moves its own goal and no other.",
        "structure",
        assumption="the three simulations share no variable: leaders drive the spread, the "
        "regime the capability trap, the plan the knowledge cycle",
        check=_separate,
        default=_GOOD,
        by_construction="each part of the design is the input of one simulation only; a "
        "mandate cannot drain trust and a trap cannot starve the learning budget in the models",
        apps=DASHBOARD,
    ),
)
