import datetime
import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessLog
from django.apps import apps
from django.contrib import messages
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import User
from api.models import ApiToken
from api.services import token_create
from core.attachments import attachment_add
from core.models import Attachment, DigestItem, FormToken, OutgoingMail
from core.personal_data import personal_data_sections
from forum.models import Membership
from portal.gdpr import user_anonymise
from records.models import AccessRequest
from records.services import access_request_create
from regions.models import Contact, RegionFollow
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import ParticipantFactory, SubmissionFactory
from tests.factories.forum import MembershipFactory
from tests.factories.regions import ContactFactory

pytestmark = pytest.mark.django_db


def _anonymised_person() -> str:
    """The name an anonymised contact gets, in Swedish (the portal's language)."""
    with translation.override("sv"):
        return translation.gettext("Anonymised person")


def _action(client, action, user, **extra):
    return client.post(
        "/admin/accounts/user/", {"action": action, "_selected_action": [user.pk], **extra}, follow=False
    )


def test_gdpr_export_gives_the_person_their_data_as_json(client, admin_user, region_user):
    ContactFactory(user=region_user, name="Karin Kalmar", phone="0480-123 45")
    client.force_login(admin_user)
    response = _action(client, "export_personal_data", region_user)
    assert response["Content-Disposition"].startswith("attachment;")
    (data,) = json.loads(response.content)
    assert data["user"]["email"] == region_user.email
    assert data["user"]["county"] == "Kalmar län"
    assert data["contact"]["phone"] == "0480-123 45"


def test_gdpr_anonymise_asks_first_and_changes_nothing_until_confirmed(client, admin_user, agency_user):
    client.force_login(admin_user)
    response = _action(client, "anonymise", agency_user)
    assert "Anonymisera användare?" in response.content.decode()
    assert User.objects.get(pk=agency_user.pk).email == agency_user.email


def test_gdpr_anonymise_erases_identity_but_keeps_the_account_and_its_trail(client, admin_user, agency_user):
    old_email = agency_user.email
    client.force_login(admin_user)
    _action(client, "anonymise", agency_user, confirmed="yes")
    user = User.objects.get(pk=agency_user.pk)
    assert user.full_name == "Anonymiserad användare"
    assert user.email.startswith("anonymiserad-")
    assert not user.is_active
    assert not user.has_usable_password()
    trail = LogEntry.objects.get_for_object(user)
    assert trail.exists()
    assert all(old_email not in json.dumps(entry.changes) for entry in trail)


# --- The audit log forgets the person too ------------------------------------------------------


def _log_text(entry: LogEntry) -> str:
    """Everything an audit entry stores that could name a person."""
    return json.dumps(
        [
            entry.object_repr,
            entry.changes,
            entry.changes_text,
            entry.actor_email,
            entry.serialized_data,
            entry.additional_data,
            entry.remote_addr,
        ],
        ensure_ascii=False,
    )


@pytest.fixture
def karin(region_user):
    """Karin Kalmar with her contact card, a forum seat, a dialogue and an e-mail in the outbox, and
    changes she made from her own computer."""
    contact = ContactFactory(user=region_user, name="Karin Kalmar", email="karin@regionkalmar.test", phone="0480-1")
    MembershipFactory(contact=contact)
    ParticipantFactory(contact=contact, side="region")
    OutgoingMail.objects.create(recipient=region_user.email, subject="Påminnelse", body="Hej Karin Kalmar")
    AccessLog.objects.create(username=region_user.email, ip_address="192.0.2.7", user_agent="Firefox")
    with set_actor(region_user, remote_addr="192.0.2.7", remote_port=51234):
        contact.phone = "0480-123 45"
        contact.save()
    return region_user


def test_gdpr_anonymise_takes_the_person_out_of_the_audit_log(client, admin_user, karin):
    old_email = karin.email
    client.force_login(admin_user)
    client.post(  # an administrator's earlier change, in Django admin's own history too
        f"/admin/accounts/user/{karin.pk}/change/",
        {
            "email": old_email,
            "full_name": "Karin Kalmar",
            "title": "Regiondirektör",
            "organisation": "Region Kalmar",
            "role": karin.role,
            "region": karin.region_id,
            "is_active": "on",
        },
    )
    made_by_her = LogEntry.objects.filter(actor=karin).count()

    _action(client, "anonymise", karin, confirmed="yes")

    for entry in LogEntry.objects.all():
        text = _log_text(entry)
        for personal in (old_email, "Karin Kalmar", "karin@regionkalmar.test", "0480-123 45", "192.0.2.7"):
            assert personal not in text, (entry.content_type.model, entry.action, text)
        assert entry.remote_port is None or entry.actor_id != karin.pk
    # What she did is still there, attributed to the anonymised account.
    assert LogEntry.objects.filter(actor=karin).count() == made_by_her
    assert str(User.objects.get(pk=karin.pk)) == "Anonymiserad användare"
    # The records that refer to her stay, naming an anonymised person.
    contact = Contact.objects.get(user=karin)
    assert (contact.name, contact.email, contact.phone) == (_anonymised_person(), "", "")
    seat = LogEntry.objects.get_for_model(Membership).get()
    assert seat.object_repr.startswith(_anonymised_person())
    assert not OutgoingMail.objects.filter(recipient=old_email).exists()
    assert not AccessLog.objects.filter(username=old_email).exists()
    assert all("Karin Kalmar" not in entry.object_repr for entry in AdminLogEntry.objects.all())


