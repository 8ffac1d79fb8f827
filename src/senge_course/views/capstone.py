"""CapstoneDashboard: one design for a community of leaders and learners, three coupled models.

The learner sets the three parts of a design (:class:`senge_course.models.capstone.Design`) in
three columns of controls, and switches the couplings between the models on and off in a
fourth; three plots on one axis in quarters (`senge_course.models.timeline`) show what each
model predicts, and the report below says it in words, goal by goal, with the design's cost
against the budget (`senge_course.models.budget`) and what each coupling changed
(:func:`senge_course.models.coupled.assess_coupled`).  An instructor's scenario
(:class:`senge_course.models.assignment.Assignment`) sets the organisation, prices, budget,
shock and goals.

Examples
--------
The dashboard opens on command and control (a mandate, the command regime, all practice): no
goal is met.  The three kinds of leader, commitment and a balanced, integrated plan meet all
three, over the budget:

>>> app = CapstoneDashboard()
>>> app.result.passed, sum(app.result.verdicts.values())
(False, 0)
>>> app.set_levers("all three")
>>> app.controls["preset"].value = "commitment"
>>> app.controls["capacity building"].value = 20
>>> app.controls["research"].value = 20
>>> app.controls["integration"].value = 1.0
>>> app.result.passed, app.result.spreads, app.within_budget
(True, True, False)
>>> print(app.cost.summary)  # doctest: +ELLIPSIS
The design costs 54.4 budget points: pilot teams 16, ...
>>> app.apply({"networkers": 1})  # where a claim fails (Assumptions)
>>> app.result.verdicts["commitment spreads"]
False
"""

import functools
import html
from dataclasses import asdict

import ipywidgets as widgets

