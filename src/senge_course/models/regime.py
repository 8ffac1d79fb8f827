"""Regimes: how an organisation responds to pressure, the inputs of the capability trap.

A `Regime` holds the four levers of a policy (`POLICY_LEVERS`) and the parameters that describe
the organisation, each checked against `REGIME_PARAMETERS` (the apps build their sliders from it);
`SHOCK_PARAMETERS` describes the shock to the target a run applies.  `COMMAND` and `COMMITMENT`
are the two presets (`PRESETS`).  The model is in `senge_course.models.capability`, which exports
all of these too.  Every value is calibrated, not estimated: chosen so that the lessons'
behaviours hold with a margin, not measured in any organisation.

In hours: work harder 4 means a 10% gap demands 16 extra hours a week; work smarter 0.5 means it
moves 2 hours into improvement; the overtime cap 0.125 is 5 hours a week.  Control multiplies the
drains on the climate for improvement, autonomy its recovery.  `pressure_drain` is the strength
of the course's own loop R4 (heavy pressure under control drains the climate; 0 switches it
off), and `attribution` switches on Repenning & Sterman's (2002) attribution loop (managers put a
lasting gap down to low effort, push for work and tighten control; 0, the default, is off).

Examples
--------
>>> COMMAND.control, COMMITMENT.autonomy, preset_name(COMMAND.replace(control=0.4))
(0.8, 0.9, 'custom')
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from .parameters import Parameters, param

__all__ = [
    "COMMAND",
    "COMMITMENT",
    "POLICY_LEVERS",
    "PRESETS",
    "REGIME_PARAMETERS",
    "RENAMED_FIELDS",
    "SHOCK_PARAMETERS",
    "Regime",
    "as_regime",
    "preset_name",
]

#: The four levers of a regime's policy (its other fields describe the organisation).
POLICY_LEVERS = ("work_harder", "work_smarter", "control", "autonomy")

#: Every field of a `Regime`: default, range, control step, label, unit and meaning.
REGIME_PARAMETERS = Parameters(
    work_harder=param(
        1.0, "[0, 10]", 0.25, "Work harder", "extra work per unit of pressure, in normal weeks"
    ),
    work_smarter=param(
        0.0, "[0, 1]", 0.05, "Work smarter", "improvement per unit of pressure, in normal weeks"
    ),
    control=param(0.5, "[0, 1]", 0.05, "Control", "how tightly managers direct and monitor work"),
    autonomy=param(0.5, "(0, 1]", 0.05, "Autonomy", "how much people decide how to do their work"),
    overtime_cap=param(
        0.125, "[0, 0.5]", 0.025, "Overtime cap", "most overtime, as a share of the normal week"
    ),
    improvement_share=param(
        0.2, "(0, 0.5]", 0.025, "Improvement share", "share of the week improving without pressure"
    ),
    improvement_delay=param(
        8.0, "[1, 104]", 1.0, "Improvement delay", "mean time to turn into capability", unit="weeks"
    ),
    erosion_time=param(
        40.0, "[4, 520]", 4.0, "Erosion time", "time constant of capability's erosion", unit="weeks"
    ),
    basic_capability=param(
        0.3, "[0, 1)", 0.05, "Basic capability", "left when nobody improves", unit="output per hour"
    ),
    pressure_time=param(
        4.0, "[0.5, 52]", 0.5, "Pressure time", "time to perceive a performance gap", unit="weeks"
    ),
    pressure_tolerance=param(
        0.025, "(0, 1]", 0.005, "Pressure tolerance", "gap at which R4 drains at half strength"
    ),
    pressure_drain=param(
        1.25,
        "[0, 10]",
        0.05,
        "Pressure drain",
        "strength of R4, pressure's drain on the climate (0: off)",
    ),
    control_drain=param(0.02, "[0, 1]", 0.01, "Control drain", "standing drain on the climate"),
    climate_build_time=param(
        20.0, "[1, 520]", 1.0, "Climate build time", "to rebuild at full autonomy", unit="weeks"
    ),
    climate_loss_time=param(
        5.0, "[0.5, 520]", 0.5, "Climate loss time", "to drain at full control", unit="weeks"
    ),
    climate_threshold=param(
        0.35, "(0, 1)", 0.05, "Climate threshold", "climate at which improvement is half effective"
    ),
    attribution=param(
        0.0,
        "[0, 5]",
        0.25,
        "Attribution",
        "how strongly managers blame a lasting gap on effort (0: off)",
    ),
    attribution_time=param(
        13.0,
        "[1, 104]",
        1.0,
        "Attribution time",
        "for managers' blame to follow the gap",
        unit="weeks",
    ),
)
#: The shock a run applies to the target (`simulate`'s inputs besides the regime); the apps'
#: sliders stop at `control_high`.  A surge lasting None weeks is a change for good.
SHOCK_PARAMETERS = Parameters(
    target_change=param(
        0.0, "[-0.5, 2]", 0.01, "Target change", "fractional change (0.2: +20%)", control_high=1.0
    ),
    surge_start=param(
        20.0, "[0, inf)", 1.0, "Change starts (week)", "week the target changes", control_high=100.0
    ),
    surge_weeks=param(
        8.0, "(0, inf)", 1.0, "Surge lasts (weeks)", "until the target returns", control_high=52.0
    ),
)


@dataclass(frozen=True)
class Regime:
    """How an organisation responds to pressure: the levers of command and commitment.

    The first four fields are the policy (`POLICY_LEVERS`, required); the others describe the
    organisation, with defaults shared by the presets.  Every field is checked against
    `REGIME_PARAMETERS` (a `ValueError` or `TypeError` names it).

    Parameters
    ----------
    {parameters}

    Examples
    --------
    Make a custom regime from a preset; out-of-range values are refused:

    >>> gentler = COMMAND.replace(control=0.4)
    >>> gentler.control, gentler.work_harder
    (0.4, 4.0)
    >>> COMMAND.replace(control=1.5)
    Traceback (most recent call last):
    ...
    ValueError: control must be a number in [0, 1], got control=1.5
    """

    work_harder: float
    work_smarter: float
    control: float
    autonomy: float
    overtime_cap: float = 5 / 40  # 5 of the 40 hours of a normal week
    improvement_share: float = 8 / 40  # 8 hours a week
    improvement_delay: float = 8.0
    erosion_time: float = 40.0
    basic_capability: float = 0.3
    pressure_time: float = 4.0
    pressure_tolerance: float = 0.025
    pressure_drain: float = 1.25
    control_drain: float = 0.02
    climate_build_time: float = 20.0
    climate_loss_time: float = 5.0
    climate_threshold: float = 0.35
    attribution: float = 0.0  # off: the attribution loop is switched off
    attribution_time: float = 13.0

    def __post_init__(self):
        REGIME_PARAMETERS.check_fields(self)

    def replace(self, **changes):
        """Return a copy with some fields changed (checked like a new regime)."""
        return replace(self, **changes)


if Regime.__doc__:  # None under python -OO
    Regime.__doc__ = Regime.__doc__.replace("    {parameters}", REGIME_PARAMETERS.numpydoc())

#: Command and control: tight control, little autonomy, a strong work-harder reflex.
COMMAND = Regime(work_harder=4.0, work_smarter=0.0, control=0.8, autonomy=0.2)
#: Commitment: little control, high autonomy, pressure partly turned into improvement.
COMMITMENT = Regime(work_harder=0.25, work_smarter=0.5, control=0.1, autonomy=0.9)
#: The named regimes, by name.
PRESETS = MappingProxyType({"command": COMMAND, "commitment": COMMITMENT})
#: Fields renamed when the trust stock became the climate for improvement (old -> new).
RENAMED_FIELDS = MappingProxyType(
    {f"trust_{end}": f"climate_{end}" for end in ("build_time", "loss_time", "threshold")}
)


def preset_name(regime):
    """Return the name of the preset `regime` equals (``"command"``, ...), or ``"custom"``.

    >>> preset_name(COMMAND), preset_name(COMMAND.replace(control=0.4))
    ('command', 'custom')
    """
    return next((name for name, preset in PRESETS.items() if regime == preset), "custom")


def as_regime(regime):
    """Return `regime` as a `Regime`: a Regime, a preset's name, or a mapping of fields.

    A mapping changes some fields of `COMMAND` (the policy levers, usually); the old names of
    `RENAMED_FIELDS` (``trust_threshold``, ...) are read as their new ones, so saved designs still
    load; an unknown field, name or type is refused with a message naming it.

    >>> as_regime({"control": 0.3}) == COMMAND.replace(control=0.3)
    True
    >>> as_regime("commitment") is COMMITMENT
    True
    """
    if isinstance(regime, Regime):
        return regime
    if isinstance(regime, str) and regime.strip().lower() in PRESETS:
        return PRESETS[regime.strip().lower()]
    if isinstance(regime, Mapping):
        regime = {RENAMED_FIELDS.get(k, k): v for k, v in regime.items()}
        unknown = sorted(str(k) for k in regime if k not in REGIME_PARAMETERS)
        if unknown:
            raise ValueError(
                f"regime has no field(s) {', '.join(unknown)}; its fields are "
                f"{', '.join(REGIME_PARAMETERS)}"
            )
        return COMMAND.replace(**dict(regime))
    raise (ValueError if isinstance(regime, str) else TypeError)(
        "regime must be a Regime, 'command', 'commitment' or a mapping of regime fields, "
        f"got regime={regime!r}"
    )
