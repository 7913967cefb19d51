import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from dialogues import services
from dialogues.choices import DialogueKind, RoundStatus, SubmissionStatus
from dialogues.models import DialogueRound, FollowUpAction, Observation
from tests.factories.dialogues import (
    BriefFactory,
    DialogueFactory,
    DialogueRoundFactory,
    FollowUpActionFactory,
    ObservationFactory,
)
from tests.factories.regions import ContactFactory

pytestmark = pytest.mark.django_db


def _html(response):
    return response.content.decode()


@pytest.fixture
def kalmar_material(kalmar_dialogue, region_user):
    """Everything of Kalmar's a URL can reach: a submitted submission, observations, an action, a brief."""
    services.submission_save_draft(
        submission=kalmar_dialogue.submission,
        expected_version=1,
        resource_use="Kalmars hemliga resursanvändning",
        priorities=[],
        results=[],
    )
    services.submission_submit(submission=kalmar_dialogue.submission, user=region_user)
    return {
        "dialogue": kalmar_dialogue,
        "shared": ObservationFactory(dialogue=kalmar_dialogue, title="Kalmars delade iakttagelse"),
        "unshared": ObservationFactory(
            dialogue=kalmar_dialogue, title="Kalmars interna iakttagelse", shared_with_region=False
        ),
        "action": FollowUpActionFactory(dialogue=kalmar_dialogue, what="Kalmars åtgärd"),
        "brief": BriefFactory(dialogue=kalmar_dialogue, text="Kalmars underlag från TVV"),
    }


def _kalmar_urls(material):
    pk = material["dialogue"].pk
    return [
        reverse("dialogues:dialogue_detail", args=[pk]),
        reverse("dialogues:dialogue_schedule", args=[pk]),
        reverse("dialogues:dialogue_ics", args=[pk]),
        reverse("dialogues:brief_edit", args=[pk]),
        reverse("dialogues:observation_create", args=[pk]),
        reverse("dialogues:action_create", args=[pk]),
        reverse("dialogues:submission_detail", args=[pk]),
        reverse("dialogues:submission_edit", args=[pk]),
        reverse("dialogues:submission_versions", args=[pk]),
        reverse("dialogues:submission_return", args=[pk]),
        reverse("dialogues:observation_update", args=[material["shared"].pk]),
        reverse("dialogues:observation_update", args=[material["unshared"].pk]),
        reverse("dialogues:action_update", args=[material["action"].pk]),
    ]


def test_other_countys_user_gets_404_on_every_kalmar_url_and_changes_nothing(
    client, other_region_user, kalmar_material
):
    client.force_login(other_region_user)
    pk = kalmar_material["dialogue"].pk
    pages_without_a_form = {
        kalmar_material["dialogue"].get_absolute_url(),
        reverse("dialogues:dialogue_ics", args=[pk]),
    }
    for url in _kalmar_urls(kalmar_material):
        assert client.get(url).status_code == 404, url
        if url not in pages_without_a_form:
            response = client.post(url, {"comment": "x", "what": "x", "text": "x", "status": "done"})
            assert response.status_code == 404, url
    for name in ("submission_accept", "dialogue_status"):
        assert client.post(reverse(f"dialogues:{name}", args=[pk]), {"status": "held"}).status_code == 404
    kalmar_material["dialogue"].submission.refresh_from_db()
    assert kalmar_material["dialogue"].submission.status == SubmissionStatus.SUBMITTED
    assert FollowUpAction.objects.get(pk=kalmar_material["action"].pk).status == "open"


def test_other_countys_user_never_sees_kalmar_in_lists(client, other_region_user, kalmar_material, kronoberg_dialogue):
    client.force_login(other_region_user)
    dialogue_round = kalmar_material["dialogue"].round
    pages = [reverse("dialogues:round_list"), dialogue_round.get_absolute_url(), reverse("home")]
    for url in pages:
        html = _html(client.get(url))
        assert "Kalmar" not in html, url
    assert "Kronobergs län" in _html(client.get(dialogue_round.get_absolute_url()))


