"""Tests for the CapstoneDashboard app (lesson 08), without a browser: set a control's value,
assert on the report, the summary, the figure and the messages."""

import html
import json

import pytest

from senge_course.models.assignment import Assignment
from senge_course.models.budget import BUDGET, FEASIBLE
from senge_course.models.capability import COMMAND, COMMITMENT
from senge_course.models.capstone import GOALS, Design, assess
from senge_course.models.coupled import COUPLINGS, OFF, assess_coupled
from senge_course.models.knowledge import BALANCED, Consultants
from senge_course.models.leadership import SCENARIOS, Levers
from senge_course.models.memo import THREATS_HEADING
from senge_course.models.plan import Plan
from senge_course.views import CapstoneDashboard as Exported
from senge_course.views import capstone as module
from senge_course.views.capstone import CapstoneDashboard


@pytest.fixture(autouse=True)
def _working_folder_is_tmp_path(tmp_path, monkeypatch):
    """The apps' file buttons write only inside the course's working folder: here, the test's."""
    monkeypatch.setenv("SENGE_COURSE_WORKING_FOLDER", str(tmp_path))


@pytest.fixture
def app():
    return CapstoneDashboard()


def image(app):
    return app.view.value.split('alt="')[0]


def message(app):
    return html.unescape(app.message.value)


def axes(app):
    return app.figure_state()["axes"]


def make_good(app):
    app.set_levers("all three")
    app.controls["preset"].value = "commitment"
    app.controls["research"].value = 20
    app.controls["capacity building"].value = 20
    app.controls["integration"].value = 1.0


def test_exported_from_the_widgets_package():
    assert Exported is CapstoneDashboard
    assert "CapstoneDashboard" in module.__all__


def test_opens_on_command_and_control(app):
    r, c = app.result, app.coupled
    assert c.levers == SCENARIOS["executives only (mandate)"] and c.regime == COMMAND
    assert c.allocation == (0.0, 0.0, 1.0) and c.integration == 0.25
    # coupled: the mandate raises command's control (0.8) to full control
    assert r.regime == COMMAND.replace(control=1.0)
    assert r.verdicts == dict.fromkeys(GOALS, False)
    assert app.controls["preset"].value == "command"
    assert "Your design meets 0 of the 3 goals; not yet: " in app.result.summary
    assert [ax["texts"][-1] for ax in axes(app)] == ["Not yet"] * 3
    committed = f"{r.committed:.0%}"  # the diffusion model's number, recomputed
    assert app.view.summary.startswith(
        f"Three panels on one axis in quarters. 1: {committed} of people end committed"
    )
    assert "the regime falls into the trap" in app.view.summary
    assert f'alt="{html.escape(app.view.summary, quote=True)}"' in app.view.value


def test_the_result_is_what_assess_coupled_returns_for_the_same_design(app):
    make_good(app)
    coupled = assess_coupled(SCENARIOS["all three"], COMMITMENT, BALANCED, 1.0)
    assert app.result.passed and coupled.passed
    assert app.result.committed == pytest.approx(coupled.committed)
    assert app.result.knowledge.total == pytest.approx(coupled.report.knowledge.total)
    assert app.result.summary == coupled.report.summary
    assert app.coupled.summary == coupled.summary


def test_with_every_coupling_off_the_result_is_what_assess_returns(app):
    make_good(app)
    app.set_couplings(OFF)
    assert not any(app.controls[name].value for name in COUPLINGS)
    direct = assess(*(SCENARIOS["all three"], COMMITMENT, BALANCED, 1.0))
    assert app.result.passed and direct.passed
    assert app.result.committed == pytest.approx(direct.committed)
    assert app.result.knowledge.total == pytest.approx(direct.knowledge.total)
    assert app.result.summary == direct.summary
    assert "Your design meets all three goals." in app.result.summary
    assert [ax["texts"][-1] for ax in axes(app)] == ["Met"] * 3


@pytest.mark.parametrize(
    ("control", "value", "field", "expected"),
    [
        ("pilot_teams", 2, "pilot_teams", 2),
        ("mentoring", 0.5, "mentoring", 0.5),
        ("mandate", 0.0, "mandate", 0.0),
        ("networkers", 3, "networkers", 3),
        ("bridge_width", 1, "bridge_width", 1),
        ("teams_spanned", 3, "teams_spanned", 3),
    ],
)
def test_each_lever_control_sets_its_lever(app, control, value, field, expected):
    before = image(app)
    app.controls[control].value = value
    assert getattr(app.result.levers, field) == expected
    assert getattr(app.design.levers, field) == expected
    # the opening design has no networkers: ties per bridge and teams reached change nothing
    if control not in ("bridge_width", "teams_spanned"):
        assert image(app) != before


def parts(report):
    return report.diffusion, report.capability, report.knowledge, report.diagnosis


