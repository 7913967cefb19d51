"""The reports app sits above dialogues and followup: nothing below it imports it (dialogues tells
it about a closed round with the `round_closed` signal instead)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BELOW_REPORTS = ("core", "accounts", "regions", "forum", "followup", "dialogues")


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", BELOW_REPORTS)
def test_no_package_below_reports_imports_it(package):
    importing = [
        str(path.relative_to(ROOT)) for path in (ROOT / package).rglob("*.py") if "reports" in _imported_packages(path)
    ]
    assert importing == []
