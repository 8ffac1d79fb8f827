"""The lesson manifest: the one source of truth for which lessons exist.

Each `Lesson` names its notebook in ``notebooks/``, its exercise in ``exercises/`` and the
solution it is generated from in ``solutions/``.  The README's course map, ``senge-course
list``, the exercise checks and the grader all read from here.

>>> [lesson.number for lesson in LESSONS][:1]
['00']
>>> get_lesson("start-here").notebook
'notebooks/00_start_here.ipynb'
"""

from dataclasses import dataclass

__all__ = ["LESSONS", "MINUTES_MEASURED", "Lesson", "course_map_markdown", "get_lesson"]

#: Where the manifest's minutes come from (CONTRIBUTING.md, "How the minutes were measured").
MINUTES_MEASURED = (
    "Reviewers worked through every lesson and exercise as a student would (issue 20, 2026-12): "
    "the lessons took 1.2 to 1.4 times the minutes first planned (04 and 07 about 60 against "
    "45), and each exercise 30 to 50 minutes more.  A lesson's minutes are 1.3 times the planned "
    "minutes, rounded to 5, or the measured 60 for 04 and 07; an exercise's are 40, the middle "
    "of the measured range (no one timed each exercise separately)."
)


@dataclass(frozen=True)
class Lesson:
    """One lesson: its `number` (two digits), `slug` (in file names and on the command line),
    `title` (the notebook's first heading, a verb phrase), `objectives` (what a learner can do
    after it, measurably), `minutes` (the time the lesson notebook takes a learner),
    `exercise_minutes` (the time its exercise notebook takes, on top) and the `article_section`
    of Senge (1997) it teaches.

    The minutes are measured, not hoped for: reviewers worked through the lessons as a student
    would (`MINUTES_MEASURED` says how; CONTRIBUTING.md says how to measure them again).
    """

    number: str
    slug: str
    title: str
    objectives: tuple
    minutes: int
    exercise_minutes: int
    article_section: str

    @property
    def stem(self):
        """File name stem shared by lesson, exercise and solution: ``NN_slug_with_underscores``."""
        return f"{self.number}_{self.slug.replace('-', '_')}"

    @property
    def notebook(self):
        """Path of the lesson notebook, relative to the course root."""
        return f"notebooks/{self.stem}.ipynb"

    @property
    def exercise(self):
        """Path of the exercise notebook (generated from the solution)."""
        return f"exercises/{self.stem}.ipynb"

    @property
    def solution(self):
        """Path of the solution notebook (the single source of the exercise)."""
        return f"solutions/{self.stem}.ipynb"


