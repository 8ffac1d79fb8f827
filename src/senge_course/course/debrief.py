"""A class debrief from what the grader kept: ``senge-course debrief GRADED --out DIR``.

`ClassDebrief` reads a graded lesson's ``class.json`` (`senge_course.course.classfile`) and
answers the questions an instructor asks after a session: what the class predicted
(`predictions`) and how that compares with what the model gives (`prediction_results`: share
wrong, and among the wrong, the share who answered the prediction's follow-up question
correctly later in the exercise), which answers to each question were wrong most often
(`wrong_answers`), the designs the class built and how they fared (`designs`), the concept
check's gain between lesson 00 and lesson 08 (`concept_gain`), and a few reflections
(`excerpts`, anonymised).
Every number is counted from the file; only the models' answers to the predictions are computed
(each prediction's `Prediction.outcome` runs the lesson's model at the lesson's settings).

`build_debrief` writes a debrief notebook for the lesson (and, with `html`, runs it and writes
its static HTML): Markdown that states each result in words, and code cells that draw it with
`senge_course.views.debrief`, so the instructor can project it with ``senge-course present``.

>>> import tempfile, pathlib, json
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> record = lambda status, answer: {"lesson": "00", "status": "ok", "outcomes": [
...     {"question": "q1", "name": "answer_q1", "kind": "recall", "status": status,
...      "score": float(status == "correct"), "max_score": 1.0, "message": ""}],
...     "answers": {"answer_q1": answer}}
>>> data = {"schema": "senge-course/class", "version": 1, "students": {
...     "ada": record("correct", "b"), "bo": record("incorrect", "a"), "cy": record("incorrect", "a")}}
>>> _ = (folder / "class.json").write_text(json.dumps(data))
>>> debrief = ClassDebrief.load(folder / "class.json")
>>> debrief.wrong_answers()["q1"].most_common
[('a', 2)]
"""

import json
import os
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from .. import files
from ..models import leadership
from ..models.bridges import P_GRID
from ..models.cascades import STARTS
from .classfile import read_class
from .lessons import get_lesson
from .questions import get_exercise
from .questions.concepts import CONCEPTS

__all__ = [
    "ClassDebrief",
    "PredictionResult",
    "WrongAnswers",
    "build_debrief",
    "concept_gain",
    "misconception",
]


@dataclass(frozen=True)
class WrongAnswers:
    """One question's wrong answers: how many students `answered` it, how many got it `wrong`,
    and the `most_common` wrong answers as ``(answer as text, count)``, at most five."""

    question: str
    name: str
    kind: str
    answered: int
    wrong: int
    most_common: list = field(default_factory=list)

    @property
    def share_wrong(self):
        """The share of those who answered who were wrong (0 if nobody answered)."""
        return self.wrong / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class PredictionResult:
    """One prediction against the model's answer: how many students `answered` it (a valid
    prediction), how many were `wrong` against the model's answer (None if the model gives no
    answer), and of those how many `corrected` it later: their answer to the `followup` question
    (its label, or None) was correct.  `model_answer` is the model's answer as text (None if the
    model gives none), `counts` the predictions as ``Counter`` of text, `tolerance` how close a
    numeric prediction must be to count as right."""

    question: str
    name: str
    prompt: str
    answered: int
    wrong: int | None
    corrected: int | None
    model_answer: str | None
    followup: str | None
    counts: Counter = field(default_factory=Counter)
    tolerance: float | None = None

    @property
    def right(self):
        """How many predictions agree with the model's answer (None without one)."""
        return None if self.wrong is None else self.answered - self.wrong

    @property
    def share_wrong(self):
        """The share of the predictions that disagree with the model (None if nobody answered
        or the model gives no answer)."""
        return self.wrong / self.answered if self.answered and self.wrong is not None else None

    @property
    def share_corrected(self):
        """Among the wrong predictions, the share whose follow-up was correct (None without a
        follow-up or without wrong predictions)."""
        return self.corrected / self.wrong if self.wrong and self.corrected is not None else None


