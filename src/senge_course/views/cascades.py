"""Cascade explorers (lesson 03): when does a new practice go global, and who should start it?

Two apps over the threshold-contagion engine (`senge_course.models.contagion`):

`CascadeExplorer`
    Watts's (2002) cascade window on random (Erdos-Renyi) networks: choose everyone's threshold
    and the mean number of contacts, start the practice with a lone champion, a pilot group or
    scattered champions, and compare a batch of simulated runs with the analytic chance that a
    lone champion sets off a global cascade.
`PilotExplorer`
    An organisation of teams (`senge_course.models.org.organisation`): a lone champion, a pilot group
    (a line leader and members of one team) or the same number of champions scattered across
    teams.  The network shows one run; the bars compare the three starts over many runs.

The models are in `senge_course.models.cascades`; `organisation_layout` places an organisation's
people for drawing.

Examples
--------
>>> app = CascadeExplorer()
>>> app.result.position
'inside'
"""

import math
from collections import OrderedDict
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .._validate import check_integer, check_number, check_one_of
from ..models.cascades import (
    GLOBAL_SHARE,
    STARTS,
    TEAM_WON,
    cascade_probability,
    cascade_probability_curve,
    cascade_window,
    final_shares,
    pilot_group_starters,
    random_network,
    vulnerable_degree,
)
from ..models.contagion import RandomStarters, prepare, simulate, simulate_many
from ..style import OKABE_ITO, ROLE_STYLE, STATE_STYLE
from ._base import App, guarded, quiet, slider_look
from ._blit import BlitFigureView
from .figures import style_axes

__all__ = [
    "CascadeExplorer",
    "CascadeResult",
    "PilotExplorer",
    "PilotResult",
    "organisation_layout",
]

#: Mean degrees at which the analytic curve is drawn.
_Z_GRID = np.round(np.arange(0.05, 12.0001, 0.05), 2)


# ----------------------------------------------------------------------------- models (pure)


def organisation_layout(G):
    """Return positions for drawing an organisation: teams on a ring, executives in the middle.

    Each team sits on its own small circle around its line leader; the teams sit on a ring; the
    executive group is in the centre.  Fast (no force-directed layout) and the same every time.

    Parameters
    ----------
    G : networkx.Graph
        An organisation from `senge_course.models.org.organisation`.

    Returns
    -------
    dict
        Node -> (x, y).

    Examples
    --------
    >>> from senge_course.models.org import organisation
    >>> pos = organisation_layout(organisation(teams=4, team_size=5, seed=1))
    >>> len(pos), pos[0] != pos[1]
    (23, True)
    """
    by_team, executives = {}, []
    for v, data in G.nodes(data=True):
        team = data.get("team", -1)
        if data.get("role") == "executive" or team is None or team < 0:
            executives.append(v)
        else:
            by_team.setdefault(team, []).append(v)
    pos = {}
    for i, v in enumerate(executives):
        angle = 2 * math.pi * i / max(1, len(executives)) + math.pi / 2
        pos[v] = (0.45 * math.cos(angle), 0.45 * math.sin(angle))
    teams = sorted(by_team)
    ring = max(3.0, 0.6 * len(teams))
    for k, team in enumerate(teams):
        angle = 2 * math.pi * k / len(teams) + math.pi / 2
        cx, cy = ring * math.cos(angle), ring * math.sin(angle)
        people = by_team[team]
        leaders = [v for v in people if G.nodes[v].get("role") == "line_leader"]
        others = [v for v in people if v not in leaders]
        for v in leaders:
            pos[v] = (cx, cy)
        for j, v in enumerate(others):
            a = 2 * math.pi * j / max(1, len(others))
            pos[v] = (cx + 1.3 * math.cos(a), cy + 1.3 * math.sin(a))
    return pos


# ----------------------------------------------------------------------------- CascadeExplorer


