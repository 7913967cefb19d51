"""One-time form tokens: every POST form of the portal carries one, and every URL that takes a POST
changes things once when the same page is sent twice (core.middleware.FormTokenMiddleware). The
concurrent case, on two real connections, is in test_races.py."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import (
    BooleanField,
    ChoiceField,
    DateField,
    DateTimeField,
    DecimalField,
    EmailField,
    FileField,
    IntegerField,
    ModelMultipleChoiceField,
    MultipleChoiceField,
    TimeField,
    URLField,
)
from django.urls import get_resolver, reverse
from django.utils import timezone

from accounts.choices import Role
from core.models import FormToken
from reports.models import FeedbackReport
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory
from tests.security.test_role_access import ACCESS, _close, _form_data
from tests.security.urlwalk import build_world, fingerprint, path_for, walk

FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
POST = re.compile(r"""method\s*=\s*["']?post""", re.I)


def _our_templates():
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    for folder in folders:
        folder = folder.resolve()
        if folder.is_dir() and base in folder.parents and ".venv" not in folder.parts:
            yield from sorted(folder.rglob("*.html"))


def test_every_post_form_in_our_templates_carries_a_form_token():
    missing, forms = [], 0
    for template in _our_templates():
        for match in FORM.finditer(template.read_text()):
            if POST.search(match["attrs"]):
                forms += 1
                if "{% form_token %}" not in match["body"]:
                    missing.append(f"{template}: <form{match['attrs'].strip()[:60]}>")
    assert forms > 20, "the walk found too few forms: are the template folders right?"
    assert missing == [], "POST forms without {% form_token %}:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_a_form_page_carries_a_new_token_each_time(client, ministry_user, region_a):
    dialogue = DialogueFactory(region=region_a)
    client.force_login(ministry_user)
    url = reverse("dialogues:observation_create", args=[dialogue.pk])

    tokens = [re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode())[1] for _ in "ab"]

    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_sending_a_form_sweeps_tokens_older_than_two_days(client, ministry_user, region_a):
    dialogue = DialogueFactory(region=region_a)
    old = FormToken.objects.create(token="gammal", user=ministry_user)
    FormToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    recent = FormToken.objects.create(token="ny", user=ministry_user)
    client.force_login(ministry_user)

    client.post(
        reverse("dialogues:observation_create", args=[dialogue.pk]),
        {"category": "steering", "title": "T", "text": "T", "form_token": "tredje"},
    )

    assert set(FormToken.objects.values_list("token", flat=True)) == {recent.token, "tredje"}


@pytest.mark.django_db
def test_a_post_refused_with_an_error_message_leaves_the_token_free(client, ministry_user, region_a):
    """Some views refuse by redirecting with an error message instead of showing the form again."""
    dialogue_round = DialogueRoundFactory(year=2015, status="closed")
    DialogueFactory(round=dialogue_round, region=region_a)
    client.force_login(ministry_user)
    url = reverse("reports:reports_request", args=[dialogue_round.pk])

    refused = client.post(url, {"region": "999", "language": "sv", "form_token": "ett"})
    assert not FeedbackReport.objects.exists()
    accepted = client.post(url, {"region": "", "language": "sv", "form_token": "ett"})

    assert refused["Location"] == accepted["Location"] == reverse("reports:report_list", args=[dialogue_round.pk])

    assert FeedbackReport.objects.count() == 2  # Kalmar's report and the summary


# --- Every URL that takes a POST, sent twice with one token ------------------------------------

ROLE_ORDER = (Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN)


def _filled(form) -> dict:
    """The page's form filled in as a person would: its initial values, and a plausible value for
    each required field left empty (so that creation forms really create something)."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = _sendable(form.initial.get(name, field.initial))
        if value in (None, "", []) and field.required and not field.disabled:
            value = _plausible(field)
        if value is not None:
            data[key] = value
    return data


def _sendable(value):
    """A model instance or a set of them as the primary keys a browser would send."""
    if hasattr(value, "_meta"):
        return value.pk
    if hasattr(value, "model") or (isinstance(value, list | tuple) and value and hasattr(value[0], "_meta")):
        return [item.pk for item in value]
    return value


def _plausible(field):
    if isinstance(field, FileField):
        return SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 protokoll", content_type="application/pdf")
    if isinstance(field, ModelMultipleChoiceField | MultipleChoiceField):
        return [str(value) for value, _ in list(field.choices)[:1] if value != ""]
    if isinstance(field, ChoiceField):
        values = [str(value) for value, _ in field.choices if value not in ("", None)]
        return values[0] if values else None
    if isinstance(field, BooleanField):
        return "on"
    if isinstance(field, DateTimeField):
        return "2031-05-12T10:00"
    if isinstance(field, DateField):
        return "2031-05-12"
    if isinstance(field, TimeField):
        return "10:00"
    if isinstance(field, IntegerField | DecimalField):
        low = getattr(field, "min_value", None)
        return str(2031 if (low or 0) > 1000 else max(low or 0, 1))
    if isinstance(field, EmailField):
        return "kalmar@example.se"
    if isinstance(field, URLField):
        return "https://example.se/"
    return "Text"


def _post_urls():
    for name, route, _ in walk(get_resolver()):
        access = ACCESS.get(name)
        if access is not None and access.post and name not in {"admin:index"}:
            yield name, route, access


@pytest.mark.django_db
def test_every_url_that_takes_a_post_changes_things_once_when_sent_twice(region_a, region_b, user_by_role):
    """Each URL of the role-access table that takes a POST, as a role that may send it, with the
    page's own form filled in: sent twice with one token, the second changes nothing and leads
    where the first did."""
    world = build_world(region_a, region_b)
    problems, changed = [], []
    for name, route, access in _post_urls():
        role = next(role for role in ROLE_ORDER if role in access.post)
        path = path_for(name, route, world)
        with transaction.atomic():
            if access.state:
                access.state(world)
            from django.test import Client

            client = Client()
            client.force_login(user_by_role[role])
            page = client.get(path) if access.get else None
            form = (page.context or {}).get("form") if page is not None and page.status_code == 200 else None
            data = _filled(form) if form is not None else (_form_data(page) if page is not None else {})
            if page is not None:
                _close(page)
            data["form_token"] = f"token-{name}"
            before = fingerprint()
            first = client.post(path, data)
            _close(first)
            after_first = fingerprint()
            for value in data.values():
                if hasattr(value, "seek"):
                    value.seek(0)
            second = client.post(path, data)
            _close(second)
            if fingerprint() != after_first:
                problems.append(f"{name}: the second POST with the same token changed the database")
            if after_first != before:
                changed.append(name)
                location = first.get("Location")
                if second.status_code != 302 or urlparse(second["Location"]).path != urlparse(location or "").path:
                    problems.append(f"{name}: the second POST was not sent where the first led ({location})")
            transaction.set_rollback(True)
    assert problems == [], "\n".join(problems)
    # the walk really sent forms that change things (not only refused ones)
    assert len(changed) > 30, f"only these POSTs changed anything: {changed}"
