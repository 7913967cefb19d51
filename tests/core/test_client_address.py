import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from core.client_address import client_address


def _request(remote="10.0.0.1", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_client_address_without_proxies_ignores_a_forged_header(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_client_address_behind_one_proxy_takes_the_entry_the_proxy_appended(settings):
    settings.TRUSTED_PROXIES = 1
    # The client wrote "203.0.113.9, 192.0.2.1"; the proxy appended the address it saw.
    assert client_address(_request("10.0.0.1", "203.0.113.9, 192.0.2.1, 198.51.100.7")) == "198.51.100.7"


def test_client_address_behind_two_proxies_counts_from_the_right(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(_request("10.0.0.2", "203.0.113.9, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"


@pytest.mark.parametrize(
    "forwarded",
    ["", "not-an-address", "203.0.113.9, <script>", "999.1.1.1", "' OR 1=1 --", "unknown", " , ,"],
)
def test_client_address_junk_falls_back_to_the_direct_peer(settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request("10.0.0.1", forwarded)) == "10.0.0.1"


def test_client_address_fewer_entries_than_proxies_falls_back_to_the_direct_peer(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(_request("10.0.0.1", "198.51.100.7")) == "10.0.0.1"


def test_client_address_normalises_ipv6(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request("10.0.0.1", "2001:DB8:0:0::1")) == "2001:db8::1"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "0"), ({"DJANGO_BEHIND_PROXY": "1"}, "1"), ({"DJANGO_TRUSTED_PROXIES": "2"}, "2")],
)
def test_settings_trusted_proxies_keep_the_older_behind_proxy_switch_as_one_proxy(env, expected):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.TRUSTED_PROXIES)"],
        cwd=Path(__file__).resolve().parents[2],
        env={**clean, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == expected, result.stderr
