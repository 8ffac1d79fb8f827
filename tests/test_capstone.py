"""Tests for senge_course.models.capstone: one design, three simulations, a report, files."""

import json
import subprocess
import sys

import pytest

from senge_course import files
from senge_course.models.capability import COMMAND, COMMITMENT
from senge_course.models.capability import simulate as simulate_regime
from senge_course.models.capstone import (
    COMMITTED_GOAL,
    DEFAULT_RUNS,
    GOALS,
    SCHEMA,
    VERSION,
    CapstoneReport,
    Design,
    assess,
    default_organisation,
)
from senge_course.models.diagnosis import diagnose
from senge_course.models.knowledge import ALL_PRACTICE, BALANCED, Consultants
from senge_course.models.knowledge import simulate as simulate_knowledge
from senge_course.models.leadership import SCENARIOS, Levers, compare
from senge_course.models.org import organisation
from senge_course.models.plan import Plan

GOOD = ("all three", "commitment", BALANCED, 1.0)
COMMAND_AND_CONTROL = ("executives only (mandate)", "command", ALL_PRACTICE, 0.25)


@pytest.fixture(scope="module")
def good():
    return assess(*GOOD)


@pytest.fixture(scope="module")
def old():
    return assess(*COMMAND_AND_CONTROL)


# ----------------------------------------------------------------- the three results


def test_the_good_design_meets_all_three_goals(good):
    # the leadership and capability numbers are those models' (recomputed, not restated here)
    assert good.verdicts == dict.fromkeys(GOALS, True) and good.passed
    stats = good.diffusion
    assert good.committed == float(stats.committed_mean[-1]) >= COMMITTED_GOAL
    assert good.committed_band == (float(stats.committed_low[-1]), float(stats.committed_high[-1]))
    assert not good.capability.trapped and good.diagnosis.mode == "integrated"
    assert round(good.knowledge.total, 1) == 59.9
    assert good.people == 51


def test_command_and_control_meets_none(old):
    assert old.verdicts == dict.fromkeys(GOALS, False) and not old.passed
    assert old.committed < COMMITTED_GOAL
    assert round(float(old.diffusion.compliant_mean.max()), 2) == 0.8  # the mandate's 80%
    assert float(old.diffusion.compliant_mean[-1]) < 0.05  # compliance wears off
    assert old.capability.trapped and old.diagnosis.mode == "firefighting"


def test_the_report_holds_exactly_what_the_three_models_return(good):
    stats = compare(
        default_organisation(), {"x": SCENARIOS["all three"]}, runs=DEFAULT_RUNS, seed=1
    )["x"]
    assert good.committed == pytest.approx(float(stats.committed_mean[-1]))
    trap = simulate_regime(COMMITMENT, target_change=0.2, surge_weeks=8)
    assert good.capability.climate[-1] == pytest.approx(trap.climate[-1])
    assert good.knowledge.total == pytest.approx(simulate_knowledge(BALANCED, 1.0).total)
    assert good.diagnosis.mode == diagnose(BALANCED, 1.0).mode


def test_the_same_seed_gives_the_same_report_and_another_seed_may_not():
    a, b = assess(*GOOD), assess(*GOOD)
    assert a.committed == b.committed
    assert assess(*GOOD, seed=2).committed != a.committed


@pytest.mark.parametrize(
    "levers",
    [
        "all three",
        "line leaders only",
        "networkers only",
        "executives only (mentoring)",
        SCENARIOS["all three"].replace(networkers=1),
        SCENARIOS["all three"].replace(networkers=2),
        SCENARIOS["all three"].replace(mentoring=0.2),
    ],
    ids=str,
)
def test_commitment_spreads_is_the_diffusion_models_share_against_the_goal(levers):
    report = assess(levers, "commitment", BALANCED, 1.0)
    assert report.spreads is (report.committed >= COMMITTED_GOAL)
    alone = levers in ("line leaders only", "networkers only", "executives only (mentoring)")
    assert not (alone and report.spreads)  # no kind of leader alone reaches the goal


@pytest.mark.parametrize(
    ("regime", "survives"),
    [
        ("command", False),
        ("commitment", True),
        (COMMAND.replace(control=0.4), True),
        ({"work_harder": 4, "work_smarter": 0, "control": 0.8, "autonomy": 0.5}, True),
        ({"work_harder": 2, "work_smarter": 0, "control": 0.8, "autonomy": 0.2}, False),
    ],
)
def test_the_regime_under_the_surge(regime, survives):
    assert assess("all three", regime, BALANCED, 1.0).survives is survives


