"""The feedback reports' Celery tasks. Their names are the ones they had in dialogues/tasks.py, so
messages already queued and the beat schedule still find them."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils.translation import gettext_noop

from . import services

logger = logging.getLogger(__name__)


TOOK_TOO_LONG = gettext_noop("The report took too long to generate.")

# Errors worth another try: the database or the storage was briefly away.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


def retry_countdown(retries: int) -> int:
    """Seconds before the next try: 10, 20, 40 … at most 5 minutes."""
    return min(10 * 2**retries, 300)


@shared_task(name="dialogues.tasks.report_generate_task", bind=True, max_retries=services.MAX_ATTEMPTS - 1)
def report_generate_task(self, *, report_id: int) -> str:
    """Render one feedback report. Transient errors retry with backoff; anything else fails the report.

    The task's id goes with the claim: a redelivery of this message after its worker died (it keeps
    the id) takes the report back at once, and so does a retry.
    """
    try:
        report = services.report_generate(report_id=report_id, task_id=self.request.id)
    except SoftTimeLimitExceeded:
        too_long = services.stored_message(TOOK_TOO_LONG)
        services.report_fail(report_id=report_id, error=too_long)
        return "failed"
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            given_up = services.stored_message(services.GIVEN_UP, n=services.MAX_ATTEMPTS)
            services.report_fail(report_id=report_id, error=f"{given_up} {error}")
            return "failed"
        try:
            services.report_release(report_id=report_id, error=str(error))
        except DatabaseError:
            logger.warning("Report %s stays claimed by this task; its retry takes it back", report_id)
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error
    except Exception as error:  # a permanent failure: shown with its reason and a retry button
        logger.exception("Feedback report %s failed", report_id)
        services.report_fail(report_id=report_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    return "done" if report else "skipped"


@shared_task(name="dialogues.tasks.reports_sweep_task")
def reports_sweep_task() -> int:
    """Every few minutes (beat): queue reports that were never queued or whose worker died."""
    return len(services.reports_sweep())
