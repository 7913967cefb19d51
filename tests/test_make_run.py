"""The newcomer's `make run`: started again it keeps what users did, and Ctrl-C stops all of it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from followup.models import Expenditure
from regions.models import Region, StrategyStage

pytestmark = pytest.mark.demo
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_a_second_load_demo_keeps_what_users_removed_and_changed(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    kalmar = Region.objects.get(code="08")
    removed = Expenditure.objects.filter(allocation__region=kalmar).first()
    removed.delete()
    stage = StrategyStage.objects.filter(strategy__region=kalmar).first()
    stage.note = "Ändrat av användaren"
    stage.save()
    expenditures = Expenditure.objects.count()

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert Expenditure.objects.count() == expenditures
    assert not Expenditure.objects.filter(pk=removed.pk).exists()
    assert StrategyStage.objects.get(pk=stage.pk).note == "Ändrat av användaren"
    assert "not loaded again" in out.getvalue()


@pytest.mark.django_db
def test_the_printed_demo_users_name_their_county(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert any("kalmar@demo.test" in line and "Kalmar län" in line for line in lines)
    assert any("kronoberg@demo.test" in line and "Kronobergs län" in line for line in lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes_of(marker: str) -> list[int]:
    """Processes whose environment carries `marker`: everything the run script started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_ctrl_c_stops_the_web_server_the_worker_and_beat_within_ten_seconds(tmp_path):
    port = _free_port()
    marker = f"DJANGO_VAR_DIR={tmp_path}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "CELERY_", "DJANGO_", "PYTEST_"))
    }
    env.update({"DJANGO_VAR_DIR": str(tmp_path), "PORT": str(port), "DJANGO_DEBUG": "1"})
    log = (tmp_path / "run.log").open("w")
    # A session of its own, like a terminal: Ctrl-C reaches the script's whole foreground group.
    script = subprocess.Popen(
        ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 240
        while not _serves(f"http://127.0.0.1:{port}/healthz"):
            assert script.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "make run did not serve within 4 minutes"
            time.sleep(0.5)
        started = _processes_of(marker)
        names = " ".join(Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace") for pid in started)
        assert "runserver" in names and "worker" in names and "beat" in names

        os.killpg(script.pid, signal.SIGINT)

        deadline = time.monotonic() + 10
        while _processes_of(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_of(marker) == [], (tmp_path / "run.log").read_text()[-3000:]
    finally:
        for pid in _processes_of(marker):
            os.kill(pid, signal.SIGKILL)
        log.close()
