"""The course as a JupyterLite site: ``senge-course lite --out DIR``.

`build_lite` builds a static website that runs the course in the browser, with Python in
WebAssembly (Pyodide) and no server, using the well-kept tools `jupyterlite-core` (with
jupyter-server, which indexes the notebooks) and `jupyterlite-pyodide-kernel`: the ``[lite]``
extra.  The site holds

* ``files/notebooks/`` and ``files/exercises/``: the lessons and the exercises (never
  ``solutions/``), each with one cell added before its first code cell that installs the course
  into the browser's Python (``%pip install senge-course==VERSION``, piplite), and with the
  Pyodide kernel named in its metadata;
* ``pypi/``: the course wheel and its index, ``all.json``, which ``jupyter-lite.json`` names
  in the Pyodide kernel's ``pipliteUrls``, so the install cell takes the wheel from the site;
* ``extensions/``: the Pyodide kernel, the widget manager of ipywidgets and anywidget's
  renderer, and nothing else (Voila's preview, for one, needs a server);
* the course's JupyterLab settings (``jupyter-config/overrides.json``), when there are any.

The build downloads nothing: the JupyterLite app, the kernel and the extensions come from the
installed Python packages and the wheel from `course_wheel` (or `wheel`).  Running the site is
another matter: Pyodide itself and its numpy, scipy, matplotlib and networkx load from
Pyodide's CDN, and the course's pure-Python dependencies (ipywidgets, anywidget, ...) from PyPI,
the first time a notebook runs its install cell.  Packages that only work beside a server
(`SERVER_ONLY`) cannot install in Pyodide at all: a wheel whose core requires one still
builds, with a warning that names them.

Examples
--------
The cell added to each notebook installs the version of the wheel the site holds:

>>> print(install_cell("0.1.0").source)
# JupyterLite only: install the course into this browser's Python from this site's wheel.
# The first run also fetches Pyodide's numpy, scipy and matplotlib (a minute or so).
%pip install senge-course==0.1.0
"""

import email.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

import nbformat

from ..files import write_text
from ..paths import course_root

__all__ = [
    "LAB_EXTENSIONS",
    "LITE_PACKAGES",
    "PYODIDE_KERNELSPEC",
    "SERVER_ONLY",
    "build_lite",
    "course_wheel",
    "install_cell",
    "server_requirements",
]

#: The pip packages that build the site (the ``[lite]`` extra), by the module each provides;
#: jupyterlite-core indexes the notebooks with jupyter-server (its ``[contents]`` extra).
LITE_PACKAGES = {
    "jupyterlite_core": "jupyterlite-core",
    "jupyterlite_pyodide_kernel": "jupyterlite-pyodide-kernel",
    "jupyter_server": "jupyter-server",
}
#: The JupyterLab extensions the site carries, by the pip package that installs each.
LAB_EXTENSIONS = {
    "@jupyterlite/pyodide-kernel-extension": "jupyterlite-pyodide-kernel",
    "@jupyter-widgets/jupyterlab-manager": "ipywidgets",
    "anywidget": "anywidget",
}
#: Distributions that only work beside a Jupyter server or a real kernel: none installs in
#: Pyodide, so a course wheel whose core requires one cannot be installed in the site.
SERVER_ONLY = frozenset(
    {
        "jupyterlab",
        "jupyter-server",
        "notebook",
        "voila",
        "nbclient",
        "jupyter-client",
        "ipykernel",
        "pyzmq",
    }
)
#: The kernel each notebook of the site names (the Pyodide kernel's own spec).
PYODIDE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}

_LESSON_FOLDERS = ("notebooks", "exercises")
_WHEEL = re.compile(r"^senge_course-(?P<version>[^-]+)-py3-none-any\.whl$")
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "test-artifacts",
    "node_modules",
    ".venv",
)
_TAIL = 15  # lines of a failed tool's output quoted in the error


