from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits

from .choices import BodyType, OrganisationKind, StrategyStageKind


class Topic(models.Model):
    """A shared theme ("aktuella frågor") used by agenda items, dialogue rounds and sessions."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        # Moved from the forum app: the table keeps its name.
        db_table = "forum_topic"

    def __str__(self):
        return self.name


class Region(models.Model):
    """A county (län): one of the 21, identified by its official two-digit code."""

    code = models.CharField(
        _("county code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("A county code is two digits, e.g. 08."))],
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(
        _("about the county"),
        blank=True,
        help_text=_("A short presentation of the county and its development work."),
        max_length=limits.LONG_TEXT,
    )
    website = models.URLField(_("website of the responsible body"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:region_detail", kwargs={"slug": self.slug})


class ResponsibilityPeriodQuerySet(models.QuerySet):
    def in_year(self, year: int):
        """Periods in force during `year` (an open start or end reaches as far as needed)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=year),
            Q(valid_to__isnull=True) | Q(valid_to__gte=year),
        )


class ResponsibilityPeriod(models.Model):
    """Who held the regional development responsibility in a county, from which year to which.

    The history decides which seats a county has in the national forum in a given year.
    """

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="responsibility_periods", verbose_name=_("county")
    )
    body_type = models.CharField(_("type of body"), max_length=32, choices=BodyType.choices)
    body_name = models.CharField(_("name of body"), max_length=200)
    valid_from = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, help_text=_("Leave empty if the period began before the records.")
    )
    valid_to = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, help_text=_("Leave empty if the period lasts to this day.")
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    objects = ResponsibilityPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", models.F("valid_from").asc(nulls_first=True)]
        verbose_name = _("responsibility period")
        verbose_name_plural = _("responsibility periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="responsibility_period_from_before_to",
                violation_error_message=_("The period cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.body_name} ({self.years_display})"

    @property
    def years_display(self) -> str:
        start = self.valid_from or ""
        end = self.valid_to or ""
        return f"{start}–{end}"


class BusinessSupportYear(models.Model):
    """A year in which the county administrative board of a county handles the regional business
    support, so that its länsråd has a seat in the civil servants' forum that year (first seed:
    "länsråd i sex län som hanterar regionala företagsstöd"). The ministry keeps these per county
    and year; a county with no row for a year has no such seat.
    """

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="business_support_years", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["region__code", "year"]
        verbose_name = _("year with regional business support at the county board")
        verbose_name_plural = _("years with regional business support at the county board")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="business_support_year_region_year_unique",
                violation_error_message=_("This year is already recorded for the county."),
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year}"

    def get_absolute_url(self):
        return reverse("regions:region_detail", kwargs={"slug": self.region.slug}) + "#history-heading"


class Organisation(models.Model):
    """A ministry, agency, regional body, municipal association or SKL."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county"),
        help_text=_("Only for regional bodies."),
    )
    website = models.URLField(_("website"), blank=True)
    remit = models.TextField(
        _("remit"), blank=True, help_text=_("What the organisation answers for."), max_length=limits.TEXT
    )
    themes = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="organisations",
        verbose_name=_("themes"),
        help_text=_("The themes the organisation answers for, so that a county finds the right way in."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:organisation_list") + f"#organisation-{self.pk}"


class Contact(models.Model):
    """A person in the directory. Forum members and dialogue participants are contacts."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name=_("county")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("user account"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name

    def get_absolute_url(self):
        return reverse("regions:contact_list") + f"#contact-{self.pk}"


class RegionalStrategy(models.Model):
    """A regional development strategy (RUS) of a county, valid for a span of years."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="strategies", verbose_name=_("county"))
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    url = models.URLField(_("link to the strategy"), blank=True)
    current_stage = models.CharField(
        _("current stage of the process"), max_length=20, choices=StrategyStageKind.choices, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["region__code", "-start_year"]
        verbose_name = _("regional development strategy")
        verbose_name_plural = _("regional development strategies")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")),
                name="strategy_start_before_end",
                violation_error_message=_("The strategy cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self):
        return reverse("regions:region_detail", kwargs={"slug": self.region.slug}) + f"#strategy-{self.pk}"

    def stage_in_force(self, today=None):
        """The record of the stage the process is in: of the stages begun, the one that began last."""
        today = today or timezone.localdate()
        begun = [stage for stage in self.stages.all() if stage.starts_on <= today]
        return max(
            begun, key=lambda stage: (stage.starts_on, StrategyStageKind.position(stage.stage), stage.pk), default=None
        )


class StrategyPriority(models.Model):
    """A numbered priority of a RUS. Submissions and spending point at these."""

    strategy = models.ForeignKey(
        RegionalStrategy, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("strategy")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name = _("strategy priority")
        verbose_name_plural = _("strategy priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"],
                name="strategy_priority_number_unique",
                violation_error_message=_("This strategy already has a priority with that number."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class GoodExample(models.Model):
    """A way of working in one county that others can learn from."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="good_examples", verbose_name=_("county"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, max_length=limits.TEXT)
    theme = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="good_examples",
        verbose_name=_("theme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["-year", "region__code", "title"]
        verbose_name = _("good example")
        verbose_name_plural = _("good examples")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("regions:goodexample_list") + f"#example-{self.pk}"


class StrategyStage(models.Model):
    """A stage of the RUS process (analysis, drafting, consultation, adoption, implementation,
    follow-up and evaluation), with its dates.

    The stages are a history: recording a stage again adds a row and never replaces an earlier
    one. Agencies follow these to know when they can come into a county's strategy work.
    """

    strategy = models.ForeignKey(
        RegionalStrategy, on_delete=models.CASCADE, related_name="stages", verbose_name=_("strategy")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=StrategyStageKind.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("E.g. how agencies can take part."))

    class Meta:
        ordering = ["strategy", "starts_on", "pk"]
        verbose_name = _("stage of the strategy process")
        verbose_name_plural = _("stages of the strategy process")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__lte=F("ends_on")),
                name="strategy_stage_start_before_end",
                violation_error_message=_("The stage cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} ({self.starts_on})"

    def chronological_key(self):
        """Order of the history: by start date, then by the stage's place in the process, then as recorded."""
        return (self.starts_on, StrategyStageKind.position(self.stage), self.pk)


class RegionFollow(models.Model):
    """A user who wants an e-mail when a county's RUS process enters a new stage."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_follows", verbose_name=_("user")
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="follows", verbose_name=_("county"))
    created_at = models.DateTimeField(_("following since"), auto_now_add=True)

    class Meta:
        ordering = ["region__code"]
        verbose_name = _("follower of a county's strategy process")
        verbose_name_plural = _("followers of counties' strategy processes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"],
                name="region_follow_unique",
                violation_error_message=_("You already follow this county."),
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.region}"
