"""A Redis cache that counts as empty while Redis is away or hangs, so that pages (and sessions,
which are cached in front of the database) keep working through a Redis outage without waiting on
it, and that reuses its redis-py clients."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


# After a failed call, the cache counts as empty for this long without trying Redis: a Redis that
# accepts connections and never answers costs each call its socket timeout, and a page makes many.
# What is written meanwhile is lost, as in an outage: a page part may then be stale for at most
# FRAGMENT_CACHE_SECONDS.
PAUSE_SECONDS = 5.0


def _tolerant(method, fallback):
    """`method`, answering `fallback(*args)` instead of failing while Redis is away."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self._paused_until is not None and time.monotonic() < self._paused_until:
            return fallback(self, *args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            self._paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("Cache unavailable, carrying on without it for %s s: %s", PAUSE_SECONDS, error)
            return fallback(self, *args, **kwargs)

    return wrapper


def _nothing(*args, **kwargs):
    return None


class _TolerantClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._paused_until: float | None = None

    def get_client(self, key=None, *, write=False):
        """One redis-py client per connection pool, reused: Django makes a new one per call, and
        building one costs more than a small GET (redis-py clients are thread-safe)."""
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]

    get = _tolerant(RedisCacheClient.get, lambda self, key, default: default)
    get_many = _tolerant(RedisCacheClient.get_many, lambda *args: {})
    has_key = _tolerant(RedisCacheClient.has_key, lambda *args: False)
    add = _tolerant(RedisCacheClient.add, lambda *args: False)
    set = _tolerant(RedisCacheClient.set, _nothing)
    set_many = _tolerant(RedisCacheClient.set_many, lambda *args: [])
    touch = _tolerant(RedisCacheClient.touch, lambda *args: False)
    delete = _tolerant(RedisCacheClient.delete, lambda *args: False)
    delete_many = _tolerant(RedisCacheClient.delete_many, _nothing)
    clear = _tolerant(RedisCacheClient.clear, _nothing)


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _TolerantClient