@dataclass(frozen=True)
class ClassDebrief:
    """A graded lesson's class file, read for a debrief (see the module)."""

    lesson: str
    students: dict = field(repr=False)

    @classmethod
    def load(cls, path):
        """Read ``class.json`` (or the folder holding it); raise ValueError naming the file if it
        is not a class file (`senge_course.course.classfile.read_class`) of one lesson."""
        path = Path(path)
        path = path / "class.json" if path.is_dir() else path
        data = read_class(path)
        students = {s: r for s, r in data["students"].items() if r.get("outcomes")}
        lessons = sorted({r.get("lesson") for r in students.values() if r.get("lesson")})
        if len(lessons) != 1:
            raise ValueError(f"{path} must hold one lesson's submissions, got lessons {lessons}")
        return cls(lessons[0], students)

    @property
    def size(self):
        """How many graded submissions the class file holds."""
        return len(self.students)

    def _outcomes(self):
        for student, record in self.students.items():
            for outcome in record["outcomes"]:
                yield student, record, outcome

    def predictions(self):
        """``{question label: Counter of the answers}`` for every prediction of the exercise."""
        found = {}
        for _, record, o in self._outcomes():
            if o.get("kind") == "prediction" and o["name"] in record.get("answers", {}):
                answer = _text(record["answers"][o["name"]])
                found.setdefault(o["question"], Counter())[answer] += 1
        return found

    def prediction_results(self):
        """``{question label: PredictionResult}`` for every prediction of the lesson's exercise,
        in the exercise's order, also those nobody answered.

        A prediction is *wrong* when it is not the model's option (or, for a number, further
        from the model's number than the prediction's `tolerance`); it was *corrected later*
        when the same student's answer to the prediction's follow-up question is correct.
        """
        from .checks import Prediction

        exercise = get_exercise(self.lesson)
        results = {}
        for label, q in exercise.items():
            if not isinstance(q, Prediction):
                continue
            followup = q.followup_label(exercise)
            model = q.model_answer()
            answered, wrong, corrected, counts = 0, 0, 0, Counter()
            for record in self.students.values():
                answers = record.get("answers", {})
                said = q.reading(answers[q.name]) if q.name in answers else None
                if said is None:
                    continue
                answered += 1
                counts[said if isinstance(said, str) else f"{said:g}"] += 1
                if model is None or q.agrees(said, model):
                    continue
                wrong += 1
                statuses = {o["name"]: o["status"] for o in record["outcomes"]}
                corrected += followup is not None and statuses.get(q.followup) == "correct"
            results[label] = PredictionResult(
                label,
                q.name,
                q.prompt,
                answered,
                None if model is None else wrong,
                None if model is None or followup is None else corrected,
                None if model is None else q.describe(model),
                followup,
                counts,
                None if q.options else (q.tolerance or 0.0),
            )
        return results

    def wrong_answers(self):
        """``{question label: WrongAnswers}`` for every scored question anyone answered."""
        tallies = {}
        for _, record, o in self._outcomes():
            if o["status"] not in ("correct", "incorrect"):
                continue
            entry = tallies.setdefault(o["question"], [o["name"], o.get("kind", ""), 0, Counter()])
            entry[2] += 1
            if o["status"] == "incorrect":
                entry[3][_text(record.get("answers", {}).get(o["name"]))] += 1
        return {
            q: WrongAnswers(q, name, kind, answered, sum(wrong.values()), wrong.most_common(5))
            for q, (name, kind, answered, wrong) in sorted(tallies.items(), key=_label_order)
        }

    def designs(self):
        """``{question label: [(answer, status, score), ...]}`` for every design question, best
        first (by score, then correct first)."""
        found = {}
        for _, record, o in self._outcomes():
            if o.get("kind") == "design" and o["name"] in record.get("answers", {}):
                found.setdefault(o["question"], []).append(
                    (record["answers"][o["name"]], o["status"], o["score"])
                )
        return {
            q: sorted(rows, key=lambda r: (-r[2], r[1] != "correct", _text(r[0])))
            for q, rows in found.items()
        }

    def design(self, label, which="best"):
        """The class's `which` ("best" or "worst") design for question `label` (as in `designs`)."""
        rows = self.designs().get(label)
        if not rows:
            known = ", ".join(self.designs()) or "none"
            raise ValueError(f"no designs for {label!r} in this class; design questions: {known}")
        if which not in ("best", "worst"):
            raise ValueError(f"which must be 'best' or 'worst', got which={which!r}")
        return rows[0][0] if which == "best" else rows[-1][0]

    def replay_setting(self, label, which="best"):
        """How the lesson's app replays a design: ``{"app": class name, "kwargs": ..., "method":
        ..., "argument": ..., "note": ...}``; the app is built with the keywords, then
        ``app.apply(argument)`` or ``app.set(**argument)`` (``method`` None: nothing more); `note` says what differs
        from the design, if anything.  `senge_course.views.replay.replay` makes the app.

        Raise ValueError, saying why, for a design no app replays (a graph the learner built, a
        list of names the lesson draws without an app) or a design that is not well formed.
        """
        design = self.design(label, which)
        name = self._name_of(label)
        recipe = _REPLAYS.get((self.lesson, name))
        if recipe is None:
            raise ValueError(f"no app of lesson {self.lesson} replays {label} ({name})")
        try:
            return recipe(design)
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            raise ValueError(f"the {which} design for {label} cannot be replayed: {exc}") from None

    def _name_of(self, label):
        for _, _, o in self._outcomes():
            if o["question"] == label:
                return o["name"]
        raise ValueError(f"no question {label!r} in this class file")

    def excerpts(self, count=3, *, seed=1, anonymise=True):
        """Up to `count` reflections per reflection question, chosen with `seed`, as
        ``{label: [(who, text), ...]}``; `who` is "a student" unless `anonymise` is False."""
        found = {}
        for student, record, o in self._outcomes():
            answer = record.get("answers", {}).get(o["name"])
            if o.get("kind") == "reflection" and isinstance(answer, str) and answer.strip():
                who = "a student" if anonymise else student
                found.setdefault(o["question"], []).append((who, " ".join(answer.split())[:400]))
        rng = random.Random(seed)
        return {q: rng.sample(rows, min(count, len(rows))) for q, rows in sorted(found.items())}


