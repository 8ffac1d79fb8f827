"""Lesson 05's questions: the three kinds of leader together, mandates, rank versus reach, and
leaders' time.

Lever answers are dictionaries of plain numbers (``LeaderNetworkBuilder.lever_values`` gives
one), simulated with a fixed seed: the same 50 runs the builder's Compare tab shows.  Design
items are judged by running the model on the learner's levers (and, at a budget, pricing them
with `senge_course.models.leader_time.cost`); assumption-hunting items rerun a claim of the
registry (`senge_course.models.claims`) at the learner's setting.
"""

from dataclasses import dataclass
from functools import cache

from ...models import leader_time, leadership, org
from .. import checks
from ..checks import Choice, Classification, Exercise, Prediction, Reflection
from .assumptions import BreakClaim

__all__ = [
    "BUDGET",
    "EXERCISE",
    "LESSON",
    "LeversChallenge",
    "ORG_SEED",
    "RUNS",
    "RUN_SEED",
]

#: The organisation every lever answer is judged on: ``org.organisation(seed=ORG_SEED)``.
ORG_SEED = 1
#: Runs and seed of the judge's comparison (the builder's Compare tab defaults).
RUNS = 50
RUN_SEED = 1
#: The scenarios lesson 05's Compare tab starts with.
FOUR = ("line leaders only", "line leaders + executives", "line leaders + networkers", "all three")
#: The leaders' time (leader-weeks) of the exercise's design item: less than the lesson's 36.
BUDGET = 30


def mean_committed(levers, *, org_seed=ORG_SEED, runs=RUNS, seed=RUN_SEED):
    """Mean final committed share of `levers` (a Levers or a dict) over `runs` runs.

    Each distinct setting is simulated once per process: a class whose designs agree (many
    submit the same one) costs the grader one simulation per design, not per student.
    """
    if isinstance(levers, dict):
        levers = leadership.Levers(**levers)
    return _mean_committed(levers, org_seed, runs, seed)


@cache
def _mean_committed(levers, org_seed, runs, seed):
    G = _prepared(org_seed)
    return float(
        leadership.compare(G, {"x": levers}, runs=runs, seed=seed)["x"].final_committed.mean()
    )


@cache
def _prepared(org_seed):
    """The organisation, prepared once: designs with the same networkers share their placements."""
    return leadership.prepare_organisation(org.organisation(seed=org_seed))


#: The scenario of each kind of leader alone in the lesson's comparison (section 5).
ALONE_SCENARIOS = {
    "line leaders": "line leaders only",
    "executives": "executives only (mentoring)",
    "networkers": "networkers only",
}


@cache
def _alone_and_together():
    """Mean final committed share of each kind of leader alone and of all three together: the
    lesson's comparison (organisation seed 1, 50 runs, seed 1)."""
    G = org.organisation(seed=ORG_SEED)
    names = [*ALONE_SCENARIOS.values(), "all three"]
    return dict(leadership.compare(G, names, runs=RUNS, seed=RUN_SEED).final_means())


def strongest_alone():
    """The model's answer to ``prediction_alone``: the kind of leader (a key of `ALONE`) whose
    levers alone commit the largest mean share."""
    means = _alone_and_together()
    return max(ALONE_SCENARIOS, key=lambda kind: means[ALONE_SCENARIOS[kind]])


def together_share():
    """The model's answer to ``prediction_together``: the mean share all three commit."""
    return float(_alone_and_together()["all three"])


