"""The capstone's design memo: the design, its budget, what the models predict, and its threats.

A learner's capstone ends in a memo for the instructor (`DesignMemo`).  It is built once from a
design (:class:`senge_course.models.capstone.Design`) with :meth:`DesignMemo.from_design`,
which runs the coupled models (:func:`senge_course.models.coupled.assess_coupled`) and the
budget (:func:`senge_course.models.budget.cost`) and keeps what each predicts, next to the
learner's own text: the trade-offs chosen, the *threats to validity* (at least two claims of
the registry, :mod:`senge_course.models.claims`, the design relies on, each with the learner's
reason why it may be an artefact of the models) and, if given, an application to a case.

The memo has these sections, in this order (`SECTIONS`; "Application to a case" only when a
case is given): Design; Budget; What each model predicts; Trade-offs chosen; Threats to
validity: which of my conclusions are artefacts of the models; Application to a case; Rubric.
It exports as Markdown (:meth:`DesignMemo.to_markdown`) or as an accessible HTML page
(:meth:`DesignMemo.to_html`: headings, a captioned table for the budget, meaning always in
words, never in colour alone), built from the same sections, and saves atomically as either
(:meth:`DesignMemo.save`, by the file's extension).

`RUBRIC` holds the five criteria an instructor scores the memo on, each with what a strong
memo does; the lesson and the instructors' material show the same constant.  `MemoCheck` is
the exercise's question: it checks that the threats are real claims with reasons and that the
trade-offs are written out, and leaves the judgement of their quality to the instructor.

The models are calibrated, not estimated: their numbers show the behaviour the course teaches,
and the memo says so.

Examples
--------
Two threats, each a claim of the registry with a reason, are the least a memo names:

>>> pairs = validate_threats({"leaders.mandate": "the fade rate of compliance is a guess",
...                           "trap.temporary-surge": "the surge is one calibrated size"})
>>> [key for key, _ in pairs]
['leaders.mandate', 'trap.temporary-surge']
>>> list(RUBRIC)[0]
'Fidelity to the article'
"""

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..files import write_text
from . import budget as budget_model
from . import claims
from .assignment import Assignment
from .capability import POLICY_LEVERS, preset_name
from .capstone import GOALS, Design
from .coupled import assess_coupled
from .plan import markdown_text

__all__ = [
    "FORMATS",
    "LESSONS",
    "MIN_THREATS",
    "RUBRIC",
    "SECTIONS",
    "THREATS_HEADING",
    "DesignMemo",
    "threat_pairs",
    "validate_threats",
]

#: The fewest claims a memo names as threats to validity.
MIN_THREATS = 2
#: The lessons whose claims a capstone design relies on (the feedback points to their tables).
LESSONS = ("05", "06", "07", "08")
#: The required section's heading.
THREATS_HEADING = "Threats to validity: which of my conclusions are artefacts of the models"
#: The memo's sections, in order ("Application to a case" only when a case is given).
SECTIONS = (
    "Design",
    "Budget",
    "What each model predicts",
    "Trade-offs chosen",
    THREATS_HEADING,
    "Application to a case",
    "Rubric",
)
#: The file extensions `DesignMemo.save` writes, and the format each means.
FORMATS = MappingProxyType({".md": "markdown", ".html": "html"})

#: The five criteria of the memo, each with what a strong memo does (one line each).
RUBRIC = MappingProxyType(
    {
        "Fidelity to the article": (
            "Uses Senge's (1997) three kinds of leader and the learning cycle as the article "
            "means them, paraphrased accurately, and keeps what Senge says apart from what the "
            "models assume."
        ),
        "Use of model evidence": (
            "Backs each conclusion with the models' own numbers (share committed, trap or not, "
            "diagnosis, 10-year results, each coupling's effect) and says which model gave them."
        ),
        "Trade-offs": (
            "Names what the design gave up to stay within the budget, why that was worth it, and "
            "which goal would suffer first if the budget or a price changed."
        ),
        "Threats to validity": (
            "Names at least two claims the design relies on, the assumption each rests on and "
            "where it fails, and says which of the memo's conclusions would change if it did."
        ),
        "Application to a case": (
            "Carries the design to a real or documented organisation, with evidence from the "
            "case that supports or contradicts what the models predict."
        ),
    }
)

