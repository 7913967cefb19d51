"""Demo data for counties: the 21 counties and their development-responsibility history.

The facts come from `data/responsibility.csv` (public sources named per row).
"""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .models import Organisation, Region, ResponsibilityPeriod

RESPONSIBILITY_CSV = Path(__file__).resolve().parent / "data" / "responsibility.csv"

NATIONAL_ORGANISATIONS = [
    ("Näringsdepartementet", "N", "ministry", "https://www.regeringen.se/"),
    ("Tillväxtverket", "TVV", "agency", "https://tillvaxtverket.se/"),
    ("Sveriges Kommuner och Landsting", "SKL", "association", "https://skr.se/"),
]


def _year(value: str) -> int | None:
    return int(value) if value.strip() else None


@transaction.atomic
def load() -> None:
    with RESPONSIBILITY_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        region, _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["county"], "iso_code": row["iso"], "slug": slugify(row["county"])},
        )
        ResponsibilityPeriod.objects.update_or_create(
            region=region,
            valid_from=_year(row["valid_from"]),
            defaults={
                "valid_to": _year(row["valid_to"]),
                "body_type": row["body_type"],
                "body_name": row["body_name"],
                "source": row["source"],
            },
        )
    for name, short_name, kind, website in NATIONAL_ORGANISATIONS:
        Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "website": website}
        )
