"""Figures of a class debrief (`senge_course.course.debrief`): bars with alt text and a summary.

Each function returns an object that displays as an image whose alt text is its text summary,
with the summary printed under it (as every figure in the lessons), so the debrief reads the
same projected, in a static page, or through a screen reader.
"""

import html

from ..style import OKABE_ITO
from .figures import figure_html, new_figure, style_axes

__all__ = ["DebriefFigure", "show_counts", "show_wrong_answers"]


class DebriefFigure:
    """A drawn figure and its `summary`; displays as an accessible image with a caption."""

    def __init__(self, figure, summary):
        self.figure, self.summary = figure, summary

    def _repr_html_(self):
        return (
            figure_html(self.figure, self.summary)
            + f'<p style="color:#1a1a1a;max-width:60em">{html.escape(self.summary)}</p>'
        )

    def __repr__(self):
        return self.summary


def show_counts(counts, *, title=""):
    """Horizontal bars of how many gave each answer (`counts`: a Counter), most common first.

    >>> from collections import Counter
    >>> show_counts(Counter({"b": 5, "a": 2}), title="q3").summary
    'q3: 7 answers; b 5, a 2.'
    """
    rows = counts.most_common(8)
    fig = new_figure(6.0, 0.5 + 0.35 * max(len(rows), 1))
    ax = fig.add_subplot()
    labels = [label[:40] for label, _ in rows][::-1]
    ax.barh(
        labels, [n for _, n in rows][::-1], color=OKABE_ITO["blue"], hatch="//", edgecolor="white"
    )
    style_axes(ax, title=title or None, xlabel="students")
    total = sum(counts.values())
    told = ", ".join(f"{label} {n}" for label, n in rows)
    return DebriefFigure(fig, f"{title + ': ' if title else ''}{total} answers; {told}.")


def show_wrong_answers(wrong):
    """Bars of the share of the class wrong on each scored question (`ClassDebrief.wrong_answers`)."""
    items = [(q, w) for q, w in wrong.items() if w.answered]
    fig = new_figure(6.5, 0.6 + 0.3 * max(len(items), 1))
    ax = fig.add_subplot()
    labels = [q for q, _ in items][::-1]
    shares = [w.share_wrong for _, w in items][::-1]
    ax.barh(labels, shares, color=OKABE_ITO["vermillion"], hatch="..", edgecolor="white")
    ax.set_xlim(0, 1)
    style_axes(ax, title="Share of the class wrong, by question", xlabel="share wrong")
    worst = sorted(items, key=lambda item: -item[1].share_wrong)[:3]
    told = "; ".join(f"{q} {w.share_wrong:.0%} ({w.wrong} of {w.answered})" for q, w in worst)
    return DebriefFigure(fig, f"Most often wrong: {told}." if worst else "No scored answers.")
