"""Feedback written again from the grading's files, after an instructor scores by hand.

``senge-course feedback GRADED`` calls `rebuild_feedback`: nothing is run again.
"""

from pathlib import Path

from ..course.checks import Outcome
from ..course.classfile import read_class
from ..files import write_text
from .feedback import feedback_html, feedback_markdown
from .gradebook import Result, read_gradebook
from .manual import TEMPLATE_NAME, manual_points, read_manual_scores

__all__ = ["rebuild_feedback"]


def rebuild_feedback(gradebook, out=None, *, html=True):
    """Write every student's feedback again from the grading's files; return the paths written.

    `gradebook` is the gradebook CSV (or the folder holding ``gradebook.csv``); the outcomes come
    from ``class.json`` beside it, the instructor's scores and comments from
    ``manual-scores.csv`` if there is one.  One ``<student>.md`` per graded student goes into
    `out` (default: a ``feedback`` folder beside the gradebook), and with `html` an HTML page
    beside it.  Nothing is run again: an instructor who scores reflections by hand gets new
    feedback in seconds.
    """
    path = Path(gradebook)
    path = path / "gradebook.csv" if path.is_dir() else path
    rows = {row["student"]: row for row in read_gradebook(path)}
    records = read_class(path.with_name("class.json"))["students"]
    out = Path(out) if out is not None else path.with_name("feedback")
    out.mkdir(parents=True, exist_ok=True)
    scores_by_lesson = {}
    written = []
    for student, record in records.items():
        lesson = record.get("lesson") or ""
        manual_path = path.with_name(TEMPLATE_NAME)
        if lesson and lesson not in scores_by_lesson:
            scores_by_lesson[lesson] = (
                manual_points(read_manual_scores(manual_path, lesson), lesson)
                if manual_path.exists()
                else {}
            )
        outcomes = tuple(
            Outcome(
                o["status"],
                o["message"],
                o["score"],
                o["max_score"],
                o["question"],
                o["name"],
                lesson,
            )  # fmt: skip
            for o in record.get("outcomes", ())
        )
        row = rows.get(student, {})
        result = Result(
            student,
            row.get("status", record.get("status", "ok")),
            lesson,
            outcomes,
            record.get("max_score"),
            row.get("detail", record.get("detail", "")),
            graded=record.get("graded", bool(outcomes)),
        )
        text = feedback_markdown(result, scores_by_lesson.get(lesson, {}).get(student))
        target = out / f"{student}.md"
        write_text(target, text, what="the feedback")
        written.append(target)
        if html:
            page = out / f"{student}.html"
            write_text(page, feedback_html(text, student), what="the feedback page")
            written.append(page)
    return written
