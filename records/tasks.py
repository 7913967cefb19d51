"""The register's Celery tasks: disposal by the retention rules, building archive packages, and the
sweep that re-queues them."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext

from . import services
from .choices import DisposalTrigger
from .retention import disposal_run

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the storage was briefly away.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 2


@shared_task(bind=True, max_retries=MAX_RETRIES, soft_time_limit=45 * 60, time_limit=50 * 60)
def archive_package_build_task(self, *, package_id: int) -> str:
    """Build one archive package. Transient errors retry with backoff; anything else fails it."""
    try:
        package = services.archive_package_build(package_id=package_id)
    except SoftTimeLimitExceeded:
        with translation.override(settings.LANGUAGE_CODE):  # kept on the package, shown to the registrar
            too_long = gettext("The package took too long to build.")
        services.archive_package_fail(package_id=package_id, error=too_long)
        return "failed"
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            services.archive_package_fail(package_id=package_id, error=f"{type(error).__name__}: {error}")
            return "failed"
        services.archive_package_release(package_id=package_id)
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 300)) from error
    except Exception as error:  # a permanent failure: shown with its reason, and the registrar may ask again
        logger.exception("Archive package %s failed", package_id)
        services.archive_package_fail(package_id=package_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    return "done" if package else "skipped"


@shared_task
def archive_packages_sweep_task() -> int:
    """Every few minutes (beat): queue packages that were never queued or whose worker died."""
    return len(services.archive_packages_sweep())


@shared_task
def records_dispose_task() -> int:
    """Nightly (beat): dispose of what the retention rules say is due. Two runs at once dispose of
    each item once (rows are claimed with SKIP LOCKED); returns how many items were disposed of."""
    run = disposal_run(trigger=DisposalTrigger.JOB)
    return run.disposed_count
