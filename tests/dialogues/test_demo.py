import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from dialogues.choices import RoundStatus
from dialogues.models import Dialogue, DialogueRound, FollowUpAction, Observation
from regions.models import GoodExample

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (DialogueRound, Dialogue, Observation, FollowUpAction, GoodExample)
    }


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo")


def test_demo_has_the_2015_round_with_21_dialogues_and_the_seeds_feedback(demo):
    round_2015 = DialogueRound.objects.get(year=2015)
    assert round_2015.title == "Regionala utvecklingsdialoger 2015"
    assert round_2015.status == RoundStatus.CLOSED
    assert round_2015.dialogues.filter(status="held", start__year=2015, start__month__lte=5).count() == 21
    titles = set(Observation.objects.filter(dialogue__round=round_2015).values_list("title", flat=True))
    assert {
        "Stor regional variation",
        "Svag koppling mellan fördelning av medel och RUS",
        "Resultat? Brister hos alla",
    } <= titles
    assert "Analyskapacitet och mottagarkapacitet återkommande utmaning" in titles
    assert Observation.objects.filter(is_good_example=True, good_example__isnull=False).count() == 6
    assert "Bilaterala samtal" in round_2015.take_forward


def test_demo_2016_round_is_in_planning_with_the_carried_actions(demo):
    round_2016 = DialogueRound.objects.get(year=2016)
    assert round_2016.status == RoundStatus.PLANNING
    assert round_2016.focus.startswith("Fokus 2016: Utvecklade metoder för uppföljning, lärande, prioritering")
    kalmar = round_2016.dialogues.get(region__code="08")
    carried = kalmar.actions.filter(carried_from__isnull=False)
    assert carried.count() == 2  # the finished 2015 action stays behind
    assert not carried.filter(status="done").exists()


def test_demo_loaded_twice_changes_nothing(demo):
    before = _counts()
    call_command("load_demo")
    assert _counts() == before


def test_demo_flow_ministry_opens_2016_and_kalmar_sees_its_dialogue_kronoberg_does_not(demo, client):
    round_2016 = DialogueRound.objects.get(year=2016)
    client.force_login(User.objects.get(email="departementet@demo.test"))
    html = client.get(round_2016.get_absolute_url()).content.decode()
    assert "Slutsatser från Regionala utvecklingsdialoger 2015" in html
    client.post(
        reverse("dialogues:round_open", args=[round_2016.pk]),
        {"regions": list(round_2016.dialogues.values_list("region", flat=True))},
    )
    round_2016.refresh_from_db()
    assert round_2016.status == RoundStatus.OPEN

    kalmar_dialogue = round_2016.dialogues.get(region__code="08")
    client.force_login(User.objects.get(email="kalmar@demo.test"))
    start = client.get(reverse("home")).content.decode()
    assert "Regionala utvecklingsdialoger 2016" in start
    assert "Koppla fördelningen av 1:1-medlen" in start
    client.force_login(User.objects.get(email="kronoberg@demo.test"))
    assert client.get(kalmar_dialogue.get_absolute_url()).status_code == 404


def test_done_when_the_whole_2016_flow_works_as_a_new_user_would_try_it(demo, client):
    """The issue's "done when": open, schedule, draft, submit, return, resubmit, record, overview, separation."""
    ministry = User.objects.get(email="departementet@demo.test")
    kalmar_user = User.objects.get(email="kalmar@demo.test")
    round_2016 = DialogueRound.objects.get(year=2016)
    dialogue = round_2016.dialogues.get(region__code="08")
    from regions.models import Contact, StrategyPriority

    # The ministry opens the round for every county and schedules Kalmar's dialogue with participants.
    client.force_login(ministry)
    all_regions = list(round_2016.dialogues.values_list("region", flat=True))
    client.post(reverse("dialogues:round_open", args=[round_2016.pk]), {"regions": all_regions})
    day = round_2016.submission_deadline + datetime.timedelta(days=7)
    contacts = list(Contact.objects.filter(name__in=["Karin Kalmar", "Eva Exempelsson (demo)"]).order_by("name"))
    schedule = {
        "start": f"{day}T09:30",
        "end": f"{day}T12:00",
        "place": "Regionens hus, Kalmar",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
    }
    for index, (contact, side) in enumerate(zip(contacts, ["agency", "region"], strict=True)):
        schedule |= {f"participants-{index}-contact": contact.pk, f"participants-{index}-side": side}
    client.post(reverse("dialogues:dialogue_schedule", args=[dialogue.pk]), schedule)
    assert dialogue.participants.count() == 2

    # Kalmar's director drafts and submits; the ministry returns it; Kalmar resubmits.
    priority = StrategyPriority.objects.filter(  # of Kalmar's strategy in force in 2016
        strategy__region__code="08", strategy__start_year__lte=2016, strategy__end_year__gte=2016
    ).first()
    edit_url = reverse("dialogues:submission_edit", args=[dialogue.pk])

    def post_submission(text, version):
        data = {
            "version": version,
            "resource_use": text,
            "priorities-TOTAL_FORMS": "1",
            "priorities-INITIAL_FORMS": "0",
            "priorities-0-rank": "1",
            "priorities-0-strategy_priority": priority.pk,
            "results-TOTAL_FORMS": "0",
            "results-INITIAL_FORMS": "0",
            "submit": "1",
        }
        return client.post(edit_url, data, follow=True)

    client.force_login(kalmar_user)
    assert "Din inlämning har skickats" in post_submission("Första versionen", 1).content.decode()
    client.force_login(ministry)
    client.post(reverse("dialogues:submission_return", args=[dialogue.pk]), {"comment": "Beskriv resultaten."})
    client.force_login(kalmar_user)
    dialogue.submission.refresh_from_db()
    post_submission("Andra versionen med resultat", dialogue.submission.version)
    assert dialogue.submission.versions.count() == 2

    # The ministry records an observation and an action, marks the dialogue held; the overview shows it.
    client.force_login(ministry)
    client.post(
        reverse("dialogues:observation_create", args=[dialogue.pk]),
        {"category": "results", "title": "Tydligare resultat 2016", "shared_with_region": "on"},
    )
    client.post(
        reverse("dialogues:action_create", args=[dialogue.pk]),
        {"what": "Ta fram indikatorer till 2017", "owner": "Region Kalmar län", "status": "open"},
    )
    overview = client.get(round_2016.get_absolute_url(), {"submission": "submitted"}).content.decode()
    assert "Kalmar län" in overview and "Blekinge län" not in overview

    # Kronoberg reaches none of it, by page, export or search.
    client.force_login(User.objects.get(email="kronoberg@demo.test"))
    for url in (
        dialogue.get_absolute_url(),
        reverse("dialogues:submission_detail", args=[dialogue.pk]),
        reverse("dialogues:submission_versions", args=[dialogue.pk]),
        reverse("dialogues:dialogue_ics", args=[dialogue.pk]),
    ):
        assert client.get(url).status_code == 404
    export = client.get(reverse("dialogues:round_export_csv", args=[round_2016.pk])).content.decode("utf-8-sig")
    assert "Kalmar" not in export
    search = client.get(reverse("dialogues:search"), {"q": "resultat"}).content.decode()
    assert "Tydligare resultat 2016" not in search
    assert "Andra versionen" not in search
