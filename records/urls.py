from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.RecordListView.as_view(), name="record_list"),
    path("<int:pk>/", views.RecordDetailView.as_view(), name="record_detail"),
    path("<int:pk>/handling.pdf", views.RecordPdfView.as_view(), name="record_pdf"),
    path("<int:pk>/nummer/", views.RecordNumberView.as_view(), name="record_number"),
    path("<int:pk>/sekretess/", views.SecrecyMarkView.as_view(), name="secrecy_mark"),
    path("sekretess/<int:pk>/upphav/", views.SecrecyLiftView.as_view(), name="secrecy_lift"),
    path("iakttagelse/<int:pk>/sekretess/", views.ObservationSecrecyMarkView.as_view(), name="observation_secrecy"),
    path("begaran/", views.AccessRequestListView.as_view(), name="request_list"),
    path("begaran/ny/", views.AccessRequestCreateView.as_view(), name="request_create"),
    path("begaran/<int:pk>/", views.AccessRequestDetailView.as_view(), name="request_detail"),
    path("begaran/<int:pk>/handling/", views.AccessRequestAddView.as_view(), name="request_add"),
    path("begaran/handling/<int:pk>/ta-bort/", views.AccessRequestRemoveView.as_view(), name="request_remove"),
    path("begaran/<int:pk>/beslut/", views.AccessRequestDecisionsView.as_view(), name="request_decisions"),
    path("begaran/<int:pk>/avgor/", views.AccessRequestDecideView.as_view(), name="request_decide"),
    path("gallring/", views.DisposalView.as_view(), name="disposal"),
    path("gallring/kor/", views.DisposalRunView.as_view(), name="disposal_run"),
    path("begaran/<int:pk>/utlamnande.zip", views.AccessRequestBundleView.as_view(), name="request_bundle"),
    path("arkiv/", views.ArchivePackageListView.as_view(), name="archive_list"),
    path("arkiv/arende/<int:pk>/paket/", views.ArchivePackageCreateView.as_view(), name="archive_create"),
    path("arkiv/paket/<int:pk>/hamta/", views.ArchivePackageDownloadView.as_view(), name="archive_download"),
]