def _recipe(app, kwargs=None, *, method=None, argument=None, note=""):
    return dict(app=app, kwargs=kwargs or {}, method=method, argument=argument, note=note)


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    return float(value)


def _start(design):
    from .questions import lesson_03

    start, size = design["start"], design["size"]
    if start not in STARTS or isinstance(size, bool) or not isinstance(size, int):
        raise ValueError(f"expected a start of {STARTS} and a whole size, got {design!r}")
    kwargs = {"z": lesson_03.DESIGN_Z, "phi": 0.18, "start": start, "size": size}
    return _recipe("CascadeExplorer", kwargs)


def _long_ties(p):
    p = _number(p, "p")
    nearest = min(P_GRID, key=lambda x: abs(x - p))
    note = "" if nearest == p else f" (the explorer offers p on a grid: {nearest:g} is nearest)"
    return _recipe("LongTieExplorer", {"p": nearest}, note=note)


def _levers(design):
    if not isinstance(design, dict):
        raise ValueError(f"expected a dictionary of levers, got {design!r}")
    # levers left out keep their defaults, as the exercise's judge reads them
    levers = asdict(leadership.Levers(**design))
    return _recipe("LeaderNetworkBuilder", method="apply", argument=levers)


def _plan(design):
    if not isinstance(design, dict) or set(design) - {"allocation", "integration"}:
        raise ValueError(f"expected {{'allocation': (...), 'integration': ...}}, got {design!r}")
    setting = {k: tuple(v) if k == "allocation" else v for k, v in design.items()}
    return _recipe("IntegrationPlanner", method="apply", argument=setting)


#: (lesson, question name) -> how the lesson's app replays that question's design.
_REPLAYS = {
    ("03", "start_q3"): _start,
    ("03", "z_puzzle"): lambda z: _recipe("CascadeExplorer", {"z": round(_number(z, "z"), 1)}),
    ("04", "answer_q9"): _long_ties,
    ("04", "my_ties"): lambda ties: _recipe(
        "BridgeExplorer", method="set", argument={"ties": [tuple(t) for t in ties]}
    ),
    ("05", "answer_q5"): _levers,
    ("05", "answer_q6"): _levers,
    ("05", "my_levers"): _levers,
    ("07", "answer_q8"): _plan,
    ("07", "my_plan"): _plan,
}


def concept_gain(before, after):
    """The concept check's share of right answers, item by item, before and after.

    `before` and `after` are the `ClassDebrief` of lessons 00 and 08 (each holds the ten answers
    under ``concepts_before`` / ``concepts_after``).  Returns ``{item: (share before, share
    after)}`` over the students who took both, and ``"students"``: how many did.
    """
    pre = {s: r.get("answers", {}).get("concepts_before") for s, r in before.students.items()}
    post = {s: r.get("answers", {}).get("concepts_after") for s, r in after.students.items()}
    both = [s for s in pre if isinstance(pre[s], dict) and isinstance(post.get(s), dict)]
    out = {"students": len(both)}
    for item, (_, _, answer) in CONCEPTS.items():
        if both:
            out[item] = (
                sum(str(pre[s].get(item, "")).strip().lower() == answer for s in both) / len(both),
                sum(str(post[s].get(item, "")).strip().lower() == answer for s in both) / len(both),
            )
    return out


