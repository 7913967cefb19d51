"""Demo data for the dialogues: the 2015 round and a 2016 round being planned.

The 2015 round is drawn from the first seed (the civil servants' forum of 12 May 2015): dialogues
with all 21 counties in spring 2015, the ministry's feedback ("Återkoppling regionala
utvecklingsdialoger") as observations, the six good examples, "what we take with us" as the round's
conclusions, and follow-up actions. Which county got which observation, the dialogue dates, the
submissions and the actions are invented for demonstration (marked "demo" in the texts).

The agency's dialogue day of December 2019 (second seed) with three sessions, and a few joint
commitments to Kalmar and Kronoberg, are demo data too.

The 2016 round is left in planning, with its 21 dialogues already created through
`services.round_dialogues_create`, so each shows the actions carried over from 2015; the ministry
opens it from its page (that e-mails the counties). Its deadline is set 30 days after the day the
demo is first loaded, not in 2016: a deadline in the past would refuse every draft, and the whole
flow (open, schedule, draft, submit, return, resubmit) is meant to be tried.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from regions.models import Contact, Organisation, Region, ResponsibilityPeriod, StrategyPriority, Topic

from . import services
from .choices import ActionStatus, DialogueKind, DialogueStatus, ObservationCategory, ParticipantSide, RoundStatus
from .choices import SubmissionStatus as S
from .models import (
    Dialogue,
    DialogueDay,
    DialogueRound,
    FollowUpAction,
    JointCommitment,
    Observation,
    Participant,
    Session,
    SubmissionVersion,
)
from .selectors import submission_snapshot

STOCKHOLM = ZoneInfo("Europe/Stockholm")
C = ObservationCategory

ROUND_2015 = {
    "title": "Regionala utvecklingsdialoger 2015",
    "focus": (
        "Förbättrad styrning och uppföljning av det statliga anslaget för regionala tillväxtåtgärder (1:1). "
        "Återkommande dialog om regionala prioriteringar, resultat och resursanvändning."
    ),
    "submission_deadline": datetime.date(2015, 1, 30),
    "ends_on": datetime.date(2015, 5, 29),
    "requirements": "Prioriteringar, resultat och resursanvändning: länets prioriteringar kopplade till RUS, "
    "uppnådda resultat och hur 1:1-medlen har använts.",
    "status": RoundStatus.CLOSED,
    "findings": (
        "Stor regional variation – insatser, arbetssätt, resurser och ansvarsfördelning i länet. "
        "Differentierad styrning?\n"
        "Ökat fokus på styrning och prioritering utifrån mål och strategier.\n"
        "Svag koppling mellan fördelning av medel och RUS.\n"
        "Analyskapacitet och mottagarkapacitet är en återkommande utmaning.\n"
        "Resultat? Brister hos alla.\n"
        "Framgångsfaktorer: regionalt ledarskap, kontinuerligt lärande och utvecklingsarbete, tydlig målstruktur."
    ),
    "take_forward": (
        "Uppföljning – vad har utvecklats sedan dialogen 2015?\n"
        "Fördjupad kunskap hos N-dep utifrån dialoger och underlag från TVV.\n"
        "Mer dialog kräver förberedelser från TVV och Ndep.\n"
        "Fokus på mål, resultat och medel i det regionala tillväxtarbetet.\n"
        "Bilaterala samtal.\n"
        "Fördjupningar utifrån behov regionalt eller nationellt (TVV/Ndep).\n"
        "Involvera fler delar av RK utifrån behov/tema."
    ),
    "next_focus": "Fokus 2016: Utvecklade metoder för uppföljning, lärande, prioritering; identifiera resultat.",
}

ROUND_2016 = {
    "title": "Regionala utvecklingsdialoger 2016",
    "focus": "Fokus 2016: Utvecklade metoder för uppföljning, lärande, prioritering; identifiera resultat.",
    "requirements": "Prioriteringar kopplade till RUS, resultat (indikator, utgångsläge, mål, utfall) och "
    "resursanvändning. Beskriv också vad som har utvecklats sedan dialogen 2015.",
}

# The ministry's feedback slides, as observations: (category, heading, text, county codes, shared).
FEEDBACK = [
    (
        C.REGIONAL_VARIATION,
        "Stor regional variation",
        "Insatser, arbetssätt, resurser och ansvarsfördelning i länet skiljer sig mycket från andra län. "
        "Differentierad styrning? (demo)",
        ["01", "09", "13", "19", "21", "24"],
        True,
    ),
    (
        C.STEERING,
        "Ökat fokus på styrning och prioritering utifrån mål och strategier",
        "Från efterfrågestyrt till mål- och resultatorienterat – utlysningar kopplade till strategier och "
        "program? (demo)",
        ["03", "04", "12", "18", "20", "22"],
        True,
    ),
    (
        C.FUNDS_AND_RUS,
        "Svag koppling mellan fördelning av medel och RUS",
        "Utvecklingen av handlingsplaner är positiv, men analyserna bakom användningen av olika verktyg är "
        "bristande: fördelningen mellan projektverksamhet, regionala företagsstöd och kommersiell service. (demo)",
        ["05", "06", "08", "10", "23", "25"],
        False,
    ),
    (
        C.CAPACITY,
        "Analyskapacitet och mottagarkapacitet återkommande utmaning",
        "Resurser – kompetens – öronmärkta medel? (demo)",
        ["07", "08", "10", "20", "21", "23", "24"],
        False,
    ),
]
RESULTS_FOR_ALL = (
    C.RESULTS,
    "Resultat? Brister hos alla",
    "Vad är ett resultat, hur redovisar vi det, vad är möjligt att redovisa? Villkorsbesluten för 2015 är "
    "tydligare – TVV stödjer ett fortsatt arbete med fokus på resultat. Synliggör anslagets katalyserande "
    "effekt – uppväxlingen av medlen.",
    True,
)
# The six good examples of the seed, with the wording regions/demo.py gives them on the profiles.
GOOD_EXAMPLES = [
    ("08", C.LEARNING),
    ("22", C.LEADERSHIP),
    ("14", C.LEADERSHIP),
    ("07", C.GOAL_STRUCTURE),
    ("17", C.LEADERSHIP),
    ("25", C.LEARNING),
]
GOOD_EXAMPLE_TEXTS = {
    "08": (
        "Uppföljning och analys av företagsstöden",
        "Länet följer systematiskt upp de regionala företagsstöden och analyserar vad de leder till.",
    ),
    "22": (
        "Genusperspektiv i handläggning och riktade insatser mot kvinnor",
        "Handläggningen granskas ur ett genusperspektiv och insatser riktas till kvinnors företagande.",
    ),
    "14": (
        "Utvecklat aktörssystem för att dra åt samma håll",
        "Ett utvecklat system av aktörer i länet som drar åt samma håll i det regionala tillväxtarbetet.",
    ),
    "07": (
        "Insatslogiken i fokus",
        "Insatslogiken – från mål via insatser till resultat – står i centrum för prioriteringarna.",
    ),
    "17": (
        "Avtal för samverkan med universitetet, tydliggörande av roller",
        "Ett avtal med universitetet gör samverkan långsiktig och klargör vem som gör vad.",
    ),
    "25": (
        "Modell för analyssamverkan med universitetet",
        "En modell för att tillsammans med universitetet stärka länets analyskapacitet.",
    ),
}

# Follow-up actions agreed in 2015: (what, status, progress). Every county gets the first; the
# counties named below get more. Unfinished ones carry into 2016.
ACTION_FOR_ALL = (
    "Utveckla resultatredovisningen: vilka resultat av 1:1-medlen kan redovisas, och hur? (demo)",
    ActionStatus.OPEN,
    "",
)
MORE_ACTIONS = {
    "08": [
        (
            "Koppla fördelningen av 1:1-medlen till prioriteringarna i RUS och redovisa kopplingen (demo)",
            ActionStatus.IN_PROGRESS,
            "Handlingsplan för RUS antagen; kriterier för utlysningar under arbete (demo).",
        ),
        (
            "Dela modellen för uppföljning av företagsstöden med andra län (demo)",
            ActionStatus.DONE,
            "Presenterad i RUS-nätverket (demo).",
        ),
    ],
    "07": [
        (
            "Stärka analyskapaciteten: plan för kompetens och resurser till analys (demo)",
            ActionStatus.OPEN,
            "",
        ),
    ],
}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


def _owner(region: Region) -> str:
    period = ResponsibilityPeriod.objects.in_year(2015).filter(region=region).first()
    return period.body_name if period else region.name


def _observation(dialogue: Dialogue, category: str, title: str, text: str, shared: bool, good: bool = False) -> None:
    fields = {"category": category, "text": text, "shared_with_region": shared, "is_good_example": good}
    existing = Observation.objects.filter(dialogue=dialogue, title=title).first()
    if existing:
        services.observation_update(observation=existing, **fields)
    else:
        services.observation_create(dialogue=dialogue, author=None, title=title, **fields)


def _submission_2015(dialogue: Dialogue) -> None:
    submission = dialogue.submission
    if submission.versions.exists():
        return
    submission.resource_use = (
        f"Demodata: {dialogue.region.name} har använt 1:1-medlen till projektverksamhet, regionala "
        "företagsstöd och kommersiell service enligt villkorsbeslutet för 2014."
    )
    submission.save(update_fields=["resource_use"])
    priorities = StrategyPriority.objects.filter(strategy__region=dialogue.region, strategy__start_year__lte=2015)
    for rank, priority in enumerate(priorities[:3], start=1):
        submission.priorities.create(rank=rank, strategy_priority=priority, rationale="Demotext: motivering.")
    submission.results.create(
        position=1,
        indicator="Antal nya arbetstillfällen i stödda företag (demo)",
        baseline="0",
        target="150",
        outcome="120",
        comment="Demodata.",
    )
    SubmissionVersion.objects.create(
        submission=submission,
        number=1,
        data=submission_snapshot(submission),
        submitted_at=_at(datetime.date(2015, 1, 28), 15),
    )
    submission.status = S.ACCEPTED
    submission.submitted_at = _at(datetime.date(2015, 1, 28), 15)
    submission.save(update_fields=["status", "submitted_at"])


def _participants_2015(dialogue: Dialogue) -> None:
    people = [
        ("Elisabeth Backteman", ParticipantSide.MINISTRY),
        ("Eva Exempelsson (demo)", ParticipantSide.AGENCY),
    ]
    regional = {"08": ["Karin Kalmar", "Anders Analys (demo)"], "07": ["Kristian Kronoberg", "Sara Strategi (demo)"]}
    people += [(name, ParticipantSide.REGION) for name in regional.get(dialogue.region.code, [])]
    for name, side in people:
        contact = Contact.objects.filter(name=name).first()
        if contact:
            Participant.objects.update_or_create(dialogue=dialogue, contact=contact, defaults={"side": side})


def _load_2015(regions: list[Region]) -> DialogueRound:
    round_2015, _ = DialogueRound.objects.update_or_create(year=2015, defaults=ROUND_2015)
    round_2015.themes.set(Topic.objects.filter(name__in=["Utvecklad dialog och styrning"]))
    services.round_dialogues_create(dialogue_round=round_2015, regions=regions)
    dialogues = {
        d.region.code: d for d in round_2015.dialogues.filter(kind=DialogueKind.ANNUAL).select_related("region")
    }
    for index, region in enumerate(regions):
        dialogue = dialogues[region.code]
        # Spring 2015: two dialogues a week from February to May.
        day = datetime.date(2015, 2, 2) + datetime.timedelta(days=(index // 2) * 7 + (index % 2) * 2)
        Dialogue.objects.filter(pk=dialogue.pk).update(
            start=_at(day, 9, 30),
            end=_at(day, 12),
            place="Näringsdepartementet, Mäster Samuelsgatan 70, Stockholm",
            status=DialogueStatus.HELD,
        )
        _participants_2015(dialogue)
        _submission_2015(dialogue)
        owner = _owner(region)
        for what, status, progress in [ACTION_FOR_ALL, *MORE_ACTIONS.get(region.code, [])]:
            FollowUpAction.objects.update_or_create(
                dialogue=dialogue,
                what=what,
                defaults={
                    "owner": owner,
                    "due_date": datetime.date(2016, 1, 31),
                    "status": status,
                    "progress": progress,
                },
            )
        category, title, text, shared = RESULTS_FOR_ALL
        _observation(dialogue, category, title, text, shared)
    for category, title, text, codes, shared in FEEDBACK:
        for code in codes:
            _observation(dialogues[code], category, title, text, shared)
    for code, category in GOOD_EXAMPLES:
        title, text = GOOD_EXAMPLE_TEXTS[code]
        _observation(dialogues[code], category, title, text, shared=True, good=True)
    return round_2015


def _load_2016(regions: list[Region]) -> None:
    round_2016 = DialogueRound.objects.filter(year=2016).first()
    if round_2016 is None:
        deadline = timezone.localdate() + datetime.timedelta(days=30)
        round_2016 = DialogueRound.objects.create(
            year=2016, submission_deadline=deadline, ends_on=deadline + datetime.timedelta(days=60), **ROUND_2016
        )
        round_2016.themes.set(Topic.objects.filter(name__in=["Utvecklad dialog och styrning", "Kompetensförsörjning"]))
    if round_2016.status == RoundStatus.PLANNING:
        services.round_dialogues_create(dialogue_round=round_2016, regions=regions)


# The second seed: Tillväxtverket's national–regional dialogue day of December 2019. The sessions'
# proposals and needs are the blog post's; the session titles and owners are demo wording.
DIALOGUE_DAY = {
    "title": "Nationell–regional dialogdag 2019",
    "date": datetime.date(2019, 12, 4),
    "place": "Tillväxtverket, Stockholm (demo)",
    "description": "Dialoger mellan nationell och regional nivå med fokus på viktiga frågor för hållbar regional "
    "utveckling, i nutid och framtid. Alla regioner och ett antal nationella myndigheter var inbjudna.",
}
SESSIONS = [
    (
        "Kompetensförsörjning",
        "Kompetensförsörjning",
        "En gemensam väg in till de myndigheter som arbetar med kompetensförsörjning (liknande verksamt.se). "
        "Samordna kommande strukturfondsprogram så att det går att arbeta både mot individer och företag.",
        "Tydliggöra vem som ansvarar för olika frågor i ett splittrat område med flera myndigheter och departement.",
        "Tillväxtverket och Arbetsförmedlingen (demo)",
    ),
    (
        "Utmaningsdriven samverkan: omställningen till ett fossilfritt samhälle",
        None,
        "Besluta om vad vi ska samverka kring snarare än hur; utgå från utmaningen och samla kunskap och resurser "
        "från regional och nationell nivå.",
        "Att hålla ihop staten utifrån tematisk samverkan, så att det blir enklare för regionerna.",
        "Tillväxtverket (demo)",
    ),
    (
        "Myndigheterna och RUS-processen",
        None,
        "Koppla ihop de två plattformar som redan finns: myndighetsnätverket och RUS-nätverket.",
        "Myndigheterna behöver förstå RUS-processen och när de kan komma in i den.",
        "RUS-nätverket (demo)",
    ),
]
# Who took part in each session: agencies by name and counties by code. Demo choices, not the seed's.
SESSION_PARTICIPANTS = {
    "Kompetensförsörjning": (
        ["Tillväxtverket", "Arbetsförmedlingen", "Myndigheten för yrkeshögskolan"],
        ["07", "08", "12", "14"],
    ),
    "Utmaningsdriven samverkan: omställningen till ett fossilfritt samhälle": (
        ["Tillväxtverket", "Trafikverket", "Vinnova"],
        ["01", "03", "22", "25"],
    ),
    "Myndigheterna och RUS-processen": (
        ["Tillväxtverket", "Myndigheten för tillväxtpolitiska utvärderingar och analyser"],
        ["05", "08", "13", "20"],
    ),
}
# (county code, title, kind, description, amount, status). Demo data.
COMMITMENTS = [
    (
        "08",
        "Stöd i analysen av företagsstödens effekter (demo)",
        "knowledge",
        "Metodstöd och data från Tillväxtverket.",
        None,
        "agreed",
    ),
    ("08", "Medel till förstudie om kompetensplattform (demo)", "funds", "", 500000, "in_progress"),
    ("07", "Gemensam utvärdering av insatslogiken (demo)", "knowledge", "", None, "proposed"),
]


def _load_dialogue_day() -> None:
    day, _ = DialogueDay.objects.update_or_create(title=DIALOGUE_DAY["title"], defaults=DIALOGUE_DAY)
    day.regions.set(Region.objects.all())
    day.agencies.set(Organisation.objects.filter(kind="agency"))
    for position, (title, topic, proposals, needs, owner) in enumerate(SESSIONS, start=1):
        session, _ = Session.objects.update_or_create(
            day=day,
            title=title,
            defaults={
                "position": position,
                "topic": Topic.objects.filter(name=topic).first() if topic else None,
                "proposals": proposals,
                "needs": needs,
                "next_step_owner": owner,
            },
        )
        agencies, codes = SESSION_PARTICIPANTS[title]
        session.agencies.set(Organisation.objects.filter(kind="agency", name__in=agencies))
        session.regions.set(Region.objects.filter(code__in=codes))
    for code, title, kind, description, amount, status in COMMITMENTS:
        JointCommitment.objects.update_or_create(
            region=Region.objects.get(code=code),
            title=title,
            defaults={"kind": kind, "description": description, "amount": amount, "status": status},
        )


@transaction.atomic
def load() -> None:
    regions = list(Region.objects.order_by("code"))
    _load_2015(regions)
    _load_2016(regions)
    _load_dialogue_day()
