import uuid

from django import template
from django.utils.html import format_html

from core.middleware import FORM_TOKEN_FIELD

register = template.Library()


@register.simple_tag
def form_token():
    """A hidden one-time token for a POST form: sending the same page twice changes things once
    (core.middleware.FormTokenMiddleware)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, uuid.uuid4())
