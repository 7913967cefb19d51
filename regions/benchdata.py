"""Benchmark data: one strategy with ten priorities per county (for submissions and spending to point at)."""

from .models import Region, RegionalStrategy, StrategyPriority

PRIORITIES = 10


def build(*, scale) -> None:
    years = scale.years
    first = 2026 - years
    for region in Region.objects.exclude(strategies__title__startswith="Bench"):
        strategy = RegionalStrategy.objects.create(
            region=region, title=f"Bench-RUS för {region.name}", start_year=first, end_year=2030
        )
        StrategyPriority.objects.bulk_create(
            StrategyPriority(strategy=strategy, number=n, title=f"Prioritering {n}") for n in range(1, PRIORITIES + 1)
        )
