"""The capstone: one design for a community of leaders and learners, judged by three simulations.

A learner's design (:class:`Design`) has three parts, one for each of the course's simulations:

* the **leaders' levers** (:class:`senge_course.models.leadership.Levers`: pilot teams,
  mentoring or a mandate, bridges) drive the spread of a new practice on the course's default
  organisation (:func:`senge_course.models.leadership.compare`);
* the organisation's **regime** (:class:`senge_course.models.capability.Regime`: work harder,
  work smarter, control, autonomy) meets a 20% surge in its target lasting 8 weeks
  (:func:`senge_course.models.capability.simulate`): does it fall into the capability trap?
* the **knowledge plan** (:class:`senge_course.models.plan.Plan`: effort for research,
  capacity building and practice, and their integration) is projected over 10 years and
  diagnosed (:func:`senge_course.models.diagnosis.diagnose`).

:func:`assess` runs all three and returns a :class:`CapstoneReport`: each result, what it
predicts in plain words, and whether the design meets the capstone's three goals (`GOALS`):

1. **commitment spreads**: on average at least `COMMITTED_GOAL` (60%) of people end up
   committed;
2. **no capability trap**: the regime does not tip under the surge;
3. **an integrated cycle**: the knowledge plan's diagnosis is "integrated" (its reinforcing loop
   grows and results end above today's).

The three models are separate: each part of the design drives only its own simulation, and the
report's notes point out where the parts pull against each other (a mandate next to a regime of
autonomy, say), which the models do not capture.  Every model is illustrative: calibrated to
show the behaviour the lessons teach, not estimated from data.  A design saves to JSON and loads
back equal; the report exports one page of Markdown for an instructor.

Examples
--------
Command and control everywhere (a mandate, the command regime, all practice) fails all three
goals; the three kinds of leader, commitment and an integrated balanced plan meet them all:

>>> from senge_course.models.capability import COMMAND, COMMITMENT
>>> from senge_course.models.knowledge import ALL_PRACTICE, BALANCED
>>> old = assess("executives only (mandate)", COMMAND, ALL_PRACTICE, 0.25)
>>> old.verdicts
{'commitment spreads': False, 'no capability trap': False, 'integrated cycle': False}
>>> new = assess("all three", COMMITMENT, BALANCED, 1.0)
>>> new.passed, new.committed >= COMMITTED_GOAL
(True, True)
"""

import functools
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from .._validate import check_fraction, check_integer, check_number, check_one_of
from .capability import COMMAND, POLICY_LEVERS, Regime, as_regime, preset_name
from .capability import simulate as simulate_regime
from .diagnosis import diagnose
from .knowledge import Consultants, check_allocation, check_consultants
from .knowledge import simulate as simulate_knowledge
from .leadership import DEFAULT_ROUNDS, LEVERS, SCENARIOS, Levers, compare, scenario
from .plan import Document, Plan, markdown_page, markdown_text

__all__ = [
    "COMMITTED_GOAL",
    "DEFAULT_RUNS",
    "DEFAULT_SEED",
    "GOALS",
    "LEADER_LEVERS",
    "SCHEMA",
    "SURGE",
    "SURGE_WEEKS",
    "VERSION",
    "CapstoneReport",
    "Design",
    "as_levers",
    "assess",
    "check_goals",
    "default_organisation",
    "knowledge_run",
    "leaders_run",
    "regime_run",
]

#: Share of people committed on average that counts as the practice spreading widely.
COMMITTED_GOAL = 0.6
#: The surge in the target the regime must survive (20%) and how long it lasts (weeks).
SURGE = 0.2
SURGE_WEEKS = 8.0
#: Runs of the diffusion model per assessment, and their seed (the same seed: the same numbers).
DEFAULT_RUNS = 20
DEFAULT_SEED = 1
#: The capstone's three goals, in the order of the report.
GOALS = ("commitment spreads", "no capability trap", "integrated cycle")
#: The leaders' levers the dashboard shows (`senge_course.models.leadership.LEVERS` holds their
#: ranges; the others keep their values).
LEADER_LEVERS = (
    "pilot_teams",
    "mentoring",
    "mandate",
    "networkers",
    "bridge_width",
    "teams_spanned",
)
#: The ``"schema"`` field of a design file, and the version this code writes and reads.
SCHEMA = "senge-course/capstone"
VERSION = 1


