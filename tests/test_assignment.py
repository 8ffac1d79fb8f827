"""Instructor settings: the scenario file validates, round-trips, changes the assignment, varies per student."""

import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senge_course import files
from senge_course.models import capstone
from senge_course.models.assignment import (
    DEFAULT,
    SCHEMA,
    SHOCK_FIELDS,
    SHOCKS,
    VARIANT_SURGE_SPREAD,
    VERSION,
    Assignment,
    for_student,
    student_seed,
)
from senge_course.models.budget import BUDGET, FEASIBLE, PRICES
from senge_course.models.capability import COMMITMENT
from senge_course.models.coupled import COUPLINGS
from senge_course.models.leadership import Levers
from senge_course.models.plan import Plan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "assignments"
MBA, EXEC = EXAMPLES / "mba-default.json", EXAMPLES / "exec-tight-budget.json"


# --------------------------------------------------------------------------- the course's settings


def test_default_is_todays_capstone():
    assert DEFAULT.budget == BUDGET
    assert DEFAULT.price_table == PRICES.defaults()
    assert DEFAULT.coupling_values == COUPLINGS.defaults()
    assert DEFAULT.surge == (capstone.SURGE, capstone.SURGE_WEEKS)
    assert dict(DEFAULT.shock) == {
        "kind": "surge",
        "size": capstone.SURGE,
        "weeks": capstone.SURGE_WEEKS,
    }
    assert DEFAULT.committed_goal == capstone.COMMITTED_GOAL
    assert DEFAULT.goals["required"] == capstone.GOALS
    assert dict(DEFAULT.organisation) == {"seed": capstone.DEFAULT_SEED}
    assert nx.utils.graphs_equal(DEFAULT.graph(), capstone.default_organisation())
    assert DEFAULT.available_budget == BUDGET
    assert DEFAULT.variants is False
    assert DEFAULT == Assignment()


def test_default_reproduces_capstone_runs_and_budget():
    run, ref = DEFAULT.regime_run("command"), capstone.regime_run("command")
    assert (run.climate == ref.climate).all() and run.trapped == ref.trapped
    assert DEFAULT.cost(FEASIBLE).total == pytest.approx(49.5)
    assert DEFAULT.within_budget(FEASIBLE)


# --------------------------------------------------------------------------- the example files


def test_examples_load_and_differ():
    mba, tight = Assignment.load(MBA), Assignment.load(EXEC)
    assert mba == DEFAULT.replace(variants=True, notes=mba.notes)
    assert mba != tight
    for a in (mba, tight):
        assert a.notes and a.summary


def test_examples_change_the_budget_verdict():
    mba, tight = Assignment.load(MBA), Assignment.load(EXEC)
    assert mba.within_budget(FEASIBLE)
    assert not tight.within_budget(FEASIBLE)
    assert tight.available_budget == pytest.approx(48.0)
    assert tight.cost(FEASIBLE).total == pytest.approx(51.0)  # dearer research: 0.15 * 60


def test_the_tight_example_can_be_met_as_its_notes_say():
    """An assignment no design can meet would be a broken file: the notes' design meets it."""
    tight = Assignment.load(EXEC)
    design = capstone.Design(
        Plan("Tight", allocation=(0.15, 0.2, 0.65), integration=1.0),
        levers=Levers(pilot_teams=2, mentoring=1.0, networkers=1),
        regime=COMMITMENT,
    )
    assert tight.cost(design).total == pytest.approx(47.0) and tight.within_budget(design)
    assert tight.assess(design).passed
    assert "at least 47 of the 48 points" in tight.notes


def test_examples_change_goals_organisation_and_couplings():
    mba, tight = Assignment.load(MBA), Assignment.load(EXEC)
    assert (mba.committed_goal, tight.committed_goal) == (0.6, 0.5)
    assert mba.graph().number_of_nodes() == 51
    assert tight.graph().number_of_nodes() == 2 + 4 * 10
    assert tight.coupling_values["mandate_drains_climate"] == 0.8
    assert tight.surge == (capstone.SURGE, capstone.SURGE_WEEKS)  # a cut, not a surge


