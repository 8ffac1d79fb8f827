"""ScenarioComparer: command and commitment side by side over time (lessons 01 and 06).

The app runs the capability-trap model (`senge_course.models.capability`) for two or more
*scenarios* (a regime and the same shock to the performance target) and draws them on one 2 x 2
grid sharing the time axis (`plot_runs` draws the same grid outside the app).  Its Assumptions
section lists the claims it shows (`senge_course.models.claims.trap`) and moves it to where each
fails.

Examples
--------
A 20% surge in the target for 8 weeks: command falls into the trap, commitment recovers.

>>> app = ScenarioComparer(predict=False)
>>> sorted(app.result)
['A', 'B']
"""

import html
import math

import ipywidgets as widgets
import numpy as np

from .._validate import check_integer, check_number
from ..models import claims
from ..models.capability import (
    CLIMATE_OUTCOMES,
    POLICY_LEVERS,
    PRESETS,
    REGIME_PARAMETERS,
    SHOCK_PARAMETERS,
    CapabilityRun,
    Regime,
    check_runs,
    climate_outcome,
    describe_runs,
    describe_shock,
    preset_name,
    simulate,
)
from ..style import OKABE_ITO, SERIES, series_style
from ._base import App, guarded, quiet
from ._blit import BlitFigureView
from .assumptions import AssumptionsView
from .controls import control_for, controls_for
from .plancontrols import percent_slider

__all__ = ["PANELS", "ScenarioComparer", "plot_runs"]

#: The four panels: title, y-axis label and the default y range.
PANELS = {
    "performance": ("Performance", "times its start", (0.0, 1.6)),
    "capability": ("Process capability", "output per hour", (0.0, 1.25)),
    "climate": ("Climate for improvement (one lumped stock)", "climate (0 to 1)", (0.0, 1.05)),
    "hours": ("Hours a week", "hours", (0.0, 48.0)),
}
#: Most scenarios shown at once (one line style and marker each).
MAX_SCENARIOS = len(SERIES)

_LETTERS = "ABCD"
_MARK_WEEKS = 30.0  # a marker every 30 weeks on each line
_GREY = OKABE_ITO["grey"]
_CELL = "padding:1px 0.9em;text-align:right"
_MARKER_NAMES = {"o": "circles", "s": "squares", "^": "triangles", "D": "diamonds"}
_DASH_NAMES = {"-": "solid", "--": "dashed", "-.": "dash-dot", ":": "dotted"}
# series drawn per scenario: key -> (panel, what the line's label adds to the scenario's)
_SERIES = {key: (key, "") for key in ("performance", "capability", "climate")}
_SERIES |= {"hours_working": ("hours", ": working"), "hours_improving": ("hours", ": improving")}


