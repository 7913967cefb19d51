"""Every change to dialogues with a rule or a side effect goes through these functions."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.choices import Role
from accounts.models import User
from accounts.rules import may_submit_for_region
from accounts.selectors import county_directors
from core.attachments import attachment_add
from core.audit import audit_record_created
from core.concurrency import StaleEditError, save_versioned
from core.mail import mail_users
from core.models import Attachment
from followup.models import Allocation
from records.choices import Direction, DocumentType
from records.models import Record
from records.selectors import agency_party
from records.services import attachment_register, attachments_register, record_register
from regions.models import Contact, GoodExample, Organisation, Region, StrategyPriority
from regions.services import contacts_lock, organisations_lock

from .choices import (
    UNFINISHED_ACTION_STATUSES,
    DialogueKind,
    DialogueStatus,
    RoundStatus,
    SubmissionStatus,
)
from .models import (
    Brief,
    Dialogue,
    DialogueDay,
    DialogueRound,
    FollowUpAction,
    Observation,
    Participant,
    Session,
    Submission,
    SubmissionPriority,
    SubmissionResult,
    SubmissionVersion,
)
from .selectors import (
    observation_is_shared,
    round_deadlines_running,
    submission_results_from_followup,
    submission_snapshot,
)
from .signals import round_closed


def _regional_users(region_ids: Iterable[int]):
    return User.objects.filter(role=Role.REGION, region_id__in=list(region_ids), is_active=True)


def _locked(instance):
    """The row again, locked for this transaction, so that two requests cannot both change its state."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


# --- Rounds ---------------------------------------------------------------------------------


def _actions_carry(*, dialogue: Dialogue) -> list[FollowUpAction]:
    """Copy the unfinished actions of the county's previous annual dialogue into `dialogue`."""
    previous = (
        Dialogue.objects.filter(
            region_id=dialogue.region_id, kind=DialogueKind.ANNUAL, round__year__lt=dialogue.round.year
        )
        .order_by("-round__year")
        .first()
    )
    if previous is None:
        return []
    unfinished = previous.actions.filter(status__in=UNFINISHED_ACTION_STATUSES, carried_to__isnull=True)
    carried = FollowUpAction.objects.bulk_create(
        FollowUpAction(
            dialogue=dialogue,
            what=action.what,
            owner=action.owner,
            due_date=action.due_date,
            status=action.status,
            progress=action.progress,
            carried_from=action,
        )
        for action in unfinished
    )
    audit_record_created(carried)
    return carried


@transaction.atomic
def round_dialogues_create(*, dialogue_round: DialogueRound, regions: Iterable[Region]) -> list[Dialogue]:
    """Create the annual dialogue, with an empty draft submission, for each county that has none yet.

    Each new dialogue receives the county's unfinished follow-up actions from its previous round.
    Counties that already have their annual dialogue in the round are left as they are.
    """
    existing = set(dialogue_round.dialogues.filter(kind=DialogueKind.ANNUAL).values_list("region_id", flat=True))
    created = []
    for region in regions:
        if region.pk in existing:
            continue
        dialogue = Dialogue(round=dialogue_round, region=region, kind=DialogueKind.ANNUAL)
        dialogue.full_clean()
        dialogue.save()
        Submission.objects.create(dialogue=dialogue)
        _actions_carry(dialogue=dialogue)
        created.append(dialogue)
    return created


def _round_open_body(dialogue_round: DialogueRound, *, link: str) -> str:
    """The round-open e-mail to one county: paragraphs separated by one blank line, none empty,
    the focus labelled once (a focus text that names itself, "Fokus 2016: …", is not labelled again)."""
    focus = dialogue_round.focus.strip()
    if focus and not focus.lower().startswith(("focus", "fokus")):
        focus = _("Focus: {focus}").format(focus=focus)
    paragraphs = [
        _("The ministry has opened {title}.").format(title=dialogue_round.title),
        _("Please submit your county's priorities, results and resource use in the portal by {deadline}:").format(
            deadline=date_format(dialogue_round.submission_deadline)
        )
        + f"\n{link}",
        dialogue_round.requirements.strip(),
        focus,
    ]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _round_open_mail(dialogue_round: DialogueRound) -> None:
    """E-mail the regional users of each county with a dialogue in the round a link to its submission."""
    dialogues = dialogue_round.dialogues.filter(kind=DialogueKind.ANNUAL).order_by("region__code")
    users_by_region: dict[int, list] = {}
    for user in _regional_users(dialogues.values_list("region_id", flat=True)):
        users_by_region.setdefault(user.region_id, []).append(user)
    subject = _("{title} is open").format(title=dialogue_round.title)
    for dialogue in dialogues:
        users = users_by_region.get(dialogue.region_id)
        if not users:
            continue
        link = settings.PORTAL_URL + reverse("dialogues:submission_detail", args=[dialogue.pk])
        mail_users(users=users, subject=subject, body=_round_open_body(dialogue_round, link=link))


