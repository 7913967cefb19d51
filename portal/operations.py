"""What an operator watches: workers, queues, report jobs, the e-mail outbox and the last backup.

One snapshot serves the administrators' status page and the Prometheus scrape (`/metrics`). Every
figure about work comes from the database or the broker, never from one process's memory, so it is
the same whichever web process or host is asked. Each look at the broker is bounded in time: a broker
that accepts connections and never answers costs the page BROKER_DEADLINE_SECONDS, not a hang.
"""

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime

from celery import current_app
from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, SummaryMetricFamily

from core.backup import last_backup
from core.models import MailStatus, OutgoingMail
from reports.choices import ReportStatus
from reports.models import FeedbackReport

BROKER_DEADLINE_SECONDS = 2.0
_broker_calls = ThreadPoolExecutor(max_workers=2, thread_name_prefix="operations")


@dataclass(frozen=True)
class OperationsStatus:
    # None where the broker could not be asked in time (or cannot answer, as the file-system broker
    # of `make run` cannot say which workers are alive).
    workers: list[str] | None
    queues: dict[str, int | None]
    reports: dict[str, int]
    report_seconds_count: int
    report_seconds_sum: float
    mails: dict[str, int]
    last_backup: dict | None
    taken_at: datetime = field(default_factory=timezone.now)

    @property
    def reports_waiting(self) -> int:
        return self.reports[ReportStatus.PENDING] + self.reports[ReportStatus.RUNNING]

    @property
    def mails_waiting(self) -> int:
        return self.mails[MailStatus.PENDING] + self.mails[MailStatus.SENDING]


def _in_time(function, default):
    try:
        return _broker_calls.submit(function).result(timeout=BROKER_DEADLINE_SECONDS)
    except FutureTimeout:
        return default
    except Exception:  # noqa: BLE001 - an unreachable broker is a figure on the page, not an error
        return default


def _queue_names() -> list[str]:
    return [current_app.conf.task_default_queue]


def _queue_lengths() -> dict[str, int | None]:
    def ask():
        lengths = {}
        with current_app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=0, timeout=BROKER_DEADLINE_SECONDS)
            channel = connection.default_channel
            for name in _queue_names():
                # Not passive: on Redis a queue nobody has bound yet is simply empty, not an error.
                lengths[name] = channel.queue_declare(queue=name).message_count
        return lengths

    return _in_time(ask, dict.fromkeys(_queue_names()))


def _workers_alive() -> list[str] | None:
    if current_app.conf.broker_url.startswith("filesystem://"):
        return None  # the file-system transport has no broadcast to ping workers with

    def ask():
        replies = current_app.control.ping(timeout=BROKER_DEADLINE_SECONDS / 2) or []
        return sorted(name for reply in replies for name in reply)

    return _in_time(ask, None)


def operations_status() -> OperationsStatus:
    reports = dict.fromkeys(ReportStatus.values, 0)
    reports.update(FeedbackReport.objects.values_list("status").annotate(n=Count("pk")).order_by())
    durations = FeedbackReport.objects.filter(
        status=ReportStatus.DONE, started_at__isnull=False, finished_at__isnull=False
    ).aggregate(
        n=Count("pk"), took=Sum(ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField()))
    )
    mails = dict.fromkeys(MailStatus.values, 0)
    mails.update(OutgoingMail.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return OperationsStatus(
        workers=_workers_alive(),
        queues=_queue_lengths(),
        reports=reports,
        report_seconds_count=durations["n"] or 0,
        report_seconds_sum=durations["took"].total_seconds() if durations["took"] else 0.0,
        mails=mails,
        last_backup=last_backup(),
    )


class OperationsCollector:
    """The snapshot as Prometheus metrics, collected at scrape time."""

    prefix = settings.PROMETHEUS_METRIC_NAMESPACE

    def collect(self):
        status = operations_status()
        name = (self.prefix + "_{}").format
        reports = GaugeMetricFamily(name("feedback_reports"), "Feedback report jobs by status.", labels=["status"])
        for key, count in status.reports.items():
            reports.add_metric([key], count)
        yield reports
        yield SummaryMetricFamily(
            name("feedback_report_generation_seconds"),
            "Time from a worker's claim to the finished PDF, over the reports generated.",
            count_value=status.report_seconds_count,
            sum_value=status.report_seconds_sum,
        )
        mails = GaugeMetricFamily(name("outbox_mails"), "E-mails in the outbox by status.", labels=["status"])
        for key, count in status.mails.items():
            mails.add_metric([key], count)
        yield mails
        queues = GaugeMetricFamily(name("queue_length"), "Tasks waiting in a broker queue.", labels=["queue"])
        for queue, length in status.queues.items():
            if length is not None:
                queues.add_metric([queue], length)
        yield queues
        if status.workers is not None:
            yield GaugeMetricFamily(
                name("workers_alive"), "Celery workers that answered a ping.", value=len(status.workers)
            )
        if status.last_backup is not None:
            yield GaugeMetricFamily(
                name("last_backup_timestamp_seconds"),
                "When the last backup finished (Unix time).",
                value=status.last_backup["at"].timestamp(),
            )
