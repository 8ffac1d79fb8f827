"""CapstoneDashboard: one design for a community of leaders and learners, three simulations.

The learner sets the three parts of a design (:class:`senge_course.models.capstone.Design`) in
three columns of controls; three small plots, one under each column, show what each simulation
predicts, and the report below says it in words, goal by goal
(:func:`senge_course.models.capstone.assess`).

Examples
--------
The dashboard opens on command and control (a mandate, the command regime, all practice): no
goal is met.  The three kinds of leader, commitment and a balanced, integrated plan meet all
three:

>>> app = CapstoneDashboard()
>>> app.result.passed, sum(app.result.verdicts.values())
(False, 0)
>>> app.set_levers("all three")
>>> app.controls["preset"].value = "commitment"
>>> app.controls["capacity building"].value = 20
>>> app.controls["research"].value = 20
>>> app.controls["integration"].value = 1.0
>>> app.result.passed, app.result.spreads
(True, True)
>>> app.apply({"networkers": 1})  # where a claim fails (Assumptions)
>>> app.result.verdicts["commitment spreads"]
False
"""

import functools
import html
from dataclasses import asdict

import ipywidgets as widgets
from matplotlib.patches import Rectangle

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
from ._base import App, guarded, quiet
from ._blit import BlitFigureView
from .controls import controls_for
from .figures import style_axes
from .plancontrols import PlanControls, fit_top, keep_legends

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

    Controls (also in ``.controls``): the leaders' levers (pilot teams, mentoring, mandate,
    networkers, ties per bridge, teams each networker reaches:
    `senge_course.models.leadership.LEVERS`); the regime (a preset, or the four levers work
    harder, work smarter, control and autonomy: `senge_course.models.capability.REGIME_PARAMETERS`);
    the shares of effort for research, capacity building and practice (linked: they always sum
    to 100%) and integration; the design's name; a file name with Save, Load and Export Markdown
    (`export_markdown(path, reflections=...)` adds the learner's reflections to the page); and a
    folded Assumptions section with the claims it shows (`assumptions`; `apply` moves the
    dashboard to a claim's setting).

    Each control reruns only its own simulation (results are cached, so a setting seen before
    is not rerun): a lever reruns the spread of the practice (20 runs on the default
    organisation of 51 people), a regime control the capability trap under a 20% surge of 8
    weeks, a share or integration the knowledge cycle over 10 years.

    `.result` is the latest `~senge_course.models.capstone.CapstoneReport` (the three results,
    the verdicts and the summary); `.design` the design the controls describe (the last valid
    one, if the name is invalid).  The app starts from `design` (default: command and control,
    "My design"); Save and Load use `filename` (default ``"my_capstone.json"``), Export the same
    name with ``.md``.
    """

    DOCUMENT = Design
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
        self._plan = design.plan
        self._hidden_levers, self._hidden_regime = {}, {}
        self._organisation = G = default_organisation()
        runs = {
            "leaders": lambda levers: leaders_run(levers, G=G),
            "regime": lambda regime: regime_run(regime),
            "knowledge": lambda knowledge: knowledge_run(*knowledge),
        }
        self._cache = {part: functools.lru_cache(CACHE_SIZE)(run) for part, run in runs.items()}
        self._ylimit = self.design = None
        look = {"width": "98%", "description_width": "7.5em"}
        self._plan_controls(filename, **look)
        self._filename.layout.width = "25%"
        self._levers = controls_for(LEVERS, LEADER_LEVERS, **look)
        self._policy = controls_for(REGIME_PARAMETERS, POLICY_LEVERS, **look)
        style, wide = {"description_width": "7.5em"}, {"width": "98%"}
        self._preset = widgets.Dropdown(
            options=[*PRESETS, "custom"], description="Regime:", style=style, layout=wide
        )
        self._name = widgets.Text(description="Design name:", style=style, layout={"width": "32%"})
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
        policy, shares = self._policy.values(), self._shares.values()
        parts = (
            ("<b>1. Leaders</b>: who pulls which lever", *self._levers.values()),
            ("<b>2. Pressure</b>: how the organisation responds", self._preset, *policy),
            ("<b>3. Learning</b>: effort (sums to 100%) and coupling", *shares, self._integration),
        )
        boxes = [widgets.VBox([widgets.HTML(head), *rest], layout=column) for head, *rest in parts]
        wrap = widgets.Layout(flex_flow="row wrap")
        files_row = widgets.HBox([self._name, self._filename, *self._buttons.values()], layout=wrap)
        parts = (files_row, widgets.HBox(boxes, layout=wrap), self.view, self._report)
        super().__init__([*parts, self._assumptions_section()])
        self.add_class("senge-capstone-dashboard")
        for control in (*self._levers.values(), self._integration):
            control.observe(lambda _: self._refresh(), names="value")
        self._preset.observe(self._on_preset, names="value")
        for control in self._policy.values():
            control.observe(self._on_policy, names="value")
        self._name.observe(lambda _: self._busy or self._update_design(), names="value")
        self.set_design(design)

    # ----------------------------------------------------------------- public

    @guarded
    def set_design(self, design):
        """Show `design` in the controls and rerun what changed (shares in whole percentage points).

        Returns True if the shares were rounded.
        """
        if not isinstance(design, Design):
            raise TypeError(f"design must be a Design, got {type(design).__name__}")
        return self._show(design.levers, lambda: self._show_plan(design))

    @guarded
    def set_levers(self, levers):
        """Set the leaders' levers: a Levers, a scenario name (``"all three"``) or a mapping."""
        self._show(as_levers(levers))

    _show_document = set_design

    def apply(self, setting):
        """Move the dashboard to a claim's setting: the design shown, changed by `setting`.

        `setting` may name ``levers`` (a scenario's name, such as ``"all three"``),
        ``networkers``, ``regime`` (``"command"``, ``"commitment"`` or a mapping of its fields),
        ``allocation`` and ``integration``; anything else raises ValueError, changing nothing.
        """
        known = {"levers", "networkers", "regime", "allocation", "integration"}
        if unknown := sorted(set(setting) - known):
            raise ValueError(f"the dashboard has no control for {', '.join(unknown)}")
        design, get = self.design, setting.get
        levers = as_levers(get("levers", design.levers))
        levers = levers.replace(networkers=get("networkers", levers.networkers))
        plan = {k: v for k, v in setting.items() if k in ("allocation", "integration")}
        regime = get("regime", design.regime)
        self.set_design(Design(design.plan.replace(**plan), levers=levers, regime=regime))

    # ----------------------------------------------------------------- callbacks

    def _markdown(self, reflections=None):
        return self.result.to_markdown(self.design.plan.name, reflections=reflections), "report"

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
                return None
        with quiet(self):
            data = asdict(levers)
            for name, control in self._levers.items():
                control.max = max(control.max, data[name])  # a loaded design may go beyond
                control.value = data[name]
            self._hidden_levers = {k: v for k, v in data.items() if k not in LEADER_LEVERS}
            shown = more() if more is not None else None
        self._refresh()
        return shown

    def _show_plan(self, design):
        self._plan = design.plan
        self._name.value = design.plan.name
        self._show_regime(design.regime)
        self._integration.value = design.plan.integration
        return self._show_shares(design.plan.allocation)

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

    @guarded
    def _refresh(self):
        """Rerun the simulations whose inputs changed (cached), then redraw and report."""
        if self._busy:
            return
        values = {name: control.value for name, control in self._levers.items()}
        levers = Levers(**{**self._hidden_levers, **values})
        regime = self._regime()
        allocation, integration = self.allocation(), float(self._integration.value)
        consultants = self._plan.consultants
        knowledge, diagnosis = self._cache["knowledge"]((allocation, integration, consultants))
        self.result = CapstoneReport(
            levers=levers,
            regime=regime,
            allocation=allocation,
            integration=integration,
            consultants=consultants,
            diffusion=self._cache["leaders"](levers),
            capability=self._cache["regime"](regime),
            knowledge=knowledge,
            diagnosis=diagnosis,
            people=self._organisation.number_of_nodes(),
        )
        self._update_design()
        self._draw()
        self._report.value = _report_html(self.result)

    def _update_design(self):
        """Rebuild `.design` from the controls; keep the last valid one if the name is invalid."""
        if self.result is None:
            return
        result = self.result
        plan = self._rebuild(
            lambda: self._plan.replace(
                name=self._name.value, allocation=result.allocation, integration=result.integration
            ),
            "the design keeps its last valid name",
        )
        if plan is not None:
            self._plan = plan
            self.design = Design(plan, levers=result.levers, regime=result.regime)

    # ----------------------------------------------------------------- drawing

    def _build_figure(self):
        fig = self.view.figure
        fig.set_layout_engine(None)  # fixed margins: faster full redraws
        axes = fig.subplots(1, 3)
        self._ax_leaders, self._ax_regime, self._ax_knowledge = axes
        fig.subplots_adjust(left=0.065, right=0.985, bottom=0.14, top=0.74, wspace=0.3)
        labels = (
            ("1. Commitment spreads?", "round", "share of people"),
            ("2. No capability trap?", "week", "relative to the start"),
            ("3. Integrated cycle?", "quarter", "results per quarter"),
        )
        for ax, (title, xlabel, ylabel) in zip(axes, labels, strict=True):
            style_axes(ax, xlabel=xlabel, ylabel=ylabel)
            ax.set_title(title, loc="left", fontsize=10, pad=_TITLE_PAD, y=1.0)  # y: no placing
        blue, vermillion, green, grey, orange = (
            OKABE_ITO[c] for c in ("blue", "vermillion", "green", "grey", "orange")
        )
        ax = self._ax_leaders
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
        (self._compliant,) = ax.plot(
            [], [], color=orange, linewidth=1.6, linestyle="--", label="compliant (mean)"
        )
        ax = self._ax_regime
        ax.set(xlim=(0, 300), ylim=(0, 1.3))
        shade = {"facecolor": grey, "alpha": 0.25, "hatch": "xx", "edgecolor": grey, "linewidth": 0}
        surge = Rectangle((20, 0), SURGE_WEEKS, 1, transform=ax.get_xaxis_transform(), **shade)
        ax.add_patch(surge).set_label(f"{SURGE:.0%} surge")
        (self._climate,) = ax.plot([], [], color=blue, linewidth=2.0, label="climate")
        (self._performance,) = ax.plot(
            [], [], color=vermillion, linewidth=1.8, linestyle="--", label="performance"
        )
        ax = self._ax_knowledge
        ax.set_xlim(0, 40)
        today = {"color": vermillion, "linestyle": "--", "linewidth": 1.4}
        ax.plot([0, 40], [1, 1], **today, label="all practice (today)")
        (self._results,) = ax.plot(
            [], [], color=blue, linewidth=2.2, marker="o", markersize=2.5, label="your plan"
        )
        self._verdict_texts = []
        for ax, columns in zip(axes, (2, 3, 2), strict=True):
            ax.legend(ncol=columns, **_LEGEND)
            verdict = ax.annotate("", (1.0, 1.0), xytext=(0, _TITLE_PAD), **_VERDICT)
            self._verdict_texts.append(verdict)
        keep_legends(fig)
        self.view.animate(
            self._band,
            self._committed,
            self._compliant,
            self._climate,
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
        self._climate.set_data(run.week, run.climate / run.climate[0])
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
            f"2: under a {SURGE:.0%} surge of {SURGE_WEEKS:g} weeks the climate for improvement "
            f"ends at {run.climate[-1] / run.climate[0]:.2f} of its start"
            f"{': the regime falls into the trap' if run.trapped else ''}. "
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
