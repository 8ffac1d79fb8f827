"""Tests for senge_course.models.plan (Plan, initiatives, files) and the IntegrationPlanner widget."""

import html
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from senge_course import files
from senge_course.models.capstone import Design
from senge_course.models.diagnosis import diagnose
from senge_course.models.knowledge import BALANCED, Consultants, KnowledgeRun, simulate
from senge_course.models.plan import (
    INITIATIVES,
    LEADERS,
    SCHEMA,
    VERSION,
    Plan,
    PlannedInitiative,
    allocation_from_initiatives,
    rebalance,
    whole_percents,
)
from senge_course.views import IntegrationPlanner


@pytest.fixture(autouse=True)
def _working_folder_is_tmp_path(tmp_path, monkeypatch):
    """The apps' file buttons write only inside the course's working folder: here, the test's."""
    monkeypatch.setenv("SENGE_COURSE_WORKING_FOLDER", str(tmp_path))


SHARES = ("research", "capacity building", "practice")
NAMES = [
    "Atelier 🌱🚀",
    "学習する組織の計画",
    "مجتمع القادة والمتعلمين",
    "קהילת לומדים",
    "👩‍👩‍👧 family plan",
    "Zoë's plan: ü, ß, ñ, e\u0301",
    "**bold** <b>tags</b> | pipes # hash",
    "line one\nline two",
]


def full_plan(name="Our plan"):
    return Plan(
        name,
        allocation=(0.15, 0.25, 0.6),
        integration=0.85,
        horizon=8,
        consultants=Consultants(0.5, start=2, stop_at=10),
        initiatives=[
            "learning-laboratory",
            ("action-research", 3),
            PlannedInitiative("pilot-group", 5),
        ],
    )


def message(app):
    """The app's message as plain text."""
    return html.unescape(app.message.value)


def percents(app):
    return [app.controls[a].value for a in SHARES]


# ===================================================================== the catalogue


def test_the_catalogue_covers_every_activity_and_every_kind_of_leader():
    assert len(INITIATIVES) >= 6
    assert {i.activity for i in INITIATIVES.values()} == set(SHARES)
    assert {i.leader for i in INITIATIVES.values()} == set(LEADERS)
    for key, i in INITIATIVES.items():
        assert i.key == key and i.name and i.description
        assert isinstance(i.effort, int) and 0 < i.effort <= 20
    for name in (
        "learning-laboratory",
        "community-of-practice",
        "action-research",
        "mentoring-pairs",
        "pilot-group",
        "networkers-forum",
        "after-action-reviews",
    ):
        assert name in INITIATIVES


def test_the_whole_catalogue_adds_up_to_the_balanced_plan():
    assert allocation_from_initiatives(list(INITIATIVES)) == pytest.approx(BALANCED)
    assert allocation_from_initiatives([]) == (0.0, 0.0, 1.0)
    assert allocation_from_initiatives(["pilot-group", "after-action-reviews"]) == (0.0, 0.0, 1.0)


def test_initiatives_cannot_take_more_than_all_the_effort():
    with pytest.raises(ValueError, match=r"more than all the effort together: 60 \+ 50 = 110"):
        allocation_from_initiatives(["action-research"] * 6 + ["learning-laboratory"] * 5)


def test_a_plan_groups_its_initiatives_by_activity_and_leader():
    plan = full_plan()
    assert plan.initiative_effort() == {"research": 10, "capacity building": 10, "practice": 10}
    grouped = plan.leaders()
    assert grouped["local line leader"] == [
        "Action-research project with a university",
        "Pilot group",
    ]
    assert grouped["executive leader"] == ["Learning laboratory"]
    assert grouped["internal networker"] == []


# ===================================================================== the Plan object


def test_a_plan_projects_and_diagnoses_itself_with_the_model():
    plan = full_plan()
    run = plan.simulate()
    assert isinstance(run, KnowledgeRun) and run.quarters == plan.quarters == 32
    expected = simulate((0.15, 0.25, 0.6), 0.85, quarters=32, consultants=plan.consultants)
    assert run.total == pytest.approx(expected.total)
    assert plan.diagnose() == diagnose((0.15, 0.25, 0.6), 0.85, consultants=plan.consultants)


