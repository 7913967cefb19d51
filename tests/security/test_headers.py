import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy_and_security_headers(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_load_no_script_or_style_from_another_host(client, ministry_user):
    client.force_login(ministry_user)
    html = client.get(reverse("home")).content.decode()
    assert "<script>" not in html, "inline scripts are forbidden by the CSP"
    for marker in ('src="http', "src='http", 'href="http://', "//cdn"):
        assert marker not in html


def test_session_and_csrf_cookies_are_http_only(client, ministry_user, password):
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": ministry_user.email, "password": password})
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_forms_refuse_a_post_without_csrf_token(ministry_user, password):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": ministry_user.email, "password": password})
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()
    assert "sessionid" not in response.cookies
