"""Diagrams: causal loop diagrams and the knowledge-creation cycle, drawn from the models' data.

`draw_loops` draws any signed causal graph (`senge_course.models.loops`): systems archetypes, the
capability trap; `draw_cycle` draws the knowledge-creation cycle (`senge_course.models.cycle`) and
what a plan does to each of its links.  Both return what they drew and a text summary.
"""

import math
import textwrap

import networkx as nx

from ..models.cycle import (
    CAPABILITY,
    CONSULTANTS,
    GAP,
    R1_CENTRE,
    R1_CURVE,
    RESULTS,
    cycle_links,
    knowledge_cycle,
    links_summary,
)
from ..models.knowledge import check_consultants
from ..models.loops import find_loops, loop_summary

__all__ = ["draw_cycle", "draw_loops", "layout_problems"]


def draw_loops(G, ax=None, *, pos=None, loop_pos=None, legend=True):
    """Draw a causal loop diagram: curved signed arrows, delay marks and loop labels.

    Variables are drawn as rounded boxes; each link as an arrow, curved by its ``curve``
    attribute if set (matplotlib's ``arc3`` radius: 0 straight), with its sign (``+`` or ``-``, as
    text) by the arrowhead and ``||`` across it if it is delayed; each loop's label (R or B and
    its number), reinforcing loops in vermillion, balancing in blue (Okabe-Ito), the letter
    carrying the same information.  With `legend`, the loops are listed under the diagram.
    Each sign is placed by its arrowhead where it overlaps no other label, box or arrow, if
    such a place is near (`layout_problems` says what still crosses or overlaps).

    Parameters
    ----------
    G : networkx.DiGraph
        A signed diagram (:func:`senge_course.models.loops.causal_graph` or an archetype).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    pos, loop_pos : dict, optional
        Where to put the variables (node -> (x, y); default ``G.graph["pos"]``, else a circle in
        the order they were added) and some loop labels (loop name or label -> (x, y); default
        ``G.graph["loop_pos"]``, else the centre of the loop's variables).
    legend : bool, optional
        List each loop's label, name and polarity under the diagram.

    Returns
    -------
    drawn : dict
        ``ax``, and the artists by key: ``nodes`` (node -> text), ``boxes`` (node -> patch),
        ``links``, ``signs`` and ``delays`` ((u, v) -> arrow or text), ``loops`` (label -> text),
        ``legend`` (text or None), ``pos`` and ``paths`` ((u, v) -> the points along each
        drawn arrow, in data coordinates).
    summary : str
        One sentence describing the diagram and its loops (`loop_summary`).

    Examples
    --------
    Every link gets its sign as text, so the diagram reads without colour:

    >>> from senge_course.models.loops import shifting_the_burden
    >>> drawn, summary = draw_loops(shifting_the_burden())
    >>> sorted(drawn["loops"]), drawn["signs"]["symptomatic solution", "problem symptom"].get_text()
    (['B1', 'B2', 'R3'], '−')
    >>> summary.split(":")[0]
    'Shifting the burden'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    from ..style import OKABE_ITO

    loops = find_loops(G)  # checks G
    summary = loop_summary(G)
    if pos is None:
        pos = G.graph.get("pos") or nx.circular_layout(list(G))
    missing = [n for n in G if n not in pos]
    if missing:
        raise ValueError(f"pos must give a position for every variable, missing {missing}")
    pos = {n: (float(pos[n][0]), float(pos[n][1])) for n in G}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    margin = 0.16 * span
    width = max(xs) - min(xs) + 2 * margin
    height = max(ys) - min(ys) + 2 * margin
    if ax is None:
        extra = 0.25 * len(loops) + 0.6 if legend else 0.6
        _, ax = plt.subplots(figsize=(8, min(max(8 * height / width, 3.0), 8.0) + extra))
    ax.set_xlim(min(xs) - margin, max(xs) + margin)
    ax.set_ylim(min(ys) - margin, max(ys) + margin)
    ax.set_aspect("equal")
    ax.set_axis_off()
    title = G.graph.get("name")
    if title:
        ax.set_title(title)
    ax.apply_aspect()  # fix the axes' shape now, so text measured below keeps its size

    # variables: text first, then a box sized from the text's measured extent
    to_data = ax.transData.inverted()
    nodes, boxes, half_sizes = {}, {}, {}
    for n in G:
        text = G.nodes[n].get("label") or "\n".join(textwrap.wrap(str(n), 14))
        nodes[n] = ax.text(*pos[n], text, ha="center", va="center", fontsize=9, zorder=4)
        extent = nodes[n].get_window_extent()
        (x0, y0), (x1, y1) = to_data.transform([(extent.x0, extent.y0), (extent.x1, extent.y1)])
        pad = 0.02 * span
        half_sizes[n] = (abs(x1 - x0) / 2 + pad, abs(y1 - y0) / 2 + pad)
        w, h = half_sizes[n]
        rounded = f"round,pad=0,rounding_size={0.4 * min(w, h)}"
        look = {"facecolor": "white", "edgecolor": OKABE_ITO["grey"], "linewidth": 0.8}
        box = FancyBboxPatch((pos[n][0] - w, pos[n][1] - h), 2 * w, 2 * h, boxstyle=rounded, **look)
        boxes[n] = ax.add_patch(box)
        box.set_zorder(3)

    links, signs, delays, paths, pending = {}, {}, {}, {}, []
    for u, v, data in G.edges(data=True):
        if u == v:
            continue  # self-loops are listed in the summary, not drawn
        rad = float(data.get("curve", 0.3 if G.has_edge(v, u) else 0.15))
        start, end = pos[u], pos[v]
        control = _arc_control(start, end, rad)
        s0 = _leave_box(start, control, end, pos[u], half_sizes[u], forward=True)
        s1 = _leave_box(start, control, end, pos[v], half_sizes[v], forward=False)
        positive = data["sign"] > 0
        colour = OKABE_ITO["blue"] if positive else OKABE_ITO["vermillion"]
        path = Path(
            _sub_curve(start, control, end, s0, s1), [Path.MOVETO, Path.CURVE3, Path.CURVE3]
        )
        arrow = FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=14, color=colour)
        links[u, v] = ax.add_patch(arrow)
        # a white halo: where a layout cannot avoid a crossing, one arrow clearly passes over
        halo = [patheffects.withStroke(linewidth=4.5, foreground="white")]
        arrow.set(linewidth=1.4, zorder=2, path_effects=halo)
        paths[u, v] = [_bezier(start, control, end, s0 + k * (s1 - s0) / 40) for k in range(41)]
        pending.append((u, v, start, control, end, s0, s1, rad, positive, colour))
        if data.get("delay", False):
            mid = s0 + 0.6 * (s1 - s0)
            mx, my = _bezier(start, control, end, mid)
            tx, ty = _bezier_tangent(start, control, end, mid)
            angle = math.degrees(math.atan2(ty, tx))
            turned = {"rotation": angle, "rotation_mode": "anchor", "fontsize": 12}
            delays[u, v] = ax.text(mx, my, "||", color=OKABE_ITO["black"], **turned, **_BOLD)

    loop_texts = {}
    placed = []
    given = G.graph.get("loop_pos", {}) if loop_pos is None else loop_pos
    for loop in loops:
        if loop.name in given or loop.label in given:
            cx, cy = given.get(loop.name) or given[loop.label]
        else:
            cx = sum(pos[n][0] for n in loop.nodes) / len(loop.nodes)
            cy = sum(pos[n][1] for n in loop.nodes) / len(loop.nodes)
            cx, cy = _avoid(cx, cy, placed, 0.12 * span)
        placed.append((cx, cy))
        colour = OKABE_ITO["vermillion"] if loop.reinforcing else OKABE_ITO["blue"]
        circle = {"boxstyle": "circle,pad=0.3", "facecolor": "white", "edgecolor": colour}
        look = {"fontsize": 11, "color": colour, "bbox": circle, "zorder": 6}
        loop_texts[loop.label] = ax.text(cx, cy, loop.label, **(_BOLD | look))
    # signs last, by their arrowheads, each where it overlaps nothing drawn so far if it can
    taken = [_extent(box) for box in boxes.values()]
    taken += [_extent(t) for t in (*delays.values(), *loop_texts.values())]
    for u, v, start, control, end, s0, s1, rad, positive, colour in pending:
        sign = "+" if positive else "\N{MINUS SIGN}"
        text = ax.text(0, 0, sign, fontsize=13, color=colour, **_BOLD)
        own = ax.transData.transform(paths[u, v])
        others = [ax.transData.transform(p) for k, p in paths.items() if k != (u, v)]
        best, best_key = None, None
        for along, side, away in _SIGN_PLACES:  # the first is the usual place
            sx, sy = _bezier(start, control, end, s1 - along * (s1 - s0))
            nx_, ny_ = _outward(start, end, side * rad or side, away * span)
            text.set_position((sx + nx_, sy + ny_))
            box = _extent(text)
            # off the boxes, off the other labels, off the other arrows, clearly its arrow's
            key = (
                not any(box.overlaps(b) for b in taken[: len(boxes)]),
                not any(box.overlaps(b) for b in taken[len(boxes) :]),
                not _covers(box, others),
                min(_nearer_own(box, own, others), _CLEAR),
            )
            if best_key is None or key > best_key:
                best, best_key = (sx + nx_, sy + ny_), key
            if key == (True, True, True, _CLEAR):
                break
        text.set_position(best)
        signs[u, v] = text
        taken.append(_extent(text).expanded(1.6, 1.6))  # signs keep apart: "- +" reads as one
    legend_text = None
    if legend and loops:
        lines = [
            f"{loop.label} {loop.polarity}" + (f": {loop.name}" if loop.name else "")
            for loop in loops
        ]
        below = {"transform": ax.transAxes, "ha": "center", "va": "top", "fontsize": 9}
        legend_text = ax.text(0.5, -0.02, "\n".join(lines), **below)
    drawn = dict(ax=ax, nodes=nodes, boxes=boxes, links=links, signs=signs, delays=delays)
    return drawn | dict(loops=loop_texts, legend=legend_text, pos=pos, paths=paths), summary


def layout_problems(drawn):
    """What a drawn diagram gets wrong: arrows that cross, labels that overlap or cover an arrow.

    Parameters
    ----------
    drawn : dict
        What `draw_loops` or `draw_cycle` returned.

    Returns
    -------
    problems : dict
        ``crossings``: pairs of links ((u, v), (w, x)) whose drawn arrows cross;
        ``overlaps``: pairs of labels (signs, delay marks, loop labels, variables' boxes, and
        `draw_cycle`'s strengths and marks) whose extents on the page intersect;
        ``covers``: (sign, link) pairs where a sign sits on an arrow not its own; ``unclear``:
        signs less than 1.5 times nearer their own arrow than any other (whose sign is it?).
        Labels are named ``"sign u -> v"``, ``"delay u -> v"``, ``"loop R1"``, ``"box u"``,
        ``"strength a"`` and ``"mark a"``.

    Examples
    --------
    The knowledge-creation cycle (without its quick fixes) is drawn with no crossing and no
    overlap:

    >>> drawn, _ = draw_cycle(quick_fixes=False)
    >>> layout_problems(drawn)
    {'crossings': [], 'overlaps': [], 'covers': [], 'unclear': []}
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from matplotlib.path import Path

    ax = drawn["ax"]
    to_page = ax.transData.transform
    lines = {k: Path(to_page(p)) for k, p in drawn["paths"].items()}
    keys = list(lines)
    crossings = [
        (a, b)
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if lines[a].intersects_path(lines[b], filled=False)
    ]
    labels = {f"box {n}": b for n, b in drawn["boxes"].items()}
    labels |= {f"sign {u} -> {v}": t for (u, v), t in drawn["signs"].items()}
    labels |= {f"delay {u} -> {v}": t for (u, v), t in drawn["delays"].items()}
    labels |= {f"loop {name}": t for name, t in drawn["loops"].items()}
    labels |= {f"strength {a}": t for a, t in drawn.get("strengths", {}).items()}
    labels |= {f"mark {a}": t for a, t in drawn.get("marks", {}).items()}
    extents = {name: _extent(artist) for name, artist in labels.items()}
    names = list(extents)
    overlaps = [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if extents[a].overlaps(extents[b])
    ]
    covers, unclear = [], []
    for (u, v), text in drawn["signs"].items():
        name, box = f"sign {u} -> {v}", _extent(text)
        others = [line.vertices for k, line in lines.items() if k != (u, v)]
        covers += [
            (name, k) for k, line in lines.items() if k != (u, v) and _covers(box, [line.vertices])
        ]
        if _nearer_own(box, lines[u, v].vertices, others) < _CLEAR:
            unclear.append(name)
    return {"crossings": crossings, "overlaps": overlaps, "covers": covers, "unclear": unclear}


_BOLD = {"ha": "center", "va": "center", "fontweight": "bold", "zorder": 5}
_LABEL = {"color": "#1a1a1a"}
_LABEL["bbox"] = {"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.9}


#: Where a sign may go, in order: how far back from the arrowhead (a share of the arrow), which
#: side of the curve (1 outside, -1 inside) and how far from it (a share of the diagram's span).
_SIGN_PLACES = tuple(
    (along, side, away)
    for along in (0.1, 0.2, 0.3, 0.42, 0.55)
    for side in (1, -1)
    for away in (0.045, 0.065, 0.085)
)


def _extent(artist):
    """The artist's extent on the page (a text's with its box, if it has one), slightly grown."""
    from matplotlib.transforms import Bbox

    figure = artist.get_figure()
    renderer = figure.canvas.get_renderer() if hasattr(figure.canvas, "get_renderer") else None
    box = artist.get_window_extent(renderer)
    patch = getattr(artist, "get_bbox_patch", lambda: None)()
    if patch is not None and renderer is not None:
        artist.update_bbox_position_size(renderer)
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box.expanded(1.06, 1.06)


#: A sign must be this many times nearer another arrow than its own to be clearly its arrow's.
_CLEAR = 1.5


def _nearer_own(box, own, others):
    """How many times farther the nearest other arrow is than the sign's own (page points)."""
    import numpy as np

    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])

    def distance(points):
        return float(np.min(np.hypot(*(np.asarray(points) - centre).T)))

    nearest_other = min((distance(p) for p in others), default=np.inf)
    return nearest_other / max(distance(own), 1e-9)


