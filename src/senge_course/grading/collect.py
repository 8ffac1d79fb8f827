"""The grader's collection cell: what runs in a learner's kernel, and the data it sends back.

The grader never trusts the learner's kernel with anything but reporting answers.  After the
learner's cells have run, it executes one cell of its own, built by `collector_source`.  That
cell is self-contained source code: it imports only the standard library (and networkx, to
rebuild graph inputs), never ``senge_course``, which the learner's code may have patched.  It

* reads each question's variable from the kernel's globals (the notebook's namespace);
* calls the learner's functions on the test inputs, which arrive as data (graphs as node-link
  data, tuples and sets tagged), each call under a time limit, with its printing thrown away;
* converts every answer to JSON data, the way `senge_course.course.checks` does for ``q.check()``
  (numbers, strings, lists, dictionaries; numpy arrays through ``tolist``; anything else as
  its type name and a short ``repr``, which never matches an expected answer);
* publishes one display output of its own MIME type (`MIME`) whose JSON carries a fresh random
  nonce, so nothing the learner printed or displayed can pass for it.

`decode_answers` turns that data back into what `Question.assess` judges, in the grader's own
process, against the expected answers in the package.

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
import json
import pickle
import re
from numbers import Integral, Real

from ..course.checks import _MISSING, ___

__all__ = [
    "MIME",
    "CollectError",
    "CollectFailure",
    "collector_source",
    "decode_answers",
    "encode_case",
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
    import io
    import json
    import numbers
    import signal
    import sys
    import threading

    tag = "__senge_grader_" + nonce
    spec = json.loads(spec_json)
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
            text = "<unprintable>"
        if not isinstance(text, str):
            text = "<unprintable>"
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
            text = json.dumps(data)
        except TooBig:
            return {tag: "too big", "type": type_name(value)}
        if len(text) > max_chars:
            return {tag: "too big", "type": type_name(value)}
        return data

    def decode(value):
        if isinstance(value, list):
            return [decode(v) for v in value]
        if isinstance(value, dict):
            kind = value.get(tag)
            if kind == "tuple":
                return tuple(decode(v) for v in value["items"])
            if kind == "set":
                return {decode(v) for v in value["items"]}
            if kind == "frozenset":
                return frozenset(decode(v) for v in value["items"])
            if kind == "dict":
                return {decode(k): decode(v) for k, v in value["items"]}
            if kind == "graph":
                import networkx

                return networkx.node_link_graph(decode(value["data"]), edges="edges")
            if kind == "pickle":
                import base64
                import pickle

                return pickle.loads(base64.b64decode(value["data"]))
            return {k: decode(v) for k, v in value.items()}
        return value

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

    def collect_value(name):
        if name not in namespace:
            return {tag: "missing"}
        ok, data = guarded(lambda: as_data(namespace[name]))
        return data if ok else {tag: "failed", "error": data}

    def collect_function(name, cases):
        if name not in namespace:
            return {tag: "missing"}
        fn = namespace[name]
        if is_placeholder(fn):
            return {tag: "placeholder"}
        if not callable(fn):
            return {"not_callable": type_name(fn)}
        results = []
        for case in cases:
            ok, value = guarded(lambda: as_data(fn(*decode(case))))
            results.append({"value": value} if ok else {"error": value})
        return {"results": results}

    def collect_graph(name):
        if name not in namespace:
            return {tag: "missing"}
        G = namespace[name]
        if is_placeholder(G):
            return {tag: "placeholder"}

        def work():
            import networkx

            if not isinstance(G, networkx.Graph):
                return {"not_graph": type_name(G)}
            return {"graph": as_data(networkx.node_link_data(G, edges="edges"))}

        ok, data = guarded(work)
        return data if ok else {tag: "failed", "error": data}

    answers = []
    for question in spec:
        kind, name = question["kind"], question["name"]
        if kind == "function":
            answers.append(collect_function(name, question["cases"]))
        elif kind == "graph":
            answers.append(collect_graph(name))
        else:
            answers.append(collect_value(name))
    payload = json.dumps({"nonce": nonce, "answers": answers})
    if not publish:
        return payload
    from IPython import get_ipython

    get_ipython().display_pub.publish(data={"application/x-senge-grader": payload}, metadata={})
'''


class CollectError(ValueError):
    """The collection cell's output is missing or malformed (the answers cannot be read)."""


class CollectFailure:
    """Reading one answer raised in the kernel: the error text, reported as an error outcome."""

    def __init__(self, error):
        self.error = str(error)

    def __repr__(self):
        return f"CollectFailure({self.error!r})"


def collector_source(questions, nonce, *, call_seconds=10.0):
    """Return the source of the collection cell for `questions`, tagged with `nonce`.

    Parameters
    ----------
    questions : sequence of Question
        The exercise's questions, in order; each one's ``spec()`` says what to collect.
    nonce : str
        A fresh random token (letters and digits): the cell's output carries it.
    call_seconds : float
        Time limit for reading one answer or for one call of a learner's function.

    Returns
    -------
    str
        Python source that defines the collector function and calls it.

    Examples
    --------
    The cell never imports the course package: the learner may have patched it.

    >>> from senge_course.course.checks import Value
    >>> source = collector_source([Value("x", 1)], "f00d")
    >>> "import senge_course" in source, "'f00d'" in source
    (False, True)
    """
    if not isinstance(nonce, str) or not re.fullmatch(r"[A-Za-z0-9]{1,64}", nonce):
        raise ValueError(f"nonce must be 1 to 64 letters or digits, got nonce={nonce!r}")
    spec = [_encode_spec(q.spec(), nonce) for q in questions]
    spec_json = json.dumps(spec, ensure_ascii=True)
    return (
        _COLLECTOR.lstrip() + f"\n{_FUNCTION}({spec_json!r}, {nonce!r}, {float(call_seconds)!r})\n"
    )


