"""Grade a class's exercise notebooks: a gradebook, feedback, reflections and a self-check.

``senge-course grade SUBMISSIONS --out gradebook.csv`` and ``senge-course check NOTEBOOK``
call `grade` and `grade_notebook`.  No database, no Docker: each submission runs in a fresh
kernel (nbclient) in its own temporary folder, with time and memory limits
(`senge_course.grading.kernel` explains them).

Why a grade cannot be faked
---------------------------
The grader never reads the notebook's outputs, stored or new, nor anything a check displays.
After the learner's cells have run, it runs one collection cell of its own
(`senge_course.grading.collect`): self-contained code that reads each question's variable,
calls the learner's functions on the test inputs (sent as data), and publishes the answers as
JSON tagged with a fresh random nonce.  The grader then judges those answers with
`Question.assess`, in its own process, against the expected answers of the installed package.
Redefining ``q1``, patching ``senge_course.course.checks`` or editing
``senge_course.course.questions.lesson_00`` inside the kernel changes nothing the grader uses, and a
printed or displayed "Correct" is never read.  What the kernel reports is only ever the
learner's *answers*: code that subverts the kernel itself can report other answers, but no
more than typing them would, and it cannot change what is expected or how it is scored.

What it cannot do (limits)
--------------------------
A kernel runs the learner's code with the grader's user rights.  It starts in an empty
temporary folder (relative paths, ``..`` and ``tempfile`` all land there and are deleted), with
an environment stripped of tokens, and is killed with its whole process group afterwards; but
code that names an absolute path can read or write any file the grader's user can.  Grade as
an unprivileged user, on a copy of the submissions, on a machine without secrets; use
containers if notebooks may be hostile.  The memory limit is enforced on Linux only.

Statuses (the gradebook's ``status`` column)
--------------------------------------------
``ok``                  ran to the end; every question judged
``timeout``             a cell ran past its limit and was stopped (the other cells still ran and
                        were judged), or the notebook used up its total time, or a cell could not
                        be stopped (then nothing could be judged)
``memory``              a cell ran out of memory (``MemoryError``: later cells still ran), or the
                        kernel died of it (nothing judged)
``kernel died``         the kernel process exited (``os._exit``, a crash): nothing judged
``collect failed``      the notebook broke the grader's collection cell: nothing judged
``invalid notebook``    not a readable Jupyter notebook (nbformat 1 to 3 are converted to 4)
``wrong lesson``        the notebook is another lesson's, or does not say which (use ``lesson``)
``no notebook``         a student's folder holds no notebook
``several notebooks``   a student's folder holds more than one (or a file and a folder share a name)
``grader error``        a bug in the grader (please report it); rerunning retries these

Examples
--------
Finding submissions needs no kernel: one notebook per student, or one folder per student.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "ada.ipynb").write_text("{}")
2
>>> (folder / "bo").mkdir(); (folder / "bo" / "work.ipynb").write_text("{}")
2
>>> [(s.student, s.path.name) for s in find_submissions(folder)]
[('ada', 'ada.ipynb'), ('bo', 'work.ipynb')]
"""

import csv
import hashlib
import io
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from ..course.checks import ERROR, Outcome, Reflection, is_placeholder
from ..course.lessons import get_lesson
from ..paths import atomic_write_text

__all__ = [
    "STATUSES",
    "GradebookError",
    "GradingRun",
    "Result",
    "Submission",
    "find_submissions",
    "grade",
    "grade_notebook",
    "read_gradebook",
]

#: Every status a submission can end with, and what it means.
STATUSES = {
    "ok": "ran to the end; every question judged",
    "timeout": "a cell ran past its time limit and was stopped",
    "memory": "a cell ran out of memory",
    "kernel died": "the kernel process exited; nothing judged",
    "collect failed": "the notebook broke the grader's collection cell; nothing judged",
    "invalid notebook": "not a readable Jupyter notebook",
    "wrong lesson": "the notebook belongs to another lesson, or does not say which",
    "no notebook": "the student's folder holds no notebook",
    "several notebooks": "the student's folder holds more than one notebook",
    "grader error": "a bug in the grader; rerunning retries it",
}

