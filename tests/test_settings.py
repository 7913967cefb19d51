import json
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


def _default_storage_under(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_", "AWS_"))}
    code = (
        "import json; from config.settings import STORAGES as s; o = s['default'].get('OPTIONS', {}); "
        "print(json.dumps([s['default']['BACKEND'], {k: v for k, v in o.items() if k != 'client_config'}]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_store_files_on_disk_without_a_bucket():
    result = _default_storage_under()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["django.core.files.storage.FileSystemStorage", {}]


def test_settings_store_files_in_the_configured_private_bucket():
    result = _default_storage_under(
        S3_BUCKET="dialoger-media",
        S3_ENDPOINT_URL="https://s3.example.se",
        S3_REGION="eu-north-1",
        S3_ACCESS_KEY_ID="key-id",
        S3_SECRET_ACCESS_KEY="secret",
        S3_ADDRESSING_STYLE="path",
    )
    assert result.returncode == 0, result.stderr
    backend, options = json.loads(result.stdout)
    assert backend == "storages.backends.s3.S3Storage"
    named = ("bucket_name", "endpoint_url", "region_name", "access_key", "addressing_style")
    assert {k: options[k] for k in named} == {
        "bucket_name": "dialoger-media",
        "endpoint_url": "https://s3.example.se",
        "region_name": "eu-north-1",
        "access_key": "key-id",
        "addressing_style": "path",
    }
    assert options["default_acl"] is None  # no ACL header: never public-read
    assert options["file_overwrite"] is False


def test_settings_refuse_an_unknown_addressing_style():
    result = _default_storage_under(S3_BUCKET="dialoger-media", S3_ADDRESSING_STYLE="sideways")
    assert result.returncode != 0
    assert "S3_ADDRESSING_STYLE" in result.stderr
