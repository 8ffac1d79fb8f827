"""Lesson 03 (cascades): every number its prose states, and every behaviour it teaches.

Each claim pairs a phrase of the lesson notebook with the model computation behind it, using the
same networks and seeds as the notebook and its widgets (2000 people, 100 runs, seed 1 for the
cascade explorer; the default organisation and 200 runs for the pilot explorer).
"""

import math

import nbformat
import networkx as nx
import numpy as np
import pytest

from senge_course.course.checks import ___
from senge_course.course.lessons import get_lesson
from senge_course.course.questions import lesson_03
from senge_course.models import claims
from senge_course.models.cascades import (
    GLOBAL_SHARE,
    cascade_probability,
    cascade_window,
    final_size,
    pilot_batch,
    random_network,
    simulated_cascades,
    vulnerable_degree,
)
from senge_course.models.contagion import RandomStarters, simulate_many
from senge_course.paths import course_root
from senge_course.views import PilotExplorer

ROOT = course_root()
LESSON = get_lesson("03")
LESSON_TEXT = "\n".join(c.source for c in nbformat.read(ROOT / LESSON.notebook, as_version=4).cells)
SOLUTION_TEXT = "\n".join(
    c.source for c in nbformat.read(ROOT / LESSON.solution, as_version=4).cells
)


def _global_runs(z, **kwargs):
    return int((simulated_cascades(z, **kwargs) >= GLOBAL_SHARE).sum())


@pytest.fixture(scope="module")
def pilots():
    return PilotExplorer()


def _teams_won(app, phi):
    app.set(phi=phi, size=4, outside_ties=1.0, start="pilot group")
    return {k: round(v, 2) for k, v in app.result.teams_won.items()}


CLAIMS = {
    # the model
    "a person with 5 contacts needs 1 committed contact (1/5 = 0.2), a person with 8 contacts "
    "needs 2": lambda: math.ceil(0.18 * 5) == 1 and math.ceil(0.18 * 8) == 2,
    "with φ = 0.18, those with at most 5 contacts": lambda: vulnerable_degree(0.18) == 5,
    # the window
    "a lone champion set off a global cascade in 83 of 100 runs (theory: 87%), and those cascades "
    "reached 98% of people": lambda: (
        _global_runs(4) == 83
        and round(100 * cascade_probability(4, 0.18)) == 87
        and round(100 * simulated_cascades(4)[simulated_cascades(4) >= GLOBAL_SHARE].mean()) == 98
    ),
    "The window for φ = 0.18 runs from a mean degree of about 1.02 to 5.76.": lambda: (
        tuple(round(z, 2) for z in cascade_window(0.18)) == (1.02, 5.76)
    ),
    "(for φ = 0.18, about 1.02 to 5.76)": lambda: (
        tuple(round(z, 2) for z in cascade_window(0.18)) == (1.02, 5.76)
    ),
    "with 8 contacts, one committed contact is 1/8 = 0.125 of a person's network, below their "
    "threshold of 0.18": lambda: 1 / 8 == 0.125 < 0.18 and cascade_probability(8, 0.18) == 0,
    "above φ = 1/4 it closes completely": lambda: (
        cascade_window(0.25) is not None
        and all(cascade_window(phi) is None for phi in np.linspace(0.2501, 1, 60))
    ),
    "Lower thresholds widen the window": lambda: (
        [cascade_window(phi)[1] for phi in (0.1, 0.15, 0.18, 0.25)]
        == sorted((cascade_window(phi)[1] for phi in (0.1, 0.15, 0.18, 0.25)), reverse=True)
    ),
    # theory against simulation
    "(at z = 3: 85% simulated, 87% theory)": lambda: (
        _global_runs(3) == 85 and round(100 * cascade_probability(3, 0.18)) == 87
    ),
    "at z = 6, just above the upper edge, 27 of 100 runs still go global": lambda: (
        _global_runs(6) == 27 and cascade_window(0.18)[1] < 6 and cascade_probability(6, 0.18) == 0
    ),
    "From z = 7 on, no run does.": lambda: _global_runs(7) == 0 and _global_runs(8) == 0,
    "Inside the window the simulated share follows the theory": lambda: all(
        abs(_global_runs(z) / 100 - cascade_probability(z, 0.18)) <= 0.1 for z in (1.5, 2, 3, 4, 5)
    ),
    "at a mean degree of 6, a lone champion went global in 27 of 100 runs; a pilot group of 10 "
    "and 10 scattered champions did in all 100": lambda: (
        _global_runs(6) == 27
        and _global_runs(6, start="pilot group", size=10) == 100
        and _global_runs(6, start="scattered", size=10) == 100
    ),
    "at z = 6.8 a lone champion went global in 1 of 100 runs, a pilot group of 10 in 76": lambda: (
        _global_runs(6.8) == 1
        and _global_runs(6.8, start="pilot group", size=10) == 76
        and claims.get("thresholds.group-beats-lone").holds()
    ),
    "(0 of 100 runs at z = 8)": lambda: (
        _global_runs(8, start="pilot group", size=10) == 0
        and not claims.get("thresholds.group-beats-lone").holds(z=8.0)
    ),
    "find no window at all for thresholds above 1/4": lambda: (
        cascade_window(0.26) is None and not claims.get("thresholds.cascade-window").holds(phi=0.3)
    ),
    # seed size
    "Far above the window (z = 10, φ = 0.18) no single person can start a cascade": lambda: (
        cascade_probability(10, 0.18) == 0.0
    ),
    "Starting 1% only doubles to about 2%; starting 3% tips the whole network.": lambda: (
        round(final_size(10, 0.18, 0.01), 2) == 0.02 and final_size(10, 0.18, 0.03) > 0.999
    ),
    "at mean degree 20 a 3% start ends at about 4%": lambda: (
        round(final_size(20, 0.18, 0.03), 2) == 0.04
        and not claims.get("thresholds.seed-size").holds(z=20.0)
    ),
    "it holds at threshold 0.3 and fails at 0.25, where scattered champions reach more teams": (
        lambda: (
            claims.get("thresholds.pilot-vs-scattered").holds()
            and not claims.get("thresholds.pilot-vs-scattered").holds(phi=0.25)
        )
    ),
}


