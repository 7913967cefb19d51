"""PostgreSQL is restarted while the portal, as deployed (gunicorn, 2 workers, debug off, Redis), is
under load: counties saving their submissions (the text, three ranked priorities and two results,
one transaction) and the ministry reading pages. Nothing answers 500: during the outage the portal
says "temporarily unavailable" (503), it works again within seconds of the restart, and every
submission holds exactly one complete save, never a half-written one.

Everything runs on loopback: a private PostgreSQL cluster in a temporary folder (Debian's binaries,
trust authentication), a private redis-server and gunicorn on free ports. The test is bounded in
time and stops every process it started.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest

from dialogues.models import Submission, SubmissionPriority, SubmissionResult

from .worker import free_port, time_limit, wait_for

TIME_LIMIT_SECONDS = 120
RECOVERY_SECONDS = 15  # after the restart, every client succeeds again within this
OUTAGE_SECONDS = 3
ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
COUNTIES = 3
PRIORITIES, RESULTS = 3, 2  # what each save writes, besides the submission's own text


@pytest.fixture(name="time_limit")
def _time_limit():
    with time_limit(TIME_LIMIT_SECONDS, "the PostgreSQL restart test"):
        yield


# --- A PostgreSQL cluster of the test's own -----------------------------------------------------


# While the empty cluster is filled (migrations, the test's rows) nothing waits for the disk: a
# migration is a commit each, and on a busy machine each flush cost a second. The server is started
# again with the defaults before the portal and its load come (and the restart is what is tested).
SETUP_ONLY = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PrivatePostgres:
    """initdb in a temporary folder, listening on 127.0.0.1 at a free port (and a socket in the folder)."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="faults-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/dialoger"
        self.running = False

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        command = [str(PG_BIN / tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        with open(self.folder / "tools.log", "ab") as log:
            subprocess.run(command, check=True, timeout=timeout, cwd=self.folder, stdout=log, stderr=log)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start(*SETUP_ONLY)
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "dialoger")

    def start(self, *settings: str) -> None:
        """Start the server; `settings` are extra "-c name=value" options for this run only."""
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder}"
        options += "".join(f" -c {setting}" for setting in settings)
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "30", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")
        self.running = False

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def remove(self) -> None:
        if self.running:
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        server.create()
        yield server
    finally:
        server.remove()


# --- The portal as deployed ---------------------------------------------------------------------


