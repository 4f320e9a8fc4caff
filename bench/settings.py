"""Settings for benchmarks only: the product's settings, plus the raw-SQL floor's URL.

`DJANGO_SETTINGS_MODULE=bench.settings`. Nothing here is imported by the product.
"""

from crisis.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Measure the app, not the anonymous rate limit (which would answer most load with 429s).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_CLASSES": [],
}
# The browser is not part of these figures: no hashed static names to look up.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