def _covers(box, lines):
    """True when the page box `box` touches any of `lines` (arrays of page points)."""
    from matplotlib.path import Path

    return any(Path(points).intersects_bbox(box, filled=False) for points in lines)


def _arc_control(start, end, rad):
    """Control point of a curved link (as matplotlib's arc3: a quadratic Bezier)."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    return ((x1 + x2) / 2 + rad * dy, (y1 + y2) / 2 - rad * dx)


def _bezier(p0, c, p1, s):
    a, b, d = (1 - s) ** 2, 2 * (1 - s) * s, s**2
    return (a * p0[0] + b * c[0] + d * p1[0], a * p0[1] + b * c[1] + d * p1[1])


def _bezier_tangent(p0, c, p1, s):
    tangent = [2 * (1 - s) * (c[i] - p0[i]) + 2 * s * (p1[i] - c[i]) for i in (0, 1)]
    return tuple(tangent)


def _leave_box(p0, c, p1, centre, half, *, forward):
    """Curve parameter where the curve crosses the box around `centre` (plus a gap)."""
    grid = [i / 200 for i in range(201)]
    for s in grid if forward else reversed(grid):
        x, y = _bezier(p0, c, p1, s)
        if abs(x - centre[0]) > half[0] * 1.08 or abs(y - centre[1]) > half[1] * 1.15:
            return s
    return 0.0 if forward else 1.0


def _sub_curve(p0, c, p1, s0, s1):
    """Start, control and end points of the part of a quadratic Bezier between s0 and s1."""
    a = _bezier(p0, c, p1, s0)
    b = _bezier(p0, c, p1, s1)
    tx, ty = _bezier_tangent(p0, c, p1, s0)
    half = 0.5 * (s1 - s0)
    return [a, (a[0] + half * tx, a[1] + half * ty), b]


def _outward(start, end, rad, distance):
    """Offset pointing to the outside (convex side) of an arc3 curve."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    sign = 1.0 if rad >= 0 else -1.0
    return (sign * distance * dy / length, -sign * distance * dx / length)


