from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.concurrency import VersionedFormMixin
from regions.models import Contact

from .choices import AttendanceStatus, ForumKind
from .models import MINUTES_MAX_LENGTH, AgendaItem, Forum, Meeting, Membership
from .selectors import politician_items_to_prepare
from .validators import ALLOWED_EXTENSIONS, validate_document


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# A forum period: four years as a rule; a longer one is surely a typing error.
MAX_PERIOD_YEARS = 8
FIRST_PERIOD_YEAR = 2000
PERIODS_AHEAD = 10


class ForumForm(forms.ModelForm):
    """A forum period: name, chair and years. The years must be sane and the period must not overlap
    another of the same forum (checked by the model, so the admin refuses it too)."""

    class Meta:
        model = Forum
        fields = ["name", "chair", "start_year", "end_year"]

    def clean(self):
        cleaned = super().clean()
        latest = timezone.localdate().year + PERIODS_AHEAD
        for name in ("start_year", "end_year"):
            year = cleaned.get(name)
            if year is not None and not FIRST_PERIOD_YEAR <= year <= latest:
                self.add_error(
                    name,
                    _("Give a year from {first} to {last}.").format(first=FIRST_PERIOD_YEAR, last=latest),
                )
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None:
            if end < start:
                self.add_error("end_year", _("The period cannot end before it begins."))
            elif end - start + 1 > MAX_PERIOD_YEARS:
                self.add_error(
                    "end_year",
                    _("A period lasts at most {count} years.").format(count=MAX_PERIOD_YEARS),
                )
        return cleaned


class ForumPeriodForm(ForumForm):
    """A new period of one of the fora, with its chair; the members of the period before may be
    carried over."""

    carry_members = forms.BooleanField(
        label=_("Carry over the members of the previous period"),
        required=False,
        help_text=_(
            "The seats held when the previous period of this forum ended start again on 1 January of "
            "the first year, with the same substitutes. Seats that no longer fit the county are left out."
        ),
    )

    class Meta(ForumForm.Meta):
        fields = ["kind", "name", "chair", "start_year", "end_year"]


class MembershipForm(forms.ModelForm):
    """A seat in a forum. Whether the seat fits the county that year is checked by the model
    (`forum.seats.membership_errors`), so the message appears on the field."""

    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = Membership
        fields = ["contact", "region", "role", "valid_from", "valid_to", "substitute"]
        widgets = {"valid_from": _DateInput(), "valid_to": _DateInput()}
        help_texts = {
            "role": _(
                "A county's seats follow from who held the regional development responsibility there in each "
                "year of the mandate: regional politicians and the regional director where a region, "
                "collaboration body or municipality held it; the county governor, politicians and directors of "
                "the municipal association and the county council, and the länsråd where the county board held it."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contacts = Contact.objects.select_related("organisation")
        self.fields["contact"].queryset = contacts
        self.fields["substitute"].queryset = contacts


class MeetingForm(forms.ModelForm):
    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = Meeting
        fields = ["title", "start", "end", "place", "status", "reminder_days"]
        widgets = {"start": _DateTimeInput(), "end": _DateTimeInput()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        return cleaned


class AgendaItemForm(VersionedFormMixin, forms.ModelForm):
    """An agenda item. "Prepares" is offered only on civil servants' forum meetings, and lists
    the items of politicians' forum meetings."""

    class Meta:
        model = AgendaItem
        fields = ["position", "topic", "title", "presenter", "prepares"]
        help_texts = {"title": _("Leave empty to use the topic's name.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if self.instance.meeting.forum.kind == ForumKind.CIVIL_SERVANT:
            self.fields["prepares"].queryset = politician_items_to_prepare()
            self.fields["prepares"].label_from_instance = lambda item: f"{item.meeting} – {item}"
        else:
            del self.fields["prepares"]
        if not self.instance.pk:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and not cleaned.get("topic"):
            self.add_error("title", _("Give the item a title or choose a topic."))
        position = cleaned.get("position")
        siblings = AgendaItem.objects.filter(meeting=self.instance.meeting, position=position)
        if position and siblings.exclude(pk=self.instance.pk).exists():
            self.add_error("position", _("The meeting already has an item with this number."))
        return cleaned


class MinutesForm(VersionedFormMixin, forms.ModelForm):
    """The minutes of one item, at most MINUTES_MAX_LENGTH characters (the minutes PDF is made on request)."""

    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=MINUTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=format_lazy(_("At most {count} characters."), count=MINUTES_MAX_LENGTH),
    )

    class Meta:
        model = AgendaItem
        fields = ["minutes"]


class AttendanceForm(forms.Form):
    """One choice per expected member (and anyone already recorded): present, absent or substitute."""

    def __init__(self, *args, contacts, initial_statuses, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not recorded")), *AttendanceStatus.choices]
        for contact, description in contacts:
            self.fields[f"contact_{contact.pk}"] = forms.ChoiceField(
                label=f"{contact.name} ({description})" if description else contact.name,
                choices=choices,
                required=False,
                initial=initial_statuses.get(contact.pk, ""),
            )

    def statuses(self) -> dict[int, str]:
        return {int(name.removeprefix("contact_")): value for name, value in self.cleaned_data.items()}


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument text, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = validate_document(upload)
        return upload
