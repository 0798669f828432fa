"""``workforce demo-users``: one demo login per role, linked to the demo data; safe to run again
(the accounts part of ``workforce demo``, ``workforce.demo.accounts``).

``--list`` prints the logins (username, role, scope, password) without changing anything.
"""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.accounts.models import Department, Role, User
from workforce.demo.accounts import DEMO_LOGINS, describe_scope, ensure_demo_logins
from workforce.demo.parts import DEMO_PASSWORD


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = f"Create or refresh one demo login per role (password {DEMO_PASSWORD}); --list prints them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", dest="list_only",
                            help="print the demo logins without changing anything")

    def handle(self, *args, list_only: bool, **options) -> None:
        if list_only:
            self.print_table()
            return
        if not Role.objects.exists() or not Department.objects.filter(code="city-union").exists():
            raise CommandError("Roles and departments are missing. Run `workforce setup` first.")
        created, refreshed, skipped = ensure_demo_logins(DEMO_PASSWORD)
        for username in skipped:
            self.stderr.write(self.style.WARNING(
                f"{username}: skipped, no demo data to link it to (run `workforce demo-data` first)."))
        self.stdout.write(self.style.SUCCESS(
            f"Demo logins ready: {created} created, {refreshed} refreshed. Password for all: {DEMO_PASSWORD}"))

    def print_table(self) -> None:
        usernames = [login.username for login in DEMO_LOGINS]
        users = {user.username: user for user in User.objects.filter(username__in=usernames).select_related(
            "role", "department", "district", "employer", "worker__current_employer")}
        if not users:
            self.stdout.write("No demo logins yet: run `workforce demo-users`.")
            return
        rows = [("用户名", "角色", "范围", "密码")]
        rows += [(user.username, user.role.name if user.role is not None else "", describe_scope(user), DEMO_PASSWORD)
                 for user in (users[name] for name in usernames if name in users)]
        widths = [max(_width(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            self.stdout.write("  ".join(_pad(cell, width) for cell, width in zip(row[:3], widths, strict=True))
                              + "  " + row[3])
