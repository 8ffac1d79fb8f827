"""Manual grading of the reflections: a scores file the instructor fills in, merged on every run.

The automatic check marks a reflection *submitted* and gives it no points (a `Reflection` has
``auto_points == 0``).  The instructor scores it by hand against the criteria the learner was
shown (`senge_course.course.rubrics`), each on the scale `LEVELS` (0 to 3), in a CSV file next
to the gradebook (`TEMPLATE_NAME`), never in the gradebook itself:

1. `write_template` writes (or extends) that file: one row per student, reflection question and
   criterion, with the columns ``student, question, criterion, points, comment``; rows already
   filled in are kept as they are, and rows for new students are added;
2. `read_manual_scores` reads it back, refusing unknown questions or criteria, a level outside 0
   to 3 and a row given twice, with the file, the line and the value in the message;
3. `manual_points` turns the levels into each question's points: the mean of its criteria's
   levels / 3, times the question's points, once every criterion is scored (else ``None``);
4. `merge_manual` puts those points into a gradebook row.  It keeps the automatic score in
   ``auto_score`` and ``auto_max_score`` and rebuilds ``score`` and ``max_score`` from them, so
   merging twice (every grading run, ``--force`` included) gives the same row, and a regrade
   never loses the instructor's scores;
5. `write_response_pack` writes one HTML page per reflection question with every student's
   answer (anonymised by default), for reading a class's reflections quickly.

A question's points count in ``max_score`` only once it is scored by hand: until then the
student's total is their automatic score out of the automatic points, never lowered by grading
not yet done, and the ``manual`` column says how many questions have been scored by hand.

Examples
--------
Lesson 05 has one reflection, ``q10``, with four criteria worth 1 point in all.  An instructor
who gives it levels 3, 2, 2 and 1 gives it (3 + 2 + 2 + 1) / 4 / 3 = 2/3 of a point:

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "manual-scores.csv"
>>> print(write_template(path, ["ada"], "05").summary)
Added 4 rows for 1 new student (ada); kept 0 rows, 0 filled in.
>>> lines = path.read_text().splitlines()
>>> lines[0]
'student,question,criterion,points,comment'
>>> lines[1:] = [line.replace(",,", f",{level},") for line, level in zip(lines[1:], "3221")]
>>> _ = path.write_text("\\n".join(lines) + "\\n")
>>> points = manual_points(read_manual_scores(path, "05"), "05")
>>> points["ada"]["q10"]["points"]
0.6666666666666666
>>> row = {"student": "ada", "status": "ok", "score": "5", "max_score": "7", "q10": "0",
...        "lesson": "05"}
>>> merged = merge_manual(row, points["ada"], "05")
>>> merged["score"], merged["max_score"], merged["q10"], merged["manual"]
('5.6667', '8', '0.6667', '1')
>>> merge_manual(merged, points["ada"], "05") == merged
True
"""

import csv
import functools
import hashlib
import html
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Real
from pathlib import Path
from types import MappingProxyType

from .. import files
from ..course.lessons import get_lesson
from ..course.questions import get_exercise
from ..course.rubrics import LEVELS, rubrics
from .feedback import points as points_text

__all__ = [
    "COLUMNS",
    "MERGE_COLUMNS",
    "TEMPLATE_NAME",
    "ManualScore",
    "ManualScoresError",
    "ResponsePack",
    "TemplateUpdate",
    "manual_points",
    "merge_manual",
    "read_manual_scores",
    "reflection_questions",
    "write_response_pack",
    "write_template",
]

#: The file name the manual scores go under, next to the gradebook.
TEMPLATE_NAME = "manual-scores.csv"
#: The manual-scores file's columns (an instructor's own columns are kept after them).
COLUMNS = ("student", "question", "criterion", "points", "comment")
#: The columns `merge_manual` adds to a gradebook row.
MERGE_COLUMNS = ("manual", "auto_score", "auto_max_score")

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_LOW, _HIGH = min(LEVELS), max(LEVELS)


class ManualScoresError(ValueError):
    """A manual-scores file (or a response pack's key) cannot be used: the message names the
    file, the line and the value; nothing was written."""


