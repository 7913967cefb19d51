"""Feedback reports: what a report contains, as HTML, and the PDF WeasyPrint makes of it.

The same body partials (`reports/_report_county.html`, `reports/_report_summary.html`) are
rendered by the browser view and by the PDF template (`pdf/feedback_report.html`).
"""

from collections import defaultdict

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import SENDER, page_words, render_pdf
from dialogues.choices import DialogueKind, DialogueStatus, ObservationCategory
from dialogues.models import Dialogue, FollowUpAction, Observation, SubmissionVersion
from dialogues.selectors import observations_for_counties, submission_snapshot
from followup import charts
from followup.choices import Instrument
from followup.formatting import format_kronor
from followup.models import Allocation
from followup.selectors import allocations_with_figures
from records.selectors import secret_references_of
from regions.models import StrategyPriority

from .choices import ReviewState
from .models import FeedbackReport
from .selectors import addressee_of, covering_letter_for, letter_template_for

AUTHOR = SENDER
SUCCESS_FACTORS = (ObservationCategory.LEADERSHIP, ObservationCategory.LEARNING, ObservationCategory.GOAL_STRUCTURE)


def _submission_content(dialogue: Dialogue | None) -> dict | None:
    """The latest submitted version of the county's submission (None when nothing was submitted)."""
    submission = getattr(dialogue, "submission", None) if dialogue else None
    if submission is None:
        return None
    latest = SubmissionVersion.objects.filter(submission=submission).order_by("-number").first()
    if latest is not None:
        return latest.data
    return submission_snapshot(submission) if submission.submitted_at else None


def _grouped(observations) -> list[tuple[str, list[Observation]]]:
    by_category = defaultdict(list)
    for observation in observations:
        by_category[observation.category].append(observation)
    return [(label, by_category[value]) for value, label in ObservationCategory.choices if by_category[value]]


def _figures(report: FeedbackReport, *, for_pdf: bool) -> dict | None:
    """The county's 1:1 figures for the round's year, with a chart of its use by instrument."""
    allocation = allocations_with_figures(
        Allocation.objects.filter(region_id=report.region_id, appropriation__year=report.round.year)
    ).first()
    if allocation is None:
        return None
    labels = [label for _code, label in Instrument.choices]
    chart = charts.bars(
        chart_id=f"report-{report.pk}-use",
        title=_("Use of the 1:1 money by instrument, {year}").format(year=report.round.year),
        description=_("Horizontal bars, one per instrument; the table gives the amounts in kronor."),
        categories=labels,
        values=[getattr(allocation, f"used_{code}") for code in Instrument.values],
        value_heading=_("Used"),
        value_format=format_kronor,
        category_heading=_("Instrument"),
        table_open=for_pdf,
    )
    return {"allocation": allocation, "chart": chart}


def _priorities(submission: dict | None) -> list[dict]:
    """The county's priorities in the order it ranked them, each with the RUS priority it stands for
    (its number and title, looked up in one query; the frozen text where the priority is gone)."""
    if not submission:
        return []
    rows = sorted(submission.get("priorities") or [], key=lambda p: p.get("rank") or 0)
    strategy = StrategyPriority.objects.in_bulk(
        [p["strategy_priority_id"] for p in rows if p.get("strategy_priority_id")]
    )
    priorities = []
    for row in rows:
        known = strategy.get(row.get("strategy_priority_id"))
        priorities.append(
            {
                "title": known.title if known else row.get("strategy_priority", ""),
                "rus_number": known.number if known else None,
                "rationale": row.get("rationale", ""),
            }
        )
    return priorities


def dialogue_was_held(dialogue: Dialogue | None, shared_observations: list) -> bool:
    """Whether the dialogue took place: marked held, or (not cancelled) observations from it were
    shared with the county. Only what the county may learn decides, so its report reads the same
    with or without the ministry's unshared notes."""
    if dialogue is None or dialogue.status == DialogueStatus.CANCELLED:
        return False
    return dialogue.status == DialogueStatus.HELD or bool(shared_observations)


def _mask(observations: list[Observation], masks: dict[int, str] | None) -> list[Observation]:
    """Replace each secret observation's title (and drop its text) by the mask text `masks` gives it."""
    for observation in observations:
        if masks and observation.pk in masks:
            observation.title, observation.text = masks[observation.pk], ""
    return observations


def county_context(report: FeedbackReport, *, for_pdf: bool = False, masks: dict[int, str] | None = None) -> dict:
    dialogue = (
        Dialogue.objects.filter(round_id=report.round_id, region_id=report.region_id, kind=DialogueKind.ANNUAL)
        .select_related("submission")
        .prefetch_related(
            Prefetch("observations", queryset=observations_for_counties()),
            Prefetch(
                "actions",
                queryset=FollowUpAction.objects.select_related("carried_from__dialogue__round"),
            ),
        )
        .first()
    )
    observations = _mask(list(dialogue.observations.all()) if dialogue else [], masks)
    submission = _submission_content(dialogue)
    return {
        "dialogue": dialogue,
        "held": dialogue_was_held(dialogue, observations),
        "submission": submission,
        "priorities": _priorities(submission),
        "observation_groups": _grouped(observations),
        "good_examples": [o for o in observations if o.is_good_example],
        "actions": list(dialogue.actions.all()) if dialogue else [],
        "figures": _figures(report, for_pdf=for_pdf),
    }


