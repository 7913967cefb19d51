import logging

from celery import shared_task
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OSError,),  # SMTP and network errors are transient; anything else is a bug.
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def mail_send_task(*, subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; returns how many messages went out."""
    sent = send_mail(subject, body, None, recipients)
    logger.info("Sent %r to %d recipient(s)", subject, len(recipients))
    return sent
