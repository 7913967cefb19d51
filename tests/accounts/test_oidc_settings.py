"""Single sign-on providers from the environment (config/settings.py): none by default, several
side by side, and a provider with a value missing refuses to start with the variable's name."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _providers(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OIDC_"))}
    return subprocess.run(
        [sys.executable, "-c", "import json, config.settings as s; print(json.dumps(s.OIDC_PROVIDERS))"],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _provider_env(name: str, display: str) -> dict:
    prefix = f"OIDC_{name.upper()}_"
    return {
        prefix + "NAME": display,
        prefix + "ISSUER": f"https://login.{name}.example.se/",
        prefix + "CLIENT_ID": "dialoger",
        prefix + "CLIENT_SECRET": f"secret-{name}",
    }


def test_settings_no_single_sign_on_provider_by_default():
    result = _providers()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_settings_several_providers_in_their_order():
    env = {"OIDC_PROVIDERS": "ministry,kalmar", **_provider_env("ministry", "Regeringskansliet")}
    env |= _provider_env("kalmar", "Region Kalmar län")

    result = _providers(**env)

    assert result.returncode == 0, result.stderr
    providers = json.loads(result.stdout)
    assert [(p["slug"], p["name"]) for p in providers] == [
        ("ministry", "Regeringskansliet"),
        ("kalmar", "Region Kalmar län"),
    ]
    assert providers[0]["issuer"] == "https://login.ministry.example.se"
    assert providers[0]["scope"] == "openid email profile"


def test_settings_provider_with_a_missing_value_refuses_to_start():
    env = {"OIDC_PROVIDERS": "ministry", **_provider_env("ministry", "Regeringskansliet")}
    del env["OIDC_MINISTRY_CLIENT_SECRET"]

    result = _providers(**env)

    assert result.returncode != 0
    assert "OIDC_MINISTRY_CLIENT_SECRET" in result.stderr
