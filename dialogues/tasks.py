import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from . import report_services, services

logger = logging.getLogger(__name__)


@shared_task
def submission_reminders_send_task() -> int:
    """Daily (beat): remind the counties whose submission deadline is near. Safe to run often."""
    reminded = services.submission_reminders_send()
    logger.info("Reminded %d county/counties of the submission deadline", reminded)
    return reminded


# Errors worth another try: the database or the storage was briefly away.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


@shared_task(bind=True, max_retries=report_services.MAX_ATTEMPTS - 1)
def report_generate_task(self, *, report_id: int) -> str:
    """Render one feedback report. Transient errors retry with backoff; anything else fails the report."""
    try:
        report = report_services.report_generate(report_id=report_id)
    except TRANSIENT_ERRORS as error:
        report_services.report_release(report_id=report_id, error=str(error))
        if self.request.retries >= self.max_retries:
            report_services.report_fail(report_id=report_id, error=str(error))
            raise
        raise self.retry(exc=error, countdown=min(10 * 2**self.request.retries, 300)) from error
    except SoftTimeLimitExceeded:
        report_services.report_fail(report_id=report_id, error=_("The report took too long to generate."))
        return "failed"
    except Exception as error:  # a permanent failure: shown with its reason and a retry button
        logger.exception("Feedback report %s failed", report_id)
        report_services.report_fail(report_id=report_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    return "done" if report else "skipped"


@shared_task
def reports_sweep_task() -> int:
    """Every few minutes (beat): queue reports that were never queued or whose worker died."""
    return len(report_services.reports_sweep())
