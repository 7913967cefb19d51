"""PostgreSQL hangs: the server accepts the connection and never answers. A request must not wait
with it until gunicorn kills the worker: connecting gives up after DATABASE_CONNECT_TIMEOUT."""

import pytest
from django.conf import settings
from django.db import OperationalError, connections

from .blackhole import BlackHole
from .worker import time_limit


def test_connecting_to_a_database_that_never_answers_gives_up_within_the_connect_timeout(django_db_blocker):
    default = connections["default"]
    if default.vendor != "postgresql":
        pytest.fail("the fault tests run on PostgreSQL (DATABASE_URL)")
    timeout = settings.DATABASES["default"]["OPTIONS"]["connect_timeout"]
    with BlackHole() as server:
        hung = default.__class__({**default.settings_dict, "HOST": "127.0.0.1", "PORT": server.port}, alias="hung")
        with (
            django_db_blocker.unblock(),
            time_limit(timeout + 3, "connecting to the hung database"),
            pytest.raises(OperationalError, match="timeout"),
        ):
            hung.ensure_connection()
        assert server.accepted >= 1