@transaction.atomic
def round_open(*, dialogue_round: DialogueRound, regions: Iterable[Region] | None = None) -> list[Dialogue]:
    """Open a round that is being planned: create the annual dialogues and ask the counties to submit.

    `regions` defaults to all 21 counties. The regional users of every county with a dialogue in the
    round get an e-mail once the transaction has committed. Returns the dialogues created now.
    """
    dialogue_round = _locked(dialogue_round)
    if dialogue_round.status != RoundStatus.PLANNING:
        raise ValidationError(_("Only a round that is being planned can be opened."))
    regions = list(Region.objects.all() if regions is None else regions)
    if not regions:
        raise ValidationError(_("Choose at least one county."))
    created = round_dialogues_create(dialogue_round=dialogue_round, regions=regions)
    dialogue_round.status = RoundStatus.OPEN
    dialogue_round.full_clean()
    dialogue_round.save(update_fields=["status"])

    _round_open_mail(dialogue_round)
    return created


@transaction.atomic
def round_close(*, dialogue_round: DialogueRound, close_despite_running_deadlines: bool = False) -> DialogueRound:
    """Close an open round: no more submissions. Sends `round_closed` for the feedback reports.

    Refused (ValidationError, nothing changed) while a county that has not yet submitted still has
    its deadline (the round's or its extension) running, unless `close_despite_running_deadlines`;
    the message names those counties. The round's row is locked first, so two closes at once
    close it once: the second finds it closed and is refused.
    """
    dialogue_round = _locked(dialogue_round)
    if dialogue_round.status != RoundStatus.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    running = round_deadlines_running(dialogue_round)
    if running and not close_despite_running_deadlines:
        raise ValidationError(
            _(
                "The deadline is still running for {counties}. Wait until it has passed, or choose to "
                "close anyway, although they can then no longer submit."
            ).format(counties=", ".join(str(submission.dialogue.region) for submission in running)),
            code="deadlines_running",
        )
    dialogue_round.status = RoundStatus.CLOSED
    dialogue_round.save(update_fields=["status"])
    # The single hook for report generation: the reports app connects to this signal and requests
    # the round's feedback reports (see dialogues/signals.py). `held_regions` are the counties whose
    # annual dialogue was held: a report for one whose dialogue was not held would be empty.
    held_regions = list(
        Region.objects.filter(
            dialogues__round=dialogue_round, dialogues__kind=DialogueKind.ANNUAL, dialogues__status=DialogueStatus.HELD
        ).order_by("code")
    )
    round_closed.send(sender=DialogueRound, round=dialogue_round, held_regions=held_regions)
    return dialogue_round


# --- Scheduling -----------------------------------------------------------------------------


@transaction.atomic
def dialogue_schedule(
    *,
    dialogue: Dialogue,
    start: datetime,
    end: datetime,
    place: str = "",
    video_link: str = "",
    participants: Iterable[tuple[Contact, str]] = (),
) -> list[str]:
    """Set the time, place and participants of a dialogue; a planned dialogue becomes scheduled.

    Returns warnings (the schedule is saved anyway): participants who take part in another dialogue
    at the same time, and a dialogue that falls after the round's last day. Refused (ValidationError,
    nothing saved) if a participant has just been removed from the contact directory.
    """
    participants = list(participants)
    contacts_lock(contact.pk for contact, _side in participants)
    dialogue.start, dialogue.end, dialogue.place, dialogue.video_link = start, end, place, video_link
    if dialogue.status == DialogueStatus.PLANNED:
        dialogue.status = DialogueStatus.SCHEDULED
    dialogue.full_clean()
    dialogue.save()

    sides = {contact.pk: side for contact, side in participants}
    dialogue.participants.exclude(contact_id__in=sides).delete()
    for contact_id, side in sides.items():
        Participant.objects.update_or_create(dialogue=dialogue, contact_id=contact_id, defaults={"side": side})

    warnings = []
    clashes = (
        Participant.objects.filter(contact_id__in=sides, dialogue__start__lt=end, dialogue__end__gt=start)
        .exclude(dialogue=dialogue)
        .exclude(dialogue__status=DialogueStatus.CANCELLED)
        .select_related("contact", "dialogue__region")
        .order_by("contact__name")
    )
    for clash in clashes:
        warnings.append(
            _("{person} also takes part in the dialogue with {region} at that time.").format(
                person=clash.contact.name, region=clash.dialogue.region
            )
        )
    ends_on = dialogue.round.ends_on
    if ends_on and timezone.localtime(end).date() > ends_on:
        warnings.append(_("The dialogue falls after the round's last day ({date}).").format(date=date_format(ends_on)))
    return warnings


