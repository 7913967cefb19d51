"""Retention and disposal (gallring, arkivlagen 10 §): what the rules keep and dispose of, the dry
run, the log, the holds, two runs at once, and who may see and start it."""

import datetime
import functools
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from config.celery import app as celery_app
from core.models import DigestItem, FormToken, MailStatus, OutgoingMail
from dialogues.choices import RoundStatus
from dialogues.models import SubmissionPriority, SubmissionVersion
from records.choices import Direction, DisposalTrigger, DocumentType, PeriodUnit, RetentionAction, WorkingMaterial
from records.models import DisposalLog, DisposalRun, Record, RetentionRule
from records.retention import disposal_run
from records.selectors import disposal_due
from records.services import access_request_add, access_request_create, record_register
from records.tasks import records_dispose_task
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory
from tests.factories.regions import StrategyPriorityFactory
from tests.racing import race

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LONG_AGO = datetime.date(2015, 3, 2)


def _rule(kind, *, period=None, unit=PeriodUnit.YEARS, delete_content=False):
    action = RetentionAction.DISPOSE if period else RetentionAction.KEEP
    rule, _ = RetentionRule.objects.update_or_create(
        kind=kind, defaults={"action": action, "period": period, "unit": unit, "delete_content": delete_content}
    )
    return rule


def _decision(region, decided_on) -> Record:
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=decided_on.year), region=region)
    return record_register(
        document=allocation,
        document_type=DocumentType.CONDITIONS_DECISION,
        direction=Direction.DRAWN_UP,
        cases=(allocation.appropriation,),
        region=region,
        year=decided_on.year,
        document_date=decided_on,
    )


def _sent_mail(sent_on: datetime.date, subject="Påminnelse") -> OutgoingMail:
    sent_at = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(12)))
    return OutgoingMail.objects.create(
        recipient="karin@example.test", subject=subject, body="Hej", status=MailStatus.SENT, sent_at=sent_at
    )


def _aged(model, pk, when: datetime.date, field="created_at"):
    moment = timezone.make_aware(datetime.datetime.combine(when, datetime.time(12)))
    model.objects.filter(pk=pk).update(**{field: moment})


def _version_record(region, round_status) -> tuple[Record, SubmissionVersion]:
    round_ = DialogueRoundFactory(year=2015, status=round_status)
    dialogue = DialogueFactory(round=round_, region=region)
    version = SubmissionVersion.objects.create(
        submission=SubmissionFactory(dialogue=dialogue), number=1, data={"resource_use": "Hemligt innehåll"}
    )
    record = record_register(
        document=version,
        document_type=DocumentType.SUBMISSION,
        direction=Direction.RECEIVED,
        cases=(round_, dialogue),
        region=region,
        year=2015,
        document_date=LONG_AGO,
    )
    return record, version


# --- Rules: keep versus dispose ---


def test_dispose_registered_type_without_rule_or_with_keep_is_never_touched(region_a, registrar):
    RetentionRule.objects.filter(kind=DocumentType.CONDITIONS_DECISION).delete()
    _rule(DocumentType.ACCESS_REQUEST)  # KEEP
    decision = _decision(region_a, LONG_AGO)
    request = access_request_create(received_on=LONG_AGO, asked_for="Allt", user=registrar)

    run = disposal_run()

    assert run.disposed_count == 0
    assert Record.objects.filter(disposed_at__isnull=False).count() == 0
    decision.refresh_from_db()
    assert decision.document is not None and not decision.is_disposed
    assert request.pk and not DisposalLog.objects.exists()


