"""Instructor settings: one scenario file sets the capstone's budget, prices, organisation, shock and goals.

An instructor (or a term) varies the capstone by writing an :class:`Assignment`, a versioned
JSON document (schema ``"senge-course/assignment"``, version 1) that the course validates
field by field.  `DEFAULT` is the course's own settings: it reproduces today's capstone
numbers (`~senge_course.models.budget.BUDGET`, `~senge_course.models.budget.PRICES`,
`~senge_course.models.capstone.default_organisation`, the 20% surge of 8 weeks,
`~senge_course.models.capstone.COMMITTED_GOAL`, `~senge_course.models.coupled.COUPLINGS`).

The fields (every one may be left out of a file: it then takes `DEFAULT`'s value):

``budget``
    The leadership budget in budget points (a number > 0; default 50, `budget.BUDGET`).
``prices``
    Rows of `budget.PRICES` to change, such as ``{"research": 40}`` (each a number >= 0; an
    unknown name is refused; default none: the course's prices).
``organisation``
    Keyword arguments of :func:`senge_course.models.org.organisation` (``seed``, ``teams``,
    ``team_size``, ``executives``, ``p_in``, ``p_out``, ``executive_ties``); they are checked by
    building it.  ``seed`` must be a whole number (everyone gets the same organisation); it is
    `capstone.DEFAULT_SEED` (1) if left out, so ``{"seed": 1}`` is the capstone's organisation.
``shock``
    The one shock of the assignment, a JSON object with a ``kind`` (`SHOCKS` says what each
    means and which part of the capstone applies it):

    * ``{"kind": "surge", "size": 0.2, "weeks": 8}``: the target the regime must meet rises by
      `size` (a share: 0.2 is +20%; above 0, at most 2) for `weeks` weeks (above 0, at most
      280: the capability model's run lasts 300 weeks and the surge starts in week 20).  This
      is the surge under which the "no capability trap" goal is judged; the default, 20% for
      8 weeks, is the capstone's (`capstone.SURGE`, `capstone.SURGE_WEEKS`).
    * ``{"kind": "budget_cut", "share": 0.2}``: the budget is cut by `share` (above 0, below
      1) before the design is made: the design must fit in ``budget * (1 - share)``
      (`Assignment.available_budget`).  The regime meets the capstone's own surge.
    * ``{"kind": "networker_leaves", "quarter": 1}``: the design's best-placed internal
      networker (the one with the most bridge ties) leaves in `quarter` (0 to 10; default 1,
      round 3 of the leader network: `timeline.round_of_quarter`), taking their ties with
      them; everyone keeps the state they had reached.  The regime meets the capstone's own
      surge.
``goals``
    ``{"committed": 0.6, "required": [...]}``: the share of people committed on average that
    counts as the practice spreading (above 0, at most 1; default `capstone.COMMITTED_GOAL`),
    and which of the capstone's three goals (`capstone.GOALS`) a design must meet (at least
    one; default all three).
``couplings``
    Rows of `coupled.COUPLINGS` to change, such as ``{"trap_starves_learning": 0}`` (an unknown
    name or a value out of range is refused; default none: the course's couplings).
``variants``
    True to give each student their own variant (:func:`for_student`); default false.
``notes``
    What the assignment is for and why it is set as it is, for instructors (text, at most
    2,000 characters; default empty; no model reads it).

How the models apply it
-----------------------
:meth:`Assignment.assess` judges a design under the assignment: the organisation
(:meth:`Assignment.graph`), the couplings (`Assignment.coupling_values`), the surge
(`Assignment.surge`), the networker who leaves (`Assignment.leaves`, a round) and the goals go
to `coupled.assess_coupled` (or, with ``couplings=OFF``, the models run separately).
:meth:`Assignment.cost` and :meth:`Assignment.within_budget` price a design at the assignment's
prices against `Assignment.available_budget`.  A ``budget_cut`` applies *before* the design is
made: the budget buys the first half year's commitments up front (`budget`), so the course
models no cut with money already spent.

Examples
--------
The course's settings, and a tighter budget: the documented feasible design
(`budget.FEASIBLE`, 49.5 points) fits the first and not the second.

>>> from senge_course.models.budget import FEASIBLE
>>> DEFAULT.available_budget, DEFAULT.within_budget(FEASIBLE)
(50.0, True)
>>> tight = DEFAULT.replace(shock={"kind": "budget_cut", "share": 0.2})
>>> tight.available_budget, tight.within_budget(FEASIBLE)
(40.0, False)
>>> DEFAULT.replace(shock={"kind": "flood"})
Traceback (most recent call last):
...
ValueError: shock: kind must be one of 'surge', 'budget_cut', 'networker_leaves', got kind='flood'
"""

