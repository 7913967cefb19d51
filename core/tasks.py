import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .mail import mail_deliver, mail_digests_send, mail_sweep

logger = logging.getLogger(__name__)

# The names are those the tasks had in the accounts app: messages already queued under them, and the
# beat schedule (CELERY_BEAT_SCHEDULE), still find them.


@shared_task(name="accounts.tasks.mail_deliver_task")
def mail_deliver_task(*, mail_id: int) -> bool:
    """Send one e-mail of the outbox; errors are recorded on it, and transient ones tried again by
    the sweep after a back-off (`core.mail.mail_deliver`)."""
    return mail_deliver(mail_id=mail_id)


@shared_task(name="core.tasks.mail_deliver_batch_task")
def mail_deliver_batch_task(*, mail_ids: list[int]) -> int:
    """Send e-mails of the outbox one after another (`core.mail.MAIL_BATCH_SIZE`); returns how many
    went out now. One that fails unexpectedly is recorded as perhaps sent and the rest go on."""
    sent = 0
    for mail_id in mail_ids:
        try:
            sent += mail_deliver(mail_id=mail_id)
        except SoftTimeLimitExceeded:
            raise  # the rest are still waiting: the sweep queues them again
        except Exception:
            logger.exception("E-mail %s: unexpected error while sending", mail_id)
    return sent


@shared_task(name="accounts.tasks.mail_sweep_task")
def mail_sweep_task() -> int:
    """Queue again the e-mails that are due (the broker was away, a transient error), and mark those
    left "being sent" by a worker that stopped as "perhaps sent"."""
    return mail_sweep()


@shared_task(name="core.tasks.mail_digests_send_task")
def mail_digests_send_task() -> int:
    """Daily (beat): one e-mail to each person who chose the digest and has notifications waiting.
    Safe to run twice: an item is removed in the transaction that queues its digest."""
    sent = mail_digests_send()
    logger.info("Queued %d daily digest(s)", sent)
    return sent
