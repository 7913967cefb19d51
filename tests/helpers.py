from contextlib import contextmanager

from kombu import pools

from config.celery import app as celery_app
from core.queueing import broker_failure_forget


def _forget_broker_connections():
    # Celery and kombu keep pools of broker connections; a changed URL only counts once they are gone.
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_unreachable():
    """Inside: the broker cannot be reached (nothing listens on port 1), as when Redis is stopped."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    _forget_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        _forget_broker_connections()
        broker_failure_forget()


# The user admin's change form carries an inline of single-sign-on identities (accounts/admin.py):
# a POST to it needs the inline's management form, as the browser sends it.
USER_ADMIN_INLINES = {"oidc_identities-TOTAL_FORMS": "0", "oidc_identities-INITIAL_FORMS": "0"}


def recovery_code_for(user) -> str:
    """Give `user` an authenticator app (if none) and a fresh recovery code, and return the code:
    a test that logs in through the forms types it at the code step. Each code works once."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Reservkoder", defaults={"confirmed": True})
    return device.token_set.create(token=StaticToken.random_token()).token


def log_in_with_code(client, user, password, **extra):
    """A whole log-in through the forms: the password, then (if the account asks) a recovery code.
    Returns the last response, followed to its page."""
    from django.urls import reverse

    from accounts import mfa

    code = recovery_code_for(user) if mfa.second_factor_mandatory(user) else None
    response = client.post(reverse("login"), {"username": user.email, "password": password}, follow=True, **extra)
    if code is not None and response.wsgi_request.path == reverse("second_factor_verify"):
        response = client.post(reverse("second_factor_verify"), {"recovery_code": code}, follow=True, **extra)
    return response
