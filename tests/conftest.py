import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import translation

from accounts.choices import Role
from config.celery import app as celery_app
from core.queueing import broker_failure_forget
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.regions import RegionFactory, ResponsibilityPeriodFactory


def pytest_configure(config):
    """Hashing a password costs ~0.7 s here (PBKDF2, a million rounds), and the factories make
    thousands of users. tests/accounts/test_password_hashing.py checks the production hasher."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["tests.hashers.OneRoundPBKDF2PasswordHasher"]


# Marks by place, so that `make test-fast` can leave the slow suites out without anyone remembering
# a marker on a new file; `make test` and CI run everything.
MARKED_FOLDERS = {"browser": "browser", "faults": "faults", "security": "walk"}
MARKED_FILES = {"test_demo.py": "demo", "test_demo_production.py": "demo", "test_backup.py": "demo"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.relative_to(config.rootpath).parts
        if len(parts) > 1 and parts[0] == "tests" and parts[1] in MARKED_FOLDERS:
            item.add_marker(getattr(pytest.mark, MARKED_FOLDERS[parts[1]]))
        if item.path.name in MARKED_FILES:
            item.add_marker(getattr(pytest.mark, MARKED_FILES[item.path.name]))
        if item.path.name.startswith("test_fuzz_"):
            item.add_marker(pytest.mark.fuzz)


# A queue of this run's own, set before anything routes a task: another test run on the same
# Redis never takes our tasks.
celery_app.conf.task_default_queue = f"tests-{os.getpid()}"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _user_read_on_every_request(settings):
    """Query counts are those of a request whose user is not kept yet (the first after any change
    to the users' table): the same whatever the test requested before. tests/accounts/
    test_user_cache.py and the browser journeys keep the user, as production does."""
    settings.USER_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware activates, nothing
    deactivates): the next test in the process would read the portal's messages in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _broker_failures_forgotten():
    """A broker failure in one test does not pause the sends of the next (config/celery.py)."""
    broker_failure_forget()


@pytest.fixture(autouse=True)
def _forced_logins_gave_their_second_factor(request, monkeypatch):
    """`client.force_login(user)` stands for a finished log-in, second factor included, as it did
    before two-factor authentication: the forced session is marked as having given its code
    (accounts.mfa.DONE). Only the test client changes; a real log-in always asks for the code. Tests
    of the code step itself ask for `strict_second_factor` and get Django's own force_login."""
    if "strict_second_factor" in request.fixturenames:
        return
    from django.test import Client

    from accounts import mfa

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[mfa.STATE_SESSION_KEY] = mfa.DONE
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def strict_second_factor():
    """A forced log-in in this test owes its second factor like a password log-in does."""


@pytest.fixture
def password():
    return PASSWORD


def make_region_a():
    region = RegionFactory(code="08", name="Kalmar län", iso_code="SE-H", slug="kalmar-lan")
    ResponsibilityPeriodFactory(region=region, body_name="Region Kalmar län", valid_from=2019)
    return region


def make_region_b():
    region = RegionFactory(code="07", name="Kronobergs län", iso_code="SE-G", slug="kronobergs-lan")
    ResponsibilityPeriodFactory(region=region, body_name="Region Kronoberg", valid_from=2015)
    return region


def make_users(region_a) -> dict:
    """A user of each role (the regional one of county A), as `user_by_role` gives them."""
    return {
        Role.MINISTRY: UserFactory(role=Role.MINISTRY, full_name="Maria Departementet"),
        Role.AGENCY: UserFactory(role=Role.AGENCY, full_name="Tomas Tillväxtverket"),
        Role.REGION: UserFactory(role=Role.REGION, region=region_a, full_name="Karin Kalmar"),
        Role.ADMIN: UserFactory(role=Role.ADMIN, full_name="Anna Administratör"),
    }


@pytest.fixture
def region_a(db):
    return make_region_a()


@pytest.fixture
def region_b(db):
    return make_region_b()


@pytest.fixture
def ministry_user(db):
    return UserFactory(role=Role.MINISTRY, full_name="Maria Departementet")


@pytest.fixture
def agency_user(db):
    return UserFactory(role=Role.AGENCY, full_name="Tomas Tillväxtverket")


@pytest.fixture
def region_user(region_a):
    return UserFactory(role=Role.REGION, region=region_a, full_name="Karin Kalmar")


@pytest.fixture
def other_region_user(region_b):
    return UserFactory(role=Role.REGION, region=region_b, full_name="Kristian Kronoberg")


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, full_name="Anna Administratör")


@pytest.fixture
def user_by_role(ministry_user, agency_user, region_user, admin_user):
    return {
        Role.MINISTRY: ministry_user,
        Role.AGENCY: agency_user,
        Role.REGION: region_user,
        Role.ADMIN: admin_user,
    }


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction open around all of a module's tests: what a module-scoped fixture writes in it
    is built once and seen by every test of the module, each test's own transaction is a savepoint
    inside it (what a test writes is undone after the test, as always), and the whole is rolled back
    after the module's last test. For modules whose tests only read the shared rows, or write and
    roll back; not for `transaction=True` tests or a live server (they need committed rows)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # as TestCase's own: a durable atomic block may open inside it
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_loaded(module_transaction):
    """`load_demo` run once for the module (with DEBUG on, as `make run` does), inside the module's
    transaction: its tests read the demo data, and what they write is undone after each of them."""
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("load_demo")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of this run's own, so that several runs on one machine never collide."""
    from django.conf import settings

    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["NAME"] = f"test_{settings.DATABASES['default']['NAME']}_{os.getpid()}"


@pytest.fixture(scope="session")
def _celery_session_worker():
    """One real worker thread for the session, consuming from the configured broker (Redis).

    It starts before any test opens its database transaction: Celery's Django fixup closes the
    database connections of the thread that starts a worker.
    """
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def celery_live_worker(_celery_session_worker):
    """Tasks go through the broker to the worker instead of running eagerly in the test."""
    celery_app.conf.task_always_eager = False
    yield _celery_session_worker
    celery_app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3-compatible server on a free loopback port, for the session: its address."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings, monkeypatch, tmp_path):
    """Stored files go to a new private bucket of the test's own (configured as an operator would,
    by S3_* variables), and the local media folder is an empty one that must stay empty."""
    from tests.s3 import new_bucket, storage_setting

    bucket = new_bucket(s3_server)
    settings.MEDIA_ROOT = tmp_path / "web-media"
    settings.STORAGES = {**settings.STORAGES, "default": storage_setting(bucket.environment, monkeypatch)}
    yield bucket
    bucket.empty()
