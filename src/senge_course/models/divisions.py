"""One organisation for the whole class: a division per student, joined by a few ties.

Lesson 05's design questions ask each student for levers (pilot teams, mentoring, networkers,
...) that spread a practice through one organisation.  A class debrief can put every design in
one organisation and run it as one history: what the class achieves *together*, against every
division led with the best single design.  This is OUR MODEL's way of merging the designs, a
teaching device with assumptions of its own: not something Senge (1997) proposes, and not
evidence about real divisions.

The model (deliberate choices)
------------------------------
Divisions
    Each student leads one division: a copy of the division organisation (by default lesson
    05's, ``org.organisation(seed=1)``: 3 executives, 6 teams of 8), led with that student's
    levers exactly as `senge_course.models.leadership.simulate` leads one organisation (the
    same thresholds, pilots, mentoring and networker bridges, drawn by
    `leadership.draw_run`).  Designs are not literally unioned into one organisation of
    lesson 05's size: forty students' pilots and networkers would saturate 51 people.
Ties between divisions (``cross_ties``, default 3)
    In each run every division lays one bridge of `cross_ties` informal ties into another
    division chosen at random: a chain of neighbouring people in one of its teams, starting at a
    member, zig-zags to a chain of neighbouring people in a team of the other division, exactly
    as `senge_course.models.org.networker_bridges` lays a networker's bridge into another team
    (the shape is drawn on the division organisation, its far end moved into the other
    division).  Every division thus has one bridge out and, on average, one in: with 3 ties
    each, about 6 ties into and out of a division of 51 people, where lesson 05's organisation
    has 11 informal ties between its own teams (``org.organisation(seed=1)``).  The
    ties weigh 1 both ways and their ends are ordinary people (they do not start committed).
    Why members and wide bridges, not executives or single ties: in our model executives reach
    only their line leaders, one tie among many (executives alone commit only themselves), so
    ties between executive groups would carry nothing; and a practice with thresholds near 0.45
    crosses only wide bridges (lessons 04 and 05, Centola & Macy 2007).  ``cross_ties=1`` is a
    single long tie between divisions, ``cross_ties=0`` keeps them apart.
One history
    The divisions and the ties between them form one network, and the practice spreads through
    it in one run of `senge_course.models.contagion.simulate`: a practice can spill from a
    strong division into a weak one, where thresholds are low enough for a bridge to tip a team.
Mandates
    A design with a mandate is skipped (the lesson's design questions ask for commitment
    without one, and one history has one mandate length).
What is compared (common random numbers)
    The class's designs joined (``together``), the same designs apart (``alone``: the same
    draws, no ties between divisions), and every division led with the best single design
    (``best``: the same draws and ties between divisions).  The best design is the one a
    `judge` scores highest: by default its mean final committed share leading one division
    alone (`leadership.compare`); the class debrief passes the lesson's own judge.
Calibration (our choices, not estimates)
    With nine divisions of lesson 05's budget design (2 pilot teams, mentoring 1, a networker
    bridging into 3 teams) and one division that only mentors (20 runs, seed 1), the mentoring
    division commits 6% apart (its executives), 14% joined by bridges 3 ties wide and still 6%
    joined by single long ties; in its place, a division with no levers stays below 1% joined;
    the nine strong divisions go from 69% apart to 73% joined.  A tie also adds to the weight
    its ends hear from, so a tie into an uncommitted division holds its end back a little
    (fractional thresholds): joining can cost a division a few points.
Randomness
    ``seed`` gives each run one seed per student (``run_seeds[run, i]``) and one for the ties
    between divisions: division ``i`` of a run draws exactly as ``leadership.simulate(division,
    levers, seed=int(run_seeds[run, i]))``, whatever the other students' designs, so without
    ties between divisions each division's history *is* that run.

Examples
--------
Two students: one runs two pilots with full mentoring and a networker, the other pulls no lever.
Apart, the second division commits nobody; joined, practice may spill into it, but rarely:
its thresholds are untouched, and a bridge seldom tips such a team.

>>> history = class_history({"ada": {"pilot_teams": 2, "mentoring": 1.0, "networkers": 1},
...                          "bo": {}}, runs=5, seed=1)
>>> history.students, history.best
(('ada', 'bo'), 'ada')
>>> float(history.alone_final[1])
0.0
>>> history.best_final > history.together_final
True

References
----------
Senge, P. M. (1997). Communities of leaders and learners. Harvard Business Review 75(5), 30-32.
Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. AJS 113(3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from numbers import Real
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp

from .._validate import check_integer, check_seed
from . import contagion, leadership, org
from ._arrays import readonly
from .parameters import Parameters, param

__all__ = [
    "CLASS_ORGANISATION",
    "MAX_DIVISIONS",
    "ClassHistory",
    "class_history",
    "design_levers",
]

#: The most divisions (students) one class organisation may have.
MAX_DIVISIONS = 200

#: The inputs of `class_history`: default, range and meaning.
CLASS_ORGANISATION = Parameters(
    cross_ties=param(
        3,
        "[0, 4] int",
        None,
        "Ties between divisions",
        "ties of the one bridge each division lays into another (0: apart; 1: a long tie)",
    ),
    runs=param(
        20, "[1, 1000] int", None, "Runs", "runs of the whole organisation", control_high=100
    ),
)


@dataclass(frozen=True, eq=False)
class ClassHistory:
    """The class as one organisation of divisions, run `runs` times (see the module).

    ``students`` lead one division each, in order, with ``levers``; ``skipped`` maps the
    students whose design could not lead a division to the reason.  ``scores``: the judge's
    score of each design; ``best``, the student whose design scored highest (the first of
    equals), and ``best_levers``.  ``people``: people per division; ``cross_ties``: the width of
    each division's bridge into another.  Arrays (read-only), shares of committed people by
    round (index 0 the start, ``rounds + 1`` values): ``together_by_round`` (runs x rounds + 1),
    the whole organisation with the class's designs; ``division_by_round`` (runs x divisions x
    rounds + 1), each division of it; ``alone_by_round``, each division with the same draws but
    no ties between divisions; ``best_by_round`` and ``best_division_by_round``, every division
    led with the best design (the same draws and ties).  ``run_seeds`` (runs x divisions):
    ``leadership.simulate(division, levers[i], seed=int(run_seeds[r, i]))`` draws as division
    ``i`` of run ``r``; ``ties_between`` (runs): the ties between divisions laid in each run.
    """

    students: tuple
    levers: tuple = field(repr=False)
    skipped: Mapping = field(repr=False)
    scores: Mapping = field(repr=False)
    best: str
    best_levers: leadership.Levers = field(repr=False)
    people: int
    cross_ties: int
    run_seeds: np.ndarray = field(repr=False)
    ties_between: np.ndarray = field(repr=False)
    together_by_round: np.ndarray = field(repr=False)
    division_by_round: np.ndarray = field(repr=False)
    alone_by_round: np.ndarray = field(repr=False)
    best_by_round: np.ndarray = field(repr=False)
    best_division_by_round: np.ndarray = field(repr=False)

    def __post_init__(self):
        readonly(*(getattr(self, f.name) for f in fields(self) if f.name.endswith("_round")))
        readonly(self.run_seeds, self.ties_between)

    @property
    def runs(self):
        """Runs of the whole organisation."""
        return self.together_by_round.shape[0]

    @property
    def rounds(self):
        """Rounds in each run."""
        return self.together_by_round.shape[1] - 1

    @property
    def divisions(self):
        """Number of divisions (students whose design leads one)."""
        return len(self.students)

    @property
    def together_final(self):
        """Mean final committed share of the whole organisation, the class's designs joined."""
        return float(self.together_by_round[:, -1].mean())

    @property
    def best_final(self):
        """Mean final committed share of the whole organisation, every division on the best design."""
        return float(self.best_by_round[:, -1].mean())

    @property
    def apart_final(self):
        """Mean final committed share of the whole organisation, the class's designs apart."""
        return float(self.alone_by_round[:, :, -1].mean())

    @property
    def division_final(self):
        """Each division's mean final committed share, joined (an array, one per student)."""
        return self.division_by_round[:, :, -1].mean(axis=0)

    @property
    def alone_final(self):
        """Each division's mean final committed share with no ties between divisions."""
        return self.alone_by_round[:, :, -1].mean(axis=0)

    @property
    def best_division_final(self):
        """Each division's mean final committed share when every division has the best design."""
        return self.best_division_by_round[:, :, -1].mean(axis=0)

    @property
    def spillover(self):
        """What the ties between divisions add to each division's mean final share (joined - alone)."""
        return self.division_final - self.alone_final

    @property
    def summary(self):
        """Two sentences: the class together against the best single design, and against apart."""
        skipped = f" ({len(self.skipped)} skipped)" if self.skipped else ""
        ties = (
            f"joined by a bridge of {_plural(self.cross_ties, 'tie')} from each division into "
            "another"
            if self.cross_ties and self.divisions > 1
            else "with no ties between divisions"
        )
        more = int(np.count_nonzero(self.spillover >= 0.05))
        less = int(np.count_nonzero(self.spillover <= -0.05))
        return (
            f"In our model, the class's {_plural(self.divisions, 'design')}, one division of "
            f"{self.people} people each{skipped}, {ties}, commit {self.together_final:.0%} of all "
            f"{self.people * self.divisions:,} people after {self.rounds} rounds (mean of "
            f"{_plural(self.runs, 'run')}); every division led with the best single design "
            f"({self.best_levers.describe()}) commits {self.best_final:.0%}. Apart, with no ties "
            f"between them, the same divisions commit {self.apart_final:.0%}; joined, {more} of "
            f"{self.divisions} commit 5 points or more above that, {less} 5 points or more below."
        )

    def __repr__(self):
        return (
            f"ClassHistory(divisions={self.divisions}, runs={self.runs}, "
            f"together_final={self.together_final:.3g}, best_final={self.best_final:.3g})"
        )


