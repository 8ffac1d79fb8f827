"""Find a class's submissions and grade them: one notebook (`grade_notebook`) or a folder (`grade`).

One notebook is graded in five steps: read and check it (size, format, lesson); run it with the
collection cell in a fresh limited kernel; read the collected answers; judge them; build the
`Result`.  A lesson's answer key (its questions with the expected answers worked out, and what
the collection cell reads) is made once per grading run, however many notebooks use it.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from ..course.checks import ERROR, NOT_ATTEMPTED, Outcome, Reflection, is_placeholder
from ..course.classfile import json_safe, read_class, write_class
from ..course.lessons import get_lesson
from ..course.questions import get_exercise
from ..files import write_text
from .collect import CollectFailure, collector_source, collector_spec, read_answers
from .feedback import points
from .gradebook import (
    Result,
    read_gradebook,
    read_reflections,
    write_gradebook,
    write_reflections,
)
from .kernel import Kernels, Limits, resolve_sandbox, run_notebook
from .manual import TEMPLATE_NAME, manual_points, merge_manual, read_manual_scores, write_template
from .roster import group_by_student, parse_lms_name
from .status import describe, one_line, status_of

__all__ = [
    "GraderWarning",
    "GradingRun",
    "Submission",
    "find_submissions",
    "grade",
    "grade_notebook",
]

MAX_NOTEBOOK_MB = 100
#: Seconds between rewrites of the reflections and the class file while a class is graded.
_SIDE_FILES_SECONDS = 5.0


class GraderWarning(UserWarning):
    """The grader warns: students' code runs without a sandbox (``--sandbox auto`` found no
    working bubblewrap)."""


@dataclass(frozen=True)
class Submission:
    """One student's submission: the `student` (the file name without ``.ipynb``, or the folder
    name; Unicode NFC) and the notebook's `path`; or, with no `path`, the `status` (``"no
    notebook"`` or ``"several notebooks"``) and a `detail` saying why."""

    student: str
    path: Path | None
    status: str = ""
    detail: str = ""


@dataclass(frozen=True)
class GradingRun:
    """What a `grade` call did: the `results` graded in this run (by student), the students
    `skipped` (in the gradebook with an unchanged notebook), the `gradebook` and `reflections`
    files written, the `feedback` folder (or None), and the `lesson` the class was graded as."""

    results: tuple
    skipped: tuple
    gradebook: Path
    reflections: Path
    feedback: Path | None = None
    lesson: str | None = None

    def counts(self):
        """How many of this run's results have each status."""
        return dict(Counter(r.status for r in self.results))


