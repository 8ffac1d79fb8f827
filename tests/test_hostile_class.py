"""A hostile class: every attack of the adversarial review, replayed against the grader.

Each attacker is lesson 00's solution with one more cell that attacks, then reports what it got
in its reflection (the one answer the grader copies into the feedback, the reflections file and
the class file).  Two honest classmates are graded alongside, two kernels at once, inside the
bubblewrap sandbox (`--sandbox bwrap`; CI installs bubblewrap).  The tests assert that nothing
leaks, no other grade changes, the files the grader owns are intact after it exits, and the run
completes.  The README's security table says what ``--sandbox none`` does not protect.
"""

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from senge_course.grading import grade, read_gradebook
from senge_course.grading.kernel import Limits, bwrap_problem, machine_memory_mb
from senge_course.paths import course_root

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bwrap_problem() is not None, reason=f"no sandbox here: {bwrap_problem()}"),
]

ROOT = course_root()
SOLUTION = ROOT / "solutions" / "00_start_here.ipynb"
SECRET = "grader-secret-4f1c9a"
MARKER = "victim-marker-77d2e1"
LIMITS = {"timeout": 90, "cell_timeout": 30, "memory_mb": 1024}

# Every attack runs inside try/except and records what it saw: the report is the reflection.
_REPORT = """
import os, sys, glob, json, signal, subprocess, time, pathlib
seen = []
def tried(what, fn):
    try:
        got = fn()
        seen.append(f"{what}: {str(got)[:3000]}")
    except BaseException as exc:
        seen.append(f"{what}: refused ({type(exc).__name__})")
"""
_END = "\nreflection_q5 = 'REPORT ' + ' | '.join(seen)\n"


def _attacks(paths):
    """Attack name -> the cell's code; `paths` names the grader's files an attacker would guess."""
    victim, gradebook, home = paths["victim"], paths["gradebook"], paths["home"]
    solutions = str(ROOT / "solutions" / "00_start_here.ipynb")
    return {
        "environment": """
tried("env", lambda: {k: v for k, v in os.environ.items()})
for pid in os.listdir("/proc"):
    if pid.isdigit():
        tried("environ " + pid, lambda: pathlib.Path(f"/proc/{pid}/environ").read_bytes())
tried("parent environ", lambda: pathlib.Path(f"/proc/{os.getppid()}/environ").read_bytes())
""",
        "reader": f"""
tried("passwd", lambda: pathlib.Path("/etc/passwd").read_text())
tried("home", lambda: os.listdir({home!r}))
tried("classmate", lambda: pathlib.Path({victim!r}).read_text())
tried("gradebook", lambda: pathlib.Path({gradebook!r}).read_text())
tried("solutions", lambda: pathlib.Path({solutions!r}).read_text())
tried("found", lambda: [p for p in glob.glob("/**/*.ipynb", recursive=True)
                        if "/proc/" not in p][:50])
""",
        "overwriter": f"""
tried("victim", lambda: pathlib.Path({victim!r}).write_text("hacked"))
tried("gradebook", lambda: pathlib.Path({gradebook!r}).write_text("student\\\\nforged\\\\n"))
""",
        "killer": """
tried("kill parent", lambda: os.kill(os.getppid(), signal.SIGKILL))
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) not in (os.getpid(), 1):
        tried("stop " + pid, lambda: os.kill(int(pid), signal.SIGSTOP))
""",
        "background": f"""
code = ("import time, pathlib\\n"
        "for _ in range(40):\\n"
        "    time.sleep(0.25)\\n"
        "    try: pathlib.Path({gradebook!r}).write_text('forged')\\n"
        "    except OSError: pass\\n"
        "# {MARKER}-daemon")
tried("daemon", lambda: subprocess.Popen([sys.executable, "-c", code],
                                          start_new_session=True).pid)
""",
        "planter": """
for folder in sys.path:
    if folder.endswith("site-packages"):
        tried("pth " + folder, lambda: pathlib.Path(folder, "senge_evil.pth").write_text(
            "import os; os.system('touch /tmp/senge-evil-ran')"))
""",
        "injector": """
found = []
deadline = time.time() + 6
while time.time() < deadline and not found:
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                argv = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\\0")
            except OSError:
                continue
            if b"-f" in argv:
                found.append(argv[argv.index(b"-f") + 1].decode())
    found += [p for p in glob.glob("/tmp/**/connection.json", recursive=True)
              if p not in found]
    time.sleep(0.2)
from jupyter_client import BlockingKernelClient
for path in found:
    def inject(path=path):  # (its own kernel too: the attacker cannot tell them apart)
        kc = BlockingKernelClient(connection_file=path)
        kc.load_connection_file()
        kc.start_channels()
        kc.execute("answer_q1 = 'd'; answer_q3 = -1")
        return "sent"
    tried("inject " + path, inject)
from ipykernel import get_connection_file
own = os.path.realpath(get_connection_file())
others = [p for p in found if os.path.realpath(p) != own]  # its own kernel is no classmate's
seen.append(f"kernels seen: {len(others)}")
""",
    }


