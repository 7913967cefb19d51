"""{% sso_providers as providers %}: the configured single sign-on providers, for the log-in page."""

from django import template

from accounts.oidc import oidc_providers

register = template.Library()


@register.simple_tag
def sso_providers():
    return oidc_providers()
