from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from dialogues.selectors import attention_for
from regions.selectors import regions_with_responsibility_in

from .choices import Role


class StartView(TemplateView):
    """The start page: what needs the user's attention now, by role."""

    def get_template_names(self):
        return [f"accounts/start_{self.request.user.role}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = timezone.localdate().year
        context["year"] = year
        # Computed only when the page's cached part is rendered again.
        context["dialogues_attention"] = SimpleLazyObject(lambda: attention_for(user))
        if user.role == Role.REGION:
            context["region"] = SimpleLazyObject(lambda: regions_with_responsibility_in(year).get(pk=user.region_id))
        else:
            context["regions"] = regions_with_responsibility_in(year)
        return context
