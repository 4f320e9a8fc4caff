"""Roles: `editors` create and edit drafts; `publishers` may also publish, unpublish and merge."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_EXTRA = [
    "view_claim",
    "add_claim",
    "change_claim",
    "delete_claim",
    "view_editorcomment",
    "add_editorcomment",
    "view_correction",
    "view_merge",
]
PUBLISHER_EXTRA = [
    "publish_actor",
    "publish_statement",
    "publish_event",
    "merge_actor",
    "merge_event",
    "add_correction",
    "change_merge",
]


def create_groups(apps, schema_editor):
    app_config = apps.get_app_config("timeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.get(name="editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="timeline", codename__in=EDITOR_EXTRA)
    )
    publishers, _ = Group.objects.get_or_create(name="publishers")
    publishers.permissions.set(
        [
            *editors.permissions.all(),
            *Permission.objects.filter(
                content_type__app_label="timeline", codename__in=PUBLISHER_EXTRA
            ),
        ]
    )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="publishers").delete()
    editors = Group.objects.filter(name="editors").first()
    if editors:
        editors.permissions.remove(*editors.permissions.filter(codename__in=EDITOR_EXTRA))


class Migration(migrations.Migration):
    dependencies = [("timeline", "0004_editorial_workflow_history_claims_merges")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