import functools
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from numbers import Integral
from types import MappingProxyType

from .._validate import check_number, check_one_of
from .budget import BUDGET, PRICES, cost
from .capability import as_regime
from .capability import simulate as simulate_regime
from .capstone import COMMITTED_GOAL, DEFAULT_SEED, GOALS, SURGE, SURGE_WEEKS, Design
from .coupled import COUPLINGS, OFF, assess_coupled, check_couplings
from .org import ORGANISATION, organisation
from .parameters import Parameters, param
from .plan import Document
from .timeline import ROUNDS_PER_QUARTER, round_of_quarter

__all__ = [
    "DEFAULT",
    "SCHEMA",
    "SHOCKS",
    "SHOCK_FIELDS",
    "VARIANT_SURGE_SPREAD",
    "VERSION",
    "Assignment",
    "for_student",
    "student_seed",
]

#: The ``"schema"`` field of an assignment file, and the version this code writes and reads.
SCHEMA = "senge-course/assignment"
VERSION = 1

#: The shocks an instructor can set: kind -> what it means and which part of the capstone applies it.
SHOCKS = MappingProxyType(
    {
        "surge": "The target rises by `size` (0.2: +20%) for `weeks` weeks; the regime must "
        "stay out of the capability trap.  Applied by Assignment.regime_run "
        "(capability.simulate).",
        "budget_cut": "The budget is cut by `share` before the design is made.  Applied by "
        "Assignment.available_budget, .cost and .within_budget.",
        "networker_leaves": "The design's best-placed networker leaves in `quarter`, taking "
        "their ties; everyone keeps the state they had reached.  Applied by Assignment.assess "
        "(leadership.compare's `leaves`).",
    }
)

#: Each shock's fields: default, allowed range and meaning (a missing field takes its default).
SHOCK_FIELDS = MappingProxyType(
    {
        "surge": Parameters(
            size=param(SURGE, "(0, 2]", 0.01, "Surge", "rise in the target (0.2: +20%)"),
            weeks=param(
                SURGE_WEEKS,
                "(0, 280]",
                1.0,
                "Surge lasts",
                "until the target returns",
                unit="weeks",
            ),
        ),
        "budget_cut": Parameters(
            share=param(0.2, "(0, 1)", 0.05, "Budget cut", "share of the budget cut", unit="share"),
        ),
        "networker_leaves": Parameters(
            quarter=param(
                1.0,
                "[0, 10]",
                1 / ROUNDS_PER_QUARTER,
                "Networker leaves",
                "the quarter the best-placed networker leaves",
                unit="quarter",
            ),
        ),
    }
)

#: A student's variant moves the surge's size by at most this much either way, in steps of 0.01.
VARIANT_SURGE_SPREAD = 0.05

_ORGANISATION_KEYS = ("seed", *ORGANISATION)
_GOAL_KEYS = ("committed", "required")
_MAX_NOTES = 2000