@transaction.atomic
def dialogue_status_set(*, dialogue: Dialogue, status: str) -> Dialogue:
    """Record that a dialogue was held or cancelled (or is planned again).

    Refused (ValidationError) to mark as held a dialogue not scheduled, or one whose day has not come.
    """
    if status == DialogueStatus.HELD and dialogue.start is None:
        raise ValidationError(_("Schedule the dialogue before marking it as held."))
    if status == DialogueStatus.HELD and timezone.localtime(dialogue.start).date() > timezone.localdate():
        raise ValidationError(
            {
                "status": _("The dialogue cannot be marked as held before its date ({date}).").format(
                    date=date_format(timezone.localtime(dialogue.start).date())
                )
            },
            code="not_yet",
        )
    dialogue.status = status
    dialogue.full_clean()
    dialogue.save(update_fields=["status"])
    return dialogue


# --- The agency's dialogue days --------------------------------------------------------------


def _save_with_counties_and_agencies(
    record: DialogueDay | Session, regions: Iterable[Region], agencies: Iterable[Organisation]
) -> None:
    agencies = list(agencies)
    organisations_lock(agency.pk for agency in agencies)
    record.save()
    record.regions.set(regions)
    record.agencies.set(agencies)


@transaction.atomic
def dialogue_day_save(*, day: DialogueDay, regions: Iterable[Region], agencies: Iterable[Organisation]) -> DialogueDay:
    """Save a dialogue day (validated by its form) with its counties and agencies; refused
    (ValidationError, nothing saved) if a chosen agency has just been removed."""
    _save_with_counties_and_agencies(day, regions, agencies)
    return day


@transaction.atomic
def session_save(*, session: Session, regions: Iterable[Region], agencies: Iterable[Organisation]) -> Session:
    """Save a session of a dialogue day (validated by its form) with its counties and agencies;
    refused (ValidationError, nothing saved) if a chosen agency has just been removed."""
    _save_with_counties_and_agencies(session, regions, agencies)
    return session


# --- Submissions ----------------------------------------------------------------------------


def submission_check_editable(submission: Submission) -> None:
    """Refuse, with the reason, any change the county may no longer make."""
    if submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("The submission has been accepted and can no longer be changed."))
    if submission.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(
            _("The submission has been submitted. It can be changed again only if the ministry returns it.")
        )
    dialogue_round = submission.dialogue.round
    if dialogue_round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is not open for submissions."))
    # A returned submission may be completed after the deadline: the ministry asked for it. The
    # deadline is the county's own: the round's, or the extension the ministry gave it.
    if submission.status == SubmissionStatus.DRAFT and submission.deadline_passed:
        raise ValidationError(
            _("The deadline ({date}) has passed, so the submission can no longer be changed.").format(
                date=date_format(submission.deadline)
            )
        )


def submission_check_may_submit(submission: Submission, user: User) -> None:
    """Refuse, naming who may, when `user` may not send in the county's submission (an editor, or
    anyone outside the county): only a county director submits and answers the ministry's returns."""
    region = submission.dialogue.region
    if may_submit_for_region(user, region):
        return
    names = ", ".join(director.full_name for director in county_directors(region_id=region.pk))
    if names:
        raise ValidationError(
            _("Only those who may submit for the county can send in its submission. Ask {names}.").format(names=names)
        )
    raise ValidationError(_("Only those who may submit for the county can send in its submission."))


