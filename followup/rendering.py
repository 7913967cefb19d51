"""A county's conditions decision of the 1:1 appropriation as a PDF: the document the ministry
drew up, as the register keeps it (records, issue 17). Made by the shared pipeline in core/pdf.py."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.pdf import SENDER, SENDER_UNIT, page_words, render_pdf

from .formatting import format_kronor
from .models import Allocation, ConditionsDecision


def conditions_decision_title(allocation: Allocation) -> str:
    return _("Conditions decision, appropriation 1:1 {year}: {region}").format(
        year=allocation.appropriation.year, region=allocation.region.name
    )


def conditions_decision_html(allocation: Allocation, decision: ConditionsDecision | None = None) -> str:
    """The decision as made: `decision` (a kept decision) where given, else the allocation's own."""
    made = decision or allocation
    return render_to_string(
        "pdf/conditions_decision.html",
        {
            "title": conditions_decision_title(allocation),
            "sender": SENDER,
            "sender_unit": SENDER_UNIT,
            "draft": False,
            "allocation": allocation,
            "frame": format_kronor(made.frame_amount),
            "decided_on": decision.decided_on if decision else allocation.conditions_decided_on,
            "conditions": made.conditions,
            "reporting_requirements": made.reporting_requirements,
        }
        | page_words(),
    )


def conditions_decision_pdf(allocation: Allocation) -> bytes | None:
    """The decision as a tagged PDF in the portal's language (PDF/A inside `core.pdf.pdf_archival`);
    None while no decision date is set (there is no decision yet)."""
    allocation = Allocation.objects.select_related("appropriation", "region").get(pk=allocation.pk)
    if not allocation.conditions_decided_on:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(conditions_decision_html(allocation))


def kept_decision_pdf(decision: ConditionsDecision) -> bytes:
    """One kept decision (the first or a later change) as it was made, as a tagged PDF."""
    decision = ConditionsDecision.objects.select_related("allocation__appropriation", "allocation__region").get(
        pk=decision.pk
    )
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(conditions_decision_html(decision.allocation, decision))
