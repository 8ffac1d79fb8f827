"""Threshold explorers (lesson 02): Granovetter's riot and the tipping point of a crowd.

Granovetter (1978) gave each person a *threshold*: how many others must join before they join
too.  The crowd's outcome is the first fixed point of ``r -> number of people with threshold <= r``
(`senge_course.models.contagion.granovetter_equilibrium`).  Two apps make it visible:

`RiotExplorer`
    Granovetter's riot: thresholds 0, 1, ..., n - 1.  Change one person's threshold and watch a
    chain reaction of the whole crowd become a crowd of one.
`ThresholdExplorer`
    Thresholds spread normally around a mean.  Move the spread (sd), the crowd size, and how far
    leaders shift everyone's threshold (mentoring and pilots lower it; fear and mandates raise it),
    and watch the equilibrium jump from a handful to nearly everyone.

The pure helpers come first (`riot_crowd`, `riot_rounds`, `crowd_equilibrium`, `tipping_sd`,
`tipping_shift`); they return data and draw nothing.

Examples
--------
Granovetter's riot: with thresholds 0..99 all 100 join; move the person with threshold 1 to 2
and only the instigator does.

>>> uniform = riot_crowd(100)
>>> changed = riot_crowd(100, person=1, threshold=2)
>>> int(riot_rounds(uniform)[-1]), int(riot_rounds(changed)[-1])
(100, 1)

A crowd of 100 with thresholds spread normally around 25 tips when the spread passes 12.2:

>>> round(tipping_sd(25, 100), 2)
12.22
"""

import math
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Polygon
from scipy import special, stats

from .._validate import check_integer, check_number
from ..models.contagion import granovetter_equilibrium
from ..style import OKABE_ITO
from ._base import App, guarded, quiet, slider_look
from ._blit import BlitFigureView
from .figures import style_axes

__all__ = [
    "CrowdResult",
    "RiotExplorer",
    "RiotResult",
    "ThresholdExplorer",
    "crowd_equilibrium",
    "riot_crowd",
    "riot_rounds",
    "tipping_sd",
    "tipping_shift",
]

#: Most steps of the cobweb drawn from "nobody has joined" towards the equilibrium.
MAX_STEPS = 2000


# ----------------------------------------------------------------------------- models (pure)


def riot_crowd(n=100, *, person=1, threshold=None):
    """Return Granovetter's riot crowd: thresholds 0, 1, ..., n - 1, with one person changed.

    Parameters
    ----------
    n : int, default 100
        Crowd size (2 to 10,000).
    person : int, default 1
        Which person to change, named by their original threshold (0 to n - 1).
    threshold : int, optional
        Their new threshold (0 to n - 1); None leaves the crowd uniform.

    Returns
    -------
    list of int
        The thresholds, person ``i`` at position ``i``.

    Raises
    ------
    TypeError, ValueError
        If a value is not a whole number in its range.

    Examples
    --------
    The person with threshold 1 now waits for two others:

    >>> riot_crowd(5, person=1, threshold=2)
    [0, 2, 2, 3, 4]
    """
    n = check_integer("n", n, low=2, high=10_000)
    person = check_integer("person", person, low=0, high=n - 1)
    crowd = list(range(n))
    if threshold is not None:
        crowd[person] = check_integer("threshold", threshold, low=0, high=n - 1)
    return crowd


def riot_rounds(thresholds):
    """Return how many have joined after each round, from nobody (round 0) to the equilibrium.

    In round 1 everyone with threshold 0 joins; in each later round everyone whose threshold is
    at most the number already joined.  The last value is Granovetter's equilibrium.

    Parameters
    ----------
    thresholds : sequence of numbers >= 0
        Each person's threshold (how many others must join first).

    Returns
    -------
    numpy.ndarray of int
        Joined after rounds 0, 1, 2, ... until nothing changes (round 0 is always 0).

    Raises
    ------
    TypeError, ValueError
        If a threshold is not a number >= 0.

    Examples
    --------
    In a crowd with thresholds 0, 1, 1, 5 the instigator brings both 1s, then the chain stops:
    the person with threshold 5 needs two more than are there.

    >>> riot_rounds([0, 1, 1, 5]).tolist()
    [0, 1, 3]
    """
    final = granovetter_equilibrium(thresholds)  # validates, and says where the chain stops
    t = np.sort(np.asarray(list(thresholds), dtype=float))
    out, r = [0], 0
    while r != final:
        r = int(np.searchsorted(t, r, side="right"))
        out.append(r)
    return np.asarray(out, dtype=int)


@dataclass(frozen=True)
class CrowdResult:
    """The equilibrium of a crowd whose thresholds are spread normally (from `crowd_equilibrium`).

    Attributes
    ----------
    mean, sd : float
        The thresholds' mean and standard deviation before the leaders' shift.
    n : int
        Crowd size.
    shift : float
        How far leaders moved every threshold (negative lowers them).
    joined : float
        How many join at equilibrium (Granovetter's continuous approximation).
    tipped : bool
        Whether more than half the crowd joins.
    instigators : float
        How many need nobody else (threshold at most 0).
    path : numpy.ndarray
        The numbers joined round by round from nobody (the cobweb's steps), at most
        `MAX_STEPS` + 1 values.
    """

    mean: float
    sd: float
    n: int
    shift: float
    joined: float
    tipped: bool
    instigators: float
    path: np.ndarray = field(repr=False, compare=False)

    @property
    def joined_share(self):
        """Share of the crowd that joins."""
        return self.joined / self.n


