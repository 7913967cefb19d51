"""Log-in and log-out by single sign-on (OpenID Connect); the decisions are in accounts/oidc.py.

A refusal is a message on the log-in page (never a 500): whatever goes wrong between the portal and
the provider (a cancelled log-in, a token that does not verify, a provider that does not answer)
ends there, and nobody is logged in.
"""

import requests
from authlib.integrations.base_client import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from joserfc.errors import JoseError

from .mfa import sso_mark
from .oidc import (
    OIDC_BACKEND,
    REFUSALS,
    SESSION_ID_TOKEN,
    SESSION_NEXT,
    SESSION_PROVIDER,
    oidc_client,
    oidc_login_refused,
    oidc_login_resolve,
    oidc_metadata,
    oidc_provider,
    oidc_token_claims,
)

# What a provider, or the way to it, can throw at the portal; each ends as a refusal.
PROVIDER_ERRORS = (OAuthError, JoseError, requests.RequestException, ValueError, KeyError, TypeError)


def _refuse(request, reason: str, *, provider=None, detail: str = ""):
    if detail or provider is None:
        oidc_login_refused(provider=provider, reason=reason, detail=detail)
    messages.error(request, REFUSALS[reason])
    return redirect("login")


@method_decorator(login_not_required, name="dispatch")
class OidcLoginView(View):
    """The button "Logga in med <provider>": off to the provider, with state, nonce and PKCE."""

    def get(self, request, provider):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        config = oidc_provider(provider)
        if config is None:
            return _refuse(request, "no_provider")
        next_url = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            request.session[SESSION_NEXT] = next_url
        # The address the provider sends the person back to, as the proxy settings make it (host
        # from ALLOWED_HOSTS, https from X-Forwarded-Proto behind a trusted proxy).
        callback = request.build_absolute_uri(reverse("oidc_callback", args=[config.slug]))
        try:
            oidc_metadata(config)
            return oidc_client(config).authorize_redirect(request, callback)
        except PROVIDER_ERRORS as error:
            return _refuse(request, "unreachable", provider=config, detail=repr(error))


@method_decorator(login_not_required, name="dispatch")
class OidcCallbackView(View):
    """The provider sends the person back here: check the answer, find the account, log in."""

    def get(self, request, provider):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        config = oidc_provider(provider)
        if config is None:
            return _refuse(request, "no_provider")
        if request.GET.get("error"):
            return _refuse(request, "cancelled", provider=config, detail=request.GET["error"][:100])
        try:
            oidc_metadata(config)
            token = oidc_client(config).authorize_access_token(request, leeway=60)
            claims = oidc_token_claims(provider=config, token=token)
        except requests.RequestException as error:
            return _refuse(request, "unreachable", provider=config, detail=repr(error))
        except PROVIDER_ERRORS as error:
            return _refuse(request, "failed", provider=config, detail=repr(error))
        outcome = oidc_login_resolve(provider=config, claims=claims)
        if outcome.refusal:
            return _refuse(request, outcome.refusal, provider=config)
        next_url = request.session.pop(SESSION_NEXT, "")
        login(request, outcome.user, backend=OIDC_BACKEND)
        sso_mark(request)  # the provider's own multi-factor log-in stands for the portal's second factor
        request.session[SESSION_PROVIDER] = config.slug
        request.session[SESSION_ID_TOKEN] = token["id_token"]
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class OidcLogoutView(LogoutView):
    """Django's log-out; after a single sign-on session, on to the provider's end_session_endpoint
    (RP-initiated log-out), which sends the person back to the log-in page."""

    def post(self, request, *args, **kwargs):
        config = oidc_provider(request.session.get(SESSION_PROVIDER, ""))
        id_token = request.session.get(SESSION_ID_TOKEN, "")
        response = super().post(request, *args, **kwargs)
        if config is None:
            return response
        try:
            end_session = oidc_metadata(config).get("end_session_endpoint")
            if not end_session:
                return response
            return oidc_client(config).logout_redirect(
                request,
                post_logout_redirect_uri=request.build_absolute_uri(reverse("login")),
                id_token_hint=id_token or None,
                client_id=config.client_id,
            )
        except PROVIDER_ERRORS as error:
            oidc_login_refused(provider=config, reason="logout_unreachable", detail=repr(error))
            return response
