import logging

from celery import shared_task
from django.utils import timezone

from .models import RegionalStrategy
from .services import strategy_stage_refresh

logger = logging.getLogger(__name__)


@shared_task
def strategy_stages_refresh_task() -> int:
    """Daily: a stage recorded with a future start date is entered (and announced) when the day comes.

    Returns how many strategies moved on. Running it twice moves nothing twice.
    """
    today = timezone.localdate()
    moved = 0
    candidates = RegionalStrategy.objects.filter(stages__starts_on__lte=today).distinct().values_list("pk", flat=True)
    for pk in candidates:
        strategy = RegionalStrategy.objects.filter(pk=pk).first()
        if strategy is not None and strategy_stage_refresh(strategy=strategy):
            moved += 1
    logger.info("Strategy stages refreshed: %d moved on", moved)
    return moved
