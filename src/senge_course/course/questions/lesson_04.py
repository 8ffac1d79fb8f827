"""Lesson 04's questions: internal networkers, brokerage measures and wide bridges.

The three-tie puzzle is judged by simulating the learner's ties; expected numbers come from the
models, so they cannot drift from what the widgets show.
"""

from dataclasses import dataclass

import networkx as nx

from ...models import contagion, topologies
from ...models.bridges import bridge_outcome, bridge_ties
from .. import checks
from ..checks import Choice, Classification, Exercise, Function, GraphProperty, Reflection, Value

__all__ = ["EXERCISE", "LESSON", "BridgePuzzle", "brokerage_measures"]


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


def _width_two_commits():
    return bridge_outcome(bridge_ties("two on one, one far")).team_b_committed


def _complex_share_at_p(p=0.1):
    G = topologies.rewired(topologies.ring_lattice(200, 4), p, seed=1)
    return contagion.simulate(G, 2, [0, 1], absolute=True).final_fraction


def _crosses(G):
    if set(G) != set(range(20)):
        return False
    r = contagion.simulate(G, 2, list(range(10)), absolute=True)
    return bool(all(r.committed[r.nodes.index(v)] for v in range(10, 20)))


def _team_connected(G, people):
    return set(people) <= set(G) and nx.is_connected(G.subgraph(people))


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

EXERCISE = Exercise(
    "04",
    [
        Choice(
            "answer_q1",
            prompt="Krackhardt & Hanson (1993) map three informal networks. Which one shows who "
            "people go to for help with a technical problem?",
            options={
                "a": "Yes: the advice network shows who people depend on to solve problems and "
                "get technical information.",
                "b": "Not quite: the trust network shows who shares delicate information and "
                "backs whom in a crisis.",
                "c": "Not quite: the communication network shows who talks about work regularly.",
            },
            answer="a",
            hints=(
                "Reread section 1 of the lesson: the three networks behind the chart.",
                "Help with a technical problem is advice.",
            ),
        ),
        Classification(
            "answer_q2",
            items=PEOPLE,
            labels=(
                "central connector",
                "boundary spanner",
                "information broker",
                "peripheral specialist",
            ),
            prompt="Which of Cross & Prusak's (2002) roles does each person play?",
            hints=(
                "Ties to other groups: boundary spanner. Ties linking people who are not "
                "otherwise linked: information broker.",
                "Many ties inside one's own group: central connector. Few ties, valued "
                "expertise: peripheral specialist.",
            ),
        ),
        Value(
            "answer_q3",
            expected=_width_two_commits,
            prompt="In the BridgeExplorer, choose 'two on one, one far' with the complex "
            "practice. How many people of team B commit?",
            hints=(
                "Click 'two on one, one far' and read the line under the drawing.",
                "Only the person who hears it from two colleagues commits.",
            ),
            solution="answer_q3 = 1",
            explanation="Only B1 commits: she hears it from two people of team A; each of her "
            "neighbours hears it from her alone, one contact short.",
        ),
        Function(
            "brokerage_measures",
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
            "G_q5",
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
                "A = nx.circulant_graph(10, [1, 2]); G_q5 = nx.disjoint_union(A, A).",
                "Then add a wide bridge: two ties on person 10 and one on her neighbour 11.",
            ),
            solution="""
            A = nx.circulant_graph(10, [1, 2])
            G_q5 = nx.disjoint_union(A, A)
            G_q5.add_edges_from([(0, 10), (1, 10), (1, 11)])
            """,
        ),
        Value(
            "answer_q6",
            expected=_complex_share_at_p,
            atol=0.005,
            prompt="Rewire topologies.ring_lattice(200, 4) with p = 0.1 (topologies.rewired(..., 0.1, seed=1)) "
            "and run a complex practice (absolute threshold 2) from people 0 and 1. What share "
            "of people adopt?",
            hints=(
                "G = topologies.rewired(topologies.ring_lattice(200, 4), 0.1, seed=1)",
                "contagion.simulate(G, 2, [0, 1], absolute=True).final_fraction",
            ),
            solution="""
            G = topologies.rewired(topologies.ring_lattice(200, 4), 0.1, seed=1)
            answer_q6 = contagion.simulate(G, 2, [0, 1], absolute=True).final_fraction
            """,
            explanation="Only 12% adopt: one tie in ten is a long tie, and every long tie is a "
            "local tie lost, so the complex practice soon finds someone with only one committed "
            "neighbour. A simple practice reaches everyone on the same network.",
        ),
        Reflection(
            "reflection_q7",
            min_words=30,
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
            prompt="Why does a wide bridge carry the complex practice into team B, while the "
            "same three ties spread out carry nothing?",
            options={
                "a": "Not quite: the spread-out ties reach three people, more than the wide "
                "bridge's two; reach alone is not what matters.",
                "b": "Yes: a complex practice needs two committed contacts. The wide bridge gives "
                "one person two, and lands its third tie on her neighbour, who then has two as "
                "well; spread out, everyone in team B hears it from one contact only.",
                "c": "Not quite: the two teams are the same size and shape in both cases.",
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
            prompt="Rewiring a share of the ties into long ties speeds the simple practice. Why "
            "does it stop the complex one?",
            options={
                "a": "Yes: each long tie replaces a tie between neighbours. The complex practice "
                "needs two committed contacts among one's neighbours, and once neighbours share "
                "too few ties, the next person hears it from only one.",
                "b": "Not quite: everyone keeps the same number of ties when ties are rewired.",
                "c": "Not quite: long ties make paths shorter, which helps any practice that can "
                "cross them; the complex practice cannot cross a single tie.",
            },
            answer="a",
            hints=(
                "What does a complex practice need from a person's contacts?",
                "What happens to ties between neighbours when ties are rewired?",
            ),
        ),
    ],
)