def test_dispose_rule_marks_the_old_record_disposed_keeps_its_row_and_number_and_logs_it(region_a):
    _rule(DocumentType.CONDITIONS_DECISION, period=5)
    old, recent = _decision(region_a, LONG_AGO), _decision(region_a, TODAY)
    records_before = Record.objects.count()

    run = disposal_run()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert Record.objects.count() == records_before  # the number series keeps no gaps
    assert old.is_disposed and old.number and "5" in old.disposal_rule
    assert not old.content_disposed and old.document is not None  # the rule keeps the content
    assert not recent.is_disposed
    entry = DisposalLog.objects.get()
    assert (entry.kind, entry.identifier, entry.title, entry.basis_date) == (
        DocumentType.CONDITIONS_DECISION,
        old.number,
        old.title,
        LONG_AGO,
    )
    assert entry.rule == old.disposal_rule and entry.run == run and run.trigger == DisposalTrigger.JOB


def test_dispose_deletes_the_content_only_when_the_rule_says_so(region_a):
    _rule(DocumentType.SUBMISSION, period=5, delete_content=True)
    record, version = _version_record(region_a, RoundStatus.CLOSED)

    disposal_run()

    record.refresh_from_db()
    assert record.is_disposed and record.content_disposed
    assert not SubmissionVersion.objects.filter(pk=version.pk).exists()
    assert DisposalLog.objects.get().content_disposed


def test_dispose_holds_the_records_of_a_round_still_running(region_a):
    _rule(DocumentType.SUBMISSION, period=5, delete_content=True)
    record, version = _version_record(region_a, RoundStatus.OPEN)

    disposal_run()

    record.refresh_from_db()
    assert not record.is_disposed and SubmissionVersion.objects.filter(pk=version.pk).exists()


def test_dispose_holds_a_record_in_an_open_access_request(region_a, registrar):
    _rule(DocumentType.CONDITIONS_DECISION, period=5)
    held, free = _decision(region_a, LONG_AGO), _decision(region_a, LONG_AGO.replace(year=2014))
    request = access_request_create(received_on=TODAY, asked_for="Beslutet", user=registrar)
    access_request_add(request=request, number=held.number)

    disposal_run()

    held.refresh_from_db()
    free.refresh_from_db()
    assert not held.is_disposed and free.is_disposed


def test_disposal_log_refuses_changes_and_deletion(region_a):
    _rule(DocumentType.CONDITIONS_DECISION, period=5)
    _decision(region_a, LONG_AGO)
    disposal_run()
    entry = DisposalLog.objects.get()

    for change in (lambda: DisposalLog.objects.filter(pk=entry.pk).update(title="x"), entry.delete):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert DisposalLog.objects.get().title == entry.title


# --- Working material, the dry run and the run ---


@pytest.fixture
def working_material(region_a, ministry_user):
    """One old and one recent item of each kind of working material, and an old draft."""
    for kind, months in (
        (WorkingMaterial.OUTBOX, 12),
        (WorkingMaterial.LOGIN_RECORDS, 6),
        (WorkingMaterial.DIGEST_ITEMS, 3),
        (WorkingMaterial.FORM_TOKENS, 1),
        (WorkingMaterial.DRAFTS, 12),
    ):
        _rule(kind, period=months, unit=PeriodUnit.MONTHS)
    old = TODAY - datetime.timedelta(days=800)
    items = {"old_mail": _sent_mail(old, "Gammal påminnelse"), "new_mail": _sent_mail(TODAY)}
    for name, when in (("old", old), ("new", TODAY)):
        attempt = AccessAttempt.objects.create(
            username="karin", ip_address="10.0.0.1", user_agent=name, failures_since_start=1
        )
        _aged(AccessAttempt, attempt.pk, when, field="attempt_time")
        digest = DigestItem.objects.create(user=ministry_user, subject="Avisering", body="b")
        _aged(DigestItem, digest.pk, when)
        token = FormToken.objects.create(token=f"token-{name}", user=ministry_user)
        _aged(FormToken, token.pk, when)
    closed = DialogueRoundFactory(year=2016, status=RoundStatus.CLOSED)
    draft = SubmissionFactory(dialogue=DialogueFactory(round=closed, region=region_a), resource_use="Utkast")
    SubmissionPriority.objects.create(submission=draft, rank=1, strategy_priority=StrategyPriorityFactory())
    _aged(type(draft), draft.pk, old, field="updated_at")
    items["draft"] = draft
    return items


