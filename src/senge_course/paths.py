"""Where the course's folders are: the course root holds notebooks/, exercises/ and solutions/."""

import os
from pathlib import Path

__all__ = ["course_root"]


def course_root():
    """Return the course folder (the one holding ``notebooks/`` and ``pyproject.toml``).

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
    candidates.append(Path(__file__).resolve().parents[2])
    cwd = Path.cwd().resolve()
    candidates.extend([cwd, *cwd.parents])
    for folder in candidates:
        if (folder / "notebooks").is_dir() and (folder / "solutions").is_dir():
            return folder
    raise FileNotFoundError(
        "cannot find the course folder (with notebooks/ and solutions/): run senge-course from "
        "the cloned repository, or set SENGE_COURSE_ROOT to it"
    )
