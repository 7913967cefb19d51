from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .mail import mail_resend
from .models import OutgoingMail


@admin.action(description=_("Send again (perhaps sent or failed e-mails)"))
def resend_mail(modeladmin, request, queryset):
    count = mail_resend(mail_ids=queryset.values_list("pk", flat=True))
    modeladmin.message_user(
        request,
        ngettext("%(count)d e-mail will be sent again.", "%(count)d e-mails will be sent again.", count)
        % {"count": count},
        messages.SUCCESS if count else messages.WARNING,
    )


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox: what went out, what is still waiting, and what perhaps went out or failed, with
    its last error; those two are sent again only by an administrator's decision."""

    actions = [resend_mail]
    list_display = ("subject", "recipient", "status", "created_at", "sent_at", "attempts")
    list_filter = ("status", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient", "subject")
    readonly_fields = (
        "recipient",
        "subject",
        "body",
        "status",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "attempts",
        "last_error",
    )

    def has_add_permission(self, request):
        return False