#: Each origin of a claim in words (see `senge_course.models.claims.ORIGINS`).
_ORIGIN_WORDS = {
    "senge": "the article argues it; no model tests it",
    "research": "published research found it and the model reproduces it",
    "structure": "a rule written into the model makes it so",
    "calibration": "the model's chosen constants make it so",
}

_CALIBRATED = (
    "The models are calibrated, not estimated: their numbers show the behaviour the course "
    "teaches, not measurements of a real organisation, so read every prediction as what "
    "follows from the models' assumptions."
)


# --------------------------------------------------------------------------- threats


def validate_threats(threats):
    """Return the threats as ``((claim key, reason), ...)``, refusing too few, unknown or repeats.

    Parameters
    ----------
    threats : mapping or sequence
        Claim key -> the learner's one-line reason, or a sequence of ``(key, reason)`` pairs
        or of keys (then the reasons are empty).  At least `MIN_THREATS` (2) claims, each a key
        of :data:`senge_course.models.claims.CLAIMS`, none named twice.

    Returns
    -------
    tuple of (str, str)
        Each claim's key and the learner's reason (stripped), in the order given.

    Raises
    ------
    TypeError
        If `threats` is not a mapping or a sequence, or a key or reason is not text.
    ValueError
        If there are fewer than two, a key is not a claim of the registry, or a key is named
        twice; the message names the key and lists a few claims of lessons 05-08.

    Examples
    --------
    A key that is not in the registry is named, with a few that are:

    >>> validate_threats([("leaders.mandate", "why"), ("leaders.magic", "why")])
    Traceback (most recent call last):
    ...
    ValueError: threats names 'leaders.magic', which is not a claim of the registry; ...
    """
    pairs, problems = threat_pairs(threats)
    if problems:
        raise ValueError(f"{problems[0]}; claims of lessons 05-08 include {_examples()}")
    return pairs


def threat_pairs(threats):
    """The ``(key, reason)`` pairs of `threats` and what is wrong with them (sentences)."""
    if isinstance(threats, Mapping):
        items = list(threats.items())
    elif isinstance(threats, (list, tuple)):
        items = [(t, "") if isinstance(t, str) else t for t in threats]
        if not all(isinstance(t, (list, tuple)) and len(t) == 2 for t in items):
            raise TypeError(
                "threats must be claim keys, (key, reason) pairs or a dict of key -> reason, "
                f"got threats={threats!r}"
            )
    else:
        raise TypeError(
            "threats must be a dict of claim key -> reason (or a list of (key, reason) pairs), "
            f"got {type(threats).__name__}"
        )
    pairs, problems, seen = [], [], set()
    for key, reason in items:
        if not isinstance(key, str):
            raise TypeError(f"a claim key must be text, got {key!r}")
        if not isinstance(reason, str):
            raise TypeError(f"the reason for {key!r} must be text, got {type(reason).__name__}")
        key = key.strip()
        if key not in claims.CLAIMS:
            problems.append(f"threats names {key!r}, which is not a claim of the registry")
        elif key in seen:
            problems.append(f"threats names {key!r} twice; name each claim once")
        seen.add(key)
        pairs.append((key, reason.strip()))
    if len(seen) < MIN_THREATS:
        named = f" (only {', '.join(repr(k) for k, _ in pairs)})" if pairs else ""
        problems.append(
            f"threats must name at least {MIN_THREATS} different claims, got {len(seen)}{named}"
        )
    return tuple(pairs), problems


def _examples(per_lesson=2):
    keys = []
    for lesson in LESSONS:
        keys += [c.key for c in claims.for_lesson(lesson) if c.key not in keys][:per_lesson]
    return ", ".join(keys)


# --------------------------------------------------------------------------- the memo


