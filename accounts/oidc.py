"""Single sign-on with OpenID Connect, next to the password log-in (README "Single sign-on").

Authlib's Django client does the protocol: state, nonce and PKCE (S256) kept in the session, the
code exchanged at the provider's token endpoint, the ID token's signature checked against the
provider's published keys (JWKS), its issuer, audience (our client id), expiry and nonce checked.
This module decides who that is in the portal: only people who already have an account, found by
the (issuer, subject) pair stored at their first log-in, or by an e-mail address the provider says
it has verified. Role and county are always the portal's; nothing is taken from a claim.
"""

import logging
from dataclasses import dataclass

from auditlog.models import LogEntry
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .backends import PasswordBackend
from .models import OidcIdentity, User

logger = logging.getLogger("accounts.oidc")

# A session begun by single sign-on carries this backend (and the provider's short name), so that
# other checks (a second factor for password log-ins) can tell it apart: the provider did its own.
OIDC_BACKEND = "accounts.oidc.OidcBackend"
SESSION_PROVIDER = "oidc_provider"
SESSION_ID_TOKEN = "oidc_id_token"
SESSION_NEXT = "oidc_next"

# Why a log-in by single sign-on was refused: the person reads the message on the log-in page.
REFUSALS = {
    "unknown": _(
        "There is no account in the portal for you. Ask the portal's administrator for one; "
        "you can log in with single sign-on once it exists."
    ),
    "inactive": _("Your account in the portal is switched off. Ask the portal's administrator."),
    "pending": _(
        "Your account has been registered and waits for an administrator to give it a role. "
        "You can log in once that is done."
    ),
    "conflict": _(
        "Your e-mail address belongs to an account that is tied to another identity at this "
        "log-in service. Ask the portal's administrator."
    ),
    "failed": _("The log-in service's answer could not be verified, so you are not logged in. Try again."),
    "cancelled": _("The log-in was cancelled at the log-in service. You are not logged in."),
    "unreachable": _("The log-in service does not answer just now. Try again later, or log in with your password."),
    "no_provider": _("There is no such log-in service. Choose one of those on the log-in page."),
}


# How the audit trail of an account names each outcome.
AUDIT_OUTCOMES = {
    None: _("logged in"),
    "inactive": _("refused, the account is switched off"),
    "pending": _("refused, the account has no role yet"),
    "conflict": _("refused, the e-mail address is tied to another identity"),
}


@dataclass(frozen=True)
class Provider:
    """A provider as configured (settings.OIDC_PROVIDERS, from the environment)."""

    slug: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    discovery_url: str = ""
    scope: str = "openid email profile"

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or f"{self.issuer}/.well-known/openid-configuration"


def oidc_providers() -> list[Provider]:
    """The configured providers, in the order of OIDC_PROVIDERS (the log-in page's buttons)."""
    return [Provider(**config) for config in settings.OIDC_PROVIDERS]


def oidc_provider(slug: str) -> Provider | None:
    return next((provider for provider in oidc_providers() if provider.slug == slug), None)


_clients: dict[Provider, DjangoOAuth2App] = {}


def oidc_client(provider: Provider) -> DjangoOAuth2App:
    """Authlib's client for `provider`, kept for the process: it holds the provider's metadata and
    keys once fetched (the keys are fetched again when a token is signed with a new key)."""
    client = _clients.get(provider)
    if client is None:
        client = OAuth().register(
            name=provider.slug,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scope,
                "code_challenge_method": "S256",
                "default_timeout": settings.OIDC_TIMEOUT_SECONDS,
            },
        )
        _clients[provider] = client
    return client


def oidc_metadata(provider: Provider) -> dict:
    """The provider's discovery document; refused when it names another issuer than configured
    (a mix-up: tokens would be checked against the wrong issuer)."""
    metadata = oidc_client(provider).load_server_metadata()
    if metadata.get("issuer", "").rstrip("/") != provider.issuer:
        raise ValueError(f"{provider.metadata_url} names issuer {metadata.get('issuer')!r}, not {provider.issuer!r}")
    return metadata


def oidc_token_claims(*, provider: Provider, token: dict) -> dict:
    """The verified ID token's claims. Where the ID token carries no e-mail address (providers that
    keep it for the userinfo endpoint), the address, its verification and the name are taken from
    the userinfo endpoint, asked with the access token, and only when it names the same subject."""
    if not token.get("userinfo"):
        raise ValueError("no ID token in the token response")
    claims = dict(token["userinfo"])
    if "email" not in claims and oidc_metadata(provider).get("userinfo_endpoint"):
        info = oidc_client(provider).userinfo(token=token)
        if str(info.get("sub")) == str(claims["sub"]):
            for key in ("email", "email_verified", "name"):
                if key in info:
                    claims.setdefault(key, info[key])
    return claims


