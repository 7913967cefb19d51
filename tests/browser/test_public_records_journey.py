"""Public records from the county's submission to the archive package, in Chromium with a real Celery
worker and axe-core on every page of the register (issue 17, the done-when journey).

Kalmar submits its 2015 submission through the submission page. The registrar finds it in the
register by its number (received today, from Kalmar län), marks one of the dialogue's observations
secret from the dialogue page and Kronoberg's submission secret from its record's page, records an
anonymous access request, adds the three documents, releases Kalmar's submission in full and the
published report in part, withholds Kronoberg's, decides, and downloads the release bundle: a cover
sheet, the submission, a masked copy of the report without the secret observation, and checksums
that match; nothing of Kronoberg's. Last, the registrar has the worker build the closed round's
archive package and downloads it: METS valid against the shipped schema, every PDF a PDF/A-2b,
every checksum right, the secret record marked in the metadata.
"""

import hashlib
import io
import re
import time
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from accounts.choices import Role
from core.pdf import render_pdf
from dialogues.choices import RoundStatus
from dialogues.models import DialogueRound
from records.bundles import COVER_NAME, MANIFEST_NAME
from records.choices import Direction, DocumentType, PackageStatus
from records.models import ArchivePackage, Record
from records.services import record_register
from regions.choices import OrganisationKind
from reports.choices import ReportStatus, ReviewState
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import (
    DialogueFactory,
    DialogueRoundFactory,
    FeedbackReportFactory,
    ObservationFactory,
    SubmissionFactory,
)
from tests.factories.regions import OrganisationFactory
from tests.records.test_archive import METS_NS, _case_of, assert_valid_archive_package

from .conftest import assert_accessible, log_in
from .test_report_journeys import media_in_tmp  # noqa: F401 - a fixture
from .test_round_close import _send_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_in_tmp"),
]

BUILD_TIMEOUT_S = 90
KALMAR_TEXT = "Kalmar satsar på kompetensförsörjning i hela länet."
KRONOBERG_TEXT = "Kronobergs resursanvändning"
SECRET_TITLE = "Anställd hos Hemlig AB sjukskriven"
SECRET_TEXT = "Projektledaren Sven Svensson är långtidssjukskriven"
OPEN_TITLE = "Stark samverkan kring kompetens"


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)


def _main(page) -> str:
    return page.locator("#main").inner_text()


