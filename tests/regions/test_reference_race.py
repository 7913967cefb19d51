"""A contact or an organisation removed while another user is choosing it: the services that add a
reference lock the chosen rows first, so the user is told to choose again and nothing is saved,
instead of the foreign key failing at commit (a 500)."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from dialogues import services as dialogue_services
from dialogues.models import DialogueDay, Participant, Session
from forum import services as forum_services
from forum.choices import AttendanceStatus, SeatRole
from forum.models import Attendance, Forum, Membership
from regions import services as region_services
from regions.models import Contact, Organisation
from tests.factories.dialogues import DialogueFactory
from tests.factories.forum import ForumFactory, MeetingFactory, MembershipFactory
from tests.factories.regions import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# English here: the Swedish translations are added to the catalogue separately.
PERSON_GONE = "A chosen person has just been removed from the contact directory. Choose again."
ORGANISATION_GONE = "A chosen organisation has just been removed. Choose again."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _removed_contact() -> Contact:
    """A contact as a form accepted it, removed from the directory before the service ran."""
    contact = ContactFactory()
    region_services.contact_delete(contact=contact)
    return contact


def _removed_agency() -> Organisation:
    agency = OrganisationFactory()
    region_services.organisation_delete(organisation=agency)
    return agency


def _seat(forum: Forum, **fields) -> Membership:
    return Membership(
        forum=forum, role=SeatRole.SKL_COMMITTEE, valid_from=datetime.date(forum.start_year, 1, 1), **fields
    )


# --- Each service that adds a reference ----------------------------------------------------------


@pytest.mark.parametrize("field", ["contact", "substitute"])
def test_membership_save_with_a_removed_member_or_substitute_is_refused_and_saves_nothing(field):
    membership = _seat(ForumFactory(), contact=ContactFactory())
    setattr(membership, field, _removed_contact())
    with pytest.raises(ValidationError, match=PERSON_GONE):
        forum_services.membership_save(membership=membership)
    assert not Membership.objects.exists()


def test_forum_save_with_a_removed_chair_is_refused_and_keeps_the_forum_as_it_was():
    forum = ForumFactory(name="Politikerforum")
    forum.name, forum.chair = "Nytt namn", _removed_contact()
    with pytest.raises(ValidationError, match=PERSON_GONE):
        forum_services.forum_save(forum=forum)
    forum.refresh_from_db()
    assert (forum.name, forum.chair_id) == ("Politikerforum", None)


def test_attendance_record_with_a_removed_member_is_refused_and_records_nobody():
    meeting = MeetingFactory()
    present, removed = ContactFactory(), _removed_contact()
    with pytest.raises(ValidationError, match=PERSON_GONE):
        forum_services.attendance_record(
            meeting=meeting, statuses={present.pk: AttendanceStatus.PRESENT, removed.pk: AttendanceStatus.ABSENT}
        )
    assert not Attendance.objects.exists()


def test_dialogue_schedule_with_a_removed_participant_is_refused_and_leaves_the_dialogue_unscheduled():
    dialogue = DialogueFactory()
    start = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match=PERSON_GONE):
        dialogue_services.dialogue_schedule(
            dialogue=dialogue,
            start=start,
            end=start + datetime.timedelta(hours=2),
            place="Kalmar",
            participants=[(ContactFactory(), "ministry"), (_removed_contact(), "region")],
        )
    dialogue.refresh_from_db()
    assert dialogue.start is None
    assert not Participant.objects.exists()


def test_dialogue_day_and_session_with_a_removed_agency_are_refused_and_save_nothing():
    removed = _removed_agency()
    day = DialogueDay(title="Dialogdag", date=datetime.date(2016, 5, 10))
    with pytest.raises(ValidationError, match=ORGANISATION_GONE):
        dialogue_services.dialogue_day_save(day=day, regions=[], agencies=[OrganisationFactory(), removed])
    assert not DialogueDay.objects.exists()

    day = dialogue_services.dialogue_day_save(day=day, regions=[], agencies=[])
    with pytest.raises(ValidationError, match=ORGANISATION_GONE):
        dialogue_services.session_save(session=Session(day=day, title="Dialogpass"), regions=[], agencies=[removed])
    assert not Session.objects.exists()


# --- What the user sees: the message on the form, nothing saved -------------------------------------


def _removed_meanwhile(monkeypatch, module, name, remove):
    """Let the form validate, then remove the chosen record just before the service runs."""
    service = getattr(module, name)

    def run(**kwargs):
        remove(**kwargs)
        return service(**kwargs)

    monkeypatch.setattr(module, name, run)


def _english_client(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_membership_page_says_choose_again_when_the_person_was_removed_meanwhile(client, monkeypatch, ministry_user):
    forum, contact = ForumFactory(), ContactFactory()
    _removed_meanwhile(monkeypatch, forum_services, "membership_save", lambda membership: contact.delete())
    response = _english_client(client, ministry_user).post(
        reverse("forum:membership_create", kwargs={"forum_pk": forum.pk}),
        {"contact": contact.pk, "role": SeatRole.SKL_COMMITTEE, "valid_from": f"{forum.start_year}-01-01"},
    )
    assert response.status_code == 200
    assert PERSON_GONE in response.content.decode()
    assert not Membership.objects.exists()


def test_attendance_page_says_choose_again_when_a_member_was_removed_meanwhile(client, monkeypatch, ministry_user):
    meeting = MeetingFactory()
    member = MembershipFactory(forum=meeting.forum, valid_from=datetime.date(2015, 1, 1))

    def remove_member(meeting, statuses):
        member.delete()
        member.contact.delete()

    _removed_meanwhile(monkeypatch, forum_services, "attendance_record", remove_member)
    response = _english_client(client, ministry_user).post(
        reverse("forum:attendance_update", kwargs={"meeting_pk": meeting.pk}),
        {f"contact_{member.contact_id}": AttendanceStatus.PRESENT},
    )
    assert response.status_code == 200
    assert PERSON_GONE in response.content.decode()
    assert not Attendance.objects.exists()


def test_dialogue_day_page_says_choose_again_when_an_agency_was_removed_meanwhile(client, monkeypatch, agency_user):
    agency = OrganisationFactory(name="Tillväxtverket")
    _removed_meanwhile(
        monkeypatch, dialogue_services, "dialogue_day_save", lambda day, regions, agencies: agency.delete()
    )
    response = _english_client(client, agency_user).post(
        reverse("dialogues:dialogueday_create"), {"title": "Dialogdag", "date": "2016-05-10", "agencies": [agency.pk]}
    )
    assert response.status_code == 200
    assert ORGANISATION_GONE in response.content.decode()
    assert not DialogueDay.objects.exists()


# --- Two connections at once ---------------------------------------------------------------------------


def _another_connection_waits_for_a_lock(within: float) -> bool:
    deadline = time.monotonic() + within
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)
    return False


@pytest.mark.django_db(transaction=True)
def test_member_added_while_the_person_is_being_removed_waits_and_gets_the_message_not_an_integrity_error():
    forum, contact = ForumFactory(), ContactFactory()
    removed, release = threading.Event(), threading.Event()
    outcome = []

    def remove():
        try:
            with transaction.atomic():
                region_services.contact_delete(contact=contact)
                removed.set()
                release.wait(10)  # the removal's row lock stays held until the adder is seen waiting
        finally:
            connection.close()

    def add():
        try:
            with translation.override("en"):
                forum_services.membership_save(membership=_seat(forum, contact=contact))
            outcome.append("saved")
        except (ValidationError, IntegrityError) as error:
            outcome.append(error)
        finally:
            connection.close()

    remover, adder = threading.Thread(target=remove), threading.Thread(target=add)
    remover.start()
    try:
        assert removed.wait(10)
        adder.start()
        assert _another_connection_waits_for_a_lock(within=10)
    finally:
        release.set()
    remover.join(10)
    adder.join(10)
    assert not remover.is_alive() and not adder.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError), outcome
    assert outcome[0].messages == [PERSON_GONE]
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not Membership.objects.exists()


def test_contact_saved_with_an_organisation_just_removed_is_refused(region_a):
    from regions.forms import ContactForm
    from tests.factories.accounts import UserFactory

    organisation = OrganisationFactory(region=region_a)
    form = ContactForm(
        data={"name": "Lena Lund", "region": region_a.pk, "organisation": organisation.pk, "email": "lena@example.se"},
        instance=Contact(),
        user=UserFactory(role="ministry"),
    )
    assert form.is_valid(), form.errors
    region_services.organisation_delete(organisation=organisation)

    with pytest.raises(ValidationError, match=ORGANISATION_GONE):
        region_services.contact_save(form=form)
    assert not Contact.objects.filter(name="Lena Lund").exists()
