"""A `FigureView` that redraws only what changed (blitting), for apps that must answer in 100 ms.

Drawing a whole matplotlib figure to PNG costs 60-150 ms, most of it in axes, ticks, labels and
legends that a slider move does not change.  `BlitFigureView` draws those once into a cached
background, then on every `render` restores the background, draws only the *animated* artists
(the ones the app updates in place) and encodes the pixels to PNG.  After changing anything
static (axis limits, labels, legend), call `invalidate` and the next `render` draws everything.
"""

import base64
import html
import io

from PIL import Image

from ._base import FigureView

__all__ = ["BlitFigureView"]


class BlitFigureView(FigureView):
    """A figure shown as ``<img alt=summary>``, redrawn by blitting its animated artists.

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

    def __init__(self, width=7.0, height=4.0, **kwargs):
        super().__init__(width, height, **kwargs)
        self._animated = []
        self._background = None
        self.full_draws = 0
        self.renders = 0

    def animate(self, *artists):
        """Mark `artists` as the ones updated in place: they are redrawn on every `render`."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    def invalidate(self):
        """Forget the cached background: call after changing axis limits, labels or legends."""
        self._background = None

    def render(self, summary):
        """Draw the animated artists over the cached background; `summary` is the alt text."""
        fig = self.figure
        canvas = fig.canvas
        if self._background is None:
            canvas.draw()  # everything not animated, and the layout
            self._background = canvas.copy_from_bbox(fig.bbox)
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=1)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        self.summary = summary
        self.renders += 1
        self.value = (
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(summary, quote=True)}" '
            f'style="max-width:100%;height:auto">'
            f'<p class="senge-summary" style="margin:4px 0;color:#1a1a1a;max-width:60em">'
            f"{html.escape(summary)}</p>"
        )
