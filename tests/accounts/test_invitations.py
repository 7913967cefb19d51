"""Invitations by e-mail with a one-time link that expires (issue 18)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.choices import CountyRole, Role
from accounts.invitations import invitation_send
from accounts.models import Invitation, User
from core.models import OutgoingMail
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Ett-nytt-starkt-lösenord-2026"


def _link_in_mail(email: str) -> str:
    mail = OutgoingMail.objects.filter(recipient=email).latest("pk")
    return re.search(r"\S*/konto/inbjudan/\S+/", mail.body)[0]


def _path(link: str) -> str:
    return link[link.index("/konto/") :]


@pytest.fixture
def client(client, settings):
    """In English: the new messages' Swedish translations are compiled by the lead."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield client
    translation.activate(settings.LANGUAGE_CODE)  # the request left English active in this thread


def _accept(client, path, *, name="Anna Analytiker", password=NEW_PASSWORD, second=None):
    return client.post(path, {"full_name": name, "password1": password, "password2": second or password}, follow=True)


def test_invite_page_ministry_invites_a_county_editor_who_creates_the_account_and_logs_in(
    client, ministry_user, region_a
):
    client.force_login(ministry_user)
    response = client.post(
        reverse("user_invite"),
        {"email": "Anna@Region.test", "role": Role.REGION, "region": region_a.pk, "county_role": CountyRole.EDITOR},
        follow=True,
    )
    assert "anna@region.test" in response.content.decode()
    link = _link_in_mail("anna@region.test")
    invitation = Invitation.objects.get(email="anna@region.test")
    secret = link.rstrip("/").rsplit("/", 1)[1]
    assert secret not in invitation.token_hash and len(invitation.token_hash) == 64  # only a hash is kept

    client.logout()
    page = client.get(_path(link))
    assert "anna@region.test" in page.content.decode()
    response = _accept(client, _path(link))
    assert response.redirect_chain[-1][0] == reverse("login")
    user = User.objects.get(email="anna@region.test")
    assert (user.full_name, user.role, user.region, user.county_role) == (
        "Anna Analytiker",
        Role.REGION,
        region_a,
        CountyRole.EDITOR,
    )
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.user == user


def test_invitation_link_used_twice_says_it_has_been_used(client, ministry_user):
    invitation_send(inviter=ministry_user, email="ny@example.test", role=Role.AGENCY)
    path = _path(_link_in_mail("ny@example.test"))
    _accept(client, path)
    html = client.get(path).content.decode()
    assert "has already been used" in html
    response = _accept(client, path, name="Någon annan")
    assert User.objects.get(email="ny@example.test").full_name == "Anna Analytiker"
    assert "has already been used" in response.content.decode()


def test_invitation_link_expired_says_so_and_creates_nothing(client, ministry_user, settings):
    settings.INVITATION_VALID_DAYS = 7
    invitation_send(inviter=ministry_user, email="sen@example.test", role=Role.AGENCY)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    path = _path(_link_in_mail("sen@example.test"))
    assert "has expired" in client.get(path).content.decode()
    _accept(client, path)
    assert not User.objects.filter(email="sen@example.test").exists()


@override_settings(INVITATION_VALID_DAYS=3)
def test_invitation_expires_after_the_configured_days(ministry_user):
    invitation = invitation_send(inviter=ministry_user, email="tre@example.test", role=Role.AGENCY)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_reinvite_replaces_the_old_link(client, ministry_user):
    invitation_send(inviter=ministry_user, email="two@example.test", role=Role.AGENCY)
    old = _path(_link_in_mail("two@example.test"))
    invitation_send(inviter=ministry_user, email="two@example.test", role=Role.MINISTRY)
    new = _path(_link_in_mail("two@example.test"))
    assert old != new and Invitation.objects.filter(email="two@example.test").count() == 1
    assert "is not valid" in client.get(old).content.decode()
    _accept(client, old)
    assert not User.objects.filter(email="two@example.test").exists()
    _accept(client, new)
    assert User.objects.get(email="two@example.test").role == Role.MINISTRY


