"""The student release, graded mode, and the build-exercises guards (issue 17, items 4 and 5)."""

import json
import re
import shutil

import nbformat
import pytest

from senge_course.cli import main
from senge_course.course.checks import Exercise, Value
from senge_course.course.exercises import (
    ExerciseBuildError,
    build_exercise,
    exercise_source,
    unanswered_problems,
)
from senge_course.course.lessons import LESSONS
from senge_course.course.questions import GRADED_ENV, exercise, get_exercise, graded_mode
from senge_course.course.release import (
    answer_lines,
    build_release,
    graded_exercise,
    solution_leaks,
)
from senge_course.paths import course_root

ROOT = course_root()
OFF = "Solutions are turned off for q1"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "senge-course"
    return build_release(out)


def _files(folder):
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


# --- the release ---------------------------------------------------------------------------


def test_release_holds_lessons_graded_exercises_settings_and_readme_only(release):
    out = release.folder
    stems = [lesson.stem for lesson in LESSONS]
    expected = {f"notebooks/{s}.ipynb" for s in stems} | {f"exercises/{s}.ipynb" for s in stems}
    expected |= {"jupyter-config/overrides.json", "README.md", "release.json"}
    assert _files(out) == expected
    assert set(release.files) == expected and release.removed == ()
    assert not (out / "solutions").exists() and not (out / "instructors").exists()
    for stem in stems:
        lesson = (ROOT / "notebooks" / f"{stem}.ipynb").read_bytes()
        assert (out / "notebooks" / f"{stem}.ipynb").read_bytes() == lesson
    settings = (ROOT / "jupyter-config" / "overrides.json").read_bytes()
    assert (out / "jupyter-config" / "overrides.json").read_bytes() == settings
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "solution()` is turned off" in readme and len(readme.splitlines()) < 40
    manifest = json.loads((out / "release.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == "senge-course/release" and manifest["graded"] is True
    assert "no solutions" in release.summary


def test_every_released_exercise_says_graded_in_its_metadata_and_its_call(release):
    for lesson in LESSONS:
        nb = nbformat.read(release.folder / lesson.exercise, as_version=4)
        assert nb.metadata["senge_course"]["graded"] is True
        assert nb.metadata["senge_course"]["lesson"] == lesson.number
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert f'exercise("{lesson.number}", globals(), graded=True)' in code
        assert "globals())" not in code.replace("graded=True)", "")
        nbformat.validate(nb)


def test_release_holds_no_solution_text(release):
    texts = {
        p.relative_to(release.folder).as_posix(): p.read_text(encoding="utf-8")
        for p in release.folder.rglob("*")
        if p.is_file()
    }
    everything = "\n".join(texts.values())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "# SOLUTION", "# EXERCISE:", "solution-only"):
        assert marker not in everything
    # Independently of the module: every solution line marked `# SOLUTION` (its code part)
    # and every line inside a BEGIN/END SOLUTION block is absent from the release's lines.
    sources = [
        cell.source
        for path in release.folder.rglob("*.ipynb")
        for cell in nbformat.read(path, as_version=4).cells
    ]
    lines = {line.strip() for text in [*texts.values(), *sources] for line in text.split("\n")}
    checked = 0
    for path in (ROOT / "solutions").glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.split("\n") if cell.cell_type == "code" else []:
                text = line.strip()
                if text.startswith(("# BEGIN SOLUTION", "# END SOLUTION")):
                    inside = text.startswith("# BEGIN")
                    continue
                answer = re.sub(r"\s*#\s*SOLUTION\b.*$", "", text) if "# SOLUTION" in text else ""
                if inside and not text.startswith("#"):
                    answer = text
                if len(answer) >= 12 and not re.search(r"[=:]\s*(\{|\[|\(|\"\"\")$", answer):
                    checked += 1
                    assert answer not in lines, f"{path.name}: {answer!r} is in the release"
    assert checked > 150
    assert solution_leaks(release.folder) == []


def test_the_leak_check_finds_solutions_put_into_a_release(release, tmp_path):
    leaky = tmp_path / "leaky"
    shutil.copytree(release.folder, leaky)
    shutil.copy(ROOT / "solutions" / "03_cascades.ipynb", leaky / "exercises" / "03_cascades.ipynb")
    leaks = solution_leaks(leaky)
    assert any("holds the marker '# SOLUTION'" in leak for leak in leaks)
    assert any("an answer line of 03_cascades.ipynb" in leak for leak in leaks)
    (leaky / "solutions").mkdir()
    (leaky / "solutions" / "x.txt").write_text("x", encoding="utf-8")
    assert "it holds a solutions/ folder" in solution_leaks(leaky)
    assert all(len(lines) >= 10 for lines in answer_lines().values())


def test_release_refuses_a_non_empty_folder_unless_forced(tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="exists and is not empty.*--force"):
        build_release(out)
    assert _files(out) == {"notes.txt"}
    (out / "exercises").mkdir()
    (out / "exercises" / "99_old.ipynb").write_text("{}", encoding="utf-8")
    again = build_release(out, force=True)
    assert again.removed == ("exercises/99_old.ipynb",)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not any(p.name.endswith(".tmp") for p in out.rglob("*"))  # atomic writes, no leftovers
    (out / "solutions").mkdir()
    with pytest.raises(ValueError, match="holds solutions/: a student release must not"):
        build_release(out, force=True)


@pytest.mark.parametrize("where", ["root", "parent"])
def test_release_refuses_to_write_over_the_course(where):
    target = ROOT if where == "root" else ROOT.parent
    with pytest.raises(ValueError, match="out must be a new folder outside the course"):
        build_release(target, force=True)


def test_release_refuses_a_file_and_a_bad_force(tmp_path):
    path = tmp_path / "a-file"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="out must be a folder, got out=.*a-file.* \\(a file\\)"):
        build_release(path)
    with pytest.raises(TypeError, match="force must be True or False, got force='yes'"):
        build_release(tmp_path / "new", force="yes")


