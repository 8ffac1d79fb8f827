"""Rosters, LMS download file names, and the Canvas / Moodle / CSV grade exports."""

import csv
import io
import os

import pytest

from senge_course.grading.export import (
    CANVAS_COLUMNS,
    CSV_COLUMNS,
    MOODLE_COLUMNS,
    POINTS_POSSIBLE,
    export_gradebook,
)
from senge_course.grading.gradebook import read_gradebook, write_gradebook
from senge_course.grading.roster import (
    LmsName,
    Roster,
    RosterError,
    Student,
    choose_latest,
    group_by_student,
    normalise_name,
    parse_lms_name,
)

BOM = b"\xef\xbb\xbf"

ROSTER = (
    "id,name,email,section\n"
    "s01,Ada Lovelace,ada@example.org,A\n"
    '"s02","Hopper, Grace",grace@example.org,B\n'
    "s03,José Martí,,\n"
    's04,=HYPERLINK("http://evil"),eve@example.org,A\n'
)


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return Roster.load(path)


def _rows(path):
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    return list(csv.reader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))


# ---------------------------------------------------------------- Canvas file names


@pytest.mark.parametrize(
    ("name", "who", "user", "late", "sub", "attempt", "original"),
    [
        (
            "lovelaceada_12345_678901_08_capstone.ipynb",
            "lovelaceada",
            "12345",
            False,
            "678901",
            None,
            "08_capstone.ipynb",
        ),
        (
            "lovelaceada_LATE_12345_678955_08_capstone-1.ipynb",
            "lovelaceada",
            "12345",
            True,
            "678955",
            1,
            "08_capstone.ipynb",
        ),
        (
            "lovelaceada_12345_678990_08_capstone-2.ipynb",
            "lovelaceada",
            "12345",
            False,
            "678990",
            2,
            "08_capstone.ipynb",
        ),
        (
            "martíjosé_77_88_05_contagion.ipynb",
            "martíjosé",
            "77",
            False,
            "88",
            None,
            "05_contagion.ipynb",
        ),
        (
            "van_der_berg_LATE_5_6_my_work.ipynb",
            "van_der_berg",
            "5",
            True,
            "6",
            None,
            "my_work.ipynb",
        ),
        (
            "smithbob_340934_208490284_BobsWork",
            "smithbob",
            "340934",
            False,
            "208490284",
            None,
            "BobsWork",
        ),
    ],
)
def test_canvas_names(name, who, user, late, sub, attempt, original):
    got = parse_lms_name(name)
    assert got == LmsName(who, "canvas", user, late, attempt, sub, original)


def test_canvas_name_decomposed_accents_are_composed():
    decomposed = "marti\u0301jose\u0301_77_88_x.ipynb"
    assert parse_lms_name(decomposed).who == "martíjosé"


def test_canvas_name_in_a_folder_uses_the_file_name(tmp_path):
    got = parse_lms_name(tmp_path / "subs" / "lovelaceada_1_2_x.ipynb")
    assert (got.lms, got.who, got.submission_id) == ("canvas", "lovelaceada", "2")


# ---------------------------------------------------------------- Moodle file names


@pytest.mark.parametrize(
    ("name", "who", "user", "original"),
    [
        (
            "Ada Lovelace_881234_assignsubmission_file_/08_capstone.ipynb",
            "Ada Lovelace",
            "881234",
            "08_capstone.ipynb",
        ),
        (
            "Ada Lovelace_881234_assignsubmission_file/08_capstone.ipynb",
            "Ada Lovelace",
            "881234",
            "08_capstone.ipynb",
        ),
        ("Ada Lovelace_881234_assignsubmission_file_", "Ada Lovelace", "881234", ""),
        (
            "Ada Lovelace_881234_assignsubmission_file_08_capstone.ipynb",
            "Ada Lovelace",
            "881234",
            "08_capstone.ipynb",
        ),
        (
            "José Martí_5_assignsubmission_file_/sub/dir/05_contagion.ipynb",
            "José Martí",
            "5",
            "05_contagion.ipynb",
        ),
        # Moodle turns the _ of a name into a space; a name with spaces and digits survives
        (
            "Mary Ann O Neil 2nd_42_assignsubmission_file_/a_b.ipynb",
            "Mary Ann O Neil 2nd",
            "42",
            "a_b.ipynb",
        ),
        ("Participant_1234567_assignsubmission_file_/x.ipynb", "Participant", "1234567", "x.ipynb"),
    ],
)
def test_moodle_names(name, who, user, original):
    assert parse_lms_name(name) == LmsName(who, "moodle", user, original=original)


