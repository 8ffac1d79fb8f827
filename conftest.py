"""Course-wide pytest hooks: read check outcomes from the notebooks nbval executes.

nbval executes every notebook once.  For notebooks in ``solutions/`` and
``exercises/`` this file adds one more test item after the notebook's cells,
``check outcomes``, which reads the outcomes the checks published in their
display metadata during that same run (no second execution) and asserts that
every question reports *correct* (or *submitted*, for reflections) in a solution
and *not attempted* in an exercise.
"""

import json
from pathlib import Path

import pytest

from senge_course.course.checks import outcome_from_metadata

EXPECTED = {"solutions": {"correct", "submitted"}, "exercises": {"not attempted"}}


def _is_nbval_cell(item):
    return type(item).__name__ == "IPyNbCell"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    if _is_nbval_cell(item):
        outcomes = item.parent.stash.setdefault(_OUTCOMES, [])
        for out in item.test_outputs or []:
            found = outcome_from_metadata(out.get("metadata"))
            if found is not None:
                outcomes.append(found)


_OUTCOMES = pytest.StashKey()


class CheckOutcomes(pytest.Item):
    """Asserts on the check outcomes of the notebook just executed by nbval."""

    def runtest(self):
        from senge_course.course.questions import get_exercise

        folder = self.path.parent.name
        meta = json.loads(self.path.read_text(encoding="utf-8")).get("metadata", {})
        lesson = meta.get("senge_course", {}).get("lesson")
        assert lesson, f"{self.path} has no metadata senge_course.lesson"
        questions = [label for label, _ in get_exercise(lesson).items()]
        seen = {}
        for outcome in self.parent.stash.get(_OUTCOMES, []):
            seen[outcome.question] = outcome  # the last check of a question counts
        problems = []
        for label in questions:
            if label not in seen:
                problems.append(f"{label}: never checked (no {label}.check() output)")
            elif seen[label].status not in EXPECTED[folder]:
                problems.append(f"{label}: {seen[label].status}: {seen[label].message}")
        assert not problems, (
            f"{self.path.name} in {folder}/ must report {sorted(EXPECTED[folder])} for every question:\n"
            + "\n".join(problems)
        )

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::check outcomes"


def pytest_collection_modifyitems(session, config, items):
    """Append a `check outcomes` item after the last cell of each exercise and solution notebook."""
    last = {}
    for index, item in enumerate(items):
        if _is_nbval_cell(item) and Path(item.path).parent.name in EXPECTED:
            last[item.parent] = index
    for parent, index in sorted(last.items(), key=lambda kv: kv[1], reverse=True):
        items.insert(index + 1, CheckOutcomes.from_parent(parent, name="check outcomes"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell a failed test (screenshots)."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def pytest_terminal_summary(terminalreporter):
    """Print the browser tests' time from Run All to all widgets rendered, per notebook."""
    rows = []
    for rep in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for key, value in getattr(rep, "user_properties", []):
            if key == "browser_seconds" and rep.when == "call":
                rows.append((rep.nodeid.split("[", 1)[-1].rstrip("]"), value))
    if rows:
        terminalreporter.section("browser: Run All to all widgets rendered")
        for path, seconds in sorted(rows):
            terminalreporter.write_line(f"{seconds:6.1f} s  {path}")
