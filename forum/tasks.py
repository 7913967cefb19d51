import logging

from celery import shared_task

from .services import meeting_reminders_send

logger = logging.getLogger(__name__)


@shared_task
def meeting_reminders_send_task() -> int:
    """Periodic (Celery beat): e-mail members the agenda of meetings whose reminder day has come."""
    sent = meeting_reminders_send()
    if sent:
        logger.info("Meeting reminders sent for %d meeting(s)", sent)
    return sent
