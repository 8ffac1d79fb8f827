"""The knowledge-creation cycle as a causal loop diagram: which link each failure breaks.

Senge (1997) names three activities that only together produce lasting learning: research,
capacity building and practice.  Senge & Scharmer (2001, "Community Action Research") draw them as
one cycle.  This module draws that cycle with :mod:`senge_course.models.loops`, in the terms of the
knowledge-cycle model (:mod:`senge_course.models.knowledge`):

* **research** turns the practice's *experience* (hand) into *theory* (head);
* **capacity building** turns theory into people's *capability* (heart);
* **practice** turns capability into new experience, and into *results*.

Together they make the reinforcing loop R1, "knowledge creation".  Two quick fixes close loops of
their own around a *results gap*: **firefighting** (more practice now: B2, which crowds out
research and capacity building, R3) and **consultants** (rented capability: B4, which leaves the
firm's own capability weaker, R5: Shifting the Burden to the Intervenor).

Each link of R1 has a *strength* (:func:`cycle_links`): how much one unit at its start adds at its
end, over the stock's lifetime, in the model.  The research and capacity-building links scale with
their shares of effort *and* with the integration level; the practice link with the practice
share.  Their product is the loop's gain (:func:`senge_course.models.knowledge.loop_gain`), and the
loop grows only when it exceeds 1: a loop is as weak as the product of its links.  Each failure
mode shows up as links that are broken (strength 0) or weak:

======================  ====================================================
failure                 what happens to the cycle
======================  ====================================================
firefighting            research and capacity building are broken (all practice)
ivory tower             capacity building and practice are broken (all research)
fragmented              every link works, but integration is low, so the two
                        couplings are weak and the gain stays below 1
consulting dependency   the links work, but the dependence loop R5 erodes the
                        firm's own capability while the consultants work
======================  ====================================================

This module does not import matplotlib: :func:`senge_course.views.diagrams.draw_cycle` draws it.

Examples
--------
The balanced plan, fully integrated, has a gain above 1; all practice breaks the research and
capacity-building links:

>>> from senge_course.models.knowledge import ALL_PRACTICE, BALANCED
>>> [(link.activity, round(link.strength, 2)) for link in cycle_links(BALANCED, 1.0)]
[('research', 2.0), ('capacity building', 1.6), ('practice', 0.6)]
>>> broken_links(ALL_PRACTICE, 1.0)
('research', 'capacity building')
"""

from dataclasses import dataclass
from types import MappingProxyType

from .knowledge import (
    ACTIVITIES,
    ALL_PRACTICE,
    ALL_RESEARCH,
    BALANCED,
    Consultants,
    check_allocation,
    link_strengths,
)
from .loops import causal_graph

__all__ = [
    "BROKEN",
    "R1_CENTRE",
    "R1_CURVE",
    "links_summary",
    "CYCLE_VARIABLES",
    "FAILURES",
    "CycleLink",
    "broken_links",
    "cycle_links",
    "knowledge_cycle",
]

#: A link weaker than this carries (practically) nothing: it is broken.
BROKEN = 0.05

THEORY, CAPABILITY, EXPERIENCE = "theory", "capability", "experience"
RESULTS, GAP, FIREFIGHTING, CONSULTANTS = "results", "results gap", "firefighting", "consultants"
#: The variables of the cycle and what each stands for.
CYCLE_VARIABLES = MappingProxyType(
    {
        THEORY: "head: generalisable theory and method",
        CAPABILITY: "heart: people's skills, tools and personal mastery",
        EXPERIENCE: "hand: practical know-how from recent practice",
        RESULTS: "practical results, each quarter",
        GAP: "how far results fall short of what is wanted",
        FIREFIGHTING: "effort put into practice now, to close the gap",
        CONSULTANTS: "capability rented from consultants",
    }
)
# The three links of the knowledge-creation loop, by the activity that carries each.
_LINKS = {
    "research": (EXPERIENCE, THEORY),
    "capacity building": (THEORY, CAPABILITY),
    "practice": (CAPABILITY, EXPERIENCE),
}

#: How far the arrows of the loop R1 bulge (matplotlib arc3 radius), and where its centre is drawn.
R1_CURVE = -0.3
R1_CENTRE = (0.0, 0.38)

#: Textbook plans for each diagnosis: (allocation, integration, consultants).
FAILURES = MappingProxyType(
    {
        "firefighting": (ALL_PRACTICE, 1.0, None),
        "ivory tower": (ALL_RESEARCH, 1.0, None),
        "fragmented": (BALANCED, 0.25, None),
        "consulting dependency": (ALL_PRACTICE, 1.0, Consultants(0.5, stop_at=8)),
        "integrated": (BALANCED, 1.0, None),
    }
)


