"""The grader: a corpus of real and broken submissions, resuming, files, tampering and the CLI.

The corpus is built in a temporary folder from lesson 00's solution and exercise and graded
once (module fixture, two workers, short limits); the tests assert on its rows and files.
"""

import csv
import hashlib
import json
import os
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import nbformat
import networkx as nx
import numpy as np
import pytest

from senge_course.cli import main
from senge_course.course.checks import (
    Choice,
    Classification,
    Exercise,
    Function,
    GraphProperty,
    Reflection,
    Value,
    ___,
)
from senge_course.course.questions import get_exercise
from senge_course.grading import (
    STATUSES,
    GradebookError,
    Result,
    find_submissions,
    grade,
    grade_notebook,
    read_gradebook,
)
from senge_course.grading.collect import (
    CollectError,
    collector_source,
    collector_spec,
    decode_answers,
    read_answers,
    run_collector,
)
from senge_course.grading.kernel import Limits, kernel_death, kernel_spec, resolve_sandbox
from senge_course.paths import course_root

ROOT = course_root()
SOLUTION = ROOT / "solutions" / "00_start_here.ipynb"
EXERCISE = ROOT / "exercises" / "00_start_here.ipynb"
LIMITS = {"timeout": 60, "cell_timeout": 8, "memory_mb": 1024}
SECRET = "s3cret-hub-token"


# ---------------------------------------------------------------- building submissions


def _solution():
    return nbformat.read(SOLUTION, as_version=4)


def _exercise():
    return nbformat.read(EXERCISE, as_version=4)


def _index(nb, start):
    found = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith(start)
    ]
    assert len(found) == 1, f"no single cell starts with {start!r}"
    return found[0]


def _set(nb, start, source):
    nb.cells[_index(nb, start)].source = source
    return nb


def _insert_after(nb, start, source):
    nb.cells.insert(_index(nb, start) + 1, nbformat.v4.new_code_cell(source))
    return nb


def _write(path, nb):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _partly():
    nb = _solution()
    _set(nb, "answer_q1", 'answer_q1 = "a"')
    q2 = nb.cells[_index(nb, "answer_q2")]
    q2.source = q2.source.replace(
        '"invests in a learning laboratory": "executive"',
        '"invests in a learning laboratory": "line"',
    )
    _set(nb, "answer_q3", "answer_q3 = 0.3")
    _set(nb, "# BEGIN SOLUTION\n# EXERCISE: reflection", 'reflection_q5 = "Too short."')
    return nb


def _deleted():
    nb = _solution()
    del nb.cells[_index(nb, "answer_q2")]
    del nb.cells[_index(nb, "q2.check()")]
    return nb


def _duplicated_reordered():
    nb = _solution()
    setup = nb.cells[_index(nb, "from senge_course")]
    nb.cells.insert(0, nbformat.v4.new_code_cell(setup.source))  # the setup cell twice
    _insert_after(nb, "answer_q1", 'answer_q1 = "c"  # a second go, run later: it wins')
    q3 = nb.cells.pop(_index(nb, "answer_q3"))
    nb.cells.append(q3)  # moved to the end: still defined
    return nb


def _huge_outputs():
    nb = _solution()
    _insert_after(
        nb,
        "answer_q1",
        'print("x" * 10_000_000)\n'
        "from IPython.display import HTML, display\n"
        'display(HTML("<p>" + "y" * 5_000_000 + "</p>"))',
    )
    # and a huge output stored in the submitted file (the grader never reads it)
    cell = nb.cells[_index(nb, "q1.check()")]
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="z" * 5_000_000)]
    return nb


def _escapes(probe):
    nb = _solution()
    return _insert_after(
        nb,
        "answer_q1",
        "import os, pathlib, tempfile\n"
        'pathlib.Path("escape.txt").write_text("x")\n'
        'pathlib.Path("../escape.txt").write_text("x")\n'
        'os.makedirs("solutions", exist_ok=True)\n'
        'pathlib.Path("solutions/00_start_here.ipynb").write_text("hacked")\n'
        'pathlib.Path("../00_start_here.ipynb").write_text("hacked")\n'
        'tempfile.NamedTemporaryFile(delete=False).write(b"x")\n'
        # an absolute path is the honest limit: it works (here it records the environment)
        f'pathlib.Path({str(probe)!r}).write_text(os.environ.get("JUPYTERHUB_API_TOKEN", "absent"))',
    )


def _tamper_patch():
    nb = _exercise()  # every answer still ___
    _insert_after(
        nb,
        "from senge_course",
        "import senge_course.course.checks as checks\n"
        "import senge_course.course.questions.lesson_00 as lesson\n"
        "win = lambda *a, **k: checks.Outcome('correct', 'hacked', 1.0, 1.0, 'q1')\n"
        "checks.Question.evaluate = win\n"
        "checks.Question.assess = win\n"
        "for cls in (checks.Value, checks.Choice, checks.Classification, checks.Function, checks.Reflection):\n"
        "    cls.judge = win\n"
        "checks.is_placeholder = lambda v: False\n"
        "class Fake:\n"
        "    def check(self):\n"
        "        print('q1: Correct. Well done.')\n"
        "    def outcome(self):\n"
        "        return win()\n"
        "q1 = q2 = q3 = q4 = q5 = Fake()\n"
        "from IPython.display import display\n"
        "meta = {'senge_course': {'status': 'correct', 'score': 1.0, 'max_score': 1.0, 'question': 'q1'}}\n"
        "display({'text/plain': 'q1: Correct.'}, raw=True, metadata=meta)\n"
        "fake = json = __import__('json')\n"
        "display({'application/x-senge-grader': json.dumps({'nonce': 'guess', 'answers': ['b'] * 5})}, raw=True)\n",
    )
    # outputs stored in the file claim every question correct
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.endswith(".check()"):
            meta = {"senge_course": {"status": "correct", "score": 1.0, "max_score": 1.0}}
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data", data={"text/plain": "Correct."}, metadata=meta
                )
            ]
            cell.execution_count = i
    return nb


