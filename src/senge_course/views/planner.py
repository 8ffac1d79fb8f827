"""IntegrationPlanner: design a plan that integrates research, capacity building and practice.

The learner divides the organisation's effort between research, capacity
building and practice (three linked sliders that always sum to 100%), sets how
tightly the three communities are coupled, the planning horizon and any
consultants, and adds concrete initiatives, each led by one of Senge's three
kinds of leader.  The app projects the plan with the knowledge-cycle model
(:mod:`senge_course.models.knowledge`) against an all-practice baseline, diagnoses it,
and saves, loads and exports it (:class:`senge_course.models.plan.Plan`).

Examples
--------
The planner opens on a balanced but fragmented plan (research 20%, capacity
building 20%, practice 60%, integration 0.25).  Couple the three communities
and the diagnosis changes:

>>> app = IntegrationPlanner()
>>> app.diagnosis.mode
'fragmented'
>>> app.controls["integration"].value = 1.0
>>> app.diagnosis.mode, round(app.result.total, 1)
('integrated', 59.9)

More capacity building comes out of practice:

>>> app.controls["capacity building"].value = 25
>>> [app.controls[a].value for a in ("research", "capacity building", "practice")]
[20, 25, 55]
"""

import functools
import html
from pathlib import Path

import ipywidgets as widgets
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, MultipleLocator

from ..models.knowledge import MAX_SPEND, Consultants, diagnose, simulate
from ..models.plan import INITIATIVES, LEADERS, MAX_HORIZON, Plan, PlannedInitiative
from ..style import OKABE_ITO, ROLE_STYLE
from ._base import App, guarded
from ._blit import BlitFigureView
from .figures import style_axes

__all__ = ["ACTIVITY_STYLE", "IntegrationPlanner", "rebalance"]

#: Colour, hatch and short label for each activity (the hatch is the second channel).
ACTIVITY_STYLE = {
    "research": {"color": OKABE_ITO["blue"], "tint": "#80B8D8", "hatch": "", "label": "research"},
    "capacity building": {
        "color": OKABE_ITO["green"],
        "tint": "#80CEB9",
        "hatch": "//",
        "label": "capacity building",
    },
    "practice": {
        "color": OKABE_ITO["orange"],
        "tint": "#F2CF80",
        "hatch": "..",
        "label": "practice",
    },
}
_LEADER_STYLE = {
    "local line leader": ROLE_STYLE["line_leader"],
    "executive leader": ROLE_STYLE["executive"],
    "internal networker": ROLE_STYLE["networker"],
}
_SHARES = ("research", "capacity building", "practice")
_NICE = (
    1.5,
    2.0,
    2.5,
    3.0,
    4.0,
    5.0,
    6.0,
    8.0,
    10.0,
    12.0,
    15.0,
    20.0,
    25.0,
    30.0,
    40.0,
    50.0,
    60.0,
    80.0,
    100.0,
    120.0,
    150.0,
    200.0,
    250.0,
    300.0,
    400.0,
    500.0,
)
_ERRORS = (ValueError, TypeError, OSError)


def _guarded_files(method):
    """Like `guarded`, but file errors (OSError: no such folder, no permission) too."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _ERRORS as exc:
            self.show_message(str(exc), kind="error")
            return None

    return wrapper


class _PlanControls:
    """Controls the planner and the capstone dashboard share: linked shares and file buttons.

    The app sets ``_syncing``, ``_shares`` (a slider per activity), ``_filename``
    and ``_refresh``, and has ``save``, ``load`` and ``export_markdown``.
    """

    #: The file name `_path` suggests when the file name box is empty.
    _EXAMPLE_FILE = "my_plan.json"

    def _file_buttons(self):
        """Create the Save, Load and Export Markdown buttons, wired to the app's methods."""
        self._save = widgets.Button(description="Save", icon="save")
        self._load = widgets.Button(description="Load", icon="folder-open")
        self._export = widgets.Button(description="Export Markdown", icon="file-text")
        self._save.on_click(lambda _: self.save())
        self._load.on_click(lambda _: self.load())
        self._export.on_click(lambda _: self.export_markdown())

    def _on_share(self, change):
        if self._syncing:
            return
        moved = next(a for a, s in self._shares.items() if s is change["owner"])
        values = rebalance(moved, {a: s.value for a, s in self._shares.items()})
        self._syncing = True
        try:
            for activity, value in values.items():
                self._shares[activity].value = value
        finally:
            self._syncing = False
        self._refresh()

    def _path(self, path):
        if path is None:
            path = self._filename.value.strip()
            if not path:
                raise ValueError(f"type a file name first (for example {self._EXAMPLE_FILE})")
        return Path(path)


