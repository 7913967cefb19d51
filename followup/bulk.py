"""Reading a year's frames and conditions, co-financing and result indicators from one spreadsheet.

The same rules as the use import (`importing`): plain functions without database access, checked
against what the caller read (`ImportContext`, `FramesContext`); bounded reading through
core.spreadsheets; every problem listed with its line number, in the user's language; headings in
Swedish whatever the UI language. The formats, one row per county (frames), per county and source
(co-financing) or per indicator (results):

    länskod;län;ram;beslutsdatum;villkor;återrapporteringskrav
    08;Kalmar län;1 234 567;2026-01-15;Villkorstext;Återrapporteringskrav

    länskod;län;källa;belopp
    08;Kalmar län;Regionen;500 000

    länskod;län;prioritet;indikator;enhet;utgångsvärde;mål;utfall
    08;Kalmar län;1;Nya företag;st;10;20;15,5

A frames file changes only the counties in it, and of them only the columns in its header row. A
co-financing or results file replaces the county's co-financing or results for the year.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.spreadsheets import Sheet, SpreadsheetRefused, csv_bytes, restore, xlsx_bytes

from .choices import CoFinancingSource
from .formatting import format_kronor
from .importing import ImportContext, RowError, _text, parse_amount, parse_priority, parse_region_code, read_table

# --- Formats --------------------------------------------------------------------------------

FRAME_COLUMNS = {
    "region_code": "länskod",
    "region_name": "län",
    "frame_amount": "ram",
    "conditions_decided_on": "beslutsdatum",
    "conditions": "villkor",
    "reporting_requirements": "återrapporteringskrav",
}
FRAME_REQUIRED = ("region_code", "frame_amount")
FRAME_TEXT_FIELDS = ("conditions_decided_on", "conditions", "reporting_requirements")

COFINANCING_COLUMNS = {"region_code": "länskod", "region_name": "län", "source": "källa", "amount": "belopp"}
COFINANCING_REQUIRED = ("region_code", "source", "amount")

RESULT_COLUMNS = {
    "region_code": "länskod",
    "region_name": "län",
    "priority": "prioritet",
    "name": "indikator",
    "unit": "enhet",
    "baseline": "utgångsvärde",
    "target": "mål",
    "outcome": "utfall",
}
RESULT_REQUIRED = ("region_code", "name")

SOURCE_NAMES = {
    CoFinancingSource.EU_STRUCTURAL_FUNDS: "EU:s strukturfonder",
    CoFinancingSource.REGION: "Regionen",
    CoFinancingSource.MUNICIPALITIES: "Kommuner",
    CoFinancingSource.OTHER_STATE: "Övrig statlig finansiering",
    CoFinancingSource.PRIVATE: "Privat finansiering",
}
_SOURCE_LOOKUP = {
    **{name.casefold(): code for code, name in SOURCE_NAMES.items()},
    **{code.casefold(): code for code in CoFinancingSource.values},
    **{
        str(label).casefold(): code
        for code, label in zip(CoFinancingSource.values, CoFinancingSource.labels, strict=True)
    },
}
MAX_VALUE = Decimal("999999999999.99")
_NUMBER = re.compile(r"^(?P<sign>[-−–]?)\s*(?P<whole>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](?P<fraction>\d+))?$")


# --- Cells ----------------------------------------------------------------------------------


def parse_date(cell) -> datetime.date | None:
    """A date from a spreadsheet date or text written 2026-01-15; empty is no date."""
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = _text(cell)
    if not text:
        return None
    try:
        value = datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(_("“{value}” is not a date: write it as 2026-01-15.").format(value=text)) from None
    if not 1990 <= value.year <= 2100:
        raise ValueError(_("“{value}” is not a date: write it as 2026-01-15.").format(value=text))
    return value


def parse_source(cell) -> str:
    text = _text(cell)
    if not text:
        raise ValueError(_("The source is missing."))
    try:
        return _SOURCE_LOOKUP[text.casefold()]
    except KeyError:
        raise ValueError(
            _("Unknown source “{value}”: use one of {names}.").format(
                value=text, names=", ".join(SOURCE_NAMES.values())
            )
        ) from None


def parse_decimal(cell) -> Decimal | None:
    """A figure with at most two decimals, "1 234,5" or "1234.5" or a spreadsheet number; empty is none."""
    if isinstance(cell, bool):
        raise ValueError(_("“{value}” is not a number.").format(value=cell))
    if isinstance(cell, int | float | Decimal):
        value = Decimal(str(cell))
    else:
        text = _text(cell)
        if not text:
            return None
        match = _NUMBER.match(text)
        if not match:
            raise ValueError(_("“{value}” is not a number: write for example 1 234,5.").format(value=text))
        digits = re.sub(r"\D", "", match["whole"])
        value = Decimal(f"{digits}.{match['fraction'] or 0}")
        if match["sign"]:
            value = -value
    try:
        rounded = value.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(_("The number is too large ({value}).").format(value=_text(cell))) from None
    if rounded != value:
        raise ValueError(_("Write at most two decimals ({value}).").format(value=_text(cell)))
    if abs(rounded) > MAX_VALUE:
        raise ValueError(_("The number is too large ({value}).").format(value=_text(cell)))
    return rounded


# --- Reading a table --------------------------------------------------------------------------


def _table(content: bytes, columns: dict[str, str], required: tuple[str, ...]):
    """(rows under the header, column index by key, errors): errors mean the file cannot be read at all."""
    try:
        rows = read_table(content)
    except SpreadsheetRefused as refused:
        return [], {}, [RowError(0, refused.message)]
    if not rows:
        return [], {}, [RowError(0, _("The file is empty."))]
    header_line, header = rows[0]
    by_heading = {heading: key for key, heading in columns.items()}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = by_heading.get(_text(cell).casefold())
        if key and key not in found:
            found[key] = index
    missing = [columns[key] for key in required if key not in found]
    if missing:
        message = ngettext(
            "The header row lacks the column {names}; the template shows the header row to use.",
            "The header row lacks the columns {names}; the template shows the header row to use.",
            len(missing),
        )
        return [], found, [RowError(header_line, message.format(names=", ".join(missing)))]
    if len(rows) == 1:
        return [], found, [RowError(0, _("The file has no rows of figures under the header row."))]
    return rows[1:], found, []


def _getter(cells: list, columns: dict[str, int]):
    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    return cell


def _county_problem(code: str | None, context: ImportContext) -> str | None:
    """Why rows for county `code` cannot be imported by this user this year, or None."""
    if code is None:
        return None
    if code not in context.region_names:
        return _("Unknown county code “{code}”.").format(code=code)
    if context.own_region_code and code != context.own_region_code:
        return _("The row is for {county}: you may only import your own county's figures ({own}).").format(
            county=context.region_names[code], own=context.region_names.get(context.own_region_code, "")
        )
    if code not in context.frames:
        return _("{county} has no frame for {year}; the ministry sets the frames first.").format(
            county=context.region_names[code], year=context.year
        )
    return None


@dataclass
class BulkResult:
    """The rows that passed (dataclasses with `line` and `region_code`) and every problem found."""

    lines: list
    errors: list[RowError]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.lines)

    @property
    def region_codes(self) -> list[str]:
        return sorted({line.region_code for line in self.lines})


def _finish(lines: list, errors: list[RowError]) -> BulkResult:
    errors.sort(key=lambda error: error.line)
    return BulkResult(lines, errors)


# --- Frames and conditions ----------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentAllocation:
    """A county's stored frame and conditions for the year, as the preview compares them."""

    frame_amount: Decimal
    conditions_decided_on: datetime.date | None
    conditions: str
    reporting_requirements: str
    version: int
    used: Decimal = Decimal(0)  # use without an approved exception: the frame may not fall below it


