"""The report as a document a ministry sends (issue 14): covering letter, cover particulars, the
draft marking until publication, ranked priorities, resolved review comments, a matrix that fits
the page, dialogues not held, the review e-mails and an accessible (tagged) PDF."""

import hashlib
import io
import subprocess

import pdfplumber
import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone, translation

from core.models import OutgoingMail
from dialogues.choices import DialogueStatus, ObservationCategory
from dialogues.models import SubmissionPriority, SubmissionResult
from reports import services as report_services
from reports.choices import CommentResolution, ReportStatus, ReviewState
from reports.models import CoveringLetter, LetterTemplate
from reports.rendering import report_html, report_pdf
from reports.selectors import open_review_comments
from tests.factories.dialogues import (
    DialogueFactory,
    DialogueRoundFactory,
    FeedbackReportFactory,
    ObservationFactory,
)
from tests.factories.regions import (
    RegionalStrategyFactory,
    RegionFactory,
    ResponsibilityPeriodFactory,
    StrategyPriorityFactory,
)
from tests.factories.reports import CoveringLetterFactory, LetterTemplateFactory, ReportCommentFactory

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> list[str]:
    """The PDF's text as pdftotext reads it, one string per page."""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return [page for page in done.stdout.decode().split("\f") if page.strip()]


def _report(round_, region, review_state=ReviewState.IN_REVIEW, is_current=True, **fields):
    return FeedbackReportFactory(
        round=round_,
        region=region,
        status=ReportStatus.DONE,
        is_current=is_current,
        review_state=review_state,
        file=ContentFile(b"%PDF-1.7 utkast", name="utkast.pdf"),
        **fields,
    )


@pytest.fixture
def kalmar_document(closed_round, region_a):
    """Kalmar's report of 2015 with the round's sender and contact, and the body that held the
    development responsibility in 2015."""
    ResponsibilityPeriodFactory(
        region=region_a, body_name="Regionförbundet i Kalmar län", valid_from=2008, valid_to=2018
    )
    LetterTemplateFactory(round=closed_round)
    CoveringLetterFactory(
        round=closed_round, region=region_a, registration_number="N2015/01234/RTS", introduction="Brevets inledning."
    )
    return _report(closed_round, region_a)


def test_draft_pdf_is_marked_on_every_page_and_its_cover_carries_the_particulars(kalmar_document):
    pages = _pages(report_pdf(kalmar_document))

    assert len(pages) > 3
    assert all("UTKAST" in page for page in pages), [page[:200] for page in pages]
    cover = pages[0]
    for particular in (
        "Näringsdepartementet",
        "Enheten för regional tillväxt",
        "Regionförbundet i Kalmar län",  # the addressee: who held the responsibility in 2015
        "Inte publicerad (utkast)",
        "N2015/01234/RTS",
        "Karin Handläggare",
        "karin.handlaggare@regeringskansliet.test",
        "08-405 10 00",
    ):
        assert particular in cover, particular


def test_english_draft_is_marked_draft(kalmar_document):
    kalmar_document.language = "en"

    pages = _pages(report_pdf(kalmar_document))

    assert all("DRAFT" in page and "UTKAST" not in page for page in pages)
    assert "Not published (draft)" in pages[0]


def test_publishing_stores_a_final_dated_pdf_without_the_draft_marking_and_its_checksum(
    kalmar_document, django_capture_on_commit_callbacks
):
    report_services.report_approve(report=kalmar_document)
    draft_name = kalmar_document.file.name
    storage = kalmar_document.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_publish(report=kalmar_document)

    kalmar_document.refresh_from_db()
    pdf = kalmar_document.file.read()
    assert hashlib.sha256(pdf).hexdigest() == kalmar_document.checksum
    pages = _pages(pdf)
    assert not any("UTKAST" in page for page in pages)
    day = timezone.localdate(kalmar_document.published_at)
    assert f"{day.day} december {day.year}" in pages[0] and "N2015/01234/RTS" in pages[0]
    assert kalmar_document.file.name.endswith("-publicerad.pdf")
    assert not storage.exists(draft_name)  # the draft's file went with the commit


