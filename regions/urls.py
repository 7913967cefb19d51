from django.urls import path

from .views import strategies as views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="region_list"),
    path("organisationer/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisationer/ny/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisationer/<int:pk>/andra/", views.OrganisationUpdateView.as_view(), name="organisation_update"),
    path("organisationer/<int:pk>/ta-bort/", views.OrganisationDeleteView.as_view(), name="organisation_delete"),
    path("kontakter/", views.ContactListView.as_view(), name="contact_list"),
    path("kontakter/ny/", views.ContactCreateView.as_view(), name="contact_create"),
    path("kontakter/<int:pk>/andra/", views.ContactUpdateView.as_view(), name="contact_update"),
    path("kontakter/<int:pk>/ta-bort/", views.ContactDeleteView.as_view(), name="contact_delete"),
    path("goda-exempel/", views.GoodExampleListView.as_view(), name="goodexample_list"),
    path("goda-exempel/nytt/", views.GoodExampleCreateView.as_view(), name="goodexample_create"),
    path("goda-exempel/<int:pk>/andra/", views.GoodExampleUpdateView.as_view(), name="goodexample_update"),
    path("ansvar/<int:pk>/andra/", views.ResponsibilityPeriodUpdateView.as_view(), name="period_update"),
    path("ansvar/<int:pk>/ta-bort/", views.ResponsibilityPeriodDeleteView.as_view(), name="period_delete"),
    path("strategier/<int:pk>/andra/", views.StrategyUpdateView.as_view(), name="strategy_update"),
    path("strategier/<int:pk>/skede/", views.StrategyStageSetView.as_view(), name="strategy_stage_set"),
    path("strategier/<int:pk>/prioriteringar/ny/", views.PriorityCreateView.as_view(), name="priority_create"),
    path("prioriteringar/<int:pk>/andra/", views.PriorityUpdateView.as_view(), name="priority_update"),
    path("prioriteringar/<int:pk>/ta-bort/", views.PriorityDeleteView.as_view(), name="priority_delete"),
    path("<slug:slug>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("<slug:slug>/andra/", views.RegionProfileUpdateView.as_view(), name="region_update"),
    path("<slug:slug>/ansvar/ny/", views.ResponsibilityPeriodCreateView.as_view(), name="period_create"),
    path("<slug:slug>/strategier/ny/", views.StrategyCreateView.as_view(), name="strategy_create"),
    path("<slug:slug>/folj/", views.RegionFollowView.as_view(), name="region_follow"),
]