def _tamper_expected():
    nb = _solution()
    _insert_after(
        nb,
        "from senge_course",
        "import senge_course.course.questions.lesson_00 as lesson\n"
        "qs = lesson.EXERCISE.questions\n"
        "object.__setattr__(qs[0], 'answer', 'a')\n"
        "object.__setattr__(qs[2], 'expected', 0.5)\n"
        "object.__setattr__(qs[3], 'reference', lambda states: 7)\n"
        "lesson.committed_share = lambda states: 7",
    )
    _set(nb, "answer_q1", 'answer_q1 = "a"')
    _set(nb, "answer_q3", "answer_q3 = 0.5")
    _set(nb, "def committed_share", "def committed_share(states):\n    return 7")
    return nb


def _tamper_equality():
    nb = _solution()
    _set(
        nb,
        "answer_q1",
        "class Sly(str):\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    __hash__ = str.__hash__\n"
        'answer_q1 = Sly("a")',
    )
    _set(
        nb,
        "answer_q3",
        "class Anything:\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "answer_q3 = Anything()",
    )
    return nb


def _tamper_nonce():
    """A function that digs the nonce out of the grader's frame and publishes fake answers."""
    nb = _exercise()
    return _set(
        nb,
        "def committed_share",
        "def committed_share(states):\n"
        "    import json, sys\n"
        "    from IPython.display import display\n"
        "    frame = sys._getframe(1)\n"
        "    while frame is not None and 'nonce' not in frame.f_locals:\n"
        "        frame = frame.f_back\n"
        "    if frame is not None:\n"
        "        nonce = frame.f_locals['nonce']\n"
        "        answers = ['b', {}, 0.25, {'results': [{'value': 0.5}] * 4}, 'word ' * 30]\n"
        "        payload = json.dumps({'nonce': nonce, 'answers': answers})\n"
        "        display({'application/x-senge-grader': payload}, raw=True)\n"
        "    return 0.0",
    )


def _v3(path):
    path.write_text(nbformat.writes(nbformat.convert(_solution(), 3), version=3), encoding="utf-8")


def _without_metadata():
    nb = _solution()
    del nb.metadata["senge_course"]
    return nb


def _other_lesson():
    nb = _solution()
    nb.metadata["senge_course"]["lesson"] = "99"
    return nb


def _lesson_01():
    nb = _solution()
    nb.metadata["senge_course"]["lesson"] = "01"
    return nb


def _build_corpus(folder, probe):
    w = lambda name, nb: _write(folder / f"{name}.ipynb", nb)  # noqa: E731
    w("correct", _solution())
    w("partly", _partly())
    w("untouched", _exercise())
    w("syntax_error", _set(_solution(), "answer_q3", "answer_q3 = 2 /"))
    w("infinite_loop", _insert_after(_solution(), "answer_q1", "while True:\n    pass"))
    w(
        "memory_hog",
        _insert_after(
            _solution(), "answer_q1", "hog = [bytearray(50 * 1024**2) for _ in range(1000)]"
        ),
    )
    w(
        "uninterruptible",
        _insert_after(
            _solution(),
            "answer_q1",
            "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(1000)",
        ),
    )
    w("kernel_exits", _insert_after(_solution(), "answer_q2", "import os\nos._exit(3)"))
    (folder / "malformed.ipynb").write_text('{"cells": [{"cell_type": "code",', encoding="utf-8")
    _v3(folder / "old_format.ipynb")
    w("deleted_cells", _deleted())
    w("duplicated_reordered", _duplicated_reordered())
    w("huge_outputs", _huge_outputs())
    w(
        "redirected_output",  # innocent: the grader does not read stdout or the displayhook
        _insert_after(
            _solution(),
            "def committed_share",
            "import io, sys\nsys.stdout = sys.stderr = io.StringIO()\nsys.displayhook = print",
        ),
    )
    w("Zoë 学生", _solution())
    w("escapes", _escapes(probe))
    w("tamper_patch", _tamper_patch())
    w("tamper_expected", _tamper_expected())
    w("tamper_equality", _tamper_equality())
    w("tamper_nonce", _tamper_nonce())
    w("no_metadata", _without_metadata())
    w("other_lesson", _other_lesson())
    w("lesson_01", _lesson_01())
    # one folder per student: a notebook at any depth, checkpoints ignored
    _write(folder / "dana" / "senge-course" / "exercises" / "00_start_here.ipynb", _solution())
    _write(folder / "dana" / ".ipynb_checkpoints" / "00_start_here-checkpoint.ipynb", _exercise())
    (folder / "erin").mkdir()
    (folder / "erin" / "notes.txt").write_text("no notebook here")
    _write(folder / "fay" / "a.ipynb", _solution())
    _write(folder / "fay" / "b.ipynb", _solution())
    (folder / ".hidden.ipynb").write_text("ignored")
    (folder / "README.txt").write_text("ignored")


def _snapshot(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }


def _course_files():
    # the notebooks only: other tests running in parallel (nbval on lesson 08) may save and
    # remove a design file in notebooks/ meanwhile
    return {
        name: snap
        for sub in ("solutions", "exercises", "notebooks")
        for name, snap in _snapshot(ROOT / sub).items()
        if name.endswith(".ipynb")
    } | {"escape.txt": (ROOT / "escape.txt").exists()}


