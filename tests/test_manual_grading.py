"""Manual grading of reflections (issue 16, item 4): the scores template, reading it, the points,
merging into the gradebook (idempotent, so a regrade never loses a score) and the response pack.
"""

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course.course.questions import get_exercise
from senge_course.grading.gradebook import Result, read_gradebook, write_gradebook
from senge_course.grading.manual import (
    COLUMNS,
    MERGE_COLUMNS,
    ManualScore,
    ManualScoresError,
    manual_points,
    merge_manual,
    read_manual_scores,
    reflection_questions,
    write_response_pack,
    write_template,
)

CRITERIA_05 = reflection_questions("05")[0]["criteria"]


def line(*cells):
    """One CSV line, quoted as a spreadsheet would."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def rows_of(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def fill(path, values):
    """Fill rows of the template: `values` maps (student, question, criterion index) to
    (points, comment)."""
    lesson_criteria = {q["label"]: q["criteria"] for q in reflection_questions("08")}
    lesson_criteria |= {q["label"]: q["criteria"] for q in reflection_questions("05")}
    rows = rows_of(path)
    header = list(rows[0].keys()) if rows else list(COLUMNS)
    for row in rows:
        for (student, question, index), (level, comment) in values.items():
            criteria = lesson_criteria[question]
            if (row["student"], row["question"], row["criterion"]) == (
                student,
                question,
                criteria[index],
            ):
                row["points"], row["comment"] = level, comment
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def graded_row(student, lesson="05", status="ok"):
    """A real gradebook row: every question not attempted, as the grader writes it."""
    exercise = get_exercise(lesson)
    outcomes = tuple(exercise.evaluate({}))
    result = Result(student, status, lesson, outcomes, exercise.max_score, graded=True)
    return result.row()


# ---------------------------------------------------------------- the template


def test_template_has_one_row_per_student_question_and_criterion(tmp_path):
    path = tmp_path / "manual-scores.csv"
    update = write_template(path, ["bo", "ada"], "08")
    rows = rows_of(path)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == update.added == 2 * 3 * 4
    assert update.new_students == ("ada", "bo") and update.kept == 0
    assert [r["student"] for r in rows[:12]] == ["ada"] * 12
    assert [r["question"] for r in rows[:12]] == ["q11"] * 4 + ["q12"] * 4 + ["q13"] * 4
    first = reflection_questions("08")[0]["criteria"]
    assert [r["criterion"] for r in rows[:4]] == first
    assert all(r["points"] == "" and r["comment"] == "" for r in rows)


def test_filled_template_survives_a_rewrite_with_a_new_student(tmp_path):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["ada", "bo"], "05")
    fill(
        path,
        {
            ("ada", "q10", 0): ("3", "Clear, with a case."),
            ("ada", "q10", 1): ("2", ""),
            ("bo", "q10", 3): ("", "Which organisation?"),
        },
    )
    update = write_template(path, ["ada", "bo", "cy"], "05")
    assert update.added == 4 and update.new_students == ("cy",)
    assert update.kept == 8 and update.filled == 3
    assert update.summary == "Added 4 rows for 1 new student (cy); kept 8 rows, 3 filled in."
    rows = {(r["student"], r["criterion"]): (r["points"], r["comment"]) for r in rows_of(path)}
    assert len(rows) == 12
    assert rows["ada", CRITERIA_05[0]] == ("3", "Clear, with a case.")
    assert rows["ada", CRITERIA_05[1]] == ("2", "")
    assert rows["bo", CRITERIA_05[3]] == ("", "Which organisation?")
    assert all(rows["cy", c] == ("", "") for c in CRITERIA_05)


def test_a_rewrite_with_fewer_students_drops_no_row(tmp_path):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["ada", "bo"], "05")
    fill(path, {("bo", "q10", 0): ("1", "")})
    update = write_template(path, ["ada"], "05")
    assert update.added == 0 and update.kept == 8
    assert ("bo", "1") in {(r["student"], r["points"]) for r in rows_of(path)}


def test_rewrite_keeps_an_instructors_own_columns(tmp_path):
    path = tmp_path / "manual-scores.csv"
    path.write_text(
        "student,question,criterion,points,comment,marker\n"
        + line("ada", "q10", CRITERIA_05[0], "2", "ok", "JS")
        + "\n"
    )
    write_template(path, ["ada", "bo"], "05")
    rows = rows_of(path)
    assert list(rows[0]) == [*COLUMNS, "marker"]
    assert (rows[0]["points"], rows[0]["marker"]) == ("2", "JS")
    assert {r["marker"] for r in rows[1:]} == {""}


def test_rewrite_from_another_existing_file(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    write_template(old, ["ada"], "05")
    fill(old, {("ada", "q10", 2): ("0", "")})
    update = write_template(new, ["ada", "bo"], "05", existing=old)
    assert update.kept == 4 and update.added == 4
    assert ("ada", CRITERIA_05[2], "0") in {
        (r["student"], r["criterion"], r["points"]) for r in rows_of(new)
    }


def test_existing_may_not_replace_another_file(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    write_template(old, ["ada"], "05")
    write_template(new, ["bo"], "05")
    fill(new, {("bo", "q10", 0): ("2", "")})
    before = new.read_bytes()
    with pytest.raises(ValueError, match="names another file, so its rows could be lost"):
        write_template(new, ["ada", "bo"], "05", existing=old)
    assert new.read_bytes() == before
    with pytest.raises(FileNotFoundError):
        write_template(tmp_path / "x.csv", ["ada"], "05", existing=tmp_path / "missing.csv")


def test_a_bad_existing_file_is_not_overwritten(tmp_path):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["ada"], "05")
    fill(path, {("ada", "q10", 0): ("5", "")})
    before = path.read_bytes()
    with pytest.raises(ManualScoresError, match=r"line 2: points '5'"):
        write_template(path, ["ada", "bo"], "05")
    assert path.read_bytes() == before


def test_cells_that_look_like_formulas_are_guarded_and_read_back(tmp_path):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["=HYPERLINK(1)", "-ada"], "05")
    text = path.read_text()
    assert "\n'=HYPERLINK(1)," in text and "\n'-ada," in text
    assert "\n=" not in text and "\n-" not in text
    fill(path, {("'-ada", "q10", 0): ("1", "=cmd|' /C calc'!A0")})  # an unguarded formula
    assert {s.student for s in read_manual_scores(path, "05")} == {"=HYPERLINK(1)", "-ada"}
    write_template(path, ["=HYPERLINK(1)", "-ada"], "05")
    assert ",'=cmd|' /C calc'!A0\n" in path.read_text()  # guarded when rewritten
    comments = [s.comment for s in read_manual_scores(path, "05") if s.comment]
    assert comments == ["=cmd|' /C calc'!A0"]


@pytest.mark.parametrize(
    ("students", "error", "match"),
    [
        ("ada", TypeError, "list of student names"),
        (["ada", ""], ValueError, "non-empty name"),
        ([None], ValueError, "non-empty name"),
        (5, TypeError, "list of student names"),
    ],
)
def test_template_refuses_bad_students(tmp_path, students, error, match):
    with pytest.raises(error, match=match):
        write_template(tmp_path / "m.csv", students, "05")
    assert not (tmp_path / "m.csv").exists()


@pytest.mark.parametrize(("lesson", "match"), [("42", "lesson"), (5, "lesson must be")])
def test_template_refuses_an_unknown_lesson(tmp_path, lesson, match):
    with pytest.raises((ValueError, TypeError), match=match):
        write_template(tmp_path / "m.csv", ["ada"], lesson)


def test_lesson_number_forms_are_the_same():
    assert reflection_questions("5") == reflection_questions("05")


def test_reflection_questions_cannot_change_the_cached_rubric():
    questions = reflection_questions("05")
    questions[0]["criteria"].append("changed")
    assert reflection_questions("05")[0]["criteria"] == CRITERIA_05


# ---------------------------------------------------------------- reading the scores


@pytest.mark.parametrize("value", ["4", "-1", "2.5", "two", "nan", "1/2"])
def test_a_bad_points_value_names_the_line_and_the_value(tmp_path, value):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["ada", "bo"], "05")
    fill(path, {("bo", "q10", 1): (value, "")})  # bo's second row: line 7
    with pytest.raises(ManualScoresError) as info:
        read_manual_scores(path, "05")
    message = str(info.value)
    assert str(path) in message and "line 7" in message and repr(value) in message
    assert "whole number from 0 to 3" in message


def test_points_as_a_spreadsheet_writes_them(tmp_path):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["ada"], "05")
    fill(path, {("ada", "q10", 0): (" 2.0 ", ""), ("ada", "q10", 1): ("0", "")})
    levels = [s.level for s in read_manual_scores(path, "05")]
    assert levels == [2, 0, None, None]


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (line("ada", "q3", CRITERIA_05[0], 1, ""), r"line 2: question 'q3' is not a reflection"),
        (line("ada", "q10", "uses the article", 1, ""), r"line 2: criterion 'uses the article'"),
        (line("", "q10", CRITERIA_05[0], 1, ""), r"line 2: no student"),
        (line("ada", "q10", CRITERIA_05[0], 1), r"line 2: 4 fields, but the header has 5"),
    ],
)
def test_bad_rows_name_the_line_and_the_value(tmp_path, row, match):
    path = tmp_path / "manual-scores.csv"
    path.write_text(f"student,question,criterion,points,comment\n{row}\n")
    with pytest.raises(ManualScoresError, match=match):
        read_manual_scores(path, "05")


def test_a_student_is_scored_once_per_question_and_criterion(tmp_path):
    path = tmp_path / "manual-scores.csv"
    c = CRITERIA_05[0]
    rows = [line("ada", "q10", c, 1, ""), line("ada", "q10", c, 2, "")]
    path.write_text("\n".join(["student,question,criterion,points,comment", *rows]) + "\n")
    with pytest.raises(ManualScoresError, match=r"line 3: 'ada' is scored again.*first on line 2"):
        read_manual_scores(path, "05")


def test_missing_columns_and_files(tmp_path):
    path = tmp_path / "manual-scores.csv"
    path.write_text("student,question,points\nada,q10,1\n")
    with pytest.raises(ManualScoresError, match="line 1: it lacks the columns criterion, comment"):
        read_manual_scores(path, "05")
    with pytest.raises(FileNotFoundError):
        read_manual_scores(tmp_path / "nothing.csv", "05")
    path.write_bytes(
        "student,question,criterion,points,comment\nZo\xeb,q10,x,1,\n".encode("latin-1")
    )
    with pytest.raises(ManualScoresError, match="not UTF-8 text.*CSV UTF-8"):
        read_manual_scores(path, "05")


def test_another_lessons_file_is_refused(tmp_path):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["ada"], "08")
    with pytest.raises(
        ManualScoresError, match="line 2: question 'q11' is not a reflection of lesson 05"
    ):
        read_manual_scores(path, "05")


def test_spreadsheet_forms_are_read(tmp_path):
    """A byte-order mark, semicolons, capitalised headers, blank rows, re-wrapped criteria and a
    comment over two lines are all read, with the right line numbers."""
    path = tmp_path / "manual-scores.csv"
    criterion = CRITERIA_05[1].replace(" ", "  ", 2)
    text = (
        "\ufeffStudent;Question;Criterion;Points;Comment\n"
        f'ada;Q10;{CRITERIA_05[0]};3;"Two\nlines"\n'
        ";;;;\n"
        f"ada;q10;{criterion};2;\n"
        f"ada;q10;{CRITERIA_05[2]};9;\n"
    )
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(ManualScoresError, match="line 6: points '9'"):
        read_manual_scores(path, "05")
    path.write_bytes(text.replace(";9;", ";1;").encode("utf-8"))
    scores = read_manual_scores(path, "05")
    assert [(s.question, s.criterion, s.level, s.line) for s in scores] == [
        ("q10", CRITERIA_05[0], 3, 2),
        ("q10", CRITERIA_05[1], 2, 5),
        ("q10", CRITERIA_05[2], 1, 6),
    ]
    assert scores[0].comment == "Two\nlines"


# ---------------------------------------------------------------- the points


def test_points_are_the_mean_level_over_three_times_the_questions_points():
    scores = [
        ManualScore("ada", "q10", c, level)
        for c, level in zip(CRITERIA_05, [3, 2, 2, 1], strict=True)
    ]
    result = manual_points(scores, "05")["ada"]["q10"]
    assert result["points"] == pytest.approx(8 / 4 / 3 * 1.0)
    assert (result["scored"], result["criteria"], result["max_points"]) == (4, 4, 1.0)
    assert result["levels"] == dict(zip(CRITERIA_05, [3, 2, 2, 1], strict=True))


def test_a_question_is_not_yet_scored_until_every_criterion_is():
    scores = [ManualScore("ada", "q10", c, 3, "Good.") for c in CRITERIA_05[:3]]
    scores.append(ManualScore("ada", "q10", CRITERIA_05[3], None, "Which firm?"))
    result = manual_points(scores, "05")["ada"]["q10"]
    assert result["points"] is None and result["scored"] == 3
    assert result["comment"] == "Good.; Good.; Good.; Which firm?"
    assert result["comments"] == ["Good.", "Good.", "Good.", "Which firm?"]


def test_points_per_student_and_question_of_lesson_08():
    q11, q12 = (q["criteria"] for q in reflection_questions("08")[:2])
    scores = [ManualScore("ada", "q11", c, 3) for c in q11]
    scores += [ManualScore("bo", "q12", c, 0) for c in q12]
    points = manual_points(scores, "08")
    assert sorted(points) == ["ada", "bo"]
    assert {k: v["points"] for k, v in points["ada"].items()} == {
        "q11": 1.0,
        "q12": None,
        "q13": None,
    }
    assert points["bo"]["q12"]["points"] == 0.0


def test_manual_points_refuses_what_is_not_the_lessons():
    with pytest.raises(ValueError, match="not a reflection criterion of lesson 05"):
        manual_points([ManualScore("ada", "q10", "anything", 1)], "05")
    with pytest.raises(ValueError, match="level must be a whole number from 0 to 3"):
        manual_points([ManualScore("ada", "q10", CRITERIA_05[0], 7)], "05")
    with pytest.raises(TypeError, match="ManualScore"):
        manual_points([{"student": "ada"}], "05")


def test_manual_points_from_a_file_round_trip(tmp_path):
    path = tmp_path / "manual-scores.csv"
    write_template(path, ["ada", "bo"], "05")
    fill(path, {("ada", "q10", i): ("3", "") for i in range(4)})
    points = manual_points(read_manual_scores(path, "05"), "05")
    assert points["ada"]["q10"]["points"] == 1.0 and points["bo"]["q10"]["points"] is None


# ---------------------------------------------------------------- merging into the gradebook


def test_merge_adds_a_scored_question_to_score_and_max_score():
    row = graded_row("ada") | {"score": "4.5"}
    assert (row["max_score"], row["q10"]) == ("7", "0")
    merged = merge_manual(row, {"q10": {"points": 2 / 3}}, "05")
    assert (merged["score"], merged["max_score"], merged["q10"]) == ("5.1667", "8", "0.6667")
    assert (merged["manual"], merged["auto_score"], merged["auto_max_score"]) == ("1", "4.5", "7")
    assert row["score"] == "4.5"  # the row given is not changed


def test_an_unscored_question_counts_in_neither_score_nor_max_score():
    row = graded_row("ada") | {"score": "4.5"}
    merged = merge_manual(row, {"q10": {"points": None}}, "05")
    assert (merged["score"], merged["max_score"], merged["q10"], merged["manual"]) == (
        "4.5",
        "7",
        "0",
        "0",
    )
    assert merge_manual(row, {}, "05") == merged


def test_merge_is_idempotent_and_follows_changed_scores():
    row = graded_row("ada", "08") | {"score": "3.8333"}
    first = merge_manual(row, {"q11": 2 / 3, "q12": 1 / 3, "q13": 1 / 12}, "08")
    assert (first["score"], first["max_score"], first["manual"]) == ("4.9166", "13", "3")
    assert (first["q11"], first["q12"], first["q13"]) == ("0.6667", "0.3333", "0.0833")
    assert merge_manual(first, {"q11": 2 / 3, "q12": 1 / 3, "q13": 1 / 12}, "08") == first
    changed = merge_manual(first, {"q11": 1.0}, "08")
    assert changed == merge_manual(row, {"q11": 1.0}, "08")
    assert (changed["q12"], changed["q13"], changed["manual"]) == ("0", "0", "1")


@settings(max_examples=60, deadline=None)
@given(
    auto=st.integers(0, 70).map(lambda n: n / 12),
    given_points=st.lists(
        st.one_of(st.none(), st.integers(0, 12).map(lambda n: n / 12)), min_size=3, max_size=3
    ),
    again=st.lists(
        st.one_of(st.none(), st.integers(0, 12).map(lambda n: n / 12)), min_size=3, max_size=3
    ),
)
def test_merging_twice_or_after_other_scores_is_merging_once(auto, given_points, again):
    """Rounded texts never drift: merge(merge(row, a), b) == merge(row, b)."""
    row = graded_row("ada", "08") | {"score": format(round(auto, 4), "g")}
    first = dict(zip(("q11", "q12", "q13"), given_points, strict=True))
    second = dict(zip(("q11", "q12", "q13"), again, strict=True))
    once = merge_manual(row, first, "08")
    assert merge_manual(once, first, "08") == once
    assert merge_manual(once, second, "08") == merge_manual(row, second, "08")
    assert merge_manual(once, None, "08") == row
    expected = auto + sum(p for p in given_points if p is not None)
    assert float(once["score"]) == pytest.approx(expected, abs=1e-4)
    assert float(once["max_score"]) == 10 + sum(p is not None for p in given_points)


def test_regrading_with_force_does_not_lose_the_manual_scores(tmp_path):
    """The grading cycle: grade, merge, write; regrade (a fresh row), merge, write: same file."""
    scores_path, book = tmp_path / "manual-scores.csv", tmp_path / "gradebook.csv"
    write_template(scores_path, ["ada", "bo"], "05")
    fill(scores_path, {("ada", "q10", i): (str(level), "") for i, level in enumerate([3, 3, 2, 1])})

    def run(rows):
        points = manual_points(read_manual_scores(scores_path, "05"), "05")
        merged = {s: merge_manual(r, points.get(s, {}), "05") for s, r in rows.items()}
        write_gradebook(book, merged, questions=10)
        return book.read_text()

    fresh = {s: graded_row(s) for s in ("ada", "bo")}
    first = run(fresh)
    again = run({r["student"]: r for r in read_gradebook(book)})  # a rerun that skips both
    forced = run({s: graded_row(s) for s in ("ada", "bo")})  # --force: fresh rows
    mixed_rows = {r["student"]: r for r in read_gradebook(book)} | {"bo": graded_row("bo")}
    mixed = run(mixed_rows)  # bo resubmitted
    assert first == again == forced == mixed
    ada = {r["student"]: r for r in read_gradebook(book)}["ada"]
    assert (ada["q10"], ada["score"], ada["max_score"], ada["manual"]) == ("0.75", "0.75", "8", "1")
    bo = {r["student"]: r for r in read_gradebook(book)}["bo"]
    assert (bo["score"], bo["max_score"], bo["manual"]) == ("0", "7", "0")


def test_rows_not_graded_as_the_lesson_are_left_alone():
    broken = Result("cy", "invalid notebook", detail="not a notebook").row()
    merged = merge_manual(broken, {"q10": 1.0}, "05")
    assert (merged["score"], merged["max_score"], merged["manual"]) == ("0", "", "0")
    other = graded_row("dee", "04")
    merged = merge_manual(other, {"q10": 1.0}, "05")
    assert (merged["score"], merged["max_score"], merged["q10"], merged["manual"]) == (
        other["score"],
        other["max_score"],
        other["q10"],
        "0",
    )
    assert merge_manual(merged, {"q10": 1.0}, "05") == merged


def test_merge_none_undoes_a_merge():
    row = graded_row("ada")
    merged = merge_manual(row, {"q10": 1.0}, "05")
    assert set(MERGE_COLUMNS) <= set(merged)
    assert merge_manual(merged, None, "05") == row
    assert merge_manual(row, None, "05") == row


@pytest.mark.parametrize(
    ("manual", "error", "match"),
    [
        ({"q9": 1.0}, ValueError, "'q9', not a reflection of lesson 05"),
        ({"q10": 1.5}, ValueError, "from 0 to 1 or None, got 1.5"),
        ({"q10": -0.1}, ValueError, "from 0 to 1"),
        ({"q10": "1"}, ValueError, "got '1'"),
        ({"q10": True}, ValueError, "got True"),
        ([("q10", 1.0)], TypeError, "manual must be"),
    ],
)
def test_merge_refuses_bad_manual_points(manual, error, match):
    with pytest.raises(error, match=match):
        merge_manual(graded_row("ada"), manual, "05")


def test_merge_refuses_a_row_without_numbers():
    with pytest.raises(ValueError, match="row of 'ada' has score 'lots', not a number"):
        merge_manual(graded_row("ada") | {"score": "lots"}, {"q10": 1.0}, "05")
    with pytest.raises(TypeError, match="row must be"):
        merge_manual(["ada"], {}, "05")


# ---------------------------------------------------------------- the response pack

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def class_reflections():
    return {
        "Ada Lovelace": [("q11", "Head: research days. " * 5), ("q12", HOSTILE)],
        "Bo Peep": [("q11", "Heart: mentoring.")],
        "Cy Young": [("q13", "Caldwell says the model is too neat."), ("q4", "not a reflection")],
        "Dee": [("q11", "   "), ("q12", "___")],
    }


def test_pack_escapes_a_hostile_answer(tmp_path):
    pack = write_response_pack(class_reflections(), tmp_path, "08", anonymise=False)
    page = (tmp_path / "responses-08-q12.html").read_text()
    assert "<script" not in page and "<img" not in page and "onerror=alert(1)>" not in page
    assert html_escaped(HOSTILE) in page
    assert "Ada Lovelace" in page  # named, as asked
    assert pack.key is None and pack.paths == pack.pages


def html_escaped(text):
    import html

    return html.escape(text)


def test_anonymised_pack_does_not_contain_the_names(tmp_path):
    pack = write_response_pack(class_reflections(), tmp_path, "08")
    assert [p.name for p in pack.pages] == [f"responses-08-q1{i}.html" for i in (1, 2, 3)]
    assert (pack.students, pack.answers) == (3, 4)  # Dee wrote nothing; q4 is not a reflection
    text = "".join(p.read_text() for p in pack.pages)
    for name in ("Ada", "Lovelace", "Bo Peep", "Cy Young", "Dee"):
        assert name not in text
    assert "not a reflection" not in text
    key = {r["student"]: int(r["number"]) for r in rows_of(pack.key)}
    assert sorted(key) == ["Ada Lovelace", "Bo Peep", "Cy Young"]
    assert sorted(key.values()) == [1, 2, 3]
    q11 = pack.pages[0].read_text()
    shown = re.findall(r"<h3 id=\"a\d+\">(Student \d+)</h3>", q11)
    assert shown == sorted(
        (f"Student {key[s]}" for s in ("Ada Lovelace", "Bo Peep")), key=lambda s: int(s.split()[1])
    )
    assert f"Student {key['Cy Young']}" in pack.pages[2].read_text()  # same number on every page
    assert (
        pack.summary == "3 pages with 4 answers from 3 students; the key is responses-08-key.csv."
    )


def test_anonymised_numbers_are_stable_and_new_students_get_the_next(tmp_path):
    reflections = class_reflections()
    first = write_response_pack(reflections, tmp_path, "08")
    key = rows_of(first.key)
    pages = [p.read_text() for p in first.pages]
    again = write_response_pack(reflections, tmp_path, "08")
    assert rows_of(again.key) == key and [p.read_text() for p in again.pages] == pages
    elsewhere = write_response_pack(reflections, tmp_path / "other", "08")
    assert rows_of(elsewhere.key) == key  # the order depends on the class, not on the run
    write_response_pack(reflections | {"Eve": [("q11", "Hand: pilots.")]}, tmp_path, "08")
    assert rows_of(first.key) == [*key, {"number": "4", "student": "Eve"}]


def test_a_bad_key_file_stops_the_pack(tmp_path):
    (tmp_path / "responses-08-key.csv").write_text("number,student\nfirst,Ada Lovelace\n")
    with pytest.raises(ManualScoresError, match="line 2: number 'first'"):
        write_response_pack(class_reflections(), tmp_path, "08")
    assert not (tmp_path / "responses-08-q11.html").exists()


def test_pack_pages_are_accessible(tmp_path):
    pack = write_response_pack(class_reflections(), tmp_path, "08")
    page = pack.pages[0].read_text()
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    for landmark in ("<header>", "<nav aria-label=", "<main>", "<footer>", "<h1>", "<h2 id="):
        assert landmark in page
    assert '<a href="responses-08-q11.html" aria-current=page>q11</a>' in page
    assert "<title>Lesson 08, q11: the class's answers (anonymised)</title>" in page
    assert "Content-Security-Policy" in page and "<script" not in page
    question = reflection_questions("08")[0]
    assert html_escaped(question["prompt"]) in page
    for criterion in question["criteria"]:
        assert f"<li>{html_escaped(criterion)}</li>" in page
    assert "0 missing" in page and "3 tested" in page


def test_pack_of_a_class_without_answers(tmp_path):
    pack = write_response_pack({}, tmp_path / "pack", "05")
    assert (pack.students, pack.answers) == (0, 0)
    assert "No answers yet." in pack.pages[0].read_text()
    assert rows_of(pack.key) == []


@pytest.mark.parametrize(
    ("reflections", "error", "match"),
    [
        ([("ada", "q10", "text")], TypeError, "reflections must map"),
        ({"ada": [("q10",)]}, TypeError, r"\(question, text\) pairs"),
        ({"ada": [("q10", 3)]}, TypeError, r"\(question, text\) pairs"),
        ({"": [("q10", "text")]}, ValueError, "non-empty name"),
    ],
)
def test_pack_refuses_bad_reflections(tmp_path, reflections, error, match):
    with pytest.raises(error, match=match):
        write_response_pack(reflections, tmp_path, "05")