#: Columns before and after the per-question columns ``q1, q2, ...``.
LEADING = ("student", "status", "score", "max_score")
TRAILING = ("lesson", "cell_errors", "seconds", "checksum", "detail")

MAX_NOTEBOOK_MB = 100
_QCOL = re.compile(r"q(\d+)")


class GradebookError(ValueError):
    """An existing gradebook (or reflections file) cannot be read; it is left untouched."""


@dataclass(frozen=True)
class Submission:
    """One student's submission: a notebook, or the reason there is none.

    Attributes
    ----------
    student : str
        The file name without ``.ipynb``, or the folder name (Unicode NFC).
    path : pathlib.Path or None
        The notebook to grade.
    status, detail : str
        ``""`` for a notebook to grade; otherwise ``"no notebook"`` or ``"several notebooks"``.
    """

    student: str
    path: Path | None
    status: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Result:
    """The grade of one submission.

    Attributes
    ----------
    student, status, lesson : str
        Who, how it went (a key of `STATUSES`) and which lesson it was judged as.
    outcomes : tuple of Outcome
        One per question, labelled ``q1``, ``q2``, ... (empty if the lesson is unknown).
    max_score : float or None
        Points available (None if the lesson is unknown).
    detail : str
        One or more sentences for the instructor and the learner (time limits, errors, ...).
    cell_errors : int
        How many of the learner's cells raised an exception.
    seconds : float
        Wall-clock time spent on this submission.
    checksum : str
        The first 16 hex digits of the notebook file's SHA-256 (a rerun regrades changed files).
    reflections : tuple of (str, str)
        ``(question, text)`` for each reflection written.
    graded : bool
        Whether answers were read from the kernel and judged.
    """

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

    @property
    def score(self):
        """Points earned (the sum over the questions)."""
        return float(sum(o.score for o in self.outcomes))

    def row(self):
        """The gradebook row: column name to text."""
        row = {
            "student": self.student,
            "status": self.status,
            "score": _number(self.score),
            "max_score": "" if self.max_score is None else _number(self.max_score),
            "lesson": self.lesson,
            "cell_errors": str(self.cell_errors),
            "seconds": f"{self.seconds:.1f}",
            "checksum": self.checksum,
            "detail": self.detail,
        }
        for outcome in self.outcomes:
            row[outcome.question] = _number(outcome.score)
        return row

    def feedback(self):
        """A Markdown page for the student: the status, the total, each question's outcome.

        It holds this submission's outcomes and the check messages only: nothing of other
        students, no solutions, and no expected answer beyond what ``q.check()`` shows.
        """
        return _feedback_markdown(self)


@dataclass(frozen=True)
class GradingRun:
    """What a `grade` call did.

    Attributes
    ----------
    results : tuple of Result
        The submissions graded in this run, by student.
    skipped : tuple of str
        Students already in the gradebook with an unchanged notebook (not regraded).
    gradebook, reflections : pathlib.Path
        The files written.
    feedback : pathlib.Path or None
        The feedback folder, if asked for.
    """

    results: tuple
    skipped: tuple
    gradebook: Path
    reflections: Path
    feedback: Path | None = None

    def counts(self):
        """How many of this run's results have each status."""
        out = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out