def find_submissions(folder, *, lesson=None, exclude=(), roster=None):
    """Return the `Submission` of each student in `folder`, sorted by student.

    A submission is ``<student>.ipynb`` in `folder`, or a sub-folder ``<student>/`` holding one
    notebook at any depth (hidden folders such as ``.ipynb_checkpoints`` and other files are
    ignored); of several, the one named like `lesson`'s exercise is taken, if `lesson` is given.
    Entries in `exclude` (paths, such as the grader's own output folder inside `folder`) are
    skipped.  File and folder names from a Canvas or Moodle download are read as the student
    they name (`senge_course.grading.roster.parse_lms_name`): a late resubmission is the same
    student, and the newest file counts; with a `roster` (a `Roster`), the student is the
    roster's id.

    Raises
    ------
    FileNotFoundError
        If `folder` does not exist.
    ValueError
        If `folder` is a file, or `lesson` is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "ada.ipynb").write_text("{}")
    2
    >>> (folder / "bo").mkdir(); (folder / "bo" / "work.ipynb").write_text("{}")
    2
    >>> [(s.student, s.path.name) for s in find_submissions(folder)]
    [('ada', 'ada.ipynb'), ('bo', 'work.ipynb')]
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"submissions folder not found: {folder}")
    if not folder.is_dir():
        raise ValueError(f"submissions must be a folder, got the file {folder}")
    wanted = Path(get_lesson(lesson).exercise).name if lesson is not None else None
    found, entries = {}, {}
    skip = {Path(p).resolve() for p in exclude}
    visible = [
        e
        for e in sorted(folder.iterdir())
        if not e.name.startswith((".", "__")) and e.resolve() not in skip
    ]
    notebooks = [
        e for e in visible if not e.is_symlink() and e.is_file() and e.suffix.lower() == ".ipynb"
    ]
    chosen = {}
    for student, choice in group_by_student(notebooks, roster=roster).items():
        chosen[choice.kept] = (_nfc(student), choice.dropped)
    for entry in visible:
        if entry.is_symlink():
            student = _nfc(entry.name[: -len(entry.suffix)] if entry.suffix else entry.name)
            detail = f"{entry.name} is a symbolic link: submit the notebook itself"
            sub = Submission(student, None, "refused", detail)
        elif entry.is_file() and entry in chosen:
            sub = Submission(chosen[entry][0], entry)
        elif entry.is_dir():
            sub = _folder_submission(entry, wanted, roster)
        else:
            continue
        if sub.student in found:
            names = sorted(e.name + "/" * e.is_dir() for e in (entries[sub.student], entry))
            detail = f"both {' and '.join(names)} are named {sub.student}: keep one"
            sub = Submission(sub.student, None, "several notebooks", detail)
        found[sub.student], entries[sub.student] = sub, entry
    return [found[k] for k in sorted(found)]


def _staged(sub, folder):
    """`sub` with its notebook copied into `folder` (never through a symbolic link), or refused."""
    if sub.status or sub.path is None:
        return sub
    folder.mkdir()
    copy = folder / sub.path.name
    try:
        if sub.path.stat().st_size > MAX_NOTEBOOK_MB * 1024 * 1024:
            return sub  # reported as too large when graded, without copying it
        fd = os.open(sub.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with open(fd, "rb") as source, open(copy, "wb") as target:
            shutil.copyfileobj(source, target)
    except OSError as exc:
        detail = f"{sub.path.name} could not be copied to be graded ({exc.strerror or exc})"
        return Submission(sub.student, None, "refused", detail)
    return replace(sub, path=copy)


def grade_notebook(
    path,
    *,
    lesson=None,
    timeout=600,
    cell_timeout=None,
    memory_mb=2048,
    student=None,
    sandbox="auto",
):
    """Grade one notebook: run it in a fresh limited kernel and judge its answers.

    Parameters
    ----------
    path : path
        The notebook.
    lesson : str, optional
        The lesson to judge it as (default: the one its metadata ``senge_course.lesson`` names);
        a notebook of another lesson gets status ``wrong lesson``.
    timeout, cell_timeout, memory_mb
        The `Limits`: seconds for all cells (600) and for any one cell (the smaller of 120 and
        `timeout`), and the kernel's memory (address space) in megabytes (2048, at least 256).
    student : str, optional
        The name shown in the result (default: the file name without ``.ipynb``).
    sandbox : {"auto", "bwrap", "none"}
        How the kernel is isolated (`senge_course.grading.kernel.resolve_sandbox`): under
        bubblewrap, where it works ("auto"), always ("bwrap": an error where it does not), or
        not at all ("none"; the README says what each level protects).

    Returns
    -------
    Result
        Never raises for anything the notebook does; a grader bug gives ``grader error``.

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
    grader = _Grader(lesson, Limits(timeout, cell_timeout, memory_mb), sandbox)
    path = Path(path)
    return grader.grade(_nfc(path.stem) if student is None else student, path)


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
    roster=None,
    rubric=False,
    sandbox="auto",
):
    """Grade every submission in a folder into a gradebook (CSV), reflections and feedback.

    Parameters
    ----------
    submissions : path
        A folder with ``<student>.ipynb`` files or ``<student>/`` folders (`find_submissions`).
    out : path
        The gradebook CSV, rewritten atomically after each finished submission (an interrupted
        run keeps every finished row); a rerun skips students in it whose notebook is unchanged
        (same checksum), unless `force`.
        ``reflections.csv`` (student, question, text) is written beside it.
    feedback : path, optional
        A folder for one Markdown file per student graded in this run (``<student>.md``).
    lesson, timeout, cell_timeout, memory_mb
        As in `grade_notebook`, for every submission.
    workers : int, optional
        Submissions graded at once, each in its own kernel (default: the number of cores).
    force : bool
        Regrade everything, and replace a gradebook that cannot be read.
    progress : bool
        Show a progress bar (tqdm, on stderr, when it is a terminal).
    on_result : callable, optional
        Called with each `Result` after its row is saved.
    roster : Roster, optional
        The class's roster (`senge_course.grading.roster.Roster`): students are its ids.
    rubric : bool
        Write (or extend) the manual-scores template ``manual-scores.csv`` beside `out`: one
        row per student, reflection and criterion (`senge_course.grading.manual`).  Whenever
        that file exists, the instructor's scores in it are merged into the gradebook on every
        run, so regrading (even with `force`) never loses them.  ``class.json`` beside `out`
        keeps each submission's outcomes and the answers a debrief reads
        (`senge_course.course.classfile`).
    sandbox : {"auto", "bwrap", "none"}
        As in `grade_notebook`.  Under "auto" without a working bubblewrap, a warning is printed
        at the start and put in every graded row's detail.

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
    student,status,score,max_score,lesson,cell_errors,seconds,checksum,detail,identical_to
    """
    grader = _Grader(lesson, Limits(timeout, cell_timeout, memory_mb), sandbox)
    workers = _check_workers(workers)
    out = Path(out)
    if out.is_dir():
        raise ValueError(f"out must be a CSV file, got the folder {out}")
    reflections = out.with_name("reflections.csv")
    feedback = Path(feedback) if feedback is not None else None
    outputs = [p for p in (out.parent, feedback) if p is not None and _inside(p, submissions)]
    subs = find_submissions(submissions, lesson=grader.lesson, exclude=outputs, roster=roster)
    if not subs:
        raise ValueError(
            f"no submissions in {submissions}: expected <student>.ipynb files "
            "or one folder per student"
        )
    rows = {r["student"]: r for r in read_gradebook(out)} if out.exists() and not force else {}
    texts = read_reflections(reflections) if reflections.exists() and not force else {}
    class_path = out.with_name("class.json")
    records = {}
    if class_path.exists() and not force:
        records = dict(read_class(class_path)["students"])
    if grader.lesson is None:  # the class's lesson: the one most notebooks name
        grader.adopt(_class_lesson(subs, rows))
    manual_path, scores = out.with_name(TEMPLATE_NAME), None
    if grader.lesson and manual_path.exists():  # a bad file stops the run before any kernel
        scores = manual_points(read_manual_scores(manual_path, grader.lesson), grader.lesson)

    def merged(row):
        if not grader.lesson or row.get("lesson") != grader.lesson:
            return row
        return merge_manual(
            row, None if scores is None else scores.get(row["student"], {}), grader.lesson
        )

    rows = {student: merged(row) for student, row in rows.items()}
    if feedback is not None:
        feedback.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    questions = len(get_exercise(grader.lesson).questions) if grader.lesson else 0

    def unchanged(sub):
        old = rows.get(sub.student)
        checksum = _checksum(sub.path) if sub.path else ""
        return old and old["status"] != "grader error" and old.get("checksum", "") == checksum

    skipped = [sub.student for sub in subs if unchanged(sub)]
    todo = [sub for sub in subs if sub.student not in skipped]
    results, lock, written, pending = [], threading.Lock(), [0.0], set()

    def save(result=None, *, final=False):
        """The gradebook after every result (an interrupted run keeps every finished row); the
        reflections and the class file, which grow with the class, at most every few seconds
        and at the end (a rerun regrades the students they lack)."""
        with lock:
            if result is not None:
                rows[result.student] = merged(result.row())
                texts[result.student] = list(result.reflections)
                records[result.student] = result.record(_kinds(result.lesson))
                results.append(result)
                pending.add(result.student)
            _flag_identical(rows)
            if final or time.monotonic() - written[0] > _SIDE_FILES_SECONDS:
                write_reflections(reflections, texts)
                write_class(class_path, records)
                written[0] = time.monotonic()
                pending.clear()
            # a row not yet in the side files has no checksum on disk: regraded if the run stops
            shown = {s: {**r, "checksum": ""} if s in pending else r for s, r in rows.items()}
            write_gradebook(out, shown, questions=questions)
            if result is not None and feedback is not None:
                own = (scores or {}).get(result.student)
                write_text(feedback / f"{result.student}.md", result.feedback(own))

    def work(sub):
        if sub.status:
            return Result(sub.student, sub.status, detail=sub.detail)
        return grader.grade(sub.student, sub.path)

    if not todo:  # nothing to grade: still write both files (a first run of an empty class)
        save(final=True)
    from tqdm import tqdm

    # every notebook is copied before any kernel starts: no submission can change another's
    staging = Path(tempfile.mkdtemp(prefix="senge-grade-staged-"))
    todo = [_staged(sub, staging / str(number)) for number, sub in enumerate(todo)]

    show = {"disable": None if progress else True, "dynamic_ncols": True}
    bar = tqdm(total=len(todo), desc="grading", unit="notebook", **show)
    if grader.warning and todo:
        warnings.warn(grader.warning, GraderWarning, stacklevel=2)
        if progress:
            bar.write(f"WARNING: {grader.warning}")
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="senge-grade")
    try:
        for future in as_completed([pool.submit(work, sub) for sub in todo]):
            result = future.result()
            save(result)
            if progress:
                bar.write(_line(result))
            bar.update(1)
            if on_result is not None:
                on_result(result)
    except BaseException:  # Ctrl-C or a failing callback: stop every kernel, keep saved rows
        pool.shutdown(wait=False, cancel_futures=True)
        grader.running.kill_all()
        raise
    finally:
        bar.close()
        pool.shutdown(wait=True)
        shutil.rmtree(staging, ignore_errors=True)
        if todo:
            save(final=True)
    if rubric and grader.lesson:
        students = [
            s for s, r in rows.items() if r.get("lesson") == grader.lesson and r.get("max_score")
        ]
        write_template(manual_path, students, grader.lesson)
    results = tuple(sorted(results, key=lambda r: r.student))
    return GradingRun(results, tuple(skipped), out, reflections, feedback, grader.lesson)


