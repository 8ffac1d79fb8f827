"""A class debrief from what the grader kept: ``senge-course debrief GRADED --out DIR``.

`ClassDebrief` reads a graded lesson's ``class.json`` (`senge_course.grading.classfile`) and
answers the questions an instructor asks after a session: what the class predicted
(`predictions`), which answers to each question were wrong most often (`wrong_answers`), the
designs the class built and how they fared (`designs`), the concept check's gain between
lesson 00 and lesson 08 (`concept_gain`), and a few reflections (`excerpts`, anonymised).
Every number is counted from the file; nothing is run again.

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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import files
from .lessons import get_lesson
from .questions import get_exercise
from .questions.concepts import CONCEPTS

__all__ = ["ClassDebrief", "WrongAnswers", "build_debrief", "concept_gain"]

_SCHEMA = "senge-course/class"


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
class ClassDebrief:
    """A graded lesson's class file, read for a debrief (see the module)."""

    lesson: str
    students: dict = field(repr=False)

    @classmethod
    def load(cls, path):
        """Read ``class.json`` (or the folder holding it); raise ValueError naming the file if it
        is not a class file of one lesson."""
        path = Path(path)
        path = path / "class.json" if path.is_dir() else path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot read the class file {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("schema") != _SCHEMA:
            raise ValueError(f"{path} is not a senge-course class file")
        students = {s: r for s, r in data.get("students", {}).items() if r.get("outcomes")}
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
    exercise = get_exercise(lesson.number)
    prompts = {label: q.prompt for label, q in exercise.items()}
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
            "from senge_course.views.debrief import show_counts, show_wrong_answers\n\n"
            f"debrief = ClassDebrief.load({source.as_posix()!r})"
        ),
    ]
    predictions = debrief.predictions()
    if predictions:
        cells.append(md("## What the class predicted"))
        for label, counts in predictions.items():
            top, n = counts.most_common(1)[0]
            cells += [
                md(
                    f"**{label}.** {_clean(prompts.get(label, ''))}\n\n"
                    f"{sum(counts.values())} predictions; the most common was {top!r} ({n})."
                ),
                code(f"show_counts(debrief.predictions()[{label!r}], title={label!r})"),
            ]
    wrong = {q: w for q, w in debrief.wrong_answers().items() if w.wrong}
    cells.append(md("## Where the class went wrong"))
    if wrong:
        lines = [
            f"- **{q}** ({w.kind or 'item'}): {w.wrong} of {w.answered} wrong"
            + (
                f"; most often {w.most_common[0][0]!r} ({w.most_common[0][1]})"
                if w.most_common
                else ""
            )
            for q, w in wrong.items()
        ]
        cells += [
            md(
                "\n".join(lines) + "\n\nThe teaching notes' misconceptions say what each wrong "
                f"answer may reveal (`instructors/notes/{lesson.number}.md`)."
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
