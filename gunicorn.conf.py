"""gunicorn reads this file from the working folder. With PROMETHEUS_MULTIPROC_DIR set, the web
workers write their request metrics there and /metrics adds them up; a worker that ends is marked
dead so that its gauges stop counting (its counters stay in the sums)."""

import os

# A sync worker is killed (the user gets a 502) when one request takes longer than this. The slowest
# page is the national 1:1 export as XLSX over 50 years (bench/export_import.py: 17-29 s at 100x
# data, the workbook must be complete before it is sent); every other request is bounded far below
# by the network timeouts (NETWORK_TIMEOUT_SECONDS; the database connection's timeout and keepalives).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))


def child_exit(server, worker):
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