@dataclass(frozen=True, eq=False)
class LeversChallenge(checks.Question):
    """Levers (a dict) that commit at least `target` of the organisation on average, without a mandate.

    The judge builds ``Levers(**answer)`` (levers left out keep their defaults), checks the
    limits, and runs ``leadership.compare`` on ``org.organisation(seed=1)``: 50 runs, seed 1.
    With a `budget`, the levers must also cost at most `budget` leader-weeks
    (`leader_time.cost`), with the pilot share and bridge width the prices assume.

    >>> q = LeversChallenge("mine", target=0.6, budget=30)
    >>> print(q.assess({"pilot_teams": 4}).message)
    Your levers cost 32 leader-weeks (4 pilot teams at 8 each): more than the 30 you have.
    """

    remembers = True  # the judge runs a model: each distinct answer once

    target: float = 0.7
    max_pilot_teams: int = 6
    max_networkers: int = 42
    #: Leaders' time available (leader-weeks, priced by `leader_time.cost`), or None: no limit.
    budget: float = None

    def judge(self, answer):
        if not isinstance(answer, dict):
            return self._outcome(
                checks.INCORRECT,
                f"Expected a dictionary of levers such as {{'pilot_teams': 2, 'mentoring': 0.5}}, "
                f"but {self.name} is a {type(answer).__name__}.",
            )
        known = set(leadership.Levers.__dataclass_fields__)
        unknown = sorted(set(map(str, answer)) - known)
        if unknown:
            return self._outcome(
                checks.INCORRECT,
                f"{', '.join(map(repr, unknown))} is not a lever; the levers are "
                f"{', '.join(sorted(known))}.",
            )
        try:
            levers = leadership.Levers(**answer)
        except (TypeError, ValueError) as exc:
            return self._outcome(checks.INCORRECT, f"These levers are not allowed: {exc}.")
        if levers.mandate > 0:
            return self._outcome(
                checks.INCORRECT,
                f"Your levers include a mandate (mandate={levers.mandate:g}): the challenge is "
                "to build commitment without one. Set mandate to 0.",
            )
        if levers.pilot_teams > self.max_pilot_teams:
            return self._outcome(
                checks.INCORRECT,
                f"Your line leaders can run at most {self.max_pilot_teams} pilot "
                f"team{'s' if self.max_pilot_teams > 1 else ''}; you asked for "
                f"{levers.pilot_teams}.",
            )
        if levers.networkers > self.max_networkers:
            return self._outcome(
                checks.INCORRECT,
                f"At most {self.max_networkers} internal networkers are available; you asked "
                f"for {levers.networkers}.",
            )
        if self.budget is not None:
            problem = _over_budget(levers, self.budget)
            if problem:
                return self._outcome(checks.INCORRECT, problem)
        try:
            mean = mean_committed(levers)
        except (TypeError, ValueError) as exc:
            return self._outcome(
                checks.INCORRECT, f"These levers do not fit the organisation: {exc}."
            )
        spent = (
            f", for {leader_time.cost(levers):g} of your {self.budget:g} leader-weeks"
            if self.budget is not None
            else ""
        )
        said = (
            f"With {levers.describe()}, {mean:.0%} of people are committed on average over "
            f"{RUNS} runs{spent} (kinds of leader at work: {', '.join(levers.leaders) or 'none'})."
        )
        if mean >= self.target:
            return self._outcome(
                checks.CORRECT, f"{said} That reaches {self.target:.0%} without a mandate."
            )
        return self._outcome(
            checks.INCORRECT,
            f"{said} Not yet {self.target:.0%}: which kind of leader is missing, or which lever "
            "could go further?",
        )


def _over_budget(levers, budget):
    """Why `levers` do not fit `budget` leader-weeks at the prices of `leader_time.COSTS`, or ''."""
    usual = leadership.Levers()
    if levers.pilot_share != usual.pilot_share or levers.bridge_width != usual.bridge_width:
        return (
            f"The prices count pilot teams of {usual.pilot_share:.0%} of the team and bridges "
            f"{usual.bridge_width} ties wide: leave pilot_share at {usual.pilot_share:g} and "
            f"bridge_width at {usual.bridge_width} (you have pilot_share = "
            f"{levers.pilot_share:g}, bridge_width = {levers.bridge_width})."
        )
    spent = leader_time.cost(levers)
    if spent <= budget + 1e-9:
        return ""
    price = leader_time.COSTS.defaults()
    parts = []
    if levers.pilot_teams:
        parts.append(f"{levers.pilot_teams} pilot teams at {price['pilot_team']:g} each")
    if levers.mentoring:
        parts.append(f"mentoring {levers.mentoring:g} at {price['mentoring']:g} for full strength")
    if levers.networkers:
        parts.append(
            f"{levers.networkers} networkers bridging into {levers.teams_spanned} teams each, "
            f"at {price['networker_team']:g} a team"
        )
    return (
        f"Your levers cost {spent:g} leader-weeks ({'; '.join(parts)}): more than the "
        f"{budget:g} you have."
    )


LEVER_KINDS = {
    "run a pilot group in their own team": "line",
    "choose how much of the pilot team starts": "line",
    "mentor line leaders as thinking partners": "executive",
    "invest in a learning laboratory everyone can use": "executive",
    "order everyone to adopt the practice": "executive",
    "lay ties into other teams, landing on neighbours": "networker",
}

#: The kinds of leader a learner can predict matters most alone (lesson 05, section 3).
ALONE = {
    "line leaders": "line leaders alone commit the most",
    "executives": "executives alone commit the most",
    "networkers": "networkers alone commit the most",
}

