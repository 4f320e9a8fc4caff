"""Editors and publishers hand over batches of articles and follow their progress."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_ingestbatch", "add_ingestbatch", "change_ingestbatch"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("timeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="timeline", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=["editors", "publishers"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["editors", "publishers"]):
        group.permissions.remove(*group.permissions.filter(codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("timeline", "0017_ingest_batches")]

    operations = [migrations.RunPython(grant, revoke)]
