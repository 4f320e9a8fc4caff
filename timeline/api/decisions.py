"""What the editorial decisions take and give in the API: a claim to link, a merge to read."""

from __future__ import annotations

from rest_framework import serializers

from timeline.models import Claim, Merge, Statement


class ClaimInputSerializer(serializers.Serializer):
    statement = serializers.PrimaryKeyRelatedField(
        queryset=Statement.objects.all(), help_text="The statement's id."
    )
    stance = serializers.ChoiceField(
        choices=Claim.Stance.choices,
        help_text="supports, or denies: a denial marks the event disputed.",
    )


class MergeSerializer(serializers.ModelSerializer):
    merged_by = serializers.CharField(
        source="merged_by.username", read_only=True, allow_null=True, help_text="Who merged."
    )
    can_undo = serializers.SerializerMethodField(help_text="False once it has been undone.")

    class Meta:
        model = Merge
        fields = [
            "id",
            "kind",
            "kept_id",
            "merged_id",
            "merged_name",
            "merged_by",
            "created_at",
            "undone_at",
            "can_undo",
        ]
        read_only_fields = fields

    def get_can_undo(self, merge: Merge) -> bool:
        return merge.undone_at is None
