"""A learner's plan for a community of leaders and learners: effort, coupling, initiatives.

A :class:`Plan` records the decisions of the knowledge-cycle model
(:mod:`senge_course.models.knowledge`): the shares of effort for research, capacity building and
practice, the integration level, the planning horizon and any consultants; and the concrete
**initiatives** that carry them out, each led by one of Senge's three kinds of leader.  A plan
projects itself with the model, diagnoses itself, saves to JSON and loads back equal, and
exports a one-page Markdown plan an instructor can read.

The allocation is the learner's decision and is set directly; initiatives are the concrete
means.  Each initiative's ``effort`` is in **share points**: percentage points of the
organisation's effort it takes while it runs.  The points of research and capacity-building
initiatives say where those activities' effort goes; practice initiatives (pilot groups,
after-action reviews, the networkers' forum) change *how* practice is done, and their points
are the share of practice they reorganise, so they take nothing away from practice.
:func:`allocation_from_initiatives` derives an allocation from initiatives (practice gets the
rest), for a learner who wants the two to match; `Plan.initiative_effort` shows how far they
do.  The whole catalogue adds up to research 20 and capacity building 20 points: the model's
`~senge_course.models.knowledge.BALANCED` plan.

A plan (like a capstone design) is a `Document`: versioned UTF-8 JSON (`SCHEMA`, `VERSION`).

Examples
--------
A plan with two initiatives, saved and loaded back:

>>> import tempfile, pathlib
>>> plan = Plan("Atelier 学習 🌱", allocation=(0.2, 0.2, 0.6), integration=0.8,
...             initiatives=["learning-laboratory", ("action-research", 3)])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.json"
>>> plan.save(path)
>>> Plan.load(path) == plan
True
>>> plan.initiatives[1]
PlannedInitiative(key='action-research', start=3)
>>> plan.diagnose().mode
'integrated'
"""

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType

from .. import files
from .._validate import check_fraction, check_integer
from .diagnosis import diagnose
from .knowledge import (
    ACTIVITIES,
    ALL_PRACTICE,
    Consultants,
    check_allocation,
    check_consultants,
    simulate,
)
from .parameters import param

__all__ = [
    "HORIZON",
    "INITIATIVES",
    "LEADERS",
    "SCHEMA",
    "VERSION",
    "Document",
    "Initiative",
    "Plan",
    "PlannedInitiative",
    "allocation_from_initiatives",
    "markdown_page",
    "markdown_text",
    "rebalance",
    "whole_percents",
]

#: The ``"schema"`` field of a plan file, and the version this code writes and reads.
SCHEMA = "senge-course/plan"
VERSION = 1
#: The planning horizon: a plan's range and the planner's slider.
HORIZON = param(
    10, "[1, 25] int", None, "Horizon (years)", "how far ahead the plan is projected", unit="years"
)
#: Most initiatives in a plan, and the longest plan name (characters).
MAX_INITIATIVES = 100
MAX_NAME = 200
#: Senge's three kinds of leader.
LEADERS = ("local line leader", "executive leader", "internal networker")
_ALLOCATION_KEYS = ("research", "capacity_building", "practice")


