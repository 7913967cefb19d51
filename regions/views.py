from django.utils import timezone
from django.views.generic import DetailView, ListView

from .selectors import region_with_history, regions_with_responsibility_in


class RegionListView(ListView):
    template_name = "regions/region_list.html"
    context_object_name = "regions"

    def get_queryset(self):
        self.year = timezone.localdate().year
        return regions_with_responsibility_in(self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, **kwargs)


class RegionDetailView(DetailView):
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return region_with_history(self.kwargs["slug"])
