"""Lesson 04's questions: internal networkers, brokerage measures and wide bridges.

The three-tie puzzle, the wide-bridge graph, the long-tie design and the assumption hunt are
judged by running the models on the learner's answer; expected numbers come from the models, so
they cannot drift from what the widgets show.
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral

import networkx as nx

from ...models import claims, contagion
from ...models.bridges import bridge_outcome, long_tie_sweep
from .. import checks
from ..checks import (
    Choice,
    Classification,
    Exercise,
    Function,
    GraphProperty,
    Prediction,
    Reflection,
    Value,
)
from .assumptions import BreakClaim

__all__ = [
    "EXERCISE",
    "LESSON",
    "BridgePuzzle",
    "FewestTiesBreak",
    "LongTieDesign",
    "brokerage_measures",
]

#: Teams in the lesson's organisation: an executive can have an informal tie into each.
TEAMS = 6


def brokerage_measures(G, v):
    """Return [betweenness, constraint, effective size] of person `v` in `G` (networkx)."""
    return [nx.betweenness_centrality(G)[v], nx.constraint(G)[v], nx.effective_size(G)[v]]


def _cases():
    return (
        (nx.barbell_graph(5, 0), 4),
        (nx.star_graph(4), 0),
        (nx.path_graph(5), 2),
        (nx.karate_club_graph(), 0),
        (nx.karate_club_graph(), 33),
    )


@dataclass(frozen=True, eq=False)
class BridgePuzzle(checks.Question):
    """Three ties from three different people of team A that carry a complex practice into team B.

    Judged by simulating the learner's ties with `senge_course.models.bridges.bridge_outcome`
    (the teams of `BridgeExplorer`, a practice needing two committed contacts).
    """

    remembers = True  # the judge runs a model: each distinct answer once

    def judge(self, answer):
        if not isinstance(answer, list) or not all(
            isinstance(t, list) and len(t) == 2 for t in answer
        ):
            return self._outcome(
                checks.INCORRECT,
                f"Expected a list of three ties such as [('A1', 'B1'), ('A2', 'B1'), ('A3', 'B2')], "
                f"but {self.name} is {answer!r}.",
            )
        if len(answer) != 3:
            return self._outcome(
                checks.INCORRECT, f"Use the whole budget: exactly 3 ties, not {len(answer)}."
            )
        try:
            outcome = bridge_outcome([tuple(t) for t in answer])
        except (TypeError, ValueError) as exc:
            return self._outcome(checks.INCORRECT, f"These ties cannot be placed: {exc}.")
        ends = [a for a, _ in outcome.ties]
        if len(set(ends)) < 3:
            repeated = sorted({a for a in ends if ends.count(a) > 1})
            return self._outcome(
                checks.INCORRECT,
                f"{', '.join(repeated)} holds more than one tie: each tie must come from a "
                "different person of team A (three colleagues, one contact each).",
            )
        said = outcome.summary
        if outcome.crossed:
            return self._outcome(
                checks.CORRECT,
                f"{said} Two ties land on one person, who then hears the practice from two "
                "colleagues; the third lands on her neighbour, who hears it from team A and from "
                "her: together they tip the rest of the team.",
            )
        return self._outcome(
            checks.INCORRECT,
            f"{said} Someone in team B must hear it from two committed contacts at once, and a "
            "neighbour of hers must be next.",
        )


def _three_on_one_commits():
    return bridge_outcome([("A1", "B1"), ("A2", "B1"), ("A3", "B1")]).team_b_committed


@lru_cache(maxsize=1)
def _fewest_executive_ties():
    """The fewest informal ties per executive at which `leaders.informal-brokers` fails."""
    claim = claims.get("leaders.informal-brokers")
    return next(t for t in range(1, TEAMS + 1) if not claim.holds(executive_ties=t))


@dataclass(frozen=True, eq=False)
class FewestTiesBreak(BreakClaim):
    """Break `leaders.informal-brokers` with the fewest informal ties per executive.

    Judged as `BreakClaim` (the claim's own check reruns at the learner's setting), and then
    correct only at the smallest number of ties that breaks it: a larger number breaks it too,
    and the learner is asked whether fewer would do.
    """

    def judge(self, answer):
        ties = answer.get("executive_ties") if isinstance(answer, dict) else None
        if isinstance(ties, float) and ties.is_integer():  # 2.0 means 2
            ties = int(ties)
            answer = {**answer, "executive_ties": ties}
        whole = isinstance(ties, Integral) and not isinstance(ties, bool)
        if isinstance(answer, dict) and ties is not None and (not whole or not 0 <= ties <= TEAMS):
            return self._not_yet(
                f"executive_ties is a whole number of teams from 0 to {TEAMS} (one informal tie "
                f"into each), not {ties!r}."
            )
        outcome = super().judge(answer)
        if outcome.status == checks.CORRECT and ties > _fewest_executive_ties():
            return self._not_yet(
                f"{outcome.message} But could fewer ties do it? Find the fewest that break it."
            )
        if outcome.status == checks.CORRECT:
            return self._outcome(
                checks.CORRECT,
                f"{outcome.message} With one informal tie an executive is a dead end: no path "
                "between two other people runs through them. From two ties on, the executives' "
                "ties open new paths between teams, and a person of rank enters the 8 best-placed "
                "brokers: what the claim rests on is that executives have no informal ties.",
            )
        return outcome


def best_placed_carrier():
    """The model's answer to ``prediction_networker``: the option of `NETWORKER_OPTIONS` for the
    person with the highest betweenness on the informal network of the lesson's organisation
    (seed 1): an executive, a line leader or a team member."""
    from ...models import brokerage, org

    rows = brokerage.brokerage(org.organisation(seed=1), kinds=("informal", "bridge"))
    top = min(rows, key=lambda r: (-r.betweenness, r.person))
    return {"executive": "a", "line_leader": "b"}.get(top.role, "c")


#: Each option of `BRIDGE_OPTIONS` as a named placement of `senge_course.models.bridges`.
BRIDGE_PLACEMENTS = {"a": "one long tie", "b": "spread out", "c": "wide bridge"}


def carrying_bridge():
    """The model's answer to ``prediction_bridge``: the placement that commits the most of team
    B to a complex practice (two committed contacts)."""
    from ...models.bridges import bridge_ties

    committed = {
        key: bridge_outcome(bridge_ties(placement)).team_b_committed
        for key, placement in BRIDGE_PLACEMENTS.items()
    }
    return max(committed, key=committed.get)


def _crosses(G):
    if set(G) != set(range(20)):
        return False
    r = contagion.simulate(G, 2, list(range(10)), absolute=True)
    return bool(all(r.committed[r.nodes.index(v)] for v in range(10, 20)))


def _team_connected(G, people):
    return set(people) <= set(G) and nx.is_connected(G.subgraph(people))


def _long_ties_design(p):
    return long_tie_sweep((p,), k=6).at(p)


@dataclass(frozen=True, eq=False)
class LongTieDesign(checks.Question):
    """Choose a share `p` of long ties on a ring of 200 people with 6 ties each, so that news (a
    simple practice) reaches 90% of people within `rounds` rounds on average and a complex
    practice still reaches everyone in every network.  Judged by running the learner's `p`
    with `senge_course.models.bridges.long_tie_sweep` (10 networks, seed 1).
    """

    remembers = True  # the judge runs a model: each distinct answer once

    rounds: float = 6.0

    def judge(self, answer):
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return self._not_yet(f"Give p as a number from 0 to 1; {self.name} is {answer!r}.")
        if not 0 <= answer <= 1:
            return self._not_yet(f"p is a share of ties, from 0 to 1; {self.name} is {answer:g}.")
        outcome = _long_ties_design(float(answer))
        (_, fast), (reach, _) = outcome["simple"], outcome["complex"]
        news = (
            "never reaches 90% of people"
            if math.isnan(fast)
            else f"reaches 90% of people in {fast:.1f} rounds on average"
        )
        share = f"{reach:.0%}" if reach == 1.0 or reach < 0.99 else f"{reach:.1%}"
        said = (
            f"With p = {answer:g} and 6 ties per person, the news {news}, and the complex "
            f"practice reaches {share} of people."
        )
        slow = math.isnan(fast) or fast > self.rounds
        if reach < 1.0 and slow:
            return self._not_yet(f"{said} Neither goal is met: look at the hints.")
        if reach < 1.0:
            return self._not_yet(
                f"{said} The news is fast enough, but too many local ties are gone for the "
                "complex practice: use fewer long ties."
            )
        if slow:
            return self._not_yet(
                f"{said} The practice still reaches everyone, but the news is too slow: more "
                "long ties would shorten its way."
            )
        return self._outcome(
            checks.CORRECT,
            f"{said} With 3 colleagues on either side, neighbours share enough contacts that "
            "a share of long ties speeds the news and leaves the practice wide paths; push p "
            "much further and the practice stalls, as on the lesson's ring of 4.",
        )


#: People described by their place in the informal network, with Cross & Prusak's (2002) role.
PEOPLE = {
    "Ana: everyone in her team goes to her; she has the most ties inside it": "central connector",
    "Ben: has close colleagues in two other departments he talks to every week": "boundary spanner",
    "Chen: a few ties, but to people in separate groups who do not know each other": (
        "information broker"
    ),
    "Dee: an expert with one tie, consulted now and then": "peripheral specialist",
    "Eli: the only person in his team whom people in the plant talk to": "boundary spanner",
}

#: The lesson's two predictions, asked again in the exercise (recorded, not scored).
NETWORKER_OPTIONS = {
    "a": "an executive",
    "b": "a line leader",
    "c": "a team member whose everyday ties reach other teams",
}
BRIDGE_OPTIONS = {
    "a": "one tie only",
    "b": "three ties to three people far apart",
    "c": "two ties to one person and the third to her neighbour",
}

REFLECTION_CRITERIA = (
    "names a role (not a person) and the groups it connects",
    "says whether the bridge is wide: counts the ties and whether they land on people who work "
    "together",
    "uses a result of the lesson (wide bridges, long ties, or rank is not reach)",
    "names what the model leaves out that matters in that organisation",
)

EXERCISE = Exercise(
    "04",
    [
        Prediction(
            "prediction_networker",
            options=NETWORKER_OPTIONS,
            prompt="Who is best placed to carry a new practice from team to team?",
            outcome=best_placed_carrier,
            followup="answer_q6",  # what 'rank is not reach' rests on
        ),
        Prediction(
            "prediction_bridge",
            options=BRIDGE_OPTIONS,
            prompt="With three ties between two teams, which placement carries a practice that "
            "needs two committed colleagues?",
            outcome=carrying_bridge,
            followup="answer_q5",  # three ties on one person
        ),
        Choice(
            "answer_q3",
            kind="recall",
            prompt="Krackhardt & Hanson (1993) map three informal networks. Which one shows who "
            "people go to for help with a technical problem?",
            options={
                "a": "Yes: the advice network maps who depends on whom to solve problems.",
                "b": "Not quite: the trust network shows who confides in whom and who would back "
                "whom in a crisis; people may trust a colleague they never ask for help.",
                "c": "Not quite: the communication network shows who talks about work every day; "
                "talking often is not the same as going to someone with a problem.",
            },
            answer="a",
            hints=(
                "Reread section 1 of the lesson: the three networks behind the chart.",
                "Help with a technical problem is a kind of advice.",
            ),
        ),
        Classification(
            "answer_q4",
            kind="recall",
            items=PEOPLE,
            labels=(
                "central connector",
                "boundary spanner",
                "information broker",
                "peripheral specialist",
            ),
            # Eli is the only link between his team and the plant: he also sits on a
            # structural hole, so "information broker" is defensible.
            alternatives={
                "Eli: the only person in his team whom people in the plant talk to": (
                    "information broker",
                ),
            },
            prompt="Which of Cross & Prusak's (2002) roles does each person play?",
            hints=(
                "Ties to other groups: boundary spanner. Ties linking people who are not "
                "otherwise linked: information broker.",
                "Many ties inside one's own group: central connector. Few ties, valued "
                "expertise: peripheral specialist.",
            ),
        ),
        Value(
            "answer_q5",
            expected=_three_on_one_commits,
            kind="reasoning",
            prompt="Three people of team A, A1, A2 and A3, each lay a tie to the same person, B1. "
            "The practice is complex (two committed contacts). Before you run anything: how many "
            "people of team B commit?",
            hints=(
                "Count, for B1 and then for each of her neighbours in team B, how many committed "
                "contacts they have.",
                "B1 hears it three times. Her neighbours each know her, and who else that is "
                "committed?",
            ),
            solution="answer_q5 = 1",
            explanation="Only B1 commits. She hears it three times, once more than she needs: the "
            "third tie is wasted. Each of her neighbours has one committed contact (B1) and no "
            "tie to team A, one short of two. Width is not the number of ties: they must land "
            "on people who work together.",
        ),
        FewestTiesBreak(
            "answer_q6",
            claim="leaders.informal-brokers",
            kind="reasoning",
            prompt="The claim 'rank is not reach' (on the informal network, the 8 best-placed "
            "brokers are all team members) rests on one assumption about executives. Break it "
            "with one change, using the fewest informal ties per executive that do it.",
            hints=(
                "Betweenness counts the shortest paths between other people that run through "
                "someone. On the informal network, what are our executives' ties?",
                "An executive with one informal tie is a dead end: no path between two others "
                "runs through them. Try the next number up, and read the model's numbers in the "
                "check's answer.",
            ),
            solution='answer_q6 = {"executive_ties": 2}',
        ),
        Function(
            "brokerage_measures",
            kind="procedure",
            cases=_cases,
            reference=brokerage_measures,
            rtol=1e-6,
            atol=1e-9,
            prompt="Write brokerage_measures(G, v): [betweenness, constraint, effective size] "
            "of person v, computed with networkx.",
            hints=(
                "nx.betweenness_centrality(G), nx.constraint(G) and nx.effective_size(G) each "
                "return a dictionary person -> value.",
                "return [nx.betweenness_centrality(G)[v], nx.constraint(G)[v], "
                "nx.effective_size(G)[v]]",
            ),
            solution="""
            def brokerage_measures(G, v):
                return [
                    nx.betweenness_centrality(G)[v],
                    nx.constraint(G)[v],
                    nx.effective_size(G)[v],
                ]
            """,
        ),
        GraphProperty(
            "G_q8",
            kind="design",
            properties=(
                (
                    "has people 0 to 19 (team A: 0-9, team B: 10-19)",
                    lambda G: set(G) == set(range(20)),
                ),
                (
                    "keeps each team connected inside",
                    lambda G: _team_connected(G, range(10)) and _team_connected(G, range(10, 20)),
                ),
                (
                    "has at most 3 ties between the teams",
                    lambda G: sum(1 for u, v in G.edges() if (u < 10) != (v < 10)) <= 3,
                ),
                (
                    "carries a practice needing 2 committed contacts from all of team A to all "
                    "of team B",
                    _crosses,
                ),
            ),
            prompt="Build two teams of 10 (people 0-9 and 10-19) joined by at most 3 ties, so "
            "that a practice needing two committed contacts, started by all of team A, reaches "
            "everyone in team B.",
            hints=(
                "Make each team a ring where everyone knows two colleagues on each side: "
                "A = nx.circulant_graph(10, [1, 2]); G_q8 = nx.disjoint_union(A, A).",
                "Then add a wide bridge: two ties on person 10 and one on her neighbour 11.",
            ),
            solution="""
            A = nx.circulant_graph(10, [1, 2])
            G_q8 = nx.disjoint_union(A, A)
            G_q8.add_edges_from([(0, 10), (1, 10), (1, 11)])
            """,
        ),
        LongTieDesign(
            "answer_q9",
            kind="design",
            prompt="On a ring of 200 people who each work closely with 3 colleagues on either "
            "side (6 ties), choose the share p of ties to turn into long ties so that news "
            "reaches 90% of people within 6 rounds on average, while a complex practice still "
            "reaches everyone.",
            hints=(
                "Long ties shorten the news's way; every long tie is also a tie between "
                "neighbours lost. With no long ties the news needs 30 rounds; with all ties long "
                "the practice stalls. Start in between and read the check's numbers.",
                "Move p up while the practice still reaches everyone, down once it stalls; the "
                "window is narrow, a few hundredths wide, somewhat above a tenth.",
            ),
            solution="answer_q9 = 0.14",
        ),
        Reflection(
            "reflection_q10",
            min_words=30,
            criteria=REFLECTION_CRITERIA,
            prompt="Who are the internal networkers in an organisation you know? Name their "
            "role (not their name), which groups they connect, and whether their bridges are "
            "wide enough to carry a practice people adopt only once several colleagues have.",
            hints=(
                "Think of who people go to for advice across departments, whatever their rank.",
                "Wide means several ties landing on people who work together; count them.",
            ),
        ),
    ],
)

#: The checked questions inside lesson 04.
LESSON = Exercise(
    "04",
    [
        Choice(
            "why_wide",
            kind="reasoning",
            prompt="Why does a wide bridge carry the complex practice into team B, while the "
            "same three ties spread out carry nothing?",
            options={
                "a": "Not quite: spread out, the ties reach three people of team B, more than the "
                "wide bridge's two, and still nobody commits; how many people hear of the "
                "practice is not what decides it.",
                "b": "Yes: B1 gets two committed contacts, then her neighbour B2 has two as well "
                "(A2 and B1); spread out, nobody in team B ever has two.",
                "c": "Not quite: A2 holds two of the wide bridge's ties, but in the model every "
                "committed contact counts the same, whoever it is; what matters is where the "
                "ties land in team B.",
            },
            answer="b",
            hints=(
                "Count, for each person of team B, how many committed contacts they have once "
                "the ties are in place.",
                "Who in team B has two committed contacts with the spread-out ties?",
            ),
        ),
        BridgePuzzle(
            "my_ties",
            kind="design",
            prompt="Place three ties, each from a different person of team A, so that a complex "
            "practice reaches all of team B.",
            hints=(
                "Some person of team B needs two ties; the third tie goes to a neighbour of hers "
                "(one or two places along the ring).",
                "For example A1-B1 and A2-B1, then A3 to B1's neighbour B2.",
            ),
            solution='my_ties = [("A1", "B1"), ("A2", "B1"), ("A3", "B2")]',
        ),
        Choice(
            "why_long_ties",
            kind="reasoning",
            prompt="Rewiring a share of the ties into long ties speeds the simple practice. Why "
            "does it stop the complex one?",
            options={
                "a": "Yes: each long tie is a tie between neighbours lost, and the complex "
                "practice needs two committed contacts among one's neighbours.",
                "b": "Not quite: the model gives every tie the same weight, so nothing is "
                "diluted along a long tie; the practice arrives just as strong, and the person at "
                "the far end still hears it from one contact only.",
                "c": "Not quite: everyone keeps 4 ties when ties are rewired, so nobody has fewer "
                "contacts; what changes is whether a person's contacts know each other.",
            },
            answer="a",
            hints=(
                "What does a complex practice need from a person's contacts?",
                "What happens to ties between neighbours when ties are rewired?",
            ),
        ),
    ],
)
