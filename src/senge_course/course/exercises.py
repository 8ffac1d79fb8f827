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

Everything else is kept as it is; outputs, execution counts, widget state and execution
metadata are removed.  Building twice gives byte-identical files.  All notebook I/O uses
nbformat.

The build refuses (`ExerciseBuildError`, naming the file, the cell and the line) anything that
could let an answer through: a marker written another way (``# solution``, ``# Begin Solution``,
``#BEGIN SOLUTIONS``, an ``# EXERCISE:`` line outside a block, a ``Solution-Only`` tag, a
marker in a Markdown cell), and an exercise in which a question's variable is still given a
value rather than ``___`` (`unanswered_problems`).

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

__all__ = [
    "ExerciseBuildError",
    "build_exercise",
    "build_exercises",
    "exercise_source",
    "unanswered_problems",
]

SOLUTION_ONLY_TAG = "solution-only"
_BEGIN = re.compile(r"^(\s*)#\s*BEGIN SOLUTION\b")
_END = re.compile(r"^\s*#\s*END SOLUTION\b")
_STUB = re.compile(r"^\s*#\s*EXERCISE:\s?(.*)$")
_INLINE = re.compile(r"^(\s*)([^#=]+?)\s*=(?!=)\s*(.+?)\s+#\s*SOLUTION\b.*$")
_ENTRY = re.compile(r"^(\s*)([\"'].*?[\"']|\w+)\s*:\s*(.+?)(,?)\s+#\s*SOLUTION\b.*$")
_INLINE_MARK = re.compile(r"#\s*SOLUTION\b")
# Anything a writer may have meant as a marker, in any case or spelling: a comment that starts
# with (BEGIN/END/START/STOP) SOLUTION(S) or EXERCISE.  A line it finds must match a marker above.
_LOOKS_LIKE_MARK = re.compile(
    r"(?:^|\s)#\s*(?:(?:begin|end|start|stop)[\s_-]*)?(?:solutions?\b|exercise\b)", re.IGNORECASE
)
_MARKDOWN_MARK = re.compile(r"\b(?:BEGIN|END)[\s_-]*SOLUTIONS?\b")
_MARKERS = (
    "'# BEGIN SOLUTION' and '# END SOLUTION' (each on a line of its own), "
    "'# SOLUTION' (ending an assignment) and '# EXERCISE: code' (inside a block), in capitals"
)
#: Notebook and cell metadata an exercise never carries (widget state, execution records).
_NOTEBOOK_KEYS_DROPPED = ("widgets", "execution", "papermill")
_CELL_KEYS_DROPPED = ("execution", "collapsed", "scrolled", "ExecuteTime", "papermill")


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
        _refuse_unknown_marker(line, number, where, in_block)
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


def _refuse_unknown_marker(line, number, where, in_block):
    """Raise if `line` holds something that looks like a marker but is not one exactly (its
    answer would otherwise reach the exercise unchanged)."""
    if not _LOOKS_LIKE_MARK.search(line):
        return
    if _BEGIN.match(line) or _END.match(line):
        return
    if in_block and _STUB.match(line):
        return
    if _INLINE_MARK.search(line) and not _STUB.match(line):
        return
    comment = line[_LOOKS_LIKE_MARK.search(line).start() :].strip()
    if _STUB.match(line):
        problem = "'# EXERCISE:' is a stub line and belongs inside a BEGIN/END SOLUTION block"
    else:
        problem = f"unknown or mis-written solution marker {comment!r}"
    raise ExerciseBuildError(f"{where}, line {number}: {problem}; the markers are {_MARKERS}")


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
        where = f"{name}: cell {index} (id {cell.get('id', '?')})"
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_ONLY_TAG in tags:
            continue
        _refuse_unknown_tags(tags, where)
        cell = nbformat.from_dict(dict(cell))
        cell.metadata = {
            k: v for k, v in cell.get("metadata", {}).items() if k not in _CELL_KEYS_DROPPED
        }
        if cell.cell_type == "code":
            cell.source = exercise_source(cell.source, where=where)
            cell.outputs = []
            cell.execution_count = None
        else:
            _refuse_markdown_marker(cell.source, where)
        cells.append(cell)
    nb = nbformat.from_dict(dict(nb))
    nb.cells = cells
    for key in _NOTEBOOK_KEYS_DROPPED:
        nb.metadata.pop(key, None)
    meta = dict(nb.metadata.get("senge_course", {}))
    meta["kind"] = "exercise"
    if "lesson" in meta:
        meta["items"] = item_kinds(meta["lesson"])
        if problems := unanswered_problems(nb, meta["lesson"]):
            raise ExerciseBuildError(f"{name}: {problems[0]}" + _more(problems))
    nb.metadata["senge_course"] = meta
    return nb


