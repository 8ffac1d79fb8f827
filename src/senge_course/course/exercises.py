"""Generate exercise notebooks from solution notebooks (the solutions are the single source).

Markers in a solution notebook's code cells:

``x = 0.25  # SOLUTION``
    becomes ``x = ___`` (the placeholder) in the exercise;
``"item": "label",  # SOLUTION`` (a dictionary entry)
    becomes ``"item": ___,``;
``# BEGIN SOLUTION`` ... ``# END SOLUTION``
    the block is removed; lines inside it written ``# EXERCISE: code`` are kept,
    uncommented, as the exercise's starting code, after a ``# Your code here`` line;
a cell tagged ``solution-only``
    is dropped from the exercise.

Everything else is kept as it is, and outputs are cleared.  Building twice gives
byte-identical files.  All notebook I/O uses nbformat.

Examples
--------
>>> print(exercise_source("answer = 0.25  # SOLUTION"))
answer = ___
>>> print(exercise_source('    "pilot group": "line",  # SOLUTION'))
    "pilot group": ___,
>>> print(exercise_source('''def share(states):
...     # BEGIN SOLUTION
...     # EXERCISE: return ___
...     return sum(states) / len(states)
...     # END SOLUTION'''))
def share(states):
    # Your code here
    return ___
"""

import re
from pathlib import Path

import nbformat

from ..files import write_text
from ..paths import course_root

__all__ = ["ExerciseBuildError", "build_exercise", "build_exercises", "exercise_source"]

SOLUTION_ONLY_TAG = "solution-only"
_BEGIN = re.compile(r"^(\s*)#\s*BEGIN SOLUTION\b")
_END = re.compile(r"^\s*#\s*END SOLUTION\b")
_STUB = re.compile(r"^\s*#\s*EXERCISE:\s?(.*)$")
_INLINE = re.compile(r"^(\s*)([^#=]+?)\s*=(?!=)\s*(.+?)\s+#\s*SOLUTION\b.*$")
_ENTRY = re.compile(r"^(\s*)([\"'].*?[\"']|\w+)\s*:\s*(.+?)(,?)\s+#\s*SOLUTION\b.*$")
_INLINE_MARK = re.compile(r"#\s*SOLUTION\b")


class ExerciseBuildError(ValueError):
    """A solution notebook cannot be turned into an exercise (names the file and cell)."""


def exercise_source(source, *, where="cell"):
    """Return the exercise version of one code cell's `source`.

    Raises
    ------
    ExerciseBuildError
        On unbalanced or nested markers, or a ``# SOLUTION`` line that is not an
        assignment; the message names `where` and the line.
    """
    out, in_block, indent, stubs, begin_line = [], False, "", [], 0
    for number, line in enumerate(source.split("\n"), start=1):
        if begin := _BEGIN.match(line):
            if in_block:
                raise ExerciseBuildError(
                    f"{where}, line {number}: BEGIN SOLUTION inside another block (opened on line {begin_line})"
                )
            in_block, indent, stubs, begin_line = True, begin.group(1), [], number
        elif _END.match(line):
            if not in_block:
                raise ExerciseBuildError(
                    f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION"
                )
            prose = stubs and all('"""' in stub for stub in stubs)
            lead = (
                "# Write your answer in words between the triple quotes"
                if prose
                else "# Your code here"
            )
            out += [f"{indent}{lead}", *(f"{indent}{stub}" for stub in stubs)]
            in_block = False
        elif in_block:
            if stub := _STUB.match(line):
                stubs.append(stub.group(1))
        elif not _INLINE_MARK.search(line):
            out.append(line)
        elif inline := _INLINE.match(line):
            out.append(f"{inline.group(1)}{inline.group(2).strip()} = ___")
        elif entry := _ENTRY.match(line):
            out.append(f"{entry.group(1)}{entry.group(2)}: ___{entry.group(4)}")
        else:
            raise ExerciseBuildError(
                f"{where}, line {number}: '# SOLUTION' must end an assignment such as "
                f"'x = 0.25  # SOLUTION', got {line.strip()!r}"
            )
    if in_block:
        raise ExerciseBuildError(f"{where}, line {begin_line}: BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out)


def build_exercise(solution):
    """Return the exercise notebook (a `nbformat.NotebookNode`) made from a `solution` notebook
    or the path to one; raise `ExerciseBuildError`, naming the file and the cell, if it is not a
    valid notebook or its markers are unbalanced."""
    name = "<notebook>"
    if isinstance(solution, (str, Path)):
        name = str(solution)
        try:
            nb = nbformat.read(solution, as_version=4)
        except Exception as exc:
            raise ExerciseBuildError(
                f"{name}: not a readable notebook ({type(exc).__name__}: {exc})"
            ) from None
    else:
        nb = nbformat.from_dict(solution)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise ExerciseBuildError(f"{name}: not a valid notebook: {exc.message}") from None

    cells = []
    for index, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_ONLY_TAG in tags:
            continue
        cell = nbformat.from_dict(dict(cell))
        if cell.cell_type == "code":
            where = f"{name}: cell {index} (id {cell.get('id', '?')})"
            cell.source = exercise_source(cell.source, where=where)
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb = nbformat.from_dict(dict(nb))
    nb.cells = cells
    meta = dict(nb.metadata.get("senge_course", {}))
    meta["kind"] = "exercise"
    if "lesson" in meta:
        meta["items"] = item_kinds(meta["lesson"])
    nb.metadata["senge_course"] = meta
    return nb


def item_kinds(lesson):
    """What each item of `lesson`'s exercise asks (``{"q1": {"name": ..., "kind": ...}}``), as
    written into the exercise notebook's metadata for instructors' tools.

    >>> item_kinds("00")["q1"]["name"]
    'answer_q1'
    """
    from .questions import get_exercise

    return {label: {"name": q.name, "kind": q.kind} for label, q in get_exercise(lesson).items()}


def build_exercises(solutions_dir=None, exercises_dir=None, *, check=False):
    """Write ``exercises/`` from ``solutions/`` (the course's, by default); return the paths
    written or, with `check`, write nothing and return those missing or out of date.

    Every solution is built before anything is written (atomically), so one bad notebook writes
    nothing.
    """
    root = None if solutions_dir and exercises_dir else course_root()
    solutions_dir = Path(solutions_dir or root / "solutions")
    exercises_dir = Path(exercises_dir or root / "exercises")
    built = {}
    for path in sorted(solutions_dir.glob("*.ipynb")):
        built[exercises_dir / path.name] = notebook_text(build_exercise(path))
    changed = [
        p for p, text in built.items() if not p.exists() or p.read_text(encoding="utf-8") != text
    ]
    if check:
        return changed
    exercises_dir.mkdir(parents=True, exist_ok=True)
    for path in changed:
        write_text(path, built[path])
    return changed


def notebook_text(nb):
    """The notebook as the exact text written to disk (nbformat's JSON plus a final newline)."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"
