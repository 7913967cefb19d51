"""The suite hashes with one PBKDF2 round (tests/conftest.py); these tests keep production honest."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings

from accounts.choices import Role
from tests.factories.accounts import PASSWORD, UserFactory
from tests.helpers import log_in_with_code

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_hash_passwords_with_pbkdf2_and_djangos_iterations():
    code = (
        "import django; django.setup();from django.contrib.auth.hashers import make_password; print(make_password('x'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    algorithm, iterations, _salt, _hash = result.stdout.strip().split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 1_000_000


@pytest.mark.django_db
def test_login_with_a_production_strength_hash_shows_the_start_page(client, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = UserFactory(role=Role.MINISTRY, full_name="Maria Departementet")
    assert int(user.password.split("$")[1]) >= 1_000_000

    response = log_in_with_code(client, user, PASSWORD)

    assert response.wsgi_request.user == user
    assert "Välkommen, Maria" in response.content.decode()
