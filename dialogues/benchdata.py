"""Benchmark data: a closed round per year for every county, each dialogue with a submission
(10 priorities, 20 results), 40 observations and 10 follow-up actions. Years that already have a
round (the demo's) are left alone."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core.models import Attachment
from regions.models import Region, StrategyPriority

from .choices import ActionStatus, DialogueStatus, ObservationCategory, RoundStatus, SubmissionStatus
from .models import (
    Dialogue,
    DialogueRound,
    FollowUpAction,
    Observation,
    Submission,
    SubmissionPriority,
    SubmissionResult,
)

CATEGORIES = [value for value, _label in ObservationCategory.choices]


def build(*, scale) -> None:
    years = scale.years
    regions = list(Region.objects.all())
    priorities = {}
    for priority in StrategyPriority.objects.filter(strategy__title__startswith="Bench").order_by("number"):
        priorities.setdefault(priority.strategy.region_id, []).append(priority)
    taken = set(DialogueRound.objects.values_list("year", flat=True))
    for year in range(2026 - years, 2026):
        if year not in taken:
            _round(year, regions, priorities)
    _attachments(scale.attachments)


WORDS = [
    *("kompetensförsörjning", "innovation", "tillgänglighet", "bredband", "näringsliv", "landsbygd"),
    *("besöksnäring", "klimatomställning", "samverkan", "kommuner", "lärosäten", "specialisering"),
    *("uppföljning", "resultat", "indikatorer", "medfinansiering", "strukturfonder", "kapacitet"),
    *("ledarskap", "analys", "prioritering", "strategi", "arbetsmarknad", "utbildning", "företagsstöd"),
    *("exportfrämjande", "digitalisering", "transporter", "bostäder"),
]


def _text(rng: random.Random, words: int) -> str:
    """Prose over a vocabulary of 3 000 words in which the portal's subject words are rare, as in
    real texts: "kompetensförsörjning" turns up in about one observation in eight, not in all."""
    chosen = (rng.choice(WORDS) if rng.random() < 0.05 else f"ord{rng.randrange(3_000)}" for _ in range(words))
    return " ".join(chosen).capitalize() + "."


def _attachments(count: int) -> None:
    """`count` files attached to submitted versions, all pointing at one small stored PDF."""
    if Attachment.objects.filter(original_name__startswith="Bench-").exists():
        return
    name = "attachments/bench-handlingsplan.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    submission_type = ContentType.objects.get_for_model(Submission)
    ids = list(Submission.objects.order_by("pk").values_list("pk", flat=True))
    uploaded = timezone.now()
    Attachment.objects.bulk_create(
        (
            Attachment(content_type=submission_type, object_id=ids[n % len(ids)], file=name,
                       original_name=f"Bench-handlingsplan-{n}.pdf", file_type="application/pdf", size=15,
                       sha256="0" * 64, uploaded_at=uploaded)
            for n in range(count)
        ),
        batch_size=5_000,
    )  # fmt: skip


def _round(year: int, regions: list[Region], priorities: dict) -> None:
    rng = random.Random(year)  # noqa: S311  (repeatable benchmark text, not a secret)
    round_ = DialogueRound.objects.create(
        year=year,
        title=f"Regionala utvecklingsdialoger {year}",
        focus="Prioriteringar, resultat och resursanvändning",
        submission_deadline=datetime.date(year, 2, 1),
        ends_on=datetime.date(year, 6, 1),
        status=RoundStatus.CLOSED,
    )
    start = timezone.make_aware(datetime.datetime(year, 3, 1, 9))
    dialogues = Dialogue.objects.bulk_create(
        Dialogue(
            round=round_,
            region=region,
            start=start + datetime.timedelta(days=n),
            end=start + datetime.timedelta(days=n, hours=3),
            place="Regeringskansliet",
            status=DialogueStatus.HELD,
        )
        for n, region in enumerate(regions)
    )
    submitted = timezone.make_aware(datetime.datetime(year, 1, 20))
    submissions = Submission.objects.bulk_create(
        Submission(dialogue=d, status=SubmissionStatus.ACCEPTED, resource_use="Medlen har använts enligt villkoren.",
                   submitted_at=submitted)
        for d in dialogues
    )  # fmt: skip
    SubmissionPriority.objects.bulk_create(
        SubmissionPriority(submission=s, rank=rank, strategy_priority=p, rationale="Enligt RUS.")
        for s in submissions
        for rank, p in enumerate(priorities.get(s.dialogue.region_id, []), start=1)
    )
    SubmissionResult.objects.bulk_create(
        SubmissionResult(submission=s, position=n, indicator=f"Indikator {n}", baseline="10", target="20", outcome="15")
        for s in submissions
        for n in range(20)
    )
    Observation.objects.bulk_create(
        Observation(
            dialogue=d,
            category=CATEGORIES[n % len(CATEGORIES)],
            title=f"Iakttagelse {n}",
            text=_text(rng, 80),
            shared_with_region=n % 2 == 0,
        )
        for d in dialogues
        for n in range(40)
    )
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            dialogue=d,
            what=f"Åtgärd {n}: utveckla resultatredovisningen",
            owner="Regionen",
            due_date=datetime.date(year + 1, 1, 31),
            status=ActionStatus.DONE,
        )
        for d in dialogues
        for n in range(10)
    )