class Document:
    """A frozen dataclass kept as a versioned JSON document (a plan, a capstone design).

    A subclass sets `SCHEMA`, `VERSION`, `WHAT` (``"plan"``) and `FIELDS` (the document's
    fields, in order) and defines ``_fields()`` (them as plain data) and ``_from_fields(data)``.
    Files go through `senge_course.files`: written atomically, so a failed save never damages
    the file already there; loading refuses files too large, not JSON (or truncated), of other
    schemas or unknown versions, naming the file.
    """

    SCHEMA = VERSION = WHAT = None
    FIELDS = ()

    def to_dict(self):
        """Return it as plain JSON data, with the schema and version."""
        return {"schema": self.SCHEMA, "version": self.VERSION, **self._fields()}

    @classmethod
    def from_dict(cls, data):
        """Make one from the data `to_dict` returns; refuse other schemas, versions and fields.

        The dict form of `senge_course.files.loads`: the same checks and messages.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a {cls.WHAT} must be a JSON object, got {type(data).__name__}")
        data = dict(data)
        found, version = data.pop("schema", None), data.pop("version", None)
        if found != cls.SCHEMA:
            raise ValueError(f"it is a {found!r} file, not a {cls.SCHEMA!r} file")
        if version != cls.VERSION or isinstance(version, bool):
            raise ValueError(f"it has version {version!r}; this course reads version {cls.VERSION}")
        return cls._checked(data)

    @classmethod
    def _checked(cls, data):
        unknown = sorted(map(str, set(data) - set(cls.FIELDS)))
        missing = [name for name in cls.FIELDS if name not in data]
        if unknown or missing:
            raise ValueError(
                f"a version-{cls.VERSION} {cls.WHAT} has the fields {', '.join(cls.FIELDS)}; "
                f"got missing {missing} and unknown {unknown}"
            )
        return cls._from_fields(data)

    def to_json(self):
        """Return the file's text (UTF-8 JSON, indented, ending in a newline)."""
        return files.dumps(self._fields(), schema=self.SCHEMA, version=self.VERSION)

    def save(self, path):
        """Save it to `path` as JSON, atomically: a failed save (OSError) leaves the old file."""
        files.write_text(path, self.to_json(), what=f"the {self.WHAT}")

    @classmethod
    def load(cls, path):
        """Load a file `save` wrote; ValueError or FileNotFoundError name the file and the problem.

        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "broken.json"
        >>> _ = path.write_text('{"schema": "senge-course/plan", "vers')
        >>> Plan.load(path)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: cannot load the plan .../broken.json: it is not valid JSON: it ends too early \
(truncated?)...
        """
        data = files.read_document(path, schema=cls.SCHEMA, version=cls.VERSION, what=cls.WHAT)
        try:
            return cls._checked(data)
        except (ValueError, TypeError) as error:
            raise ValueError(f"cannot load the {cls.WHAT} {path}: {error}") from None


@dataclass(frozen=True)
class Initiative:
    """A concrete initiative from the catalogue `INITIATIVES`.

    Its `key` identifies it in plan files (``"learning-laboratory"``), its `name` is what
    learners read (``"Learning laboratory"``); `activity` is one of the three activities,
    `leader` the kind of leader it needs most (one of `LEADERS`), `effort` its share points
    while it runs, and `description` says what it is in a sentence or two.
    """

    key: str
    name: str
    activity: str
    leader: str
    effort: int
    description: str = field(default="", repr=False)


#: The catalogue of initiatives, by key.
INITIATIVES = MappingProxyType(
    {
        i.key: i
        for i in (
            Initiative(
                "action-research",
                "Action-research project with a university",
                "research",
                "local line leader",
                10,
                "Researchers and a line leader's team study a real problem together, "
                "turning the team's experience into theory they can test.",
            ),
            Initiative(
                "learning-history",
                "Learning history",
                "research",
                "internal networker",
                5,
                "Networkers interview the people who lived through a change and write up "
                "what happened and why, for others to learn from.",
            ),
            Initiative(
                "scenario-inquiry",
                "Executive scenario inquiry",
                "research",
                "executive leader",
                5,
                "The executive team studies how the business might unfold and tests its own "
                "assumptions with researchers.",
            ),
            Initiative(
                "learning-laboratory",
                "Learning laboratory",
                "capacity building",
                "executive leader",
                10,
                "A practice field where teams rehearse decisions with simulations and reflect on "
                "their mental models; executives fund and protect it.",
            ),
            Initiative(
                "mentoring-pairs",
                "Mentoring pairs",
                "capacity building",
                "executive leader",
                5,
                "Executives meet line leaders regularly as thinking partners, not as bosses.",
            ),
            Initiative(
                "community-of-practice",
                "Community of practice",
                "capacity building",
                "internal networker",
                5,
                "People who do similar work across teams meet to share know-how and build skills.",
            ),
            Initiative(
                "pilot-group",
                "Pilot group",
                "practice",
                "local line leader",
                10,
                "A line leader's team tries the new practice in its real work, with room to fail "
                "and learn (pilot groups come from Senge's later writing: 1996, and The Dance of "
                "Change, 1999).",
            ),
            Initiative(
                "after-action-reviews",
                "After-action reviews",
                "practice",
                "local line leader",
                5,
                "After each project or crisis the team asks: what did we expect, what happened, "
                "why, and what will we do differently?",
            ),
            Initiative(
                "networkers-forum",
                "Internal networkers' forum",
                "practice",
                "internal networker",
                5,
                "Internal networkers meet to carry practices that work from team to team.",
            ),
        )
    }
)


