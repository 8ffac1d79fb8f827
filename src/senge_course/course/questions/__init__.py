"""The questions of every lesson's exercise, kept in the package (the grader's side).

Each lesson's module, ``lesson_NN``, defines ``EXERCISE`` (and may define ``LESSON``, the
checked questions inside the lesson notebook): an `Exercise` whose questions hold the expected
answers, hints and solutions.  Notebooks bind them with ``exercise("NN", globals())``; the
grader judges against these same definitions in its own process, out of the learner's reach.

Examples
--------
>>> ex = get_exercise("00")
>>> ex.lesson, len(ex.questions) > 0
('00', True)
"""

import sys
from importlib import import_module

from ..lessons import get_lesson

__all__ = ["exercise", "friendly_name_error", "get_exercise", "install_friendly_errors"]


def get_exercise(lesson, part="exercise"):
    """Return the `Exercise` of `lesson` (a number such as ``"00"`` or a slug): its ``"exercise"``
    `part` (graded) or its ``"lesson"`` part; raise ValueError if there is no such lesson or part.
    """
    number = get_lesson(lesson).number
    try:
        module = import_module(f"{__name__}.lesson_{number}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.lesson_{number}":
            raise
        raise ValueError(f"lesson {number} has no exercise questions") from None
    if part not in ("exercise", "lesson"):
        raise ValueError(f"part must be 'exercise' or 'lesson', got part={part!r}")
    found = getattr(module, "EXERCISE" if part == "exercise" else "LESSON", None)
    if found is None:
        raise ValueError(f"lesson {number} has no {part} questions")
    return found


def exercise(lesson, namespace, *, part="exercise"):
    """Bind the questions of `lesson`'s `part` (as in `get_exercise`) to the notebook's variables
    (`namespace`: pass ``globals()``); return ``q1, q2, ...`` ready for ``q1.check()``,
    ``q1.hint()`` and ``q1.solution()``.

    >>> answers = {}
    >>> q1, *rest = exercise("00", answers)
    >>> q1.outcome().status
    'not attempted'
    """
    if not isinstance(namespace, dict):
        raise TypeError(
            f"namespace must be a dict (pass globals()), got {type(namespace).__name__}"
        )
    bound = get_exercise(lesson, part).bind(namespace)
    install_friendly_errors()
    return bound


def friendly_name_error(error):
    """What to tell a learner whose cell raised `error` (a NameError): the likely fix.

    >>> print(friendly_name_error(NameError("name 'b' is not defined", name="b")))
    b is not defined. If b is your answer (an option or a word), put it in quotes: "b".
    If it is a variable, run the cell that defines it first (Run > Run All Above Selected Cell).
    """
    name = getattr(error, "name", None) or "that name"
    return (
        f"{name} is not defined. If {name} is your answer (an option or a word), put it in "
        f'quotes: "{name}".\nIf it is a variable, run the cell that defines it first '
        "(Run > Run All Above Selected Cell)."
    )


def install_friendly_errors():
    """In IPython, show `friendly_name_error` instead of a raw NameError traceback (the cell
    still fails, so "Run All" stops there as before).  Does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_senge_friendly_errors", False):
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        print(f"NameError: {friendly_name_error(value)}", file=sys.stderr)
        return [f"NameError: {value}"]

    shell.set_custom_exc((NameError,), handler)
    shell._senge_friendly_errors = True
