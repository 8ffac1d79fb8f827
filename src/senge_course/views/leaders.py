"""Leader networks (lessons 04 and 05): build an organisation, find its networkers, pull the levers.

`LeaderNetworkBuilder` is a thin view over `senge_course.models.org` (the organisation and its
chart's layout), `senge_course.models.brokerage` (who is placed to broker between teams) and
`senge_course.models.leadership` (the three kinds of leader's levers).  The bridge apps of
lesson 04 are in `senge_course.views.bridges`.
"""

import html
import math
import os
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import files
from .._validate import check_integer, check_one_of
from ..models import brokerage, claims, leadership, org
from ..style import OKABE_ITO, ROLE_STYLE, STATE_STYLE, series_style
from ._base import App, FigureView, guarded, quiet
from ._blit import BlitFigureView
from .assumptions import AssumptionsView
from .controls import control_for, controls_for
from .figures import style_axes

__all__ = ["DRAW_LIMIT", "MEASURE_LIMIT", "MY_LEVERS", "LeaderNetworkBuilder", "person_label"]

#: Above this many people the builder shows shares by round and by team instead of every person.
DRAW_LIMIT = 300
#: Above this many people the brokerage table waits for the "Measure" button (it takes seconds).
MEASURE_LIMIT = 300
#: Rows of the brokerage table.
TABLE_ROWS = 8
#: Internal networkers suggested under the brokerage table.
SUGGESTIONS = 3
#: The name under which the Compare tab runs the levers of the Levers & run tab.
MY_LEVERS = "my levers (Levers & run tab)"

_ROLE_WORDS = {role: role.replace("_", " ") for role in org.ROLES}
_ROLE_NAMES = {"line leader": "line_leader", "internal networker": "networker"}
_STATES = ("none", "compliant", "committed")
_MEASURE_KINDS = {"all": None, "informal": ("informal", "bridge")}
_EDGE_LOOK = {
    "formal": {"colors": "#4D4D4D", "linewidths": 0.8, "alpha": 0.8},
    "informal": {"colors": "#9E9E9E", "linewidths": 0.5, "alpha": 0.6},
    "bridge": {"colors": OKABE_ITO["orange"], "linewidths": 1.8, "linestyles": "--"},
}
_SPREAD = {
    "committed": {"color": OKABE_ITO["green"], "marker": "o"},
    "compliant": {"color": OKABE_ITO["orange"], "linestyle": "--", "marker": "s"},
}
_BUILD, _MEASURE, _RUN, _COMPARE, _ASSUME, _FILES = range(6)
_TAB_TITLES = ("Build", "Measure", "Levers & run", "Compare", "Assumptions", "Save & load")
#: How the drawing's legend names each kind of mark (`LeaderNetworkBuilder.drawn_marks`).
_TIE_WORDS = {
    "formal": "formal tie (the chart)",
    "informal": "informal tie",
    "bridge": "bridge tie (dashed)",
}
_RING_WORDS = {
    "roles": "ringed: person picked",
    "measure": "ringed: suggested networker",
    "states": "ringed: internal networker",
}
_PREVIEW = "dotted: tie to add or remove"
#: The hatching of each scenario's 5-95% band in the Compare tab (told apart without colour).
_BAND_HATCHES = ("//", "..", "\\\\", "||", "--", "oo", "++", "xx")
_ORG_CONTROLS = ("teams", "team_size", "executives", "executive_ties", "seed")
_OWN = "(my own levers)"
_LEVER_GROUPS = {
    "Line leaders": ("pilot_teams", "pilot_share"),
    "Executives": ("mentoring", "mandate", "mandate_rounds"),
    "Internal networkers": ("networkers", "bridge_width", "teams_spanned"),
}
_PAIRS = tuple(name for name in leadership.COMBINATIONS if name.count(" + ") == 1)
_COMPARE_NAMES = (*leadership.SCENARIOS, *_PAIRS, MY_LEVERS)
_COMPARE_DEFAULT = ("line leaders only", *_PAIRS[:2], "all three")
#: The builder's buttons: description, tooltip, icon.
_BUTTONS = {
    "generate": ("Generate", "Build a new organisation from the controls above", "refresh"),
    "set_role": ("Set role", "Give the person the new role", ""),
    "add_tie": ("Add tie", "Tie the two people together", ""),
    "remove_tie": ("Remove tie", "Remove the tie between the two people", ""),
    "add_bridge": ("Add bridge", "Lay a bridge of several ties between the two teams", ""),
    "measure": ("Measure brokerage", "Compute the brokerage measures (slow above 300 people)", ""),
    "step": ("Step", "Show the next round", "step-forward"),
    "reset": ("Reset", "Back to round 0: who started committed", "undo"),
    "compare": ("Compare", "Run every ticked scenario many times", ""),
    "save": ("Save", "Save the network to the file", "save"),
    "load": ("Load", "Load a network from the file (a bad file changes nothing)", "folder-open"),
}
_COLUMNS = ("person", "role", "ties", "betweenness", "constraint", "effective size")
_COLUMNS += ("Cross & Prusak role",)  # numbers right-aligned, text left
_P = '<p style="color:#1a1a1a;margin:2px 0">'


def person_label(G, v):
    """Return how the apps name person `v` of organisation `G`: label, role and team.

    >>> from senge_course.models.org import organisation
    >>> person_label(organisation(seed=1), 0), person_label(organisation(seed=1), 4)
    ('E1 (executive)', 'T0-1 (member, team 0)')
    """
    data = G.nodes[v]
    return f"{data.get('label', v)} ({_role_text(G, v)})"


