import datetime
import logging
import smtplib
from collections.abc import Iterable

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from config.celery import enqueue_on_commit

from .audit import action_label, audit_forget_actor, audit_forget_record, audit_forget_text
from .choices import MailStatus
from .models import OutgoingMail, User

logger = logging.getLogger(__name__)

# A waiting e-mail is queued again by the sweep (every 5 minutes) once this long has passed since it
# was created, and after a transient error once its back-off has passed: MAIL_RETRY_AFTER doubled for
# each try, at most MAIL_RETRY_MAX. After MAIL_MAX_ATTEMPTS tries it fails, with its last error.
MAIL_RETRY_AFTER = datetime.timedelta(minutes=5)
MAIL_RETRY_MAX = datetime.timedelta(hours=2)
MAIL_MAX_ATTEMPTS = 8
# A claimed e-mail whose outcome was not recorded after this long (well past the task's time limit
# and the SMTP timeout) is marked "perhaps sent": the worker stopped between claim and record.
MAIL_SENDING_TIMEOUT = datetime.timedelta(minutes=15)


@transaction.atomic
def mail_send(*, recipients: Iterable[str], subject: str, body: str) -> int:
    """Queue one e-mail per recipient (so nobody sees the others' addresses); returns how many.

    The messages are stored with the current transaction and handed to the worker after it
    commits; nothing is sent if the transaction is rolled back.
    """
    addresses = sorted({address.strip().lower() for address in recipients if address and address.strip()})
    mails = OutgoingMail.objects.bulk_create(
        OutgoingMail(recipient=address, subject=str(subject)[:300], body=str(body)) for address in addresses
    )
    from .tasks import mail_deliver_task

    for mail in mails:
        enqueue_on_commit(mail_deliver_task, mail_id=mail.pk)
    return len(mails)


def mail_users(*, users: Iterable[User], subject: str, body: str) -> int:
    """Queue an e-mail to each active user given; returns the number of recipients."""
    return mail_send(recipients=[user.email for user in users if user.is_active], subject=subject, body=body)


def _is_permanent(error: Exception) -> bool:
    """Errors that a later try would meet again: a refused header (BadHeaderError) or address
    (ValueError), recipients the server refuses, a message it rejects for good (5xx)."""
    if isinstance(error, ValueError | smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600


def _retry_delay(attempts: int) -> datetime.timedelta:
    return min(MAIL_RETRY_AFTER * 2 ** max(attempts - 1, 0), MAIL_RETRY_MAX)


def mail_deliver(*, mail_id: int) -> bool:
    """Send one waiting e-mail; True if it went out now.

    The e-mail is claimed (waiting → being sent) with a conditional update before the SMTP server is
    contacted, so a redelivered task or the sweep never sends it a second time; the outcome is
    recorded afterwards. A permanent error fails the e-mail with the error text; a transient one
    (network, SMTP server away) puts it back to wait for its back-off, until MAIL_MAX_ATTEMPTS.
    If the worker stops before recording the outcome, the e-mail stays "being sent" and the sweep
    marks it "perhaps sent" (`mail_sweep`), for an administrator to resend deliberately.
    """
    now = timezone.now()
    claimed = (
        OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        send_mail(mail.subject, mail.body, None, [mail.recipient])
    except Exception as error:
        _record_failure(mail, error)
        if not isinstance(error, OSError | ValueError):
            raise  # not the SMTP server's answer (a time limit, a bug): let it be seen
        return False
    OutgoingMail.objects.filter(pk=mail_id).update(status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
    logger.info("Sent e-mail %s", mail_id)
    return True


def _record_failure(mail: OutgoingMail, error: Exception) -> None:
    text = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or (isinstance(error, OSError) and mail.attempts >= MAIL_MAX_ATTEMPTS):
        logger.error("E-mail %s failed for good: %s", mail.pk, text)
        values = {"status": MailStatus.FAILED, "next_attempt_at": None}
    elif not isinstance(error, OSError):
        # Not the network nor the server (a time limit, a bug): whether it went out is unknown.
        logger.error("E-mail %s perhaps sent: %s", mail.pk, text)
        values = {"status": MailStatus.UNCERTAIN, "next_attempt_at": None}
    else:
        logger.warning("E-mail %s not sent, will try again: %s", mail.pk, text)
        values = {"status": MailStatus.PENDING, "next_attempt_at": timezone.now() + _retry_delay(mail.attempts)}
    OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(last_error=text, **values)


def mail_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again every waiting e-mail that is due (created MAIL_RETRY_AFTER ago, its back-off
    passed), and mark "perhaps sent" those claimed more than MAIL_SENDING_TIMEOUT ago; returns how
    many were queued."""
    now = now or timezone.now()
    stalled = OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_at__lte=now - MAIL_SENDING_TIMEOUT)
    for mail_id in stalled.values_list("pk", flat=True):
        logger.error("E-mail %s was claimed but its outcome never recorded: perhaps sent", mail_id)
    stalled.update(
        status=MailStatus.UNCERTAIN,
        last_error=gettext("The worker stopped while sending; the e-mail may or may not have gone out."),
    )
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, created_at__lte=now - MAIL_RETRY_AFTER).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    from .tasks import mail_deliver_task

    count = 0
    for mail_id in due.values_list("pk", flat=True):
        enqueue_on_commit(mail_deliver_task, mail_id=mail_id)
        count += 1
    return count


@transaction.atomic
def mail_resend(*, mail_ids: Iterable[int]) -> int:
    """An administrator's decision to send again e-mails that perhaps went out or failed: they wait
    again with a fresh count of tries and are queued after commit; returns how many."""
    resendable = OutgoingMail.objects.select_for_update().filter(
        pk__in=list(mail_ids), status__in=[MailStatus.UNCERTAIN, MailStatus.FAILED]
    )
    ids = list(resendable.values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=ids).update(
        status=MailStatus.PENDING, attempts=0, next_attempt_at=None, claimed_at=None
    )
    from .tasks import mail_deliver_task

    for mail_id in ids:
        enqueue_on_commit(mail_deliver_task, mail_id=mail_id)
    return len(ids)


# --- Personal data (GDPR) ---------------------------------------------------------------------


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
    from forum.models import Forum

    return Forum.objects.filter(memberships__substitute=contact).distinct()


def _contact_of(user: User):
    from regions.models import Contact

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
    too, and their e-mails and log-in records are removed. In the audit log, what the person did stays
    attributed to "anonymised user", without the address they came from, and their name and e-mail
    address no longer appear: not in the history of the account or the card, nor in the records
    that refer to them, nor as the recipient of an e-mail.
    """
    former_email, former_name = user.email, user.full_name
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