def run_collector(namespace, questions, *, nonce, call_seconds=0):
    """Run the collector on a plain `namespace` (no kernel) and return its JSON payload.

    The grader runs the same code in the learner's kernel; this is for tests and
    for checking the collector itself.  ``call_seconds=0`` sets no time limit.
    """
    source = collector_source(questions, nonce, call_seconds=call_seconds or 0)
    definition = source[: source.rindex(f"\n{_FUNCTION}(")]
    scope = dict(namespace)
    exec(compile(definition, "<senge-grader-collector>", "exec"), scope)  # noqa: S102
    collect = scope[_FUNCTION]
    spec_json = json.dumps([_encode_spec(q.spec(), nonce) for q in questions])
    return collect(spec_json, nonce, call_seconds or 0, publish=False)


def decode_answers(payload, *, nonce, count):
    """Turn the collector's JSON `payload` back into the answers `Question.assess` judges.

    Parameters
    ----------
    payload : str
        The JSON text the collection cell published.
    nonce : str
        The nonce the cell was built with; a payload carrying another one is refused.
    count : int
        The number of questions asked.

    Returns
    -------
    list
        One answer per question: plain data, ``___`` for a placeholder, the checks'
        missing marker for a variable that does not exist, or a `CollectFailure`.

    Raises
    ------
    CollectError
        If the payload is not JSON, carries another nonce, or has the wrong number of answers.

    Examples
    --------
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
    tag = _TAG_PREFIX + nonce
    return [_decode_top(answer, tag) for answer in answers]


def encode_case(value, nonce):
    """Encode one test input as JSON data the collector rebuilds (graphs, tuples, sets, ...).

    Plain numbers, strings, lists and string-keyed dictionaries are sent as they are;
    tuples, sets and other dictionaries are tagged; a networkx graph goes as node-link
    data; anything else is pickled (the grader sends it; the learner's kernel unpickles).

    >>> encode_case((1, "a"), "n1")
    {'__senge_grader_n1': 'tuple', 'items': [1, 'a']}
    """
    tag = _TAG_PREFIX + nonce
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, list):
        return [encode_case(v, nonce) for v in value]
    if isinstance(value, tuple):
        return {tag: "tuple", "items": [encode_case(v, nonce) for v in value]}
    if isinstance(value, (set, frozenset)):
        kind = "set" if isinstance(value, set) else "frozenset"
        return {tag: kind, "items": [encode_case(v, nonce) for v in value]}
    if isinstance(value, dict):
        if all(type(k) is str and k != tag for k in value):
            return {k: encode_case(v, nonce) for k, v in value.items()}
        return {
            tag: "dict",
            "items": [[encode_case(k, nonce), encode_case(v, nonce)] for k, v in value.items()],
        }
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover - networkx is a dependency
        nx = None
    if nx is not None and isinstance(value, nx.Graph):
        data = nx.node_link_data(value, edges="edges")
        return {tag: "graph", "data": encode_case(data, nonce)}
    return {tag: "pickle", "data": base64.b64encode(pickle.dumps(value, protocol=4)).decode()}


# ---------------------------------------------------------------- helpers


def _encode_spec(spec, nonce):
    out = {"kind": str(spec["kind"]), "name": str(spec["name"])}
    if spec["kind"] == "function":
        out["cases"] = [[encode_case(arg, nonce) for arg in case] for case in spec["cases"]]
    return out


def _decode_top(value, tag):
    if isinstance(value, dict) and value.get(tag) == "missing":
        return _MISSING
    if isinstance(value, dict) and value.get(tag) == "failed":
        return CollectFailure(value.get("error", "unknown error"))
    return _decode(value, tag)


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
    if kind == "dict":
        out = {}
        for pair in value.get("items", []):
            if isinstance(pair, list) and len(pair) == 2:
                key = pair[0]
                if not (key is None or isinstance(key, (str, Integral, Real))):
                    key = str(key)
                out[key] = _decode(pair[1], tag)
        return out
    if kind == "too big":
        return _opaque(value.get("type", "object"), f"<{value.get('type', 'object')}: too big>")
    return _opaque(value.get("type", "object"), str(value.get("repr", "<object>")))


_OPAQUE_TYPES = {}


class _Opaque:
    """An answer the collector could only describe (its type name and repr): never equal."""

    __slots__ = ("_text",)

    def __init__(self, text):
        self._text = text[:200]

    def __repr__(self):
        return self._text


def _opaque(type_name, text):
    name = re.sub(r"[^\w.]", "", str(type_name))[:60] or "object"
    cls = _OPAQUE_TYPES.get(name)
    if cls is None:
        if len(_OPAQUE_TYPES) > 1000:  # a bounded cache: names come from learners
            _OPAQUE_TYPES.clear()
        cls = _OPAQUE_TYPES[name] = type(name, (_Opaque,), {"__slots__": ()})
    return cls(text)
