import os

import prometheus_client
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView
from prometheus_client import multiprocess

from accounts.choices import Role
from accounts.rules import is_national_staff
from core.views import PermissionMixin, ServiceFormMixin
from forum import selectors as forum_selectors
from forum import services as forum_services
from regions.models import Region
from regions.selectors import regions_with_responsibility_in

from .calendar import subscription_calendar
from .forms import CalendarSubscriptionForm
from .operations import OperationsCollector, operations_status
from .selectors import county_queues, dialogues_for_subscription, work_queues


class StartView(TemplateView):
    """The start page: what waits for the user now, by role (portal.selectors' work queues).

    National staff may look at one county's queue (`?lan=<slug>`): the very list that county's
    own users see on their start page.
    """

    def get_template_names(self):
        return [f"portal/start_{self.request.user.role}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = timezone.localdate().year
        context["year"] = year
        # Computed only when the page's cached part is rendered again.
        context["queues"] = SimpleLazyObject(lambda: work_queues(user))
        if user.role == Role.REGION:
            context["region"] = SimpleLazyObject(lambda: regions_with_responsibility_in(year).get(pk=user.region_id))
        else:
            context["regions"] = regions_with_responsibility_in(year)
            slug = self.request.GET.get("lan", "")
            county = Region.objects.filter(slug=slug).first() if slug and is_national_staff(user) else None
            if county is not None:
                context["county"] = county
                context["county_queues"] = SimpleLazyObject(lambda: county_queues(county))
        return context


@method_decorator(never_cache, name="dispatch")  # the page shows a secret address once
class CalendarSubscriptionView(PermissionMixin, ServiceFormMixin, FormView):
    """The user's own secret address for subscribing from a calendar program: create it (a new one
    replaces the old), see it once, stop it. The permission depends on the role alone (MODEL.md):
    a refusal is 403."""

    permission_required = "forum.add_calendarsubscription"
    template_name = "portal/calendar_subscription.html"
    form_class = CalendarSubscriptionForm
    # The new token waits here for the one page view after the redirect that shows it.
    NEW_TOKEN_SESSION_KEY = "forum_calendar_new_token"

    def get_context_data(self, **kwargs):
        token = self.request.session.pop(self.NEW_TOKEN_SESSION_KEY, None)
        address = self.request.build_absolute_uri(reverse("portal:calendar_feed", args=[token])) if token else ""
        return super().get_context_data(
            subscription=forum_selectors.calendar_subscription_of(self.request.user),
            address=address,
            webcal_address="webcal://" + address.split("://", 1)[1] if address else "",
            **kwargs,
        )

    def perform(self, form):
        user = self.request.user
        if form.cleaned_data["action"] == form.RENEW:
            self.request.session[self.NEW_TOKEN_SESSION_KEY] = forum_services.calendar_subscription_renew(user=user)
            self.success_message = _("Your new subscription address is ready. Copy it now: it is shown once.")
        elif forum_services.calendar_subscription_revoke(user=user):
            self.success_message = _(
                "The address no longer works. Calendars that subscribed to it are no longer updated."
            )

    def get_success_url(self):
        return reverse("portal:calendar_subscription")


@login_not_required  # calendar programs cannot log in: the secret address is the key
@require_safe
def calendar_feed(request, token: str):
    """The meetings and dialogues of the user whose secret address this is, as an iCalendar feed.

    The session plays no part: whoever holds the address gets its owner's calendar, and an unknown
    or stopped address is a 404 like any missing page.
    """
    user = forum_selectors.calendar_subscriber(token)
    if user is None:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):  # the program's language says nothing of the user's
        content = subscription_calendar(
            forum_selectors.meetings_for_subscription(),
            dialogues_for_subscription(user),
            host=request.get_host(),
            name=str(_("Forum meetings and dialogues")),
            user=user,
        )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


class OperationsStatusView(PermissionMixin, TemplateView):
    """The administrators' status page: workers, queues, report jobs, e-mails waiting, last backup."""

    permission_required = "portal.view_operations"
    template_name = "portal/operations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(status=operations_status(), **kwargs)


@login_not_required  # a Prometheus scraper has no session: the token is the key
@never_cache
@require_safe
def metrics(request):
    """Prometheus metrics: this process's (or, with PROMETHEUS_MULTIPROC_DIR, all web processes')
    request figures, and the operations snapshot. No configured token: the address does not exist."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    if not constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return HttpResponse(status=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        processes = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = prometheus_client.REGISTRY
    operations = prometheus_client.CollectorRegistry()
    operations.register(OperationsCollector())
    body = prometheus_client.generate_latest(processes) + prometheus_client.generate_latest(operations)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
