"""Labour contracts become dated records of their own (issue 16, decision 0020).

Each spell flagged as signed gets one contract from its contract columns, sourced "migration"; one with no
contract start date gets a contract whose dates are unknown (``dates_known`` False), never an invented date.
The spell's columns stay, as the copy of its latest contract the services keep. Backwards, the columns are
set from each spell's latest contract (what they held before, for spells not changed since) and the table goes.
"""

import django.db.models.deletion
from django.db import migrations, models


def contracts_from_spells(apps, schema_editor):
    """One contract per signed spell, in one INSERT … SELECT (a million spells in seconds)."""
    connection = schema_editor.connection
    spell = apps.get_model("registry", "EmploymentSpell")
    contract = apps.get_model("registry", "LabourContract")
    quote = connection.ops.quote_name
    schema_editor.execute(
        f"INSERT INTO {quote(contract._meta.db_table)} (spell_id, kind, dates_known, start_date, end_date, "  # noqa: S608
        "signed_on, source, source_import, source_row, version, created_at, updated_at) "
        "SELECT id, contract_type, contract_start IS NOT NULL, contract_start, contract_end, NULL, %s, NULL, NULL, "
        f"1, created_at, updated_at FROM {quote(spell._meta.db_table)} WHERE is_contract_signed", ["migration"])


def spells_from_contracts(apps, schema_editor):
    """Each spell's columns from its latest contract (the one starting last, unknown dates first); a spell with
    none is unsigned with empty columns."""
    spell_model = apps.get_model("registry", "EmploymentSpell")
    contract_model = apps.get_model("registry", "LabourContract")
    latest = {}
    for row in contract_model.objects.order_by("spell_id", "dates_known", "start_date", "id").values(
            "spell_id", "kind", "start_date", "end_date").iterator(chunk_size=10_000):
        latest[row["spell_id"]] = row
    spell_model.objects.filter(is_contract_signed=True).exclude(pk__in=list(latest)).update(
        is_contract_signed=False, contract_type="", contract_start=None, contract_end=None)
    for spell_id, row in latest.items():
        spell_model.objects.filter(pk=spell_id).update(
            is_contract_signed=True, contract_type=row["kind"], contract_start=row["start_date"],
            contract_end=row["end_date"])


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0016_spell_index_covers_the_district_scope'),
    ]

    operations = [
        migrations.AlterField(
            model_name='employmentspell',
            name='contract_end',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='合同终止日期'),
        ),
        migrations.AlterField(
            model_name='employmentspell',
            name='contract_start',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='合同起始日期'),
        ),
        migrations.AlterField(
            model_name='employmentspell',
            name='contract_type',
            field=models.CharField(blank=True, choices=[('fixed_term', '固定期限'), ('open_ended', '无固定期限'), ('task_based', '以完成一定工作任务为期限')], editable=False, max_length=16, verbose_name='合同类型'),
        ),
        migrations.AlterField(
            model_name='employmentspell',
            name='is_contract_signed',
            field=models.BooleanField(default=False, editable=False, verbose_name='已签劳动合同'),
        ),
        migrations.CreateModel(
            name='LabourContract',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('kind', models.CharField(blank=True, choices=[('fixed_term', '固定期限'), ('open_ended', '无固定期限'), ('task_based', '以完成一定工作任务为期限')], max_length=16, verbose_name='合同类型')),
                ('dates_known', models.BooleanField(verbose_name='合同日期已知')),
                ('start_date', models.DateField(blank=True, null=True, verbose_name='合同起始日期')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='合同终止日期')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='签订日期')),
                ('source', models.CharField(choices=[('page', '页面录入'), ('api', '接口'), ('import', '花名册导入'), ('migration', '原就业记录迁移'), ('system', '系统')], max_length=16, verbose_name='来源')),
                ('source_import', models.PositiveIntegerField(blank=True, null=True, verbose_name='导入批次')),
                ('source_row', models.PositiveIntegerField(blank=True, null=True, verbose_name='导入行号')),
                ('spell', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contracts', to='registry.employmentspell', verbose_name='就业记录')),
            ],
            options={
                'verbose_name': '劳动合同',
                'verbose_name_plural': '劳动合同',
                'ordering': ['spell', 'dates_known', 'start_date', 'id'],
                'indexes': [models.Index(fields=['spell', 'start_date'], name='contract_spell_start')],
                'constraints': [models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='contract_dates_in_order'), models.CheckConstraint(condition=models.Q(models.Q(('dates_known', True), ('start_date__isnull', False)), models.Q(('dates_known', False), ('start_date__isnull', True)), _connector='OR'), name='contract_start_known_or_none')],
            },
        ),
        migrations.RunPython(contracts_from_spells, spells_from_contracts),
    ]