@pytest.mark.parametrize("phrase", list(CLAIMS))
def test_every_number_the_lesson_states(phrase):
    assert phrase in LESSON_TEXT, f"the lesson no longer says {phrase!r}: update this claim"
    assert CLAIMS[phrase](), phrase


@pytest.mark.parametrize("claim", claims.for_lesson("03"), ids=lambda c: c.key)
def test_the_lesson_names_each_of_its_claims(claim):
    assert f"`{claim.key}`" in LESSON_TEXT


@pytest.mark.parametrize(
    ("phrase", "phi", "expected"),
    [
        (
            "the pilot group wins over its own team in every run (1.00 teams on average); 4 "
            "scattered champions win over 0.40 teams on average, and a lone champion almost none "
            "(0.03)",
            0.3,
            {"lone champion": 0.03, "pilot group": 1.0, "scattered": 0.4},
        ),
        ("(at 0.25: 5.21 teams against 1.14)", 0.25, {"pilot group": 1.14, "scattered": 5.21}),
        (
            "even a lone champion often succeeds (6.57 teams on average)",
            0.2,
            {"lone champion": 6.57},
        ),
    ],
)
def test_the_pilot_numbers_the_lesson_states(pilots, phrase, phi, expected):
    assert phrase in LESSON_TEXT
    won = _teams_won(pilots, phi)
    assert {k: won[k] for k in expected} == expected


def test_the_organisation_the_lesson_describes(pilots):
    pilots.set(outside_ties=1.0)
    G, _ = pilots.organisation()
    assert "3 executives and 12 teams of 10 (a line leader and 9 members)" in LESSON_TEXT
    roles = [role for _, role in G.nodes(data="role")]
    assert roles.count("executive") == 3 and roles.count("line_leader") == 12
    assert roles.count("member") == 12 * 9
    team = dict(G.nodes(data="team"))
    outside = sum(2 for u, v in G.edges() if team[u] >= 0 and team[v] >= 0 and team[u] != team[v])
    assert "about one tie per person outside their own team" in LESSON_TEXT
    assert 0.7 < outside / 120 < 1.3
    # "one committed contact out of five or six, below 0.3"
    members = [v for v in G if G.nodes[v]["role"] == "member"]
    assert 5 <= np.median([G.degree(v) for v in members]) <= 6
    assert 1 / 5 < 0.3


