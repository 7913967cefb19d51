"""Forms of the feedback report pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class ReportRequestForm(forms.Form):
    """Generate the round's reports again: all of them, or one county's."""

    region = forms.ModelChoiceField(
        label=_("County"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All counties and the summary"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="sv")

    def __init__(self, *args, dialogue_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.filter(dialogues__round=dialogue_round).distinct().order_by("code")
        )


class ReportCommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
