import datetime

import factory
from django.utils import timezone

from dialogues.choices import DialogueKind, ObservationCategory, RoundStatus
from dialogues.models import Brief, Dialogue, DialogueRound, FollowUpAction, Observation, Participant, Submission
from reports.models import FeedbackReport

from .regions import ContactFactory, RegionFactory


class DialogueRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueRound
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2030 + n % 150)  # inside the years forms accept, however many
    title = factory.LazyAttribute(lambda o: f"Regionala utvecklingsdialoger {o.year}")
    focus = "Fokus: resultat"
    submission_deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.submission_deadline + datetime.timedelta(days=60))
    status = RoundStatus.OPEN


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue

    round = factory.SubFactory(DialogueRoundFactory)
    region = factory.SubFactory(RegionFactory)
    kind = DialogueKind.ANNUAL


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    dialogue = factory.SubFactory(DialogueFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    dialogue = factory.SubFactory(DialogueFactory)
    contact = factory.SubFactory(ContactFactory)
    side = "ministry"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    dialogue = factory.SubFactory(DialogueFactory)
    category = ObservationCategory.RESULTS
    title = factory.Sequence(lambda n: f"Iakttagelse {n}")
    text = "Resultat? Brister hos alla."
    shared_with_region = True


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    dialogue = factory.SubFactory(DialogueFactory)
    what = factory.Sequence(lambda n: f"Åtgärd {n}")
    owner = "Regionen"


class BriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brief

    dialogue = factory.SubFactory(DialogueFactory)
    text = "Underlag från Tillväxtverket."


class FeedbackReportFactory(factory.django.DjangoModelFactory):
    """A pending county report; pass `region=None` for the round summary."""

    class Meta:
        model = FeedbackReport

    round = factory.SubFactory(DialogueRoundFactory)
    region = factory.SubFactory(RegionFactory)
    version = 1
