"""The read-only API: tokens, visibility (a county's token sees what the county sees), pages,
throttling and the open data."""

import csv
import datetime
import io
import secrets

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from api.models import ApiToken
from api.services import hash_secret, token_create, token_revoke
from followup.choices import Instrument
from reports.models import FeedbackReport
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory, CoFinancingFactory, ExpenditureFactory
from tests.factories.regions import RegionFactory
from tests.security.urlwalk import SECRETS, YEAR, build_world

pytestmark = pytest.mark.django_db

REPORTS = reverse("api:report_list")
FRAMES = reverse("api:frame_list")


def _report(region, year, state, **kwargs):
    return FeedbackReportFactory(
        round=DialogueRoundFactory(year=year),
        region=region,
        status="done",
        review_state=state,
        is_current=True,
        file=ContentFile(b"%PDF-1.7 rapport", name="rapport.pdf"),
        **kwargs,
    )


# --- Tokens ---------------------------------------------------------------------------------


def test_api_without_token_answers_401_in_json_not_a_log_in_page(client):
    response = client.get(REPORTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


def test_api_with_session_but_no_token_answers_401(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(REPORTS).status_code == 401


@pytest.mark.parametrize("header", ["Bearer fel-hemlighet", "Bearer", "Bearer a b", "Token x", "Bearer \u00e5\u00e4"])
def test_api_with_unknown_or_malformed_token_answers_401(client, ministry_user, header):
    token_create(user=ministry_user, name="Riktig")
    response = client.get(REPORTS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_api_revoked_token_answers_401_and_a_fresh_one_200(client, ministry_user):
    token, secret = token_create(user=ministry_user, name="Region X:s BI-system")
    assert client.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token_revoke(token=token)
    assert client.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_api_token_of_inactive_account_answers_401(client, ministry_user, bearer):
    headers = bearer(ministry_user)
    ministry_user.is_active = False
    ministry_user.save()
    assert client.get(REPORTS, **headers).status_code == 401


def test_token_stores_only_the_hash_and_notes_its_use_once_a_minute(client, ministry_user):
    token, secret = token_create(user=ministry_user, name="Statistik")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_secret(secret) and secret not in str(stored.__dict__.values())
    assert stored.last_used_at is None
    client.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_administrator_creates_a_token_in_the_admin_sees_its_secret_once_and_revokes_it(
    client, admin_user, region_user
):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"user": region_user.pk, "name": "Region Kalmar län: statistik"}, follow=True
    )
    token = ApiToken.objects.get(name="Region Kalmar län: statistik")
    shown = [str(m) for m in response.context["messages"]]
    secret = next(m for m in shown if token.key_hash not in m).rsplit(" ", 1)[-1]
    assert hash_secret(secret) == token.key_hash and token.created_by == admin_user
    api = client.__class__()
    assert api.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_api_takes_no_writes(client, ministry_user, bearer):
    response = client.post(REPORTS, {}, content_type="application/json", **bearer(ministry_user))
    assert response.status_code == 405


# --- Visibility: the pages' rules -------------------------------------------------------------


def test_county_token_sees_its_published_reports_never_another_countys_or_an_unpublished_one(
    client, region_a, region_b, bearer
):
    own_published = _report(region_a, 2031, "published")
    own_in_review = _report(region_a, 2032, "in_review")
    other_published = _report(region_b, 2031, "published")
    summary = _report(None, 2031, "published")
    headers = bearer(UserFactory(role=Role.REGION, region=region_a))

    listed = {row["id"] for row in client.get(REPORTS, **headers).json()["results"]}
    assert listed == {own_published.pk, summary.pk}
    for hidden in (own_in_review, other_published):
        assert client.get(reverse("api:report_detail", args=[hidden.pk]), **headers).status_code == 404
        assert client.get(reverse("api:report_pdf", args=[hidden.pk]), **headers).status_code == 404
    pdf = client.get(reverse("api:report_pdf", args=[own_published.pk]), **headers)
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_ministry_token_sees_every_report_with_its_review_state(client, region_a, region_b, ministry_user, bearer):
    in_review = _report(region_a, 2032, "in_review")
    _report(region_b, 2031, "published")
    rows = client.get(REPORTS, {"county": region_a.code}, **bearer(ministry_user)).json()["results"]
    assert [(row["id"], row["review_state"], row["county"]) for row in rows] == [
        (in_review.pk, "in_review", region_a.code)
    ]


def test_county_token_sees_only_its_own_figures(client, region_a, region_b, bearer):
    for region, amount in ((region_a, 100), (region_b, 999)):
        allocation = AllocationFactory(appropriation=AppropriationFactory(year=2031), region=region)
        ExpenditureFactory(allocation=allocation, amount=amount, instrument=Instrument.BUSINESS_SUPPORT)
        CoFinancingFactory(allocation=allocation, amount=amount)
    headers = bearer(UserFactory(role=Role.REGION, region=region_a))
    for name in ("frame_list", "use_list", "cofinancing_list"):
        rows = client.get(reverse(f"api:{name}"), **headers).json()["results"]
        assert {row["county"] for row in rows} == {region_a.code}, name
        asked = client.get(reverse(f"api:{name}"), {"county": region_b.code}, **headers).json()
        assert asked["count"] == 0, name


def test_frames_show_the_headline_figures_in_whole_kronor(client, region_a, agency_user, bearer):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2031), region=region_a, frame_amount=4_000)
    ExpenditureFactory(allocation=allocation, amount=1_000)
    CoFinancingFactory(allocation=allocation, amount=500)
    [row] = client.get(FRAMES, {"year": 2031}, **bearer(agency_user)).json()["results"]
    assert row == {
        "county": "08",
        "county_name": "Kalmar län",
        "year": 2031,
        "frame": 4000,
        "used": 1000,
        "cofinancing": 500,
        "utilisation_percent": 25.0,
        "leverage": 1.5,
        "alignment_percent": 0.0,
        "conditions_decided_on": None,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "tjugo"}, "year"),
        ({"year": "99999"}, "year"),
        ({"year": "²⁰²⁰"}, "year"),
        ({"instrument": "guld"}, "instrument"),
    ],
)
def test_bad_filter_is_a_400_that_says_which(client, ministry_user, bearer, params, field):
    response = client.get(reverse("api:use_list"), params, **bearer(ministry_user))
    assert response.status_code == 400
    assert response.json()["parameter"] == field


