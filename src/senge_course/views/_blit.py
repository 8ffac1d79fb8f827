"""A `FigureView` that redraws only what changed (blitting), for apps that must answer in 100 ms.

Drawing a whole matplotlib figure to PNG costs 60-150 ms, most of it in axes, ticks, labels and
legends that a slider move does not change.  `BlitFigureView` draws those once into a cached
*static* layer, then on every `render` restores it, draws only the *animated* artists (the ones
the app updates in place) and encodes the pixels to PNG.  After changing anything static (axis
limits, labels, legend), call `invalidate` and the next `render` draws everything; with a `key`
(e.g. the axis limits), a static layer recently drawn for the same key is reused instead.
Between the two sits an optional *overlay* (`set_overlay`): artists drawn once over the static
layer and cached with it, until the next `set_overlay` replaces them.
"""

import base64
import html

from PIL import Image

from ._base import FigureView
from .figures import encode_png, new_figure

__all__ = ["BlitFigureView"]

_CAPTION = "margin:4px 0;color:#1a1a1a;max-width:60em"


class BlitFigureView(FigureView):
    """A figure shown as ``<img alt=summary>``, redrawn by blitting its animated artists.

    Parameters
    ----------
    width, height : float
        The figure's size in inches.
    layout : str or None, optional
        The figure's layout engine (default ``"constrained"``; ``None`` for fixed margins).
    caption_style : str, optional
        Extra CSS for the caption paragraph under the image.

    Examples
    --------
    >>> view = BlitFigureView(3, 2)
    >>> ax = view.figure.add_subplot()
    >>> (line,) = ax.plot([0, 1], [0, 1])
    >>> view.animate(line)
    >>> view.render("A rising line.")
    >>> line.set_ydata([1, 0])
    >>> view.render("A falling line.")
    >>> view.renders, view.full_draws, 'alt="A falling line."' in view.value
    (2, 1, True)
    """

    #: How many static layers `invalidate(key=...)` keeps (each is the figure's pixels, ~2 MB).
    CACHED_LAYERS = 6

    def __init__(self, width=7.0, height=4.0, *, layout="constrained", caption_style="", **kwargs):
        super().__init__(width, height, **kwargs)
        if layout != "constrained":
            self.figure = new_figure(width, height, layout=layout)
        self._caption = _CAPTION + (f";{caption_style}" if caption_style else "")
        self._animated = []
        self._overlay = []
        self._static = None  # pixels of the static layer
        self._background = None  # static + overlay
        self._key = None  # what the static layer shows (e.g. the axis limits)
        self._cache = {}  # recent static layers by key, oldest first
        self.full_draws = 0
        self.renders = 0

    def animate(self, *artists):
        """Mark `artists` as the ones updated in place: they are redrawn on every `render`."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    def set_overlay(self, artists):
        """Replace the overlay layer with `artists` (drawn once over the static layer, then cached)."""
        self._overlay = list(artists)
        for artist in self._overlay:
            artist.set_animated(True)
        self._background = None

    def invalidate(self, key=None):
        """Call after changing limits, labels or the legend: the static layer is redrawn.

        With a `key` (e.g. the axis limits), a static layer drawn for the same key
        among the last `CACHED_LAYERS` is reused instead.
        """
        self._key = key
        self._static = self._cache.get(key) if key is not None else None
        self._background = None

    def render(self, summary, artists=()):
        """Draw what changed and show it; `summary` is the alt text.

        `artists`, animated artists the caller owns, are drawn after the ones from `animate`.
        """
        fig = self.figure
        canvas = fig.canvas
        drawn = self._static is None
        if drawn:
            canvas.draw()  # everything not animated, and the layout
            self._static = canvas.copy_from_bbox(fig.bbox)
            self._background = None
            self.full_draws += 1
            if self._key is not None:
                self._cache[self._key] = self._static
                while len(self._cache) > self.CACHED_LAYERS:
                    self._cache.pop(next(iter(self._cache)))
        if self._background is None:
            if not drawn:
                canvas.restore_region(self._static)
            for artist in self._overlay:
                if artist.get_visible():
                    fig.draw_artist(artist)
            self._background = canvas.copy_from_bbox(fig.bbox) if self._overlay else self._static
        else:
            canvas.restore_region(self._background)
        for artist in (*self._animated, *artists):
            if artist.get_visible():
                fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        data = base64.b64encode(encode_png(image)).decode("ascii")
        self.summary = summary
        self.renders += 1
        self.value = (
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(summary, quote=True)}" '
            'style="max-width:100%;height:auto">'
            f'<p class="senge-summary" style="{self._caption}">{html.escape(summary)}</p>'
        )
