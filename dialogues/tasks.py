import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def submission_reminders_send_task() -> int:
    """Daily (beat): remind the counties whose submission deadline is near. Safe to run often."""
    reminded = services.submission_reminders_send()
    logger.info("Reminded %d county/counties of the submission deadline", reminded)
    return reminded
