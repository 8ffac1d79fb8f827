"""Input checks shared by the models: each raises with the parameter, the value and what is allowed.

The messages are read by learners, so they say what to change, not only what went wrong.
"""

import math
from numbers import Integral, Real

import numpy as np

__all__ = [
    "check_thresholds",
    "check_graph",
    "check_fraction",
    "check_integer",
    "check_number",
    "check_one_of",
    "check_seed",
]


def check_number(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return `value` as a float, or raise if it is not a finite real number in the range.

    >>> check_number("dt", 0.5, low=0, low_open=True)
    0.5
    >>> check_number("dt", 0, low=0, low_open=True)
    Traceback (most recent call last):
    ...
    ValueError: dt must be a number > 0, got dt=0
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {name}={value!r} ({type(value).__name__})")
    x = float(value)
    allowed = _describe_range(low, high, low_open, high_open)
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"{name} must be a finite number{allowed}, got {name}={value!r}")
    if low is not None and (x < low or (low_open and x == low)):
        raise ValueError(f"{name} must be a number{allowed}, got {name}={value!r}")
    if high is not None and (x > high or (high_open and x == high)):
        raise ValueError(f"{name} must be a number{allowed}, got {name}={value!r}")
    return x


def check_fraction(name, value):
    """Return `value` as a float in [0, 1], or raise.

    >>> check_fraction("pilot_share", 0.3)
    0.3
    """
    return check_number(name, value, low=0.0, high=1.0)


def check_integer(name, value, *, low=None, high=None):
    """Return `value` as an int within [low, high], or raise.

    >>> check_integer("runs", 50, low=1)
    50
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be a whole number, got {name}={value!r} ({type(value).__name__})"
        )
    x = int(value)
    allowed = _describe_range(low, high, False, False)
    if (low is not None and x < low) or (high is not None and x > high):
        raise ValueError(f"{name} must be a whole number{allowed}, got {name}={value!r}")
    return x


def check_one_of(name, value, allowed):
    """Return `value` if it is one of `allowed`, or raise naming the choices.

    >>> check_one_of("role", "executive", ("executive", "member"))
    'executive'
    """
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {choices}, got {name}={value!r}")
    return value


def check_seed(seed):
    """Return a numpy Generator for `seed` (None, an int >= 0, or a Generator).

    >>> int(check_seed(1).integers(10)) == int(check_seed(1).integers(10))
    True
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(
            f"seed must be None, a whole number >= 0 or a numpy Generator, got seed={seed!r}"
        )
    return np.random.default_rng(int(seed))


def check_graph(G):
    """Raise unless `G` is an undirected networkx graph with at most one tie between two people and no self-loops."""
    import networkx as nx

    if not isinstance(G, nx.Graph):
        raise TypeError(
            f"G must be a networkx Graph (such as organisation() returns), got {type(G).__name__}"
        )
    if G.is_directed() or G.is_multigraph():
        raise ValueError(
            "G must be an undirected graph with at most one tie between two people (nx.Graph), "
            f"got a {type(G).__name__}"
        )
    for v in nx.nodes_with_selfloops(G):
        raise ValueError(f"person {v!r} is tied to themselves; ties join two different people")


def check_thresholds(t, name_of):
    """Raise if any threshold in the 1-D float array `t` is NaN or negative; `name_of(i)` names person i."""
    bad = np.flatnonzero(np.isnan(t))
    if bad.size:
        raise ValueError(f"thresholds must be numbers >= 0, got NaN for {name_of(int(bad[0]))}")
    bad = np.flatnonzero(t < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"thresholds must be numbers >= 0, got {t[i]:g} for {name_of(i)}")


def _describe_range(low, high, low_open, high_open):
    if low is not None and high is not None:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        return f" in {left}{_fmt(low)}, {_fmt(high)}{right}"
    if low is not None:
        return f" {'>' if low_open else '>='} {_fmt(low)}"
    return f" {'<' if high_open else '<='} {_fmt(high)}" if high is not None else ""


def _fmt(x):
    return f"{x:g}" if isinstance(x, float) else str(x)
