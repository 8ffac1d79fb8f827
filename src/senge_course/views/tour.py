"""ArticleTour: a guided tour of the article's argument, one idea at a time (lesson 00).

Each card says what Senge (1997) says, in the course's paraphrase (a few words at most quoted,
attributed), and, labelled apart, how the course models it and in which lesson.  Thresholds,
cascades, wide bridges and the capability trap are research the course adds, not the article's
ideas: the cards say so where they mention them.
"""

import html

import ipywidgets as widgets

__all__ = ["CITATION", "IDEAS", "ArticleTour"]

#: How the cards attribute the article.
CITATION = "(Senge, 1997, HBR 75(5))"

#: The article's ideas: what Senge says (paraphrased), how the course models it, and the lesson.
IDEAS = {
    "Command and control": {
        "lesson": "01",
        "senge": (
            "Where everything depends on everything else and changes fast, nobody can "
            '"figure it out from the top" any more, nor order people into deep change: '
            "command and control has had its day."
        ),
        "model": (
            "a command regime and a commitment regime meet a rising target; their dynamics "
            "(working harder, working smarter, the capability trap) come from research by "
            "Repenning & Sterman (2001, 2002), not from the article."
        ),
    },
    "Compliance or commitment": {
        "lesson": "02",
        "senge": (
            "Orders from the top, even when carried out, spread fear and distrust and set "
            'colleagues against one another; they "foster compliance instead of commitment", '
            "and only real commitment gives people the courage, imagination, patience and "
            "perseverance that creating knowledge demands."
        ),
        "model": (
            "commitment spreads person by person once enough others have committed: the "
            "threshold model is Granovetter's research (1978), not the article, and that leaders "
            "move thresholds is our assumption."
        ),
    },
    "Learning as advantage": {
        "lesson": "07",
        "senge": (
            "Organisations that succeed build their competitive edge more and more by learning "
            "rather than by controlling: by creating new knowledge and sharing it, without end."
        ),
        "model": (
            "knowledge as stocks of theory, capability and results that grow only when research, "
            "capacity building and practice feed one another."
        ),
    },
    "No more hero leaders": {
        "lesson": "05",
        "senge": (
            "The picture of the leader as a lone hero running the organisation from the top is a "
            "myth the knowledge era must let go of: leadership will be spread across many "
            "different people and teams who together take responsibility for its future."
        ),
        "model": (
            "three kinds of leader act on one simulated organisation, and no single person "
            "decides the outcome."
        ),
    },
    "Local line leaders": {
        "lesson": "03",
        "senge": (
            "Managers accountable for results, such as the head of a business unit, bring in new "
            "ideas and put them to work. The article names no method: pilot groups come from "
            "Senge's later writing (1996; Senge et al., 1999)."
        ),
        "model": (
            "a pilot group (a line leader and part of a team) against a lone champion, on "
            "networks where cascade research applies (Watts, 2002; Gleeson & Cahalane, 2007)."
        ),
    },
    "Internal networkers": {
        "lesson": "04",
        "senge": (
            "Internal consultants, HR professionals, front-line workers: people who often hold no "
            "formal authority but travel across the organisation, carrying new ideas and "
            "practices and building commitment to them."
        ),
        "model": (
            "networkers build bridges between teams; that a complex practice needs wide bridges "
            "is research (Centola & Macy, 2007), not the article."
        ),
    },
    "Executive leaders": {
        "lesson": "05",
        "senge": (
            'Senior managers mentor line leaders as "thinking partners", lead cultural change by '
            "changing how they and the top teams behave, and use their authority to invest in "
            "infrastructure for new knowledge, such as learning laboratories."
        ),
        "model": (
            "mentoring and infrastructure lower people's thresholds in the piloted teams (our "
            "assumption, not the article's); a mandate makes people compliant."
        ),
    },
    "None alone": {
        "lesson": "05",
        "senge": (
            "The three kinds of leader depend on one another: no one of them alone can create "
            'the conditions for "continual innovation and diffusion of knowledge".'
        ),
        "model": (
            "the kinds of leader alone and together, at equal resources, with where together "
            "beats alone and where it does not."
        ),
    },
    "Firefighting": {
        "lesson": "06",
        "senge": (
            "Two failures of today's split-up learning: managers who go from one crisis to the "
            "next, fighting fires without pause, and consultants who recommend fixes but leave "
            "people no better able to avoid the next problem."
        ),
        "model": (
            "the capability trap, after research by Repenning & Sterman (2001, 2002), not the "
            "article: under pressure, working harder starves improvement."
        ),
    },
    "Research, capacity, practice": {
        "lesson": "07",
        "senge": (
            "Lasting learning needs three linked activities, research, capacity building and "
            "practice; today universities, consulting firms and businesses each hold one, apart "
            "and often at odds, so research goes unused, consulting leaves no capacity behind "
            "and managers firefight."
        ),
        "model": (
            "a cycle in which research turns experience into theory, capacity building turns "
            "theory into capability and practice turns capability into results."
        ),
    },
    "Head, heart and hand": {
        "lesson": "08",
        "senge": (
            "What specialisation lost is the ability to value and join theory, personal growth "
            "and practical results, the aim of the Society for Organizational Learning; it "
            "recalls traditional communities that honoured elders' wisdom, teachers who help "
            "people grow, and the life skills of warriors, weavers and growers alike."
        ),
        "model": "a capstone plan that drives all three simulations at once.",
    },
    "Two challenges": {
        "lesson": "08",
        "senge": (
            "Deep problems that hierarchy alone cannot solve, and drawing on the intelligence and "
            "spirit of people at every level to keep building and sharing knowledge. The scope is "
            'institutions and society, not only the firm, and the close imagines "more natural" '
            "ways of organising."
        ),
        "model": (
            "none: our models stop at one organisation; lesson 08 discusses the wider scope and "
            "the critiques."
        ),
    },
}


class ArticleTour(widgets.VBox):
    """Choose one of the article's ideas and read it, with how the course models it.

    ``.result`` is the chosen idea as a dict: ``name``, ``senge`` (what the article says, in the
    course's paraphrase), ``model`` (how the course models it) and ``lesson``; ``.card`` is the
    HTML widget that shows it.

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
        self.card = widgets.HTML()
        self._message = widgets.HTML()
        self.result = None
        self._picker.observe(self._update, names="value")
        super().__init__([self._picker, self.card, self._message])
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

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and every card as static HTML where no widget can run (exports)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = "".join(_card(name) for name in IDEAS)
        bundle["text/plain"] = f"ArticleTour: {len(IDEAS)} ideas of the article: {', '.join(IDEAS)}"
        return bundle

    def _update(self, change=None):
        name = self._picker.value
        self.result = {"name": name, **IDEAS[name]}
        self.card.value = _card(name)


def _card(name):
    """The HTML card of idea `name`: what Senge says, how the course models it, the lesson."""
    idea = IDEAS[name]
    model = idea["model"]
    if not model.startswith("none"):
        model += " The model is calibrated, not estimated: its numbers illustrate."
    return (
        '<div style="max-width:46em;color:#1a1a1a">'
        f'<h4 style="margin:4px 0">{html.escape(name)}</h4>'
        f"<p><strong>Senge (1997) says.</strong> {html.escape(idea['senge'])} {CITATION}</p>"
        f"<p><strong>Our model:</strong> {html.escape(model)}</p>"
        f"<p><strong>Explored in lesson {idea['lesson']}.</strong></p></div>"
    )
