"""The counties: list, profile page, profile editing and following the strategy process."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.views import ServiceActionView

from .. import services
from ..filters import RegionFilter, responsibility_year
from ..forms import RegionProfileForm
from ..models import Region
from ..selectors import region_for_page, region_with_profile, regions_with_responsibility_in
from .base import ModelEditFormView


class RegionListView(FilterView):
    template_name = "regions/region_list.html"
    context_object_name = "regions"
    filterset_class = RegionFilter

    def get_queryset(self):
        self.year = responsibility_year(self.request.GET)
        return regions_with_responsibility_in(self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, **kwargs)


class RegionDetailView(DetailView):
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return region_for_page(self.kwargs["slug"], user=self.request.user)

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        return super().get_context_data(
            year=year,
            # Loaded only when the page's cached part has to be rendered again.
            profile=SimpleLazyObject(lambda: self.profile(year)),
            can_edit=self.request.user.has_perm("regions.change_region", self.object),
            can_edit_business_support=self.request.user.has_perm("regions.change_businesssupportyear", self.object),
            can_follow=self.request.user.has_perm("regions.follow_region", self.object),
            **kwargs,
        )

    def profile(self, year: int) -> dict:
        region = region_with_profile(self.object)
        strategies = list(region.strategies.all())
        return {
            "region": region,
            "current_strategies": [s for s in strategies if s.end_year >= year],
            "earlier_strategies": [s for s in strategies if s.end_year < year],
        }


class RegionProfileUpdateView(ModelEditFormView):
    form_class = RegionProfileForm
    permission_required = "regions.change_region"
    heading = _("Edit the county's profile")

    def get_object(self):
        return get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_region(self):
        return self.object

    def perform(self, form):
        return services.region_profile_update(
            region=form.instance, data=form.cleaned_data, expected_version=form.cleaned_data["version"]
        )


class RegionFollowView(ServiceActionView):
    """Follow or stop following a county's strategy process (POST only)."""

    permission_required = "regions.follow_region"
    existence_private = True

    def load(self):
        self.region = get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.region

    def perform(self):
        self.follow = self.request.POST.get("follow") == "1"
        if self.follow:
            services.region_follow(user=self.request.user, region=self.region)
        else:
            services.region_unfollow(user=self.request.user, region=self.region)

    def get_success_message(self, result):
        if self.follow:
            return _("You will be e-mailed when the strategy process enters a new stage.")
        return _("You no longer follow the strategy process of this county.")

    def get_success_url(self):
        return self.region.get_absolute_url()
