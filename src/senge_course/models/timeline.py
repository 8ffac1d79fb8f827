"""One timeline in quarters for the capstone's three models, and the shocks on it.

The course's three models keep their own clocks: the leader network moves in *rounds* (in each
round everyone hears from their ties and decides), the capability-trap model in *weeks*, the
knowledge cycle in *quarters*.  The capstone puts them on one axis, in quarters:

* a quarter is `WEEKS_PER_QUARTER` (13) weeks: the capability model's 300 weeks are about 23
  quarters;
* a round is a month, so a quarter is `ROUNDS_PER_QUARTER` (3) rounds and the leader network's
  30 rounds are 10 quarters.  This conversion is **our calibration**, not anything the leader
  model or the article fixes: a round is as long as it takes people to see their colleagues
  practise and make up their minds, and a month is a guess.  Halve it and the practice
  spreads twice as fast on this axis; nothing else in the leader model changes;
* the knowledge cycle runs for `QUARTERS` (40: 10 years).

Each model still runs for its own length: on the common axis the leaders' line ends at
quarter 10 (the network has long settled) and the regime's at about quarter 23.  The lines
are not stretched or extended.

The shocks sit on the same axis (`Event`): the mandate's rounds, the surge in the target (from
week 20 for the weeks it lasts), the quarter a networker leaves (a round, converted), the
consultants' contract.  :func:`timeline` builds a `Timeline` from a capstone report
(:class:`~senge_course.models.capstone.CapstoneReport`; a coupled report's ``.report``).

Examples
--------
>>> quarters_of_rounds(6), quarters_of_weeks(26)
(2.0, 2.0)
>>> round_of_quarter(1.0)
3
>>> from senge_course.models.capstone import assess
>>> from senge_course.models.knowledge import BALANCED
>>> line = timeline(assess("executives only (mandate)", "command", BALANCED, 1.0))
>>> [(e.name, round(e.start, 2), round(e.end, 2)) for e in line.events]
[('mandate', 0.0, 3.33), ('surge', 1.54, 2.15)]
"""

from dataclasses import dataclass, field

import numpy as np

from .._validate import check_number

__all__ = [
    "QUARTERS",
    "ROUNDS_PER_QUARTER",
    "WEEKS_PER_QUARTER",
    "Event",
    "Timeline",
    "quarters_of_rounds",
    "quarters_of_weeks",
    "round_of_quarter",
    "timeline",
]

#: Weeks in a quarter (52 / 4).
WEEKS_PER_QUARTER = 13.0
#: Rounds of the leader network in a quarter: a round is a month (our calibration).
ROUNDS_PER_QUARTER = 3
#: The common axis: the knowledge cycle's 40 quarters, 10 years.
QUARTERS = 40


def quarters_of_rounds(rounds):
    """Rounds of the leader network, in quarters (a number or an array)."""
    return (
        np.asarray(rounds, dtype=float) / ROUNDS_PER_QUARTER
        if np.ndim(rounds)
        else (float(rounds) / ROUNDS_PER_QUARTER)
    )


def quarters_of_weeks(weeks):
    """Weeks of the capability model, in quarters (a number or an array)."""
    return (
        np.asarray(weeks, dtype=float) / WEEKS_PER_QUARTER
        if np.ndim(weeks)
        else (float(weeks) / WEEKS_PER_QUARTER)
    )


def round_of_quarter(quarter):
    """The leader network's round at `quarter` (0 to 10), to the nearest round.

    >>> round_of_quarter(2.5)
    8
    """
    quarter = check_number("quarter", quarter, low=0, high=10)
    return int(np.floor(quarter * ROUNDS_PER_QUARTER + 0.5))


@dataclass(frozen=True)
class Event:
    """A shock or a lever with a time: `name`, `start` and `end` in quarters, and `text`."""

    name: str
    start: float
    end: float
    text: str