class LeaderNetworkBuilder(App):
    """Build a leader network, find its networkers, pull the levers and watch the practice spread.

    Six tabs share one drawing of the organisation (roles by colour and shape, executives on
    top, each team under its line leader; bridge ties dashed).  **Build**: generate an
    organisation (executives may get informal ties), change a person's role, add or remove a
    tie, add a bridge between two teams.
    **Measure**: the people with the highest betweenness, with Burt's constraint and effective
    size and Cross & Prusak's roles, and the suggested internal networkers (ringed).  **Levers &
    run**: the three kinds of leader's levers; every change reruns the model, and the drawing
    colours people by state round by round (*play*, *step*, *reset*, the round slider).
    **Compare**: named scenarios over many runs, mean and 5-95% band.  **Assumptions**: sliders
    for `leadership.ASSUMPTIONS` and the claims shown (`assumptions`, moved by `apply`).
    **Save & load**: the network as JSON or GraphML.

    Above `DRAW_LIMIT` people, shares by round and by team replace the drawing.  The model records
    how many people are compliant in each round, not who: the drawing hatches that many of the
    mandated people who have not committed, in person order.  ``.graph`` is the organisation,
    ``.result`` the latest run (a `senge_course.models.leadership.LeadershipResult`),
    ``.comparison`` the latest comparison.  Library errors (an unknown role, a bad file) show a
    message and leave the network as it was.  The arguments: `teams`, `team_size`, `executives`,
    `executive_ties` and `seed` of the organisation generated first (`senge_course.models.org.organisation`), or a
    `graph` to start from instead; the `levers` the controls start from (a `Levers` or a scenario
    name); the `run_seed` of the run and of comparisons; the `tab` to open on (a tab's title:
    ``"Build"``, ``"Measure"``, ``"Levers & run"``, ...; lesson 04 opens on ``"Measure"``, lesson
    05 on ``"Levers & run"``).  The legend under the drawing names every kind of mark it draws
    (`drawn_marks`); the Build tab's previews (the person picked, ringed, and the tie to add or
    remove, dotted) are drawn only while the Build tab is open.

    Examples
    --------
    >>> app = LeaderNetworkBuilder()
    >>> app.graph.number_of_nodes(), round(app.result.final_committed, 2)
    (51, 0.41)
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
        executive_ties=0,
        seed=1,
        levers="all three",
        run_seed=1,
        graph=None,
        tab="Build",
    ):
        self._busy = True
        self._graph = self._positions = self.comparison = None
        self._version = 0  # bumped whenever ties or teams change (brokerage is cached per version)
        self._cache, self._mode = {}, "roles"
        self._bridges_added = self.layouts_computed = 0
        self._build_controls()
        self.network_view = BlitFigureView(width=9.4, height=4.9)
        self.aggregate_view = FigureView(width=9.4, height=3.8)
        self.compare_view = FigureView(width=8.6, height=4.0)
        self._build_network_figure()
        self._build_aggregate_figure()
        self._ax_compare = self.compare_view.figure.add_subplot()
        self._draw_compare()
        #: The claims this app shows, their origins and where they fail (`AssumptionsView`).
        self.assumptions = AssumptionsView(claims.for_app(type(self).__name__), apply=self.apply)
        self.tabs = widgets.Tab(children=self._tabs(), titles=_TAB_TITLES)
        self.limit_note = _html("senge-note")
        super().__init__([self.tabs, self.limit_note, self.network_view, self.aggregate_view])
        self.add_class("senge-leader-builder")
        self._wire()
        self._busy = False
        try:
            start = leadership.check_levers(levers)
        except (TypeError, ValueError) as exc:
            self.show_message(str(exc), kind="error")
            start = leadership.SCENARIOS["all three"]
        with quiet(self):
            self._show_levers(start)
            ok = isinstance(run_seed, int | np.integer) and not isinstance(run_seed, bool)
            self.controls["run_seed"].value = run_seed if ok and 0 <= run_seed <= 9999 else 1
        if graph is not None:
            self.set_graph(graph)
        if self._graph is None:
            size = {"teams": teams, "team_size": team_size, "executives": executives}
            self.generate(**size, executive_ties=executive_ties, seed=seed)
        if self._graph is None:  # bad arguments: fall back to the defaults, keep the message
            message = self.message.value
            self.generate(teams=6, team_size=8, executives=3, seed=1)
            self.message.value = message
        if tab in _TAB_TITLES:
            self.tabs.selected_index = _TAB_TITLES.index(tab)
        else:
            said = ", ".join(repr(t) for t in _TAB_TITLES)
            self.show_message(f"tab must be one of {said}, got tab={tab!r}", kind="error")

    @property
    def graph(self):
        """The current organisation (a networkx Graph; edits return a new one)."""
        return self._graph

    @property
    def positions(self):
        """The cached layout (`senge_course.models.org.hierarchy_layout`; None above `DRAW_LIMIT`)."""
        return self._positions

    @property
    def levers(self):
        """The `senge_course.models.leadership.Levers` the controls show."""
        return leadership.Levers(**{name: self.controls[name].value for name in leadership.LEVERS})

    @property
    def lever_values(self):
        """The levers as a plain dictionary (``Levers(**app.lever_values) == app.levers``)."""
        return {name: getattr(self.levers, name) for name in leadership.LEVERS}

    @property
    def assumption_values(self):
        """The model's assumptions the Assumptions tab shows (rows of `leadership.ASSUMPTIONS`)."""
        return {name: self.controls[name].value for name in leadership.ASSUMPTIONS}

    @property
    def round(self):
        """The round the drawing shows (0 = the start)."""
        return int(self.controls["round"].value)

    @property
    def drawn(self):
        """True when every person is drawn (at most `DRAW_LIMIT` people)."""
        return self._graph is not None and self._graph.number_of_nodes() <= DRAW_LIMIT

    @property
    def figure_view(self):
        """The figure shown under the tabs: the network, or the shares above `DRAW_LIMIT`."""
        return self.network_view if self.drawn else self.aggregate_view

    @property
    def drawn_marks(self):
        """The kinds of mark the network drawing shows now, each named as in its legend.

        Every line, dot, ring and tie drawn is one of them (an artist the legend cannot name
        shows as ``"unnamed ..."``); empty when the drawing is not shown (above `DRAW_LIMIT`).
        """
        if not self.drawn:
            return []
        return self._marks()

    @property
    def brokerage(self):
        """The brokerage table's rows (`senge_course.models.brokerage.BrokerageRow`), highest betweenness first."""
        return self._rows(_MEASURE_KINDS[self.controls["measure_on"].value])

    @property
    def suggestions(self):
        """The suggested internal networkers (`senge_course.models.brokerage.suggest_networkers`), best first."""
        return self._suggestions()

    @guarded
    def generate(
        self, *, teams=None, team_size=None, executives=None, executive_ties=None, seed=None
    ):
        """Generate a new organisation (arguments default to the Build tab's controls)."""
        values = (teams, team_size, executives, executive_ties, seed)
        given = dict(zip(_ORG_CONTROLS, values, strict=True))
        checked = {}
        for name, value in given.items():
            c = self.controls[name]
            value = c.value if value is None else value
            checked[name] = check_integer(name, value, low=c.min, high=c.max)
        G = org.organisation(**checked)
        with quiet(self):
            for name, value in checked.items():
                self.controls[name].value = value
        self._bridges_added = 0
        self._set_graph(G, people_changed=True)

    @guarded
    def set_graph(self, G):
        """Use organisation `G` (checked with `senge_course.models.org.validate_organisation`)."""
        org.validate_organisation(G)
        self._set_graph(G.copy(), people_changed=True)

    @guarded
    def set_role(self, person, role, team=None):
        """Give `person` (a number or a label such as ``"T0-1"``) a new role (and team)."""
        v = org.find_person(self._graph, person)
        role = _ROLE_NAMES.get(role, role) if isinstance(role, str) else role
        G = org.set_role(self._graph, v, role, team=team)
        moved = G.nodes[v]["team"] != self._graph.nodes[v]["team"]
        self._set_graph(G, ties_changed=moved, said=f"{person_label(G, v)}: role changed.")

    @guarded
    def add_tie(self, u, v, kind="informal"):
        """Add a tie between two people (numbers or labels): ``"informal"``, ``"formal"`` or ``"bridge"``."""
        self._edit_tie(u, v, f"Added a {kind} tie between", org.add_tie, kind=kind)

    @guarded
    def remove_tie(self, u, v):
        """Remove the tie between two people (numbers or labels)."""
        self._edit_tie(u, v, "Removed the tie between", org.remove_tie)

    @guarded
    def add_bridge(self, team_a, team_b, width=3):
        """Add a bridge of `width` ties between two teams (`senge_course.models.org.add_bridge`)."""
        self._bridges_added += 1
        G = org.add_bridge(self._graph, team_a, team_b, width=width, seed=self._bridges_added)
        ties = f"{width} tie{'s' if width != 1 else ''}"
        said = f"Added a bridge of {ties} between team {team_a} and team {team_b} (dashed)."
        self._set_graph(G, ties_changed=True, said=said)

    @guarded
    def set_levers(self, levers=None, **values):
        """Set the levers: a `Levers`, a scenario name, and/or single levers (``mentoring=0.5``).

        Values outside a control's range show a message and change nothing.
        """
        base = self.levers if levers is None else leadership.check_levers(levers)
        new = base.replace(**values) if values else base
        for name in leadership.LEVERS:
            control, value = self.controls[name], getattr(new, name)
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
        self.controls["round"].value = check_integer("t", t, low=0, high=self.ROUNDS)

    @guarded
    def compare(self, names=None, *, runs=None, seed=None):
        """Compare scenarios over many runs (default: the ticked ones); returns the `Comparison`.

        `names` are scenario names (`senge_course.models.leadership.SCENARIOS`, `COMBINATIONS`)
        or `MY_LEVERS` for the current levers.
        """
        boxes, c = self.scenario_boxes, self.controls
        if names is not None:
            names = [names] if isinstance(names, str) else list(names)
            for name in names:
                check_one_of("scenario", name, _COMPARE_NAMES)
            with quiet(self):
                for name, box in boxes.items():
                    box.value = name in names
        chosen = [n for n, box in boxes.items() if box.value] if names is None else names
        if not chosen:
            raise ValueError("tick at least one scenario to compare")
        if runs is not None:
            c["runs"].value = check_one_of("runs", runs, self.RUN_OPTIONS)
        if seed is not None:
            c["run_seed"].value = check_integer("seed", seed, low=0, high=9999)
        runs, seed = int(c["runs"].value), int(c["run_seed"].value)
        chosen = list(dict.fromkeys(chosen))  # in the order asked for
        bar = self.progress
        bar.max, bar.value, bar.layout.visibility = len(chosen) * runs, 0, "visible"
        out, G, a = {}, self._graph, self.assumption_values
        try:
            for name in chosen:
                levers = self.levers if name == MY_LEVERS else leadership.scenario(name)
                part = leadership.compare(G, {name: levers}, runs=runs, seed=seed, assumptions=a)
                out[name] = part[name]
                bar.value += runs
        finally:
            bar.layout.visibility = "hidden"
        self.comparison = leadership.Comparison(MappingProxyType(out), runs, self.ROUNDS)
        self._draw_compare()
        self.show_message("")
        return self.comparison

    @guarded
    def save(self, path=None):
        """Save the network to `path` (default: the filename box): ``.json`` or ``.graphml``.

        Save and Load use only files inside the course's working folder (where the kernel
        started; `senge_course.files.working_folder`): a path outside it, through ``..`` or a
        symbolic link included, is refused with a message and nothing is written.
        """
        path = self._path(path, "save")
        _refuse_os_errors(org.save, self._graph, path)
        self.show_message(f"Saved {_size(self._graph)} to {path}.")

    @guarded
    def load(self, path=None):
        """Load a network from `path` (default: the filename box); a bad file changes nothing."""
        path = self._path(path, "load")
        G = _refuse_os_errors(org.load, path)
        self._bridges_added = 0
        self._set_graph(G, people_changed=True, said=f"Loaded {_size(G)} from {path}.")

    @guarded
    def measure(self):
        """Compute the brokerage table now (automatic up to `MEASURE_LIMIT` people)."""
        self._update_table(force=True)

    def apply(self, setting):
        """Move the builder to a claim's setting (the Assumptions tab calls it): rows of
        `leadership.ASSUMPTIONS` (the others back to their defaults), levers, ``executive_ties``
        (a new organisation); anything else, or a value out of range, raises ``ValueError``."""
        assumed, pulled = leadership.ASSUMPTIONS, leadership.LEVERS
        unknown = sorted(set(setting) - {*assumed, *pulled, "executive_ties"})
        if unknown:
            raise ValueError(f"the builder has no control for {', '.join(unknown)}")
        values = leadership.check_assumptions({k: v for k, v in setting.items() if k in assumed})
        levers = self.levers.replace(**{k: v for k, v in setting.items() if k in pulled})
        ties, now = setting.get("executive_ties"), self._graph.graph.get("executive_ties", 0)
        if ties is not None and ties != now:  # raises before changing anything
            type(self).generate.__wrapped__(self, executive_ties=ties)
        with quiet(self):
            for name, value in values.items():
                self.controls[name].value = value
            self._show_levers(levers)
        self._rerun()

    def _build_controls(self):
        size = {"width": "27em", "description_width": "12em"}
        c = controls_for(org.ORGANISATION, _ORG_CONTROLS[:4], **size)
        c["seed"] = _number("Seed:", "4em", "11em")
        roles = [(ROLE_STYLE[r]["label"], r) for r in org.ROLES]
        kinds = [("informal", "informal"), ("formal (chart)", "formal"), ("bridge", "bridge")]
        measure_on = [
            ("all ties (the chart and the informal network)", "all"),
            ("informal and bridge ties (who works with whom)", "informal"),
        ]
        presets = [_OWN, *dict.fromkeys([*leadership.SCENARIOS, *leadership.COMBINATIONS])]
        dropdowns = {  # name: description, options, label width, width, value
            "person": ("Person:", [], "5em", "21em", None),
            "role": ("New role:", roles, "5em", "17em", "member"),
            "team": ("Team:", [("same team", -2)], "3.5em", "12em", -2),
            "tie_from": ("Tie from:", [], "5em", "21em", None),
            "tie_to": ("to:", [], "5em", "21em", None),
            "tie_kind": ("Kind:", kinds, "3.5em", "13em", "informal"),
            "bridge_team_a": ("Bridge team:", [0], "7em", "13em", 0),
            "bridge_team_b": ("and team:", [0], "7em", "13em", 0),
            "measure_on": ("Measure on:", measure_on, "7em", "34em", "all"),
            "preset": ("Start from:", presets, "12em", "34em", _OWN),
            "runs": ("Runs:", list(self.RUN_OPTIONS), "4em", "10em", 50),
        }
        for name, (text, options, label_width, width, value) in dropdowns.items():
            look = _look(label_width, width)
            c[name] = widgets.Dropdown(options=options, value=value, description=text, **look)
        width = replace(leadership.LEVERS["bridge_width"], label="Ties in the bridge")
        c["bridge_ties"] = control_for("bridge_ties", width, width="24em", description_width="12em")
        c.update(controls_for(leadership.LEVERS, width="21.5em", description_width="8.6em"))
        c.update(controls_for(leadership.ASSUMPTIONS, width="25em", description_width="10em"))
        r = self.ROUNDS
        c["round"] = widgets.IntSlider(r, 0, r, description="Round:", **_look("12em", "27em"))
        c["play"] = widgets.Play(
            value=r, min=0, max=r, interval=450, description="Play the rounds", show_repeat=False
        )
        widgets.jslink((c["play"], "value"), (c["round"], "value"))
        c["run_seed"] = _number("Run seed:", "6em", "13em")
        look = _look("6em", "30em")
        c["filename"] = widgets.Text("my_organisation.json", description="File name:", **look)
        self.controls = c
        wide = widgets.Layout(width="auto", min_width="7em")
        self.buttons = {
            name: widgets.Button(description=text, tooltip=tip, icon=icon, layout=wide)
            for name, (text, tip, icon) in _BUTTONS.items()
        }
        self.buttons["compare"].button_style = "primary"
        box = _look(0, "25em")  # one shared layout
        self.scenario_boxes = {
            n: widgets.Checkbox(n in _COMPARE_DEFAULT, description=n, indent=False, **box)
            for n in _COMPARE_NAMES
        }
        look = _look("5em", "24em", visibility="hidden")
        self.progress = widgets.IntProgress(0, min=0, max=1, description="Running:", **look)
        self.brokerage_table = _html("senge-brokerage")
        self.generate_note = widgets.HTML()

    def _tabs(self):
        c, b = self.controls, self.buttons
        boxes = list(self.scenario_boxes.values())
        half = (len(boxes) + 1) // 2
        bold = '<p style="margin:2px 0 0 1em;color:#1a1a1a;font-weight:bold">'
        levers = [
            widgets.VBox([widgets.HTML(f"{bold}{title}</p>"), *(c[name] for name in names)])
            for title, names in _LEVER_GROUPS.items()
        ]
        files = widgets.HTML(
            f"{_P}A name ending in <code>.json</code> saves the course's own format; "
            "<code>.graphml</code> opens in network tools such as Gephi or yEd. Files "
            "go to the notebook's folder unless the name includes a folder.</p>"
        )
        table, play = self.brokerage_table, [c["play"], b["step"], b["reset"], c["round"]]
        play.append(c["run_seed"])
        columns = [widgets.VBox(boxes[:half]), widgets.VBox(boxes[half:])]
        run = [c["runs"], b["compare"], self.progress]
        tabs = (
            (
                "Generate an organisation",
                [c["teams"], c["team_size"]],
                [c["executives"], c["executive_ties"]],
                [c["seed"], b["generate"]],
                self.generate_note,
                "Edit it: roles, ties and bridges",
                [c["person"], c["role"], c["team"], b["set_role"]],
                [c["tie_from"], c["tie_to"], c["tie_kind"]],
                [b["add_tie"], b["remove_tie"]],
                [c["bridge_team_a"], c["bridge_team_b"], c["bridge_ties"], b["add_bridge"]],
            ),
            ("Who is placed to broker between teams?", [c["measure_on"], b["measure"]], table),
            ("The three kinds of leader's levers", c["preset"], levers, "Watch it spread", play),
            ("Compare scenarios over many runs", columns, run, self.compare_view),
            (
                "The model's assumptions: calibrated, not estimated",
                *_pairs([c[name] for name in leadership.ASSUMPTIONS]),
                "The claims this app shows, and where they fail",
                self.assumptions,
            ),
            ("Save the network, or load one", [c["filename"], b["save"], b["load"]], files),
        )
        return [widgets.VBox([_part(p) for p in parts]) for parts in tabs]

    def _wire(self):
        c, b = self.controls, self.buttons
        for name in _ORG_CONTROLS:
            c[name].observe(self._on_pending, names="value")
        for name in ("person", "tie_from", "tie_to", "round"):
            c[name].observe(self._on_redraw, names="value")
        for name in (*leadership.LEVERS, *leadership.ASSUMPTIONS, "run_seed", "preset"):
            c[name].observe(self._on_levers, names="value")
        c["measure_on"].observe(lambda _: self._update_table(), names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        team = c["team"]
        values = lambda *names: [c[name].value for name in names]  # noqa: E731
        clicks = {
            "generate": self.generate,
            "set_role": lambda: self.set_role(
                *values("person", "role"), None if team.value == -2 else team.value
            ),
            "add_tie": lambda: self.add_tie(*values("tie_from", "tie_to", "tie_kind")),
            "remove_tie": lambda: self.remove_tie(*values("tie_from", "tie_to")),
            "add_bridge": lambda: self.add_bridge(
                *values("bridge_team_a", "bridge_team_b", "bridge_ties")
            ),
            "measure": self.measure,
            "step": lambda: self.show_round(min(self.round + 1, self.ROUNDS)),
            "reset": lambda: self.show_round(0),
            "compare": self.compare,
            "save": self.save,
            "load": self.load,
        }
        for name, action in clicks.items():
            b[name].on_click(lambda _, action=action: action())

    def _show_levers(self, levers):
        """Set the lever controls to `levers` (clipped to the controls' ranges) and the preset."""
        for name in leadership.LEVERS:
            control = self.controls[name]
            control.value = min(max(getattr(levers, name), control.min), control.max)
        self._sync_preset()

    def _sync_preset(self):
        current, preset = self.levers, self.controls["preset"]
        names = preset.options[1:]
        preset.value = next((n for n in names if leadership.scenario(n) == current), _OWN)

    def _on_pending(self, change=None):
        if self._busy:
            return
        c = self.controls
        execs, teams, size = c["executives"].value, c["teams"].value, c["team_size"].value
        self.generate_note.value = (
            f"{_P}<strong>Press Generate</strong> to build an organisation of "
            f"{execs + teams * size} people: {execs} executives and {teams} teams of {size}.</p>"
        )

    def _on_redraw(self, change=None):
        if not self._busy:
            self._draw()

    def _on_levers(self, change):
        """A lever, the run seed or the preset changed: sync the other, rerun the model."""
        if self._busy or change["new"] == _OWN:
            return
        with quiet(self):
            if change["owner"] is self.controls["preset"]:
                self._show_levers(leadership.scenario(change["new"]))
            else:
                self._sync_preset()
        self._rerun()

    def _on_tab(self, change=None):
        index = self.tabs.selected_index
        self._mode = {_RUN: "states", _MEASURE: "measure"}.get(index, "roles")
        self._show_views()
        if index != _COMPARE:
            self._draw()

    def _path(self, path, action):
        text = self.controls["filename"].value if path is None else os.fspath(path)
        if not isinstance(text, str) or not text.strip():
            raise ValueError("type a file name ending in .json or .graphml")
        if path is not None:
            with quiet(self):
                self.controls["filename"].value = text.strip()
        # the rule of every app's files: only inside the course's working folder
        return files.check_inside(Path(text.strip()), action=action, what="the network")

    def _edit_tie(self, u, v, said, edit, **kwargs):
        a, b = org.find_person(self._graph, u, "u"), org.find_person(self._graph, v, "v")
        G = edit(self._graph, a, b, **kwargs)
        self._set_graph(G, ties_changed=True, said=f"{said} {_name(G, a, b)}.")

    def _set_graph(self, G, *, people_changed=False, ties_changed=False, said=""):
        """Make `G` current: layout (if people changed), controls, run, table, drawing, message."""
        org.validate_organisation(G)
        self._graph = G
        if people_changed or ties_changed:
            self._version += 1
            self._cache.clear()
        if people_changed:
            self._positions = org.hierarchy_layout(G) if G.number_of_nodes() <= DRAW_LIMIT else None
            self.layouts_computed += self._positions is not None
            self._layout_changed = True
            self.generate_note.value = ""
        with quiet(self):
            self._refresh_choices(people_changed)
            self._fit_levers()
        self._show_views()
        self._rerun(draw=False)
        self._draw()  # the figure first: the brokerage table can take longer (new ties)
        self._update_table()
        self.show_message(said)

    def _refresh_choices(self, people_changed):
        G, c = self._graph, self.controls
        n = G.number_of_nodes()
        options = [(person_label(G, v), v) for v in range(n)]
        for name in ("person", "tie_from", "tie_to"):
            keep = c[name].value
            c[name].options = options
            if not people_changed and keep is not None and keep < n:
                c[name].value = keep
        if people_changed:  # start on team members: the people roles and ties are about
            members = [v for v in range(n) if G.nodes[v]["role"] in ("member", "networker")]
            first = members[0] if members else 0
            last = members[-1] if len(members) > 1 else min(1, n - 1)
            c["person"].value = c["tie_from"].value = first
            c["tie_to"].value = last if last != first else (first + 1) % n
        teams = int(G.graph["teams"])
        team_options = [("same team", -2), *[(str(t), t) for t in range(teams)]]
        if list(c["team"].options) != team_options:
            c["team"].options, c["team"].value = team_options, -2
        if list(c["bridge_team_a"].options) != list(range(teams)):
            for side, value in (("a", 0), ("b", min(1, max(teams - 1, 0)))):
                c[f"bridge_team_{side}"].options = list(range(max(teams, 1)))
                c[f"bridge_team_{side}"].value = value

    def _fit_levers(self):
        """Set the lever sliders' ranges to what this organisation allows."""
        G, c = self._graph, self.controls
        teams = int(G.graph["teams"])
        members = sum(1 for _, r in G.nodes(data="role") if r == "member")
        c["pilot_teams"].max = max(teams, 1)
        most = leadership.LEVERS["networkers"].control_high
        c["networkers"].max = min(members, most) if teams >= 2 else 0
        c["networkers"].disabled = teams < 2 or members == 0
        c["teams_spanned"].max = max(teams - 1, 1)
        for name in ("pilot_teams", "networkers", "teams_spanned"):
            control = c[name]
            control.value = min(max(control.value, control.min), control.max)

    def _rerun(self, draw=True):
        """Run the model on the current network and levers; show the last round."""
        seed, a = int(self.controls["run_seed"].value), self.assumption_values
        try:
            G, r = self._graph, self.ROUNDS
            self.result = leadership.simulate(G, self.levers, seed=seed, rounds=r, assumptions=a)
        except (ValueError, TypeError) as exc:
            self.result = None
            self.show_message(f"The levers do not fit this network: {exc}", kind="error")
        with quiet(self):
            self.controls["round"].value = self.ROUNDS
        if draw:
            self._draw()

    def _cached(self, key, compute, force):
        """`compute()`, cached per version of the ties; None above `MEASURE_LIMIT` unless forced."""
        key = (self._version, *key)
        if key not in self._cache:
            if self._graph.number_of_nodes() > MEASURE_LIMIT and not force:
                return None
            self._cache[key] = compute()
        return self._cache[key]

    def _rows(self, kinds, force=False):
        """The brokerage rows measured on `kinds`, highest betweenness first."""

        def measure():
            rows = brokerage.brokerage(self._graph, kinds=kinds, seed=1)
            return sorted(rows, key=lambda r: (-r.betweenness, r.person))

        return self._cached((kinds,), measure, force)

    def _suggestions(self, force=False):
        G = self._graph
        executives = frozenset(v for v, r in G.nodes(data="role") if r == "executive")
        suggest = brokerage.suggest_networkers
        return self._cached(("suggest", executives), lambda: suggest(G, SUGGESTIONS, seed=1), force)

    @guarded
    def _update_table(self, force=False):
        G = self._graph
        kinds = _MEASURE_KINDS[self.controls["measure_on"].value]
        rows, found = self._rows(kinds, force), self._suggestions(force)
        big = G.number_of_nodes() > MEASURE_LIMIT
        self.buttons["measure"].layout.display = "" if big else "none"
        if rows is None or found is None:
            self.brokerage_table.value = (
                f"{_P}This organisation has {G.number_of_nodes()} people: measuring brokerage "
                f"takes a few seconds above {MEASURE_LIMIT}. Press <strong>Measure "
                "brokerage</strong>.</p>"
            )
            return
        top = rows[:TABLE_ROWS]
        body = ""
        for r in top:
            who = (G.nodes[r.person]["label"], _role_text(G, r.person), r.degree)
            how = (f"{r.betweenness:.3f}", _fmt(r.constraint, 2), _fmt(r.effective_size, 1))
            body += _row("td", *who, *how, r.network_role or "-")
        items = "".join(
            f"<li><strong>{html.escape(s.label)}</strong> ({html.escape(_role_text(G, s.person))}): "
            f"ties into {s.teams_reached} other team{'s' if s.teams_reached != 1 else ''}; "
            f"betweenness {s.betweenness:.3f}, constraint {_fmt(s.constraint, 2)}, "
            f"effective size {_fmt(s.effective_size, 1)}</li>"
            for s in found
        )
        on = "all ties" if kinds is None else "informal and bridge ties only"
        self.brokerage_table.value = (
            '<div style="color:#1a1a1a;max-width:62em">'
            '<table style="border-collapse:collapse;font-size:90%">'
            f'<caption style="text-align:left;padding:2px 0">The {len(top)} people with the '
            f"highest betweenness, measured on {on}</caption>"
            f"<thead>{_row('th', *_COLUMNS)}</thead><tbody>{body}</tbody>"
            '</table><p style="margin:6px 0 2px">Suggested internal networkers (ringed in the '
            "drawing): ranked on the informal network by the number of other teams their ties "
            "reach, then betweenness, then low constraint; executives are left out (rank is not "
            f"reach).</p><ol style='margin:0'>{items}</ol></div>"
        )

    def _show_views(self):
        compare = self.tabs.selected_index == _COMPARE
        self.network_view.layout.display = "" if self.drawn and not compare else "none"
        self.aggregate_view.layout.display = "none" if self.drawn or compare else ""
        note = (
            '<p style="color:#1a1a1a;border-left:4px solid #0D47A1;padding:2px 8px">'
            f"<strong>Note:</strong> this organisation has {self._graph.number_of_nodes()} "
            f"people, more than the {DRAW_LIMIT} the drawing shows one by one. The plots show "
            "the shares instead: committed and compliant by round, and committed by team. "
            "Editing, measuring and comparing still work.</p>"
        )
        self.limit_note.value = "" if self.drawn or compare else note

    def _draw(self):
        if self._graph is not None:
            (self._draw_network if self.drawn else self._draw_aggregate)()

    def _build_network_figure(self):
        fig = self.network_view.figure
        fig.set_layout_engine(None)
        ax = self._ax = fig.add_axes((0.005, 0.13, 0.655, 0.82))
        ax.set_axis_off()
        self._edge_art = {
            kind: ax.add_collection(LineCollection([], zorder=1, **look))
            for kind, look in _EDGE_LOOK.items()
        }
        self._dots = {
            (role, state): ax.scatter(
                [], [], marker=ROLE_STYLE[role]["marker"], linewidth=0.6, zorder=3, **_looks(state)
            )
            for role in org.ROLES
            for state in _STATES
        }
        (self._tie_line,) = ax.plot([], [], color="black", linestyle=":", linewidth=1.6, zorder=2)
        ring = {"s": 260, "facecolor": "none", "edgecolor": "black", "linewidth": 1.8, "zorder": 4}
        self._rings = ax.scatter([], [], **ring)
        label = {"fontsize": 8, "color": "#1a1a1a", "zorder": 5, "fontweight": "bold"}
        self._ring_text = [ax.text(0, 0, "", **label) for _ in range(SUGGESTIONS)]
        self._caption = ax.text(0, 1, "", transform=ax.transAxes, fontsize=10, va="top")
        self._team_text = []
        self._curve = _spread_axes(fig.add_axes((0.735, 0.2, 0.25, 0.7)), "The latest run")
        # everything drawn so far changes in place (the team labels, added later, do not)
        self.network_view.animate(*ax.collections, *ax.lines, *ax.texts, *self._curve)
        self._layout_changed = True
        self._legend_shown = self._edges_drawn = None
        self._layouts = 0  # layouts drawn: static layers are cached per layout, mode and legend

    def _marks(self):
        """The legend's names of what the drawing's artists draw now, in the legend's order."""
        states, order = self._mode == "states", _legend_order()
        artists = (*self._ax.collections, *self._ax.lines)
        named = {name for a in artists for name in self._names_of(a, states)}
        return [name for name in order if name in named] + sorted(named - set(order))

    def _names_of(self, artist, states):
        """The legend entries `artist` stands for (none when it draws nothing)."""
        if isinstance(artist, Line2D):
            if len(artist.get_xdata()) == 0:
                return ()
            return (_PREVIEW,) if artist is self._tie_line else (f"unnamed line {artist!r}",)
        empty = len(artist.get_paths()) == 0  # a tie collection: one path per tie drawn
        for kind, art in self._edge_art.items():
            if artist is art:
                return () if empty else (_TIE_WORDS[kind],)
        if len(artist.get_offsets()) == 0:
            return ()
        if artist is self._rings:
            return (_RING_WORDS[self._mode],)
        for (role, state), dots in self._dots.items():
            if artist is dots:
                role_said = ROLE_STYLE[role]["label"]
                return (role_said, STATE_STYLE[state]["label"]) if states else (role_said,)
        return (f"unnamed mark {artist!r}",)

    def _legend(self, names):
        """The legend under the drawing: one entry for each kind of mark drawn (`names`)."""
        states = self._mode == "states"
        handles = [h for h in (_legend_handle(n, states) for n in names) if h is not None]
        tight = {"handletextpad": 0.3, "columnspacing": 0.9, "fontsize": 8, "frameon": False}
        below = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.01)}
        ncol = max(1, math.ceil(len(handles) / 3))  # three rows
        self._ax.legend(handles=handles, ncol=ncol, **below, **tight)

    def _draw_network(self):
        G, xy, mode, r = self._graph, self._positions, self._mode, self.result
        view, ax = self.network_view, self._ax
        if self._layout_changed:
            self._layout_changed = False
            ax.set_xlim(xy[:, 0].min() - 1.0, xy[:, 0].max() + 1.0)
            ax.set_ylim(xy[:, 1].min() - 0.6, xy[:, 1].max() + 0.9)
            for text in self._team_text:
                text.remove()
            team = np.array([G.nodes[v]["team"] for v in range(len(xy))])
            teams = int(G.graph["teams"])
            label = {"ha": "center", "va": "top", "fontsize": 8, "color": "#1a1a1a"}
            self._team_text = [
                ax.text(
                    xy[team == t, 0].mean(), xy[team == t, 1].min() - 0.45, f"team {t}", **label
                )
                for t in range(teams if teams <= 12 else 0)
                if np.any(team == t)
            ]
            self._size = float(np.clip(2600 / max(len(xy), 1), 14, 70))
            self._legend_shown, self._layouts = None, self._layouts + 1
        # the network drawn: in the run view, the one simulated (with the networkers added)
        running = mode == "states" and r is not None
        shown = r.graph if running else G
        self._set_edges(shown, xy)
        roles = np.array([shown.nodes[v]["role"] for v in range(len(xy))])
        t = self.round
        committed = r.committed_at(t) if running else np.zeros(len(xy), dtype=bool)
        compliant = self._compliant_at(t) & ~committed if running else committed
        masks = {"committed": committed, "compliant": compliant, "none": ~committed & ~compliant}
        for (role, state), dots in self._dots.items():
            dots.set_offsets(xy[(roles == role) & masks[state]])
            dots.set_sizes([self._size * (1.5 if role in ("executive", "line_leader") else 1.0)])
            if state == "none":
                look = STATE_STYLE["none"] if mode == "states" else ROLE_STYLE[role]
                dots.set_facecolor(look["color"])
        self._draw_marks(mode)
        names = self._marks()
        if (mode, names) != self._legend_shown:  # the legend: every kind of mark drawn
            self._legend_shown = (mode, names)
            self._legend(names)  # a legend seen before with this layout: its cached layer
            view.invalidate(key=(self._layouts, mode, tuple(names)))
        _show_spread(self._curve, r, t)
        captions = {
            "states": f"Round {t} of {self.ROUNDS}",
            "measure": "Suggested internal networkers, ringed",
        }
        building = self._building()
        caption = (
            "Roles: the person picked is ringed, the tie to add dotted" if building else "Roles"
        )
        self._caption.set_text(captions.get(mode, caption))
        view.render(self._network_summary())

    def _building(self):
        """True while the Build tab's previews are drawn (the Build tab is open)."""
        return self._mode == "roles" and self.tabs.selected_index == _BUILD

    def _set_edges(self, shown, xy):
        # the organisation's ties change only with its version (a role edit keeps them); a run's
        # graph is kept by reference, so that "the same graph" cannot be a recycled id
        drawn = ("built", self._version) if shown is self._graph else (shown, self._version)
        if self._edges_drawn is not None and self._edges_drawn == drawn:
            return
        self._edges_drawn = drawn
        segments = {kind: [] for kind in org.KINDS}
        for u, v, kind in shown.edges(data="kind"):
            segments[kind].append((xy[u], xy[v]))
        for kind, art in self._edge_art.items():
            art.set_segments(segments[kind])

    def _compliant_at(self, t):
        """Who is compliant after round `t`: as many as the share says, the mandated first."""
        r = self.result
        mask = np.zeros(len(r.nodes), dtype=bool)
        count = int(round(float(r.compliant_by_round[t]) * len(r.nodes)))
        if count:
            committed = r.committed_at(t)
            mask[[v for v in r.mandated if not committed[v]][:count]] = True
        return mask

    def _draw_marks(self, mode):
        """Ring the person picked (Build), the suggested networkers (Measure) or the networkers."""
        xy, c = self._positions, self.controls
        ringed, labels = [], []
        self._tie_line.set_data([], [])
        if mode == "roles" and self._building():
            ringed = [] if c["person"].value is None else [c["person"].value]
            a, b = c["tie_from"].value, c["tie_to"].value
            if a is not None and b is not None and a != b:
                self._tie_line.set_data(xy[[a, b], 0], xy[[a, b], 1])
        elif mode == "measure":
            found = self._suggestions() or []
            ringed = [s.person for s in found]
            labels = [f"{i + 1}. {s.label}" for i, s in enumerate(found)]
        elif mode == "states" and self.result is not None:
            ringed = list(self.result.networkers)
        self._rings.set_offsets(xy[ringed] if ringed else np.empty((0, 2)))
        for i, text in enumerate(self._ring_text):
            text.set_text(labels[i] if i < len(labels) else "")
            if i < len(labels):
                text.set_position(xy[ringed[i]] + (0.35, 0.3))

    def _network_summary(self):
        r, who = self.result, org.describe(self._graph)
        if self._mode == "states":
            if r is None:
                return f"The organisation: {who}. The levers do not fit it: nothing was run."
            ringed = ""
            if r.networkers:
                bridges = sum(1 for *_, kind in r.graph.edges(data="kind") if kind == "bridge")
                ringed = f" Ringed: the {len(r.networkers)} internal networkers; the {bridges} "
                ringed += "bridge ties are dashed."
            shapes = "the shapes show roles and the colours states"
            return f"{self._round_said()}; {shapes}.{ringed} {r.summary}"
        text = (
            f"The organisation: {who}. Executives are drawn on top, each line leader above "
            "their team; colours and shapes show roles, dashed lines bridge ties."
        )
        found = (self._suggestions() if self._mode == "measure" else None) or []
        ringed = f" Ringed: the suggested internal networkers {', '.join(s.label for s in found)}."
        if self._building():
            return text + self._previews_said()
        return text + ringed if found else text

    def _previews_said(self):
        """What the Build tab's previews show: the person picked and the tie to add or remove."""
        G, c = self._graph, self.controls
        said = ""
        if c["person"].value is not None:
            said += f" Ringed: {G.nodes[c['person'].value]['label']}, the person picked (Build)."
        a, b = c["tie_from"].value, c["tie_to"].value
        if a is not None and b is not None and a != b:
            said += f" Dotted: the tie to add or remove, between {_name(G, a, b)}."
        return said

    def _round_said(self):
        r, t, n = self.result, self.round, self._graph.number_of_nodes()
        committed = int(r.committed_at(t).sum())
        rows, values = leadership.ASSUMPTIONS, self.assumption_values.items()
        changed = [f"{rows[k].label.lower()} {v:g}" for k, v in values if v != rows[k].default]
        assumed = f" (assumptions changed: {', '.join(changed)})" if changed else ""
        return (
            f"Round {t} of {self.ROUNDS}: {committed} of {n} people committed "
            f"({committed / n:.0%}), {float(r.compliant_by_round[t]):.0%} compliant{assumed}"
        )

    def _build_aggregate_figure(self):
        fig = self.aggregate_view.figure
        fig.set_layout_engine(None)  # fixed margins: redrawn on every round, so keep it quick
        spread, self._agg_bars = fig.subplots(1, 2, width_ratios=(1, 1.3))
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        self._agg_spread = _spread_axes(spread, "Committed and compliant by round")
        style_axes(self._agg_bars, xlabel="team", ylabel="share of the team")
        self._agg_bars.set_ylim(0, 1.02)
        self._bar_set = None

    def _draw_aggregate(self):
        G, r, t, bars = self._graph, self.result, self.round, self._agg_bars
        n, teams = G.number_of_nodes(), int(G.graph["teams"])
        bars.set_title(f"Committed by team after round {t}", fontsize=11, loc="left")
        if self._bar_set is not None:
            self._bar_set.remove()
            self._bar_set = None
        _show_spread(self._agg_spread, r, t)
        said = f"An organisation of {n} people in {teams} teams"
        if r is None:
            self.aggregate_view.render(f"{said}; nothing was run.")
            return
        committed, team = r.committed_at(t), np.array([G.nodes[v]["team"] for v in range(n)])
        shares = [committed[team == k].mean() if np.any(team == k) else 0.0 for k in range(teams)]
        look = {"color": OKABE_ITO["green"], "edgecolor": "black", "linewidth": 0.5}
        self._bar_set = bars.bar(range(teams), shares, **look)
        bars.set_xlim(-0.6, max(teams, 1) - 0.4)
        full = sum(share >= 0.8 for share in shares)
        self.aggregate_view.render(
            f"{said} (too many to draw one by one). {self._round_said()}; {full} of {teams} "
            f"teams are at least 80% committed. {r.summary}"
        )

    def _draw_compare(self):
        comp, ax = self.comparison, self._ax_compare
        ax.clear()
        runs = f" ({comp.runs} runs)" if comp else ""
        title = f"Committed share by round: mean and 5-95% band (hatched){runs}"
        style_axes(ax, title=title, xlabel="round", ylabel="share of people")
        ax.set_ylim(0, 1.02)
        if comp is None:
            text = "No comparison yet: tick the scenarios to compare and press Compare."
            self.compare_view.render(text)
            return
        handles, labels = [], []
        for i, (name, s) in enumerate(comp.scenarios.items()):
            look = series_style(i)
            x = np.arange(len(s.committed_mean))
            # a light fill, then the band's own hatching and outline in the mean line's style:
            # two overlapping bands stay apart without colour (and in greyscale)
            fill = {"color": look["color"], "alpha": 0.1, "linewidth": 0}
            ax.fill_between(x, s.committed_low, s.committed_high, **fill)
            outline = {"facecolor": "none", "edgecolor": look["color"], "alpha": 0.7}
            outline |= {"linewidth": 0.9, "linestyle": look["linestyle"]}
            hatch = _BAND_HATCHES[i % len(_BAND_HATCHES)]
            band = ax.fill_between(x, s.committed_low, s.committed_high, hatch=hatch, **outline)
            (mean,) = ax.plot(x, s.committed_mean, markevery=5, markersize=5, label=name, **look)
            handles.append((band, mean))
            labels.append(name)
            if s.levers.mandate:
                dotted = {"color": look["color"], "linestyle": (0, (1, 1)), "linewidth": 1.2}
                handles += ax.plot(x, s.compliant_mean, label=f"{name} (compliant)", **dotted)
                labels.append(f"{name} (compliant)")
        ax.set_xlim(0, comp.rounds)
        beside = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "fontsize": 8}
        tuples = {tuple: HandlerTuple(ndivide=1)}  # each mean line drawn over its hatched band
        ax.legend(handles, labels, handler_map=tuples, frameon=False, handlelength=2.6, **beside)
        seed = int(self.controls["run_seed"].value)
        bands = "Each scenario's 5-95% band is hatched in its own pattern and outlined in its line's style."
        self.compare_view.render(f"{comp.summary} {bands} On this organisation, run seed {seed}.")


