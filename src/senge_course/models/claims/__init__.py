"""The claims registry: every headline result of the lessons, its origin, and where it fails.

Each lesson keeps three voices apart: what Senge (1997) says, what research says (cited), and
what the course's models assume.  Every result a lesson states is one `Claim` here, with its
origin (``senge``, ``research``, ``structure``, ``calibration``), a check that says whether it
holds for given parameters and, unless it is true by construction, a documented plausible
setting where it fails.  The models are calibrated, not estimated: their numbers are
illustrative, and finding the assumption behind a result is part of the lesson.

"""

from types import MappingProxyType

from . import capstone, cycle, leaders, thresholds, trap
from .core import ORIGINS, Claim, Verdict

__all__ = ["CLAIMS", "ORIGINS", "Claim", "Verdict", "for_app", "for_lesson", "get"]

#: The claim modules, one per group of lessons, in lesson order (each defines CLAIMS).
_MODULES = (thresholds, leaders, trap, cycle, capstone)

#: Every claim, by key.
CLAIMS = MappingProxyType({c.key: c for module in _MODULES for c in module.CLAIMS})


def get(key):
    """Return the claim named `key`, or raise naming the claims there are."""
    if key not in CLAIMS:
        raise ValueError(f"there is no claim {key!r}; the claims are {', '.join(CLAIMS)}")
    return CLAIMS[key]


def for_lesson(lesson):
    """Return the claims lesson `lesson` (such as ``"05"``) states, in registry order."""
    return tuple(c for c in CLAIMS.values() if lesson in c.lessons)


def for_app(app):
    """Return the claims the app named `app` (such as ``"ScenarioComparer"``) shows."""
    return tuple(c for c in CLAIMS.values() if app in c.apps)
