"""The one place that decides a request's client address (issue 13).

Behind N trusted reverse proxies, each proxy appends the address it received the request from to
`X-Forwarded-For`; everything left of those N entries was written by the client and is worth
nothing. So the client's address is the N-th entry counted from the right, and only if it is a
valid IP address: otherwise (no header, too few entries, junk) the direct peer, REMOTE_ADDR.
With no trusted proxy the header is ignored altogether.

django-axes (AXES_CLIENT_IP_CALLABLE), the audit log middleware and anything else that needs the
address call `client_address(request)`; nothing reads REMOTE_ADDR or X-Forwarded-For itself.
"""

import ipaddress

from django.conf import settings


def _valid_ip(value: str | None) -> str | None:
    """`value` as a normalised IP address, or None if it is not one (an IPv6 zone or port is not)."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client that sent `request`, as far as the trusted proxies vouch for it."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        return remote
    return _valid_ip(entries[-proxies]) or remote
