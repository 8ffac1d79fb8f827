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
from pathlib import Path

import ipywidgets as widgets
from matplotlib.patches import Rectangle

from ..models.capability import simulate as simulate_regime
from ..models.capstone import (
    COMMITTED_GOAL,
    DEFAULT_RUNS,
    DEFAULT_SEED,
    GOALS,
    POLICY_LEVERS,
    REGIMES,
    SURGE,
    SURGE_WEEKS,
    CapstoneReport,
    Design,
    _regime,
    default_organisation,
)
from ..models.knowledge import diagnose
from ..models.knowledge import simulate as simulate_knowledge
from ..models.leadership import SCENARIOS, Levers, compare
from ..models.plan import Plan
from ..style import OKABE_ITO
from ._base import App
from ._blit import BlitFigureView
from .figures import style_axes
from .planner import _SHARES, _fit, _guarded_files, _PlanControls, _whole_percents

__all__ = ["CapstoneDashboard"]

#: How many results of each simulation the dashboard keeps (most recent first out).
CACHE_SIZE = 64
_LEVER_CONTROLS = (
    "pilot_teams",
    "mentoring",
    "mandate",
    "networkers",
    "bridge_width",
    "teams_spanned",
)
_TITLE_PAD = 30  # points: room for a two-row legend between the title and the axes
_MET = {True: ("Met", "#1B5E20"), False: ("Not yet", "#B3261E")}


