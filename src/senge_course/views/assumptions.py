"""The Assumptions view every app carries: the claims it shows, their origins, and where they fail.

`AssumptionsView` lists the claims (`senge_course.models.claims`) an app shows: each claim's
sentence, its origin in words (Senge says / research says / our model: structure or calibration),
the assumption it rests on, and a button that moves the app to the documented setting where the
claim fails, with the model's numbers there.  "Back to the lesson's setting" undoes it.

Examples
--------
>>> from senge_course.models.claims import Claim, Verdict
>>> claim = Claim("demo.x", ("00",), "x is above 1.", "calibration", assumption="x is 2",
...               check=lambda *, x: Verdict(x > 1, f"x is {x:g}"), default={"x": 2},
...               counterexample={"x": 0.5}, why_fails="x is below 1")
>>> shown = []
>>> view = AssumptionsView([claim], apply=shown.append)
>>> view.show_counterexample("demo.x")
>>> shown, view.result.holds
([{'x': 0.5}], False)
"""

import html

import ipywidgets as widgets

from ..models.claims.core import ORIGINS

__all__ = ["AssumptionsView", "ClaimsTable", "claims_table"]

#: Text colour of each origin's label (with the label's words as the second channel).
_ORIGIN_COLOUR = {
    "senge": "#0D47A1",
    "research": "#1B5E20",
    "structure": "#6A1B9A",
    "calibration": "#8A4B00",
}


def _in_brackets(setting):
    return f" ({_setting_text(setting)})" if setting else ""


class AssumptionsView(widgets.VBox):
    """A list of claims with their origins and a "show where it fails" button each.

    Parameters
    ----------
    claims : iterable of Claim
    apply : callable
        ``apply(setting)`` moves the app to a setting (a claim's counterexample or default);
        it raises ``ValueError`` for a setting the app cannot show, and the view says so.
    home : dict, optional
        The setting "Back to the lesson's setting" applies.  By default every claim's default
        setting merged (the first claim's first); an app whose ``apply`` starts from its opening
        state passes ``{}`` so that the button restores exactly that state.

    Attributes
    ----------
    result : Verdict or None
        The verdict at the last setting shown.
    """

    def __init__(self, claims, *, apply, home=None):
        self.claims = {c.key: c for c in claims}
        self._apply = apply
        self._home = home
        self.result = None
        self.status = widgets.HTML()
        self.status.add_class("senge-summary")
        rows = [widgets.HTML(_intro())]
        for claim in self.claims.values():
            rows.append(widgets.HTML(_card(claim)))
            if claim.counterexample is not None:
                button = widgets.Button(
                    description="Show where it fails",
                    tooltip=f"Move the app to: {_setting_text(claim.counterexample)}",
                    layout=widgets.Layout(width="auto"),
                )
                button.on_click(lambda _, key=claim.key: self.show_counterexample(key))
                rows.append(button)
        back = widgets.Button(
            description="Back to the lesson's setting", layout=widgets.Layout(width="auto")
        )
        back.on_click(lambda _: self.show_default())
        super().__init__([*rows, back, self.status])
        self.add_class("senge-assumptions")

    def show_counterexample(self, key):
        """Move the app to the setting where claim `key` fails, and say what the model shows."""
        claim = self.claims[key]
        self._show(claim, dict(claim.counterexample), "where it fails")

    def show_default(self):
        """Move the app back to the lesson's setting (`home`, or every claim's default merged)."""
        setting = {} if self._home is None else dict(self._home)
        if self._home is None:
            for claim in reversed(list(self.claims.values())):
                setting.update(claim.default)
        first = next(iter(self.claims.values()), None)
        if first is not None and (setting or self._home is not None):
            self._show(first, setting, "the lesson's setting")

    def _show(self, claim, setting, where):
        try:
            self._apply(setting)
        except (ValueError, TypeError) as exc:
            self.status.value = f"<p>{html.escape(str(exc))}</p>"
            return
        own = {k: v for k, v in setting.items() if k in claim.default}
        self.result = claim.evaluate(**own) if claim.check else None
        said = self.result.summary if self.result else ""
        why = f" Why: {claim.why_fails}." if where == "where it fails" and claim.why_fails else ""
        self.status.value = (
            f'<p role="status"><strong>{html.escape(claim.sentence)}</strong> '
            f"{where[0].upper()}{where[1:]}{html.escape(_in_brackets(setting))}: "
            f"{html.escape(said)}{html.escape(why)}</p>"
        )


class ClaimsTable:
    """A lesson's claims as a Markdown table (shown by notebooks; ``.text`` is the Markdown)."""

    def __init__(self, text, rows):
        self.text = text
        self.rows = rows

    def _repr_markdown_(self):
        return self.text

    def __str__(self):
        return self.text


def claims_table(lesson):
    """Return lesson `lesson`'s claims: each sentence, its origin, what it rests on, and where it fails.

    Every model claim is checked at the lesson's setting and at its counterexample, so the table
    shows the model's own numbers; ``.rows`` holds ``(claim, verdict at default, verdict at
    counterexample)``.
    """
    from ..models import claims

    rows, lines = (
        [],
        [
            "| Claim | Origin | Rests on | At the lesson's setting | Where it fails |",
            "|---|---|---|---|---|",
        ],
    )
    for claim in claims.for_lesson(lesson):
        at_default = claim.evaluate() if claim.check else None
        at_counter = (
            claim.evaluate(**claim.counterexample) if claim.counterexample is not None else None
        )
        rows.append((claim, at_default, at_counter))
        origin = ORIGINS[claim.origin] + (f" ({claim.source})" if claim.source else "")
        if claim.by_construction:
            fails = f"Nowhere: true by construction ({claim.by_construction})"
        elif at_counter is not None:
            fails = f"{_setting_text(claim.counterexample)}: {at_counter.summary}"
            if claim.why_fails:
                fails += f" Why: {claim.why_fails}."
        else:
            fails = "(not a model result)"
        cells = (
            claim.sentence,
            origin,
            claim.assumption or "-",
            at_default.summary if at_default else "-",
            fails,
        )
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    if not rows:
        lines.append("| (no claims registered for this lesson) | | | | |")
    return ClaimsTable("\n".join(lines), rows)


def _intro():
    return (
        "<p>What this app shows rests on three kinds of source. <em>Senge (1997) says</em> and "
        "<em>research says</em> report the article and published studies; <em>our model</em> "
        "results follow from the model's structure or its calibrated constants, which are "
        "illustrative, not estimated from data. Each model result below fails somewhere: press "
        "its button to see where.</p>"
    )


def _card(claim):
    colour = _ORIGIN_COLOUR[claim.origin]
    source = f" ({html.escape(claim.source)})" if claim.source else ""
    rests = f"<br>Rests on: {html.escape(claim.assumption)}." if claim.assumption else ""
    built = (
        f"<br>True by construction: {html.escape(claim.by_construction)}."
        if claim.by_construction
        else ""
    )
    return (
        f'<p style="margin:6px 0;color:#1a1a1a"><strong style="color:{colour}">'
        f"{ORIGINS[claim.origin]}{source}:</strong> {html.escape(claim.sentence)}{rests}{built}</p>"
    )


def _setting_text(setting):
    return ", ".join(f"{k.replace('_', ' ')} = {v}" for k, v in setting.items())
