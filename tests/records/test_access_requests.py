"""Requests for access to official documents (TF 2 kap.): the registrar records a request (it is
registered), adds documents by number, sees their secrecy markings, decides each one (a marked
document is released only with a reason), decides the request (the decision is registered) and
downloads the release bundle: a cover sheet, the released documents' PDFs and a SHA-256 manifest,
never a withheld document's file."""

import datetime
import hashlib
import io
import zipfile

import pdfplumber
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from records.bundles import COVER_NAME, MANIFEST_NAME
from records.choices import Direction, DocumentType, Release, RequestStatus
from records.models import AccessRequest, Record, RequestedRecord
from records.services import (
    access_request_add,
    access_request_create,
    access_request_decisions_set,
    record_register,
    secrecy_mark,
)
from records.views import AccessRequestListView
from reports.choices import ReportStatus, ReviewState
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory
from tests.pages import FIRST_AND_LATER_PAGE, page_label, rows_on, sizes_over_a_page

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

OPEN_PDF = b"%PDF-1.7 the open report"
SECRET_PDF = b"%PDF-1.7 the secret report"


def _report(region, year, content):
    round_ = DialogueRoundFactory(year=year)
    dialogue = DialogueFactory(round=round_, region=region)
    report = FeedbackReportFactory(
        round=round_,
        region=region,
        status=ReportStatus.DONE,
        review_state=ReviewState.PUBLISHED,
        file=ContentFile(content, name=f"rapport-{year}.pdf"),
    )
    return record_register(
        document=report,
        document_type=DocumentType.FEEDBACK_REPORT,
        direction=Direction.DRAWN_UP,
        cases=(round_, dialogue),
        region=region,
        year=year,
    )


def _decision(region):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2021), region=region)
    return record_register(
        document=allocation,
        document_type=DocumentType.CONDITIONS_DECISION,
        direction=Direction.DRAWN_UP,
        cases=(allocation.appropriation,),
        region=region,
        year=2021,
        document_date=datetime.date(2021, 2, 1),
    )


