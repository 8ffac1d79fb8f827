"""Cascade explorers (lesson 03): when does a new practice go global, and who should start it?

`CascadeExplorer` shows Watts's (2002) cascade window on random networks and how a lone
champion, a pilot group or scattered champions fare; `PilotExplorer` compares the same three
starts in an organisation of teams.  The models (and their caches of networks and batches) are
in `senge_course.models.cascades`; `organisation_layout` places an organisation's people.

>>> CascadeExplorer().result.position
'inside'
"""

import math
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from ..models.cascades import (
    CASCADE_CONTROLS,
    CASCADES,
    GLOBAL_SHARE,
    PEOPLE_OPTIONS,
    PILOTS,
    RUN_OPTIONS,
    STARTS,
    TEAM_WON,
    TEAMS,
    cascade_network,
    cascade_probability_curve,
    cascade_runs,
    pilot_organisation,
    pilot_runs,
    vulnerable_degree,
)
from ..style import OKABE_ITO, ROLE_STYLE, STATE_STYLE
from .controls import controls_for
from .figures import style_axes
from .thresholds import VERMILLION, Explorer

__all__ = ["CascadeExplorer", "PilotExplorer", "organisation_layout"]

#: Mean degrees at which the analytic curve is drawn.
_Z_GRID = np.round(np.arange(0.05, 12.0001, 0.05), 2)
_LOOK = {"width": "31em", "description_width": "11em"}


def organisation_layout(G):
    """Return positions for drawing an organisation: teams on a ring, executives in the middle.

    Each team sits on its own small circle around its line leader; the teams sit on a ring; the
    executive group is in the centre.  Fast (no force-directed layout) and the same every time.

    `G` is an organisation from `senge_course.models.org.organisation`; returns node -> (x, y).

    >>> from senge_course.models.org import organisation
    >>> pos = organisation_layout(organisation(teams=4, team_size=5, seed=1))
    >>> len(pos), pos[0] != pos[1]
    (23, True)
    """

    def circle(people, radius, cx=0.0, cy=0.0, turn=0.0):
        for i, v in enumerate(people):
            angle = 2 * math.pi * i / max(1, len(people)) + turn
            pos[v] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))

    by_team, executives, pos = {}, [], {}
    for v, data in G.nodes(data=True):
        team = data.get("team", -1)
        if data.get("role") == "executive" or team is None or team < 0:
            executives.append(v)
        else:
            by_team.setdefault(team, []).append(v)
    circle(executives, 0.45, turn=math.pi / 2)
    teams = sorted(by_team)
    ring = max(3.0, 0.6 * len(teams))
    for k, team in enumerate(teams):
        angle = 2 * math.pi * k / len(teams) + math.pi / 2
        cx, cy = ring * math.cos(angle), ring * math.sin(angle)
        leaders = [v for v in by_team[team] if G.nodes[v].get("role") == "line_leader"]
        circle(leaders, 0.0, cx, cy)
        circle([v for v in by_team[team] if v not in leaders], 1.3, cx, cy)
    return pos


def _start_buttons(description, group, scattered):
    return widgets.ToggleButtons(
        options=list(STARTS),
        description=description,
        tooltips=["one random person", group, f"the same number of people, drawn at {scattered}"],
        style={"button_width": "auto", "description_width": "11em"},
    )


def _dropdown(description, options):
    return widgets.Dropdown(
        options=list(options),
        description=description,
        style={"description_width": "5em"},
        layout=widgets.Layout(width="13em"),
    )


@lru_cache(maxsize=64)
def _theory(k):
    """A lone champion's chance to go global over `_Z_GRID`, when up to `k` contacts suffice."""
    return cascade_probability_curve(_Z_GRID, 1 / k)