@dataclass(frozen=True)
class ManualScore:
    """One row of a manual-scores file: the `student`, the reflection `question` (its label,
    ``"q10"``), the `criterion` (its text, as the rubric gives it), the `level` from the
    ``points`` column (an int in `LEVELS`, or None if not scored yet), the instructor's
    `comment`, and the `line` of the file it was read from (0 if it was not read from a file)."""

    student: str
    question: str
    criterion: str
    level: int | None = None
    comment: str = ""
    line: int = 0

    @property
    def filled(self):
        """True if the instructor gave a level or wrote a comment."""
        return self.level is not None or bool(self.comment.strip())


@dataclass(frozen=True)
class TemplateUpdate:
    """What `write_template` did: the `path` written, the `added` rows and the students they
    were added for (`new_students`, who had no row before), the rows `kept` from the file as it
    was, and how many of those were `filled` in by the instructor."""

    path: Path
    added: int
    new_students: tuple
    kept: int
    filled: int

    @property
    def summary(self):
        """One sentence: what was added and what was kept."""
        who = ""
        if self.new_students:
            shown = ", ".join(self.new_students[:5]) + (
                ", ..." if len(self.new_students) > 5 else ""
            )
            who = f" for {_plural(len(self.new_students), 'new student')} ({shown})"
        return (
            f"Added {_plural(self.added, 'row')}{who}; "
            f"kept {_plural(self.kept, 'row')}, {self.filled} filled in."
        )


@dataclass(frozen=True)
class ResponsePack:
    """What `write_response_pack` wrote: one HTML page per reflection question (`pages`, in the
    lesson's order), the `key` file mapping "Student N" to names (None unless anonymised), and
    how many `students` and `answers` the pages show."""

    pages: tuple
    key: Path | None
    students: int
    answers: int

    @property
    def paths(self):
        """Every file written: the pages, then the key (if any)."""
        return self.pages + ((self.key,) if self.key is not None else ())

    @property
    def summary(self):
        """One sentence: what the pack holds."""
        key = f"; the key is {self.key.name}" if self.key is not None else ""
        return (
            f"{_plural(len(self.pages), 'page')} with {_plural(self.answers, 'answer')} "
            f"from {_plural(self.students, 'student')}{key}."
        )


def reflection_questions(lesson):
    """The reflection questions of `lesson`, as the rubric gives them (plain data).

    Parameters
    ----------
    lesson : str
        A lesson number (``"05"`` or ``"5"``).

    Returns
    -------
    list of dict
        One per reflection question, in the lesson's order: ``label`` (``"q10"``), ``name`` (the
        variable it reads), ``points``, ``min_words``, ``criteria`` (a list of texts) and
        ``prompt`` (the question as the notebook asks it).

    Raises
    ------
    ValueError
        If the lesson is unknown or has no reflection question.

    Examples
    --------
    Lesson 08 asks three reflections, each scored on four criteria:

    >>> [(q["label"], q["points"], len(q["criteria"])) for q in reflection_questions("8")]
    [('q11', 1.0, 4), ('q12', 1.0, 4), ('q13', 1.0, 4)]
    """
    return [dict(q, criteria=list(q["criteria"])) for q in _questions(_lesson(lesson))]


