"""The rubrics an instructor scores by hand: the reflections and the capstone's design memo.

One source, two forms: `rubrics` returns the rubrics as plain data (schema
``"senge-course/rubrics"``, version 1) and `rubrics_markdown` as a page for people;
``senge-course rubrics DIR`` writes both (``rubrics.json``, ``rubrics.md``; the course keeps them
in ``instructors/``, and a test keeps them current).  The data is built from the course itself:
each reflection's criteria are the ones its exercise shows the learner
(`senge_course.course.checks.Reflection`), and the memo's five criteria are
`senge_course.models.memo.RUBRIC`.

Every criterion is scored on one scale, `LEVELS` (0 to 3), and every level comes with an example,
so that two instructors marking the same answer agree.  A reflection scores the mean of its
criteria, scaled to the question's points; a memo the sum of its five criteria (0 to 15).
"""

import importlib
import json
from pathlib import Path

from .. import files
from ..models.memo import RUBRIC
from .checks import Reflection
from .lessons import LESSONS

__all__ = [
    "LEVELS",
    "MEMO_EXAMPLES",
    "REFLECTION_EXAMPLES",
    "SCHEMA",
    "VERSION",
    "rubrics",
    "rubrics_markdown",
    "write_rubrics",
]

SCHEMA = "senge-course/rubrics"
VERSION = 1

#: The one scale every criterion is scored on: level -> (label, what an answer at it does).
LEVELS = {
    0: ("missing", "The answer does not address the criterion."),
    1: ("generic", "The criterion is addressed in words that would fit any lesson or any firm."),
    2: (
        "specific",
        "The criterion is addressed with the lesson's ideas and a concrete organisation, role or "
        "result.",
    ),
    3: (
        "tested",
        "Specific, and the answer tests itself: it names what would show it wrong, a changed "
        "assumption, or evidence from a case.",
    ),
}

#: A worked example of each level for one reflection criterion (lesson 05's "names an assumption
#: that result rests on, and whether it holds where you work"), so the scale reads the same in
#: every lesson.
REFLECTION_EXAMPLES = {
    0: "All three kinds of leader matter, as the model showed.",
    1: "The model makes assumptions that may not hold in real life.",
    2: (
        "The result rests on the assumption that a mandate's compliance rarely becomes commitment; "
        "in our hospital the new checklist was mandated and most wards now use it willingly."
    ),
    3: (
        "The result rests on a low chance that compliance becomes commitment; in our hospital the "
        "mandated checklist stuck, and lesson 05 shows that at a higher internalisation rate the "
        "mandate alone commits most people, so our case sits where the claim fails."
    ),
}

#: An example of each level for each criterion of the memo (`RUBRIC`).
MEMO_EXAMPLES = {
    "Fidelity to the article": {
        0: "No reference to the article.",
        1: "Senge says leadership should be shared.",
        2: (
            "Senge (1997) asks for local line leaders, executive leaders and internal networkers "
            "together; my design gives each a lever, and I say where the model, not Senge, adds "
            "the numbers."
        ),
        3: (
            "As above, and the memo notes that Senge names no pilot method (pilot groups come "
            "from his later writing), so the design's reliance on pilots is ours."
        ),
    },
    "Use of model evidence": {
        0: "The design is good.",
        1: "The dashboard says the goals are met.",
        2: (
            "The leader network commits 78% of people (5-95% of runs: 54-100%), the regime stays out of "
            "the trap, the cycle is integrated (loop gain 1.23), all under the coupled models."
        ),
        3: (
            "As above, with what each coupling changed: switching commitment_scales_integration "
            "off raises integration from 0.89 to 1.0 and changes no verdict."
        ),
    },
    "Trade-offs": {
        0: "No trade-offs named.",
        1: "We had to save money.",
        2: (
            "We dropped the third networker and some research to pay for full mentoring, because "
            "mentoring lowers thresholds in every team."
        ),
        3: (
            "As above, and if research cost 20% more, capacity building would be cut first and the "
            "cycle would fall to fragmented: the goal we would lose first."
        ),
    },
    "Threats to validity": {
        0: "No threats named, or names that are not claims of the course.",
        1: "Two claim keys with reasons such as 'it is a model'.",
        2: (
            "leaders.mandate: the rate at which compliance becomes commitment is calibrated; "
            "trap.temporary-surge: the surge is one calibrated size."
        ),
        3: (
            "As above, and which conclusion changes: at a higher internalisation rate a mandate "
            "alone would spread the practice, and our case against mandates would weaken."
        ),
    },
    "Application to a case": {
        0: "No case.",
        1: "This could work in many companies.",
        2: (
            "At Harley-Davidson (Teerlink 2000) the executives' shared leadership maps onto "
            "mentoring; the case names no internal networkers."
        ),
        3: (
            "As above, with evidence that supports or contradicts a prediction, and what the case "
            "says the models leave out."
        ),
    },
}


