"""Demo data for the national forum: the 2015–2020 fora, their chair, the seed's topics, the civil
servants' forum meeting of 12 May 2015 with the seed's agenda, a politicians' forum meeting it
prepares, and 2015 members for a handful of counties (some seats deliberately left empty).

The 12 May 2015 agenda follows the first seed. Everything else marked "(demo)" is invented:
the members' names, the times and places, and the politicians' forum meeting.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from regions.models import Contact, Organisation, Region, Topic

from .choices import AttendanceStatus, ForumKind, MeetingStatus, SeatRole
from .models import AgendaItem, Attendance, Forum, Meeting, Membership

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
NATIONAL_STRATEGY, DIALOGUE, RURAL, SKILLS, EQUALITY, REGION_QUESTION, EXPORT, LOCATION = TOPICS

FORUM_NAME = "Forum för hållbar regional tillväxt och attraktionskraft 2015–2020"

# (position, title, topic, presenter, minutes)
CIVIL_SERVANT_AGENDA = [
    (
        1,
        "Forum för hållbar regional tillväxt och attraktionskraft 2015–2020",
        None,
        "Näringsdepartementet",
        "Lägst arbetslöshet i Europa 2020 kräver strategisk nationell–regional samverkan. Forumet stärker "
        "förutsättningarna för regionerna att aktivt bidra i politikens genomförande. Syfte: föra dialog om frågor "
        "som är strategiskt viktiga för att skapa hållbar regional tillväxt i hela landet.",
    ),
    (
        2,
        "Strategisk nationell–regional samverkan: forumet, utvecklingsdialogerna och Tillväxtverkets strategiska "
        "dialoger",
        DIALOGUE,
        "Näringsdepartementet och Tillväxtverket",
        "Strategisk dialog också på tjänstemannanivå – beredande för politikerforum. Koppling till regionalt "
        "utvecklingsansvar och 1:1-anslaget.",
    ),
    (3, "Aktuella frågor: " + NATIONAL_STRATEGY, NATIONAL_STRATEGY, "Näringsdepartementet", ""),
    (
        4,
        "Aktuella frågor: " + DIALOGUE,
        DIALOGUE,
        "Näringsdepartementet",
        "Utvecklingsdialoger; uppdrag till Statskontoret.",
    ),
    (5, "Aktuella frågor: " + RURAL, RURAL, "Näringsdepartementet", ""),
    (
        6,
        "Aktuella frågor: " + SKILLS,
        SKILLS,
        "Näringsdepartementet",
        "Matchning, regionernas roll och kompetensplattformar.",
    ),
    (7, "Aktuella frågor: " + EQUALITY, EQUALITY, "Näringsdepartementet", ""),
    (8, "Aktuella frågor: " + REGION_QUESTION, REGION_QUESTION, "Näringsdepartementet", ""),
    (9, "Aktuella frågor: " + EXPORT, EXPORT, "Näringsdepartementet", ""),
    (10, "Aktuella frågor: " + LOCATION, LOCATION, "Näringsdepartementet", ""),
    (
        11,
        "Regionala utvecklingsdialoger: prioritering, resursfördelning och resultat",
        DIALOGUE,
        "Näringsdepartementet",
        "Dialoger med samtliga län under våren 2015. Syfte: förbättrad styrning och uppföljning av det statliga "
        "anslaget för regionala tillväxtåtgärder, och återkommande dialog om regionala prioriteringar, resultat "
        "och resursanvändning.",
    ),
    (
        12,
        "Återkoppling från de regionala utvecklingsdialogerna",
        DIALOGUE,
        "Näringsdepartementet",
        "Stor regional variation i insatser, arbetssätt, resurser och ansvarsfördelning. Ökat fokus på styrning "
        "och prioritering utifrån mål och strategier. Svag koppling mellan fördelning av medel och RUS. "
        "Analyskapacitet och mottagarkapacitet är en återkommande utmaning. Resultat: brister hos alla.",
    ),
    (
        13,
        "Framgångsfaktorer och goda exempel",
        None,
        "Näringsdepartementet",
        "Regionalt ledarskap, kontinuerligt lärande och utvecklingsarbete, tydlig målstruktur. Goda exempel: "
        "Kalmar, Västernorrland, Västra Götaland, Kronoberg, Värmland och Norrbotten.",
    ),
    (
        14,
        "Vad tar vi med oss och förändrar till nästa års dialoger? Fokus 2016",
        DIALOGUE,
        "Näringsdepartementet",
        "",
    ),
]

# (position, title, topic, the civil servants' forum item that prepares it)
POLITICIAN_AGENDA = [
    (1, NATIONAL_STRATEGY, NATIONAL_STRATEGY, 3),
    (2, "Utvecklad dialog och styrning: de regionala utvecklingsdialogerna 2015", DIALOGUE, 12),
    (3, SKILLS, SKILLS, 6),
    (4, REGION_QUESTION, REGION_QUESTION, 8),
]

TERM_END = datetime.date(2018, 12, 31)
COUNTY_BOARD_TERM_END = datetime.date(2016, 12, 31)  # Västmanland, Västernorrland, Norrbotten: regions from 2017

# (county code or None for SKL, forum kind, seat, name, title, mandate end); names are invented.
MEMBERS = [
    ("08", ForumKind.POLITICIAN, SeatRole.REGIONAL_POLITICIAN_MAJORITY, "Eva Lindqvist", "Ordförande", TERM_END),
    ("08", ForumKind.POLITICIAN, SeatRole.REGIONAL_POLITICIAN_OPPOSITION, "Lars Holm", "Ledamot", TERM_END),
    ("08", ForumKind.CIVIL_SERVANT, SeatRole.REGIONAL_DIRECTOR, "Karin Åberg", "Regiondirektör", TERM_END),
    ("07", ForumKind.POLITICIAN, SeatRole.REGIONAL_POLITICIAN_MAJORITY, "Anders Berg", "Regionråd", TERM_END),
    ("07", ForumKind.CIVIL_SERVANT, SeatRole.REGIONAL_DIRECTOR, "Kristian Nyström", "Regiondirektör", TERM_END),
    ("01", ForumKind.POLITICIAN, SeatRole.COUNTY_GOVERNOR, "Birgitta Sundin", "Landshövding", TERM_END),
    (
        "01",
        ForumKind.POLITICIAN,
        SeatRole.ASSOCIATION_POLITICIAN_MAJORITY,
        "Per Engström",
        "Ordförande, kommunförbundet",
        TERM_END,
    ),
    ("01", ForumKind.CIVIL_SERVANT, SeatRole.COUNTY_BOARD_DIRECTOR, "Maria Wallin", "Länsråd", TERM_END),
    (
        "01",
        ForumKind.CIVIL_SERVANT,
        SeatRole.ASSOCIATION_DIRECTOR,
        "Johan Ekholm",
        "Direktör, kommunförbundet",
        TERM_END,
    ),
    ("25", ForumKind.POLITICIAN, SeatRole.COUNTY_GOVERNOR, "Sven Lundmark", "Landshövding", COUNTY_BOARD_TERM_END),
    (
        "25",
        ForumKind.POLITICIAN,
        SeatRole.COUNTY_COUNCIL_POLITICIAN_MAJORITY,
        "Helena Öberg",
        "Landstingsråd",
        COUNTY_BOARD_TERM_END,
    ),
    (
        "25",
        ForumKind.POLITICIAN,
        SeatRole.COUNTY_COUNCIL_POLITICIAN_OPPOSITION,
        "Mats Rönnbäck",
        "Landstingsråd",
        COUNTY_BOARD_TERM_END,
    ),
    ("25", ForumKind.CIVIL_SERVANT, SeatRole.COUNTY_BOARD_DIRECTOR, "Ulla Nilsson", "Länsråd", COUNTY_BOARD_TERM_END),
    ("12", ForumKind.POLITICIAN, SeatRole.REGIONAL_POLITICIAN_MAJORITY, "Ingrid Persson", "Regionråd", TERM_END),
    ("12", ForumKind.POLITICIAN, SeatRole.REGIONAL_POLITICIAN_OPPOSITION, "Nils Hansson", "Regionråd", TERM_END),
    ("12", ForumKind.CIVIL_SERVANT, SeatRole.REGIONAL_DIRECTOR, "Camilla Strand", "Regiondirektör", TERM_END),
    ("09", ForumKind.CIVIL_SERVANT, SeatRole.REGIONAL_DIRECTOR, "Olof Larsson", "Regiondirektör", TERM_END),
    (None, ForumKind.POLITICIAN, SeatRole.SKL_COMMITTEE, "Lena Forsberg", "Ledamot, SKL:s beredning", TERM_END),
]
# A substitute for one member, so that attendance "represented by the substitute" can be shown.
SUBSTITUTES = {"Karin Åberg": "Tove Lind"}


def _aware(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def _contact(name: str, title: str, region: Region | None) -> Contact:
    email = slugify(name).replace("-", ".") + "@demo.test"
    contact, _created = Contact.objects.update_or_create(
        name=f"{name} (demo)", defaults={"title": title, "region": region, "email": email}
    )
    return contact


def _meeting(forum: Forum, title: str, start: datetime.datetime, end: datetime.datetime, place: str) -> Meeting:
    meeting, _created = Meeting.objects.update_or_create(
        forum=forum, start=start, defaults={"title": title, "end": end, "place": place, "status": MeetingStatus.HELD}
    )
    return meeting


def _agenda(meeting: Meeting, rows, topics: dict[str, Topic]) -> dict[int, AgendaItem]:
    items = {}
    for position, title, topic, presenter, minutes in rows:
        items[position], _created = AgendaItem.objects.update_or_create(
            meeting=meeting,
            position=position,
            defaults={"title": title, "topic": topics.get(topic), "presenter": presenter, "minutes": minutes},
        )
    return items


@transaction.atomic
def load() -> None:
    topics = {}
    for name in TOPICS:
        topics[name], _created = Topic.objects.update_or_create(slug=slugify(name)[:200], defaults={"name": name})

    ministry = Organisation.objects.get(name="Näringsdepartementet")
    chair, _created = Contact.objects.update_or_create(
        name="Elisabeth Backteman",
        organisation=ministry,
        defaults={"title": "Statssekreterare"},
    )
    politicians, _created = Forum.objects.update_or_create(
        kind=ForumKind.POLITICIAN,
        start_year=2015,
        defaults={"name": f"{FORUM_NAME} – politikerforum", "end_year": 2020, "chair": chair},
    )
    civil_servants, _created = Forum.objects.update_or_create(
        kind=ForumKind.CIVIL_SERVANT,
        start_year=2015,
        defaults={"name": f"{FORUM_NAME} – tjänstemannaforum", "end_year": 2020},
    )
    fora = {ForumKind.POLITICIAN: politicians, ForumKind.CIVIL_SERVANT: civil_servants}

    regions = {region.code: region for region in Region.objects.all()}
    contacts = {}
    for code, kind, role, name, title, valid_to in MEMBERS:
        region = regions[code] if code else None
        contact = contacts[name] = _contact(name, title, region)
        substitute = _contact(SUBSTITUTES[name], "Ersättare", region) if name in SUBSTITUTES else None
        membership = Membership.objects.filter(forum=fora[kind], contact=contact, role=role).first() or Membership(
            forum=fora[kind], contact=contact, role=role
        )
        membership.region = region
        membership.valid_from = datetime.date(2015, 1, 1)
        membership.valid_to = valid_to
        membership.substitute = substitute
        membership.full_clean()
        membership.save()

    civil_meeting = _meeting(
        civil_servants,
        "Tjänstemannaforum 12 maj 2015",
        _aware(2015, 5, 12, 10, 0),
        _aware(2015, 5, 12, 15, 0),
        "Näringsdepartementet, Stockholm (plats och tid: demo)",
    )
    civil_items = _agenda(civil_meeting, CIVIL_SERVANT_AGENDA, topics)
    politician_meeting = _meeting(
        politicians,
        "Politikerforum juni 2015 (demo)",
        _aware(2015, 6, 10, 10, 0),
        _aware(2015, 6, 10, 15, 0),
        "Rosenbad, Stockholm (demo)",
    )
    rows = [(position, title, topic, "Näringsdepartementet", "") for position, title, topic, _p in POLITICIAN_AGENDA]
    politician_items = _agenda(politician_meeting, rows, topics)
    for position, _title, _topic, prepared_in in POLITICIAN_AGENDA:
        item = civil_items[prepared_in]
        item.prepares = politician_items[position]
        item.full_clean()
        item.save(update_fields=["prepares"])

    attendance = {
        "Karin Åberg": AttendanceStatus.SUBSTITUTE,
        "Kristian Nyström": AttendanceStatus.PRESENT,
        "Maria Wallin": AttendanceStatus.PRESENT,
        "Johan Ekholm": AttendanceStatus.ABSENT,
        "Ulla Nilsson": AttendanceStatus.PRESENT,
        "Camilla Strand": AttendanceStatus.PRESENT,
        "Olof Larsson": AttendanceStatus.ABSENT,
    }
    for name, status in attendance.items():
        Attendance.objects.update_or_create(meeting=civil_meeting, contact=contacts[name], defaults={"status": status})
