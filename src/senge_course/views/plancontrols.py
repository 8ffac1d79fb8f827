"""What the integration planner and the capstone dashboard share: controls, files, figure speed.

`PlanControls`: linked share sliders, integration, and Save, Load and Export Markdown for the
app's document; `percent_slider`: a share in percent, from its `Parameter`; `fit_top`: an axis
top that moves only when it must; `keep_legends`: legends drawn once, their pixels reused.
"""

import functools
from pathlib import Path

import ipywidgets as widgets
from matplotlib.transforms import Bbox

from .. import files
from ..models import claims
from ..models.knowledge import DECISIONS
from ..models.plan import rebalance, whole_percents
from ._base import quiet
from .assumptions import AssumptionsView
from .controls import control_for

__all__ = ["SHARES", "PlanControls", "button", "fit_top", "keep_legends", "percent_slider"]

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


def button(description, icon, action, tooltip=""):
    """Return a `Button` that calls ``action()`` when clicked."""
    clickable = widgets.Button(description=description, icon=icon, tooltip=tooltip)
    clickable.on_click(lambda _: action())
    return clickable


def fit_top(top, needed):
    """Return an axis top for `needed`: `top` while `needed` fits and fills 40% of it, else a new one.

    >>> fit_top(None, 1.7), fit_top(2.0, 1.7), fit_top(2.0, 0.5)
    (2.0, 2.0, 1.5)
    """
    if top is None or needed > top or needed < 0.4 * top:
        wanted = 1.15 * needed
        return next((nice for nice in _NICE if wanted <= nice), wanted)
    return top


def keep_legends(figure):
    """Draw `figure`'s legends once, then paste their pixels into every later full draw.

    Laying out legends and axis labels costs about half of a full draw: after the first draw
    the legends' pixels are kept and the axis labels stay where they were placed.  The legends
    (above their axes) must not change, nor the axes move (a fixed layout).
    """
    pixels = []

    def paste(event):
        canvas = figure.canvas
        if canvas.is_saving():
            return
        if not pixels:  # the first draw placed everything: keep it
            for ax in figure.axes:
                if (legend := ax.get_legend()) is not None:  # above the axes, not over them
                    x0, y0, x1, y1 = legend.get_window_extent(event.renderer).padded(2).extents
                    pixels.append(
                        canvas.copy_from_bbox(Bbox([[x0, max(y0, ax.bbox.y1 + 1)], [x1, y1]]))
                    )
                    legend.set_animated(True)
            for ax in figure.axes:
                for axis in (ax.xaxis, ax.yaxis):
                    label = axis.label
                    where = label.get_transform().transform(label.get_position())
                    axis.set_label_coords(*ax.transAxes.inverted().transform(where))
        for region in pixels:
            canvas.restore_region(region)

    figure.canvas.mpl_connect("draw_event", paste)


class PlanControls:
    """Linked share sliders (whole percentage points summing to 100:
    `senge_course.models.plan.rebalance`), integration and file buttons, for an app.

    The app sets `DOCUMENT` (its class: `~senge_course.models.plan.Plan` or
    `~senge_course.models.capstone.Design`), keeps the document the controls describe in the
    attribute it names (``.plan``, ``.design``) and defines ``_refresh`` (called after a control
    moves), ``_show_document(document)`` (True if it rounded the shares),
    ``_markdown(**options)`` (the page, and what it is: ``"plan"``) and ``apply(setting)`` (moves
    the app to a claim's setting, for its Assumptions section).
    """

    DOCUMENT = None
    #: The file name suggested when the file name box is empty.
    EXAMPLE_FILE = "my_plan.json"

    def _plan_controls(self, filename, **look):
        """Create ``_shares`` (percent sliders), ``_integration``, ``_filename`` and ``_buttons``."""
        self._busy = self._invalid = False
        names = dict(zip(SHARES, ("research", "capacity_building", "practice"), strict=True))
        self._shares = {a: percent_slider(a, DECISIONS[n], **look) for a, n in names.items()}
        self._integration = control_for("integration", DECISIONS["integration"], **look)
        self._filename = widgets.Text(value=filename, description="File:")
        self._buttons = {
            "save": button("Save", "save", self.save),
            "load": button("Load", "folder-open", self.load),
            "export": button("Export Markdown", "file-text", self.export_markdown),
        }
        for slider in self._shares.values():
            slider.observe(self._on_share, names="value")

    #: What "Back to the lesson's setting" applies (None: every claim's default, merged).
    HOME = None

    def _assumptions_section(self, *controls):
        """Make `assumptions`, the claims the app shows (`AssumptionsView`, moved by `apply`), and
        return it folded under the title "Assumptions", after the calibrated `controls`."""
        self.assumptions = AssumptionsView(
            claims.for_app(type(self).__name__), apply=self.apply, home=self.HOME
        )
        note = (
            '<p style="color:#1a1a1a;margin:2px 0">The models are <b>calibrated, not '
            "estimated</b>: their constants were chosen to show the lessons' behaviours.</p>"
        )
        body = widgets.VBox([widgets.HTML(note), *controls, self.assumptions])
        return widgets.Accordion([body], titles=("Assumptions",), selected_index=None)

    def allocation(self):
        """The shares the sliders show, as ``(research, capacity building, practice)``."""
        return tuple(self._shares[a].value / 100 for a in SHARES)

    @guarded_files
    def save(self, path=None):
        """Save the document as JSON to `path` (default: the file name box); return the path.

        Save, Load and Export read and write only inside the course's working folder (where
        the kernel started; `senge_course.files.working_folder`): a path outside it, through
        ``..`` or a symbolic link included, is refused with a message and nothing is written.
        """
        path, document = self._path(path, "save"), getattr(self, self.DOCUMENT.WHAT)
        document.save(path)
        self.show_message(f"saved the {document.WHAT} to {path}")
        return path

    @guarded_files
    def load(self, path=None):
        """Load a document from `path` (default: the file name box) and show it; return it."""
        path = self._path(path, "load")
        document = self.DOCUMENT.load(path)
        rounded = self._show_document(document)
        note = " (its shares were rounded to whole percentage points)" if rounded else ""
        self.show_message(f"loaded the {document.WHAT} from {path}{note}")
        return document

    @guarded_files
    def export_markdown(self, path=None, **options):
        """Write one page of Markdown (default: the file name with ``.md``); return the path."""
        path = self._path(path, "export", suffix=".md" if path is None else None)
        text, what = self._markdown(**options)
        files.write_text(path, text, what=f"the Markdown {what}")
        self.show_message(f"exported the {what} as Markdown to {path}")
        return path

    def _rebuild(self, build, keeps):
        """Return `build()`; if a control is invalid, say so (the document `keeps` its last
        valid version) and return None."""
        try:
            document = build()
        except (ValueError, TypeError) as exc:
            self._invalid = True
            self.show_message(f"{exc} ({keeps})", kind="error")
            return None
        if self._invalid:
            self._invalid = False
            self.show_message("")
        return document

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

    def _path(self, path, action, *, suffix=None):
        """`path` (default: the file name box, with `suffix`), if it is inside the course's
        working folder (`senge_course.files.check_inside`: the rule of every app's files)."""
        if path is None:
            path = self._filename.value.strip()
            if not path:
                raise ValueError(f"type a file name first (for example {self.EXAMPLE_FILE})")
            path = Path(path).with_suffix(suffix) if suffix else Path(path)
        return files.check_inside(path, action=action, what=f"the {self.DOCUMENT.WHAT}")
