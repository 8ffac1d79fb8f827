"""Lesson 03's questions: the cascade window, local stability, pilot groups and seed size.

The puzzles rerun the very simulations `CascadeExplorer` and `PilotExplorer` show, so an answer
read off a widget is judged by what the widget showed, and any answer that works is accepted.
Their batches are cached (`senge_course.models.cascades`): grading a class simulates each
distinct answer once.  Feedback reports what the model did at the learner's answer, never the
expected answer.
"""

from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral, Real

from ...models import cascades, contagion
from ...models.cascades import CASCADE_CONTROLS, GLOBAL_SHARE, STARTS, simulated_cascades
from .. import checks
from ..checks import Choice, Classification, Exercise, GraphProperty, Prediction, Reflection, Value
from .assumptions import BreakClaim

__all__ = [
    "CAUSES",
    "EXERCISE",
    "LESSON",
    "PilotPuzzle",
    "StartDesign",
    "cause",
]

#: The puzzle's win condition: at most this many of 100 lone-champion runs go global ...
LONE_AT_MOST = 5
#: ... and at least this many of 100 runs started by a pilot group of `PILOT_SIZE` do.
PILOT_AT_LEAST = 50
PILOT_SIZE = 10

#: The design question: far above the window (mean degree `DESIGN_Z`, threshold 0.18), start at
#: most `DESIGN_BUDGET` people so that at least `DESIGN_AT_LEAST` of 100 runs go global.
DESIGN_Z, DESIGN_BUDGET, DESIGN_AT_LEAST = 9.0, 25, 70


def _global_runs(z, **kwargs):
    return int((simulated_cascades(z, **kwargs) >= GLOBAL_SHARE).sum())


@dataclass(frozen=True, eq=False)
class PilotPuzzle(checks.Question):
    """A mean degree at which a lone champion almost never starts a cascade but a pilot group does.

    Judged by rerunning `CascadeExplorer`'s default batches (threshold 0.18, 2000 people, 100
    runs, seed 1) at the learner's mean degree, rounded to 0.1 as on the slider.  The batches are
    cached (`senge_course.models.cascades.simulated_cascades`): a grading run simulates each
    distinct answer once.
    """

    remembers = True  # the judge runs a model: each distinct answer once

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
        lone = _global_runs(z)
        pilot = _global_runs(z, start="pilot group", size=PILOT_SIZE)
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


@dataclass(frozen=True, eq=False)
class StartDesign(checks.Question):
    """A start of at most `budget` people that sets off a global cascade in `at_least` of 100 runs.

    The answer is a dict ``{"start": "pilot group" or "scattered", "size": people}``.  Judged by
    rerunning `CascadeExplorer`'s batches (threshold 0.18, 2000 people, 100 runs, seed 1) at mean
    degree `z` with the learner's start, so what the explorer showed is what counts.

    >>> q = StartDesign("plan", z=9.0, budget=25, at_least=70)
    >>> q.evaluate({"plan": {"start": "scattered", "size": 40}}).message
    'Your start uses 40 people; the budget is 25 at most.'
    """

    remembers = True  # the judge runs a model: each distinct answer once

    z: float = DESIGN_Z
    budget: int = DESIGN_BUDGET
    at_least: int = DESIGN_AT_LEAST

    def judge(self, answer):
        example = '{"start": "pilot group", "size": 10}'
        if not isinstance(answer, dict) or set(answer) != {"start", "size"}:
            return self._outcome(
                checks.INCORRECT,
                f"Give a dictionary with a start and a size, such as {example}; "
                f"{self.name} is {answer!r}.",
            )
        start = checks.option_key(answer["start"], list(STARTS))
        if start is None:
            starts = ", ".join(repr(s) for s in STARTS)
            return self._outcome(
                checks.INCORRECT, f"The start must be one of {starts}, got {answer['start']!r}."
            )
        size = answer["size"]
        if isinstance(size, float) and size.is_integer():
            size = int(size)
        if start == "lone champion":
            size = 1
        if isinstance(size, bool) or not isinstance(size, Integral) or size < 1:
            return self._outcome(
                checks.INCORRECT, f"The size must be a whole number of people, got {size!r}."
            )
        if size > self.budget:
            return self._outcome(
                checks.INCORRECT,
                f"Your start uses {size} people; the budget is {self.budget} at most.",
            )
        runs = _global_runs(self.z, start=start, size=size)
        who = {
            "lone champion": "a lone champion",
            "pilot group": f"a pilot group of {size}",
            "scattered": f"{size} scattered champions",
        }[start]
        said = f"At mean degree {self.z:g}, {who} set off a global cascade in {runs} of 100 runs."
        if runs >= self.at_least:
            return self._outcome(checks.CORRECT, said)
        return self._not_yet(f"{said} You need at least {self.at_least}.")