def _look(label_width, width, **layout):
    style = {"description_width": label_width} if label_width else {}
    return {"style": style, "layout": widgets.Layout(width=width, **layout)}


def _number(description, label_width, width):
    look = _look(label_width, width)
    return widgets.BoundedIntText(1, min=0, max=9999, description=description, **look)


def _html(css_class):
    out = widgets.HTML()
    out.add_class(css_class)
    return out


def _pairs(items):
    """`items` in rows of two (lists, which `_part` turns into rows)."""
    return [items[i : i + 2] for i in range(0, len(items), 2)]


def _part(part):
    """A part of a tab: text becomes a heading, a list a row, a widget stays itself."""
    if isinstance(part, str):
        return widgets.HTML(f'<h4 style="margin:6px 0 2px;color:#1a1a1a">{html.escape(part)}</h4>')
    return widgets.HBox(part) if isinstance(part, list) else part


def _row(tag, *cells):
    """One row of the brokerage table (`_COLUMNS`): text left, numbers right."""
    head, pad = (' scope="col"', "2px") if tag == "th" else ("", "1px")
    out = []
    for i, cell in enumerate(cells):
        style = f"text-align:{'right' if 2 <= i <= 5 else 'left'};padding:{pad} 8px"
        out.append(f'<{tag}{head} style="{style}">{html.escape(str(cell))}</{tag}>')
    return f"<tr>{''.join(out)}</tr>"