def build_debrief(graded, out, *, before=None, html=True, timeout=300):
    """Write the debrief notebook of a graded lesson into `out`; return its path (and the HTML's).

    `graded` is the folder holding ``class.json`` (or the file); `before`, lesson 00's, adds the
    concept check's gain from lesson 00 to this lesson (lesson 08 asks it again).  The notebook,
    ``debrief-NN.ipynb``, has no outputs; with `html` it is also run in a fresh kernel and saved
    as static HTML (``debrief-NN.html``: figures as images with their summaries).
    """
    debrief = ClassDebrief.load(graded)
    source = Path(graded)
    source = source / "class.json" if source.is_dir() else source
    lesson = get_lesson(debrief.lesson)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # the notebook finds the class file from its own folder (where Jupyter starts its kernel)
    gain = concept_gain(ClassDebrief.load(before), debrief) if before is not None else None
    nb = _notebook(debrief, Path(os.path.relpath(source.resolve(), out.resolve())), lesson, gain)
    path = out / f"debrief-{lesson.number}.ipynb"
    files.write_text(path, nbformat.writes(nb), what="the debrief notebook")
    paths = [path]
    if html:
        from ..install import require

        for module in ("nbclient", "nbconvert"):
            require(module, "grade", purpose="the debrief's HTML page (--no-html skips it)")
        from nbclient import NotebookClient
        from nbconvert import HTMLExporter

        run = nbformat.reads(nbformat.writes(nb), as_version=4)
        client = NotebookClient(
            run, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(out)}}
        )
        client.execute()
        run.metadata.pop("widgets", None)
        body, _ = HTMLExporter(exclude_input=True).from_notebook_node(run)
        page = out / f"debrief-{lesson.number}.html"
        files.write_text(page, body, what="the debrief page")
        paths.append(page)
    return paths


def _notebook(debrief, source, lesson, gain=None):
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        md(
            f"# Debrief: lesson {lesson.number}, {lesson.title}\n\n"
            f"What the class of {debrief.size} did in exercise {lesson.number}, counted from the "
            "grader's class file.\n"
            "Numbers are the class's answers; results the models gave them are the models' "
            "numbers, not findings about organisations."
        ),
        code(
            "from senge_course.course.debrief import ClassDebrief\n"
            "from senge_course.views.debrief import show_counts, show_wrong_answers\n"
            "from senge_course.views.replay import replay\n\n"
            f"debrief = ClassDebrief.load({source.as_posix()!r})"
        ),
    ]
    results = debrief.prediction_results()
    if results:
        cells.append(
            md(
                "## What the class predicted, against the model\n\n"
                "Each prediction beside the answer our model gives at the lesson's settings: the "
                "model's answer, not Senge's and not evidence about organisations.\n"
                "A prediction is wrong when it differs from the model's answer; it was corrected "
                "later when the same student answered the follow-up question (a later question "
                "on the same idea) correctly."
            )
        )
        cells += [md(_prediction_text(r)) for r in results.values()]
        cells.append(
            code(
                "from senge_course.views.debrief import show_predictions\n\n"
                "show_predictions(debrief.prediction_results())"
            )
        )
    wrong = {q: w for q, w in debrief.wrong_answers().items() if w.wrong}
    cells.append(md("## Where the class went wrong"))
    if wrong:
        lines = []
        for q, w in wrong.items():
            line = f"- **{q}** ({w.kind or 'item'}): {w.wrong} of {w.answered} wrong"
            if w.most_common:
                answer, count = w.most_common[0]
                line += f"; most often {answer!r} ({count})"
                reveals = misconception(lesson.number, q, answer)
                line += f". *What it may reveal:* {_clean(reveals)}" if reveals else ""
            lines.append(line)
        cells += [
            md(
                "\n".join(lines) + "\n\nWhat a wrong answer may reveal comes from the teaching "
                f"notes (`instructors/notes/{lesson.number}.md`) or, for a multiple-choice "
                "question, from the feedback its option gives."
            ),  # fmt: skip
            code("show_wrong_answers(debrief.wrong_answers())"),
        ]
    else:
        cells.append(md("Nobody answered a scored question wrongly."))
    designs = debrief.designs()
    if designs:
        cells.append(md("## The class's designs, best first"))
        for label, rows in designs.items():
            met = sum(status == "correct" for _, status, _ in rows)
            best, worst = rows[0][0], rows[-1][0]
            cells.append(
                md(
                    f"**{label}**: {met} of {len(rows)} designs met the goal.\n\n"
                    f"Best: `{_clean(json.dumps(best))[:300]}`\n\nWorst: "
                    f"`{_clean(json.dumps(worst))[:300]}`"
                )
            )
            for which in ("best", "worst")[: 1 + (len(rows) > 1)]:
                try:
                    debrief.replay_setting(label, which)
                except ValueError as exc:
                    cells.append(md(f"The {which} design is not replayed: {_clean(exc)}."))
                    continue
                cells += [
                    md(f"The {which} design for {label} in the lesson's app (one call):"),
                    code(f"replay(debrief, {label!r}, {which!r})"),
                ]
    if lesson.number == "05":  # the whole class as one organisation (issue 16, item 3)
        from .class_organisation import organisation_cells

        cells += organisation_cells(debrief)
    if gain and gain["students"]:
        rows = [(item, *gain[item]) for item in CONCEPTS if item in gain]
        mean_before = sum(b for _, b, _ in rows) / len(rows)
        mean_after = sum(a for _, _, a in rows) / len(rows)
        table = "\n".join(f"| {item} | {b:.0%} | {a:.0%} |" for item, b, a in rows)
        cells.append(
            md(
                "## The concept check: lesson 00 and now\n\n"
                f"{gain['students']} students answered both: {mean_before:.0%} of answers right "
                f"in lesson 00, {mean_after:.0%} now.\n\n"
                "| item | right before | right now |\n|---|---|---|\n" + table
            )
        )
    excerpts = debrief.excerpts()
    if excerpts:
        cells.append(md("## From the reflections (anonymised)"))
        for label, rows in excerpts.items():
            quoted = "\n".join(f"> {_clean(text)}\n" for _, text in rows)
            cells.append(md(f"**{label}.**\n\n{quoted}"))
    for number, cell in enumerate(cells):  # fixed ids: the same class, the same notebook
        cell.id = f"debrief-{number:02d}"
    return nbformat.v4.new_notebook(
        cells=cells, metadata={"senge_course": {"debrief": lesson.number}}
    )


