"""Throttling on the shared cache (Redis in production): per token, and per address for open data."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.client_address import client_address


class _FreshRateMixin:
    """Reads the rate from the settings at each request, so that a changed setting takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_FreshRateMixin, SimpleRateThrottle):
    """Requests per token (its hash identifies it; a revoked token never gets this far)."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.key_hash[:32]}


class AddressRateThrottle(_FreshRateMixin, SimpleRateThrottle):
    """Requests per client address for what needs no token (the open data)."""

    scope = "open"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request) or "unknown"}
