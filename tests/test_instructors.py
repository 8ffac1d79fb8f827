"""The instructors' notes say what the models say: every number and table is held here."""

import re
from pathlib import Path

import pytest

from senge_course.course.lessons import LESSONS, get_lesson
from senge_course.models.assignment import DEFAULT, Assignment
from senge_course.models.budget import BUDGET, FEASIBLE, PRICES, cost
from senge_course.models.capability import COMMITMENT
from senge_course.models.capstone import Design, assess
from senge_course.models.coupled import COUPLING_ORIGINS, COUPLINGS, OFF, assess_coupled
from senge_course.models.knowledge import ALL_PRACTICE, BALANCED
from senge_course.models.leadership import Levers
from senge_course.models.memo import RUBRIC
from senge_course.models.plan import Plan

ROOT = Path(__file__).resolve().parents[1]
CAPSTONE = (ROOT / "instructors" / "capstone.md").read_text(encoding="utf-8")


def test_the_rubric_is_the_lessons_rubric_word_for_word():
    for criterion, strong in RUBRIC.items():
        assert f"| {criterion} | {strong} |" in CAPSTONE


def test_the_couplings_table_is_the_models_table():
    for name in COUPLINGS:
        value = f"{COUPLINGS[name].default:g}"
        assert re.search(
            rf"\| `{name}` \| [^|]+ \| {COUPLING_ORIGINS[name]} \| {value} \|", CAPSTONE
        )


def test_the_prices_and_the_budget():
    p = PRICES.defaults()
    assert (p["pilot_team"], p["mentoring"], p["networker_team"], p["mandate"]) == (8, 8, 2, 1)
    assert (p["research"], p["capacity_building"], p["consultants"], BUDGET) == (50, 50, 5, 50)
    assert "against a budget of 50" in CAPSTONE


def test_the_numbers_under_the_course_settings():
    firm = assess("executives only (mandate)", "command", ALL_PRACTICE, 0.25)
    assert not any(firm.verdicts.values())
    assert cost("all three", BALANCED).total == pytest.approx(54.4)
    assert assess_coupled("all three", "commitment", BALANCED, 1.0).passed
    plan = FEASIBLE.plan
    assert cost(FEASIBLE.levers, plan.allocation).total == pytest.approx(49.5)
    assert DEFAULT.assess(FEASIBLE).passed
    for text in ("costs 54.4 points", "at 49.5 points", "costs 307 points", "1,307 with"):
        assert text in CAPSTONE


def test_the_departure_numbers():
    said = {None: 0.78, 1: 0.75, 0: 0.67}
    for quarter, share in said.items():
        a = (
            DEFAULT
            if quarter is None
            else DEFAULT.replace(shock={"kind": "networker_leaves", "quarter": quarter})
        )
        assert round(a.assess(FEASIBLE).committed, 2) == share
    assert "78% committed if nobody leaves, 75%" in CAPSTONE and "67% if they leave" in CAPSTONE


def test_the_tight_example_as_described():
    tight = Assignment.load(ROOT / "examples" / "assignments" / "exec-tight-budget.json")
    assert tight.budget == 60 and tight.available_budget == 48
    assert tight.cost(FEASIBLE).total == pytest.approx(51)
    design = Design(
        Plan("Tight", allocation=(0.15, 0.2, 0.65), integration=1.0),
        levers=Levers(pilot_teams=2, mentoring=1.0, networkers=1),
        regime=COMMITMENT,
    )
    assert tight.cost(design).total == pytest.approx(47) and tight.assess(design).passed
    assert "a budget of 60 cut by 20% to 48" in CAPSTONE and "at 47 points" in CAPSTONE


def test_every_coupling_off_reproduces_the_separate_models():
    coupled = assess_coupled("all three", "command", BALANCED, 1.0, couplings=OFF).report
    alone = assess("all three", "command", BALANCED, 1.0)
    assert coupled.committed == alone.committed and coupled.verdicts == alone.verdicts


def test_the_readme_links_the_instructors_notes():
    assert "instructors/capstone.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the whole kit

KIT = ROOT / "instructors"
NOTE_HEADINGS = [
    "Learning goals",
    "The one thing to leave with",
    "Common misconceptions",
    "Discussion questions",
    "Cold-call prompts",
]
CASE_HEADINGS = [
    "The case in brief",
    "The three kinds of leader",
    "Firefighting and the capability trap",
    "Research, capacity building and practice",
    "What the course's models get wrong",
    "Questions for class",
    "Sources",
]


