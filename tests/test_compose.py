"""docker-compose.yml ships with the HTTPS protections on; plain HTTP is an explicit opt-out (issue 13)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SECRET = "compose-test-secret-key-4f1b7c2e9a8d6f3b5e0c1a7d9f2b4e6c8a0d3f5b7e9c1a3d5"


def _web_environment(**host_env) -> dict[str, str]:
    """The web service's environment as `docker compose` would interpolate it from `host_env`."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["web"]["environment"]

    def interpolate(value: str) -> str:
        def one(match):
            name, operator, fallback = match.group(1), match.group(2), match.group(3)
            if operator == ":?":
                return host_env[name]
            return host_env.get(name) or fallback

        return re.sub(r"\$\{(\w+)(:-|:\?)([^}]*)\}", one, str(value))

    return {name: interpolate(value) for name, value in environment.items()}


def _settings_under(environment: dict[str, str]) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({n: getattr(s, n) for n in "
        "('SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'TRUSTED_PROXIES')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_web_runs_with_https_protections_on_by_default():
    assert _settings_under(_web_environment(DJANGO_SECRET_KEY=SECRET)) == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "TRUSTED_PROXIES": 1,
    }


def test_compose_plain_http_is_an_explicit_opt_out():
    settings = _settings_under(_web_environment(DJANGO_SECRET_KEY=SECRET, DJANGO_HTTPS="0", DJANGO_TRUSTED_PROXIES="0"))
    assert settings == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "TRUSTED_PROXIES": 0,
    }


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_compose_every_app_service_shares_the_https_default(service):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"][service]["environment"]["DJANGO_HTTPS"] == "${DJANGO_HTTPS:-1}"


def test_compose_s3_profile_runs_a_private_bucket_for_the_stored_files():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["minio"]["profiles"] == ["s3"] and services["s3-bucket"]["profiles"] == ["s3"]
    assert 'mc anonymous set none "store/$$S3_BUCKET"' in services["s3-bucket"]["entrypoint"]
    for service in ("web", "worker", "beat"):
        environment = services[service]["environment"]
        settings_read = set(re.findall(r'env\.\w+\("(S3_\w+)"', (ROOT / "config" / "settings.py").read_text()))
        assert settings_read - {"S3_CONNECT_TIMEOUT", "S3_READ_TIMEOUT"} <= set(environment)
        # Without the profile the bucket service does not exist, and nothing waits for it.
        assert services[service]["depends_on"]["s3-bucket"]["required"] is False


def test_compose_web_stores_files_in_the_bucket_when_one_is_set():
    bucket = {
        "S3_BUCKET": "dialoger",
        "S3_ENDPOINT_URL": "http://minio:9000",
        "S3_ADDRESSING_STYLE": "path",
        "S3_ACCESS_KEY_ID": "dialoger-key",
        "S3_SECRET_ACCESS_KEY": "a-long-random-secret",
    }
    environment = _web_environment(DJANGO_SECRET_KEY=SECRET, **bucket)
    code = (
        "from config.settings import STORAGES as s; o = s['default']['OPTIONS']; "
        "print(o['bucket_name'], o['endpoint_url'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "S3_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **environment}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["dialoger", "http://minio:9000"]