def test_invitation_made_up_secret_is_not_valid(client, ministry_user):
    invitation = invitation_send(inviter=ministry_user, email="x@example.test", role=Role.AGENCY)
    path = reverse("invitation_accept", kwargs={"pk": invitation.pk, "token": "gissat"})
    assert "is not valid" in client.get(path).content.decode()
    assert "is not valid" in client.get(path.replace(str(invitation.pk), "999999")).content.decode()


def test_invitation_accept_weak_or_differing_password_is_refused_with_the_reason(client, ministry_user):
    invitation_send(inviter=ministry_user, email="svag@example.test", role=Role.AGENCY)
    path = _path(_link_in_mail("svag@example.test"))
    html = _accept(client, path, password="kort").content.decode()
    assert "too short" in html
    html = _accept(client, path, second=NEW_PASSWORD + "x").content.decode()
    assert "The two passwords differ" in html
    assert not User.objects.filter(email="svag@example.test").exists()


def test_invite_existing_account_is_refused(ministry_user, region_user):
    with pytest.raises(ValidationError):
        invitation_send(inviter=ministry_user, email=region_user.email.upper(), role=Role.AGENCY)


def test_director_invites_only_to_own_county(region_user, region_a, region_b):
    invitation = invitation_send(
        inviter=region_user, email="e@example.test", role=Role.REGION, region=region_a, county_role=CountyRole.EDITOR
    )
    assert invitation.region == region_a
    for role, region in ((Role.REGION, region_b), (Role.MINISTRY, None), (Role.AGENCY, None)):
        with pytest.raises(ValidationError):
            invitation_send(
                inviter=region_user, email="f@example.test", role=role, region=region, county_role=CountyRole.DIRECTOR
            )
    assert not Invitation.objects.filter(email="f@example.test").exists()


def test_invite_page_director_form_has_only_the_county_role(client, region_user, region_a):
    client.force_login(region_user)
    html = client.get(reverse("user_invite")).content.decode()
    assert 'name="county_role"' in html and 'name="role"' not in html and 'name="region"' not in html
    client.post(reverse("user_invite"), {"email": "g@example.test", "county_role": CountyRole.DIRECTOR})
    invitation = Invitation.objects.get(email="g@example.test")
    assert (invitation.role, invitation.region, invitation.county_role) == (Role.REGION, region_a, CountyRole.DIRECTOR)


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda a: UserFactory(role=Role.REGION, region=a, county_role=CountyRole.EDITOR), 403),
        (lambda a: UserFactory(role=Role.AGENCY), 403),
        (lambda a: UserFactory(role=Role.MINISTRY), 200),
        (lambda a: UserFactory(role=Role.REGION, region=a), 200),
    ],
)
def test_invite_page_for_ministry_and_directors_only(client, region_a, make, status):
    client.force_login(make(region_a))
    assert client.get(reverse("user_invite")).status_code == status


def test_ministry_cannot_invite_an_administrator(ministry_user):
    with pytest.raises(ValidationError):
        invitation_send(inviter=ministry_user, email="root@example.test", role=Role.ADMIN)


def test_invitation_steps_are_in_the_audit_log(client, ministry_user):
    from auditlog.models import LogEntry

    client.force_login(ministry_user)
    client.post(reverse("user_invite"), {"email": "logg@example.test", "role": Role.AGENCY})
    client.post(reverse("user_invite"), {"email": "logg@example.test", "role": Role.MINISTRY})
    client.logout()
    _accept(client, _path(_link_in_mail("logg@example.test")))
    invitation = Invitation.objects.get(email="logg@example.test")
    entries = LogEntry.objects.get_for_object(invitation).order_by("pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.UPDATE]
    assert entries[0].actor == ministry_user and entries[1].actor == ministry_user
    assert "token_hash" not in str(entries[1].changes)
    assert LogEntry.objects.get_for_object(User.objects.get(email="logg@example.test")).exists()
