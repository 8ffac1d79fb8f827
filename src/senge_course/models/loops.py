"""Causal loop diagrams: signed directed graphs, their feedback loops, Senge's archetypes.

A causal loop diagram links variables with arrows marked ``+`` (the effect moves in the same
direction as the cause) or ``-`` (the opposite direction), and ``||`` on links that act after a
delay.  Every closed chain of arrows is a feedback loop: **reinforcing** (R) if the product of its
signs is ``+`` (a change feeds on itself), **balancing** (B) if it is ``-`` (a change is
counteracted).  Senge (1990, *The Fifth Discipline*, appendix 2) catalogues recurring structures,
the *system archetypes*; this module builds five of them and the capability trap of Repenning &
Sterman (2001), and finds every loop of any diagram.

Diagrams are :class:`networkx.DiGraph` objects: each edge has an integer attribute ``sign`` (+1 or
-1), a boolean ``delay`` and, optionally, a ``curve`` to draw it with; each node may have a
``label`` (text to draw).  The graph attribute ``loops`` may name loops, and ``pos`` and
``loop_pos`` may hold a layout.  This module does not import matplotlib:
:func:`senge_course.views.diagrams.draw_loops` draws diagrams.

Examples
--------
Shifting the Burden has two balancing loops and one reinforcing loop:

>>> [(loop.label, loop.name) for loop in find_loops(shifting_the_burden())]
[('B1', 'symptomatic solution'), ('B2', 'fundamental solution'), ('R3', 'side effect')]
"""

import math
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "Loop",
    "capability_trap",
    "causal_graph",
    "eroding_goals",
    "find_loops",
    "fixes_that_fail",
    "limits_to_growth",
    "loop_summary",
    "shifting_the_burden",
    "shifting_the_burden_to_the_intervenor",
]

POLARITIES = {1: "reinforcing", -1: "balancing"}
_SIGN_WORDS = {1: 1, -1: -1, "+": 1, "-": -1, "\N{MINUS SIGN}": -1}


@dataclass(frozen=True)
class Loop:
    """A feedback loop of a causal loop diagram.

    Attributes
    ----------
    label : str
        ``"R"`` or ``"B"`` and a running number, e.g. ``"B1"``.
    polarity : str
        ``"reinforcing"`` (product of signs +) or ``"balancing"`` (product -).
    nodes : tuple
        The variables in the order the loop runs, starting from the one added to the diagram
        first; the loop closes back to ``nodes[0]``.
    signs : tuple of int
        The sign of each link, ``nodes[i] -> nodes[i + 1]`` (the last closes the loop).
    delayed : bool
        Whether any link of the loop acts after a delay.
    name, description : str
        What the loop is called and does, when the diagram names it ("" otherwise).

    Examples
    --------
    The second loop of Fixes that Fail is the reinforcing one, through a delay:

    >>> loop = find_loops(fixes_that_fail())[1]
    >>> loop.label, loop.reinforcing, loop.delayed
    ('R2', True, True)
    >>> loop.links[0]
    ('problem symptom', 'fix')
    """

    label: str
    polarity: str
    nodes: tuple
    signs: tuple
    delayed: bool
    name: str = ""
    description: str = ""

    @property
    def reinforcing(self):
        """True for a reinforcing loop, False for a balancing one."""
        return self.polarity == "reinforcing"

    @property
    def links(self):
        """The loop's links as ``(cause, effect)`` pairs, in order."""
        return tuple(zip(self.nodes, self.nodes[1:] + self.nodes[:1], strict=True))


