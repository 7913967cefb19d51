from django.urls import path

from . import views

app_name = "forum"
urlpatterns = [
    path("", views.ForumListView.as_view(), name="forum_list"),
    path("ny/", views.ForumCreateView.as_view(), name="forum_create"),
    path("<int:pk>/", views.ForumDetailView.as_view(), name="forum_detail"),
    path("<int:pk>/andra/", views.ForumUpdateView.as_view(), name="forum_update"),
    path("<int:pk>/sammansattning/", views.CompositionView.as_view(), name="forum_composition"),
    path("<int:pk>/kalender.ics", views.ForumCalendarView.as_view(), name="forum_ics"),
    path("<int:forum_pk>/ledamoter/ny/", views.MembershipCreateView.as_view(), name="membership_create"),
    path("ledamoter/<int:pk>/andra/", views.MembershipUpdateView.as_view(), name="membership_update"),
    path("<int:forum_pk>/moten/nytt/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("moten/", views.MeetingListView.as_view(), name="meeting_list"),
    path("moten/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("moten/<int:pk>/andra/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("moten/<int:pk>/kalender.ics", views.MeetingCalendarView.as_view(), name="meeting_ics"),
    path("moten/<int:pk>/protokoll.pdf", views.MeetingMinutesPdfView.as_view(), name="meeting_minutes_pdf"),
    path(
        "moten/<int:pk>/protokoll/godkann/", views.MeetingMinutesApproveView.as_view(), name="meeting_minutes_approve"
    ),
    path("moten/<int:meeting_pk>/punkter/ny/", views.AgendaItemCreateView.as_view(), name="agendaitem_create"),
    path("moten/<int:meeting_pk>/narvaro/", views.AttendanceView.as_view(), name="attendance_update"),
    path("moten/<int:meeting_pk>/dokument/nytt/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("punkter/<int:pk>/andra/", views.AgendaItemUpdateView.as_view(), name="agendaitem_update"),
    path("punkter/<int:pk>/protokoll/", views.MinutesUpdateView.as_view(), name="agendaitem_minutes"),
    path("dokument/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
]
