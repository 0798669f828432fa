"""The sealed codes (hukou type, political status, every worker fact"s value) filled to one block of 16 bytes
before encryption, so that their tokens all have one length (decision 0009): AES-GCM keeps the plaintext"s
length, and ``masses`` (6 bytes), ``cpc_member`` (10) and ``cpc_probationary`` (16) were told apart by it.

Every stored token is opened and sealed again, filled, in id order and batches through plain SQL (the
historical models would decrypt what they read). A token whose plaintext already fills whole blocks is left,
so a rerun is harmless. Going back seals the values again without the fill, which the code before reads.
"""

import base64

from django.db import migrations

import workforce.core.encryption

BATCH = 5000
BLOCK = 16
SEALED = (("registry_worker", ("hukou_type", "political_status")), ("registry_workerfact", ("value",)))
OVERHEAD = 1 + 12 + 16  # version byte, nonce and tag around the AES-GCM ciphertext


def _rewrite(schema_editor, table: str, columns: tuple[str, ...], convert) -> None:
    """Rewrite ``columns`` of every row of ``table`` with ``convert`` (one value → its new value), in id
    order and batches."""
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
                new = [convert(value) if value else value for value in values]
                if new != values:
                    updates.append([*new, row[0]])
            if updates:
                cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", updates)  # noqa: S608


def _is_filled(token: str) -> bool:
    """An AES-GCM token whose plaintext is whole blocks long (filled, or a code of exactly 16 bytes)."""
    raw = base64.urlsafe_b64decode(token)
    return raw[:1] == b"\x02" and (len(raw) - OVERHEAD) % BLOCK == 0


def _fill(token: str) -> str:
    from workforce.core.encryption import decrypt, encrypt, looks_sealed, padded

    if not looks_sealed(token) or _is_filled(token):
        return token
    return encrypt(padded(decrypt(token), BLOCK))


def _unfill(token: str) -> str:
    from workforce.core.encryption import decrypt, encrypt, looks_sealed

    if not looks_sealed(token) or not _is_filled(token):
        return token
    return encrypt(decrypt(token))  # decrypt drops the fill


def fill_tokens(apps, schema_editor):
    for table, columns in SEALED:
        _rewrite(schema_editor, table, columns, _fill)


def unfill_tokens(apps, schema_editor):
    for table, columns in SEALED:
        _rewrite(schema_editor, table, columns, _unfill)



class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_spell_reported_skill_level"),
    ]

    operations = [
        migrations.AlterField(
            model_name="worker",
            name="hukou_type",
            field=workforce.core.encryption.EncryptedTextField(choices=[("urban", "城镇户口"), ("rural", "农村户口")], pad_block=16, verbose_name="户口性质"),
        ),
        migrations.AlterField(
            model_name="worker",
            name="political_status",
            field=workforce.core.encryption.EncryptedTextField(choices=[("cpc_member", "中共党员"), ("cpc_probationary", "中共预备党员"), ("cyl_member", "共青团员"), ("other_party", "民主党派"), ("masses", "群众")], default="masses", pad_block=16, verbose_name="政治面貌"),
        ),
        migrations.AlterField(
            model_name="workerfact",
            name="value",
            field=workforce.core.encryption.EncryptedTextField(blank=True, pad_block=16, verbose_name="值"),
        ),
        migrations.RunPython(fill_tokens, unfill_tokens, elidable=False),
    ]
