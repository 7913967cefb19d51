"""Caching of the expensive parts of pages, invalidated by any write to the data they show.

A template wraps such a part in `{% cache FRAGMENT_SECONDS "name" fragment_key using="fragments" %}`.
`fragment_key` holds everything the part can vary on: the time of the last write to any table of
the portal's own apps, the user (their rights and county), the language, the path with its query
and today's date. django-cachalot records the time of every write through the ORM (model saves,
querysets' update() and delete(), bulk_create, migrations; at commit), and only that: its query
cache is off. So a change is seen on the next request, by every process. Raw SQL is not watched
(it costs every query a scan); a restore from a backup invalidates everything itself.

Never put a form with a CSRF token inside a cached part: the token belongs to one session.
"""

from collections.abc import Callable
from functools import cache

from cachalot.cache import cachalot_caches
from cachalot.settings import cachalot_settings
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


@cache
def _source_tables() -> tuple[str, ...]:
    return tuple(
        model._meta.db_table
        for label in settings.FRAGMENT_SOURCE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


@cache
def _stamp_keys() -> tuple[str, ...]:
    keygen = cachalot_settings.CACHALOT_TABLE_KEYGEN
    return tuple(keygen(DEFAULT_DB_ALIAS, table) for table in _source_tables())


def data_stamp() -> float:
    """When the portal's data last changed (0.0 when nothing is recorded, e.g. the cache is away).

    What cachalot.api.get_last_invalidation() does for these tables, at half the cost: the keys are
    made once, and read through cachalot's handler so that writes of an open transaction count.
    """
    stamps = cachalot_caches.get_cache(cachalot_settings.CACHALOT_CACHE, DEFAULT_DB_ALIAS).get_many(_stamp_keys())
    return max(stamps.values(), default=0.0)


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


def cached_fragment(request, name: str, render: Callable[[], str]) -> SafeString:
    """`render()`'s HTML, from the cache when the data has not changed: the view-side twin of
    `{% cache %}`, for a part that a view renders itself."""
    key = make_template_fragment_key(name, [fragment_key(request)])
    fragments = caches["fragments"]
    html = fragments.get(key)
    if html is None:
        html = render()
        fragments.set(key, html, settings.FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, which escape