@dataclass
class FramesContext:
    year: int
    region_names: dict[str, str]  # county code → name, for every county
    allocations: dict[str, CurrentAllocation]  # county code → its allocation this year


@dataclass(frozen=True)
class FrameRow:
    line: int
    region_code: str
    frame_amount: Decimal
    values: dict = field(default_factory=dict)  # the text columns present in the file → new value


def validate_frames(content: bytes, context: FramesContext) -> BulkResult:
    """Every row of a frames file checked against `context`."""
    rows, columns, errors = _table(content, FRAME_COLUMNS, FRAME_REQUIRED)
    if errors:
        return BulkResult([], errors)
    lines, seen = [], {}
    for number, cells in rows:
        cell = _getter(cells, columns)
        problems, values = [], {}
        code = amount = None
        try:
            code = parse_region_code(cell("region_code"))
        except ValueError as error:
            problems.append(str(error))
        try:
            amount = parse_amount(cell("frame_amount"))
        except ValueError as error:
            problems.append(str(error))
        if "conditions_decided_on" in columns:
            try:
                values["conditions_decided_on"] = parse_date(cell("conditions_decided_on"))
            except ValueError as error:
                problems.append(str(error))
        for key in ("conditions", "reporting_requirements"):
            if key in columns:
                values[key] = restore(_text(cell(key)))
        if code is not None:
            current = context.allocations.get(code)
            if code not in context.region_names:
                problems.append(_("Unknown county code “{code}”.").format(code=code))
            elif current is None:
                problems.append(
                    _("{county} has no allocation for {year}.").format(
                        county=context.region_names[code], year=context.year
                    )
                )
            elif code in seen:
                problems.append(
                    _("{county} is already on line {line}: give each county one row.").format(
                        county=context.region_names[code], line=seen[code]
                    )
                )
            elif amount is not None and amount < current.used:
                problems.append(
                    _(
                        "The frame of {county} ({frame}) would fall below the use already reported ({used}) "
                        "without an approved exception."
                    ).format(
                        county=context.region_names[code], frame=format_kronor(amount), used=format_kronor(current.used)
                    )
                )
            seen.setdefault(code, number)
        if problems:
            errors.extend(RowError(number, problem) for problem in problems)
        else:
            lines.append(FrameRow(line=number, region_code=code, frame_amount=amount, values=values))
    return _finish(lines, errors)


