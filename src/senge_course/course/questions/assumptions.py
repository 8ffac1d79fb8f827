"""Assumption-hunting questions: break a claim of the course's models with one change.

`BreakClaim` asks the learner for the assumption that drives a headline result: a dictionary that
changes at most `changes` of the claim's documented assumptions (the keys of ``claim.default``,
see `senge_course.models.claims`).  The check reruns the claim's own check at that setting and
is correct when the claim *fails* there.  Its feedback reports the model's numbers at the
learner's setting, never the documented counterexample.

>>> from senge_course.course.checks import ___
>>> q = BreakClaim("broken", claim="cycle.integration-pays")
>>> q.evaluate({"broken": ___}).status
'not attempted'
>>> q.evaluate({"broken": {"max_capability": 1.2}}).status
'correct'
>>> out = q.evaluate({"broken": {"charisma": 2}})
>>> out.status, "charisma" in out.message
('incorrect', True)

When the lesson already shows one way to break a result, `keep` holds those assumptions at the
lesson's setting, so the learner must find another:

>>> other = BreakClaim("other", claim="cycle.integration-pays", keep=("max_capability",))
>>> print(other.evaluate({"other": {"max_capability": 1.5}}).message)
The lesson already broke this result that way: leave max_capability at 3.0 and find another assumption it rests on.
>>> other.evaluate({"other": {"teaching_rate": 0.9}}).status
'correct'
"""

from dataclasses import dataclass, field

from ...models import claims
from .. import checks

__all__ = ["BreakClaim"]


@dataclass(frozen=True, eq=False)
class BreakClaim(checks.Question):
    """Change at most `changes` documented assumptions so that claim `claim` (a registry key) fails.

    The answer is a dict from assumption names (keys of the claim's ``default``) to values; names
    whose value equals the lesson's setting do not count as changes.  The `solution` defaults to
    the claim's documented counterexample, restricted to what differs from its default.

    `keep` names assumptions that must stay at the lesson's setting (those the lesson already
    changed); `within` maps an assumption to a range ``(low, high)`` its value must lie in,
    ``low < value <= high`` (the plausible range); `rule` says either in words, for the learner.
    """

    remembers = True  # the judge runs a model: each distinct answer once

    claim: str = ""
    changes: int = 1
    keep: tuple = ()
    within: dict = field(default_factory=dict)
    rule: str = ""

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "reasoning")
        found = claims.get(self.claim)
        if found.counterexample is None:
            raise ValueError(f"claim {self.claim!r} is true by construction: nothing can break it")
        if not self.solution:
            changed = _changed(found.counterexample, found.default)
            object.__setattr__(self, "solution", f"{self.name} = {changed!r}")

    def judge(self, answer):
        claim = claims.get(self.claim)
        names = ", ".join(claim.default)
        if not isinstance(answer, dict):
            return self._outcome(
                checks.INCORRECT,
                f"Give a dictionary from an assumption to its new value, such as "
                f"{{{next(iter(claim.default))!r}: ...}}; {self.name} is "
                f"{checks.describe_type(answer)}. The assumptions are: {names}.",
            )
        unknown = sorted(str(k) for k in answer if k not in claim.default)
        if unknown:
            return self._outcome(
                checks.INCORRECT,
                f"{', '.join(unknown)} is not an assumption of this result: use one of {names}.",
            )
        refused = self._refused(answer, claim.default)
        if refused:
            return self._outcome(checks.INCORRECT, refused)
        changed = _changed(answer, claim.default)
        if not changed:
            return self._outcome(
                checks.INCORRECT,
                "That is the lesson's own setting: change one assumption to a new value.",
            )
        if len(changed) > self.changes:
            most = "one change" if self.changes == 1 else f"{self.changes} changes"
            return self._outcome(
                checks.INCORRECT,
                f"You changed {len(changed)} assumptions ({', '.join(changed)}): use at most "
                f"{most}, so that you know which assumption drives the result.",
            )
        try:
            verdict = claim.evaluate(**answer)
        except (TypeError, ValueError) as exc:
            return self._outcome(checks.INCORRECT, f"The model cannot run that setting: {exc}")
        said = f"In the model at {_setting(changed)}: {verdict.evidence}."
        if verdict.holds:
            return self._outcome(
                checks.INCORRECT,
                f"{said} The result still holds there: move this assumption further, or try "
                "another one.",
            )
        return self._outcome(checks.CORRECT, f"{said} The result no longer holds.")

    def _refused(self, answer, default):
        """Why `answer` breaks the question's `keep` or `within` rule, or "" if it does not."""
        touched = [k for k in self.keep if k in answer and answer[k] != default[k]]
        if touched:
            if self.rule:
                return f"{self.rule} You changed {', '.join(touched)}."
            kept = ", ".join(f"{k} at {default[k]!r}" for k in touched)
            return (
                f"The lesson already broke this result that way: leave {kept} and find another "
                "assumption it rests on."
            )
        for key, (low, high) in self.within.items():
            value = answer.get(key, default.get(key))
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if number and not low < value <= high:
                rule = self.rule or f"Keep {key} above {low:g} and at most {high:g}."
                return f"{rule} You have {key} = {value:g}."
        return ""


def _changed(setting, default):
    return {k: v for k, v in setting.items() if k not in default or default[k] != v}


def _setting(changed):
    return ", ".join(f"{k} = {v!r}" for k, v in changed.items())
