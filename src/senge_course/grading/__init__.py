"""Grade a class's exercise notebooks: a gradebook, feedback, reflections and a self-check.

``senge-course grade SUBMISSIONS --out gradebook.csv`` and ``senge-course check NOTEBOOK`` call
`grade` and `grade_notebook`.  Each submission runs in a fresh kernel in its own temporary
folder, with time and memory limits.  The grader never reads the notebook's outputs: after the
learner's cells, its own collection cell reads each answer and publishes it as JSON tagged with
a fresh secret, and the answers are judged in the grader's process against the installed
package.  Redefining ``q1`` or patching the course inside the kernel changes nothing the grader
uses; code that subverts its kernel can report other answers, but no more than typing them
would.  The README ("For instructors") gives the statuses, options and limits.

- `run`: find submissions and grade them (read, run, collect, judge, build the result);
- `kernel`: running one notebook in a fresh, limited kernel;
- `collect`: the collection cell, and reading what it returns;
- `status`: incidents and the status they give; `gradebook`: results and the CSV files;
  `feedback`: the Markdown page for each student.

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