# ---------------------------------------------------------------- grading one notebook


class _Key(NamedTuple):
    """A lesson's settled exercise, its collector spec, and how many reads and calls it makes."""

    exercise: object
    spec: str
    calls: int


def make_key(lesson):
    """The answer key of `lesson`: its exercise settled, each question's solution judged once
    (`Question.prepare`: what judging every answer shares is built before the first answer),
    and the collection cell's spec."""
    exercise = get_exercise(lesson).settled()
    for question in exercise.questions:
        question.prepare()
    calls = sum(len(q.spec().get("cases", ())) or 1 for q in exercise.questions)
    return _Key(exercise, collector_spec(exercise.questions), calls)


class _Unfit(Exception):
    """The notebook cannot be run (unreadable, too large, another lesson): its `Result`."""


class _Grader:
    """One grading run: its lesson and limits, its kernels, and each lesson's answer key."""

    def __init__(self, lesson, limits, sandbox="auto"):
        self.lesson = None if lesson is None else get_lesson(lesson).number
        if self.lesson is not None:
            get_exercise(self.lesson)  # raises for a lesson without an exercise
        self.limits, self.running = limits, Kernels()
        self.sandbox, self.warning = resolve_sandbox(sandbox)
        self.inferred = False  # True once `adopt` set the lesson from the class's notebooks
        self._keys, self._lock = {}, threading.Lock()

    def adopt(self, lesson):
        """Grade as `lesson` from now on (None: keep judging each notebook as its own lesson)."""
        if lesson is not None:
            get_exercise(lesson)
            self.lesson, self.inferred = lesson, True

    def answer_key(self, lesson):
        """The answer key of `lesson`, made on its first use in this run."""
        with self._lock:
            if lesson not in self._keys:
                self._keys[lesson] = make_key(lesson)
            return self._keys[lesson]

    def grade(self, student, path):
        """The `Result` of the notebook at `path`; never raises."""
        start = time.monotonic()
        try:
            result = self._grade(student, path)
        except _Unfit as unfit:
            result = unfit.args[0]
        except Exception as exc:  # one bad submission never stops a run
            detail = one_line(f"{type(exc).__name__}: {exc}")
            result = Result(student, "grader error", detail=detail)
        return replace(result, seconds=time.monotonic() - start)

    def _grade(self, student, path):
        nb, key, checksum, notes = self._read(student, path)
        nonce = secrets.token_hex(16)
        execution = self._run(path, nb, key, nonce)
        answers, incidents = None, execution.incidents  # step 3: read the answers
        if not execution.stopped:
            count, finished = len(key.exercise.questions), execution.collected
            answers, failure = read_answers(
                execution.payloads, finished=finished, nonce=nonce, count=count
            )
            incidents = incidents + ([failure] if failure else [])
        detail = " ".join(filter(None, [*notes, describe(incidents)]))
        outcomes, reflections, kept = _judge(key.exercise, answers, detail)
        detail = " ".join(filter(None, [detail, self.warning and f"{self.warning}."]))
        outcomes = _blame(outcomes, answer_cells(nb, key.exercise), incidents)
        return Result(  # step 5: the result
            student,
            status_of(incidents),
            key.exercise.lesson,
            outcomes,
            key.exercise.max_score,
            detail,
            sum(i.kind == "cell error" for i in incidents),
            checksum=checksum,
            reflections=reflections,
            graded=answers is not None,
            answers=kept,
        )

    def _read(self, student, path):
        """Step 1: the notebook (as version 4), its answer key, checksum and notes; or `_Unfit`."""
        import nbformat

        def unfit(status, detail, lesson=self.lesson, checksum=""):
            return _Unfit(Result(student, status, lesson or "", detail=detail, checksum=checksum))

        try:
            size = path.stat().st_size
        except OSError as exc:
            raise unfit("invalid notebook", f"cannot read it: {exc}") from None
        if size > MAX_NOTEBOOK_MB * 1024 * 1024:
            raise unfit(
                "invalid notebook",
                f"the file is {size / 2**20:.0f} MB; notebooks up to {MAX_NOTEBOOK_MB} MB "
                "are graded (clear its outputs)",
            )
        raw = path.read_bytes()
        checksum = hashlib.sha256(raw).hexdigest()[:16]
        try:
            original = nbformat.reader.reads(raw.decode("utf-8-sig"))
            version = original.get("nbformat")
            nb = nbformat.convert(original, 4)
            _check_structure(nb)
        except Exception as exc:
            reason = one_line(str(exc) or type(exc).__name__)[:200]
            detail = f"not a readable Jupyter notebook ({reason})"
            raise unfit("invalid notebook", detail, checksum=checksum) from None
        notes = [f"Converted from notebook format {version} to 4."] if version != 4 else []
        named = nb.metadata.get("senge_course") or {}
        named = named.get("lesson") if isinstance(named, dict) else None
        try:
            known = get_lesson(named).number if isinstance(named, str) else None
        except ValueError:
            known = None
        lesson = self.lesson
        if self.inferred and known is None:
            why = (
                "does not say which lesson it belongs to"
                if named is None
                else f"names lesson {str(named)[:20]!r}, which is not in this course"
            )
            notes.append(
                f"The notebook {why}: graded as lesson {lesson}, the lesson most notebooks in "
                "this folder name (give --lesson to choose)."
            )
        if lesson is not None and known not in (None, lesson):
            problem = f"this is the notebook of lesson {known}, not lesson {lesson}"
            raise unfit("wrong lesson", problem, lesson, checksum)
        if lesson is None and named is None:
            problem = (
                "the notebook does not say which lesson it belongs to "
                "(metadata senge_course.lesson): grade it with --lesson"
            )
            raise unfit("wrong lesson", problem, None, checksum)
        if lesson is None and known is None:
            problem = f"the notebook names lesson {str(named)[:20]!r}, which is not in this course"
            raise unfit("wrong lesson", problem, None, checksum)
        try:
            key = self.answer_key(lesson or known)
        except ValueError as exc:  # a lesson without an exercise
            raise unfit("wrong lesson", str(exc), known, checksum) from None
        return nb, key, checksum, notes

    def _run(self, path, nb, key, nonce):
        """Step 2: run the notebook, then the collection cell, in a temporary folder."""
        limits = self.limits
        root = Path(tempfile.mkdtemp(prefix="senge-grade-"))
        try:
            work = root / "work"
            work.mkdir()
            shutil.copyfile(path, work / path.name)
            return run_notebook(
                nb,
                work,
                collector=collector_source(key.spec, nonce, call_seconds=limits.call_seconds),
                limits=limits,
                collect_timeout=30 + limits.call_seconds * key.calls,
                scratch=root,
                running=self.running,
                sandbox=self.sandbox,
            )
        finally:
            shutil.rmtree(root, ignore_errors=True)


