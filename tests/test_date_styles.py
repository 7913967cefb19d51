"""One date style per kind of value: Swedish month names and abbreviations in the Swedish UI
("2 feb", "4 mars", never "Feb" or an ISO date beside "17 november 2020"), one English style."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory

ROOT = Path(settings.BASE_DIR)
# A date filter that spells out ISO dates or title-cased month abbreviations ("M": "Feb").
UNSTYLED = re.compile(r"""\|(?:date|time):["'][^"']*(?:Y-m-d|(?<![\\])\bM\b)[^"']*["']""")


def test_no_template_writes_iso_dates_or_title_cased_month_abbreviations():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts
        for match in UNSTYLED.finditer(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", ["2 feb 2026", "4 mars 2026", "2 februari 2026", "2 feb 2026 09:05"]),
        ("en", ["2 Feb 2026", "4 Mar 2026", "2 February 2026", "2 Feb 2026 09:05"]),
    ],
)
def test_each_language_has_one_style_for_dates_short_dates_and_times(language, expected):
    moment = datetime.datetime(2026, 2, 2, 9, 5)
    with translation.override(language):
        written = [
            date_format(moment.date(), "SHORT_DATE_FORMAT"),
            date_format(datetime.date(2026, 3, 4), "SHORT_DATE_FORMAT"),
            date_format(moment.date(), "DATE_FORMAT"),
            date_format(moment, "SHORT_DATETIME_FORMAT"),
        ]
    assert written == expected


@pytest.mark.django_db
def test_the_rounds_calendar_names_days_and_months_in_swedish(client, ministry_user, region_a):
    dialogue_round = DialogueRoundFactory(year=2026)
    start = timezone.make_aware(datetime.datetime(2026, 2, 2, 9, 0))
    DialogueFactory(round=dialogue_round, region=region_a, start=start, end=start + datetime.timedelta(hours=2))
    client.force_login(ministry_user)
    html = client.get(reverse("dialogues:round_calendar", args=[dialogue_round.pk])).content.decode()
    assert "mån 2 feb 09:00" in html
    assert "Feb" not in html
