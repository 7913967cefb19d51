"""The register shows documents of apps it does not import through the kinds they register."""

import pytest
from django.urls import reverse

from records.choices import Direction, DocumentType
from records.documents import document_kind, registered_labels
from records.services import record_register
from regions.models import Organisation
from tests.factories.regions import OrganisationFactory


def test_every_kind_of_document_the_events_register_is_known_to_the_register():
    kinds = {
        "dialogues.submissionversion",
        "dialogues.brief",
        "reports.feedbackreport",
        "followup.allocation",
        "followup.conditionsdecision",
        "forum.meeting",
        "core.attachment",
    }
    assert kinds <= registered_labels()
    # every kind the events register has a PDF (the archive package holds them all as PDF/A)
    assert all(document_kind_pdf(label) for label in kinds)
    # a masked copy only where the portal can mask: the feedback report's observations
    from django.apps import apps

    masked = {label for label in registered_labels() if document_kind(apps.get_model(label)).masked_pdf}
    assert masked == {"reports.feedbackreport"}


def document_kind_pdf(label):
    from django.apps import apps

    return document_kind(apps.get_model(label)).has_pdf


@pytest.mark.django_db
def test_record_of_an_unknown_kind_shows_its_title_without_link_or_pdf(english, registrar, region_a):
    assert document_kind(Organisation) is None
    record = record_register(
        document=OrganisationFactory(name="Skrivelse från kommunen"),
        document_type=DocumentType.OTHER,
        direction=Direction.RECEIVED,
        cases=(region_a,),
        region=region_a,
        year=2026,
    )
    english.force_login(registrar)

    page = english.get(record.get_absolute_url()).content.decode()

    assert "Skrivelse från kommunen" in page and "No PDF of this kind of document yet." in page
    assert english.get(reverse("records:record_pdf", args=[record.pk])).status_code == 404
