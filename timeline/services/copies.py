"""Wire copy: one story printed by several outlets is one source, not one per outlet.

An article credits its agency ("KYIV, Feb 11 (AP) —", "By AP staff", "© 2022 The Associated
Press"), or prints the same text as another outlet's article of the same days (its signature
says so). Either way the story's source is the agency, and the outlet that printed it is its
publisher: corroboration counts sources, so a wire story in ten papers counts once.
"""

from __future__ import annotations

from django.utils import timezone

from timeline.extraction.article_text.lines import WIRE_AGENCIES
from timeline.models import Article, Source


def source_for_name(name: str) -> Source | None:
    """The outlet or agency stored under `name` (any case), created if new; None for no name."""
    name = name.strip()[:200]
    if not name:
        return None
    kind = Source.Kind.AGENCY if name in WIRE_AGENCIES else Source.Kind.OTHER
    return Source.objects.filter(name__iexact=name).first() or Source.objects.create(
        name=name, kind=kind
    )


def article_credit(article: Article, *, outlet: Source | None, agency: Source | None) -> None:
    """Set who wrote the (unsaved) article and who printed it: an agency the text credits is its
    source and the outlet its publisher; otherwise the outlet is its source."""
    if agency is not None and outlet is not None and agency != outlet:
        article.source, article.publisher = agency, outlet
    else:
        article.source, article.publisher = agency or outlet, None


def article_link_copies(article: Article) -> list[Article]:
    """Give `article` and the other outlets' copies of its text one source; returns the copies.

    The source is the agency one of them credits, else the agency that printed one of them,
    else the outlet that printed it first. Every copy keeps its own outlet as publisher. An
    article whose publisher is set already (by its text's credit, or by an editor) keeps its
    source: the link only fills in what nobody has said.
    """
    copies = Article.objects.copies_of(article)
    if not copies:
        return []
    origin = _origin([article, *copies])
    if origin is None:
        return copies
    for member in [article, *copies]:
        if member.publisher_id is not None or member.source_id in (None, origin.pk):
            continue
        member.publisher_id, member.source = member.source_id, origin
        Article.objects.filter(pk=member.pk).update(
            source=origin, publisher_id=member.publisher_id, updated_at=timezone.now()
        )
    return copies


def _origin(members: list[Article]) -> Source | None:
    credited = [m.source for m in members if m.publisher_id is not None and m.source is not None]
    if credited:
        return credited[0]
    agencies = [m.source for m in members if m.source and m.source.kind == Source.Kind.AGENCY]
    if agencies:
        return agencies[0]
    printed = sorted((m for m in members if m.source is not None), key=lambda m: m.published_at)
    return printed[0].source if printed else None