class CascadeExplorer(Explorer):
    """Explore Watts's cascade window: threshold, mean degree and how the practice starts.

    Everyone needs a share `phi` of their contacts committed.  On a random network with mean
    degree `z`, a lone champion can set off a *global* cascade only inside a window of `z`: too
    few contacts and the network falls apart; too many and one committed contact is too small a
    share of anyone's network.  A pilot group or scattered champions can tip networks a lone
    champion cannot.  The left panel shows the analytic chance that a lone champion goes global
    against `z` (window shaded) and the simulated share of runs that went global for every `z`
    visited; the right panel how far each run spread.  ``.result`` is a
    `senge_course.models.cascades.CascadeResult`; ``.controls`` maps names to the controls
    (`CASCADE_CONTROLS`, `PEOPLE_OPTIONS`, `RUN_OPTIONS`); `network` returns the network shown.

    >>> app = CascadeExplorer()
    >>> app.result.position, app.result.global_runs
    ('inside', 83)
    >>> app.controls["z"].value = 8
    >>> app.result.position, app.result.global_runs
    ('above', 0)
    """

    TABLE = CASCADE_CONTROLS

    def __init__(self, phi=0.18, z=4.0, start="lone champion", size=10, n=2000, runs=100, seed=1):
        problems = []
        self.seed = self._setting(CASCADES, "seed", seed, problems)
        self.controls = c = controls_for(CASCADE_CONTROLS, **_LOOK)
        group = "a connected group: a person, their contacts, their contacts' contacts"
        c["start"] = _start_buttons("Start with:", group, "random across the network")
        c["n"], c["runs"] = _dropdown("People:", PEOPLE_OPTIONS), _dropdown("Runs:", RUN_OPTIONS)
        self._visited = {}  # settings but z -> {z: share of runs that went global}
        rows = [widgets.HBox([c["phi"], c["z"]]), c["start"]]
        rows.append(widgets.HBox([c["size"], c["n"], c["runs"]]))
        values = {"phi": phi, "z": z, "start": start, "size": size, "n": n, "runs": runs}
        self._start("cascade-explorer", rows, values, height=3.7, problems=problems)

    def network(self, n=None, z=None):
        """Return the prepared network for (n, z) (default: the current one), built once."""
        n = self.controls["n"].value if n is None else n
        z = self.controls["z"].value if z is None else z
        return cascade_network(n, round(float(z), 2), self.seed)

    def _compute(self):
        c = self.controls
        c["size"].disabled = c["start"].value == "lone champion"
        r = cascade_runs(**self._values(), seed=self.seed)
        self._visited.setdefault((r.phi, r.start, r.size, r.n, r.runs), {})[r.z] = r.frequency
        return r

    def _build_figure(self, fig):
        ax, runs = self._panels(fig, (1.45, 1), left=0.07, wspace=0.22)
        xlabel = "mean degree z (contacts per person)"
        style_axes(ax, title="Chance a start goes global", xlabel=xlabel, ylabel="share of runs")
        ax.set(xlim=(0, 12), ylim=(0, 1.05))
        look = {"color": OKABE_ITO["sky_blue"], "alpha": 0.25, "hatch": ".."}
        self._window = ax.add_patch(Rectangle((0, 0), 0, 1.05, label="cascade window", **look))
        self._theory = self._line(ax, OKABE_ITO["blue"], "theory: lone champion", linewidth=2)
        look = {"marker": "s", "ls": ""}
        label = "simulated (z visited)"
        self._visited_dots = self._line(ax, VERMILLION, label, ms=5.3, mfc="white", mew=1.2, **look)
        self._z_line = self._line(ax, "black", "current z", linestyle="--", linewidth=1)
        now = "simulated (current z)"
        self._current = self._line(ax, VERMILLION, now, ms=9, mec="black", **look)
        ax.legend(loc="upper right", fontsize=8)
        xlabel = "committed at the end (share of people)"
        style_axes(runs, title="How far each run spread", xlabel=xlabel, ylabel="share of runs")
        look = {"color": OKABE_ITO["green"], "edgecolor": "black", "linewidth": 0.5}
        self._bars = runs.bar(np.linspace(0, 0.95, 20), np.zeros(20), 0.05, align="edge", **look)
        grey = OKABE_ITO["grey"]
        runs.axvline(GLOBAL_SHARE, color=grey, linestyle=":", linewidth=1.2)
        runs.text(GLOBAL_SHARE + 0.02, 1.0, "global from here", fontsize=8, va="top")
        runs.set(xlim=(0, 1), ylim=(0, 1.05))
        self._window_note = self._note(ax, 0.02, 0.97, grey, 8.5, transform=ax.transAxes)
        lines = (self._theory, self._visited_dots, self._z_line, self._current)
        self.figure_view.animate(self._window, *lines, self._window_note, *self._bars)

    def _draw(self, r):
        self._theory.set_data(_Z_GRID, _theory(vulnerable_degree(r.phi)))
        self._window.set_visible(r.window is not None)
        if r.window is None:
            note = f"φ = {r.phi:.2f}: no window\n(closed above φ = 1/4)"
        else:
            low, high = r.window
            self._window.set(x=low, width=min(high, 12.5) - low)
            note = f"φ = {r.phi:.2f}: window\nz = {low:.2f} to {high:.2f}"
        self._window_note.set_text(note)
        self._z_line.set_data([r.z, r.z], [0, 1.05])
        self._current.set_data([r.z], [r.frequency])
        visited = sorted(self._visited[(r.phi, r.start, r.size, r.n, r.runs)].items())
        self._visited_dots.set_data(*zip(*visited, strict=True))
        counts, _ = np.histogram(np.clip(r.final_fraction, 0, 1), bins=20, range=(0, 1))
        for bar, count in zip(self._bars, counts, strict=True):
            bar.set_height(count / r.runs)