@dataclass(frozen=True)
class PlannedInitiative:
    """An initiative in a plan: a key of `INITIATIVES` and the quarter it starts (default 1).

    >>> PlannedInitiative("pilot-group", start=2).initiative.leader
    'local line leader'
    """

    key: str
    start: int = 1

    def __post_init__(self):
        if not isinstance(self.key, str) or self.key not in INITIATIVES:
            known = ", ".join(INITIATIVES)
            raise ValueError(f"there is no initiative {self.key!r}; the initiatives are {known}")
        object.__setattr__(self, "start", check_integer("start", self.start, low=1))

    @property
    def initiative(self):
        """The catalogue entry (an :class:`Initiative`)."""
        return INITIATIVES[self.key]


@dataclass(frozen=True)
class Plan(Document):
    """A learner's plan: effort shares, integration, horizon, consultants and initiatives.

    Every field is checked when the plan is made; use `replace` for a changed copy.

    `name` is any Unicode text, 1 to 200 characters, not only spaces; `allocation`
    ``(research, capacity building, practice)`` sums to 1 (or is a mapping with keys
    ``research``, ``capacity_building``, ``practice``; default all practice, the firm as it is);
    `integration` is in [0, 1] (default 0.25); `horizon` in years (`HORIZON`: the projection
    covers ``4 * horizon`` quarters); `consultants` a `Consultants` or None; `initiatives` keys of
    `INITIATIVES`, ``(key, start quarter)`` pairs or :class:`PlannedInitiative` (at most 100,
    each starting within the horizon).

    >>> plan = Plan("Ours", allocation={"research": 0.1, "capacity_building": 0.2,
    ...                                 "practice": 0.7}, integration=0.9)
    >>> plan.allocation, plan.quarters
    ((0.1, 0.2, 0.7), 40)
    >>> Plan("   ")
    Traceback (most recent call last):
    ...
    ValueError: name must contain at least one character that is not a space, got name='   '
    """

    SCHEMA, VERSION, WHAT = SCHEMA, VERSION, "plan"
    FIELDS = ("name", "allocation", "integration", "horizon_years", "consultants", "initiatives")

    name: str
    allocation: tuple = ALL_PRACTICE
    integration: float = 0.25
    horizon: int = 10
    consultants: Consultants | None = None
    initiatives: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "name", _check_name(self.name))
        object.__setattr__(self, "allocation", _allocation(self.allocation))
        object.__setattr__(self, "integration", check_fraction("integration", self.integration))
        object.__setattr__(self, "horizon", HORIZON.check("horizon", self.horizon))
        object.__setattr__(self, "consultants", check_consultants(self.consultants, self.quarters))
        object.__setattr__(self, "initiatives", _initiatives(self.initiatives, self.quarters))

    @property
    def quarters(self):
        """The horizon in quarters."""
        return 4 * self.horizon

    def simulate(self, **kwargs):
        """Project the plan over its horizon (:func:`senge_course.models.knowledge.simulate`)."""
        k = self.consultants
        return simulate(
            self.allocation, self.integration, quarters=self.quarters, consultants=k, **kwargs
        )

    def diagnose(self):
        """Diagnose the plan (:func:`senge_course.models.diagnosis.diagnose`)."""
        return diagnose(self.allocation, self.integration, consultants=self.consultants)

    def replace(self, **changes):
        """Return a copy with some fields changed (checked like a new plan)."""
        return replace(self, **changes)

    def initiative_effort(self):
        """Return the share points the plan's initiatives take, by activity.

        >>> Plan("x", initiatives=["pilot-group", "mentoring-pairs"]).initiative_effort()
        {'research': 0, 'capacity building': 5, 'practice': 10}
        """
        return _effort(self.initiatives)

    def leaders(self):
        """Return the names of the plan's initiatives by the kind of leader they need.

        >>> Plan("x", initiatives=["pilot-group"]).leaders()["local line leader"]
        ['Pilot group']
        """
        grouped = {kind: [] for kind in LEADERS}
        for item in self.initiatives:
            grouped[item.initiative.leader].append(item.initiative.name)
        return grouped

    def _fields(self):
        k = self.consultants
        return {
            "name": self.name,
            "allocation": dict(zip(_ALLOCATION_KEYS, self.allocation, strict=True)),
            "integration": self.integration,
            "horizon_years": self.horizon,
            "consultants": None if k is None else asdict(k),
            "initiatives": [{"key": i.key, "start": i.start} for i in self.initiatives],
        }

    @classmethod
    def _from_fields(cls, data):
        k = data["consultants"]
        if k is not None and (
            not isinstance(k, Mapping) or set(k) != {"spend", "start", "stop_at"}
        ):
            raise ValueError(
                f"consultants must be null or an object with spend, start and stop_at, got {k!r}"
            )
        items = data["initiatives"]
        if not isinstance(items, list):
            raise ValueError(f"initiatives must be a list, got {type(items).__name__}")
        for item in items:
            if not isinstance(item, Mapping) or set(item) != {"key", "start"}:
                raise ValueError(
                    f"each initiative must be an object with key and start, got {item!r}"
                )
        return cls(
            name=data["name"],
            allocation=data["allocation"],
            integration=data["integration"],
            horizon=data["horizon_years"],
            consultants=None if k is None else Consultants(**k),
            initiatives=[PlannedInitiative(**item) for item in items],
        )

    def export_markdown(self, path):
        """Write `to_markdown` to `path` (atomically, like `save`); return the path."""
        files.write_text(path, self.to_markdown(), what="the Markdown plan")
        return path

    def to_markdown(self):
        """Return a one-page Markdown plan an instructor can read.

        It gives the name, the allocation table, integration, consultants, the initiatives by
        activity and leader, the projection's key numbers and the diagnosis from the model.

        >>> text = Plan("Ours", allocation=(0.2, 0.2, 0.6), integration=1.0).to_markdown()
        >>> print(text.splitlines()[0])
        # Ours
        >>> "| Research | 20% |" in text, "## Diagnosis: Integrated" in text
        (True, True)
        """
        run, diagnosis, effort = self.simulate(), self.diagnose(), self.initiative_effort()
        r, c, p = self.allocation
        effort_lines = [
            "| Activity | Share of effort | Initiatives' effort |",
            "|---|---:|---:|",
            f"| Research | {_pct(r)} | {effort['research']} points |",
            f"| Capacity building | {_pct(c)} | {effort['capacity building']} points |",
            f"| Practice | {_pct(p)} | the rest |",
            "",
            f"- **Integration:** {self.integration:.2f} ({_coupling(self.integration)}).",
            f"- **Consultants:** {_consultants_text(self.consultants)}",
        ]
        initiatives = ["No initiatives yet."]
        if self.initiatives:
            initiatives = [
                "| Activity | Initiative | Leader | Effort | Starts |",
                "|---|---|---|---:|---:|",
            ]
            for item in sorted(self.initiatives, key=_catalogue_order):
                i = item.initiative
                initiatives.append(
                    f"| {i.activity.capitalize()} | {i.name} | {i.leader} | {i.effort} points "
                    f"| quarter {item.start} |"
                )
            initiatives += ["", "By kind of leader:", ""]
            for kind, names in self.leaders().items():
                listed = "; ".join(names) if names else "**none** (no initiative needs them yet)"
                initiatives.append(f"- {kind.capitalize()}s: {listed}")
            missing = [kind + "s" for kind, names in self.leaders().items() if not names]
            if missing:
                initiatives += [
                    "",
                    f"No initiative engages {' or '.join(missing)}: Senge argues that the three "
                    "kinds of leader rely on one another, and none alone can sustain learning.",
                ]
        even, payback = run.break_even_quarter, run.payback_quarter
        first = run.cumulative[min(3, run.quarters - 1)]
        same = math.isclose(run.total, run.baseline_total, rel_tol=0.005)
        projection = [
            f"- **Results over {_span(run.quarters)}:** {run.total:.1f}, against "
            f"{run.baseline_total:.1f} for all practice "
            f"({'the same' if same else f'{run.total / run.baseline_total:.2f} times'}).",
            f"- **First year:** {first:.1f} (all practice: "
            f"{run.baseline * min(4, run.quarters):.1f}).",
            f"- **Lowest quarter:** {run.results.min():.2f} in quarter "
            f"{int(run.results.argmin()) + 1}; last quarter {run.results[-1]:.2f} (the firm "
            f"started at {run.baseline:.2f} a quarter).",
            "- **Back above the starting level:** "
            + ("never, within the horizon." if even is None else f"from quarter {even}."),
            "- **Cumulative results overtake all practice:** "
            + ("never, within the horizon." if payback is None else f"from quarter {payback}."),
            f"- **At the end:** theory (head) {run.theory[-1]:.2f}, the firm's own capability "
            f"(heart) {run.capability[-1]:.2f}, experience (hand) {run.experience[-1]:.2f}; "
            "each started at {theory:.0f}, {capability:.0f} and {experience:.0f}.".format(
                **run.initial
            ),
        ]
        return markdown_page(
            markdown_text(self.name),
            "A plan for a community of leaders and learners, projected over "
            f"{_span(self.quarters)} with the knowledge-cycle model of senge-course.",
            {
                "Effort and coupling": effort_lines,
                "Initiatives": initiatives,
                "Projection": projection,
                f"Diagnosis: {diagnosis.title}": [diagnosis.explanation],
            },
            f"*Made with senge-course (plan file: schema {SCHEMA}, version {VERSION}). The model "
            "is illustrative, calibrated to teach the article's ideas, not estimated from data; "
            "results are relative to a firm that only firefights (1 a quarter).*",
        )