@pytest.mark.parametrize(
    ("allocation", "integration", "consultants", "mode"),
    [
        (BALANCED, 1.0, None, "integrated"),
        (BALANCED, 0.75, None, "integrated"),
        (BALANCED, 0.5, None, "fragmented"),
        ((1.0, 0.0, 0.0), 1.0, None, "ivory tower"),
        (ALL_PRACTICE, 1.0, Consultants(0.5, stop_at=8), "consulting dependency"),
    ],
)
def test_the_knowledge_goal_is_the_diagnosis(allocation, integration, consultants, mode):
    report = assess("all three", "commitment", allocation, integration, consultants=consultants)
    assert report.diagnosis.mode == mode
    assert report.integrated is (mode == "integrated")


def test_another_organisation_and_fewer_runs():
    G = organisation(teams=4, team_size=6, seed=3)
    report = assess(*GOOD, G=G, runs=5)
    assert report.people == G.number_of_nodes() == 27
    assert report.diffusion.committed_by_round.shape[0] == 5


# ----------------------------------------------------------------- inputs


@pytest.mark.parametrize(
    ("levers", "expected"),
    [
        ("all three", SCENARIOS["all three"]),
        ({"pilot_teams": 2, "mentoring": 0.5}, Levers(pilot_teams=2, mentoring=0.5)),
        (Levers(networkers=1), Levers(networkers=1)),
    ],
)
def test_levers_can_be_given_three_ways(levers, expected):
    assert assess(levers, "commitment", BALANCED, 1.0, runs=1).levers == expected


@pytest.mark.parametrize(
    ("regime", "expected"),
    [
        ("command", COMMAND),
        (" Commitment ", COMMITMENT),
        (
            {"work_harder": 1, "work_smarter": 0.2, "control": 0.3, "autonomy": 0.7},
            COMMAND.replace(work_harder=1, work_smarter=0.2, control=0.3, autonomy=0.7),
        ),
        (COMMITMENT, COMMITMENT),
    ],
)
def test_regimes_can_be_given_three_ways(regime, expected):
    assert assess("none", regime, BALANCED, 1.0, runs=1).regime == expected


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"levers": 3}, TypeError, "levers must be Levers, a scenario name .* got levers=3"),
        ({"levers": "everyone"}, ValueError, "scenario must be one of .* got scenario='everyone'"),
        (
            {"levers": {"pilots": 2}},
            ValueError,
            "levers has no field\\(s\\) pilots; its fields are pilot_teams",
        ),
        (
            {"levers": {"mentoring": 2}},
            ValueError,
            r"mentoring must be a number in \[0, 1\], got mentoring=2",
        ),
        (
            {"levers": {"pilot_teams": 9}},
            ValueError,
            "pilot_teams must be at most the number of teams",
        ),
        (
            {"regime": "laissez-faire"},
            ValueError,
            "regime must be a Regime, 'command', 'commitment' .* got regime='laissez-faire'",
        ),
        ({"regime": 0.5}, TypeError, "regime must be a Regime, .* got regime=0.5"),
        (
            {"regime": {"trust": 1}},
            ValueError,
            "regime has no field\\(s\\) trust; its fields are work_harder",
        ),
        (
            {"regime": {"control": 1.5}},
            ValueError,
            r"control must be a number in \[0, 1\], got control=1.5",
        ),
        ({"allocation": (0.5, 0.5, 0.5)}, ValueError, "allocation shares must sum to 1"),
        (
            {"integration": -0.1},
            ValueError,
            r"integration must be a number in \[0, 1\], got integration=-0.1",
        ),
        (
            {"integration": "high"},
            TypeError,
            "integration must be a number, got integration='high'",
        ),
        ({"runs": 0}, ValueError, r"runs must be a whole number in \[1, 500\], got runs=0"),
        ({"runs": 2.5}, TypeError, "runs must be a whole number, got runs=2.5"),
        ({"consultants": 0.5}, TypeError, "consultants must be None or Consultants"),
    ],
)
def test_bad_designs_are_refused_naming_the_parameter_and_value(kwargs, error, match):
    args = dict(zip(("levers", "regime", "allocation", "integration"), GOOD, strict=True))
    args.update(kwargs)
    with pytest.raises(error, match=match):
        assess(**args)


# ----------------------------------------------------------------- words


