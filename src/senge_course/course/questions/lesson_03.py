"""Lesson 03's questions: the cascade window, local stability, pilot groups and seed size.

The puzzle reruns the very simulations `CascadeExplorer` shows, so an answer read off the widget
is judged by what the widget showed.
"""

from dataclasses import dataclass
from numbers import Real

from ...models import cascades, contagion
from ...models.cascades import CASCADE_CONTROLS, GLOBAL_SHARE, simulated_cascades
from .. import checks
from ..checks import Choice, Classification, Exercise, GraphProperty, Reflection, Value

__all__ = ["EXERCISE", "LESSON", "PilotPuzzle"]

#: The puzzle's win condition: at most this many of 100 lone-champion runs go global ...
LONE_AT_MOST = 5
#: ... and at least this many of 100 runs started by a pilot group of `PILOT_SIZE` do.
PILOT_AT_LEAST = 50
PILOT_SIZE = 10


@dataclass(frozen=True, eq=False)
class PilotPuzzle(checks.Question):
    """A mean degree at which a lone champion almost never starts a cascade but a pilot group does.

    Judged by rerunning `CascadeExplorer`'s default batches (threshold 0.18, 2000 people, 100
    runs, seed 1) at the learner's mean degree, rounded to 0.1 as on the slider.  The batches are
    cached (`senge_course.models.cascades.simulated_cascades`): a grading run simulates each
    distinct answer once.
    """

    def judge(self, answer):
        if isinstance(answer, bool) or not isinstance(answer, Real):
            return self._outcome(
                checks.INCORRECT,
                f"Expected a mean degree (a number such as 5.5), but {self.name} is {answer!r}.",
            )
        z, offered = round(float(answer), 1), CASCADE_CONTROLS["z"]
        if not offered.low <= z <= offered.high:
            return self._outcome(
                checks.INCORRECT,
                f"Choose a mean degree the explorer offers, {offered.low:g} to {offered.high:g}; "
                f"got {z:g}.",
            )
        lone, pilot = (
            int((simulated_cascades(z, start=start, size=PILOT_SIZE) >= GLOBAL_SHARE).sum())
            for start in ("lone champion", "pilot group")
        )
        said = (
            f"At z = {z:g} a lone champion set off a global cascade in {lone} of 100 runs and a "
            f"pilot group of {PILOT_SIZE} in {pilot} of 100."
        )
        won = lone <= LONE_AT_MOST and pilot >= PILOT_AT_LEAST
        if won:
            advice = (
                "Above the window one committed contact is too small a share of anyone's network, "
                "but a pilot group gives its neighbours several committed contacts at once."
            )
        elif lone > LONE_AT_MOST:
            advice = (
                f"The lone champion still succeeds too often (more than {LONE_AT_MOST}): try a "
                "larger mean degree."
            )
        else:
            advice = (
                f"The pilot group succeeds in fewer than {PILOT_AT_LEAST} runs: try a smaller "
                "mean degree, just above the window."
            )
        return self._outcome(checks.CORRECT if won else checks.INCORRECT, f"{said} {advice}")


def _lone_frequency_at_z3():
    G = cascades.random_network(2000, 3, seed=1)
    batch = contagion.simulate_many(G, 0.18, contagion.RandomStarters(count=1), runs=200, seed=2)
    return float((batch.final_fraction >= cascades.GLOBAL_SHARE).mean())


def _critical_seed_share():
    low, high = 0.0, 0.1
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if cascades.final_size(10, 0.18, mid) <= 0.5 else (low, mid)
    return round(high, 5)


def _final(G, starters):
    return contagion.simulate(G, 0.5, starters).final_fraction


#: Starts of a practice, labelled by what Watts's and Gleeson & Cahalane's theory predicts.
SCENARIOS = {
    "phi 0.18, mean degree 4, one random champion": "global",
    "phi 0.18, mean degree 10, one random champion": "stalls",
    "phi 0.30, mean degree 4, one random champion": "stalls",
    "phi 0.18, mean degree 0.8, one random champion": "stalls",
    "phi 0.18, mean degree 10, 3% of people at random": "global",
    "phi 0.18, mean degree 10, 1% of people at random": "stalls",
}