def build_lite(out, *, wheel=None):
    """Build the course's JupyterLite site in folder `out`; return the folder.

    Parameters
    ----------
    out : str or path-like
        A new or empty folder, or the folder of a site built before (it is replaced; anything
        else there is refused).
    wheel : str or path-like, optional
        The course wheel (``senge_course-VERSION-py3-none-any.whl``) the site installs.  By
        default one is built from the course folder with `course_wheel`.

    Returns
    -------
    pathlib.Path
        The site's folder; serve it with any static web server (its ``index.html`` opens
        JupyterLab).

    Raises
    ------
    TypeError
        If `out` or `wheel` is not a path.
    ValueError
        If `out` is a file or a folder holding something other than a site, or `wheel` is not a
        course wheel for any platform.
    FileNotFoundError
        If `wheel` or the course folder is missing.
    RuntimeError
        If a package of `LITE_PACKAGES` or an extension of `LAB_EXTENSIONS` is not installed
        (the message names the pip package), or the wheel or the site fails to build (the
        message quotes the tool's last lines).

    Warns
    -----
    UserWarning
        If the wheel's core requires a package of `SERVER_ONLY`: the site builds, but its
        install cells will fail in the browser.

    Examples
    --------
    A folder that already holds other files is refused before anything is built:

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("mine")
    >>> build_lite(folder)
    Traceback (most recent call last):
    ...
    ValueError: out must be a new or empty folder, or a JupyterLite site built before, got out=... (it holds notes.txt)
    """
    out = _check_out(out)
    if wheel is not None:
        wheel = _check_wheel(wheel)
    _check_tools()
    root = course_root()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="senge-lite-") as scratch:
        scratch = Path(scratch)
        if wheel is None:
            wheel = course_wheel(scratch / "wheel", root=root)
        version = _check_wheel(wheel).name.split("-")[1]
        blocking = server_requirements(wheel)
        if blocking:
            warnings.warn(
                f"the course wheel {wheel.name} requires {', '.join(blocking)}, which cannot "
                "install in Pyodide: the site builds, but its install cells will fail until the "
                "core dependencies are free of server packages",
                UserWarning,
                stacklevel=2,
            )
        lite_dir = scratch / "lite"
        _write_lite_dir(lite_dir, root, wheel, version)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
        try:
            _run(
                [
                    sys.executable,
                    "-m",
                    "jupyterlite_core",
                    "build",
                    "--lite-dir",
                    str(lite_dir),
                    "--output-dir",
                    str(staging),
                    "--no-sourcemaps",
                ],
                cwd=lite_dir,
                what="the JupyterLite site",
            )
            _replace(out, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return out


def course_wheel(folder, *, root=None):
    """Build the course wheel into `folder` with ``pip wheel --no-deps``; return its path.

    The course folder `root` (default: `senge_course.paths.course_root`) is copied first, without
    ``.git``, build output and caches, so that the build writes nothing into it.  pip builds in
    an isolated environment, which it fills with the build backend from the package index (or
    pip's cache).

    Raises ValueError if `root` has no ``pyproject.toml`` (an installed course, not a clone:
    pass a wheel instead) and RuntimeError, quoting pip, if the build fails.
    """
    root = Path(root) if root is not None else course_root()
    if not (root / "pyproject.toml").is_file():
        raise ValueError(
            f"cannot build the course wheel: {root} has no pyproject.toml (not a clone of the "
            "repository); build the wheel in a clone and pass it with wheel="
        )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="senge-wheel-") as scratch:
        source = Path(scratch) / "source"
        shutil.copytree(root, source, ignore=_NOT_SOURCE, symlinks=True)
        _run(
            [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(folder)],
            cwd=scratch,
            what="the course wheel",
        )
    wheels = sorted(folder.glob("senge_course-*-py3-none-any.whl"), key=os.path.getmtime)
    if not wheels:  # pragma: no cover - pip said it succeeded
        raise RuntimeError(f"pip built no course wheel in {folder}")
    return wheels[-1]


def install_cell(version):
    """The code cell that installs course `version` in JupyterLite (tagged ``lite-install``)."""
    source = (
        "# JupyterLite only: install the course into this browser's Python from this site's "
        "wheel.\n"
        "# The first run also fetches Pyodide's numpy, scipy and matplotlib (a minute or so).\n"
        f"%pip install senge-course=={version}"
    )
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["lite-install"]})


