"""Export a gradebook to an LMS's grade import format: Canvas, Moodle, or a plain CSV.

Every file is UTF-8 with a byte-order mark (so that Excel reads accents right), is written
atomically (`senge_course.files.write_text`), and guards its cells against spreadsheet formulas
as the gradebook does (a leading ``'`` before ``= + - @``, a tab or a carriage return).  With a
roster (`senge_course.grading.roster.Roster`), every roster student gets a row, an empty grade
(not 0) if they handed in nothing, and students the roster does not know are still exported,
under the name the grader knows, and listed in the returned `ExportReport`.

The formats:

* **Canvas** (Grades > Import): the columns of Canvas's own gradebook export, ``Student, ID,
  SIS User ID, SIS Login ID, Section``, then one column named for the assignment, and as the
  second line ``"    Points Possible"`` with the assignment's points (as Canvas's
  ``lib/gradebook_exporter.rb`` writes it; Canvas reads the row for the points, not as a
  student).  ``Student`` is the sortable name (``Lovelace, Ada``), ``ID`` the roster's
  ``lms_id`` (Canvas's user id), ``SIS User ID`` the roster's ``id``, ``SIS Login ID`` its
  ``login``; Canvas matches a row by ID, SIS User ID or SIS Login ID.  A column named like a
  new assignment creates it; name it as in Canvas (``Exercise 05 (1234)``) to fill an existing one.
* **Moodle** (Grades > Import > CSV file): ``Email address, ID number, Full name`` and the
  assignment's column; on import map "Email address" (or "ID number") to the user's email
  address (or ID number) and the assignment's column to its grade item.  Moodle's CSV grade
  import maps users by user id, username, ID number or email (``grade/import/csv``
  ``load_data.php``), so a Moodle export needs a roster.
* **csv**: ``student, name, section, score, max_score, status``, for any other system.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rows = [{"student": "ada", "status": "ok", "score": "6.5", "max_score": "7"}]
>>> report = export_gradebook(rows, folder / "canvas.csv", to="canvas", assignment="Exercise 05")
>>> print((folder / "canvas.csv").read_text(encoding="utf-8-sig"), end="")
Student,ID,SIS User ID,SIS Login ID,Section,Exercise 05
    Points Possible,,,,,7
ada,,,,,6.5
>>> print(report.summary)
Wrote 1 student's grade for Exercise 05 to .../canvas.csv (Canvas).
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .._validate import check_number, check_one_of
from ..files import write_text
from .roster import Roster

__all__ = [
    "CANVAS_COLUMNS",
    "CSV_COLUMNS",
    "FORMATS",
    "MOODLE_COLUMNS",
    "ExportReport",
    "export_gradebook",
]

#: The export formats `export_gradebook` writes.
FORMATS = ("canvas", "moodle", "csv")
#: Canvas's student columns, before the assignment's.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: Moodle's identifier columns, before the assignment's.
MOODLE_COLUMNS = ("Email address", "ID number", "Full name")
#: The plain export's columns.
CSV_COLUMNS = ("student", "name", "section", "score", "max_score", "status")
#: The ``student`` value Canvas gives its points-possible row (four spaces first, as Canvas does).
POINTS_POSSIBLE = "    Points Possible"

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_LMS = {"canvas": "Canvas", "moodle": "Moodle", "csv": "CSV"}


@dataclass(frozen=True)
class ExportReport:
    """What `export_gradebook` wrote: the `path`, the format (`to`), the `assignment`, how many
    `graded` rows (students with a grade) and `rows` in all, the gradebook's students the roster
    does not know (`not_in_roster`, exported under the grader's name) and the roster's students
    with no row in the gradebook (`no_submission`, exported with an empty grade)."""

    path: Path
    to: str
    assignment: str
    graded: int
    rows: int
    not_in_roster: tuple = ()
    no_submission: tuple = ()

    @property
    def summary(self):
        """What was written, and who needs a look, in sentences."""
        s = "'s" if self.graded == 1 else "s'"
        text = (
            f"Wrote {self.graded} student{s} grade{'s' * (self.graded != 1)} for "
            f"{self.assignment} to {self.path} ({_LMS[self.to]})."
        )
        if self.no_submission:
            text += (
                f" {len(self.no_submission)} roster student(s) handed in nothing (empty grade): "
                f"{', '.join(self.no_submission)}."
            )
        if self.not_in_roster:
            text += (
                f" {len(self.not_in_roster)} student(s) are not in the roster (exported without "
                f"LMS ids; match them by hand): {', '.join(self.not_in_roster)}."
            )
        return text


def export_gradebook(rows, path, *, to, assignment, roster=None, points_possible=None):
    """Write a gradebook's scores in an LMS's grade import format.

    Parameters
    ----------
    rows : iterable of dict
        Gradebook rows as `senge_course.grading.gradebook.read_gradebook` returns them (column
        name to text: ``student``, ``status``, ``score``, ``max_score``, ...).
    path : path
        The file to write (its folder must exist); replaced atomically.
    to : {"canvas", "moodle", "csv"}
        The format (see the module's docstring).
    assignment : str
        The assignment column's name in Canvas and Moodle (``"Exercise 05"``); for ``csv``, only
        named in the report.
    roster : Roster, optional
        The class (`Roster.load`); a gradebook student is looked up with `Roster.find`.  Needed
        for Moodle.
    points_possible : number, optional
        The assignment's points in Canvas's "Points Possible" row (default: the gradebook's
        ``max_score``, if every row that has one agrees).

    Returns
    -------
    ExportReport

    Raises
    ------
    ValueError
        If `to` is not a format, `assignment` is empty, a row has no student or repeats one, a
        score is not a number, the rows' ``max_score`` differ (give `points_possible`), or a
        Moodle export has no roster.
    TypeError
        If `rows` holds something other than dicts, or `roster` is not a `Roster`.
    OSError
        If the file cannot be written (the old file, if any, is unchanged).
    """
    check_one_of("to", to, FORMATS)
    if not isinstance(assignment, str) or not assignment.strip() or "\n" in assignment:
        raise ValueError(
            "assignment must be the assignment's column name on one line, such as "
            f"'Exercise 05', got assignment={assignment!r}"
        )
    assignment = assignment.strip()
    if roster is not None and not isinstance(roster, Roster):
        raise TypeError(
            f"roster must be a Roster (Roster.load) or None, got {type(roster).__name__}"
        )
    if to == "moodle" and roster is None:
        raise ValueError(
            "a Moodle import finds students by email address or ID number, which only a roster "
            "gives: pass roster=Roster.load('roster.csv') (CSV columns id,name,email,section)"
        )
    rows = _checked(rows)
    if points_possible is not None:
        points_possible = check_number("points_possible", points_possible, low=0)
    else:
        points_possible = _points_possible(rows)

    matched, unknown = {}, []  # roster id -> row; rows the roster does not know
    for row in rows:
        student = roster.find(row["student"]) if roster is not None else None
        if student is None:
            unknown.append(row)
        elif student.id in matched:
            raise ValueError(
                f"the gradebook's students {matched[student.id]['student']!r} and "
                f"{row['student']!r} are both the roster's {student.id!r} ({student.name}); "
                "keep one row"
            )
        else:
            matched[student.id] = row
    missing = tuple(s.id for s in roster if s.id not in matched) if roster is not None else ()
    lines = []  # (student record or None, row or None)
    if roster is not None:
        lines += [(s, matched.get(s.id)) for s in roster]
    lines += [(None, row) for row in sorted(unknown, key=lambda r: r["student"])]

    header, table = _TABLES[to](lines, assignment, points_possible)
    _write(path, header, table)
    return ExportReport(
        path=Path(path),
        to=to,
        assignment=assignment,
        graded=sum(row is not None and row.get("score", "") != "" for _, row in lines),
        rows=len(lines),
        not_in_roster=tuple(r["student"] for r in unknown) if roster is not None else (),
        no_submission=missing,
    )


# ---------------------------------------------------------------- the formats


def _canvas(lines, assignment, points):
    header = [*CANVAS_COLUMNS, assignment]
    table = [[POINTS_POSSIBLE, "", "", "", "", _number(points)]]
    for student, row in lines:
        score = _score(row)
        if student is None:
            table.append([row["student"], "", "", "", "", score])
        else:
            table.append(
                [
                    _sortable(student.name),
                    student.lms_id,
                    student.id,
                    student.login,
                    student.section,
                    score,
                ]
            )
    return header, table


def _moodle(lines, assignment, points):
    header = [*MOODLE_COLUMNS, assignment]
    table = []
    for student, row in lines:
        if student is None:
            table.append(["", "", row["student"], _score(row)])
        else:
            table.append([student.email, student.id, student.name, _score(row)])
    return header, table


def _plain(lines, assignment, points):
    table = []
    for student, row in lines:
        if row is None:
            table.append([student.id, student.name, student.section, "", "", "not submitted"])
        else:
            name, section = (
                (row["student"], "") if student is None else (student.name, student.section)
            )
            key = row["student"] if student is None else student.id
            table.append(
                [key, name, section, _score(row), row.get("max_score", ""), row.get("status", "")]
            )
    return list(CSV_COLUMNS), table


_TABLES = {"canvas": _canvas, "moodle": _moodle, "csv": _plain}


# ---------------------------------------------------------------- helpers


def _checked(rows):
    if isinstance(rows, dict | str):
        raise TypeError(
            f"rows must be a list of gradebook rows (dicts, as read_gradebook returns), "
            f"got a {type(rows).__name__}"
        )
    out, seen = [], set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise TypeError(
                f"rows must be dicts (gradebook rows), got {type(row).__name__} in row {number}"
            )
        student = str(row.get("student") or "").strip()
        if not student:
            raise ValueError(f"row {number} has no student: every gradebook row needs one")
        if student in seen:
            raise ValueError(f"the student {student!r} has two rows: keep one")
        seen.add(student)
        for column in ("score", "max_score"):
            value = str(row.get(column) or "").strip()
            if value and not _is_number(value):
                raise ValueError(
                    f"row {number} ({student}) has the {column} {value!r}; a {column} is a "
                    "number or empty"
                )
        out.append({k: "" if v is None else str(v) for k, v in row.items()} | {"student": student})
    return out


def _points_possible(rows):
    """The assignment's points: the largest ``max_score`` in the gradebook.

    Rows differ when the instructor has scored some reflections by hand (their points then count
    in that row's ``max_score``: `senge_course.grading.manual`); the largest is the whole
    exercise's.  None if no row has one.
    """
    found = {float(r["max_score"]) for r in rows if str(r.get("max_score", "")).strip()}
    return max(found) if found else None


def _score(row):
    return "" if row is None else str(row.get("score", "")).strip()


def _number(x):
    if x is None:
        return ""
    return f"{x:g}" if float(x) != int(x) else str(int(x))


def _sortable(name):
    """Canvas's sortable name: ``Lovelace, Ada`` for Ada Lovelace; a name with a comma, or of
    one word, as it is."""
    if "," in name or " " not in name.strip():
        return name
    first, last = name.rsplit(" ", 1)
    return f"{last}, {first}"


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return text.lower() not in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity")


def _write(path, header, table):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_guard(c) for c in header])
    # the points-possible row's leading spaces are Canvas's; a ' would break it
    writer.writerows([[_guard(c) for c in line] for line in table])
    write_text(path, "\ufeff" + buffer.getvalue(), what="the grade export")


def _guard(cell):
    """A leading ``'`` keeps a spreadsheet from running the cell as a formula."""
    cell = str(cell)
    return "'" + cell if cell[:1] in _FORMULA else cell