@transaction.atomic
def submission_deadline_extend(*, dialogue: Dialogue, deadline: date, reason: str) -> Submission:
    """Give one county a later deadline than the round's, with the reason (the change history keeps
    who did it and when). The county can then submit until that day; its users are told by e-mail.

    Refused (ValidationError, nothing changed) unless the round is open, the day is after the
    round's deadline and not in the past, and a reason is given.
    """
    submission = Submission.objects.select_for_update().select_related("dialogue__round", "dialogue__region")
    submission = submission.filter(dialogue=dialogue).first()
    if submission is None:
        raise ValidationError(_("This dialogue has no submission to extend the deadline of."))
    dialogue_round = submission.dialogue.round
    if dialogue_round.status != RoundStatus.OPEN:
        raise ValidationError(_("The deadline can be extended only while the round is open."))
    if deadline <= dialogue_round.submission_deadline:
        raise ValidationError(
            {
                "deadline": _("Choose a day after the round's deadline ({date}).").format(
                    date=date_format(dialogue_round.submission_deadline)
                )
            }
        )
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The extended deadline cannot be in the past.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    submission.deadline_extended_to = deadline
    submission.deadline_extension_reason = reason.strip()
    submission.full_clean()
    submission.save(update_fields=["deadline_extended_to", "deadline_extension_reason"])
    mail_users(
        users=_regional_users([submission.dialogue.region_id]),
        subject=_("Your deadline for {title} has been extended").format(title=dialogue_round.title),
        body=_("The ministry has extended your county's deadline for {title} to {deadline}.\n\n{reason}").format(
            title=dialogue_round.title, deadline=date_format(deadline), reason=submission.deadline_extension_reason
        )
        + "\n\n"
        + _("The submission: {link}").format(link=_submission_link(submission)),
    )
    return submission


@transaction.atomic
def submission_save_draft(
    *,
    submission: Submission,
    expected_version: int,
    resource_use: str,
    priorities: Iterable[dict],
    results: Iterable[dict],
) -> Submission:
    """Save the county's draft: resource use, ranked priorities and results replace what was there.

    Raises `StaleEditError` when someone else saved the submission after `expected_version`, and
    `ValidationError` when it can no longer be changed (submitted, accepted, deadline passed).
    """
    submission_check_editable(submission)
    priorities, results = list(priorities), list(results)
    ranks = [p["rank"] for p in priorities]
    if len(ranks) != len(set(ranks)):
        raise ValidationError(_("Two priorities cannot have the same rank."))
    chosen = {p["strategy_priority"].pk for p in priorities}
    own = set(
        StrategyPriority.objects.filter(pk__in=chosen, strategy__region_id=submission.dialogue.region_id).values_list(
            "pk", flat=True
        )
    )
    if chosen - own:
        raise ValidationError(_("Priorities must come from the county's own regional development strategy."))

    submission.resource_use = resource_use
    submission.updated_at = timezone.now()
    save_versioned(submission, expected_version=expected_version, fields=["resource_use", "updated_at"])
    _rows_sync(
        SubmissionPriority,
        submission,
        key="rank",
        wanted=[
            {"rank": p["rank"], "strategy_priority": p["strategy_priority"], "rationale": p.get("rationale", "")}
            for p in priorities
        ],
    )
    result_defaults = {name: SubmissionResult._meta.get_field(name).get_default() for name in RESULT_FIELDS}
    _rows_sync(
        SubmissionResult,
        submission,
        key="position",
        wanted=[
            {**result_defaults, **result, "position": position} for position, result in enumerate(results, start=1)
        ],
    )
    return submission


@transaction.atomic
def submission_edit(
    *,
    submission: Submission,
    user: User,
    expected_version: int,
    resource_use: str,
    priorities: Iterable[dict],
    results: Iterable[dict],
    submit: bool = False,
    base_url: str = "",
) -> Submission:
    """The county's edit page: save the draft and, with `submit`, send it to the ministry, both or
    neither (see `submission_save_draft` and `submission_submit` for what each refuses)."""
    if submit:
        submission_check_may_submit(submission, user)  # before the draft is saved: nothing changes
    submission_save_draft(
        submission=submission,
        expected_version=expected_version,
        resource_use=resource_use,
        priorities=priorities,
        results=results,
    )
    if submit:
        submission_submit(submission=submission, user=user, base_url=base_url)
    return submission


RESULT_FIELDS = ("indicator", "baseline", "target", "outcome", "comment")


