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
]