@pytest.fixture
def documents(region_a, ministry, kalmar_body, registrar):
    """An open report with a PDF, a secret report with a PDF, a conditions decision without one."""
    secret = _report(region_a, 2019, SECRET_PDF)
    secrecy_mark(target=secret, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    return {"open": _report(region_a, 2020, OPEN_PDF), "secret": secret, "no_pdf": _decision(region_a)}


@pytest.fixture
def access_request(registrar, ministry):
    return access_request_create(
        received_on=TODAY, asked_for="Återrapporterna om Kalmar", user=registrar, requester_name="Anna Journalist"
    )


def _add_all(english, access_request, documents):
    for record in documents.values():
        english.post(reverse("records:request_add", args=[access_request.pk]), {"number": record.number})


def _decisions(access_request, **overrides):
    """The decisions form's data: every item as it stands, with `overrides` by record number."""
    access_request.refresh_from_db()
    data = {"version": access_request.version}
    for item in access_request.items.select_related("record"):
        given = overrides.get(item.record.number, {})
        data[f"decision_{item.pk}"] = given.get("decision", item.decision)
        data[f"osl_{item.pk}"] = given.get("osl", item.osl_reference)
        data[f"reason_{item.pk}"] = given.get("reason", "")
    return data


def _decide(english, access_request):
    access_request.refresh_from_db()
    return english.post(
        reverse("records:request_decide", args=[access_request.pk]), {"version": access_request.version}, follow=True
    )


@pytest.mark.parametrize("n", sizes_over_a_page(AccessRequestListView.paginate_by))
@FIRST_AND_LATER_PAGE
def test_request_list_costs_the_same_queries_on_every_page_at_every_size(
    english, registrar, documents, django_assert_num_queries, n, page
):
    per_page = AccessRequestListView.paginate_by
    requests = AccessRequest.objects.bulk_create(
        AccessRequest(
            requester_name=f"Journalist {i}",
            received_on=TODAY - datetime.timedelta(days=i),
            asked_for="Återrapporterna",
            handled_by=registrar,
        )
        for i in range(n)
    )
    RequestedRecord.objects.bulk_create(
        RequestedRecord(request=request, record=record) for request in requests for record in documents.values()
    )
    english.force_login(registrar)

    # the user, the count, the page of requests with who handles them and how many documents each holds
    with django_assert_num_queries(3):
        response = english.get(reverse("records:request_list"), {"page": page})

    html = response.content.decode()
    shown = rows_on(page, total=n, per_page=per_page)
    assert html.count("Journalist ") == shown
    assert html.count(f"<td>{len(documents)}</td>") == shown
    assert page_label(page, total=n, per_page=per_page, word="Page", of="of") in html
    newest_shown = response.context["access_requests"][0]
    assert newest_shown.requester_name == f"Journalist {(page - 1) * per_page}"  # newest first


def test_a_request_is_registered_when_recorded_and_may_be_anonymous(english, registrar, ministry):
    english.force_login(registrar)

    response = english.post(
        reverse("records:request_create"),
        {"received_on": TODAY.isoformat(), "asked_for": "Alla beslut om villkor 2021"},
        follow=True,
    )

    access_request = AccessRequest.objects.get()
    record = Record.objects.get(document_type=DocumentType.ACCESS_REQUEST)
    assert record.document == access_request and record.direction == Direction.RECEIVED
    assert (
        record.number.startswith(f"N{TODAY.year}/") and record.sender_name == "Anonym sökande"
    )  # stored in Swedish, whoever registers
    page = response.content.decode()
    assert "The request is recorded and registered." in page and record.number in page


def test_request_form_with_bad_input_says_so_and_records_nothing(english, registrar, ministry):
    english.force_login(registrar)

    response = english.post(
        reverse("records:request_create"), {"received_on": "31-31-2026", "asked_for": "", "requester_email": "x"}
    )

    assert response.status_code == 200 and response.context["form"].errors
    assert not AccessRequest.objects.exists() and not Record.objects.exists()


def test_a_secrecy_marked_document_is_flagged_and_starts_withheld(english, registrar, documents, access_request):
    english.force_login(registrar)

    added = english.post(
        reverse("records:request_add", args=[access_request.pk]), {"number": documents["secret"].number}, follow=True
    )

    item = RequestedRecord.objects.get()
    assert item.decision == Release.WITHHELD and item.osl_reference == "21 kap. 7 §"
    page = added.content.decode()
    assert "is marked secret under 21 kap. 7 § OSL" in page and "secrecy-flag" in page


def test_adding_an_unknown_number_says_so(english, registrar, access_request):
    english.force_login(registrar)

    response = english.post(reverse("records:request_add", args=[access_request.pk]), {"number": "N1999/99999"})

    assert "No record has the registration number N1999/99999." in response.content.decode()
    assert not RequestedRecord.objects.exists()


def test_a_marked_document_cannot_be_released_without_a_reason(english, registrar, documents, access_request):
    english.force_login(registrar)
    _add_all(english, access_request, documents)
    url = reverse("records:request_decisions", args=[access_request.pk])
    form_page = english.get(url).content.decode()
    assert "Marked secret under 21 kap. 7 § OSL" in form_page

    refused = english.post(url, _decisions(access_request, **{documents["secret"].number: {"decision": "released"}}))

    assert "give the reason for releasing it" in refused.content.decode()
    assert RequestedRecord.objects.get(record=documents["secret"]).decision == Release.WITHHELD
    with pytest.raises(ValidationError, match="give the reason"):
        item = RequestedRecord.objects.get(record=documents["secret"])
        access_request.refresh_from_db()
        access_request_decisions_set(
            request=access_request,
            decisions={item.pk: {"decision": Release.RELEASED}},
            expected_version=access_request.version,
        )

    english.post(
        url,
        _decisions(
            access_request,
            **{documents["secret"].number: {"decision": "released", "reason": "Den enskilde har samtyckt"}},
        ),
    )
    item = RequestedRecord.objects.get(record=documents["secret"])
    assert item.decision == Release.RELEASED and item.release_reason == "Den enskilde har samtyckt"


def test_withholding_an_unmarked_document_needs_a_provision(english, registrar, documents, access_request):
    english.force_login(registrar)
    _add_all(english, access_request, documents)
    url = reverse("records:request_decisions", args=[access_request.pk])

    refused = english.post(url, _decisions(access_request, **{documents["open"].number: {"decision": "withheld"}}))

    assert "Give the provision of the secrecy act" in refused.content.decode()
    assert RequestedRecord.objects.get(record=documents["open"]).decision == Release.RELEASED


def test_a_stale_decisions_form_is_refused(english, registrar, documents, access_request):
    english.force_login(registrar)
    _add_all(english, access_request, documents)
    url = reverse("records:request_decisions", args=[access_request.pk])
    data = _decisions(access_request, **{documents["open"].number: {"decision": "withheld", "osl": "18 kap. 1 §"}})
    data["version"] = data["version"] - 1

    response = english.post(url, data)

    assert "Someone else saved this after you opened it" in response.content.decode()
    assert RequestedRecord.objects.get(record=documents["open"]).decision == Release.RELEASED


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)