def _rows_sync(model, submission: Submission, *, key: str, wanted: list[dict]) -> None:
    """Make the submission's rows of `model` hold `wanted` (each row's field values, `key` among them).

    A row whose `key` (rank, position) is still there keeps its identity and is updated only where
    a value changed; the others are created or deleted. So the change history records what the
    county changed, not every row deleted and made again.
    """
    kept, surplus = {}, []
    for row in model._default_manager.filter(submission=submission).order_by(key, "pk"):
        if getattr(row, key) in kept:
            surplus.append(row)  # a second row at the same place (made outside this form): removed
        else:
            kept[getattr(row, key)] = row
    new = []
    for values in wanted:
        row = kept.pop(values[key], None)
        if row is None:
            new.append(model(submission=submission, **values))
            continue
        changed = [name for name, value in values.items() if _differs(row, name, value)]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            row.save(update_fields=changed)  # django-auditlog records the changed fields
    gone = [row.pk for row in [*kept.values(), *surplus]]
    if gone:
        model._default_manager.filter(pk__in=gone).delete()  # one audit entry per row, through the signals
    audit_record_created(model._default_manager.bulk_create(new))


def _differs(row, name: str, value) -> bool:
    field = row._meta.get_field(name)
    current = getattr(row, field.attname)
    return current != (value.pk if field.is_relation and value is not None else value)


@transaction.atomic
def submission_submit(*, submission: Submission, user: User, base_url: str = "") -> SubmissionVersion:
    """Submit a draft or returned submission to the ministry; its content is kept as a new version.

    Every active ministry user gets an e-mail with a link to the submission (`base_url` is the
    portal's address, e.g. "https://portal.example.se"), sent once the transaction has committed.
    Refused unless `user` may submit for the county (`submission_check_may_submit`): an editor drafts,
    a county director sends in and answers the ministry's returns by sending in again.
    """
    submission = _locked(submission)
    submission_check_may_submit(submission, user)
    resubmitted = submission.status == SubmissionStatus.RETURNED
    submission_check_editable(submission)
    data = submission_snapshot(submission)
    if not (data["resource_use"].strip() or data["priorities"] or data["results"]):
        raise ValidationError(_("The submission is empty. Fill in priorities, results or resource use first."))
    number = submission.versions.count() + 1
    version = SubmissionVersion.objects.create(
        submission=submission, number=number, data=data, submitted_by=user, submitted_at=timezone.now()
    )
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = version.submitted_at
    fields = ["status", "submitted_at"]
    if submission.first_submitted_at is None:
        submission.first_submitted_at = version.submitted_at  # what "late" is decided by
        fields.append("first_submitted_at")
    save_versioned(submission, expected_version=submission.version, fields=fields)
    dialogue = submission.dialogue
    record = record_register(  # received: an official document (TF 2 kap. 9 §), registered with the event
        document=version, document_type=DocumentType.SUBMISSION, direction=Direction.RECEIVED,
        cases=(dialogue.round, dialogue), region=dialogue.region, year=dialogue.round.year,
        document_date=timezone.localdate(version.submitted_at), user=user,
    )  # fmt: skip
    # Its files went in with it (those sent with an earlier version keep that version's record).
    attachments_register(parent=submission, parent_record=record, user=user)
    _submission_mail_ministry(submission=submission, version=version, resubmitted=resubmitted, base_url=base_url)
    return version


def _submission_mail_ministry(
    *, submission: Submission, version: SubmissionVersion, resubmitted: bool, base_url: str
) -> None:
    """Tell every ministry user that a county has sent in (or sent in again) its submission."""
    dialogue = submission.dialogue
    names = {"region": dialogue.region.name, "round": dialogue.round.title, "number": version.number}
    if resubmitted:
        subject = _("New version of the submission from {region} for {round}")
        intro = _("{region} has completed its returned submission for {round} and sent it in again (version {number}).")
    else:
        subject = _("Submission from {region} for {round}")
        intro = _("{region} has sent in its priorities, results and resource use for {round} (version {number}).")
    link = base_url + reverse("dialogues:submission_detail", kwargs={"pk": dialogue.pk})
    mail_users(
        users=User.objects.filter(role=Role.MINISTRY, is_active=True),
        subject=subject.format(**names),
        body=_("{intro}\n\nRead it in the portal: {link}").format(intro=intro.format(**names), link=link),
    )


def _submission_check_submitted(submission: Submission) -> None:
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted submission can be returned or accepted."))


