"""Replay a class's design in the lesson's app, with one call from a debrief.

>>> from senge_course.views.replay import replay       # doctest: +SKIP
>>> replay(debrief, "q6", "best")                       # doctest: +SKIP

opens the lesson's app (lesson 05's leader network builder, lesson 07's planner, ...) on the
best (or worst) design the class submitted for question `q6`, with a note above the figure
saying whose design it is (anonymous) and what, if anything, differs from it.  What to build
comes from `senge_course.course.debrief.ClassDebrief.replay_setting`.
"""

from . import bridges, cascades, leaders, planner

__all__ = ["replay"]

_APPS = {
    "BridgeExplorer": bridges.BridgeExplorer,
    "CascadeExplorer": cascades.CascadeExplorer,
    "IntegrationPlanner": planner.IntegrationPlanner,
    "LeaderNetworkBuilder": leaders.LeaderNetworkBuilder,
    "LongTieExplorer": bridges.LongTieExplorer,
}


def replay(debrief, label, which="best"):
    """Return the lesson's app showing the class's `which` ("best" or "worst") design for `label`.

    `debrief` is a `ClassDebrief`.  Raise ValueError (saying why) when no app replays that
    design; the debrief notebook only offers the call for designs an app replays.
    """
    recipe = debrief.replay_setting(label, which)
    app = _APPS[recipe["app"]](**recipe["kwargs"])
    if recipe["method"] == "apply":
        app.apply(recipe["argument"])
    elif recipe["method"] == "set":
        app.set(**recipe["argument"])
    app.show_message(
        f"The class's {which} design for {label}, replayed in the lesson's app{recipe['note']}."
    )
    return app