def _grader_temp_dirs(where):
    return {p.name for p in Path(where).glob("senge-grade-*")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading")
    folder = base / "submissions"
    folder.mkdir()
    probe = base / "env-probe.txt"
    _build_corpus(folder, probe)
    # this run's temporary folders go to a folder of its own (other tests grade in parallel)
    scratch, old_tempdir = base / "tmp", tempfile.tempdir
    scratch.mkdir()
    before_course, before_subs = _course_files(), _snapshot(folder)
    old = os.environ.get("JUPYTERHUB_API_TOKEN")
    os.environ["JUPYTERHUB_API_TOKEN"] = SECRET
    tempfile.tempdir = str(scratch)
    start = time.monotonic()
    try:
        run = grade(
            folder,
            base / "out" / "gradebook.csv",
            feedback=base / "feedback",
            workers=2,
            progress=False,
            **LIMITS,
        )
    finally:
        tempfile.tempdir = old_tempdir
        if old is None:
            del os.environ["JUPYTERHUB_API_TOKEN"]
        else:
            os.environ["JUPYTERHUB_API_TOKEN"] = old
    return {
        "run": run,
        "seconds": time.monotonic() - start,
        "base": base,
        "folder": folder,
        "probe": probe,
        "rows": {row["student"]: row for row in read_gradebook(run.gradebook)},
        "results": {r.student: r for r in run.results},
        "changed": sorted(k for k, v in _course_files().items() if before_course.get(k) != v),
        "unchanged": (
            before_course == _course_files(),
            before_subs == _snapshot(folder),
            not _grader_temp_dirs(scratch),
        ),
    }


# ---------------------------------------------------------------- the corpus: statuses and scores

#: How many items exercise 00 has (q1-q5 keep their places; more follow them).
ITEMS_00 = len(get_exercise("00").questions)

#: Variants that must not change anything: full marks, status ok.
FULL_MARKS = ("correct", "old_format", "huge_outputs", "redirected_output", "Zoë 学生", "escapes")
EXPECTED = {
    # student: (status, score, scores of q1-q5 or None; q5 is a reflection, scored by a person)
    **dict.fromkeys((*FULL_MARKS, "dana"), ("ok", 5, [1, 1, 1, 1, 0])),
    "partly": ("ok", 2.8333, [0, 0.8333, 0, 1, 0]),
    "untouched": ("ok", 0, [0] * 5),
    "syntax_error": ("ok", 4, [1, 1, 0, 1, 0]),
    "infinite_loop": ("timeout", 5, [1, 1, 1, 1, 0]),
    "memory_hog": ("memory", 5, [1, 1, 1, 1, 0]),
    "uninterruptible": ("timeout", 0, [0] * 5),
    "kernel_exits": ("kernel died", 0, [0] * 5),
    "malformed": ("invalid notebook", 0, None),
    "deleted_cells": ("ok", 4, [1, 0, 1, 1, 0]),
    "duplicated_reordered": ("ok", 4, [0, 1, 1, 1, 0]),
    "tamper_patch": ("ok", 0, [0] * 5),
    "tamper_expected": ("ok", 2, [0, 1, 0, 0, 0]),
    "tamper_equality": ("ok", 3, [0, 1, 0, 1, 0]),
    "tamper_nonce": ("collect failed", 0, [0] * 5),
    # without --lesson the class's lesson is the one most notebooks name (00): a notebook that
    # names none, or a lesson not in the course, is graded as it, with a note
    "no_metadata": ("ok", 5, [1, 1, 1, 1, 0]),
    "other_lesson": ("ok", 5, [1, 1, 1, 1, 0]),
    "lesson_01": ("wrong lesson", 0, None),
    "erin": ("no notebook", 0, None),
    "fay": ("several notebooks", 0, None),
}


@pytest.mark.slow
def test_every_submission_gets_a_row_and_the_run_completes(corpus):
    assert set(corpus["rows"]) == set(EXPECTED)
    assert not corpus["run"].skipped
    assert corpus["seconds"] < 300  # no submission hangs the run


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_status_and_score(corpus, student):
    status, score, per_question = EXPECTED[student]
    row = corpus["rows"][student]
    assert row["status"] == status, row["detail"]
    assert float(row["score"]) == pytest.approx(score, abs=1e-3), row["detail"]
    if per_question is not None:
        got = [float(row[f"q{i}"]) for i in range(1, 6)]
        assert got == pytest.approx(per_question, abs=1e-3)
        assert row["max_score"] == "5" and row["lesson"] == "00"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("student", "fragments"),
    [
        ("infinite_loop", ["while True:", "ran longer than 8 s and was stopped"]),
        ("memory_hog", ["ran out of memory"]),
        ("uninterruptible", ["ran longer than 8 s", "could not be interrupted"]),
        ("kernel_exits", ["kernel stopped while running code cell", "exit code 3"]),
        ("malformed", ["not a readable Jupyter notebook"]),
        ("old_format", ["Converted from notebook format 3"]),
        ("syntax_error", ["1 cell raised an error"]),
        ("tamper_nonce", ["imitated the grader"]),
        ("no_metadata", ["does not say which lesson", "graded as lesson 00", "--lesson"]),
        ("other_lesson", ["'99'", "not in this course", "graded as lesson 00"]),
        ("lesson_01", ["this is the notebook of lesson 01, not lesson 00"]),
        ("erin", ["holds no .ipynb file"]),
        ("fay", ["holds 2 notebooks", "a.ipynb", "b.ipynb"]),
    ],
)
def test_details_explain_the_status(corpus, student, fragments):
    detail = corpus["rows"][student]["detail"]
    for fragment in fragments:
        assert fragment in detail


