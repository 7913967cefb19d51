from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

app_name = "followup"
urlpatterns = [
    path("", views.NationalView.as_view(), name="national"),
    path("over-tid/", views.TrendView.as_view(), name="trend"),
    path("nytt-ar/", views.AppropriationCreateView.as_view(), name="appropriation_create"),
    path("mall.<fmt:fmt>", views.TemplateDownloadView.as_view(), name="template"),
    path("<int:year>/import/", views.ImportView.as_view(), name="import"),
    path("<int:year>/import/spara/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("<int:year>/ramar/", views.FramesImportView.as_view(), name="frames_import"),
    path("<int:year>/ramar/spara/", views.FramesImportConfirmView.as_view(), name="frames_import_confirm"),
    path("<int:year>/ramar.<fmt:fmt>", views.FramesTemplateView.as_view(), name="frames_template"),
    path("<int:year>/medfinansiering/import/", views.CoFinancingImportView.as_view(), name="cofinancing_import"),
    path(
        "<int:year>/medfinansiering/import/spara/",
        views.CoFinancingImportConfirmView.as_view(),
        name="cofinancing_import_confirm",
    ),
    path("<int:year>/resultat/import/", views.ResultsImportView.as_view(), name="results_import"),
    path("<int:year>/resultat/import/spara/", views.ResultsImportConfirmView.as_view(), name="results_import_confirm"),
    path("mall-medfinansiering.<fmt:fmt>", views.CoFinancingTemplateView.as_view(), name="cofinancing_template"),
    path("mall-resultat.<fmt:fmt>", views.ResultsTemplateView.as_view(), name="results_template"),
    path("<int:year>/anvandning.<fmt:fmt>", views.ExportView.as_view(), name="export"),
    path("alla-ar/anvandning.<fmt:fmt>", views.ExportAllYearsView.as_view(), name="export_all_years"),
    path("lan/<slug:slug>/", views.RegionTrendView.as_view(), name="region"),
    path("lan/<slug:slug>/<int:year>/", views.AllocationDetailView.as_view(), name="allocation_detail"),
    path("lan/<slug:slug>/<int:year>/ram/", views.AllocationUpdateView.as_view(), name="allocation_update"),
    path("lan/<slug:slug>/<int:year>/anvandning/", views.ExpenditureReportView.as_view(), name="expenditure_report"),
    path(
        "lan/<slug:slug>/<int:year>/medfinansiering/",
        views.CoFinancingReportView.as_view(),
        name="cofinancing_report",
    ),
    path("lan/<slug:slug>/<int:year>/resultat/", views.ResultReportView.as_view(), name="result_report"),
]
