"""The install: the self-check, the extras, and the learner's copy of the course.

* `check_install` reports the versions of what the course needs, read from the installed
  package's own metadata (``pyproject.toml``'s dependencies and extras), so it cannot drift
  from what ``pip`` installs.
* `require` imports a package that only an extra installs (``[lab]``, ``[present]``,
  ``[grade]``), or says which extra to install.
* `init_course` copies the course the package carries into a writable folder
  (``senge-course init``), and `version_note` tells a learner whose notebook was copied by
  another version of the package.
"""

import hashlib
import importlib
import json
import os
import re
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path

from .files import dumps, loads, read_text, write_text
from .paths import COURSE_FILES, MARKER, packaged_course

__all__ = [
    "EXTRAS",
    "CourseCopy",
    "InstallReport",
    "check_install",
    "init_course",
    "require",
    "version_note",
]

DISTRIBUTION = "senge-course"
#: What each extra is for (the requirements themselves come from the package's metadata).
EXTRAS = {
    "lab": "senge-course lab (JupyterLab and a Python kernel)",
    "present": "senge-course present and slides (Voila, nbconvert)",
    "grade": "senge-course grade, check, debrief and feedback (run notebooks, HTML pages)",
}
#: Why the course needs a package (for the report; a package not named here is listed plainly).
_PURPOSES = {
    "numpy": "arrays for every model",
    "scipy": "sparse matrices and distributions",
    "networkx": "organisation networks and their measures",
    "matplotlib": "figures",
    "ipywidgets": "the interactive explorers",
    "anywidget": "accessible slider handles",
    "nbformat": "reading and writing notebooks",
    "tqdm": "progress bars",
    "pillow": "the apps' figures as images",
    "defusedxml": "reading organisation files safely",
    "jupyterlab": "the notebook interface",
    "ipykernel": "the Python kernel that runs the notebooks",
    "voila": "presentation mode",
    "nbclient": "running notebooks to check and grade them",
    "nbconvert": "slides and HTML pages",
    "mistune": "feedback pages as HTML",
}
_IMPORT_NAMES = {"pillow": "PIL"}
_MANIFEST_SCHEMA = "senge-course/folder"


def _requirements():
    """``(distribution, import name, minimum, purpose, extras)`` for each requirement in the
    installed package's metadata (`extras`: the extras that add it, () for the core); () if the
    package is not installed."""
    from packaging.requirements import Requirement

    try:
        declared = requires(DISTRIBUTION) or []
    except PackageNotFoundError:
        return ()
    found = {}  # name: [minimum, extras], in the order declared
    for text in declared:
        req = Requirement(text)
        extra = next((e for e in EXTRAS if req.marker and req.marker.evaluate({"extra": e})), None)
        if req.marker and extra is None and not req.marker.evaluate({"extra": ""}):
            continue  # the test and bench extras, or another platform's requirement
        name = req.name.lower().replace("_", "-")
        if name == DISTRIBUTION:
            continue  # [all] names the other extras
        minimum = next((s.version for s in req.specifier if s.operator in (">=", "==")), "0")
        row = found.setdefault(name, [minimum, []])
        if extra is None:
            row[1] = None  # the core needs it, whatever the extras say
        elif row[1] is not None:
            row[1].append(extra)
    rows = []
    for name, (minimum, extras) in found.items():
        extras = tuple(extras or ())
        purpose = _PURPOSES.get(name, "")
        if extras:
            purpose = f"{purpose}; [{', '.join(extras)}]".lstrip("; ")
        rows.append((name, _IMPORT_NAMES.get(name, name), minimum, purpose, extras))
    return tuple(rows)