def test_the_summary_in_plain_words(good, old):
    text = old.summary
    trap, committed = old.capability, f"{old.committed:.0%}"
    assert f"on average {committed} of the 51 people are committed after 30 rounds" in text
    assert "compliance peaks at 80% and ends at " in text
    assert "The line leaders and networkers pull no lever." in text
    assert "falls into the capability trap after a 20% surge in the target lasting 8 weeks" in text
    assert (
        f"capability falls from {trap.capability[0]:.2f} to {trap.capability[-1]:.2f}, near its "
        f"floor, the climate for improvement from {trap.climate[0]:.2f} to {trap.climate[-1]:.2f}"
    ) in text
    assert f"performance ends at {trap.relative('performance')[-1]:.2f} times its start" in text
    assert "Firefighting: practice that never renews itself" in text
    assert (
        "Your design meets 0 of the 3 goals; not yet: commitment spreads, no capability trap and integrated cycle."
        in text
    )
    assert "a mandate buys compliance that wears off" in text
    low, high = good.committed_band
    assert f"{good.committed:.0%} of the 51 people are committed" in good.summary
    assert f"(5-95% of runs: {low:.0%}-{high:.0%}). The practice spreads widely" in good.summary
    climate = good.capability.climate
    assert (
        "absorbs a 20% surge in the target lasting 8 weeks: the climate for improvement dips to "
        f"{climate.min():.2f} and ends at {climate[-1]:.2f}"
    ) in good.summary
    assert good.summary.count("\n\n") == 3 and good.notes == ()
    assert "Your design meets all three goals." in good.summary


@pytest.mark.parametrize(
    ("design", "note"),
    [
        (
            ("executives only (mandate)", "commitment", BALANCED, 1.0),
            "sits oddly with a regime that grants autonomy",
        ),
        (
            ("all three", "command", BALANCED, 1.0),
            "mentoring asks executives to change their own behaviour",
        ),
    ],
)
def test_notes_where_the_parts_pull_against_each_other(design, note):
    assert any(note in n for n in assess(*design, runs=2).notes)


def test_a_note_for_consultants_who_do_not_create_dependency():
    report = assess(
        "all three", "commitment", BALANCED, 1.0, consultants=Consultants(0.2, stop_at=8), runs=2
    )
    assert report.diagnosis.mode != "consulting dependency"
    assert any("ask them to teach" in n for n in report.notes)


def test_a_regime_that_barely_moves():
    report = assess(
        "none",
        {"work_harder": 4, "work_smarter": 0, "control": 0.0, "autonomy": 1.0},
        BALANCED,
        1.0,
        runs=1,
    )
    assert "custom" in report.regime_text and report.survives


def test_to_dict_is_plain_json(good):
    data = good.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["verdicts"] == dict.fromkeys(GOALS, True) and data["passed"] is True
    assert data["regime"] == {
        "work_harder": 0.25,
        "work_smarter": 0.5,
        "control": 0.1,
        "autonomy": 0.9,
    }
    assert data["mode"] == "integrated" and round(data["total"], 1) == 59.9


def test_markdown_for_the_instructor(good, old):
    text = good.to_markdown(
        "Zoë's *plan* | 学習", reflections={"Head": "Theory we test.", "Heart": "  "}
    )
    lines = text.splitlines()
    assert lines[0] == "# Zoë's \\*plan\\* \\| 学習"
    committed = f"{good.committed:.0%}"
    assert f"| Commitment spreads | {committed} committed on average (goal: 60%) | yes |" in text
    assert (
        "| No capability trap | stays out of the trap under a 20% surge of 8 weeks | yes |" in text
    )
    assert "| Integrated cycle | integrated; 59.9 over 10 years (all practice: 40) | yes |" in text
    assert "**All three goals met.**" in text
    assert "### Head\n\nTheory we test." in text and "### Heart\n\n*(not answered yet)*" in text
    assert "calibrated to show the behaviour the course teaches, not estimated from data" in text
    bad = old.to_markdown()
    assert (
        bad.startswith("# My design") and "**Not all goals met yet.**" in bad and "## Notes" in bad
    )
    assert "- **Kinds of leader at work:** executives." in bad


def test_markdown_refuses_bad_arguments(good):
    with pytest.raises(TypeError, match="name must be text, got name=3"):
        good.to_markdown(3)
    with pytest.raises(
        TypeError, match="reflections must be a mapping of question to answer, got list"
    ):
        good.to_markdown(reflections=["a"])


