"""The one refusal policy and the one form-to-service path that every page is built on."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views.generic import FormView, View

from core.concurrency import StaleEditError
from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin


class _User:
    def __init__(self, *allowed):
        self.allowed = allowed
        self.asked = []

    def has_perm(self, perm, obj=None):
        self.asked.append((perm, obj))
        return perm in self.allowed


def _request(method="get", data=None, user=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = user or _User()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class _Page(PermissionMixin, View):
    permission_required = "app.view_thing"

    def load(self):
        self.thing = "the thing"

    def get_permission_object(self):
        return self.thing

    def get(self, request):
        return HttpResponse("page")


class _PrivatePage(_Page):
    existence_private = True


def test_a_permitted_user_gets_the_page_and_the_permission_is_asked_of_the_loaded_object():
    user = _User("app.view_thing")
    assert _Page.as_view()(_request(user=user)).content == b"page"
    assert user.asked == [("app.view_thing", "the thing")]


def test_a_refusal_is_403_where_existence_is_no_secret_and_404_where_it_is():
    with pytest.raises(PermissionDenied):
        _Page.as_view()(_request())
    with pytest.raises(Http404):
        _PrivatePage.as_view()(_request())


class _NameForm(forms.Form):
    name = forms.CharField()


class _SavePage(ServiceFormMixin, FormView):
    form_class = _NameForm
    template_name = "core/does_not_exist.html"
    success_url = "/done/"
    success_message = "Saved."
    failure = None

    def perform(self, form):
        if self.failure:
            raise self.failure
        return None

    def form_invalid(self, form):
        return HttpResponse(repr(form.errors.get_json_data()), status=200)


def _messages(request):
    return [str(message) for message in get_messages(request)]


def test_a_valid_form_reaches_the_service_then_one_message_and_a_redirect():
    request = _request("post", {"name": "Kalmar"})
    response = _SavePage.as_view()(request)
    assert (response.status_code, response.url) == (302, "/done/")
    assert _messages(request) == ["Saved."]


@pytest.mark.parametrize(
    ("failure", "field"),
    [
        (ValidationError({"name": "Taken."}), "name"),
        (ValidationError({"other": "Not on the form."}), "__all__"),
        (ValidationError("Closed."), "__all__"),
    ],
)
def test_a_service_error_lands_on_its_field_or_on_the_form_and_nothing_is_announced(failure, field):
    request = _request("post", {"name": "Kalmar"})
    response = _SavePage.as_view(failure=failure)(request)
    assert response.status_code == 200
    assert f"'{field}'" in response.content.decode()
    assert _messages(request) == []


def test_a_stale_edit_shows_the_stale_message_on_the_form():
    request = _request("post", {"name": "Kalmar"})
    response = _SavePage.as_view(failure=StaleEditError())(request)
    assert str(StaleEditError())[:40] in response.content.decode()
    assert _messages(request) == []


class _Button(ServiceActionView):
    permission_required = "app.close"
    success_message = "Closed."
    failure = None

    def perform(self):
        if self.failure:
            raise self.failure

    def get_success_url(self):
        return "/round/"


def test_a_button_runs_the_service_and_reports_success_or_the_services_refusal():
    allowed = _User("app.close")
    request = _request("post", user=allowed)
    assert _Button.as_view()(request).url == "/round/"
    assert _messages(request) == ["Closed."]

    request = _request("post", user=allowed)
    assert _Button.as_view(failure=ValidationError("Dialogues are still planned."))(request).url == "/round/"
    assert _messages(request) == ["Dialogues are still planned."]


def test_a_button_is_refused_to_others_and_does_not_answer_get():
    with pytest.raises(PermissionDenied):
        _Button.as_view()(_request("post"))
    assert _Button.as_view()(_request("get", user=_User("app.close"))).status_code == 405