def test_example_files_are_what_save_writes():
    for path in (MBA, EXEC):
        assert path.read_text(encoding="utf-8") == Assignment.load(path).to_json()


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize(
    "assignment",
    [
        DEFAULT,
        DEFAULT.replace(variants=True, notes="Térm 2 — «groups»"),
        Assignment(
            budget=30.5,
            prices={"research": 40, "mandate": 0},
            organisation={"seed": 3, "teams": 3, "team_size": 5, "p_out": 0.05},
            shock={"kind": "surge", "size": 0.35, "weeks": 12},
            goals={"committed": 0.7, "required": ["integrated cycle", "commitment spreads"]},
            couplings={"trap_starves_learning": 0, "capability_feeds_practice": 2},
        ),
        Assignment(shock={"kind": "networker_leaves"}),
        Assignment(shock={"kind": "budget_cut", "share": 0.5}),
    ],
)
def test_round_trip(tmp_path, assignment):
    path = tmp_path / "assignment.json"
    assignment.save(path)
    assert Assignment.load(path) == assignment
    assert Assignment.from_dict(assignment.to_dict()) == assignment
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data)[:2] == ["schema", "version"]
    assert (data["schema"], data["version"]) == (SCHEMA, VERSION)


def test_missing_fields_take_the_defaults(tmp_path):
    path = tmp_path / "short.json"
    files.write_text(path, files.dumps({"budget": 40}, schema=SCHEMA, version=VERSION))
    assert Assignment.load(path) == DEFAULT.replace(budget=40)


def test_normalised_fields():
    a = Assignment(
        shock={"kind": "surge", "size": 0.3},
        goals={"required": ["integrated cycle", "commitment spreads"]},
    )
    assert dict(a.shock) == {"kind": "surge", "size": 0.3, "weeks": 8.0}
    assert a.goals["required"] == ("commitment spreads", "integrated cycle")
    assert a.goals["committed"] == capstone.COMMITTED_GOAL
    assert dict(Assignment(organisation={"teams": 4}).organisation) == {"seed": 1, "teams": 4}


# --------------------------------------------------------------------------- shocks


def test_every_shock_kind_has_fields_and_a_meaning():
    assert set(SHOCKS) == set(SHOCK_FIELDS) == {"surge", "budget_cut", "networker_leaves"}


def test_surge_shock_is_applied_to_the_regime():
    big = Assignment(shock={"kind": "surge", "size": 0.6, "weeks": 30})
    assert big.surge == (0.6, 30.0)
    calm = DEFAULT.regime_run("commitment")
    stressed = big.regime_run("commitment")
    assert stressed.climate.min() < calm.climate.min()


def test_budget_cut_shrinks_the_budget_only():
    cut = Assignment(budget=50, shock={"kind": "budget_cut", "share": 0.25})
    assert cut.available_budget == pytest.approx(37.5)
    assert cut.budget == 50
    assert cut.surge == (capstone.SURGE, capstone.SURGE_WEEKS)


def test_networker_leaving_is_applied_in_the_leaders_run():
    leaves = Assignment(shock={"kind": "networker_leaves"})
    assert dict(leaves.shock) == {"kind": "networker_leaves", "quarter": 1.0}
    assert leaves.leaves == 3 and DEFAULT.leaves is None  # quarter 1 is round 3
    assert leaves.available_budget == DEFAULT.available_budget
    assert leaves.surge == DEFAULT.surge
    early = Assignment(shock={"kind": "networker_leaves", "quarter": 0}).assess(FEASIBLE)
    late = leaves.assess(FEASIBLE)
    stays = DEFAULT.assess(FEASIBLE)
    assert early.report.leaves == 0 and stays.report.leaves is None
    # losing the networker at the start costs more than losing them after a quarter
    assert early.committed < late.committed < stays.committed
    # the regime and the budget do not see the departure
    assert (early.report.capability.climate == stays.report.capability.climate).all()
    assert "Applied by Assignment.assess" in SHOCKS["networker_leaves"]


def test_the_assignment_changes_the_verdicts():
    """Surge, goals and organisation reach the models through Assignment.assess."""
    hard = Assignment(shock={"kind": "surge", "size": 0.6, "weeks": 40})
    assert hard.assess(FEASIBLE).report.surge == (0.6, 40.0)
    only = Assignment(goals={"committed": 0.9, "required": ["integrated cycle"]})
    report = only.assess(FEASIBLE)
    assert not report.verdicts["commitment spreads"] and report.passed
    assert "the 1 goal set" in report.report.verdict
    small = Assignment(organisation={"seed": 4, "teams": 4})
    assert small.assess(FEASIBLE).report.people == 35


# --------------------------------------------------------------------------- invalid fields

