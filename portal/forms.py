from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarSubscriptionForm(forms.Form):
    """Which button of the subscription page was pressed: a new address, or stop the current one."""

    RENEW, REVOKE = "renew", "revoke"

    action = forms.ChoiceField(
        choices=[(RENEW, _("Create a new address")), (REVOKE, _("Stop the address"))], widget=forms.HiddenInput
    )
