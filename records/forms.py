from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin

from .models import REGISTRATION_NUMBER, osl_reference_validator, registration_number_validator


class RecordNumberForm(VersionedFormMixin, forms.Form):
    """The number the ministry's registry gave the document."""

    number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        validators=[registration_number_validator],
        help_text=_('As the ministry\'s registry gives it, e.g. "N2026/00123".'),
        widget=forms.TextInput(attrs={"pattern": REGISTRATION_NUMBER.strip("^$"), "autocomplete": "off"}),
    )


class SecrecyMarkingForm(forms.Form):
    """Why and under which provision of OSL something is secret."""

    osl_reference = forms.CharField(
        label=_("Provision (OSL)"),
        max_length=30,
        validators=[osl_reference_validator],
        help_text=_('Chapter and section of the Public Access to Information and Secrecy Act, e.g. "21 kap. 7 §".'),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_osl_reference(self):
        return " ".join(self.cleaned_data["osl_reference"].split())
