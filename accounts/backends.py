"""Log-in by e-mail and password; what a user may do is decided by the role rules (rules.py).

Django's ModelBackend would also read per-user and group permissions from the database on every
permission check (two queries a request). The portal grants nothing that way: roles do, and
administrators are superusers.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_user(self, user_id):
        """The logged-in user with their county: every page's header shows it."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("region").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
