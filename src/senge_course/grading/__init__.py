"""Grade a class's exercise notebooks: fresh limited kernels, answers judged outside the kernel.

- `run`: find submissions, run each in a kernel, judge, write the gradebook and feedback;
- `collect`: the collection cell the grader appends, and decoding what it returns;
- `kernel`: running one notebook in a fresh, limited kernel.

Examples
--------
>>> from senge_course.grading import STATUSES
>>> "ok" in STATUSES
True
"""

from .run import (
    STATUSES,
    GradebookError,
    GradingRun,
    Result,
    Submission,
    find_submissions,
    grade,
    grade_notebook,
    read_gradebook,
)

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
