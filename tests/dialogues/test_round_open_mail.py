"""The e-mail a county gets when a round opens: a link to its own submission, the focus once,
no runs of blank lines."""

import datetime

from django.core import mail

from dialogues import services
from dialogues.choices import RoundStatus
from tests.factories.dialogues import DialogueRoundFactory


def _open(round_, regions, capture):
    with capture(execute=True):
        return services.round_open(dialogue_round=round_, regions=regions)


def test_round_open_mails_each_county_a_link_to_its_own_submission(
    settings, region_a, region_b, region_user, other_region_user, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portal.example.se"
    dialogue_round = DialogueRoundFactory(
        year=2031,
        title="Regionala utvecklingsdialoger 2031",
        status=RoundStatus.PLANNING,
        submission_deadline=datetime.date(2031, 2, 2),
        ends_on=datetime.date(2031, 6, 1),
        requirements="Redovisa resultat per prioritering.",
        focus="Fokus 2031: Uppföljning och lärande.",
    )
    created = _open(dialogue_round, [region_a, region_b], django_capture_on_commit_callbacks)
    kalmar = next(d for d in created if d.region == region_a)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {region_user.email, other_region_user.email}
    assert by_recipient[region_user.email].body == (
        "Näringsdepartementet har öppnat Regionala utvecklingsdialoger 2031.\n\n"
        "Lämna in länets prioriteringar, resultat och resursanvändning i portalen senast 2 februari 2031:\n"
        f"https://portal.example.se/dialoger/dialog/{kalmar.pk}/inlamning/\n\n"
        "Redovisa resultat per prioritering.\n\n"
        "Fokus 2031: Uppföljning och lärande."
    )
    assert f"/dialog/{kalmar.pk}/" not in by_recipient[other_region_user.email].body


def test_round_open_mail_without_requirements_has_no_blank_line_runs_and_labels_a_bare_focus(
    settings, region_a, region_user, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portal.example.se"
    dialogue_round = DialogueRoundFactory(
        year=2032,
        title="Dialoger 2032",
        status=RoundStatus.PLANNING,
        submission_deadline=datetime.date(2032, 3, 1),
        ends_on=datetime.date(2032, 6, 1),
        requirements="",
        focus="resultat",
    )
    (dialogue,) = _open(dialogue_round, [region_a], django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.body == (
        "Näringsdepartementet har öppnat Dialoger 2032.\n\n"
        "Lämna in länets prioriteringar, resultat och resursanvändning i portalen senast 1 mars 2032:\n"
        f"https://portal.example.se/dialoger/dialog/{dialogue.pk}/inlamning/\n\n"
        "Fokus: resultat"
    )
    assert "\n\n\n" not in message.body
