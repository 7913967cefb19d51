"""The read-only API (/api/v1/) and the open data.

Thin DRF views: each queryset comes from the selectors the pages use (`reports_visible_to`,
`rounds_visible_to`, `allocations_visible_to` ...), so the API shows a token exactly what its
account sees on the pages. Authentication is a bearer token only (no session, no cookie, so no
CSRF); the defaults in settings.REST_FRAMEWORK apply: a token is required, every list is paged,
requests are throttled per token. The open data needs no token and is throttled per address.
"""

import re

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.spreadsheets import csv_bytes
from followup.choices import CoFinancingSource, Instrument
from regions.models import Region
from regions.selectors import region_with_history
from reports.choices import ReportStatus
from reports.selectors import report_for_detail, reports_visible_to

from . import selectors
from .renderers import CsvRenderer, PdfRenderer
from .serializers import (
    BadParameterSerializer,
    CoFinancingSerializer,
    ErrorSerializer,
    FrameSerializer,
    OpenDataSerializer,
    RegionDetailSerializer,
    RegionSerializer,
    ReportSerializer,
    RoundSerializer,
    UseSerializer,
)
from .throttling import AddressRateThrottle

LICENCE = "CC0 1.0 Universal (Public Domain Dedication)"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
OPEN_DATA_DESCRIPTION = (
    "Appropriation 1:1 Regionala tillväxtåtgärder: each county's figures for the years whose feedback "
    "report to it is published. Money in whole Swedish kronor; ratios empty where undefined."
)

ERRORS = {
    400: OpenApiResponse(BadParameterSerializer, description="A filter's value is not valid."),
    401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown or revoked one."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not visible to the token.")}

COUNTY = OpenApiParameter("county", str, description="The county's two-digit code, e.g. 08.", pattern=r"^[0-9]{2}$")
YEAR = OpenApiParameter("year", {"type": "integer", "minimum": 1900, "maximum": 2200}, description="The year.")
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")
PK = OpenApiParameter("pk", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH)
INSTRUMENT = OpenApiParameter("instrument", str, enum=Instrument.values)
SOURCE = OpenApiParameter("source", str, enum=CoFinancingSource.values)


def _refuse(parameter: str, message: str):
    raise exceptions.ValidationError({"detail": message, "parameter": parameter})


def _filters(request, *, instrument: bool = False, source: bool = False) -> dict:
    """The county, year, instrument and source asked for, checked; a bad value is a 400 that says why."""
    params, found = request.query_params, {}
    county = params.get("county", "").strip()
    if county:
        found["county"] = county
    year = params.get("year", "").strip()
    if year:
        if not re.fullmatch(r"[0-9]{4}", year) or not 1900 <= int(year) <= 2200:
            _refuse("year", _("Enter a year between 1900 and 2200."))
        found["year"] = int(year)
    for name, allowed, wanted in (
        ("instrument", Instrument.values, instrument),
        ("source", CoFinancingSource.values, source),
    ):
        value = params.get(name, "").strip()
        if wanted and value:
            if value not in allowed:
                _refuse(name, _("Choose one of: %(values)s.") % {"values": ", ".join(allowed)})
            found[name] = value
    return found


@extend_schema(responses={200: RegionSerializer, **ERRORS, **NOT_FOUND})
class RegionListView(generics.ListAPIView):
    """Every county (all are read by every role)."""

    serializer_class = RegionSerializer

    def get_queryset(self):
        return Region.objects.order_by("code")


@extend_schema(parameters=[SLUG], responses={200: RegionDetailSerializer, **ERRORS, **NOT_FOUND})
class RegionDetailView(generics.RetrieveAPIView):
    """A county's profile: its responsibility history and its regional development strategies."""

    serializer_class = RegionDetailSerializer

    def get_object(self):
        return get_object_or_404(
            region_with_history(self.kwargs["slug"]).prefetch_related("strategies", "business_support_years")
        )


@extend_schema(responses={200: RoundSerializer, **ERRORS, **NOT_FOUND})
class RoundListView(generics.ListAPIView):
    """The dialogue rounds the token sees, newest first, each with its calendar of dialogues (a
    county token sees its own dialogues only, and a round once it is open)."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        return selectors.rounds_with_calendar(self.request.user).order_by("-year")


@extend_schema(parameters=[COUNTY, YEAR], responses={200: ReportSerializer, **ERRORS, **NOT_FOUND})
class ReportListView(generics.ListAPIView):
    """The feedback reports the token sees (a county: its own and the round summaries, once published)."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        found = _filters(self.request)
        reports = reports_visible_to(self.request.user)
        if "county" in found:
            reports = reports.filter(region__code=found["county"])
        if "year" in found:
            reports = reports.filter(round__year=found["year"])
        return reports.order_by("-round__year", "region__code", "language", "-version", "pk")