class IntegrationPlanner(_PlanControls, App):
    """Plan a community of leaders and learners and see its projection and diagnosis.

    Controls (also in ``.controls``): three linked sliders for the shares of
    effort that always sum to 100% (see :func:`rebalance`: research and capacity
    building come out of practice; moving practice shares the rest between the
    other two in proportion); integration; horizon in years; consultants (a toggle, the
    capability rented, and the quarters they are hired and stop); initiatives
    (pick one, choose its start quarter, add; select one in the list, remove);
    the plan's name; a file name with Save, Load and Export Markdown.

    The figure shows results per quarter and cumulative results against an
    all-practice baseline (the firm as it is: 1 a quarter), and the
    initiatives as a timeline, coloured and hatched by activity and marked by
    the kind of leader.

    Attributes
    ----------
    result : senge_course.models.knowledge.KnowledgeRun
        The latest projection.
    plan : senge_course.models.plan.Plan
        The plan the controls describe (the last valid one, if a control is invalid).
    diagnosis : senge_course.models.knowledge.Diagnosis
        The latest diagnosis.
    simulations : int
        How many times the model has run: only a change to a model input
        (shares, integration, horizon, consultants) reruns it.

    Parameters
    ----------
    plan : Plan, optional
        The plan to start from (default: all practice, "My plan").  Shares are
        kept in whole percentage points.
    filename : str, optional
        The file Save and Load use (default ``"my_plan.json"``); Export writes
        the same name with ``.md``.

    Examples
    --------
    Moving practice to 100% leaves nothing for the others; the planner keeps
    the sum at 100 whatever moves:

    >>> app = IntegrationPlanner()
    >>> app.controls["practice"].value = 100
    >>> app.result.allocation, app.diagnosis.mode
    ((0.0, 0.0, 1.0), 'firefighting')
    """

    def __init__(self, plan=None, *, filename="my_plan.json"):
        if plan is None:
            plan = Plan("My plan", allocation=(0.2, 0.2, 0.6), integration=0.25)
        if not isinstance(plan, Plan):
            raise TypeError(f"plan must be a Plan or None, got {type(plan).__name__}")
        self._syncing = False
        self._plan_error = False
        self._key = None
        self.simulations = 0
        self.diagnosis = None
        self.plan = None
        self._initiatives = []
        self._ylimits = None
        wide = {"description_width": "11em"}
        full = widgets.Layout(width="98%")

        self._name = widgets.Text(description="Plan name:", style=wide, layout=full)
        self._shares = {
            activity: widgets.IntSlider(
                min=0,
                max=100,
                step=1,
                description=f"{activity.capitalize()} %:",
                continuous_update=False,
                style=wide,
                layout=full,
            )
            for activity in _SHARES
        }
        self._integration = widgets.FloatSlider(
            min=0.0,
            max=1.0,
            step=0.05,
            description="Integration (0-1):",
            readout_format=".2f",
            continuous_update=False,
            style=wide,
            layout=full,
            tooltip="How tightly research, capacity building and practice are coupled",
        )
        self._horizon = widgets.IntSlider(
            min=1,
            max=MAX_HORIZON,
            description="Horizon (years):",
            continuous_update=False,
            style=wide,
            layout=full,
        )
        self._hire = widgets.Checkbox(description="Hire consultants", indent=False)
        self._spend = widgets.FloatSlider(
            value=0.5,
            min=0.1,
            max=MAX_SPEND,
            step=0.1,
            description="Capability rented:",
            readout_format=".1f",
            continuous_update=False,
            style=wide,
            layout=full,
            tooltip="Consultants' capability, as a multiple of the firm's own (1 = as much again)",
        )
        self._hire_at = widgets.IntSlider(
            min=0,
            max=39,
            description="Hired after quarter:",
            continuous_update=False,
            style=wide,
            layout=full,
        )
        self._stop_at = widgets.IntSlider(
            value=8,
            min=1,
            max=40,
            description="Stop paying after quarter:",
            continuous_update=False,
            style=wide,
            layout=full,
        )
        self._pick = widgets.Dropdown(
            options=[
                (f"{i.name} ({i.activity}; {i.leader}; {i.effort} points)", i.key)
                for i in INITIATIVES.values()
            ],
            description="Initiative:",
            style=wide,
            layout=full,
        )
        self._pick_start = widgets.BoundedIntText(
            value=1, min=1, max=40, description="Starts in quarter:", style=wide
        )
        self._add = widgets.Button(description="Add initiative", icon="plus")
        self._list = widgets.Select(
            options=[], rows=6, description="In the plan:", style=wide, layout=full
        )
        self._remove = widgets.Button(description="Remove selected", icon="minus")
        self._match = widgets.Button(
            description="Shares from initiatives",
            tooltip="Set research and capacity building to the initiatives' points; practice "
            "gets the rest",
        )
        self._effort = widgets.HTML()
        self._filename = widgets.Text(
            value=filename, description="File:", style=wide, layout=widgets.Layout(width="60%")
        )
        self._file_buttons()
        self.controls = {
            "name": self._name,
            **self._shares,
            "integration": self._integration,
            "horizon": self._horizon,
            "consultants": self._hire,
            "spend": self._spend,
            "hire at": self._hire_at,
            "stop at": self._stop_at,
            "initiative": self._pick,
            "initiative start": self._pick_start,
            "add": self._add,
            "initiatives": self._list,
            "remove": self._remove,
            "match": self._match,
            "filename": self._filename,
            "save": self._save,
            "load": self._load,
            "export": self._export,
        }

        self.figure_view = BlitFigureView(width=8.4, height=6.4)
        self._build_figure()
        self._diagnosis = widgets.HTML(layout=widgets.Layout(max_width="52em"))
        heading = widgets.HTML
        controls = widgets.VBox(
            [
                self._name,
                heading("<b>Effort</b> (always sums to 100%)"),
                *self._shares.values(),
                self._integration,
                self._horizon,
                heading("<b>Consultants</b>"),
                self._hire,
                self._spend,
                self._hire_at,
                self._stop_at,
                heading("<b>Initiatives</b>"),
                self._pick,
                widgets.HBox([self._pick_start, self._add]),
                self._list,
                widgets.HBox([self._remove, self._match]),
                self._effort,
            ],
            layout=widgets.Layout(width="30em", min_width="24em"),
        )
        views = widgets.VBox([self.figure_view, self._diagnosis])
        files = widgets.HBox([self._filename, self._save, self._load, self._export])
        super().__init__(
            [widgets.HBox([controls, views], layout=widgets.Layout(flex_flow="row wrap")), files]
        )
        self.add_class("senge-integration-planner")

        for slider in self._shares.values():
            slider.observe(self._on_share, names="value")
        for control in (self._integration, self._horizon, self._hire, self._spend):
            control.observe(self._on_model, names="value")
        self._hire_at.observe(self._on_hire_at, names="value")
        self._stop_at.observe(self._on_stop_at, names="value")
        self._name.observe(self._on_name, names="value")
        self._add.on_click(lambda _: self.add_initiative(self._pick.value, self._pick_start.value))
        self._remove.on_click(lambda _: self.remove_initiative())
        self._match.on_click(lambda _: self.match_initiatives())
        self.set_plan(plan)

    # ----------------------------------------------------------------- public

    @guarded
    def set_plan(self, plan):
        """Show `plan` in the controls (shares rounded to whole percentage points)."""
        if not isinstance(plan, Plan):
            raise TypeError(f"plan must be a Plan, got {type(plan).__name__}")
        percents = _whole_percents(plan.allocation)
        self._syncing = True
        try:
            self._name.value = plan.name
            for activity, value in zip(_SHARES, percents, strict=True):
                self._shares[activity].value = value
            self._integration.value = plan.integration
            self._initiatives = []  # replaced below: nothing to drop for the new horizon
            self._horizon.value = plan.horizon
            self._fit_quarters()
            k = plan.consultants
            self._hire.value = k is not None
            if k is not None:
                self._spend.value = max(k.spend, self._spend.min)
                self._hire_at.value = k.start
                self._stop_at.value = self._stop_at.max if k.stop_at is None else k.stop_at
            self._initiatives = list(plan.initiatives)
        finally:
            self._syncing = False
        self._show_initiatives()
        self._draw_timeline(render=False)
        self._refresh()
        rounded = tuple(v / 100 for v in percents)
        if any(abs(a - b) > 1e-9 for a, b in zip(rounded, plan.allocation, strict=True)):
            self.show_message("the shares were rounded to whole percentage points")
            return True
        return False

    @guarded
    def add_initiative(self, key, start=1):
        """Add an initiative from the catalogue, starting in quarter `start`."""
        item = PlannedInitiative(key, start)
        if item.start > 4 * self._horizon.value:
            raise ValueError(
                f"{item.initiative.name} would start in quarter {item.start}, after the horizon "
                f"ends (quarter {4 * self._horizon.value})"
            )
        self._initiatives.append(item)
        self._show_initiatives()
        self._update_plan()
        self._draw_timeline()
        self.show_message(f"added {item.initiative.name}, from quarter {item.start}")

    @guarded
    def remove_initiative(self, index=None):
        """Remove the initiative at `index` in the list (default: the one selected)."""
        if index is None:
            index = self._list.value
        if index is None or not self._initiatives:
            raise ValueError("select an initiative in the list first, then remove it")
        if not isinstance(index, int) or not 0 <= index < len(self._initiatives):
            raise ValueError(
                f"index must be a whole number from 0 to {len(self._initiatives) - 1}, "
                f"got index={index!r}"
            )
        item = self._initiatives.pop(index)
        self._show_initiatives()
        self._update_plan()
        self._draw_timeline()
        self.show_message(f"removed {item.initiative.name}")

    @guarded
    def match_initiatives(self):
        """Set the shares to the initiatives' points (research, capacity building; practice the rest)."""
        effort = self.plan.initiative_effort() if self.plan else {}
        research, capacity = effort.get("research", 0), effort.get("capacity building", 0)
        if research + capacity > 100:
            raise ValueError(
                f"the initiatives take {research + capacity} points of research and capacity "
                "building, more than 100"
            )
        self._syncing = True
        try:
            self._shares["research"].value = research
            self._shares["capacity building"].value = capacity
            self._shares["practice"].value = 100 - research - capacity
        finally:
            self._syncing = False
        self._refresh()

    @_guarded_files
    def save(self, path=None):
        """Save the plan as JSON to `path` (default: the file name box); return the path."""
        path = self._path(path)
        self.plan.save(path)
        self.show_message(f"saved the plan to {path}")
        return path

    @_guarded_files
    def load(self, path=None):
        """Load a plan from `path` (default: the file name box) and show it; return the plan."""
        path = self._path(path)
        plan = Plan.load(path)
        rounded = self.set_plan(plan)
        note = " (its shares were rounded to whole percentage points)" if rounded else ""
        self.show_message(f"loaded the plan from {path}{note}")
        return plan

    @_guarded_files
    def export_markdown(self, path=None):
        """Write the plan as one page of Markdown (default: the file name with ``.md``); return it."""
        path = self._path(path).with_suffix(".md") if path is None else Path(path)
        self.plan.export_markdown(path)
        self.show_message(f"exported the plan as Markdown to {path}")
        return path

    # ----------------------------------------------------------------- callbacks

    def _on_model(self, change=None):
        if self._syncing:
            return
        if change is not None and change["owner"] is self._horizon:
            self._fit_quarters()
        self._refresh()

    def _on_hire_at(self, change):
        if self._syncing:
            return
        if self._stop_at.value <= self._hire_at.value:
            self._syncing = True
            try:
                self._stop_at.value = self._hire_at.value + 1
            finally:
                self._syncing = False
        self._refresh()

    def _on_stop_at(self, change):
        if self._syncing:
            return
        if self._hire_at.value >= self._stop_at.value:
            self._syncing = True
            try:
                self._hire_at.value = self._stop_at.value - 1
            finally:
                self._syncing = False
        self._refresh()

    def _on_name(self, change):
        if not self._syncing:
            self._update_plan()

    def _update_plan(self):
        """Rebuild `.plan` from the controls (no simulation); keep the last valid one on error."""
        try:
            plan = Plan(
                self._name.value,
                allocation=self._allocation(),
                integration=self._integration.value,
                horizon=self._horizon.value,
                consultants=self._consultants(),
                initiatives=self._initiatives,
            )
        except (ValueError, TypeError) as exc:
            self._plan_error = True
            self.show_message(f"{exc} (the plan keeps its last valid version)", kind="error")
            return
        self.plan = plan
        if self._plan_error:
            self._plan_error = False
            self.show_message("")
        self._show_effort()

    @guarded
    def _refresh(self):
        """Rerun the model if a model input changed, then redraw the projection."""
        if self._syncing:
            return
        allocation = self._allocation()
        key = (allocation, self._integration.value, self._horizon.value, self._consultants())
        self._update_plan()
        if key == self._key:
            return
        run = simulate(allocation, key[1], periods=4 * key[2], consultants=key[3])
        self.diagnosis = diagnose(allocation, key[1], consultants=key[3])
        self.simulations += 1
        self.result = run
        self._key = key
        for control in (self._spend, self._hire_at, self._stop_at):
            control.disabled = not self._hire.value
        self._diagnosis.value = _diagnosis_html(self.diagnosis)
        self._draw_projection()

    # ----------------------------------------------------------------- helpers

    def _allocation(self):
        return tuple(self._shares[a].value / 100 for a in _SHARES)

    def _consultants(self):
        if not self._hire.value:
            return None
        stop = self._stop_at.value
        return Consultants(
            round(self._spend.value, 6),
            start=self._hire_at.value,
            stop_at=None if stop >= 4 * self._horizon.value else stop,
        )

    def _fit_quarters(self):
        """Keep the quarter controls within the horizon."""
        periods = 4 * self._horizon.value
        was = self._syncing
        self._syncing = True
        try:
            at_end = self._stop_at.value >= self._stop_at.max
            self._stop_at.max = periods
            if at_end:
                self._stop_at.value = periods
            self._hire_at.max = periods - 1
            self._pick_start.max = periods
        finally:
            self._syncing = was
        kept = [i for i in self._initiatives if i.start <= periods]
        if len(kept) < len(self._initiatives):
            dropped = [i.initiative.name for i in self._initiatives if i.start > periods]
            self._initiatives = kept
            self._show_initiatives()
            self._draw_timeline(render=False)
            self.show_message(
                f"removed {', '.join(dropped)}: they started after the new horizon "
                f"(quarter {periods})"
            )

    def _show_initiatives(self):
        self._list.options = [
            (
                f"{n + 1}. {i.initiative.name} \u2014 {i.initiative.activity}, "
                f"{i.initiative.leader}, from quarter {i.start}",
                n,
            )
            for n, i in enumerate(self._initiatives)
        ]
        self._list.value = None

    def _show_effort(self):
        effort = self.plan.initiative_effort()
        self._effort.value = (
            '<div style="color:#1a1a1a">Initiatives take research '
            f"<b>{effort['research']}</b> and capacity building "
            f"<b>{effort['capacity building']}</b> points (your shares: "
            f"{self._shares['research'].value} and {self._shares['capacity building'].value}).</div>"
        )

    # ----------------------------------------------------------------- drawing

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)  # fixed margins: a full redraw costs half as much
        self._ax_results, self._ax_total, self._ax_timeline = fig.subplots(
            3, 1, height_ratios=(3, 2, 2.2), sharex=True
        )
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.07, top=0.95, hspace=0.32)
        ax = self._ax_results
        style_axes(ax, title="Results per quarter")
        ax.yaxis.set_major_locator(MaxNLocator(5))
        (self._base_line,) = ax.plot(
            [],
            [],
            color=OKABE_ITO["vermillion"],
            linestyle="--",
            linewidth=1.5,
            label="all practice (today's results)",
        )
        (self._plan_line,) = ax.plot(
            [],
            [],
            color=OKABE_ITO["blue"],
            linestyle="-",
            linewidth=2.2,
            marker="o",
            markersize=3,
            label="your plan",
        )
        self._paid = Rectangle(
            (0, 0),
            0,
            1,
            transform=ax.get_xaxis_transform(),
            facecolor=OKABE_ITO["grey"],
            alpha=0.25,
            hatch="xx",
            edgecolor=OKABE_ITO["grey"],
            linewidth=0,
        )
        ax.add_patch(self._paid)
        self._paid_text = ax.text(
            0,
            0.96,
            "consultants paid",
            transform=ax.get_xaxis_transform(),
            fontsize=8,
            va="top",
            ha="left",
            color="#1a1a1a",
        )
        (self._even_mark,) = ax.plot(
            [],
            [],
            linestyle="none",
            marker="*",
            markersize=12,
            color=OKABE_ITO["green"],
            markeredgecolor="black",
            label="back above today's",
        )
        ax.legend(
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=8,
            frameon=False,
            ncol=3,
            borderaxespad=0.2,
        )
        ax = self._ax_total
        style_axes(ax, title="Cumulative results")
        ax.yaxis.set_major_locator(MaxNLocator(4))
        (self._base_total,) = ax.plot(
            [], [], color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.5
        )
        (self._plan_total,) = ax.plot([], [], color=OKABE_ITO["blue"], linestyle="-", linewidth=2.2)
        ax = self._ax_timeline
        style_axes(ax, title="Initiatives", xlabel="quarter", grid=False)
        handles = [
            Rectangle(
                (0, 0),
                1,
                1,
                facecolor=look["tint"],
                hatch=look["hatch"],
                edgecolor="#333333",
                linewidth=0.5,
                label=look["label"],
            )
            for look in ACTIVITY_STYLE.values()
        ] + [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=look["marker"],
                color=look["color"],
                markeredgecolor="black",
                label=kind,
            )
            for kind, look in _LEADER_STYLE.items()
        ]
        ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=7,
            frameon=False,
            ncol=6,
            borderaxespad=0.2,
            handlelength=1.2,
            columnspacing=0.8,
        )
        self.figure_view.animate(
            self._plan_line, self._paid, self._paid_text, self._even_mark, self._plan_total
        )
        self._timeline_artists = []

    def _draw_projection(self):
        run = self.result
        periods = run.periods
        x = [0, *run.quarter.tolist()]
        self._plan_line.set_data(x, [run.baseline, *run.results.tolist()])
        self._plan_total.set_data(x, [0.0, *run.cumulative.tolist()])
        k = run.consultants
        self._paid.set_visible(k is not None)
        self._paid_text.set_visible(k is not None)
        if k is not None:
            stop = periods if k.stop_at is None else min(k.stop_at, periods)
            self._paid.set_x(k.start)
            self._paid.set_width(stop - k.start)
            self._paid_text.set_x(k.start + 0.3)
        even = run.break_even_quarter
        dipped = bool((run.results < run.baseline * (1 - 1e-9)).any())
        if even is not None and dipped:
            self._even_mark.set_data([even], [run.results[even - 1]])
        else:
            self._even_mark.set_data([], [])
        # y limits move only when the curves leave them or shrink far below them, so that
        # most control changes redraw the curves alone (a full redraw costs most of 100 ms)
        was = self._ylimits if self._ylimits and self._ylimits[0] == periods else (None,) * 3
        top = _fit(was[1], max(1.0, float(run.results.max())))
        top_total = _fit(was[2], max(run.total, run.baseline_total))
        limits = (periods, top, top_total)
        if limits != self._ylimits:
            self._ylimits = limits
            for ax in (self._ax_results, self._ax_total, self._ax_timeline):
                ax.set_xlim(0, periods)
            self._ax_timeline.xaxis.set_major_locator(MultipleLocator(_quarter_step(periods)))
            self._ax_results.set_ylim(0, top)
            self._ax_total.set_ylim(0, top_total)
            self._base_line.set_data([0, periods], [run.baseline, run.baseline])
            self._base_total.set_data([0, periods], [0, run.baseline_total])
            self._draw_timeline(render=False)
            self.figure_view.invalidate(key=limits)
        self.figure_view.render(self._summary())

    def _draw_timeline(self, render=True):
        ax = self._ax_timeline
        for artist in self._timeline_artists:
            artist.remove()
        self._timeline_artists = []
        periods = 4 * self._horizon.value
        items = self._initiatives
        rows = max(len(items), 1)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_yticks([])
        if not items:
            self._timeline_artists.append(
                ax.text(
                    0.5,
                    0.5,
                    "No initiatives yet: add some from the catalogue.",
                    transform=ax.transAxes,
                    ha="center",
                    va="center",
                    fontsize=9,
                )
            )
        small = len(items) > 8
        for row, item in enumerate(items):
            i = item.initiative
            look = ACTIVITY_STYLE[i.activity]
            leader = _LEADER_STYLE[i.leader]
            bar = Rectangle(
                (item.start - 1, row - 0.35),
                periods - item.start + 1,
                0.7,
                facecolor=look["tint"],
                hatch=look["hatch"],
                edgecolor="#333333",
                linewidth=0.5,
            )
            ax.add_patch(bar)
            (mark,) = ax.plot(
                [item.start - 1],
                [row],
                linestyle="none",
                marker=leader["marker"],
                markersize=5 if small else 7,
                color=leader["color"],
                markeredgecolor="black",
            )
            label = ax.text(
                item.start - 1 + periods * 0.015,
                row,
                i.name,
                va="center",
                ha="left",
                fontsize=6 if small else 8,
                color="#1a1a1a",
                clip_on=True,
                bbox={"facecolor": "white", "pad": 0.6, "linewidth": 0},
            )
            self._timeline_artists += [bar, mark, label]
        # the timeline has no y ticks, so its rows change without redrawing the static layer
        self.figure_view.set_overlay(self._timeline_artists)
        if render and self.result is not None:
            self.figure_view.render(self._summary())

    def _summary(self):
        run = self.result
        text = run.summary
        if run.consultants is not None:
            text += " The shaded band marks the quarters the consultants are paid."
        n = len(self._initiatives)
        if n:
            kinds = sorted({i.initiative.leader for i in self._initiatives}, key=LEADERS.index)
            text += (
                f" The timeline shows {n} initiative{'s' if n > 1 else ''}, led by "
                f"{', '.join(kinds)}."
            )
        return text


