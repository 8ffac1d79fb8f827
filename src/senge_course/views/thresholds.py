"""Threshold explorers (lesson 02): Granovetter's riot and the tipping point of a crowd.

Granovetter (1978) gave each person a *threshold*: how many others must join before they join
too.  The crowd's outcome is the first fixed point of ``r -> number of people with threshold <= r``
(`senge_course.models.crowd.granovetter_equilibrium`).  Two apps make it visible:

`RiotExplorer`
    Granovetter's riot: thresholds 0, 1, ..., n - 1.  Change one person's threshold and watch a
    chain reaction of the whole crowd become a crowd of one.
`ThresholdExplorer`
    Thresholds spread normally around a mean.  Move the spread (sd), the crowd size, and how far
    leaders shift everyone's threshold (mentoring and pilots lower it; fear and mandates raise it),
    and watch the equilibrium jump from a handful to nearly everyone.

The crowds themselves are modelled in `senge_course.models.crowd`.

Examples
--------
>>> app = RiotExplorer()
>>> app.result.joined
100
>>> app.set(person=1, threshold=2)
>>> app.result.joined
1
"""

import math
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Polygon
from scipy import special

from .._validate import check_integer, check_number
from ..models.crowd import crowd_equilibrium, riot_crowd, riot_rounds
from ..style import OKABE_ITO
from ._base import App, guarded, quiet, slider_look
from ._blit import BlitFigureView
from .figures import style_axes

__all__ = [
    "RiotExplorer",
    "RiotResult",
    "ThresholdExplorer",
]


# ----------------------------------------------------------------------------- models (pure)


# ----------------------------------------------------------------------------- apps


@dataclass(frozen=True)
class RiotResult:
    """What `RiotExplorer` shows: the crowd, how it ended and how it got there.

    Attributes
    ----------
    n : int
        Crowd size.
    person, threshold : int
        The person changed (by original threshold) and their threshold now.
    thresholds : tuple of int
        Everyone's threshold.
    joined : int
        How many join at equilibrium.
    rounds : numpy.ndarray of int
        Joined after each round (round 0: nobody).
    mean_threshold : float
        The crowd's average threshold: what an observer of the crowd might see.
    """

    n: int
    person: int
    threshold: int
    thresholds: tuple = field(repr=False)
    joined: int = 0
    rounds: np.ndarray = field(default=None, repr=False, compare=False)
    mean_threshold: float = 0.0


