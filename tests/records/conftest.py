import pytest

from accounts.choices import Role
from regions.choices import OrganisationKind
from tests.factories.accounts import UserFactory
from tests.factories.regions import OrganisationFactory


@pytest.fixture
def registrar(db):
    return UserFactory(role=Role.MINISTRY, full_name="Rut Registrator", is_registrar=True)


@pytest.fixture
def ministry(db):
    """The ministry in the directory: its short name is the series prefix."""
    return OrganisationFactory(name="Näringsdepartementet", short_name="N", kind=OrganisationKind.MINISTRY)


@pytest.fixture
def kalmar_body(region_a):
    """The organisation of the body that holds Kalmar's development responsibility from 2019."""
    return OrganisationFactory(name="Region Kalmar län", kind=OrganisationKind.REGIONAL_BODY, region=region_a)


@pytest.fixture(autouse=True)
def _in_english(settings):
    """The records' texts are asserted in English (their Swedish comes with the lead's catalogue)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
