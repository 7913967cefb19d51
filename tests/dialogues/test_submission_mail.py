"""The ministry hears by e-mail when a county sends in its submission, and again after a return."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.choices import Role
from core.models import OutgoingMail
from dialogues import services
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.example.se"


@pytest.fixture
def ministry_users(ministry_user):
    UserFactory(role=Role.MINISTRY, email="slutat@regeringskansliet.test", is_active=False)
    return [ministry_user, UserFactory(role=Role.MINISTRY, email="handlaggare@regeringskansliet.test")]


def _draft(submission, text="Medlen följer RUS"):
    submission.refresh_from_db()
    services.submission_save_draft(
        submission=submission, expected_version=submission.version, resource_use=text, priorities=[], results=[]
    )


def test_submission_submit_mails_each_active_ministry_user_after_commit_with_a_link(
    kalmar_dialogue, region_user, agency_user, ministry_users, django_capture_on_commit_callbacks
):
    submission = kalmar_dialogue.submission
    _draft(submission)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submission_submit(submission=submission, user=region_user, base_url=PORTAL)
    # Stored in the outbox with the submission, handed to the worker only once the change commits.
    assert mail.outbox == []
    assert sorted(OutgoingMail.objects.values_list("recipient", flat=True)) == sorted(u.email for u in ministry_users)
    for callback in callbacks:
        callback()

    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        u.email for u in ministry_users
    )
    message = mail.outbox[0]
    assert len(message.to) == 1  # one message per person: nobody sees the others' addresses
    assert message.subject == "Inlämning från Kalmar län för Regionala utvecklingsdialoger 2016"
    assert "(version 1)" in message.body
    link = f"{PORTAL}/dialoger/dialog/{kalmar_dialogue.pk}/inlamning/"
    assert link in message.body


def test_submission_sent_in_again_after_a_return_says_so_in_the_mail(
    kalmar_dialogue, region_user, ministry_users, django_capture_on_commit_callbacks
):
    submission = kalmar_dialogue.submission
    _draft(submission)
    services.submission_submit(submission=submission, user=region_user)
    services.submission_return(submission=submission, comment="Lägg till resultat.")
    _draft(submission, text="Kompletterad")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(submission=submission, user=region_user, base_url=PORTAL)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in ministry_users)
    message = mail.outbox[0]
    assert message.subject == "Ny version av inlämningen från Kalmar län för Regionala utvecklingsdialoger 2016"
    assert "kompletterat sin returnerade inlämning" in message.body
    assert "(version 2)" in message.body
    assert f"{PORTAL}/dialoger/dialog/{kalmar_dialogue.pk}/inlamning/" in message.body


def test_submission_submit_refused_mails_nobody(kalmar_dialogue, region_user, ministry_users):
    with pytest.raises(ValidationError):
        services.submission_submit(submission=kalmar_dialogue.submission, user=region_user)  # empty
    assert not OutgoingMail.objects.exists()


def test_submission_sent_in_from_the_page_mails_the_ministry_a_link_that_opens_it(
    client, region_user, ministry_user, kalmar_dialogue, django_capture_on_commit_callbacks
):
    client.force_login(region_user)
    data = {
        "version": kalmar_dialogue.submission.version,
        "resource_use": "Resurserna används enligt RUS",
        "priorities-TOTAL_FORMS": "0",
        "priorities-INITIAL_FORMS": "0",
        "results-TOTAL_FORMS": "0",
        "results-INITIAL_FORMS": "0",
        "submit": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk]), data)

    [message] = mail.outbox
    assert message.to == [ministry_user.email]
    link = f"http://testserver/dialoger/dialog/{kalmar_dialogue.pk}/inlamning/"
    assert link in message.body
    client.force_login(ministry_user)
    assert "Resurserna används enligt RUS" in client.get(link).content.decode()
