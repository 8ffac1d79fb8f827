"""Figures of a class debrief (`senge_course.course.debrief`): bars with alt text and a summary.

Each function returns an object that displays as an image whose alt text is its text summary,
with the summary printed under it (as every figure in the lessons), so the debrief reads the
same projected, in a static page, or through a screen reader.
"""

import html

from ..style import OKABE_ITO, series_style
from .figures import figure_html, new_figure, style_axes

__all__ = [
    "DebriefFigure",
    "show_class_history",
    "show_counts",
    "show_predictions",
    "show_wrong_answers",
]


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


#: The parts of a prediction bar: (name, colour, hatch), drawn left to right.
_PREDICTION_PARTS = (
    ("right", OKABE_ITO["green"], ""),
    ("wrong, corrected later", OKABE_ITO["sky_blue"], "//"),
    ("wrong, not corrected later", OKABE_ITO["vermillion"], "xx"),
    ("wrong, no follow-up question", OKABE_ITO["orange"], ".."),
)


def show_predictions(results):
    """Stacked bars of the class's predictions against the model's answers
    (`ClassDebrief.prediction_results`): per prediction, the share of those who answered who
    were right, wrong then corrected in the follow-up, wrong and not corrected, or wrong with no
    follow-up question to correct it in.  Predictions the model gives no answer to are left out.

    Of 4 predictions, 1 agrees with the model's answer; of the 3 wrong, 2 were corrected later:

    >>> from senge_course.course.debrief import PredictionResult
    >>> r = PredictionResult("q1", "p", "", 4, 3, 2, "'b' (yes)", "q6")
    >>> show_predictions({"q1": r}).summary
    "Predictions against the model's answers: q1 3 of 4 wrong (75%), 2 of them corrected in q6."
    """
    rows = [(q, r) for q, r in results.items() if r.model_answer is not None]
    fig = new_figure(6.5, 1.4 + 0.4 * max(len(rows), 1))
    ax = fig.add_subplot()
    labels = [q for q, _ in rows][::-1]
    left = [0.0] * len(rows)
    for part, (name, colour, hatch) in enumerate(_PREDICTION_PARTS):
        widths = [_prediction_parts(r)[part] for _, r in rows][::-1]
        ax.barh(labels, widths, left=left, color=colour, hatch=hatch, edgecolor="white", label=name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, (_, r) in enumerate(rows[::-1]):
        if not r.answered:
            ax.text(0.01, y, "no predictions", va="center", fontsize=9)
    ax.set_xlim(0, 1)
    fig.legend(loc="outside lower center", ncol=2, fontsize=8, frameon=False)
    style_axes(ax, title="Predictions against the model's answers", xlabel="share of predictions")
    told = "; ".join(_prediction_words(q, r) for q, r in rows)
    left_out = [q for q, r in results.items() if r.model_answer is None]
    note = f" No model answer for {', '.join(left_out)}." if left_out else ""
    if not rows:
        return DebriefFigure(fig, "No prediction has a model answer to compare with." + note)
    return DebriefFigure(fig, f"Predictions against the model's answers: {told}.{note}")


def _prediction_parts(r):
    """Shares (right, corrected, not corrected, no follow-up) of those who answered."""
    if not r.answered:
        return (0.0, 0.0, 0.0, 0.0)
    n = r.answered
    if r.followup is None:
        return (r.right / n, 0.0, 0.0, r.wrong / n)
    return (r.right / n, r.corrected / n, (r.wrong - r.corrected) / n, 0.0)


def _prediction_words(q, r):
    if not r.answered:
        return f"{q} no predictions"
    said = f"{q} {r.wrong} of {r.answered} wrong ({r.share_wrong:.0%})"
    if r.followup is None:
        return said + ", no follow-up question"
    if not r.wrong:
        return said
    return said + f", {r.corrected} of them corrected in {r.followup}"


def show_class_history(history):
    """The class as one organisation (`senge_course.models.divisions.ClassHistory`): committed
    share by round, the class's designs together against every division on the best single
    design (and apart), and each division's final share joined and apart.

    Lines differ by colour, line style and marker; the divisions' bars by fill and hatching, so
    the figure reads in greyscale.  The summary is the model's, plus the division that gained
    most from the ties between divisions.
    """
    fig = new_figure(10.0, 3.8, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(2, 3))
    rounds = range(history.rounds + 1)
    series = (
        ("the class together", history.together_by_round.mean(axis=0), 0),
        ("every division on the best design", history.best_by_round.mean(axis=0), 1),
        ("the class apart", history.alone_by_round.mean(axis=(0, 1)), 6),
    )
    for label, values, style in series:
        left.plot(rounds, values, label=label, markevery=5, **series_style(style))
    left.set_ylim(0, 1)
    left.legend(loc="upper left", fontsize=8, frameon=False)
    style_axes(left, title="Committed, whole organisation", xlabel="round", ylabel="share")
    order = sorted(range(history.divisions), key=lambda i: -history.division_final[i])
    x = [k + 1 for k in range(len(order))]
    joined = [history.division_final[i] for i in order]
    apart = [history.alone_final[i] for i in order]
    right.bar(
        [v - 0.2 for v in x],
        joined,
        0.4,
        color=OKABE_ITO["blue"],
        hatch="//",
        edgecolor="white",
        label="joined",
    )
    right.bar(
        [v + 0.2 for v in x],
        apart,
        0.4,
        color="white",
        hatch="..",
        edgecolor=OKABE_ITO["black"],
        label="apart",
    )
    right.axhline(
        history.best_final,
        color=OKABE_ITO["vermillion"],
        linestyle="--",
        label="best design, every division",
    )
    right.set_ylim(0, 1)
    right.legend(loc="upper right", fontsize=8, frameon=False)
    style_axes(right, title="Each division at the end", xlabel="division (most committed first)")
    gain = history.spillover
    top = int(gain.argmax())
    said = (
        f" The division that gained most from the ties between divisions goes from "
        f"{history.alone_final[top]:.0%} apart to {history.division_final[top]:.0%} joined."
        if gain[top] > 0
        else " No division gains from the ties between divisions."
    )
    return DebriefFigure(fig, history.summary + said)