def test_own_county_sees_shared_observations_but_never_briefs_or_unshared_ones(client, region_user, kalmar_material):
    client.force_login(region_user)
    html = _html(client.get(kalmar_material["dialogue"].get_absolute_url()))
    assert "Kalmars delade iakttagelse" in html
    assert "Kalmars åtgärd" in html
    assert "Kalmars interna iakttagelse" not in html
    assert "Kalmars underlag från TVV" not in html
    assert client.get(reverse("dialogues:brief_edit", args=[kalmar_material["dialogue"].pk])).status_code == 404
    unshared = reverse("dialogues:observation_update", args=[kalmar_material["unshared"].pk])
    assert client.get(unshared).status_code == 404


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY])
def test_national_staff_read_the_brief_and_every_observation_on_the_dialogue_page(
    client, user_by_role, role, kalmar_material
):
    client.force_login(user_by_role[role])
    html = _html(client.get(kalmar_material["dialogue"].get_absolute_url()))
    assert "Kalmars underlag från TVV" in html
    assert "Kalmars interna iakttagelse" in html
    assert ("Skriv underlaget" in html or "Ändra underlaget" in html) is (role == Role.AGENCY)


@pytest.mark.parametrize(
    ("role", "status"), [(Role.MINISTRY, 403), (Role.AGENCY, 200), (Role.REGION, 404), (Role.ADMIN, 200)]
)
def test_brief_edit_is_for_the_agency(client, user_by_role, role, status, kalmar_dialogue):
    client.force_login(user_by_role[role])
    response = client.get(reverse("dialogues:brief_edit", args=[kalmar_dialogue.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Länet ser det aldrig" in _html(response)


def test_brief_write_by_the_agency_is_read_by_the_ministry(client, agency_user, ministry_user, kalmar_dialogue):
    client.force_login(agency_user)
    response = client.post(
        reverse("dialogues:brief_edit", args=[kalmar_dialogue.pk]), {"text": "Länet har god analys."}
    )
    assert response.status_code == 302
    client.force_login(ministry_user)
    assert "Länet har god analys." in _html(client.get(kalmar_dialogue.get_absolute_url()))


@pytest.mark.parametrize(("role", "allowed"), [(Role.MINISTRY, True), (Role.AGENCY, False), (Role.REGION, False)])
def test_round_create_is_for_the_ministry(client, user_by_role, role, allowed):
    client.force_login(user_by_role[role])
    response = client.post(
        reverse("dialogues:round_create"),
        {"year": 2017, "title": "Dialoger 2017", "submission_deadline": "2017-02-28", "focus": "Resultat"},
    )
    assert DialogueRound.objects.filter(year=2017).exists() is allowed
    assert response.status_code == (302 if allowed else 403)


def test_round_planning_page_shows_the_previous_rounds_conclusions(client, ministry_user):
    DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED, take_forward="Bilaterala samtal")
    planning = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)
    client.force_login(ministry_user)
    assert "Bilaterala samtal" in _html(client.get(reverse("dialogues:round_update", args=[planning.pk])))
    assert "Bilaterala samtal" in _html(client.get(planning.get_absolute_url()))


def test_round_in_planning_does_not_exist_for_counties(client, region_user, region_a):
    planning = DialogueRoundFactory(status=RoundStatus.PLANNING, title="Hemlig planering")
    DialogueFactory(round=planning, region=region_a)
    client.force_login(region_user)
    assert client.get(planning.get_absolute_url()).status_code == 404
    assert "Hemlig planering" not in _html(client.get(reverse("dialogues:round_list")))


def test_round_open_page_opens_the_round_for_the_chosen_counties(client, ministry_user, region_a, region_b):
    planning = DialogueRoundFactory(status=RoundStatus.PLANNING)
    client.force_login(ministry_user)
    response = client.post(reverse("dialogues:round_open", args=[planning.pk]), {"regions": [region_a.pk]}, follow=True)
    assert "Omgången är öppen" in _html(response)
    assert list(planning.dialogues.values_list("region__name", flat=True)) == ["Kalmar län"]


def test_round_overview_filters_by_submission_status(client, ministry_user, kalmar_material, kronoberg_dialogue):
    client.force_login(ministry_user)
    url = kalmar_material["dialogue"].round.get_absolute_url()
    html = _html(client.get(url, {"submission": "submitted"}))
    assert "Kalmar län" in html
    assert "Kronobergs län" not in html
    html = _html(client.get(url))
    assert "Kronobergs län" in html


def test_dialogue_schedule_page_saves_time_and_participants_and_shows_warnings(client, ministry_user, kalmar_dialogue):
    person = ContactFactory(name="Eva Exempelsson")
    late = kalmar_dialogue.round.ends_on + datetime.timedelta(days=1)
    client.force_login(ministry_user)
    response = client.post(
        reverse("dialogues:dialogue_schedule", args=[kalmar_dialogue.pk]),
        {
            "start": f"{late}T09:00",
            "end": f"{late}T11:00",
            "place": "Kalmar slott",
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "0",
            "participants-0-contact": person.pk,
            "participants-0-side": "agency",
        },
        follow=True,
    )
    html = _html(response)
    assert "Dialogen är schemalagd" in html
    assert "efter omgångens sista dag" in html
    assert "Eva Exempelsson" in html
    assert "Kalmar slott" in html


def test_dialogue_schedule_without_place_or_link_is_refused(client, ministry_user, kalmar_dialogue):
    client.force_login(ministry_user)
    day = kalmar_dialogue.round.submission_deadline
    response = client.post(
        reverse("dialogues:dialogue_schedule", args=[kalmar_dialogue.pk]),
        {
            "start": f"{day}T09:00",
            "end": f"{day}T08:00",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
        },
    )
    html = _html(response)
    assert "Ange en plats eller en videolänk" in html
    assert "Dialogen måste sluta efter att den börjar" in html
    kalmar_dialogue.refresh_from_db()
    assert kalmar_dialogue.start is None


def _submission_post(version, *, text="Resurserna används enligt RUS", priority=None, submit=False, rank=1):
    data = {
        "version": version,
        "resource_use": text,
        "priorities-TOTAL_FORMS": "1" if priority else "0",
        "priorities-INITIAL_FORMS": "0",
        "results-TOTAL_FORMS": "1",
        "results-INITIAL_FORMS": "0",
        "results-0-indicator": "Nya arbetstillfällen",
        "results-0-baseline": "0",
        "results-0-target": "100",
    }
    if priority:
        data |= {
            "priorities-0-rank": rank,
            "priorities-0-strategy_priority": priority.pk,
            "priorities-0-rationale": "Ja",
        }
    if submit:
        data["submit"] = "1"
    return data


def test_submission_edit_offers_only_the_countys_own_rus_priorities(
    client, region_user, kalmar_dialogue, kalmar_priorities, kronoberg_priority
):
    client.force_login(region_user)
    html = _html(client.get(reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])))
    assert "Konkurrenskraftigt näringsliv" in html
    assert "Insatslogik i Kronoberg" not in html
    response = client.post(
        reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk]),
        _submission_post(1, priority=kronoberg_priority),
    )
    assert "Välj ett giltigt alternativ" in _html(response)
    assert not kalmar_dialogue.submission.priorities.exists()


