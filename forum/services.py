"""Writes of the national forum that do more than save one form: agenda numbering, minutes under
optimistic locking, attendance, documents, the meeting reminders, and the writes that name people
from the contact directory (chair, members, substitutes, attendance)."""

import datetime
import logging
import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from core.concurrency import save_versioned
from core.mail import mail_send
from records.choices import Direction, DocumentType
from records.services import record_register
from regions.services import contacts_lock

from .choices import MeetingStatus
from .ics import meeting_local_times
from .models import (
    MAX_AGENDA_ITEMS,
    MAX_REMINDER_DAYS,
    MINUTES_MAX_LENGTH,
    AgendaItem,
    Attendance,
    CalendarSubscription,
    Forum,
    Meeting,
    MeetingDocument,
    Membership,
)
from .selectors import members_on

logger = logging.getLogger(__name__)


@transaction.atomic
def forum_save(*, forum: Forum) -> Forum:
    """Save a forum (validated by its form); refused (ValidationError, nothing saved) if the chosen
    chair has just been removed from the contact directory."""
    contacts_lock([forum.chair_id])
    forum.save()
    return forum


def _previous_period(forum: Forum) -> Forum | None:
    return (
        Forum.objects.filter(kind=forum.kind, end_year__lt=forum.start_year)
        .exclude(pk=forum.pk)
        .order_by("-end_year")
        .first()
    )


@transaction.atomic
def forum_period_create(*, forum: Forum, carry_members: bool = False) -> tuple[Forum, int, int]:
    """Create a new period of one of the fora (validated by its form), with its chair.

    Refused (ValidationError, nothing saved) if the period overlaps another of the same kind (the
    periods of that kind are locked first, so two new periods at once cannot both pass) or if the
    chair has just been removed from the contact directory. With `carry_members`, the seats held
    when the previous period ended start again on 1 January of the first year; seats that no longer
    fit (forum.seats) are left out. Returns the forum, how many seats were carried and left out.
    """
    contacts_lock([forum.chair_id])
    list(Forum.objects.select_for_update().filter(kind=forum.kind).values_list("pk", flat=True))
    forum.full_clean()
    forum.save()
    carried = skipped = 0
    previous = _previous_period(forum) if carry_members else None
    if previous is not None:
        last_day = datetime.date(previous.end_year, 12, 31)
        held = list(previous.memberships.on(last_day).select_related("contact", "region", "substitute"))
        contacts_lock([m.contact_id for m in held] + [m.substitute_id for m in held])
        for old in held:
            seat = Membership(
                forum=forum,
                contact=old.contact,
                region=old.region,
                role=old.role,
                substitute=old.substitute,
                valid_from=datetime.date(forum.start_year, 1, 1),
            )
            try:
                seat.full_clean()
            except ValidationError:
                skipped += 1
                continue
            seat.save()
            carried += 1
    return forum, carried, skipped


@transaction.atomic
def membership_save(*, membership: Membership) -> Membership:
    """Save a seat; refused (ValidationError, nothing saved) if the member or the substitute has
    just been removed from the contact directory, or if someone else holds the seat meanwhile."""
    contacts_lock([membership.contact_id, membership.substitute_id])
    # Seats of one forum are saved one at a time, so two people cannot both take a free seat at once.
    Forum.objects.select_for_update().filter(pk=membership.forum_id).first()
    membership.full_clean()
    membership.save()
    return membership


def agenda_item_next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


def _meeting_locked_while_drafting(meeting_id: int) -> Meeting:
    """Lock the meeting (so an approval and an edit of its minutes never cross) and refuse the edit
    (ValidationError) once its minutes are approved: approved minutes are final, so what the PDF
    says cannot change after the ministry signed it off."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.minutes_approved:
        raise ValidationError(
            _(
                "The minutes of this meeting were approved on {day} and can no longer be changed: the agenda, "
                "the minutes and the attendance are final."
            ).format(day=date_format(timezone.localdate(meeting.minutes_approved_at)))
        )
    return meeting


@transaction.atomic
def agenda_item_create(*, item: AgendaItem) -> AgendaItem:
    """Add an item to its meeting's agenda; an empty title takes the topic's name. Refused
    (ValidationError) once the meeting's minutes are approved or its agenda is full."""
    _meeting_locked_while_drafting(item.meeting_id)
    if AgendaItem.objects.filter(meeting_id=item.meeting_id).count() >= MAX_AGENDA_ITEMS:
        raise ValidationError(
            _("A meeting has at most {count} agenda items.").format(count=MAX_AGENDA_ITEMS), code="too_many"
        )
    if not item.title and item.topic_id:
        item.title = item.topic.name
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, expected_version: int) -> AgendaItem:
    """Save an item's title, number, topic, presenter and "prepares" link, unless someone saved it meanwhile.

    Raises StaleEditError (nothing saved) when the item changed after the user opened it, and
    ValidationError once the meeting's minutes are approved.
    """
    _meeting_locked_while_drafting(item.meeting_id)
    if not item.title and item.topic_id:
        item.title = item.topic.name
    item.full_clean()
    save_versioned(
        item, expected_version=expected_version, fields=["position", "title", "topic", "presenter", "prepares"]
    )
    return item


@transaction.atomic
def agenda_item_minutes_save(*, item: AgendaItem, minutes: str, expected_version: int) -> AgendaItem:
    """Save the minutes of one agenda item, unless someone saved the item after the user opened it.

    Raises StaleEditError (nothing saved) in that case, so two people never silently overwrite each
    other; ValidationError when the text is too long or the meeting's minutes are approved.
    """
    _meeting_locked_while_drafting(item.meeting_id)
    if len(minutes) > MINUTES_MAX_LENGTH:
        raise ValidationError(
            {"minutes": _("The minutes of an item hold at most {count} characters.").format(count=MINUTES_MAX_LENGTH)}
        )
    item.minutes = minutes
    save_versioned(item, expected_version=expected_version, fields=["minutes"])
    return item


