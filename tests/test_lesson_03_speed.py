"""Exercise 03 made faster (issue 16, item 7) without changing what it judges.

Question 6's expected value (the smallest seed share that tips mean degree 10, threshold 0.18)
is now a bisection that stops once both ends of its bracket round alike, computed once per
process.  These tests hold it equal to the full 40-halving bisection it replaced, and the
question's verdicts on the solution and on known wrong answers unchanged.
"""

import pytest

from senge_course.course.questions import lesson_03
from senge_course.models.cascades import final_size

Q6 = next(q for q in lesson_03.EXERCISE.questions if q.name == "answer_q6")


def _full_bisection():
    """The bisection as it was before issue 16: always 40 halvings, then rounded."""
    low, high = 0.0, 0.1
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if final_size(10, 0.18, mid) <= 0.5 else (low, mid)
    return round(high, 5)


@pytest.mark.slow
def test_the_early_stop_gives_the_full_bisections_answer():
    assert Q6.expected_value() == _full_bisection() == pytest.approx(0.01224, abs=1e-5)


def test_the_expected_value_is_computed_once_and_is_the_tipping_share():
    first, again = Q6.expected_value(), Q6.expected_value()
    assert first == again
    # the tipping share: just above it the network tips past one half, 0.0001 below it does not
    assert final_size(10, 0.18, first) > 0.5 >= final_size(10, 0.18, first - 1e-4)


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (0.0125, "correct"),  # the solution's loop: the first share in steps of 0.0005
        (0.01224, "correct"),
        (1.22, "correct"),  # a percentage is read as a share
        (0.0112, "incorrect"),  # more than 0.001 below
        (0.0134, "incorrect"),  # more than 0.001 above
        (0.01, "incorrect"),  # the share that only doubles
        (0.03, "incorrect"),  # a share that tips everyone, not the smallest
    ],
)
def test_question_6_verdicts_are_unchanged(answer, status):
    assert Q6.evaluate({"answer_q6": answer}).status == status


def test_the_solution_loop_finds_an_accepted_share():
    """The solution notebook's loop (steps of 0.0005 from 0.01) stops at an accepted share."""
    share = next(s / 10_000 for s in range(100, 300, 5) if final_size(10, 0.18, s / 10_000) > 0.5)
    assert share == 0.0125
    assert Q6.evaluate({"answer_q6": share}).status == "correct"
