"""IntegrationPlanner: design a plan that integrates research, capacity building and practice.

The learner sets a :class:`senge_course.models.plan.Plan` (effort, coupling, horizon,
consultants and initiatives); the app projects it with the knowledge-cycle model
(:mod:`senge_course.models.knowledge`) against an all-practice baseline and diagnoses it.

Examples
--------
The planner opens on a balanced but fragmented plan (research 20%, capacity building 20%,
practice 60%, integration 0.25).  Couple the three communities and the diagnosis changes:

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

The Assumptions section moves it to where a claim fails (capacity building raises capability
by at most 50%: the integrated plan never pays back):

>>> app.apply({"integration": 1.0, "max_capability": 1.5})
>>> round(app.result.total, 1), app.result.payback_quarter
(36.8, None)
"""

import html

import ipywidgets as widgets
import matplotlib
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, MultipleLocator

from ..models.diagnosis import diagnose
from ..models.knowledge import BALANCED, CALIBRATION, CONSULTANTS, Consultants, simulate
from ..models.plan import HORIZON, INITIATIVES, LEADERS, Plan, PlannedInitiative
from ..models.plan import allocation_from_initiatives as from_initiatives
from ..style import OKABE_ITO, ROLE_STYLE
from ._base import App, guarded, quiet
from ._blit import BlitFigureView
from .controls import control_for, controls_for
from .figures import style_axes
from .plancontrols import PlanControls, button, fit_top, keep_legends

__all__ = ["ACTIVITY_STYLE", "CONSTANTS", "OPENING_PLAN", "IntegrationPlanner"]

#: The plan the planner opens on; a claim's setting (`apply`) says how it differs from it.
OPENING_PLAN = Plan("My plan", allocation=BALANCED, integration=0.25)
#: The calibrated constants the Assumptions section shows as sliders (from `CALIBRATION`).
CONSTANTS = ("max_capability", "practice_returns", "teaching_rate", "capability_time")
CONSTANTS += ("consultant_time",)

#: Colour, tint and hatch for each activity (the hatch is the second channel).
ACTIVITY_STYLE = {
    "research": {"color": OKABE_ITO["blue"], "tint": "#80B8D8", "hatch": ""},
    "capacity building": {"color": OKABE_ITO["green"], "tint": "#80CEB9", "hatch": "//"},
    "practice": {"color": OKABE_ITO["orange"], "tint": "#F2CF80", "hatch": ".."},
}
_LEADER_STYLE = {
    leader: ROLE_STYLE[role]
    for leader, role in zip(LEADERS, ("line_leader", "executive", "networker"), strict=True)
}
_LEGEND = {"loc": "lower right", "bbox_to_anchor": (1.0, 1.0), "frameon": False}
_LEGEND["borderaxespad"] = 0.2
_DOT = {"linestyle": "none", "markeredgecolor": "black"}
_LABEL = {"va": "center", "color": "#1a1a1a", "clip_on": True}
_LABEL["bbox"] = {"facecolor": "white", "pad": 0.6, "linewidth": 0}
_WIDE = {"style": {"description_width": "11em"}, "layout": {"width": "98%"}}


def _bar(xy, width, activity, *, height=1, **kwargs):
    """A rectangle in the activity's tint and hatch, outlined."""
    look, outline = ACTIVITY_STYLE[activity], {"edgecolor": "#333333", "linewidth": 0.5}
    return Rectangle(
        xy, width, height, facecolor=look["tint"], hatch=look["hatch"], **outline, **kwargs
    )


