"""``workforce reencrypt_files``: after a key rotation, seal every kept file under the new key.

Walks ``MEDIA_ROOT`` and rewrites each sealed file (``core.files``) that the first key of
``FIELD_ENCRYPTION_KEYS`` does not open, so the old key can then be dropped; a plaintext file left from
before decision 0011 (restored from an old backup, say) is sealed too. Import plans (``imports/plans``)
are left alone: they are sealed frame by frame and a commit after a rotation plans the file again; so are
partial files being written and the empty markers of problem reports being built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from workforce.core.files import reencrypt

SKIPPED = ("imports/plans/", "imports/progress/")
UNSEALED = (".part", ".building")  # files being written; a problem report's empty build marker (issue 14)


class Command(BaseCommand):
    help = "Seal every kept file under the current field encryption key (run after rotating the key)."

    def handle(self, *args: Any, **options: Any) -> None:
        media = Path(settings.MEDIA_ROOT)
        rewritten = kept = 0
        for path in sorted(media.rglob("*")) if media.exists() else []:
            relative = path.relative_to(media).as_posix()
            if not path.is_file() or relative.startswith(SKIPPED) or relative.endswith(UNSEALED):
                continue
            if reencrypt(path):
                rewritten += 1
            else:
                kept += 1
        self.stdout.write(f"Sealed {rewritten} files under the current key; {kept} already were.")