class CapstoneDashboard(_PlanControls, App):
    """Design a community of leaders and learners and see what three simulations predict.

    Controls (also in ``.controls``): the leaders' levers (pilot teams,
    mentoring, mandate, networkers, bridge width, teams each networker spans);
    the regime (a preset, or the four levers work harder, work smarter, control
    and autonomy); the shares of effort for research, capacity building and
    practice (linked: they always sum to 100%) and integration; the design's
    name; a file name with Save, Load and Export Markdown.

    Each control reruns only its own simulation: a lever reruns the spread of
    the practice (20 runs on the default organisation of 51 people), a regime
    control the capability trap under a 20% surge of 8 weeks, a share or
    integration the knowledge cycle over 10 years.

    Attributes
    ----------
    result : senge_course.models.capstone.CapstoneReport
        The latest report: the three results, the verdicts and the summary.
    design : senge_course.models.capstone.Design
        The design the controls describe (the last valid one, if the name is invalid).
    simulations : dict
        How many times each simulation has run (``"leaders"``, ``"regime"``,
        ``"knowledge"``): results are cached, so a setting seen before is not rerun.

    Parameters
    ----------
    design : Design, optional
        The design to start from (default: command and control, "My design").
    filename : str, optional
        The file Save and Load use (default ``"my_capstone.json"``); Export
        writes the same name with ``.md``.
    """

    _EXAMPLE_FILE = "my_capstone.json"

    def __init__(self, design=None, *, filename="my_capstone.json"):
        if design is None:
            design = Design(
                Plan("My design", allocation=(0.0, 0.0, 1.0), integration=0.25),
                levers=SCENARIOS["executives only (mandate)"],
                regime="command",
            )
        if not isinstance(design, Design):
            raise TypeError(f"design must be a Design or None, got {type(design).__name__}")
        self._syncing = False
        self._name_error = False
        self._plan = design.plan
        self._hidden_levers = {}
        self._hidden_regime = {}
        self._cache = {
            "leaders": OrderedDict(),
            "regime": OrderedDict(),
            "knowledge": OrderedDict(),
        }
        self.simulations = {"leaders": 0, "regime": 0, "knowledge": 0}
        self._ylimit = None
        self.design = None
        G = default_organisation()
        self._organisation = G
        teams = G.graph["teams"]
        members = sum(1 for _, role in G.nodes(data="role") if role == "member")
        wide = {"description_width": "7.5em"}
        full = widgets.Layout(width="98%")

        def slider(kind, description, tooltip, **kw):
            cls = widgets.IntSlider if kind == "int" else widgets.FloatSlider
            extra = {} if kind == "int" else {"readout_format": ".2f"}
            return cls(
                description=description,
                tooltip=tooltip,
                continuous_update=False,
                style=wide,
                layout=full,
                **extra,
                **kw,
            )

        self._levers = {
            "pilot_teams": slider(
                "int",
                "Pilot teams:",
                "Local line leaders: teams that pilot the practice",
                min=0,
                max=teams,
            ),
            "mentoring": slider(
                "float",
                "Mentoring:",
                "Executives mentor line leaders and build infrastructure (0-1)",
                min=0.0,
                max=1.0,
                step=0.1,
            ),
            "mandate": slider(
                "float",
                "Mandate:",
                "Executives order the practice: share of people made compliant",
                min=0.0,
                max=1.0,
                step=0.1,
            ),
            "networkers": slider(
                "int",
                "Networkers:",
                "Internal networkers who carry the practice between teams",
                min=0,
                max=min(10, members),
            ),
            "bridge_width": slider(
                "int",
                "Bridge width:",
                "Ties each networker lays into each team they reach",
                min=1,
                max=6,
            ),
            "teams_spanned": slider(
                "int",
                "Teams spanned:",
                "Other teams each networker reaches",
                min=1,
                max=max(1, teams - 1),
            ),
        }
        self._preset = widgets.Dropdown(
            options=[("command", "command"), ("commitment", "commitment"), ("custom", "custom")],
            description="Regime:",
            style=wide,
            layout=full,
        )
        self._policy = {
            "work_harder": slider(
                "float",
                "Work harder:",
                "Extra hours demanded per unit of pressure (0-10)",
                min=0.0,
                max=10.0,
                step=0.25,
            ),
            "work_smarter": slider(
                "float",
                "Work smarter:",
                "Share of the week moved into improvement per unit of pressure",
                min=0.0,
                max=1.0,
                step=0.05,
            ),
            "control": slider(
                "float",
                "Control:",
                "How tightly managers direct and monitor work (0-1)",
                min=0.0,
                max=1.0,
                step=0.05,
            ),
            "autonomy": slider(
                "float",
                "Autonomy:",
                "How much people decide how to do their work (0.05-1)",
                min=0.05,
                max=1.0,
                step=0.05,
            ),
        }
        short = {
            "research": "Research %:",
            "capacity building": "Capacity bldg %:",
            "practice": "Practice %:",
        }
        self._shares = {
            activity: slider(
                "int", short[activity], f"Share of effort for {activity}", min=0, max=100, step=1
            )
            for activity in _SHARES
        }
        self._integration = slider(
            "float",
            "Integration:",
            "How tightly research, capacity building and practice are coupled",
            min=0.0,
            max=1.0,
            step=0.05,
        )
        self._name = widgets.Text(
            description="Design name:", style=wide, layout=widgets.Layout(width="32%")
        )
        self._filename = widgets.Text(
            value=filename,
            description="File:",
            style={"description_width": "3em"},
            layout=widgets.Layout(width="25%"),
        )
        self._file_buttons()
        self.controls = {
            **self._levers,
            "preset": self._preset,
            **self._policy,
            **self._shares,
            "integration": self._integration,
            "name": self._name,
            "filename": self._filename,
            "save": self._save,
            "load": self._load,
            "export": self._export,
        }

        self.view = BlitFigureView(width=9.6, height=3.5)
        self._build_figure()
        self._report = widgets.HTML(layout=widgets.Layout(max_width="60em"))
        column = widgets.Layout(width="32%", min_width="19em", padding="0 0.5em 0 0")
        heading = widgets.HTML
        columns = widgets.HBox(
            [
                widgets.VBox(
                    [heading("<b>1. Leaders</b>: who pulls which lever"), *self._levers.values()],
                    layout=column,
                ),
                widgets.VBox(
                    [
                        heading("<b>2. Pressure</b>: how the organisation responds"),
                        self._preset,
                        *self._policy.values(),
                    ],
                    layout=column,
                ),
                widgets.VBox(
                    [
                        heading("<b>3. Learning</b>: effort (sums to 100%) and coupling"),
                        *self._shares.values(),
                        self._integration,
                    ],
                    layout=column,
                ),
            ],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        files = widgets.HBox(
            [self._name, self._filename, self._save, self._load, self._export],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        super().__init__([files, columns, self.view, self._report])
        self.add_class("senge-capstone-dashboard")

        for control in self._levers.values():
            control.observe(self._on_levers, names="value")
        self._preset.observe(self._on_preset, names="value")
        for control in self._policy.values():
            control.observe(self._on_policy, names="value")
        for control in self._shares.values():
            control.observe(self._on_share, names="value")
        self._integration.observe(self._on_knowledge, names="value")
        self._name.observe(self._on_name, names="value")
        self.set_design(design)

    # ----------------------------------------------------------------- public

    def set_design(self, design):
        """Show `design` in the controls and rerun what changed (shares in whole percentage points)."""
        try:
            if not isinstance(design, Design):
                raise TypeError(f"design must be a Design, got {type(design).__name__}")
            self._check_fits(design.levers)
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), kind="error")
            return
        self._syncing = True
        try:
            self._plan = design.plan
            self._name.value = design.plan.name
            self._show_levers(design.levers)
            self._show_regime(design.regime)
            for activity, value in zip(
                _SHARES, _whole_percents(design.plan.allocation), strict=True
            ):
                self._shares[activity].value = value
            self._integration.value = design.plan.integration
        finally:
            self._syncing = False
        self._refresh()

    def set_levers(self, levers):
        """Set the leaders' levers: a Levers, a scenario name (``"all three"``) or a mapping."""
        try:
            from ..models.capstone import _levers

            levers = _levers(levers)
            self._check_fits(levers)
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), kind="error")
            return
        self._syncing = True
        try:
            self._show_levers(levers)
        finally:
            self._syncing = False
        self._refresh()

    @_guarded_files
    def save(self, path=None):
        """Save the design as JSON to `path` (default: the file name box); return the path."""
        path = self._path(path)
        self.design.save(path)
        self.show_message(f"saved the design to {path}")
        return path

    @_guarded_files
    def load(self, path=None):
        """Load a design from `path` (default: the file name box) and show it; return the design."""
        path = self._path(path)
        design = Design.load(path)
        self.set_design(design)
        self.show_message(f"loaded the design from {path}")
        return design

    @_guarded_files
    def export_markdown(self, path=None, *, reflections=None):
        """Write the report as one page of Markdown (default: the file name with ``.md``).

        `reflections`, a mapping of question to answer, is added to the page.  Returns the path.
        """
        from ..models.plan import _write_file

        path = self._path(path).with_suffix(".md") if path is None else Path(path)
        text = self.result.to_markdown(self.design.plan.name, reflections=reflections)
        _write_file(path, text, "the Markdown report")
        self.show_message(f"exported the report as Markdown to {path}")
        return path

    # ----------------------------------------------------------------- callbacks

    def _on_levers(self, change):
        if not self._syncing:
            self._refresh()

    def _on_preset(self, change):
        if self._syncing or change["new"] == "custom":
            return
        self._syncing = True
        try:
            self._show_regime(REGIMES[change["new"]])
        finally:
            self._syncing = False
        self._refresh()

    def _on_policy(self, change):
        if self._syncing:
            return
        self._syncing = True
        try:
            self._preset.value = _preset_of(self._regime())
        finally:
            self._syncing = False
        self._refresh()

    def _on_knowledge(self, change):
        if not self._syncing:
            self._refresh()

    def _on_name(self, change):
        if not self._syncing:
            self._update_design()

    # ----------------------------------------------------------------- model

    def _refresh(self):
        """Rerun the simulations whose inputs changed (cached), then redraw and report."""
        if self._syncing:
            return
        try:
            levers = self._levers_value()
            regime = self._regime()
            allocation = tuple(self._shares[a].value / 100 for a in _SHARES)
            integration = float(self._integration.value)
            consultants = self._plan.consultants
            diffusion = self._cached(
                "leaders",
                levers,
                lambda: compare(
                    self._organisation, {"design": levers}, runs=DEFAULT_RUNS, seed=DEFAULT_SEED
                )["design"],
            )
            trap = self._cached(
                "regime",
                regime,
                lambda: simulate_regime(regime, target_change=SURGE, surge_weeks=SURGE_WEEKS),
            )
            knowledge, diagnosis = self._cached(
                "knowledge",
                (allocation, integration, consultants),
                lambda: (
                    simulate_knowledge(allocation, integration, consultants=consultants),
                    diagnose(allocation, integration, consultants=consultants),
                ),
            )
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), kind="error")
            return
        self.result = CapstoneReport(
            levers=levers,
            regime=regime,
            allocation=allocation,
            integration=integration,
            consultants=consultants,
            diffusion=diffusion,
            capability=trap,
            knowledge=knowledge,
            diagnosis=diagnosis,
            people=self._organisation.number_of_nodes(),
        )
        self._update_design()
        self._draw()
        self._report.value = _report_html(self.result)

    def _cached(self, part, key, run):
        cache = self._cache[part]
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        value = run()
        self.simulations[part] += 1
        cache[key] = value
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
        return value

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

    # ----------------------------------------------------------------- helpers

    def _levers_value(self):
        values = {name: self._levers[name].value for name in _LEVER_CONTROLS}
        return Levers(**{**self._hidden_levers, **values})

    def _regime(self):
        values = {lever: float(self._policy[lever].value) for lever in POLICY_LEVERS}
        return _regime({**self._hidden_regime, **values})

    def _show_levers(self, levers):
        data = asdict(levers)
        for name in _LEVER_CONTROLS:
            control = self._levers[name]
            if not control.min <= data[name] <= control.max:
                control.max = data[name]  # a loaded design may go beyond the default range
            control.value = data[name]
        self._hidden_levers = {k: v for k, v in data.items() if k not in _LEVER_CONTROLS}

    def _show_regime(self, regime):
        data = asdict(regime)
        for lever in POLICY_LEVERS:
            self._policy[lever].value = data[lever]
        self._hidden_regime = {k: v for k, v in data.items() if k not in POLICY_LEVERS}
        self._preset.value = _preset_of(regime)

    def _check_fits(self, levers):
        G = self._organisation
        teams = G.graph["teams"]
        if levers.pilot_teams > teams:
            raise ValueError(
                f"pilot_teams must be at most the number of teams ({teams}), "
                f"got pilot_teams={levers.pilot_teams}"
            )
        if levers.teams_spanned > teams - 1:
            raise ValueError(
                f"teams_spanned must be at most the number of other teams ({teams - 1}), "
                f"got teams_spanned={levers.teams_spanned}"
            )

    # ----------------------------------------------------------------- drawing

    def _build_figure(self):
        fig = self.view.figure
        fig.set_layout_engine(None)  # fixed margins: faster full redraws
        self._ax_leaders, self._ax_regime, self._ax_knowledge = fig.subplots(1, 3)
        fig.subplots_adjust(left=0.065, right=0.985, bottom=0.14, top=0.74, wspace=0.3)
        blue, vermillion, orange, green = (
            OKABE_ITO[c] for c in ("blue", "vermillion", "orange", "green")
        )

        ax = self._ax_leaders
        style_axes(ax, title="1. Commitment spreads?", xlabel="round", ylabel="share of people")
        ax.set_xlim(0, 30)
        ax.set_ylim(0, 1.02)
        ax.axhline(COMMITTED_GOAL, color=OKABE_ITO["grey"], linestyle=":", linewidth=1.2)
        ax.text(
            29.5,
            COMMITTED_GOAL - 0.02,
            f"goal {COMMITTED_GOAL:.0%}",
            fontsize=8,
            ha="right",
            va="top",
            color="#1a1a1a",
        )
        self._band = ax.fill_between(
            [0, 1],
            [0, 0],
            [0, 0],
            color=green,
            alpha=0.2,
            linewidth=0,
            label="committed, 5-95% of runs",
        )
        (self._committed,) = ax.plot(
            [], [], color=green, linewidth=2.2, marker="o", markersize=2.5, label="committed (mean)"
        )
        (self._compliant,) = ax.plot(
            [], [], color=orange, linewidth=1.6, linestyle="--", label="compliant (mean)"
        )
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.01),
            fontsize=7,
            frameon=False,
            ncol=2,
            borderaxespad=0.0,
            handlelength=1.6,
            columnspacing=0.8,
        )

        ax = self._ax_regime
        style_axes(
            ax, title="2. No capability trap?", xlabel="week", ylabel="relative to the start"
        )
        ax.set_xlim(0, 300)
        ax.set_ylim(0, 1.3)
        ax.add_patch(
            Rectangle(
                (20, 0),
                SURGE_WEEKS,
                1,
                transform=ax.get_xaxis_transform(),
                facecolor=OKABE_ITO["grey"],
                alpha=0.25,
                hatch="xx",
                edgecolor=OKABE_ITO["grey"],
                linewidth=0,
                label=f"{SURGE:.0%} surge",
            )
        )
        (self._trust,) = ax.plot([], [], color=blue, linewidth=2.0, label="trust")
        (self._performance,) = ax.plot(
            [], [], color=vermillion, linewidth=1.8, linestyle="--", label="performance"
        )
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.01),
            fontsize=7,
            frameon=False,
            ncol=3,
            borderaxespad=0.0,
            handlelength=1.6,
            columnspacing=0.8,
        )

        ax = self._ax_knowledge
        style_axes(ax, title="3. Integrated cycle?", xlabel="quarter", ylabel="results per quarter")
        ax.set_xlim(0, 40)
        (self._baseline,) = ax.plot(
            [0, 40],
            [1, 1],
            color=vermillion,
            linestyle="--",
            linewidth=1.4,
            label="all practice (today)",
        )
        (self._results,) = ax.plot(
            [], [], color=blue, linewidth=2.2, marker="o", markersize=2.5, label="your plan"
        )
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.01),
            fontsize=7,
            frameon=False,
            ncol=2,
            borderaxespad=0.0,
            handlelength=1.6,
            columnspacing=0.8,
        )
        for ax in (self._ax_leaders, self._ax_regime, self._ax_knowledge):
            ax.title.set_fontsize(10)
            ax.set_title(ax.get_title(loc="left"), loc="left", fontsize=10, pad=_TITLE_PAD)
        self._verdict_texts = [
            ax.annotate(
                "",
                xy=(1.0, 1.0),
                xycoords="axes fraction",
                xytext=(0, _TITLE_PAD),
                textcoords="offset points",
                ha="right",
                va="baseline",
                fontsize=10,
                fontweight="bold",
                color="#1a1a1a",
            )
            for ax in (self._ax_leaders, self._ax_regime, self._ax_knowledge)
        ]
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
        self._trust.set_data(run.time, run.trust / run.trust[0])
        self._performance.set_data(run.time, run.relative("performance"))
        k = report.knowledge
        self._results.set_data([0, *k.quarter.tolist()], [k.baseline, *k.results.tolist()])
        top = _fit(self._ylimit, max(2.0, float(k.results.max())))
        if top != self._ylimit:
            self._ylimit = top
            self._ax_knowledge.set_ylim(0, top)
            self.view.invalidate()
        for text, ok in zip(self._verdict_texts, report.verdicts.values(), strict=True):
            label, colour = _MET[ok]
            text.set_text(f"{label}")
            text.set_color(colour)
        self.view.render(_figure_summary(report))


def _preset_of(regime):
    for name, preset in REGIMES.items():
        if regime == preset:
            return name
    return "custom"


def _figure_summary(report):
    low, high = report.committed_band
    run = report.capability
    k = report.knowledge
    return (
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
    head = (
        "Your design meets all three goals."
        if report.passed
        else f"Your design meets {met} of the 3 goals."
    )
    notes = "".join(f'<p style="margin:4px 0">Note: {html.escape(n)}</p>' for n in report.notes)
    return (
        '<div role="status" style="color:#1a1a1a;border-left:4px solid #0D47A1;padding:2px 10px">'
        f'<p style="margin:2px 0"><strong>{html.escape(head)}</strong></p>'
        f'<ul style="margin:4px 0;padding-left:1.2em">{"".join(rows)}</ul>{notes}</div>'
    )
