"""/api/v1/: the read-only API, its OpenAPI schema and the open data. Django's log-in middleware
leaves these addresses to DRF, which answers 401 (never a log-in page) without a valid token."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"


class SignedIntConverter:
    """An id in the address, also a negative one: such an id reaches the view and gets the API's
    JSON 404, not the portal's HTML 404 page (the schema's clients read JSON)."""

    regex = "-?[0-9]+"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(SignedIntConverter, "api_id")


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
    path("reports/<api_id:pk>/", _open(views.ReportDetailView), name="report_detail"),
    path("reports/<api_id:pk>/pdf", _open(views.ReportPdfView), name="report_pdf"),
    path("appropriation/frames/", _open(views.FrameListView), name="frame_list"),
    path("appropriation/use/", _open(views.UseListView), name="use_list"),
    path("appropriation/cofinancing/", _open(views.CoFinancingListView), name="cofinancing_list"),
    path("open/figures.json", _open(views.OpenFiguresJsonView), name="open_figures_json"),
    path("open/figures.csv", _open(views.OpenFiguresCsvView), name="open_figures_csv"),
]