@dataclass(frozen=True)
class FrameChange:
    """One county's preview: old → new frame and which texts change."""

    region_code: str
    region_name: str
    old_frame: Decimal
    new_frame: Decimal
    changed: list  # (label, old, new) of the text columns whose value changes

    @property
    def frame_changes(self) -> bool:
        return self.old_frame != self.new_frame


def frame_changes(result: BulkResult, context: FramesContext, labels: dict[str, str]) -> list[FrameChange]:
    """What saving `result` changes, per county in the file (`labels`: column key → its name on the page)."""
    changes = []
    for row in result.lines:
        current = context.allocations[row.region_code]
        changed = [
            (labels[key], getattr(current, key), new)
            for key, new in row.values.items()
            if (getattr(current, key) or "") != (new or "")
        ]
        changes.append(
            FrameChange(
                region_code=row.region_code,
                region_name=context.region_names[row.region_code],
                old_frame=current.frame_amount,
                new_frame=row.frame_amount,
                changed=changed,
            )
        )
    return changes


def frames_template_rows(region_names: dict[str, str], allocations: dict[str, CurrentAllocation]) -> list[list]:
    """One row per county, with the year's current frame and conditions (empty for a county without one)."""
    rows = []
    for code, name in sorted(region_names.items()):
        current = allocations.get(code)
        if current is None:
            rows.append([code, name, "", "", "", ""])
        else:
            rows.append(
                [
                    code,
                    name,
                    int(current.frame_amount),
                    current.conditions_decided_on or "",
                    current.conditions,
                    current.reporting_requirements,
                ]
            )
    return rows


# --- Co-financing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoFinancingLine:
    line: int
    region_code: str
    source: str
    amount: Decimal


