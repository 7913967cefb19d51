"""gunicorn reads this file from the working folder. With PROMETHEUS_MULTIPROC_DIR set, the web
workers write their request metrics there and /metrics adds them up; a worker that ends is marked
dead so that its gauges stop counting (its counters stay in the sums)."""

import os


def child_exit(server, worker):
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
