"""Who verified ID token claims log in as (accounts.oidc.oidc_claims_match): only people who have an
account, by the stored (issuer, subject) or by an e-mail address the provider has verified."""

import pytest

from accounts.choices import Role
from accounts.models import OidcIdentity
from accounts.oidc import oidc_claims_match
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://login.example.se"


def test_match_by_stored_subject_wins_over_the_email(db):
    karin = UserFactory(email="karin@example.se")
    other = UserFactory(email="other@example.se")
    OidcIdentity.objects.create(user=karin, issuer=ISSUER, subject="s-1")

    outcome = oidc_claims_match(issuer=ISSUER, claims={"sub": "s-1", "email": other.email, "email_verified": True})

    assert (outcome.user, outcome.refusal) == (karin, None)


def test_match_subject_of_another_issuer_does_not_count(db):
    karin = UserFactory(email="karin@example.se")
    OidcIdentity.objects.create(user=karin, issuer="https://other.example.se", subject="s-1")

    outcome = oidc_claims_match(issuer=ISSUER, claims={"sub": "s-1"})

    assert (outcome.user, outcome.refusal) == (None, "unknown")


@pytest.mark.parametrize(
    ("verified", "matches"),
    [(True, True), ("true", True), (False, False), ("false", False), (None, False), ("yes", False)],
)
def test_match_by_email_only_when_the_provider_verified_it(db, verified, matches):
    karin = UserFactory(email="karin@example.se")
    claims = {"sub": "s-1", "email": " Karin@Example.SE "}
    if verified is not None:
        claims["email_verified"] = verified

    outcome = oidc_claims_match(issuer=ISSUER, claims=claims)

    assert outcome.user == (karin if matches else None)
    assert outcome.refusal == (None if matches else "unknown")


def test_match_ignores_role_and_county_claims(db, region_user):
    claims = {"sub": "s-1", "email": region_user.email, "email_verified": True, "role": "admin", "region": "x"}

    outcome = oidc_claims_match(issuer=ISSUER, claims=claims)

    assert outcome.user == region_user
    assert (outcome.user.role, outcome.user.is_superuser) == (Role.REGION, False)


def test_match_inactive_account_is_refused(db):
    user = UserFactory(email="gone@example.se", is_active=False)

    outcome = oidc_claims_match(issuer=ISSUER, claims={"sub": "s-1", "email": user.email, "email_verified": True})

    assert (outcome.user, outcome.refusal) == (user, "inactive")


def test_match_account_without_role_waits_for_an_administrator(db):
    user = UserFactory(email="new@example.se", role="", is_active=False)

    outcome = oidc_claims_match(issuer=ISSUER, claims={"sub": "s-1", "email": user.email, "email_verified": True})

    assert (outcome.user, outcome.refusal) == (user, "pending")


def test_match_email_of_an_account_tied_to_another_subject_is_refused(db):
    karin = UserFactory(email="karin@example.se")
    OidcIdentity.objects.create(user=karin, issuer=ISSUER, subject="s-karin")

    outcome = oidc_claims_match(
        issuer=ISSUER, claims={"sub": "s-someone", "email": karin.email, "email_verified": True}
    )

    assert (outcome.user, outcome.refusal) == (karin, "conflict")