@dataclass(frozen=True)
class CascadeResult:
    """What `CascadeExplorer` shows.

    Attributes
    ----------
    phi : float
        Everyone's threshold (share of contacts who must be committed).
    z : float
        Mean number of contacts.
    n, runs, seed : int
        Network size, number of runs, and the seed of both the network and the batch.
    start : str
        ``"lone champion"``, ``"pilot group"`` or ``"scattered"``.
    size : int
        People who start committed (1 for a lone champion).
    window : tuple or None
        ``(z_low, z_high)``: where a lone champion can set off a global cascade (Watts 2002).
    theory : float
        Analytic chance that a lone champion sets off a global cascade at this `z`.
    frequency : float
        Share of the runs that went global (at least `GLOBAL_SHARE` of people committed).
    mean_final : float
        Mean committed share at the end, over all runs.
    final_fractions : numpy.ndarray
        Committed share at the end of each run.
    """

    phi: float
    z: float
    n: int
    runs: int
    seed: int
    start: str
    size: int
    window: tuple | None
    theory: float
    frequency: float
    mean_final: float
    final_fractions: np.ndarray = field(repr=False, compare=False)

    @property
    def global_runs(self):
        """Number of runs that went global."""
        return int(np.count_nonzero(self.final_fractions >= GLOBAL_SHARE))

    @property
    def global_size(self):
        """Mean committed share in the runs that went global (nan if none did)."""
        big = self.final_fractions[self.final_fractions >= GLOBAL_SHARE]
        return float(big.mean()) if big.size else float("nan")

    @property
    def position(self):
        """Where `z` is relative to the window: ``"inside"``, ``"below"``, ``"above"`` or ``"closed"``."""
        if self.window is None:
            return "closed"
        low, high = self.window
        return "below" if self.z < low else "above" if self.z > high else "inside"