def test_submission_draft_submit_return_resubmit_and_compare(
    client, region_user, ministry_user, kalmar_dialogue, kalmar_priorities
):
    edit_url = reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])
    client.force_login(region_user)
    response = client.post(
        edit_url, _submission_post(1, priority=kalmar_priorities[0], text="Första texten"), follow=True
    )
    assert "Ditt utkast har sparats" in _html(response)
    response = client.post(
        edit_url, _submission_post(2, priority=kalmar_priorities[0], text="Första texten", submit=True), follow=True
    )
    assert "Din inlämning har skickats till departementet" in _html(response)

    client.force_login(ministry_user)
    detail = _html(client.get(reverse("dialogues:submission_detail", args=[kalmar_dialogue.pk])))
    assert "Första texten" in detail
    response = client.post(
        reverse("dialogues:submission_return", args=[kalmar_dialogue.pk]),
        {"comment": "Lägg till resultat."},
        follow=True,
    )
    assert "Inlämningen har returnerats till länet" in _html(response)

    client.force_login(region_user)
    detail = _html(client.get(reverse("dialogues:submission_detail", args=[kalmar_dialogue.pk])))
    assert "Lägg till resultat." in detail
    kalmar_dialogue.submission.refresh_from_db()
    version = kalmar_dialogue.submission.version
    client.post(edit_url, _submission_post(version, priority=kalmar_priorities[1], text="Andra texten", submit=True))

    compare = _html(client.get(reverse("dialogues:submission_versions", args=[kalmar_dialogue.pk]), {"a": 1, "b": 2}))
    assert "Första texten" in compare
    assert "Andra texten" in compare
    assert "1. Attraktiva livsmiljöer" in compare
    assert "1. Konkurrenskraftigt näringsliv" not in compare  # rank 1 now points at priority 2
    assert "2. Konkurrenskraftigt näringsliv" in compare
    assert compare.count("ändrad") >= 2


