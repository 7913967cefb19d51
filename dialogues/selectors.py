"""Reads used by views, exports and the start page.

`*_visible_to(user)` decide what exists for a user: every list and detail goes through them, so a
regional user can never reach another county's dialogues, and never a brief or an unshared
observation (an object outside them is a 404).
"""

import datetime

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.choices import Role
from accounts.rules import own_region_id
from core.attachments import attachments_visible_to
from core.models import Attachment
from core.search import file_name_words, matching
from followup.formatting import format_number
from followup.models import Allocation, ResultIndicator
from forum.models import AgendaItem
from regions.models import Region

from .choices import (
    EDITABLE_SUBMISSION_STATUSES,
    UNFINISHED_ACTION_STATUSES,
    DialogueKind,
    DialogueStatus,
    ObservationCategory,
    RoundStatus,
    SubmissionStatus,
)
from .models import (
    Brief,
    Dialogue,
    DialogueDay,
    DialogueRound,
    FollowUpAction,
    JointCommitment,
    Observation,
    Participant,
    Session,
    Submission,
    SubmissionPriority,
    SubmissionResult,
)


def _is_national(user) -> bool:
    return user.is_authenticated and user.role in (Role.MINISTRY, Role.AGENCY, Role.ADMIN)


def rounds_visible_to(user) -> QuerySet[DialogueRound]:
    """Every round for national staff; regions see a round once it has been opened."""
    rounds = DialogueRound.objects.all()
    if _is_national(user):
        return rounds
    if own_region_id(user) is None:
        return rounds.none()
    return rounds.exclude(status=RoundStatus.PLANNING)


def dialogues_visible_to(user) -> QuerySet[Dialogue]:
    """Every dialogue for national staff; a regional user's own county's, once the round is open."""
    dialogues = Dialogue.objects.select_related("round", "region")
    if _is_national(user):
        return dialogues
    region_id = own_region_id(user)
    if region_id is None:
        return dialogues.none()
    return dialogues.filter(region_id=region_id).exclude(round__status=RoundStatus.PLANNING)


def submissions_visible_to(user) -> QuerySet[Submission]:
    """A county sees its own submissions; national staff see those submitted at least once."""
    submissions = Submission.objects.select_related("dialogue__round", "dialogue__region")
    visible_dialogues = dialogues_visible_to(user).values("pk")
    submissions = submissions.filter(dialogue__in=visible_dialogues)
    if _is_national(user):
        return submissions.exclude(status=SubmissionStatus.DRAFT)
    return submissions


# --- What of an observation a county may learn ---------------------------------------------
# One rule for every output derived from observations (pages, counts, search, exports, good
# examples, reports, e-mails): a county learns an observation, its heading, its text and that it
# exists at all, only once the ministry has shared it with the county. An unshared observation is
# the ministry's internal note: it is counted in nothing a county reads, and nothing is derived
# from it that a county reads (a good example is only made from a shared one). The published
# round summary, read by every county, holds only shared observations.


def observations_shared(prefix: str = "") -> Q:
    """The rule as a filter; `prefix` reaches observations from another model ("observations__")."""
    return Q(**{f"{prefix}shared_with_region": True})


def observation_is_shared(observation: Observation) -> bool:
    """The rule for one observation in memory: may its county learn of it?"""
    return observation.shared_with_region


def observations_for_counties() -> QuerySet[Observation]:
    """Every observation the rule lets a county learn of (its own county's; other filters decide whose)."""
    return Observation.objects.filter(observations_shared())


def observations_visible_to(user) -> QuerySet[Observation]:
    """National staff see every observation; a county only its own, once shared with it."""
    dialogues = dialogues_visible_to(user).values("pk")
    if _is_national(user):
        return Observation.objects.filter(dialogue__in=dialogues)
    return observations_for_counties().filter(dialogue__in=dialogues)


def actions_visible_to(user) -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.filter(dialogue__in=dialogues_visible_to(user).values("pk"))