def test_gdpr_export_lists_what_the_person_changed_and_from_where(client, admin_user, karin):
    client.force_login(admin_user)
    (data,) = json.loads(_action(client, "export_personal_data", karin).content)
    (change,) = [c for c in data["changes_made"] if c["record"] == "kontaktperson"]
    assert change["object"].startswith("Karin Kalmar") and change["from_address"] == "192.0.2.7"
    assert change["record_id"] == str(karin.contact.pk) and change["when"]
    assert data["contact"]["forum_seats"] and data["contact"]["dialogues"][0]["side"] == "Län"
    assert any(e["changes"].get("phone") == ["0480-1", "0480-123 45"] for e in data["contact"]["history"])
    assert [mail["subject"] for mail in data["emails"]] == ["Påminnelse"]
    assert [log_in["from_address"] for log_in in data["log_ins"]] == ["192.0.2.7"]


# --- Contacts without an account -----------------------------------------------------------------


def _contact_action(client, action, contact, **extra):
    return client.post("/admin/regions/contact/", {"action": action, "_selected_action": [contact.pk], **extra})


def test_gdpr_contact_export_and_anonymise_from_the_directory(client, admin_user):
    contact = ContactFactory(name="Olle Ordförande", email="olle@example.test", phone="070-1")
    MembershipFactory(contact=contact)
    client.force_login(admin_user)

    (data,) = json.loads(_contact_action(client, "export_contact_data", contact).content)
    assert (data["name"], data["email"], data["phone"]) == ("Olle Ordförande", "olle@example.test", "070-1")
    assert len(data["forum_seats"]) == 1

    asked = _contact_action(client, "anonymise_contacts", contact).content.decode()
    assert "Olle Ordförande" in asked and 'name="confirmed" value="yes"' in asked
    assert Contact.objects.get(pk=contact.pk).name == "Olle Ordförande"  # nothing until confirmed

    _contact_action(client, "anonymise_contacts", contact, confirmed="yes")
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.phone) == (_anonymised_person(), "", "")
    assert contact.forum_memberships.count() == 1
    assert all("Olle" not in _log_text(entry) for entry in LogEntry.objects.all())


def test_gdpr_contact_with_an_account_is_anonymised_through_the_account(client, admin_user, region_user):
    contact = ContactFactory(user=region_user, name="Karin Kalmar")
    client.force_login(admin_user)
    response = _contact_action(client, "anonymise_contacts", contact, confirmed="yes")
    assert Contact.objects.get(pk=contact.pk).name == "Karin Kalmar"
    (warning,) = response.wsgi_request._messages
    assert warning.level == messages.WARNING and "Karin Kalmar" in str(warning)


def test_gdpr_anonymise_leaves_people_with_similar_names_and_addresses_alone(db):
    anna = UserFactory(email="anna@region.test", full_name="Anna Ek")
    joanna = UserFactory(email="joanna@region.test", full_name="Anna Ekström")
    OutgoingMail.objects.create(recipient=joanna.email, subject="Hej", body="Hej Anna Ekström")
    OutgoingMail.objects.create(recipient="ANNA@region.test", subject="Hej", body="Hej Anna Ek")

    user_anonymise(user=anna)

    # The outbox is not copied into the audit log; the person's own mails go, the namesake's stay.
    assert list(OutgoingMail.objects.values_list("recipient", "body")) == [("joanna@region.test", "Hej Anna Ekström")]
    (created,) = LogEntry.objects.get_for_object(joanna)
    assert created.changes_dict["full_name"][1] == "Anna Ekström"


@pytest.fixture
def what_the_apps_hold(tmp_path, settings, region_user, ministry_user):
    """A person with a queued digest notification, a sent form, an API token, an uploaded
    attachment and an access request they made under their own address."""
    settings.MEDIA_ROOT = tmp_path / "media"
    DigestItem.objects.create(user=region_user, subject="Ny återrapport för Kalmar län", body="…")
    FormToken.objects.create(user=region_user, token="t" * 32)
    token_create(user=region_user, name="Kalmars uppföljningssystem")
    submission = SubmissionFactory(dialogue__region=region_user.region)
    attachment_add(
        parent=submission, upload=SimpleUploadedFile("Handlingsplan.pdf", b"%PDF-1.4\n%%EOF\n"), user=region_user
    )
    ministry_user.is_registrar = True
    ministry_user.save()
    access_request_create(
        received_on=datetime.date(2026, 3, 2),
        asked_for="Kalmars inlämningar 2025",
        user=ministry_user,
        requester_name="Karin Kalmar",
        requester_email=region_user.email.upper(),
    )
    return region_user


