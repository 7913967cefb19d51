"""User administration in the portal: the ministry's list of every account, a county director's
list of their county's; deactivating, moving to another role, switching director and editor."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.choices import CountyRole, Role
from accounts.models import User
from accounts.views import UserListView
from core.audit import audit_entries_for
from dialogues import services as dialogue_services
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.pages import (
    FIRST_AND_LATER_PAGE,
    HISTORY_SIZES,
    assert_trail_shows,
    log_older_changes,
    page_label,
    rows_on,
    sizes_over_a_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """In English: the new messages' Swedish translations are compiled by the lead."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield client
    translation.activate(settings.LANGUAGE_CODE)  # the request left English active in this thread


@pytest.fixture
def editor(region_a):
    return UserFactory(role=Role.REGION, region=region_a, county_role=CountyRole.EDITOR, full_name="Erik Editor")


def _edit(client, person, **data):
    person.refresh_from_db()
    values = {"version": person.version, "role": person.role, "county_role": person.county_role}
    if person.region_id:
        values["region"] = person.region_id
    values.update(data)
    return client.post(reverse("user_update", args=[person.pk]), values, follow=True)


def _set_active(client, person, active: bool, version=None):
    person.refresh_from_db()
    data = {"version": version or person.version}
    if active:
        data["active"] = "True"
    return client.post(reverse("user_active", args=[person.pk]), data, follow=True)


USERS_PER_PAGE = UserListView.paginate_by


@pytest.mark.parametrize("n", sizes_over_a_page(USERS_PER_PAGE))
@FIRST_AND_LATER_PAGE
def test_user_list_queries_do_not_grow_with_users(client, ministry_user, region_a, django_assert_num_queries, n, page):
    # n accounts in all: the ministry user's and n - 1 more, of counties and of the agency
    User.objects.bulk_create(
        User(
            email=f"person{i}@example.test",
            full_name=f"Person {i:03d}",
            role=Role.REGION if i % 2 else Role.AGENCY,
            region=region_a if i % 2 else None,
            county_role=CountyRole.EDITOR if i % 2 else "",
        )
        for i in range(n - 1)
    )
    client.force_login(ministry_user)
    # session and user, count, page of users with their counties, open invitations, the filter's counties
    with django_assert_num_queries(5):
        response = client.get(reverse("user_list"), {"page": page})
    html = response.content.decode()
    assert html.count("@example.test</td>") == rows_on(page, total=n, per_page=USERS_PER_PAGE)
    first_shown = "Maria Departementet" if page == 1 else f"Person {USERS_PER_PAGE - 1:03d}"
    assert response.context["people"][0].full_name == first_shown  # by name
    assert page_label(page, total=n, per_page=USERS_PER_PAGE, word="Page", of="of") in html


def test_user_list_filters_by_role_and_county(client, ministry_user, region_a, region_b):
    UserFactory(role=Role.REGION, region=region_a, full_name="Kalle Kalmar")
    UserFactory(role=Role.REGION, region=region_b, full_name="Krister Kronoberg")
    UserFactory(role=Role.AGENCY, full_name="Agnes Agency")
    client.force_login(ministry_user)
    html = client.get(reverse("user_list"), {"role": Role.REGION, "region": region_a.pk}).content.decode()
    assert "Kalle Kalmar" in html and "Krister Kronoberg" not in html and "Agnes Agency" not in html
    html = client.get(reverse("user_list"), {"role": Role.AGENCY}).content.decode()
    assert "Agnes Agency" in html and "Kalle Kalmar" not in html


def test_user_list_is_paginated(client, ministry_user):
    UserFactory.create_batch(51, role=Role.AGENCY)
    client.force_login(ministry_user)
    html = client.get(reverse("user_list")).content.decode()
    assert "Page 1 of 2" in html


def test_user_list_director_sees_only_own_county(client, region_user, editor, other_region_user, ministry_user):
    client.force_login(region_user)
    html = client.get(reverse("user_list")).content.decode()
    assert "Erik Editor" in html and "Karin Kalmar" in html
    assert other_region_user.full_name not in html and ministry_user.full_name not in html


@pytest.mark.parametrize("who", ["editor", "agency"])
def test_user_list_refused_to_editors_and_the_agency(client, editor, agency_user, who):
    client.force_login(editor if who == "editor" else agency_user)
    assert client.get(reverse("user_list")).status_code == 403


def test_user_page_other_countys_user_is_a_404_for_a_director(client, region_user, other_region_user):
    client.force_login(region_user)
    assert client.get(reverse("user_update", args=[other_region_user.pk])).status_code == 404
    assert _set_active(client, other_region_user, False).status_code == 404
    other_region_user.refresh_from_db()
    assert other_region_user.is_active


