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

import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from .._validate import check_fraction
from .knowledge import (
    BALANCED,
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


@dataclass(frozen=True)
class Diagnosis:
    """What a plan's knowledge cycle suffers from, or that it is healthy (see :func:`diagnose`).

    Attributes
    ----------
    mode : str
        One of ``"ivory tower"``, ``"consulting dependency"``, ``"firefighting"``,
        ``"fragmented"`` or ``"integrated"`` (the keys of `MODES`).
    title : str
        The mode's title, for a heading.
    explanation : str
        A paragraph for the learner: which loop is broken and what to change.
    loop_gain : float
        The reinforcing loop's gain (:func:`loop_gain`); the loop grows above 1.
    needed_integration : float or None
        The least integration at which this allocation's loop grows (gain 1),
        or None if it cannot grow even fully integrated.
    total, baseline_total : float
        Results over the diagnosis's projection (at least 10 years), and what
        all practice delivers over the same quarters.
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


def diagnose(allocation, integration, *, consultants=None):
    """Name what a plan's knowledge cycle suffers from, or say that it is healthy.

    The rules, in order (a share below 5% counts as starving an activity):

    1. **consulting dependency**: consultants are hired and the firm's own
       capability when they leave (or at the end) is below where it started and
       below where it would be without them;
    2. **ivory tower**: practice is starved, or research gets effort while
       capacity building is starved (theory never becomes skill);
    3. **firefighting**: research is starved (nothing new to learn: practice,
       perhaps with training in what is already known);
    4. all three get effort, but the loop's gain (:func:`loop_gain`) is below 1:
       **fragmented** if full integration would make it grow, otherwise
       **firefighting** if practice has the largest share (research and
       capacity building are too thin for any loop) or **ivory tower** if not;
    5. the loop grows: **ivory tower** if results after 10 years are still below
       the starting level (too little practice to use what is learned),
       otherwise **integrated**.

    The projection behind the explanation covers 10 years, or longer when
    consultants are hired or stop later (until 8 quarters after that).

    Parameters
    ----------
    allocation : sequence of 3 float
        ``(research, capacity building, practice)``, summing to 1.
    integration : float, in [0, 1]
    consultants : Consultants or None, optional

    Returns
    -------
    Diagnosis

    Examples
    --------
    Each failure mode, and health:

    >>> from senge_course.models.knowledge import ALL_PRACTICE, ALL_RESEARCH, EQUAL, Consultants
    >>> diagnose(ALL_PRACTICE, 1.0).mode
    'firefighting'
    >>> diagnose(ALL_RESEARCH, 1.0).mode
    'ivory tower'
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
    consultants = check_consultants(consultants, quarters)
    run = simulate(shares, integration, quarters=quarters, consultants=consultants)
    gain = loop_gain(shares, integration)
    full = loop_gain(shares, 1.0)
    needed = 1.0 / math.sqrt(full) if full >= 1.0 else None
    r, c, p = shares

    mode = None
    if consultants is not None:
        without = simulate(shares, integration, quarters=quarters)
        at = (consultants.stop_at or quarters) - 1
        own, own_without = float(run.capability[at]), float(without.capability[at])
        if own < run.initial["capability"] and own < own_without - 1e-6:
            mode = "consulting dependency"
    if mode is None:
        if p < STARVED or (r >= STARVED and c < STARVED):
            mode = "ivory tower"
        elif r < STARVED:
            mode = "firefighting"
        elif gain < 1.0:
            if full >= 1.0:
                mode = "fragmented"
            else:
                mode = "firefighting" if p >= max(r, c) else "ivory tower"
        elif run.results[DIAGNOSIS_QUARTERS - 1] < run.baseline:
            mode = "ivory tower"
        else:
            mode = "integrated"
    explanation = _EXPLAIN[mode](run, gain, full, needed, c < STARVED)
    return Diagnosis(
        mode=mode,
        title=MODES[mode],
        explanation=explanation,
        loop_gain=gain,
        needed_integration=needed,
        total=run.total,
        baseline_total=run.baseline_total,
    )


# --------------------------------------------------------------------------- explanations


def _shares_text(run):
    r, c, p = (round(100 * s) for s in run.allocation)
    return f"research gets {r}%, capacity building {c}% and practice {p}% of the effort"


def _span(quarters):
    return f"{quarters // 4} years" if quarters % 4 == 0 else f"{quarters} quarters"


def _versus(run):
    return (
        f"Over {_span(run.quarters)} the plan delivers {run.total:.1f} in results, "
        f"against {run.baseline_total:.0f} for all practice"
    )


def _explain_firefighting(run, gain, full, needed, _):
    r, c, p = run.allocation
    if r < STARVED:
        broken = (
            f"Research is starved: {_shares_text(run)}. With no new theory, capacity building "
            "can only teach what is already known, and nothing renews the capability practice "
            "uses up, so the reinforcing loop research \u2192 capacity building \u2192 practice "
            f"\u2192 research never turns (its gain is {gain:.2f}; it grows only above 1)."
        )
    else:
        broken = (
            f"Practice crowds out learning: {_shares_text(run)}. Research and capacity building "
            "are too thin for the reinforcing loop research \u2192 capacity building \u2192 "
            f"practice \u2192 research to grow: its gain is {gain:.2f}, and even fully "
            f"integrated it would be {full:.2f} (it grows only above 1)."
        )
    return (
        f"{broken} Results never grow ({run.results[0]:.2f} a quarter at first, "
        f"{run.results[-1]:.2f} at the end). {_versus(run)}. This is nonstop firefighting: "
        "putting everything into practice wins the short run, which is why so many firms are "
        "stuck in it. To change it, move effort into research and capacity building (for "
        f"example research {_pct(BALANCED[0])} and capacity building {_pct(BALANCED[1])}), "
        "couple them tightly to practice (integration 0.75 or more), and hold on through a dip "
        f"of about {_balanced_break_even() - 1} quarters before results overtake firefighting."
    )


def _explain_ivory_tower(run, gain, full, needed, capacity_starved):
    r, c, p = run.allocation
    if p < STARVED:
        broken = (
            f"Practice is starved: {_shares_text(run)}. Theory and skills pile up "
            f"(theory {run.theory[-1]:.2f} after {_span(run.quarters)}), but almost nobody "
            "applies them, so the loop breaks where capability should turn into results and "
            "experience."
        )
    elif capacity_starved:
        broken = (
            f"Capacity building is starved: {_shares_text(run)}. Research produces theory "
            f"({run.theory[-1]:.2f} after {_span(run.quarters)}) that is never turned into "
            "people's skills, so it stays on the shelf: the loop breaks between research and "
            "practice."
        )
    else:
        broken = (
            f"Practice is too thin for what is learned: {_shares_text(run)}. The loop turns "
            f"(gain {gain:.2f}), but there is too little practice to turn the theory and skills "
            "into results."
        )
    return (
        f"{broken} This is the ivory tower: research that is rarely applied. {_versus(run)}. "
        "To change it, give practice most of the effort and capacity "
        "building a real share, so that theory becomes skill and skill becomes results, and "
        "let research draw on what practice learns (raise integration)."
    )


def _explain_fragmented(run, gain, full, needed, _):
    full_total = simulate(run.allocation, 1.0, quarters=run.quarters).total
    return (
        f"All three activities get effort ({_shares_text(run)}), but integration is only "
        f"{run.integration:.2f}: research hardly draws on what practice learns, and capacity "
        "building hardly teaches what research finds. The reinforcing loop research \u2192 "
        f"capacity building \u2192 practice \u2192 research has a gain of {gain:.2f}, and it "
        f"grows only above 1. {_versus(run)}; fully integrated, "
        f"the same shares would deliver {full_total:.1f}. To change it, raise integration to at least "
        f"{math.ceil(needed * 100) / 100:.2f}: put researchers, trainers and practitioners to "
        "work on the same problems (action research, learning laboratories, communities of "
        "practice, internal networkers who carry lessons between them)."
    )


def _explain_dependency(run, gain, full, needed, _):
    k = run.consultants
    peak = float(run.results[k.start : k.stop_at or run.quarters].max())
    if k.stop_at is not None and k.stop_at < run.quarters:
        own = float(run.capability[k.stop_at - 1])
        after = float(run.results[k.stop_at :].min())
        fate = (
            f"By the time they leave after quarter {k.stop_at}, the firm's own capability has "
            f"fallen from {run.initial['capability']:.2f} to {own:.2f}, and results fall to "
            f"{after:.2f} a quarter, below the {run.baseline:.2f} they started at."
        )
    else:
        own = float(run.capability[-1])
        fate = (
            f"The firm's own capability falls from {run.initial['capability']:.2f} to "
            f"{own:.2f}, so the day the consultants leave, results will fall below the "
            f"{run.baseline:.2f} a quarter they started at."
        )
    return (
        f"Consultants add capability while the firm pays them, so results rise (up to "
        f"{peak:.2f} a quarter). But they do the work the firm's own people would have learned "
        f"from, so those people keep up fewer skills and gain less experience. {fate} This is "
        "Shifting the Burden to the Intervenor: the quick fix weakens the firm's own ability "
        "to solve its problems. To change it, build your own capacity while the consultants "
        "are there: put effort into research and capacity building, integrate them with "
        "practice, and ask the consultants to teach rather than to do."
    )


def _explain_integrated(run, gain, full, needed, _):
    low = float(run.results.min())
    when = int(np.argmin(run.results)) + 1
    even = run.break_even_quarter
    payback = run.payback_quarter
    end = float(run.results[DIAGNOSIS_QUARTERS - 1])
    dip = (
        f"Results first dip (to {low:.2f} a quarter in quarter {when}), because effort moves "
        f"from practice into learning, and are back above the starting level from quarter "
        f"{even}; "
        if low < run.baseline and even is not None
        else ""
    )
    catch_up = (
        f" (its cumulative results overtake firefighting's in quarter {payback})"
        if payback is not None and payback > 1
        else ""
    )
    return (
        f"{_shares_text(run)[0].upper()}{_shares_text(run)[1:]}, and integration is "
        f"{run.integration:.2f}, so the reinforcing loop research \u2192 capacity building "
        f"\u2192 practice \u2192 research has a gain of {gain:.2f}: above 1, it grows. {dip}"
        f"after 10 years results are {end:.2f} a quarter. {_versus(run)}{catch_up}. "
        "Head, heart and hand work as one cycle. Keep the coupling, and resist the pressure "
        "to cut research and capacity building during the dip: that is how firms slide back "
        "into firefighting."
    )


_EXPLAIN = {
    "firefighting": _explain_firefighting,
    "ivory tower": _explain_ivory_tower,
    "fragmented": _explain_fragmented,
    "consulting dependency": _explain_dependency,
    "integrated": _explain_integrated,
}


def _pct(share):
    return f"{round(100 * share)}%"


_BREAK_EVEN = []


def _balanced_break_even():
    if not _BREAK_EVEN:
        _BREAK_EVEN.append(simulate(BALANCED, 1.0).break_even_quarter)
    return _BREAK_EVEN[0]
