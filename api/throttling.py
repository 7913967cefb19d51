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


class FailedTokenThrottle(_FreshRateMixin, SimpleRateThrottle):
    """Wrong or revoked tokens per client address. Authentication runs before DRF's throttles, so
    without this a client could try tokens (and make the database look each one up) at any rate;
    once an address is over the rate, every token it sends is refused until the window passes."""

    scope = "failed_token"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request) or "unknown"}

    def blocked(self, request) -> bool:
        """Whether the address has used up its failures (no rate configured: never)."""
        if self.rate is None:
            return False
        self.key = self.get_cache_key(request)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def record(self, request) -> None:
        """Count one failure for the address."""
        if self.rate is None:
            return
        self.blocked(request)  # loads and trims the history
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
