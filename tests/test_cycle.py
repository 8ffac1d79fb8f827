"""Tests for senge_course.models.cycle: the knowledge-creation cycle as a causal loop diagram."""

import math

import matplotlib
import pytest

from senge_course.models.cycle import (
    BROKEN,
    CYCLE_VARIABLES,
    FAILURES,
    broken_links,
    cycle_links,
    knowledge_cycle,
)
from senge_course.models.diagnosis import diagnose
from senge_course.models.knowledge import (
    ALL_PRACTICE,
    ALL_RESEARCH,
    BALANCED,
    EQUAL,
    Consultants,
    loop_gain,
)
from senge_course.models.loops import find_loops, loop_summary
from senge_course.views.diagrams import draw_cycle, layout_problems

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# ----------------------------------------------------------------- the diagram


def test_the_full_diagram_has_five_named_loops():
    G = knowledge_cycle()
    assert G.number_of_nodes() == 7 and G.number_of_edges() == 11
    loops = find_loops(G)
    assert [(loop.label, loop.name) for loop in loops] == [
        ("R1", "knowledge creation"),
        ("B2", "firefighting"),
        ("R3", "learning crowded out"),
        ("B4", "consultants"),
        ("R5", "dependence"),
    ]
    assert all(loop.description for loop in loops)
    assert set(G) == set(CYCLE_VARIABLES)


def test_the_core_diagram_is_one_reinforcing_loop_feeding_results():
    G = knowledge_cycle(quick_fixes=False)
    assert sorted(G) == ["capability", "experience", "results", "theory"]
    (loop,) = find_loops(G)
    assert loop.reinforcing and loop.delayed and loop.name == "knowledge creation"
    assert G.has_edge("capability", "results")


@pytest.mark.parametrize(
    ("name", "delayed"),
    [
        ("knowledge creation", True),
        ("firefighting", False),
        ("learning crowded out", True),
        ("consultants", False),
        ("dependence", True),
    ],
)
def test_which_loops_act_after_a_delay(name, delayed):
    loop = next(loop for loop in find_loops(knowledge_cycle()) if loop.name == name)
    assert loop.delayed is delayed


def test_each_link_of_r1_is_an_activity():
    G = knowledge_cycle()
    assert G.edges["experience", "theory"]["activity"] == "research"
    assert G.edges["theory", "capability"]["activity"] == "capacity building"
    assert G.edges["capability", "experience"]["activity"] == "practice"
    # the quick fixes' side effects are negative links
    assert G.edges["firefighting", "theory"]["sign"] == -1
    assert G.edges["consultants", "capability"]["sign"] == -1
    assert G.edges["consultants", "capability"]["delay"] is True


def test_the_quick_fixes_are_the_archetypes_of_lesson_06():
    """Firefighting: a balancing fix and a reinforcing side effect through the same gap (Shifting
    the Burden); consultants: the same with an outside intervenor."""
    loops = {loop.name: loop for loop in find_loops(knowledge_cycle())}
    for fix, side_effect in (
        ("firefighting", "learning crowded out"),
        ("consultants", "dependence"),
    ):
        assert not loops[fix].reinforcing and loops[side_effect].reinforcing
        # the fix (a variable of the same name) and the gap are on both loops
        assert {"results gap", fix} <= set(loops[fix].nodes) & set(loops[side_effect].nodes)


def test_quick_fixes_must_be_a_bool():
    with pytest.raises(TypeError, match="quick_fixes must be True or False, got quick_fixes='yes'"):
        knowledge_cycle(quick_fixes="yes")


# ----------------------------------------------------------------- link strengths


@pytest.mark.parametrize(
    ("allocation", "integration", "strengths"),
    [
        (BALANCED, 1.0, (2.0, 1.6, 0.6)),
        (BALANCED, 0.5, (1.0, 0.8, 0.6)),
        (BALANCED, 0.25, (0.5, 0.4, 0.6)),
        (ALL_PRACTICE, 1.0, (0.0, 0.0, 1.0)),
        (ALL_RESEARCH, 1.0, (10.0, 0.0, 0.0)),
    ],
)
def test_link_strengths(allocation, integration, strengths):
    links = cycle_links(allocation, integration)
    assert [link.activity for link in links] == ["research", "capacity building", "practice"]
    assert [link.strength for link in links] == pytest.approx(strengths)


