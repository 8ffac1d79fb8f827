"""Granovetter's crowd: how many join when each person waits for a number of others.

Granovetter (1978) gave each person a *threshold*: how many others must join before they join
too.  From nobody, those with threshold 0 join, which may push others over their thresholds, and
so on; the crowd ends at the first fixed point of ``r -> number of people with threshold <= r``
(`granovetter_equilibrium`).  Two crowds from his paper:

* the *riot*: thresholds 0, 1, ..., n - 1 (`riot_crowd`, `riot`): a chain reaction of the whole
  crowd, which one changed threshold turns into a crowd of one;
* a *normal* crowd: thresholds spread normally around a mean (`crowd_equilibrium`): as the spread
  passes a tipping point (`tipping_sd`) the equilibrium jumps from a handful to nearly everyone;
  `tipping_shift` is how far every threshold must move to cross it.

Granovetter takes thresholds as given.  The leaders' `shift` of everyone's threshold is the
course's assumption (lesson 02 labels it so), and his crowds' numbers are illustrative: the
model is calibrated, not estimated.

Their inputs are the tables `RIOT` and `CROWD`; `RIOT_CONTROLS` and `CROWD_CONTROLS` are the
narrower ranges the lesson's apps offer.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import islice
from numbers import Real

import numpy as np
from scipy import optimize, special, stats

from .._validate import check_integer, check_thresholds
from .parameters import Parameters, param

__all__ = [
    "CROWD",
    "CROWD_CONTROLS",
    "MAX_STEPS",
    "RIOT",
    "RIOT_CONTROLS",
    "CrowdResult",
    "RiotResult",
    "crowd_equilibrium",
    "granovetter_equilibrium",
    "riot",
    "riot_crowd",
    "riot_rounds",
    "smallest_fixed_point",
    "tipping_sd",
    "tipping_shift",
]

#: The riot crowd's inputs (`riot_crowd`, `riot`); person and threshold are at most n - 1.
RIOT = Parameters(
    n=param(100, "[2, 10000] int", 10, "Crowd size", unit="people"),
    person=param(1, "[0, inf) int", None, "Person", "by original threshold", control_high=99),
    threshold=param(1, "[0, inf) int", None, "Their new threshold", unit="others", control_high=99),
)

#: The normal crowd's inputs (`crowd_equilibrium`); thresholds count people.
CROWD = Parameters(
    mean=param(25.0, "[0, 1000]", 0.5, "Mean threshold", unit="people"),
    sd=param(10.0, "[0.1, 500]", 0.1, "Spread (sd)", unit="people"),
    n=param(100, "[2, 100000] int", 10, "Crowd size", unit="people"),
    shift=param(
        0.0,
        "[-1000, 1000]",
        0.1,
        "Leaders' shift",
        "added to everyone's threshold (our model's assumption that leaders move thresholds): "
        "negative lowers it, positive raises it",
        unit="people",
    ),
)

#: The ranges `RiotExplorer` and `ThresholdExplorer` offer (a test holds them inside the models').
RIOT_CONTROLS = Parameters(**{**RIOT, "n": replace(RIOT["n"], low=10, high=200)})
CROWD_CONTROLS = Parameters(
    mean=replace(CROWD["mean"], high=60.0),
    sd=replace(CROWD["sd"], low=0.5, high=30.0),
    n=replace(CROWD["n"], low=10, high=1000),
    shift=replace(CROWD["shift"], low=-15.0, high=15.0),
)

#: Most steps of the cobweb drawn from "nobody has joined" towards the equilibrium.
MAX_STEPS = 2000

#: The largest crowd `granovetter_equilibrium` and `riot_rounds` take (people).
_MAX_CROWD = 10_000_000


def granovetter_equilibrium(thresholds, *, n=None):
    """Return how many people join a crowd at equilibrium (Granovetter 1978): from nobody, the
    first fixed point of ``r -> number of people with threshold <= r``.

    `thresholds` are per-person counts of others (>= 0; the result is an int), or a frozen
    scipy.stats distribution of them over a crowd of `n` (the result, a float, is the first fixed
    point of ``r -> n * F(r)``, F its CDF).  For an array `n` is None or its length.

    An array holds finite numbers >= 0, one per person, at most ten million of them; a threshold
    need not be whole (2.5 joins once 3 others have) and may exceed the crowd (that person never
    joins); an empty crowd has 0 joining.  A distribution needs a whole number `n` from 1 to ten
    million and a CDF between 0 and 1 that never falls on [0, n] (finite parameters).  Anything
    else raises TypeError or ValueError naming `thresholds` or `n`, the value and what is
    allowed.

    Granovetter's riot: thresholds 0, 1, ..., 99.  The instigator (0) joins, which is enough for
    the person with threshold 1, and so on: all 100 riot.  Replace the person with threshold 1
    by one with threshold 2, and after the instigator nobody else is ready.

    >>> granovetter_equilibrium(range(100)), granovetter_equilibrium([0, 2, *range(2, 100)])
    (100, 1)

    Granovetter's normal example: a crowd of 100 with thresholds normally distributed with mean
    25.  With a standard deviation of 12 only about 4 join; at 13 nearly everyone does.

    >>> from scipy.stats import norm
    >>> round(granovetter_equilibrium(norm(25, 12), n=100), 2)
    4.02
    >>> round(granovetter_equilibrium(norm(25, 13), n=100), 2)
    100.0
    """
    if hasattr(thresholds, "cdf") and hasattr(thresholds, "dist"):
        if n is None:
            raise ValueError(
                "n (the crowd size) is required when thresholds is a distribution, got n=None"
            )
        size = check_integer("n", n, low=1)
        if size > _MAX_CROWD:
            raise ValueError(f"n must be at most {_MAX_CROWD:,} people, got n={n!r}")
        cdf = _checked_cdf(thresholds, size)
        return float(smallest_fixed_point(lambda r: size * cdf(r), 0.0, float(size)))
    t = _sorted_thresholds(thresholds)
    if n is not None and check_integer("n", n, low=0) != t.size:
        raise ValueError(
            f"n must be None or the number of thresholds ({t.size}) for an array, got n={n}"
        )
    return _chain(t)[-1]


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
            return float(res.x) if res.fun == 0 else optimize.brentq(g, x[j - 1], res.x, xtol=1e-14)
    if not below.size:  # pragma: no cover - f(hi) <= hi for every caller
        return hi
    return optimize.brentq(g, x[first - 1], x[first], xtol=1e-14)


def riot_crowd(n=100, *, person=1, threshold=None):
    """Return Granovetter's riot crowd: thresholds 0, 1, ..., n - 1, with one person changed.

    `n`, `person` and `threshold` are as in `RIOT` (``threshold=None`` leaves the crowd
    uniform).  Returns the thresholds, person ``i`` at position ``i``: the person with threshold
    1 now waits for two others.

    >>> riot_crowd(5, person=1, threshold=2)
    [0, 2, 2, 3, 4]
    """
    n = RIOT["n"].check("n", n)
    person = check_integer("person", person, low=0, high=n - 1)
    crowd = list(range(n))
    if threshold is not None:
        crowd[person] = check_integer("threshold", threshold, low=0, high=n - 1)
    return crowd


def riot_rounds(thresholds):
    """Return how many have joined after each round, from nobody (round 0) to the equilibrium.

    In round 1 everyone with threshold 0 joins; in each later round everyone whose threshold is
    at most the number already joined.  The last value is Granovetter's equilibrium.  With
    thresholds 0, 1, 1, 5 the instigator brings both 1s, then the chain stops:

    >>> riot_rounds([0, 1, 1, 5]).tolist()
    [0, 1, 3]
    """
    return np.asarray(_chain(_sorted_thresholds(thresholds)), dtype=int)


@dataclass(frozen=True)
class RiotResult:
    """Granovetter's riot crowd with one person changed, and how it ended (from `riot`).

    ``n``: crowd size; ``person``: the person changed (by original threshold); ``threshold``:
    theirs now; ``thresholds``: everyone's; ``joined_by_round``: people joined after each round
    (round 0: nobody; the last value is the equilibrium).
    """

    n: int
    person: int
    threshold: int
    thresholds: tuple = field(repr=False)
    joined_by_round: np.ndarray = field(repr=False, compare=False)

    @property
    def joined(self):
        """How many join at equilibrium."""
        return int(self.joined_by_round[-1])

    @property
    def rounds(self):
        """Rounds until the chain reaction stops."""
        return self.joined_by_round.size - 1

    @property
    def mean_threshold(self):
        """The crowd's average threshold: what an observer of the crowd might see."""
        return float(np.mean(self.thresholds))

    @property
    def summary(self):
        """Two sentences: who changed, how many joined after how many rounds, the average.

        >>> riot(100, person=1, threshold=2).summary
        'With the person whose threshold was 1 now at 2, the crowd of 100: 1 person joins, after 1 round. Average threshold 49.51.'
        """
        if self.threshold == self.person:
            crowd = f"The uniform crowd of {self.n} (thresholds 0 to {self.n - 1})"
        else:
            crowd = (
                f"With the person whose threshold was {self.person} now at {self.threshold}, "
                f"the crowd of {self.n}"
            )
        who = "person joins" if self.joined == 1 else "people join"
        end = "everyone" if self.joined == self.n else f"{self.joined} {who}"
        return (
            f"{crowd}: {end}, after {self.rounds} round{'' if self.rounds == 1 else 's'}. "
            f"Average threshold {self.mean_threshold:.2f}."
        )


