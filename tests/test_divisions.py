"""The whole class as one organisation (issue 16, item 3): models.divisions, its lesson-05
debrief section (course.class_organisation) and its figure (views.debrief.show_class_history)."""

import json
import re

import nbformat
import numpy as np
import pytest

from senge_course.course import class_organisation as co
from senge_course.course.debrief import ClassDebrief, build_debrief
from senge_course.models import divisions, leader_time, leadership, org
from senge_course.views.debrief import show_class_history
from senge_course.views.figures import describe_figure

G = org.organisation(seed=1)
STRONG = {"pilot_teams": 2, "mentoring": 1.0, "networkers": 1, "teams_spanned": 3}
ONE_PILOT = {"pilot_teams": 1, "mentoring": 1.0, "networkers": 3, "teams_spanned": 3}
MIXED = {
    "ada": STRONG,
    "bo": {"pilot_teams": 3, "mentoring": 0.5},
    "cy": {"mentoring": 1.0},
    "di": {},
    "ed": {"pilot_teams": 1, "networkers": 3, "teams_spanned": 3},
}


def _pilots(levers):
    """A cheap judge for tests that do not compare designs: more pilot teams is better."""
    return float(levers.pilot_teams)


@pytest.fixture(scope="module")
def mixed():
    return divisions.class_history(MIXED, runs=6, seed=3, judge=_pilots)


# --- one division, or divisions apart, are leadership.simulate's runs ----------------------


@pytest.mark.parametrize("design", [STRONG, ONE_PILOT, {"pilot_teams": 2}, {}])
def test_one_division_without_cross_ties_is_leadership_simulate(design):
    h = divisions.class_history({"ada": design}, cross_ties=0, runs=4, seed=5, judge=_pilots)
    levers = leadership.Levers(**design)
    for r in range(h.runs):
        alone = leadership.simulate(G, levers, seed=int(h.run_seeds[r, 0]))
        assert h.division_by_round[r, 0].tolist() == alone.committed_by_round.tolist()
        assert h.together_by_round[r].tolist() == alone.committed_by_round.tolist()


def test_every_division_apart_is_its_own_simulate_run(mixed):
    """With ties between divisions, `alone` is still each division's own run, draw for draw,
    and the best design's divisions draw with the same seeds (common random numbers)."""
    for i, levers in enumerate(mixed.levers):
        for r in range(mixed.runs):
            seed = int(mixed.run_seeds[r, i])
            alone = leadership.simulate(G, levers, seed=seed).committed_by_round
            assert mixed.alone_by_round[r, i].tolist() == alone.tolist()
    apart_best = divisions.class_history(MIXED, cross_ties=0, runs=6, seed=3, judge=_pilots)
    assert np.array_equal(apart_best.run_seeds, mixed.run_seeds)
    for i in range(apart_best.divisions):
        run = leadership.simulate(G, apart_best.best_levers, seed=int(apart_best.run_seeds[2, i]))
        assert apart_best.best_division_by_round[2, i].tolist() == run.committed_by_round.tolist()


def test_the_whole_organisation_is_the_mean_of_its_equal_divisions(mixed):
    assert mixed.together_by_round == pytest.approx(mixed.division_by_round.mean(axis=1))
    assert mixed.best_by_round == pytest.approx(mixed.best_division_by_round.mean(axis=1))
    assert mixed.people == 51 and mixed.divisions == 5 and mixed.rounds == 30
    # the start is the same joined or apart: the ties between divisions only carry the practice
    assert mixed.division_by_round[:, :, 0].tolist() == mixed.alone_by_round[:, :, 0].tolist()


# --- ties between divisions carry a practice, as the model says -----------------------------


def test_cross_ties_let_a_division_with_no_levers_commit_more_than_alone():
    """Where the practice is easier to take up (mean threshold 0.3), bridges from nine strong
    divisions tip people in a division with no levers, which alone commits nobody."""
    designs = {f"s{i}": STRONG for i in range(9)} | {"none": {}}
    h = divisions.class_history(
        designs, runs=10, seed=1, judge=_pilots, assumptions={"threshold_mean": 0.3}
    )
    assert h.alone_final[-1] == 0.0
    assert h.division_final[-1] > 0.05