# ----------------------------------------------------------------------------- behaviours


def test_the_window_closes_above_one_quarter_and_narrows_with_the_threshold():
    highs = [cascade_window(phi)[1] for phi in np.linspace(0.05, 0.25, 21)]
    assert highs == sorted(highs, reverse=True)
    assert cascade_window(0.25) == pytest.approx((1.114, 3.863), abs=1e-3)
    assert cascade_window(0.26) is None


def test_a_pilot_group_beats_a_lone_champion_above_the_window():
    # the puzzle's network: CascadeExplorer's defaults at mean degree 6.8
    assert _global_runs(6.8) == 1
    assert _global_runs(6.8, start="pilot group", size=10) == 76
    # and the same holds over a range of mean degrees above the window
    for z in (6.3, 6.6, 7.0):
        assert _global_runs(z, start="pilot group", size=10) > 5 * max(1, _global_runs(z))


def test_a_pilot_group_beats_a_lone_champion_in_the_organisation(pilots):
    for phi in (0.2, 0.25, 0.3, 0.35, 0.4):
        won = _teams_won(pilots, phi)
        assert won["pilot group"] > won["lone champion"], phi
    # at 0.3 the pilot's own team commits in every one of the 200 runs
    pilots.set(phi=0.3, size=4, outside_ties=1.0, start="pilot group")
    batch = pilot_batch(0.3, 4, 1.0, "pilot group")
    G, net = pilots.organisation()
    team = np.array([G.nodes[u]["team"] for u in net.nodes])
    leaders = [net.index[v] for v in G if G.nodes[v]["role"] == "line_leader"]
    for run in range(batch.runs):
        committed = batch.committed[run]
        started = [i for i in leaders if committed[i]]
        assert started, "a pilot group always includes its line leader"
        assert any(committed[team == team[i]].all() for i in started)


def test_simulation_agrees_with_theory_inside_the_window_within_tolerance():
    for z in (2, 3, 4):
        G = random_network(5000, z, seed=7)
        batch = simulate_many(G, 0.18, RandomStarters(count=1), runs=200, seed=8)
        frequency = float(np.mean(batch.final_fraction >= GLOBAL_SHARE))
        assert frequency == pytest.approx(cascade_probability(z, 0.18), abs=0.08)


# ----------------------------------------------------------------------------- questions


@pytest.mark.parametrize(
    ("z", "status"),
    [(6.8, "correct"), (7.0, "correct"), (6.5, "incorrect"), (5, "incorrect"), (7.5, "incorrect")],
)
def test_puzzle_is_judged_by_the_explorers_batches(z, status):
    puzzle = lesson_03.LESSON.questions[1]
    outcome = puzzle.evaluate({"z_puzzle": z})
    assert outcome.status == status
    assert f"At z = {z:g} a lone champion set off a global cascade in" in outcome.message


def test_puzzle_rejects_non_numbers_and_is_not_attempted_when_blank():
    puzzle = lesson_03.LESSON.questions[1]
    assert puzzle.evaluate({"z_puzzle": "high"}).status == "incorrect"
    assert puzzle.evaluate({"z_puzzle": 40}).status == "incorrect"
    assert puzzle.evaluate({"z_puzzle": ___}).status == "not attempted"


def test_the_lessons_explain_question_holds_in_the_model():
    explain = lesson_03.LESSON.questions[0]
    assert [explain.evaluate({"help_the_champion": k}).status for k in "abc"] == [
        "incorrect",
        "correct",
        "incorrect",
    ]
    assert "so that a threshold of 0.12 is enough" in LESSON_TEXT
    # b: one committed contact in 8 (0.125) passes 0.12; the window for 0.12 reaches past 8
    assert 1 / 8 > 0.12 and cascade_window(0.12)[1] > 8 > cascade_window(0.18)[1]
    assert cascade_probability(8, 0.12) > 0.9 and _global_runs(8, phi=0.12) > 90
    # a: the best-connected person of the dense network as the champion still stalls
    G = random_network(2000, 8, seed=1)
    hub = max(G, key=G.degree)
    assert G.degree(hub) >= 18
    batch = simulate_many(G, 0.18, [hub], runs=20, seed=2)
    assert batch.final_fraction.max() < GLOBAL_SHARE
    # c: a larger organisation with 8 contacts each stalls as well
    assert _global_runs(8, n=5000) == 0 and cascade_probability(8, 0.18) == 0


