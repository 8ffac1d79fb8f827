"""Parameter tables: one source for each model input's default, range, step, unit, label and help.

A model's tunable inputs (the leadership levers, a regime of the capability trap, the knowledge
cycle's settings, a crowd or a cascade) are described once, in a `Parameters` table.  The model
validates against it, its docstring lists it, and the widget apps build their controls from it
(`senge_course.views.controls.controls_for`), so a model's range and its slider cannot drift
apart.

>>> LEVERS = Parameters(pilot_teams=param(0, "[0, inf) int", control_high=6),
...                     mentoring=param(0.0, "[0, 1]", 0.1, "Mentoring"))
>>> LEVERS.check({"pilot_teams": 2, "mentoring": 0.5})
{'pilot_teams': 2, 'mentoring': 0.5}
>>> LEVERS.check({"mentoring": 1.5})
Traceback (most recent call last):
...
ValueError: mentoring must be a number in [0, 1], got mentoring=1.5
>>> LEVERS["pilot_teams"].control_range()
(0, 6, 1)
"""

from dataclasses import dataclass, fields
from types import MappingProxyType

from .._validate import check_integer, check_number
from ._arrays import ReadOnlyMapping

__all__ = ["Parameter", "Parameters", "param"]


@dataclass(frozen=True)
class Parameter:
    """One model input: its `default` (used when a run does not set it); the allowed range from
    `low` to `high` (None: unbounded; `low_open`, `high_open`: the bound itself is excluded); the
    `step` of a control (None: a hundredth of its range); whether it is an `integer`; a short
    `label` for a control (``"Pilot teams"``), the `unit` shown to learners (``"weeks"``) and a
    one-sentence `description` (the control's tooltip); `control_high`, the top of a control when
    `high` is None or depends on other inputs (the pilot teams cannot exceed the organisation's
    teams, which the model checks later).

    Examples
    --------
    A time constant must be positive; 0 is refused with a message naming it:

    >>> tau = Parameter(4.0, low=0.0, low_open=True, unit="weeks")
    >>> tau.check("tau", 2)
    2.0
    >>> tau.check("tau", 0)
    Traceback (most recent call last):
    ...
    ValueError: tau must be a number > 0, got tau=0
    """

    default: float
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    step: float | None = None
    integer: bool = False
    label: str = ""
    unit: str = ""
    description: str = ""
    control_high: float | None = None

    def __post_init__(self):
        self.check("default", self.default)

    def check(self, name, value):
        """Return `value` as a float (an int if `integer`), or raise naming `name`, the value and the range."""
        if self.integer:
            return check_integer(name, value, low=self.low, high=self.high)
        ends = {"low_open": self.low_open, "high_open": self.high_open}
        return check_number(name, value, low=self.low, high=self.high, **ends)

    def control_range(self):
        """Return ``(low, high, step)`` for a control: within the range, open bounds stepped in.

        >>> Parameter(0.5, low=0.0, high=1.0, low_open=True, step=0.05).control_range()
        (0.05, 1.0, 0.05)
        """
        low, high = self.low, self.high if self.control_high is None else self.control_high
        if low is None or high is None:
            raise ValueError(
                "a control needs a bounded range: give the parameter low and high (or "
                f"control_high), got low={low!r}, high={high!r}"
            )
        step = self.step if self.step is not None else (1 if self.integer else (high - low) / 100)
        low, high = low + step * self.low_open, high - step * self.high_open  # open ends step in
        if self.integer:
            return int(low), int(high), int(step)
        return float(low), float(high), float(step)

    def describe(self):
        """One line for a docstring or a tooltip: meaning, range and unit.

        >>> print(Parameter(8.0, low=1, high=104, unit="weeks", description="improvement delay").describe())
        improvement delay (1 to 104 weeks; default 8)
        """
        if self.low is not None and self.high is not None:
            span = f"{_fmt(self.low)} to {_fmt(self.high)}"
        elif self.low is not None:
            span = f"at least {_fmt(self.low)}" if not self.low_open else f"above {_fmt(self.low)}"
        else:
            span = "any number"
        unit = f" {self.unit}" if self.unit and not self.unit.startswith(("share", "0 to")) else ""
        return f"{self.description} ({span}{unit}; default {_fmt(self.default)})".strip()


