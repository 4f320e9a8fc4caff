"""The Celery application: `celery -A crisis worker` runs the background ingestion tasks.

Configured from Django's settings (the CELERY_* names); without CELERY_BROKER_URL, tasks run
inline in the process that queues them.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisis.settings")

app = Celery("crisis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
