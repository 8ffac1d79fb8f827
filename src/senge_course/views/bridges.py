"""Bridges between teams (lesson 04): where to place three ties, and what long ties do.

`BridgeExplorer` (a budget of three ties between two teams) and `LongTieExplorer` (a ring
rewired into long ties) are thin views over `senge_course.models.bridges`; each app's
``.result`` is the model's outcome, whose ``.summary`` is the figure's caption.  Under each
figure, a folded "Assumptions" section (`assumptions`, an `AssumptionsView`) lists the claims the
app shows; `apply` moves the app to a claim's setting.
"""

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from .._validate import check_one_of
from ..models import claims, contagion
from ..models.bridges import (
    P_GRID,
    PLACEMENTS,
    PRACTICES,
    bridge_outcome,
    bridge_pairs,
    bridge_ties,
    long_tie_sweep,
    rewired_ring,
    two_teams,
)
from ..style import OKABE_ITO, STATE_STYLE, series_style
from ._base import App, guarded, quiet, slider_look
from ._blit import BlitFigureView
from .assumptions import AssumptionsView
from .figures import style_axes

__all__ = ["BridgeExplorer", "LongTieExplorer"]

_PRACTICES = [("complex (needs 2 contacts)", "complex"), ("simple (needs 1 contact)", "simple")]
_TIPS = [
    "two ties on B1 and one on her neighbour B2",
    "two ties on B1, the third far away",
    "one tie each to three people far apart",
    "a single tie",
    "choose the ends of the three ties below",
]
_TEXT = {"color": "#1a1a1a", "ha": "center"}


