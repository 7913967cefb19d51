"""Issuing and revoking API tokens (the administrator's, in the admin)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken

# How often a token's "last used" time is written at most (a busy client costs no write a request).
LAST_USED_RESOLUTION_SECONDS = 60


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, created_by=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is stored nowhere (only its hash)."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, key_hash=hash_secret(secret), created_by=created_by)
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke the token: from now on it is refused (401). Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_mark_used(*, token: ApiToken) -> None:
    """Note that the token was used now, at most once a minute (a conditional update, no audit row)."""
    now = timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < LAST_USED_RESOLUTION_SECONDS:
        return
    threshold = now - timezone.timedelta(seconds=LAST_USED_RESOLUTION_SECONDS)
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=threshold).update(last_used_at=now)
    token.last_used_at = now
