"""Each solution notebook and the package agree on every scored answer.

The grader never reads ``solutions/``: a question's expected answer lives in the package
(`senge_course.course.questions.lesson_NN`).  So an instructor who edits an answer in a solution
notebook changes the exercise's reference solution but not what the grader expects, and the two
can drift apart without anyone noticing.  These tests take each solution's *marked* answer (a
``name = value  # SOLUTION`` line, a ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` block, or a
marked entry of a dictionary) and judge it with the package's own question: every scored
question must be judged correct.

Fast path: only the marked statements run (with the notebook's imports), in order, so a literal
answer, a function or a short computation is judged in milliseconds.  An answer that needs the
cells around it (a widget's state, such as ``dashboard.design.to_dict()``) is judged by running
the whole solution notebook in a subprocess (marked slow).
"""

import ast
import json
import os
import re
import subprocess
import sys
import textwrap

import nbformat
import pytest

from senge_course.course.lessons import LESSONS
from senge_course.course.questions import get_exercise
from senge_course.paths import course_root

ROOT = course_root()
_BEGIN = re.compile(r"^\s*#\s*BEGIN SOLUTION\b")
_END = re.compile(r"^\s*#\s*END SOLUTION\b")
_MARK = re.compile(r"#\s*SOLUTION\b")


def _code(cell):
    """A code cell's source with IPython magics and shell lines turned into comments (the line
    numbers stay put)."""
    return "\n".join(
        "#" + line if line.lstrip().startswith(("%", "!")) else line
        for line in cell.source.splitlines()
    )


def _marked_lines(source):
    lines, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if _BEGIN.match(line) or _END.match(line):
            inside = bool(_BEGIN.match(line))
            lines.add(number)
        elif inside or _MARK.search(line):
            lines.add(number)
    return lines


def marked_program(lesson):
    """``(imports, statements)``: every import of the solution notebook, and each statement that
    holds a solution mark, as ``(cell index, code, names it assigns)`` in notebook order."""
    nb = nbformat.read(ROOT / lesson.solution, as_version=4)
    imports, statements = [], []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        source = _code(cell)
        marked = _marked_lines(source)
        for node in ast.parse(source).body:
            span = set(range(node.lineno, node.end_lineno + 1))
            code = ast.get_source_segment(source, node)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(code)
            elif span & marked:
                names = {
                    target.id
                    for sub in ast.walk(node)
                    for target in getattr(sub, "targets", [getattr(sub, "target", None)])
                    if isinstance(target, ast.Name)
                } | ({node.name} if isinstance(node, ast.FunctionDef) else set())
                statements.append((index, textwrap.dedent(code), names))
    return imports, statements


def _scored(lesson):
    try:
        exercise = get_exercise(lesson.number)
    except ValueError:
        return []
    return [(label, q) for label, q in exercise.items() if q.scored]


def run_marked(lesson):
    """Run the notebook's imports and marked statements; return the namespace and the names
    whose statements need cells that are not marked (they raised)."""
    imports, statements = marked_program(lesson)
    namespace = {"__name__": "__solution__"}
    cwd = os.getcwd()
    os.chdir(ROOT / "solutions")  # as the notebook runs: relative paths from its own folder
    try:
        for code in imports:
            exec(compile(code, lesson.solution, "exec"), namespace)  # noqa: S102
        needs_notebook = set()
        for _, code, names in statements:
            try:
                exec(compile(code, lesson.solution, "exec"), namespace)  # noqa: S102
            except Exception:  # it needs a variable an unmarked cell makes (a widget, a run)
                needs_notebook |= names
                for name in names:
                    namespace.pop(name, None)
    finally:
        os.chdir(cwd)
    return namespace, needs_notebook


_CACHE = {}


def _marked(lesson):
    if lesson.number not in _CACHE:
        _CACHE[lesson.number] = run_marked(lesson)
    return _CACHE[lesson.number]


SCORED = [(lesson, label, q) for lesson in LESSONS for label, q in _scored(lesson)]


