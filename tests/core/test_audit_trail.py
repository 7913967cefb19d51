"""The audit trail on a record's page: who changed what and when, for the ministry and admins (issue 7)."""

from decimal import Decimal

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from accounts.choices import Role
from accounts.rules import can_read_audit
from core.audit import AUDIT_TRAIL_LIMIT, audit_entries_for, audit_trail
from dialogues import services
from reports import services as report_services
from reports.choices import ReportStatus
from tests.factories.dialogues import (
    BriefFactory,
    DialogueFactory,
    DialogueRoundFactory,
    FeedbackReportFactory,
    FollowUpActionFactory,
    ObservationFactory,
    SubmissionFactory,
)
from tests.factories.followup import AllocationFactory, ExpenditureFactory
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory
from tests.helpers import USER_ADMIN_INLINES
from tests.pages import HISTORY_SIZES, assert_trail_shows, log_older_changes

pytestmark = pytest.mark.django_db

HISTORY = "Ändringshistorik"


@pytest.fixture
def dialogue(region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    SubmissionFactory(dialogue=dialogue)
    return dialogue


@pytest.fixture
def priorities(region_a):
    strategy = RegionalStrategyFactory(region=region_a, title="RUS Kalmar")
    return [
        StrategyPriorityFactory(strategy=strategy, number=1, title="Attraktiva livsmiljöer"),
        StrategyPriorityFactory(strategy=strategy, number=2, title="Konkurrenskraftigt näringsliv"),
    ]


def _draft(version, *, text, priority, submit=False):
    data = {
        "version": version,
        "resource_use": text,
        "priorities-TOTAL_FORMS": "1",
        "priorities-INITIAL_FORMS": "0",
        "priorities-0-rank": "1",
        "priorities-0-strategy_priority": priority.pk,
        "priorities-0-rationale": "Länets största utmaning",
        "results-TOTAL_FORMS": "0",
        "results-INITIAL_FORMS": "0",
    }
    return data | ({"submit": "1"} if submit else {})


def _trail_html(response) -> str:
    html = response.content.decode()
    start = html.find('<details class="audit-trail')
    assert start != -1, "no change history on the page"
    return html[start : html.index("</details>", start)]


def test_audit_trail_submission_page_shows_the_ministry_who_changed_what(
    client, region_user, ministry_user, dialogue, priorities
):
    edit_url = reverse("dialogues:submission_edit", args=[dialogue.pk])
    client.force_login(region_user)
    client.post(edit_url, _draft(1, text="Vi satsar på kompetens", priority=priorities[0]))
    client.post(edit_url, _draft(2, text="Vi satsar på kompetens och klimat", priority=priorities[1], submit=True))

    client.force_login(ministry_user)
    trail = _trail_html(client.get(reverse("dialogues:submission_detail", args=[dialogue.pk])))
    assert HISTORY in trail
    assert "Karin Kalmar" in trail
    # The steps of the workflow with their values, in words: who submitted it, from what to what.
    assert "Status:" in trail and "Utkast" in trail and "Inlämnad" in trail
    assert "ändrades till" in trail
    # The county's edits and its priority and result rows: who changed which field, by its name.
    assert "Resursanvändning" in trail
    assert "Inlämnad prioritering" in trail and "Prioritering i RUS" in trail
    assert "Version:" not in trail  # the optimistic-locking counter is bookkeeping, not a change


def test_audit_trail_submission_page_shows_no_drafts_text(client, region_user, ministry_user, dialogue, priorities):
    edit_url = reverse("dialogues:submission_edit", args=[dialogue.pk])
    client.force_login(region_user)
    client.post(edit_url, _draft(1, text="Inskickad text", priority=priorities[0], submit=True))
    client.force_login(ministry_user)
    client.post(reverse("dialogues:submission_return", args=[dialogue.pk]), {"comment": "Komplettera resultaten"})
    client.force_login(region_user)
    dialogue.submission.refresh_from_db()
    version = dialogue.submission.version
    client.post(edit_url, _draft(version, text="Hemligt halvfärdigt utkast", priority=priorities[1]))
    dialogue.submission.refresh_from_db()
    assert dialogue.submission.resource_use == "Hemligt halvfärdigt utkast"

    client.force_login(ministry_user)
    trail = _trail_html(client.get(reverse("dialogues:submission_detail", args=[dialogue.pk])))
    assert "Komplettera resultaten" in trail  # the ministry's return is a step of the workflow
    assert "Returnerad" in trail and "Resursanvändning" in trail
    # No draft's text: national staff read what the county submits, in its versions.
    for draft in ("Inskickad text", "Hemligt halvfärdigt utkast", "Länets största utmaning", "Konkurrenskraftigt"):
        assert draft not in trail
    assert "Värdena visas inte här: läs de inskickade versionerna." in trail
    versions = client.get(reverse("dialogues:submission_detail", args=[dialogue.pk])).content.decode()
    assert "Inskickad text" in versions and "Hemligt halvfärdigt utkast" not in versions


@pytest.mark.parametrize("role", [Role.AGENCY, Role.REGION])
def test_audit_trail_not_shown_to_agency_or_county(client, user_by_role, ministry_user, dialogue, role):
    submission = dialogue.submission
    with set_actor(user_by_role[Role.REGION]):
        submission.resource_use = "Ändrad text"
        submission.save()
        services.submission_submit(submission=submission, user=user_by_role[Role.REGION])
    action = FollowUpActionFactory(dialogue=dialogue, what="Ta fram en plan")
    with set_actor(ministry_user):
        action.owner = "Region Kalmar län"
        action.save()
    user = user_by_role[role]
    client.force_login(user)
    pages = [reverse("dialogues:submission_detail", args=[dialogue.pk])]
    if role == Role.REGION:
        pages.append(reverse("dialogues:action_update", args=[action.pk]))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert HISTORY not in response.content.decode(), url
        assert "audit-trail" not in response.content.decode(), url


@pytest.mark.parametrize("role", list(Role))
def test_can_read_audit_only_ministry_and_admin(user_by_role, role):
    assert can_read_audit(user_by_role[role]) == (role in (Role.MINISTRY, Role.ADMIN))


def test_audit_trail_escapes_the_changed_text(client, ministry_user, dialogue):
    observation = ObservationFactory(dialogue=dialogue, title="Tydlig styrning")
    client.force_login(ministry_user)
    url = reverse("dialogues:observation_update", args=[observation.pk])
    client.post(
        url,
        {"category": observation.category, "title": "<script>alert('x')</script>", "text": "<b>fet</b>"},
    )
    observation.refresh_from_db()
    assert observation.title == "<script>alert('x')</script>"
    trail = _trail_html(client.get(url))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in trail
    assert "<script>" not in trail and "<b>fet</b>" not in trail
    assert "Tydlig styrning" in trail and "Maria Departementet" in trail


def test_audit_trail_on_each_object_page_for_the_ministry(client, ministry_user, region_a, dialogue):
    with set_actor(ministry_user):
        observation = ObservationFactory(dialogue=dialogue, title="Iakttagelse om styrning")
        action = FollowUpActionFactory(dialogue=dialogue, what="Åtgärd om kompetens")
        brief = BriefFactory(dialogue=dialogue, text="Första underlaget")
        allocation = AllocationFactory(region=region_a)
        ExpenditureFactory(allocation=allocation, description="Stöd till klusterprojekt")
        report = FeedbackReportFactory(round=dialogue.round, region=region_a, status=ReportStatus.DONE)
    services.brief_save(dialogue=dialogue, text="Andra underlaget", author=ministry_user, expected_version=1)
    client.force_login(ministry_user)
    expected = {
        reverse("dialogues:observation_update", args=[observation.pk]): "Iakttagelse om styrning",
        reverse("dialogues:action_update", args=[action.pk]): "Åtgärd om kompetens",
        dialogue.get_absolute_url(): "Andra underlaget",
        reverse("followup:allocation_detail", args=[region_a.slug, allocation.appropriation.year]): "klusterprojekt",
        report.get_absolute_url(): "Maria Departementet",
    }
    for url, text in expected.items():
        trail = _trail_html(client.get(url))
        assert text in trail, url
        assert "<caption>" in trail and 'scope="col"' in trail and 'scope="row"' in trail, url
    brief.refresh_from_db()
    assert "Första underlaget" in _trail_html(client.get(dialogue.get_absolute_url()))


def test_audit_trail_on_the_admin_user_page_shows_the_role_change(client, admin_user, agency_user):
    client.force_login(admin_user)
    url = f"/admin/accounts/user/{agency_user.pk}/change/"
    client.post(
        url,
        {
            "email": agency_user.email,
            "full_name": agency_user.full_name,
            "title": "",
            "organisation": "",
            "role": Role.MINISTRY,
            "region": "",
            "is_active": "on",
            **USER_ADMIN_INLINES,
        },
    )
    trail = _trail_html(client.get(url))
    assert "Roll:" in trail and "Anna Administratör" in trail
    assert "Tillväxtverket" in trail and "Departementet" in trail


def test_audit_trail_shows_the_latest_twenty_and_says_how_many_more(ministry_user, dialogue):
    observation = ObservationFactory(dialogue=dialogue, title="Version 0")
    with set_actor(ministry_user):
        for i in range(1, 25):
            observation.title = f"Version {i}"
            observation.save()
    trail = audit_trail(observation)
    assert trail.total == 25 and len(trail.entries) == 20 and trail.not_shown == 5
    assert trail.entries[0].changes[0].new == "Version 24"


def test_audit_trail_keeps_the_entries_of_deleted_child_rows(ministry_user, region_a):
    allocation = AllocationFactory(region=region_a)
    with set_actor(ministry_user):
        line = ExpenditureFactory(allocation=allocation, description="Borttagen rad")
        line.delete()
    trail = audit_trail(allocation, related=("expenditures",))
    assert [entry.kind for entry in trail.entries[:2]] == ["delete", "create"]
    deleted, created = trail.entries[:2]
    assert any(change.old == "Borttagen rad" for change in deleted.changes)
    assert any(change.new == "Borttagen rad" for change in created.changes)


# --- The number of queries does not grow with the history ------------------------------------
# Each page at a few changes of its own, with and without a longer history before them than the
# page shows (AUDIT_TRAIL_LIMIT entries, then "… older changes are not shown").


@HISTORY_SIZES
@pytest.mark.parametrize("n", (1, 3))
def test_submission_page_queries_do_not_grow_with_changes(
    client, ministry_user, region_user, dialogue, priorities, django_assert_num_queries, n, older
):
    submission = dialogue.submission
    log_older_changes(submission, older, field="resource_use", actor=region_user)
    with set_actor(region_user):
        for i in range(n):
            services.submission_save_draft(
                submission=submission,
                expected_version=submission.version,
                resource_use=f"Text {i}",
                priorities=[{"rank": 1, "strategy_priority": priorities[i % 2], "rationale": f"Skäl {i}"}],
                results=[{"indicator": f"Indikator {i}"}],
            )
        services.submission_submit(submission=submission, user=region_user)
    total = audit_entries_for(submission, related=("priorities", "results")).count()
    client.force_login(ministry_user)
    # user, submission, versions, the trail's entries with actors and total, and the dialogue its
    # creation names (the drafts' values are not shown, so no RUS priority is looked up); its files
    with django_assert_num_queries(6):
        response = client.get(reverse("dialogues:submission_detail", args=[dialogue.pk]))
    trail = _trail_html(response)
    # each save changes the rows in place (a priority and a result): created once, then changed
    assert trail.count("<td>Inlämnad prioritering</td>") == n
    assert trail.count("<td>Inlämnat resultat</td>") == n
    assert_trail_shows(trail, total=total)
    assert total > AUDIT_TRAIL_LIMIT if older else total < AUDIT_TRAIL_LIMIT


@HISTORY_SIZES
@pytest.mark.parametrize("n", (1, 3))
def test_allocation_page_queries_do_not_grow_with_changes(
    client, ministry_user, region_a, django_assert_num_queries, n, older
):
    allocation = AllocationFactory(region=region_a, frame_amount=Decimal(1_000_000))
    log_older_changes(allocation, older, field="conditions", actor=ministry_user)
    with set_actor(ministry_user):
        for i in range(n):
            ExpenditureFactory(allocation=allocation, description=f"Rad {i}", amount=Decimal(1000 + i))
    year = allocation.appropriation.year
    client.force_login(ministry_user)
    # the page's own five, the trail's entries, and the records named: appropriation and county
    with django_assert_num_queries(8):  # with its lines of use a page at a time (their count)
        response = client.get(reverse("followup:allocation_detail", args=[region_a.slug, year]))
    trail = _trail_html(response)
    assert trail.count("Rad ") == n
    assert_trail_shows(trail, total=1 + n + older)  # created, its n lines, the older changes


@HISTORY_SIZES
@pytest.mark.parametrize("n", (1, 3))
def test_observation_page_queries_do_not_grow_with_changes(
    client, ministry_user, dialogue, django_assert_num_queries, n, older
):
    observation = ObservationFactory(dialogue=dialogue)
    log_older_changes(observation, older, field="title", actor=ministry_user)
    with set_actor(ministry_user):
        for i in range(n):
            observation.title = f"Titel {i}"
            observation.save()
    client.force_login(ministry_user)
    # user, observation, the trail's entries, and the dialogue its creation names
    with django_assert_num_queries(4):
        response = client.get(reverse("dialogues:observation_update", args=[observation.pk]))
    assert_trail_shows(_trail_html(response), total=1 + n + older)  # created, changed n times, the older


@HISTORY_SIZES
@pytest.mark.parametrize("n", (1, 3))
def test_action_page_queries_do_not_grow_with_changes(
    client, ministry_user, dialogue, django_assert_num_queries, n, older
):
    action = FollowUpActionFactory(dialogue=dialogue, what="Ta fram en plan")
    log_older_changes(action, older, field="what", actor=ministry_user)
    with set_actor(ministry_user):
        for i in range(n):
            action.owner = f"Ansvarig {i}"
            action.save()
    client.force_login(ministry_user)
    # user, action, the trail's entries, and the dialogue its creation names
    with django_assert_num_queries(4):
        response = client.get(reverse("dialogues:action_update", args=[action.pk]))
    trail = _trail_html(response)
    assert "Ansvarig " in trail and "Maria Departementet" in trail
    assert_trail_shows(trail, total=1 + n + older)


@HISTORY_SIZES
@pytest.mark.parametrize("n", (1, 3))
def test_dialogue_page_queries_do_not_grow_with_brief_changes(
    client, ministry_user, dialogue, django_assert_num_queries, n, older
):
    brief = BriefFactory(dialogue=dialogue, text="Första underlaget")
    log_older_changes(brief, older, field="text", actor=ministry_user)
    for i in range(n):
        brief.refresh_from_db()
        services.brief_save(
            dialogue=dialogue, text=f"Underlag {i}", author=ministry_user, expected_version=brief.version
        )
    total = audit_entries_for(brief).count()
    client.force_login(ministry_user)
    # user, dialogue (+ submission, brief), participants, observations, actions, the brief's author,
    # the brief's files, the previous dialogue (none), the trail's entries, and the records they
    # name: the author and the dialogue
    with django_assert_num_queries(11):
        response = client.get(dialogue.get_absolute_url())
    trail = _trail_html(response)
    assert f"Underlag {n - 1}" in trail
    assert_trail_shows(trail, total=total)


@HISTORY_SIZES
@pytest.mark.parametrize("n", (1, 3))
def test_report_page_queries_do_not_grow_with_versions(
    client, ministry_user, agency_user, dialogue, region_a, django_assert_num_queries, settings, tmp_path, n, older
):
    settings.MEDIA_ROOT = tmp_path
    for i in range(n):  # each version: requested, failed or finished (taking over as current), commented
        with set_actor(ministry_user):
            (report,) = report_services.reports_request(dialogue_round=dialogue.round, summary=False)
        if i % 2:
            report_services.report_fail(report_id=report.pk, error=f"Fel {i}")
        else:
            claimed = report_services.report_claim(report_id=report.pk, task_id=f"t{i}")
            report = report_services.report_finish(report=claimed, pdf=b"%PDF-1.7")
        with set_actor(agency_user):
            report_services.report_comment_add(report=report, author=agency_user, text=f"Kommentar {i}")
    log_older_changes(report, older, field="error", actor=ministry_user)
    total = audit_entries_for(report, related=("comments",)).count()
    client.force_login(ministry_user)
    # the page's own nine, the trail's entries, and the kinds of record they name: the comments'
    # author, the county and the round
    # 16: the page also reads the covering letter, the round's letter template and the addressee.
    # 18: and the report's files, and whether it is published (files may be added until then).
    with django_assert_num_queries(18):
        response = client.get(report.get_absolute_url())
    trail = _trail_html(response)
    assert "Tomas Tillväxtverket" in trail and "Kommentar " in trail
    assert_trail_shows(trail, total=total)