def causal_graph(links, *, loops=(), labels=None, pos=None, loop_pos=None, curves=None, name=""):
    """Return a causal loop diagram as a signed DiGraph, checking every link.

    Parameters
    ----------
    links : iterable of tuple
        ``(cause, effect, sign)`` or ``(cause, effect, sign, delay)``, with sign +1, -1, ``"+"`` or
        ``"-"`` and delay a bool (default False).
    loops : iterable of tuple, optional
        Loops to name, each ``(nodes, name, description)`` with ``nodes`` in the order the loop
        runs; they get the first labels, in this order.
    labels : dict, optional
        Text to draw for some nodes (default: the node itself).
    pos, loop_pos : dict, optional
        A layout for drawing: node -> (x, y), and loop name -> where to put its label.
    curves : dict, optional
        ``(cause, effect) -> radius``: how much to bow a link when it is drawn (0: straight).
    name : str, optional
        The diagram's title.

    Returns
    -------
    networkx.DiGraph
        Edges carry ``sign`` (+1 or -1) and ``delay``; the graph carries ``name``, ``loops`` and,
        if given, ``pos`` and ``loop_pos``.  A `ValueError` says if a sign is not +1/-1, a delay
        is not a bool, a link is repeated or malformed, or a named loop is not a closed chain.

    Examples
    --------
    A thermostat is one balancing loop; a sign of 0 is refused:

    >>> G = causal_graph([("heating", "temperature", +1), ("temperature", "heating", "-")])
    >>> find_loops(G)[0].polarity
    'balancing'
    >>> causal_graph([("a", "b", 0)])
    Traceback (most recent call last):
    ...
    ValueError: the sign of link 'a' -> 'b' must be +1 or -1 (or '+' or '-'), got sign=0
    """
    G = nx.DiGraph(name=str(name))
    for link in links:
        if not isinstance(link, tuple | list) or len(link) not in (3, 4):
            raise ValueError(
                "each link must be (cause, effect, sign) or (cause, effect, sign, delay), "
                f"got {link!r}"
            )
        u, v, sign = link[:3]
        if G.has_edge(u, v):
            raise ValueError(f"link {u!r} -> {v!r} is given twice; give each link once")
        delay = _checked_delay(u, v, link[3] if len(link) == 4 else False)
        G.add_edge(u, v, sign=_checked_sign(u, v, sign), delay=delay)
    for node, text in (labels or {}).items():
        if node not in G:
            raise ValueError(f"labels names {node!r}, which is not a variable of the diagram")
        G.nodes[node]["label"] = str(text)
    for (u, v), radius in (curves or {}).items():
        G.edges[u, v]["curve"] = float(radius)
    if pos is not None:
        missing = [n for n in G if n not in pos]
        if missing:
            raise ValueError(f"pos must give a position for every variable, missing {missing}")
        G.graph["pos"] = {n: (float(pos[n][0]), float(pos[n][1])) for n in G}
    if loop_pos is not None:
        G.graph["loop_pos"] = dict(loop_pos)
    named = []
    for entry in loops:
        if not isinstance(entry, tuple | list) or len(entry) != 3:
            raise ValueError(f"each named loop must be (nodes, name, description), got {entry!r}")
        nodes, loop_name, description = tuple(entry[0]), entry[1], entry[2]
        for u, v in zip(nodes, nodes[1:] + nodes[:1], strict=True):
            if not G.has_edge(u, v):
                raise ValueError(
                    f"named loop {loop_name!r} is not a closed chain of links: "
                    f"there is no link {u!r} -> {v!r}"
                )
        named.append((nodes, str(loop_name), str(description)))
    G.graph["loops"] = tuple(named)
    return G


def find_loops(G):
    """Return every feedback loop (simple cycle) of a causal loop diagram, each a labelled `Loop`.

    `G` is a DiGraph whose every edge has ``sign`` +1 or -1 (``delay`` optional); anything else
    raises a `TypeError` or `ValueError`.  A loop is reinforcing if the product of its link signs
    is +1 and balancing if it is -1.  Loops named in ``G.graph["loops"]`` come first, in that
    order, with their names; the others follow, shortest first, then by the order their variables
    were added.  Labels number all loops in this order: ``B1, B2, R3, ...``.

    Examples
    --------
    Two variables that raise each other form one reinforcing loop; adding a negative link from a
    third variable adds a balancing loop:

    >>> G = causal_graph([("sales", "word of mouth", +1), ("word of mouth", "sales", +1)])
    >>> [(loop.label, loop.nodes) for loop in find_loops(G)]
    [('R1', ('sales', 'word of mouth'))]
    >>> G.add_edge("sales", "market left", sign=-1)
    >>> G.add_edge("market left", "sales", sign=+1)
    >>> [loop.label for loop in find_loops(G)]
    ['R1', 'B2']
    """
    _check_graph(G)
    order = {node: i for i, node in enumerate(G)}
    named = {
        _canonical(nodes, order): (rank, name, description)
        for rank, (nodes, name, description) in enumerate(G.graph.get("loops", ()))
    }
    cycles = sorted(
        (_canonical(cycle, order) for cycle in nx.simple_cycles(G)),
        key=lambda c: ((0, named[c][0]) if c in named else (1, len(c)), [order[n] for n in c]),
    )
    found = []
    for number, cycle in enumerate(cycles, start=1):
        links = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        signs = tuple(G.edges[u, v]["sign"] for u, v in links)
        polarity = POLARITIES[math.prod(signs)]
        _, name, description = named.get(cycle, (None, "", ""))
        delayed = any(G.edges[u, v].get("delay", False) for u, v in links)
        label = f"{polarity[0].upper()}{number}"
        found.append(Loop(label, polarity, cycle, signs, delayed, name, description))
    return tuple(found)


