"""Benchmark data: appropriation 1:1 figures for every county and every year the demo leaves out."""

from decimal import Decimal

from regions.models import Region, StrategyPriority

from .choices import CoFinancingSource, Instrument
from .models import Allocation, Appropriation, CoFinancing, Expenditure, ResultIndicator

FRAME = Decimal(50_000_000)
LINE_TOTAL = Decimal(40_000_000)


def build(*, scale) -> None:
    years = scale.years
    regions = list(Region.objects.all())
    priority = {
        p.strategy.region_id: p for p in StrategyPriority.objects.filter(number=1, strategy__title__startswith="Bench")
    }
    taken = set(Appropriation.objects.values_list("year", flat=True))
    for year in range(2026 - years, 2026):
        if year in taken:
            continue
        appropriation = Appropriation.objects.create(year=year, total_amount=FRAME * len(regions), is_demo=True)
        allocations = Allocation.objects.bulk_create(
            Allocation(appropriation=appropriation, region=region, frame_amount=FRAME, is_demo=True)
            for region in regions
        )
        # Each county's year as imported lines: the amount split over `lines_per_allocation` lines,
        # the instruments taking turns (issue 20: 200 000 lines at 100×).
        lines = scale.lines_per_allocation
        instruments = [value for value, _label in Instrument.choices]
        Expenditure.objects.bulk_create(
            (
                Expenditure(allocation=a, instrument=instruments[n % len(instruments)],
                            amount=(LINE_TOTAL / lines).quantize(Decimal(1)), description=f"Rad {n + 1}",
                            priority=priority.get(a.region_id) if n % 2 == 0 else None)
                for a in allocations
                for n in range(lines)
            ),
            batch_size=5_000,
        )  # fmt: skip
        CoFinancing.objects.bulk_create(
            CoFinancing(allocation=a, source=source, amount=Decimal(3_000_000))
            for a in allocations
            for source, _label in CoFinancingSource.choices
        )
        ResultIndicator.objects.bulk_create(
            ResultIndicator(allocation=a, priority=priority.get(a.region_id), name=f"Indikator {n}", unit="st",
                            baseline=10, target=20, outcome=15)
            for a in allocations
            for n in range(3)
        )  # fmt: skip