def _avoid(x, y, placed, distance):
    """Nudge a label downwards until it is `distance` away from the labels already placed."""
    for _ in range(20):
        if all(math.hypot(x - px, y - py) >= distance for px, py in placed):
            break
        y -= 0.6 * distance
    return x, y


def draw_cycle(allocation=None, integration=1.0, *, consultants=None, quick_fixes=True, ax=None):
    """Draw the knowledge-creation cycle, showing what a plan does to each of its links.

    Without an `allocation` (research, capacity building and practice shares) this is the plain
    diagram (:func:`senge_course.models.cycle.knowledge_cycle` drawn by `draw_loops` on `ax`, a new
    figure by default, with the firefighting and consultants loops unless ``quick_fixes=False``).
    With one, each link of the loop R1 is labelled with its activity and strength (at
    `integration`), drawn thicker the stronger it is, and a broken link is drawn dashed and grey,
    crossed by an ``X`` and labelled "broken".  With `consultants` (a `Consultants`; needs the
    quick fixes), the consultants' links are drawn thick and the others faded, to show the
    dependence loop at work.  Invalid inputs raise a `ValueError` or `TypeError`.

    Returns
    -------
    drawn : dict
        What `draw_loops` returns, plus ``marks`` (activity -> the ``X`` text of each broken link)
        and ``strengths`` (activity -> text label).
    summary : str
        The loops, and with an allocation each link's strength, which links are broken and the
        loop's gain.

    Examples
    --------
    >>> from senge_course.models.knowledge import ALL_PRACTICE
    >>> drawn, summary = draw_cycle(ALL_PRACTICE, 1.0, quick_fixes=False)
    >>> sorted(drawn["marks"])
    ['capacity building', 'research']
    >>> print(summary.split(". ")[2])
    The research and capacity building links are broken (research gets 0% and capacity building \
gets 0%), so the loop cannot turn.
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from ..style import OKABE_ITO

    if consultants is not None:
        check_consultants(consultants, math.inf)
        if not quick_fixes:
            raise ValueError(
                "consultants are drawn only with the quick fixes: use quick_fixes=True, "
                "got quick_fixes=False"
            )
    links = None if allocation is None else cycle_links(allocation, integration)
    drawn, summary = draw_loops(knowledge_cycle(quick_fixes=quick_fixes), ax=ax, legend=False)
    ax = drawn["ax"]
    marks, strengths = {}, {}
    if links is not None:
        for link in links:
            arrow = drawn["links"][link.cause, link.effect]
            start, end = drawn["pos"][link.cause], drawn["pos"][link.effect]
            control = _arc_control(start, end, R1_CURVE)
            mx, my = _bezier(start, control, end, 0.5)
            xx, xy = _bezier(start, control, end, 0.35)  # clear of the delay mark at 0.6
            # the label goes beside the middle of the link, away from the loop's centre
            dx, dy = mx - R1_CENTRE[0], my - R1_CENTRE[1]
            norm = math.hypot(dx, dy) or 1.0
            lx, ly = mx + 0.12 * dx / norm, my + 0.12 * dy / norm
            side = "left" if dx > 0.2 else "right" if dx < -0.2 else "center"
            if link.broken:
                arrow.set(color=OKABE_ITO["grey"], linestyle=(0, (4, 3)), linewidth=1.2)
                cross = {"fontsize": 14, "color": OKABE_ITO["vermillion"], "zorder": 7}
                marks[link.activity] = ax.text(xx, xy, "X", **(_BOLD | cross))
                text = f"{link.activity}:\nbroken"
            else:
                arrow.set_linewidth(1.0 + 1.6 * min(link.strength, 2.0))
                text = f"{link.activity}:\n\u00d7{link.strength:.2f}"
            where = {"ha": side, "va": "center" if side != "center" else "top", "zorder": 7}
            label = ax.text(lx, ly, text, fontsize=8, **where, **_LABEL)
            # farther out, step by step, until it is clear of the signs, delay marks and boxes
            near = [*drawn["signs"].values(), *drawn["delays"].values(), *marks.values()]
            near += drawn["boxes"].values()
            near = [_extent(artist) for artist in near]
            for step in range(1, 7):
                if not any(_extent(label).overlaps(b) for b in near):
                    break
                label.set_position((lx + 0.05 * step * dx / norm, ly + 0.05 * step * dy / norm))
            strengths[link.activity] = label
        gain = math.prod(link.strength for link in links)
        summary += " " + links_summary(allocation, integration, links, gain)
    if consultants is not None:
        highlight = {(GAP, CONSULTANTS), (CONSULTANTS, RESULTS), (CONSULTANTS, CAPABILITY)}
        for key, arrow in drawn["links"].items():
            if key in highlight:
                arrow.set_linewidth(3.0)
            elif key not in {(CAPABILITY, RESULTS), (RESULTS, GAP)}:
                arrow.set_alpha(0.35)
        summary += (
            " The consultants' links are drawn thick: B4 closes the gap while the firm pays, "
            "and R5 erodes the firm's own capability meanwhile."
        )
    return drawn | {"marks": marks, "strengths": strengths}, summary
