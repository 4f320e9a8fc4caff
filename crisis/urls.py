from django.contrib import admin
from django.urls import include, path

from crisis.health import healthz

# A request refused before any view ran (too large, too many fields) is told why.
handler400 = "crisis.errors.bad_request"
# A database that does not answer is a 503 with Retry-After; anything else a plain 500.
handler500 = "crisis.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("timeline.api.urls")),
    path("", include("timeline.urls")),
]