SPILLING = {f"s{i}": STRONG for i in range(9)} | {"mentor": {"mentoring": 1.0}}


@pytest.fixture(scope="module")
def spilling():
    return divisions.class_history(SPILLING, cross_ties=3, runs=20, seed=1, judge=_pilots)


def test_at_the_defaults_practice_spills_into_a_mentored_division_over_wide_bridges_only(spilling):
    """A division that only mentors commits its executives alone; bridges 3 ties wide carry the
    practice into it from strong divisions, a single long tie hardly does (Centola & Macy)."""
    wide = spilling
    long = divisions.class_history(SPILLING, cross_ties=1, runs=20, seed=1, judge=_pilots)
    assert wide.alone_final[-1] == pytest.approx(3 / 51)  # its executives
    assert wide.spillover[-1] > 0.05
    assert long.spillover[-1] < wide.spillover[-1] / 2


def test_the_calibration_the_module_states(spilling):
    """models.divisions' docstring: 6% apart, 14% over 3-tie bridges, 6% over long ties, below
    1% for a division with no levers, and the strong divisions from 69% to 73%."""
    long = divisions.class_history(SPILLING, cross_ties=1, runs=20, seed=1, judge=_pilots)
    none = {**SPILLING}
    none.pop("mentor")
    bare = divisions.class_history(none | {"none": {}}, runs=20, seed=1, judge=_pilots)
    said = [
        f"{spilling.alone_final[-1]:.0%}",
        f"{spilling.division_final[-1]:.0%}",
        f"{long.division_final[-1]:.0%}",
        f"{spilling.alone_final[:9].mean():.0%}",
        f"{spilling.division_final[:9].mean():.0%}",
    ]
    assert said == ["6%", "14%", "6%", "69%", "73%"]
    assert bare.division_final[-1] < 0.01
    between_teams = [
        (u, v)
        for u, v, kind in G.edges(data="kind")
        if kind == "informal" and G.nodes[u]["team"] != G.nodes[v]["team"]
    ]
    assert len(between_teams) == 11  # against 2 x 3 ties into and out of a division


def test_each_division_lays_one_bridge_of_cross_ties_into_another(mixed):
    assert mixed.ties_between.tolist() == [5 * 3] * mixed.runs
    for width in (0, 1):
        h = divisions.class_history(MIXED, cross_ties=width, runs=2, seed=3, judge=_pilots)
        assert h.ties_between.tolist() == [5 * width] * 2
    alone = divisions.class_history({"a": STRONG}, cross_ties=3, runs=2, seed=3, judge=_pilots)
    assert alone.ties_between.tolist() == [0, 0]  # a class of one has no other division


def test_without_ties_joined_is_apart():
    h = divisions.class_history(MIXED, cross_ties=0, runs=3, seed=2, judge=_pilots)
    assert h.division_by_round.tolist() == h.alone_by_round.tolist()
    assert h.spillover.tolist() == [0.0] * h.divisions


# --- seeds, the judge and the best design ---------------------------------------------------


def test_the_same_seed_gives_the_same_history_and_another_seed_another(mixed):
    again = divisions.class_history(MIXED, runs=6, seed=3, judge=_pilots)
    for name in ("together_by_round", "division_by_round", "alone_by_round", "best_by_round"):
        assert np.array_equal(getattr(again, name), getattr(mixed, name))
    other = divisions.class_history(MIXED, runs=6, seed=4, judge=_pilots)
    assert not np.array_equal(other.division_by_round, mixed.division_by_round)


def test_the_best_design_is_the_judges_highest_and_each_design_is_judged_once():
    calls = []

    def judge(levers):
        calls.append(levers)
        return levers.mentoring

    designs = {"a": {"mentoring": 0.5}, "b": {"mentoring": 1.0}, "c": {"mentoring": 1.0}, "d": {}}
    h = divisions.class_history(designs, runs=2, seed=1, judge=judge)
    assert h.best == "b" and h.best_levers == leadership.Levers(mentoring=1.0)  # first of equals
    assert len(calls) == 3 and dict(h.scores) == {"a": 0.5, "b": 1.0, "c": 1.0, "d": 0.0}


