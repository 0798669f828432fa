"""Every worker's union roll (decision 0009) written from their membership rows: one sealed token a worker,
an empty roll too, filled to whole blocks of 256 bytes. Plain SQL in worker-id order and batches (the
historical models would encrypt through the field with no fill); rewriting a roll from the rows gives the same
plaintext, so a rerun is harmless. Going back empties the rolls: the rows still hold every period.
"""

from django.db import migrations

BATCH = 2000
ROLL_BLOCK = 256  # registry.union_roll.ROLL_BLOCK when this was written
VERSION = "r1:"


def _roll(periods: list[tuple]) -> str:
    """The roll's plaintext as ``registry.union_roll.encode_roll`` wrote it when this migration was written."""
    return VERSION + ";".join(
        f"{pk},{employer or ''},{start.isoformat()},{end.isoformat() if end else ''}"
        for pk, employer, start, end in sorted(periods, key=lambda period: (period[2], period[0])))


def fill_rolls(apps, schema_editor):
    from workforce.core.encryption import encrypt_many, padded

    Worker = apps.get_model("registry", "Worker")
    UnionMembership = apps.get_model("registry", "UnionMembership")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    sql = f"UPDATE {quote('registry_worker')} SET {quote('union_roll')} = %s WHERE id = %s"
    last = 0
    while ids := list(Worker.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]):
        last = ids[-1]
        periods: dict[int, list[tuple]] = {pk: [] for pk in ids}
        for worker_id, *period in UnionMembership.objects.filter(worker_id__in=ids).values_list(
                "worker_id", "id", "employer_id", "valid_from", "valid_to"):
            periods[worker_id].append(tuple(period))
        tokens = encrypt_many([padded(_roll(periods[pk]), ROLL_BLOCK) for pk in ids])
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[token, pk] for pk, token in zip(ids, tokens, strict=True)])


def empty_rolls(apps, schema_editor):
    apps.get_model("registry", "Worker").objects.update(union_roll="")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_worker_union_roll")]

    operations = [migrations.RunPython(fill_rolls, empty_rolls, elidable=False)]
