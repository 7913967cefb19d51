"""API tokens in the admin: an administrator creates one (its secret is shown once, then only its
hash is kept) and revokes it. A token is never edited: a new purpose is a new token."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at", "created_by", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user", "created_by")
    search_fields = ("name", "user__email")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at", "created_by", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def get_fields(self, request, obj=None):
        return ("user", "name") if obj is None else ("user", "name", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ("user", "name", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token is edited
        token, secret = services.token_create(user=obj.user, name=obj.name, created_by=request.user)
        obj.pk = token.pk
        messages.warning(
            request,
            _("The token's secret, shown only now (copy it; only its hash is kept): %(secret)s") % {"secret": secret},
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit log keeps who created and revoked what

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = [token for token in queryset if not token.is_revoked]
        for token in tokens:
            services.token_revoke(token=token)
        messages.success(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)) % {"count": len(tokens)},
        )