def test_a_lever_reruns_only_the_diffusion_when_uncoupled(app):
    app.set_couplings(OFF)
    before = app.result
    app.controls["pilot_teams"].value = 2
    after = app.result
    assert after.diffusion is not before.diffusion
    assert parts(after)[1:] == parts(before)[1:]
    app.controls["pilot_teams"].value = 0  # seen before: from the cache
    assert parts(app.result) == parts(before)


def test_coupled_a_lever_reaches_the_knowledge_cycle_through_commitment(app):
    make_good(app)
    before = app.result
    app.controls["pilot_teams"].value = 1
    after = app.result
    assert after.capability is before.capability  # the regime does not see the pilots
    assert after.committed < before.committed
    assert after.integration < before.integration  # commitment scales integration
    effect = app.coupled.effects["commitment_scales_integration"]
    assert effect.changed and effect.sentence in app._report.value.replace("&#x27;", "'")


def test_a_regime_control_reruns_only_the_capability_trap_and_marks_it_custom(app):
    app.set_couplings(OFF)
    before = app.result
    app.controls["control"].value = 0.4
    assert app.result.capability is not before.capability
    assert app.result.diffusion is before.diffusion and app.result.knowledge is before.knowledge
    assert app.controls["preset"].value == "custom"
    assert app.result.regime == COMMAND.replace(control=0.4)
    assert app.result.survives and not app.result.spreads


def test_the_preset_sets_the_four_levers(app):
    app.controls["preset"].value = "commitment"
    assert [
        app.controls[k].value for k in ("work_harder", "work_smarter", "control", "autonomy")
    ] == [0.25, 0.5, 0.1, 0.9]
    assert app.coupled.regime == COMMITMENT
    app.controls["preset"].value = "custom"  # choosing custom changes nothing
    assert app.coupled.regime == COMMITMENT
    app.controls["control"].value = 0.8
    app.controls["control"].value = 0.1  # back to the preset's value: named again
    assert app.controls["preset"].value == "commitment"


def test_the_shares_stay_linked_and_rerun_only_the_knowledge_cycle(app):
    app.set_couplings(OFF)
    before = app.result
    app.controls["research"].value = 20
    assert [app.controls[a].value for a in ("research", "capacity building", "practice")] == [
        20,
        0,
        80,
    ]
    app.controls["capacity building"].value = 20
    assert app.result.allocation == pytest.approx((0.2, 0.2, 0.6))
    assert parts(app.result)[:2] == parts(before)[:2]
    assert app.result.knowledge.allocation == pytest.approx((0.2, 0.2, 0.6))
    app.controls["integration"].value = 1.0
    assert app.result.diagnosis.mode == "integrated"
    assert app.design.plan.allocation == pytest.approx((0.2, 0.2, 0.6))
    assert app.design.plan.integration == 1.0


def test_the_knowledge_axis_grows_with_the_results(app):
    make_good(app)
    top = axes(app)[2]["ylim"][1]
    assert top >= app.result.knowledge.results.max()
    assert axes(app)[2]["lines"]["your plan"][1][1:] == list(app.result.knowledge.results)


def test_verdict_labels_in_the_figure_are_text(app):
    assert [ax["texts"][-1] for ax in axes(app)] == ["Not yet"] * 3
    make_good(app)
    assert [ax["texts"][-1] for ax in axes(app)] == ["Met"] * 3


def test_compliance_line_only_when_there_is_compliance(app):
    assert "compliant (mean)" in axes(app)[0]["lines"]
    app.controls["mandate"].value = 0.0
    assert "compliant (mean)" not in axes(app)[0]["lines"]


def test_a_bad_name_keeps_the_last_valid_design(app):
    app.controls["name"].value = "Ours"
    assert app.design.plan.name == "Ours"
    app.controls["name"].value = "   "
    assert "name must contain at least one character" in message(app)
    assert "keeps its last valid name" in message(app)
    assert app.design.plan.name == "Ours"
    app.controls["name"].value = "Ours again"
    assert message(app) == "" and app.design.plan.name == "Ours again"


def test_set_levers_refuses_bad_levers_with_a_message(app):
    app.set_levers({"pilot_teams": 2, "hope": 1})
    assert "levers has no field(s) hope" in message(app)
    app.set_levers(Levers(pilot_teams=7))
    assert "pilot_teams must be at most the number of teams (6), got pilot_teams=7" in message(app)
    app.set_levers(Levers(teams_spanned=6))
    assert "teams_spanned must be at most the number of other teams (5)" in message(app)
    assert app.result.levers == SCENARIOS["executives only (mandate)"]


def test_set_design_refuses_what_is_not_a_design(app):
    app.set_design("all three")
    assert "design must be a Design, got str" in message(app)
    with pytest.raises(TypeError, match="design must be a Design or None, got dict"):
        CapstoneDashboard({})