def riot(n=100, *, person=1, threshold=None):
    """Return the `RiotResult` of `riot_crowd` (same arguments): how many join, round by round.

    Granovetter's riot: all 100 join; move the person with threshold 1 to 2 and only the
    instigator does.

    >>> riot(100).joined, riot(100, person=1, threshold=2).joined
    (100, 1)
    """
    crowd = riot_crowd(n, person=person, threshold=threshold)
    person = int(person)
    return RiotResult(len(crowd), person, crowd[person], tuple(crowd), riot_rounds(crowd))


@dataclass(frozen=True)
class CrowdResult:
    """The equilibrium of a crowd whose thresholds are spread normally (from `crowd_equilibrium`).

    ``mean``, ``sd``, ``n``, ``shift`` as in `CROWD` (mean and sd before the leaders' shift);
    ``joined``: how many join at equilibrium (Granovetter's continuous approximation); ``tipped``:
    whether that is more than half the crowd; ``instigators``: how many need nobody else
    (threshold at most 0); ``joined_by_round``: joined round by round from nobody (the cobweb's
    steps, at most `MAX_STEPS` + 1).
    """

    mean: float
    sd: float
    n: int
    shift: float
    joined: float
    tipped: bool
    instigators: float
    joined_by_round: np.ndarray = field(repr=False, compare=False)

    @property
    def joined_share(self):
        """Share of the crowd that joins."""
        return self.joined / self.n

    @property
    def joined_text(self):
        """How many join, for reading: one decimal below 10, whole numbers above."""
        return f"{self.joined:.1f}" if self.joined < 9.95 else f"{self.joined:.0f}"

    @property
    def summary(self):
        """One sentence: the crowd, the leaders' shift and how many join (an expected value, as
        in Granovetter's continuous approximation: a number below 10 has one decimal and is said
        to be an average).

        >>> crowd_equilibrium(25, 10).summary
        'With mean 25 and sd 10, 0.8 of 100 people join on average: the crowd stalls.'

        >>> crowd_equilibrium(25, 10, shift=-4).summary
        'With mean 25 and sd 10, leaders lowering every threshold by 4, 100 of 100 people join: the crowd tips: nearly everyone joins.'
        """
        shift = ""
        if self.shift:
            way = "lowering" if self.shift < 0 else "raising"
            shift = f", leaders {way} every threshold by {abs(self.shift):g}"
        verdict = "the crowd tips: nearly everyone joins." if self.tipped else "the crowd stalls."
        # an expected value: "0.8 of 100" is 0.8 people on average over crowds like this one
        average = " on average" if "." in self.joined_text else ""
        return (
            f"With mean {self.mean:g} and sd {self.sd:g}{shift}, {self.joined_text} of {self.n} "
            f"people join{average}: {verdict}"
        )


