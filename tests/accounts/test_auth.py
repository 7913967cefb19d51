import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.choices import Role

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password}, follow=True)


def test_home_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_swedish_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Logga in" in html
    assert "E-postadress" in html


def test_login_with_email_shows_the_start_page_for_the_role(client, region_user, password):
    response = _login(client, region_user.email, password)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Välkommen, Karin" in html
    assert "Kalmar län" in html
    assert "Region Kalmar län" in html


def test_login_email_is_case_insensitive(client, region_user, password):
    response = _login(client, region_user.email.upper(), password)
    assert response.wsgi_request.user.is_authenticated


def test_login_wrong_password_says_so_in_swedish(client, ministry_user):
    response = _login(client, ministry_user.email, "fel-lösenord")
    html = response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert "E-postadressen eller lösenordet är fel" in html


def test_login_is_locked_after_repeated_failures_even_with_the_right_password(
    client, ministry_user, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, ministry_user.email, "fel-lösenord")
    response = _login(client, ministry_user.email, password)
    assert not response.wsgi_request.user.is_authenticated
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_logout_ends_the_session(client, ministry_user):
    client.force_login(ministry_user)
    client.post(reverse("logout"))
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))


def test_password_change_refuses_a_weak_password_and_keeps_the_old_one(client, ministry_user, password):
    client.force_login(ministry_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "kort", "new_password2": "kort"},
    )
    assert "lösenordet är för kort" in response.content.decode()
    ministry_user.refresh_from_db()
    assert ministry_user.check_password(password)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, agency_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends it after commit
        client.post(reverse("password_reset"), {"email": agency_user.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [agency_user.email]
    assert "Nytt lösenord" in message.subject
    link = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "Ett-helt-nytt-lösenord-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    agency_user.refresh_from_db()
    assert agency_user.check_password(new_password)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.MINISTRY, "Länen i år"),
        (Role.AGENCY, "Länen i år"),
        (Role.ADMIN, "Öppna administrationen"),
        (Role.REGION, "Ditt läns profil"),
    ],
)
def test_start_page_shows_what_the_role_needs(client, user_by_role, region_b, role, expected):
    client.force_login(user_by_role[role])
    html = client.get(reverse("home")).content.decode()
    assert expected in html
    # Only national staff see the list of every county.
    assert ("Kronobergs län" in html) is (role != Role.REGION)


@pytest.mark.parametrize("n", [1, 3])
def test_start_page_queries_do_not_grow_with_counties(client, ministry_user, django_assert_num_queries, n):
    from tests.factories.regions import ResponsibilityPeriodFactory

    ResponsibilityPeriodFactory.create_batch(n)
    client.force_login(ministry_user)
    # user, counties, their periods (the session comes from the cache), and the work queues, one
    # query each while they are short: submissions to review, open review comments, reports to
    # publish, dialogues to schedule, late counties, overdue actions
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_language_can_be_switched_to_english(client, ministry_user):
    client.force_login(ministry_user)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "The counties this year" in html


@pytest.mark.parametrize(("role", "allowed"), [(Role.MINISTRY, False), (Role.REGION, False), (Role.ADMIN, True)])
def test_admin_is_only_for_administrators(client, user_by_role, role, allowed):
    client.force_login(user_by_role[role])
    response = client.get("/admin/")
    if allowed:
        assert "Webbplatsadministration" in response.content.decode()
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
