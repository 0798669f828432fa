"""A PostgreSQL index on names in the "C" collation: it serves ``name LIKE '张%'`` and the name order of
the results whatever the database's collation. SQLite searches names by range on its plain name index
instead (selectors.search_by_name_prefix)."""

from django.db import migrations

INDEX = "registry_worker_name_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "registry_worker" (("name" COLLATE "C"), "id")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