def find_submissions(folder, *, lesson=None):
    """Return the `Submission` of each student in `folder`, sorted by student.

    A submission is either ``<student>.ipynb`` directly in `folder` or a sub-folder
    ``<student>/`` holding one notebook (looked for at any depth, ignoring hidden folders
    such as ``.ipynb_checkpoints``).  If a folder holds several notebooks and `lesson` is
    given, the one named like the lesson's exercise (``00_start_here.ipynb``) is taken.
    Hidden files and other files are ignored.

    Raises
    ------
    FileNotFoundError
        If `folder` does not exist.
    ValueError
        If `folder` is a file, or `lesson` is unknown.
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"submissions folder not found: {folder}")
    if not folder.is_dir():
        raise ValueError(f"submissions must be a folder, got the file {folder}")
    wanted = Path(get_lesson(lesson).exercise).name if lesson is not None else None
    found, entries = {}, {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "__")):
            continue
        if entry.is_file() and entry.suffix.lower() == ".ipynb":
            sub = Submission(_nfc(entry.stem), entry)
        elif entry.is_dir():
            sub = _folder_submission(entry, wanted)
        else:
            continue
        if sub.student in found:
            names = sorted(
                e.name + ("/" if e.is_dir() else "") for e in (entries[sub.student], entry)
            )
            sub = Submission(
                sub.student,
                None,
                "several notebooks",
                f"both {' and '.join(names)} are named {sub.student}: keep one",
            )
        found[sub.student], entries[sub.student] = sub, entry
    return [found[k] for k in sorted(found)]


def grade_notebook(
    path,
    *,
    lesson=None,
    timeout=600,
    cell_timeout=None,
    memory_mb=2048,
    student=None,
    _running=None,
):
    """Grade one notebook: run it in a fresh limited kernel and judge its answers.

    Parameters
    ----------
    path : path
        The notebook.
    lesson : str, optional
        The lesson to judge it as; by default the one its metadata names
        (``senge_course.lesson``).  A notebook of another lesson gets status ``wrong lesson``.
    timeout : float
        Seconds for all of the notebook's cells together (default 600).
    cell_timeout : float, optional
        Seconds for any one cell (default: the smaller of 120 and `timeout`).
    memory_mb : int
        The kernel's memory limit in megabytes (address space; default 2048, at least 256).
    student : str, optional
        The name shown in the result (default: the file name without ``.ipynb``).

    Returns
    -------
    Result
        Never raises for anything the notebook does; a bug in the grader gives status
        ``grader error``.

    Raises
    ------
    ValueError
        If `lesson` is unknown or has no exercise, or a limit is out of range.

    Examples
    --------
    A file that is not a notebook is reported, not raised (no kernel is started for it):

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ada.ipynb"
    >>> _ = path.write_text("my answers: b, 0.25")
    >>> result = grade_notebook(path)
    >>> result.student, result.status, result.graded
    ('ada', 'invalid notebook', False)
    """
    timeout, cell_timeout, memory_mb = _check_limits(timeout, cell_timeout, memory_mb)
    if lesson is not None:
        lesson = _exercise_lesson(lesson)
    path = Path(path)
    student = _nfc(path.stem) if student is None else student
    start = time.monotonic()
    try:
        result = _grade(path, student, lesson, timeout, cell_timeout, memory_mb, _running)
    except Exception as exc:  # one bad submission never stops a run
        result = Result(student, "grader error", detail=_one_line(f"{type(exc).__name__}: {exc}"))
    return replace(result, seconds=time.monotonic() - start)


def grade(
    submissions,
    out,
    *,
    feedback=None,
    lesson=None,
    timeout=600,
    cell_timeout=None,
    memory_mb=2048,
    workers=None,
    force=False,
    progress=True,
    on_result=None,
):
    """Grade every submission in a folder into a gradebook (CSV), reflections and feedback.

    Parameters
    ----------
    submissions : path
        A folder with ``<student>.ipynb`` files or ``<student>/`` folders (`find_submissions`).
    out : path
        The gradebook CSV.  Rewritten atomically after each finished submission, so an
        interrupted run keeps every finished row; a rerun skips students already in it whose
        notebook is unchanged (same checksum), unless `force`.  ``reflections.csv`` (student,
        question, text) is written beside it.
    feedback : path, optional
        A folder for one Markdown file per student graded in this run (``<student>.md``).
    lesson : str, optional
        Judge every notebook as this lesson (default: each notebook's metadata).
    timeout, cell_timeout, memory_mb
        Limits per submission, as in `grade_notebook`.
    workers : int, optional
        Submissions graded at once (default: the number of cores); each runs its own kernel.
    force : bool
        Regrade everything, and replace a gradebook that cannot be read.
    progress : bool
        Show a progress bar (tqdm, on stderr, when it is a terminal).
    on_result : callable, optional
        Called with each `Result` after its row is saved.

    Returns
    -------
    GradingRun

    Raises
    ------
    FileNotFoundError
        If `submissions` does not exist.
    GradebookError
        If `out` (or ``reflections.csv``) exists but cannot be read, and not `force`.
    ValueError
        For an unknown lesson, a folder with no submissions, or a limit out of range.

    Examples
    --------
    Every submission gets a row, even one that cannot run; the gradebook is plain CSV:

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "ada.ipynb").write_text("not a notebook")
    >>> run = grade(folder, folder / "out" / "gradebook.csv", progress=False)
    >>> [(r.student, r.status) for r in run.results]
    [('ada', 'invalid notebook')]
    >>> print(run.gradebook.read_text().splitlines()[0])
    student,status,score,max_score,lesson,cell_errors,seconds,checksum,detail
    """
    timeout, cell_timeout, memory_mb = _check_limits(timeout, cell_timeout, memory_mb)
    workers = _check_workers(workers)
    if lesson is not None:
        lesson = _exercise_lesson(lesson)
    out = Path(out)
    if out.is_dir():
        raise ValueError(f"out must be a CSV file, got the folder {out}")
    reflections_path = out.with_name("reflections.csv")
    subs = find_submissions(submissions, lesson=lesson)
    if not subs:
        raise ValueError(
            f"no submissions in {submissions}: expected <student>.ipynb files "
            "or one folder per student"
        )
    rows, texts = {}, {}
    if not force:
        rows = {row["student"]: row for row in read_gradebook(out)} if out.exists() else {}
        if reflections_path.exists():
            for row in _read_reflections(reflections_path):
                texts.setdefault(row["student"], []).append((row["question"], row["text"]))
    feedback = Path(feedback) if feedback is not None else None
    if feedback is not None:
        feedback.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    q_count = len(_exercise(lesson).questions) if lesson else 0

    todo, skipped = [], []
    for sub in subs:
        old = rows.get(sub.student)
        checksum = _checksum(sub.path) if sub.path else ""
        if old and old["status"] != "grader error" and old.get("checksum", "") == checksum:
            skipped.append(sub.student)
        else:
            todo.append(sub)

    from .kernel import Kernels

    results, running, lock = [], Kernels(), threading.Lock()

    def save(result):
        with lock:
            rows[result.student] = result.row()
            texts[result.student] = list(result.reflections)
            _write_gradebook(out, rows, q_count)
            _write_reflections(reflections_path, texts)
            if feedback is not None:
                atomic_write_text(feedback / f"{result.student}.md", result.feedback())
            results.append(result)

    def work(sub):
        if sub.status:
            return Result(sub.student, sub.status, detail=sub.detail)
        return grade_notebook(
            sub.path,
            lesson=lesson,
            timeout=timeout,
            cell_timeout=cell_timeout,
            memory_mb=memory_mb,
            student=sub.student,
            _running=running,
        )

    if not todo:  # nothing to grade: still write both files (a first run of an empty class)
        _write_gradebook(out, rows, q_count)
        _write_reflections(reflections_path, texts)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="senge-grade")
    bar = _progress(len(todo), progress)
    try:
        futures = [pool.submit(work, sub) for sub in todo]
        for future in as_completed(futures):
            result = future.result()
            save(result)
            bar.update(1)
            if on_result is not None:
                on_result(result)
    except BaseException:  # Ctrl-C or a failing callback: stop every kernel, keep saved rows
        pool.shutdown(wait=False, cancel_futures=True)
        running.kill_all()
        raise
    finally:
        bar.close()
        pool.shutdown(wait=True)
    return GradingRun(
        tuple(sorted(results, key=lambda r: r.student)),
        tuple(skipped),
        out,
        reflections_path,
        feedback,
    )


def read_gradebook(path):
    """Read a gradebook this grader wrote: a list of rows (column name to text).

    Raises
    ------
    GradebookError
        If the file is not such a gradebook (it is never changed here).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "gradebook.csv"
    >>> _ = bad.write_text("name,mark\\nada,3\\n")
    >>> read_gradebook(bad)
    Traceback (most recent call last):
    ...
    senge_course.grading.run.GradebookError: ... lacks the columns student, status, score, max_score)...left untouched...
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


