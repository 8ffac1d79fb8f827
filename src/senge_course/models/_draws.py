"""The leadership model's random draws: one run's (`RunDraw`), or every run of a batch at once
(`BatchDraws`), and the networkers' placements (`placement`).

Private to `senge_course.models.leadership`, which documents the model.  A run's generator draws,
in a fixed order whatever the levers (common random numbers): everyone's standard normal
threshold draw, the order of the teams, a uniform draw per person for pilot groups, another for
the mandate, then a seed for placing networkers.  The levers then decide who starts, who is
mandated and the thresholds.  Because those draws do not depend on the levers, a prepared
organisation keeps them per run seed (`raw_draws`), and `BatchDraws` derives every run's
starters and thresholds for a design in a few array operations, exactly as `RunDraw` does run by
run (a test replays every run of a batch alone).
"""

import math
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from . import contagion, org
from ._arrays import readonly

#: The default thresholds are clipped to this range.
THRESHOLD_RANGE = (0.05, 0.95)

#: Placements of networkers (and batches of raw draws) one prepared organisation keeps.
_MAX_PLACEMENTS = 4096
_MAX_RAW = 64


def from_normal(z, a):
    """Thresholds from standard normal draws `z` under assumptions `a`, clipped."""
    return np.clip(a["threshold_mean"] + a["threshold_sd"] * z, *THRESHOLD_RANGE)


def round_half_up(x):
    return int(math.floor(x + 0.5))


def networker_reach(H, networkers):
    """Return {networker: the teams they belong to or reach by bridge ties}."""
    return {
        int(v): {H.nodes[v]["team"]}
        | {H.nodes[w]["team"] for w, kind in H[v].items() if kind.get("kind") == "bridge"}
        for v in networkers
    }


def placement(base, levers, seed):
    """Return (bridge arcs, networker reach, bridge ties, reach as arrays) with
    `levers.networkers` placed from `seed` on prepared organisation `base` (cached there)."""
    if not levers.networkers:  # every run has G's own networkers (arrays made once)
        return (), base.networkers, (), base.own_reach
    key = (seed, levers.networkers, levers.bridge_width, levers.teams_spanned)
    if key not in base.placements:
        if len(base.placements) >= _MAX_PLACEMENTS:
            base.placements.clear()
        placed, ties = org.networker_bridges(
            base.layout,
            count=levers.networkers,
            bridge_width=levers.bridge_width,
            teams_spanned=levers.teams_spanned,
            seed=seed,
        )
        # bridge ties join two teams, so they weigh 1 both ways (the leader's weight is inside
        # a team), and turning members into networkers changes no existing tie's weight
        reach = {**base.networkers, **{v: {int(base.team[v])} for v in placed}}
        for u, v in ties:
            for a, b in ((u, v), (v, u)):
                if a in reach:
                    reach[a] = reach[a] | {int(base.team[b])}
        arcs = tuple(arc for u, v in ties for arc in ((u, v, 1.0), (v, u, 1.0)))
        base.placements[key] = (arcs, reach, tuple(ties), reach_arrays(reach, base.teams))
    return base.placements[key]


def reach_arrays(reach, teams):
    """(networkers, networkers x teams bool matrix) of a reach dict."""
    people = np.array(sorted(reach), dtype=np.intp)
    matrix = np.zeros((people.size, teams + 1), dtype=bool)
    for i, v in enumerate(people.tolist()):
        matrix[i, sorted(reach[v])] = True
    return people, matrix


def with_arcs(net, arcs):
    """Return PreparedNetwork `net` with new arcs (u, v, weight): u influences v."""
    if not arcs:
        return net
    u, v, w = (np.array(x) for x in zip(*arcs, strict=True))
    extra = sp.csr_array((w.astype(float), (v, u)), shape=net.matrix.shape)
    matrix = (net.matrix + extra).tocsr()
    in_weight = matrix @ np.ones(net.n)
    degree = np.diff(matrix.indptr).astype(np.int64)
    readonly(in_weight, degree)
    return replace(net, matrix=matrix, in_weight=in_weight, degree=degree)