def crowd_equilibrium(mean=25.0, sd=10.0, n=100, *, shift=0.0):
    """Return how many of a crowd of `n` join when thresholds are Normal(mean + shift, sd).

    Thresholds count people (how many must join first), as in Granovetter's normal example.

    Parameters
    ----------
    mean : float, default 25
        Mean threshold (0 to 1000).
    sd : float, default 10
        Standard deviation of the thresholds (0.1 to 500).
    n : int, default 100
        Crowd size (2 to 100,000).
    shift : float, default 0
        Added to everyone's threshold: leaders who mentor and run pilots lower thresholds
        (negative), fear and mandates raise them (positive).  From -1000 to 1000.

    Returns
    -------
    CrowdResult

    Raises
    ------
    TypeError, ValueError
        If a value is not a number in its range.

    Examples
    --------
    Granovetter's crowd of 100 with mean 25: at sd 12 about 4 join; at sd 13 nearly everyone.

    >>> round(crowd_equilibrium(25, 12).joined, 2), crowd_equilibrium(25, 13).tipped
    (4.02, True)

    Leaders who lower everyone's threshold by 4 tip a crowd that stalled at sd 10:

    >>> crowd_equilibrium(25, 10).tipped, crowd_equilibrium(25, 10, shift=-4).tipped
    (False, True)
    """
    mean = check_number("mean", mean, low=0, high=1000)
    sd = check_number("sd", sd, low=0.1, high=500)
    n = check_integer("n", n, low=2, high=100_000)
    shift = check_number("shift", shift, low=-1000, high=1000)
    mu = mean + shift
    joined = float(granovetter_equilibrium(stats.norm(mu, sd), n=n))
    path = _cobweb(mu, sd, n, joined)
    return CrowdResult(
        mean=mean,
        sd=sd,
        n=n,
        shift=shift,
        joined=joined,
        tipped=joined > n / 2,
        instigators=float(n * special.ndtr(-mu / sd)),
        path=path,
    )


def tipping_sd(mean=25.0, n=100, *, shift=0.0, low=0.5, high=100.0, tol=1e-6):
    """Return the standard deviation at which a crowd tips (more than half join).

    Bisection on the sd between `low` (where the crowd must stall) and `high` (where it must tip).

    Parameters
    ----------
    mean : float, default 25
    n : int, default 100
    shift : float, default 0
        As in `crowd_equilibrium`.
    low, high : float
        A bracket: the crowd stalls at `low` and tips at `high`.
    tol : float
        Width of the final bracket.

    Returns
    -------
    float
        The smallest sd (to `tol`) at which the crowd tips.

    Raises
    ------
    ValueError
        If the crowd does not stall at `low` and tip at `high`.

    Examples
    --------
    Granovetter reports "about 12.2" for his crowd of 100 with mean 25; a higher mean needs a
    wider spread before it tips.

    >>> round(tipping_sd(25), 4), round(tipping_sd(30), 2)
    (12.2221, 15.67)
    """

    def tips(sd):
        return crowd_equilibrium(mean, sd, n, shift=shift).tipped

    return _bisect(tips, low, high, tol, "sd")


def tipping_shift(mean=25.0, sd=10.0, n=100, *, tol=1e-6):
    """Return the shift of everyone's threshold at which a crowd moves between stalling and tipping.

    For a crowd that stalls it is the (negative) shift leaders must make to tip it; for one that
    tips, the (positive) shift that stalls it.

    Parameters
    ----------
    mean, sd : float
    n : int
        As in `crowd_equilibrium`.
    tol : float
        Width of the final bracket.

    Returns
    -------
    float

    Examples
    --------
    At sd 10 the crowd of 100 stalls; lowering every threshold by about 3.6 tips it.
    At sd 13 it tips; fear that raises every threshold by about 1.2 stalls it again.

    >>> round(tipping_shift(25, 10), 2), round(tipping_shift(25, 13), 2)
    (-3.55, 1.18)
    """
    mean = check_number("mean", mean, low=0, high=1000)
    sd = check_number("sd", sd, low=0.1, high=500)
    n = check_integer("n", n, low=2, high=100_000)

    def tips(lowered):
        return crowd_equilibrium(mean, sd, n, shift=-lowered).tipped

    # tipping grows as thresholds fall: bisect on the amount lowered, from "raised so far that
    # nobody is within reach" to "lowered so far that nearly everyone needs nobody"
    low = max(-1000.0, -(n + 6.0 * sd))
    high = min(1000.0, mean + 6.0 * sd)
    return -_bisect(tips, low, high, tol, "the amount lowered")


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


def _cobweb(mu, sd, n, joined):
    """The numbers joined after each round from nobody: r <- n F(r), until it settles."""
    r, out = 0.0, [0.0]
    tol = 1e-6 * n
    for _ in range(MAX_STEPS):
        nxt = float(n * special.ndtr((r - mu) / sd))
        out.append(nxt)
        if abs(nxt - r) < tol or abs(nxt - joined) < tol:
            break
        r = nxt
    return np.asarray(out)


def _bisect(tips, low, high, tol, name):
    """Smallest x in [low, high] with tips(x) True (tips rising in x), to `tol`."""
    if tips(low) or not tips(high):
        raise ValueError(
            f"the crowd must stall at {name}={low:g} and tip at {name}={high:g} to find where it "
            "tips; try other values"
        )
    while high - low > tol:
        mid = 0.5 * (low + high)
        if tips(mid):
            high = mid
        else:
            low = mid
    return high
