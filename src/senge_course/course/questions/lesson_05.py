"""Lesson 05's questions: the three kinds of leader together, mandates, and rank versus reach.

Lever answers are dictionaries of plain numbers (``LeaderNetworkBuilder.lever_values`` gives
one), simulated with a fixed seed: the same 50 runs the builder's Compare tab shows.
"""

from dataclasses import dataclass

from ...models import brokerage, leadership, org
from .. import checks
from ..checks import Choice, Classification, Exercise, Reflection, Value

__all__ = ["EXERCISE", "LESSON", "LeversChallenge", "ORG_SEED", "RUNS", "RUN_SEED"]

#: The organisation every lever answer is judged on: ``org.organisation(seed=ORG_SEED)``.
ORG_SEED = 1
#: Runs and seed of the judge's comparison (the builder's Compare tab defaults).
RUNS = 50
RUN_SEED = 1
#: The scenarios lesson 05's Compare tab starts with.
FOUR = ("line leaders only", "line leaders + executives", "line leaders + networkers", "all three")


def mean_committed(levers, *, org_seed=ORG_SEED, runs=RUNS, seed=RUN_SEED):
    """Mean final committed share of `levers` (a Levers or a dict) over `runs` runs."""
    if isinstance(levers, dict):
        levers = leadership.Levers(**levers)
    G = org.organisation(seed=org_seed)
    return float(
        leadership.compare(G, {"x": levers}, runs=runs, seed=seed)["x"].final_committed.mean()
    )


