"""The grader's collection cell: what runs in a learner's kernel, and the data it sends back.

After the learner's cells the grader runs its own cell (`collector_source`), which imports only
the standard library (and networkx, for graphs), never ``senge_course`` (the learner may have
patched it).  It reads each question's variable, calls the learner's functions on the test
inputs (sent pickled; each call with a time limit, its printing thrown away), converts every
answer to JSON data as ``q.check()`` does (anything else to its type name and a short ``repr``,
which never matches an expected answer), and publishes one output of type `MIME` carrying a
fresh nonce, so nothing the learner printed can pass for it.  `read_answers` turns it back into
what `Question.assess` judges in the grader's process, or reports how the notebook broke it.

Examples
--------
The collector is plain Python, so it can be tried on an ordinary namespace.  A learner who
answered ``answer = 0.25`` and wrote a function that fails on empty lists:

>>> from senge_course.course.checks import Function, Value
>>> questions = [Value("answer", 0.25),
...              Function("share", cases=(([1, 0],), ([],)), reference=None)]
>>> namespace = {"answer": 0.25, "share": lambda xs: sum(xs) / len(xs)}
>>> payload = run_collector(namespace, questions, nonce="abc123")
>>> answers = decode_answers(payload, nonce="abc123", count=2)
>>> answers[0]
0.25
>>> answers[1]["results"]
[{'value': 0.5}, {'error': 'ZeroDivisionError: division by zero'}]
"""

import base64
import functools
import json
import pickle
import re
from dataclasses import dataclass
from numbers import Integral, Real

from ..course.checks import MISSING, ___
from .status import Incident

__all__ = [
    "MIME",
    "CollectError",
    "CollectFailure",
    "collector_source",
    "collector_spec",
    "decode_answers",
    "read_answers",
    "run_collector",
]

#: The MIME type of the collection cell's one output.
MIME = "application/x-senge-grader"

#: The name of the collector function inside the kernel.
_FUNCTION = "__senge_grader_collect"

_TAG_PREFIX = "__senge_grader_"

# The collection cell's function.  Self-contained: it must not import senge_course.  Its
# arguments are the questions (JSON text), the nonce, and the seconds one call may take.
_COLLECTOR = r'''
def __senge_grader_collect(spec_json, nonce, call_seconds, publish=True):
    import base64
    import io
    import json
    import numbers
    import pickle
    import signal
    import sys
    import threading

    tag = "__senge_grader_" + nonce
    namespace = globals()
    max_items, max_depth, max_chars = 200_000, 60, 2_000_000

    class TooBig(Exception):
        pass

    class Sink(io.TextIOBase):
        def write(self, text):
            return len(text)

    def short(value, limit=200):
        try:
            text = repr(value)
        except Exception:
            text = None
        text = text if isinstance(text, str) else "<unprintable>"
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def type_name(value):
        try:
            return str(type(value).__name__)[:60]
        except Exception:
            return "object"

    def is_placeholder(value):
        kind = type(value)
        return kind.__name__ == "_Placeholder" and kind.__module__ == "senge_course.course.checks"

    def encode(value, count, depth=0):
        count[0] += 1
        if count[0] > max_items or depth > max_depth:
            raise TooBig()
        if is_placeholder(value):
            return {tag: "placeholder"}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real):
            return float(value)
        if isinstance(value, dict):
            items = list(value.items())
            if all(type(k) is str for k, _ in items):
                return {k: encode(v, count, depth + 1) for k, v in items}
            pairs = []
            for k, v in items:
                if isinstance(k, (bool, str)) or k is None:
                    key = k
                elif isinstance(k, (int, float)):
                    key = encode(k, count, depth + 1)
                else:
                    key = str(k)
                pairs.append([key, encode(v, count, depth + 1)])
            return {tag: "dict", "items": pairs}
        if isinstance(value, (list, tuple)):
            return [encode(v, count, depth + 1) for v in value]
        if isinstance(value, (set, frozenset)):
            return sorted((encode(v, count, depth + 1) for v in value), key=repr)
        tolist = getattr(value, "tolist", None)
        if callable(tolist):
            return encode(tolist(), count, depth + 1)
        return {tag: "object", "type": type_name(value), "repr": short(value)}

    def as_data(value):
        try:
            data = encode(value, [0])
            if len(json.dumps(data)) <= max_chars:
                return data
        except TooBig:
            pass
        return {tag: "too big", "type": type_name(value)}

    def decode(case):
        return pickle.loads(base64.b64decode(case))

    def error_text(exc):
        try:
            text = f"{type(exc).__name__}: {exc}"
        except Exception:
            text = type_name(exc)
        return text if len(text) <= 300 else text[:297] + "..."

    def guarded(work):
        """Run work() with output thrown away and a time limit; return (ok, value)."""
        use_alarm = (
            call_seconds
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )

        def on_alarm(signum, frame):
            raise TimeoutError(f"took longer than {call_seconds:g} s")

        old_out, old_err = sys.stdout, sys.stderr
        old_handler = None
        sys.stdout = sys.stderr = Sink()
        try:
            if use_alarm:
                old_handler = signal.signal(signal.SIGALRM, on_alarm)
                signal.setitimer(signal.ITIMER_REAL, call_seconds)
            try:
                return True, work()
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, old_handler or signal.SIG_DFL)
        except (Exception, SystemExit) as exc:
            return False, error_text(exc)
        finally:
            sys.stdout, sys.stderr = old_out, old_err

    def graph(G):
        import networkx

        if not isinstance(G, networkx.Graph):
            return {"not_graph": type_name(G)}
        return {"graph": as_data(networkx.node_link_data(G, edges="edges"))}

    def collect(kind, name, cases):
        if name not in namespace:
            return {tag: "missing"}
        value = namespace[name]
        if kind != "value" and is_placeholder(value):
            return {tag: "placeholder"}
        if kind == "function" and not callable(value):
            return {"not_callable": type_name(value)}
        if kind == "function":
            calls = [guarded(lambda: as_data(value(*decode(case)))) for case in cases]
            return {"results": [{"value" if ok else "error": out} for ok, out in calls]}
        ok, data = guarded(lambda: graph(value) if kind == "graph" else as_data(value))
        return data if ok else {tag: "failed", "error": data}

    answers = [collect(q["kind"], q["name"], q.get("cases")) for q in json.loads(spec_json)]
    payload = json.dumps({"nonce": nonce, "answers": answers})
    if not publish:
        return payload
    from IPython import get_ipython

    get_ipython().display_pub.publish(data={"application/x-senge-grader": payload}, metadata={})
'''