@dataclass(frozen=True, eq=False)
class Timeline:
    """The three models of one capstone report on one axis in quarters (see :func:`timeline`).

    ``leaders_quarter`` with ``committed`` (mean), ``committed_low``, ``committed_high``
    (5-95% of runs) and ``compliant`` (mean); ``regime_quarter`` with ``climate`` and
    ``performance`` (each relative to its start); ``knowledge_quarter`` with ``results`` (a
    quarter's results; ``baseline`` is all practice's 1 a quarter); ``events`` in order of
    start.
    """

    leaders_quarter: np.ndarray = field(repr=False)
    committed: np.ndarray = field(repr=False)
    committed_low: np.ndarray = field(repr=False)
    committed_high: np.ndarray = field(repr=False)
    compliant: np.ndarray = field(repr=False)
    regime_quarter: np.ndarray = field(repr=False)
    climate: np.ndarray = field(repr=False)
    performance: np.ndarray = field(repr=False)
    knowledge_quarter: np.ndarray = field(repr=False)
    results: np.ndarray = field(repr=False)
    baseline: float = 1.0
    events: tuple = ()

    @property
    def ends(self):
        """Where each model's run ends on the axis: ``{"leaders": 10.0, "regime": 23.1, ...}``."""
        return {
            "leaders": float(self.leaders_quarter[-1]),
            "regime": float(self.regime_quarter[-1]),
            "knowledge": float(self.knowledge_quarter[-1]),
        }

    @property
    def summary(self):
        """The timeline in two or three sentences, for captions and screen readers."""
        ends = self.ends
        text = (
            f"One axis in quarters (a quarter is {WEEKS_PER_QUARTER:g} weeks or "
            f"{ROUNDS_PER_QUARTER} rounds of the leader network). The leaders' run ends in "
            f"quarter {ends['leaders']:g} with {float(self.committed[-1]):.0%} committed; the "
            f"regime's in quarter {ends['regime']:.0f} with the climate at "
            f"{float(self.climate[-1]):.2f} of its start; the knowledge cycle's in quarter "
            f"{ends['knowledge']:g} with results at {float(self.results[-1]):.2f} a quarter "
            f"(all practice: {self.baseline:g})."
        )
        if self.events:
            text += " On the way: " + "; ".join(e.text for e in self.events) + "."
        return text


def timeline(report):
    """Return the `Timeline` of a capstone report (or a coupled report: its ``.report`` is used)."""
    report = getattr(report, "report", report)
    stats, run, k = report.diffusion, report.capability, report.knowledge
    rounds = np.arange(len(stats.committed_mean))
    events = []
    levers = report.levers
    if levers.mandate > 0 and levers.mandate_rounds > 0:
        end = quarters_of_rounds(min(levers.mandate_rounds, len(rounds) - 1))
        events.append(
            Event(
                "mandate",
                0.0,
                end,
                f"a mandate on {levers.mandate:.0%} of people to quarter {end:.1f}",
            )
        )
    if run.target_change:
        start = quarters_of_weeks(run.surge_start)
        lasts = run.surge_weeks
        end = quarters_of_weeks(run.weeks if lasts is None else run.surge_start + lasts)
        events.append(
            Event(
                "surge",
                start,
                end,
                f"a {run.target_change:.0%} surge in the target from quarter {start:.1f} to {end:.1f}",
            )
        )
    leaves = getattr(report, "leaves", None)
    if leaves is not None and levers.networkers:
        at = quarters_of_rounds(leaves)
        events.append(
            Event(
                "networker leaves", at, at, f"the best-placed networker leaves in quarter {at:.1f}"
            )
        )
    c = report.consultants
    if c is not None:
        end = float(QUARTERS if c.stop_at is None else min(c.stop_at, QUARTERS))
        events.append(
            Event(
                "consultants",
                float(c.start),
                end,
                f"consultants from quarter {c.start:g} to {end:g}",
            )
        )
    return Timeline(
        leaders_quarter=quarters_of_rounds(rounds),
        committed=np.asarray(stats.committed_mean),
        committed_low=np.asarray(stats.committed_low),
        committed_high=np.asarray(stats.committed_high),
        compliant=np.asarray(stats.compliant_mean),
        regime_quarter=quarters_of_weeks(run.week),
        climate=run.climate / run.climate[0],
        performance=run.relative("performance"),
        knowledge_quarter=np.array([0.0, *np.asarray(k.quarter, dtype=float)]),
        results=np.array([k.baseline, *np.asarray(k.results, dtype=float)]),
        baseline=float(k.baseline),
        events=tuple(sorted(events, key=lambda e: e.start)),
    )
