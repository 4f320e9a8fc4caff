"""/api/v1/: the router's viewsets, the OpenAPI schema and its interactive documentation."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from timeline.api import views
from timeline.api.changes import ChangesView

app_name = "api"

router = SimpleRouter()
router.register("crises", views.CrisisViewSet, basename="crisis")
router.register("sources", views.SourceViewSet, basename="source")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("events", views.EventViewSet, basename="event")
router.register("places", views.PlaceViewSet, basename="place")
router.register("merges", views.MergeViewSet, basename="merge")
router.register("batches", views.BatchViewSet, basename="batch")

urlpatterns = [
    path("", include(router.urls)),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    re_path(r"", views.not_found),
]