def test_county_letter_is_written_from_the_round_template_with_the_county_filled_in(closed_round, region_a):
    LetterTemplateFactory(round=closed_round, introduction="Hej {county}!\n\nTill {organisation}, {year}. {okänd}")

    html = report_html(FeedbackReportFactory(round=closed_round, region=region_a))

    assert "<p>Hej Kalmar län!</p>" in html
    assert "<p>Till Kalmar län, 2015. {okänd}</p>" in html  # no body for 2015: the county's name


def test_letter_text_is_escaped_and_split_into_paragraphs(closed_round, region_a):
    CoveringLetterFactory(
        round=closed_round, region=region_a, introduction="<script>alert(1)</script>\n\nAndra stycket"
    )

    html = report_html(FeedbackReportFactory(round=closed_round, region=region_a))

    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>Andra stycket</p>" in html


def test_requesting_the_reports_writes_each_countys_letter_from_the_template(
    closed_round, region_a, region_b, django_capture_on_commit_callbacks
):
    LetterTemplateFactory(round=closed_round, introduction="Till {county}.")
    with django_capture_on_commit_callbacks(execute=False):
        report_services.reports_request(dialogue_round=closed_round)

    letters = {letter.region_id: letter.introduction for letter in CoveringLetter.objects.all()}
    assert letters == {region_a.pk: "Till Kalmar län.", region_b.pk: "Till Kronobergs län.", None: "Till länen."}


def test_ministry_edits_a_countys_letter_and_a_stale_edit_keeps_the_text_and_saves_nothing(
    client, ministry_user, closed_round, region_a
):
    LetterTemplateFactory(round=closed_round, introduction="Till {county}.")
    client.force_login(ministry_user)
    url = reverse("reports:letter_edit", args=[closed_round.pk, region_a.slug])
    assert client.get(url).context["form"].initial == {
        "registration_number": "",
        "introduction": "Till Kalmar län.",
        "closing": "Med vänliga hälsningar",
        "version": 0,
    }

    data = {"registration_number": "N2015/7", "introduction": "Första", "closing": "Slut", "version": 0}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, data | {"introduction": "Andra, från en gammal flik"})

    assert "Någon annan sparade detta" in stale.content.decode()
    assert "Andra, från en gammal flik" in stale.content.decode()
    letter = CoveringLetter.objects.get()
    assert (letter.introduction, letter.registration_number, letter.version) == ("Första", "N2015/7", 1)


def test_ministry_saves_the_round_template_sender_and_contact(client, ministry_user, closed_round):
    client.force_login(ministry_user)
    url = reverse("reports:letter_template", args=[closed_round.pk])
    form = client.get(url).context["form"]
    assert "{county}" in form.initial["introduction"] and form.initial["version"] == 0

    data = form.initial | {"sender_unit": "Enheten för regional tillväxt", "contact_email": "inte en adress"}
    refused = client.post(url, data)
    with translation.override("sv"):
        invalid = str(validate_email.message)
    assert invalid in refused.content.decode()
    assert not LetterTemplate.objects.exists()

    client.post(url, data | {"contact_email": "karin@regeringskansliet.test"})
    closed_round.refresh_from_db()
    assert closed_round.letter_template.contact_email == "karin@regeringskansliet.test"


