"""Two (or more) real requests in flight at once, each on its own PostgreSQL connection.

`race` runs each callable in a thread of its own while this thread holds a lock that every one of
them needs (a table lock, taken with `lock_sql`). It lets go only once PostgreSQL shows that many
backends waiting on a lock: so the requests really overlap, whatever the machine's speed, and the
test proves what the database does with them rather than what a lucky schedule does.
"""

import threading
import time

from django.db import connection, connections, transaction

WAIT_LIMIT = 60  # seconds; a request that never reaches the lock fails the test instead of hanging it

WAITING = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
"""


def race(*calls, lock_sql: str) -> list:
    """The results of `calls`, run at once while `lock_sql` (taken in this thread) holds them all up."""
    results: list = [None] * len(calls)
    errors: list = []

    def run(index, call):
        try:
            results[index] = call()
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(lock_sql)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + WAIT_LIMIT
        waiting = 0
        while waiting < len(calls) and not errors and time.monotonic() < deadline:
            time.sleep(0.02)
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the view stays as first read
            cursor.execute(WAITING)
            waiting = cursor.fetchone()[0]
    for thread in threads:
        thread.join(WAIT_LIMIT)
    if errors:
        raise errors[0]
    assert waiting >= len(calls), f"only {waiting} of {len(calls)} requests were held up by the lock"
    return results
