"""The course: the lesson manifest, exercise checks, each lesson's questions and the exercise builder.

The course floor imports the models (a question's expected answer is computed by
a model) but never the views: judging an answer never loads matplotlib or
ipywidgets.  Notebooks bind a lesson's questions with ``exercise``:

>>> from senge_course.course import ___, exercise
>>> q1, *rest = exercise("00", {})
>>> q1.check()  # doctest: +SKIP
"""

from .checks import ___, needs
from .questions import exercise

__all__ = ["___", "exercise", "needs"]
