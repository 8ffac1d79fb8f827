"""Build hook: the wheel carries the course (everything else is in pyproject.toml).

The lessons, the exercises, the JupyterLab settings, the example scenario files (lesson 08 loads
one) and the LICENSE live at the top of the
repository, outside ``src/``; a wheel holds only what is inside its packages.  This hook copies
them into ``senge_course/_course/`` of the build, where ``importlib.resources`` finds them
(``senge_course.paths.packaged_course``) and ``senge-course init`` copies them from.
``solutions/`` and ``instructors/`` are never copied.  An editable install needs no copy: the
package finds the clone beside it.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: (what is copied, the files in it that ship); kept equal to senge_course.paths.COURSE_FILES
COURSE = (
    ("notebooks", "*.ipynb"),
    ("exercises", "*.ipynb"),
    ("jupyter-config", "*.json"),
    ("examples/assignments", "*.json"),  # lesson 08 loads a scenario file from here
)


class build_py_with_course(build_py):
    """``build_py``, then the course's files into ``senge_course/_course/``."""

    def run(self):
        editable = getattr(self, "editable_mode", False)
        if not editable:
            # an earlier build's modules (a module since moved or deleted) must not ship
            shutil.rmtree(Path(self.build_lib) / "senge_course", ignore_errors=True)
        super().run()
        if editable:
            return  # an editable install reads the course from the clone itself
        target = Path(self.build_lib) / "senge_course" / "_course"
        for folder, pattern in COURSE:
            files = sorted((HERE / folder).glob(pattern))
            if not files:
                raise SystemExit(f"build: no {pattern} in {HERE / folder}: is the course here?")
            (target / folder).mkdir(parents=True)
            for path in files:
                shutil.copyfile(path, target / folder / path.name)
        shutil.copyfile(HERE / "LICENSE", target / "LICENSE")


setup(cmdclass={"build_py": build_py_with_course})
