"""Demo data for the national forum: the 2015–2020 fora, their chair and the seed's topics."""

from django.db import transaction
from django.utils.text import slugify

from regions.models import Contact, Organisation

from .choices import ForumKind
from .models import Forum, Topic

# "Aktuella frågor inom Regional tillväxt", from the civil servants' forum of 12 May 2015.
TOPICS = [
    "Nationella strategin för hållbar regional tillväxt och attraktionskraft 2015–2020",
    "Utvecklad dialog och styrning",
    "Parlamentarisk utredning om en sammanhållen landsbygdspolitik",
    "Kompetensförsörjning",
    "Jämställdhet – integration – mångfald i det regionala tillväxtarbetet",
    "Regionfrågan",
    "Exportstrategi",
    "Lokalisering av statliga myndigheter",
]


@transaction.atomic
def load() -> None:
    for name in TOPICS:
        Topic.objects.update_or_create(slug=slugify(name)[:200], defaults={"name": name})

    ministry = Organisation.objects.get(name="Näringsdepartementet")
    chair, _ = Contact.objects.update_or_create(
        name="Elisabeth Backteman",
        organisation=ministry,
        defaults={"title": "Statssekreterare"},
    )
    Forum.objects.update_or_create(
        kind=ForumKind.POLITICIAN,
        start_year=2015,
        defaults={
            "name": "Forum för hållbar regional tillväxt och attraktionskraft 2015–2020 – politikerforum",
            "end_year": 2020,
            "chair": chair,
        },
    )
    Forum.objects.update_or_create(
        kind=ForumKind.CIVIL_SERVANT,
        start_year=2015,
        defaults={
            "name": "Forum för hållbar regional tillväxt och attraktionskraft 2015–2020 – tjänstemannaforum",
            "end_year": 2020,
        },
    )