def test_rounds_show_a_countys_own_dialogues_in_the_calendar(client, region_a, region_b, bearer):
    dialogue_round = DialogueRoundFactory(year=2031)
    start = timezone.now()
    own = DialogueFactory(round=dialogue_round, region=region_a, start=start, end=start)
    DialogueFactory(round=dialogue_round, region=region_b, start=start, end=start)
    DialogueRoundFactory(year=2032, status="planning")
    rows = client.get(reverse("api:round_list"), **bearer(UserFactory(role=Role.REGION, region=region_a))).json()
    assert [r["year"] for r in rows["results"]] == [2031]
    assert [d["id"] for d in rows["results"][0]["calendar"]] == [own.pk]


def test_region_profile_has_its_responsibility_history(client, region_a, other_region_user, bearer):
    body = client.get(reverse("api:region_detail", args=[region_a.slug]), **bearer(other_region_user)).json()
    assert body["name"] == "Kalmar län"
    assert [p["body_name"] for p in body["responsibility_history"]] == ["Region Kalmar län"]
    missing = client.get(reverse("api:region_detail", args=["finns-inte"]), **bearer(other_region_user))
    assert missing.status_code == 404


# --- Pages and queries --------------------------------------------------------------------------


def test_every_list_is_paged_with_a_bounded_page_size(client, ministry_user, bearer):
    for n in range(3):
        RegionFactory(code=f"9{n}")
    headers = bearer(ministry_user)
    page = client.get(reverse("api:region_list"), {"page_size": 2}, **headers).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    page = client.get(reverse("api:region_list"), {"page_size": 100000}, **headers).json()
    assert len(page["results"]) == 3
    assert client.get(reverse("api:region_list"), {"page": 99}, **headers).status_code == 404


@pytest.mark.parametrize("n", (1, 3))
def test_list_queries_do_not_grow_with_the_rows(client, ministry_user, bearer, django_assert_num_queries, n):
    for i in range(n):
        region = RegionFactory(code=f"9{i}")
        dialogue_round = DialogueRoundFactory(year=2040 + i)
        DialogueFactory(round=dialogue_round, region=region, start=timezone.now())
        allocation = AllocationFactory(appropriation=AppropriationFactory(year=2040 + i), region=region)
        ExpenditureFactory(allocation=allocation)
        CoFinancingFactory(allocation=allocation)
        _report(region, 2040 + i, "published")
    headers = bearer(ministry_user)
    client.get(REPORTS, **headers)  # the token's first use is noted once
    # token + count + rows (+ the rounds' calendars)
    for name, queries in (
        ("region_list", 3),
        ("round_list", 4),
        ("report_list", 3),
        ("frame_list", 3),
        ("use_list", 3),
        ("cofinancing_list", 3),
    ):
        with django_assert_num_queries(queries):
            assert client.get(reverse(f"api:{name}"), **headers).json()["count"] == n


# --- Throttling -----------------------------------------------------------------------------------


