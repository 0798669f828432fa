"""Hukou type, political status and worker facts encrypted at rest; the plain migrant flag dropped; the
change log's snapshots of hukou and political status masked (decision 0009, issue 13 point 7).

The columns become text (a token is longer than the codes), then every stored value is encrypted in place
with the current field key, in batches, through plain SQL: the historical models would decrypt what they
read. Values that already look sealed are left, so a rerun is harmless. Going back decrypts them (the
change log's masked values cannot be restored).
"""

from django.db import migrations

import workforce.core.encryption

BATCH = 5000
SEALED = (("registry_worker", ("hukou_type", "political_status")), ("registry_workerfact", ("value",)))


def _rewrite(schema_editor, table: str, columns: tuple[str, ...], convert) -> None:
    """Rewrite ``columns`` of every row of ``table`` with ``convert`` (a list of values → their new
    values), in id order and batches."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    selected = ", ".join(quote(column) for column in columns)
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"SELECT id, {selected} FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                           [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            updates = []
            for row in rows:
                values = list(row[1:])
                new = convert(values)
                if new != values:
                    updates.append([*new, row[0]])
            if updates:
                cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", updates)  # noqa: S608


def _seal(values: list[str]) -> list[str]:
    from workforce.core.encryption import encrypt, looks_sealed

    return [encrypt(value) if value and not looks_sealed(value) else value for value in values]


def _open(values: list[str]) -> list[str]:
    from workforce.core.encryption import decrypt, looks_sealed

    return [decrypt(value) if value and looks_sealed(value) else value for value in values]


def encrypt_values(apps, schema_editor):
    for table, columns in SEALED:
        _rewrite(schema_editor, table, columns, _seal)
    _mask_change_log(apps, schema_editor)


def decrypt_values(apps, schema_editor):
    for table, columns in SEALED:
        _rewrite(schema_editor, table, columns, _open)


def _mask_change_log(apps, schema_editor):
    """The hukou type and political status in the change log's snapshots of workers become ``***``, as
    ``core.changelog.masked_values`` writes them from now on."""
    from workforce.core.changelog import MASKED_VALUE

    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeLogEntry = apps.get_model("core", "ChangeLogEntry")
    worker_type = ContentType.objects.filter(app_label="registry", model="worker").first()
    if worker_type is None:
        return
    masked = ("hukou_type", "political_status")
    changed = []
    for entry in ChangeLogEntry.objects.filter(content_type=worker_type).only("id", "before", "after").iterator(
            chunk_size=BATCH):
        dirty = False
        for values in (entry.before, entry.after):
            for name in masked:
                if values and values.get(name) not in (None, "", MASKED_VALUE):
                    values[name] = MASKED_VALUE
                    dirty = True
        if dirty:
            changed.append(entry)
        if len(changed) >= BATCH:
            ChangeLogEntry.objects.bulk_update(changed, ["before", "after"])
            changed = []
    ChangeLogEntry.objects.bulk_update(changed, ["before", "after"])


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_changelog_source"),
        ("registry", "0005_drop_pattern_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="worker",
            name="hukou_type",
            field=workforce.core.encryption.EncryptedTextField(
                choices=[("urban", "城镇户口"), ("rural", "农村户口")], verbose_name="户口性质"),
        ),
        migrations.AlterField(
            model_name="worker",
            name="political_status",
            field=workforce.core.encryption.EncryptedTextField(
                choices=[("cpc_member", "中共党员"), ("cpc_probationary", "中共预备党员"), ("cyl_member", "共青团员"),
                         ("other_party", "民主党派"), ("masses", "群众")],
                default="masses", verbose_name="政治面貌"),
        ),
        migrations.AlterField(
            model_name="workerfact",
            name="value",
            field=workforce.core.encryption.EncryptedTextField(blank=True, verbose_name="值"),
        ),
        migrations.RemoveField(model_name="worker", name="is_migrant"),
        migrations.RunPython(encrypt_values, decrypt_values, elidable=False),
    ]
