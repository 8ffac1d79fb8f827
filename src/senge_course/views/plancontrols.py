"""Controls the integration planner and the capstone dashboard share.

Three linked share sliders (research, capacity building and practice, in whole percentage points
that always sum to 100: `senge_course.models.plan.rebalance`), an integration slider, and Save,
Load and Export Markdown buttons with a file name box; plus `percent_slider` (a share shown in
percent, built from its `Parameter`) and `fit_top` (an axis top that moves only when it must).
"""

import functools
from pathlib import Path

import ipywidgets as widgets

from ..models.knowledge import DECISIONS
from ..models.plan import rebalance, whole_percents
from ._base import quiet
from .controls import control_for

__all__ = ["SHARES", "PlanControls", "fit_top", "guarded_files", "percent_slider"]

#: The three activities, as the share controls are named.
SHARES = ("research", "capacity building", "practice")
# axis tops: 1.5, 2, 2.5, ..., 8, 10, 12, 15, 20, ..., 1200
_NICE = tuple(m * 10.0**e for e in range(3) for m in (1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12))


def guarded_files(method):
    """Like `senge_course.views._base.guarded`, for file errors (no such folder, ...) too."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (ValueError, TypeError, OSError) as exc:
            self.show_message(str(exc), kind="error")
            return None

    return wrapper


def percent_slider(name, parameter, *, value=None, width="21.5em", description_width="8.6em"):
    """Return an `IntSlider` in percent for a share `parameter` (its range and step times 100)."""
    low, high, step = parameter.control_range()
    value = parameter.default if value is None else value
    return widgets.IntSlider(
        value=round(100 * min(max(value, low), high)),
        min=round(100 * low),
        max=round(100 * high),
        step=max(1, round(100 * step)),
        description=f"{parameter.label or name} (%):",
        tooltip=parameter.describe(),
        continuous_update=False,
        style={"description_width": description_width},
        layout=widgets.Layout(width=width),
    )


def fit_top(top, needed):
    """Return an axis top for `needed`: `top` while `needed` fits and fills 40% of it, else a new one.

    >>> fit_top(None, 1.7), fit_top(2.0, 1.7), fit_top(2.0, 0.5)
    (2.0, 2.0, 1.5)
    """
    if top is None or needed > top or needed < 0.4 * top:
        wanted = 1.15 * needed
        return next((nice for nice in _NICE if wanted <= nice), wanted)
    return top


class PlanControls:
    """Linked share sliders, integration and file buttons, for an app with ``save``, ``load``,
    ``export_markdown`` and ``_refresh`` (called after a control moves)."""

    #: The file name suggested when the file name box is empty.
    EXAMPLE_FILE = "my_plan.json"

    def _plan_controls(self, filename, **look):
        """Create ``_shares`` (percent sliders), ``_integration``, ``_filename`` and ``_buttons``."""
        self._busy = False
        names = dict(zip(SHARES, ("research", "capacity_building", "practice"), strict=True))
        self._shares = {a: percent_slider(a, DECISIONS[n], **look) for a, n in names.items()}
        self._integration = control_for("integration", DECISIONS["integration"], **look)
        self._filename = widgets.Text(value=filename, description="File:")
        self._buttons = {
            "save": widgets.Button(description="Save", icon="save"),
            "load": widgets.Button(description="Load", icon="folder-open"),
            "export": widgets.Button(description="Export Markdown", icon="file-text"),
        }
        for name, button in self._buttons.items():
            action = {"save": self.save, "load": self.load, "export": self.export_markdown}[name]
            button.on_click(lambda _, action=action: action())
        for slider in self._shares.values():
            slider.observe(self._on_share, names="value")

    def allocation(self):
        """The shares the sliders show, as ``(research, capacity building, practice)``."""
        return tuple(self._shares[a].value / 100 for a in SHARES)

    def _show_shares(self, allocation):
        """Set the sliders to `allocation` in whole percentage points; True if that rounded it."""
        percents = whole_percents(allocation)
        self._show_percents(dict(zip(SHARES, percents, strict=True)))
        return any(abs(p / 100 - a) > 1e-9 for p, a in zip(percents, allocation, strict=True))

    def _show_percents(self, percents):
        for activity, value in percents.items():
            self._shares[activity].value = value

    def _on_share(self, change):
        if self._busy:
            return
        moved = next(a for a, s in self._shares.items() if s is change["owner"])
        with quiet(self):
            self._show_percents(rebalance(moved, {a: s.value for a, s in self._shares.items()}))
        self._refresh()

    def _path(self, path):
        if path is None:
            path = self._filename.value.strip()
            if not path:
                raise ValueError(f"type a file name first (for example {self.EXAMPLE_FILE})")
        return Path(path)
