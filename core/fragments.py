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

import hashlib
from collections.abc import Callable
from functools import cache

from cachalot.api import invalidate
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
def _stamp_keys(tables: tuple[str, ...]) -> tuple[str, ...]:
    keygen = cachalot_settings.CACHALOT_TABLE_KEYGEN
    return tuple(keygen(DEFAULT_DB_ALIAS, table) for table in tables)


def tables_stamp(tables: tuple[str, ...]) -> float:
    """When any of these tables last changed; 0.0 when that is unknown (the cache is away).

    What cachalot.api.get_last_invalidation() does, at half the cost: the keys are made once, and
    read through cachalot's handler so that writes of an open transaction count. A table with no
    recorded change (none since Redis started, or its key evicted) is recorded as changed now and
    the answer is "unknown" this once: a stamp must never go back, or what was kept under an older
    one would count as current again.
    """
    keys = _stamp_keys(tables)
    stamps = cachalot_caches.get_cache(cachalot_settings.CACHALOT_CACHE, DEFAULT_DB_ALIAS).get_many(keys)
    if len(stamps) < len(keys):
        missing = [table for table, key in zip(tables, keys, strict=True) if key not in stamps]
        invalidate(*missing, cache_alias=cachalot_settings.CACHALOT_CACHE, db_alias=DEFAULT_DB_ALIAS)
        return 0.0
    return max(stamps.values())


def data_stamp() -> float:
    """When the portal's data last changed (0.0 when nothing is recorded, e.g. the cache is away)."""
    return tables_stamp(_source_tables())


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


def layout_key(request) -> str:
    """The key of the layout's cached parts (the header): one per user as the database holds them on
    this request, language and section of the portal.

    Every field of the user's row (but the password hash) and their county's name are part of it,
    so a new name, role, county or right shows on the next page without any invalidation: the row
    is read on every request anyway, to authenticate it.
    """
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    parts = [get_language(), match.namespace if match else "", match.url_name == "home" if match else False]
    if user is not None and user.is_authenticated:
        parts += [field.value_from_object(user) for field in user._meta.concrete_fields if field.name != "password"]
        parts.append(user.region.name if user.region_id else "")
    else:
        parts.append("anonymous")
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def fragments(request) -> dict:
    """Context processor: the keys, computed only if a template asks for them."""
    layout = {
        "LAYOUT_SECONDS": settings.FRAGMENT_CACHE_SECONDS,
        "layout_key": SimpleLazyObject(lambda: layout_key(request)),
    }
    user = getattr(request, "user", None)  # error pages can render before authentication ran
    if user is None or not user.is_authenticated:
        return {**layout, "FRAGMENT_SECONDS": 0, "fragment_key": "anonymous"}
    return {
        **layout,
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