class CascadeExplorer(App):
    """Explore Watts's cascade window: threshold, mean degree and how the practice starts.

    Everyone needs a share `phi` of their contacts committed before they commit.  On a random
    network with mean degree `z`, a lone champion can set off a *global* cascade only inside a
    window of `z`: too few contacts and the network falls apart; too many and one committed
    contact is too small a share of anyone's network (local stability).  A pilot group (a
    connected group) or scattered champions can tip networks a lone champion cannot.

    The left panel shows the analytic chance that a lone champion goes global (Watts 2002)
    against `z`, the window shaded, the current `z` marked, and the simulated share of runs
    that went global for every `z` visited with the current settings.  The right panel shows how
    far each run spread.  ``.result`` is a `CascadeResult`; ``.controls`` maps names to the
    controls; ``.networks_built`` counts networks built (each (n, z, seed) is built once).

    Parameters
    ----------
    phi : float, default 0.18
        Threshold (0.05 to 0.4).
    z : float, default 4
        Mean degree (0.5 to 12).
    start : str, default "lone champion"
        One of `STARTS`.
    size : int, default 10
        Group size for a pilot group or scattered champions (2 to 50).
    n : int, default 2000
        People (2000, 5000 or 10000).
    runs : int, default 100
        Runs per batch (50, 100 or 200).
    seed : int, default 1
        Seed of the networks and batches: the same seed gives the same results.

    Examples
    --------
    >>> app = CascadeExplorer()
    >>> app.result.position, app.result.global_runs
    ('inside', 83)
    >>> app.controls["z"].value = 8
    >>> app.result.position, app.result.global_runs
    ('above', 0)
    """

    N_OPTIONS = (2000, 5000, 10000)
    RUN_OPTIONS = (50, 100, 200)

    def __init__(self, phi=0.18, z=4.0, start="lone champion", size=10, n=2000, runs=100, seed=1):
        self._phi = widgets.FloatSlider(
            value=0.18, min=0.05, max=0.4, step=0.01, description="Threshold φ:", **slider_look()
        )
        self._z = widgets.FloatSlider(
            value=4.0,
            min=0.5,
            max=12.0,
            step=0.1,
            description="Mean degree z:",
            readout_format=".1f",
            **slider_look(),
        )
        self._start = widgets.ToggleButtons(
            options=list(STARTS),
            value="lone champion",
            description="Start with:",
            tooltips=[
                "one random person",
                "a connected group: a person, their contacts, their contacts' contacts",
                "the same number of people, drawn at random across the network",
            ],
            style={"button_width": "auto", "description_width": "11em"},
        )
        self._size = widgets.IntSlider(
            value=10, min=2, max=50, description="Group size:", disabled=True, **slider_look()
        )
        self._n = widgets.Dropdown(
            options=list(self.N_OPTIONS),
            value=2000,
            description="People:",
            style={"description_width": "5em"},
            layout=widgets.Layout(width="13em"),
        )
        self._runs = widgets.Dropdown(
            options=list(self.RUN_OPTIONS),
            value=100,
            description="Runs:",
            style={"description_width": "5em"},
            layout=widgets.Layout(width="13em"),
        )
        self.controls = {
            "phi": self._phi,
            "z": self._z,
            "start": self._start,
            "size": self._size,
            "n": self._n,
            "runs": self._runs,
        }
        self.seed, bad_seed = (int(seed), None) if _is_int(seed) and seed >= 0 else (1, seed)
        self.networks_built = 0
        self._networks = OrderedDict()  # (n, z, seed) -> PreparedNetwork
        self._batches = OrderedDict()  # settings -> final fractions
        self._curves = {}  # vulnerable degree -> analytic curve over _Z_GRID
        self.figure_view = BlitFigureView(width=8.6, height=3.7)
        self._build_figure()
        super().__init__(
            [
                widgets.HBox([self._phi, self._z]),
                self._start,
                widgets.HBox([self._size, self._n, self._runs]),
                self.figure_view,
            ]
        )
        self.add_class("senge-cascade-explorer")
        self._busy = False
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._update()
        self.set(phi=phi, z=z, start=start, size=size, n=n, runs=runs)
        _complain(self, seed=bad_seed)

    def network(self, n=None, z=None):
        """Return the prepared network for (n, z) (default: the current one), built once."""
        n = self._n.value if n is None else n
        z = self._z.value if z is None else z
        key = (int(n), round(float(z), 2), self.seed)
        net = self._networks.get(key)
        if net is None:
            net = prepare(random_network(key[0], key[1], seed=self.seed))
            self.networks_built += 1
            self._networks[key] = net
            while len(self._networks) > 64:
                self._networks.popitem(last=False)
        else:
            self._networks.move_to_end(key)
        return net

    @guarded
    def set(self, **values):
        """Set several controls at once (``phi``, ``z``, ``start``, ``size``, ``n``, ``runs``).

        Runs one batch for the new settings; values out of range show a message and change
        nothing.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"set() takes phi, z, start, size, n and runs, got {', '.join(map(repr, unknown))}"
            )
        checked = {}
        for name, value in values.items():
            if value is None:
                continue
            control = self.controls[name]
            if name == "start":
                checked[name] = check_one_of("start", value, STARTS)
            elif name in ("n", "runs"):
                checked[name] = check_one_of(name, value, tuple(control.options))
            elif name == "size":
                checked[name] = check_integer(name, value, low=control.min, high=control.max)
            else:
                checked[name] = check_number(name, value, low=control.min, high=control.max)
        if not checked:
            return
        with quiet(self):
            for name, value in checked.items():
                self.controls[name].value = value
        self._update()

    # callbacks

    @guarded
    def _update(self, change=None):
        if self._busy:
            return
        phi, z = round(float(self._phi.value), 4), round(float(self._z.value), 2)
        start, n, runs = self._start.value, int(self._n.value), int(self._runs.value)
        self._size.disabled = start == "lone champion"
        size = 1 if start == "lone champion" else int(self._size.value)
        finals = self._batch(phi, z, start, size, n, runs)
        window = cascade_window(phi)
        self.result = CascadeResult(
            phi=phi,
            z=z,
            n=n,
            runs=runs,
            seed=self.seed,
            start=start,
            size=size,
            window=window,
            theory=cascade_probability(z, phi),
            frequency=float(np.mean(finals >= GLOBAL_SHARE)),
            mean_final=float(finals.mean()),
            final_fractions=finals,
        )
        self.show_message("")
        self._draw()

    def _batch(self, phi, z, start, size, n, runs):
        key = (phi, z, start, size, n, runs, self.seed)
        finals = self._batches.get(key)
        if finals is None:
            finals = final_shares(self.network(n, z), phi, start, size, runs, self.seed)
            self._batches[key] = finals
            while len(self._batches) > 512:
                self._batches.popitem(last=False)
        return finals

    def _curve(self, phi):
        """Analytic chance a lone champion goes global, over _Z_GRID (cached per K* = 1/phi)."""
        k = vulnerable_degree(phi)
        curve = self._curves.get(k)
        if curve is None:
            curve = cascade_probability_curve(_Z_GRID, phi)
            self._curves[k] = curve
        return curve

    # drawing

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)
        self._ax_window, self._ax_runs = fig.subplots(1, 2, width_ratios=(1.45, 1))
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        ax = self._ax_window
        style_axes(
            ax,
            title="Chance a start goes global",
            xlabel="mean degree z (contacts per person)",
            ylabel="share of runs",
        )
        ax.set_xlim(0, 12)
        ax.set_ylim(0, 1.05)
        self._window_patch = Rectangle(
            (0, 0),
            0,
            1.05,
            facecolor=OKABE_ITO["sky_blue"],
            alpha=0.25,
            hatch="..",
            edgecolor=OKABE_ITO["sky_blue"],
            label="cascade window",
        )
        ax.add_patch(self._window_patch)
        (self._theory_line,) = ax.plot(
            [], [], color=OKABE_ITO["blue"], linewidth=2, label="theory: lone champion"
        )
        self._visited = ax.scatter(
            [],
            [],
            s=28,
            marker="s",
            facecolor="white",
            edgecolor=OKABE_ITO["vermillion"],
            linewidth=1.2,
            label="simulated (z visited)",
        )
        (self._z_line,) = ax.plot(
            [], [], color="black", linestyle="--", linewidth=1, label="current z"
        )
        (self._current,) = ax.plot(
            [],
            [],
            linestyle="none",
            marker="s",
            markersize=9,
            color=OKABE_ITO["vermillion"],
            markeredgecolor="black",
            label="simulated (current z)",
        )
        ax.legend(loc="upper right", fontsize=8)
        ax = self._ax_runs
        style_axes(
            ax,
            title="How far each run spread",
            xlabel="committed at the end (share of people)",
            ylabel="share of runs",
        )
        edges = np.linspace(0, 1, 21)
        self._bars = ax.bar(
            edges[:-1],
            np.zeros(20),
            width=0.05,
            align="edge",
            color=OKABE_ITO["green"],
            edgecolor="black",
            linewidth=0.5,
        ).patches
        ax.axvline(GLOBAL_SHARE, color=OKABE_ITO["grey"], linestyle=":", linewidth=1.2)
        ax.text(GLOBAL_SHARE + 0.02, 1.0, "global from here", fontsize=8, color="#1a1a1a", va="top")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.05)
        self._note = self._ax_window.text(
            0.02,
            0.97,
            "",
            transform=self._ax_window.transAxes,
            fontsize=8.5,
            color="#1a1a1a",
            va="top",
            bbox={"facecolor": "white", "edgecolor": OKABE_ITO["grey"], "alpha": 0.9},
        )
        self.figure_view.animate(
            self._window_patch,
            self._theory_line,
            self._visited,
            self._z_line,
            self._current,
            self._note,
            *self._bars,
        )

    def _draw(self):
        r = self.result
        self._theory_line.set_data(_Z_GRID, self._curve(r.phi))
        if r.window is None:
            self._window_patch.set_visible(False)
        else:
            low, high = r.window
            self._window_patch.set_visible(True)
            self._window_patch.set_x(low)
            self._window_patch.set_width(min(high, 12.5) - low)
        self._z_line.set_data([r.z, r.z], [0, 1.05])
        self._current.set_data([r.z], [r.frequency])
        visited = [
            (key[1], float(np.mean(f >= GLOBAL_SHARE)))
            for key, f in self._batches.items()
            if key[0] == r.phi and key[2:] == (r.start, r.size, r.n, r.runs, r.seed)
        ]
        self._visited.set_offsets(np.array(visited) if visited else np.empty((0, 2)))
        counts, _ = np.histogram(np.clip(r.final_fractions, 0, 1), bins=20, range=(0, 1))
        for bar, count in zip(self._bars, counts, strict=True):
            bar.set_height(count / r.runs)
        if r.window is None:
            note = f"φ = {r.phi:.2f}: no window\n(closed above φ = 1/4)"
        else:
            note = f"φ = {r.phi:.2f}: window\nz = {r.window[0]:.2f} to {r.window[1]:.2f}"
        self._note.set_text(note)
        self.figure_view.render(self._summary())

    def _summary(self):
        r = self.result
        if r.window is None:
            where = (
                f"For threshold {r.phi:.2f} there is no cascade window: a lone champion can "
                "never set off a global cascade on a random network."
            )
        else:
            low, high = r.window
            where = (
                f"For threshold {r.phi:.2f} the cascade window runs from mean degree {low:.2f} "
                f"to {high:.2f}; z = {r.z:.1f} is {r.position} it."
            )
        who = {
            "lone champion": "A lone champion",
            "pilot group": f"A pilot group of {r.size}",
            "scattered": f"{r.size} scattered champions",
        }[r.start]
        theory = f" (theory for a lone champion: {r.theory:.0%})" if r.start == STARTS[0] else ""
        runs = f"{who} set off a global cascade in {r.global_runs} of {r.runs} runs{theory}"
        if r.global_runs:
            runs += f"; those cascades reached {r.global_size:.0%} of people."
        else:
            runs += "."
        return f"{where} {runs}"


# ----------------------------------------------------------------------------- PilotExplorer


@dataclass(frozen=True)
class PilotResult:
    """What `PilotExplorer` shows.

    Attributes
    ----------
    phi : float
        Everyone's threshold.
    size : int
        People in a pilot group, and in the scattered start.
    outside_ties : float
        Mean informal ties per person outside their own team.
    start : str
        The start drawn on the network.
    teams_won : dict
        Start -> mean number of teams won over (at least `TEAM_WON` of the team committed at
        the end), over the runs.
    mean_final : dict
        Start -> mean committed share of the whole organisation at the end, over the runs.
    committed : numpy.ndarray of bool
        Who is committed at the end of the run drawn (in node order).
    starters : tuple
        Who started committed in the run drawn.
    run : int
        Which run is drawn (0 first).
    runs, seed : int
        Runs per start; seed of the organisation and the batches.
    """

    phi: float
    size: int
    outside_ties: float
    start: str
    teams_won: dict
    mean_final: dict
    committed: np.ndarray = field(repr=False, compare=False)
    starters: tuple = field(repr=False)
    run: int = 0
    runs: int = 200
    seed: int = 1


class PilotExplorer(App):
    """Lone champion, pilot group or scattered champions, in an organisation of teams.

    The organisation (`senge_course.models.org.organisation`: 3 executives and 12 teams of 10, a line
    leader and 9 members each, dense informal ties inside teams and few across) is drawn with
    one run of the chosen start: filled people committed, hollow not, ringed the starters.  The
    bars compare the mean committed share over many runs for the three starts.

    ``.result`` is a `PilotResult`; ``.controls`` maps names to the controls;
    ``.networks_built`` counts the organisations built (one per number of outside ties).

    Parameters
    ----------
    phi : float, default 0.3
        Everyone's threshold (0.05 to 0.5).
    size : int, default 5
        People in the pilot group and in the scattered start (2 to 10).
    start : str, default "pilot group"
        The start drawn: one of `STARTS`.
    outside_ties : float, default 1
        Mean informal ties per person outside their team (0 to 3).
    runs : int, default 200
        Runs per start.
    seed : int, default 1
        Seed of the organisation and the batches.

    Examples
    --------
    >>> app = PilotExplorer()
    >>> {k: round(v, 2) for k, v in app.result.teams_won.items()}
    {'lone champion': 0.03, 'pilot group': 1.0, 'scattered': 0.4}
    """

    TEAMS, TEAM_SIZE, EXECUTIVES, P_IN = 12, 10, 3, 0.5

    def __init__(self, phi=0.3, size=4, start="pilot group", outside_ties=1.0, runs=200, seed=1):
        self._phi = widgets.FloatSlider(
            value=0.3, min=0.05, max=0.5, step=0.01, description="Threshold φ:", **slider_look()
        )
        self._size = widgets.IntSlider(
            value=4, min=2, max=self.TEAM_SIZE, description="Group size:", **slider_look()
        )
        self._outside = widgets.FloatSlider(
            value=1.0,
            min=0.0,
            max=3.0,
            step=0.5,
            description="Ties outside own team:",
            readout_format=".1f",
            **slider_look(),
        )
        self._start = widgets.ToggleButtons(
            options=list(STARTS),
            value="pilot group",
            description="Show a run of:",
            tooltips=[
                "one random person",
                "a line leader and members of their team",
                "the same number of people, drawn at random across the organisation",
            ],
            style={"button_width": "auto", "description_width": "11em"},
        )
        self._another = widgets.Button(
            description="Show another run", tooltip="Draw the next run of the chosen start"
        )
        self.controls = {
            "phi": self._phi,
            "size": self._size,
            "outside_ties": self._outside,
            "start": self._start,
            "another": self._another,
        }
        self.runs, bad_runs = (
            (int(runs), None) if _is_int(runs) and 1 <= runs <= 2000 else (200, runs)
        )
        self.seed, bad_seed = (int(seed), None) if _is_int(seed) and seed >= 0 else (1, seed)
        self.networks_built = 0
        self._networks = {}  # outside ties -> (G, net, layout arrays)
        self._batches = OrderedDict()
        self._run = 0
        self.figure_view = BlitFigureView(width=8.6, height=4.0)
        self._build_figure()
        super().__init__(
            [
                widgets.HBox([self._phi, self._size]),
                widgets.HBox([self._outside, self._another]),
                self._start,
                self.figure_view,
            ]
        )
        self.add_class("senge-pilot-explorer")
        self._busy = False
        for name in ("phi", "size", "outside_ties"):
            self.controls[name].observe(self._on_settings, names="value")
        self._start.observe(self._on_start, names="value")
        self._another.on_click(self._on_another)
        self._update()
        self.set(phi=phi, size=size, start=start, outside_ties=outside_ties)
        _complain(self, runs=bad_runs, seed=bad_seed)

    def organisation(self, outside_ties=None):
        """Return ``(G, prepared network)`` for `outside_ties` (default: current), built once."""
        key = float(self._outside.value if outside_ties is None else outside_ties)
        entry = self._networks.get(key)
        if entry is None:
            from ..models.org import organisation

            outsiders = (self.TEAMS - 1) * self.TEAM_SIZE
            G = organisation(
                teams=self.TEAMS,
                team_size=self.TEAM_SIZE,
                executives=self.EXECUTIVES,
                p_in=self.P_IN,
                p_out=min(1.0, key / outsiders),
                seed=self.seed,
            )
            entry = (G, prepare(G))
            self._networks[key] = entry
            self.networks_built += 1
        return entry

    @guarded
    def set(self, **values):
        """Set several controls at once (``phi``, ``size``, ``start``, ``outside_ties``).

        Values out of range show a message and change nothing.
        """
        unknown = sorted(set(values) - {"phi", "size", "start", "outside_ties"})
        if unknown:
            raise ValueError(
                f"set() takes phi, size, start and outside_ties, got "
                f"{', '.join(map(repr, unknown))}"
            )
        checked = {}
        for name, value in values.items():
            if value is None:
                continue
            control = self.controls[name]
            if name == "start":
                checked[name] = check_one_of("start", value, STARTS)
            elif name == "size":
                checked[name] = check_integer(name, value, low=control.min, high=control.max)
            else:
                checked[name] = check_number(name, value, low=control.min, high=control.max)
        if not checked:
            return
        with quiet(self):
            for name, value in checked.items():
                self.controls[name].value = value
        self._run = 0
        self._update()

    def _on_settings(self, change=None):
        self._run = 0
        self._update()

    def _on_start(self, change=None):
        self._run = 0
        self._update()

    def _on_another(self, button=None):
        self._run = (self._run + 1) % self.runs
        self._update()

    @guarded
    def _update(self, change=None):
        if self._busy:
            return
        phi, size = float(self._phi.value), int(self._size.value)
        outside, start = float(self._outside.value), self._start.value
        batches = {s: self._batch(phi, size, outside, s) for s in STARTS}
        G, net = self.organisation(outside)
        batch = batches[start]
        run = self._run
        # replay the run drawn, to know who started it
        replay = simulate(
            net, phi, self._seeds(start, size, outside), seed=int(batch.run_seeds[run])
        )
        starters = tuple(u for u, r in zip(net.nodes, replay.adoption_round, strict=True) if r == 0)
        self.result = PilotResult(
            phi=phi,
            size=size,
            outside_ties=outside,
            start=start,
            teams_won={s: float(self._teams_won(b, outside).mean()) for s, b in batches.items()},
            mean_final={s: float(b.final_fraction.mean()) for s, b in batches.items()},
            committed=np.array(batch.committed[run]),
            starters=starters,
            run=run,
            runs=self.runs,
            seed=self.seed,
        )
        self.show_message("")
        self._draw()

    def _teams_won(self, batch, outside):
        """Teams won over in each run of `batch`: at least TEAM_WON of the team committed."""
        G, net = self.organisation(outside)
        team = np.array([G.nodes[u]["team"] for u in net.nodes])
        won = np.zeros(batch.runs)
        for t in range(self.TEAMS):
            won += batch.committed[:, team == t].mean(axis=1) >= TEAM_WON
        return won

    def _seeds(self, start, size, outside):
        G, net = self.organisation(outside)
        if start == "lone champion":
            return RandomStarters(count=1)
        if start == "scattered":
            return RandomStarters(count=size)
        return pilot_group_starters(G, size)

    def _batch(self, phi, size, outside, start):
        size_key = 1 if start == "lone champion" else size
        key = (round(phi, 6), size_key, outside, start, self.runs, self.seed)
        batch = self._batches.get(key)
        if batch is None:
            _, net = self.organisation(outside)
            batch = simulate_many(
                net, phi, self._seeds(start, size, outside), runs=self.runs, seed=self.seed
            )
            self._batches[key] = batch
            while len(self._batches) > 256:
                self._batches.popitem(last=False)
        return batch

    # drawing

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)
        self._ax_org, self._ax_bars = fig.subplots(1, 2, width_ratios=(1.35, 1))
        fig.subplots_adjust(left=0.01, right=0.98, bottom=0.2, top=0.91, wspace=0.12)
        ax = self._ax_org
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title("One run in the organisation", fontsize=11, loc="left")
        self._edges = LineCollection([], colors=OKABE_ITO["grey"], linewidths=0.4, alpha=0.6)
        ax.add_collection(self._edges)
        self._people = {}
        for role in ("executive", "line_leader", "member"):
            look = ROLE_STYLE[role]
            self._people[role] = ax.scatter(
                [],
                [],
                s=60 if role != "member" else 34,
                marker=look["marker"],
                facecolor="white",
                edgecolor="black",
                linewidth=0.7,
                zorder=3,
            )
        self._starters = ax.scatter(
            [],
            [],
            s=120,
            marker="o",
            facecolor="none",
            edgecolor=OKABE_ITO["vermillion"],
            linewidth=2.0,
            zorder=4,
        )
        committed = STATE_STYLE["committed"]["color"]
        handles = [
            ax.scatter([], [], s=40, marker="o", facecolor=committed, edgecolor="black"),
            ax.scatter([], [], s=40, marker="o", facecolor="white", edgecolor="black"),
            ax.scatter(
                [],
                [],
                s=110,
                marker="o",
                facecolor="none",
                edgecolor=OKABE_ITO["vermillion"],
                linewidth=2,
            ),
            ax.scatter(
                [],
                [],
                s=40,
                marker=ROLE_STYLE["line_leader"]["marker"],
                facecolor="white",
                edgecolor="black",
            ),
            ax.scatter(
                [],
                [],
                s=40,
                marker=ROLE_STYLE["executive"]["marker"],
                facecolor="white",
                edgecolor="black",
            ),
        ]
        ax.legend(
            handles,
            ["committed", "not yet", "started committed", "line leader", "executive"],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=3,
            fontsize=8,
            frameon=False,
            handletextpad=0.2,
            columnspacing=0.8,
        )
        ax = self._ax_bars
        style_axes(
            ax,
            title="Teams won over (mean of the runs)",
            ylabel=f"teams with {TEAM_WON:.0%}+ committed (of {self.TEAMS})",
        )
        labels = ["lone\nchampion", "pilot\ngroup", "scattered"]
        hatches = ["", "//", ".."]
        colours = [OKABE_ITO["grey"], OKABE_ITO["green"], OKABE_ITO["orange"]]
        self._bar_patches = ax.bar(
            range(3),
            np.zeros(3),
            color=colours,
            hatch=hatches,
            edgecolor="black",
            linewidth=0.8,
            tick_label=labels,
        ).patches
        self._bar_text = [
            ax.text(i, 0, "", ha="center", va="bottom", fontsize=9, color="#1a1a1a")
            for i in range(3)
        ]
        ax.set_ylim(0, self.TEAMS * 1.05)
        ax.set_xlim(-0.6, 2.6)
        self._org_key = None
        self._xy = None
        self.figure_view.animate(
            self._edges,
            *self._people.values(),
            self._starters,
            *self._bar_patches,
            *self._bar_text,
        )

    def _draw(self):
        r = self.result
        G, net = self.organisation(r.outside_ties)
        if self._xy is None:  # the people and their places are the same in every organisation
            pos = organisation_layout(G)
            xy = np.array([pos[u] for u in net.nodes])
            self._pos, self._xy, self._index = pos, xy, net.index
            self._roles = np.array([G.nodes[u]["role"] for u in net.nodes])
            pad = 0.9
            self._ax_org.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + pad)
            self._ax_org.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
            for role, dots in self._people.items():
                dots.set_offsets(xy[self._roles == role])
            self.figure_view.invalidate()
        if self._org_key != r.outside_ties:  # another organisation: other ties (drawn animated)
            pos = self._pos
            self._edges.set_segments([(pos[u], pos[v]) for u, v in G.edges()])
            self._org_key = r.outside_ties
        committed_colour = STATE_STYLE["committed"]["color"]
        for role, dots in self._people.items():
            mask = r.committed[self._roles == role]
            dots.set_facecolors(np.where(mask, committed_colour, "white"))
        starters = [self._index[u] for u in r.starters]
        self._starters.set_offsets(self._xy[starters] if starters else np.empty((0, 2)))
        for i, start in enumerate(STARTS):
            value = r.teams_won[start]
            self._bar_patches[i].set_height(value)
            self._bar_patches[i].set_linewidth(2.4 if start == r.start else 0.8)
            self._bar_text[i].set_position((i, value + 0.15))
            self._bar_text[i].set_text(f"{value:.2f}")
        self.figure_view.render(self._summary())

    def _summary(self):
        r = self.result
        t, m = r.teams_won, r.mean_final
        n_people = r.committed.size
        shown = int(r.committed.sum())
        who = {
            "lone champion": "a lone champion",
            "pilot group": f"a pilot group of {r.size} (a line leader and {r.size - 1} members)",
            "scattered": f"{r.size} scattered champions",
        }[r.start]
        return (
            f"Threshold {r.phi:.2f}, {r.outside_ties:g} "
            f"{'tie' if r.outside_ties == 1 else 'ties'} per person outside their team, "
            f"{r.runs} runs each: teams won over on average (of {self.TEAMS}): lone champion "
            f"{t['lone champion']:.2f}, pilot group of {r.size} {t['pilot group']:.2f}, "
            f"{r.size} scattered champions {t['scattered']:.2f}; share of everyone committed "
            f"{m['lone champion']:.0%}, {m['pilot group']:.0%} and {m['scattered']:.0%}. "
            f"The drawing shows run {r.run + 1} of {who}: {shown} of {n_people} people committed."
        )


# ----------------------------------------------------------------------------- private helpers


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


_DEFAULTS = {"seed": ("a whole number >= 0", 1), "runs": ("a whole number from 1 to 2000", 200)}


def _complain(app, **bad):
    """Show a message for constructor arguments that were replaced by their defaults."""
    problems = [
        f"{name} must be {_DEFAULTS[name][0]}, got {name}={value!r}: using {name}={_DEFAULTS[name][1]}"
        for name, value in bad.items()
        if value is not None
    ]
    if problems:
        app.show_message("; ".join(problems), kind="error")