# ---------------------------------------------------------------- grading one notebook


def _grade(path, student, lesson, timeout, cell_timeout, memory_mb, running):
    import nbformat

    from .collect import CollectError, collector_source, decode_answers
    from .kernel import run_notebook

    try:
        size = path.stat().st_size
    except OSError as exc:
        return Result(student, "invalid notebook", lesson or "", detail=f"cannot read it: {exc}")
    if size > MAX_NOTEBOOK_MB * 1024 * 1024:
        return Result(
            student,
            "invalid notebook",
            lesson or "",
            detail=f"the file is {size / 2**20:.0f} MB; notebooks up to {MAX_NOTEBOOK_MB} MB "
            "are graded (clear its outputs)",
        )
    raw = path.read_bytes()
    checksum = hashlib.sha256(raw).hexdigest()[:16]
    notes = []
    try:
        original = nbformat.reader.reads(raw.decode("utf-8-sig"))
        version = original.get("nbformat")
        nb = nbformat.convert(original, 4)
        _check_structure(nb)
    except Exception as exc:
        return Result(
            student,
            "invalid notebook",
            lesson or "",
            detail=_one_line(f"not a readable Jupyter notebook ({_reason(exc)})"),
            checksum=checksum,
        )
    if version != 4:
        notes.append(f"Converted from notebook format {version} to 4.")

    named = (nb.metadata.get("senge_course") or {}) if isinstance(nb.metadata, dict) else {}
    named = named.get("lesson") if isinstance(named, dict) else None
    problem, lesson = _which_lesson(named, lesson)
    if problem:
        return Result(student, "wrong lesson", lesson or "", detail=problem, checksum=checksum)
    exercise = _exercise(lesson)
    max_score = exercise.max_score

    nonce = secrets.token_hex(16)
    calls = sum(len(q.spec().get("cases", ())) or 1 for q in exercise.questions)
    call_seconds = max(1.0, min(10.0, cell_timeout / 2))
    root = Path(tempfile.mkdtemp(prefix="senge-grade-"))
    try:
        work = root / "work"
        work.mkdir()
        shutil.copyfile(path, work / path.name)
        execution = run_notebook(
            nb,
            work,
            collector=collector_source(exercise.questions, nonce, call_seconds=call_seconds),
            timeout=timeout,
            cell_timeout=cell_timeout,
            collect_timeout=30 + call_seconds * calls,
            memory_mb=memory_mb,
            scratch=root,
            running=running,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)

    incidents = execution.incidents
    notes.extend(_sentence(d) for _, d in incidents)
    answers, failure = None, None
    fatal = [s for s, _ in incidents if s in ("kernel died", "stuck")] or [
        s for s, d in incidents if s == "memory" and d.startswith("the kernel")
    ]
    if not fatal:
        if len(execution.payloads) > 1:
            failure = (
                "several outputs carried this run's secret tag: the notebook imitated the grader"
            )
        elif not execution.collected or not execution.payloads:
            failure = "the grader's collection cell did not finish (did the notebook replace print, display or builtins?)"
        else:
            try:
                answers = decode_answers(
                    execution.payloads[0], nonce=nonce, count=len(exercise.questions)
                )
            except CollectError as exc:
                failure = str(exc)
    if fatal:
        status = "timeout" if fatal[0] == "stuck" else fatal[0]
    elif incidents:
        status = incidents[0][0]
    elif failure:
        status = "collect failed"
    else:
        status = "ok"
    if failure:
        notes.append(_sentence(failure))
    if execution.cell_errors:
        notes.append(
            f"{execution.cell_errors} cell{'s' if execution.cell_errors > 1 else ''} raised an error."
        )
    detail = " ".join(notes)

    if answers is None:
        why = detail or "the notebook could not be run."
        outcomes = tuple(
            Outcome(ERROR, f"Not graded: {why}", 0.0, float(q.points), label, q.name, lesson)
            for label, q in exercise.items()
        )
        return Result(
            student,
            status,
            lesson,
            outcomes,
            max_score,
            detail,
            execution.cell_errors,
            checksum=checksum,
        )
    outcomes, reflections = [], []
    for (label, question), answer in zip(exercise.items(), answers, strict=True):
        outcomes.append(_judge(question, answer, label, lesson))
        if isinstance(question, Reflection) and isinstance(answer, str):
            if answer.strip() and not is_placeholder(answer) and answer.strip() != "___":
                reflections.append((label, answer.strip()))
    return Result(
        student,
        status,
        lesson,
        tuple(outcomes),
        max_score,
        detail,
        execution.cell_errors,
        checksum=checksum,
        reflections=tuple(reflections),
        graded=True,
    )