@transaction.atomic
def meeting_minutes_approve(*, meeting: Meeting, user) -> Meeting:
    """Approve the meeting's minutes: they stop being a draft (no UTKAST on the PDF, the approval
    date on its cover) and can no longer be changed. Refused (ValidationError, nothing changed)
    while no item has minutes, or when they are already approved."""
    locked = _meeting_locked_while_drafting(meeting.pk)
    if not locked.agenda_items.exclude(minutes="").exists():
        raise ValidationError(
            _("Nothing is written in the minutes yet: write the minutes of an item before approving.")
        )
    locked.minutes_approved_at = timezone.now()
    locked.minutes_approved_by = user
    locked.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    # Approved minutes are an official document drawn up by the ministry (TF 2 kap. 10 §), kept in
    # the forum's case and sent to every county's body.
    record_register(
        document=locked, document_type=DocumentType.MINUTES, direction=Direction.DRAWN_UP,
        cases=(locked.forum,), region=None, year=timezone.localtime(locked.start).year,
        document_date=timezone.localdate(locked.minutes_approved_at), user=user,
    )  # fmt: skip
    return locked


@transaction.atomic
def attendance_record(*, meeting: Meeting, statuses: Mapping[int, str]) -> int:
    """Set each member's attendance (contact id → status); an empty status removes the record.

    Returns how many members now have a recorded attendance. Refused (ValidationError, nothing
    saved) if one of them has just been removed from the contact directory, or once the meeting's
    minutes are approved.
    """
    _meeting_locked_while_drafting(meeting.pk)
    contacts_lock(contact_id for contact_id, status in statuses.items() if status)
    for contact_id, status in statuses.items():
        if status:
            Attendance.objects.update_or_create(meeting=meeting, contact_id=contact_id, defaults={"status": status})
        else:
            Attendance.objects.filter(meeting=meeting, contact_id=contact_id).delete()
    return meeting.attendances.count()


@transaction.atomic
def meeting_document_add(*, meeting: Meeting, upload, content_type: str, user) -> MeetingDocument:
    """Store an uploaded (already checked) file under MEDIA_ROOT and attach it to the meeting."""
    document = MeetingDocument(
        meeting=meeting,
        original_name=upload.name[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    document.file.save(upload.name, upload, save=False)
    try:
        document.full_clean()
        document.save()
    except Exception:
        document.file.delete(save=False)  # no stray file when the row is not saved
        raise
    return document


def _reminder_body(meeting: Meeting) -> str:
    start, end = meeting_local_times(meeting)
    lines = [
        _("Reminder: {forum} meets on {day}.").format(
            forum=meeting.forum.get_kind_display(), day=date_format(start.date())
        ),
        "",
        meeting.title,
        _("Time: {start}–{end}").format(start=date_format(start, "DATETIME_FORMAT"), end=time_format(end)),
        _("Place: {place}").format(place=meeting.place or "–"),
        "",
        _("Agenda"),
    ]
    lines += [f"{item.position}. {item.title}" for item in meeting.agenda_items.all()]
    return "\n".join(lines)


def meetings_due_for_reminder(*, now: datetime.datetime) -> list[Meeting]:
    """Planned meetings not yet begun whose reminder day has come and whose reminder has not gone out."""
    horizon = now + datetime.timedelta(days=MAX_REMINDER_DAYS)
    candidates = (
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            reminder_sent_at__isnull=True,
            reminder_days__gt=0,
            start__gt=now,
            start__lte=horizon,
        )
        .select_related("forum")
        .prefetch_related("agenda_items")
    )
    return [m for m in candidates if m.start - datetime.timedelta(days=m.reminder_days) <= now]


@transaction.atomic
def meeting_reminder_send(*, meeting: Meeting, now: datetime.datetime) -> int:
    """E-mail the meeting's members its agenda, once: the meeting is claimed by a conditional update,
    so a second run (or a second worker) sends nothing. Returns the number of members e-mailed."""
    claimed = Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
    if not claimed:
        return 0
    # The outbox sends one message per member (nobody sees the others' addresses) after commit.
    sent = mail_send(
        recipients=[m.contact.email for m in members_on(meeting) if m.contact.email],
        subject=_("Reminder: {title}").format(title=meeting.title),
        body=_reminder_body(meeting),
    )
    logger.info("Meeting %s: reminder queued for %d member(s)", meeting.pk, sent)
    return sent


def meeting_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder that is due; returns how many meetings were reminded."""
    now = now or timezone.now()
    sent = 0
    for meeting in meetings_due_for_reminder(now=now):
        meeting_reminder_send(meeting=meeting, now=now)
        sent += 1
    return sent


@transaction.atomic
def calendar_subscription_renew(*, user) -> str:
    """Give `user` a new secret calendar address and return its token, to be shown to them once.

    Their earlier address, if any, stops working at once. Only the token's digest is stored.
    """
    token = secrets.token_urlsafe(32)
    CalendarSubscription.objects.update_or_create(
        user=user, defaults={"token_digest": CalendarSubscription.digest(token), "created_at": timezone.now()}
    )
    return token


@transaction.atomic
def calendar_subscription_revoke(*, user) -> bool:
    """Make `user`'s secret calendar address stop working; False if they had none."""
    deleted, _per_model = CalendarSubscription.objects.filter(user=user).delete()
    return deleted > 0