@pytest.mark.slow
def test_missing_and_failing_answers_have_notes(corpus):
    results = corpus["results"]
    deleted = results["deleted_cells"].outcomes[1]
    assert deleted.status == "not attempted" and "no variable called answer_q2" in deleted.message
    broken = results["syntax_error"].outcomes[2]  # its cell raised: not "not attempted"
    assert broken.status == "error" and "raised SyntaxError" in broken.message
    assert "so answer_q3 was never set" in broken.message
    feedback = corpus["base"] / "feedback" / "syntax_error.md"
    assert "raised SyntaxError" in feedback.read_text(encoding="utf-8")
    assert int(corpus["rows"]["syntax_error"]["cell_errors"]) == 1
    died = results["kernel_exits"]
    assert not died.graded and all(o.message.startswith("Not graded:") for o in died.outcomes)
    assert results["infinite_loop"].graded and results["memory_hog"].graded


@pytest.mark.slow
def test_tampering_never_raises_a_grade(corpus):
    results = corpus["results"]
    patched = results["tamper_patch"].outcomes
    assert [o.status for o in patched] == ["not attempted"] * ITEMS_00
    expected = results["tamper_expected"].outcomes
    # judged against the package, not the kernel; and never told the expected value
    assert "answer_q3 = 0.5 is far too high" in expected[2].message
    assert "got 7, which is far too high" in expected[3].message
    assert "0.25" not in expected[2].message and "0.5," not in expected[3].message
    sly = results["tamper_equality"].outcomes
    assert sly[0].status == "incorrect" and "You chose 'a'" in sly[0].message
    assert sly[2].status == "incorrect" and "Anything" in sly[2].message


@pytest.mark.slow
def test_runs_in_a_temporary_folder_and_leaves_the_course_untouched(corpus):
    course_same, submissions_same, temp_cleaned = corpus["unchanged"]
    assert (course_same, submissions_same, temp_cleaned) == (True, True, True), corpus["changed"]
    assert not (corpus["folder"] / "escape.txt").exists()
    assert not (corpus["base"] / "escape.txt").exists()
    # in the sandbox (bubblewrap, which CI installs) nothing outside the kernel's own folder is
    # writable, even at an absolute path; without it the environment still held no token
    assert not corpus["probe"].exists() or corpus["probe"].read_text() == "absent"
    assert resolve_sandbox("auto")[0] == "none" or not corpus["probe"].exists()


