"""A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider in Node.js
(tests/oidc_provider/provider.mjs), started once per pytest process on a free loopback port.

Its dependencies come from the committed package-lock.json (`npm ci` in tests/oidc_provider, which
`make install` and CI run). Import the fixtures into a test module:
`from tests.oidc_fixtures import oidc_server, sso  # noqa: F401`.
"""

import json
import os
import select
import shutil
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from accounts import oidc

NODE_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "portal"
CLIENT_SECRET = "test-only-client-secret-of-the-portal-0123456789"
SLUG = "test"
NAME = "Testmyndigheten"
# Loopback redirect URIs of a native client match on any port (RFC 8252), so one registration
# serves the test client (127.0.0.1) and the live server of every pytest process.
CALLBACK_PATH = f"/konto/logga-in/sso/{SLUG}/svar/"
LOGIN_PATH = "/konto/logga-in/"


@dataclass
class OidcServer:
    issuer: str

    def _post(self, path: str, data: dict) -> None:
        request = urllib.request.Request(self.issuer + path, data=json.dumps(data).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=5):
            pass

    def set_mode(self, mode: str) -> None:
        """normal, wrong_audience (ID token for another client), expired (ID token expired) or
        claims_in_userinfo (no e-mail in the ID token, only at the userinfo endpoint)."""
        self._post("/__test__/mode", {"mode": mode})

    def add_account(self, sub: str, *, email: str, email_verified: bool = True, name: str = "") -> None:
        self._post("/__test__/accounts", {sub: {"email": email, "email_verified": email_verified, "name": name}})


def _clients() -> list[dict]:
    portal = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "application_type": "native",
        "redirect_uris": [f"http://127.0.0.1{CALLBACK_PATH}", f"http://localhost{CALLBACK_PATH}"],
        "post_logout_redirect_uris": [f"http://127.0.0.1{LOGIN_PATH}", f"http://localhost{LOGIN_PATH}"],
    }
    other = {**portal, "client_id": "another-client", "client_secret": "test-only-secret-of-another-client-98765"}
    return [portal, other]


@pytest.fixture(scope="session")
def oidc_server():
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the single sign-on tests (apt-get install nodejs).")
    if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("Run `npm ci` in tests/oidc_provider (make install and .ci/run do it).")
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(
            [node, "provider.mjs"],
            cwd=NODE_DIR,
            env={**os.environ, "OIDC_CLIENTS": json.dumps(_clients())},
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
        try:
            ready, _, _ = select.select([process.stdout], [], [], 30)
            line = process.stdout.readline() if ready else b""
            if not line:
                stderr.seek(0)
                pytest.fail(f"The test OpenID provider did not start: {stderr.read().decode()[-2000:]}")
            yield OidcServer(issuer=json.loads(line)["issuer"])
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def sso(oidc_server, settings):
    """The portal configured with the test provider as its one single sign-on provider."""
    oidc_server.set_mode("normal")
    settings.OIDC_PROVIDERS = [
        {
            "slug": SLUG,
            "name": NAME,
            "issuer": oidc_server.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "discovery_url": "",
            "scope": "openid email profile",
        }
    ]
    yield oidc_server
    oidc_server.set_mode("normal")
    oidc._clients.clear()