def _dot(marker, face, label, size):
    look = {"markersize": size, "markerfacecolor": face, "markeredgecolor": "black"}
    return Line2D([], [], linestyle="none", marker=marker, label=label, **look)


def _legend_order():
    """Every legend entry the drawing can have, in the order the legend lists them."""
    roles = [ROLE_STYLE[r]["label"] for r in org.ROLES]
    marks = [*_TIE_WORDS.values(), *_RING_WORDS.values(), _PREVIEW]
    return (*roles, *marks, *(STATE_STYLE[s]["label"] for s in _STATES))


def _legend_handle(name, states):
    """The legend's handle for the entry `name` (None for a name it does not know)."""
    for role in org.ROLES:
        look = ROLE_STYLE[role]
        if name == look["label"]:
            face, size = ("white", 7) if states else (look["color"], 8)
            return _dot(look["marker"], face, name, size)
    for state in _STATES:
        if name == STATE_STYLE[state]["label"]:
            return Patch(label=name, **_looks(state))
    for kind, said in _TIE_WORDS.items():
        if name == said:
            look = {k.rstrip("s"): v for k, v in _EDGE_LOOK[kind].items()}
            return Line2D([], [], label=name, **look)
    if name in _RING_WORDS.values():
        ring = {"markerfacecolor": "none", "markeredgecolor": "black", "markeredgewidth": 1.8}
        return Line2D([], [], linestyle="none", marker="o", markersize=11, label=name, **ring)
    if name == _PREVIEW:
        return Line2D([], [], color="black", linestyle=":", linewidth=1.6, label=name)
    return None