@dataclass(frozen=True, eq=False)
class LeversChallenge(checks.Question):
    """Levers (a dict) that commit at least `target` of the organisation on average, without a mandate.

    The judge builds ``Levers(**answer)`` (levers left out keep their defaults), checks the
    limits, and runs ``leadership.compare`` on ``org.organisation(seed=1)``: 50 runs, seed 1.
    """

    target: float = 0.7
    max_pilot_teams: int = 6
    max_networkers: int = 42

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
        try:
            mean = mean_committed(levers)
        except (TypeError, ValueError) as exc:
            return self._outcome(
                checks.INCORRECT, f"These levers do not fit the organisation: {exc}."
            )
        said = (
            f"With {levers.describe()}, {mean:.0%} of people are committed on average over "
            f"{RUNS} runs (kinds of leader at work: {', '.join(levers.leaders) or 'none'})."
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


def _four_means():
    result = leadership.compare(org.organisation(seed=2), list(FOUR), runs=50, seed=3)
    return {name: round(value, 4) for name, value in result.final_means().items()}


def _widget_mean(name="line leaders + networkers"):
    G = org.organisation(seed=ORG_SEED)
    return leadership.compare(G, [name], runs=RUNS, seed=RUN_SEED).final_means()[name]


def _reach_gap():
    G = org.organisation(seed=1)
    executives = [v for v, role in G.nodes(data="role") if role == "executive"]
    brokers = [s.person for s in brokerage.suggest_networkers(G, k=3)]

    def mean(starters):
        easier = {"threshold_mean": 0.3}
        s = leadership.compare(G, ["none"], runs=50, seed=1, starters=starters, assumptions=easier)
        return float(s["none"].final_committed.mean())

    return round(mean(brokers) - mean(executives), 4)


LEVER_KINDS = {
    "run a pilot group in their own team": "line",
    "choose how much of the pilot team starts": "line",
    "mentor line leaders as thinking partners": "executive",
    "invest in a learning laboratory everyone can use": "executive",
    "order everyone to adopt the practice": "executive",
    "lay ties into other teams, landing on neighbours": "networker",
}

EXERCISE = Exercise(
    "05",
    [
        Choice(
            "answer_q1",
            prompt="Executives mandate the practice for 80% of people for 10 rounds, with no "
            "other lever. What happens?",
            options={
                "a": "Not quite: a mandate makes people compliant, and compliant people send only "
                "a weak signal; only the few who internalise the practice commit.",
                "b": "Yes: 80% comply at once and most stay compliant while the mandate lasts; "
                "after it, compliance falls away, to about 24% by round 15, and the few who came "
                "to value the practice leave about 13% committed.",
                "c": "Not quite: the mandate does make most people compliant at once, but only "
                "while it lasts.",
            },
            answer="b",
            hints=(
                "Compare 'executives only (mandate)' in the builder's Compare tab: the dotted "
                "line is compliance.",
                "Look at both lines after round 10.",
            ),
        ),
        Classification(
            "answer_q2",
            items=LEVER_KINDS,
            labels=("line", "executive", "networker"),
            prompt="Which kind of leader pulls each lever in the model?",
            hints=(
                "Line leaders run pilots; networkers build bridges between teams.",
                "Executives mentor, invest in infrastructure, or mandate.",
            ),
        ),
        Value(
            "answer_q3",
            expected=_widget_mean,
            atol=0.01,
            prompt="In the builder's Compare tab (default organisation, 50 runs, seed 1), what "
            "share of people is committed at the end, on average, with 'line leaders + "
            "networkers'? (0 to 1, to 0.01)",
            hints=(
                "Press Compare with the four scenarios ticked, then read the text under the plot.",
                "Percentages are shares: 38% is 0.38.",
            ),
            solution="answer_q3 = 0.38",
            explanation="Line leaders and networkers together commit about 38% on average: "
            "more than line leaders alone (32%), far less than all three (79%).",
        ),
        LeversChallenge(
            "answer_q4",
            target=0.7,
            max_pilot_teams=1,
            max_networkers=3,
            prompt="Your line leaders can run only ONE pilot team, and at most 3 people can work "
            "as networkers. Find levers (a dictionary) that commit at least 70% on average, "
            "without a mandate.",
            hints=(
                "With one pilot, the practice has to be carried out of it: networkers reaching "
                "more teams, with wide bridges.",
                "Executives' mentoring lowers thresholds in every team: try mentoring 1.0 with 3 "
                "networkers each reaching 3 teams.",
            ),
            solution='answer_q4 = {"pilot_teams": 1, "mentoring": 1.0, "networkers": 3, '
            '"bridge_width": 3, "teams_spanned": 3}',
        ),
        Value(
            "answer_q5",
            expected=_four_means,
            atol=0.005,
            prompt="Run leadership.compare on org.organisation(seed=2) for the four scenarios "
            "'line leaders only', 'line leaders + executives', 'line leaders + networkers' and "
            "'all three' (runs=50, seed=3). Give a dictionary: scenario -> mean final committed "
            "share.",
            hints=(
                "result = compare(org.organisation(seed=2), [...the four names...], runs=50, "
                "seed=3)",
                "result.final_means() is already that dictionary.",
            ),
            solution="""
            names = ["line leaders only", "line leaders + executives",
                     "line leaders + networkers", "all three"]
            result = compare(org.organisation(seed=2), names, runs=50, seed=3)
            answer_q5 = result.final_means()
            """,
            explanation="In another organisation the order is the same: each kind of leader "
            "adds something, and all three together commit far more than any pair.",
        ),
        Value(
            "answer_q6",
            expected=_reach_gap,
            atol=0.01,
            prompt="Rank is not reach: in G = org.organisation(seed=1), seed the practice with "
            "the 3 executives, then with the 3 people brokerage.suggest_networkers(G, k=3) "
            "names, for a practice easier to take up (assumptions={'threshold_mean': 0.3}). How "
            "much higher is the brokers' mean final committed share (50 runs, seed 1)?",
            hints=(
                "compare(G, ['none'], runs=50, seed=1, starters=people, "
                "assumptions={'threshold_mean': 0.3})",
                "Subtract the executives' mean final_committed from the brokers'.",
            ),
            solution="""
            G = org.organisation(seed=1)
            executives = [v for v, role in G.nodes(data="role") if role == "executive"]
            brokers = [s.person for s in brokerage.suggest_networkers(G, k=3)]

            def mean(people):
                s = compare(G, ["none"], runs=50, seed=1, starters=people,
                            assumptions={"threshold_mean": 0.3})
                return float(s["none"].final_committed.mean())

            answer_q6 = mean(brokers) - mean(executives)
            """,
            explanation="Three executives convince few beyond themselves (7%): in our model "
            "they have only the chart's ties. Three team members whose ties reach other teams "
            "commit 35% on average. Give the executives informal ties "
            "(org.organisation(seed=1, executive_ties=6)) and the gap closes: rank is not reach "
            "only while rank has no informal ties.",
        ),
        Reflection(
            "reflection_q7",
            min_words=40,
            prompt="In lesson 00 you predicted which kind of leader matters most. Was your "
            "prediction right? Use what the comparisons showed, and say what it means for an "
            "organisation you know.",
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
            target=0.7,
            max_pilot_teams=2,
            max_networkers=2,
            prompt="With at most 2 pilot teams and at most 2 internal networkers, and no "
            "mandate, find levers that commit at least 70% of the organisation on average.",
            hints=(
                "Start from 'all three' and change one lever at a time; watch 'my levers' in "
                "the Compare tab.",
                "Two networkers can still reach far: let each reach 3 teams, and give the "
                "executives full mentoring (1.0).",
            ),
            solution='my_levers = {"pilot_teams": 2, "mentoring": 1.0, "networkers": 2, '
            '"bridge_width": 3, "teams_spanned": 3}',
        ),
        Choice(
            "why_together",
            prompt="Why does only the combination of all three kinds of leader commit most of "
            "the organisation?",
            options={
                "a": "Not quite: all three pull more levers, but two pilots with three "
                "networkers commit 38%, and adding mentoring takes it to 79%: the levers "
                "multiply each other's effect rather than add (and at equal leaders' time all "
                "three still commit more than any one kind, in our model).",
                "b": "Yes: pilots make committed clusters, networkers carry the practice out of "
                "them over wide bridges, and mentoring lowers thresholds enough for those "
                "bridges to tip whole teams. Each needs the others.",
                "c": "Not quite: executives alone commit only themselves (6%), whatever their "
                "rank: in our model they have only the chart's ties.",
            },
            answer="b",
            hints=(
                "What does each kind of leader do that the others cannot?",
                "Where does the practice stop when one kind of leader is missing?",
            ),
        ),
    ],
)
