"""ArticleTour: a guided tour of the article's argument, one idea at a time (lesson 00)."""

import html

import ipywidgets as widgets

__all__ = ["IDEAS", "ArticleTour"]

#: The article's ideas in the course's own words, with the lesson that explores each.
IDEAS = {
    "Command and control": {
        "lesson": "01",
        "text": (
            "Nobody can work everything out from the top any more. "
            "Directives can make people comply, but compliance is not commitment, "
            "and only commitment brings the courage, imagination and patience that learning needs."
        ),
    },
    "Thresholds": {
        "lesson": "02",
        "text": (
            "Each person joins a new practice once enough others have. "
            "Small changes in those thresholds decide whether commitment spreads or stalls."
        ),
    },
    "Local line leaders": {
        "lesson": "03",
        "text": (
            "Managers with bottom-line responsibility try new ideas in pilot groups and "
            "learning laboratories: a practice spreads from a committed group, not a lone champion."
        ),
    },
    "Internal networkers": {
        "lesson": "04",
        "text": (
            "People with little formal authority move about the organisation and carry new "
            "practices between teams: they build the wide bridges a complex practice needs."
        ),
    },
    "Executive leaders": {
        "lesson": "05",
        "text": (
            "Executives mentor line leaders as thinking partners, change their own behaviour and "
            "invest in learning infrastructure. None of the three kinds of leader succeeds alone."
        ),
    },
    "Firefighting": {
        "lesson": "06",
        "text": (
            "Under pressure, working harder starves improvement: the capability trap. "
            "Hiring consultants to fix problems without building capacity shifts the burden."
        ),
    },
    "Research, capacity, practice": {
        "lesson": "07",
        "text": (
            "Enduring learning needs research, capacity building and practice in one cycle; "
            "split across universities, consultancies and firms, each fails on its own."
        ),
    },
    "Head, heart and hand": {
        "lesson": "08",
        "text": (
            "Integrating theory, personal development and practical results: a community of "
            "leaders and learners, like older communities that honoured elders, teachers and makers."
        ),
    },
}


class ArticleTour(widgets.VBox):
    """Choose one of the article's ideas and read it, with the lesson that explores it.

    ``.result`` is the chosen idea as a dict (``name``, ``text``, ``lesson``).

    Examples
    --------
    >>> tour = ArticleTour()
    >>> tour.choose("Internal networkers")
    >>> tour.result["lesson"]
    '04'
    """

    def __init__(self, idea="Command and control"):
        self._picker = widgets.ToggleButtons(
            options=list(IDEAS),
            value=idea if idea in IDEAS else "Command and control",
            description="Idea:",
            tooltips=[f"Explored in lesson {v['lesson']}" for v in IDEAS.values()],
            style={"button_width": "auto"},
        )
        self._card = widgets.HTML()
        self._message = widgets.HTML()
        self.result = None
        self._picker.observe(self._update, names="value")
        super().__init__([self._picker, self._card, self._message])
        self.add_class("senge-app")
        self.add_class("senge-article-tour")
        self._update()
        if idea not in IDEAS:
            self._message.value = html.escape(
                f"There is no idea called {idea!r}: showing 'Command and control' instead."
            )

    def choose(self, idea):
        """Select `idea` (one of `IDEAS`); unknown names show a message and change nothing."""
        if idea not in IDEAS:
            self._message.value = html.escape(
                f"There is no idea called {idea!r}; choose one of: {', '.join(IDEAS)}."
            )
            return
        self._message.value = ""
        self._picker.value = idea

    def _update(self, change=None):
        name = self._picker.value
        idea = IDEAS[name]
        self.result = {"name": name, **idea}
        self._card.value = (
            '<div style="max-width:46em;color:#1a1a1a">'
            f'<h4 style="margin:4px 0">{html.escape(name)}</h4>'
            f"<p>{html.escape(idea['text'])}</p>"
            f"<p><strong>Explored in lesson {idea['lesson']}.</strong></p></div>"
        )
