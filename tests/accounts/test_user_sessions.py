"""My account / Sessions: the list of where one is logged in, ending one, the others, or all; an
administrator who deactivates a user ends the user's sessions."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from tests.helpers import USER_ADMIN_INLINES

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def _log_in(user, password, agent, address):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    return client


def test_sessions_list_shows_each_browser_and_marks_the_current(region_user, password):
    laptop = _log_in(region_user, password, FIREFOX, "198.51.100.7")
    _log_in(region_user, password, SAFARI, "203.0.113.9")
    html = laptop.get(reverse("sessions")).content.decode()
    assert "Firefox · Windows" in html
    assert "Mobile Safari · iOS" in html
    assert "198.51.100.7" in html and "203.0.113.9" in html
    assert html.count('class="table-active"') == 1
    current = html.split('class="table-active"')[1].split("</tr>")[0]
    assert "Firefox" in current


@pytest.mark.parametrize("n", (1, 3))
def test_sessions_list_queries_do_not_grow_with_sessions(region_user, password, n, django_assert_max_num_queries):
    clients = [_log_in(region_user, password, FIREFOX, "198.51.100.7") for _ in range(n)]
    with django_assert_max_num_queries(3):  # the session (unless cached), the user, the sessions
        response = clients[0].get(reverse("sessions"))
    assert response.content.decode().count("<td>198.51.100.7</td>") == n


def test_ending_one_session_sends_its_browser_to_the_log_in_page(region_user, password):
    laptop = _log_in(region_user, password, FIREFOX, "198.51.100.7")
    phone = _log_in(region_user, password, SAFARI, "203.0.113.9")
    phone_session = UserSession.objects.get(user_agent=SAFARI)
    response = laptop.post(reverse("session_end", args=[phone_session.pk]), follow=True)
    assert "Mobile Safari" not in response.content.decode()
    assert phone.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("home")).status_code == 200


def test_someone_elses_session_cannot_be_ended(region_user, other_region_user, password):
    mine = _log_in(region_user, password, FIREFOX, "198.51.100.7")
    theirs = _log_in(other_region_user, password, SAFARI, "203.0.113.9")
    their_session = UserSession.objects.get(user=other_region_user)
    assert mine.post(reverse("session_end", args=[their_session.pk])).status_code == 404
    assert theirs.get(reverse("home")).status_code == 200


def test_end_all_others_keeps_this_one(region_user, password):
    laptop = _log_in(region_user, password, FIREFOX, "198.51.100.7")
    others = [_log_in(region_user, password, SAFARI, "203.0.113.9") for _ in range(2)]
    response = laptop.post(reverse("sessions_end_others"), follow=True)
    assert "(2)" in response.content.decode()
    for other in others:
        assert other.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=region_user).count() == 1


def test_end_all_logs_out_here_too(region_user, password):
    laptop = _log_in(region_user, password, FIREFOX, "198.51.100.7")
    phone = _log_in(region_user, password, SAFARI, "203.0.113.9")
    response = laptop.post(reverse("sessions_end_all"))
    assert response["Location"] == reverse("login")
    for client in (laptop, phone):
        assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert not UserSession.objects.filter(user=region_user).exists()
    assert not Session.objects.filter(session_key__in=[laptop.cookies["sessionid"].value]).exists()


def test_log_out_removes_the_session_from_the_list(region_user, password):
    laptop = _log_in(region_user, password, FIREFOX, "198.51.100.7")
    laptop.post(reverse("logout"))
    assert not UserSession.objects.filter(user=region_user).exists()


def test_admin_deactivating_a_user_ends_their_sessions(region_user, admin_user, password):
    victim = _log_in(region_user, password, FIREFOX, "198.51.100.7")
    admin_client = Client()
    admin_client.force_login(admin_user)
    change = admin_client.get(reverse("admin:accounts_user_change", args=[region_user.pk]))
    form = change.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"region": region_user.region_id, "is_active": "", "is_registrar": "", **USER_ADMIN_INLINES})
    response = admin_client.post(reverse("admin:accounts_user_change", args=[region_user.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert not UserSession.objects.filter(user=region_user).exists()
    assert victim.get(reverse("home"))["Location"].startswith(reverse("login"))
