"""The class layer end to end (issue 16): a class of 12 graded, scored by hand, regraded with
--force, exported to Canvas and Moodle, and debriefed, with numbers that match the class."""

import csv
import json
import shutil

import pytest

from senge_course.cli import main
from senge_course.course.debrief import ClassDebrief, build_debrief, concept_gain
from senge_course.grading import read_gradebook
from test_grading import LIMITS, _exercise, _partly, _set, _solution, _write

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    subs = base / "subs"
    subs.mkdir()
    solution = _solution()
    names = {  # Canvas download names: lastfirst_userid_submissionid_file
        "lovelaceada_101_9001_x.ipynb": solution,
        "lovelaceada_LATE_101_9050_x.ipynb": _partly(),  # the late resubmission counts
        "hoppergrace_102_9002_x.ipynb": _partly(),
        "diddleybo_103_9003_x.ipynb": _exercise(),  # blank
        "curiemarie_104_9004_x.ipynb": _set(_solution(), "answer_q3", "answer_q3 = 2 /"),
        "turingalan_105_9005_x.ipynb": solution,
        "noetheremmy_106_9006_x.ipynb": _partly(),
        "kahnbob_107_9007_x.ipynb": _exercise(),
        "liskovbarbara_108_9008_x.ipynb": solution,
        "hamiltonmargaret_109_9009_x.ipynb": solution,
        "knuthdon_110_9010_x.ipynb": _set(_solution(), "answer_q2", "answer_q2 = 'z'"),
    }
    for name, nb in names.items():
        _write(subs / name, nb)
    other = _solution()
    other.metadata["senge_course"]["lesson"] = "01"
    _write(subs / "ritchiedennis_111_9011_x.ipynb", other)  # a notebook of another lesson
    roster = base / "roster.csv"
    people = [
        ("s01", "Ada Lovelace", 101), ("s02", "Grace Hopper", 102), ("s03", "Bo Diddley", 103),
        ("s04", "Marie Curie", 104), ("s05", "Alan Turing", 105), ("s06", "Emmy Noether", 106),
        ("s07", "Bob Kahn", 107), ("s08", "Barbara Liskov", 108),
        ("s09", "Margaret Hamilton", 109), ("s10", "Don Knuth", 110),
        ("s11", "Dennis Ritchie", 111), ("s12", "Frances Allen", 112),
    ]  # fmt: skip
    roster.write_text(
        "id,name,email,section,lms_id\n"
        + "".join(f"{i},{n},{i}@example.org,A,{u}\n" for i, n, u in people),
        encoding="utf-8",
    )
    out = base / "graded" / "gradebook.csv"
    args = ["grade", str(subs), "--out", str(out), "--roster", str(roster), "--rubric"]
    args += ["--timeout", str(LIMITS["timeout"]), "--workers", "2"]
    assert main(args) == 0
    return base, out, roster


def test_one_row_per_student_with_the_late_file_and_the_wrong_lesson(graded):
    _, out, _ = graded
    rows = {r["student"]: r for r in read_gradebook(out)}
    assert len(rows) == 11  # Frances Allen handed in nothing; Ada's two files are one student
    assert rows["s11"]["status"] == "wrong lesson"
    assert float(rows["s01"]["score"]) == pytest.approx(2.8333, abs=1e-3)  # the late, partial file
    assert float(rows["s05"]["score"]) == 5 and float(rows["s03"]["score"]) == 0
    assert "s08" in rows["s05"]["identical_to"].split("; ")


