"""An actor's events from the index alone: (actor, event) on EventActor.

Serves `pk IN (SELECT event_id FROM eventactor WHERE actor_id = ?)` (actor page counts, chart,
crises and event list) and the `EXISTS (... actor_id IN (?) AND event_id = ...)` of ?actor= on
the timeline and the API. Plans before and after are in the commit message.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0005_publishers_group'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='eventactor',
            index=models.Index(fields=['actor', 'event'], name='eventactor_actor_event'),
        ),
    ]
