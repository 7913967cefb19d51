"""The registrar's pages: the register with its search, a record's page with its document and
history, the number from the ministry's registry, and who may open them (nobody but registrars
and administrators: the county, the agency and other ministry staff are refused)."""

import datetime
import io

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from core.audit import audit_entries_for
from records.choices import Direction, DocumentType
from records.models import Record, SecrecyMarking
from records.services import record_register, secrecy_mark
from records.views import RecordListView
from reports.choices import ReportStatus, ReviewState
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory
from tests.factories.regions import OrganisationFactory
from tests.pages import (
    FIRST_AND_LATER_PAGE,
    HISTORY_SIZES,
    assert_trail_shows,
    log_older_changes,
    page_label,
    rows_on,
    sizes_over_a_page,
)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _decision(region, year, decided_on):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=year), region=region)
    return record_register(
        document=allocation,
        document_type=DocumentType.CONDITIONS_DECISION,
        direction=Direction.DRAWN_UP,
        cases=(allocation.appropriation,),
        region=region,
        year=year,
        document_date=decided_on,
    )


def _report(region, year=2020):
    round_ = DialogueRoundFactory(year=year)
    dialogue = DialogueFactory(round=round_, region=region)
    report = FeedbackReportFactory(
        round=round_,
        region=region,
        status=ReportStatus.DONE,
        review_state=ReviewState.PUBLISHED,
        file=ContentFile(b"%PDF-1.7 rapporten", name="rapport.pdf"),
    )
    return record_register(
        document=report,
        document_type=DocumentType.FEEDBACK_REPORT,
        direction=Direction.DRAWN_UP,
        cases=(round_, dialogue),
        region=region,
        year=year,
    )


@pytest.fixture
def records(region_a, region_b, ministry, kalmar_body):
    kronoberg_body = OrganisationFactory(name="Region Kronoberg", region=region_b)
    return {
        "kalmar_2019": _decision(region_a, 2019, datetime.date(2019, 2, 1)),
        "kronoberg_2019": _decision(region_b, 2019, datetime.date(2019, 3, 1)),
        "kalmar_2020": _decision(region_a, 2020, datetime.date(2020, 2, 1)),
        "report": _report(region_a),
        "kronoberg_body": kronoberg_body,
    }


def _numbers(response) -> list[str]:
    return [record.number for record in response.context["records"]]


def test_register_lists_every_record_newest_first_with_number_parties_and_case(english, registrar, records):
    english.force_login(registrar)

    response = english.get(reverse("records:record_list"))

    page = response.content.decode()
    assert _numbers(response) == [f"N{YEAR}/0000{n}" for n in (4, 3, 2, 1)]
    assert "Region Kalmar län" in page and "Näringsdepartementet" in page and "Region Kronoberg" in page
    assert f'href="{records["report"].get_absolute_url()}"' in page
    assert "secrecy-flag" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"number": "00002"}, ["kronoberg_2019"]),
        ({"date_from": "2019-02-15", "date_to": "2020-02-01"}, ["kalmar_2020", "kronoberg_2019"]),
        ({"party": "kronoberg_body"}, ["kronoberg_2019"]),
        ({"document_type": DocumentType.FEEDBACK_REPORT}, ["report"]),
        ({"direction": Direction.RECEIVED}, []),
    ],
    ids=["number", "dates", "party", "type", "direction"],
)
def test_register_search_finds_by_number_date_party_type(english, registrar, records, query, expected):
    english.force_login(registrar)
    params = {key: records[value].pk if key == "party" else value for key, value in query.items()}

    response = english.get(reverse("records:record_list"), params)

    assert _numbers(response) == [records[name].number for name in expected]
    if not expected:
        assert "No record matches the search." in response.content.decode()


def test_register_search_by_a_rounds_case_finds_its_dialogues_records(english, registrar, records):
    english.force_login(registrar)
    round_case = records["report"].case.parent

    response = english.get(reverse("records:record_list"), {"case": round_case.pk})

    assert _numbers(response) == [records["report"].number]