def allocation_from_initiatives(initiatives):
    """Return the allocation initiatives imply: research and capacity building from their points.

    Research and capacity building get the share points of their initiatives (keys, ``(key,
    start)`` pairs or :class:`PlannedInitiative`; 10 points: 0.1); practice gets the rest.
    Practice initiatives take nothing from practice (they change how it is done).  Refuses
    unknown initiatives, and research and capacity building taking more than 100 points.

    The whole catalogue gives the model's balanced plan, 20/20/60:

    >>> allocation_from_initiatives(list(INITIATIVES))
    (0.2, 0.2, 0.6)
    >>> allocation_from_initiatives(["learning-laboratory", "pilot-group"])
    (0.0, 0.1, 0.9)
    """
    points = _effort(_initiatives(initiatives, None))
    learning = points["research"] + points["capacity building"]
    if learning > 100:
        raise ValueError(
            "research and capacity building initiatives take more than all the effort together: "
            f"{points['research']} + {points['capacity building']} = {learning} points (at most 100)"
        )
    return (points["research"] / 100, points["capacity building"] / 100, (100 - learning) / 100)


def markdown_page(title, intro, sections, footer):
    """Return a page of Markdown: the `title`, an `intro`, `sections` and a `footer` under a rule.

    `sections` maps each heading to its lines; a blank line follows each part.

    >>> markdown_page("Plan", "Ours.", {"Effort": ["- 20%"]}, "*End.*").splitlines()
    ['# Plan', '', 'Ours.', '', '## Effort', '', '- 20%', '', '---', '', '*End.*']
    """
    lines = [f"# {title}", "", intro, ""]
    for heading, body in sections.items():
        lines += [f"## {heading}", "", *body, ""]
    return "\n".join([*lines, "---", "", footer, ""])


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def markdown_text(text):
    """Return `text` as one line of Markdown-safe text (for a heading or a table cell).

    Control characters and line breaks become spaces; markup characters are escaped.

    >>> print(markdown_text("**bold** | x\\ny"))
    \\*\\*bold\\*\\* \\| x y
    """
    flat = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(flat.split()).translate(_MD_SPECIAL)


