"""Diagnosing a plan's knowledge cycle: which failure it suffers from, or that it is healthy.

Senge (1997) names the ways research, capacity building and practice fail when they are split
apart: the ivory tower (research rarely applied), consulting that builds no capacity
(Shifting the Burden to the Intervenor), nonstop firefighting, and three communities that do
not learn from each other.  :func:`diagnose` projects a plan with the knowledge-cycle model
(:mod:`senge_course.models.knowledge`) and names its mode (`MODES`), with an explanation for the
learner: which loop is broken and what to change.

Examples
--------
>>> from senge_course.models.knowledge import BALANCED
>>> diagnose(BALANCED, integration=0.25).mode, diagnose(BALANCED, integration=1.0).mode
('fragmented', 'integrated')
"""

import functools
import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from .._validate import check_fraction
from .knowledge import (
    BALANCED,
    CALIBRATION,
    MAX_QUARTERS,
    check_allocation,
    check_consultants,
    loop_gain,
    simulate,
)

__all__ = ["DIAGNOSIS_QUARTERS", "MODES", "STARVED", "Diagnosis", "diagnose"]

#: The diagnoses, mode -> title.
MODES = MappingProxyType(
    {
        "ivory tower": "Ivory tower: theory that never reaches practice",
        "consulting dependency": "Consulting dependency: the burden shifts to the consultants",
        "firefighting": "Firefighting: practice that never renews itself",
        "fragmented": "Fragmented: three communities that do not learn from each other",
        "integrated": "Integrated: head, heart and hand in one cycle",
    }
)

#: A share below this (5 points) counts as starving the activity, in `diagnose`.
STARVED = 0.05
#: Quarters a diagnosis looks ahead (10 years), at least.
DIAGNOSIS_QUARTERS = 40
_LOOP = "research \u2192 capacity building \u2192 practice \u2192 research"


@dataclass(frozen=True)
class Diagnosis:
    """What a plan's knowledge cycle suffers from, or that it is healthy (see :func:`diagnose`).

    `mode` is a key of `MODES` and `title` its title; `explanation` a paragraph for the learner
    (which loop is broken and what to change); `loop_gain` the reinforcing loop's gain (it grows
    above 1) and `needed_integration` the least integration at which this allocation's loop
    grows (None if it cannot, even fully integrated); `total` the results over the diagnosis's
    projection (at least 10 years), against `baseline_total` for all practice.
    """

    mode: str
    title: str
    explanation: str = field(repr=False)
    loop_gain: float = 0.0
    needed_integration: float | None = None
    total: float = 0.0
    baseline_total: float = 0.0

    @property
    def summary(self):
        """The diagnosis in one sentence, for captions and alt text.

        >>> print(diagnose(BALANCED, 1.0).summary)
        Integrated: head, heart and hand in one cycle (loop gain 1.92; 59.9 in results over \
10 years, against 40 for all practice).
        """
        return (
            f"{self.title} (loop gain {self.loop_gain:.2f}; {self.total:.1f} in results over "
            f"{_span(round(self.baseline_total))}, against {self.baseline_total:.0f} for all "
            "practice)."
        )