@pytest.mark.slow
def test_gradebook_columns_and_reflections(corpus):
    run = corpus["run"]
    with open(run.gradebook, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    items = [f"q{i}" for i in range(1, ITEMS_00 + 1)]
    assert header[: 4 + len(items)] == ["student", "status", "score", "max_score", *items]
    assert header[4 + len(items) :] == [
        "lesson",
        "cell_errors",
        "seconds",
        "checksum",
        "detail",
        "identical_to",
    ]
    rows = corpus["rows"]  # byte-for-byte copies are flagged
    assert "Zoë 学生" in rows["correct"]["identical_to"].split("; ")
    assert rows["partly"]["identical_to"] == ""
    assert set(STATUSES) >= {row["status"] for row in corpus["rows"].values()}
    with open(run.reflections, encoding="utf-8", newline="") as fh:
        reflections = list(csv.DictReader(fh))
    by_student = {r["student"]: r for r in reflections}
    assert "correct" in by_student and "Zoë 学生" in by_student
    assert by_student["correct"]["question"] == "q5"
    assert "pilot with a few volunteer teachers" in by_student["correct"]["text"]
    assert by_student["partly"]["text"] == "Too short."  # every text written, even too short
    assert "untouched" not in by_student  # still ___


@pytest.mark.slow
def test_feedback_files_are_readable_and_private(corpus):
    feedback = corpus["base"] / "feedback"
    names = {p.stem for p in feedback.glob("*.md")}
    assert names == set(EXPECTED)
    correct = (feedback / "correct.md").read_text(encoding="utf-8")
    assert "**Score:** 5 of 5" in correct and "| q1 (`answer_q1`) | Correct |" in correct
    untouched = (feedback / "untouched.md").read_text(encoding="utf-8")
    assert "Not attempted" in untouched
    for secret in ('"b"', "'b'", "0.25", "2 / 8", "executive", "sum(state"):
        assert secret not in untouched  # nothing beyond what q.check() says
    partly = (feedback / "partly.md").read_text(encoding="utf-8")
    assert "answer_q3 = 0.3 is too high." in partly  # the check's message, without the answer
    assert "0.25" not in partly
    others = set(EXPECTED)
    for path in feedback.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not [s for s in others - {path.stem} if f"**Student:** {s}\n" in text]
    assert "Zo" in (feedback / "Zoë 学生.md").read_text(encoding="utf-8")
    erin = (feedback / "erin.md").read_text(encoding="utf-8")
    assert "Nothing could be graded" in erin


@pytest.mark.slow
def test_rerun_skips_finished_submissions(corpus):
    run = corpus["run"]
    before = run.gradebook.read_text(encoding="utf-8")
    again = grade(corpus["folder"], run.gradebook, workers=2, progress=False, **LIMITS)
    assert again.results == () and set(again.skipped) == set(EXPECTED)
    assert run.gradebook.read_text(encoding="utf-8") == before


# ---------------------------------------------------------------- resuming, --force, atomic writes


def _small_class(folder, flag):
    """Three submissions: two that need no kernel, and one that says it has started (a file
    beside `flag`) and then sleeps while `flag` exists."""
    folder.mkdir()
    (folder / "a_broken.ipynb").write_text("not json")
    (folder / "b_empty").mkdir()
    started = flag.with_name("started")
    sleepy = _insert_after(
        _solution(),
        "from senge_course",
        f"import os, pathlib, time\npathlib.Path({str(started)!r}).write_text('yes')\n"
        f"while os.path.exists({str(flag)!r}):\n    time.sleep(0.2)",
    )
    _write(folder / "c_sleepy.ipynb", sleepy)


@pytest.mark.slow
def test_interrupted_run_keeps_rows_and_resumes(tmp_path):
    folder, flag, out = tmp_path / "class", tmp_path / "flag", tmp_path / "gradebook.csv"
    flag.write_text("sleep")
    _small_class(folder, flag)
    seen, interrupted = [], []

    def interrupt_after_two(result):
        rows = read_gradebook(out)  # complete on disk after every submission
        seen.append(len(rows))
        if len(seen) == 2:
            for _ in range(300):  # Ctrl-C while the third notebook's kernel is running
                if (tmp_path / "started").exists():
                    break
                time.sleep(0.1)
            interrupted.append(time.monotonic())
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # no sandbox: the kernel tells the test it started
        grade(
            folder,
            out,
            workers=3,
            progress=False,
            on_result=interrupt_after_two,
            sandbox="none",
            **LIMITS,
        )
    assert (tmp_path / "started").exists()
    assert time.monotonic() - interrupted[0] < 5  # its kernel was killed, not waited for
    assert seen == [1, 2]
    assert {r["student"] for r in read_gradebook(out)} == {"a_broken", "b_empty"}
    assert not list(tmp_path.glob(".gradebook.csv.*"))  # no temporary file left behind

    flag.unlink()
    resumed = grade(folder, out, workers=2, progress=False, sandbox="none", **LIMITS)
    assert set(resumed.skipped) == {"a_broken", "b_empty"}
    assert [r.student for r in resumed.results] == ["c_sleepy"]
    rows = {r["student"]: r for r in read_gradebook(out)}
    assert rows["c_sleepy"]["status"] == "ok" and rows["c_sleepy"]["score"] == "5"

    forced = grade(folder, out, workers=2, progress=False, force=True, **LIMITS)
    assert forced.skipped == () and len(forced.results) == 3


def test_changed_notebook_is_regraded_and_grader_errors_are_retried(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "gradebook.csv"
    folder.mkdir()
    (folder / "ann.ipynb").write_text("not json")
    (folder / "ben.ipynb").write_text("not json either")
    grade(folder, out, progress=False)
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace("ben,invalid notebook", "ben,grader error"), encoding="utf-8")
    assert read_gradebook(out)[1]["status"] == "grader error"
    (folder / "ann.ipynb").write_text("still not json")
    run = grade(folder, out, progress=False)
    assert sorted(r.student for r in run.results) == ["ann", "ben"] and run.skipped == ()


@pytest.mark.parametrize(
    "content",
    [
        "",
        "name,mark\nada,3\n",
        "student,status,score,max_score\nada,great,3,5\n",
        "student,status,score,max_score\nada,ok,three,5\n",
        "student,status,score,max_score\nada,ok,3,5\nada,ok,3,5\n",
        "student,status,score,max_score\nada,ok,3\n",
    ],
)
def test_corrupt_gradebook_is_a_clear_error_and_left_alone(tmp_path, content):
    folder, out = tmp_path / "class", tmp_path / "gradebook.csv"
    folder.mkdir()
    (folder / "ann.ipynb").write_text("not json")
    out.write_text(content)
    with pytest.raises(GradebookError, match="cannot be read as a gradebook.*--force"):
        grade(folder, out, progress=False)
    assert out.read_text() == content
    assert main(["grade", str(folder), "--out", str(out)]) == 2
    run = grade(folder, out, progress=False, force=True)
    assert [r["student"] for r in read_gradebook(run.gradebook)] == ["ann"]


def test_columns_an_instructor_added_are_kept(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "gradebook.csv"
    folder.mkdir()
    (folder / "ann.ipynb").write_text("not json")
    grade(folder, out, progress=False)
    text = out.read_text(encoding="utf-8").splitlines()
    out.write_text(text[0] + ",comment\n" + text[1] + ",see me\n", encoding="utf-8")
    (folder / "bea.ipynb").write_text("not json")
    grade(folder, out, progress=False)
    rows = {r["student"]: r for r in read_gradebook(out)}
    assert rows["ann"]["comment"] == "see me" and rows["bea"]["comment"] == ""


def test_spreadsheet_formulas_are_neutralised_and_read_back(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "gradebook.csv"
    folder.mkdir()
    (folder / "=HYPERLINK(1).ipynb").write_text("not json")
    grade(folder, out, progress=False)
    assert "'=HYPERLINK(1)" in out.read_text(encoding="utf-8")
    assert read_gradebook(out)[0]["student"] == "=HYPERLINK(1)"
    assert grade(folder, out, progress=False).skipped == ("=HYPERLINK(1)",)


# ---------------------------------------------------------------- finding submissions


def test_find_submissions(tmp_path):
    (tmp_path / "ann.ipynb").write_text("{}")
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "x.ipynb").write_text("{}")
    (tmp_path / "bo").mkdir()
    (tmp_path / "bo" / "00_start_here.ipynb").write_text("{}")
    (tmp_path / "bo" / "scratch.ipynb").write_text("{}")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / ".ipynb_checkpoints").mkdir()
    subs = {s.student: s for s in find_submissions(tmp_path)}
    assert set(subs) == {"ann", "bo"}
    assert subs["ann"].status == "several notebooks" and "ann.ipynb and ann/" in subs["ann"].detail
    assert subs["bo"].status == "several notebooks"
    with_lesson = {s.student: s for s in find_submissions(tmp_path, lesson="00")}
    assert with_lesson["bo"].path.name == "00_start_here.ipynb" and not with_lesson["bo"].status
    with pytest.raises(FileNotFoundError, match="submissions folder not found"):
        find_submissions(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="must be a folder"):
        find_submissions(tmp_path / "ann.ipynb")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"timeout": 0}, "timeout must be a number"),
        ({"cell_timeout": -1}, "cell_timeout must be a number"),
        ({"memory_mb": 100}, "memory_mb must be"),
        ({"workers": 0}, "workers must be"),
        ({"lesson": "42"}, "unknown lesson '42'"),
    ],
)
def test_grade_validates_its_options(tmp_path, kwargs, match):
    (tmp_path / "ann.ipynb").write_text("{}")
    with pytest.raises(ValueError, match=match):
        grade(tmp_path, tmp_path / "out.csv", progress=False, **kwargs)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no submissions in"):
        grade(tmp_path, tmp_path / "out.csv", progress=False)


