"""`Authorization: Bearer <secret>`: the API's only way in (no session, no cookie, so no CSRF)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import hash_secret, token_mark_used
from .throttling import FailedTokenThrottle


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A token of an active account that has not been revoked; anything else is a 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        failures = FailedTokenThrottle()
        if failures.blocked(request):
            raise exceptions.Throttled(wait=failures.wait())
        try:
            return self._token_user(header)
        except exceptions.AuthenticationFailed:
            failures.record(request)
            raise

    def _token_user(self, header: list[bytes]):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from error
        token = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