def loop_summary(G):
    """Return a one-sentence text summary of a diagram and its loops.

    Examples
    --------
    The summary names each loop, its polarity and whether it is delayed:

    >>> loop_summary(fixes_that_fail())
    'Fixes that fail: 3 variables, 4 links and 2 feedback loops: B1 fix (balancing) and R2 \
unintended consequences (reinforcing, delayed).'
    """
    loops = find_loops(G)  # checks G
    parts = [
        f"{loop.label}{f' {loop.name}' if loop.name else ''} "
        f"({loop.polarity}{', delayed' if loop.delayed else ''})"
        for loop in loops
    ]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
    return (
        f"{G.graph.get('name') or 'This diagram'}: {_count(G.number_of_nodes(), 'variable')}, "
        f"{_count(G.number_of_edges(), 'link')} and {_count(len(loops), 'feedback loop')}: "
        f"{listed or 'none'}."
    )


def _burden(symptom, fix, fundamental, side, side_links, loops, name):
    """Shifting the Burden: a quick fix (B1), a lasting solution (B2), a side effect (R3)."""
    return causal_graph(
        [(symptom, fix, +1), (fix, symptom, -1), (symptom, fundamental, +1)]
        + [(fundamental, symptom, -1, True), *side_links],
        loops=[
            ((symptom, fix), *loops[0]),
            ((symptom, fundamental), *loops[1]),
            ((symptom, fix, side, fundamental), *loops[2]),
        ],
        pos={symptom: (0.0, 0.0), fix: (0.0, 1.0), fundamental: (0.0, -1.0), side: (1.2, 0.0)},
        loop_pos={loops[2][0]: (0.6, 0.0)},
        name=name,
    )


def shifting_the_burden():
    """Return Senge's Shifting the Burden archetype.

    A problem symptom can be relieved by a quick symptomatic solution (B1) or, after a delay, by a
    fundamental solution (B2).  The quick fix has a side effect that weakens the fundamental
    solution (R3), so the organisation grows dependent on the fix.  4 variables, 6 links.

    Examples
    --------
    The quick fix and the fundamental solution balance; the side effect reinforces:

    >>> [loop.polarity for loop in find_loops(shifting_the_burden())]
    ['balancing', 'balancing', 'reinforcing']
    """
    fix, fundamental, side = "symptomatic solution", "fundamental solution", "side effect"
    return _burden(
        "problem symptom",
        fix,
        fundamental,
        side,
        [(fix, side, +1), (side, fundamental, -1)],
        [
            ("symptomatic solution", "the quick fix relieves the symptom"),
            ("fundamental solution", "the lasting solution relieves the symptom, after a delay"),
            (
                "side effect",
                "the quick fix's side effect weakens the fundamental solution, "
                "so the organisation comes to depend on the fix",
            ),
        ],
        "Shifting the burden",
    )


