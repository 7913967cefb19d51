"""Every URL of the project, walked from Django's resolver: an anonymous visitor gets the log-in
page for everything except the few public pages. A new view is covered without being listed."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import get_converters

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
}

# A value for each path converter; anonymous requests never reach the view, so any value will do.
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": str(uuid.uuid4())}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield "admin:index", prefix + route, entry  # the admin's views all sit behind its index check
                continue
            child = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _walk(entry, prefix + route, child)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) or None
            yield name, prefix + route, entry


def _fill(route: str) -> str:
    def sample(match):
        converter = match["converter"] or "str"
        if converter in SAMPLES:
            return SAMPLES[converter]
        # A project converter with a plain alternation ("csv|xlsx") gets its first alternative.
        regex = get_converters()[converter].regex
        if not re.fullmatch(r"[\w|-]+", regex):
            pytest.fail(f"No sample value for the <{converter}:...> converter in {route}")
        return regex.split("|")[0]

    return PARAM.sub(sample, route)


def _project_urls():
    urls = []
    for name, route, _ in _walk(get_resolver()):
        assert not route.startswith("^"), f"use path(), not re_path(): {route}"
        urls.append(pytest.param(name, "/" + _fill(route), id=name or route))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), _project_urls())
def test_url_anonymous_visitor_is_sent_to_log_in_unless_public(client, name, path):
    response = client.get(path)
    if name in PUBLIC_URL_NAMES:
        assert response.status_code in (200, 302, 405), path
        if response.status_code == 302:
            assert "logga-in" not in response["Location"], f"{path} is public but asks for a log-in"
        return
    assert response.status_code == 302, f"{path} answered {response.status_code} to an anonymous visitor"
    assert "logga-in" in response["Location"] or "/admin/login/" in response["Location"], response["Location"]
