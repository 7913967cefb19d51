from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import MailDelivery

from .choices import CountyRole, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        # A regional user not said to be an editor may submit for the county, as every regional
        # user could before counties had several users.
        if fields.get("role") == Role.REGION:
            fields.setdefault("county_role", CountyRole.DIRECTOR)
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Addresses are stored in lower case, so "Karin@Region.se" finds "karin@region.se".
        return self.get(email=(username or "").strip().lower())

    def create_superuser(self, email, password=None, **fields):
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address and works in one role.

    Regional users belong to exactly one county and see only its unpublished material.
    Administrators (and only they) reach Django's admin and hold every permission.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("county"),
        help_text=_("Required for regional users, and only for them."),
    )
    county_role = models.CharField(
        _("role in the county"),
        max_length=16,
        choices=CountyRole.choices,
        blank=True,
        help_text=_(
            "Regional users only: who may submit the county's submission and answer the ministry's "
            "returns, and who drafts."
        ),
    )
    is_registrar = models.BooleanField(
        _("registrar"),
        default=False,
        help_text=_("Keeps the register of official documents (diarium). Only for ministry staff."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    mail_delivery = models.CharField(
        _("e-mail notifications"),
        max_length=16,
        choices=MailDelivery.choices,
        default=MailDelivery.IMMEDIATE,
        help_text=_(
            "Each notification in its own e-mail as it happens, or all of them in one e-mail a day. "
            "E-mails about your password always come at once."
        ),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Optimistic locking (core.concurrency): two administrators never silently overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)

    # Derived from the role, so that the admin and every permission check agree with it.
    is_superuser = property(lambda self: self.role == Role.ADMIN)
    is_staff = property(lambda self: self.role == Role.ADMIN)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.REGION) & Q(region__isnull=False))
                | (~Q(role=Role.REGION) & Q(region__isnull=True)),
                name="user_region_exactly_for_regional_role",
                violation_error_message=_("A county must be chosen for regional users, and only for them."),
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.REGION) & Q(county_role__in=CountyRole.values))
                | (~Q(role=Role.REGION) & Q(county_role="")),
                name="user_county_role_exactly_for_regional_role",
                violation_error_message=_(
                    "Regional users either may submit for the county or draft only; other users have no county role."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_registrar=False) | Q(role=Role.MINISTRY),
                name="user_registrar_only_ministry",
                violation_error_message=_("Only ministry staff can be registrars."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()

    @property
    def is_county_director(self) -> bool:
        return self.role == Role.REGION and self.county_role == CountyRole.DIRECTOR

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Invitation(models.Model):
    """A one-time link by e-mail that lets a person create their own account, with the role (and
    county) the inviter chose. Only a hash of the link's secret is stored; the link works until it
    is used, it expires, or the person is invited again (which gives a new secret)."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    county_role = models.CharField(_("role in the county"), max_length=16, choices=CountyRole.choices, blank=True)
    token_hash = models.CharField(_("secret (hashed)"), max_length=64, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invitations_sent", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(used_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message=_("This person already has an open invitation."),
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.REGION) & Q(region__isnull=False) & Q(county_role__in=CountyRole.values))
                | (~Q(role=Role.REGION) & Q(region__isnull=True) & Q(county_role="")),
                name="invitation_county_exactly_for_regional_role",
                violation_error_message=_(
                    "A county and a role in it are chosen for regional users, and only for them."
                ),
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class OidcIdentity(models.Model):
    """A person's account at a single sign-on provider, tied to their portal account.

    Stored on the first log-in that matched the person (by a verified e-mail address); from then on
    the provider's subject identifier finds the account, even when the e-mail address changes.
    What the person may do (role, county) is always the portal's, never the provider's.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities", verbose_name=_("user"))
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        ordering = ["issuer", "subject"]
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                name="oidc_identity_unique_subject",
                violation_error_message=_("This identity is already tied to an account."),
            ),
        ]

    def __str__(self):
        return f"{self.issuer} {self.subject}"


class UserSession(models.Model):
    """One logged-in session of a user, for their list of sessions (My account / Sessions).

    The row goes with Django's session row (ending a session deletes both), so the list never shows
    a session that no longer lets anyone in. It holds what the person needs to recognise a session:
    the browser's description, the address, when it started and when it was last used.
    """

    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user"))
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    started = models.DateTimeField(_("started"), default=timezone.now)
    last_seen = models.DateTimeField(_("last used"), default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.user} · {self.user_agent[:40] or self.ip_address or self.pk}"