def test_submission_concurrent_draft_save_is_refused_and_keeps_the_users_text(client, region_user, kalmar_dialogue):
    edit_url = reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])
    client.force_login(region_user)
    client.post(edit_url, _submission_post(1, text="Kollegans text"))
    response = client.post(edit_url, _submission_post(1, text="Min egen text som inte får försvinna"))
    html = _html(response)
    assert "Någon annan sparade detta" in html
    assert "Min egen text som inte får försvinna" in html
    kalmar_dialogue.submission.refresh_from_db()
    assert kalmar_dialogue.submission.resource_use == "Kollegans text"


def test_submission_edit_after_the_deadline_is_refused_with_a_clear_message(client, region_user, kalmar_dialogue):
    kalmar_dialogue.round.submission_deadline = timezone.localdate() - datetime.timedelta(days=2)
    kalmar_dialogue.round.save()
    client.force_login(region_user)
    response = client.post(
        reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk]), _submission_post(1), follow=True
    )
    assert "har passerat" in _html(response)
    kalmar_dialogue.submission.refresh_from_db()
    assert kalmar_dialogue.submission.resource_use == ""


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY])
def test_national_staff_cannot_edit_a_countys_submission(client, user_by_role, role, kalmar_material):
    client.force_login(user_by_role[role])
    response = client.get(reverse("dialogues:submission_edit", args=[kalmar_material["dialogue"].pk]))
    assert response.status_code == 403


def test_draft_submission_does_not_exist_for_the_ministry(client, ministry_user, kalmar_dialogue):
    client.force_login(ministry_user)
    assert client.get(reverse("dialogues:submission_detail", args=[kalmar_dialogue.pk])).status_code == 404
    assert "Läs inlämningen" not in _html(client.get(kalmar_dialogue.get_absolute_url()))


@pytest.mark.parametrize(("role", "allowed"), [(Role.MINISTRY, True), (Role.AGENCY, False), (Role.REGION, False)])
def test_submission_accept_is_for_the_ministry(client, user_by_role, role, allowed, kalmar_material):
    client.force_login(user_by_role[role])
    client.post(reverse("dialogues:submission_accept", args=[kalmar_material["dialogue"].pk]))
    kalmar_material["dialogue"].submission.refresh_from_db()
    expected = SubmissionStatus.ACCEPTED if allowed else SubmissionStatus.SUBMITTED
    assert kalmar_material["dialogue"].submission.status == expected


