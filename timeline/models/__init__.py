"""The timeline's data: crises, sources and articles, actors, statements, events and citations.

Everything the machine extracts carries provenance and an editorial status; readers only ever see
items whose status is published (`.published()` on every QuerySet here).

One module per domain, each model with its QuerySet beside it, importing only downwards:
choices (the leaf) and chronology ← editorial ← sources ← actors ← places ← items ← records,
sources ← feeds (watched feeds) and batches (ingestion batches), webhooks apart,
and reports (how the outlets citing an event tell it) on items;
the actor directory (directory) stands apart, on the extraction's pure lookup.
Everything public is re-exported here, so `from timeline.models import Event` works wherever it
did.
"""

from timeline.models.actors import Actor, ActorAlias, ActorQuerySet
from timeline.models.batches import IngestBatch
from timeline.models.choices import (
    DatePrecision,
    Provenance,
    Status,
    alias_key,
    content_hash,
    days_from,
    first_free_slug,
    new_alias_keys,
    slug_base,
)
from timeline.models.chronology import DENSITY_UNITS, ChronologyKey, ChronologyMixin
from timeline.models.directory import (
    DirectoryAlias,
    DirectoryEntry,
    DirectoryEntryQuerySet,
    DirectoryRole,
    directory_key,
)
from timeline.models.editorial import Crisis, Editorial, EditorialQuerySet
from timeline.models.feeds import FeedEntry, FeedPoll, WatchedFeed
from timeline.models.items import (
    Citation,
    CitationQuerySet,
    Claim,
    Correction,
    Event,
    EventActor,
    EventCategory,
    EventPlace,
    EventQuerySet,
    Statement,
    StatementQuerySet,
    independent_source_count,
)
from timeline.models.places import Place, PlaceQuerySet
from timeline.models.records import EditorComment, Merge
from timeline.models.reports import EventReports, OutletReport, event_reports
from timeline.models.sources import Article, ArticleQuerySet, Source
from timeline.models.webhooks import Webhook, WebhookDelivery

__all__ = [
    "DENSITY_UNITS",
    "Actor",
    "ActorAlias",
    "ActorQuerySet",
    "Article",
    "ArticleQuerySet",
    "ChronologyKey",
    "ChronologyMixin",
    "Citation",
    "CitationQuerySet",
    "Claim",
    "Correction",
    "Crisis",
    "DatePrecision",
    "DirectoryAlias",
    "DirectoryEntry",
    "DirectoryEntryQuerySet",
    "DirectoryRole",
    "EditorComment",
    "Editorial",
    "EditorialQuerySet",
    "Event",
    "EventActor",
    "EventCategory",
    "EventPlace",
    "EventQuerySet",
    "EventReports",
    "FeedEntry",
    "FeedPoll",
    "IngestBatch",
    "Merge",
    "OutletReport",
    "Place",
    "PlaceQuerySet",
    "Provenance",
    "Source",
    "Statement",
    "StatementQuerySet",
    "Status",
    "WatchedFeed",
    "Webhook",
    "WebhookDelivery",
    "alias_key",
    "content_hash",
    "days_from",
    "directory_key",
    "event_reports",
    "first_free_slug",
    "independent_source_count",
    "new_alias_keys",
    "slug_base",
]
