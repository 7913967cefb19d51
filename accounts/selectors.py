"""Reads about a person's own account: their sessions, their second factor."""

from functools import lru_cache

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from .models import User, UserSession


def user_sessions_active(user: User) -> QuerySet[UserSession]:
    """`user`'s sessions that still let someone in, the most recently used first."""
    return UserSession.objects.filter(user=user, session__expire_date__gt=timezone.now()).order_by("-last_seen")


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@lru_cache(maxsize=256)
def device_description(user_agent: str) -> str:
    """ "Firefox on Windows" from a browser's User-Agent header (ua-parser), or "" if it tells nothing."""
    import ua_parser

    result = ua_parser.parse(user_agent or "")
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if browser and system and system != "Other":
        return f"{browser} · {system}"
    return browser or system or ""
