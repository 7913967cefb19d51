from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sessions_end(user) -> None:
    from .services import user_sessions_end

    user_sessions_end(user=user)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from core.personal_data import personal_data_register

        from . import receivers  # noqa: F401  (connect them)
        from .models import Invitation, OidcIdentity, UserSession

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
        # The sessions a person is logged in with (browser, address, times): theirs, ended with them.
        personal_data_register(
            "sessions",
            export=lambda user: [
                {
                    "browser": session.user_agent,
                    "from_address": session.ip_address,
                    "started": session.started.isoformat(),
                    "last_used": session.last_seen.isoformat(),
                }
                for session in UserSession.objects.filter(user=user).order_by("started", "pk")
            ],
            erase=_sessions_end,
        )
        # The second factor: its secret keys are the person's, and go with their identity.
        personal_data_register(
            "second_factor",
            export=lambda user: {
                "authenticator_apps": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
                "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
            },
            erase=lambda user: (
                TOTPDevice.objects.filter(user=user).delete(),
                StaticDevice.objects.filter(user=user).delete(),
            ),
        )
