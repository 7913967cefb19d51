"""Request metrics for Prometheus (django-prometheus's middleware), with every label bounded.

Django accepts any word as an HTTP method, and django-prometheus labels its latency histogram with
the raw method: one client sending requests with made-up methods would make a new time series per
request until the scraper (and this process's memory) gave in. Every label here comes from a fixed
set: a known method or "<invalid method>", a resolved view name or "<unnamed view>", a status code.
"""

from django_prometheus.middleware import PrometheusAfterMiddleware, PrometheusBeforeMiddleware

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"})


class RequestMetricsBeforeMiddleware(PrometheusBeforeMiddleware):
    """Counts requests and measures the whole stack's latency (first in MIDDLEWARE)."""


class RequestMetricsAfterMiddleware(PrometheusAfterMiddleware):
    """Counts responses by view and status and measures latency by view (last in MIDDLEWARE)."""

    def label_metric(self, metric, request, response=None, **labels):
        if "method" in labels and labels["method"] not in KNOWN_METHODS:
            labels["method"] = "<invalid method>"
        return super().label_metric(metric, request, response, **labels)