def server_requirements(wheel):
    """The `SERVER_ONLY` distributions that wheel `wheel`'s core (no extra) requires, sorted.

    Examples
    --------
    >>> import pathlib, tempfile, zipfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "senge_course-9.0-py3-none-any.whl"
    >>> with zipfile.ZipFile(path, "w") as whl:
    ...     whl.writestr("senge_course-9.0.dist-info/METADATA", "Name: senge-course\\n"
    ...         "Requires-Dist: numpy>=1.24\\nRequires-Dist: Voila>=0.5\\n"
    ...         'Requires-Dist: nbclient>=0.10; extra == "grade"\\n')
    >>> server_requirements(path)
    ['voila']
    """
    with zipfile.ZipFile(wheel) as whl:
        names = [n for n in whl.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        if not names:
            raise ValueError(f"wheel must hold a .dist-info/METADATA file, got wheel={wheel}")
        metadata = email.parser.Parser().parsestr(whl.read(names[0]).decode("utf-8"))
    found = set()
    for requirement in metadata.get_all("Requires-Dist") or []:
        if re.search(r"""\bextra\s*==""", requirement):
            continue
        name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        if name:
            normal = re.sub(r"[-_.]+", "-", name.group(1)).lower()
            if normal in SERVER_ONLY:
                found.add(normal)
    return sorted(found)


def _check_out(out):
    if not isinstance(out, str | os.PathLike):
        raise TypeError(f"out must be a folder path, got out={out!r} ({type(out).__name__})")
    out = Path(out).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder, got out={out} (a file)")
    if out.is_dir() and any(out.iterdir()) and not (out / "jupyter-lite.json").is_file():
        held = ", ".join(sorted(p.name for p in out.iterdir())[:3])
        raise ValueError(
            "out must be a new or empty folder, or a JupyterLite site built before, got "
            f"out={out} (it holds {held})"
        )
    return out


def _check_wheel(wheel):
    if not isinstance(wheel, str | os.PathLike):
        raise TypeError(f"wheel must be a path, got wheel={wheel!r} ({type(wheel).__name__})")
    wheel = Path(wheel).expanduser().resolve()
    if not _WHEEL.match(wheel.name):
        raise ValueError(
            "wheel must be the course wheel for any platform, "
            f"senge_course-VERSION-py3-none-any.whl, got wheel={wheel.name}"
        )
    if not wheel.is_file():
        raise FileNotFoundError(f"wheel not found: {wheel}")
    return wheel


def _check_tools():
    import importlib.util

    missing = [pip for module, pip in LITE_PACKAGES.items() if not importlib.util.find_spec(module)]
    if missing:
        raise RuntimeError(
            f"building the JupyterLite site needs {' and '.join(missing)}: "
            "pip install -e '.[lite]' from a clone (or pip install " + " ".join(missing) + ")"
        )


def _lab_extension_paths():
    """The folders of the `LAB_EXTENSIONS`, from the installed packages."""
    from jupyter_core.paths import jupyter_path

    found = {}
    for name, package in LAB_EXTENSIONS.items():
        for base in jupyter_path("labextensions"):
            if (Path(base) / name / "package.json").is_file():
                found[name] = str(Path(base) / name)
                break
        else:
            raise RuntimeError(
                f"the JupyterLab extension {name} is not installed: pip install {package}"
            )
    return found


def _write_lite_dir(lite_dir, root, wheel, version):
    """Fill JupyterLite's source folder: contents, settings and the build configuration."""
    import json

    for folder in _LESSON_FOLDERS:
        target = lite_dir / "files" / folder
        target.mkdir(parents=True)
        for path in sorted((root / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            write_text(target / path.name, _lite_notebook_text(nb, version), what="the notebook")
    overrides = root / "jupyter-config" / "overrides.json"
    if overrides.is_file():
        shutil.copyfile(overrides, lite_dir / "overrides.json")
    config = {
        "LiteBuildConfig": {
            # only the extensions the course needs: not every one installed beside JupyterLab
            "ignore_sys_prefix": ["federated_extensions"],
            "federated_extensions": sorted(_lab_extension_paths().values()),
        },
        "PipliteAddon": {"piplite_urls": [str(wheel)]},
    }
    write_text(
        lite_dir / "jupyter_lite_config.json",
        json.dumps(config, indent=2) + "\n",
        what="the JupyterLite configuration",
    )


def _lite_notebook_text(nb, version):
    """Notebook `nb` for the site: the install cell before its first code cell, Pyodide's kernel."""
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first_code, install_cell(version))
    nb.metadata["kernelspec"] = dict(PYODIDE_KERNELSPEC)
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _run(command, *, cwd, what):
    """Run `command`; raise RuntimeError with its last lines of output if it fails."""
    done = subprocess.run(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = [
            line
            for line in done.stdout.splitlines()
            if line.strip() and "is ignored" not in line  # pip's harmless Location warnings
        ]
        tail = "\n".join(lines[-_TAIL:])
        raise RuntimeError(
            f"building {what} failed ({Path(command[2]).name} exited with {done.returncode}):\n"
            f"{tail}"
        )


def _replace(out, staging):
    """Put the built site `staging` in place of `out` (empty, missing, or an older site)."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / "site")
        try:
            os.replace(staging, out)
        except OSError:
            os.replace(old / "site", out)  # the older site goes back where it was
            raise
        finally:
            if out.exists():
                shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)
