"""The questions of every lesson's exercise, kept in the package (the grader's side).

Each lesson's module, ``lesson_NN``, defines ``EXERCISE`` (and may define ``LESSON``, the
checked questions inside the lesson notebook): an `Exercise` whose questions hold the expected
answers, hints and solutions.  Notebooks bind them with ``exercise("NN", globals())``; the
grader judges against these same definitions in its own process, out of the learner's reach.

**Graded mode.** In a graded exercise ``q1.solution()`` says that the instructor has turned
solutions off, and ``q1.hint()`` and ``q1.check()`` work as before.  An exercise is graded when
its notebook says so, or the environment does (either one is enough; neither turns the other
off):

* ``senge-course release`` writes the notebook's setup call as
  ``exercise("NN", globals(), graded=True)`` and its metadata as
  ``metadata.senge_course.graded = true`` (the same notebook, in two places: the call is what
  the kernel reads, the metadata what tools read);
* a hub that grades everything sets the environment variable ``SENGE_COURSE_GRADED=1`` for the
  learners' kernels (``1``, ``true``, ``yes`` or ``on``; ``0``, ``false``, ``no``, ``off`` or
  empty leave it off; any other value counts as on, so a typo never shows solutions).

Graded mode concerns an exercise (``part="exercise"``); the checked questions inside a lesson
(``part="lesson"``) are practice and keep their solutions.  It is a courtesy, not a lock: the
expected answers ship in the package, where a determined learner can read them.

Examples
--------
>>> ex = get_exercise("00")
>>> ex.lesson, len(ex.questions) > 0
('00', True)
"""

import os
import sys
from importlib import import_module

from ..lessons import get_lesson

__all__ = [
    "GRADED_ENV",
    "exercise",
    "friendly_name_error",
    "get_exercise",
    "graded_mode",
    "install_friendly_errors",
]

#: The environment variable a hub sets (to ``1``) to turn every exercise's solutions off.
GRADED_ENV = "SENGE_COURSE_GRADED"
_OFF = ("", "0", "false", "no", "off")


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


def exercise(lesson, namespace, *, part="exercise", graded=False):
    """Bind the questions of `lesson`'s `part` (as in `get_exercise`) to the notebook's variables
    (`namespace`: pass ``globals()``); return ``q1, q2, ...`` ready for ``q1.check()``,
    ``q1.hint()`` and ``q1.solution()``.

    With `graded` (as a released exercise's notebook passes it), or ``SENGE_COURSE_GRADED=1``
    in the environment, an exercise's ``solution()`` says that solutions are off
    (`graded_mode`).

    >>> answers = {}
    >>> q1, *rest = exercise("00", answers)
    >>> q1.outcome().status
    'not attempted'
    >>> q1, *rest = exercise("00", answers, graded=True)
    >>> q1.graded
    True
    """
    if not isinstance(namespace, dict):
        raise TypeError(
            f"namespace must be a dict (pass globals()), got {type(namespace).__name__}"
        )
    if not isinstance(graded, bool):
        raise TypeError(f"graded must be True or False, got graded={graded!r}")
    if part == "exercise":
        graded = graded_mode(graded)
    # a lesson binds its checks to names of its own (overtake.check()): no "q1:" label
    bound = get_exercise(lesson, part).bind(namespace, graded=graded, labelled=part == "exercise")
    install_friendly_errors()
    # a notebook copied by `senge-course init` of another version says so in this cell's output
    from ...install import version_note

    version_note(namespace)
    return bound


def graded_mode(graded=False, environ=None):
    """Whether an exercise runs in graded mode (solutions off): `graded` (what the notebook
    says) or the environment variable `GRADED_ENV` of `environ` (by default ``os.environ``).

    >>> graded_mode(False, {}), graded_mode(True, {}), graded_mode(False, {"SENGE_COURSE_GRADED": "1"})
    (False, True, True)
    >>> graded_mode(False, {"SENGE_COURSE_GRADED": "off"}), graded_mode(True, {"SENGE_COURSE_GRADED": "0"})
    (False, True)
    """
    if not isinstance(graded, bool):
        raise TypeError(f"graded must be True or False, got graded={graded!r}")
    value = (os.environ if environ is None else environ).get(GRADED_ENV, "")
    return graded or str(value).strip().lower() not in _OFF


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