def write_template(path, students, lesson, *, existing=None):
    """Write the manual-scores template of `lesson` for `students`, keeping what is filled in.

    The file has the columns `COLUMNS`: one row per student x reflection question x criterion,
    ``points`` empty for the instructor to fill in (a level of `LEVELS`, 0 to 3) and a
    ``comment``.  If the file exists (or `existing` is given), every row in it is kept as it is,
    filled in or not, with any column the instructor added; only the rows missing (new students,
    or a criterion new to the rubric) are added.  The rows are sorted by student, then in the
    lesson's order.  The file is written atomically, and a cell a spreadsheet would run as a
    formula gets a leading ``'`` (read back without it).

    Parameters
    ----------
    path : path
        The CSV file to write (by convention `TEMPLATE_NAME` next to the gradebook).
    students : iterable of str
        The students to have rows for (those of the gradebook graded as `lesson`).
    lesson : str
        The lesson number (``"05"``).
    existing : path, optional
        A manual-scores file to keep the rows of (default: `path`, if it exists); if `path`
        exists too, it must be the same file.

    Returns
    -------
    TemplateUpdate
        What was added and kept (``.summary`` says it in a sentence).

    Raises
    ------
    ManualScoresError
        If the existing file cannot be read or has a bad row (naming the line and the value):
        nothing is written, so no score is lost.
    FileNotFoundError
        If `existing` is given and there is no such file.
    ValueError, TypeError
        For an unknown lesson, a student that is not a non-empty string, or an `existing`
        other than `path` when `path` exists.
    OSError
        If the file cannot be written (the old one is then unchanged).

    Examples
    --------
    A second call for a larger class adds the new student's rows and keeps the first's:

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "manual-scores.csv"
    >>> write_template(path, ["ada"], "05").added
    4
    >>> print(write_template(path, ["ada", "bo"], "05").summary)
    Added 4 rows for 1 new student (bo); kept 4 rows, 0 filled in.
    """
    path = Path(path)
    lesson = _lesson(lesson)
    questions = _questions(lesson)
    wanted = _students(students)
    source = Path(existing) if existing is not None else path
    if path.exists() and source.resolve() != path.resolve():
        raise ValueError(
            f"cannot write the manual-scores template to {path}: the file exists, and "
            f"existing={str(source)!r} names another file, so its rows could be lost: "
            "move one of them away"
        )
    extra, kept = [], []
    if existing is not None or path.exists():
        extra, kept = _read_scores(source, lesson)
    have = {(s.student, s.question, s.criterion) for s, _ in kept}
    before = {s.student for s, _ in kept}
    added = [
        (ManualScore(student, q["label"], criterion), {})
        for student in wanted
        for q in questions
        for criterion in q["criteria"]
        if (student, q["label"], criterion) not in have
    ]
    order = {
        (q["label"], c): (i, j)
        for i, q in enumerate(questions)
        for j, c in enumerate(q["criteria"])
    }
    rows = sorted(kept + added, key=lambda r: (r[0].student, order[r[0].question, r[0].criterion]))
    table = [
        [s.student, s.question, s.criterion, "" if s.level is None else str(s.level), s.comment]
        + [more.get(c, "") for c in extra]
        for s, more in rows
    ]
    _write_table(path, [*COLUMNS, *extra], table, what="the manual-scores template")
    new = tuple(s for s in wanted if s not in before)
    filled = sum(s.filled for s, _ in kept)
    return TemplateUpdate(path, len(added), new, len(kept), filled)


def read_manual_scores(path, lesson):
    """Read and check a manual-scores file of `lesson`.

    Parameters
    ----------
    path : path
        The CSV file (`write_template` writes it; UTF-8, with or without a byte-order mark,
        comma- or semicolon-separated, as spreadsheets save it).
    lesson : str
        The lesson number the file scores.

    Returns
    -------
    list of ManualScore
        One per row, in the file's order (blank rows are skipped).

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ManualScoresError
        If the file is not UTF-8 CSV with the columns `COLUMNS`, or a row names no student, a
        question that is not one of the lesson's reflections, a criterion that is not one of
        that question's, a ``points`` value that is not a whole number from 0 to 3 (or empty),
        or the same student, question and criterion as an earlier row.  The message names the
        file, the line and the value.

    Examples
    --------
    A level of 4 is refused, with the line it is on:

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "manual-scores.csv"
    >>> _ = write_template(path, ["ada"], "05")
    >>> lines = path.read_text().splitlines()
    >>> _ = path.write_text("\\n".join([lines[0], lines[1].replace(",,", ",4,")]) + "\\n")
    >>> read_manual_scores(path, "05")
    Traceback (most recent call last):
    ...
    senge_course.grading.manual.ManualScoresError: .../manual-scores.csv, line 2: points '4' ... from 0 to 3 ...
    """
    return [score for score, _ in _read_scores(Path(path), _lesson(lesson))[1]]


