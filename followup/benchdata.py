"""Benchmark data: appropriation 1:1 figures for every county and every year the demo leaves out."""

from decimal import Decimal

from regions.models import Region, StrategyPriority

from .choices import CoFinancingSource, Instrument
from .models import Allocation, Appropriation, CoFinancing, Expenditure, ResultIndicator

FRAME = Decimal(50_000_000)


def build(*, years: int) -> None:
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
        Expenditure.objects.bulk_create(
            Expenditure(allocation=a, instrument=instrument, amount=Decimal(8_000_000),
                        priority=priority.get(a.region_id) if n % 2 == 0 else None)
            for a in allocations
            for n, (instrument, _label) in enumerate(Instrument.choices)
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