def _short_date(day) -> str:
    with translation.override("sv"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def round_2015(region_a, region_b, other_region_user):
    """The 2015 round, open: Kalmar's dialogue with its draft submission and two observations
    shared with the county; Kronoberg has already submitted."""
    dialogue_round = DialogueRoundFactory(year=2015, title="Regionala utvecklingsdialoger 2015")
    kalmar = DialogueFactory(round=dialogue_round, region=region_a)
    SubmissionFactory(dialogue=kalmar, resource_use=KALMAR_TEXT)
    ObservationFactory(dialogue=kalmar, title=SECRET_TITLE, text=SECRET_TEXT, shared_with_region=True)
    ObservationFactory(dialogue=kalmar, title=OPEN_TITLE, text="Bra arbete med kompetens.", shared_with_region=True)
    kronoberg = DialogueFactory(round=dialogue_round, region=region_b)
    _send_in(SubmissionFactory(dialogue=kronoberg), other_region_user, KRONOBERG_TEXT)
    return dialogue_round


def _close_and_publish(dialogue_round, region):
    """After the submissions: the round is closed and Kalmar's feedback report published (its stored
    file the pipeline's PDF, as publishing stores it) and registered, as publishing does."""
    DialogueRound.objects.filter(pk=dialogue_round.pk).update(status=RoundStatus.CLOSED)
    stored = render_pdf(
        '<html lang="sv"><head><title>Återrapport</title></head><body><h1>Återrapport Kalmar län</h1></body></html>'
    )
    report = FeedbackReportFactory(
        round=dialogue_round,
        region=region,
        status=ReportStatus.DONE,
        review_state=ReviewState.PUBLISHED,
        published_at=timezone.now(),
        file=ContentFile(stored, name="aterrapport-kalmar-2015.pdf"),
    )
    return record_register(
        document=report,
        document_type=DocumentType.FEEDBACK_REPORT,
        direction=Direction.DRAWN_UP,
        cases=(dialogue_round, report.round.dialogues.get(region=region)),
        region=region,
        year=dialogue_round.year,
    )


def _fieldset(page, number: str):
    return page.locator("fieldset", has=page.locator("legend", has_text=number))


def test_submission_registered_found_marked_secret_released_in_part_and_archived(
    page, celery_live_worker, region_a, region_user, password, round_2015
):
    OrganisationFactory(name="Näringsdepartementet", short_name="N", kind=OrganisationKind.MINISTRY)
    registrar = UserFactory(role=Role.MINISTRY, full_name="Rut Registrator", is_registrar=True)
    kalmar_dialogue = round_2015.dialogues.get(region=region_a)
    kronoberg_record = Record.objects.get(document_type=DocumentType.SUBMISSION, sender_name="Region Kronoberg")

    # --- 1. Kalmar submits its submission through the submission page.
    log_in(page, region_user.email, password)
    page.goto(reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk]))
    assert_accessible(page, "Kalmar's submission form")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara och lämna in till departementet").click()
    assert "Din inlämning har skickats till departementet." in _main(page)
    kalmar_record = Record.objects.get(document_type=DocumentType.SUBMISSION, sender_name="Kalmar län")
    received = timezone.localdate(kalmar_record.registered_at)
    report_record = _close_and_publish(round_2015, region_a)

    # --- 2. The registrar finds it in the register by its number: received today, from Kalmar län.
    page.context.clear_cookies()
    log_in(page, registrar.email, password)
    page.goto(reverse("records:record_list"))
    assert_accessible(page, "the register")
    page.get_by_label("Diarienummer").fill(kalmar_record.number)
    with page.expect_navigation():
        page.get_by_role("button", name="Sök").click()
    rows = page.locator("#main table tbody tr")
    expect(rows).to_have_count(1)
    found = rows.first.inner_text()
    assert kalmar_record.number in found and "Kalmar län" in found and _short_date(received) in found
    assert "(inkommen)" in found
    assert_accessible(page, "the register, searched by number")
    with page.expect_navigation():
        rows.first.get_by_role("link", name=kalmar_record.number).click()
    details = _main(page)
    with translation.override("sv"):
        assert f"Inkommen, {formats.date_format(received, 'DATE_FORMAT')}" in details
    assert "Kalmar län" in details and "Regionala utvecklingsdialoger 2015" in details
    assert_accessible(page, "Kalmar's submission's record")

    # --- 3. It marks one observation of Kalmar's dialogue secret, from the dialogue page.
    page.goto(kalmar_dialogue.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name=f"Sekretess för ”{SECRET_TITLE}”").click()
    assert_accessible(page, "mark an observation secret")
    page.get_by_label("Bestämmelse (OSL)").fill(" 21 kap.  7 § ")  # stray spaces are tidied
    page.get_by_label("Skäl").fill("Uppgift om en enskilds hälsa.")
    with page.expect_navigation():
        page.get_by_role("button", name="Sekretessmarkera").click()
    expect(page.locator(".alert-success")).to_contain_text("Iakttagelsen är sekretessmarkerad.")
    secret_card = page.locator("#main article", has_text=SECRET_TITLE)
    expect(secret_card.locator(".secrecy-flag")).to_have_text("Sekretess 21 kap. 7 § OSL")
    expect(page.locator("#main article", has_text=OPEN_TITLE).locator(".secrecy-flag")).to_have_count(0)
    assert_accessible(page, "the dialogue page with the secret observation flagged")

    # ... and Kronoberg's submission, from its record's page.
    page.goto(kronoberg_record.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Sekretessmarkera").click()
    assert_accessible(page, "mark a record secret")
    page.get_by_label("Bestämmelse (OSL)").fill("31 kap. 16 §")
    page.get_by_label("Skäl").fill("Affärsförhållanden hos en leverantör.")
    with page.expect_navigation():
        page.get_by_role("button", name="Sekretessmarkera").click()
    expect(page.locator(".alert-success")).to_contain_text("Registreringen är sekretessmarkerad.")
    expect(page.locator("#main")).to_contain_text("31 kap. 16 § OSL")

    # --- 4. An anonymous access request: recorded, three documents added, decided.
    page.goto(reverse("records:request_list"))
    assert_accessible(page, "access requests")
    with page.expect_navigation():
        page.get_by_role("link", name="Registrera en ny begäran").click()
    assert_accessible(page, "record a new access request")
    page.get_by_label("Inkommen").fill(timezone.localdate().isoformat())
    page.get_by_label("Vad som begärdes").fill("Kalmars inlämning och återrapport 2015 samt Kronobergs inlämning")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrera begäran").click()
    expect(page.locator(".alert-success")).to_contain_text("Begäran är registrerad i diariet.")
    assert "Anonym" in _main(page)
    for record in (kalmar_record, report_record, kronoberg_record):
        page.get_by_label("Diarienummer").fill(record.number)
        with page.expect_navigation():
            page.get_by_role("button", name="Lägg till i begäran").click()
    expect(page.locator(".alert-warning")).to_contain_text(
        f"{kronoberg_record.number} är sekretessmarkerad enligt 31 kap. 16 § OSL"
    )
    documents = page.locator("#main table tbody tr")
    expect(documents).to_have_count(3)
    expect(documents.filter(has_text=kronoberg_record.number).locator(".secrecy-flag")).to_have_text(
        "Sekretess 31 kap. 16 § OSL"
    )
    assert_accessible(page, "the access request with three documents")

    with page.expect_navigation():
        page.get_by_role("link", name="Fatta besluten").click()
    assert_accessible(page, "the decisions")
    expect(_fieldset(page, kalmar_record.number).get_by_label("Lämnas ut", exact=True)).to_be_checked()
    expect(_fieldset(page, kronoberg_record.number).get_by_label("Lämnas inte ut", exact=True)).to_be_checked()
    report_fieldset = _fieldset(page, report_record.number)
    report_fieldset.get_by_label("Lämnas ut med delar maskade").check()
    report_fieldset.get_by_label("Bestämmelse (OSL) som handlingen hålls inne enligt").fill("21 kap. 7 §")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara besluten").click()
    expect(page.locator(".alert-success")).to_contain_text("Besluten är sparade.")
    with page.expect_navigation():
        page.get_by_role("button", name="Markera begäran som avgjord").click()
    expect(page.locator(".alert-success")).to_contain_text("Begäran är avgjord och beslutet registrerat.")
    assert "Avgjord" in _main(page)
    assert_accessible(page, "the decided access request")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner utlämnandepaketet (ZIP)").click()
    bundle = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    submission_pdf = kalmar_record.number.replace("/", "-") + ".pdf"
    masked_pdf = report_record.number.replace("/", "-") + "-masked.pdf"
    assert set(bundle.namelist()) == {COVER_NAME, MANIFEST_NAME, submission_pdf, masked_pdf}
    assert not any(kronoberg_record.number.replace("/", "-") in name for name in bundle.namelist())
    sums = dict(reversed(line.split("  ", 1)) for line in bundle.read(MANIFEST_NAME).decode().splitlines())
    assert set(sums) == {COVER_NAME, submission_pdf, masked_pdf}
    for name, digest in sums.items():
        assert hashlib.sha256(bundle.read(name)).hexdigest() == digest, name
    assert KALMAR_TEXT in _text(bundle.read(submission_pdf))
    masked = _text(bundle.read(masked_pdf))
    assert OPEN_TITLE in masked and "OSL 21 kap. 7 §" in masked
    assert SECRET_TITLE not in masked and SECRET_TEXT not in masked and "Sven Svensson" not in masked
    cover = _text(bundle.read(COVER_NAME))
    for number in (kalmar_record.number, report_record.number, kronoberg_record.number):
        assert number in cover, number
    assert "Lämnas inte ut enligt 31 kap. 16 § OSL" in cover
    assert KRONOBERG_TEXT not in cover

    # --- 5. The closed round's archive package, built by the worker, downloaded and validated.
    page.goto(reverse("records:record_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="Arkivpaket för avslutade omgångar").click()
    assert_accessible(page, "archive packages")
    case = _case_of(round_2015)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Bygg arkivpaketet för {case.title}").click()
    expect(page.locator(".alert-success")).to_contain_text("Arkivpaketet byggs.")
    package = ArchivePackage.objects.get(case=case)
    deadline = time.monotonic() + BUILD_TIMEOUT_S
    while package.status not in (PackageStatus.DONE, PackageStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.5)
        package.refresh_from_db()
    assert package.status == PackageStatus.DONE, package.error
    page.reload()
    packages = page.locator(f"section[aria-labelledby=case-{case.pk}] tbody tr")
    expect(packages).to_have_count(1)
    expect(packages.first).to_contain_text("Klart")
    expect(packages.first).to_contain_text(package.checksum)
    assert_accessible(page, "archive packages, one ready")
    with page.expect_download() as download_info:
        packages.first.get_by_role("link", name=re.compile(r"^ZIP, ")).click()
    raw = Path(download_info.value.path()).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == package.checksum

    archive, _root, mets = assert_valid_archive_package(raw)
    assert package.document_count == 3
    assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 3
    for record in (kalmar_record, report_record, kronoberg_record):
        described = mets.find(f".//mets:dmdSec[@ID='dmd-record-{record.pk}']//rec:record", METS_NS)
        assert described.findtext("rec:number", namespaces=METS_NS) == record.number
        secret = "true" if record == kronoberg_record else "false"
        assert described.find("rec:secrecy", METS_NS).get("secret") == secret, record.number
    marking = mets.find(f".//mets:dmdSec[@ID='dmd-record-{kronoberg_record.pk}']//rec:marking", METS_NS)
    assert marking.findtext("rec:oslReference", namespaces=METS_NS) == "31 kap. 16 §"
    assert marking.findtext("rec:decidedBy", namespaces=METS_NS) == "Rut Registrator"