def test_the_default_judge_is_the_mean_final_share_of_a_division_alone():
    h = divisions.class_history({"a": STRONG, "b": {"pilot_teams": 1}}, runs=5, seed=1)
    assert h.best == "a"
    assert 0 < h.scores["b"] < h.scores["a"] <= 1


def test_a_skipped_student_leaves_the_others_draws_alone():
    bad = divisions.class_history({"a": STRONG, "x": [2], "c": {}}, runs=3, seed=9, judge=_pilots)
    good = divisions.class_history({"a": STRONG, "x": {}, "c": {}}, runs=3, seed=9, judge=_pilots)
    assert bad.students == ("a", "c")
    assert np.array_equal(bad.run_seeds, good.run_seeds[:, [0, 2]])
    assert np.array_equal(bad.alone_by_round, good.alone_by_round[:, [0, 2]])


# --- bad designs are skipped with their reason; bad inputs are refused ---------------------


@pytest.mark.parametrize(
    ("design", "reason"),
    [
        ([2, 1], "a design must be a dictionary of levers"),
        ("___", "got a str"),
        ({"pilots": 2}, "'pilots' is not a lever; the levers are bridge_width"),
        ({"mentoring": 1.5}, r"mentoring must be a number in \[0, 1\], got mentoring=1.5"),
        ({"mandate": 0.5}, "the design has a mandate"),
        ({"pilot_teams": 7}, r"pilot_teams must be at most the number of teams in G \(6\)"),
        ({"networkers": 43}, "networkers must be at most the number of members"),
    ],
)
def test_a_design_that_cannot_lead_a_division_is_skipped_with_its_reason(design, reason):
    h = divisions.class_history({"ok": STRONG, "bad": design}, runs=2, seed=1, judge=_pilots)
    assert h.students == ("ok",)
    assert list(h.skipped) == ["bad"]
    assert re.search(reason, h.skipped["bad"])  # the model's own message, for a student


def test_a_networker_bridge_that_cannot_be_laid_is_skipped():
    """In teams of 4, no chain of neighbouring people is long enough for a bridge 10 ties wide."""
    small = org.organisation(team_size=4, seed=1)
    designs = {"ok": STRONG, "bad": {"networkers": 1, "bridge_width": 10}}
    h = divisions.class_history(designs, runs=2, seed=1, judge=_pilots, division=small)
    assert h.students == ("ok",) and h.people == 3 + 6 * 4
    assert "choose a smaller bridge_width" in h.skipped["bad"]


def test_a_design_the_judge_refuses_is_skipped():
    def judge(levers):
        if levers.pilot_teams == 0:
            raise ValueError("no pilot, no score")
        return 1.0

    h = divisions.class_history({"a": STRONG, "b": {}}, runs=2, seed=1, judge=judge)
    assert dict(h.skipped) == {"b": "no pilot, no score"}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"designs": [STRONG]}, TypeError, "designs must be a dict of student -> design"),
        ({"designs": {}}, ValueError, "designs must hold 1 to 200 students' designs, got 0"),
        ({"designs": {1: STRONG}}, TypeError, "keyed by student ids"),
        ({"designs": {"a": {"mandate": 1.0}}}, ValueError, "at least one design .* a: the design"),
        ({"cross_ties": 5}, ValueError, r"cross_ties must be a whole number in \[0, 4\]"),
        ({"runs": 0}, ValueError, r"runs must be a whole number in \[1, 1000\], got runs=0"),
        ({"rounds": 0}, ValueError, "rounds must be a whole number"),
        ({"seed": -1}, ValueError, "seed must be None"),
        ({"judge": 3}, TypeError, "judge must be a function"),
        ({"judge": lambda levers: "high"}, TypeError, "judge must return a finite number"),
        ({"division": "lesson 05"}, TypeError, "G must be an organisation"),
        ({"assumptions": {"charisma": 1}}, ValueError, "unknown input 'charisma'"),
    ],
)
def test_bad_inputs_are_refused_naming_them(kwargs, error, match):
    args = {"designs": {"a": STRONG}, "runs": 1, "seed": 1, "judge": _pilots} | kwargs
    with pytest.raises(error, match=match):
        divisions.class_history(args.pop("designs"), **args)