def test_deactivate_ends_the_session_and_keeps_what_they_wrote(client, ministry_user, region_user, region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    SubmissionFactory(dialogue=dialogue)
    dialogue_services.submission_save_draft(
        submission=dialogue.submission, expected_version=1, resource_use="Text", priorities=[], results=[]
    )
    version = dialogue_services.submission_submit(submission=dialogue.submission, user=region_user)
    from django.test import Client

    theirs = Client()
    theirs.force_login(region_user)
    assert theirs.get(reverse("home")).status_code == 200

    client.force_login(ministry_user)
    response = _set_active(client, region_user, False)
    assert "has been deactivated" in response.content.decode()
    region_user.refresh_from_db()
    assert not region_user.is_active
    answer = theirs.get(reverse("home"))
    assert answer.status_code == 302 and reverse("login") in answer["Location"]
    version.refresh_from_db()
    assert version.submitted_by == region_user  # never deleted, still attributed

    _set_active(client, region_user, True)
    region_user.refresh_from_db()
    assert region_user.is_active


def test_director_cannot_deactivate_the_last_director(client, region_user, editor):
    second = UserFactory(role=Role.REGION, region=region_user.region, full_name="Dora Direktör")
    client.force_login(second)
    _set_active(client, region_user, False)
    region_user.refresh_from_db()
    assert not region_user.is_active  # another director remains: allowed
    _set_active(client, region_user, True)
    # now demote the other director: Dora is left alone and cannot demote herself
    client.force_login(region_user)
    html = _edit(client, second, county_role=CountyRole.EDITOR).content.decode()
    second.refresh_from_db()
    assert second.county_role == CountyRole.EDITOR
    html = _edit(client, region_user, county_role=CountyRole.EDITOR).content.decode()
    assert "only one who may submit" in html
    region_user.refresh_from_db()
    assert region_user.county_role == CountyRole.DIRECTOR


def test_nobody_deactivates_their_own_account(client, ministry_user):
    client.force_login(ministry_user)
    html = _set_active(client, ministry_user, False).content.decode()
    assert "your own account" in html
    ministry_user.refresh_from_db()
    assert ministry_user.is_active


def test_director_switches_an_editor_to_director_but_cannot_move_role_or_county(client, region_user, editor, region_b):
    client.force_login(region_user)
    _edit(client, editor, county_role=CountyRole.DIRECTOR, role=Role.MINISTRY, region=region_b.pk)
    editor.refresh_from_db()
    assert (editor.role, editor.region, editor.county_role) == (Role.REGION, region_user.region, CountyRole.DIRECTOR)


def test_ministry_moves_a_user_to_another_county_and_role(client, ministry_user, editor, region_b):
    client.force_login(ministry_user)
    _edit(client, editor, region=region_b.pk, county_role=CountyRole.DIRECTOR)
    editor.refresh_from_db()
    assert (editor.region, editor.county_role) == (region_b, CountyRole.DIRECTOR)
    _edit(client, editor, role=Role.AGENCY, region="", county_role="")
    editor.refresh_from_db()
    assert (editor.role, editor.region, editor.county_role) == (Role.AGENCY, None, "")


def test_ministry_cannot_touch_an_administrator(client, ministry_user, admin_user):
    client.force_login(ministry_user)
    assert client.get(reverse("user_update", args=[admin_user.pk])).status_code == 404
    _edit(client, admin_user, role=Role.MINISTRY)
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


def test_two_admins_editing_at_once_never_silently_overwrite(client, ministry_user, editor, region_b):
    client.force_login(ministry_user)
    stale = editor.version
    _edit(client, editor, county_role=CountyRole.DIRECTOR)
    editor.refresh_from_db()
    html = _edit(client, editor, version=stale, region=region_b.pk).content.decode()
    assert "Someone else saved this" in html
    editor.refresh_from_db()
    assert editor.region != region_b and editor.county_role == CountyRole.DIRECTOR
    html = _set_active(client, editor, False, version=stale).content.decode()
    assert "Someone else saved this" in html
    assert User.objects.get(pk=editor.pk).is_active


def test_user_page_shows_the_change_history_with_who_did_it(client, ministry_user, editor):
    client.force_login(ministry_user)
    _edit(client, editor, county_role=CountyRole.DIRECTOR)
    html = client.get(reverse("user_update", args=[editor.pk])).content.decode()
    trail = html[html.find('<details class="audit-trail') :]
    assert ministry_user.full_name in trail


@HISTORY_SIZES
@pytest.mark.parametrize("n", (1, 3))
def test_user_page_queries_do_not_grow_with_the_history(
    client, ministry_user, editor, django_assert_num_queries, n, older
):
    log_older_changes(editor, older, field="title", actor=ministry_user)
    client.force_login(ministry_user)
    for i in range(n):
        _edit(client, editor, county_role=CountyRole.DIRECTOR if i % 2 == 0 else CountyRole.EDITOR)
    total = audit_entries_for(editor).count()

    # user, the person, the counties to choose from, the history's entries and the county they name
    with django_assert_num_queries(5):
        html = client.get(reverse("user_update", args=[editor.pk])).content.decode()

    trail = html[html.find('<details class="audit-trail') :]
    assert ministry_user.full_name in trail
    assert_trail_shows(trail[: trail.index("</details>")], total=total, english=True)


@HISTORY_SIZES
def test_admin_user_page_queries_do_not_grow_with_the_history(
    client, admin_user, editor, django_assert_num_queries, older
):
    log_older_changes(editor, older, field="title", actor=admin_user)
    total = audit_entries_for(editor).count()
    client.force_login(admin_user)

    # user, the person, their single-sign-on identities, the counties to choose from, the history's
    # entries and the county they name
    with django_assert_num_queries(6):
        html = client.get(f"/admin/accounts/user/{editor.pk}/change/").content.decode()

    trail = html[html.find('<details class="audit-trail') :]
    assert_trail_shows(trail[: trail.index("</details>")], total=total, english=True)
