"""PostgreSQL only: drop the ``varchar_pattern_ops`` ("_like") indexes Django adds beside every indexed
character column of the registry's large tables. They serve only ``LIKE 'prefix%'``, which no query
makes on hashes or code keys (compared whole), yet every bulk insert maintained them: 4 of
registry_worker's 17 indexes (decision 0008). SQLite never had them; the plain indexes stay."""

from django.db import migrations

# (table, column) pairs; the index names are Django's own for a column's "_like" index.
PATTERN_INDEXED = (
    ("registry_worker", "id_number_hash"),
    ("registry_worker", "phone_hash"),
    ("registry_worker", "district_id"),
    ("registry_worker", "current_occupation_id"),
    ("registry_employmentspell", "occupation_id"),
    ("registry_certificate", "occupation_id"),
)


def _names(schema_editor):
    for table, column in PATTERN_INDEXED:
        yield table, column, schema_editor._create_index_name(table, [column], suffix="_like")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in _names(schema_editor):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, name in _names(schema_editor):
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}" varchar_pattern_ops)')


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_employer_attribute_facts")]
    operations = [migrations.RunPython(drop, create, elidable=False)]
