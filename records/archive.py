"""The archive package of a closed round (arkivlagen: delivery to an archive), laid out after
E-ARK CSIP (the common specification Riksarkivet's FGS Paketstruktur follows):

    <package id>/METS.xml                                  the package's METS 1.12 document
    <package id>/SHA256SUMS                                SHA-256 of every other file
    <package id>/schemas/mets.xsd, xlink.xsd, DILCISExtensionMETS.xsd
    <package id>/representations/rep1/data/<case>/<number>.pdf

Every record of the round's case and of its sub-cases (the dialogues) is in it, secret ones too
(the archive keeps them; the marking is in the metadata). Each document is asked of its app through
`records.documents` inside `core.pdf.pdf_archival()`, so what the app renders comes out as PDF/A-2b;
a stored PDF this pipeline made earlier (a published feedback report) is migrated to PDF/A-2b; any
other file (an attachment that is no PDF, or a PDF made elsewhere) goes in as it is, its format
stated. The ZIP is written to a file object as it is made: one document in memory at a time.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from lxml import etree

from core.pdf import pdf_archival, pdfa_from_portal_pdf, pdfa_identification
from core.uploads import SuspiciousDocument, sniff_document

from .documents import document_kind
from .models import Case, Record, SecrecyMarking
from .selectors import ministry_party

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILES = ("mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd")
ENTRY_SCHEMA = SCHEMA_DIR / "archive-package.xsd"
PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
SOFTWARE = "Regionala utvecklingsdialoger"
SOFTWARE_VERSION = "1"

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# The register's own vocabulary for a record's and a case's metadata (in mdWrap/xmlData).
RECORD_NS = "urn:x-rud:records:1"
NSMAP = {"mets": METS, "xlink": XLINK, "csip": CSIP, "xsi": XSI, "rec": RECORD_NS}
SCHEMA_LOCATION = f"{METS} schemas/mets.xsd {XLINK} schemas/xlink.xsd {CSIP} schemas/DILCISExtensionMETS.xsd"
METS_NAME = "METS.xml"
MANIFEST_NAME = "SHA256SUMS"
DATA_DIR = "representations/rep1/data"


def _m(tag: str) -> str:
    return f"{{{METS}}}{tag}"


def _r(tag: str) -> str:
    return f"{{{RECORD_NS}}}{tag}"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text).strip("-") or "x"


@dataclass
class PackedFile:
    """One file written to the package, as METS describes it."""

    path: str
    mime_type: str
    size: int
    checksum: str
    format_name: str
    migrated: bool = False


@dataclass
class PackageResult:
    """What was packaged: the package's id and how many documents (records) it holds."""

    package_id: str
    document_count: int
    files: list[PackedFile] = field(default_factory=list)


def case_tree(case: Case) -> list[Case]:
    """`case` and every case under it, parents before children (one query per level)."""
    cases, level = [case], [case]
    while level:
        level = list(Case.objects.filter(parent__in=level).order_by("pk"))
        cases.extend(level)
    return cases


def package_id(case: Case) -> str:
    stamp = timezone.localtime().strftime("%Y%m%dT%H%M%S")
    return f"RUD-{_safe(case.number) if case.number else f'case-{case.pk}'}-{stamp}"


def _document_file(record: Record) -> tuple[bytes, str, str, str, bool] | None:
    """(content, extension, mime type, format name, migrated) of a record's document, or None
    where its app gives no file."""
    kind = document_kind(record.content_type.model_class())
    document = record.document
    if document is None or kind is None or kind.pdf is None:
        return None
    with pdf_archival():
        content = kind.pdf(document)
    if not content:
        return None
    if content.startswith(b"%PDF-"):
        level = pdfa_identification(content)
        if level:
            return content, ".pdf", "application/pdf", f"PDF/A-{level}", False
        migrated = pdfa_from_portal_pdf(content)
        if migrated is not None:
            return migrated, ".pdf", "application/pdf", f"PDF/A-{pdfa_identification(migrated)}", True
        return content, ".pdf", "application/pdf", "PDF (not PDF/A)", False
    try:
        sniffed = sniff_document(io.BytesIO(content))
    except SuspiciousDocument:
        sniffed = None
    extension, mime_type = sniffed or (".bin", "application/octet-stream")
    return content, extension, mime_type, mime_type, False


def _markings(records: list[Record]) -> dict[int, list[SecrecyMarking]]:
    found: dict[int, list[SecrecyMarking]] = {}
    if not records:
        return found
    markings = SecrecyMarking.objects.filter(
        target_type=ContentType.objects.get_for_model(Record), target_id__in=[r.pk for r in records]
    ).select_related("decided_by", "lifted_by")
    for marking in markings.order_by("decided_at", "pk"):
        found.setdefault(marking.target_id, []).append(marking)
    return found


def _text(parent, tag: str, value) -> None:
    if value not in (None, ""):
        etree.SubElement(parent, _r(tag)).text = str(value)


