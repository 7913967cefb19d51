"""Caching of the expensive parts of pages, invalidated by any write to the data they show.

A template wraps such a part in `{% cache FRAGMENT_SECONDS "name" fragment_key using="fragments" %}`.
`fragment_key` holds everything the part can vary on: the time of the last write to any table of
the portal's own apps, the user (their rights and county), the language, the path with its query
and today's date. django-cachalot records the time of every write (model saves, querysets'
update() and delete(), bulk_create and raw SQL, at commit), and only that: its query cache is off.
So a change is seen on the next request, by every process.

Never put a form with a CSRF token inside a cached part: the token belongs to one session.
"""

from functools import cache

from cachalot.api import get_last_invalidation
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

# The tables whose content the cached parts show: users' names and roles, and the four domain apps.
SOURCE_APPS = ("accounts", "regions", "forum", "dialogues", "followup")


@cache
def _source_tables() -> tuple[str, ...]:
    return tuple(
        model._meta.db_table
        for label in SOURCE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


def data_stamp() -> float:
    """When the portal's data last changed (0.0 when nothing is recorded, e.g. the cache is away)."""
    return get_last_invalidation(*_source_tables())


def fragment_key(request) -> str:
    user = request.user
    return ":".join(
        str(part)
        for part in (
            data_stamp(),
            user.pk,
            user.role,
            user.region_id,
            get_language(),
            request.get_full_path(),
            timezone.localdate().isoformat(),
        )
    )


def fragments(request) -> dict:
    """Context processor: the key, computed only if a template asks for it."""
    user = getattr(request, "user", None)  # error pages can render before authentication ran
    if user is None or not user.is_authenticated:
        return {"FRAGMENT_SECONDS": 0, "fragment_key": "anonymous"}
    return {
        "FRAGMENT_SECONDS": settings.FRAGMENT_CACHE_SECONDS,
        "fragment_key": SimpleLazyObject(lambda: fragment_key(request)),
    }
