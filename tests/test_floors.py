"""The floors of README "Where things are": the import-linter contract in pyproject.toml (also run
by `make lint`) keeps every package importing only the packages below it."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_imports_only_the_floors_below_it():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Floors: each package imports only the packages below it KEPT" in result.stdout


def test_an_upward_import_breaks_the_floors(tmp_path):
    """The contract is not vacuous: core importing dialogues, in a copy of the tree, is refused."""
    for name in ("config", "portal", "api", "reports", "dialogues", "followup", "forum", "regions", "accounts", "core"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("locale", "templates", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "core" / "upward.py").write_text("import dialogues.models  # noqa: F401\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "core.upward -> dialogues.models" in result.stdout


def _lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
