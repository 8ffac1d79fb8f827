"""What a claim is: a headline result, where it comes from, and a test that can break it.

A `Claim` is one sentence a lesson states as a result, with its *origin*:

``"senge"``
    Senge (1997) says it; the course does not test it (a model cannot show what the article
    argues), and the claim has no model check.
``"research"``
    Published research found it (`source` names the study); the model reproduces it, and a
    learner can see where the reproduction stops holding.
``"structure"``
    The model's structure makes it so: a rule written into the model (`assumption` names it).
``"calibration"``
    The model's constants make it so: it holds at the calibrated values and fails elsewhere.

Every claim with a check holds at the lesson's setting (`default`).  Unless it is true by
construction (then `by_construction` says why, and the lesson says so), it has a documented,
plausible `counterexample`: a setting of the same documented parameters where it fails, and
`why_fails` says why.  Finding the assumption behind a result is itself a learning objective.

Examples
--------
>>> def check(*, x):
...     return Verdict(x > 1, f"x is {x:g}")
>>> claim = Claim("demo.x", ("00",), "x is above 1.", "calibration", check=check,
...               default={"x": 2}, counterexample={"x": 0.5}, assumption="x is calibrated at 2",
...               why_fails="x below 1")
>>> claim.holds(), claim.holds(**claim.counterexample)
(True, False)
>>> print(claim.summary)
x is above 1. (Our model: calibration. Assumption: x is calibrated at 2.)
"""

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["ORIGINS", "Claim", "Verdict"]

#: Where a claim comes from, with how a lesson labels it.
ORIGINS = MappingProxyType(
    {
        "senge": "Senge (1997) says",
        "research": "Research says",
        "structure": "Our model: structure",
        "calibration": "Our model: calibration",
    }
)


#: Verdicts kept by `Claim.evaluate` (setting -> Verdict; the oldest goes first).
_VERDICTS = {}
_KEPT = 1024
_KEEPING = threading.Lock()


@dataclass(frozen=True)
class Verdict:
    """Whether a claim holds at one setting, and the model's numbers that decide it, in words."""

    holds: bool
    evidence: str

    @property
    def summary(self):
        """One sentence: holds or fails, and why (the model's numbers)."""
        return f"{'Holds' if self.holds else 'Fails'}: {self.evidence}"


@dataclass(frozen=True)
class Claim:
    """A headline result of a lesson, its origin, and a check that can break it (see the module).

    Parameters
    ----------
    key : str
        A short unique name, such as ``"trap.temporary-surge"``.
    lessons : tuple of str
        The lessons that state it.
    sentence : str
        The result, as the lessons state it.
    origin : str
        One of `ORIGINS`.
    source : str
        The citation, for ``"senge"`` and ``"research"``.
    assumption : str
        The documented assumption the result rests on (every model claim has one).
    check : callable or None
        ``check(**setting) -> Verdict``; None only for claims a model cannot test.
    default : mapping
        The lesson's setting (the check's keyword arguments).
    counterexample : mapping or None
        A plausible setting where the claim fails (None only if true by construction).
    why_fails : str
        Why it fails at the counterexample.
    by_construction : str
        Why the claim is true by construction (then there is no counterexample).
    apps : tuple of str
        The widget apps that show it (their Assumptions view lists it).
    """

    key: str
    lessons: tuple
    sentence: str
    origin: str
    source: str = ""
    assumption: str = ""
    check: Callable | None = field(default=None, repr=False, compare=False)
    default: Mapping = field(default_factory=dict)
    counterexample: Mapping | None = None
    why_fails: str = ""
    by_construction: str = ""
    apps: tuple = ()

    def __post_init__(self):
        if self.origin not in ORIGINS:
            raise ValueError(
                f"origin must be one of {', '.join(ORIGINS)}, got origin={self.origin!r}"
            )
        if self.origin in ("senge", "research") and not self.source:
            raise ValueError(f"claim {self.key!r} comes from {self.origin}: give its source")
        if self.check is not None:
            if not self.assumption:
                raise ValueError(f"claim {self.key!r}: name the assumption it rests on")
            if (self.counterexample is None) == (not self.by_construction):
                raise ValueError(
                    f"claim {self.key!r} needs a counterexample, or by_construction saying why "
                    "it cannot fail (not both)"
                )
        object.__setattr__(self, "default", MappingProxyType(dict(self.default)))
        if self.counterexample is not None:
            object.__setattr__(self, "counterexample", MappingProxyType(dict(self.counterexample)))

    def evaluate(self, **setting):
        """Return the `Verdict` at the lesson's setting changed by `setting`.

        Every check runs its models with fixed seeds, so a verdict is kept (the last
        `_KEPT` settings of every claim): a class whose answers agree pays for each setting once.
        """
        if self.check is None:
            raise ValueError(f"claim {self.key!r} ({self.origin}) has no model check")
        unknown = sorted(set(setting) - set(self.default))
        if unknown:
            raise ValueError(
                f"claim {self.key!r} has no setting {unknown[0]!r}; its settings are "
                f"{', '.join(self.default) or 'none'}"
            )
        merged = {**self.default, **setting}
        try:
            key = (self.key, tuple(sorted((k, type(v), v) for k, v in merged.items())))
            hash(key)
        except TypeError:  # a setting that cannot be a key (a list): run it
            return self.check(**merged)
        found = _VERDICTS.get(key)
        if found is None:
            found = self.check(**merged)
            with _KEEPING:  # the grader judges on several threads
                while len(_VERDICTS) >= _KEPT:
                    _VERDICTS.pop(next(iter(_VERDICTS)))
                _VERDICTS[key] = found
        return found

    def holds(self, **setting):
        """Whether the claim holds at the lesson's setting changed by `setting`."""
        return self.evaluate(**setting).holds

    @property
    def label(self):
        """How a lesson labels the claim's origin ("Research says", "Our model: structure", ...)."""
        return ORIGINS[self.origin]

    @property
    def summary(self):
        """The sentence, its origin and what it rests on, in one line."""
        if self.origin in ("senge", "research"):
            rests = f"{self.label}: {self.source}"
            if self.assumption:
                rests += f"; our model assumes {self.assumption}"
        else:
            rests = f"{self.label}. Assumption: {self.assumption}"
        if self.by_construction:
            rests += f". True by construction: {self.by_construction}"
        return f"{self.sentence} ({rests.rstrip('.')}.)"
