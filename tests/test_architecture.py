"""The house's three floors hold: import contracts, private names, module sizes.

The contracts themselves live in ``pyproject.toml`` (``[tool.importlinter]``) and are checked by
import-linter; this file runs it, and adds what import-linter cannot see: no module uses another
module's ``_private`` names, and no module grows past what one person can hold in their head.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "senge_course"

#: Largest module, in lines (one concept per module).
MAX_MODULE_LINES = 1200
#: Largest views floor, in lines: the views stay thin.
MAX_VIEW_LINES = 6500


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            yield path, ".".join(parts[:-1]), True
        else:
            yield path, ".".join(parts), False


def _resolve(module, is_package, level, name):
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_name_uses():
    """Every place a module uses another course module's ``_private`` name: (where, what)."""
    found = []
    for path, module, is_package in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported_modules = {}  # local name -> module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = (
                    _resolve(module, is_package, node.level, node.module)
                    if node.level
                    else node.module or ""
                )
                if not source.startswith("senge_course"):
                    continue
                for alias in node.names:
                    target = f"{source}.{alias.name}"
                    if (PACKAGE.parent / Path(*target.split("."))).with_suffix(".py").exists() or (
                        PACKAGE.parent / Path(*target.split("."))
                    ).is_dir():
                        imported_modules[alias.asname or alias.name] = target
                    elif _private(alias.name) and source != module:
                        found.append((f"{path.name}:{node.lineno}", f"{source}.{alias.name}"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("senge_course") and alias.asname:
                        imported_modules[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported_modules
                and _private(node.attr)
            ):
                found.append(
                    (f"{path.name}:{node.lineno}", f"{imported_modules[node.value.id]}.{node.attr}")
                )
    return found


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    out = subprocess.run(
        [lint, "--no-cache"], capture_output=True, text=True, cwd=PACKAGE.parents[1]
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_no_module_uses_another_modules_private_names():
    assert private_name_uses() == []


def test_private_name_check_finds_a_use(tmp_path, monkeypatch):
    pkg = tmp_path / "senge_course"
    (pkg / "models").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "models" / "__init__.py").write_text("")
    (pkg / "models" / "a.py").write_text("def _helper():\n    return 1\n")
    (pkg / "models" / "b.py").write_text(
        "from . import a\nfrom .a import _helper\n\nx = a._helper()\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    assert sorted(what for _, what in private_name_uses()) == [
        "senge_course.models.a._helper",
        "senge_course.models.a._helper",
    ]


@pytest.mark.parametrize(
    "path", [p for p, _, _ in _modules()], ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_module_is_at_most_1200_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines: split it by concept"


def test_views_stay_thin():
    lines = sum(
        len(p.read_text(encoding="utf-8").splitlines()) for p in (PACKAGE / "views").rglob("*.py")
    )
    assert lines <= MAX_VIEW_LINES, f"views/ has {lines} lines (at most {MAX_VIEW_LINES})"
