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
