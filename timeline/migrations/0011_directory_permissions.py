"""Editors and publishers keep the actor directory: they view, add, change and delete its rows.

Unlike timeline items, directory rows are not published and nothing cites them, so deleting a
wrong one loses nothing a reader has seen.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DIRECTORY_MODELS = ["directoryentry", "directoryalias", "directoryrole"]
DIRECTORY_CODENAMES = [
    f"{action}_{model}"
    for model in DIRECTORY_MODELS
    for action in ("view", "add", "change", "delete")
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("timeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="timeline", codename__in=DIRECTORY_CODENAMES
    )
    for group in Group.objects.filter(name__in=["editors", "publishers"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["editors", "publishers"]):
        group.permissions.remove(*group.permissions.filter(codename__in=DIRECTORY_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("timeline", "0010_actor_directory")]

    operations = [migrations.RunPython(grant, revoke)]
