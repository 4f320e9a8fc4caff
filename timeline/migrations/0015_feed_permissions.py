"""Editors add and follow watched feeds and read what their polls found; publishers may also
delete a feed (and its history). Turning auto-publish on is for publishers (the admin form)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    "view_watchedfeed",
    "add_watchedfeed",
    "change_watchedfeed",
    "view_feedentry",
    "view_feedpoll",
]
PUBLISHER_CODENAMES = [*EDITOR_CODENAMES, "delete_watchedfeed"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("timeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("editors", EDITOR_CODENAMES), ("publishers", PUBLISHER_CODENAMES)):
        permissions = Permission.objects.filter(
            content_type__app_label="timeline", codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["editors", "publishers"]):
        group.permissions.remove(*group.permissions.filter(codename__in=PUBLISHER_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("timeline", "0014_watched_feeds")]

    operations = [migrations.RunPython(grant, revoke)]