@pytest.mark.parametrize("role", ["agency", "region"])
def test_only_the_ministry_writes_the_letters(client, user_by_role, closed_round, region_a, role):
    client.force_login(user_by_role[role])
    for url in (
        reverse("reports:letter_template", args=[closed_round.pk]),
        reverse("reports:letter_edit", args=[closed_round.pk, region_a.slug]),
        reverse("reports:summary_letter_edit", args=[closed_round.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"introduction": "x", "version": 0}).status_code == 403
    assert not CoveringLetter.objects.exists()


def test_a_countys_letter_reaches_only_its_own_published_report(
    client, region_user, other_region_user, closed_round, region_a, region_b
):
    CoveringLetterFactory(round=closed_round, region=region_a, introduction="KALMARS-EGET-BREV")
    kalmar = _report(closed_round, region_a, review_state=ReviewState.PUBLISHED)
    kronoberg = _report(closed_round, region_b, review_state=ReviewState.PUBLISHED)
    summary = _report(closed_round, None, review_state=ReviewState.PUBLISHED)

    client.force_login(other_region_user)
    for report in (kronoberg, summary):
        assert "KALMARS-EGET-BREV" not in client.get(report.get_absolute_url()).content.decode()
        assert not any("KALMARS-EGET-BREV" in page for page in _pages(report_pdf(report)))
    client.force_login(region_user)
    assert "KALMARS-EGET-BREV" in client.get(kalmar.get_absolute_url()).content.decode()


def test_priorities_are_numbered_by_the_countys_rank_and_name_their_rus_priority(closed_round, region_a):
    strategy = RegionalStrategyFactory(region=region_a)
    submission = closed_round.dialogues.get(region=region_a).submission
    for rank, (number, title) in enumerate(((4, "Kompetens"), (2, "Tillgänglighet"), (7, "Innovation")), start=1):
        priority = StrategyPriorityFactory(strategy=strategy, number=number, title=title)
        SubmissionPriority.objects.create(submission=submission, rank=rank, strategy_priority=priority)
    SubmissionResult.objects.create(submission=submission, indicator="Andel i arbete", outcome="90 %")
    submission.submitted_at = timezone.now()
    submission.save()
    report = FeedbackReportFactory(round=closed_round, region=region_a)

    html = report_html(report)
    text = "\n".join(_pages(report_pdf(report)))

    assert html.index("Kompetens") < html.index("Tillgänglighet") < html.index("Innovation")
    assert "RUS-prioritering 4" in html and "RUS-prioritering 2" in html
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.startswith("1. Kompetens") for line in lines), lines
    assert any(line.startswith("3. Innovation") for line in lines)
    assert '<td class="text-nowrap">90\u00a0%</td>' in html  # a figure never wraps inside its cell


def test_publishing_is_refused_while_a_comment_is_open_and_allowed_once_each_is_resolved(
    closed_round, region_a, ministry_user, django_capture_on_commit_callbacks
):
    report = _report(closed_round, region_a, review_state=ReviewState.APPROVED)
    worked_in, answered = ReportCommentFactory(report=report), ReportCommentFactory(report=report)

    with pytest.raises(ValidationError, match="2 granskningskommentarer är fortfarande öppna"):
        report_services.report_publish(report=report)
    with pytest.raises(ValidationError, match="Skriv svaret"):
        report_services.report_comment_resolve(comment=answered, user=ministry_user, resolution="answered")
    report_services.report_comment_resolve(comment=worked_in, user=ministry_user, resolution="worked_in")
    report_services.report_comment_resolve(
        comment=answered, user=ministry_user, resolution="answered", answer="Vi står fast vid skrivningen."
    )
    with pytest.raises(ValidationError, match="redan hanterad"):
        report_services.report_comment_resolve(comment=worked_in, user=ministry_user, resolution="answered", answer="x")

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_publish(report=report)
    report.refresh_from_db()
    assert report.review_state == ReviewState.PUBLISHED
    answered.refresh_from_db()
    assert (answered.resolution, answered.answer, answered.resolved_by) == (
        CommentResolution.ANSWERED,
        "Vi står fast vid skrivningen.",
        ministry_user,
    )


def test_ministry_resolves_a_comment_from_the_report_page_and_the_county_never_sees_it(
    client, ministry_user, region_user, closed_round, region_a
):
    report = _report(closed_round, region_a, review_state=ReviewState.PUBLISHED)
    comment = ReportCommentFactory(report=report, text="Förtydliga slutsatserna.")
    client.force_login(ministry_user)

    page = client.post(
        reverse("reports:comment_resolve", args=[comment.pk]), {"resolution": "answered", "answer": ""}, follow=True
    ).content.decode()
    assert "Skriv svaret på kommentaren." in page
    page = client.post(
        reverse("reports:comment_resolve", args=[comment.pk]),
        {"resolution": "answered", "answer": "Slutsatserna står kvar."},
        follow=True,
    ).content.decode()
    assert "Kommentaren är besvarad." in page and "Slutsatserna står kvar." in page

    client.force_login(region_user)
    assert "Slutsatserna står kvar." not in client.get(report.get_absolute_url()).content.decode()
    assert client.post(reverse("reports:comment_resolve", args=[comment.pk])).status_code == 404


