"""Fixtures of the fault tests; none of them is used automatically."""

import pytest

from dialogues.choices import RoundStatus
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, ObservationFactory

from .worker import RedisServer, time_limit

FAULT_TEST_SECONDS = 90


@pytest.fixture
def fault_time_limit():
    """Fails the test if it runs longer than FAULT_TEST_SECONDS, whatever it is waiting for."""
    with time_limit(FAULT_TEST_SECONDS, "the fault test"):
        yield


@pytest.fixture
def media_root(settings, tmp_path):
    """Generated files go to a folder of the test's own, shared with its worker processes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own (loopback, free port), which the test may stop and start."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def report_round(region_a, region_b):
    """An open round with Kalmar's and Kronoberg's annual dialogues and an observation each."""
    dialogue_round = DialogueRoundFactory(year=2015, status=RoundStatus.OPEN)
    ObservationFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_a), title="Kalmars iakttagelse")
    ObservationFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_b), title="Kronobergs iakttagelse")
    return dialogue_round