def whole_percents(allocation):
    """Return an allocation as whole percentage points summing to 100.

    The largest remainders get the rounding (practice first when they tie).

    >>> whole_percents((1 / 3, 1 / 3, 1 / 3))
    [33, 33, 34]
    """
    exact = [100 * s for s in check_allocation(allocation)]
    floors = [int(x + 1e-9) for x in exact]
    short = 100 - sum(floors)
    order = sorted(range(3), key=lambda i: (round(exact[i] - floors[i], 9), i), reverse=True)
    for i in order[:short]:
        floors[i] += 1
    return floors


def rebalance(moved, percents):
    """Return whole percentages summing to 100 after the `moved` activity's share changed.

    What linked share sliders do.  `percents` holds every activity's percentage, the `moved`
    one already at its new value (0 to 100).  Effort for research and capacity building comes
    out of practice: moving either of them takes the difference from practice (and only when
    practice reaches 0, from the other one).  Moving practice shares the rest between research
    and capacity building in proportion to their current values (equally if both are 0).

    Research up to 30: practice pays for it.  Practice down to 40: research and
    capacity building share the rest in their proportion 30:10.

    >>> rebalance("research", {"research": 30, "capacity building": 10, "practice": 80})
    {'research': 30, 'capacity building': 10, 'practice': 60}
    >>> rebalance("practice", {"research": 30, "capacity building": 10, "practice": 40})
    {'research': 45, 'capacity building': 15, 'practice': 40}
    """
    if moved not in ACTIVITIES:
        raise ValueError(f"moved must be one of {', '.join(ACTIVITIES)}, got moved={moved!r}")
    value = check_integer(moved, percents[moved], low=0, high=100)
    if moved == "practice":
        rest = 100 - value
        research, capacity = int(percents["research"]), int(percents["capacity building"])
        total = research + capacity
        first = (rest + 1) // 2 if total == 0 else min(rest, round(rest * research / total))
        return {"research": first, "capacity building": rest - first, "practice": value}
    other = "capacity building" if moved == "research" else "research"
    kept = min(int(percents[other]), 100 - value)
    result = {moved: value, other: kept, "practice": 100 - value - kept}
    return {a: result[a] for a in ACTIVITIES}