def test_a_plan_is_frozen_and_replace_checks_the_change():
    plan = full_plan()
    with pytest.raises(AttributeError):
        plan.name = "other"
    assert plan.replace(integration=0.2).integration == 0.2
    with pytest.raises(ValueError, match="integration must be a number in"):
        plan.replace(integration=2)


def test_a_plan_accepts_an_allocation_mapping_and_defaults_to_the_firm_as_it_is():
    plan = Plan("x", allocation={"research": 0.2, "capacity_building": 0.2, "practice": 0.6})
    assert plan.allocation == BALANCED
    default = Plan("x")
    assert (default.allocation, default.integration, default.horizon) == ((0.0, 0.0, 1.0), 0.25, 10)
    assert default.consultants is None and default.initiatives == ()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"name": ""}, ValueError, r"name must contain at least one character that is not a space"),
        ({"name": " \t\n"}, ValueError, r"not a space"),
        ({"name": 42}, TypeError, r"name must be text, got name=42"),
        ({"name": "x" * 201}, ValueError, r"name must be at most 200 characters, got 201"),
        ({"name": "bad \ud800 half"}, ValueError, r"lone surrogate"),
        ({"allocation": (0.5, 0.5, 0.5)}, ValueError, r"must sum to 1"),
        ({"allocation": (-0.2, 0.2, 1.0)}, ValueError, r"research share must not be negative"),
        ({"allocation": (float("nan"), 0.5, 0.5)}, ValueError, r"must be a finite number"),
        ({"allocation": {"research": 1.0}}, ValueError, r"allocation must have the keys research"),
        ({"integration": -0.5}, ValueError, r"integration must be a number in \[0, 1\]"),
        ({"horizon": 0}, ValueError, r"horizon must be a whole number in \[1, 25\], got horizon=0"),
        ({"horizon": 26}, ValueError, r"horizon must be a whole number in \[1, 25\]"),
        ({"horizon": 2.5}, TypeError, r"horizon must be a whole number"),
        ({"consultants": "yes"}, TypeError, r"consultants must be None or Consultants"),
        ({"consultants": Consultants(1, start=40)}, ValueError, r"must start within the run"),
        ({"initiatives": ["time-machine"]}, ValueError, r"there is no initiative 'time-machine'"),
        ({"initiatives": [("pilot-group", 41)]}, ValueError, r"starts in quarter 41, after"),
        ({"initiatives": [("pilot-group", 0)]}, ValueError, r"start must be a whole number"),
        ({"initiatives": [42]}, TypeError, r"each initiative must be a key"),
        ({"initiatives": "pilot-group"}, TypeError, r"initiatives must be a list"),
        ({"initiatives": ["pilot-group"] * 101}, ValueError, r"at most 100 initiatives"),
    ],
)
def test_bad_plans_are_refused(kwargs, error, match):
    fields = {"name": "Ours", **kwargs}
    with pytest.raises(error, match=match):
        Plan(**fields)


# ===================================================================== JSON files


