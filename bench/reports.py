"""Report benchmark: a round's feedback reports (one per county with an annual dialogue, and the
summary), on the demo data or on the benchmark datasets of `manage.py bench_data --scale 1|10|100`.

1. In-process, one report after another, as a worker makes them (claim, gather and template,
   render, store): the time of each phase (gathering the data and templating the HTML,
   WeasyPrint's layout and PDF, claiming the report and storing the file), the queries of the
   gathering, and the PDF's pages and size, so the share of the time spent outside WeasyPrint is
   measured, not guessed. One report is rendered before the timing starts (templates, fonts and
   WeasyPrint's stylesheets loaded once, as in a worker that has made a report before).
2. With real Celery workers (prefork, Redis broker) of concurrency 1 and then 2: the round is
   requested as the ministry's button does and timed until the last report is done.

Usage: `make bench-reports`. Environment: BENCH_REDIS_URL as bench/run.py, and:

- BENCH_REPORT_SCALES unset: the demo data is loaded into a database of its own,
  BENCH_REPORT_DATABASE_URL + "_demo", and its 2015 round is measured.
- BENCH_REPORT_SCALES="1,100" (any of 1, 10, 100): each size's benchmark dataset, and in it the
  round a user meets, the latest closed one (at 100× it has 49 earlier years behind it). The
  benchmark WRITES reports, so it never runs on the shared datasets bench/run.py keeps
  (BENCH_DATABASE_URL, with _10 and _100 for the larger sizes): it runs on a copy of each,
  BENCH_REPORT_DATABASE_URL + "_<scale>" (default dialoger_bench_reports_1, _10, _100). A missing
  copy is made from the built dataset (`createdb -T`, or through pg_dump while somebody is
  connected to it); delete a copy (`dropdb`) to take a fresh one after the dataset is rebuilt.
- BENCH_REPORT_WORKERS=0 leaves out the runs with Celery workers.
- BENCH_REPORT_PROFILE=1 also writes a cProfile of the gathering and templating of every report
  to var/bench/reports-profile-<size>.txt.

Writes var/bench/reports.md and reports.json.
"""

import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import BASE_DATABASE_URL, ENV, OUT, PYTHON, manage  # noqa: E402

DEMO_YEAR = 2015
SCALES = [int(s) for s in os.environ.get("BENCH_REPORT_SCALES", "").split(",") if s.strip()]
COPY_BASE_URL = os.environ.get("BENCH_REPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialoger_bench_reports")
WITH_WORKERS = os.environ.get("BENCH_REPORT_WORKERS", "1") != "0"
PROFILE = os.environ.get("BENCH_REPORT_PROFILE", "0") == "1"
MEDIA = Path(tempfile.mkdtemp(prefix="bench-reports-"))
ENV.update({"DJANGO_MEDIA_ROOT": str(MEDIA), "CELERY_TASK_ALWAYS_EAGER": "0"})