def rebalance(moved, percents):
    """Return whole percentages summing to 100 after the `moved` activity's slider moved.

    Effort for research and capacity building comes out of practice: moving
    either of them takes the difference from practice (and only when practice
    reaches 0, from the other one).  Moving practice shares the rest between
    research and capacity building in proportion to their current values
    (equally if both are 0).

    Parameters
    ----------
    moved : str
        ``"research"``, ``"capacity building"`` or ``"practice"``.
    percents : mapping of str to int
        Every activity's slider value, the moved one already at its new value.

    Returns
    -------
    dict of str to int

    Examples
    --------
    Research up to 30: practice pays for it.  Practice down to 40: research and
    capacity building share the rest in their proportion 30:10.

    >>> rebalance("research", {"research": 30, "capacity building": 10, "practice": 80})
    {'research': 30, 'capacity building': 10, 'practice': 60}
    >>> rebalance("practice", {"research": 30, "capacity building": 10, "practice": 40})
    {'research': 45, 'capacity building': 15, 'practice': 40}
    """
    value = int(percents[moved])
    if moved == "practice":
        rest = 100 - value
        research, capacity = int(percents["research"]), int(percents["capacity building"])
        total = research + capacity
        first = (rest + 1) // 2 if total == 0 else min(rest, round(rest * research / total))
        return {"research": first, "capacity building": rest - first, "practice": value}
    other = "capacity building" if moved == "research" else "research"
    kept = min(int(percents[other]), 100 - value)
    result = {moved: value, other: kept, "practice": 100 - value - kept}
    return {a: result[a] for a in _SHARES}


