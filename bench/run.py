"""Page benchmark: serve the portal as deployed (gunicorn, DEBUG off, PostgreSQL, Redis, WhiteNoise)
and drive it with wrk from a second process on loopback, logged in as each role, at each dataset
size (`bench_data --scale`: today's data, 10× and 100×, each in a database of its own, built once
and kept).

Each page's throughput is reported as a share of the same server's cheapest endpoint (`/livez`)
and of the cheapest logged-in page (the accessibility statement: the "floor", only the layout),
measured in the same run, so the figures hold on a noisy machine. Usage: `make bench`
(environment: BENCH_DATABASE_URL for the 1× database, the others get the suffix _10 and _100;
BENCH_REDIS_URL, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_SCALES such as "1,100").
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
SCALES = [int(scale) for scale in os.environ.get("BENCH_SCALES", "1,10,100").split(",")]

ENV = {
    **os.environ,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_HTTPS": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialoger_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "DJANGO_LOG_LEVEL": "WARNING",
}
PYTHON = sys.executable
BASE_DATABASE_URL = ENV["DATABASE_URL"]


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
        "from accounts.mfa import DONE, STATE_SESSION_KEY\n"
        "from accounts.models import User\n"
        "out = {}\n"
        "for email in ['departementet@demo.test', 'tillvaxtverket@demo.test', 'kalmar@demo.test',"
        " 'registrator@demo.test']:\n"
        "    user = User.objects.get(email=email)\n"
        "    s = SessionStore()\n"
        "    s[SESSION_KEY] = str(user.pk)\n"
        "    s[BACKEND_SESSION_KEY] = 'accounts.backends.PasswordBackend'\n"
        "    s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "    s[STATE_SESSION_KEY] = DONE\n"  # the second factor given, as after a log-in with the code
        "    s.create()\n"
        "    out['registrar' if user.is_registrar else user.role] = (email, s.session_key)\n"
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
    """(label, path, role). The first is the reference, the second the floor."""
    return [
        ("reference: /livez", "/livez", "anonymous"),
        ("floor: accessibility statement", "/tillganglighet/", "ministry"),
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
        ("submission with change history", f"/dialoger/dialog/{t['dialogue']}/inlamning/", "ministry"),
        ("county 1:1 year (all lines)", f"/uppfoljning/lan/{t['slug']}/{t['year']}/", "region"),
        ("search", "/dialoger/sok/?q=kompetensf%C3%B6rs%C3%B6rjning", "ministry"),
        ("register (diarium)", "/diarium/", "registrar"),
        ("contact directory", "/lan/kontakter/", "ministry"),
        ("forum meetings", "/forum/moten/", "ministry"),
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
        if response.status != 200 or "/logga-in" in response.url:  # the log-in page or its code step
            raise SystemExit(f"{path} did not answer 200 to a logged-in user (ended at {response.url})")


def database_url(scale: int) -> str:
    return BASE_DATABASE_URL if scale == 1 else f"{BASE_DATABASE_URL}_{scale}"


def prepare(scale: int) -> None:
    """Point at the size's database; build its data the first time (100× takes several minutes)."""
    ENV["DATABASE_URL"] = database_url(scale)
    ensure_database()
    manage("migrate", "--noinput")
    check = "from auditlog.models import LogEntry; print(LogEntry.objects.filter(cid='bench').exists())"
    if manage("shell", "--no-imports", "-c", check).strip().splitlines()[-1] != "True":
        print(f"Building the {scale}× dataset …", flush=True)
        manage("bench_data", "--scale", str(scale))
    subprocess.run(["redis-cli", "-u", ENV["REDIS_URL"], "flushdb"], check=True, capture_output=True)


def measure(scale: int) -> list[dict]:
    prepare(scale)
    sessions = sessions_by_role()
    page_list = pages(targets())
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
         "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    rows = []
    try:
        wait_until_up()
        for label, path, role in page_list:
            cookie = sessions[role][1] if role in sessions else None
            check_page(path, cookie)
            wrk(path, cookie)  # warm-up: connections, caches, the template loader
            result = wrk(path, cookie)
            rows.append({"scale": scale, "page": label, "path": path, "role": role, **result})
            print(
                f"  {scale:>3}× {label:<32} {role:<10} {result['rps']:8.0f} req/s  p95 {result['p95'] / 1000:6.1f} ms",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    manage("collectstatic", "--noinput")
    rows = []
    for scale in SCALES:
        rows.extend(measure(scale))
    write_results(rows)


REFERENCE = ("reference: /livez", "anonymous")
FLOOR = ("floor: accessibility statement", "ministry")


def write_results(rows: list[dict]) -> None:
    """One row per page and role; for each size: req/s, p95, and throughput as a share of the
    reference and of the floor; last, the p95 at the largest size ÷ the p95 at the smallest."""
    by_size = {scale: {(r["page"], r["role"]): r for r in rows if r["scale"] == scale} for scale in SCALES}
    first, last = SCALES[0], SCALES[-1]
    header = ["page", "role"]
    for scale in SCALES:
        header += [f"{scale}× req/s", f"{scale}× p95 ms", f"{scale}× ÷ livez", f"{scale}× ÷ floor"]
    header.append(f"p95 {last}× ÷ {first}×")
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, gunicorn 2 sync workers, "
        f"wrk {CONNECTIONS} connections × {SECONDS} s per page, sizes {', '.join(f'{s}×' for s in SCALES)}.",
        "",
        "| " + " | ".join(header) + " |",
        "|---|---|" + "---:|" * (len(header) - 2),
    ]
    for key in by_size[first]:
        cells = list(key)
        for scale in SCALES:
            size = by_size[scale]
            row = size.get(key)
            if row is None:
                cells += ["–"] * 4
                continue
            cells += [
                f"{row['rps']:.0f}",
                f"{row['p95'] / 1000:.1f}",
                f"{row['rps'] / size[REFERENCE]['rps']:.0%}",
                f"{row['rps'] / size[FLOOR]['rps']:.0%}",
            ]
        grown = by_size[last].get(key)
        cells.append(f"{grown['p95'] / by_size[first][key]['p95']:.2f}×" if grown else "–")
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    (OUT / "pages.md").write_text(table + "\n", encoding="utf-8")
    (OUT / "pages.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print("\n" + table + f"\n\nWritten to {OUT / 'pages.md'} and pages.json")


if __name__ == "__main__":
    main()