def test_the_release_bundle_holds_the_cover_the_released_pdfs_and_checksums_never_a_withheld_file(
    english, registrar, documents, access_request
):
    english.force_login(registrar)
    _add_all(english, access_request, documents)
    bundle_url = reverse("records:request_bundle", args=[access_request.pk])
    early = english.get(bundle_url, follow=True)
    assert "once the request is decided" in early.content.decode()

    decided = _decide(english, access_request)

    assert "The request is decided and the decision registered." in decided.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == RequestStatus.DECIDED
    decision_record = Record.objects.get(document_type=DocumentType.ACCESS_DECISION)
    assert decision_record.direction == Direction.DRAWN_UP and decision_record.recipient_name == "Anna Journalist"

    response = english.get(bundle_url)

    assert response["Content-Disposition"].startswith("attachment;")
    archive = _zip(response)
    open_name = documents["open"].number.replace("/", "-") + ".pdf"
    assert sorted(archive.namelist()) == sorted([COVER_NAME, open_name, MANIFEST_NAME])
    assert archive.read(open_name) == OPEN_PDF
    assert all(SECRET_PDF not in archive.read(name) for name in archive.namelist())
    manifest = dict(reversed(line.split("  ", 1)) for line in archive.read(MANIFEST_NAME).decode().splitlines())
    assert set(manifest) == {COVER_NAME, open_name}
    assert all(hashlib.sha256(archive.read(name)).hexdigest() == digest for name, digest in manifest.items())
    cover = _text(archive.read(COVER_NAME))
    assert documents["secret"].number in cover and "Withheld under 21 kap. 7 § OSL" in cover
    assert documents["no_pdf"].number in cover and "Released on paper or in the portal" in cover
    assert documents["open"].number in cover and "Anna Journalist" in cover
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(AccessRequest),
        object_pk=str(access_request.pk),
        actor=registrar,
    ).exists()


def test_a_marked_document_released_with_a_reason_is_in_the_bundle(english, registrar, documents, access_request):
    english.force_login(registrar)
    english.post(reverse("records:request_add", args=[access_request.pk]), {"number": documents["secret"].number})
    english.post(
        reverse("records:request_decisions", args=[access_request.pk]),
        _decisions(access_request, **{documents["secret"].number: {"decision": "released", "reason": "Samtycke"}}),
    )
    _decide(english, access_request)

    archive = _zip(english.get(reverse("records:request_bundle", args=[access_request.pk])))

    assert archive.read(documents["secret"].number.replace("/", "-") + ".pdf") == SECRET_PDF


def test_a_decided_request_cannot_change(english, registrar, documents, access_request):
    english.force_login(registrar)
    english.post(reverse("records:request_add", args=[access_request.pk]), {"number": documents["open"].number})
    _decide(english, access_request)

    response = english.post(
        reverse("records:request_add", args=[access_request.pk]), {"number": documents["no_pdf"].number}
    )

    assert "The request is decided" in response.content.decode()
    assert RequestedRecord.objects.count() == 1


def test_an_empty_request_cannot_be_decided(english, registrar, access_request):
    english.force_login(registrar)

    page = _decide(english, access_request).content.decode()

    assert "Add at least one document before deciding the request." in page
    access_request.refresh_from_db()
    assert access_request.status == RequestStatus.OPEN


@pytest.mark.parametrize("role", [Role.REGION, Role.AGENCY, Role.MINISTRY])
def test_access_requests_are_refused_to_everyone_but_registrars(client, region_a, documents, access_request, role):
    client.force_login(UserFactory(role=role, region=region_a if role == Role.REGION else None))

    assert client.get(reverse("records:request_list")).status_code == 403
    assert client.get(reverse("records:request_create")).status_code == 403
    assert client.get(access_request.get_absolute_url()).status_code == 404
    assert client.get(reverse("records:request_bundle", args=[access_request.pk])).status_code == 404
    response = client.post(
        reverse("records:request_add", args=[access_request.pk]), {"number": documents["open"].number}
    )
    assert response.status_code == 404 and not RequestedRecord.objects.exists()
    assert client.post(reverse("records:request_decide", args=[access_request.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_request_page_costs_the_same_queries_for_one_or_three_documents(
    client, registrar, region_a, ministry, kalmar_body, access_request, n, django_assert_num_queries
):
    for year in range(2010, 2010 + n):
        record = _report(region_a, year, OPEN_PDF)
        access_request_add(request=access_request, number=record.number)
        secrecy_mark(target=record, osl_reference="21 kap. 7 §", reason="x", user=registrar)
    client.force_login(registrar)

    # the user, the request, its documents with their markings, the request's record
    with django_assert_num_queries(4):
        response = client.get(access_request.get_absolute_url())

    assert len(response.context["items"]) == n


def test_a_document_marked_secret_after_the_decision_stays_out_of_the_bundle(
    english, registrar, documents, access_request
):
    english.force_login(registrar)
    english.post(reverse("records:request_add", args=[access_request.pk]), {"number": documents["open"].number})
    _decide(english, access_request)
    secrecy_mark(target=documents["open"], osl_reference="18 kap. 1 §", reason="Säkerhet", user=registrar)

    archive = _zip(english.get(reverse("records:request_bundle", args=[access_request.pk])))

    assert sorted(archive.namelist()) == sorted([COVER_NAME, MANIFEST_NAME])
    assert "Withheld under 18 kap. 1 § OSL" in _text(archive.read(COVER_NAME))
