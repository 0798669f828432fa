"""Roster files sealed at rest, their retention, the commit's lease (decision 0011); and what was kept
before: every upload and problem report sealed in place, every stored problem value masked."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import workforce.core.files
import workforce.imports.models


def seal_files_and_mask_problems(apps, schema_editor):
    from workforce.core.files import reencrypt
    from workforce.imports.masking import masked_problem_value
    from workforce.imports.parsing import match_column

    RosterImport = apps.get_model("imports", "RosterImport")
    ImportProblem = apps.get_model("imports", "ImportProblem")
    media = Path(settings.MEDIA_ROOT)
    for name in RosterImport.objects.exclude(file="").values_list("file", flat=True).iterator():
        if (media / name).is_file():
            reencrypt(media / name)
    for path in (media / "imports" / "reports").glob("*.xlsx"):
        reencrypt(path)
    changed = []
    for problem in ImportProblem.objects.exclude(value="").only("id", "column", "value").iterator(chunk_size=2000):
        masked = masked_problem_value(match_column(problem.column), problem.value)
        if masked != problem.value:
            problem.value = masked
            changed.append(problem)
        if len(changed) >= 2000:
            ImportProblem.objects.bulk_update(changed, ["value"])
            changed = []
    ImportProblem.objects.bulk_update(changed, ["value"])


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='rosterimport',
            name='commit_attempt',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='rosterimport',
            name='file_purged_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='文件删除时间'),
        ),
        migrations.AlterField(
            model_name='rosterimport',
            name='file',
            field=models.FileField(max_length=300, storage=workforce.core.files.encrypted_storage, upload_to=workforce.imports.models.import_upload_path, verbose_name='文件'),
        ),
        # Not reversible in the files: unsealing them again would undo the point of it.
        migrations.RunPython(seal_files_and_mask_problems, migrations.RunPython.noop, elidable=False),
    ]