def test_release_command(tmp_path, capsys):
    out = tmp_path / "student"
    assert main(["release", "--out", str(out)]) == 0
    assert "Wrote a student release to" in capsys.readouterr().out
    assert main(["release", "--out", str(out)]) == 2
    assert "exists and is not empty" in capsys.readouterr().err
    assert main(["release", "--out", str(out), "--force"]) == 0
    assert main(["release"]) == 2
    assert "--out" in capsys.readouterr().err


def test_graded_exercise_needs_one_call_of_its_lesson():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('exercise("01", globals())')])
    with pytest.raises(
        ValueError, match="lesson 00 must call exercise\\('00', globals\\(\\)\\) once"
    ):
        graded_exercise(nb, lesson="00")
    assert "graded" not in nb.metadata.get("senge_course", {})  # the input is left alone


# --- graded mode ----------------------------------------------------------------------------


def test_solution_shows_the_answer_when_not_graded(monkeypatch, capsys):
    monkeypatch.delenv(GRADED_ENV, raising=False)
    q1, *_ = exercise("00", {})
    assert q1.graded is False
    q1.solution()
    shown = capsys.readouterr().out
    assert shown.startswith("Solution to q1:") and OFF not in shown


@pytest.mark.parametrize(
    ("flag", "env", "graded"),
    [
        (True, None, True),
        (False, "1", True),
        (False, "true", True),
        (False, "anything else", True),  # a typo never turns solutions on
        (True, "0", True),  # the environment cannot turn a graded notebook off
        (False, "0", False),
        (False, "off", False),
        (False, "", False),
    ],
)
def test_graded_mode_turns_solutions_off_and_keeps_hints(monkeypatch, capsys, flag, env, graded):
    if env is None:
        monkeypatch.delenv(GRADED_ENV, raising=False)
    else:
        monkeypatch.setenv(GRADED_ENV, env)
    assert graded_mode(flag) is graded
    q1, *_ = exercise("00", {}, graded=flag)
    q1.solution()
    shown = capsys.readouterr().out
    assert (OFF in shown) is graded
    if graded:
        assert "instructor" in shown and "q1.hint()" in shown
        assert get_exercise("00").questions[0].solution.strip() not in shown
    q1.hint()
    assert capsys.readouterr().out.startswith("Hint 1 of")


def test_the_environment_leaves_a_lessons_own_questions_their_solutions(monkeypatch, capsys):
    monkeypatch.setenv(GRADED_ENV, "1")
    lesson = next(lesson for lesson in LESSONS if _has_lesson_part(lesson.number))
    q, *_ = exercise(lesson.number, {}, part="lesson")
    q.solution()
    assert OFF.replace("q1", "") not in capsys.readouterr().out


