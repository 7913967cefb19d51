"""Hostile input into every form reachable without URL parameters: never a 500, and a refused
form stores nothing. New forms are covered as soon as their URL exists."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.choices import Role

from .test_anonymous_access import PARAM, _walk

HOSTILE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert('x')</script>",
            "'; DROP TABLE regions_region; --",
            "\x00",
            "ä" * 5000,
            "9" * 40,
            "-1",
            "1e309",
            "2026-02-30",
            "0000-00-00",
            "31/12/99999",
            "../../etc/passwd",
            "１２３",
            "NaN",
        ]
    ),
)
# Only our own apps' forms; the admin and password views are Django's.
SKIP_NAMESPACES = {"admin"}
SKIP_NAMES = {"login", "logout", "password_change", "password_reset", "set_language"}


def _form_urls():
    for name, route, _ in _walk(get_resolver()):
        if not name or PARAM.search(route) or name in SKIP_NAMES or name.split(":")[0] in SKIP_NAMESPACES:
            continue
        if route and not route.endswith("/"):
            continue
        yield pytest.param(name, "/" + route, id=name)


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "regions", "forum", "dialogues", "followup"}
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION])
@pytest.mark.parametrize(("name", "path"), list(_form_urls()))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_form_hostile_input_never_fails_and_a_refusal_stores_nothing(client, user_by_role, role, name, path, data):
    client.force_login(user_by_role[role])
    page = client.get(path)
    assert page.status_code < 500, f"GET {path} answered {page.status_code}"
    form = (page.context or {}).get("form") if page.status_code == 200 else None
    if form is None:
        return
    payload = {}
    for field_name, field in form.fields.items():
        key = form.add_prefix(field_name)
        if data.draw(st.booleans(), label=f"omit {key}"):
            continue
        if "File" in type(field).__name__:
            content = data.draw(st.binary(max_size=512), label=f"bytes {key}")
            payload[key] = SimpleUploadedFile(data.draw(st.sampled_from(["a.pdf", "b.exe", "c"])), content)
        else:
            payload[key] = data.draw(HOSTILE, label=key)
    before = _row_counts()
    response = client.post(path, payload)
    assert response.status_code < 500, f"POST {path} answered {response.status_code} to {payload!r}"
    if response.status_code == 200:
        assert _row_counts() == before, f"{path} refused the form but stored something"
