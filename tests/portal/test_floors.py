"""The import floors of issue 16, for what this slice untangled: portal composes the apps, and the
apps below it no longer reach up (only lazy string foreign keys may point upwards)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "accounts", "regions", "forum", "followup", "dialogues", "reports", "portal", "config")


def _imported_apps(app: str) -> dict[str, set[str]]:
    """For each module of `app` (migrations aside): the other project packages it imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != app:
                    found.setdefault(str(path.relative_to(ROOT)), set()).add(top)
    return found


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("accounts", {"regions", "forum", "followup", "dialogues", "reports", "portal"}),
        ("regions", {"forum", "followup", "dialogues", "reports", "portal"}),
        ("forum", {"followup", "dialogues", "reports", "portal"}),
        ("dialogues", {"reports", "portal"}),
        ("followup", {"dialogues", "reports", "portal"}),
    ],
)
def test_app_imports_nothing_above_it(app, forbidden):
    upward = {module: apps & forbidden for module, apps in _imported_apps(app).items() if apps & forbidden}
    assert upward == {}


def test_only_the_url_configuration_imports_portal():
    importers = {
        module for app in APPS if app != "portal" for module, apps in _imported_apps(app).items() if "portal" in apps
    }
    assert importers == {"config/urls.py"}