def _whole_percents(allocation):
    """Whole percentage points summing to 100 (largest remainders get the rounding, practice first).

    >>> _whole_percents((1 / 3, 1 / 3, 1 / 3))
    [33, 33, 34]
    """
    exact = [100 * s for s in allocation]
    floors = [int(x + 1e-9) for x in exact]
    short = 100 - sum(floors)
    order = sorted(range(3), key=lambda i: (round(exact[i] - floors[i], 9), i), reverse=True)
    for i in order[:short]:
        floors[i] += 1
    return floors


def _quarter_step(periods):
    """Tick spacing in quarters: whole years, about six ticks.

    >>> _quarter_step(4), _quarter_step(40), _quarter_step(100)
    (1, 8, 20)
    """
    if periods <= 8:
        return 1
    years = periods // 4
    return 4 * max(1, round(years / 5))


def _fit(top, needed):
    """Keep the axis top `top` while `needed` fits under it and fills at least 40% of it."""
    if top is None or needed > top or needed < 0.4 * top:
        return _nice(1.15 * needed)
    return top


def _nice(value):
    for step in _NICE:
        if value <= step:
            return step
    return value


def _diagnosis_html(d):
    return (
        '<div role="status" style="color:#1a1a1a;border-left:4px solid #0D47A1;'
        'padding:2px 10px;margin-top:6px">'
        f'<p style="margin:2px 0"><strong>Diagnosis: {html.escape(d.title)}</strong></p>'
        f'<p style="margin:4px 0">{html.escape(d.explanation)}</p></div>'
    )
