"""Retention and disposal (gallring, arkivlagen 10 §): which items each retention rule reaches, and
the run that disposes of what is due.

A *kind* is a type of registered document (records.choices.DocumentType) or a kind of working
material (records.choices.WorkingMaterial). Each kind has one or more *sources*: a queryset of the
items not yet disposed of and not held, the date field the rule counts from, how to name an item
in the log, and how to dispose of a batch. The register's own kinds and core's working material
(outbox, digest items, form tokens, django-axes' log-in records) are defined here; the apps above
(dialogues' drafts) add theirs from their AppConfig.ready(), as they do with `records.documents`.

Nothing is touched without a rule that says DISPOSE: a kind without a rule, or with KEEP, is kept.
A registered record is never deleted: its row is marked disposed of (the number series keeps no
gaps), and its document is deleted only when the rule says so and its app says how.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.models import DigestItem, FormToken, MailStatus, OutgoingMail

from .choices import DisposalTrigger, DocumentType, PeriodUnit, RequestStatus, WorkingMaterial
from .models import DisposalLog, DisposalRun, Record, RequestedRecord, RetentionRule

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # items disposed of in one transaction
MAX_PER_RUN = 20_000  # a run stops here; the next run goes on where it stopped


@dataclass(frozen=True)
class Source:
    """Where one kind's items are: `queryset()` gives those not yet disposed of and not held."""

    queryset: Callable[[], QuerySet]
    date_field: str
    basis: str  # what the date is ("sent", "received or drawn up"), shown with the rule
    identify: Callable[[models.Model], tuple[str, str]]  # (identifier, title) for the log
    dispose: Callable[[list, RetentionRule, datetime.datetime], bool]  # True: the content went

    def due(self, rule: RetentionRule, now: datetime.datetime) -> QuerySet:
        """The items the rule reaches at `now`, oldest first."""
        field = self.queryset().model._meta.get_field(self.date_field.split("__")[0])
        limit = rule_cutoff(rule, now)
        bound = limit if isinstance(field, models.DateTimeField) else timezone.localdate(limit)
        return self.queryset().filter(**{f"{self.date_field}__lte": bound}).order_by(self.date_field, "pk")

    def basis_date(self, item) -> datetime.date:
        value = getattr(item, self.date_field)
        return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


_SOURCES: dict[str, list[Source]] = {}
_HOLDS: list[Callable[[], Q]] = []
_CONTENT_DISPOSERS: dict[str, Callable[[models.Model], None]] = {}
_defaults_registered = False


def source_register(kind: str, source: Source) -> None:
    """Add where items of `kind` are (call from AppConfig.ready())."""
    _SOURCES.setdefault(kind, []).append(source)


def sources_of(kind: str) -> list[Source]:
    return list(_SOURCES.get(kind, ()))


def record_hold_register(hold: Callable[[], Q]) -> None:
    """Add a reason to hold registered records back from disposal: `hold()` gives a Q on Record of
    the records it holds (dialogues: those in the case of a round that is not closed)."""
    _HOLDS.append(hold)


def content_disposer_register(model: type[models.Model], dispose: Callable[[models.Model], None]) -> None:
    """Tell the register how to delete a document of `model` when its rule says the content goes;
    a registered document whose app gave none keeps its content (only the register row is marked)."""
    _CONTENT_DISPOSERS[model._meta.label_lower] = dispose


def rule_words(rule: RetentionRule) -> str:
    """The rule in words as the register and the log keep it: in the portal's language, whoever ran it."""
    with translation.override(settings.LANGUAGE_CODE):
        return rule.describe()[:300]


def rule_cutoff(rule: RetentionRule, now: datetime.datetime) -> datetime.datetime:
    """The latest date (and time) an item may have to be disposed of under `rule` at `now`."""
    if rule.unit == PeriodUnit.MONTHS:
        return now - relativedelta(months=rule.period)
    return now - relativedelta(years=rule.period)


# --- Registered documents ----------------------------------------------------------------------


def _records_not_held() -> QuerySet[Record]:
    """Records not yet disposed of, none in a request for access still open (TF 2 kap.: what is
    asked for is kept until it is decided), none held by an app's hold."""
    open_request = RequestedRecord.objects.filter(record=OuterRef("pk"), request__status=RequestStatus.OPEN)
    records = Record.objects.filter(disposed_at__isnull=True).exclude(Exists(open_request))
    for hold in _HOLDS:
        records = records.exclude(hold())
    return records


def _record_identify(record: Record) -> tuple[str, str]:
    return record.number or f"#{record.pk}", record.title


def _records_dispose(records: list[Record], rule: RetentionRule, now: datetime.datetime) -> bool:
    """Mark the register rows disposed of; delete each document too where the rule says so and its
    app told how. Returns whether every document's content was deleted."""
    all_gone = True
    for record in records:
        gone = False
        if rule.delete_content:
            model = record.content_type.model_class()
            dispose = _CONTENT_DISPOSERS.get(model._meta.label_lower) if model else None
            # Looked up apart from the record, so the record keeps no cached, deleted document.
            document = model._default_manager.filter(pk=record.object_id).first() if dispose else None
            if document is not None:
                dispose(document)
                gone = True
        all_gone = all_gone and gone
        record.disposed_at, record.disposal_rule, record.content_disposed = now, rule_words(rule), gone
        record.version += 1
        record.save(update_fields=["disposed_at", "disposal_rule", "content_disposed", "version"])
    return all_gone