def param(default, span, step=None, label="", description="", *, unit="", control_high=None):
    """Return a `Parameter` from one compact row of a table.

    `span` is the allowed range written as in mathematics: ``"[0, 10]"`` (both ends allowed),
    ``"(0, 1]"`` (0 excluded), ``"[1, inf)"`` (no upper bound); ``" int"`` after it makes the
    parameter a whole number.

    >>> p = param(0.5, "(0, 1]", 0.05, "Autonomy", "how much people decide", unit="0 to 1")
    >>> (p.low, p.high, p.low_open, p.high_open, p.integer, p.label)
    (0.0, 1.0, True, False, False, 'Autonomy')
    >>> param(3, "[1, 10] int").control_range()
    (1, 10, 1)
    """
    text = span.strip()
    integer = text.endswith(" int")
    text = text.removesuffix(" int").strip()
    if text[:1] not in "[(" or text[-1:] not in ")]" or text.count(",") != 1:
        raise ValueError(f'span must look like "[0, 1]", "(0, 1]" or "[1, inf) int", got {span!r}')
    low, high = (_bound(x.strip(), integer) for x in text[1:-1].split(","))
    ends = (text[0] == "(" and low is not None, text[-1] == ")" and high is not None)
    about = (label, unit, description, control_high)
    return Parameter(default, low, high, *ends, step, integer, *about)


def _bound(text, integer):
    """One end of a span: None for "inf", else the number."""
    return None if text.lstrip("+-") == "inf" else (int(text) if integer else float(text))


class Parameters(ReadOnlyMapping, over="_table"):
    """A read-only, ordered table of a model's inputs: name -> `Parameter`, in the order a control
    panel shows them."""

    def __init__(self, **parameters):
        for name, spec in parameters.items():
            if not isinstance(spec, Parameter):
                raise TypeError(f"parameters must be Parameter objects, got {name}={spec!r}")
        self._table = MappingProxyType(dict(parameters))

    def __repr__(self):
        return f"Parameters({', '.join(self._table)})"

    def defaults(self):
        """Return a dict of every input's default."""
        return {name: spec.default for name, spec in self._table.items()}

    def check(self, values):
        """Return the values in `values` (a mapping of some of the inputs) checked, in table order;
        raise TypeError or ValueError naming the input, the value and what is allowed (an unknown
        name is refused too)."""
        unknown = [name for name in values if name not in self._table]
        if unknown:
            allowed = ", ".join(self._table)
            raise ValueError(f"unknown input {unknown[0]!r}: the inputs are {allowed}")
        return {
            name: spec.check(name, values[name]) for name, spec in self.items() if name in values
        }

    def check_fields(self, obj):
        """Check every field of the frozen dataclass `obj` that the table names; store the checked value.

        Call it from ``__post_init__``; fields the table does not name are left alone.
        """
        for name in (f.name for f in fields(obj) if f.name in self._table):
            object.__setattr__(obj, name, self._table[name].check(name, getattr(obj, name)))

    def numpydoc(self, indent=4):
        """Return a numpydoc ``Parameters`` body (one entry per input) for a docstring."""
        pad = " " * indent
        lines = []
        for name, spec in self._table.items():
            kind = "int" if spec.integer else "float"
            lines.append(f"{pad}{name} : {kind}, default {_fmt(spec.default)}")
            lines.append(f"{pad}    {spec.describe()}")
        return "\n".join(lines)


def _fmt(x):
    return f"{x:g}" if isinstance(x, float) else str(x)