def design_levers(design):
    """Return a student's `design` (a dict of levers, or `leadership.Levers`) as `Levers`.

    Levers left out keep their defaults (off).  Raises TypeError or ValueError, with a reason
    a student can read, if `design` is not a dictionary of levers, names an unknown lever, gives
    a value out of range, or pulls a mandate (a class history runs without mandates).

    >>> design_levers({"pilot_teams": 2, "mentoring": 1.0}).describe()
    '2 pilot teams (line leader + 30% of the team); mentoring 1'
    >>> design_levers({"pilots": 2})
    Traceback (most recent call last):
    ...
    ValueError: 'pilots' is not a lever; the levers are bridge_width, mandate, mandate_rounds, mentoring, networkers, pilot_share, pilot_teams, teams_spanned
    """
    if isinstance(design, leadership.Levers):
        levers = design
    elif isinstance(design, Mapping):
        known = set(leadership.Levers.__dataclass_fields__)
        unknown = sorted(map(repr, set(map(str, design)) - known))
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)} {'is not a lever' if len(unknown) == 1 else 'are not levers'}"
                f"; the levers are {', '.join(sorted(known))}"
            )
        levers = leadership.Levers(**{str(k): v for k, v in design.items()})
    else:
        raise TypeError(
            "a design must be a dictionary of levers such as {'pilot_teams': 2, 'mentoring': 1.0}"
            f", got a {type(design).__name__}"
        )
    if levers.mandate > 0:
        raise ValueError(
            f"the design has a mandate (mandate={levers.mandate:g}); the class organisation runs "
            "without mandates, as the design questions ask"
        )
    return levers