class RiotExplorer(App):
    """Granovetter's riot: change one person's threshold and watch the crowd.

    A crowd of `n` people has thresholds 0, 1, ..., n - 1: an instigator who needs nobody, a
    person who joins once one other has, and so on.  Pick a person and give them a new threshold.
    The left panel shows the crowd (filled: joined; hollow: stayed out; the changed person is
    ringed), the right panel how many had joined after each round.

    ``.result`` is a `RiotResult`; ``.controls`` maps names to the controls.

    Parameters
    ----------
    n : int, default 100
        Crowd size (10 to 200).
    person : int, default 1
        The person to change, by original threshold.
    threshold : int, optional
        Their new threshold (default: unchanged).

    Examples
    --------
    >>> riot = RiotExplorer()
    >>> riot.result.joined
    100
    >>> riot.controls["threshold"].value = 2
    >>> riot.result.joined, round(riot.result.mean_threshold, 2)
    (1, 49.51)
    """

    def __init__(self, n=100, person=1, threshold=None):
        self._n = widgets.IntSlider(
            value=100, min=10, max=200, step=10, description="Crowd size:", **slider_look()
        )
        self._person = widgets.IntSlider(
            value=1,
            min=0,
            max=99,
            description="Person:",
            tooltip="The person to change, named by their original threshold (0 to n - 1)",
            **slider_look(),
        )
        self._threshold = widgets.IntSlider(
            value=1, min=0, max=99, description="Their new threshold:", **slider_look()
        )
        self._reset = widgets.Button(
            description="Uniform crowd",
            tooltip="Give everyone back their original threshold 0, 1, ..., n - 1",
        )
        self.controls = {
            "n": self._n,
            "person": self._person,
            "threshold": self._threshold,
            "reset": self._reset,
        }
        self.figure_view = BlitFigureView(width=8.6, height=3.6)
        self._build_figure()
        super().__init__(
            [
                widgets.HBox([self._n, self._reset]),
                widgets.HBox([self._person, self._threshold]),
                self.figure_view,
            ]
        )
        self.add_class("senge-riot-explorer")
        self._busy = False
        self._n.observe(self._on_n, names="value")
        self._person.observe(self._on_person, names="value")
        self._threshold.observe(self._update, names="value")
        self._reset.on_click(self._on_reset)
        self._update()
        self.set(n=n, person=person, threshold=threshold)

    @guarded
    def set(self, n=None, person=None, threshold=None):
        """Set the crowd size, the person changed and their threshold (None keeps a value).

        Values out of range show a message and change nothing.
        """
        n = self._n.value if n is None else check_integer("n", n, low=10, high=200)
        person = (
            self._person.value
            if person is None
            else check_integer("person", person, low=0, high=n - 1)
        )
        if threshold is None:
            threshold = person if person != self._person.value else self._threshold.value
        threshold = check_integer("threshold", threshold, low=0, high=n - 1)
        with quiet(self):
            self._n.value = n
            self._fit_range()
            self._person.value = person
            self._threshold.value = threshold
        self._update()

    # callbacks

    def _fit_range(self):
        # nobody can have a threshold above n - 1 (ipywidgets lowers values above a new max)
        for slider in (self._person, self._threshold):
            slider.max = self._n.value - 1

    @guarded
    def _on_n(self, change=None):
        if self._busy:
            return
        with quiet(self):
            self._fit_range()
        self._update()

    @guarded
    def _on_person(self, change=None):
        if self._busy:
            return
        # a newly chosen person starts at their own (original) threshold
        with quiet(self):
            self._threshold.value = self._person.value
        self._update()

    def _on_reset(self, button=None):
        self.set(threshold=self._person.value)

    @guarded
    def _update(self, change=None):
        if self._busy:
            return
        n, person, threshold = self._n.value, self._person.value, self._threshold.value
        crowd = riot_crowd(n, person=person, threshold=threshold)
        rounds = riot_rounds(crowd)
        joined = int(rounds[-1])
        self.result = RiotResult(
            n=n,
            person=person,
            threshold=threshold,
            thresholds=tuple(crowd),
            joined=joined,
            rounds=rounds,
            mean_threshold=float(np.mean(crowd)),
        )
        self.show_message("")
        self._draw()

    # drawing

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)  # fixed margins: a full redraw costs half as much
        self._ax_crowd, self._ax_rounds = fig.subplots(1, 2, width_ratios=(1, 1.25))
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.14, top=0.9, wspace=0.18)
        ax = self._ax_crowd
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title("The crowd, by original threshold", fontsize=11, loc="left")
        green = OKABE_ITO["green"]
        self._joined_dots = ax.scatter(
            [],
            [],
            s=30,
            marker="o",
            facecolor=green,
            edgecolor="black",
            linewidth=0.6,
            label="joined",
        )
        self._out_dots = ax.scatter(
            [],
            [],
            s=30,
            marker="o",
            facecolor="white",
            edgecolor="black",
            linewidth=0.6,
            label="stayed out",
        )
        self._changed_dot = ax.scatter(
            [],
            [],
            s=150,
            marker="o",
            facecolor="none",
            edgecolor=OKABE_ITO["vermillion"],
            linewidth=2.2,
            label="person changed",
        )
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=3,
            fontsize=8,
            frameon=False,
            handletextpad=0.2,
            columnspacing=0.8,
        )
        ax = self._ax_rounds
        style_axes(
            ax,
            title="The chain reaction",
            xlabel="round",
            ylabel="people who have joined",
        )
        (self._uniform_line,) = ax.plot(
            [], [], color=OKABE_ITO["grey"], linestyle="--", label="uniform crowd (0, 1, 2, ...)"
        )
        (self._rounds_line,) = ax.step(
            [], [], where="post", color=OKABE_ITO["blue"], linewidth=2, label="this crowd"
        )
        (self._end_dot,) = ax.plot(
            [],
            [],
            linestyle="none",
            marker="D",
            markersize=7,
            color=OKABE_ITO["vermillion"],
            label="where it stops",
        )
        self._end_text = ax.text(
            0.03,
            0.95,
            "",
            transform=ax.transAxes,
            fontsize=9,
            color="#1a1a1a",
            verticalalignment="top",
            bbox={"facecolor": "white", "edgecolor": OKABE_ITO["vermillion"], "alpha": 0.9},
        )
        ax.legend(loc="lower right", fontsize=8)
        self.figure_view.animate(
            self._end_text,
            self._joined_dots,
            self._out_dots,
            self._changed_dot,
            self._uniform_line,
            self._rounds_line,
            self._end_dot,
        )
        self._grid_n = None

    def _grid(self, n):
        cols = int(math.ceil(math.sqrt(n)))
        i = np.arange(n)
        return np.column_stack([i % cols, -(i // cols)]), cols

    def _draw(self):
        r = self.result
        n = r.n
        if self._grid_n != n:  # a new crowd size: new grid and axis limits
            self._xy, cols = self._grid(n)
            rows = int(math.ceil(n / cols))
            self._ax_crowd.set_xlim(-0.8, cols - 0.2)
            self._ax_crowd.set_ylim(-rows + 0.2, 0.8)
            size = min(90.0, 45.0 * (100 / n) ** 0.5)
            for dots in (self._joined_dots, self._out_dots):
                dots.set_sizes([size])
            self._changed_dot.set_sizes([size * 5])
            self._uniform_line.set_data(np.arange(n + 1), np.arange(n + 1))
            self._ax_rounds.set_xlim(0, n + 1)
            self._ax_rounds.set_ylim(0, n * 1.05)
            self._grid_n = n
            self.figure_view.invalidate()
        # each person keeps their place (by original threshold); who joined: threshold <= r*
        joined = np.asarray(r.thresholds) <= r.joined
        empty = np.empty((0, 2))
        self._joined_dots.set_offsets(self._xy[joined] if joined.any() else empty)
        self._out_dots.set_offsets(self._xy[~joined] if not joined.all() else empty)
        changed = r.threshold != r.person
        self._changed_dot.set_offsets(self._xy[[r.person]] if changed else empty)
        rounds = r.rounds
        self._rounds_line.set_data(np.arange(rounds.size), rounds)
        self._end_dot.set_data([rounds.size - 1], [rounds[-1]])
        steps = rounds.size - 1
        self._end_text.set_text(
            f"Stops after {steps} round{'s' if steps != 1 else ''}:\n{r.joined} of {n} joined"
        )
        self.figure_view.render(self._summary())

    def _summary(self):
        r = self.result
        if r.threshold == r.person:
            crowd = f"The uniform crowd of {r.n} (thresholds 0 to {r.n - 1})"
        else:
            crowd = (
                f"With the person whose threshold was {r.person} now at {r.threshold}, the crowd "
                f"of {r.n}"
            )
        who = "person joins" if r.joined == 1 else "people join"
        end = "everyone" if r.joined == r.n else f"{r.joined} {who}"
        rounds = r.rounds.size - 1
        return (
            f"{crowd}: {end}, after {rounds} round{'s' if rounds != 1 else ''}. "
            f"Average threshold {r.mean_threshold:.2f}."
        )


class ThresholdExplorer(App):
    """Find the tipping point: a crowd whose thresholds are spread normally around a mean.

    Controls: the mean threshold, its spread (sd), the crowd size and how far leaders shift
    everyone's threshold (negative: mentoring and local pilots lower thresholds; positive: fear
    and mandates raise them).  The left panel shows how thresholds are spread (instigators, who
    need nobody, shaded); the right panel Granovetter's diagram: how many are ready to join once
    ``r`` have joined, against the line ``ready = joined``, with the steps from nobody to the
    equilibrium.

    ``.result`` is a `CrowdResult`; ``.controls`` maps names to the controls.

    Parameters
    ----------
    mean : float, default 25
    sd : float, default 10
    n : int, default 100
    shift : float, default 0
        Starting values (kept within the controls' ranges).

    Examples
    --------
    >>> explorer = ThresholdExplorer()
    >>> explorer.result.tipped
    False
    >>> explorer.controls["sd"].value = 13
    >>> explorer.result.tipped, round(explorer.result.joined)
    (True, 100)
    """

    RANGES = {"mean": (0.0, 60.0), "sd": (0.5, 30.0), "n": (10, 1000), "shift": (-15.0, 15.0)}

    def __init__(self, mean=25.0, sd=10.0, n=100, shift=0.0):
        self._mean = widgets.FloatSlider(
            value=25.0,
            min=0.0,
            max=60.0,
            step=0.5,
            description="Mean threshold:",
            readout_format=".1f",
            **slider_look(),
        )
        self._sd = widgets.FloatSlider(
            value=10.0,
            min=0.5,
            max=30.0,
            step=0.1,
            description="Spread (sd):",
            readout_format=".1f",
            **slider_look(),
        )
        self._n = widgets.IntSlider(
            value=100, min=10, max=1000, step=10, description="Crowd size:", **slider_look()
        )
        self._shift = widgets.FloatSlider(
            value=0.0,
            min=-15.0,
            max=15.0,
            step=0.1,
            description="Leaders' shift:",
            tooltip="Added to everyone's threshold: negative lowers it (mentoring, pilots), "
            "positive raises it (fear, mandates)",
            readout_format=".1f",
            **slider_look(),
        )
        self._shift_note = widgets.HTML(
            '<span style="color:#1a1a1a;font-size:90%">Negative: mentoring and local pilots '
            "lower thresholds. Positive: fear and mandates raise them.</span>"
        )
        self.controls = {"mean": self._mean, "sd": self._sd, "n": self._n, "shift": self._shift}
        self.figure_view = BlitFigureView(width=8.6, height=3.6)
        self._build_figure()
        super().__init__(
            [
                widgets.HBox([self._mean, self._sd]),
                widgets.HBox([self._n, self._shift]),
                self._shift_note,
                self.figure_view,
            ]
        )
        self.add_class("senge-threshold-explorer")
        self._busy = False
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._update()
        self.set(mean=mean, sd=sd, n=n, shift=shift)

    @guarded
    def set(self, **values):
        """Set several controls at once (``mean``, ``sd``, ``n``, ``shift``) and redraw once.

        Values out of range show a message and change nothing.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"set() takes mean, sd, n and shift, got {', '.join(map(repr, unknown))}"
            )
        checked = {}
        for name, value in values.items():
            if value is None:
                continue
            low, high = self.RANGES[name]
            if name == "n":
                checked[name] = check_integer(name, value, low=low, high=high)
            else:
                checked[name] = check_number(name, value, low=low, high=high)
        if not checked:
            return
        with quiet(self):
            for name, value in checked.items():
                self.controls[name].value = value
        self._update()

    @guarded
    def _update(self, change=None):
        if self._busy:
            return
        self.result = crowd_equilibrium(
            self._mean.value, self._sd.value, self._n.value, shift=self._shift.value
        )
        self.show_message("")
        self._draw()

    # drawing

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)  # fixed margins: a full redraw costs half as much
        self._ax_spread, self._ax_ready = fig.subplots(1, 2)
        fig.subplots_adjust(left=0.05, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        ax = self._ax_spread
        style_axes(
            ax,
            title="How thresholds are spread",
            xlabel="threshold (others who must join first)",
            ylabel="how many people (relative)",
        )
        ax.set_yticks([])  # the height is relative: its limits change without a full redraw
        self._instigator_patch = Polygon(
            np.zeros((1, 2)),
            closed=True,
            facecolor=OKABE_ITO["vermillion"],
            edgecolor=OKABE_ITO["vermillion"],
            alpha=0.35,
            hatch="///",
            label="instigators (need nobody)",
        )
        ax.add_patch(self._instigator_patch)
        (self._before_line,) = ax.plot(
            [], [], color=OKABE_ITO["grey"], linestyle="--", label="before leaders' shift"
        )
        (self._spread_line,) = ax.plot(
            [], [], color=OKABE_ITO["blue"], linewidth=2, label="thresholds"
        )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.legend(loc="upper left", fontsize=8)
        ax = self._ax_ready
        style_axes(
            ax,
            title="Who is ready to join",
            xlabel="joined so far (% of the crowd)",
            ylabel="threshold met (% of the crowd)",
        )
        ax.set_xlim(0, 102)
        ax.set_ylim(0, 102)
        (self._diagonal,) = ax.plot(
            [], [], color="black", linestyle="--", linewidth=1, label="ready = joined"
        )
        (self._ready_line,) = ax.plot(
            [], [], color=OKABE_ITO["blue"], linewidth=2, label="ready to join"
        )
        (self._cobweb,) = ax.plot(
            [],
            [],
            color=OKABE_ITO["orange"],
            linestyle=":",
            linewidth=1.5,
            label="steps from nobody",
        )
        (self._eq_dot,) = ax.plot(
            [],
            [],
            linestyle="none",
            marker="D",
            markersize=8,
            color=OKABE_ITO["vermillion"],
            markeredgecolor="black",
            label="equilibrium",
        )
        self._eq_text = ax.text(
            3,
            94,
            "",
            fontsize=9,
            color="#1a1a1a",
            verticalalignment="top",
            bbox={"facecolor": "white", "edgecolor": OKABE_ITO["vermillion"], "alpha": 0.9},
        )
        ax.legend(loc="lower right", fontsize=8)
        self.figure_view.animate(
            self._instigator_patch,
            self._before_line,
            self._spread_line,
            self._diagonal,
            self._ready_line,
            self._cobweb,
            self._eq_dot,
            self._eq_text,
        )
        self._limits = None

    def _draw(self):
        r = self.result
        mu = r.mean + r.shift
        n = r.n
        # axis limits change only with the crowd size or a far-out spread: then redraw everything
        lo = -40.0
        hi = 40.0 * math.ceil(max(80.0, mu + 3.5 * r.sd, r.mean + 3.5 * r.sd) / 40.0)
        if self._limits != hi:
            self._ax_spread.set_xlim(lo, hi)
            self._diagonal.set_data([0, 100], [0, 100])
            self._limits = hi
            self.figure_view.invalidate()
        # left: the spread of thresholds, before and after the leaders' shift
        x = np.linspace(lo, hi, 300)
        y = r.n * _normal_pdf(x, mu, r.sd)
        self._spread_line.set_data(x, y)
        if r.shift:
            self._before_line.set_data(x, r.n * _normal_pdf(x, r.mean, r.sd))
        else:
            self._before_line.set_data([], [])
        below = x <= 0
        xs = np.concatenate([x[below], [0.0, 0.0, lo]])
        ys = np.concatenate([y[below], [r.n * _normal_pdf(0.0, mu, r.sd), 0.0, 0.0]])
        self._instigator_patch.set_xy(np.column_stack([xs, ys]))
        self._ax_spread.set_ylim(0, r.n * _normal_pdf(mu, mu, r.sd) * 1.25)
        # right: Granovetter's diagram, with the steps (0,0) -> (0,r1) -> (r1,r1) -> (r1,r2) ...
        # (in % of the crowd, so that the axes stay put when the crowd size changes)
        grid = np.linspace(0, n, 400)
        pct = 100.0 / n
        self._ready_line.set_data(grid * pct, 100.0 * special.ndtr((grid - mu) / r.sd))
        p = r.path * pct
        if p.size > 401:  # thin a long slow crawl through the bottleneck for drawing
            p = np.concatenate([p[:400], p[-1:]])
        self._cobweb.set_data(np.repeat(p, 2)[:-1], np.concatenate([[0.0], np.repeat(p[1:], 2)]))
        share = r.joined * pct
        self._eq_dot.set_data([share], [share])
        verdict = "tips" if r.tipped else "stalls"
        self._eq_text.set_text(f"Equilibrium: {verdict},\n{_count(r.joined)} of {n} join")
        self.figure_view.render(self._summary())

    def _summary(self):
        r = self.result
        shift = ""
        if r.shift < 0:
            shift = f", leaders lowering every threshold by {-r.shift:g}"
        elif r.shift > 0:
            shift = f", leaders raising every threshold by {r.shift:g}"
        verdict = "the crowd tips: nearly everyone joins." if r.tipped else "the crowd stalls."
        return (
            f"With mean {r.mean:g} and sd {r.sd:g}{shift}, {_count(r.joined)} of {r.n} people "
            f"join: {verdict}"
        )


# ----------------------------------------------------------------------------- private helpers


def _count(x):
    """A number of people for reading: one decimal below 10, whole above."""
    if x < 9.95:
        return f"{x:.1f}"
    return f"{x:.0f}"


def _normal_pdf(x, mu, sd):
    z = (np.asarray(x, dtype=float) - mu) / sd
    return np.exp(-0.5 * z * z) / (sd * math.sqrt(2 * math.pi))
