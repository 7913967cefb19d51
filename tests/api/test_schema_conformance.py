"""Every operation of the published OpenAPI schema, for each role's token: schemathesis generates
requests from the schema the portal serves (/api/v1/schema/) and checks every response against it
(status code documented, content type, body valid by the schema, never a 5xx).

Deterministic: hypothesis is derandomised, with a bounded number of examples per operation."""

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.choices import Role
from api.services import token_create
from followup.choices import Instrument
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory, CoFinancingFactory, ExpenditureFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 12


@contextlib.contextmanager
def _in_test_transaction():
    """The WSGI handler closes the database connection around each request (request_started and
    request_finished); the test's transaction must outlive it, as Django's own test client arranges."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def api_world(region_a, region_b, tmp_path, settings):
    """Something to show in every list: both counties' figures, dialogues and reports (published
    and not), a summary; and a generous rate, as the checks send many requests."""
    settings.MEDIA_ROOT = tmp_path
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "open": "100000/minute"},
    }
    dialogue_round = DialogueRoundFactory(year=2031)
    for region, state in ((region_a, "published"), (region_b, "approved")):
        DialogueFactory(round=dialogue_round, region=region, start=timezone.now(), end=timezone.now())
        allocation = AllocationFactory(appropriation=AppropriationFactory(year=2031), region=region)
        ExpenditureFactory(allocation=allocation, instrument=Instrument.EU_COFINANCING)
        CoFinancingFactory(allocation=allocation)
        FeedbackReportFactory(
            round=dialogue_round,
            region=region,
            status="done",
            review_state=state,
            is_current=True,
            file=ContentFile(b"%PDF-1.7 rapport", name="rapport.pdf"),
        )
    FeedbackReportFactory(round=dialogue_round, region=None, status="done", review_state="published")


@pytest.mark.usefixtures("api_world")
@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN])
def test_every_operation_answers_as_the_published_schema_says(user_by_role, role):
    _token, secret = token_create(user=user_by_role[role], name=f"Schemakontroll {role}")
    headers = {"Authorization": f"Bearer {secret}"}
    with _in_test_transaction():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 11  # every address of the API but the schema itself
        for operation in operations:

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE))
            def check(case):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)

            check()
