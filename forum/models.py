from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import ForumKind


class Topic(models.Model):
    """A shared theme ("aktuella frågor") used by agenda items, dialogue rounds and sessions."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class Forum(models.Model):
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