def manual_points(scores, lesson):
    """Each student's points for each reflection question of `lesson`, from the levels given.

    A question's points are the mean of its criteria's levels / 3, times the question's
    ``points`` (from the rubric), once every criterion of it is scored; until then None (*not
    yet scored*).  A pure function: it reads no file.

    Parameters
    ----------
    scores : iterable of ManualScore
        What `read_manual_scores` returns.
    lesson : str
        The lesson number.

    Returns
    -------
    dict
        ``{student: {label: {...}}}`` for every student in `scores` and every reflection
        question of the lesson, each a dict with ``points`` (float, or None if not yet scored),
        ``max_points`` (the question's points), ``scored`` and ``criteria`` (how many criteria
        are scored, of how many), ``levels`` (criterion to level, for those scored),
        ``comments`` (the non-empty comments, in the rubric's order) and ``comment`` (them
        joined with ``"; "``).

    Raises
    ------
    ValueError
        For an unknown lesson, or a score whose question, criterion or level is not the
        lesson's (`read_manual_scores` refuses those already).
    TypeError
        If an item of `scores` is not a `ManualScore`.

    Examples
    --------
    Three of lesson 05's four criteria scored is not yet a score:

    >>> criteria = reflection_questions("05")[0]["criteria"]
    >>> scores = [ManualScore("ada", "q10", c, 3) for c in criteria[:3]]
    >>> manual_points(scores, "05")["ada"]["q10"]["points"] is None
    True
    >>> scores.append(ManualScore("ada", "q10", criteria[3], 0, "Name a real organisation."))
    >>> result = manual_points(scores, "05")["ada"]["q10"]
    >>> result["points"], result["comment"]
    (0.75, 'Name a real organisation.')
    """
    lesson = _lesson(lesson)
    questions = {q["label"]: q for q in _questions(lesson)}
    given = {}
    for score in scores:
        if not isinstance(score, ManualScore):
            raise TypeError(
                f"scores must hold ManualScore rows (as read_manual_scores returns), "
                f"got {type(score).__name__}"
            )
        question = questions.get(score.question)
        if question is None or score.criterion not in question["criteria"]:
            raise ValueError(
                f"{score.question!r}, {score.criterion!r} is not a reflection criterion of "
                f"lesson {lesson}: use read_manual_scores to read a manual-scores file"
            )
        if score.level is not None and score.level not in LEVELS:
            raise ValueError(
                f"level must be a whole number from {_LOW} to {_HIGH}, got level={score.level!r}"
            )
        given.setdefault(score.student, {}).setdefault(score.question, {})[score.criterion] = score
    out = {}
    for student in sorted(given):
        out[student] = {}
        for label, question in questions.items():
            rows = given[student].get(label, {})
            levels = {
                c: rows[c].level
                for c in question["criteria"]
                if c in rows and rows[c].level is not None
            }
            comments = [
                rows[c].comment.strip()
                for c in question["criteria"]
                if c in rows and rows[c].comment.strip()
            ]
            complete = len(levels) == len(question["criteria"])
            mean = sum(levels.values()) / len(levels) if complete else None
            out[student][label] = {
                "points": None if mean is None else mean / _HIGH * question["points"],
                "max_points": question["points"],
                "scored": len(levels),
                "criteria": len(question["criteria"]),
                "levels": levels,
                "comments": comments,
                "comment": "; ".join(c.rstrip(";") for c in comments),
            }
    return out


