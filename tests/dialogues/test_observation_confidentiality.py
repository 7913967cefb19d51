"""What of an observation a county may learn (issue 13): only shared observations reach the good
examples every county reads, the published round summary and what the exports call shared."""

import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from dialogues import services
from dialogues.models import Observation
from regions.models import GoodExample
from reports.rendering import report_html
from tests.factories.dialogues import FeedbackReportFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def _observation(dialogue, *, shared: bool, good: bool = True, title="Uppföljning av företagsstöden"):
    return services.observation_create(
        dialogue=dialogue,
        author=None,
        category="learning",
        title=title,
        text="Systematisk uppföljning.",
        shared_with_region=shared,
        is_good_example=good,
    )


def test_observation_good_example_reaches_the_profile_only_while_shared(kalmar_dialogue):
    observation = _observation(kalmar_dialogue, shared=False)
    assert not GoodExample.objects.exists()
    assert observation.good_example is None

    services.observation_update(observation=observation, shared_with_region=True)
    example = GoodExample.objects.get(region=kalmar_dialogue.region)
    assert (example.title, example.summary) == ("Uppföljning av företagsstöden", "Systematisk uppföljning.")

    services.observation_update(observation=observation, shared_with_region=False)
    assert not GoodExample.objects.exists()
    observation.refresh_from_db()
    assert observation.good_example is None and observation.is_good_example  # the mark stays, the example goes


def test_observation_unshared_good_example_is_on_no_page_of_any_county(client, kalmar_dialogue, region_user):
    _observation(kalmar_dialogue, shared=False, title="Departementets interna exempel")
    client.force_login(region_user)
    for url in (
        reverse("regions:goodexample_list"),
        reverse("regions:region_detail", args=[kalmar_dialogue.region.slug]),
    ):
        page = client.get(url).content.decode()
        assert "Departementets interna exempel" not in page
        assert "Inga goda exempel" in page or "Inget gott exempel" in page


def test_migration_withdraws_good_examples_derived_from_unshared_observations(kalmar_dialogue):
    shared = _observation(kalmar_dialogue, shared=True, title="Delat exempel")
    unshared = ObservationFactory(dialogue=kalmar_dialogue, shared_with_region=False, is_good_example=True)
    leaked = GoodExample.objects.create(region=kalmar_dialogue.region, title=unshared.title, year=2016)
    Observation.objects.filter(pk=unshared.pk).update(good_example=leaked)  # as the old code left it
    migration = importlib.import_module("dialogues.migrations.0005_good_examples_only_from_shared_observations")

    migration.withdraw(apps, None)

    assert list(GoodExample.objects.values_list("title", flat=True)) == ["Delat exempel"]
    unshared.refresh_from_db()
    shared.refresh_from_db()
    assert unshared.good_example is None and shared.good_example.title == "Delat exempel"


def test_round_summary_counts_and_names_only_shared_observations(kalmar_dialogue, kronoberg_dialogue):
    ObservationFactory(dialogue=kalmar_dialogue, category="leadership", title="Kalmars delade ledarskap")
    ObservationFactory(dialogue=kronoberg_dialogue, category="leadership", title="Kronobergs delade ledarskap")
    for n in range(3):
        ObservationFactory(
            dialogue=kronoberg_dialogue,
            category="leadership",
            title=f"Intern anteckning {n}",
            shared_with_region=False,
            is_good_example=True,
        )
    summary = FeedbackReportFactory(round=kalmar_dialogue.round, region=None)

    html = report_html(summary)

    assert "Iakttagelser som delats med länen" in html
    figures = html.split('id="report-counts"')[1].split("</dl>")[0]
    assert figures.split("Iakttagelser som delats med länen")[1].split("</dd>")[0].split()[-1] == "2"
    matrix = html.split('id="report-matrix"')[1].split("</table>")[0]
    kronoberg_row = matrix.split("Kronobergs län</th>")[1].split("</tr>")[0]
    assert "<td>1</td>" in kronoberg_row and "<td>3</td>" not in kronoberg_row and "<td>4</td>" not in kronoberg_row
    assert "Kronobergs delade ledarskap" in html and "Intern anteckning" not in html


def test_round_export_xlsx_says_which_observations_are_shared(client, ministry_user, kalmar_dialogue):
    ObservationFactory(dialogue=kalmar_dialogue, category="results", title="Delad iakttagelse")
    ObservationFactory(dialogue=kalmar_dialogue, category="capacity", title="Intern", shared_with_region=False)
    client.force_login(ministry_user)

    response = client.get(reverse("dialogues:round_export_xlsx", args=[kalmar_dialogue.round.pk]))

    rows = list(load_workbook(io.BytesIO(response.content))["Iakttagelser"].iter_rows(values_only=True))
    assert rows[0][-1] == "Delad med länet"
    assert {(row[2], row[-1]) for row in rows[1:]} == {("Delad iakttagelse", "Ja"), ("Intern", "Nej")}


def test_admin_unsharing_an_observation_withdraws_its_good_example(client, admin_user, kalmar_dialogue):
    observation = _observation(kalmar_dialogue, shared=True, title="Delat i admin")
    assert GoodExample.objects.filter(title="Delat i admin").exists()
    client.force_login(admin_user)
    url = reverse("admin:dialogues_observation_change", args=[observation.pk])

    response = client.post(
        url,
        {
            "dialogue": kalmar_dialogue.pk,
            "category": "learning",
            "title": "Delat i admin",
            "text": "Systematisk uppföljning.",
            "is_good_example": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    observation.refresh_from_db()
    assert not observation.shared_with_region and observation.good_example is None
    assert not GoodExample.objects.exists()


def test_admin_removing_an_observation_removes_its_good_example(client, admin_user, kalmar_dialogue):
    observation = _observation(kalmar_dialogue, shared=True, title="Tas bort i admin")
    client.force_login(admin_user)

    response = client.post(reverse("admin:dialogues_observation_delete", args=[observation.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Observation.objects.exists() and not GoodExample.objects.exists()
