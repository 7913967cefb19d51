import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import DialogueKind, DialogueStatus, SubmissionStatus
from .models import Dialogue


class RoundOverviewFilter(django_filters.FilterSet):
    """Narrows the round overview table; works on `selectors.round_overview`'s annotations."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DialogueKind.choices)
    status = django_filters.ChoiceFilter(label=_("Dialogue"), choices=DialogueStatus.choices)
    submission = django_filters.ChoiceFilter(
        label=_("Submission"), field_name="submission__status", choices=SubmissionStatus.choices
    )
    has_brief = django_filters.BooleanFilter(label=_("Brief ready"))

    class Meta:
        model = Dialogue
        fields = ["kind", "status", "submission", "has_brief"]
