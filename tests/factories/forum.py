import datetime

import factory
from django.utils import timezone

from forum.choices import AttendanceStatus, ForumKind, SeatRole
from forum.models import AgendaItem, Attendance, Forum, Meeting, Membership
from regions.models import Topic

from .regions import ContactFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ämne {n}")
    slug = factory.Sequence(lambda n: f"amne-{n}")


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    kind = ForumKind.POLITICIAN
    name = factory.LazyAttribute(lambda o: f"Forum {o.kind} {o.start_year}")
    # Distinct six-year terms that stay inside the years a form accepts (1900..2200), however many
    # forums one test process makes.
    start_year = factory.Sequence(lambda n: 2015 + (n % 30) * 6)
    end_year = factory.LazyAttribute(lambda o: o.start_year + 5)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A seat; pass a region whose responsibility period fits the role (or none for SKL)."""

    class Meta:
        model = Membership

    forum = factory.SubFactory(ForumFactory)
    contact = factory.SubFactory(ContactFactory)
    region = None
    role = SeatRole.SKL_COMMITTEE
    valid_from = factory.LazyAttribute(lambda o: datetime.date(o.forum.start_year, 1, 1))
    valid_to = None


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Forummöte {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=4))
    place = "Näringsdepartementet, Stockholm"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Dagordningspunkt {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    contact = factory.SubFactory(ContactFactory)
    status = AttendanceStatus.PRESENT
