"""What a test reads from a response, whether the view streamed it (exports) or not (pages)."""

from __future__ import annotations

from django.http import HttpResponseBase, StreamingHttpResponse


def content(response: HttpResponseBase) -> bytes:
    """The response's body as bytes, joined from its chunks when it was streamed."""
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]  # sync views stream bytes, never async chunks
    return response.content  # type: ignore[attr-defined]  # every non-streaming response has it


def text(response: HttpResponseBase) -> str:
    """The response's body decoded as UTF-8."""
    return content(response).decode("utf-8")
