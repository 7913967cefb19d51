"""Hostile input into every form reachable without URL parameters: never a 500, and a refused
form stores nothing. New forms are covered as soon as their URL exists."""

import inspect
import re
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.choices import Role
from tests.conftest import make_region_a, make_region_b, make_users

from .test_anonymous_access import PARAM, _walk
from .test_role_access import ACCESS
from .urlwalk import api_headers, build_world, path_for, walk

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
def test_form_hostile_input_never_fails_and_a_refusal_stores_nothing(shared, memo, role, name, path, data):
    # The page is asked for once and its form kept for the next examples: a refused form changes
    # nothing, so the page would be the same. After an accepted one it is asked for again.
    if "form" not in memo:
        memo["client"] = client = _client(shared["users"][role])
        page = client.get(path)
        assert page.status_code < 500, f"GET {path} answered {page.status_code}"
        memo["form"] = (page.context or {}).get("form") if page.status_code == 200 else None
    client, form = memo["client"], memo["form"]
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
    else:
        memo.clear()  # accepted (or sent elsewhere): the next example starts from the page again


# --- Query parameters of every page ------------------------------------------------------------

# What many pages read (search, paging, sorting, filters by county, year, category ...).
GENERIC_PARAMETERS = ("q", "page", "sort", "order", "year", "month", "region", "category", "status", "next", "format")
GET_FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
FIELD_NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""", re.I)
LINK_QUERY = re.compile(r"""href=["'](?P<path>[^"'?#]*)\?(?P<query>[^"'#]+)["']""", re.I)
READS = re.compile(r"""GET(?:\.get|\.getlist|\.__getitem__)?\s*[(\[]\s*["']([\w-]+)["']""")
HOSTILE_QUERY = st.one_of(
    HOSTILE,
    st.sampled_from(["\x00", "a\x00b", "%00", "0001-01", "9999-12", "-0", "1" * 400, "[]", "{}", "None", "æøå\u202e"]),
)


def _view_class(pattern):
    callback = pattern.callback
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback


def _parameters_read_by(pattern) -> set[str]:
    """The query parameters the view's code reads (`request.GET.get("x")`) and its filter set's."""
    view = _view_class(pattern)
    names = set()
    for cls in inspect.getmro(view) if inspect.isclass(view) else [view]:
        if cls.__module__.split(".")[0] not in {"accounts", "regions", "forum", "dialogues", "followup", "config"}:
            continue
        names |= set(READS.findall(inspect.getsource(cls)))
        filterset = getattr(cls, "filterset_class", None)
        if filterset is not None:
            names |= set(filterset.base_filters)
    return names


def _parameters_on_page(path: str, html: str) -> set[str]:
    """The fields of the page's GET forms and the parameters of its links back to itself."""
    names = set()
    for form in GET_FORM.finditer(html):
        if not re.search(r"""method\s*=\s*["']?post""", form["attrs"], re.I):
            names |= set(FIELD_NAME.findall(form["body"]))
    for link in LINK_QUERY.finditer(html):
        if link["path"] in ("", path):
            names |= set(parse_qs(unescape(link["query"]), keep_blank_values=True))
    return names - {"csrfmiddlewaretoken", "form_token"}


def _get_urls():
    for name, route, pattern in walk(get_resolver()):
        access = ACCESS.get(name)
        if name == "admin:index" or access is None or access.get is None:
            continue
        yield pytest.param(name, route, pattern, id=name)


# Values that broke pages before (NUL bytes, years out of range) and other classics, each sent in
# every parameter of every page at once.
KNOWN_HOSTILE = ["\x00", "a\x00b", "0001-01", "0001-01-01T00:30", "9999-12", "-1", "1e309", "9" * 40, "NaN", ""]
KNOWN_HOSTILE += ["<script>alert('x')</script>", "'; DROP TABLE regions_region; --", "ä" * 5000, "../../etc/passwd"]


def _parameters(client, path, pattern) -> list[str]:
    page = client.get(path)
    html = page.content.decode(errors="replace") if not page.streaming else ""
    _drain(page)
    return sorted(_parameters_read_by(pattern) | _parameters_on_page(path, html) | set(GENERIC_PARAMETERS))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route", "pattern"), list(_get_urls()))
def test_query_parameters_known_hostile_values_never_fail(shared, name, route, pattern):
    """Every page, filled with real objects, asked with each known hostile value in every parameter
    its code, its filters, its forms and its links read (and in common ones), by each role."""
    path = path_for(name, route, shared["world"])
    problems = []
    for role in (Role.MINISTRY, Role.AGENCY, Role.REGION):
        client = _client(shared["users"][role])
        names = _parameters(client, path, pattern)
        for value in KNOWN_HOSTILE:
            response = client.get(path, dict.fromkeys(names, value))
            _drain(response)
            if response.status_code >= 500:
                problems.append(f"{role}: {response.status_code} to {value[:30]!r} in {names}")
    assert problems == [], f"GET {path}:\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route", "pattern"), list(_get_urls()))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_query_parameters_random_hostile_values_never_fail(shared, memo, name, route, pattern, data):
    """The same parameters, some of them sent, each with a random hostile value."""
    path = path_for(name, route, shared["world"]) if "path" not in memo else memo["path"]
    memo["path"] = path
    role = data.draw(st.sampled_from([Role.MINISTRY, Role.AGENCY, Role.REGION]), label="role")
    if role not in memo:  # each role's client and the parameters its page offers, found once
        client = _client(shared["users"][role])
        memo[role] = client, _parameters(client, path, pattern)
    client, names = memo[role]
    query = {}
    for key in names:
        if data.draw(st.booleans(), label=f"send {key}"):
            query[key] = data.draw(HOSTILE_QUERY, label=key)
    response = client.get(path, query)
    _drain(response)
    assert response.status_code < 500, f"GET {path} answered {response.status_code} to {query!r}"


@pytest.fixture(scope="module")
def shared(module_transaction):
    """The world and a user of each role, built once for the module: its tests only read them, and
    what a test writes is rolled back after it (tests/conftest.py, module_transaction)."""
    region_a, region_b = make_region_a(), make_region_b()
    return {"users": make_users(region_a), "world": build_world(region_a, region_b)}


@pytest.fixture
def memo() -> dict:
    """What the examples of one hypothesis test share (fixtures are set up once per test)."""
    return {}


def _client(user) -> Client:
    client = Client(**api_headers(user))  # the API takes a token of the user's account, not the session
    client.force_login(user)
    return client


def _drain(response) -> None:
    # read a download to its end; response.close() would close the test's database connection
    if response.streaming:
        b"".join(response.streaming_content)
