"""Every forum URL for every role (MODEL.md: the ministry reads and writes the forum, meetings and
minutes; agency and regional users read them)."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from forum import rules as forum_rules  # noqa: F401  (the permissions are registered on import)
from forum.choices import SeatRole
from forum.models import AgendaItem, Forum, Meeting, Membership
from tests.factories.forum import AgendaItemFactory, MeetingFactory, MembershipFactory
from tests.factories.regions import ContactFactory

pytestmark = pytest.mark.django_db

WRITERS = {Role.MINISTRY, Role.ADMIN}


@pytest.fixture
def objects(civil_servants, politicians, region_county):
    meeting = MeetingFactory(forum=civil_servants)
    item = AgendaItemFactory(meeting=meeting, minutes="Original")
    membership = MembershipFactory(forum=civil_servants, region=region_county, role=SeatRole.REGIONAL_DIRECTOR)
    return {"forum": civil_servants, "meeting": meeting, "item": item, "membership": membership}


def _read_urls(o):
    return [
        reverse("forum:forum_list"),
        reverse("forum:forum_detail", kwargs={"pk": o["forum"].pk}),
        reverse("forum:forum_composition", kwargs={"pk": o["forum"].pk}),
        reverse("forum:forum_ics", kwargs={"pk": o["forum"].pk}),
        reverse("forum:meeting_list"),
        reverse("forum:meeting_detail", kwargs={"pk": o["meeting"].pk}),
        reverse("forum:meeting_ics", kwargs={"pk": o["meeting"].pk}),
        reverse("forum:meeting_minutes_pdf", kwargs={"pk": o["meeting"].pk}),
    ]


def _write_urls(o):
    return [
        reverse("forum:forum_update", kwargs={"pk": o["forum"].pk}),
        reverse("forum:forum_create"),
        reverse("forum:membership_create", kwargs={"forum_pk": o["forum"].pk}),
        reverse("forum:membership_update", kwargs={"pk": o["membership"].pk}),
        reverse("forum:meeting_create", kwargs={"forum_pk": o["forum"].pk}),
        reverse("forum:meeting_update", kwargs={"pk": o["meeting"].pk}),
        reverse("forum:agendaitem_create", kwargs={"meeting_pk": o["meeting"].pk}),
        reverse("forum:agendaitem_update", kwargs={"pk": o["item"].pk}),
        reverse("forum:agendaitem_minutes", kwargs={"pk": o["item"].pk}),
        reverse("forum:attendance_update", kwargs={"meeting_pk": o["meeting"].pk}),
        reverse("forum:document_upload", kwargs={"meeting_pk": o["meeting"].pk}),
    ]


def test_every_forum_url_is_in_the_walk():
    from forum.urls import urlpatterns

    walked = {"forum_list", "forum_detail", "forum_composition", "forum_ics", "meeting_list", "meeting_detail"}
    walked |= {"meeting_ics", "forum_update", "membership_create", "membership_update", "meeting_create"}
    walked |= {"meeting_update", "agendaitem_create", "agendaitem_update", "agendaitem_minutes"}
    walked |= {
        "attendance_update",
        "document_upload",
        "document_download",
        "forum_create",
        "meeting_minutes_pdf",
        "meeting_minutes_approve",
    }  # download: test_documents.py; minutes PDF and approval: test_minutes_pdf.py
    assert {pattern.name for pattern in urlpatterns} == walked


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN])
def test_forum_urls_every_role_reads_only_ministry_and_admin_write(client, user_by_role, objects, role):
    client.force_login(user_by_role[role])
    for url in _read_urls(objects):
        response = client.get(url)
        assert response.status_code == 200, url
    for url in _write_urls(objects):
        response = client.get(url)
        expected = 200 if role in WRITERS else 403
        assert response.status_code == expected, url
        if expected == 200:
            assert "<form" in response.content.decode()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.REGION])
def test_forum_writes_by_agency_or_region_change_nothing(client, user_by_role, other_region_user, objects, role):
    for user in (user_by_role[role], other_region_user):
        client.force_login(user)
        o = objects
        posts = {
            reverse("forum:forum_update", kwargs={"pk": o["forum"].pk}): {
                "name": "Kapat",
                "start_year": 2015,
                "end_year": 2020,
            },
            reverse("forum:membership_create", kwargs={"forum_pk": o["forum"].pk}): {
                "contact": ContactFactory().pk,
                "role": SeatRole.REGIONAL_DIRECTOR,
                "valid_from": "2015-01-01",
            },
            reverse("forum:membership_update", kwargs={"pk": o["membership"].pk}): {"valid_from": "2016-01-01"},
            reverse("forum:meeting_update", kwargs={"pk": o["meeting"].pk}): {"title": "Kapat"},
            reverse("forum:agendaitem_create", kwargs={"meeting_pk": o["meeting"].pk}): {"position": 9, "title": "X"},
            reverse("forum:agendaitem_update", kwargs={"pk": o["item"].pk}): {"position": 1, "title": "Kapat"},
            reverse("forum:agendaitem_minutes", kwargs={"pk": o["item"].pk}): {"minutes": "Kapat", "version": 1},
        }
        for url, data in posts.items():
            assert client.post(url, data).status_code == 403, url
    assert Forum.objects.get(pk=objects["forum"].pk).name != "Kapat"
    assert Membership.objects.count() == 1
    assert Meeting.objects.get().title != "Kapat"
    assert list(AgendaItem.objects.values_list("title", "minutes")) == [(objects["item"].title, "Original")]


def test_forum_urls_anonymous_is_sent_to_login(client, objects):
    for url in _read_urls(objects) + _write_urls(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("login") in response["Location"]


def test_forum_missing_objects_are_404(client, ministry_user):
    client.force_login(ministry_user)
    for url in (
        reverse("forum:forum_detail", kwargs={"pk": 999}),
        reverse("forum:meeting_detail", kwargs={"pk": 999}),
        reverse("forum:agendaitem_create", kwargs={"meeting_pk": 999}),
        reverse("forum:document_download", kwargs={"pk": 999}),
    ):
        assert client.get(url).status_code == 404, url
