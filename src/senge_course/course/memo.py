"""The capstone memo's exercise question (`MemoCheck`); the memo itself is `senge_course.models.memo`.

`DesignMemo`, `RUBRIC`, `THREATS_HEADING`, `SECTIONS` and `validate_threats` are re-exported
here for lessons that import them from the course.
"""

from dataclasses import dataclass

from ..models import claims
from ..models.memo import (
    FORMATS,
    LESSONS,
    MIN_THREATS,
    RUBRIC,
    SECTIONS,
    THREATS_HEADING,
    DesignMemo,
    threat_pairs,
    validate_threats,
)
from .checks import CORRECT, Question

__all__ = [
    "FORMATS",
    "LESSONS",
    "MIN_THREATS",
    "RUBRIC",
    "SECTIONS",
    "THREATS_HEADING",
    "DesignMemo",
    "MemoCheck",
    "validate_threats",
]


@dataclass(frozen=True, eq=False)
class MemoCheck(Question):
    """The memo's exercise: threats to validity named and argued, trade-offs written out.

    The answer is a dict ``{"threats": {claim key: reason, ...}, "trade_offs": "..."}``.  It is
    correct when the threats pass `validate_threats` with reasons of at least
    `min_reason_words` words each and the trade-offs have at least `min_trade_off_words`
    words; the feedback names what is missing and points to the claims tables of lessons 05-08,
    never to a claim.  The instructor scores the memo itself on `RUBRIC`.

    >>> q = MemoCheck("memo_answer")
    >>> out = q.assess({"threats": {"leaders.mandate": "a guess"}, "trade_offs": "Fewer."})
    >>> out.status
    'incorrect'
    >>> print(out.message)  # doctest: +ELLIPSIS
    Threats must name at least 2 different claims, got 1 (only 'leaders.mandate'). ...
    """

    min_reason_words: int = 8
    min_trade_off_words: int = 30

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", "design")

    def judge(self, answer):
        if not isinstance(answer, dict):
            return self._not_yet(
                f'Expected a dict {{"threats": {{claim key: reason, ...}}, "trade_offs": "..."}}, '
                f"but {self.name} is a {type(answer).__name__}."
            )
        problems = []
        threats = answer.get("threats")
        if not isinstance(threats, dict):
            problems.append(
                'Give "threats" as a dict from each claim key to your reason, '
                'such as {"key": "why it may be an artefact of the models"}.'
            )
        else:
            bad = [
                k for k, v in threats.items() if not isinstance(k, str) or not isinstance(v, str)
            ]
            if bad:
                problems.append(
                    f"Write each claim key and its reason as text; not yet: {bad[0]!r}."
                )
            else:
                _, found = threat_pairs(threats)
                problems += [f"{p[0].upper()}{p[1:]}." for p in found]
                short = [
                    k
                    for k, reason in threats.items()
                    if k.strip() in claims.CLAIMS and len(reason.split()) < self.min_reason_words
                ]
                if short:
                    problems.append(
                        f"Give each claim a reason of at least {self.min_reason_words} words "
                        f"(why it may be an artefact of the models); too short: {', '.join(short)}."
                    )
        trade_offs = answer.get("trade_offs")
        if not isinstance(trade_offs, str):
            problems.append('Write "trade_offs" as text.')
        else:
            words = len(trade_offs.split())
            if words < self.min_trade_off_words:
                problems.append(
                    f"Write at least {self.min_trade_off_words} words of trade-offs (what your "
                    f"design gave up and why); you have written {words}."
                )
        if problems:
            tables = ", ".join(f'claims_table("{lesson}")' for lesson in LESSONS)
            pointer = f" The claims of the capstone's lessons are in {tables}."
            return self._not_yet(" ".join(problems) + pointer)
        return self._outcome(
            CORRECT,
            f"{len(threats)} threats to validity, each a claim of the registry with a reason, and "
            f"{len(trade_offs.split())} words of trade-offs. Your instructor scores the memo on: "
            f"{'; '.join(RUBRIC)}.",
        )
