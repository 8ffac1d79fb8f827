"""Claims of lessons 02 and 03: thresholds, tipping points, cascades and pilot groups.

Most results of these lessons are *research* the course's models reproduce: Granovetter's riot
and tipping spread (1978), Watts's cascade window (2002), the effect of seed size (Gleeson &
Cahalane 2007).  Two are *our model's*: that leaders' behaviour shifts everyone's threshold, and
how a pilot group fares against scattered champions in our organisation of teams.  Each claim's
settings are the controls of the app that shows it, so its Assumptions view can move the app to
the setting where the claim fails.

>>> [claim.holds() for claim in CLAIMS]
[True, True, True, True, True, True, True]
>>> riot = CLAIMS[0]
>>> print(riot.evaluate(**riot.counterexample).summary)
Fails: with the person whose threshold was 50 now at 51, 50 of the 100 riot (the uniform crowd: all 100)
"""

from ..cascades import (
    GLOBAL_SHARE,
    cascade_probability,
    cascade_probability_curve,
    cascade_window,
    final_size,
    pilot_runs,
    simulated_cascades,
)
from ..crowd import crowd_equilibrium, riot, tipping_sd
from .core import Claim, Verdict

__all__ = ["CLAIMS"]

_GRANOVETTER = "Granovetter (1978), American Journal of Sociology 83(6)"
_WATTS = "Watts (2002), PNAS 99(9)"
_GLEESON = "Gleeson & Cahalane (2007), Physical Review E 75"

#: The pilot-group claim holds when a lone champion goes global in at most this many of 100 runs
#: and the group in at least `GROUP_AT_LEAST` (the condition of lesson 03's puzzle).
LONE_AT_MOST, GROUP_AT_LEAST = 5, 50


def _riot(*, n, person, threshold):
    r = riot(n, person=person, threshold=threshold)
    everyone = riot(n).joined
    return Verdict(
        r.joined == 1 and everyone == n,
        f"with the person whose threshold was {person} now at {threshold}, {r.joined} of the "
        f"{n} riot (the uniform crowd: all {everyone})",
    )


def _tipping_spread(*, mean, n):
    critical = tipping_sd(mean, n)
    return Verdict(
        abs(critical - 12.2) < 0.05,
        f"a crowd of {n} with mean threshold {mean:g} tips at a spread of {critical:.2f}",
    )


def _leaders_shift(*, mean, sd, n, shift):
    before = crowd_equilibrium(mean, sd, n)
    after = crowd_equilibrium(mean, sd, n, shift=shift)
    way = "tips" if after.tipped else "stalls"
    return Verdict(
        not before.tipped and after.tipped,
        f"at sd {sd:g}, {before.joined_text} of {n} join without a shift ("
        f"{'tips' if before.tipped else 'stalls'}); with every threshold shifted by {shift:+g}, "
        f"{after.joined_text} join ({way})",
    )


def _window(*, phi):
    window = cascade_window(phi)
    if window is None:
        return Verdict(
            False,
            f"for threshold {phi:g} there is no window: no mean degree lets a lone champion set "
            "off a global cascade (the window closes above 1/4)",
        )
    low, high = window
    grid = [round(0.5 + 0.1 * i, 1) for i in range(int(10 * high) - 4)]
    curve = cascade_probability_curve(grid, phi)
    inside, above = grid[int(curve.argmax())], float(round(high + 2))
    theory = cascade_probability(inside, phi)
    runs_in, runs_above = (
        int((simulated_cascades(z, phi) >= GLOBAL_SHARE).sum()) for z in (inside, above)
    )
    return Verdict(
        theory >= 0.5 and abs(runs_in / 100 - theory) <= 0.1 and runs_above <= LONE_AT_MOST,
        f"for threshold {phi:g} the window runs from z = {low:.2f} to {high:.2f}; inside it "
        f"(z = {inside:g}) theory gives {theory:.0%} and {runs_in} of 100 simulated runs go "
        f"global; above it (z = {above:g}) {runs_above} of 100 do",
    )


def _group_beats_lone(*, phi, z, start, size):
    lone = int((simulated_cascades(z, phi) >= GLOBAL_SHARE).sum())
    group = int((simulated_cascades(z, phi, start=start, size=size) >= GLOBAL_SHARE).sum())
    who = f"a pilot group of {size}" if start == "pilot group" else f"{size} scattered champions"
    return Verdict(
        lone <= LONE_AT_MOST and group >= GROUP_AT_LEAST,
        f"at threshold {phi:g} and mean degree {z:g}, a lone champion went global in {lone} of "
        f"100 runs and {who} in {group} of 100",
    )


def _seed_size(*, z, phi, share):
    single, final = cascade_probability(z, phi), final_size(z, phi, share)
    return Verdict(
        single == 0 and final > 0.5,
        f"at mean degree {z:g} and threshold {phi:g} a lone champion goes global with chance "
        f"{single:.0%}; a random start of {share:.0%} ends at {final:.0%} committed",
    )


def _pilot_vs_scattered(*, phi, size, outside_ties):
    won = pilot_runs(phi, size, outside_ties).teams_won
    return Verdict(
        won["pilot group"] > won["scattered"],
        f"at threshold {phi:g} teams won over on average (of 12): pilot group of {size} "
        f"{won['pilot group']:.2f}, {size} scattered champions {won['scattered']:.2f}, lone "
        f"champion {won['lone champion']:.2f}",
    )


_RIOT = {"n": 100, "person": 1, "threshold": 2}
_CROWD = {"mean": 25.0, "n": 100}
_SHIFT = {"mean": 25.0, "sd": 10.0, "n": 100, "shift": -3.6}
_GROUP = {"phi": 0.18, "z": 6.8, "start": "pilot group", "size": 10}
_SEED = {"z": 10.0, "phi": 0.18, "share": 0.03}
_PILOTS = {"phi": 0.3, "size": 4, "outside_ties": 1.0}