def test_moodle_folder_below_the_submissions_folder():
    got = parse_lms_name("downloads/Ada Lovelace_9_assignsubmission_file_/x.ipynb")
    assert (got.lms, got.who, got.original) == ("moodle", "Ada Lovelace", "x.ipynb")


# ---------------------------------------------------------------- other names


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("ada.ipynb", "ada"),
        ("ada", "ada"),
        ("Ada.Lovelace", "Ada.Lovelace"),
        ("bo_7_x.ipynb", "bo_7_x"),
        ("late_notes.IPYNB", "late_notes"),
        ("ada_LATE.ipynb", "ada_LATE"),
    ],
)
def test_other_names_keep_their_stem(name, who):
    got = parse_lms_name(name)
    assert (got.lms, got.who, got.user_id, got.late, got.original) == (
        None,
        who,
        None,
        False,
        name,
    )


@pytest.mark.parametrize("bad", [None, 3, b"ada.ipynb"])
def test_parse_lms_name_refuses_non_names(bad):
    with pytest.raises(TypeError, match="filename must be a file name"):
        parse_lms_name(bad)


def test_parse_lms_name_refuses_an_empty_name():
    with pytest.raises(ValueError, match="filename must name a file"):
        parse_lms_name("")


# ---------------------------------------------------------------- choosing the newest


def test_choose_latest_keeps_the_highest_submission_id():
    files = [
        "lovelaceada_12345_678901_08_capstone.ipynb",
        "lovelaceada_LATE_12345_678955_08_capstone-1.ipynb",
        "lovelaceada_12345_1000_08_capstone-2.ipynb",
    ]
    choice = choose_latest(files)
    assert choice.kept.name == files[1]
    assert [p.name for p in choice.dropped] == [files[0], files[2]]
    assert "678955" in choice.why and files[0] in choice.why


def test_choose_latest_falls_back_to_modification_time(tmp_path):
    old = tmp_path / "Ada Lovelace_9_assignsubmission_file_a.ipynb"
    new = tmp_path / "Ada Lovelace_9_assignsubmission_file_b.ipynb"
    for p in (old, new):
        p.write_text("{}")
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(new, (2_000_000, 2_000_000))
    choice = choose_latest([new, old])
    assert choice.kept == new and choice.dropped == (old,)
    assert "latest modified" in choice.why


def test_choose_latest_with_one_file_keeps_it():
    choice = choose_latest(["bo_1_2_x.ipynb"])
    assert choice.kept.name == "bo_1_2_x.ipynb" and choice.dropped == ()


def test_choose_latest_refuses_two_students():
    with pytest.raises(ValueError, match="one student's.*ada_1_2_x.ipynb, bo_3_4_x.ipynb"):
        choose_latest(["ada_1_2_x.ipynb", "bo_3_4_x.ipynb"])


def test_choose_latest_refuses_nothing():
    with pytest.raises(ValueError, match="one or more files"):
        choose_latest([])


def test_choose_latest_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file .*ada.ipynb"):
        choose_latest([tmp_path / "ada.ipynb", tmp_path / "Ada.ipynb"])


def test_a_late_canvas_resubmission_is_the_same_student(roster):
    files = [
        "lovelaceada_12345_678901_08_capstone.ipynb",
        "lovelaceada_LATE_12345_678955_08_capstone-1.ipynb",
        "hoppergrace_222_700000_08_capstone.ipynb",
        "strangerdan_999_700001_08_capstone.ipynb",
    ]
    groups = group_by_student(files, roster=roster)
    assert sorted(groups) == ["s01", "s02", "strangerdan"]
    assert groups["s01"].kept.name == files[1]
    assert [p.name for p in groups["s01"].dropped] == [files[0]]


def test_two_canvas_users_with_one_name_stay_apart():
    groups = group_by_student(["smithjo_1_10_a.ipynb", "smithjo_2_11_a.ipynb"])
    assert sorted(groups) == ["smithjo_1", "smithjo_2"]