def briefs_visible_to(user) -> QuerySet[Brief]:
    """Briefs are for the ministry and the agency only; for a county they do not exist."""
    if not _is_national(user):
        return Brief.objects.none()
    return Brief.objects.select_related("dialogue__round", "dialogue__region")


def round_overview(user, dialogue_round: DialogueRound) -> QuerySet[Dialogue]:
    """The round's dialogues with what the overview table shows, all in one query."""
    observation_filter = None if _is_national(user) else observations_shared("observations__")
    return (
        dialogues_visible_to(user)
        .filter(round=dialogue_round)
        .select_related("submission")
        .annotate(
            has_brief=Exists(Brief.objects.filter(dialogue=OuterRef("pk"))),
            observation_count=Count("observations", filter=observation_filter, distinct=True),
            action_count=Count("actions", distinct=True),
            open_action_count=Count("actions", filter=Q(actions__status__in=UNFINISHED_ACTION_STATUSES), distinct=True),
        )
        .order_by("region__code", "kind", "start")
    )


def region_dialogues(user, region: Region) -> QuerySet[Dialogue]:
    """The county's dialogues the user may see, across the rounds, newest round first."""
    return (
        dialogues_visible_to(user)
        .filter(region=region)
        .select_related("submission")
        .order_by("-round__year", "kind", "start", "pk")
    )


def round_calendar(user, dialogue_round: DialogueRound) -> QuerySet[Dialogue]:
    """The round's scheduled dialogues the user may see (cancelled ones left out), by start."""
    return (
        dialogues_visible_to(user)
        .filter(round=dialogue_round, start__isnull=False)
        .exclude(status=DialogueStatus.CANCELLED)
        .order_by("start", "region__code")
    )


def round_calendar_first_month(user, dialogue_round: DialogueRound) -> datetime.date:
    """The month a round's calendar opens on: that of its next dialogue (today's included), else of its
    last one, else this month."""
    starts = round_calendar(user, dialogue_round).aggregate(
        next=Min("start", filter=Q(start__date__gte=timezone.localdate())), last=Max("start")
    )
    start = starts["next"] or starts["last"]
    day = timezone.localtime(start).date() if start else timezone.localdate()
    return day.replace(day=1)


def _actions_with_carry_state() -> QuerySet[FollowUpAction]:
    """Actions marked `carried_forward` once a later round has taken them over (then updated there)."""
    return FollowUpAction.objects.annotate(
        carried_forward=Exists(FollowUpAction.objects.filter(carried_from=OuterRef("pk")))
    )


def dialogue_for_page(user) -> QuerySet[Dialogue]:
    """Visible dialogues with what a dialogue page shows outside its cached part."""
    return dialogues_visible_to(user).select_related(
        *(["submission", "brief"] if _is_national(user) else ["submission"])
    )


def dialogue_with_detail(user, dialogue: Dialogue) -> Dialogue:
    """The dialogue with its participants, the observations the user may see, and its actions loaded."""
    prefetch_related_objects(
        [dialogue],
        Prefetch(
            "participants", queryset=Participant.objects.select_related("contact__organisation", "contact__region")
        ),
        Prefetch("observations", queryset=observations_visible_to(user).select_related("good_example")),
        Prefetch("actions", queryset=_actions_with_carry_state()),
    )
    return dialogue


def previous_dialogue(user, dialogue: Dialogue) -> Dialogue | None:
    """The county's annual dialogue in the latest earlier round, with its observations and actions."""
    return (
        dialogues_visible_to(user)
        .filter(region_id=dialogue.region_id, kind=DialogueKind.ANNUAL, round__year__lt=dialogue.round.year)
        .order_by("-round__year")
        .prefetch_related(
            Prefetch("observations", queryset=observations_visible_to(user)),
            Prefetch("actions", queryset=_actions_with_carry_state()),
        )
        .first()
    )


