from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _conditions_decision_title(allocation) -> str:
    from .rendering import conditions_decision_title

    return conditions_decision_title(allocation)


def _conditions_decision_pdf(allocation) -> bytes | None:
    from .rendering import conditions_decision_pdf

    return conditions_decision_pdf(allocation)


def _kept_decision_pdf(decision) -> bytes:
    from .rendering import kept_decision_pdf

    return kept_decision_pdf(decision)


def _decision_title(decision) -> str:
    title = _conditions_decision_title(decision.allocation)
    if decision.number == 1:
        return title
    from django.utils.formats import date_format

    return _("{title} (changed decision {number}, {date})").format(
        title=title, number=decision.number, date=date_format(decision.decided_on, "j F Y")
    )


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

        # A county's conditions decision is an official document once decided, and each later
        # change of it another (records, issue 17). Records made before decisions were kept one by
        # one point at the allocation itself.
        document_kind_register(
            self.get_model("Allocation"),
            title=_conditions_decision_title,
            url=lambda allocation: allocation.get_absolute_url(),
            pdf=_conditions_decision_pdf,
        )
        document_kind_register(
            self.get_model("ConditionsDecision"),
            title=_decision_title,
            url=lambda decision: decision.get_absolute_url(),
            pdf=_kept_decision_pdf,
        )
