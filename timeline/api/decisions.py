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


BULK_MAX = 500


class BulkDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=["publish", "unpublish", "reject"],
        help_text="publish and unpublish are the publishers'; editors may reject drafts.",
    )
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=BULK_MAX,
        help_text=f"The items' ids, at most {BULK_MAX}.",
    )


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    result = serializers.ChoiceField(
        choices=["changed", "unchanged", "not_found"],
        help_text="unchanged: it already had that status; not_found: no such item you may see.",
    )
    status = serializers.CharField(allow_null=True, help_text="Its status now.")