@lru_cache(maxsize=1)
def _critical_seed_share():
    """The smallest seed share tipping z = 10, phi = 0.18 above one half, to 5 decimals.

    Bisection on `cascades.final_size` (40 halvings at most), computed once per process.  It
    stops as soon as both ends of the bracket round alike: the 40th halving's upper end lies
    between them, so it would round the same (about 15 calls of `final_size` instead of 40).
    """
    low, high = 0.0, 0.1
    for _ in range(40):
        if round(low, 5) == round(high, 5):
            break
        mid = (low + high) / 2
        low, high = (mid, high) if cascades.final_size(10, 0.18, mid) <= 0.5 else (low, mid)
    return round(high, 5)


def _final(G, starters):
    return contagion.simulate(G, 0.5, starters).final_fraction


#: Why a lone champion's practice goes global or stalls, as the two edges of the window explain.
CAUSES = ("global", "too sparse", "too dense")


def cause(phi, z):
    """Why a lone champion at threshold `phi` and mean degree `z` goes global or stalls (Watts):
    ``"global"`` when theory gives a chance above one half, ``"too sparse"`` below the window's
    lower edge, else ``"too dense"`` (above the upper edge, or no window at all).

    >>> cause(0.18, 4), cause(0.18, 0.8), cause(0.18, 9)
    ('global', 'too sparse', 'too dense')
    """
    if cascades.cascade_probability(z, phi) > 0.5:
        return "global"
    window = cascades.cascade_window(phi)
    return "too sparse" if window is not None and z < window[0] else "too dense"


#: Lone champions on large random networks (threshold, mean degree), labelled by `cause`.
SCENARIOS = {
    f"threshold {phi:.2f}, mean degree {z:g}": cause(phi, z)
    for phi, z in ((0.12, 8), (0.18, 0.8), (0.18, 9), (0.25, 6), (0.15, 6.5), (0.10, 0.5))
}


def likeliest_window():
    """The model's answer to ``prediction_window``: the mean degree (2, 4 or 10, as an option
    key) at which theory gives a lone champion the highest chance of a global cascade at
    threshold 0.18 (`cascades.cascade_probability`, as lesson 03's section 4 computes it)."""
    chances = {z: cascades.cascade_probability(z, 0.18) for z in (2, 4, 10)}
    return str(max(chances, key=chances.get))


