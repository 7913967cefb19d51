"""Several users per county in Chromium (issue 18): Kalmar's director invites an analyst, who opens
the link, chooses a password, logs in, drafts the submission and sees that only the director may
send it in; the director sends it. axe-core checks every page on the way."""

import re

import pytest
from django.urls import reverse

from accounts.choices import CountyRole, Role
from accounts.models import User
from core.models import OutgoingMail
from dialogues import services
from dialogues.models import Dialogue, Submission

from .conftest import assert_accessible, log_in
from .test_role_journeys import (
    DEMO_PASSWORD,
    demo,  # noqa: F401 - a fixture: the demo data loaded
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANALYST = "ny.analytiker@regionkalmar.test"
ANALYST_PASSWORD = "Analysera-länet-2026!"


def _submit(page) -> None:
    with page.expect_navigation():
        page.locator("#main form[method=post] button[type=submit]").last.click()


@pytest.mark.usefixtures("demo")
def test_director_invites_an_analyst_who_drafts_and_the_director_submits(page):
    dialogue = Dialogue.objects.filter(region__code="08", kind="annual").order_by("-round__year").first()
    if dialogue.round.status == "planning":  # the demo's latest round waits for the ministry to open it
        services.round_open(dialogue_round=dialogue.round, regions=[dialogue.region])

    # Kalmar's director invites an analyst as an editor of the county.
    log_in(page, "kalmar@demo.test", DEMO_PASSWORD)
    page.goto(reverse("user_list"))
    assert_accessible(page, "the county's users")
    assert "Anders Analys" in page.locator("#main").inner_text()  # the demo's editor of Kalmar
    with page.expect_navigation():
        page.locator("#main a[href$='/konto/bjud-in/']").click()
    assert_accessible(page, "invitation form")
    page.fill("#id_email", ANALYST)
    page.select_option("#id_county_role", CountyRole.EDITOR)
    _submit(page)
    assert page.locator(".alert-success").count() == 1
    assert ANALYST in page.locator("#main").inner_text()  # waiting in the list of open invitations
    mail = OutgoingMail.objects.get(recipient=ANALYST)
    link = re.search(r"\S*(/konto/inbjudan/\S+/)", mail.body)[1]

    # The analyst, not logged in, opens the link and chooses a name and a password.
    page.context.clear_cookies()
    page.goto(link)
    assert_accessible(page, "invitation page")
    page.fill("#id_full_name", "Nora Analytiker")
    page.fill("#id_password1", ANALYST_PASSWORD)
    page.fill("#id_password2", ANALYST_PASSWORD)
    _submit(page)
    assert page.url.endswith(reverse("login"))
    analyst = User.objects.get(email=ANALYST)
    assert (analyst.role, analyst.region.code, analyst.county_role) == (Role.REGION, "08", CountyRole.EDITOR)
    page.goto(link)  # the link works once
    assert page.locator("#main .alert-warning").count() == 1
    assert page.locator("#id_password1").count() == 0

    # The analyst logs in and drafts the submission; there is no button to send it in.
    log_in(page, ANALYST, ANALYST_PASSWORD)
    page.goto(reverse("dialogues:submission_edit", args=[dialogue.pk]))
    page.fill("#id_priorities-0-rank", "1")
    page.select_option("#id_priorities-0-strategy_priority", index=1)
    page.fill("#id_priorities-0-rationale", "Kompetensförsörjningen, skriven av analytikern.")
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    submission = Submission.objects.get(dialogue=dialogue)
    assert submission.status == "draft"
    assert submission.priorities.get().rationale == "Kompetensförsörjningen, skriven av analytikern."
    page.goto(reverse("dialogues:submission_edit", args=[dialogue.pk]))
    assert page.locator("button[name=submit]").count() == 0
    assert "Karin Kalmar" in page.locator("#submit-explanation").inner_text()
    assert_accessible(page, "the editor's submission form")
    page.goto(reverse("user_list"))  # an editor keeps no accounts
    assert page.locator("h1").inner_text() != "Användare"

    # The director sends it in.
    page.context.clear_cookies()
    log_in(page, "kalmar@demo.test", DEMO_PASSWORD)
    page.goto(reverse("dialogues:submission_edit", args=[dialogue.pk]))
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert submission.versions.get().submitted_by.email == "kalmar@demo.test"
    assert page.locator(".alert-success").count() == 1
