"""The serializers of ingestion batches: many articles in one request, extracted off it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from timeline.api.serializers import ArticleIngestSerializer
from timeline.models import IngestBatch


class BatchInputSerializer(serializers.Serializer):
    # DRF takes declared fields off the class, so `label` does not shadow Field.label.
    label = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, max_length=300, help_text="What this batch is."
    )
    articles = ArticleIngestSerializer(
        many=True, help_text="The articles, each as `POST /articles/ingest/` takes one."
    )

    def validate_articles(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not value:
            raise serializers.ValidationError("Give at least one article.", code="empty")
        if len(value) > settings.INGEST_BATCH_MAX:
            raise serializers.ValidationError(
                f"A batch holds at most {settings.INGEST_BATCH_MAX} articles; split it.",
                code="too_many",
            )
        return value


class BatchProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Waiting for a worker, or being extracted.")
    refused = serializers.IntegerField(help_text="Records that could not be stored at all.")


class BatchArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    ingestion_status = serializers.CharField()
    ingestion_error = serializers.CharField(help_text="Why it failed; empty unless it did.")


class BatchRefusalSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # as above
    error = serializers.CharField()


class BatchSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    finished = serializers.BooleanField(read_only=True)
    articles = serializers.SerializerMethodField()
    refused = BatchRefusalSerializer(many=True, read_only=True)
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = IngestBatch
        fields = ["id", "label", "created_at", "created_by", "finished", "progress"]
        fields += ["articles", "refused"]

    @extend_schema_field(BatchProgressSerializer)
    def get_progress(self, batch: IngestBatch) -> dict[str, int]:
        return BatchProgressSerializer(batch.progress()).data

    @extend_schema_field(BatchArticleSerializer(many=True))
    def get_articles(self, batch: IngestBatch) -> list[dict[str, Any]]:
        rows = batch.articles.order_by("pk").values(
            "id", "title", "ingestion_status", "ingestion_error"
        )
        return BatchArticleSerializer(rows, many=True).data  # type: ignore[return-value]
