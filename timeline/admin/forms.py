"""Forms for editors' pages outside the stock admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import URLValidator

from timeline.models import Crisis


class ArticleImportForm(forms.Form):
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text="Paste the article as printed: headline, byline, dateline and text.",
    )
    file = forms.FileField(
        required=False, help_text="Or upload a .txt, .html, .json or .jsonl file."
    )
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        # Only the web: any other scheme could name a file on this server.
        validators=[
            URLValidator(schemes=["http", "https"], message="Give an http:// or https:// address.")
        ],
        error_messages={"invalid": "Give an http:// or https:// address."},
        help_text="Or give its address.",
    )
    crisis = forms.ModelChoiceField(
        queryset=Crisis.objects.all(), required=False, help_text="Add the article to this crisis."
    )
    published_at = forms.DateTimeField(
        required=False,
        help_text="Only needed when the article does not say when it was published.",
    )
    source_name = forms.CharField(
        required=False, max_length=200, label="Outlet", help_text="When the text does not say."
    )
    force = forms.BooleanField(
        required=False,
        help_text="Re-extract an article already stored (drafts edited by an editor are kept).",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.INGEST_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the largest accepted is "
                f"{settings.INGEST_MAX_BYTES / 1_048_576:.1f} MB."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        given = [name for name in ("text", "file", "url") if cleaned.get(name)]
        if len(given) != 1:
            raise forms.ValidationError(
                "Give the article one way: paste its text, upload a file, or give its URL."
            )
        return cleaned
