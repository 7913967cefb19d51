"""Hostile uploads are refused with the bound they exceed, and the largest accepted import stays usable.

The files are the benchmark's (`bench/hostile_files.py`, `make bench-upload` measures their memory);
here only what a user sees is asserted: the refusal message, nothing stored, pages that work.
"""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from bench import hostile_files
from core.spreadsheets import SpreadsheetRefused, read_rows
from followup import importing
from followup.forms import LINES_PER_PAGE
from followup.models import Expenditure, ImportStash, ResultIndicator
from tests.factories.followup import ExpenditureFactory
from tests.pages import FIRST_AND_LATER_PAGE, page_label, rows_on

pytestmark = pytest.mark.django_db

ENGLISH = {
    "rows": "rows",
    "columns": "columns",
    "cells": "cells",
    "characters": "characters",
    "unpacks": "unpacks to more than the portal reads",
    "parts": "parts",
    "declarations": "XML declarations",
}
SWEDISH = {
    "rows": "rader; dela upp den i mindre filer",
    "columns": "kolumner; behåll bara formatets kolumner",
    "cells": "celler (även formaterade tomma celler räknas)",
    "characters": "tecken",
    "unpacks": "packas upp till mer än portalen läser",
    "parts": "delar; spara den igen som en vanlig arbetsbok",
    "declarations": "XML-deklarationer som portalen inte godtar",
}
REFUSED = [pytest.param(build, bound, id=name) for name, build, bound in hostile_files.HOSTILE if bound]


@pytest.mark.parametrize(("name", "build", "bound"), hostile_files.HOSTILE, ids=[h[0] for h in hostile_files.HOSTILE])
def test_read_rows_hostile_file_of_at_most_the_upload_limit_is_refused_by_its_bound(settings, name, build, bound):
    settings.LANGUAGE_CODE = "en"
    content = build()
    assert len(content) <= importing.READ_LIMITS.max_bytes
    if bound is None:
        assert read_rows(content, limits=importing.READ_LIMITS)[0][0] == 1  # read, header first
        return
    with pytest.raises(SpreadsheetRefused) as refused:
        read_rows(content, limits=importing.READ_LIMITS)
    assert ENGLISH[bound] in refused.value.message


@pytest.mark.parametrize(("build", "bound"), REFUSED)
def test_import_page_hostile_file_is_refused_in_swedish_and_nothing_is_stored(
    client, region_user, year_2015, build, bound
):
    ExpenditureFactory(allocation=year_2015["kalmar"], amount=1000, description="Tidigare rad")
    client.force_login(region_user)
    upload = io.BytesIO(build())
    upload.name = "anvandning.xlsx"
    response = client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload})
    html = response.content.decode()
    assert "Filen sparades inte: 1 problem hittades." in html
    assert SWEDISH[bound] in html
    assert "Spara de importerade siffrorna" not in html
    assert not ImportStash.objects.exists()
    assert list(Expenditure.objects.values_list("description", flat=True)) == ["Tidigare rad"]


def test_import_page_states_the_largest_file_it_accepts(client, region_user, year_2015):
    client.force_login(region_user)
    html = client.get(reverse("followup:import", kwargs={"year": 2015})).content.decode()
    assert "En fil får innehålla högst 1000 rader med användning och vara högst 2 MB" in html


def test_import_one_line_more_than_the_largest_accepted_is_refused(client, region_user, year_2015):
    lines = ["08;Projektverksamhet;1000"] * (importing.MAX_IMPORT_LINES + 1)
    upload = io.BytesIO("\r\n".join(["länskod;insats;belopp", *lines]).encode())
    upload.name = "anvandning.csv"
    client.force_login(region_user)
    html = client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload}).content.decode()
    assert "Filen har fler än 1\u00a0001 rader" in html
    assert not ImportStash.objects.exists()


def _page_data(response) -> dict:
    """What the browser sends back for the use page as rendered: every line's values, unchanged."""
    formset = response.context["formset"]
    data = {formset.add_prefix(key): value for key, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, "", False):
                data[form.add_prefix(name)] = value
    data["version"] = response.context["version_form"]["version"].value()
    return data


