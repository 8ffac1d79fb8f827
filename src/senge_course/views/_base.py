"""Shared parts of the widget apps: a figure shown as an accessible image, and a message area.

An app's callbacks run inside `App.guard`: a `ValueError` or `TypeError` from
the library becomes a message in the app (JupyterLab hides callback
tracebacks, so an unguarded error would look like a control that does
nothing), and the app keeps its last good state.
"""

import functools
import html
from contextlib import contextmanager

import ipywidgets as widgets

from .figures import describe_figure, figure_html, new_figure

__all__ = ["App", "FigureView", "guarded", "quiet", "slider_look"]


class FigureView(widgets.HTML):
    """A matplotlib figure kept between updates and shown as ``<img alt=summary>``.

    Update the figure's artists in place, then call `render` with the new summary.
    """

    def __init__(self, width=7.0, height=4.0, **kwargs):
        super().__init__(**kwargs)
        self.figure = new_figure(width, height)
        self.summary = ""
        self.add_class("senge-figure")

    def render(self, summary):
        """Redraw the figure into the widget; `summary` becomes its alt text and caption."""
        self.summary = summary
        self.value = (
            figure_html(self.figure, summary)
            + f'<p class="senge-summary" style="margin:4px 0;color:#1a1a1a;max-width:60em">'
            f"{html.escape(summary)}</p>"
        )


def guarded(method):
    """Decorate an app method so library errors become a message instead of a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            result = method(self, *args, **kwargs)
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), kind="error")
            return None
        return result

    return wrapper


class App(widgets.VBox):
    """Base of the widget apps: children plus a message area; ``.result`` holds the latest output."""

    def __init__(self, children=(), **kwargs):
        self.message = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        self.message.add_class("senge-message")
        self.result = None
        from ._a11y import AriaLabels

        super().__init__([*children, self.message, AriaLabels()], **kwargs)
        self.add_class("senge-app")  # the browser tests find every app by this class

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and a static fallback where no widget can run.

        JupyterLab and Voila show the widget; an export without widget state (nbconvert's HTML
        and slides, a static course site, a notebook reopened without its kernel) shows the
        ``text/html`` fallback instead: every figure as it is now, an image with its summary as
        alt text and caption, and a note that the controls need a running kernel.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        views = self.figure_views().values()
        note = (
            '<p class="senge-static-note" style="color:#1a1a1a;font-style:italic">'
            f"{html.escape(type(self).__name__)}: an interactive app; its controls need a running "
            "kernel (open the lesson in JupyterLab or with senge-course present).</p>"
        )
        figures = "".join(view.value for view in views)
        bundle["text/html"] = f'<div class="senge-static">{figures}{note}</div>'
        summaries = " ".join(view.summary for view in views if view.summary)
        bundle["text/plain"] = f"{type(self).__name__}: {summaries}".strip()
        return bundle

    def figure_views(self):
        """The app's figures by attribute name (``figure_view``, ``network_view``, ...), in order."""
        return {name: v for name, v in vars(self).items() if isinstance(v, FigureView)}

    def figure_state(self):
        """What the app draws now, as plain data: ``{"summary": ..., "axes": [...]}`` per figure.

        `describe_figure` says what each axes holds.  An app with one figure returns its dict;
        one with several returns ``{name: dict}`` (names from `figure_views`).
        """
        states = {
            name: {"summary": view.summary, "axes": describe_figure(view.figure)}
            for name, view in self.figure_views().items()
        }
        return next(iter(states.values())) if len(states) == 1 else states

    def show_message(self, text, *, kind="info"):
        """Show `text` under the app (``kind`` is ``"info"`` or ``"error"``); empty text clears it."""
        if not text:
            self.message.value = ""
            return
        label, colour = ("Cannot do that:", "#B3261E") if kind == "error" else ("Note:", "#0D47A1")
        self.message.value = (
            f'<div role="status" style="color:#1a1a1a;border-left:4px solid {colour};padding:2px 8px">'
            f'<strong style="color:{colour}">{label}</strong> {html.escape(text)}</div>'
        )


@contextmanager
def quiet(app):
    """Within this block the app's own observers skip their update (set several controls once).

    The app's observers return early while ``app._busy`` is true.
    """
    before, app._busy = getattr(app, "_busy", False), True
    try:
        yield
    finally:
        app._busy = before


def slider_look(description_width="11em", width="31em"):
    """Keyword arguments shared by sliders: room for the description, update on release."""
    return {
        "continuous_update": False,
        "style": {"description_width": description_width},
        "layout": widgets.Layout(width=width),
    }