EXERCISE = Exercise(
    "03",
    [
        Choice(
            "answer_q1",
            prompt="Everyone's threshold is 0.18. At which mean degree is a lone champion most "
            "likely to set off a global cascade?",
            options={
                "a": "Not quite: with 1.5 contacts on average the network is in pieces, and many "
                "champions sit in a small piece.",
                "b": "Yes: with about 3 contacts most people are vulnerable (one committed contact "
                "is a third of their network) and the network hangs together.",
                "c": "Not quite: with 8 contacts one committed contact is 1/8 = 0.125 of a "
                "typical network, below 0.18: nobody is convinced by one contact.",
            },
            answer="b",
            hints=(
                "Look at the theory curve in the CascadeExplorer for phi = 0.18.",
                "The curve is zero at both ends of the window.",
            ),
        ),
        Value(
            "answer_q2",
            expected=lambda: round(cascades.cascade_window(0.15)[1], 4),
            atol=0.1,
            prompt="What is the upper edge of the cascade window when everyone's threshold is "
            "0.15? Read it from the CascadeExplorer (to 0.1).",
            hints=(
                "Set the threshold to 0.15: the box at the top left of the plot shows the window.",
                "Or compute it: cascade_window(0.15) returns (lower edge, upper edge).",
            ),
            solution="answer_q2 = 7.48",
            explanation="For phi = 0.15 the window runs up to a mean degree of about 7.48: lower "
            "thresholds keep people vulnerable in denser networks.",
        ),
        Classification(
            "answer_q3",
            items=SCENARIOS,
            labels=("global", "stalls"),
            prompt="For each start on a large random network, does theory predict a global "
            "cascade (likely) or a stall?",
            hints=(
                "One random champion: is the mean degree inside the window for that threshold "
                "(for 0.18, about 1.02 to 5.76; above 0.25 there is no window)?",
                "A share of people at random (Gleeson & Cahalane): at mean degree 10 and "
                "threshold 0.18 a start above about 1.2% tips the network.",
            ),
        ),
        Value(
            "answer_q4",
            expected=_lone_frequency_at_z3,
            atol=0.07,
            prompt="Build G = random_network(2000, 3, seed=1) and run 200 runs of simulate_many "
            "with threshold 0.18 from one random champion (RandomStarters(count=1), seed=2). What "
            "share of the runs reach at least 10% of people?",
            hints=(
                "batch = simulate_many(G, 0.18, RandomStarters(count=1), runs=200, seed=2)",
                "(batch.final_fraction >= 0.1).mean() is the share of runs that went global.",
            ),
            solution="""
            G = random_network(2000, 3, seed=1)
            batch = simulate_many(G, 0.18, RandomStarters(count=1), runs=200, seed=2)
            answer_q4 = float((batch.final_fraction >= 0.1).mean())
            """,
            explanation="About 86% of single champions set off a global cascade at mean degree "
            "3; theory (Watts 2002) says 87%.",
        ),
        Value(
            "answer_q5",
            expected=_critical_seed_share,
            atol=0.001,
            prompt="At mean degree 10 and threshold 0.18 a lone champion cannot start a cascade. "
            "Use final_size to find the smallest share of people started at random for which "
            "final_size(10, 0.18, share) is above 0.5 (to 0.001).",
            hints=(
                "final_size(10, 0.18, 0.01) is small and final_size(10, 0.18, 0.03) is nearly 1: "
                "the answer is in between.",
                "Loop over numpy.arange(0.01, 0.03, 0.0005) and keep the first share whose final "
                "size is above 0.5, or bisect.",
            ),
            solution="""
            for share in np.arange(0.01, 0.03, 0.0005):
                if final_size(10, 0.18, share) > 0.5:
                    answer_q5 = round(float(share), 4)
                    break
            """,
            explanation="Starting about 1.2% of people at random tips the dense network "
            "(Gleeson & Cahalane 2007): seed size matters even where a single seed never can.",
        ),
        GraphProperty(
            "G_q6",
            properties=(
                ("has 6 to 30 people", lambda G: 6 <= len(G) <= 30),
                ("has people 0, 1 and 2", lambda G: all(v in G for v in (0, 1, 2))),
                (
                    "leaves a lone champion (person 0) alone at threshold 0.5",
                    lambda G: all(v in G for v in (0, 1, 2)) and _final(G, [0]) == 1 / len(G),
                ),
                (
                    "lets the pilot group [0, 1, 2] convince everyone at threshold 0.5",
                    lambda G: all(v in G for v in (0, 1, 2)) and _final(G, [0, 1, 2]) == 1.0,
                ),
            ),
            prompt="Build a network of 6 to 30 people in which, with threshold 0.5 for everyone, "
            "person 0 alone convinces nobody but the pilot group [0, 1, 2] convinces everyone.",
            hints=(
                "Everyone needs half their contacts committed: give each person 4 contacts, so "
                "one committed contact is not enough but two are.",
                "A ring where everyone knows the two people on each side: "
                "nx.circulant_graph(10, [1, 2]).",
            ),
            solution="G_q6 = nx.circulant_graph(10, [1, 2])",
        ),
        Reflection(
            "reflection_q7",
            min_words=30,
            prompt="In Senge's later writing (Senge, 1996; Senge et al., 1999), line leaders start "
            "new practices in pilot groups. Describe a pilot group you could start in an organisation you know: who would be in it, whose "
            "thresholds would it lower, and how would the practice cross to the next team?",
            hints=("Name the group, the practice, and the first team outside it to reach.",),
        ),
    ],
)

#: The checked questions inside lesson 03: local stability, and the pilot-group puzzle.
LESSON = Exercise(
    "03",
    [
        Choice(
            "why_dense_resists",
            prompt="With threshold 0.18, why does a lone champion almost never start a cascade "
            "when people have 8 contacts on average?",
            options={
                "a": "Not quite: with 8 contacts each the network hangs together well; that is "
                "the problem at the lower edge (about 1 contact).",
                "b": "Yes: one committed contact is about 1/8 = 0.125 of a typical person's "
                "network, below their threshold of 0.18, so nobody is convinced by one contact "
                "alone (local stability).",
                "c": "Not quite: the network has as many people as before; the practice stalls "
                "next to the champion.",
            },
            answer="b",
            hints=(
                "How large a share of a person's contacts is one committed contact, with 8 "
                "contacts?",
                "Compare that share with the threshold 0.18.",
            ),
        ),
        PilotPuzzle(
            "z_puzzle",
            prompt="Find a mean degree at which a lone champion sets off a global cascade in at "
            f"most {LONE_AT_MOST} of 100 runs, but a pilot group of {PILOT_SIZE} in at least "
            f"{PILOT_AT_LEAST}.",
            hints=(
                "Start just above the window's upper edge (5.76 for threshold 0.18) and compare "
                "'lone champion' with 'pilot group' (group size 10) at each mean degree.",
                "Try mean degrees between 6.5 and 7.2.",
            ),
            solution="z_puzzle = 6.8  # lone champion: 1 of 100 runs; pilot group of 10: 76",
        ),
    ],
)
