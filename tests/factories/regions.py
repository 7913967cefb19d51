import datetime

import factory

from regions.choices import BodyType, OrganisationKind, StrategyStageKind
from regions.models import (
    Contact,
    GoodExample,
    Organisation,
    Region,
    RegionalStrategy,
    RegionFollow,
    ResponsibilityPeriod,
    StrategyPriority,
    StrategyStage,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{30 + n % 70:02d}")
    name = factory.LazyAttribute(lambda o: f"Testlän {o.code}")
    iso_code = factory.LazyAttribute(lambda o: f"SE-T{o.code}")
    slug = factory.LazyAttribute(lambda o: f"testlan-{o.code}")


class ResponsibilityPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibilityPeriod

    region = factory.SubFactory(RegionFactory)
    body_type = BodyType.REGION
    body_name = factory.LazyAttribute(lambda o: f"Region {o.region.name}")
    valid_from = 2019
    valid_to = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Myndighet {n}")
    kind = OrganisationKind.AGENCY


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Faker("name", locale="sv_SE")
    title = "Handläggare"
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"kontakt{n}@example.test")


class RegionalStrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalStrategy

    region = factory.SubFactory(RegionFactory)
    title = factory.LazyAttribute(lambda o: f"Regional utvecklingsstrategi för {o.region.name}")
    start_year = 2014
    end_year = 2020


class StrategyPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyPriority

    strategy = factory.SubFactory(RegionalStrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Prioritering {n + 1}")


class GoodExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodExample

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Gott exempel {n}")
    year = 2015


class StrategyStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyStage

    strategy = factory.SubFactory(RegionalStrategyFactory)
    stage = StrategyStageKind.ANALYSIS
    starts_on = factory.LazyFunction(lambda: datetime.date(2015, 1, 1))


class RegionFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionFollow

    region = factory.SubFactory(RegionFactory)