# ---------------------------------------------------------------- the roster


def test_roster_loads_in_order_with_nfc_names(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(BOM + "ID, Name ,EMAIL,Section\nx1, Jose\u0301 ,,\n".encode())
    roster = Roster.load(path)
    assert list(roster) == [Student("x1", "José", line=2)]
    assert roster["x1"].name == "José" and "x1" in roster and len(roster) == 1


@pytest.mark.parametrize(
    "key",
    [
        "s01",
        "ada@example.org",
        "ADA@Example.ORG",
        "Ada Lovelace",
        "lovelace, ada",
        "  ADA   lovelace ",
        "lovelaceada",
        "adalovelace",
        "Ada_Lovelace",
    ],
)
def test_find_ada(roster, key):
    assert roster.find(key).id == "s01"


@pytest.mark.parametrize(
    "key", ["Grace Hopper", "Hopper, Grace", "hoppergrace", "grace@example.org"]
)
def test_find_grace(roster, key):
    assert roster.find(key).id == "s02"


def test_find_ignores_how_accents_are_composed(roster):
    assert roster.find("Jose\u0301 Marti\u0301").id == "s03"
    assert roster.find("Martí, José").id == "s03"
    assert roster.find("martíjosé").id == "s03"
    assert roster.find("Jose Marti") is None  # accents still matter


def test_find_unknown_is_none(roster):
    assert roster.find("Charles Babbage") is None
    assert roster.find("") is None


def test_find_refuses_a_shared_name(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "id,name,email,section\na,Jo Smith,,\nb,Smith, Jo,,\n".replace("Smith, Jo", '"Smith, Jo"'),
        encoding="utf-8",
    )
    roster = Roster.load(path)
    with pytest.raises(RosterError, match=r"'jo smith' matches 2 students: a \(line 2\), b"):
        roster.find("jo smith")
    assert roster.find("a").name == "Jo Smith"


def test_identify_by_canvas_user_id(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,name,email,section,lms_id,login\ns9,Bo Li,,,555,bli\n", encoding="utf-8")
    roster = Roster.load(path)
    assert roster.identify("someoneelse_555_1_x.ipynb").id == "s9"
    assert roster.identify(parse_lms_name("Bo Li_3_assignsubmission_file_")).id == "s9"
    assert roster.identify("nobody.ipynb") is None


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("name,email\nAda,\n", r"line 1 must be the header id,name,email,section"),
        ("s01,Ada,ada@x.org,A\n", r"line 1 must be the header .*got 's01,Ada,ada@x.org,A'"),
        ("id,name,id\na,b,c\n", "line 1 has the column 'id' twice"),
        ("id,name,email,section\ns1,Ada,,\ns2,Bo\n", r"line 3 has 2 fields, the header 4"),
        ("id,name,email,section\n,Ada,,\n", "line 2 has no id"),
        ("id,name,email,section\ns1, ,,\n", "line 2 has no name"),
        ("id,name,email,section\ns1,Ada,,\n\ns1,Bo,,\n", r"the id 's1' is on line 2 and line 4"),
        (
            "id,name,email,section\ns1,Ada,ada.example.org,\n",
            r"line 2 has the email 'ada.example.org'; an email is name@host",
        ),
        (
            "id,name,email,section\ns1,Ada,a@x.org,\ns2,Bo,A@X.org,\n",
            r"the email 'A@X.org' is on line 2 and line 3",
        ),
        ("id,name,email,section\n", "has a header but no students"),
        ('id,name\n"s1,Ada\n', "not CSV|fields"),
    ],
)
def test_roster_errors_name_the_file_and_line(tmp_path, text, match):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match=match) as error:
        Roster.load(path)
    assert str(path) in str(error.value)


