from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from core.personal_data import personal_data_register

        from .models import OidcIdentity

        # The identities a person logs in with through single sign-on: theirs, and erased with them.
        personal_data_register(
            "sso_identities",
            export=lambda user: [
                {"issuer": identity.issuer, "subject": identity.subject, "linked": identity.created.isoformat()}
                for identity in OidcIdentity.objects.filter(user=user).order_by("pk")
            ],
            erase=lambda user: OidcIdentity.objects.filter(user=user).delete(),
        )