@dataclass(frozen=True)
class CycleLink:
    """One link of the knowledge-creation loop R1 (see :func:`cycle_links`).

    Attributes
    ----------
    activity : str
        ``"research"``, ``"capacity building"`` or ``"practice"``.
    cause, effect : str
        The variables it links (``"experience"`` -> ``"theory"`` for research).
    strength : float
        What one unit at `cause` adds to `effect` over the stock's lifetime, in
        the model; the loop's gain is the product of the three strengths.
    broken : bool
        True if the strength is below `BROKEN` (the link carries practically nothing).
    """

    activity: str
    cause: str
    effect: str
    strength: float
    broken: bool


def knowledge_cycle(*, quick_fixes=True):
    """Return the knowledge-creation cycle as a causal loop diagram (a signed DiGraph).

    With `quick_fixes` (the default), the diagram has the results gap and the two quick fixes,
    firefighting and consultants, with their loops: 7 variables, 11 links and 5 loops (R1
    knowledge creation, B2 firefighting, R3 learning crowded out, B4 consultants, R5 dependence).
    Without them it is the reinforcing loop R1 and the results it feeds.  The three links of R1
    carry an ``activity`` attribute.

    Examples
    --------
    >>> from senge_course.models.loops import find_loops
    >>> [(loop.label, loop.name) for loop in find_loops(knowledge_cycle())]
    [('R1', 'knowledge creation'), ('B2', 'firefighting'), ('R3', 'learning crowded out'), \
('B4', 'consultants'), ('R5', 'dependence')]
    >>> [loop.label for loop in find_loops(knowledge_cycle(quick_fixes=False))]
    ['R1']
    """
    if not isinstance(quick_fixes, bool):
        raise TypeError(f"quick_fixes must be True or False, got quick_fixes={quick_fixes!r}")
    links = [(EXPERIENCE, THEORY, +1, True), (THEORY, CAPABILITY, +1, True)]
    links += [(CAPABILITY, EXPERIENCE, +1), (CAPABILITY, RESULTS, +1)]
    loops = [
        (
            (EXPERIENCE, THEORY, CAPABILITY),
            "knowledge creation",
            "research turns experience into theory, capacity building turns theory into "
            "capability, practice turns capability into experience",
        )
    ]
    pos = {THEORY: (0.0, 1.15), CAPABILITY: (1.0, 0.0), EXPERIENCE: (-1.0, 0.0)}
    pos[RESULTS] = (1.0, -1.15)
    labels = {THEORY: "theory\n(head)", CAPABILITY: "capability\n(heart)"}
    labels[EXPERIENCE] = "experience\n(hand)"
    curves = {link: R1_CURVE for link in _LINKS.values()} | {(CAPABILITY, RESULTS): 0.0}
    loop_pos = {"knowledge creation": R1_CENTRE}
    if quick_fixes:
        links += [(RESULTS, GAP, -1), (GAP, FIREFIGHTING, +1), (FIREFIGHTING, RESULTS, +1)]
        links += [(FIREFIGHTING, THEORY, -1), (GAP, CONSULTANTS, +1), (CONSULTANTS, RESULTS, +1)]
        links += [(CONSULTANTS, CAPABILITY, -1, True)]
        loops += [
            (
                (GAP, FIREFIGHTING, RESULTS),
                "firefighting",
                "more practice now closes the results gap at once",
            ),
            (
                (GAP, FIREFIGHTING, THEORY, CAPABILITY, RESULTS),
                "learning crowded out",
                "effort put into firefighting is taken from research and capacity building, "
                "so capability is not renewed and the gap returns",
            ),
            (
                (GAP, CONSULTANTS, RESULTS),
                "consultants",
                "rented capability closes the gap while the firm pays for it",
            ),
            (
                (GAP, CONSULTANTS, CAPABILITY, RESULTS),
                "dependence",
                "consultants do the work the firm's people would have learned from, so its own "
                "capability withers and it needs them more",
            ),
        ]
        pos |= {GAP: (0.0, -2.1), FIREFIGHTING: (-1.9, -1.15), CONSULTANTS: (2.2, -1.15)}
        labels[GAP] = "results\ngap"
        curves |= {(RESULTS, GAP): 0.0, (GAP, FIREFIGHTING): -0.15, (FIREFIGHTING, RESULTS): 0.12}
        curves |= {(FIREFIGHTING, THEORY): -0.35, (GAP, CONSULTANTS): 0.25}
        curves |= {(CONSULTANTS, RESULTS): -0.12, (CONSULTANTS, CAPABILITY): 0.3}
        # each loop's label inside its loop, clear of every box, arrow and delay mark
        loop_pos |= {"firefighting": (-0.45, -1.62), "learning crowded out": (-1.3, -0.55)}
        loop_pos |= {"consultants": (1.25, -1.55), "dependence": (1.45, -0.6)}
    name = "The knowledge-creation cycle" + (" and its quick fixes" if quick_fixes else "")
    G = causal_graph(
        links, loops=loops, labels=labels, pos=pos, loop_pos=loop_pos, curves=curves, name=name
    )
    for activity, (u, v) in _LINKS.items():
        G.edges[u, v]["activity"] = activity
    return G


