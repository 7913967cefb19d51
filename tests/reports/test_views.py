"""The report pages: who sees what, review and publication, download, live progress and query counts."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import OutgoingMail
from reports.choices import ReportStatus, ReviewState
from reports.models import FeedbackReport, ReportComment
from tests.factories.dialogues import FeedbackReportFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db


def _done(round_, region, review_state=ReviewState.IN_REVIEW, **fields):
    return FeedbackReportFactory(
        round=round_,
        region=region,
        status=ReportStatus.DONE,
        is_current=True,
        review_state=review_state,
        file=ContentFile(b"%PDF-1.7 rapport", name="rapport.pdf"),
        **fields,
    )


def test_download_streams_the_pdf_as_an_attachment_with_a_safe_name(client, ministry_user, closed_round, region_a):
    report = _done(closed_round, region_a)
    client.force_login(ministry_user)

    response = client.get(reverse("reports:report_download", args=[report.pk]))

    assert b"".join(response.streaming_content) == b"%PDF-1.7 rapport"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "rapport" in response["Content-Disposition"] and "/" not in response["Content-Disposition"]


def test_unpublished_report_does_not_exist_for_its_own_county(client, region_user, closed_round, region_a):
    report = _done(closed_round, region_a, review_state=ReviewState.APPROVED)
    client.force_login(region_user)

    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404
    page = client.get(reverse("reports:report_list", args=[closed_round.pk]))
    assert "Kalmar län</a>" not in page.content.decode()


def test_published_report_is_read_and_downloaded_by_its_own_county_only(
    client, region_user, other_region_user, closed_round, region_a
):
    report = _done(closed_round, region_a, review_state=ReviewState.PUBLISHED)
    client.force_login(region_user)
    page = client.get(report.get_absolute_url())
    assert "Tydlig målstruktur i Kalmar" in page.content.decode()
    assert "Ej delad iakttagelse" not in page.content.decode()
    assert b"".join(client.get(reverse("reports:report_download", args=[report.pk])).streaming_content)

    client.force_login(other_region_user)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404


def test_published_round_summary_is_seen_by_every_county(client, other_region_user, closed_round):
    summary = _done(closed_round, None, review_state=ReviewState.PUBLISHED)
    client.force_login(other_region_user)

    page = client.get(reverse("reports:report_list", args=[closed_round.pk]))

    assert "Omgångens sammanfattning" in page.content.decode()
    assert client.get(summary.get_absolute_url()).status_code == 200


def test_reviewer_comments_and_approves_then_the_ministry_answers_publishes_and_the_county_is_emailed(
    client, agency_user, ministry_user, region_user, other_region_user, closed_round, region_a
):
    report = _done(closed_round, region_a)
    client.force_login(agency_user)
    client.post(reverse("reports:report_comment", args=[report.pk]), {"text": "Förtydliga avsnitt 2."})
    client.post(reverse("reports:report_approve", args=[report.pk]))
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Förtydliga avsnitt 2." in page and "Godkänd" in page
    # the ministry heard of the comment and of the approval, each with a link to the report
    ministry_mails = OutgoingMail.objects.filter(recipient=ministry_user.email).order_by("pk")
    assert [m.subject for m in ministry_mails] == [
        "Ny kommentar på återkopplingsrapporten: Kalmar län",
        "Återkopplingsrapporten är godkänd: Kalmar län",
    ]
    assert all(f"http://testserver{report.get_absolute_url()}" in m.body for m in ministry_mails)

    client.force_login(ministry_user)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "1 granskningskommentar är fortfarande öppen" in page and "disabled" in page
    refused = client.post(reverse("reports:report_publish", args=[report.pk]), follow=True).content.decode()
    assert "1 granskningskommentar är fortfarande öppen" in refused
    report.refresh_from_db()
    assert report.review_state == ReviewState.APPROVED

    comment = report.comments.get()
    client.post(
        reverse("reports:comment_resolve", args=[comment.pk]),
        {"resolution": "answered", "answer": "Vi har lagt till ett stycke."},
    )
    response = client.post(reverse("reports:report_publish", args=[report.pk]), follow=True)

    assert "Rapporten är publicerad" in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == ReviewState.PUBLISHED
    assert list(
        OutgoingMail.objects.filter(subject__startswith="Återkopplingsrapport publicerad").values_list(
            "recipient", flat=True
        )
    ) == [region_user.email]


def test_ministry_cannot_approve_and_agency_cannot_publish(client, agency_user, ministry_user, closed_round, region_a):
    report = _done(closed_round, region_a)
    client.force_login(ministry_user)
    assert client.post(reverse("reports:report_approve", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.review_state == ReviewState.IN_REVIEW

    report.review_state = ReviewState.APPROVED
    report.save()
    client.force_login(agency_user)
    assert client.post(reverse("reports:report_publish", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.review_state == ReviewState.APPROVED


@pytest.mark.parametrize("role", ["agency", "region"])
def test_only_the_ministry_requests_reports(client, user_by_role, closed_round, role):
    client.force_login(user_by_role[role])

    response = client.post(reverse("reports:reports_request", args=[closed_round.pk]))

    assert response.status_code == 403
    assert not FeedbackReport.objects.exists()


def test_ministry_requests_one_countys_report_from_the_round_page(
    client, ministry_user, closed_round, region_a, django_capture_on_commit_callbacks
):
    client.force_login(ministry_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reports:reports_request", args=[closed_round.pk]),
            {"region": region_a.pk, "language": "sv"},
            follow=True,
        )

    assert "1 rapport skapas." in response.content.decode()
    assert list(FeedbackReport.objects.values_list("region__name", "status")) == [("Kalmar län", "pending")]
    assert len(callbacks) == 1


def test_comment_by_a_county_is_refused(client, region_user, closed_round, region_a):
    report = _done(closed_round, region_a, review_state=ReviewState.PUBLISHED)
    client.force_login(region_user)

    response = client.post(reverse("reports:report_comment", args=[report.pk]), {"text": "Hej"})

    assert response.status_code == 403
    assert not ReportComment.objects.exists()


def test_status_fragment_polls_while_reports_are_in_progress_and_stops_when_done(
    client, ministry_user, closed_round, region_a
):
    report = FeedbackReportFactory(round=closed_round, region=region_a)
    client.force_login(ministry_user)
    url = reverse("reports:report_status", args=[closed_round.pk])

    polling = client.get(url).content.decode()
    assert 'hx-trigger="every 3s"' in polling and "Väntar" in polling

    report.status = ReportStatus.DONE
    report.save()
    finished = client.get(url).content.decode()
    assert "hx-trigger" not in finished and "Ladda ner" in finished


@pytest.mark.parametrize("n", (1, 3))
def test_report_list_queries_do_not_grow_with_reports(client, agency_user, closed_round, django_assert_num_queries, n):
    for i in range(n):
        _done(closed_round, RegionFactory(name=f"Testlän {i}", code=f"{50 + i}"))
    client.force_login(agency_user)
    # user, round, the reports with their counties
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:report_list", args=[closed_round.pk]))
    assert response.content.decode().count("Testlän") == 2 * n  # name, and hidden in the download link


@pytest.mark.parametrize("n", (1, 3))
def test_report_detail_queries_do_not_grow_with_comments(
    client, agency_user, closed_round, region_a, django_assert_num_queries, n
):
    report = _done(closed_round, region_a)
    for i in range(n):
        ReportComment.objects.create(report=report, author=agency_user, text=f"Kommentar {i}")
    client.force_login(agency_user)
    # ... 9 as before, and the report's letter, the round's letter template and the addressee;
    # the report's files and whether it is published (files may be added until it is)
    with django_assert_num_queries(14):
        response = client.get(report.get_absolute_url())
    assert response.content.decode().count("Kommentar ") == n


def test_ministry_generates_a_failed_report_again_as_a_new_version(
    client, ministry_user, closed_round, region_a, django_capture_on_commit_callbacks
):
    failed = FeedbackReportFactory(round=closed_round, region=region_a, status=ReportStatus.FAILED, error="Boom")
    client.force_login(ministry_user)
    page = client.get(reverse("reports:report_list", args=[closed_round.pk])).content.decode()
    assert "Boom" in page and "Försök igen" in page

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:report_regenerate", args=[failed.pk]))

    assert list(FeedbackReport.objects.order_by("version").values_list("version", "status")) == [
        (1, "failed"),
        (2, "pending"),
    ]


def test_ministry_requests_the_reports_in_english(
    client, ministry_user, closed_round, region_a, region_b, django_capture_on_commit_callbacks
):
    client.force_login(ministry_user)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:reports_request", args=[closed_round.pk]), {"region": "", "language": "en"})

    assert set(FeedbackReport.objects.values_list("language", flat=True)) == {"en"}
    assert FeedbackReport.objects.count() == 3


def test_closing_the_round_generates_the_reports_shown_on_the_round_page(
    client, ministry_user, closed_round, region_a, region_b, django_capture_on_commit_callbacks
):
    closed_round.status = "open"
    closed_round.save()
    client.force_login(ministry_user)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("dialogues:round_close", args=[closed_round.pk]),
            {"confirm": "on", "close_anyway": "on"},
            follow=True,
        ).content.decode()

    assert reverse("reports:report_status", args=[closed_round.pk]) in page  # the table loads into the page
    table = client.get(reverse("reports:report_status", args=[closed_round.pk])).content.decode()
    assert table.count("Klar") == 3
    assert "Kalmar län" in table and "Kronobergs län" in table and "Omgångens sammanfattning" in table
