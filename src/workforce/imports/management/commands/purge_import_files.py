"""``workforce purge_import_files``: delete roster uploads and problem reports past their retention
period now (the nightly job ``imports.tasks.purge_expired_files_task`` does the same)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from workforce.imports.retention import purge_expired_files


class Command(BaseCommand):
    help = "Delete roster uploads and problem reports kept longer than their retention period."

    def handle(self, *args, **options):
        purged = purge_expired_files()
        self.stdout.write(f"Deleted {purged['uploads']} uploads and {purged['reports']} problem reports.")
