"""Factories of the feedback reports' own records (the report itself: tests/factories/dialogues.py)."""

import factory

from reports.models import CoveringLetter, LetterTemplate, ReportComment

from .dialogues import DialogueRoundFactory, FeedbackReportFactory


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    round = factory.SubFactory(DialogueRoundFactory)
    sender_unit = "Enheten för regional tillväxt"
    contact_name = "Karin Handläggare"
    contact_email = "karin.handlaggare@regeringskansliet.test"
    contact_phone = "08-405 10 00"
    introduction = "Hej {county}!\n\nHär kommer återkopplingen till {organisation} för {year}."
    closing = "Med vänliga hälsningar"


class CoveringLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoveringLetter

    round = factory.SubFactory(DialogueRoundFactory)
    introduction = "Inledning."
    closing = "Avslutning."


class ReportCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportComment

    report = factory.SubFactory(FeedbackReportFactory)
    text = factory.Sequence(lambda n: f"Granskningskommentar {n}")
