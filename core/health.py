"""Probes: `/livez` (the process answers; no I/O at all) and `/healthz` (it can reach its
database and its broker, and says so within HEALTH_DEADLINE_SECONDS whatever they do)."""

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from celery import current_app
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# The broker check runs in a thread of its own, so a broker that accepts connections and never
# answers costs a probe this long at most (the socket timeouts end the thread soon after).
HEALTH_DEADLINE_SECONDS = 2.0
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=HEALTH_DEADLINE_SECONDS)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok_in_time() -> bool:
    try:
        return _checks.submit(_broker_ok).result(timeout=HEALTH_DEADLINE_SECONDS)
    except FutureTimeout:
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok_in_time()}
    healthy = all(checks.values())
    payload = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JsonResponse(payload, status=200 if healthy else 503)


@login_not_required
@never_cache
@require_GET
def livez(request):
    return HttpResponse("ok", content_type="text/plain")
