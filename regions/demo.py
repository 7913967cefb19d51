"""Demo data for counties: the 21 counties and their development-responsibility history, the
organisations with their remits, a few contacts, demo strategies for Kalmar and Kronoberg, and the
six good examples from the first seed (the civil servants' forum of 12 May 2015).

The counties' facts come from `data/responsibility.csv` (public sources named per row). The
strategies' priorities, the stages, the remit texts and the contacts are demo wording, invented
for demonstration and marked as such.
"""

import csv
import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .choices import StrategyStageKind
from .models import (
    Contact,
    GoodExample,
    Organisation,
    Region,
    RegionalStrategy,
    ResponsibilityPeriod,
    StrategyPriority,
    StrategyStage,
    Topic,
)

RESPONSIBILITY_CSV = Path(__file__).resolve().parent / "data" / "responsibility.csv"

NATIONAL_ORGANISATIONS = [
    ("Näringsdepartementet", "N", "ministry", "https://www.regeringen.se/"),
    ("Tillväxtverket", "TVV", "agency", "https://tillvaxtverket.se/"),
    ("Sveriges Kommuner och Landsting", "SKL", "association", "https://skr.se/"),
]

# Themes (regions.Topic), slugged as forum/demo.py slugs its topics. The first three are also the
# forum's "aktuella frågor" (that module runs after this one and keeps their wording); the others
# are the counties' own.
THEMES = [
    "Kompetensförsörjning",
    "Jämställdhet – integration – mångfald i det regionala tillväxtarbetet",
    "Exportstrategi",
    "Uppföljning och analys",
    "Samverkan och aktörssystem",
    "Mål, insatslogik och resultat",
    "Infrastruktur och transporter",
    "Innovation och forskning",
    "Företagsstöd och finansiering",
]
KOMPETENS, JAMSTALLDHET, EXPORT, ANALYS, SAMVERKAN, INSATSLOGIK, INFRA, INNOVATION, STOD = THEMES

DEMO = "(Demotext.) "

# name: (short name, kind, remit, themes). The remit texts are demo wording.
AGENCY_REMITS = {
    "Tillväxtverket": (
        "TVV",
        "agency",
        DEMO + "Nationell myndighet för regional tillväxt: anslag 1:1, regionala företagsstöd, "
        "EU:s regionalfond och stöd till regionernas analys- och uppföljningsarbete.",
        [STOD, ANALYS, INSATSLOGIK],
    ),
    "Arbetsförmedlingen": (
        "AF",
        "agency",
        DEMO + "Matchning på arbetsmarknaden, arbetsmarknadsutbildning och regionala arbetsmarknadsanalyser.",
        [KOMPETENS, JAMSTALLDHET],
    ),
    "Trafikverket": (
        "TRV",
        "agency",
        DEMO + "Långsiktig planering av transportsystemet; länsplanerna för regional "
        "transportinfrastruktur tas fram tillsammans med regionerna.",
        [INFRA],
    ),
    "Myndigheten för yrkeshögskolan": (
        "MYH",
        "agency",
        DEMO + "Yrkeshögskoleutbildningar efter arbetslivets behov och regional kompetensförsörjning.",
        [KOMPETENS],
    ),
    "Vinnova": (
        "",
        "agency",
        DEMO + "Innovationsmyndighet: finansierar forskning och innovation, bland annat regionala "
        "innovationsmiljöer och smart specialisering.",
        [INNOVATION],
    ),
    "Business Sweden": (
        "",
        "other",
        DEMO + "Export- och investeringsfrämjande; regionala exportcentrum tillsammans med regionerna.",
        [EXPORT],
    ),
    "Myndigheten för tillväxtpolitiska utvärderingar och analyser": (
        "Tillväxtanalys",
        "agency",
        DEMO + "Utvärderingar och analyser av tillväxtpolitiken, även av regionala insatser.",
        [ANALYS],
    ),
}

