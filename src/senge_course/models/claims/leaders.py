"""Claims of lessons 04 and 05 (leader networks): see `senge_course.models.claims.core`.

Each model claim's check runs the lesson's own computation (organisation seed 1, 50 runs, seed 1,
unless it says otherwise) at a setting of documented parameters: rows of
`senge_course.models.leadership.ASSUMPTIONS`, ``executive_ties`` of
`senge_course.models.org.organisation`, a lever, or the bridge and long-tie experiments' inputs.
"""

from functools import lru_cache

import numpy as np

from .. import brokerage, leadership, org
from ..bridges import bridge_outcome, bridge_ties, long_tie_sweep
from ..leader_time import best_at_budget
from .core import Claim, Verdict

__all__ = ["BUDGET", "CLAIMS"]

#: The leaders' time (leader-weeks) at which lesson 05 compares the kinds of leader: about what
#: the scenario "all three" costs (34.4).
BUDGET = 36
_SINGLE = ("line leaders", "executives", "networkers")
_BUILDER = ("LeaderNetworkBuilder",)


def _pct(x):
    return f"{x:.0%}"


@lru_cache(maxsize=8)
def _organisation(executive_ties=0):
    return org.organisation(seed=1, executive_ties=executive_ties)


@lru_cache(maxsize=8)
def _prepared(executive_ties=0):
    """The organisation prepared once: every setting reuses its runs' networker placements."""
    return leadership.prepare_organisation(_organisation(executive_ties))


@lru_cache(maxsize=32)
def _means(names, executive_ties=0, **assumptions):
    """Mean final committed share of scenarios `names` (50 runs, seed 1) on the lesson's
    organisation, with `assumptions` changed."""
    G = _prepared(executive_ties)
    return leadership.compare(G, list(names), runs=50, seed=1, assumptions=assumptions)


def _informal_brokers(*, executive_ties):
    G = _organisation(executive_ties)
    rows = brokerage.brokerage(G, kinds=("informal", "bridge"))
    top = sorted(rows, key=lambda r: (-r.betweenness, r.person))[:8]
    members = sum(r.role in ("member", "networker") for r in top)
    return Verdict(
        members == 8,
        f"of the 8 people with the highest betweenness on the informal network, {members} are "
        f"team members; first {top[0].label} ({top[0].role.replace('_', ' ')}, "
        f"{top[0].betweenness:.3f})",
    )


def _wide_bridge(*, practice):
    wide = bridge_outcome(bridge_ties("wide bridge"), practice)
    spread = bridge_outcome(bridge_ties("spread out"), practice)
    return Verdict(
        wide.crossed and spread.team_b_committed == 0,
        f"the wide bridge commits {wide.team_b_committed} of 10 in team B, the same three ties "
        f"spread out {spread.team_b_committed}",
    )


def _long_ties(*, p, ties_per_person):
    sweep = long_tie_sweep((0.0, p), k=ties_per_person)
    (_, t0), (c0, _) = sweep.at(0.0)["simple"], sweep.at(0.0)["complex"]
    (_, t1), (c1, _) = sweep.at(p)["simple"], sweep.at(p)["complex"]
    return Verdict(
        t1 < t0 and c1 < 0.5,
        f"with {ties_per_person} ties per person, rewiring {p:g} of them takes the simple "
        f"practice to 90% in {t1:.0f} rounds instead of {t0:.0f}, and the complex one to "
        f"{_pct(c1)} of people (without long ties: {_pct(c0)})",
    )


def _together(*, threshold_mean):
    best = best_at_budget(
        _prepared(),
        BUDGET,
        kinds=[*_SINGLE, "all three"],
        runs=20,
        seed=1,
        assumptions={"threshold_mean": threshold_mean},
    )
    means = best.final_means()
    single = max(_SINGLE, key=means.get)
    return Verdict(
        means["all three"] >= means[single] + 0.1,
        f"at {BUDGET} leader-weeks, all three commit {_pct(means['all three'])}, the best "
        f"single kind ({single}: {best[single].levers.describe()}) {_pct(means[single])}",
    )


def _networkers_alone():
    s = _means(("networkers only",))["networkers only"]
    return Verdict(
        float(s.final_committed.max()) == 0.0,
        f"networkers alone commit {_pct(float(s.final_committed.mean()))} in every one of 50 runs",
    )


def _executives_alone(*, executive_ties):
    s = _means(("executives only (mentoring)",), executive_ties)["executives only (mentoring)"]
    share = 3 / 51
    return Verdict(
        bool(np.all(np.isclose(s.final_committed, share))),
        f"with {executive_ties} informal ties each, mentoring executives alone commit "
        f"{_pct(float(s.final_committed.mean()))} on average (the executives are {_pct(share)})",
    )


