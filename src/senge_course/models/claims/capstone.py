"""Claims of lesson 08 about the coupled capstone and its budget (see `.core`).

The capstone's three models act on each other through five named couplings
(:mod:`senge_course.models.coupled`), each a modelling choice with a value chosen by us; a
design is priced in budget points (:mod:`senge_course.models.budget`), also our choice.  The
headline results the lesson states about them are claims here, each with the coupling or price
it rests on and a plausible setting where it fails: typically the coupling weaker, or off.
A setting names a coupling of `~senge_course.models.coupled.COUPLINGS` by name (its value),
``mandate`` (the share of people the executives order to comply, with the lesson's other
levers of "all three") and ``regime``; the budget claim names a price of
`~senge_course.models.budget.PRICES` and the ``budget``.

Examples
--------
>>> claim = next(c for c in CLAIMS if c.key == "capstone.mandate-drains-climate")
>>> claim.holds(), claim.holds(**claim.counterexample)
(True, False)
"""

import functools

from ..budget import BUDGET, PRICES, cost
from ..coupled import assess_coupled
from ..knowledge import BALANCED
from ..leadership import SCENARIOS
from .core import Claim, Verdict

__all__ = ["CLAIMS"]

#: The lesson's worked design: all three kinds of leader, commitment, the balanced plan integrated.
_WORKED = ("all three", BALANCED, 1.0)


@functools.lru_cache(maxsize=64)
def _coupled(mandate, regime, couplings):
    """The coupled report on the worked design with `mandate` and `regime` (kept: an
    Assumptions view checks the same setting again)."""
    levers = SCENARIOS["all three"].replace(mandate=mandate)
    return assess_coupled(levers, regime, BALANCED, 1.0, couplings=dict(couplings))


def _mandate_drains(*, mandate, regime, mandate_drains_climate):
    report = _coupled(mandate, regime, (("mandate_drains_climate", mandate_drains_climate),))
    run = report.report.capability
    start, end = float(run.climate[0]), float(run.climate[-1])
    return Verdict(
        end < 0.5 * start,
        f"the mandate raises the regime's control to {report.report.regime.control:.2f}; the "
        f"climate for improvement goes from {start:.2f} to {end:.2f} under the surge",
    )


def _control_stalls(*, regime, control_raises_thresholds):
    report = _coupled(0.0, regime, (("control_raises_thresholds", control_raises_thresholds),))
    effect = report.effects["control_raises_thresholds"]
    return Verdict(
        not report.verdicts["commitment spreads"],
        f"the mean threshold is {round(effect.coupled, 3):g}; {report.committed:.0%} of people "
        "end up committed on average (goal 60%)",
    )


def _trap_starves(*, regime, trap_starves_learning):
    report = _coupled(0.0, regime, (("trap_starves_learning", trap_starves_learning),))
    plan = report.report.allocation
    return Verdict(
        report.report.diagnosis.mode == "firefighting",
        f"the plan runs as {'/'.join(f'{round(100 * x)}%' for x in plan)} and is diagnosed "
        f"{report.report.diagnosis.mode} ({report.report.knowledge.total:.1f} over 10 years)",
    )


def _over_budget(*, research, capacity_building, budget):
    levers, allocation, _ = _WORKED
    total = cost(
        levers, allocation, prices={"research": research, "capacity_building": capacity_building}
    ).total
    return Verdict(
        total > budget,
        f"the worked design costs {round(total, 2):g} budget points against a budget of {budget:g}",
    )


#: The claims of lesson 08 about the couplings and the budget, in the order the lesson states them.
CLAIMS: tuple[Claim, ...] = (
    Claim(
        "capstone.mandate-drains-climate",
        ("08",),
        "Coupled, a mandate on 80% of people next to the commitment regime drains the climate "
        "for improvement under the surge to about a quarter of its start; run separately, the "
        "climate recovers.",
        "calibration",
        assumption="a mandate raises the regime's control (mandate_drains_climate 0.5: a "
        "mandate on everyone adds half of the control scale), after Senge's point that "
        "directives breed fear and distrust",
        check=_mandate_drains,
        default={"mandate": 0.8, "regime": "commitment", "mandate_drains_climate": 0.5},
        counterexample={"mandate": 0.8, "regime": "commitment", "mandate_drains_climate": 0.3},
        why_fails="a weaker coupling leaves the regime's control low enough for the climate to "
        "absorb the surge: the climate has a tipping point, and 0.5 puts the design past it",
    ),
    Claim(
        "capstone.control-stalls-commitment",
        ("08",),
        "Coupled, the command regime's tight control keeps the lesson's three kinds of leader "
        "short of the 60% goal; run separately, they reach it.",
        "calibration",
        assumption="control raises everyone's threshold for committing "
        "(control_raises_thresholds 0.1: command's control of 0.8 adds 0.08 to the mean "
        "threshold of 0.45)",
        check=_control_stalls,
        default={"regime": "command", "control_raises_thresholds": 0.1},
        counterexample={"regime": "command", "control_raises_thresholds": 0.05},
        why_fails="with half the coupling the thresholds rise only 0.04 and the bridges still "
        "carry the practice past 60%: the spread has a tipping point near the design",
    ),
    Claim(
        "capstone.trap-starves-learning",
        ("08",),
        "Coupled, a regime that falls into the capability trap turns the balanced, integrated "
        "plan into firefighting: its research and capacity building go to practice.",
        "structure",
        assumption="the share of research and capacity building lost is the share of "
        "improvement hours the regime lost (trap_starves_learning 1: in the trap, all of it)",
        check=_trap_starves,
        default={"regime": "command", "trap_starves_learning": 1.0},
        counterexample={"regime": "command", "trap_starves_learning": 0.0},
        why_fails="with the coupling off the plan keeps its effort, but the trap still costs "
        "it: the capability the regime lost and the people who did not commit leave the cycle "
        "fragmented, not firefighting",
    ),
    Claim(
        "capstone.worked-design-over-budget",
        ("08",),
        "The lesson's worked design (all three kinds of leader, the commitment regime, the "
        "balanced plan fully integrated) costs more than the budget of 50 points.",
        "calibration",
        assumption="our prices: 50 budget points for all of the effort in research, and as much "
        "for capacity building, beside lesson 05's leader-weeks",
        check=_over_budget,
        default={
            "research": PRICES["research"].default,
            "capacity_building": PRICES["capacity_building"].default,
            "budget": BUDGET,
        },
        counterexample={"research": 35.0, "capacity_building": 35.0, "budget": BUDGET},
        why_fails="at 35 points for all of each activity, the worked design's 20% of research "
        "and 20% of capacity building cost 14 instead of 20, 48.4 in all, and it fits",
    ),
)
