import pytest

from api.services import token_create


@pytest.fixture
def bearer():
    """`bearer(user)`: the Authorization header of a new token of the user's account."""

    def make(user) -> dict:
        _token, secret = token_create(user=user, name="Testklient")
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make
