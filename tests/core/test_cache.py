import pytest
from django.core.cache import caches
from django.urls import reverse

from core.cache import TolerantRedisCache
from tests.helpers import log_in_with_code


@pytest.fixture
def redis_away(settings):
    away = {
        "BACKEND": "core.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
    settings.CACHES = {**settings.CACHES, "default": away, "fragments": {**away, "KEY_PREFIX": "fragments"}}
    settings.USER_CACHE_SECONDS = 60  # as in production: with no record of changes, the user is read each time
    caches["default"].close()
    yield
    caches["default"].close()


def test_cache_reads_as_empty_and_writes_are_dropped_while_redis_is_away(redis_away):
    cache = caches["default"]
    assert isinstance(cache, TolerantRedisCache)
    cache.set("a", 1)
    assert cache.get("a", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("b", 2) is False


@pytest.mark.django_db
def test_pages_keep_working_and_users_stay_logged_in_while_redis_is_away(client, ministry_user, password, redis_away):
    log_in_with_code(client, ministry_user, password)
    response = client.get(reverse("home"))
    assert "Välkommen, Maria" in response.content.decode()
