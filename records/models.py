"""The register of official documents (allmänna handlingar): cases, records, their numbering and
secrecy markings. Nothing here knows the apps whose documents are registered: a record points at
its document by a generic key, and `records.documents` says how to show each kind."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .choices import (
    Direction,
    DisposalTrigger,
    DocumentType,
    PackageStatus,
    PeriodUnit,
    Release,
    RequestStatus,
    RetentionAction,
    retention_kinds,
)

# "21 kap. 7 §", "18 kap. 1 a §", "5 kap. 5 §": a chapter and a section of the Public Access to
# Information and Secrecy Act (OSL), in the way Swedish statutes are cited.
OSL_REFERENCE = r"^[1-9]\d? kap\. [1-9]\d?( [a-z])? §$"
osl_reference_validator = RegexValidator(
    OSL_REFERENCE,
    _('Write the provision of the secrecy act as chapter and section, e.g. "21 kap. 7 §" or "18 kap. 1 a §".'),
)
# A number from the ministry's own registry ("N2026/00123", "N2026/00123/RTS", "Fi 2026/12-3").
REGISTRATION_NUMBER = r"^[A-Za-zÅÄÖåäö]{0,6} ?\d{4}/\d{1,6}([/-][A-Za-zÅÄÖåäö0-9]{1,10})*$"
registration_number_validator = RegexValidator(
    REGISTRATION_NUMBER,
    _('Write the registration number as the registry gives it, e.g. "N2026/00123".'),
)


class RecordSeries(models.Model):
    """The counter of one number series and year ("N" 2026): the last number given.

    Registration locks this row in the transaction of the event it registers, so a number is
    given once, in order, and given back if the event rolls back: the series has no gaps.
    """

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["prefix", "year"]
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"],
                name="record_series_prefix_year_unique",
                violation_error_message=_("This series already has a counter for that year."),
            ),
        ]

    def __str__(self):
        return f"{self.prefix}{self.year}"


class Case(models.Model):
    """A case (ärende) that records are kept under: one per dialogue round, and one per dialogue
    under its round's case. `subject` is what the case is about (a round, a dialogue)."""

    number = models.CharField(_("case number"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of case"),
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                name="case_one_per_subject",
                violation_error_message=_("There is already a case for this."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="case_number_unique",
                violation_error_message=_("Another case has this number."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title


class Record(models.Model):
    """The registration of one official document: what it is, when it came in or was drawn up,
    between whom, in which case, and its registration number (OSL 5 kap. 1–2 §§).

    The number comes from the portal's series, or (RECORDS_NUMBERS_FROM=registry) is entered by
    the registrar from the ministry's own registry, which stays the master; until then it is empty.
    """

    number = models.CharField(
        _("registration number"),
        max_length=40,
        blank=True,
        validators=[registration_number_validator],
    )
    sequence = models.PositiveIntegerField(_("number in the series"), null=True, blank=True, editable=False)
    number_external = models.BooleanField(
        _("number from the ministry's registry"),
        default=False,
        help_text=_("The number was entered from the ministry's own registry, not given by the portal."),
    )
    document_type = models.CharField(_("type of document"), max_length=32, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=300)
    direction = models.CharField(_("received or drawn up"), max_length=16, choices=Direction.choices)
    document_date = models.DateField(_("date received or drawn up"))
    sender_organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records_sent",
        verbose_name=_("sender (organisation)"),
    )
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    recipient_organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records_received",
        verbose_name=_("recipient (organisation)"),
    )
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records", verbose_name=_("case"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    attached_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("attachment to"),
        help_text=_("The record of the document this one is attached to."),
    )
    registered_at = models.DateTimeField(_("registered"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Disposal (gallring, arkivlagen 10 §): the register row stays, so the number series keeps no
    # gaps; it says when the document was disposed of, under which rule, and whether its content went.
    disposed_at = models.DateTimeField(_("disposed of"), null=True, blank=True, editable=False)
    disposal_rule = models.CharField(_("disposed of under"), max_length=300, blank=True, editable=False)
    content_disposed = models.BooleanField(_("content deleted"), default=False, editable=False)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("record")
        verbose_name_plural = _("records")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                name="record_one_per_document",
                violation_error_message=_("This document is already registered."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="record_number_unique",
                violation_error_message=_("Another record has this registration number."),
            ),
        ]
        indexes = [models.Index(fields=["document_date"], name="record_document_date")]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("records:record_detail", kwargs={"pk": self.pk})

    @property
    def is_disposed(self) -> bool:
        return self.disposed_at is not None


class SecrecyMarking(models.Model):
    """A note that (part of) a record or an observation is secret under a provision of OSL
    (5 kap. 5 §: the marking says which provision, who decided and when). Lifting keeps the row."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    osl_reference = models.CharField(
        _("provision (OSL)"),
        max_length=30,
        validators=[osl_reference_validator],
        help_text=_('Chapter and section of the Public Access to Information and Secrecy Act, e.g. "21 kap. 7 §".'),
    )
    reason = models.TextField(_("reason"), max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("secrecy marking")
        verbose_name_plural = _("secrecy markings")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "osl_reference"],
                condition=Q(lifted_at__isnull=True),
                name="secrecy_marking_once_per_provision",
                violation_error_message=_("This is already marked secret under that provision."),
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="secrecy_marking_lifted_by_whom",
                violation_error_message=_("A lifted marking says who lifted it."),
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="secrecy_marking_target")]

    def __str__(self):
        return self.osl_reference

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class AccessRequest(models.Model):
    """A request for access to official documents (TF 2 kap.): who asked (anyone may ask, and may
    stay anonymous), what for, and the registrar's decision on each document selected for it.

    The request is itself registered as a received document, its decision as one drawn up.
    """

    requester_name = models.CharField(_("name"), max_length=200, blank=True)
    requester_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    requester_email = models.EmailField(_("e-mail"), blank=True)
    received_on = models.DateField(_("received"))
    asked_for = models.TextField(_("what was asked for"), max_length=4000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handled by"),
    )
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RequestStatus.OPEN, decided_at__isnull=True)
                | Q(status=RequestStatus.DECIDED, decided_at__isnull=False),
                name="access_request_decided_when",
                violation_error_message=_("A decided request says when it was decided."),
            ),
        ]

    def __str__(self):
        who = self.requester_name or self.requester_organisation or _("anonymous")
        return _("Access request from %(who)s, %(date)s") % {"who": who, "date": self.received_on.isoformat()}

    def get_absolute_url(self):
        return reverse("records:request_detail", kwargs={"pk": self.pk})

    @property
    def is_decided(self) -> bool:
        return self.status == RequestStatus.DECIDED


class AccessDecision(models.Model):
    """The decision on an access request: the document drawn up when the registrar decides it
    (registered as such; its PDF is the cover sheet listing what was released)."""

    request = models.OneToOneField(
        AccessRequest, on_delete=models.PROTECT, related_name="decision", verbose_name=_("access request")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("decision on an access request")
        verbose_name_plural = _("decisions on access requests")

    def __str__(self):
        return _("Decision on %(request)s") % {"request": self.request}

    def get_absolute_url(self):
        return self.request.get_absolute_url()


class RequestedRecord(models.Model):
    """One document selected for an access request, and what was decided for it. Withheld under a
    secrecy marking: the marking's provision is copied here, as it stood at the decision."""

    request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="items", verbose_name=_("access request")
    )
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+", verbose_name=_("record"))
    decision = models.CharField(_("decision"), max_length=16, choices=Release.choices, default=Release.RELEASED)
    osl_reference = models.CharField(
        _("provision (OSL)"), max_length=30, blank=True, validators=[osl_reference_validator]
    )
    release_reason = models.TextField(_("reason for releasing a secrecy-marked document"), max_length=2000, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("requested document")
        verbose_name_plural = _("requested documents")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "record"],
                name="requested_record_once",
                violation_error_message=_("The document is already in this request."),
            ),
        ]

    def __str__(self):
        return str(self.record)

    @property
    def is_released(self) -> bool:
        return self.decision in (Release.RELEASED, Release.PARTLY)