def test_the_lesson_reads_the_prediction_back_with_the_models_answer():
    cell = next(
        c.source
        for c in nbformat.read(ROOT / LESSON.notebook, as_version=4).cells
        if "You predicted" in c.source
    )
    assert "the model says {best}" in cell
    chances = {z: cascade_probability(z, 0.18) for z in (2, 4, 10)}
    assert max(chances, key=chances.get) == 4


def _pilot_only_graph():
    return nx.circulant_graph(10, [1, 2])


def test_exercise_answers():
    ex = lesson_03.EXERCISE
    answers = {
        "prediction_window": 4,
        "answer_q2": dict(lesson_03.SCENARIOS),
        "start_q3": {"start": "scattered", "size": 25},
        "answer_q4": "b",
        "break_q5": {"size": 8},
        "answer_q6": 0.0125,
        "G_q7": _pilot_only_graph(),
        "reflection_q8": " ".join(["word"] * 30),
    }
    statuses = [o.status for o in ex.evaluate(answers)]
    assert statuses == ["submitted"] + ["correct"] * 6 + ["submitted"]
    assert [o.status for o in ex.evaluate({})] == ["not attempted"] * 8
    assert ex.kinds() == {
        "q1": "prediction",
        "q2": "reasoning",
        "q3": "design",
        "q4": "reasoning",
        "q5": "reasoning",
        "q6": "procedure",
        "q7": "design",
        "q8": "reflection",
    }
    q6, q7 = ex.questions[5], ex.questions[6]
    assert q6.expected_value() == pytest.approx(0.01224, abs=1e-4)
    assert final_size(10, 0.18, q6.expected_value()) > 0.5 > final_size(10, 0.18, 0.0120)
    assert q6.evaluate({"answer_q6": 1.22}).status == "correct"  # a percentage is read as one
    assert q7.evaluate({"G_q7": nx.path_graph(8)}).status == "incorrect"
    assert q7.evaluate({"G_q7": nx.complete_graph(40)}).status == "incorrect"


@pytest.mark.parametrize(("answer", "recorded"), [(4, "'4'"), ("10", "'10'"), (2.0, "'2'")])
def test_the_prediction_is_recorded_as_an_option(answer, recorded):
    out = lesson_03.EXERCISE.questions[0].evaluate({"prediction_window": answer})
    assert out.status == "submitted" and recorded in out.message and out.score == 0
    assert lesson_03.EXERCISE.questions[0].evaluate({"prediction_window": 5}).status == (
        "incorrect"
    )


def test_exercise_scenarios_follow_the_theory_and_the_simulation():
    assert set(lesson_03.SCENARIOS.values()) == set(lesson_03.CAUSES)
    for item, label in lesson_03.SCENARIOS.items():
        phi, z = (float(part.split()[-1]) for part in item.split(", "))
        window = cascade_window(phi)
        runs = _global_runs(z, phi=phi)
        if label == "global":
            assert window[0] < z < window[1] and runs > 50, item
        elif label == "too sparse":
            assert z < window[0] and runs == 0, item
        else:  # too dense: above the upper edge, and one contact in z is below the threshold
            assert (window is None or z > window[1]) and 1 / z < phi and runs == 0, item


EXERCISE_CLAIMS = {
    "at mean degree 9 and threshold 0.18, neither a lone champion nor a pilot group of 10 sets "
    "off a global cascade in any of 100 runs": lambda: (
        _global_runs(9) == 0 and _global_runs(9, start="pilot group", size=10) == 0
    ),
    "a pilot group of 4 (a line leader and 3 members) wins over more teams than 4 champions "
    "scattered at random": lambda: claims.get("thresholds.pilot-vs-scattered").holds(),
}