EXERCISE = Exercise(
    "05",
    [
        Prediction(
            "prediction_alone",
            options=ALONE,
            prompt="Which kind of leader, alone, commits the largest share of the organisation?",
            hints=("There is no wrong prediction: write the one you made in lesson 05.",),
            outcome=strongest_alone,
            followup="answer_q7",  # which single kind of leader could do as well as all three
        ),
        Prediction(
            "prediction_together",
            low=0,
            high=1,
            share=True,
            prompt="What share of the organisation (0 to 1) do all three kinds of leader together "
            "commit, on average?",
            hints=("There is no wrong prediction: write the one you made in lesson 05.",),
            outcome=together_share,
            tolerance=0.1,
            # no follow-up: no later question asks for the share all three commit
        ),
        Choice(
            "answer_q3",
            kind="recall",
            prompt="Executives mandate the practice for 80% of people for 10 rounds, with no "
            "other lever. What happens?",
            options={
                "a": "Not quite: that would be internalisation, and in our model it is rare (each "
                "compliant person commits with probability 1% per round): when the mandate ends, "
                "most people drop the practice.",
                "b": "Yes: 80% comply at once; after round 10 compliance falls away, to about "
                "24% by round 15, and about 13% stay committed.",
                "c": "Not quite: in our model compliance comes at once (80% in the first round); "
                "resentment raises everyone's thresholds, it does not delay compliance.",
            },
            answer="b",
            hints=(
                "Compare 'executives only (mandate)' in the builder's Compare tab: the dotted "
                "line is compliance, the solid line commitment.",
                "Look at both lines after round 10, when the mandate ends.",
            ),
        ),
        Classification(
            "answer_q4",
            kind="recall",
            items=LEVER_KINDS,
            labels=("line", "executive", "networker"),
            prompt="Which kind of leader pulls each lever in the model?",
            hints=(
                "Line leaders run pilots; networkers build bridges between teams.",
                "Executives mentor, invest in infrastructure, or mandate.",
            ),
        ),
        LeversChallenge(
            "answer_q5",
            kind="design",
            target=0.7,
            max_pilot_teams=1,
            max_networkers=3,
            prompt="Your line leaders can run only ONE pilot team, and at most 3 people can work "
            "as networkers. Find levers (a dictionary) that commit at least 70% on average, "
            "without a mandate.",
            hints=(
                "With one pilot, the practice has to be carried out of it: how many teams can "
                "3 networkers reach, if each bridges into several?",
                "A bridge tips a team only where thresholds are low enough: which kind of "
                "leader lowers them everywhere, and how far can you push that lever?",
            ),
            solution='answer_q5 = {"pilot_teams": 1, "mentoring": 1.0, "networkers": 3, '
            '"bridge_width": 3, "teams_spanned": 3}',
        ),
        LeversChallenge(
            "answer_q6",
            kind="design",
            target=0.6,
            budget=BUDGET,
            prompt=f"You have {BUDGET} leader-weeks: a pilot team costs 8, mentoring 8 at full "
            "strength (4 at 0.5), a networker 2 for each team they bridge into. Find levers (a "
            "dictionary) that cost at most that and commit at least 60% on average, without a "
            "mandate (keep pilot_share and bridge_width as they are).",
            hints=(
                "Price before you run: 3 pilot teams already cost 24 of the 30 weeks. What "
                "carries a pilot's practice beyond its own team, and what makes other teams "
                "easier to tip? Each costs something.",
                "Mentoring at full strength lowers thresholds in every team for 8 weeks; one "
                "networker bridging into 3 teams costs 6. What is left for pilot teams?",
            ),
            solution='answer_q6 = {"pilot_teams": 2, "mentoring": 1.0, "networkers": 1, '
            '"teams_spanned": 3}',
        ),
        Choice(
            "answer_q7",
            kind="reasoning",
            prompt="At 36 leader-weeks, all three kinds of leader commit far more than the best "
            "single kind. Which ONE change to the prices lets a single kind of leader alone do "
            "as well as all three?",
            options={
                "a": "Not quite: executives alone commit only themselves whatever mentoring "
                "costs. Without informal ties they reach nobody but each other and the line "
                "leaders, and spare weeks buy no more reach (a rule of our model).",
                "b": "Yes: at 4 leader-weeks a pilot, 36 weeks buy a pilot in every team, and "
                "each pilot commits its own team: nothing has to cross a team's edge. Line "
                "leaders alone then commit 100%, as much as all three.",
                "c": "Not quite: networkers alone commit nobody, however many bridges they can "
                "afford, because they carry only a practice they have seen work in a pilot "
                "team (a rule of our model).",
                "d": "Not quite: 'none alone' is a result of our calibration, and the prices "
                "are part of it. Look for the kind of leader whose lever commits people without "
                "anybody else's help.",
            },
            answer="b",
            hints=(
                "Two kinds of leader, alone, commit nobody beyond themselves, whatever their "
                "levers cost (section 5 of the lesson). Which ones?",
                "A pilot commits its own team; the practice then stops at the team's edge. "
                "What if there were no edge left to cross?",
            ),
        ),
        BreakClaim(
            "answer_q8",
            claim="leaders.rank-not-reach",
            keep=("executive_ties",),
            rule="The lesson already broke it by giving executives informal ties: keep "
            "executive_ties at 0 and change the other assumption, threshold_mean.",
            prompt="'Rank is not reach' rests on two assumptions: executives have no informal "
            "ties (executive_ties = 0), and a practice easier to take up than usual "
            "(threshold_mean = 0.3). Keep executive_ties at 0 and change threshold_mean alone "
            "so that the three brokers no longer spread the practice clearly further than the "
            'three executives. Give a dictionary: {"threshold_mean": ...}.',
            hints=(
                "The result is a gap between two groups of three starters. A gap closes when "
                "both groups do equally badly, or equally well.",
                "What does a practice need for three starters, however well placed, to tip "
                "nobody? And what kind of practice would even three executives spread to "
                "everyone?",
            ),
            solution='answer_q8 = {"threshold_mean": 0.45}',
        ),
        BreakClaim(
            "answer_q9",
            claim="leaders.none-alone",
            within={"threshold_mean": (0.45, 0.7)},
            rule="The lesson broke it with a practice easier to take up; here, use a harder "
            "one: a mean threshold above 0.45 and below 0.7.",
            prompt="At equal leaders' time (36 leader-weeks), all three kinds of leader commit "
            "more than the best single kind, by at least 10 percentage points (the margin of the "
            "lesson's map): the lesson showed this fails for a practice easier "
            "to take up. Break it with a practice HARDER to take up: a mean threshold above 0.45 "
            'and below 0.7, {"threshold_mean": ...}. First decide: as the practice gets harder, '
            "does all three's lead grow or shrink, and why?",
            hints=(
                "A harder practice makes every lever weaker. Which lever's work survives it "
                "best: a pilot, which commits its own team from inside, or a bridge, which has "
                "to tip a team from outside?",
                "In the lesson's map (section 7), follow the column x1 from mean threshold 0.45 "
                "to 0.5: which way does the gap between all three and the best single kind go? "
                "Go further the same way, a step at a time (much further, and even a pilot team "
                "needs mentoring to commit: that is why the range stops at 0.7).",
            ),
            solution='answer_q9 = {"threshold_mean": 0.6}',
        ),
        Reflection(
            "reflection_q10",
            min_words=40,
            criteria=(
                "names the kind of leader you predicted would matter most, and what the model "
                "showed",
                "uses a result of the model from the lesson or this exercise",
                "names an assumption that result rests on, and whether it holds where you work",
                "applies it to a change in an organisation you know",
            ),
            prompt="You predicted which kind of leader matters most. Was your prediction right? "
            "Use what the comparisons showed, name an assumption behind them, and say what it "
            "means for an organisation you know.",
            hints=(
                "Name the kind of leader you predicted, then what the Compare tab showed.",
                "Say which kind of leader was missing in a change you saw stall, and where it "
                "stopped.",
            ),
        ),
    ],
)