def test_largest_accepted_import_saves_and_its_use_page_shows_and_saves_a_page_at_a_time(
    client, region_user, year_2015, django_assert_max_num_queries
):
    client.force_login(region_user)
    upload = io.BytesIO(hostile_files.largest_accepted_xlsx())
    upload.name = "anvandning.xlsx"
    html = client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload}).content.decode()
    assert "Filen är korrekt: 1000 rader" in html
    response = client.post(reverse("followup:import_confirm", kwargs={"year": 2015}), follow=True)
    assert "1000 rader sparades" in response.content.decode()
    assert Expenditure.objects.filter(allocation=year_2015["kalmar"]).count() == 1000

    url = reverse("followup:expenditure_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    with django_assert_max_num_queries(12):
        response = client.get(url + "?page=2")
    html = response.content.decode()
    assert "Rad 51–100 av 1000. Varje sida sparas för sig." in html
    assert "Sida 2 av 20" in html
    data = _page_data(response)
    assert len(data) + 1 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS  # + the CSRF token

    first = response.context["formset"].forms[0]
    data[first.add_prefix("description")] = "Ändrad på sidan 2"
    response = client.post(url + "?page=2", data, follow=True)
    assert "Användningen sparades." in response.content.decode()
    assert Expenditure.objects.filter(description="Ändrad på sidan 2").count() == 1
    assert Expenditure.objects.filter(allocation=year_2015["kalmar"]).count() == 1000


def _lines(kind: str, allocation, n: int) -> None:
    if kind == "expenditure":
        Expenditure.objects.bulk_create(
            Expenditure(allocation=allocation, instrument="projects", amount=1, description=f"Rad {i}")
            for i in range(n)
        )
    else:
        ResultIndicator.objects.bulk_create(
            ResultIndicator(allocation=allocation, name=f"Indikator {i:04d}", unit="st") for i in range(n)
        )


@pytest.mark.parametrize("kind", ("expenditure", "result"))
@pytest.mark.parametrize(
    "n", (pytest.param(LINES_PER_PAGE + 1, id="page+1"), pytest.param(importing.MAX_IMPORT_LINES, id="largest"))
)
@FIRST_AND_LATER_PAGE
def test_lines_page_query_count_does_not_grow_with_lines(
    client, region_user, year_2015, kind, n, page, django_assert_num_queries
):
    _lines(kind, year_2015["kalmar"], n)
    client.force_login(region_user)
    url = reverse(f"followup:{kind}_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    # user, allocation, the count of lines, the page of lines with their priorities, the priorities to choose
    with django_assert_num_queries(5):
        response = client.get(url, {"page": page})
    html = response.content.decode()
    shown = rows_on(page, total=n, per_page=LINES_PER_PAGE)
    first = (page - 1) * LINES_PER_PAGE + 1
    assert f"Rad {first}–{first + shown - 1} av {n}. Varje sida sparas för sig." in html
    assert page_label(page, total=n, per_page=LINES_PER_PAGE) in html
    formset = response.context["formset"]
    assert len(formset.initial_forms) == shown
    assert html.count('class="followup-line"') == shown + formset.extra  # and the new, empty lines
    assert html.count('name="lines-') < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_expenditure_report_more_forms_than_a_page_is_refused_and_saves_nothing(client, region_user, year_2015):
    client.force_login(region_user)
    data = {"lines-TOTAL_FORMS": "60", "lines-INITIAL_FORMS": "0", "version": "1"}
    for index in range(60):
        data |= {f"lines-{index}-instrument": "projects", f"lines-{index}-amount": "1"}
    url = reverse("followup:expenditure_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    html = client.post(url, data).content.decode()
    assert "53" in html  # "Skicka högst 53 formulär."
    assert not Expenditure.objects.exists()


@pytest.mark.parametrize("n", (1, importing.MAX_IMPORT_LINES))
def test_allocation_detail_and_export_at_the_largest_import_keep_their_query_count(
    client, region_user, year_2015, n, django_assert_num_queries
):
    kalmar = year_2015["kalmar"]
    Expenditure.objects.bulk_create(
        Expenditure(allocation=kalmar, instrument="projects", amount=1, description=f"Rad {i}") for i in range(n)
    )
    client.force_login(region_user)
    page = reverse("followup:allocation_detail", kwargs={"slug": "kalmar-lan", "year": 2015})
    with django_assert_num_queries(5):
        first = client.get(page).content.decode()
    with django_assert_num_queries(5):
        last = client.get(page, {"page": -(-n // LINES_PER_PAGE)}).content.decode()
    assert len(re.findall(r"Rad \d+", first)) == min(n, LINES_PER_PAGE)  # a page of lines, not all of them
    assert "Rad 0" in first and f"Rad {n - 1}" in last
    if n > LINES_PER_PAGE:
        assert f"Rader 1–{LINES_PER_PAGE} av {n}." in " ".join(first.split())
    export = client.get(reverse("followup:export", kwargs={"year": 2015, "fmt": "csv"}))
    assert export.getvalue().decode("utf-8-sig").count("\r\n") == n + 1  # the header and every line
