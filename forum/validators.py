"""Checks on uploaded meeting documents: size, and type judged by the content, not the name."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024

# Office Open XML packages are zip files; the part folder tells which application made them.
_OOXML = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_ODT = "application/vnd.oasis.opendocument.text"
ALLOWED_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx", ".odt")


def _zip_kind(upload) -> str | None:
    """The extension the zip content really is (.docx/.xlsx/.pptx/.odt), or None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            # The declared size is checked first, so a crafted archive cannot make us inflate much.
            if (
                names
                and names[0] == "mimetype"
                and archive.getinfo("mimetype").file_size < 100
                and archive.read("mimetype").strip() == _ODT.encode()
            ):
                return ".odt"
            if "[Content_Types].xml" in names:
                for extension, (folder, _type) in _OOXML.items():
                    if any(name.startswith(folder) for name in names):
                        return extension
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_document(upload) -> tuple[str, str] | None:
    """(extension, content type) of a PDF or office document judged by its bytes, else None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf", "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        extension = _zip_kind(upload)
        if extension == ".odt":
            return ".odt", _ODT
        if extension:
            return extension, _OOXML[extension][1]
    return None


def validate_document(upload) -> str:
    """Refuse files that are too big or not what their name says; return the content type."""
    if upload.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is {size}; the largest allowed is {limit}.").format(
                size=filesizeformat(upload.size), limit=filesizeformat(MAX_DOCUMENT_SIZE)
            ),
            code="too_big",
        )
    name = upload.name.lower()
    sniffed = sniff_document(upload)
    if sniffed is None or not name.endswith(sniffed[0]):
        raise ValidationError(
            _(
                "Only PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx) and OpenDocument text (.odt) files "
                "can be attached, and the file's content must match its name."
            ),
            code="bad_type",
        )
    return sniffed[1]
