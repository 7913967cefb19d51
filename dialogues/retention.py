"""What the register's retention rules reach in this app (records.retention): unsubmitted drafts
of a closed round as working material, the hold on records of a round still running, and how a
submitted version's content is deleted when its rule says so."""

import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from records.choices import WorkingMaterial
from records.models import Case
from records.retention import Source, content_disposer_register, record_hold_register, source_register

from .choices import RoundStatus, SubmissionStatus

DONE = (RoundStatus.CLOSED, RoundStatus.PUBLISHED)


def _drafts():
    """Drafts never submitted, of a round that is closed, that still hold something."""
    from .models import Submission, SubmissionPriority, SubmissionResult

    priorities = SubmissionPriority.objects.filter(submission=OuterRef("pk"))
    results = SubmissionResult.objects.filter(submission=OuterRef("pk"))
    return (
        Submission.objects.filter(
            status=SubmissionStatus.DRAFT, first_submitted_at__isnull=True, dialogue__round__status__in=DONE
        )
        .filter(~Q(resource_use="") | Exists(priorities) | Exists(results))
        .select_related("dialogue__region", "dialogue__round")
    )


def _draft_identify(submission) -> tuple[str, str]:
    dialogue = submission.dialogue
    return f"draft#{submission.pk}", f"{dialogue.region.name}, {dialogue.round.title}"


def _drafts_empty(submissions: list, rule, now: datetime.datetime) -> bool:
    """Empty the drafts (resource use, priorities, results); the submission row stays, as the
    dialogue's pages expect one."""
    from .models import Submission, SubmissionPriority, SubmissionResult

    pks = [submission.pk for submission in submissions]
    SubmissionPriority.objects.filter(submission__in=pks).delete()
    SubmissionResult.objects.filter(submission__in=pks).delete()
    Submission.objects.filter(pk__in=pks).update(resource_use="", version=F("version") + 1)
    return True


def _records_of_running_rounds() -> Q:
    """Records in the case of a round not yet closed, or of one of its dialogues."""
    from django.contrib.contenttypes.models import ContentType

    from .models import DialogueRound

    round_type = ContentType.objects.get_for_model(DialogueRound)
    running = DialogueRound.objects.exclude(status__in=DONE).values("pk")
    cases = Case.objects.filter(
        Q(subject_type=round_type, subject_id__in=running)
        | Q(parent__subject_type=round_type, parent__subject_id__in=running)
    ).values("pk")
    return Q(case__in=cases)


def _version_delete(version) -> None:
    version.delete()


def register() -> None:
    from .models import SubmissionVersion

    source_register(
        WorkingMaterial.DRAFTS,
        Source(
            queryset=_drafts,
            date_field="updated_at",
            basis=_("the date last edited"),
            identify=_draft_identify,
            dispose=_drafts_empty,
        ),
    )
    record_hold_register(_records_of_running_rounds)
    content_disposer_register(SubmissionVersion, _version_delete)
