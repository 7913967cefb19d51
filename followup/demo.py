"""Demo data for the 1:1 follow-up: appropriations 2015–2020 with frames, use, co-financing and results
for all 21 counties.

The appropriation totals for 2018 and 2019 are ESV's budget figures for 1:1 (data/appropriation_1_1.csv,
source named per row); every other figure is invented and marked `is_demo`, which the pages show as
"Demodata". Use is tied to RUS priorities where the county has a strategy covering the year.
Running `load()` again changes nothing (update_or_create on natural keys; figures from a seeded
random generator).
"""

import csv
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from regions.models import Region, StrategyPriority

from .choices import CoFinancingSource, Instrument
from .importing import INSTRUMENT_NAMES
from .models import Allocation, Appropriation, CoFinancing, Expenditure, ResultIndicator

DATA_CSV = Path(__file__).resolve().parent / "data" / "appropriation_1_1.csv"
YEARS = range(2015, 2021)
MNKR = 1_000_000

# Invented totals (mnkr) for the years without a sourced 1:1 figure.
DEMO_TOTALS = {2015: 1650, 2016: 1700, 2017: 1750, 2020: 1800}
# Invented frames (mnkr) in 2015: the sparsely populated north gets the most, as in the real distribution.
FRAMES_2015 = {
    "01": 8, "03": 10, "04": 14, "05": 18, "06": 20, "07": 28, "08": 45, "09": 32, "10": 30, "12": 30, "13": 12,
    "14": 75, "17": 95, "18": 28, "19": 16, "20": 90, "21": 95, "22": 125, "23": 150, "24": 215, "25": 235,
}  # fmt: skip
YEAR_FACTOR = {2015: 1.0, 2016: 1.03, 2017: 1.05, 2018: 1.08, 2019: 0.95, 2020: 1.0}
# Share of the use per instrument (projects are split over up to three lines).
INSTRUMENT_SHARES = [
    (Instrument.PROJECTS, 0.50),
    (Instrument.BUSINESS_SUPPORT, 0.28),
    (Instrument.COMMERCIAL_SERVICE, 0.05),
    (Instrument.EU_COFINANCING, 0.12),
    (Instrument.OTHER, 0.05),
]
COFINANCING_SHARES = {
    CoFinancingSource.EU_STRUCTURAL_FUNDS: (0.20, 0.60),
    CoFinancingSource.REGION: (0.10, 0.30),
    CoFinancingSource.MUNICIPALITIES: (0.05, 0.20),
    CoFinancingSource.OTHER_STATE: (0.02, 0.10),
    CoFinancingSource.PRIVATE: (0.05, 0.25),
}
INDICATORS = [
    ("Företag som fått stöd", "företag", 120),
    ("Nya arbetstillfällen i stödda företag", "arbetstillfällen", 300),
]


def _kronor(value: float) -> Decimal:
    """Rounded to the nearest thousand kronor, as figures are usually reported."""
    return Decimal(round(value / 1000) * 1000)


def _sourced_totals() -> dict[int, tuple[Decimal, str]]:
    with DATA_CSV.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["measure"] == "1_1_budget_SB_plus_AB"]
    return {int(row["year"]): (Decimal(row["amount_mnkr"]) * MNKR, f"{row['basis']}, {row['source']}") for row in rows}


def _upsert(model, rows: list[dict], *, keys: tuple[str, ...]) -> None:
    """Create the rows that are missing and update the others, matched on `keys` (a few queries in all)."""
    fields = [name for name in rows[0] if name not in keys]
    lookup = {f"{key}__in": {row[key] for row in rows} for key in keys[:1]}
    existing = {tuple(getattr(obj, key) for key in keys): obj for obj in model.objects.filter(**lookup)}
    new, changed = [], []
    for row in rows:
        obj = existing.get(tuple(row[key] for key in keys))
        if obj is None:
            new.append(model(**row))
        else:
            for name in fields:
                setattr(obj, name, row[name])
            changed.append(obj)
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, fields, batch_size=500)


def _priorities_in_force(year: int, by_region: dict[int, list[StrategyPriority]]) -> dict[int, list[int]]:
    return {
        region_id: [p.pk for p in priorities if p.strategy.start_year <= year <= p.strategy.end_year]
        for region_id, priorities in by_region.items()
    }


