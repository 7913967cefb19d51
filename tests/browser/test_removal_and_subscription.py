"""In Chromium, with axe-core, in Swedish and English: a county's user removes a contact (and is
told why a forum member stays), and a user subscribes to their calendar and the address works
for a calendar program that has never logged in."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from regions.models import Contact
from tests.factories.dialogues import ParticipantFactory
from tests.factories.forum import MeetingFactory
from tests.factories.regions import ContactFactory

from .conftest import assert_accessible, log_in, screenshot
from .test_role_journeys import main_text, switch_language, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_user_removes_a_contact_and_a_dialogue_participant_stays(page, region_user, password, region_a):
    leaving = ContactFactory(name="Lena Lämnar", region=region_a)
    staying = ContactFactory(name="Stina Stannar", region=region_a)
    ParticipantFactory(contact=staying)
    log_in(page, region_user.email, password)

    page.goto(reverse("regions:contact_delete", args=[staying.pk]))
    assert "Den kan inte tas bort så länge de här uppgifterna hänvisar till den:" in main_text(page)
    assert "Deltagare (person): 1" in main_text(page)
    assert page.locator("button.btn-danger").count() == 0
    assert_accessible(page, "contact removal refused")

    page.goto(reverse("regions:contact_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="Ta bort Lena Lämnar").click()
    assert page.locator("h1").inner_text() == "Ta bort kontakten"
    assert_accessible(page, "contact removal")
    screenshot(page, "contact-removal")
    tab_to(page, "button.btn-danger")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Lena Lämnar är borttagen ur kontaktkatalogen." in main_text(page)
    assert not Contact.objects.filter(pk=leaving.pk).exists()
    assert Contact.objects.filter(pk=staying.pk).exists()

    switch_language(page, "en")
    page.goto(reverse("regions:contact_delete", args=[staying.pk]))
    assert "It cannot be removed while these records refer to it:" in main_text(page)
    assert_accessible(page, "contact removal refused in English")
    switch_language(page, "sv")


def test_user_subscribes_and_a_calendar_program_reads_the_address(page, browser, agency_user, password, region_a):
    MeetingFactory(title="Politikerforum i vår")
    log_in(page, agency_user.email, password)
    page.goto(reverse("forum:meeting_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="Prenumerera i Outlook eller Google Kalender").click()
    assert "Du har ingen prenumerationsadress." in main_text(page)
    assert_accessible(page, "calendar subscription")

    with page.expect_navigation():
        page.get_by_role("button", name="Skapa en adress").click()
    address = page.get_by_label("Kopiera den här adressen till ditt kalenderprogram:").input_value()
    assert address.startswith(page.url.split("/forum/")[0] + "/forum/kalender/")
    assert_accessible(page, "calendar subscription with a new address")
    screenshot(page, "calendar-subscription")

    calendar_program = browser.new_context()  # no session: calendar programs never log in
    response = calendar_program.request.get(address)
    assert response.status == 200
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(response.body()).walk("VEVENT")]
    assert summaries == ["Politikerforum i vår"]

    page.reload()
    assert page.get_by_label("Kopiera den här adressen till ditt kalenderprogram:").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng av adressen").click()
    assert "Adressen fungerar inte längre." in main_text(page)
    assert calendar_program.request.get(address).status == 404
    calendar_program.close()

    switch_language(page, "en")
    page.goto(reverse("portal:calendar_subscription"))
    assert page.locator("h1").inner_text() == "Subscribe in your calendar"
    assert_accessible(page, "calendar subscription in English")
    switch_language(page, "sv")
