from django.urls import path

from .views import contacts, counties, good_examples, organisations, responsibility, strategies

app_name = "regions"
urlpatterns = [
    path("", counties.RegionListView.as_view(), name="region_list"),
    path("organisationer/", organisations.OrganisationListView.as_view(), name="organisation_list"),
    path("organisationer/ny/", organisations.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisationer/<int:pk>/andra/", organisations.OrganisationUpdateView.as_view(), name="organisation_update"),
    path(
        "organisationer/<int:pk>/ta-bort/", organisations.OrganisationDeleteView.as_view(), name="organisation_delete"
    ),
    path("kontakter/", contacts.ContactListView.as_view(), name="contact_list"),
    path("kontakter/ny/", contacts.ContactCreateView.as_view(), name="contact_create"),
    path("kontakter/<int:pk>/andra/", contacts.ContactUpdateView.as_view(), name="contact_update"),
    path("kontakter/<int:pk>/ta-bort/", contacts.ContactDeleteView.as_view(), name="contact_delete"),
    path("goda-exempel/", good_examples.GoodExampleListView.as_view(), name="goodexample_list"),
    path("goda-exempel/nytt/", good_examples.GoodExampleCreateView.as_view(), name="goodexample_create"),
    path("goda-exempel/<int:pk>/andra/", good_examples.GoodExampleUpdateView.as_view(), name="goodexample_update"),
    path("ansvar/<int:pk>/andra/", responsibility.ResponsibilityPeriodUpdateView.as_view(), name="period_update"),
    path("ansvar/<int:pk>/ta-bort/", responsibility.ResponsibilityPeriodDeleteView.as_view(), name="period_delete"),
    path("strategier/<int:pk>/andra/", strategies.StrategyUpdateView.as_view(), name="strategy_update"),
    path("strategier/<int:pk>/skede/", strategies.StrategyStageSetView.as_view(), name="strategy_stage_set"),
    path("strategier/<int:pk>/prioriteringar/ny/", strategies.PriorityCreateView.as_view(), name="priority_create"),
    path("prioriteringar/<int:pk>/andra/", strategies.PriorityUpdateView.as_view(), name="priority_update"),
    path("prioriteringar/<int:pk>/ta-bort/", strategies.PriorityDeleteView.as_view(), name="priority_delete"),
    path("<slug:slug>/", counties.RegionDetailView.as_view(), name="region_detail"),
    path("<slug:slug>/andra/", counties.RegionProfileUpdateView.as_view(), name="region_update"),
    path("<slug:slug>/ansvar/ny/", responsibility.ResponsibilityPeriodCreateView.as_view(), name="period_create"),
    path(
        "<slug:slug>/naringslivsstod/",
        responsibility.BusinessSupportYearsView.as_view(),
        name="business_support_years",
    ),
    path("<slug:slug>/strategier/ny/", strategies.StrategyCreateView.as_view(), name="strategy_create"),
    path("<slug:slug>/folj/", counties.RegionFollowView.as_view(), name="region_follow"),
]
