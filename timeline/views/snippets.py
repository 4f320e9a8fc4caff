"""The embeddable timeline as others paste it: the `<iframe>` code for a view of a crisis."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

# What an embed asks for when the host page says nothing (oEmbed's maxwidth/maxheight cap them).
EMBED_WIDTH = 720
EMBED_HEIGHT = 640


def iframe(
    src: str, title: str, width: int | str = "100%", height: int = EMBED_HEIGHT
) -> SafeString:
    """The code a newsroom pastes into its page to show the timeline at `src`."""
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" style="border:0;max-width:100%" '
        'loading="lazy"></iframe>',
        src,
        title,
        width,
        height,
    )


def embed_title(crisis_title: str) -> str:
    return f"{crisis_title} — Crisis Timeline"


def embed_links(
    request: HttpRequest, title: str, page_path: str, embed_path: str
) -> dict[str, str]:
    """What a page offers those who would embed it: the embed's address, its `<iframe>` code and
    its oEmbed discovery address (all absolute: they are used on other sites)."""
    src = request.build_absolute_uri(embed_path)
    page = request.build_absolute_uri(page_path)
    oembed = reverse("timeline:oembed") + "?" + urlencode({"url": page, "format": "json"})
    return {
        "src": src,
        "html": iframe(src, embed_title(title)),
        "oembed": request.build_absolute_uri(oembed),
    }