def rubrics():
    """Return every rubric as plain JSON data (see the module)."""
    reflections = {}
    for lesson in LESSONS:
        module = importlib.import_module(f"senge_course.course.questions.lesson_{lesson.number}")
        items = [
            {
                "label": label,
                "name": q.name,
                "points": q.points,
                "min_words": q.min_words,
                "criteria": list(q.criteria),
            }
            for label, q in module.EXERCISE.items()
            if isinstance(q, Reflection)
        ]
        if items:
            reflections[lesson.number] = items
    scale = [
        {"level": level, "label": label, "descriptor": text}
        for level, (label, text) in LEVELS.items()
    ]
    memo = [
        {
            "criterion": name,
            "strong": strong,
            "examples": {str(level): text for level, text in MEMO_EXAMPLES[name].items()},
        }
        for name, strong in RUBRIC.items()
    ]
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "scale": scale,
        "reflection_examples": {str(k): v for k, v in REFLECTION_EXAMPLES.items()},
        "reflections": reflections,
        "memo": memo,
    }


def rubrics_markdown():
    """Return the rubrics as one Markdown page for instructors."""
    data = rubrics()
    lines = [
        "# Rubrics: reflections and the capstone memo",
        "",
        "Generated by `senge-course rubrics instructors` from the course itself; "
        "`rubrics.json` holds the same rubrics for tools.",
        "The automatic check marks a reflection *submitted*; you score it on the criteria the "
        "learner was shown, each on the scale below.",
        "A reflection scores the mean of its criteria, scaled to the question's points; the "
        "capstone memo the sum of its five criteria (0 to 15).",
        "",
        "## The scale",
        "",
        "| Level | Label | An answer at this level |",
        "|---|---|---|",
        *[f"| {s['level']} | {s['label']} | {s['descriptor']} |" for s in data["scale"]],
        "",
        "Examples of each level, for one criterion (lesson 05: *names an assumption that result "
        "rests on, and whether it holds where you work*):",
        "",
        *[f"- **{k}**: {v}" for k, v in data["reflection_examples"].items()],
        "",
        "## Reflections",
    ]
    for lesson, items in data["reflections"].items():
        for item in items:
            lines += [
                "",
                f"### Lesson {lesson}, {item['label']} (`{item['name']}`)",
                "",
                f"At least {item['min_words']} words; {item['points']:g} point(s). Criteria:",
                "",
                *[f"{i}. {c}" for i, c in enumerate(item["criteria"], start=1)],
            ]
    lines += ["", "## The capstone memo", ""]
    for row in data["memo"]:
        lines += [f"### {row['criterion']}", "", f"A strong memo: {row['strong']}", ""]
        lines += [f"- **{k}**: {v}" for k, v in row["examples"].items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_rubrics(folder):
    """Write ``rubrics.json`` and ``rubrics.md`` into `folder` (atomically); return both paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / "rubrics.json", folder / "rubrics.md"
    text = json.dumps(rubrics(), indent=2, ensure_ascii=False) + "\n"
    files.write_text(json_path, text, what="the rubrics")
    files.write_text(md_path, rubrics_markdown(), what="the rubrics page")
    return json_path, md_path