def shifting_the_burden_to_the_intervenor():
    """Return Shifting the Burden to the Intervenor: relying on outside helpers.

    Consultants (the intervenor) relieve the problem quickly (B1); the organisation's own problem
    solving would relieve it too, after a delay (B2); but each intervention leaves the
    organisation's own capability weaker, so it solves less itself and calls the consultants again
    (R3).  Senge (1997) notes that consulting solves problems without building the capacity to
    stop creating them.

    Examples
    --------
    The same structure as Shifting the Burden, with the consultants as the quick fix:

    >>> [loop.label for loop in find_loops(shifting_the_burden_to_the_intervenor())]
    ['B1', 'B2', 'R3']
    """
    outside, own, capability = "consultant intervention", "own problem solving", "own capability"
    return _burden(
        "problem symptoms",
        outside,
        own,
        capability,
        [(outside, capability, -1, True), (capability, own, +1)],
        [
            ("intervention", "consultants relieve the symptoms quickly"),
            (
                "own problem solving",
                "the organisation's own problem solving relieves them, after a delay",
            ),
            (
                "dependence",
                "each intervention leaves the organisation's own capability weaker, "
                "so it depends more on the intervenor",
            ),
        ],
        "Shifting the burden to the intervenor",
    )


def fixes_that_fail():
    """Return Senge's Fixes that Fail archetype.

    A fix relieves a problem symptom (B1), but after a delay its unintended consequences make the
    problem worse (R2), which calls for more of the fix.  3 variables, 4 links.

    Examples
    --------
    One balancing loop (the fix works) and one reinforcing loop (it backfires):

    >>> [loop.label for loop in find_loops(fixes_that_fail())]
    ['B1', 'R2']
    """
    problem, fix, consequences = "problem symptom", "fix", "unintended consequences"
    return causal_graph(
        [(problem, fix, +1), (fix, problem, -1), (fix, consequences, +1)]
        + [(consequences, problem, +1, True)],
        loops=[
            ((problem, fix), "fix", "the fix relieves the problem symptom"),
            (
                (problem, fix, consequences),
                "unintended consequences",
                "after a delay, the fix's consequences make the problem worse",
            ),
        ],
        pos={problem: (0.0, 0.0), fix: (1.0, 0.6), consequences: (1.0, -0.6)},
        name="Fixes that fail",
    )


def limits_to_growth():
    """Return Senge's Limits to Growth archetype.

    Efforts raise performance, which encourages more effort (R1); but as performance grows it
    triggers a slowing action, set by a limiting condition (outside both loops), that holds
    performance back (B2).  4 variables, 5 links.

    Examples
    --------
    Growth is the reinforcing loop; the limit is the balancing one:

    >>> [(loop.label, loop.name) for loop in find_loops(limits_to_growth())]
    [('R1', 'growth'), ('B2', 'limit')]
    """
    effort, performance = "growing action", "performance"
    slowing, limit = "slowing action", "limiting condition"
    return causal_graph(
        [(effort, performance, +1), (performance, effort, +1), (performance, slowing, +1)]
        + [(slowing, performance, -1), (limit, slowing, +1)],
        loops=[
            ((effort, performance), "growth", "success encourages more of the growing action"),
            (
                (performance, slowing),
                "limit",
                "growth triggers a slowing action that holds performance back",
            ),
        ],
        pos={effort: (-1.0, 0.0), performance: (0.0, 0.0), slowing: (1.0, 0.0), limit: (1.0, -0.8)},
        name="Limits to growth",
    )


def eroding_goals():
    """Return Senge's Eroding Goals archetype.

    A gap between the goal and the actual condition can be closed by action that improves the
    condition, after a delay (B1), or at once by lowering the goal (B2); under pressure the goal
    drifts down.  5 variables, 6 links.

    Examples
    --------
    Both ways of closing the gap are balancing loops; only one improves anything:

    >>> [(loop.label, loop.name) for loop in find_loops(eroding_goals())]
    [('B1', 'corrective action'), ('B2', 'lowering the goal')]
    """
    gap, action, condition = "gap", "action to improve conditions", "condition"
    pressure, goal = "pressure to lower the goal", "goal"
    return causal_graph(
        [(gap, action, +1), (action, condition, +1, True), (condition, gap, -1)]
        + [(gap, pressure, +1), (pressure, goal, -1), (goal, gap, +1)],
        loops=[
            ((gap, action, condition), "corrective action", "action closes the gap, after a delay"),
            (
                (gap, pressure, goal),
                "lowering the goal",
                "lowering the goal closes the gap at once",
            ),
        ],
        pos={gap: (0.0, 0.0), action: (1.0, 0.7), condition: (1.0, -0.7)}
        | {pressure: (-1.0, 0.7), goal: (-1.0, -0.7)},
        name="Eroding goals",
    )