def test_open_review_comments_lists_the_open_ones_with_report_and_county_in_one_query(
    closed_round, region_a, django_assert_num_queries
):
    report = _report(closed_round, region_a)
    first, _resolved, second = (
        ReportCommentFactory(report=report),
        ReportCommentFactory(report=report, resolution=CommentResolution.WORKED_IN),
        ReportCommentFactory(report=report),
    )

    with django_assert_num_queries(1):
        rows = [(c.pk, c.report.region.name, c.report.round.year) for c in open_review_comments()]

    assert rows == [(first.pk, "Kalmar län", 2015), (second.pk, "Kalmar län", 2015)]


def test_report_of_a_dialogue_not_held_says_so_and_the_summary_counts_the_held_ones(closed_round, region_a, region_b):
    closed_round.dialogues.filter(region=region_b).update(status=DialogueStatus.CANCELLED)
    closed_round.dialogues.filter(region=region_a).update(status=DialogueStatus.HELD)

    kronoberg = report_html(FeedbackReportFactory(round=closed_round, region=region_b))
    kalmar = report_html(FeedbackReportFactory(round=closed_round, region=region_a))
    summary = report_html(FeedbackReportFactory(round=closed_round, region=None))

    assert "Dialogen hölls inte" in kronoberg and "Kronobergs län hölls inte 2015 (status: Inställd)" in kronoberg
    assert "Kronobergs lärande" not in kronoberg or "Dialogen hölls inte" in kronoberg
    assert "Dialogen hölls inte" not in kalmar
    assert "1 av de 2 årliga dialogerna hölls." in summary


COUNTIES = (
    "Stockholms län",
    "Uppsala län",
    "Södermanlands län",
    "Östergötlands län",
    "Jönköpings län",
    "Kronobergs län",
    "Kalmar län",
    "Gotlands län",
    "Blekinge län",
    "Skåne län",
    "Hallands län",
    "Västra Götalands län",
    "Värmlands län",
    "Örebro län",
    "Västmanlands län",
    "Dalarnas län",
    "Gävleborgs län",
    "Västernorrlands län",
    "Jämtlands län",
    "Västerbottens län",
    "Norrbottens län",
)


def test_summary_matrix_of_21_counties_fits_within_the_page_margins(django_capture_on_commit_callbacks):
    dialogue_round = DialogueRoundFactory(year=2016)
    for i, name in enumerate(COUNTIES):
        region = RegionFactory(code=f"{70 + i}", name=name, slug=f"lan-{i}")
        dialogue = DialogueFactory(round=dialogue_round, region=region, status=DialogueStatus.HELD)
        for category, _label in ObservationCategory.choices:
            ObservationFactory(dialogue=dialogue, category=category)
    report = FeedbackReportFactory(round=dialogue_round, region=None)

    with pdfplumber.open(io.BytesIO(report_pdf(report))) as pdf:
        wide = [p for p in pdf.pages if p.width > p.height]
        assert len(wide) == 1, "the matrix has a landscape page of its own"
        page = wide[0]
        words = page.extract_words()
        margin = 12 / 25.4 * 72 - 1  # the wide page's 12 mm, less a point for rounding
        outside = [w["text"] for w in words if w["x0"] < margin or w["x1"] > page.width - margin]
        assert outside == []
        text = " ".join(w["text"] for w in words)
        for _value, label in ObservationCategory.choices:
            assert all(word in text.split() for word in str(label).split()), label  # no word broken
        assert text.count("Totalt") >= 2  # the total column's heading and the total row
        assert all(name in text for name in COUNTIES)