class CollectError(ValueError):
    """The collection cell's output is missing or malformed (the answers cannot be read)."""


@dataclass(frozen=True)
class CollectFailure:
    """Reading one answer raised in the kernel: the `error` text, reported as an error outcome."""

    error: str


def collector_spec(questions):
    """What to collect for `questions` (each one's ``spec()``, test inputs encoded), as the JSON
    text the collection cell reads: built once per grading run.

    >>> from senge_course.course.checks import Value
    >>> collector_spec([Value("x", 1)])
    '[{"kind": "value", "name": "x"}]'
    """
    specs = []
    for question in questions:
        spec = question.spec()
        out = {"kind": str(spec["kind"]), "name": str(spec["name"])}
        if spec["kind"] == "function":
            # test inputs (tuples, graphs, arrays, ...) made by the grader, pickled for the kernel
            cases = (pickle.dumps(tuple(case), protocol=4) for case in spec["cases"])
            out["cases"] = [base64.b64encode(case).decode("ascii") for case in cases]
        specs.append(out)
    return json.dumps(specs, ensure_ascii=True)


def collector_source(spec, nonce, *, call_seconds=10.0):
    """The source of the collection cell for `spec` (`collector_spec`), tagged with `nonce` (a
    fresh token of letters and digits); one call of a learner's function gets `call_seconds`.

    >>> from senge_course.course.checks import Value
    >>> source = collector_source(collector_spec([Value("x", 1)]), "f00d")
    >>> "import senge_course" in source, "f00d" in source, source.count("\\n", 0, -1) == 0
    (False, True, True)
    """
    if not isinstance(nonce, str) or not re.fullmatch(r"[A-Za-z0-9]{1,64}", nonce):
        raise ValueError(f"nonce must be 1 to 64 letters or digits, got nonce={nonce!r}")
    call = f"{_FUNCTION}({spec!r}, {nonce!r}, {float(call_seconds)!r})"
    # One short line: IPython parses the cell before it runs, and parsing 200 lines can set off
    # a garbage collection of the learner's heap (0.1 s after lesson 05's notebook).  The
    # kernel is shut down after this cell, so collecting is never needed: it is turned off
    # first, then the collector is compiled and run in the learner's namespace.
    body = _COLLECTOR.lstrip() + f"\n{call}\n"
    return f"__import__('gc').disable(); exec(compile({body!r}, '<senge-grader>', 'exec'))\n"