class IntegrationPlanner(PlanControls, App):
    """Plan a community of leaders and learners and see its projection and diagnosis.

    Controls (also in ``.controls``): three linked sliders for the shares of effort that always
    sum to 100% (`senge_course.models.plan.rebalance`); integration; horizon in years;
    consultants (a toggle, the capability rented, and the quarters they are hired and stop);
    initiatives (pick one, choose its start quarter, add; select one in the list, remove); the
    plan's name; a file name with Save, Load and Export Markdown; folded under the figure, the
    Assumptions section: sliders for the calibrated constants `CONSTANTS` and the claims the
    planner shows (`assumptions`; `apply` moves the planner to a claim's setting).  Only a
    change to a model input reruns the model.  The figure shows results per quarter and
    cumulative results against an all-practice baseline (1 a quarter), and the initiatives as a
    timeline, coloured and hatched by activity and marked by the kind of leader.

    `.result` is the latest projection (a `~senge_course.models.knowledge.KnowledgeRun`; its
    ``summary`` starts the figure's caption), `.diagnosis` the latest diagnosis, and `.plan` the
    plan the controls describe (the last valid one, if a control is invalid).  The app starts
    from `plan` (default: balanced, integration 0.25, "My plan"; shares are kept in whole
    percentage points); Save and Load use `filename` (default ``"my_plan.json"``), Export the
    same name with ``.md``.

    Moving practice to 100% leaves nothing for the others; the planner keeps the sum at 100
    whatever moves:

    >>> app = IntegrationPlanner()
    >>> app.controls["practice"].value = 100
    >>> app.result.allocation, app.diagnosis.mode
    ((0.0, 0.0, 1.0), 'firefighting')
    """

    DOCUMENT = Plan

    def __init__(self, plan=None, *, filename="my_plan.json"):
        plan = OPENING_PLAN if plan is None else plan
        if not isinstance(plan, Plan):
            raise TypeError(f"plan must be a Plan or None, got {type(plan).__name__}")
        self._key = self._ylimits = self.diagnosis = self.plan = None
        self._initiatives = []
        look = {"width": "98%", "description_width": "11em"}
        self._plan_controls(filename, **look)
        self._filename.layout.width = "60%"
        self._name = widgets.Text(description="Plan name:", **_WIDE)
        self._horizon = control_for("horizon", HORIZON, **look)
        self._hire = widgets.Checkbox(description="Hire consultants", indent=False)
        rented = controls_for(CONSULTANTS, **look)
        self._spend, self._hire_at, self._stop_at = rented.values()
        self._constants = controls_for(CALIBRATION, CONSTANTS, **look)
        catalogue = [
            (f"{i.name} ({i.activity}; {i.leader}; {i.effort} points)", i.key)
            for i in INITIATIVES.values()
        ]
        self._pick = widgets.Dropdown(options=catalogue, description="Initiative:", **_WIDE)
        self._pick_start = widgets.BoundedIntText(
            value=1, min=1, max=40, description="Starts in quarter:", style=_WIDE["style"]
        )
        self._list = widgets.Select(
            options=[], rows=6, description="In the plan:", style=_WIDE["style"]
        )
        self._effort = widgets.HTML()
        points = "Research and capacity building from the initiatives' points"
        buttons = {
            "add": button("Add initiative", "plus", lambda: self.add_initiative(*self._picked())),
            "remove": button("Remove selected", "minus", self.remove_initiative),
            "match": button("Shares from initiatives", "", self.match_initiatives, points),
        }
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
            "add": buttons["add"],
            "initiatives": self._list,
            "remove": buttons["remove"],
            "match": buttons["match"],
            "filename": self._filename,
            **self._buttons,
            **self._constants,
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
                *rented.values(),
                heading("<b>Initiatives</b>"),
                self._pick,
                widgets.HBox([self._pick_start, buttons["add"]]),
                self._list,
                widgets.HBox([buttons["remove"], buttons["match"]]),
                self._effort,
            ],
            layout=widgets.Layout(width="30em", min_width="24em"),
        )
        folded = self._assumptions_section(*self._constants.values())
        views = widgets.VBox([self.figure_view, self._diagnosis, folded])
        files = widgets.HBox([self._filename, *self._buttons.values()])
        super().__init__(
            [widgets.HBox([controls, views], layout=widgets.Layout(flex_flow="row wrap")), files]
        )
        self.add_class("senge-integration-planner")
        inputs = (self._integration, self._horizon, self._hire, self._spend)
        for control in (*inputs, *self._constants.values()):  # and the Assumptions' constants
            control.observe(self._on_model, names="value")
        for control in (self._hire_at, self._stop_at):
            control.observe(lambda change: self._order_quarters(change["owner"]), names="value")
        self._name.observe(lambda _: self._busy or self._update_plan(), names="value")
        self.set_plan(plan)

    # ----------------------------------------------------------------- public

    @guarded
    def set_plan(self, plan):
        """Show `plan` in the controls (shares rounded to whole percentage points)."""
        if not isinstance(plan, Plan):
            raise TypeError(f"plan must be a Plan, got {type(plan).__name__}")
        with quiet(self):
            self._name.value = plan.name
            rounded = self._show_shares(plan.allocation)
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
        self._show_initiatives()
        self._draw_timeline(render=False)
        self._refresh()
        if rounded:
            self.show_message("the shares were rounded to whole percentage points")
        return rounded

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
        self._changed_initiatives(f"added {item.initiative.name}, from quarter {item.start}")

    @guarded
    def remove_initiative(self, index=None):
        """Remove the initiative at `index` in the list (default: the one selected)."""
        index = self._list.value if index is None else index
        if index is None or not self._initiatives:
            raise ValueError("select an initiative in the list first, then remove it")
        if not isinstance(index, int) or not 0 <= index < len(self._initiatives):
            raise ValueError(
                f"index must be a whole number from 0 to {len(self._initiatives) - 1}, "
                f"got index={index!r}"
            )
        item = self._initiatives.pop(index)
        self._changed_initiatives(f"removed {item.initiative.name}")

    _show_document = set_plan

    #: The Assumptions view's "back" button: the opening plan and the calibration.
    HOME = {}

    def apply(self, setting):
        """Move the planner to `OPENING_PLAN` and the calibrated constants, changed by `setting`.

        `setting` (a claim's) may name ``allocation``, ``integration``, ``years``, ``consultants``
        (the capability rented), ``stop_at`` and `CONSTANTS`; anything else raises ValueError,
        changing nothing.  The name and the initiatives within the horizon are kept.
        """
        known = ("allocation", "integration", "years", "consultants", "stop_at", *CONSTANTS)
        if unknown := sorted(set(setting) - set(known)):
            raise ValueError(f"the planner has no control for {', '.join(unknown)}")
        k, years = setting.get("consultants"), setting.get("years", OPENING_PLAN.horizon)
        plan = OPENING_PLAN.replace(
            name=self._name.value or OPENING_PLAN.name,
            allocation=setting.get("allocation", OPENING_PLAN.allocation),
            integration=setting.get("integration", OPENING_PLAN.integration),
            horizon=years,
            consultants=None if k is None else Consultants(k, stop_at=setting.get("stop_at")),
            initiatives=[i for i in self._initiatives if i.start <= 4 * years],
        )
        values = {n: setting.get(n, CALIBRATION[n].default) for n in CONSTANTS}
        with quiet(self):
            for name, value in CALIBRATION.check(values).items():
                self._constants[name].value = value
        self.set_plan(plan)

    @guarded
    def match_initiatives(self):
        """Set the shares to the initiatives' points (research, capacity building; practice the rest)."""
        allocation = from_initiatives(self._initiatives)
        with quiet(self):
            self._show_shares(allocation)
        self._refresh()

    # ----------------------------------------------------------------- callbacks

    def _picked(self):
        return self._pick.value, self._pick_start.value

    def _markdown(self):
        return self.plan.to_markdown(), "plan"

    def _on_model(self, change=None):
        if self._busy:
            return
        if change is not None and change["owner"] is self._horizon:
            self._fit_quarters()
        self._refresh()

    def _order_quarters(self, moved):
        """Keep the hire before the stop: the other quarter control gives way."""
        if self._busy:
            return
        if self._hire_at.value >= self._stop_at.value:
            with quiet(self):
                if moved is self._hire_at:
                    self._stop_at.value = self._hire_at.value + 1
                else:
                    self._hire_at.value = self._stop_at.value - 1
        self._refresh()

    def _changed_initiatives(self, note):
        self._show_initiatives()
        self._update_plan()
        self._draw_timeline()
        self.show_message(note)

    def _update_plan(self):
        """Rebuild `.plan` from the controls (no simulation); keep the last valid one on error."""
        plan = self._rebuild(
            lambda: Plan(
                self._name.value,
                allocation=self.allocation(),
                integration=self._integration.value,
                horizon=self._horizon.value,
                consultants=self._consultants(),
                initiatives=self._initiatives,
            ),
            "the plan keeps its last valid version",
        )
        if plan is None:
            return
        self.plan, effort = plan, plan.initiative_effort()
        self._effort.value = (
            '<div style="color:#1a1a1a">Initiatives take research '
            f"<b>{effort['research']}</b> and capacity building "
            f"<b>{effort['capacity building']}</b> points (your shares: "
            f"{self._shares['research'].value} and {self._shares['capacity building'].value}).</div>"
        )

    @guarded
    def _refresh(self):
        """Rerun the model if a model input changed, then redraw the projection."""
        if self._busy:
            return
        allocation, params = self.allocation(), self.constants()
        key = (allocation, self._integration.value, self._horizon.value, self._consultants())
        key += tuple(params.items())
        self._update_plan()
        if key == self._key:
            return
        k = key[3]
        run = simulate(allocation, key[1], quarters=4 * key[2], consultants=k, params=params)
        self.diagnosis = d = diagnose(allocation, key[1], consultants=k, params=params)
        self.result, self._key = run, key
        for control in (self._spend, self._hire_at, self._stop_at):
            control.disabled = not self._hire.value
        self._diagnosis.value = (
            '<div role="status" style="color:#1a1a1a;border-left:4px solid #0D47A1;'
            'padding:2px 10px;margin-top:6px">'
            f'<p style="margin:2px 0"><strong>Diagnosis: {html.escape(d.title)}</strong></p>'
            f'<p style="margin:4px 0">{html.escape(d.explanation)}</p></div>'
        )
        self._draw_projection()

    # ----------------------------------------------------------------- helpers

    def constants(self):
        """The calibrated constants the Assumptions sliders show, by name."""
        return {name: float(control.value) for name, control in self._constants.items()}

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
        quarters = 4 * self._horizon.value
        with quiet(self):
            at_end = self._stop_at.value >= self._stop_at.max
            self._stop_at.max = quarters
            if at_end:
                self._stop_at.value = quarters
            self._hire_at.max = quarters - 1
            self._pick_start.max = quarters
        dropped = [i.initiative.name for i in self._initiatives if i.start > quarters]
        if dropped:
            self._initiatives = [i for i in self._initiatives if i.start <= quarters]
            self._show_initiatives()
            self._draw_timeline(render=False)
            self.show_message(
                f"removed {', '.join(dropped)}: they started after the new horizon "
                f"(quarter {quarters})"
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

    # ----------------------------------------------------------------- drawing

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)  # fixed margins: a full redraw costs half as much
        with matplotlib.rc_context({"axes.titley": 1.0}):  # titles need no placing on redraws
            self._ax_results, self._ax_total, self._ax_timeline = axes = fig.subplots(
                3, 1, height_ratios=(3, 2, 2.2), sharex=True
            )
            titles = ("Results per quarter", "Cumulative results", "Initiatives")
            for ax, title in zip(axes, titles, strict=True):
                style_axes(ax, title=title, grid=ax is not self._ax_timeline)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.07, top=0.95, hspace=0.32)
        blue, vermillion, grey = OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["grey"]
        baseline = {"color": vermillion, "linestyle": "--", "linewidth": 1.5}
        ax = self._ax_results
        ax.yaxis.set_major_locator(MaxNLocator(5))
        (self._base_line,) = ax.plot([], [], label="all practice (today's results)", **baseline)
        (self._plan_line,) = ax.plot(
            [], [], color=blue, linewidth=2.2, marker="o", markersize=3, label="your plan"
        )
        along = ax.get_xaxis_transform()
        self._paid = Rectangle(
            (0, 0), 0, 1, transform=along, facecolor=grey, alpha=0.25, hatch="xx", linewidth=0
        )
        self._paid.set_edgecolor(grey)
        ax.add_patch(self._paid)
        self._paid_text = ax.text(
            0, 0.96, "consultants paid", transform=along, fontsize=8, va="top", color="#1a1a1a"
        )
        star = {"marker": "*", "markersize": 12, "color": OKABE_ITO["green"]}
        (self._even_mark,) = ax.plot([], [], **_DOT, **star, label="back above today's")
        ax.legend(fontsize=8, ncol=3, **_LEGEND)
        self._ax_total.yaxis.set_major_locator(MaxNLocator(4))
        (self._base_total,) = self._ax_total.plot([], [], **baseline)
        (self._plan_total,) = self._ax_total.plot([], [], color=blue, linewidth=2.2)
        self._ax_timeline.set_xlabel("quarter")
        handles = [_bar((0, 0), 1, activity, label=activity) for activity in ACTIVITY_STYLE]
        handles += [
            Line2D([], [], **_DOT, marker=look["marker"], color=look["color"], label=kind)
            for kind, look in _LEADER_STYLE.items()
        ]
        self._ax_timeline.legend(
            handles=handles, fontsize=7, ncol=6, handlelength=1.2, columnspacing=0.8, **_LEGEND
        )
        keep_legends(fig)
        self.figure_view.animate(
            self._plan_line, self._paid, self._paid_text, self._even_mark, self._plan_total
        )
        self._timeline_artists = []

    def _draw_projection(self):
        run = self.result
        quarters = run.quarters
        x = [0, *run.quarter.tolist()]
        self._plan_line.set_data(x, [run.baseline, *run.results.tolist()])
        self._plan_total.set_data(x, [0.0, *run.cumulative.tolist()])
        k = run.consultants
        self._paid.set_visible(k is not None)
        self._paid_text.set_visible(k is not None)
        if k is not None:
            stop = quarters if k.stop_at is None else min(k.stop_at, quarters)
            self._paid.set_x(k.start)
            self._paid.set_width(stop - k.start)
            self._paid_text.set_x(k.start + 0.3)
        even = run.break_even_quarter
        shown = even is not None and bool((run.results < run.baseline * (1 - 1e-9)).any())
        self._even_mark.set_data([even] if shown else [], [run.results[even - 1]] if shown else [])
        # y limits move only when the curves leave them or shrink far below them, so that
        # most control changes redraw the curves alone (a full redraw costs most of 100 ms)
        was = self._ylimits if self._ylimits and self._ylimits[0] == quarters else (None,) * 3
        top = fit_top(was[1], max(1.0, float(run.results.max())))
        top_total = fit_top(was[2], max(run.total, run.baseline_total))
        limits = (quarters, top, top_total)
        if limits != self._ylimits:
            self._ylimits = limits
            for ax in (self._ax_results, self._ax_total, self._ax_timeline):
                ax.set_xlim(0, quarters)
            years = max(1, round(quarters / 20)) if quarters > 8 else 0.25
            self._ax_timeline.xaxis.set_major_locator(MultipleLocator(4 * years))
            self._ax_results.set_ylim(0, top)
            self._ax_total.set_ylim(0, top_total)
            self._base_line.set_data([0, quarters], [run.baseline, run.baseline])
            self._base_total.set_data([0, quarters], [0, run.baseline_total])
            self._draw_timeline(render=False)
            self.figure_view.invalidate(key=limits)
        self.figure_view.render(self._summary())

    def _draw_timeline(self, render=True):
        ax = self._ax_timeline
        for artist in self._timeline_artists:
            artist.remove()
        self._timeline_artists = []
        quarters = 4 * self._horizon.value
        items = self._initiatives
        ax.set_ylim(max(len(items), 1) - 0.5, -0.5)
        ax.set_yticks([])
        if not items:
            empty = "No initiatives yet: add some from the catalogue."
            self._timeline_artists.append(
                ax.text(0.5, 0.5, empty, transform=ax.transAxes, ha="center", va="center")
            )
        size = 5 if len(items) > 8 else 7
        for row, item in enumerate(items):
            i, x = item.initiative, item.start - 1
            leader = _LEADER_STYLE[i.leader]
            bar = ax.add_patch(_bar((x, row - 0.35), quarters - x, i.activity, height=0.7))
            (mark,) = ax.plot(
                [x], [row], **_DOT, marker=leader["marker"], color=leader["color"], markersize=size
            )
            label = ax.text(x + quarters * 0.015, row, i.name, fontsize=size + 1, **_LABEL)
            self._timeline_artists += [bar, mark, label]
        # the timeline has no y ticks, so its rows change without redrawing the static layer
        self.figure_view.set_overlay(self._timeline_artists)
        if render and self.result is not None:
            self.figure_view.render(self._summary())

    def _summary(self):
        text = self.result.summary
        moved = [f"{n} {v:g}" for n, v in self.constants().items() if v != CALIBRATION[n].default]
        if moved:
            text += f" Constants changed from their calibration: {', '.join(moved)}."
        if self.result.consultants is not None:
            text += " The shaded band marks the quarters the consultants are paid."
        if n := len(self._initiatives):
            kinds = sorted({i.initiative.leader for i in self._initiatives}, key=LEADERS.index)
            text += (
                f" The timeline shows {n} initiative{'s' if n > 1 else ''}, led by "
                f"{', '.join(kinds)}."
            )
        return text