def _judge(question, answer, label, lesson):
    from .collect import CollectFailure

    if isinstance(answer, CollectFailure):
        return Outcome(
            ERROR,
            f"Checking {question.name} failed: {answer.error}",
            0.0,
            float(question.points),
            label,
            question.name,
            lesson,
        )
    return question.assess(answer, question=label, lesson=lesson)


def _which_lesson(named, wanted):
    """Return (problem, lesson number) for a notebook naming `named`, graded as `wanted`."""
    known = None
    if isinstance(named, str):
        try:
            known = get_lesson(named).number
        except ValueError:
            known = None
    if wanted is not None:
        if known is not None and known != wanted:
            return (f"this is the notebook of lesson {known}, not lesson {wanted}", wanted)
        return (None, wanted)
    if named is None:
        return (
            "the notebook does not say which lesson it belongs to "
            "(metadata senge_course.lesson): grade it with --lesson",
            None,
        )
    if known is None:
        return (f"the notebook names lesson {str(named)[:20]!r}, which is not in this course", None)
    try:
        _exercise(known)
    except ValueError as exc:
        return (str(exc), known)
    return (None, known)


# ---------------------------------------------------------------- files


def _write_gradebook(path, rows, q_count):
    questions = set(range(1, q_count + 1))
    extra = {}  # columns an instructor added (comments, ...) are kept, after ours
    for row in rows.values():
        for k in row:
            if m := _QCOL.fullmatch(k):
                questions.add(int(m.group(1)))
            elif k not in LEADING and k not in TRAILING:
                extra.setdefault(k, None)
    columns = [*LEADING, *(f"q{n}" for n in sorted(questions)), *TRAILING, *extra]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for student in sorted(rows):
        row = rows[student]
        writer.writerow([_safe_cell(row.get(c, "") or "") for c in columns])
    atomic_write_text(path, buffer.getvalue())