def _judge(exercise, answers, detail):
    """Step 4: each question's outcome, and the reflections written (none if not graded)."""
    lesson, items = exercise.lesson, exercise.items()

    def error(question, label, message):
        return Outcome(ERROR, message, 0.0, float(question.points), label, question.name, lesson)

    if answers is None:
        why = f"Not graded: {detail or 'the notebook could not be run.'}"
        return tuple(error(q, label, why) for label, q in items), (), ()
    outcomes, reflections, kept = [], [], []
    for (label, question), answer in zip(items, answers, strict=True):
        if isinstance(answer, CollectFailure):
            outcomes.append(
                error(question, label, f"Checking {question.name} failed: {answer.error}")
            )
        else:
            outcomes.append(question.assess(answer, question=label, lesson=lesson))
        text = answer.strip() if isinstance(answer, str) else ""
        if isinstance(question, Reflection) and text not in ("", "___"):
            reflections.append((label, text))
        if not isinstance(answer, CollectFailure) and not is_placeholder(answer):
            kept.append((question.name, json_safe(answer)))
    return tuple(outcomes), tuple(reflections), tuple(kept)


def answer_cells(nb, exercise):
    """``{question name: code cell number}``: the code cell (1 for the first) that sets each answer.

    A cell sets a name if a line of it starts ``name =`` or ``def name(`` (the exercises' form).
    """
    found = {}
    code = [c for c in nb.cells if c.get("cell_type") == "code"]
    for question in exercise.questions:
        pattern = re.compile(
            rf"^(?:{re.escape(question.name)}\s*=|def\s+{re.escape(question.name)}\()", re.M
        )
        for number, cell in enumerate(code, start=1):
            if pattern.search(cell.source):
                found[question.name] = number
    return found


