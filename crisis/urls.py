from django.contrib import admin
from django.urls import include, path

from crisis.errors import favicon
from crisis.health import healthz

# A request refused before any view ran (too large, too many fields) is told why.
handler400 = "crisis.errors.bad_request"
# A database that does not answer is a 503 with Retry-After; anything else a plain 500.
handler500 = "crisis.errors.server_error"
# An address that names nothing: the site's own page (JSON under /api/), not Django's bare one.
handler404 = "crisis.errors.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("api/v1/", include("timeline.api.urls")),
    path("", include("timeline.urls")),
]
