"""Lesson 00's exercise: a first taste of checks, hints and solutions."""

from ..checks import Choice, Classification, Exercise, Function, Reflection, Value

__all__ = ["EXERCISE", "committed_share"]


def committed_share(states):
    """Share of people whose state is ``"committed"`` (0.0 for an empty team)."""
    states = list(states)
    return 0.0 if not states else sum(state == "committed" for state in states) / len(states)


EXERCISE = Exercise(
    "00",
    [
        Choice(
            "answer_q1",
            prompt="According to Senge, what do top-down directives foster, even when they are implemented?",
            options={
                "a": "Not quite: commitment is what directives fail to create.",
                "b": "Yes: directives buy compliance, not the commitment learning needs.",
                "c": "Not quite: Senge argues directives reduce collaboration and so innovation.",
            },
            answer="b",
            hints=(
                "Reread the paragraph 'The argument on one page'.",
                "It is one of the two words the whole course contrasts.",
            ),
            solution='answer_q1 = "b"  # compliance instead of commitment',
        ),
        Classification(
            "answer_q2",
            prompt="Which kind of leader does each activity describe?",
            items={
                "introduces and implements a new idea in her business unit": "line",
                "mentors line leaders as a thinking partner": "executive",
                "moves between teams spreading a new practice": "networker",
                "invests in a learning laboratory": "executive",
                "has bottom-line responsibility and tries new ideas": "line",
                "an HR professional with no formal authority who connects people": "networker",
            },
            labels=("line", "executive", "networker"),
            hints=(
                "Line leaders are managers with bottom-line responsibility who introduce and "
                "implement new ideas.",
                "Executives mentor and invest (learning laboratories are their investment in "
                "knowledge infrastructure); networkers have no formal authority and move about.",
            ),
        ),
        Value(
            "answer_q3",
            expected=0.25,
            atol=0.005,
            prompt="A pilot group of 8 people has 2 committed members. What share is committed (0 to 1)?",
            hints=("Divide the number committed by the team size.", "2 / 8"),
            solution="answer_q3 = 2 / 8",
            explanation="2 of 8 people is a share of 0.25: a quarter of the pilot group.",
        ),
        Function(
            "committed_share",
            cases=(
                (["committed", "compliant", "not yet", "committed"],),
                (["compliant"] * 5,),
                (["committed"] * 3,),
                ([],),
            ),
            reference=committed_share,
            prompt="Write committed_share(states): the share of a list of states equal to 'committed'.",
            hints=(
                "Count the states equal to 'committed' and divide by how many there are.",
                "An empty list has nobody committed: return 0.0 rather than dividing by zero.",
            ),
            solution="""
            def committed_share(states):
                if not states:
                    return 0.0
                return sum(s == "committed" for s in states) / len(states)
            """,
        ),
        Reflection(
            "reflection_q5",
            min_words=25,
            prompt="Describe a change in an organisation you know that was mandated from the top. "
            "Did people comply, commit, or neither? What would have built commitment?",
            hints=("Name the change, who decided it, and what people did in the months after.",),
        ),
    ],
)

#: The checked question inside lesson 00 itself (the tour puzzle).
LESSON = Exercise(
    "00",
    [
        Value(
            "lesson_for_networkers",
            expected="04",
            prompt="Which lesson (its two-digit number, as text) explores internal networkers?",
            hints=(
                "Use the tour widget above: choose 'Internal networkers' and read the last line.",
                'The answer is text such as "07".',
            ),
            solution='lesson_for_networkers = "04"',
            explanation="Lesson 04 explores internal networkers and the wide bridges they build.",
        ),
    ],
)
