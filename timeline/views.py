"""Reader pages. Thin: the reads live on the QuerySets, the rendering in templates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from timeline.models import Actor, Article, Crisis, Event, Statement


def home(request: HttpRequest) -> HttpResponse:
    crises = Crisis.objects.all()
    return render(request, "timeline/home.html", {"crises": crises})


def crisis_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    crisis = get_object_or_404(Crisis, slug=slug)
    events = Event.objects.published().for_crisis(crisis).with_related().chronological()[:200]
    statements = Statement.objects.published().for_crisis(crisis).with_related()[:200]
    return render(
        request,
        "timeline/crisis.html",
        {"crisis": crisis, "events": events, "statements": statements},
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.published().with_related(), pk=pk)
    return render(request, "timeline/event.html", {"event": event})


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.published().select_related("affiliation"), slug=slug)
    statements = Statement.objects.published().for_actor(actor).with_related()
    events = Event.objects.published().for_actor(actor).with_related().chronological()
    return render(
        request,
        "timeline/actor.html",
        {"actor": actor, "statements": statements, "events": events},
    )


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    return render(request, "timeline/article.html", {"article": article})