def sections(text, level=2):
    """``{heading: body}`` of the Markdown `text`'s headings of `level`, in order."""
    marker = "#" * level + " "
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith(marker):
            name = line[len(marker) :].strip()
            out[name] = []
        elif name is not None:
            out[name].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


@pytest.mark.parametrize("lesson", [lesson.number for lesson in LESSONS])
def test_every_lesson_has_teaching_notes(lesson):
    import importlib

    text = (KIT / "notes" / f"{lesson}.md").read_text(encoding="utf-8")
    title = get_lesson(lesson).title
    assert text.startswith(f"# Lesson {lesson}: {title} (teaching notes)")
    parts = sections(text)
    assert list(parts) == [*NOTE_HEADINGS, f"Answer key: exercise {lesson}"]
    misconceptions = sections(parts["Common misconceptions"], level=3)
    assert len(misconceptions) >= 3
    for body in misconceptions.values():
        assert "**Debrief.**" in body
    questions = re.findall(r"^\d+\. ", parts["Discussion questions"], re.M)
    assert 4 <= len(questions) <= 6
    key = sections(parts[f"Answer key: exercise {lesson}"], level=3)
    module = importlib.import_module(f"senge_course.course.questions.lesson_{lesson}")
    labels = [label for label, _ in module.EXERCISE.items()]
    assert [name.split(":")[0] for name in key] == labels
    for body in key.values():
        assert "**Artefact of the model:**" in body


@pytest.mark.parametrize("case", sorted(p.name for p in (KIT / "cases").glob("*.md")))
def test_every_case_maps_onto_the_lessons_and_names_its_sources(case):
    text = (KIT / "cases" / case).read_text(encoding="utf-8")
    parts = sections(text)
    assert list(parts) == CASE_HEADINGS
    sources = [line for line in parts["Sources"].splitlines() if line.startswith("- ")]
    assert len(sources) >= 2 and all(re.search(r"(19|20)\d\d|n\.d\.", s) for s in sources)
    assert re.search(r"lesson 0\d", text, re.I)


def test_at_least_four_cases_and_nummi_is_the_counter_case():
    names = {p.stem for p in (KIT / "cases").glob("*.md")}
    assert {"ford-epsilon", "shell-oil", "harley-davidson", "nummi"} <= names
    assert "Adler and Borys (1996)" in (KIT / "cases" / "nummi.md").read_text(encoding="utf-8")


def test_session_plans_add_up():
    text = (KIT / "session-plans.md").read_text(encoding="utf-8")
    parts = sections(text)
    for plan in (
        "A 3 x 90-minute MBA module",
        "A one-day executive-education workshop",
        "A 10-week self-paced track",
    ):
        sessions = sections(parts[plan], level=3)
        assert sessions, plan
        for name, body in sessions.items():
            length = int(re.search(r"\((\d+) minutes\)", name).group(1))
            minutes = re.findall(r"^\|[^|]+\| (\d+) \|", body, re.M)
            assert sum(map(int, minutes)) == length, name


def test_the_reading_list_has_core_critical_and_evidence():
    parts = sections((KIT / "reading-list.md").read_text(encoding="utf-8"))
    for part in ("Core", "Critical", "Evidence"):
        entries = [line for line in parts[part].splitlines() if line.startswith("- ")]
        assert len(entries) >= 3 and all(re.search(r"\b(19|20)\d\d\b", e) for e in entries)


def test_the_scope_page_lists_every_claim_as_the_registry_does():
    from senge_course.models.claims import CLAIMS

    text = (KIT / "scope.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", text, re.M)
    assert {key for key, *_ in rows} == set(CLAIMS)
    for key, _lessons, origin, _built in rows:
        assert origin.strip() == CLAIMS[key].origin


def test_the_rubrics_files_are_current():
    import json

    from senge_course.course.rubrics import rubrics, rubrics_markdown

    assert json.loads((KIT / "rubrics.json").read_text(encoding="utf-8")) == rubrics()
    assert (KIT / "rubrics.md").read_text(encoding="utf-8") == rubrics_markdown()
    data = rubrics()
    assert [row["criterion"] for row in data["memo"]] == list(RUBRIC)
    assert all(set(row["examples"]) == {"0", "1", "2", "3"} for row in data["memo"])
    assert sum(len(items) for items in data["reflections"].values()) >= 9


def test_the_kit_index_links_every_file():
    index = (KIT / "README.md").read_text(encoding="utf-8")
    for path in KIT.rglob("*"):
        if path.is_file() and path.name != "README.md":
            assert str(path.relative_to(KIT)) in index, path
    assert "instructors/README.md" in (ROOT / "README.md").read_text(encoding="utf-8")
