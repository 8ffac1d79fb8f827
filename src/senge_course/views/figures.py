"""Figures for the lessons and widgets: matplotlib without pyplot, rendered to accessible images.

Widgets keep one `matplotlib.figure.Figure` each, update its artists in place
when a control moves, and show it as an ``<img>`` whose ``alt`` text is the
figure's text summary, so screen readers get the same message as the eye.
Plotting helpers follow matplotlib's own pattern: they take ``ax=None`` and
return what they drew.

Examples
--------
>>> fig = new_figure(4, 3)
>>> ax = fig.add_subplot()
>>> html = figure_html(fig, "An empty plot.")
>>> html.startswith('<img src="data:image/png;base64,') and 'alt="An empty plot."' in html
True
"""

import base64
import html
import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..style import OKABE_ITO

__all__ = ["figure_html", "figure_png", "new_figure", "style_axes"]

DPI = 96


def new_figure(width=7.0, height=4.0, *, layout="constrained"):
    """Return a new `Figure` (width and height in inches) with its own Agg canvas, outside pyplot."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def figure_png(fig):
    """Render `fig` to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def figure_html(fig, alt):
    """Render `fig` to an ``<img>`` tag whose alt text is `alt` (the figure's text summary)."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%;height:auto">'
    )


def style_axes(ax, *, title=None, xlabel=None, ylabel=None, grid=True):
    """Apply the course's axis style: labels, a light grid, no top and right spines."""
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    if grid:
        ax.grid(True, color=OKABE_ITO["grey"], alpha=0.3, linewidth=0.6)
    return ax