from ..models.assignment import DEFAULT, Assignment
from ..models.capability import POLICY_LEVERS, PRESETS, REGIME_PARAMETERS, as_regime, preset_name
from ..models.capstone import GOALS, LEADER_LEVERS, Design, as_levers
from ..models.coupled import (
    COUPLING_ORIGINS,
    COUPLINGS,
    OFF,
    assess_coupled,
    check_couplings,
    runners_for,
)
from ..models.leadership import LEVERS, SCENARIOS, Levers
from ..models.memo import DesignMemo
from ..models.plan import Plan
from ..models.timeline import QUARTERS, timeline
from ..style import OKABE_ITO
from ._base import App, guarded, quiet
from ._blit import BlitFigureView
from .controls import controls_for
from .figures import style_axes
from .plancontrols import PlanControls, fit_top, guarded_files, keep_legends

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
    """Design a community of leaders and learners and see what the three coupled models predict.

    Controls (also in ``.controls``): the leaders' levers (pilot teams, mentoring, mandate,
    networkers, ties per bridge, teams each networker reaches:
    `senge_course.models.leadership.LEVERS`); the regime (a preset, or the four levers work
    harder, work smarter, control and autonomy: `senge_course.models.capability.REGIME_PARAMETERS`);
    the shares of effort for research, capacity building and practice (linked: they always sum
    to 100%) and integration; one checkbox per coupling between the models (named as in
    `senge_course.models.coupled.COUPLINGS`; `set_couplings` sets them all); the design's name;
    a file name with Save, Load and Export Markdown (`export_markdown(path, reflections=...)`;
    `export_memo(path, trade_offs=..., threats=...)` writes the design memo); and a folded
    Assumptions section with the claims it shows (`assumptions`; `apply` moves the dashboard to
    a claim's setting).

    The three plots share one axis in quarters (`senge_course.models.timeline`): commitment over
    the leader network's 30 rounds (10 quarters), the climate and performance over the capability
    model's 300 weeks (about 23 quarters), results over the knowledge cycle's 40 quarters; the
    mandate, the surge and a departing networker are marked on it.  Each run is cached, so a
    control reruns only the models its change reaches through the couplings.

    `.coupled` is the latest `~senge_course.models.coupled.CoupledReport` and `.result` its
    ``.report`` (the `~senge_course.models.capstone.CapstoneReport` of the runs as the models
    received them: verdicts, summary, Markdown); `.cost` is the design's
    `~senge_course.models.budget.Cost` at the assignment's prices and `.within_budget` whether
    it fits the assignment's available budget; `.timeline` the `Timeline`; `.design` the design
    the controls describe (the last valid one, if the name is invalid).  The app starts from
    `design` (default: command and control, "My design") under `assignment` (default the
    course's own, `senge_course.models.assignment.DEFAULT`); Save and Load use `filename`
    (default ``"my_capstone.json"``), Export the same name with ``.md``.
    """

    DOCUMENT = Design
    EXAMPLE_FILE = "my_capstone.json"

    def __init__(self, design=None, *, filename="my_capstone.json", assignment=None):
        if design is None:
            design = Design(
                Plan("My design", allocation=(0.0, 0.0, 1.0), integration=0.25),
                levers=SCENARIOS["executives only (mandate)"],
                regime="command",
            )
        if not isinstance(design, Design):
            raise TypeError(f"design must be a Design or None, got {type(design).__name__}")
        assignment = DEFAULT if assignment is None else assignment
        if not isinstance(assignment, Assignment):
            raise TypeError(
                f"assignment must be an Assignment or None, got {type(assignment).__name__}"
            )
        self.assignment = assignment
        self._plan = design.plan
        self._hidden_levers, self._hidden_regime = {}, {}
        self._organisation = G = assignment.graph()
        runners = runners_for(G, leaves=assignment.leaves, surge=assignment.surge)
        self._runners = {
            part: functools.lru_cache(CACHE_SIZE)(run) for part, run in runners.items()
        }
        self._ylimit = self.design = self.result = self.coupled = None
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
        values = assignment.coupling_values
        self._strengths = {n: values[n] or float(COUPLINGS[n].default) for n in COUPLINGS}
        self._couplings = {
            name: widgets.Checkbox(
                value=values[name] > 0,
                description=f"{name.replace('_', ' ')} ({COUPLING_ORIGINS[name]})",
                indent=False,
                layout=wide,
            )
            for name in COUPLINGS
        }
        self.controls = {
            **self._levers,
            "preset": self._preset,
            **self._policy,
            **self._shares,
            "integration": self._integration,
            **self._couplings,
            "name": self._name,
            "filename": self._filename,
            **self._buttons,
        }
        self.view = BlitFigureView(width=9.6, height=5.6)
        self._build_figure()
        self._budget = widgets.HTML(layout=widgets.Layout(max_width="60em"))
        self._report = widgets.HTML(layout=widgets.Layout(max_width="60em"))
        column = widgets.Layout(width="24%", min_width="17em", padding="0 0.5em 0 0")
        policy, shares = self._policy.values(), self._shares.values()
        parts = (
            ("<b>1. Leaders</b>: who pulls which lever", *self._levers.values()),
            ("<b>2. Pressure</b>: how the organisation responds", self._preset, *policy),
            ("<b>3. Learning</b>: effort (sums to 100%) and coupling", *shares, self._integration),
            ("<b>4. Couplings</b> between the models (on: ticked)", *self._couplings.values()),
        )
        boxes = [widgets.VBox([widgets.HTML(head), *rest], layout=column) for head, *rest in parts]
        wrap = widgets.Layout(flex_flow="row wrap")
        files_row = widgets.HBox([self._name, self._filename, *self._buttons.values()], layout=wrap)
        parts = (files_row, widgets.HBox(boxes, layout=wrap), self._budget, self.view, self._report)
        super().__init__([*parts, self._assumptions_section()])
        self.add_class("senge-capstone-dashboard")
        for control in (*self._levers.values(), self._integration, *self._couplings.values()):
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

    @guarded
    def set_couplings(self, couplings=None):
        """Switch the couplings: None (the assignment's), `OFF` (none), or a mapping name -> value.

        A value above 0 ticks the coupling's box and runs it at that strength; 0 unticks it.
        """
        values = self.assignment.coupling_values if couplings is None else couplings
        if couplings is not None and couplings is not OFF:
            values = {**self.assignment.coupling_values, **check_couplings(dict(couplings))}
        with quiet(self):
            for name, box in self._couplings.items():
                if values[name] > 0:
                    self._strengths[name] = float(values[name])
                box.value = values[name] > 0
        self._refresh()

    @property
    def couplings(self):
        """The couplings the models run with now: name -> value (0: switched off)."""
        return {n: self._strengths[n] if box.value else 0.0 for n, box in self._couplings.items()}

    @property
    def cost(self):
        """What the design costs at the assignment's prices (a `~senge_course.models.budget.Cost`)."""
        return self.assignment.cost(self.design)

    @property
    def within_budget(self):
        """True if the design fits the assignment's available budget."""
        return self.cost.within(self.assignment.available_budget)

    @property
    def timeline(self):
        """The latest run on one axis in quarters (a `~senge_course.models.timeline.Timeline`)."""
        return timeline(self.result)

    def memo(self, *, trade_offs, threats, case=""):
        """Return the design memo (`~senge_course.models.memo.DesignMemo`) of the design shown.

        `trade_offs`, `threats` (claim key -> reason, at least two) and `case` are the learner's;
        the memo runs the models with the couplings shown, under the dashboard's assignment.
        """
        return DesignMemo.from_design(
            self.design,
            trade_offs=trade_offs,
            threats=threats,
            case=case,
            couplings=self.couplings,
            assignment=self.assignment,
        )

    @guarded_files
    def export_memo(self, path, *, trade_offs, threats, case=""):
        """Write the design memo to `path` (``.md`` Markdown or ``.html``); return the path."""
        path = self._path(path, "export")
        self.memo(trade_offs=trade_offs, threats=threats, case=case).save(path)
        self.show_message(f"exported the design memo to {path}")
        return path

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
        return self.coupled.to_markdown(self.design.plan.name, reflections=reflections), "report"

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
        """Rerun the models whose inputs changed (cached), then redraw and report."""
        if self._busy:
            return
        values = {name: control.value for name, control in self._levers.items()}
        levers = Levers(**{**self._hidden_levers, **values})
        goals = self.assignment.goals
        self.coupled = assess_coupled(
            levers,
            self._regime(),
            self.allocation(),
            float(self._integration.value),
            couplings=self.couplings,
            consultants=self._plan.consultants,
            G=self._organisation,
            surge=self.assignment.surge,
            leaves=self.assignment.leaves,
            committed_goal=goals["committed"],
            required=goals["required"],
            runners=self._runners,
        )
        self.result = self.coupled.report
        self._update_design()
        self._draw()
        self._budget.value = _budget_html(self.cost, self.assignment.available_budget)
        self._report.value = _report_html(self.coupled)

    def _update_design(self):
        """Rebuild `.design` from the controls; keep the last valid one if the name is invalid."""
        if self.result is None:
            return
        plan = self._rebuild(
            lambda: self._plan.replace(
                name=self._name.value,
                allocation=self.coupled.allocation,
                integration=self.coupled.integration,
            ),
            "the design keeps its last valid name",
        )
        if plan is not None:
            self._plan = plan
            self.design = Design(plan, levers=self.coupled.levers, regime=self.coupled.regime)

    # ----------------------------------------------------------------- drawing

    def _build_figure(self):
        fig = self.view.figure
        fig.set_layout_engine(None)  # fixed margins: faster full redraws
        axes = fig.subplots(3, 1, sharex=True)
        self._ax_leaders, self._ax_regime, self._ax_knowledge = axes
        fig.subplots_adjust(left=0.075, right=0.985, bottom=0.085, top=0.9, hspace=0.62)
        labels = (
            ("1. Commitment spreads?", "share of people"),
            ("2. No capability trap?", "relative to start"),
            ("3. Integrated cycle?", "results a quarter"),
        )
        for ax, (title, ylabel) in zip(axes, labels, strict=True):
            style_axes(ax, ylabel=ylabel)
            ax.set_title(title, loc="left", fontsize=10, pad=_TITLE_PAD, y=1.0)  # y: no placing
        style_axes(self._ax_knowledge, xlabel="quarter (13 weeks; 3 rounds of the leader network)")
        blue, vermillion, green, grey, orange, purple = (
            OKABE_ITO[c] for c in ("blue", "vermillion", "green", "grey", "orange", "purple")
        )
        a = self.assignment
        ax = self._ax_leaders
        ax.set(xlim=(0, QUARTERS), ylim=(0, 1.02))
        goal = a.committed_goal
        ax.axhline(goal, color=grey, linestyle=":", linewidth=1.2)
        ax.text(QUARTERS - 0.5, goal - 0.03, f"goal {goal:.0%}", fontsize=8, ha="right", va="top")
        self._band = ax.fill_between([0, 1], [0, 0], [0, 0], color=green, alpha=0.2, linewidth=0)
        self._band.set_label("committed, 5-95% of runs")
        (self._committed,) = ax.plot(
            [], [], color=green, linewidth=2.2, marker="o", markersize=2.5, label="committed (mean)"
        )
        (self._compliant,) = ax.plot(
            [], [], color=orange, linewidth=1.6, linestyle="--", label="compliant (mean)"
        )
        self._mandate = ax.axvspan(0, 1, facecolor=orange, alpha=0.12, hatch="//", linewidth=0)
        self._mandate.set_label("mandate")
        if a.leaves is not None:
            at = a.leaves / 3
            self._leaves = ax.axvline(at, color=purple, linestyle="-.", linewidth=1.4)
            self._leaves.set_label("networker leaves")
        else:
            self._leaves = None
        ax = self._ax_regime
        ax.set_ylim(0, 1.3)
        size, weeks = a.surge
        shade = {"facecolor": grey, "alpha": 0.25, "hatch": "xx", "edgecolor": grey, "linewidth": 0}
        ax.axvspan(20 / 13, (20 + weeks) / 13, **shade).set_label(f"{size:.0%} surge")
        (self._climate,) = ax.plot([], [], color=blue, linewidth=2.0, label="climate")
        (self._performance,) = ax.plot(
            [], [], color=vermillion, linewidth=1.8, linestyle="--", label="performance"
        )
        ax = self._ax_knowledge
        today = {"color": vermillion, "linestyle": "--", "linewidth": 1.4}
        ax.plot([0, QUARTERS], [1, 1], **today, label="all practice (today)")
        (self._results,) = ax.plot(
            [], [], color=blue, linewidth=2.2, marker="o", markersize=2.5, label="your plan"
        )
        self._verdict_texts = []
        for ax, columns in zip(axes, (5, 3, 2), strict=True):
            ax.legend(ncol=columns, **_LEGEND)
            verdict = ax.annotate("", (1.0, 1.0), xytext=(0, _TITLE_PAD), **_VERDICT)
            self._verdict_texts.append(verdict)
        keep_legends(fig)
        moving = [self._band, self._committed, self._compliant, self._mandate]
        moving += [self._climate, self._performance, self._results, *self._verdict_texts]
        self.view.animate(*moving, *([self._leaves] if self._leaves is not None else []))

    def _draw(self):
        report, line = self.result, self.timeline
        q = line.leaders_quarter
        self._band.set_data(q, line.committed_low, line.committed_high)
        self._committed.set_data(q, line.committed)
        self._compliant.set_data(q, line.compliant)
        self._compliant.set_visible(bool(line.compliant.max() > 0.005))
        mandate = next((e for e in line.events if e.name == "mandate"), None)
        self._mandate.set_visible(mandate is not None)
        if mandate is not None:
            self._mandate.set_x(0.0)
            self._mandate.set_width(mandate.end)
        if self._leaves is not None:
            self._leaves.set_visible(report.levers.networkers > 0)
        self._climate.set_data(line.regime_quarter, line.climate)
        self._performance.set_data(line.regime_quarter, line.performance)
        self._results.set_data(line.knowledge_quarter, line.results)
        top = fit_top(self._ylimit, max(2.0, float(line.results.max())))
        if top != self._ylimit:
            self._ylimit = top
            self._ax_knowledge.set_ylim(0, top)
            self.view.invalidate()
        for text, ok in zip(self._verdict_texts, report.verdicts.values(), strict=True):
            label, colour = _MET[ok]
            text.set_text(label)
            text.set_color(colour)
        low, high = report.committed_band
        k, run = report.knowledge, report.capability
        self.view.render(
            f"Three panels on one axis in quarters. 1: {report.committed:.0%} of people end "
            f"committed on average (5-95%: {low:.0%}-{high:.0%}; goal "
            f"{report.committed_goal:.0%}) by quarter {line.ends['leaders']:g}. "
            f"2: under a {report.surge[0]:.0%} surge of {report.surge[1]:g} weeks the climate for "
            f"improvement ends at {line.climate[-1]:.2f} of its start in quarter "
            f"{line.ends['regime']:.0f}{': the regime falls into the trap' if run.trapped else ''}. "
            f"3: results go from {k.results[0]:.2f} to {k.results[-1]:.2f} a quarter "
            f"({k.total:.1f} over 10 years against {k.baseline_total:.0f} for all practice; "
            f"{report.diagnosis.mode}). {self.cost.summary}"
        )