@dataclass(frozen=True)
class Assignment(Document):
    """One assignment of the capstone: budget, prices, organisation, shock, goals, couplings.

    The fields and what each allows are in the module's docstring; every field is checked when
    an assignment is made (a `ValueError` or `TypeError` names the field, the bad value and what
    is allowed), and stored normalised: ``organisation`` always holds its ``seed``, ``shock``
    every field of its kind, ``goals`` both keys (``required`` in the order of
    `capstone.GOALS`).  As a `~senge_course.models.plan.Document` it saves to JSON through
    `senge_course.files` (atomically) and loads back equal; a file may leave fields out (they
    take `DEFAULT`'s values), but an unknown field is refused.

    Examples
    --------
    A smaller organisation and a bigger surge, saved and loaded back:

    >>> import pathlib, tempfile
    >>> a = Assignment(organisation={"seed": 4, "teams": 4}, shock={"kind": "surge", "size": 0.3})
    >>> a.shock["weeks"], a.graph().number_of_nodes()  # 3 executives, 4 teams of 8
    (8.0, 35)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "assignment.json"
    >>> a.save(path)
    >>> Assignment.load(path) == a
    True
    >>> Assignment(prices={"coffee": 1})
    Traceback (most recent call last):
    ...
    ValueError: prices: unknown input 'coffee': the inputs are pilot_team, mentoring, \
networker_team, mandate, research, capacity_building, consultants
    """

    SCHEMA, VERSION, WHAT = SCHEMA, VERSION, "assignment"
    FIELDS = (
        "notes",
        "budget",
        "prices",
        "organisation",
        "shock",
        "goals",
        "couplings",
        "variants",
    )

    budget: float = BUDGET
    prices: Mapping = field(default_factory=dict)
    organisation: Mapping = field(default_factory=lambda: {"seed": DEFAULT_SEED})
    shock: Mapping = field(default_factory=lambda: {"kind": "surge"})
    goals: Mapping = field(default_factory=dict)
    couplings: Mapping = field(default_factory=dict)
    variants: bool = False
    notes: str = ""

    def __post_init__(self):
        checked = {
            "notes": _check_notes,
            "budget": _check_budget,
            "prices": _check_prices,
            "organisation": _check_organisation,
            "shock": _check_shock,
            "goals": _check_goals,
            "couplings": _check_coupling_overrides,
            "variants": _check_variants,
        }
        for name, check in checked.items():
            object.__setattr__(self, name, check(getattr(self, name)))

    def replace(self, **changes):
        """Return a copy with some fields changed (checked like a new assignment)."""
        return replace(self, **changes)

    # ---------------------------------------------------------------- what the models use

    @property
    def available_budget(self):
        """The budget a design must fit in: `budget`, less a ``budget_cut`` shock's share."""
        if self.shock["kind"] == "budget_cut":
            return round(self.budget * (1.0 - self.shock["share"]), 9)
        return self.budget

    @property
    def price_table(self):
        """Every item's price (`budget.PRICES`' defaults changed by `prices`)."""
        return {**PRICES.defaults(), **self.prices}

    @property
    def coupling_values(self):
        """Every coupling's value (`coupled.COUPLINGS`' defaults changed by `couplings`)."""
        return check_couplings(dict(self.couplings))

    @property
    def surge(self):
        """``(size, weeks)``: the surge the regime meets (the capstone's unless the shock is a surge)."""
        if self.shock["kind"] == "surge":
            return self.shock["size"], self.shock["weeks"]
        return SURGE, SURGE_WEEKS

    @property
    def leaves(self):
        """The round the best-placed networker leaves (None unless the shock is ``networker_leaves``)."""
        if self.shock["kind"] == "networker_leaves":
            return round_of_quarter(self.shock["quarter"])
        return None

    def assess(self, design, *, couplings=None):
        """Judge `design` (a `capstone.Design`) under this assignment: a `coupled.CoupledReport`.

        `couplings` is None (the assignment's `coupling_values`), `coupled.OFF` (the three
        models separately) or a mapping of some couplings to new values.  The budget is not a
        goal of the models: ask :meth:`within_budget` as well.

        >>> from senge_course.models.budget import FEASIBLE
        >>> report = DEFAULT.assess(FEASIBLE)
        >>> round(report.committed, 2), report.passed
        (0.78, True)

        If the best-placed networker leaves at the start, the design spreads commitment less
        far; after a quarter, when most of the spread is done, the loss is small:

        >>> for quarter in (0, 1):
        ...     leaving = DEFAULT.replace(shock={"kind": "networker_leaves", "quarter": quarter})
        ...     print(quarter, round(leaving.assess(FEASIBLE).committed, 2))
        0 0.67
        1 0.75
        """
        design = _check_design(design)
        values = self.coupling_values if couplings is None else couplings
        if couplings is not None and couplings is not OFF:
            values = {**self.coupling_values, **couplings}
        plan = design.plan
        return assess_coupled(
            design.levers,
            design.regime,
            plan.allocation,
            plan.integration,
            consultants=plan.consultants,
            couplings=values,
            G=self.graph(),
            surge=self.surge,
            leaves=self.leaves,
            committed_goal=self.committed_goal,
            required=self.goals["required"],
        )

    @property
    def committed_goal(self):
        """The share of people committed on average that counts as the practice spreading."""
        return self.goals["committed"]

    def graph(self):
        """Return the assignment's organisation (built once and shared: treat it as read-only).

        >>> from senge_course.models.capstone import default_organisation
        >>> import networkx as nx
        >>> nx.utils.graphs_equal(DEFAULT.graph(), default_organisation())
        True
        """
        return _organisation(tuple(sorted(self.organisation.items())))

    def cost(self, design):
        """Return what `design` (a `capstone.Design`) costs at this assignment's prices (a `budget.Cost`)."""
        design = _check_design(design)
        plan = design.plan
        return cost(design.levers, plan.allocation, plan.consultants, prices=dict(self.prices))

    def within_budget(self, design):
        """True if `design` (a `capstone.Design`) fits in `available_budget` at this assignment's prices."""
        return self.cost(design).within(self.available_budget)

    def regime_run(self, regime):
        """Run `regime` under the assignment's `surge` (`capability.simulate`, as the capstone does).

        With the course's settings it is exactly `capstone.regime_run`:

        >>> from senge_course.models.capstone import regime_run
        >>> bool((DEFAULT.regime_run("command").climate == regime_run("command").climate).all())
        True
        """
        size, weeks = self.surge
        return simulate_regime(as_regime(regime), target_change=size, surge_weeks=weeks)

    @property
    def summary(self):
        """One or two sentences: the budget, the organisation, the shock and the goals."""
        G = self.graph()
        shock = {
            "surge": f"a {self.surge[0]:.0%} surge lasting {self.surge[1]:g} weeks",
            "budget_cut": f"a budget cut of {self.shock.get('share', 0):.0%}",
            "networker_leaves": "a key networker leaving",
        }[self.shock["kind"]]
        required = _join(list(self.goals["required"]))
        return (
            f"A budget of {self.available_budget:g} points for an organisation of "
            f"{G.number_of_nodes()} people in {G.graph['teams']} teams, facing {shock}; "
            f"goals: {required} (commitment at {self.committed_goal:.0%})."
            + (" Each student gets a variant." if self.variants else "")
        )

    # ---------------------------------------------------------------- the document

    def _fields(self):
        return {
            "notes": self.notes,
            "budget": self.budget,
            "prices": dict(self.prices),
            "organisation": dict(self.organisation),
            "shock": dict(self.shock),
            "goals": {
                "committed": self.goals["committed"],
                "required": list(self.goals["required"]),
            },
            "couplings": dict(self.couplings),
            "variants": self.variants,
        }

    @classmethod
    def _checked(cls, data):
        unknown = sorted(map(str, set(data) - set(cls.FIELDS)))
        if unknown:
            raise ValueError(
                f"an assignment has the fields {', '.join(cls.FIELDS)}; got unknown {unknown}"
            )
        return cls._from_fields(data)

    @classmethod
    def _from_fields(cls, data):
        return cls(**{name: data[name] for name in cls.FIELDS if name in data})


