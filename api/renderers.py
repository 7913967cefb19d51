"""Renderers for what the API sends that is not JSON: the PDF and the CSV pass through as they
are; an error on those addresses is still JSON."""

import json

from rest_framework.renderers import BaseRenderer


class _PassThrough(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class PdfRenderer(_PassThrough):
    media_type = "application/pdf"
    format = "pdf"


class CsvRenderer(_PassThrough):
    media_type = "text/csv"
    format = "csv"
