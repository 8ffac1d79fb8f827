"""CapstoneDashboard: one design for a community of leaders and learners, three simulations.

The learner sets the three parts of a design (:class:`senge_course.models.capstone.Design`)
in three columns of controls: the leaders' levers, the organisation's regime
under pressure, and the effort for research, capacity building and practice
with their integration.  Three small plots, one under each column, show what
each simulation predicts, and the report below says it in words, goal by goal
(:func:`senge_course.models.capstone.assess`).  The design saves to JSON, loads back,
and exports one page of Markdown for an instructor.

Examples
--------
The dashboard opens on command and control (a mandate, the command regime, all
practice): no goal is met.  The three kinds of leader, commitment and a
balanced, integrated plan meet all three:

>>> app = CapstoneDashboard()
>>> app.result.passed, sum(app.result.verdicts.values())
(False, 0)
>>> app.set_levers("all three")
>>> app.controls["preset"].value = "commitment"
>>> app.controls["capacity building"].value = 20
>>> app.controls["research"].value = 20
>>> app.controls["integration"].value = 1.0
>>> app.result.passed, round(app.result.committed, 2)
(True, 0.87)
"""

import html
from collections import OrderedDict
from dataclasses import asdict

import ipywidgets as widgets
from matplotlib.patches import Rectangle

from .. import files
from ..models.capability import POLICY_LEVERS, PRESETS, REGIME_PARAMETERS, as_regime, preset_name
from ..models.capstone import (
    COMMITTED_GOAL,
    GOALS,
    LEADER_LEVERS,
    SURGE,
    SURGE_WEEKS,
    CapstoneReport,
    Design,
    as_levers,
    default_organisation,
    knowledge_run,
    leaders_run,
    regime_run,
)
from ..models.leadership import LEVERS, SCENARIOS, Levers
from ..models.plan import Plan
from ..style import OKABE_ITO
from ._base import App, quiet
from ._blit import BlitFigureView
from .controls import controls_for
from .figures import style_axes
from .plancontrols import PlanControls, fit_top, guarded_files

__all__ = ["CapstoneDashboard"]

#: How many results of each simulation the dashboard keeps (most recent first out).
CACHE_SIZE = 64
_TITLE_PAD = 30  # points: room for a two-row legend between the title and the axes
_MET = {True: ("Met", "#1B5E20"), False: ("Not yet", "#B3261E")}
_LEGEND = {"loc": "lower left", "bbox_to_anchor": (0.0, 1.01), "fontsize": 7, "frameon": False}
_LEGEND |= {"borderaxespad": 0.0, "handlelength": 1.6, "columnspacing": 0.8}
_VERDICT = {"xycoords": "axes fraction", "textcoords": "offset points", "ha": "right"}
_VERDICT |= {"va": "baseline", "fontsize": 10, "fontweight": "bold"}