def submission_snapshot(submission: Submission) -> dict:
    """The whole content of a submission as plain data: what a version freezes and pages compare."""
    priorities = submission.priorities.select_related("strategy_priority")
    return {
        "resource_use": submission.resource_use,
        "priorities": [
            {
                "rank": p.rank,
                "strategy_priority_id": p.strategy_priority_id,
                "strategy_priority": str(p.strategy_priority),
                "rationale": p.rationale,
            }
            for p in priorities
        ],
        "results": [
            {
                "indicator": r.indicator,
                "baseline": r.baseline,
                "target": r.target,
                "outcome": r.outcome,
                "comment": r.comment,
            }
            for r in submission.results.all()
        ],
    }


ATTENTION_SHOWN = 8


def _head(queryset) -> dict:
    """The first rows of a start-page list and how many more there are, in one or two small queries."""
    items = list(queryset[:ATTENTION_SHOWN])
    more = queryset.count() - ATTENTION_SHOWN if len(items) == ATTENTION_SHOWN else 0
    return {"rows": items, "more": more}


def attention_for(user) -> dict:
    """What needs the user's attention on the start page, by role (a few queries, whatever the data)."""
    today = timezone.localdate()
    if user.role == Role.REGION:
        return {
            "submissions_to_do": _head(
                submissions_visible_to(user)
                .filter(status__in=EDITABLE_SUBMISSION_STATUSES, dialogue__round__status=RoundStatus.OPEN)
                .order_by(Coalesce("deadline_extended_to", "dialogue__round__submission_deadline"))
            ),
            "open_actions": _head(
                actions_visible_to(user)
                .filter(status__in=UNFINISHED_ACTION_STATUSES, carried_to__isnull=True)
                .select_related("dialogue__round")
                .order_by("due_date")
            ),
        }
    open_dialogues = dialogues_visible_to(user).filter(round__status=RoundStatus.OPEN)
    if user.role == Role.AGENCY:
        return {
            "briefs_to_write": _head(
                open_dialogues.filter(brief__isnull=True)
                .exclude(status__in=[DialogueStatus.HELD, DialogueStatus.CANCELLED])
                .order_by("start", "region__code")
            ),
        }
    if user.role == Role.MINISTRY:
        return {
            "submissions_to_review": _head(
                submissions_visible_to(user).filter(status=SubmissionStatus.SUBMITTED).order_by("submitted_at")
            ),
            "dialogues_to_schedule": _head(
                open_dialogues.filter(status=DialogueStatus.PLANNED).order_by("region__code")
            ),
            "overdue_actions": _head(
                actions_visible_to(user)
                .filter(status__in=UNFINISHED_ACTION_STATUSES, carried_to__isnull=True, due_date__lt=today)
                .select_related("dialogue__region")
                .order_by("due_date")
            ),
        }
    return {}