def capability_trap(*, attribution=False):
    """Return the capability trap's causal loop diagram (Repenning & Sterman 2001, 2002).

    A performance gap creates pressure.  Working harder closes it fast (B1, work harder); improving
    closes it slowly, after a delay (B2, work smarter).  But time spent working is time not spent
    improving, so working harder erodes capability, which widens the gap (R3, capability
    erosion).  R4 (climate erosion) is the course's extension of Repenning & Sterman: pressure
    under control drains the climate for improvement that makes improvement effective (one stock
    that lumps trust, psychological safety and commitment; :mod:`senge_course.models.capability`
    switches it off with ``pressure_drain=0``).  Both reinforcing loops can run either way, as
    virtuous or vicious circles.  The target and control act from outside the loops.  10
    variables, 13 links.  Each loop's ``source`` (``G.graph["sources"]``) says whose it is.

    With `attribution`, the diagram adds Repenning & Sterman's (2002) attribution loops, which
    the model switches on with a regime's ``attribution``: managers who put the gap down to low
    effort push for work, which closes the gap at first (B5, self-confirming attribution), and
    tighten control, which drains the climate (R6, attribution erodes the climate).

    Examples
    --------
    Two balancing loops close the gap; two reinforcing loops can widen it, one of them ours:

    >>> [(loop.label, loop.name) for loop in find_loops(capability_trap())]
    [('B1', 'work harder'), ('B2', 'work smarter'), ('R3', 'capability erosion'), \
('R4', 'climate erosion (our extension)')]
    >>> capability_trap().graph["sources"]["climate erosion (our extension)"]
    'the course'
    >>> [loop.label for loop in find_loops(capability_trap(attribution=True))][4:]
    ['B5', 'R6', 'R7', 'R8']
    """
    gap = "performance gap"
    work_pressure, working = "pressure to do work", "time spent working"
    improve_pressure, improving = "pressure to improve", "time spent improving"
    performance, capability = "actual performance", "process capability"
    climate, target, control = "climate for improvement", "desired performance", "control"
    blame = "attribution to effort"
    links = [(target, gap, +1), (gap, work_pressure, +1), (work_pressure, working, +1)]
    links += [(working, performance, +1), (performance, gap, -1), (gap, improve_pressure, +1)]
    links += [(improve_pressure, improving, +1), (improving, capability, +1, True)]
    links += [(capability, performance, +1), (working, improving, -1)]
    links += [(work_pressure, climate, -1), (climate, capability, +1, True), (control, climate, -1)]
    research, ours = "Repenning & Sterman (2001)", "the course"
    loops = [
        (
            (gap, work_pressure, working, performance),
            "work harder",
            "more time working closes the gap fast",
            research,
        ),
        (
            (gap, improve_pressure, improving, capability, performance),
            "work smarter",
            "improvement closes the gap slowly, after a delay: worse before better",
            research,
        ),
        (
            (gap, work_pressure, working, improving, capability, performance),
            "capability erosion",
            "time taken from improvement lets capability erode, widening the gap "
            "(run the other way, freed time is reinvested in improvement)",
            research,
        ),
        (
            (gap, work_pressure, climate, capability, performance),
            "climate erosion (our extension)",
            "the course's extension of Repenning & Sterman: pressure under control drains the "
            "climate for improvement, so improvement works less and the gap widens",
            ours,
        ),
    ]
    # The layout: the links form a non-planar graph, so one crossing is unavoidable; here it is
    # "time spent working -> time spent improving" crossing "climate -> process capability",
    # with "actual performance -> performance gap" drawn as an arc over the top.  The space
    # between the gap, the pressure to do work and control is where attribution goes.
    pos = {gap: (0.0, 0.8), target: (0.0, -3.0), work_pressure: (2.7, 2.4), working: (5.0, 2.4)}
    pos |= {performance: (7.6, 0.8), improve_pressure: (3.0, -3.0), improving: (5.0, -3.0)}
    pos |= {capability: (7.6, -3.0), climate: (4.15, -0.55), control: (2.85, -2.0)}
    loop_pos = {"work harder": (3.85, 3.0), "work smarter": (4.0, -2.25)}
    loop_pos |= {"capability erosion": (6.5, -1.2), "climate erosion (our extension)": (4.1, 0.75)}
    if attribution:
        links += [(gap, blame, +1, True), (blame, work_pressure, +1), (blame, control, +1)]
        research = "Repenning & Sterman (2002)"
        loops += [
            (
                (gap, blame, work_pressure, working, performance),
                "self-confirming attribution",
                "managers who blame effort push for work, and output rises: it seems to confirm "
                "their view",
                research,
            ),
            (
                (gap, blame, control, climate, capability, performance),
                "attribution tightens control",
                "managers who blame effort tighten control, which drains the climate",
                research,
            ),
            (
                (gap, blame, work_pressure, working, improving, capability, performance),
                "attribution erodes capability",
                "the push for work takes time from improvement",
                research,
            ),
            (
                (gap, blame, work_pressure, climate, capability, performance),
                "attribution drains the climate",
                "the push for work is pressure that drains the climate (through R4)",
                ours,
            ),
        ]
        pos |= {blame: (1.6, -0.7)}
        loop_pos |= {
            "self-confirming attribution": (1.5, 1.05),
            "attribution erodes capability": (4.65, 1.4),
        }
        loop_pos |= {
            "attribution tightens control": (2.85, -1.0),
            "attribution drains the climate": (2.95, 0.25),
        }
    G = causal_graph(
        links,
        loops=[loop[:3] for loop in loops],
        # labels break before the last word, except two
        labels={n: "\n".join(n.rsplit(" ", 1)) for n in (gap, working, improving, capability)}
        | {n: "\n".join(n.rsplit(" ", 1)) for n in (performance, target, improve_pressure)}
        | {work_pressure: "pressure to\ndo work", climate: "climate for\nimprovement"}
        | ({blame: "attribution\nto effort"} if attribution else {}),
        pos=pos,
        loop_pos=loop_pos,
        # every link straight but the arc over the top and those bowed round attribution
        curves={link[:2]: 0.0 for link in links}
        | {(performance, gap): 0.72, (gap, improve_pressure): 0.15}
        | ({(blame, work_pressure): 0.12, (blame, control): 0.25} if attribution else {}),
        name="The capability trap" + (" with attribution" if attribution else ""),
    )
    G.graph["sources"] = {name: source for _, name, _, source in loops}
    return G


