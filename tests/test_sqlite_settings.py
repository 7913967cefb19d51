"""`make run` on SQLite: the web server and the workers write to one file without "database is
locked" (issue 13). Run in subprocesses, since the test run itself uses PostgreSQL."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str, database_url: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "1", "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path):
    result = _run(
        """
        import json
        from django.conf import settings
        print(json.dumps(settings.DATABASES["default"]["OPTIONS"]))
        """,
        f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]


def test_settings_sqlite_concurrent_read_then_write_transactions_all_succeed(tmp_path):
    """Four threads, each with its own connection, read a counter and write it back 25 times in a
    transaction: with SQLite's default (deferred) transactions some fail with "database is locked";
    with the portal's settings every increment counts."""
    result = _run(
        """
        import threading
        import django
        from django.db import connection, transaction

        django.setup()
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (value integer)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        errors = []

        def work():
            try:
                for _ in range(25):
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute("SELECT value FROM counter")
                        value = cursor.fetchone()[0]
                        cursor.execute("UPDATE counter SET value = %s", [value + 1])
            except Exception as error:
                errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM counter")
            print(cursor.fetchone()[0], errors)
        """,
        f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "100 []"