def test_repr(good):
    assert repr(good) == (
        f"CapstoneReport(committed={good.committed:.2f}, trapped=False, mode='integrated', "
        "passed=True)"
    )
    assert isinstance(good, CapstoneReport)


# ----------------------------------------------------------------- designs and files


def design():
    return Design(
        Plan(
            "Atelier 学習 🌱",
            allocation=(0.2, 0.2, 0.6),
            integration=0.8,
            consultants=Consultants(0.3, stop_at=4),
            initiatives=["pilot-group"],
        ),
        levers={"pilot_teams": 3, "mentoring": 0.6, "networkers": 2, "pilot_share": 0.4},
        regime={
            "work_harder": 1,
            "work_smarter": 0.3,
            "control": 0.3,
            "autonomy": 0.8,
            "erosion_time": 52,
        },
    )


def test_design_defaults_are_the_firm_as_it_is():
    d = Design(Plan("x"))
    assert d.levers == Levers() and d.regime == COMMAND
    report = d.assess(runs=1)
    assert report.verdicts == dict.fromkeys(GOALS, False)


def test_design_assess_uses_the_plans_consultants():
    d = design()
    report = d.assess(runs=2)
    assert report.consultants == Consultants(0.3, stop_at=4)
    assert report.levers.pilot_share == 0.4 and report.regime.erosion_time == 52


def test_design_round_trips_through_json(tmp_path):
    d = design()
    path = tmp_path / "design.json"
    d.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA and data["version"] == VERSION
    assert set(data) == {"schema", "version", "plan", "levers", "regime"}
    assert Design.load(path) == d
    assert Design.from_dict(d.to_dict()) == d
    assert "学習 🌱" in path.read_text(encoding="utf-8")


def test_design_refuses_a_plan_that_is_not_a_plan():
    with pytest.raises(TypeError, match="plan must be a Plan, got plan='x'"):
        Design("x")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            lambda d: d.update(schema="senge-course/plan"),
            "it is a 'senge-course/plan' file, not a 'senge-course/capstone' file",
        ),
        (
            lambda d: d.update(version=2),
            "it has version 2; this course reads version 1",
        ),
        (lambda d: d.update(version=True), "it has version True"),
        (
            lambda d: d.update(extra=1),
            r"a version-1 design has the fields plan, levers, regime; got missing \[\] and unknown "
            r"\['extra'\]",
        ),
        (lambda d: d.pop("regime"), "a version-1 design has the fields"),
        (lambda d: d.update(levers=[1, 2]), "levers must be a JSON object, got \\[1, 2\\]"),
        (
            lambda d: d["levers"].update(mentoring=3),
            r"mentoring must be a number in \[0, 1\], got mentoring=3",
        ),
        (lambda d: d["regime"].update(hope=1), "regime has no field\\(s\\) hope"),
        (lambda d: d["plan"].update(integration=2), "integration must be a number in"),
    ],
)
def test_from_dict_refuses_bad_designs(change, match):
    data = design().to_dict()
    change(data)
    with pytest.raises((ValueError, TypeError), match=match):
        Design.from_dict(data)


def test_from_dict_refuses_what_is_not_an_object():
    with pytest.raises(ValueError, match="a design must be a JSON object, got list"):
        Design.from_dict([])


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b'{"schema": "senge-course/capstone", "vers', "it is not valid JSON"),
        (b"\xff\xfe\x00", "it is not a design file \\(not UTF-8 text\\)"),
        (b'{"schema": "senge-course/plan", "version": 1}', "it is a 'senge-course/plan' file"),
        (b"[" * 100_000 + b"]" * 100_000, "it is not a design file \\(nested too deeply\\)"),
        (b" " * (files.MAX_BYTES + 1), "it is too large"),
    ],
)
def test_load_names_the_file_and_the_problem(tmp_path, content, match):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"cannot load the design {path}: ({match})"):
        Design.load(path)


def test_a_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "design.json"
    design().save(path)
    before = path.read_bytes()
    with pytest.raises(FileNotFoundError, match="there is no folder"):
        design().save(tmp_path / "missing" / "design.json")
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        design().save(tmp_path)
    assert path.read_bytes() == before


def test_the_default_organisation_is_built_once():
    assert default_organisation() is default_organisation()
    G = default_organisation()
    assert G.graph["teams"] == 6 and G.graph["team_size"] == 8 and G.number_of_nodes() == 51


def test_importing_capstone_does_not_import_matplotlib_or_ipywidgets():
    code = (
        "import sys, senge_course.models.capstone;"
        "print([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