def summary_context(report: FeedbackReport, *, masks: dict[int, str] | None = None) -> dict:
    """The round summary is published to every county, so it holds only what the counties may learn:
    the shared observations (counted in the category × county matrix and the totals, success factors
    and good examples named). The ministry's unshared notes are neither counted nor named."""
    observations = _mask(
        list(
            observations_for_counties()
            .filter(dialogue__round_id=report.round_id)
            .select_related("dialogue__region")
            .order_by("dialogue__region__code", "category", "pk")
        ),
        masks,
    )
    categories = list(ObservationCategory.choices)
    counts = defaultdict(int)
    regions = {}
    for observation in observations:
        regions.setdefault(observation.dialogue.region.code, observation.dialogue.region)
        counts[observation.dialogue.region_id, observation.category] += 1
    matrix = [
        (region, [counts[region.pk, value] for value, _label in categories])
        for _code, region in sorted(regions.items())
    ]
    matrix = [(region, cells, sum(cells)) for region, cells in matrix]
    dialogues = list(
        Dialogue.objects.filter(round_id=report.round_id, kind=DialogueKind.ANNUAL).values_list("region_id", "status")
    )
    with_shared = {observation.dialogue.region_id for observation in observations}
    held = sum(
        1
        for region_id, status in dialogues
        if status == DialogueStatus.HELD or (status != DialogueStatus.CANCELLED and region_id in with_shared)
    )
    return {
        "categories": categories,
        "matrix": matrix,
        "category_totals": [sum(row[1][i] for row in matrix) for i in range(len(categories))],
        "held_count": held,
        "not_held_count": len(dialogues) - held,
        "success_factors": _grouped(o for o in observations if o.category in SUCCESS_FACTORS),
        "good_examples": [o for o in observations if o.is_good_example],
        "dialogue_count": len(dialogues),
        "observation_count": len(observations),
        "action_count": FollowUpAction.objects.filter(dialogue__round_id=report.round_id).count(),
    }


def report_title(report: FeedbackReport) -> str:
    if report.is_summary:
        return _("Feedback on the regional development dialogues {year}: summary").format(year=report.round.year)
    return _("Feedback on the regional development dialogue {year}: {county}").format(
        year=report.round.year, county=report.region.name
    )


def document_context(report: FeedbackReport) -> dict:
    """What makes the report a document a ministry sends: sender, addressee, date, registration
    number, contact person, the covering letter, and whether it is still a draft."""
    template = letter_template_for(report.round)
    addressee = addressee_of(report.region, report.round.year)
    letter = covering_letter_for(report.round, report.region, template=template, addressee=addressee)
    return {
        "draft": report.review_state != ReviewState.PUBLISHED,
        "sender": AUTHOR,
        "sender_unit": template.sender_unit,
        "contact": template,
        "addressee": addressee,
        "published_on": timezone.localdate(report.published_at) if report.published_at else None,
        "letter": letter,
    }


def report_context(report: FeedbackReport, *, for_pdf: bool = False, masks: dict[int, str] | None = None) -> dict:
    """Everything the report's partials show (a handful of queries, whatever the data); `masks`
    (observation pk → mask text) replaces the secret observations (a masked copy)."""
    if report.is_summary:
        body = summary_context(report, masks=masks)
    else:
        body = county_context(report, for_pdf=for_pdf, masks=masks)
    return {
        "report": report,
        "round": report.round,
        "title": report_title(report),
        "author": AUTHOR,
        **document_context(report),
        **body,
        "masked": masks is not None,
    }


def report_body_html(report: FeedbackReport) -> str:
    """The report's content as the browser page shows it (the PDF's partials, the page's language)."""
    return render_to_string("reports/_report_document.html", report_context(report))


def report_html(report: FeedbackReport) -> str:
    """The whole PDF document as HTML, in the report's language."""
    with translation.override(report.language):
        # "Page 2 of 7" in the page footer (CSS), in the report's language
        return render_to_string("pdf/feedback_report.html", report_context(report, for_pdf=True) | page_words())


def report_pdf(report: FeedbackReport, *, uncompressed: bool = False) -> bytes:
    """Render the report to a tagged PDF (PDF/UA-1) with metadata, bookmarks and page numbers."""
    return render_pdf(report_html(report), uncompressed=uncompressed)


def observation_masks() -> dict[int, str]:
    """Observation pk → the mask text for each observation with a secrecy marking in force, in the
    active language ("[Uppgift utelämnad enligt OSL 21 kap. 7 §]")."""
    return {
        pk: _("[Information withheld under OSL {reference}]").format(reference=reference)
        for pk, reference in secret_references_of(Observation).items()
    }


def report_masked_html(report: FeedbackReport) -> str:
    with translation.override(report.language):
        context = report_context(report, for_pdf=True, masks=observation_masks())
        return render_to_string("pdf/feedback_report.html", context | page_words())


def report_masked_pdf(report: FeedbackReport) -> bytes:
    """The report for a partial release under OSL: rendered anew from its content with every
    secret observation replaced by a mask text, marked as a masked copy. Never the published file."""
    return render_pdf(report_masked_html(report))