def _write_reflections(path, texts):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "question", "text"])
    for student in sorted(texts):
        for question, text in texts[student]:
            writer.writerow([_safe_cell(student), question, _safe_cell(text)])
    atomic_write_text(path, buffer.getvalue())


def _read_reflections(path):
    return _read_csv(path, ("student", "question", "text"))


def _read_csv(path, required):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, _reason(exc)) from None
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
        out.append({k: _unsafe_cell(v) for k, v in row.items()})
    return out


def _unreadable(path, reason):
    return GradebookError(
        f"{path} cannot be read as a gradebook ({reason}); it was left untouched: "
        "move it away, or grade again with --force to replace it"
    )


def _safe_cell(text):
    """Keep spreadsheets from running learner text as a formula (=, +, -, @ first)."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _unsafe_cell(text):
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


# ---------------------------------------------------------------- feedback


def _feedback_markdown(result):
    lines = []
    title = f"lesson {result.lesson}" if result.lesson else "your exercise"
    if result.lesson:
        title += f": {get_lesson(result.lesson).title}"
    lines.append(f"# Feedback on {title}")
    lines.append("")
    lines.append(f"- **Student:** {_md(result.student)}")
    if result.max_score is not None:
        lines.append(f"- **Score:** {_number(result.score)} of {_number(result.max_score)}")
    lines.append(f"- **Status:** {result.status} ({STATUSES[result.status]})")
    if result.detail:
        lines.append(f"- **Notes:** {_md(result.detail)}")
    lines.append("")
    if result.graded:
        lines.append("| Question | Outcome | Points |")
        lines.append("|---|---|---|")
        for o in result.outcomes:
            lines.append(
                f"| {o.question} (`{o.name}`) | {o.label} | "
                f"{_number(o.score)} of {_number(o.max_score)} |"
            )
        lines.append("")
        from ..course.questions import get_exercise

        prompts = {label: q.prompt for label, q in get_exercise(result.lesson).items()}
        for o in result.outcomes:
            lines.append(f"## {o.question}: {o.label}")
            lines.append("")
            if prompts.get(o.question):
                lines.append(f"*{prompts[o.question]}*")
                lines.append("")
            lines.extend(_fenced(o.message))
            lines.append("")
        lines.append(
            "Open the notebook and run `q1.check()`, `q1.hint()`, ... to work on any question "
            "that is not yet correct."
        )
    else:
        lines.append(
            "Nothing could be graded: fix what the notes say, check the notebook with "
            "`senge-course check NOTEBOOK` (or Kernel > Restart and Run All), and submit it again."
        )
    return "\n".join(lines).rstrip() + "\n"


def _fenced(text):
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return [f"{fence}text", text, fence]


def _md(text):
    """Escape what could turn `text` into Markdown or HTML (names and notes may come from learners).

    >>> print(_md("<b>Zoë_1</b> *x* [a](b) snake_case"))
    \\<b\\>Zoë_1\\</b\\> \\*x\\* \\[a\\](b) snake_case
    """
    text = " ".join(str(text).split())
    text = re.sub(r"([\\`*\[\]<>&|~#])", r"\\\1", text)
    return re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)


# ---------------------------------------------------------------- small helpers


def _folder_submission(entry, wanted):
    student = _nfc(entry.name)
    notebooks = sorted(
        p
        for p in entry.rglob("*.ipynb")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(entry).parts)
    )
    if len(notebooks) == 1:
        return Submission(student, notebooks[0])
    if not notebooks:
        return Submission(
            student, None, "no notebook", f"the folder {entry.name}/ holds no .ipynb file"
        )
    named = [p for p in notebooks if p.name == wanted]
    if len(named) == 1:
        return Submission(student, named[0])
    shown = ", ".join(str(p.relative_to(entry)) for p in notebooks[:3])
    more = f" and {len(notebooks) - 3} more" if len(notebooks) > 3 else ""
    return Submission(
        student,
        None,
        "several notebooks",
        f"the folder {entry.name}/ holds {len(notebooks)} notebooks ({shown}{more}): keep one",
    )


def _check_structure(nb):
    """Raise unless `nb` can be run: valid nbformat 4, or at least a list of cells with sources.

    Strict validation fails on harmless departures (a missing cell id, an unknown metadata
    field) that nbclient runs happily, so those pass when the cells themselves are sound.
    """
    import nbformat

    try:
        nbformat.validate(nb)
        return
    except nbformat.ValidationError as exc:
        error = exc
    cells = nb.get("cells")
    sound = isinstance(cells, list) and all(
        isinstance(c, dict)
        and c.get("cell_type") in ("code", "markdown", "raw")
        and isinstance(c.get("source"), str)
        for c in cells
    )
    if not sound or not isinstance(nb.get("metadata"), dict):
        raise ValueError(f"it does not follow nbformat 4: {_one_line(error.message)}")


def _check_limits(timeout, cell_timeout, memory_mb):
    from .._validate import check_integer, check_number

    timeout = check_number("timeout", timeout, low=1)
    if cell_timeout is None:
        cell_timeout = min(120.0, timeout)
    cell_timeout = check_number("cell_timeout", cell_timeout, low=1)
    memory_mb = check_integer("memory_mb", memory_mb, low=256)
    return timeout, min(cell_timeout, timeout), memory_mb


def _check_workers(workers):
    from .._validate import check_integer

    if workers is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # macOS and Windows
            return os.cpu_count() or 1
    return check_integer("workers", workers, low=1)


def _exercise_lesson(lesson):
    number = get_lesson(lesson).number
    _exercise(number)
    return number


def _exercise(lesson):
    from ..course.questions import get_exercise

    return get_exercise(lesson)


def _checksum(path):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def _progress(total, enabled):
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc="grading",
        unit="notebook",
        disable=None if enabled else True,
        dynamic_ncols=True,
    )


def _nfc(text):
    return unicodedata.normalize("NFC", text)


def _number(x):
    return format(round(float(x), 4), "g")


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _reason(exc):
    return _one_line(str(exc) or type(exc).__name__)[:200]


def _one_line(text):
    return " ".join(str(text).split())


def _sentence(text):
    text = _one_line(text)
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""
