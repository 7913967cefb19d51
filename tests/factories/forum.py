import factory

from forum.choices import ForumKind
from forum.models import Forum, Topic


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
    start_year = factory.Sequence(lambda n: 2015 + n * 6)
    end_year = factory.LazyAttribute(lambda o: o.start_year + 5)
