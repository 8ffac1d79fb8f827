"""Where the course's folders are.

A *course folder* holds ``notebooks/`` and either ``solutions/`` (a clone of the repository) or
the manifest `MARKER` that ``senge-course init`` writes (a learner's copy, without solutions).
The installed package carries the lessons, the exercises, the JupyterLab settings, the example
scenario files and the LICENSE (`COURSE_FILES`) as package data, in ``senge_course/_course/``: `packaged_course`.
"""

import os
from importlib.resources import files
from pathlib import Path

__all__ = [
    "COURSE_FILES",
    "MARKER",
    "course_root",
    "is_course",
    "local_course",
    "packaged_course",
]

#: The manifest ``senge-course init`` writes at the top of a learner's copy of the course.
MARKER = ".senge-course"
#: What the wheel carries and ``init`` copies: (folder, file pattern) pairs, then the LICENSE
#: (lesson 08 loads an instructor's scenario file from ``examples/assignments/``).
COURSE_FILES = (
    ("notebooks", "*.ipynb"),
    ("exercises", "*.ipynb"),
    ("jupyter-config", "*.json"),
    ("examples/assignments", "*.json"),
)
_CLONE = Path(__file__).resolve().parents[2]  # the repository, for an editable install


def course_root():
    """Return the course folder (the one holding ``notebooks/`` and ``solutions/``, or a copy
    made by ``senge-course init``).

    Looks at ``$SENGE_COURSE_ROOT``, then beside the installed package (an
    editable install from a clone), then the current folder and its parents.

    Raises
    ------
    FileNotFoundError
        If no course folder is found; the message says how to fix it.

    Examples
    --------
    >>> (course_root() / "notebooks").is_dir()
    True
    """
    candidates = []
    env = os.environ.get("SENGE_COURSE_ROOT")
    if env:
        candidates.append(Path(env))
    candidates.append(_CLONE)
    cwd = Path.cwd().resolve()
    candidates.extend([cwd, *cwd.parents])
    for folder in candidates:
        if is_course(folder):
            return folder
    raise FileNotFoundError(
        "cannot find the course folder (with notebooks/ and solutions/, or a copy made by "
        "senge-course init): run senge-course init, then run senge-course from that folder, or "
        "set SENGE_COURSE_ROOT to it"
    )


def is_course(folder):
    """Whether `folder` is a course folder: ``notebooks/`` with ``solutions/`` (a clone) or with
    the `MARKER` manifest (a copy made by ``senge-course init``).

    >>> is_course(course_root()), is_course(course_root() / "notebooks")
    (True, False)
    """
    folder = Path(folder)
    if not (folder / "notebooks").is_dir():
        return False
    return (folder / "solutions").is_dir() or (folder / MARKER).is_file()


def local_course(start=None):
    """Return the course folder that `start` (default: the current folder) is in, or None.

    >>> local_course(course_root() / "notebooks") == course_root()
    True
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if is_course(folder)), None)


def packaged_course():
    """Return the folder of the course files the package carries (`COURSE_FILES`: ``notebooks/``,
    ``exercises/``, ``jupyter-config/``, ``examples/assignments/`` and ``LICENSE``): ``senge_course/_course`` in an
    installed wheel, the clone itself in an editable install.

    Raises
    ------
    FileNotFoundError
        If the package carries no course (a broken install).

    Examples
    --------
    >>> (packaged_course() / "notebooks" / "00_start_here.ipynb").is_file()
    True
    """
    shipped = Path(str(files("senge_course") / "_course"))
    for folder in (shipped, _CLONE):
        if all(any((folder / name).glob(pattern)) for name, pattern in COURSE_FILES):
            return folder
    raise FileNotFoundError(
        f"the installed senge-course holds no course files (looked in {shipped}): reinstall it "
        'with pip install --force-reinstall "senge-course[lab] @ '
        'git+https://github.com/senge-course/senge-course"'
    )
