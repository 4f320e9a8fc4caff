"""The answer of `/api/v1/events/{id}/reports/`: how the outlets citing an event tell it
(`timeline.models.reports`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from timeline.api.serializers import CitedArticleSerializer
from timeline.extraction.figures import Disagreement


class FigureSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text="The number: 100000 for “100,000 troops”.")
    counted = serializers.CharField(help_text="What it counts, lower case: “troops”.")
    text = serializers.CharField(help_text="As the outlet wrote it: “100,000 Russian troops”.")


class OutletReportSerializer(serializers.Serializer):
    outlet = serializers.CharField(
        help_text="The independent source: the agency of a wire story, which counts once."
    )
    printed_by = serializers.ListField(
        child=serializers.CharField(), help_text="Outlets that published its text, if others."
    )
    articles = CitedArticleSerializer(many=True)
    excerpts = serializers.ListField(
        child=serializers.CharField(), help_text="The sentences cited, in order."
    )
    start_date = serializers.DateField(help_text="The date this outlet gives the event.")
    end_date = serializers.DateField(allow_null=True)
    date_precision = serializers.CharField()
    figures = FigureSerializer(many=True, help_text="The figures its cited sentences give.")
    speakers = serializers.ListField(
        child=serializers.CharField(), help_text="Whom its cited sentences quote."
    )
    proposed = serializers.BooleanField(
        help_text="Matched by the machine only: no editor has confirmed it (editors only)."
    )


class VersionSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="One version, as written: “130,000 troops”.")
    outlets = serializers.ListField(child=serializers.CharField())


class DisagreementSerializer(serializers.Serializer):
    about = serializers.CharField(help_text="“date”, or what the figures count: “troops”.")
    versions = serializers.SerializerMethodField()

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, disagreement: Disagreement) -> list[dict[str, Any]]:
        return [{"text": text, "outlets": list(outlets)} for text, outlets in disagreement.versions]


class EventReportsSerializer(serializers.Serializer):
    reports = OutletReportSerializer(many=True, help_text="One per outlet, first published first.")
    disagreements = DisagreementSerializer(
        many=True, help_text="Where the outlets give the date or a figure differently."
    )