def test_a_design_keeps_its_hidden_fields_and_initiatives():
    plan = Plan("Ours", allocation=(0.15, 0.25, 0.6), integration=0.8, initiatives=["pilot-group"])
    levers = {"pilot_teams": 2, "pilot_share": 0.5, "mandate_rounds": 4, "networkers": 12}
    plan = plan.replace(consultants=Consultants(0.2, stop_at=4))
    design = Design(plan, levers=levers, regime=COMMITMENT.replace(erosion_time=60))
    app = CapstoneDashboard(design)
    assert app.controls["networkers"].value == 12
    assert app.design == design
    assert app.result.consultants == Consultants(0.2, stop_at=4)
    assert app.controls["preset"].value == "custom"
    app.controls["pilot_teams"].value = 3
    assert app.design.levers.pilot_share == 0.5 and app.design.regime.erosion_time == 60
    assert app.design.plan.initiatives == design.plan.initiatives


def test_save_load_and_export(app, tmp_path):
    make_good(app)
    app.controls["name"].value = "Atelier 学習"
    path = tmp_path / "mine.json"
    assert app.save(path) == path
    assert f"saved the design to {path}" in message(app)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["schema"] == "senge-course/capstone" and saved["plan"]["name"] == "Atelier 学習"
    other = CapstoneDashboard()
    loaded = other.load(path)
    assert loaded == app.design and other.design == app.design and other.result.passed
    assert f"loaded the design from {path}" in message(other)
    md = app.export_markdown(tmp_path / "mine.md", reflections={"Head": "Our theory."})
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Atelier 学習") and "### Head\n\nOur theory." in text
    assert "**All three goals met.**" in text


def test_the_buttons_use_the_file_box(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app.controls["save"].click()
    assert (tmp_path / "my_capstone.json").is_file()
    app.controls["export"].click()
    assert (tmp_path / "my_capstone.md").is_file()
    app.controls["filename"].value = "other.json"
    app.controls["mandate"].value = 0.0
    app.controls["save"].click()
    app.controls["filename"].value = "my_capstone.json"
    app.controls["load"].click()
    assert app.result.levers.mandate == 0.8


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (lambda app, d: app.load(d / "missing.json"), "there is no such file"),
        (lambda app, d: app.save(d / "no" / "x.json"), "there is no folder"),
        (lambda app, d: app.export_markdown(d / "no" / "x.md"), "there is no folder"),
        (lambda app, d: app.load(d), "it is a folder, not a file"),
    ],
)
def test_file_errors_become_messages(app, tmp_path, action, expected):
    assert action(app, tmp_path) is None
    assert expected in message(app) and "Cannot do that:" in message(app)


def test_an_empty_file_box_asks_for_a_name(app):
    app.controls["filename"].value = "  "
    app.controls["save"].click()
    assert "type a file name first" in message(app)


