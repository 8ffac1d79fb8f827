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
from PIL import Image

from ..style import OKABE_ITO

__all__ = [
    "describe_figure",
    "encode_png",
    "figure_html",
    "figure_png",
    "new_figure",
    "style_axes",
]

DPI = 96
#: Colours kept in a figure's PNG: the Okabe-Ito palette, greys and their anti-aliased edges fit
#: in 64, and a palette PNG is about a third of a full-colour one (what travels per update).
PNG_COLOURS = 64


def new_figure(width=7.0, height=4.0, *, layout="constrained"):
    """Return a new `Figure` (width and height in inches) with its own Agg canvas, outside pyplot."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def figure_png(fig):
    """Render `fig` to PNG bytes: a palette image of at most `PNG_COLOURS` colours (`encode_png`)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=DPI, facecolor="white")
    size = fig.canvas.get_width_height(physical=True)
    return encode_png(Image.frombuffer("RGBA", size, buf.getbuffer(), "raw", "RGBA", 0, 1))


def encode_png(image, *, colours=PNG_COLOURS):
    """Encode a Pillow `image` (RGB or RGBA, drawn on white) as a small palette PNG; return bytes.

    The colours are reduced to at most `colours` with Pillow's fast octree quantizer, without
    dithering (flat areas stay flat, so they compress well); palette entries within 3 of white
    become pure white, so the background stays exactly white.  At the course's figure sizes this
    takes 5-20 ms and gives a PNG about a third the size of the full-colour one.

    Raises
    ------
    ValueError
        If `colours` is not a whole number from 2 to 256.

    Examples
    --------
    A white image with one Okabe-Ito blue square keeps both colours exactly:

    >>> from PIL import Image
    >>> im = Image.new("RGB", (40, 30), "white")
    >>> im.paste((0, 114, 178), (10, 10, 20, 20))
    >>> out = Image.open(io.BytesIO(encode_png(im)))
    >>> out.mode, out.size, sorted(c for _, c in out.convert("RGB").getcolors())
    ('P', (40, 30), [(0, 114, 178), (255, 255, 255)])
    """
    if isinstance(colours, bool) or not isinstance(colours, int) or not 2 <= colours <= 256:
        raise ValueError(f"colours must be a whole number from 2 to 256, got colours={colours!r}")
    quantized = image.convert("RGB").quantize(
        colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    palette = quantized.getpalette()
    for i in range(0, len(palette), 3):
        if min(palette[i : i + 3]) >= 252:  # the octree averages white with its near-whites
            palette[i : i + 3] = [255, 255, 255]
    quantized.putpalette(palette)
    buffer = io.BytesIO()
    quantized.save(buffer, format="png", compress_level=6)
    return buffer.getvalue()


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
