import pytest

from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory


@pytest.fixture
def open_round(db):
    return DialogueRoundFactory(year=2016, title="Regionala utvecklingsdialoger 2016")


@pytest.fixture
def kalmar_dialogue(open_round, region_a):
    dialogue = DialogueFactory(round=open_round, region=region_a)
    SubmissionFactory(dialogue=dialogue)
    return dialogue


@pytest.fixture
def kronoberg_dialogue(open_round, region_b):
    dialogue = DialogueFactory(round=open_round, region=region_b)
    SubmissionFactory(dialogue=dialogue)
    return dialogue


@pytest.fixture
def kalmar_priorities(region_a):
    strategy = RegionalStrategyFactory(region=region_a, title="RUS Kalmar")
    return [
        StrategyPriorityFactory(strategy=strategy, number=1, title="Attraktiva livsmiljöer"),
        StrategyPriorityFactory(strategy=strategy, number=2, title="Konkurrenskraftigt näringsliv"),
    ]


@pytest.fixture
def kronoberg_priority(region_b):
    strategy = RegionalStrategyFactory(region=region_b, title="RUS Kronoberg")
    return StrategyPriorityFactory(strategy=strategy, number=1, title="Insatslogik i Kronoberg")
