"""Reads of accounts used in more than one place."""

from django.db.models import QuerySet

from .choices import CountyRole, Role
from .models import Invitation, User


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