@transaction.atomic
def load() -> None:
    sourced = _sourced_totals()
    regions = list(Region.objects.all())
    all_priorities: dict[int, list[StrategyPriority]] = {}
    for priority in StrategyPriority.objects.select_related("strategy").order_by("strategy__start_year", "number"):
        all_priorities.setdefault(priority.strategy.region_id, []).append(priority)

    for year in YEARS:
        if year in sourced:
            total, source = sourced[year]
            defaults = {"total_amount": total, "source": source, "is_demo": False}
        else:
            defaults = {"total_amount": Decimal(DEMO_TOTALS[year] * MNKR), "source": "", "is_demo": True}
        appropriation, _ = Appropriation.objects.update_or_create(year=year, defaults=defaults)
        _upsert(
            Allocation,
            [_allocation_row(appropriation, region) for region in regions],
            keys=("appropriation_id", "region_id"),
        )
        allocations = {a.region_id: a for a in appropriation.allocations.all()}
        priorities = _priorities_in_force(year, all_priorities)
        lines, cofinancing, results = [], [], []
        for region in regions:
            rows = _figures(allocations[region.pk], region, year, priorities.get(region.pk, []))
            lines += rows[0]
            cofinancing += rows[1]
            results += rows[2]
        _upsert(Expenditure, lines, keys=("allocation_id", "instrument", "description"))
        _upsert(CoFinancing, cofinancing, keys=("allocation_id", "source"))
        _upsert(ResultIndicator, results, keys=("allocation_id", "name"))


def _allocation_row(appropriation: Appropriation, region: Region) -> dict:
    year = appropriation.year
    rng = random.Random(f"{region.code}-{year}-conditions")  # noqa: S311 - demo figures, not security
    return {
        "appropriation_id": appropriation.pk,
        "region_id": region.pk,
        "frame_amount": _frame(region, year),
        "conditions_decided_on": date(year, 1, 15 + rng.randint(0, 10)),
        "conditions": (
            f"Villkorsbeslut för {year} (demodata): medlen får användas till projektverksamhet, regionala "
            "företagsstöd, kommersiell service och medfinansiering av EU-program i enlighet med den "
            "regionala utvecklingsstrategin."
        ),
        "reporting_requirements": (
            f"Redovisa användning, medfinansiering och resultat per prioritering senast 1 mars {year + 1}."
        ),
        "is_demo": True,
    }


def _frame(region: Region, year: int) -> Decimal:
    return _kronor(FRAMES_2015.get(region.code, 20) * MNKR * YEAR_FACTOR[year])


def _figures(allocation: Allocation, region: Region, year: int, priorities: list[int]):
    """Lines of use, co-financing and results of one county and year, as rows for `_upsert`."""
    rng = random.Random(f"{region.code}-{year}")  # noqa: S311 - demo figures, not security
    frame = allocation.frame_amount
    used = float(frame) * rng.uniform(0.75, 0.9)
    lines = []
    for instrument, share in INSTRUMENT_SHARES:
        if instrument == Instrument.BUSINESS_SUPPORT and region.code == "01":
            continue  # Stockholm gives no regional business support
        parts = 3 if instrument == Instrument.PROJECTS else 1
        linked = bool(priorities) and instrument in (Instrument.PROJECTS, Instrument.EU_COFINANCING)
        for part in range(parts):
            lines.append(
                {
                    "allocation_id": allocation.pk,
                    "instrument": instrument,
                    "description": f"Demo: {INSTRUMENT_NAMES[instrument]} {part + 1}",
                    "amount": _kronor(used * share / parts * rng.uniform(0.85, 1.1)),
                    "priority_id": priorities[(part + year) % len(priorities)] if linked else None,
                }
            )
    cofinancing = [
        {"allocation_id": allocation.pk, "source": source, "amount": _kronor(used * rng.uniform(low, high))}
        for source, (low, high) in COFINANCING_SHARES.items()
    ]
    results = []
    for index, (name, unit, base) in enumerate(INDICATORS):
        baseline = round(base * float(frame) / (100 * MNKR))
        target = round(baseline * 1.2) + 1
        results.append(
            {
                "allocation_id": allocation.pk,
                "name": name,
                "unit": unit,
                "priority_id": priorities[index % len(priorities)] if priorities else None,
                "baseline": Decimal(baseline),
                "target": Decimal(target),
                "outcome": Decimal(round(target * rng.uniform(0.7, 1.15))),
            }
        )
    return lines, cofinancing, results
