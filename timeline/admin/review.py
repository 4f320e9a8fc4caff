"""The review queue in the admin: machine-made drafts beside the article they came from.

Articles are listed least-confident first; each article's page shows its text with every cited
span highlighted, and its drafts (least confident first) to accept, edit or reject, one by one
with the keyboard (static/js/review.js) or in bulk.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from timeline.models import Article, Citation, Crisis, Event, Statement, Status
from timeline.services import editorial

MODELS: dict[str, type[Event] | type[Statement]] = {"event": Event, "statement": Statement}


@dataclass
class Draft:
    """One item to review, with the citation that ties it to this article."""

    kind: str  # "event" or "statement"
    item: Event | Statement
    citation: Citation

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item.pk}"

    @property
    def change_url(self) -> str:
        return reverse(f"admin:timeline_{self.kind}_change", args=[self.item.pk])


def review_counts() -> dict[str, Any]:
    """What is left to review, in all and per crisis (for the admin index)."""
    drafts = Q(status=Status.DRAFT)
    per_crisis = Crisis.objects.annotate(
        draft_events=Count("events", filter=Q(events__status=Status.DRAFT), distinct=True),
        draft_statements=Count(
            "statements", filter=Q(statements__status=Status.DRAFT), distinct=True
        ),
    ).order_by("title")
    return {
        "events": Event.objects.filter(drafts).count(),
        "statements": Statement.objects.filter(drafts).count(),
        "proposed": Citation.objects.filter(proposed=True).count(),
        "articles": Article.objects.awaiting_review().count(),
        "crises": [c for c in per_crisis if c.draft_events or c.draft_statements],
    }


def queue_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    articles = Article.objects.awaiting_review().select_related("source").defer("text")[:200]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": "Review queue",
        "articles": articles,
        "counts": review_counts(),
    }
    return TemplateResponse(request, "admin/timeline/review_queue.html", context)


def article_view(model_admin: admin.ModelAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    can_publish = request.user.has_perm("timeline.publish_event") and request.user.has_perm(
        "timeline.publish_statement"
    )
    if request.method == "POST":
        _apply(request, can_publish=can_publish)
        return HttpResponseRedirect(request.get_full_path())
    drafts = article_drafts(article)
    proposed = list(
        article.citations.filter(proposed=True).select_related("event", "statement__speaker")
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": f"Review: {article.title}",
        "article": article,
        "drafts": drafts,
        "proposed": proposed,
        "can_publish": can_publish,
        "text_html": highlighted(article.text, [d.citation for d in drafts] + proposed),
        "next_article": Article.objects.awaiting_review().exclude(pk=article.pk).first(),
    }
    return TemplateResponse(request, "admin/timeline/review_article.html", context)


def article_drafts(article: Article) -> list[Draft]:
    """The article's drafts, least confident first."""
    citations = (
        article.citations.filter(
            Q(event__status=Status.DRAFT) | Q(statement__status=Status.DRAFT), proposed=False
        )
        .select_related("event__category", "statement__speaker")
        .order_by("start")
    )
    drafts = [_draft(c) for c in citations]
    drafts.sort(key=lambda d: (d.item.confidence, d.citation.start))
    return drafts


def _draft(citation: Citation) -> Draft:
    if citation.event is not None:
        return Draft("event", citation.event, citation)
    assert citation.statement is not None, "a citation cites an event or a statement"
    return Draft("statement", citation.statement, citation)


def _apply(request: HttpRequest, *, can_publish: bool) -> None:
    """Accept or reject the drafts named in the form: one (`one=accept:event:12`) or selected."""
    one = request.POST.get("one", "")
    if one:
        verb, _, key = one.partition(":")
        keys = [key]
    else:
        verb, keys = request.POST.get("verb", ""), request.POST.getlist("items")
    if verb not in {"accept", "reject"}:
        messages.error(request, "Choose accept or reject.")
        return
    if verb == "accept" and not can_publish:
        raise PermissionDenied("Only publishers can accept (publish) drafts.")
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        kind, _, raw_pk = key.partition(":")
        if kind in MODELS and raw_pk.isdigit():
            by_kind.setdefault(kind, []).append(int(raw_pk))
    done = with_them = 0
    for kind, pks in by_kind.items():
        items = MODELS[kind].objects.filter(pk__in=pks, status=Status.DRAFT)
        if verb == "accept":
            published = editorial.items_publish(items=items, by=request.user)
            done += published.items
            with_them += published.actors
        else:
            done += editorial.items_reject(items=items, by=request.user)
    label = "Published" if verb == "accept" else "Rejected"
    also = f", and {with_them} actor(s) they name, so readers see who" if with_them else ""
    messages.success(request, f"{label} {done} draft(s){also}.")


def highlighted(text: str, citations: list[Citation]) -> SafeString:
    """The text with each cited span in a <mark>; every piece of text is escaped."""
    breaks = [m.start() for m in re.finditer("\n\n", text)]
    bounds = sorted(
        {0, len(text), *(c.start for c in citations), *(c.end for c in citations)}
        | {*breaks, *(b + 2 for b in breaks)}
    )
    pieces: list[str] = []
    for start, end in itertools.pairwise(bounds):
        if text[start:end] == "\n\n":
            pieces.append("</p><p>")  # a paragraph break, never inside a <mark>
            continue
        covering = [c for c in citations if c.start <= start and end <= c.end]
        chunk = escape(text[start:end]).replace("\n", "<br>")
        if covering:
            first = [c.pk for c in covering if c.start == start]
            anchor = f' id="span-{first[0]}"' if first else ""
            ids = " ".join(str(c.pk) for c in covering)
            proposed = " proposed" if any(c.proposed for c in covering) else ""
            chunk = (
                f'<mark class="review-span{proposed}"{anchor} data-citations="{ids}">{chunk}</mark>'
            )
        pieces.append(chunk)
    return mark_safe(f"<p>{''.join(pieces)}</p>")  # built from escaped pieces only