@pytest.mark.parametrize(
    "allocation", [BALANCED, EQUAL, ALL_PRACTICE, (0.1, 0.3, 0.6), (0.4, 0.4, 0.2)]
)
@pytest.mark.parametrize("integration", [0.0, 0.25, 0.6, 1.0])
def test_the_product_of_the_links_is_the_loop_gain(allocation, integration):
    product = math.prod(link.strength for link in cycle_links(allocation, integration))
    assert product == pytest.approx(loop_gain(allocation, integration))


def test_params_change_the_strengths_as_they_change_the_gain():
    params = {"teaching_rate": 6.0, "theory_time": 4.0}
    links = cycle_links(BALANCED, 1.0, params=params)
    assert [link.strength for link in links] == pytest.approx((1.0, 3.2, 0.6))
    assert math.prod(link.strength for link in links) == pytest.approx(
        loop_gain(BALANCED, 1.0, params=params)
    )


@pytest.mark.parametrize(
    ("name", "broken"),
    [
        ("firefighting", ("research", "capacity building")),
        ("ivory tower", ("capacity building", "practice")),
        ("fragmented", ()),
        ("consulting dependency", ("research", "capacity building")),
        ("integrated", ()),
    ],
)
def test_which_links_each_failure_breaks(name, broken):
    allocation, integration, consultants = FAILURES[name]
    assert broken_links(allocation, integration) == broken
    # and the model diagnoses each textbook plan as the failure it stands for
    assert diagnose(allocation, integration, consultants=consultants).mode == name


def test_fragmented_keeps_every_link_but_the_gain_is_below_one():
    assert broken_links(BALANCED, 0.25) == ()
    assert loop_gain(BALANCED, 0.25) == pytest.approx(0.12)
    assert loop_gain(BALANCED, 1.0) == pytest.approx(1.92)


def test_no_integration_breaks_both_couplings():
    assert broken_links(BALANCED, 0.0) == ("research", "capacity building")
    assert broken_links(BALANCED, 0.01) == ("research", "capacity building")  # 0.02 and 0.016
    assert all(link.strength >= BROKEN for link in cycle_links(BALANCED, 0.05))


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (((0.5, 0.5, 0.5), 1.0), ValueError, "allocation shares must sum to 1"),
        (
            (BALANCED, 1.5),
            ValueError,
            r"integration must be a number in \[0, 1\], got integration=1.5",
        ),
        ((BALANCED, "high"), TypeError, "integration must be a number, got integration='high'"),
        (("abc", 1.0), TypeError, "allocation must be three numbers"),
    ],
)
def test_bad_inputs_are_refused_with_a_message(args, error, match):
    with pytest.raises(error, match=match):
        cycle_links(*args)


def test_unknown_constants_are_refused():
    with pytest.raises(TypeError, match="unknown constant"):
        cycle_links(BALANCED, 1.0, params={"speed_of_light": 3})


# ----------------------------------------------------------------- drawing


def test_the_plain_drawing_is_the_diagram():
    drawn, summary = draw_cycle()
    assert summary == loop_summary(knowledge_cycle())
    assert sorted(drawn["loops"]) == ["B2", "B4", "R1", "R3", "R5"]
    assert drawn["marks"] == {} and drawn["strengths"] == {}


def test_broken_links_are_dashed_grey_and_crossed_out():
    drawn, summary = draw_cycle(ALL_PRACTICE, 1.0, quick_fixes=False)
    assert sorted(drawn["marks"]) == ["capacity building", "research"]
    assert all(mark.get_text() == "X" for mark in drawn["marks"].values())
    research = drawn["links"]["experience", "theory"]
    assert research.get_linestyle() != "-"
    assert drawn["strengths"]["research"].get_text() == "research:\nbroken"
    assert drawn["strengths"]["practice"].get_text() == "practice:\n\u00d71.00"
    assert "The research and capacity building links are broken" in summary
    assert "research gets 0% and capacity building gets 0%" in summary