def test_a_notebook_of_another_lesson_is_not_run(tmp_path):
    nb = _solution()
    nb.metadata["senge_course"]["lesson"] = "01"
    result = grade_notebook(_write(tmp_path / "ann.ipynb", nb), lesson="00")
    assert (result.status, result.lesson, result.graded) == ("wrong lesson", "00", False)
    assert result.detail == "this is the notebook of lesson 01, not lesson 00"
    result = grade_notebook(_write(tmp_path / "bo.ipynb", _without_metadata()))
    assert result.status == "wrong lesson" and "grade it with --lesson" in result.detail


# ---------------------------------------------------------------- the collector, without a kernel


def _graph_cases():
    return ((nx.path_graph(3),), (nx.grid_2d_graph(2, 2),))


QUESTIONS = [
    Value("x", 0.25, atol=0.01),
    Value("xs", [1, 2.5]),
    Value("word", "Compliance"),
    Choice("pick", options={"a": "No.", "b": "Yes."}, answer="b"),
    Classification("kinds", items={"p": "line", "m": "exec"}, labels=("line", "exec")),
    Function("double", cases=((1,), (2.5,), ((1, 2),)), reference=lambda x: 2 * x),
    Function("size", cases=_graph_cases, reference=len),
    GraphProperty("G", properties=(("has 4 people", lambda G: len(G) == 4),)),
    Reflection("thoughts", min_words=3),
]


class Opaque:
    def __repr__(self):
        return "Opaque()"


def _raises(*args):
    raise KeyError("boom")


NAMESPACES = {
    "right": {
        "x": 0.25,
        "xs": np.array([1, 2.5]),
        "word": " compliance ",
        "pick": "b",
        "kinds": {"p": "line", "m": "exec"},
        "double": lambda x: x * 2,
        "size": lambda G: G.number_of_nodes(),
        "G": nx.cycle_graph(4),
        "thoughts": "one two three",
    },
    "wrong": {
        "x": "0.25",
        "xs": {1, 2.5},
        "word": True,
        "pick": "z",
        "kinds": {"p": ___, 3: "x"},
        "double": _raises,
        "size": 4,
        "G": [1, 2],
        "thoughts": 42,
    },
    "odd": {
        "x": Opaque(),
        "xs": (1, ___),
        "word": None,
        "pick": np.str_("b"),
        "kinds": {("p",): "line"},
        "double": lambda x: ___,
        "size": lambda G: float("nan"),
        "G": nx.path_graph(2),
        "thoughts": "___",
    },
    "blank": {},
}


@pytest.mark.parametrize("name", sorted(NAMESPACES))
def test_collected_answers_judge_like_q_check(name):
    """Collecting as data and assessing outside gives the same outcome as evaluate in place."""
    namespace = NAMESPACES[name]
    payload = run_collector(namespace, QUESTIONS, nonce="n0")
    answers = decode_answers(payload, nonce="n0", count=len(QUESTIONS))
    for question, answer in zip(QUESTIONS, answers, strict=True):
        here = question.evaluate(namespace)
        there = question.assess(answer)
        assert (there.status, there.score) == (here.status, here.score), question.name
        if name != "odd":
            assert there.message == here.message


def test_collector_limits_calls_and_swallows_output(capsys):
    def slow(x):
        print("noise from the learner")
        while True:
            pass

    q = Function("slow", cases=((1,),), reference=lambda x: x)
    payload = run_collector({"slow": slow}, [q], nonce="n1", call_seconds=0.5)
    (answer,) = decode_answers(payload, nonce="n1", count=1)
    assert answer["results"][0]["error"].startswith("TimeoutError: took longer than 0.5 s")
    assert "noise" not in capsys.readouterr().out
    assert q.assess(answer).status == "error"


def test_collector_reports_failures_and_huge_answers():
    class Exploding:
        def tolist(self):
            raise RuntimeError("no")

    big = list(range(300_000))
    payload = run_collector(
        {"x": Exploding(), "y": big}, [Value("x", 1), Value("y", 1)], nonce="n2"
    )
    failed, huge = decode_answers(payload, nonce="n2", count=2)
    assert "RuntimeError: no" in failed.error
    assert "too big" in repr(huge) and Value("y", 1).assess(huge).status == "incorrect"


def test_decode_refuses_foreign_or_malformed_payloads():
    with pytest.raises(CollectError, match="not JSON"):
        decode_answers("{", nonce="n", count=1)
    with pytest.raises(CollectError, match="another nonce"):
        decode_answers(json.dumps({"nonce": "m", "answers": [1]}), nonce="n", count=1)
    with pytest.raises(CollectError, match="does not hold 2 answers"):
        decode_answers(json.dumps({"nonce": "n", "answers": [1]}), nonce="n", count=2)


def test_collector_source_is_self_contained():
    source = collector_source(collector_spec(get_exercise("00").questions), "abc", call_seconds=3)
    assert "senge_course" not in source.replace("senge_course.course.checks", "")
    assert "import senge_course" not in source and "from senge_course" not in source
    compile(source, "<collector>", "exec")
    # one line that turns off garbage collection before the collector is even compiled
    assert source.count("\n") == 1 and source.startswith("__import__('gc').disable(); exec(")
    with pytest.raises(ValueError, match="nonce must be"):
        collector_source("[]", "not ok!")


