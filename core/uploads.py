"""Checks on uploaded documents (meeting documents, attachments): size, and type judged by the
content, not the name. Nothing a file declares is trusted: a zip's entry list and sizes are read from
its central directory without unpacking anything, and a zip that would unpack to far more than its
size (a zip bomb) or holds thousands of parts is refused before any of it is read."""

import struct
import zipfile
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
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

# Bounds on a document's zip container, read from its directory (nothing is unpacked to check them).
MAX_ZIP_ENTRIES = 5_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # unpacked ÷ packed, for an entry above 1 MB unpacked
_EOCD = b"PK\x05\x06"


class SuspiciousDocument(Exception):
    """The zip container would unpack to far more than it holds, or has too many parts."""


def _zip_entry_count(upload) -> int | None:
    """The entry count the zip's end record declares, read before `zipfile` builds its directory
    (which holds an object per entry); None if there is no plain end record (zip64, or no zip)."""
    upload.seek(0, 2)
    size = upload.tell()
    tail_start = max(0, size - (65_535 + 22))
    upload.seek(tail_start)
    tail = upload.read()
    position = tail.rfind(_EOCD)
    if position < 0 or len(tail) < position + 22:
        return None
    (entries,) = struct.unpack("<H", tail[position + 10 : position + 12])
    return None if entries == 0xFFFF else entries


def _zip_kind(upload) -> str | None:
    """The extension the zip content really is (.docx/.xlsx/.pptx/.odt), or None.

    Raises SuspiciousDocument for a zip bomb or a zip of thousands of parts."""
    try:
        entries = _zip_entry_count(upload)
        if entries is None:
            return None
        if entries > MAX_ZIP_ENTRIES:
            raise SuspiciousDocument
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNPACKED_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                    raise SuspiciousDocument
            names = [info.filename for info in infos]
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
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, struct.error, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_document(upload) -> tuple[str, str] | None:
    """(extension, content type) of a PDF or office document judged by its bytes, else None.

    Raises SuspiciousDocument for a zip bomb or a zip of thousands of parts."""
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
    """Refuse files that are empty, too big or not what their name says; return the content type."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty. Choose a file that has content."), code="empty")
    if upload.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is {size}; the largest allowed is {limit}.").format(
                size=filesizeformat(upload.size), limit=filesizeformat(MAX_DOCUMENT_SIZE)
            ),
            code="too_big",
        )
    name = (upload.name or "").lower()
    try:
        sniffed = sniff_document(upload)
    except SuspiciousDocument:
        raise ValidationError(
            _(
                "The file is packed in a way the portal does not accept (it would unpack to far more than its "
                "size, or it has thousands of parts). Save it again from its program and upload that."
            ),
            code="suspicious",
        ) from None
    if sniffed is None or not name.endswith(sniffed[0]):
        raise ValidationError(
            _(
                "Only PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx) and OpenDocument text (.odt) files "
                "can be attached, and the file's content must match its name."
            ),
            code="bad_type",
        )
    return sniffed[1]


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Writes at most `MAX_DOCUMENT_SIZE` + 1 bytes of an uploaded file to disk and counts the rest.

    A larger file (whatever its part or the request declared) arrives as its first bytes with its
    real size, and every upload form refuses it by that size; the disk never holds more than the
    largest file the portal accepts, however much is sent. (Files under Django's memory limit are
    held in memory by the handler before this one, as before.)
    """

    limit = MAX_DOCUMENT_SIZE + 1

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data, start):
        room = self.limit - self.kept
        if room > 0:
            self.file.write(raw_data[:room])
            self.kept += min(room, len(raw_data))


def safe_filename(name: str, *, max_length: int = 200) -> str:
    """The user's file name without any folder part, control characters or path tricks, at most
    `max_length` characters (the extension kept). Only shown and sent as the download's name."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '/\\:*?"<>|').strip().strip(".")
    if not name:
        return "fil"
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        return name[:max_length]
    return stem[: max_length - len(suffix) - 1] + "." + suffix


class DocumentField(forms.FileField):
    """A file input for one document: what it accepts is stated, and checked by content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("File"))
        kwargs.setdefault("help_text", _("PDF, Word, Excel, PowerPoint or OpenDocument text, at most 20 MB."))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Choose a file to attach."),
                "empty": _("The file is empty. Choose a file that has content."),
            },
        )
        super().__init__(**kwargs)


class AttachmentForm(forms.Form):
    """One file and an optional description; `content_type` is what the file's content is."""

    file = DocumentField()
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=300,
        required=False,
        help_text=_("What the file is, for example 'Action plan 2015'."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = validate_document(upload)
        return upload
