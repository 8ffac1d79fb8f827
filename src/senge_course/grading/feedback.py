"""Feedback for one student: a Markdown page with the status, the total and each question's outcome.

It holds that submission's outcomes and the check messages only: nothing of other students, no
solutions, and no expected answer beyond what ``q.check()`` shows.  Names, notes and messages
may come from learners, so they are escaped or fenced, never read as Markdown or HTML.
"""

import functools
import re

from ..course.lessons import get_lesson
from .status import STATUSES, one_line

__all__ = ["feedback_markdown", "markdown_text", "points"]


def feedback_markdown(result):
    """The feedback page of `result` (a `senge_course.grading.Result`), as Markdown text."""
    title = f"lesson {result.lesson}" if result.lesson else "your exercise"
    if result.lesson:
        title += f": {get_lesson(result.lesson).title}"
    lines = [f"# Feedback on {title}", "", f"- **Student:** {markdown_text(result.student)}"]
    if result.max_score is not None:
        lines.append(f"- **Score:** {points(result.score)} of {points(result.max_score)}")
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
        score = f"{points(o.score)} of {points(o.max_score)}"
        lines.append(f"| {o.question} (`{o.name}`) | {o.label} | {score} |")
    lines.append("")
    prompts = _prompts(result.lesson)
    for o in result.outcomes:
        lines += [f"## {o.question}: {o.label}", ""]
        if prompts.get(o.question):
            lines += [f"*{prompts[o.question]}*", ""]
        fence = "`" * max(3, max(map(len, re.findall(r"`+", o.message)), default=0) + 1)
        lines += [f"{fence}text", o.message, fence, ""]
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


def points(x):
    """A score as text: rounded to 4 decimals, without trailing zeros.

    >>> points(5.0), points(1.83333333)
    ('5', '1.8333')
    """
    return format(round(float(x), 4), "g")


@functools.cache
def _prompts(lesson):
    from ..course.questions import get_exercise

    return {label: q.prompt for label, q in get_exercise(lesson).items()}
