"""The API's views, by resource: `base` (what every viewset shares), `sources` (crises, places,
outlets, articles), `items` (actors, statements, events), `errors` (the error envelope),
`workflow` (citations confirmed or split, claims, merges undone), `batches` (many articles
ingested off the request)."""

from timeline.api.views.base import ReadOnlyViewSet, TimelineViewSet, WritableViewSet
from timeline.api.views.batches import BatchViewSet
from timeline.api.views.errors import EditConflict, exception_handler, not_found
from timeline.api.views.items import ActorViewSet, EventViewSet, StatementViewSet
from timeline.api.views.sources import ArticleViewSet, CrisisViewSet, PlaceViewSet, SourceViewSet
from timeline.api.views.workflow import MergeViewSet

__all__ = [
    "ActorViewSet",
    "ArticleViewSet",
    "BatchViewSet",
    "CrisisViewSet",
    "EditConflict",
    "EventViewSet",
    "MergeViewSet",
    "PlaceViewSet",
    "ReadOnlyViewSet",
    "SourceViewSet",
    "StatementViewSet",
    "TimelineViewSet",
    "WritableViewSet",
    "exception_handler",
    "not_found",
]
