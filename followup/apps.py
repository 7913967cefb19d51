from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _conditions_decision_title(allocation) -> str:
    return _("Conditions decision, appropriation 1:1 {year}: {region}").format(
        year=allocation.appropriation.year, region=allocation.region.name
    )


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Appropriation 1:1 follow-up")

    def ready(self):
        from records.documents import document_kind_register

        # A county's conditions decision is an official document once decided (records, issue 17);
        # the portal makes no PDF of it yet.
        document_kind_register(
            self.get_model("Allocation"),
            title=_conditions_decision_title,
            url=lambda allocation: allocation.get_absolute_url(),
            pdf=None,
        )
