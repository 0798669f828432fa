"""Issue 15: the index of a worker's spells also holds the start date and the employer, so the district scope
(``querysets.in_district``) checks a listed worker's spells covering today from the index alone; it replaces
``spell_worker_end``, its prefix (built first, so no query goes without one)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reference', '0002_field_labels_in_history'),
        ('registry', '0015_political_status_may_be_unstated'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='employmentspell',
            index=models.Index(fields=['worker', 'end_date', 'start_date', 'employer'], name='spell_worker_current'),
        ),
        migrations.RemoveIndex(
            model_name='employmentspell',
            name='spell_worker_end',
        ),
    ]
