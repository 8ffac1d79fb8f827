"""`senge-course lite`: the course as a JupyterLite site, built offline (issue 18, item 6).

Only the build can be tested here: running the site needs Pyodide's packages from its CDN.  The
slow tests need jupyterlite-core and jupyterlite-pyodide-kernel (CI installs them through the
``[test]`` extra); without them they skip with one line.
"""

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

from senge_course.course import lite
from senge_course.course.lite import (
    PYODIDE_KERNELSPEC,
    build_lite,
    course_wheel,
    install_cell,
    server_requirements,
)
from senge_course.paths import course_root

HAVE_LITE = all(importlib.util.find_spec(module) for module in lite.LITE_PACKAGES)
needs_lite = pytest.mark.skipif(
    not HAVE_LITE,
    reason="jupyterlite-core and jupyterlite-pyodide-kernel are not installed "
    "(pip install -e '.[lite]' from a clone)",
)
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
FOLDERS = ("notebooks", "exercises")


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def config_data(site):
    return json.loads((site / "jupyter-lite.json").read_text("utf-8"))["jupyter-config-data"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One wheel and one site for the module's tests: (site, wheel, warnings, seconds)."""
    if not HAVE_LITE:
        pytest.skip("jupyterlite-core is not installed")
    folder = tmp_path_factory.mktemp("lite")
    started = time.perf_counter()
    wheel = course_wheel(folder / "wheel")
    built_wheel = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        site = build_lite(folder / "site", wheel=wheel)
    done = time.perf_counter()
    print(f"\nlite: wheel {built_wheel - started:.1f} s, site {done - built_wheel:.1f} s")
    return site, wheel, [str(w.message) for w in caught], done - built_wheel


# --- the built site ------------------------------------------------------------------------


@pytest.mark.slow
@needs_lite
def test_the_site_holds_the_wheel_and_indexes_it(built):
    site, wheel, _, _ = built
    copy = site / "pypi" / wheel.name
    assert copy.is_file() and sha256(copy) == sha256(wheel)
    index = json.loads((site / "pypi" / "all.json").read_text("utf-8"))
    version = wheel.name.split("-")[1]
    (release,) = index["senge-course"]["releases"][version]
    assert release["filename"] == wheel.name and release["url"] == f"./{wheel.name}"
    assert release["digests"]["sha256"] == sha256(wheel)


@pytest.mark.slow
@needs_lite
def test_the_pyodide_kernel_installs_the_course_from_the_site(built):
    site, _, _, _ = built
    config = config_data(site)
    assert config["defaultKernelName"] == "python"
    urls = config["litePluginSettings"][KERNEL_PLUGIN]["pipliteUrls"]
    # the course's own index comes first, pinned to the content it was built with
    first = urlsplit(urls[0])
    assert first.path == "./pypi/all.json"
    assert parse_qs(first.query)["sha256"] == [sha256(site / "pypi" / "all.json")]
    for url in urls:  # every index named is in the site (no index on another host)
        assert (site / urlsplit(url).path).is_file(), url


@pytest.mark.slow
@needs_lite
def test_the_site_carries_the_pyodide_kernel_and_the_widget_renderers_only(built):
    site, _, _, _ = built
    kernel = site / "extensions" / "@jupyterlite" / "pyodide-kernel-extension"
    assert json.loads((kernel / "package.json").read_text("utf-8"))["name"] == (
        "@jupyterlite/pyodide-kernel-extension"
    )
    assert list((kernel / "static" / "pypi").glob("pyodide_kernel-*-py3-none-any.whl"))
    loaded = {ext["name"] for ext in config_data(site)["federated_extensions"]}
    assert loaded == set(lite.LAB_EXTENSIONS)  # no Voila preview: it needs a server
    for name in loaded:
        assert (site / "extensions" / name / "package.json").is_file(), name
    assert not list(site.rglob("*.js.map")), "the site is built without sourcemaps"


@pytest.mark.slow
@needs_lite
@pytest.mark.parametrize("folder", FOLDERS)
def test_every_lesson_and_exercise_is_in_the_site_with_an_install_cell(built, folder):
    site, wheel, _, _ = built
    version = wheel.name.split("-")[1]
    sources = sorted((course_root() / folder).glob("*.ipynb"))
    assert len(sources) >= 9
    listing = json.loads((site / "api" / "contents" / folder / "all.json").read_text("utf-8"))
    assert {item["name"] for item in listing["content"]} == {path.name for path in sources}
    for source in sources:
        original = nbformat.read(source, as_version=4)
        copy = nbformat.read(site / "files" / folder / source.name, as_version=4)
        nbformat.validate(copy)
        assert copy.metadata["kernelspec"] == PYODIDE_KERNELSPEC
        installs = [
            i for i, c in enumerate(copy.cells) if "lite-install" in c.metadata.get("tags", [])
        ]
        first_code = next(i for i, c in enumerate(original.cells) if c.cell_type == "code")
        assert installs == [first_code], source.name  # just before the first code cell
        assert copy.cells[first_code].source.endswith(f"%pip install senge-course=={version}")
        del copy.cells[first_code]
        assert [c.source for c in copy.cells] == [c.source for c in original.cells]
    assert not (site / "files" / "solutions").exists()
    assert not list((site / "files").rglob("*solution*"))


@pytest.mark.slow
@needs_lite
def test_the_course_settings_reach_the_site(built):
    site, _, _, _ = built
    ours = json.loads((course_root() / "jupyter-config" / "overrides.json").read_text("utf-8"))
    overrides = config_data(site)["settingsOverrides"]
    for plugin, settings in ours.items():
        assert overrides[plugin] == settings, plugin


@pytest.mark.slow
@needs_lite
def test_a_wheel_needing_server_packages_is_named_in_a_warning(built):
    _, wheel, caught, seconds = built
    blocking = server_requirements(wheel)
    if blocking:
        (message,) = caught
        assert all(name in message for name in blocking) and "Pyodide" in message
    else:
        assert caught == []
    assert seconds < 60, f"the site took {seconds:.0f} s to build"


def _bwrap_works():
    if not shutil.which("bwrap"):
        return False
    probe = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all"]
    return subprocess.run([*probe, "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.slow
@needs_lite
def test_the_site_builds_without_a_network_and_replaces_an_older_site(built, tmp_path):
    if not _bwrap_works():
        pytest.skip("bubblewrap (bwrap) is not installed or cannot unshare the network here")
    _, wheel, _, _ = built
    out = tmp_path / "site"
    out.mkdir()
    (out / "jupyter-lite.json").write_text("{}")  # an older site, with a file no build writes
    (out / "stale.txt").write_text("old")
    (tmp_path / "tmp").mkdir()
    script = (
        "import sys, warnings; warnings.simplefilter('ignore');"
        "from senge_course.course.lite import build_lite;"
        "print(build_lite(sys.argv[1], wheel=sys.argv[2]))"
    )
    command = [
        "bwrap",
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--bind", str(tmp_path), str(tmp_path),
        "--setenv", "TMPDIR", str(tmp_path / "tmp"),
        "--unshare-all",  # its own network namespace: no route anywhere
        "--die-with-parent",
        sys.executable, "-c", script, str(out), str(wheel),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == str(out)
    assert not (out / "stale.txt").exists()
    assert (out / "pypi" / wheel.name).is_file()
    assert (out / "files" / "notebooks" / "00_start_here.ipynb").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


# --- input checks (no build) ---------------------------------------------------------------


def test_install_cell_pins_the_version():
    cell = install_cell("1.2.3")
    assert cell.cell_type == "code" and cell.metadata["tags"] == ["lite-install"]
    assert cell.source.splitlines()[-1] == "%pip install senge-course==1.2.3"


def _fake_wheel(folder, *requirements, name="senge_course-9.0-py3-none-any.whl"):
    path = Path(folder) / name
    with zipfile.ZipFile(path, "w") as whl:
        lines = ["Name: senge-course", *[f"Requires-Dist: {r}" for r in requirements]]
        whl.writestr("senge_course-9.0.dist-info/METADATA", "\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [
        (("numpy>=1.24", "ipywidgets>=8", "anywidget>=0.9"), []),
        (
            ("JupyterLab>=4", "jupyter_server>=2", "pyzmq"),
            ["jupyter-server", "jupyterlab", "pyzmq"],
        ),
        (('voila>=0.5; extra == "present"', 'ipykernel>=6; extra=="lab"'), []),
        (("nbclient>=0.10 ; python_version >= '3.11'",), ["nbclient"]),
    ],
)
def test_server_requirements_reads_the_core_requirements(tmp_path, requirements, expected):
    assert server_requirements(_fake_wheel(tmp_path, *requirements)) == expected


def test_server_requirements_needs_metadata(tmp_path):
    path = tmp_path / "senge_course-9.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as whl:
        whl.writestr("senge_course/__init__.py", "")
    with pytest.raises(ValueError, match=r"wheel must hold a \.dist-info/METADATA file"):
        server_requirements(path)


def test_out_must_be_a_path(tmp_path):
    with pytest.raises(TypeError, match=r"out must be a folder path, got out=3 \(int\)"):
        build_lite(3)
    with pytest.raises(TypeError, match=r"wheel must be a path, got wheel=1.5 \(float\)"):
        build_lite(tmp_path / "site", wheel=1.5)


def test_out_must_not_hold_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match=r"out must be a new or empty folder.*holds notes\.txt"):
        build_lite(tmp_path)
    with pytest.raises(ValueError, match=r"out must be a folder, got out=.*notes\.txt \(a file\)"):
        build_lite(tmp_path / "notes.txt")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_wheel_must_be_a_course_wheel_for_any_platform(tmp_path):
    other = _fake_wheel(tmp_path, name="senge_course-9.0-cp311-cp311-linux_x86_64.whl")
    with pytest.raises(ValueError, match=r"senge_course-VERSION-py3-none-any\.whl, got wheel="):
        build_lite(tmp_path / "site", wheel=other)
    with pytest.raises(FileNotFoundError, match=r"wheel not found: .*senge_course-1\.0-py3"):
        build_lite(tmp_path / "site", wheel=tmp_path / "senge_course-1.0-py3-none-any.whl")
    assert not (tmp_path / "site").exists()


def test_missing_tools_say_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(lite, "LITE_PACKAGES", {"no_such_module_xyz": "no-such-package"})
    with pytest.raises(
        RuntimeError, match=r"needs no-such-package: pip install -e '\.\[lite\]' from a clone"
    ):
        build_lite(tmp_path / "site", wheel=_fake_wheel(tmp_path))
    assert not (tmp_path / "site").exists()


def test_a_folder_without_pyproject_cannot_build_a_wheel(tmp_path):
    with pytest.raises(ValueError, match=r"has no pyproject\.toml .*pass it with wheel="):
        course_wheel(tmp_path / "wheel", root=tmp_path)
