"""Leader networks (lessons 04 and 05): build an organisation, find its networkers, bridge its teams.

Three apps over the organisation model (`senge_course.models.org`), the threshold engine
(`senge_course.models.contagion`) and the leadership levers (`senge_course.models.leadership`):

`LeaderNetworkBuilder`
    Generate an organisation, edit it without code (roles, ties, bridges between teams), see
    who is placed to broker between teams (Burt's constraint and effective size, betweenness,
    Cross & Prusak's roles, suggested internal networkers), pull the three kinds of leader's
    levers and watch the practice spread round by round, compare named scenarios over many
    runs, and save or load the network.
`BridgeExplorer`
    Two teams and a budget of three ties between them: does a practice that needs two
    committed contacts (a *complex* practice, Centola & Macy 2007) cross from the pilot team?
`LongTieExplorer`
    A ring of people whose ties are rewired into long ties with probability p: long ties speed
    a simple practice and block a complex one (Centola & Macy 2007).

The pure helpers come first (`hierarchy_layout`, `person_label`, `two_teams`, `bridge_ties`,
`bridge_outcome`, `long_tie_sweep`); they draw nothing, and the lessons' tests use them.

Examples
--------
Three ties placed as a wide bridge (two of them on B1, one on her neighbour B2) carry a practice
that needs two committed contacts into the whole of team B; spread out, they carry nothing.

>>> bridge_outcome(bridge_ties("wide bridge")).team_b_committed
10
>>> bridge_outcome(bridge_ties("spread out")).team_b_committed
0
"""

import html
import math
import os
from pathlib import Path
from types import MappingProxyType

import anywidget
import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._validate import check_integer, check_one_of
from ..models import brokerage, contagion, leadership, org
from ..models.bridges import (
    P_GRID,
    PLACEMENTS,
    PRACTICES,
    bridge_outcome,
    bridge_pairs,
    bridge_ties,
    check_p,
    long_tie_sweep,
    person_index,
    rewired_ring,
    two_teams,
)
from ..paths import atomic_write_text
from ..style import OKABE_ITO, ROLE_STYLE, STATE_STYLE, series_style
from ._base import App, FigureView, guarded, quiet
from ._blit import BlitFigureView
from .figures import style_axes

__all__ = [
    "DRAW_LIMIT",
    "BridgeExplorer",
    "LeaderNetworkBuilder",
    "LongTieExplorer",
    "hierarchy_layout",
    "person_label",
]

#: Above this many people the builder shows shares by round and by team instead of every person.
DRAW_LIMIT = 300
#: Above this many people the brokerage table waits for the "Measure" button (it takes seconds).
MEASURE_LIMIT = 300
#: Rows of the brokerage table.
TABLE_ROWS = 8
#: Internal networkers suggested under the brokerage table.
SUGGESTIONS = 3

_ROLE_WORDS = {
    "executive": "executive",
    "line_leader": "line leader",
    "networker": "networker",
    "member": "member",
}
_STATES = ("none", "compliant", "committed")
_MEASURE_KINDS = {"all": None, "informal": ("informal", "bridge")}
_EDGE_LOOK = {
    "formal": {"colors": "#4D4D4D", "linewidths": 0.8, "linestyles": "solid", "alpha": 0.8},
    "informal": {"colors": "#9E9E9E", "linewidths": 0.5, "linestyles": "solid", "alpha": 0.6},
    "bridge": {
        "colors": OKABE_ITO["orange"],
        "linewidths": 1.8,
        "linestyles": "dashed",
        "alpha": 1,
    },
}
_BUILD, _MEASURE, _RUN, _COMPARE, _FILES = range(5)
_TAB_TITLES = ("Build", "Measure", "Levers & run", "Compare", "Save & load")
_MY_LEVERS = "my levers (Levers & run tab)"
_COMPARE_NAMES = (
    *leadership.SCENARIOS,
    "line leaders + executives",
    "line leaders + networkers",
    "executives + networkers",
    _MY_LEVERS,
)
_COMPARE_DEFAULT = (
    "line leaders only",
    "line leaders + executives",
    "line leaders + networkers",
    "all three",
)


# ----------------------------------------------------------------------------- pure helpers


def hierarchy_layout(G):
    """Return positions for drawing an organisation as a chart: executives on top, teams below.

    Executives sit in a row at the top; each team's line leader sits below them, and the team's
    other people in a small grid under their leader.  Teams sit side by side, ten to a band;
    more teams start a new band below.  Computed directly (no force-directed layout), so the
    same organisation always gets the same picture, fast.

    Parameters
    ----------
    G : networkx.Graph
        An organisation (`senge_course.models.org.validate_organisation`).

    Returns
    -------
    numpy.ndarray, shape (n, 2)
        Row ``v`` is person ``v``'s (x, y); read-only.

    Examples
    --------
    The three executives of the default organisation are above everyone; line leader L0
    (person 3) is above the members of team 0.

    >>> from senge_course.models.org import organisation
    >>> xy = hierarchy_layout(organisation(seed=1))
    >>> xy.shape, bool(xy[:3, 1].min() > xy[3:, 1].max())
    ((51, 2), True)
    >>> bool(xy[3, 1] > xy[4:10, 1].max())
    True
    """
    org.validate_organisation(G)
    n = G.number_of_nodes()
    teams = int(G.graph["teams"])
    executives = [v for v in range(n) if G.nodes[v]["role"] == "executive"]
    by_team = {t: [] for t in range(teams)}
    for v in range(n):
        team = G.nodes[v]["team"]
        if team != org.NO_TEAM:
            by_team[team].append(v)
    leaders = {
        t: [v for v in vs if G.nodes[v]["role"] == "line_leader"] for t, vs in by_team.items()
    }
    others = {
        t: [v for v in vs if G.nodes[v]["role"] != "line_leader"] for t, vs in by_team.items()
    }
    biggest = max([len(vs) for vs in others.values()] + [1])
    cols = max(2, math.ceil(math.sqrt(biggest * 1.5)))
    rows = max(1, math.ceil(biggest / cols))
    per_band = max(1, min(teams, 10))
    team_width = cols + 1.6
    band_height = 1.9 + 0.8 * rows
    xy = np.zeros((n, 2))
    for t in range(teams):
        band, slot = divmod(t, per_band)
        left = slot * team_width
        centre = left + (cols - 1) / 2
        top = -band * band_height
        chiefs = leaders[t]
        for i, v in enumerate(chiefs):
            xy[v] = (centre + (i - (len(chiefs) - 1) / 2) * 0.9, top)
        for i, v in enumerate(others[t]):
            r, c = divmod(i, cols)
            # rows offset by half a place and columns staggered, so that ties between people
            # in the same row (and between teams) do not run along a row of people
            x = left + c + 0.5 * (r % 2)
            y = top - 1.1 - 0.8 * r - 0.25 * ((c + t) % 2)
            xy[v] = (x, y)
    width = max(per_band * team_width - 1.4, 1.0)
    for i, v in enumerate(executives):
        xy[v] = ((i + 1) * width / (len(executives) + 1) - 0.5, 1.6)
    xy.setflags(write=False)
    return xy


def person_label(G, v):
    """Return how the apps name person `v` of organisation `G`: label, role and team.

    Examples
    --------
    >>> from senge_course.models.org import organisation
    >>> G = organisation(seed=1)
    >>> person_label(G, 0), person_label(G, 3), person_label(G, 4)
    ('E1 (executive)', 'L0 (line leader, team 0)', 'T0-1 (member, team 0)')
    """
    data = G.nodes[v]
    role = _ROLE_WORDS.get(data.get("role"), str(data.get("role")))
    team = data.get("team", org.NO_TEAM)
    where = "" if team == org.NO_TEAM else f", team {team}"
    return f"{data.get('label', v)} ({role}{where})"


# ----------------------------------------------------------------------------- LeaderNetworkBuilder