def _counts():
    return (
        OutgoingMail.objects.count(),
        AccessAttempt.objects.count(),
        DigestItem.objects.count(),
        FormToken.objects.count(),
        SubmissionPriority.objects.count(),
        Record.objects.filter(disposed_at__isnull=False).count(),
    )


def test_dry_run_changes_nothing_and_the_run_disposes_exactly_what_it_listed(working_material):
    before = _counts()
    listed = disposal_due(oldest=100)
    out = StringIO()
    call_command("records_dispose", "--dry-run", stdout=out)

    assert _counts() == before and not DisposalRun.objects.exists()
    listed_ids = {(kind.rule.kind, item.identifier) for kind in listed for item in kind.oldest}
    assert {kind.rule.kind: kind.count for kind in listed} == {
        WorkingMaterial.OUTBOX: 1,
        WorkingMaterial.LOGIN_RECORDS: 1,
        WorkingMaterial.DIGEST_ITEMS: 1,
        WorkingMaterial.FORM_TOKENS: 1,
        WorkingMaterial.DRAFTS: 1,
    }
    assert f"mail#{working_material['old_mail'].pk}  Gammal påminnelse" in out.getvalue()
    assert "Dry run: nothing was disposed of." in out.getvalue()

    run = disposal_run()

    assert {(entry.kind, entry.identifier) for entry in run.entries.all()} == listed_ids
    assert run.disposed_count == 5
    assert list(OutgoingMail.objects.all()) == [working_material["new_mail"]]
    assert AccessAttempt.objects.count() == DigestItem.objects.count() == FormToken.objects.count() == 1
    draft = working_material["draft"]
    draft.refresh_from_db()
    assert draft.resource_use == "" and not draft.priorities.exists()
    assert "karin@example.test" not in str(list(DisposalLog.objects.values()))  # no recipient kept
    assert disposal_run().disposed_count == 0  # nothing is disposed of twice


def test_records_dispose_command_runs_and_logs_as_the_command(working_material):
    out = StringIO()
    call_command("records_dispose", stdout=out)
    run = DisposalRun.objects.get()
    assert run.trigger == DisposalTrigger.COMMAND and run.disposed_count == 5
    assert f"Disposal run {run.pk}: 5 items disposed of." in out.getvalue()


def test_dispose_works_in_bounded_batches_and_a_run_stops_at_its_limit():
    _rule(WorkingMaterial.OUTBOX, period=12, unit=PeriodUnit.MONTHS)
    for _ in range(7):
        _sent_mail(LONG_AGO)
    assert disposal_run(batch_size=2, limit=5).disposed_count == 5
    assert disposal_run(batch_size=2, limit=5).disposed_count == 2
    assert DisposalLog.objects.count() == 7


def test_dispose_is_scheduled_nightly_by_beat():
    celery_app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["records-dispose"]
    assert entry["task"] == records_dispose_task.name and entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {3}


def test_dispose_task_runs_as_the_job():
    _rule(WorkingMaterial.OUTBOX, period=12, unit=PeriodUnit.MONTHS)
    _sent_mail(LONG_AGO)
    assert records_dispose_task.apply().get() == 1
    assert DisposalRun.objects.get().trigger == DisposalTrigger.JOB


@pytest.mark.django_db(transaction=True)
def test_two_disposal_runs_at_once_dispose_and_log_each_item_once():
    """Two workers (or two beats) run at the same moment, on two real connections: every item is
    disposed of once and logged once, whichever run took it."""
    _rule(WorkingMaterial.OUTBOX, period=12, unit=PeriodUnit.MONTHS)
    mails = [_sent_mail(LONG_AGO) for _ in range(30)]
    run = functools.partial(disposal_run, batch_size=4)

    runs = race(run, run, lock_sql="LOCK TABLE accounts_outgoingmail IN EXCLUSIVE MODE")
    connections.close_all()

    assert sum(r.disposed_count for r in runs) == 30
    identifiers = list(DisposalLog.objects.values_list("identifier", flat=True))
    assert sorted(identifiers) == sorted(f"mail#{mail.pk}" for mail in mails)
    assert not OutgoingMail.objects.exists()