# The first seed's "Några goda exempel"; the summaries are demo wording.
GOOD_EXAMPLES = [
    (
        "08",
        "Uppföljning och analys av företagsstöden",
        ANALYS,
        "Länet följer systematiskt upp de regionala företagsstöden och analyserar vad de leder till.",
    ),
    (
        "22",
        "Genusperspektiv i handläggning och riktade insatser mot kvinnor",
        JAMSTALLDHET,
        "Handläggningen granskas ur ett genusperspektiv och insatser riktas till kvinnors företagande.",
    ),
    (
        "14",
        "Utvecklat aktörssystem för att dra åt samma håll",
        SAMVERKAN,
        "Ett utvecklat system av aktörer i länet som drar åt samma håll i det regionala tillväxtarbetet.",
    ),
    (
        "07",
        "Insatslogiken i fokus",
        INSATSLOGIK,
        "Insatslogiken – från mål via insatser till resultat – står i centrum för prioriteringarna.",
    ),
    (
        "17",
        "Avtal för samverkan med universitetet, tydliggörande av roller",
        SAMVERKAN,
        "Ett avtal med universitetet gör samverkan långsiktig och klargör vem som gör vad.",
    ),
    (
        "25",
        "Modell för analyssamverkan med universitetet",
        ANALYS,
        "En modell för att tillsammans med universitetet stärka länets analyskapacitet.",
    ),
]

# county code: [(title, start, end, adopted, [(number, priority title)], [(stage, start, end, note)])]
STRATEGIES = {
    "08": [
        (
            "Regional utvecklingsstrategi för Kalmar län 2012–2020 (demo)",
            2012,
            2020,
            datetime.date(2012, 6, 12),
            [
                (1, "Livskraftiga och attraktiva livsmiljöer (demo)"),
                (2, "Konkurrenskraftigt näringsliv med fler och växande företag (demo)"),
                (3, "Kompetensförsörjning och utbildning efter arbetslivets behov (demo)"),
                (4, "Tillgänglighet: transporter och bredband i hela länet (demo)"),
            ],
            [],
        ),
        (
            "Regional utvecklingsstrategi för Kalmar län 2021–2030 (demo)",
            2021,
            2030,
            datetime.date(2020, 11, 17),
            [
                (1, "Hållbar tillväxt i ett fossilfritt Kalmar län (demo)"),
                (2, "Kompetensförsörjning genom hela livet (demo)"),
                (3, "Innovation och smart specialisering (demo)"),
            ],
            [
                (StrategyStageKind.ANALYSIS, datetime.date(2018, 9, 1), datetime.date(2019, 3, 31), ""),
                (StrategyStageKind.DRAFTING, datetime.date(2019, 4, 1), datetime.date(2019, 12, 31), ""),
                (
                    StrategyStageKind.CONSULTATION,
                    datetime.date(2020, 1, 15),
                    datetime.date(2020, 4, 30),
                    "Statliga myndigheter är remissinstanser (demo).",
                ),
                (StrategyStageKind.ADOPTION, datetime.date(2020, 11, 17), None, ""),
            ],
        ),
    ],
    "07": [
        (
            "Gröna Kronoberg 2025 – regional utvecklingsstrategi (demo)",
            2015,
            2025,
            datetime.date(2015, 3, 17),
            [
                (1, "Attraktiva livsmiljöer i hela Kronoberg (demo)"),
                (2, "Ett klimatneutralt och resurseffektivt Kronoberg (demo)"),
                (3, "Kunskap och kompetens för framtidens arbetsliv (demo)"),
                (4, "Ett innovativt näringsliv med tydlig insatslogik (demo)"),
            ],
            [
                (StrategyStageKind.ANALYSIS, datetime.date(2013, 9, 1), datetime.date(2014, 2, 28), ""),
                (StrategyStageKind.DRAFTING, datetime.date(2014, 3, 1), datetime.date(2014, 8, 31), ""),
                (
                    StrategyStageKind.CONSULTATION,
                    datetime.date(2014, 9, 1),
                    datetime.date(2014, 11, 30),
                    "Remissvar från myndigheter välkomnas (demo).",
                ),
                (StrategyStageKind.ADOPTION, datetime.date(2015, 3, 17), None, ""),
            ],
        ),
        (
            "Regional utvecklingsstrategi för Kronobergs län 2026–2035 (demo, under arbete)",
            2026,
            2035,
            None,
            [
                (1, "Kompetensförsörjning för ett växande näringsliv (demo)"),
                (2, "Hållbar omställning i hela länet (demo)"),
            ],
            [
                (StrategyStageKind.ANALYSIS, datetime.date(2025, 3, 1), datetime.date(2025, 9, 30), ""),
                (StrategyStageKind.DRAFTING, datetime.date(2025, 10, 1), datetime.date(2026, 12, 31), ""),
                (
                    StrategyStageKind.CONSULTATION,
                    datetime.date(2027, 1, 15),
                    datetime.date(2027, 4, 30),
                    "Myndigheter bjuds in att lämna synpunkter på utkastet (demo).",
                ),
                (StrategyStageKind.ADOPTION, datetime.date(2027, 10, 12), None, ""),
            ],
        ),
    ],
}