def _budget_html(cost, budget):
    """The budget line: the cost against the budget, in words and in a bar (not colour alone)."""
    over = cost.total > budget + 1e-9
    label, colour = ("Over budget", "#B3261E") if over else ("Within budget", "#1B5E20")
    share = min(cost.total / budget, 1.0) if budget > 0 else 1.0
    gap = abs(budget - cost.total)
    words = f"{gap:g} too many" if over else f"{gap:g} to spare"
    return (
        f'<div role="status" style="color:#1a1a1a;margin:4px 0">'
        f'<strong style="color:{colour}">{label}:</strong> {cost.total:g} of {budget:g} budget '
        f"points ({words}). {html.escape(cost.summary)}"
        f'<div aria-hidden="true" style="width:30em;height:0.6em;border:1px solid #555">'
        f'<div style="width:{share:.0%};height:100%;background:{colour}"></div></div></div>'
    )


def _report_html(coupled):
    report = coupled.report
    texts = (report.leaders_text, report.regime_text, report.knowledge_text)
    rows = []
    for goal, ok, text in zip(GOALS, report.verdicts.values(), texts, strict=True):
        label, colour = _MET[ok]
        needed = "" if goal in report.required else " (not required in this assignment)"
        rows.append(
            f'<li style="margin:4px 0"><strong style="color:{colour}">{label}: '
            f"{html.escape(goal)}{needed}.</strong> {html.escape(text)}</li>"
        )
    effects = [
        f"<li>{html.escape(e.sentence)}</li>"
        if e.strength > 0
        else f"<li>Off: {html.escape(name.replace('_', ' '))}.</li>"
        for name, e in coupled.effects.items()
    ]
    notes = "".join(f'<p style="margin:4px 0">Note: {html.escape(n)}</p>' for n in report.notes)
    return (
        '<div role="status" style="color:#1a1a1a;border-left:4px solid #0D47A1;padding:2px 10px">'
        f'<p style="margin:2px 0"><strong>{html.escape(report.verdict)}</strong></p>'
        f'<ul style="margin:4px 0;padding-left:1.2em">{"".join(rows)}</ul>'
        f'<p style="margin:4px 0"><strong>Couplings</strong> (the models run leaders, regime, '
        f'knowledge):</p><ul style="margin:4px 0;padding-left:1.2em">{"".join(effects)}</ul>'
        f"{notes}</div>"
    )