def crowd_equilibrium(mean=25.0, sd=10.0, n=100, *, shift=0.0):
    """Return how many of a crowd of `n` join when thresholds are Normal(mean + shift, sd).

    Thresholds count people (how many must join first), as in Granovetter's normal example; the
    inputs are the rows of `CROWD` (a value out of its range raises a `ValueError`).  Returns a
    `CrowdResult`.  Granovetter's crowd of 100 with mean 25: at sd 12 about 4 join; at sd 13
    nearly everyone.

    >>> round(crowd_equilibrium(25, 12).joined, 2), crowd_equilibrium(25, 13).tipped
    (4.02, True)

    Leaders who lower everyone's threshold by 4 tip a crowd that stalled at sd 10:

    >>> crowd_equilibrium(25, 10).tipped, crowd_equilibrium(25, 10, shift=-4).tipped
    (False, True)
    """
    mean, sd, n, shift = CROWD.check({"mean": mean, "sd": sd, "n": n, "shift": shift}).values()
    mu = mean + shift
    joined = float(granovetter_equilibrium(stats.norm(mu, sd), n=n))
    instigators = float(n * special.ndtr(-mu / sd))
    path = _cobweb(mu, sd, n, joined)
    return CrowdResult(mean, sd, n, shift, joined, joined > n / 2, instigators, path)