def class_history(
    designs,
    *,
    judge=None,
    cross_ties=3,
    runs=20,
    seed=None,
    rounds=leadership.DEFAULT_ROUNDS,
    division=None,
    assumptions=None,
):
    """Return the class run as one organisation of divisions, one per student (`ClassHistory`).

    `designs` maps each student (text) to their design: a dict of levers or `leadership.Levers`
    (see `design_levers`).  A design that cannot lead a division (not levers, a mandate, more
    pilot teams or networkers than the division has, a bridge that cannot be laid) does not stop
    the run: the student is listed in ``skipped`` with the reason.  `judge` scores a design,
    ``Levers -> number``, higher is better (default: its mean final committed share leading one
    division alone over `runs` runs, by `leadership.compare`); the best design leads every
    division for the comparison (a design the judge refuses with TypeError or ValueError is
    skipped too).  `cross_ties` (0 to 4, default 3) is the width of the bridge each division
    lays into another (wider chains of neighbouring people do not fit reliably in teams of 8), `runs` (1 to 1000, default 20) the runs, `seed` the
    randomness, `rounds` (1 to 1000) the rounds per run, `division` the organisation every
    division copies (default lesson 05's, ``org.organisation(seed=1)``) and `assumptions`
    changes rows of `leadership.ASSUMPTIONS`, as in `leadership.simulate`.

    Raises TypeError or ValueError if `designs` is not a mapping of at most `MAX_DIVISIONS`
    students or no design can lead a division, an input is out of range, `judge` is not a
    function returning a number, or `division` is not an organisation.

    Examples
    --------
    The lesson's one-pilot design next to a design that only mentors: alone, the mentoring
    division commits its executives (3 of 51 people); joined, practice spilling over the bridges
    tips some of its teams, whose thresholds mentoring has lowered.

    >>> designs = {"ada": {"pilot_teams": 1, "mentoring": 1.0, "networkers": 3, "teams_spanned": 3},
    ...            "bo": {"mentoring": 1.0}, "cy": {"mandate": 0.5}}
    >>> history = class_history(designs, runs=10, seed=2)
    >>> history.students, history.skipped["cy"][:24]
    (('ada', 'bo'), 'the design has a mandate')
    >>> round(float(history.alone_final[1]), 3)
    0.059
    >>> bool(history.division_final[1] > history.alone_final[1])
    True
    """
    if not isinstance(designs, Mapping):
        raise TypeError(
            "designs must be a dict of student -> design (a dict of levers), got "
            f"designs of type {type(designs).__name__}"
        )
    if not designs or len(designs) > MAX_DIVISIONS:
        raise ValueError(
            f"designs must hold 1 to {MAX_DIVISIONS} students' designs, got {len(designs)}"
        )
    for student in designs:
        if not isinstance(student, str):
            raise TypeError(f"designs must be keyed by student ids (text), got {student!r}")
    if judge is not None and not callable(judge):
        raise TypeError(f"judge must be a function Levers -> number, got judge={judge!r}")
    inputs = CLASS_ORGANISATION.check({"cross_ties": cross_ties, "runs": runs})
    cross_ties, runs = inputs["cross_ties"], inputs["runs"]
    rounds = check_integer("rounds", rounds, low=1, high=1000)
    G = org.organisation(seed=1) if division is None else division
    prepared = leadership.prepare_organisation(G, assumptions=assumptions)
    rng = check_seed(seed)
    seeds = rng.integers(0, 2**63 - 1, size=(runs, len(designs) + 1), dtype=np.int64)
    judge_seed = int(rng.integers(0, 2**63 - 1))
    if judge is None:

        def judge(levers):
            return leadership.compare(
                G,
                {"design": levers},
                runs=runs,
                seed=judge_seed,
                rounds=rounds,
                assumptions=assumptions,
            )["design"].final_committed.mean()

    students, columns, levers, draws, skipped, scores, judged = [], [], [], [], {}, {}, {}
    for i, (student, design) in enumerate(designs.items()):
        try:
            lv = design_levers(design)
            ds = [leadership.draw_run(prepared, lv, seed=int(s)) for s in seeds[:, i + 1]]
            score = judged[lv] if lv in judged else judge(lv)
        except (TypeError, ValueError) as exc:
            skipped[student] = str(exc)
            continue
        judged[lv] = _check_score(score, lv)
        students.append(student)
        columns.append(i + 1)
        levers.append(lv)
        draws.append(ds)
        scores[student] = judged[lv]
    if not students:
        said = "; ".join(f"{s}: {why}" for s, why in skipped.items())
        raise ValueError(f"designs must hold at least one design that can lead a division: {said}")
    best = max(students, key=lambda s: scores[s])  # the first of equals
    best_levers = levers[students.index(best)]
    run_seeds = seeds[:, columns]
    n, D = prepared.n, len(students)
    shape = (runs, D, rounds + 1)
    joined, apart, best_div = np.empty(shape), np.empty(shape), np.empty(shape)
    laid = np.zeros(runs, dtype=np.int64)
    for r in range(runs):
        ties = _cross_ties(G, D, n, cross_ties, int(seeds[r, 0]))
        laid[r] = len(ties)
        ours = [draws[i][r] for i in range(D)]
        # the best design in every division: the same per-division seeds (common random numbers)
        theirs = [
            ours[i]
            if levers[i] == best_levers
            else leadership.draw_run(prepared, best_levers, seed=int(s))
            for i, s in enumerate(run_seeds[r])
        ]
        joined[r] = _history(ours, ties, n, rounds)
        apart[r] = joined[r] if not ties else _history(ours, [], n, rounds)
        best_div[r] = _history(theirs, ties, n, rounds)
    return ClassHistory(
        students=tuple(students),
        levers=tuple(levers),
        skipped=MappingProxyType(skipped),
        scores=MappingProxyType(scores),
        best=best,
        best_levers=best_levers,
        people=n,
        cross_ties=cross_ties,
        run_seeds=np.array(run_seeds),
        ties_between=laid,
        together_by_round=joined.mean(axis=1),
        division_by_round=joined,
        alone_by_round=apart,
        best_by_round=best_div.mean(axis=1),
        best_division_by_round=best_div,
    )