@transaction.atomic
def submission_return(*, submission: Submission, comment: str) -> Submission:
    """Send a submitted submission back to the county with a comment; the county may then resubmit."""
    submission = _locked(submission)
    _submission_check_submitted(submission)
    if not comment.strip():
        raise ValidationError(_("Write a comment that tells the county what to change."))
    submission.status = SubmissionStatus.RETURNED
    submission.return_comment = comment
    submission.version = F("version") + 1
    submission.save(update_fields=["status", "return_comment", "version"])
    submission.refresh_from_db(fields=["version"])
    mail_users(
        users=_regional_users([submission.dialogue.region_id]),
        subject=_("Your submission for {round} has been returned").format(round=submission.dialogue.round),
        body=_("The ministry has returned your submission with this comment:\n\n{comment}").format(comment=comment)
        + "\n\n"
        + _("Complete and submit it here: {link}").format(link=_submission_link(submission)),
    )
    return submission


@transaction.atomic
def submission_accept(*, submission: Submission) -> Submission:
    """Accept a submitted submission; it can no longer be changed."""
    submission = _locked(submission)
    _submission_check_submitted(submission)
    submission.status = SubmissionStatus.ACCEPTED
    submission.version = F("version") + 1
    submission.save(update_fields=["status", "version"])
    submission.refresh_from_db(fields=["version"])
    return submission


# Days before the deadline on which counties that have not submitted are reminded.
REMINDER_DAYS_BEFORE_DEADLINE = (7, 1)
# The county whose deadline passed with its submission still a draft is told so the day after, or
# on the first run within this many days if the workers were away that day.
DEADLINE_PASSED_CATCH_UP_DAYS = 7


def _submission_link(submission: Submission) -> str:
    """The absolute address of the submission's page (workers have no request: PORTAL_URL)."""
    return settings.PORTAL_URL + reverse("dialogues:submission_detail", args=[submission.dialogue_id])


def _open_drafts():
    return (
        Submission.objects.alias(
            deadline_in_force=Coalesce("deadline_extended_to", "dialogue__round__submission_deadline")
        )
        .filter(status=SubmissionStatus.DRAFT, dialogue__round__status=RoundStatus.OPEN)
        .select_related("dialogue__round")
        .order_by("pk")
    )


def submission_reminders_send(*, today: date | None = None) -> int:
    """E-mail the counties whose draft is due (their own deadline) in 7 or 1 days, and, once, those
    whose deadline passed with the submission still a draft; returns how many were e-mailed.

    Each submission is claimed with a conditional update first, so a reminder goes out at most
    once a day, and the "deadline passed" e-mail once for each deadline in force, however often
    (or on however many workers) this runs. Every e-mail links to the submission.
    """
    today = today or timezone.localdate()
    return _deadline_reminders_send(today) + _deadline_passed_send(today)


def _deadline_reminders_send(today: date) -> int:
    deadlines = [today + timedelta(days=days) for days in REMINDER_DAYS_BEFORE_DEADLINE]
    due = _open_drafts().filter(deadline_in_force__in=deadlines).exclude(reminder_sent_on=today)
    reminded = 0
    for submission in due:
        with transaction.atomic():
            claimed = (
                Submission.objects.filter(pk=submission.pk)
                .exclude(reminder_sent_on=today)
                .update(reminder_sent_on=today)
            )
            if not claimed:
                continue
            dialogue_round = submission.dialogue.round
            mail_users(
                users=_regional_users([submission.dialogue.region_id]),
                subject=_("Reminder: submit by {deadline} for {title}").format(
                    deadline=date_format(submission.deadline), title=dialogue_round.title
                ),
                body=_(
                    "Your county has not yet submitted its priorities, results and resource use for {title}. "
                    "The deadline is {deadline}; after it the draft can no longer be changed."
                ).format(title=dialogue_round.title, deadline=date_format(submission.deadline))
                + "\n\n"
                + _("Complete and submit it here: {link}").format(link=_submission_link(submission)),
            )
            reminded += 1
    return reminded


