"""A student release of the course: what learners get, with no solutions.

``senge-course release --out DIR`` writes

* ``notebooks/``: the lessons, as they are;
* ``exercises/``: each exercise built afresh from ``solutions/`` and marked *graded*: its
  metadata says ``metadata.senge_course.graded = true`` and its setup cell calls
  ``exercise("NN", globals(), graded=True)``, so that ``q1.solution()`` says that solutions
  are off (``q1.hint()`` and ``q1.check()`` still work);
* ``jupyter-config/overrides.json``: the course's JupyterLab settings;
* ``README.md``: a short page for students;
* ``release.json``: what the release holds (schema ``senge-course/release``, version 1).

It never writes ``solutions/`` or ``instructors/``.  Before anything is written the release is
checked with `solution_leaks` (no marker, no answer line of any solution, no such folder), and
each file is written atomically.  An instructor pushes the folder to a branch that the
nbgitpuller link names (the README's "For instructors" shows how).

Examples
--------
A released exercise binds its questions in graded mode:

>>> import nbformat
>>> cell = nbformat.v4.new_code_cell('q1, q2 = exercise("00", globals())')
>>> nb = graded_exercise(nbformat.v4.new_notebook(cells=[cell]), lesson="00")
>>> nb.cells[0].source, nb.metadata["senge_course"]["graded"]
('q1, q2 = exercise("00", globals(), graded=True)', True)
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..files import dumps, read_text, write_text
from ..paths import course_root
from .exercises import build_exercise, notebook_text
from .lessons import LESSONS

__all__ = ["Release", "answer_lines", "build_release", "graded_exercise", "solution_leaks"]

#: Folders a student release never holds.
PRIVATE_FOLDERS = ("solutions", "instructors")
#: Text that only a solution notebook holds.
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "# SOLUTION", "# EXERCISE:", "solution-only")
_CALL = re.compile(r"""\bexercise\(\s*(["'])(\d\d)\1\s*,\s*globals\(\)\s*\)""")
_INLINE = re.compile(r"^(.*?)\s*#\s*SOLUTION\b")
_SHORTEST_SECRET = 12  # shorter marked lines (``}``, ``return x``) say nothing on their own
_OPENER = re.compile(r"""^.*[=:]\s*(\{|\[|\(|\"\"\"|\'\'\')$""")  # ``memo = {``: no answer yet
_STUB = re.compile(r"^\s*#\s*EXERCISE:\s?(.*)$")


@dataclass(frozen=True)
class Release:
    """A release written to `folder`: the `files` written and the stale `removed` ones (paths
    relative to `folder`)."""

    folder: Path
    files: tuple
    removed: tuple = ()

    @property
    def summary(self):
        """One sentence: what was written where."""
        lessons = sum(1 for f in self.files if f.startswith("notebooks/"))
        exercises = sum(1 for f in self.files if f.startswith("exercises/"))
        removed = f"; removed {len(self.removed)} stale notebook(s)" if self.removed else ""
        return (
            f"Wrote a student release to {self.folder}: {lessons} lessons, {exercises} graded "
            f"exercises (solutions off), the JupyterLab settings and a README; no solutions"
            f"{removed}."
        )


def build_release(out, *, force=False, root=None):
    """Write the student release of the course at `root` (by default the course folder) into
    the folder `out`; return a `Release`.

    Raises
    ------
    FileExistsError
        If `out` exists and is not empty, unless `force` (then the release's files are
        replaced and stale notebooks in its ``notebooks/`` and ``exercises/`` removed).
    ValueError
        If `out` is the course folder or holds it, if it holds ``solutions/`` or
        ``instructors/``, or if the built release would give a solution away.
    """
    root = Path(root) if root is not None else course_root()
    if not isinstance(force, bool):
        raise TypeError(f"force must be True or False, got force={force!r}")
    out = Path(out)
    _check_out(out, root, force)
    texts = release_texts(root)
    if leaks := solution_leaks(texts, solutions_dir=root / "solutions"):
        raise ValueError(f"the release would give solutions away: {'; '.join(leaks[:3])}")
    for relative in sorted({Path(r).parent for r in texts}):
        (out / relative).mkdir(parents=True, exist_ok=True)
    for relative, text in texts.items():
        write_text(out / relative, text, what=f"the release's {relative}")
    removed = []
    for folder in ("notebooks", "exercises"):
        for stale in sorted((out / folder).glob("*.ipynb")):
            relative = f"{folder}/{stale.name}"
            if relative not in texts:
                stale.unlink()
                removed.append(relative)
    return Release(out, tuple(texts), tuple(removed))


def release_texts(root=None):
    """``{relative path: text}``: every file of the release of the course at `root`."""
    root = Path(root) if root is not None else course_root()
    texts = {}
    for lesson in LESSONS:
        texts[lesson.notebook] = read_text(root / lesson.notebook, what="lesson notebook")
    for lesson in LESSONS:
        solution = root / lesson.solution
        exercise = graded_exercise(build_exercise(solution), lesson=lesson.number)
        texts[lesson.exercise] = notebook_text(exercise)
    settings = "jupyter-config/overrides.json"
    texts[settings] = read_text(root / settings, what="JupyterLab settings")
    texts["README.md"] = student_readme()
    manifest = {"graded": True, "files": sorted(texts)}
    from .. import __version__

    manifest["course_version"] = __version__
    texts["release.json"] = dumps(manifest, schema="senge-course/release", version=1)
    return texts


def graded_exercise(nb, *, lesson):
    """A copy of exercise notebook `nb` of `lesson` in graded mode: metadata
    ``senge_course.graded`` true, and its one ``exercise("NN", globals())`` call given
    ``graded=True``; raise ValueError if it has no such call for `lesson`, or several."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    calls = [
        (cell, match)
        for cell in nb.cells
        if cell.cell_type == "code"
        for match in _CALL.finditer(cell.source)
        if match.group(2) == lesson
    ]
    if len(calls) != 1:
        raise ValueError(
            f"the exercise of lesson {lesson} must call exercise({lesson!r}, globals()) once "
            f"to be released in graded mode, found {len(calls)} such calls"
        )
    cell, match = calls[0]
    graded_call = f"exercise({match.group(1)}{lesson}{match.group(1)}, globals(), graded=True)"
    cell.source = cell.source[: match.start()] + graded_call + cell.source[match.end() :]
    nb.metadata.setdefault("senge_course", {})["graded"] = True
    return nb


def answer_lines(solutions_dir=None):
    """``{solution file name: set of lines}``: the code lines of each solution notebook that
    give an answer (marked ``# SOLUTION``, inside a BEGIN/END SOLUTION block, or in a cell
    tagged ``solution-only``), stripped, leaving out short ones and any that also appear
    unmarked in the same notebook (code the exercise shows anyway)."""
    solutions_dir = (
        Path(solutions_dir) if solutions_dir is not None else course_root() / "solutions"
    )
    found = {}
    for path in sorted(solutions_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        secret, public = set(), set()
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            only = "solution-only" in cell.get("metadata", {}).get("tags", [])
            in_block = False
            for line in cell.source.split("\n"):
                text = line.strip()
                if text.startswith("# BEGIN SOLUTION"):
                    in_block = True
                elif text.startswith("# END SOLUTION"):
                    in_block = False
                elif stub := _STUB.match(line):
                    public.add(stub.group(1).strip())
                elif inline := _INLINE.match(line):
                    secret.add(inline.group(1).strip())
                elif (in_block or only) and not text.startswith("#"):
                    secret.add(text)
                else:
                    public.add(text)
        found[path.name] = {
            s for s in secret - public if len(s) >= _SHORTEST_SECRET and not _OPENER.match(s)
        }
    return found


def solution_leaks(release, *, solutions_dir=None):
    """What in `release` (a folder, or ``{relative path: text}``) gives a solution away: a
    ``solutions/`` or ``instructors/`` folder, a solution marker anywhere, or a line of a
    solution's answer (`answer_lines`) as a line of any notebook's code or of any other file.
    An empty list means none."""
    if isinstance(release, (str, Path)):
        folder = Path(release)
        release = {
            p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts
        }
    leaks = []
    folders = {part for relative in release for part in Path(relative).parts[:-1]}
    leaks += [f"it holds a {name}/ folder" for name in PRIVATE_FOLDERS if name in folders]
    secrets = answer_lines(solutions_dir)
    for relative, text in release.items():
        code = {line.strip() for line in _code_of(relative, text).split("\n")}
        for marker in MARKERS:
            if marker in text:
                leaks.append(f"{relative} holds the marker {marker!r}")
        for solution, lines in secrets.items():
            for line in sorted(lines & code):
                leaks.append(f"{relative} holds an answer line of {solution}: {line!r}")
    return leaks


def student_readme():
    """The README of a student release (Markdown)."""
    rows = "\n".join(
        f"| {lesson.number} | {lesson.title} | `{lesson.notebook}` | `{lesson.exercise}` |"
        for lesson in LESSONS
    )
    return f"""# Communities of Leaders and Learners: your course folder

An interactive course on Peter Senge's "Communities of Leaders and Learners" (*Harvard Business
Review*, 1997).  Work each lesson in `notebooks/`, then its exercise in `exercises/`.

| # | lesson | lesson notebook | exercise |
|---|---|---|---|
{rows}

**Answering.** Each question names a variable: replace its `___` with your answer, run the cell,
then run `q1.check()` (or `q2.check()`, ...).  `q1.hint()` gives a hint and `q1.hint(2)` the next.

**Graded exercises.** Your instructor grades these exercises, so `q1.solution()` is turned off:
it says so instead of showing an answer.  Hints and checks work as usual.

**Before you hand in.** Use Kernel > Restart Kernel and Run All Cells and check that every cell
runs: the grader runs your notebook from the top in a fresh kernel, and reads only your
answers (not the outputs).  Questions marked as reflections are read and scored by your
instructor.

**Your work is kept.** Clicking the course link again brings your instructor's updates and
keeps your edits.  To start an exercise afresh, delete it and click the link again.
"""


def _check_out(out, root, force):
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder, got out={str(out)!r} (a file)")
    resolved, root = out.resolve(), root.resolve()
    if resolved == root or resolved in root.parents:
        raise ValueError(
            f"out must be a new folder outside the course folder's own files, got "
            f"out={str(out)!r}, which holds the course {root}"
        )
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not force:
        raise FileExistsError(
            f"out={str(out)!r} exists and is not empty: choose a new folder, or pass --force "
            "(force=True) to replace the release in it"
        )
    for name in PRIVATE_FOLDERS:
        if (out / name).exists():
            raise ValueError(
                f"out={str(out)!r} holds {name}/: a student release must not; remove it first"
            )


def _code_of(relative, text):
    """The text of file `relative` to search: a notebook's code and metadata (its Markdown can
    name a solution, as in "q1.solution()"), any other file whole."""
    if not relative.endswith(".ipynb"):
        return text
    nb = nbformat.reads(text, as_version=4)
    parts = [cell.source for cell in nb.cells if cell.cell_type != "markdown"]
    parts.append(json.dumps(nb.metadata))
    parts += [json.dumps(cell.get("metadata", {})) for cell in nb.cells]
    return "\n".join(parts)
