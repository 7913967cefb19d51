from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import set_language

from core.health import healthz, livez
from portal import views as portal_views
from portal.views import StartView

admin.site.site_header = admin.site.site_title = "Regionala utvecklingsdialoger"

urlpatterns = [
    path("", StartView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("metrics", portal_views.metrics, name="metrics"),
    path(
        "tillganglighet/",
        login_not_required(
            TemplateView.as_view(
                template_name="accessibility_statement.html",
                extra_context={"contact_email": "tillganglighet@regeringskansliet.se"},
            )
        ),
        name="accessibility",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("konto/", include("accounts.urls")),
    path("lan/", include("regions.urls")),
    path("", include("portal.urls")),
    path("forum/", include("forum.urls")),
    path("dialoger/", include("dialogues.urls")),
    path("dialoger/", include("reports.urls")),  # the feedback reports keep their paths under dialoger/
    path("uppfoljning/", include("followup.urls")),
    path("diarium/", include("records.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
