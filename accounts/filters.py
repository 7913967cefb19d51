import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import User


class UserFilter(django_filters.FilterSet):
    """Narrows the user administration's list (`selectors.users_visible_to` first)."""

    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    region = django_filters.ModelChoiceFilter(label=_("County"), queryset=None)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["role", "region", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counties = User._meta.get_field("region").related_model  # regions sits above accounts
        self.filters["region"].queryset = counties.objects.order_by("name")
