import pytest

from forum.choices import ForumKind
from regions.choices import BodyType
from tests.factories.forum import ForumFactory
from tests.factories.regions import RegionFactory, ResponsibilityPeriodFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded documents go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def politicians(db):
    return ForumFactory(kind=ForumKind.POLITICIAN, start_year=2015, end_year=2020, name="Politikerforum 2015–2020")


@pytest.fixture
def civil_servants(db):
    return ForumFactory(
        kind=ForumKind.CIVIL_SERVANT, start_year=2015, end_year=2020, name="Tjänstemannaforum 2015–2020"
    )


@pytest.fixture
def board_county(db):
    """Like Västmanland: the county board held the responsibility until 2016, a region from 2017."""
    region = RegionFactory(code="19", name="Västmanlands län", iso_code="SE-U", slug="vastmanlands-lan")
    ResponsibilityPeriodFactory(
        region=region,
        body_type=BodyType.COUNTY_BOARD,
        body_name="Länsstyrelsen i Västmanlands län",
        valid_from=None,
        valid_to=2016,
    )
    ResponsibilityPeriodFactory(region=region, body_name="Region Västmanland", valid_from=2017)
    return region


@pytest.fixture
def region_county(db):
    """Like Skåne: a region has held the responsibility since 1999."""
    region = RegionFactory(code="12", name="Skåne län", iso_code="SE-M", slug="skane-lan")
    ResponsibilityPeriodFactory(region=region, body_name="Region Skåne", valid_from=1999)
    return region
