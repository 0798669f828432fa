"""``workforce supervision-demo``: demo officers, tasks, reporting and an inspection round; safe to run again.
Run it after ``workforce demo-users`` (it acts as the demo supervision office, or the city administrator)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from workforce.demo.parts import DemoContext
from workforce.demo.supervision import PART


class Command(BaseCommand):
    help = "Create demo supervision data: department officers, tasks, reporting and an inspection round."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(PART.build(DemoContext(today=timezone.localdate()))))