@pytest.mark.parametrize("name", NAMES)
def test_any_unicode_name_round_trips(tmp_path, name):
    plan = full_plan(name)
    path = tmp_path / "plan.json"
    plan.save(path)
    assert Plan.load(path) == plan
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["name"] == name and data["schema"] == SCHEMA and data["version"] == VERSION


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
    a=st.integers(0, 100),
    b=st.integers(0, 100),
    integration=st.floats(0.0, 1.0),
    horizon=st.integers(1, 25),
    spend=st.none() | st.floats(0.01, 5.0),
    keys=st.lists(st.sampled_from(sorted(INITIATIVES)), max_size=12),
)
def test_plans_round_trip_through_json(name, a, b, integration, horizon, spend, keys):
    low, high = sorted((a, b))
    shares = (low / 100, (high - low) / 100, (100 - high) / 100)
    consultants = None if spend is None else Consultants(spend, stop_at=horizon * 4)
    starts = [(key, 1 + n % (4 * horizon)) for n, key in enumerate(keys)]
    plan = Plan(name, shares, integration, horizon, consultants, starts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        plan.save(path)
        assert Plan.load(path) == plan
    assert Plan.from_dict(json.loads(plan.to_json())) == plan


def test_the_file_is_readable_json_with_schema_and_version(tmp_path):
    path = tmp_path / "plan.json"
    full_plan("Équipe 🌱").save(path)
    text = path.read_text(encoding="utf-8")
    assert "Équipe 🌱" in text  # written as UTF-8, not \u escapes
    data = json.loads(text)
    assert data == {
        "schema": "senge-course/plan",
        "version": 1,
        "name": "Équipe 🌱",
        "allocation": {"research": 0.15, "capacity_building": 0.25, "practice": 0.6},
        "integration": 0.85,
        "horizon_years": 8,
        "consultants": {"spend": 0.5, "start": 2, "stop_at": 10},
        "initiatives": [
            {"key": "learning-laboratory", "start": 1},
            {"key": "action-research", "start": 3},
            {"key": "pilot-group", "start": 5},
        ],
    }


def test_saving_over_a_plan_replaces_it(tmp_path):
    path = tmp_path / "plan.json"
    full_plan("first").save(path)
    full_plan("second").save(path)
    assert Plan.load(path).name == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
def test_a_failed_save_leaves_the_good_file_intact(tmp_path, monkeypatch, failing):
    path = tmp_path / "plan.json"
    good = full_plan("the good one")
    good.save(path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    if failing == "write":
        real = os.fdopen
        monkeypatch.setattr(files.os, "fdopen", lambda fd, *a, **k: _FailingFile(real(fd, *a, **k)))
    else:
        monkeypatch.setattr(files.os, failing, boom)
    with pytest.raises(OSError, match=f"cannot save the plan to {path}: disk full"):
        full_plan("the new one").save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert Plan.load(path) == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # no temporary file left


class _FailingFile:
    """A file that fails half-way through writing (after writing part of the text)."""

    def __init__(self, fh):
        self._fh = fh

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def write(self, text):
        self._fh.write(text[: len(text) // 2])
        raise OSError("disk full")


def test_a_plan_that_cannot_be_serialised_never_touches_the_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    full_plan().save(path)
    before = path.read_bytes()
    monkeypatch.setattr(Plan, "to_json", lambda self: (_ for _ in ()).throw(ValueError("no")))
    with pytest.raises(ValueError, match="no"):
        full_plan("other").save(path)
    assert path.read_bytes() == before


def _write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _valid_text():
    return full_plan().to_json()


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (
            lambda: _valid_text()[: len(_valid_text()) // 2],
            r"not valid JSON: it ends too early \(truncated\?\)",
        ),
        (lambda: _valid_text()[:-3], r"truncated"),
        (lambda: "this is not JSON", r"not valid JSON: Expecting value at line 1, column 1"),
        (lambda: '{"schema": "senge-course/plan",, }', r"not valid JSON: .* at line 1"),
        (lambda: b"\xff\xfe\x00binary", r"not a plan file \(not UTF-8 text\)"),
        (lambda: "", r"the file is empty"),
        (lambda: "[1, 2, 3]", r"it is not a plan file \(expected a JSON object\)"),
        (lambda: "[" * 100_000, r"nested too deeply|not valid JSON"),
        (
            lambda: _valid_text().replace('"version": 1', '"version": 2'),
            r"it has version 2; this course reads version 1",
        ),
        (lambda: _valid_text().replace('"version": 1', '"version": 0'), r"it has version 0"),
        (lambda: _valid_text().replace('"version": 1', '"version": "1"'), r"it has version '1'"),
        (
            lambda: _valid_text().replace("senge-course/plan", "other/plan"),
            r"it is a 'other/plan' file, not a 'senge-course/plan' file",
        ),
        (
            lambda: '{"schema": "senge-course/plan", "version": 1}',
            r"got missing \['name', 'allocation'",
        ),
        (lambda: _valid_text().replace('"name"', '"colour": 1, "name"'), r"unknown \['colour'\]"),
        (lambda: _valid_text().replace('"practice": 0.6', '"practice": 0.7'), r"must sum to 1"),
        (
            lambda: _valid_text().replace("pilot-group", "time-machine"),
            r"no initiative 'time-machine'",
        ),
        (
            lambda: _valid_text().replace('"stop_at": 10', '"stop_at": 1'),
            r"stop_at must be a whole number of quarters after start=2",
        ),
        (
            lambda: _valid_text().replace('"stop_at": 10', '"until": 10'),
            r"consultants must be null or an object",
        ),
        (
            lambda: _valid_text().replace('"horizon_years": 8', '"horizon_years": 800'),
            r"horizon must be a whole number",
        ),
        (lambda: _valid_text().replace('"name": "Our plan"', '"name": null'), r"name must be text"),
        (
            lambda: _valid_text().replace('"start": 5', '"when": 5'),
            r"each initiative must be an object with key and start",
        ),
    ],
)
def test_bad_files_are_refused_with_the_file_named(tmp_path, content, match):
    path = _write(tmp_path / "bad plan 🌱.json", content())
    with pytest.raises(ValueError, match=match) as info:
        Plan.load(path)
    assert str(info.value).startswith(f"cannot load the plan {path}: ")


def test_an_enormous_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(files.MAX_BYTES + 1)  # sparse: quick to make
    with pytest.raises(ValueError, match=r"huge.json: it is too large \(over 20,000,000 bytes"):
        Plan.load(path)


def test_saving_into_a_missing_folder_or_over_a_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"plan.json: there is no folder .*nowhere"):
        full_plan().save(tmp_path / "nowhere" / "plan.json")
    with pytest.raises(IsADirectoryError, match=r"cannot save the plan to .*: it is a folder"):
        full_plan().save(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"cannot save the Markdown plan to"):
        full_plan().export_markdown(tmp_path / "nowhere" / "plan.md")
    assert full_plan().export_markdown(tmp_path / "plan.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("document", [Plan, Design])
def test_a_missing_file_or_a_folder_is_named(tmp_path, document):
    what = document.WHAT  # plans and capstone designs share their file handling
    with pytest.raises(
        FileNotFoundError, match=rf"cannot load the {what} .*nowhere.json: there is no such file"
    ):
        document.load(tmp_path / "nowhere.json")
    with pytest.raises(ValueError, match="it is a folder, not a file"):
        document.load(tmp_path)


def test_loading_a_bad_file_leaves_the_saved_plan_intact(tmp_path):
    good = tmp_path / "good.json"
    full_plan().save(good)
    bad = _write(tmp_path / "bad.json", "{")
    with pytest.raises(ValueError):
        Plan.load(bad)
    assert Plan.load(good) == full_plan()


# ===================================================================== Markdown


def test_the_markdown_plan_has_everything_an_instructor_needs():
    text = full_plan("Atelier 🌱").to_markdown()
    assert text.startswith("# Atelier 🌱\n")
    for expected in [
        "| Research | 15% | 10 points |",
        "| Capacity building | 25% | 10 points |",
        "| Practice | 60% | the rest |",
        "**Integration:** 0.85 (tightly coupled",
        "**Consultants:** capability worth 0.50 of the firm's own, rented from quarter 3 until "
        "quarter 10",
        "| Research | Action-research project with a university | local line leader | 10 points "
        "| quarter 3 |",
        "| Capacity building | Learning laboratory | executive leader | 10 points | quarter 1 |",
        "- Local line leaders: Action-research project with a university; Pilot group",
        "- Internal networkers: **none**",
        "No initiative engages internal networkers",
        "## Projection",
        "**Results over 8 years (32 quarters):**",
        "**Cumulative results overtake all practice:**",
        "## Diagnosis: ",
        "schema senge-course/plan, version 1",
    ]:
        assert expected in text, expected
    d = full_plan().diagnose()
    assert d.title in text and d.explanation in text
    run = full_plan().simulate()
    assert f"{run.total:.1f}, against 32.0 for all practice" in text


def test_the_markdown_diagnosis_follows_the_plan():
    text = Plan("Fire", allocation=(0, 0, 1), horizon=1).to_markdown()
    assert "## Diagnosis: Firefighting" in text and "No initiatives yet." in text
    assert "projected over 1 year (4 quarters)" in text


def test_markdown_escapes_the_name_and_keeps_it_on_one_line():
    text = Plan("**bold** <b>x</b> | y\nsecond line").to_markdown()
    assert text.splitlines()[0] == r"# \*\*bold\*\* \<b\>x\</b\> \| y second line"
    assert Plan("مجتمع القادة").to_markdown().splitlines()[0] == "# مجتمع القادة"


# ===================================================================== the widget


@pytest.fixture
def app():
    return IntegrationPlanner()


def test_the_planner_opens_on_a_balanced_but_fragmented_plan(app):
    assert percents(app) == [20, 20, 60]
    assert isinstance(app.result, KnowledgeRun) and isinstance(app.plan, Plan)
    assert app.result.allocation == pytest.approx(BALANCED)
    assert app.diagnosis.mode == "fragmented"
    assert app.plan.name == "My plan" and app.diagnosis.title.startswith("Fragmented")
    assert app.figure_state()["summary"] == app.result.summary
    assert 'alt="Research 20%, capacity building 20%, practice 60%' in app.figure_view.value


def test_the_planner_is_registered_with_the_widget_apps():
    import senge_course.views as w

    assert "IntegrationPlanner" in w.__all__ and w.IntegrationPlanner is IntegrationPlanner


def test_integration_changes_the_projection_and_the_diagnosis(app):
    app.controls["integration"].value = 1.0
    assert app.result.integration == 1.0 and app.diagnosis.mode == "integrated"
    assert app.result.total == pytest.approx(simulate(BALANCED, 1.0).total)
    assert app.plan.integration == 1.0


@pytest.mark.parametrize(
    ("moved", "value", "expected"),
    [
        ("research", 30, [30, 20, 50]),
        ("research", 100, [100, 0, 0]),
        ("research", 0, [0, 20, 80]),
        ("research", 90, [90, 10, 0]),
        ("capacity building", 75, [20, 75, 5]),
        ("capacity building", 100, [0, 100, 0]),
        ("practice", 100, [0, 0, 100]),
        ("practice", 0, [50, 50, 0]),
        ("practice", 80, [10, 10, 80]),
        ("practice", 51, [24, 25, 51]),  # 24.5 rounds to even
    ],
)
def test_one_slider_move_rebalances_the_others(app, moved, value, expected):
    app.controls[moved].value = value
    assert percents(app) == expected
    assert app.result.allocation == pytest.approx(tuple(v / 100 for v in expected))


def test_moving_practice_keeps_the_others_proportions(app):
    app.controls["research"].value = 30  # 30 / 20 / 50
    app.controls["capacity building"].value = 10  # 30 / 10 / 60
    app.controls["practice"].value = 40
    assert percents(app) == [45, 15, 40]


@settings(max_examples=200, deadline=None)
@given(moves=st.lists(st.tuples(st.sampled_from(SHARES), st.integers(0, 100)), max_size=25))
def test_shares_always_sum_to_100_after_any_moves(moves):
    values = {"research": 20, "capacity building": 20, "practice": 60}
    for moved, value in moves:
        values = rebalance(moved, values | {moved: value})
        assert sum(values.values()) == 100 and all(0 <= v <= 100 for v in values.values())
        assert values[moved] == value and list(values) == list(SHARES)
        assert whole_percents(tuple(v / 100 for v in values.values())) == list(values.values())


def test_the_app_shows_what_rebalance_says(app):
    for moved, value in (("practice", 51), ("research", 90), ("capacity building", 3)):
        expected = rebalance(moved, dict(zip(SHARES, percents(app), strict=True)) | {moved: value})
        app.controls[moved].value = value
        assert percents(app) == list(expected.values())
        assert app.result.allocation == pytest.approx(tuple(v / 100 for v in percents(app)))
        assert sum(app.plan.allocation) == pytest.approx(1.0)


@pytest.mark.parametrize("moved", SHARES)
@pytest.mark.parametrize("value", [0, 1, 99, 100])
def test_rebalance_keeps_the_sum_at_the_extremes(moved, value):
    for start in ([0, 0, 100], [100, 0, 0], [0, 100, 0], [33, 33, 34], [1, 0, 99]):
        current = dict(zip(SHARES, start, strict=True)) | {moved: value}
        result = rebalance(moved, current)
        assert sum(result.values()) == 100 and result[moved] == value
        assert all(0 <= v <= 100 for v in result.values())


def test_only_model_inputs_rerun_the_model(app, tmp_path):
    run = app.result
    app.controls["name"].value = "Renamed 🌱"
    app.add_initiative("pilot-group")
    app.remove_initiative(0)
    app.controls["filename"].value = str(tmp_path / "x.json")
    app.save()
    app.export_markdown()
    app.controls["initiative"].value = "mentoring-pairs"
    assert app.result is run and app.plan.name == "Renamed 🌱"
    for control, value in (("research", 25), ("integration", 0.5), ("horizon", 5)):
        app.controls[control].value = value
        assert app.result is not run
        run = app.result
    app.controls["consultants"].value = True
    assert app.result.consultants == Consultants(0.5, stop_at=8)
    app.controls["consultants"].value = False
    run = app.result
    app.controls["spend"].value = 0.7  # no consultants: their settings do not change the model
    assert app.result is run and run.consultants is None


def test_slider_moves_redraw_the_figure(app):
    before = app.figure_view.value
    app.controls["integration"].value = 0.3
    assert app.figure_view.value != before
    assert app.figure_state()["axes"][0]["lines"]["your plan"][1][1:] == list(app.result.results)
    app.controls["horizon"].value = 3
    assert [ax["xlim"] for ax in app.figure_state()["axes"]] == [(0.0, 12.0)] * 3


def test_consultants_show_their_effect(app):
    c = app.controls
    assert c["spend"].disabled
    c["practice"].value = 100
    c["consultants"].value = True
    c["spend"].value = 0.5
    c["stop at"].value = 8
    assert not c["spend"].disabled
    assert app.result.consultants == Consultants(0.5, start=0, stop_at=8)
    assert app.diagnosis.mode == "consulting dependency"
    assert app.result.results[8:].min() < 1.0 < app.result.results[:8].max()
    assert "shaded band marks the quarters the consultants are paid" in app.figure_view.summary
    c["hire at"].value = 9  # after the stop: the stop moves on
    assert c["stop at"].value == 10 and app.result.consultants.start == 9
    c["stop at"].value = 40  # paying to the end of the horizon: never stops
    assert app.result.consultants.stop_at is None
    c["stop at"].value = 3  # before the hire: the hire moves back
    assert c["hire at"].value == 2


def test_the_horizon_sets_the_projection_and_the_quarter_ranges(app):
    app.controls["horizon"].value = 2
    assert app.result.quarters == 8 and app.plan.horizon == 2
    assert app.controls["stop at"].max == 8 and app.controls["hire at"].max == 7
    assert app.controls["initiative start"].max == 8


def test_a_shorter_horizon_drops_initiatives_that_start_after_it(app):
    app.add_initiative("pilot-group", 1)
    app.add_initiative("learning-history", 30)
    app.controls["horizon"].value = 5
    assert [i.key for i in app.plan.initiatives] == ["pilot-group"]
    assert "removed Learning history: they started after the new horizon" in message(app)


def test_initiatives_are_added_listed_and_removed(app):
    app.controls["initiative"].value = "learning-laboratory"
    app.controls["initiative start"].value = 3
    app.controls["add"].click()
    app.add_initiative("networkers-forum")
    labels = [label for label, _ in app.controls["initiatives"].options]
    assert labels == [
        "1. Learning laboratory \u2014 capacity building, executive leader, from quarter 3",
        "2. Internal networkers' forum \u2014 practice, internal networker, from quarter 1",
    ]
    assert app.plan.initiatives == (
        PlannedInitiative("learning-laboratory", 3),
        PlannedInitiative("networkers-forum", 1),
    )
    assert "The timeline shows 2 initiatives, led by executive leader, internal networker" in (
        app.figure_view.summary
    )
    assert app.plan.initiative_effort() == {"research": 0, "capacity building": 10, "practice": 5}
    app.controls["initiatives"].value = 0
    app.controls["remove"].click()
    assert [i.key for i in app.plan.initiatives] == ["networkers-forum"]


@pytest.mark.parametrize(
    ("action", "match"),
    [
        (lambda a: a.remove_initiative(), "select an initiative in the list first"),
        (lambda a: a.add_initiative("time-machine"), "there is no initiative 'time-machine'"),
        (
            lambda a: a.add_initiative("pilot-group", 41),
            "would start in quarter 41, after the horizon",
        ),
        (lambda a: a.add_initiative("pilot-group", 0), "start must be a whole number"),
        (lambda a: a.set_plan("plan"), "plan must be a Plan"),
    ],
)
def test_bad_initiative_actions_show_a_message(app, action, match):
    before = app.plan
    action(app)
    assert "Cannot do that:" in message(app) and match in message(app)
    assert app.plan == before


def test_removing_by_index_checks_the_index(app):
    app.add_initiative("pilot-group")
    app.remove_initiative(3)
    assert "index must be a whole number from 0 to 0, got index=3" in message(app)
    assert len(app.plan.initiatives) == 1


def test_shares_can_follow_the_initiatives(app):
    for key in ("action-research", "learning-history", "learning-laboratory", "pilot-group"):
        app.add_initiative(key)
    app.controls["match"].click()
    assert percents(app) == [15, 10, 75]


def test_a_blank_name_shows_a_message_and_keeps_the_last_plan(app):
    app.controls["name"].value = "Kept"
    app.controls["name"].value = "   "
    assert "name must contain at least one character" in message(app)
    assert app.plan.name == "Kept"
    app.controls["integration"].value = 0.9  # the projection still follows the controls
    assert app.result.integration == 0.9 and app.plan.name == "Kept"
    app.controls["name"].value = "Fixed"
    assert app.message.value == "" and app.plan.name == "Fixed" and app.plan.integration == 0.9


def test_save_load_and_export_through_the_buttons(app, tmp_path):
    path = tmp_path / "学習 plan.json"
    c = app.controls
    c["name"].value = "Équipe 🌱"
    c["integration"].value = 0.8
    c["research"].value = 15
    app.add_initiative("mentoring-pairs", 2)
    c["filename"].value = str(path)
    c["save"].click()
    assert f"saved the plan to {path}" in message(app)
    saved = app.plan
    assert Plan.load(path) == saved
    c["export"].click()
    markdown = path.with_suffix(".md")
    assert markdown.read_text(encoding="utf-8").startswith("# Équipe 🌱")
    assert "exported the plan as Markdown" in message(app)

    other = IntegrationPlanner(filename=str(path))
    other.controls["load"].click()
    assert other.plan == saved and percents(other) == [15, 20, 65]
    assert other.result.total == pytest.approx(app.result.total)
    assert f"loaded the plan from {path}" in message(other)
    assert [i.key for i in other.plan.initiatives] == ["mentoring-pairs"]


def test_a_bad_file_shows_a_message_and_changes_nothing(app, tmp_path):
    bad = _write(tmp_path / "bad.json", "{ not json")
    before, run = app.plan, app.result
    assert app.load(bad) is None
    assert "Cannot do that:" in message(app)
    assert f"cannot load the plan {bad}: it is not valid JSON" in message(app)
    assert app.plan == before and app.result is run


@pytest.mark.parametrize(
    ("filename", "match"),
    [
        ("", "type a file name first"),
        ("   ", "type a file name first"),
        ("no/such/folder/plan.json", "no/such/folder/plan."),
    ],
)
def test_file_errors_show_a_message_not_a_traceback(app, filename, match, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app.controls["filename"].value = filename
    for button in ("save", "load", "export"):
        app.controls[button].click()
        assert "Cannot do that:" in message(app) and match in message(app)


def test_a_failed_save_through_the_app_keeps_the_old_file(app, tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    app.save(path)
    before = path.read_bytes()
    app.controls["integration"].value = 0.95
    monkeypatch.setattr(files.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    app.save(path)
    assert "Cannot do that:" in message(app) and "disk full" in message(app)
    monkeypatch.undo()
    assert path.read_bytes() == before


def test_loading_a_plan_with_fractional_shares_rounds_them(tmp_path):
    path = tmp_path / "thirds.json"
    Plan("Thirds", allocation=(1 / 3, 1 / 3, 1 / 3), integration=1.0).save(path)
    app = IntegrationPlanner()
    app.load(path)
    assert percents(app) == [33, 33, 34]
    assert "rounded to whole percentage points" in message(app)


def test_loading_a_shorter_plan_replaces_the_initiatives_quietly(app, tmp_path):
    app.add_initiative("learning-history", 30)
    path = tmp_path / "short.json"
    Plan("Short", horizon=2, consultants=Consultants(4.5), initiatives=["pilot-group"]).save(path)
    plan = app.load(path)
    assert app.plan == plan and "removed" not in message(app)
    assert app.result.consultants == Consultants(4.5)


def test_a_plan_given_to_the_app_is_shown(tmp_path):
    plan = full_plan("Given")
    app = IntegrationPlanner(plan)
    assert app.plan == plan
    assert percents(app) == [15, 25, 60]
    assert app.controls["consultants"].value and app.controls["hire at"].value == 2
    assert app.result.consultants == plan.consultants and app.result.quarters == 32
    with pytest.raises(TypeError, match="plan must be a Plan or None"):
        IntegrationPlanner("plan")


# ===================================================================== import cost


# ===================================================================== assumptions


def test_the_assumptions_section_holds_the_calibrated_constants_and_the_claims(app):
    from senge_course.models.claims import for_app
    from senge_course.models.knowledge import CALIBRATION
    from senge_course.views.planner import CONSTANTS

    folded = [
        w for w in app.children[0].children[1].children if w.__class__.__name__ == "Accordion"
    ]
    assert len(folded) == 1 and folded[0].titles == ("Assumptions",)
    assert folded[0].selected_index is None  # folded until the learner opens it
    assert "calibrated, not estimated" in folded[0].children[0].children[0].value
    for name in CONSTANTS:
        control, spec = app.controls[name], CALIBRATION[name]
        assert (control.min, control.max, control.step) == pytest.approx(spec.control_range())
        assert control.value == spec.default and control.description == f"{spec.label}:"
    assert list(app.assumptions.claims) == [c.key for c in for_app("IntegrationPlanner")]


def test_a_constant_reruns_the_model_and_says_so(app):
    app.controls["integration"].value = 1.0
    assert round(app.result.total, 1) == 59.9 and "Constants changed" not in app.figure_view.summary
    app.controls["max_capability"].value = 1.5
    assert round(app.result.total, 1) == 36.8 and app.constants()["max_capability"] == 1.5
    assert (
        "Constants changed from their calibration: max_capability 1.5."
        in (app.figure_state()["summary"])
    )
    assert "max_capability 1.5" in app.diagnosis.explanation
    assert app.plan.integration == 1.0  # the plan file holds the plan, not the calibration
    app.controls["consultant_time"].value = 0.25  # a short time constant: a finer time step
    assert app.result.dt == 0.0625 and "Cannot do that" not in app.message.value


def test_apply_moves_the_planner_to_a_claims_setting(app):
    app.add_initiative("pilot-group", 20)
    app.controls["name"].value = "Ours"
    app.apply(
        {"allocation": (0.0, 0.0, 1.0), "consultants": 0.5, "stop_at": 8, "consultant_time": 12.0}
    )
    run = app.result
    assert run.allocation == (0.0, 0.0, 1.0) and run.consultants == Consultants(0.5, stop_at=8)
    assert app.constants()["consultant_time"] == 12.0 and app.plan.name == "Ours"
    assert [i.key for i in app.plan.initiatives] == ["pilot-group"]
    app.apply({"years": 1, "integration": 1.0})  # back to the opening plan, then the changes
    assert app.result.quarters == 4 and app.result.consultants is None
    assert app.result.allocation == pytest.approx(BALANCED) and app.plan.initiatives == ()
    assert app.constants()["consultant_time"] == 1.0


def test_the_assumptions_buttons_move_the_planner(app):
    app.assumptions.show_counterexample("cycle.integration-pays")
    assert round(app.result.total, 1) == 36.8 and app.result.integration == 1.0
    assert "Fails:" in app.assumptions.status.value
    app.assumptions.show_default()
    assert round(app.result.total, 1) == 29.8 and app.constants()["max_capability"] == 3.0


def test_the_models_do_not_import_matplotlib_or_ipywidgets():
    code = (
        "import sys, senge_course, senge_course.models.knowledge, senge_course.models.plan\n"
        "heavy = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
