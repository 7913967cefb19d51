"""What the API shows of each record: English field names, ISO 8601 dates, money in whole kronor."""

from django.urls import reverse
from rest_framework import serializers

from dialogues.models import Dialogue, DialogueRound
from followup.choices import CoFinancingSource, Instrument
from regions.models import Region, RegionalStrategy, ResponsibilityPeriod
from reports.choices import ReportStatus
from reports.models import FeedbackReport


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class BadParameterSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField()


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ("code", "name", "iso_code", "slug")


class ResponsibilityPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibilityPeriod
        fields = ("body_type", "body_name", "valid_from", "valid_to", "source")


class StrategySerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionalStrategy
        fields = ("title", "start_year", "end_year", "adopted_on", "url")


class RegionDetailSerializer(serializers.ModelSerializer):
    responsibility_history = ResponsibilityPeriodSerializer(source="responsibility_periods", many=True)
    strategies = StrategySerializer(many=True)
    # The years in which the county administrative board handles the regional business support (its
    # länsråd then has a seat in the civil servants' forum).
    business_support_years = serializers.SlugRelatedField(many=True, read_only=True, slug_field="year")

    class Meta:
        model = Region
        fields = (
            "code",
            "name",
            "iso_code",
            "slug",
            "description",
            "responsibility_history",
            "business_support_years",
            "strategies",
        )


class CalendarDialogueSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="region.code")
    county_name = serializers.CharField(source="region.name")

    class Meta:
        model = Dialogue
        fields = ("id", "county", "county_name", "kind", "status", "start", "end")


class RoundSerializer(serializers.ModelSerializer):
    calendar = CalendarDialogueSerializer(many=True)

    class Meta:
        model = DialogueRound
        fields = ("id", "year", "title", "status", "focus", "submission_deadline", "ends_on", "calendar")


class ReportSerializer(serializers.ModelSerializer):
    round_year = serializers.IntegerField(source="round.year")
    county = serializers.CharField(source="region.code", allow_null=True, default=None)
    is_summary = serializers.BooleanField()
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackReport
        fields = (
            "id",
            "round",
            "round_year",
            "county",
            "is_summary",
            "language",
            "version",
            "is_current",
            "status",
            "review_state",
            "finished_at",
            "published_at",
            "checksum",
            "pdf",
        )

    def get_pdf(self, report) -> str | None:
        """The address of the PDF, once it is rendered."""
        if report.status != ReportStatus.DONE or not report.file:
            return None
        return reverse("api:report_pdf", kwargs={"pk": report.pk})


class FigureFields(serializers.Serializer):
    """A county's figures in one year (money in whole kronor; ratios empty when undefined)."""

    county = serializers.CharField(source="region.code")
    county_name = serializers.CharField(source="region.name")
    year = serializers.IntegerField(source="appropriation.year")
    frame = serializers.IntegerField(source="frame_total")
    used = serializers.IntegerField()
    cofinancing = serializers.IntegerField(source="cofinancing_total")
    utilisation_percent = serializers.FloatField(source="utilisation", allow_null=True)
    leverage = serializers.FloatField(allow_null=True)
    alignment_percent = serializers.FloatField(source="alignment", allow_null=True)


class FrameSerializer(FigureFields):
    conditions_decided_on = serializers.DateField(allow_null=True)


class OpenFigureSerializer(FigureFields):
    """The published figures: the headline figures and the use per instrument."""

    use_by_instrument = serializers.SerializerMethodField()

    def get_use_by_instrument(self, allocation) -> dict[str, int]:
        return {code: int(getattr(allocation, f"used_{code}")) for code in Instrument.values}


class UseSerializer(serializers.Serializer):
    county = serializers.CharField(source="allocation__region__code")
    county_name = serializers.CharField(source="allocation__region__name")
    year = serializers.IntegerField(source="allocation__appropriation__year")
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    amount = serializers.IntegerField()


class CoFinancingSerializer(serializers.Serializer):
    county = serializers.CharField(source="allocation__region__code")
    county_name = serializers.CharField(source="allocation__region__name")
    year = serializers.IntegerField(source="allocation__appropriation__year")
    source = serializers.ChoiceField(choices=CoFinancingSource.choices)
    amount = serializers.IntegerField()


class OpenDataSerializer(serializers.Serializer):
    licence = serializers.CharField()
    licence_url = serializers.URLField()
    generated_at = serializers.DateTimeField()
    description = serializers.CharField()
    figures = OpenFigureSerializer(many=True)