def _deadline_passed_send(today: date) -> int:
    """Tell each county whose deadline in force has passed (yesterday, or within the catch-up days)
    that its submission was not sent in. `reminder_sent_on` after the deadline marks it told: a later
    extension makes a new deadline, and its passing is told again."""
    not_told = Q(reminder_sent_on__isnull=True) | Q(reminder_sent_on__lte=F("deadline_in_force"))
    passed = _open_drafts().filter(
        not_told,
        deadline_in_force__lt=today,
        deadline_in_force__gte=today - timedelta(days=DEADLINE_PASSED_CATCH_UP_DAYS),
    )
    told = 0
    for submission in passed:
        with transaction.atomic():
            deadline = submission.deadline
            claimed = (
                Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.DRAFT)
                .filter(Q(reminder_sent_on__isnull=True) | Q(reminder_sent_on__lte=deadline))
                .update(reminder_sent_on=today)
            )
            if not claimed:
                continue
            title = submission.dialogue.round.title
            mail_users(
                users=_regional_users([submission.dialogue.region_id]),
                subject=_("The deadline for {title} has passed").format(title=title),
                body=_(
                    "Your county's deadline for {title} was {deadline}, and the submission was not sent in. "
                    "The draft can no longer be changed. If your county needs more time, contact the "
                    "ministry: it can extend the deadline."
                ).format(title=title, deadline=date_format(deadline))
                + "\n\n"
                + _("The submission: {link}").format(link=_submission_link(submission)),
            )
            told += 1
    return told


# --- Results entered once: the submission fetches the county's 1:1 results -------------------


class ResultsFetchStaleError(StaleEditError):
    message = _lazy(
        "The submission or the 1:1 results changed after you opened this page, or the figures were already "
        "fetched. Nothing was fetched: check the changes below again."
    )


@transaction.atomic
def submission_results_fetch(*, submission: Submission, expected_version: int, expected_allocation_version: int) -> int:
    """Copy the county's 1:1 results of the round's year into its draft submission, as previewed by
    `submission_results_from_followup`: a result with the same indicator name gets the 1:1 baseline,
    target and outcome (its comment is kept), an indicator the submission lacks is added after its
    results, and every other result stays as it is. Returns how many results were added or changed.

    Refused with `ValidationError` when the submission can no longer be changed or there are no 1:1
    results, and with `ResultsFetchStaleError` (nothing changed) when the submission or the 1:1
    results moved on since the preview: so a second click on the same preview copies nothing.
    """
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("dialogue__round", "dialogue__region")
        .get(pk=submission.pk)
    )
    submission_check_editable(submission)
    dialogue = submission.dialogue
    nothing_to_fetch = ValidationError(
        _("{county} has no 1:1 results for {year} to fetch.").format(
            county=dialogue.region.name, year=dialogue.round.year
        )
    )
    # The county's 1:1 figures are locked before they are read, so what is copied is what the
    # version the preview was made from says (a change since is refused, not copied unseen).
    allocation = (
        Allocation.objects.select_for_update()
        .filter(region_id=dialogue.region_id, appropriation__year=dialogue.round.year)
        .first()
    )
    if allocation is None:
        raise nothing_to_fetch
    if allocation.version != expected_allocation_version:
        raise ResultsFetchStaleError
    _allocation, rows = submission_results_from_followup(submission)
    if not rows:
        raise nothing_to_fetch
    try:
        submission.updated_at = timezone.now()
        save_versioned(submission, expected_version=expected_version, fields=["updated_at"])
    except StaleEditError:
        raise ResultsFetchStaleError from None
    changed = [row for row in rows if row["change"] != "same"]
    position = max((result.position for result in submission.results.all()), default=0)
    for row in changed:
        result = row["row"]
        if result is None:
            position += 1
            result = SubmissionResult(submission=submission, position=position, indicator=row["indicator"])
        for name, value in row["after"].items():
            setattr(result, name, value)
        result.full_clean()
        result.save()
    return len(changed)


# --- Observations, actions and briefs --------------------------------------------------------


def _good_example_sync(observation: Observation) -> None:
    """Keep the county's good example in step with the observation: it exists while the observation
    is marked a good example *and* shared with the county (the profile is read by every county, so
    nothing may be derived from the ministry's unshared notes); un-sharing or un-marking removes it."""
    if observation.is_good_example and observation_is_shared(observation):
        example = observation.good_example
        if example is None:
            # An example already on the profile under the same title is linked, not duplicated.
            example = GoodExample.objects.filter(
                region_id=observation.dialogue.region_id,
                title=observation.title,
                year=observation.dialogue.round.year,
                observation__isnull=True,
            ).first() or GoodExample(region_id=observation.dialogue.region_id, year=observation.dialogue.round.year)
        example.title = observation.title
        example.summary = observation.text
        example.full_clean()
        example.save()
        if observation.good_example_id != example.pk:
            observation.good_example = example
            observation.save(update_fields=["good_example"])
    elif observation.good_example_id:
        example = observation.good_example
        observation.good_example = None
        observation.save(update_fields=["good_example"])
        example.delete()


