"""Issue 15: a worker's political status may be blank, "not stated", instead of defaulting to 群众 (masses);
blank values of it and of worker facts are sealed too (``seal_blank``).

Schema state only: no column changes, and no row is rewritten. Existing values are kept as they are: a
status stored as 群众 because the form, the importer or the model defaulted it cannot be told from one stated
as 群众, so none is guessed to be unstated (decision 0009).
"""

import workforce.core.encryption
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0014_collective_bargaining_mechanism'),
    ]

    operations = [
        migrations.AlterField(
            model_name='worker',
            name='political_status',
            field=workforce.core.encryption.EncryptedTextField(blank=True, choices=[('cpc_member', '中共党员'), ('cpc_probationary', '中共预备党员'), ('cyl_member', '共青团员'), ('other_party', '民主党派'), ('masses', '群众')], pad_block=16, seal_blank=True, verbose_name='政治面貌'),
        ),
        migrations.AlterField(
            model_name='workerfact',
            name='value',
            field=workforce.core.encryption.EncryptedTextField(blank=True, pad_block=16, seal_blank=True, verbose_name='值'),
        ),
    ]