def _case_xml(parent, case: Case) -> None:
    element = etree.SubElement(parent, _r("case"))
    _text(element, "number", case.number)
    _text(element, "title", case.title)
    _text(element, "opened", case.created_at.isoformat())
    _text(element, "partOf", case.parent.number or case.parent.title if case.parent_id else "")


def _record_xml(parent, record: Record, markings: list[SecrecyMarking], packed: PackedFile | None) -> None:
    element = etree.SubElement(parent, _r("record"))
    _text(element, "number", record.number)
    _text(element, "title", record.title)
    _text(element, "documentType", record.document_type)
    _text(element, "documentTypeLabel", record.get_document_type_display())
    _text(element, "direction", record.direction)
    _text(element, "documentDate", record.document_date.isoformat())
    _text(element, "sender", record.sender_name or (record.sender_organisation or ""))
    _text(element, "recipient", record.recipient_name or (record.recipient_organisation or ""))
    _text(element, "case", record.case.number or record.case.title)
    _text(element, "registered", record.registered_at.isoformat())
    secrecy = etree.SubElement(element, _r("secrecy"), secret="true" if any(m.is_active for m in markings) else "false")
    for marking in markings:
        entry = etree.SubElement(secrecy, _r("marking"), inForce="true" if marking.is_active else "false")
        _text(entry, "oslReference", marking.osl_reference)
        _text(entry, "reason", marking.reason)
        _text(entry, "decidedBy", marking.decided_by.get_full_name() or marking.decided_by.email)
        _text(entry, "decidedAt", marking.decided_at.isoformat())
        if marking.lifted_at:
            _text(entry, "liftedBy", marking.lifted_by.get_full_name() or marking.lifted_by.email)
            _text(entry, "liftedAt", marking.lifted_at.isoformat())
    if packed is None:
        etree.SubElement(element, _r("noFile"))
        return
    file = etree.SubElement(element, _r("file"))
    _text(file, "name", packed.path.rsplit("/", 1)[-1])
    _text(file, "path", packed.path)
    _text(file, "mimeType", packed.mime_type)
    _text(file, "format", packed.format_name)
    _text(file, "sha256", packed.checksum)
    _text(file, "size", packed.size)
    if packed.migrated:
        _text(file, "migration", "PDF/UA-1 -> PDF/A-2B (output intent and identification added, pages unchanged)")


