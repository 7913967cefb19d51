"""The Celery application; its configuration lives in settings under the CELERY_ namespace."""

import os
from pathlib import Path

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender, **kwargs):
    """The file-system transport expects its folders to exist before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue `task` once the current transaction commits.

    If the broker cannot be reached the error is logged and the request goes on: every task queued
    this way has a record in the database that a periodic sweep queues again later.
    """
    transaction.on_commit(lambda: task.apply_async(kwargs=kwargs, retry=False), robust=True)
