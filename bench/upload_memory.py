"""Upload benchmark: the peak memory of reading the worst spreadsheets we can build within the upload limit.

Each file of `bench/hostile_files.py` is read in a fresh subprocess by the 1:1 import's reader
(`core.spreadsheets.read_rows` with `followup.importing.READ_LIMITS`); the table shows the process's
peak resident memory (getrusage), the part of it the read added over the interpreter with Django and
openpyxl imported, the time, and what the reader said. For comparison, the reader before issue 13
(openpyxl read-only, trusting the declared dimension) reads each file in a subprocess capped at
1 GB of address space and 30 s.

Usage: `make bench-upload`. Writes var/bench/upload_memory.md.
"""

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.hostile_files import HOSTILE, LIMIT  # noqa: E402

OUT = ROOT / "var" / "bench"
BOUND_MB = 200

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from django.conf import settings
settings.configure(USE_I18N=False)
import openpyxl, openpyxl.reader.excel, openpyxl.worksheet._read_only  # before the baseline
from core.spreadsheets import SpreadsheetRefused, read_rows
from followup.importing import READ_LIMITS

def old_reader(content):
    import csv, io
    if content.startswith(b"PK"):
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return [list(values) for values in workbook.worksheets[0].iter_rows(values_only=True)]
    text = content.decode("utf-8-sig", errors="replace")
    return list(csv.reader(io.StringIO(text), delimiter=";"))

content = open({path!r}, "rb").read()
if {old!r}:
    resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.monotonic()
try:
    rows = old_reader(content) if {old!r} else read_rows(content, limits=READ_LIMITS)
    outcome = "accepted, {{}} rows".format(len(rows))
except SpreadsheetRefused as refused:
    outcome = "refused: " + refused.message
except MemoryError:
    outcome = "MemoryError"
except Exception as error:
    outcome = "{{}}: {{}}".format(type(error).__name__, str(error)[:80])
seconds = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"baseline_kb": baseline, "peak_kb": peak, "seconds": seconds, "outcome": outcome}}))
"""


def measure(path: Path, *, old: bool = False) -> dict:
    code = CHILD.format(root=str(ROOT), path=str(path), old=old)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30 if old else 120)
    except subprocess.TimeoutExpired:
        return {"outcome": "still running after 30 s (killed)"}
    if done.returncode != 0 or not done.stdout.strip():
        return {"outcome": f"crashed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    rows, worst = [], 0.0
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as folder:
        for number, (name, build, _expected) in enumerate(HOSTILE):
            content = build()
            assert len(content) <= LIMIT, f"{name} is larger than the upload limit"
            path = Path(folder) / f"{number}.bin"
            path.write_bytes(content)
            now = measure(path)
            before = measure(path, old=True)
            peak = now["peak_kb"] / 1024
            worst = max(worst, peak)
            before_text = f"{before['peak_kb'] / 1024:.0f} MB, " if "peak_kb" in before else ""
            rows.append(
                f"| {name} | {len(content) / 1024:,.0f} kB | {peak:.0f} MB | "
                f"{(now['peak_kb'] - now['baseline_kb']) / 1024:.1f} MB | {now['seconds']:.2f} s | "
                f"{now['outcome']} | {before_text}{before['outcome']} |"
            )
            print(rows[-1], flush=True)
    header = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}; upload limit "
        f"{LIMIT // 1024 // 1024} MB; bound on the peak: {BOUND_MB} MB.",
        "",
        "| file | size | peak memory of the process | added by the read | time | outcome | reader before issue 13 |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    table = "\n".join(header + rows) + f"\n\nWorst peak: {worst:.0f} MB.\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "upload_memory.md").write_text(table)
    print("\n" + table)
    return 0 if worst < BOUND_MB else 1


if __name__ == "__main__":
    start = time.monotonic()
    code = main()
    print(f"({time.monotonic() - start:.0f} s)")
    sys.exit(code)