def __getattr__(name):
    """``REQUIREMENTS``: what the installed package requires (distribution, import name, minimum
    version, purpose, the extras that add it: () for the core), read from its metadata on first use (importing the
    package stays cheap)."""
    if name == "REQUIREMENTS":
        globals()[name] = _requirements()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

    The requirements are the installed package's own (its metadata).  The core must be
    there; an extra's packages (``[lab]``, ``[present]``, ``[grade]``) must be recent enough
    when installed, and are otherwise listed as not installed, which is no problem for a learner
    (``senge-course lab``, ``present`` and ``grade`` say which extra to install).

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
    requirements = globals().get("REQUIREMENTS") or __getattr__("REQUIREMENTS")
    if not requirements:
        problems.append(
            "senge-course is not installed (its requirements are unknown): run pip install -e . "
            "in the course folder"
        )
    for dist, module, minimum, purpose, *extras in requirements:
        extras = extras[0] if extras else ()
        found = _found(dist)
        if found is None and extras:  # an extra's: only its commands need it
            purpose = f"{purpose}: not installed, needed only by {_needed_by(extras)}"
        elif found is None:
            problems.append(
                f"{dist} is missing ({purpose}): run pip install -e . in the course folder, or "
                "reinstall the course"
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


def require(module, extra, *, purpose):
    """Import and return `module`, which only the `extra` installs; raise ModuleNotFoundError
    naming the extra to install if it is missing.

    >>> require("json", "grade", purpose="grading").__name__
    'json'
    >>> require("no_such_module", "grade", purpose="senge-course grade")
    Traceback (most recent call last):
    ...
    ModuleNotFoundError: senge-course grade needs no_such_module, which the core install leaves out: install the course with its [grade] extra (from a clone: pip install -e ".[grade]")
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module.split(".")[0] and exc.name != module:
            raise
        raise ModuleNotFoundError(
            f"{purpose} needs {module.split('.')[0]}, which the core install leaves out: "
            f'install the course with its [{extra}] extra (from a clone: pip install -e ".[{extra}]")',
            name=exc.name,
        ) from None


@dataclass(frozen=True)
class CourseCopy:
    """What `init_course` did in `folder`: the files (paths relative to it) it `copied` (new),
    `updated` (not edited since the last copy, replaced by this version's), `kept` (edited by
    the learner, left as they are) and found `unchanged`."""

    folder: Path
    version: str
    copied: tuple = ()
    updated: tuple = ()
    kept: tuple = ()
    unchanged: tuple = ()

    @property
    def summary(self):
        """What was done, in a few lines."""
        done = []
        if self.copied:
            done.append(f"copied {len(self.copied)} new file(s)")
        if self.updated:
            done.append(f"updated {len(self.updated)} file(s) you had not edited")
        if self.unchanged:
            done.append(f"{len(self.unchanged)} file(s) already up to date")
        lines = [
            f"The course (senge-course {self.version}) in {self.folder}: " + ", ".join(done) + "."
        ]
        if self.kept:
            lines.append(
                f"Kept {len(self.kept)} file(s) you edited (this version's copy was not written): "
                + ", ".join(self.kept)
            )
        lines.append(f"Open it with: cd {self.folder} && senge-course lab")
        return "\n".join(lines)


def init_course(folder="senge-course", *, source=None):
    """Copy the course into `folder` (made if missing) and return a `CourseCopy`.

    Copies ``notebooks/``, ``exercises/``, ``jupyter-config/``, ``examples/assignments/`` and
    ``LICENSE`` from `source` (default: the course the package carries,
    `senge_course.paths.packaged_course`), stamps the package version into each notebook's ``metadata.senge_course.version``, and writes the
    manifest ``.senge-course`` (the version, and a fingerprint of each file written).  Run again,
    with the same or a newer version, it copies what is missing, replaces what the learner has
    not edited, and never overwrites a file the learner edited: a notebook counts as edited when
    its cells' text differs from what was copied (running cells and saving outputs does not).

    Raises
    ------
    ValueError
        If `folder` is a file, or a clone of the repository (it has ``solutions/``).

    Examples
    --------
    >>> import tempfile
    >>> copy = init_course(Path(tempfile.mkdtemp()) / "course")
    >>> sorted({path.split("/")[0] for path in copy.copied})
    ['LICENSE', 'examples', 'exercises', 'jupyter-config', 'notebooks']
    >>> init_course(copy.folder).unchanged == copy.copied
    True
    """
    folder = Path(folder).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"cannot copy the course into {folder}: it is a file, not a folder")
    if (folder / "solutions").is_dir():
        raise ValueError(
            f"{folder} is a clone of the course's repository (it has solutions/): use it as it "
            "is, or give init another folder"
        )
    source = Path(source) if source is not None else packaged_course()
    current = _version()
    manifest = _read_manifest(folder)
    recorded = manifest.get("files", {})
    done = {"copied": [], "updated": [], "kept": [], "unchanged": []}
    fingerprints = {}
    for name, _ in COURSE_FILES:
        (folder / name).mkdir(parents=True, exist_ok=True)
    for relative in _course_files(source):
        text = read_text(source / relative, what="course file")
        if relative.endswith(".ipynb"):
            text = _stamped(text, current)
        target = folder / relative
        new = _fingerprint(relative, text)
        if not target.exists():
            outcome = "copied"
        else:
            have = _fingerprint(relative, target.read_text(encoding="utf-8", errors="replace"))
            if relative in recorded and have != recorded[relative]:
                outcome = "kept"  # edited since init wrote it
            elif relative not in recorded and have != new:
                outcome = "kept"  # not written by init (or the manifest is gone): the learner's
            elif have == new and _stamp(target) in (current, None):
                outcome = "unchanged"
            else:
                outcome = "updated"
        if outcome in ("copied", "updated"):
            write_text(target, text, what=f"the course file {relative}")
        done[outcome].append(relative)
        if outcome != "kept":
            fingerprints[relative] = new
        elif relative in recorded:
            fingerprints[relative] = recorded[relative]  # still edited next time
    document = {"package_version": current, "files": fingerprints}
    write_text(
        folder / MARKER,
        dumps(document, schema=_MANIFEST_SCHEMA, version=1),
        what="the course folder's manifest",
    )
    return CourseCopy(folder, current, **{key: tuple(value) for key, value in done.items()})


def version_note(namespace=None, environ=None):
    """Return (and print) a note when the running notebook was copied by another version of
    the package than the one its kernel imports; None otherwise.

    The notebook is the one the kernel runs for: JupyterLab names it to the kernel
    (``__session__`` in `namespace`, the notebook's ``globals()``, or ``$JPY_SESSION_NAME`` in
    `environ`); its version is the one ``senge-course init`` stamped into its metadata.  A
    notebook that carries no stamp (in a clone of the repository) gets no note.

    >>> version_note({}, {}) is None
    True
    """
    namespace = namespace if namespace is not None else {}
    environ = os.environ if environ is None else environ
    name = namespace.get("__session__") or namespace.get("__vsc_ipynb_file__")
    name = name or environ.get("JPY_SESSION_NAME")
    if not name or not str(name).endswith(".ipynb"):
        return None
    path = Path(name)
    if not path.is_file():
        path = Path.cwd() / path.name  # a path relative to the server's root: the kernel's folder
        if not path.is_file():
            return None
    stamped, current = _stamp(path), _version()
    if stamped is None or stamped == current:
        return None
    folder = next((p for p in path.resolve().parents if (p / MARKER).is_file()), path.parent)
    note = (
        f"Note: this notebook was copied by senge-course {stamped}, but its kernel runs "
        f"senge-course {current}, so some cells may not match the package. To update the "
        f"notebooks you have not edited (yours are kept), run: senge-course init {folder}"
    )
    print(note)
    return note


def _needed_by(extras):
    """What the `extras` are for, in words: ``senge-course lab, senge-course present``."""
    return ", ".join(EXTRAS[e].split(" (")[0] for e in extras)


def _version():
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _found(dist):
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def _course_files(source):
    """The course files under `source`, relative (``notebooks/00_start_here.ipynb``, ...)."""
    found = [
        f"{name}/{path.name}"
        for name, pattern in COURSE_FILES
        for path in sorted((source / name).glob(pattern))
    ]
    if not found:
        raise FileNotFoundError(f"no course files in {source}")
    return [*found, "LICENSE"] if (source / "LICENSE").is_file() else found


def _stamped(text, package_version):
    """The notebook JSON `text` with `package_version` in ``metadata.senge_course.version``."""
    import nbformat

    notebook = nbformat.reads(text, as_version=4)
    notebook.metadata.setdefault("senge_course", {})["version"] = package_version
    return nbformat.writes(notebook) + "\n"


def _stamp(path):
    """The version stamped in the notebook at `path`, or None (no stamp, or not a notebook)."""
    if not str(path).endswith(".ipynb"):
        return None
    try:
        notebook = json.loads(read_text(path, what="notebook"))
        return notebook["metadata"]["senge_course"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _fingerprint(relative, text):
    """A notebook's cells (their kind and text: what a learner edits; not outputs or metadata),
    or any other file's text, as a SHA-256 hex digest."""
    if relative.endswith(".ipynb"):
        try:
            cells = json.loads(text)["cells"]
            text = json.dumps([(c["cell_type"], _joined(c["source"])) for c in cells])
        except (ValueError, KeyError, TypeError):
            pass  # not a notebook any more: its text is its fingerprint
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _joined(source):
    return "".join(source) if isinstance(source, list) else source


def _read_manifest(folder):
    path = folder / MARKER
    if not path.is_file():
        return {}
    text = read_text(path, what="course folder's manifest")
    return loads(text, schema=_MANIFEST_SCHEMA, version=1, what="course folder's manifest")


def _as_tuple(version):
    """The release numbers a version starts with: ``"1.26.4rc1"`` gives ``(1, 26, 4)``."""
    return tuple(int(part) for part in re.findall(r"\d+", re.match(r"[\d.]*", version)[0]))
