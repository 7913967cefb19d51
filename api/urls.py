"""/api/v1/: the read-only API, its OpenAPI schema and the open data. Django's log-in middleware
leaves these addresses to DRF, which answers 401 (never a log-in page) without a valid token."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"


def _open(view_class, **kwargs):
    return login_not_required(view_class.as_view(**kwargs))


urlpatterns = [
    path(
        "schema/",
        _open(SpectacularAPIView, authentication_classes=(), permission_classes=(), throttle_classes=()),
        name="schema",
    ),
    path("regions/", _open(views.RegionListView), name="region_list"),
    path("regions/<slug:slug>/", _open(views.RegionDetailView), name="region_detail"),
    path("rounds/", _open(views.RoundListView), name="round_list"),
    path("reports/", _open(views.ReportListView), name="report_list"),
    path("reports/<int:pk>/", _open(views.ReportDetailView), name="report_detail"),
    path("reports/<int:pk>/pdf", _open(views.ReportPdfView), name="report_pdf"),
    path("appropriation/frames/", _open(views.FrameListView), name="frame_list"),
    path("appropriation/use/", _open(views.UseListView), name="use_list"),
    path("appropriation/cofinancing/", _open(views.CoFinancingListView), name="cofinancing_list"),
    path("open/figures.json", _open(views.OpenFiguresJsonView), name="open_figures_json"),
    path("open/figures.csv", _open(views.OpenFiguresCsvView), name="open_figures_csv"),
]
