"""A PostgreSQL index that serves ``name LIKE '张%'`` whatever the database's collation; SQLite
searches names by range on the existing index instead (selectors.prefix_match)."""

from django.db import migrations

INDEX = "registry_worker_name_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "registry_worker" ("name" varchar_pattern_ops, "id")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