# --------------------------------------------------------------------------- helpers


def _check_name(name):
    if not isinstance(name, str):
        raise TypeError(f"name must be text, got name={name!r} ({type(name).__name__})")
    if not name.strip():
        raise ValueError(
            f"name must contain at least one character that is not a space, got name={name!r}"
        )
    if len(name) > MAX_NAME:
        raise ValueError(f"name must be at most {MAX_NAME} characters, got {len(name)}")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            "name must be valid Unicode text (it holds a lone surrogate, half of a character)"
        ) from None
    return name


def _allocation(allocation):
    if isinstance(allocation, Mapping):
        if set(allocation) != set(_ALLOCATION_KEYS):
            raise ValueError(
                f"allocation must have the keys {', '.join(_ALLOCATION_KEYS)}, "
                f"got {', '.join(sorted(map(str, allocation))) or 'none'}"
            )
        allocation = tuple(allocation[k] for k in _ALLOCATION_KEYS)
    return check_allocation(allocation)


def _initiatives(items, quarters):
    if isinstance(items, str | bytes) or not hasattr(items, "__iter__"):
        raise TypeError(
            f"initiatives must be a list of initiative keys or (key, start) pairs, got {items!r}"
        )
    items = list(items)
    if len(items) > MAX_INITIATIVES:
        raise ValueError(f"a plan has at most {MAX_INITIATIVES} initiatives, got {len(items)}")
    planned = []
    for item in items:
        if isinstance(item, str):
            item = PlannedInitiative(item)
        elif isinstance(item, tuple | list) and len(item) == 2:
            item = PlannedInitiative(*item)
        elif not isinstance(item, PlannedInitiative):
            raise TypeError(
                f"each initiative must be a key, a (key, start) pair or a PlannedInitiative, "
                f"got {item!r}"
            )
        if quarters is not None and item.start > quarters:
            raise ValueError(
                f"{item.initiative.name} starts in quarter {item.start}, after the plan's horizon "
                f"ends (quarter {quarters})"
            )
        planned.append(item)
    return tuple(planned)


def _effort(items):
    points = dict.fromkeys(ACTIVITIES, 0)
    for item in items:
        points[item.initiative.activity] += item.initiative.effort
    return points


def _catalogue_order(item):
    i = item.initiative
    return ACTIVITIES.index(i.activity), LEADERS.index(i.leader), item.start


def _pct(share):
    value = 100 * share
    return f"{value:.0f}%" if math.isclose(value, round(value), abs_tol=1e-6) else f"{value:.1f}%"


def _coupling(g):
    if g >= 0.75:
        return "tightly coupled: research, capacity building and practice work on the same problems"
    if g >= 0.4:
        return "partly coupled"
    return "loosely coupled: the three communities hardly learn from each other"


def _consultants_text(k):
    if k is None:
        return "none."
    until = "to the end of the plan" if k.stop_at is None else f"until quarter {k.stop_at}"
    start = "from the first quarter" if k.start == 0 else f"from quarter {k.start + 1}"
    return (
        f"capability worth {k.spend:.2f} of the firm's own, rented {start} {until} "
        "(fees not counted in results)."
    )


def _span(quarters):
    years = quarters // 4
    return f"{years} {'year' if years == 1 else 'years'} ({quarters} quarters)"
