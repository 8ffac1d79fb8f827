"""Granovetter's crowd: how many join when each person waits for a number of others.

Granovetter (1978) gave each person a *threshold*: how many others must join before they join
too.  From nobody, those with threshold 0 join, which may push others over their thresholds, and
so on; the crowd ends at the first fixed point of ``r -> number of people with threshold <= r``
(`granovetter_equilibrium`).  Two crowds from his paper:

* the *riot*: thresholds 0, 1, ..., n - 1 (`riot_crowd`, `riot_rounds`): a chain reaction of the
  whole crowd, which one changed threshold turns into a crowd of one;
* a *normal* crowd: thresholds spread normally around a mean (`crowd_equilibrium`): as the spread
  passes a tipping point (`tipping_sd`) the equilibrium jumps from a handful to nearly everyone;
  `tipping_shift` is how far every threshold must move to cross it.

Examples
--------
Granovetter's riot: with thresholds 0..99 all 100 join; move the person with threshold 1 to 2
and only the instigator does.

>>> int(riot_rounds(riot_crowd(100))[-1]), int(riot_rounds(riot_crowd(100, person=1, threshold=2))[-1])
(100, 1)

A crowd of 100 with thresholds spread normally around 25 tips when the spread passes 12.2:

>>> round(tipping_sd(25, 100), 2)
12.22
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, special, stats

from .._validate import check_integer, check_number, check_thresholds

__all__ = [
    "MAX_STEPS",
    "CrowdResult",
    "crowd_equilibrium",
    "granovetter_equilibrium",
    "riot_crowd",
    "riot_rounds",
    "smallest_fixed_point",
    "tipping_sd",
    "tipping_shift",
]


def granovetter_equilibrium(thresholds, *, n=None):
    """Return how many people join a crowd at equilibrium (Granovetter 1978).

    Each person joins once at least their threshold number of *others* have joined.  Starting
    from nobody, those with threshold 0 join, which may push others over their thresholds, and so
    on: the equilibrium is the first fixed point of ``r -> number of people with threshold <= r``.

    Parameters
    ----------
    thresholds : array of numbers >= 0, or a frozen scipy.stats distribution
        Per-person thresholds as counts of others, or a distribution of thresholds (also as counts
        of people, like Granovetter's normal example) over a crowd of size `n`.  For a
        distribution the equilibrium is the first fixed point of the continuous map
        ``r -> n * F(r)`` (F the distribution's CDF), found by root-finding.
    n : int, optional
        Crowd size: required for a distribution; for an array it must be None or its length.

    Returns
    -------
    int or float
        The number who join: an int for an array, a float for a distribution.

    Raises
    ------
    ValueError
        If a threshold is NaN or negative, or `n` is missing for a distribution.

    Examples
    --------
    Granovetter's riot: thresholds 0, 1, ..., 99.  The instigator (0) joins, which is enough for
    the person with threshold 1, and so on: all 100 riot.

    >>> granovetter_equilibrium(range(100))
    100

    Replace the person with threshold 1 by one with threshold 2: after the instigator nobody
    else is ready, and a crowd that looks almost the same stays quiet.

    >>> granovetter_equilibrium([0, 2, *range(2, 100)])
    1

    Granovetter's normal example: a crowd of 100 with thresholds normally distributed with mean
    25.  With a standard deviation of 12 only about 4 join; at 13 nearly everyone does.

    >>> from scipy.stats import norm
    >>> round(granovetter_equilibrium(norm(25, 12), n=100), 2)
    4.02
    >>> round(granovetter_equilibrium(norm(25, 13), n=100), 2)
    100.0

    The jump happens at a critical standard deviation of 12.2221 (Granovetter reports "about
    12.2"), which bisection on the standard deviation finds:

    >>> lo, hi = 10.0, 15.0
    >>> for _ in range(40):
    ...     mid = (lo + hi) / 2
    ...     lo, hi = (lo, mid) if granovetter_equilibrium(norm(25, mid), n=100) > 50 else (mid, hi)
    >>> round(hi, 4)
    12.2221
    """
    if hasattr(thresholds, "cdf") and hasattr(thresholds, "dist"):
        if n is None:
            raise ValueError(
                "n (the crowd size) is required when thresholds is a distribution, got n=None"
            )
        size = check_integer("n", n, low=1)
        cdf = thresholds.cdf

        def step(r):
            return size * cdf(r)

        return float(smallest_fixed_point(step, 0.0, float(size)))
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise TypeError(
            "thresholds must be an array of numbers or a frozen scipy.stats distribution, got "
            f"thresholds={thresholds!r}"
        )
    try:
        t = np.asarray(list(thresholds), dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"thresholds must contain only numbers, got thresholds={thresholds!r}"
        ) from None
    if t.ndim != 1:
        raise ValueError(f"thresholds must be a flat list of numbers, got shape {t.shape}")
    if n is not None and check_integer("n", n, low=0) != t.size:
        raise ValueError(
            f"n must be None or the number of thresholds ({t.size}) for an array, got n={n}"
        )
    check_thresholds(t, lambda i: f"person {i}")
    t = np.sort(t)
    r = 0
    while True:
        joined = int(np.searchsorted(t, r, side="right"))
        if joined == r:
            return r
        r = joined


def smallest_fixed_point(f, lo, hi, grid=4097):
    """Return the smallest x in [lo, hi] with f(x) = x, for f nondecreasing with f(lo) >= lo.

    This is where iterating x <- f(x) from lo converges.  The map is scanned on a grid (f must
    accept arrays) and the first sign change of f(x) - x is refined with brentq; local minima of
    f(x) - x between grid points are checked so that a near-tangent crossing is not missed.
    """

    def g(x):
        return float(np.asarray(f(np.atleast_1d(float(x))))[0]) - float(x)

    x = np.linspace(lo, hi, grid)
    gx = np.asarray(f(x), dtype=float) - x
    if gx[0] <= 0:
        return lo
    below = np.flatnonzero(gx <= 0)
    first = int(below[0]) if below.size else grid - 1
    # local minima of the sampled curve before the first sign change may hide a dip below 0
    inner = np.arange(1, first)
    minima = inner[(gx[inner] <= gx[inner - 1]) & (gx[inner] <= gx[inner + 1])]
    for j in minima:
        res = optimize.minimize_scalar(
            g, bounds=(x[j - 1], x[j + 1]), method="bounded", options={"xatol": 1e-12}
        )
        if res.fun <= 0:
            if res.fun == 0:
                return float(res.x)
            return optimize.brentq(g, x[j - 1], res.x, xtol=1e-14)
    if not below.size:  # pragma: no cover - f(hi) <= hi for every caller
        return hi
    return optimize.brentq(g, x[first - 1], x[first], xtol=1e-14)


#: Most steps of the cobweb drawn from "nobody has joined" towards the equilibrium.
MAX_STEPS = 2000


def riot_crowd(n=100, *, person=1, threshold=None):
    """Return Granovetter's riot crowd: thresholds 0, 1, ..., n - 1, with one person changed.

    Parameters
    ----------
    n : int, default 100
        Crowd size (2 to 10,000).
    person : int, default 1
        Which person to change, named by their original threshold (0 to n - 1).
    threshold : int, optional
        Their new threshold (0 to n - 1); None leaves the crowd uniform.

    Returns
    -------
    list of int
        The thresholds, person ``i`` at position ``i``.

    Raises
    ------
    TypeError, ValueError
        If a value is not a whole number in its range.

    Examples
    --------
    The person with threshold 1 now waits for two others:

    >>> riot_crowd(5, person=1, threshold=2)
    [0, 2, 2, 3, 4]
    """
    n = check_integer("n", n, low=2, high=10_000)
    person = check_integer("person", person, low=0, high=n - 1)
    crowd = list(range(n))
    if threshold is not None:
        crowd[person] = check_integer("threshold", threshold, low=0, high=n - 1)
    return crowd


def riot_rounds(thresholds):
    """Return how many have joined after each round, from nobody (round 0) to the equilibrium.

    In round 1 everyone with threshold 0 joins; in each later round everyone whose threshold is
    at most the number already joined.  The last value is Granovetter's equilibrium.

    Parameters
    ----------
    thresholds : sequence of numbers >= 0
        Each person's threshold (how many others must join first).

    Returns
    -------
    numpy.ndarray of int
        Joined after rounds 0, 1, 2, ... until nothing changes (round 0 is always 0).

    Raises
    ------
    TypeError, ValueError
        If a threshold is not a number >= 0.

    Examples
    --------
    In a crowd with thresholds 0, 1, 1, 5 the instigator brings both 1s, then the chain stops:
    the person with threshold 5 needs two more than are there.

    >>> riot_rounds([0, 1, 1, 5]).tolist()
    [0, 1, 3]
    """
    final = granovetter_equilibrium(thresholds)  # validates, and says where the chain stops
    t = np.sort(np.asarray(list(thresholds), dtype=float))
    out, r = [0], 0
    while r != final:
        r = int(np.searchsorted(t, r, side="right"))
        out.append(r)
    return np.asarray(out, dtype=int)


@dataclass(frozen=True)
class CrowdResult:
    """The equilibrium of a crowd whose thresholds are spread normally (from `crowd_equilibrium`).

    Attributes
    ----------
    mean, sd : float
        The thresholds' mean and standard deviation before the leaders' shift.
    n : int
        Crowd size.
    shift : float
        How far leaders moved every threshold (negative lowers them).
    joined : float
        How many join at equilibrium (Granovetter's continuous approximation).
    tipped : bool
        Whether more than half the crowd joins.
    instigators : float
        How many need nobody else (threshold at most 0).
    path : numpy.ndarray
        The numbers joined round by round from nobody (the cobweb's steps), at most
        `MAX_STEPS` + 1 values.
    """

    mean: float
    sd: float
    n: int
    shift: float
    joined: float
    tipped: bool
    instigators: float
    path: np.ndarray = field(repr=False, compare=False)

    @property
    def joined_share(self):
        """Share of the crowd that joins."""
        return self.joined / self.n


def crowd_equilibrium(mean=25.0, sd=10.0, n=100, *, shift=0.0):
    """Return how many of a crowd of `n` join when thresholds are Normal(mean + shift, sd).

    Thresholds count people (how many must join first), as in Granovetter's normal example.

    Parameters
    ----------
    mean : float, default 25
        Mean threshold (0 to 1000).
    sd : float, default 10
        Standard deviation of the thresholds (0.1 to 500).
    n : int, default 100
        Crowd size (2 to 100,000).
    shift : float, default 0
        Added to everyone's threshold: leaders who mentor and run pilots lower thresholds
        (negative), fear and mandates raise them (positive).  From -1000 to 1000.

    Returns
    -------
    CrowdResult

    Raises
    ------
    TypeError, ValueError
        If a value is not a number in its range.

    Examples
    --------
    Granovetter's crowd of 100 with mean 25: at sd 12 about 4 join; at sd 13 nearly everyone.

    >>> round(crowd_equilibrium(25, 12).joined, 2), crowd_equilibrium(25, 13).tipped
    (4.02, True)

    Leaders who lower everyone's threshold by 4 tip a crowd that stalled at sd 10:

    >>> crowd_equilibrium(25, 10).tipped, crowd_equilibrium(25, 10, shift=-4).tipped
    (False, True)
    """
    mean = check_number("mean", mean, low=0, high=1000)
    sd = check_number("sd", sd, low=0.1, high=500)
    n = check_integer("n", n, low=2, high=100_000)
    shift = check_number("shift", shift, low=-1000, high=1000)
    mu = mean + shift
    joined = float(granovetter_equilibrium(stats.norm(mu, sd), n=n))
    path = _cobweb(mu, sd, n, joined)
    return CrowdResult(
        mean=mean,
        sd=sd,
        n=n,
        shift=shift,
        joined=joined,
        tipped=joined > n / 2,
        instigators=float(n * special.ndtr(-mu / sd)),
        path=path,
    )


def tipping_sd(mean=25.0, n=100, *, shift=0.0, low=0.5, high=100.0, tol=1e-6):
    """Return the standard deviation at which a crowd tips (more than half join).

    Bisection on the sd between `low` (where the crowd must stall) and `high` (where it must tip).

    Parameters
    ----------
    mean : float, default 25
    n : int, default 100
    shift : float, default 0
        As in `crowd_equilibrium`.
    low, high : float
        A bracket: the crowd stalls at `low` and tips at `high`.
    tol : float
        Width of the final bracket.

    Returns
    -------
    float
        The smallest sd (to `tol`) at which the crowd tips.

    Raises
    ------
    ValueError
        If the crowd does not stall at `low` and tip at `high`.

    Examples
    --------
    Granovetter reports "about 12.2" for his crowd of 100 with mean 25; a higher mean needs a
    wider spread before it tips.

    >>> round(tipping_sd(25), 4), round(tipping_sd(30), 2)
    (12.2221, 15.67)
    """

    def tips(sd):
        return crowd_equilibrium(mean, sd, n, shift=shift).tipped

    return _bisect(tips, low, high, tol, "sd")


def tipping_shift(mean=25.0, sd=10.0, n=100, *, tol=1e-6):
    """Return the shift of everyone's threshold at which a crowd moves between stalling and tipping.

    For a crowd that stalls it is the (negative) shift leaders must make to tip it; for one that
    tips, the (positive) shift that stalls it.

    Parameters
    ----------
    mean, sd : float
    n : int
        As in `crowd_equilibrium`.
    tol : float
        Width of the final bracket.

    Returns
    -------
    float

    Examples
    --------
    At sd 10 the crowd of 100 stalls; lowering every threshold by about 3.6 tips it.
    At sd 13 it tips; fear that raises every threshold by about 1.2 stalls it again.

    >>> round(tipping_shift(25, 10), 2), round(tipping_shift(25, 13), 2)
    (-3.55, 1.18)
    """
    mean = check_number("mean", mean, low=0, high=1000)
    sd = check_number("sd", sd, low=0.1, high=500)
    n = check_integer("n", n, low=2, high=100_000)

    def tips(lowered):
        return crowd_equilibrium(mean, sd, n, shift=-lowered).tipped

    # tipping grows as thresholds fall: bisect on the amount lowered, from "raised so far that
    # nobody is within reach" to "lowered so far that nearly everyone needs nobody"
    low = max(-1000.0, -(n + 6.0 * sd))
    high = min(1000.0, mean + 6.0 * sd)
    return -_bisect(tips, low, high, tol, "the amount lowered")


def _cobweb(mu, sd, n, joined):
    """The numbers joined after each round from nobody: r <- n F(r), until it settles."""
    r, out = 0.0, [0.0]
    tol = 1e-6 * n
    for _ in range(MAX_STEPS):
        nxt = float(n * special.ndtr((r - mu) / sd))
        out.append(nxt)
        if abs(nxt - r) < tol or abs(nxt - joined) < tol:
            break
        r = nxt
    return np.asarray(out)


def _bisect(tips, low, high, tol, name):
    """Smallest x in [low, high] with tips(x) True (tips rising in x), to `tol`."""
    if tips(low) or not tips(high):
        raise ValueError(
            f"the crowd must stall at {name}={low:g} and tip at {name}={high:g} to find where it "
            "tips; try other values"
        )
    while high - low > tol:
        mid = 0.5 * (low + high)
        if tips(mid):
            high = mid
        else:
            low = mid
    return high