@dataclass(frozen=True)
class Outcome:
    """Who logs in (`user`), or why nobody does (`refusal`, a key of REFUSALS; `user` is then the
    account concerned, where there is one)."""

    user: User | None
    refusal: str | None = None


def _verified_email(claims: dict) -> str:
    """The e-mail address, only where the provider says it has verified it."""
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.lower() == "true"):
        return (claims.get("email") or "").strip().lower()
    return ""


def oidc_claims_match(*, issuer: str, claims: dict) -> Outcome:
    """The portal account the verified ID token `claims` of `issuer` belong to: by the stored
    (issuer, subject), else by a verified e-mail address. Reads only."""
    identity = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=str(claims["sub"])).first()
    if identity is not None:
        return _checked(identity.user)
    email = _verified_email(claims)
    user = User.objects.filter(email=email).first() if email else None
    if user is None:
        return Outcome(user=None, refusal="unknown")
    if OidcIdentity.objects.filter(user=user, issuer=issuer).exists():
        # The account already answers to another subject here: two people share an address.
        return Outcome(user=user, refusal="conflict")
    return _checked(user)


def _checked(user: User) -> Outcome:
    if not user.role:
        return Outcome(user=user, refusal="pending")
    if not user.is_active:
        return Outcome(user=user, refusal="inactive")
    return Outcome(user=user)


@transaction.atomic
def oidc_login_resolve(*, provider: Provider, claims: dict) -> Outcome:
    """Decide who the verified `claims` log in as, and record it.

    A person found by their verified e-mail address gets their (issuer, subject) stored, so the
    next log-in finds them by it. An unknown person is refused; with OIDC_CREATE_USERS an unknown
    person with a verified address gets an inactive account with no role (refused until an
    administrator gives it one). Every outcome is written to the audit log (on the account, where
    there is one) and to the `accounts.oidc` log.
    """
    outcome = oidc_claims_match(issuer=provider.issuer, claims=claims)
    subject = str(claims["sub"])
    email = _verified_email(claims)
    if outcome.refusal == "unknown" and settings.OIDC_CREATE_USERS and email:
        user = User(
            email=email,
            full_name=(claims.get("name") or email)[:200],
            role="",
            is_active=False,
        )
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password", "role"])
        except ValidationError as error:  # an address the portal does not take stays unknown
            logger.warning(
                "single sign-on: no account made for provider=%s subject=%s: %s", provider.slug, subject, error
            )
        else:
            user.save()
            outcome = Outcome(user=user, refusal="pending")
    if outcome.user is not None and outcome.refusal in (None, "pending"):
        # get_or_create: two log-ins of the same person at once store one identity.
        OidcIdentity.objects.get_or_create(issuer=provider.issuer, subject=subject, defaults={"user": outcome.user})
    _audit(provider=provider, subject=subject, outcome=outcome)
    return outcome


def oidc_login_refused(*, provider: Provider | None, reason: str, detail: str = "") -> None:
    """Record a log-in by single sign-on that failed before anyone was identified (a token that
    did not verify, a cancelled log-in, a provider that did not answer)."""
    logger.warning(
        "single sign-on refused: provider=%s reason=%s %s", provider.slug if provider else "-", reason, detail
    )


def _audit(*, provider: Provider, subject: str, outcome: Outcome) -> None:
    event = "sso_login" if outcome.refusal is None else "sso_login_refused"
    if outcome.user is not None:
        LogEntry.objects.log_create(
            outcome.user,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            # Shown in the account's audit trail, in the language of the request that wrote it.
            changes={str(_("Single sign-on")): [None, f"{provider.name}: {AUDIT_OUTCOMES[outcome.refusal]}"]},
            additional_data={
                "event": event,
                "provider": provider.slug,
                "issuer": provider.issuer,
                "subject": subject,
                "refusal": outcome.refusal,
            },
        )
    log = logger.info if outcome.refusal is None else logger.warning
    log(
        "%s: provider=%s subject=%s user=%s refusal=%s",
        event,
        provider.slug,
        subject,
        outcome.user.pk if outcome.user else "-",
        outcome.refusal or "-",
    )


class OidcBackend(PasswordBackend):
    """Loads the user of a session begun by single sign-on. It authenticates nobody itself: the
    callback view logs in the account `oidc_login_resolve` found."""

    def authenticate(self, request, **credentials):
        return None