# --------------------------------------------------------------------------- helpers


def _checked_sign(u, v, sign):
    try:
        known = not isinstance(sign, bool) and sign in _SIGN_WORDS
    except TypeError:  # unhashable, e.g. a list
        known = False
    if known:
        return _SIGN_WORDS[sign]
    raise ValueError(
        f"the sign of link {u!r} -> {v!r} must be +1 or -1 (or '+' or '-'), got sign={sign!r}"
    )


def _checked_delay(u, v, delay):
    if not isinstance(delay, bool):
        raise ValueError(
            f"the delay of link {u!r} -> {v!r} must be True or False, got delay={delay!r}"
        )
    return delay


def _check_graph(G):
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise TypeError(
            f"G must be a networkx DiGraph with signed links, got {type(G).__name__}; "
            "build one with causal_graph(...)"
        )
    for u, v, data in G.edges(data=True):
        if "sign" not in data:
            raise ValueError(f"link {u!r} -> {v!r} has no sign; give it sign=+1 or sign=-1")
        sign = data["sign"]
        if isinstance(sign, bool) or sign not in (1, -1):
            raise ValueError(f"the sign of link {u!r} -> {v!r} must be +1 or -1, got sign={sign!r}")
        _checked_delay(u, v, data.get("delay", False))


def _canonical(cycle, order):
    """Rotate a cycle to start at the variable added to the diagram first."""
    cycle = tuple(cycle)
    first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
    return cycle[first:] + cycle[:first]


def _count(n, noun):
    return f"{n} {noun}{'' if n == 1 else 's'}"
