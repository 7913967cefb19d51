"""Reads of accounts used in more than one place: who may see whom, invitations, and a person's
own sessions and second factor."""

from functools import lru_cache

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from .choices import CountyRole, Role
from .models import Invitation, User, UserSession


def county_directors(*, region_id: int) -> QuerySet[User]:
    """The active users who may submit for the county, by name."""
    return User.objects.filter(
        role=Role.REGION, region_id=region_id, county_role=CountyRole.DIRECTOR, is_active=True
    ).order_by("full_name")


def users_visible_to(user) -> QuerySet[User]:
    """The accounts `user` may list and keep: every account for the ministry and the administrators,
    the own county's users for a county director, none for anyone else."""
    users = User.objects.select_related("region").order_by("full_name", "pk")
    if not user.is_authenticated:
        return users.none()
    if user.role in (Role.MINISTRY, Role.ADMIN):
        return users
    if user.role == Role.REGION and user.county_role == CountyRole.DIRECTOR:
        return users.filter(role=Role.REGION, region_id=user.region_id)
    return users.none()


def invitations_open_for(user) -> QuerySet[Invitation]:
    """Invitations not yet used that `user` may see: all for the ministry, the own county's for a director."""
    invitations = Invitation.objects.filter(used_at__isnull=True).select_related("region", "invited_by")
    if user.role in (Role.MINISTRY, Role.ADMIN):
        return invitations.order_by("-created_at")
    if user.role == Role.REGION and user.county_role == CountyRole.DIRECTOR:
        return invitations.filter(region_id=user.region_id).order_by("-created_at")
    return invitations.none()


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
