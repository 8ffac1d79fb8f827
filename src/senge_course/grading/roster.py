"""A class roster, and the file names of LMS submission downloads: who handed in which file.

A roster is an optional CSV file an instructor keeps (``id,name,email,section``); with it the
grader maps file names to students, and `senge_course.grading.export` fills in the ids an LMS
matches grades on.  `parse_lms_name` reads the file names of a Canvas or a Moodle "download all
submissions" zip; `choose_latest` keeps one of a student's several files (a late resubmission
is the same student, and the newest counts); `group_by_student` does both for a whole folder.

The file-name formats, as the LMSs write them:

* **Canvas** ("Download Submissions"): one flat folder of files named
  ``<lastfirst>[_LATE]_<user id>_<submission id>_<the uploaded name>``, where ``lastfirst`` is
  the student's sortable name lower-cased without spaces or punctuation, ``LATE`` marks a file
  handed in after the due date, and an uploaded name that clashed with an earlier upload gets
  ``-1``, ``-2``... before its extension (``capstone-1.ipynb``).  Sources: Canvas's own
  gradebook and submission tools, as described by TimHanneman/Canvas_submission_sort (README:
  "a student name, two id fields ... an extra field if the assignment was submitted late ...
  a number is added at the end of the filename, but before the file extension") and
  mikewesthad/canvas-unzipper (README: ``smithbob_340934_208490284_BobsWork.zip``).
* **Moodle** ("Download all submissions"): since Moodle 3.1 one folder per submission,
  ``<Full Name>_<participant id>_assignsubmission_file[_]/<the uploaded name>`` (the trailing
  ``_`` was dropped in Moodle 4.1); before, with "download as folders" off, flat files
  ``<Full Name>_<participant id>_assignsubmission_file_<the uploaded name>``.  Moodle writes the
  full name with every ``_`` turned into a space, and the participant id is the assignment's id
  for the student (not the user id).  Source: moodle/moodle ``mod/assign/classes/downloader.php``
  (``get_student_prefix``: ``str_replace('_', ' ', $fullname) . '_' . get_uniqueid_for_user``;
  ``load_submissionplugin_filelist``: ``$prefix . '_' . $subtype . '_' . $type``).

Examples
--------
A Canvas late resubmission and its first attempt are the same student; the newest counts:

>>> first = parse_lms_name("lovelaceada_12345_678901_08_capstone.ipynb")
>>> late = parse_lms_name("lovelaceada_LATE_12345_678955_08_capstone-1.ipynb")
>>> (first.lms, first.who, first.user_id, first.late), (late.late, late.original)
(('canvas', 'lovelaceada', '12345', False), (True, '08_capstone.ipynb'))
>>> choice = choose_latest(["lovelaceada_12345_678901_08_capstone.ipynb",
...                         "lovelaceada_LATE_12345_678955_08_capstone-1.ipynb"])
>>> choice.kept.name, [p.name for p in choice.dropped]
('lovelaceada_LATE_12345_678955_08_capstone-1.ipynb', ['lovelaceada_12345_678901_08_capstone.ipynb'])
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..files import read_text

__all__ = [
    "COLUMNS",
    "LmsName",
    "Choice",
    "Roster",
    "RosterError",
    "Student",
    "choose_latest",
    "group_by_student",
    "normalise_name",
    "parse_lms_name",
]

#: The roster's columns: ``id`` and ``name`` are required; ``email`` and ``section`` may be empty
#: or absent.  Two optional columns help the LMS exports: ``lms_id`` (the LMS's own user id,
#: Canvas's "ID") and ``login`` (Canvas's "SIS Login ID").  Other columns are ignored.
COLUMNS = ("id", "name", "email", "section")
_OPTIONAL = ("lms_id", "login")

_CANVAS = re.compile(
    r"(?P<who>.+?)(?P<late>_LATE)?_(?P<user>\d+)_(?P<sub>\d+)_(?P<original>.+)", re.DOTALL
)
_MOODLE = re.compile(
    r"(?P<who>.+)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?:_(?P<original>.*))?",
    re.DOTALL,
)
_RENAMED = re.compile(r"(?P<stem>.+)-(?P<n>\d+)(?P<ext>\.[A-Za-z0-9]+)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
#: Extensions a plain file name loses to give ``who`` (a folder ``Ada.Lovelace`` keeps its dot).
_EXTENSIONS = (".ipynb", ".py", ".zip", ".json", ".html", ".pdf", ".txt", ".md", ".csv")


class RosterError(ValueError):
    """A roster file that cannot be read, or a name that matches more than one student."""


@dataclass(frozen=True)
class Student:
    """One student of the roster: the `id` (unique), the `name` (Unicode NFC), the `email` and
    `section` (or ``""``), the optional `lms_id` and `login`, and the roster's `line` (1 is the
    header)."""

    id: str
    name: str
    email: str = ""
    section: str = ""
    lms_id: str = ""
    login: str = ""
    line: int = 0


@dataclass(frozen=True)
class LmsName:
    """What an LMS download's file (or folder) name says.

    Attributes
    ----------
    who : str
        The name part as the LMS wrote it (Canvas: ``lovelaceada``; Moodle: ``Ada Lovelace``),
        or the file name's stem when `lms` is None.
    lms : {"canvas", "moodle", None}
        The LMS whose format the name has.
    user_id : str or None
        Canvas's user id, or Moodle's participant id (one per student and assignment).
    late : bool
        Canvas marked the file ``LATE`` (handed in after the due date).
    attempt : int or None
        The ``-N`` Canvas adds before the extension when a file is uploaded again under the
        same name (``capstone-1.ipynb``: 1); None if there is none.
    submission_id : str or None
        Canvas's second number (a newer upload has a higher one); None for Moodle.
    original : str
        The file name the student uploaded (without Canvas's ``-N``); ``""`` for a Moodle
        folder name alone.
    """

    who: str
    lms: str | None
    user_id: str | None = None
    late: bool = False
    attempt: int | None = None
    submission_id: str | None = None
    original: str = ""


@dataclass(frozen=True)
class Choice:
    """What `choose_latest` kept (a path) and `dropped` (older paths, newest first), and `why`
    in a sentence."""

    kept: Path
    dropped: tuple
    why: str


def normalise_name(name):
    """The form of a person's name that `Roster.find` compares: Unicode NFC, case-folded,
    ``_`` read as a space, spacing collapsed, and ``"Last, First"`` turned to ``"first last"``.

    >>> normalise_name("  Lovelace,   ADA ") == normalise_name("Ada Lovelace")
    True
    >>> normalise_name("Jose\\u0301 Martí") == normalise_name("José Martí")
    True
    """
    text = unicodedata.normalize("NFC", str(name)).casefold().replace("_", " ")
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    return " ".join(text.split())


def parse_lms_name(filename):
    """Read a Canvas or Moodle submission-download file name (see the module's docstring).

    Parameters
    ----------
    filename : str or path
        A file name, a folder name (Moodle's ``Ada Lovelace_12_assignsubmission_file_``), or a
        path whose first part is such a folder (``Ada Lovelace_12_assignsubmission_file_/x.ipynb``).

    Returns
    -------
    LmsName
        With ``lms=None`` and ``who`` the stem for a name of neither format.

    Examples
    --------
    Moodle writes the student's full name (``_`` turned into spaces) and a participant id:

    >>> name = parse_lms_name("Ada Lovelace_881234_assignsubmission_file_/08_capstone.ipynb")
    >>> name.lms, name.who, name.user_id, name.original
    ('moodle', 'Ada Lovelace', '881234', '08_capstone.ipynb')

    A name of neither format keeps its stem:

    >>> parse_lms_name("ada.ipynb")
    LmsName(who='ada', lms=None, user_id=None, late=False, attempt=None, submission_id=None, original='ada.ipynb')
    """
    if not isinstance(filename, str | PurePath):
        raise TypeError(
            f"filename must be a file name (str or path), got {type(filename).__name__}"
        )
    text = unicodedata.normalize("NFC", str(filename))
    parts = [p for p in re.split(r"[\\/]", text) if p not in ("", ".")]
    if not parts:
        raise ValueError(f"filename must name a file, got filename={filename!r}")
    for depth, part in enumerate(parts):
        if m := _MOODLE.fullmatch(part):
            inside = parts[depth + 1 :]
            original = inside[-1] if inside else (m.group("original") or "")
            return LmsName(m.group("who").strip(), "moodle", m.group("user"), original=original)
    name = parts[-1]
    if m := _CANVAS.fullmatch(name):
        original, attempt = m.group("original"), None
        if r := _RENAMED.fullmatch(original):
            original, attempt = r.group("stem") + (r.group("ext") or ""), int(r.group("n"))
        return LmsName(
            m.group("who"),
            "canvas",
            m.group("user"),
            late=bool(m.group("late")),
            attempt=attempt,
            submission_id=m.group("sub"),
            original=original,
        )
    suffix = PurePath(name).suffix
    stem = name[: -len(suffix)] if suffix.lower() in _EXTENSIONS and name != suffix else name
    return LmsName(stem, None, original=name)


def choose_latest(submissions):
    """Keep the newest of one student's files: the highest Canvas submission id if every file
    has one, else the latest modification time (then the file name, for a stable choice).

    Parameters
    ----------
    submissions : iterable of str or path
        Two or more files (or folders) of the same student: the same LMS user id, or the same
        normalised name.  One file is kept as it is.

    Returns
    -------
    Choice

    Raises
    ------
    ValueError
        If `submissions` is empty, or names more than one student.
    FileNotFoundError
        If a modification time is needed and a file does not exist.

    Examples
    --------
    >>> choice = choose_latest(["bo_7_30_ex.ipynb", "bo_7_41_ex.ipynb", "bo_LATE_7_52_ex.ipynb"])
    >>> choice.kept.name
    'bo_LATE_7_52_ex.ipynb'
    >>> print(choice.why)
    Kept bo_LATE_7_52_ex.ipynb (Canvas submission 52, the highest); dropped bo_7_41_ex.ipynb, bo_7_30_ex.ipynb.
    """
    paths = [Path(p) for p in submissions] if not isinstance(submissions, str | PurePath) else []
    if not paths:
        raise ValueError(
            f"submissions must be one or more files of one student, got submissions={submissions!r}"
        )
    names = [parse_lms_name(p.name if p.name else str(p)) for p in paths]
    keys = {_identity(n) for n in names}
    if len(keys) > 1:
        listed = ", ".join(sorted(p.name for p in paths))
        raise ValueError(f"submissions must all be one student's, got files of several: {listed}")
    if all(n.submission_id is not None for n in names):
        order = sorted(
            zip(paths, names, strict=True),
            key=lambda pn: (int(pn[1].submission_id), pn[0].name),
            reverse=True,
        )
        rule = f"Canvas submission {int(order[0][1].submission_id)}, the highest"
    else:
        order = sorted(
            zip(paths, names, strict=True), key=lambda pn: (_mtime(pn[0]), pn[0].name), reverse=True
        )
        rule = "the latest modified"
    kept, dropped = order[0][0], tuple(p for p, _ in order[1:])
    why = f"Kept {kept.name} ({rule})"
    why += f"; dropped {', '.join(p.name for p in dropped)}." if dropped else "."
    return Choice(kept, dropped, why)


def group_by_student(paths, *, roster=None):
    """Group submission files by student: ``{student: Choice}``, one `Choice` per student.

    A student is the roster's ``id`` when `roster` knows the file (`Roster.identify`), else the
    name the LMS wrote (``who``; a Canvas or Moodle name shared by two user ids gets
    ``_<user id>`` added), else the file's stem.  Each student's files go through
    `choose_latest`.

    Examples
    --------
    >>> groups = group_by_student(["smithbob_7_30_a.ipynb", "smithbob_LATE_7_41_a.ipynb",
    ...                            "wellslane_8_31_a.ipynb"])
    >>> {s: c.kept.name for s, c in groups.items()}
    {'smithbob': 'smithbob_LATE_7_41_a.ipynb', 'wellslane': 'wellslane_8_31_a.ipynb'}
    """
    if roster is not None and not isinstance(roster, Roster):
        raise TypeError(f"roster must be a Roster or None, got {type(roster).__name__}")
    files = [Path(p) for p in paths]
    parsed = [parse_lms_name(p.name) for p in files]
    owners = {}  # who -> set of identities, to tell apart two users with one name
    for name in parsed:
        owners.setdefault(name.who, set()).add(_identity(name))
    groups = {}
    for path, name in zip(files, parsed, strict=True):
        student = roster.identify(name) if roster is not None else None
        if student is not None:
            key = student.id
        elif name.lms is not None and len(owners[name.who]) > 1:
            key = f"{name.who}_{name.user_id}"
        else:
            key = name.who
        groups.setdefault(key, []).append(path)
    return {k: choose_latest(groups[k]) for k in sorted(groups)}


class Roster:
    """The students of a class, read from a CSV file with `Roster.load`.

    ``len(roster)``, ``iter(roster)`` (the `Student` records in the file's order) and
    ``roster[id]`` work as for a mapping from id to student.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = path.write_text("id,name,email,section\\n"
    ...                     "s01,Ada Lovelace,ada@example.org,A\\n"
    ...                     "s02,\\"Hopper, Grace\\",,B\\n", encoding="utf-8")
    >>> roster = Roster.load(path)
    >>> len(roster), roster.find("lovelace, ada").id, roster.find("GRACE  HOPPER").section
    (2, 's01', 'B')
    >>> roster.find("ada@EXAMPLE.org").id, roster.find("s02").name, roster.find("nobody")
    ('s01', 'Hopper, Grace', None)
    """

    def __init__(self, students, *, path=None):
        self.students = tuple(students)
        self.path = None if path is None else Path(path)
        self._by_id = {}
        self._by_email = {}
        self._by_name = {}
        for s in self.students:
            if not isinstance(s, Student):
                raise TypeError(f"students must be Student records, got {type(s).__name__}")
            if s.id in self._by_id:
                raise RosterError(f"{self._where()}the id {s.id!r} appears twice")
            self._by_id[s.id] = s
            if s.email:
                self._by_email.setdefault(s.email.casefold(), []).append(s)
            for key in _name_keys(s.name):
                bucket = self._by_name.setdefault(key, [])
                if s not in bucket:
                    bucket.append(s)

    @classmethod
    def load(cls, path):
        """Read a roster CSV (UTF-8, with or without a byte-order mark).

        The first line is the header (`COLUMNS`, in any order and case; ``id`` and ``name``
        required); blank lines are skipped; values are stripped and names made Unicode NFC.

        Raises
        ------
        FileNotFoundError
            If there is no such file.
        RosterError
            Naming the file, the line, the value and what is allowed: no header, a missing
            column, a line with another number of fields, an empty id or name, an id or email
            given twice, an email without ``@``, no students.
        """
        path = Path(path)
        try:
            text = read_text(path, what="roster")
        except ValueError as error:
            raise RosterError(f"{error}; a roster is a CSV file: {','.join(COLUMNS)}") from None
        text = text.removeprefix("\ufeff")
        where = f"cannot read the roster {path}"
        try:
            lines = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:
            raise RosterError(f"cannot read the roster {path}: it is not CSV ({error})") from None
        if not lines:
            raise RosterError(f"{where}: the file is empty; line 1 must be {','.join(COLUMNS)}")
        header = [unicodedata.normalize("NFC", h).strip().casefold() for h in lines[0]]
        if "id" not in header or "name" not in header:
            raise RosterError(
                f"{where}: line 1 must be the header {','.join(COLUMNS)} (id and name are "
                f"required), got {','.join(lines[0])!r}"
            )
        for column in set(header):
            if column and header.count(column) > 1:
                raise RosterError(f"{where}: line 1 has the column {column!r} twice")
        index = {c: header.index(c) for c in (*COLUMNS, *_OPTIONAL) if c in header}
        students, seen_email, seen_id = [], {}, {}
        for number, fields in _numbered(text):
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise RosterError(
                    f"{where}: line {number} has {len(fields)} fields, the header {len(header)} "
                    f"({','.join(fields)!r}); quote a value that holds a comma"
                )
            values = {c: unicodedata.normalize("NFC", fields[i]).strip() for c, i in index.items()}
            for column in ("id", "name"):
                if not values[column]:
                    raise RosterError(
                        f"{where}: line {number} has no {column}; every student needs one"
                    )
            email = values.get("email", "")
            if email and not _EMAIL.fullmatch(email):
                raise RosterError(
                    f"{where}: line {number} has the email {email!r}; an email is name@host, or empty"
                )
            if email and email.casefold() in seen_email:
                raise RosterError(
                    f"{where}: the email {email!r} is on line {seen_email[email.casefold()]} and "
                    f"line {number}; each student needs their own (or leave it empty)"
                )
            if email:
                seen_email[email.casefold()] = number
            if values["id"] in seen_id:
                raise RosterError(
                    f"{where}: the id {values['id']!r} is on line {seen_id[values['id']]} and "
                    f"line {number}; ids must be unique"
                )
            seen_id[values["id"]] = number
            students.append(Student(**values, line=number))
        if not students:
            raise RosterError(f"{where}: it has a header but no students")
        return cls(students, path=path)

    def __len__(self):
        return len(self.students)

    def __iter__(self):
        return iter(self.students)

    def __getitem__(self, student_id):
        return self._by_id[student_id]

    def __contains__(self, student_id):
        return student_id in self._by_id

    def __repr__(self):
        return f"Roster({len(self)} students{'' if self.path is None else f' from {self.path}'})"

    def find(self, key):
        """The `Student` whose id, LMS id, email or name is `key`, or None.

        Ids and LMS ids are compared as written, emails without case, names with
        `normalise_name` (case, composed or decomposed accents, spacing, ``"Last, First"``) and
        also in Canvas's compact form (``lovelaceada`` for Ada Lovelace).

        Raises
        ------
        RosterError
            If `key` is a name (or email) that more than one student has.
        """
        if not isinstance(key, str):
            raise TypeError(f"key must be a str (an id, email or name), got {type(key).__name__}")
        key = unicodedata.normalize("NFC", key).strip()
        if not key:
            return None
        if key in self._by_id:
            return self._by_id[key]
        by_lms = [s for s in self.students if s.lms_id and s.lms_id == key]
        found = (
            by_lms
            or self._by_email.get(key.casefold())
            or self._by_name.get(normalise_name(key))
            or self._by_name.get(_compact(key))
        )
        if not found:
            return None
        if len(found) > 1:
            lines = ", ".join(f"{s.id} (line {s.line})" for s in found)
            raise RosterError(
                f"{self._where()}{key!r} matches {len(found)} students: {lines}; "
                "name the files by id or email"
            )
        return found[0]

    def identify(self, name):
        """The `Student` an `LmsName` (or a file name) belongs to, or None: by Canvas user id
        (the roster's ``lms_id``, then ``id``), then by the name the LMS wrote."""
        if not isinstance(name, LmsName):
            name = parse_lms_name(name)
        if name.lms == "canvas" and name.user_id:
            for s in self.students:
                if s.lms_id == name.user_id:
                    return s
            if name.user_id in self._by_id:
                return self._by_id[name.user_id]
        return self.find(name.who)

    def _where(self):
        return "" if self.path is None else f"in the roster {self.path}: "


# ---------------------------------------------------------------- helpers


def _identity(name):
    """Who a parsed name belongs to, for telling students apart."""
    if name.lms is not None and name.user_id:
        return (name.lms, name.user_id)
    return (None, normalise_name(name.who))


def _mtime(path):
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        raise FileNotFoundError(
            f"cannot tell which submission is newest: there is no file {path}"
        ) from None


def _compact(text):
    """Letters and digits only, case-folded: Canvas's ``lastfirst``."""
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _name_keys(name):
    """The forms under which a roster name is found: normalised, and Canvas's compact
    ``lastfirst`` and ``firstlast``."""
    norm = normalise_name(name)
    words = norm.split()
    keys = {norm, _compact(norm)}
    if len(words) > 1:
        keys.add(_compact(words[-1] + "".join(words[:-1])))
    if name.count(",") == 1:  # "de la Cruz, Juan": Canvas's sortable name as written
        keys.add(_compact(name))
    return keys


def _numbered(text):
    """The data rows (after the header) with the line each starts on (a quoted value may span
    lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    start = reader.line_num + 1
    for fields in reader:
        yield start, fields
        start = reader.line_num + 1