def _looks(state):
    """How people in `state` (a key of `STATE_STYLE`) are filled: colour and hatching."""
    look = STATE_STYLE[state]
    return {"facecolor": look["color"], "edgecolor": "black", "hatch": look["hatch"] or None}


def _spread_axes(ax, title):
    """Style `ax` for the committed and compliant shares by round; return its animated lines."""
    style_axes(ax, title=title, xlabel="round", ylabel="share of people")
    ax.set_xlim(0, leadership.DEFAULT_ROUNDS)
    ax.set_ylim(0, 1.02)
    lines = [
        ax.plot([], [], label=name, markevery=5, markersize=4, **look)[0]
        for name, look in _SPREAD.items()
    ]
    now = ax.axvline(0, color="black", linestyle=":", linewidth=1, label="round shown")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return (*lines, now)


def _show_spread(artists, result, t):
    """Show `result`'s shares by round on the lines of `_spread_axes`, and round `t`."""
    committed, compliant, now = artists
    x = [] if result is None else np.arange(len(result.committed_by_round))
    committed.set_data(x, [] if result is None else result.committed_by_round)
    compliant.set_data(x, [] if result is None else result.compliant_by_round)
    now.set_xdata([t, t])


def _refuse_os_errors(action, *args):
    """Run a file action; a disk error (no folder, no file, no permission) becomes a message."""
    try:
        return action(*args)
    except OSError as exc:
        raise ValueError(str(exc)) from None


def _fmt(x, digits):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _size(G):
    return f"{G.number_of_nodes()} people and {G.number_of_edges()} ties"


def _name(G, a, b):
    return f"{G.nodes[a]['label']} and {G.nodes[b]['label']}"


def _role_text(G, v):
    data = G.nodes[v]
    role = _ROLE_WORDS.get(data.get("role"), str(data.get("role")))
    team = data.get("team", org.NO_TEAM)
    return role if team == org.NO_TEAM else f"{role}, team {team}"
