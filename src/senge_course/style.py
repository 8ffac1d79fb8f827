"""Colours, markers and line styles: one colour-blind-safe palette (Okabe & Ito 2008) for the course.

Every category a colour encodes also has a marker and a line style, so figures
read in greyscale and for every kind of colour vision.  This module imports
nothing heavy; plotting modules read from it.

>>> OKABE_ITO["blue"]
'#0072B2'
>>> ROLE_STYLE["networker"]["marker"]
'D'
"""

__all__ = ["OKABE_ITO", "ROLE_STYLE", "SERIES", "STATE_STYLE", "series_style"]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

#: Styles for the people in an organisation, by role: colour, marker and label.
ROLE_STYLE = {
    "executive": {"color": OKABE_ITO["vermillion"], "marker": "s", "label": "executive leader"},
    "line_leader": {"color": OKABE_ITO["blue"], "marker": "^", "label": "local line leader"},
    "networker": {"color": OKABE_ITO["orange"], "marker": "D", "label": "internal networker"},
    "member": {"color": OKABE_ITO["grey"], "marker": "o", "label": "team member"},
}

#: Styles for a person's adoption state (fill, black edge, hatch and label).
STATE_STYLE = {
    state: {"color": color, "edgecolor": OKABE_ITO["black"], "hatch": hatch, "label": label}
    for state, color, hatch, label in (
        ("none", "#FFFFFF", "", "not yet"),
        ("compliant", OKABE_ITO["yellow"], "//", "compliant"),
        ("committed", OKABE_ITO["green"], "", "committed"),
    )
}

#: A cycle of (colour, line style, marker) for series such as scenarios.
SERIES = (
    (OKABE_ITO["blue"], "-", "o"),
    (OKABE_ITO["vermillion"], "--", "s"),
    (OKABE_ITO["green"], "-.", "^"),
    (OKABE_ITO["purple"], ":", "D"),
    (OKABE_ITO["orange"], (0, (5, 1, 1, 1)), "v"),
    (OKABE_ITO["sky_blue"], (0, (3, 1, 1, 1, 1, 1)), "P"),
    (OKABE_ITO["black"], (0, (1, 1)), "X"),
)


def series_style(i):
    """Return matplotlib keyword arguments for the i-th series (colour, line style, marker).

    >>> series_style(0)["color"]
    '#0072B2'
    >>> series_style(7) == series_style(0)
    True
    """
    color, linestyle, marker = SERIES[i % len(SERIES)]
    return {"color": color, "linestyle": linestyle, "marker": marker}
