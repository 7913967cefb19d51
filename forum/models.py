import datetime
import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rules.contrib.models import RulesModelBase, RulesModelMixin

from .choices import AttendanceStatus, ForumKind, MeetingStatus, SeatRole
from .rules import can_manage_forum, can_view_forum
from .seats import membership_errors

# Bounds that keep a meeting's minutes PDF small enough to render on request (tests/forum/test_minutes_pdf.py
# renders a meeting at both bounds): at most this many agenda items, each with at most this much minutes text.
MAX_AGENDA_ITEMS = 25
MINUTES_MAX_LENGTH = 4000

# How many days before a meeting its members are reminded, unless the meeting says otherwise.
DEFAULT_REMINDER_DAYS = 7
MAX_REMINDER_DAYS = 60


class Forum(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    """One of the two fora of the Forum for sustainable regional growth and attractiveness."""

    kind = models.CharField(_("kind"), max_length=20, choices=ForumKind.choices)
    name = models.CharField(_("name"), max_length=200)
    chair = models.ForeignKey(
        "regions.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_fora",
        verbose_name=_("chair"),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        ordering = ["-start_year", "kind"]
        verbose_name = _("forum")
        verbose_name_plural = _("fora")
        rules_permissions = {"view": can_view_forum, "change": can_manage_forum}
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start_year"],
                name="forum_kind_period_unique",
                violation_error_message=_("A forum of this kind already exists for that period."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")),
                name="forum_start_before_end",
                violation_error_message=_("The period cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_year}–{self.end_year}"

    def get_absolute_url(self):
        return reverse("forum:forum_detail", kwargs={"pk": self.pk})

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def year_within(self, year: int) -> int:
        """`year` moved into the forum's period (the first or last year when it lies outside)."""
        return min(max(year, self.start_year), self.end_year)

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def overlapping(self) -> "Forum | None":
        """Another period of the same kind sharing a year with this one, if any."""
        return (
            Forum.objects.filter(kind=self.kind, start_year__lte=self.end_year, end_year__gte=self.start_year)
            .exclude(pk=self.pk)
            .order_by("start_year")
            .first()
        )

    def clean(self):
        super().clean()
        if not (self.kind and self.start_year and self.end_year) or self.start_year > self.end_year:
            return
        other = self.overlapping()
        if other is not None:
            raise ValidationError(
                {
                    "start_year": _(
                        "The period overlaps {other}: two periods of the same forum cannot share a year."
                    ).format(other=other)
                }
            )


class MembershipQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        """Mandates running on `day`."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def in_year(self, year: int):
        """Mandates running at some time during `year`."""
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1)),
            valid_from__lte=datetime.date(year, 12, 31),
        )


class Membership(models.Model):
    """A contact's seat in a forum: for a county (or nationally, SKL), in a role, for a mandate period.

    Whether the role fits the forum and the county's responsible body is checked in `clean()` by
    `forum.seats.membership_errors`, the same rule the composition view shows.
    """

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("forum"))
    contact = models.ForeignKey(
        "regions.Contact", on_delete=models.PROTECT, related_name="forum_memberships", verbose_name=_("member")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_memberships",
        verbose_name=_("county"),
        help_text=_("Leave empty for national seats (SKL's committee)."),
    )
    role = models.CharField(_("seat"), max_length=48, choices=SeatRole.choices)
    valid_from = models.DateField(_("mandate from"))
    valid_to = models.DateField(_("mandate to"), null=True, blank=True, help_text=_("Leave empty if it runs on."))
    substitute = models.ForeignKey(
        "regions.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_substitutions",
        verbose_name=_("substitute (ersättare)"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "role", "valid_from"]
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="membership_from_before_to",
                violation_error_message=_("The mandate cannot end before it begins."),
            ),
            models.CheckConstraint(
                condition=~Q(substitute=F("contact")),
                name="membership_substitute_not_member",
                violation_error_message=_("A member cannot be their own substitute."),
            ),
        ]

    def __str__(self):
        return f"{self.contact.name}: {self.get_role_display()}"

    def clean(self):
        super().clean()
        errors = membership_errors(self)
        if errors:
            raise ValidationError(errors)


class Meeting(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    """A meeting of one forum, scheduled by the ministry."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("forum"))
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=200)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before"),
        default=DEFAULT_REMINDER_DAYS,
        validators=[MaxValueValidator(MAX_REMINDER_DAYS)],
        help_text=_("Members are e-mailed the agenda this many days before the meeting (0: no reminder)."),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("minutes approved by"),
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        rules_permissions = {"view": can_view_forum, "add": can_manage_forum, "change": can_manage_forum}
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="meeting_end_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:meeting_detail", kwargs={"pk": self.pk})

    @property
    def minutes_approved(self) -> bool:
        """Approved minutes are final; until then they are a draft (UTKAST on the PDF)."""
        return self.minutes_approved_at is not None

    def clean(self):
        super().clean()
        if self.start and self.forum_id and self.start.year not in self.forum.years:
            raise ValidationError(
                {
                    "start": _("The forum runs {start}–{end}; choose a date within that period.").format(
                        start=self.forum.start_year, end=self.forum.end_year
                    )
                }
            )


class AgendaItem(models.Model):
    """One numbered item of a meeting's agenda, with its minutes.

    An item of a civil servants' forum meeting may prepare an item of a politicians' forum meeting.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    topic = models.ForeignKey(
        "regions.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("topic"),
    )
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, max_length=MINUTES_MAX_LENGTH)
    prepares = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prepared_by",
        verbose_name=_("prepares"),
        help_text=_("The politicians' forum agenda item this item prepares."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_unique",
                violation_error_message=_("The meeting already has an item with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"

    def clean(self):
        super().clean()
        if self.prepares_id is None or self.meeting_id is None:
            return
        if self.meeting.forum.kind != ForumKind.CIVIL_SERVANT:
            raise ValidationError({"prepares": _("Only items of a civil servants' forum meeting prepare other items.")})
        if self.prepares.meeting.forum.kind != ForumKind.POLITICIAN:
            raise ValidationError({"prepares": _("Choose an agenda item of a politicians' forum meeting.")})


class Attendance(models.Model):
    """Whether a member was at a meeting (or sent the substitute)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    contact = models.ForeignKey(
        "regions.Contact", on_delete=models.PROTECT, related_name="forum_attendances", verbose_name=_("member")
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["meeting", "contact__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                name="attendance_once_per_meeting",
                violation_error_message=_("Attendance is already recorded for this member."),
            ),
        ]

    def __str__(self):
        return f"{self.contact.name}: {self.get_status_display()}"


def _document_path(instance, filename: str) -> str:
    # A random name on disk: the user's file name is kept only in `original_name`.
    suffix = PurePath(filename).suffix.lower()
    return f"forum/meetings/{uuid.uuid4().hex}{suffix}"


class MeetingDocument(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    """A file attached to a meeting, stored outside any public URL and served only to logged-in users."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting"))
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "original_name"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        rules_permissions = {"view": can_view_forum}

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("forum:document_download", kwargs={"pk": self.pk})


class CalendarSubscription(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    """A user's secret address for subscribing to their meetings and dialogues from Outlook,
    Google Calendar or any other calendar program.

    Calendar programs cannot log in, so the address itself is the key. Only its SHA-256 digest is
    stored: a copy of the database, a backup or the audit log never holds a working address. A
    new address replaces the user's earlier one, which stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_subscription",
        verbose_name=_("user"),
    )
    token_digest = models.CharField(_("digest of the secret address"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        rules_permissions = {"add": can_view_forum}

    def __str__(self):
        return _("Calendar subscription of {user}").format(user=self.user)

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
