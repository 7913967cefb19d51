import logging

from celery import shared_task

from .services import mail_deliver, mail_sweep

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OSError,),  # SMTP and network errors are transient; anything else is a bug.
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def mail_deliver_task(*, mail_id: int) -> bool:
    return mail_deliver(mail_id=mail_id)


@shared_task
def mail_sweep_task() -> int:
    """Queue again the e-mails that were never sent (the broker was away, or a worker died)."""
    return mail_sweep()
