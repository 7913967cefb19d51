"""Personal data (GDPR): what the portal holds about a person, and erasing it but keeping the records.

A person's data is spread over the apps (the account, the contact card, forum seats and meetings,
dialogues, the audit log, log-ins and e-mails), so this lives in portal, which may import them all.
The admin actions that call these functions are in portal/admin.py.
"""

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from core.audit import action_label, audit_forget_actor, audit_forget_record, audit_forget_text
from core.models import OutgoingMail
from core.personal_data import personal_data_sections
from forum.models import Forum
from regions.models import Contact


def user_personal_data(*, user: User) -> dict:
    """Everything the portal holds about a person as a user, for a data subject access request."""
    contact = _contact_of(user)
    return {
        "user": {
            "email": user.email,
            "name": user.full_name,
            "title": user.title,
            "organisation": user.organisation,
            "role": user.role,
            "county": str(user.region) if user.region else None,
            "registrar": user.is_registrar,
            "notifications": user.mail_delivery,
            "active": user.is_active,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "contact": contact_personal_data(contact=contact) if contact else None,
        "changes_made": [
            {
                "when": entry.timestamp.isoformat(),
                "action": action_label(entry.action),
                "record": _record_kind(entry),
                "record_id": entry.object_pk,
                "object": entry.object_repr,
                "from_address": entry.remote_addr,
            }
            for entry in LogEntry.objects.filter(actor=user).select_related("content_type").order_by("timestamp", "pk")
        ],
        "account_history": _history(user),
        "log_ins": [
            {"when": access.attempt_time.isoformat(), "from_address": access.ip_address}
            for access in AccessLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
        ],
        "emails": [
            {"subject": mail.subject, "created": mail.created_at.isoformat(), "sent": bool(mail.sent_at)}
            for mail in OutgoingMail.objects.filter(recipient__iexact=user.email).order_by("created_at")
        ],
        **{section.key: section.export(user) for section in personal_data_sections()},
        "kept_after_anonymisation": {
            section.key: str(section.kept_because) for section in personal_data_sections() if section.erase is None
        },
    }


def contact_personal_data(*, contact) -> dict:
    """What the contact directory holds about a person: the card, and the fora, meetings and
    dialogues it appears in."""
    memberships = contact.forum_memberships.select_related("forum", "region").order_by("valid_from")
    return {
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
        "organisation": str(contact.organisation) if contact.organisation_id else None,
        "county": str(contact.region) if contact.region_id else None,
        "forum_seats": [
            {
                "forum": str(membership.forum),
                "seat": str(membership.get_role_display()),
                "county": str(membership.region) if membership.region_id else None,
                "from": membership.valid_from.isoformat(),
                "to": membership.valid_to.isoformat() if membership.valid_to else None,
            }
            for membership in memberships
        ],
        "substitute_in": [str(forum) for forum in _forums_substituted(contact)],
        "chair_of": [str(forum) for forum in contact.chaired_fora.all()],
        "meetings": [
            {"meeting": str(attendance.meeting), "attendance": str(attendance.get_status_display())}
            for attendance in contact.forum_attendances.select_related("meeting")
        ],
        "dialogues": [
            {"dialogue": str(participant.dialogue), "side": str(participant.get_side_display())}
            for participant in contact.dialogue_participations.select_related("dialogue__region", "dialogue__round")
        ],
        "history": _history(contact),
    }


def _forums_substituted(contact):
    return Forum.objects.filter(memberships__substitute=contact).distinct()


def _contact_of(user: User):
    return Contact.objects.filter(user=user).select_related("organisation", "region").first()


def _record_kind(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model else entry.content_type.model


def _history(record) -> list[dict]:
    """The changes to a person's own record: when, what, and the values (their own data)."""
    return [
        {"when": entry.timestamp.isoformat(), "action": action_label(entry.action), "changes": entry.changes}
        for entry in LogEntry.objects.get_for_object(record).order_by("timestamp", "pk")
    ]


USER_PERSONAL_FIELDS = ("email", "full_name", "title", "organisation")
CONTACT_PERSONAL_FIELDS = ("name", "title", "email", "phone")


@transaction.atomic
def user_anonymise(*, user: User) -> None:
    """Erase a person's identity but keep the records that refer to the account.

    The account is closed and its personal fields replaced; the person's contact card is anonymised
    too, and their e-mails, log-in records and what the apps registered as erasable
    (core.personal_data: queued notifications, sent forms, API tokens, ...) are removed or revoked.
    In the audit log, what the person did stays attributed to "anonymised user", without the
    address they came from, and their name and e-mail address no longer appear: not in the history
    of the account or the card, nor in the records that refer to them, nor as the recipient of an
    e-mail.
    """
    former_email, former_name = user.email, user.full_name
    for section in personal_data_sections():
        if section.erase is not None:
            section.erase(user)
    with disable_auditlog():  # logging the removed e-mails would keep their addresses and texts
        OutgoingMail.objects.filter(recipient__iexact=former_email).delete()
    for log_in_record in (AccessLog, AccessAttempt, AccessFailureLog):  # django-axes: address and computer
        log_in_record.objects.filter(username__iexact=former_email).delete()
    user.email = f"anonymiserad-{user.pk}@invalid.example"
    user.full_name = gettext("Anonymised user")
    user.title = user.organisation = ""
    user.is_active = False
    user.set_unusable_password()
    user.full_clean()
    user.save()
    contact = _contact_of(user)
    if contact is not None:
        contact_anonymise(contact=contact)
    audit_forget_actor(user, former_email=former_email)
    audit_forget_record(
        user, personal_fields=USER_PERSONAL_FIELDS, texts=[former_email, former_name], replacement=user.full_name
    )
    audit_forget_text(former_email, texts=[former_name], replacement=user.full_name)


@transaction.atomic
def contact_anonymise(*, contact) -> None:
    """Erase a person from the contact directory but keep the fora, meetings and dialogues they took
    part in, attributed to "anonymised person"; the audit log forgets them as `user_anonymise` says."""
    former_name, former_email = contact.name, contact.email
    contact.name = gettext("Anonymised person")
    contact.title = contact.email = contact.phone = ""
    contact.full_clean()
    contact.save()
    audit_forget_record(
        contact,
        personal_fields=CONTACT_PERSONAL_FIELDS,
        texts=[former_name, former_email],
        replacement=contact.name,
    )
    audit_forget_text(former_email, texts=[former_name], replacement=contact.name)
