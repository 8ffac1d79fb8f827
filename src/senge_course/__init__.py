"""senge-course: an interactive course on Senge's "Communities of Leaders and Learners".

The package holds the course's helper library: the lesson manifest, exercise
checks, the simulation models, plotting helpers and widget apps.  Importing it
is cheap: matplotlib and ipywidgets are imported only by the modules that draw
(`senge_course.plotting`, `senge_course.widgets`).

Examples
--------
>>> import senge_course
>>> senge_course.get_lesson("00").title
'Start here: find your way around the course'
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .install import check_install
from .lessons import LESSONS, Lesson, get_lesson

try:
    __version__ = version("senge-course")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["LESSONS", "Lesson", "__version__", "check_install", "get_lesson"]

_SUBMODULES = {
    "checks",
    "cli",
    "exercises",
    "lessons",
    "paths",
    "contagion",
    "org",
    "leadership",
    "dynamics",
    "capability",
    "loops",
    "knowledge",
    "plan",
    "cycle",
    "capstone",
    "grading",
    "plotting",
    "style",
    "widgets",
}


def __getattr__(name):
    """Import submodules on first use, so `import senge_course` stays cheap."""
    if name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
