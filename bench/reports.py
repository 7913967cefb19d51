"""Report benchmark: the 22 feedback reports (21 counties and the summary) of the demo 2015 round.

1. In-process, one report after another: the time of each phase (gathering the data and
   templating the HTML, WeasyPrint's rendering, storing the file), so the share of the time spent
   outside WeasyPrint is measured, not guessed.
2. With real Celery workers (prefork, Redis broker) of concurrency 1 and then 2: the round is
   requested as the ministry's button does and timed until the last report is done.

Usage: `make bench-reports` (environment as bench/run.py: BENCH_DATABASE_URL, BENCH_REDIS_URL).
Writes var/bench/reports.md and reports.json.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import ENV, OUT, PYTHON, ensure_database, manage  # noqa: E402

YEAR = 2015
MEDIA = Path(tempfile.mkdtemp(prefix="bench-reports-"))
ENV.update({"DJANGO_MEDIA_ROOT": str(MEDIA), "CELERY_TASK_ALWAYS_EAGER": "0"})
os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup_django():
    import django

    django.setup()


def the_round():
    from dialogues.models import DialogueRound

    return DialogueRound.objects.get(year=YEAR)


def clear_reports(dialogue_round) -> None:
    from reports.models import FeedbackReport

    FeedbackReport.objects.filter(round=dialogue_round).delete()


def phases_in_process(dialogue_round) -> list[dict]:
    """Generate each report in this process, timing its phases."""
    import weasyprint
    from django.conf import settings

    from reports import services as report_services
    from reports.models import FeedbackReport
    from reports.rendering import report_html

    clear_reports(dialogue_round)
    region_ids = (
        dialogue_round.dialogues.filter(kind="annual").order_by("region__code").values_list("region_id", flat=True)
    )
    reports = FeedbackReport.objects.bulk_create(
        FeedbackReport(round=dialogue_round, region_id=region_id) for region_id in [*region_ids, None]
    )
    rows = []
    for report in reports:
        report = FeedbackReport.objects.select_related("round", "region").get(pk=report.pk)
        start = time.perf_counter()
        html = report_html(report)
        templated = time.perf_counter()
        pdf = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
        rendered = time.perf_counter()
        report_services.report_finish(report=report, pdf=pdf)
        stored = time.perf_counter()
        rows.append(
            {
                "report": report.region.name if report.region_id else "summary",
                "data_and_html": templated - start,
                "weasyprint": rendered - templated,
                "store": stored - rendered,
                "bytes": len(pdf),
            }
        )
    return rows


def with_workers(dialogue_round, concurrency: int) -> dict:
    """Request the round's reports and time real workers until the last one is done."""
    from django.db import transaction

    from reports import services as report_services
    from reports.choices import ReportStatus
    from reports.models import FeedbackReport

    clear_reports(dialogue_round)
    queue = f"bench-reports-{os.getpid()}"
    worker = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", str(concurrency),
         "-Q", queue, "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    try:
        _wait_for_worker(queue)
        from config.celery import app

        app.conf.task_default_queue = queue
        start = time.perf_counter()
        with transaction.atomic():
            reports = report_services.reports_request(dialogue_round=dialogue_round)
        ids = [r.pk for r in reports]
        deadline = time.monotonic() + 600
        while FeedbackReport.objects.filter(
            pk__in=ids, status__in=[ReportStatus.PENDING, ReportStatus.RUNNING]
        ).exists():
            if time.monotonic() > deadline:
                raise SystemExit("the reports were not done within 10 minutes")
            time.sleep(0.1)
        wall = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    done = FeedbackReport.objects.filter(pk__in=ids)
    failed = [r.error for r in done if r.status != ReportStatus.DONE]
    if failed:
        raise SystemExit(f"{len(failed)} report(s) failed: {failed[0]}")
    per_report = [(r.finished_at - r.started_at).total_seconds() for r in done]
    return {"workers": concurrency, "reports": len(ids), "wall": wall, "per_report_mean": statistics.mean(per_report)}


def _wait_for_worker(queue: str) -> None:
    from config.celery import app

    for _ in range(120):
        replies = app.control.ping(timeout=0.5)
        if replies:
            return
        time.sleep(0.5)
    raise SystemExit(f"the Celery worker on {queue} did not start")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_database()
    print("Preparing the database (demo data) …", flush=True)
    manage("migrate", "--noinput")
    manage("load_demo", "--allow-demo-users")
    setup_django()
    dialogue_round = the_round()

    print("Rendering the round's reports in-process, phase by phase …", flush=True)
    phases = phases_in_process(dialogue_round)
    runs = []
    for concurrency in (1, 2):
        print(f"Generating the round's reports with {concurrency} worker process(es) …", flush=True)
        runs.append(with_workers(dialogue_round, concurrency))
    write_results(phases, runs)


def write_results(phases: list[dict], runs: list[dict]) -> None:
    total = sum(p["data_and_html"] + p["weasyprint"] + p["store"] for p in phases)
    outside = sum(p["data_and_html"] + p["store"] for p in phases)
    html = sum(p["data_and_html"] for p in phases)
    one, two = runs
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, the demo {YEAR} round "
        f"({len(phases)} reports: 21 counties and the summary), Redis broker, prefork workers.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| time per report, in-process (mean) | {total / len(phases) * 1000:.0f} ms |",
        f"| of which data and HTML templating | {html / len(phases) * 1000:.0f} ms |",
        f"| of which WeasyPrint (layout and PDF) | {(total - outside) / len(phases) * 1000:.0f} ms |",
        f"| of which storing the file and the record | {(outside - html) / len(phases) * 1000:.0f} ms |",
        f"| share of time outside WeasyPrint | {outside / total:.0%} |",
        f"| whole round, 1 worker process | {one['wall']:.1f} s ({one['per_report_mean']:.2f} s per report) |",
        f"| whole round, 2 worker processes | {two['wall']:.1f} s ({two['per_report_mean']:.2f} s per report) |",
        f"| 2 workers' time as a share of 1 worker's | {two['wall'] / one['wall']:.0%} |",
    ]
    table = "\n".join(lines)
    (OUT / "reports.md").write_text(table + "\n", encoding="utf-8")
    (OUT / "reports.json").write_text(json.dumps({"phases": phases, "runs": runs}, indent=2), encoding="utf-8")
    print("\n" + table + f"\n\nWritten to {OUT / 'reports.md'} and reports.json")


if __name__ == "__main__":
    main()