def test_gdpr_export_includes_what_every_app_holds_about_the_person(client, admin_user, what_the_apps_hold):
    client.force_login(admin_user)
    (data,) = json.loads(_action(client, "export_personal_data", what_the_apps_hold).content)
    assert data["user"]["notifications"] == what_the_apps_hold.mail_delivery
    assert data["user"]["registrar"] is False
    assert [item["subject"] for item in data["digest_items"]] == ["Ny återrapport för Kalmar län"]
    assert len(data["forms_sent"]) == 1
    assert [token["name"] for token in data["api_tokens"]] == ["Kalmars uppföljningssystem"]
    assert [upload["file"] for upload in data["files_uploaded"]] == ["Handlingsplan.pdf"]
    assert [request["asked_for"] for request in data["access_requests"]] == ["Kalmars inlämningar 2025"]
    # The export tells the person what anonymisation will keep, and why.
    assert data["counties_followed"] == []
    assert set(data["kept_after_anonymisation"]) == {"files_uploaded", "access_requests"}
    assert "17.3" in data["kept_after_anonymisation"]["access_requests"]


def test_gdpr_anonymise_erases_queued_notifications_and_sent_forms_and_revokes_tokens(
    client, admin_user, what_the_apps_hold
):

    RegionFollow.objects.create(user=what_the_apps_hold, region=what_the_apps_hold.region)
    client.force_login(admin_user)
    _action(client, "anonymise", what_the_apps_hold, confirmed="yes")
    assert not RegionFollow.objects.filter(user=what_the_apps_hold).exists()
    assert not DigestItem.objects.filter(user=what_the_apps_hold).exists()
    assert not FormToken.objects.filter(user=what_the_apps_hold).exists()
    assert ApiToken.objects.get(user=what_the_apps_hold).revoked_at is not None
    # Official documents stay: the attachment (attributed to the anonymised account) and the request.
    assert Attachment.objects.get().uploaded_by == what_the_apps_hold
    assert AccessRequest.objects.get().requester_name == "Karin Kalmar"


AUTHORED = "kept: work done in a role stays attributed to the (anonymised) account"
ACCOUNTED_FOR = {
    "admin.LogEntry.user": "audit_forget_actor",
    "auditlog.LogEntry.actor": "audit_forget_actor",
    "core.FormToken.user": "section:forms_sent",
    "core.DigestItem.user": "section:digest_items",
    "core.Attachment.uploaded_by": "section:files_uploaded",
    "regions.RegionFollow.user": "section:counties_followed",
    "followup.ImportStash.user": "section:imports_waiting",
    "api.ApiToken.user": "section:api_tokens",
    "accounts.OidcIdentity.user": "section:sso_identities",
    "accounts.UserSession.user": "section:sessions",
    "otp_totp.TOTPDevice.user": "section:second_factor",
    "otp_static.StaticDevice.user": "section:second_factor",
    "api.ApiToken.created_by": AUTHORED,
    "forum.Meeting.minutes_approved_by": AUTHORED,
    "forum.MeetingDocument.uploaded_by": AUTHORED,
    "dialogues.SubmissionVersion.submitted_by": AUTHORED,
    "dialogues.Observation.author": AUTHORED,
    "dialogues.Brief.author": AUTHORED,
    "dialogues.Brief.final_by": AUTHORED,
    "reports.ReportComment.author": AUTHORED,
    "reports.ReportComment.resolved_by": AUTHORED,
    "records.Record.registered_by": AUTHORED,
    "records.SecrecyMarking.decided_by": AUTHORED,
    "records.SecrecyMarking.lifted_by": AUTHORED,
    "records.AccessRequest.handled_by": AUTHORED,
    "records.AccessDecision.decided_by": AUTHORED,
    "records.DisposalRun.user": AUTHORED,
    "records.ArchivePackage.requested_by": AUTHORED,
    "accounts.Invitation.invited_by": AUTHORED,
    "accounts.Invitation.user": "section:invitation",
}


def test_every_model_that_points_at_a_user_is_accounted_for_in_the_gdpr_functions():
    """A new model that refers to a person must be exported and erased (or kept for a stated
    reason): adding it here is the reminder to register a section in core.personal_data."""

    pointing = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.many_to_one and field.related_model is User
    }
    assert pointing == set(ACCOUNTED_FOR)
    registered = {section.key for section in personal_data_sections()}
    named = {how.removeprefix("section:") for how in ACCOUNTED_FOR.values() if how.startswith("section:")}
    assert named <= registered
