"""Every page is written one way: on core.views (issue 16).

core.views holds the one refusal policy (`PermissionMixin`, `refuse`) and the one path from a form
or a button to a service (`ServiceFormMixin`, `ServiceActionView`). This test reads the source of
every view module outside core with `ast` and fails on the home-grown variants that base replaced:

- catching `StaleEditError` in a view (core.views shows the stale-edit message);
- a `form_valid` that wraps a service in `try/except ValidationError` (core.views puts the
  service's errors on the form);
- importing `PermissionRequiredMixin` (from rules or Django) instead of core's `PermissionMixin`;
- raising `PermissionDenied`, or raising `Http404` under a permission check (`has_perm`, or a
  predicate of a `rules` module), or importing a helper that does (`require`), instead of
  `permission_required` / `refuse()`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


PERMISSION_CALLS = {"has_perm", "has_perms"}
# Helpers that raise PermissionDenied on a failed has_perm (dialogues.views.base.require).
HOME_GROWN_REFUSALS = {"require"}


def view_modules() -> list[str]:
    """Every module under `<app>/views.py` or `<app>/views/` except core's, relative to the root."""
    found = []
    for path in sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/views/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not relative.startswith(("core/", ".venv/", "tests/")):
            found.append(relative)
    return found


def _names(node: ast.AST) -> set[str]:
    """Every plain name and attribute name in `node`."""
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            names.add(child.id)
        elif isinstance(child, ast.Attribute):
            names.add(child.attr)
    return names


def _rule_names(tree: ast.Module) -> set[str]:
    """Names the module imports from a rules module (`accounts.rules`, `.rules`, `rules`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "rules":
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _is_permission_check(test: ast.AST, rule_names: set[str]) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in PERMISSION_CALLS or called in rule_names:
                return True
    return False


def _raised(node: ast.Raise) -> str:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    if isinstance(exc, ast.Name):
        return exc.id
    if isinstance(exc, ast.Attribute):
        return exc.attr
    return ""


def problems_in(source: str) -> list[str]:
    """What in one view module's source bypasses core.views (line: what)."""
    tree = ast.parse(source)
    rule_names = _rule_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "PermissionRequiredMixin" for a in node.names):
            found.append(f"{node.lineno}: imports PermissionRequiredMixin (use core.views.PermissionMixin)")
        if isinstance(node, ast.ImportFrom) and any(a.name in HOME_GROWN_REFUSALS for a in node.names):
            found.append(f"{node.lineno}: imports a home-grown refusal helper (use permission_required or refuse)")
        if isinstance(node, ast.ExceptHandler) and node.type is not None and "StaleEditError" in _names(node.type):
            found.append(f"{node.lineno}: catches StaleEditError (core.views.ServiceFormMixin shows it)")
        if isinstance(node, ast.FunctionDef) and node.name == "form_valid":
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.ExceptHandler)
                    and inner.type is not None
                    and "ValidationError" in _names(inner.type)
                ):
                    found.append(
                        f"{inner.lineno}: form_valid catches ValidationError (write perform(form) on ServiceFormMixin)"
                    )
        if isinstance(node, ast.Raise) and _raised(node) == "PermissionDenied":
            found.append(f"{node.lineno}: raises PermissionDenied (use permission_required or core.views.refuse)")
        if isinstance(node, ast.If) and _is_permission_check(node.test, rule_names):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Raise) and _raised(inner) == "Http404":
                    found.append(f"{inner.lineno}: raises Http404 for a permission (set existence_private = True)")
    return sorted(set(found), key=lambda line: int(line.split(":")[0]))


def test_the_view_modules_are_found():
    modules = view_modules()
    assert {"forum/views.py", "followup/views.py", "portal/views.py", "regions/views/base.py"} <= set(modules)
    assert not any(module.startswith("core/") for module in modules)


@pytest.mark.parametrize("module", view_modules())
def test_view_module_uses_the_one_base_of_core_views(module):
    assert problems_in((ROOT / module).read_text()) == []


HOME_GROWN = """
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rules.contrib.views import PermissionRequiredMixin
from accounts.rules import is_own_region
from core.concurrency import StaleEditError
from dialogues.views.base import require


class Page(PermissionRequiredMixin, FormView):
    def form_valid(self, form):
        try:
            services.thing_save(form=form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)

    def get(self, request):
        if not request.user.has_perm("app.view_thing"):
            raise PermissionDenied
        if not is_own_region(request.user, self.region):
            raise Http404

    def post(self, request):
        try:
            services.thing_save()
        except (StaleEditError, ValueError):
            pass
"""

CONVERTED = """
from django.http import Http404
from core.views import PermissionMixin, ServiceFormMixin


class Page(PermissionMixin, ServiceFormMixin, FormView):
    permission_required = "app.change_thing"
    existence_private = True

    def perform(self, form):
        return services.thing_save(form=form)


class Download(PermissionMixin, DetailView):
    def render_to_response(self, context):
        try:
            handle = self.object.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
"""


def test_the_checker_finds_every_home_grown_variant():
    problems = problems_in(HOME_GROWN)
    assert [problem.split(": ", 1)[1].split(" ")[0:2] for problem in problems] == [
        ["imports", "PermissionRequiredMixin"],
        ["imports", "a"],
        ["form_valid", "catches"],
        ["raises", "PermissionDenied"],
        ["raises", "Http404"],
        ["catches", "StaleEditError"],
    ]


def test_the_checker_passes_a_page_on_core_views_and_a_missing_file_answered_404():
    assert problems_in(CONVERTED) == []