def unanswered_problems(nb, lesson=None):
    """What in exercise notebook `nb` gives a question's variable a value (an empty list when
    every question of `lesson`, by default the lesson its metadata names, is still ``___``).

    Each question's variable must be bound somewhere in the notebook, and only to ``___``: the
    placeholder itself, a text of ``___`` (as in a reflection's triple quotes), a dictionary, list or tuple
    of those, or a function whose body only returns ``___`` (or raises).  The check reads the
    code (it runs nothing), so it covers every exercise in a fraction of a second.

    Here ``answer_q1`` still holds an answer:

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('answer_q1 = "b"')])
    >>> print(unanswered_problems(nb, "00")[0])
    cell 0, line 1: answer_q1 is given a value; an exercise gives it ___ (a placeholder)
    """
    import ast

    from .questions import get_exercise

    if lesson is None:
        lesson = nb.get("metadata", {}).get("senge_course", {}).get("lesson")
        if lesson is None:
            raise ValueError(
                "nb must name its lesson in metadata.senge_course.lesson, or pass lesson"
            )
    names = [q.name for q in get_exercise(lesson).questions]
    problems, bound = [], set()
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_python_source(cell.get("source", "")))
        except SyntaxError as exc:
            problems.append(f"cell {index}, line {exc.lineno}: not valid Python ({exc.msg})")
            continue
        for node in _statements(tree.body):
            for target, value in _bindings(node):
                if target not in names:
                    continue
                bound.add(target)
                if not _is_placeholder(value):
                    problems.append(
                        f"cell {index}, line {node.lineno}: {target} is given a value; an "
                        "exercise gives it ___ (a placeholder)"
                    )
    problems += [
        f"{name} is never given ___ (is its cell missing?)" for name in names if name not in bound
    ]
    return problems


def _statements(body):
    """Every statement of `body` and of the blocks inside it (loops, ifs, with, try), except
    the bodies of functions and classes (their own names are statements of `body`)."""
    import ast

    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, field, []))
        for handler in getattr(node, "handlers", []):
            yield from _statements(handler.body)
        for case in getattr(node, "cases", []):
            yield from _statements(case.body)


def _bindings(node):
    """Pairs (name, value node) that the statement `node` binds."""
    import ast

    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
            elif isinstance(target, (ast.Tuple, ast.List)):
                values = node.value
                paired = isinstance(values, (ast.Tuple, ast.List))
                paired = paired and len(values.elts) == len(target.elts)
                for i, element in enumerate(target.elts):
                    if isinstance(element, ast.Name):  # a, b = x, y: a from x; a, b = f(): f()
                        yield element.id, values.elts[i] if paired else values
    elif isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name):
        yield node.target.id, node.iter
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if isinstance(item.optional_vars, ast.Name):
                yield item.optional_vars.id, item.context_expr
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        yield node.target.id, node.value
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        yield node.target.id, node.value
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield node.name, node


def _is_placeholder(value):
    """Whether the expression or function `value` holds nothing but ``___``."""
    import ast

    if isinstance(value, ast.Name):
        return value.id == "___"
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str) and value.value.strip() == "___"
    if isinstance(value, ast.Dict):
        return all(_is_placeholder(v) for v in value.values)
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return all(_is_placeholder(v) for v in value.elts)
    if isinstance(value, (ast.FunctionDef, ast.AsyncFunctionDef)):
        body = value.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # a docstring
        return bool(body) and all(
            isinstance(stmt, ast.Raise)
            or isinstance(stmt, ast.Pass)
            or (
                isinstance(stmt, ast.Return)
                and stmt.value is not None
                and _is_placeholder(stmt.value)
            )
            for stmt in body
        )
    return False


def _python_source(source):
    """`source` with IPython's syntax (``%magic``, ``!cmd``) turned into plain Python."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with ipykernel, a dependency
        return source
    return TransformerManager().transform_cell(source)


def _refuse_unknown_tags(tags, where):
    for tag in tags:
        if tag != SOLUTION_ONLY_TAG and re.fullmatch(r"(?i)solutions?[\s_-]*only", str(tag)):
            raise ExerciseBuildError(
                f"{where}: unknown tag {tag!r}; the tag that drops a cell from the exercise is "
                f"{SOLUTION_ONLY_TAG!r}"
            )


def _refuse_markdown_marker(source, where):
    for number, line in enumerate(source.split("\n"), start=1):
        if _MARKDOWN_MARK.search(line):
            raise ExerciseBuildError(
                f"{where}, line {number}: a solution marker in a Markdown cell is not removed "
                f"(markers work in code cells only); tag the cell {SOLUTION_ONLY_TAG!r} instead"
            )


def _more(problems):
    return f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""


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