def _blame(outcomes, cells, incidents):
    """Say why an answer is missing: its cell raised or timed out, not "Not attempted"."""
    failed = {i.cell: i for i in incidents if i.cell is not None}
    out = []
    for outcome in outcomes:
        incident = failed.get(cells.get(outcome.name))
        if outcome.status == NOT_ATTEMPTED and incident is not None:
            number = cells[outcome.name]
            if incident.kind == "timeout":
                why = f"Your answer cell (code cell {number}) timed out and was stopped"
            else:
                why = f"Your answer cell (code cell {number}) raised {incident.error or 'an error'}"
            message = (
                f"{why}, so {outcome.name} was never set. Fix that cell, run it (Kernel > Restart "
                "and Run All shows the error), then check again."
            )
            outcome = replace(outcome, status=ERROR, message=message)
        out.append(outcome)
    return tuple(out)


# ---------------------------------------------------------------- small helpers


def _folder_submission(entry, wanted, roster=None):
    name = parse_lms_name(entry.name)
    known = roster.identify(name) if roster is not None else None
    student = _nfc(known.id if known is not None else name.who if name.lms else entry.name)
    notebooks = sorted(
        p
        for p in entry.rglob("*.ipynb")
        if not any(part.startswith(".") for part in p.relative_to(entry).parts)
        and (p.is_symlink() or p.is_file())
    )
    links = [p for p in notebooks if p.is_symlink()]
    if links:
        detail = f"{entry.name}/{links[0].relative_to(entry)} is a symbolic link: submit the notebook itself"
        return Submission(student, None, "refused", detail)
    named = [p for p in notebooks if p.name == wanted]
    if len(notebooks) == 1 or len(named) == 1:
        return Submission(student, (notebooks if len(notebooks) == 1 else named)[0])
    if not notebooks:
        detail = f"the folder {entry.name}/ holds no .ipynb file"
        return Submission(student, None, "no notebook", detail)
    shown = ", ".join(str(p.relative_to(entry)) for p in notebooks[:3])
    more = f" and {len(notebooks) - 3} more" if len(notebooks) > 3 else ""
    detail = f"the folder {entry.name}/ holds {len(notebooks)} notebooks ({shown}{more}): keep one"
    return Submission(student, None, "several notebooks", detail)