#: The checked questions inside lesson 05.
LESSON = Exercise(
    "05",
    [
        LeversChallenge(
            "my_levers",
            kind="design",
            target=0.7,
            max_pilot_teams=2,
            max_networkers=2,
            prompt="With at most 2 pilot teams and at most 2 internal networkers, and no "
            "mandate, find levers that commit at least 70% of the organisation on average.",
            hints=(
                "Start from 'all three' and change one lever at a time; watch 'my levers' in "
                "the Compare tab.",
                "With only two networkers, each has to reach further; and the teams they reach "
                "tip more easily the more the executives mentor.",
            ),
            solution='my_levers = {"pilot_teams": 2, "mentoring": 1.0, "networkers": 2, '
            '"bridge_width": 3, "teams_spanned": 3}',
        ),
        Choice(
            "why_together",
            kind="reasoning",
            prompt="Why does only the combination of all three kinds of leader commit most of "
            "the organisation?",
            options={
                "a": "Not quite: the levers do not add up. Networkers add 6 points to the "
                "pilots' 32%, mentoring 7, yet all three commit 79%, far more than the sum of "
                "what each adds.",
                "b": "Yes: pilots start committed clusters, networkers' bridges carry the "
                "practice out of them, and mentoring lowers thresholds enough for a bridge to "
                "tip a team. Each needs the others.",
                "c": "Not quite: pilots with mentoring commit 39%, and executives alone only "
                "themselves (6%): lower thresholds help only where something carries the "
                "practice across teams.",
            },
            answer="b",
            hints=(
                "What does each kind of leader do that the others cannot?",
                "Where does the practice stop when one kind of leader is missing?",
            ),
        ),
    ],
)
