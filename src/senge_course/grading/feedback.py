"""Feedback for one student: a Markdown page with the status, the total and each question's outcome.

It holds that submission's outcomes and the check messages only: nothing of other students, no
solutions, and no expected answer beyond what ``q.check()`` shows.  Names, notes and messages
may come from learners, so they are escaped or fenced, never read as Markdown or HTML.
"""

import functools
import re

from ..course.lessons import get_lesson
from .status import STATUSES, one_line

__all__ = ["feedback_html", "feedback_markdown", "markdown_text", "points"]


def feedback_markdown(result, manual=None):
    """The feedback page of `result` (a `senge_course.grading.Result`), as Markdown text.

    `manual` maps question labels to the instructor's scoring (`senge_course.grading.manual`'s
    `manual_points` for one student): scored reflections show their points and comments.
    """
    manual = manual or {}
    title = f"lesson {result.lesson}" if result.lesson else "your exercise"
    if result.lesson:
        title += f": {get_lesson(result.lesson).title}"
    lines = [f"# Feedback on {title}", "", f"- **Student:** {markdown_text(result.student)}"]
    if result.max_score is not None:
        lines.append(f"- **Score:** {points(result.score, 2)} of {points(result.max_score, 2)}")
    lines.append(f"- **Status:** {result.status} ({STATUSES[result.status]})")
    if result.detail:
        lines.append(f"- **Notes:** {markdown_text(result.detail)}")
    lines.append("")
    if not result.graded:
        lines.append(
            "Nothing could be graded: fix what the notes say, check the notebook with "
            "`senge-course check NOTEBOOK` (or Kernel > Restart and Run All), and submit it again."
        )
        return "\n".join(lines) + "\n"
    lines += ["| Question | Outcome | Points |", "|---|---|---|"]
    for o in result.outcomes:
        score = f"{points(o.score, 2)} of {points(o.max_score, 2)}"
        lines.append(f"| {o.question} (`{o.name}`) | {o.label} | {score} |")
    lines.append("")
    prompts = _prompts(result.lesson)
    for o in result.outcomes:
        lines += [f"## {o.question}: {o.label}", ""]
        if prompts.get(o.question):
            lines += [f"*{prompts[o.question]}*", ""]
        fence = "`" * max(3, max(map(len, re.findall(r"`+", o.message)), default=0) + 1)
        lines += [f"{fence}text", o.message, fence, ""]
        scored = manual.get(o.question) or {}
        if scored.get("points") is not None:
            lines.append(
                f"**Scored by your instructor:** {points(scored['points'])} of "
                f"{points(scored['max_points'])}."
            )
            if scored.get("comment"):
                lines.append(f"**Comment:** {markdown_text(scored['comment'])}")
            lines.append("")
    lines.append(
        "Open the notebook and run `q1.check()`, `q1.hint()`, ... to work on any question "
        "that is not yet correct."
    )
    return "\n".join(lines) + "\n"


def markdown_text(text):
    """`text` on one line, escaped so that Markdown or HTML in it shows as typed.

    >>> print(markdown_text("<b>Zoë_1</b> *x* [a](b) snake_case"))
    \\<b\\>Zoë_1\\</b\\> \\*x\\* \\[a\\](b) snake_case
    """
    text = re.sub(r"([\\`*\[\]<>&|~#])", r"\\\1", one_line(text))
    return re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)


def points(x, decimals=4):
    """A score as text: rounded to `decimals` (4 in the gradebook, which LMS imports read; 2 where
    a learner reads it), without trailing zeros.

    >>> points(5.0), points(1.83333333), points(7.7777778, 2)
    ('5', '1.8333', '7.78')
    """
    return format(round(float(x), decimals), "g")


@functools.cache
def _prompts(lesson):
    from ..course.questions import get_exercise

    return {label: q.prompt for label, q in get_exercise(lesson).items()}


def feedback_html(markdown, student):
    """An accessible HTML page of a feedback page's Markdown (student text stays escaped)."""
    import html as html_module

    from ..install import require

    mistune = require("mistune", "grade", purpose="feedback pages as HTML")

    body = mistune.create_markdown(escape=True, plugins=["table"])(markdown)
    title = html_module.escape(f"Feedback for {student}")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n"
        "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;color:#1a1a1a}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>\n"
        f"</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