@dataclass(frozen=True, eq=False)
class DesignMemo:
    """A capstone design memo (see the module): the design, what the models predict, the
    learner's trade-offs, threats to validity and case.

    Build it with :meth:`from_design`, which runs the models once.  `design` is the
    `~senge_course.models.capstone.Design`; `trade_offs` and `case` the learner's text;
    `threats` ``((claim key, reason), ...)`` (see `validate_threats`); `couplings` the
    couplings used (name -> value); `budget` the budget in budget points; `coupled` the
    `~senge_course.models.coupled.CoupledReport` and `cost` the `~senge_course.models.budget.Cost`.
    """

    design: Design
    trade_offs: str
    threats: tuple
    case: str = ""
    couplings: Mapping = field(default_factory=dict, repr=False)
    budget: float = budget_model.BUDGET
    coupled: object = field(default=None, repr=False)
    cost: object = field(default=None, repr=False)

    @classmethod
    def from_design(
        cls, design, *, trade_offs, threats, case="", couplings=None, budget=None, assignment=None
    ):
        """Return the memo of `design`: runs the coupled models and the budget once.

        Parameters
        ----------
        design : Design or mapping
            The capstone design, or a mapping of its parts (``plan``, ``levers``, ``regime``).
        trade_offs : str
            The learner's trade-offs, as text (Markdown is kept in the Markdown export).
        threats : mapping or sequence
            Claim key -> the learner's reason why it may be an artefact of the models (see
            `validate_threats`: at least two real claims, none twice).
        case : str, optional
            The application to a case (the section is left out when empty).
        couplings : mapping or None, optional
            The couplings (None: the defaults of `senge_course.models.coupled.COUPLINGS`).
        budget : float or None, optional
            The budget in budget points (None: the assignment's available budget, else
            `senge_course.models.budget.BUDGET`).
        assignment : Assignment or None, optional
            The instructor's scenario (`senge_course.models.assignment.Assignment`): its
            organisation, surge, departing networker, goals and couplings judge the design and
            its prices cost it (None: the course's own settings).

        Returns
        -------
        DesignMemo

        Raises
        ------
        TypeError, ValueError
            If the design, a text or a threat is refused, naming it.
        """
        if isinstance(design, Mapping):
            design = Design(**design)
        if not isinstance(design, Design):
            raise TypeError(
                f"design must be a capstone Design or a mapping of its parts, got {design!r}"
            )
        trade_offs = _check_text("trade_offs", trade_offs)
        case = _check_text("case", case)
        pairs = validate_threats(threats)
        if assignment is not None and not isinstance(assignment, Assignment):
            raise TypeError(f"assignment must be an Assignment or None, got {assignment!r}")
        if budget is None:
            budget = budget_model.BUDGET if assignment is None else assignment.available_budget
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget < 0:
            raise ValueError(f"budget must be a number at least 0, got budget={budget!r}")
        plan = design.plan
        if assignment is not None:
            coupled, cost = assignment.assess(design, couplings=couplings), assignment.cost(design)
        else:
            coupled = assess_coupled(
                design.levers,
                design.regime,
                plan.allocation,
                plan.integration,
                couplings=couplings,
                consultants=plan.consultants,
            )
            cost = budget_model.cost(design.levers, plan.allocation, plan.consultants)
        return cls(
            design=design,
            trade_offs=trade_offs,
            threats=pairs,
            case=case,
            couplings=MappingProxyType(dict(coupled.couplings)),
            budget=float(budget),
            coupled=coupled,
            cost=cost,
        )

    @property
    def within_budget(self):
        """True if the design's cost fits in the budget."""
        return self.cost.within(self.budget)

    @property
    def sections(self):
        """The memo's sections as data: heading -> blocks (see `to_markdown`, `to_html`)."""
        parts = {
            "Design": self._design_blocks(),
            "Budget": self._budget_blocks(),
            "What each model predicts": self._prediction_blocks(),
            "Trade-offs chosen": [("text", self.trade_offs or "(not written yet)")],
            THREATS_HEADING: self._threat_blocks(),
        }
        if self.case:
            parts["Application to a case"] = [("text", self.case)]
        parts["Rubric"] = [
            ("para", "Your instructor scores the memo on five criteria; a strong memo:"),
            ("list", [(name, what) for name, what in RUBRIC.items()]),
        ]
        return parts

    @property
    def summary(self):
        """One or two sentences: the goals met, the budget and the threats named."""
        met = sum(self.coupled.verdicts.values())
        where = "within" if self.within_budget else "over"
        return (
            f"A design memo: the design meets {met} of the 3 goals under the coupled models and "
            f"costs {_points(self.cost.total)} of {_points(self.budget)} budget points ({where} "
            f"budget); it names {len(self.threats)} threats to validity."
        )

    def to_markdown(self):
        """Return the memo as Markdown: a title, an intro, the sections in order, a footer.

        Every heading is a Markdown heading (``##``), the budget a table under its caption.
        """
        lines = [f"# {markdown_text(self._title())}", "", self._intro(), ""]
        for heading, blocks in self.sections.items():
            lines += [f"## {heading}", ""]
            for block in blocks:
                lines += [*_markdown_block(block), ""]
        return "\n".join([*lines, "---", "", f"*{_CALIBRATED}*", ""])

    def to_html(self):
        """Return the memo as one accessible HTML page, built from the same sections.

        Headings (``h1``, ``h2``), the budget as a table with a caption and header cells, and
        every verdict in words; all text is escaped.
        """
        title = html.escape(self._title())
        body = [f"<h1>{title}</h1>", f"<p>{html.escape(self._intro())}</p>"]
        for heading, blocks in self.sections.items():
            body.append(f"<section>\n<h2>{html.escape(heading)}</h2>")
            body += [_html_block(block) for block in blocks]
            body.append("</section>")
        body += ["<hr>", f"<p><em>{html.escape(_CALIBRATED)}</em></p>"]
        return "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                f"<title>{title}</title>",
                "<style>body{font-family:sans-serif;max-width:46em;margin:auto;line-height:1.5}"
                "table{border-collapse:collapse}th,td{border:1px solid #444;padding:2px 8px;"
                "text-align:left}caption{font-weight:bold;text-align:left}</style>",
                "</head>",
                "<body>",
                "<main>",
                *body,
                "</main>",
                "</body>",
                "</html>",
                "",
            ]
        )

    def save(self, path):
        """Write the memo to `path` atomically: Markdown for ``.md``, HTML for ``.html``.

        Raises ValueError for any other extension, and OSError (naming `path`) if the folder
        is missing or the disk refuses; an existing file is then unchanged.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise ValueError(
                f"path must end in {' or '.join(FORMATS)} (Markdown or HTML), got path={str(path)!r}"
            )
        text = self.to_markdown() if FORMATS[suffix] == "markdown" else self.to_html()
        write_text(path, text, what="the design memo")

    # ----------------------------------------------------------------------- sections

    def _title(self):
        return f"Design memo: {self.design.plan.name}"

    def _intro(self):
        return (
            "A design for a community of leaders and learners, costed against one budget and "
            "judged by the three coupled models of senge-course. " + _CALIBRATED
        )

    def _design_blocks(self):
        d, plan = self.design, self.design.plan
        r, c, p = plan.allocation
        regime = ", ".join(f"{k.replace('_', ' ')} {getattr(d.regime, k):g}" for k in POLICY_LEVERS)
        items = [
            ("Leaders' levers", f"{d.levers.describe()}."),
            ("Regime", f"{preset_name(d.regime)} ({regime})."),
            (
                "Knowledge plan",
                f"\u201c{plan.name}\u201d: research {r:.0%}, capacity building {c:.0%}, practice {p:.0%}; "
                f"integration {plan.integration:.2f}.",
            ),
            ("Consultants", _consultants(plan.consultants)),
        ]
        if plan.initiatives:
            planned = ", ".join(f"{i.key} (from quarter {i.start})" for i in plan.initiatives)
            items.append(("Initiatives", f"{planned}."))
        return [("list", items)]

    def _budget_blocks(self):
        rows = [
            [budget_model.ITEMS[item], f"{round(q, 4):g}", _points(self.cost.points[item])]
            for item, q in self.cost.quantities.items()
        ]
        rows.append(["Total", "", _points(self.cost.total)])
        if self.within_budget:
            verdict = (
                f"Within budget: {_points(self.cost.total)} of {_points(self.budget)} budget "
                f"points ({_points(self.budget - self.cost.total)} to spare)."
            )
        else:
            verdict = (
                f"Over budget: {_points(self.cost.total)} of {_points(self.budget)} budget "
                f"points ({_points(self.cost.total - self.budget)} too many)."
            )
        caption = (
            f"What the design costs, item by item, in budget points (budget "
            f"{_points(self.budget)}; one point is one leader-week or the money that buys as much)"
        )
        return [("table", caption, ("Item", "Quantity", "Budget points"), rows), ("para", verdict)]

    def _prediction_blocks(self):
        report = self.coupled.report
        low, high = report.committed_band
        run, trapped = report.knowledge, report.capability.trapped
        verdicts = self.coupled.verdicts
        met = ["met" if verdicts[g] else "not met" for g in GOALS]
        items = [
            (
                "Leader network",
                f"{report.committed:.0%} of {report.people} people committed on average (5-95% "
                f"of runs: {low:.0%}-{high:.0%}; goal {report.committed_goal:.0%}): {met[0]}.",
            ),
            (
                "Capability trap",
                f"{'falls into the trap' if trapped else 'stays out of the trap'} under a "
                f"{report.surge[0]:.0%} surge lasting {report.surge[1]:g} weeks; the climate for "
                "improvement "
                f"ends at {float(report.capability.climate[-1]):.2f}: {met[1]}.",
            ),
            (
                "Knowledge cycle",
                f"{report.diagnosis.title}; results over 10 years {run.total:.1f} (all "
                f"practice: {run.baseline_total:.1f}): {met[2]}.",
            ),
        ]
        passed = report.met_line.replace(" yet", "")
        effects = [e for e in self.coupled.effects.values() if e.strength > 0]
        couplings = (
            [("list", [(e.name.replace("_", " ").capitalize(), e.sentence) for e in effects])]
            if effects
            else [("para", "Couplings off: the three models run separately.")]
        )
        return [
            ("list", items),
            ("para", passed),
            ("para", "What each coupling changed (the models run leaders, regime, knowledge):"),
            *couplings,
        ]

    def _threat_blocks(self):
        items = []
        for key, reason in self.threats:
            claim = claims.get(key)
            parts = [claim.sentence, f"Origin: {claim.label} ({_ORIGIN_WORDS[claim.origin]})."]
            if claim.source:
                parts.append(f"Source: {claim.source.rstrip('.')}.")
            if claim.assumption:
                parts.append(f"Rests on the assumption: {claim.assumption.rstrip('.')}.")
            if claim.by_construction:
                parts.append(f"True by construction: {claim.by_construction.rstrip('.')}.")
            elif claim.counterexample is not None:
                setting = ", ".join(f"{k} {v!r}" for k, v in claim.counterexample.items())
                parts.append(f"Fails at {setting}: {claim.why_fails.rstrip('.')}.")
            else:
                parts.append("It has no model check: no setting of the models can make it fail.")
            parts.append(f"My reason: {reason or '(no reason given yet)'}")
            items.append((key, " ".join(parts)))
        return [
            (
                "para",
                "Claims of the course's registry my design relies on, what each rests on, where "
                "it fails, and why my conclusion may be an artefact of the models:",
            ),
            ("list", items),
        ]

    def __repr__(self):
        return (
            f"DesignMemo(design={self.design.plan.name!r}, passed={self.coupled.passed}, "
            f"cost={self.cost.total:g}, threats={[k for k, _ in self.threats]!r})"
        )


# --------------------------------------------------------------------------- the question


# --------------------------------------------------------------------------- rendering


def _markdown_block(block):
    kind = block[0]
    if kind == "para":
        return [markdown_text(block[1])]
    if kind == "text":  # the learner's own Markdown, kept, but it cannot open a section
        lines = block[1].split("\n")
        return ["\\" + line.lstrip() if line.lstrip().startswith("#") else line for line in lines]
    if kind == "list":
        return [
            f"- **{markdown_text(label)}:** {markdown_text(text)}" if label else f"- {text}"
            for label, text in block[1]
        ]
    _, caption, header, rows = block
    return [
        f"**Table: {markdown_text(caption)}.**",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *["| " + " | ".join(markdown_text(str(cell)) for cell in row) + " |" for row in rows],
    ]


def _html_block(block):
    kind = block[0]
    if kind == "para":
        return f"<p>{html.escape(block[1])}</p>"
    if kind == "text":
        paragraphs = [p.strip() for p in block[1].split("\n\n") if p.strip()]
        return "\n".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if kind == "list":
        items = [
            f"<li><strong>{html.escape(label)}:</strong> {html.escape(text)}</li>"
            if label
            else f"<li>{html.escape(text)}</li>"
            for label, text in block[1]
        ]
        return "\n".join(["<ul>", *items, "</ul>"])
    _, caption, header, rows = block
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = [
        f'<tr><th scope="row">{html.escape(str(row[0]))}</th>'
        + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    ]
    return "\n".join(
        [
            "<table>",
            f"<caption>{html.escape(caption)}</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
        ]
    )


def _consultants(consultants):
    if consultants is None:
        return "none."
    stop = "to the end" if consultants.stop_at is None else f"to quarter {consultants.stop_at}"
    return f"spend {consultants.spend:g} from quarter {consultants.start} {stop}."


def _points(x):
    return f"{round(x, 2):g}"


def _check_text(name, value):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text, got {name}={value!r}")
    return value.strip()