def _check_structure(nb):
    """Raise unless `nb` is valid nbformat 4, or at least sound cells (nbclient runs notebooks
    that fail strict validation on a missing cell id or unknown metadata)."""
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
        raise ValueError(f"it does not follow nbformat 4: {one_line(error.message)}")


def _kinds(lesson):
    """``{label: kind}`` of `lesson`'s exercise (none for a result with no lesson)."""
    return get_exercise(lesson).kinds() if lesson else {}


def _class_lesson(subs, rows):
    """The lesson a folder is graded as without ``--lesson``: the lesson most of its notebooks
    name in their metadata (ties: the lowest), or the gradebook's if it has one; else None."""
    named = Counter(r.get("lesson") for r in rows.values() if r.get("lesson"))
    for sub in subs:
        lesson = _named_lesson(sub.path) if sub.path else None
        if lesson is not None:
            named[lesson] += 1
    if not named:
        return None
    most = max(named.values())
    return min(lesson for lesson, count in named.items() if count == most)


def _named_lesson(path):
    """The lesson a notebook's metadata names (``senge_course.lesson``), or None."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_MB * 1024 * 1024:
            return None
        meta = json.loads(path.read_text(encoding="utf-8-sig")).get("metadata", {})
        named = meta.get("senge_course", {}).get("lesson")
        return get_lesson(named).number if isinstance(named, str) else None
    except (OSError, ValueError, AttributeError):
        return None


def _flag_identical(rows):
    """Set each row's ``identical_to``: the other students whose notebook is byte for byte the same."""
    by_checksum = {}
    for student, row in rows.items():
        if row.get("checksum"):
            by_checksum.setdefault(row["checksum"], []).append(student)
    for student, row in rows.items():
        same = by_checksum.get(row.get("checksum"), [])
        row["identical_to"] = "; ".join(sorted(s for s in same if s != student))


def _line(result):
    """One line for a finished student: name, status and score."""
    score = f" {points(result.score)} of {points(result.max_score)}" if result.graded else ""
    return f"{result.student}: {result.status}{score}"


def _inside(path, folder):
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
        return True
    except ValueError:
        return False


def _check_workers(workers):
    from .._validate import check_integer

    if workers is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # macOS and Windows
            return os.cpu_count() or 1
    return check_integer("workers", workers, low=1)


def _checksum(path):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def _nfc(text):
    return unicodedata.normalize("NFC", text)