@functools.cache
def default_organisation():
    """Return the organisation every capstone runs on: ``org.organisation(seed=1)``.

    3 executives and 6 teams of 8 people (a line leader and 7 members): 51 people.  It is built
    once and shared; treat it as read-only.

    >>> default_organisation().number_of_nodes()
    51
    """
    from .org import organisation

    return organisation(seed=DEFAULT_SEED)


@dataclass(frozen=True, eq=False)
class CapstoneReport:
    """What the three simulations predict for one design (see :func:`assess`).

    It holds the design (`levers`, `regime`, `allocation`, `integration`, `consultants`), the
    three results (`diffusion`, a `~senge_course.models.leadership.ScenarioStats` of the runs on
    the organisation of `people` people; `capability`, the regime's
    `~senge_course.models.capability.CapabilityRun` under the surge; `knowledge`, the plan's
    `~senge_course.models.knowledge.KnowledgeRun` over 10 years, and its `diagnosis`), and what
    they mean for the capstone's goals: `surge` is the ``(size, weeks)`` the regime met,
    `committed_goal` the share that counts as spreading, `required` the goals a design must
    meet (`passed`), and `leaves` the round at which the best-placed networker left (None:
    nobody left).
    """

    levers: Levers
    regime: Regime
    allocation: tuple
    integration: float
    consultants: Consultants | None
    diffusion: object = field(repr=False)
    capability: object = field(repr=False)
    knowledge: object = field(repr=False)
    diagnosis: object = field(repr=False)
    people: int = 0
    surge: tuple = (SURGE, SURGE_WEEKS)
    committed_goal: float = COMMITTED_GOAL
    required: tuple = GOALS
    leaves: int | None = None

    @property
    def committed(self):
        """Share of people committed at the end, averaged over the runs."""
        return float(self.diffusion.committed_mean[-1])

    @property
    def committed_band(self):
        """5th and 95th percentiles of the committed share at the end, across runs."""
        return float(self.diffusion.committed_low[-1]), float(self.diffusion.committed_high[-1])

    @property
    def spreads(self):
        """True if at least `committed_goal` of people are committed on average."""
        return self.committed >= self.committed_goal - 1e-9

    @property
    def survives(self):
        """True if the regime stays out of the capability trap under the surge: its capability
        does not end at its floor (`~senge_course.models.capability.CapabilityRun.trapped`)."""
        return not self.capability.trapped

    @property
    def integrated(self):
        """True if the knowledge plan is diagnosed "integrated"."""
        return self.diagnosis.mode == "integrated"

    @property
    def verdicts(self):
        """Goal -> met?, for the three goals in `GOALS`."""
        return dict(zip(GOALS, (self.spreads, self.survives, self.integrated), strict=True))

    @property
    def passed(self):
        """True if the design meets every `required` goal (by default all three)."""
        return all(self.verdicts[goal] for goal in self.required)

    @property
    def verdict(self):
        """The verdict in one sentence: which goals are met, against those required."""
        met = sum(self.verdicts.values())
        missed = [goal for goal in self.required if not self.verdicts[goal]]
        if len(self.required) == len(GOALS):
            if not missed:
                return "Your design meets all three goals."
            return f"Your design meets {met} of the 3 goals; not yet: {_join(missed)}."
        asked = f"the {len(self.required)} goal{'s' if len(self.required) > 1 else ''} set"
        if not missed:
            return f"Your design meets {asked} ({_join(list(self.required))})."
        return f"Your design does not yet meet {asked}; not yet: {_join(missed)}."

    @property
    def met_line(self):
        """The goals line of the Markdown page: all three met, all set met, or not all yet."""
        if not self.passed:
            return "Not all goals met yet."
        return "All three goals met." if len(self.required) == len(GOALS) else "All goals set met."

    @property
    def leaders_text(self):
        """What the diffusion model predicts, in plain words."""
        low, high = self.committed_band
        rounds = len(self.diffusion.committed_mean) - 1
        text = (
            f"Leaders ({self.levers.describe()}): on average {self.committed:.0%} of the "
            f"{self.people} people are committed after {rounds} rounds (5-95% of runs: "
            f"{low:.0%}-{high:.0%})"
        )
        peak = float(self.diffusion.compliant_mean.max())
        if peak > 0.005:
            text += (
                f"; compliance peaks at {peak:.0%} and ends at "
                f"{float(self.diffusion.compliant_mean[-1]):.0%}"
            )
        if self.leaves is not None:
            text += f"; the best-placed networker leaves in round {self.leaves}"
        if self.spreads:
            text += f". The practice spreads widely (the goal is {self.committed_goal:.0%})."
        else:
            text += f". The practice stalls short of the goal of {self.committed_goal:.0%}."
        kinds = ("line leaders", "executives", "networkers")
        missing = [k for k in kinds if k not in self.levers.leaders]
        return text + (f" The {_join(missing)} pull no lever." if missing else "")

    @property
    def regime_text(self):
        """What the capability-trap model predicts, in plain words."""
        return f"Regime ({self._regime_label()}) {self._regime_prediction()}"

    def _regime_label(self):
        levers = (
            f"{lever.replace('_', ' ')} {getattr(self.regime, lever):g}" for lever in POLICY_LEVERS
        )
        return f"{preset_name(self.regime)}: {', '.join(levers)}"

    def _regime_prediction(self):
        run = self.capability
        size, weeks = self.surge
        surge = f"a {size:.0%} surge in the target lasting {weeks:g} weeks"
        start, end, low = run.climate[0], run.climate[-1], run.climate.min()
        performance = run.relative("performance")[-1]
        if run.trapped:
            return (
                f"falls into the capability trap after {surge}: capability falls from "
                f"{run.capability[0]:.2f} to {run.capability[-1]:.2f}, near its floor, the climate "
                f"for improvement from {start:.2f} to {end:.2f}, and performance ends at "
                f"{performance:.2f} times its start, long after the target has returned to normal."
            )
        if low < start - 0.005:
            return (
                f"absorbs {surge}: the climate for improvement dips to {low:.2f} and ends at "
                f"{end:.2f}, and performance ends at {performance:.2f} times its start."
            )
        return (
            f"absorbs {surge} without harm to the climate for improvement; performance ends at "
            f"{performance:.2f} times its start."
        )

    @property
    def knowledge_text(self):
        """What the knowledge-cycle model predicts, in plain words."""
        return f"Knowledge cycle: {self.diagnosis.title}. {self.knowledge.summary}"

    @property
    def notes(self):
        """Where the parts of the design pull against each other, which the models do not capture."""
        notes, regime = [], self.regime
        if self.levers.mandate > 0:
            notes.append(
                "Your executives mandate the practice: a mandate buys compliance that wears off, "
                "and resentment that makes commitment harder (lesson 05)."
            )
            if regime.autonomy >= 0.5:
                notes.append(
                    "The mandate sits oddly with a regime that grants autonomy: people would "
                    "hear two messages. The two models do not know about each other; you do."
                )
        if self.levers.mentoring > 0 and regime.control >= 0.5 and regime.autonomy < 0.5:
            notes.append(
                "Your executives mentor line leaders, but the regime keeps tight control and "
                "little autonomy: mentoring asks executives to change their own behaviour "
                "first, and the regime says they have not."
            )
        if self.consultants is not None and self.diagnosis.mode != "consulting dependency":
            notes.append(
                "You hire consultants: ask them to teach, not only to do, so that your own "
                "capability grows while they are there."
            )
        return tuple(notes)

    @property
    def summary(self):
        """The three predictions, the verdict and the notes: a few short paragraphs."""
        verdict = self.verdict
        parts = [self.leaders_text, self.regime_text, self.knowledge_text, verdict]
        return "\n\n".join(parts + list(self.notes))

    def to_dict(self):
        """Return the design and its predictions as plain JSON data (for tools and graders)."""
        run, k = self.knowledge, self.capability
        return {
            "levers": asdict(self.levers),
            "regime": {lever: getattr(self.regime, lever) for lever in POLICY_LEVERS},
            "allocation": list(self.allocation),
            "integration": self.integration,
            "consultants": None if self.consultants is None else asdict(self.consultants),
            "committed": self.committed,
            "committed_band": list(self.committed_band),
            "trapped": bool(k.trapped),
            "climate_end": float(k.climate[-1]),
            "performance_end": float(k.relative("performance")[-1]),
            "mode": self.diagnosis.mode,
            "total": run.total,
            "baseline_total": run.baseline_total,
            "verdicts": self.verdicts,
            "passed": self.passed,
        }

    def to_markdown(self, name="My design", *, reflections=None, extra=None):
        """Return one page of Markdown for an instructor: the design, the predictions, reflections.

        `name` heads the page; `reflections`, a mapping of question to the learner's answer, is
        added under "Reflections"; `extra` maps more section titles to their lines (the coupled
        report's "Couplings").

        >>> from senge_course.models.knowledge import BALANCED
        >>> report = assess("all three", "commitment", BALANCED, 1.0)
        >>> text = report.to_markdown("Ours", reflections={"Head": "Theory we test."})
        >>> print(text.splitlines()[0])
        # Ours
        >>> text.count("| yes |")  # a table row for each goal met
        3
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be text, got name={name!r}")
        if reflections is not None and not isinstance(reflections, Mapping):
            raise TypeError(
                "reflections must be a mapping of question to answer, "
                f"got {type(reflections).__name__}"
            )
        run, trapped = self.knowledge, self.capability.trapped
        low, high = self.committed_band
        r, c, p = self.allocation
        predictions = (
            f"{self.committed:.0%} committed on average (goal: {self.committed_goal:.0%})",
            f"{'falls into the trap' if trapped else 'stays out of the trap'} under a "
            f"{self.surge[0]:.0%} surge of {self.surge[1]:g} weeks",
            f"{self.diagnosis.mode}; {run.total:.1f} over 10 years (all practice: "
            f"{run.baseline_total:.0f})",
        )
        rows = zip(GOALS, predictions, self.verdicts.values(), strict=True)
        sections = {
            "What the simulations predict": [
                "| Goal | Prediction | Met |",
                "|---|---|---|",
                *[
                    f"| {g.capitalize()} | {what} | {'yes' if ok else 'no'} |"
                    for g, what, ok in rows
                ],
                "",
                f"**{self.met_line}**",
            ],
            "Leaders": [
                f"- **Levers:** {self.levers.describe()}.",
                f"- **Kinds of leader at work:** {_join(list(self.levers.leaders)) or 'none'}.",
                f"- **Prediction:** {self.committed:.0%} of {self.people} people committed on "
                f"average (5-95% of runs: {low:.0%}-{high:.0%}).",
            ],
            "Responding to pressure": [
                f"- **Regime:** {self._regime_label()}.",
                f"- **Prediction:** {self._regime_prediction()}",
            ],
            "Research, capacity building and practice": [
                f"- **Effort:** research {r:.0%}, capacity building {c:.0%}, practice {p:.0%}; "
                f"integration {self.integration:.2f}.",
                f"- **Diagnosis: {self.diagnosis.title}.** {self.diagnosis.explanation}",
            ],
        }
        sections.update(extra or {})
        if self.notes:
            sections["Notes"] = [f"- {note}" for note in self.notes]
        if reflections:
            answers = [
                f"### {markdown_text(str(question))}\n\n"
                + (str(answer).strip() or "*(not answered yet)*")
                for question, answer in reflections.items()
            ]
            sections["Reflections"] = ["\n\n".join(answers)]
        return markdown_page(
            markdown_text(name) or "My design",
            "A design for a community of leaders and learners, judged by the three simulations "
            "of senge-course.",
            sections,
            "*Made with senge-course. The three models are illustrative: calibrated to show the "
            "behaviour the course teaches, not estimated from data, and separate from one "
            "another. Read the predictions as what follows from the models' assumptions, not "
            "as forecasts for a real organisation.*",
        )

    def __repr__(self):
        return (
            f"CapstoneReport(committed={self.committed:.2f}, trapped={self.capability.trapped}, "
            f"mode={self.diagnosis.mode!r}, passed={self.passed})"
        )


def assess(
    levers,
    regime,
    allocation,
    integration,
    *,
    consultants=None,
    G=None,
    runs=DEFAULT_RUNS,
    seed=DEFAULT_SEED,
    surge=None,
    leaves=None,
    committed_goal=COMMITTED_GOAL,
    required=GOALS,
):
    """Run the three simulations on one design and return a `CapstoneReport` of what each predicts.

    `levers` are the leaders' levers (see :func:`as_levers`); `regime` how the organisation
    responds to pressure: a :class:`~senge_course.models.capability.Regime`, ``"command"`` or
    ``"commitment"``, or a mapping of regime fields (the four policy levers ``work_harder``,
    ``work_smarter``, ``control``, ``autonomy``; the others default to the shared values of
    `COMMAND`); `allocation` ``(research, capacity building, practice)``, `integration` and
    `consultants` the knowledge plan.  The diffusion model runs `runs` times (1 to 500) on `G`
    (default `default_organisation`) with the randomness `seed` (the same seed: the same
    numbers).

    An assignment (:class:`senge_course.models.assignment.Assignment`) can change the rest:
    `surge`, ``(size, weeks)``, the surge the regime meets (default ``(SURGE, SURGE_WEEKS)``;
    size in (0, 2], weeks in (0, 280]); `leaves`, the round (0 to 30) at which the best-placed
    networker leaves (default None: nobody; see `senge_course.models.leadership.simulate`);
    `committed_goal`, the share committed that counts as spreading (in (0, 1]); and
    `required`, the goals a design must meet (one or more of `GOALS`).

    The line leaders alone spread the practice to about a third of people:

    >>> from senge_course.models.knowledge import BALANCED
    >>> report = assess({"pilot_teams": 2}, "commitment", BALANCED, 1.0)
    >>> round(report.committed, 2), report.verdicts["commitment spreads"]
    (0.31, False)
    >>> assess("all three", "laissez-faire", BALANCED, 1.0)
    Traceback (most recent call last):
    ...
    ValueError: regime must be a Regime, 'command', 'commitment' or a mapping of regime fields, \
