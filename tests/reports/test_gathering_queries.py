"""A report's content is gathered in a fixed number of queries, however many years of rounds lie
behind it and however many observations its dialogues hold (issue 20: 50 years of history)."""

import pytest
from django.utils import timezone

from dialogues.choices import DialogueStatus, ObservationCategory, RoundStatus
from dialogues.models import SubmissionVersion
from reports.models import FeedbackReport
from reports.rendering import report_html
from tests.factories.dialogues import (
    DialogueFactory,
    DialogueRoundFactory,
    FeedbackReportFactory,
    FollowUpActionFactory,
    ObservationFactory,
    SubmissionFactory,
)
from tests.factories.followup import AllocationFactory, AppropriationFactory, ExpenditureFactory
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory
from tests.factories.reports import CoveringLetterFactory, LetterTemplateFactory

pytestmark = pytest.mark.django_db

YEAR = 2024


def _rounds(regions, priority, *, years: int, observations: int):
    """`years` closed rounds up to YEAR, each with a held dialogue per county holding a submitted
    version, `observations` shared observations (and one not shared), a follow-up action carried
    over from the year before, a covering letter and the 1:1 figures. Returns the latest round."""
    carried = {}
    for year in range(YEAR - years + 1, YEAR + 1):
        dialogue_round = DialogueRoundFactory(year=year, status=RoundStatus.CLOSED)
        LetterTemplateFactory(round=dialogue_round)
        appropriation = AppropriationFactory(year=year)
        for region in regions:
            dialogue = DialogueFactory(round=dialogue_round, region=region, status=DialogueStatus.HELD)
            submission = SubmissionFactory(dialogue=dialogue, submitted_at=timezone.now())
            SubmissionVersion.objects.create(
                submission=submission,
                number=1,
                data={
                    "resource_use": f"Resursanvändning {year}",
                    "priorities": [
                        {"rank": 1, "strategy_priority_id": priority.pk, "strategy_priority": "", "rationale": "RUS"}
                    ],
                    "results": [{"indicator": f"Indikator {year}", "baseline": "1", "target": "2", "outcome": "3"}],
                },
            )
            for n in range(observations):
                ObservationFactory(
                    dialogue=dialogue,
                    category=ObservationCategory.values[n % len(ObservationCategory.values)],
                    title=f"Iakttagelse {year} {region.code} nr {n}",
                    is_good_example=n == 0,
                )
            ObservationFactory(dialogue=dialogue, title=f"Ej delad {year}", shared_with_region=False)
            carried[region.pk] = FollowUpActionFactory(
                dialogue=dialogue, what=f"Åtgärd {year} {region.code}", carried_from=carried.get(region.pk)
            )
            CoveringLetterFactory(round=dialogue_round, region=region, registration_number=f"N{year}/{region.code}")
            allocation = AllocationFactory(appropriation=appropriation, region=region, frame_amount=10_000_000)
            ExpenditureFactory(allocation=allocation, amount=1_000_000 * (year - 2000))
    return dialogue_round


def _report(dialogue_round, region):
    created = FeedbackReportFactory(round=dialogue_round, region=region)
    # as the worker's claim reads it
    return FeedbackReport.objects.select_related("round", "region").get(pk=created.pk)


@pytest.fixture
def kalmar_priority(region_a):
    strategy = RegionalStrategyFactory(region=region_a, start_year=2000, end_year=2030)
    return StrategyPriorityFactory(strategy=strategy, number=1, title="Hållbar tillväxt")


@pytest.mark.parametrize(("years", "observations"), ((1, 2), (4, 7)))
def test_county_report_queries_do_not_grow_with_years_or_observations(
    region_a, region_b, kalmar_priority, django_assert_num_queries, years, observations
):
    dialogue_round = _rounds([region_a, region_b], kalmar_priority, years=years, observations=observations)
    report = _report(dialogue_round, region_a)

    # the dialogue with its submission; its shared observations; its actions with where they were
    # carried from; the submission's latest version; the RUS priorities; the 1:1 figures; the
    # letter template; the addressee; the covering letter
    with django_assert_num_queries(9):
        html = report_html(report)

    assert html.count(f"Iakttagelse {YEAR} 08 nr") == observations + 1  # and once among the good examples
    assert f"Iakttagelse {YEAR - 1}" not in html and f"Iakttagelse {YEAR} 07" not in html
    assert "Ej delad" not in html
    assert f"Resursanvändning {YEAR}" in html and "Hållbar tillväxt" in html
    assert f"N{YEAR}/08" in html
    if years > 1:
        assert f"Överförd från {YEAR - 1}" in html


@pytest.mark.parametrize(("years", "observations"), ((1, 2), (4, 7)))
def test_summary_queries_do_not_grow_with_years_or_observations(
    region_a, region_b, kalmar_priority, django_assert_num_queries, years, observations
):
    dialogue_round = _rounds([region_a, region_b], kalmar_priority, years=years, observations=observations)
    report = _report(dialogue_round, None)

    # the shared observations with their counties; the dialogues; the actions counted; the letter
    # template; the covering letter
    with django_assert_num_queries(5):
        html = report_html(report)

    assert html.count(f"Iakttagelse {YEAR} 08 nr 0") == 1  # the good example, named once
    assert f"Iakttagelse {YEAR - 1}" not in html and "Ej delad" not in html