def _mets(
    *,
    case: Case,
    cases: list[Case],
    records: list[Record],
    packed: dict[int, PackedFile],
    schemas: list[PackedFile],
    markings: dict[int, list[SecrecyMarking]],
    objid: str,
) -> bytes:
    now = timezone.now().isoformat()
    root = etree.Element(
        _m("mets"),
        nsmap=NSMAP,
        OBJID=objid,
        LABEL=case.title,
        TYPE="OTHER",
        PROFILE=PROFILE,
    )
    root.set(f"{{{CSIP}}}OTHERTYPE", "Dialogue round case (records)")
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "OTHER")
    root.set(f"{{{CSIP}}}OTHERCONTENTINFORMATIONTYPE", RECORD_NS)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)

    header = etree.SubElement(root, _m("metsHdr"), CREATEDATE=now, RECORDSTATUS="NEW")
    header.set(f"{{{CSIP}}}OAISPACKAGETYPE", "SIP")
    organisation = etree.SubElement(header, _m("agent"), ROLE="CREATOR", TYPE="ORGANIZATION")
    etree.SubElement(organisation, _m("name")).text = ministry_party()[1]
    software = etree.SubElement(header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    etree.SubElement(software, _m("name")).text = SOFTWARE
    note = etree.SubElement(software, _m("note"))
    note.text = SOFTWARE_VERSION
    note.set(f"{{{CSIP}}}NOTETYPE", "SOFTWARE VERSION")

    for item in cases:
        section = etree.SubElement(root, _m("dmdSec"), ID=f"dmd-case-{item.pk}", CREATED=now)
        wrap = etree.SubElement(section, _m("mdWrap"), MDTYPE="OTHER", OTHERMDTYPE="RUD-CASE", MIMETYPE="text/xml")
        _case_xml(etree.SubElement(wrap, _m("xmlData")), item)
    for record in records:
        section = etree.SubElement(root, _m("dmdSec"), ID=f"dmd-record-{record.pk}", CREATED=now)
        wrap = etree.SubElement(section, _m("mdWrap"), MDTYPE="OTHER", OTHERMDTYPE="RUD-RECORD", MIMETYPE="text/xml")
        _record_xml(etree.SubElement(wrap, _m("xmlData")), record, markings.get(record.pk, []), packed.get(record.pk))

    file_sec = etree.SubElement(root, _m("fileSec"), ID="filesec")

    def file_element(group, packed_file: PackedFile, file_id: str, dmd: str | None = None):
        attributes = {
            "ID": file_id,
            "MIMETYPE": packed_file.mime_type,
            "SIZE": str(packed_file.size),
            "CREATED": now,
            "CHECKSUM": packed_file.checksum,
            "CHECKSUMTYPE": "SHA-256",
        }
        if dmd:
            attributes["DMDID"] = dmd
        element = etree.SubElement(group, _m("file"), **attributes)
        location = etree.SubElement(element, _m("FLocat"), LOCTYPE="URL")
        location.set(f"{{{XLINK}}}type", "simple")
        location.set(f"{{{XLINK}}}href", packed_file.path)

    schema_group = etree.SubElement(file_sec, _m("fileGrp"), ID="grp-schemas", USE="Schemas")
    for number, schema in enumerate(schemas, start=1):
        file_element(schema_group, schema, f"file-schema-{number}")
    data_group = etree.SubElement(file_sec, _m("fileGrp"), ID="grp-rep1", USE="Representations/rep1")
    for record in records:
        if record.pk in packed:
            file_element(data_group, packed[record.pk], f"file-record-{record.pk}", f"dmd-record-{record.pk}")

    physical = etree.SubElement(root, _m("structMap"), ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP")
    top = etree.SubElement(physical, _m("div"), ID="div-package", LABEL=objid)
    schema_div = etree.SubElement(top, _m("div"), ID="div-schemas", LABEL="Schemas")
    for number in range(1, len(schemas) + 1):
        etree.SubElement(schema_div, _m("fptr"), FILEID=f"file-schema-{number}")
    rep_div = etree.SubElement(top, _m("div"), ID="div-rep1", LABEL="Representations/rep1")
    for record in records:
        if record.pk in packed:
            etree.SubElement(rep_div, _m("fptr"), FILEID=f"file-record-{record.pk}")

    # The round's case and its sub-cases, each with its records (files where there are).
    logical = etree.SubElement(root, _m("structMap"), ID="structmap-cases", TYPE="LOGICAL", LABEL="Cases")
    by_case: dict[int, list[Record]] = {}
    for record in records:
        by_case.setdefault(record.case_id, []).append(record)
    children: dict[int | None, list[Case]] = {}
    for item in cases:
        children.setdefault(item.parent_id, []).append(item)

    def case_div(parent, item: Case) -> None:
        div = etree.SubElement(
            parent, _m("div"), ID=f"div-case-{item.pk}", TYPE="case", LABEL=str(item), DMDID=f"dmd-case-{item.pk}"
        )
        for record in by_case.get(item.pk, []):
            record_div = etree.SubElement(
                div,
                _m("div"),
                ID=f"div-record-{record.pk}",
                TYPE=record.document_type,
                LABEL=str(record),
                DMDID=f"dmd-record-{record.pk}",
            )
            if record.pk in packed:
                etree.SubElement(record_div, _m("fptr"), FILEID=f"file-record-{record.pk}")
        for child in children.get(item.pk, []):
            case_div(div, child)

    case_div(logical, case)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def mets_schema() -> etree.XMLSchema:
    """The METS 1.12 schema with xlink and the CSIP extension, all read from records/schemas/."""
    return etree.XMLSchema(etree.parse(str(ENTRY_SCHEMA)))


def records_of(cases: list[Case]):
    return (
        Record.objects.filter(case__in=cases)
        .select_related("case", "content_type", "sender_organisation", "recipient_organisation")
        .order_by("case_id", "document_date", "number", "pk")
    )


def package_write(case: Case, out) -> PackageResult:
    """Write the archive package of `case` (a round's case) as a ZIP to the binary file `out`."""
    objid = package_id(case)
    cases = case_tree(case)
    records = list(records_of(cases))
    markings = _markings(records)
    sums: list[tuple[str, str]] = []
    packed: dict[int, PackedFile] = {}
    schemas: list[PackedFile] = []
    result = PackageResult(package_id=objid, document_count=len(records))

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, content: bytes, mime_type: str, format_name: str, migrated: bool = False) -> PackedFile:
            archive.writestr(f"{objid}/{path}", content)
            checksum = hashlib.sha256(content).hexdigest()
            sums.append((checksum, path))
            return PackedFile(path, mime_type, len(content), checksum, format_name, migrated)

        for name in SCHEMA_FILES:
            schemas.append(add(f"schemas/{name}", (SCHEMA_DIR / name).read_bytes(), "application/xml", "XML Schema"))
        folders = {item.pk: _safe(item.number or f"case-{item.pk}") for item in cases}
        for record in records:
            found = _document_file(record)
            if found is None:
                continue
            content, extension, mime_type, format_name, migrated = found
            name = _safe(record.number or f"record-{record.pk}") + extension
            packed[record.pk] = add(
                f"{DATA_DIR}/{folders[record.case_id]}/{name}", content, mime_type, format_name, migrated
            )
            del content, found
        mets = _mets(
            case=case, cases=cases, records=records, packed=packed, schemas=schemas, markings=markings, objid=objid
        )
        add(METS_NAME, mets, "application/xml", "METS 1.12")
        manifest = "".join(f"{checksum}  {path}\n" for checksum, path in sorted(sums, key=lambda item: item[1]))
        archive.writestr(f"{objid}/{MANIFEST_NAME}", manifest)
    result.files = [*schemas, *packed.values()]
    return result
