"""Appropriation 1:1 Regionala tillväxtåtgärder: yearly frames per county, their use, co-financing and results.

Money is whole Swedish kronor (`DecimalField(max_digits=14, decimal_places=0)`), never negative.
Derived figures (utilisation, leverage, strategy alignment) are computed in the database by the
selectors, never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import limits

from .choices import CoFinancingSource, Instrument

APPROPRIATION_NAME = "1:1 Regionala tillväxtåtgärder"


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """Whole kronor, up to 99 999 999 999 999 kr."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=0, **kwargs)


def non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=_("Amounts cannot be negative."),
    )


class Appropriation(models.Model):
    """The appropriation 1:1 of one budget year, with its total amount."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=200, default=APPROPRIATION_NAME)
    total_amount = money_field(_("total amount"))
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("Where the total amount comes from (a public source).")
    )
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Invented figures for demonstration."))

    class Meta:
        ordering = ["year"]
        verbose_name = _("appropriation")
        verbose_name_plural = _("appropriations")
        constraints = [non_negative("total_amount", "appropriation_total_amount_non_negative")]

    def __str__(self):
        return f"{self.name} {self.year}"

    def get_absolute_url(self):
        return reverse("followup:national") + f"?year={self.year}"


class Allocation(models.Model):
    """One county's share of one year's appropriation: its frame and the conditions decision.

    Several people may edit a county's figures at once, so every change goes through
    `core.concurrency.save_versioned` and bumps `version`.
    """

    appropriation = models.ForeignKey(
        Appropriation, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("appropriation")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("county")
    )
    frame_amount = money_field(_("frame"), help_text=_("Whole kronor."))
    conditions_decided_on = models.DateField(_("date of the conditions decision"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True, max_length=limits.LONG_TEXT)
    reporting_requirements = models.TextField(_("reporting requirements"), blank=True, max_length=limits.LONG_TEXT)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Invented figures for demonstration."))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["appropriation__year", "region__code"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["appropriation", "region"],
                name="allocation_appropriation_region_unique",
                violation_error_message=_("This county already has a frame for that year."),
            ),
            non_negative("frame_amount", "allocation_frame_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.region} {self.appropriation.year}"

    def get_absolute_url(self):
        return reverse("followup:allocation_detail", kwargs={"slug": self.region.slug, "year": self.appropriation.year})


class ConditionsDecision(models.Model):
    """One conditions decision of a county's allocation as it was made: the first, and each later
    change (a new date, frame, conditions or reporting requirements), each an official document."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("allocation")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    decided_on = models.DateField(_("date of the conditions decision"))
    frame_amount = money_field(_("frame"))
    conditions = models.TextField(_("conditions"), blank=True)
    reporting_requirements = models.TextField(_("reporting requirements"), blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["allocation", "number"]
        verbose_name = _("conditions decision")
        verbose_name_plural = _("conditions decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "number"],
                name="conditions_decision_number_unique",
                violation_error_message=_("This allocation already has a decision with that number."),
            ),
        ]

    def __str__(self):
        return f"{self.allocation} ({self.number})"

    def get_absolute_url(self):
        return self.allocation.get_absolute_url()

    def same_as(self, allocation: Allocation) -> bool:
        """Whether `allocation` still says what this decision said."""
        return (self.decided_on, self.frame_amount, self.conditions, self.reporting_requirements) == (
            allocation.conditions_decided_on,
            allocation.frame_amount,
            allocation.conditions,
            allocation.reporting_requirements,
        )


class Expenditure(models.Model):
    """A line of a county's reported use of its 1:1 money, optionally tied to a RUS priority."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="expenditures", verbose_name=_("allocation")
    )
    instrument = models.CharField(_("instrument"), max_length=32, choices=Instrument.choices)
    amount = money_field(_("amount"), help_text=_("Whole kronor."))
    priority = models.ForeignKey(
        "regions.StrategyPriority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenditures",
        verbose_name=_("RUS priority"),
    )
    approved_exception = models.BooleanField(
        _("approved exception"),
        default=False,
        help_text=_("Use beyond the frame that the government has approved. Only the ministry and agency set it."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["allocation", "instrument", "pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [non_negative("amount", "expenditure_amount_non_negative")]

    def __str__(self):
        return f"{self.get_instrument_display()}: {self.amount} kr"


class CoFinancing(models.Model):
    """Money from another source that joins a county's 1:1 money in a year."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="cofinancing", verbose_name=_("allocation")
    )
    source = models.CharField(_("source"), max_length=32, choices=CoFinancingSource.choices)
    amount = money_field(_("amount"), help_text=_("Whole kronor."))

    class Meta:
        ordering = ["allocation", "source"]
        verbose_name = _("co-financing")
        verbose_name_plural = _("co-financing")
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "source"],
                name="cofinancing_allocation_source_unique",
                violation_error_message=_("This source is already recorded for the county and year."),
            ),
            non_negative("amount", "cofinancing_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.amount} kr"


class ResultIndicator(models.Model):
    """A result a county reports for a year: baseline, target and outcome, optionally per RUS priority."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="results", verbose_name=_("allocation")
    )
    priority = models.ForeignKey(
        "regions.StrategyPriority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="result_indicators",
        verbose_name=_("RUS priority"),
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    outcome = models.DecimalField(_("outcome"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["allocation", "priority__number", "name"]
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")

    def __str__(self):
        return self.name


class ImportStash(models.Model):
    """An uploaded file (use, co-financing, results or frames) that passed the checks, kept between the
    preview and the confirmation. `versions` holds the counties' allocation versions the preview was
    made from (frames: a county changed since is refused at the confirmation).

    The confirmation claims it by deleting it in the transaction that saves the lines, so a file is
    saved at most once however often (or however concurrently) it is confirmed.
    """

    token = models.UUIDField(_("token"), unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, default="use")
    content = models.BinaryField(_("file content"))
    versions = models.JSONField(_("allocation versions"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("checked import file")
        verbose_name_plural = _("checked import files")

    def __str__(self):
        return f"{self.user_id} {self.year} {self.token}"