def test_roster_line_numbers_count_quoted_newlines(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text('id,name,email,section\ns1,"Ada\nLovelace",,\ns2,,,\n', encoding="utf-8")
    with pytest.raises(RosterError, match="line 4 has no name"):
        Roster.load(path)


def test_roster_that_is_not_text(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xff\xfe\x00id")
    with pytest.raises(RosterError, match="not UTF-8"):
        Roster.load(path)


def test_missing_roster(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        Roster.load(tmp_path / "none.csv")


def test_normalise_name():
    assert normalise_name(" Lovelace ,  Ada ") == "ada lovelace"
    assert normalise_name("ADA\tLOVELACE") == "ada lovelace"


# ---------------------------------------------------------------- the exports

GRADEBOOK = [
    {"student": "s01", "status": "ok", "score": "6.5", "max_score": "7", "q1": "1"},
    {"student": "Hopper, Grace", "status": "timeout", "score": "3", "max_score": "7"},
    {"student": "=cmd|' /C calc'!A0", "status": "ok", "score": "7", "max_score": "7"},
]


def test_canvas_export(tmp_path, roster):
    path = tmp_path / "canvas.csv"
    report = export_gradebook(GRADEBOOK, path, to="canvas", assignment="Exercise 05", roster=roster)
    rows = _rows(path)
    assert rows[0] == [*CANVAS_COLUMNS, "Exercise 05"]
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1] == [POINTS_POSSIBLE, "", "", "", "", "7"]
    assert rows[1][0] == "    Points Possible"
    assert rows[2] == ["Lovelace, Ada", "", "s01", "", "A", "6.5"]
    assert rows[3] == ["Hopper, Grace", "", "s02", "", "B", "3"]
    assert rows[4] == ["Martí, José", "", "s03", "", "", ""]  # no submission: empty, not 0
    assert rows[5] == ['\'=HYPERLINK("http://evil")', "", "s04", "", "A", ""]
    assert rows[6] == ["'=cmd|' /C calc'!A0", "", "", "", "", "7"]  # not in the roster
    assert report.not_in_roster == ("=cmd|' /C calc'!A0",)
    assert report.no_submission == ("s03", "s04")
    assert (report.graded, report.rows) == (3, 5)
    assert "not in the roster" in report.summary and "s03, s04" in report.summary


def test_canvas_export_uses_lms_ids(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "id,name,email,section,lms_id,login\ns9,Bo Li,b@x.org,C,555,bli\n", encoding="utf-8"
    )
    out = tmp_path / "canvas.csv"
    export_gradebook(
        [{"student": "s9", "status": "ok", "score": "2", "max_score": "4"}],
        out,
        to="canvas",
        assignment="Exercise 01 (1234)",
        roster=Roster.load(path),
    )
    assert _rows(out)[2] == ["Li, Bo", "555", "s9", "bli", "C", "2"]


def test_canvas_points_possible_given_or_missing(tmp_path):
    out = tmp_path / "c.csv"
    rows = [
        {"student": "a", "status": "ok", "score": "1", "max_score": "7"},
        {"student": "b", "status": "ok", "score": "2", "max_score": "8"},
    ]
    # rows differ once some reflections are scored by hand: the largest is the exercise's
    export_gradebook(rows, out, to="canvas", assignment="E")
    assert "8" in out.read_text(encoding="utf-8-sig").splitlines()[1]
    export_gradebook(rows, out, to="canvas", assignment="E", points_possible=10)
    assert _rows(out)[1][-1] == "10"
    export_gradebook(
        [{"student": "a", "status": "wrong lesson", "score": "0", "max_score": ""}],
        out,
        to="canvas",
        assignment="E",
    )
    assert _rows(out)[1] == [POINTS_POSSIBLE, "", "", "", "", ""]


def test_moodle_export(tmp_path, roster):
    path = tmp_path / "moodle.csv"
    report = export_gradebook(GRADEBOOK, path, to="moodle", assignment="Exercise 05", roster=roster)
    rows = _rows(path)
    assert rows[0] == [*MOODLE_COLUMNS, "Exercise 05"]
    assert rows[0][:3] == ["Email address", "ID number", "Full name"]
    assert rows[1] == ["ada@example.org", "s01", "Ada Lovelace", "6.5"]
    assert rows[2] == ["grace@example.org", "s02", "Hopper, Grace", "3"]
    assert rows[3] == ["", "s03", "José Martí", ""]
    assert rows[5] == ["", "", "'=cmd|' /C calc'!A0", "7"]
    assert report.not_in_roster == ("=cmd|' /C calc'!A0",)


def test_moodle_export_needs_a_roster(tmp_path):
    with pytest.raises(ValueError, match="Moodle import finds students by email"):
        export_gradebook(GRADEBOOK, tmp_path / "m.csv", to="moodle", assignment="E")


def test_csv_export(tmp_path, roster):
    path = tmp_path / "grades.csv"
    export_gradebook(GRADEBOOK, path, to="csv", assignment="Exercise 05", roster=roster)
    rows = _rows(path)
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[0] == ["student", "name", "section", "score", "max_score", "status"]
    assert rows[1] == ["s01", "Ada Lovelace", "A", "6.5", "7", "ok"]
    assert rows[2] == ["s02", "Hopper, Grace", "B", "3", "7", "timeout"]
    assert rows[3] == ["s03", "José Martí", "", "", "", "not submitted"]
    assert rows[5] == ["'=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", "", "7", "7", "ok"]


def test_csv_export_without_a_roster_reports_nobody_missing(tmp_path):
    report = export_gradebook(GRADEBOOK[:1], tmp_path / "g.csv", to="csv", assignment="E")
    assert report.not_in_roster == () and report.no_submission == ()
    assert _rows(tmp_path / "g.csv")[1] == ["s01", "s01", "", "6.5", "7", "ok"]


def test_export_reads_a_real_gradebook(tmp_path, roster):
    book = tmp_path / "gradebook.csv"
    write_gradebook(book, {r["student"]: r for r in GRADEBOOK}, questions=2)
    out = tmp_path / "canvas.csv"
    export_gradebook(read_gradebook(book), out, to="canvas", assignment="Ex", roster=roster)
    assert [r[-1] for r in _rows(out)] == ["Ex", "7", "6.5", "3", "", "", "7"]


def test_a_formula_looking_assignment_name_is_guarded(tmp_path):
    out = tmp_path / "c.csv"
    export_gradebook(GRADEBOOK[:1], out, to="canvas", assignment="=1+1")
    assert _rows(out)[0][-1] == "'=1+1"


def test_export_replaces_the_file_atomically(tmp_path):
    out = tmp_path / "c.csv"
    out.write_text("old")
    with pytest.raises(ValueError):
        export_gradebook([{"student": "a", "score": "x"}], out, to="csv", assignment="E")
    assert out.read_text() == "old"
    export_gradebook(GRADEBOOK[:1], out, to="csv", assignment="E")
    assert out.read_bytes().startswith(BOM)
    assert [p.name for p in tmp_path.iterdir()] == ["c.csv"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"to": "blackboard"}, ValueError, "to must be one of 'canvas', 'moodle', 'csv'"),
        ({"assignment": " "}, ValueError, "assignment must be the assignment's column name"),
        ({"assignment": "a\nb"}, ValueError, "on one line"),
        ({"points_possible": -1}, ValueError, "points_possible must be a number >= 0"),
        ({"roster": "roster.csv"}, TypeError, "roster must be a Roster"),
    ],
)
def test_export_arguments(tmp_path, kwargs, error, match):
    args = {"to": "canvas", "assignment": "E"} | kwargs
    with pytest.raises(error, match=match):
        export_gradebook(GRADEBOOK, tmp_path / "x.csv", **args)


@pytest.mark.parametrize(
    ("rows", "error", "match"),
    [
        ({"student": "a"}, TypeError, "rows must be a list of gradebook rows"),
        (["a"], TypeError, "rows must be dicts"),
        ([{"student": ""}], ValueError, "row 1 has no student"),
        ([{"student": "a"}, {"student": "a"}], ValueError, "the student 'a' has two rows"),
        ([{"student": "a", "score": "nan"}], ValueError, "score 'nan'; a score is a number"),
    ],
)
def test_export_rows(tmp_path, rows, error, match):
    with pytest.raises(error, match=match):
        export_gradebook(rows, tmp_path / "x.csv", to="csv", assignment="E")


def test_two_gradebook_rows_for_one_roster_student(tmp_path, roster):
    rows = [{"student": "s01", "score": "1"}, {"student": "Ada Lovelace", "score": "2"}]
    with pytest.raises(ValueError, match="both the roster's 's01'"):
        export_gradebook(rows, tmp_path / "x.csv", to="csv", assignment="E", roster=roster)