def _check_score(score, levers):
    """The judge's `score` of `levers`, checked to be a finite number."""
    if isinstance(score, bool) or not isinstance(score, Real) or not np.isfinite(score):
        raise TypeError(f"judge must return a finite number, got {score!r} for {levers!r}")
    return float(score)


def _cross_ties(G, divisions, n, width, seed):
    """The ties between divisions of one run, as (person, person) in the whole organisation:
    each division's bridge of `width` ties into another division chosen at random."""
    if not width or divisions < 2:
        return []
    rng = np.random.default_rng(seed)
    targets = (
        np.arange(divisions) + 1 + rng.integers(0, divisions - 1, size=divisions)
    ) % divisions
    members = sum(1 for _, role in G.nodes(data="role") if role == "member")
    shapes = []
    while len(shapes) < divisions:
        count = min(divisions - len(shapes), members)
        try:
            _, laid = org.networker_bridges(
                G, count=count, bridge_width=width, teams_spanned=1, seed=rng
            )
        except ValueError as exc:
            raise ValueError(
                f"cross_ties={width}: the division organisation cannot carry bridges that wide "
                f"between divisions ({exc}); choose fewer cross_ties"
            ) from None
        shapes += [laid[k * width : (k + 1) * width] for k in range(count)]
    pairs = {
        frozenset((i * n + a, int(j) * n + b))
        for i, (shape, j) in enumerate(zip(shapes, targets, strict=True))
        for a, b in shape
    }
    return sorted(tuple(sorted(p)) for p in pairs)