def run_collector(namespace, questions, *, nonce, call_seconds=0):
    """Run the collector on a plain `namespace` (no kernel; for tests) and return its JSON
    payload.  ``call_seconds=0`` sets no time limit."""
    scope = dict(namespace)
    exec(compile(_COLLECTOR, "<senge-grader-collector>", "exec"), scope)  # noqa: S102
    return scope[_FUNCTION](collector_spec(questions), nonce, call_seconds or 0, publish=False)


def read_answers(payloads, *, finished, nonce, count):
    """``(answers, None)`` from the collection cell's `payloads` (its outputs of type `MIME`), or
    ``(None, incident)`` saying how the notebook kept them from the grader; `finished` says
    whether the cell ran to its end (`nonce` and `count` as in `decode_answers`).

    >>> answers, incident = read_answers(['{"nonce": "n1", "answers": [3]}'] * 2,
    ...                                  finished=True, nonce="n1", count=1)
    >>> incident.kind, incident.detail
    ('collect failed', "several outputs carried this run's secret tag: the notebook imitated the grader")
    """
    if len(payloads) > 1:
        why = "several outputs carried this run's secret tag: the notebook imitated the grader"
    elif not finished or not payloads:
        why = (
            "the grader's collection cell did not finish "
            "(did the notebook replace print, display or builtins?)"
        )
    else:
        try:
            return decode_answers(payloads[0], nonce=nonce, count=count), None
        except CollectError as exc:
            why = str(exc)
    return None, Incident("collect failed", False, why)


def decode_answers(payload, *, nonce, count):
    """Turn the collector's JSON `payload` back into the answers `Question.assess` judges.

    Returns one answer per question (`count` of them): plain data, ``___`` for a placeholder,
    `MISSING` for a variable that does not exist, or a `CollectFailure`.  Raises `CollectError`
    if the payload is not JSON, carries another `nonce`, or has the wrong number of answers.

    >>> decode_answers('{"nonce": "n1", "answers": [{"__senge_grader_n1": "placeholder"}, 3]}',
    ...                nonce="n1", count=2)
    [___, 3]
    >>> decode_answers('{"nonce": "evil", "answers": [1, 1]}', nonce="n1", count=2)
    Traceback (most recent call last):
    ...
    senge_course.grading.collect.CollectError: the collection output carries another nonce
    """
    try:
        data = json.loads(payload)
    except (TypeError, ValueError) as exc:
        raise CollectError(f"the collection output is not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("nonce") != nonce:
        raise CollectError("the collection output carries another nonce")
    answers = data.get("answers")
    if not isinstance(answers, list) or len(answers) != count:
        raise CollectError(f"the collection output does not hold {count} answers")
    return [_decode(answer, _TAG_PREFIX + nonce) for answer in answers]


# ---------------------------------------------------------------- helpers


def _decode(value, tag):
    if isinstance(value, list):
        return [_decode(v, tag) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get(tag)
    if kind is None:
        return {k: _decode(v, tag) for k, v in value.items()}
    if kind == "placeholder":
        return ___
    if kind == "missing":
        return MISSING
    if kind == "failed":
        return CollectFailure(str(value.get("error", "unknown error")))
    if kind == "dict":
        out = {}
        for pair in value.get("items", []):
            if isinstance(pair, list) and len(pair) == 2:
                key = pair[0]
                if not (key is None or isinstance(key, (str, Integral, Real))):
                    key = str(key)
                out[key] = _decode(pair[1], tag)
        return out
    name = re.sub(r"[^\w.]", "", str(value.get("type", "object")))[:60] or "object"
    text = f"<{name}: too big>" if kind == "too big" else str(value.get("repr", "<object>"))
    return _opaque_type(name)(text)


class _Opaque:
    """An answer the collector could only describe (its type name and repr): never equal."""

    __slots__ = ("_text",)

    def __init__(self, text):
        self._text = text[:200]

    def __repr__(self):
        return self._text


@functools.lru_cache(maxsize=1024)  # bounded: the names come from learners
def _opaque_type(name):
    return type(name, (_Opaque,), {"__slots__": ()})
