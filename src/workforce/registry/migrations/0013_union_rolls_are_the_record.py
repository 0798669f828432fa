"""Union membership at rest, the second half (decision 0009): the workers' sealed rolls become the record and the
plain ``UnionMembership`` table and ``Worker.is_union_member`` go.

Forward, in batches of workers in id order (rerunnable up to the schema changes):
- every roll is written again from the rows (as migration 0010 did; the rows are what the services kept until
  now), and the one-row counter that gives membership ids starts after the largest row id, so ids stay stable;
- the change-log rows about memberships (``content_type=unionmembership``, whose parent named the worker and whose
  values said what) become rows of the worker with the roll masked: the value kept is the sealed reference to
  the membership (``union_roll.seal_reference``), by which the history still shows each only to those who may
  know of it; the object's text becomes the worker's, an entry that said "created" says "changed";
- the permissions ``registry.*_unionmembership`` become the worker's custom ``*_union_membership``, renamed in
  place so every role, group and user grant follows (``delete_unionmembership``, granted to no role, goes).

Backward, the rows are recreated from the rolls with their ids (``is_union_member`` from them, as of the day),
the re-parented change-log rows point at their membership again (their values stay masked: they cannot come
back), and the permissions are renamed back. The rolls stay as they are (migration 0010 empties them).
"""

import datetime

from django.db import migrations, models

import workforce.core.encryption
import workforce.registry.union_roll

BATCH = 2000
ROLL_BLOCK = 256  # registry.union_roll.ROLL_BLOCK when this was written
VERSION = "r1:"
REFERENCE_VERSION, REFERENCE_BLOCK = "m1:", 64  # registry.union_roll's when this was written
UNKNOWN_UNION = 0  # a deleted membership's union is not known: no employer has id 0, so HR never sees its rows
PERMISSIONS = {"view_unionmembership": ("view_union_membership", "查看工会会籍"),
               "add_unionmembership": ("add_union_membership", "登记入会"),
               "change_unionmembership": ("change_union_membership", "办理退会/转出")}


def _roll(periods: list[tuple]) -> str:
    return VERSION + ";".join(
        f"{pk},{employer or ''},{start.isoformat()},{end.isoformat() if end else ''}"
        for pk, employer, start, end in sorted(periods, key=lambda period: (period[2], period[0])))


def _permission_throughs(apps):
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    models_ = [apps.get_model("auth", "Group").permissions.through,
               apps.get_model("accounts", "Role").permissions.through,
               apps.get_model(user_model._meta.app_label, user_model._meta.model_name).user_permissions.through]
    return models_


def _rename_permission(apps, permission, content_type, codename, name):
    """Give ``permission`` the ``codename`` on ``content_type``; when that one exists already, move the grants."""
    Permission = apps.get_model("auth", "Permission")
    existing = Permission.objects.filter(content_type=content_type, codename=codename).first()
    if existing is None:
        permission.content_type, permission.codename, permission.name = content_type, codename, name
        permission.save()
        return
    for through in _permission_throughs(apps):
        owner = next(field.attname for field in through._meta.concrete_fields
                     if field.is_relation and field.related_model is not Permission)
        holders = through.objects.filter(permission_id=existing.pk).values_list(owner, flat=True)
        through.objects.filter(permission_id=permission.pk, **{f"{owner}__in": list(holders)}).delete()
        through.objects.filter(permission_id=permission.pk).update(permission_id=existing.pk)
    permission.delete()


