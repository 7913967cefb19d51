"""Real services for fault tests: a private `redis-server` and `celery worker` subprocesses that a
test can stop, restart and kill.

Everything listens on the loopback interface only, and every wait is bounded in time.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from config.celery import app as celery_app
from tests.helpers import _forget_broker_connections

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout: float, what: str) -> None:
    """Poll `condition` every tenth of a second until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def time_limit(seconds: float, what: str):
    """Fail with TimeoutError if the block runs longer than `seconds`, whatever it is waiting for."""

    def expire(signum, frame):
        raise TimeoutError(f"{what} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _stop(process: subprocess.Popen, *, group: bool = False, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    """Signal the process (or its whole group) and wait for it; SIGKILL if it takes too long."""

    def send(signum):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum) if group else process.send_signal(signum)

    send(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait(timeout)
    if group:
        send(signal.SIGKILL)  # none of the leader's children is left behind


class RedisServer:
    """A redis-server of the test's own on a free loopback port, without persistence."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def is_up(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
        except OSError:
            return False
        return True

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(command, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.is_up, timeout=15, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Stop it (its data is gone: nothing is saved) and wait until the port is closed."""
        if self.process is not None:
            _stop(self.process)
            self.process = None
        wait_for(lambda: not self.is_up(), timeout=10, what=f"redis-server on port {self.port} to stop")


@contextmanager
def broker_at(url: str):
    """Inside: this process sends its tasks to the broker at `url` instead of running them eagerly."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = url, False
    _forget_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        _forget_broker_connections()


def _database_url() -> str:
    """The test database this process uses (a name of the run's own), for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (name) state ppid …"; the name may contain spaces, so split after the ")"
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


class CeleryWorker:
    """`celery -A tests.faults.slow_worker worker` as a subprocess: the prefork pool with one child
    process, consuming this test run's queue on `broker_url`, writing to the test database and to
    `media_root`. `slow_stage` ("render" or "store") holds each report's first attempt at that stage
    (see slow_worker.py), so that a test can kill the worker there. `cwd` is its working folder (the
    project's by default) and `environment` adds to or replaces its variables (an object store's, say).

    It runs in a process group of its own, so that killing "the whole worker" takes the pool child
    with it, as when the machine or the container goes away.
    """

    def __init__(
        self,
        *,
        broker_url: str,
        media_root: Path,
        log_folder: Path,
        visibility_timeout: int = 300,
        slow_stage: str = "",
        cwd: Path | None = None,
        environment: dict[str, str] | None = None,
    ):
        self.cwd = cwd or ROOT
        self.extra_environment = environment or {}
        self.broker_url = broker_url
        self.media_root = media_root
        self.visibility_timeout = visibility_timeout
        self.slow_stage = slow_stage
        log_folder.mkdir(parents=True, exist_ok=True)
        self.log_path = log_folder / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.process: subprocess.Popen | None = None

    def _environment(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.broker_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": self.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "FAULTS_QUEUE": celery_app.conf.task_default_queue,
            "FAULTS_SLOW_STAGE": self.slow_stage,
            # The project is importable from any working folder.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            **self.extra_environment,
        }

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> "CeleryWorker":
        command = [
            str(Path(sys.executable).with_name("celery")),
            "--app",
            "tests.faults.slow_worker",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--queues",
            celery_app.conf.task_default_queue,
            "--hostname",
            f"faults-{uuid.uuid4().hex[:8]}@localhost",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.cwd,
                env=self._environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._ready, timeout=45, what=f"the Celery worker to be ready (log: {self.log_path})")
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the Celery worker exited with {self.process.returncode}:\n{self.log()}")
        return " ready." in self.log() and bool(_children(self.process.pid))

    def kill_pool_process(self) -> int:
        """SIGKILL the pool's child process (the one running the task); the worker itself lives on."""
        (child,) = _children(self.process.pid)
        os.kill(child, signal.SIGKILL)
        return child

    def kill(self) -> None:
        """SIGKILL the whole worker, pool child included: nothing is acknowledged or handed back."""
        _stop(self.process, group=True, sig=signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, group=True, sig=signal.SIGKILL)

    def __enter__(self) -> "CeleryWorker":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
