"""Grade a class's exercise notebooks: a gradebook, feedback, reflections and a self-check.

``senge-course grade`` and ``senge-course check`` call `grade` and `grade_notebook`.  Each
submission runs in a fresh kernel in its own temporary folder, with time and memory limits
(`kernel`); the grader's own cell reads the answers (`collect`), which are judged in the
grader's process against the installed package (`run`), so redefining ``q1`` or patching the
course in the kernel changes nothing.  `status`, `gradebook` and `feedback` report the results;
the README ("For instructors") gives the statuses, options and limits.

Examples
--------
>>> from senge_course.grading import STATUSES
>>> "ok" in STATUSES
True
"""

from .gradebook import GradebookError, Result, read_gradebook
from .run import GradingRun, Submission, find_submissions, grade, grade_notebook
from .status import STATUSES

__all__ = [
    "STATUSES",
    "GradebookError",
    "GradingRun",
    "Result",
    "Submission",
    "find_submissions",
    "grade",
    "grade_notebook",
    "read_gradebook",
]
