"""Export and import benchmark of the 1:1 use (issue 20, "flat cost").

(a) The national all-years export (`followup:export_all_years`, as the ministry: every county, every
    year), CSV and XLSX, against the 1× benchmark database (15 years) and the 100× one (50 years):
    each run in a fresh subprocess, which reads the database only (its session is READ ONLY). The
    table shows the process's peak resident memory (getrusage ru_maxrss), the baseline after Django's
    setup and the imports, what the export added over it, the time and the file's size. For
    comparison, the writer before issue 20 (the rows as a list, the file built in memory by
    `core.spreadsheets.csv_bytes` / `xlsx_bytes`, as the yearly export did) on the same rows.
(b) An import of the largest file the import accepts (`followup.forms.MAX_UPLOAD_BYTES`,
    `followup.importing.READ_LIMITS`: 1 000 lines, 2 000 000 characters of text, 2 MB), CSV and
    XLSX, timed end to end through the services the upload and confirmation views call (the checks'
    context, `importing.validate`, `services.import_stash_create`, then
    `services.expenditure_import_confirm`, which checks again and saves), in a copy of the 1×
    database (`createdb -T`), with peak memory. Goal: under 2 s.

Usage: `make bench-export`. Environment: BENCH_DATABASE_URL (1×, default dialoger_bench),
BENCH_100_DATABASE_URL (100×, default dialoger_bench_100), BENCH_IMPORT_DATABASE (the copy the
import writes to, default dialoger_bench_import; dropped and made again each run), BENCH_REDIS_URL.
Writes var/bench/export_import.md and export_import.json.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
PG = ["-h", "127.0.0.1", "-U", "postgres"]

DATABASE_1 = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialoger_bench")
DATABASE_100 = os.environ.get("BENCH_100_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialoger_bench_100")
IMPORT_DATABASE = os.environ.get("BENCH_IMPORT_DATABASE", "dialoger_bench_import")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_HTTPS": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "DJANGO_LOG_LEVEL": "WARNING",
}

SETUP = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from django.db import connection
from django.test import RequestFactory
from accounts.choices import Role
from accounts.models import User
from core import spreadsheets
from followup import exporting, importing, selectors, services, views
import openpyxl, openpyxl.cell, openpyxl.styles, openpyxl.reader.excel, openpyxl.worksheet._write_only
"""

# One export: the view as a request reaches it (the ministry's user), the response read to its end
# as the server would send it, nothing kept.
EXPORT = (
    SETUP
    + """
with connection.cursor() as cursor:
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
user = User.objects.filter(role=Role.MINISTRY).order_by("pk").first()
lines = selectors.expenditure_export_lines(selectors.allocations_visible_to(user)).count()
years = selectors.allocations_visible_to(user).values("appropriation__year").distinct().count()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.monotonic()
if {old!r}:
    rows = list(selectors.expenditure_export_rows(selectors.allocations_visible_to(user), with_year=True))
    header, widths = exporting.ALL_YEARS_HEADER, exporting.ALL_YEARS_WIDTHS
    if {fmt!r} == "xlsx":
        content = spreadsheets.xlsx_bytes([spreadsheets.Sheet("Användning", header, rows, widths=widths)])
    else:
        content = spreadsheets.csv_bytes(header, rows)
    size = len(content)
else:
    request = RequestFactory().get("/")
    request.user = user
    response = views.ExportAllYearsView.as_view()(request, fmt={fmt!r})
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()
seconds = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"baseline_kb": baseline, "peak_kb": peak, "seconds": seconds, "bytes": size,
                  "lines": lines, "years": years}}))
"""
)

