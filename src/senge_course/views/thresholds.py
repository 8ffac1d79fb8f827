"""Threshold explorers (lesson 02): Granovetter's riot and the tipping point of a crowd.

`RiotExplorer` changes one person's threshold in Granovetter's riot; `ThresholdExplorer` moves a
normal crowd's spread, size and the leaders' shift across its tipping point.  The crowds are
modelled in `senge_course.models.crowd`; `Explorer` is the base these apps and the cascade
explorers (`senge_course.views.cascades`) share.

>>> app = RiotExplorer()
>>> app.set(person=1, threshold=2)
>>> app.result.joined
1
"""

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Polygon
from scipy import special

from .._validate import check_integer, check_one_of
from ..models import claims
from ..models.crowd import CROWD_CONTROLS, RIOT_CONTROLS, crowd_equilibrium, riot
from ..style import OKABE_ITO
from ._base import App, guarded, quiet
from ._blit import BlitFigureView
from .assumptions import AssumptionsView
from .controls import controls_for
from .figures import style_axes

__all__ = ["Explorer", "RiotExplorer", "ThresholdExplorer"]

VERMILLION = OKABE_ITO["vermillion"]


class Explorer(App):
    """Base of the lesson 02 and 03 apps: sliders from a parameter table, `set`, one figure.

    A subclass builds ``controls`` (with `controls_for` from its `TABLE`) and calls `_start`;
    `_compute` returns ``.result``, `_draw` updates the figure's artists, and `BlitFigureView`
    redraws them with the result's summary as caption and alt text.  Under the figure, a folded
    "Assumptions" section (`assumptions`) lists the claims the app shows (`claims.for_app`);
    `apply` moves the controls to a claim's setting.
    """

    #: The parameter table the sliders come from and `set` checks against.
    TABLE = None

    def _start(self, css, rows, values, *, height=3.6, problems=()):
        self.figure_view = BlitFigureView(8.6, height, layout=None)
        self._build_figure(self.figure_view.figure)
        #: The claims this app shows, their origins and where they fail (`AssumptionsView`).
        self.assumptions = AssumptionsView(claims.for_app(type(self).__name__), apply=self.apply)
        folded = widgets.Accordion([self.assumptions], titles=("Assumptions",), selected_index=None)
        super().__init__([*rows, self.figure_view, folded])
        self.add_class(f"senge-{css}")
        self._busy = False
        for control in self.controls.values():
            if isinstance(control, widgets.Button):
                control.on_click(self._on_click)
            else:
                control.observe(self._on_change, names="value")
        self._update()
        self.set(**values)
        self._initial = self._values()
        if problems:
            self.show_message("; ".join(problems), kind="error")

    @staticmethod
    def _setting(table, name, value, problems):
        """`value` checked against ``table[name]``, or its default with a note in `problems`."""
        try:
            return table[name].check(name, value)
        except (TypeError, ValueError) as exc:
            problems.append(f"{exc}: using {name}={table[name].default}")
            return table[name].default

    @guarded
    def set(self, **values):
        """Set several controls at once by name (None keeps a value) and redraw once.

        Values out of range show a message and change nothing.
        """
        self._move(values)

    def apply(self, setting):
        """Move the app to the setting it started with, changed by `setting`, and redraw once.

        The Assumptions view calls it with a claim's setting (name -> value); a name the app has
        no control for, or a value out of range, raises ``ValueError`` and changes nothing.
        """
        self._move({**self._initial, **setting})

    def _move(self, values):
        names = list(self._values())
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise ValueError(
                f"this app's settings are {', '.join(names)}; it has no {', '.join(unknown)}"
            )
        checked = self._checked({n: v for n, v in values.items() if v is not None})
        if checked:
            with quiet(self):
                for name, value in checked.items():
                    self.controls[name].value = value
            self._on_change()

    def _checked(self, values):
        """`values` checked against `TABLE` (or a control's options); raises naming the problem."""
        options = {n: tuple(getattr(self.controls[n], "options", ())) for n in values}
        return {
            n: check_one_of(n, v, options[n]) if options[n] else self.TABLE[n].check(n, v)
            for n, v in values.items()
        }

    def _values(self):
        """The controls' values by name (buttons left out)."""
        return {n: c.value for n, c in self.controls.items() if not isinstance(c, widgets.Button)}

    def _on_change(self, change=None):
        self._update()

    @guarded
    def _update(self, change=None):
        if self._busy:
            return
        self.result = self._compute()
        self.show_message("")
        self._draw(self.result)
        self.figure_view.render(self.result.summary)

    # figure helpers shared by the apps

    def _panels(self, fig, width_ratios=(1, 1), **margins):
        """Two axes side by side, with fixed margins (a full redraw costs half as much)."""
        axes = fig.subplots(1, 2, width_ratios=width_ratios)
        fig.subplots_adjust(bottom=margins.pop("bottom", 0.14), top=0.9, right=0.98, **margins)
        return axes

    @staticmethod
    def _bare(ax, title):
        """Axes for people placed on a plane: equal scales, no ticks or frame."""
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(title, fontsize=11, loc="left")

    @staticmethod
    def _dots(ax, face, size=30, marker="o", linewidth=0.6, **look):
        """An empty scatter of markers with black edges (offsets set later)."""
        look = {"edgecolor": "black", "linewidth": linewidth, **look}
        return ax.scatter([], [], s=size, marker=marker, facecolor=face, **look)

    @staticmethod
    def _ring(ax, size, **look):
        """An empty scatter of vermillion rings: the people changed, or who started."""
        return ax.scatter([], [], s=size, facecolor="none", edgecolor=VERMILLION, **look)

    @staticmethod
    def _legend_below(ax, *handles):
        ax.legend(
            *handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=3,
            fontsize=8,
            frameon=False,
            handletextpad=0.2,
            columnspacing=0.8,
        )

    @staticmethod
    def _line(ax, color, label, **look):
        (line,) = ax.plot([], [], color=color, label=label, **look)
        return line

    @staticmethod
    def _note(ax, x, y, edge=VERMILLION, size=9, **where):
        box = {"facecolor": "white", "edgecolor": edge, "alpha": 0.9}
        return ax.text(x, y, "", fontsize=size, color="#1a1a1a", va="top", bbox=box, **where)