@extend_schema(parameters=[PK], responses={200: ReportSerializer, **ERRORS, **NOT_FOUND})
class ReportDetailView(generics.RetrieveAPIView):
    serializer_class = ReportSerializer

    def get_object(self):
        return get_object_or_404(report_for_detail(self.request.user, self.kwargs["pk"]))


@extend_schema(
    parameters=[PK],
    responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERRORS, **NOT_FOUND},
)
class ReportPdfView(APIView):
    """The report's PDF: the same checks as the page's download."""

    renderer_classes = (JSONRenderer, PdfRenderer)

    def get(self, request, pk):
        report = get_object_or_404(report_for_detail(request.user, pk))
        if report.status != ReportStatus.DONE or not report.file:
            raise Http404
        return FileResponse(
            report.file.open("rb"),
            as_attachment=True,
            filename=report.file.name.rsplit("/", 1)[-1],
            content_type="application/pdf",
        )


def _by_county_and_year(queryset, found: dict, prefix: str = ""):
    if "county" in found:
        queryset = queryset.filter(**{f"{prefix}region__code": found["county"]})
    if "year" in found:
        queryset = queryset.filter(**{f"{prefix}appropriation__year": found["year"]})
    return queryset


@extend_schema(parameters=[COUNTY, YEAR], responses={200: FrameSerializer, **ERRORS, **NOT_FOUND})
class FrameListView(generics.ListAPIView):
    """1:1 frames with the headline figures of each county and year the token sees."""

    serializer_class = FrameSerializer

    def get_queryset(self):
        return _by_county_and_year(selectors.frames_visible_to(self.request.user), _filters(self.request))


@extend_schema(parameters=[COUNTY, YEAR, INSTRUMENT], responses={200: UseSerializer, **ERRORS, **NOT_FOUND})
class UseListView(generics.ListAPIView):
    """The use of the 1:1 money per county, year and instrument."""

    serializer_class = UseSerializer

    def get_queryset(self):
        found = _filters(self.request, instrument=True)
        rows = _by_county_and_year(selectors.use_visible_to(self.request.user), found, "allocation__")
        return rows.filter(instrument=found["instrument"]) if "instrument" in found else rows


@extend_schema(parameters=[COUNTY, YEAR, SOURCE], responses={200: CoFinancingSerializer, **ERRORS, **NOT_FOUND})
class CoFinancingListView(generics.ListAPIView):
    """The co-financing per county, year and source."""

    serializer_class = CoFinancingSerializer

    def get_queryset(self):
        found = _filters(self.request, source=True)
        rows = _by_county_and_year(selectors.cofinancing_visible_to(self.request.user), found, "allocation__")
        return rows.filter(source=found["source"]) if "source" in found else rows


class OpenDataMixin:
    """No token; throttled per address; the licence in a Link header."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (AddressRateThrottle,)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = f'<{LICENCE_URL}>; rel="license"'
        return response


class OpenFiguresJsonView(OpenDataMixin, APIView):
    """The published 1:1 figures per county and year (CC0 1.0), as JSON."""

    renderer_classes = (JSONRenderer,)

    @extend_schema(operation_id="open_figures_json", auth=[], responses={200: OpenDataSerializer, 429: ERRORS[429]})
    def get(self, request):
        data = {
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "generated_at": timezone.now(),
            "description": OPEN_DATA_DESCRIPTION,
            "figures": selectors.published_figures(),
        }
        return Response(OpenDataSerializer(data).data)


CSV_HEADER = [
    "county",
    "county_name",
    "year",
    "frame",
    "used",
    *(f"used_{code}" for code in Instrument.values),
    "cofinancing",
    "utilisation_percent",
    "leverage",
    "alignment_percent",
]


class OpenFiguresCsvView(OpenDataMixin, APIView):
    """The same figures as CSV (semicolon-separated UTF-8 with a byte-order mark; CC0 1.0)."""

    renderer_classes = (JSONRenderer, CsvRenderer)

    @extend_schema(
        operation_id="open_figures_csv", auth=[], responses={(200, "text/csv"): OpenApiTypes.STR, 429: ERRORS[429]}
    )
    def get(self, request):
        rows = [
            [
                a.region.code,
                a.region.name,
                a.appropriation.year,
                a.frame_total,
                a.used,
                *(getattr(a, f"used_{code}") for code in Instrument.values),
                a.cofinancing_total,
                None if a.utilisation is None else round(a.utilisation, 2),
                None if a.leverage is None else round(a.leverage, 4),
                None if a.alignment is None else round(a.alignment, 2),
            ]
            for a in selectors.published_figures()
        ]
        response = HttpResponse(csv_bytes(CSV_HEADER, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="1-1-figures.csv"'
        return response