class CapstoneDashboard(PlanControls, App):
    """Design a community of leaders and learners and see what three simulations predict.

    Controls (also in ``.controls``): the leaders' levers (pilot teams, mentoring,
    mandate, networkers, ties per bridge, teams each networker reaches:
    `senge_course.models.leadership.LEVERS`); the regime (a preset, or the four levers
    work harder, work smarter, control and autonomy:
    `senge_course.models.capability.REGIME_PARAMETERS`); the shares of effort for research,
    capacity building and practice (linked: they always sum to 100%) and integration; the
    design's name; a file name with Save, Load and Export Markdown.

    Each control reruns only its own simulation (results are cached, so a setting seen
    before is not rerun): a lever reruns the spread of the practice (20 runs on the default
    organisation of 51 people), a regime control the capability trap under a 20% surge of
    8 weeks, a share or integration the knowledge cycle over 10 years.

    Attributes
    ----------
    result : senge_course.models.capstone.CapstoneReport
        The latest report: the three results, the verdicts and the summary.
    design : senge_course.models.capstone.Design
        The design the controls describe (the last valid one, if the name is invalid).

    Parameters
    ----------
    design : Design, optional
        The design to start from (default: command and control, "My design").
    filename : str, optional
        The file Save and Load use (default ``"my_capstone.json"``); Export
        writes the same name with ``.md``.
    """

    EXAMPLE_FILE = "my_capstone.json"

    def __init__(self, design=None, *, filename="my_capstone.json"):
        if design is None:
            design = Design(
                Plan("My design", allocation=(0.0, 0.0, 1.0), integration=0.25),
                levers=SCENARIOS["executives only (mandate)"],
                regime="command",
            )
        if not isinstance(design, Design):
            raise TypeError(f"design must be a Design or None, got {type(design).__name__}")
        self._name_error = False
        self._plan = design.plan
        self._hidden_levers, self._hidden_regime = {}, {}
        self._cache = {part: OrderedDict() for part in ("leaders", "regime", "knowledge")}
        self._ylimit = self.design = None
        self._organisation = default_organisation()
        look = {"width": "98%", "description_width": "7.5em"}
        self._plan_controls(filename, **look)
        self._filename.layout.width = "25%"
        self._levers = controls_for(LEVERS, LEADER_LEVERS, **look)
        self._policy = controls_for(REGIME_PARAMETERS, POLICY_LEVERS, **look)
        self._preset = widgets.Dropdown(
            options=[*PRESETS, "custom"],
            description="Regime:",
            style={"description_width": "7.5em"},
            layout={"width": "98%"},
        )
        self._name = widgets.Text(
            description="Design name:",
            style={"description_width": "7.5em"},
            layout={"width": "32%"},
        )
        self.controls = {
            **self._levers,
            "preset": self._preset,
            **self._policy,
            **self._shares,
            "integration": self._integration,
            "name": self._name,
            "filename": self._filename,
            **self._buttons,
        }

        self.view = BlitFigureView(width=9.6, height=3.5)
        self._build_figure()
        self._report = widgets.HTML(layout=widgets.Layout(max_width="60em"))
        column = widgets.Layout(width="32%", min_width="19em", padding="0 0.5em 0 0")
        parts = (
            ("<b>1. Leaders</b>: who pulls which lever", *self._levers.values()),
            ("<b>2. Pressure</b>: how the organisation responds", self._preset),
            ("<b>3. Learning</b>: effort (sums to 100%) and coupling", *self._shares.values()),
        )
        boxes = [widgets.VBox([widgets.HTML(head), *rest], layout=column) for head, *rest in parts]
        boxes[1].children += tuple(self._policy.values())
        boxes[2].children += (self._integration,)
        columns = widgets.HBox(boxes, layout=widgets.Layout(flex_flow="row wrap"))
        files_row = widgets.HBox(
            [self._name, self._filename, *self._buttons.values()],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        super().__init__([files_row, columns, self.view, self._report])
        self.add_class("senge-capstone-dashboard")
        for control in (*self._levers.values(), self._integration):
            control.observe(lambda _: self._refresh(), names="value")
        self._preset.observe(self._on_preset, names="value")
        for control in self._policy.values():
            control.observe(self._on_policy, names="value")
        self._name.observe(lambda _: self._busy or self._update_design(), names="value")
        self.set_design(design)

    # ----------------------------------------------------------------- public

    def set_design(self, design):
        """Show `design` in the controls and rerun what changed (shares in whole percentage points)."""
        if not isinstance(design, Design):
            self.show_message(f"design must be a Design, got {type(design).__name__}", kind="error")
            return
        self._show(design.levers, lambda: self._show_plan(design))

    def set_levers(self, levers):
        """Set the leaders' levers: a Levers, a scenario name (``"all three"``) or a mapping."""
        try:
            levers = as_levers(levers)
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), kind="error")
            return
        self._show(levers)

    @guarded_files
    def save(self, path=None):
        """Save the design as JSON to `path` (default: the file name box); return the path."""
        path = self._path(path)
        self.design.save(path)
        self.show_message(f"saved the design to {path}")
        return path

    @guarded_files
    def load(self, path=None):
        """Load a design from `path` (default: the file name box) and show it; return the design."""
        path = self._path(path)
        design = Design.load(path)
        self.set_design(design)
        self.show_message(f"loaded the design from {path}")
        return design

    @guarded_files
    def export_markdown(self, path=None, *, reflections=None):
        """Write the report as one page of Markdown (default: the file name with ``.md``).

        `reflections`, a mapping of question to answer, is added to the page.  Returns the path.
        """
        path = self._path(path).with_suffix(".md") if path is None else self._path(path)
        text = self.result.to_markdown(self.design.plan.name, reflections=reflections)
        files.write_text(path, text, what="the Markdown report")
        self.show_message(f"exported the report as Markdown to {path}")
        return path

    # ----------------------------------------------------------------- callbacks

    def _show(self, levers, more=None):
        """Show `levers` (and what `more` sets) in the controls, then rerun what changed."""
        teams = self._organisation.graph["teams"]
        for name, most, which in (
            ("pilot_teams", teams, ""),
            ("teams_spanned", teams - 1, "other "),
        ):
            if getattr(levers, name) > most:
                self.show_message(
                    f"{name} must be at most the number of {which}teams ({most}), "
                    f"got {name}={getattr(levers, name)}",
                    kind="error",
                )
                return
        with quiet(self):
            data = asdict(levers)
            for name, control in self._levers.items():
                control.max = max(control.max, data[name])  # a loaded design may go beyond
                control.value = data[name]
            self._hidden_levers = {k: v for k, v in data.items() if k not in LEADER_LEVERS}
            if more is not None:
                more()
        self._refresh()

    def _show_plan(self, design):
        self._plan = design.plan
        self._name.value = design.plan.name
        self._show_regime(design.regime)
        self._show_shares(design.plan.allocation)
        self._integration.value = design.plan.integration

    def _show_regime(self, regime):
        data = asdict(regime)
        for lever, control in self._policy.items():
            control.value = data[lever]
        self._hidden_regime = {k: v for k, v in data.items() if k not in POLICY_LEVERS}
        self._preset.value = preset_name(regime)

    def _on_preset(self, change):
        if self._busy or change["new"] == "custom":
            return
        with quiet(self):
            self._show_regime(PRESETS[change["new"]])
        self._refresh()

    def _on_policy(self, change):
        if self._busy:
            return
        with quiet(self):
            self._preset.value = preset_name(self._regime())
        self._refresh()

    # ----------------------------------------------------------------- model

    def _regime(self):
        values = {lever: float(control.value) for lever, control in self._policy.items()}
        return as_regime({**self._hidden_regime, **values})

    def _refresh(self):
        """Rerun the simulations whose inputs changed (cached), then redraw and report."""
        if self._busy:
            return
        try:
            values = {name: control.value for name, control in self._levers.items()}
            levers = Levers(**{**self._hidden_levers, **values})
            regime = self._regime()
            allocation, integration = self.allocation(), float(self._integration.value)
            consultants = self._plan.consultants
            knowledge = (allocation, integration, consultants)
            parts = {
                "leaders": (levers, lambda: leaders_run(levers, G=self._organisation)),
                "regime": (regime, lambda: regime_run(regime)),
                "knowledge": (knowledge, lambda: knowledge_run(*knowledge)),
            }
            found = {part: self._cached(part, *key_run) for part, key_run in parts.items()}
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), kind="error")
            return
        self.result = CapstoneReport(
            levers=levers,
            regime=regime,
            allocation=allocation,
            integration=integration,
            consultants=consultants,
            diffusion=found["leaders"],
            capability=found["regime"],
            knowledge=found["knowledge"][0],
            diagnosis=found["knowledge"][1],
            people=self._organisation.number_of_nodes(),
        )
        self._update_design()
        self._draw()
        self._report.value = _report_html(self.result)

    def _cached(self, part, key, run):
        cache = self._cache[part]
        if key not in cache:
            cache[key] = run()
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
        cache.move_to_end(key)
        return cache[key]

    def _update_design(self):
        """Rebuild `.design` from the controls; keep the last valid one if the name is invalid."""
        if self.result is None:
            return
        try:
            plan = self._plan.replace(
                name=self._name.value,
                allocation=self.result.allocation,
                integration=self.result.integration,
            )
        except (ValueError, TypeError) as exc:
            self._name_error = True
            self.show_message(f"{exc} (the design keeps its last valid name)", kind="error")
            return
        self._plan = plan
        self.design = Design(plan, levers=self.result.levers, regime=self.result.regime)
        if self._name_error:
            self._name_error = False
            self.show_message("")

    # ----------------------------------------------------------------- drawing

    def _build_figure(self):
        fig = self.view.figure
        fig.set_layout_engine(None)  # fixed margins: faster full redraws
        axes = fig.subplots(1, 3)
        self._ax_leaders, self._ax_regime, self._ax_knowledge = axes
        fig.subplots_adjust(left=0.065, right=0.985, bottom=0.14, top=0.74, wspace=0.3)
        blue, vermillion, green, grey = (
            OKABE_ITO[c] for c in ("blue", "vermillion", "green", "grey")
        )
        ax = self._ax_leaders
        style_axes(ax, title="1. Commitment spreads?", xlabel="round", ylabel="share of people")
        ax.set(xlim=(0, 30), ylim=(0, 1.02))
        ax.axhline(COMMITTED_GOAL, color=grey, linestyle=":", linewidth=1.2)
        goal = f"goal {COMMITTED_GOAL:.0%}"
        ax.text(
            29.5, COMMITTED_GOAL - 0.02, goal, fontsize=8, ha="right", va="top", color="#1a1a1a"
        )
        self._band = ax.fill_between([0, 1], [0, 0], [0, 0], color=green, alpha=0.2, linewidth=0)
        self._band.set_label("committed, 5-95% of runs")
        (self._committed,) = ax.plot(
            [], [], color=green, linewidth=2.2, marker="o", markersize=2.5, label="committed (mean)"
        )
        orange = OKABE_ITO["orange"]
        (self._compliant,) = ax.plot(
            [], [], color=orange, linewidth=1.6, linestyle="--", label="compliant (mean)"
        )
        ax = self._ax_regime
        style_axes(
            ax, title="2. No capability trap?", xlabel="week", ylabel="relative to the start"
        )
        ax.set(xlim=(0, 300), ylim=(0, 1.3))
        shade = {"facecolor": grey, "alpha": 0.25, "hatch": "xx", "edgecolor": grey, "linewidth": 0}
        surge = Rectangle((20, 0), SURGE_WEEKS, 1, transform=ax.get_xaxis_transform(), **shade)
        ax.add_patch(surge).set_label(f"{SURGE:.0%} surge")
        (self._trust,) = ax.plot([], [], color=blue, linewidth=2.0, label="trust")
        (self._performance,) = ax.plot(
            [], [], color=vermillion, linewidth=1.8, linestyle="--", label="performance"
        )
        ax = self._ax_knowledge
        style_axes(ax, title="3. Integrated cycle?", xlabel="quarter", ylabel="results per quarter")
        ax.set_xlim(0, 40)
        today = {"color": vermillion, "linestyle": "--", "linewidth": 1.4}
        ax.plot([0, 40], [1, 1], **today, label="all practice (today)")
        (self._results,) = ax.plot(
            [], [], color=blue, linewidth=2.2, marker="o", markersize=2.5, label="your plan"
        )
        self._verdict_texts = []
        for ax, columns in zip(axes, (2, 3, 2), strict=True):
            ax.legend(ncol=columns, **_LEGEND)
            ax.set_title(ax.get_title(loc="left"), loc="left", fontsize=10, pad=_TITLE_PAD)
            verdict = ax.annotate("", (1.0, 1.0), xytext=(0, _TITLE_PAD), **_VERDICT)
            self._verdict_texts.append(verdict)
        self.view.animate(
            self._band,
            self._committed,
            self._compliant,
            self._trust,
            self._performance,
            self._results,
            *self._verdict_texts,
        )

    def _draw(self):
        report = self.result
        stats = report.diffusion
        rounds = list(range(len(stats.committed_mean)))
        self._band.set_data(rounds, stats.committed_low, stats.committed_high)
        self._committed.set_data(rounds, stats.committed_mean)
        self._compliant.set_data(rounds, stats.compliant_mean)
        self._compliant.set_visible(bool(stats.compliant_mean.max() > 0.005))
        run = report.capability
        self._trust.set_data(run.week, run.trust / run.trust[0])
        self._performance.set_data(run.week, run.relative("performance"))
        k = report.knowledge
        self._results.set_data([0, *k.quarter.tolist()], [k.baseline, *k.results.tolist()])
        top = fit_top(self._ylimit, max(2.0, float(k.results.max())))
        if top != self._ylimit:
            self._ylimit = top
            self._ax_knowledge.set_ylim(0, top)
            self.view.invalidate()
        for text, ok in zip(self._verdict_texts, report.verdicts.values(), strict=True):
            label, colour = _MET[ok]
            text.set_text(label)
            text.set_color(colour)
        low, high = report.committed_band
        self.view.render(
            f"Three panels. 1: {report.committed:.0%} of people end committed on average "
            f"(5-95%: {low:.0%}-{high:.0%}; goal {COMMITTED_GOAL:.0%}). "
            f"2: under a {SURGE:.0%} surge of {SURGE_WEEKS:g} weeks trust ends at "
            f"{run.trust[-1] / run.trust[0]:.2f} of its start"
            f"{': the regime tips into the trap' if run.tipped else ''}. "
            f"3: results go from {k.results[0]:.2f} to {k.results[-1]:.2f} a quarter "
            f"({k.total:.1f} over 10 years against {k.baseline_total:.0f} for all practice; "
            f"{report.diagnosis.mode})."
        )


def _report_html(report):
    texts = (report.leaders_text, report.regime_text, report.knowledge_text)
    rows = []
    for goal, ok, text in zip(GOALS, report.verdicts.values(), texts, strict=True):
        label, colour = _MET[ok]
        rows.append(
            f'<li style="margin:4px 0"><strong style="color:{colour}">{label}: '
            f"{html.escape(goal)}.</strong> {html.escape(text)}</li>"
        )
    met = sum(report.verdicts.values())
    head = "all three goals" if report.passed else f"{met} of the 3 goals"
    notes = "".join(f'<p style="margin:4px 0">Note: {html.escape(n)}</p>' for n in report.notes)
    return (
        '<div role="status" style="color:#1a1a1a;border-left:4px solid #0D47A1;padding:2px 10px">'
        f'<p style="margin:2px 0"><strong>Your design meets {head}.</strong></p>'
        f'<ul style="margin:4px 0;padding-left:1.2em">{"".join(rows)}</ul>{notes}</div>'
    )