def _has_lesson_part(number):
    try:
        get_exercise(number, "lesson")
    except ValueError:
        return False
    return True


def test_graded_mode_hint_without_hints_does_not_point_to_solution(capsys):
    q1, _ = Exercise("00", [Value("x", 1), Value("y", 2)]).bind({}, graded=True)
    q1.hint()
    assert "solution()" not in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_graded_must_be_a_bool(bad):
    with pytest.raises(TypeError, match=f"graded must be True or False, got graded={bad!r}"):
        exercise("00", {}, graded=bad)
    with pytest.raises(TypeError, match="graded must be True or False"):
        Exercise("00", [Value("x", 1)]).bind({}, graded=bad)


def test_a_released_exercise_runs_graded_in_a_kernel_and_grades_not_attempted(release, tmp_path):
    """End to end: the untouched released exercise runs in a fresh kernel, `q1.solution()` there
    says solutions are off, `q1.hint()` works, and the grader finds every question not attempted."""
    from nbclient import NotebookClient

    from senge_course.grading import grade_notebook

    path = release.folder / "exercises" / "00_start_here.ipynb"
    result = grade_notebook(path, timeout=300)
    assert result.graded, result.detail
    assert len(result.outcomes) == len(get_exercise("00").questions)
    assert {o.status for o in result.outcomes} == {"not attempted"}
    assert result.score == 0

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("q1.solution()\nq1.hint()"))
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = json.dumps(nb.cells[-1].outputs)
    assert OFF in shown and "Hint 1 of" in shown


# --- build-exercises guards -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("x = 1  # solution", 1),
        ("x = 1  # Solution", 1),
        ("y = 2\nx = 1  # SOLUTIONS", 2),
        ("# Begin Solution\nx = 1\n# End Solution", 1),
        ("#BEGIN SOLUTIONS\nx = 1\n#END SOLUTIONS", 1),
        ("# begin solution\nx = 1\n# END SOLUTION", 1),
        ("# BEGIN SOLUTION\nx = 1\n# end solution", 3),
        ("# BEGIN  SOLUTION\nx = 1\n# END SOLUTION", 1),
        ("# BEGIN_SOLUTION\nx = 1\n# END_SOLUTION", 1),
        ("# START SOLUTION\nx = 1\n# STOP SOLUTION", 1),
        ("# solution\nx = 1", 1),
        ("# BEGIN SOLUTION\n# exercise: x = ___\nx = 1\n# END SOLUTION", 2),
        ("# EXERCISE: x = ___\nx = 1", 1),
    ],
)
def test_unknown_or_mis_cased_markers_are_errors_naming_the_line(source, line):
    with pytest.raises(ExerciseBuildError, match=f"^sol.ipynb: cell 4, line {line}: .*markers are"):
        exercise_source(source, where="sol.ipynb: cell 4")


@pytest.mark.parametrize(
    "source",
    [
        "x = 1  # SOLUTION: the ratio",
        "# BEGIN SOLUTION\n# EXERCISE: x = ___\nx = 1\n# END SOLUTION",
        "# the solution of question 2 is below\nq2.solution()",
    ],
)
def test_right_markers_and_prose_about_solutions_still_build(source):
    exercise_source(source)


def _solution(*cells, lesson=None):
    nb = nbformat.v4.new_notebook()
    for i, cell in enumerate(cells):
        cell = nbformat.v4.new_code_cell(cell) if isinstance(cell, str) else cell
        cell.id = f"c{i}"
        nb.cells.append(cell)
    if lesson:
        nb.metadata["senge_course"] = {"lesson": lesson}
    return nb


def test_a_bad_marker_in_a_file_names_the_file_cell_and_line(tmp_path):
    path = tmp_path / "05_bad.ipynb"
    nbformat.write(_solution("a = 1", "b = 2\nc = 3  # Solution"), path)
    with pytest.raises(ExerciseBuildError, match=r"05_bad.ipynb: cell 1 \(id c1\), line 2"):
        build_exercise(path)


