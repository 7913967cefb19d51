import factory

from followup.choices import CoFinancingSource, Instrument
from followup.models import Allocation, Appropriation, CoFinancing, Expenditure, ResultIndicator

from .regions import RegionFactory


class AppropriationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appropriation
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2015 + n % 150)  # inside the years forms accept, however many
    total_amount = 2_000_000_000


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    appropriation = factory.SubFactory(AppropriationFactory)
    region = factory.SubFactory(RegionFactory)
    frame_amount = 10_000_000


class ExpenditureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expenditure

    allocation = factory.SubFactory(AllocationFactory)
    instrument = Instrument.PROJECTS
    amount = 1_000_000


class CoFinancingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoFinancing

    allocation = factory.SubFactory(AllocationFactory)
    source = CoFinancingSource.REGION
    amount = 500_000


class ResultIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResultIndicator

    allocation = factory.SubFactory(AllocationFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "st"
    baseline = 10
    target = 20
    outcome = 15


# The 21 counties by official code (Kalmar and Kronoberg as the shared fixtures region_a and region_b make them).
COUNTIES = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}


def year_with_counties(year: int, *, count: int = 21, frame_amount=0) -> Appropriation:
    """A year's appropriation with the first `count` of the 21 counties, each with a frame (0 kr, as a new year has)."""
    from django.utils.text import slugify

    appropriation = AppropriationFactory(year=year)
    for code, name in list(COUNTIES.items())[:count]:
        region = RegionFactory(code=code, name=name, iso_code=f"SE-{code}", slug=slugify(name))
        AllocationFactory(appropriation=appropriation, region=region, frame_amount=frame_amount)
    return appropriation