# --- The parent: one child process per dataset, then the tables ------------------------------------


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _psql(database: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def _database_exists(name: str) -> bool:
    return _psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def shared_dataset_url(scale: int) -> str:
    """The dataset bench/run.py builds and keeps for the size (read here only, to copy it)."""
    return BASE_DATABASE_URL if scale == 1 else f"{BASE_DATABASE_URL}_{scale}"


def copy_url(scale: int) -> str:
    """The size's copy, which this benchmark may write to."""
    return f"{COPY_BASE_URL}_{scale}"


def ensure_copy(scale: int) -> str:
    source, copy = _name(shared_dataset_url(scale)), _name(copy_url(scale))
    shared = {_name(shared_dataset_url(s)) for s in (1, 10, 100)}
    if copy in shared:
        raise SystemExit(f"{copy} is a shared benchmark dataset: point BENCH_REPORT_DATABASE_URL elsewhere")
    if not _database_exists(copy):
        if not _database_exists(source):
            raise SystemExit(f"No {scale}× dataset to copy: build {source} first (manage.py bench_data)")
        print(f"Copying {source} to {copy} …", flush=True)
        done = subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", source, copy], capture_output=True, text=True
        )
        if done.returncode:  # somebody is connected to the dataset: copy it through a dump instead
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", copy], check=True)
            dump = subprocess.Popen(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", source], stdout=subprocess.PIPE)
            subprocess.run(
                ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", copy],
                stdin=dump.stdout, stdout=subprocess.DEVNULL, check=True,
            )  # fmt: skip
            if dump.wait():
                raise SystemExit(f"Could not copy {source}")
    return copy_url(scale)


def run_dataset(label: str, database_url: str, *, demo: bool) -> dict:
    """Measure one dataset in a child process of its own (Django is set up once per database)."""
    env = {**ENV, "DATABASE_URL": database_url}
    ensure_database(database_url)
    manage_in(env, "migrate", "--noinput")
    if demo:
        manage_in(env, "load_demo", "--allow-demo-users")
    result = Path(tempfile.mkstemp(prefix="bench-reports-", suffix=".json")[1])
    subprocess.run(
        [PYTHON, __file__, "--measure", label, str(result), "demo" if demo else "latest"], cwd=ROOT, env=env, check=True
    )
    try:
        return json.loads(result.read_text(encoding="utf-8"))
    finally:
        result.unlink()


def ensure_database(database_url: str) -> None:
    name = _name(database_url)
    if not _database_exists(name):
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def manage_in(env: dict, *args: str) -> None:
    saved = ENV["DATABASE_URL"]
    ENV["DATABASE_URL"] = env["DATABASE_URL"]
    try:
        manage(*args)
    finally:
        ENV["DATABASE_URL"] = saved


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if SCALES:
        datasets = [run_dataset(f"{scale}×", ensure_copy(scale), demo=False) for scale in SCALES]
    else:
        print("Preparing the database (demo data) …", flush=True)
        datasets = [run_dataset("demo", f"{COPY_BASE_URL}_demo", demo=True)]
    write_results(datasets)
    shutil.rmtree(MEDIA, ignore_errors=True)


# --- The child: one dataset ----------------------------------------------------------------------


def measure(label: str, result: Path, which: str) -> None:
    os.environ.update({k: v for k, v in ENV.items() if k != "DATABASE_URL"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    dialogue_round = the_round(which)
    history = history_of(dialogue_round)
    print(f"{label}: the {dialogue_round.year} round ({history}) …", flush=True)
    print(f"{label}: rendering the round's reports in-process, phase by phase …", flush=True)
    phases = phases_in_process(dialogue_round, label)
    runs = []
    if WITH_WORKERS:
        for concurrency in (1, 2):
            print(f"{label}: generating the round's reports with {concurrency} worker process(es) …", flush=True)
            runs.append(with_workers(dialogue_round, concurrency))
    data = {"dataset": label, "year": dialogue_round.year, "history": history, "phases": phases, "runs": runs}
    result.write_text(json.dumps(data, indent=2), encoding="utf-8")
    shutil.rmtree(MEDIA, ignore_errors=True)  # the PDFs this process and its workers stored


def the_round(which: str):
    from dialogues.choices import RoundStatus
    from dialogues.models import DialogueRound

    if which == "demo":
        return DialogueRound.objects.get(year=DEMO_YEAR)
    return DialogueRound.objects.filter(status=RoundStatus.CLOSED).order_by("-year").first()


def history_of(dialogue_round) -> str:
    """What lies behind the round: earlier rounds, the observations and follow-up actions of all
    rounds, and the agency's users (each told when the round's reports are ready)."""
    from accounts.choices import Role
    from accounts.models import User
    from dialogues.models import DialogueRound, FollowUpAction, Observation

    earlier = DialogueRound.objects.filter(year__lt=dialogue_round.year).count()
    observations = Observation.objects.count()
    actions = FollowUpAction.objects.count()
    carried = FollowUpAction.objects.filter(carried_from__isnull=False).count()
    agency = User.objects.filter(role=Role.AGENCY, is_active=True).count()
    return (
        f"{earlier} earlier rounds; {observations:,} observations and {actions:,} follow-up actions "
        f"({carried:,} carried over) in all rounds; {agency:,} active agency users"
    ).replace(",", " ")


def clear_reports(dialogue_round) -> None:
    from reports.models import FeedbackReport

    FeedbackReport.objects.filter(round=dialogue_round).delete()


def _new_reports(dialogue_round) -> list:
    from reports.models import FeedbackReport

    clear_reports(dialogue_round)
    region_ids = (
        dialogue_round.dialogues.filter(kind="annual").order_by("region__code").values_list("region_id", flat=True)
    )
    return FeedbackReport.objects.bulk_create(
        FeedbackReport(round=dialogue_round, region_id=region_id) for region_id in [*region_ids, None]
    )


def _pages(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def phases_in_process(dialogue_round, label: str) -> list[dict]:
    """Generate each report in this process as the worker's service does, timing its phases."""
    from core.pdf import render_pdf
    from reports import services as report_services
    from reports.rendering import report_html

    warm_up = _new_reports(dialogue_round)[0]
    render_pdf(report_html(report_services.report_claim(report_id=warm_up.pk)))
    # The last report to finish tells the agency the round is ready for review (one e-mail to
    # each of its users, handed to the broker after commit): timed apart, with what it leaves to
    # run after commit, as it is once per round and grows with the recipients.
    notice = {"seconds": 0.0}
    tell_agency = report_services._mail_when_round_ready

    def timed(func):
        def run() -> None:
            start = time.perf_counter()
            func()
            notice["seconds"] += time.perf_counter() - start

        return run

    def timed_notice(report) -> None:
        from django.db import connection

        start, queued = time.perf_counter(), len(connection.run_on_commit)
        tell_agency(report)
        notice["seconds"] += time.perf_counter() - start
        connection.run_on_commit[queued:] = [
            (savepoints, timed(func), robust) for savepoints, func, robust in connection.run_on_commit[queued:]
        ]

    report_services._mail_when_round_ready = timed_notice
    try:
        rows = _phases(_new_reports(dialogue_round), notice)
    finally:
        report_services._mail_when_round_ready = tell_agency
    if PROFILE:
        profile_gathering(dialogue_round, label)
    return rows


def _phases(reports: list, notice: dict) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.pdf import render_pdf
    from reports import services as report_services
    from reports.rendering import report_html

    rows = []
    for report in reports:
        notice["seconds"] = 0.0
        start = time.perf_counter()
        report = report_services.report_claim(report_id=report.pk)
        claimed = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            html = report_html(report)
        templated = time.perf_counter()
        pdf = render_pdf(html)
        rendered = time.perf_counter()
        if report_services.report_finish(report=report, pdf=pdf) is None:
            raise SystemExit(f"report {report.pk} was not stored")
        stored = time.perf_counter()
        rows.append(
            {
                "report": report.region.name if report.region_id else "summary",
                "queries": len(queries),
                "data_and_html": templated - claimed,
                "weasyprint": rendered - templated,
                "store": (claimed - start) + (stored - rendered),
                "notice": notice["seconds"],
                "html_bytes": len(html.encode()),
                "bytes": len(pdf),
                "pages": _pages(pdf),
            }
        )
    return rows


def profile_gathering(dialogue_round, label: str) -> None:
    """Gather and template every report of the round once more, under cProfile (untimed: the
    profiler slows Python down several times)."""
    from reports.models import FeedbackReport
    from reports.rendering import report_html

    profile = cProfile.Profile()
    for report in FeedbackReport.objects.filter(round=dialogue_round).select_related("round", "region"):
        profile.runcall(report_html, report)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
    (OUT / f"reports-profile-{label.replace('×', 'x')}.txt").write_text(out.getvalue(), encoding="utf-8")


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
        cwd=ROOT, env={**ENV, "DATABASE_URL": os.environ["DATABASE_URL"]},
    )  # fmt: skip
    try:
        _wait_for_worker(queue)
        from config.celery import app

        app.conf.task_default_queue = queue
        start = time.perf_counter()
        with transaction.atomic():
            reports = report_services.reports_request(dialogue_round=dialogue_round)
        ids = [r.pk for r in reports]
        deadline = time.monotonic() + 900
        while FeedbackReport.objects.filter(
            pk__in=ids, status__in=[ReportStatus.PENDING, ReportStatus.RUNNING]
        ).exists():
            if time.monotonic() > deadline:
                raise SystemExit("the reports were not done within 15 minutes")
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


# --- The tables ----------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def _round_figures(phases: list[dict]) -> dict:
    total = sum(p["data_and_html"] + p["weasyprint"] + p["store"] for p in phases)
    html = sum(p["data_and_html"] for p in phases)
    store = sum(p["store"] for p in phases)
    notice = sum(p["notice"] for p in phases)
    return {"total": total, "html": html, "store": store, "notice": notice, "weasyprint": total - html - store}


def write_results(datasets: list[dict]) -> None:
    names = ", ".join(f"{d['dataset']}: the {d['year']} round ({d['history']})" for d in datasets)
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores; {names}. Each round's reports: "
        "one per county with an annual dialogue and the summary; in-process one after another (after one "
        "untimed report)" + (", then with Redis-brokered prefork workers." if datasets[0]["runs"] else "."),
        "",
        "| measure | " + " | ".join(d["dataset"] for d in datasets) + " |",
        "|---|" + "---:|" * len(datasets),
    ]

    def row(measure: str, cell) -> None:
        lines.append(f"| {measure} | " + " | ".join(cell(d) for d in datasets) + " |")

    figures = {d["dataset"]: _round_figures(d["phases"]) for d in datasets}

    def per_report(key: str):
        return lambda d: f"{_ms(figures[d['dataset']][key] / len(d['phases']))} ms"

    row("reports in the round", lambda d: str(len(d["phases"])))
    row("time per report, in-process (mean)", per_report("total"))
    row("of which data and HTML templating", per_report("html"))
    row("of which WeasyPrint (layout and PDF)", per_report("weasyprint"))
    row("of which claiming and storing (file and record)", per_report("store"))
    row(
        "share of time outside WeasyPrint, the round",
        lambda d: f"{1 - figures[d['dataset']]['weasyprint'] / figures[d['dataset']]['total']:.1%}",
    )
    row("of which the round-ready check and notice (the round)", lambda d: f"{_ms(figures[d['dataset']]['notice'])} ms")
    row(
        "share of time outside WeasyPrint, the round, without the notice",
        lambda d: f"{_share_without_notice(figures[d['dataset']]):.1%}",
    )
    row(
        "share outside WeasyPrint, the highest of a report",
        lambda d: f"{max(_outside(p) for p in d['phases']):.1%}",
    )
    row("queries gathering a report (min–max)", lambda d: _span(p["queries"] for p in d["phases"]))
    row("pages of a report (min–max)", lambda d: _span(p["pages"] for p in d["phases"]))
    row("PDF size, mean", lambda d: f"{statistics.mean(p['bytes'] for p in d['phases']) / 1024:.0f} kB")
    row("PDF size, the round", lambda d: f"{sum(p['bytes'] for p in d['phases']) / 1024 / 1024:.1f} MB")
    if all(d["runs"] for d in datasets):
        for n in (0, 1):
            workers = datasets[0]["runs"][n]["workers"]
            row(
                f"whole round, {workers} worker process{'es' if workers > 1 else ''}",
                lambda d, n=n: f"{d['runs'][n]['wall']:.1f} s ({d['runs'][n]['per_report_mean']:.2f} s per report)",
            )
        row("2 workers' time as a share of 1 worker's", lambda d: f"{d['runs'][1]['wall'] / d['runs'][0]['wall']:.0%}")
    for d in datasets:
        lines += [
            "",
            f"Per report, {d['dataset']} (the {d['year']} round):",
            "",
            "| report | queries | data + HTML ms | WeasyPrint ms | claim + store ms | outside WeasyPrint "
            "| pages | PDF kB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {p['report']} | {p['queries']} | {_ms(p['data_and_html'])} | {_ms(p['weasyprint'])} | "
            f"{_ms(p['store'])} | {_outside(p):.1%} | {p['pages']} | {p['bytes'] / 1024:.0f} |"
            for p in d["phases"]
        ]
    table = "\n".join(lines)
    (OUT / "reports.md").write_text(table + "\n", encoding="utf-8")
    (OUT / "reports.json").write_text(json.dumps(datasets, indent=2), encoding="utf-8")
    print("\n" + table + f"\n\nWritten to {OUT / 'reports.md'} and reports.json")


def _share_without_notice(figures: dict) -> float:
    return 1 - figures["weasyprint"] / (figures["total"] - figures["notice"])


def _outside(phase: dict) -> float:
    total = phase["data_and_html"] + phase["weasyprint"] + phase["store"]
    return (phase["data_and_html"] + phase["store"]) / total


def _span(values) -> str:
    values = list(values)
    return f"{min(values)}–{max(values)}" if min(values) != max(values) else str(values[0])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], Path(sys.argv[3]), sys.argv[4])
    else:
        main()
