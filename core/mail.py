"""The e-mail outbox: an e-mail is stored with the change that caused it and sent by the worker
after commit (`mail_deliver`), tried again after transient errors and swept up when the broker
was away (`mail_sweep`); one perhaps sent is sent again only by an administrator (`mail_resend`).

Work notifications (`mail_users`) follow each person's choice: sent at once, or kept as digest
items and sent as one e-mail a day (`mail_digests_send`). Security e-mails use `mail_send` and
are always sent at once.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from .models import DigestItem, MailDelivery, MailStatus, OutgoingMail
from .queueing import enqueue_on_commit

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
# E-mails are handed to the worker this many to a task: a notice to 1 600 people is 80 messages to
# the broker, not 1 600 (1.5 ms each, inside the request or the report task that sends it). Few
# enough that a batch to an SMTP server that times out on each still ends within the task's limit.
MAIL_BATCH_SIZE = 20


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
    _deliver_after_commit([mail.pk for mail in mails])
    return len(mails)


def _deliver_after_commit(mail_ids: list[int]) -> None:
    from .tasks import mail_deliver_batch_task

    for start in range(0, len(mail_ids), MAIL_BATCH_SIZE):
        enqueue_on_commit(mail_deliver_batch_task, mail_ids=mail_ids[start : start + MAIL_BATCH_SIZE])


def _wants_digest(user) -> bool:
    return getattr(user, "mail_delivery", MailDelivery.IMMEDIATE) == MailDelivery.DIGEST


@transaction.atomic
def mail_users(*, users: Iterable, subject: str, body: str) -> int:
    """Send a work notification to each active user given (anything with `email` and `is_active`);
    returns the number of recipients.

    Those who chose immediate e-mails (the default) get it queued now; for those who chose the daily
    digest it is kept as a digest item, with the same transaction, for `mail_digests_send`.
    """
    active = [user for user in users if user.is_active and user.email]
    digest_user_ids = {user.pk for user in active if _wants_digest(user)}
    DigestItem.objects.bulk_create(
        DigestItem(user_id=user_id, subject=str(subject)[:300], body=str(body)) for user_id in sorted(digest_user_ids)
    )
    immediate = [user.email for user in active if not _wants_digest(user)]
    return mail_send(recipients=immediate, subject=subject, body=body) + len(digest_user_ids)


def mail_digests_send() -> int:
    """Send everyone with notifications waiting one e-mail holding all of them; returns how many
    digests were queued. Whoever has nothing waiting gets nothing.

    Each person is locked (`skip_locked`: a person another run holds is left to it) and their items
    removed in the transaction that queues the digest, so two runs at once, or a run repeated, never
    send a person two digests or an item twice; an item written while a digest is being made waits
    for the next one.
    """
    user_ids = list(DigestItem.objects.order_by("user_id").values_list("user_id", flat=True).distinct())
    return sum(_digest_send(user_id=user_id) for user_id in user_ids)


@transaction.atomic
def _digest_send(*, user_id: int) -> bool:
    # One run at a time per person: the person's row is locked first, and a run that finds it held
    # leaves the person to the run holding it. (Locking only the items let two runs split one
    # person's items between them: two digests, each with half.)
    user = get_user_model()._default_manager.select_for_update(skip_locked=True).filter(pk=user_id).first()
    if user is None:
        return False  # another run is sending this person's digest (or the account is gone)
    items = list(DigestItem.objects.filter(user_id=user_id).order_by("created_at", "pk"))
    if not items:
        return False
    DigestItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    if not user.is_active or not user.email:
        return False  # a deactivated account receives nothing, as with immediate e-mails
    # The portal has no language per person: the digest is in the portal's language, as the
    # notifications made by the workers are.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _digest_compose(items)
    mail_send(recipients=[user.email], subject=subject, body=body)
    return True


def _digest_compose(items: list[DigestItem]) -> tuple[str, str]:
    count = len(items)
    subject = ngettext(
        "Daily digest: {count} notification from the regional development dialogues",
        "Daily digest: {count} notifications from the regional development dialogues",
        count,
    ).format(count=count)
    parts = [gettext("This is what happened in the portal since your last digest.")]
    for number, item in enumerate(items, start=1):
        when = date_format(timezone.localtime(item.created_at), "SHORT_DATETIME_FORMAT")
        parts.append(f"{number}. {item.subject} ({when})\n\n{item.body.strip()}")
    settings_link = settings.PORTAL_URL + reverse("notification_settings")
    parts.append(
        "-- \n"
        + gettext(
            "You receive one digest a day because you chose it in the portal. To get each e-mail at once "
            "instead, change your choice here: {link}"
        ).format(link=settings_link)
    )
    return subject, "\n\n".join(parts)


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
    ids = list(due.values_list("pk", flat=True))
    _deliver_after_commit(ids)
    return len(ids)


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
    _deliver_after_commit(ids)
    return len(ids)
