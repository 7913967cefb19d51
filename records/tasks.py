import logging

from celery import shared_task

from .choices import DisposalTrigger
from .retention import disposal_run

logger = logging.getLogger(__name__)


@shared_task
def records_dispose_task() -> int:
    """Nightly (beat): dispose of what the retention rules say is due. Two runs at once dispose of
    each item once (rows are claimed with SKIP LOCKED); returns how many items were disposed of."""
    run = disposal_run(trigger=DisposalTrigger.JOB)
    return run.disposed_count