def test_kernel_spec_wraps_ipykernel_with_a_memory_limit():
    spec = kernel_spec(300)
    assert spec["argv"][3] == str(300 * 2**20)
    assert "RLIMIT_AS" in spec["argv"][2] and "kernelapp" in spec["argv"][2]
    assert kernel_spec(0)["argv"][3] == "0"


def test_kernel_death_by_memory_is_recognised():
    stage = "running code cell 3 (x = 1)"
    died = kernel_death("Traceback ...\nMemoryError\n", stage=stage, memory_mb=512)
    assert (died.kind, died.fatal) == ("memory", True) and "512 MB" in died.detail
    died = kernel_death("segfault", stage=stage, memory_mb=512, code=-11)
    assert died.kind == "kernel died" and "code cell 3" in died.detail and "-11" in died.detail
    died = kernel_death("", stage="starting the kernel", memory_mb=256)
    assert died.kind == "kernel died" and "--memory-mb 256 too low" in died.detail


def test_collect_failures_are_incidents():
    good = json.dumps({"nonce": "n", "answers": [1]})
    assert read_answers([good], finished=True, nonce="n", count=1) == ([1], None)
    for payloads, finished, fragment in [
        ([good, good], True, "imitated the grader"),
        ([], True, "did not finish"),
        ([good], False, "did not finish"),
        (["{"], True, "not JSON"),
    ]:
        answers, incident = read_answers(payloads, finished=finished, nonce="n", count=1)
        assert answers is None and incident.kind == "collect failed" and not incident.fatal
        assert fragment in incident.detail


def test_limits_are_checked():
    assert Limits(60, None, 1024) == Limits(60.0, 60.0, 1024)
    assert Limits(600, 300).cell_timeout == 300 and Limits(10, 300).cell_timeout == 10
    assert Limits(600, 30, 2048).call_seconds == 10 and Limits(1, 1).call_seconds == 1
    with pytest.raises(ValueError, match="cell_timeout must be"):
        Limits(600, 0.5, 2048)


