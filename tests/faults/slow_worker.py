"""The Celery app of the fault tests' worker processes (`celery -A tests.faults.slow_worker`).

It is the portal's own app on the test run's queue (FAULTS_QUEUE). With FAULTS_SLOW_STAGE set, each
report's first attempt is held up for a while at one stage, so that a test can kill the worker
exactly there:

- "render": while the PDF is being rendered (nothing is stored yet);
- "store": after the PDF file has been written to storage, before the transaction commits.

Later attempts run at full speed.
"""

import os
import time

from celery.signals import worker_process_init
from django.db import transaction

from config.celery import app

HOLD_SECONDS = 60

# The test run's own queue, for the tasks this worker sends (the sweep's, retries) as for those it takes.
app.conf.task_default_queue = os.environ.get("FAULTS_QUEUE", "celery")


def _hold(report) -> None:
    if report.attempts == 1:
        time.sleep(HOLD_SECONDS)


@worker_process_init.connect
def _slow_down_first_attempts(**kwargs):
    from reports import rendering
    from reports import services as report_services

    stage = os.environ.get("FAULTS_SLOW_STAGE", "")
    if stage == "render":
        render = rendering.report_pdf

        def slow_report_pdf(report, **options):
            _hold(report)
            return render(report, **options)

        rendering.report_pdf = slow_report_pdf
    elif stage == "store":
        finish = report_services.report_finish

        def slow_report_finish(*, report, pdf):
            with transaction.atomic():
                finished = finish(report=report, pdf=pdf)
                _hold(report)  # the file is in storage; the database does not know it yet
            return finished

        report_services.report_finish = slow_report_finish
    elif stage:
        raise ValueError(f"unknown FAULTS_SLOW_STAGE {stage!r}")
