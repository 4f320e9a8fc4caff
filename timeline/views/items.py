"""An event, an actor and an article, each on its own page."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from timeline.models import (
    Actor,
    Article,
    Citation,
    Claim,
    Crisis,
    Event,
    EventActor,
    EventPlace,
    EventQuerySet,
    Statement,
    StatementQuerySet,
    days_from,
    event_reports,
)
from timeline.views.charts import activity_chart
from timeline.views.common import (
    AGGREGATE_SECONDS,
    corrections,
    crisis_version,
    crisis_with_version,
    hide_unpublished_speaker,
)

ACTOR_LIST_LIMIT = 100
RELATED_DAYS = 3


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.published()
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=EventActor.objects.filter(actor__status="published").select_related(
                    "actor__affiliation"
                ),
            ),
            Prefetch("citations", queryset=Citation.objects.for_display()),
            Prefetch("crises", queryset=Crisis.objects.only("slug", "title")),
            Prefetch("place_links", queryset=EventPlace.objects.select_related("place")),
            corrections(),
            Prefetch(
                "claim_links",
                queryset=Claim.objects.filter(statement__status="published")
                .select_related("statement__speaker__affiliation")
                .prefetch_related(
                    Prefetch("statement__citations", queryset=Citation.objects.for_display()),
                    corrections("statement__corrections"),
                )
                .order_by("statement__date", "statement_id"),
            ),
        ),
        pk=pk,
    )
    claims = list(event.claim_links.all())
    for claim in claims:
        hide_unpublished_speaker(claim.statement)
    crises = list(event.crises.all())
    siblings = Event.objects.published().filter(
        Exists(Event.crises.through.objects.filter(event=OuterRef("pk"), crisis__in=crises))
    )
    key = (event.start_date, 0, event.pk)
    actor_ids = [role.actor_id for role in event.roles.all()]
    last_day = event.end_date or event.start_date
    related = list(
        Statement.objects.published()
        .filter(
            speaker__in=actor_ids,
            speaker__status="published",
            date__range=(
                days_from(event.start_date, -RELATED_DAYS),
                days_from(last_day, RELATED_DAYS),
            ),
        )
        .with_related()
        .forwards()[:20]
    )
    return render(
        request,
        "timeline/event.html",
        {
            "event": event,
            "matched_automatically": event.sources_matched_automatically(),
            "crises": crises,
            "previous_event": siblings.before(key).backwards().first(),
            "next_event": siblings.after(key).forwards().first(),
            "related_statements": related,
            "supporting": [c.statement for c in claims if c.stance == Claim.Stance.SUPPORTS],
            "denying": [c.statement for c in claims if c.stance == Claim.Stance.DENIES],
            # How each outlet tells it, when more than one does (two more queries).
            "reports": event_reports(event) if event.independent_sources > 1 else None,
        },
    )


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(
        Actor.objects.published()
        .select_related("affiliation")
        .prefetch_related(
            "aliases",
            corrections(),
        ),
        slug=slug,
    )
    affiliation = (
        actor.affiliation if actor.affiliation and actor.affiliation.is_published else None
    )
    statements = Statement.objects.published().for_actor(actor)
    # Driven from the actor's roles (indexed), not an EXISTS probe for every event.
    events = Event.objects.published().filter(
        pk__in=EventActor.objects.filter(actor=actor).values("event_id")
    )
    # Counts, chart and crises go over all the actor's items (0.5 s for one in 20,000 events on
    # SQLite): cached on the data version the timeline uses, so an edit shows at once.
    versioned = crisis_with_version().order_by("pk").first()
    version = crisis_version(versioned) if versioned else ""
    key = "actor-aggregates:" + hashlib.sha256(f"{actor.pk}|{version}".encode()).hexdigest()
    aggregates = cache.get(key) if version else None
    if aggregates is None:
        aggregates = _actor_aggregates(events, statements)
        if version:
            cache.set(key, aggregates, AGGREGATE_SECONDS)
    return render(
        request,
        "timeline/actor.html",
        {
            "actor": actor,
            "affiliation": affiliation,
            "members": Actor.objects.published().filter(affiliation=actor),
            "statements": statements.with_related().forwards()[:ACTOR_LIST_LIMIT],
            "events": events.select_related("category").forwards()[:ACTOR_LIST_LIMIT],
            **aggregates,
            "limit": ACTOR_LIST_LIMIT,
        },
    )


def _actor_aggregates(
    events: EventQuerySet[Event], statements: StatementQuerySet[Statement]
) -> dict[str, Any]:
    return {
        "statement_count": statements.count(),
        "event_count": events.count(),
        "activity": activity_chart(events, statements),
        # EXISTS per crisis: joining both link tables multiplies their rows (slow at 100k).
        "crises": list(
            Crisis.objects.filter(
                Exists(
                    Event.crises.through.objects.filter(
                        crisis=OuterRef("pk"), event__in=events.values("pk")
                    )
                )
                | Exists(
                    Statement.crises.through.objects.filter(
                        crisis=OuterRef("pk"), statement__in=statements.values("pk")
                    )
                )
            )
        ),
    }


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # What the API shows anonymous callers too: an article that only drafts cite is in review.
    article = get_object_or_404(
        Article.objects.public().select_related("source", "publisher"), pk=pk
    )
    # Only confirmed citations of published items: a draft's span is not highlighted, nor a
    # corroboration the machine proposed and no editor has confirmed yet.
    citations = list(
        article.citations.confirmed()
        .filter(Q(event__status="published") | Q(statement__status="published"))
        .select_related("event", "statement__speaker")
        .order_by("start", "id")
    )
    crises = list(article.crises.all())
    return render(
        request,
        "timeline/article.html",
        {"article": article, "citations": citations, "crises": crises},
    )