# (field, bad value, the words of the message): the message names the field and the value
INVALID = [
    ("budget", 0, r"budget must be a number > 0, got budget=0"),
    ("budget", -5, r"budget must be a number > 0, got budget=-5"),
    ("budget", "fifty", r"budget must be a number, got budget='fifty'"),
    ("budget", True, r"budget must be a number, got budget=True"),
    ("prices", {"coffee": 1}, r"prices: unknown input 'coffee': the inputs are pilot_team"),
    ("prices", {"research": -1}, r"prices: research must be a number >= 0, got research=-1"),
    ("prices", [1, 2], r"prices must be a JSON object .*got prices=\[1, 2\]"),
    (
        "organisation",
        {"size": 3},
        r"organisation: unknown input 'size': the inputs are seed, teams",
    ),
    ("organisation", {"seed": None}, r"organisation: seed must be a whole number >= 0.*seed=None"),
    ("organisation", {"seed": -1}, r"organisation: seed must be a whole number >= 0.*seed=-1"),
    ("organisation", {"teams": 0}, r"organisation: teams must be a whole number in \[1, 1000\]"),
    ("organisation", {"team_size": 2.5}, r"organisation: team_size must be a whole number"),
    ("organisation", {"p_in": 1.5}, r"organisation: p_in must be a number in \[0, 1\]"),
    ("organisation", {"teams": 1000}, r"organisation: the organisation would have .* people"),
    ("organisation", {"executive_ties": 9}, r"organisation: executive_ties must be at most"),
    ("organisation", "big", r"organisation must be a JSON object .*got organisation='big'"),
    ("shock", {"kind": "flood"}, r"shock: kind must be one of 'surge', .*got kind='flood'"),
    ("shock", {}, r"shock: kind must be one of .*got kind=None"),
    (
        "shock",
        {"kind": "surge", "size": 0},
        r"shock: size must be a number in \(0, 2\], got size=0",
    ),
    (
        "shock",
        {"kind": "surge", "size": 3},
        r"shock: size must be a number in \(0, 2\], got size=3",
    ),
    ("shock", {"kind": "surge", "weeks": 300}, r"shock: weeks must be a number in \(0, 280\]"),
    ("shock", {"kind": "surge", "share": 0.2}, r"shock: a 'surge' shock has no field 'share'"),
    ("shock", {"kind": "budget_cut", "share": 1}, r"shock: share must be a number in \(0, 1\)"),
    (
        "shock",
        {"kind": "networker_leaves", "who": 3},
        r"shock: a 'networker_leaves' shock has no field 'who'; its fields are kind, quarter",
    ),
    ("shock", "surge", r"shock must be a JSON object .*got shock='surge'"),
    ("goals", {"committed": 0}, r"goals: committed must be a number in \(0, 1\], got committed=0"),
    ("goals", {"committed": 1.2}, r"goals: committed must be a number in \(0, 1\]"),
    ("goals", {"stretch": 1}, r"goals: unknown goal setting 'stretch': the settings are"),
    ("goals", {"required": []}, r"goals: required must be a list of one or more of"),
    ("goals", {"required": "integrated cycle"}, r"goals: required must be a list"),
    ("goals", {"required": ["world peace"]}, r"goals: required must be one of .*'world peace'"),
    ("goals", {"required": ["integrated cycle"] * 2}, r"goals: required names a goal twice"),
    ("couplings", {"gravity": 1}, r"couplings: unknown input 'gravity': the inputs are"),
    ("couplings", {"mandate_drains_climate": 2}, r"couplings: mandate_drains_climate must be"),
    ("variants", "yes", r"variants must be true or false, got variants='yes'"),
    ("variants", 1, r"variants must be true or false, got variants=1"),
    ("notes", 3, r"notes must be text, got notes=3"),
    ("notes", "x" * 2001, r"notes must be at most 2,000 characters"),
]


