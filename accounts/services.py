from collections.abc import Iterable

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
