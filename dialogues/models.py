import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import limits

from .choices import (
    ActionStatus,
    CommitmentKind,
    CommitmentStatus,
    DialogueKind,
    DialogueStatus,
    ObservationCategory,
    ParticipantSide,
    RoundStatus,
    SubmissionStatus,
)


class DialogueRound(models.Model):
    """One year's round of regional development dialogues: one annual dialogue per county.

    The ministry plans the round, opens it (which creates the dialogues and asks the counties for
    their submissions), closes it when the dialogues are done and records its conclusions.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    focus = models.TextField(
        _("focus"), blank=True, help_text=_("What this year's dialogues concentrate on."), max_length=limits.LONG_TEXT
    )
    themes = models.ManyToManyField(
        "regions.Topic", blank=True, related_name="dialogue_rounds", verbose_name=_("themes")
    )
    submission_deadline = models.DateField(
        _("submission deadline"), help_text=_("The last day on which the counties can submit.")
    )
    ends_on = models.DateField(
        _("last day of the round"),
        null=True,
        blank=True,
        help_text=_("Dialogues should be held by this day."),
    )
    requirements = models.TextField(
        _("what the counties submit"),
        blank=True,
        help_text=_("Instructions to the counties: what their submission must contain."),
        max_length=limits.LONG_TEXT,
    )
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PLANNING)
    # The round's conclusions ("what did the round show, what do we take with us?"), written when
    # the dialogues are done; they open the next round's planning page.
    findings = models.TextField(_("what the round showed"), blank=True, max_length=limits.LONG_TEXT)
    take_forward = models.TextField(_("what we take with us and change"), blank=True, max_length=limits.LONG_TEXT)
    next_focus = models.TextField(_("next year's focus"), blank=True, max_length=limits.LONG_TEXT)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("dialogue round")
        verbose_name_plural = _("dialogue rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("submission_deadline")),
                name="round_ends_after_deadline",
                violation_error_message=_("The round cannot end before the submission deadline."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:round_detail", kwargs={"pk": self.pk})

    @property
    def deadline_passed(self) -> bool:
        return timezone.localdate() > self.submission_deadline


class Dialogue(models.Model):
    """A meeting between the ministry and one county: the annual dialogue, bilateral talks or a deep dive."""

    round = models.ForeignKey(
        DialogueRound, on_delete=models.CASCADE, related_name="dialogues", verbose_name=_("dialogue round")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="dialogues", verbose_name=_("county")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DialogueKind.choices, default=DialogueKind.ANNUAL)
    topic = models.CharField(
        _("theme"), max_length=300, blank=True, help_text=_("For bilateral talks and deep dives: what they are about.")
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DialogueStatus.choices, default=DialogueStatus.PLANNED
    )

    class Meta:
        ordering = ["round", "region__code", "kind", "start"]
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region"],
                condition=Q(kind=DialogueKind.ANNUAL),
                name="dialogue_one_annual_per_region_and_round",
                violation_error_message=_("This county already has an annual dialogue in this round."),
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="dialogue_ends_after_start",
                violation_error_message=_("The dialogue cannot end before it starts."),
            ),
        ]

    def __str__(self):
        if self.kind == DialogueKind.ANNUAL:
            return _("{region}: {round}").format(region=self.region, round=self.round)
        return _("{region}: {kind} {topic}").format(region=self.region, kind=self.get_kind_display(), topic=self.topic)

    def get_absolute_url(self):
        return reverse("dialogues:dialogue_detail", kwargs={"pk": self.pk})


class Participant(models.Model):
    """A person taking part in a dialogue, and the side they come from."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="participants", verbose_name=_("dialogue")
    )
    contact = models.ForeignKey(
        "regions.Contact", on_delete=models.PROTECT, related_name="dialogue_participations", verbose_name=_("person")
    )
    side = models.CharField(_("side"), max_length=16, choices=ParticipantSide.choices)

    class Meta:
        ordering = ["side", "contact__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "contact"],
                name="participant_once_per_dialogue",
                violation_error_message=_("This person already takes part in the dialogue."),
            ),
        ]

    def __str__(self):
        return f"{self.contact} ({self.get_side_display()})"