def _prediction_text(r):
    """A prediction's result in words (Markdown), the model's answer said to be the model's."""
    head = f"**{r.question}.** {_clean(r.prompt)}\n\n"
    if not r.answered:
        said = "Nobody in the class file recorded this prediction."
    else:
        common = ", ".join(f"{_clean(a)!r} ({n})" for a, n in r.counts.most_common(3))
        said = f"{r.answered} predictions; most common: {common}."
    if r.model_answer is None:
        return head + said + "\n\nThe model gives no answer to compare this prediction with."
    close = f" (a prediction within {r.tolerance:g} of it counts as right)" if r.tolerance else ""
    said += f"\n\nThe model's answer, at the lesson's settings: {_clean(r.model_answer)}{close}."
    if not r.answered:
        return head + said
    said += f"\n{r.wrong} of {r.answered} ({r.share_wrong:.0%}) predicted otherwise"
    if r.followup is None:
        return head + said + "; no later question of the exercise tests the same idea."
    if not r.wrong:
        return head + said + f"; the follow-up question is {r.followup}."
    return (
        head + said + f"; of those, {r.corrected} ({r.share_corrected:.0%}) answered the "
        f"follow-up, {r.followup}, correctly later in the exercise."
    )


def misconception(lesson, label, answer):
    """What answering `answer` to question `label` of `lesson`'s exercise may reveal, in words:
    the sentences of the teaching notes' section on that question that name the answer
    (``instructors/notes/NN.md``, ``### q3: ...``, where the course folder has them), else the
    feedback of that option of a multiple-choice question; "" if neither says anything.

    >>> misconception("05", "q3", "a")[:40]
    'Option `"a"` reveals the belief that doi'
    """
    key = answer.strip().strip('"').lower() if isinstance(answer, str) else None
    question = dict(get_exercise(lesson).items()).get(label)
    if not key or key == getattr(question, "answer", None):
        return ""
    try:
        from ..paths import course_root

        notes = (course_root() / "instructors" / "notes" / f"{lesson}.md").read_text("utf-8")
    except (OSError, FileNotFoundError):
        notes = ""
    section = re.search(rf"^### {re.escape(label)}:.*?(?=^#|\Z)", notes, re.M | re.S)
    if section:
        sentences = re.split(r"(?<=[.!?])\s+", " ".join(section.group(0).split("\n")[1:]))
        named = [s for s in sentences if f'"{key}"' in s.lower()]
        if named:
            return " ".join(named)[:600]
    options = getattr(question, "options", None) or {}
    if key in options:
        return str(options[key])[:600]
    return ""


def _text(value):
    """An answer as short text for counting (JSON for structures)."""
    if isinstance(value, str):
        return " ".join(value.split())[:200]
    return json.dumps(value, sort_keys=True, ensure_ascii=False)[:200]


def _clean(text):
    """Text that cannot open Markdown structure or HTML (learners wrote some of it)."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def _label_order(item):
    label = item[0]
    return (int(label[1:]) if label[1:].isdigit() else 10**6, label)
