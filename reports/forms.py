"""Forms of the feedback report pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from .choices import CommentResolution


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


class _VersionField(forms.IntegerField):
    """The version the user started from (0: nothing saved yet, the template's text shown)."""

    def __init__(self):
        super().__init__(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


LETTER_TEXT_MAX = 20000


class LetterTemplateForm(forms.Form):
    """The round's letter template, sender unit and contact person."""

    sender_unit = forms.CharField(
        label=_("Unit"), max_length=200, required=False, help_text=_("The ministry's unit that sends the reports.")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact person's e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact person's phone"), max_length=40, required=False)
    introduction = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=LETTER_TEXT_MAX,
        required=False,
        help_text=_(
            "Plain text; a blank line starts a new paragraph. {county}, {organisation} and {year} are "
            "filled in for each county."
        ),
    )
    closing = forms.CharField(
        label=_("Closing"), widget=forms.Textarea(attrs={"rows": 5}), max_length=LETTER_TEXT_MAX, required=False
    )
    version = _VersionField()


class CoveringLetterForm(forms.Form):
    """One report's covering letter and registration number."""

    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=60,
        required=False,
        help_text=_("The diary number (diarienummer); leave it empty if the report has none."),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=LETTER_TEXT_MAX,
        required=False,
        help_text=_("Plain text; a blank line starts a new paragraph."),
    )
    closing = forms.CharField(
        label=_("Closing"), widget=forms.Textarea(attrs={"rows": 5}), max_length=LETTER_TEXT_MAX, required=False
    )
    version = _VersionField()


class CommentResolveForm(forms.Form):
    """The ministry's answer to a reviewer's comment: worked in, or answered with a reply."""

    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=[
            (CommentResolution.WORKED_IN, _("Worked in: the text is changed and the report generated again")),
            (CommentResolution.ANSWERED, _("Answered: reply to the reviewer")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("resolution") == CommentResolution.ANSWERED and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Write the answer to the comment."))
        return data