def _record_source(document_type: str) -> Source:
    return Source(
        queryset=lambda: _records_not_held().filter(document_type=document_type).select_related("content_type"),
        date_field="document_date",
        basis=_("the date received or drawn up"),
        identify=_record_identify,
        dispose=_records_dispose,
    )


# --- Working material of the layers below (core, django-axes) ----------------------------------


def _delete(items: list, rule: RetentionRule, now: datetime.datetime) -> bool:
    if items:
        type(items[0]).objects.filter(pk__in=[item.pk for item in items]).delete()
    return True


def _mail_identify(mail: OutgoingMail) -> tuple[str, str]:
    # The subject, never the recipient: the log is kept for ever and must not keep what it disposed of.
    return f"mail#{mail.pk}", mail.subject


def _plain(prefix: str) -> Callable[[models.Model], tuple[str, str]]:
    return lambda item: (f"{prefix}#{item.pk}", "")


def _axes_sources() -> Iterable[Source]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model, prefix in ((AccessAttempt, "attempt"), (AccessFailureLog, "failure"), (AccessLog, "login")):
        yield Source(
            queryset=model.objects.all,
            date_field="attempt_time",
            basis=_("the time of the log-in"),
            identify=_plain(prefix),
            dispose=_delete,
        )


def register_defaults() -> None:
    """The register's own kinds and core's working material (called once from RecordsConfig.ready())."""
    global _defaults_registered
    if _defaults_registered:
        return
    _defaults_registered = True
    for document_type in DocumentType.values:
        source_register(document_type, _record_source(document_type))
    source_register(
        WorkingMaterial.OUTBOX,
        Source(
            queryset=lambda: OutgoingMail.objects.filter(status=MailStatus.SENT),
            date_field="sent_at",
            basis=_("the date sent"),
            identify=_mail_identify,
            dispose=_delete,
        ),
    )
    source_register(
        WorkingMaterial.OUTBOX,
        Source(
            queryset=lambda: OutgoingMail.objects.filter(status__in=[MailStatus.FAILED, MailStatus.UNCERTAIN]),
            date_field="created_at",
            basis=_("the date written (mails that failed)"),
            identify=_mail_identify,
            dispose=_delete,
        ),
    )
    for source in _axes_sources():
        source_register(WorkingMaterial.LOGIN_RECORDS, source)
    source_register(
        WorkingMaterial.DIGEST_ITEMS,
        Source(
            queryset=DigestItem.objects.all,
            date_field="created_at",
            basis=_("the date the notification was kept"),
            identify=_plain("digest"),
            dispose=_delete,
        ),
    )
    source_register(
        WorkingMaterial.FORM_TOKENS,
        Source(
            queryset=FormToken.objects.all,
            date_field="created_at",
            basis=_("the date the form was sent"),
            identify=_plain("form"),
            dispose=_delete,
        ),
    )


def disposing_rules() -> list[RetentionRule]:
    """The rules that dispose of something; every other kind is kept."""
    return [rule for rule in RetentionRule.objects.order_by("kind") if rule.disposes]


# --- The run -----------------------------------------------------------------------------------


def _batch_dispose(*, source: Source, rule: RetentionRule, run: DisposalRun, now: datetime.datetime, size: int) -> int:
    """Dispose of up to `size` due items of one source, in one transaction: rows another run holds
    are skipped (SELECT ... FOR UPDATE SKIP LOCKED), so two runs at once never dispose of (or log)
    one item twice."""
    with transaction.atomic():
        items = list(source.due(rule, now).select_for_update(skip_locked=True, of=("self",))[:size])
        if not items:
            return 0
        described = [(source.identify(item), source.basis_date(item)) for item in items]
        content_gone = source.dispose(items, rule, now)
        rule_text = rule_words(rule)
        DisposalLog.objects.bulk_create(
            DisposalLog(
                run=run,
                kind=rule.kind,
                identifier=identifier[:100],
                title=(title or "")[:300],
                basis_date=basis_date,
                rule=rule_text,
                content_disposed=content_gone,
                disposed_at=now,
            )
            for (identifier, title), basis_date in described
        )
        DisposalRun.objects.filter(pk=run.pk).update(disposed_count=F("disposed_count") + len(items))
    return len(items)


def disposal_run(
    *,
    trigger: str = DisposalTrigger.JOB,
    user: User | None = None,
    batch_size: int = BATCH_SIZE,
    limit: int = MAX_PER_RUN,
) -> DisposalRun:
    """Dispose of what the retention rules say is due, in batches of `batch_size`, at most `limit`
    items a run, and log each item (DisposalLog) under a new DisposalRun (audited with who ran it).

    Not atomic as a whole: each batch commits with its log rows, so a run that stops midway leaves
    a true log of what it did, and the next run goes on from there.
    """
    now = timezone.now()
    run = DisposalRun.objects.create(
        trigger=trigger, user=user if user is not None and user.pk else None, started_at=now
    )
    done = 0
    for rule in disposing_rules():
        for source in sources_of(rule.kind):
            while done < limit:
                disposed = _batch_dispose(
                    source=source, rule=rule, run=run, now=now, size=min(batch_size, limit - done)
                )
                done += disposed
                if disposed == 0:
                    break
    run.refresh_from_db(fields=["disposed_count"])
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    logger.info("Disposal run %s disposed of %s items", run.pk, run.disposed_count)
    return run
