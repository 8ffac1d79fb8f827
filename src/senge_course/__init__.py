"""senge-course: an interactive course on Senge's "Communities of Leaders and Learners".

The package is a house with three floors (``CONTRIBUTING.md`` has the map):

- `senge_course.models`: pure models (numpy, scipy, networkx; nothing draws);
- `senge_course.views`: figures and widget apps, thin views over the models;
- `senge_course.course`: the lesson manifest, exercise checks and questions;

with `senge_course.grading` (grading a class) and the command line (`cli`) on top.
Importing the package is cheap: matplotlib and ipywidgets load only with a view.

Examples
--------
>>> import senge_course
>>> senge_course.get_lesson("00").title
'Start here: find your way around the course'
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from . import _compat
from .course.lessons import LESSONS, Lesson, get_lesson
from .install import check_install

try:
    __version__ = version("senge-course")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["LESSONS", "Lesson", "__version__", "check_install", "get_lesson"]

_SUBPACKAGES = {"cli", "course", "grading", "models", "paths", "style", "views", "files"}

_compat.install()


def __getattr__(name):
    """Import subpackages on first use, so `import senge_course` stays cheap."""
    if name in _SUBPACKAGES or name in _compat.MOVED:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
