"""The worst spreadsheets we can build within the upload limit, for `bench/upload_memory.py` and the tests.

Each builder returns the bytes of one file of at most `LIMIT` bytes. Together they aim at every
bound of `core.spreadsheets.read_rows`: a declared dimension of the whole sheet (the file of the
issue), rows and cells by the hundred thousand, one row as wide as Excel allows, shared strings,
a zip bomb, many zip entries, XML entity expansion, and the same for CSV.
"""

import io
import random
import string
import zipfile

LIMIT = 2 * 1024 * 1024
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_CELLS = '<c r="A1" t="inlineStr"><is><t>länskod</t></is></c><c r="B1" t="inlineStr"><is><t>insats</t></is></c>'
HEADER_CELLS += '<c r="C1" t="inlineStr"><is><t>belopp</t></is></c>'
HEADER_ROW = f'<row r="1">{HEADER_CELLS}</row>'

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def sheet_xml(rows: str, dimension: str = "A1:C2") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def shared_strings_xml(items: str, count: int = 1) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{count}" uniqueCount="{count}">{items}</sst>'
    )


def xlsx(sheet, shared_strings=None, extra: dict | None = None) -> bytes:
    """A minimal workbook; `sheet` and `shared_strings` are text, or chunks of bytes written in a stream."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, part in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared_strings if shared_strings is not None else shared_strings_xml("")),
            *(extra or {}).items(),
        ):
            if isinstance(part, str):
                archive.writestr(name, part)
            else:
                with archive.open(name, "w", force_zip64=True) as stream:
                    for chunk in part:
                        stream.write(chunk)
    return buffer.getvalue()


def _rows_stream(make_row, count: int, chunk_rows: int = 10_000):
    """Sheet XML in chunks: the header row, then `count` rows from make_row(number)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'.encode()
    for start in range(2, count + 2, chunk_rows):
        yield "".join(make_row(n) for n in range(start, min(start + chunk_rows, count + 2))).encode()
    yield b"</sheetData></worksheet>"


# --- XLSX -----------------------------------------------------------------------------------


def declared_whole_sheet() -> bytes:
    """A correct file of two rows whose dimension claims the whole sheet, A1:XFD1048576: it is read."""
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>08</t></is></c><c r="C2"><v>5</v></c></row>'
    return xlsx(sheet_xml(rows, dimension="A1:XFD1048576"))


def the_issues_file() -> bytes:
    """The issue's file: declaring A1:XFD1048576, with a formatted empty cell in the sheet's last cell.
    The reader before issue 13 built a million rows of 16 384 values each."""
    rows = HEADER_ROW + '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    return xlsx(sheet_xml(rows, dimension="A1:XFD1048576"))


def last_row_of_the_sheet() -> bytes:
    """A header row and one cell in row 1 048 576: a million empty rows in between."""
    rows = HEADER_ROW + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    return xlsx(sheet_xml(rows))