class Submission(models.Model):
    """What a county sends before its annual dialogue: priorities, results and resource use.

    The county edits it while it is a draft or has been returned; every submitted version is kept
    as a `SubmissionVersion`. `version` guards against two people overwriting each other's draft.
    """

    dialogue = models.OneToOneField(
        Dialogue, on_delete=models.CASCADE, related_name="submission", verbose_name=_("dialogue")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    resource_use = models.TextField(
        _("resource use"),
        blank=True,
        help_text=_("How the county uses its resources, in words (the figures are reported under appropriation 1:1)."),
        max_length=limits.LONG_TEXT,
    )
    return_comment = models.TextField(_("comment when returned"), blank=True, max_length=limits.TEXT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # When the county first sent it in: whether it came late is decided by this, not by a
    # resubmission the ministry asked for.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, editable=False)
    # The ministry's extension of the round's deadline for this county alone (with its reason).
    deadline_extended_to = models.DateField(
        _("extended deadline"),
        null=True,
        blank=True,
        help_text=_("This county's own last day to submit, later than the round's deadline."),
    )
    deadline_extension_reason = models.TextField(
        _("reason for the extension"), blank=True, max_length=limits.SHORT_TEXT
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reminder_sent_on = models.DateField(_("deadline reminder sent on"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["dialogue"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_extended_to__isnull=True) | ~Q(deadline_extension_reason=""),
                name="submission_extension_has_a_reason",
                violation_error_message=_("Give the reason for the extension."),
            ),
        ]

    def __str__(self):
        return _("Submission for {dialogue}").format(dialogue=self.dialogue)

    def get_absolute_url(self):
        return reverse("dialogues:submission_detail", kwargs={"pk": self.dialogue_id})

    @property
    def deadline(self) -> datetime.date:
        """The deadline in force for this county: its extension, else the round's (load the round with it)."""
        return self.deadline_extended_to or self.dialogue.round.submission_deadline

    @property
    def deadline_passed(self) -> bool:
        return timezone.localdate() > self.deadline

    @property
    def is_late(self) -> bool:
        """First sent in after the deadline in force."""
        if self.first_submitted_at is None:
            return False
        return timezone.localdate(self.first_submitted_at) > self.deadline


class SubmissionPriority(models.Model):
    """One ranked priority of a submission, pointing at a priority of the county's RUS."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("submission")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    strategy_priority = models.ForeignKey(
        "regions.StrategyPriority",
        on_delete=models.PROTECT,
        related_name="submission_priorities",
        verbose_name=_("RUS priority"),
    )
    rationale = models.TextField(_("rationale"), blank=True, max_length=limits.TEXT)

    class Meta:
        ordering = ["submission", "rank"]
        verbose_name = _("submitted priority")
        verbose_name_plural = _("submitted priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "rank"],
                name="submission_priority_rank_unique",
                violation_error_message=_("Two priorities cannot have the same rank."),
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.strategy_priority}"


class SubmissionResult(models.Model):
    """A result the county reports: an indicator with its baseline, target and outcome."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="results", verbose_name=_("submission")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    indicator = models.CharField(_("indicator"), max_length=300)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    target = models.CharField(_("target"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=limits.TEXT)

    class Meta:
        ordering = ["submission", "position", "pk"]
        verbose_name = _("submitted result")
        verbose_name_plural = _("submitted results")

    def __str__(self):
        return self.indicator


class SubmissionVersion(models.Model):
    """A frozen copy of a submission as it was submitted (`data` holds the whole content as JSON)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("submission")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"],
                name="submission_version_number_unique",
                violation_error_message=_("This version number is already taken."),
            ),
        ]

    def __str__(self):
        return _("Version {number}").format(number=self.number)


class Observation(models.Model):
    """The ministry's note from a dialogue. Regions see it only when it is shared with them."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="observations", verbose_name=_("dialogue")
    )
    category = models.CharField(_("category"), max_length=32, choices=ObservationCategory.choices)
    title = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text"), blank=True, max_length=limits.LONG_TEXT)
    shared_with_region = models.BooleanField(_("shared with the county"), default=False)
    is_good_example = models.BooleanField(
        _("good example"),
        default=False,
        help_text=_("A good example appears on the county's profile once the observation is shared."),
    )
    good_example = models.OneToOneField(
        "regions.GoodExample",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observation",
        verbose_name=_("good example on the county's profile"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "category", "pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:dialogue_detail", kwargs={"pk": self.dialogue_id}) + f"#observation-{self.pk}"


class FollowUpAction(models.Model):
    """Something agreed in a dialogue. Unfinished actions carry into the county's next round."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="actions", verbose_name=_("dialogue"))
    what = models.TextField(_("what"), max_length=limits.TEXT)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who takes the next step."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    progress = models.TextField(
        _("progress"), blank=True, help_text=_("What has been done so far."), max_length=limits.TEXT
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["dialogue", "due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.what[:80]

    def get_absolute_url(self):
        return reverse("dialogues:dialogue_detail", kwargs={"pk": self.dialogue_id}) + f"#action-{self.pk}"


class Brief(models.Model):
    """The agency's briefing material for one dialogue. Read by the ministry, never by the county."""

    dialogue = models.OneToOneField(
        Dialogue, on_delete=models.CASCADE, related_name="brief", verbose_name=_("dialogue")
    )
    text = models.TextField(_("briefing material"), max_length=limits.DOCUMENT_TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    final_at = models.DateTimeField(_("marked final"), null=True, blank=True, editable=False)
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("marked final by"),
    )

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")

    def __str__(self):
        return _("Brief for {dialogue}").format(dialogue=self.dialogue)

    def get_absolute_url(self):
        return self.dialogue.get_absolute_url() + "#brief-heading"

    @property
    def is_final(self) -> bool:
        """A final brief is an official document received by the ministry: its text no longer changes."""
        return self.final_at is not None


class DialogueDay(models.Model):
    """The agency's national–regional dialogue day: themed sessions between agencies and regions."""

    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    description = models.TextField(_("purpose"), blank=True, max_length=limits.TEXT)
    regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="dialogue_days", verbose_name=_("participating counties")
    )
    agencies = models.ManyToManyField(
        "regions.Organisation", blank=True, related_name="dialogue_days", verbose_name=_("participating agencies")
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("dialogue day")
        verbose_name_plural = _("dialogue days")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:dialogueday_detail", kwargs={"pk": self.pk})


class Session(models.Model):
    """One themed session ("dialogpass") of a dialogue day, and what it produced."""

    day = models.ForeignKey(
        DialogueDay, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("dialogue day")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    topic = models.ForeignKey(
        "regions.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("theme"),
    )
    regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="dialogue_sessions", verbose_name=_("participating counties")
    )
    agencies = models.ManyToManyField(
        "regions.Organisation",
        blank=True,
        related_name="dialogue_sessions",
        verbose_name=_("participating agencies"),
    )
    proposals = models.TextField(_("proposals"), blank=True, max_length=limits.LONG_TEXT)
    needs = models.TextField(_("needs"), blank=True, max_length=limits.LONG_TEXT)
    next_step_owner = models.CharField(_("who owns the next step"), max_length=300, blank=True)

    class Meta:
        ordering = ["day", "position", "pk"]
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:dialogueday_detail", kwargs={"pk": self.day_id}) + f"#session-{self.pk}"


class JointCommitment(models.Model):
    """What the agency commits to a county in its strategic dialogues: knowledge or funds."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="joint_commitments", verbose_name=_("county")
    )
    title = models.CharField(_("commitment"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=CommitmentKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    amount = models.DecimalField(
        _("amount (kronor)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("For funds: whole kronor."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.PROPOSED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region__code", "-updated_at"]
        verbose_name = _("joint commitment")
        verbose_name_plural = _("joint commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="joint_commitment_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:commitment_list") + f"#commitment-{self.pk}"