def _id(item):
    lesson, label, q = item
    return f"{lesson.number}-{label}-{q.name}"


@pytest.mark.parametrize("item", SCORED, ids=_id)
def test_every_scored_question_has_a_marked_answer_in_its_solution(item):
    lesson, label, q = item
    _, statements = marked_program(lesson)
    assigned = set().union(*(names for _, _, names in statements))
    assert q.name in assigned, (
        f"{lesson.solution}: {label} reads {q.name}, but no marked statement of the solution "
        f"(# SOLUTION, or a BEGIN/END SOLUTION block) assigns it"
    )


@pytest.mark.parametrize("item", SCORED, ids=_id)
def test_every_marked_answer_is_what_the_package_expects(item):
    """The solution's marked answer, run alone, is judged correct by the package's question."""
    lesson, label, q = item
    namespace, needs_notebook = _marked(lesson)
    if q.name in needs_notebook:
        pytest.skip(f"{q.name} needs the cells around it: test_answers_that_need_the_notebook")
    outcome = q.assess(q.collect(namespace), question=label, lesson=lesson.number)
    assert outcome.status == "correct", (
        f"{lesson.solution} answers {label} ({q.name}) in a way the package's question "
        f"(senge_course/course/questions/lesson_{lesson.number}.py) does not accept: "
        f"{outcome.status}: {outcome.message}\nChange both together (README: For instructors)."
    )


JUDGE = """
import json, os, sys, nbformat
os.environ["MPLBACKEND"] = "Agg"
from senge_course.course.questions import get_exercise
path, lesson, names = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
namespace = {"__name__": "__main__"}
for cell in nbformat.read(path, as_version=4).cells:
    if cell.cell_type == "code":
        code = "\\n".join("#" + l if l.lstrip().startswith(("%", "!")) else l
                         for l in cell.source.splitlines())
        exec(compile(code, path, "exec"), namespace)
found = {}
for label, q in get_exercise(lesson).items():
    if q.name in names:
        o = q.assess(q.collect(namespace), question=label, lesson=lesson)
        found[q.name] = [o.status, o.message]
print(json.dumps(found))
"""


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_answers_that_need_the_notebook(lesson):
    """Answers read from the state the solution builds (a widget's design): run the whole
    solution in a subprocess, then judge them with the package's questions."""
    _, needs_notebook = _marked(lesson)
    names = sorted(needs_notebook & {q.name for _, q in _scored(lesson)})
    if not names:
        pytest.skip("every marked answer of this solution runs on its own")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            JUDGE,
            str(ROOT / lesson.solution),
            lesson.number,
            json.dumps(names),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT / "solutions",
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(found) == names
    wrong = {name: outcome for name, outcome in found.items() if outcome[0] != "correct"}
    assert not wrong, f"{lesson.solution}: the package does not accept {wrong}"


def test_a_changed_answer_is_caught(tmp_path, monkeypatch):
    """The test can fail: a solution whose marked choice differs from the package's expected
    option is judged wrong."""
    lesson = next(lesson for lesson in LESSONS if lesson.number == "01")
    nb = nbformat.read(ROOT / lesson.solution, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "answer_q3 = " in c.source)
    expected = re.search(r'answer_q3 = "(\w)"', cell.source).group(1)
    other = "a" if expected != "a" else "b"
    cell.source = cell.source.replace(f'answer_q3 = "{expected}"', f'answer_q3 = "{other}"')
    (tmp_path / "solutions").mkdir()
    nbformat.write(nb, tmp_path / lesson.solution)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    namespace, _ = run_marked(lesson)
    q = next(q for _, q in get_exercise("01").items() if q.name == "answer_q3")
    assert namespace["answer_q3"] == other
    assert q.assess(q.collect(namespace)).status == "incorrect"


def test_the_readme_tells_instructors_where_expected_answers_live():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    note = readme[readme.index("**Changing an expected answer") :][:2500]
    assert "src/senge_course/course/questions/lesson_NN.py" in note
    assert "tests/test_solutions_agree.py" in note and "senge-course build-exercises" in note