def _portal_environment(database_url: str, redis_url: str, media_root: Path) -> dict:
    return {
        **os.environ,  # DJANGO_SECRET_KEY comes from the test run's settings (pyproject's pytest env)
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_MEDIA_ROOT": str(media_root),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def _static_files_collected() -> bool:
    """Whether collectstatic's manifest is newer than every static file it would collect (it
    rehashes every file each time it runs: seconds of CPU for nothing when nothing changed)."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    collected = manifest.stat().st_mtime
    return all(
        Path(storage.path(path)).stat().st_mtime < collected
        for finder in get_finders()
        for path, storage in finder.list([])
    )


def _manage(environment: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=90
    )
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


# Three counties, each with a strategy of three priorities, a draft submission in an open round and
# a regional user; a ministry user. Printed as JSON for the test.
SETUP = f"""
import json
from accounts.choices import Role
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory

dialogue_round = DialogueRoundFactory(year=2031)
counties = []
for _ in range({COUNTIES}):
    dialogue = DialogueFactory(round=dialogue_round)
    SubmissionFactory(dialogue=dialogue, resource_use="start")
    strategy = RegionalStrategyFactory(region=dialogue.region)
    priorities = [StrategyPriorityFactory(strategy=strategy, number=n).pk for n in range(1, {PRIORITIES} + 1)]
    user = UserFactory(role=Role.REGION, region=dialogue.region)
    counties.append({{"email": user.email, "dialogue": dialogue.pk, "priorities": priorities}})
ministry = UserFactory(role=Role.MINISTRY)
from tests.helpers import recovery_code_for  # the ministry's log-in gives a second factor
world = {{"round": dialogue_round.pk, "counties": counties, "ministry": ministry.email, "password": PASSWORD,
          "ministry_code": recovery_code_for(ministry)}}
print(json.dumps(world))
"""


class Gunicorn:
    def __init__(self, environment: dict, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment, self.log_path = environment, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--timeout", "30"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for(self._up, timeout=30, what=f"gunicorn on port {self.port} (log: {self.log_path})")

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
        try:
            with urllib.request.urlopen(self.base + "/livez", timeout=1):
                return True
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.process = None


# --- Clients over HTTP --------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    started: float
    who: str
    what: str
    status: int | None  # None: no HTTP answer at all
    location: str = ""
    retry_after: str = ""
    error: str = ""
    body: str = field(default="", repr=False)

    @property
    def asks_to_log_in(self) -> bool:
        return "/konto/logga-in/" in self.location

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400 and not self.asks_to_log_in


class Browser:
    """One user's session: cookies, no automatic redirects, every answer recorded."""

    def __init__(self, base: str, who: str, record):
        self.base, self.who, self.record = base, who, record
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def request(self, what: str, path: str, data: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=20) as response:
                answer = Answer(started, self.who, what, response.status, body=response.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:
            answer = Answer(
                started,
                self.who,
                what,
                error.code,
                location=error.headers.get("Location", ""),
                retry_after=error.headers.get("Retry-After", ""),
                body=error.read().decode(errors="replace"),
            )
        except OSError as error:
            answer = Answer(started, self.who, what, None, error=repr(error))
        self.record(answer)
        return answer

    def log_in(self, email: str, password: str, code: str | None = None) -> None:
        page = self.request("log-in page", "/konto/logga-in/")
        token = _csrf_token(page.body)
        answer = self.request("log in", "/konto/logga-in/", {"username": email, "password": password, **token})
        assert answer.status == 302 and not answer.asks_to_log_in, f"{email} could not log in: {answer}"
        if code is not None:  # the second factor: a recovery code at the code step
            page = self.request("code page", "/konto/logga-in/kod/")
            answer = self.request("code", "/konto/logga-in/kod/", {"recovery_code": code, **_csrf_token(page.body)})
            assert answer.status == 302, f"{email} could not give the code: {answer}"


def _csrf_token(html: str) -> dict:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return {"csrfmiddlewaretoken": match[1]}


@dataclass
class County:
    """A regional user saving the county's submission again and again, each save marked."""

    browser: Browser
    dialogue: int
    priorities: list[int]
    attempted: list[str] = field(default_factory=list)  # markers of the saves sent, in order
    confirmed: list[str] = field(default_factory=list)  # markers of the saves answered "saved"

    def save_once(self) -> None:
        edit_path = f"/dialoger/dialog/{self.dialogue}/inlamning/andra/"
        page = self.browser.request("submission form", edit_path)
        if page.status != 200:
            time.sleep(0.2)
            return
        version = re.search(r'name="version" value="(\d+)"', page.body)
        assert version, "the submission form has no version field"
        marker = f"{self.browser.who}-save-{len(self.attempted) + 1}"
        data = {
            **_csrf_token(page.body),
            "version": version[1],
            "resource_use": marker,
            "priorities-TOTAL_FORMS": PRIORITIES,
            "priorities-INITIAL_FORMS": 0,
            "results-TOTAL_FORMS": RESULTS,
            "results-INITIAL_FORMS": 0,
        }
        for index, priority in enumerate(self.priorities):
            data |= {f"priorities-{index}-rank": index + 1, f"priorities-{index}-strategy_priority": priority}
            data[f"priorities-{index}-rationale"] = marker
        for index in range(RESULTS):
            data |= {f"results-{index}-indicator": marker, f"results-{index}-target": str(index)}
        self.attempted.append(marker)
        answer = self.browser.request("submission save", edit_path, data)
        if answer.status == 302 and answer.location.endswith(f"/dialoger/dialog/{self.dialogue}/inlamning/"):
            self.confirmed.append(marker)


def _read_pages(browser: Browser, paths: list[str], stop: threading.Event) -> None:
    while not stop.is_set():
        for path in paths:
            browser.request(f"page {path}", path)


def _keep_saving(county: County, stop: threading.Event) -> None:
    while not stop.is_set():
        county.save_once()


def _submissions(database_url: str) -> dict[int, dict]:
    """Each submission's text and what its priority and result rows say, read straight from PostgreSQL."""
    parts = urllib.parse.urlparse(database_url)
    submissions, priorities, results = (m._meta.db_table for m in (Submission, SubmissionPriority, SubmissionResult))
    query = f"""
        SELECT s.dialogue_id, s.resource_use,
               ARRAY(SELECT p.rationale FROM {priorities} p WHERE p.submission_id = s.id ORDER BY p.rank),
               ARRAY(SELECT p.rank FROM {priorities} p WHERE p.submission_id = s.id ORDER BY p.rank),
               ARRAY(SELECT r.indicator FROM {results} r WHERE r.submission_id = s.id ORDER BY r.position)
        FROM {submissions} s
    """
    with (
        contextlib.closing(
            psycopg2.connect(host=parts.hostname, port=parts.port, user=parts.username, dbname=parts.path[1:])
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(query)
        return {
            dialogue: {"text": text, "rationales": rationales, "ranks": ranks, "indicators": indicators}
            for dialogue, text, rationales, ranks, indicators in cursor.fetchall()
        }


def test_postgres_restarted_under_load_answers_503_then_recovers_without_half_written_rows(
    private_postgres, private_redis, tmp_path, time_limit
):
    environment = _portal_environment(private_postgres.url, private_redis.url, tmp_path / "media")
    _manage(environment, "migrate", "--noinput")
    if not _static_files_collected():
        _manage(environment, "collectstatic", "--noinput")
    world = json.loads(_manage(environment, "shell", "-c", SETUP).strip().splitlines()[-1])
    private_postgres.stop()
    private_postgres.start()  # with the defaults: every commit flushed to disk, as deployed
    portal = Gunicorn(environment, tmp_path / "gunicorn.log")

    answers: list[Answer] = []
    lock = threading.Lock()

    def record(answer: Answer) -> None:
        with lock:
            answers.append(answer)

    stop = threading.Event()
    threads = []
    try:
        portal.start()
        counties = []
        for index, county in enumerate(world["counties"]):
            browser = Browser(portal.base, f"county{index + 1}", record)
            browser.log_in(county["email"], world["password"])
            counties.append(County(browser, county["dialogue"], county["priorities"]))
        ministry = Browser(portal.base, "ministry", record)
        ministry.log_in(world["ministry"], world["password"], world["ministry_code"])
        pages = ["/", f"/dialoger/omgang/{world['round']}/", "/lan/", f"/dialoger/dialog/{counties[0].dialogue}/"]

        threads = [threading.Thread(target=_keep_saving, args=(county, stop)) for county in counties]
        threads.append(threading.Thread(target=_read_pages, args=(ministry, pages, stop)))
        for thread in threads:
            thread.start()
        wait_for(lambda: all(c.confirmed for c in counties), timeout=30, what="a first save by every county")

        # The outage: a fast shutdown (open transactions are rolled back), a pause, a start.
        went_down = time.monotonic()
        private_postgres.stop("fast")
        time.sleep(OUTAGE_SECONDS)
        private_postgres.start()
        came_up = time.monotonic()

        clients = {c.browser.who for c in counties} | {ministry.who}

        def first_success_after_restart(who: str) -> float | None:
            with lock:
                return min((a.started for a in answers if a.who == who and a.started > came_up and a.ok), default=None)

        wait_for(
            lambda: all(first_success_after_restart(who) for who in clients),
            timeout=RECOVERY_SECONDS,
            what="every client to succeed after the restart",
        )
        recovered = max(first_success_after_restart(who) for who in clients)
        confirmed_before = {c.browser.who: len(c.confirmed) for c in counties}
        wait_for(
            lambda: all(len(c.confirmed) >= confirmed_before[c.browser.who] + 2 for c in counties),
            timeout=RECOVERY_SECONDS,
            what="two more saves by every county after the restart",
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        portal.stop()
    assert not any(thread.is_alive() for thread in threads), "a client thread did not stop"

    server_errors = [a for a in answers if a.status is not None and a.status >= 500 and a.status != 503]
    assert server_errors == [], f"server errors:\n{server_errors[:5]}\n{portal.log()}"
    no_answer = [a for a in answers if a.status is None]
    assert no_answer == [], f"requests without an answer (gunicorn stayed up):\n{no_answer[:5]}"
    unavailable = [a for a in answers if a.status == 503]
    assert unavailable, "no request met the outage: the test proved nothing"
    # (a request may have waited a moment for a free gunicorn worker before the database went down)
    assert all(went_down - 5 <= a.started <= came_up for a in unavailable), "a 503 outside the outage"
    assert all(a.retry_after for a in unavailable), "a 503 without Retry-After"
    assert all("Inget sparades" in a.body for a in unavailable), f"the 503 page does not say so:\n{unavailable[0].body}"
    assert recovered - came_up < RECOVERY_SECONDS
    print(
        f"{len(answers)} requests, {len(unavailable)} answered 503 during the {OUTAGE_SECONDS} s outage; "
        f"every client succeeded again {recovered - came_up:.1f} s after the restart"
    )
    failed_after = [a for a in answers if a.started > recovered and not a.ok]
    assert failed_after == [], f"failures after the portal had recovered:\n{failed_after[:5]}"

    # Every submission holds exactly one whole save: the last one confirmed, or a later one whose
    # answer was lost in the outage (its commit may have gone through). Never a mix, never a part.
    stored = _submissions(private_postgres.url)
    for county in counties:
        saved = stored[county.dialogue]
        marker = saved["text"]
        assert marker in county.attempted, f"{county.browser.who}: unknown text {marker!r}"
        assert county.attempted.index(marker) >= county.attempted.index(county.confirmed[-1]), (
            f"{county.browser.who}: a confirmed save is lost"
        )
        assert saved["rationales"] == [marker] * PRIORITIES, f"{county.browser.who}: priorities {saved}"
        assert saved["ranks"] == list(range(1, PRIORITIES + 1)), f"{county.browser.who}: ranks {saved}"
        assert saved["indicators"] == [marker] * RESULTS, f"{county.browser.who}: results {saved}"
