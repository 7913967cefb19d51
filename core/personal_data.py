"""Personal data held outside the account, the contact card and the audit trail.

portal/gdpr.py composes a person's data from the apps below it. An app that keeps more about a
user (tokens, queued notifications, files they uploaded, requests they made) registers a section
here from its AppConfig.ready(), so the export and the anonymisation cannot forget it, and an app
on portal's own floor (api) can contribute without portal importing it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataSection:
    """One kind of personal data: how to list it for the person, and how to erase it.

    `erase` is None where the data must be kept (for instance an official document, which the
    public records law keeps: GDPR art. 17.3 b); `kept_because` then says why, in the export.
    """

    key: str
    export: Callable[[Any], list | dict]
    erase: Callable[[Any], None] | None = None
    kept_because: str = ""


_SECTIONS: dict[str, PersonalDataSection] = {}


def personal_data_register(
    key: str,
    *,
    export: Callable[[Any], list | dict],
    erase: Callable[[Any], None] | None = None,
    kept_because: str = "",
) -> None:
    """Add a section to every export and anonymisation of a user (call from AppConfig.ready())."""
    _SECTIONS[key] = PersonalDataSection(key=key, export=export, erase=erase, kept_because=kept_because)


def personal_data_sections() -> list[PersonalDataSection]:
    """The registered sections, in a stable order."""
    return [_SECTIONS[key] for key in sorted(_SECTIONS)]


def register_core_sections() -> None:
    """What core itself keeps about a user: queued digest notifications, sent forms, uploaded files."""
    from django.utils.translation import gettext_lazy as _

    from .models import Attachment, DigestItem, FormToken

    personal_data_register(
        "digest_items",
        export=lambda user: [
            {"subject": item.subject, "created": item.created_at.isoformat()}
            for item in DigestItem.objects.filter(user=user).order_by("created_at", "pk")
        ],
        erase=lambda user: DigestItem.objects.filter(user=user).delete(),
    )
    personal_data_register(
        "forms_sent",
        export=lambda user: [
            {"sent": token.created_at.isoformat(), "outcome": token.outcome_url}
            for token in FormToken.objects.filter(user=user).order_by("created_at", "pk")
        ],
        erase=lambda user: FormToken.objects.filter(user=user).delete(),
    )
    personal_data_register(
        "files_uploaded",
        export=lambda user: [
            {"file": attachment.original_name, "uploaded": attachment.uploaded_at.isoformat(), "size": attachment.size}
            for attachment in Attachment.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk")
        ],
        kept_because=_(
            "Attachments belong to the documents they were attached to; they stay attributed to the anonymised account."
        ),
    )