got regime='laissez-faire'
    """
    levers, regime = as_levers(levers), as_regime(regime)
    allocation = check_allocation(allocation)
    integration = check_fraction("integration", integration)
    consultants = check_consultants(consultants, 40)
    goals = check_goals(surge, leaves, committed_goal, required)
    G = default_organisation() if G is None else G
    knowledge, diagnosis = knowledge_run(allocation, integration, consultants)
    return CapstoneReport(
        levers=levers,
        regime=regime,
        allocation=allocation,
        integration=integration,
        consultants=consultants,
        diffusion=leaders_run(levers, G=G, runs=runs, seed=seed, leaves=goals["leaves"]),
        capability=regime_run(regime, surge=goals["surge"]),
        knowledge=knowledge,
        diagnosis=diagnosis,
        people=G.number_of_nodes(),
        **goals,
    )


def check_goals(surge=None, leaves=None, committed_goal=COMMITTED_GOAL, required=GOALS):
    """Check what an assignment sets (see `assess`); return them as `CapstoneReport` fields.

    >>> check_goals(surge=(0.3, 4))["surge"]
    (0.3, 4.0)
    >>> check_goals(required=("integrated cycle", "commitment spreads"))["required"]
    ('commitment spreads', 'integrated cycle')
    >>> check_goals(surge=(0, 8))
    Traceback (most recent call last):
    ...
    ValueError: surge size must be a number in (0, 2], got surge size=0
    """
    if surge is None:
        surge = (SURGE, SURGE_WEEKS)
    if isinstance(surge, str) or not isinstance(surge, tuple | list) or len(surge) != 2:
        raise TypeError(f"surge must be (size, weeks) such as (0.2, 8), got surge={surge!r}")
    size = check_number("surge size", surge[0], low=0, high=2, low_open=True)
    weeks = check_number("surge weeks", surge[1], low=0, high=280, low_open=True)
    if leaves is not None:
        leaves = check_integer("leaves", leaves, low=0, high=DEFAULT_ROUNDS)
    committed_goal = check_number("committed_goal", committed_goal, low=0, high=1, low_open=True)
    if isinstance(required, str) or not isinstance(required, tuple | list) or not required:
        raise ValueError(
            f"required must be a list of one or more of {', '.join(map(repr, GOALS))}, "
            f"got required={required!r}"
        )
    for goal in required:
        check_one_of("required", goal, GOALS)
    return {
        "surge": (size, weeks),
        "leaves": leaves,
        "committed_goal": committed_goal,
        "required": tuple(g for g in GOALS if g in required),
    }


def leaders_run(
    levers, *, G=None, runs=DEFAULT_RUNS, seed=DEFAULT_SEED, leaves=None, assumptions=None
):
    """The capstone's diffusion: `levers` on `G` (default `default_organisation`), `runs` runs.

    `leaves` and `assumptions` are passed to `senge_course.models.leadership.compare`.  Returns
    the `senge_course.models.leadership.ScenarioStats` of `assess`'s report.
    """
    runs = check_integer("runs", runs, low=1, high=500)
    G = default_organisation() if G is None else G
    design = {"design": as_levers(levers)}
    kw = {"runs": runs, "seed": seed, "leaves": leaves, "assumptions": assumptions}
    return compare(G, design, **kw)["design"]


def regime_run(regime, *, surge=None):
    """The capstone's capability-trap run: `regime` under `surge`, ``(size, weeks)`` (default
    `SURGE` lasting `SURGE_WEEKS`)."""
    size, weeks = (SURGE, SURGE_WEEKS) if surge is None else surge
    return simulate_regime(as_regime(regime), target_change=size, surge_weeks=weeks)


def knowledge_run(allocation, integration, consultants=None):
    """The capstone's knowledge plan over 10 years and its diagnosis: ``(KnowledgeRun, Diagnosis)``."""
    run = simulate_knowledge(allocation, integration, consultants=consultants)
    return run, diagnose(allocation, integration, consultants=consultants)


