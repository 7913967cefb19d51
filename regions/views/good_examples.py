"""Good examples: list, adding and editing."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from accounts.rules import own_region_id

from ..filters import GoodExampleFilter
from ..forms import GoodExampleForm
from ..models import GoodExample
from ..selectors import good_examples, good_examples_with_origin
from .base import ModelEditFormView


class GoodExampleListView(FilterView):
    template_name = "regions/goodexample_list.html"
    context_object_name = "examples"
    filterset_class = GoodExampleFilter
    paginate_by = 25

    def get_queryset(self):
        return good_examples()

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(can_add=user.has_perm("regions.add_goodexample", GoodExample()), **kwargs)


class GoodExampleCreateView(ModelEditFormView):
    form_class = GoodExampleForm
    permission_required = "regions.add_goodexample"
    heading = _("Add a good example")

    def get_object(self):
        return GoodExample(year=timezone.localdate().year)

    def get_initial(self):
        return {"region": own_region_id(self.request.user)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return form.save()

    def get_back_url(self):
        return reverse("regions:goodexample_list")

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_region(self):
        return None


class GoodExampleUpdateView(GoodExampleCreateView):
    permission_required = "regions.change_goodexample"
    heading = _("Edit the good example")

    def get_object(self):
        return get_object_or_404(good_examples_with_origin(), pk=self.kwargs["pk"])

    def get_initial(self):
        return {}