def test_mis_spelt_tags_and_markers_in_markdown_are_errors():
    cell = nbformat.v4.new_code_cell("answer = 1")
    cell.metadata["tags"] = ["Solution-Only"]
    with pytest.raises(ExerciseBuildError, match=r"cell 0 \(id c0\): unknown tag 'Solution-Only'"):
        build_exercise(_solution(cell))
    text = nbformat.v4.new_markdown_cell("Intro\nBEGIN SOLUTION: the answer is 4")
    with pytest.raises(ExerciseBuildError, match=r"cell 0 \(id c0\), line 2: .*Markdown cell"):
        build_exercise(_solution(text))


def test_generated_exercises_lose_widget_state_and_execution_metadata():
    cell = nbformat.v4.new_code_cell("x = 1  # SOLUTION", execution_count=7)
    cell.outputs = [nbformat.v4.new_output("stream", text="1")]
    cell.metadata.update(
        {
            "execution": {"iopub.status.busy": "2026-12-03T10:00:00"},
            "collapsed": False,
            "scrolled": True,
            "ExecuteTime": {"end_time": "x"},
            "tags": ["keep-me"],
        }
    )
    text = nbformat.v4.new_markdown_cell("Read me")
    text.metadata["collapsed"] = True
    nb = _solution(cell, text)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["execution"] = {"timeout": 5}
    out = build_exercise(nb)
    assert "widgets" not in out.metadata and "execution" not in out.metadata
    assert out.cells[0].metadata == {"tags": ["keep-me"]}
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None
    assert out.cells[1].metadata == {}
    committed = [nbformat.read(ROOT / lesson.exercise, as_version=4) for lesson in LESSONS]
    for nb in committed:
        assert "widgets" not in nb.metadata
        for cell in nb.cells:
            assert not {"execution", "collapsed", "scrolled"} & set(cell.metadata)


@pytest.mark.parametrize("lesson", [lesson.number for lesson in LESSONS])
def test_every_exercise_leaves_every_question_at_the_placeholder(lesson):
    """The static check behind the build: every question's variable is bound, and only to ___
    (or a function returning ___), in the committed exercise; the solution itself fails it."""
    stem = next(item.stem for item in LESSONS if item.number == lesson)
    exercise_nb = nbformat.read(ROOT / "exercises" / f"{stem}.ipynb", as_version=4)
    assert unanswered_problems(exercise_nb) == []
    solution_nb = nbformat.read(ROOT / "solutions" / f"{stem}.ipynb", as_version=4)
    problems = unanswered_problems(solution_nb, lesson)
    scored = [q.name for q in get_exercise(lesson).questions if q.auto_points]
    assert all(any(f": {name} is given a value" in p for p in problems) for name in scored)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ('answer_q1 = "b"', "answer_q1 is given a value"),
        ("answer_q1: str = 'b'", "answer_q1 is given a value"),
        ('answer_q1, answer_q3 = ___, "x"', "answer_q3 is given a value"),
        ('answer_q2 = {"a": ___, "b": "senge"}', "answer_q2 is given a value"),
        ("def committed_share(states):\n    return sum(states) / len(states)", "committed_share"),
        ("def committed_share(states):\n    x = 1\n    return ___", "committed_share"),
        ('reflection_q5 = """I think"""', "reflection_q5 is given a value"),
        ("answer_q1 = ___\nanswer_q1 = 'b'", "line 2: answer_q1"),
    ],
)
def test_an_answer_that_did_not_become_the_placeholder_stops_the_build(cell, problem):
    exercise_nb = nbformat.read(ROOT / "exercises" / "00_start_here.ipynb", as_version=4)
    exercise_nb.cells.append(nbformat.v4.new_code_cell(cell))
    problems = unanswered_problems(exercise_nb)
    assert len(problems) == 1 and problem in problems[0], problems
    # The same answer left unmarked in a solution stops build-exercises, naming the file.
    solution_nb = nbformat.read(ROOT / "solutions" / "00_start_here.ipynb", as_version=4)
    solution_nb.cells.append(nbformat.v4.new_code_cell(cell))
    with pytest.raises(ExerciseBuildError, match=f"<notebook>: cell {len(solution_nb.cells) - 1}"):
        build_exercise(solution_nb)


def test_a_question_whose_cell_is_gone_stops_the_build():
    nb = nbformat.read(ROOT / "solutions" / "00_start_here.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if "answer_q3" not in c.source or "exercise(" in c.source]
    with pytest.raises(ExerciseBuildError, match="answer_q3 is never given ___"):
        build_exercise(nb)