@pytest.mark.parametrize("phrase", list(EXERCISE_CLAIMS))
def test_every_number_the_exercise_states(phrase):
    assert phrase in SOLUTION_TEXT, f"the exercise no longer says {phrase!r}: update this claim"
    assert EXERCISE_CLAIMS[phrase](), phrase


@pytest.mark.parametrize(
    ("start", "size", "status", "runs"),
    [
        ("scattered", 25, "correct", 79),
        ("scattered", 23, "correct", 70),
        ("scattered", 22, "incorrect", 52),
        ("pilot group", 25, "incorrect", 42),
        ("lone champion", 1, "incorrect", 0),
    ],
)
def test_the_design_is_judged_by_the_explorers_batches(start, size, status, runs):
    q3 = lesson_03.EXERCISE.questions[2]
    out = q3.evaluate({"start_q3": {"start": start, "size": size}})
    assert out.status == status
    assert f"in {runs} of 100 runs" in out.message


def test_no_pilot_group_within_the_budget_wins_the_design():
    assert max(_global_runs(9, start="pilot group", size=s) for s in range(2, 26)) < 70
    q3 = lesson_03.EXERCISE.questions[2]
    too_many = q3.evaluate({"start_q3": {"start": "scattered", "size": 40}})
    assert too_many.status == "incorrect" and "budget" in too_many.message
    for bad in ({"start": "everyone", "size": 5}, {"size": 5}, "scattered", {"start": "x"}):
        assert q3.evaluate({"start_q3": bad}).status == "incorrect"
    assert q3.evaluate({"start_q3": {"start": ___, "size": ___}}).status == "not attempted"


def test_a_pilot_groups_neighbours_rarely_see_two_of_its_members():
    """Question 4's reason: a random network has few triangles, and the group spends ties on itself."""
    from senge_course.models.cascades import cluster_starters

    G = random_network(2000, 9, seed=1)
    rng = np.random.default_rng(0)
    for _ in range(5):
        group = set(cluster_starters(G, 25)(rng))
        seen = {}
        inside = 0
        for u in group:
            for v in G[u]:
                if v in group:
                    inside += 1
                else:
                    seen[v] = seen.get(v, 0) + 1
        assert sum(n >= 2 for n in seen.values()) / len(seen) < 0.1
        assert inside / (inside + sum(seen.values())) > 0.15
    assert nx.transitivity(G) < 0.01


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"size": 8}, "correct"),
        ({"size": 6}, "correct"),
        ({"size": 10}, "correct"),
        ({"size": 5}, "incorrect"),
        ({"outside_ties": 0.0}, "incorrect"),
        ({"outside_ties": 3.0}, "incorrect"),
        ({"phi": 0.25}, "incorrect"),
        ({"phi": 0.25, "size": 8}, "incorrect"),
        ({"size": 8, "outside_ties": 2.0}, "incorrect"),
    ],
)
def test_the_assumption_hunt_keeps_the_threshold(change, status):
    q5 = lesson_03.EXERCISE.questions[4]
    out = q5.evaluate({"break_q5": change})
    assert out.status == status, out.message
    if "phi" in change:
        assert "leave phi at 0.3" in out.message


def test_only_the_size_breaks_the_pilot_claim_at_threshold_0_3():
    claim = claims.get("thresholds.pilot-vs-scattered")
    for ties in np.arange(0, 3.01, 0.5):
        assert claim.holds(outside_ties=float(ties)), ties
    assert [claim.holds(size=s) for s in range(2, 11)] == [True] * 4 + [False] * 5


def test_lesson_cells_and_manifest():
    nb = nbformat.read(ROOT / LESSON.notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert 15 <= len(code) <= 35
    assert code[0].source.startswith("%matplotlib inline")
    assert LESSON.slug == "cascades"
    assert (LESSON.minutes, LESSON.exercise_minutes) == (60, 40)  # measured: CONTRIBUTING.md
    for objective in LESSON.objectives:  # "What you'll learn" lists the manifest's objectives
        assert f"{objective}." in LESSON_TEXT
    for reference in ("99(9), 5766-5771", "75, 056103", "113(3), 702-734", "75(5)"):
        assert reference in LESSON_TEXT