def diagnose(allocation, integration, *, consultants=None, params=None):
    """Name what a plan's knowledge cycle suffers from, or say that it is healthy.

    `allocation` is ``(research, capacity building, practice)``, summing to 1; `integration` in
    [0, 1]; `consultants` a `~senge_course.models.knowledge.Consultants` or None; `params`
    changes the model's calibrated constants, as in
    :func:`~senge_course.models.knowledge.simulate`.  The rules, in order (a share below 5%
    counts as starving an activity):

    1. **consulting dependency**: consultants are hired and the firm's own capability when they
       leave (or at the end) is below where it started and below where it would be without them;
    2. **ivory tower**: practice is starved, or research gets effort while capacity building is
       starved (theory never becomes skill);
    3. **firefighting**: research is starved (nothing new to learn: practice, perhaps with
       training in what is already known);
    4. all three get effort, but the loop's gain is below 1: **fragmented** if full integration
       would make it grow, otherwise **firefighting** if practice has the largest share
       (research and capacity building are too thin for any loop) or **ivory tower** if not;
    5. the loop grows: **ivory tower** if results after 10 years are still below the starting
       level (too little practice to use what is learned), otherwise **integrated**.

    The projection behind the explanation covers 10 years, or longer when consultants are hired
    or stop later (until 8 quarters after that).

    Examples
    --------
    Each failure mode, and health:

    >>> from senge_course.models.knowledge import ALL_PRACTICE, ALL_RESEARCH, EQUAL, Consultants
    >>> diagnose(ALL_PRACTICE, 1.0).mode, diagnose(ALL_RESEARCH, 1.0).mode
    ('firefighting', 'ivory tower')
    >>> diagnose(EQUAL, 0.2).mode
    'fragmented'
    >>> diagnose(ALL_PRACTICE, 1.0, consultants=Consultants(0.5, stop_at=8)).mode
    'consulting dependency'
    >>> d = diagnose(BALANCED, 1.0)
    >>> d.title
    'Integrated: head, heart and hand in one cycle'
    >>> print(d.explanation[:60])
    Research gets 20%, capacity building 20% and practice 60% of
    """
    shares = check_allocation(allocation)
    integration = check_fraction("integration", integration)
    consultants = check_consultants(consultants, MAX_QUARTERS)
    quarters = DIAGNOSIS_QUARTERS
    if consultants is not None:
        last = consultants.start if consultants.stop_at is None else consultants.stop_at
        quarters = min(max(quarters, last + 8), MAX_QUARTERS)
    run = simulate(shares, integration, quarters=quarters, consultants=consultants, params=params)
    gain = loop_gain(shares, integration, params=params)
    full = loop_gain(shares, 1.0, params=params)
    r, c, p = shares
    dependent = False
    if consultants is not None:
        without = simulate(shares, integration, quarters=quarters, params=params)
        at = (consultants.stop_at or quarters) - 1
        own = float(run.capability[at])
        dependent = own < run.initial["capability"] and own < without.capability[at] - 1e-6
    if dependent:
        mode = "consulting dependency"
    elif p < STARVED or (r >= STARVED and c < STARVED):
        mode = "ivory tower"
    elif r < STARVED:
        mode = "firefighting"
    elif gain < 1.0 and full >= 1.0:
        mode = "fragmented"
    elif gain < 1.0:
        mode = "firefighting" if p >= max(r, c) else "ivory tower"
    elif run.results[DIAGNOSIS_QUARTERS - 1] < run.baseline:
        mode = "ivory tower"
    else:
        mode = "integrated"
    changed = [f"{k} {v:g}" for k, v in (params or {}).items() if v != CALIBRATION[k].default]
    note = f" (Constants changed from their calibration: {', '.join(changed)}.)" if changed else ""
    return Diagnosis(
        mode=mode,
        title=MODES[mode],
        explanation=_explain(mode, run, gain, full, params) + note,
        loop_gain=gain,
        needed_integration=1.0 / math.sqrt(full) if full >= 1.0 else None,
        total=run.total,
        baseline_total=run.baseline_total,
    )