def plot_runs(runs, axes=None):
    """Draw scenarios on a 2 x 2 grid sharing the time axis; return what was drawn and a summary.

    `runs` is one `CapabilityRun` or up to 7 by name; `axes` four matplotlib Axes (default: a new
    9 x 6.4 inch figure).  Panels: performance relative to its start (with the first scenario's
    target dotted), process capability, the climate for improvement, and hours a week working
    (upper lines) and improving (lower lines).  The weeks of the shock are shaded.  Each scenario
    gets a colour (`senge_course.style.series_style`), a line style, a marker and a legend entry.

    Returns
    -------
    drawn : dict
        ``figure``; ``axes`` (panel -> Axes); ``lines`` (name -> series -> Line2D, the hours
        panel split into ``hours_working`` and ``hours_improving``); ``target`` (Line2D);
        ``surge`` (panel -> patch); ``legend``.
    summary : str
        What the figure shows, in words (`describe_runs`).

    Examples
    --------
    >>> from senge_course.models.capability import COMMAND, COMMITMENT, simulate
    >>> runs = {"command": simulate(COMMAND, target_change=0.2),
    ...         "commitment": simulate(COMMITMENT, target_change=0.2)}
    >>> drawn, summary = plot_runs(runs)
    >>> sorted(drawn["lines"]["command"])
    ['capability', 'climate', 'hours_improving', 'hours_working', 'performance']
    >>> summary.startswith("After a permanent 20% rise in the target from week 20: command tips")
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    runs = check_runs({"scenario": runs} if isinstance(runs, CapabilityRun) else runs)
    if not runs:
        raise ValueError("runs must hold at least one scenario, got an empty mapping")
    if len(runs) > MAX_SCENARIOS:
        raise ValueError(f"runs can hold at most {MAX_SCENARIOS} scenarios, got {len(runs)}")
    first = next(iter(runs.values()))
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(2, 2, figsize=(9, 6.4), sharex=True)[1]
    axes = list(np.ravel(axes))
    if len(axes) != 4:
        raise ValueError(f"axes must be 4 matplotlib Axes, got {len(axes)}")
    drawing = _Drawing(axes[0].figure, axes, weeks=first.weeks, animated=False)
    for i, (name, run) in enumerate(runs.items()):
        drawing.add(name, i, name)
        drawing.set_run(name, run)
    drawing.set_shock(first)
    drawing.fit_limits()
    drawing.make_legend()
    lines = {name: dict(lines) for name, lines in drawing.lines.items()}
    drawn = dict(figure=drawing.fig, axes=dict(drawing.axes), lines=lines, target=drawing.target)
    return drawn | dict(surge=dict(drawing.surge), legend=drawing.legend), describe_runs(runs)


class _Drawing:
    """The artists of a comparison figure, updated in place (shared by plot_runs and the app)."""

    def __init__(self, fig, axes, *, weeks, animated):
        self.fig, self.axes = fig, dict(zip(PANELS, axes, strict=True))
        self.weeks, self.animated = float(weeks), animated
        self.lines, self.labels, self.legend = {}, {}, None
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.08, top=0.86, hspace=0.32, wspace=0.22)
        for panel, ax in self.axes.items():
            title, ylabel, ylim = PANELS[panel]
            ax.set_title(title, fontsize=10, loc="left")
            ax.set_ylabel(ylabel, fontsize=9)
            ax.set(xlim=(0, self.weeks), ylim=ylim)
            ax.tick_params(labelsize=8, labelbottom=True)
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(True, color=_GREY, alpha=0.3, linewidth=0.6)
            if panel in ("climate", "hours"):
                ax.set_xlabel("week", fontsize=9)
        hours = self.axes["hours"]
        small = {"transform": hours.transAxes, "fontsize": 8, "va": "center"}
        hours.text(0.02, 0.52, "upper lines: hours working (with overtime)", **small)
        hours.text(0.02, 0.34, "lower lines: hours improving", **small)
        dotted = dict(color=OKABE_ITO["black"], linestyle=":", linewidth=1.2, label="target")
        (self.target,) = self.axes["performance"].plot([], [], **dotted)
        self.surge, self.cursor = {}, {}
        shade = {"color": _GREY, "alpha": 0.18, "linewidth": 0, "label": "shock"}
        for panel, ax in self.axes.items():
            self.surge[panel] = ax.axvspan(0, 0, **shade)
            self.cursor[panel] = ax.axvline(0, color=OKABE_ITO["black"], lw=0.8, visible=False)
        for artist in (self.target, *self.surge.values(), *self.cursor.values()):
            artist.set_animated(animated)

    def add(self, name, style_index, label):
        look = series_style(style_index) | {"markersize": 5, "linewidth": 1.6}
        every = (0, max(1, round(_MARK_WEEKS / 0.25)))
        self.lines[name] = {
            key: self.axes[panel].plot([], [], markevery=every, animated=self.animated, **look)[0]
            for key, (panel, _) in _SERIES.items()
        }
        self.set_label(name, label, legend=False)

    def remove(self, name):
        for line in self.lines.pop(name).values():
            line.remove()
        self.labels.pop(name)

    def set_run(self, name, run):
        every = max(1, round(_MARK_WEEKS / run.dt))
        offset = (list(self.lines).index(name) * max(1, round(4.0 / run.dt))) % every
        for key, line in self.lines[name].items():
            values = run.relative(key) if key == "performance" else getattr(run, key)
            line.set_data(run.week, values)
            line.set_markevery((offset, every))

    def set_shock(self, run):
        self.target.set_data(run.week, run.target / run.target[0])
        start = run.surge_start if run.target_change else 0.0
        end = self.weeks if run.surge_weeks is None else min(start + run.surge_weeks, self.weeks)
        for patch in self.surge.values():
            patch.set_x(start)
            patch.set_width(end - start if run.target_change else 0.0)

    def set_cursor(self, week):
        for line in self.cursor.values():
            line.set(xdata=[week, week], visible=True, label=f"week {week}")

    def fit_limits(self):
        """Grow (or shrink back) the y ranges to fit the data; return True if any changed."""
        changed = False
        for panel, ax in self.axes.items():
            low, top = PANELS[panel][2]
            data = [line.get_ydata() for line in ax.get_lines() if len(line.get_ydata()) > 1]
            highest = max((float(np.max(y)) for y in data), default=top)
            step = 0.5 if panel != "hours" else 10.0
            wanted = top if highest <= top else top + step * math.ceil((highest - top) / step)
            if ax.get_ylim() != (low, wanted):
                ax.set_ylim(low, wanted)
                changed = True
        return changed

    def make_legend(self):
        if self.legend is not None:
            self.legend.remove()
        handles = [lines["performance"] for lines in self.lines.values()]
        handles += [self.target, self.surge["performance"]]
        labels = [*self.labels.values(), "target (first scenario)", "weeks of the shock"]
        where = dict(loc="upper center", bbox_to_anchor=(0.5, 0.995), frameon=False, fontsize=9)
        self.legend = self.fig.legend(handles, labels, ncols=min(len(labels), 4), **where)
        self.legend.set_animated(self.animated)

    def set_label(self, name, label, *, legend=True):
        """Name a scenario on its lines (what `describe_figure` reports) and in the legend."""
        self.labels[name] = label
        for key, line in self.lines[name].items():
            line.set_label(label + _SERIES[key][1])
        if legend and self.legend is not None:
            self.legend.get_texts()[list(self.lines).index(name)].set_text(label)

    def artists(self):
        """Every artist that changes: drawn over the cached background on each update."""
        out = [line for lines in self.lines.values() for line in lines.values()]
        return [*out, self.target, *self.surge.values(), *self.cursor.values(), self.legend]


class ScenarioComparer(App):
    """Compare regimes over time after a shock to the target: command, commitment or your own.

    Each live scenario (A, B, ...) has a policy preset (command, commitment or custom) and sliders
    for its four levers (`REGIME_PARAMETERS`); the shock is shared (`SHOCK_PARAMETERS`): the target
    changes by a percentage from a week on, for some weeks or for good.  Moving a lever reruns only
    that scenario's model; moving the shock reruns the live scenarios; kept scenarios never rerun.

    Parameters
    ----------
    regimes : sequence of str or Regime, default ("command", "commitment")
        The live scenarios, 1 to 4: preset names or `Regime` objects (their fields beyond the four
        levers are kept).
    target_change, surge_start, surge_weeks : default 0.2, 20, 8
        The shock, within its sliders' ranges (`SHOCK_PARAMETERS`): a change in the target of -0.5
        to 1 (0.2: a 20% rise), from week 0 to 100, lasting 1 to 52 weeks (None: for good).
    weeks : int, default 300
        Length of every run, 100 to 520 weeks.
    predict : bool, default True
        Ask for a prediction about the climate for improvement in scenario A first, show the figure only once the
        learner presses "Show the simulation" (or calls `run`), then show the prediction against
        the result.  False: no prediction, the figure at once.

    Attributes
    ----------
    result : dict
        Scenario name -> `CapabilityRun`: the live scenarios (``"A"``, ``"B"``, ...) first, then
        the kept ones by the names given.
    summary : str
        The latest text summary of the figure (`describe_runs`).
    controls : dict
        The app's controls: ``controls["A"]["control"]`` is scenario A's control slider;
        ``"target_change"`` (percent), ``"surge_start"``, ``"surge_weeks"``, ``"permanent"``,
        ``"week"``, ``"prediction"``, ``"run"``, ``"name"``, ``"source"``, ``"keep"``, ``"kept"``,
        ``"remove"``, ``"clear"``.
    feedback, readout : ipywidgets.HTML
        The prediction's feedback, and the table of values at the chosen week.
    assumptions : AssumptionsView
        The claims the app shows (`claims.for_app`), folded under "Assumptions"; `apply` moves
        the app to a claim's setting.

    Examples
    --------
    Easing command's control to 0.4 lets it survive the 20% surge that traps it:

    >>> app = ScenarioComparer(predict=False)
    >>> app.result["A"].trapped
    True
    >>> app.controls["A"]["control"].value = 0.4
    >>> app.result["A"].trapped, app.controls["A"]["preset"].value
    (False, 'custom')
    >>> app.policy("A")
    {'work_harder': 4.0, 'work_smarter': 0.0, 'control': 0.4, 'autonomy': 0.2}

    Keep it under a name, then compare it with the next change:

    >>> app.keep("control 0.4")
    >>> list(app.result)
    ['A', 'B', 'control 0.4']
    """

    def __init__(
        self,
        regimes=("command", "commitment"),
        *,
        target_change=0.2,
        surge_start=20,
        surge_weeks=8,
        weeks=300,
        predict=True,
    ):
        bases = self._check_regimes(regimes)
        self._weeks = check_integer("weeks", weeks, low=100, high=520)
        target_change = _shock_input("target_change", target_change, check_number)
        surge_start = _shock_input("surge_start", surge_start, check_integer)
        if surge_weeks is not None:
            surge_weeks = _shock_input("surge_weeks", surge_weeks, check_integer)
        if not isinstance(predict, bool):
            raise TypeError(f"predict must be True or False, got predict={predict!r}")
        self._letters = tuple(_LETTERS[: len(bases)])
        self._base = dict(zip(self._letters, bases, strict=True))
        self._initial = (dict(self._base), target_change, surge_start, surge_weeks)
        self._runs, self._kept, self._kept_style = {}, {}, {}
        self._busy, self._revealed, self._predicting = False, not predict, predict
        self.summary = ""
        c = self.controls = {}

        # the shock, shared by the live scenarios
        shock, look = SHOCK_PARAMETERS, {"width": "34em", "description_width": "11em"}
        c["target_change"] = percent_slider("target_change", shock["target_change"], **look)
        c["target_change"].value = round(100 * target_change)
        for name, value in (("surge_start", surge_start), ("surge_weeks", surge_weeks or 8)):
            c[name] = control_for(name, shock[name], value=value, **look)
            c[name].readout_format = ".0f"
        c["surge_weeks"].disabled = surge_weeks is None
        tip = "Tick to keep the changed target for good (the surge never ends)"
        c["permanent"] = widgets.Checkbox(surge_weeks is None, indent=False, tooltip=tip)
        c["permanent"].description = "Permanent change"
        c["permanent"].layout = widgets.Layout(width="auto", margin="0 0 0 1em")
        for name in ("target_change", "surge_start", "surge_weeks", "permanent"):
            c[name].observe(self._on_shock, names="value")
        head = f"<b>The shock to the target</b> (the same for scenarios {', '.join(self._letters)})"
        shock = [widgets.HTML(head), c["target_change"], c["surge_start"]]
        shock_box = widgets.VBox([*shock, widgets.HBox([c["surge_weeks"], c["permanent"]])])

        # one panel of controls per live scenario
        self._headers, panels = {}, []
        for i, letter in enumerate(self._letters):
            base = self._base[letter]
            self._headers[letter] = widgets.HTML()
            tip = f"Start scenario {letter} from a preset, or set the levers yourself"
            preset = _control(widgets.Dropdown, "Policy", tip, "20em", "7em")
            preset.options, preset.value = [*PRESETS, "custom"], preset_name(base)
            preset.observe(lambda _, letter=letter: self._on_preset(letter), names="value")
            values = {lever: getattr(base, lever) for lever in POLICY_LEVERS}
            look = {"width": "27em", "description_width": "7em"}
            levers = controls_for(REGIME_PARAMETERS, POLICY_LEVERS, values=values, **look)
            for control in levers.values():
                control.observe(lambda _, letter=letter: self._on_lever(letter), names="value")
            c[letter] = {"preset": preset, **levers}
            border = f"1px solid {series_style(i)['color']}"
            frame = widgets.Layout(border=border, padding="4px", margin="2px")
            box = [self._headers[letter], preset, *levers.values()]
            panels.append(widgets.VBox(box, layout=frame))

        # prediction
        tip = "Your prediction of what happens to the climate for improvement in A after the shock"
        c["prediction"] = _control(widgets.Dropdown, "Climate in A will", tip, "30em", "11em")
        outcomes = [("choose your prediction", ""), *((o, o) for o in CLIMATE_OUTCOMES)]
        c["prediction"].options, c["prediction"].value = outcomes, ""
        c["prediction"].observe(lambda _: self._show_feedback(), names="value")
        self._question = widgets.HTML()
        c["run"] = _button("Show the simulation", "Run the model and show the figure", self.run)
        c["run"].button_style = "primary"
        c["run"].layout = widgets.Layout(width="14em")  # hidden once the figure shows
        self.feedback = widgets.HTML(layout=widgets.Layout(min_height="1.2em"))

        # figure, week readout
        self.view = BlitFigureView(9.0, 6.4, layout=None, caption_style="line-height:1.45")
        axes = list(self.view.figure.subplots(2, 2, sharex=True).flat)
        self._drawing = _Drawing(self.view.figure, axes, weeks=self._weeks, animated=True)
        for i, letter in enumerate(self._letters):
            self._drawing.add(letter, i, letter)
        tip = "Move to read every scenario's values at that week (a vertical line marks it)"
        c["week"] = _control(widgets.IntSlider, "Read values at week", tip, "50em", "11em")
        c["week"].max = c["week"].value = self._weeks
        c["week"].observe(lambda _: self._show(clear_message=False), names="value")
        self.readout = widgets.HTML()
        shown = widgets.Layout(display=None if self._revealed else "none")
        self._figure_box = widgets.VBox([self.view, c["week"], self.readout], layout=shown)

        # kept scenarios
        c["name"] = _control(widgets.Text, "Name", "A name for the scenario you keep", "20em")
        c["name"].placeholder = "e.g. command, control 0.4"
        tip = "Which live scenario to keep"
        c["source"] = _control(widgets.Dropdown, "Scenario", tip, "11em", "5em")
        c["source"].options = self._letters
        c["kept"] = _control(widgets.Dropdown, "Kept", "The scenarios you kept", "20em")
        keep = "Keep this scenario", "Keep a copy of it in the figure"
        c["keep"] = _button(*keep, lambda: self.keep(c["name"].value, c["source"].value))
        remove = "Remove", "Remove the kept scenario chosen on the left"
        c["remove"] = _button(*remove, lambda: self.remove(c["kept"].value))
        c["clear"] = _button("Remove all kept", "Remove every kept scenario", self.clear_kept)
        self._enable_kept()
        head = widgets.HTML(
            "<b>Keep scenarios to compare</b> (a kept scenario stays as it is "
            "while you change the live ones)"
        )
        keep_row = widgets.HBox([c["name"], c["source"], c["keep"]])
        keep_box = widgets.VBox(
            [head, keep_row, widgets.HBox([c["kept"], c["remove"], c["clear"]])]
        )
        predict_box = widgets.VBox(
            [self._question, widgets.HBox([c["prediction"], c["run"]]), self.feedback],
            layout=widgets.Layout(display=None if predict else "none"),
        )
        row = widgets.HBox(panels, layout=widgets.Layout(flex_flow="row wrap"))
        cs = claims.for_app("ScenarioComparer")  # the claims of the app's kind of shock first
        cs = sorted(cs, key=lambda c: c.default.get("permanent") not in (None, not surge_weeks))
        self.assumptions = AssumptionsView(cs, apply=self.apply)
        folded = widgets.Accordion([self.assumptions], titles=("Assumptions",), selected_index=None)
        super().__init__([predict_box, shock_box, row, self._figure_box, keep_box, folded])
        self.add_class("senge-scenario-comparer")
        for letter in self._letters:
            self._simulate(letter)
        self._drawing.make_legend()
        self._refresh_labels()
        self._show()

    # ------------------------------------------------------------------ public

    def policy(self, scenario="A"):
        """Return a live scenario's four levers as a dict (what the lesson-06 puzzle asks for)."""
        regime = self._regime(self._check_letter(scenario))
        return {lever: round(getattr(regime, lever), 4) for lever in POLICY_LEVERS}

    @guarded
    def set_policy(self, scenario="A", **levers):
        """Set some of a live scenario's levers (or ``preset="command"``), checked like a Regime.

        An out-of-range value shows a message and changes nothing.
        """
        letter = self._check_letter(scenario)
        preset = levers.pop("preset", None)
        unknown = sorted(set(levers) - set(POLICY_LEVERS))
        if unknown:
            raise ValueError(
                f"set_policy takes the levers {', '.join(POLICY_LEVERS)} (and preset), "
                f"got {unknown[0]!r}"
            )
        if preset is not None and preset not in PRESETS:
            raise ValueError(f"preset must be one of {', '.join(PRESETS)}, got {preset!r}")
        base = self._regime(letter) if preset is None else PRESETS[preset]
        regime = base.replace(**levers)  # raises for out-of-range values
        self._check_sliders(letter, regime)
        if preset is not None:
            self._base[letter] = base
        self._set_levers(letter, regime)

    def apply(self, setting):
        """Move the app to the setting it started with, changed by `setting`, and rerun once.

        The Assumptions view calls it with a claim's setting: a `REGIME_PARAMETERS` field for
        every live scenario, ``command_<field>`` or ``commitment_<field>`` for A or B (a value at
        its documented default keeps each scenario as it started), and the shock
        (``target_change``, ``surge_weeks``, ``permanent``).  Anything else raises ValueError.
        """
        bases, change, start, weeks = self._initial
        bases, shared, own = dict(bases), {}, {}
        for key, value in setting.items():
            who, _, field = key.partition("_")
            if key in REGIME_PARAMETERS and value != REGIME_PARAMETERS[key].default:
                shared[key] = value
            elif who in PRESETS and field in REGIME_PARAMETERS:
                if value != getattr(PRESETS[who], field):
                    own.setdefault(who, {})[field] = value
            elif key not in (*REGIME_PARAMETERS, "target_change", "surge_weeks", "permanent"):
                raise ValueError(f"the ScenarioComparer has no setting {key!r}")
        for who, fields in own.items():
            letter = "A" if who == "command" else "B"
            if letter not in self._letters:
                raise ValueError(f"this app has no scenario {letter} to show {who} in")
            bases[letter] = PRESETS[who].replace(**fields)
        bases = {letter: regime.replace(**shared) for letter, regime in bases.items()}
        for letter, regime in bases.items():
            self._check_sliders(letter, regime)
        change = _shock_input("target_change", setting.get("target_change", change), check_number)
        permanent = setting.get("permanent", "surge_weeks" not in setting and weeks is None)
        lasts = _shock_input("surge_weeks", setting.get("surge_weeks", weeks or 8), check_integer)
        c = self.controls
        with quiet(self):
            c["target_change"].value, c["surge_start"].value = round(100 * change), start
            c["permanent"].value, c["surge_weeks"].value = bool(permanent), lasts
            c["surge_weeks"].disabled = bool(permanent)
            for letter, regime in bases.items():
                self._base[letter], c[letter]["preset"].value = regime, preset_name(regime)
                for lever in POLICY_LEVERS:
                    c[letter][lever].value = getattr(regime, lever)
        for letter in self._letters:
            self._simulate(letter)
        self._refresh_labels()
        self._show()

    def run(self):
        """Show the simulation (what the "Show the simulation" button does)."""
        if not self._revealed:
            self._revealed = True
            self._figure_box.layout.display = None
            self.controls["run"].layout.display = "none"
            self._refresh_labels()
            self._show()

    @guarded
    def keep(self, name, scenario="A"):
        """Keep a copy of live scenario `scenario` under `name`, to compare with later changes."""
        letter = self._check_letter(scenario)
        if not isinstance(name, str) or not name.strip():
            raise ValueError("give the scenario a name first (type it in the Name box)")
        name = name.strip()
        if len(name) > 40:
            raise ValueError(f"a name can have at most 40 characters, got {len(name)}")
        if name in self._letters:
            raise ValueError(
                f"{name!r} is the name of a live scenario; choose another name for the copy"
            )
        note = ""
        if name in self._kept:
            self._drop(name)
            note = f"Replaced the kept scenario {name!r}."
        if len(self._letters) + len(self._kept) >= MAX_SCENARIOS:
            raise ValueError(
                f"the figure shows at most {MAX_SCENARIOS} scenarios: remove a kept one first"
            )
        used = set(self._kept_style.values())
        style = next(i for i in range(len(self._letters), MAX_SCENARIOS) if i not in used)
        self._kept[name], self._kept_style[name] = self._runs[letter], style
        self._drawing.add(name, style, f"{name} (kept)")
        self._drawing.set_run(name, self._kept[name])
        self._changed_kept(note or f"Kept {letter} as {name!r}.")
        self.controls["kept"].value = name
        self.controls["name"].value = ""

    @guarded
    def remove(self, name):
        """Remove the kept scenario `name`."""
        if name not in self._kept:
            known = ", ".join(repr(n) for n in self._kept) or "none yet"
            raise ValueError(f"there is no kept scenario called {name!r}; kept: {known}")
        self._drop(name)
        self._changed_kept(f"Removed {name!r}.")

    def clear_kept(self):
        """Remove every kept scenario."""
        for name in list(self._kept):
            self._drop(name)
        self._changed_kept("")

    # ------------------------------------------------------------------ callbacks

    @guarded
    def _on_lever(self, letter):
        if self._busy:
            return
        preset = self.controls[letter]["preset"]
        matching = preset_name(self._regime(letter))
        if preset.value != matching:
            with quiet(self):
                preset.value = matching
        self._simulate(letter)
        self._refresh_labels()
        self._show()

    @guarded
    def _on_preset(self, letter):
        name = self.controls[letter]["preset"].value
        if self._busy or name == "custom":
            return  # the levers stay as they are until the learner moves one
        self._base[letter] = PRESETS[name]
        self._set_levers(letter, PRESETS[name])

    @guarded
    def _on_shock(self, change=None):
        if self._busy:
            return
        self.controls["surge_weeks"].disabled = self.controls["permanent"].value
        for letter in self._letters:
            self._simulate(letter)
        self._show()

    # ------------------------------------------------------------------ internals

    def _set_levers(self, letter, regime):
        """Move a live scenario's lever sliders to `regime`'s levers, then rerun it once."""
        with quiet(self):
            for lever in POLICY_LEVERS:
                self.controls[letter][lever].value = getattr(regime, lever)
        self._on_lever(letter)

    def _regime(self, letter):
        levers = self.controls[letter]
        return self._base[letter].replace(
            **{lever: round(float(levers[lever].value), 4) for lever in POLICY_LEVERS}
        )

    def _simulate(self, letter):
        c = self.controls
        lasts = None if c["permanent"].value else c["surge_weeks"].value
        shock = (c["target_change"].value / 100, c["surge_start"].value, lasts)
        shock = dict(zip(SHOCK_PARAMETERS, shock, strict=True))
        self._runs[letter] = simulate(self._regime(letter), weeks=self._weeks, **shock)
        self._drawing.set_run(letter, self._runs[letter])
        if letter == self._letters[0]:
            self._drawing.set_shock(self._runs[letter])

    def _drop(self, name):
        self._kept.pop(name)
        self._kept_style.pop(name)
        self._drawing.remove(name)

    def _changed_kept(self, note):
        self._drawing.make_legend()
        self.controls["kept"].options = list(self._kept)
        self._enable_kept()
        self._show()
        self.show_message(note)

    def _enable_kept(self):
        """The kept-scenario controls work only once a scenario is kept (no Tab stops to nowhere)."""
        for name in ("kept", "remove", "clear"):
            self.controls[name].disabled = not self._kept

    def _label(self, letter):
        return f"{letter} ({self.controls[letter]['preset'].value})"

    def _refresh_labels(self):
        for i, letter in enumerate(self._letters):
            style = series_style(i)
            colour = [k for k, v in OKABE_ITO.items() if v == style["color"]][0].replace("_", " ")
            dash = _DASH_NAMES.get(style["linestyle"], "patterned")
            marker = _MARKER_NAMES.get(style["marker"], "markers")
            self._headers[letter].value = (
                f"<b>Scenario {html.escape(self._label(letter))}</b> "
                f"<span style='color:#1a1a1a'>({colour}, {dash} line, {marker})</span>"
            )
            self._drawing.set_label(letter, self._label(letter))
        self._question.value = (
            "<b>Predict first.</b> What will happen to the climate for improvement in scenario "
            f"{html.escape(self._label(self._letters[0]))} after the shock?"
            + ("" if self._revealed else " Choose, then press <i>Show the simulation</i>.")
        )

    def _show(self, *, clear_message=True):
        """Rebuild the result and the summary; redraw the figure if it is shown."""
        self.result = {letter: self._runs[letter] for letter in self._letters} | self._kept
        named = {self._label(letter): self._runs[letter] for letter in self._letters}
        named.update({f"{name} (kept)": run for name, run in self._kept.items()})
        self.summary = describe_runs(named)
        week = self.controls["week"].value
        self._drawing.set_cursor(week)
        self.readout.value = _readout_html(named, week)
        if self._revealed:
            if self._drawing.fit_limits():
                self.view.invalidate()
            self.view.render(self.summary, self._drawing.artists())
        self._show_feedback()
        if clear_message:
            self.show_message("")

    def _show_feedback(self):
        if not self._predicting:
            self.feedback.value = ""
            return
        letter = self._letters[0]
        run, label = self._runs[letter], self._label(letter)
        if not self._revealed:
            scenarios = ", ".join(self._label(letter) for letter in self._letters)
            self.feedback.value = _note_html(
                f"Ready: {describe_shock(run)}, for {scenarios}. "
                "Choose your prediction, then press Show the simulation."
            )
            return
        actual, predicted = climate_outcome(run), self.controls["prediction"].value
        numbers = (
            f"{actual} ({run.climate[0]:.2f} at the start, {run.climate.min():.2f} at its "
            f"lowest, {run.climate[-1]:.2f} at week {run.week[-1]:g})"
        )
        trap = f" Capability ends at its floor: {label} is trapped." if run.trapped else ""
        if not predicted:
            text = f"You made no prediction. The simulation shows the climate in {label} {numbers}."
        else:
            verdict = (
                "Your prediction matches."
                if predicted == actual
                else "Not what you expected: what in the model makes the difference?"
            )
            text = (
                f"You predicted that the climate in {label} {predicted}; the simulation shows it "
                f"{numbers}. {verdict}"
            )
        self.feedback.value = _note_html(text + trap)

    def _check_sliders(self, letter, regime):
        for lever in POLICY_LEVERS:
            control, value = self.controls[letter][lever], getattr(regime, lever)
            if not control.min <= value <= control.max:
                raise ValueError(
                    f"the {lever} slider goes from {control.min:g} to {control.max:g}, "
                    f"got {lever}={value:g}"
                )

    def _check_letter(self, scenario):
        if scenario not in self._letters:
            raise ValueError(
                f"scenario must be one of {', '.join(self._letters)}, got scenario={scenario!r}"
            )
        return scenario

    @staticmethod
    def _check_regimes(regimes):
        regimes = (regimes,) if isinstance(regimes, str | Regime) else tuple(regimes)
        if not 1 <= len(regimes) <= len(_LETTERS):
            raise ValueError(f"regimes must hold 1 to {len(_LETTERS)} regimes, got {len(regimes)}")
        for regime in regimes:
            if isinstance(regime, str) and regime not in PRESETS:
                raise ValueError(f"a preset must be one of {', '.join(PRESETS)}, got {regime!r}")
            if not isinstance(regime, str | Regime):
                kind = type(regime).__name__
                raise TypeError(f"regimes must hold preset names or Regime objects, got {kind}")
        return [PRESETS[r] if isinstance(r, str) else r for r in regimes]


