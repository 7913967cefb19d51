"""The round's calendar as a month grid: weeks as rows with ISO week numbers, Monday first."""

import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.choices import DialogueKind, DialogueStatus, RoundStatus
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _at(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


class _Table(HTMLParser):
    """The month table's rows: each cell as (tag, attributes, text, link texts)."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.link, self.caption = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td") and self.rows:
            self.cell = [tag, attrs, "", []]
            self.rows[-1].append(self.cell)
        elif tag == "a" and self.cell:
            self.link = ""
        elif tag == "caption":
            self.caption = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.cell = None
        elif tag == "a" and self.cell and self.link is not None:
            self.cell[3].append(" ".join(self.link.split()))
            self.link = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data
        if self.link is not None:
            self.link += data
        if self.caption is not None and not self.rows:
            self.caption += data


def _table(html) -> _Table:
    table = _Table()
    table.feed(html[html.index("<table") : html.index("</table>")])
    return table


def _url(dialogue_round, month=None):
    url = reverse("dialogues:round_month", args=[dialogue_round.pk])
    return f"{url}?month={month}" if month else url


def _html(response):
    return response.content.decode()


@pytest.fixture
def april(region_a, region_b):
    """A round with Kalmar on Monday 14 April 2031, Kronoberg late on the 30th and bilateral talks
    with Kalmar just after midnight on 1 May, and a cancelled dialogue on the 15th."""
    dialogue_round = DialogueRoundFactory(year=2031, title="Dialogerna 2031")
    DialogueFactory(round=dialogue_round, region=region_a, start=_at(2031, 4, 14), end=_at(2031, 4, 14, 12))
    DialogueFactory(round=dialogue_round, region=region_b, start=_at(2031, 4, 30, 23, 30), end=_at(2031, 4, 30, 23, 59))
    DialogueFactory(
        round=dialogue_round,
        region=region_a,
        kind=DialogueKind.BILATERAL,
        start=_at(2031, 5, 1, 0, 30),
        end=_at(2031, 5, 1, 1, 30),
    )
    DialogueFactory(
        round=dialogue_round,
        region=RegionFactory(name="Gotlands län"),
        status=DialogueStatus.CANCELLED,
        start=_at(2031, 4, 15),
        end=_at(2031, 4, 15, 12),
    )
    return dialogue_round


def test_round_month_has_weeks_as_rows_with_iso_numbers_monday_first_and_each_dialogue_on_its_day(
    client, ministry_user, april
):
    client.force_login(ministry_user)
    html = _html(client.get(_url(april, "2031-04")))
    table = _table(html)
    header, *weeks = table.rows
    assert [text.strip() for _tag, _attrs, text, _links in header] == [
        "Vecka",
        "måndag",
        "tisdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lördag",
        "söndag",
    ]
    assert all(attrs.get("scope") == "col" for _tag, attrs, _text, _links in header)
    assert [(week[0][0], week[0][1].get("scope"), week[0][2].strip()) for week in weeks] == [
        ("th", "row", str(n)) for n in (14, 15, 16, 17, 18)
    ]
    assert "april 2031" in table.caption
    # Week 14 starts on Monday 31 March; week 18 ends on Sunday 4 May.
    assert "31 mars" in weeks[0][1][2] and "4 maj" in weeks[-1][7][2]
    monday_14th = weeks[2][1]
    assert "14 april" in monday_14th[2]
    assert monday_14th[3] == ["09:00 Kalmar län"]
    # Late on the 30th and just after midnight on 1 May, Stockholm time: each on its own local day.
    assert weeks[4][3][3] == ["23:30 Kronobergs län"]
    assert weeks[4][4][3] == ["00:30 Kalmar län (bilaterala samtal)"]
    assert "Gotlands län" not in html  # cancelled
    links = {"09:00 Kalmar län": april.dialogues.get(region__name="Kalmar län", kind=DialogueKind.ANNUAL)}
    for text, dialogue in links.items():
        assert f'href="{dialogue.get_absolute_url()}">{text.split()[0]}' in html


def test_round_month_links_to_the_previous_and_next_month_across_the_year(client, agency_user, april):
    client.force_login(agency_user)
    html = _html(client.get(_url(april, "2031-04")))
    assert 'href="?month=2031-03"' in html and "Föregående månad (mars 2031)" in html
    assert 'href="?month=2031-05"' in html and "Nästa månad (maj 2031)" in html
    december = _html(client.get(_url(april, "2031-12")))
    assert 'href="?month=2032-01"' in december and 'href="?month=2031-11"' in december
    january = _html(client.get(_url(april, "2031-01")))
    assert 'href="?month=2030-12"' in january


def test_round_month_marks_today_for_assistive_technology(client, ministry_user, april):
    client.force_login(ministry_user)
    today = timezone.localdate()
    table = _table(_html(client.get(_url(april, today.strftime("%Y-%m")))))
    marked = [cell for row in table.rows for cell in row if cell[1].get("aria-current") == "date"]
    assert len(marked) == 1
    assert marked[0][2].split()[0] == str(today.day)
    assert "Idag" in marked[0][2]
    other_month = _table(_html(client.get(_url(april, "2031-04"))))
    assert not [cell for row in other_month.rows for cell in row if "aria-current" in cell[1]]


def test_round_month_opens_on_the_month_of_the_next_dialogue(client, ministry_user, region_a):
    dialogue_round = DialogueRoundFactory(year=2031)
    soon = timezone.localdate() + datetime.timedelta(days=40)
    start = datetime.datetime.combine(soon, datetime.time(10), tzinfo=STOCKHOLM)
    DialogueFactory(round=dialogue_round, region=region_a, start=start, end=start + datetime.timedelta(hours=2))
    DialogueFactory(round=dialogue_round, region=RegionFactory(), start=_at(2020, 2, 3), end=_at(2020, 2, 3, 12))
    client.force_login(ministry_user)
    for url in (_url(dialogue_round), _url(dialogue_round) + "?month="):  # the month field left empty
        html = _html(client.get(url))
        assert f'value="{soon.strftime("%Y-%m")}"' in html
        assert "10:00 Kalmar län" in " ".join(html.split())
        assert "invalid-feedback" not in html


def test_round_month_opens_on_this_month_when_a_dialogue_was_held_earlier_today(client, ministry_user, region_a):
    dialogue_round = DialogueRoundFactory(year=2031)
    today = timezone.localdate()
    start = datetime.datetime.combine(today, datetime.time(0, 0, 1), tzinfo=STOCKHOLM)
    DialogueFactory(round=dialogue_round, region=region_a, start=start, end=start)
    later = start + datetime.timedelta(days=40)
    DialogueFactory(round=dialogue_round, region=RegionFactory(), start=later, end=later)
    client.force_login(ministry_user)
    html = _html(client.get(_url(dialogue_round)))
    assert f'value="{today.strftime("%Y-%m")}"' in html


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2031-13", "Ange månaden som år och månad, till exempel 2016-04."),
        ("april", "Ange månaden som år och månad, till exempel 2016-04."),
        ("1800-01", "Välj en månad mellan åren 1900 och 2999."),
    ],
)
def test_round_month_that_cannot_be_shown_says_why_and_shows_the_rounds_month(
    client, ministry_user, april, month, message
):
    client.force_login(ministry_user)
    response = client.get(_url(april, month))
    html = _html(response)
    assert response.status_code == 200
    assert message in html
    assert "23:30 Kronobergs län" in " ".join(html.split())  # the round's last month: April 2031


def test_round_month_for_a_county_shows_only_its_own_dialogues(client, other_region_user, april):
    client.force_login(other_region_user)
    html = " ".join(_html(client.get(_url(april, "2031-04"))).split())
    assert "23:30 Kronobergs län" in html
    assert "Kalmar län" not in html


def test_round_month_of_a_round_in_planning_does_not_exist_for_a_county(client, region_user, april):
    april.status = RoundStatus.PLANNING
    april.save()
    client.force_login(region_user)
    assert client.get(_url(april, "2031-04")).status_code == 404


def test_round_calendar_list_and_month_link_to_each_other(client, ministry_user, april):
    client.force_login(ministry_user)
    listing = _html(client.get(reverse("dialogues:round_calendar", args=[april.pk])))
    assert f'href="{_url(april)}"' in listing
    month = _html(client.get(_url(april, "2031-04")))
    assert f'href="{reverse("dialogues:round_calendar", args=[april.pk])}"' in month
    assert 'aria-current="page"' in month


@pytest.mark.parametrize("n", (1, 3))
def test_round_month_queries_do_not_grow_with_dialogues(client, ministry_user, django_assert_num_queries, n):
    dialogue_round = DialogueRoundFactory(year=2031)
    for day in range(1, n + 1):
        DialogueFactory(round=dialogue_round, region=RegionFactory(), start=_at(2031, 4, day), end=_at(2031, 4, day))
    client.force_login(ministry_user)
    with django_assert_num_queries(3):  # user, round, the dialogues of the weeks shown
        html = _html(client.get(_url(dialogue_round, "2031-04")))
    assert html.count("09:00 Testlän") == n
    with django_assert_num_queries(4):  # and which month to open on
        html = _html(client.get(_url(dialogue_round)))
    assert html.count("09:00 Testlän") == n
