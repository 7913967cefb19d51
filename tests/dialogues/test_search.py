"""Search also finds briefs (never for counties), forum agenda items and minutes, and attached files
(only those whose parent the user may see), grouped under headings, in a fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.attachments import attachment_add
from dialogues import services
from dialogues.selectors import SEARCH_HITS
from forum.models import AgendaItem
from tests.factories.dialogues import BriefFactory, DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.forum import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kalmar(region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    SubmissionFactory(dialogue=dialogue, resource_use="Medlen går till kompetensförsörjning.")
    return dialogue


def _search(client, query: str) -> str:
    return client.get(reverse("dialogues:search"), {"q": query}).content.decode()


def _attach(parent, name, user):
    return attachment_add(parent=parent, upload=SimpleUploadedFile(name, PDF), user=user)


def test_search_finds_forum_agenda_items_and_minutes_for_everyone(client, user_by_role):
    meeting = MeetingFactory(title="Tjänstemannaforum maj")
    AgendaItemFactory(meeting=meeting, title="Kompetensförsörjningen i länen", presenter="Tillväxtverket")
    AgendaItemFactory(meeting=meeting, title="Övrigt", minutes="Forumet beslutade om nya prioriteringar.")
    for user in user_by_role.values():
        client.force_login(user)
        html = _search(client, "kompetensförsörjning")
        assert "Dagordningspunkter i forumen" in html
        assert "Kompetensförsörjningen i länen" in html
        html = _search(client, "prioritering")
        assert "Protokoll från forumen" in html
        assert "Forumet beslutade om nya prioriteringar." in html


def test_search_finds_briefs_for_national_staff_only(client, user_by_role, kalmar):
    BriefFactory(dialogue=kalmar, text="Länet behöver stärka sin analysförmåga.")
    for role in ("ministry", "agency"):
        client.force_login(user_by_role[role])
        html = _search(client, "analysförmåga")
        assert '<h2 id="briefs-heading"' in html
        assert "Kalmar län, Regionala utvecklingsdialoger 2016" in html
    client.force_login(user_by_role["region"])
    html = _search(client, "analysförmåga")
    assert "briefs-heading" not in html
    assert "Kalmar län, Regionala utvecklingsdialoger 2016" not in html


def test_search_finds_attached_files_by_name_only_where_their_parent_is_visible(
    client, user_by_role, other_region_user, kalmar
):
    county = user_by_role["region"]
    _attach(kalmar.submission, "Handlingsplan_Kalmar-2016.pdf", county)
    brief = BriefFactory(dialogue=kalmar)
    _attach(brief, "Analys av Kalmars handlingsplan.pdf", user_by_role["agency"])

    client.force_login(county)
    html = _search(client, "handlingsplan")
    assert "Handlingsplan_Kalmar-2016.pdf" in html  # its own draft's file
    assert "Analys av Kalmars" not in html  # a brief's file: never for a county
    assert "Handlingsplan_Kalmar-2016.pdf" in _search(client, "handlingsp")  # a part of the name

    client.force_login(other_region_user)
    assert "Handlingsplan" not in _search(client, "handlingsplan")

    client.force_login(user_by_role["ministry"])
    html = _search(client, "handlingsplan")
    assert "Analys av Kalmars handlingsplan.pdf" in html
    assert "Handlingsplan_Kalmar-2016.pdf" not in html  # a draft's file, not sent in
    services.submission_submit(submission=kalmar.submission, user=county)
    assert "Handlingsplan_Kalmar-2016.pdf" in _search(client, "handlingsplan")


@pytest.mark.parametrize("n", (1, SEARCH_HITS + 1))
def test_search_query_count_does_not_grow_with_hits(
    client, ministry_user, region_user, kalmar, n, django_assert_num_queries, settings
):
    brief = BriefFactory(dialogue=kalmar, text="Analys av länet.")
    meeting = MeetingFactory(title="Forummöte")
    for i in range(n):
        _attach(brief, f"Analys {i}.pdf", ministry_user)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i + 1, title=f"Analys av läget {i}", minutes="Analys av läget.")
        for i in range(n)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the note's Swedish comes with the lead's catalogue
    client.force_login(ministry_user)
    _search(client, "analys")  # content types and the session warmed
    # the user, then one query per group: submissions, observations, actions, briefs, agenda items,
    # minutes, files
    with django_assert_num_queries(8):
        html = _search(client, "analys")
    shown = min(n, SEARCH_HITS)
    assert html.count(">Analys ") == shown
    assert html.count("Analys av läget ") == 2 * shown  # as agenda item and in the minutes
    # the three groups with more hits than the page lists (agenda items, minutes, files) say so
    more = f"Only the first {SEARCH_HITS} hits are shown: narrow the search to find the rest."
    assert html.count(more) == (3 if n > SEARCH_HITS else 0)
