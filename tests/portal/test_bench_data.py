"""`manage.py bench_data` (issue 20) builds on today's schema: a constraint added later (a county
user's role in the county, say) must not break the benchmark datasets unnoticed."""

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from accounts.models import User
from core.models import Attachment
from dialogues.models import DialogueRound
from followup.models import Expenditure
from portal.management.commands import bench_data

pytestmark = [pytest.mark.demo, pytest.mark.django_db]

TINY = bench_data.Scale(factor=1, years=16, users=9, audit_entries=40, attachments=3, lines_per_allocation=2)


@pytest.fixture
def tiny_scale(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(bench_data.SCALES, 1, TINY)


def test_bench_data_builds_every_app_share_and_a_second_run_adds_nothing(tiny_scale):
    call_command("bench_data", scale=1)

    bench_users = User.objects.filter(email__endswith="@bench.test")
    assert bench_users.count() == TINY.users
    assert set(DialogueRound.objects.values_list("year", flat=True)) >= set(range(2026 - TINY.years, 2026))
    assert LogEntry.objects.filter(cid="bench").count() == TINY.audit_entries
    assert Attachment.objects.count() >= TINY.attachments
    lines = Expenditure.objects.count()
    assert lines > 0

    call_command("bench_data", scale=1)
    assert bench_users.count() == TINY.users
    assert LogEntry.objects.filter(cid="bench").count() == TINY.audit_entries
    assert Expenditure.objects.count() == lines