def test_manual_scores_survive_a_forced_regrade(graded):
    _, out, roster = graded
    template = out.with_name("manual-scores.csv")
    with open(template, encoding="utf-8", newline="") as fh:
        lines = list(csv.DictReader(fh))
    for line in lines:
        if line["student"] == "s05":
            line["points"], line["comment"] = "2", "Specific."
    with open(template, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    args = ["grade", str(out.parents[1] / "subs"), "--out", str(out), "--roster", str(roster)]
    assert main([*args, "--force", "--timeout", str(LIMITS["timeout"])]) == 0
    row = {r["student"]: r for r in read_gradebook(out)}["s05"]
    assert row["manual"] == "1" and float(row["q5"]) == pytest.approx(2 / 3, abs=1e-3)
    assert float(row["score"]) == pytest.approx(5 + 2 / 3, abs=1e-3)


def test_canvas_and_moodle_exports_have_their_headers(graded):
    _, out, roster = graded
    for to, header in (
        ("canvas", "Student,ID,SIS User ID,SIS Login ID,Section,Exercise 00"),
        ("moodle", "Email address,ID number,Full name,Exercise 00"),
    ):
        args = ["export", str(out), "--to", to, "--assignment", "Exercise 00"]
        assert main([*args, "--roster", str(roster)]) == 0
        text = out.with_name(f"{to}-import.csv").read_text(encoding="utf-8-sig")
        assert text.splitlines()[0] == header
        assert "Frances Allen" in text or "Allen, Frances" in text  # on the roster, no grade


def test_the_debrief_counts_what_the_class_did(graded, tmp_path):
    _, out, _ = graded
    debrief = ClassDebrief.load(out.parent)
    rows = [r for r in read_gradebook(out) if r["lesson"] == "00" and r["status"] != "wrong lesson"]
    assert debrief.lesson == "00" and debrief.size == len(rows)
    wrong = debrief.wrong_answers()
    record = json.loads(out.with_name("class.json").read_text(encoding="utf-8"))["students"]
    for label, tally in wrong.items():
        marked = [
            s for s, r in record.items() for o in r["outcomes"]
            if o["question"] == label and o["status"] == "incorrect"
        ]  # fmt: skip
        assert tally.wrong == len(marked)
        by_student = {r["student"]: r for r in rows}
        assert all(float(by_student[s][label]) < 1 for s in marked)  # the gradebook agrees
    q2 = wrong["q2"]
    assert ("z", 1) in q2.most_common or ('"z"', 1) in q2.most_common
    paths = build_debrief(out.parent, tmp_path / "debrief")
    nb = json.loads(paths[0].read_text(encoding="utf-8"))
    assert "".join(nb["cells"][0]["source"]).startswith("# Debrief: lesson 00")
    page = paths[1].read_text(encoding="utf-8")
    assert "Where the class went wrong" in page and 'alt="Most often wrong:' in page


@pytest.mark.parametrize(("folder", "lesson"), [("debrief", "00"), ("debrief-05", "05")])
def test_the_example_debrief_is_what_the_builder_writes(tmp_path, folder, lesson):
    """examples/debrief/ holds a class of lesson 00 and its debrief notebook, kept current;
    examples/debrief-05/ a made-up class of lesson 05 (make_class.py), with its designs
    replayed and the whole class run as one organisation."""
    from senge_course.paths import course_root

    example = course_root() / "examples" / folder
    shutil.copy(example / "class.json", tmp_path / "class.json")
    (built,) = build_debrief(tmp_path / "class.json", tmp_path, html=False)
    assert built.read_text(encoding="utf-8") == (example / f"debrief-{lesson}.ipynb").read_text(
        encoding="utf-8"
    )


def test_the_concept_check_gain_from_lesson_00_to_08(tmp_path):
    from senge_course.course.questions.concepts import CONCEPTS

    right = {item: answer for item, (_, _, answer) in CONCEPTS.items()}
    wrong = {item: "z" for item in CONCEPTS}

    def class_file(folder, lesson, name, answers):
        folder.mkdir()
        outcome = {"question": "q1", "name": name, "kind": "concept", "status": "submitted",
                   "score": 0.0, "max_score": 0.0, "message": ""}  # fmt: skip
        students = {
            s: {"lesson": lesson, "status": "ok", "outcomes": [outcome], "answers": {name: a}}
            for s, a in answers.items()
        }
        data = {"schema": "senge-course/class", "version": 1, "students": students}
        (folder / "class.json").write_text(json.dumps(data), encoding="utf-8")
        return folder

    before = class_file(tmp_path / "00", "00", "concepts_before", {"a": wrong, "b": right})
    after = class_file(
        tmp_path / "08", "08", "concepts_after", {"a": right, "b": right, "c": right}
    )
    gain = concept_gain(ClassDebrief.load(before), ClassDebrief.load(after))
    assert gain["students"] == 2 and gain["c1"] == (0.5, 1.0)
    (path,) = build_debrief(after, tmp_path / "out", before=before, html=False)
    text = path.read_text(encoding="utf-8")
    assert "2 students answered both: 50% of answers right in lesson 00, 100% now." in text
