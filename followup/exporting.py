"""Downloads of the 1:1 use as CSV or XLSX, written row by row in constant memory.

Every export of the use (one year's, all years') goes through `download`: the rows come from an
iterator (a queryset read in chunks, see `selectors.expenditure_export_rows`), never from a list
of the whole file. A CSV file is streamed to the client while it is written; an XLSX file (a zip,
which cannot be sent before it is complete) is written by openpyxl's write-only workbook, which
keeps rows on disk, to a temporary file that is then sent and deleted.

Cell values pass through the same formula-safe conversion as every other file the portal writes
(`core.spreadsheets`): text that a spreadsheet program would run as a formula gets a leading
apostrophe, XLSX text cells are typed as strings, control characters XLSX forbids are removed.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse

from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, neutralise
from core.spreadsheets import _cell_value as cell_value

from .importing import HEADER

# The columns of the use's file (the import format); the all-years file has the year in front.
YEAR_HEADING = "år"
USE_WIDTHS = (10, 24, 32, 11, 14, 17, 40)
ALL_YEARS_HEADER = [YEAR_HEADING, *HEADER]
ALL_YEARS_WIDTHS = (8, *USE_WIDTHS)

# Rows written to the CSV stream per chunk sent: large enough that the generator's overhead is
# small, small enough that a chunk stays some ten kB.
CSV_ROWS_PER_CHUNK = 200


def csv_chunks(header: list, rows: Iterable[list]) -> Iterator[bytes]:
    """The CSV file in chunks: UTF-8 with a byte-order mark, semicolons, CRLF (what Swedish Excel opens)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell_value(value) for value in header])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell_value(value) for value in row])
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _xlsx_cell(value, illegal):
    value = cell_value(value)  # text already neutralised
    if isinstance(value, str):
        # Control characters are not allowed in XLSX; a hostile one must not break the export, nor
        # hide a formula behind it ("\x01=1+1").
        cleaned = illegal.sub("", value)
        if cleaned != value:
            return neutralise(cleaned)
    return value


def xlsx_file(header: list, rows: Iterable[list], *, title: str, widths: tuple = ()):
    """A temporary file (deleted when closed) holding a one-sheet workbook: the header in bold, then
    `rows`. Text cells are strings, never formulas: after `neutralise` no text begins with "=", the
    only text openpyxl would type as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    # Widths and the frozen header row are written before the first row (write-only order).
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_cell(value, ILLEGAL_CHARACTERS_RE))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(value, ILLEGAL_CHARACTERS_RE) for value in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it, which deletes it)
    try:
        workbook.save(spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def download(
    rows: Iterable[list], *, header: list, fmt: str, name: str, title: str, widths: tuple = ()
) -> StreamingHttpResponse:
    """The response that sends `rows` under `header` as `<name>.<fmt>` (fmt: "csv" or "xlsx")."""
    filename = f"{name}.{fmt}"
    if fmt == "xlsx":
        spool = xlsx_file(header, rows, title=title, widths=widths)
        return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response = StreamingHttpResponse(csv_chunks(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