@pytest.mark.parametrize(("name", "value", "message"), INVALID)
def test_invalid_field_is_refused_naming_it(name, value, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Assignment(**{name: value})


@pytest.mark.parametrize(("name", "value", "message"), INVALID)
def test_invalid_file_is_refused_naming_the_file_and_field(tmp_path, name, value, message):
    path = tmp_path / "bad.json"
    files.write_text(path, files.dumps({name: value}, schema=SCHEMA, version=VERSION))
    with pytest.raises(ValueError, match=rf"cannot load the assignment .*bad\.json: {message}"):
        Assignment.load(path)


@pytest.mark.parametrize(("name", "value", "message"), INVALID)
def test_nothing_is_written_for_an_invalid_field(tmp_path, name, value, message):
    path = tmp_path / "new.json"
    with pytest.raises((ValueError, TypeError), match=message):
        Assignment.from_dict({**DEFAULT.to_dict(), name: value}).save(path)
    assert list(tmp_path.iterdir()) == []


def test_invalid_replace_leaves_an_existing_file_as_it_was(tmp_path):
    path = tmp_path / "term.json"
    DEFAULT.save(path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="budget"):
        Assignment.load(path).replace(budget=-1).save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["term.json"]


def test_unknown_field_other_schema_and_version_are_refused(tmp_path):
    path = tmp_path / "a.json"
    files.write_text(path, files.dumps({"budgett": 40}, schema=SCHEMA, version=VERSION))
    with pytest.raises(ValueError, match=r"the fields notes, budget, .*got unknown \['budgett'\]"):
        Assignment.load(path)
    files.write_text(path, files.dumps({}, schema="senge-course/capstone", version=1))
    with pytest.raises(ValueError, match="not a 'senge-course/assignment' file"):
        Assignment.load(path)
    files.write_text(path, files.dumps({}, schema=SCHEMA, version=2))
    with pytest.raises(ValueError, match="this course reads version 1"):
        Assignment.load(path)


def test_cost_needs_a_design():
    with pytest.raises(TypeError, match="design must be a capstone Design"):
        DEFAULT.cost({"pilot_teams": 2})


# --------------------------------------------------------------------------- per-student variants

TERM = DEFAULT.replace(variants=True)


def test_variants_are_deterministic_and_differ():
    ada = for_student(TERM, "Ada Lovelace")
    assert ada == for_student(TERM, "Ada Lovelace")
    assert ada == for_student(TERM, "  ada   LOVELACE ")
    assert ada != for_student(TERM, "Bo Diddley")
    assert ada.variants is False
    assert for_student(ada, "Bo Diddley") is ada  # a variant is a concrete assignment


def test_variant_is_stable_across_machines():
    # SHA-256 of "senge-course/assignment|1|ada lovelace", its first 8 bytes halved: a number
    # that no machine, Python version or PYTHONHASHSEED can change
    assert student_seed("Ada Lovelace") == 7129724714888914012
    ada = for_student(TERM, "Ada Lovelace")
    assert dict(ada.organisation) == {"seed": 7129724714888914012 % 2**32}
    assert dict(ada.shock) == {"kind": "surge", "size": 0.16, "weeks": 8.0}


def test_variants_change_only_the_documented_things():
    names = ["Ada Lovelace", "Bo Diddley", "Chidi Okafor", "Dagny Taggart", "Émile Zola"]
    variants = [for_student(TERM, name) for name in names]
    assert len({v.organisation["seed"] for v in variants}) == len(names)
    for v in variants:
        assert abs(v.shock["size"] - TERM.shock["size"]) <= VARIANT_SURGE_SPREAD + 1e-12
        assert round(v.shock["size"], 2) == v.shock["size"]
        same = ("budget", "prices", "goals", "couplings", "notes")
        assert all(getattr(v, f) == getattr(TERM, f) for f in same)
        assert v.shock["weeks"] == TERM.shock["weeks"]
        assert v.graph().number_of_nodes() == TERM.graph().number_of_nodes()
        assert not nx.utils.graphs_equal(v.graph(), TERM.graph())


def test_variant_keeps_a_non_surge_shock():
    cut = Assignment(shock={"kind": "budget_cut", "share": 0.2}, variants=True)
    v = for_student(cut, "Ada Lovelace")
    assert v.shock == cut.shock
    assert v.organisation["seed"] != cut.organisation["seed"]


def test_variants_reshuffle_with_the_base_seed():
    other = TERM.replace(organisation={"seed": 2})
    assert for_student(other, "Ada Lovelace") != for_student(TERM, "Ada Lovelace")


def test_no_variants_gives_the_assignment_itself():
    assert for_student(DEFAULT, "Ada Lovelace") is DEFAULT
    tight = Assignment.load(EXEC)
    assert for_student(tight, "Ada Lovelace") == tight


@pytest.mark.parametrize(
    ("assignment", "student", "error", "message"),
    [
        (TERM, "", ValueError, r"student must be a name .*got student=''"),
        (TERM, "  ", ValueError, r"student must be a name"),
        (TERM, 42, TypeError, r"student must be the student's name \(text\), got student=42"),
        ({"variants": True}, "Ada", TypeError, r"assignment must be an Assignment"),
    ],
)
def test_for_student_refuses_bad_inputs(assignment, student, error, message):
    with pytest.raises(error, match=message):
        for_student(assignment, student)


@settings(max_examples=40, deadline=None)
@given(name=st.text(min_size=1, max_size=40).filter(lambda t: any(c.isalnum() for c in t)))
def test_any_name_gives_a_valid_variant_that_round_trips(name):
    v = for_student(TERM, name)
    assert v == for_student(TERM, name)
    assert Assignment.from_dict(v.to_dict()) == v
    assert 0 < v.shock["size"] <= 2
    assert abs(v.shock["size"] - TERM.shock["size"]) <= VARIANT_SURGE_SPREAD + 1e-12