#: This group of lessons' claims, in the order the lessons state them.
CLAIMS: tuple[Claim, ...] = (
    Claim(
        "thresholds.riot",
        ("02",),
        "One changed threshold turns Granovetter's riot of 100 into a crowd of 1: the person "
        "with threshold 1 now waits for 2 others.",
        "research",
        source=_GRANOVETTER,
        assumption="each person joins once their threshold of others have joined; Granovetter's "
        "illustrative crowd has thresholds 0, 1, ..., 99",
        check=_riot,
        default=_RIOT,
        counterexample={**_RIOT, "person": 50, "threshold": 51},
        why_fails="Which person changes matters: the chain runs through thresholds 0 to 49 "
        "before it meets the gap, so 50 riot, not 1",
        apps=("RiotExplorer",),
    ),
    Claim(
        "thresholds.tipping-spread",
        ("02",),
        "A crowd of 100 with mean threshold 25 tips once the spread (sd) of its thresholds "
        "passes about 12.2.",
        "research",
        source=_GRANOVETTER + ", with his illustrative numbers",
        assumption="thresholds are normally distributed and count people; the crowd of 100 with "
        "mean 25 is Granovetter's illustration, not a measured group",
        check=_tipping_spread,
        default=_CROWD,
        counterexample={**_CROWD, "n": 200},
        why_fails="Thresholds count people, so a crowd of 200 has more early joiners and tips "
        "at a smaller spread (about 10.2): 12.2 belongs to one crowd, not to crowds in general",
        apps=("ThresholdExplorer",),
    ),
    Claim(
        "thresholds.leaders-shift",
        ("02",),
        "Leaders who lower every threshold by about 3.6 tip a crowd that stalled (mean 25, "
        "sd 10): near its tipping point a small shift decides the outcome.",
        "calibration",
        assumption="leaders' behaviour adds the same shift to everyone's threshold (the course's "
        "assumption, not Granovetter's; Senge 1997 supports only that directives breed fear and "
        "distrust); the crowd is Granovetter's illustrative one",
        check=_leaders_shift,
        default=_SHIFT,
        counterexample={**_SHIFT, "sd": 5.0},
        why_fails="A crowd of like-minded sceptics (sd 5) is far from its tipping point: leaders "
        "would have to lower every threshold by about 12.7, an implausible change",
        apps=("ThresholdExplorer",),
    ),
    Claim(
        "thresholds.cascade-window",
        ("03",),
        "On a random network where everyone needs a share 0.18 of their contacts committed, a "
        "lone champion can set off a global cascade only inside a window of mean degree (about "
        "1.02 to 5.76).",
        "research",
        source=_WATTS + "; reproduced analytically and by our simulations (2000 people, 100 runs)",
        assumption="a random (Erdos-Renyi) network; everyone has the same threshold; a cascade is "
        "global when it reaches 10% of people",
        check=_window,
        default={"phi": 0.18},
        counterexample={"phi": 0.3},
        why_fails="Above a threshold of 1/4 only people with at most 3 contacts can be convinced "
        "by one committed contact, and at no mean degree do enough of them hang together to "
        "carry a cascade: the window closes",
        apps=("CascadeExplorer",),
    ),
    Claim(
        "thresholds.group-beats-lone",
        ("03",),
        "Just above the window (threshold 0.18, mean degree 6.8) a pilot group of 10 sets off a "
        "global cascade in most runs, where a lone champion almost never does.",
        "research",
        source=_GLEESON + " (seed size); reproduced by our simulations (2000 people, 100 runs)",
        assumption="a random network; the group is a connected cluster of 10 (a person, their "
        "contacts, their contacts' contacts); most = at least 50 of 100 runs, almost never = at "
        "most 5",
        check=_group_beats_lone,
        default=_GROUP,
        counterexample={**_GROUP, "z": 8.0},
        why_fails="At mean degree 8 the network is too dense for a group of 10 as well: its "
        "neighbours see too small a share of committed contacts (inside the window, at z = 4, "
        "it fails the other way: the lone champion succeeds too)",
        apps=("CascadeExplorer",),
    ),
    Claim(
        "thresholds.seed-size",
        ("03",),
        "Far above the window (mean degree 10, threshold 0.18) no single person can start a "
        "cascade, but a random start of 3% of people tips the whole network.",
        "research",
        source=_GLEESON,
        assumption="a large random network, everyone with the same threshold, starters drawn "
        "at random (the analytic approximation, not a simulation)",
        check=_seed_size,
        default=_SEED,
        counterexample={**_SEED, "z": 20.0},
        why_fails="In a denser network (mean degree 20) a 3% start ends at about 4%: the start "
        "needed grows with how many contacts people have",
    ),
    Claim(
        "thresholds.pilot-vs-scattered",
        ("03",),
        "In our organisation of teams, for a demanding practice (threshold 0.3), a pilot group "
        "(a line leader and 3 members) wins over more teams than 4 champions scattered at "
        "random.",
        "calibration",
        assumption="our organisation: 12 teams of 10 with half the pairs in a team tied, about "
        "one tie per person outside their team, 3 executives; a team is won over when 80% "
        "commit; the numbers are calibrated, not estimated",
        check=_pilot_vs_scattered,
        default=_PILOTS,
        counterexample={**_PILOTS, "phi": 0.25},
        why_fails="For an easier practice (threshold 0.25) the practice crosses between teams, "
        "and champions scattered across many teams reach more of them than one pilot group",
        apps=("PilotExplorer",),
    ),
)
