"""Controls built from a model's parameter table, so a slider and its model cannot drift apart.

`controls_for(table)` returns one slider per input of a `senge_course.models.parameters.Parameters`
table: an `IntSlider` for whole numbers, a `FloatSlider` otherwise, with the input's range and step,
its label as the description and its meaning, range and unit as the tooltip.  Sliders update on
release (``continuous_update=False``): a model run per drag position would make an app lag.

Examples
--------
>>> from senge_course.models.leadership import LEVERS
>>> controls = controls_for(LEVERS, ["pilot_teams", "mentoring"])
>>> controls["mentoring"].description, controls["mentoring"].max
('Mentoring:', 1.0)
"""

import ipywidgets as widgets

__all__ = ["control_for", "controls_for"]


def control_for(name, parameter, *, value=None, width="21.5em", description_width="8.6em"):
    """Return a slider for one input (`parameter`, a `Parameter`) named `name`, set to `value`."""
    low, high, step = parameter.control_range()
    value = parameter.default if value is None else value
    kind = widgets.IntSlider if parameter.integer else widgets.FloatSlider
    extra = {} if parameter.integer else {"readout_format": _readout(step)}
    return kind(
        value=min(max(value, low), high),
        min=low,
        max=high,
        step=step,
        description=f"{parameter.label or name}:",
        tooltip=parameter.describe(),
        continuous_update=False,
        style={"description_width": description_width},
        layout=widgets.Layout(width=width),
        **extra,
    )


def controls_for(parameters, names=None, *, values=None, **look):
    """Return ``{name: slider}`` for the inputs `names` of a `Parameters` table (default: all).

    `values` (a mapping) sets starting values other than the defaults; `look` is passed to
    `control_for` (``width``, ``description_width``).
    """
    values = values or {}
    names = list(parameters) if names is None else list(names)
    return {n: control_for(n, parameters[n], value=values.get(n), **look) for n in names}


def _readout(step):
    digits = 0
    while digits < 4 and abs(round(step * 10**digits) - step * 10**digits) > 1e-9:
        digits += 1
    return f".{max(digits, 1)}f"