def validate_cofinancing(content: bytes, context: ImportContext) -> BulkResult:
    """Every row of a co-financing file checked against `context`; one row per county and source."""
    rows, columns, errors = _table(content, COFINANCING_COLUMNS, COFINANCING_REQUIRED)
    if errors:
        return BulkResult([], errors)
    lines, seen = [], {}
    for number, cells in rows:
        cell = _getter(cells, columns)
        problems, values = [], {}
        for key, parse in (("region_code", parse_region_code), ("source", parse_source), ("amount", parse_amount)):
            try:
                values[key] = parse(cell(key))
            except ValueError as error:
                problems.append(str(error))
        problem = _county_problem(values.get("region_code"), context)
        if problem:
            problems.append(problem)
        elif "region_code" in values and "source" in values:
            key = (values["region_code"], values["source"])
            if key in seen:
                problems.append(
                    _("{county} already has this source on line {line}: give each source one row.").format(
                        county=context.region_names[key[0]], line=seen[key]
                    )
                )
            seen.setdefault(key, number)
        if problems:
            errors.extend(RowError(number, problem) for problem in problems)
        else:
            lines.append(CoFinancingLine(number, values["region_code"], values["source"], values["amount"]))
    return _finish(lines, errors)


# --- Result indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultLine:
    line: int
    region_code: str
    name: str
    priority_number: int | None = None
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    outcome: Decimal | None = None


def validate_results(content: bytes, context: ImportContext) -> BulkResult:
    """Every row of a results file checked against `context`."""
    rows, columns, errors = _table(content, RESULT_COLUMNS, RESULT_REQUIRED)
    if errors:
        return BulkResult([], errors)
    lines = []
    for number, cells in rows:
        cell = _getter(cells, columns)
        problems, values = [], {}
        for key, parse in (
            ("region_code", parse_region_code),
            ("priority", parse_priority),
            ("baseline", parse_decimal),
            ("target", parse_decimal),
            ("outcome", parse_decimal),
        ):
            try:
                values[key] = parse(cell(key))
            except ValueError as error:
                problems.append(str(error))
        name = restore(_text(cell("name")))
        unit = restore(_text(cell("unit")))
        if not name:
            problems.append(_("The indicator's name is missing."))
        elif len(name) > 300:
            problems.append(_("The indicator's name is longer than {count} characters.").format(count=300))
        if len(unit) > 50:
            problems.append(_("The unit is longer than {count} characters.").format(count=50))
        code = values.get("region_code")
        problem = _county_problem(code, context)
        if problem:
            problems.append(problem)
        elif code and values.get("priority") is not None and (code, values["priority"]) not in context.priorities:
            problems.append(
                _("Unknown priority {number}: the strategy of {county} for {year} has no such priority.").format(
                    number=values["priority"], county=context.region_names[code], year=context.year
                )
            )
        if problems:
            errors.extend(RowError(number, problem) for problem in problems)
        else:
            lines.append(
                ResultLine(
                    line=number,
                    region_code=code,
                    name=name,
                    priority_number=values["priority"],
                    unit=unit,
                    baseline=values["baseline"],
                    target=values["target"],
                    outcome=values["outcome"],
                )
            )
    return _finish(lines, errors)


# --- Writing ------------------------------------------------------------------------------------


def _write(columns: dict[str, str], rows: list[list], fmt: str, *, title: str, widths: tuple) -> bytes:
    header = list(columns.values())
    if fmt == "xlsx":
        return xlsx_bytes([Sheet(title, header, rows, widths=widths)])
    return csv_bytes(header, rows)


def write_frames(rows: list[list], fmt: str) -> bytes:
    return _write(FRAME_COLUMNS, rows, fmt, title="Ramar", widths=(10, 24, 16, 14, 50, 50))


def write_cofinancing(rows: list[list], fmt: str) -> bytes:
    return _write(COFINANCING_COLUMNS, rows, fmt, title="Medfinansiering", widths=(10, 24, 28, 16))


def write_results(rows: list[list], fmt: str) -> bytes:
    return _write(RESULT_COLUMNS, rows, fmt, title="Resultat", widths=(10, 24, 11, 40, 10, 14, 14, 14))


COFINANCING_TEMPLATE_ROWS = [
    ["08", "Kalmar län", "Regionen", 500000],
    ["08", "Kalmar län", "EU:s strukturfonder", 1200000],
]
RESULT_TEMPLATE_ROWS = [
    ["08", "Kalmar län", 1, "Nya företag", "st", 10, 20, 15],
    ["08", "Kalmar län", "", "Deltagare i kompetensinsatser", "personer", 0, 200, ""],
]
