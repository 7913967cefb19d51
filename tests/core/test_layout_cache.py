"""The layout's parts kept per process (issue 20: the page floor): the header per user, language and
section, the footer's links and the accessibility statement per language, static URLs once."""

import json
import re

import pytest
from django.urls import reverse

from core.middleware import FORM_TOKEN_FIELD
from core.staticfiles import ManifestStaticFilesStorage

pytestmark = pytest.mark.django_db


def _current_nav_item(html: str) -> str:
    return re.search(r'aria-current="page">([^<]+)<', html).group(1)


def test_the_header_marks_the_section_of_each_page(client, ministry_user):
    client.force_login(ministry_user)

    assert _current_nav_item(client.get(reverse("regions:region_list")).text) == "Län"
    assert _current_nav_item(client.get(reverse("forum:forum_list")).text) == "Forum"
    assert _current_nav_item(client.get(reverse("home")).text) == "Start"


def test_the_header_shows_only_what_the_users_role_may_reach(client, ministry_user):
    client.force_login(ministry_user)
    assert reverse("records:record_list") not in client.get(reverse("home")).text
    ministry_user.is_registrar = True
    ministry_user.save()

    assert reverse("records:record_list") in client.get(reverse("home")).text


def test_the_log_out_form_carries_a_fresh_token_on_every_page(client, region_user):
    client.force_login(region_user)
    logout = f'action="{reverse("logout")}">'
    first, second = (client.get(reverse("accessibility")).text for _ in range(2))

    assert _form_token_after(first, logout) != _form_token_after(second, logout)


def _form_token_after(html: str, marker: str) -> str:
    form = html[html.index(marker) :]
    return re.search(rf'name="{FORM_TOKEN_FIELD}" value="([^"]+)"', form).group(1)


def test_the_statement_and_footer_follow_the_language(client, region_user):
    client.force_login(region_user)
    swedish = client.get(reverse("accessibility")).text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("accessibility")).text

    assert "Tillgänglighetsredogörelse" in swedish and "Hjälp och kontakt" in swedish
    assert "Accessibility statement" in english and "Help and contact" in english
    assert "Tillgänglighetsredogörelse" not in english


def test_each_language_is_offered_in_its_own_language(client, region_user):
    client.force_login(region_user)
    page = client.get(reverse("accessibility")).text

    assert re.search(r'<option value="sv"\s+lang="sv"\s+selected>\s*Svenska\s*</option>', page)
    assert re.search(r'<option value="en"\s+lang="en"\s*>\s*English\s*</option>', page)


def test_static_urls_are_worked_out_once_from_the_manifest(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"css/portal.css": "css/portal.0123456789ab.css"}, "hash": "x"})
    )
    storage = ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")

    assert storage.url("css/portal.css") == "/static/css/portal.0123456789ab.css"
    storage.hashed_files.clear()  # the manifest is read once per process: the answer stays
    assert storage.url("css/portal.css") == "/static/css/portal.0123456789ab.css"
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("css/missing.css")
