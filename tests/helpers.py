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
