import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core import limits
from core.concurrency import VersionedFormMixin
from regions.choices import OrganisationKind
from regions.models import Contact, Organisation, Region, StrategyPriority

from .choices import DialogueKind, ParticipantSide
from .models import (
    Brief,
    Dialogue,
    DialogueDay,
    DialogueRound,
    FollowUpAction,
    JointCommitment,
    Observation,
    Session,
    Submission,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = DialogueRound
        fields = ["year", "title", "focus", "themes", "submission_deadline", "ends_on", "requirements"]
        widgets = {
            "focus": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
            "submission_deadline": DATE,
            "ends_on": DATE,
        }


class RoundConclusionsForm(forms.ModelForm):
    class Meta:
        model = DialogueRound
        fields = ["findings", "take_forward", "next_focus"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class RoundOpenForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(
        label=_("Counties"),
        queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One annual dialogue is created for each county chosen."),
        error_messages={"required": _("Choose at least one county.")},
    )


class RoundCloseForm(forms.Form):
    """The last step of closing a round, below its checklist."""

    confirm = forms.BooleanField(
        label=_("I have read the checklist and want to close the round"),
        error_messages={"required": _("Tick the box to confirm that the round is to be closed.")},
    )
    close_anyway = forms.BooleanField(
        label=_("Close anyway although deadlines are running"),
        required=False,
        help_text=_("The counties whose deadline is still running can then no longer submit."),
    )


class DeadlineExtensionForm(forms.Form):
    """The ministry gives one county a later deadline."""

    deadline = core_forms.DateField(label=_("New deadline for the county"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the change history and sent to the county."),
    )


class DialogueForm(forms.ModelForm):
    """Bilateral talks and deep dives: dialogues outside the annual one."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in DialogueKind.choices if c[0] != DialogueKind.ANNUAL])

    class Meta:
        model = Dialogue
        fields = ["region", "kind", "topic"]


class ScheduleForm(forms.Form):
    start = core_forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    end = core_forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The dialogue must end after it starts."))
        if not (cleaned.get("place") or cleaned.get("video_link")):
            raise forms.ValidationError(_("Give a place or a video link."))
        return cleaned


class CalendarMonthForm(forms.Form):
    """Which month of a round's calendar to show (sent with GET, as ?month=2016-04)."""

    FIRST, LAST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 1)

    month = core_forms.DateField(
        label=_("Month"),
        required=False,  # none: the round's next month
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={
            "invalid": _("Give the month as year and month, for example 2016-04."),
            "year_range": _("Choose a month between the years 1900 and 2999."),
        },
        min_year=FIRST.year,
        max_year=LAST.year,
    )

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and not self.FIRST <= month <= self.LAST:
            raise forms.ValidationError(_("Choose a month between the years 1900 and 2999."))
        return month


class ParticipantForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Person"), queryset=Contact.objects.all())
    # The browser always sends the select's first option: with it as the initial value an untouched
    # empty row counts as unchanged and is skipped instead of failing "This field is required".
    side = forms.ChoiceField(label=_("Side"), choices=ParticipantSide.choices, initial=ParticipantSide.MINISTRY)

    def __init__(self, *args, contact_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contact_choices is not None:
            # Evaluated once for the whole formset, not once per form.
            self.fields["contact"].choices = contact_choices


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            contact = form.cleaned_data.get("contact")
            if contact in seen:
                raise forms.ValidationError(_("{person} is listed twice.").format(person=contact))
            seen.add(contact)

    def participants(self) -> list[tuple[Contact, str]]:
        return [
            (form.cleaned_data["contact"], form.cleaned_data["side"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ParticipantFormSet = forms.formset_factory(ParticipantForm, formset=BaseParticipantFormSet, extra=3, can_delete=True)


def contact_choices() -> list[tuple]:
    contacts = Contact.objects.select_related("organisation")
    return [("", "---------")] + [
        (c.pk, f"{c.name} ({c.organisation})" if c.organisation else c.name) for c in contacts
    ]


class SubmissionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["resource_use"]
        widgets = {"resource_use": forms.Textarea(attrs={"rows": 8})}


class PriorityForm(forms.Form):
    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=99)
    strategy_priority = forms.ModelChoiceField(label=_("RUS priority"), queryset=StrategyPriority.objects.none())
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=limits.TEXT
    )

    def __init__(self, *args, region=None, year=None, priority_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["strategy_priority"]
        # Only the county's strategy in force that year: anything else is "not a valid choice".
        field.queryset = strategy_priorities(region, year=year)
        field.label_from_instance = str  # the priority's own text: "2. Kompetensförsörjning"
        if priority_choices is not None:
            field.choices = priority_choices


def strategy_priorities(region, *, year=None):
    """The priorities a county's submission for `year` may name: those of its RUS in force that year
    (start_year <= year <= end_year). With no year, or no strategy in force that year, every
    priority of the county's strategies, so that a submission is never left with nothing to choose."""
    priorities = StrategyPriority.objects.filter(strategy__region=region).select_related("strategy")
    if year is None:
        return priorities
    in_force = priorities.filter(strategy__start_year__lte=year, strategy__end_year__gte=year)
    return in_force if in_force.exists() else priorities


class BaseRankedFormSet(forms.BaseFormSet):
    def kept(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class BasePriorityFormSet(BaseRankedFormSet):
    def clean(self):
        super().clean()
        ranks = [row["rank"] for row in self.kept() if "rank" in row]
        if len(ranks) != len(set(ranks)):
            raise forms.ValidationError(_("Two priorities cannot have the same rank."))


def priority_choices(region, *, year=None) -> list[tuple]:
    """The choices of the priority selector: each priority's own text ("2. Kompetensförsörjning"),
    of the county's strategy in force in `year` (see `strategy_priorities`)."""
    return [("", "---------")] + [(p.pk, str(p)) for p in strategy_priorities(region, year=year)]


class ResultForm(forms.Form):
    indicator = forms.CharField(label=_("Indicator"), max_length=300)
    baseline = forms.CharField(label=_("Baseline"), max_length=100, required=False)
    target = forms.CharField(label=_("Target"), max_length=100, required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=100, required=False)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=limits.TEXT
    )


PriorityFormSet = forms.formset_factory(PriorityForm, formset=BasePriorityFormSet, extra=2, can_delete=True)
ResultFormSet = forms.formset_factory(ResultForm, formset=BaseRankedFormSet, extra=2, can_delete=True)


class ResultsFetchForm(forms.Form):
    """The confirmation of fetching the 1:1 results: the versions of the submission and of the 1:1
    figures the preview was made from (a change since, or a second click, is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    allocation_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the county"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.TEXT,
        help_text=_("Tell the county what to change before it submits again."),
    )


class VersionCompareForm(forms.Form):
    a = forms.IntegerField(label=_("Version"), min_value=1)
    b = forms.IntegerField(label=_("compared with version"), min_value=1)


class ObservationForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = ["category", "title", "text", "shared_with_region", "is_good_example"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class ActionForm(forms.ModelForm):
    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = FollowUpAction
        fields = ["what", "owner", "due_date", "status", "progress"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 3}),
            "due_date": DATE,
        }


class ActionProgressForm(forms.ModelForm):
    """What a county may change in its own actions: how far they have come."""

    class Meta:
        model = FollowUpAction
        fields = ["status", "progress"]
        widgets = {"progress": forms.Textarea(attrs={"rows": 4})}


class BriefForm(VersionedFormMixin, forms.ModelForm):
    # A new brief has no version yet.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Brief
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}


class DialogueDayForm(forms.ModelForm):
    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = DialogueDay
        fields = ["title", "date", "place", "description", "regions", "agencies"]
        widgets = {
            "date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "regions": forms.CheckboxSelectMultiple,
            "agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Organisation.objects.filter(kind=OrganisationKind.AGENCY)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["position", "title", "topic", "regions", "agencies", "proposals", "needs", "next_step_owner"]
        widgets = {
            "regions": forms.CheckboxSelectMultiple,
            "agencies": forms.CheckboxSelectMultiple,
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Organisation.objects.filter(kind=OrganisationKind.AGENCY)


class JointCommitmentForm(forms.ModelForm):
    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = JointCommitment
        fields = ["region", "title", "kind", "description", "amount", "status", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DATE}