def for_student(assignment, student):
    """Return `student`'s variant of `assignment` (the assignment itself when `variants` is false).

    A variant changes only two things, both drawn from `student_seed` (the student's name,
    normalised, with the assignment's organisation seed):

    * the organisation's ``seed`` (the same sizes, another organisation);
    * if the shock is a surge, its ``size``, moved by at most `VARIANT_SURGE_SPREAD` (0.05)
      either way in steps of 0.01 (kept within (0, 2]).

    Everything else (budget, prices, goals, couplings, the weeks of the surge) is the same for
    every student.  The variant has ``variants`` false: it is one student's concrete assignment.
    The same name gives the same variant on any machine and in any Python session.

    Parameters
    ----------
    assignment : Assignment
        The instructor's assignment.
    student : str
        The student's name; case, accents' composed forms and spacing do not matter
        (``" Ada  LOVELACE"`` is ``"Ada Lovelace"``).

    Returns
    -------
    Assignment
        The student's variant.

    Raises
    ------
    TypeError, ValueError
        If `assignment` is not an Assignment, or `student` is not a name with a letter in it.

    Examples
    --------
    Two students get different organisations; the same student always gets the same one:

    >>> term = DEFAULT.replace(variants=True)
    >>> ada, bo = for_student(term, "Ada Lovelace"), for_student(term, "Bo Diddley")
    >>> ada == for_student(term, " ada  LOVELACE "), ada == bo
    (True, False)
    >>> for_student(DEFAULT, "Ada Lovelace") is DEFAULT  # no variants asked for
    True
    """
    if not isinstance(assignment, Assignment):
        raise TypeError(
            f"assignment must be an Assignment, got assignment={assignment!r} "
            f"({type(assignment).__name__})"
        )
    seed = student_seed(student, base_seed=assignment.organisation["seed"])
    if not assignment.variants:
        return assignment
    organisation = {**assignment.organisation, "seed": seed % 2**32}
    shock = dict(assignment.shock)
    if shock["kind"] == "surge":
        steps = round(VARIANT_SURGE_SPREAD * 100)
        offset = ((seed >> 32) % (2 * steps + 1) - steps) / 100
        shock["size"] = min(max(round(shock["size"] + offset, 2), 0.01), 2.0)
    return assignment.replace(organisation=organisation, shock=shock, variants=False)


