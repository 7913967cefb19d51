from django.urls import path

from . import views

# The calendar subscription kept its addresses under /forum/ when it moved here (issue 16): calendar
# programs out there hold them.
app_name = "portal"
urlpatterns = [
    path("forum/kalender/prenumeration/", views.CalendarSubscriptionView.as_view(), name="calendar_subscription"),
    path("forum/kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("drift/", views.OperationsStatusView.as_view(), name="operations"),
]
