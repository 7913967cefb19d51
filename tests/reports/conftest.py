import pytest

from dialogues.choices import RoundStatus
from tests.factories.dialogues import (
    DialogueFactory,
    DialogueRoundFactory,
    FollowUpActionFactory,
    ObservationFactory,
    SubmissionFactory,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Generated PDFs go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def closed_round(region_a, region_b):
    """A closed round with Kalmar's and Kronoberg's annual dialogues and some of their content."""
    dialogue_round = DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED, take_forward="Mer om resultat.")
    kalmar = DialogueFactory(round=dialogue_round, region=region_a)
    kronoberg = DialogueFactory(round=dialogue_round, region=region_b)
    SubmissionFactory(dialogue=kalmar, resource_use="Kalmars resursanvändning")
    ObservationFactory(dialogue=kalmar, title="Tydlig målstruktur i Kalmar", is_good_example=True)
    ObservationFactory(dialogue=kalmar, title="Ej delad iakttagelse", shared_with_region=False)
    ObservationFactory(dialogue=kronoberg, title="Kronobergs lärande")
    FollowUpActionFactory(dialogue=kalmar, what="Ta fram en indikatorplan")
    return dialogue_round