def _fresh_address() -> str:
    """A documentation address (RFC 3849) no earlier run has counted in the shared Redis cache."""
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def test_a_token_over_its_rate_gets_429_with_retry_after(client, ministry_user, bearer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "open": "3/minute"},
    }
    headers, other = bearer(ministry_user), bearer(ministry_user)
    assert [client.get(REPORTS, **headers).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(REPORTS, **headers)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "detail" in refused.json()
    assert client.get(REPORTS, **other).status_code == 200  # per token


def test_open_data_over_its_rate_per_address_gets_429(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "open": "2/minute"},
    }
    path = reverse("api:open_figures_json")
    address = {"REMOTE_ADDR": _fresh_address()}
    codes = [client.get(path, **address).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_an_address_trying_wrong_tokens_is_refused_any_token_until_the_window_passes(
    client, ministry_user, bearer, settings, django_assert_num_queries
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "failed_token": "3/minute"},
    }
    guesser, elsewhere = {"REMOTE_ADDR": _fresh_address()}, {"REMOTE_ADDR": _fresh_address()}
    wrong = [client.get(REPORTS, HTTP_AUTHORIZATION=f"Bearer gissning-{n}", **guesser) for n in range(3)]
    assert [response.status_code for response in wrong] == [401, 401, 401]
    with django_assert_num_queries(0):  # refused before the database looks the token up
        refused = client.get(REPORTS, HTTP_AUTHORIZATION="Bearer gissning-4", **guesser)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert client.get(REPORTS, **bearer(ministry_user), **guesser).status_code == 429  # even the right one
    assert client.get(REPORTS, **bearer(ministry_user), **elsewhere).status_code == 200  # per address


# --- Open data ------------------------------------------------------------------------------------


@pytest.fixture
def published_and_not(region_a, region_b):
    """Kalmar's figures for 2031, whose report is published, and Kronoberg's, whose report is not."""
    for region, state in ((region_a, "published"), (region_b, "approved")):
        allocation = AllocationFactory(
            appropriation=AppropriationFactory(year=2031), region=region, frame_amount=2_000, conditions="Villkor"
        )
        ExpenditureFactory(allocation=allocation, amount=1_000, instrument=Instrument.PROJECTS, description="=1+1")
        CoFinancingFactory(allocation=allocation, amount=1_000)
        _report(region, 2031, state)


@pytest.mark.usefixtures("published_and_not")
def test_open_data_json_has_only_published_figures_and_the_licence(client):
    response = client.get(reverse("api:open_figures_json"))
    assert response.status_code == 200
    assert "creativecommons.org/publicdomain/zero/1.0" in response["Link"]
    body = response.json()
    assert body["licence"].startswith("CC0 1.0")
    [row] = body["figures"]
    assert (row["county"], row["year"], row["frame"], row["used"], row["leverage"]) == ("08", 2031, 2000, 1000, 2.0)
    assert row["use_by_instrument"]["projects"] == 1000
    assert "Villkor" not in response.content.decode()


@pytest.mark.usefixtures("published_and_not")
def test_open_data_csv_is_the_same_figures_inert_in_a_spreadsheet(client):
    response = client.get(reverse("api:open_figures_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "creativecommons.org/publicdomain/zero/1.0" in response["Link"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["county", "county_name", "year", "frame", "used"]
    assert [row[:5] for row in rows[1:]] == [["08", "Kalmar län", "2031", "2000", "1000"]]


def test_open_data_names_an_inert_county_name(client, region_a):
    """Text in the CSV goes through the formula-safe writer (core.spreadsheets)."""
    region_a.name = "=HYPERLINK(1)"
    region_a.save()
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2031), region=region_a)
    ExpenditureFactory(allocation=allocation)
    _report(region_a, 2031, "published")
    text = client.get(reverse("api:open_figures_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


@override_settings(DEBUG=False)
def test_schema_is_served_without_a_token(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/reports/" in response.content.decode()


# --- The walkers' world ---------------------------------------------------------------------------


def test_county_b_token_gets_nothing_of_county_a_but_its_published_figures(client, region_a, region_b, bearer):
    """In the security walkers' world county A has an approved, unpublished report and figures for
    the year: B's token sees neither, and the open data shows A's figures only once the report is
    published."""
    world = build_world(region_a, region_b)
    headers = bearer(UserFactory(role=Role.REGION, region=region_b))
    for name in ("report_list", "frame_list", "use_list", "cofinancing_list"):
        body = client.get(reverse(f"api:{name}"), **headers).content.decode()
        assert region_a.code not in body and region_a.name not in body, name
        assert not any(secret in body for secret in SECRETS.values()), name
    assert client.get(reverse("api:report_pdf", args=[world["report"].pk]), **headers).status_code == 404
    assert client.get(reverse("api:open_figures_json")).json()["figures"] == []

    FeedbackReport.objects.filter(pk=world["report"].pk).update(review_state="published")
    [row] = client.get(reverse("api:open_figures_json")).json()["figures"]
    assert (row["county"], row["year"]) == (region_a.code, YEAR)
    assert SECRETS["conditions"] not in client.get(reverse("api:open_figures_csv")).content.decode("utf-8-sig")
