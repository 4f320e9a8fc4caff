"""The starting list of event categories, and the `editors` group with exactly what editors need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATEGORIES = [
    ("military", "Military", "#b5332e", 1),
    ("diplomatic", "Diplomatic", "#1f5fa8", 2),
    ("statement", "Statement", "#6b4fa0", 3),
    ("economic", "Economic", "#1d7a4f", 4),
    ("humanitarian", "Humanitarian", "#b8620b", 5),
    ("other", "Other", "#5b6770", 6),
]

# Editors view, add and change everything on the timeline. They delete only the small rows edited
# inline (citations, actor roles, aliases); whole items are rejected instead, so nothing is lost.
EDITOR_MODELS = [
    "crisis",
    "source",
    "article",
    "actor",
    "actoralias",
    "eventcategory",
    "statement",
    "event",
    "eventactor",
    "citation",
]
EDITOR_DELETABLE = ["actoralias", "eventactor", "citation"]


def editor_codenames() -> list[str]:
    codenames = []
    for model in EDITOR_MODELS:
        codenames += [f"view_{model}", f"add_{model}", f"change_{model}"]
    codenames += [f"delete_{model}" for model in EDITOR_DELETABLE]
    return codenames


def seed(apps, schema_editor):
    EventCategory = apps.get_model("timeline", "EventCategory")
    for slug, name, colour, position in CATEGORIES:
        EventCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "position": position}
        )

    # Permissions are normally created after all migrations; editors need them now.
    app_config = apps.get_app_config("timeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.set(
        Permission.objects.filter(
            content_type__app_label="timeline", codename__in=editor_codenames()
        )
    )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editors").delete()
    apps.get_model("timeline", "EventCategory").objects.filter(
        slug__in=[slug for slug, *_ in CATEGORIES], events__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
