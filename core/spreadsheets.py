"""Spreadsheets in and out, safely: bounded reading of uploaded CSV and XLSX files, and formula-safe writing.

Reading never trusts what a file declares about itself. An XLSX file is a zip of XML parts; before
openpyxl sees it, every entry's size, the unpacked total, the compression ratio and the number of
entries are checked, and every XML part is scanned once with a streaming parser that counts rows,
cells and shared strings and refuses DTDs (entity expansion). Then openpyxl reads the first sheet
in read-only mode with the declared dimension thrown away, under the same caps and a deadline. A
CSV file is bounded in bytes, rows, columns and characters in the same way. What exceeds a bound is
refused with `SpreadsheetRefused`, whose message says which bound, in the user's language.

Writing: text a user typed may begin with `=`, `+`, `-`, `@`, a tab or a carriage return, which a
spreadsheet program would run as a formula (`=HYPERLINK(...)`, `=cmd|...`). Every such string gets a
leading apostrophe (OWASP's advice on CSV injection), and XLSX cells holding text are always typed
as strings, never formulas. Numbers, dates and booleans stay what they are.
"""

import csv
import datetime
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.parsers import expat

from django.utils import timezone
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """The bounds of one read. The defaults suit a table of some hundred rows and a few columns."""

    max_bytes: int = 2 * MB  # the uploaded file itself
    max_rows: int = 1001  # rows with content, the header row included
    max_raw_rows: int = 20_000  # rows in the file, empty ones included (formatting reaches far down)
    max_columns: int = 50
    max_cells: int = 100_000  # cells in the file, empty formatted ones included
    max_chars: int = 2_000_000  # characters of all cells together
    max_cell_chars: int = 2_000
    max_seconds: float = 10.0
    # The zip container of an XLSX file.
    max_zip_entries: int = 64
    max_part_bytes: int = 8 * MB  # one part, unpacked
    max_unpacked_bytes: int = 16 * MB  # all parts, unpacked
    max_ratio: int = 200  # unpacked ÷ packed, for a part above 1 MB unpacked


DEFAULT_LIMITS = ReadLimits()


class SpreadsheetRefused(Exception):
    """The file exceeds a bound or cannot be read; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n // 1024} kB"


def _number(n: int) -> str:
    """20 000, as Swedish writes it."""
    return f"{n:,}".replace(",", "\u00a0")


def _unreadable() -> SpreadsheetRefused:
    return SpreadsheetRefused(_("The file could not be read: upload a CSV or XLSX file."))


def _too_many_rows(limits: ReadLimits, count: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file has more than {count} rows; split it into smaller files.").format(count=_number(count))
    )


def _too_many_columns(limits: ReadLimits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file has more than {count} columns; keep only the columns of the format.").format(
            count=_number(limits.max_columns)
        )
    )


def _too_many_cells(limits: ReadLimits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The file has more than {count} cells (formatted empty cells count too); "
            "copy the rows into a new, empty file and upload that."
        ).format(count=_number(limits.max_cells))
    )


def _too_much_text(limits: ReadLimits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file holds more than {count} characters of text.").format(count=_number(limits.max_chars))
    )


def _cell_too_long(limits: ReadLimits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("A cell holds more than {count} characters.").format(count=_number(limits.max_cell_chars))
    )


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise SpreadsheetRefused(
                _("Reading the file took too long; copy the rows into a new, empty file and upload that.")
            )


def read_rows(content: bytes, *, limits: ReadLimits = DEFAULT_LIMITS) -> list[tuple[int, list]]:
    """The first sheet's rows (XLSX) or the rows (CSV) as (line number, cells), blank rows left out.

    Raises `SpreadsheetRefused` when the file is unreadable or exceeds any of `limits`.
    """
    if len(content) > limits.max_bytes:
        raise SpreadsheetRefused(_("The file is larger than {size}.").format(size=_size(limits.max_bytes)))
    deadline = _Deadline(limits.max_seconds)
    rows = _xlsx_rows(content, limits, deadline) if content.startswith(b"PK") else _csv_rows(content, limits, deadline)
    return list(_bounded(rows, limits, deadline))


def _bounded(rows, limits: ReadLimits, deadline: _Deadline):
    """`rows` with trailing empty cells cut, blank rows left out, every bound checked on the way."""
    raw = cells = chars = kept = 0
    for number, row in rows:
        raw += 1
        if raw > limits.max_raw_rows or number > limits.max_raw_rows:
            raise _too_many_rows(limits, limits.max_raw_rows)
        if raw % 256 == 0:
            deadline.check()
        cells += len(row)
        if cells > limits.max_cells:
            raise _too_many_cells(limits)
        values = list(row)
        while values and _is_empty(values[-1]):
            values.pop()
        if not values:
            continue
        if len(values) > limits.max_columns:
            raise _too_many_columns(limits)
        for value in values:
            if isinstance(value, str):
                if len(value) > limits.max_cell_chars:
                    raise _cell_too_long(limits)
                chars += len(value)
        if chars > limits.max_chars:
            raise _too_much_text(limits)
        kept += 1
        if kept > limits.max_rows:
            raise _too_many_rows(limits, limits.max_rows)
        yield number, values


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- CSV ------------------------------------------------------------------------------------


def _csv_rows(content: bytes, limits: ReadLimits, deadline: _Deadline):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise _unreadable()
    first_line = text[: 64 * 1024].split("\n", 1)[0]
    delimiter = max(";\t,", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger" in str(error):
                raise _cell_too_long(limits) from error
            raise _unreadable() from error
        number += 1
        # A line of thousands of separators would otherwise be counted only after it is split.
        if len(row) > limits.max_columns and any(cell.strip() for cell in row[limits.max_columns :]):
            raise _too_many_columns(limits)
        yield number, row


# --- XLSX -----------------------------------------------------------------------------------

_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)


@dataclass
class _Counts:
    rows: int = 0
    cells: int = 0
    cells_in_row: int = 0
    strings: int = 0
    chars: int = 0
    in_row: bool = False
    open_text: list = field(default_factory=list)


def _xlsx_rows(content: bytes, limits: ReadLimits, deadline: _Deadline):
    _inspect_zip(content, limits, deadline)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except SpreadsheetRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise _unreadable() from error
    try:
        # The declared dimension ("A1:XFD1048576") would make openpyxl pad every row and add empty
        # rows up to it; without it, rows are as long as their last cell and only present ones come.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except SpreadsheetRefused:
        raise
    except Exception as error:
        raise _unreadable() from error
    finally:
        workbook.close()


def _inspect_zip(content: bytes, limits: ReadLimits, deadline: _Deadline) -> None:
    """Refuse a zip that unpacks to too much, has too many entries or XML that is too large or hostile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _unreadable() from error
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_zip_entries:
            raise SpreadsheetRefused(
                _("The XLSX file has more than {count} parts; save it again as a plain workbook.").format(
                    count=_number(limits.max_zip_entries)
                )
            )
        too_large = SpreadsheetRefused(
            _(
                "The XLSX file unpacks to more than the portal reads ({size}); copy the rows into a new, "
                "empty file and upload that."
            ).format(size=_size(limits.max_unpacked_bytes))
        )
        total = 0
        for entry in entries:
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if (
                entry.file_size > limits.max_part_bytes
                or total > limits.max_unpacked_bytes
                or (entry.file_size > MB and ratio > limits.max_ratio)
            ):
                raise too_large
        counts = _Counts()
        for entry in entries:
            if _XML_PART.search(entry.filename):
                _scan_xml(archive, entry, counts, limits, deadline)


