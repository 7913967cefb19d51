"""The archive package of a closed round (arkivlagen): every registered document of the round's
case and its dialogues' cases as PDF/A, METS metadata valid against the METS schema shipped in
records/schemas/, checksums that match, secret documents included and marked; built by a Celery
task, downloaded by the registrar (each download audited), refused to everyone else."""

import hashlib
import io
import time
import zipfile

import pikepdf
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from core.pdf import render_pdf
from dialogues.choices import RoundStatus
from dialogues.models import SubmissionVersion
from records.archive import MANIFEST_NAME, METS_NAME, RECORD_NS, mets_schema
from records.choices import Direction, DocumentType, PackageStatus
from records.documents import _KINDS, document_kind_register
from records.models import ArchivePackage, Case
from records.services import archive_package_request, record_register, secrecy_mark
from regions.models import Organisation
from reports.choices import ReportStatus, ReviewState
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory, SubmissionFactory
from tests.factories.regions import OrganisationFactory

pytestmark = pytest.mark.django_db
METS_NS = {"mets": "http://www.loc.gov/METS/", "rec": RECORD_NS, "xlink": "http://www.w3.org/1999/xlink"}
DOCX_MAGIC = b"PK\x03\x04"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _submission(dialogue, text):
    submission = SubmissionFactory(dialogue=dialogue)
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=1,
        data={"resource_use": text, "priorities": [], "results": []},
        submitted_at=timezone.now(),
    )
    return record_register(
        document=version,
        document_type=DocumentType.SUBMISSION,
        direction=Direction.RECEIVED,
        cases=(dialogue.round, dialogue),
        region=dialogue.region,
        year=dialogue.round.year,
    )


def _published_report(dialogue):
    """A published report whose stored file is the pipeline's PDF/UA-1 (as publishing stores it)."""
    stored = render_pdf(
        '<html lang="sv"><head><title>Återrapport</title></head><body><h1>Återrapport</h1></body></html>'
    )
    report = FeedbackReportFactory(
        round=dialogue.round,
        region=dialogue.region,
        status=ReportStatus.DONE,
        review_state=ReviewState.PUBLISHED,
        published_at=timezone.now(),
        file=ContentFile(stored, name="aterrapport.pdf"),
    )
    return record_register(
        document=report,
        document_type=DocumentType.FEEDBACK_REPORT,
        direction=Direction.DRAWN_UP,
        cases=(dialogue.round, dialogue),
        region=dialogue.region,
        year=dialogue.round.year,
    )


