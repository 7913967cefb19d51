"""Feedback reports: one generated PDF per county and round, plus the round summary, and the
reviewers' comments. The tables keep their old names (dialogues_*): the models moved here from
dialogues without moving their data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits

from .choices import CommentResolution, ReportStatus, ReviewState


def _report_path(report, filename: str) -> str:
    return f"{report.file_folder}/{filename}"


class FeedbackReport(models.Model):
    """A generated feedback report (PDF): one per county and round, plus the round summary (no county).

    Every generation is a new version; the newest finished one is `is_current`, older ones stay
    downloadable. The file is stored through Django's storage and served only by a checked view.
    """

    round = models.ForeignKey(
        "dialogues.DialogueRound", on_delete=models.CASCADE, related_name="reports", verbose_name=_("dialogue round")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_reports",
        verbose_name=_("county"),
        help_text=_("Empty for the round summary."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="sv")
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A redelivered message keeps its task id: that is how a redelivery after a dead worker takes
    # its own report back at once, while a different task cannot.
    claim_task_id = models.CharField(_("claimed by Celery task"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=_report_path, blank=True)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    review_state = models.CharField(
        _("review"), max_length=16, choices=ReviewState.choices, default=ReviewState.IN_REVIEW
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        db_table = "dialogues_feedbackreport"
        ordering = ["round", "region__code", "language", "-version"]
        verbose_name = _("feedback report")
        verbose_name_plural = _("feedback reports")
        constraints = [
            # Two partial constraints each, because the summary's region is NULL (and NULLs never clash).
            models.UniqueConstraint(
                fields=["round", "region", "language"],
                condition=Q(is_current=True, region__isnull=False),
                name="feedback_report_one_current",
                violation_error_message=_("Only one version of a report can be the current one."),
            ),
            models.UniqueConstraint(
                fields=["round", "language"],
                condition=Q(is_current=True, region__isnull=True),
                name="feedback_report_one_current_summary",
                violation_error_message=_("Only one version of a report can be the current one."),
            ),
            models.UniqueConstraint(
                fields=["round", "region", "language", "version"],
                condition=Q(region__isnull=False),
                name="feedback_report_version_unique",
                violation_error_message=_("This version of the report already exists."),
            ),
            models.UniqueConstraint(
                fields=["round", "language", "version"],
                condition=Q(region__isnull=True),
                name="feedback_report_summary_version_unique",
                violation_error_message=_("This version of the report already exists."),
            ),
        ]

    def __str__(self):
        name = self.region.name if self.region_id else _("Round summary")
        return _("{name}, {round} (version {version})").format(name=name, round=self.round, version=self.version)

    def get_absolute_url(self):
        return reverse("reports:report_detail", kwargs={"pk": self.pk})

    @property
    def is_summary(self) -> bool:
        return self.region_id is None

    @property
    def in_progress(self) -> bool:
        return self.status in (ReportStatus.PENDING, ReportStatus.RUNNING)

    @property
    def file_folder(self) -> str:
        """The storage folder of this version's file and of nothing else, so that files left by a
        run that died before committing can be found and removed."""
        return f"reports/{self.round_id}/{self.pk}"


class ReportComment(models.Model):
    """A reviewer's comment on a feedback report."""

    report = models.ForeignKey(
        FeedbackReport, on_delete=models.CASCADE, related_name="comments", verbose_name=_("feedback report")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=limits.TEXT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolution = models.CharField(
        _("resolution"), max_length=16, choices=CommentResolution.choices, default=CommentResolution.OPEN
    )
    answer = models.TextField(
        _("answer"),
        blank=True,
        help_text=_("The ministry's reply, when it answers the comment."),
        max_length=limits.TEXT,
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        db_table = "dialogues_reportcomment"
        ordering = ["report", "created_at", "pk"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self):
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.resolution == CommentResolution.OPEN


class LetterTemplate(models.Model):
    """The round's covering letter as the ministry writes it once: the default introduction and
    closing of every county's letter (placeholders such as {county} filled in), and the sender and
    contact person printed on every report of the round."""

    round = models.OneToOneField(
        "dialogues.DialogueRound",
        on_delete=models.CASCADE,
        related_name="letter_template",
        verbose_name=_("dialogue round"),
    )
    sender_unit = models.CharField(
        _("unit"), max_length=200, blank=True, help_text=_("The ministry's unit that sends the reports.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "Plain text; a blank line starts a new paragraph. {county}, {organisation} and {year} are filled in."
        ),
        max_length=limits.LONG_TEXT,
    )
    closing = models.TextField(
        _("closing"), blank=True, help_text=_("Plain text, as the introduction."), max_length=limits.LONG_TEXT
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self):
        return str(self.round)

    def get_absolute_url(self):
        return reverse("reports:letter_template", kwargs={"pk": self.round_id})


class CoveringLetter(models.Model):
    """The covering letter of one county's report (without a county: of the round summary), with
    the registration number the ministry gives the report. Written from the round's template the
    first time the ministry saves it or the reports are requested; every version and language of
    the report carries it."""

    round = models.ForeignKey(
        "dialogues.DialogueRound",
        on_delete=models.CASCADE,
        related_name="covering_letters",
        verbose_name=_("dialogue round"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covering_letters",
        verbose_name=_("county"),
        help_text=_("Empty for the round summary."),
    )
    introduction = models.TextField(_("introduction"), blank=True, max_length=limits.LONG_TEXT)
    closing = models.TextField(_("closing"), blank=True, max_length=limits.LONG_TEXT)
    registration_number = models.CharField(
        _("registration number"), max_length=60, blank=True, help_text=_("The diary number (diarienummer), if any.")
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["round", "region__code"]
        verbose_name = _("covering letter")
        verbose_name_plural = _("covering letters")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region"],
                condition=Q(region__isnull=False),
                name="covering_letter_one_per_county",
                violation_error_message=_("The county already has a letter in this round."),
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(region__isnull=True),
                name="covering_letter_one_summary",
                violation_error_message=_("The round summary already has a letter."),
            ),
        ]

    def __str__(self):
        name = self.region.name if self.region_id else _("Round summary")
        return _("Covering letter: {name}, {round}").format(name=name, round=self.round)
