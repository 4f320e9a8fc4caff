"""GIN indexes for full-text search (`q`) on events and statements, on PostgreSQL only.

SQLite has no such index; the filters fall back to substring matching there. The expressions must
stay exactly what `timeline.filters.text_search` builds (SearchVector with the 'english' config),
or PostgreSQL will not use the indexes. They are not declared in Meta because they are
vendor-specific, and Meta indexes would be created on SQLite as well.
"""

from django.db import migrations

INDEXES = {
    "timeline_event_fulltext": (
        "timeline_event",
        "to_tsvector('english'::regconfig, "
        "COALESCE(\"title\", '') || ' ' || COALESCE(\"summary\", ''))",
    ),
    "timeline_statement_fulltext": (
        "timeline_statement",
        "to_tsvector('english'::regconfig, COALESCE(\"text\", ''))",
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (({expression}))'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("timeline", "0002_seed_categories_and_editors_group")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
