"""The install self-check: which packages the course needs, and which versions are here."""

import importlib
import re
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

__all__ = ["InstallReport", "check_install"]

#: (distribution, import name, minimum version, why the course needs it)
REQUIREMENTS = (
    ("numpy", "numpy", "1.24", "arrays for every model"),
    ("scipy", "scipy", "1.10", "sparse matrices and distributions"),
    ("networkx", "networkx", "3.0", "organisation networks and their measures"),
    ("matplotlib", "matplotlib", "3.7", "figures"),
    ("ipywidgets", "ipywidgets", "8.0", "the interactive explorers"),
    ("jupyterlab", "jupyterlab", "4.0", "the notebook interface"),
    ("ipykernel", "ipykernel", "6.0", "the Python kernel that runs the notebooks"),
    ("nbformat", "nbformat", "5.9", "reading and writing notebooks"),
    ("nbclient", "nbclient", "0.10", "running notebooks to check and grade them"),
    ("tqdm", "tqdm", "4.60", "progress bars"),
    ("nbconvert", "nbconvert", "7.0", "lesson slides (senge-course slides)"),
    ("mistune", "mistune", "3.0", "feedback pages as HTML"),
)


@dataclass(frozen=True)
class InstallReport:
    """What `check_install` found: the `python` version, the `packages` (name, version found or
    None, minimum, purpose) and the `problems` (a sentence each; empty when all is well)."""

    python: str
    packages: tuple
    problems: tuple

    @property
    def ok(self):
        """True when nothing is missing or too old."""
        return not self.problems

    def __str__(self):
        lines = [f"Python {self.python}"]
        for name, found, minimum, purpose in self.packages:
            status = found if found else "MISSING"
            lines.append(f"  {name:<11} {status:<10} (needs >= {minimum}: {purpose})")
        if self.ok:
            lines.append("All set: everything the course needs is installed.")
        else:
            lines.append("Problems:")
            lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def check_install(*, import_modules=False):
    """Report the versions of what the course needs, and anything missing or too old.

    Parameters
    ----------
    import_modules : bool, optional
        Also import each package, to catch a broken install (slower).

    Returns
    -------
    InstallReport
        Printable; ``report.ok`` is True when nothing is missing.

    Examples
    --------
    In a working install, nothing is missing:

    >>> report = check_install()
    >>> report.ok
    True
    >>> [row[0] for row in report.packages][:3]
    ['numpy', 'scipy', 'networkx']
    """
    if not isinstance(import_modules, bool):
        raise TypeError(
            f"import_modules must be True or False, got import_modules={import_modules!r}"
        )
    rows, problems = [], []
    if sys.version_info < (3, 11):  # noqa: UP036 - reports an unsupported Python in words
        problems.append(
            f"Python {sys.version.split()[0]} is too old: the course needs 3.11 or newer"
        )
    for dist, module, minimum, purpose in REQUIREMENTS:
        try:
            found = version(dist)
        except PackageNotFoundError:
            found = None
            problems.append(
                f"{dist} is missing ({purpose}): run pip install -e . in the course folder"
            )
        else:
            if _as_tuple(found) < _as_tuple(minimum):
                problems.append(f"{dist} {found} is older than {minimum}: upgrade it with pip")
            if import_modules:
                try:
                    importlib.import_module(module)
                except Exception as exc:  # a broken install: report, never raise
                    problems.append(f"{dist} is installed but does not import: {exc}")
        rows.append((dist, found, minimum, purpose))
    return InstallReport(sys.version.split()[0], tuple(rows), tuple(problems))


def _as_tuple(version):
    """The release numbers a version starts with: ``"1.26.4rc1"`` gives ``(1, 26, 4)``."""
    return tuple(int(part) for part in re.findall(r"\d+", re.match(r"[\d.]*", version)[0]))