# The largest file the import accepts, written to `path` (Django set up on the import's copy).
BUILD = (
    SETUP
    + """
import csv, io, random
from django.db.models import Max
from core.spreadsheets import xlsx_bytes, Sheet
from followup.models import Allocation
random.seed(20)
limits = importing.READ_LIMITS
user = User.objects.filter(role=Role.MINISTRY).order_by("pk").first()
year = Allocation.objects.aggregate(year=Max("appropriation__year"))["year"]
context = services.import_context(year=year, user=user)
codes = sorted(context.frames)
priorities = sorted(context.priorities)
instruments = list(importing.INSTRUMENT_NAMES.values())
fmt = {fmt!r}
lines = importing.MAX_IMPORT_LINES
rows = []
for index in range(lines):
    code = codes[index % len(codes)]
    own = [number for county, number in priorities if county == code]
    priority = own[index % len(own)] if own else ""
    rows.append([code, context.region_names[code], instruments[index % len(instruments)], priority, 1000, "nej", ""])

def text_chars(row):
    # What the reader counts: the text cells (every cell of a CSV file; the strings of an XLSX file).
    return sum(len(str(value)) for value in row if fmt == "csv" or isinstance(value, str))

used = text_chars(importing.HEADER) + sum(text_chars(row) for row in rows)
room = limits.max_chars - used
letters = "abcdefghijklmnopqrstuvwxyz     "
for index, row in enumerate(rows):
    length = min(limits.max_cell_chars, room // (lines - index))
    row[6] = "".join(random.choice(letters) for _ in range(length)).strip().ljust(length, "x")
    room -= length

def write():
    if fmt == "xlsx":
        return xlsx_bytes([Sheet("Användning", importing.HEADER, rows)])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\\r\\n").writerows([importing.HEADER, *rows])
    return buffer.getvalue().encode("utf-8")

content = write()
if fmt == "csv":
    # Letters of two bytes in UTF-8 (the same number of characters) fill the file up to the byte limit.
    spare = limits.max_bytes - len(content)
    for row in rows:
        if spare <= 0:
            break
        swap = min(spare, len(row[6]))
        row[6] = "å" * swap + row[6][swap:]
        spare -= swap
    content = write()
assert len(content) <= limits.max_bytes, len(content)
result = importing.validate(content, context)
assert result.is_valid, result.errors[:3]
open({path!r}, "wb").write(content)
print(json.dumps({{"year": year, "bytes": len(content), "lines": len(result.lines),
                  "chars": limits.max_chars - room,
                  "counties": len(result.totals_by_region())}}))
"""
)

# One import through the services of the upload view and of its confirmation.
IMPORT = (
    SETUP
    + """
import cProfile, pstats
from auditlog.context import set_actor
from followup.models import Appropriation, Expenditure
content = open({path!r}, "rb").read()
user = User.objects.filter(role=Role.MINISTRY).order_by("pk").first()
appropriation = Appropriation.objects.get(year={year!r})
profile = cProfile.Profile() if {profile!r} else None
replaced = Expenditure.objects.filter(allocation__appropriation=appropriation).count()
set_actor(user).__enter__()  # what auditlog's middleware does for the request
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if profile:
    profile.enable()
start = time.monotonic()
context = services.import_context(year=appropriation.year, user=user)
result = importing.validate(content, context)
assert result.is_valid, result.errors[:3]
token = services.import_stash_create(user=user, year=appropriation.year, content=content, kind="use")
checked = time.monotonic()
saved = services.expenditure_import_confirm(appropriation=appropriation, user=user, token=token)
seconds = time.monotonic() - start
if profile:
    profile.disable()
    stats = pstats.Stats(profile, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(25)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
stored = Expenditure.objects.filter(allocation__appropriation=appropriation).count()
print(json.dumps({{"baseline_kb": baseline, "peak_kb": peak, "seconds": seconds, "check_seconds": checked - start,
                  "save_seconds": seconds - (checked - start), "lines": len(saved.lines), "stored": stored,
                  "replaced": replaced}}))
"""
)