def test_observation_recorded_by_the_ministry_as_good_example_appears_on_the_page(
    client, ministry_user, kalmar_dialogue
):
    client.force_login(ministry_user)
    response = client.post(
        reverse("dialogues:observation_create", args=[kalmar_dialogue.pk]),
        {
            "category": "learning",
            "title": "Analyssamverkan",
            "text": "Med universitetet",
            "is_good_example": "on",
            "shared_with_region": "on",
        },
        follow=True,
    )
    html = _html(response)
    assert "Analyssamverkan" in html
    assert "Gott exempel" in html
    assert Observation.objects.get().good_example.title == "Analyssamverkan"


@pytest.mark.parametrize("role", [Role.AGENCY, Role.REGION])
def test_observation_and_action_create_are_refused_outside_the_ministry(client, user_by_role, role, kalmar_dialogue):
    client.force_login(user_by_role[role])
    for name in ("observation_create", "action_create"):
        response = client.post(reverse(f"dialogues:{name}", args=[kalmar_dialogue.pk]), {"title": "x", "what": "x"})
        assert response.status_code == 403
    assert not Observation.objects.exists()
    assert not FollowUpAction.objects.exists()


def test_region_updates_progress_of_its_own_action_but_not_its_wording(client, region_user, kalmar_dialogue):
    action = FollowUpActionFactory(dialogue=kalmar_dialogue, what="Ta fram indikatorer")
    client.force_login(region_user)
    response = client.post(
        reverse("dialogues:action_update", args=[action.pk]),
        {"status": "in_progress", "progress": "Första utkastet klart", "what": "Något annat"},
        follow=True,
    )
    assert "Första utkastet klart" in _html(response)
    action.refresh_from_db()
    assert (action.status, action.progress, action.what) == (
        "in_progress",
        "Första utkastet klart",
        "Ta fram indikatorer",
    )


def test_agency_cannot_update_actions(client, agency_user, kalmar_dialogue):
    action = FollowUpActionFactory(dialogue=kalmar_dialogue)
    client.force_login(agency_user)
    assert client.post(reverse("dialogues:action_update", args=[action.pk]), {"status": "done"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_dialogue_page_shows_what_has_developed_since_last_time(client, region_user, region_a):
    old = DialogueFactory(round=DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED), region=region_a)
    FollowUpActionFactory(dialogue=old, what="Utveckla resultatredovisningen")
    ObservationFactory(dialogue=old, title="Resultat? Brister hos alla")
    ObservationFactory(dialogue=old, title="Intern anteckning 2015", shared_with_region=False)
    new_round = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)
    services.round_open(dialogue_round=new_round, regions=[region_a])
    client.force_login(region_user)
    html = _html(client.get(new_round.dialogues.get().get_absolute_url()))
    assert "Vad har utvecklats sedan förra gången?" in html
    assert "Resultat? Brister hos alla" in html
    assert "Intern anteckning 2015" not in html
    assert html.count("Utveckla resultatredovisningen</p>") == 2  # then, and carried into this dialogue
    assert "överförd från föregående omgång" in html


def test_bilateral_talks_can_be_added_to_an_open_round(client, ministry_user, open_round, region_a):
    client.force_login(ministry_user)
    response = client.post(
        reverse("dialogues:dialogue_create", args=[open_round.pk]),
        {"region": region_a.pk, "kind": DialogueKind.DEEP_DIVE, "topic": "Kompetensförsörjning"},
        follow=True,
    )
    assert "Kompetensförsörjning" in _html(response)
    assert open_round.dialogues.get().kind == DialogueKind.DEEP_DIVE


