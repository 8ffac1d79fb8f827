"""Old import paths (before the models / views / course floors) as aliases, for one release.

``import senge_course.contagion`` still works and gives the module now at
``senge_course.models.contagion``, with a `DeprecationWarning` naming the new path.
Remove after version 0.2 (CONTRIBUTING.md lists the moves).
"""

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

_MODELS = "dynamics contagion org leadership capability knowledge loops cycle plan capstone"
#: Old module (under ``senge_course.``) -> its new place.
MOVED = {
    **{m: f"models.{m}" for m in _MODELS.split()},
    **{m: f"course.{m}" for m in ("lessons", "checks", "exercises", "questions")},
    "plotting": "views.figures",
    "widgets": "views",
    "grading_collect": "grading.collect",
    "grading_kernel": "grading.kernel",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        new = _new_name(fullname)
        return importlib.util.spec_from_loader(fullname, self) if new else None

    def create_module(self, spec):
        new = _new_name(spec.name)
        warnings.warn(
            f"{spec.name} has moved to {new}: import it from there",
            DeprecationWarning,
            stacklevel=4,
        )
        return importlib.import_module(new)

    def exec_module(self, module):
        pass


def _new_name(fullname):
    prefix, _, rest = fullname.partition(".")
    if prefix != "senge_course" or not rest:
        return None
    head, _, tail = rest.partition(".")
    if head not in MOVED:
        return None
    return f"senge_course.{MOVED[head]}" + (f".{tail}" if tail else "")


def install():
    """Put the alias finder on `sys.meta_path` (once)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