@transaction.atomic
def observation_create(*, dialogue: Dialogue, author: User | None, **fields) -> Observation:
    """Record an observation; a shared good example also appears on the county's profile."""
    observation = Observation(dialogue=dialogue, author=author, **fields)
    observation.full_clean()
    observation.save()
    _good_example_sync(observation)
    return observation


@transaction.atomic
def observation_update(*, observation: Observation, **fields) -> Observation:
    """Change an observation; its good example follows (created, updated or removed)."""
    for name, value in fields.items():
        setattr(observation, name, value)
    observation.full_clean()
    observation.save()
    _good_example_sync(observation)
    return observation


@transaction.atomic
def observations_delete(*, observations) -> int:
    """Remove observations and the good examples derived from them (which would otherwise stay on
    the county's profile as if the county had written them). Returns how many observations went."""
    example_ids = [pk for pk in observations.values_list("good_example_id", flat=True) if pk]
    deleted, _by_model = Observation.objects.filter(pk__in=observations.values("pk")).delete()
    GoodExample.objects.filter(pk__in=example_ids).delete()
    return deleted


@transaction.atomic
def brief_save(*, dialogue: Dialogue, text: str, author: User, expected_version: int | None = None) -> Brief:
    """Write or rewrite the agency's brief for a dialogue (refused if someone else saved it meanwhile)."""
    brief = Brief.objects.filter(dialogue=dialogue).first()
    if brief is None:
        brief = Brief(dialogue=dialogue, text=text, author=author)
        brief.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                brief.save()
        except IntegrityError as error:  # someone else wrote the first brief at the same moment
            raise StaleEditError from error
        return brief
    brief = Brief.objects.select_for_update().get(pk=brief.pk)  # a mark-final waits for us, or we for it
    _brief_check_draft(brief)
    brief.text, brief.author, brief.updated_at = text, author, timezone.now()
    brief.full_clean()
    save_versioned(brief, expected_version=expected_version or 0, fields=["text", "author", "updated_at"])
    return brief


def _brief_check_draft(brief: Brief) -> None:
    if brief.is_final:
        raise ValidationError(
            _("The brief was marked final on {day} and can no longer be changed.").format(
                day=date_format(timezone.localdate(brief.final_at))
            )
        )


def _brief_register(brief: Brief, *, user: User | None) -> Record:
    """A final brief is received by the ministry from the agency (TF 2 kap. 9 §)."""
    dialogue = brief.dialogue
    return record_register(
        document=brief, document_type=DocumentType.BRIEF, direction=Direction.RECEIVED,
        cases=(dialogue.round, dialogue), region=dialogue.region, year=dialogue.round.year,
        document_date=timezone.localdate(brief.final_at), user=user, party=agency_party(),
    )  # fmt: skip


@transaction.atomic
def brief_mark_final(*, brief: Brief, user: User, expected_version: int | None = None) -> Brief:
    """Mark the agency's brief final: its text is frozen, and it and its files are registered as
    official documents. Refused when it is already final or changed since the user read it."""
    locked = Brief.objects.select_for_update().select_related("dialogue__round", "dialogue__region").get(pk=brief.pk)
    _brief_check_draft(locked)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError
    locked.final_at, locked.final_by = timezone.now(), user
    locked.version += 1
    locked.save(update_fields=["final_at", "final_by", "version"])
    record = _brief_register(locked, user=user)
    attachments_register(parent=locked, parent_record=record, user=user)
    return locked


@transaction.atomic
def brief_attachment_add(*, brief: Brief, upload, user: User, description: str = "") -> Attachment:
    """Attach a file to the brief (core.attachments); to a final brief it is registered at once,
    as an attachment to the brief's record."""
    attachment = attachment_add(parent=brief, upload=upload, user=user, description=description)
    brief = Brief.objects.get(pk=brief.pk)
    if brief.is_final:
        record = _brief_register(brief, user=user)
        attachment_register(attachment=attachment, parent_record=record, user=user)
    return attachment


def brief_check_attachment_removable(brief: Brief, attachment=None) -> None:
    """A file of a final brief is an official document: it stays."""
    if brief.is_final:
        raise ValidationError(_("The brief is final: its files are official documents and cannot be removed."))