def test_round_close_by_the_ministry(client, ministry_user, agency_user, open_round):
    client.force_login(agency_user)
    assert client.post(reverse("dialogues:round_close", args=[open_round.pk]), {"confirm": "on"}).status_code == 403
    client.force_login(ministry_user)
    response = client.post(reverse("dialogues:round_close", args=[open_round.pk]), {"confirm": "on"}, follow=True)
    assert "Omgången är stängd" in _html(response)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED


def test_round_list_counts_only_the_countys_own_dialogues(client, region_user, kalmar_dialogue, kronoberg_dialogue):
    client.force_login(region_user)
    html = _html(client.get(reverse("dialogues:round_list")))
    assert '<td class="text-end">1</td>' in html


def test_round_conclusions_recorded_by_the_ministry_open_the_next_rounds_planning(client, ministry_user, agency_user):
    closed = DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED)
    planning = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)
    client.force_login(agency_user)
    assert client.post(reverse("dialogues:round_conclusions", args=[closed.pk]), {"findings": "x"}).status_code == 403
    client.force_login(ministry_user)
    client.post(
        reverse("dialogues:round_conclusions", args=[closed.pk]),
        {"findings": "Stor regional variation", "take_forward": "Fördjupningar", "next_focus": "Identifiera resultat"},
    )
    html = _html(client.get(planning.get_absolute_url()))
    assert "Slutsatser från" in html
    assert "Identifiera resultat" in html
    assert "Fördjupningar" in html


def test_dialogue_marked_held_only_once_scheduled(client, ministry_user, kalmar_dialogue):
    client.force_login(ministry_user)
    url = reverse("dialogues:dialogue_status", args=[kalmar_dialogue.pk])
    response = client.post(url, {"status": "held"}, follow=True)
    assert "Schemalägg dialogen innan" in _html(response)
    day = timezone.localdate() - datetime.timedelta(days=2)  # held on its day, not before (test_round_close.py)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    services.dialogue_schedule(dialogue=kalmar_dialogue, start=start, end=start, place="Kalmar")
    response = client.post(url, {"status": "held"}, follow=True)
    assert "Dialogen är nu markerad som genomförd" in _html(response)
    kalmar_dialogue.refresh_from_db()
    assert kalmar_dialogue.status == "held"


def test_observation_edit_unmarking_a_good_example_removes_it_from_the_profile(client, ministry_user, kalmar_dialogue):
    from regions.models import GoodExample

    observation = services.observation_create(
        dialogue=kalmar_dialogue, author=None, category="learning", title="Lärande", is_good_example=True
    )
    client.force_login(ministry_user)
    client.post(
        reverse("dialogues:observation_update", args=[observation.pk]),
        {"category": "learning", "title": "Lärande", "text": "", "shared_with_region": "on"},
    )
    observation.refresh_from_db()
    assert (observation.is_good_example, observation.shared_with_region) == (False, True)
    assert not GoodExample.objects.exists()


def test_action_carried_into_the_next_round_is_updated_there_not_on_the_old_dialogue(client, region_user, region_a):
    old = DialogueFactory(round=DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED), region=region_a)
    action = FollowUpActionFactory(dialogue=old, what="Utveckla resultatredovisningen")
    services.round_open(dialogue_round=DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING), regions=[region_a])
    client.force_login(region_user)
    html = _html(client.get(old.get_absolute_url()))
    assert "förd vidare till nästa omgång" in html
    assert reverse("dialogues:action_update", args=[action.pk]) not in html


def test_start_page_lists_the_first_overdue_actions_and_says_how_many_more(client, ministry_user):
    from tests.factories.dialogues import DialogueFactory, FollowUpActionFactory

    dialogue = DialogueFactory()
    for n in range(11):
        FollowUpActionFactory(dialogue=dialogue, what=f"Försenad åtgärd {n:02d}", due_date=datetime.date(2020, 1, 1))
    client.force_login(ministry_user)
    html = client.get("/").content.decode()
    assert html.count("Försenad åtgärd") == 8
    assert "och 3 till" in html