def _mandate(*, internalisation):
    s = _means(("executives only (mandate)",), internalisation=internalisation)
    s = s["executives only (mandate)"]
    peak, end = float(s.compliant_mean.max()), float(s.compliant_mean[-1])
    committed = float(s.committed_mean[-1])
    return Verdict(
        s.compliant_mean[1] >= 0.5 and end <= 0.05 and committed <= 0.25 * peak,
        f"with internalisation {internalisation:g} per round, a mandate on 80% leaves "
        f"{_pct(float(s.compliant_mean[1]))} compliant after one round, {_pct(end)} by round 30, "
        f"and {_pct(committed)} committed",
    )


def _mandate_costs(*, resentment):
    with_mandate = leadership.SCENARIOS["all three"].replace(mandate=0.8)
    G = _organisation()
    means = leadership.compare(
        G,
        {"all three": "all three", "all three + mandate": with_mandate},
        runs=50,
        seed=1,
        assumptions={"resentment": resentment},
    ).final_means()
    return Verdict(
        means["all three + mandate"] < means["all three"],
        f"with resentment {resentment:g}, all three commit {_pct(means['all three'])}, all three "
        f"with a mandate on 80% {_pct(means['all three + mandate'])}",
    )


def _rank_and_reach(*, executive_ties, threshold_mean):
    G = _organisation(executive_ties)
    executives = [v for v, role in G.nodes(data="role") if role == "executive"]
    brokers = [s.person for s in brokerage.suggest_networkers(G, k=3)]
    means = {}
    for who, people in (("executives", executives), ("brokers", brokers)):
        stats = leadership.compare(
            G,
            ["none"],
            runs=50,
            seed=1,
            starters=people,
            assumptions={"threshold_mean": threshold_mean},
        )["none"]
        means[who] = float(stats.final_committed.mean())
    labels = ", ".join(G.nodes[v]["label"] for v in brokers)
    return Verdict(
        means["brokers"] > means["executives"] + 0.1,
        f"with {executive_ties} informal ties per executive, the 3 executives commit "
        f"{_pct(means['executives'])}, 3 brokers ({labels}) {_pct(means['brokers'])}",
    )


def _pilots_or_champions(*, mentoring):
    G = _organisation()
    champions = [v for v, label in G.nodes(data="label") if label.endswith("-1")]
    pilots = leadership.compare(
        G, {"p": leadership.Levers(pilot_teams=2, mentoring=mentoring)}, runs=50, seed=1
    )["p"]
    scattered = leadership.compare(
        G, {"c": leadership.Levers(mentoring=mentoring)}, runs=50, seed=1, starters=champions
    )["c"]
    p, c = float(pilots.committed_mean[-1]), float(scattered.committed_mean[-1])
    return Verdict(
        p > c,
        f"with mentoring {mentoring:g}, 2 pilot groups commit {_pct(p)}, 6 scattered champions "
        f"{_pct(c)}",
    )