def test_too_many_divisions_are_refused():
    with pytest.raises(ValueError, match="got 201"):
        divisions.class_history({f"s{i}": {} for i in range(201)}, runs=1)


# --- the summary states the model's numbers ------------------------------------------------


def test_the_summary_states_the_histories_numbers(mixed):
    s = mixed.summary
    assert s.startswith("In our model, the class's 5 designs, one division of 51 people each")
    for value in (mixed.together_final, mixed.best_final, mixed.apart_final):
        assert f"{value:.0%}" in s
    assert "of all 255 people after 30 rounds (mean of 6 runs)" in s
    assert mixed.best_levers.describe() in s
    more = int(np.count_nonzero(mixed.spillover >= 0.05))
    assert f"joined, {more} of 5 commit 5 points or more above that" in s


def test_the_figure_draws_the_histories_and_says_so(mixed, spilling):
    figure = show_class_history(mixed)
    left, right = describe_figure(figure.figure)
    assert left["lines"]["the class together"][1] == pytest.approx(
        mixed.together_by_round.mean(axis=0).tolist()
    )
    assert left["lines"]["every division on the best design"][1][-1] == pytest.approx(
        mixed.best_final
    )
    joined = sorted(mixed.division_final.tolist(), reverse=True)
    assert right["bars"][: mixed.divisions] == pytest.approx(joined)
    assert right["legend"] == ["best design, every division", "joined", "apart"]
    assert figure.summary.startswith(mixed.summary)
    assert mixed.spillover.max() <= 0
    assert figure.summary.endswith("No division gains from the ties between divisions.")
    summary = show_class_history(spilling).summary
    top = int(spilling.spillover.argmax())
    assert top == spilling.divisions - 1  # the mentored division
    said = f"{spilling.alone_final[top]:.0%} apart to {spilling.division_final[top]:.0%} joined."
    assert summary.endswith(said)


# --- the lesson-05 debrief ------------------------------------------------------------------


