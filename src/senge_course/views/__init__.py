"""Widget apps: thin views over the course's models, for JupyterLab.

Each app is an ipywidgets container with labelled controls, a message area
(errors are shown there, never as tracebacks) and ``.result``, the latest model
output, so learners can keep analysing what they explored.  Importing this
package is cheap; each app's module (and ipywidgets) loads on first use.

Examples
--------
>>> from senge_course.views import ArticleTour
>>> tour = ArticleTour()
>>> tour.result["lesson"]
'01'
"""

from importlib import import_module

__all__ = [
    "ArticleTour",
    "BridgeExplorer",
    "CapstoneDashboard",
    "CascadeExplorer",
    "IntegrationPlanner",
    "LeaderNetworkBuilder",
    "LongTieExplorer",
    "PilotExplorer",
    "RiotExplorer",
    "ScenarioComparer",
    "ThresholdExplorer",
]

_APPS = {
    "ArticleTour": "tour",
    "RiotExplorer": "thresholds",
    "ThresholdExplorer": "thresholds",
    "CascadeExplorer": "cascades",
    "PilotExplorer": "cascades",
    "LeaderNetworkBuilder": "leaders",
    "BridgeExplorer": "bridges",
    "LongTieExplorer": "bridges",
    "ScenarioComparer": "scenarios",
    "IntegrationPlanner": "planner",
    "CapstoneDashboard": "capstone",
}


def __getattr__(name):
    if name in _APPS:
        return getattr(import_module(f"{__name__}.{_APPS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
