from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("omgang/<int:pk>/rapporter/", views.RoundReportsView.as_view(), name="report_list"),
    path("omgang/<int:pk>/rapporter/status/", views.RoundReportsStatusView.as_view(), name="report_status"),
    path("omgang/<int:pk>/rapporter/skapa/", views.ReportsRequestView.as_view(), name="reports_request"),
    path("rapport/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("rapport/<int:pk>/pdf/", views.ReportDownloadView.as_view(), name="report_download"),
    path("rapport/<int:pk>/kommentar/", views.ReportCommentView.as_view(), name="report_comment"),
    path("rapport/<int:pk>/godkann/", views.ReportApproveView.as_view(), name="report_approve"),
    path("rapport/<int:pk>/publicera/", views.ReportPublishView.as_view(), name="report_publish"),
    path("rapport/<int:pk>/igen/", views.ReportRetryView.as_view(), name="report_regenerate"),
    path("rapport/<int:pk>/bilagor/ny/", views.ReportAttachmentAddView.as_view(), name="attachment_add"),
    path("rapport/bilagor/<int:pk>/", views.ReportAttachmentView.as_view(), name="attachment"),
    path("rapport/bilagor/<int:pk>/ta-bort/", views.ReportAttachmentRemoveView.as_view(), name="attachment_remove"),
    path("rapportkommentar/<int:pk>/avsluta/", views.CommentResolveView.as_view(), name="comment_resolve"),
    path("omgang/<int:pk>/rapporter/brev/", views.LetterTemplateView.as_view(), name="letter_template"),
    path(
        "omgang/<int:pk>/rapporter/brev/sammanfattning/",
        views.CoveringLetterView.as_view(),
        name="summary_letter_edit",
    ),
    path("omgang/<int:pk>/rapporter/brev/lan/<slug:slug>/", views.CoveringLetterView.as_view(), name="letter_edit"),
]
