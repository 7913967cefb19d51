"""Double clicks and races, on two real PostgreSQL connections at once (tests/racing.py holds both
requests up on a lock until PostgreSQL shows them both waiting, then lets go)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from dialogues.models import Observation
from reports.choices import ReportStatus
from reports.models import FeedbackReport
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory, SubmissionFactory
from tests.helpers import broker_unreachable
from tests.racing import race

ALREADY_SENT = "This form had already been sent, so it was saved only once. Here is the result."
TOKEN = "5b0d3c4e-8f1a-4d2b-9c7e-1a2b3c4d5e6f"


def _swedish(message: str) -> str:
    with translation.override("sv"):
        return escape(gettext(message))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _observation(**extra) -> dict:
    return {"category": "steering", "title": "Tydlig styrning", "text": "Länet prioriterar väl.", **extra}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_regenerations_of_a_report_make_one_new_version(ministry_user, region_a):
    dialogue_round = DialogueRoundFactory(year=2015, status="closed")
    SubmissionFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_a))
    failed = FeedbackReportFactory(round=dialogue_round, region=region_a, status=ReportStatus.FAILED, error="Boom")
    url = reverse("reports:report_regenerate", args=[failed.pk])
    first, second = _client(ministry_user), _client(ministry_user)

    with broker_unreachable():  # the new version stays pending: no worker finishes it in between
        responses = race(
            lambda: first.post(url, follow=True),
            lambda: second.post(url, follow=True),
            lock_sql="LOCK TABLE dialogues_feedbackreport IN SHARE ROW EXCLUSIVE MODE",
        )

    assert [r.status_code for r in responses] == [200, 200]
    assert list(FeedbackReport.objects.order_by("version").values_list("version", "status")) == [
        (1, ReportStatus.FAILED),
        (2, ReportStatus.PENDING),
    ]
    pages = sorted(r.content.decode() for r in responses)
    told = [_swedish("A new version of the report is being generated.") in page for page in pages]
    already = [_swedish("This report is already being generated.") in page for page in pages]
    assert sorted(zip(told, already, strict=True)) == [(False, True), (True, False)]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_for_a_rounds_reports_make_one_set(ministry_user, region_a, region_b):
    dialogue_round = DialogueRoundFactory(year=2015, status="closed")
    for region in (region_a, region_b):
        SubmissionFactory(dialogue=DialogueFactory(round=dialogue_round, region=region))
    url = reverse("reports:reports_request", args=[dialogue_round.pk])
    data = {"region": "", "language": "sv"}
    first, second = _client(ministry_user), _client(ministry_user)

    with broker_unreachable():
        responses = race(
            lambda: first.post(url, data, follow=True),
            lambda: second.post(url, data, follow=True),
            lock_sql="LOCK TABLE dialogues_feedbackreport IN SHARE ROW EXCLUSIVE MODE",
        )

    assert [r.status_code for r in responses] == [200, 200]
    assert FeedbackReport.objects.count() == 3  # two counties and the summary, once
    assert set(FeedbackReport.objects.values_list("version", flat=True)) == {1}
    pages = [r.content.decode() for r in responses]
    assert sum(_swedish("The reports are already being generated.") in page for page in pages) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_new_observation_posts_with_one_token_make_one_observation(ministry_user, region_a):
    dialogue = DialogueFactory(region=region_a)
    url = reverse("dialogues:observation_create", args=[dialogue.pk])
    first, second = _client(ministry_user), _client(ministry_user)

    responses = race(
        lambda: first.post(url, _observation(form_token=TOKEN), follow=True),
        lambda: second.post(url, _observation(form_token=TOKEN), follow=True),
        lock_sql="LOCK TABLE dialogues_observation IN SHARE ROW EXCLUSIVE MODE",
    )

    assert Observation.objects.filter(dialogue=dialogue).count() == 1
    # both land on the dialogue's page, where the observation is; the second is told why
    assert [r.redirect_chain[-1][0] for r in responses] == [dialogue.get_absolute_url()] * 2
    assert all("Tydlig styrning" in r.content.decode() for r in responses)
    assert sum(_swedish(ALREADY_SENT) in r.content.decode() for r in responses) == 1


@pytest.mark.django_db
def test_a_double_post_of_new_observation_makes_one_observation(client, ministry_user, region_a):
    dialogue = DialogueFactory(region=region_a)
    url = reverse("dialogues:observation_create", args=[dialogue.pk])
    client.force_login(ministry_user)

    first = client.post(url, _observation(form_token=TOKEN))
    second = client.post(url, _observation(form_token=TOKEN), follow=True)

    assert Observation.objects.filter(dialogue=dialogue).count() == 1
    assert second.redirect_chain[0][0] == first["Location"] == dialogue.get_absolute_url()
    assert _swedish(ALREADY_SENT) in second.content.decode()


@pytest.mark.django_db
def test_a_refused_first_post_leaves_the_token_free(client, ministry_user, region_a):
    dialogue = DialogueFactory(region=region_a)
    url = reverse("dialogues:observation_create", args=[dialogue.pk])
    client.force_login(ministry_user)

    refused = client.post(url, _observation(form_token=TOKEN, title=""))
    accepted = client.post(url, _observation(form_token=TOKEN))

    assert refused.status_code == 200 and "form" in refused.context  # shown again with the error
    assert accepted["Location"] == dialogue.get_absolute_url()
    assert Observation.objects.filter(dialogue=dialogue).count() == 1


@pytest.mark.django_db
def test_a_token_of_another_user_is_not_a_way_to_their_result(client, ministry_user, region_a):
    from tests.factories.accounts import UserFactory

    dialogue = DialogueFactory(region=region_a)
    url = reverse("dialogues:observation_create", args=[dialogue.pk])
    client.force_login(ministry_user)
    client.post(url, _observation(form_token=TOKEN))
    other = _client(UserFactory(role=ministry_user.role))

    response = other.post(url, _observation(form_token=TOKEN), follow=True)

    assert Observation.objects.filter(dialogue=dialogue).count() == 1
    assert _swedish(ALREADY_SENT) in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_every_url_that_takes_a_post_runs_once_when_sent_twice_at_once(region_a, region_b, user_by_role):
    """Each URL of the role-access table that takes a POST, its page's form filled in, sent twice at
    once with one token on two connections (both held up on the token table until PostgreSQL shows
    them waiting): when one succeeds, the other is told the form was already sent and led to the
    same place, instead of running the view again."""
    from core.models import FormToken
    from tests.core.test_form_tokens import ROLE_ORDER, _filled, _post_urls
    from tests.security.test_role_access import _close, _form_data
    from tests.security.urlwalk import build_world, path_for

    world = build_world(region_a, region_b)
    problems, succeeded = [], []
    # One world for all (nothing is rolled back here): the URLs that close or reopen the round last.
    urls = sorted(_post_urls(), key=lambda url: url[0] in {"dialogues:round_close", "dialogues:round_open"})
    for name, route, access in urls:
        role = next(role for role in ROLE_ORDER if role in access.post)
        path = path_for(name, route, world)
        if access.state:
            try:
                access.state(world)
            except ValidationError:
                continue  # an earlier URL moved the world on (a sent submission cannot be sent again)
        first, second = _client(user_by_role[role]), _client(user_by_role[role])
        page = first.get(path) if access.get else None
        form = (page.context or {}).get("form") if page is not None and page.status_code == 200 else None
        if page is not None:
            _close(page)
        token = f"race-{name}"

        def send(client, form=form, page=page, token=token, path=path):
            data = _filled(form) if form is not None else (_form_data(page) if page is not None else {})
            response = client.post(path, {**data, "form_token": token})
            _close(response)
            return response

        responses = race(
            lambda first=first, send=send: send(first),
            lambda second=second, send=send: send(second),
            lock_sql="LOCK TABLE core_formtoken IN SHARE ROW EXCLUSIVE MODE",
        )
        if any(r.status_code >= 500 for r in responses):
            problems.append(f"{name}: {[r.status_code for r in responses]}")
            continue
        sent = FormToken.objects.filter(token=token).first()
        if sent is None:
            continue  # both were refused (the form's own errors): nothing ran twice
        succeeded.append(name)
        told = [r for r in responses if _already_sent_in_swedish() in [m.message for m in _queued(r)]]
        if len(told) != 1 or told[0]["Location"] != sent.outcome_url:
            problems.append(f"{name}: not exactly one 'already sent' answer leading to {sent.outcome_url}")
    assert problems == [], "\n".join(problems)
    assert len(succeeded) > 40, f"only these POSTs succeeded: {succeeded}"


def _queued(response) -> list:
    return list(getattr(response.wsgi_request._messages, "_queued_messages", []))


def _already_sent_in_swedish() -> str:
    with translation.override("sv"):
        return gettext(ALREADY_SENT)
