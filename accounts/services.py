from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from .models import User
from .tasks import mail_send_task


def mail_users(*, users: Iterable[User], subject: str, body: str) -> int:
    """Queue one e-mail to the active users given, once the current transaction has committed.

    Returns the number of recipients; users without an address or inactive are skipped.
    """
    recipients = sorted({user.email for user in users if user.is_active and user.email})
    if recipients:
        mail_send_task.delay_on_commit(subject=str(subject), body=str(body), recipients=recipients)
    return len(recipients)


def user_personal_data(*, user: User) -> dict:
    """Everything the portal holds about a person as a user, for a data subject access request."""
    from auditlog.models import LogEntry

    contact = getattr(user, "contact", None)
    return {
        "user": {
            "email": user.email,
            "name": user.full_name,
            "title": user.title,
            "organisation": user.organisation,
            "role": user.role,
            "county": str(user.region) if user.region else None,
            "active": user.is_active,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "contact": (
            {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone}
            if contact
            else None
        ),
        "changes_made": [
            {"when": entry.timestamp.isoformat(), "action": entry.get_action_display(), "object": entry.object_repr}
            for entry in LogEntry.objects.filter(actor=user).order_by("timestamp")
        ],
    }


PERSONAL_FIELDS = ("email", "full_name", "title", "organisation")


@transaction.atomic
def user_anonymise(*, user: User) -> None:
    """Erase a person's identity but keep the records that refer to the account.

    The account is deactivated, its personal fields replaced, and the personal values removed from
    the audit trail of the account itself; what the person did stays attributed to "anonymised user".
    """
    from auditlog.models import LogEntry

    user.email = f"anonymiserad-{user.pk}@invalid.example"
    user.full_name = gettext("Anonymised user")
    user.title = user.organisation = ""
    user.is_active = False
    user.set_unusable_password()
    user.full_clean()
    user.save()
    for entry in LogEntry.objects.get_for_object(user):
        changes = {k: v for k, v in (entry.changes or {}).items() if k not in PERSONAL_FIELDS}
        LogEntry.objects.filter(pk=entry.pk).update(changes=changes, object_repr=user.full_name, changes_text="")
