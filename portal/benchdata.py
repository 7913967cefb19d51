"""Benchmark data: the audit log at scale (issue 20: a million entries at 100×).

Most entries are about the 1:1 lines and the observations, as imports and editing make them; a
thousandth are about Kalmar's latest submission and its results, so its change history is long.
Built after the other apps' data (portal is last in bench_data's list).
"""

import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dialogues.models import Dialogue, Observation, Submission, SubmissionResult
from followup.models import Expenditure

BATCH = 10_000


def build(*, scale) -> None:
    if LogEntry.objects.filter(cid="bench").exists():
        return
    target = (
        Dialogue.objects.filter(region__code="08", kind="annual", submission__isnull=False)
        .order_by("-round__year")
        .values_list("submission__pk", flat=True)
        .first()
    )
    about_target = max(scale.audit_entries // 1_000, 10)
    _bulk(_about_submission(target, about_target))
    rest = scale.audit_entries - about_target
    _bulk(
        _about(Expenditure, rest // 2, changes=lambda pk, n: {"allocation": [None, str(pk)], "amount": [None, str(n)]})
    )
    _bulk(_about(Observation, rest - rest // 2, changes=lambda pk, n: {"text": [f"Version {n}", f"Version {n + 1}"]}))


def _bulk(entries) -> None:
    batch = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == BATCH:
            LogEntry.objects.bulk_create(batch)
            batch = []
    LogEntry.objects.bulk_create(batch)


def _when(n: int, count: int) -> datetime.datetime:
    """Spread over the last ten years, oldest first."""
    start = timezone.now() - datetime.timedelta(days=3_650)
    return start + datetime.timedelta(seconds=n * (315_360_000 // max(count, 1)))


def _entry(model_type: ContentType, pk: int, n: int, count: int, changes: dict, action=LogEntry.Action.UPDATE):
    return LogEntry(
        content_type=model_type,
        object_pk=str(pk),
        object_id=pk,
        object_repr=f"#{pk}",
        action=action,
        changes=changes,
        changes_text="",
        timestamp=_when(n, count),
        cid="bench",
    )


def _about_submission(submission_pk: int | None, count: int):
    if submission_pk is None:
        return
    submission_type = ContentType.objects.get_for_model(Submission)
    result_type = ContentType.objects.get_for_model(SubmissionResult)
    results = list(SubmissionResult.objects.filter(submission_id=submission_pk).values_list("pk", flat=True))
    for n in range(count):
        if n % 2 and results:
            pk = results[n % len(results)]
            yield _entry(
                result_type, pk, n, count, {"submission": [None, str(submission_pk)], "outcome": ["1", str(n)]}
            )
        else:
            yield _entry(submission_type, submission_pk, n, count, {"resource_use": [f"Text {n}", f"Text {n + 1}"]})


def _about(model, count: int, *, changes):
    model_type = ContentType.objects.get_for_model(model)
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    if not pks:
        return
    for n in range(count):
        pk = pks[n % len(pks)]
        yield _entry(model_type, pk, n, count, changes(pk, n), action=LogEntry.Action.CREATE)
