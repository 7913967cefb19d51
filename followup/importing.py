"""Reading and writing one year's reported use of the 1:1 money as CSV or XLSX.

Plain functions without database access: the caller passes what the rows are checked against
(`ImportContext`), so every rule can be tested on its own. The file format, one row per line of use:

    länskod;län;insats;prioritet;belopp;godkänt undantag;beskrivning
    08;Kalmar län;Projektverksamhet;1;1 234 567;nej;Innovationsprojekt

`länskod`, `insats` and `belopp` are required, the others may be left out or empty; `län` is only
for people reading the file. Amounts are whole kronor, written "1 234 567", "1 234 567,00" or
"1234567". The same format comes back out of `write_csv` and `write_xlsx`.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.spreadsheets import ReadLimits, Sheet, SpreadsheetRefused, csv_bytes, read_rows, restore, xlsx_bytes

from .choices import Instrument
from .formatting import format_kronor

MAX_AMOUNT = Decimal(10**14 - 1)

# Column headings in the file (Swedish whatever the UI language, so that a file travels between users).
COLUMNS = {
    "region_code": "länskod",
    "region_name": "län",
    "instrument": "insats",
    "priority": "prioritet",
    "amount": "belopp",
    "approved_exception": "godkänt undantag",
    "description": "beskrivning",
}
REQUIRED = ("region_code", "instrument", "amount")
HEADER = list(COLUMNS.values())

# The instrument as written in the file; the code and the English name are accepted as well.
INSTRUMENT_NAMES = {
    Instrument.PROJECTS: "Projektverksamhet",
    Instrument.BUSINESS_SUPPORT: "Regionala företagsstöd",
    Instrument.COMMERCIAL_SERVICE: "Kommersiell service",
    Instrument.EU_COFINANCING: "Medfinansiering av EU-program",
    Instrument.OTHER: "Övrigt",
}
_INSTRUMENT_LOOKUP = {
    **{name.casefold(): code for code, name in INSTRUMENT_NAMES.items()},
    **{code.casefold(): code for code in Instrument.values},
    **{str(label).casefold(): code for code, label in zip(Instrument.values, Instrument.labels, strict=True)},
}
_YES = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
_NO = {"", "nej", "n", "no", "0", "false", "falskt"}

_AMOUNT = re.compile(r"^(?P<sign>[-−–]?)\s*(?P<whole>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](?P<fraction>\d+))?$")


@dataclass(frozen=True)
class RowError:
    """Why one line of the file cannot be imported. Line 1 is the header row."""

    line: int
    message: str


@dataclass(frozen=True)
class Line:
    """One valid line of use, ready to be saved."""

    line: int
    region_code: str
    instrument: str
    amount: Decimal
    priority_number: int | None = None
    approved_exception: bool = False
    description: str = ""


@dataclass
class ImportContext:
    """What the rows are checked against, read from the database by the caller."""

    year: int
    region_names: dict[str, str]  # county code → name, for every county
    frames: dict[str, Decimal]  # county code → frame, for the counties with a frame this year
    priorities: set[tuple[str, int]] = field(default_factory=set)  # (county code, number) in force this year
    own_region_code: str | None = None  # a regional user's county: only its rows may be imported
    may_mark_exceptions: bool = True


@dataclass
class ImportResult:
    lines: list[Line]
    errors: list[RowError]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.lines)

    def totals_by_region(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            totals[line.region_code] += line.amount
        return dict(sorted(totals.items()))


# The largest file the portal accepts: a county reports tens of lines of use a year, at most a few hundred,
# and the ministry's file for all 21 counties stays well below this.
MAX_IMPORT_LINES = 1000
READ_LIMITS = ReadLimits(max_bytes=2 * 1024 * 1024, max_rows=MAX_IMPORT_LINES + 1)


# --- Reading --------------------------------------------------------------------------------


def read_table(content: bytes) -> list[tuple[int, list]]:
    """The file's rows as (line number, cells), the header first; blank rows left out.

    Raises `SpreadsheetRefused` for a file that cannot be read or exceeds `READ_LIMITS`.
    """
    return read_rows(content, limits=READ_LIMITS)


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


# --- Cells ----------------------------------------------------------------------------------


def parse_amount(cell) -> Decimal:
    """Whole kronor from "1 234 567", "1 234 567,00", "1234567", "1234567.00" or a spreadsheet number.

    Raises ValueError with the reason in the user's language.
    """
    if isinstance(cell, bool):
        raise ValueError(_("“{value}” is not a number.").format(value=cell))
    if isinstance(cell, int | float | Decimal):
        try:
            amount = Decimal(str(cell))
        except InvalidOperation as error:
            raise ValueError(_("“{value}” is not a number.").format(value=cell)) from error
    else:
        text = _text(cell)
        if not text:
            raise ValueError(_("The amount is missing."))
        text = re.sub(r"\s*kr$", "", text, flags=re.IGNORECASE)
        match = _AMOUNT.match(text)
        if not match:
            raise ValueError(
                _(
                    "“{value}” is not a number: write whole kronor, for example 1 234 567, 1 234 567,00 or 1234567."
                ).format(value=_text(cell))
            )
        digits = re.sub(r"\D", "", match["whole"])
        amount = Decimal(f"{digits}.{match['fraction'] or 0}")
        if match["sign"]:
            amount = -amount
    if amount < 0:
        raise ValueError(_("The amount cannot be negative ({value}).").format(value=_text(cell)))
    if amount != amount.to_integral_value():
        raise ValueError(_("The amount must be whole kronor ({value}).").format(value=_text(cell)))
    if amount > MAX_AMOUNT:
        raise ValueError(_("The amount is too large ({value}).").format(value=_text(cell)))
    return amount.quantize(Decimal(1))


def parse_instrument(cell) -> str:
    text = _text(cell)
    if not text:
        raise ValueError(_("The instrument is missing."))
    try:
        return _INSTRUMENT_LOOKUP[text.casefold()]
    except KeyError:
        raise ValueError(
            _("Unknown instrument “{value}”: use one of {names}.").format(
                value=text, names=", ".join(INSTRUMENT_NAMES.values())
            )
        ) from None


def parse_priority(cell) -> int | None:
    text = _text(cell)
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(
            _("The priority must be the priority's number in the strategy (“{value}”).").format(value=text)
        )
    return int(text)


def parse_flag(cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _text(cell).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("Approved exception must be “ja” or “nej” (“{value}”).").format(value=_text(cell)))


def parse_region_code(cell) -> str:
    text = _text(cell)
    if not text:
        raise ValueError(_("The county code is missing."))
    return text.zfill(2) if text.isdigit() else text


# --- Checking -------------------------------------------------------------------------------


def _columns(header: list) -> dict[str, int]:
    by_heading = {heading: key for key, heading in COLUMNS.items()}
    found = {}
    for index, cell in enumerate(header):
        key = by_heading.get(_text(cell).casefold())
        if key and key not in found:
            found[key] = index
    return found


def validate(content: bytes, context: ImportContext) -> ImportResult:
    """Every line of the file checked against `context`; every problem listed with its line number."""
    try:
        rows = read_table(content)
    except SpreadsheetRefused as refused:
        return ImportResult([], [RowError(0, refused.message)])
    if not rows:
        return ImportResult([], [RowError(0, _("The file is empty."))])
    header_line, header = rows[0]
    columns = _columns(header)
    missing = [COLUMNS[key] for key in REQUIRED if key not in columns]
    if missing:
        message = ngettext(
            "The header row lacks the column {names}; the template shows the header row to use.",
            "The header row lacks the columns {names}; the template shows the header row to use.",
            len(missing),
        )
        return ImportResult([], [RowError(header_line, message.format(names=", ".join(missing)))])
    if len(rows) == 1:
        return ImportResult([], [RowError(0, _("The file has no rows of figures under the header row."))])

    lines, errors = [], []
    for number, cells in rows[1:]:
        line, problems = _check_row(number, cells, columns, context)
        errors.extend(RowError(number, problem) for problem in problems)
        if line:
            lines.append(line)
    errors.extend(_check_frames(lines, context))
    errors.sort(key=lambda error: error.line)
    return ImportResult(lines, errors)


def _check_row(number: int, cells: list, columns: dict[str, int], context: ImportContext):
    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    problems = []
    values = {}
    for key, parse in (
        ("region_code", parse_region_code),
        ("instrument", parse_instrument),
        ("priority", parse_priority),
        ("amount", parse_amount),
        ("approved_exception", parse_flag),
    ):
        try:
            values[key] = parse(cell(key))
        except ValueError as error:
            problems.append(str(error))

    code = values.get("region_code")
    if code is not None:
        if code not in context.region_names:
            problems.append(_("Unknown county code “{code}”.").format(code=code))
        elif context.own_region_code and code != context.own_region_code:
            problems.append(
                _("The row is for {county}: you may only import your own county's figures ({own}).").format(
                    county=context.region_names[code], own=context.region_names.get(context.own_region_code, "")
                )
            )
        elif code not in context.frames:
            problems.append(
                _("{county} has no frame for {year}; the ministry sets the frames first.").format(
                    county=context.region_names[code], year=context.year
                )
            )
        elif values.get("priority") is not None and (code, values["priority"]) not in context.priorities:
            problems.append(
                _("Unknown priority {number}: the strategy of {county} for {year} has no such priority.").format(
                    number=values["priority"], county=context.region_names[code], year=context.year
                )
            )
    if values.get("approved_exception") and not context.may_mark_exceptions:
        problems.append(_("Only the ministry and the agency may mark use as an approved exception."))

    if problems:
        return None, problems
    line = Line(
        line=number,
        region_code=code,
        instrument=values["instrument"],
        amount=values["amount"],
        priority_number=values["priority"],
        approved_exception=values["approved_exception"],
        description=restore(_text(cell("description")))[:300],
    )
    return line, []


def _check_frames(lines: list[Line], context: ImportContext) -> list[RowError]:
    """The file replaces a county's use for the year: without an approved exception it must fit the frame."""
    errors = []
    running: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.approved_exception:
            continue
        before = running[line.region_code]
        running[line.region_code] = before + line.amount
        frame = context.frames[line.region_code]
        if before <= frame < running[line.region_code]:
            message = _(
                "With this row the use in {county} ({used}) exceeds the frame for {year} ({frame}). "
                "Use above the frame needs an approved exception."
            )
            errors.append(
                RowError(
                    line.line,
                    message.format(
                        county=context.region_names[line.region_code],
                        used=format_kronor(running[line.region_code]),
                        year=context.year,
                        frame=format_kronor(frame),
                    ),
                )
            )
    return errors


# --- Writing --------------------------------------------------------------------------------


def export_row(
    *,
    region_code: str,
    region_name: str,
    instrument: str,
    priority_number: int | None,
    amount: Decimal,
    approved_exception: bool,
    description: str,
) -> list:
    return [
        region_code,
        region_name,
        INSTRUMENT_NAMES.get(instrument, instrument),
        priority_number if priority_number is not None else "",
        int(amount),
        "ja" if approved_exception else "nej",
        description,
    ]


def write_csv(rows: list[list]) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark, which Swedish Excel opens as it is."""
    return csv_bytes(HEADER, rows)


def write_xlsx(rows: list[list], *, title: str = "Användning") -> bytes:
    return xlsx_bytes([Sheet(title, HEADER, rows, widths=(10, 24, 32, 11, 14, 17, 40))])


TEMPLATE_ROWS = [
    ["08", "Kalmar län", "Projektverksamhet", 1, 1234567, "nej", "Exempel: innovationsprojekt"],
    ["08", "Kalmar län", "Regionala företagsstöd", "", 500000, "nej", "Exempel: investeringsstöd"],
]