class PilotExplorer(Explorer):
    """Lone champion, pilot group or scattered champions, in an organisation of teams.

    The organisation (`senge_course.models.cascades.pilot_organisation`: 3 executives and 12
    teams of a line leader and 9 members, dense ties inside teams and few across) is drawn with
    one run of the chosen `start`: filled people committed, hollow not, ringed the starters.  The
    bars compare the teams won over in `runs` runs (1 to 2000) of the three starts.  ``.result``
    is a `senge_course.models.cascades.PilotResult`; ``.controls`` maps names to the controls
    (`PILOTS`); `organisation` returns the organisation shown.

    >>> app = PilotExplorer()
    >>> {k: round(v, 2) for k, v in app.result.teams_won.items()}
    {'lone champion': 0.03, 'pilot group': 1.0, 'scattered': 0.4}
    """

    TABLE = PILOTS

    def __init__(self, phi=0.3, size=4, start="pilot group", outside_ties=1.0, runs=200, seed=1):
        problems = []
        self.runs = self._setting(PILOTS, "runs", runs, problems)
        self.seed = self._setting(PILOTS, "seed", seed, problems)
        self.controls = c = controls_for(PILOTS, ["phi", "size", "outside_ties"], **_LOOK)
        c["start"] = _start_buttons(
            "Show a run of:", "a line leader and members of their team", "random across teams"
        )
        c["another"] = widgets.Button(
            description="Show another run", tooltip="Draw the next run of the chosen start"
        )
        self._run, self._xy = 0, None
        rows = [
            widgets.HBox([c["phi"], c["size"]]),
            widgets.HBox([c["outside_ties"], c["another"]]),
        ]
        values = {"phi": phi, "size": size, "start": start, "outside_ties": outside_ties}
        self._start("pilot-explorer", [*rows, c["start"]], values, height=4.0, problems=problems)

    def organisation(self, outside_ties=None):
        """Return ``(G, prepared network)`` for `outside_ties` (default: current), built once."""
        ties = self.controls["outside_ties"].value if outside_ties is None else outside_ties
        return pilot_organisation(ties, self.seed)

    def _on_change(self, change=None):
        self._run = 0
        self._update()

    def _on_click(self, button):
        self._run = (self._run + 1) % self.runs
        self._update()

    def _compute(self):
        return pilot_runs(**self._values(), run=self._run, runs=self.runs, seed=self.seed)

    def _build_figure(self, fig):
        ax, bars = self._panels(fig, (1.35, 1), left=0.01, bottom=0.2, wspace=0.12)
        self._bare(ax, "One run in the organisation")
        self._edges = LineCollection([], colors=OKABE_ITO["grey"], linewidths=0.4, alpha=0.6)
        ax.add_collection(self._edges)
        roles = ("executive", "line_leader", "member")
        self._people = {
            r: self._dots(ax, "white", 34 if r == "member" else 60, ROLE_STYLE[r]["marker"], 0.7)
            for r in roles
        }
        self._starters = self._ring(ax, 120, linewidth=2.0, zorder=4)
        handles = [
            self._dots(ax, STATE_STYLE["committed"]["color"], 40),
            self._dots(ax, "white", 40),
            self._ring(ax, 110, linewidth=2),
            self._dots(ax, "white", 40, marker=ROLE_STYLE["line_leader"]["marker"]),
            self._dots(ax, "white", 40, marker=ROLE_STYLE["executive"]["marker"]),
        ]
        labels = ["committed", "not yet", "started committed", "line leader", "executive"]
        self._legend_below(ax, handles, labels)
        ylabel = f"teams with {TEAM_WON:.0%}+ committed (of {TEAMS})"
        style_axes(bars, title="Teams won over (mean of the runs)", ylabel=ylabel)
        self._bars = bars.bar(
            range(3),
            np.zeros(3),
            color=[OKABE_ITO["grey"], OKABE_ITO["green"], OKABE_ITO["orange"]],
            hatch=["", "//", ".."],
            edgecolor="black",
            linewidth=0.8,
            tick_label=["lone\nchampion", "pilot\ngroup", "scattered"],
        ).patches
        look = {"ha": "center", "va": "bottom", "fontsize": 9}
        self._bar_text = [bars.text(i, 0, "", **look) for i in range(3)]
        bars.set(xlim=(-0.6, 2.6), ylim=(0, TEAMS * 1.05))
        self._ax_org, self._ties = ax, None
        people = (self._edges, *self._people.values(), self._starters)
        self.figure_view.animate(*people, *self._bars, *self._bar_text)

    def _draw(self, r):
        G, net = self.organisation(r.outside_ties)
        if self._xy is None:  # the people and their places are the same in every organisation
            pos = organisation_layout(G)
            self._pos, self._xy = pos, np.array([pos[u] for u in net.nodes])
            self._roles = np.array([G.nodes[u]["role"] for u in net.nodes])
            low, high = self._xy.min(axis=0) - 0.9, self._xy.max(axis=0) + 0.9
            self._ax_org.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]))
            for role, dots in self._people.items():
                dots.set_offsets(self._xy[self._roles == role])
            self.figure_view.invalidate()
        if self._ties != r.outside_ties:  # another organisation: other ties (drawn animated)
            self._edges.set_segments([(self._pos[u], self._pos[v]) for u, v in G.edges()])
            self._ties = r.outside_ties
        committed = STATE_STYLE["committed"]["color"]
        for role, dots in self._people.items():
            dots.set_facecolors(np.where(r.committed[self._roles == role], committed, "white"))
        self._starters.set_offsets(self._xy[[net.index[u] for u in r.starters]].reshape(-1, 2))
        for i, start in enumerate(STARTS):
            value = r.teams_won[start]
            self._bars[i].set_height(value)
            self._bars[i].set_linewidth(2.4 if start == r.start else 0.8)
            self._bar_text[i].set(position=(i, value + 0.15), text=f"{value:.2f}")
