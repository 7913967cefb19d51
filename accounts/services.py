"""Changes a person makes to their own account."""

from django.db import transaction

from .models import User


@transaction.atomic
def user_mail_delivery_set(*, user: User, mail_delivery: str) -> User:
    """Set how `user` receives the portal's work notifications (`core.models.MailDelivery`): at once,
    or gathered into one daily digest. Notifications already kept for the digest stay there and go
    out with the next one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.mail_delivery = mail_delivery
    user.full_clean(exclude=["password"])
    user.save(update_fields=["mail_delivery"])
    return user
