"""What the grader keeps of a class besides scores: ``class.json``, next to the gradebook.

For each graded submission, by student id: its lesson and status, every question's outcome
(status, points, the check's message, the question's kind) and its answers as plain JSON (a
debrief reads the predictions, designs, concept-check answers, reflections and the wrong answers
the class gave most often).  Nothing else of the student: no name beyond the id the gradebook
uses, no file path.  The file is versioned (``"schema": "senge-course/class"``, version 1),
rewritten atomically with the gradebook, and read back by `read_class` (``senge-course
feedback`` rebuilds feedback pages from it and the instructor's manual scores).

>>> import tempfile, pathlib
>>> from senge_course.course.checks import Outcome
>>> path = pathlib.Path(tempfile.mkdtemp()) / "class.json"
>>> outcome = Outcome("submitted", "Recorded.", 0.0, 0.0, "q3", "prediction_x", "00")
>>> record = {"lesson": "00", "status": "ok", "outcomes": [outcome_data(outcome, "prediction")],
...           "answers": {"prediction_x": "b"}}
>>> write_class(path, {"ada": record})
>>> read_class(path)["students"]["ada"]["answers"]
{'prediction_x': 'b'}
"""

import json
import math
from numbers import Integral, Real
from pathlib import Path

from ..files import write_text

__all__ = [
    "SCHEMA",
    "VERSION",
    "ClassFileError",
    "json_safe",
    "outcome_data",
    "read_class",
    "write_class",
]

SCHEMA = "senge-course/class"
VERSION = 1

_MAX_TEXT = 4000
_MAX_ITEMS = 200


class ClassFileError(ValueError):
    """A class file that is not this grader's, or of another version: left as it is."""


def json_safe(value, depth=0):
    """`value` as plain JSON data: numbers, text (at most 4,000 characters), lists and objects of
    them (at most 200 items, 6 levels); anything else as its type's name.

    >>> json_safe({"levers": (2, 0.8), "plan": float("nan"), "f": len})
    {'levers': [2, 0.8], 'plan': None, 'f': '<builtin_function_or_method>'}
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return value[:_MAX_TEXT]
    if depth < 6 and isinstance(value, dict):
        items = list(value.items())[:_MAX_ITEMS]
        return {str(k)[:200]: json_safe(v, depth + 1) for k, v in items}
    if depth < 6 and isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v, depth + 1) for v in list(value)[:_MAX_ITEMS]]
    return f"<{type(value).__name__}>"


def outcome_data(outcome, kind=""):
    """One question's `Outcome` (and its kind) as plain data."""
    return {
        "question": outcome.question,
        "name": outcome.name,
        "kind": kind,
        "status": outcome.status,
        "score": float(outcome.score),
        "max_score": float(outcome.max_score),
        "message": outcome.message,
    }


def write_class(path, students):
    """Write the class file: `students` maps each student id to its record (see the module)."""
    data = {
        "schema": SCHEMA,
        "version": VERSION,
        "students": {s: students[s] for s in sorted(students)},
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: it grows
    write_text(Path(path), text + "\n", what="the class file")


def read_class(path):
    """Read a class file this grader wrote; raise `ClassFileError` (naming it) if it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClassFileError(f"cannot read the class file {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ClassFileError(f"{path} is not a senge-course class file (schema {SCHEMA!r})")
    if data.get("version") != VERSION:
        raise ClassFileError(
            f"{path} is a class file of version {data.get('version')!r}; this grader reads "
            f"version {VERSION}"
        )
    if not isinstance(data.get("students"), dict):
        raise ClassFileError(f"{path} has no students")
    return data