def many_tiny_rows() -> bytes:
    """400 000 one-cell rows (each compresses to a few bytes)."""
    return xlsx(_rows_stream(lambda r: f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>', 400_000))


def many_tiny_rows_under_the_zip_bounds() -> bytes:
    """Tiny rows, just under the unpacked-size bound: the row bound must catch it, not the zip check."""
    return xlsx(_rows_stream(lambda r: f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>', 100_000))


def one_wide_row() -> bytes:
    """One row with a cell in every one of Excel's 16 384 columns."""
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(c)}2"><v>1</v></c>' for c in range(1, 16_385))
    return xlsx(sheet_xml(HEADER_ROW + f'<row r="2">{cells}</row>'))


def cell_in_the_last_column() -> bytes:
    """Rows whose only cell sits in column XFD: openpyxl pads each to 16 384 values."""
    return xlsx(_rows_stream(lambda r: f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>', 5_000))


def one_row_of_500_000_cells() -> bytes:
    """A single row of cells without references, as many as the unpacked-size bound allows."""

    def stream():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'.encode()
        yield b'<row r="2">'
        for _ in range(100):
            yield b"<c><v>1</v></c>" * 5_000
        yield b"</row></sheetData></worksheet>"

    return xlsx(stream())


def huge_shared_strings() -> bytes:
    """Shared strings of 1.5 kB of random letters (they hardly compress), referenced from every cell."""
    letters = random.Random(1)  # noqa: S311 (test data, not a secret)
    items = "".join(
        "<si><t>" + "".join(letters.choices(string.ascii_letters, k=1_500)) + "</t></si>" for _ in range(1_700)
    )
    rows = HEADER_ROW + "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{r % 1_700}</v></c><c r="B{r}" t="s"><v>{(r + 1) % 1_700}</v></c></row>'
        for r in range(2, 1_002)
    )
    return xlsx(sheet_xml(rows), shared_strings_xml(items, 1_700))


def many_shared_strings() -> bytes:
    """200 000 tiny shared strings (each a Python object once read)."""

    def stream():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">'.encode()
        for block in range(20):
            yield "".join(f"<si><t>{block * 10_000 + i}</t></si>" for i in range(10_000)).encode()
        yield b"</sst>"

    return xlsx(sheet_xml(HEADER_ROW), stream())


def zip_bomb() -> bytes:
    """A worksheet of 256 MB of spaces, packed to about 250 kB."""

    def stream():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'.encode()
        for _ in range(256):
            yield b" " * (1024 * 1024)
        yield b"</sheetData></worksheet>"

    return xlsx(stream())


def many_zip_entries() -> bytes:
    """A workbook with thousands of extra (empty) parts."""
    return xlsx(sheet_xml(HEADER_ROW), extra={f"xl/media/x{i}.xml": "" for i in range(15_000)})


def entity_expansion() -> bytes:
    """ "Billion laughs" in the shared strings: ten levels of ten references each."""
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    strings = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{NS}"><si><t>&a9;</t></si></sst>'
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(sheet_xml(rows), strings)


def largest_accepted_xlsx() -> bytes:
    """The largest real import: 1000 lines of use with a description of 300 characters each."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["länskod", "län", "insats", "prioritet", "belopp", "godkänt undantag", "beskrivning"])
    for n in range(1000):
        sheet.append(["08", "Kalmar län", "Projektverksamhet", 1, 1000 + n, "nej", f"{n} " + "å" * 295])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV ------------------------------------------------------------------------------------

CSV_HEADER = "länskod;insats;belopp\r\n"


def csv_one_line_of_separators() -> bytes:
    return (CSV_HEADER + ";" * (LIMIT - 100)).encode()


def csv_many_empty_lines() -> bytes:
    return (CSV_HEADER + "\n" * (LIMIT - 100)).encode()


def csv_many_tiny_rows() -> bytes:
    return (CSV_HEADER + "1\n" * ((LIMIT - 100) // 2)).encode()


def csv_one_huge_field() -> bytes:
    return (CSV_HEADER + '08;"' + "x" * (LIMIT - 100) + '";5\r\n').encode()


def csv_unclosed_quote() -> bytes:
    return (CSV_HEADER + '08;"' + "x;\n" * ((LIMIT - 100) // 3)).encode()


def largest_accepted_csv() -> bytes:
    lines = [f"08;Kalmar län;Projektverksamhet;1;{1000 + n};nej;{n} " + "å" * 295 for n in range(1000)]
    header = "länskod;län;insats;prioritet;belopp;godkänt undantag;beskrivning"
    return "\r\n".join([header, *lines]).encode("utf-8")


# (name, builder, what the reader must say): None means the file must be accepted.
HOSTILE = [
    ("XLSX of 2 rows declaring A1:XFD1048576", declared_whole_sheet, None),
    ("XLSX declaring A1:XFD1048576, last cell formatted (the issue's file)", the_issues_file, "rows"),
    ("XLSX with a cell in row 1 048 576", last_row_of_the_sheet, "rows"),
    ("XLSX with 400 000 tiny rows", many_tiny_rows, "unpacks"),
    ("XLSX with 100 000 tiny rows", many_tiny_rows_under_the_zip_bounds, "rows"),
    ("XLSX with one row of 16 384 cells", one_wide_row, "columns"),
    ("XLSX with 5 000 rows in column XFD", cell_in_the_last_column, "columns"),
    ("XLSX with one row of 500 000 cells", one_row_of_500_000_cells, "unpacks"),
    ("XLSX with 1 700 shared strings of 1.5 kB", huge_shared_strings, "characters"),
    ("XLSX with 200 000 shared strings", many_shared_strings, "cells"),
    ("XLSX zip bomb (256 MB of spaces)", zip_bomb, "unpacks"),
    ("XLSX with thousands of zip entries", many_zip_entries, "parts"),
    ("XLSX with entity expansion (billion laughs)", entity_expansion, "declarations"),
    ("CSV with one line of 2 million separators", csv_one_line_of_separators, "cells"),
    ("CSV with 2 million empty lines", csv_many_empty_lines, "rows"),
    ("CSV with a million tiny rows", csv_many_tiny_rows, "rows"),
    ("CSV with one field of 2 MB", csv_one_huge_field, "characters"),
    ("CSV with an unclosed quote", csv_unclosed_quote, "characters"),
    ("largest accepted XLSX (1000 lines)", largest_accepted_xlsx, None),
    ("largest accepted CSV (1000 lines)", largest_accepted_csv, None),
]
