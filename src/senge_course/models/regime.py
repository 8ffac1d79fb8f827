"""Regimes: how an organisation responds to pressure, the inputs of the capability trap.

A `Regime` holds the four levers of a policy (`POLICY_LEVERS`: work harder, work smarter,
control, autonomy) and the parameters that describe the organisation; `REGIME_PARAMETERS` gives
each field's default, range, control step, label, unit and meaning (the model checks against it,
the apps build their sliders from it), and `SHOCK_PARAMETERS` the shock to the target a run
applies.  `COMMAND` and `COMMITMENT` are the two presets (`PRESETS`).  The model itself is in
`senge_course.models.capability`, which exports all of these too.

Examples
--------
>>> COMMAND.control, COMMITMENT.autonomy, preset_name(COMMAND.replace(control=0.4))
(0.8, 0.9, 'custom')
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from .parameters import Parameter, Parameters

__all__ = [
    "COMMAND",
    "COMMITMENT",
    "POLICY_LEVERS",
    "PRESETS",
    "REGIME_PARAMETERS",
    "SHOCK_PARAMETERS",
    "Regime",
    "as_regime",
    "preset_name",
]

#: The four levers of a regime's policy (its other fields describe the organisation).
POLICY_LEVERS = ("work_harder", "work_smarter", "control", "autonomy")

#: Every field of a `Regime`: default, range, control step, label, unit and meaning.  `Regime`
#: checks against it and the apps build their sliders from it.
REGIME_PARAMETERS = Parameters(
    work_harder=Parameter(
        1.0,
        low=0.0,
        high=10.0,
        step=0.25,
        label="Work harder",
        unit="weeks of extra work per unit of pressure",
        description="extra working hours demanded per unit of pressure, as a multiple of "
        "the normal week (4: a 10% gap demands 16 extra hours)",
    ),
    work_smarter=Parameter(
        0.0,
        low=0.0,
        high=1.0,
        step=0.05,
        label="Work smarter",
        unit="share of the week per unit of pressure",
        description="share of the normal week moved into improvement per unit of pressure "
        "(0.5: a 10% gap moves 2 hours into improvement)",
    ),
    control=Parameter(
        0.5,
        low=0.0,
        high=1.0,
        step=0.05,
        label="Control",
        unit="0 to 1",
        description="how tightly managers direct and monitor work; multiplies the drains on trust",
    ),
    autonomy=Parameter(
        0.5,
        low=0.0,
        high=1.0,
        low_open=True,
        step=0.05,
        label="Autonomy",
        unit="0 to 1",
        description="how much people decide how to do their work; multiplies trust's recovery",
    ),
    overtime_cap=Parameter(
        0.125,
        low=0.0,
        high=0.5,
        step=0.025,
        label="Overtime cap",
        unit="share of the normal week",
        description="most overtime people can work (0.125: 5 hours a week)",
    ),
    improvement_share=Parameter(
        0.2,
        low=0.0,
        high=0.5,
        low_open=True,
        step=0.025,
        label="Improvement share",
        unit="share of the normal week",
        description="share of the normal week spent on improvement with no pressure",
    ),
    improvement_delay=Parameter(
        8.0,
        low=1.0,
        high=104.0,
        step=1.0,
        label="Improvement delay",
        unit="weeks",
        description="average time for improvement work to become capability",
    ),
    erosion_time=Parameter(
        40.0,
        low=4.0,
        high=520.0,
        step=4.0,
        label="Erosion time",
        unit="weeks",
        description="time constant of capability's erosion towards basic capability",
    ),
    basic_capability=Parameter(
        0.3,
        low=0.0,
        high=1.0,
        high_open=True,
        step=0.05,
        label="Basic capability",
        unit="output per hour",
        description="capability left when nobody improves the process any more",
    ),
    pressure_time=Parameter(
        4.0,
        low=0.5,
        high=52.0,
        step=0.5,
        label="Pressure time",
        unit="weeks",
        description="time over which people perceive a performance gap",
    ),
    pressure_tolerance=Parameter(
        0.025,
        low=0.0,
        high=1.0,
        low_open=True,
        step=0.005,
        label="Pressure tolerance",
        unit="gap, share of target",
        description="perceived gap at which pressure drains trust at half strength",
    ),
    pressure_drain=Parameter(
        1.25,
        low=0.0,
        high=10.0,
        step=0.05,
        label="Pressure drain",
        unit="per trust_loss_time",
        description="strength of heavy pressure's drain on trust (times control)",
    ),
    control_drain=Parameter(
        0.02,
        low=0.0,
        high=1.0,
        step=0.01,
        label="Control drain",
        unit="per trust_loss_time",
        description="standing drain of control on trust, without pressure (times control)",
    ),
    trust_build_time=Parameter(
        20.0,
        low=1.0,
        high=520.0,
        step=1.0,
        label="Trust build time",
        unit="weeks",
        description="time for full autonomy to rebuild trust",
    ),
    trust_loss_time=Parameter(
        5.0,
        low=0.5,
        high=520.0,
        step=0.5,
        label="Trust loss time",
        unit="weeks",
        description="time for full control under heavy pressure to drain trust",
    ),
    trust_threshold=Parameter(
        0.35,
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
        step=0.05,
        label="Trust threshold",
        unit="0 to 1",
        description="trust at which improvement is about half as effective as with full trust",
    ),
)
#: The shock a run applies to the target (`simulate`'s inputs besides the regime).  The apps'
#: sliders stop at `control_high` (a target doubled, week 100, a surge of a year).
SHOCK_PARAMETERS = Parameters(
    target_change=Parameter(
        0.0,
        low=-0.5,
        high=2.0,
        step=0.01,
        control_high=1.0,
        label="Target change",
        unit="share of target",
        description="fractional change in the performance target (0.2: a 20% rise)",
    ),
    surge_start=Parameter(
        20.0,
        low=0.0,
        step=1.0,
        control_high=100.0,
        label="Change starts (week)",
        unit="weeks",
        description="the week the target changes",
    ),
    surge_weeks=Parameter(
        8.0,
        low=0.0,
        low_open=True,
        step=1.0,
        control_high=52.0,
        label="Surge lasts (weeks)",
        unit="weeks",
        description="how many weeks the changed target lasts before it returns (None: for good)",
    ),
)


@dataclass(frozen=True)
class Regime:
    """How an organisation responds to pressure: the levers of command and commitment.

    The first four fields are the policy (`POLICY_LEVERS`, required); the others describe the
    organisation and have defaults shared by the presets.  Every field is checked against its
    range in `REGIME_PARAMETERS` when the regime is made.

    Parameters
    ----------
    {parameters}

    Raises
    ------
    ValueError
        If a field is not finite or outside its range.
    TypeError
        If a field is not a number.

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
    overtime_cap: float = 0.125
    improvement_share: float = 0.2
    improvement_delay: float = 8.0
    erosion_time: float = 40.0
    basic_capability: float = 0.3
    pressure_time: float = 4.0
    pressure_tolerance: float = 0.025
    pressure_drain: float = 1.25
    control_drain: float = 0.02
    trust_build_time: float = 20.0
    trust_loss_time: float = 5.0
    trust_threshold: float = 0.35

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


def preset_name(regime):
    """Return the name of the preset `regime` equals (``"command"``, ...), or ``"custom"``.

    >>> preset_name(COMMAND), preset_name(COMMAND.replace(control=0.4))
    ('command', 'custom')
    """
    return next((name for name, preset in PRESETS.items() if regime == preset), "custom")


def as_regime(regime):
    """Return `regime` as a `Regime`: a Regime, a preset's name, or a mapping of fields.

    A mapping changes some fields of `COMMAND` (the policy levers, usually); an unknown field,
    name or type is refused with a message naming it.

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