LESSONS = (
    Lesson(
        number="00",
        slug="start-here",
        title="Start here: find your way around the course",
        objectives=(
            "Run cells, move a widget's controls and restart a notebook in JupyterLab",
            "State the article's argument on one page: learning as competitive advantage, "
            "commitment over compliance, leadership shared by three kinds of leader and by teams, "
            "research, capacity building and practice integrated, and its reach beyond the firm",
            "Check an answer, ask for a hint and reveal a solution",
            "Confirm that your installation has everything the course needs",
            "Tell apart the course's three voices: what Senge says, what research says, and what "
            "our models assume",
        ),
        minutes=40,
        exercise_minutes=40,
        article_section="The whole article in one page",
    ),
    Lesson(
        number="01",
        slug="command-to-commitment",
        title="Compare command and commitment under pressure",
        objectives=(
            "Describe command and commitment by four levers: work harder and work smarter (after "
            "Repenning & Sterman, 2001), control and autonomy (after Walton's, 1985, control and "
            "commitment strategies)",
            "Predict, then observe, *better before worse* under command and *worse before better* "
            "under commitment when the target rises for good",
            "Find the week at which commitment overtakes command, and explain why judging a "
            "policy too early favours command",
            "Explain with the model why compliance delivers hours but not learning, and tell "
            "apart what Senge says, what research says and what our model assumes (its climate "
            "for improvement lumps together what Edmondson, 1999, separates)",
        ),
        minutes=50,
        exercise_minutes=40,
        article_section="Command and control cannot create commitment",
    ),
    Lesson(
        number="02",
        slug="thresholds",
        title="Find the tipping point: thresholds and collective behaviour",
        objectives=(
            "Compute how many join a crowd from its thresholds, by hand and with a loop "
            "(Granovetter's equilibrium)",
            "Explain why two crowds that look alike on average can behave completely differently",
            "Find the spread of thresholds at which a crowd tips, to 0.1",
            "Predict how a shift of every threshold, which our model assumes leaders cause "
            "(mentoring and pilots lower them, fear and mandates raise them), changes the outcome",
            "Tell apart what Granovetter found, what Senge says, and what our model assumes (for "
            "example, that leaders move thresholds at all)",
        ),
        minutes=50,
        exercise_minutes=40,
        article_section="Commitment, not compliance: why commitment spreads or stalls",
    ),
    Lesson(
        number="03",
        slug="cascades",
        title="Trigger a cascade: when does a new practice go global?",
        objectives=(
            "Locate the cascade window in mean degree for a given threshold and explain both "
            "of its edges",
            "Compare the analytic chance of a global cascade with simulated runs on random "
            "networks",
            "Explain why a densely connected organisation can resist a practice a sparser one "
            "adopts",
            "Show that a pilot group wins where a lone champion fails, and find a seed size "
            "that tips a network",
            "Tell apart what Senge says about line leaders, what Watts and Gleeson & Cahalane "
            "found, and what our simulations assume",
        ),
        minutes=60,
        exercise_minutes=40,
        article_section="Diffusion of knowledge: local line leaders who introduce and implement "
        "new ideas (pilot groups: Senge's later writing)",
    ),
    Lesson(
        number="04",
        slug="networkers-and-bridges",
        title="Find the networkers and build wide bridges",
        objectives=(
            "Find the people best placed to be internal networkers with betweenness, Burt's "
            "constraint and effective size",
            "Tell Cross & Prusak's four network roles apart and see how the chart hides the "
            "informal network",
            "Place three ties between two teams so that a practice needing two committed "
            "contacts crosses",
            "Explain why long ties speed a simple contagion but block a complex one "
            "(Centola & Macy)",
        ),
        minutes=60,
        exercise_minutes=40,
        article_section="Internal networkers: no formal authority, spreading commitment",
    ),
    Lesson(
        number="05",
        slug="leading-together",
        title="Lead together: line leaders, executives and networkers",
        objectives=(
            "Compare each kind of leader alone, in pairs and all three together over 50 runs, and "
            "at equal leaders' time",
            "Choose levers that commit at least 70% of an organisation without a mandate",
            "Show that a mandate buys fast compliance that falls away and little commitment, and "
            "find how often compliance must become commitment to change that (Kelman)",
            "Tell Senge's argument, published research and our model's assumptions apart, and "
            "break a result of the model by changing one assumption",
            "Revisit your lesson 00 prediction of which kind of leader matters most",
        ),
        minutes=60,
        exercise_minutes=40,
        article_section="Three kinds of leader who rely on one another: none alone",
    ),
    Lesson(
        number="06",
        slug="capability-trap",
        title="Escape the capability trap: firefighting and shifting the burden",
        objectives=(
            "Map firefighting to *Shifting the Burden* and consulting without capacity building "
            "to *Shifting the Burden to the Intervenor*, labelling each loop R or B",
            "Test how far the model's tipping edge can be trusted: sweep an invented constant and "
            "say which findings survive it",
            "Design a policy that survives a 20% surge, and show that what a stronger or weaker "
            "work-harder reflex does depends on the model's structure",
            "Explain double-loop learning as changing the policy itself rather than working "
            "harder within it (Argyris, 1977)",
        ),
        minutes=60,
        exercise_minutes=40,
        article_section="Fragmented learning: nonstop firefighting and consulting without capacity",
    ),
    Lesson(
        number="07",
        slug="learning-cycle",
        title="Close the learning cycle: research, capacity building and practice",
        objectives=(
            "Draw the knowledge-creation cycle as a reinforcing loop (the course's reading of "
            'Senge\'s "interrelated" activities) and name the links that firefighting, the ivory '
            "tower and fragmentation break, and the loop consulting dependency adds",
            "Relate the cycle to Kolb's experiential learning and Nonaka's SECI spiral, and place "
            "Argyris's double-loop learning correctly: changing the governing policy, not doing "
            "research",
            "Predict, then observe, the worse-before-better dip of a balanced, integrated plan, "
            "and find the calibrated constants that decide whether it ever pays back",
            "Explain why firms firefight with March's argument that exploitation drives out "
            "exploration, by finding the planning horizon at which the best plan stops being all "
            "practice",
            "Design a plan that beats firefighting by at least 20% over 10 years with integration "
            "no higher than 0.7",
        ),
        minutes=60,
        exercise_minutes=40,
        article_section="Research, capacity building and practice: one cycle, not three institutions",
    ),
    Lesson(
        number="08",
        slug="capstone",
        title="Design a community of leaders and learners: the capstone",
        objectives=(
            "Set the three kinds of leader's levers, the organisation's response to pressure and "
            "the effort for research, capacity building and practice in one design, and read "
            "what the three coupled models predict for it on one timeline in quarters",
            "Meet the capstone's three goals (commitment spreads to 60% of people, no capability "
            "trap under a 20% surge, an integrated knowledge cycle) within a budget of 50 points "
            "of leaders' time and money",
            "Switch each coupling between the models off to see what it carries, and test a "
            "design against a shock an instructor sets",
            "Write a design memo with its trade-offs and its threats to validity: which of your "
            "conclusions are artefacts of the models",
            "Relate your design to the article's head, heart and hand, and weigh two critiques of "
            "the learning organisation (power and practice; evidence)",
        ),
        minutes=115,
        exercise_minutes=40,
        article_section="Head, heart and hand: communities of leaders and learners",
    ),
)