class RetentionRule(models.Model):
    """How long one kind of document or working material is kept (arkivlagen 10 §, Riksarkivet's
    föreskrifter on gallring): kept (delivered to the archive), or disposed of `period` years or
    months after the date `records.retention` defines for the kind. A kind without a rule is kept.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=retention_kinds, unique=True)
    action = models.CharField(_("rule"), max_length=16, choices=RetentionAction.choices, default=RetentionAction.KEEP)
    period = models.PositiveSmallIntegerField(
        _("dispose of after"),
        null=True,
        blank=True,
        help_text=_("How many years or months after the date the rule counts from."),
    )
    unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices, default=PeriodUnit.YEARS)
    delete_content = models.BooleanField(
        _("delete the document's content"),
        default=False,
        help_text=_(
            "Registered documents only: delete the document itself too. The register row is always "
            "kept, marked as disposed of."
        ),
    )
    decision = models.CharField(
        _("decided by (document)"),
        max_length=300,
        blank=True,
        help_text=_("The decision on disposal this rule follows, e.g. the authority's gallringsbeslut."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(action=RetentionAction.KEEP) | Q(period__gte=1),
                name="retention_rule_dispose_has_period",
                violation_error_message=_("Say after how many years or months it is disposed of."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.describe()}"

    @property
    def disposes(self) -> bool:
        return self.action == RetentionAction.DISPOSE and bool(self.period)

    def describe(self) -> str:
        """The rule in words ("Dispose of 2 years after ..."), as the log keeps it."""
        if not self.disposes:
            return str(RetentionAction.KEEP.label)
        if self.unit == PeriodUnit.MONTHS:
            text = ngettext("Dispose of after %(n)s month", "Dispose of after %(n)s months", self.period)
        else:
            text = ngettext("Dispose of after %(n)s year", "Dispose of after %(n)s years", self.period)
        text = text % {"n": self.period}
        return f"{text} ({self.decision})" if self.decision else text


class DisposalRun(models.Model):
    """One run of disposal: by the scheduled job, a person or the management command."""

    trigger = models.CharField(_("run by"), max_length=16, choices=DisposalTrigger.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    disposed_count = models.PositiveIntegerField(_("disposed of"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("disposal run")
        verbose_name_plural = _("disposal runs")

    def __str__(self):
        return _("Disposal run {pk}").format(pk=self.pk)


class DisposalLog(models.Model):
    """One disposed-of item (append-only: the database refuses to change or delete a row, and the
    log is never itself disposed of): what it was, the date the rule counted from, the rule, when
    and by which run."""

    run = models.ForeignKey(
        DisposalRun, on_delete=models.PROTECT, related_name="entries", verbose_name=_("disposal run")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=retention_kinds)
    identifier = models.CharField(_("identifier or number"), max_length=100)
    title = models.CharField(_("title"), max_length=300, blank=True)
    basis_date = models.DateField(_("date the rule counts from"))
    rule = models.CharField(_("rule applied"), max_length=300)
    content_disposed = models.BooleanField(_("content deleted"), default=True)
    disposed_at = models.DateTimeField(_("disposed of"))

    class Meta:
        ordering = ["-disposed_at", "-pk"]
        verbose_name = _("disposal log entry")
        verbose_name_plural = _("disposal log")
        indexes = [models.Index(fields=["kind", "disposed_at"], name="disposal_log_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.identifier}"


def _package_path(package: "ArchivePackage", filename: str) -> str:
    return f"records/archive/{package.case_id}/{filename}"


class ArchivePackage(models.Model):
    """An archive package (arkivlagen) of a closed round's case: every registered document of the
    case and its sub-cases as PDF/A, METS metadata and checksums, in one ZIP built by a Celery
    task. `checksum` is the ZIP's SHA-256, taken when it was stored."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="archive_packages", verbose_name=_("case"))
    status = models.CharField(_("status"), max_length=16, choices=PackageStatus.choices, default=PackageStatus.PENDING)
    file = models.FileField(_("file"), upload_to=_package_path, blank=True)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    document_count = models.PositiveIntegerField(_("documents"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=[PackageStatus.PENDING, PackageStatus.RUNNING]),
                name="archive_package_one_in_progress_per_case",
                violation_error_message=_("A package of this case is already being built."),
            ),
        ]

    def __str__(self):
        return _("Archive package of %(case)s") % {"case": self.case}

    @property
    def is_ready(self) -> bool:
        return self.status == PackageStatus.DONE and bool(self.file)