def observation_matrix(user, dialogue_round: DialogueRound) -> tuple[list[dict], list[tuple[str, str]]]:
    """Counts of the observations a user may see, per county (rows) and category (columns).

    Returns the rows (`region`, `cells` in category order, `total`) and the categories.
    """
    categories = list(ObservationCategory.choices)
    counts = (
        observations_visible_to(user)
        .filter(dialogue__round=dialogue_round)
        .values("dialogue__region_id", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_cell = {(c["dialogue__region_id"], c["category"]): c["n"] for c in counts}
    regions = Region.objects.filter(
        pk__in=dialogues_visible_to(user).filter(round=dialogue_round).values("region_id")
    ).order_by("code")
    rows = []
    for region in regions:
        cells = [(value, by_cell.get((region.pk, value), 0)) for value, _label in categories]
        rows.append({"region": region, "cells": cells, "total": sum(n for _value, n in cells)})
    return rows, categories


# How many hits of each kind the search page lists; it says so when there are more.
SEARCH_HITS = 50


def dialogue_search(user, query: str) -> dict[str, QuerySet]:
    """What the user may see that matches `query`: submissions, observations, actions, briefs (national
    staff only), forum agenda items and minutes (every user reads the forum), and attached files (by
    name and description, only those whose parent the user may see).

    PostgreSQL's full-text search with the Swedish configuration (so "prioriteringar" finds
    "prioritering") over the indexes core.search describes; a plain substring match on other
    databases. File names also match a part of a word ("handlingsp" finds "Handlingsplan.pdf"), as
    people remember them. Each table is matched on its own, so a submission is found by its text,
    a priority's rationale or a result's indicator, each through its own index.

    At most SEARCH_HITS + 1 of each kind: the one more tells the page that there are more than it lists.
    """
    submissions = submissions_visible_to(user)
    if _is_national(user):
        # The ministry and the agency search what was submitted, not a county's unsent edits.
        submissions = submissions.filter(status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED])
    agenda_items = AgendaItem.objects.select_related("meeting__forum")
    sources = {
        "submissions": (
            submissions,
            [
                matching(Submission.objects, ["resource_use"], query),
                matching(SubmissionPriority.objects, ["rationale"], query, key="submission_id"),
                matching(SubmissionResult.objects, ["indicator"], query, key="submission_id"),
            ],
        ),
        "observations": (
            observations_visible_to(user).select_related("dialogue__round", "dialogue__region"),
            [matching(Observation.objects, ["title", "text"], query)],
        ),
        "actions": (
            actions_visible_to(user).select_related("dialogue__round", "dialogue__region"),
            [matching(FollowUpAction.objects, ["what", "owner", "progress"], query)],
        ),
        "briefs": (briefs_visible_to(user), [matching(Brief.objects, ["text"], query)]),
        "agenda_items": (agenda_items, [matching(AgendaItem.objects, ["title", "presenter"], query)]),
        "minutes": (agenda_items, [matching(AgendaItem.objects, ["minutes"], query)]),
        "attachments": (
            attachments_visible_to(user),
            [
                matching(Attachment.objects, [file_name_words("original_name"), "description"], query),
                Attachment.objects.filter(original_name__icontains=query).values("pk"),
            ],
        ),
    }
    results = {}
    for key, (visible, matches) in sources.items():
        found = Q(pk__in=[])
        for match in matches:
            found |= Q(pk__in=match)
        results[key] = visible.filter(found)[: SEARCH_HITS + 1]
    return results


def commitments_visible_to(user) -> QuerySet[JointCommitment]:
    """National staff see every joint commitment; a county its own."""
    commitments = JointCommitment.objects.select_related("region")
    if _is_national(user):
        return commitments
    region_id = own_region_id(user)
    return commitments.filter(region_id=region_id) if region_id else commitments.none()


def dialogue_day_for_detail(pk: int) -> QuerySet[DialogueDay]:
    """The day with its participants, and its sessions with their theme and their own participants."""
    sessions = Session.objects.select_related("topic").prefetch_related("regions", "agencies")
    return DialogueDay.objects.filter(pk=pk).prefetch_related("regions", "agencies", Prefetch("sessions", sessions))


# --- Closing a round -----------------------------------------------------------------------


def round_deadlines_running(dialogue_round: DialogueRound) -> list[Submission]:
    """The round's submissions not yet sent in whose county's deadline (the round's or its own
    extension) has not passed: closing the round now would lock those counties out. By county."""
    today = timezone.localdate()
    return list(
        Submission.objects.filter(dialogue__round=dialogue_round, status=SubmissionStatus.DRAFT)
        .alias(deadline_in_force=Coalesce("deadline_extended_to", "dialogue__round__submission_deadline"))
        .filter(deadline_in_force__gte=today)
        .select_related("dialogue__round", "dialogue__region")
        .order_by("dialogue__region__code", "dialogue__pk")
    )


def round_close_checklist(dialogue_round: DialogueRound) -> dict[str, list]:
    """What is still undone in a round, for the ministry before it closes it (four queries, however
    many counties): dialogues not held, annual dialogues whose submission is missing or not accepted,
    counties whose deadline is still running, and dialogues without a brief."""
    dialogues = (
        Dialogue.objects.filter(round=dialogue_round)
        .select_related("round", "region")
        .order_by("region__code", "kind", "start", "pk")
    )
    return {
        "not_held": list(dialogues.filter(status__in=[DialogueStatus.PLANNED, DialogueStatus.SCHEDULED])),
        "submissions_pending": list(
            dialogues.filter(kind=DialogueKind.ANNUAL)
            .exclude(submission__status=SubmissionStatus.ACCEPTED)
            .select_related("submission")
        ),
        "deadlines_running": round_deadlines_running(dialogue_round),
        "briefs_missing": list(dialogues.exclude(status=DialogueStatus.CANCELLED).filter(brief__isnull=True)),
    }


def round_progress(dialogue_round: DialogueRound) -> dict[str, int]:
    """How far the round has come, counted over its annual dialogues (two queries, however many
    counties): `total`, `submitted` (sent in or accepted), `held`, and `published` (counties whose
    current feedback report is published)."""
    progress = Dialogue.objects.filter(round=dialogue_round, kind=DialogueKind.ANNUAL).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(submission__status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED])),
        held=Count("pk", filter=Q(status=DialogueStatus.HELD)),
    )
    # The reports live on a higher floor (reports.FeedbackReport, related name "reports"): counted
    # through the relation, by its field values, so that dialogues need not import it.
    progress["published"] = (
        dialogue_round.reports.filter(is_current=True, region__isnull=False, review_state="published")
        .values("region_id")
        .distinct()
        .count()
    )
    return progress