def _shock_input(name, value, check):
    """Return `value` checked (by `check`) against the range of the shock's slider `name`."""
    low, high, _ = SHOCK_PARAMETERS[name].control_range()
    return check(name, value, low=low, high=high)


def _control(kind, description, tooltip, width, description_width="4em"):
    """An ipywidgets control with its description, tooltip and width."""
    style, layout = {"description_width": description_width}, widgets.Layout(width=width)
    return kind(description=description, tooltip=tooltip, style=style, layout=layout)


def _button(description, tooltip, action):
    button = widgets.Button(description=description, tooltip=tooltip)
    button.on_click(lambda _: action())
    return button


def _note_html(text):
    return (
        '<div class="senge-prediction" style="color:#1a1a1a;border-left:4px solid #0D47A1;'
        f'padding:2px 8px;line-height:1.45">{html.escape(text)}</div>'
    )


def _readout_html(runs, week):
    rows = []
    for name, run in runs.items():
        i = min(int(np.searchsorted(run.week, week - 1e-9)), len(run.week) - 1)
        cells = [f"{run.performance[i] / run.performance[0]:.3f}x"]
        cells += [f"{run.capability[i]:.2f}", f"{run.climate[i]:.2f}"]
        cells += [f"{run.hours_working[i]:.1f}", f"{run.hours_improving[i]:.1f}"]
        rows.append(
            f"<tr><th scope='row' style='{_CELL};text-align:left'>{html.escape(name)}</th>"
            + "".join(f"<td style='{_CELL}'>{c}</td>" for c in cells)
            + "</tr>"
        )
    heads = ("scenario", "performance", "capability", "climate", "hours working", "hours improving")
    head = "".join(f"<th scope='col' style='{_CELL}'>{h}</th>" for h in heads)
    return (
        f'<table class="senge-readout" style="color:#1a1a1a;font-size:0.9em;'
        f'border-collapse:collapse;line-height:1.5">'
        f"<caption style='text-align:left'>Values at week {week}</caption>"
        f"<tr>{head}</tr>{''.join(rows)}</table>"
    )
