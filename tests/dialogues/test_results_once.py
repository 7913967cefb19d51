"""Results are entered once: the county reports them under appropriation 1:1 and fetches them into its
submission of the same year, seeing what changes before anything is copied."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from dialogues import services
from dialogues.choices import SubmissionStatus
from dialogues.models import Submission, SubmissionResult
from followup.models import Allocation
from tests.factories.followup import AllocationFactory, AppropriationFactory, ResultIndicatorFactory
from tests.racing import race

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def sv(msgid: str) -> str:
    """The Swedish text of a msgid (the catalogues are compiled after this branch is merged)."""
    with translation.override("sv"):
        return translation.gettext(msgid)


@pytest.fixture
def kalmar_results(kalmar_dialogue, region_a):
    """Kalmar's 1:1 results of the round's year (2016)."""
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2016), region=region_a)
    ResultIndicatorFactory(
        allocation=allocation, name="Nya företag", unit="st", baseline=1200, target=1500, outcome=Decimal("1350")
    )
    ResultIndicatorFactory(
        allocation=allocation, name="Andel i arbete", unit="%", baseline=Decimal("70.5"), target=75, outcome=None
    )
    return allocation


def _fetch_url(dialogue) -> str:
    return reverse("dialogues:submission_results_fetch", args=[dialogue.pk])


def _results(dialogue) -> list[tuple]:
    return list(
        SubmissionResult.objects.filter(submission__dialogue=dialogue)
        .order_by("position")
        .values_list("indicator", "baseline", "target", "outcome", "comment")
    )


def _text(response) -> str:
    # Collapse ordinary white space only: the figures group thousands with a no-break space.
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _confirm(client, dialogue, *, version: int, allocation_version: int):
    return client.post(
        _fetch_url(dialogue), {"version": version, "allocation_version": allocation_version}, follow=True
    )


def test_edit_page_offers_to_fetch_the_1_1_results_of_the_year(client, region_user, kalmar_dialogue, kalmar_results):
    client.force_login(region_user)
    html = client.get(reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])).content.decode()
    assert _fetch_url(kalmar_dialogue) in html
    assert sv("Fetch the figures from the 1:1 results of %(year)s") % {"year": 2016} in html


def test_edit_page_does_not_offer_to_fetch_when_the_year_has_no_1_1_results(client, region_user, kalmar_dialogue):
    client.force_login(region_user)
    html = client.get(reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])).content.decode()
    assert _fetch_url(kalmar_dialogue) not in html


def test_preview_shows_what_changes_and_copies_nothing(client, region_user, kalmar_dialogue, kalmar_results):
    SubmissionResult.objects.create(
        submission=kalmar_dialogue.submission, position=1, indicator="Nya företag", baseline="1000", comment="Egen text"
    )
    client.force_login(region_user)

    page = _text(client.get(_fetch_url(kalmar_dialogue)))

    # Typed figure and fetched figure side by side; the new indicator is marked as added.
    assert f"{sv('now:')} 1000 → {sv('fetched:')} 1{NBSP}200 st" in page
    assert "Andel i arbete" in page and sv("Added") in page
    assert "70,5 %" in page
    assert _results(kalmar_dialogue) == [("Nya företag", "1000", "", "", "Egen text")]


def test_confirmation_replaces_figures_keeps_comments_and_other_results(
    client, region_user, kalmar_dialogue, kalmar_results
):
    submission = kalmar_dialogue.submission
    SubmissionResult.objects.create(
        submission=submission, position=1, indicator="nya  FÖRETAG", baseline="1000", comment="Egen text"
    )
    SubmissionResult.objects.create(submission=submission, position=2, indicator="Egen indikator", outcome="7")
    client.force_login(region_user)

    response = _confirm(client, kalmar_dialogue, version=submission.version, allocation_version=kalmar_results.version)

    assert response.request["PATH_INFO"] == reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])
    with translation.override("sv"):
        fetched = translation.ngettext(
            "{count} result was fetched from the 1:1 results into your draft. Check it, then save or submit.",
            "{count} results were fetched from the 1:1 results into your draft. Check them, then save or submit.",
            2,
        ).format(count=2)
    assert fetched in response.content.decode()
    assert _results(kalmar_dialogue) == [
        ("nya  FÖRETAG", f"1{NBSP}200 st", f"1{NBSP}500 st", f"1{NBSP}350 st", "Egen text"),
        ("Egen indikator", "", "", "7", ""),
        ("Andel i arbete", "70,5 %", "75 %", "", ""),
    ]
    # The fetched figures are in the edit form, ready to be saved or submitted.
    assert f'value="1{NBSP}500 st"' in response.content.decode()


def test_a_second_click_on_the_same_preview_fetches_nothing_more(client, region_user, kalmar_dialogue, kalmar_results):
    submission = kalmar_dialogue.submission
    client.force_login(region_user)
    _confirm(client, kalmar_dialogue, version=submission.version, allocation_version=kalmar_results.version)
    after_first = _results(kalmar_dialogue)

    second = _confirm(client, kalmar_dialogue, version=submission.version, allocation_version=kalmar_results.version)

    assert _results(kalmar_dialogue) == after_first
    assert len(after_first) == 2
    assert str(services.ResultsFetchStaleError()) in second.content.decode().replace("&#x27;", "'")


def test_a_draft_saved_after_the_preview_is_not_overwritten(client, region_user, kalmar_dialogue, kalmar_results):
    submission = kalmar_dialogue.submission
    seen_version = submission.version
    services.submission_save_draft(
        submission=submission,
        expected_version=seen_version,
        resource_use="",
        priorities=[],
        results=[{"indicator": "Nya företag", "baseline": "999"}],
    )
    client.force_login(region_user)

    _confirm(client, kalmar_dialogue, version=seen_version, allocation_version=kalmar_results.version)

    assert _results(kalmar_dialogue) == [("Nya företag", "999", "", "", "")]


def test_1_1_results_changed_after_the_preview_are_not_fetched_unseen(
    client, region_user, kalmar_dialogue, kalmar_results
):
    seen = kalmar_results.version
    Allocation.objects.filter(pk=kalmar_results.pk).update(version=seen + 1)  # a colleague saved the 1:1 results
    client.force_login(region_user)

    _confirm(client, kalmar_dialogue, version=kalmar_dialogue.submission.version, allocation_version=seen)

    assert _results(kalmar_dialogue) == []


def test_a_submitted_submission_cannot_fetch(client, region_user, kalmar_dialogue, kalmar_results):
    Submission.objects.filter(pk=kalmar_dialogue.submission.pk).update(status=SubmissionStatus.SUBMITTED)
    client.force_login(region_user)

    response = _confirm(client, kalmar_dialogue, version=kalmar_dialogue.submission.version, allocation_version=1)

    assert "ändras igen bara om departementet returnerar den" in response.content.decode()
    assert _results(kalmar_dialogue) == []


def test_another_county_cannot_see_or_fetch(client, other_region_user, kalmar_dialogue, kalmar_results):
    client.force_login(other_region_user)

    assert client.get(_fetch_url(kalmar_dialogue)).status_code == 404
    response = client.post(_fetch_url(kalmar_dialogue), {"version": 1, "allocation_version": kalmar_results.version})

    assert response.status_code == 404
    assert _results(kalmar_dialogue) == []


def test_another_countys_1_1_results_are_never_fetched(
    client, region_user, kalmar_dialogue, kronoberg_dialogue, region_b
):
    AllocationFactory(appropriation=AppropriationFactory(year=2016), region=region_b)
    ResultIndicatorFactory(allocation=Allocation.objects.get(region=region_b), name="Kronobergs indikator")
    client.force_login(region_user)

    page = _text(client.get(_fetch_url(kalmar_dialogue)))

    assert "Kronobergs indikator" not in page
    with pytest.raises(services.ValidationError):
        services.submission_results_fetch(
            submission=kalmar_dialogue.submission, expected_version=1, expected_allocation_version=1
        )
    assert _results(kalmar_dialogue) == []


@pytest.mark.parametrize("role", ["ministry", "agency", "admin"])
def test_national_staff_cannot_fetch_into_a_countys_draft(client, user_by_role, kalmar_dialogue, kalmar_results, role):
    client.force_login(user_by_role[role])
    response = client.post(_fetch_url(kalmar_dialogue), {"version": 1, "allocation_version": kalmar_results.version})
    assert response.status_code in (403, 404)
    assert _results(kalmar_dialogue) == []


def test_a_damaged_confirmation_changes_nothing_and_says_so(client, region_user, kalmar_dialogue, kalmar_results):
    client.force_login(region_user)
    response = client.post(_fetch_url(kalmar_dialogue), {"version": "x"}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == _fetch_url(kalmar_dialogue)
    assert 'class="alert alert-danger' in response.content.decode() or "alert-danger" in response.content.decode()
    assert _results(kalmar_dialogue) == []


def test_nothing_to_fetch_when_the_submission_already_has_the_figures(
    client, region_user, kalmar_dialogue, kalmar_results
):
    submission = kalmar_dialogue.submission
    client.force_login(region_user)
    _confirm(client, kalmar_dialogue, version=submission.version, allocation_version=kalmar_results.version)

    html = client.get(_fetch_url(kalmar_dialogue)).content.decode()

    assert sv("Your submission already has these figures: there is nothing to fetch.") in html
    assert 'type="submit"' not in html.split("<main", 1)[-1].split("</main>")[0]


@pytest.mark.parametrize("n", (1, 3))
def test_preview_queries_do_not_grow_with_results(
    client, region_user, kalmar_dialogue, region_a, django_assert_num_queries, n
):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2016), region=region_a)
    for i in range(n):
        ResultIndicatorFactory(allocation=allocation, name=f"Indikator {i}")
        SubmissionResult.objects.create(
            submission=kalmar_dialogue.submission, position=i + 1, indicator=f"Indikator {i}"
        )
    client.force_login(region_user)
    # session user, submission (with dialogue, round, county), allocation, the submission's results,
    # the 1:1 results
    with django_assert_num_queries(5):
        html = client.get(_fetch_url(kalmar_dialogue)).content.decode()
    assert html.count(sv("Figures replaced")) == n


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_sent_at_once_fetch_once(kalmar_dialogue, kalmar_results):
    submission = kalmar_dialogue.submission

    def confirm():
        try:
            return services.submission_results_fetch(
                submission=submission,
                expected_version=submission.version,
                expected_allocation_version=kalmar_results.version,
            )
        except services.ResultsFetchStaleError:
            return "refused"

    outcomes = race(confirm, confirm, lock_sql="LOCK TABLE dialogues_submission IN EXCLUSIVE MODE")

    assert sorted(outcomes, key=str) == [2, "refused"]
    assert [row[0] for row in _results(kalmar_dialogue)] == ["Andel i arbete", "Nya företag"]