def _class_file(folder, answers_by_student, lesson="05"):
    outcomes = [
        {"question": label, "name": name, "kind": "design", "status": "incorrect",
         "score": 0.0, "max_score": 1.0, "message": ""}
        for label, name in (("q5", "answer_q5"), ("q6", "answer_q6"))
    ]  # fmt: skip
    students = {
        s: {"lesson": lesson, "status": "ok", "outcomes": outcomes, "answers": answers}
        for s, answers in answers_by_student.items()
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "class.json"
    data = {"schema": "senge-course/class", "version": 1, "students": students}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


CLASS = {
    "s01": {"answer_q6": {"pilot_teams": 2, "mentoring": 1.0, "networkers": 1, "teams_spanned": 3}},
    "s02": {"answer_q6": {"pilot_teams": 3, "mentoring": 0.5}, "answer_q5": ONE_PILOT},
    "s03": {"answer_q6": {"pilot_teams": 6, "mentoring": 1.0}, "answer_q5": ONE_PILOT},
    "s04": {"answer_q6": "<Blank>", "answer_q5": {"pilot_teams": 1, "mentoring": 0.5}},
    "s05": {"answer_q6": {"mandate": 0.8}},
    "s06": {"answer_q6": {"mentoring": 1.0}},
    "s07": {},
    "s08": {"answer_q5": {"pilot_teams": 2, "mentoring": 1.0}},
}


def test_each_student_s_design_is_q6_else_q5_within_the_questions_rules(tmp_path):
    debrief = ClassDebrief.load(_class_file(tmp_path, CLASS))
    designs, questions, skipped = co.class_designs(debrief)
    assert questions == {"s01": "q6", "s02": "q6", "s03": "q5", "s04": "q5", "s06": "q6"}
    assert designs["s03"] == ONE_PILOT
    cost = leader_time.cost(leadership.Levers(pilot_teams=6, mentoring=1.0))
    assert cost > 30
    assert set(skipped) == {"s05", "s07", "s08"}
    assert (
        skipped["s05"].startswith("q6: the design has a mandate")
        and "q5: no answer" in (skipped["s05"])
    )
    assert skipped["s07"] == "q6: no answer; q5: no answer"
    assert "q5: 2 pilot teams, more than the question's 1" in skipped["s08"]


def test_a_class_of_another_lesson_has_no_class_organisation(tmp_path):
    debrief = ClassDebrief.load(_class_file(tmp_path, {"s01": {}}, lesson="03"))
    with pytest.raises(ValueError, match="debrief must be a class debrief of lesson 05"):
        co.class_designs(debrief)


@pytest.fixture(scope="module")
def lesson_05(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graded05")
    path = _class_file(folder, CLASS)
    (notebook,) = build_debrief(path, folder / "debrief", html=False)
    cells = nbformat.read(notebook, as_version=4).cells
    return ClassDebrief.load(path), cells


def test_the_lesson_05_debrief_has_the_section_and_its_numbers_are_the_models(lesson_05):
    debrief, cells = lesson_05
    (i,) = [k for k, c in enumerate(cells) if "## One organisation, the whole class" in c.source]
    text, figure = cells[i].source, cells[i + 1]
    h = co.class_organisation(debrief).history
    assert h.students == ("s01", "s02", "s03", "s04", "s06")
    assert f"together commit **{h.together_final:.0%}** of all {51 * 5:,} people" in text
    assert f"commits **{h.best_final:.0%}**" in text
    assert f"the lesson's judge gives it {h.scores[h.best]:.0%}" in text
    assert f"{h.best_levers.describe()}; {leader_time.cost(h.best_levers):g} leader-weeks" in text
    assert f"the class's designs commit {h.apart_final:.0%}" in text
    assert "3 from q6 and 2 from q5" in text
    assert "Left out (3 students)" in text and "s05" not in text  # anonymised
    assert "**Our model assumes**" in text and "not evidence" in text
    assert figure.cell_type == "code" and "show_class_history(whole_class.history)" in figure.source
    namespace = {"debrief": debrief}
    exec(figure.source.replace("show_class_history(", "shown = show_class_history("), namespace)
    assert namespace["shown"].summary.startswith(h.summary)


def test_the_lesson_05_best_design_is_the_lesson_judges(lesson_05):
    from senge_course.course.questions import lesson_05 as questions

    debrief, _ = lesson_05
    h = co.class_organisation(debrief).history
    means = {s: questions.mean_committed(lv) for s, lv in zip(h.students, h.levers, strict=True)}
    assert dict(h.scores) == pytest.approx(means)
    assert h.best == max(means, key=means.get)


def test_a_class_with_no_usable_design_says_so(tmp_path):
    debrief = ClassDebrief.load(_class_file(tmp_path, {"s05": CLASS["s05"], "s07": {}}))
    (cell,) = co.organisation_cells(debrief)
    assert "could not be run as one organisation" in cell.source
    assert "q6: the design has a mandate" in cell.source


def test_other_lessons_debriefs_have_no_such_section(tmp_path):
    path = tmp_path / "class.json"
    outcome = {"question": "q1", "name": "answer_q1", "kind": "recall", "status": "correct",
               "score": 1.0, "max_score": 1.0, "message": ""}  # fmt: skip
    record = {"lesson": "00", "status": "ok", "outcomes": [outcome], "answers": {"answer_q1": "b"}}
    data = {"schema": "senge-course/class", "version": 1, "students": {"ada": record}}
    path.write_text(json.dumps(data), encoding="utf-8")
    (notebook,) = build_debrief(path, tmp_path / "out", html=False)
    assert "One organisation" not in notebook.read_text(encoding="utf-8")