@pytest.fixture
def closed_round(region_a, region_b, ministry, kalmar_body, registrar):
    """A closed round: Kalmar's submission (marked secret) and published report, Kronoberg's
    submission, and an attachment that is no PDF (a kind registered the way another app would)."""
    round_ = DialogueRoundFactory(year=2031, status=RoundStatus.OPEN)
    kalmar, kronoberg = DialogueFactory(round=round_, region=region_a), DialogueFactory(round=round_, region=region_b)
    secret = _submission(kalmar, "Kalmars resursanvändning")
    secrecy_mark(target=secret, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    records = {
        "secret": secret,
        "report": _published_report(kalmar),
        "kronoberg": _submission(kronoberg, "Kronobergs resursanvändning"),
    }
    document_kind_register(Organisation, title=str, url=lambda o: "", pdf=lambda o: DOCX_MAGIC + b"not really")
    records["attachment"] = record_register(
        document=OrganisationFactory(name="Bilaga"),
        document_type=DocumentType.ATTACHMENT,
        direction=Direction.RECEIVED,
        cases=(round_,),
        region=region_a,
        year=2031,
    )
    round_.status = RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    yield round_, records
    _KINDS.pop(Organisation._meta.label_lower, None)


def _case_of(round_):
    return Case.objects.get(subject_type=ContentType.objects.get_for_model(round_), subject_id=round_.pk)


def _built(case, registrar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        package = archive_package_request(case=case, user=registrar)
    package.refresh_from_db()
    return package


def assert_valid_archive_package(raw: bytes) -> tuple[zipfile.ZipFile, str, etree._Element]:
    """Check a package as the archive receiving it would: METS.xml valid against the METS schema
    shipped in records/schemas/, every file's SHA-256 (in METS and in SHA256SUMS) matching its
    bytes, and each PDF identifying as PDF/A-2B with an output intent. Also used by the browser
    journey (tests/browser/test_public_records_journey.py). Returns the ZIP, its root folder and
    the parsed METS."""
    archive = zipfile.ZipFile(io.BytesIO(raw))
    root = archive.namelist()[0].split("/", 1)[0]
    mets = etree.fromstring(archive.read(f"{root}/{METS_NAME}"))
    schema = mets_schema()
    assert schema.validate(mets), schema.error_log
    files = mets.findall(".//mets:fileSec//mets:file", METS_NS)
    for file in files:
        href = file.find("mets:FLocat", METS_NS).get("{http://www.w3.org/1999/xlink}href")
        assert hashlib.sha256(archive.read(f"{root}/{href}")).hexdigest() == file.get("CHECKSUM"), href
        assert file.get("CHECKSUMTYPE") == "SHA-256"
    sums = [line.split("  ", 1) for line in archive.read(f"{root}/{MANIFEST_NAME}").decode().splitlines()]
    assert METS_NAME in {path for _, path in sums} and len(sums) == len(files) + 1
    assert all(hashlib.sha256(archive.read(f"{root}/{path}")).hexdigest() == digest for digest, path in sums)
    for name in archive.namelist():
        if name.endswith(".pdf"):
            with pikepdf.open(io.BytesIO(archive.read(name))) as pdf:
                metadata = pdf.open_metadata()
                assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("2", "B"), name
                assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
    return archive, root, mets


def test_the_package_holds_every_document_as_pdfa_with_valid_mets_and_matching_checksums(
    closed_round, registrar, django_capture_on_commit_callbacks
):
    round_, records = closed_round

    package = _built(_case_of(round_), registrar, django_capture_on_commit_callbacks)

    assert package.status == PackageStatus.DONE and package.document_count == 4, package.error
    raw = package.file.read()
    assert hashlib.sha256(raw).hexdigest() == package.checksum
    archive, root, mets = assert_valid_archive_package(raw)
    assert len(mets.findall(".//mets:fileSec//mets:file", METS_NS)) == 3 + 4  # three schemas, four documents
    # each PDF identifies as PDF/A-2B: rendered so (submissions) or migrated (the stored report)
    assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 3
    # the attachment that is no PDF is there as it was, its format stated
    attachment = mets.find(f".//mets:file[@DMDID='dmd-record-{records['attachment'].pk}']", METS_NS)
    assert attachment.get("MIMETYPE") == "application/octet-stream"
    href = attachment.find("mets:FLocat", METS_NS).get("{http://www.w3.org/1999/xlink}href")
    assert archive.read(f"{root}/{href}") == DOCX_MAGIC + b"not really"


def test_the_metadata_describes_each_record_its_secrecy_and_the_case_structure(
    closed_round, registrar, django_capture_on_commit_callbacks
):
    round_, records = closed_round

    package = _built(_case_of(round_), registrar, django_capture_on_commit_callbacks)

    archive = zipfile.ZipFile(package.file.open("rb"))
    root = archive.namelist()[0].split("/", 1)[0]
    mets = etree.fromstring(archive.read(f"{root}/{METS_NAME}"))
    secret = mets.find(f".//mets:dmdSec[@ID='dmd-record-{records['secret'].pk}']//rec:record", METS_NS)
    assert secret.findtext("rec:number", namespaces=METS_NS) == records["secret"].number
    assert secret.findtext("rec:documentType", namespaces=METS_NS) == "submission"
    assert secret.findtext("rec:direction", namespaces=METS_NS) == "received"
    assert secret.findtext("rec:sender", namespaces=METS_NS) == "Region Kalmar län"
    assert secret.find("rec:secrecy", METS_NS).get("secret") == "true"
    marking = secret.find("rec:secrecy/rec:marking", METS_NS)
    assert marking.findtext("rec:oslReference", namespaces=METS_NS) == "21 kap. 7 §"
    assert marking.findtext("rec:decidedBy", namespaces=METS_NS) == "Rut Registrator"
    assert marking.findtext("rec:decidedAt", namespaces=METS_NS)
    assert secret.findtext("rec:file/rec:mimeType", namespaces=METS_NS) == "application/pdf"
    assert secret.findtext("rec:file/rec:format", namespaces=METS_NS) == "PDF/A-2B"
    assert len(secret.findtext("rec:file/rec:sha256", namespaces=METS_NS)) == 64
    open_report = mets.find(f".//mets:dmdSec[@ID='dmd-record-{records['report'].pk}']//rec:record", METS_NS)
    assert open_report.find("rec:secrecy", METS_NS).get("secret") == "false"
    # the round's case holds its own record and the two dialogues' cases, each with its records
    cases = mets.find(".//mets:structMap[@TYPE='LOGICAL']/mets:div", METS_NS)
    assert cases.get("TYPE") == "case" and cases.get("DMDID") == f"dmd-case-{_case_of(round_).pk}"
    sub_cases = cases.findall("mets:div[@TYPE='case']", METS_NS)
    assert len(sub_cases) == 2
    assert {div.get("DMDID") for div in cases.findall("mets:div[@TYPE='attachment']", METS_NS)} == {
        f"dmd-record-{records['attachment'].pk}"
    }
    in_kalmar = {div.get("DMDID") for div in sub_cases[0].findall("mets:div", METS_NS)}
    assert in_kalmar == {f"dmd-record-{records['secret'].pk}", f"dmd-record-{records['report'].pk}"}


def test_an_open_round_cannot_be_packaged(closed_round, registrar, english):
    round_, _ = closed_round
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status"])
    case = _case_of(round_)
    english.force_login(registrar)

    response = english.post(reverse("records:archive_create", args=[case.pk]), follow=True)

    assert "Only a closed round can be delivered to an archive." in response.content.decode()
    assert not ArchivePackage.objects.exists()


def test_the_registrar_asks_for_a_package_sees_it_ready_and_each_download_is_audited(
    closed_round, registrar, english, django_capture_on_commit_callbacks
):
    round_, _ = closed_round
    case = _case_of(round_)
    english.force_login(registrar)

    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(reverse("records:archive_create", args=[case.pk]), follow=True)

    assert "The archive package is being built." in response.content.decode()
    package = ArchivePackage.objects.get()
    page = english.get(reverse("records:archive_list")).content.decode()
    assert case.title in page and "Ready" in page and package.checksum in page
    download = english.get(reverse("records:archive_download", args=[package.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == package.checksum
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(Case),
        object_pk=str(case.pk),
        actor=registrar,
    ).exists()


def test_a_second_request_while_one_is_waiting_builds_nothing_twice(closed_round, registrar):
    round_, _ = closed_round
    case = _case_of(round_)

    first = archive_package_request(case=case, user=registrar)  # not built: its task runs on commit
    second = archive_package_request(case=case, user=registrar)

    assert first == second and ArchivePackage.objects.count() == 1


@pytest.mark.parametrize("role", ["ministry_user", "agency_user", "region_user"])
def test_nobody_but_the_registrar_reaches_the_packages(
    closed_round, registrar, role, request, client, django_capture_on_commit_callbacks
):
    round_, _ = closed_round
    case = _case_of(round_)
    package = _built(case, registrar, django_capture_on_commit_callbacks)
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("records:archive_list")).status_code == 404
    assert client.get(reverse("records:archive_download", args=[package.pk])).status_code == 404
    assert client.post(reverse("records:archive_create", args=[case.pk])).status_code == 404
    assert ArchivePackage.objects.count() == 1


def test_the_operators_command_writes_the_package_of_a_closed_year(closed_round, tmp_path, capsys):
    output = tmp_path / "arkiv.zip"

    call_command("records_archive_package", "2031", "--output", str(output))

    archive = zipfile.ZipFile(output)
    assert any(name.endswith(f"/{METS_NAME}") for name in archive.namelist())
    assert "4" in capsys.readouterr().out


@pytest.mark.parametrize("n", (1, 3))
def test_the_package_list_queries_do_not_grow_with_the_rounds(
    n, registrar, english, ministry, django_assert_max_num_queries
):
    for number in range(n):
        round_ = DialogueRoundFactory(year=2040 + number, status=RoundStatus.CLOSED)
        record_register(
            document=SubmissionVersion.objects.create(
                submission=SubmissionFactory(dialogue=DialogueFactory(round=round_)), number=1, data={}
            ),
            document_type=DocumentType.SUBMISSION,
            direction=Direction.RECEIVED,
            cases=(round_,),
            region=None,
            year=round_.year,
        )
        ArchivePackage.objects.create(case=_case_of(round_), status=PackageStatus.FAILED, error="Boom")
    english.force_login(registrar)

    with django_assert_max_num_queries(12):
        page = english.get(reverse("records:archive_list")).content.decode()

    assert page.count("Boom") == n


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_package_the_registrar_asked_for(closed_round, registrar, celery_live_worker):
    round_, _ = closed_round

    package = archive_package_request(case=_case_of(round_), user=registrar)  # queued on commit (autocommit)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        package.refresh_from_db()
        if package.status in (PackageStatus.DONE, PackageStatus.FAILED):
            break
        time.sleep(0.2)
    assert package.status == PackageStatus.DONE, package.error
    assert package.document_count == 4 and hashlib.sha256(package.file.read()).hexdigest() == package.checksum