def fold_rows(apps, schema_editor):
    from workforce.core.encryption import encrypt_many, padded

    Worker = apps.get_model("registry", "Worker")
    UnionMembership = apps.get_model("registry", "UnionMembership")
    MembershipSequence = apps.get_model("registry", "MembershipSequence")
    ChangeLogEntry = apps.get_model("core", "ChangeLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    sql = f"UPDATE {quote('registry_worker')} SET {quote('union_roll')} = %s WHERE id = %s"  # noqa: S608

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

    top = UnionMembership.objects.aggregate(top=models.Max("id"))["top"] or 0
    if top:  # else the first membership made creates the counter's row
        sequence, _created = MembershipSequence.objects.get_or_create(pk=1, defaults={"last_id": top})
        if sequence.last_id < top:
            sequence.last_id = top
            sequence.save()

    membership_type = ContentType.objects.filter(app_label="registry", model="unionmembership").first()
    worker_type, _created = ContentType.objects.get_or_create(app_label="registry", model="worker")
    if membership_type is None:
        return
    unions = dict(UnionMembership.objects.values_list("id", "employer_id"))
    workers_of = dict(UnionMembership.objects.values_list("id", "worker_id"))
    last = 0
    while entries := list(ChangeLogEntry.objects.filter(content_type=membership_type, pk__gt=last).order_by("pk")[
            :BATCH]):
        last = entries[-1].pk
        worker_ids = {int(entry.parent_object_id or workers_of.get(int(entry.object_id), 0)) for entry in entries}
        reprs = {pk: f"{name}（{masked}）" for pk, name, masked in Worker.objects.filter(pk__in=worker_ids).values_list(
            "pk", "name", "id_number_masked")}
        references = encrypt_many([
            padded(f"{REFERENCE_VERSION}{entry.object_id},{unions.get(int(entry.object_id), UNKNOWN_UNION) or ''}",
                   REFERENCE_BLOCK) for entry in entries])
        for entry, reference in zip(entries, references, strict=True):
            worker_id = int(entry.parent_object_id or workers_of.get(int(entry.object_id), 0))
            entry.content_type = worker_type
            entry.object_id = str(worker_id)
            entry.object_repr = reprs.get(worker_id, "")[:200]
            entry.parent_content_type, entry.parent_object_id = None, None
            entry.before = {"union_roll": reference} if entry.before else {}
            entry.after = {"union_roll": reference}
            if entry.action in ("create", "delete"):
                entry.action = "update"
        ChangeLogEntry.objects.bulk_update(entries, ["content_type", "object_id", "object_repr",
                                                     "parent_content_type", "parent_object_id", "before", "after",
                                                     "action"])

    for permission in Permission.objects.filter(content_type=membership_type):
        if permission.codename in PERMISSIONS:
            codename, name = PERMISSIONS[permission.codename]
            _rename_permission(apps, permission, worker_type, codename, name)
        else:
            permission.delete()


def unfold_rolls(apps, schema_editor):
    from workforce.core.encryption import decrypt, decrypt_many

    Worker = apps.get_model("registry", "Worker")
    UnionMembership = apps.get_model("registry", "UnionMembership")
    ChangeLogEntry = apps.get_model("core", "ChangeLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    today = datetime.date.today()

    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {quote('union_roll')} FROM {quote('registry_worker')} "  # noqa: S608
                           f"WHERE id > %s ORDER BY id LIMIT {BATCH}", [last])
            chunk = cursor.fetchall()
        if not chunk:
            break
        last = chunk[-1][0]
        rows, members = [], []
        for (worker_id, _token), roll in zip(chunk, decrypt_many([token or "" for _pk, token in chunk]), strict=True):
            body = roll[len(VERSION):] if roll.startswith(VERSION) else ""
            for part in body.split(";") if body else []:
                pk, employer, start, end = part.split(",")
                valid_from = datetime.date.fromisoformat(start)
                valid_to = datetime.date.fromisoformat(end) if end else None
                rows.append(UnionMembership(id=int(pk), worker_id=worker_id, employer_id=int(employer) if employer
                                            else None, valid_from=valid_from, valid_to=valid_to))
                if valid_from <= today and (valid_to is None or valid_to >= today):
                    members.append(worker_id)
        UnionMembership.objects.filter(worker_id__in=[pk for pk, _token in chunk]).delete()
        UnionMembership.objects.bulk_create(rows)
        Worker.objects.filter(pk__in=members).update(is_union_member=True)
    if connection.vendor == "postgresql":  # rows inserted with their ids: the table's sequence goes past them
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('registry_unionmembership', 'id'), "
                           "GREATEST((SELECT COALESCE(MAX(id), 0) FROM registry_unionmembership), 1))")

    membership_type, _created = ContentType.objects.get_or_create(app_label="registry", model="unionmembership")
    worker_type = ContentType.objects.filter(app_label="registry", model="worker").first()
    if worker_type is None:
        return
    last = 0
    while entries := list(ChangeLogEntry.objects.filter(content_type=worker_type, pk__gt=last,
                                                         after__has_key="union_roll").order_by("pk")[:BATCH]):
        last = entries[-1].pk
        changed = []
        for entry in entries:
            try:
                text = decrypt(str(entry.after["union_roll"]))
            except ValueError:
                continue
            if not text.startswith(REFERENCE_VERSION):
                continue
            pk = text[len(REFERENCE_VERSION):].split(",")[0]
            entry.parent_content_type, entry.parent_object_id = worker_type, entry.object_id
            entry.content_type, entry.object_id = membership_type, pk
            entry.object_repr = ""
            entry.before, entry.after = {}, {}
            changed.append(entry)
        ChangeLogEntry.objects.bulk_update(changed, ["content_type", "object_id", "object_repr",
                                                     "parent_content_type", "parent_object_id", "before", "after"])

    for old, (codename, _name) in PERMISSIONS.items():
        for permission in Permission.objects.filter(content_type=worker_type, codename=codename):
            _rename_permission(apps, permission, membership_type, old, f"Can {old.split('_')[0]} 工会会籍")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_department_former_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_access_events_for_account_security"),
        ("registry", "0012_employer_legal_person_kind_spell_post_category"),
    ]

    operations = [
        migrations.CreateModel(
            name="MembershipSequence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_id", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AlterModelOptions(
            name="worker",
            options={"ordering": ["-id"], "permissions": [
                ("unmask_worker", "查看完整身份证号和手机号"), ("merge_worker", "合并重复职工"), ("export_worker", "导出职工"),
                ("view_union_membership", "查看工会会籍"), ("add_union_membership", "登记入会"),
                ("change_union_membership", "办理退会/转出")], "verbose_name": "职工", "verbose_name_plural": "职工"},
        ),
        migrations.AlterField(
            model_name="worker",
            name="union_roll",
            field=workforce.core.encryption.EncryptedTextField(
                blank=True, default=workforce.registry.union_roll.empty_roll, editable=False, pad_block=256,
                verbose_name="工会会籍"),
        ),
        migrations.RunPython(fold_rows, unfold_rolls, elidable=False),
        migrations.RemoveField(model_name="worker", name="is_union_member"),
        migrations.DeleteModel(name="UnionMembership"),
    ]
