from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TimelineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "timeline"
    verbose_name = "Crisis timeline"

    def ready(self) -> None:
        from timeline.generation import watch_writes
        from timeline.services.signals import items_changed
        from timeline.webhooks import on_items_changed

        # Every commit that writes to the timeline's tables moves the readers' cache on.
        connection_created.connect(watch_writes, dispatch_uid="timeline-watch-writes")
        # Publications, corrections and retractions reach the API consumers' webhooks.
        items_changed.connect(on_items_changed, dispatch_uid="timeline-webhooks")