#: This group of lessons' claims, in the order the lessons state them.
CLAIMS: tuple[Claim, ...] = (
    Claim(
        "leaders.informal-brokers",
        ("04",),
        "On the informal network, the people best placed to broker between teams are team "
        "members, not executives or line leaders: rank is not reach.",
        "structure",
        assumption="executives have no informal ties (executive_ties = 0): only the chart ties "
        "them to anyone; measured on the lesson's organisation (seed 1)",
        check=_informal_brokers,
        default={"executive_ties": 0},
        counterexample={"executive_ties": 6},
        why_fails="executives with an informal tie into every team sit on the paths between "
        "teams, and an executive tops the informal betweenness",
        apps=_BUILDER,
    ),
    Claim(
        "leaders.wide-bridges",
        ("04",),
        "A wide bridge (ties landing on neighbouring people) carries a complex practice into "
        "another team; the same three ties spread out carry nothing.",
        "research",
        source="Centola & Macy (2007); Centola (2010)",
        assumption="a complex practice: each person commits once 2 of their contacts have; team "
        "B works as a ring in which neighbours share contacts",
        check=_wide_bridge,
        default={"practice": "complex"},
        by_construction="with a threshold of 2 contacts, three ties spread over three people "
        "give each of them one committed contact, never two; the wide bridge gives B1 two, and "
        "then her neighbour B2 two (A2 and B1)",
        apps=("BridgeExplorer",),
    ),
    Claim(
        "leaders.long-ties",
        ("04",),
        "Long ties speed a simple practice and block a complex one.",
        "research",
        source="Centola & Macy (2007)",
        assumption="a ring of 200 people, each tied to the 2 nearest on either side (4 ties), "
        "a tenth of the ties rewired at random into long ties (p = 0.1); the complex practice "
        "needs 2 committed contacts",
        check=_long_ties,
        default={"p": 0.1, "ties_per_person": 4},
        counterexample={"p": 0.1, "ties_per_person": 6},
        why_fails="with 3 colleagues on either side, neighbours share enough contacts that "
        "rewiring a tenth of the ties leaves wide paths: the complex practice still reaches "
        "everyone, and faster",
        apps=("LongTieExplorer",),
    ),
    Claim(
        "leaders.senge-none-alone",
        ("05",),
        "The three kinds of leader rely on one another: none alone can create an environment "
        "of continual innovation and diffusion of knowledge.",
        "senge",
        source="Senge (1997), HBR 75(5)",
    ),
    Claim(
        "leaders.none-alone",
        ("05",),
        f"At equal leaders' time ({BUDGET} leader-weeks), all three kinds of leader together "
        "commit more of the organisation than the best single kind alone.",
        "calibration",
        assumption="what levers cost (leader_time.COSTS: a pilot team 8 leader-weeks, mentoring "
        "8 at full strength, a networker 2 per team bridged) and a mean threshold of 0.45; the "
        "best use of the time by each kind is searched on a small grid, 20 runs each",
        check=_together,
        default={"threshold_mean": 0.45},
        counterexample={"threshold_mean": 0.2},
        why_fails="a practice people take up once a fifth of their contacts have spreads from "
        "line leaders' pilot teams alone: one kind suffices (it fails again for a much harder "
        "practice, mean threshold about 0.55 to 0.65, where pilots do as well with the time)",
        apps=_BUILDER,
    ),
    Claim(
        "leaders.networkers-alone",
        ("05",),
        "Networkers alone commit nobody.",
        "structure",
        assumption="a rule of the model: networkers carry only a practice they have seen work "
        "in a pilot team",
        check=lambda: _networkers_alone(),
        by_construction="without a pilot team no networker starts committed, and without "
        "mentoring or pilots nobody else does: nothing can spread",
        apps=_BUILDER,
    ),
    Claim(
        "leaders.executives-alone",
        ("05",),
        "Executives alone, mentoring, commit only themselves.",
        "structure",
        assumption="executives have only formal ties, to each other and to the line leaders "
        "who report to them (executive_ties = 0), and a line leader's threshold is far above "
        "one tie in nine",
        check=_executives_alone,
        default={"executive_ties": 0},
        counterexample={"executive_ties": 2},
        why_fails="executives who know members of two teams each reach them directly, and "
        "mentoring lowers some of those members' thresholds below one tie in five",
        apps=_BUILDER,
    ),
    Claim(
        "leaders.mandate",
        ("05",),
        "A mandate buys fast compliance that falls away, and little commitment.",
        "calibration",
        assumption="compliance internalises rarely: each compliant person commits with "
        "probability 0.01 per round (Kelman 1958, calibrated, not estimated); compliant people "
        "send a weak signal (0.25) against thresholds the mandate's resentment raises",
        check=_mandate,
        default={"internalisation": 0.01},
        counterexample={"internalisation": 0.05},
        why_fails="if one compliant person in twenty internalises the practice each round, the "
        "newly committed tip others, and the mandate leaves most people committed",
        apps=_BUILDER,
    ),
    Claim(
        "leaders.mandate-costs",
        ("05",),
        "On top of the three kinds of leader, a mandate costs commitment.",
        "calibration",
        assumption="a mandate raises everyone's threshold by its resentment (0.25 times its "
        "reach), which outweighs the compliant people's weak signal",
        check=_mandate_costs,
        default={"resentment": 0.25},
        counterexample={"resentment": 0.0},
        why_fails="without resentment the compliant people's signal only helps the others",
        apps=_BUILDER,
    ),
    Claim(
        "leaders.rank-not-reach",
        ("05",),
        "Rank is not reach: three well-placed team members spread a practice further than the "
        "three executives.",
        "structure",
        assumption="executives have no informal ties (executive_ties = 0); a practice easier to "
        "take up (mean threshold 0.30)",
        check=_rank_and_reach,
        default={"executive_ties": 0, "threshold_mean": 0.3},
        counterexample={"executive_ties": 6, "threshold_mean": 0.3},
        why_fails="executives with an informal tie into every team reach more people than three "
        "team members can: rank becomes reach",
        apps=_BUILDER,
    ),
    Claim(
        "leaders.pilots-or-champions",
        ("05",),
        "Pilot groups beat the same number of scattered champions only where thresholds are high.",
        "calibration",
        assumption="thresholds around 0.45 untouched by mentoring: a lone champion is one "
        "committed contact among many",
        check=_pilots_or_champions,
        default={"mentoring": 0.0},
        counterexample={"mentoring": 0.8},
        why_fails="mentoring lowers thresholds everywhere, and a champion in every team then "
        "reaches more teams than two pilot groups",
        apps=_BUILDER,
    ),
)
