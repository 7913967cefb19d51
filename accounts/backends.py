"""Log-in by e-mail and password; what a user may do is decided by the role rules (rules.py).

Django's ModelBackend would also read per-user and group permissions from the database on every
permission check (two queries a request). The portal grants nothing that way: roles do, and
administrators are superusers.
"""

from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches

from core.fragments import tables_stamp


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_user(self, user_id):
        """The logged-in user with their county: every page's header shows it.

        Read from the database once per change, not on every request: each process keeps the users
        it read under the time of the last write to the users' and the counties' tables (which
        django-cachalot records at every commit, `core.fragments`), so a deactivation, a new role,
        password or county name counts from the next request on. When that time is unknown (Redis
        away), the database is read every time.
        """
        user_model = get_user_model()
        stamp = tables_stamp(_user_tables()) if settings.USER_CACHE_SECONDS else 0.0
        key = f"user:{user_id}:{stamp!r}"
        user = caches["layout"].get(key) if stamp else None  # a copy: requests never share an object
        if user is None:
            try:
                user = user_model._default_manager.select_related("region").get(pk=user_id)
            except user_model.DoesNotExist:
                return None
            if stamp:
                caches["layout"].set(key, user, settings.USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


@cache
def _user_tables() -> tuple[str, ...]:
    user_model = get_user_model()
    return (user_model._meta.db_table, user_model._meta.get_field("region").related_model._meta.db_table)
