from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from core.personal_data import personal_data_register

        from .models import Invitation, OidcIdentity

        # The identities a person logs in with through single sign-on: theirs, and erased with them.
        personal_data_register(
            "sso_identities",
            export=lambda user: [
                {"issuer": identity.issuer, "subject": identity.subject, "linked": identity.created.isoformat()}
                for identity in OidcIdentity.objects.filter(user=user).order_by("pk")
            ],
            erase=lambda user: OidcIdentity.objects.filter(user=user).delete(),
        )

        # The invitation a person's account was made from (its address is theirs); the invitations
        # a person sent are the inviter's work, kept like other authored records.
        personal_data_register(
            "invitation",
            export=lambda user: [
                {"invited": invitation.created_at.isoformat(), "used": invitation.used_at.isoformat()}
                for invitation in Invitation.objects.filter(user=user).order_by("pk")
                if invitation.used_at
            ],
            erase=lambda user: Invitation.objects.filter(user=user).update(
                email=f"anonymiserad-{user.pk}@invalid.example"
            ),
        )
