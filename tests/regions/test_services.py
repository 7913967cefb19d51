import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.choices import Role
from core.concurrency import StaleEditError
from regions import services
from regions.choices import BodyType, StrategyStageKind
from regions.models import RegionalStrategy, RegionFollow, ResponsibilityPeriod, StrategyPriority
from regions.tasks import strategy_stages_refresh_task
from tests.factories.accounts import UserFactory
from tests.factories.regions import (
    RegionalStrategyFactory,
    RegionFollowFactory,
    StrategyPriorityFactory,
    StrategyStageFactory,
)

pytestmark = pytest.mark.django_db


def _period(region, **fields):
    return ResponsibilityPeriod(
        region=region, body_type=BodyType.COUNTY_BOARD, body_name="Länsstyrelsen i Kalmar län", **fields
    )


def test_responsibility_period_save_overlapping_period_is_refused_and_nothing_saved(region_a):
    # region_a: Region Kalmar län from 2019 onwards.
    with pytest.raises(ValidationError) as raised:
        services.responsibility_period_save(region=region_a, period=_period(region_a, valid_from=2015, valid_to=2019))
    assert "överlappar Region Kalmar län (2019–i dag)" in " ".join(raised.value.messages)
    assert region_a.responsibility_periods.count() == 1


def test_responsibility_period_save_open_start_overlapping_open_end_is_refused(region_a):
    with pytest.raises(ValidationError):
        services.responsibility_period_save(region=region_a, period=_period(region_a, valid_from=None, valid_to=None))
    assert region_a.responsibility_periods.count() == 1


def test_responsibility_period_save_period_before_the_next_one_is_saved(region_a):
    services.responsibility_period_save(region=region_a, period=_period(region_a, valid_from=None, valid_to=2018))
    assert list(region_a.responsibility_periods.values_list("valid_from", "valid_to")) == [(None, 2018), (2019, None)]


def test_responsibility_period_save_editing_a_period_does_not_clash_with_itself(region_a):
    period = region_a.responsibility_periods.get()
    period.valid_from = 2017
    services.responsibility_period_save(region=region_a, period=period)
    assert region_a.responsibility_periods.get().valid_from == 2017


def test_strategy_update_second_of_two_concurrent_edits_is_refused(region_a):
    strategy = RegionalStrategyFactory(region=region_a, title="RUS 2014–2020")
    alice, bob = RegionalStrategy.objects.get(pk=strategy.pk), RegionalStrategy.objects.get(pk=strategy.pk)
    services.strategy_update(strategy=alice, data={"title": "Alice's RUS"}, expected_version=1)
    with pytest.raises(StaleEditError):
        services.strategy_update(strategy=bob, data={"title": "Bob's RUS"}, expected_version=1)
    strategy.refresh_from_db()
    assert (strategy.title, strategy.version) == ("Alice's RUS", 2)


def test_strategy_create_end_before_start_is_refused(region_a):
    with pytest.raises(ValidationError) as raised:
        services.strategy_create(region=region_a, data={"title": "RUS", "start_year": 2020, "end_year": 2014})
    assert "Strategin kan inte sluta innan den börjar." in raised.value.messages
    assert not RegionalStrategy.objects.exists()


def test_priority_save_number_taken_is_refused_with_a_message_on_the_number(region_a):
    priority = StrategyPriorityFactory(strategy__region=region_a, number=1)
    duplicate = StrategyPriority(strategy=priority.strategy, number=1, title="Ännu en etta")
    with pytest.raises(ValidationError) as raised:
        services.priority_save(priority=duplicate)
    assert "Prioritering nummer 1 används redan" in raised.value.message_dict["number"][0]
    assert priority.strategy.priorities.count() == 1


@pytest.fixture
def follower(region_a):
    user = UserFactory(role=Role.AGENCY, email="foljare@tillvaxtverket.test")
    RegionFollowFactory(user=user, region=region_a)
    return user


def test_strategy_stage_set_started_stage_mails_the_followers_once(
    region_a, follower, agency_user, django_capture_on_commit_callbacks
):
    strategy = RegionalStrategyFactory(region=region_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.strategy_stage_set(
            strategy=strategy,
            stage=StrategyStageKind.CONSULTATION,
            starts_on=datetime.date(2015, 3, 1),
            ends_on=datetime.date(2015, 5, 31),
            note="Myndigheterna är remissinstanser.",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [follower.email]  # agency_user does not follow Kalmar
    assert message.subject == "Kalmar län: processen för strategin har gått in i skedet remiss"
    assert "Från 1 mars 2015 till 31 maj 2015" in message.body
    assert "Myndigheterna är remissinstanser." in message.body
    strategy.refresh_from_db()
    assert strategy.current_stage == StrategyStageKind.CONSULTATION

    with django_capture_on_commit_callbacks(execute=True):
        services.strategy_stage_set(
            strategy=strategy, stage=StrategyStageKind.CONSULTATION, starts_on=datetime.date(2015, 3, 2)
        )
    assert len(mail.outbox) == 1  # the same stage again is no news


def test_strategy_stage_set_planned_stage_mails_nobody_until_the_daily_task_finds_it_begun(
    region_a, follower, django_capture_on_commit_callbacks
):
    strategy = RegionalStrategyFactory(region=region_a)
    StrategyStageFactory(strategy=strategy, stage=StrategyStageKind.ANALYSIS, starts_on=datetime.date(2015, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.strategy_stage_refresh(strategy=strategy)
        planned = services.strategy_stage_set(
            strategy=strategy, stage=StrategyStageKind.DRAFTING, starts_on=datetime.date(2099, 1, 1)
        )
    assert [m.subject for m in mail.outbox] == ["Kalmar län: processen för strategin har gått in i skedet analys"]

    # The planned day comes: the daily task moves the strategy on and tells the followers.
    planned.starts_on = datetime.date(2016, 1, 1)
    planned.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert strategy_stages_refresh_task() == 1
        assert strategy_stages_refresh_task() == 0
    assert mail.outbox[-1].subject.endswith("skedet framtagande")
    assert len(mail.outbox) == 2


def test_region_follow_twice_keeps_one_follow_and_unfollow_removes_it(region_a, agency_user):
    services.region_follow(user=agency_user, region=region_a)
    services.region_follow(user=agency_user, region=region_a)
    assert RegionFollow.objects.filter(user=agency_user).count() == 1
    services.region_unfollow(user=agency_user, region=region_a)
    assert not RegionFollow.objects.exists()
