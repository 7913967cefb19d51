from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _conditions_decision_title(allocation) -> str:
    from .rendering import conditions_decision_title

    return conditions_decision_title(allocation)


def _conditions_decision_pdf(allocation) -> bytes | None:
    from .rendering import conditions_decision_pdf

    return conditions_decision_pdf(allocation)


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Appropriation 1:1 follow-up")

    def ready(self):
        from records.documents import document_kind_register

        # A county's conditions decision is an official document once decided (records, issue 17).
        document_kind_register(
            self.get_model("Allocation"),
            title=_conditions_decision_title,
            url=lambda allocation: allocation.get_absolute_url(),
            pdf=_conditions_decision_pdf,
        )