def get_lesson(key):
    """Return the lesson whose number (``"03"`` or ``3``) or slug is `key`; raise ValueError,
    listing the lessons, if there is none.

    >>> get_lesson(0).slug
    'start-here'
    >>> get_lesson("99")
    Traceback (most recent call last):
    ...
    ValueError: unknown lesson '99'; the lessons are: 00 start-here, ...
    """
    if isinstance(key, int) and not isinstance(key, bool):
        key = f"{key:02d}"
    if isinstance(key, str):
        k = key.strip().lower()
        for lesson in LESSONS:
            if k in (lesson.number, lesson.slug, lesson.stem) or (
                k.isdigit() and int(k) == int(lesson.number)
            ):
                return lesson
    known = ", ".join(f"{lesson.number} {lesson.slug}" for lesson in LESSONS)
    raise ValueError(f"unknown lesson {key!r}; the lessons are: {known}")


def course_map_markdown():
    """Return the course map as a Markdown table (the README carries it; a test keeps them equal):
    the lesson's minutes and its exercise's minutes in columns of their own.

    >>> print(course_map_markdown().splitlines()[0])
    | Lesson | Title | Objectives | Lesson minutes | Exercise minutes |
    """
    rows = [
        "| Lesson | Title | Objectives | Lesson minutes | Exercise minutes |",
        "|---|---|---|---|---|",
    ]
    for lesson in LESSONS:
        objectives = "<br>".join(lesson.objectives)
        rows.append(
            f"| {lesson.number} | {lesson.title} | {objectives} | {lesson.minutes} "
            f"| {lesson.exercise_minutes} |"
        )
    return "\n".join(rows)
