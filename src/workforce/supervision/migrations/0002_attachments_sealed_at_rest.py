"""Evidence files sealed at rest with the field keys (decision 0011); the files kept before are
sealed in place."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import workforce.core.files
import workforce.supervision.models.reports


def seal_attachments(apps, schema_editor):
    from workforce.core.files import reencrypt

    Attachment = apps.get_model("supervision", "Attachment")
    media = Path(settings.MEDIA_ROOT)
    for name in Attachment.objects.exclude(file="").values_list("file", flat=True).iterator():
        if (media / name).is_file():
            reencrypt(media / name)


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='attachment',
            name='file',
            field=models.FileField(max_length=200, storage=workforce.core.files.encrypted_storage, upload_to=workforce.supervision.models.reports.attachment_path),
        ),
        migrations.RunPython(seal_attachments, migrations.RunPython.noop, elidable=False),
    ]
