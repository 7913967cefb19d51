"""Queueing a task once the current transaction commits, tolerant of a broker that is away.

The Celery app itself lives in config/celery.py; a task's `apply_async` reaches it through the
task (Celery's current app), so nothing here imports the project's configuration.
"""

import logging
import time

from django.db import transaction

logger = logging.getLogger(__name__)

# After a failed send, further sends skip the broker for this long: each try costs seconds of
# redis-py's reconnection back-off, and every task sent this way is also picked up by a sweep.
BROKER_PAUSE_SECONDS = 30
_broker_failed_at: float | None = None


def broker_failure_forget() -> None:
    global _broker_failed_at
    _broker_failed_at = None


def _send(task, kwargs: dict) -> None:
    global _broker_failed_at
    if _broker_failed_at is not None and time.monotonic() - _broker_failed_at < BROKER_PAUSE_SECONDS:
        logger.warning("The broker was unreachable moments ago: %s is left for the sweep", task.name)
        return
    try:
        # No retry (the sweeps send it later), and no result subscription: the outcome is recorded
        # on our own models, and a hung result backend would otherwise hold the request for long.
        task.apply_async(kwargs=kwargs, retry=False, ignore_result=True)
    except Exception:
        _broker_failed_at = time.monotonic()
        logger.exception("The broker is unreachable: %s is left for the sweep", task.name)
        return
    _broker_failed_at = None


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue `task` once the current transaction commits.

    If the broker cannot be reached the error is logged and the request goes on: every task queued
    this way has a record in the database that a periodic sweep queues again later.
    """
    transaction.on_commit(lambda: _send(task, kwargs))
