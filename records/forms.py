from django import forms
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.concurrency import VersionedFormMixin

from .choices import Release
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


class OslReferenceField(forms.CharField):
    """A provision of OSL ("21 kap. 7 §"). Stray spaces are tidied before the format is checked
    (validators run before a form's clean_<field>, so tidying there came too late)."""

    default_validators = [osl_reference_validator]

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class SecrecyMarkingForm(forms.Form):
    """Why and under which provision of OSL something is secret."""

    osl_reference = OslReferenceField(
        label=_("Provision (OSL)"),
        max_length=30,
        help_text=_('Chapter and section of the Public Access to Information and Secrecy Act, e.g. "21 kap. 7 §".'),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AccessRequestForm(forms.Form):
    """Who asked (anyone may ask anonymously), when, and for what."""

    requester_name = forms.CharField(label=_("Name of the requester"), max_length=200, required=False)
    requester_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    requester_email = forms.EmailField(label=_("E-mail"), required=False)
    received_on = core_forms.DateField(label=_("Received"), widget=forms.DateInput(attrs={"type": "date"}))
    asked_for = forms.CharField(
        label=_("What was asked for"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_name"].help_text = _("Leave empty if the requester wants to stay anonymous.")


class RequestAddForm(forms.Form):
    """A document to add to a request, by its registration number."""

    number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        help_text=_('E.g. "N2026/00123".'),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RequestDecisionsForm(VersionedFormMixin, forms.Form):
    """The decision for each document of a request: three fields per document. A document with a
    secrecy marking in force shows its provision; releasing it needs a reason. Every decision starts
    chosen (a marked document: withheld), so the form never comes blank: no field is marked required."""

    use_required_attribute = False

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            label = item.record.number or item.record.title
            self.fields[f"decision_{item.pk}"] = forms.ChoiceField(
                label=_("Decision for %(number)s") % {"number": label},
                choices=Release.choices,
                widget=forms.RadioSelect,
                initial=item.decision,
            )
            self.fields[f"osl_{item.pk}"] = OslReferenceField(
                label=_("Provision (OSL) withheld under"),
                max_length=30,
                required=False,
                initial=item.osl_reference,
            )
            self.fields[f"reason_{item.pk}"] = forms.CharField(
                label=_("Reason for releasing the secrecy-marked document"),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=item.release_reason,
            )

    def rows(self):
        """(item, decision field, provision field, reason field) for the template."""
        return [
            (item, self[f"decision_{item.pk}"], self[f"osl_{item.pk}"], self[f"reason_{item.pk}"])
            for item in self.items
        ]

    def clean(self):
        data = super().clean()
        for item in self.items:
            decision = data.get(f"decision_{item.pk}")
            released = decision in (Release.RELEASED, Release.PARTLY)
            if item.marking_reference and released and not (data.get(f"reason_{item.pk}") or "").strip():
                self.add_error(
                    f"reason_{item.pk}",
                    _("%(number)s is marked secret under %(reference)s OSL: give the reason for releasing it.")
                    % {"number": item.record.number or item.record.title, "reference": item.marking_reference},
                )
        return data

    def decisions(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            item.pk: {
                "decision": data.get(f"decision_{item.pk}"),
                "osl_reference": data.get(f"osl_{item.pk}", ""),
                "release_reason": data.get(f"reason_{item.pk}", ""),
            }
            for item in self.items
        }


class RequestDecideForm(VersionedFormMixin, forms.Form):
    """The button that decides a request (with the version the registrar saw)."""
