"""core is the lowest floor (issue 16): it imports no package of the project, so every app can use it."""

import ast
from pathlib import Path

from django.conf import settings

PROJECT_PACKAGES = {
    path.parent.name for path in Path(settings.BASE_DIR).glob("*/__init__.py") if path.parent.name != "core"
}


def _imported_packages(source: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_project_package():
    core = Path(settings.BASE_DIR) / "core"
    assert {"accounts", "config", "dialogues"} <= PROJECT_PACKAGES
    offending = {
        str(source.relative_to(core)): sorted(_imported_packages(source) & PROJECT_PACKAGES)
        for source in core.rglob("*.py")
        if _imported_packages(source) & PROJECT_PACKAGES
    }
    assert offending == {}