def merge_manual(row, manual, lesson):
    """One gradebook row with its student's manual points merged in (a new dict).

    Each reflection question's column gets the manual points if that question is scored by
    hand, else its automatic value (0); ``score`` is the automatic score plus the manual points
    and ``max_score`` the automatic points plus those of the questions scored by hand (a
    question not yet scored counts in neither).  The columns `MERGE_COLUMNS` are set:
    ``manual`` (how many questions were scored by hand), ``auto_score`` and ``auto_max_score``
    (the automatic score and points, from which a later merge starts again).  So merging is
    idempotent: merging a merged row, with the same or with changed manual points, gives the
    row that merging the automatic row gives.

    A row not graded as `lesson` (another lesson in its ``lesson`` column, or no ``max_score``:
    a notebook that could not be judged) gets ``manual`` 0 and keeps its automatic scores.

    Parameters
    ----------
    row : mapping
        A gradebook row (column name to text), as `senge_course.grading.read_gradebook` or
        ``Result.row()`` gives it, merged before or not.
    manual : mapping or None
        That student's entry of `manual_points` (label to a dict with ``points``, or to a
        number or None); ``{}`` if the student has no manual scores.  None undoes a merge:
        the automatic score and points come back and the `MERGE_COLUMNS` are removed.
    lesson : str
        The lesson number.

    Returns
    -------
    dict
        The merged row.

    Raises
    ------
    ValueError
        For an unknown lesson, a label that is not a reflection of it, points outside 0 to the
        question's points, or a row whose score or max_score is not a number.
    TypeError
        If `row` or `manual` is not a mapping.

    Examples
    --------
    A question scored by hand counts in both the score and the points available; merging
    again changes nothing, and None gives the automatic row back:

    >>> row = {"student": "ada", "score": "4.5", "max_score": "7", "q10": "0", "lesson": "05"}
    >>> merged = merge_manual(row, {"q10": 1.0}, "05")
    >>> merged["score"], merged["max_score"], merged["manual"], merged["auto_score"]
    ('5.5', '8', '1', '4.5')
    >>> merge_manual(merged, {"q10": 1.0}, "05") == merged
    True
    >>> merge_manual(merged, None, "05") == row
    True
    """
    lesson = _lesson(lesson)
    questions = _questions(lesson)
    if not isinstance(row, Mapping):
        raise TypeError(f"row must be a gradebook row (a dict), got {type(row).__name__}")
    if manual is not None and not isinstance(manual, Mapping):
        raise TypeError(
            f"manual must be a student's entry of manual_points (a dict) or None, "
            f"got {type(manual).__name__}"
        )
    out = dict(row)
    student = out.get("student", "")
    merged = bool(out.get("auto_score", ""))
    score, max_score = (
        (out["auto_score"], out.get("auto_max_score", ""))
        if merged
        else (out.get("score", ""), out.get("max_score", ""))
    )
    graded = out.get("lesson", "") == lesson and max_score != ""
    if merged or graded:
        # a merged row's reflection columns hold manual points: back to the automatic 0
        for q in questions:
            if q["label"] in out:
                out[q["label"]] = "0"
    out["score"], out["max_score"] = score, max_score
    if manual is None:
        for column in MERGE_COLUMNS:
            out.pop(column, None)
        return out
    given = _manual_given(manual, questions, lesson)
    count = 0
    if graded:
        base, available = _number(score, "score", student), _number(max_score, "max_score", student)
        for q in questions:
            value = given.get(q["label"])
            if value is not None:
                out[q["label"]] = points_text(value)
                base, available, count = base + value, available + q["points"], count + 1
        out["score"], out["max_score"] = points_text(base), points_text(available)
    out.update(manual=str(count), auto_score=score, auto_max_score=max_score)
    return out


