"""Lesson 00's exercise: a first taste of checks, hints and solutions, the three voices, the
lesson's prediction recorded, and the course's concept check before the course (not graded).
"""

from ..checks import Choice, Classification, Exercise, Function, Prediction, Reflection, Value
from .concepts import ConceptCheck

__all__ = ["EXERCISE", "LEADERS", "LESSON", "VOICES", "committed_share"]

#: The lesson's prediction (section 4): which kind of leader, alone, spreads a practice furthest.
#: The same words as lesson 05's ``my_prediction_alone``, which puts it to the test.
LEADERS = {
    "line leaders": "local line leaders, who pilot the practice in their own units",
    "executives": "executive leaders, who mentor and invest in learning infrastructure",
    "networkers": "internal networkers, who carry the practice between groups",
}

#: Exercise question 6: which voice speaks in each sentence (lesson 00, "three voices").
VOICES = {
    "Orders from the top buy compliance, not the commitment learning needs.": "senge",
    "Whether a crowd riots can hang on one person's threshold (Granovetter, 1978).": "research",
    "Each person commits once the committed share of their colleagues reaches their "
    "threshold, drawn at random around 0.45.": "model",
    "Teams whose members feel safe to speak up learn more (Edmondson, 1999).": "research",
    "Internal networkers, often with no formal authority, spread commitment between groups.": "senge",
    "Full mentoring removes half of each threshold in a pilot team.": "model",
}


def strongest_alone():
    """The model's answer to the prediction: which kind of leader alone commits the most in
    lesson 05's comparison (the lesson that puts it to the test; see its `strongest_alone`)."""
    from .lesson_05 import strongest_alone as lesson_05_answer

    return lesson_05_answer()


def committed_share(states):
    """Share of people whose state is ``"committed"`` (0.0 for an empty team)."""
    states = list(states)
    return 0.0 if not states else sum(state == "committed" for state in states) / len(states)


#: What the instructor looks for in the reflection (shown to the learner above it).
REFLECTION_CRITERIA = (
    "names the change and who decided it",
    "says whether people complied, committed or neither, and how you could tell",
    "proposes what would have built commitment",
    "uses the lesson's words: compliance, commitment, a kind of leader",
)

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
            kind="recall",
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
            kind="recall",
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
            share=True,
            kind="procedure",
            prompt="A pilot group of 8 people has 2 committed members. What share is committed (0 to 1)?",
            hints=(
                "Divide the number committed by the team size.",
                "Type the division itself, such as 3 / 10, and Python works it out.",
            ),
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
            kind="procedure",
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
            criteria=REFLECTION_CRITERIA,
            prompt="Describe a change in an organisation you know that was mandated from the top. "
            "Did people comply, commit, or neither? What would have built commitment?",
            hints=("Name the change, who decided it, and what people did in the months after.",),
        ),
        Classification(
            "answer_q6",
            items=VOICES,
            labels=("senge", "research", "model"),
            kind="reasoning",
            prompt="Which voice speaks in each sentence: Senge's article, published research, "
            "or our model's assumptions?",
            hints=(
                "A name and a year in brackets points to research; a rule with a number that "
                "someone chose points to our model.",
                "Senge's article gives ideas and arguments, no numbers and no studies: the model "
                "sentences are the ones with constants (0.45, half).",
            ),
        ),
        Prediction(
            "prediction_leader",
            options=LEADERS,
            prompt="Your prediction from lesson 00: which kind of leader, alone, spreads a new "
            "practice furthest?",
            hints=("There is no wrong prediction: lesson 05 runs the model on it.",),
            outcome=strongest_alone,
            # no follow-up here: lesson 05 (another exercise) puts the prediction to the test
        ),
        ConceptCheck(
            "concepts_before",
            graded=False,
            prompt="The course's concept check, before the course: ten questions, recorded, "
            "not marked.",
            hints=(
                "Answer what you think now; a guess is fine. Nobody marks it.",
                'Use the letters in quotes: {"c1": "a", "c2": "d", ...}.',
            ),
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
            kind="read-off",
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
