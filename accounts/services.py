import datetime
import logging
from collections.abc import Iterable

from auditlog.models import LogEntry
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from config.celery import enqueue_on_commit

from .models import OutgoingMail, User

logger = logging.getLogger(__name__)

# An e-mail not sent after this long is queued again by the sweep; after this many tries it stays
# in the outbox with its last error, for an administrator to look at.
MAIL_RETRY_AFTER = datetime.timedelta(minutes=5)
MAIL_MAX_ATTEMPTS = 8


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


def mail_deliver(*, mail_id: int) -> bool:
    """Send one stored e-mail unless it has been sent; True if it went out now.

    The row is locked while sending, so a redelivered task and the sweep never send it twice.
    """
    try:
        with transaction.atomic():
            mail = (
                OutgoingMail.objects.select_for_update(skip_locked=True)
                .filter(pk=mail_id, sent_at__isnull=True)
                .first()
            )
            if mail is None:
                return False
            send_mail(mail.subject, mail.body, None, [mail.recipient])
            OutgoingMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), attempts=mail.attempts + 1)
    except OSError as error:
        OutgoingMail.objects.filter(pk=mail_id).update(attempts=F("attempts") + 1, last_error=str(error)[:2000])
        raise
    logger.info("Sent e-mail %s", mail_id)
    return True


def mail_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again every unsent e-mail older than MAIL_RETRY_AFTER; returns how many."""
    now = now or timezone.now()
    stale = OutgoingMail.objects.filter(
        sent_at__isnull=True, created_at__lte=now - MAIL_RETRY_AFTER, attempts__lt=MAIL_MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    from .tasks import mail_deliver_task

    count = 0
    for mail_id in stale:
        enqueue_on_commit(mail_deliver_task, mail_id=mail_id)
        count += 1
    return count


def user_personal_data(*, user: User) -> dict:
    """Everything the portal holds about a person as a user, for a data subject access request."""
    contact = getattr(user, "contact", None)
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
        "contact": (
            {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone}
            if contact
            else None
        ),
        "changes_made": [
            {"when": entry.timestamp.isoformat(), "action": entry.get_action_display(), "object": entry.object_repr}
            for entry in LogEntry.objects.filter(actor=user).order_by("timestamp")
        ],
        "emails": [
            {"subject": mail.subject, "created": mail.created_at.isoformat(), "sent": bool(mail.sent_at)}
            for mail in OutgoingMail.objects.filter(recipient=user.email)
        ],
    }


PERSONAL_FIELDS = ("email", "full_name", "title", "organisation")


@transaction.atomic
def user_anonymise(*, user: User) -> None:
    """Erase a person's identity but keep the records that refer to the account.

    The account is deactivated, its personal fields replaced, its e-mails removed from the outbox
    and the personal values removed from the audit trail of the account itself; what the person
    did stays attributed to "anonymised user".
    """
    OutgoingMail.objects.filter(recipient=user.email).delete()
    user.email = f"anonymiserad-{user.pk}@invalid.example"
    user.full_name = gettext("Anonymised user")
    user.title = user.organisation = ""
    user.is_active = False
    user.set_unusable_password()
    user.full_clean()
    user.save()
    for entry in LogEntry.objects.get_for_object(user):
        changes = {k: v for k, v in (entry.changes or {}).items() if k not in PERSONAL_FIELDS}
        LogEntry.objects.filter(pk=entry.pk).update(changes=changes, object_repr=user.full_name, changes_text="")