# (name, title, organisation name, county code or "", e-mail). Invented people, demo data.
CONTACTS = [
    ("Eva Exempelsson (demo)", "Enhetschef, regional tillväxt", "Tillväxtverket", "", "eva.exempelsson@demo.test"),
    ("Johan Prov (demo)", "Analytiker, kompetensförsörjning", "Arbetsförmedlingen", "", "johan.prov@demo.test"),
    ("Lena Demo (demo)", "Samordnare, länsplaner", "Trafikverket", "", "lena.demo@demo.test"),
    ("Karin Kalmar", "Regiondirektör", "Region Kalmar län", "08", "kalmar@demo.test"),
    ("Anders Analys (demo)", "Analyschef", "Region Kalmar län", "08", "anders.analys@demo.test"),
    ("Kristian Kronoberg", "Regiondirektör", "Region Kronoberg", "07", "kronoberg@demo.test"),
    ("Sara Strategi (demo)", "Strateg, RUS", "Region Kronoberg", "07", "sara.strategi@demo.test"),
]

REGIONAL_BODIES = [
    ("Region Kalmar län", "08", "https://regionkalmar.se/"),
    ("Region Kronoberg", "07", "https://www.regionkronoberg.se/"),
]


def _year(value: str) -> int | None:
    return int(value) if value.strip() else None


def _load_counties() -> None:
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


def _load_organisations(themes: dict[str, Topic]) -> None:
    for name, short_name, kind, website in NATIONAL_ORGANISATIONS:
        Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "website": website}
        )
    for name, (short_name, kind, remit, theme_names) in AGENCY_REMITS.items():
        organisation, _ = Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "remit": remit}
        )
        organisation.themes.set([themes[theme] for theme in theme_names])
    for name, code, website in REGIONAL_BODIES:
        Organisation.objects.update_or_create(
            name=name,
            defaults={"kind": "regional_body", "region": Region.objects.get(code=code), "website": website},
        )


def _load_strategies() -> None:
    today = timezone.localdate()
    for code, strategies in STRATEGIES.items():
        region = Region.objects.get(code=code)
        for title, start, end, adopted_on, priorities, stages in strategies:
            strategy, _ = RegionalStrategy.objects.update_or_create(
                region=region,
                title=title,
                defaults={"start_year": start, "end_year": end, "adopted_on": adopted_on},
            )
            for number, priority_title in priorities:
                StrategyPriority.objects.update_or_create(
                    strategy=strategy,
                    number=number,
                    defaults={"title": priority_title, "description": "Demotext: en påhittad formulering."},
                )
            for stage, starts_on, ends_on, note in stages:
                StrategyStage.objects.get_or_create(
                    strategy=strategy, stage=stage, starts_on=starts_on, defaults={"ends_on": ends_on, "note": note}
                )
            # Nobody follows a county in the demo yet, so the stage is set without e-mail.
            reached = [stage for stage, starts_on, _end, _note in stages if starts_on <= today]
            RegionalStrategy.objects.filter(pk=strategy.pk).update(current_stage=reached[-1] if reached else "")


def _load_contacts() -> None:
    for name, title, organisation_name, code, email in CONTACTS:
        Contact.objects.update_or_create(
            name=name,
            organisation=Organisation.objects.get(name=organisation_name),
            defaults={
                "title": title,
                "email": email,
                "region": Region.objects.get(code=code) if code else None,
            },
        )


def _load_good_examples(themes: dict[str, Topic]) -> None:
    for code, title, theme, summary in GOOD_EXAMPLES:
        GoodExample.objects.update_or_create(
            region=Region.objects.get(code=code),
            title=title,
            defaults={"theme": themes[theme], "year": 2015, "summary": summary},
        )


@transaction.atomic
def load() -> None:
    _load_counties()
    # get_or_create: the forum's demo owns the wording of its own topics.
    themes = {}
    for name in THEMES:
        themes[name], _ = Topic.objects.get_or_create(slug=slugify(name)[:200], defaults={"name": name})
    _load_organisations(themes)
    _load_strategies()
    _load_contacts()
    _load_good_examples(themes)