def tipping_sd(mean=25.0, n=100, *, shift=0.0, low=0.5, high=100.0, tol=1e-6):
    """Return the standard deviation at which a crowd tips (more than half join), by bisection.

    `mean`, `n` and `shift` are as in `crowd_equilibrium`; the crowd must stall at sd `low` and
    tip at sd `high` (else `ValueError`); `tol` is the width of the final bracket.

    Granovetter reports "about 12.2" for his crowd of 100 with mean 25; a higher mean needs a
    wider spread before it tips.

    >>> round(tipping_sd(25), 4), round(tipping_sd(30), 2)
    (12.2221, 15.67)
    """
    return _bisect(
        lambda sd: crowd_equilibrium(mean, sd, n, shift=shift).tipped, low, high, tol, "sd"
    )


def tipping_shift(mean=25.0, sd=10.0, n=100, *, tol=1e-6):
    """Return the shift of everyone's threshold at which a crowd moves between stalling and tipping.

    For a crowd that stalls it is the (negative) shift leaders must make to tip it; for one that
    tips, the (positive) shift that stalls it (`mean`, `sd` and `n` as in `crowd_equilibrium`;
    `tol`: the width of the final bracket).  At sd 10 the crowd of 100 stalls; lowering every
    threshold by about 3.6 tips it.  At sd 13 it tips; fear that raises every threshold by about
    1.2 stalls it again.

    >>> round(tipping_shift(25, 10), 2), round(tipping_shift(25, 13), 2)
    (-3.55, 1.18)
    """
    mean, sd, n = CROWD.check({"mean": mean, "sd": sd, "n": n}).values()

    def tips(lowered):
        return crowd_equilibrium(mean, sd, n, shift=-lowered).tipped

    # tipping grows as thresholds fall: bisect on the amount lowered, from "raised so far that
    # nobody is within reach" to "lowered so far that nearly everyone needs nobody"
    low = max(-1000.0, -(n + 6.0 * sd))
    high = min(1000.0, mean + 6.0 * sd)
    return -_bisect(tips, low, high, tol, "the amount lowered")