def test_a_broken_file_loads_nothing(app, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"schema": "senge-course/capstone"', encoding="utf-8")
    app.load(path)
    assert "it is not valid JSON" in message(app)
    assert app.result.levers == SCENARIOS["executives only (mandate)"]


def test_a_model_error_becomes_a_message(app, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("the model broke, got x=1")

    monkeypatch.setattr(module, "assess_coupled", broken)
    before = app.result
    app.controls["control"].value = 0.3
    assert "the model broke, got x=1" in message(app)
    assert app.result is before  # the last good report stays


def test_controls_have_descriptions(app):
    for name, control in app.controls.items():
        if hasattr(control, "description") and name not in ("save", "load", "export"):
            assert control.description, name


def test_the_assumptions_section_lists_the_capstones_claims(app):
    from senge_course.models.claims import for_app

    folded = app.children[-3]  # then the message area and the accessibility labels
    assert folded.__class__.__name__ == "Accordion" and folded.titles == ("Assumptions",)
    assert list(app.assumptions.claims) == [c.key for c in for_app("CapstoneDashboard")]
    app.assumptions.show_default()  # the lesson's design: all three goals
    assert app.result.passed and app.assumptions.result.holds
    assert app.design.plan.name == "My design"


def test_apply_changes_only_what_the_setting_names(app):
    make_good(app)
    app.set_couplings(OFF)
    before = app.result
    app.apply({"networkers": 1})
    assert app.result.levers == before.levers.replace(networkers=1)
    assert app.result.regime == before.regime and app.result.allocation == before.allocation
    assert app.result.knowledge is before.knowledge  # the knowledge cycle was not rerun
    app.apply({"regime": "command", "integration": 0.25})
    assert app.result.regime == COMMAND and app.result.integration == 0.25
    with pytest.raises(ValueError, match="the dashboard has no control for max_capability, years"):
        app.apply({"years": 1, "max_capability": 1.5})
    assert app.result.regime == COMMAND


# --------------------------------------------------------------------------- issue 14


def test_each_coupling_has_a_checkbox_that_switches_it(app):
    make_good(app)
    assert app.couplings == {name: float(COUPLINGS[name].default) for name in COUPLINGS}
    app.controls["mandate"].value = 0.8  # a mandate next to commitment
    assert app.result.regime.control == pytest.approx(0.5)  # 0.1 + 0.5 x 0.8
    assert app.timeline.climate[-1] < 0.5  # the climate collapses under the surge
    app.controls["mandate_drains_climate"].value = False
    assert app.couplings["mandate_drains_climate"] == 0.0
    assert app.result.regime.control == pytest.approx(0.1) and app.timeline.climate[-1] > 0.9
    assert "Off: mandate drains climate." in app._report.value
    app.controls["mandate_drains_climate"].value = True  # back at its strength
    assert app.couplings["mandate_drains_climate"] == 0.5


def test_set_couplings_takes_a_mapping_and_refuses_a_bad_one(app):
    app.set_couplings({"trap_starves_learning": 0.5})
    assert app.couplings["trap_starves_learning"] == 0.5
    app.set_couplings({"coffee": 1})
    assert "coffee" in message(app)
    assert app.couplings["trap_starves_learning"] == 0.5


def test_the_budget_line_says_within_or_over_in_words(app):
    assert app.cost.total == 1.0 and app.within_budget  # a mandate costs a leader-week
    assert "Within budget:" in app._budget.value and "49 to spare" in app._budget.value
    make_good(app)
    assert app.cost.total == pytest.approx(54.4) and not app.within_budget
    assert "Over budget:" in app._budget.value and "4.4 too many" in app._budget.value
    assert f"of {BUDGET:g} budget points" in app._budget.value
    assert "54.4 budget points" in app.view.summary


def test_the_documented_feasible_design_meets_everything_in_the_dashboard(app):
    app.set_design(FEASIBLE)
    assert app.result.passed and app.within_budget
    assert "Within budget:" in app._budget.value


def test_one_axis_in_quarters_with_the_surge_marked(app):
    state = axes(app)
    assert [ax["xlim"] for ax in state] == [(0.0, 40.0)] * 3
    assert state[2]["xlabel"].startswith("quarter")
    line = app.timeline
    assert line.ends["leaders"] == 10.0 and round(line.ends["regime"]) == 23
    committed_x = state[0]["lines"]["committed (mean)"][0]
    assert committed_x[-1] == 10.0 and committed_x[3] == 1.0  # three rounds a quarter
    assert "20% surge" in state[1]["legend"]
    assert "one axis in quarters" in app.view.summary


def test_an_assignment_sets_organisation_surge_goals_and_departure():
    a = Assignment(
        organisation={"seed": 4, "teams": 4},
        shock={"kind": "networker_leaves", "quarter": 1},
        goals={"committed": 0.5, "required": ["commitment spreads", "integrated cycle"]},
        budget=40,
    )
    app = CapstoneDashboard(assignment=a)
    assert app.result.people == 35 and app.result.leaves == 3
    assert app.result.required == ("commitment spreads", "integrated cycle")
    assert "networker leaves" in axes(app)[0]["legend"]
    assert "goal 50%" in axes(app)[0]["texts"]
    assert "(not required in this assignment)" in app._report.value
    assert "of 40 budget points" in app._budget.value
    with pytest.raises(TypeError, match="assignment must be an Assignment or None"):
        CapstoneDashboard(assignment={"budget": 40})


def test_the_memo_exports_with_its_threats_to_validity(app, tmp_path):
    app.set_design(FEASIBLE)
    threats = {
        "leaders.mandate": "the rate at which compliance fades is a calibrated guess, not data",
        "trap.temporary-surge": "the surge is one calibrated size; real surges vary in size",
    }
    path = app.export_memo(tmp_path / "memo.md", trade_offs="Fewer networkers.", threats=threats)
    text = path.read_text(encoding="utf-8")
    assert THREATS_HEADING in text and "leaders.mandate" in text
    html_path = app.export_memo(tmp_path / "memo.html", trade_offs="x", threats=threats)
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert app.export_memo(tmp_path / "m.md", trade_offs="x", threats={"x.y": "z"}) is None
    assert "x.y" in message(app)


def test_the_exported_page_shows_the_design_as_the_learner_set_it(app, tmp_path):
    path = app.export_markdown(tmp_path / "page.md")
    page = path.read_text(encoding="utf-8")
    assert "control 0.8" in page and "integration 0.25" in page  # not the coupled 1 and 0.14
    assert "## Couplings" in page and "mandate drains climate** (0.5)" in page
    assert "Constants changed from their calibration" not in page