def test_agency_is_emailed_once_when_the_last_report_of_the_round_is_ready(
    closed_round, agency_user, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://dialoger.example.se"
    with django_capture_on_commit_callbacks(execute=True):
        report_services.reports_request(dialogue_round=closed_round)

    mails = list(OutgoingMail.objects.filter(recipient=agency_user.email))
    assert len(mails) == 1
    assert mails[0].subject == f"Återkopplingsrapporter klara för granskning: {closed_round.title}"
    assert f"https://dialoger.example.se{reverse('reports:report_list', args=[closed_round.pk])}" in mails[0].body
    assert "3 återkopplingsrapporter för" in mails[0].body and "Kalmar län" in mails[0].body


def _structure_types(node, found=None, depth=0) -> set[str]:
    found = set() if found is None else found
    if depth > 60:
        return found
    if isinstance(node, pikepdf.Array):
        for child in node:
            _structure_types(child, found, depth + 1)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.add(str(node.S))
        if "/K" in node:
            _structure_types(node.K, found, depth + 1)
    return found


def test_pdf_is_tagged_with_its_language_title_and_table_header_cells(kalmar_document):
    pdf = pikepdf.open(io.BytesIO(report_pdf(kalmar_document)))

    assert "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert str(pdf.Root.Lang) == "sv"
    assert str(pdf.docinfo["/Title"]) == "Återkoppling regional utvecklingsdialog 2015: Kalmar län"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
    types = _structure_types(pdf.Root.StructTreeRoot.K)
    assert {"/Table", "/TH", "/TD", "/H1", "/H2", "/P"} <= types, types


def test_a_comment_on_an_earlier_version_still_holds_back_the_regenerated_report(
    client, ministry_user, closed_round, region_a
):
    first = _report(closed_round, region_a, is_current=False)
    comment = ReportCommentFactory(report=first, text="Skriv om avsnitt 3.")
    second = _report(closed_round, region_a, review_state=ReviewState.APPROVED, version=2)
    client.force_login(ministry_user)

    page = client.get(second.get_absolute_url()).content.decode()

    assert "Skriv om avsnitt 3." in page and "på version 1" in page
    assert "1 granskningskommentar är fortfarande öppen" in page
    with pytest.raises(ValidationError):
        report_services.report_publish(report=second)
    report_services.report_comment_resolve(comment=comment, user=ministry_user, resolution="worked_in")
    assert report_services.publish_refusal(second) == ""


def test_a_final_pdf_that_cannot_be_made_publishes_nothing_and_says_so(
    client, ministry_user, closed_round, region_a, monkeypatch
):
    report = _report(closed_round, region_a, review_state=ReviewState.APPROVED)
    import weasyprint

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)  # the renderer is a library, not our code
    client.force_login(ministry_user)

    page = client.post(reverse("reports:report_publish", args=[report.pk]), follow=True).content.decode()

    assert "Den slutliga pdf-filen kunde inte skapas" in page
    report.refresh_from_db()
    assert report.review_state == ReviewState.APPROVED and report.file.read() == b"%PDF-1.7 utkast"
    assert not OutgoingMail.objects.filter(subject__startswith="Återkopplingsrapport publicerad").exists()


@pytest.mark.parametrize("n", (1, 3))
def test_letters_page_queries_do_not_grow_with_counties(client, ministry_user, django_assert_num_queries, n):
    dialogue_round = DialogueRoundFactory(year=2017)
    for i in range(n):
        region = RegionFactory(code=f"{80 + i}", name=f"Brevlän {i}", slug=f"brevlan-{i}")
        DialogueFactory(round=dialogue_round, region=region)
        CoveringLetterFactory(round=dialogue_round, region=region, registration_number=f"N2017/{i}")
    client.force_login(ministry_user)

    # user, round, template, the letters, the counties
    with django_assert_num_queries(5):
        page = client.get(reverse("reports:letter_template", args=[dialogue_round.pk])).content.decode()

    assert page.count("Brevlän") == n and page.count("N2017/") == n