class LeaderNetworkBuilder(App):
    """Build a leader network, find its networkers, pull the levers and watch the practice spread.

    Five tabs share one drawing of the organisation (roles by colour and shape, executives on
    top, each team under its line leader; bridge ties dashed):

    **Build**: generate an organisation (teams, team size, executives, seed; *Generate*), then
    change a person's role, add or remove a tie between two people, or add a bridge of several
    ties between two teams.  **Measure**: the people with the highest betweenness, with Burt's
    constraint and effective size and Cross & Prusak's roles, and the suggested internal
    networkers (ringed in the drawing).  **Levers & run**: the three kinds of leader's levers;
    every change reruns the model, and the drawing colours people by their state round by
    round (*play*, *step*, *reset*, or the round slider).  **Compare**: named scenarios over many
    runs, mean and 5-95% band.  **Save & load**: the network as JSON or GraphML.

    Above `DRAW_LIMIT` people the drawing is replaced by shares by round and by team.  The model
    records how many people are compliant in each round, not who: the drawing hatches that many
    of the mandated people who have not committed, in person order.

    ``.graph`` is the current organisation, ``.result`` the latest run (a
    `senge_course.models.leadership.LeadershipResult`), ``.comparison`` the latest comparison, ``.levers``
    the levers the controls show, ``.positions`` the cached layout.  Library errors (an unknown
    role, a person not in the network, a tie that does not exist, a bad file) show a message and
    leave the network as it was.

    Parameters
    ----------
    teams, team_size, executives, seed : int
        The organisation generated first (`senge_course.models.org.organisation`).
    levers : Levers or str, default "all three"
        The levers the controls start from (a `Levers` or a scenario name).
    run_seed : int, default 1
        Seed of the run (and of comparisons).
    graph : networkx.Graph, optional
        Start from this organisation instead of generating one.

    Examples
    --------
    >>> app = LeaderNetworkBuilder()
    >>> app.graph.number_of_nodes(), round(app.result.final_committed, 2)
    (51, 0.73)
    >>> app.set_role("T0-1", "networker")
    >>> app.graph.nodes[4]["role"]
    'networker'
    >>> app.set_role("T0-1", "boss")
    >>> app.graph.nodes[4]["role"], "role must be one of" in app.message.value
    ('networker', True)
    """

    ROUNDS = leadership.DEFAULT_ROUNDS
    RUN_OPTIONS = (20, 50, 100)

    def __init__(
        self,
        *,
        teams=6,
        team_size=8,
        executives=3,
        seed=1,
        levers="all three",
        run_seed=1,
        graph=None,
    ):
        self._busy = True
        self._graph = None
        self._positions = None
        self._version = 0  # bumped whenever ties or teams change (brokerage is cached per version)
        self._brokerage_cache = {}
        self._mode = "roles"
        self._bridges_added = 0
        self.comparison = None
        self.result = None
        self.layouts_computed = 0
        self._build_controls()
        self.network_view = BlitFigureView(width=9.4, height=4.9)
        self.aggregate_view = FigureView(width=9.4, height=3.8)
        self.compare_view = FigureView(width=8.6, height=4.0)
        self._build_network_figure()
        self._build_aggregate_figure()
        self._build_compare_figure()
        self._note = widgets.HTML()
        self._note.add_class("senge-note")
        self.tabs = widgets.Tab(
            children=[
                self._build_tab(),
                self._measure_tab(),
                self._run_tab(),
                self._compare_tab(),
                self._files_tab(),
            ],
            titles=_TAB_TITLES,
        )
        super().__init__(
            [self.tabs, self._note, self.network_view, self.aggregate_view, _PlayNames()]
        )
        self.add_class("senge-leader-builder")
        self._wire()
        self._busy = False
        start = levers
        try:
            start = leadership._check_levers(levers)
        except (TypeError, ValueError) as exc:
            self.show_message(str(exc), kind="error")
            start = leadership.SCENARIOS["all three"]
        with quiet(self):
            self._show_levers(start)
            self._run_seed.value = run_seed if _is_int(run_seed) and 0 <= run_seed <= 9999 else 1
        if graph is not None:
            self.set_graph(graph)
        if self._graph is None:
            self.generate(teams=teams, team_size=team_size, executives=executives, seed=seed)
        if self._graph is None:  # bad arguments: fall back to the defaults, keep the message
            message = self.message.value
            self.generate(teams=6, team_size=8, executives=3, seed=1)
            self.message.value = message

    # ------------------------------------------------------------------ public API

    @property
    def graph(self):
        """The current organisation (a networkx Graph; edits return a new one)."""
        return self._graph

    @property
    def positions(self):
        """The cached layout: row v is person v's (x, y) (`hierarchy_layout`)."""
        return self._positions

    @property
    def levers(self):
        """The `senge_course.models.leadership.Levers` the controls show."""
        c = self.controls
        return leadership.Levers(
            pilot_teams=int(c["pilot_teams"].value),
            pilot_share=float(c["pilot_share"].value),
            mentoring=float(c["mentoring"].value),
            mandate=float(c["mandate"].value),
            mandate_rounds=int(c["mandate_rounds"].value),
            networkers=int(c["networkers"].value),
            bridge_width=int(c["bridge_width"].value),
            teams_spanned=int(c["teams_spanned"].value),
        )

    @property
    def lever_values(self):
        """The levers as a plain dictionary (``Levers(**app.lever_values) == app.levers``)."""
        return {name: getattr(self.levers, name) for name in _LEVER_NAMES}

    @property
    def round(self):
        """The round the drawing shows (0 = the start)."""
        return int(self._round.value)

    @property
    def drawn(self):
        """True when every person is drawn (at most `DRAW_LIMIT` people)."""
        return self._graph is not None and self._graph.number_of_nodes() <= DRAW_LIMIT

    @property
    def figure_view(self):
        """The figure shown under the tabs: the network, or the shares above `DRAW_LIMIT`."""
        return self.network_view if self.drawn else self.aggregate_view

    @property
    def brokerage(self):
        """The brokerage rows of the table (`senge_course.models.brokerage.BrokerageRow`), highest betweenness first."""
        rows = self._rows(_MEASURE_KINDS[self._measure_on.value])
        if rows is None:
            return None
        return sorted(rows, key=lambda r: (-r.betweenness, r.person))

    @property
    def suggestions(self):
        """The suggested internal networkers (`senge_course.models.brokerage.suggest_networkers`), best first."""
        return self._suggestions()

    @guarded
    def generate(self, *, teams=None, team_size=None, executives=None, seed=None):
        """Generate a new organisation (arguments default to the Build tab's controls)."""
        c = self.controls
        values = {"teams": teams, "team_size": team_size, "executives": executives, "seed": seed}
        checked = {}
        for name, value in values.items():
            control = c[name]
            value = control.value if value is None else value
            checked[name] = check_integer(name, value, low=control.min, high=control.max)
        G = org.organisation(
            teams=checked["teams"],
            team_size=checked["team_size"],
            executives=checked["executives"],
            seed=checked["seed"],
        )
        with quiet(self):
            for name, value in checked.items():
                c[name].value = value
        self._bridges_added = 0
        self._set_graph(G, people_changed=True)
        self.show_message("")

    @guarded
    def set_graph(self, G):
        """Use organisation `G` (checked with `senge_course.models.org.validate_organisation`)."""
        org.validate_organisation(G)
        self._set_graph(G.copy(), people_changed=True)
        self.show_message("")

    @guarded
    def set_role(self, person, role, team=None):
        """Give `person` (a number or a label such as ``"T0-1"``) a new role (and team)."""
        v = self._person(person, "person")
        if isinstance(role, str) and role in ("line leader", "internal networker"):
            role = {"line leader": "line_leader", "internal networker": "networker"}[role]
        G = org.set_role(self._graph, v, role, team=team)
        moved = G.nodes[v]["team"] != self._graph.nodes[v]["team"]
        self._set_graph(G, ties_changed=moved)
        self.show_message(f"{person_label(G, v)}: role changed.", kind="info")

    @guarded
    def add_tie(self, u, v, kind="informal"):
        """Add a tie between two people (numbers or labels) of kind ``"informal"``, ``"formal"`` or ``"bridge"``."""
        a, b = self._person(u, "u"), self._person(v, "v")
        G = org.add_tie(self._graph, a, b, kind=kind)
        self._set_graph(G, ties_changed=True)
        self.show_message(f"Added a {kind} tie between {_name(G, a)} and {_name(G, b)}.")

    @guarded
    def remove_tie(self, u, v):
        """Remove the tie between two people (numbers or labels)."""
        a, b = self._person(u, "u"), self._person(v, "v")
        G = org.remove_tie(self._graph, a, b)
        self._set_graph(G, ties_changed=True)
        self.show_message(f"Removed the tie between {_name(G, a)} and {_name(G, b)}.")

    @guarded
    def add_bridge(self, team_a, team_b, width=3):
        """Add a bridge of `width` ties between two teams (`senge_course.models.org.add_bridge`)."""
        self._bridges_added += 1
        G = org.add_bridge(self._graph, team_a, team_b, width=width, seed=self._bridges_added)
        self._set_graph(G, ties_changed=True)
        self.show_message(
            f"Added a bridge of {width} tie{'s' if width != 1 else ''} between team {team_a} "
            f"and team {team_b} (dashed in the drawing)."
        )

    @guarded
    def set_levers(self, levers=None, **values):
        """Set the levers: a `Levers`, a scenario name, and/or single levers (``mentoring=0.5``).

        Values outside a control's range show a message and change nothing.
        """
        base = self.levers if levers is None else leadership._check_levers(levers)
        new = base.replace(**values) if values else base
        for name in _LEVER_NAMES:
            control = self.controls[name]
            value = getattr(new, name)
            if not control.min <= value <= control.max:
                raise ValueError(
                    f"{name} must be from {control.min:g} to {control.max:g} in this "
                    f"organisation, got {name}={value!r}"
                )
        with quiet(self):
            self._show_levers(new)
        self._rerun()

    @guarded
    def show_round(self, t):
        """Show round `t` (0 to `ROUNDS`) of the latest run."""
        self._round.value = check_integer("t", t, low=0, high=self._round.max)

    @guarded
    def compare(self, names=None, *, runs=None, seed=None):
        """Compare scenarios over many runs (default: the ticked ones); returns the `Comparison`.

        `names` are scenario names (`senge_course.models.leadership.SCENARIOS`, `COMBINATIONS`) or
        ``"my levers (Levers & run tab)"`` for the current levers.
        """
        if names is not None:
            if isinstance(names, str):
                names = [names]
            for name in names:
                check_one_of("scenario", name, _COMPARE_NAMES)
            with quiet(self):
                for name, box in self._scenario_boxes.items():
                    box.value = name in names
        chosen = [name for name, box in self._scenario_boxes.items() if box.value]
        if names is not None:  # in the order asked for
            chosen = list(dict.fromkeys(names))
        if not chosen:
            raise ValueError("tick at least one scenario to compare")
        if runs is not None:
            self._runs.value = check_one_of("runs", runs, self.RUN_OPTIONS)
        if seed is not None:
            self._run_seed.value = check_integer("seed", seed, low=0, high=9999)
        scenarios = {
            name: self.levers if name == _MY_LEVERS else leadership.scenario(name)
            for name in chosen
        }
        runs = int(self._runs.value)
        progress = self._progress
        progress.max = len(scenarios) * runs
        progress.value = 0
        progress.layout.visibility = "visible"
        out = {}
        try:
            for name, levers in scenarios.items():
                part = leadership.compare(
                    self._graph, {name: levers}, runs=runs, seed=int(self._run_seed.value)
                )
                out[name] = part[name]
                progress.value += runs
        finally:
            progress.layout.visibility = "hidden"
        self.comparison = leadership.Comparison(
            scenarios=MappingProxyType(out), runs=runs, rounds=leadership.DEFAULT_ROUNDS
        )
        self._draw_compare()
        self.show_message("")
        return self.comparison

    @guarded
    def save(self, path=None):
        """Save the network to `path` (default: the filename box): ``.json`` or ``.graphml``."""
        path = self._path(path)
        try:
            if path.suffix.lower() == ".json":
                atomic_write_text(path, org.to_json(self._graph))
            else:
                org.write_graphml(self._graph, path)
        except OSError as exc:
            raise ValueError(f"could not save to {path}: {exc.strerror or exc}") from None
        self.show_message(
            f"Saved {self._graph.number_of_nodes()} people and "
            f"{self._graph.number_of_edges()} ties to {path}."
        )

    @guarded
    def load(self, path=None):
        """Load a network from `path` (default: the filename box); a bad file changes nothing."""
        path = self._path(path)
        try:
            if not path.is_file():
                raise ValueError(f"there is no file {path}")
            size = path.stat().st_size
            if size > org.MAX_FILE_CHARS:
                raise ValueError(
                    f"{path} is too large ({size} bytes): an organisation file may have at most "
                    f"{org.MAX_FILE_CHARS} bytes"
                )
            if path.suffix.lower() == ".json":
                with open(path, "rb") as handle:
                    G = org.from_json(handle.read(org.MAX_FILE_CHARS + 1))
            else:
                G = org.read_graphml(path)
        except OSError as exc:
            raise ValueError(f"could not read {path}: {exc.strerror or exc}") from None
        self._bridges_added = 0
        self._set_graph(G, people_changed=True)
        self.show_message(
            f"Loaded {G.number_of_nodes()} people and {G.number_of_edges()} ties from {path}."
        )

    @guarded
    def measure(self):
        """Compute the brokerage table now (automatic up to `MEASURE_LIMIT` people)."""
        self._update_table(force=True)

    # ------------------------------------------------------------------ controls

    def _build_controls(self):
        wide = {"description_width": "12em"}
        slider = {"continuous_update": False, "style": wide, "layout": widgets.Layout(width="27em")}
        c = {}
        c["teams"] = widgets.IntSlider(value=6, min=2, max=50, description="Teams:", **slider)
        c["team_size"] = widgets.IntSlider(
            value=8, min=3, max=30, description="People per team:", **slider
        )
        c["executives"] = widgets.IntSlider(
            value=3, min=1, max=6, description="Executives:", **slider
        )
        c["seed"] = widgets.BoundedIntText(
            value=1,
            min=0,
            max=9999,
            description="Seed:",
            style={"description_width": "4em"},
            layout=widgets.Layout(width="11em"),
        )
        pick = {"style": {"description_width": "5em"}, "layout": widgets.Layout(width="21em")}
        c["person"] = widgets.Dropdown(options=[], description="Person:", **pick)
        c["role"] = widgets.Dropdown(
            options=[(ROLE_STYLE[r]["label"], r) for r in org.ROLES],
            value="member",
            description="New role:",
            style={"description_width": "5em"},
            layout=widgets.Layout(width="17em"),
        )
        c["team"] = widgets.Dropdown(
            options=[("same team", -2)],
            value=-2,
            description="Team:",
            style={"description_width": "3.5em"},
            layout=widgets.Layout(width="12em"),
        )
        c["tie_from"] = widgets.Dropdown(options=[], description="Tie from:", **pick)
        c["tie_to"] = widgets.Dropdown(options=[], description="to:", **pick)
        c["tie_kind"] = widgets.Dropdown(
            options=[("informal", "informal"), ("formal (chart)", "formal"), ("bridge", "bridge")],
            value="informal",
            description="Kind:",
            style={"description_width": "3.5em"},
            layout=widgets.Layout(width="13em"),
        )
        team_pick = {"style": {"description_width": "7em"}, "layout": widgets.Layout(width="13em")}
        c["bridge_team_a"] = widgets.Dropdown(options=[0], description="Bridge team:", **team_pick)
        c["bridge_team_b"] = widgets.Dropdown(options=[0], description="and team:", **team_pick)
        c["bridge_ties"] = widgets.IntSlider(
            value=3,
            min=1,
            max=6,
            description="Ties in the bridge:",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="24em"),
        )
        c["measure_on"] = widgets.Dropdown(
            options=[
                ("all ties (the chart and the informal network)", "all"),
                ("informal and bridge ties (who works with whom)", "informal"),
            ],
            value="all",
            description="Measure on:",
            style={"description_width": "7em"},
            layout=widgets.Layout(width="34em"),
        )
        c["preset"] = widgets.Dropdown(
            options=[
                "(my own levers)",
                *dict.fromkeys([*leadership.SCENARIOS, *leadership.COMBINATIONS]),
            ],
            value="(my own levers)",
            description="Start from:",
            style={"description_width": "12em"},
            layout=widgets.Layout(width="34em"),
        )
        lever = {
            "continuous_update": False,
            "style": {"description_width": "8.6em"},
            "layout": widgets.Layout(width="21.5em"),
        }
        c["pilot_teams"] = widgets.IntSlider(
            value=0,
            min=0,
            max=6,
            description="Pilot teams:",
            **lever,
            tooltip="Line leaders: how many teams run a pilot group",
        )
        c["pilot_share"] = widgets.FloatSlider(
            value=0.3,
            min=0,
            max=1,
            step=0.05,
            description="Share of team:",
            **lever,
            tooltip="Line leaders: share of a pilot team (besides its leader) who start committed",
        )
        c["mentoring"] = widgets.FloatSlider(
            value=0,
            min=0,
            max=1,
            step=0.1,
            description="Mentoring:",
            **lever,
            tooltip="Executives: mentoring and infrastructure lower everyone's threshold",
        )
        c["mandate"] = widgets.FloatSlider(
            value=0,
            min=0,
            max=1,
            step=0.1,
            description="Mandate:",
            **lever,
            tooltip="Executives: the share of everyone ordered to adopt (compliant)",
        )
        c["mandate_rounds"] = widgets.IntSlider(
            value=10,
            min=0,
            max=self.ROUNDS,
            description="Mandate rounds:",
            **lever,
            tooltip="Executives: how many rounds the mandate lasts",
        )
        c["networkers"] = widgets.IntSlider(
            value=0,
            min=0,
            max=20,
            description="Networkers:",
            **lever,
            tooltip="Internal networkers: how many members bridge teams",
        )
        c["bridge_width"] = widgets.IntSlider(
            value=3,
            min=1,
            max=6,
            description="Ties per bridge:",
            **lever,
            tooltip="Internal networkers: ties each lays into each team they reach (1: one long tie)",
        )
        c["teams_spanned"] = widgets.IntSlider(
            value=2,
            min=1,
            max=5,
            description="Teams reached:",
            **lever,
            tooltip="Internal networkers: how many other teams each reaches",
        )
        c["round"] = widgets.IntSlider(
            value=self.ROUNDS,
            min=0,
            max=self.ROUNDS,
            description="Round:",
            style=wide,
            layout=widgets.Layout(width="27em"),
        )
        c["play"] = widgets.Play(
            value=self.ROUNDS,
            min=0,
            max=self.ROUNDS,
            interval=450,
            description="Play the rounds",
            show_repeat=False,
        )
        self._run_seed = widgets.BoundedIntText(
            value=1,
            min=0,
            max=9999,
            description="Run seed:",
            style={"description_width": "6em"},
            layout=widgets.Layout(width="13em"),
        )
        c["run_seed"] = self._run_seed
        self._runs = widgets.Dropdown(
            options=list(self.RUN_OPTIONS),
            value=50,
            description="Runs:",
            style={"description_width": "4em"},
            layout=widgets.Layout(width="10em"),
        )
        c["runs"] = self._runs
        c["filename"] = widgets.Text(
            value="my_organisation.json",
            description="File name:",
            style={"description_width": "6em"},
            layout=widgets.Layout(width="30em"),
        )
        self.controls = c
        self._round = c["round"]
        self._measure_on = c["measure_on"]
        widgets.jslink((c["play"], "value"), (c["round"], "value"))
        self.buttons = {
            "generate": widgets.Button(
                description="Generate",
                tooltip="Build a new organisation from the controls above",
                icon="refresh",
            ),
            "set_role": widgets.Button(
                description="Set role", tooltip="Give the person the new role"
            ),
            "add_tie": widgets.Button(description="Add tie", tooltip="Tie the two people together"),
            "remove_tie": widgets.Button(
                description="Remove tie", tooltip="Remove the tie between the two people"
            ),
            "add_bridge": widgets.Button(
                description="Add bridge",
                tooltip="Lay a bridge of several ties between the two teams",
            ),
            "measure": widgets.Button(
                description="Measure brokerage",
                tooltip="Compute the brokerage measures (takes a few seconds in large organisations)",
            ),
            "step": widgets.Button(
                description="Step", tooltip="Show the next round", icon="step-forward"
            ),
            "reset": widgets.Button(
                description="Reset", tooltip="Back to round 0: who started committed", icon="undo"
            ),
            "compare": widgets.Button(
                description="Compare",
                tooltip="Run every ticked scenario many times",
                button_style="primary",
            ),
            "save": widgets.Button(
                description="Save", tooltip="Save the network to the file", icon="save"
            ),
            "load": widgets.Button(
                description="Load",
                tooltip="Load a network from the file (a bad file changes nothing)",
                icon="folder-open",
            ),
        }
        for button in self.buttons.values():
            button.layout = widgets.Layout(width="auto", min_width="7em")
        self._scenario_boxes = {
            name: widgets.Checkbox(
                value=name in _COMPARE_DEFAULT,
                description=name,
                indent=False,
                layout=widgets.Layout(width="25em"),
            )
            for name in _COMPARE_NAMES
        }
        self._progress = widgets.IntProgress(
            value=0,
            min=0,
            max=1,
            description="Running:",
            style={"description_width": "5em"},
            layout=widgets.Layout(width="24em", visibility="hidden"),
        )
        self._table = widgets.HTML()
        self._table.add_class("senge-brokerage")
        self._pending = widgets.HTML()

    def _build_tab(self):
        c, b = self.controls, self.buttons
        return widgets.VBox(
            [
                _heading("Generate an organisation"),
                widgets.HBox([c["teams"], c["team_size"]]),
                widgets.HBox([c["executives"], c["seed"], b["generate"]]),
                self._pending,
                _heading("Edit it: roles, ties and bridges"),
                widgets.HBox([c["person"], c["role"], c["team"], b["set_role"]]),
                widgets.HBox([c["tie_from"], c["tie_to"], c["tie_kind"]]),
                widgets.HBox([b["add_tie"], b["remove_tie"]]),
                widgets.HBox(
                    [c["bridge_team_a"], c["bridge_team_b"], c["bridge_ties"], b["add_bridge"]]
                ),
            ]
        )

    def _measure_tab(self):
        return widgets.VBox(
            [
                _heading("Who is placed to broker between teams?"),
                widgets.HBox([self._measure_on, self.buttons["measure"]]),
                self._table,
            ]
        )

    def _run_tab(self):
        c, b = self.controls, self.buttons
        return widgets.VBox(
            [
                _heading("The three kinds of leader's levers"),
                c["preset"],
                widgets.HBox(
                    [
                        widgets.VBox(
                            [_subheading("Line leaders"), c["pilot_teams"], c["pilot_share"]]
                        ),
                        widgets.VBox(
                            [
                                _subheading("Executives"),
                                c["mentoring"],
                                c["mandate"],
                                c["mandate_rounds"],
                            ]
                        ),
                        widgets.VBox(
                            [
                                _subheading("Internal networkers"),
                                c["networkers"],
                                c["bridge_width"],
                                c["teams_spanned"],
                            ]
                        ),
                    ]
                ),
                _heading("Watch it spread"),
                widgets.HBox([c["play"], b["step"], b["reset"], c["round"], self._run_seed]),
            ]
        )

    def _compare_tab(self):
        boxes = list(self._scenario_boxes.values())
        half = (len(boxes) + 1) // 2
        return widgets.VBox(
            [
                _heading("Compare scenarios over many runs"),
                widgets.HBox([widgets.VBox(boxes[:half]), widgets.VBox(boxes[half:])]),
                widgets.HBox([self._runs, self.buttons["compare"], self._progress]),
                self.compare_view,
            ]
        )

    def _files_tab(self):
        c, b = self.controls, self.buttons
        return widgets.VBox(
            [
                _heading("Save the network, or load one"),
                widgets.HBox([c["filename"], b["save"], b["load"]]),
                widgets.HTML(
                    '<p style="color:#1a1a1a;margin:2px 0">A name ending in <code>.json</code> '
                    "saves the course's own format; <code>.graphml</code> opens in network tools "
                    "such as Gephi or yEd. Files go to the notebook's folder unless the name "
                    "includes a folder.</p>"
                ),
            ]
        )

    def _wire(self):
        c, b = self.controls, self.buttons
        for name in ("teams", "team_size", "executives", "seed"):
            c[name].observe(self._on_pending, names="value")
        b["generate"].on_click(lambda _: self.generate())
        b["set_role"].on_click(self._on_set_role)
        b["add_tie"].on_click(
            lambda _: self.add_tie(c["tie_from"].value, c["tie_to"].value, c["tie_kind"].value)
        )
        b["remove_tie"].on_click(lambda _: self.remove_tie(c["tie_from"].value, c["tie_to"].value))
        b["add_bridge"].on_click(
            lambda _: self.add_bridge(
                c["bridge_team_a"].value, c["bridge_team_b"].value, c["bridge_ties"].value
            )
        )
        b["measure"].on_click(lambda _: self.measure())
        for name in ("person", "tie_from", "tie_to"):
            c[name].observe(self._on_pick, names="value")
        self._measure_on.observe(lambda _: self._safe(self._update_table), names="value")
        for name in (*_LEVER_NAMES, "run_seed"):
            c[name].observe(self._on_levers, names="value")
        c["preset"].observe(self._on_preset, names="value")
        self._round.observe(self._on_round, names="value")
        b["step"].on_click(self._on_step)
        b["reset"].on_click(lambda _: self.show_round(0))
        b["compare"].on_click(lambda _: self.compare())
        b["save"].on_click(lambda _: self.save())
        b["load"].on_click(lambda _: self.load())
        self.tabs.observe(self._on_tab, names="selected_index")

    def _show_levers(self, levers):
        """Set the lever controls to `levers` (clipped to the controls' ranges) and the preset."""
        c = self.controls
        for name in _LEVER_NAMES:
            control = c[name]
            value = getattr(levers, name)
            control.value = min(max(value, control.min), control.max)
        self._sync_preset()

    def _sync_preset(self):
        current = self.levers
        match = next(
            (
                name
                for name in self.controls["preset"].options[1:]
                if leadership.scenario(name) == current
            ),
            "(my own levers)",
        )
        self.controls["preset"].value = match

    # ------------------------------------------------------------------ callbacks

    def _safe(self, fn, *args):
        try:
            fn(*args)
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), kind="error")

    def _on_pending(self, change=None):
        if self._busy:
            return
        c = self.controls
        n = c["executives"].value + c["teams"].value * c["team_size"].value
        self._pending.value = (
            '<p style="color:#1a1a1a;margin:2px 0"><strong>Press Generate</strong> to build an '
            f"organisation of {n} people: {c['executives'].value} executives and "
            f"{c['teams'].value} teams of {c['team_size'].value}.</p>"
        )

    def _on_set_role(self, button=None):
        c = self.controls
        team = None if c["team"].value == -2 else c["team"].value
        self.set_role(c["person"].value, c["role"].value, team=team)

    def _on_pick(self, change=None):
        if self._busy:
            return
        self._draw()

    def _on_levers(self, change=None):
        if self._busy:
            return
        with quiet(self):
            self._sync_preset()
        self._rerun()

    def _on_preset(self, change=None):
        if self._busy or change["new"] == "(my own levers)":
            return
        with quiet(self):
            self._show_levers(leadership.scenario(change["new"]))
        self._rerun()

    def _on_round(self, change=None):
        if self._busy:
            return
        self._draw()

    def _on_step(self, button=None):
        self._round.value = min(self._round.value + 1, self._round.max)

    def _on_tab(self, change=None):
        index = self.tabs.selected_index
        self._mode = {_RUN: "states", _MEASURE: "measure"}.get(index, "roles")
        self._show_views()
        if index != _COMPARE:
            self._draw()

    # ------------------------------------------------------------------ model

    def _person(self, person, name):
        """Return the person number for a number or a label (``"L2"``, ``"T0-1"``, ``"E1"``)."""
        G = self._graph
        n = G.number_of_nodes()
        if isinstance(person, str):
            key = person.split(" (", 1)[0].strip().lower()
            for v in range(n):
                if str(G.nodes[v]["label"]).lower() == key:
                    return v
            raise ValueError(
                f"{name} must be a person in the network (a number from 0 to {n - 1} or a label "
                f"such as {G.nodes[0]['label']!r}), got {name}={person!r}"
            )
        if isinstance(person, bool) or not _is_int(person) or not 0 <= person < n:
            raise ValueError(
                f"{name} must be a person in the network (a number from 0 to {n - 1} or a label "
                f"such as {G.nodes[0]['label']!r}), got {name}={person!r}"
            )
        return int(person)

    def _path(self, path):
        text = self.controls["filename"].value if path is None else os.fspath(path)
        if not isinstance(text, str) or not text.strip():
            raise ValueError("type a file name ending in .json or .graphml")
        p = Path(text.strip()).expanduser()
        if p.suffix.lower() not in (".json", ".graphml"):
            raise ValueError(f"the file name must end in .json or .graphml, got {p.name!r}")
        if path is not None:
            with quiet(self):
                self.controls["filename"].value = str(p)
        return p

    def _set_graph(self, G, *, people_changed=False, ties_changed=False):
        """Make `G` current: layout (if people changed), controls, run, table and drawing."""
        org.validate_organisation(G)
        self._graph = G
        if people_changed or ties_changed:
            self._version += 1
            self._brokerage_cache.clear()
        if people_changed:
            self._positions = hierarchy_layout(G) if G.number_of_nodes() <= DRAW_LIMIT else None
            if self._positions is not None:
                self.layouts_computed += 1
            self._layout_changed = True
            self._pending.value = ""
        with quiet(self):
            self._refresh_choices(people_changed)
            self._fit_levers()
        self._show_views()
        self._rerun(draw=False)
        self._draw()  # the figure first: the brokerage table can take longer (new ties)
        self._update_table()

    def _refresh_choices(self, people_changed):
        G = self._graph
        c = self.controls
        n = G.number_of_nodes()
        options = [(person_label(G, v), v) for v in range(n)]
        for name in ("person", "tie_from", "tie_to"):
            control = c[name]
            keep = control.value
            control.options = options
            if not people_changed and keep is not None and keep < n:
                control.value = keep
        if people_changed:  # start on team members: the people roles and ties are about
            members = [v for v in range(n) if G.nodes[v]["role"] in ("member", "networker")]
            first = members[0] if members else 0
            last = members[-1] if len(members) > 1 else min(1, n - 1)
            c["person"].value = first
            c["tie_from"].value = first
            c["tie_to"].value = last if last != first else (first + 1) % n
        teams = int(G.graph["teams"])
        team_options = [("same team", -2), *[(str(t), t) for t in range(teams)]]
        if list(c["team"].options) != team_options:
            c["team"].options = team_options
            c["team"].value = -2
        if list(c["bridge_team_a"].options) != list(range(teams)):
            c["bridge_team_a"].options = list(range(max(teams, 1)))
            c["bridge_team_b"].options = list(range(max(teams, 1)))
            c["bridge_team_a"].value = 0
            c["bridge_team_b"].value = min(1, max(teams - 1, 0))

    def _fit_levers(self):
        """Set the lever sliders' ranges to what this organisation allows."""
        G, c = self._graph, self.controls
        teams = int(G.graph["teams"])
        members = sum(1 for _, r in G.nodes(data="role") if r == "member")
        c["pilot_teams"].max = max(teams, 1)
        c["networkers"].max = min(members, 20) if teams >= 2 else 0
        c["networkers"].disabled = teams < 2 or members == 0
        c["teams_spanned"].max = max(teams - 1, 1)
        c["teams_spanned"].min = 1
        for name in ("pilot_teams", "networkers", "teams_spanned"):
            control = c[name]
            control.value = min(max(control.value, control.min), control.max)

    def _rerun(self, draw=True):
        """Run the model on the current network and levers; show the last round."""
        try:
            self.result = leadership.simulate(
                self._graph, self.levers, seed=int(self._run_seed.value), rounds=self.ROUNDS
            )
        except (ValueError, TypeError) as exc:
            self.result = None
            self.show_message(f"The levers do not fit this network: {exc}", kind="error")
        with quiet(self):
            self._round.value = self._round.max
        if draw:
            self._draw()

    def _rows(self, kinds, force=False):
        key = (self._version, kinds)
        rows = self._brokerage_cache.get(key)
        if rows is None:
            if self._graph.number_of_nodes() > MEASURE_LIMIT and not force:
                return None
            rows = brokerage.brokerage(self._graph, kinds=kinds, seed=1)
            self._brokerage_cache[key] = rows
        return rows

    def _suggestions(self, force=False):
        G = self._graph
        executives = frozenset(v for v, r in G.nodes(data="role") if r == "executive")
        key = (self._version, "suggest", executives)
        found = self._brokerage_cache.get(key)
        if found is None:
            if G.number_of_nodes() > MEASURE_LIMIT and not force:
                return None
            found = brokerage.suggest_networkers(G, k=SUGGESTIONS, seed=1)
            self._brokerage_cache[key] = found
        return found

    # ------------------------------------------------------------------ table

    def _update_table(self, force=False):
        G = self._graph
        kinds = _MEASURE_KINDS[self._measure_on.value]
        rows = self._rows(kinds, force=force)
        suggestions = self._suggestions(force=force)
        big = G.number_of_nodes() > MEASURE_LIMIT
        self.buttons["measure"].layout.display = "" if big else "none"
        if rows is None or suggestions is None:
            self._table.value = (
                '<p style="color:#1a1a1a">This organisation has '
                f"{G.number_of_nodes()} people: measuring brokerage takes a few seconds above "
                f"{MEASURE_LIMIT}. Press <strong>Measure brokerage</strong>.</p>"
            )
            return
        top = sorted(rows, key=lambda r: (-r.betweenness, r.person))[:TABLE_ROWS]
        on = "all ties" if kinds is None else "informal and bridge ties only"
        head = (
            "<tr>"
            + "".join(
                f'<th scope="col" style="text-align:{a};padding:2px 8px">{t}</th>'
                for t, a in (
                    ("person", "left"),
                    ("role", "left"),
                    ("ties", "right"),
                    ("betweenness", "right"),
                    ("constraint", "right"),
                    ("effective size", "right"),
                    ("Cross &amp; Prusak role", "left"),
                )
            )
            + "</tr>"
        )
        body = []
        for r in top:
            cells = (
                (G.nodes[r.person]["label"], "left"),
                (_role_text(G, r.person), "left"),
                (str(r.degree), "right"),
                (f"{r.betweenness:.3f}", "right"),
                (_fmt(r.constraint, 2), "right"),
                (_fmt(r.effective_size, 1), "right"),
                (r.network_role or "-", "left"),
            )
            body.append(
                "<tr>"
                + "".join(
                    f'<td style="text-align:{a};padding:1px 8px">{html.escape(str(t))}</td>'
                    for t, a in cells
                )
                + "</tr>"
            )
        items = "".join(
            f"<li><strong>{html.escape(s.label)}</strong> ({html.escape(_role_text(G, s.person))}): "
            f"ties into {s.teams_reached} other team{'s' if s.teams_reached != 1 else ''}; "
            f"betweenness {s.betweenness:.3f}, constraint {_fmt(s.constraint, 2)}, "
            f"effective size {_fmt(s.effective_size, 1)}</li>"
            for s in suggestions
        )
        self._table.value = (
            '<div style="color:#1a1a1a;max-width:62em">'
            '<table style="border-collapse:collapse;font-size:90%">'
            f'<caption style="text-align:left;padding:2px 0">The {len(top)} people with the '
            f"highest betweenness, measured on {on}</caption>"
            f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
            '<p style="margin:6px 0 2px">Suggested internal networkers (ringed in the drawing): '
            "ranked on the informal network by the number of other teams their ties reach, then "
            "betweenness, then low constraint; executives are left out (rank is not reach).</p>"
            f"<ol style='margin:0'>{items}</ol></div>"
        )

    # ------------------------------------------------------------------ drawing

    def _show_views(self):
        compare = self.tabs.selected_index == _COMPARE
        drawn = self.drawn
        self.network_view.layout.display = "" if drawn and not compare else "none"
        self.aggregate_view.layout.display = "" if not drawn and not compare else "none"
        if drawn or compare:
            self._note.value = ""
        else:
            self._note.value = (
                '<p style="color:#1a1a1a;border-left:4px solid #0D47A1;padding:2px 8px">'
                f"<strong>Note:</strong> this organisation has {self._graph.number_of_nodes()} "
                f"people, more than the {DRAW_LIMIT} the drawing shows one by one. The plots show "
                "the shares instead: committed and compliant by round, and committed by team. "
                "Editing, measuring and comparing still work.</p>"
            )

    def _draw(self):
        if self._graph is None:
            return
        if self.drawn:
            self._draw_network()
        else:
            self._draw_aggregate()

    def _build_network_figure(self):
        fig = self.network_view.figure
        fig.set_layout_engine(None)
        self._ax = fig.add_axes((0.005, 0.13, 0.655, 0.82))
        self._ax_curve = fig.add_axes((0.735, 0.2, 0.25, 0.7))
        ax = self._ax
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        self._edge_art = {}
        for kind in org.KINDS:
            look = _EDGE_LOOK[kind]
            self._edge_art[kind] = LineCollection([], zorder=1, **look)
            ax.add_collection(self._edge_art[kind])
        self._dots = {}
        for role in org.ROLES:
            for state in _STATES:
                look = STATE_STYLE[state]
                self._dots[role, state] = ax.scatter(
                    [],
                    [],
                    marker=ROLE_STYLE[role]["marker"],
                    facecolor=look["color"],
                    edgecolor="black",
                    linewidth=0.6,
                    zorder=3,
                    hatch=look["hatch"] or None,
                )
        (self._tie_line,) = ax.plot([], [], color="black", linestyle=":", linewidth=1.6, zorder=2)
        self._rings = ax.scatter(
            [], [], s=260, marker="o", facecolor="none", edgecolor="black", linewidth=1.8, zorder=4
        )
        self._ring_text = [
            ax.text(0, 0, "", fontsize=8, color="#1a1a1a", zorder=5, fontweight="bold")
            for _ in range(SUGGESTIONS)
        ]
        self._caption = ax.text(
            0.0, 1.0, "", transform=ax.transAxes, fontsize=10, color="#1a1a1a", va="top"
        )
        self._team_text = []
        handles_roles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=ROLE_STYLE[r]["marker"],
                markersize=8,
                markerfacecolor=ROLE_STYLE[r]["color"],
                markeredgecolor="black",
                label=ROLE_STYLE[r]["label"],
            )
            for r in org.ROLES
        ]
        bridge = Line2D(
            [], [], color=OKABE_ITO["orange"], linestyle="--", linewidth=1.8, label="bridge tie"
        )
        self._legend_roles = ax.legend(
            handles=[*handles_roles, bridge],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=5,
            fontsize=8,
            frameon=False,
            handletextpad=0.3,
            columnspacing=0.9,
        )
        handles_states = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=ROLE_STYLE[r]["marker"],
                markersize=7,
                markerfacecolor="white",
                markeredgecolor="black",
                label=_ROLE_WORDS[r],
            )
            for r in org.ROLES
        ] + [
            Patch(
                facecolor=STATE_STYLE[s]["color"],
                edgecolor="black",
                hatch=STATE_STYLE[s]["hatch"] or None,
                label=STATE_STYLE[s]["label"],
            )
            for s in _STATES
        ]
        self._legend_states = ax.legend(
            handles=handles_states,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=7,
            fontsize=8,
            frameon=False,
            handletextpad=0.3,
            columnspacing=0.7,
        )
        ax.add_artist(self._legend_roles)
        ax.add_artist(self._legend_states)
        c = self._ax_curve
        style_axes(c, title="The latest run", xlabel="round", ylabel="share of people")
        c.set_xlim(0, self.ROUNDS)
        c.set_ylim(0, 1.02)
        (self._line_committed,) = c.plot(
            [],
            [],
            color=OKABE_ITO["green"],
            marker="o",
            markevery=5,
            markersize=4,
            label="committed",
        )
        (self._line_compliant,) = c.plot(
            [],
            [],
            color=OKABE_ITO["orange"],
            linestyle="--",
            marker="s",
            markevery=5,
            markersize=4,
            label="compliant",
        )
        self._round_line = c.axvline(0, color="black", linestyle=":", linewidth=1)
        c.legend(loc="upper left", fontsize=8, frameon=False)
        self.network_view.animate(
            *self._edge_art.values(),
            self._tie_line,
            *self._dots.values(),
            self._rings,
            *self._ring_text,
            self._caption,
            self._line_committed,
            self._line_compliant,
            self._round_line,
        )
        self._layout_changed = True
        self._drawn_mode = None
        self._edges_drawn = None

    def _draw_network(self):
        G, xy = self._graph, self._positions
        mode = self._mode
        r = self.result
        view = self.network_view
        if self._layout_changed:
            self._layout_changed = False
            pad_x = 1.0
            self._ax.set_xlim(xy[:, 0].min() - pad_x, xy[:, 0].max() + pad_x)
            self._ax.set_ylim(xy[:, 1].min() - 0.6, xy[:, 1].max() + 0.9)
            for text in self._team_text:
                text.remove()
            self._team_text = []
            teams = int(G.graph["teams"])
            if teams <= 12:
                for t in range(teams):
                    people = [v for v in range(len(xy)) if G.nodes[v]["team"] == t]
                    if people:
                        x = float(np.mean(xy[people, 0]))
                        y = float(xy[people, 1].min()) - 0.45
                        self._team_text.append(
                            self._ax.text(
                                x,
                                y,
                                f"team {t}",
                                ha="center",
                                va="top",
                                fontsize=8,
                                color="#1a1a1a",
                            )
                        )
            n = len(xy)
            self._size = float(np.clip(2600 / max(n, 1), 14, 70))
            view.invalidate()
        if mode != self._drawn_mode:
            states = mode == "states"
            self._legend_roles.set_visible(not states)
            self._legend_states.set_visible(states)
            self._drawn_mode = mode
            view.invalidate()
        # the network drawn: in the run view, the one simulated (with the networkers added)
        shown = r.graph if (mode == "states" and r is not None) else G
        self._set_edges(shown, xy)
        roles = np.array([shown.nodes[v]["role"] for v in range(len(xy))])
        t = self.round
        if mode == "states" and r is not None:
            committed = r.committed_at(t)
            compliant = self._compliant_at(t) & ~committed
        else:
            committed = compliant = np.zeros(len(xy), dtype=bool)
        for (role, state), dots in self._dots.items():
            is_role = roles == role
            if state == "committed":
                mask = is_role & committed
            elif state == "compliant":
                mask = is_role & compliant
            else:
                mask = is_role & ~committed & ~compliant
            dots.set_offsets(xy[mask] if mask.any() else np.empty((0, 2)))
            scale = 1.5 if role in ("executive", "line_leader") else 1.0
            dots.set_sizes([self._size * scale])
            if state == "none":
                colour = (
                    STATE_STYLE["none"]["color"] if mode == "states" else ROLE_STYLE[role]["color"]
                )
                dots.set_facecolor(colour)
        self._draw_marks(mode)
        self._draw_curve(t)
        view.render(self._network_summary())

    def _set_edges(self, shown, xy):
        # keep a reference to the graph drawn, so that "the same graph" cannot be a recycled id
        if self._edges_drawn is not None and self._edges_drawn == (shown, self._version):
            return
        self._edges_drawn = (shown, self._version)
        segments = {kind: [] for kind in org.KINDS}
        for u, v, kind in shown.edges(data="kind"):
            segments[kind].append((xy[u], xy[v]))
        for kind, art in self._edge_art.items():
            art.set_segments(segments[kind])

    def _compliant_at(self, t):
        """Who is compliant after round `t`: the mandated, while compliance lasts (approximate).

        The model records compliance as a share by round, not per person; the drawing marks the
        mandated people who are not committed, as many as the share says (those mandated first).
        """
        r = self.result
        n = len(r.nodes)
        mask = np.zeros(n, dtype=bool)
        count = int(round(float(r.compliant_by_round[t]) * n))
        if count:
            committed = r.committed_at(t)
            candidates = [v for v in r.mandated if not committed[v]]
            mask[candidates[:count]] = True
        return mask

    def _draw_marks(self, mode):
        xy, c = self._positions, self.controls
        for text in self._ring_text:
            text.set_text("")
        self._tie_line.set_data([], [])
        if mode == "roles" and self.tabs.selected_index == _BUILD:
            picked = [c["person"].value] if c["person"].value is not None else []
            self._rings.set_offsets(xy[picked] if picked else np.empty((0, 2)))
            a, b = c["tie_from"].value, c["tie_to"].value
            if a is not None and b is not None and a != b:
                self._tie_line.set_data([xy[a, 0], xy[b, 0]], [xy[a, 1], xy[b, 1]])
        elif mode == "measure":
            found = self._suggestions() or []
            people = [s.person for s in found]
            self._rings.set_offsets(xy[people] if people else np.empty((0, 2)))
            for i, s in enumerate(found[:SUGGESTIONS]):
                x, y = xy[s.person]
                self._ring_text[i].set_position((x + 0.35, y + 0.3))
                self._ring_text[i].set_text(f"{i + 1}. {s.label}")
        elif mode == "states" and self.result is not None:
            people = list(self.result.networkers)
            self._rings.set_offsets(xy[people] if people else np.empty((0, 2)))
        else:
            self._rings.set_offsets(np.empty((0, 2)))

    def _draw_curve(self, t):
        r = self.result
        if r is None:
            self._line_committed.set_data([], [])
            self._line_compliant.set_data([], [])
        else:
            x = np.arange(len(r.committed_by_round))
            self._line_committed.set_data(x, r.committed_by_round)
            self._line_compliant.set_data(x, r.compliant_by_round)
        self._round_line.set_xdata([t, t])
        if self._mode == "states":
            self._caption.set_text(f"Round {t} of {self.ROUNDS}")
        elif self._mode == "measure":
            self._caption.set_text("Suggested internal networkers, ringed")
        else:
            self._caption.set_text("Roles")

    def _network_summary(self):
        G = self._graph
        n = G.number_of_nodes()
        roles = {role: 0 for role in org.ROLES}
        for _, role in G.nodes(data="role"):
            roles[role] += 1
        kinds = {kind: 0 for kind in org.KINDS}
        for _, _, kind in G.edges(data="kind"):
            kinds[kind] += 1
        who = (
            f"{n} people ({roles['executive']} executives, {roles['line_leader']} line leaders, "
            f"{roles['networker']} internal networkers, {roles['member']} team members) in "
            f"{G.graph['teams']} teams, with {G.number_of_edges()} ties ({kinds['formal']} "
            f"formal, {kinds['informal']} informal, {kinds['bridge']} bridge)"
        )
        r = self.result
        if self._mode == "states":
            if r is None:
                return f"The organisation: {who}. The levers do not fit it: nothing was run."
            t = self.round
            committed = int(r.committed_at(t).sum())
            return (
                f"Round {t} of {self.ROUNDS}: {committed} of {n} people committed "
                f"({committed / n:.0%}), {float(r.compliant_by_round[t]):.0%} compliant; the shapes show "
                f"roles and the colours states. {r.summary()}"
            )
        text = (
            f"The organisation: {who}. Executives are drawn on top, each line leader above "
            "their team; colours and shapes show roles, dashed lines bridge ties."
        )
        if self._mode == "measure":
            found = self._suggestions()
            if found:
                text += (
                    " Ringed: the suggested internal networkers "
                    + ", ".join(s.label for s in found)
                    + "."
                )
        return text

    def _build_aggregate_figure(self):
        fig = self.aggregate_view.figure
        fig.set_layout_engine(None)  # fixed margins: redrawn on every round, so keep it quick
        self._agg_line, self._agg_bars = fig.subplots(1, 2, width_ratios=(1, 1.3))
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        style_axes(
            self._agg_line,
            title="Committed and compliant by round",
            xlabel="round",
            ylabel="share of people",
        )
        style_axes(
            self._agg_bars, title="Committed by team", xlabel="team", ylabel="share of the team"
        )

    def _draw_aggregate(self):
        G, r, t = self._graph, self.result, self.round
        ax, bars = self._agg_line, self._agg_bars
        ax.clear()
        bars.clear()
        style_axes(
            ax, title="Committed and compliant by round", xlabel="round", ylabel="share of people"
        )
        teams = int(G.graph["teams"])
        style_axes(
            bars,
            title=f"Committed by team after round {t}",
            xlabel="team",
            ylabel="share of the team",
        )
        ax.set_xlim(0, self.ROUNDS)
        ax.set_ylim(0, 1.02)
        bars.set_ylim(0, 1.02)
        n = G.number_of_nodes()
        if r is None:
            summary = f"An organisation of {n} people in {teams} teams; nothing was run."
        else:
            x = np.arange(len(r.committed_by_round))
            ax.plot(
                x,
                r.committed_by_round,
                color=OKABE_ITO["green"],
                marker="o",
                markevery=5,
                markersize=4,
                label="committed",
            )
            ax.plot(
                x,
                r.compliant_by_round,
                color=OKABE_ITO["orange"],
                linestyle="--",
                marker="s",
                markevery=5,
                markersize=4,
                label="compliant",
            )
            ax.axvline(t, color="black", linestyle=":", linewidth=1)
            ax.legend(loc="upper left", fontsize=8, frameon=False)
            committed = r.committed_at(t)
            team = np.array([G.nodes[v]["team"] for v in range(n)])
            shares = [
                float(committed[team == k].mean()) if np.any(team == k) else 0.0
                for k in range(teams)
            ]
            bars.bar(
                range(teams), shares, color=OKABE_ITO["green"], edgecolor="black", linewidth=0.5
            )
            full = sum(s >= 0.8 for s in shares)
            summary = (
                f"An organisation of {n} people in {teams} teams (too many to draw one by one). "
                f"Round {t} of {self.ROUNDS}: {int(committed.sum())} people committed "
                f"({committed.mean():.0%}), {float(r.compliant_by_round[t]):.0%} compliant; {full} of "
                f"{teams} teams are at least 80% committed. {r.summary()}"
            )
        self.aggregate_view.render(summary)

    def _build_compare_figure(self):
        fig = self.compare_view.figure
        self._ax_compare = fig.add_subplot()
        style_axes(
            self._ax_compare,
            title="Committed share by round: mean and 5-95% band",
            xlabel="round",
            ylabel="share of people committed",
        )
        self._ax_compare.set_ylim(0, 1.02)
        self.compare_view.render(
            "No comparison yet: tick the scenarios to compare and press Compare."
        )

    def _draw_compare(self):
        comp = self.comparison
        ax = self._ax_compare
        ax.clear()
        style_axes(
            ax,
            title=f"Committed share by round: mean and 5-95% band ({comp.runs} runs)",
            xlabel="round",
            ylabel="share of people",
        )
        for i, (name, s) in enumerate(comp.scenarios.items()):
            look = series_style(i)
            x = np.arange(len(s.committed_mean))
            ax.fill_between(
                x, s.committed_low, s.committed_high, color=look["color"], alpha=0.15, linewidth=0
            )
            ax.plot(x, s.committed_mean, markevery=5, markersize=5, label=name, **look)
            if s.levers.mandate:
                ax.plot(
                    x,
                    s.compliant_mean,
                    color=look["color"],
                    linestyle=(0, (1, 1)),
                    linewidth=1.2,
                    label=f"{name} (compliant)",
                )
        ax.set_xlim(0, comp.rounds)
        ax.set_ylim(0, 1.02)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        lines = [
            f"{name}: committed {float(s.committed_mean[-1]):.0%} on average at the end "
            f"(5-95%: {float(s.committed_low[-1]):.0%} to {float(s.committed_high[-1]):.0%})"
            for name, s in comp.scenarios.items()
        ]
        self.compare_view.render(
            f"{comp.runs} runs of each scenario on this organisation, seed "
            f"{int(self._run_seed.value)}. " + "; ".join(lines) + "."
        )