# --- The page ---


def test_disposal_page_lists_what_is_due_for_the_registrar_without_the_run_button(client, registrar, working_material):
    client.force_login(registrar)
    response = client.get(reverse("records:disposal"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skickade e-postmeddelanden (utkorgen): 1 post" in " ".join(page.split())
    assert f"mail#{working_material['old_mail'].pk}" in page
    assert reverse("records:disposal_run") not in page
    assert client.post(reverse("records:disposal_run")).status_code == 403
    assert OutgoingMail.objects.count() == 2


def test_disposal_page_run_by_an_administrator_disposes_and_is_audited(english, admin_user, working_material):
    from auditlog.models import LogEntry

    client = english
    client.force_login(admin_user)
    assert reverse("records:disposal_run") in client.get(reverse("records:disposal")).content.decode()

    response = client.post(reverse("records:disposal_run"), follow=True)

    run = DisposalRun.objects.get()
    # (the old form token may already be gone: sending the form sweeps old tokens itself)
    assert run.trigger == DisposalTrigger.USER and run.user == admin_user
    assert run.disposed_count == run.entries.count() >= 4
    assert not OutgoingMail.objects.filter(pk=working_material["old_mail"].pk).exists()
    assert f"{run.disposed_count} items disposed of" in response.content.decode()
    assert LogEntry.objects.get_for_object(run).filter(actor=admin_user).exists()


@pytest.mark.parametrize("role", (Role.REGION, Role.AGENCY, Role.MINISTRY))
def test_disposal_page_refuses_everyone_but_registrars_and_administrators(client, region_a, role):
    client.force_login(UserFactory(role=role, region=region_a if role == Role.REGION else None))
    assert client.get(reverse("records:disposal")).status_code == 403
    _rule(WorkingMaterial.OUTBOX, period=12, unit=PeriodUnit.MONTHS)
    _sent_mail(LONG_AGO)
    assert client.post(reverse("records:disposal_run")).status_code == 403
    assert OutgoingMail.objects.count() == 1 and not DisposalRun.objects.exists()


@pytest.mark.parametrize("n", (1, 3))
def test_disposal_page_queries_do_not_grow_with_the_items(client, registrar, region_a, n, django_assert_num_queries):
    _rule(DocumentType.CONDITIONS_DECISION, period=5)
    _rule(WorkingMaterial.OUTBOX, period=12, unit=PeriodUnit.MONTHS)
    for i in range(n):
        _decision(region_a, LONG_AGO.replace(year=2010 + i))
        _sent_mail(LONG_AGO)
    client.force_login(registrar)
    with django_assert_num_queries(22):
        response = client.get(reverse("records:disposal"))
    assert response.content.decode().count("N20") >= n


def test_disposed_record_page_says_when_and_under_which_rule(english, registrar, region_a):
    _rule(DocumentType.CONDITIONS_DECISION, period=5)
    record = _decision(region_a, LONG_AGO)
    disposal_run()
    english.force_login(registrar)
    page = " ".join(english.get(record.get_absolute_url()).content.decode().split())
    assert "Disposed of (gallrad) on" in page and "The document's content was kept." in page
    assert record.number in page


def test_draft_of_a_round_still_open_is_never_emptied(region_a):
    _rule(WorkingMaterial.DRAFTS, period=12, unit=PeriodUnit.MONTHS)
    running = SubmissionFactory(
        dialogue=DialogueFactory(round=DialogueRoundFactory(year=2017, status=RoundStatus.OPEN), region=region_a),
        resource_use="Pågående utkast",
    )
    _aged(type(running), running.pk, LONG_AGO, field="updated_at")

    assert disposal_run().disposed_count == 0
    running.refresh_from_db()
    assert running.resource_use == "Pågående utkast"
