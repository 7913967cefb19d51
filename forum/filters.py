import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import MeetingStatus
from .models import Forum, Meeting


class MeetingFilter(django_filters.FilterSet):
    forum = django_filters.ModelChoiceFilter(queryset=Forum.objects.all(), label=_("Forum"), empty_label=_("Both fora"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"), empty_label=_("Any status"))

    class Meta:
        model = Meeting
        fields = ["forum", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"
