"""Issue 15: the name indexes carry ``is_active``, so the name-prefix search (ordered by name and id) and the
duplicates page (grouped by name and birth date) count and group the active workers from the index alone,
without reading a table row (a random read) per match: a common surname has some 80,000 at 1,000,000 workers;
the phone index the same for the duplicates page's groups by phone.
PostgreSQL's "C"-collation name index (migration 0002) gets ``is_active`` too, for index-only scans."""

from django.db import migrations, models

PREFIX_INDEX = "registry_worker_name_prefix"


def prefix_index_with_active(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{PREFIX_INDEX}"')
        schema_editor.execute(
            f'CREATE INDEX "{PREFIX_INDEX}" ON "registry_worker" (("name" COLLATE "C"), "id") INCLUDE ("is_active")')


def prefix_index_without_active(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{PREFIX_INDEX}"')
        schema_editor.execute(f'CREATE INDEX "{PREFIX_INDEX}" ON "registry_worker" (("name" COLLATE "C"), "id")')


class Migration(migrations.Migration):

    dependencies = [
        ("reference", "0002_field_labels_in_history"),
        ("registry", "0010_fill_union_rolls"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="worker", name="worker_name"),
        migrations.RemoveIndex(model_name="worker", name="worker_name_birth"),
        migrations.AddIndex(
            model_name="worker",
            index=models.Index(fields=["name", "id", "is_active"], name="worker_name_search"),
        ),
        migrations.AddIndex(
            model_name="worker",
            index=models.Index(fields=["name", "birth_date", "is_active"], name="worker_name_birth_active"),
        ),
        # The duplicates page groups by phone over the active workers: the phone index carries is_active too.
        migrations.AlterField(
            model_name="worker",
            name="phone_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="worker",
            index=models.Index(fields=["phone_hash", "is_active"], name="worker_phone_active"),
        ),
        migrations.RunPython(prefix_index_with_active, prefix_index_without_active, elidable=False),
    ]
