"""How a submission's run went: the incidents the kernel and the collector report, and its status.

>>> incidents = [Incident("cell error", False, "code cell 2 (x = 1 / 0)"),
...              Incident("timeout", False, "code cell 3 (while True:) ran longer than 8 s")]
>>> status_of(incidents), status_of([])
('timeout', 'ok')
>>> status_of(incidents + [Incident("kernel died", True, "the kernel stopped")])
'kernel died'
>>> print(describe(incidents))
Code cell 3 (while True:) ran longer than 8 s. 1 cell raised an error.
"""

from dataclasses import dataclass

__all__ = ["KINDS", "STATUSES", "Incident", "describe", "one_line", "sentence", "status_of"]

#: Every status a submission can end with, and what it means.
STATUSES = {
    "ok": "ran to the end; every question judged",
    "timeout": "a cell ran past its time limit and was stopped",
    "memory": "a cell ran out of memory",
    "kernel died": "the kernel process exited; nothing judged",
    "collect failed": "the notebook broke the grader's collection cell; nothing judged",
    "invalid notebook": "not a readable Jupyter notebook",
    "wrong lesson": "the notebook belongs to another lesson, or does not say which",
    "no notebook": "the student's folder holds no notebook",
    "several notebooks": "the student's folder holds more than one notebook",
    "refused": "not run: a symbolic link, or a file the grader could not copy safely",
    "grader error": "a bug in the grader; rerunning retries it",
}

#: What can go wrong in a run; each kind but ``cell error`` is also a status.
KINDS = ("timeout", "memory", "kernel died", "collect failed", "cell error")


@dataclass(frozen=True)
class Incident:
    """Something that went wrong while a notebook ran or its answers were read: its `kind` (one of
    `KINDS`), whether it was `fatal` (the kernel could not go on: nothing after it ran and no
    answer could be read), and a `detail` naming the cell, for the instructor and the learner;
    `cell` is the code cell's number (1 for the first code cell) when one cell is to blame, and
    `error` the name of the exception it raised (``"SyntaxError"``)."""

    kind: str
    fatal: bool
    detail: str
    cell: int | None = None
    error: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got kind={self.kind!r}")


def status_of(incidents):
    """The status of a run with these `incidents`: the first fatal one's kind, else the first
    one's that is not a cell error, else ``"ok"`` (a cell error alone changes no status)."""
    fatal = [i.kind for i in incidents if i.fatal]
    return (fatal or [i.kind for i in incidents if i.kind != "cell error"] or ["ok"])[0]


def describe(incidents):
    """The incidents as sentences, in order, then how many cells raised an error."""
    notes = [sentence(i.detail) for i in incidents if i.kind != "cell error"]
    errors = sum(i.kind == "cell error" for i in incidents)
    if errors:
        notes.append(f"{errors} cell{'s' if errors > 1 else ''} raised an error.")
    return " ".join(notes)


def one_line(text):
    """`text` with every run of white space (new lines too) made one space."""
    return " ".join(str(text).split())


def sentence(text):
    """`text` on one line, starting with a capital and ending with one full stop.

    >>> sentence("the kernel  stopped\\n(exit code 3).")
    'The kernel stopped (exit code 3).'
    """
    text = one_line(text)
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""
