import pytest
from django.urls import reverse

from tests.helpers import broker_unreachable

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "broker": True}}


def test_healthz_is_503_when_the_broker_is_unreachable(client):
    with broker_unreachable():
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


def test_livez_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("livez"))
    assert response.content == b"ok"
