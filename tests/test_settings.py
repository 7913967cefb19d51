import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_production_refuses_to_start_without_a_secret_key():
    result = _import_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_settings_production_refuses_a_weak_secret_key():
    result = _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_settings_debug_mode_starts_without_any_variable():
    result = _import_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