def rounds_with_county_deadline(user) -> QuerySet[DialogueRound]:
    """The rounds a county sees, each with `county_deadline`: its own deadline in that round (its
    extension, else the round's)."""
    extension = Submission.objects.filter(
        dialogue__round=OuterRef("pk"), dialogue__region_id=own_region_id(user), dialogue__kind=DialogueKind.ANNUAL
    ).values("deadline_extended_to")[:1]
    return rounds_visible_to(user).annotate(county_deadline=Coalesce(Subquery(extension), F("submission_deadline")))


# --- Results entered once: what the submission would fetch from the county's 1:1 results -------

RESULT_FIGURES = ("baseline", "target", "outcome")


def _figure_text(value, unit: str) -> str:
    """A 1:1 figure as the submission's text: "1 200 st", "12,5 %"; no figure, no text."""
    if value is None:
        return ""
    decimals = max(0, -value.normalize().as_tuple().exponent)
    text = format_number(value, decimals)
    return f"{text} {unit}" if unit else text


def _indicator_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def submission_results_from_followup(submission: Submission) -> tuple[Allocation | None, list[dict]]:
    """What fetching the county's 1:1 results of the round's year into the submission would do.

    One row per 1:1 result indicator of the same county and year: `indicator`, `before` (the
    submission's baseline, target and outcome of the result with the same indicator name, or None
    when it has none), `after` (the 1:1 figures as text), `change` ("new", "changed" or "same") and
    `row` (the submission's result it would update). The allocation is None when the county has no
    1:1 frame that year. Results of the submission that the 1:1 results do not name are left alone.
    """
    allocation = (
        Allocation.objects.filter(
            region_id=submission.dialogue.region_id, appropriation__year=submission.dialogue.round.year
        )
        .select_related("appropriation", "region")
        .first()
    )
    if allocation is None:
        return None, []
    existing: dict[str, SubmissionResult] = {}
    for result in submission.results.order_by("position", "pk"):
        existing.setdefault(_indicator_key(result.indicator), result)
    rows = []
    for indicator in allocation.results.order_by("priority__number", "name", "pk"):
        after = {name: _figure_text(getattr(indicator, name), indicator.unit) for name in RESULT_FIGURES}
        row = existing.pop(_indicator_key(indicator.name), None)
        before = {name: getattr(row, name) for name in RESULT_FIGURES} if row else None
        change = "new" if row is None else ("same" if before == after else "changed")
        rows.append({"indicator": indicator.name, "before": before, "after": after, "change": change, "row": row})
    return allocation, rows


def submission_has_followup_results(submission: Submission) -> bool:
    """Whether the county has 1:1 results for the round's year that its submission can fetch."""
    return ResultIndicator.objects.filter(
        allocation__region_id=submission.dialogue.region_id,
        allocation__appropriation__year=submission.dialogue.round.year,
    ).exists()