def write_response_pack(reflections, out_dir, lesson, *, anonymise=True):
    """Write one HTML page per reflection question of `lesson` with every student's answer.

    Each page gives the question's prompt, its criteria and the scale at the top, then the
    answers, each under its student's heading (the text escaped: an answer is shown as written,
    never run as markup).  Anonymised (the default), students are "Student 1", "Student 2", ...
    in an order that does not follow their names, the same number on every page, and a key
    file (``responses-<lesson>-key.csv``: ``number, student``; keep it to yourself) maps the
    numbers to names; a rebuild reuses the key's numbers and gives new students the next ones.
    The pages are accessible HTML (a language, headings, landmarks, a skip link) that loads and
    runs nothing.

    Parameters
    ----------
    reflections : mapping
        Student to ``(question, text)`` pairs, as `senge_course.grading.gradebook.read_reflections`
        reads the reflections file.  Pairs for questions that are not reflections of `lesson`
        and empty texts are left out.
    out_dir : path
        The folder for the pages (made if missing): ``responses-<lesson>-<label>.html``.
    lesson : str
        The lesson number.
    anonymise : bool
        Show "Student N" instead of names, and write the key file.

    Returns
    -------
    ResponsePack
        The pages and the key written (``.paths`` lists them all).

    Raises
    ------
    ValueError, TypeError
        For an unknown lesson or reflections that are not student to (question, text) pairs.
    ManualScoresError
        If an existing key file cannot be read (nothing is written).
    OSError
        If a file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> pack = write_response_pack({"ada": [("q10", "Our <b>mentors</b> mattered.")]}, out, "05")
    >>> [p.name for p in pack.paths]
    ['responses-05-q10.html', 'responses-05-key.csv']
    >>> page = pack.pages[0].read_text()
    >>> "Student 1" in page, "ada" in page, "&lt;b&gt;mentors&lt;/b&gt;" in page
    (True, False, True)
    """
    lesson = _lesson(lesson)
    questions = _questions(lesson)
    answers = _answers(reflections, {q["label"] for q in questions})
    out_dir = Path(out_dir)
    key_path = out_dir / f"responses-{lesson}-key.csv"
    students = sorted({s for texts in answers.values() for s, _ in texts})
    if anonymise:
        numbers = _numbers(key_path, students, lesson)
        shown = {s: f"Student {numbers[s]}" for s in students}
        order = {s: numbers[s] for s in students}
    else:
        shown, order = {s: s for s in students}, {s: i for i, s in enumerate(students)}
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [f"responses-{lesson}-{q['label']}.html" for q in questions]
    pages = []
    for q, name in zip(questions, names, strict=True):
        texts = sorted(answers.get(q["label"], []), key=lambda pair: order[pair[0]])
        page = _page(q, lesson, [(shown[s], t) for s, t in texts], names, name, anonymise)
        files.write_text(out_dir / name, page, what="the response page")
        pages.append(out_dir / name)
    key = None
    if anonymise:
        rows = [[str(n), s] for s, n in sorted(numbers.items(), key=lambda item: item[1])]
        _write_table(key_path, ["number", "student"], rows, what="the response pack's key")
        key = key_path
    total = sum(len(texts) for texts in answers.values())
    return ResponsePack(tuple(pages), key, len(students), total)


# ---------------------------------------------------------------- the rubric of a lesson


def _lesson(lesson):
    """The lesson's number (``"05"``), or ValueError."""
    if not isinstance(lesson, str):
        raise TypeError(f"lesson must be a lesson number such as '05', got lesson={lesson!r}")
    return get_lesson(lesson).number


@functools.cache
def _all_reflections():
    return rubrics()["reflections"]


@functools.cache
def _questions(lesson):
    """The reflection questions of `lesson` (tuples inside, so the cache cannot be changed)."""
    items = _all_reflections().get(lesson)
    if not items:
        raise ValueError(f"lesson {lesson} has no reflection question to score by hand")
    prompts = {label: q.prompt for label, q in get_exercise(lesson).items()}
    return tuple(
        MappingProxyType(dict(q, criteria=tuple(q["criteria"]), prompt=prompts.get(q["label"], "")))
        for q in items
    )


def _students(students):
    if isinstance(students, str) or not isinstance(students, Iterable):
        raise TypeError(
            f"students must be a list of student names, got {type(students).__name__}"
            + (f" {students!r}" if isinstance(students, str) else "")
        )
    out = []
    for student in students:
        if not isinstance(student, str) or not student.strip():
            raise ValueError(f"each student must be a non-empty name, got {student!r}")
        student = unicodedata.normalize("NFC", student)
        if student not in out:
            out.append(student)
    return sorted(out)


# ---------------------------------------------------------------- reading a scores file


def _read_scores(path, lesson):
    """The extra columns and the rows ``(ManualScore, {extra column: text})`` of `path`."""
    questions = {q["label"]: q for q in _questions(lesson)}
    header, rows = _read_table(path, COLUMNS, what="manual scores")
    extra = [c for c in header if c not in COLUMNS]
    seen, out = {}, []
    for line, cell in rows:

        def bad(problem, line=line):
            return ManualScoresError(f"{path}, line {line}: {problem}")

        student = unicodedata.normalize("NFC", cell["student"])
        if not student.strip():
            raise bad("no student: every row names the student it scores")
        label = cell["question"].strip().lower()
        question = questions.get(label)
        if question is None:
            allowed = ", ".join(questions)
            raise bad(
                f"question {cell['question']!r} is not a reflection of lesson {lesson} "
                f"(allowed: {allowed})"
            )
        criterion = _criterion(cell["criterion"], question["criteria"])
        if criterion is None:
            allowed = "; ".join(repr(c) for c in question["criteria"])
            raise bad(
                f"criterion {cell['criterion']!r} is not one of {label}'s criteria "
                f"(allowed: {allowed})"
            )
        level = _level(cell["points"], bad)
        key = (student, label, criterion)
        if key in seen:
            raise bad(
                f"{student!r} is scored again on {label}, {criterion!r} (first on line "
                f"{seen[key]}): keep one row per student, question and criterion"
            )
        seen[key] = line
        score = ManualScore(student, label, criterion, level, cell["comment"], line)
        out.append((score, {c: cell[c] for c in extra}))
    return extra, out