def student_seed(student, *, base_seed=DEFAULT_SEED):
    """Return a whole number in [0, 2**63) derived from `student`'s name and `base_seed`.

    The name is normalised (Unicode NFKC, case folded, runs of spaces made one, ends trimmed)
    and hashed with SHA-256 together with `base_seed` (a whole number >= 0; an instructor who
    changes the organisation's seed reshuffles every variant), so the number is the same on
    every machine (unlike Python's ``hash``, which changes between sessions).

    >>> student_seed("Ada Lovelace") == student_seed("ADA   lovelace ")
    True
    >>> student_seed("Ada Lovelace") == student_seed("Ada Lovelace", base_seed=2)
    False
    """
    if not isinstance(student, str):
        raise TypeError(
            f"student must be the student's name (text), got student={student!r} "
            f"({type(student).__name__})"
        )
    name = " ".join(unicodedata.normalize("NFKC", student).casefold().split())
    if not any(ch.isalnum() for ch in name):
        raise ValueError(
            f"student must be a name with a letter or digit in it, got student={student!r}"
        )
    if isinstance(base_seed, bool) or not isinstance(base_seed, Integral) or base_seed < 0:
        raise ValueError(f"base_seed must be a whole number >= 0, got base_seed={base_seed!r}")
    digest = hashlib.sha256(f"{SCHEMA}|{int(base_seed)}|{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


# --------------------------------------------------------------------------- checks


def _prefixed(name, check, value):
    """Run `check(value)`; re-raise its error with the field's name in front."""
    try:
        return check(value)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name}: {error}") from None


def _mapping(name, value, example):
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a JSON object such as {example}, got {name}={value!r}")
    return dict(value)


def _check_budget(value):
    return check_number("budget", value, low=0, low_open=True)


def _check_prices(value):
    value = _mapping("prices", value, '{"research": 40}')
    return MappingProxyType(_prefixed("prices", PRICES.check, value))


def _check_coupling_overrides(value):
    value = _mapping("couplings", value, '{"trap_starves_learning": 0}')
    return MappingProxyType(
        {k: float(v) for k, v in _prefixed("couplings", COUPLINGS.check, value).items()}
    )