class BridgeExplorer(App):
    """Connect two teams with a budget of three ties: does a complex practice cross?

    Team A (left) has piloted a practice and is all committed; team B (right) works as a ring
    where everyone is tied to the two colleagues on either side.  Choose a placement (a wide
    bridge landing on neighbours, two ties on one person, three ties spread out, one long tie)
    or place the three ties yourself, and a practice: *complex* (each person needs two committed
    contacts, Centola & Macy 2007) or *simple* (one is enough): the arguments `placement` (one
    of `senge_course.models.bridges.PLACEMENTS`) and `practice` set the start.  The drawing shows
    who commits, and in which round.  ``.result`` is a `senge_course.models.bridges.BridgeOutcome`.

    Examples
    --------
    >>> app = BridgeExplorer()
    >>> app.result.crossed
    True
    >>> app.controls["placement"].value = "spread out"
    >>> app.result.team_b_committed
    0
    """

    SIZE = 10
    TIES = 3
    _CENTRES = (-1.95, 1.95)

    def __init__(self, placement="wide bridge", practice="complex"):
        self._busy = True
        c = self.controls = {
            "placement": _toggles(PLACEMENTS, "Three ties:", "7em", tooltips=_TIPS),
            "practice": _toggles(_PRACTICES, "Practice:", "7em"),
        }
        people = {s: [(f"{s}{i}",) * 2 for i in range(1, self.SIZE + 1)] for s in "AB"}
        rows = []
        for i in range(1, self.TIES + 1):
            c[f"tie{i}_a"] = _dropdown(people["A"], f"Tie {i} from:", "7em", "14em")
            c[f"tie{i}_b"] = _dropdown(people["B"], "to:", "2.5em", "9.5em")
            rows.append(widgets.HBox([c[f"tie{i}_a"], c[f"tie{i}_b"]]))
        self.figure_view = BlitFigureView(width=8.6, height=3.9)
        self._build_figure()
        row = widgets.HBox(rows, layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([c["placement"], c["practice"], row, self.figure_view, _folded(self)])
        self.add_class("senge-bridge-explorer")
        for control in c.values():
            control.observe(self._on_change, names="value")
        self._busy = False
        with quiet(self):
            self._fill(bridge_ties("wide bridge", self.SIZE))
        self._update()
        self.set(placement=placement, practice=practice)

    @property
    def ties(self):
        """The ties the pickers show, as (A label, B label) pairs (incomplete rows left out)."""
        c = self.controls
        pairs = [(c[f"tie{i}_a"].value, c[f"tie{i}_b"].value) for i in range(1, self.TIES + 1)]
        return [(a, b) for a, b in pairs if a and b]

    @guarded
    def set(self, *, placement=None, practice=None, ties=None):
        """Set the placement, the practice, or your own `ties` (pairs of labels)."""
        values = _checked(practice=(practice, tuple(PRACTICES)), placement=(placement, PLACEMENTS))
        if ties is not None:
            labels = two_teams(self.SIZE).nodes(data="label")
            ties = [(labels[a], labels[b]) for a, b in bridge_pairs(ties, self.SIZE)]
            values["placement"] = "your own"
        placement = values.get("placement")
        with quiet(self):
            for name, value in values.items():
                self.controls[name].value = value
            if ties is not None or placement not in (None, "your own"):
                self._fill(ties if ties is not None else bridge_ties(placement, self.SIZE))
        self._update()

    def apply(self, setting):
        """Move the app to a claim's setting (``practice``, ``placement``); raise ``ValueError``
        for a setting it has no control for, or a value it does not offer."""
        _checked(**_known(setting, practice=tuple(PRACTICES), placement=PLACEMENTS[:-1]))
        self.set(**setting)

    def _fill(self, ties):
        for i in range(self.TIES):
            a, b = ties[i] if i < len(ties) else ("", "")
            self.controls[f"tie{i + 1}_a"].value = a
            self.controls[f"tie{i + 1}_b"].value = b

    def _on_change(self, change):
        if self._busy:
            return
        owner = change["owner"]
        with quiet(self):
            if owner is self.controls["placement"] and change["new"] != "your own":
                self._fill(bridge_ties(change["new"], self.SIZE))
            elif owner is not self.controls["placement"] and owner is not self.controls["practice"]:
                self.controls["placement"].value = "your own"
        self._update()

    @guarded
    def _update(self):
        ties = self.ties
        twice = next((tie for i, tie in enumerate(ties) if tie in ties[:i]), ())
        said = "is chosen twice: two people share at most one tie. It counts once."
        self.show_message(f"The tie {'-'.join(twice)} {said}" if twice else "", kind="error")
        r = self.result = bridge_outcome(
            list(dict.fromkeys(ties)), self.controls["practice"].value, self.SIZE
        )
        xy, green = self._xy, STATE_STYLE["committed"]["color"]
        self._bridge.set_segments([(xy[a], xy[b]) for a, b in bridge_pairs(r.ties, self.SIZE)])
        self._people.set_facecolor(list(np.where(r.committed, green, "white")))
        for text, when in zip(self._round_text, r.adoption_round[self.SIZE :], strict=True):
            text.set_text(str(when) if when > 0 else "")
        crossed = f"Crossed: all {r.size} of team B committed"
        missed = f"Did not cross: {r.team_b_committed} of {r.size} in team B committed"
        self._verdict.set_text(crossed if r.crossed else missed)
        self.figure_view.render(r.summary)

    def _build_figure(self):
        ax = _network_axes(self.figure_view.figure, (0.01, 0.12, 0.98, 0.8), 3.75, 1.95)
        n = self.SIZE
        # A1 faces B1 across the gap; A2 and B2 sit just above them (mirror images)
        angle = 2 * np.pi * np.arange(n) / n
        angle = np.concatenate([angle, np.pi - angle])
        centre = np.repeat(self._CENTRES, n)
        xy = self._xy = np.column_stack([centre + 1.3 * np.cos(angle), 1.3 * np.sin(angle)])
        G = two_teams(n)
        edges = [(xy[u], xy[v]) for u, v in G.edges()]
        ax.add_collection(LineCollection(edges, colors="#9E9E9E", linewidths=0.8, zorder=1))
        ax.text(-1.95, 1.78, "Team A: the pilot team (all committed)", fontsize=9, **_TEXT)
        ax.text(1.95, 1.78, "Team B", fontsize=9, **_TEXT)
        for v, label in G.nodes(data="label"):
            x, y = centre[v] + 1.62 * np.cos(angle[v]), 1.62 * np.sin(angle[v])
            ax.text(x, y, label, va="center", fontsize=7.5, **_TEXT)
        look = {"colors": OKABE_ITO["orange"], "linewidths": 2.4, "zorder": 2, "linestyles": "--"}
        self._bridge = ax.add_collection(LineCollection([], **look))
        self._people = ax.scatter(*xy.T, s=190, edgecolor="black", linewidth=0.8, zorder=3)
        # the round in which each person of team B committed, written on them
        self._round_text = [
            ax.text(x, y, "", va="center", fontsize=7.5, zorder=4, **_TEXT) for x, y in xy[n:]
        ]
        self._verdict = ax.text(0, -1.9, "", fontsize=10, fontweight="bold", **_TEXT)
        _legend(ax, "committed (number: the round)", "the ties you placed", 2.4)
        self.figure_view.animate(self._bridge, self._people, *self._round_text, self._verdict)


class LongTieExplorer(App):
    """Rewire a ring of people into long ties: a simple practice speeds up, a complex one stalls.

    200 people on a ring each work with the two colleagues on either side; a share p of the ties
    is rewired into long ties across the ring (`senge_course.models.topologies.rewired`, keeping
    everyone's number of ties).  A practice starts from two neighbouring people.  The left panel
    shows one network (``.graph``) and who adopted the chosen practice; the right panels show,
    over 10 networks per p, how far each practice spreads and how many rounds it takes to reach
    90% of people (Centola & Macy 2007).  *Ties per person* (4, 6 or 8: half of them on either
    side) sets how much neighbours' circles overlap.  ``.result`` maps each practice to
    ``(final share, rounds to 90%)`` at the current p, averaged over the networks (a
    `senge_course.models.bridges.LongTieOutcome`); ``.sweep`` is the `LongTieSweep`.

    Examples
    --------
    >>> app = LongTieExplorer()
    >>> dict(app.result)
    {'complex': (1.0, 89.0), 'simple': (1.0, 45.0)}
    >>> app.controls["p"].value = 0.1
    >>> app.result["complex"][0] < 0.1 < app.result["simple"][0]
    True
    """

    N = 200
    TIES = (4, 6, 8)
    NETWORKS = 10

    def __init__(self, p=0.0, practice="complex", ties_per_person=4):
        self._busy = True
        self.graph = None
        self.sweep = self._sweep(self.TIES[0])
        self.controls = {
            "p": widgets.SelectionSlider(
                options=[(f"{x:g}", x) for x in P_GRID],
                description="Rewiring probability p:",
                **slider_look("13em", "34em"),
            ),
            "practice": _toggles(_PRACTICES, "Drawn:", "5em"),
            "ties_per_person": _toggles(self.TIES, "Ties per person:", "9em"),
        }
        self.figure_view = BlitFigureView(width=9.2, height=4.0)
        self._build_figure()
        super().__init__([*self.controls.values(), self.figure_view, _folded(self)])
        self.add_class("senge-long-tie-explorer")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._busy = False
        self._update()
        self.set(p=p, practice=practice, ties_per_person=ties_per_person)

    @guarded
    def set(self, *, p=None, practice=None, ties_per_person=None):
        """Set the rewiring probability (one of `P_GRID`), the practice drawn and the ties per
        person (one of `TIES`); None keeps a value."""
        self.apply({"p": p, "practice": practice, "ties_per_person": ties_per_person})

    def apply(self, setting):
        """Move the app to `setting` (as `set`, a dict: the Assumptions view calls it); a name it
        has no control for, or a value it does not offer, raises ``ValueError``."""
        allowed = {"p": P_GRID, "practice": tuple(PRACTICES), "ties_per_person": self.TIES}
        values = _checked(**_known(setting, **allowed))
        with quiet(self):
            for name, value in values.items():
                self.controls[name].value = value
        self._update()

    def _sweep(self, k):
        return long_tie_sweep(P_GRID, n=self.N, k=k, networks=self.NETWORKS, seed=1)

    @guarded
    def _update(self, change=None):
        if self._busy:
            return
        p, practice = float(self.controls["p"].value), self.controls["practice"].value
        k = self.controls["ties_per_person"].value
        if k != self.sweep.k:  # the averages' panels change: a full redraw
            self.sweep = self._sweep(k)
            self._show_sweep()
        self.result = self.sweep.at(p)
        G = self.graph = rewired_ring(self.N, k, p, self.sweep.seed)
        xy, local, far = self._xy, [], []
        for u, v, kind in G.edges(data="kind"):
            (far if kind == "bridge" else local).append((xy[u], xy[v]))
        self._local.set_segments(local)
        self._long.set_segments(far)
        r = contagion.simulate(G, PRACTICES[practice], [0, 1], absolute=True)
        self._dots.set_facecolor(list(np.where(r.committed, OKABE_ITO["green"], "white")))
        for marker in self._markers:
            marker.set_xdata([_p_axis(p)] * 2)
        self._title.set_text(f"p = {p:g}: the {practice} practice reached {r.final_fraction:.0%}")
        self.figure_view.render(
            f"{self.result.summary} With {k} ties per person. The drawing shows one of the "
            f"networks ({len(far)} long ties) and who adopted the {practice} practice in it "
            f"({r.final_fraction:.0%})."
        )

    def _build_figure(self):
        fig = self.figure_view.figure
        ax = _network_axes(fig, (0.0, 0.1, 0.42, 0.82), 1.15, 1.15)
        angle = 2 * math.pi * np.arange(self.N) / self.N
        self._xy = np.column_stack([np.cos(angle), np.sin(angle)])
        self._local = ax.add_collection(LineCollection([], colors="#9E9E9E", linewidths=0.5))
        look = {"colors": OKABE_ITO["orange"], "linewidths": 0.9, "linestyles": "--"}
        self._long = ax.add_collection(LineCollection([], **look))
        self._dots = ax.scatter(*self._xy.T, s=14, edgecolor="black", linewidth=0.3, zorder=3)
        self._title = ax.text(0, 1.12, "", fontsize=9, **_TEXT)
        _legend(ax, "adopted", "long tie", 0.9)
        xs = [_p_axis(p) for p in P_GRID]  # p = 0 sits at the left end of a log axis
        s = self.sweep
        panels = (
            ((0.52, 0.58, 0.45, 0.34), s.final, "share who adopt"),
            ((0.52, 0.12, 0.45, 0.34), s.rounds_to_90, "rounds to reach 90%"),
        )
        self._markers, self._curves = [], []
        for rect, data, ylabel in panels:
            panel = style_axes(fig.add_axes(rect), ylabel=ylabel)
            panel.set_xscale("log")
            for i, name in enumerate(("simple", "complex")):
                look = series_style(i)
                panel.plot(xs, data[name], label=f"{name} practice", markersize=5, **look)
            panel.set_xticks(xs, [f"{p:g}" for p in P_GRID], fontsize=7)
            panel.minorticks_off()
            self._markers.append(panel.axvline(xs[0], color="black", linestyle=":", linewidth=1))
            self._curves.append(panel)
        self._show_sweep()
        share, time = fig.axes[1:]
        share.set_title(f"Averages over {s.networks} networks per p", fontsize=9, loc="left")
        share.legend(loc="center left", fontsize=8, frameon=False)
        time.set_xlabel("share of ties rewired into long ties, p")
        self.figure_view.animate(self._local, self._long, self._dots, self._title, *self._markers)

    def _show_sweep(self):
        """Show the sweep's averages on the two panels, scaled to them (a full redraw)."""
        for panel, data in zip(
            self._curves, (self.sweep.final, self.sweep.rounds_to_90), strict=True
        ):
            for line, name in zip(panel.lines[:2], ("simple", "complex"), strict=True):
                line.set_ydata(data[name])
            top = np.nanmax([*data["simple"], *data["complex"]])
            panel.set_ylim(0, 1.05 if data is self.sweep.final else top * 1.1)
        self.figure_view.invalidate()


def _known(setting, **allowed):
    """{name: (value, allowed)} for the names in `setting`; raise if the app has no such control."""
    unknown = sorted(set(setting) - set(allowed))
    if unknown:
        raise ValueError(f"this app's settings are {', '.join(allowed)}; it has no {unknown[0]}")
    return {n: (setting[n], allowed[n]) for n in allowed if n in setting}


def _folded(app):
    """The app's folded "Assumptions" section: the claims it shows (`AssumptionsView`)."""
    app.assumptions = AssumptionsView(claims.for_app(type(app).__name__), apply=app.apply)
    return widgets.Accordion([app.assumptions], titles=("Assumptions",), selected_index=None)


def _checked(**given):
    """Return {name: value} for the `given` name=(value, allowed) that are not None, checked."""
    return {n: check_one_of(n, v, allowed) for n, (v, allowed) in given.items() if v is not None}


def _toggles(options, description, label_width, **kwargs):
    style = {"button_width": "auto", "description_width": label_width}
    return widgets.ToggleButtons(options=options, description=description, style=style, **kwargs)


def _dropdown(people, description, label_width, width):
    look = {"style": {"description_width": label_width}, "layout": widgets.Layout(width=width)}
    return widgets.Dropdown(
        options=[("no tie", ""), *people], value="", description=description, **look
    )


def _network_axes(fig, rect, x, y):
    """Axes for a network drawing: no frame, equal aspect, from -x to x and -y to y."""
    fig.set_layout_engine(None)
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set(aspect="equal", xlim=(-x, x), ylim=(-y, y))
    return ax


def _legend(ax, adopted, tie, width):
    """The legend under a network drawing: who adopted, who did not, the dashed ties."""
    dot = {"linestyle": "none", "marker": "o", "markersize": 8, "markeredgecolor": "black"}
    dots = [(adopted, STATE_STYLE["committed"]["color"]), ("not yet", "white")]
    handles = [Line2D([], [], markerfacecolor=face, label=label, **dot) for label, face in dots]
    line = {"color": OKABE_ITO["orange"], "linestyle": "--", "linewidth": width}
    handles.append(Line2D([], [], label=tie, **line))
    below = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.02), "fontsize": 8}
    ax.legend(handles=handles, ncol=3, frameon=False, **below)


def _p_axis(p):
    """Where probability `p` sits on the log axis of `LongTieExplorer` (0 drawn at 0.0003)."""
    return p if p > 0 else 0.0003
