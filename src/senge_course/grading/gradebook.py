"""The gradebook: one `Result` per submission in a CSV file, and the reflections file beside it.

Both are rewritten atomically (`senge_course.files.write_text`) after every finished submission.
A cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) is written
with a leading ``'`` and read back without it.  Columns an instructor added are kept.
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..files import write_text
from .feedback import feedback_markdown, points
from .status import STATUSES, one_line

__all__ = [
    "LEADING",
    "TRAILING",
    "GradebookError",
    "Result",
    "read_gradebook",
    "read_reflections",
    "write_gradebook",
    "write_reflections",
]

#: Columns before and after the per-question columns ``q1, q2, ...``.
LEADING = ("student", "status", "score", "max_score")
TRAILING = ("lesson", "cell_errors", "seconds", "checksum", "detail", "identical_to")

_QCOL = re.compile(r"q(\d+)")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class GradebookError(ValueError):
    """An existing gradebook (or reflections file) cannot be read; it is left untouched."""


@dataclass(frozen=True)
class Result:
    """The grade of one submission: the `student`, the `status` (a key of `STATUSES`), the
    `lesson` it was judged as, one `Outcome` per question (``q1``, ``q2``, ...; none if the lesson
    is unknown), the points available (`max_score`, or None), a `detail` in sentences (time
    limits, errors, ...), how many of the learner's cells raised (`cell_errors`), the wall-clock
    `seconds` spent, the `checksum` (16 hex digits of the file's SHA-256: a rerun regrades a
    changed file), the `reflections` written as ``(question, text)`` pairs, whether answers
    were read from the kernel and judged (`graded`), and the `answers` a class debrief reads
    (``(name, plain JSON value)`` pairs: `senge_course.course.classfile`)."""

    student: str
    status: str
    lesson: str = ""
    outcomes: tuple = ()
    max_score: float | None = None
    detail: str = ""
    cell_errors: int = 0
    seconds: float = 0.0
    checksum: str = ""
    reflections: tuple = ()
    graded: bool = False
    answers: tuple = ()

    @property
    def score(self):
        """Points earned (the sum over the questions)."""
        return float(sum(o.score for o in self.outcomes))

    def row(self):
        """The gradebook row: column name to text."""
        return {
            "student": self.student,
            "status": self.status,
            "score": points(self.score),
            "max_score": "" if self.max_score is None else points(self.max_score),
            "lesson": self.lesson,
            "cell_errors": str(self.cell_errors),
            "seconds": f"{self.seconds:.1f}",
            "checksum": self.checksum,
            "detail": self.detail,
        } | {o.question: points(o.score) for o in self.outcomes}

    def feedback(self, manual=None):
        """The student's Markdown feedback page (`senge_course.grading.feedback`); `manual`, the
        instructor's points and comments by question (`senge_course.grading.manual`)."""
        return feedback_markdown(self, manual)

    def record(self, kinds):
        """This result as the class file keeps it (`senge_course.course.classfile`); `kinds`
        maps each question label to its kind."""
        from ..course.classfile import outcome_data

        return {
            "lesson": self.lesson,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "detail": self.detail,
            "graded": self.graded,
            "outcomes": [outcome_data(o, kinds.get(o.question, "")) for o in self.outcomes],
            "answers": dict(self.answers),
        }


def read_gradebook(path):
    """Read a gradebook this grader wrote: a list of rows (column name to text); raise
    `GradebookError`, leaving the file as it is, if it is not such a gradebook.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "marks.csv").write_text("name,mark\\nada,3\\n")
    16
    >>> read_gradebook(folder / "marks.csv")
    Traceback (most recent call last):
    ...
    senge_course.grading.gradebook.GradebookError: ... lacks the columns student, status, score, max_score)...left untouched...
    """
    path = Path(path)
    rows = _read_csv(path, LEADING)
    seen = set()
    for number, row in enumerate(rows, start=2):
        problem = None
        if not row["student"]:
            problem = f"line {number} has no student"
        elif row["student"] in seen:
            problem = f"student {row['student']!r} appears twice"
        elif row["status"] not in STATUSES:
            problem = f"line {number} has the unknown status {row['status']!r}"
        elif not _is_number(row["score"]):
            problem = f"line {number} has the score {row['score']!r}, not a number"
        if problem:
            raise _unreadable(path, problem)
        seen.add(row["student"])
    return rows


def write_gradebook(path, rows, *, questions=0):
    """Write `rows` (student to row) sorted by student, with columns ``q1`` to ``q<questions>``
    at least (and any other the rows hold)."""
    numbers = set(range(1, questions + 1))
    extra = {}  # columns an instructor added (comments, ...) are kept, after ours
    for row in rows.values():
        for k in row:
            if m := _QCOL.fullmatch(k):
                numbers.add(int(m.group(1)))
            elif k not in LEADING and k not in TRAILING:
                extra.setdefault(k, None)
    columns = [*LEADING, *(f"q{n}" for n in sorted(numbers)), *TRAILING, *extra]
    _write_csv(path, columns, ([rows[s].get(c, "") or "" for c in columns] for s in sorted(rows)))


def read_reflections(path):
    """The reflections file's texts: student to a list of ``(question, text)``."""
    texts = {}
    for row in _read_csv(Path(path), ("student", "question", "text")):
        texts.setdefault(row["student"], []).append((row["question"], row["text"]))
    return texts


def write_reflections(path, texts):
    """Write the reflections (student to ``(question, text)`` pairs) sorted by student."""
    lines = ([s, q, t] for s in sorted(texts) for q, t in texts[s])
    _write_csv(path, ["student", "question", "text"], lines)


# ---------------------------------------------------------------- helpers


def safe_cell(text):
    """`text` as the gradebook writes it: with a leading ``'`` if a spreadsheet would run it as a
    formula, or if it starts with ``'`` itself (so that ``"=x"`` and ``"'=x"`` stay two cells,
    two students, and each reads back as it was: `read_cell`).

    >>> safe_cell("=1+1"), safe_cell("'=x"), safe_cell("ada")
    ("'=1+1", "''=x", 'ada')
    >>> [read_cell(safe_cell(t)) for t in ("=x", "'=x", "'Tis", "ada")]
    ['=x', "'=x", "'Tis", 'ada']
    """
    text = str(text)
    return "'" + text if text[:1] in (*_FORMULA, "'") else text


def read_cell(text):
    """A cell as `safe_cell` wrote it, read back (a leading ``'`` before a formula sign or
    another ``'`` is taken off; older gradebooks read the same)."""
    return text[1:] if text[:1] == "'" and text[1:2] in (*_FORMULA, "'") else text


def _write_csv(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # a leading ' keeps a spreadsheet from running learner text as a formula
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    write_text(path, buffer.getvalue())


def _read_csv(path, required):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, one_line(str(exc) or type(exc).__name__)[:200]) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        rows = list(reader)
    except csv.Error as exc:
        raise _unreadable(path, f"not CSV: {exc}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise _unreadable(path, f"it lacks the columns {', '.join(missing)}")
    out = []
    for number, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise _unreadable(path, f"line {number} does not have {len(header)} fields")
        out.append({k: read_cell(v) for k, v in row.items()})
    return out


def _unreadable(path, reason):
    return GradebookError(
        f"{path} cannot be read as a gradebook ({reason}); it was left untouched: "
        "move it away, or grade again with --force to replace it"
    )


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
