"""Reads of the feedback reports. `reports_visible_to(user)` decides which reports exist for a user:
every list, page and download goes through it, so a county never reaches an unpublished report or
another county's."""

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from accounts.choices import Role
from accounts.rules import own_region_id
from dialogues.choices import DialogueKind
from dialogues.models import DialogueRound
from regions.models import Region, ResponsibilityPeriod

from .choices import CommentResolution, ReviewState
from .models import CoveringLetter, FeedbackReport, LetterTemplate, ReportComment


def _is_national(user) -> bool:
    return user.is_authenticated and user.role in (Role.MINISTRY, Role.AGENCY, Role.ADMIN)


def reports_visible_to(user) -> QuerySet[FeedbackReport]:
    """Every feedback report for national staff; a county only its own published reports and the
    published round summaries. Unpublished reports and other counties' do not exist for it."""
    reports = FeedbackReport.objects.select_related("round", "region")
    if _is_national(user):
        return reports
    region_id = own_region_id(user)
    if region_id is None:
        return reports.none()
    return reports.filter(review_state=ReviewState.PUBLISHED).filter(Q(region_id=region_id) | Q(region__isnull=True))


def comments_visible_to(user) -> QuerySet[ReportComment]:
    """The reviewers' comments exist for national staff only: a county never learns of them."""
    if not _is_national(user):
        return ReportComment.objects.none()
    return ReportComment.objects.select_related("report__round", "report__region")


def round_reports(user, dialogue_round: DialogueRound) -> list[FeedbackReport]:
    """The newest version the user may see of each of the round's reports (summary first), in one query."""
    newest = {}
    for report in (
        reports_visible_to(user)
        .filter(round=dialogue_round)
        .order_by(F("region__code").asc(nulls_first=True), "language", "-version")
    ):
        newest.setdefault((report.region_id, report.language), report)
    return list(newest.values())


def report_for_detail(user, pk: int) -> QuerySet[FeedbackReport]:
    """One report (if visible)."""
    return reports_visible_to(user).filter(pk=pk)


def report_versions(user, report: FeedbackReport) -> QuerySet[FeedbackReport]:
    """Every version the user may see of the same report (same round, county and language), newest first."""
    region = Q(region__isnull=True) if report.region_id is None else Q(region_id=report.region_id)
    return (
        reports_visible_to(user).filter(region, round_id=report.round_id, language=report.language).order_by("-version")
    )


def open_review_comments() -> QuerySet[ReportComment]:
    """Every reviewer's comment not yet worked in or answered, oldest first, with its report, round,
    county and author (for the ministry's start page: what stands between a report and publication)."""
    return (
        ReportComment.objects.filter(resolution=CommentResolution.OPEN)
        .select_related("report__round", "report__region", "author")
        .order_by("created_at", "pk")
    )


def _same_report(report: FeedbackReport) -> Q:
    """Every version and language of the same report (same round and county, or the summary)."""
    region = Q(report__region__isnull=True) if report.region_id is None else Q(report__region_id=report.region_id)
    return region & Q(report__round_id=report.round_id)


def report_comments(report: FeedbackReport) -> QuerySet[ReportComment]:
    """The reviewers' comments on every version of the report, oldest first: a comment made on an
    earlier version stays to be resolved after the report is generated again."""
    return (
        ReportComment.objects.filter(_same_report(report))
        .select_related("author", "resolved_by", "report")
        .order_by("created_at", "pk")
    )


def report_open_comment_count(report: FeedbackReport) -> int:
    """Open comments on any version of the report: while there is one, it cannot be published."""
    return ReportComment.objects.filter(_same_report(report), resolution=CommentResolution.OPEN).count()


# --- The covering letter -------------------------------------------------------------------------

DEFAULT_INTRODUCTION = gettext_noop(
    "Thank you for the regional development dialogue {year}.\n\n"
    "In this report {organisation} receives the ministry's feedback on the dialogue with {county}: "
    "the priorities and results the county reported, what we observed in the dialogue, the follow-up "
    "actions we agreed on and how the appropriation 1:1 was used."
)
DEFAULT_SUMMARY_INTRODUCTION = gettext_noop(
    "Thank you for the regional development dialogues {year}.\n\n"
    "This summary gathers what the ministry observed across the counties' dialogues and what we take "
    "with us to next year's dialogues."
)
DEFAULT_CLOSING = gettext_noop(
    "We look forward to continuing the dialogue. Questions about the report are welcome to the contact "
    "person named in it."
)
PLACEHOLDERS = ("county", "organisation", "year")


def fill_placeholders(text: str, **values) -> str:
    """`text` with {county}, {organisation} and {year} filled in; any other braces stay as written."""
    for name in PLACEHOLDERS:
        text = text.replace("{" + name + "}", str(values.get(name, "")))
    return text


def addressee_of(region: Region | None, year: int) -> str:
    """Who the county's report is addressed to: the body that held the regional development
    responsibility in `year` (the county's name where the history is silent)."""
    if region is None:
        return gettext("The counties' bodies responsible for regional development")
    period = (
        ResponsibilityPeriod.objects.in_year(year)
        .filter(region=region)
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )
    return period.body_name if period else region.name


def letter_template_for(dialogue_round: DialogueRound) -> LetterTemplate:
    """The round's letter template: the saved one, or an unsaved one with the default texts (in the
    active language)."""
    template = LetterTemplate.objects.filter(round=dialogue_round).first()
    if template is None:
        template = LetterTemplate(
            round=dialogue_round,
            introduction=gettext(DEFAULT_INTRODUCTION),
            closing=gettext(DEFAULT_CLOSING),
            version=0,
        )
    return template


def covering_letter_for(
    dialogue_round: DialogueRound,
    region: Region | None,
    *,
    template: LetterTemplate | None = None,
    addressee: str | None = None,
) -> CoveringLetter:
    """The letter of the county's report (None: the summary's): the saved one, or an unsaved one
    written from the round's template with the placeholders filled in (version 0). Pass the
    template and the addressee when already read."""
    letter = CoveringLetter.objects.filter(round=dialogue_round, region=region).first()
    if letter is not None:
        return letter
    template = template or letter_template_for(dialogue_round)
    introduction = template.introduction
    if region is None and template.pk is None:
        introduction = gettext(DEFAULT_SUMMARY_INTRODUCTION)
    values = {
        "county": region.name if region else gettext("the counties"),
        "organisation": addressee if addressee is not None else addressee_of(region, dialogue_round.year),
        "year": dialogue_round.year,
    }
    return CoveringLetter(
        round=dialogue_round,
        region=region,
        introduction=fill_placeholders(introduction, **values),
        closing=fill_placeholders(template.closing, **values),
        version=0,
    )


def round_letters(dialogue_round: DialogueRound) -> list[tuple[Region | None, CoveringLetter | None]]:
    """The summary and each county with an annual dialogue in the round, with its saved letter (None
    where the template's text still stands), for the letters page (two queries)."""
    letters = {letter.region_id: letter for letter in CoveringLetter.objects.filter(round=dialogue_round)}
    regions = Region.objects.filter(dialogues__round=dialogue_round, dialogues__kind=DialogueKind.ANNUAL)
    return [(None, letters.get(None))] + [
        (region, letters.get(region.pk)) for region in regions.distinct().order_by("code")
    ]
