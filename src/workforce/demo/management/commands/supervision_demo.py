"""``workforce supervision-demo``: demo officers, tasks, reporting and an inspection round; safe to run again.
Run it after ``workforce demo-users`` (it acts as the demo supervision office, or the city administrator)."""

from django.core.management.base import BaseCommand

from workforce.demo.management.commands.demo_users import DEMO_PASSWORD
from workforce.demo.supervision import DEMO_OFFICERS, ensure_supervision_demo


class Command(BaseCommand):
    help = "Create demo supervision data: department officers, tasks, reporting and an inspection round."

    def handle(self, *args, **options):
        created = ensure_supervision_demo(DEMO_PASSWORD)
        logins = ", ".join(username for username, _name, _code in DEMO_OFFICERS)
        self.stdout.write(self.style.SUCCESS(f"supervision demo: {created}; officer logins {logins} "
                                             f"(password {DEMO_PASSWORD})"))
