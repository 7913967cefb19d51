"""County separation, proven for every URL: a regional user of county B requests every URL of the
project filled with county A's objects (GET, and POST with the page's own form data or nothing),
and never receives A's unpublished material or changes anything of A's.

The URL list comes from Django's resolver; a URL with parameters that urlwalk.KWARGS cannot fill
fails the test, so a new view has to be classified there before it can land.
"""

import pytest
from django.urls import get_resolver

from accounts.choices import CountyRole, Role
from tests.factories.accounts import UserFactory

from .urlwalk import SECRETS, api_headers, build_world, fingerprint, path_for, walk


def _urls():
    for name, route, _ in walk(get_resolver()):
        if route.startswith("admin/") or name in ("logout", "sessions_end_all", "set_language"):
            # Django's admin is closed to regional users (tested in tests/accounts); logging out (or
            # ending all of one's own sessions) ends the test
            continue
        yield pytest.param(name, route, id=name or route)


@pytest.fixture
def world(region_a, region_b):
    return build_world(region_a, region_b)


def _leaked(response) -> list[str]:
    if response.get("Content-Type", "").startswith(("image/", "application/pdf")):
        return []
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    return [secret for secret in SECRETS.values() if secret in text]


@pytest.mark.django_db
@pytest.mark.parametrize("county_role", CountyRole.values)  # B's director and B's editor
@pytest.mark.parametrize(("name", "route"), list(_urls()))
def test_url_other_countys_user_sees_and_changes_nothing_of_county_a(client, world, region_b, name, route, county_role):
    user_b = UserFactory(role=Role.REGION, region=region_b, county_role=county_role)
    client.force_login(user_b)
    client.defaults.update(api_headers(user_b))  # the API takes a token of B's account, never the session
    path = path_for(name, route, world)

    page = client.get(path)
    assert page.status_code < 500, f"GET {path}: {page.status_code}"
    assert _leaked(page) == [], f"GET {path} shows county A's unpublished material"

    before = fingerprint()
    form = (page.context or {}).get("form") if page.status_code == 200 else None
    data = {form.add_prefix(k): v for k, v in form.initial.items() if v is not None} if form else {}
    response = client.post(path, data)
    assert response.status_code < 500, f"POST {path}: {response.status_code}"
    assert _leaked(response) == [], f"POST {path} shows county A's unpublished material"
    assert fingerprint() == before, f"POST {path} by county B's user changed something"