def _check_organisation(value):
    value = _mapping("organisation", value, '{"seed": 1, "teams": 6, "team_size": 8}')
    unknown = [str(k) for k in value if k not in _ORGANISATION_KEYS]
    if unknown:
        raise ValueError(
            f"organisation: unknown input {unknown[0]!r}: the inputs are "
            f"{', '.join(_ORGANISATION_KEYS)}"
        )
    value.setdefault("seed", DEFAULT_SEED)
    seed = value["seed"]
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(
            "organisation: seed must be a whole number >= 0 (everyone gets the same "
            f"organisation), got seed={seed!r}"
        )
    checked = {k: value[k] for k in _ORGANISATION_KEYS if k in value}
    _prefixed("organisation", lambda kw: _organisation(tuple(sorted(kw.items()))), checked)
    return MappingProxyType(checked)


def _check_shock(value):
    value = _mapping("shock", value, '{"kind": "surge", "size": 0.2, "weeks": 8}')
    kind = _prefixed("shock", lambda k: check_one_of("kind", k, tuple(SHOCKS)), value.get("kind"))
    table = SHOCK_FIELDS[kind]
    rest = {k: v for k, v in value.items() if k != "kind"}
    unknown = [str(k) for k in rest if k not in table]
    if unknown:
        allowed = (
            f"its fields are {', '.join(['kind', *table])}" if table else "its only field is kind"
        )
        raise ValueError(f"shock: a {kind!r} shock has no field {unknown[0]!r}; {allowed}")
    checked = {**table.defaults(), **_prefixed("shock", table.check, rest)}
    return MappingProxyType({"kind": kind, **{k: float(v) for k, v in checked.items()}})


def _check_goals(value):
    value = _mapping("goals", value, '{"committed": 0.6, "required": ["integrated cycle"]}')
    unknown = [str(k) for k in value if k not in _GOAL_KEYS]
    if unknown:
        raise ValueError(
            f"goals: unknown goal setting {unknown[0]!r}: the settings are {', '.join(_GOAL_KEYS)}"
        )
    committed = value.get("committed", COMMITTED_GOAL)
    committed = _prefixed(
        "goals", lambda x: check_number("committed", x, low=0, high=1, low_open=True), committed
    )
    required = value.get("required", list(GOALS))
    choices = ", ".join(repr(g) for g in GOALS)
    if isinstance(required, str) or not isinstance(required, list | tuple) or not required:
        raise ValueError(
            f"goals: required must be a list of one or more of {choices}, got required={required!r}"
        )
    for goal in required:
        _prefixed("goals", lambda g: check_one_of("required", g, GOALS), goal)
    if len(set(required)) < len(required):
        raise ValueError(f"goals: required names a goal twice, got required={required!r}")
    order = tuple(g for g in GOALS if g in required)
    return MappingProxyType({"committed": committed, "required": order})


def _check_notes(value):
    if not isinstance(value, str):
        raise TypeError(f"notes must be text, got notes={value!r} ({type(value).__name__})")
    if len(value) > _MAX_NOTES:
        raise ValueError(
            f"notes must be at most {_MAX_NOTES:,} characters, got {len(value):,} characters"
        )
    return value


def _check_variants(value):
    if not isinstance(value, bool):
        raise TypeError(f"variants must be true or false, got variants={value!r}")
    return value


def _check_design(design):
    if not isinstance(design, Design):
        raise TypeError(
            f"design must be a capstone Design (such as budget.FEASIBLE), got design={design!r}"
        )
    return design


@functools.lru_cache(maxsize=16)
def _organisation(items):
    """The organisation of the keyword arguments `items` (sorted pairs), built once."""
    return organisation(**dict(items))


def _join(items):
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


# made last: the checks above must exist first
#: The course's own settings: today's capstone (budget 50, the course's prices, the organisation
#: of seed 1, a 20% surge for 8 weeks, 60% committed and all three goals, the default couplings).
DEFAULT = Assignment()