def test_stronger_links_are_drawn_thicker_and_the_summary_gives_the_gain():
    drawn, summary = draw_cycle(BALANCED, 1.0, quick_fixes=False)
    widths = {
        a: drawn["links"][k].get_linewidth()
        for a, k in (
            ("research", ("experience", "theory")),
            ("capacity building", ("theory", "capability")),
            ("practice", ("capability", "experience")),
        )
    }
    assert widths["research"] > widths["capacity building"] > widths["practice"]
    assert "research \u00d72.00, capacity building \u00d71.60, practice \u00d70.60" in summary
    assert summary.endswith("The loop's gain is their product, 1.92, above 1: it grows.")
    _, fragmented = draw_cycle(BALANCED, 0.25, quick_fixes=False)
    assert fragmented.endswith("The loop's gain is their product, 0.12, below 1: it dies out.")


def test_a_link_broken_by_integration_says_so():
    _, summary = draw_cycle(BALANCED, 0.0, quick_fixes=False)
    assert "(integration is only 0.00)" in summary


def test_consultants_highlight_their_loops():
    drawn, summary = draw_cycle(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=8))
    thick = drawn["links"]["consultants", "capability"].get_linewidth()
    assert thick == 3.0
    assert drawn["links"]["firefighting", "results"].get_alpha() == pytest.approx(0.35)
    assert "R5 erodes the firm's own capability" in summary


def test_consultants_need_the_quick_fixes():
    with pytest.raises(ValueError, match="consultants are drawn only with the quick fixes"):
        draw_cycle(ALL_PRACTICE, 1.0, consultants=Consultants(0.5), quick_fixes=False)
    with pytest.raises(TypeError, match="consultants must be None or Consultants"):
        draw_cycle(ALL_PRACTICE, 1.0, consultants=0.5)


def test_draws_on_a_given_axes():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    drawn, _ = draw_cycle(BALANCED, 0.5, quick_fixes=False, ax=ax)
    assert drawn["ax"] is ax


# ----------------------------------------------------------------- layout: nothing crosses or overlaps


def test_the_cycle_has_no_crossing_and_its_signs_stand_clear():
    """Lesson 07's cycle: the "- +" at theory (head) are apart, each by its own arrow."""
    drawn, _ = draw_cycle()
    problems = layout_problems(drawn)
    assert problems["crossings"] == [] and problems["covers"] == [] and problems["unclear"] == []
    signs_at_theory = [k for k in drawn["signs"] if k[1] == "theory"]
    assert len(signs_at_theory) == 2
    assert not [pair for pair in problems["overlaps"] if "sign" in pair[0] + pair[1]]
    a, b = (drawn["signs"][k].get_window_extent() for k in signs_at_theory)
    assert not a.expanded(1.5, 1.5).overlaps(b)  # not even close: they read as two signs


@pytest.mark.parametrize("name", list(FAILURES))
def test_lesson_07_four_cycles_are_drawn_with_nothing_crossing_or_overlapping(name):
    """As lesson 07 draws them: four small cycles with strengths, broken links crossed out."""
    import matplotlib.pyplot as plt

    _, axes = plt.subplots(2, 2, figsize=(10, 9))
    allocation, integration, _ = FAILURES[name]
    drawn, _ = draw_cycle(allocation, integration, quick_fixes=False, ax=axes[0, 0])
    assert layout_problems(drawn) == {"crossings": [], "overlaps": [], "covers": [], "unclear": []}


def test_the_cycle_with_quick_fixes_has_no_overlapping_label():
    """Lesson 07: R3 clear of experience (hand), R5 of the delay mark, no loop label on an arrow."""
    from matplotlib.path import Path

    drawn, _ = draw_cycle(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=8))
    assert layout_problems(drawn)["overlaps"] == []
    ax = drawn["ax"]
    ax.figure.canvas.draw()
    lines = [Path(ax.transData.transform(points)) for points in drawn["paths"].values()]
    for label, text in drawn["loops"].items():
        circle = text.get_bbox_patch().get_window_extent()
        assert not any(line.intersects_bbox(circle, filled=False) for line in lines), label
