"""Outcomes kept per answer, for questions whose judges run a model (`Question.remembers`).

Judges run the models with fixed seeds, so the same answer always earns the same outcome: a
class whose answers agree (many submit the lesson's default design) runs each answer's model
once per process.  Only plain data (numbers, strings, lists, tuples, dicts: what the grader's
collection cell delivers) is kept, with its types told apart (1, 1.0 and True; a list and a
tuple); anything else is judged afresh.
"""

import threading
import weakref

__all__ = ["judged"]

#: Outcomes per question (question -> {answer key: Outcome}).
_JUDGED = weakref.WeakKeyDictionary()
_JUDGING = threading.Lock()
_KEPT_PER_QUESTION = 512


def _answer_key(value, depth=0):
    """A hashable key for answer data that tells types apart (1, 1.0 and True; a list and a
    tuple), or None for anything else (then the answer is judged afresh)."""
    if depth > 20:
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        items = tuple(_answer_key(v, depth + 1) for v in value)
        return None if None in items else (type(value).__name__, items)
    if isinstance(value, dict):
        items = tuple(
            (_answer_key(k, depth + 1), _answer_key(v, depth + 1)) for k, v in value.items()
        )
        return None if any(None in pair for pair in items) else ("dict", items)
    return None


def judged(question, answer):
    """``question.judge(answer)``, judged once per distinct `answer` (see the module)."""
    key = _answer_key(answer)
    if key is None:
        return question.judge(answer)
    with _JUDGING:
        kept = _JUDGED.setdefault(question, {})
        outcome = kept.get(key)
    if outcome is None:
        outcome = question.judge(answer)
        with _JUDGING:
            if len(kept) >= _KEPT_PER_QUESTION:
                kept.pop(next(iter(kept)))
            kept[key] = outcome
    return outcome
