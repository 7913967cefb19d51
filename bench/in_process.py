"""Time the heavy pages in this process with Django's test client, against each benchmark size's
database (no server, no cache, DEBUG on): a quick way to see whether a page grows with the data
and which query is to blame, before and after a change. `make bench` gives the figures that count.

Usage: `.venv/bin/python bench/in_process.py [page …]` with BENCH_DATABASE_URL as for `make bench`
and BENCH_SCALES (default "1,100"); the sizes must have been built by `make bench` or
`manage.py bench_data --scale N`.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialoger_bench")
SCALES = [int(scale) for scale in os.environ.get("BENCH_SCALES", "1,100").split(",")]
REPEAT = 6


def pages() -> list[tuple[str, str, str]]:
    from dialogues.models import Dialogue, DialogueRound
    from regions.models import Region

    kalmar = Region.objects.get(code="08")
    last = DialogueRound.objects.filter(dialogues__region=kalmar).order_by("-year").first()
    dialogue = Dialogue.objects.get(round=last, region=kalmar, kind="annual")
    ministry, county = "departementet@demo.test", "kalmar@demo.test"
    return [
        ("floor", "/tillganglighet/", ministry),
        ("start page", "/", ministry),
        ("submission with change history", f"/dialoger/dialog/{dialogue.pk}/inlamning/", ministry),
        ("dialogue page", f"/dialoger/dialog/{dialogue.pk}/", ministry),
        ("observation matrix", f"/dialoger/omgang/{last.pk}/iakttagelser/", ministry),
        ("county 1:1 year", f"/uppfoljning/lan/{kalmar.slug}/{last.year}/", county),
        ("county 1:1 trend", f"/uppfoljning/lan/{kalmar.slug}/", county),
        ("national 1:1", f"/uppfoljning/?year={last.year}", ministry),
        ("search", "/dialoger/sok/?q=kompetensf%C3%B6rs%C3%B6rjning", ministry),
        ("register", "/diarium/", "registrator@demo.test"),
        ("contacts", "/lan/kontakter/", ministry),
        ("forum meetings", "/forum/moten/", ministry),
    ]


def measure(only: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.mfa import DONE, STATE_SESSION_KEY
    from accounts.models import User

    for label, path, email in pages():
        if only and label not in only:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(email=email))
        session = client.session
        session[STATE_SESSION_KEY] = DONE  # the second factor given, as after a log-in with the code
        session.save()
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not the page")
        slowest = max((float(q["time"]) for q in queries.captured_queries), default=0.0)
        print(
            f"  {label:<32} {response.status_code} median {statistics.median(times[1:]) * 1000:7.1f} ms"
            f"  queries {len(queries.captured_queries):3}  slowest query {slowest * 1000:6.1f} ms",
            flush=True,
        )


def main() -> None:
    if os.environ.get("BENCH_CHILD"):
        measure(sys.argv[1:])
        return
    for scale in SCALES:
        print(f"{scale}×", flush=True)
        env = {
            **os.environ,
            "BENCH_CHILD": "1",
            "DJANGO_DEBUG": "1",
            "DJANGO_LOG_LEVEL": "ERROR",
            "REDIS_URL": "",
            "DATABASE_URL": BASE if scale == 1 else f"{BASE}_{scale}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run([sys.executable, __file__, *sys.argv[1:]], env=env, check=True)


if __name__ == "__main__":
    main()
