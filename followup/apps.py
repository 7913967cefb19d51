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
        from core.personal_data import personal_data_register
        from records.documents import document_kind_register

        from .models import ImportStash

        # A file checked but not yet imported: only the person's own working material.
        personal_data_register(
            "imports_waiting",
            export=lambda user: [
                {"kind": stash.kind, "year": stash.year, "uploaded": stash.created.isoformat()}
                for stash in ImportStash.objects.filter(user=user).order_by("pk")
            ],
            erase=lambda user: ImportStash.objects.filter(user=user).delete(),
        )

        # A county's conditions decision is an official document once decided (records, issue 17).
        document_kind_register(
            self.get_model("Allocation"),
            title=_conditions_decision_title,
            url=lambda allocation: allocation.get_absolute_url(),
            pdf=_conditions_decision_pdf,
        )