@dataclass(frozen=True)
class Design(Document):
    """A capstone design: the knowledge plan, the leaders' levers and the regime.

    `plan` is a :class:`~senge_course.models.plan.Plan` (name, effort, integration,
    consultants, initiatives); `levers` and `regime` are as in :func:`assess` (default: no
    levers pulled, and `COMMAND`, the firm as it is).  As a `~senge_course.models.plan.Document`
    it saves to JSON and loads back equal:

    >>> import tempfile, pathlib
    >>> design = Design(Plan("Ours", allocation=(0.2, 0.2, 0.6), integration=0.9),
    ...                 levers="all three", regime="commitment")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "design.json"
    >>> design.save(path)
    >>> Design.load(path) == design
    True
    >>> design.assess().passed
    True
    """

    SCHEMA, VERSION, WHAT = SCHEMA, VERSION, "design"
    FIELDS = ("plan", "levers", "regime")

    plan: Plan
    levers: Levers = Levers()
    regime: Regime = COMMAND

    def __post_init__(self):
        if not isinstance(self.plan, Plan):
            raise TypeError(f"plan must be a Plan, got plan={self.plan!r}")
        object.__setattr__(self, "levers", as_levers(self.levers))
        object.__setattr__(self, "regime", as_regime(self.regime))

    def assess(self, **kw):
        """Run the three simulations on this design (:func:`assess`; keywords go to it)."""
        p = self.plan
        return assess(
            self.levers, self.regime, p.allocation, p.integration, consultants=p.consultants, **kw
        )

    def _fields(self):
        return {
            "plan": self.plan.to_dict(),
            "levers": asdict(self.levers),
            "regime": asdict(self.regime),
        }

    @classmethod
    def _from_fields(cls, data):
        for name in ("levers", "regime"):
            if not isinstance(data[name], Mapping):
                raise ValueError(f"{name} must be a JSON object, got {data[name]!r}")
        return cls(Plan.from_dict(data["plan"]), levers=data["levers"], regime=data["regime"])


def as_levers(levers):
    """Return `levers` as `Levers`: a Levers, a scenario's name (``"all three"``, see
    `senge_course.models.leadership.SCENARIOS`) or a mapping of its fields.

    >>> as_levers({"pilot_teams": 2}) == Levers(pilot_teams=2)
    True
    """
    if isinstance(levers, Levers):
        return levers
    if isinstance(levers, str):
        return scenario(levers)
    if isinstance(levers, Mapping):
        unknown = sorted(str(k) for k in levers if k not in LEVERS)
        if unknown:
            raise ValueError(
                f"levers has no field(s) {', '.join(unknown)}; its fields are {', '.join(LEVERS)}"
            )
        return Levers(**levers)
    names = ", ".join(repr(k) for k in SCENARIOS)
    raise TypeError(
        f"levers must be Levers, a scenario name ({names}) or a mapping of Levers fields, "
        f"got levers={levers!r}"
    )


def _join(items):
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