class RiotExplorer(Explorer):
    """Granovetter's riot: change one person's threshold and watch the crowd.

    A crowd of `n` people (10 to 200) has thresholds 0, 1, ..., n - 1.  Pick a `person` and give
    them a new `threshold`.  The left panel shows the crowd (filled: joined; hollow: stayed out;
    the changed person ringed), the right panel how many had joined after each round.
    ``.result`` is a `senge_course.models.crowd.RiotResult`; ``.controls`` maps names to the
    controls.

    >>> riot = RiotExplorer()
    >>> riot.controls["threshold"].value = 2
    >>> riot.result.joined, round(riot.result.mean_threshold, 2)
    (1, 49.51)
    """

    TABLE = RIOT_CONTROLS

    def __init__(self, n=100, person=1, threshold=None):
        self.controls = controls_for(RIOT_CONTROLS, width="31em", description_width="11em")
        self.controls["reset"] = widgets.Button(
            description="Uniform crowd",
            tooltip="Give everyone back their original threshold 0, 1, ..., n - 1",
        )
        c = self.controls
        rows = [widgets.HBox([c["n"], c["reset"]]), widgets.HBox([c["person"], c["threshold"]])]
        self._start("riot-explorer", rows, {"n": n, "person": person, "threshold": threshold})

    def _checked(self, values):
        """The crowd size first, then the person and their threshold (0 to n - 1).

        A newly chosen person starts at their own threshold.
        """
        c = self.controls
        n = RIOT_CONTROLS["n"].check("n", values.get("n", c["n"].value))
        person = check_integer("person", values.get("person", c["person"].value), low=0, high=n - 1)
        own = person if person != c["person"].value else c["threshold"].value
        threshold = check_integer("threshold", values.get("threshold", own), low=0, high=n - 1)
        with quiet(self):
            for name in ("person", "threshold"):
                c[name].max = n - 1  # nobody can have a threshold above n - 1
        return {"n": n, "person": person, "threshold": threshold}

    def _on_change(self, change=None):
        if self._busy:
            return
        with quiet(self):
            if change is not None and change["owner"] is self.controls["n"]:
                for name in ("person", "threshold"):  # ipywidgets lowers values above a new max
                    self.controls[name].max = change["new"] - 1
            elif change is not None and change["owner"] is self.controls["person"]:
                self.controls["threshold"].value = change["new"]  # their own threshold
        self._update()

    def _on_click(self, button):
        self.set(threshold=self.controls["person"].value)

    def _compute(self):
        return riot(**self._values())

    def _build_figure(self, fig):
        self._ax_crowd, self._ax_rounds = self._panels(fig, (1, 1.25), left=0.02, wspace=0.18)
        ax = self._ax_rounds
        self._bare(self._ax_crowd, "The crowd, by original threshold")
        self._joined = self._dots(self._ax_crowd, OKABE_ITO["green"], label="joined")
        self._out = self._dots(self._ax_crowd, "white", label="stayed out")
        self._changed = self._ring(self._ax_crowd, 150, linewidth=2.2, label="person changed")
        self._legend_below(self._ax_crowd)
        style_axes(ax, title="The chain reaction", xlabel="round", ylabel="people who have joined")
        label = "uniform crowd (0, 1, 2, ...)"
        self._uniform = self._line(ax, OKABE_ITO["grey"], label, linestyle="--")
        (self._steps,) = ax.step([], [], where="post", color=OKABE_ITO["blue"], linewidth=2)
        self._steps.set_label("this crowd")
        self._end = self._line(ax, VERMILLION, "where it stops", marker="D", ms=7, ls="none")
        self._end_text = self._note(ax, 0.03, 0.95, transform=ax.transAxes)
        ax.legend(loc="lower right", fontsize=8)
        dots = (self._joined, self._out, self._changed)
        self.figure_view.animate(*dots, self._uniform, self._steps, self._end, self._end_text)
        margin = 0.08  # the crowd's square, with room for the dots
        self._ax_crowd.set(xlim=(-margin, 1 + margin), ylim=(-margin, 1 + margin))
        self._grid_n = self._top = None

    def _draw(self, r):
        n = r.n
        if self._grid_n != n:  # a new crowd size: a new grid, filling the same square
            cols = int(math.ceil(math.sqrt(n)))
            rows = math.ceil(n / cols)
            at = np.arange(n)
            # the grid is scaled into the square [0, 1] x [0, 1]: its axes never change
            span = max(cols - 1, rows - 1, 1)
            self._xy = np.column_stack([at % cols, rows - 1 - at // cols]) / span
            size = min(90.0, 45.0 * (100 / n) ** 0.5)
            for dots in (self._joined, self._out):
                dots.set_sizes([size])
            self._changed.set_sizes([size * 5])
            self._uniform.set_data(np.arange(n + 1), np.arange(n + 1))
            self._grid_n = n
            top = _axis_top(n)  # the rounds panel's limits change only at a few crowd sizes
            if top != self._top:
                self._ax_rounds.set(xlim=(0, top + 1), ylim=(0, top * 1.05))
                self._top = top
                self.figure_view.invalidate(key=top)
        # each person keeps their place (by original threshold); who joined: threshold <= r*
        joined = np.asarray(r.thresholds) <= r.joined
        self._joined.set_offsets(self._xy[joined].reshape(-1, 2))
        self._out.set_offsets(self._xy[~joined].reshape(-1, 2))
        changed = [r.person] if r.threshold != r.person else []
        self._changed.set_offsets(self._xy[changed].reshape(-1, 2))
        self._steps.set_data(np.arange(r.rounds + 1), r.joined_by_round)
        self._end.set_data([r.rounds], [r.joined])
        rounds = f"{r.rounds} round{'s' if r.rounds != 1 else ''}"
        self._end_text.set_text(f"Stops after {rounds}:\n{r.joined} of {n} joined")


def _axis_top(n):
    """The rounds panel's top for a crowd of `n`: `n` rounded up to 10 (to 50) or 25 (above).

    >>> [_axis_top(n) for n in (10, 11, 50, 51, 100, 101, 200)]
    [10, 20, 50, 75, 100, 125, 200]
    """
    step = 10 if n <= 50 else 25
    return step * math.ceil(n / step)


class ThresholdExplorer(Explorer):
    """Find the tipping point: a crowd whose thresholds are spread normally around a mean.

    Controls (`senge_course.models.crowd.CROWD_CONTROLS`): the `mean` threshold, its spread
    (`sd`), the crowd size `n` and how far leaders `shift` everyone's threshold.  The left panel
    shows how thresholds are spread (instigators, who need nobody, shaded); the right panel
    Granovetter's diagram: how many are ready to join once ``r`` have joined, against the line
    ``ready = joined``, with the steps from nobody to the equilibrium.  ``.result`` is a
    `senge_course.models.crowd.CrowdResult`; ``.controls`` maps names to the controls.

    >>> explorer = ThresholdExplorer()
    >>> explorer.result.tipped
    False
    >>> explorer.controls["sd"].value = 13
    >>> explorer.result.tipped, round(explorer.result.joined)
    (True, 100)
    """

    TABLE = CROWD_CONTROLS

    def __init__(self, mean=25.0, sd=10.0, n=100, shift=0.0):
        self.controls = c = controls_for(CROWD_CONTROLS, width="31em", description_width="11em")
        note = widgets.HTML(
            '<span style="color:#1a1a1a;font-size:90%">Our model assumes leaders move everyone\'s '
            "threshold: negative lowers it (for example mentoring), positive raises it (for "
            "example fear of a mandate). Granovetter's thresholds are fixed.</span>"
        )
        rows = [widgets.HBox([c["mean"], c["sd"]]), widgets.HBox([c["n"], c["shift"]]), note]
        values = {"mean": mean, "sd": sd, "n": n, "shift": shift}
        self._start("threshold-explorer", rows, values)

    def _compute(self):
        return crowd_equilibrium(**self._values())

    def _build_figure(self, fig):
        ax, self._ax_ready = self._panels(fig, left=0.05, wspace=0.22)
        style_axes(
            ax,
            title="How thresholds are spread",
            xlabel="threshold (others who must join first)",
            ylabel="how many people (relative)",
        )
        ax.set_yticks([])  # the height is relative: its limits change without a full redraw
        look = {"color": VERMILLION, "alpha": 0.35, "hatch": "///"}
        self._instigators = Polygon(np.zeros((1, 2)), label="instigators (need nobody)", **look)
        ax.add_patch(self._instigators)
        self._before = self._line(ax, OKABE_ITO["grey"], "before leaders' shift", ls="--")
        self._spread = self._line(ax, OKABE_ITO["blue"], "thresholds", linewidth=2)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.legend(loc="upper left", fontsize=8)
        ready = self._ax_ready
        style_axes(
            ready,
            title="Who is ready to join",
            xlabel="joined so far (% of the crowd)",
            ylabel="threshold met (% of the crowd)",
        )
        ready.set(xlim=(0, 102), ylim=(0, 102))
        self._diagonal = self._line(ready, "black", "ready = joined", ls="--", lw=1)
        self._ready = self._line(ready, OKABE_ITO["blue"], "ready to join", linewidth=2)
        self._cobweb = self._line(ready, OKABE_ITO["orange"], "steps from nobody", ls=":", lw=1.5)
        self._eq = self._line(
            ready, VERMILLION, "equilibrium", marker="D", ms=8, mec="black", ls=""
        )
        self._eq_text = self._note(ready, 3, 94)
        ready.legend(loc="lower right", fontsize=8)
        spread = (self._instigators, self._before, self._spread)
        self.figure_view.animate(*spread, self._diagonal, self._ready, self._cobweb, self._eq)
        self.figure_view.animate(self._eq_text)
        self._ax_spread, self._limits = ax, None

    def _draw(self, r):
        mu, n = r.mean + r.shift, r.n
        # axis limits change only with a far-out spread: then redraw everything
        lo, hi = -40.0, 40.0 * math.ceil(max(80.0, mu + 3.5 * r.sd, r.mean + 3.5 * r.sd) / 40.0)
        if self._limits != hi:
            self._ax_spread.set_xlim(lo, hi)
            self._diagonal.set_data([0, 100], [0, 100])
            self._limits = hi
            self.figure_view.invalidate()
        # left: the spread of thresholds, before and after the leaders' shift
        x = np.linspace(lo, hi, 300)
        y = n * _normal_pdf(x, mu, r.sd)
        self._spread.set_data(x, y)
        self._before.set_data(*((x, n * _normal_pdf(x, r.mean, r.sd)) if r.shift else ([], [])))
        below = x <= 0
        xs = np.concatenate([x[below], [0.0, 0.0, lo]])
        ys = np.concatenate([y[below], [n * _normal_pdf(0.0, mu, r.sd), 0.0, 0.0]])
        self._instigators.set_xy(np.column_stack([xs, ys]))
        self._ax_spread.set_ylim(0, n * _normal_pdf(mu, mu, r.sd) * 1.25)
        # right: Granovetter's diagram, with the steps (0,0) -> (0,r1) -> (r1,r1) -> (r1,r2) ...
        # (in % of the crowd, so that the axes stay put when the crowd size changes)
        grid = np.linspace(0, n, 400)
        self._ready.set_data(grid * 100.0 / n, 100.0 * special.ndtr((grid - mu) / r.sd))
        p = r.joined_by_round * 100.0 / n
        if p.size > 401:  # thin a long slow crawl through the bottleneck for drawing
            p = np.concatenate([p[:400], p[-1:]])
        self._cobweb.set_data(np.repeat(p, 2)[:-1], np.concatenate([[0.0], np.repeat(p[1:], 2)]))
        self._eq.set_data([r.joined_share * 100], [r.joined_share * 100])
        verdict = "tips" if r.tipped else "stalls"
        self._eq_text.set_text(f"Equilibrium: {verdict},\n{r.joined_text} of {n} join")


def _normal_pdf(x, mu, sd):
    z = (np.asarray(x, dtype=float) - mu) / sd
    return np.exp(-0.5 * z * z) / (sd * math.sqrt(2 * math.pi))