def _criterion(text, criteria):
    """The criterion of `criteria` that `text` names (whitespace and Unicode form aside)."""
    wanted = _squash(text)
    return next((c for c in criteria if _squash(c) == wanted), None)


def _squash(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def _level(text, bad):
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not value.is_integer() or not _LOW <= value <= _HIGH:
        scale = ", ".join(f"{k} {label}" for k, (label, _) in LEVELS.items())
        raise bad(
            f"points {text!r} is not allowed: give a whole number from {_LOW} to {_HIGH} "
            f"({scale}), or leave it empty if not scored yet"
        )
    return int(value)


def _manual_given(manual, questions, lesson):
    """Label to points (float) or None, from a `manual_points` entry or label to number."""
    limits = {q["label"]: q["points"] for q in questions}
    given = {}
    for label, value in manual.items():
        if label not in limits:
            raise ValueError(
                f"manual names {label!r}, not a reflection of lesson {lesson} "
                f"(allowed: {', '.join(limits)})"
            )
        if isinstance(value, Mapping):
            value = value.get("points")
        if value is None:
            given[label] = None
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, Real)
            or not 0 <= value <= limits[label]
        ):
            raise ValueError(
                f"manual points of {label} must be a number from 0 to {limits[label]:g} or None, "
                f"got {value!r}"
            )
        given[label] = float(value)
    return given


def _number(text, column, student):
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(
            f"the gradebook row of {student!r} has {column} {text!r}, not a number"
        ) from None


# ---------------------------------------------------------------- CSV, formula-guarded


def _read_table(path, required, *, what):
    """The header and the rows ``(line, {column: text})`` of the CSV file at `path`."""
    try:
        text = files.read_text(path, what=what)
    except ValueError as exc:
        raise ManualScoresError(f"{exc} (save it as CSV UTF-8)") from None
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records, line = [], 1
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ManualScoresError(f"{path}, line {reader.line_num}: not CSV: {exc}") from None
    if not records:
        raise ManualScoresError(f"{path} is empty: it needs the columns {', '.join(required)}")
    # our columns are found whatever their case; an instructor's own columns keep their name
    header = [c.strip().lower() if c.strip().lower() in required else c for c in records[0][1]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ManualScoresError(
            f"{path}, line 1: it lacks the columns {', '.join(missing)} "
            f"(a {what} file has the columns {', '.join(required)})"
        )
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled:
        raise ManualScoresError(f"{path}, line 1: the column {doubled[0]!r} appears twice")
    rows = []
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise ManualScoresError(
                f"{path}, line {line}: {len(record)} fields, but the header has {len(header)} "
                "(a comment with a comma needs quotes)"
            )
        rows.append((line, {c: _unguard(v) for c, v in zip(header, record, strict=True)}))
    return header, rows


def _write_table(path, header, rows, *, what):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_guard(str(c)) for c in row] for row in rows)
    files.write_text(path, buffer.getvalue(), what=what)


def _guard(cell):
    """A leading ``'`` keeps a spreadsheet from running `cell` as a formula."""
    return "'" + cell if cell[:1] in _FORMULA else cell


def _unguard(cell):
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA else cell


# ---------------------------------------------------------------- the response pack


def _answers(reflections, labels):
    """Label to ``(student, text)`` pairs with a non-empty text."""
    if not isinstance(reflections, Mapping):
        raise TypeError(
            "reflections must map each student to (question, text) pairs, "
            f"got {type(reflections).__name__}"
        )
    out = {}
    for student, pairs in reflections.items():
        if not isinstance(student, str) or not student.strip():
            raise ValueError(f"each student must be a non-empty name, got {student!r}")
        for pair in pairs:
            if (
                not isinstance(pair, tuple | list)
                or len(pair) != 2
                or not all(isinstance(x, str) for x in pair)
            ):
                raise TypeError(
                    f"the reflections of {student!r} must be (question, text) pairs of "
                    f"strings, got {pair!r}"
                )
            label, text = pair[0].strip().lower(), pair[1].strip()
            if label in labels and text and text != "___":
                out.setdefault(label, []).append((student, text))
    return out


