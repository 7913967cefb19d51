"""Reads that compose several apps: what a user's calendar subscription holds."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from dialogues.models import Dialogue
from dialogues.selectors import dialogues_visible_to
from forum.selectors import SUBSCRIPTION_HISTORY


def dialogues_for_subscription(user, *, now: datetime.datetime | None = None) -> QuerySet[Dialogue]:
    """The scheduled dialogues `user` may see (a county's user: its own county's, once the round is
    open), from a year back on (as far back as the forum's meetings in the subscription)."""
    since = (now or timezone.now()) - SUBSCRIPTION_HISTORY
    return dialogues_visible_to(user).filter(start__isnull=False, end__gte=since).order_by("start", "pk")