_LEVER_NAMES = (
    "pilot_teams",
    "pilot_share",
    "mentoring",
    "mandate",
    "mandate_rounds",
    "networkers",
    "bridge_width",
    "teams_spanned",
)


# ----------------------------------------------------------------------------- BridgeExplorer


class BridgeExplorer(App):
    """Connect two teams with a budget of three ties: does a complex practice cross?

    Team A (left) has piloted a practice and is all committed; team B (right) works as a ring
    where everyone is tied to the two colleagues on either side.  Choose a placement (a wide
    bridge landing on neighbours, two ties on one person, three ties spread out, one long tie)
    or place the three ties yourself, and a practice: *complex* (each person needs two committed
    contacts, Centola & Macy 2007) or *simple* (one is enough).  The drawing shows who commits,
    and in which round.  ``.result`` is a `BridgeOutcome`.

    Parameters
    ----------
    placement : str, default "wide bridge"
        One of `PLACEMENTS`.
    practice : str, default "complex"
        ``"complex"`` or ``"simple"``.

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
        self.controls = {
            "placement": widgets.ToggleButtons(
                options=list(PLACEMENTS),
                value="wide bridge",
                description="Three ties:",
                style={"button_width": "auto", "description_width": "7em"},
                tooltips=[
                    "two ties on B1 and one on her neighbour B2",
                    "two ties on B1, the third far away",
                    "one tie each to three people far apart",
                    "a single tie",
                    "choose the ends of the three ties below",
                ],
            ),
            "practice": widgets.ToggleButtons(
                options=[
                    ("complex (needs 2 contacts)", "complex"),
                    ("simple (needs 1 contact)", "simple"),
                ],
                value="complex",
                description="Practice:",
                style={"button_width": "auto", "description_width": "7em"},
            ),
        }
        a = [("no tie", "")] + [(f"A{i + 1}", f"A{i + 1}") for i in range(self.SIZE)]
        b = [("no tie", "")] + [(f"B{i + 1}", f"B{i + 1}") for i in range(self.SIZE)]
        rows = []
        for i in range(self.TIES):
            left = widgets.Dropdown(
                options=a,
                value="",
                description=f"Tie {i + 1} from:",
                style={"description_width": "7em"},
                layout=widgets.Layout(width="14em"),
            )
            right = widgets.Dropdown(
                options=b,
                value="",
                description="to:",
                style={"description_width": "2.5em"},
                layout=widgets.Layout(width="9.5em"),
            )
            self.controls[f"tie{i + 1}_a"] = left
            self.controls[f"tie{i + 1}_b"] = right
            rows.append(widgets.HBox([left, right]))
        self.figure_view = BlitFigureView(width=8.6, height=3.9)
        self._build_figure()
        super().__init__(
            [
                self.controls["placement"],
                self.controls["practice"],
                widgets.HBox(rows, layout=widgets.Layout(flex_flow="row wrap")),
                self.figure_view,
            ]
        )
        self.add_class("senge-bridge-explorer")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._busy = False
        self._apply_placement("wide bridge")
        self.set(placement=placement, practice=practice)

    @property
    def ties(self):
        """The ties the pickers show, as (A label, B label) pairs (incomplete rows left out)."""
        out = []
        for i in range(self.TIES):
            a, b = self.controls[f"tie{i + 1}_a"].value, self.controls[f"tie{i + 1}_b"].value
            if a and b:
                out.append((a, b))
        return out

    @guarded
    def set(self, *, placement=None, practice=None, ties=None):
        """Set the placement, the practice, or your own `ties` (pairs of labels)."""
        if practice is not None:
            practice = check_one_of("practice", practice, tuple(PRACTICES))
        if placement is not None:
            placement = check_one_of("placement", placement, PLACEMENTS)
        if ties is not None:
            G = two_teams(self.SIZE)
            ties = [
                (G.nodes[a]["label"], G.nodes[b]["label"]) for a, b in bridge_pairs(ties, self.SIZE)
            ]
        with quiet(self):
            if practice is not None:
                self.controls["practice"].value = practice
            if ties is not None:
                self.controls["placement"].value = "your own"
                self._fill(ties)
            elif placement is not None:
                self.controls["placement"].value = placement
                if placement != "your own":
                    self._fill(bridge_ties(placement, self.SIZE))
        self._update()

    def _fill(self, ties):
        for i in range(self.TIES):
            a, b = ties[i] if i < len(ties) else ("", "")
            self.controls[f"tie{i + 1}_a"].value = a
            self.controls[f"tie{i + 1}_b"].value = b

    def _apply_placement(self, placement):
        with quiet(self):
            self.controls["placement"].value = placement
            self._fill(bridge_ties(placement, self.SIZE))
        self._update()

    def _on_change(self, change):
        if self._busy:
            return
        owner = change["owner"]
        if owner is self.controls["placement"]:
            if change["new"] != "your own":
                with quiet(self):
                    self._fill(bridge_ties(change["new"], self.SIZE))
        elif owner is not self.controls["practice"]:
            with quiet(self):
                self.controls["placement"].value = "your own"
        self._update()

    @guarded
    def _update(self):
        ties = self.ties
        seen, duplicate = set(), None
        for tie in ties:
            if tie in seen:
                duplicate = tie
            seen.add(tie)
        if duplicate:
            self.show_message(
                f"The tie {duplicate[0]}-{duplicate[1]} is chosen twice: two people share at most "
                "one tie. It counts once.",
                kind="error",
            )
            ties = list(dict.fromkeys(ties))
        else:
            self.show_message("")
        self.result = bridge_outcome(ties, self.controls["practice"].value, self.SIZE)
        self._draw()

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)
        ax = self._ax = fig.add_axes((0.01, 0.12, 0.98, 0.8))
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        n = self.SIZE
        xy = np.zeros((2 * n, 2))
        # A1 faces B1 across the gap; A2 and B2 sit just above them (mirror images)
        for t, cx in enumerate(self._CENTRES):
            for i in range(n):
                angle = 2 * math.pi * i / n if t == 0 else math.pi - 2 * math.pi * i / n
                xy[t * n + i] = (cx + 1.3 * math.cos(angle), 1.3 * math.sin(angle))
        self._xy = xy
        G = two_teams(n)
        ax.add_collection(
            LineCollection(
                [(xy[u], xy[v]) for u, v in G.edges()], colors="#9E9E9E", linewidths=0.8, zorder=1
            )
        )
        ax.set_xlim(-3.75, 3.75)
        ax.set_ylim(-1.95, 1.95)
        ax.text(
            -1.95,
            1.78,
            "Team A: the pilot team (all committed)",
            ha="center",
            fontsize=9,
            color="#1a1a1a",
        )
        ax.text(1.95, 1.78, "Team B", ha="center", fontsize=9, color="#1a1a1a")
        for v in range(2 * n):
            x, y = xy[v]
            cx = self._CENTRES[v // n]
            dx, dy = x - cx, y
            norm = math.hypot(dx, dy) or 1
            ax.text(
                cx + dx / norm * 1.62,
                dy / norm * 1.62,
                G.nodes[v]["label"],
                ha="center",
                va="center",
                fontsize=7.5,
                color="#1a1a1a",
            )
        self._bridge = LineCollection(
            [], colors=OKABE_ITO["orange"], linewidths=2.4, zorder=2, linestyles="dashed"
        )
        ax.add_collection(self._bridge)
        self._people = ax.scatter(
            xy[:, 0], xy[:, 1], s=190, marker="o", edgecolor="black", linewidth=0.8, zorder=3
        )
        self._round_text = [
            ax.text(
                xy[v, 0],
                xy[v, 1],
                "",
                ha="center",
                va="center",
                fontsize=7.5,
                color="#1a1a1a",
                zorder=4,
            )
            for v in range(2 * n)
        ]
        self._verdict = ax.text(
            0, -1.9, "", ha="center", fontsize=10, color="#1a1a1a", fontweight="bold"
        )
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=9,
                markerfacecolor=STATE_STYLE["committed"]["color"],
                markeredgecolor="black",
                label="committed (number: the round)",
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=9,
                markerfacecolor="white",
                markeredgecolor="black",
                label="not yet",
            ),
            Line2D(
                [],
                [],
                color=OKABE_ITO["orange"],
                linestyle="--",
                linewidth=2.4,
                label="the ties you placed",
            ),
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=3,
            fontsize=8,
            frameon=False,
        )
        self.figure_view.animate(self._bridge, self._people, *self._round_text, self._verdict)

    def _draw(self):
        r = self.result
        xy = self._xy
        self._bridge.set_segments(
            [(xy[person_index(a, self.SIZE)], xy[person_index(b, self.SIZE)]) for a, b in r.ties]
        )
        colours = np.where(r.committed, STATE_STYLE["committed"]["color"], "white")
        self._people.set_facecolor(list(colours))
        for v, text in enumerate(self._round_text):
            rnd = int(r.adoption_round[v])
            text.set_text(str(rnd) if v >= self.SIZE and rnd > 0 else "")
        if r.crossed:
            verdict = f"Crossed: all {r.size} of team B committed"
        else:
            verdict = f"Did not cross: {r.team_b_committed} of {r.size} in team B committed"
        self._verdict.set_text(verdict)
        self.figure_view.render(r.summary())


# ----------------------------------------------------------------------------- LongTieExplorer


class LongTieExplorer(App):
    """Rewire a ring of people into long ties: a simple practice speeds up, a complex one stalls.

    200 people on a ring each work with the two colleagues on either side; a share p of the ties
    is rewired into long ties across the ring (`senge_course.models.topologies.rewired`, keeping everyone's
    number of ties).  A practice starts from two neighbouring people.  The left panel shows one
    network and who adopted the chosen practice; the right panels show, over 10 networks per p,
    how far each practice spreads and how many rounds it takes to reach 90% of people (Centola
    & Macy 2007).  ``.result`` maps each practice to ``(final share, rounds to 90%)`` at the
    current p, averaged over the networks; ``.sweep`` is the `LongTieSweep`.

    Examples
    --------
    >>> app = LongTieExplorer()
    >>> app.result
    {'complex': (1.0, 89.0), 'simple': (1.0, 45.0)}
    >>> app.controls["p"].value = 0.1
    >>> app.result["complex"][0] < 0.1 < app.result["simple"][0]
    True
    """

    N = 200
    K = 4
    NETWORKS = 10

    def __init__(self, p=0.0, practice="complex"):
        self._busy = True
        self.sweep = long_tie_sweep(P_GRID, n=self.N, k=self.K, networks=self.NETWORKS, seed=1)
        self.controls = {
            "p": widgets.SelectionSlider(
                options=[(f"{x:g}", x) for x in P_GRID],
                value=0.0,
                description="Rewiring probability p:",
                continuous_update=False,
                style={"description_width": "13em"},
                layout=widgets.Layout(width="34em"),
            ),
            "practice": widgets.ToggleButtons(
                options=[
                    ("complex (needs 2 contacts)", "complex"),
                    ("simple (needs 1 contact)", "simple"),
                ],
                value="complex",
                description="Drawn:",
                style={"button_width": "auto", "description_width": "5em"},
            ),
        }
        self.figure_view = BlitFigureView(width=9.2, height=4.0)
        self._build_figure()
        super().__init__([self.controls["p"], self.controls["practice"], self.figure_view])
        self.add_class("senge-long-tie-explorer")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._busy = False
        self._update()
        self.set(p=p, practice=practice)

    @guarded
    def set(self, *, p=None, practice=None):
        """Set the rewiring probability (one of `P_GRID`) and the practice drawn."""
        if p is not None:
            p = check_one_of("p", check_p(p), P_GRID)
        if practice is not None:
            practice = check_one_of("practice", practice, tuple(PRACTICES))
        with quiet(self):
            if p is not None:
                self.controls["p"].value = p
            if practice is not None:
                self.controls["practice"].value = practice
        self._update()

    @guarded
    def _update(self, change=None):
        if self._busy:
            return
        p = float(self.controls["p"].value)
        self.result = self.sweep.at(p)
        self._draw(p, self.controls["practice"].value)

    def _build_figure(self):
        fig = self.figure_view.figure
        fig.set_layout_engine(None)
        ax = self._ax = fig.add_axes((0.0, 0.1, 0.42, 0.82))
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_xlim(-1.15, 1.15)
        ax.set_ylim(-1.15, 1.15)
        angle = 2 * math.pi * np.arange(self.N) / self.N
        self._xy = np.column_stack([np.cos(angle), np.sin(angle)])
        self._local = LineCollection([], colors="#9E9E9E", linewidths=0.5, zorder=1)
        self._long = LineCollection(
            [], colors=OKABE_ITO["orange"], linewidths=0.9, zorder=2, linestyles="dashed"
        )
        ax.add_collection(self._local)
        ax.add_collection(self._long)
        self._dots = ax.scatter(
            self._xy[:, 0], self._xy[:, 1], s=14, edgecolor="black", linewidth=0.3, zorder=3
        )
        self._title = ax.text(0, 1.12, "", ha="center", fontsize=9, color="#1a1a1a")
        ax.legend(
            handles=[
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markerfacecolor=OKABE_ITO["green"],
                    markeredgecolor="black",
                    label="adopted",
                ),
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markerfacecolor="white",
                    markeredgecolor="black",
                    label="not yet",
                ),
                Line2D([], [], color=OKABE_ITO["orange"], linestyle="--", label="long tie"),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.02),
            ncol=3,
            fontsize=8,
            frameon=False,
        )
        # p = 0 sits at the left end of a log axis
        xs = np.array([_p_axis(p) for p in P_GRID])
        self._ax_share = fig.add_axes((0.52, 0.58, 0.45, 0.34))
        self._ax_time = fig.add_axes((0.52, 0.12, 0.45, 0.34))
        s = self.sweep
        for ax2, data, ylabel in (
            (self._ax_share, s.final, "share who adopt"),
            (self._ax_time, s.rounds_to_90, "rounds to reach 90%"),
        ):
            style_axes(ax2, ylabel=ylabel)
            ax2.set_xscale("log")
            for i, name in enumerate(("simple", "complex")):
                look = series_style(i)
                ax2.plot(xs, data[name], label=f"{name} practice", markersize=5, **look)
            ax2.set_xticks(xs)
            ax2.set_xticklabels([f"{p:g}" for p in P_GRID], fontsize=7)
            ax2.minorticks_off()
        self._ax_share.set_ylim(0, 1.05)
        self._ax_share.set_title(
            f"Averages over {s.networks} networks per p", fontsize=9, loc="left"
        )
        self._ax_share.legend(loc="center left", fontsize=8, frameon=False)
        self._ax_time.set_xlabel("share of ties rewired into long ties, p")
        top = np.nanmax(np.concatenate([s.rounds_to_90["simple"], s.rounds_to_90["complex"]]))
        self._ax_time.set_ylim(0, top * 1.1)
        self._markers = [
            ax2.axvline(xs[0], color="black", linestyle=":", linewidth=1)
            for ax2 in (self._ax_share, self._ax_time)
        ]
        self.figure_view.animate(self._local, self._long, self._dots, self._title, *self._markers)

    def _draw(self, p, practice):
        G = rewired_ring(self.N, self.K, p, self.sweep.seed)
        xy = self._xy
        local, far = [], []
        for u, v, kind in G.edges(data="kind"):
            (far if kind == "bridge" else local).append((xy[u], xy[v]))
        self._local.set_segments(local)
        self._long.set_segments(far)
        r = contagion.simulate(G, PRACTICES[practice], [0, 1], absolute=True)
        colours = np.where(np.asarray(r.committed), OKABE_ITO["green"], "white")
        self._dots.set_facecolor(list(colours))
        x = _p_axis(p)
        for marker in self._markers:
            marker.set_xdata([x, x])
        self._title.set_text(f"p = {p:g}: the {practice} practice reached {r.final_fraction:.0%}")
        self.figure_view.render(self._summary(p, practice, len(far), r.final_fraction))

    def _summary(self, p, practice, long_ties, drawn_share):
        res = self.result
        parts = []
        for name in ("simple", "complex"):
            share, rounds = res[name]
            if math.isnan(rounds):
                parts.append(f"the {name} practice reaches {share:.0%} of people and never 90%")
            else:
                parts.append(
                    f"the {name} practice reaches {share:.0%} of people, 90% within "
                    f"{rounds:.0f} rounds"
                )
        return (
            f"With p = {p:g} ({long_ties} long ties in the network drawn), on average over "
            f"{self.sweep.networks} networks {parts[0]}, and {parts[1]}. The drawing shows who "
            f"adopted the {practice} practice in one network ({drawn_share:.0%})."
        )


# ----------------------------------------------------------------------------- private helpers


class _PlayNames(anywidget.AnyWidget):
    """Give the Play widget's icon-only buttons accessible names (screen readers, axe-core)."""

    _esm = r"""
function name(app) {
  for (const play of app.querySelectorAll('.widget-play')) {
    const names = ['Play or pause the rounds', 'Stop: back to round 0', 'Repeat'];
    play.querySelectorAll('button').forEach((b, i) => {
      if (names[i] && b.getAttribute('aria-label') !== names[i]) {
        b.setAttribute('aria-label', names[i]);
        b.setAttribute('title', names[i]);
      }
    });
  }
}
export default {
  render({ el }) {
    let tries = 0;
    const start = () => {
      const app = el.closest('.senge-app');
      if (!app) { if (tries++ < 100) setTimeout(start, 50); return; }
      name(app);
      new MutationObserver(() => name(app)).observe(app, { subtree: true, childList: true });
    };
    start();
  },
};
"""

    def __init__(self, **kwargs):
        super().__init__(
            layout=widgets.Layout(width="0px", height="0px", overflow="hidden"), **kwargs
        )


def _subheading(text):
    return widgets.HTML(
        f'<p style="margin:2px 0 0 1em;color:#1a1a1a;font-weight:bold">{html.escape(text)}</p>'
    )


def _heading(text):
    return widgets.HTML(f'<h4 style="margin:6px 0 2px;color:#1a1a1a">{html.escape(text)}</h4>')


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _fmt(x, digits):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _name(G, v):
    return str(G.nodes[v]["label"])


def _role_text(G, v):
    data = G.nodes[v]
    role = _ROLE_WORDS[data["role"]]
    return role if data["team"] == org.NO_TEAM else f"{role}, team {data['team']}"


def _p_axis(p):
    """Where probability `p` sits on the log axis of `LongTieExplorer` (0 drawn at 0.0003)."""
    return p if p > 0 else 0.0003