def _scan_xml(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, counts: _Counts, limits, deadline) -> None:
    """Count rows, cells and shared strings of one XML part in one streaming pass; refuse DTDs."""

    def refuse_dtd(*args):
        raise SpreadsheetRefused(_("The XLSX file contains XML declarations the portal does not accept."))

    def start(name, attributes):
        local = name.rpartition(":")[2]
        if local == "row":
            counts.rows += 1
            counts.cells_in_row = 0
            row_number = attributes.get("r", "")
            if counts.rows > limits.max_raw_rows or (row_number.isdigit() and int(row_number) > limits.max_raw_rows):
                raise _too_many_rows(limits, limits.max_raw_rows)
        elif local == "c":
            counts.cells += 1
            counts.cells_in_row += 1
            if counts.cells > limits.max_cells:
                raise _too_many_cells(limits)
            if counts.cells_in_row > limits.max_columns or _column(attributes.get("r", "")) > limits.max_columns:
                raise _too_many_columns(limits)
        elif local == "si":
            counts.strings += 1
            if counts.strings > limits.max_cells:
                raise _too_many_cells(limits)

    def text(data):
        counts.chars += len(data)
        if counts.chars > limits.max_chars + limits.max_unpacked_bytes // 4:
            # Markup whitespace counts here as well, hence the margin over the text bound.
            raise _too_much_text(limits)

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    read = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(64 * 1024):
                read += len(chunk)
                if read > limits.max_part_bytes:
                    raise SpreadsheetRefused(
                        _("The XLSX file unpacks to more than the portal reads ({size}).").format(
                            size=_size(limits.max_part_bytes)
                        )
                    )
                parser.Parse(chunk, False)
                deadline.check()
            parser.Parse(b"", True)
    except SpreadsheetRefused:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as error:
        raise _unreadable() from error


_CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})")


def _column(reference: str) -> int:
    """The column number of a cell reference ("C7" → 3); 0 when there is none."""
    match = _CELL_REFERENCE.match(reference)
    number = 0
    for letter in match[1].upper() if match else "":
        number = number * 26 + ord(letter) - 64
    return number


# --- Writing --------------------------------------------------------------------------------

FORMULA_LEADING = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """`value` with an apostrophe in front if a spreadsheet program would read it as a formula."""
    if value.startswith(FORMULA_LEADING) or value.lstrip().startswith(FORMULA_LEADING):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text `neutralise` was given, for a value read back from one of our own files."""
    if value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


def _cell_value(value):
    """What one cell holds: numbers, dates and booleans as they are, everything else as inert text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return neutralise(str(value))


def csv_bytes(header: list, rows: list[list], *, delimiter: str = ";") -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark, which Swedish Excel opens as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([_cell_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


@dataclass
class Sheet:
    """One sheet of a workbook: a header row in bold, then the rows; `widths` per column, in characters."""

    title: str
    header: list
    rows: list[list]
    widths: tuple = ()


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """A workbook with one sheet per `Sheet`; text cells are typed as strings, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(str(spec.title)[:31])
        for row_number, row in enumerate([spec.header, *spec.rows], start=1):
            for column, value in enumerate(row, start=1):
                value = _cell_value(value)
                cell = sheet.cell(row=row_number, column=column)
                if isinstance(value, str):
                    # Control characters are not allowed in XLSX; a hostile one must not break the export.
                    cell.value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
                    cell.data_type = "s"
                else:
                    cell.value = value
                if row_number == 1:
                    cell.font = bold
        for column, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