def child(code: str, database_url: str) -> dict:
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env={**ENV, "DATABASE_URL": database_url}, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
    if done.stderr.strip() and "cumulative" in done.stderr:
        print(done.stderr[:6000], file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(runs: list[dict]) -> dict:
    """The run with the median time (memory is the same from run to run)."""
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def _url(name: str) -> str:
    return DATABASE_1.rsplit("/", 1)[0] + "/" + name


def copy_database() -> str:
    """A copy of the 1× database that stays as it is (the template of each import's database)."""
    template, base = DATABASE_1.rsplit("/", 1)[1], IMPORT_DATABASE + "_base"
    subprocess.run(["dropdb", *PG, "--if-exists", base], check=True)
    copied = subprocess.run(["createdb", *PG, "-T", template, base], capture_output=True, text=True)
    if copied.returncode:
        # A template copy needs the template free of sessions; a dump reads it while others use it.
        subprocess.run(["createdb", *PG, base], check=True)
        dump = subprocess.Popen(["pg_dump", *PG, "--no-owner", template], stdout=subprocess.PIPE)
        subprocess.run(["psql", *PG, "-q", "-o", "/dev/null", base], stdin=dump.stdout, check=True)
        if dump.wait():
            raise SystemExit(f"pg_dump {template} failed")
    return base


def fresh_database(base: str) -> str:
    """The import's database as the 1× one is (its year's lines as the benchmark data made them)."""
    subprocess.run(["dropdb", *PG, "--if-exists", IMPORT_DATABASE], check=True)
    subprocess.run(["createdb", *PG, "-T", base, IMPORT_DATABASE], check=True)
    return _url(IMPORT_DATABASE)


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    exports = []
    for label, url in (("1×", DATABASE_1), ("100×", DATABASE_100)):
        for fmt in ("csv", "xlsx"):
            for old in (False, True):
                run = best([child(EXPORT.format(root=str(ROOT), fmt=fmt, old=old), url) for _ in range(RUNS)])
                run |= {"database": label, "fmt": fmt, "writer": "in memory (before)" if old else "streaming"}
                exports.append(run)
                print(run, flush=True)

    imports = []
    base = copy_database()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    for fmt in ("csv", "xlsx"):
        path = workdir / f"largest.{fmt}"
        built = child(BUILD.format(root=str(ROOT), fmt=fmt, path=str(path)), _url(base))
        code = IMPORT.format(root=str(ROOT), path=str(path), year=built["year"], profile=False)
        first, again = [], []
        for _ in range(RUNS):
            url = fresh_database(base)
            first.append(child(code, url))  # replaces the benchmark data's lines of the year
            again.append(child(code, url))  # replaces the 1 000 lines of the same file
        for scenario, runs in (("first", first), ("again", again)):
            run = best(runs) | {"fmt": fmt, "scenario": scenario, "file_bytes": built["bytes"]}
            run |= {"chars": built["chars"], "year": built["year"], "counties": built["counties"]}
            imports.append(run)
            print(run, flush=True)
        if os.environ.get("BENCH_PROFILE"):
            child(IMPORT.format(root=str(ROOT), path=str(path), year=built["year"], profile=True), url)
    subprocess.run(["dropdb", *PG, "--if-exists", IMPORT_DATABASE], check=True)
    subprocess.run(["dropdb", *PG, "--if-exists", base], check=True)
    shutil.rmtree(workdir, ignore_errors=True)

    write_report(exports, imports)


def write_report(exports: list[dict], imports: list[dict]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Export and import of the 1:1 use",
        "",
        f"`make bench-export`, {stamp}; the median of {RUNS} runs, each in a fresh process. Peak: the",
        "process's peak resident memory (getrusage ru_maxrss); baseline: the same after Django's setup",
        "and the imports, before the export or import; added: peak − baseline.",
        "",
        "## National export of every year (the ministry: every county)",
        "",
        "| database | years | lines | format | writer | peak MB | baseline MB | added MB | time s | file MB |",
        "|---|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for run in exports:
        lines.append(
            f"| {run['database']} | {run['years']} | {run['lines']:,} | {run['fmt'].upper()} | {run['writer']} | "
            f"{mb(run['peak_kb'])} | {mb(run['baseline_kb'])} | {mb(run['peak_kb'] - run['baseline_kb'])} | "
            f"{run['seconds']:.2f} | {run['bytes'] / 1024 / 1024:.1f} |".replace(",", " ")
        )
    lines += [
        "",
        "## Import of the largest file accepted (1 000 lines, 2 000 000 characters, ≤ 2 MB)",
        "",
        "Checked (what the upload view calls: the checks' context, `importing.validate`, the stash), then",
        "confirmed (`services.expenditure_import_confirm`: claimed, checked again, saved), in a copy of",
        "the 1× database, as the ministry. First: the year's lines as the benchmark data made them are",
        "replaced; again: the same file a second time, its 1 000 lines replaced.",
        "",
        "| format | file MB | import | replaced | peak MB | baseline MB | added MB | check s | save s | total s |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in imports:
        lines.append(
            f"| {run['fmt'].upper()} | {run['file_bytes'] / 1024 / 1024:.2f} | {run['scenario']} | "
            f"{run['replaced']} | {mb(run['peak_kb'])} | {mb(run['baseline_kb'])} | "
            f"{mb(run['peak_kb'] - run['baseline_kb'])} | {run['check_seconds']:.2f} | {run['save_seconds']:.2f} | "
            f"{run['seconds']:.2f} |"
        )
    (OUT / "export_import.md").write_text("\n".join(lines) + "\n")
    (OUT / "export_import.json").write_text(json.dumps({"exports": exports, "imports": imports}, indent=2))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