def _explain(mode, run, gain, full, params=None):
    """The paragraph for `mode`: which loop is broken, what it costs and what to change."""
    r, c, p = run.allocation
    shares = "research gets {}%, capacity building {}% and practice {}% of the effort".format(
        *(round(100 * s) for s in run.allocation)
    )
    versus = (
        f"Over {_span(run.quarters)} the plan delivers {run.total:.1f} in results, "
        f"against {run.baseline_total:.0f} for all practice"
    )
    theory = f"{run.theory[-1]:.2f} after {_span(run.quarters)}"
    if mode == "firefighting" and r < STARVED:
        broken = (
            f"Research is starved: {shares}. With no new theory, capacity building can only "
            "teach what is already known, and nothing renews the capability practice uses up, "
            f"so the reinforcing loop {_LOOP} never turns (its gain is {gain:.2f}; it grows "
            "only above 1)."
        )
    elif mode == "firefighting":
        broken = (
            f"Practice crowds out learning: {shares}. Research and capacity building are too "
            f"thin for the reinforcing loop {_LOOP} to grow: its gain is {gain:.2f}, and even "
            f"fully integrated it would be {full:.2f} (it grows only above 1)."
        )
    elif mode == "ivory tower" and p < STARVED:
        broken = (
            f"Practice is starved: {shares}. Theory and skills pile up (theory {theory}), but "
            "almost nobody applies them, so the loop breaks where capability should turn into "
            "results and experience."
        )
    elif mode == "ivory tower" and c < STARVED:
        broken = (
            f"Capacity building is starved: {shares}. Research produces theory ({theory}) that "
            "is never turned into people's skills, so it stays on the shelf: the loop breaks "
            "between research and practice."
        )
    elif mode == "ivory tower":
        broken = (
            f"Practice is too thin for what is learned: {shares}. The loop turns (gain "
            f"{gain:.2f}), but there is too little practice to turn the theory and skills into "
            "results."
        )
    if mode == "firefighting":
        even = _balanced_break_even(tuple(sorted((params or {}).items())))
        hold = (
            f"and hold on through a dip of about {even - 1} quarters before results overtake "
            "firefighting."
            if even is not None
            else "but with these constants even that never gets back above today's results."
        )
        return (
            f"{broken} Results never grow ({run.results[0]:.2f} a quarter at first, "
            f"{run.results[-1]:.2f} at the end). {versus}. This is nonstop firefighting: "
            "putting everything into practice wins the short run, which is why so many firms "
            "are stuck in it. To change it, move effort into research and capacity building "
            f"(for example research {round(100 * BALANCED[0])}% and capacity building "
            f"{round(100 * BALANCED[1])}%), couple them tightly to practice (integration 0.75 "
            f"or more), {hold}"
        )
    if mode == "ivory tower":
        return (
            f"{broken} This is the ivory tower: research that is rarely applied. {versus}. "
            "To change it, give practice most of the effort and capacity building a real "
            "share, so that theory becomes skill and skill becomes results, and let research "
            "draw on what practice learns (raise integration)."
        )
    if mode == "fragmented":
        full_total = simulate(run.allocation, 1.0, quarters=run.quarters, params=params).total
        needed = math.ceil(1.0 / math.sqrt(full) * 100) / 100
        return (
            f"All three activities get effort ({shares}), but integration is only "
            f"{run.integration:.2f}: research hardly draws on what practice learns, and "
            f"capacity building hardly teaches what research finds. The reinforcing loop {_LOOP} "
            f"has a gain of {gain:.2f}, and it grows only above 1. {versus}; fully integrated, "
            f"the same shares would deliver {full_total:.1f}. To change it, raise integration to "
            f"at least {needed:.2f}: put researchers, trainers "
            "and practitioners to work on the same problems (action research, learning "
            "laboratories, communities of practice, internal networkers who carry lessons "
            "between them)."
        )
    if mode == "consulting dependency":
        k, start = run.consultants, run.initial["capability"]
        peak = float(run.results[k.start : k.stop_at or run.quarters].max())
        if k.stop_at is not None and k.stop_at < run.quarters:
            fate = (
                f"By the time they leave after quarter {k.stop_at}, the firm's own capability "
                f"has fallen from {start:.2f} to {run.capability[k.stop_at - 1]:.2f}, and "
                f"results fall to {run.results[k.stop_at :].min():.2f} a quarter, below the "
                f"{run.baseline:.2f} they started at."
            )
        else:
            fate = (
                f"The firm's own capability falls from {start:.2f} to "
                f"{run.capability[-1]:.2f}, so the day the consultants leave, results will "
                f"fall below the {run.baseline:.2f} a quarter they started at."
            )
        return (
            "Consultants add capability while the firm pays them, so results rise (up to "
            f"{peak:.2f} a quarter). But they do the work the firm's own people would have "
            f"learned from, so those people keep up fewer skills and gain less experience. {fate} "
            "This is Shifting the Burden to the Intervenor: the quick fix weakens the firm's own "
            "ability to solve its problems. To change it, build your own capacity while the "
            "consultants are there: put effort into research and capacity building, integrate "
            "them with practice, and ask the consultants to teach rather than to do."
        )
    low, even, payback = float(run.results.min()), run.break_even_quarter, run.payback_quarter
    dip = (
        f"Results first dip (to {low:.2f} a quarter in quarter "
        f"{int(np.argmin(run.results)) + 1}), because effort moves from practice into learning, "
        f"and are back above the starting level from quarter {even}; "
        if low < run.baseline and even is not None
        else ""
    )
    catch_up = (
        f" (its cumulative results overtake firefighting's in quarter {payback})"
        if payback is not None and payback > 1
        else ""
    )
    return (
        f"{shares[0].upper()}{shares[1:]}, and integration is {run.integration:.2f}, so the "
        f"reinforcing loop {_LOOP} has a gain of {gain:.2f}: above 1, it grows. {dip}after 10 "
        f"years results are {run.results[DIAGNOSIS_QUARTERS - 1]:.2f} a quarter. "
        f"{versus}{catch_up}. Head, heart and hand work as one cycle. Keep the coupling, and "
        "resist the pressure to cut research and capacity building during the dip: that is how "
        "firms slide back into firefighting."
    )


def _span(quarters):
    return f"{quarters // 4} years" if quarters % 4 == 0 else f"{quarters} quarters"


@functools.cache
def _balanced_break_even(params=()):
    return simulate(BALANCED, 1.0, params=dict(params)).break_even_quarter