def _history(draws, ties, n, rounds):
    """Spread the practice once through the divisions of `draws` joined by `ties`; return each
    division's committed share by round (divisions x rounds + 1)."""
    D = len(draws)
    net = contagion.side_by_side([d.net for d in draws])
    if ties:
        u, v = np.array(ties).T
        both = (np.ones(2 * u.size), (np.concatenate([u, v]), np.concatenate([v, u])))
        matrix = (net.matrix + sp.csr_array(both, shape=net.matrix.shape)).tocsr()
        in_weight = matrix @ np.ones(D * n)
        degree = np.diff(matrix.indptr).astype(np.int64)
        readonly(in_weight, degree)
        net = replace(net, matrix=matrix, in_weight=in_weight, degree=degree)
    thresholds = np.concatenate([d.thresholds for d in draws])
    starters = np.flatnonzero(np.concatenate([d.starters for d in draws]))
    adoption = contagion.simulate(net, thresholds, starters, max_rounds=rounds).adoption_round
    adopted = adoption >= 0
    division = np.repeat(np.arange(D), n)
    counts = np.bincount(
        division[adopted] * (rounds + 1) + adoption[adopted], minlength=D * (rounds + 1)
    ).reshape(D, rounds + 1)
    return np.cumsum(counts, axis=1) / n


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"