def _notebook(attack=""):
    nb = nbformat.read(SOLUTION, as_version=4)
    if attack:
        nb.cells.insert(1, nbformat.v4.new_code_cell(_REPORT + attack + _END))
        # the reflection cell would overwrite the report: the report goes last
        nb.cells.append(nbformat.v4.new_code_cell(_END))
    return nb


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    folder, out = base / "class", base / "graded" / "gradebook.csv"
    folder.mkdir()
    honest = _notebook()
    honest.cells.append(nbformat.v4.new_markdown_cell(MARKER))  # what a reader would look for
    # the victims sleep so that they run while the attackers do (two kernels at once)
    slow = nbformat.v4.new_code_cell("import time\ntime.sleep(6)")
    for name in ("victim", "victim2"):
        nb = nbformat.from_dict(json.loads(nbformat.writes(honest)))
        nb.cells.insert(1, slow)
        nbformat.write(nb, folder / f"{name}.ipynb")
    paths = {
        "victim": str(folder / "victim2.ipynb"),
        "gradebook": str(out),
        "home": str(Path.home()),
    }
    for name, attack in _attacks(paths).items():
        nbformat.write(_notebook(attack), folder / f"{name}.ipynb")
    (folder / "linker.ipynb").symlink_to(folder / "victim.ipynb")
    nbformat.write(_notebook(), folder / "=x.ipynb")
    nbformat.write(_notebook(), folder / "'=x.ipynb")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if not p.is_symlink()}
    site = [Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    old_environ = os.environ.get("GRADER_API_TOKEN")
    os.environ["GRADER_API_TOKEN"] = SECRET
    try:
        run = grade(folder, out, workers=2, progress=False, sandbox="bwrap", **LIMITS)
    finally:
        if old_environ is None:
            del os.environ["GRADER_API_TOKEN"]
        else:
            os.environ["GRADER_API_TOKEN"] = old_environ
    written = out.read_bytes()
    time.sleep(4)  # a background process would strike now, after the grader returned
    return {
        "run": run,
        "out": out,
        "folder": folder,
        "before": before,
        "written": written,
        "rows": {r["student"]: r for r in read_gradebook(out)},
        "reports": {
            s: r["answers"].get("reflection_q5", "")
            for s, r in json.loads(out.with_name("class.json").read_text())["students"].items()
        },
        "site": site,
    }


def test_the_run_completes_with_a_row_for_every_student(hostile):
    rows = hostile["rows"]
    expected = {"victim", "victim2", "linker", "=x", "'=x", *_attacks(dict.fromkeys(
        ("victim", "gradebook", "home"), "/nowhere"))}  # fmt: skip
    assert set(rows) == expected


def test_honest_classmates_keep_full_marks_and_their_files(hostile):
    rows = hostile["rows"]
    for name in ("victim", "victim2"):
        assert (rows[name]["status"], rows[name]["score"]) == ("ok", "5"), rows[name]
    folder = hostile["folder"]
    assert {p.name: p.read_bytes() for p in folder.iterdir() if not p.is_symlink()} == hostile[
        "before"
    ]


def test_every_attacker_ran_and_reported(hostile):
    # the attacks did run (a report came back), so a clean report means the sandbox held
    for name in _attacks(dict.fromkeys(("victim", "gradebook", "home"), "/nowhere")):
        if name != "killer":
            assert hostile["reports"][name].startswith("REPORT"), name


def test_nothing_secret_reaches_any_report(hostile):
    text = json.dumps(hostile["reports"])
    text += hostile["out"].with_name("reflections.csv").read_text()
    assert SECRET not in text
    assert "root:x:0:0" not in text  # /etc/passwd
    assert MARKER not in text  # a classmate's notebook
    assert "00_start_here" not in hostile["reports"]["reader"].split("found:")[-1]
    assert "BEGIN SOLUTION" not in text and "answer_q1 =" not in text  # the solutions
    assert "kernels seen: 0" in hostile["reports"]["injector"]


def test_the_gradebook_is_intact_after_the_grader_exits(hostile):
    assert hostile["out"].read_bytes() == hostile["written"]
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
    assert f"{MARKER}-daemon" not in ps.stdout  # the background process died with its kernel
    assert not Path("/tmp/senge-evil-ran").exists()


def test_nothing_is_planted_in_site_packages(hostile):
    for folder in hostile["site"]:
        assert not (folder / "senge_evil.pth").exists()


def test_symlinks_are_refused_and_formula_names_stay_two_students(hostile):
    rows = hostile["rows"]
    assert rows["linker"]["status"] == "refused"
    assert "symbolic link" in rows["linker"]["detail"]
    # '=x and =x were one row once (a spreadsheet-safe cell for one was the other's name)
    for name in ("=x", "'=x"):
        assert (rows[name]["status"], rows[name]["score"]) == ("ok", "5")


def test_the_gradebook_keeps_its_mode_on_a_regrade(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "gradebook.csv"
    folder.mkdir()
    (folder / "ann.ipynb").write_text("not json")
    grade(folder, out, progress=False, sandbox="bwrap")
    os.chmod(out, 0o600)
    grade(folder, out, progress=False, force=True, sandbox="bwrap")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_memory_limit_is_bounded_by_the_machine():
    with pytest.raises(ValueError, match="memory_mb"):
        Limits(memory_mb=99999999999999)
    assert Limits(memory_mb=machine_memory_mb()).memory_mb == machine_memory_mb()


def test_the_graders_memory_stays_bounded_while_a_notebook_prints_a_gigabyte(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "gradebook.csv"
    folder.mkdir()
    hog = _notebook(
        """
print("x" * 400_000_000)
from IPython.display import display
display({"application/vnd.senge-course.answers+json": "y" * 300_000_000}, raw=True)
seen.append("printed")
"""
    )
    nbformat.write(hog, folder / "hog.ipynb")
    script = textwrap.dedent(
        f"""
        from senge_course.grading import grade
        run = grade({str(folder)!r}, {str(out)!r}, progress=False, sandbox="bwrap",
                    timeout=120, cell_timeout=60, memory_mb=2048)
        # VmHWM, the peak of this process's own memory (ru_maxrss keeps the peak of the process
        # it was forked from, across exec: a large pytest worker would show as the grader's)
        peak = next(line.split()[1] for line in open("/proc/self/status")
                    if line.startswith("VmHWM:"))
        print(run.results[0].status, peak)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    status, peak_kb = done.stdout.strip().splitlines()[-1].rsplit(maxsplit=1)
    assert int(peak_kb) < 400 * 1024, f"the grader peaked at {int(peak_kb) / 1024:.0f} MB"
    assert status in ("ok", "timeout", "memory", "collect failed")
