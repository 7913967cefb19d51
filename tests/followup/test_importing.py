from decimal import Decimal

import pytest

from followup import importing
from followup.importing import ImportContext, parse_amount
from tests.followup.conftest import csv_bytes, xlsx


def _context(**overrides) -> ImportContext:
    values = {
        "year": 2015,
        "region_names": {"07": "Kronobergs län", "08": "Kalmar län"},
        "frames": {"07": Decimal(5_000_000), "08": Decimal(10_000_000)},
        "priorities": {("08", 1), ("08", 2)},
    }
    return ImportContext(**(values | overrides))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234 567", 1234567),
        ("1\u00a0234\u00a0567", 1234567),
        ("1\u202f234\u202f567", 1234567),
        ("1 234 567,00", 1234567),
        ("1234567", 1234567),
        ("1234567,00", 1234567),
        ("1234567.00", 1234567),
        ("1 234 567 kr", 1234567),
        (" 0 ", 0),
        (1234567, 1234567),
        (1234567.0, 1234567),
    ],
)
def test_parse_amount_swedish_and_plain_formats_give_whole_kronor(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5 000", "cannot be negative"),
        ("−5000", "cannot be negative"),
        ("12,50", "whole kronor"),
        ("1,234,567", "is not a number"),
        ("1.234.567", "is not a number"),
        ("12 34", "is not a number"),
        ("tolv", "is not a number"),
        ("", "missing"),
        ("999999999999999", "too large"),
    ],
)
def test_parse_amount_bad_values_give_the_reason(text, reason, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValueError, match=reason):
        parse_amount(text)


def test_validate_file_with_three_bad_rows_lists_each_line_and_reason():
    content = csv_bytes(
        "länskod;län;insats;prioritet;belopp;godkänt undantag;beskrivning\n"
        "08;Kalmar län;Projektverksamhet;1;1 000 000;nej;Bra rad\n"
        "99;Okänt län;Projektverksamhet;;1000;;\n"
        "08;Kalmar län;Regionala företagsstöd;;-200;;\n"
        "08;Kalmar län;Projektverksamhet;7;200 000;;\n"
        "08;Kalmar län;Kommersiell service;;50 000,00;;\n"
    )
    result = importing.validate(content, _context())
    assert not result.is_valid
    assert [(e.line, e.message) for e in result.errors] == [
        (3, "Okänd länskod ”99”."),
        (4, "Beloppet får inte vara negativt (-200)."),
        (5, "Okänd prioritering 7: strategin för Kalmar län för 2015 har ingen sådan prioritering."),
    ]


def test_validate_corrected_file_is_valid_with_totals_per_county():
    content = xlsx(
        [
            ["08", "Kalmar län", "Projektverksamhet", 1, "1 000 000", "nej", "Innovation"],
            ["8", "Kalmar län", "projects", 2, 250000, "", ""],
            ["07", "Kronobergs län", "Medfinansiering av EU-program", "", "1 234 567,00", "", ""],
        ]
    )
    result = importing.validate(content, _context())
    assert result.errors == []
    assert result.is_valid
    assert result.totals_by_region() == {"07": Decimal(1234567), "08": Decimal(1250000)}
    assert result.lines[1].region_code == "08"
    assert result.lines[1].priority_number == 2


def test_validate_file_failing_only_on_its_last_row_is_invalid():
    good, bad = ["08", "", "Projektverksamhet", "", 1000, "", ""], ["08", "", "Projektverksamhet", "", "1 2 3", "", ""]
    rows = [good] * 20 + [bad]
    result = importing.validate(xlsx(rows), _context())
    assert not result.is_valid
    assert [e.line for e in result.errors] == [22]


def test_validate_regional_user_rows_of_another_county_are_refused():
    content = xlsx(
        [
            ["07", "", "Projektverksamhet", "", 1000, "", ""],
            ["08", "", "Projektverksamhet", "", 1000, "", ""],
        ]
    )
    result = importing.validate(content, _context(own_region_code="07"))
    assert [(e.line, e.message) for e in result.errors] == [
        (3, "Raden gäller Kalmar län: du får bara importera ditt eget läns siffror (Kronobergs län).")
    ]


def test_validate_use_above_the_frame_is_refused_unless_an_approved_exception():
    over = xlsx(
        [
            ["07", "", "Projektverksamhet", "", 4_000_000, "", ""],
            ["07", "", "Övrigt", "", 2_000_000, "", ""],
        ]
    )
    result = importing.validate(over, _context())
    assert [e.line for e in result.errors] == [3]
    assert "överstiger användningen i Kronobergs län (6\u00a0000\u00a0000\u00a0kr)" in result.errors[0].message
    assert "ramen för 2015 (5\u00a0000\u00a0000\u00a0kr)" in result.errors[0].message

    excepted = xlsx(
        [
            ["07", "", "Projektverksamhet", "", 4_000_000, "", ""],
            ["07", "", "Övrigt", "", 2_000_000, "ja", ""],
        ]
    )
    assert importing.validate(excepted, _context()).is_valid
    refused = importing.validate(excepted, _context(may_mark_exceptions=False))
    assert [e.line for e in refused.errors] == [3]


def test_validate_missing_column_and_unreadable_file_are_explained():
    no_amount = csv_bytes("länskod;insats\n08;Projektverksamhet\n")
    assert "belopp" in importing.validate(no_amount, _context()).errors[0].message
    broken = b"PK\x03\x04 not really a workbook"
    assert "kunde inte läsas" in importing.validate(broken, _context()).errors[0].message
    header_only = csv_bytes("länskod;insats;belopp\n")
    assert not importing.validate(header_only, _context()).is_valid


def test_validate_comma_separated_csv_with_quoted_swedish_amounts():
    content = csv_bytes('länskod,insats,belopp\n08,Projektverksamhet,"1 234 567,00"\n')
    result = importing.validate(content, _context())
    assert result.is_valid
    assert result.lines[0].amount == Decimal(1234567)


def test_write_csv_and_xlsx_read_back_as_the_same_lines():
    rows = [
        importing.export_row(
            region_code="08",
            region_name="Kalmar län",
            instrument="projects",
            priority_number=1,
            amount=Decimal(1234567),
            approved_exception=False,
            description="Innovation",
        )
    ]
    for content in (importing.write_csv(rows), importing.write_xlsx(rows)):
        result = importing.validate(content, _context())
        assert result.is_valid, result.errors
        assert result.lines[0] == importing.Line(
            line=2,
            region_code="08",
            instrument="projects",
            amount=Decimal(1234567),
            priority_number=1,
            approved_exception=False,
            description="Innovation",
        )