def cycle_links(allocation, integration, *, params=None):
    """Return the three links of the knowledge-creation loop R1 (`CycleLink`) and their strengths.

    The strengths are the factors of :func:`senge_course.models.knowledge.loop_gain`, at the
    starting capability, and multiply to the loop's gain:

    * research (experience -> theory): ``research_rate * theory_time * r * g``;
    * capacity building (theory -> capability):
      ``teaching_rate * capability_time * c * g * (1 - 1 / max_capability)``;
    * practice (capability -> experience): ``p``.

    `allocation` is the ``(research, capacity building, practice)`` shares ``(r, c, p)``, summing
    to 1; `integration` (0 to 1) how tightly the three communities are coupled (``g``); `params`
    changes the model's calibrated constants, as in :func:`senge_course.models.knowledge.simulate`.
    Invalid inputs raise a `ValueError` or `TypeError` naming them.

    Examples
    --------
    Halving integration halves both couplings, so the gain falls to a quarter (from 1.92 to
    0.48): the balanced plan becomes fragmented.

    >>> from senge_course.models.knowledge import BALANCED
    >>> [round(link.strength, 2) for link in cycle_links(BALANCED, 0.5)]
    [1.0, 0.8, 0.6]
    >>> cycle_links((0.5, 0.5, 0.5), 1.0)
    Traceback (most recent call last):
    ...
    ValueError: allocation shares must sum to 1 (research + capacity building + practice), \
got 0.5 + 0.5 + 0.5 = 1.5; write 20% as 0.2, or rescale them with knowledge.normalise((0.5, 0.5, 0.5))
    """
    strengths = link_strengths(allocation, integration, params=params)
    return tuple(
        CycleLink(activity, *_LINKS[activity], strengths[activity], strengths[activity] < BROKEN)
        for activity in ACTIVITIES
    )


def broken_links(allocation, integration, *, params=None):
    """Return the activities whose link of R1 is broken (strength below `BROKEN`), in order.

    The inputs are as in :func:`cycle_links`; the result is empty if no link is broken.

    Examples
    --------
    All research breaks the links that would turn theory into skill and practice; with no
    integration at all, nothing couples the three activities:

    >>> from senge_course.models.knowledge import ALL_RESEARCH, BALANCED
    >>> broken_links(ALL_RESEARCH, 1.0)
    ('capacity building', 'practice')
    >>> broken_links(BALANCED, 0.0)
    ('research', 'capacity building')
    >>> broken_links(BALANCED, 0.25)
    ()
    """
    return tuple(
        link.activity for link in cycle_links(allocation, integration, params=params) if link.broken
    )


def links_summary(allocation, integration, links, gain):
    """Return a text on each link's strength, the broken links and the loop's `gain`."""
    shares = dict(zip(ACTIVITIES, check_allocation(allocation), strict=True))
    parts = [f"{link.activity} \u00d7{link.strength:.2f}" for link in links]
    text = f"Link strengths at integration {integration:.2f}: {', '.join(parts)}."
    broken = [link.activity for link in links if link.broken]
    if not broken:
        grows = "above 1: it grows" if gain >= 1.0 else "below 1: it dies out"
        return text + f" The loop's gain is their product, {gain:.2f}, {grows}."
    starved = [a for a in broken if shares[a] < BROKEN]
    reasons = []
    if starved:
        reasons.append(" and ".join(f"{a} gets {shares[a]:.0%}" for a in starved))
    if len(starved) < len(broken):
        reasons.append(f"integration is only {integration:.2f}")
    plural = "s are" if len(broken) > 1 else " is"
    return (
        text + f" The {' and '.join(broken)} link{plural} broken ({'; '.join(reasons)}), "
        "so the loop cannot turn."
    )
