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

__all__ = ["describe_figure", "figure_html", "figure_png", "new_figure", "style_axes"]

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


def describe_figure(fig):
    """Return what `fig` shows as plain data, one dict per axes (for tests and learners' analysis).

    Each dict holds the ``title``, ``xlabel``, ``ylabel``, ``xlim`` and ``ylim``; ``lines``
    (label -> ``(x, y)`` lists, for lines with a label; visible ones only), ``legend`` (the
    legend's labels), ``texts`` (visible text on the axes) and ``bars`` (heights of the
    rectangles drawn, in order).

    >>> fig = new_figure(3, 2)
    >>> ax = fig.add_subplot()
    >>> _ = ax.plot([0, 1], [2, 3], label="committed"); _ = ax.legend(); _ = ax.set_title("Spread")
    >>> state = describe_figure(fig)[0]
    >>> state["title"], state["lines"]["committed"], state["legend"]
    ('Spread', ([0.0, 1.0], [2.0, 3.0]), ['committed'])
    """
    from matplotlib.patches import Rectangle

    out = []
    for ax in fig.axes:
        legend = ax.get_legend()
        lines = {}
        for line in ax.get_lines():
            label = line.get_label()
            if line.get_visible() and label and not label.startswith("_"):
                x, y = line.get_data()
                lines[label] = ([float(v) for v in x], [float(v) for v in y])
        out.append(
            {
                "title": ax.get_title() or ax.get_title(loc="left"),
                "xlabel": ax.get_xlabel(),
                "ylabel": ax.get_ylabel(),
                "xlim": tuple(float(v) for v in ax.get_xlim()),
                "ylim": tuple(float(v) for v in ax.get_ylim()),
                "lines": lines,
                "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
                "texts": [t.get_text() for t in ax.texts if t.get_visible() and t.get_text()],
                "bars": [
                    float(p.get_height())
                    for p in ax.patches
                    if isinstance(p, Rectangle) and p.get_visible()
                ],
            }
        )
    return out
