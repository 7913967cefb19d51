"""The RUS process is a history: recording a stage again adds to it and never replaces it."""

import datetime

import pytest
from django.urls import reverse

from regions import services
from regions.choices import StrategyStageKind
from regions.models import StrategyStage
from tests.factories.regions import RegionalStrategyFactory

pytestmark = pytest.mark.django_db


def test_recording_analysis_again_keeps_the_earlier_analysis_in_the_history(region_a):
    strategy = RegionalStrategyFactory(region=region_a)
    first = services.strategy_stage_set(
        strategy=strategy, stage=StrategyStageKind.ANALYSIS, starts_on=datetime.date(2018, 9, 1), note="Första"
    )
    second = services.strategy_stage_set(
        strategy=strategy, stage=StrategyStageKind.ANALYSIS, starts_on=datetime.date(2019, 2, 1), note="Andra"
    )
    stages = list(StrategyStage.objects.filter(strategy=strategy).values_list("pk", "stage", "note"))
    assert stages == [(first.pk, "analysis", "Första"), (second.pk, "analysis", "Andra")]
    assert strategy.stage_in_force() == second


def test_implementation_and_follow_up_are_stages_and_the_latest_begun_is_in_force(region_a):
    strategy = RegionalStrategyFactory(region=region_a)
    for stage, starts_on in [
        (StrategyStageKind.ADOPTION, datetime.date(2020, 11, 17)),
        (StrategyStageKind.IMPLEMENTATION, datetime.date(2021, 1, 1)),
        (StrategyStageKind.FOLLOW_UP, datetime.date(2024, 1, 1)),
        (StrategyStageKind.ANALYSIS, datetime.date(2099, 1, 1)),  # the next strategy, planned
    ]:
        services.strategy_stage_set(strategy=strategy, stage=stage, starts_on=starts_on)
    strategy.refresh_from_db()
    assert strategy.current_stage == StrategyStageKind.FOLLOW_UP
    assert strategy.get_current_stage_display() == "Uppföljning och utvärdering"


def test_the_county_page_lists_both_records_of_a_stage_and_marks_only_the_one_in_force(client, ministry_user, region_a):
    strategy = RegionalStrategyFactory(region=region_a)
    for starts_on in (datetime.date(2018, 9, 1), datetime.date(2019, 2, 1)):
        services.strategy_stage_set(strategy=strategy, stage=StrategyStageKind.ANALYSIS, starts_on=starts_on)
    client.force_login(ministry_user)
    html = client.get(reverse("regions:region_detail", args=[region_a.slug])).content.decode()
    assert "1 sep 2018" in html and "1 feb 2019" in html
    assert html.count(">nuvarande<") == 1