def _numbers(key_path, students, lesson):
    """Student to number: the key file's, then the next numbers in an order not by name."""
    numbers = {}
    if key_path.exists():
        _, rows = _read_table(key_path, ("number", "student"), what="response pack key")
        for line, row in rows:
            number = row["number"].strip()
            if not number.isdigit() or int(number) < 1:
                raise ManualScoresError(
                    f"{key_path}, line {line}: number {number!r} is not a whole number >= 1"
                )
            if row["student"] in numbers or int(number) in numbers.values():
                raise ManualScoresError(
                    f"{key_path}, line {line}: {row['student']!r} or number {number} appears twice"
                )
            numbers[row["student"]] = int(number)
    new = sorted(
        (s for s in students if s not in numbers),
        key=lambda s: hashlib.sha256(f"{lesson}\0{s}".encode()).hexdigest(),
    )
    start = max(numbers.values(), default=0)
    numbers.update({s: start + i for i, s in enumerate(new, start=1)})
    return numbers


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;color:#1a1a1a;
background:#fff;max-width:46rem;margin:0 auto;padding:1rem}
a{color:#0050a0}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
[aria-current=page]{font-weight:bold;color:#1a1a1a}
article{border-top:1px solid #767676;padding:.5rem 0}
.answer{white-space:pre-wrap;overflow-wrap:anywhere}.words{color:#4a4a4a;font-size:.9rem}
""".strip()


def _page(question, lesson, answers, names, name, anonymise):
    """One question's page: its prompt, criteria and scale, then `answers` (shown, text)."""
    e = html.escape
    label = question["label"]
    title = get_lesson(lesson).title
    privacy = "anonymised" if anonymise else "with names"
    nav = "".join(
        f'<li><a href="{e(n)}"{" aria-current=page" if n == name else ""}>'
        f"{e(n.rsplit('-', 1)[-1].removesuffix('.html'))}</a></li>"
        for n in names
    )
    criteria = "".join(f"<li>{e(c)}</li>" for c in question["criteria"])
    scale = "".join(
        f"<li><strong>{k} {e(lab)}</strong>: {e(text)}</li>" for k, (lab, text) in LEVELS.items()
    )
    items = "".join(
        f'<article aria-labelledby="a{i}"><h3 id="a{i}">{e(who)}</h3>'
        f'<p class="words">{_plural(len(text.split()), "word")}</p>'
        f'<p class="answer">{e(text)}</p></article>\n'
        for i, (who, text) in enumerate(answers, start=1)
    )
    if not items:
        items = "<p>No answers yet.</p>"
    note = (
        "Students are numbered, not named; the key that maps numbers to names is a separate file."
        if anonymise
        else "Students are named: do not project or share this page."
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Lesson {e(lesson)}, {e(label)}: the class's answers ({privacy})</title>
<style>{_STYLE}</style>
</head>
<body>
<a class="skip" href="#answers">Skip to the answers</a>
<header>
<p>Lesson {e(lesson)}: {e(title)}</p>
<h1>{e(label)}: the class's answers</h1>
</header>
<nav aria-label="Reflection questions of lesson {e(lesson)}"><ul>{nav}</ul></nav>
<main>
<section aria-labelledby="question">
<h2 id="question">The question</h2>
<p>{e(question["prompt"])}</p>
<p>At least {question["min_words"]} words; {question["points"]:g} point(s), scored by hand.</p>
<h3>Criteria</h3>
<ol>{criteria}</ol>
<h3>The scale (each criterion)</h3>
<ul>{scale}</ul>
</section>
<section aria-labelledby="answers">
<h2 id="answers">Answers ({len(answers)})</h2>
{items}</section>
</main>
<footer><p>{note}</p></footer>
</body>
</html>
"""


def _plural(n, noun):
    return f"{n} {noun}{'' if n == 1 else 's'}"