def test_register_search_with_bad_input_says_so_and_never_fails(english, registrar, records):
    english.force_login(registrar)

    response = english.get(reverse("records:record_list"), {"date_from": "0001-01-01", "party": "x", "case": "99999"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Give a year between 1900 and 2200." in page
    assert "Select a valid choice." in page


def test_register_is_paginated(english, registrar, region_a, settings):
    for n in range(52):
        record_register(
            document=OrganisationFactory(name=f"Handling {n}"),
            document_type=DocumentType.OTHER,
            direction=Direction.RECEIVED,
            cases=(region_a,),
            region=region_a,
            year=YEAR,
        )
    english.force_login(registrar)

    first = english.get(reverse("records:record_list"))
    second = english.get(reverse("records:record_list"), {"page": 2})

    assert len(first.context["records"]) == 50 and "Page 1 of 2" in first.content.decode()
    assert _numbers(second) == [f"N{YEAR}/00002", f"N{YEAR}/00001"]


def _copies(record: Record, count: int) -> list[Record]:
    """`count` more records like `record` (of the same case and parties), each of a document of its
    own and registered after it, as a register grows over the years."""
    return [
        Record(
            number=f"N{YEAR}/{1000 + i:05d}",
            document_type=record.document_type,
            title=f"Handling {i}",
            direction=record.direction,
            document_date=record.document_date,
            sender_organisation_id=record.sender_organisation_id,
            sender_name=record.sender_name,
            recipient_organisation_id=record.recipient_organisation_id,
            recipient_name=record.recipient_name,
            case_id=record.case_id,
            content_type_id=record.content_type_id,
            object_id=1_000_000 + i,
            registered_at=record.registered_at + datetime.timedelta(minutes=i + 1),
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("n", sizes_over_a_page(RecordListView.paginate_by))
@FIRST_AND_LATER_PAGE
def test_register_costs_the_same_queries_on_every_page_at_every_size(
    english, registrar, region_a, ministry, django_assert_num_queries, n, page
):
    per_page = RecordListView.paginate_by
    decision = _decision(region_a, 2020, datetime.date(2020, 1, 10))
    _report(region_a, 2020)
    Record.objects.bulk_create(_copies(decision, n - 2))
    for newest in Record.objects.all()[: 2 * per_page : per_page // 2]:  # secret rows on both pages
        secrecy_mark(target=newest, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    english.force_login(registrar)

    # the user, the count, the page of records (parties, case and secrecy in one), the organisations
    # and the cases to search by
    with django_assert_num_queries(5):
        response = english.get(reverse("records:record_list"), {"page": page})

    html = response.content.decode()
    assert len(response.context["records"]) == rows_on(page, total=n, per_page=per_page)
    assert html.count("<tr>") - 1 == rows_on(page, total=n, per_page=per_page)  # the header's row too
    assert page_label(page, total=n, per_page=per_page, word="Page", of="of") in html
    assert "secrecy-flag" in html


@pytest.mark.parametrize("role", [Role.REGION, Role.AGENCY, Role.MINISTRY])
def test_register_refuses_everyone_but_registrars_and_administrators(client, records, region_a, role):
    user = UserFactory(role=role, region=region_a if role == Role.REGION else None)
    client.force_login(user)
    record = records["report"]

    assert client.get(reverse("records:record_list")).status_code == 403
    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get(reverse("records:record_pdf", args=[record.pk])).status_code == 404
    response = client.post(
        reverse("records:secrecy_mark", args=[record.pk]), {"osl_reference": "21 kap. 7 §", "reason": "x"}
    )
    assert response.status_code == 404
    assert not SecrecyMarking.objects.exists()


def test_administrator_keeps_the_register_too(client, admin_user, records):
    client.force_login(admin_user)

    assert client.get(reverse("records:record_list")).status_code == 200
    assert client.get(records["report"].get_absolute_url()).status_code == 200


def test_record_page_shows_metadata_the_document_its_pdf_and_both_histories(english, registrar, records):
    record = records["report"]
    english.force_login(registrar)

    page = english.get(record.get_absolute_url()).content.decode()

    assert f"Record {record.number}" in page
    assert "Region Kalmar län" in page and "Drawn up" in page and "given by the portal" in page
    assert f'href="{record.document.get_absolute_url()}"' in page
    assert reverse("records:record_pdf", args=[record.pk]) in page
    assert "Changes to the record" in page and "Changes to the document" in page
    assert "The record has no secrecy marking." in page

    pdf = english.get(reverse("records:record_pdf", args=[record.pk]))
    assert pdf.content == b"%PDF-1.7 rapporten" and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{record.number.replace("/", "-")}.pdf"'


def _trails(html: str) -> list[str]:
    """The change histories on a page, in order."""
    parts = html.split('<details class="audit-trail')[1:]
    return [part[: part.index("</details>")] for part in parts]


@HISTORY_SIZES
def test_record_page_queries_do_not_grow_with_the_histories(
    english, registrar, records, django_assert_num_queries, older
):
    record = records["report"]
    log_older_changes(record, older, field="title", actor=registrar)
    log_older_changes(record.document, older, field="error", actor=registrar)
    record_total, document_total = (audit_entries_for(o).count() for o in (record, record.document))
    english.force_login(registrar)

    # user, record, its document with the round and county of its title, the records attached to it,
    # the markings; the record's history and what it names (the case, its kind, the parties); the
    # document's history and what it names (county and round)
    with django_assert_num_queries(14):
        response = english.get(record.get_absolute_url())

    record_trail, document_trail = _trails(response.content.decode())
    assert "Changes to the record" in record_trail and "Changes to the document" in document_trail
    assert_trail_shows(record_trail, total=record_total, english=True)
    assert_trail_shows(document_trail, total=document_total, english=True)


def test_record_page_offers_the_conditions_decision_as_a_pdf_made_by_its_app(english, registrar, records):
    record = records["kalmar_2019"]
    allocation = record.document
    allocation.conditions_decided_on, allocation.conditions = datetime.date(2019, 2, 1), "Villkor om uppföljning"
    allocation.save(update_fields=["conditions_decided_on", "conditions"])
    english.force_login(registrar)

    page = english.get(record.get_absolute_url()).content.decode()
    pdf = english.get(reverse("records:record_pdf", args=[record.pk])).content

    assert "Download the document as PDF" in page
    assert f'href="{record.document.get_absolute_url()}"' in page
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
    assert "Villkor om uppföljning" in text and allocation.region.name in text


# --- Numbers from the ministry's registry ------------------------------------------------------


def test_registrar_enters_the_registry_number_on_the_record_page(english, registrar, region_a, settings):
    settings.RECORDS_NUMBERS_FROM = "registry"
    record = _decision(region_a, 2020, datetime.date(2020, 1, 1))
    english.force_login(registrar)
    url = reverse("records:record_number", args=[record.pk])
    assert "Record without a number yet" in english.get(record.get_absolute_url()).content.decode()

    refused = english.post(url, {"number": "inte ett nummer", "version": record.version})
    assert "Write the registration number as the registry gives it" in refused.content.decode()
    record.refresh_from_db()
    assert record.number == ""

    response = english.post(url, {"number": "N2026/04711", "version": record.version}, follow=True)

    assert "The registration number is saved." in response.content.decode()
    assert "Record N2026/04711" in response.content.decode()
    record.refresh_from_db()
    assert record.number == "N2026/04711"


def test_number_the_portal_gave_cannot_be_changed_on_the_page(english, registrar, records):
    record = records["report"]
    english.force_login(registrar)
    url = reverse("records:record_number", args=[record.pk])

    response = english.post(url, {"number": "N2026/09999", "version": record.version})

    assert "The portal gave this record its number; it cannot be changed." in response.content.decode()
    record.refresh_from_db()
    assert record.number == f"N{YEAR}/00004"


def test_the_register_is_in_the_menu_of_registrars_only(client, registrar, ministry_user, agency_user, region_user):
    register = reverse("records:record_list")
    client.force_login(registrar)
    assert f'href="{register}"' in client.get(reverse("home")).content.decode()
    for user in (ministry_user, agency_user, region_user):
        client.force_login(user)
        assert f'href="{register}"' not in client.get(reverse("home")).content.decode(), user.role