def _sorted_thresholds(thresholds):
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise TypeError(
            "thresholds must be an array of numbers or a frozen scipy.stats distribution, got "
            f"thresholds={thresholds!r}"
        )
    if isinstance(thresholds, np.ndarray) and thresholds.ndim != 1:
        raise ValueError(f"thresholds must be a flat list of numbers, got shape {thresholds.shape}")
    if isinstance(thresholds, np.ndarray) and thresholds.dtype.kind in "iuf":
        items = thresholds  # numbers already: only the size and the values are checked below
    else:
        items = _plain_numbers(thresholds)
    if len(items) > _MAX_CROWD:
        raise ValueError(f"thresholds must hold at most {_MAX_CROWD:,} people, got {len(items):,}")
    t = np.asarray(items, dtype=float)
    check_thresholds(t, lambda i: f"person {i}")
    bad = np.flatnonzero(np.isinf(t))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"thresholds must be finite numbers >= 0, got {t[i]:g} for person {i}")
    return np.sort(t)


def _plain_numbers(thresholds):
    """The items of `thresholds` as a list of floats, refusing nesting and non-numbers."""
    items = list(islice(thresholds, _MAX_CROWD + 1))
    if len(items) > _MAX_CROWD:
        raise ValueError(f"thresholds must hold at most {_MAX_CROWD:,} people, got more")
    try:
        shape = np.shape(items)
    except ValueError:  # ragged nesting
        shape = None
    if shape is None or len(shape) != 1:
        got = f"shape {shape}" if shape else "a nested list"
        raise ValueError(f"thresholds must be a flat list of numbers, got {got}")
    for i, x in enumerate(items):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, Real):
            raise TypeError(
                "thresholds must contain only numbers (how many others each person waits for), "
                f"got {x!r} ({type(x).__name__}) for person {i}"
            )
        try:
            items[i] = float(x)
        except OverflowError:
            raise ValueError(
                "thresholds must be finite numbers >= 0, got a number too large for a float "
                f"for person {i}"
            ) from None
    return items


def _checked_cdf(dist, n):
    """`dist.cdf`, after checking that on [0, n] it is finite, in [0, 1] and never falls."""
    params = [*getattr(dist, "args", ()), *getattr(dist, "kwds", {}).values()]
    for p in params:
        if isinstance(p, Real) and not np.isfinite(p):
            raise ValueError(
                "thresholds must be a distribution with finite parameters whose CDF rises from 0 "
                f"to 1, got {_describe(dist)}"
            )
    r = np.linspace(0.0, float(n), 4097)
    try:
        with np.errstate(all="ignore"):
            F = np.asarray(dist.cdf(r), dtype=float)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise TypeError(
            f"thresholds must be a frozen scipy.stats distribution, got {_describe(dist)} ({exc})"
        ) from None
    if F.shape != r.shape:
        raise TypeError(
            "thresholds must be a frozen scipy.stats distribution of one number per person, got "
            f"{_describe(dist)}, whose CDF has shape {F.shape} on {r.size} points"
        )
    bad = np.flatnonzero(~np.isfinite(F) | (F < 0) | (F > 1) | (np.diff(F, prepend=0.0) < -1e-12))
    if bad.size:
        i = int(bad[0])
        value = F[i]
        raise ValueError(
            "thresholds must be a distribution with finite parameters whose CDF rises from 0 to 1, "
            f"got {_describe(dist)}, whose CDF at r={r[i]:g} is {value}"
        )
    return dist.cdf


def _describe(dist):
    """A frozen distribution as it was written: ``norm(25, -1)``."""
    name = getattr(getattr(dist, "dist", None), "name", type(dist).__name__)
    args = [repr(a) for a in getattr(dist, "args", ())]
    args += [f"{k}={v!r}" for k, v in getattr(dist, "kwds", {}).items()]
    return f"{name}({', '.join(args)})"


def _chain(t):
    """People joined after each round, from nobody, for the sorted thresholds `t`."""
    out = [0]
    while (joined := int(np.searchsorted(t, out[-1], side="right"))) != out[-1]:
        out.append(joined)
    return out


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
        low, high = (low, mid) if tips(mid) else (mid, high)
    return high