EXERCISE = Exercise(
    "03",
    [
        Prediction(
            "prediction_window",
            options={
                "2": "2 contacts on average",
                "4": "4 contacts on average",
                "10": "10 contacts on average",
            },
            prompt="Your prediction in the lesson (section 3): in which organisation is a lone "
            "champion most likely to set off a global cascade, one where people have 2, 4 or 10 "
            "contacts on average?",
            hints=("Give the number you wrote in the lesson, not the one the model gave.",),
            outcome=likeliest_window,
            followup="answer_q2",  # too sparse, too dense or a cascade, by theory
        ),
        Classification(
            "answer_q2",
            items=SCENARIOS,
            labels=CAUSES,
            kind="reasoning",
            prompt="One random champion starts a practice on a large random network. For each "
            "threshold and mean degree, does theory predict a global cascade, or a stall because "
            "the network is too sparse or too dense?",
            hints=(
                "Too sparse: below the window's lower edge (about 1 contact each) the network is "
                "in islands, whatever the threshold. Too dense: people have so many contacts that "
                "one committed contact is below their threshold.",
                "Compare 1 / (mean degree) with the threshold: with 8 contacts one committed "
                "contact is 0.125 of a network. Then check in the explorer: set the threshold "
                "and the mean degree, and read the window in the box at the top left.",
            ),
        ),
        StartDesign(
            "start_q3",
            kind="design",
            prompt=f"At mean degree {DESIGN_Z:g} and threshold 0.18 you can train at most "
            f"{DESIGN_BUDGET} people to start the practice. Design a start (a pilot group or "
            f"scattered champions, and how many) that sets off a global cascade in at least "
            f"{DESIGN_AT_LEAST} of 100 runs.",
            hints=(
                "Set the explorer's mean degree to 9 and try both starts with the group size "
                "slider; spend the whole budget before you give up on a start.",
                "A pilot group is a cluster: a person, their contacts and their contacts' "
                "contacts. Scattered champions sit in random places. Which reaches more people "
                "who are not starters themselves?",
            ),
            solution='start_q3 = {"start": "scattered", "size": 25}  # 79 of 100 runs; a pilot '
            "group of 25: 42",
        ),
        Choice(
            "answer_q4",
            kind="reasoning",
            prompt="On this random network scattered champions beat a pilot group of the same "
            "size, yet in the lesson's organisation of teams the pilot group won. Why?",
            options={
                "a": "Not quite: in a random network everyone's contacts are drawn alike, so "
                "scattered starters meet people with as many contacts as the pilot group's "
                "neighbours have; and more contacts make a person harder to convince, not easier.",
                "b": "Yes: a random network has almost no closed triangles, so the pilot group's "
                "neighbours rarely see two of its members. The group spends ties on itself; in a "
                "team, colleagues share many contacts.",
                "c": "Not quite: the pilot group is built as a connected cluster and stays one in "
                "every run; what differs is how many outsiders it touches, and how many of their "
                "contacts are committed, not whether the group holds together.",
            },
            answer="b",
            hints=(
                "Think of a neighbour of the pilot group: how many of its members are they likely "
                "to know in a random network, and in a team where half the pairs are tied?",
                "Count the ties: in a cluster many of the starters' ties go to other starters.",
            ),
        ),
        BreakClaim(
            "break_q5",
            claim="thresholds.pilot-vs-scattered",
            keep=("phi",),
            kind="reasoning",
            prompt="In the organisation of teams, a pilot group of 4 wins over more teams than 4 "
            "scattered champions (claim thresholds.pilot-vs-scattered). The lesson broke it with "
            "an easier practice. Keep the threshold at 0.3 and break it with one change to "
            "another assumption: size or outside_ties.",
            hints=(
                "At threshold 0.3, how many teams does a pilot group win over, and what stops it "
                "at its team's edge? Would a larger pilot group get past that edge?",
                "The claim compares equal numbers of people. With more scattered champions, how "
                "likely is it that two of them land in the same team, and what do two committed "
                "people do in a team of 10?",
            ),
            solution='break_q5 = {"size": 8}  # any size from 6: the pilot group still wins one '
            "team, while scattered champions start putting two in one team and win it",
        ),
        Value(
            "answer_q6",
            expected=_critical_seed_share,
            atol=0.001,
            share=True,
            kind="procedure",
            prompt="At mean degree 10 and threshold 0.18 a lone champion cannot start a cascade. "
            "Use final_size to find the smallest share of people started at random for which "
            "final_size(10, 0.18, share) is above 0.5 (to 0.001).",
            hints=(
                "The lesson's section 9 gives a share that only doubles and a share that tips "
                "the network: the answer is in between.",
                "Loop over numpy.arange(low, high, 0.0005) between those two shares and keep the "
                "first share whose final size is above 0.5, or bisect.",
            ),
            solution="""
            for share in np.arange(0.01, 0.03, 0.0005):
                if final_size(10, 0.18, share) > 0.5:
                    answer_q6 = round(float(share), 4)
                    break
            """,
            explanation="Starting about 1.2% of people at random tips the dense network "
            "(Gleeson & Cahalane 2007): seed size matters even where a single seed never can.",
        ),
        GraphProperty(
            "G_q7",
            kind="design",
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
            solution="G_q7 = nx.circulant_graph(10, [1, 2])",
        ),
        Reflection(
            "reflection_q8",
            min_words=30,
            criteria=(
                "names the practice and says whether it is easy or demanding to adopt",
                "names who would be in the pilot group and which line leader would run it",
                "uses a result of this lesson or exercise (the window, seed size, pilot group "
                "against scattered champions)",
                "says how the practice would cross to the next team",
            ),
            prompt="In Senge's later writing (Senge, 1996; Senge et al., 1999), line leaders start "
            "new practices in pilot groups. Describe a pilot group you could start in an "
            "organisation you know: who would be in it, whose thresholds would it lower, and how "
            "would the practice cross to the next team?",
            hints=("Name the group, the practice, and the first team outside it to reach.",),
        ),
    ],
)

#: The checked questions inside lesson 03: local stability, and the pilot-group puzzle.
LESSON = Exercise(
    "03",
    [
        Choice(
            "help_the_champion",
            kind="reasoning",
            prompt="With threshold 0.18 a lone champion almost never starts a cascade when people "
            "have 8 contacts on average. Which change would most help a lone champion there?",
            options={
                "a": "Not quite: each of the manager's 30 contacts still sees one committed "
                "contact among about 8, a share of 0.125, below 0.18: the practice stops one step "
                "later (local stability).",
                "b": "Yes: one committed contact in 8 is 0.125, above 0.12, so people with 8 "
                "contacts become vulnerable; the window for 0.12 reaches past 8.",
                "c": "Not quite: a larger organisation with 8 contacts each leaves every share "
                "as it was: one committed contact is still 0.125 of a typical network, below "
                "0.18, however many people there are.",
            },
            answer="b",
            hints=(
                "How large a share of a person's contacts is one committed contact, with 8 "
                "contacts? Which of the three changes alters that share or the threshold?",
                "Compare 1/8 with each threshold; the table above gives the window for 0.10 and "
                "for 0.15.",
            ),
        ),
        PilotPuzzle(
            "z_puzzle",
            kind="design",
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
