"""What a feedback report costs when the ministry and the county write as much as the forms allow.

A county report where the county's account of its resource use and each of N shared observations
sit at their limit (core/limits.py: LONG_TEXT), rendered in this process: pages, bytes and the time
of data + HTML and of WeasyPrint. Shows that the limits bound a report's size and time.

Usage: `make bench-report-limits` (environment as bench/run.py: BENCH_DATABASE_URL).
Writes var/bench/report_limits.md.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import ENV, OUT, ensure_database, manage  # noqa: E402

os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

OBSERVATION_COUNTS = (1, 5, 10)
PARAGRAPH = (
    "Regionen beskriver hur medlen från anslaget 1:1 har använts för kompetensförsörjning, "
    "innovation och tillgänglighet, och hur insatserna hänger ihop med den regionala "
    "utvecklingsstrategins prioriteringar. "
)


def text_at_limit(limit: int) -> str:
    """Ordinary prose in paragraphs, exactly `limit` characters long."""
    paragraph = (PARAGRAPH * 3).strip() + "\n\n"
    return (paragraph * (limit // len(paragraph) + 1))[:limit].strip().ljust(limit, ".")


def measure(count: int) -> dict:
    import pypdfium2

    from core import limits
    from core.pdf import render_pdf
    from dialogues.choices import DialogueStatus
    from reports.models import FeedbackReport
    from reports.rendering import report_html
    from tests.factories.dialogues import DialogueFactory, ObservationFactory, SubmissionFactory

    dialogue = DialogueFactory(status=DialogueStatus.HELD)
    SubmissionFactory(dialogue=dialogue, resource_use=text_at_limit(limits.LONG_TEXT))
    for _ in range(count):
        ObservationFactory(dialogue=dialogue, shared_with_region=True, text=text_at_limit(limits.LONG_TEXT))
    report = FeedbackReport.objects.create(round=dialogue.round, region=dialogue.region)
    start = time.perf_counter()
    html = report_html(report)
    templated = time.perf_counter()
    pdf = render_pdf(html)
    rendered = time.perf_counter()
    return {
        "observations": count,
        "pages": len(pypdfium2.PdfDocument(pdf)),
        "bytes": len(pdf),
        "html_s": templated - start,
        "weasyprint_s": rendered - templated,
    }


def main() -> None:
    ensure_database()
    manage("migrate", "--noinput")
    import django

    django.setup()
    from django.db import transaction

    rows = []
    for count in OBSERVATION_COUNTS:
        with transaction.atomic():
            rows.append(measure(count))
            transaction.set_rollback(True)
    lines = [
        "| observations at the limit | pages | PDF size | data + HTML | WeasyPrint |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {row['observations']} | {row['pages']} | {row['bytes'] / 1024:.0f} KiB "
            f"| {row['html_s']:.2f} s | {row['weasyprint_s']:.2f} s |"
            for row in rows
        ),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report_limits.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