def test_result_feedback_escapes_learner_text():
    result = Result("<b>x</b>", "invalid notebook", detail="bad `code` [link](http://x)")
    text = result.feedback()
    assert "<b>" not in text and "\\<b\\>" in text
    assert "\\[link\\](http" in text and "\\`code\\`" in text  # no link, no code span


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["grade", "/no/such/folder", "--out", "x.csv"], "submissions folder not found"),
        (["grade", "{here}", "--out", "{out}", "--lesson", "42"], "unknown lesson '42'"),
        (["grade", "{here}"], "the following arguments are required: --out"),
        (["grade", "{here}", "--out", "{out}", "--timeout", "soon"], "invalid float value"),
        (["grade", "{here}", "--out", "{out}", "--memory-mb", "10"], "memory_mb must be"),
        (["check", "/no/such.ipynb"], "notebook not found"),
        (["check", "{nb}", "--lesson", "42"], "unknown lesson '42'"),
    ],
)
def test_cli_mistakes_give_one_line_and_status_2(tmp_path, capsys, argv, fragment):
    (tmp_path / "ann.ipynb").write_text("{}")
    fill = {
        "here": str(tmp_path),
        "out": str(tmp_path / "out.csv"),
        "nb": str(tmp_path / "ann.ipynb"),
    }
    assert main([a.format(**fill) for a in argv]) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_cli_grade_prints_a_summary(tmp_path, capsys):
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "ann.ipynb").write_text("not json")
    out = tmp_path / "out" / "gradebook.csv"
    assert (
        main(
            [
                "grade",
                str(tmp_path / "class"),
                "--out",
                str(out),
                "--feedback",
                str(tmp_path / "fb"),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "graded 1 submission(s): invalid notebook 1" in printed and str(out) in printed
    assert (tmp_path / "fb" / "ann.md").is_file() and (
        tmp_path / "out" / "reflections.csv"
    ).is_file()
    assert main(["grade", str(tmp_path / "class"), "--out", str(out)]) == 0
    assert "skipped 1" in capsys.readouterr().out


def test_cli_check_cannot_grade_is_one_line_status_1(tmp_path, capsys):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("not json")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert (
        "cannot grade" in err and "invalid notebook" in err and len(err.strip().splitlines()) == 1
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "total"),
    [
        (SOLUTION, "Total: 5 of 5 points (lesson 00, status ok)"),
        (EXERCISE, "Total: 0 of 5 points (lesson 00, status ok)"),
    ],
)
def test_cli_check_prints_outcomes_and_exits_0(tmp_path, capsys, source, total):
    notebook = tmp_path / "mine.ipynb"
    notebook.write_bytes(source.read_bytes())
    assert main(["check", str(notebook), "--cell-timeout", "30"]) == 0
    out = capsys.readouterr().out
    assert total in out and out.count("\nq") == ITEMS_00
    assert [p.name for p in tmp_path.iterdir()] == ["mine.ipynb"]


@pytest.mark.slow
def test_total_time_limit_skips_the_remaining_cells(tmp_path):
    nb = _solution()
    for _ in range(3):
        nb.cells.insert(0, nbformat.v4.new_code_cell("import time\ntime.sleep(1.2)"))
    result = grade_notebook(_write(tmp_path / "slow.ipynb", nb), timeout=2, cell_timeout=2)
    assert result.status == "timeout" and result.graded and result.score == 0
    assert "used up their 2 s" in result.detail and "were not run" in result.detail


@pytest.mark.slow
@pytest.mark.parametrize("make", [_without_metadata, _other_lesson])
def test_grade_notebook_with_explicit_lesson_wins(tmp_path, make):
    path = _write(tmp_path / "anon.ipynb", make())
    result = grade_notebook(path, lesson="start-here", **LIMITS)
    assert result.status == "ok" and result.score == 5 and result.lesson == "00"
    assert threading.active_count() < 20


@pytest.mark.slow
def test_expected_answers_are_worked_out_once_per_run(tmp_path, monkeypatch):
    from senge_course.course.questions import lesson_00

    calls = []

    def counted(question):
        if isinstance(question, Function):
            reference = question.reference

            def ref(*args):
                calls.append(question.name)
                return reference(*args)

            return replace(question, reference=ref)
        if isinstance(question, Value):
            return replace(
                question, expected=lambda: calls.append(question.name) or question.expected
            )
        return question

    exercise = lesson_00.EXERCISE
    patched = Exercise(exercise.lesson, [counted(q) for q in exercise.questions])
    monkeypatch.setattr(lesson_00, "EXERCISE", patched)
    folder = tmp_path / "class"
    for name in ("ann", "bo", "cy"):
        _write(folder / f"{name}.ipynb", _solution())
    run = grade(folder, tmp_path / "gradebook.csv", workers=2, progress=False, **LIMITS)
    assert [r.score for r in run.results] == [5, 5, 5]
    once = [q.name for q in patched.questions if isinstance(q, Value)]
    once += [q.name for q in patched.questions if isinstance(q, Function) for _ in q.test_cases()]
    assert sorted(calls) == sorted(once)


def test_the_output_folder_inside_the_submissions_is_not_a_student(tmp_path):
    _ = (tmp_path / "ada.ipynb").write_text("not a notebook", encoding="utf-8")
    for _ in range(2):  # the second run finds out/ and feedback/ inside the folder
        run = grade(
            tmp_path, tmp_path / "out" / "gradebook.csv", feedback=tmp_path / "fb", progress=False
        )
    rows = read_gradebook(run.gradebook)
    assert [r["student"] for r in rows] == ["ada"]


def test_a_finished_student_gets_one_line():
    from senge_course.grading.gradebook import Result
    from senge_course.grading.run import _line

    assert _line(Result("ada", "invalid notebook")) == "ada: invalid notebook"


def test_a_late_canvas_resubmission_is_the_same_student_and_exports(tmp_path):
    from senge_course.cli import main

    folder = tmp_path / "subs"
    folder.mkdir()
    for name in (
        "lovelaceada_12345_678901_00_start_here.ipynb",
        "lovelaceada_LATE_12345_678955_00_start_here.ipynb",
        "hopperGrace_2222_678902_00_start_here.ipynb",
    ):
        (folder / name).write_text("not a notebook", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email,section,lms_id\n"
        "s01,Ada Lovelace,ada@example.org,A,12345\n"
        "s02,Grace Hopper,grace@example.org,B,2222\n"
        "s03,Bo Diddley,bo@example.org,A,3333\n",
        encoding="utf-8",
    )
    out = tmp_path / "graded" / "gradebook.csv"
    assert main(["grade", str(folder), "--out", str(out), "--roster", str(roster)]) == 0
    rows = read_gradebook(out)
    assert [r["student"] for r in rows] == ["s01", "s02"]  # one row for two Canvas files
    assert main(["export", str(out.parent), "--to", "canvas", "--assignment", "Exercise 00",
                 "--roster", str(roster)]) == 0  # fmt: skip
    text = (out.parent / "canvas-import.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Student,ID,SIS User ID,SIS Login ID,Section,Exercise 00"
    assert "Points Possible" in lines[1]
    assert any(line.startswith('"Diddley, Bo"') for line in lines)  # no submission: empty grade
    assert main(["export", str(out), "--to", "moodle", "--assignment", "Exercise 00",
                 "--roster", str(roster)]) == 0  # fmt: skip
    moodle = (out.parent / "moodle-import.csv").read_bytes()
    assert moodle.startswith(b"\xef\xbb\xbf")  # a byte-order mark for Excel


@pytest.mark.slow
def test_manual_scores_survive_a_forced_regrade_and_feedback_is_rebuilt(tmp_path):
    """Grade, fill in the manual-scores template, regrade with --force: the scores stay."""
    from senge_course.cli import main
    from senge_course.course.classfile import read_class

    folder = tmp_path / "subs"
    folder.mkdir()
    _write(folder / "ada.ipynb", _solution())
    _write(folder / "bo.ipynb", _exercise())
    out = tmp_path / "graded" / "gradebook.csv"
    grade(folder, out, progress=False, rubric=True, **LIMITS)
    template = out.with_name("manual-scores.csv")
    lines = template.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "student,question,criterion,points,comment" and len(lines) == 1 + 2 * 4
    filled = [
        line.replace(",,", ",3,Clear and specific.", 1) if line.startswith("ada,") else line
        for line in lines
    ]
    template.write_text("\n".join(filled) + "\n", encoding="utf-8")
    for force in (False, True):
        run = grade(folder, out, progress=False, force=force, rubric=True, **LIMITS)
        rows = {r["student"]: r for r in read_gradebook(out)}
        assert rows["ada"]["q5"] == "1" and rows["ada"]["score"] == "6"  # 5 automatic + 1 by hand
        assert rows["ada"]["manual"] == "1" and rows["bo"]["manual"] == "0"
    assert len(run.results) == 2  # the forced run regraded both
    record = read_class(out.with_name("class.json"))["students"]["ada"]
    assert record["answers"]["reflection_q5"] and record["outcomes"][4]["kind"] == "reflection"
    assert main(["feedback", str(out.parent)]) == 0
    page = (out.parent / "feedback" / "ada.md").read_text(encoding="utf-8")
    assert "Scored by your instructor:** 1 of 1" in page and "Clear and specific." in page
    html = (out.parent / "feedback" / "ada.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html
    assert main(["responses", str(out), "--out", str(tmp_path / "pack")]) == 0
    (page,) = [p for p in (tmp_path / "pack").glob("*.html")]
    assert "ada" not in page.read_text(encoding="utf-8")  # anonymised by default
