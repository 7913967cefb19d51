"""Page benchmark: serve the portal as deployed (gunicorn, DEBUG off, PostgreSQL, Redis, WhiteNoise)
and drive it with wrk from a second process on loopback, logged in as each role.

Each page's throughput is reported as a share of the same server's cheapest endpoint (`/livez`),
measured in the same run, so the figures hold on a noisy machine. Usage: `make bench`
(environment: BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_YEARS).
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PORT = 8811
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
YEARS = int(os.environ.get("BENCH_YEARS", "15"))

ENV = {
    **os.environ,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_HTTPS": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialoger_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
    "DJANGO_LOG_LEVEL": "WARNING",
}
PYTHON = sys.executable


def manage(*args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def ensure_database() -> None:
    name = ENV["DATABASE_URL"].rsplit("/", 1)[1]
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def sessions_by_role() -> dict[str, tuple[str, str]]:
    """Log one user of each role in (a real session row and cache entry); returns role -> (email, key)."""
    script = (
        "import json\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from accounts.models import User\n"
        "out = {}\n"
        "for email in ['departementet@demo.test', 'tillvaxtverket@demo.test', 'kalmar@demo.test']:\n"
        "    user = User.objects.get(email=email)\n"
        "    s = SessionStore()\n"
        "    s[SESSION_KEY] = str(user.pk)\n"
        "    s[BACKEND_SESSION_KEY] = 'accounts.backends.PasswordBackend'\n"
        "    s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "    s.create()\n"
        "    out[user.role] = (email, s.session_key)\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(manage("shell", "--no-imports", "-c", script).strip().splitlines()[-1])


def targets() -> dict:
    """The objects the heaviest pages are about: the latest round, Kalmar's dialogue in it and its
    feedback report (a finished record: the page renders from the data, not from the PDF)."""
    script = (
        "import json\n"
        "from dialogues.models import Dialogue, DialogueRound\n"
        "from regions.models import Region\n"
        "kalmar = Region.objects.get(code='08')\n"
        "last = DialogueRound.objects.filter(dialogues__region=kalmar).order_by('-year').first()\n"
        "dialogue = Dialogue.objects.get(round=last, region=kalmar, kind='annual')\n"
        "from reports.models import FeedbackReport\n"
        "report, _ = FeedbackReport.objects.get_or_create(round=last, region=kalmar, language='sv', version=1,"
        " defaults={'status': 'done', 'is_current': True})\n"
        "print(json.dumps({'slug': kalmar.slug, 'round': last.pk, 'year': last.year, 'dialogue': dialogue.pk,"
        " 'report': report.pk}))\n"
    )
    return json.loads(manage("shell", "--no-imports", "-c", script).strip().splitlines()[-1])


def pages(t: dict) -> list[tuple[str, str, str]]:
    """(label, path, role). The first is the reference."""
    return [
        ("reference: /livez", "/livez", "anonymous"),
        ("start page", "/", "ministry"),
        ("start page", "/", "agency"),
        ("start page", "/", "region"),
        ("round overview", f"/dialoger/omgang/{t['round']}/", "ministry"),
        ("observation matrix", f"/dialoger/omgang/{t['round']}/iakttagelser/", "ministry"),
        ("dialogue page", f"/dialoger/dialog/{t['dialogue']}/", "ministry"),
        ("dialogue page", f"/dialoger/dialog/{t['dialogue']}/", "region"),
        ("national 1:1 comparison", f"/uppfoljning/?year={t['year']}", "ministry"),
        ("county 1:1 trend", f"/uppfoljning/lan/{t['slug']}/", "region"),
        ("county profile", f"/lan/{t['slug']}/", "agency"),
        ("county list", "/lan/", "ministry"),
        ("feedback report (HTML)", f"/dialoger/rapport/{t['report']}/", "agency"),
    ]


def wrk(path: str, cookie: str | None) -> dict:
    command = [
        "wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency",
        "-s", str(ROOT / "bench" / "wrk_report.lua"), f"http://127.0.0.1:{PORT}{path}",
    ]  # fmt: skip
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def wait_until_up() -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/livez", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def check_page(path: str, cookie: str | None) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")
    if cookie:
        request.add_header("Cookie", f"sessionid={cookie}")
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or response.url.rstrip("/").endswith("logga-in"):
            raise SystemExit(f"{path} did not answer 200 to a logged-in user")


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_database()
    print("Preparing the database and static files …", flush=True)
    manage("migrate", "--noinput")
    manage("bench_data", "--years", str(YEARS))
    manage("collectstatic", "--noinput")
    sessions = sessions_by_role()
    page_list = pages(targets())
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    rows = []
    try:
        wait_until_up()
        for label, path, role in page_list:
            cookie = sessions[role][1] if role in sessions else None
            check_page(path, cookie)
            wrk(path, cookie)  # warm-up: connections, caches, the template loader
            result = wrk(path, cookie)
            rows.append({"page": label, "path": path, "role": role, **result})
            print(
                f"  {label:<28} {role:<10} {result['rps']:8.0f} req/s  p95 {result['p95'] / 1000:6.1f} ms", flush=True
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    write_results(rows)


def write_results(rows: list[dict]) -> None:
    reference = rows[0]
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, gunicorn 2 sync workers, "
        f"wrk {CONNECTIONS} connections × {SECONDS} s per page, {YEARS} years of data.",
        "",
        "| page | role | req/s | share of reference | p50 ms | p95 ms | p95 ÷ reference p95 | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} | {row['role']} | {row['rps']:.0f} | {row['rps'] / reference['rps']:.0%} "
            f"| {row['p50'] / 1000:.1f} | {row['p95'] / 1000:.1f} | {row['p95'] / reference['p95']:.1f}× "
            f"| {row['errors']} |"
        )
    table = "\n".join(lines)
    (OUT / "pages.md").write_text(table + "\n", encoding="utf-8")
    (OUT / "pages.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print("\n" + table + f"\n\nWritten to {OUT / 'pages.md'} and pages.json")


if __name__ == "__main__":
    main()
