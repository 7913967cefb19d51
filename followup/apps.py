from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _conditions_decision_title(allocation) -> str:
    return _("Conditions decision, appropriation 1:1 {year}: {region}").format(
        year=allocation.appropriation.year, region=allocation.region.name
    )


def _decision_title(decision) -> str:
    title = _conditions_decision_title(decision.allocation)
    if decision.number == 1:
        return title
    return _("{title} (changed decision {number}, {date})").format(
        title=title, number=decision.number, date=decision.decided_on.isoformat()
    )


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Appropriation 1:1 follow-up")

    def ready(self):
        from records.documents import document_kind_register

        # A county's conditions decision is an official document once decided, and each later
        # change of it another (records, issue 17); the portal makes no PDF of it yet. Records
        # made before decisions were kept one by one point at the allocation itself.
        document_kind_register(
            self.get_model("Allocation"),
            title=_conditions_decision_title,
            url=lambda allocation: allocation.get_absolute_url(),
            pdf=None,
        )
        document_kind_register(
            self.get_model("ConditionsDecision"),
            title=_decision_title,
            url=lambda decision: decision.get_absolute_url(),
            pdf=None,
        )