class RunDraw:
    """One run's random draws for `levers` from generator `rng` (`thresholds`: None for the
    model's own, else `simulate`'s ``thresholds``, drawn after the model's draws)."""

    def __init__(self, base, levers, rng, thresholds):
        n, a = base.n, base.assumptions
        z = rng.standard_normal(n)
        team_order = rng.permutation(base.teams)
        member_u = rng.random(n)
        mandate_u = rng.random(n)
        seed = int(rng.integers(0, 2**63 - 1))
        if thresholds is None:
            base_thr = from_normal(z, a)
        else:
            base_thr = contagion.threshold_array(base.net, thresholds, rng)
        self.arcs, reach, self.ties, _ = placement(base, levers, seed)
        self.base, self.placement = base, seed
        # line leaders: a pilot group in each pilot team
        pilot_teams = np.sort(team_order[: levers.pilot_teams])
        piloting = np.zeros(base.teams + 1, dtype=bool)  # the last: no team (executives, -1)
        piloting[pilot_teams] = True
        in_pilot = piloting[base.team]
        starters = base.starters | (in_pilot & base.leader)
        for t in pilot_teams:
            people = base.others[t]
            k = round_half_up(levers.pilot_share * people.size)
            starters[people[np.argsort(member_u[people], kind="stable")[:k]]] = True
        # executives who mentor practise what they mentor
        if levers.mentoring > 0:
            starters |= base.executive
        # networkers who belong to or reach a pilot team carry the practice from the start
        piloted = set(pilot_teams.tolist())
        for v, teams in reach.items():
            if teams & piloted:
                starters[v] = True
        # the mandate: the k people with the smallest draws, so a larger mandate adds people
        k = round_half_up(levers.mandate * n)
        mandated = np.zeros(n, dtype=bool)
        mandated[np.argsort(mandate_u, kind="stable")[:k]] = True
        # thresholds: mentoring lowers them (a share), resentment raises them
        m = levers.mentoring
        scale = np.where(in_pilot, 1 - a["pilot_mentoring"] * m, 1 - a["infrastructure"] * m)
        self.thresholds = base_thr * scale + a["resentment"] * levers.mandate
        self.pilot_teams = tuple(pilot_teams.tolist())
        self.starters = starters
        self.mandated = mandated
        self.networkers = tuple(sorted(reach))

    @property
    def net(self):
        """The run's `PreparedNetwork`: the organisation's with the bridges laid (built once)."""
        if "net" not in self.__dict__:
            self.__dict__["net"] = with_arcs(self.base.net, self.arcs)
        return self.__dict__["net"]


class _Raw:
    """The lever-free draws of runs with seeds `seeds`, stacked (one row per run)."""

    def __init__(self, base, seeds):
        n, teams, runs = base.n, base.teams, len(seeds)
        self.z = np.empty((runs, n))
        self.team_order = np.empty((runs, teams), dtype=np.intp)
        member_u, mandate_u = np.empty((runs, n)), np.empty((runs, n))
        self.placement, self.states = [], []
        for i, s in enumerate(seeds):
            rng = np.random.default_rng(int(s))
            self.z[i] = rng.standard_normal(n)
            self.team_order[i] = rng.permutation(teams)
            member_u[i] = rng.random(n)
            mandate_u[i] = rng.random(n)
            self.placement.append(int(rng.integers(0, 2**63 - 1)))
            self.states.append(rng.bit_generator.state)  # where the run goes on drawing
        # each person's rank among the pilot candidates of their team (people past every team's
        # candidates: n), and everyone's rank for the mandate (stable, as RunDraw sorts)
        self.member_rank = np.full((runs, n), n, dtype=np.intp)
        rows = np.arange(runs)[:, None]
        for people in base.others:
            order = np.argsort(member_u[:, people], axis=1, kind="stable")
            self.member_rank[rows, people[order]] = np.arange(people.size)
        self.mandate_rank = np.empty((runs, n), dtype=np.intp)
        order = np.argsort(mandate_u, axis=1, kind="stable")
        self.mandate_rank[rows, order] = np.arange(n)


def raw_draws(base, seeds):
    """The lever-free draws of the runs with `seeds` on `base`, made once and kept there."""
    key = np.asarray(seeds, dtype=np.int64).tobytes()
    if key not in base.raw:
        if len(base.raw) >= _MAX_RAW:
            base.raw.clear()
        base.raw[key] = _Raw(base, seeds)
    return base.raw[key]


class BatchDraws:
    """Every run's draws for `levers` at once, from `raw_draws` (the model's own thresholds):
    ``thresholds``, ``starters`` and ``mandated`` (runs x people), ``arcs`` (one tuple per run)
    and ``states`` (each run's generator after its draws).  Run i equals ``RunDraw`` from
    ``default_rng(seeds[i])``."""

    def __init__(self, base, levers, raw):
        a, runs = base.assumptions, raw.z.shape[0]
        rows = np.arange(runs)[:, None]
        piloting = np.zeros((runs, base.teams + 1), dtype=bool)  # the last: no team (-1)
        piloting[rows, raw.team_order[:, : levers.pilot_teams]] = True
        in_pilot = piloting[:, base.team]
        sizes = [people.size for people in base.others]
        k = np.array([round_half_up(levers.pilot_share * s) for s in sizes] + [0])
        starters = base.starters | (in_pilot & base.leader)
        starters |= in_pilot & (raw.member_rank < k[base.team])
        if levers.mentoring > 0:
            starters |= base.executive
        self.arcs = []
        for i, seed in enumerate(raw.placement):
            arcs, _, _, (people, reach) = placement(base, levers, seed)
            self.arcs.append(arcs)
            if people.size:
                starters[i, people[(reach & piloting[i]).any(axis=1)]] = True
        self.mandated = raw.mandate_rank < round_half_up(levers.mandate * base.n)
        m = levers.mentoring
        scale = np.where(in_pilot, 1 - a["pilot_mentoring"] * m, 1 - a["infrastructure"] * m)
        self.thresholds = from_normal(raw.z, a) * scale + a["resentment"] * levers.mandate
        self.starters, self.states = starters, raw.states
