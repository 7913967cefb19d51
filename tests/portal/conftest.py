import pytest

from forum.choices import ForumKind
from tests.factories.forum import ForumFactory


@pytest.fixture
def civil_servants(db):
    return ForumFactory(
        kind=ForumKind.CIVIL_SERVANT, start_year=2015, end_year=2020, name="Tjänstemannaforum 2015–2020"
    )
