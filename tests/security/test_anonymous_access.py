"""Every URL of the project, walked from Django's resolver: an anonymous visitor gets the log-in
page for everything except the few public pages. A new view is covered without being listed."""

import pytest
from django.urls import get_resolver, reverse

from .urlwalk import PARAM as PARAM  # test_fuzz_forms imports PARAM and _walk from here
from .urlwalk import fill, walk

_walk = walk

PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "livez",
    "set_language",
    "accessibility",
    # Single sign-on: off to the provider, and back. Without a configured provider (or with a
    # refused answer) each sends the visitor to the log-in page with a message, never with ?next=.
    "oidc_login",
    "oidc_callback",
    "invitation_accept",  # the invited person has no account yet: the link's secret is the key
}
SENT_TO_LOG_IN_WITH_A_MESSAGE = {"oidc_login", "oidc_callback"}
# The API's open data and its schema need no token.
PUBLIC_URL_NAMES |= {"api:schema", "api:open_figures_json", "api:open_figures_csv"}
# The rest of the API is for programs with a token: an anonymous request is a 401, never a log-in page.
API_PREFIX = "api:"

# Public by design, opened by a secret in the address: a made-up one is a 404, never the log-in page.
PUBLIC_WITH_SECRET_URL_NAMES = {
    "portal:calendar_feed",  # calendar programs cannot log in; the user's secret token is the key
    "metrics",  # Prometheus sends a bearer token; without a configured token the address does not exist
}


def _project_urls():
    urls = []
    for name, route, _ in walk(get_resolver()):
        assert not route.startswith("^"), f"use path(), not re_path(): {route}"
        urls.append(pytest.param(name, "/" + fill(route), id=name or route))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), _project_urls())
def test_url_anonymous_visitor_is_sent_to_log_in_unless_public(client, name, path):
    response = client.get(path)
    if name in PUBLIC_WITH_SECRET_URL_NAMES:
        assert response.status_code == 404, f"{path} answered {response.status_code} to a made-up secret"
        return
    if name not in PUBLIC_URL_NAMES and (name or "").startswith(API_PREFIX):
        assert response.status_code == 401, f"{path} answered {response.status_code} without a token"
        assert response["WWW-Authenticate"] == "Bearer"
        assert "detail" in response.json()
        return
    if name in PUBLIC_URL_NAMES:
        assert response.status_code in (200, 302, 405), path
        if response.status_code == 302 and name in SENT_TO_LOG_IN_WITH_A_MESSAGE:
            assert response["Location"] == reverse("login"), response["Location"]
        elif response.status_code == 302:
            assert "logga-in" not in response["Location"], f"{path} is public but asks for a log-in"
        return
    assert response.status_code == 302, f"{path} answered {response.status_code} to an anonymous visitor"
    assert "logga-in" in response["Location"] or "/admin/login/" in response["Location"], response["Location"]
